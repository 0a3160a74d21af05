/* SPDX-License-Identifier: BSD-3-Clause */
/* result: the outcome of one scenario; see result.h. */
#include "config.h"
#include "result.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint.h"
#include "scenario.h"

void
result_init(struct scenario_result *r, const struct scenario *sc)
{
	memset(r, 0, sizeof(*r));
	r->sc = sc;
	r->verdict = VERDICT_PASS;
}

static void
evidence_free(struct evidence *e)
{
	free(e->bytes);
	memset(e, 0, sizeof(*e));
}

void
result_free(struct scenario_result *r)
{
	size_t	i;

	for (i = 0; i < r->nfindings; i++)
		evidence_free(&r->findings[i].msg);
	for (i = 0; i < r->nmismatches; i++)
		evidence_free(&r->mismatches[i].msg);
	for (i = 0; i < r->ntranscript; i++)
		free(r->transcript[i].bytes);
	free(r->findings);
	free(r->mismatches);
	free(r->transcript);
	result_init(r, r->sc);
}

/* Grows *arr (of n elements of size sz) by one; returns the new slot. */
static void *
grow(void *arrp, size_t *n, size_t sz)
{
	void	**arr = arrp;
	void	 *np;

	/* Double at powers of two. */
	if ((*n & (*n - 1)) == 0) {
		np = realloc(*arr, (*n != 0 ? *n * 2 : 1) * sz);
		if (np == NULL)
			return (NULL);
		*arr = np;
	}
	np = (char *)*arr + *n * sz;
	memset(np, 0, sz);
	(*n)++;
	return (np);
}

static void
evidence_set(struct evidence *e, const uint8_t *msg, size_t len,
    int received)
{
	size_t	keep = len < RESULT_MSG_MAX ? len : RESULT_MSG_MAX;

	e->received = received;
	e->len = len;
	if (msg == NULL || len == 0)
		return;
	e->bytes = malloc(keep);
	if (e->bytes == NULL)
		return;
	memcpy(e->bytes, msg, keep);
	e->kept = keep;
}

int
result_add_finding(struct scenario_result *r, const struct rule *rule,
    const char *seen, const struct step *step, const uint8_t *msg,
    size_t len, int received)
{
	struct finding	*f;

	f = grow(&r->findings, &r->nfindings, sizeof(*f));
	if (f == NULL)
		return (-1);
	f->rule = rule;
	snprintf(f->seen, sizeof(f->seen), "%s", seen);
	f->step = step;
	evidence_set(&f->msg, msg, len, received);
	return (0);
}

int
result_add_mismatch(struct scenario_result *r, const struct step *step,
    unsigned line, unsigned col, const char *field, const char *expected,
    const char *actual, const uint8_t *msg, size_t len, int received)
{
	struct mismatch	*m;

	m = grow(&r->mismatches, &r->nmismatches, sizeof(*m));
	if (m == NULL)
		return (-1);
	m->step = step;
	m->line = line;
	m->col = col;
	snprintf(m->field, sizeof(m->field), "%s", field);
	snprintf(m->expected, sizeof(m->expected), "%s", expected);
	snprintf(m->actual, sizeof(m->actual), "%s", actual);
	evidence_set(&m->msg, msg, len, received);
	return (0);
}

int
result_add_transcript(struct scenario_result *r, int64_t t_us, int received,
    int channel, const uint8_t *msg, size_t len, size_t nfds)
{
	struct transcript_msg	*t;

	t = grow(&r->transcript, &r->ntranscript, sizeof(*t));
	if (t == NULL)
		return (-1);
	t->t_us = t_us;
	t->received = received;
	t->channel = channel;
	t->nfds = nfds;
	t->len = len;
	if (len != 0) {
		t->bytes = malloc(len);
		if (t->bytes == NULL) {
			r->ntranscript--;
			return (-1);
		}
		memcpy(t->bytes, msg, len);
	}
	return (0);
}

void
result_decide(struct scenario_result *r, int strict)
{
	size_t	i;
	int	must = 0, should = 0;

	if (r->verdict == VERDICT_SKIP || r->verdict == VERDICT_ERROR)
		return;
	for (i = 0; i < r->nfindings; i++) {
		if (r->findings[i].rule->level == RULE_MUST)
			must++;
		else if (r->findings[i].rule->level == RULE_SHOULD)
			should++;
	}
	/* An unmet expectation weighs what the scenario's level says. */
	if (r->nmismatches > 0) {
		if (r->sc != NULL && r->sc->level != LEVEL_MUST)
			should++;
		else
			must++;
	}
	if (r->crashed || must > 0 || (strict && should > 0))
		r->verdict = VERDICT_FAIL;
	else if (should > 0)
		r->verdict = VERDICT_WARN;
	else
		r->verdict = VERDICT_PASS;
}

const char *
verdict_str(enum verdict v)
{
	switch (v) {
	case VERDICT_PASS:
		return ("PASS");
	case VERDICT_WARN:
		return ("WARN");
	case VERDICT_FAIL:
		return ("FAIL");
	case VERDICT_SKIP:
		return ("SKIP");
	case VERDICT_ERROR:
		return ("ERROR");
	}
	return ("?");
}
