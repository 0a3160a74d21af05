/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * proto.h: the vfio-user wire protocol, named as the specification
 * (QEMU docs/interop/vfio-user.rst) names it.  Constants keep the spec's
 * spelling; the structs are *decoded* forms in host order, filled by the codec
 * through bounded cursors.  They are never laid over wire bytes.
 *
 * Offsets in comments are payload offsets (after the 16-byte header), as the
 * spec's tables give them.  No I/O, no globals, no functions.
 */
#ifndef VFU_PROTO_H
#define VFU_PROTO_H

#include <stddef.h>
#include <stdint.h>

/* ---- Commands (spec "Commands"); wire values, never renumber ------------ */
enum vfio_user_command {
	VFIO_USER_VERSION			= 1,
	VFIO_USER_DMA_MAP			= 2,
	VFIO_USER_DMA_UNMAP			= 3,
	VFIO_USER_DEVICE_GET_INFO		= 4,
	VFIO_USER_DEVICE_GET_REGION_INFO	= 5,
	VFIO_USER_DEVICE_GET_REGION_IO_FDS	= 6,
	VFIO_USER_DEVICE_GET_IRQ_INFO		= 7,
	VFIO_USER_DEVICE_SET_IRQS		= 8,
	VFIO_USER_REGION_READ			= 9,
	VFIO_USER_REGION_WRITE			= 10,
	VFIO_USER_DMA_READ			= 11,
	VFIO_USER_DMA_WRITE			= 12,
	VFIO_USER_DEVICE_RESET			= 13,
	/* 14 is not in the spec (it was DIRTY_PAGES): keep the gap */
	VFIO_USER_REGION_WRITE_MULTI		= 15,
	VFIO_USER_DEVICE_FEATURE		= 16,
	VFIO_USER_MIG_DATA_READ			= 17,
	VFIO_USER_MIG_DATA_WRITE		= 18,
};
#define VFIO_USER_MAX_COMMAND		18

/* ---- Header (spec "Header"), 16 bytes ---------------------------------- */
#define VFIO_USER_HDR_SIZE		16
struct vfu_hdr {
	uint16_t	msg_id;		/* 0: echoed in the reply */
	uint16_t	command;	/* 2: also set in the reply */
	uint32_t	msg_size;	/* 4: whole message, header included */
	uint32_t	flags;		/* 8 */
#define VFIO_USER_F_TYPE_MASK		0xfu	/* bits 0-3 */
#define VFIO_USER_F_TYPE_COMMAND	0x0u
#define VFIO_USER_F_TYPE_REPLY		0x1u
#define VFIO_USER_F_NO_REPLY		(1u << 4)
#define VFIO_USER_F_ERROR		(1u << 5)
	uint32_t	error;		/* 12: errno in an error reply */
};

/* ---- VFIO_USER_VERSION (request and reply share the format) ------------ */
#define VFIO_USER_MAJOR			0
#define VFIO_USER_MINOR			0
struct vfu_version {
	uint16_t	 major;		/* 0 */
	uint16_t	 minor;		/* 2 */
	const uint8_t	*data;		/* 4: JSON incl. its NUL, as on the wire;
					 * NULL when absent.  Points into the
					 * decoded buffer (or the caller's). */
	size_t		 data_len;
};

/* Capability defaults (spec "VFIO_USER_VERSION", Capabilities table). */
#define VFIO_USER_DEF_MAX_MSG_FDS	1
#define VFIO_USER_DEF_MAX_DATA_XFER	1048576
#define VFIO_USER_DEF_MAX_DMA_MAPS	65535
#define VFIO_USER_DEF_PGSIZES		4096

/* ---- VFIO_USER_DMA_MAP request (32 bytes); the reply has no payload ----- */
struct vfu_dma_map {
	uint32_t	argsz;		/* 0: size of this structure (32) */
	uint32_t	flags;		/* 4 */
#define VFIO_USER_F_DMA_REGION_READ	(1u << 0)
#define VFIO_USER_F_DMA_REGION_WRITE	(1u << 1)
	uint64_t	offset;		/* 8: file offset for the fd, else 0 */
	uint64_t	address;	/* 16 */
	uint64_t	size;		/* 24 */
};
#define VFIO_USER_DMA_MAP_SIZE		32

/* ---- VFIO_USER_DMA_UNMAP request and reply (24 bytes) ------------------ */
struct vfu_dma_unmap {
	uint32_t	argsz;		/* 0: maximum size of the reply payload */
	uint32_t	flags;		/* 4: unused in this version */
	uint64_t	address;	/* 8 */
	uint64_t	size;		/* 16 */
};
#define VFIO_USER_DMA_UNMAP_SIZE	24

/* ---- VFIO_USER_DEVICE_GET_INFO request and reply (16 bytes) ------------ */
struct vfu_device_info {
	uint32_t	argsz;		/* 0 */
	uint32_t	flags;		/* 4 */
#define VFIO_DEVICE_FLAGS_RESET		(1u << 0)
#define VFIO_DEVICE_FLAGS_PCI		(1u << 1)
	uint32_t	num_regions;	/* 8 */
	uint32_t	num_irqs;	/* 12 */
};
#define VFIO_USER_DEVICE_INFO_SIZE	16

/* PCI region and IRQ indexes (linux/vfio.h, referenced by the spec). */
enum vfio_pci_region_index {
	VFIO_PCI_BAR0_REGION_INDEX	= 0,
	VFIO_PCI_BAR1_REGION_INDEX	= 1,
	VFIO_PCI_BAR2_REGION_INDEX	= 2,
	VFIO_PCI_BAR3_REGION_INDEX	= 3,
	VFIO_PCI_BAR4_REGION_INDEX	= 4,
	VFIO_PCI_BAR5_REGION_INDEX	= 5,
	VFIO_PCI_ROM_REGION_INDEX	= 6,
	VFIO_PCI_CONFIG_REGION_INDEX	= 7,
	VFIO_PCI_VGA_REGION_INDEX	= 8,
	VFIO_PCI_NUM_REGIONS		= 9,
};
enum vfio_pci_irq_index {
	VFIO_PCI_INTX_IRQ_INDEX		= 0,
	VFIO_PCI_MSI_IRQ_INDEX		= 1,
	VFIO_PCI_MSIX_IRQ_INDEX		= 2,
	VFIO_PCI_ERR_IRQ_INDEX		= 3,
	VFIO_PCI_REQ_IRQ_INDEX		= 4,
	VFIO_PCI_NUM_IRQS		= 5,
};

/* ---- Region capabilities (spec "VFIO region capabilities") ------------- */
#define VFIO_REGION_INFO_CAP_SPARSE_MMAP	1	/* linux/vfio.h */
#define VFIO_REGION_INFO_CAP_TYPE		2	/* linux/vfio.h */
#define VFIO_INFO_CAP_HDR_SIZE			8	/* id, version, next */
#define VFIO_REGION_SPARSE_HDR_SIZE		8	/* nr_areas, reserved */
#define VFIO_REGION_SPARSE_AREA_SIZE		16	/* offset, size */
#define VFIO_REGION_CAP_TYPE_SIZE		8	/* type, subtype */

struct vfu_sparse_area {
	uint64_t	offset;		/* 0: added to the region's offset */
	uint64_t	size;		/* 8 */
};

/* One capability of the chain, in chain order. */
struct vfu_region_cap {
	uint16_t	 id;		/* cap header 0 */
	uint16_t	 version;	/* cap header 2 */
	uint32_t	 next;		/* cap header 4: from the region info start */
	uint32_t	 pos;		/* where this cap starts, from the region
					 * info start (payload offset) */
	/* VFIO_REGION_INFO_CAP_SPARSE_MMAP */
	uint32_t	 nr_areas;
	uint32_t	 reserved;
	struct vfu_sparse_area *areas;	/* the areas present */
	size_t		 nareas;	/* entries in areas (<= nr_areas when
					 * the payload is cut short) */
	/* VFIO_REGION_INFO_CAP_TYPE */
	uint32_t	 type;
	uint32_t	 subtype;
	/* any id: the bytes after the 8-byte cap header up to the next cap or
	 * the end of the payload (points into the decoded buffer) */
	const uint8_t	*body;
	size_t		 body_len;
};

/* ---- VFIO_USER_DEVICE_GET_REGION_INFO request and reply (32 + caps) ---- */
struct vfu_region_info {
	uint32_t	argsz;		/* 0 */
	uint32_t	flags;		/* 4 */
#define VFIO_REGION_INFO_FLAG_READ	(1u << 0)
#define VFIO_REGION_INFO_FLAG_WRITE	(1u << 1)
#define VFIO_REGION_INFO_FLAG_MMAP	(1u << 2)
#define VFIO_REGION_INFO_FLAG_CAPS	(1u << 3)
	uint32_t	index;		/* 8 */
	uint32_t	cap_offset;	/* 12: from the region info start */
	uint64_t	size;		/* 16 */
	uint64_t	offset;		/* 24: mmap() offset */
	/* reply only: the capability chain as far as the payload holds it */
	struct vfu_region_cap *caps;
	size_t		ncaps;
	int		caps_truncated;	/* argsz > payload: caps not included */
};
#define VFIO_USER_REGION_INFO_SIZE	32

/* ---- VFIO_USER_DEVICE_GET_REGION_IO_FDS -------------------------------- */
/* Sub-region types.  The spec names them without values; these are
 * libvfio-user's (see docs/spec-notes.md). */
#define VFIO_USER_IO_FD_TYPE_IOEVENTFD		0
#define VFIO_USER_IO_FD_TYPE_IOREGIONFD		1
#define VFIO_USER_IO_FD_SUB_REGION_SIZE		40
/* linux/kvm.h */
#define KVM_IOEVENTFD_FLAG_DATAMATCH		(1u << 0)
#define KVM_IOEVENTFD_FLAG_PIO			(1u << 1)
#define KVM_IOEVENTFD_FLAG_DEASSIGN		(1u << 2)
#define KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY	(1u << 3)
#define KVM_IOREGION_PIO			(1u << 0)
#define KVM_IOREGION_POSTED_WRITES		(1u << 1)

struct vfu_io_fd_sub_region {
	uint64_t	offset;		/* 0 */
	uint64_t	size;		/* 8 */
	uint32_t	fd_index;	/* 16 */
	uint32_t	type;		/* 20 */
	uint32_t	flags;		/* 24 */
	uint32_t	padding;	/* 28 */
	uint64_t	datamatch;	/* 32: user_data for ioregionfd */
};

struct vfu_region_io_fds {
	uint32_t	argsz;		/* 0 */
	uint32_t	flags;		/* 4 */
	uint32_t	index;		/* 8 */
	uint32_t	count;		/* 12 */
	/* reply only */
	struct vfu_io_fd_sub_region *sub_regions;
	size_t		nsub;		/* entries actually present */
	int		truncated;	/* argsz > payload: array cut short */
};
#define VFIO_USER_REGION_IO_FDS_SIZE	16

/* ---- VFIO_USER_DEVICE_GET_IRQ_INFO request and reply (16 bytes) -------- */
struct vfu_irq_info {
	uint32_t	argsz;		/* 0 */
	uint32_t	flags;		/* 4 */
#define VFIO_IRQ_INFO_EVENTFD		(1u << 0)
#define VFIO_IRQ_INFO_MASKABLE		(1u << 1)
#define VFIO_IRQ_INFO_AUTOMASKED	(1u << 2)
#define VFIO_IRQ_INFO_NORESIZE		(1u << 3)
	uint32_t	index;		/* 8 */
	uint32_t	count;		/* 12 */
};
#define VFIO_USER_IRQ_INFO_SIZE		16

/* ---- VFIO_USER_DEVICE_SET_IRQS request (20 + data); empty reply -------- */
struct vfu_irq_set {
	uint32_t	 argsz;		/* 0: request size including data */
	uint32_t	 flags;		/* 4 */
#define VFIO_IRQ_SET_DATA_NONE		(1u << 0)
#define VFIO_IRQ_SET_DATA_BOOL		(1u << 1)
#define VFIO_IRQ_SET_DATA_EVENTFD	(1u << 2)
#define VFIO_IRQ_SET_ACTION_MASK	(1u << 3)
#define VFIO_IRQ_SET_ACTION_UNMASK	(1u << 4)
#define VFIO_IRQ_SET_ACTION_TRIGGER	(1u << 5)
#define VFIO_IRQ_SET_DATA_TYPE_MASK	0x07u
#define VFIO_IRQ_SET_ACTION_TYPE_MASK	0x38u
	uint32_t	 index;		/* 8 */
	uint32_t	 start;		/* 12 */
	uint32_t	 count;		/* 16 */
	const uint8_t	*data;		/* 20: bool bytes (DATA_BOOL), as on the
					 * wire; points into the buffer */
	size_t		 data_len;
};
#define VFIO_USER_IRQ_SET_SIZE		20

/* ---- VFIO_USER_REGION_READ / _WRITE (16 + data) ------------------------ */
/* Read request and write reply have no data; read reply and write request
 * carry count bytes. */
struct vfu_region_access {
	uint64_t	 offset;	/* 0 */
	uint32_t	 region;	/* 8 */
	uint32_t	 count;		/* 12 */
	const uint8_t	*data;		/* 16: points into the buffer */
	size_t		 data_len;
};
#define VFIO_USER_REGION_ACCESS_SIZE	16

/* ---- VFIO_USER_DMA_READ / _WRITE (server -> client; 16 + data) --------- */
/*
 * The DMA_WRITE reply's table gives count 4 bytes while every other form
 * (and QEMU, and libvfio-user) uses 8: the decoder takes both and records
 * which it saw in count_size (docs/spec-notes.md); the encoder writes
 * count_size bytes (8 when 0).
 */
struct vfu_dma_access {
	uint64_t	 address;	/* 0 */
	uint64_t	 count;		/* 8 */
	uint8_t		 count_size;	/* 4 or 8: the wire width of count */
	const uint8_t	*data;		/* 16: points into the buffer */
	size_t		 data_len;
};
#define VFIO_USER_DMA_ACCESS_SIZE	16

/* ---- VFIO_USER_REGION_WRITE_MULTI (8 + 24 * wr_cnt); reply 8 ----------- */
#define VFIO_USER_WRITE_MULTI_DATA	8	/* bytes of data per write */
#define VFIO_USER_WRITE_MULTI_ENTRY	24
#define VFIO_USER_WRITE_MULTI_MAX	200	/* QEMU's batch size; not spec */
struct vfu_write_multi_entry {
	uint64_t	offset;		/* 0 */
	uint32_t	region;		/* 8 */
	uint32_t	count;		/* 12: at most 8 */
	uint8_t		data[VFIO_USER_WRITE_MULTI_DATA];	/* 16 */
};
struct vfu_write_multi {
	uint64_t	 wr_cnt;	/* 0 */
	/* request only */
	struct vfu_write_multi_entry *wrs;
	size_t		 nwrs;		/* entries actually present */
};

/* ---- VFIO_USER_DEVICE_FEATURE (8 + data) ------------------------------- */
#define VFIO_DEVICE_FEATURE_MASK		0xffffu
#define VFIO_DEVICE_FEATURE_GET			(1u << 16)
#define VFIO_DEVICE_FEATURE_SET			(1u << 17)
#define VFIO_DEVICE_FEATURE_PROBE		(1u << 18)
#define VFIO_DEVICE_FEATURE_MIGRATION		1
#define VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE	2
#define VFIO_DEVICE_FEATURE_DMA_LOGGING_START	6
#define VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP	7
#define VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT	8

#define VFIO_MIGRATION_STOP_COPY	(1ull << 0)
#define VFIO_MIGRATION_P2P		(1ull << 1)
#define VFIO_MIGRATION_PRE_COPY		(1ull << 2)

enum vfio_device_mig_state {
	VFIO_DEVICE_STATE_ERROR		= 0,
	VFIO_DEVICE_STATE_STOP		= 1,
	VFIO_DEVICE_STATE_RUNNING	= 2,
	VFIO_DEVICE_STATE_STOP_COPY	= 3,
	VFIO_DEVICE_STATE_RESUMING	= 4,
	VFIO_DEVICE_STATE_RUNNING_P2P	= 5,
	VFIO_DEVICE_STATE_PRE_COPY	= 6,
	VFIO_DEVICE_STATE_PRE_COPY_P2P	= 7,
};

struct vfu_dma_logging_range {
	uint64_t	iova;		/* 0 */
	uint64_t	length;		/* 8 */
};
#define VFIO_DMA_LOGGING_RANGE_SIZE	16
#define VFIO_DMA_LOGGING_START_SIZE	16	/* before the ranges */
#define VFIO_DMA_LOGGING_REPORT_SIZE	24	/* before the bitmap */

/* Which form the data of a DEVICE_FEATURE message took. */
enum vfu_feature_data {
	VFU_FEATURE_DATA_NONE = 0,	/* no data (probe, or none sent) */
	VFU_FEATURE_DATA_MIGRATION,	/* flags */
	VFU_FEATURE_DATA_MIG_STATE,	/* device_state, data_fd */
	VFU_FEATURE_DATA_LOGGING_START,	/* page_size .. ranges */
	VFU_FEATURE_DATA_LOGGING_REPORT,	/* iova .. page_size [bitmap] */
	VFU_FEATURE_DATA_RAW,		/* a feature this codec does not know */
};

struct vfu_device_feature {
	uint32_t	 argsz;		/* 0 */
	uint32_t	 flags;		/* 4: feature index | GET/SET/PROBE */
	enum vfu_feature_data form;	/* which members below are valid */
	/* VFIO_DEVICE_FEATURE_MIGRATION (reply to GET) */
	uint64_t	 mig_flags;	/* data 0 */
	/* VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE */
	uint32_t	 device_state;	/* data 0 */
	uint32_t	 data_fd;	/* data 4: unused in vfio-user */
	/* VFIO_DEVICE_FEATURE_DMA_LOGGING_START (SET) */
	uint64_t	 page_size;	/* data 0; REPORT: data 16 */
	uint32_t	 num_ranges;	/* data 8 */
	uint32_t	 reserved;	/* data 12 */
	struct vfu_dma_logging_range *ranges;	/* data 16  */
	size_t		 nranges;	/* entries actually present */
	/* VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT (GET) */
	uint64_t	 iova;		/* data 0 */
	uint64_t	 length;	/* data 8 */
	const uint64_t	*bitmap;	/* data 24, reply only */
	size_t		 bitmap_words;
	/* Any form: the data bytes as on the wire (points into the buffer). */
	const uint8_t	*data;
	size_t		 data_len;
	int		 truncated;	/* a reply without its data, argsz > 8:
					 * the request's argsz was too small */
};
#define VFIO_USER_DEVICE_FEATURE_SIZE	8

/* ---- VFIO_USER_MIG_DATA_READ / _WRITE (8 + data) ----------------------- */
struct vfu_mig_data {
	uint32_t	 argsz;		/* 0 */
	uint32_t	 size;		/* 4 */
	const uint8_t	*data;		/* 8: points into the buffer */
	size_t		 data_len;
};
#define VFIO_USER_MIG_DATA_SIZE		8

struct vfu_arena;

/* ---- A whole decoded message ------------------------------------------- */
struct vfu_msg {
	struct vfu_hdr	 hdr;
	/* The payload bytes (after the header) as decoded; points into the
	 * caller's buffer, which must outlive the message. */
	const uint8_t	*payload;
	size_t		 payload_len;
	/*
	 * Which member of u is valid: set from (hdr.command, reply bit).
	 * An error reply (VFIO_USER_F_ERROR in a reply) decodes no body:
	 * u is zero and payload/payload_len show whatever followed the header.
	 */
	union {
		struct vfu_version		version;
		struct vfu_dma_map		dma_map;
		struct vfu_dma_unmap		dma_unmap;
		struct vfu_device_info		device_info;
		struct vfu_region_info		region_info;
		struct vfu_region_io_fds	region_io_fds;
		struct vfu_irq_info		irq_info;
		struct vfu_irq_set		irq_set;
		struct vfu_region_access	region_access;
		struct vfu_dma_access		dma_access;
		struct vfu_write_multi		write_multi;
		struct vfu_device_feature	feature;
		struct vfu_mig_data		mig_data;
	} u;
	/*
	 * Every array the decoder allocated (caps, areas, sub_regions, wrs,
	 * ranges, bitmap) hangs off here; vfu_msg_release() frees it.  A
	 * message built by hand for encoding leaves it NULL and points the
	 * arrays at its own storage.
	 */
	struct vfu_arena *arena;
};

#endif /* VFU_PROTO_H */
