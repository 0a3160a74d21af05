/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lint: the requirement catalogue and the checks that are always on.  Every
 * rule has a stable ID, the spec section, its level (must/should/may) and the
 * sentence it enforces, verbatim.  lint_received() applies every rule that
 * fits to a message received from the peer, given what the session knows
 * (the request a reply answers, the negotiated capabilities, the DMA
 * windows), reports each breach through a callback and updates the session.
 * Breaches are results, not errors.  No I/O, never prints.
 */
#ifndef VFU_LINT_H
#define VFU_LINT_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"
#include "session.h"

enum rule_level {
	RULE_MUST,		/* a breach is a FAIL */
	RULE_SHOULD,		/* a breach is a WARN (a FAIL under --strict) */
	RULE_MAY,		/* informational */
};

struct rule {
	const char	*id;		/* stable, e.g. "header.reply-bit" */
	enum rule_level	 level;
	const char	*section;	/* spec section title */
	const char	*sentence;	/* the sentence it enforces, verbatim */
	enum session_role checks;	/* whose messages: the peer of this role */
	int		 both_roles;	/* applies in both roles */
	int		 behaviour;	/* checked by scenarios (what the peer
					 * does), not by the linter (what a
					 * message looks like) */
};

/* The catalogue, in a stable order. */
const struct rule *lint_rules(size_t *n);
/* The rule with this ID, or NULL. */
const struct rule *lint_rule_find(const char *id);
const char *rule_level_str(enum rule_level l);

/* Called once per breach: the rule and what was seen. */
typedef void lint_report_fn(void *arg, const struct rule *r, const char *seen);

/* What a received message turned out to be. */
enum lint_kind {
	LINT_REPLY,		/* answers a pending request (in req) */
	LINT_REQUEST,		/* a request from the peer */
	LINT_STRAY,		/* neither: a reply nobody waits for, bad type */
};

struct lint_result {
	enum lint_kind	 kind;
	struct vfu_hdr	 hdr;
	struct session_req req;		/* LINT_REPLY: the request answered */
	struct vfu_msg	 msg;		/* the body, when decoded */
	int		 decoded;
	unsigned	 nfindings;
};

/*
 * Records a message the harness sent (requests become pending; No_reply
 * ones go to the No_reply ring; replies are ignored).  Returns 0 or -1
 * (out of memory).
 */
int	lint_sent(struct session *s, const uint8_t *buf, size_t len,
	    size_t nfds);

/*
 * Checks one whole message received from the peer (len >= 16, len ==
 * msg_size, as the transport delivers them) that came with nfds fds
 * (fds_dropped more were refused by the transport).  Reports breaches
 * through fn, updates s, and fills *res (release with lint_result_free).
 * buf must outlive *res.
 */
void	lint_received(struct session *s, const uint8_t *buf, size_t len,
	    size_t nfds, size_t fds_dropped, lint_report_fn *fn, void *arg,
	    struct lint_result *res);
void	lint_result_free(struct lint_result *res);

/*
 * Reports a message that could not be framed: the peer closed or stalled
 * after got bytes of it, or its msg_size was outside [16, the receive
 * limit] (transport VFU_IO_TRUNCATED/TIMEOUT with bytes read, or
 * VFU_IO_BAD_SIZE).  hdr holds the first min(got, 16) bytes; what is the
 * transport's account of it.
 */
void	lint_broken_frame(struct session *s, const uint8_t *hdr, size_t got,
	    const char *what, lint_report_fn *fn, void *arg);

#endif /* VFU_LINT_H */
