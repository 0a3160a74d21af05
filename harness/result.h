/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * result: what running one scenario came to, for the reporters.  A verdict,
 * the linter's findings (rule breaches) and the matcher's mismatches
 * (expectations not met), each tied to the step that was running and
 * carrying a copy of the message that showed it, plus the transcript of the
 * exchange (every message both ways, for the pcap writer).  The runner fills
 * it; reporters only read it; nothing here changes a verdict.
 */
#ifndef VFU_RESULT_H
#define VFU_RESULT_H

#include <stddef.h>
#include <stdint.h>

struct rule;
struct scenario;
struct step;

enum verdict {
	VERDICT_PASS,		/* every expectation met, no must-rule breached */
	VERDICT_WARN,		/* passed, but a should-rule was breached */
	VERDICT_FAIL,		/* the IUT broke a requirement (or crashed) */
	VERDICT_SKIP,		/* the IUT does not offer what it requires */
	VERDICT_ERROR,		/* the harness or scenario failed, or the IUT
				 * could not be reached */
};

#define RESULT_MSG_MAX	4096	/* bytes of a message kept as evidence */

/* Evidence: a message as it was on the wire (possibly cut at
 * RESULT_MSG_MAX; len is the real length). */
struct evidence {
	uint8_t		*bytes;		/* owned, NULL if none */
	size_t		 len;		/* the message's length */
	size_t		 kept;		/* bytes in bytes[] */
	int		 received;	/* 1: from the IUT, 0: sent by us */
};

/* A linter finding. */
struct finding {
	const struct rule *rule;
	char		 seen[512];
	const struct step *step;	/* running when it arrived, or NULL */
	struct evidence	 msg;
};

/* An expectation the IUT did not meet. */
struct mismatch {
	const struct step *step;	/* the expect step */
	char		 field[96];	/* "reply.flags", "fds", "errno", ... */
	char		 expected[160];
	char		 actual[160];
	unsigned	 line, col;	/* of the expectation that failed */
	struct evidence	 msg;
};

/* One message of the exchange, for the transcript. */
struct transcript_msg {
	int64_t		 t_us;		/* since the scenario started */
	int		 received;	/* 1: from the IUT */
	size_t		 nfds;
	uint8_t		*bytes;		/* owned */
	size_t		 len;
	int		 channel;	/* 0: main socket, 1: twin socket */
};

struct scenario_result {
	const struct scenario *sc;
	enum verdict	 verdict;
	char		 reason[512];	/* SKIP/ERROR reason or FAIL summary */
	const struct step *error_step;	/* where an ERROR happened, or NULL */
	int		 unreachable;	/* ERROR because the IUT could not be
					 * reached (connect/spawn failed) */
	int		 crashed;	/* the IUT died on its own */
	char		 crash[256];	/* how ("killed by signal 11 ...") */
	struct finding	*findings;
	size_t		 nfindings;
	struct mismatch	*mismatches;
	size_t		 nmismatches;
	struct transcript_msg *transcript;
	size_t		 ntranscript;
	int64_t		 elapsed_ms;
};

void	result_init(struct scenario_result *r, const struct scenario *sc);
void	result_free(struct scenario_result *r);

/* Appends; each returns 0 or -1 (out of memory: the entry is dropped). */
int	result_add_finding(struct scenario_result *r, const struct rule *rule,
	    const char *seen, const struct step *step, const uint8_t *msg,
	    size_t len, int received);
int	result_add_mismatch(struct scenario_result *r, const struct step *step,
	    unsigned line, unsigned col, const char *field,
	    const char *expected, const char *actual, const uint8_t *msg,
	    size_t len, int received);
int	result_add_transcript(struct scenario_result *r, int64_t t_us,
	    int received, int channel, const uint8_t *msg, size_t len,
	    size_t nfds);

/*
 * Sets the verdict from what was collected, unless it is already SKIP or
 * ERROR: FAIL if crashed, on a must-rule finding, or on a mismatch in a
 * must-level scenario; a should-rule finding or a mismatch in a should- or
 * may-level scenario is a WARN (a FAIL when strict); else PASS.
 */
void	result_decide(struct scenario_result *r, int strict);

const char *verdict_str(enum verdict v);	/* "PASS", "FAIL", ... */

#endif /* VFU_RESULT_H */
