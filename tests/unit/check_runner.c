/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_runner: whole scenarios (tests/data/runner/) run end to end against
 * the reference server servers/vfu-refdev, spawned per scenario with --fd:
 * a clean run, each expect kind, DMA served from guest memory, SKIP by
 * probing, a fault the scenario catches; and against hostile stand-ins: a
 * peer that never answers (FAIL within the deadline), one that crashes
 * (crashed), a socket nobody listens on (ERROR, unreachable).
 *
 * The paths come from the environment make check sets (top_srcdir,
 * top_builddir); run by hand from the build directory they default to ".".
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "lint.h"
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
	memset(&o, 0, sizeof(o));
	o.target = t;
	o.timeout_ms = 2000;
	o.strict = 0;
	o.deadline = transport_deadline((int)deadline_ms);
	return (runner_run(sc, &o, res));
}

/* Runs file against vfu-refdev with the given faults (NULL-terminated). */
static void
run_refdev(const char *file, const char *const *faults, struct scenario *sc,
    struct scenario_result *res)
{
	struct target	 t;
	struct diag	 d;
	char		 bin[1024], fault[8][96];
	char		*argv[10];
	size_t		 i, n = 0;

	snprintf(bin, sizeof(bin), "%s/servers/vfu-refdev",
	    env_dir("top_builddir"));
	ck_assert_msg(access(bin, X_OK) == 0, "%s is not built", bin);
	argv[n++] = bin;
	for (i = 0; faults != NULL && faults[i] != NULL && i < 8; i++) {
		snprintf(fault[i], sizeof(fault[i]), "--fault=%s", faults[i]);
		argv[n++] = fault[i];
	}
	argv[n] = NULL;
	memset(&t, 0, sizeof(t));
	ck_assert_int_eq(target_parse(&t, "exec", argv, &d), 0);
	ck_assert_int_eq(run_target(file, &t, 20000, sc, res), 0);
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
	ck_assert_int_eq(res.verdict, VERDICT_FAIL);
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
	ck_assert_int_eq(res.verdict, VERDICT_FAIL);
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
	ck_assert_str_eq(res.mismatches[0].actual, "nothing came");
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
