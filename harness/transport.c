/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * transport: whole vfio-user messages over AF_UNIX stream sockets (see
 * transport.h).  Every socket call is non-blocking (MSG_DONTWAIT, or a
 * non-blocking listening socket) and waits in poll() for the caller's
 * absolute deadline, so a silent or stuck peer can never hang the harness.
 * A receive never asks the kernel for a byte past the end of the current
 * message, so the next message's bytes and fds stay queued for the next
 * call.  Nothing here looks at a message beyond msg_size.
 */
#include "config.h"
#include "transport.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"

#define HDR_SIZE		16	/* spec "Header": 16 bytes */
#define HDR_MSG_SIZE_OFF	4	/* msg_size: u32 at offset 4 */
#define CONNECT_RETRY_MS	10	/* pause between connect attempts */

/* Room for the largest SCM_RIGHTS array the kernel sends, plus credentials
 * should the socket have SO_PASSCRED set. */
#define CMSG_ROOM	(CMSG_SPACE(VFU_TRANSPORT_MAX_FDS * sizeof(int)) + \
			    CMSG_SPACE(64))

/* What a receive step came to, before it is turned into an enum vfu_io. */
enum rx {
	RX_OK,
	RX_CLOSED,	/* orderly close or reset by the peer */
	RX_TIMEOUT,
	RX_ERROR,
};

const char *
vfu_io_str(enum vfu_io io)
{
	switch (io) {
	case VFU_IO_OK:
		return ("ok");
	case VFU_IO_EOF:
		return ("eof");
	case VFU_IO_TRUNCATED:
		return ("truncated");
	case VFU_IO_TIMEOUT:
		return ("timeout");
	case VFU_IO_BAD_SIZE:
		return ("bad-size");
	case VFU_IO_ERROR:
		return ("error");
	}
	return ("unknown");
}

int64_t
transport_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int64_t
transport_deadline(int ms)
{
	if (ms < 0)
		return (-1);
	return (transport_now_ms() + ms);
}

/* Milliseconds poll() may wait before the deadline: -1 forever, 0 passed. */
static int
poll_timeout(int64_t deadline)
{
	int64_t	left;

	if (deadline < 0)
		return (-1);
	left = deadline - transport_now_ms();
	if (left <= 0)
		return (0);
	if (left > INT_MAX)
		return (INT_MAX);
	return ((int)left);
}

/*
 * Waits for events on fd until the deadline.  Returns 1 when fd is ready (or
 * in error or hung up: the next call on it says which), 0 when the deadline
 * passed, -1 on failure with *d filled.  Never returns 0 before the deadline.
 */
static int
wait_fd(int fd, short events, int64_t deadline, struct diag *d)
{
	struct pollfd	pfd;
	int		n;

	for (;;) {
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		n = poll(&pfd, 1, poll_timeout(deadline));
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return (diag_errno(d, errno, "poll"));
		}
		if (n > 0) {
			if (pfd.revents & POLLNVAL)
				return (diag_set(d, "poll: fd %d is not open",
				    fd));
			return (1);
		}
		if (deadline >= 0 && transport_now_ms() >= deadline)
			return (0);
	}
}

void
transport_init(struct vfu_conn *c, int fd)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->max_msg = VFU_TRANSPORT_DEF_MAX_MSG;
	c->max_fds = VFU_TRANSPORT_MAX_FDS;
	c->broken = 0;
	c->tap = NULL;
	c->tap_arg = NULL;
}

void
transport_close(struct vfu_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* Fills sun with path, or fails if it does not fit. */
static int
unix_addr(struct sockaddr_un *sun, const char *path, struct diag *d)
{
	size_t	len;

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	len = strlen(path);
	if (len == 0)
		return (diag_set(d, "empty socket path"));
	if (len >= sizeof(sun->sun_path))
		return (diag_set(d, "socket path too long (%zu bytes, at most "
		    "%zu): %s", len, sizeof(sun->sun_path) - 1, path));
	memcpy(sun->sun_path, path, len);
	return (0);
}

/* Sleeps for ms, or until the deadline if that comes first. */
static void
pause_until(int ms, int64_t deadline)
{
	struct timespec	ts;
	int		left;

	left = poll_timeout(deadline);
	if (left >= 0 && left < ms)
		ms = left;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

/*
 * A non-blocking connect: an AF_UNIX connect blocks while the listener's
 * backlog is full, and that must not outlast the deadline.  The errors worth
 * retrying are those of a server that is not up yet (ENOENT, ECONNREFUSED)
 * or busy (EAGAIN).
 */
int
transport_connect(struct vfu_conn *c, const char *path, int64_t deadline,
    struct diag *d)
{
	struct sockaddr_un	sun;
	struct stat		st;
	int			fd, err, flags;

	transport_init(c, -1);
	if (unix_addr(&sun, path, d) == -1)
		return (-1);
	for (;;) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, 0);
		if (fd == -1)
			return (diag_errno(d, errno, "socket"));
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
			break;
		err = errno;
		close(fd);
		if (err != EINTR && err != ENOENT && err != ECONNREFUSED &&
		    err != EAGAIN)
			return (diag_errno(d, err, "connect %s", path));
		/* Refused by a stale socket file: a server may yet bind
		 * there again.  By any other file: it never will. */
		if (err == ECONNREFUSED && lstat(path, &st) == 0 &&
		    !S_ISSOCK(st.st_mode))
			return (diag_set(d, "connect %s: not a socket", path));
		if (deadline >= 0 && transport_now_ms() >= deadline)
			return (diag_errno(d, err, "connect %s: gave up at the "
			    "deadline", path));
		pause_until(CONNECT_RETRY_MS, deadline);
	}
	/* The connection itself behaves as a plain blocking socket for
	 * whoever inherits it; this module uses MSG_DONTWAIT anyway. */
	flags = fcntl(fd, F_GETFL);
	if (flags == -1 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1) {
		err = errno;
		close(fd);
		return (diag_errno(d, err, "fcntl %s", path));
	}
	transport_init(c, fd);
	return (0);
}

/*
 * Binds a non-blocking listening socket.  A socket file left at path by an
 * earlier run is removed; anything else there is an error, never deleted.
 */
int
transport_listen(const char *path, int backlog, struct diag *d)
{
	struct sockaddr_un	sun;
	struct stat		st;
	int			fd, err;

	if (unix_addr(&sun, path, d) == -1)
		return (-1);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return (diag_set(d, "%s exists and is not a socket",
			    path));
		if (unlink(path) == -1)
			return (diag_errno(d, errno, "unlink %s", path));
	} else if (errno != ENOENT)
		return (diag_errno(d, errno, "stat %s", path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1)
		return (diag_errno(d, errno, "socket"));
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		err = errno;
		close(fd);
		return (diag_errno(d, err, "bind %s", path));
	}
	if (listen(fd, backlog) == -1) {
		err = errno;
		close(fd);
		return (diag_errno(d, err, "listen %s", path));
	}
	return (fd);
}

enum vfu_io
transport_accept(int lfd, struct vfu_conn *c, int64_t deadline,
    struct diag *d)
{
	int	fd, n;

	transport_init(c, -1);
	for (;;) {
		n = wait_fd(lfd, POLLIN, deadline, d);
		if (n == -1)
			return (VFU_IO_ERROR);
		if (n == 0) {
			diag_set(d, "accept: no connection by the deadline");
			return (VFU_IO_TIMEOUT);
		}
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0)
			break;
		/* The pending connection may be gone again by now. */
		if (errno == EINTR || errno == EAGAIN ||
		    errno == EWOULDBLOCK || errno == ECONNABORTED)
			continue;
		diag_errno(d, errno, "accept");
		return (VFU_IO_ERROR);
	}
	transport_init(c, fd);
	return (VFU_IO_OK);
}

int
transport_socketpair(struct vfu_conn *a, struct vfu_conn *b, struct diag *d)
{
	int	sv[2];

	transport_init(a, -1);
	transport_init(b, -1);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		return (diag_errno(d, errno, "socketpair"));
	transport_init(a, sv[0]);
	transport_init(b, sv[1]);
	return (0);
}

/* Refuses a closed or broken connection. */
static int
conn_usable(const struct vfu_conn *c, struct diag *d)
{
	if (c->fd < 0)
		return (diag_set(d, "connection is closed"));
	if (c->broken)
		return (diag_set(d, "connection is broken by an earlier "
		    "error; the message stream cannot be trusted"));
	return (0);
}

/*
 * Sends len bytes (len > 0), the fds attached to the first byte, with as
 * many sendmsg calls as the socket buffer needs.  *sent counts the bytes
 * that went out, even on failure.  The fds go with the first call that
 * sends anything: the kernel attaches them to that call's first byte.
 */
static enum vfu_io
send_span(struct vfu_conn *c, const uint8_t *p, size_t len, const int *fds,
    size_t nfds, int64_t deadline, size_t *sent, struct diag *d)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(VFU_TRANSPORT_MAX_FDS *
				    sizeof(int))];
	} u;
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	size_t		 off = 0;
	ssize_t		 n;
	int		 w;

	*sent = 0;
	while (off < len) {
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = (void *)(uintptr_t)(p + off);
		iov.iov_len = len - off;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		if (off == 0 && nfds > 0) {
			memset(&u, 0, sizeof(u));
			msg.msg_control = u.buf;
			msg.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
			cm = &u.hdr;	/* CMSG_FIRSTHDR, never NULL here */
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
			memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
		}
		n = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			off += (size_t)n;
			*sent = off;
			continue;
		}
		if (n == 0)
			continue;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			w = wait_fd(c->fd, POLLOUT, deadline, d);
			if (w == -1)
				return (VFU_IO_ERROR);
			if (w == 0) {
				diag_set(d, "send: deadline passed after %zu "
				    "of %zu bytes", off, len);
				return (VFU_IO_TIMEOUT);
			}
			continue;
		}
		if (errno == EPIPE || errno == ECONNRESET) {
			diag_errno(d, errno, "send: peer closed after %zu of "
			    "%zu bytes", off, len);
			return (VFU_IO_EOF);
		}
		diag_errno(d, errno, "sendmsg");
		return (VFU_IO_ERROR);
	}
	return (VFU_IO_OK);
}

/* Checks what every send needs: a usable connection, bytes, few fds. */
static int
send_check(struct vfu_conn *c, size_t len, size_t nfds, struct diag *d)
{
	if (conn_usable(c, d) == -1)
		return (-1);
	if (len == 0)
		return (diag_set(d, "send: empty message"));
	if (nfds > VFU_TRANSPORT_MAX_FDS)
		return (diag_set(d, "send: %zu fds, at most %d fit in one "
		    "message", nfds, VFU_TRANSPORT_MAX_FDS));
	return (0);
}

/*
 * Sends buf[0..len) as spans: each span starts at a multiple of chunk,
 * except that a span also starts at fd_at, and the fds ride on that span.
 * Turns the outcome of a half-sent message into TRUNCATED and marks the
 * connection broken; a message that went out whole is shown to the tap.
 */
static enum vfu_io
send_spans(struct vfu_conn *c, const void *buf, size_t len, size_t chunk,
    size_t fd_at, const int *fds, size_t nfds, int64_t deadline,
    struct diag *d)
{
	const uint8_t	*p = buf;
	size_t		 off = 0, end, sent;
	enum vfu_io	 io;

	if (send_check(c, len, nfds, d) == -1)
		return (VFU_IO_ERROR);
	if (chunk == 0 || chunk > len)
		chunk = len;
	while (off < len) {
		end = (off / chunk + 1) * chunk;
		if (end > len)
			end = len;
		if (off < fd_at && end > fd_at)
			end = fd_at;
		io = send_span(c, p + off, end - off,
		    off == fd_at ? fds : NULL, off == fd_at ? nfds : 0,
		    deadline, &sent, d);
		off += sent;
		if (io != VFU_IO_OK) {
			if (off > 0) {
				/* The peer holds part of a message: the
				 * stream is out of step for good. */
				c->broken = 1;
				if (io == VFU_IO_EOF)
					io = VFU_IO_TRUNCATED;
			}
			return (io);
		}
	}
	if (c->tap != NULL)
		c->tap(c->tap_arg, VFU_TAP_SENT, buf, len, fds, nfds);
	return (VFU_IO_OK);
}

enum vfu_io
transport_send(struct vfu_conn *c, const void *buf, size_t len,
    const int *fds, size_t nfds, int64_t deadline, struct diag *d)
{
	return (send_spans(c, buf, len, len, 0, fds, nfds, deadline, d));
}

enum vfu_io
transport_send_chunked(struct vfu_conn *c, const void *buf, size_t len,
    size_t chunk, const int *fds, size_t nfds, int64_t deadline,
    struct diag *d)
{
	return (send_spans(c, buf, len, chunk, 0, fds, nfds, deadline, d));
}

enum vfu_io
transport_send_fds_at(struct vfu_conn *c, const void *buf, size_t len,
    size_t at, const int *fds, size_t nfds, int64_t deadline, struct diag *d)
{
	if (at >= len && len > 0) {
		diag_set(d, "send: fd offset %zu is past the message (%zu "
		    "bytes)", at, len);
		return (VFU_IO_ERROR);
	}
	return (send_spans(c, buf, len, len, at, fds, nfds, deadline, d));
}

/* Empties a frame without closing anything (its fds are not ours yet). */
static void
frame_empty(struct vfu_frame *f)
{
	size_t	i;

	f->buf = NULL;
	f->len = 0;
	for (i = 0; i < VFU_TRANSPORT_MAX_FDS; i++)
		f->fds[i] = -1;
	f->nfds = 0;
	f->fds_dropped = 0;
	f->fds_split = 0;
	f->fds_lost = 0;
}

void
transport_frame_release(struct vfu_frame *f)
{
	size_t	i;

	free(f->buf);
	for (i = 0; i < f->nfds && i < VFU_TRANSPORT_MAX_FDS; i++)
		if (f->fds[i] >= 0)
			close(f->fds[i]);
	frame_empty(f);
}

int
transport_frame_take_fd(struct vfu_frame *f, size_t i)
{
	int	fd;

	if (i >= f->nfds || i >= VFU_TRANSPORT_MAX_FDS)
		return (-1);
	fd = f->fds[i];
	f->fds[i] = -1;
	return (fd);
}

/* Keeps the fds of one SCM_RIGHTS array (data, possibly unaligned) up to
 * the limit, closes the rest. */
static void
frame_add_fds(struct vfu_frame *f, size_t max_fds, const unsigned char *data,
    size_t n)
{
	size_t	i;
	int	fd;

	if (max_fds > VFU_TRANSPORT_MAX_FDS)
		max_fds = VFU_TRANSPORT_MAX_FDS;
	for (i = 0; i < n; i++) {
		memcpy(&fd, data + i * sizeof(int), sizeof(int));
		if (f->nfds < max_fds)
			f->fds[f->nfds++] = fd;
		else {
			close(fd);
			f->fds_dropped++;
		}
	}
}

/*
 * One recvmsg of at most len bytes into p, waiting until the deadline for
 * something to arrive.  fds that come with the bytes go into f; a read that
 * is not the message's first marks them split.  *got is the byte count.
 */
static enum rx
recv_some(struct vfu_conn *c, struct vfu_frame *f, uint8_t *p, size_t len,
    int first, int64_t deadline, size_t *got, struct diag *d)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_ROOM];
	} u;
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	size_t		 n_fds;
	ssize_t		 n;
	int		 w;

	*got = 0;
	for (;;) {
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = p;
		iov.iov_len = len;
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		n = recvmsg(c->fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n >= 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno == ECONNRESET)
			return (RX_CLOSED);
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			diag_errno(d, errno, "recvmsg");
			return (RX_ERROR);
		}
		w = wait_fd(c->fd, POLLIN, deadline, d);
		if (w == -1)
			return (RX_ERROR);
		if (w == 0)
			return (RX_TIMEOUT);
	}
	/* Collect fds before anything else, so that none leaks. */
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET ||
		    cm->cmsg_type != SCM_RIGHTS)
			continue;
		n_fds = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		if (n_fds == 0)
			continue;
		frame_add_fds(f, c->max_fds, CMSG_DATA(cm), n_fds);
		if (!first)
			f->fds_split = 1;
	}
	/* The kernel could not pass every fd (control buffer full, or no
	 * free slot in our fd table): they are gone, their count unknown. */
	if (msg.msg_flags & MSG_CTRUNC)
		f->fds_lost = 1;
	if (n == 0)
		return (RX_CLOSED);
	*got = (size_t)n;
	return (RX_OK);
}

/* Reads exactly len bytes into p (a read is "first" while *total is 0). */
static enum rx
recv_exact(struct vfu_conn *c, struct vfu_frame *f, uint8_t *p, size_t len,
    size_t *total, int64_t deadline, struct diag *d)
{
	size_t	off = 0, got;
	enum rx	rx;

	while (off < len) {
		rx = recv_some(c, f, p + off, len - off, *total == 0,
		    deadline, &got, d);
		if (rx != RX_OK)
			return (rx);
		off += got;
		*total += got;
	}
	return (RX_OK);
}

/*
 * Reads the first byte on its own, then the rest of the header, then the
 * body.  A stream recvmsg stops after the first skb that carries fds, and
 * a sendmsg's fds ride on its first skb; so the one-byte read gets exactly
 * the fds sent with the message's first byte, and any fds that come later
 * were sent with a later byte (fds_split).
 */
enum vfu_io
transport_recv(struct vfu_conn *c, struct vfu_frame *f, int64_t deadline,
    struct diag *d)
{
	uint8_t		 hdr[HDR_SIZE];
	uint32_t	 msg_size;
	size_t		 total = 0;
	enum rx		 rx;
	enum vfu_io	 io;

	frame_empty(f);
	c->partial = 0;
	memset(hdr, 0, sizeof(hdr));
	if (conn_usable(c, d) == -1)
		return (VFU_IO_ERROR);
	rx = recv_exact(c, f, hdr, 1, &total, deadline, d);
	if (rx == RX_OK)
		rx = recv_exact(c, f, hdr + 1, HDR_SIZE - 1, &total, deadline,
		    d);
	if (rx != RX_OK)
		goto fail;
	memcpy(&msg_size, hdr + HDR_MSG_SIZE_OFF, sizeof(msg_size));
	if (msg_size < HDR_SIZE || msg_size > c->max_msg) {
		if (msg_size < HDR_SIZE)
			diag_field(d, "msg_size", HDR_MSG_SIZE_OFF,
			    "msg_size %u is smaller than the %d-byte header",
			    msg_size, HDR_SIZE);
		else
			diag_field(d, "msg_size", HDR_MSG_SIZE_OFF,
			    "msg_size %u is larger than the limit of %zu",
			    msg_size, c->max_msg);
		io = VFU_IO_BAD_SIZE;
		goto broken;
	}
	f->buf = malloc(msg_size);
	if (f->buf == NULL) {
		diag_errno(d, errno, "malloc %u bytes", msg_size);
		io = VFU_IO_ERROR;
		goto broken;
	}
	memcpy(f->buf, hdr, HDR_SIZE);
	f->len = msg_size;
	rx = recv_exact(c, f, f->buf + HDR_SIZE, msg_size - HDR_SIZE, &total,
	    deadline, d);
	if (rx != RX_OK)
		goto fail;
	if (c->tap != NULL)
		c->tap(c->tap_arg, VFU_TAP_RECEIVED, f->buf, f->len, f->fds,
		    f->nfds);
	return (VFU_IO_OK);

fail:
	switch (rx) {
	case RX_CLOSED:
		if (total == 0) {
			diag_set(d, "peer closed the connection");
			io = VFU_IO_EOF;
			goto out;
		}
		diag_set(d, "peer closed the connection after %zu bytes of "
		    "a message%s", total, total < HDR_SIZE ? " header" : "");
		io = VFU_IO_TRUNCATED;
		break;
	case RX_TIMEOUT:
		if (total == 0) {
			diag_set(d, "no message by the deadline");
			io = VFU_IO_TIMEOUT;
			goto out;
		}
		/* The bytes read so far are lost: out of step for good. */
		diag_set(d, "deadline passed after %zu bytes of a message",
		    total);
		io = VFU_IO_TIMEOUT;
		break;
	default:
		io = VFU_IO_ERROR;
		break;
	}
broken:
	c->broken = 1;
	c->partial = total;
	memcpy(c->partial_hdr, hdr, sizeof(c->partial_hdr));
out:
	transport_frame_release(f);
	return (io);
}

enum vfu_io
transport_wait(struct vfu_conn *c, int64_t deadline, struct diag *d)
{
	int	w;

	if (c->fd < 0) {
		diag_set(d, "connection is closed");
		return (VFU_IO_ERROR);
	}
	w = wait_fd(c->fd, POLLIN, deadline, d);
	if (w == -1)
		return (VFU_IO_ERROR);
	if (w == 0) {
		diag_set(d, "nothing to read by the deadline");
		return (VFU_IO_TIMEOUT);
	}
	return (VFU_IO_OK);
}
