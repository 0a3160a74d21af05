/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for transport: framing by msg_size over socketpairs, fds as
 * SCM_RIGHTS (kept, dropped, split, lost), peers that close or lie,
 * deadlines, and listen/connect/accept on a path.  Every test counts the
 * open fds (/proc/self/fd) before and after, so a leak on any path fails.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "transport.h"

#define MSG_LEN		40	/* the test message: header + 24 bytes */
#define SLACK_MS	5000	/* generous bound on lateness (valgrind) */

/* Open fds of this process, /proc/self/fd's own fd not counted. */
static int
fd_count(void)
{
	DIR		*dir;
	struct dirent	*de;
	int		 n = 0;

	dir = opendir("/proc/self/fd");
	ck_assert_ptr_nonnull(dir);
	while ((de = readdir(dir)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(dir);
	return (n - 1);
}

/* A vfio-user header (host order) followed by a byte pattern. */
static void
msg_fill(uint8_t *b, size_t len, uint32_t msg_size, uint16_t id)
{
	size_t		i;
	uint16_t	cmd = 1;
	uint32_t	flags = 0;

	for (i = 0; i < len; i++)
		b[i] = (uint8_t)(0xa0 + i);
	if (len >= 16) {
		memcpy(b, &id, 2);
		memcpy(b + 2, &cmd, 2);
		memcpy(b + 4, &msg_size, 4);
		memcpy(b + 8, &flags, 4);
	}
}

static void
pair_open(struct vfu_conn *a, struct vfu_conn *b)
{
	struct diag	d;

	ck_assert_int_eq(transport_socketpair(a, b, &d), 0);
}

static void
pair_close(struct vfu_conn *a, struct vfu_conn *b)
{
	transport_close(a);
	transport_close(b);
}

static void
efd_open(int *fds, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		fds[i] = eventfd(0, EFD_CLOEXEC);
		ck_assert_int_ge(fds[i], 0);
	}
}

static void
efd_close(int *fds, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		close(fds[i]);
}

/* Whether a and b are the same open file. */
static int
same_file(int a, int b)
{
	struct stat	sa, sb;

	if (fstat(a, &sa) == -1 || fstat(b, &sb) == -1)
		return (0);
	return (sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino);
}

static int
is_cloexec(int fd)
{
	int	fl = fcntl(fd, F_GETFD);

	return (fl != -1 && (fl & FD_CLOEXEC) != 0);
}

static int
frame_is_empty(const struct vfu_frame *f)
{
	return (f->buf == NULL && f->len == 0 && f->nfds == 0);
}

/*
 * recv: whole messages, at every split, fds intact
 */

/* Chunks of every size from 1 (a write per byte) to the whole message. */
START_TEST(test_transport_recv_chunked_every_size)
{
	struct vfu_conn		a, b;
	struct vfu_frame	f;
	struct diag		d;
	uint8_t			m[MSG_LEN];
	int			efd[2], fd0 = fd_count();
	size_t			chunk = (size_t)_i;

	pair_open(&a, &b);
	efd_open(efd, 2);
	msg_fill(m, sizeof(m), sizeof(m), 7);
	ck_assert_int_eq(transport_send_chunked(&a, m, sizeof(m), chunk, efd,
	    2, transport_deadline(5000), &d), VFU_IO_OK);
	ck_assert_int_eq(transport_recv(&b, &f, transport_deadline(5000), &d),
	    VFU_IO_OK);
	ck_assert_uint_eq(f.len, sizeof(m));
	ck_assert_mem_eq(f.buf, m, sizeof(m));
	ck_assert_uint_eq(f.nfds, 2);
	ck_assert_uint_eq(f.fds_dropped, 0);
	ck_assert_int_eq(f.fds_split, 0);
	ck_assert_int_eq(f.fds_lost, 0);
	ck_assert(same_file(f.fds[0], efd[0]));
	ck_assert(same_file(f.fds[1], efd[1]));
	ck_assert(is_cloexec(f.fds[0]));
	transport_frame_release(&f);
	efd_close(efd, 2);
	pair_close(&a, &b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/*
 * A writer in another process that sends a byte at a time with pauses, so
 * the reader really sees partial reads and waits in between.
 */
START_TEST(test_transport_recv_slow_writer_byte_by_byte)
{
	struct vfu_conn		a, b;
	struct vfu_frame	f;
	struct diag		d;
	struct timespec		ts = { 0, 2000000 };
	uint8_t			m[MSG_LEN];
	int			efd, st, fd0 = fd_count();
	size_t			i;
	pid_t			pid;

	pair_open(&a, &b);
	efd_open(&efd, 1);
	msg_fill(m, sizeof(m), sizeof(m), 9);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		transport_close(&b);
		for (i = 0; i < sizeof(m); i++) {
			if (transport_send_chunked(&a, m + i, 1, 1,
			    i == 0 ? &efd : NULL, i == 0 ? 1 : 0, -1,
			    &d) != VFU_IO_OK)
				_exit(1);
			nanosleep(&ts, NULL);
		}
		transport_close(&a);
		close(efd);
		_exit(0);
	}
	transport_close(&a);
	ck_assert_int_eq(transport_recv(&b, &f, transport_deadline(10000),
	    &d), VFU_IO_OK);
	ck_assert_mem_eq(f.buf, m, sizeof(m));
	ck_assert_uint_eq(f.nfds, 1);
	ck_assert_int_eq(f.fds_split, 0);
	ck_assert(same_file(f.fds[0], efd));
	transport_frame_release(&f);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* The writer is gone, at a message boundary. */
	ck_assert_int_eq(transport_recv(&b, &f, transport_deadline(5000), &d),
	    VFU_IO_EOF);
	close(efd);
	transport_close(&b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/* Two messages queued back to back: each gets its own bytes and fds. */
START_TEST(test_transport_recv_back_to_back_keeps_fds_apart)
{
	struct vfu_conn		a, b;
	struct vfu_frame	f1, f2;
	struct diag		d;
	uint8_t			m1[MSG_LEN], m2[24];
	int			efd[3], fd0 = fd_count();

	pair_open(&a, &b);
	efd_open(efd, 3);
	msg_fill(m1, sizeof(m1), sizeof(m1), 1);
	msg_fill(m2, sizeof(m2), sizeof(m2), 2);
	/* The first message carries no fd, the second three. */
	ck_assert_int_eq(transport_send(&a, m1, sizeof(m1), NULL, 0, -1, &d),
	    VFU_IO_OK);
	ck_assert_int_eq(transport_send(&a, m2, sizeof(m2), efd, 3, -1, &d),
	    VFU_IO_OK);
	ck_assert_int_eq(transport_recv(&b, &f1, -1, &d), VFU_IO_OK);
	ck_assert_int_eq(transport_recv(&b, &f2, -1, &d), VFU_IO_OK);
	ck_assert_uint_eq(f1.len, sizeof(m1));
	ck_assert_mem_eq(f1.buf, m1, sizeof(m1));
	ck_assert_uint_eq(f1.nfds, 0);
	ck_assert_uint_eq(f2.len, sizeof(m2));
	ck_assert_mem_eq(f2.buf, m2, sizeof(m2));
	ck_assert_uint_eq(f2.nfds, 3);
	ck_assert(same_file(f2.fds[2], efd[2]));
	transport_frame_release(&f1);
	transport_frame_release(&f2);
	efd_close(efd, 3);
	pair_close(&a, &b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/* msg_size 16 (header only) and msg_size == max_msg are both fine. */
START_TEST(test_transport_recv_size_limits_inclusive)
{
	struct vfu_conn		a, b;
	struct vfu_frame	f;
	struct diag		d;
	uint8_t			m[64];
	int			fd0 = fd_count();

	pair_open(&a, &b);
	b.max_msg = sizeof(m);
	msg_fill(m, 16, 16, 3);
	ck_assert_int_eq(transport_send(&a, m, 16, NULL, 0, -1, &d),
	    VFU_IO_OK);
	ck_assert_int_eq(transport_recv(&b, &f, -1, &d), VFU_IO_OK);
	ck_assert_uint_eq(f.len, 16);
	ck_assert_mem_eq(f.buf, m, 16);
	transport_frame_release(&f);
	msg_fill(m, sizeof(m), sizeof(m), 4);
	ck_assert_int_eq(transport_send(&a, m, sizeof(m), NULL, 0, -1, &d),
	    VFU_IO_OK);
	ck_assert_int_eq(transport_recv(&b, &f, -1, &d), VFU_IO_OK);
	ck_assert_uint_eq(f.len, sizeof(m));
	ck_assert_mem_eq(f.buf, m, sizeof(m));
	transport_frame_release(&f);
	ck_assert_int_eq(b.broken, 0);
	pair_close(&a, &b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/* The tap sees each whole message once, in both directions. */
struct tap_log {
	int		calls[2];
	size_t		len[2];
	size_t		nfds[2];
	uint8_t		first[2];
};

static void
tap_record(void *arg, enum vfu_tap_dir dir, const uint8_t *buf, size_t len,
    const int *fds, size_t nfds)
{
	struct tap_log	*t = arg;

	t->calls[dir]++;
	t->len[dir] = len;
	t->nfds[dir] = nfds;
	t->first[dir] = buf[len - 1];
	(void)fds;
}

START_TEST(test_transport_recv_tap_sees_whole_messages)
{
	struct vfu_conn		a, b;
	struct vfu_frame	f;
	struct diag		d;
	struct tap_log		ta, tb;
	uint8_t			m[MSG_LEN];
	int			efd, fd0 = fd_count();

	memset(&ta, 0, sizeof(ta));
	memset(&tb, 0, sizeof(tb));
	pair_open(&a, &b);
	a.tap = tap_record;
	a.tap_arg = &ta;
	b.tap = tap_record;
	b.tap_arg = &tb;
	efd_open(&efd, 1);
	msg_fill(m, sizeof(m), sizeof(m), 5);
	ck_assert_int_eq(transport_send_chunked(&a, m, sizeof(m), 3, &efd, 1,
	    -1, &d), VFU_IO_OK);
	ck_assert_int_eq(transport_recv(&b, &f, -1, &d), VFU_IO_OK);
	ck_assert_int_eq(ta.calls[VFU_TAP_SENT], 1);
	ck_assert_int_eq(ta.calls[VFU_TAP_RECEIVED], 0);
	ck_assert_uint_eq(ta.len[VFU_TAP_SENT], sizeof(m));
	ck_assert_uint_eq(ta.nfds[VFU_TAP_SENT], 1);
	ck_assert_uint_eq(ta.first[VFU_TAP_SENT], m[sizeof(m) - 1]);
	ck_assert_int_eq(tb.calls[VFU_TAP_RECEIVED], 1);
	ck_assert_int_eq(tb.calls[VFU_TAP_SENT], 0);
	ck_assert_uint_eq(tb.len[VFU_TAP_RECEIVED], sizeof(m));
	ck_assert_uint_eq(tb.nfds[VFU_TAP_RECEIVED], 1);
	ck_assert_uint_eq(tb.first[VFU_TAP_RECEIVED], m[sizeof(m) - 1]);
	transport_frame_release(&f);
	/* A failed receive is not shown. */
	transport_close(&a);
	ck_assert_int_eq(transport_recv(&b, &f, -1, &d), VFU_IO_EOF);
	ck_assert_int_eq(tb.calls[VFU_TAP_RECEIVED], 1);
	close(efd);
	transport_close(&b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/*
 * recv: peers that lie or close
 */

/* msg_size 0..15, with an fd on the header that must not leak. */
START_TEST(test_transport_recv_undersize_is_bad_size)
{
	struct vfu_conn		a, b;
	struct vfu_frame	f;
	struct diag		d;
	uint8_t			m[16];
	char			want[64];
	int			efd, fd0 = fd_count();
	uint32_t		size = (uint32_t)_i;

	pair_open(&a, &b);
	efd_open(&efd, 1);
	msg_fill(m, sizeof(m), size, 1);
	ck_assert_int_eq(transport_send(&a, m, sizeof(m), &efd, 1, -1, &d),
	    VFU_IO_OK);
	close(efd);
	ck_assert_int_eq(transport_recv(&b, &f, -1, &d), VFU_IO_BAD_SIZE);
	ck_assert(frame_is_empty(&f));
	ck_assert_int_eq(b.broken, 1);
	ck_assert_str_eq(d.field, "msg_size");
	ck_assert_uint_eq(d.offset, 4);
	snprintf(want, sizeof(want), "msg_size %u ", size);
	ck_assert_ptr_nonnull(strstr(d.msg, want));
	/* The stream cannot be trusted any more. */
	ck_assert_int_eq(transport_recv(&b, &f, -1, &d), VFU_IO_ERROR);
	pair_close(&a, &b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/* msg_size above max_msg, up to 0xffffffff: refused before any allocation. */
START_TEST(test_transport_recv_oversize_is_bad_size)
{
	static const uint32_t	sizes[] = { 65, 4096, 0x7fffffff, 0xffffffff };
	struct vfu_conn		a, b;
	struct vfu_frame	f;
	struct diag		d;
	uint8_t			m[64];
	char			want[64];
	int			efd[3], fd0 = fd_count();
	size_t			i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		pair_open(&a, &b);
		b.max_msg = 64;
		efd_open(efd, 3);
		msg_fill(m, sizeof(m), sizes[i], 1);
		ck_assert_int_eq(transport_send(&a, m, sizeof(m), efd, 3, -1,
		    &d), VFU_IO_OK);
		efd_close(efd, 3);
		ck_assert_int_eq(transport_recv(&b, &f, -1, &d),
		    VFU_IO_BAD_SIZE);
		ck_assert(frame_is_empty(&f));
		ck_assert_int_eq(b.broken, 1);
		ck_assert_str_eq(d.field, "msg_size");
		snprintf(want, sizeof(want), "msg_size %u ", sizes[i]);
		ck_assert_ptr_nonnull(strstr(d.msg, want));
		pair_close(&a, &b);
		ck_assert_int_eq(fd_count(), fd0);
	}
}
END_TEST

/* Closed before the first byte: EOF, not a failure of the stream. */
START_TEST(test_transport_recv_close_before_header_is_eof)
{
	struct vfu_conn		a, b;
	struct vfu_frame	f;
	struct diag		d;
	int			fd0 = fd_count();

	pair_open(&a, &b);
	transport_close(&a);
	ck_assert_int_eq(transport_recv(&b, &f, transport_deadline(5000), &d),
	    VFU_IO_EOF);
	ck_assert(frame_is_empty(&f));
	ck_assert_int_eq(b.broken, 0);
	transport_close(&b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/* Closed after 1..15 header bytes (an fd on the first): TRUNCATED. */
START_TEST(test_transport_recv_close_mid_header_is_truncated)
{
	struct vfu_conn		a, b;
	struct vfu_frame	f;
	struct diag		d;
	uint8_t			m[MSG_LEN];
	int			efd, fd0 = fd_count();
	size_t			n = (size_t)_i;

	pair_open(&a, &b);
	efd_open(&efd, 1);
	msg_fill(m, sizeof(m), sizeof(m), 1);
	ck_assert_int_eq(transport_send(&a, m, n, &efd, 1, -1, &d),
	    VFU_IO_OK);
	close(efd);
	transport_close(&a);
	ck_assert_int_eq(transport_recv(&b, &f, transport_deadline(5000), &d),
	    VFU_IO_TRUNCATED);
	ck_assert(frame_is_empty(&f));
	ck_assert_int_eq(b.broken, 1);
	transport_close(&b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/* Closed after the header (exactly at it, or in the body): TRUNCATED. */
START_TEST(test_transport_recv_close_mid_body_is_truncated)
{
	struct vfu_conn		a, b;
	struct vfu_frame	f;
	struct diag		d;
	uint8_t			m[MSG_LEN];
	int			efd[2], fd0 = fd_count();
	size_t			n = (size_t)_i;

	pair_open(&a, &b);
	efd_open(efd, 2);
	msg_fill(m, sizeof(m), sizeof(m), 1);
	/* One fd on the header, one on the body when there is one. */
	ck_assert_int_eq(transport_send(&a, m, 16, &efd[0], 1, -1, &d),
	    VFU_IO_OK);
	if (n > 16)
		ck_assert_int_eq(transport_send(&a, m + 16, n - 16, &efd[1], 1,
		    -1, &d), VFU_IO_OK);
	efd_close(efd, 2);
	transport_close(&a);
	ck_assert_int_eq(transport_recv(&b, &f, transport_deadline(5000), &d),
	    VFU_IO_TRUNCATED);
	ck_assert(frame_is_empty(&f));
	ck_assert_int_eq(b.broken, 1);
	ck_assert_ptr_nonnull(strstr(d.msg, "closed"));
	transport_close(&b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/* After a whole message, a close is a clean EOF. */
START_TEST(test_transport_recv_close_at_boundary_is_eof)
{
	struct vfu_conn		a, b;
	struct vfu_frame	f;
	struct diag		d;
	uint8_t			m[MSG_LEN];
	int			fd0 = fd_count();

	pair_open(&a, &b);
	msg_fill(m, sizeof(m), sizeof(m), 1);
	ck_assert_int_eq(transport_send(&a, m, sizeof(m), NULL, 0, -1, &d),
	    VFU_IO_OK);
	transport_close(&a);
	ck_assert_int_eq(transport_recv(&b, &f, -1, &d), VFU_IO_OK);
	transport_frame_release(&f);
	ck_assert_int_eq(transport_recv(&b, &f, -1, &d), VFU_IO_EOF);
	ck_assert_int_eq(b.broken, 0);
	transport_close(&b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/* A closed or broken connection is refused, without touching the socket. */
START_TEST(test_transport_recv_refuses_closed_connection)
{
	struct vfu_conn		a, b;
	struct vfu_frame	f;
	struct diag		d;
	int			fd0 = fd_count();

	pair_open(&a, &b);
	transport_close(&b);
	transport_close(&b);
	ck_assert_int_eq(b.fd, -1);
	ck_assert_int_eq(transport_recv(&b, &f, -1, &d), VFU_IO_ERROR);
	ck_assert(frame_is_empty(&f));
	ck_assert_int_eq(transport_wait(&b, -1, &d), VFU_IO_ERROR);
	ck_assert_int_eq(transport_send(&b, "x", 1, NULL, 0, -1, &d),
	    VFU_IO_ERROR);
	a.broken = 1;
	ck_assert_int_eq(transport_send(&a, "x", 1, NULL, 0, -1, &d),
	    VFU_IO_ERROR);
	ck_assert_ptr_nonnull(strstr(d.msg, "broken"));
	transport_close(&a);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/*
 * fds: floods, later chunks, kernel losses, taking them out
 */

/* 200 fds when 4 are allowed: 4 kept, 196 closed and counted. */
START_TEST(test_transport_recv_fd_flood_keeps_max_fds)
{
	struct vfu_conn		a, b;
	struct vfu_frame	f;
	struct diag		d;
	uint8_t			m[MSG_LEN];
	int			efd[200], fd0 = fd_count();
	size_t			i;

	pair_open(&a, &b);
	b.max_fds = 4;
	efd_open(efd, 200);
	msg_fill(m, sizeof(m), sizeof(m), 1);
	ck_assert_int_eq(transport_send(&a, m, sizeof(m), efd, 200, -1, &d),
	    VFU_IO_OK);
	efd_close(efd, 200);
	ck_assert_int_eq(fd_count(), fd0 + 2);
	ck_assert_int_eq(transport_recv(&b, &f, -1, &d), VFU_IO_OK);
	ck_assert_uint_eq(f.nfds, 4);
	ck_assert_uint_eq(f.fds_dropped, 196);
	ck_assert_int_eq(f.fds_lost, 0);
	ck_assert_mem_eq(f.buf, m, sizeof(m));
	/* The 196 are closed already: only the 4 kept are open. */
	ck_assert_int_eq(fd_count(), fd0 + 2 + 4);
	for (i = 0; i < 4; i++)
		ck_assert_int_ge(fcntl(f.fds[i], F_GETFD), 0);
	transport_frame_release(&f);
	ck_assert_int_eq(fd_count(), fd0 + 2);
	pair_close(&a, &b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/* fds on two chunks of one message, more than max_fds in total. */
START_TEST(test_transport_recv_fd_limit_spans_chunks)
{
	struct vfu_conn		a, b;
	struct vfu_frame	f;
	struct diag		d;
	uint8_t			m[MSG_LEN];
	int			efd[6], fd0 = fd_count();

	pair_open(&a, &b);
	b.max_fds = 4;
	efd_open(efd, 6);
	msg_fill(m, sizeof(m), sizeof(m), 1);
	ck_assert_int_eq(transport_send(&a, m, 20, efd, 3, -1, &d),
	    VFU_IO_OK);
	ck_assert_int_eq(transport_send(&a, m + 20, sizeof(m) - 20, efd + 3,
	    3, -1, &d), VFU_IO_OK);
	ck_assert_int_eq(transport_recv(&b, &f, -1, &d), VFU_IO_OK);
	ck_assert_uint_eq(f.nfds, 4);
	ck_assert_uint_eq(f.fds_dropped, 2);
	ck_assert_int_eq(f.fds_split, 1);
	ck_assert(same_file(f.fds[0], efd[0]));
	ck_assert(same_file(f.fds[3], efd[3]));
	transport_frame_release(&f);
	efd_close(efd, 6);
	pair_close(&a, &b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/* fds on a later byte (1..MSG_LEN-1, in the header or the body): split. */
START_TEST(test_transport_send_fds_at_later_byte_is_split)
{
	struct vfu_conn		a, b;
	struct vfu_frame	f;
	struct diag		d;
	uint8_t			m[MSG_LEN];
	int			efd[2], fd0 = fd_count();
	size_t			at = (size_t)_i;

	pair_open(&a, &b);
	efd_open(efd, 2);
	msg_fill(m, sizeof(m), sizeof(m), 1);
	ck_assert_int_eq(transport_send_fds_at(&a, m, sizeof(m), at, efd, 2,
	    -1, &d), VFU_IO_OK);
	ck_assert_int_eq(transport_recv(&b, &f, -1, &d), VFU_IO_OK);
	ck_assert_mem_eq(f.buf, m, sizeof(m));
	ck_assert_uint_eq(f.nfds, 2);
	ck_assert_int_eq(f.fds_split, at > 0);
	ck_assert(same_file(f.fds[1], efd[1]));
	transport_frame_release(&f);
	efd_close(efd, 2);
	pair_close(&a, &b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/* Out of fd slots: the kernel installs what fits and says so. */
START_TEST(test_transport_recv_fds_lost_when_fd_table_full)
{
	struct vfu_conn		a, b;
	struct vfu_frame	f;
	struct diag		d;
	struct rlimit		old, low;
	uint8_t			m[MSG_LEN];
	int			efd[5], fill[64], fd0 = fd_count();
	size_t			nfill = 0, i;
	int			fd;
	const char		*pre = getenv("LD_PRELOAD");

	/* Valgrind keeps RLIMIT_NOFILE to itself: the kernel, which installs
	 * received fds, would never see the lowered limit. */
	if (pre != NULL && strstr(pre, "vgpreload") != NULL)
		return;
	pair_open(&a, &b);
	efd_open(efd, 5);
	msg_fill(m, sizeof(m), sizeof(m), 1);
	ck_assert_int_eq(transport_send(&a, m, sizeof(m), efd, 5, -1, &d),
	    VFU_IO_OK);
	ck_assert_int_eq(transport_send(&a, m, sizeof(m), NULL, 0, -1, &d),
	    VFU_IO_OK);
	/* Leave exactly two free slots below a lowered limit. */
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = (rlim_t)(fd0 + 2 + 5 + 16);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
	while (nfill < 64 && (fd = open("/dev/null", O_RDONLY |
	    O_CLOEXEC)) >= 0)
		fill[nfill++] = fd;
	ck_assert_uint_lt(nfill, 64);
	ck_assert_uint_ge(nfill, 2);
	close(fill[--nfill]);
	close(fill[--nfill]);
	ck_assert_int_eq(transport_recv(&b, &f, -1, &d), VFU_IO_OK);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
	ck_assert_uint_eq(f.nfds, 2);
	ck_assert_int_eq(f.fds_lost, 1);
	ck_assert_mem_eq(f.buf, m, sizeof(m));
	transport_frame_release(&f);
	/* The stream is still in step. */
	ck_assert_int_eq(b.broken, 0);
	ck_assert_int_eq(transport_recv(&b, &f, -1, &d), VFU_IO_OK);
	ck_assert_uint_eq(f.nfds, 0);
	ck_assert_int_eq(f.fds_lost, 0);
	transport_frame_release(&f);
	for (i = 0; i < nfill; i++)
		close(fill[i]);
	efd_close(efd, 5);
	pair_close(&a, &b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/* take_fd hands an fd over by index; release closes only the rest. */
START_TEST(test_transport_frame_take_fd_by_index)
{
	struct vfu_conn		a, b;
	struct vfu_frame	f;
	struct diag		d;
	uint8_t			m[MSG_LEN];
	int			efd[3], fd, fd0 = fd_count();

	pair_open(&a, &b);
	efd_open(efd, 3);
	msg_fill(m, sizeof(m), sizeof(m), 1);
	ck_assert_int_eq(transport_send(&a, m, sizeof(m), efd, 3, -1, &d),
	    VFU_IO_OK);
	efd_close(efd, 3);
	ck_assert_int_eq(transport_recv(&b, &f, -1, &d), VFU_IO_OK);
	fd = transport_frame_take_fd(&f, 1);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(transport_frame_take_fd(&f, 1), -1);
	ck_assert_int_eq(transport_frame_take_fd(&f, 3), -1);
	ck_assert_int_eq(transport_frame_take_fd(&f, (size_t)-1), -1);
	/* Indexes do not shift: fd 2 is still at 2. */
	ck_assert_int_ge(f.fds[2], 0);
	transport_frame_release(&f);
	ck_assert_int_ge(fcntl(fd, F_GETFD), 0);
	close(fd);
	/* Releasing twice is harmless. */
	transport_frame_release(&f);
	pair_close(&a, &b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/* Bad sends are refused before anything goes out. */
START_TEST(test_transport_send_rejects_bad_arguments)
{
	struct vfu_conn		a, b;
	struct vfu_frame	f;
	struct diag		d;
	uint8_t			m[MSG_LEN];
	int			fds[VFU_TRANSPORT_MAX_FDS + 1];
	int			efd, fd0 = fd_count();
	size_t			i;

	pair_open(&a, &b);
	efd_open(&efd, 1);
	for (i = 0; i < VFU_TRANSPORT_MAX_FDS + 1; i++)
		fds[i] = efd;
	msg_fill(m, sizeof(m), sizeof(m), 1);
	ck_assert_int_eq(transport_send(&a, m, 0, NULL, 0, -1, &d),
	    VFU_IO_ERROR);
	ck_assert_int_eq(transport_send(&a, m, sizeof(m), fds,
	    VFU_TRANSPORT_MAX_FDS + 1, -1, &d), VFU_IO_ERROR);
	ck_assert_int_eq(transport_send_fds_at(&a, m, sizeof(m), sizeof(m),
	    &efd, 1, -1, &d), VFU_IO_ERROR);
	ck_assert_int_eq(a.broken, 0);
	/* An fd that is not open: sendmsg fails, nothing is sent. */
	fds[0] = 1000000;
	ck_assert_int_eq(transport_send(&a, m, sizeof(m), fds, 1, -1, &d),
	    VFU_IO_ERROR);
	ck_assert_int_eq(a.broken, 0);
	ck_assert_int_eq(transport_recv(&b, &f, transport_deadline(0), &d),
	    VFU_IO_TIMEOUT);
	/* 253 fds is the most, and it works. */
	ck_assert_int_eq(transport_send(&a, m, sizeof(m), fds + 1,
	    VFU_TRANSPORT_MAX_FDS, -1, &d), VFU_IO_OK);
	ck_assert_int_eq(transport_recv(&b, &f, -1, &d), VFU_IO_OK);
	ck_assert_uint_eq(f.nfds, VFU_TRANSPORT_MAX_FDS);
	transport_frame_release(&f);
	close(efd);
	pair_close(&a, &b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/* Peer gone: EOF before any byte; TRUNCATED and broken in mid-message. */
START_TEST(test_transport_send_peer_closed)
{
	struct vfu_conn		a, b;
	struct diag		d;
	uint8_t			m[MSG_LEN], one;
	uint8_t			*big;
	size_t			bigsz = 8 * 1048576;
	int			st, fd0 = fd_count();
	pid_t			pid;

	pair_open(&a, &b);
	transport_close(&b);
	msg_fill(m, sizeof(m), sizeof(m), 1);
	ck_assert_int_eq(transport_send(&a, m, sizeof(m), NULL, 0,
	    transport_deadline(5000), &d), VFU_IO_EOF);
	ck_assert_int_eq(a.broken, 0);
	transport_close(&a);

	/* A reader that takes one byte and leaves. */
	pair_open(&a, &b);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		transport_close(&a);
		st = read(b.fd, &one, 1) == 1 ? 0 : 1;
		transport_close(&b);
		_exit(st);
	}
	transport_close(&b);
	big = calloc(1, bigsz);
	ck_assert_ptr_nonnull(big);
	msg_fill(big, 16, (uint32_t)bigsz, 1);
	ck_assert_int_eq(transport_send(&a, big, bigsz, NULL, 0,
	    transport_deadline(20000), &d), VFU_IO_TRUNCATED);
	ck_assert_int_eq(a.broken, 1);
	free(big);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	transport_close(&a);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/*
 * deadlines
 */

/* A silent peer: TIMEOUT no earlier than the deadline, stream intact. */
START_TEST(test_transport_recv_silent_peer_times_out)
{
	struct vfu_conn		a, b;
	struct vfu_frame	f;
	struct diag		d;
	int64_t			dl, now;
	int			fd0 = fd_count();

	pair_open(&a, &b);
	dl = transport_deadline(200);
	ck_assert_int_eq(transport_recv(&b, &f, dl, &d), VFU_IO_TIMEOUT);
	now = transport_now_ms();
	ck_assert_int_ge(now, dl);
	ck_assert_int_lt(now, dl + SLACK_MS);
	ck_assert(frame_is_empty(&f));
	ck_assert_int_eq(b.broken, 0);
	/* A deadline already past still polls once. */
	dl = transport_deadline(0);
	ck_assert_int_eq(transport_recv(&b, &f, dl, &d), VFU_IO_TIMEOUT);
	ck_assert_int_ge(transport_now_ms(), dl);
	pair_close(&a, &b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/* Half a message, then silence: TIMEOUT, broken, the fd closed. */
START_TEST(test_transport_recv_timeout_mid_message_breaks)
{
	struct vfu_conn		a, b;
	struct vfu_frame	f;
	struct diag		d;
	uint8_t			m[MSG_LEN];
	int64_t			dl;
	int			efd, fd0 = fd_count();

	pair_open(&a, &b);
	efd_open(&efd, 1);
	msg_fill(m, sizeof(m), sizeof(m), 1);
	ck_assert_int_eq(transport_send(&a, m, 20, &efd, 1, -1, &d),
	    VFU_IO_OK);
	close(efd);
	dl = transport_deadline(200);
	ck_assert_int_eq(transport_recv(&b, &f, dl, &d), VFU_IO_TIMEOUT);
	ck_assert_int_ge(transport_now_ms(), dl);
	ck_assert(frame_is_empty(&f));
	ck_assert_int_eq(b.broken, 1);
	ck_assert_ptr_nonnull(strstr(d.msg, "20 bytes"));
	pair_close(&a, &b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/* A peer that never reads: sends fill its buffer, then time out. */
START_TEST(test_transport_send_full_buffer_times_out)
{
	struct vfu_conn		a, b;
	struct diag		d;
	uint8_t			m[16], *big;
	size_t			bigsz = 8 * 1048576;
	int64_t			dl, now;
	int			n = 0, fd0 = fd_count();
	enum vfu_io		io;

	pair_open(&a, &b);
	msg_fill(m, sizeof(m), sizeof(m), 1);
	/* Small whole messages, without waiting, until one does not fit:
	 * nothing of it went out, so the stream is still in step. */
	while ((io = transport_send(&a, m, sizeof(m), NULL, 0,
	    transport_deadline(0), &d)) == VFU_IO_OK && n < 1000000)
		n++;
	ck_assert_int_eq(io, VFU_IO_TIMEOUT);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(a.broken, 0);
	dl = transport_deadline(200);
	ck_assert_int_eq(transport_send(&a, m, sizeof(m), NULL, 0, dl, &d),
	    VFU_IO_TIMEOUT);
	now = transport_now_ms();
	ck_assert_int_ge(now, dl);
	ck_assert_int_lt(now, dl + SLACK_MS);
	transport_close(&a);
	transport_close(&b);

	/* One message bigger than the buffer: partly sent, then broken. */
	pair_open(&a, &b);
	big = calloc(1, bigsz);
	ck_assert_ptr_nonnull(big);
	dl = transport_deadline(200);
	ck_assert_int_eq(transport_send(&a, big, bigsz, NULL, 0, dl, &d),
	    VFU_IO_TIMEOUT);
	now = transport_now_ms();
	ck_assert_int_ge(now, dl);
	ck_assert_int_lt(now, dl + SLACK_MS);
	ck_assert_int_eq(a.broken, 1);
	free(big);
	pair_close(&a, &b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

START_TEST(test_transport_wait_readable_or_timeout)
{
	struct vfu_conn		a, b;
	struct diag		d;
	int64_t			dl;
	int			fd0 = fd_count();

	pair_open(&a, &b);
	dl = transport_deadline(100);
	ck_assert_int_eq(transport_wait(&b, dl, &d), VFU_IO_TIMEOUT);
	ck_assert_int_ge(transport_now_ms(), dl);
	ck_assert_int_eq(transport_send(&a, "x", 1, NULL, 0, -1, &d),
	    VFU_IO_OK);
	ck_assert_int_eq(transport_wait(&b, transport_deadline(5000), &d),
	    VFU_IO_OK);
	/* Waiting reads nothing: the byte is still there. */
	ck_assert_int_eq(transport_wait(&b, transport_deadline(0), &d),
	    VFU_IO_OK);
	transport_close(&a);
	ck_assert_int_eq(transport_wait(&a, -1, &d), VFU_IO_ERROR);
	transport_close(&b);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

START_TEST(test_transport_deadline_none_and_now)
{
	int64_t	t0, t1;

	ck_assert_int_eq(transport_deadline(-1), -1);
	ck_assert_int_eq(transport_deadline(-1000), -1);
	t0 = transport_now_ms();
	t1 = transport_deadline(1000);
	ck_assert_int_ge(t1, t0 + 1000);
	ck_assert_int_lt(t1, t0 + 1000 + SLACK_MS);
	ck_assert_int_ge(transport_now_ms(), t0);
}
END_TEST

START_TEST(test_vfu_io_str_names_every_value)
{
	ck_assert_str_eq(vfu_io_str(VFU_IO_OK), "ok");
	ck_assert_str_eq(vfu_io_str(VFU_IO_EOF), "eof");
	ck_assert_str_eq(vfu_io_str(VFU_IO_TRUNCATED), "truncated");
	ck_assert_str_eq(vfu_io_str(VFU_IO_TIMEOUT), "timeout");
	ck_assert_str_eq(vfu_io_str(VFU_IO_BAD_SIZE), "bad-size");
	ck_assert_str_eq(vfu_io_str(VFU_IO_ERROR), "error");
	ck_assert_str_eq(vfu_io_str((enum vfu_io)99), "unknown");
}
END_TEST

/*
 * sockets on a path
 */

/* A fresh directory for socket files, and its socket path. */
struct sockdir {
	char	dir[64];
	char	path[128];
};

static void
sockdir_make(struct sockdir *s)
{
	snprintf(s->dir, sizeof(s->dir), "/tmp/check_transport.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(s->dir));
	snprintf(s->path, sizeof(s->path), "%s/sock", s->dir);
}

static void
sockdir_remove(struct sockdir *s)
{
	unlink(s->path);
	ck_assert_int_eq(rmdir(s->dir), 0);
}

START_TEST(test_transport_listen_connect_accept)
{
	struct sockdir		s;
	struct vfu_conn		cl, sv;
	struct vfu_frame	f;
	struct diag		d;
	uint8_t			m[MSG_LEN];
	int			lfd, efd, fd0 = fd_count();

	sockdir_make(&s);
	lfd = transport_listen(s.path, 4, &d);
	ck_assert_int_ge(lfd, 0);
	ck_assert(is_cloexec(lfd));
	ck_assert_int_eq(transport_connect(&cl, s.path,
	    transport_deadline(5000), &d), 0);
	ck_assert_int_eq(transport_accept(lfd, &sv, transport_deadline(5000),
	    &d), VFU_IO_OK);
	ck_assert(is_cloexec(cl.fd));
	ck_assert(is_cloexec(sv.fd));
	ck_assert_uint_eq(sv.max_msg, VFU_TRANSPORT_DEF_MAX_MSG);
	ck_assert_uint_eq(sv.max_fds, VFU_TRANSPORT_MAX_FDS);
	efd_open(&efd, 1);
	msg_fill(m, sizeof(m), sizeof(m), 11);
	ck_assert_int_eq(transport_send(&cl, m, sizeof(m), &efd, 1,
	    transport_deadline(5000), &d), VFU_IO_OK);
	ck_assert_int_eq(transport_recv(&sv, &f, transport_deadline(5000), &d),
	    VFU_IO_OK);
	ck_assert_mem_eq(f.buf, m, sizeof(m));
	ck_assert(same_file(f.fds[0], efd));
	transport_frame_release(&f);
	ck_assert_int_eq(transport_send(&sv, m, sizeof(m), NULL, 0,
	    transport_deadline(5000), &d), VFU_IO_OK);
	ck_assert_int_eq(transport_recv(&cl, &f, transport_deadline(5000), &d),
	    VFU_IO_OK);
	ck_assert_mem_eq(f.buf, m, sizeof(m));
	transport_frame_release(&f);
	close(efd);
	transport_close(&cl);
	transport_close(&sv);
	/* No second client: accept times out. */
	ck_assert_int_eq(transport_accept(lfd, &sv, transport_deadline(100),
	    &d), VFU_IO_TIMEOUT);
	ck_assert_int_eq(sv.fd, -1);
	close(lfd);
	sockdir_remove(&s);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/* The server shows up late; connect keeps trying until it does. */
START_TEST(test_transport_connect_retries_until_server_listens)
{
	struct sockdir		s;
	struct vfu_conn		cl, sv;
	struct vfu_frame	f;
	struct diag		d;
	struct timespec		ts = { 0, 300000000 };
	uint8_t			m[MSG_LEN];
	int			lfd, st, fd0 = fd_count();
	int64_t			t0;
	pid_t			pid;

	sockdir_make(&s);
	msg_fill(m, sizeof(m), sizeof(m), 12);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		nanosleep(&ts, NULL);
		lfd = transport_listen(s.path, 1, &d);
		if (lfd < 0 || transport_accept(lfd, &sv,
		    transport_deadline(10000), &d) != VFU_IO_OK) {
			fprintf(stderr, "child: %s\n", d.msg);
			_exit(1);
		}
		if (transport_send(&sv, m, sizeof(m), NULL, 0,
		    transport_deadline(10000), &d) != VFU_IO_OK)
			_exit(2);
		/* Wait for the client to hang up. */
		if (transport_recv(&sv, &f, transport_deadline(10000), &d) !=
		    VFU_IO_EOF)
			_exit(3);
		transport_close(&sv);
		close(lfd);
		_exit(0);
	}
	t0 = transport_now_ms();
	ck_assert_int_eq(transport_connect(&cl, s.path,
	    transport_deadline(10000), &d), 0);
	ck_assert_int_ge(transport_now_ms() - t0, 250);
	ck_assert_int_eq(transport_recv(&cl, &f, transport_deadline(10000),
	    &d), VFU_IO_OK);
	ck_assert_mem_eq(f.buf, m, sizeof(m));
	transport_frame_release(&f);
	transport_close(&cl);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	sockdir_remove(&s);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/* Nobody there: connect gives up at the deadline, not before. */
START_TEST(test_transport_connect_no_server_gives_up)
{
	struct sockdir		s;
	struct vfu_conn		cl;
	struct diag		d;
	int64_t			dl, now;
	int			fd0 = fd_count();

	sockdir_make(&s);
	dl = transport_deadline(200);
	ck_assert_int_eq(transport_connect(&cl, s.path, dl, &d), -1);
	now = transport_now_ms();
	ck_assert_int_ge(now, dl);
	ck_assert_int_lt(now, dl + SLACK_MS);
	ck_assert_int_eq(cl.fd, -1);
	ck_assert_ptr_nonnull(strstr(d.msg, s.path));
	ck_assert_ptr_nonnull(strstr(d.msg, "No such file"));
	sockdir_remove(&s);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

START_TEST(test_transport_connect_bad_path_fails_at_once)
{
	struct vfu_conn		cl;
	struct diag		d;
	char			longp[200];
	int			fd0 = fd_count();
	int64_t			t0;

	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	t0 = transport_now_ms();
	ck_assert_int_eq(transport_connect(&cl, longp,
	    transport_deadline(10000), &d), -1);
	ck_assert_ptr_nonnull(strstr(d.msg, "too long"));
	ck_assert_int_eq(transport_connect(&cl, "", transport_deadline(10000),
	    &d), -1);
	/* Not a socket: no point in retrying. */
	ck_assert_int_eq(transport_connect(&cl, "/dev/null",
	    transport_deadline(10000), &d), -1);
	ck_assert_ptr_nonnull(strstr(d.msg, "not a socket"));
	ck_assert_int_lt(transport_now_ms() - t0, 5000);
	ck_assert_int_eq(transport_listen(longp, 1, &d), -1);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

/* A stale socket file is replaced; any other file is left alone. */
START_TEST(test_transport_listen_replaces_only_sockets)
{
	struct sockdir		s;
	struct vfu_conn		cl;
	struct stat		st;
	struct diag		d;
	int			lfd, fd, fd0 = fd_count();

	sockdir_make(&s);
	lfd = transport_listen(s.path, 1, &d);
	ck_assert_int_ge(lfd, 0);
	close(lfd);
	/* Left behind by a server that is gone. */
	ck_assert_int_eq(stat(s.path, &st), 0);
	lfd = transport_listen(s.path, 1, &d);
	ck_assert_int_ge(lfd, 0);
	ck_assert_int_eq(transport_connect(&cl, s.path,
	    transport_deadline(5000), &d), 0);
	transport_close(&cl);
	close(lfd);
	unlink(s.path);
	fd = open(s.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(transport_listen(s.path, 1, &d), -1);
	ck_assert_ptr_nonnull(strstr(d.msg, "not a socket"));
	ck_assert_int_eq(stat(s.path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	sockdir_remove(&s);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

START_TEST(test_transport_socketpair_cloexec_and_defaults)
{
	struct vfu_conn		a, b;
	int			fd0 = fd_count();

	pair_open(&a, &b);
	ck_assert(is_cloexec(a.fd));
	ck_assert(is_cloexec(b.fd));
	ck_assert_uint_eq(a.max_msg, VFU_TRANSPORT_DEF_MAX_MSG);
	ck_assert_uint_eq(b.max_fds, VFU_TRANSPORT_MAX_FDS);
	ck_assert_ptr_null(a.tap);
	ck_assert_int_eq(a.broken, 0);
	ck_assert_int_eq(fd_count(), fd0 + 2);
	pair_close(&a, &b);
	ck_assert_int_eq(a.fd, -1);
	ck_assert_int_eq(fd_count(), fd0);
}
END_TEST

static Suite *
transport_suite(void)
{
	Suite	*s = suite_create("transport");
	TCase	*tc;

	tc = tcase_create("recv");
	tcase_add_loop_test(tc, test_transport_recv_chunked_every_size, 1,
	    MSG_LEN + 1);
	tcase_add_test(tc, test_transport_recv_slow_writer_byte_by_byte);
	tcase_add_test(tc, test_transport_recv_back_to_back_keeps_fds_apart);
	tcase_add_test(tc, test_transport_recv_size_limits_inclusive);
	tcase_add_test(tc, test_transport_recv_tap_sees_whole_messages);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, test_transport_recv_undersize_is_bad_size, 0,
	    16);
	tcase_add_test(tc, test_transport_recv_oversize_is_bad_size);
	tcase_add_test(tc, test_transport_recv_close_before_header_is_eof);
	tcase_add_loop_test(tc,
	    test_transport_recv_close_mid_header_is_truncated, 1, 16);
	tcase_add_loop_test(tc, test_transport_recv_close_mid_body_is_truncated,
	    16, MSG_LEN);
	tcase_add_test(tc, test_transport_recv_close_at_boundary_is_eof);
	tcase_add_test(tc, test_transport_recv_refuses_closed_connection);
	tcase_add_test(tc, test_transport_send_rejects_bad_arguments);
	tcase_add_test(tc, test_transport_send_peer_closed);
	suite_add_tcase(s, tc);

	tc = tcase_create("fds");
	tcase_add_test(tc, test_transport_recv_fd_flood_keeps_max_fds);
	tcase_add_test(tc, test_transport_recv_fd_limit_spans_chunks);
	tcase_add_loop_test(tc, test_transport_send_fds_at_later_byte_is_split,
	    0, MSG_LEN);
	tcase_add_test(tc, test_transport_recv_fds_lost_when_fd_table_full);
	tcase_add_test(tc, test_transport_frame_take_fd_by_index);
	suite_add_tcase(s, tc);

	tc = tcase_create("deadline");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_transport_recv_silent_peer_times_out);
	tcase_add_test(tc, test_transport_recv_timeout_mid_message_breaks);
	tcase_add_test(tc, test_transport_send_full_buffer_times_out);
	tcase_add_test(tc, test_transport_wait_readable_or_timeout);
	tcase_add_test(tc, test_transport_deadline_none_and_now);
	tcase_add_test(tc, test_vfu_io_str_names_every_value);
	suite_add_tcase(s, tc);

	tc = tcase_create("socket");
	tcase_set_timeout(tc, 60);
	tcase_set_tags(tc, "net");
	tcase_add_test(tc, test_transport_listen_connect_accept);
	tcase_add_test(tc, test_transport_connect_retries_until_server_listens);
	tcase_add_test(tc, test_transport_connect_no_server_gives_up);
	tcase_add_test(tc, test_transport_connect_bad_path_fails_at_once);
	tcase_add_test(tc, test_transport_listen_replaces_only_sockets);
	tcase_add_test(tc, test_transport_socketpair_cloexec_and_defaults);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(transport_suite());
	int	 nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
