/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * codec-tables: the field tables of every vfio-user message and
 * sub-structure, transcribed from the spec's offset/size tables, and the
 * lookups over them.  The encoder and decoder (codec.c) read and write every
 * fixed-size field through these tables, so a wrong offset or size here shows
 * up as a failing golden vector, not as a silent disagreement between the
 * tables the loader sees and the code on the wire.  Const data only.
 */
#include "config.h"
#include "codec.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define MSIZE(t, m)	sizeof(((t *)0)->m)

/* A fixed-size field of struct t: wire (off, size), decoded member m. */
#define FX(n, o, sz, k, t, m, nm) {					\
	.name = (n), .off = (o), .size = (sz), .kind = (k),		\
	.soff = offsetof(t, m), .names = (nm), .elem = NULL,		\
	.ssize = (MSIZE(t, m) == (sz)) ? 0 : MSIZE(t, m) }
#define U(n, o, sz, t, m)	FX(n, o, sz, VFU_FIELD_UINT, t, m, NULL)
#define FL(n, o, sz, t, m, nm)	FX(n, o, sz, VFU_FIELD_FLAGS, t, m, nm)
#define EN(n, o, sz, t, m, nm)	FX(n, o, sz, VFU_FIELD_ENUM, t, m, nm)
#define RS(n, o, sz, t, m)	FX(n, o, sz, VFU_FIELD_RESERVED, t, m, NULL)
/* A variable part: bytes, JSON, or an array of el, from o to the end. */
#define VAR(n, o, k, el) {						\
	.name = (n), .off = (o), .size = 0, .kind = (k), .soff = 0,	\
	.names = NULL, .elem = (el), .ssize = 0 }

/* ---- Names ------------------------------------------------------------- */

static const struct vfu_name command_names[] = {
	{ "VFIO_USER_VERSION", UINT64_MAX, VFIO_USER_VERSION },
	{ "VFIO_USER_DMA_MAP", UINT64_MAX, VFIO_USER_DMA_MAP },
	{ "VFIO_USER_DMA_UNMAP", UINT64_MAX, VFIO_USER_DMA_UNMAP },
	{ "VFIO_USER_DEVICE_GET_INFO", UINT64_MAX, VFIO_USER_DEVICE_GET_INFO },
	{ "VFIO_USER_DEVICE_GET_REGION_INFO", UINT64_MAX,
	    VFIO_USER_DEVICE_GET_REGION_INFO },
	{ "VFIO_USER_DEVICE_GET_REGION_IO_FDS", UINT64_MAX,
	    VFIO_USER_DEVICE_GET_REGION_IO_FDS },
	{ "VFIO_USER_DEVICE_GET_IRQ_INFO", UINT64_MAX,
	    VFIO_USER_DEVICE_GET_IRQ_INFO },
	{ "VFIO_USER_DEVICE_SET_IRQS", UINT64_MAX, VFIO_USER_DEVICE_SET_IRQS },
	{ "VFIO_USER_REGION_READ", UINT64_MAX, VFIO_USER_REGION_READ },
	{ "VFIO_USER_REGION_WRITE", UINT64_MAX, VFIO_USER_REGION_WRITE },
	{ "VFIO_USER_DMA_READ", UINT64_MAX, VFIO_USER_DMA_READ },
	{ "VFIO_USER_DMA_WRITE", UINT64_MAX, VFIO_USER_DMA_WRITE },
	{ "VFIO_USER_DEVICE_RESET", UINT64_MAX, VFIO_USER_DEVICE_RESET },
	{ "VFIO_USER_REGION_WRITE_MULTI", UINT64_MAX,
	    VFIO_USER_REGION_WRITE_MULTI },
	{ "VFIO_USER_DEVICE_FEATURE", UINT64_MAX, VFIO_USER_DEVICE_FEATURE },
	{ "VFIO_USER_MIG_DATA_READ", UINT64_MAX, VFIO_USER_MIG_DATA_READ },
	{ "VFIO_USER_MIG_DATA_WRITE", UINT64_MAX, VFIO_USER_MIG_DATA_WRITE },
	{ NULL, 0, 0 }
};

/* Spec "Header": Type (bits 0-3) is a value, No_reply and Error are bits. */
static const struct vfu_name hdr_flag_names[] = {
	{ "Command", VFIO_USER_F_TYPE_MASK, VFIO_USER_F_TYPE_COMMAND },
	{ "Reply", VFIO_USER_F_TYPE_MASK, VFIO_USER_F_TYPE_REPLY },
	{ "No_reply", VFIO_USER_F_NO_REPLY, VFIO_USER_F_NO_REPLY },
	{ "Error", VFIO_USER_F_ERROR, VFIO_USER_F_ERROR },
	{ NULL, 0, 0 }
};

/* Spec VFIO_USER_DMA_MAP names the bits only in prose. */
static const struct vfu_name dma_map_flag_names[] = {
	{ "readable", VFIO_USER_F_DMA_REGION_READ, VFIO_USER_F_DMA_REGION_READ },
	{ "writeable", VFIO_USER_F_DMA_REGION_WRITE,
	    VFIO_USER_F_DMA_REGION_WRITE },
	{ NULL, 0, 0 }
};

#define BIT(n)	{ #n, n, n }

static const struct vfu_name device_flag_names[] = {
	BIT(VFIO_DEVICE_FLAGS_RESET),
	BIT(VFIO_DEVICE_FLAGS_PCI),
	{ NULL, 0, 0 }
};

static const struct vfu_name region_flag_names[] = {
	BIT(VFIO_REGION_INFO_FLAG_READ),
	BIT(VFIO_REGION_INFO_FLAG_WRITE),
	BIT(VFIO_REGION_INFO_FLAG_MMAP),
	BIT(VFIO_REGION_INFO_FLAG_CAPS),
	{ NULL, 0, 0 }
};

static const struct vfu_name irq_info_flag_names[] = {
	BIT(VFIO_IRQ_INFO_EVENTFD),
	BIT(VFIO_IRQ_INFO_MASKABLE),
	BIT(VFIO_IRQ_INFO_AUTOMASKED),
	BIT(VFIO_IRQ_INFO_NORESIZE),
	{ NULL, 0, 0 }
};

static const struct vfu_name irq_set_flag_names[] = {
	BIT(VFIO_IRQ_SET_DATA_NONE),
	BIT(VFIO_IRQ_SET_DATA_BOOL),
	BIT(VFIO_IRQ_SET_DATA_EVENTFD),
	BIT(VFIO_IRQ_SET_ACTION_MASK),
	BIT(VFIO_IRQ_SET_ACTION_UNMASK),
	BIT(VFIO_IRQ_SET_ACTION_TRIGGER),
	{ NULL, 0, 0 }
};

static const struct vfu_name cap_id_names[] = {
	{ "VFIO_REGION_INFO_CAP_SPARSE_MMAP", UINT64_MAX,
	    VFIO_REGION_INFO_CAP_SPARSE_MMAP },
	{ "VFIO_REGION_INFO_CAP_TYPE", UINT64_MAX, VFIO_REGION_INFO_CAP_TYPE },
	{ NULL, 0, 0 }
};

static const struct vfu_name io_fd_type_names[] = {
	{ "VFIO_USER_IO_FD_TYPE_IOEVENTFD", UINT64_MAX,
	    VFIO_USER_IO_FD_TYPE_IOEVENTFD },
	{ "VFIO_USER_IO_FD_TYPE_IOREGIONFD", UINT64_MAX,
	    VFIO_USER_IO_FD_TYPE_IOREGIONFD },
	{ NULL, 0, 0 }
};

static const struct vfu_name ioeventfd_flag_names[] = {
	BIT(KVM_IOEVENTFD_FLAG_DATAMATCH),
	BIT(KVM_IOEVENTFD_FLAG_PIO),
	BIT(KVM_IOEVENTFD_FLAG_DEASSIGN),
	BIT(KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY),
	{ NULL, 0, 0 }
};

static const struct vfu_name ioregionfd_flag_names[] = {
	BIT(KVM_IOREGION_PIO),
	BIT(KVM_IOREGION_POSTED_WRITES),
	{ NULL, 0, 0 }
};

/* Feature index (bits 0-15) is a value; GET, SET, PROBE are bits. */
static const struct vfu_name feature_flag_names[] = {
	{ "VFIO_DEVICE_FEATURE_MIGRATION", VFIO_DEVICE_FEATURE_MASK,
	    VFIO_DEVICE_FEATURE_MIGRATION },
	{ "VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE", VFIO_DEVICE_FEATURE_MASK,
	    VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE },
	{ "VFIO_DEVICE_FEATURE_DMA_LOGGING_START", VFIO_DEVICE_FEATURE_MASK,
	    VFIO_DEVICE_FEATURE_DMA_LOGGING_START },
	{ "VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP", VFIO_DEVICE_FEATURE_MASK,
	    VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP },
	{ "VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT", VFIO_DEVICE_FEATURE_MASK,
	    VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT },
	BIT(VFIO_DEVICE_FEATURE_GET),
	BIT(VFIO_DEVICE_FEATURE_SET),
	BIT(VFIO_DEVICE_FEATURE_PROBE),
	{ NULL, 0, 0 }
};

static const struct vfu_name migration_flag_names[] = {
	BIT(VFIO_MIGRATION_STOP_COPY),
	BIT(VFIO_MIGRATION_P2P),
	BIT(VFIO_MIGRATION_PRE_COPY),
	{ NULL, 0, 0 }
};

#define VAL(n)	{ #n, UINT64_MAX, n }

static const struct vfu_name device_state_names[] = {
	VAL(VFIO_DEVICE_STATE_ERROR),
	VAL(VFIO_DEVICE_STATE_STOP),
	VAL(VFIO_DEVICE_STATE_RUNNING),
	VAL(VFIO_DEVICE_STATE_STOP_COPY),
	VAL(VFIO_DEVICE_STATE_RESUMING),
	VAL(VFIO_DEVICE_STATE_RUNNING_P2P),
	VAL(VFIO_DEVICE_STATE_PRE_COPY),
	VAL(VFIO_DEVICE_STATE_PRE_COPY_P2P),
	{ NULL, 0, 0 }
};

/* ---- Header (spec "Header") -------------------------------------------- */

static const struct vfu_field hdr_fields[] = {
	U("msg_id", 0, 2, struct vfu_hdr, msg_id),
	EN("command", 2, 2, struct vfu_hdr, command, command_names),
	U("msg_size", 4, 4, struct vfu_hdr, msg_size),
	FL("flags", 8, 4, struct vfu_hdr, flags, hdr_flag_names),
	U("error", 12, 4, struct vfu_hdr, error),
};
const struct vfu_struct_desc vfu_hdr_desc = {
	"hdr", VFIO_USER_HDR_SIZE, hdr_fields, NELEM(hdr_fields)
};

/* ---- Sub-structures ---------------------------------------------------- */

/* Spec "VFIO cap header format". */
static const struct vfu_field cap_header_fields[] = {
	EN("id", 0, 2, struct vfu_region_cap, id, cap_id_names),
	U("version", 2, 2, struct vfu_region_cap, version),
	U("next", 4, 4, struct vfu_region_cap, next),
};
const struct vfu_struct_desc vfu_cap_header_desc = {
	"cap_header", VFIO_INFO_CAP_HDR_SIZE, cap_header_fields,
	NELEM(cap_header_fields)
};

/*
 * A capability of the chain as scenarios match and build it: the header,
 * then the scalar body fields of the ids this codec knows.  These have no
 * single wire place (a sparse mmap cap has nr_areas where a type cap has
 * type), so they are read and set through the decoded struct only (soff);
 * the codec itself encodes and decodes caps with the descs above and below.
 */
static const struct vfu_field region_cap_fields[] = {
	EN("id", 0, 2, struct vfu_region_cap, id, cap_id_names),
	U("version", 2, 2, struct vfu_region_cap, version),
	U("next", 4, 4, struct vfu_region_cap, next),
	U("nr_areas", 8, 4, struct vfu_region_cap, nr_areas),
	U("type", 8, 4, struct vfu_region_cap, type),
	U("subtype", 12, 4, struct vfu_region_cap, subtype),
};
const struct vfu_struct_desc vfu_region_cap_desc = {
	"region_cap", VFIO_INFO_CAP_HDR_SIZE, region_cap_fields,
	NELEM(region_cap_fields)
};

/* Spec "VFIO region info cap sparse mmap" (after the cap header). */
static const struct vfu_field sparse_area_fields[] = {
	U("offset", 0, 8, struct vfu_sparse_area, offset),
	U("size", 8, 8, struct vfu_sparse_area, size),
};
const struct vfu_struct_desc vfu_sparse_area_desc = {
	"sparse_area", VFIO_REGION_SPARSE_AREA_SIZE, sparse_area_fields,
	NELEM(sparse_area_fields)
};

static const struct vfu_field sparse_mmap_fields[] = {
	U("nr_areas", 0, 4, struct vfu_region_cap, nr_areas),
	RS("reserved", 4, 4, struct vfu_region_cap, reserved),
	VAR("areas", 8, VFU_FIELD_ARRAY, &vfu_sparse_area_desc),
};
const struct vfu_struct_desc vfu_sparse_mmap_desc = {
	"sparse_mmap", VFIO_REGION_SPARSE_HDR_SIZE, sparse_mmap_fields,
	NELEM(sparse_mmap_fields)
};

/* linux/vfio.h struct vfio_region_info_cap_type (after the cap header). */
static const struct vfu_field cap_type_fields[] = {
	U("type", 0, 4, struct vfu_region_cap, type),
	U("subtype", 4, 4, struct vfu_region_cap, subtype),
};
const struct vfu_struct_desc vfu_cap_type_desc = {
	"cap_type", VFIO_REGION_CAP_TYPE_SIZE, cap_type_fields,
	NELEM(cap_type_fields)
};

/* Spec "Sub-Region IO FD info format (ioeventfd)". */
static const struct vfu_field ioeventfd_fields[] = {
	U("offset", 0, 8, struct vfu_io_fd_sub_region, offset),
	U("size", 8, 8, struct vfu_io_fd_sub_region, size),
	U("fd_index", 16, 4, struct vfu_io_fd_sub_region, fd_index),
	EN("type", 20, 4, struct vfu_io_fd_sub_region, type, io_fd_type_names),
	FL("flags", 24, 4, struct vfu_io_fd_sub_region, flags,
	    ioeventfd_flag_names),
	RS("padding", 28, 4, struct vfu_io_fd_sub_region, padding),
	U("datamatch", 32, 8, struct vfu_io_fd_sub_region, datamatch),
};
const struct vfu_struct_desc vfu_ioeventfd_desc = {
	"ioeventfd", VFIO_USER_IO_FD_SUB_REGION_SIZE, ioeventfd_fields,
	NELEM(ioeventfd_fields)
};

/* Spec "Sub-Region IO FD info format (ioregionfd)". */
static const struct vfu_field ioregionfd_fields[] = {
	U("offset", 0, 8, struct vfu_io_fd_sub_region, offset),
	U("size", 8, 8, struct vfu_io_fd_sub_region, size),
	U("fd_index", 16, 4, struct vfu_io_fd_sub_region, fd_index),
	EN("type", 20, 4, struct vfu_io_fd_sub_region, type, io_fd_type_names),
	FL("flags", 24, 4, struct vfu_io_fd_sub_region, flags,
	    ioregionfd_flag_names),
	RS("padding", 28, 4, struct vfu_io_fd_sub_region, padding),
	U("user_data", 32, 8, struct vfu_io_fd_sub_region, datamatch),
};
const struct vfu_struct_desc vfu_ioregionfd_desc = {
	"ioregionfd", VFIO_USER_IO_FD_SUB_REGION_SIZE, ioregionfd_fields,
	NELEM(ioregionfd_fields)
};

/* Spec "Single Device Write Format": data is always 8 bytes. */
static const struct vfu_field write_multi_entry_fields[] = {
	U("offset", 0, 8, struct vfu_write_multi_entry, offset),
	U("region", 8, 4, struct vfu_write_multi_entry, region),
	U("count", 12, 4, struct vfu_write_multi_entry, count),
	FX("data", 16, 8, VFU_FIELD_DATA, struct vfu_write_multi_entry, data,
	    NULL),
};
const struct vfu_struct_desc vfu_write_multi_entry_desc = {
	"write_multi_entry", VFIO_USER_WRITE_MULTI_ENTRY,
	write_multi_entry_fields, NELEM(write_multi_entry_fields)
};

/* Spec VFIO_DEVICE_FEATURE_DMA_LOGGING_START, the ranges entries. */
static const struct vfu_field logging_range_fields[] = {
	U("iova", 0, 8, struct vfu_dma_logging_range, iova),
	U("length", 8, 8, struct vfu_dma_logging_range, length),
};
const struct vfu_struct_desc vfu_logging_range_desc = {
	"dma_logging_range", VFIO_DMA_LOGGING_RANGE_SIZE, logging_range_fields,
	NELEM(logging_range_fields)
};

/* Feature payloads: offsets from the start of DEVICE_FEATURE data. */
static const struct vfu_field feature_migration_fields[] = {
	FL("flags", 0, 8, struct vfu_device_feature, mig_flags,
	    migration_flag_names),
};
const struct vfu_struct_desc vfu_feature_migration_desc = {
	"migration", 8, feature_migration_fields,
	NELEM(feature_migration_fields)
};

static const struct vfu_field feature_mig_state_fields[] = {
	EN("device_state", 0, 4, struct vfu_device_feature, device_state,
	    device_state_names),
	U("data_fd", 4, 4, struct vfu_device_feature, data_fd),
};
const struct vfu_struct_desc vfu_feature_mig_state_desc = {
	"mig_device_state", 8, feature_mig_state_fields,
	NELEM(feature_mig_state_fields)
};

static const struct vfu_field feature_logging_start_fields[] = {
	U("page_size", 0, 8, struct vfu_device_feature, page_size),
	U("num_ranges", 8, 4, struct vfu_device_feature, num_ranges),
	RS("reserved", 12, 4, struct vfu_device_feature, reserved),
	VAR("ranges", 16, VFU_FIELD_ARRAY, &vfu_logging_range_desc),
};
const struct vfu_struct_desc vfu_feature_logging_start_desc = {
	"dma_logging_start", VFIO_DMA_LOGGING_START_SIZE,
	feature_logging_start_fields, NELEM(feature_logging_start_fields)
};

static const struct vfu_field feature_logging_report_fields[] = {
	U("iova", 0, 8, struct vfu_device_feature, iova),
	U("length", 8, 8, struct vfu_device_feature, length),
	U("page_size", 16, 8, struct vfu_device_feature, page_size),
	VAR("bitmap", 24, VFU_FIELD_DATA, NULL),	/* reply only, u64s */
};
const struct vfu_struct_desc vfu_feature_logging_report_desc = {
	"dma_logging_report", VFIO_DMA_LOGGING_REPORT_SIZE,
	feature_logging_report_fields, NELEM(feature_logging_report_fields)
};

/* ---- Messages ---------------------------------------------------------- */

/* VFIO_USER_VERSION, request and reply. */
static const struct vfu_field version_fields[] = {
	U("major", 0, 2, struct vfu_version, major),
	U("minor", 2, 2, struct vfu_version, minor),
	VAR("data", 4, VFU_FIELD_JSON, NULL),
};

/* VFIO_USER_DMA_MAP request. */
static const struct vfu_field dma_map_fields[] = {
	U("argsz", 0, 4, struct vfu_dma_map, argsz),
	FL("flags", 4, 4, struct vfu_dma_map, flags, dma_map_flag_names),
	U("offset", 8, 8, struct vfu_dma_map, offset),
	U("address", 16, 8, struct vfu_dma_map, address),
	U("size", 24, 8, struct vfu_dma_map, size),
};

/* VFIO_USER_DMA_UNMAP request and reply ("flags is unused"). */
static const struct vfu_field dma_unmap_fields[] = {
	U("argsz", 0, 4, struct vfu_dma_unmap, argsz),
	FL("flags", 4, 4, struct vfu_dma_unmap, flags, NULL),
	U("address", 8, 8, struct vfu_dma_unmap, address),
	U("size", 16, 8, struct vfu_dma_unmap, size),
};

/* VFIO_USER_DEVICE_GET_INFO request and reply. */
static const struct vfu_field device_info_fields[] = {
	U("argsz", 0, 4, struct vfu_device_info, argsz),
	FL("flags", 4, 4, struct vfu_device_info, flags, device_flag_names),
	U("num_regions", 8, 4, struct vfu_device_info, num_regions),
	U("num_irqs", 12, 4, struct vfu_device_info, num_irqs),
};

/* VFIO_USER_DEVICE_GET_REGION_INFO request; the reply adds the caps. */
#define REGION_INFO_FIXED						\
	U("argsz", 0, 4, struct vfu_region_info, argsz),		\
	FL("flags", 4, 4, struct vfu_region_info, flags, region_flag_names), \
	U("index", 8, 4, struct vfu_region_info, index),		\
	U("cap_offset", 12, 4, struct vfu_region_info, cap_offset),	\
	U("size", 16, 8, struct vfu_region_info, size),			\
	U("offset", 24, 8, struct vfu_region_info, offset)
static const struct vfu_field region_info_req_fields[] = {
	REGION_INFO_FIXED,
};
static const struct vfu_field region_info_rep_fields[] = {
	REGION_INFO_FIXED,
	VAR("caps", 32, VFU_FIELD_ARRAY, &vfu_region_cap_desc),
};

/* VFIO_USER_DEVICE_GET_REGION_IO_FDS ("flags must be zero"). */
#define IO_FDS_FIXED							\
	U("argsz", 0, 4, struct vfu_region_io_fds, argsz),		\
	RS("flags", 4, 4, struct vfu_region_io_fds, flags),		\
	U("index", 8, 4, struct vfu_region_io_fds, index),		\
	U("count", 12, 4, struct vfu_region_io_fds, count)
static const struct vfu_field io_fds_req_fields[] = {
	IO_FDS_FIXED,
};
static const struct vfu_field io_fds_rep_fields[] = {
	IO_FDS_FIXED,
	VAR("sub_regions", 16, VFU_FIELD_ARRAY, &vfu_ioeventfd_desc),
};

/* VFIO_USER_DEVICE_GET_IRQ_INFO request and reply. */
static const struct vfu_field irq_info_fields[] = {
	U("argsz", 0, 4, struct vfu_irq_info, argsz),
	FL("flags", 4, 4, struct vfu_irq_info, flags, irq_info_flag_names),
	U("index", 8, 4, struct vfu_irq_info, index),
	U("count", 12, 4, struct vfu_irq_info, count),
};

/* VFIO_USER_DEVICE_SET_IRQS request. */
static const struct vfu_field irq_set_fields[] = {
	U("argsz", 0, 4, struct vfu_irq_set, argsz),
	FL("flags", 4, 4, struct vfu_irq_set, flags, irq_set_flag_names),
	U("index", 8, 4, struct vfu_irq_set, index),
	U("start", 12, 4, struct vfu_irq_set, start),
	U("count", 16, 4, struct vfu_irq_set, count),
	VAR("data", 20, VFU_FIELD_DATA, NULL),
};

/* VFIO_USER_REGION_READ/WRITE: with and without data. */
#define REGION_ACCESS_FIXED						\
	U("offset", 0, 8, struct vfu_region_access, offset),		\
	U("region", 8, 4, struct vfu_region_access, region),		\
	U("count", 12, 4, struct vfu_region_access, count)
static const struct vfu_field region_access_fields[] = {
	REGION_ACCESS_FIXED,
};
static const struct vfu_field region_access_data_fields[] = {
	REGION_ACCESS_FIXED,
	VAR("data", 16, VFU_FIELD_DATA, NULL),
};

/* VFIO_USER_DMA_READ/WRITE: with and without data. */
#define DMA_ACCESS_FIXED						\
	U("address", 0, 8, struct vfu_dma_access, address),		\
	U("count", 8, 8, struct vfu_dma_access, count)
static const struct vfu_field dma_access_fields[] = {
	DMA_ACCESS_FIXED,
};
static const struct vfu_field dma_access_data_fields[] = {
	DMA_ACCESS_FIXED,
	VAR("data", 16, VFU_FIELD_DATA, NULL),
};
/* The DMA_WRITE reply table, literally: count is 4 bytes. */
static const struct vfu_field dma_write_reply_count4_fields[] = {
	U("address", 0, 8, struct vfu_dma_access, address),
	U("count", 8, 4, struct vfu_dma_access, count),
};

/* VFIO_USER_REGION_WRITE_MULTI request and reply. */
static const struct vfu_field write_multi_req_fields[] = {
	U("wr_cnt", 0, 8, struct vfu_write_multi, wr_cnt),
	VAR("wrs", 8, VFU_FIELD_ARRAY, &vfu_write_multi_entry_desc),
};
static const struct vfu_field write_multi_rep_fields[] = {
	U("wr_cnt", 0, 8, struct vfu_write_multi, wr_cnt),
};

/* VFIO_USER_DEVICE_FEATURE request and reply. */
static const struct vfu_field feature_fields[] = {
	U("argsz", 0, 4, struct vfu_device_feature, argsz),
	FL("flags", 4, 4, struct vfu_device_feature, flags,
	    feature_flag_names),
	VAR("data", 8, VFU_FIELD_DATA, NULL),
};

/* VFIO_USER_MIG_DATA_READ/WRITE: with and without data. */
static const struct vfu_field mig_data_fields[] = {
	U("argsz", 0, 4, struct vfu_mig_data, argsz),
	U("size", 4, 4, struct vfu_mig_data, size),
};
static const struct vfu_field mig_data_data_fields[] = {
	U("argsz", 0, 4, struct vfu_mig_data, argsz),
	U("size", 4, 4, struct vfu_mig_data, size),
	VAR("data", 8, VFU_FIELD_DATA, NULL),
};

#define C2S	VFU_CLIENT_TO_SERVER
#define S2C	VFU_SERVER_TO_CLIENT
#define MSG(cmd, rep, dr, nm, fixed, flds, pth) {			\
	.command = (cmd), .reply = (rep), .dir = (dr), .name = nm,	\
	.spec_name = "VFIO_USER_" nm, .fixed_size = (fixed),		\
	.fields = (flds), .nfields = NELEM(flds), .path = (pth) }
#define MSG0(cmd, rep, dr, nm, pth) {					\
	.command = (cmd), .reply = (rep), .dir = (dr), .name = nm,	\
	.spec_name = "VFIO_USER_" nm, .fixed_size = 0, .fields = NULL,	\
	.nfields = 0, .path = (pth) }

/* Every (command, reply) of the spec's Commands table, in command order. */
static const struct vfu_msg_desc msg_descs[] = {
	MSG(VFIO_USER_VERSION, 0, C2S, "VERSION", 4, version_fields,
	    "version"),
	MSG(VFIO_USER_VERSION, 1, C2S, "VERSION", 4, version_fields,
	    "version"),
	MSG(VFIO_USER_DMA_MAP, 0, C2S, "DMA_MAP", VFIO_USER_DMA_MAP_SIZE,
	    dma_map_fields, "dma_map"),
	MSG0(VFIO_USER_DMA_MAP, 1, C2S, "DMA_MAP", "dma_map"),
	MSG(VFIO_USER_DMA_UNMAP, 0, C2S, "DMA_UNMAP",
	    VFIO_USER_DMA_UNMAP_SIZE, dma_unmap_fields, "dma_unmap"),
	MSG(VFIO_USER_DMA_UNMAP, 1, C2S, "DMA_UNMAP",
	    VFIO_USER_DMA_UNMAP_SIZE, dma_unmap_fields, "dma_unmap"),
	MSG(VFIO_USER_DEVICE_GET_INFO, 0, C2S, "DEVICE_GET_INFO",
	    VFIO_USER_DEVICE_INFO_SIZE, device_info_fields, "device_info"),
	MSG(VFIO_USER_DEVICE_GET_INFO, 1, C2S, "DEVICE_GET_INFO",
	    VFIO_USER_DEVICE_INFO_SIZE, device_info_fields, "device_info"),
	MSG(VFIO_USER_DEVICE_GET_REGION_INFO, 0, C2S,
	    "DEVICE_GET_REGION_INFO", VFIO_USER_REGION_INFO_SIZE,
	    region_info_req_fields, "region_info"),
	MSG(VFIO_USER_DEVICE_GET_REGION_INFO, 1, C2S,
	    "DEVICE_GET_REGION_INFO", VFIO_USER_REGION_INFO_SIZE,
	    region_info_rep_fields, "region_info"),
	MSG(VFIO_USER_DEVICE_GET_REGION_IO_FDS, 0, C2S,
	    "DEVICE_GET_REGION_IO_FDS", VFIO_USER_REGION_IO_FDS_SIZE,
	    io_fds_req_fields, "region_io_fds"),
	MSG(VFIO_USER_DEVICE_GET_REGION_IO_FDS, 1, C2S,
	    "DEVICE_GET_REGION_IO_FDS", VFIO_USER_REGION_IO_FDS_SIZE,
	    io_fds_rep_fields, "region_io_fds"),
	MSG(VFIO_USER_DEVICE_GET_IRQ_INFO, 0, C2S, "DEVICE_GET_IRQ_INFO",
	    VFIO_USER_IRQ_INFO_SIZE, irq_info_fields, "irq_info"),
	MSG(VFIO_USER_DEVICE_GET_IRQ_INFO, 1, C2S, "DEVICE_GET_IRQ_INFO",
	    VFIO_USER_IRQ_INFO_SIZE, irq_info_fields, "irq_info"),
	MSG(VFIO_USER_DEVICE_SET_IRQS, 0, C2S, "DEVICE_SET_IRQS",
	    VFIO_USER_IRQ_SET_SIZE, irq_set_fields, "irq_set"),
	MSG0(VFIO_USER_DEVICE_SET_IRQS, 1, C2S, "DEVICE_SET_IRQS",
	    "irq_set"),
	MSG(VFIO_USER_REGION_READ, 0, C2S, "REGION_READ",
	    VFIO_USER_REGION_ACCESS_SIZE, region_access_fields,
	    "region_read"),
	MSG(VFIO_USER_REGION_READ, 1, C2S, "REGION_READ",
	    VFIO_USER_REGION_ACCESS_SIZE, region_access_data_fields,
	    "region_read"),
	MSG(VFIO_USER_REGION_WRITE, 0, C2S, "REGION_WRITE",
	    VFIO_USER_REGION_ACCESS_SIZE, region_access_data_fields,
	    "region_write"),
	MSG(VFIO_USER_REGION_WRITE, 1, C2S, "REGION_WRITE",
	    VFIO_USER_REGION_ACCESS_SIZE, region_access_fields,
	    "region_write"),
	MSG(VFIO_USER_DMA_READ, 0, S2C, "DMA_READ",
	    VFIO_USER_DMA_ACCESS_SIZE, dma_access_fields, "dma_read"),
	MSG(VFIO_USER_DMA_READ, 1, S2C, "DMA_READ",
	    VFIO_USER_DMA_ACCESS_SIZE, dma_access_data_fields, "dma_read"),
	MSG(VFIO_USER_DMA_WRITE, 0, S2C, "DMA_WRITE",
	    VFIO_USER_DMA_ACCESS_SIZE, dma_access_data_fields, "dma_write"),
	MSG(VFIO_USER_DMA_WRITE, 1, S2C, "DMA_WRITE",
	    VFIO_USER_DMA_ACCESS_SIZE, dma_access_fields, "dma_write"),
	MSG0(VFIO_USER_DEVICE_RESET, 0, C2S, "DEVICE_RESET", "device_reset"),
	MSG0(VFIO_USER_DEVICE_RESET, 1, C2S, "DEVICE_RESET", "device_reset"),
	MSG(VFIO_USER_REGION_WRITE_MULTI, 0, C2S, "REGION_WRITE_MULTI", 8,
	    write_multi_req_fields, "write_multi"),
	MSG(VFIO_USER_REGION_WRITE_MULTI, 1, C2S, "REGION_WRITE_MULTI", 8,
	    write_multi_rep_fields, "write_multi"),
	MSG(VFIO_USER_DEVICE_FEATURE, 0, C2S, "DEVICE_FEATURE",
	    VFIO_USER_DEVICE_FEATURE_SIZE, feature_fields, "device_feature"),
	MSG(VFIO_USER_DEVICE_FEATURE, 1, C2S, "DEVICE_FEATURE",
	    VFIO_USER_DEVICE_FEATURE_SIZE, feature_fields, "device_feature"),
	MSG(VFIO_USER_MIG_DATA_READ, 0, C2S, "MIG_DATA_READ",
	    VFIO_USER_MIG_DATA_SIZE, mig_data_fields, "mig_data_read"),
	MSG(VFIO_USER_MIG_DATA_READ, 1, C2S, "MIG_DATA_READ",
	    VFIO_USER_MIG_DATA_SIZE, mig_data_data_fields, "mig_data_read"),
	MSG(VFIO_USER_MIG_DATA_WRITE, 0, C2S, "MIG_DATA_WRITE",
	    VFIO_USER_MIG_DATA_SIZE, mig_data_data_fields, "mig_data_write"),
	MSG0(VFIO_USER_MIG_DATA_WRITE, 1, C2S, "MIG_DATA_WRITE",
	    "mig_data_write"),
};

const struct vfu_msg_desc vfu_dma_write_reply_count4_desc =
	MSG(VFIO_USER_DMA_WRITE, 1, S2C, "DMA_WRITE", 12,
	    dma_write_reply_count4_fields, "dma_write");

const struct vfu_msg_desc *
vfu_msg_desc(uint16_t command, int reply)
{
	size_t	i;

	for (i = 0; i < NELEM(msg_descs); i++)
		if (msg_descs[i].command == command &&
		    msg_descs[i].reply == (reply != 0))
			return (&msg_descs[i]);
	return (NULL);
}

const struct vfu_msg_desc *
vfu_msg_desc_by_name(const char *name, int reply)
{
	size_t	i;

	if (name == NULL)
		return (NULL);
	for (i = 0; i < NELEM(msg_descs); i++) {
		if (msg_descs[i].reply != (reply != 0))
			continue;
		if (strcmp(msg_descs[i].name, name) == 0 ||
		    strcmp(msg_descs[i].spec_name, name) == 0)
			return (&msg_descs[i]);
	}
	return (NULL);
}

const char *
vfu_command_name(uint16_t command)
{
	const struct vfu_msg_desc *md;

	if ((md = vfu_msg_desc(command, 0)) == NULL)
		return (NULL);
	return (md->spec_name);
}

const struct vfu_struct_desc *
vfu_feature_desc(enum vfu_feature_data form)
{
	switch (form) {
	case VFU_FEATURE_DATA_MIGRATION:
		return (&vfu_feature_migration_desc);
	case VFU_FEATURE_DATA_MIG_STATE:
		return (&vfu_feature_mig_state_desc);
	case VFU_FEATURE_DATA_LOGGING_START:
		return (&vfu_feature_logging_start_desc);
	case VFU_FEATURE_DATA_LOGGING_REPORT:
		return (&vfu_feature_logging_report_desc);
	case VFU_FEATURE_DATA_NONE:
	case VFU_FEATURE_DATA_RAW:
		break;
	}
	return (NULL);
}

const struct vfu_field *
vfu_field_find(const struct vfu_field *fields, size_t nfields,
    const char *name)
{
	size_t	i;

	if (fields == NULL || name == NULL)
		return (NULL);
	for (i = 0; i < nfields; i++)
		if (strcmp(fields[i].name, name) == 0)
			return (&fields[i]);
	return (NULL);
}

/* The size of the decoded member behind f. */
static size_t
field_ssize(const struct vfu_field *f)
{
	return (f->ssize != 0 ? f->ssize : f->size);
}

/*
 * Variable fields (size 0) have no scalar value: get returns 0 and set does
 * nothing.  A fixed DATA field (write_multi data) reads as the u64 its bytes
 * make in host order, which is the wire order.
 */
uint64_t
vfu_field_get(const void *s, const struct vfu_field *f)
{
	const uint8_t	*p = (const uint8_t *)s + f->soff;
	uint8_t		 u8;
	uint16_t	 u16;
	uint32_t	 u32;
	uint64_t	 u64;

	if (f->size == 0)
		return (0);
	switch (field_ssize(f)) {
	case 1:
		memcpy(&u8, p, 1);
		return (u8);
	case 2:
		memcpy(&u16, p, 2);
		return (u16);
	case 4:
		memcpy(&u32, p, 4);
		return (u32);
	case 8:
		memcpy(&u64, p, 8);
		return (u64);
	}
	return (0);
}

void
vfu_field_set(void *s, const struct vfu_field *f, uint64_t v)
{
	uint8_t		*p = (uint8_t *)s + f->soff;
	uint8_t		 u8 = (uint8_t)v;
	uint16_t	 u16 = (uint16_t)v;
	uint32_t	 u32 = (uint32_t)v;

	if (f->size == 0)
		return;
	switch (field_ssize(f)) {
	case 1:
		memcpy(p, &u8, 1);
		break;
	case 2:
		memcpy(p, &u16, 2);
		break;
	case 4:
		memcpy(p, &u32, 4);
		break;
	case 8:
		memcpy(p, &v, 8);
		break;
	}
}

/* Numbers below 65536 print in decimal, larger ones (addresses) in hex. */
static void
format_number(uint64_t v, char *buf, size_t len)
{
	if (v < 65536)
		snprintf(buf, len, "%" PRIu64, v);
	else
		snprintf(buf, len, "0x%" PRIx64, v);
}

/* Appends s to buf (len bytes), with a '|' before it unless first. */
static void
format_append(char *buf, size_t len, size_t *used, const char *s)
{
	int	n;

	if (*used >= len)
		return;
	n = snprintf(buf + *used, len - *used, "%s%s", *used > 0 ? "|" : "",
	    s);
	if (n > 0)
		*used += (size_t)n;
}

const char *
vfu_field_format(const struct vfu_field *f, uint64_t v, char *buf, size_t len)
{
	const struct vfu_name *n;
	uint64_t	covered = 0;
	size_t		used = 0;
	char		hex[32];

	if (len == 0)
		return (buf);
	buf[0] = '\0';
	if (f->names != NULL && f->kind == VFU_FIELD_ENUM) {
		for (n = f->names; n->name != NULL; n++)
			if ((v & n->mask) == n->value) {
				snprintf(buf, len, "%s", n->name);
				return (buf);
			}
	}
	if (f->names == NULL || f->kind != VFU_FIELD_FLAGS) {
		format_number(v, buf, len);
		return (buf);
	}
	/* Flags: each group (mask) is named at most once. */
	for (n = f->names; n->name != NULL; n++) {
		if ((n->mask & covered) != 0 || (v & n->mask) != n->value)
			continue;
		covered |= n->mask;
		format_append(buf, len, &used, n->name);
	}
	if ((v & ~covered) != 0 || used == 0) {
		if ((v & ~covered) == 0)
			snprintf(hex, sizeof(hex), "0");
		else
			snprintf(hex, sizeof(hex), "0x%" PRIx64, v & ~covered);
		format_append(buf, len, &used, hex);
	}
	return (buf);
}
