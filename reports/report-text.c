/* SPDX-License-Identifier: BSD-3-Clause */
/* report-text: the console report; see report.h. */
#include "config.h"
#include "report.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "lint.h"
#include "result.h"
#include "scenario.h"

void
report_summary_add(struct report_summary *s, const struct scenario_result *r)
{
	s->total++;
	switch (r->verdict) {
	case VERDICT_PASS:
		s->pass++;
		break;
	case VERDICT_WARN:
		s->warn++;
		break;
	case VERDICT_FAIL:
		s->fail++;
		break;
	case VERDICT_SKIP:
		s->skip++;
		break;
	case VERDICT_ERROR:
		s->error++;
		break;
	}
	s->crashed += r->crashed != 0;
	s->unreachable += r->unreachable != 0;
}

void
report_hexdump(FILE *out, const char *indent, const uint8_t *p, size_t len,
    size_t max)
{
	size_t	i, j, n = len < max ? len : max;

	for (i = 0; i < n; i += 16) {
		fprintf(out, "%s%04zx ", indent, i);
		for (j = i; j < i + 16; j++) {
			if (j < n)
				fprintf(out, " %02x", p[j]);
			else
				fputs("   ", out);
			if (j == i + 7)
				fputc(' ', out);
		}
		fputs("  |", out);
		for (j = i; j < i + 16 && j < n; j++)
			fputc(isprint(p[j]) ? p[j] : '.', out);
		fputs("|\n", out);
	}
	if (len > n)
		fprintf(out, "%s(%zu more bytes)\n", indent, len - n);
}

/* "VFIO_USER_DMA_MAP reply, msg_id 3, 16 bytes, received" */
static void
evidence_header(FILE *out, const struct evidence *e)
{
	struct vfu_hdr	h;
	const char	*name;

	if (e->bytes == NULL || vfu_hdr_decode(e->bytes, e->kept, &h,
	    NULL) == -1) {
		if (e->len > 0)
			fprintf(out, "      message of %zu bytes (%s)\n", e->len,
			    e->received ? "received" : "sent");
		return;
	}
	name = vfu_command_name(h.command);
	fprintf(out, "      %s %s, msg_id %u, %zu bytes, flags 0x%x", name !=
	    NULL ? name : "unknown command", vfu_hdr_is_reply(&h) ? "reply" :
	    "request", h.msg_id, e->len, h.flags);
	if (h.flags & VFIO_USER_F_ERROR)
		fprintf(out, ", error %u", h.error);
	fprintf(out, ", %s:\n", e->received ? "received" : "sent");
}

static void
evidence_dump(FILE *out, const struct evidence *e)
{
	if (e->bytes == NULL)
		return;
	evidence_header(out, e);
	report_hexdump(out, "        ", e->bytes, e->kept, 256);
}

/* file:line of the step, or the scenario's file. */
static void
where(FILE *out, const struct scenario_result *r, const struct step *st,
    unsigned line, unsigned col)
{
	const char *file = st != NULL ? st->pos.file : r->sc->path;

	if (line == 0 && st != NULL) {
		line = st->pos.line;
		col = st->pos.col;
	}
	if (line != 0 && col != 0)
		fprintf(out, "%s:%u:%u: ", file, line, col);
	else if (line != 0)
		fprintf(out, "%s:%u: ", file, line);
	else
		fprintf(out, "%s: ", file);
}

static const char *
step_verb(const struct step *st)
{
	return (st != NULL ? scenario_step_kind_name(st->kind) : "scenario");
}

void
report_text_scenario(FILE *out, const struct scenario_result *r, int verbose)
{
	size_t	i;

	fprintf(out, "%-5s %s", verdict_str(r->verdict), r->sc->id);
	if (r->elapsed_ms > 0)
		fprintf(out, " (%" PRId64 " ms)", r->elapsed_ms);
	fputc('\n', out);
	if (r->verdict == VERDICT_SKIP || r->verdict == VERDICT_ERROR) {
		fputs("    ", out);
		where(out, r, r->error_step, 0, 0);
		fprintf(out, "%s\n", r->reason);
	}
	if (r->crashed)
		fprintf(out, "    the implementation under test %s\n", r->crash);
	else if (r->verdict == VERDICT_FAIL && r->reason[0] != '\0') {
		fputs("    stopped at ", out);
		where(out, r, r->error_step, 0, 0);
		fprintf(out, "%s (after the failure below)\n", r->reason);
	}
	if (r->verdict == VERDICT_PASS && verbose == 0)
		return;
	/* What the scenario's expectations stand for. */
	if (r->nmismatches > 0)
		for (i = 0; i < r->sc->nrequirements; i++) {
			const struct rule *q =
			    lint_rule_find(r->sc->requirements[i]);

			if (q != NULL)
				fprintf(out, "    requirement [%s] spec \"%s\" "
				    "(%s): \"%s\"\n", q->id, q->section,
				    rule_level_str(q->level), q->sentence);
		}
	for (i = 0; i < r->nmismatches; i++) {
		const struct mismatch *m = &r->mismatches[i];

		fputs("    ", out);
		where(out, r, m->step, m->line, m->col);
		fprintf(out, "%s: field '%s': expected %s, got %s\n",
		    step_verb(m->step), m->field, m->expected, m->actual);
		evidence_dump(out, &m->msg);
	}
	for (i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];

		fputs("    ", out);
		where(out, r, f->step, 0, 0);
		fprintf(out, "[%s] %s\n", f->rule->id, f->seen);
		fprintf(out, "      spec \"%s\" (%s): \"%s\"\n",
		    f->rule->section, rule_level_str(f->rule->level),
		    f->rule->sentence);
		evidence_dump(out, &f->msg);
	}
	if (verbose > 1) {
		for (i = 0; i < r->ntranscript; i++) {
			const struct transcript_msg *t = &r->transcript[i];
			struct evidence e = { t->bytes, t->len, t->len,
			    t->received };

			fprintf(out, "    %+.3f ms %s%s:\n", t->t_us / 1000.0,
			    t->received ? "<-" : "->", t->channel ? " (twin)" :
			    "");
			evidence_dump(out, &e);
		}
	}
}

void
report_text_summary(FILE *out, const struct report_summary *s)
{
	fprintf(out, "%zu scenario%s: %zu passed, %zu failed, %zu warned, "
	    "%zu skipped, %zu error%s in %.1f s\n", s->total,
	    s->total == 1 ? "" : "s", s->pass, s->fail, s->warn, s->skip,
	    s->error, s->error == 1 ? "" : "s", s->elapsed_ms / 1000.0);
	if (s->crashed > 0)
		fprintf(out, "the implementation under test crashed in %zu "
		    "scenario%s\n", s->crashed, s->crashed == 1 ? "" : "s");
}
