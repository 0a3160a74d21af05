/* SPDX-License-Identifier: BSD-3-Clause */
/* client: request/reply exchange and VERSION negotiation; see client.h. */
#include "config.h"
#include "client.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "codec.h"
#include "diag.h"

/* Spec sentences quoted by the checks below (spec "Header"). */
static const char S_REPLY_BIT[] =
    "The reply consists of the header with the *Reply* bit set, plus any "
    "additional data.";
static const char S_CMD_ECHO[] =
    "*Command* specifies the command to be executed, listed in Commands_. "
    "It is also set in the reply header.";
static const char S_ID_ECHO[] =
    "*Message ID* identifies the message, and is echoed in the command's "
    "reply message.";
static const char S_ERR_HDR_ONLY[] =
    "If an error occurs, the reply message must only include the reply "
    "header.";
static const char S_DMA_MAPPED[] =
    "*address* is the client DMA memory address being accessed. This "
    "address must have been previously exported to the server with a "
    "``VFIO_USER_DMA_MAP`` message.";
static const char S_DIRECTION[] =
    "The following table lists the VFIO message command IDs, and whether "
    "the message command is sent from the client or the server.";
static const char S_DECODE[] =
    "Each command message in Commands_ must be replied to with a reply "
    "message, unless the message sets the *No_Reply* bit.";
static const char S_MAJOR[] =
    "The major version in the reply must be the same as proposed.";
static const char S_MINOR[] =
    "The minor version in the reply must be equal to or less than the "
    "minor version proposed.";
static const char S_SUBSET[] =
    "The capability list must be a subset of those proposed.";
static const char S_CAPS_JSON[] =
    "The version data is an optional UTF-8 encoded JSON byte array with "
    "the following format:";

void
client_init(struct client *c, const struct vfu_conn *conn, int timeout_ms)
{
	memset(c, 0, sizeof(*c));
	c->conn = *conn;
	c->timeout_ms = timeout_ms;
	c->major = VFIO_USER_MAJOR;
	c->minor = VFIO_USER_MINOR;
	caps_init(&c->proposed);
	c->proposed.have = VFU_CAP_HAVE_CAPABILITIES |
	    VFU_CAP_HAVE_MAX_MSG_FDS | VFU_CAP_HAVE_MAX_DATA_XFER |
	    VFU_CAP_HAVE_WRITE_MULTIPLE;
	c->proposed.max_msg_fds = 8;
	c->proposed.write_multiple = true;
	caps_init(&c->server);
}

void
client_close(struct client *c)
{
	transport_close(&c->conn);
}

void
client_report(struct client *c, const char *rule, const char *sentence,
    const char *fmt, ...)
{
	char	seen[1024];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(seen, sizeof(seen), fmt, ap);
	va_end(ap);
	c->nfindings++;
	if (c->finding != NULL)
		c->finding(c->finding_arg, rule, sentence, seen);
}

/* Answers a request the server sent while we waited for a reply. */
static void
client_answer_server_request(struct client *c, const struct vfu_hdr *h,
    int64_t deadline)
{
	struct wbuf	wb;
	struct diag	d;
	uint32_t	err = ENOSYS;

	if (h->command == VFIO_USER_DMA_READ ||
	    h->command == VFIO_USER_DMA_WRITE) {
		client_report(c, "dma-address-mapped", S_DMA_MAPPED,
		    "%s (msg_id %u) while the harness had mapped no DMA "
		    "region", vfu_command_name(h->command), h->msg_id);
		err = EFAULT;
	} else {
		client_report(c, "command-direction", S_DIRECTION,
		    "the server sent command %u (%s) as a request; only "
		    "DMA_READ and DMA_WRITE go from server to client",
		    h->command, vfu_command_name(h->command) != NULL ?
		    vfu_command_name(h->command) : "unknown");
	}
	if (h->flags & VFIO_USER_F_NO_REPLY)
		return;
	wbuf_init(&wb, 64);
	if (vfu_msg_encode_error(h->msg_id, h->command, err, &wb, &d) == 0)
		(void)transport_send(&c->conn, wb.p, wb.len, NULL, 0,
		    deadline, &d);
	wbuf_free(&wb);
}

/* The checks every reply to req gets. */
static void
client_check_reply(struct client *c, const struct vfu_msg *req,
    const struct vfu_frame *rf, const struct vfu_hdr *h)
{
	const char *name = vfu_command_name(req->hdr.command);

	if (h->command != req->hdr.command)
		client_report(c, "reply-command-echo", S_CMD_ECHO,
		    "reply to %s (msg_id %u) carries command %u", name,
		    h->msg_id, h->command);
	if ((h->flags & VFIO_USER_F_ERROR) &&
	    rf->len != VFIO_USER_HDR_SIZE)
		client_report(c, "error-reply-header-only", S_ERR_HDR_ONLY,
		    "error reply to %s (msg_id %u, error %u) is %zu bytes, "
		    "not 16", name, h->msg_id, h->error, rf->len);
}

enum vfu_io
client_call(struct client *c, struct vfu_msg *req, const int *fds,
    size_t nfds, struct vfu_frame *rf, struct vfu_msg *reply, struct diag *d)
{
	struct wbuf	wb;
	struct vfu_hdr	h;
	struct diag	dd;
	char		ds[700];
	enum vfu_io	io;
	int64_t		deadline = transport_deadline(c->timeout_ms);

	memset(rf, 0, sizeof(*rf));
	memset(reply, 0, sizeof(*reply));
	req->hdr.msg_id = c->next_id++;
	wbuf_init(&wb, VFU_TRANSPORT_DEF_MAX_MSG);
	if (vfu_msg_encode(req, &wb, VFU_ENC_AUTO_SIZE, d) == -1) {
		wbuf_free(&wb);
		return (VFU_IO_ERROR);
	}
	io = transport_send(&c->conn, wb.p, wb.len, fds, nfds, deadline, d);
	wbuf_free(&wb);
	if (io != VFU_IO_OK)
		return (io);

	for (;;) {
		io = transport_recv(&c->conn, rf, deadline, d);
		if (io != VFU_IO_OK)
			return (io);
		(void)vfu_hdr_decode(rf->buf, rf->len, &h, NULL);
		if (!vfu_hdr_is_reply(&h) &&
		    (h.flags & VFIO_USER_F_TYPE_MASK) == VFIO_USER_F_TYPE_COMMAND) {
			client_answer_server_request(c, &h, deadline);
			transport_frame_release(rf);
			continue;
		}
		if (!vfu_hdr_is_reply(&h)) {
			client_report(c, "reply-type-bit", S_REPLY_BIT,
			    "message with msg_id %u answering %s has type %u",
			    h.msg_id, vfu_command_name(req->hdr.command),
			    h.flags & VFIO_USER_F_TYPE_MASK);
			if (h.msg_id != req->hdr.msg_id) {
				transport_frame_release(rf);
				continue;
			}
		} else if (h.msg_id != req->hdr.msg_id) {
			client_report(c, "reply-msg-id-echo", S_ID_ECHO,
			    "a reply with msg_id %u arrived while msg_id %u "
			    "(%s) was the only request outstanding", h.msg_id,
			    req->hdr.msg_id,
			    vfu_command_name(req->hdr.command));
			transport_frame_release(rf);
			continue;
		}
		break;
	}
	client_check_reply(c, req, rf, &h);
	if ((h.flags & VFIO_USER_F_ERROR) == 0 &&
	    vfu_msg_decode(rf->buf, rf->len, reply, &dd) == -1) {
		client_report(c, "reply-decodes", S_DECODE,
		    "the reply to %s does not decode: %s",
		    vfu_command_name(req->hdr.command),
		    diag_str(&dd, ds, sizeof(ds)));
		transport_frame_release(rf);
		diag_set(d, "undecodable reply to %s",
		    vfu_command_name(req->hdr.command));
		return (VFU_IO_ERROR);
	}
	if (h.flags & VFIO_USER_F_ERROR)
		reply->hdr = h;
	return (VFU_IO_OK);
}

int
client_negotiate(struct client *c, struct diag *d)
{
	struct vfu_msg	 req, rep;
	struct vfu_frame rf;
	struct vfu_caps	 got;
	struct diag	 dd;
	char		*json = NULL, ds[700], why[2048];
	size_t		 jlen;
	enum vfu_io	 io;
	int		 rc = -1;

	if (caps_emit(&c->proposed, &json, &jlen, d) == -1)
		return (-1);
	vfu_msg_init(&req, VFIO_USER_VERSION, 0, 0);
	req.u.version.major = c->major;
	req.u.version.minor = c->minor;
	req.u.version.data = (const uint8_t *)json;
	req.u.version.data_len = jlen;
	io = client_call(c, &req, NULL, 0, &rf, &rep, d);
	free(json);
	if (io == VFU_IO_EOF || io == VFU_IO_TRUNCATED)
		return (diag_set(d, "the server closed the connection in "
		    "answer to VERSION %u.%u (it refused the proposal)",
		    c->major, c->minor));
	if (io != VFU_IO_OK)
		return (diag_prefix(d, "VERSION"));
	if (rep.hdr.flags & VFIO_USER_F_ERROR) {
		diag_set(d, "the server answered VERSION with error %u (%s)",
		    rep.hdr.error, strerror((int)rep.hdr.error));
		goto out;
	}
	if (rep.u.version.major != c->major)
		client_report(c, "version-major-same", S_MAJOR,
		    "proposed major %u, reply has major %u", c->major,
		    rep.u.version.major);
	if (rep.u.version.minor > c->minor)
		client_report(c, "version-minor-not-higher", S_MINOR,
		    "proposed minor %u, reply has minor %u", c->minor,
		    rep.u.version.minor);
	if (caps_parse(rep.u.version.data, rep.u.version.data_len, &got,
	    &dd) == -1) {
		client_report(c, "version-caps-json", S_CAPS_JSON,
		    "the reply's capabilities do not parse: %s",
		    diag_str(&dd, ds, sizeof(ds)));
		caps_init(&got);
	} else if (caps_check_subset(&c->proposed, &got, why,
	    sizeof(why)) != 0)
		client_report(c, "version-caps-subset", S_SUBSET, "%s", why);
	c->server = got;
	c->minor = rep.u.version.minor < c->minor ? rep.u.version.minor :
	    c->minor;
	c->negotiated = 1;
	rc = 0;
out:
	vfu_msg_release(&rep);
	transport_frame_release(&rf);
	return (rc);
}
