/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vfu-conform: the command line.  Parses arguments with getopt_long and
 * wires them to the harness library; holds no logic worth unit-testing.
 * Exit status: 0 conformant, 1 nonconformance found, 2 usage or scenario
 * error, 3 implementation under test unreachable or crashed.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "describe.h"
#include "diag.h"
#include "lint.h"
#include "report.h"
#include "result.h"
#include "runner.h"
#include "suite.h"
#include "target.h"
#include "transport.h"

#define EXIT_CONFORMANT		0
#define EXIT_NONCONFORMANT	1
#define EXIT_USAGE		2
#define EXIT_UNREACHABLE	3

#define DEFAULT_TIMEOUT_MS	5000
#define MAX_SELECT		64
#define MAX_JOBS		64

static const char usage_text[] =
"usage: vfu-conform [run] [OPTIONS] --target TARGET [-- SERVER ARGS...]\n"
"       vfu-conform describe --target TARGET [-- SERVER ARGS...]\n"
"       vfu-conform rules [--suite PATH]\n"
"\n"
"Conformance test harness for the vfio-user protocol.\n"
"\n"
"Commands:\n"
"  run (default)     replay the scenario suite against the server and check\n"
"                    every message against the spec\n"
"  describe          connect, negotiate and print everything the server tells\n"
"                    about its device (capabilities, device info, regions\n"
"                    with caps and sparse areas, IO FDs, IRQs, features);\n"
"                    protocol breaches seen on the way are reported\n"
"  rules             list the requirement catalogue: message rules the\n"
"                    linter applies to every message, and behavioural\n"
"                    requirements scenarios judge; with --suite, which\n"
"                    scenarios judge each\n"
"\n"
"Targets:\n"
"  socket:PATH       a server already listening on the UNIX socket PATH\n"
"  exec              spawn SERVER (after --) with --fd=N per scenario, per\n"
"                    the spec's Backend Program Conventions\n"
"  exec-path         spawn SERVER with --socket-path=PATH per scenario\n"
"\n"
"Options:\n"
"  -t, --target=TARGET      the implementation under test (required)\n"
"  -S, --suite=PATH         scenario file or directory (default: the\n"
"                           installed suite, " SCENARIODIR ")\n"
"  -s, --select=GLOB        run scenarios whose ID or path matches GLOB\n"
"                           (repeatable)\n"
"      --tag=TAG            run scenarios with TAG (repeatable)\n"
"      --profile=NAME       the target is a device of profile NAME: run the\n"
"                           scenarios that assume it (others with a profile\n"
"                           SKIP); vfu-refdev is 'refdev' (repeatable)\n"
"  -l, --list               list the selected scenarios, run nothing\n"
"  -j, --jobs=N             run N scenarios at once (exec targets)\n"
"  -T, --timeout=MS         default deadline per step (default 5000)\n"
"  -L, --time-limit=S       stop starting scenarios after S seconds\n"
"      --strict             should-level breaches fail too\n"
"  -v, --verbose            more detail (twice: the whole transcript)\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"Exit status: 0 conformant, 1 nonconformance found, 2 usage or scenario\n"
"error, 3 server unreachable or crashed.\n";

struct opts {
	const char	*target;
	const char	*suite;
	int		 suite_given;
	const char	*select[MAX_SELECT];
	size_t		 nselect;
	const char	*tags[MAX_SELECT];
	size_t		 ntags;
	const char	*profiles[MAX_SELECT];
	size_t		 nprofiles;
	int		 list;
	int		 jobs;
	int		 timeout_ms;
	int		 time_limit_s;
	int		 strict;
	int		 verbose;
};

static void
print_finding(void *arg, const struct rule *r, const char *seen)
{
	(void)arg;
	printf("%s [%s] %s\n\tspec (%s, %s): \"%s\"\n",
	    r->level == RULE_MUST ? "FAIL" : "WARN", r->id, seen, r->section,
	    rule_level_str(r->level), r->sentence);
}

static int
cmd_describe(struct target *t, int timeout_ms)
{
	struct vfu_conn	conn;
	struct client	c;
	struct diag	d;
	char		ds[700], ts[256], why[256];
	int		rc = EXIT_CONFORMANT, failed = 0;

	diag_clear(&d);
	if (target_open(t, &conn, transport_deadline(timeout_ms), &d) == -1) {
		fprintf(stderr, "vfu-conform: %s: %s\n",
		    target_str(t, ts, sizeof(ts)), diag_str(&d, ds, sizeof(ds)));
		(void)target_close(t, 1000, why, sizeof(why));
		return (EXIT_UNREACHABLE);
	}
	client_init(&c, &conn, timeout_ms);
	c.finding = print_finding;
	printf("server: %s\n", target_str(t, ts, sizeof(ts)));
	if (client_negotiate(&c, &d) == -1 || describe_run(&c, stdout,
	    &d) == -1) {
		fflush(stdout);
		fprintf(stderr, "vfu-conform: %s: %s\n", ts,
		    diag_str(&d, ds, sizeof(ds)));
		failed = 1;
	}
	if (failed)		/* perhaps it died: tell a crash from our SIGTERM */
		(void)target_settle(t, 500);
	client_close(&c);
	if (target_close(t, 2000, why, sizeof(why)) != 0) {
		fprintf(stderr, "vfu-conform: %s %s\n", ts, why);
		return (EXIT_UNREACHABLE);
	}
	if (c.nfindings > 0) {
		printf("%u protocol breach%s found\n", c.nfindings,
		    c.nfindings == 1 ? "" : "es");
		rc = EXIT_NONCONFORMANT;
	}
	if (failed && rc == EXIT_CONFORMANT)
		rc = EXIT_UNREACHABLE;
	return (rc);
}

/* The catalogue; with a suite, which scenarios name each requirement. */
static int
cmd_rules(const struct opts *o, int have_suite)
{
	const struct rule *r;
	struct suite	 s;
	struct diag	 d;
	char		 ds[700];
	size_t		 n, i, j, k, cnt, uncovered = 0;

	memset(&s, 0, sizeof(s));
	if (have_suite && suite_load(&s, o->suite, &d) == -1) {
		fprintf(stderr, "vfu-conform: %s\n", diag_str(&d, ds,
		    sizeof(ds)));
		return (EXIT_USAGE);
	}
	r = lint_rules(&n);
	for (i = 0; i < n; i++) {
		printf("%-34s %-6s %-9s %s\n\t\"%s\"\n", r[i].id,
		    rule_level_str(r[i].level), r[i].behaviour ? "behaviour" :
		    "message", r[i].section, r[i].sentence);
		if (!have_suite)
			continue;
		for (cnt = 0, j = 0; j < s.n; j++)
			for (k = 0; k < s.sc[j].nrequirements; k++)
				if (strcmp(s.sc[j].requirements[k],
				    r[i].id) == 0) {
					printf("\tscenario %s\n", s.sc[j].id);
					cnt++;
				}
		if (cnt == 0 && r[i].behaviour) {
			printf("\tno scenario judges this requirement\n");
			uncovered++;
		}
	}
	printf("%zu rules\n", n);
	if (have_suite)
		printf("%zu behavioural requirement%s without a scenario in "
		    "%s\n", uncovered, uncovered == 1 ? "" : "s", o->suite);
	suite_free(&s);
	return (EXIT_CONFORMANT);
}

/* ---- run: a pool of -j workers, results printed in suite order -------- */

struct pool {
	pthread_mutex_t		 lock;
	pthread_cond_t		 done_cv;
	const struct scenario	**todo;
	struct scenario_result	*res;
	int			*done;
	size_t			 n, next;
	struct runner_opts	 ro;
	int64_t			 stop_at;	/* time limit, -1: none */
};

static void *
worker(void *arg)
{
	struct pool	*p = arg;
	size_t		 i;

	for (;;) {
		pthread_mutex_lock(&p->lock);
		i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->n)
			return (NULL);
		if (p->stop_at >= 0 && transport_now_ms() >= p->stop_at) {
			result_init(&p->res[i], p->todo[i]);
			p->res[i].verdict = VERDICT_SKIP;
			snprintf(p->res[i].reason, sizeof(p->res[i].reason),
			    "not started: the --time-limit was reached");
		} else {
			(void)runner_run(p->todo[i], &p->ro, &p->res[i]);
			/* Cut short by the global limit: not the IUT's fault. */
			if (p->stop_at >= 0 && transport_now_ms() >= p->stop_at &&
			    p->res[i].verdict == VERDICT_FAIL &&
			    !p->res[i].crashed) {
				p->res[i].verdict = VERDICT_ERROR;
				snprintf(p->res[i].reason,
				    sizeof(p->res[i].reason), "the "
				    "--time-limit ran out during this scenario");
			}
		}
		pthread_mutex_lock(&p->lock);
		p->done[i] = 1;
		pthread_cond_broadcast(&p->done_cv);
		pthread_mutex_unlock(&p->lock);
	}
}

static int
cmd_run(const struct opts *o, struct target *t)
{
	struct suite		 s;
	struct suite_filter	 f;
	struct pool		 p;
	struct report_summary	 sum;
	struct diag		 d;
	pthread_t		 th[MAX_JOBS];
	char			 ds[700];
	size_t			 i, nth = 0;
	int64_t			 t0 = transport_now_ms();
	int			 rc;

	if (suite_load(&s, o->suite, &d) == -1) {
		fprintf(stderr, "vfu-conform: %s\n", diag_str(&d, ds,
		    sizeof(ds)));
		return (EXIT_USAGE);
	}
	memset(&f, 0, sizeof(f));
	f.globs = o->select;
	f.nglobs = o->nselect;
	f.tags = o->tags;
	f.ntags = o->ntags;
	f.role = ROLE_CLIENT;
	memset(&p, 0, sizeof(p));
	p.todo = calloc(s.n + 1, sizeof(*p.todo));
	p.res = calloc(s.n + 1, sizeof(*p.res));
	p.done = calloc(s.n + 1, sizeof(*p.done));
	if (p.todo == NULL || p.res == NULL || p.done == NULL) {
		fprintf(stderr, "vfu-conform: out of memory\n");
		rc = EXIT_USAGE;
		goto out;
	}
	for (i = 0; i < s.n; i++)
		if (suite_selected(&s.sc[i], &f))
			p.todo[p.n++] = &s.sc[i];
	if (o->list) {
		for (i = 0; i < p.n; i++)
			printf("%-44s %-6s %s\n", p.todo[i]->id,
			    scenario_level_name(p.todo[i]->level),
			    p.todo[i]->title);
		printf("%zu scenario%s selected\n", p.n, p.n == 1 ? "" : "s");
		rc = EXIT_CONFORMANT;
		goto out;
	}
	if (p.n == 0) {
		fprintf(stderr, "vfu-conform: no scenario selected in %s\n",
		    o->suite);
		rc = EXIT_USAGE;
		goto out;
	}
	p.ro.target = t;
	p.ro.timeout_ms = o->timeout_ms;
	p.ro.strict = o->strict;
	p.ro.profiles = o->profiles;
	p.ro.nprofiles = o->nprofiles;
	p.stop_at = o->time_limit_s > 0 ?
	    transport_deadline(o->time_limit_s * 1000) : -1;
	p.ro.deadline = p.stop_at;
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.done_cv, NULL);
	/* A socket target is one server: scenarios take turns on it. */
	nth = t->kind == TARGET_SOCKET ? 1 : (size_t)o->jobs;
	if (nth > p.n)
		nth = p.n;
	for (i = 0; i < nth; i++)
		if (pthread_create(&th[i], NULL, worker, &p) != 0)
			break;
	nth = i;
	if (nth == 0) {
		fprintf(stderr, "vfu-conform: cannot start a worker thread\n");
		rc = EXIT_USAGE;
		goto out;
	}
	memset(&sum, 0, sizeof(sum));
	for (i = 0; i < p.n; i++) {
		pthread_mutex_lock(&p.lock);
		while (!p.done[i])
			pthread_cond_wait(&p.done_cv, &p.lock);
		pthread_mutex_unlock(&p.lock);
		report_text_scenario(stdout, &p.res[i], o->verbose);
		fflush(stdout);
		report_summary_add(&sum, &p.res[i]);
	}
	for (i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	sum.elapsed_ms = transport_now_ms() - t0;
	report_text_summary(stdout, &sum);
	if (sum.crashed > 0 || sum.unreachable > 0)
		rc = EXIT_UNREACHABLE;
	else if (sum.fail > 0)
		rc = EXIT_NONCONFORMANT;
	else if (sum.error > 0)
		rc = EXIT_USAGE;
	else
		rc = EXIT_CONFORMANT;
	for (i = 0; i < p.n; i++)
		result_free(&p.res[i]);
	pthread_cond_destroy(&p.done_cv);
	pthread_mutex_destroy(&p.lock);
out:
	free(p.todo);
	free(p.res);
	free(p.done);
	suite_free(&s);
	return (rc);
}

/* ---- arguments -------------------------------------------------------- */

static int
parse_int(const char *s, int min, int max, int *out)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return (-1);
	*out = (int)v;
	return (0);
}

enum { OPT_TAG = 256, OPT_STRICT, OPT_PROFILE };

/* One getopt_long pass; "+" stops at the first non-option so the command
 * and everything after "--" are left alone.  Returns -1 to go on, or an
 * exit status. */
static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "target",	required_argument,	NULL, 't' },
		{ "suite",	required_argument,	NULL, 'S' },
		{ "select",	required_argument,	NULL, 's' },
		{ "tag",	required_argument,	NULL, OPT_TAG },
		{ "profile",	required_argument,	NULL, OPT_PROFILE },
		{ "list",	no_argument,		NULL, 'l' },
		{ "jobs",	required_argument,	NULL, 'j' },
		{ "timeout",	required_argument,	NULL, 'T' },
		{ "time-limit",	required_argument,	NULL, 'L' },
		{ "strict",	no_argument,		NULL, OPT_STRICT },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	int	ch;

	while ((ch = getopt_long(argc, argv, "+t:S:s:lj:T:L:vhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 't':
			o->target = optarg;
			break;
		case 'S':
			o->suite = optarg;
			o->suite_given = 1;
			break;
		case 's':
			if (o->nselect == MAX_SELECT)
				goto many;
			o->select[o->nselect++] = optarg;
			break;
		case OPT_TAG:
			if (o->ntags == MAX_SELECT)
				goto many;
			o->tags[o->ntags++] = optarg;
			break;
		case OPT_PROFILE:
			if (o->nprofiles == MAX_SELECT)
				goto many;
			o->profiles[o->nprofiles++] = optarg;
			break;
		case 'l':
			o->list = 1;
			break;
		case 'j':
			if (parse_int(optarg, 1, MAX_JOBS, &o->jobs) == -1) {
				fprintf(stderr, "vfu-conform: --jobs wants 1 to "
				    "%d, not '%s'\n", MAX_JOBS, optarg);
				return (EXIT_USAGE);
			}
			break;
		case 'T':
			if (parse_int(optarg, 1, INT_MAX, &o->timeout_ms) ==
			    -1) {
				fprintf(stderr, "vfu-conform: --timeout wants "
				    "milliseconds > 0, not '%s'\n", optarg);
				return (EXIT_USAGE);
			}
			break;
		case 'L':
			if (parse_int(optarg, 1, INT_MAX / 1000,
			    &o->time_limit_s) == -1) {
				fprintf(stderr, "vfu-conform: --time-limit wants "
				    "seconds > 0, not '%s'\n", optarg);
				return (EXIT_USAGE);
			}
			break;
		case OPT_STRICT:
			o->strict = 1;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return (EXIT_CONFORMANT);
		case 'V':
			printf("%s\n", PACKAGE_STRING);
			return (EXIT_CONFORMANT);
		default:
			fputs(usage_text, stderr);
			return (EXIT_USAGE);
		}
	}
	return (-1);
many:
	fprintf(stderr, "vfu-conform: at most %d --select/--tag/--profile "
	    "each\n",
	    MAX_SELECT);
	return (EXIT_USAGE);
}

int
main(int argc, char **argv)
{
	struct opts	 o;
	struct target	 t;
	struct diag	 d;
	const char	*cmd = "run";
	char		 ds[700];
	char *const	*server_argv = NULL;
	int		 rc;

	memset(&o, 0, sizeof(o));
	o.suite = SCENARIODIR;
	o.jobs = 1;
	o.timeout_ms = DEFAULT_TIMEOUT_MS;
	signal(SIGPIPE, SIG_IGN);
	if ((rc = parse_opts(argc, argv, &o)) != -1)
		return (rc);
	if (optind < argc && strcmp(argv[optind - 1], "--") != 0)
		cmd = argv[optind++];
	/* Options may follow the command too. */
	if ((rc = parse_opts(argc, argv, &o)) != -1)
		return (rc);
	if (optind < argc) {
		if (strcmp(argv[optind - 1], "--") != 0) {
			fprintf(stderr, "vfu-conform: unexpected argument "
			    "'%s' (the server command goes after --)\n",
			    argv[optind]);
			return (EXIT_USAGE);
		}
		server_argv = argv + optind;
	}
	if (strcmp(cmd, "rules") == 0)
		return (cmd_rules(&o, o.suite_given));
	if (strcmp(cmd, "describe") != 0 && strcmp(cmd, "run") != 0) {
		fprintf(stderr, "vfu-conform: unknown command '%s'\n%s", cmd,
		    usage_text);
		return (EXIT_USAGE);
	}
	if (o.target == NULL && !(strcmp(cmd, "run") == 0 && o.list)) {
		fprintf(stderr, "vfu-conform: %s needs --target\n", cmd);
		return (EXIT_USAGE);
	}
	if (o.target != NULL && target_parse(&t, o.target, server_argv,
	    &d) == -1) {
		fprintf(stderr, "vfu-conform: %s\n", diag_str(&d, ds,
		    sizeof(ds)));
		return (EXIT_USAGE);
	}
	if (strcmp(cmd, "describe") == 0)
		return (cmd_describe(&t, o.timeout_ms));
	if (o.target == NULL)
		memset(&t, 0, sizeof(t));
	return (cmd_run(&o, &t));
}
