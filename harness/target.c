/* SPDX-License-Identifier: BSD-3-Clause */
/* target: reaching the implementation under test; see target.h. */
#include "config.h"
#include "target.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "transport.h"

int
target_parse(struct target *t, const char *spec, char *const *argv,
    struct diag *d)
{
	memset(t, 0, sizeof(*t));
	if (strncmp(spec, "socket:", 7) == 0) {
		if (spec[7] == '\0')
			return (diag_set(d, "--target socket:PATH needs a "
			    "path"));
		if (strlen(spec + 7) >= sizeof(t->path))
			return (diag_set(d, "socket path longer than %zu "
			    "bytes: %s", sizeof(t->path) - 1, spec + 7));
		if (argv != NULL && argv[0] != NULL)
			return (diag_set(d, "--target socket takes no command "
			    "after --"));
		t->kind = TARGET_SOCKET;
		snprintf(t->path, sizeof(t->path), "%s", spec + 7);
		return (0);
	}
	if (strcmp(spec, "exec") == 0)
		t->kind = TARGET_EXEC;
	else if (strcmp(spec, "exec-path") == 0)
		t->kind = TARGET_EXEC_PATH;
	else
		return (diag_set(d, "unknown target '%s' (use socket:PATH, "
		    "exec or exec-path)", spec));
	if (argv == NULL || argv[0] == NULL)
		return (diag_set(d, "--target %s needs the server command after "
		    "--, e.g. --target exec -- vfu-refdev", spec));
	t->argv = argv;
	return (0);
}

/* argv plus one extra argument, for execvp. */
static char **
target_argv(char *const *argv, const char *extra)
{
	size_t	  n = 0, i;
	char	**v;

	while (argv[n] != NULL)
		n++;
	v = calloc(n + 2, sizeof(*v));
	if (v == NULL)
		return (NULL);
	for (i = 0; i < n; i++)
		v[i] = argv[i];
	v[n] = (char *)(uintptr_t)extra;
	return (v);
}

/* Forks and execs argv with one extra argument; keep_fd stays open. */
static int
target_spawn(struct target *t, const char *extra, int keep_fd, struct diag *d)
{
	char	**v;
	pid_t	  pid;

	v = target_argv(t->argv, extra);
	if (v == NULL)
		return (diag_errno(d, ENOMEM, "spawn"));
	fflush(NULL);
	pid = fork();
	if (pid == -1) {
		free(v);
		return (diag_errno(d, errno, "fork"));
	}
	if (pid == 0) {
		if (keep_fd != -1)
			(void)fcntl(keep_fd, F_SETFD, 0);
		signal(SIGPIPE, SIG_DFL);
		execvp(v[0], v);
		fprintf(stderr, "vfu-conform: cannot run %s: %s\n", v[0],
		    diag_strerror(errno));
		_exit(127);
	}
	free(v);
	t->pid = pid;
	t->exited = 0;
	return (0);
}

/* Reaps the child if it has exited; returns 1 if it has. */
static int
target_reap(struct target *t)
{
	pid_t	r;

	if (t->pid == 0 || t->exited)
		return (t->exited);
	r = waitpid(t->pid, &t->wstatus, WNOHANG);
	if (r == t->pid)
		t->exited = 1;
	return (t->exited);
}

static void
target_status_str(int ws, char *buf, size_t len)
{
	const char *name;

	if (WIFSIGNALED(ws)) {
		name = sigdescr_np(WTERMSIG(ws));
		snprintf(buf, len, "killed by signal %d (%s)%s", WTERMSIG(ws),
		    name != NULL ? name : "unknown signal",
		    WCOREDUMP(ws) ? ", core dumped" : "");
	} else if (WIFEXITED(ws))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(ws));
	else
		snprintf(buf, len, "ended with wait status 0x%x", ws);
}

int
target_open(struct target *t, struct vfu_conn *c, int64_t deadline,
    struct diag *d)
{
	struct vfu_conn	 peer;
	char		 arg[160], st[128];
	const char	*tmp;

	switch (t->kind) {
	case TARGET_SOCKET:
		return (transport_connect(c, t->path, deadline, d));
	case TARGET_EXEC:
		if (transport_socketpair(c, &peer, d) == -1)
			return (-1);
		snprintf(arg, sizeof(arg), "--fd=%d", peer.fd);
		if (target_spawn(t, arg, peer.fd, d) == -1) {
			transport_close(&peer);
			transport_close(c);
			return (-1);
		}
		transport_close(&peer);
		return (0);
	case TARGET_EXEC_PATH:
		tmp = getenv("TMPDIR");
		snprintf(t->tmpdir, sizeof(t->tmpdir), "%s/vfu-XXXXXX",
		    tmp != NULL && strlen(tmp) < 40 ? tmp : "/tmp");
		if (mkdtemp(t->tmpdir) == NULL)
			return (diag_errno(d, errno, "mkdtemp %s", t->tmpdir));
		snprintf(t->path, sizeof(t->path), "%s/sock", t->tmpdir);
		snprintf(arg, sizeof(arg), "--socket-path=%s", t->path);
		if (target_spawn(t, arg, -1, d) == -1)
			return (-1);
		/* Connect while the child lives, until the deadline. */
		for (;;) {
			int64_t	step = transport_deadline(50);

			if (deadline >= 0 && step > deadline)
				step = deadline;
			if (transport_connect(c, t->path, step, d) == 0)
				return (0);
			if (target_reap(t)) {
				target_status_str(t->wstatus, st, sizeof(st));
				return (diag_set(d, "%s %s before accepting a "
				    "connection", t->argv[0], st));
			}
			if (deadline >= 0 && transport_now_ms() >= deadline)
				return (diag_set(d, "%s did not listen on %s "
				    "in time", t->argv[0], t->path));
		}
	}
	return (diag_set(d, "bad target kind"));
}

int
target_reconnect(struct target *t, struct vfu_conn *c, int64_t deadline,
    struct diag *d)
{
	struct timespec	ts = { 0, 10 * 1000 * 1000 };
	char		st[128], last[sizeof(d->msg)];
	int64_t		step;

	if (t->kind == TARGET_EXEC)
		return (diag_set(d, "an exec target hands the server one "
		    "connection (--fd): there is no socket path to connect "
		    "to again"));
	for (;;) {
		step = transport_deadline(50);
		if (deadline >= 0 && step > deadline)
			step = deadline;
		if (transport_connect(c, t->path, step, d) == 0)
			return (0);
		if (t->kind == TARGET_EXEC_PATH && target_reap(t)) {
			target_status_str(t->wstatus, st, sizeof(st));
			return (diag_set(d, "%s %s after the client "
			    "disconnected, before accepting a new connection",
			    t->argv[0], st));
		}
		if (deadline >= 0 && transport_now_ms() >= deadline) {
			snprintf(last, sizeof(last), "%s", d->msg);
			return (diag_set(d, "no server accepted a new "
			    "connection on %s in time: %s", t->path, last));
		}
		nanosleep(&ts, NULL);
	}
}

int
target_settle(struct target *t, int ms)
{
	siginfo_t	si;
	struct timespec	ts = { 0, 5 * 1000 * 1000 };
	int64_t		deadline = transport_deadline(ms);

	if (t->pid == 0 || t->exited)
		return (t->exited);
	for (;;) {
		memset(&si, 0, sizeof(si));
		/* WNOWAIT: target_close reaps it and reads the status. */
		if (waitid(P_PID, (id_t)t->pid, &si, WEXITED | WNOHANG |
		    WNOWAIT) == -1)
			return (0);
		if (si.si_pid != 0)
			return (1);
		if (transport_now_ms() >= deadline)
			return (0);
		nanosleep(&ts, NULL);
	}
}

int
target_close(struct target *t, int grace_ms, char *why, size_t len)
{
	int64_t	deadline;
	int	crashed = 0;
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	if (why != NULL && len > 0)
		why[0] = '\0';
	if (t->pid != 0) {
		if (target_reap(t)) {
			/* Exiting by itself, whatever the status, is a
			 * backend's right (spec "Client Disconnection"); dying
			 * of a signal is a crash. */
			crashed = WIFSIGNALED(t->wstatus);
		} else {
			(void)kill(t->pid, SIGTERM);
			deadline = transport_deadline(grace_ms);
			while (!target_reap(t) &&
			    transport_now_ms() < deadline)
				nanosleep(&ts, NULL);
			if (!t->exited) {
				(void)kill(t->pid, SIGKILL);
				(void)waitpid(t->pid, &t->wstatus, 0);
				t->exited = 1;
				if (why != NULL)
					snprintf(why, len, "did not end within "
					    "%d ms of SIGTERM (spec: \"The "
					    "backend program must honor the "
					    "SIGTERM signal.\")", grace_ms);
				crashed = 1;
			}
		}
		if (crashed && why != NULL && why[0] == '\0')
			target_status_str(t->wstatus, why, len);
		t->pid = 0;
	}
	if (t->tmpdir[0] != '\0') {
		(void)unlink(t->path);
		(void)rmdir(t->tmpdir);
		t->tmpdir[0] = '\0';
	}
	return (crashed);
}

const char *
target_str(const struct target *t, char *buf, size_t len)
{
	switch (t->kind) {
	case TARGET_SOCKET:
		snprintf(buf, len, "socket:%s", t->path);
		break;
	case TARGET_EXEC:
		snprintf(buf, len, "exec %s", t->argv[0]);
		break;
	case TARGET_EXEC_PATH:
		snprintf(buf, len, "exec-path %s", t->argv[0]);
		break;
	}
	return (buf);
}
