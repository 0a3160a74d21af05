/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * scenario: the in-memory form of a scenario file (docs/scenario-format.md)
 * and its loader.  scenario_load() reads YAML with libyaml, resolves
 * includes, validates every command, field, flag, errno and variable name
 * against the codec's tables, and builds a struct scenario in which every
 * step and every value remembers file:line:col.  Anything wrong is rejected
 * before anything is sent, as "file:line:col: what is wrong" in a struct
 * diag.  The runner, the matcher and the reports consume the model read-only
 * and never re-parse.  No sockets, no output.
 *
 * Ownership: everything reachable from a struct scenario (strings, arrays,
 * bytes, srcpos.file) lives in the scenario's arena and is released at once
 * by scenario_free().  Pointers to codec descriptors point at the codec's
 * const tables.
 */
#ifndef VFU_SCENARIO_H
#define VFU_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

struct diag;
struct step;
struct vfu_field;
struct vfu_msg_desc;
struct scn_arena;

/* Where something was written: 1-based line and column. */
struct srcpos {
	const char	*file;		/* path as given/resolved; never NULL */
	unsigned	 line;
	unsigned	 col;
};

/* ---- Values ------------------------------------------------------------- */

enum value_kind {
	VALUE_NONE = 0,		/* not given */
	VALUE_INT,		/* u: a literal, a flag set or an enum name */
	VALUE_VAR,		/* var + addend: "$base", "$base + 0x1000" */
	VALUE_BYTES,		/* bytes/len: hex or pattern, made at load */
	VALUE_STRING,		/* str (len = strlen): JSON text (VERSION data) */
	VALUE_SAME_AS,		/* the data field the step ref sent */
	VALUE_RECORDS,		/* recs/nrecs: elements of an array field */
};

struct record;

struct value {
	enum value_kind	 kind;
	struct srcpos	 pos;		/* of the value node */
	uint64_t	 u;		/* VALUE_INT */
	const char	*var;		/* VALUE_VAR: name without '$' */
	int64_t		 addend;	/* VALUE_VAR: $var + addend (wraps) */
	const uint8_t	*bytes;		/* VALUE_BYTES, VALUE_STRING */
	size_t		 len;
	const char	*str;		/* VALUE_STRING */
	const struct step *ref;		/* VALUE_SAME_AS: an earlier send */
	const struct record *recs;	/* VALUE_RECORDS */
	size_t		 nrecs;
};

/* One field set by a send step (payload, header, or an array element). */
struct field_set {
	const char	*name;		/* spec spelling, from the codec table */
	const struct vfu_field *field;	/* codec descriptor */
	struct srcpos	 pos;		/* of the key */
	struct value	 v;
};

/* One element of an array field (sparse areas, write_multi entries...). */
struct record {
	struct srcpos	 pos;
	const struct field_set *fields;
	size_t		 nfields;
};

/* ---- Matching ----------------------------------------------------------- */

enum match_kind {
	MATCH_EXACT,		/* actual == v (int, var, bytes, string, same_as) */
	MATCH_MASK,		/* (actual & mask) == v */
	MATCH_RANGE,		/* lo <= actual <= hi */
	MATCH_ANY_OF,		/* any of alts[] matches */
	MATCH_ABSENT,		/* the field is not in the message */
	MATCH_PRESENT,		/* present, any value ("any") */
};

struct match {
	enum match_kind	 kind;
	struct srcpos	 pos;
	struct value	 v;		/* EXACT, MASK */
	struct value	 mask;		/* MASK */
	struct value	 lo, hi;	/* RANGE */
	const struct match *alts;	/* ANY_OF: EXACT, MASK or RANGE each */
	size_t		 nalts;
};

/* One expected field of a received message. */
struct field_match {
	const char	*name;
	const struct vfu_field *field;
	struct srcpos	 pos;		/* of the key */
	struct match	 m;
};

/* Stores a received field into a variable for later steps. */
struct capture {
	const char	*var;		/* name without '$' */
	const char	*name;		/* field name ("msg_id" for a header one) */
	const struct vfu_field *field;
	int		 header;	/* 1: a header field ("header.msg_id") */
	struct srcpos	 pos;
};

/* ---- File descriptors --------------------------------------------------- */

enum fd_kind {
	FD_MEMFD,		/* memfd of size bytes, content at offset 0 */
	FD_EVENTFD,
	FD_SOCKET,		/* one end of a fresh AF_UNIX socketpair */
	FD_PIPE,		/* read end of a pipe: an fd of the wrong kind */
	FD_FILE,		/* a regular temporary file of size bytes */
	FD_REF,			/* the fd named ref by an earlier step */
	FD_ANY,			/* expect only: any kind */
};

struct fd_spec {
	enum fd_kind	 kind;
	struct srcpos	 pos;
	uint64_t	 size;		/* FD_MEMFD, FD_FILE */
	struct value	 content;	/* VALUE_BYTES or VALUE_NONE */
	const char	*name;		/* "as": later steps can refer to it */
	const char	*ref;		/* FD_REF */
};

/* ---- Steps -------------------------------------------------------------- */

/* send: one message, built by the codec from the fields given. */
struct step_send {
	const struct vfu_msg_desc *desc;	/* NULL for raw */
	int		 reply;		/* 1: a reply (server role): it answers
					 * the latest EXPECT_REQUEST of the
					 * same command, whose msg_id it takes */
	int		 is_error;	/* reply with VFIO_USER_F_ERROR */
	uint32_t	 err;		/* its errno */
	int		 no_reply;	/* set VFIO_USER_F_NO_REPLY */
	/* Header fields the step overrides; the rest are computed. */
	const struct field_set *hdr;
	size_t		 nhdr;
	/* Payload fields the step sets; unset ones are 0 or computed
	 * (vfu_msg_autofill) when the codec can compute them. */
	const struct field_set *fields;
	size_t		 nfields;
	const struct fd_spec *fds;	/* passed with SCM_RIGHTS, in order */
	size_t		 nfds;
	struct value	 raw;		/* VALUE_BYTES: sent as is, nothing
					 * computed; desc is NULL */
};

enum reply_status {
	REPLY_OK,		/* a reply without VFIO_USER_F_ERROR */
	REPLY_ERROR,		/* an error reply; errnos[] if any given */
	REPLY_ANY,
};

/* One acceptable message (expect has one, or several with one_of). */
struct expect_msg {
	struct srcpos	 pos;
	int		 close;		/* one_of only: this outcome is the
					 * peer closing the connection; the
					 * other members are unset */
	enum reply_status status;	/* replies only */
	const int	*errnos;	/* REPLY_ERROR: any of these (none: any) */
	size_t		 nerrnos;
	/* Descriptor the fields were checked against: the reply to the
	 * request (reply), or the request named by "request:". */
	const struct vfu_msg_desc *desc;
	const struct field_match *hdr;
	size_t		 nhdr;
	const struct field_match *fields;
	size_t		 nfields;
	int		 has_fd_count;
	struct match	 fd_count;
	const enum fd_kind *fd_kinds;	/* kind of each fd, in order */
	size_t		 nfd_kinds;
	const char * const *fd_names;	/* "as": names for received fds */
	size_t		 nfd_names;
	const struct capture *caps;
	size_t		 ncaps;
};

enum expect_kind {
	EXPECT_REPLY,		/* the reply to an outstanding request */
	EXPECT_REQUEST,		/* a request from the peer (server role) */
	EXPECT_CLOSE,		/* the peer closes the connection */
	EXPECT_SILENCE,		/* nothing arrives for within_ms */
	EXPECT_IRQ,		/* the eventfd irq_fd fires */
};

struct step_expect {
	enum expect_kind kind;
	/*
	 * EXPECT_REPLY: the send step it answers.  Without "to:" it is the
	 * oldest request still outstanding, so several sends followed by
	 * several expects check pipelined replies in order.  NULL only when
	 * the loader could not tell (after raw sends), with "command:".
	 */
	const struct step *to;
	const struct expect_msg *alts;	/* REPLY, REQUEST: >= 1 outcomes */
	size_t		 nalts;
	uint64_t	 within_ms;	/* deadline, 0 = scenario default;
					 * SILENCE, quiet IRQ: the window */
	const char	*irq_fd;	/* EXPECT_IRQ: an fd_spec name */
	int		 irq_quiet;	/* EXPECT_IRQ with "fires: false": the
					 * eventfd must NOT be signalled for
					 * within_ms (which is then given) */
};

/* serve: answer DMA_READ/DMA_WRITE from harness-owned guest memory. */
struct step_serve {
	const struct vfu_msg_desc *desc;	/* DMA_READ or DMA_WRITE request,
						 * NULL: either */
	uint64_t	 count;		/* requests to serve (>= 1) */
	uint64_t	 within_ms;	/* 0 = scenario default */
	int		 check_window;	/* 1: each request must lie inside a
					 * mapped DMA window (the oracle) */
	/* Each request must match.  With desc NULL the names were checked
	 * against DMA_READ's table (address, count): match by name. */
	const struct field_match *fields;
	size_t		 nfields;
};

/*
 * reconnect: the harness closes its connection and connects to the same
 * server again (client role; a target with a socket path).  The new
 * connection starts a fresh session: nothing negotiated, no requests
 * outstanding, no DMA windows.  The fds the harness made ("as:" names)
 * stay open, so later steps can watch the old client's eventfds.
 */
struct step_reconnect {
	uint64_t	 within_ms;	/* to be connected again; 0 = default */
};

struct step_repeat {
	uint64_t	 count;
	const char	*var;		/* iteration counter 0..count-1, or NULL */
	const struct step *steps;
	size_t		 nsteps;
};

/* Where a fragment was included; parent is the include that brought the
 * including file in, NULL at the top. */
struct include_site {
	struct srcpos	 pos;		/* of the include: value */
	const struct include_site *parent;
};

enum step_kind {
	STEP_SEND,
	STEP_EXPECT,
	STEP_SERVE,
	STEP_REPEAT,
	STEP_RECONNECT,
};

struct step {
	enum step_kind	 kind;
	struct srcpos	 pos;		/* of the step's kind key */
	const char	*label;		/* "label:", or NULL */
	const struct include_site *included_at;	/* NULL: not included */
	union {
		struct step_send	send;
		struct step_expect	expect;
		struct step_serve	serve;
		struct step_repeat	repeat;
		struct step_reconnect	reconnect;
	} u;
};

/* ---- Scenario ----------------------------------------------------------- */

enum scn_level {
	LEVEL_MUST,
	LEVEL_SHOULD,
	LEVEL_MAY,
};

enum scn_role {
	ROLE_CLIENT,		/* the harness is the client (tests a server) */
	ROLE_SERVER,		/* the harness is the server (tests a client) */
};

/* What the IUT must offer for the scenario to run; otherwise SKIP. */
#define SCN_REQ_MIGRATION	(1u << 0)
#define SCN_REQ_WRITE_MULTIPLE	(1u << 1)
#define SCN_REQ_TWIN_SOCKET	(1u << 2)
#define SCN_REQ_DIRTY_LOGGING	(1u << 3)
#define SCN_REQ_RESET		(1u << 4)
#define SCN_REQ_IRQ_EVENTFD	(1u << 5)
#define SCN_REQ_IO_FDS		(1u << 6)
#define SCN_REQ_DMA		(1u << 7)
#define SCN_REQ_MMAP		(1u << 8)

/* A variable given a value by "vars:" (captures are set at run time). */
struct var_def {
	const char	*name;
	struct srcpos	 pos;
	struct value	 v;		/* VALUE_INT or VALUE_BYTES */
};

struct scenario {
	const char	*path;		/* the file given to scenario_load */
	const char	*id;
	const char	*title;
	const char	*spec;		/* spec section */
	const char	*description;	/* or NULL */
	const char * const *requirements;	/* rule IDs, >= 1 */
	size_t		 nrequirements;
	enum scn_level	 level;
	enum scn_role	 role;
	const char * const *tags;
	size_t		 ntags;
	unsigned	 requires;	/* SCN_REQ_* */
	const char	*profile;	/* device profile, or NULL */
	uint64_t	 timeout_ms;	/* default deadline per step; 0: not
					 * given, the runner's default applies */
	int		 serve_dma;	/* answer DMA requests while waiting */
	const struct var_def *vars;
	size_t		 nvars;
	const struct step *steps;	/* includes expanded */
	size_t		 nsteps;
	unsigned	 reconnects;	/* reconnect steps, repeat bodies
					 * included: > 0 needs a target with a
					 * path (SKIP with exec's --fd) */
	struct srcpos	 pos;		/* of the document */
	struct scn_arena *arena;	/* owns everything above */
};

#define SCENARIO_DEFAULT_TIMEOUT_MS	5000
#define SCENARIO_MAX_INCLUDE_DEPTH	16

/*
 * Loads the scenario at path.  Includes are looked up relative to the
 * including file, then in each of search_dirs (NULL-terminated, may be
 * NULL), then in the common/ directory of each ancestor directory of path,
 * nearest first.  On success returns 0 and *sc owns the model (release it
 * with scenario_free).  On any error returns -1, leaves *sc empty and fills
 * *d with file, line and column (1-based) and the message; nothing leaks.
 */
int	scenario_load(const char *path, const char * const *search_dirs,
	    struct scenario *sc, struct diag *d);

/* Releases everything the scenario owns; *sc is then empty.  sc may be
 * NULL or already empty. */
void	scenario_free(struct scenario *sc);

/* Names for reports: "send", "must", "client", "memfd", "ok"... */
const char *scenario_step_kind_name(enum step_kind k);
const char *scenario_level_name(enum scn_level l);
const char *scenario_role_name(enum scn_role r);
const char *scenario_fd_kind_name(enum fd_kind k);

/* errno names from <errno.h>: "EEXIST" <-> EEXIST.  -1 / NULL if unknown. */
int	 scenario_errno_value(const char *name);
const char *scenario_errno_name(int err);

#endif /* VFU_SCENARIO_H */
