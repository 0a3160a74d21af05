/* SPDX-License-Identifier: BSD-3-Clause */
/* session: connection state shared by the linter and the runner. */
#include "config.h"
#include "session.h"

#include <stdlib.h>
#include <string.h>

#include "codec.h"

void
session_init(struct session *s, enum session_role role)
{
	memset(s, 0, sizeof(*s));
	s->role = role;
	s->major = VFIO_USER_MAJOR;
	s->minor = VFIO_USER_MINOR;
	caps_init(&s->client_caps);
	caps_init(&s->server_caps);
}

void
session_req_free(struct session_req *r)
{
	if (r->decoded)
		vfu_msg_release(&r->msg);
	free(r->buf);
	memset(r, 0, sizeof(*r));
}

void
session_free(struct session *s)
{
	size_t	i;

	for (i = 0; i < s->npending; i++)
		session_req_free(&s->pending[i]);
	for (i = 0; i < SESSION_NOREPLY_RING; i++)
		session_req_free(&s->noreply[i]);
	free(s->pending);
	free(s->dma);
	session_init(s, s->role);
}

int
session_add_request(struct session *s, const uint8_t *buf, size_t len,
    size_t nfds)
{
	struct session_req	 r, *slot, *np;
	struct vfu_hdr		 h;

	memset(&r, 0, sizeof(r));
	r.buf = malloc(len != 0 ? len : 1);
	if (r.buf == NULL)
		return (-1);
	memcpy(r.buf, buf, len);
	r.len = len;
	r.nfds = nfds;
	r.decoded = vfu_msg_decode(r.buf, len, &r.msg, NULL) == 0;
	if (vfu_hdr_decode(buf, len, &h, NULL) == -1)
		memset(&h, 0, sizeof(h));
	if (h.flags & VFIO_USER_F_NO_REPLY) {
		slot = &s->noreply[s->nnoreply++ % SESSION_NOREPLY_RING];
		session_req_free(slot);
		*slot = r;
		if (!slot->decoded)
			slot->msg.hdr = h;
		return (0);
	}
	if (!r.decoded)
		r.msg.hdr = h;
	if (s->npending == s->cappending) {
		size_t n = s->cappending != 0 ? s->cappending * 2 : 16;

		np = realloc(s->pending, n * sizeof(*np));
		if (np == NULL) {
			session_req_free(&r);
			return (-1);
		}
		s->pending = np;
		s->cappending = n;
	}
	s->pending[s->npending++] = r;
	return (0);
}

long
session_find_pending(const struct session *s, uint16_t msg_id)
{
	size_t	i;

	for (i = 0; i < s->npending; i++)
		if (s->pending[i].msg.hdr.msg_id == msg_id)
			return ((long)i);
	return (-1);
}

const struct session_req *
session_find_noreply(const struct session *s, uint16_t msg_id)
{
	size_t	i, n = s->nnoreply < SESSION_NOREPLY_RING ? s->nnoreply :
		    SESSION_NOREPLY_RING;

	for (i = 0; i < n; i++)
		if (s->noreply[i].buf != NULL &&
		    s->noreply[i].msg.hdr.msg_id == msg_id)
			return (&s->noreply[i]);
	return (NULL);
}

void
session_take_pending(struct session *s, size_t i, struct session_req *out)
{
	*out = s->pending[i];
	memmove(&s->pending[i], &s->pending[i + 1],
	    (s->npending - i - 1) * sizeof(s->pending[0]));
	s->npending--;
}

int
session_dma_add(struct session *s, uint64_t address, uint64_t size,
    uint32_t flags, int has_fd)
{
	struct session_dma	*np;

	if (s->ndma == s->capdma) {
		size_t n = s->capdma != 0 ? s->capdma * 2 : 16;

		np = realloc(s->dma, n * sizeof(*np));
		if (np == NULL)
			return (-1);
		s->dma = np;
		s->capdma = n;
	}
	s->dma[s->ndma].address = address;
	s->dma[s->ndma].size = size;
	s->dma[s->ndma].flags = flags;
	s->dma[s->ndma].has_fd = has_fd;
	s->ndma++;
	return (0);
}

int
session_dma_remove(struct session *s, uint64_t address, uint64_t size)
{
	size_t	i;

	for (i = 0; i < s->ndma; i++) {
		if (s->dma[i].address == address && s->dma[i].size == size) {
			s->dma[i] = s->dma[--s->ndma];
			return (0);
		}
	}
	return (-1);
}

const struct session_dma *
session_dma_find(const struct session *s, uint64_t address, uint64_t count)
{
	size_t	i;

	for (i = 0; i < s->ndma; i++) {
		const struct session_dma *w = &s->dma[i];

		if (address >= w->address && count <= w->size &&
		    address - w->address <= w->size - count)
			return (w);
	}
	return (NULL);
}

void
session_dma_clear(struct session *s)
{
	s->ndma = 0;
}
