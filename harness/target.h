/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * target: how the implementation under test is reached.
 *   socket:PATH   connect to a server that is already listening at PATH;
 *   exec          spawn the backend program per the spec's Backend Program
 *                 Conventions, one process per connection, handing it one
 *                 end of a socketpair with --fd=N (or, with exec-path, a
 *                 fresh socket path with --socket-path=PATH), and tell how
 *                 it ended (exit status, or the signal that killed it).
 * Owns the child process and the temporary directory; never prints.
 */
#ifndef VFU_TARGET_H
#define VFU_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct diag;
struct vfu_conn;

enum target_kind {
	TARGET_SOCKET,		/* socket:PATH */
	TARGET_EXEC,		/* exec -- CMD ARGS (--fd=N) */
	TARGET_EXEC_PATH,	/* exec-path -- CMD ARGS (--socket-path=PATH) */
};

struct target {
	enum target_kind kind;
	char		 path[108];	/* socket path (sun_path size) */
	char *const	*argv;		/* exec: the command (not owned) */
	pid_t		 pid;		/* exec: the running child, or 0 */
	char		 tmpdir[64];	/* exec-path: the directory of path */
	int		 exited;	/* the child has been reaped */
	int		 wstatus;	/* its wait status */
};

/*
 * Parses a --target value: "socket:PATH", "exec" or "exec-path"; argv is the
 * command after "--" (required for exec kinds, refused otherwise).
 */
int	target_parse(struct target *t, const char *spec, char *const *argv,
	    struct diag *d);

/* Connects (socket) or spawns and connects (exec kinds) by the deadline. */
int	target_open(struct target *t, struct vfu_conn *c, int64_t deadline,
	    struct diag *d);

/*
 * Connects again to the same server, c being a new connection (the caller
 * closed the old one): socket and exec-path targets connect to their path,
 * retrying until the server accepts or the deadline passes; an exec-path
 * child stays the same process, and its death ends the wait.  An exec
 * target (--fd) has no path, so there is nothing to reconnect to: -1.
 * Returns 0, or -1 with *d saying why.
 */
int	target_reconnect(struct target *t, struct vfu_conn *c, int64_t deadline,
	    struct diag *d);

/*
 * Ends an exec target: if the child already ended, reaps it; otherwise
 * sends SIGTERM and waits up to grace_ms, then SIGKILL.  Returns 1 when it
 * had been killed by a signal on its own (a crash) or did not end within
 * grace_ms of SIGTERM, with why describing it ("killed by signal 11
 * (Segmentation fault)"); 0 otherwise (a child that exited by itself, with
 * any status, did not crash: a backend may exit when its client leaves).
 * A socket target always returns 0.
 */
int	target_close(struct target *t, int grace_ms, char *why, size_t len);

/*
 * The peer closed the connection: gives an exec child up to ms to be seen
 * dead, so that a crash is told apart from the SIGTERM target_close would
 * send.  Returns 1 if it has exited (not reaped yet), 0 otherwise.
 */
int	target_settle(struct target *t, int ms);

/* Describes the target for messages: "socket:/run/x.sock", "exec vfu-refdev". */
const char *target_str(const struct target *t, char *buf, size_t len);

#endif /* VFU_TARGET_H */
