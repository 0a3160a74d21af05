/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_runner: whole scenarios (tests/data/runner/) run end to end against
 * the reference server servers/vfu-refdev, spawned per scenario with --fd:
 * a clean run, each expect kind, DMA served from guest memory, SKIP by
 * probing, a fault the scenario catches; and against hostile stand-ins: a
 * peer that never answers (FAIL within the deadline), one that crashes
 * (crashed), a socket nobody listens on (ERROR, unreachable).  Reconnect
 * steps run against vfu-refdev through a socket path (exec-path, and a
 * server the test starts itself for socket:PATH): the disconnect faults
 * are caught, exec skips them, a server that leaves after one client
 * fails the reconnect.
 *
 * The paths come from the environment make check sets (top_srcdir,
 * top_builddir); run by hand from the build directory they default to ".".
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "lint.h"
#include "proto.h"
#include "result.h"
#include "runner.h"
#include "scenario.h"
#include "target.h"
#include "transport.h"

static const char *
env_dir(const char *name)
{
	const char *v = getenv(name);

	return (v != NULL && v[0] != '\0' ? v : ".");
}

static void
data_path(char *buf, size_t len, const char *file)
{
	snprintf(buf, len, "%s/tests/data/runner/%s", env_dir("top_srcdir"),
	    file);
}

/* Line of the first line of file that contains needle (1-based). */
static unsigned
line_of(const char *file, const char *needle)
{
	char	 path[1024], line[512];
	FILE	*fp;
	unsigned n = 0;

	data_path(path, sizeof(path), file);
	ck_assert_ptr_nonnull(fp = fopen(path, "r"));
	while (fgets(line, sizeof(line), fp) != NULL) {
		n++;
		if (strstr(line, needle) != NULL) {
			fclose(fp);
			return (n);
		}
	}
	fclose(fp);
	ck_assert_msg(0, "'%s' is not in %s", needle, file);
	return (0);
}

/* Runs file against target t; the result stays in *res, the model in *sc. */
static int
run_target(const char *file, const struct target *t, int64_t deadline_ms,
    struct scenario *sc, struct scenario_result *res)
{
	struct runner_opts o;
	struct diag	 d;
	char		 path[1024];

	data_path(path, sizeof(path), file);
	ck_assert_msg(scenario_load(path, NULL, sc, &d) == 0, "%s: %s:%u: %s",
	    file, d.file, d.line, d.msg);
	static const char *const refdev[] = { "refdev" };

	memset(&o, 0, sizeof(o));
	o.target = t;
	o.profiles = refdev;	/* vfu-refdev, or a stand-in for it */
	o.nprofiles = 1;
	o.timeout_ms = 2000;
	o.strict = 0;
	o.deadline = transport_deadline((int)deadline_ms);
	return (runner_run(sc, &o, res));
}

static void
refdev_bin(char *bin, size_t len)
{
	snprintf(bin, len, "%s/servers/vfu-refdev", env_dir("top_builddir"));
	ck_assert_msg(access(bin, X_OK) == 0, "%s is not built", bin);
}

/*
 * Runs file against vfu-refdev reached as kind ("exec", "exec-path") with
 * the given faults (NULL-terminated; "-" starts an option given as is).
 */
static void
run_refdev_as(const char *file, const char *kind, const char *const *faults,
    struct scenario *sc, struct scenario_result *res)
{
	struct target	 t;
	struct diag	 d;
	char		 bin[1024], fault[8][96];
	char		*argv[10];
	size_t		 i, n = 0;

	refdev_bin(bin, sizeof(bin));
	argv[n++] = bin;
	for (i = 0; faults != NULL && faults[i] != NULL && i < 8; i++) {
		snprintf(fault[i], sizeof(fault[i]), "%s%s",
		    faults[i][0] == '-' ? "" : "--fault=", faults[i]);
		argv[n++] = fault[i];
	}
	argv[n] = NULL;
	memset(&t, 0, sizeof(t));
	ck_assert_int_eq(target_parse(&t, kind, argv, &d), 0);
	ck_assert_int_eq(run_target(file, &t, 20000, sc, res), 0);
}

/* Runs file against vfu-refdev with the given faults (NULL-terminated). */
static void
run_refdev(const char *file, const char *const *faults, struct scenario *sc,
    struct scenario_result *res)
{
	run_refdev_as(file, "exec", faults, sc, res);
}

/* A one-line shell program as the target: sh -c SCRIPT --fd=N. */
static void
run_sh(const char *file, const char *script, int64_t deadline_ms,
    struct scenario *sc, struct scenario_result *res)
{
	struct target	 t;
	struct diag	 d;
	char		 sh[] = "sh", dash_c[] = "-c", prog[256];
	char		*argv[4] = { sh, dash_c, prog, NULL };

	snprintf(prog, sizeof(prog), "%s", script);
	memset(&t, 0, sizeof(t));
	ck_assert_int_eq(target_parse(&t, "exec", argv, &d), 0);
	(void)run_target(file, &t, deadline_ms, sc, res);
}

static void
done(struct scenario *sc, struct scenario_result *res)
{
	result_free(res);
	scenario_free(sc);
}

/* A readable summary of why a run did not PASS, for assertion messages. */
static const char *
why(const struct scenario_result *res, char *buf, size_t len)
{
	if (res->nmismatches > 0)
		snprintf(buf, len, "%s: %s: expected %s, got %s (line %u)",
		    verdict_str(res->verdict), res->mismatches[0].field,
		    res->mismatches[0].expected, res->mismatches[0].actual,
		    res->mismatches[0].line);
	else if (res->nfindings > 0)
		snprintf(buf, len, "%s: %s: %s", verdict_str(res->verdict),
		    res->findings[0].rule != NULL ? "finding" : "?",
		    res->findings[0].seen);
	else
		snprintf(buf, len, "%s: %s", verdict_str(res->verdict),
		    res->reason);
	return (buf);
}

static void
assert_pass(const char *file)
{
	struct scenario	 sc;
	struct scenario_result res;
	char		 buf[1400];

	run_refdev(file, NULL, &sc, &res);
	ck_assert_msg(res.verdict == VERDICT_PASS, "%s: %s", file,
	    why(&res, buf, sizeof(buf)));
	ck_assert_uint_eq(res.nmismatches, 0);
	ck_assert_int_eq(res.crashed, 0);
	done(&sc, &res);
}

/* ---- against vfu-refdev ------------------------------------------------ */

START_TEST(test_runner_run_pass)
{
	struct scenario	 sc;
	struct scenario_result res;
	size_t		 i, in = 0, out = 0;
	char		 buf[1400];

	run_refdev("pass.yaml", NULL, &sc, &res);
	ck_assert_msg(res.verdict == VERDICT_PASS, "%s",
	    why(&res, buf, sizeof(buf)));
	/* every message both ways is in the transcript */
	for (i = 0; i < res.ntranscript; i++) {
		if (res.transcript[i].received)
			in++;
		else
			out++;
	}
	ck_assert_uint_ge(out, 10);
	ck_assert_uint_eq(in, out);
	ck_assert_uint_gt(res.elapsed_ms + 1, 0);
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_run_mismatch_located)
{
	struct scenario	 sc;
	struct scenario_result res;

	run_refdev("fail.yaml", NULL, &sc, &res);
	ck_assert_int_eq(res.verdict, VERDICT_FAIL);
	ck_assert_uint_eq(res.nmismatches, 1);
	ck_assert_str_eq(res.mismatches[0].field, "reply.num_regions");
	ck_assert_str_eq(res.mismatches[0].expected, "9");
	ck_assert_str_eq(res.mismatches[0].actual, "10");
	ck_assert_uint_eq(res.mismatches[0].line, line_of("fail.yaml",
	    "num_regions: 9"));
	ck_assert_ptr_nonnull(res.mismatches[0].step);
	ck_assert_uint_eq(res.mismatches[0].msg.received, 1);
	ck_assert_uint_gt(res.mismatches[0].msg.len, 16);
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_run_capture_lost_keeps_fail)
{
	struct scenario	 sc;
	struct scenario_result res;

	run_refdev("capture-lost.yaml", NULL, &sc, &res);
	ck_assert_int_eq(res.verdict, VERDICT_FAIL);
	ck_assert_uint_ge(res.nmismatches, 1);
	ck_assert_ptr_nonnull(strstr(res.reason, "$size"));
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_run_one_of_none)
{
	struct scenario	 sc;
	struct scenario_result res;

	run_refdev("one-of-none.yaml", NULL, &sc, &res);
	ck_assert_int_eq(res.verdict, VERDICT_FAIL);
	ck_assert_uint_eq(res.nmismatches, 2);
	ck_assert_str_eq(res.mismatches[0].field, "one_of");
	ck_assert_ptr_nonnull(strstr(res.mismatches[0].expected,
	    "one of: a message at line 16, a message at line 17"));
	/* both differ by one field: the first is taken as the closest */
	ck_assert_ptr_nonnull(strstr(res.mismatches[0].actual, "line 16"));
	ck_assert_str_eq(res.mismatches[1].field, "status");
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_run_silence)
{
	assert_pass("silence.yaml");
}
END_TEST

START_TEST(test_runner_run_silence_broken)
{
	static const char *const faults[] = { "no-reply-answered", NULL };
	struct scenario	 sc;
	struct scenario_result res;
	size_t		 i;
	int		 seen = 0;

	run_refdev("silence.yaml", faults, &sc, &res);
	ck_assert_int_eq(res.verdict, VERDICT_WARN);	/* a should-level scenario */
	for (i = 0; i < res.nmismatches; i++)
		if (strcmp(res.mismatches[i].field, "silence") == 0)
			seen = 1;
	ck_assert_int_eq(seen, 1);
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_run_close)
{
	assert_pass("close.yaml");
}
END_TEST

START_TEST(test_runner_run_irq)
{
	assert_pass("irq.yaml");
}
END_TEST

START_TEST(test_runner_run_irq_not_signalled)
{
	static const char *const faults[] = { "irq-not-signalled", NULL };
	struct scenario	 sc;
	struct scenario_result res;

	run_refdev("irq.yaml", faults, &sc, &res);
	ck_assert_int_eq(res.verdict, VERDICT_WARN);	/* a should-level scenario */
	ck_assert_uint_eq(res.nmismatches, 1);
	ck_assert_str_eq(res.mismatches[0].field, "irq");
	ck_assert_str_eq(res.mismatches[0].actual, "not signalled");
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_run_serve)
{
	assert_pass("serve.yaml");
}
END_TEST

START_TEST(test_runner_run_serve_dma_on_the_way)
{
	assert_pass("serve-auto.yaml");
}
END_TEST

START_TEST(test_runner_run_serve_outside_window)
{
	static const char *const faults[] = { "dma-outside-window", NULL };
	struct scenario	 sc;
	struct scenario_result res;
	size_t		 i;
	int		 oracle = 0, lint = 0;

	run_refdev("serve-outside.yaml", faults, &sc, &res);
	ck_assert_int_eq(res.verdict, VERDICT_FAIL);
	for (i = 0; i < res.nmismatches; i++)
		if (strcmp(res.mismatches[i].field, "request.address") == 0)
			oracle = 1;
	for (i = 0; i < res.nfindings; i++)
		if (strcmp(res.findings[i].rule->id, "dma.address-mapped") == 0)
			lint = 1;
	ck_assert_int_eq(oracle, 1);
	ck_assert_int_eq(lint, 1);
	/* the request was answered (EFAULT), so the REGION_WRITE completed */
	for (i = 0; i < res.nmismatches; i++)
		ck_assert_str_ne(res.mismatches[i].field, "reply");
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_run_serve_nothing_comes)
{
	struct scenario	 sc;
	struct scenario_result res;

	/* the correct device fails the copy itself and sends no DMA */
	run_refdev("serve-outside.yaml", NULL, &sc, &res);
	ck_assert_int_eq(res.verdict, VERDICT_FAIL);
	ck_assert_uint_eq(res.nmismatches, 1);
	ck_assert_str_eq(res.mismatches[0].field, "serve");
	ck_assert_ptr_nonnull(strstr(res.mismatches[0].actual, "0 came"));
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_run_memfd)
{
	assert_pass("memfd.yaml");
}
END_TEST

START_TEST(test_runner_run_skip)
{
	struct scenario	 sc;
	struct scenario_result res;

	run_refdev("skip.yaml", NULL, &sc, &res);
	ck_assert_int_eq(res.verdict, VERDICT_SKIP);
	ck_assert_ptr_nonnull(strstr(res.reason, "twin_socket"));
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_run_probe)
{
	assert_pass("probe.yaml");
}
END_TEST

START_TEST(test_runner_run_fault_caught)
{
	static const char *const faults[] = { "msg-id-not-echoed", NULL };
	struct scenario	 sc;
	struct scenario_result res;
	int64_t		 t0 = transport_now_ms();

	run_refdev("fail.yaml", faults, &sc, &res);
	ck_assert_int_eq(res.verdict, VERDICT_FAIL);
	ck_assert_uint_gt(res.nfindings, 0);
	ck_assert_int_lt(transport_now_ms() - t0, 15000);
	done(&sc, &res);
}
END_TEST

/* ---- reconnect --------------------------------------------------------- */

static void
assert_pass_path(const char *file)
{
	struct scenario	 sc;
	struct scenario_result res;
	char		 buf[1400];

	run_refdev_as(file, "exec-path", NULL, &sc, &res);
	ck_assert_msg(res.verdict == VERDICT_PASS, "%s: %s", file,
	    why(&res, buf, sizeof(buf)));
	ck_assert_uint_eq(res.nmismatches, 0);
	ck_assert_int_eq(res.crashed, 0);
	done(&sc, &res);
}

/* VERSION requests the harness sent: one per connection here. */
static size_t
versions_sent(const struct scenario_result *res)
{
	size_t	i, n = 0;

	for (i = 0; i < res->ntranscript; i++)
		if (!res->transcript[i].received &&
		    res->transcript[i].len >= 16 &&
		    res->transcript[i].bytes[2] == VFIO_USER_VERSION &&
		    res->transcript[i].bytes[3] == 0)
			n++;
	return (n);
}

START_TEST(test_runner_reconnect_keeps_state)
{
	struct scenario	 sc;
	struct scenario_result res;
	char		 buf[1400];

	run_refdev_as("reconnect-state.yaml", "exec-path", NULL, &sc, &res);
	ck_assert_msg(res.verdict == VERDICT_PASS, "%s",
	    why(&res, buf, sizeof(buf)));
	ck_assert_uint_eq(versions_sent(&res), 2);
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_reconnect_state_lost)
{
	static const char *const faults[] = { "disconnect-resets-device",
	    NULL };
	struct scenario	 sc;
	struct scenario_result res;

	run_refdev_as("reconnect-state.yaml", "exec-path", faults, &sc, &res);
	ck_assert_int_eq(res.verdict, VERDICT_WARN);	/* a should-level scenario */
	ck_assert_uint_eq(res.nmismatches, 1);
	ck_assert_str_eq(res.mismatches[0].field, "reply.data");
	ck_assert_str_eq(res.mismatches[0].expected, "0d f0 ad 0b");
	ck_assert_str_eq(res.mismatches[0].actual, "00 00 00 00");
	ck_assert_uint_eq(res.mismatches[0].line,
	    line_of("reconnect-state.yaml", "same_as: scratch"));
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_reconnect_irq_released)
{
	assert_pass_path("reconnect-irq.yaml");
}
END_TEST

START_TEST(test_runner_reconnect_irq_kept)
{
	static const char *const faults[] = { "disconnect-keeps-irq-fds",
	    NULL };
	struct scenario	 sc;
	struct scenario_result res;

	run_refdev_as("reconnect-irq.yaml", "exec-path", faults, &sc, &res);
	ck_assert_int_eq(res.verdict, VERDICT_WARN);	/* a should-level scenario */
	ck_assert_uint_eq(res.nmismatches, 1);
	ck_assert_str_eq(res.mismatches[0].field, "irq");
	ck_assert_ptr_nonnull(strstr(res.mismatches[0].expected,
	    "'vec0' not signalled for 200 ms"));
	ck_assert_ptr_nonnull(strstr(res.mismatches[0].actual,
	    "signalled after"));
	ck_assert_uint_eq(res.mismatches[0].line,
	    line_of("reconnect-irq.yaml", "fires: false"));
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_reconnect_dma_released)
{
	assert_pass_path("reconnect-dma.yaml");
}
END_TEST

START_TEST(test_runner_reconnect_dma_kept)
{
	static const char *const faults[] = { "disconnect-keeps-mappings",
	    NULL };
	struct scenario	 sc;
	struct scenario_result res;

	run_refdev_as("reconnect-dma.yaml", "exec-path", faults, &sc, &res);
	ck_assert_int_eq(res.verdict, VERDICT_WARN);	/* a should-level scenario */
	ck_assert_uint_eq(res.nmismatches, 1);
	ck_assert_ptr_nonnull(strstr(res.mismatches[0].actual, "EEXIST"));
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_reconnect_exec_skipped)
{
	struct scenario	 sc;
	struct scenario_result res;

	run_refdev_as("reconnect-state.yaml", "exec", NULL, &sc, &res);
	ck_assert_int_eq(res.verdict, VERDICT_SKIP);
	ck_assert_ptr_nonnull(strstr(res.reason, "exec-path"));
	/* decided before anything ran: no server, no message */
	ck_assert_uint_eq(res.ntranscript, 0);
	ck_assert_uint_eq(res.nmismatches, 0);
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_reconnect_server_gone)
{
	static const char *const once[] = { "--once", NULL };
	struct scenario	 sc;
	struct scenario_result res;
	int64_t		 t0 = transport_now_ms();

	/*
	 * --once: the server exits (status 0) after its first client.  Either
	 * the reconnect sees it gone, or the new connection landed in the
	 * listen backlog just before the exit and the peer closes it.
	 */
	run_refdev_as("reconnect-state.yaml", "exec-path", once, &sc, &res);
	ck_assert_int_eq(res.verdict, VERDICT_WARN);	/* a should-level scenario */
	ck_assert_uint_ge(res.nmismatches, 1);
	if (strcmp(res.mismatches[0].field, "reconnect") == 0) {
		ck_assert_uint_eq(res.nmismatches, 1);
		ck_assert_ptr_nonnull(strstr(res.mismatches[0].actual,
		    "exited with status 0"));
		ck_assert_uint_eq(res.mismatches[0].line,
		    line_of("reconnect-state.yaml", "reconnect:"));
	} else {
		ck_assert_str_eq(res.mismatches[0].field, "reply");
		ck_assert_ptr_nonnull(strstr(res.mismatches[0].actual,
		    "closed the connection"));
	}
	ck_assert_int_eq(res.crashed, 0);
	/* the child's end is seen at once, not at the 3000 ms deadline */
	ck_assert_int_lt(transport_now_ms() - t0, 2500);
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_reconnect_socket)
{
	struct scenario	 sc;
	struct scenario_result res;
	struct target	 t;
	struct diag	 d;
	struct stat	 stt;
	struct timespec	 ts = { 0, 10 * 1000 * 1000 };
	char		 bin[1024], dir[] = "/tmp/vfu-rc-XXXXXX", path[128];
	char		 spec[160], arg[160], buf[1400];
	pid_t		 pid;
	int		 i, ws;

	refdev_bin(bin, sizeof(bin));
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sock", dir);
	snprintf(arg, sizeof(arg), "--socket-path=%s", path);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		execl(bin, bin, arg, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 500 && stat(path, &stt) == -1; i++)
		nanosleep(&ts, NULL);
	snprintf(spec, sizeof(spec), "socket:%s", path);
	memset(&t, 0, sizeof(t));
	ck_assert_int_eq(target_parse(&t, spec, NULL, &d), 0);
	(void)run_target("reconnect-state.yaml", &t, 20000, &sc, &res);
	(void)kill(pid, SIGTERM);
	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	(void)unlink(path);
	(void)rmdir(dir);
	ck_assert_msg(res.verdict == VERDICT_PASS, "%s",
	    why(&res, buf, sizeof(buf)));
	ck_assert_uint_eq(versions_sent(&res), 2);
	/* the server lived through both clients and ended on SIGTERM */
	ck_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_irq_quiet)
{
	struct scenario	 sc;
	struct scenario_result res;

	run_refdev("irq-quiet.yaml", NULL, &sc, &res);
	ck_assert_int_eq(res.verdict, VERDICT_WARN);	/* a should-level scenario */
	/* quiet before the raise: passes; after it: the only mismatch */
	ck_assert_uint_eq(res.nmismatches, 1);
	ck_assert_str_eq(res.mismatches[0].field, "irq");
	ck_assert_uint_eq(res.mismatches[0].line,
	    line_of("irq-quiet.yaml", "# raised"));
	ck_assert_ptr_nonnull(strstr(res.mismatches[0].actual,
	    "signalled after"));
	ck_assert_ptr_nonnull(strstr(res.mismatches[0].actual, "count 1"));
	done(&sc, &res);
}
END_TEST

/* ---- hostile peers ----------------------------------------------------- */

START_TEST(test_runner_run_silent_peer)
{
	struct scenario	 sc;
	struct scenario_result res;
	int64_t		 t0 = transport_now_ms();

	/* keeps its end of the socket open and never reads or writes */
	run_sh("timeout.yaml", "exec sleep 30", 20000, &sc, &res);
	ck_assert_int_eq(res.verdict, VERDICT_FAIL);
	ck_assert_uint_ge(res.nmismatches, 1);
	ck_assert_str_eq(res.mismatches[0].field, "reply");
	ck_assert_str_eq(res.mismatches[0].actual, "nothing");
	ck_assert_uint_eq(res.mismatches[0].line, line_of("negotiate.yaml",
	    "expect:"));
	/* the VERSION request is the evidence in the transcript */
	ck_assert_uint_ge(res.ntranscript, 1);
	ck_assert_int_eq(res.transcript[0].received, 0);
	ck_assert_int_lt(transport_now_ms() - t0, 10000);
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_run_global_deadline)
{
	struct scenario	 sc;
	struct scenario_result res;
	int64_t		 t0 = transport_now_ms();

	run_sh("timeout.yaml", "exec sleep 30", 100, &sc, &res);
	ck_assert_int_ne(res.verdict, VERDICT_PASS);
	ck_assert_int_lt(transport_now_ms() - t0, 2500);
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_run_crash)
{
	struct scenario	 sc;
	struct scenario_result res;

	run_sh("timeout.yaml", "kill -SEGV $$", 20000, &sc, &res);
	ck_assert_int_eq(res.verdict, VERDICT_FAIL);
	ck_assert_int_eq(res.crashed, 1);
	ck_assert_ptr_nonnull(strstr(res.crash, "signal 11"));
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_run_garbage_peer)
{
	struct scenario	 sc;
	struct scenario_result res;
	size_t		 i;
	int		 seen = 0;

	/* a header claiming msg_size 2, then silence with the socket open */
	run_sh("timeout.yaml", "fd=${0#--fd=}; printf '\\001\\000\\001\\000"
	    "\\002\\000\\000\\000\\000\\000\\000\\000\\000\\000\\000"
	    "\\000' >&\"$fd\"; exec sleep 30", 20000, &sc, &res);
	ck_assert_int_eq(res.verdict, VERDICT_FAIL);
	for (i = 0; i < res.nmismatches; i++)
		if (strcmp(res.mismatches[i].field, "msg_size") == 0)
			seen = 1;
	ck_assert_int_eq(seen, 1);
	done(&sc, &res);
}
END_TEST

START_TEST(test_runner_run_unreachable)
{
	struct scenario	 sc;
	struct scenario_result res;
	struct target	 t;
	struct diag	 d;
	char		 spec[128];

	snprintf(spec, sizeof(spec), "socket:/tmp/vfu-no-such-%ld.sock",
	    (long)getpid());
	memset(&t, 0, sizeof(t));
	ck_assert_int_eq(target_parse(&t, spec, NULL, &d), 0);
	(void)run_target("timeout.yaml", &t, 500, &sc, &res);
	ck_assert_int_eq(res.verdict, VERDICT_ERROR);
	ck_assert_int_eq(res.unreachable, 1);
	ck_assert_ptr_nonnull(strstr(res.reason, "cannot reach"));
	done(&sc, &res);
}
END_TEST

static Suite *
runner_suite(void)
{
	Suite	*s = suite_create("runner");
	TCase	*tc;

	tc = tcase_create("refdev");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_runner_run_pass);
	tcase_add_test(tc, test_runner_run_mismatch_located);
	tcase_add_test(tc, test_runner_run_capture_lost_keeps_fail);
	tcase_add_test(tc, test_runner_run_one_of_none);
	tcase_add_test(tc, test_runner_run_silence);
	tcase_add_test(tc, test_runner_run_silence_broken);
	tcase_add_test(tc, test_runner_run_close);
	tcase_add_test(tc, test_runner_run_irq);
	tcase_add_test(tc, test_runner_run_irq_not_signalled);
	tcase_add_test(tc, test_runner_run_serve);
	tcase_add_test(tc, test_runner_run_serve_dma_on_the_way);
	tcase_add_test(tc, test_runner_run_serve_outside_window);
	tcase_add_test(tc, test_runner_run_serve_nothing_comes);
	tcase_add_test(tc, test_runner_run_memfd);
	tcase_add_test(tc, test_runner_run_skip);
	tcase_add_test(tc, test_runner_run_probe);
	tcase_add_test(tc, test_runner_run_fault_caught);
	suite_add_tcase(s, tc);

	tc = tcase_create("reconnect");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_runner_reconnect_keeps_state);
	tcase_add_test(tc, test_runner_reconnect_state_lost);
	tcase_add_test(tc, test_runner_reconnect_irq_released);
	tcase_add_test(tc, test_runner_reconnect_irq_kept);
	tcase_add_test(tc, test_runner_reconnect_dma_released);
	tcase_add_test(tc, test_runner_reconnect_dma_kept);
	tcase_add_test(tc, test_runner_reconnect_exec_skipped);
	tcase_add_test(tc, test_runner_reconnect_server_gone);
	tcase_add_test(tc, test_runner_reconnect_socket);
	tcase_add_test(tc, test_runner_irq_quiet);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_runner_run_silent_peer);
	tcase_add_test(tc, test_runner_run_global_deadline);
	tcase_add_test(tc, test_runner_run_crash);
	tcase_add_test(tc, test_runner_run_garbage_peer);
	tcase_add_test(tc, test_runner_run_unreachable);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(runner_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
