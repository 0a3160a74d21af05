/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag: a located error record.  Operational errors (a bad scenario file, an
 * I/O failure, bytes a decoder cannot accept) are returned as -1/NULL with a
 * caller-owned struct diag filled in.  A diag says where (a file position, or a
 * field path and byte offset inside a message) and what.  It owns copies of
 * its strings in fixed buffers, never allocates and never prints.
 */
#ifndef VFU_DIAG_H
#define VFU_DIAG_H

#include <stddef.h>

#define DIAG_NO_OFFSET	((size_t)-1)

struct diag {
	char		file[256];	/* source file, "" when none */
	unsigned	line;		/* 1-based; 0 when unknown */
	unsigned	col;		/* 1-based; 0 when unknown */
	char		field[128];	/* field path, e.g. "region_info.caps[1].next" */
	size_t		offset;		/* byte offset in the message, or DIAG_NO_OFFSET */
	char		msg[512];	/* what is wrong */
};

#define DIAG_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Empties *d.  d may be NULL. */
void	diag_clear(struct diag *d);

/* Sets the message (and clears the location).  Returns -1.  d may be NULL. */
int	diag_set(struct diag *d, const char *fmt, ...) DIAG_PRINTF(2, 3);

/* Like diag_set, with strerror(err) appended: "...: No such file". */
int	diag_errno(struct diag *d, int err, const char *fmt, ...) DIAG_PRINTF(3, 4);

/* A decode error: field path and byte offset within the message.  Returns -1. */
int	diag_field(struct diag *d, const char *field, size_t offset,
	    const char *fmt, ...) DIAG_PRINTF(4, 5);

/* A file position error (line, col 1-based).  Returns -1. */
int	diag_at(struct diag *d, const char *file, unsigned line, unsigned col,
	    const char *fmt, ...) DIAG_PRINTF(5, 6);

/* strerror() that is safe from several threads: a constant string. */
const char *diag_strerror(int err);

/* Puts "context: " in front of the current message.  Returns -1. */
int	diag_prefix(struct diag *d, const char *fmt, ...) DIAG_PRINTF(2, 3);

/*
 * Renders d as one line: "file:line:col: msg", or "field 'f' at byte N: msg",
 * or just "msg".  Returns buf.
 */
const char *diag_str(const struct diag *d, char *buf, size_t len);

#endif /* VFU_DIAG_H */
