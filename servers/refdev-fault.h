/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refdev-fault: the catalogue of fault switches of vfu-refdev.  Each fault
 * breaks exactly one requirement of the spec; its name is a stable ID that
 * the self-test scenarios refer to.  The catalogue is a const table (name,
 * spec section, the sentence it breaks); a set of enabled faults is a small
 * bitset.  No I/O, never prints.
 */
#ifndef VFU_REFDEV_FAULT_H
#define VFU_REFDEV_FAULT_H

#include <stddef.h>
#include <stdint.h>

enum refdev_fault {
	/* header and framing */
	RF_MSG_ID_NOT_ECHOED,
	RF_REPLY_BIT_MISSING,
	RF_REPLY_COMMAND_WRONG,
	RF_MSG_SIZE_WRONG,
	RF_ERROR_REPLY_PAYLOAD,
	RF_ERROR_BIT_MISSING,
	RF_NO_REPLY_ANSWERED,
	RF_REPLY_DROPPED,
	RF_REPLIES_OUT_OF_ORDER,
	RF_UNKNOWN_COMMAND_ACCEPTED,
	RF_TYPE_INVALID_ACCEPTED,
	/* negotiation */
	RF_VERSION_MINOR_HIGHER,
	RF_VERSION_MAJOR_DIFFERENT,
	RF_VERSION_CAPS_NOT_SUBSET,
	RF_VERSION_JSON_INVALID,
	RF_VERSION_JSON_NO_NUL,
	RF_TWIN_SOCKET_FD_INDEX_MISSING,
	RF_MAX_MSG_FDS_EXCEEDED,
	RF_MAX_DATA_XFER_NOT_ENFORCED,
	/* device, region and IRQ info */
	RF_DEVICE_INFO_NOT_PCI,
	RF_DEVICE_INFO_ARGSZ_WRONG,
	RF_DEVICE_INFO_NUM_REGIONS_LOW,
	RF_REGION_INFO_ARGSZ_SMALL,
	RF_REGION_INFO_CAPS_OVERFLOW,
	RF_REGION_INFO_MMAP_NO_FD,
	RF_REGION_INFO_CAP_OFFSET_BAD,
	RF_SPARSE_MMAP_NR_AREAS_WRONG,
	RF_REGION_TYPE_CAP_MISSING,
	RF_IO_FDS_NO_FD,
	RF_IO_FDS_FLAGS_NONZERO,
	RF_IRQ_INFO_INDEX_NOT_ECHOED,
	/* region access */
	RF_REGION_ACCESS_PAST_END,
	RF_REGION_WRITE_READONLY_ACCEPTED,
	RF_REGION_READ_SHORT_DATA,
	RF_REGION_WRITE_REPLY_DATA,
	RF_CONFIG_RO_WRITABLE,
	RF_BAR_SIZING_BROKEN,
	RF_WRITE_MULTI_COUNT_WRONG,
	/* DMA table and server DMA */
	RF_DMA_MAP_OVERLAP_ACCEPTED,
	RF_DMA_UNMAP_INEXACT_ACCEPTED,
	RF_DMA_UNMAP_NO_ECHO,
	RF_DMA_MAX_MAPS_IGNORED,
	RF_DMA_OUTSIDE_WINDOW,
	RF_DMA_AFTER_UNMAP,
	RF_DMA_WRITE_READONLY_MAP,
	RF_DMA_XFER_OVER_MAX,
	RF_DMA_ON_MAIN_SOCKET,
	/* IRQs */
	RF_IRQ_NOT_SIGNALLED,
	RF_IRQ_MASK_IGNORED,
	RF_IRQ_DISABLE_ALL_IGNORED,
	RF_IRQ_SET_BAD_FLAGS_ACCEPTED,
	/* device features and migration */
	RF_FEATURE_PROBE_WRONG,
	RF_FEATURE_GET_SET_ACCEPTED,
	RF_FEATURE_ARGSZ_NOT_UPDATED,
	RF_MIG_STOP_COPY_TO_PRE_COPY_ALLOWED,
	RF_MIG_COMPLEX_TRANSITION_REFUSED,
	RF_MIG_STATE_NOT_REPORTED,
	RF_MIG_DATA_SHORT_READ_EARLY,
	RF_MIG_RESUME_ACCEPTS_INVALID,
	RF_MIG_DATA_READ_WRONG_STATE,
	RF_MIG_ERROR_RESET_IGNORED,
	RF_DIRTY_BITMAP_MISSING_WRITES,
	RF_DIRTY_BITMAP_OUTSIDE_BITS,
	RF_DIRTY_LOGS_READS,
	/* reset and disconnect */
	RF_RESET_NOT_RESTORING,
	RF_DISCONNECT_KEEPS_MAPPINGS,
	RF_DISCONNECT_KEEPS_IRQ_FDS,
	RF_DISCONNECT_RESETS_DEVICE,
	/* robustness */
	RF_CRASH_ON_BAD_INPUT,
	RF_HANG_ON_BAD_INPUT,
	RF_NFAULTS
};

struct refdev_fault_info {
	const char	*name;		/* stable ID, kebab-case */
	const char	*section;	/* spec section title */
	const char	*sentence;	/* the sentence the fault breaks */
};

extern const struct refdev_fault_info refdev_faults[RF_NFAULTS];

#define REFDEV_FAULT_WORDS	((RF_NFAULTS + 63) / 64)
struct refdev_faultset {
	uint64_t	bits[REFDEV_FAULT_WORDS];
};

/* The fault called name, or -1. */
int	refdev_fault_lookup(const char *name);
void	refdev_faultset_clear(struct refdev_faultset *fs);
void	refdev_faultset_add(struct refdev_faultset *fs, enum refdev_fault f);
int	refdev_fault_on(const struct refdev_faultset *fs, enum refdev_fault f);

#endif /* VFU_REFDEV_FAULT_H */
