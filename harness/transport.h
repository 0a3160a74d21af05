/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * transport: moves whole vfio-user messages over AF_UNIX stream sockets,
 * framed by the header's msg_size, with file descriptors as SCM_RIGHTS.
 * Every operation has a deadline (poll-based); partial reads and writes and
 * EINTR are retried until it passes.  Whatever the peer does (closes
 * mid-message, lies in msg_size, floods fds) the caller gets a clear
 * condition, never a crash, hang or leaked fd.  Does not interpret messages
 * beyond msg_size.
 */
#ifndef VFU_TRANSPORT_H
#define VFU_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

struct diag;

/* Linux caps SCM_RIGHTS at 253 fds per message (SCM_MAX_FD). */
#define VFU_TRANSPORT_MAX_FDS	253
/* Default limit on msg_size: the largest payload the default
 * max_data_xfer_size allows, plus headers, with room to spare. */
#define VFU_TRANSPORT_DEF_MAX_MSG	(1048576 + 4096)

/* What a send or receive came to. */
enum vfu_io {
	VFU_IO_OK = 0,
	VFU_IO_EOF,		/* peer closed cleanly, at a message boundary */
	VFU_IO_TRUNCATED,	/* peer closed in the middle of a message */
	VFU_IO_TIMEOUT,		/* the deadline passed first */
	VFU_IO_BAD_SIZE,	/* msg_size < 16 or > the connection's maximum;
				 * the stream cannot be trusted afterwards */
	VFU_IO_ERROR,		/* any other failure (see the diag) */
};
const char *vfu_io_str(enum vfu_io io);

/* Direction, for the tap. */
enum vfu_tap_dir { VFU_TAP_SENT, VFU_TAP_RECEIVED };

/* Called with every whole message sent or received (later: pcap capture). */
typedef void vfu_tap_fn(void *arg, enum vfu_tap_dir dir, const uint8_t *buf,
	    size_t len, const int *fds, size_t nfds);

struct vfu_conn {
	int		 fd;		/* -1 when closed */
	size_t		 max_msg;	/* largest msg_size accepted on receive */
	size_t		 max_fds;	/* fds accepted per received message;
					 * the rest are closed and counted */
	int		 broken;	/* set after BAD_SIZE/TRUNCATED/ERROR,
					 * a TIMEOUT in mid-message, or a
					 * half-sent message; every later send
					 * and recv then fails with ERROR */
	vfu_tap_fn	*tap;		/* optional */
	void		*tap_arg;
	/* After a receive that failed inside a message (BAD_SIZE, or a
	 * TRUNCATED or TIMEOUT with bytes read): how many bytes had come and
	 * the header bytes among them, as evidence.  0 otherwise. */
	size_t		 partial;
	uint8_t		 partial_hdr[16];
};

/* A received message.  Owns buf and fds until transport_frame_release(). */
struct vfu_frame {
	uint8_t		*buf;		/* whole message, header included */
	size_t		 len;		/* == msg_size */
	int		 fds[VFU_TRANSPORT_MAX_FDS];
	size_t		 nfds;		/* fds kept (<= conn->max_fds) */
	size_t		 fds_dropped;	/* fds over the limit, already closed */
	int		 fds_split;	/* fds arrived with a later chunk than the
					 * first byte of the message */
	int		 fds_lost;	/* the kernel dropped fds (MSG_CTRUNC:
					 * no room in our fd table); how many
					 * is unknown */
};

/* Monotonic milliseconds, and now + ms (ms < 0: no deadline, which is
 * -1; every deadline below may be -1).  A deadline already past still lets
 * an operation that needs no waiting go through. */
int64_t	transport_now_ms(void);
int64_t	transport_deadline(int ms);

/* Wraps an existing socket fd (takes ownership); defaults for the limits:
 * VFU_TRANSPORT_DEF_MAX_MSG, VFU_TRANSPORT_MAX_FDS. */
void	transport_init(struct vfu_conn *c, int fd);
/* Closes the socket (idempotent). */
void	transport_close(struct vfu_conn *c);

/* Client side: connect to the socket at path, retrying until the deadline
 * while it does not exist yet or refuses (the server may still be starting). */
int	transport_connect(struct vfu_conn *c, const char *path,
	    int64_t deadline, struct diag *d);
/* Server side: a listening socket at path (an existing socket file there is
 * replaced).  Returns the fd, or -1. */
int	transport_listen(const char *path, int backlog, struct diag *d);
/* Accepts one connection by the deadline (TIMEOUT if none).  lfd should be
 * non-blocking, as transport_listen makes it. */
enum vfu_io transport_accept(int lfd, struct vfu_conn *c, int64_t deadline,
	    struct diag *d);
/* Two connected ends (SOCK_STREAM, close-on-exec). */
int	transport_socketpair(struct vfu_conn *a, struct vfu_conn *b,
	    struct diag *d);

/*
 * Sends len bytes as one message with nfds fds attached to its first byte.
 * The bytes are sent as they are: msg_size is not checked, so malformed
 * messages can be sent on purpose.  len must be > 0 and nfds at most
 * VFU_TRANSPORT_MAX_FDS (else ERROR, nothing sent).  Peer gone before any
 * byte went out: EOF; after some: TRUNCATED.  TIMEOUT or TRUNCATED after
 * part of the message went out marks the connection broken.  The caller
 * keeps its fds (they are duplicated by the kernel).
 */
enum vfu_io transport_send(struct vfu_conn *c, const void *buf, size_t len,
	    const int *fds, size_t nfds, int64_t deadline, struct diag *d);
/* Sends raw bytes split into chunks of at most chunk bytes (for tests and
 * fault injection); fds ride on the first chunk. */
enum vfu_io transport_send_chunked(struct vfu_conn *c, const void *buf,
	    size_t len, size_t chunk, const int *fds, size_t nfds,
	    int64_t deadline, struct diag *d);
/* Sends the message in two sendmsg calls, the second starting at byte at
 * (0 <= at < len) and carrying the fds (fault injection: fds that are not
 * on the first byte).  at == 0 is transport_send. */
enum vfu_io transport_send_fds_at(struct vfu_conn *c, const void *buf,
	    size_t len, size_t at, const int *fds, size_t nfds,
	    int64_t deadline, struct diag *d);

/*
 * Receives one whole message: reads the header, checks msg_size against
 * [16, c->max_msg], then reads the rest.  Collects every fd that arrives with
 * any of its bytes.  On anything but VFU_IO_OK, *f is empty and no fd is
 * left open.  EOF: closed before the first byte; TRUNCATED: after it;
 * TIMEOUT: nothing, or only part of a message (then broken), by the
 * deadline; BAD_SIZE: the diag quotes msg_size (field "msg_size", byte 4).
 *
 * It never asks for a byte past msg_size, so the next message's bytes and
 * fds stay queued.  The kernel decides which bytes fds belong to, and that
 * sets the limits: a sendmsg's fds ride on its first byte, and a read that
 * reaches that byte takes them.  So
 *  - fds sent with one sendmsg whose bytes start inside one message and
 *    run into the next arrive with the earlier message: a peer that means
 *    them for the later one cannot be told apart from one that does not;
 *  - fds sent with a sendmsg that starts after the message's first byte
 *    arrive with the message, flagged fds_split (the first byte is read on
 *    its own, so fds_split is set if and only if some fds were not sent
 *    with the first byte).
 * fds beyond c->max_fds (or VFU_TRANSPORT_MAX_FDS) are closed and counted
 * in fds_dropped; fds the kernel could not install set fds_lost.  Neither is
 * a failure.
 */
enum vfu_io transport_recv(struct vfu_conn *c, struct vfu_frame *f,
	    int64_t deadline, struct diag *d);
/* Waits until the socket is readable or closed, without reading. */
enum vfu_io transport_wait(struct vfu_conn *c, int64_t deadline,
	    struct diag *d);

/* Frees the buffer and closes the fds still owned by the frame. */
void	transport_frame_release(struct vfu_frame *f);
/* Takes fd i out of the frame (the caller now owns it); -1 if none. */
int	transport_frame_take_fd(struct vfu_frame *f, size_t i);

#endif /* VFU_TRANSPORT_H */
