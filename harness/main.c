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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "describe.h"
#include "diag.h"
#include "lint.h"
#include "target.h"
#include "transport.h"

#define EXIT_CONFORMANT		0
#define EXIT_NONCONFORMANT	1
#define EXIT_USAGE		2
#define EXIT_UNREACHABLE	3

#define DEFAULT_TIMEOUT_MS	5000

static const char usage_text[] =
"usage: vfu-conform [OPTIONS] COMMAND --target TARGET [-- SERVER ARGS...]\n"
"\n"
"Conformance test harness for the vfio-user protocol.\n"
"\n"
"Commands:\n"
"  describe          connect, negotiate VERSION and print everything the\n"
"                    server tells about its device: capabilities, device\n"
"                    info, every region (flags, size, capabilities, sparse\n"
"                    areas, IO FD sub-regions), every IRQ index and the\n"
"                    migration features; report protocol breaches found on\n"
"                    the way\n"
"\n"
"Targets:\n"
"  socket:PATH       a server already listening on the UNIX socket PATH\n"
"  exec              spawn SERVER (after --) with --fd=N, per the spec's\n"
"                    Backend Program Conventions\n"
"  exec-path         spawn SERVER with --socket-path=PATH\n"
"\n"
"Options:\n"
"  -t, --target=TARGET    the implementation under test (required)\n"
"  -T, --timeout=MS       deadline for each exchange (default 5000)\n"
"  -h, --help             show this help and exit\n"
"  -V, --version          show the version and exit\n"
"\n"
"Exit status: 0 conformant, 1 nonconformance found, 2 usage error,\n"
"3 server unreachable or crashed.\n";

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
		fprintf(stderr, "vfu-conform: %s: %s\n", ts,
		    diag_str(&d, ds, sizeof(ds)));
		failed = 1;
	}
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

static int
parse_ms(const char *s, int *out)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v <= 0 || v > INT_MAX)
		return (-1);
	*out = (int)v;
	return (0);
}

struct opts {
	const char	*target;
	int		 timeout_ms;
};

/* One getopt_long pass; "+" stops at the first non-option so the command
 * and everything after "--" are left alone.  Returns -1 to go on, or an
 * exit status. */
static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "target",	required_argument,	NULL, 't' },
		{ "timeout",	required_argument,	NULL, 'T' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	int	ch;

	while ((ch = getopt_long(argc, argv, "+t:T:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 't':
			o->target = optarg;
			break;
		case 'T':
			if (parse_ms(optarg, &o->timeout_ms) == -1) {
				fprintf(stderr, "vfu-conform: --timeout wants "
				    "milliseconds > 0, not '%s'\n", optarg);
				return (EXIT_USAGE);
			}
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
}

int
main(int argc, char **argv)
{
	struct opts	 o = { NULL, DEFAULT_TIMEOUT_MS };
	struct target	 t;
	struct diag	 d;
	const char	*cmd = NULL;
	char		 ds[700];
	char *const	*server_argv = NULL;
	int		 rc;

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
	if (cmd == NULL) {
		fprintf(stderr, "vfu-conform: no command given\n%s",
		    usage_text);
		return (EXIT_USAGE);
	}
	if (strcmp(cmd, "describe") != 0) {
		fprintf(stderr, "vfu-conform: unknown command '%s'\n", cmd);
		return (EXIT_USAGE);
	}
	if (o.target == NULL) {
		fprintf(stderr, "vfu-conform: %s needs --target\n", cmd);
		return (EXIT_USAGE);
	}
	if (target_parse(&t, o.target, server_argv, &d) == -1) {
		fprintf(stderr, "vfu-conform: %s\n", diag_str(&d, ds,
		    sizeof(ds)));
		return (EXIT_USAGE);
	}
	return (cmd_describe(&t, o.timeout_ms));
}
