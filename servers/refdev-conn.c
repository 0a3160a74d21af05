/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refdev-conn: one vfio-user connection of vfu-refdev.  Requests are decoded
 * with the codec; replies are written field by field through a bounded wbuf,
 * so the server's output is an independent check of the codec's decoder
 * rather than its mirror image.  Commands are handled strictly in the order
 * they arrive; the fault switches of refdev-fault.h are applied here where
 * they change the framing, and in the device model where they change what
 * the device does.
 *
 * Server-to-client DMA: with twin-socket mode the requests and their replies
 * use the second socket.  Without it they share the main socket with the
 * client's commands; while waiting for a DMA reply, commands that arrive are
 * queued (up to REFDEV_QUEUE_MAX) and handled after the current command, in
 * order, and the wait ends after REFDEV_IO_TIMEOUT_MS: the server never
 * stalls indefinitely.
 */
#include "config.h"
#include "refdev-conn.h"

#include <sys/socket.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "caps.h"
#include "codec.h"
#include "diag.h"
#include "proto.h"
#include "refdev-dev.h"
#include "transport.h"

#define REFDEV_QUEUE_MAX	64
#define WB_MAX			(64u << 20)
#define LOG_REPORT_MAX_WORDS	(1u << 17)	/* 1 MiB of bitmap */

struct conn {
	struct refdev	*dev;
	struct vfu_conn	 main;
	struct vfu_conn	 twin;		/* fd -1 unless twin-socket mode */
	int		 stop_fd;
	int		 negotiated;
	int		 write_multi;
	uint64_t	 max_xfer;	/* ours: enforced on the client */
	uint64_t	 my_fds;	/* fds we accept per message */
	uint64_t	 peer_fds;	/* the client's max_msg_fds */
	uint16_t	 dma_id;
	int		 drop;		/* close after this message */
	int		 stopped;	/* stop_fd fired */
	struct vfu_frame *queue[REFDEV_QUEUE_MAX];
	size_t		 qlen;
	uint8_t		*held;		/* replies-out-of-order: one reply */
	size_t		 held_len;
};

typedef int handler_fn(struct conn *, struct vfu_frame *, struct vfu_msg *);

/* ---- Sending ----------------------------------------------------------- */

static void
hdr_put(struct wbuf *wb, uint16_t id, uint16_t cmd, uint32_t size,
    uint32_t flags, uint32_t err)
{
	wbuf_u16(wb, id);
	wbuf_u16(wb, cmd);
	wbuf_u32(wb, size);
	wbuf_u32(wb, flags);
	wbuf_u32(wb, err);
}

static int
readable(int fd)
{
	struct pollfd	pfd = { .fd = fd, .events = POLLIN };

	return (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN));
}

static void
raw_send(struct conn *c, const uint8_t *p, size_t len, const int *fds,
    size_t nfds)
{
	if (transport_send(&c->main, p, len, fds, nfds,
	    transport_deadline(REFDEV_IO_TIMEOUT_MS), NULL) != VFU_IO_OK)
		c->drop = 1;
}

static void
flush_held(struct conn *c)
{
	if (c->held == NULL)
		return;
	raw_send(c, c->held, c->held_len, NULL, 0);
	free(c->held);
	c->held = NULL;
}

/* Puts a whole reply on the wire, after the header faults. */
static void
out(struct conn *c, struct wbuf *wb, uint16_t id, const int *fds,
    size_t nfds)
{
	struct refdev_faultset	*fs = &c->dev->faults;
	uint32_t		 flags;
	size_t			 len;

	if (wb->failed) {
		c->drop = 1;
		return;
	}
	memcpy(&flags, wb->p + 8, 4);
	if (refdev_fault_on(fs, RF_MSG_ID_NOT_ECHOED))
		wbuf_patch(wb, 0, 2, (uint16_t)(id + 1));
	if (refdev_fault_on(fs, RF_REPLY_BIT_MISSING))
		wbuf_patch(wb, 8, 4, flags & ~VFIO_USER_F_TYPE_MASK);
	if (refdev_fault_on(fs, RF_REPLY_COMMAND_WRONG)) {
		uint16_t cmd;

		memcpy(&cmd, wb->p + 2, 2);
		wbuf_patch(wb, 2, 2, (uint16_t)(cmd + 100));
	}
	if (refdev_fault_on(fs, RF_MSG_SIZE_WRONG))
		wbuf_patch(wb, 4, 4, (uint32_t)(wb->len + 8));
	if (refdev_fault_on(fs, RF_REPLIES_OUT_OF_ORDER) && nfds == 0 &&
	    c->held == NULL && readable(c->main.fd)) {
		/* Another command is already waiting: answer it first. */
		c->held = wbuf_steal(wb, &len);
		c->held_len = len;
		return;
	}
	raw_send(c, wb->p, wb->len, fds, nfds);
	flush_held(c);
}

static int
want_reply(struct conn *c, const struct vfu_hdr *req)
{
	return (!(req->flags & VFIO_USER_F_NO_REPLY) ||
	    refdev_fault_on(&c->dev->faults, RF_NO_REPLY_ANSWERED));
}

/* A success reply carrying payload pl (may be NULL) and fds. */
static void
reply(struct conn *c, const struct vfu_hdr *req, const struct wbuf *pl,
    const int *fds, size_t nfds)
{
	struct wbuf	wb;
	size_t		plen = pl != NULL ? pl->len : 0;

	if (!want_reply(c, req))
		return;
	if (pl != NULL && pl->failed) {
		c->drop = 1;
		return;
	}
	wbuf_init(&wb, WB_MAX);
	hdr_put(&wb, req->msg_id, req->command,
	    (uint32_t)(VFIO_USER_HDR_SIZE + plen), VFIO_USER_F_TYPE_REPLY, 0);
	if (plen > 0)
		wbuf_bytes(&wb, pl->p, plen);
	out(c, &wb, req->msg_id, fds, nfds);
	wbuf_free(&wb);
}

static void
reply_error(struct conn *c, const struct vfu_hdr *req,
    const struct vfu_frame *f, int err)
{
	struct wbuf	wb;
	uint32_t	flags = VFIO_USER_F_TYPE_REPLY | VFIO_USER_F_ERROR;
	size_t		plen = 0;

	if (!want_reply(c, req))
		return;
	if (refdev_fault_on(&c->dev->faults, RF_ERROR_BIT_MISSING))
		flags = VFIO_USER_F_TYPE_REPLY;
	if (refdev_fault_on(&c->dev->faults, RF_ERROR_REPLY_PAYLOAD))
		plen = f->len > VFIO_USER_HDR_SIZE ?
		    f->len - VFIO_USER_HDR_SIZE : 8;
	wbuf_init(&wb, WB_MAX);
	hdr_put(&wb, req->msg_id, req->command,
	    (uint32_t)(VFIO_USER_HDR_SIZE + plen), flags, (uint32_t)err);
	if (plen > 0 && f->len > VFIO_USER_HDR_SIZE)
		wbuf_bytes(&wb, f->buf + VFIO_USER_HDR_SIZE, plen);
	else if (plen > 0)
		wbuf_zero(&wb, plen);
	out(c, &wb, req->msg_id, NULL, 0);
	wbuf_free(&wb);
}

/* ---- Server-to-client DMA ---------------------------------------------- */

static int
enqueue(struct conn *c, struct vfu_frame *f)
{
	struct vfu_frame	*q;

	if (c->qlen == REFDEV_QUEUE_MAX || (q = malloc(sizeof(*q))) == NULL)
		return (-1);
	*q = *f;
	memset(f, 0, sizeof(*f));
	c->queue[c->qlen++] = q;
	return (0);
}

/*
 * Waits until ch is readable, by the deadline, in 50 ms slices that watch
 * stop_fd (SIGTERM: sets c->stopped) and the main socket's hang-up.
 */
static enum vfu_io
dma_wait(struct conn *c, struct vfu_conn *ch, int64_t deadline)
{
	struct pollfd	pfd = { .fd = c->main.fd, .events = POLLRDHUP };
	enum vfu_io	io;
	int64_t		slice;

	for (;;) {
		slice = transport_deadline(50);
		io = transport_wait(ch, slice < deadline ? slice : deadline,
		    NULL);
		if (io != VFU_IO_TIMEOUT)
			return (io);
		if (c->stop_fd != -1 && readable(c->stop_fd)) {
			c->stopped = 1;
			return (VFU_IO_ERROR);
		}
		if (ch != &c->main && poll(&pfd, 1, 0) == 1 &&
		    (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR)))
			return (VFU_IO_EOF);
		if (transport_now_ms() >= deadline)
			return (VFU_IO_TIMEOUT);
	}
}

/*
 * Sends one DMA_READ/WRITE and waits for its reply.  On the main socket,
 * client commands that arrive meanwhile are queued; stray replies dropped.
 */
static int
dma_msg(void *arg, int write, uint64_t addr, void *buf, size_t len)
{
	struct conn		*c = arg;
	struct vfu_conn		*ch;
	struct vfu_frame	 f;
	struct vfu_hdr		 h;
	struct vfu_msg		 m;
	struct wbuf		 wb;
	int64_t			 deadline;
	uint16_t		 id, cmd;
	enum vfu_io		 io;
	int			 err;

	ch = c->twin.fd != -1 && !refdev_fault_on(&c->dev->faults,
	    RF_DMA_ON_MAIN_SOCKET) ? &c->twin : &c->main;
	id = c->dma_id++;
	cmd = write ? VFIO_USER_DMA_WRITE : VFIO_USER_DMA_READ;
	wbuf_init(&wb, WB_MAX);
	hdr_put(&wb, id, cmd, (uint32_t)(VFIO_USER_HDR_SIZE +
	    VFIO_USER_DMA_ACCESS_SIZE + (write ? len : 0)),
	    VFIO_USER_F_TYPE_COMMAND, 0);
	wbuf_u64(&wb, addr);
	wbuf_u64(&wb, len);
	if (write)
		wbuf_bytes(&wb, buf, len);
	if (wb.failed || transport_send(ch, wb.p, wb.len, NULL, 0,
	    transport_deadline(REFDEV_IO_TIMEOUT_MS), NULL) != VFU_IO_OK) {
		wbuf_free(&wb);
		if (ch == &c->main)
			c->drop = 1;
		return (EIO);
	}
	wbuf_free(&wb);

	deadline = transport_deadline(REFDEV_IO_TIMEOUT_MS);
	for (;;) {
		/* Wait in slices, so SIGTERM (stop_fd) and a client that hangs
		 * up on the main socket end the wait at once. */
		io = dma_wait(c, ch, deadline);
		if (io == VFU_IO_OK)
			io = transport_recv(ch, &f, deadline, NULL);
		if (io == VFU_IO_TIMEOUT)
			return (ETIMEDOUT);
		if (io != VFU_IO_OK) {
			if (ch == &c->main)
				c->drop = 1;
			return (EIO);
		}
		if (vfu_hdr_decode(f.buf, f.len, &h, NULL) == -1 ||
		    !vfu_hdr_is_reply(&h)) {
			/* a client command: handled after this one */
			if (ch != &c->main || enqueue(c, &f) == -1) {
				transport_frame_release(&f);
				if (ch == &c->main)
					return (EBUSY);
			}
			continue;
		}
		if (h.msg_id != id || h.command != cmd) {
			transport_frame_release(&f);	/* stray reply */
			continue;
		}
		break;
	}
	err = 0;
	if (h.flags & VFIO_USER_F_ERROR)
		err = h.error != 0 ? (int)h.error : EIO;
	else if (f.nfds > 0 || vfu_msg_decode(f.buf, f.len, &m, NULL) == -1)
		err = EIO;
	else {
		if (!write) {
			if (m.u.dma_access.count != len ||
			    m.u.dma_access.data_len != len)
				err = EIO;
			else
				memcpy(buf, m.u.dma_access.data, len);
		}
		vfu_msg_release(&m);
	}
	transport_frame_release(&f);
	return (err);
}

/* ---- Handlers ---------------------------------------------------------- */

static int
handle_version(struct conn *c, struct vfu_frame *f, struct vfu_msg *m)
{
	struct refdev_faultset	*fs = &c->dev->faults;
	struct vfu_version	*v = &m->u.version;
	struct vfu_caps		 prop, rep;
	struct vfu_conn		 mine, theirs;
	struct wbuf		 pl;
	char			*json = NULL;
	size_t			 jlen = 0;
	int			 twin = 0, fd = -1;
	unsigned		 known;
	static const char	 broken[] = "{\"capabilities\": ";

	if (c->negotiated)
		return (EINVAL);
	if (v->major != VFIO_USER_MAJOR && !refdev_fault_on(fs,
	    RF_VERSION_MAJOR_UNSUPPORTED_ACCEPTED)) {
		c->drop = 1;	/* "or closes the connection" */
		return (0);
	}
	if (v->data_len == 0 && refdev_fault_on(fs, RF_VERSION_NO_DATA_REFUSED))
		return (EINVAL);
	if (caps_parse(v->data_len > 0 ? v->data : NULL, v->data_len, &prop,
	    NULL) == -1) {
		if (!refdev_fault_on(fs, RF_VERSION_BAD_JSON_ACCEPTED))
			return (EINVAL);
		/* The fault: negotiate as if nothing had been proposed. */
		if (caps_parse(NULL, 0, &prop, NULL) == -1)
			return (EINVAL);
	}

	known = VFU_CAP_HAVE_CAPABILITIES | VFU_CAP_HAVE_MAX_MSG_FDS |
	    VFU_CAP_HAVE_MAX_DATA_XFER | VFU_CAP_HAVE_MAX_DMA_MAPS |
	    VFU_CAP_HAVE_PGSIZES | VFU_CAP_HAVE_WRITE_MULTIPLE;
	caps_init(&rep);
	rep.have = prop.have & known;
	if (refdev_fault_on(fs, RF_VERSION_CAPS_NOT_SUBSET))
		rep.have |= known;
	rep.max_msg_fds = REFDEV_MAX_MSG_FDS;
	rep.max_data_xfer_size = prop.max_data_xfer_size < REFDEV_MAX_DATA_XFER ?
	    prop.max_data_xfer_size : REFDEV_MAX_DATA_XFER;
	if (rep.max_data_xfer_size == 0)
		return (EINVAL);
	rep.max_dma_maps = prop.max_dma_maps < REFDEV_MAX_DMA_MAPS ?
	    prop.max_dma_maps : REFDEV_MAX_DMA_MAPS;
	rep.pgsizes = prop.pgsizes & REFDEV_PGSIZES;
	if (rep.pgsizes == 0)
		return (EINVAL);	/* no page size we can do */
	rep.write_multiple = prop.write_multiple;
	if ((prop.have & VFU_CAP_HAVE_TWIN_SOCKET) ||
	    refdev_fault_on(fs, RF_VERSION_CAPS_NOT_SUBSET)) {
		rep.have |= VFU_CAP_HAVE_TWIN_SOCKET |
		    VFU_CAP_HAVE_TWIN_SUPPORTED;
		rep.twin_supported = prop.twin_supported;
		if (prop.twin_supported) {
			if (transport_socketpair(&mine, &theirs, NULL) == -1)
				return (ENOMEM);
			twin = 1;
			fd = theirs.fd;
			rep.twin_fd_index = 0;
			if (!refdev_fault_on(fs,
			    RF_TWIN_SOCKET_FD_INDEX_MISSING))
				rep.have |= VFU_CAP_HAVE_TWIN_FD_INDEX;
		}
	}
	if ((v->data_len > 0 || refdev_fault_on(fs,
	    RF_VERSION_CAPS_NOT_SUBSET)) &&
	    caps_emit(&rep, &json, &jlen, NULL) == -1) {
		if (twin) {
			transport_close(&mine);
			transport_close(&theirs);
		}
		return (ENOMEM);
	}
	if (refdev_fault_on(fs, RF_VERSION_JSON_INVALID)) {
		free(json);
		jlen = sizeof(broken);
		if ((json = malloc(jlen)) == NULL)
			jlen = 0;
		else
			memcpy(json, broken, jlen);
	}
	if (refdev_fault_on(fs, RF_VERSION_JSON_NO_NUL) && jlen > 0)
		jlen--;

	wbuf_init(&pl, WB_MAX);
	wbuf_u16(&pl, refdev_fault_on(fs, RF_VERSION_MAJOR_DIFFERENT) ?
	    VFIO_USER_MAJOR + 1 : VFIO_USER_MAJOR);
	wbuf_u16(&pl, refdev_fault_on(fs, RF_VERSION_MINOR_HIGHER) ?
	    v->minor + 1 : VFIO_USER_MINOR);
	if (jlen > 0)
		wbuf_bytes(&pl, json, jlen);
	free(json);
	reply(c, &m->hdr, &pl, twin ? &fd : NULL, twin ? 1 : 0);
	wbuf_free(&pl);
	if (twin) {
		transport_close(&theirs);	/* the client has its copy */
		c->twin = mine;
		c->twin.max_fds = 0;
	}

	/* What this session enforces. */
	c->negotiated = 1;
	c->my_fds = (rep.have & VFU_CAP_HAVE_MAX_MSG_FDS) ?
	    REFDEV_MAX_MSG_FDS : VFIO_USER_DEF_MAX_MSG_FDS;
	c->max_xfer = (rep.have & VFU_CAP_HAVE_MAX_DATA_XFER) ?
	    rep.max_data_xfer_size : VFIO_USER_DEF_MAX_DATA_XFER;
	c->peer_fds = prop.max_msg_fds;
	c->write_multi = (prop.have & VFU_CAP_HAVE_WRITE_MULTIPLE) &&
	    prop.write_multiple;
	c->dev->dma_max = (rep.have & VFU_CAP_HAVE_MAX_DMA_MAPS) ?
	    rep.max_dma_maps : VFIO_USER_DEF_MAX_DMA_MAPS;
	c->dev->dma_pgsize = (rep.have & VFU_CAP_HAVE_PGSIZES) ?
	    (rep.pgsizes & -rep.pgsizes) : VFIO_USER_DEF_PGSIZES;
	c->dev->dma_xfer_max = prop.max_data_xfer_size;
	c->main.max_msg = c->max_xfer + 65536;
	(void)f;
	return (0);
}

static int
handle_dma_map(struct conn *c, struct vfu_frame *f, struct vfu_msg *m)
{
	int	fd = -1, err;

	if (f->nfds > 1)
		return (EINVAL);
	if (f->nfds == 1)
		fd = transport_frame_take_fd(f, 0);
	if ((err = refdev_dma_map(c->dev, &m->u.dma_map, fd)) != 0)
		return (err);
	reply(c, &m->hdr, NULL, NULL, 0);
	return (0);
}

static int
handle_dma_unmap(struct conn *c, struct vfu_frame *f, struct vfu_msg *m)
{
	struct vfu_dma_unmap	*u = &m->u.dma_unmap;
	struct wbuf		 pl;
	int			 err;

	if ((err = refdev_dma_unmap(c->dev, u)) != 0)
		return (err);
	wbuf_init(&pl, WB_MAX);
	if (!refdev_fault_on(&c->dev->faults, RF_DMA_UNMAP_NO_ECHO))
		wbuf_bytes(&pl, f->buf + VFIO_USER_HDR_SIZE,
		    VFIO_USER_DMA_UNMAP_SIZE);
	reply(c, &m->hdr, &pl, NULL, 0);
	wbuf_free(&pl);
	return (0);
}

static int
handle_device_info(struct conn *c, struct vfu_frame *f, struct vfu_msg *m)
{
	struct refdev_faultset	*fs = &c->dev->faults;
	struct vfu_device_info	*di = &m->u.device_info;
	struct wbuf		 pl;
	uint32_t		 flags = VFIO_DEVICE_FLAGS_RESET;
	uint32_t		 argsz = VFIO_USER_DEVICE_INFO_SIZE;

	if (di->flags != 0 || di->num_regions != 0 || di->num_irqs != 0)
		return (EINVAL);
	if (di->argsz < VFIO_USER_DEVICE_INFO_SIZE) {
		if (!refdev_fault_on(fs, RF_ARGSZ_NEEDED_NOT_REPORTED))
			return (EINVAL);
		argsz -= 8;	/* the fault: 8 bytes short of the need */
	}
	if (refdev_fault_on(fs, RF_REPLY_DROPPED))
		return (0);
	if (!refdev_fault_on(fs, RF_DEVICE_INFO_NOT_PCI))
		flags |= VFIO_DEVICE_FLAGS_PCI;
	wbuf_init(&pl, WB_MAX);
	wbuf_u32(&pl, refdev_fault_on(fs, RF_DEVICE_INFO_ARGSZ_WRONG) ?
	    di->argsz + 8 : argsz);
	wbuf_u32(&pl, flags);
	wbuf_u32(&pl, refdev_fault_on(fs, RF_DEVICE_INFO_NUM_REGIONS_LOW) ?
	    REFDEV_NUM_REGIONS - 1 : REFDEV_NUM_REGIONS);
	wbuf_u32(&pl, VFIO_PCI_NUM_IRQS);
	reply(c, &m->hdr, &pl, NULL, 0);
	wbuf_free(&pl);
	(void)f;
	return (0);
}

static int
handle_region_info(struct conn *c, struct vfu_frame *f, struct vfu_msg *m)
{
	struct refdev_faultset	*fs = &c->dev->faults;
	struct vfu_region_info	*ri = &m->u.region_info;
	struct wbuf		 pl, caps;
	uint32_t		 flags, needed, cap_off = 0;
	int			 fd, with_caps, nfds = 0;

	if (ri->argsz < VFIO_USER_REGION_INFO_SIZE ||
	    (ri->index >= REFDEV_NUM_REGIONS &&
	    !refdev_fault_on(fs, RF_REGION_INFO_BAD_INDEX_ACCEPTED)) ||
	    ri->flags != 0 || ri->cap_offset != 0 || ri->size != 0 ||
	    ri->offset != 0)
		return (EINVAL);
	flags = refdev_region_flags(c->dev, ri->index);
	if (ri->index == REFDEV_DEVREG_INDEX &&
	    refdev_fault_on(fs, RF_REGION_INFO_READONLY_WRITABLE))
		flags |= VFIO_REGION_INFO_FLAG_WRITE;	/* writes fail */

	/* The capability chain, starting right after the 32 bytes. */
	wbuf_init(&caps, WB_MAX);
	if (ri->index == VFIO_PCI_BAR2_REGION_INDEX) {
		wbuf_u16(&caps, VFIO_REGION_INFO_CAP_SPARSE_MMAP);
		wbuf_u16(&caps, 1);
		wbuf_u32(&caps, 0);		/* next: last */
		wbuf_u32(&caps, refdev_fault_on(fs,
		    RF_SPARSE_MMAP_NR_AREAS_WRONG) ? 2 : 1);
		wbuf_u32(&caps, 0);
		wbuf_u64(&caps, REFDEV_BAR2_SPARSE_OFF);
		wbuf_u64(&caps, REFDEV_BAR2_SIZE - REFDEV_BAR2_SPARSE_OFF);
	} else if (ri->index == REFDEV_DEVREG_INDEX &&
	    (flags & VFIO_REGION_INFO_FLAG_CAPS)) {
		wbuf_u16(&caps, VFIO_REGION_INFO_CAP_TYPE);
		wbuf_u16(&caps, 1);
		wbuf_u32(&caps, 0);
		wbuf_u32(&caps, REFDEV_DEVREG_TYPE);
		wbuf_u32(&caps, REFDEV_DEVREG_SUBTYPE);
	}
	needed = VFIO_USER_REGION_INFO_SIZE + (uint32_t)caps.len;
	with_caps = caps.len > 0 && (ri->argsz >= needed ||
	    refdev_fault_on(fs, RF_REGION_INFO_CAPS_OVERFLOW));
	if (with_caps)
		cap_off = refdev_fault_on(fs, RF_REGION_INFO_CAP_OFFSET_BAD) ?
		    needed : VFIO_USER_REGION_INFO_SIZE;
	else
		flags &= ~VFIO_REGION_INFO_FLAG_CAPS;	/* as libvfio-user */

	wbuf_init(&pl, WB_MAX);
	wbuf_u32(&pl, refdev_fault_on(fs, RF_REGION_INFO_ARGSZ_SMALL) ?
	    VFIO_USER_REGION_INFO_SIZE : needed);
	wbuf_u32(&pl, flags);
	wbuf_u32(&pl, refdev_fault_on(fs, RF_REGION_INFO_INDEX_NOT_ECHOED) ?
	    ri->index + 1 : ri->index);
	wbuf_u32(&pl, cap_off);
	wbuf_u64(&pl, refdev_region_size(ri->index));
	wbuf_u64(&pl, 0);		/* mmap offset in the region's fd */
	if (with_caps)
		wbuf_bytes(&pl, caps.p, caps.len);
	fd = c->dev->bar2_fd;
	if ((flags & VFIO_REGION_INFO_FLAG_MMAP) &&
	    !refdev_fault_on(fs, RF_REGION_INFO_MMAP_NO_FD))
		nfds = 1;
	reply(c, &m->hdr, &pl, &fd, (size_t)nfds);
	wbuf_free(&pl);
	wbuf_free(&caps);
	(void)f;
	return (0);
}

static int
handle_region_io_fds(struct conn *c, struct vfu_frame *f, struct vfu_msg *m)
{
	struct refdev_faultset	*fs = &c->dev->faults;
	struct vfu_region_io_fds *io = &m->u.region_io_fds;
	struct wbuf		 pl;
	uint32_t		 needed, count = 2, i;
	int			 fds[2], two, full;
	size_t			 nfds;

	if (io->argsz < VFIO_USER_REGION_IO_FDS_SIZE || io->flags != 0 ||
	    io->count != 0 || io->index >= REFDEV_NUM_REGIONS)
		return (EINVAL);
	if (io->index != VFIO_PCI_BAR0_REGION_INDEX)
		return (EINVAL);	/* only BAR0 has doorbells */
	two = refdev_fault_on(fs, RF_MAX_MSG_FDS_EXCEEDED);
	needed = VFIO_USER_REGION_IO_FDS_SIZE +
	    count * VFIO_USER_IO_FD_SUB_REGION_SIZE;
	full = io->argsz >= needed;
	wbuf_init(&pl, WB_MAX);
	wbuf_u32(&pl, !full && refdev_fault_on(fs,
	    RF_ARGSZ_NEEDED_NOT_REPORTED) ? needed - 8 : needed);
	wbuf_u32(&pl, refdev_fault_on(fs, RF_IO_FDS_FLAGS_NONZERO) ? 1 : 0);
	wbuf_u32(&pl, io->index);
	wbuf_u32(&pl, count);
	for (i = 0; full && i < count; i++) {
		wbuf_u64(&pl, i == 0 ? REFDEV_REG_DOORBELL0 :
		    REFDEV_REG_DOORBELL1);
		wbuf_u64(&pl, 4);
		wbuf_u32(&pl, two ? i : 0);		/* fd_index */
		wbuf_u32(&pl, VFIO_USER_IO_FD_TYPE_IOEVENTFD);
		wbuf_u32(&pl, i == 1 ? KVM_IOEVENTFD_FLAG_DATAMATCH : 0);
		wbuf_u32(&pl, 0);
		wbuf_u64(&pl, i == 1 ? 1 : 0);		/* datamatch */
	}
	fds[0] = fds[1] = c->dev->ioev_fd;
	nfds = !full || refdev_fault_on(fs, RF_IO_FDS_NO_FD) ? 0 :
	    two ? 2 : 1;
	reply(c, &m->hdr, &pl, fds, nfds);
	wbuf_free(&pl);
	(void)f;
	return (0);
}

static int
handle_irq_info(struct conn *c, struct vfu_frame *f, struct vfu_msg *m)
{
	struct vfu_irq_info	*ii = &m->u.irq_info;
	struct wbuf		 pl;

	if (ii->argsz < VFIO_USER_IRQ_INFO_SIZE || ii->flags != 0 ||
	    ii->count != 0 || ii->index >= VFIO_PCI_NUM_IRQS)
		return (EINVAL);
	wbuf_init(&pl, WB_MAX);
	wbuf_u32(&pl, VFIO_USER_IRQ_INFO_SIZE);
	wbuf_u32(&pl, refdev_irq_flags(ii->index));
	wbuf_u32(&pl, refdev_fault_on(&c->dev->faults,
	    RF_IRQ_INFO_INDEX_NOT_ECHOED) ? ii->index + 1 : ii->index);
	wbuf_u32(&pl, refdev_irq_count(ii->index));
	reply(c, &m->hdr, &pl, NULL, 0);
	wbuf_free(&pl);
	(void)f;
	return (0);
}

static int
handle_set_irqs(struct conn *c, struct vfu_frame *f, struct vfu_msg *m)
{
	int	fds[VFU_TRANSPORT_MAX_FDS];
	size_t	i, n = f->nfds;
	int	err;

	for (i = 0; i < n; i++)
		fds[i] = transport_frame_take_fd(f, i);
	if (m->u.irq_set.argsz != m->payload_len) {
		for (i = 0; i < n; i++)
			close(fds[i]);
		return (EINVAL);
	}
	if ((err = refdev_irq_set(c->dev, &m->u.irq_set, fds, n)) != 0)
		return (err);
	reply(c, &m->hdr, NULL, NULL, 0);
	return (0);
}

static int
xfer_ok(struct conn *c, uint64_t count)
{
	return (count <= c->max_xfer || refdev_fault_on(&c->dev->faults,
	    RF_MAX_DATA_XFER_NOT_ENFORCED));
}

static int
handle_region_read(struct conn *c, struct vfu_frame *f, struct vfu_msg *m)
{
	struct vfu_region_access *ra = &m->u.region_access;
	struct wbuf		 pl;
	uint8_t			*buf;
	size_t			 n;
	int			 err;

	if (ra->data_len != 0)
		return (EINVAL);
	if (!xfer_ok(c, ra->count))
		return (E2BIG);
	if ((buf = malloc(ra->count + 1)) == NULL)
		return (ENOMEM);
	if ((err = refdev_region_read(c->dev, ra->region, ra->offset, buf,
	    ra->count)) != 0) {
		free(buf);
		return (err);
	}
	n = ra->count;
	if (refdev_fault_on(&c->dev->faults, RF_REGION_READ_SHORT_DATA))
		n /= 2;
	wbuf_init(&pl, WB_MAX);
	wbuf_u64(&pl, ra->offset);
	wbuf_u32(&pl, ra->region);
	wbuf_u32(&pl, ra->count);
	wbuf_bytes(&pl, buf, n);
	free(buf);
	reply(c, &m->hdr, &pl, NULL, 0);
	wbuf_free(&pl);
	(void)f;
	return (0);
}

static int
handle_region_write(struct conn *c, struct vfu_frame *f, struct vfu_msg *m)
{
	struct vfu_region_access *ra = &m->u.region_access;
	struct wbuf		 pl;
	size_t			 n = ra->count;
	int			 err;

	if (ra->data_len != ra->count) {
		if (!refdev_fault_on(&c->dev->faults, RF_MALFORMED_ACCEPTED))
			return (EINVAL);
		/* The fault: write the bytes that are there. */
		n = ra->data_len < ra->count ? ra->data_len : ra->count;
	}
	if (!xfer_ok(c, ra->count))
		return (E2BIG);
	if ((err = refdev_region_write(c->dev, ra->region, ra->offset,
	    ra->data, n)) != 0)
		return (err);
	wbuf_init(&pl, WB_MAX);
	wbuf_u64(&pl, ra->offset);
	wbuf_u32(&pl, ra->region);
	wbuf_u32(&pl, ra->count);
	if (refdev_fault_on(&c->dev->faults, RF_REGION_WRITE_REPLY_DATA))
		wbuf_bytes(&pl, ra->data, n);
	reply(c, &m->hdr, &pl, NULL, 0);
	wbuf_free(&pl);
	(void)f;
	return (0);
}

static int
handle_reset(struct conn *c, struct vfu_frame *f, struct vfu_msg *m)
{
	refdev_reset(c->dev);
	reply(c, &m->hdr, NULL, NULL, 0);
	(void)f;
	return (0);
}

static int
handle_write_multi(struct conn *c, struct vfu_frame *f, struct vfu_msg *m)
{
	struct vfu_write_multi	*wm = &m->u.write_multi;
	struct vfu_write_multi_entry *e;
	struct wbuf		 pl;
	size_t			 i;
	uint64_t		 size;

	if (!c->write_multi)
		return (ENOTSUP);
	if (wm->wr_cnt != wm->nwrs)
		return (EINVAL);
	for (i = 0; i < wm->nwrs; i++) {	/* all or nothing */
		e = &wm->wrs[i];
		if (e->region >= REFDEV_NUM_REGIONS || e->count == 0 ||
		    e->count > VFIO_USER_WRITE_MULTI_DATA ||
		    !(refdev_region_flags(c->dev, e->region) &
		    VFIO_REGION_INFO_FLAG_WRITE))
			return (EINVAL);
		size = refdev_region_size(e->region);
		if (e->offset > size || e->count > size - e->offset)
			return (EINVAL);
	}
	for (i = 0; i < wm->nwrs; i++) {
		e = &wm->wrs[i];
		(void)refdev_region_write(c->dev, e->region, e->offset,
		    e->data, e->count);
	}
	wbuf_init(&pl, WB_MAX);
	wbuf_u64(&pl, refdev_fault_on(&c->dev->faults,
	    RF_WRITE_MULTI_COUNT_WRONG) ? 0 : wm->nwrs);
	reply(c, &m->hdr, &pl, NULL, 0);
	wbuf_free(&pl);
	(void)f;
	return (0);
}

/* The methods each feature supports. */
static uint32_t
feature_methods(uint32_t feature)
{
	switch (feature) {
	case VFIO_DEVICE_FEATURE_MIGRATION:
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT:
		return (VFIO_DEVICE_FEATURE_GET);
	case VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE:
		return (VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET);
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_START:
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP:
		return (VFIO_DEVICE_FEATURE_SET);
	default:
		return (0);
	}
}

/* DMA_LOGGING_START: echo with the page size the device picked. */
static int
feature_log_start(struct conn *c, const struct vfu_hdr *h, struct rbuf *rb,
    struct wbuf *pl)
{
	struct vfu_dma_logging_range *r = NULL;
	uint64_t		 page_size;
	uint32_t		 num, reserved, i;
	int			 err;

	if (rbuf_u64(rb, &page_size, "page_size", NULL) == -1 ||
	    rbuf_u32(rb, &num, "num_ranges", NULL) == -1 ||
	    rbuf_u32(rb, &reserved, "reserved", NULL) == -1 ||
	    rbuf_left(rb) / VFIO_DMA_LOGGING_RANGE_SIZE < num)
		return (EINVAL);
	if (num > 0 && (r = calloc(num, sizeof(*r))) == NULL)
		return (ENOMEM);
	for (i = 0; i < num; i++) {
		(void)rbuf_u64(rb, &r[i].iova, "iova", NULL);
		(void)rbuf_u64(rb, &r[i].length, "length", NULL);
	}
	err = refdev_log_start(c->dev, &page_size, r, num);
	if (err == 0) {
		wbuf_u64(pl, page_size);
		wbuf_u32(pl, num);
		wbuf_u32(pl, reserved);
		for (i = 0; i < num; i++) {
			wbuf_u64(pl, r[i].iova);
			wbuf_u64(pl, r[i].length);
		}
	}
	free(r);
	(void)h;
	return (err);
}

static int
handle_feature(struct conn *c, struct vfu_frame *f, struct vfu_msg *m)
{
	struct refdev_faultset	*fs = &c->dev->faults;
	struct rbuf		 rb;
	struct wbuf		 pl, data;
	uint32_t		 argsz, flags, feature, op, methods, state;
	uint64_t		 iova, length, page_size, nbits, words, *bm;
	int			 err = 0, get, shortr = 0;

	rbuf_init(&rb, m->payload, m->payload_len, VFIO_USER_HDR_SIZE);
	if (rbuf_u32(&rb, &argsz, "argsz", NULL) == -1 ||
	    rbuf_u32(&rb, &flags, "flags", NULL) == -1 ||
	    argsz < VFIO_USER_DEVICE_FEATURE_SIZE)
		return (EINVAL);
	feature = flags & VFIO_DEVICE_FEATURE_MASK;
	op = flags & ~VFIO_DEVICE_FEATURE_MASK;
	if ((op & ~(VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET |
	    VFIO_DEVICE_FEATURE_PROBE)) != 0 || op == 0)
		return (EINVAL);
	if ((op & VFIO_DEVICE_FEATURE_GET) && (op & VFIO_DEVICE_FEATURE_SET) &&
	    !(op & VFIO_DEVICE_FEATURE_PROBE)) {
		if (!refdev_fault_on(fs, RF_FEATURE_GET_SET_ACCEPTED))
			return (EINVAL);
		op = VFIO_DEVICE_FEATURE_GET;
	}
	if ((methods = feature_methods(feature)) == 0 &&
	    (!(op & VFIO_DEVICE_FEATURE_PROBE) ||
	    !refdev_fault_on(fs, RF_FEATURE_UNKNOWN_PROBE_OK)))
		return (ENOTSUP);
	if (op & VFIO_DEVICE_FEATURE_PROBE) {
		if (methods != 0 &&
		    (op & ~VFIO_DEVICE_FEATURE_PROBE & ~methods) != 0 &&
		    !refdev_fault_on(fs, RF_FEATURE_PROBE_WRONG))
			return (ENOTSUP);
		wbuf_init(&pl, WB_MAX);
		wbuf_bytes(&pl, m->payload, m->payload_len);
		reply(c, &m->hdr, &pl, NULL, 0);
		wbuf_free(&pl);
		return (0);
	}
	if ((op & methods) != op)
		return (ENOTSUP);
	get = (op & VFIO_DEVICE_FEATURE_GET) != 0;

	wbuf_init(&data, WB_MAX);
	switch (feature) {
	case VFIO_DEVICE_FEATURE_MIGRATION:
		wbuf_u64(&data, VFIO_MIGRATION_STOP_COPY |
		    VFIO_MIGRATION_PRE_COPY);
		break;
	case VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE:
		if (get) {
			wbuf_u32(&data, refdev_fault_on(fs,
			    RF_MIG_STATE_NOT_REPORTED) ?
			    VFIO_DEVICE_STATE_RUNNING : c->dev->mig_state);
			wbuf_u32(&data, 0);
			break;
		}
		if (rbuf_u32(&rb, &state, "device_state", NULL) == -1)
			err = EINVAL;
		else
			err = refdev_mig_set_state(c->dev, state);
		if (err == 0)
			wbuf_bytes(&data, m->payload + 8, m->payload_len - 8);
		break;
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_START:
		err = feature_log_start(c, &m->hdr, &rb, &data);
		break;
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP:
		err = refdev_log_stop(c->dev);
		wbuf_bytes(&data, m->payload + 8, m->payload_len - 8);
		break;
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT:
		if (rbuf_u64(&rb, &iova, "iova", NULL) == -1 ||
		    rbuf_u64(&rb, &length, "length", NULL) == -1 ||
		    rbuf_u64(&rb, &page_size, "page_size", NULL) == -1 ||
		    page_size == 0) {
			err = EINVAL;
			break;
		}
		nbits = length / page_size + (length % page_size != 0);
		words = nbits / 64 + (nbits % 64 != 0);
		if (words > LOG_REPORT_MAX_WORDS) {
			err = E2BIG;
			break;
		}
		wbuf_u64(&data, iova);
		wbuf_u64(&data, length);
		wbuf_u64(&data, page_size);
		if (argsz < VFIO_USER_DEVICE_FEATURE_SIZE +
		    VFIO_DMA_LOGGING_REPORT_SIZE + words * 8) {
			/* too small: the needed argsz, no bitmap */
			if (!c->dev->log_on)
				err = EINVAL;
			argsz = VFIO_USER_DEVICE_FEATURE_SIZE +
			    VFIO_DMA_LOGGING_REPORT_SIZE + (uint32_t)words * 8;
			shortr = 1;
			goto send_short;
		}
		if ((bm = calloc(words + 1, 8)) == NULL) {
			err = ENOMEM;
			break;
		}
		err = refdev_log_report(c->dev, iova, length, page_size, bm,
		    words);
		if (err == 0)
			wbuf_bytes(&data, bm, words * 8);
		free(bm);
		break;
	}
	if (err != 0) {
		wbuf_free(&data);
		return (err);
	}
	if (get && argsz < VFIO_USER_DEVICE_FEATURE_SIZE + data.len) {
		/* too small: the needed argsz back, no data */
		argsz = VFIO_USER_DEVICE_FEATURE_SIZE + (uint32_t)data.len;
		data.len = 0;
		shortr = 1;
		goto send_short;
	}
	argsz = get ? VFIO_USER_DEVICE_FEATURE_SIZE + (uint32_t)data.len :
	    argsz;
send_short:
	if (err != 0) {
		wbuf_free(&data);
		return (err);
	}
	if (get && refdev_fault_on(fs, RF_FEATURE_ARGSZ_NOT_UPDATED))
		argsz = VFIO_USER_DEVICE_FEATURE_SIZE;
	if (shortr && refdev_fault_on(fs, RF_ARGSZ_NEEDED_NOT_REPORTED))
		argsz -= 8;	/* the fault: 8 bytes short of the need */
	wbuf_init(&pl, WB_MAX);
	wbuf_u32(&pl, argsz);
	wbuf_u32(&pl, flags);
	wbuf_bytes(&pl, data.p, data.len);
	reply(c, &m->hdr, &pl, NULL, 0);
	wbuf_free(&pl);
	wbuf_free(&data);
	(void)f;
	return (0);
}

static int
handle_mig_read(struct conn *c, struct vfu_frame *f, struct vfu_msg *m)
{
	struct vfu_mig_data	*md = &m->u.mig_data;
	struct wbuf		 pl;
	uint8_t			*buf;
	size_t			 got;
	int			 err;

	if (md->data_len != 0 ||
	    (uint64_t)md->argsz < (uint64_t)VFIO_USER_MIG_DATA_SIZE + md->size)
		return (EINVAL);
	if (md->size > c->max_xfer)
		return (E2BIG);
	if ((buf = malloc((size_t)md->size + 1)) == NULL)
		return (ENOMEM);
	if ((err = refdev_mig_data_read(c->dev, buf, md->size, &got)) != 0) {
		free(buf);
		return (err);
	}
	wbuf_init(&pl, WB_MAX);
	wbuf_u32(&pl, (uint32_t)(VFIO_USER_MIG_DATA_SIZE + got));
	wbuf_u32(&pl, (uint32_t)got);
	wbuf_bytes(&pl, buf, got);
	free(buf);
	reply(c, &m->hdr, &pl, NULL, 0);
	wbuf_free(&pl);
	(void)f;
	return (0);
}

static int
handle_mig_write(struct conn *c, struct vfu_frame *f, struct vfu_msg *m)
{
	struct vfu_mig_data	*md = &m->u.mig_data;
	int			 err;

	if (md->data_len != md->size)
		return (EINVAL);
	if (md->size > c->max_xfer)
		return (E2BIG);
	if ((err = refdev_mig_data_write(c->dev, md->data, md->size)) != 0)
		return (err);
	reply(c, &m->hdr, NULL, NULL, 0);
	(void)f;
	return (0);
}

static const struct {
	handler_fn	*fn;
	int		 takes_fds;
} handlers[VFIO_USER_MAX_COMMAND + 1] = {
	[VFIO_USER_VERSION] = { handle_version, 0 },
	[VFIO_USER_DMA_MAP] = { handle_dma_map, 1 },
	[VFIO_USER_DMA_UNMAP] = { handle_dma_unmap, 0 },
	[VFIO_USER_DEVICE_GET_INFO] = { handle_device_info, 0 },
	[VFIO_USER_DEVICE_GET_REGION_INFO] = { handle_region_info, 0 },
	[VFIO_USER_DEVICE_GET_REGION_IO_FDS] = { handle_region_io_fds, 0 },
	[VFIO_USER_DEVICE_GET_IRQ_INFO] = { handle_irq_info, 0 },
	[VFIO_USER_DEVICE_SET_IRQS] = { handle_set_irqs, 1 },
	[VFIO_USER_REGION_READ] = { handle_region_read, 0 },
	[VFIO_USER_REGION_WRITE] = { handle_region_write, 0 },
	[VFIO_USER_DEVICE_RESET] = { handle_reset, 0 },
	[VFIO_USER_REGION_WRITE_MULTI] = { handle_write_multi, 0 },
	[VFIO_USER_DEVICE_FEATURE] = { handle_feature, 0 },
	[VFIO_USER_MIG_DATA_READ] = { handle_mig_read, 0 },
	[VFIO_USER_MIG_DATA_WRITE] = { handle_mig_write, 0 },
};

/* Bad input under crash-on-bad-input / hang-on-bad-input. */
static void
bad_input(struct conn *c)
{
	struct pollfd	pfd[2];

	if (refdev_fault_on(&c->dev->faults, RF_CRASH_ON_BAD_INPUT))
		abort();
	if (!refdev_fault_on(&c->dev->faults, RF_HANG_ON_BAD_INPUT))
		return;
	/* Stop answering; leave only when stopped or the client hangs up. */
	pfd[0].fd = c->stop_fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = c->main.fd;
	pfd[1].events = POLLRDHUP;
	for (;;) {
		if (poll(pfd, 2, -1) == -1 && errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN) {
			c->stopped = 1;
			break;
		}
		if (pfd[1].revents & (POLLRDHUP | POLLHUP | POLLERR))
			break;
	}
	c->drop = 1;
}

/* Handles one message from the client; replies unless No_reply. */
static void
handle_frame(struct conn *c, struct vfu_frame *f)
{
	struct vfu_hdr	h;
	struct vfu_msg	m;
	uint16_t	cmd;
	uint32_t	type;
	int		err;

	if (vfu_hdr_decode(f->buf, f->len, &h, NULL) == -1) {
		c->drop = 1;
		return;
	}
	type = h.flags & VFIO_USER_F_TYPE_MASK;
	if (type == VFIO_USER_F_TYPE_REPLY)
		return;		/* nothing of ours is pending: ignore */
	cmd = h.command;
	if (type != VFIO_USER_F_TYPE_COMMAND) {
		if (!refdev_fault_on(&c->dev->faults,
		    RF_TYPE_INVALID_ACCEPTED)) {
			err = EINVAL;
			goto bad;
		}
		/* The fault: take it as a command. */
		h.flags &= ~VFIO_USER_F_TYPE_MASK;
		memcpy(f->buf + 8, &h.flags, sizeof(h.flags));
	}
	if (f->nfds > c->my_fds || f->fds_dropped > 0 || f->fds_lost ||
	    (f->nfds > 0 && (cmd > VFIO_USER_MAX_COMMAND ||
	    !handlers[cmd].takes_fds))) {
		err = EINVAL;
		goto bad;
	}
	if (cmd > VFIO_USER_MAX_COMMAND || handlers[cmd].fn == NULL) {
		if (refdev_fault_on(&c->dev->faults,
		    RF_UNKNOWN_COMMAND_ACCEPTED)) {
			reply(c, &h, NULL, NULL, 0);
			return;
		}
		err = ENOSYS;
		goto bad;
	}
	if (!c->negotiated && cmd != VFIO_USER_VERSION &&
	    !refdev_fault_on(&c->dev->faults,
	    RF_COMMAND_BEFORE_VERSION_ACCEPTED)) {
		err = EINVAL;
		goto bad;
	}
	if (vfu_msg_decode(f->buf, f->len, &m, NULL) == -1) {
		if (refdev_fault_on(&c->dev->faults, RF_MALFORMED_ACCEPTED)) {
			/* The fault: acknowledge what cannot be decoded. */
			reply(c, &h, NULL, NULL, 0);
			return;
		}
		err = EINVAL;
		goto bad;
	}
	err = handlers[cmd].fn(c, f, &m);
	vfu_msg_release(&m);
	if (err == 0)
		return;
	reply_error(c, &h, f, err);
	return;
bad:
	bad_input(c);
	if (!c->drop)
		reply_error(c, &h, f, err);
}

/*
 * Under msg-size-below-header-accepted: a header whose msg_size is smaller
 * than the header itself is taken as a header-only command and
 * acknowledged, and the connection goes on.  Returns 1 if it did so.
 */
static int
short_size_accepted(struct conn *c)
{
	struct vfu_hdr	h;
	const uint8_t	*p = c->main.partial_hdr;

	if (!refdev_fault_on(&c->dev->faults,
	    RF_MSG_SIZE_BELOW_HEADER_ACCEPTED) ||
	    c->main.partial < VFIO_USER_HDR_SIZE)
		return (0);
	memset(&h, 0, sizeof(h));
	memcpy(&h.msg_id, p, 2);
	memcpy(&h.command, p + 2, 2);
	memcpy(&h.msg_size, p + 4, 4);
	memcpy(&h.flags, p + 8, 4);
	if (h.msg_size >= VFIO_USER_HDR_SIZE)
		return (0);
	c->main.broken = 0;
	reply(c, &h, NULL, NULL, 0);
	return (!c->drop);
}

static void
conn_free(struct conn *c)
{
	size_t	i;

	for (i = 0; i < c->qlen; i++) {
		transport_frame_release(c->queue[i]);
		free(c->queue[i]);
	}
	c->qlen = 0;
	free(c->held);
	c->held = NULL;
	transport_close(&c->twin);
	transport_close(&c->main);
}

int
refdev_serve(struct refdev *dev, int fd, int stop_fd, struct diag *d)
{
	struct conn		 c;
	struct vfu_frame	 f, *q;
	struct pollfd		 pfd[3];
	enum vfu_io		 io;
	int			 rc = 0;

	memset(&c, 0, sizeof(c));
	c.dev = dev;
	c.stop_fd = stop_fd;
	transport_init(&c.main, fd);
	c.main.max_fds = VFU_TRANSPORT_MAX_FDS;
	c.twin.fd = -1;
	c.my_fds = VFIO_USER_DEF_MAX_MSG_FDS;
	c.max_xfer = VFIO_USER_DEF_MAX_DATA_XFER;
	c.peer_fds = VFIO_USER_DEF_MAX_MSG_FDS;
	dev->dma_msg = dma_msg;
	dev->dma_msg_arg = &c;

	while (!c.drop && !c.stopped) {
		if (c.qlen > 0) {
			q = c.queue[0];
			memmove(c.queue, c.queue + 1,
			    --c.qlen * sizeof(c.queue[0]));
			handle_frame(&c, q);
			transport_frame_release(q);
			free(q);
			continue;
		}
		if (c.held != NULL && !readable(c.main.fd))
			flush_held(&c);	/* nothing came after it */
		pfd[0].fd = c.main.fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = dev->ioev_fd;
		pfd[1].events = POLLIN;
		pfd[2].fd = stop_fd;
		pfd[2].events = POLLIN;
		if (poll(pfd, 3, -1) == -1) {
			if (errno == EINTR)
				continue;
			rc = diag_errno(d, errno, "poll");
			break;
		}
		if (pfd[2].revents & POLLIN) {
			c.stopped = 1;
			break;
		}
		if (pfd[1].revents & POLLIN)
			refdev_doorbell_poll(dev);
		if (!(pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		io = transport_recv(&c.main, &f,
		    transport_deadline(REFDEV_IO_TIMEOUT_MS), NULL);
		if (io == VFU_IO_BAD_SIZE && short_size_accepted(&c))
			continue;
		if (io != VFU_IO_OK)
			break;	/* EOF, or framing that cannot be trusted */
		handle_frame(&c, &f);
		transport_frame_release(&f);
	}
	if (c.stopped)
		rc = 1;
	conn_free(&c);
	refdev_disconnect(dev);
	return (rc);
}
