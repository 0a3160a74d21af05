/* SPDX-License-Identifier: BSD-3-Clause */
/* buf: bounded read and write cursors; see buf.h. */
#include "config.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"

void
rbuf_init(struct rbuf *rb, const void *p, size_t len, size_t base)
{
	rb->p = p;
	rb->len = p != NULL ? len : 0;
	rb->off = 0;
	rb->base = base;
}

size_t
rbuf_left(const struct rbuf *rb)
{
	return (rb->len - rb->off);
}

size_t
rbuf_pos(const struct rbuf *rb)
{
	return (rb->base + rb->off);
}

/* Fails unless n more bytes are there. */
static int
rbuf_need(const struct rbuf *rb, size_t n, const char *field, struct diag *d)
{
	if (n > rb->len - rb->off)
		return (diag_field(d, field, rbuf_pos(rb),
		    "needs %zu byte%s, only %zu left", n, n == 1 ? "" : "s",
		    rb->len - rb->off));
	return (0);
}

int
rbuf_bytes(struct rbuf *rb, void *dst, size_t n, const char *field,
    struct diag *d)
{
	if (rbuf_need(rb, n, field, d) == -1)
		return (-1);
	if (n != 0)
		memcpy(dst, rb->p + rb->off, n);
	rb->off += n;
	return (0);
}

int
rbuf_u8(struct rbuf *rb, uint8_t *v, const char *field, struct diag *d)
{
	return (rbuf_bytes(rb, v, sizeof(*v), field, d));
}

int
rbuf_u16(struct rbuf *rb, uint16_t *v, const char *field, struct diag *d)
{
	return (rbuf_bytes(rb, v, sizeof(*v), field, d));
}

int
rbuf_u32(struct rbuf *rb, uint32_t *v, const char *field, struct diag *d)
{
	return (rbuf_bytes(rb, v, sizeof(*v), field, d));
}

int
rbuf_u64(struct rbuf *rb, uint64_t *v, const char *field, struct diag *d)
{
	return (rbuf_bytes(rb, v, sizeof(*v), field, d));
}

int
rbuf_uint(struct rbuf *rb, size_t size, uint64_t *v, const char *field,
    struct diag *d)
{
	uint8_t		u8;
	uint16_t	u16;
	uint32_t	u32;

	switch (size) {
	case 1:
		if (rbuf_u8(rb, &u8, field, d) == -1)
			return (-1);
		*v = u8;
		return (0);
	case 2:
		if (rbuf_u16(rb, &u16, field, d) == -1)
			return (-1);
		*v = u16;
		return (0);
	case 4:
		if (rbuf_u32(rb, &u32, field, d) == -1)
			return (-1);
		*v = u32;
		return (0);
	case 8:
		return (rbuf_u64(rb, v, field, d));
	}
	return (diag_field(d, field, rbuf_pos(rb), "bad integer size %zu",
	    size));
}

int
rbuf_ref(struct rbuf *rb, const uint8_t **p, size_t n, const char *field,
    struct diag *d)
{
	if (rbuf_need(rb, n, field, d) == -1)
		return (-1);
	*p = rb->p + rb->off;
	rb->off += n;
	return (0);
}

int
rbuf_skip(struct rbuf *rb, size_t n, const char *field, struct diag *d)
{
	if (rbuf_need(rb, n, field, d) == -1)
		return (-1);
	rb->off += n;
	return (0);
}

int
rbuf_seek(struct rbuf *rb, size_t pos, const char *field, struct diag *d)
{
	if (pos < rb->base || pos - rb->base > rb->len)
		return (diag_field(d, field, pos,
		    "points outside the %zu bytes at %zu..%zu", rb->len,
		    rb->base, rb->base + rb->len));
	rb->off = pos - rb->base;
	return (0);
}

int
rbuf_sub(struct rbuf *rb, struct rbuf *sub, size_t n, const char *field,
    struct diag *d)
{
	if (rbuf_need(rb, n, field, d) == -1)
		return (-1);
	rbuf_init(sub, rb->p + rb->off, n, rbuf_pos(rb));
	rb->off += n;
	return (0);
}

void
wbuf_init(struct wbuf *wb, size_t max)
{
	memset(wb, 0, sizeof(*wb));
	wb->max = max;
}

void
wbuf_free(struct wbuf *wb)
{
	free(wb->p);
	wbuf_init(wb, wb->max);
}

void
wbuf_reset(struct wbuf *wb)
{
	wb->len = 0;
	wb->failed = 0;
}

/* Makes room for n more bytes; grows geometrically up to wb->max. */
static int
wbuf_room(struct wbuf *wb, size_t n)
{
	size_t	 want;
	uint8_t	*np;

	if (wb->failed)
		return (-1);
	if (n > wb->max || wb->len > wb->max - n) {
		wb->failed = 1;
		return (-1);
	}
	if (wb->len + n <= wb->cap)
		return (0);
	want = wb->cap != 0 ? wb->cap : 64;
	while (want < wb->len + n)
		want = want > wb->max / 2 ? wb->max : want * 2;
	np = realloc(wb->p, want);
	if (np == NULL) {
		wb->failed = 1;
		return (-1);
	}
	wb->p = np;
	wb->cap = want;
	return (0);
}

int
wbuf_bytes(struct wbuf *wb, const void *p, size_t n)
{
	if (wbuf_room(wb, n) == -1)
		return (-1);
	if (n != 0)
		memcpy(wb->p + wb->len, p, n);
	wb->len += n;
	return (0);
}

int
wbuf_zero(struct wbuf *wb, size_t n)
{
	if (wbuf_room(wb, n) == -1)
		return (-1);
	if (n != 0)
		memset(wb->p + wb->len, 0, n);
	wb->len += n;
	return (0);
}

int
wbuf_u8(struct wbuf *wb, uint8_t v)
{
	return (wbuf_bytes(wb, &v, sizeof(v)));
}

int
wbuf_u16(struct wbuf *wb, uint16_t v)
{
	return (wbuf_bytes(wb, &v, sizeof(v)));
}

int
wbuf_u32(struct wbuf *wb, uint32_t v)
{
	return (wbuf_bytes(wb, &v, sizeof(v)));
}

int
wbuf_u64(struct wbuf *wb, uint64_t v)
{
	return (wbuf_bytes(wb, &v, sizeof(v)));
}

int
wbuf_uint(struct wbuf *wb, size_t size, uint64_t v)
{
	switch (size) {
	case 1:
		return (wbuf_u8(wb, (uint8_t)v));
	case 2:
		return (wbuf_u16(wb, (uint16_t)v));
	case 4:
		return (wbuf_u32(wb, (uint32_t)v));
	case 8:
		return (wbuf_u64(wb, v));
	}
	wb->failed = 1;
	return (-1);
}

int
wbuf_patch(struct wbuf *wb, size_t off, size_t size, uint64_t v)
{
	uint8_t		u8 = (uint8_t)v;
	uint16_t	u16 = (uint16_t)v;
	uint32_t	u32 = (uint32_t)v;
	const void	*src;

	if (wb->failed || off > wb->len || size > wb->len - off)
		return (-1);
	switch (size) {
	case 1: src = &u8; break;
	case 2: src = &u16; break;
	case 4: src = &u32; break;
	case 8: src = &v; break;
	default: return (-1);
	}
	memcpy(wb->p + off, src, size);
	return (0);
}

uint8_t *
wbuf_steal(struct wbuf *wb, size_t *len)
{
	uint8_t	*p = wb->p;

	*len = wb->len;
	wbuf_init(wb, wb->max);
	return (p);
}
