/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * report: renderers of results.  They read struct scenario_result (result.h)
 * and write to the FILE they are given; they never change a verdict.  The
 * text report is the console: one line per scenario, and for each failure
 * the step's file:line, the rule ID, the spec sentence, expected vs actual
 * per field, and a hex dump of the message.
 */
#ifndef VFU_REPORT_H
#define VFU_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct scenario_result;

struct report_summary {
	size_t		total;
	size_t		pass, warn, fail, skip, error;
	size_t		crashed, unreachable;
	int64_t		elapsed_ms;
};

void	report_summary_add(struct report_summary *s,
	    const struct scenario_result *r);

/* One scenario: a verdict line, then details for WARN/FAIL/ERROR/SKIP
 * (verbose > 0: the transcript too). */
void	report_text_scenario(FILE *out, const struct scenario_result *r,
	    int verbose);
/* "12 scenarios: 10 passed, 1 failed, 0 warned, 1 skipped, 0 errors in 0.8 s" */
void	report_text_summary(FILE *out, const struct report_summary *s);

/* A hex dump: offset, 16 bytes in hex, printable bytes; every line
 * prefixed with indent.  At most max bytes (the rest counted). */
void	report_hexdump(FILE *out, const char *indent, const uint8_t *p,
	    size_t len, size_t max);

#endif /* VFU_REPORT_H */
