/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * codec: encode and decode every vfio-user message, both directions, through
 * bounded cursors (buf.h), and describe each message with a field table that
 * the scenario loader, the matcher, the linter and the reports share.
 *
 * Decoding never reads past the bytes it was given, whatever msg_size, argsz
 * or a count claims; a decode error names the field path and byte offset
 * (from the start of the message, header included).  Encoding writes exactly
 * what the struct says, so malformed messages can be built on purpose;
 * vfu_msg_autofill() computes what a correct message would carry.
 *
 * No I/O, no globals beyond const tables, never prints.
 */
#ifndef VFU_CODEC_H
#define VFU_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

struct diag;
struct wbuf;

/* ---- Field tables ------------------------------------------------------ */

enum vfu_field_kind {
	VFU_FIELD_UINT,		/* unsigned integer of size 1, 2, 4 or 8 */
	VFU_FIELD_FLAGS,	/* bit field; bits named in .names */
	VFU_FIELD_ENUM,		/* value named in .names (mask = all ones) */
	VFU_FIELD_RESERVED,	/* reserved/padding/unused: should be zero */
	VFU_FIELD_DATA,		/* variable bytes to the end (size 0) */
	VFU_FIELD_ARRAY,	/* variable array of .elem (size 0) */
	VFU_FIELD_JSON,		/* VERSION data: JSON with NUL (size 0) */
};

/* A named bit, bit group or value: (v & mask) == value. */
struct vfu_name {
	const char	*name;		/* spec spelling, e.g. "VFIO_IRQ_SET_DATA_BOOL" */
	uint64_t	 mask;
	uint64_t	 value;
};

struct vfu_struct_desc;

struct vfu_field {
	const char	*name;		/* spec spelling, e.g. "cap_offset" */
	uint16_t	 off;		/* wire offset in the payload/structure */
	uint16_t	 size;		/* 1, 2, 4, 8; 0 = variable */
	enum vfu_field_kind kind;
	size_t		 soff;		/* offsetof() in the decoded struct, for
					 * fixed-size fields */
	const struct vfu_name *names;	/* NULL-terminated, or NULL */
	const struct vfu_struct_desc *elem;	/* VFU_FIELD_ARRAY element */
	uint8_t		 ssize;		/* sizeof the decoded member when it
					 * differs from size (0 = same) */
};

/* A sub-structure: a sparse area, a cap header, an IO FD sub-region... */
struct vfu_struct_desc {
	const char	*name;		/* e.g. "sparse_area" */
	size_t		 size;		/* wire size of one element */
	const struct vfu_field *fields;
	size_t		 nfields;
};

enum vfu_direction {
	VFU_CLIENT_TO_SERVER,		/* the request's direction */
	VFU_SERVER_TO_CLIENT,
};

/* One message: a (command, request|reply) pair. */
struct vfu_msg_desc {
	uint16_t	 command;
	uint8_t		 reply;		/* 0 request, 1 reply */
	enum vfu_direction dir;		/* direction of the *request* */
	const char	*name;		/* "DMA_MAP" */
	const char	*spec_name;	/* "VFIO_USER_DMA_MAP" (the section title) */
	size_t		 fixed_size;	/* payload bytes before any variable part */
	const struct vfu_field *fields;	/* payload fields, wire order */
	size_t		 nfields;
	const char	*path;		/* field path prefix in diagnostics,
					 * e.g. "region_info" */
};

/* The header as a struct: msg_id, command, msg_size, flags, error. */
extern const struct vfu_struct_desc vfu_hdr_desc;

/*
 * Sub-structures.  Offsets are relative to the start of the structure; for
 * the capability bodies that is the byte after the 8-byte cap header, for the
 * feature payloads the start of DEVICE_FEATURE data (payload offset 8).
 * soff is into struct vfu_region_cap (cap header, sparse mmap, cap type),
 * struct vfu_sparse_area, struct vfu_io_fd_sub_region,
 * struct vfu_write_multi_entry, struct vfu_dma_logging_range, and
 * struct vfu_device_feature (the feature payloads).
 */
extern const struct vfu_struct_desc vfu_cap_header_desc;
/* The elements of region_info.caps for scenarios: header plus nr_areas,
 * type and subtype, through the decoded struct only. */
extern const struct vfu_struct_desc vfu_region_cap_desc;
extern const struct vfu_struct_desc vfu_sparse_mmap_desc;
extern const struct vfu_struct_desc vfu_sparse_area_desc;
extern const struct vfu_struct_desc vfu_cap_type_desc;
extern const struct vfu_struct_desc vfu_ioeventfd_desc;
extern const struct vfu_struct_desc vfu_ioregionfd_desc;
extern const struct vfu_struct_desc vfu_write_multi_entry_desc;
extern const struct vfu_struct_desc vfu_logging_range_desc;
extern const struct vfu_struct_desc vfu_feature_migration_desc;
extern const struct vfu_struct_desc vfu_feature_mig_state_desc;
extern const struct vfu_struct_desc vfu_feature_logging_start_desc;
extern const struct vfu_struct_desc vfu_feature_logging_report_desc;

/*
 * The DMA_WRITE reply exactly as the spec's table gives it (count 4 bytes,
 * 12-byte payload).  vfu_msg_desc(VFIO_USER_DMA_WRITE, 1) describes the
 * 8-byte count that QEMU and libvfio-user send; the decoder takes both and
 * sets dma_access.count_size (docs/spec-notes.md).
 */
extern const struct vfu_msg_desc vfu_dma_write_reply_count4_desc;

/* The struct desc of a DEVICE_FEATURE data form, NULL for NONE and RAW. */
const struct vfu_struct_desc *vfu_feature_desc(enum vfu_feature_data form);
/*
 * The data form a DEVICE_FEATURE message with these flags carries (how the
 * decoder chooses): PROBE none; GET of MIGRATION or MIG_DEVICE_STATE none in
 * the request, the feature's data in the reply; SET of MIG_DEVICE_STATE or
 * DMA_LOGGING_START their data both ways; DMA_LOGGING_STOP none, or the
 * START layout when data_len > 0; GET of DMA_LOGGING_REPORT its data (the
 * reply adds the bitmap); anything else RAW.
 */
enum vfu_feature_data vfu_feature_form(uint32_t flags, int reply,
	    size_t data_len);

/* The descriptor of (command, reply), or NULL for an unknown command. */
const struct vfu_msg_desc *vfu_msg_desc(uint16_t command, int reply);
/* By name: "DMA_MAP" or "VFIO_USER_DMA_MAP" (case-sensitive).  NULL if none. */
const struct vfu_msg_desc *vfu_msg_desc_by_name(const char *name, int reply);
/* "VFIO_USER_DMA_MAP", or NULL for a command the spec does not define. */
const char *vfu_command_name(uint16_t command);
/* The field called name, or NULL. */
const struct vfu_field *vfu_field_find(const struct vfu_field *fields,
	    size_t nfields, const char *name);
/* Reads/writes a fixed-size field of the decoded struct behind u. */
uint64_t vfu_field_get(const void *s, const struct vfu_field *f);
void	 vfu_field_set(void *s, const struct vfu_field *f, uint64_t v);
/* "VFIO_IRQ_SET_DATA_EVENTFD|VFIO_IRQ_SET_ACTION_TRIGGER" (unknown bits in
 * hex).  Returns buf. */
const char *vfu_field_format(const struct vfu_field *f, uint64_t v,
	    char *buf, size_t len);

/* ---- Decoding ---------------------------------------------------------- */

/* Decodes the 16-byte header.  Fails only when len < 16. */
int	vfu_hdr_decode(const void *buf, size_t len, struct vfu_hdr *h,
	    struct diag *d);

/*
 * Decodes one whole message of len bytes (header included) into *m, which
 * is zeroed first.  The body's form comes from hdr.command and the type bits;
 * an error reply decodes no body.  Errors: len < 16, msg_size != len, a type
 * other than command/reply, an unknown command, a payload shorter than the
 * fixed part, counts or offsets that point outside the bytes, trailing bytes
 * after a fixed-size payload.  On error *m is released and *d says which
 * field at which byte offset.  Pointers in *m refer into buf.
 */
int	vfu_msg_decode(const void *buf, size_t len, struct vfu_msg *m,
	    struct diag *d);

/* Frees what the decoder allocated; m stays valid but empty arrays. */
void	vfu_msg_release(struct vfu_msg *m);

/* ---- Encoding ---------------------------------------------------------- */

/* A zeroed message with the header set for (command, reply) and msg_id. */
void	vfu_msg_init(struct vfu_msg *m, uint16_t command, int reply,
	    uint16_t msg_id);

/*
 * Sets what a correct message computes: argsz, counts that describe arrays
 * and data (nr_areas, cap_offset/next chains, count, wr_cnt, num_ranges,
 * size, data lengths), as the spec defines them for this message.  Leaves
 * msg_size to vfu_msg_encode(VFU_ENC_AUTO_SIZE).
 */
void	vfu_msg_autofill(struct vfu_msg *m);

#define VFU_ENC_AUTO_SIZE	(1u << 0)	/* hdr.msg_size := bytes written */

/* Appends the message to wb.  Returns 0, or -1 with *d filled. */
int	vfu_msg_encode(const struct vfu_msg *m, struct wbuf *wb,
	    unsigned flags, struct diag *d);

/* Encodes an error reply: header only, Reply|Error, the given errno. */
int	vfu_msg_encode_error(uint16_t msg_id, uint16_t command, uint32_t err,
	    struct wbuf *wb, struct diag *d);

static inline int
vfu_hdr_is_reply(const struct vfu_hdr *h)
{
	return ((h->flags & VFIO_USER_F_TYPE_MASK) == VFIO_USER_F_TYPE_REPLY);
}

#endif /* VFU_CODEC_H */
