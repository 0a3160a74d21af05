/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * buf: bounded cursors over bytes.  Every read of a message goes through a
 * struct rbuf, which checks the length before it touches a byte and names the
 * field and absolute byte offset when it cannot.  Writes go through a
 * growable struct wbuf with a hard size limit.  Integers are copied in host
 * byte order, which is the vfio-user wire order (spec "Protocol
 * Specification": "all data is in the endianness of the host system").
 * Knows no message.
 */
#ifndef VFU_BUF_H
#define VFU_BUF_H

#include <stddef.h>
#include <stdint.h>

struct diag;

struct rbuf {
	const uint8_t	*p;
	size_t		 len;	/* bytes available from p */
	size_t		 off;	/* next byte to read, relative to p */
	size_t		 base;	/* offset of p[0] in the whole message */
};

/* base is the absolute offset of p within the message, for error offsets. */
void	rbuf_init(struct rbuf *rb, const void *p, size_t len, size_t base);
size_t	rbuf_left(const struct rbuf *rb);
size_t	rbuf_pos(const struct rbuf *rb);	/* absolute offset of next byte */

/* Each returns 0, or -1 with *d naming field and offset; the cursor is
 * unchanged on error. */
int	rbuf_u8(struct rbuf *rb, uint8_t *v, const char *field, struct diag *d);
int	rbuf_u16(struct rbuf *rb, uint16_t *v, const char *field, struct diag *d);
int	rbuf_u32(struct rbuf *rb, uint32_t *v, const char *field, struct diag *d);
int	rbuf_u64(struct rbuf *rb, uint64_t *v, const char *field, struct diag *d);
/* Reads an integer of size 1, 2, 4 or 8 into a uint64_t. */
int	rbuf_uint(struct rbuf *rb, size_t size, uint64_t *v, const char *field,
	    struct diag *d);
int	rbuf_bytes(struct rbuf *rb, void *dst, size_t n, const char *field,
	    struct diag *d);
/* Points *p at the next n bytes without copying, and advances. */
int	rbuf_ref(struct rbuf *rb, const uint8_t **p, size_t n,
	    const char *field, struct diag *d);
int	rbuf_skip(struct rbuf *rb, size_t n, const char *field, struct diag *d);
/* Moves to absolute position pos (base <= pos <= base + len). */
int	rbuf_seek(struct rbuf *rb, size_t pos, const char *field, struct diag *d);
/* Carves the next n bytes into *sub (same absolute offsets) and advances. */
int	rbuf_sub(struct rbuf *rb, struct rbuf *sub, size_t n, const char *field,
	    struct diag *d);

struct wbuf {
	uint8_t		*p;
	size_t		 len;	/* bytes written */
	size_t		 cap;	/* bytes allocated */
	size_t		 max;	/* hard limit on len */
	int		 failed;	/* sticky: allocation failed or max hit */
};

/* An empty buffer that refuses to grow past max bytes. */
void	wbuf_init(struct wbuf *wb, size_t max);
void	wbuf_free(struct wbuf *wb);
void	wbuf_reset(struct wbuf *wb);	/* len = 0, keeps the memory */
/* Each returns 0, or -1 and sets wb->failed (later writes then do nothing). */
int	wbuf_u8(struct wbuf *wb, uint8_t v);
int	wbuf_u16(struct wbuf *wb, uint16_t v);
int	wbuf_u32(struct wbuf *wb, uint32_t v);
int	wbuf_u64(struct wbuf *wb, uint64_t v);
int	wbuf_uint(struct wbuf *wb, size_t size, uint64_t v);	/* 1,2,4,8 */
int	wbuf_bytes(struct wbuf *wb, const void *p, size_t n);
int	wbuf_zero(struct wbuf *wb, size_t n);
/* Overwrites size bytes at off (off + size <= len) with v. */
int	wbuf_patch(struct wbuf *wb, size_t off, size_t size, uint64_t v);
/* Hands the bytes to the caller (who frees them) and empties wb. */
uint8_t	*wbuf_steal(struct wbuf *wb, size_t *len);

#endif /* VFU_BUF_H */
