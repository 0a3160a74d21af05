/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * match: compares a received message with what a scenario step expects
 * (scenario.h: struct expect_msg, struct field_match, struct match) and
 * appends one struct mismatch per unmet expectation to a scenario result,
 * each with the field path, the expected and actual values rendered
 * readably (flags and enums through vfu_field_format) and the line:col of
 * the expectation.  It also keeps the scenario's variables (vars: and
 * captures) and resolves "$name + N" and same_as values.  Fields are read
 * from the message bytes through the codec's field tables, so a message the
 * codec cannot decode is still matched field by field.  No I/O, never
 * prints, decides no verdict.
 */
#ifndef VFU_MATCH_H
#define VFU_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

struct diag;
struct scenario_result;
struct vfu_msg;

/* One variable: an integer or bytes (captured data, hex vars). */
struct match_var {
	char		*name;		/* owned */
	int		 is_bytes;
	uint64_t	 u;
	uint8_t		*bytes;		/* owned, is_bytes */
	size_t		 len;
};

struct match_vars {
	struct match_var *v;
	size_t		 n, cap;
};

void	match_vars_init(struct match_vars *mv);
void	match_vars_free(struct match_vars *mv);
/* Sets (or replaces) a variable.  Return 0, or -1 when out of memory. */
int	match_vars_set_int(struct match_vars *mv, const char *name,
	    uint64_t u);
int	match_vars_set_bytes(struct match_vars *mv, const char *name,
	    const void *p, size_t len);
/* The variable called name, or NULL. */
const struct match_var *match_vars_get(const struct match_vars *mv,
	    const char *name);

/*
 * The data a send step wrote (for same_as): sets *p and *len and returns 0,
 * or -1 when that step has not sent anything yet.
 */
typedef int match_sent_fn(void *arg, const struct step *st,
	    const uint8_t **p, size_t *len);

/* What values are resolved against. */
struct match_env {
	const struct match_vars *vars;
	match_sent_fn	*sent;		/* NULL: same_as never resolves */
	void		*sent_arg;
};

/*
 * Resolves an integer value (VALUE_INT, or VALUE_VAR of an integer
 * variable plus its addend).  Returns 0, or -1 with *d located at the value
 * (unknown variable, a bytes variable where a number is needed).
 */
int	match_value_int(const struct value *v, const struct match_env *env,
	    uint64_t *out, struct diag *d);
/*
 * Resolves a bytes value: VALUE_BYTES, VALUE_STRING (without its NUL),
 * VALUE_SAME_AS, or VALUE_VAR of a bytes variable.  *p stays valid while
 * the scenario, the variables and the sent data do.  Returns 0 or -1.
 */
int	match_value_bytes(const struct value *v, const struct match_env *env,
	    const uint8_t **p, size_t *len, struct diag *d);

/* A received message as the matcher sees it. */
struct match_msg {
	const uint8_t	*buf;		/* the whole message, header included */
	size_t		 len;
	const struct vfu_msg *msg;	/* decoded form, or NULL */
	size_t		 nfds;
	const enum fd_kind *fd_kinds;	/* nfds entries (FD_ANY: unknown) */
};

/*
 * One integer match of field f (or a pseudo field such as the fd count):
 * present says whether the field is in the message.  Returns 1 when met,
 * 0 when not, -1 with *d when a value cannot be resolved.  The expectation
 * is rendered into exp either way.
 */
int	match_int(const struct match *m, const struct vfu_field *f,
	    int present, uint64_t actual, const struct match_env *env,
	    char *exp, size_t explen, struct diag *d);

/*
 * Checks in against em: the reply status and errno, the header and payload
 * fields, the fd count and kinds.  what names the message in field paths
 * ("reply", "request").  Appends a mismatch per unmet expectation to res
 * for step st (res NULL: only counts).  Returns the number of unmet
 * expectations, or -1 with *d when the expectation cannot be evaluated (an
 * unknown variable: a scenario error).
 */
int	match_expect_msg(const struct expect_msg *em, const char *what,
	    const struct match_msg *in, const struct match_env *env,
	    const struct step *st, struct scenario_result *res,
	    struct diag *d);

/*
 * Checks fields (header ones when header) of in; as match_expect_msg.
 * prefix starts each field path ("request", "reply", "header").
 */
int	match_fields(const struct field_match *fm, size_t n, int header,
	    const char *prefix, const struct match_msg *in,
	    const struct match_env *env, const struct step *st,
	    struct scenario_result *res, struct diag *d);

/*
 * Stores em's captures from in into vars.  A field the message does not
 * carry is a mismatch (appended to res when not NULL).  Returns the number
 * of captures that failed, or -1 when out of memory.
 */
int	match_captures(const struct expect_msg *em, const struct match_msg *in,
	    struct match_vars *vars, const struct step *st,
	    struct scenario_result *res);

/* Renders bytes for a report: hex, cut with "... (N bytes)".  Returns buf. */
const char *match_format_bytes(const uint8_t *p, size_t len, char *buf,
	    size_t buflen);

#endif /* VFU_MATCH_H */
