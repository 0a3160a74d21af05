/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * caps: the VFIO_USER_VERSION capability JSON (spec "VFIO_USER_VERSION"),
 * parsed strictly and emitted with json-c.  Parsing takes the version data as
 * it came off the wire (length-delimited, not trusted to be NUL-terminated)
 * and reports every deviation: missing NUL, bytes after it, invalid UTF-8 or
 * JSON, wrong types, negative or overflowing numbers.  Unknown keys are
 * recorded, not fatal.  No I/O, never prints.
 */
#ifndef VFU_CAPS_H
#define VFU_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diag;

#define VFU_CAPS_MAX_UNKNOWN	16

/* Which keys were present in the JSON (the values below hold the defaults
 * for the absent ones). */
#define VFU_CAP_HAVE_CAPABILITIES	(1u << 0)
#define VFU_CAP_HAVE_MAX_MSG_FDS	(1u << 1)
#define VFU_CAP_HAVE_MAX_DATA_XFER	(1u << 2)
#define VFU_CAP_HAVE_MAX_DMA_MAPS	(1u << 3)
#define VFU_CAP_HAVE_PGSIZES		(1u << 4)
#define VFU_CAP_HAVE_TWIN_SOCKET	(1u << 5)
#define VFU_CAP_HAVE_TWIN_SUPPORTED	(1u << 6)
#define VFU_CAP_HAVE_TWIN_FD_INDEX	(1u << 7)
#define VFU_CAP_HAVE_WRITE_MULTIPLE	(1u << 8)
#define VFU_CAP_HAVE_MIGRATION		(1u << 9)	/* obsolete v1 key */

struct vfu_caps {
	unsigned	have;		/* VFU_CAP_HAVE_* */
	uint64_t	max_msg_fds;	/* default 1 */
	uint64_t	max_data_xfer_size;	/* default 1048576 */
	uint64_t	max_dma_maps;	/* default 65535 */
	uint64_t	pgsizes;	/* default 4096 */
	bool		twin_supported;	/* default false */
	uint64_t	twin_fd_index;
	bool		write_multiple;	/* default false */
	/* Keys the spec does not define, as JSON pointer-ish paths
	 * ("capabilities.migration", "foo"); the count may exceed the array. */
	char		unknown[VFU_CAPS_MAX_UNKNOWN][64];
	size_t		nunknown;
};

/* The spec's defaults, no key present. */
void	caps_init(struct vfu_caps *c);

/*
 * Parses version data of len bytes (the bytes after minor in a VERSION
 * message).  len == 0 means "no version data": defaults, success.  Otherwise
 * the data must be exactly one UTF-8 JSON object followed by one NUL as its
 * last byte.  Returns 0, or -1 with *d saying what is wrong and at which byte
 * of the data (d->offset) where that is known.
 */
int	caps_parse(const void *data, size_t len, struct vfu_caps *c,
	    struct diag *d);

/*
 * Emits {"capabilities":{...}} with the keys in c->have, NUL included, into a
 * malloc'd buffer (*out, *len).  Returns 0 or -1.
 */
int	caps_emit(const struct vfu_caps *c, char **out, size_t *len,
	    struct diag *d);

/*
 * Checks a server's reply capabilities against the client's proposal (spec:
 * "The capability list must be a subset of those proposed").  Writes one
 * line per violation into buf (e.g. "max_msg_fds present in the reply but
 * not proposed"); returns the number of violations.
 */
size_t	caps_check_subset(const struct vfu_caps *proposed,
	    const struct vfu_caps *reply, char *buf, size_t len);

#endif /* VFU_CAPS_H */
