/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * runner-fd: the file descriptors a send step passes (a memfd of a size with
 * content, an eventfd, one end of a socketpair, the read end of a pipe, a
 * regular temporary file, or one named earlier) and telling the kind of an
 * fd the peer sent.  The other ends of sockets and pipes stay open for the
 * run, so the peer sees a live object.  Everything is close-on-exec: exec
 * targets spawned by other threads must not inherit it.
 */
#include "config.h"
#include "runner-int.h"

#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"

void
run_fds_init(struct run_fds *s)
{
	memset(s, 0, sizeof(*s));
}

void
run_fds_free(struct run_fds *s)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].fd != -1)
			(void)close(s->v[i].fd);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int
run_fds_keep(struct run_fds *s, const char *name, int fd)
{
	struct run_fd	*nv;
	size_t		 ncap;

	if (s->n == s->cap) {
		ncap = s->cap == 0 ? 8 : s->cap * 2;
		if ((nv = reallocarray(s->v, ncap, sizeof(*nv))) == NULL) {
			(void)close(fd);
			return (-1);
		}
		s->v = nv;
		s->cap = ncap;
	}
	s->v[s->n].name = name;
	s->v[s->n].fd = fd;
	s->n++;
	return (0);
}

int
run_fds_find(const struct run_fds *s, const char *name)
{
	size_t	i;

	for (i = s->n; i > 0; i--)
		if (s->v[i - 1].name != NULL &&
		    strcmp(s->v[i - 1].name, name) == 0)
			return (s->v[i - 1].fd);
	return (-1);
}

/* Sizes the file and writes the content at offset 0. */
static int
fill(int fd, const struct fd_spec *fs, struct diag *d)
{
	const uint8_t	*p = fs->content.bytes;
	size_t		 left = fs->content.len, off = 0;
	ssize_t		 n;

	if (fs->size > (uint64_t)LLONG_MAX ||
	    ftruncate(fd, (off_t)fs->size) == -1)
		return (diag_errno(d, errno, "cannot size the %s to %llu "
		    "bytes", scenario_fd_kind_name(fs->kind),
		    (unsigned long long)fs->size));
	if (fs->content.kind != VALUE_BYTES)
		return (0);
	while (left > 0) {
		n = pwrite(fd, p + off, left, (off_t)off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return (diag_errno(d, n == -1 ? errno : EIO,
			    "cannot write the %s's content",
			    scenario_fd_kind_name(fs->kind)));
		off += (size_t)n;
		left -= (size_t)n;
	}
	return (0);
}

/* A regular file in $TMPDIR (or /tmp), unlinked at once. */
static int
make_file(struct diag *d)
{
	const char	*tmp = getenv("TMPDIR");
	char		 path[256];
	int		 fd;

	snprintf(path, sizeof(path), "%s/vfu-file-XXXXXX",
	    tmp != NULL && tmp[0] != '\0' && strlen(tmp) < 200 ? tmp : "/tmp");
	if ((fd = mkostemp(path, O_CLOEXEC)) == -1)
		return (diag_errno(d, errno, "cannot create a file in %s",
		    path));
	(void)unlink(path);
	return (fd);
}

int
run_fd_make(const struct fd_spec *fs, struct run_fds *s, int *fd,
    int *close_after, struct diag *d)
{
	int	sv[2], made = -1;

	*fd = -1;
	*close_after = 1;
	switch (fs->kind) {
	case FD_REF:
		if ((*fd = run_fds_find(s, fs->ref)) == -1)
			return (diag_at(d, fs->pos.file, fs->pos.line,
			    fs->pos.col, "fd '%s' does not exist (the step "
			    "that makes it did not run)", fs->ref));
		*close_after = 0;
		return (0);
	case FD_MEMFD:
		if ((made = memfd_create("vfu-conform", MFD_CLOEXEC)) == -1)
			return (diag_errno(d, errno, "memfd_create"));
		if (fill(made, fs, d) == -1)
			goto fail;
		break;
	case FD_FILE:
		if ((made = make_file(d)) == -1)
			return (-1);
		if (fill(made, fs, d) == -1)
			goto fail;
		break;
	case FD_EVENTFD:
		if ((made = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) == -1)
			return (diag_errno(d, errno, "eventfd"));
		break;
	case FD_SOCKET:
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
		    sv) == -1)
			return (diag_errno(d, errno, "socketpair"));
		if (run_fds_keep(s, NULL, sv[1]) == -1) {
			(void)close(sv[0]);
			return (diag_set(d, "out of memory"));
		}
		made = sv[0];
		break;
	case FD_PIPE:
		if (pipe2(sv, O_CLOEXEC) == -1)
			return (diag_errno(d, errno, "pipe"));
		if (run_fds_keep(s, NULL, sv[1]) == -1) {
			(void)close(sv[0]);
			return (diag_set(d, "out of memory"));
		}
		made = sv[0];
		break;
	case FD_ANY:
	default:
		return (diag_at(d, fs->pos.file, fs->pos.line, fs->pos.col,
		    "an fd of kind 'any' cannot be made"));
	}
	*fd = made;
	if (fs->name != NULL) {
		if (run_fds_keep(s, fs->name, made) == -1) {
			*fd = -1;
			return (diag_set(d, "out of memory"));
		}
		*close_after = 0;
	}
	return (0);
fail:
	(void)close(made);
	return (-1);
}

enum fd_kind
run_fd_kind(int fd)
{
	struct stat	st;
	char		proc[64], link[128];
	ssize_t		n;

	if (fstat(fd, &st) == -1)
		return (FD_ANY);
	if (S_ISSOCK(st.st_mode))
		return (FD_SOCKET);
	if (S_ISFIFO(st.st_mode))
		return (FD_PIPE);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, link, sizeof(link) - 1);
	if (n < 0)
		n = 0;
	link[n] = '\0';
	if (S_ISREG(st.st_mode))
		return (strncmp(link, "/memfd:", 7) == 0 ? FD_MEMFD : FD_FILE);
	if (strcmp(link, "anon_inode:[eventfd]") == 0)
		return (FD_EVENTFD);
	return (FD_ANY);
}
