/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * runner: executes one scenario (scenario.h) against the implementation
 * under test over a fresh connection, in the client role: builds each send
 * with the codec (computing what the step leaves out), passes the fds it
 * asks for, waits for each expectation under a deadline, serves
 * server-to-client DMA from harness-owned guest memory, lints every message
 * received (lint.h), matches replies against the step (match.h), and records
 * the outcome in a struct scenario_result.  Never prints, never exits.
 */
#ifndef VFU_RUNNER_H
#define VFU_RUNNER_H

#include <stddef.h>
#include <stdint.h>

struct scenario;
struct scenario_result;
struct target;

struct runner_opts {
	const struct target *target;	/* copied per scenario: exec targets
					 * spawn one process per scenario */
	int		 timeout_ms;	/* per-step deadline when the step and
					 * scenario give none; 0: scenario's */
	int		 strict;	/* should-rule breaches fail */
	int64_t		 deadline;	/* global limit (transport_deadline
					 * clock), -1: none */
	const char * const *profiles;	/* device profiles the target has:
					 * a scenario with a profile: not
					 * among them is SKIPped */
	size_t		 nprofiles;
};

/*
 * Runs sc.  Always fills *res (result_init'ed here) with a verdict:
 * PASS/WARN/FAIL, SKIP when the IUT lacks what sc requires, ERROR when the
 * IUT cannot be reached or the harness fails.  Returns 0, or -1 when the
 * harness itself failed (res->verdict is then ERROR).
 */
int	runner_run(const struct scenario *sc, const struct runner_opts *o,
	    struct scenario_result *res);

#endif /* VFU_RUNNER_H */
