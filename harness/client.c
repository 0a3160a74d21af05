/* SPDX-License-Identifier: BSD-3-Clause */
/* client: request/reply exchange and VERSION negotiation; see client.h. */
#include "config.h"
#include "client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "codec.h"
#include "diag.h"

void
client_init(struct client *c, const struct vfu_conn *conn, int timeout_ms)
{
	memset(c, 0, sizeof(*c));
	c->conn = *conn;
	c->timeout_ms = timeout_ms;
	session_init(&c->sess, SESSION_CLIENT);
	caps_init(&c->proposed);
	c->proposed.have = VFU_CAP_HAVE_CAPABILITIES |
	    VFU_CAP_HAVE_MAX_MSG_FDS | VFU_CAP_HAVE_MAX_DATA_XFER |
	    VFU_CAP_HAVE_WRITE_MULTIPLE;
	c->proposed.max_msg_fds = 8;
	c->proposed.write_multiple = true;
	/* Until VERSION is answered the peer must respect these. */
	c->sess.client_caps = c->proposed;
}

void
client_close(struct client *c)
{
	transport_close(&c->conn);
	session_free(&c->sess);
}

static void
client_count(void *arg, const struct rule *r, const char *seen)
{
	struct client *c = arg;

	c->nfindings++;
	if (c->finding != NULL)
		c->finding(c->finding_arg, r, seen);
}

/* Answers a server request that came while we waited for a reply: the
 * harness maps no guest memory here, so DMA gets an error. */
static void
client_refuse(struct client *c, const struct vfu_hdr *h, int64_t deadline)
{
	struct wbuf	wb;
	struct diag	d;

	if (h->flags & VFIO_USER_F_NO_REPLY)
		return;
	wbuf_init(&wb, 64);
	if (vfu_msg_encode_error(h->msg_id, h->command,
	    h->command == VFIO_USER_DMA_READ ||
	    h->command == VFIO_USER_DMA_WRITE ? EFAULT : ENOSYS, &wb, &d) == 0)
		(void)transport_send(&c->conn, wb.p, wb.len, NULL, 0,
		    deadline, &d);
	wbuf_free(&wb);
}

enum vfu_io
client_call(struct client *c, struct vfu_msg *req, const int *fds,
    size_t nfds, struct vfu_frame *rf, struct lint_result *res,
    struct diag *d)
{
	struct wbuf	wb;
	enum vfu_io	io;
	int64_t		deadline = transport_deadline(c->timeout_ms);
	uint16_t	id;

	memset(rf, 0, sizeof(*rf));
	memset(res, 0, sizeof(*res));
	id = req->hdr.msg_id = c->next_id++;
	wbuf_init(&wb, VFU_TRANSPORT_DEF_MAX_MSG);
	if (vfu_msg_encode(req, &wb, VFU_ENC_AUTO_SIZE, d) == -1) {
		wbuf_free(&wb);
		return (VFU_IO_ERROR);
	}
	if (lint_sent(&c->sess, wb.p, wb.len, nfds) == -1) {
		wbuf_free(&wb);
		diag_set(d, "out of memory");
		return (VFU_IO_ERROR);
	}
	io = transport_send(&c->conn, wb.p, wb.len, fds, nfds, deadline, d);
	wbuf_free(&wb);
	if (io != VFU_IO_OK)
		return (io);

	for (;;) {
		io = transport_recv(&c->conn, rf, deadline, d);
		if (io != VFU_IO_OK) {
			if (c->conn.partial > 0 || io == VFU_IO_BAD_SIZE)
				lint_broken_frame(&c->sess,
				    c->conn.partial_hdr, c->conn.partial,
				    d->msg, client_count, c);
			return (io);
		}
		lint_received(&c->sess, rf->buf, rf->len, rf->nfds,
		    rf->fds_dropped, client_count, c, res);
		if (res->kind == LINT_REPLY && res->hdr.msg_id == id)
			return (VFU_IO_OK);
		if (res->kind == LINT_REQUEST)
			client_refuse(c, &res->hdr, deadline);
		lint_result_free(res);
		transport_frame_release(rf);
	}
}

int
client_negotiate(struct client *c, struct diag *d)
{
	struct vfu_msg	   req;
	struct vfu_frame   rf;
	struct lint_result res;
	char		  *json = NULL;
	size_t		   jlen;
	enum vfu_io	   io;
	int		   rc = 0;

	if (caps_emit(&c->proposed, &json, &jlen, d) == -1)
		return (-1);
	vfu_msg_init(&req, VFIO_USER_VERSION, 0, 0);
	req.u.version.major = VFIO_USER_MAJOR;
	req.u.version.minor = VFIO_USER_MINOR;
	req.u.version.data = (const uint8_t *)json;
	req.u.version.data_len = jlen;
	io = client_call(c, &req, NULL, 0, &rf, &res, d);
	free(json);
	if (io == VFU_IO_EOF || io == VFU_IO_TRUNCATED)
		return (diag_set(d, "the server closed the connection in "
		    "answer to VERSION %u.%u (it refused the proposal)",
		    VFIO_USER_MAJOR, VFIO_USER_MINOR));
	if (io != VFU_IO_OK)
		return (diag_prefix(d, "VERSION"));
	if (res.hdr.flags & VFIO_USER_F_ERROR)
		rc = diag_set(d, "the server answered VERSION with error %u "
		    "(%s)", res.hdr.error, diag_strerror((int)res.hdr.error));
	else if (!c->sess.negotiated)
		rc = diag_set(d, "the VERSION reply could not be used");
	lint_result_free(&res);
	transport_frame_release(&rf);
	return (rc);
}
