/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * runner: executes one scenario against the implementation under test in
 * the client role; see runner.h.  Each send is built by the codec (init,
 * the step's fields, autofill, the step's fields again so they win, header
 * overrides last) and every message either way is linted and recorded in
 * the transcript.  Replies are matched to the requests they answer by
 * msg_id and kept until the expect step that wants them; server requests
 * (DMA) are served from guest memory at once when the scenario says
 * serve_dma, else kept for the next serve step.  Every wait has a deadline
 * (the step's within_ms, else the scenario's timeout_ms, else the
 * options', never past the global deadline).
 *
 * What "requires" checks (SKIP when the server lacks it), right after the
 * first VERSION reply is accepted, on the same connection (if the scenario
 * sends something else first, the runner negotiates itself before it, with
 * the client's default proposal: max_msg_fds 8, max_data_xfer_size 1048576,
 * write_multiple):
 *   write_multiple  the VERSION reply's capabilities: write_multiple true;
 *   twin_socket     the VERSION reply's capabilities: twin_socket.supported;
 *   dma             the VERSION reply's max_dma_maps (default 65535) > 0;
 *   migration       DEVICE_FEATURE PROBE|GET of VFIO_DEVICE_FEATURE_MIGRATION
 *                   answered without error;
 *   dirty_logging   DEVICE_FEATURE PROBE|SET of
 *                   VFIO_DEVICE_FEATURE_DMA_LOGGING_START answered without
 *                   error;
 *   reset           DEVICE_GET_INFO: flags has VFIO_DEVICE_FLAGS_RESET;
 *   mmap            DEVICE_GET_REGION_INFO of each region (up to 64 of
 *                   DEVICE_GET_INFO's num_regions): one has
 *                   VFIO_REGION_INFO_FLAG_MMAP;
 *   io_fds          DEVICE_GET_REGION_IO_FDS of each region (argsz 16): one
 *                   answers without error with count > 0;
 *   irq_eventfd     DEVICE_GET_IRQ_INFO of each IRQ index (up to 64 of
 *                   num_irqs): one has VFIO_IRQ_INFO_EVENTFD and count > 0.
 * The probes' messages are linted and recorded like the scenario's own.
 *
 * A reconnect step closes the connection and connects to the target's
 * path again (target_reconnect).  The new connection is a fresh session:
 * lint state, requests and replies still pending, server requests kept
 * and DMA windows are dropped; what the requires probe found, variables,
 * the data steps sent (same_as) and the harness's fds stay, so that a
 * later expect can watch an eventfd the old connection handed over.  A
 * scenario with a reconnect step is SKIPped with an exec target (--fd):
 * there is no path to connect to again.
 *
 * No globals, no signal handlers, nothing printed; safe in several threads.
 */
#include "config.h"
#include "runner.h"

#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "caps.h"
#include "codec.h"
#include "diag.h"
#include "lint.h"
#include "match.h"
#include "result.h"
#include "runner-int.h"
#include "scenario.h"
#include "session.h"
#include "target.h"
#include "transport.h"

#define HDR		VFIO_USER_HDR_SIZE
#define MAX_SEND	(32u << 20)	/* largest message a step may build */
#define PROBE_MAX	64		/* regions / IRQ indexes probed */
#define CLOSE_GRACE_MS	1000
#define MAX_KEPT	256		/* server requests kept unserved */

/* A message received from the peer, linted, waiting to be consumed. */
struct inmsg {
	struct vfu_frame   f;
	struct lint_result lr;
	enum fd_kind	   kinds[VFU_TRANSPORT_MAX_FDS];
};

/* A request the harness sent, and its reply once it came. */
struct rq {
	const struct step *st;		/* NULL: a probe or negotiation */
	uint16_t	 msg_id;
	uint16_t	 command;
	struct inmsg	*reply;
	int		 consumed;
	int		 is_map, is_unmap;
	uint64_t	 address, size, offset;
	int		 map_fd;	/* dup of the DMA_MAP fd, or -1 */
};

/* The data a step last sent, for same_as. */
struct sent {
	const struct step *st;
	uint8_t		*p;
	size_t		 len;
};

struct run {
	const struct scenario	*sc;
	const struct runner_opts *o;
	struct scenario_result	*res;
	struct target		 tgt;
	int			 opened;
	struct vfu_conn		 conn;
	struct session		 sess;
	struct match_vars	 vars;
	struct match_env	 env;
	struct run_fds		 fds;
	struct guest		 guest;
	struct rq		*rqs;
	size_t			 nrqs, caprqs;
	struct inmsg		**reqs;		/* server requests kept */
	size_t			 nreqs, capreqs;
	struct sent		*sent;
	size_t			 nsent, capsent;
	uint16_t		 next_id;
	int64_t			 t0_us;
	const struct step	*cur;		/* running step */
	const uint8_t		*cur_buf;	/* message being linted */
	size_t			 cur_len;
	int			 closed;	/* the peer closed or broke */
	char			 closed_why[160];
	int			 serving;	/* a step wants the requests */
	int			 need_probe;
	int			 probed;
	int			 stop;		/* SKIP or ERROR: run no more */
	uint8_t			*last;		/* copy of the last message */
	size_t			 last_len;
};

/* ---- Small helpers ----------------------------------------------------- */

/* snprintf that cuts long text quietly (messages, not data). */
static void DIAG_PRINTF(3, 4)
strf(char *buf, size_t len, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

static int64_t
now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

/* The deadline of a wait: within_ms, else the scenario's, else the
 * options', never past the global one. */
static int64_t
run_deadline(const struct run *r, uint64_t within_ms)
{
	uint64_t	ms = within_ms;
	int64_t		dl;

	if (ms == 0)
		ms = r->sc->timeout_ms;
	if (ms == 0)
		ms = r->o->timeout_ms > 0 ? (uint64_t)r->o->timeout_ms :
		    SCENARIO_DEFAULT_TIMEOUT_MS;
	if (ms > INT32_MAX)
		ms = INT32_MAX;
	dl = transport_now_ms() + (int64_t)ms;
	if (r->o->deadline >= 0 && dl > r->o->deadline)
		dl = r->o->deadline;
	return (dl);
}

static int64_t
ms_left(int64_t deadline)
{
	int64_t	left = deadline - transport_now_ms();

	return (left < 0 ? 0 : left);
}

/* Where a step is, for messages: "file:line". */
static void
step_where(const struct step *st, char *buf, size_t len)
{
	if (st == NULL)
		strf(buf, len, "the runner's own request");
	else if (st->label != NULL)
		strf(buf, len, "'%s' (line %u)", st->label, st->pos.line);
	else
		strf(buf, len, "line %u", st->pos.line);
}

static const char *
cmd_str(uint16_t c)
{
	const struct vfu_msg_desc *md = vfu_msg_desc(c, 0);

	return (md != NULL ? md->name : "an unknown command");
}

static void DIAG_PRINTF(5, 6)
mismatch(struct run *r, const struct srcpos *pos, const char *field,
    const char *exp, const char *fmt, ...)
{
	va_list	ap;
	char	act[160];

	va_start(ap, fmt);
	vsnprintf(act, sizeof(act), fmt, ap);
	va_end(ap);
	(void)result_add_mismatch(r->res, r->cur, pos->line, pos->col, field,
	    exp, act, NULL, 0, 1);
}

/* The harness or the scenario failed: ERROR, and no more steps. */
static void DIAG_PRINTF(2, 3)
run_error(struct run *r, const char *fmt, ...)
{
	va_list	ap;
	size_t	i;

	/* After the IUT has already failed an expectation or a must-rule, a
	 * step that cannot go on (a capture that never happened) is a
	 * consequence of that failure, not a harness error: stop, and keep
	 * the FAIL. */
	for (i = 0; i < r->res->nfindings &&
	    r->res->findings[i].rule->level != RULE_MUST; i++)
		;
	if (r->res->verdict != VERDICT_ERROR && (r->res->nmismatches > 0 ||
	    i < r->res->nfindings)) {
		if (r->res->reason[0] == '\0') {
			va_start(ap, fmt);
			vsnprintf(r->res->reason, sizeof(r->res->reason), fmt,
			    ap);
			va_end(ap);
			r->res->error_step = r->cur;
		}
		r->stop = 1;
		return;
	}
	if (r->res->verdict != VERDICT_ERROR) {
		va_start(ap, fmt);
		vsnprintf(r->res->reason, sizeof(r->res->reason), fmt, ap);
		va_end(ap);
		r->res->verdict = VERDICT_ERROR;
		r->res->error_step = r->cur;
	}
	r->stop = 1;
}

static void
run_error_diag(struct run *r, const char *what, const struct diag *d)
{
	char	ds[700];

	run_error(r, "%s: %s", what, diag_str(d, ds, sizeof(ds)));
}

/* ---- Transcript and linting -------------------------------------------- */

static void
run_tap(void *arg, enum vfu_tap_dir dir, const uint8_t *buf, size_t len,
    const int *fds, size_t nfds)
{
	struct run	*r = arg;

	(void)fds;
	(void)result_add_transcript(r->res, now_us() - r->t0_us,
	    dir == VFU_TAP_RECEIVED, 0, buf, len, nfds);
}

static void
run_finding(void *arg, const struct rule *rule, const char *seen)
{
	struct run	*r = arg;

	(void)result_add_finding(r->res, rule, seen, r->cur, r->cur_buf,
	    r->cur_len, 1);
}

static void
inmsg_free(struct inmsg *m)
{
	if (m == NULL)
		return;
	lint_result_free(&m->lr);
	transport_frame_release(&m->f);
	free(m);
}

static int
same_as_lookup(void *arg, const struct step *st, const uint8_t **p,
    size_t *len)
{
	struct run	*r = arg;
	size_t		 i;

	for (i = 0; i < r->nsent; i++)
		if (r->sent[i].st == st) {
			*p = r->sent[i].p;
			*len = r->sent[i].len;
			return (0);
		}
	return (-1);
}

static int
sent_record(struct run *r, const struct step *st, const uint8_t *p,
    size_t len)
{
	struct sent	*ns;
	size_t		 i, ncap;
	uint8_t		*copy;

	if ((copy = malloc(len + 1)) == NULL)
		return (-1);
	if (len > 0)
		memcpy(copy, p, len);
	for (i = 0; i < r->nsent; i++)
		if (r->sent[i].st == st) {
			free(r->sent[i].p);
			r->sent[i].p = copy;
			r->sent[i].len = len;
			return (0);
		}
	if (r->nsent == r->capsent) {
		ncap = r->capsent == 0 ? 8 : r->capsent * 2;
		if ((ns = reallocarray(r->sent, ncap, sizeof(*ns))) == NULL) {
			free(copy);
			return (-1);
		}
		r->sent = ns;
		r->capsent = ncap;
	}
	r->sent[r->nsent].st = st;
	r->sent[r->nsent].p = copy;
	r->sent[r->nsent].len = len;
	r->nsent++;
	return (0);
}

/* Drops the requests that are done with (long repeat loops). */
static void
rq_compact(struct run *r)
{
	size_t	i, j = 0;

	for (i = 0; i < r->nrqs; i++) {
		if (r->rqs[i].consumed && r->rqs[i].reply == NULL) {
			if (r->rqs[i].map_fd != -1)
				(void)close(r->rqs[i].map_fd);
			continue;
		}
		r->rqs[j++] = r->rqs[i];
	}
	r->nrqs = j;
}

/* A new outstanding request.  Indexes into r->rqs change here only. */
static struct rq *
rq_add(struct run *r)
{
	struct rq	*nr;
	size_t		 ncap;

	if (r->nrqs == r->caprqs)
		rq_compact(r);
	if (r->nrqs == r->caprqs) {
		ncap = r->caprqs == 0 ? 16 : r->caprqs * 2;
		if ((nr = reallocarray(r->rqs, ncap, sizeof(*nr))) == NULL)
			return (NULL);
		r->rqs = nr;
		r->caprqs = ncap;
	}
	nr = &r->rqs[r->nrqs++];
	memset(nr, 0, sizeof(*nr));
	nr->map_fd = -1;
	return (nr);
}

static int
reqs_push(struct run *r, struct inmsg *m)
{
	struct inmsg	**nv;
	size_t		  ncap;

	if (r->nreqs == r->capreqs) {
		ncap = r->capreqs == 0 ? 8 : r->capreqs * 2;
		if ((nv = reallocarray(r->reqs, ncap, sizeof(*nv))) == NULL)
			return (-1);
		r->reqs = nv;
		r->capreqs = ncap;
	}
	r->reqs[r->nreqs++] = m;
	return (0);
}

static struct inmsg *
reqs_pop(struct run *r)
{
	struct inmsg	*m;

	if (r->nreqs == 0)
		return (NULL);
	m = r->reqs[0];
	memmove(&r->reqs[0], &r->reqs[1], (r->nreqs - 1) * sizeof(r->reqs[0]));
	r->nreqs--;
	return (m);
}

/* Sends bytes: lint, transport, and what a failure means. */
static enum vfu_io
run_send_bytes(struct run *r, const uint8_t *buf, size_t len,
    const int *fds, size_t nfds, int64_t deadline, const struct srcpos *pos)
{
	struct diag	d;
	enum vfu_io	io;
	char		ds[700], exp[96];

	if (r->closed)
		return (VFU_IO_EOF);
	if (lint_sent(&r->sess, buf, len, nfds) == -1) {
		run_error(r, "out of memory");
		return (VFU_IO_ERROR);
	}
	io = transport_send(&r->conn, buf, len, fds, nfds, deadline, &d);
	switch (io) {
	case VFU_IO_OK:
		break;
	case VFU_IO_EOF:
	case VFU_IO_TRUNCATED:
		r->closed = 1;
		strf(r->closed_why, sizeof(r->closed_why), "the peer "
		    "closed the connection (seen while sending)");
		break;
	case VFU_IO_TIMEOUT:
		strf(exp, sizeof(exp), "the peer reads the %zu-byte "
		    "message", len);
		mismatch(r, pos, "send", exp, "it did not within the "
		    "deadline: %s", diag_str(&d, ds, sizeof(ds)));
		r->closed = 1;
		strf(r->closed_why, sizeof(r->closed_why), "a send timed "
		    "out; the connection is unusable");
		break;
	default:
		if (r->conn.broken || r->conn.fd == -1) {
			r->closed = 1;
			strf(r->closed_why, sizeof(r->closed_why), "%s",
			    diag_str(&d, ds, sizeof(ds)));
		} else
			run_error_diag(r, "send", &d);
		break;
	}
	return (io);
}

/* Encodes m and sends it. */
static enum vfu_io
run_send_msg(struct run *r, struct vfu_msg *m, unsigned flags,
    const int *fds, size_t nfds, int64_t deadline, const struct srcpos *pos,
    uint8_t **copy, size_t *copylen)
{
	struct wbuf	wb;
	struct diag	d;
	enum vfu_io	io;

	wbuf_init(&wb, MAX_SEND);
	if (vfu_msg_encode(m, &wb, flags, &d) == -1) {
		wbuf_free(&wb);
		run_error_diag(r, "cannot encode the message", &d);
		return (VFU_IO_ERROR);
	}
	io = run_send_bytes(r, wb.p, wb.len, fds, nfds, deadline, pos);
	if (copy != NULL && io == VFU_IO_OK)
		*copy = wbuf_steal(&wb, copylen);
	wbuf_free(&wb);
	return (io);
}

/* A reply to request q came: the bookkeeping the guest memory needs. */
static void
rq_answered(struct run *r, struct rq *q, const struct inmsg *m)
{
	int	ok = !(m->lr.hdr.flags & VFIO_USER_F_ERROR);

	if (q->is_map) {
		if (ok && guest_map(&r->guest, q->address, q->size, q->offset,
		    q->map_fd) == -1)
			run_error(r, "out of memory backing a DMA window");
		else if (!ok && q->map_fd != -1)
			(void)close(q->map_fd);
		q->map_fd = -1;
	}
	if (q->is_unmap && ok)
		guest_unmap(&r->guest, q->address, q->size);
}

static void serve_request(struct run *, struct inmsg *, int64_t);
static void reply_error(struct run *, const struct vfu_hdr *, uint32_t,
    int64_t);

/* What run_recv() got. */
enum got {
	GOT_REPLY,		/* attached to its request */
	GOT_REQUEST,		/* kept for a serve/expect step */
	GOT_SERVED,		/* a DMA request served on the way */
	GOT_OTHER,		/* anything else: linted and dropped */
};

/*
 * Receives one message by the deadline, lints it and files it.  Anything
 * but VFU_IO_OK (and TIMEOUT) marks the connection closed.
 */
static enum vfu_io
run_recv(struct run *r, int64_t deadline, enum got *got)
{
	struct inmsg	*m;
	struct diag	 d;
	enum vfu_io	 io;
	struct rq	*q;
	size_t		 i;
	char		 ds[700], exp[64];
	uint16_t	 cmd;

	*got = GOT_OTHER;
	if (r->closed)
		return (VFU_IO_EOF);
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		run_error(r, "out of memory");
		return (VFU_IO_ERROR);
	}
	io = transport_recv(&r->conn, &m->f, deadline, &d);
	if (io != VFU_IO_OK) {
		free(m);
		if (io == VFU_IO_TIMEOUT && !r->conn.broken)
			return (io);
		r->closed = 1;
		if (io == VFU_IO_EOF)
			strf(r->closed_why, sizeof(r->closed_why),
			    "the peer closed the connection");
		else {
			strf(r->closed_why, sizeof(r->closed_why),
			    "%s: %s", vfu_io_str(io),
			    diag_str(&d, ds, sizeof(ds)));
			if (io == VFU_IO_BAD_SIZE) {
				strf(exp, sizeof(exp), "a msg_size in "
				    "[16, %zu]", r->conn.max_msg);
				mismatch(r, r->cur != NULL ? &r->cur->pos :
				    &r->sc->pos, "msg_size", exp, "%s",
				    diag_str(&d, ds, sizeof(ds)));
			}
		}
		return (io);
	}
	for (i = 0; i < m->f.nfds; i++)
		m->kinds[i] = run_fd_kind(m->f.fds[i]);
	free(r->last);
	r->last_len = m->f.len;
	if ((r->last = malloc(m->f.len)) != NULL)
		memcpy(r->last, m->f.buf, m->f.len);
	r->cur_buf = m->f.buf;
	r->cur_len = m->f.len;
	lint_received(&r->sess, m->f.buf, m->f.len, m->f.nfds,
	    m->f.fds_dropped, run_finding, r, &m->lr);
	r->cur_buf = NULL;
	r->cur_len = 0;
	cmd = m->lr.hdr.command;
	switch (m->lr.kind) {
	case LINT_REPLY:
		for (i = 0; i < r->nrqs; i++) {
			q = &r->rqs[i];
			if (q->consumed || q->reply != NULL ||
			    q->msg_id != m->lr.hdr.msg_id)
				continue;
			q->reply = m;
			rq_answered(r, q, m);
			if (cmd == VFIO_USER_VERSION && r->sess.negotiated &&
			    !r->probed)
				r->need_probe = 1;
			*got = GOT_REPLY;
			return (VFU_IO_OK);
		}
		break;
	case LINT_REQUEST:
		if (cmd == VFIO_USER_DMA_READ || cmd == VFIO_USER_DMA_WRITE) {
			if (r->sc->serve_dma && !r->serving) {
				serve_request(r, m, deadline);
				inmsg_free(m);
				*got = GOT_SERVED;
				return (VFU_IO_OK);
			}
			/* A peer that floods requests nobody serves: refuse
			 * the excess rather than grow without bound. */
			if (r->nreqs >= MAX_KEPT) {
				reply_error(r, &m->lr.hdr, EBUSY, deadline);
				inmsg_free(m);
				return (VFU_IO_OK);
			}
			if (reqs_push(r, m) == -1) {
				run_error(r, "out of memory");
				inmsg_free(m);
				return (VFU_IO_ERROR);
			}
			*got = GOT_REQUEST;
			return (VFU_IO_OK);
		}
		/* A request a server may not send: refuse it so that the
		 * peer does not wait (the linter has said why). */
		serve_request(r, m, deadline);
		break;
	case LINT_STRAY:
		break;
	}
	inmsg_free(m);
	return (VFU_IO_OK);
}

/* ---- Serving DMA ------------------------------------------------------- */

static void
reply_error(struct run *r, const struct vfu_hdr *h, uint32_t err,
    int64_t deadline)
{
	struct wbuf	wb;
	struct diag	d;

	if (h->flags & VFIO_USER_F_NO_REPLY)
		return;
	wbuf_init(&wb, 64);
	if (vfu_msg_encode_error(h->msg_id, h->command, err, &wb, &d) == 0)
		(void)run_send_bytes(r, wb.p, wb.len, NULL, 0, deadline,
		    r->cur != NULL ? &r->cur->pos : &r->sc->pos);
	wbuf_free(&wb);
}

/*
 * Answers a server request from guest memory: DMA_READ with the bytes,
 * DMA_WRITE by storing them.  What no window backs gets EFAULT, a request
 * the codec refused EINVAL, anything but DMA ENOSYS.
 */
static void
serve_request(struct run *r, struct inmsg *m, int64_t deadline)
{
	const struct vfu_hdr *h = &m->lr.hdr;
	const struct vfu_dma_access *a = &m->lr.msg.u.dma_access;
	struct vfu_msg	 rep;
	uint8_t		*mem;
	uint64_t	 n;

	if (h->command != VFIO_USER_DMA_READ &&
	    h->command != VFIO_USER_DMA_WRITE) {
		reply_error(r, h, ENOSYS, deadline);
		return;
	}
	if (!m->lr.decoded) {
		reply_error(r, h, EINVAL, deadline);
		return;
	}
	if (h->command == VFIO_USER_DMA_READ &&
	    a->count > VFU_TRANSPORT_DEF_MAX_MSG - HDR - VFIO_USER_DMA_ACCESS_SIZE) {
		reply_error(r, h, EINVAL, deadline);
		return;
	}
	n = h->command == VFIO_USER_DMA_WRITE && a->data_len < a->count ?
	    a->data_len : a->count;
	if ((mem = guest_ptr(&r->guest, a->address, n)) == NULL) {
		reply_error(r, h, EFAULT, deadline);
		return;
	}
	if (h->command == VFIO_USER_DMA_WRITE && n > 0)
		memcpy(mem, a->data, (size_t)n);
	if (h->flags & VFIO_USER_F_NO_REPLY)
		return;
	vfu_msg_init(&rep, h->command, 1, h->msg_id);
	rep.u.dma_access.address = a->address;
	rep.u.dma_access.count = a->count;
	rep.u.dma_access.count_size = 8;
	if (h->command == VFIO_USER_DMA_READ) {
		rep.u.dma_access.data = mem;
		rep.u.dma_access.data_len = (size_t)n;
	}
	(void)run_send_msg(r, &rep, VFU_ENC_AUTO_SIZE, NULL, 0, deadline,
	    r->cur != NULL ? &r->cur->pos : &r->sc->pos, NULL, NULL);
}

/* ---- Exchanges the runner makes itself --------------------------------- */

/* Waits for q's reply by the deadline.  Returns 0 when it is there. */
static int
wait_reply(struct run *r, struct rq *q, int64_t deadline)
{
	enum got	got;
	enum vfu_io	io;

	while (q->reply == NULL && !r->stop) {
		io = run_recv(r, deadline, &got);
		if (io != VFU_IO_OK)
			return (-1);
	}
	return (q->reply != NULL ? 0 : -1);
}

/*
 * Sends m (its msg_id is set here) and waits for its reply.  Returns the
 * reply (the caller frees it) or NULL (closed, timeout: *why says).
 */
static struct inmsg *
run_call(struct run *r, struct vfu_msg *m, int64_t deadline, char *why,
    size_t whylen)
{
	struct inmsg	*rep;
	struct rq	*q;
	size_t		 qi;

	m->hdr.msg_id = r->next_id++;
	if ((q = rq_add(r)) == NULL) {
		run_error(r, "out of memory");
		return (NULL);
	}
	q->msg_id = m->hdr.msg_id;
	q->command = m->hdr.command;
	qi = (size_t)(q - r->rqs);
	if (run_send_msg(r, m, VFU_ENC_AUTO_SIZE, NULL, 0, deadline,
	    &r->sc->pos, NULL, NULL) != VFU_IO_OK) {
		r->rqs[qi].consumed = 1;
		strf(why, whylen, "%s could not be sent: %s",
		    cmd_str(m->hdr.command), r->closed ? r->closed_why :
		    "error");
		return (NULL);
	}
	/* run_recv may grow r->rqs: index, not pointer */
	if (wait_reply(r, &r->rqs[qi], deadline) == -1) {
		r->rqs[qi].consumed = 1;
		strf(why, whylen, "no reply to %s: %s",
		    cmd_str(m->hdr.command), r->closed ? r->closed_why :
		    "timed out");
		return (NULL);
	}
	rep = r->rqs[qi].reply;
	r->rqs[qi].reply = NULL;
	r->rqs[qi].consumed = 1;
	return (rep);
}

static int
reply_ok(const struct inmsg *m)
{
	return (!(m->lr.hdr.flags & VFIO_USER_F_ERROR) && m->lr.decoded);
}

/* VERSION with the client's default proposal. */
static int
run_negotiate(struct run *r)
{
	struct vfu_caps	 caps;
	struct vfu_msg	 m;
	struct inmsg	*rep;
	struct diag	 d;
	char		*json = NULL, why[256];
	size_t		 jlen;
	int		 ok;

	caps_init(&caps);
	caps.have = VFU_CAP_HAVE_CAPABILITIES | VFU_CAP_HAVE_MAX_MSG_FDS |
	    VFU_CAP_HAVE_MAX_DATA_XFER | VFU_CAP_HAVE_WRITE_MULTIPLE;
	caps.max_msg_fds = 8;
	caps.write_multiple = true;
	if (caps_emit(&caps, &json, &jlen, &d) == -1) {
		run_error_diag(r, "VERSION proposal", &d);
		return (-1);
	}
	vfu_msg_init(&m, VFIO_USER_VERSION, 0, 0);
	m.u.version.major = VFIO_USER_MAJOR;
	m.u.version.minor = VFIO_USER_MINOR;
	m.u.version.data = (const uint8_t *)json;
	m.u.version.data_len = jlen;
	rep = run_call(r, &m, run_deadline(r, 0), why, sizeof(why));
	free(json);
	if (rep == NULL) {
		mismatch(r, &r->sc->pos, "requires", "a VERSION reply to "
		    "the runner's negotiation", "%s", why);
		r->stop = 1;
		return (-1);
	}
	ok = reply_ok(rep) && r->sess.negotiated;
	inmsg_free(rep);
	if (!ok) {
		mismatch(r, &r->sc->pos, "requires", "the server accepts the "
		    "runner's VERSION proposal", "it did not");
		r->stop = 1;
		return (-1);
	}
	return (0);
}

/* SKIP: the server does not offer what the scenario requires. */
static void DIAG_PRINTF(2, 3)
run_skip(struct run *r, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(r->res->reason, sizeof(r->res->reason), fmt, ap);
	va_end(ap);
	r->stop = 1;
	/* A server that broke rules while it was asked what it offers does
	 * not get away with a SKIP: its findings decide the verdict. */
	if (r->res->nfindings > 0 || r->res->nmismatches > 0)
		return;
	r->res->verdict = VERDICT_SKIP;
}

/* A probe exchange; NULL when it failed (a mismatch says why). */
static struct inmsg *
probe_call(struct run *r, struct vfu_msg *m)
{
	struct inmsg	*rep;
	char		 why[256];

	rep = run_call(r, m, run_deadline(r, 0), why, sizeof(why));
	if (rep == NULL && !r->stop) {
		mismatch(r, &r->sc->pos, "requires", "an answer to the "
		    "runner's probe", "%s", why);
		r->stop = 1;
	}
	return (rep);
}

/* DEVICE_FEATURE PROBE of feature with the GET or SET bit. */
static int
probe_feature(struct run *r, uint32_t feature, uint32_t method, int *ok)
{
	struct vfu_msg	 m;
	struct inmsg	*rep;

	vfu_msg_init(&m, VFIO_USER_DEVICE_FEATURE, 0, 0);
	m.u.feature.flags = feature | method | VFIO_DEVICE_FEATURE_PROBE;
	m.u.feature.form = VFU_FEATURE_DATA_NONE;
	vfu_msg_autofill(&m);
	if ((rep = probe_call(r, &m)) == NULL)
		return (-1);
	*ok = !(rep->lr.hdr.flags & VFIO_USER_F_ERROR);
	inmsg_free(rep);
	return (0);
}

/* Probes what the scenario requires; SKIPs when something is missing. */
static void
run_probe(struct run *r)
{
	const struct vfu_caps *sc = &r->sess.server_caps;
	unsigned	 req = r->sc->requires;
	struct vfu_msg	 m;
	struct inmsg	*rep;
	uint32_t	 nregions = 0, nirqs = 0, flags = 0, i;
	int		 ok, found;

	r->probed = 1;
	r->need_probe = 0;
	if (req == 0)
		return;
	if ((req & SCN_REQ_WRITE_MULTIPLE) && !sc->write_multiple) {
		run_skip(r, "requires write_multiple: the server's VERSION "
		    "reply does not offer it");
		return;
	}
	if ((req & SCN_REQ_TWIN_SOCKET) && !sc->twin_supported) {
		run_skip(r, "requires twin_socket: the server's VERSION reply "
		    "does not offer twin_socket.supported");
		return;
	}
	if ((req & SCN_REQ_DMA) && sc->max_dma_maps == 0) {
		run_skip(r, "requires dma: the server's VERSION reply has "
		    "max_dma_maps 0");
		return;
	}
	if (req & SCN_REQ_MIGRATION) {
		if (probe_feature(r, VFIO_DEVICE_FEATURE_MIGRATION,
		    VFIO_DEVICE_FEATURE_GET, &ok) == -1)
			return;
		if (!ok) {
			run_skip(r, "requires migration: DEVICE_FEATURE PROBE "
			    "of VFIO_DEVICE_FEATURE_MIGRATION failed");
			return;
		}
	}
	if (req & SCN_REQ_DIRTY_LOGGING) {
		if (probe_feature(r, VFIO_DEVICE_FEATURE_DMA_LOGGING_START,
		    VFIO_DEVICE_FEATURE_SET, &ok) == -1)
			return;
		if (!ok) {
			run_skip(r, "requires dirty_logging: DEVICE_FEATURE "
			    "PROBE of VFIO_DEVICE_FEATURE_DMA_LOGGING_START "
			    "failed");
			return;
		}
	}
	if (!(req & (SCN_REQ_RESET | SCN_REQ_MMAP | SCN_REQ_IO_FDS |
	    SCN_REQ_IRQ_EVENTFD)))
		return;
	vfu_msg_init(&m, VFIO_USER_DEVICE_GET_INFO, 0, 0);
	vfu_msg_autofill(&m);
	if ((rep = probe_call(r, &m)) == NULL)
		return;
	if (reply_ok(rep)) {
		flags = rep->lr.msg.u.device_info.flags;
		nregions = rep->lr.msg.u.device_info.num_regions;
		nirqs = rep->lr.msg.u.device_info.num_irqs;
	}
	inmsg_free(rep);
	if (nregions > PROBE_MAX)
		nregions = PROBE_MAX;
	if (nirqs > PROBE_MAX)
		nirqs = PROBE_MAX;
	if ((req & SCN_REQ_RESET) && !(flags & VFIO_DEVICE_FLAGS_RESET)) {
		run_skip(r, "requires reset: DEVICE_GET_INFO flags lack "
		    "VFIO_DEVICE_FLAGS_RESET");
		return;
	}
	if (req & SCN_REQ_MMAP) {
		for (i = 0, found = 0; i < nregions && !found; i++) {
			vfu_msg_init(&m, VFIO_USER_DEVICE_GET_REGION_INFO, 0,
			    0);
			vfu_msg_autofill(&m);
			m.u.region_info.index = i;
			if ((rep = probe_call(r, &m)) == NULL)
				return;
			found = reply_ok(rep) && (rep->lr.msg.u.region_info.flags &
			    VFIO_REGION_INFO_FLAG_MMAP);
			inmsg_free(rep);
		}
		if (!found) {
			run_skip(r, "requires mmap: no region's "
			    "DEVICE_GET_REGION_INFO has "
			    "VFIO_REGION_INFO_FLAG_MMAP");
			return;
		}
	}
	if (req & SCN_REQ_IO_FDS) {
		for (i = 0, found = 0; i < nregions && !found; i++) {
			vfu_msg_init(&m, VFIO_USER_DEVICE_GET_REGION_IO_FDS,
			    0, 0);
			vfu_msg_autofill(&m);
			m.u.region_io_fds.index = i;
			if ((rep = probe_call(r, &m)) == NULL)
				return;
			found = reply_ok(rep) &&
			    rep->lr.msg.u.region_io_fds.count > 0;
			inmsg_free(rep);
		}
		if (!found) {
			run_skip(r, "requires io_fds: no region has IO FDs "
			    "(DEVICE_GET_REGION_IO_FDS)");
			return;
		}
	}
	if (req & SCN_REQ_IRQ_EVENTFD) {
		for (i = 0, found = 0; i < nirqs && !found; i++) {
			vfu_msg_init(&m, VFIO_USER_DEVICE_GET_IRQ_INFO, 0, 0);
			vfu_msg_autofill(&m);
			m.u.irq_info.index = i;
			if ((rep = probe_call(r, &m)) == NULL)
				return;
			found = reply_ok(rep) &&
			    (rep->lr.msg.u.irq_info.flags &
			    VFIO_IRQ_INFO_EVENTFD) &&
			    rep->lr.msg.u.irq_info.count > 0;
			inmsg_free(rep);
		}
		if (!found)
			run_skip(r, "requires irq_eventfd: no IRQ index has "
			    "VFIO_IRQ_INFO_EVENTFD with count > 0");
	}
}

/* ---- send -------------------------------------------------------------- */

/* Points the message's variable part f at p. */
static void
set_data(struct vfu_msg *m, const uint8_t *p, size_t len)
{
	switch (m->hdr.command) {
	case VFIO_USER_VERSION:
		m->u.version.data = p;
		m->u.version.data_len = len;
		break;
	case VFIO_USER_DEVICE_SET_IRQS:
		m->u.irq_set.data = p;
		m->u.irq_set.data_len = len;
		break;
	case VFIO_USER_REGION_READ:
	case VFIO_USER_REGION_WRITE:
		m->u.region_access.data = p;
		m->u.region_access.data_len = len;
		break;
	case VFIO_USER_DMA_READ:
	case VFIO_USER_DMA_WRITE:
		m->u.dma_access.data = p;
		m->u.dma_access.data_len = len;
		break;
	case VFIO_USER_DEVICE_FEATURE:
		m->u.feature.data = p;
		m->u.feature.data_len = len;
		m->u.feature.form = VFU_FEATURE_DATA_RAW;
		break;
	case VFIO_USER_MIG_DATA_READ:
	case VFIO_USER_MIG_DATA_WRITE:
		m->u.mig_data.data = p;
		m->u.mig_data.data_len = len;
		break;
	}
}

/* Fills one element of an array from a record. */
static int
set_record(struct run *r, void *elem, const struct record *rec,
    struct diag *d)
{
	const struct field_set *fs;
	const uint8_t	*p;
	size_t		 i, len;
	uint64_t	 v;

	for (i = 0; i < rec->nfields; i++) {
		fs = &rec->fields[i];
		if (fs->field->kind == VFU_FIELD_DATA) {
			if (match_value_bytes(&fs->v, &r->env, &p, &len,
			    d) == -1)
				return (-1);
			if (len > fs->field->size)
				len = fs->field->size;
			memcpy((uint8_t *)elem + fs->field->soff, p, len);
			continue;
		}
		if (match_value_int(&fs->v, &r->env, &v, d) == -1)
			return (-1);
		vfu_field_set(elem, fs->field, v);
	}
	return (0);
}

/* An array field: allocates the elements (*alloc, freed by the caller). */
static int
set_array(struct run *r, struct vfu_msg *m, const struct field_set *fs,
    void **alloc, struct diag *d)
{
	const struct value *v = &fs->v;
	size_t		 esz, i;
	uint8_t		*arr;

	switch (m->hdr.command) {
	case VFIO_USER_REGION_WRITE_MULTI:
		esz = sizeof(struct vfu_write_multi_entry);
		break;
	case VFIO_USER_DEVICE_GET_REGION_IO_FDS:
		esz = sizeof(struct vfu_io_fd_sub_region);
		break;
	case VFIO_USER_DEVICE_GET_REGION_INFO:
		esz = sizeof(struct vfu_region_cap);
		break;
	default:
		return (diag_at(d, fs->pos.file, fs->pos.line, fs->pos.col,
		    "the runner cannot build '%s' here", fs->name));
	}
	if (v->kind != VALUE_RECORDS)
		return (diag_at(d, fs->pos.file, fs->pos.line, fs->pos.col,
		    "'%s' takes a list of elements", fs->name));
	if ((arr = calloc(v->nrecs + 1, esz)) == NULL)
		return (diag_set(d, "out of memory"));
	free(*alloc);
	*alloc = arr;
	for (i = 0; i < v->nrecs; i++)
		if (set_record(r, arr + i * esz, &v->recs[i], d) == -1)
			return (-1);
	switch (m->hdr.command) {
	case VFIO_USER_REGION_WRITE_MULTI:
		m->u.write_multi.wrs = (struct vfu_write_multi_entry *)
		    (void *)arr;
		m->u.write_multi.nwrs = v->nrecs;
		break;
	case VFIO_USER_DEVICE_GET_REGION_IO_FDS:
		m->u.region_io_fds.sub_regions =
		    (struct vfu_io_fd_sub_region *)(void *)arr;
		m->u.region_io_fds.nsub = v->nrecs;
		break;
	default:
		m->u.region_info.caps = (struct vfu_region_cap *)(void *)arr;
		m->u.region_info.ncaps = v->nrecs;
		break;
	}
	return (0);
}

/* The step's payload fields: ints only (again after autofill), or all. */
static int
set_fields(struct run *r, const struct step_send *s, struct vfu_msg *m,
    int ints_only, const uint8_t **data, size_t *datalen, void **alloc,
    struct diag *d)
{
	const struct field_set *fs;
	const uint8_t	*p;
	size_t		 i, len;
	uint64_t	 v;

	for (i = 0; i < s->nfields; i++) {
		fs = &s->fields[i];
		switch (fs->field->kind) {
		case VFU_FIELD_ARRAY:
			if (!ints_only && set_array(r, m, fs, alloc, d) == -1)
				return (-1);
			break;
		case VFU_FIELD_DATA:
		case VFU_FIELD_JSON:
			if (ints_only)
				break;
			if (match_value_bytes(&fs->v, &r->env, &p, &len,
			    d) == -1)
				return (-1);
			/* JSON text goes with its NUL (the loader's strings
			 * are NUL-terminated) */
			if (fs->field->kind == VFU_FIELD_JSON &&
			    fs->v.kind == VALUE_STRING)
				len++;
			set_data(m, p, len);
			*data = p;
			*datalen = len;
			break;
		default:
			if (match_value_int(&fs->v, &r->env, &v, d) == -1)
				return (-1);
			vfu_field_set(&m->u, fs->field, v);
			break;
		}
	}
	return (0);
}

static void
close_fds(int *fds, const int *closeit, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (closeit[i] && fds[i] != -1)
			(void)close(fds[i]);
}

static void
step_send(struct run *r, const struct step *st)
{
	const struct step_send *s = &st->u.send;
	struct vfu_msg	 m;
	struct diag	 d;
	struct rq	*q;
	struct vfu_hdr	 h;
	const uint8_t	*data = NULL, *buf = NULL;
	uint8_t		*wire = NULL;
	size_t		 datalen = 0, len = 0, i;
	void		*alloc = NULL;
	int		*fds = NULL, *closeit = NULL;
	struct wbuf	 wb;
	uint64_t	 v;
	enum vfu_io	 io;
	int64_t		 deadline = run_deadline(r, 0);

	if (s->nfds > VFU_TRANSPORT_MAX_FDS) {
		run_error(r, "%zu fds: at most %d go with one message",
		    s->nfds, VFU_TRANSPORT_MAX_FDS);
		return;
	}
	fds = calloc(s->nfds + 1, sizeof(*fds));
	closeit = calloc(s->nfds + 1, sizeof(*closeit));
	if (fds == NULL || closeit == NULL) {
		run_error(r, "out of memory");
		goto out;
	}
	for (i = 0; i < s->nfds; i++)
		fds[i] = -1;
	for (i = 0; i < s->nfds; i++)
		if (run_fd_make(&s->fds[i], &r->fds, &fds[i], &closeit[i],
		    &d) == -1) {
			run_error_diag(r, "cannot make the fd", &d);
			goto out;
		}

	if (s->desc == NULL) {
		/* raw: the bytes as they are */
		buf = s->raw.bytes;
		len = s->raw.len;
		data = buf;
		datalen = len;
	} else {
		vfu_msg_init(&m, s->desc->command, s->reply, r->next_id++);
		if (set_fields(r, s, &m, 0, &data, &datalen, &alloc,
		    &d) == -1) {
			run_error_diag(r, "send", &d);
			goto out;
		}
		if (m.hdr.command == VFIO_USER_DEVICE_FEATURE &&
		    m.u.feature.data == NULL)
			m.u.feature.form = VFU_FEATURE_DATA_NONE;
		if (s->no_reply)
			m.hdr.flags |= VFIO_USER_F_NO_REPLY;
		if (s->is_error) {
			m.hdr.flags |= VFIO_USER_F_ERROR;
			m.hdr.error = s->err;
		}
		vfu_msg_autofill(&m);
		(void)set_fields(r, s, &m, 1, &data, &datalen, &alloc, &d);
		/* Encoded with msg_size computed, then the header overrides
		 * patched in, so that whatever the step says goes out. */
		wbuf_init(&wb, MAX_SEND);
		if (vfu_msg_encode(&m, &wb, VFU_ENC_AUTO_SIZE, &d) == -1) {
			wbuf_free(&wb);
			run_error_diag(r, "cannot encode the message", &d);
			goto out;
		}
		for (i = 0; i < s->nhdr; i++) {
			if (match_value_int(&s->hdr[i].v, &r->env, &v,
			    &d) == -1) {
				wbuf_free(&wb);
				run_error_diag(r, "send", &d);
				goto out;
			}
			(void)wbuf_patch(&wb, s->hdr[i].field->off,
			    s->hdr[i].field->size, v);
		}
		wire = wbuf_steal(&wb, &len);
		wbuf_free(&wb);
		if (wire == NULL) {
			run_error(r, "out of memory");
			goto out;
		}
		buf = wire;
	}
	if (sent_record(r, st, data, data != NULL ? datalen : 0) == -1) {
		run_error(r, "out of memory");
		goto out;
	}
	if (len == 0) {
		mismatch(r, &st->pos, "raw", "bytes to send", "none");
		goto out;
	}
	io = run_send_bytes(r, buf, len, fds, s->nfds, deadline, &st->pos);
	if (io != VFU_IO_OK || buf == NULL)
		goto out;

	/* Anything but a reply may be answered (a message with invalid type
	 * bits too, with an error): remember it for the expects. */
	if (vfu_hdr_decode(buf, len, &h, NULL) == -1 ||
	    (h.flags & VFIO_USER_F_TYPE_MASK) == VFIO_USER_F_TYPE_REPLY ||
	    (h.flags & VFIO_USER_F_NO_REPLY))
		goto out;
	if ((q = rq_add(r)) == NULL) {
		run_error(r, "out of memory");
		goto out;
	}
	q->st = st;
	q->msg_id = h.msg_id;
	q->command = h.command;
	if (s->desc != NULL && s->desc->command == VFIO_USER_DMA_MAP &&
	    h.command == VFIO_USER_DMA_MAP) {
		q->is_map = 1;
		q->address = m.u.dma_map.address;
		q->size = m.u.dma_map.size;
		q->offset = m.u.dma_map.offset;
		if (s->nfds > 0 && fds[0] != -1)
			q->map_fd = fcntl(fds[0], F_DUPFD_CLOEXEC, 0);
	} else if (s->desc != NULL &&
	    s->desc->command == VFIO_USER_DMA_UNMAP &&
	    h.command == VFIO_USER_DMA_UNMAP) {
		q->is_unmap = 1;
		q->address = m.u.dma_unmap.address;
		q->size = m.u.dma_unmap.size;
	}
out:
	if (fds != NULL && closeit != NULL)
		close_fds(fds, closeit, s->nfds);
	free(fds);
	free(closeit);
	free(alloc);
	free(wire);
}

/* ---- expect ------------------------------------------------------------ */

/*
 * The request an expect answers: the oldest outstanding one sent by step
 * to.  to is NULL only after raw sends (docs/scenario-format.md): then the
 * oldest raw request, else the oldest of any.
 */
static long
find_rq(const struct run *r, const struct step *to)
{
	size_t	i;
	long	any = -1;

	for (i = 0; i < r->nrqs; i++) {
		if (r->rqs[i].consumed || r->rqs[i].st == NULL)
			continue;
		if (to != NULL && r->rqs[i].st == to)
			return ((long)i);
		if (to == NULL && r->rqs[i].st->kind == STEP_SEND &&
		    r->rqs[i].st->u.send.desc == NULL)
			return ((long)i);
		if (to == NULL && any == -1)
			any = (long)i;
	}
	return (any);
}

/* Fails with a scenario error (-1 from the matcher). */
static void
match_failed(struct run *r, const struct diag *d)
{
	run_error_diag(r, "cannot evaluate the expectation", d);
}

/*
 * Matches m against the alternatives, reports the closest one's mismatches
 * when none is met, and captures (from the one met, else the closest).
 */
static void
match_alts(struct run *r, const struct step *st, const struct expect_msg *alts,
    size_t nalts, const char *what, struct inmsg *m)
{
	struct match_msg in;
	struct diag	 d;
	size_t		 i, best = 0;
	int		 n, bestn = -1;

	memset(&in, 0, sizeof(in));
	in.buf = m->f.buf;
	in.len = m->f.len;
	in.msg = m->lr.decoded ? &m->lr.msg : NULL;
	in.nfds = m->f.nfds;
	in.fd_kinds = m->kinds;
	for (i = 0; i < nalts; i++) {
		if (alts[i].close)
			continue;
		n = match_expect_msg(&alts[i], what, &in, &r->env, st, NULL,
		    &d);
		if (n == -1) {
			match_failed(r, &d);
			return;
		}
		if (bestn == -1 || n < bestn) {
			bestn = n;
			best = i;
		}
		if (n == 0)
			break;
	}
	if (bestn == -1) {
		(void)result_add_mismatch(r->res, st, st->pos.line,
		    st->pos.col, what, "the peer closing the connection",
		    "a message", m->f.buf, m->f.len, 1);
		return;
	}
	if (bestn > 0 && nalts > 1) {
		char	exp[160] = "", act[160];
		size_t	o = 0;

		for (i = 0; i < nalts && o < sizeof(exp); i++)
			o += (size_t)snprintf(exp + o, sizeof(exp) - o, "%s%s "
			    "at line %u", i == 0 ? "one of: " : ", ",
			    alts[i].close ? "close" : "a message",
			    alts[i].pos.line);
		snprintf(act, sizeof(act), "none matched; the closest, at "
		    "line %u, differs as follows", alts[best].pos.line);
		(void)result_add_mismatch(r->res, st, st->pos.line,
		    st->pos.col, "one_of", exp, act, m->f.buf, m->f.len, 1);
	}
	if (bestn > 0 && match_expect_msg(&alts[best], what, &in, &r->env,
	    st, r->res, &d) == -1) {
		match_failed(r, &d);
		return;
	}
	if (match_captures(&alts[best], &in, &r->vars, st, r->res) == -1)
		run_error(r, "out of memory");
	/* received fds named "as:" stay open for later steps */
	for (i = 0; i < alts[best].nfd_names && i < m->f.nfds; i++) {
		int fd = transport_frame_take_fd(&m->f, i);

		if (fd != -1 && run_fds_keep(&r->fds, alts[best].fd_names[i],
		    fd) == -1)
			run_error(r, "out of memory");
	}
}

/* Is the peer closing one of the allowed outcomes? */
static int
close_allowed(const struct step_expect *e)
{
	size_t	i;

	for (i = 0; i < e->nalts; i++)
		if (e->alts[i].close)
			return (1);
	return (0);
}

static void
expect_reply(struct run *r, const struct step *st)
{
	const struct step_expect *e = &st->u.expect;
	struct inmsg	*m;
	long		 qi;
	int64_t		 deadline = run_deadline(r, e->within_ms);
	char		 where[96], exp[160];

	if ((qi = find_rq(r, e->to)) == -1) {
		if (r->closed && close_allowed(e))
			return;
		if (e->to != NULL)
			step_where(e->to, where, sizeof(where));
		strf(exp, sizeof(exp), "the reply to %s",
		    e->to != NULL ? where : "the last request");
		mismatch(r, &st->pos, "reply", exp, "that request was not "
		    "sent%s%s", r->closed ? ": " : "",
		    r->closed ? r->closed_why : "");
		return;
	}
	step_where(r->rqs[qi].st, where, sizeof(where));
	strf(exp, sizeof(exp), "the reply to %s msg_id %u sent at %s "
	    "within %" PRId64 " ms%s", cmd_str(r->rqs[qi].command),
	    r->rqs[qi].msg_id, where, ms_left(deadline),
	    close_allowed(e) ? ", or the peer closing" : "");
	if (wait_reply(r, &r->rqs[qi], deadline) == -1) {
		r->rqs[qi].consumed = 1;
		if (r->stop)
			return;
		if (r->closed && close_allowed(e))
			return;
		mismatch(r, &st->pos, "reply", exp, "%s", r->closed ?
		    r->closed_why : "nothing");
		return;
	}
	m = r->rqs[qi].reply;
	r->rqs[qi].reply = NULL;
	r->rqs[qi].consumed = 1;
	match_alts(r, st, e->alts, e->nalts, "reply", m);
	inmsg_free(m);
}

/* The next server request: kept, or received by the deadline. */
static struct inmsg *
next_request(struct run *r, int64_t deadline)
{
	struct inmsg	*m;
	enum got	 got;

	r->serving = 1;
	while ((m = reqs_pop(r)) == NULL && !r->stop) {
		if (run_recv(r, deadline, &got) != VFU_IO_OK)
			break;
	}
	r->serving = 0;
	return (m);
}

static void
expect_request(struct run *r, const struct step *st)
{
	const struct step_expect *e = &st->u.expect;
	struct inmsg	*m;
	int64_t		 deadline = run_deadline(r, e->within_ms);
	char		 exp[160];

	strf(exp, sizeof(exp), "a %s request within %" PRId64 " ms",
	    e->alts[0].desc != NULL ? e->alts[0].desc->name : "server",
	    ms_left(deadline));
	if ((m = next_request(r, deadline)) == NULL) {
		if (!r->stop)
			mismatch(r, &st->pos, "request", exp, "%s",
			    r->closed ? r->closed_why : "nothing");
		return;
	}
	if (e->alts[0].desc != NULL &&
	    m->lr.hdr.command != e->alts[0].desc->command && e->nalts == 1)
		(void)result_add_mismatch(r->res, st, e->alts[0].pos.line,
		    e->alts[0].pos.col, "request.command",
		    e->alts[0].desc->name, cmd_str(m->lr.hdr.command),
		    m->f.buf, m->f.len, 1);
	else
		match_alts(r, st, e->alts, e->nalts, "request", m);
	/* the harness is the client: answer so that the server goes on */
	serve_request(r, m, deadline);
	inmsg_free(m);
}

static void
expect_close(struct run *r, const struct step *st)
{
	int64_t		deadline = run_deadline(r, st->u.expect.within_ms);
	enum got	got;
	enum vfu_io	io;
	char		exp[96];

	strf(exp, sizeof(exp), "the peer closes the connection within "
	    "%" PRId64 " ms", ms_left(deadline));
	while (!r->closed && !r->stop) {
		io = run_recv(r, deadline, &got);
		if (io == VFU_IO_TIMEOUT) {
			mismatch(r, &st->pos, "close", exp, "the connection "
			    "is still open");
			return;
		}
	}
}

static void
expect_silence(struct run *r, const struct step *st)
{
	int64_t		 start = transport_now_ms();
	int64_t		 deadline = start + (int64_t)st->u.expect.within_ms;
	enum got	 got;
	enum vfu_io	 io;
	struct vfu_hdr	 h;
	char		 exp[96], act[160];

	if (r->o->deadline >= 0 && deadline > r->o->deadline)
		deadline = r->o->deadline;
	strf(exp, sizeof(exp), "no message for %" PRIu64 " ms",
	    st->u.expect.within_ms);
	while (!r->stop) {
		io = run_recv(r, deadline, &got);
		if (io == VFU_IO_TIMEOUT)
			return;
		if (io != VFU_IO_OK) {
			mismatch(r, &st->pos, "silence", exp, "%s after %"
			    PRId64 " ms", r->closed_why,
			    transport_now_ms() - start);
			return;
		}
		if (got == GOT_SERVED)
			continue;
		if (r->last != NULL && vfu_hdr_decode(r->last, r->last_len,
		    &h, NULL) == 0)
			strf(act, sizeof(act), "%s %s msg_id %u after %"
			    PRId64 " ms", cmd_str(h.command),
			    vfu_hdr_is_reply(&h) ? "reply" : "request",
			    h.msg_id, transport_now_ms() - start);
		else
			strf(act, sizeof(act), "a message after %" PRId64
			    " ms", transport_now_ms() - start);
		(void)result_add_mismatch(r->res, st, st->pos.line,
		    st->pos.col, "silence", exp, act, r->last, r->last_len, 1);
		return;
	}
}

/* irq with fires: false: the eventfd stays quiet for the whole window. */
static void
expect_irq_quiet(struct run *r, const struct step *st, int efd)
{
	const struct step_expect *e = &st->u.expect;
	struct pollfd	 pfd[2];
	int64_t		 start = transport_now_ms();
	int64_t		 deadline = start + (int64_t)e->within_ms;
	uint64_t	 cnt = 0;
	enum got	 got;
	int		 n;
	char		 exp[128];

	if (r->o->deadline >= 0 && deadline > r->o->deadline)
		deadline = r->o->deadline;
	strf(exp, sizeof(exp), "eventfd '%s' not signalled for %" PRIu64
	    " ms", e->irq_fd, e->within_ms);
	while (!r->stop) {
		pfd[0].fd = efd;
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		pfd[1].fd = r->closed ? -1 : r->conn.fd;
		pfd[1].events = POLLIN;
		pfd[1].revents = 0;
		n = poll(pfd, 2, (int)ms_left(deadline));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			run_error(r, "poll failed (errno %d)", errno);
			return;
		}
		if (pfd[0].revents & POLLIN) {
			/* consume the count: a later expect waits anew */
			if (read(efd, &cnt, sizeof(cnt)) < 0)
				cnt = 0;
			mismatch(r, &st->pos, "irq", exp, "signalled after %"
			    PRId64 " ms (count %" PRIu64 ")",
			    transport_now_ms() - start, cnt);
			return;
		}
		if (pfd[1].revents != 0) {
			/* replies are kept, DMA served; the window goes on */
			(void)run_recv(r, deadline, &got);
			continue;
		}
		if (n == 0 || ms_left(deadline) == 0)
			return;
	}
}

static void
expect_irq(struct run *r, const struct step *st)
{
	const struct step_expect *e = &st->u.expect;
	struct pollfd	 pfd[2];
	int64_t		 deadline = run_deadline(r, e->within_ms);
	uint64_t	 cnt;
	enum got	 got;
	int		 efd, n, left;
	char		 exp[128];

	strf(exp, sizeof(exp), "eventfd '%s' signalled within %" PRId64
	    " ms", e->irq_fd, ms_left(deadline));
	if ((efd = run_fds_find(&r->fds, e->irq_fd)) == -1) {
		run_error(r, "fd '%s' does not exist (the step that makes it "
		    "did not run)", e->irq_fd);
		return;
	}
	if (e->irq_quiet) {
		expect_irq_quiet(r, st, efd);
		return;
	}
	while (!r->stop) {
		pfd[0].fd = efd;
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		pfd[1].fd = r->closed ? -1 : r->conn.fd;
		pfd[1].events = POLLIN;
		pfd[1].revents = 0;
		left = (int)ms_left(deadline);
		n = poll(pfd, 2, left);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			run_error(r, "poll failed (errno %d)", errno);
			return;
		}
		if (pfd[0].revents & POLLIN) {
			/* consume the count so a later expect waits anew */
			if (read(efd, &cnt, sizeof(cnt)) < 0 &&
			    errno != EAGAIN)
				run_error(r, "cannot read eventfd '%s' "
				    "(errno %d)", e->irq_fd, errno);
			return;
		}
		if (pfd[1].revents != 0) {
			(void)run_recv(r, deadline, &got);
			continue;
		}
		if (n == 0 || left == 0) {
			mismatch(r, &st->pos, "irq", exp, "not signalled%s%s",
			    r->closed ? "; " : "", r->closed ?
			    r->closed_why : "");
			return;
		}
	}
}

/* ---- serve ------------------------------------------------------------- */

static void
step_serve(struct run *r, const struct step *st)
{
	const struct step_serve *s = &st->u.serve;
	struct match_msg in;
	struct inmsg	*m;
	struct diag	 d;
	int64_t		 deadline = run_deadline(r, s->within_ms);
	uint64_t	 k;
	char		 exp[160], act[160];
	const struct vfu_dma_access *a;

	strf(exp, sizeof(exp), "%" PRIu64 " %s request%s within %" PRId64
	    " ms", s->count, s->desc != NULL ? s->desc->name : "DMA",
	    s->count == 1 ? "" : "s", ms_left(deadline));
	for (k = 0; k < s->count && !r->stop; k++) {
		if ((m = next_request(r, deadline)) == NULL) {
			if (!r->stop)
				mismatch(r, &st->pos, "serve", exp, "%" PRIu64
				    " came: %s", k, r->closed ? r->closed_why :
				    "timed out");
			return;
		}
		memset(&in, 0, sizeof(in));
		in.buf = m->f.buf;
		in.len = m->f.len;
		in.msg = m->lr.decoded ? &m->lr.msg : NULL;
		in.nfds = m->f.nfds;
		in.fd_kinds = m->kinds;
		a = &m->lr.msg.u.dma_access;
		if (s->desc != NULL && m->lr.hdr.command != s->desc->command)
			(void)result_add_mismatch(r->res, st, st->pos.line,
			    st->pos.col, "request.command", s->desc->name,
			    cmd_str(m->lr.hdr.command), m->f.buf, m->f.len, 1);
		else if (!m->lr.decoded)
			(void)result_add_mismatch(r->res, st, st->pos.line,
			    st->pos.col, "request", "a well-formed DMA "
			    "request", "the codec refused it (see the "
			    "findings)", m->f.buf, m->f.len, 1);
		else {
			if (s->check_window && session_dma_find(&r->sess,
			    a->address, a->count) == NULL) {
				strf(act, sizeof(act), "[0x%" PRIx64
				    ", +0x%" PRIx64 ") outside the %zu mapped "
				    "windows", a->address, a->count,
				    r->sess.ndma);
				(void)result_add_mismatch(r->res, st,
				    st->pos.line, st->pos.col,
				    "request.address", "inside a mapped DMA "
				    "window", act, m->f.buf, m->f.len, 1);
			}
			if (m->lr.hdr.command == VFIO_USER_DMA_WRITE &&
			    a->data_len != a->count) {
				strf(act, sizeof(act), "%zu bytes of data",
				    a->data_len);
				strf(exp, sizeof(exp), "count (%" PRIu64
				    ") bytes of data", a->count);
				(void)result_add_mismatch(r->res, st,
				    st->pos.line, st->pos.col, "request.data",
				    exp, act, m->f.buf, m->f.len, 1);
			}
			if (match_fields(s->fields, s->nfields, 0, "request",
			    &in, &r->env, st, r->res, &d) == -1)
				match_failed(r, &d);
		}
		serve_request(r, m, deadline);
		inmsg_free(m);
	}
}

/* ---- reconnect --------------------------------------------------------- */

/* What a client announces until a VERSION reply says otherwise: the peer
 * must respect it (lint checks the fds it sends against it). */
static void
run_session_init(struct run *r)
{
	session_init(&r->sess, SESSION_CLIENT);
	r->sess.client_caps.max_msg_fds = 8;
	r->sess.client_caps.write_multiple = true;
}

/* Forgets what belonged to the connection that is closing. */
static void
run_session_drop(struct run *r)
{
	size_t	i;

	for (i = 0; i < r->nrqs; i++) {
		inmsg_free(r->rqs[i].reply);
		if (r->rqs[i].map_fd != -1)
			(void)close(r->rqs[i].map_fd);
	}
	r->nrqs = 0;
	for (i = 0; i < r->nreqs; i++)
		inmsg_free(r->reqs[i]);
	r->nreqs = 0;
	guest_free(&r->guest);
	guest_init(&r->guest);
	session_free(&r->sess);
	run_session_init(r);
}

static void
step_reconnect(struct run *r, const struct step *st)
{
	struct vfu_conn	 c;
	struct diag	 d;
	int64_t		 deadline = run_deadline(r, st->u.reconnect.within_ms);
	char		 exp[256], ts[160], ds[700];

	run_session_drop(r);
	transport_close(&r->conn);
	r->closed = 0;
	r->closed_why[0] = '\0';
	strf(exp, sizeof(exp), "%s accepts a new connection within %" PRId64
	    " ms", target_str(&r->tgt, ts, sizeof(ts)), ms_left(deadline));
	memset(&c, 0, sizeof(c));
	c.fd = -1;
	if (target_reconnect(&r->tgt, &c, deadline, &d) == -1) {
		transport_close(&c);
		mismatch(r, &st->pos, "reconnect", exp, "%s",
		    diag_str(&d, ds, sizeof(ds)));
		r->closed = 1;
		strf(r->closed_why, sizeof(r->closed_why), "the reconnect "
		    "failed");
		r->stop = 1;
		return;
	}
	r->conn = c;
	r->conn.tap = run_tap;
	r->conn.tap_arg = r;
}

/* ---- Steps ------------------------------------------------------------- */

static void run_steps(struct run *, const struct step *, size_t);

static void
run_step(struct run *r, const struct step *st)
{
	const struct step_repeat *rp;
	uint64_t	i;

	r->cur = st;
	switch (st->kind) {
	case STEP_SEND:
		if (r->sc->requires != 0 && !r->probed &&
		    !r->sess.negotiated && (st->u.send.desc == NULL ||
		    st->u.send.desc->command != VFIO_USER_VERSION)) {
			if (run_negotiate(r) == -1)
				break;
			run_probe(r);
			if (r->stop)
				break;
			r->cur = st;
		}
		step_send(r, st);
		break;
	case STEP_EXPECT:
		switch (st->u.expect.kind) {
		case EXPECT_REPLY:
			expect_reply(r, st);
			break;
		case EXPECT_REQUEST:
			expect_request(r, st);
			break;
		case EXPECT_CLOSE:
			expect_close(r, st);
			break;
		case EXPECT_SILENCE:
			expect_silence(r, st);
			break;
		case EXPECT_IRQ:
			expect_irq(r, st);
			break;
		}
		break;
	case STEP_SERVE:
		step_serve(r, st);
		break;
	case STEP_RECONNECT:
		step_reconnect(r, st);
		break;
	case STEP_REPEAT:
		rp = &st->u.repeat;
		for (i = 0; i < rp->count && !r->stop; i++) {
			if (rp->var != NULL &&
			    match_vars_set_int(&r->vars, rp->var, i) == -1) {
				run_error(r, "out of memory");
				break;
			}
			run_steps(r, rp->steps, rp->nsteps);
			if (r->o->deadline >= 0 &&
			    transport_now_ms() >= r->o->deadline)
				break;
		}
		break;
	}
	if (r->need_probe && !r->stop)
		run_probe(r);
}

static void
run_steps(struct run *r, const struct step *steps, size_t n)
{
	size_t	i;

	for (i = 0; i < n && !r->stop; i++) {
		if (r->o->deadline >= 0 &&
		    transport_now_ms() >= r->o->deadline) {
			r->cur = &steps[i];
			mismatch(r, &steps[i].pos, "deadline", "the scenario "
			    "ends before the global deadline", "it passed "
			    "before this step");
			r->stop = 1;
			return;
		}
		run_step(r, &steps[i]);
	}
}

/* ---- The run ----------------------------------------------------------- */

static void
run_free(struct run *r)
{
	size_t	i;

	for (i = 0; i < r->nrqs; i++) {
		inmsg_free(r->rqs[i].reply);
		if (r->rqs[i].map_fd != -1)
			(void)close(r->rqs[i].map_fd);
	}
	free(r->rqs);
	for (i = 0; i < r->nreqs; i++)
		inmsg_free(r->reqs[i]);
	free(r->reqs);
	for (i = 0; i < r->nsent; i++)
		free(r->sent[i].p);
	free(r->sent);
	free(r->last);
	run_fds_free(&r->fds);
	guest_free(&r->guest);
	match_vars_free(&r->vars);
	session_free(&r->sess);
}

/* Does the target have the device profile name? */
static int
has_profile(const struct runner_opts *o, const char *name)
{
	size_t	i;

	for (i = 0; i < o->nprofiles; i++)
		if (strcmp(o->profiles[i], name) == 0)
			return (1);
	return (0);
}

int
runner_run(const struct scenario *sc, const struct runner_opts *o,
    struct scenario_result *res)
{
	struct run	 r;
	struct diag	 d;
	char		 ds[700], ts[160];
	size_t		 i;
	int64_t		 t0 = transport_now_ms(), dl;
	int		 rc = 0;

	result_init(res, sc);
	memset(&r, 0, sizeof(r));
	r.sc = sc;
	r.o = o;
	r.res = res;
	r.t0_us = now_us();
	r.conn.fd = -1;
	run_session_init(&r);
	match_vars_init(&r.vars);
	run_fds_init(&r.fds);
	guest_init(&r.guest);
	r.env.vars = &r.vars;
	r.env.sent = same_as_lookup;
	r.env.sent_arg = &r;
	r.next_id = 1;

	if (sc->role != ROLE_CLIENT) {
		run_error(&r, "the runner plays the client only; this "
		    "scenario needs the server role");
		rc = -1;
		goto done;
	}
	if (o->target == NULL) {
		run_error(&r, "no target");
		rc = -1;
		goto done;
	}
	if (sc->profile != NULL && !has_profile(o, sc->profile)) {
		res->verdict = VERDICT_SKIP;
		strf(res->reason, sizeof(res->reason), "the scenario assumes "
		    "the device profile '%s' (its register layout and "
		    "choices); --profile %s says the target has it",
		    sc->profile, sc->profile);
		goto done;
	}
	if (sc->reconnects > 0 && o->target->kind == TARGET_EXEC) {
		run_skip(&r, "the scenario reconnects: it needs a target with "
		    "a socket path (socket:PATH or exec-path); exec hands the "
		    "server a single connection (--fd)");
		goto done;
	}
	for (i = 0; i < sc->nvars; i++) {
		const struct var_def *vd = &sc->vars[i];
		int	 x;

		if (vd->v.kind == VALUE_BYTES)
			x = match_vars_set_bytes(&r.vars, vd->name,
			    vd->v.bytes, vd->v.len);
		else
			x = match_vars_set_int(&r.vars, vd->name, vd->v.u);
		if (x == -1) {
			run_error(&r, "out of memory");
			rc = -1;
			goto done;
		}
	}
	r.tgt = *o->target;
	dl = run_deadline(&r, 0);
	if (target_open(&r.tgt, &r.conn, dl, &d) == -1) {
		run_error(&r, "cannot reach %s: %s",
		    target_str(&r.tgt, ts, sizeof(ts)),
		    diag_str(&d, ds, sizeof(ds)));
		res->unreachable = 1;
		r.conn.fd = -1;
		(void)target_close(&r.tgt, CLOSE_GRACE_MS, NULL, 0);
		goto done;
	}
	r.opened = 1;
	r.conn.tap = run_tap;
	r.conn.tap_arg = &r;

	run_steps(&r, sc->steps, sc->nsteps);

	r.cur = NULL;
	if (r.closed)
		target_settle(&r.tgt, 500);
	transport_close(&r.conn);
	/* Every fd the server could be waiting on goes before the SIGTERM
	 * (a received twin socket, above all), so it sees the hang-up. */
	run_fds_free(&r.fds);
	if (target_close(&r.tgt, CLOSE_GRACE_MS, res->crash,
	    sizeof(res->crash)) == 1) {
		res->crashed = 1;
		if (res->reason[0] == '\0')
			strf(res->reason, sizeof(res->reason), "the IUT "
			    "%s", res->crash);
	}
done:
	if (!r.opened)
		transport_close(&r.conn);
	run_free(&r);
	res->elapsed_ms = transport_now_ms() - t0;
	result_decide(res, o->strict);
	return (rc);
}
