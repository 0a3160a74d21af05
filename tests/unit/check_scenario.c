/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for the scenario loader: every malformed file under
 * tests/data/scenarios/bad is rejected at its exact file:line:col with the
 * expected message, and the good files load into the expected model.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "diag.h"
#include "scenario.h"

struct bad_case {
	const char	*name;		/* bad/<name>.yaml */
	const char	*file;		/* where the error is, if not there */
	unsigned	 line;
	unsigned	 col;
	const char	*msg;		/* a substring of the message */
};

static const struct bad_case bad_cases[] = {
	{ "syntax-error", NULL, 9, 10, "YAML syntax error" },
	{ "two-documents", NULL, 9, 1, "more than one YAML document" },
	{ "anchor", NULL, 8, 11, "anchors (&name) are not supported" },
	{ "alias", NULL, 8, 11, "aliases (*name) are not supported" },
	{ "tag", NULL, 8, 11, "tags are not supported" },
	{ "duplicate-key", NULL, 10, 5, "duplicate key 'size' (first at line 9)" },
	{ "unknown-top-key", NULL, 9, 1, "unknown key 'titel' in a scenario (did you mean 'title'?)" },
	{ "missing-id", NULL, 1, 1, "missing required key 'id'" },
	{ "bad-level", NULL, 5, 8, "level must be must, should or may, not 'mandatory'" },
	{ "bad-role", NULL, 6, 7, "role must be client or server" },
	{ "steps-empty", NULL, 8, 3, "steps is empty" },
	{ "steps-not-list", NULL, 8, 3, "steps must be a list, not a mapping" },
	{ "empty-step", NULL, 9, 4, "empty step" },
	{ "step-without-kind", NULL, 8, 5, "step has no kind" },
	{ "step-two-kinds", NULL, 9, 5, "a step has one kind: 'send' and 'expect' given" },
	{ "unknown-command", NULL, 8, 11, "unknown command 'DMA_MAPP' (did you mean 'DMA_MAP'?)" },
	{ "unknown-field", NULL, 9, 5, "unknown key 'adress' in a DMA_MAP send step (did you mean 'address'?)" },
	{ "int-too-big-for-field", NULL, 9, 22, "value 0x10000 does not fit in 'msg_id' (2 bytes)" },
	{ "int-not-a-number", NULL, 9, 11, "'size' must be an integer (decimal or 0x hex), not '4k'" },
	{ "int-quoted", NULL, 9, 11, "not a quoted string" },
	{ "int-negative", NULL, 9, 11, "'size' cannot be negative" },
	{ "int-over-64-bits", NULL, 9, 14, "larger than 64 bits" },
	{ "int-32-overflow", NULL, 9, 12, "value 4294967296 does not fit in 'argsz' (4 bytes)" },
	{ "unknown-flag", NULL, 9, 23, "unknown flag 'writable' for 'flags' (did you mean 'writeable'?)" },
	{ "list-for-integer", NULL, 9, 11, "'size' takes one value, not a list" },
	{ "unknown-errno", NULL, 13, 35, "unknown errno name 'EEXISTS' (did you mean 'EEXIST'?)" },
	{ "errno-with-ok", NULL, 13, 32, "errno goes with 'reply: error'" },
	{ "bad-hex-digit", NULL, 10, 11, "bad hex in data: 'z' at character 3 is not a hex digit" },
	{ "odd-hex", NULL, 10, 11, "odd number of digits (3)" },
	{ "include-not-found", NULL, 8, 14, "include 'nope.yaml' not found" },
	{ "include-cycle", "frag/cycle-b.yaml", 3, 14, "include cycle: " },
	{ "include-self", "frag/self.yaml", 3, 14, "frag/self.yaml -> " },
	{ "include-scenario", NULL, 8, 14, "is a scenario, not a fragment" },
	{ "include-extra-key", NULL, 9, 5, "unknown key 'label' in an include step" },
	{ "include-bad-fragment", "frag/bad-field.yaml", 4, 5, "unknown key 'szie' in a DMA_MAP send step (did you mean 'size'?)" },
	{ "var-before-capture", NULL, 9, 14, "variable '$base' is used before it is defined or captured" },
	{ "bad-expression", NULL, 9, 14, "bad expression '$base * 2'" },
	{ "unknown-label", NULL, 13, 29, "to: no earlier step is labelled 'nothere'" },
	{ "duplicate-label", NULL, 11, 12, "label 'one' is already used" },
	{ "reply-without-request", NULL, 8, 21, "no request is waiting for this reply" },
	{ "mask-outside", NULL, 11, 42, "value has bits outside the mask" },
	{ "range-empty", NULL, 11, 37, "range is empty: 5 > 1" },
	{ "range-not-pair", NULL, 11, 37, "range must be a list [lo, hi]" },
	{ "any-of-empty", NULL, 11, 35, "any_of is empty" },
	{ "unknown-match-key", NULL, 11, 24, "unknown key 'maks' in a match (did you mean 'mask'?)" },
	{ "unknown-fd-kind", NULL, 9, 9, "unknown fd kind 'eventdf' (did you mean 'eventfd'?)" },
	{ "memfd-without-size", NULL, 9, 9, "a memfd needs a size" },
	{ "content-too-big", NULL, 9, 29, "content is 5 bytes, more than the 4 it can hold" },
	{ "irq-unknown-fd", NULL, 8, 19, "unknown fd 'irq9'" },
	{ "unknown-requirement-id", NULL, 4, 39, "unknown requirement 'dma-map.overlap-eexists'" },
	{ "unknown-requirement", NULL, 9, 12, "unknown capability 'migraton' in requires (did you mean 'migration'?)" },
	{ "expect-two-kinds", NULL, 9, 25, "expect has both 'reply' and 'close'" },
	{ "fields-on-error-reply", NULL, 9, 36, "an error reply has no payload fields" },
	{ "repeat-zero", NULL, 8, 13, "repeat must be between 1 and 1000000" },
	{ "bool-not-bool", NULL, 9, 15, "no_reply must be true or false, not 'yes'" },
	{ "empty-file", NULL, 1, 1, "empty scenario file" },
	{ "fragment-loaded-as-scenario", NULL, 1, 1, "this is a fragment" },
	{ "serve-wrong-command", NULL, 8, 12, "serve takes DMA_READ, DMA_WRITE or any, not DMA_MAP" },
	{ "capture-unknown-field", NULL, 11, 20, "capture: DEVICE_GET_INFO has no field 'num_region'" },
	{ "one-of-single", NULL, 11, 9, "one_of needs at least two alternatives" },
	{ "unknown-header-field", NULL, 9, 14, "unknown key 'msgid' in header (did you mean 'msg_id'?)" },
	{ "same-as-without-data", NULL, 16, 32, "same_as: step 'reset' sends no data" },
	{ "capture-then-use-ok-but-unknown-var", NULL, 11, 13, "variable '$m' is used before" },
	{ "repeat-var-out-of-scope", NULL, 13, 13, "variable '$i' is used before" },
	{ "silence-without-window", NULL, 8, 13, "expect: 'silence' is not ok, error, any or close" },
	{ "unknown-expect-key", NULL, 9, 25, "unknown key 'feilds' in expect (did you mean 'fields'?)" },
	{ "fd-and-fds", NULL, 10, 10, "give fd or fds, not both" },
	{ "key-not-scalar", NULL, 9, 5, "mapping keys must be plain words" },
	{ "pattern-without-len", NULL, 10, 11, "pattern needs len" },
	{ "nested-too-deep", NULL, 9, 73, "nested too deeply" },
	{ "to-no-reply-request", NULL, 12, 29, "to: step 'r' sends no request that waits for a reply" },
	{ "one-of-mixed", NULL, 12, 11, "one_of alternatives must all be replies or all requests" },
	{ "within-ms-zero", NULL, 8, 38, "within_ms must be between 1 and 3600000" },
	{ "close-false", NULL, 8, 21, "close: false expects nothing" },
	{ "var-from-var", NULL, 11, 6, "vars: a variable cannot be defined from another" },
	{ "header-unknown-command", NULL, 9, 23, "unknown command 'DMA_MAPP' (did you mean 'DMA_MAP'?)" },
	{ "raw-variable", NULL, 8, 10, "raw takes literal bytes" },
	{ "fd-ref-unknown", NULL, 9, 15, "unknown fd 'zz'" },
	{ "capture-bad-variable", NULL, 9, 35, "capture: '2x' is not a variable name" },
	{ "duplicate-fd-name", NULL, 9, 55, "fd name 'e' is already used" },
	{ "errno-empty-list", NULL, 13, 35, "errno list is empty" },
	{ "reconnect-scalar", NULL, 9, 16, "reconnect takes a mapping: write 'reconnect: {}'" },
	{ "reconnect-unknown-key", NULL, 8, 17, "unknown key 'withn_ms' in reconnect (did you mean 'within_ms'?)" },
	{ "reconnect-server-role", NULL, 9, 5, "reconnect needs role: client" },
	{ "reconnect-to-old", NULL, 12, 29, "to: step 'info' was sent on an earlier connection: no reply to it comes after the reconnect at line 10" },
	{ "reconnect-drops-pending", NULL, 10, 13, "no request is waiting for this reply" },
	{ "irq-quiet-without-window", NULL, 13, 14, "irq with fires: false needs within_ms" },
	{ "fires-with-reply", NULL, 9, 32, "fires goes with irq, not with reply" },
	{ "fires-not-bool", NULL, 13, 32, "fires must be true or false, not 'no'" },
};

#define NBAD	(sizeof(bad_cases) / sizeof(bad_cases[0]))

static const char *
srcdir(void)
{
	const char	*s = getenv("top_srcdir");

	return (s != NULL ? s : ".");
}

static void
data_path(char *buf, size_t len, const char *rel)
{
	snprintf(buf, len, "%s/tests/data/scenarios/%s", srcdir(), rel);
}

static int
ends_with(const char *s, const char *tail)
{
	size_t	ls = strlen(s), lt = strlen(tail);

	return (ls >= lt && strcmp(s + ls - lt, tail) == 0);
}

static void
load_good(const char *rel, struct scenario *sc)
{
	char		path[1024], msg[1024];
	const char	*dirs[2];
	struct diag	d;
	int		rc;

	data_path(path, sizeof(path), rel);
	dirs[0] = path;		/* replaced below; keeps dirs non-const */
	data_path(path, sizeof(path), "search");
	dirs[0] = strdup(path);
	dirs[1] = NULL;
	data_path(path, sizeof(path), rel);
	rc = scenario_load(path, dirs, sc, &d);
	free((void *)(uintptr_t)dirs[0]);
	ck_assert_msg(rc == 0, "%s", diag_str(&d, msg, sizeof(msg)));
}

/* tested over every file of tests/data/scenarios/bad */
START_TEST(test_scenario_load_bad_file_located)
{
	const struct bad_case *bc = &bad_cases[_i];
	struct scenario	sc;
	struct diag	d;
	char		path[1024], want[256], msg[1024];

	snprintf(want, sizeof(want), "bad/%s.yaml", bc->name);
	data_path(path, sizeof(path), want);
	memset(&sc, 0xa5, sizeof(sc));
	ck_assert_int_eq(scenario_load(path, NULL, &sc, &d), -1);
	diag_str(&d, msg, sizeof(msg));
	if (bc->file != NULL)
		snprintf(want, sizeof(want), "bad/%s", bc->file);
	ck_assert_msg(ends_with(d.file, want), "%s: error in '%s', want %s",
	    bc->name, d.file, want);
	ck_assert_msg(d.line == bc->line && d.col == bc->col,
	    "%s: at %u:%u, want %u:%u (%s)", bc->name, d.line, d.col,
	    bc->line, bc->col, msg);
	ck_assert_msg(strstr(d.msg, bc->msg) != NULL,
	    "%s: message '%s' lacks '%s'", bc->name, d.msg, bc->msg);
	/* The rendered form is clickable: file:line:col: message. */
	snprintf(want, sizeof(want), ":%u:%u: ", bc->line, bc->col);
	ck_assert_ptr_nonnull(strstr(msg, want));
	/* Nothing is left behind. */
	ck_assert_ptr_null(sc.arena);
	ck_assert_ptr_null(sc.steps);
	ck_assert_uint_eq(sc.nsteps, 0);
}
END_TEST

/* The cycle error shows the whole chain, outermost file first. */
START_TEST(test_scenario_load_include_cycle_chain)
{
	struct scenario	sc;
	struct diag	d;
	char		path[1024];
	const char	*a, *b, *a2;

	data_path(path, sizeof(path), "bad/include-cycle.yaml");
	ck_assert_int_eq(scenario_load(path, NULL, &sc, &d), -1);
	ck_assert_ptr_nonnull(strstr(d.msg, "include cycle: "));
	ck_assert_ptr_nonnull(strstr(d.msg, "bad/include-cycle.yaml -> "));
	a = strstr(d.msg, "frag/cycle-a.yaml -> ");
	b = strstr(d.msg, "frag/cycle-b.yaml -> ");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_msg(a < b, "cycle-a must come before cycle-b: %s", d.msg);
	a2 = strstr(b, "frag/cycle-a.yaml");
	ck_assert_ptr_nonnull(a2);
	ck_assert_uint_eq(strlen(a2), strlen("frag/cycle-a.yaml"));
}
END_TEST

START_TEST(test_scenario_load_missing_file)
{
	struct scenario	sc;
	struct diag	d;
	char		msg[1024];

	ck_assert_int_eq(scenario_load("/nonexistent/x.yaml", NULL, &sc, &d),
	    -1);
	diag_str(&d, msg, sizeof(msg));
	ck_assert_str_eq(d.file, "/nonexistent/x.yaml");
	ck_assert_ptr_nonnull(strstr(msg, "cannot open"));
	ck_assert_ptr_null(sc.arena);
}
END_TEST

START_TEST(test_scenario_load_minimal)
{
	struct scenario	sc;
	const struct step *st;

	load_good("good/minimal.yaml", &sc);
	ck_assert_str_eq(sc.id, "test/minimal");
	ck_assert_str_eq(sc.title, "the least a scenario needs");
	ck_assert_str_eq(sc.spec, "VFIO_USER_DEVICE_RESET");
	ck_assert_uint_eq(sc.nrequirements, 1);
	ck_assert_str_eq(sc.requirements[0], "message.well-formed");
	ck_assert_int_eq(sc.level, LEVEL_MUST);
	ck_assert_int_eq(sc.role, ROLE_CLIENT);
	ck_assert_uint_eq(sc.ntags, 0);
	ck_assert_uint_eq(sc.requires, 0);
	ck_assert_ptr_null(sc.profile);
	ck_assert_uint_eq(sc.timeout_ms, 0);	/* not given: the runner's default */
	ck_assert_uint_eq(sc.nsteps, 2);
	ck_assert_uint_eq(sc.reconnects, 0);
	st = &sc.steps[0];
	ck_assert_int_eq(st->kind, STEP_SEND);
	ck_assert_uint_eq(st->pos.line, 8);
	ck_assert_uint_eq(st->pos.col, 5);
	ck_assert_ptr_null(st->included_at);
	ck_assert_uint_eq(st->u.send.desc->command, VFIO_USER_DEVICE_RESET);
	ck_assert_int_eq(st->u.send.desc->reply, 0);
	ck_assert_uint_eq(st->u.send.nfields, 0);
	ck_assert_uint_eq(st->u.send.nfds, 0);
	st = &sc.steps[1];
	ck_assert_int_eq(st->kind, STEP_EXPECT);
	ck_assert_int_eq(st->u.expect.kind, EXPECT_REPLY);
	ck_assert_ptr_eq(st->u.expect.to, &sc.steps[0]);
	ck_assert_uint_eq(st->u.expect.nalts, 1);
	ck_assert_int_eq(st->u.expect.alts[0].status, REPLY_OK);
	ck_assert_int_eq(st->u.expect.alts[0].desc->reply, 1);
	ck_assert_uint_eq(st->u.expect.alts[0].desc->command,
	    VFIO_USER_DEVICE_RESET);
	scenario_free(&sc);
	ck_assert_ptr_null(sc.arena);
	scenario_free(&sc);
}
END_TEST

static const struct field_set *
fset(const struct field_set *fs, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(fs[i].name, name) == 0)
			return (&fs[i]);
	ck_abort_msg("no field '%s'", name);
	abort();
}

static const struct field_match *
fmatch(const struct field_match *fm, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(fm[i].name, name) == 0)
			return (&fm[i]);
	ck_abort_msg("no field '%s'", name);
	abort();
}

START_TEST(test_scenario_load_full_header)
{
	struct scenario	sc;

	load_good("good/full.yaml", &sc);
	ck_assert_str_eq(sc.id, "test/full");
	ck_assert_uint_eq(sc.nrequirements, 2);
	ck_assert_str_eq(sc.requirements[1], "reply.no-payload");
	ck_assert_str_eq(sc.description, "a long description");
	ck_assert_int_eq(sc.level, LEVEL_SHOULD);
	ck_assert_uint_eq(sc.ntags, 2);
	ck_assert_str_eq(sc.tags[1], "smoke");
	ck_assert_uint_eq(sc.requires, SCN_REQ_MIGRATION | SCN_REQ_TWIN_SOCKET);
	ck_assert_str_eq(sc.profile, "pci-basic");
	ck_assert_uint_eq(sc.timeout_ms, 2000);
	ck_assert_int_eq(sc.serve_dma, 1);
	ck_assert_uint_eq(sc.nvars, 2);
	ck_assert_str_eq(sc.vars[0].name, "base");
	ck_assert_int_eq(sc.vars[0].v.kind, VALUE_INT);
	ck_assert_uint_eq(sc.vars[0].v.u, 0x100000);
	ck_assert_int_eq(sc.vars[1].v.kind, VALUE_BYTES);
	ck_assert_uint_eq(sc.vars[1].v.len, 4);
	ck_assert_mem_eq(sc.vars[1].v.bytes, "\xde\xad\xbe\xef", 4);
	/* 2 from hello.yaml, 21 of its own, 1 from extra.yaml */
	ck_assert_uint_eq(sc.nsteps, 24);
	scenario_free(&sc);
}
END_TEST

START_TEST(test_scenario_load_full_include)
{
	struct scenario	sc;
	const struct step *st;

	load_good("good/full.yaml", &sc);
	st = &sc.steps[0];
	ck_assert_int_eq(st->kind, STEP_SEND);
	ck_assert_ptr_nonnull(strstr(st->pos.file, "common/hello.yaml"));
	ck_assert_uint_eq(st->pos.line, 4);
	ck_assert_ptr_nonnull(st->included_at);
	ck_assert_ptr_nonnull(strstr(st->included_at->pos.file,
	    "good/full.yaml"));
	ck_assert_uint_eq(st->included_at->pos.line, 18);
	ck_assert_uint_eq(st->included_at->pos.col, 14);
	ck_assert_ptr_null(st->included_at->parent);
	ck_assert_uint_eq(st->u.send.desc->command, VFIO_USER_VERSION);
	/* VERSION data written as YAML becomes JSON text. */
	ck_assert_int_eq(fset(st->u.send.fields, st->u.send.nfields,
	    "data")->v.kind, VALUE_STRING);
	ck_assert_str_eq(fset(st->u.send.fields, st->u.send.nfields,
	    "data")->v.str, "{\"capabilities\":{\"max_msg_fds\":8}}");
	st = &sc.steps[1];
	ck_assert_int_eq(st->kind, STEP_EXPECT);
	ck_assert_ptr_eq(st->u.expect.to, &sc.steps[0]);
	ck_assert_uint_eq(st->u.expect.alts[0].ncaps, 1);
	ck_assert_str_eq(st->u.expect.alts[0].caps[0].var, "server_caps");
	/* extra.yaml came from the search directory */
	st = &sc.steps[15];
	ck_assert_str_eq(st->label, "reset_from_search");
	ck_assert_ptr_nonnull(strstr(st->pos.file, "search/extra.yaml"));
	scenario_free(&sc);
}
END_TEST

START_TEST(test_scenario_load_full_send)
{
	struct scenario	sc;
	const struct step *st;
	const struct field_set *f;
	const struct step_send *s;

	load_good("good/full.yaml", &sc);
	st = &sc.steps[2];
	s = &st->u.send;
	ck_assert_str_eq(st->label, "map1");
	ck_assert_uint_eq(st->pos.line, 19);
	ck_assert_uint_eq(st->pos.col, 5);
	ck_assert_uint_eq(s->desc->command, VFIO_USER_DMA_MAP);
	ck_assert_uint_eq(s->nfields, 3);
	f = fset(s->fields, s->nfields, "flags");
	ck_assert_int_eq(f->v.kind, VALUE_INT);
	ck_assert_uint_eq(f->v.u, VFIO_USER_F_DMA_REGION_READ |
	    VFIO_USER_F_DMA_REGION_WRITE);
	ck_assert_uint_eq(f->pos.line, 21);
	ck_assert_uint_eq(f->v.pos.col, 12);
	f = fset(s->fields, s->nfields, "address");
	ck_assert_int_eq(f->v.kind, VALUE_VAR);
	ck_assert_str_eq(f->v.var, "base");
	ck_assert_int_eq(f->v.addend, 0);
	ck_assert_uint_eq(s->nfds, 1);
	ck_assert_int_eq(s->fds[0].kind, FD_MEMFD);
	ck_assert_uint_eq(s->fds[0].size, 0x1000);
	ck_assert_int_eq(s->fds[0].content.kind, VALUE_BYTES);
	ck_assert_uint_eq(s->fds[0].content.len, 16);
	ck_assert_uint_eq(s->fds[0].content.bytes[15], 0xa5);
	ck_assert_str_eq(s->fds[0].name, "mem");
	ck_assert_uint_eq(sc.steps[3].u.expect.within_ms, 100);

	s = &sc.steps[4].u.send;
	f = fset(s->fields, s->nfields, "address");
	ck_assert_int_eq(f->v.kind, VALUE_VAR);
	ck_assert_int_eq(f->v.addend, 0x800);
	ck_assert_uint_eq(s->nhdr, 4);
	ck_assert_uint_eq(fset(s->hdr, s->nhdr, "msg_id")->v.u, 7);
	ck_assert_uint_eq(fset(s->hdr, s->nhdr, "msg_size")->v.u, 12);
	ck_assert_uint_eq(fset(s->hdr, s->nhdr, "command")->v.u,
	    VFIO_USER_DMA_UNMAP);
	ck_assert_uint_eq(fset(s->hdr, s->nhdr, "error")->v.u, EINVAL);
	ck_assert_uint_eq(s->nfds, 5);
	ck_assert_int_eq(s->fds[0].kind, FD_EVENTFD);
	ck_assert_str_eq(s->fds[0].name, "irq0");
	ck_assert_int_eq(s->fds[1].kind, FD_SOCKET);
	ck_assert_int_eq(s->fds[2].kind, FD_PIPE);
	ck_assert_int_eq(s->fds[3].kind, FD_REF);
	ck_assert_str_eq(s->fds[3].ref, "mem");
	ck_assert_int_eq(s->fds[4].kind, FD_FILE);
	ck_assert_uint_eq(s->fds[4].size, 8);
	ck_assert_int_eq(s->fds[4].content.kind, VALUE_NONE);
	/* no_reply: false keeps it a request that waits for its reply */
	ck_assert_int_eq(sc.steps[7].u.send.no_reply, 0);
	scenario_free(&sc);
}
END_TEST

START_TEST(test_scenario_load_full_expect)
{
	struct scenario	sc;
	const struct step_expect *e;
	const struct expect_msg *em;
	const struct field_match *m;

	load_good("good/full.yaml", &sc);
	e = &sc.steps[5].u.expect;
	ck_assert_ptr_eq(e->to, &sc.steps[4]);
	em = &e->alts[0];
	ck_assert_int_eq(em->status, REPLY_ERROR);
	ck_assert_uint_eq(em->nerrnos, 2);
	ck_assert_int_eq(em->errnos[0], EEXIST);
	ck_assert_int_eq(em->errnos[1], EINVAL);
	ck_assert_uint_eq(em->nhdr, 1);
	ck_assert_int_eq(em->hdr[0].m.kind, MATCH_EXACT);
	ck_assert_uint_eq(em->hdr[0].m.v.u, 7);

	/* to: info answers step 6, not the oldest pending */
	e = &sc.steps[8].u.expect;
	ck_assert_ptr_eq(e->to, &sc.steps[6]);
	em = &e->alts[0];
	ck_assert_uint_eq(em->desc->command, VFIO_USER_DEVICE_GET_INFO);
	ck_assert_int_eq(em->desc->reply, 1);
	m = fmatch(em->fields, em->nfields, "argsz");
	ck_assert_int_eq(m->m.kind, MATCH_RANGE);
	ck_assert_uint_eq(m->m.lo.u, 16);
	ck_assert_uint_eq(m->m.hi.u, 0x20);
	m = fmatch(em->fields, em->nfields, "flags");
	ck_assert_int_eq(m->m.kind, MATCH_MASK);
	ck_assert_uint_eq(m->m.mask.u, VFIO_DEVICE_FLAGS_PCI);
	ck_assert_uint_eq(m->m.v.u, VFIO_DEVICE_FLAGS_PCI);
	m = fmatch(em->fields, em->nfields, "num_regions");
	ck_assert_int_eq(m->m.kind, MATCH_ANY_OF);
	ck_assert_uint_eq(m->m.nalts, 2);
	ck_assert_int_eq(m->m.alts[0].kind, MATCH_EXACT);
	ck_assert_uint_eq(m->m.alts[0].v.u, 9);
	ck_assert_int_eq(m->m.alts[1].kind, MATCH_RANGE);
	ck_assert_uint_eq(m->m.alts[1].hi.u, 12);
	m = fmatch(em->fields, em->nfields, "num_irqs");
	ck_assert_int_eq(m->m.kind, MATCH_PRESENT);
	ck_assert_int_eq(em->has_fd_count, 1);
	ck_assert_uint_eq(em->fd_count.v.u, 0);
	ck_assert_uint_eq(em->ncaps, 2);
	ck_assert_str_eq(em->caps[0].var, "nregions");
	ck_assert_int_eq(em->caps[0].header, 0);
	ck_assert_str_eq(em->caps[1].name, "msg_id");
	ck_assert_int_eq(em->caps[1].header, 1);

	/* one_of answers the remaining DEVICE_GET_INFO (step 7) */
	e = &sc.steps[9].u.expect;
	ck_assert_ptr_eq(e->to, &sc.steps[7]);
	ck_assert_uint_eq(e->nalts, 2);
	m = fmatch(e->alts[0].fields, e->alts[0].nfields, "num_irqs");
	ck_assert_int_eq(m->m.v.kind, VALUE_VAR);
	ck_assert_str_eq(m->m.v.var, "nregions");
	ck_assert_int_eq(m->m.v.addend, -4);
	ck_assert_int_eq(e->alts[1].status, REPLY_ERROR);
	ck_assert_int_eq(e->alts[1].errnos[0], ENOTSUP);

	/* data equal to what step 10 wrote; count must be absent */
	e = &sc.steps[13].u.expect;
	m = fmatch(e->alts[0].fields, e->alts[0].nfields, "data");
	ck_assert_int_eq(m->m.v.kind, VALUE_SAME_AS);
	ck_assert_ptr_eq(m->m.v.ref, &sc.steps[10]);
	m = fmatch(e->alts[0].fields, e->alts[0].nfields, "count");
	ck_assert_int_eq(m->m.kind, MATCH_ABSENT);
	scenario_free(&sc);
}
END_TEST

START_TEST(test_scenario_load_full_other_steps)
{
	struct scenario	sc;
	const struct step *st;
	const struct field_set *f;

	load_good("good/full.yaml", &sc);
	st = &sc.steps[11];
	ck_assert_int_eq(st->u.expect.alts[0].status, REPLY_OK);
	st = &sc.steps[14];
	ck_assert_int_eq(st->kind, STEP_REPEAT);
	ck_assert_uint_eq(st->u.repeat.count, 3);
	ck_assert_str_eq(st->u.repeat.var, "i");
	ck_assert_uint_eq(st->u.repeat.nsteps, 2);
	ck_assert_int_eq(st->u.repeat.steps[1].u.expect.alts[0].status,
	    REPLY_ANY);
	ck_assert_ptr_eq(st->u.repeat.steps[1].u.expect.to,
	    &st->u.repeat.steps[0]);
	st = &sc.steps[16];
	ck_assert_int_eq(st->kind, STEP_SEND);
	ck_assert_ptr_null(st->u.send.desc);
	ck_assert_int_eq(st->u.send.raw.kind, VALUE_BYTES);
	ck_assert_uint_eq(st->u.send.raw.len, 16);
	ck_assert_mem_eq(st->u.send.raw.bytes, "\x01\x00\x00\x00\x10", 5);
	ck_assert_uint_eq(st->u.send.nfds, 1);
	st = &sc.steps[17];
	ck_assert_ptr_null(st->u.expect.to);
	ck_assert_uint_eq(st->u.expect.alts[0].desc->command,
	    VFIO_USER_VERSION);
	ck_assert_uint_eq(st->u.expect.alts[0].nfd_kinds, 1);
	ck_assert_int_eq(st->u.expect.alts[0].fd_kinds[0], FD_ANY);
	ck_assert_str_eq(st->u.expect.alts[0].fd_names[0], "rx0");
	st = &sc.steps[18];
	ck_assert_int_eq(st->kind, STEP_SERVE);
	ck_assert_uint_eq(st->u.serve.desc->command, VFIO_USER_DMA_READ);
	ck_assert_uint_eq(st->u.serve.count, 2);
	ck_assert_int_eq(st->u.serve.check_window, 0);
	ck_assert_uint_eq(st->u.serve.nfields, 1);
	st = &sc.steps[19];
	ck_assert_int_eq(st->u.expect.kind, EXPECT_IRQ);
	ck_assert_str_eq(st->u.expect.irq_fd, "irq0");
	ck_assert_uint_eq(st->u.expect.within_ms, 500);
	st = &sc.steps[20];
	f = fset(st->u.send.fields, st->u.send.nfields, "flags");
	ck_assert_uint_eq(f->v.u, VFIO_IRQ_SET_DATA_EVENTFD |
	    VFIO_IRQ_SET_ACTION_TRIGGER);
	f = fset(st->u.send.fields, st->u.send.nfields, "index");
	ck_assert_uint_eq(f->v.u, VFIO_PCI_MSIX_IRQ_INDEX);
	st = &sc.steps[21];
	ck_assert_int_eq(st->u.expect.kind, EXPECT_SILENCE);
	ck_assert_uint_eq(st->u.expect.within_ms, 200);
	st = &sc.steps[22];
	f = fset(st->u.send.fields, st->u.send.nfields, "wrs");
	ck_assert_int_eq(f->v.kind, VALUE_RECORDS);
	ck_assert_uint_eq(f->v.nrecs, 2);
	ck_assert_uint_eq(f->v.recs[0].nfields, 4);
	ck_assert_int_eq(fset(f->v.recs[1].fields, f->v.recs[1].nfields,
	    "data")->v.kind, VALUE_VAR);
	ck_assert_int_eq(sc.steps[sc.nsteps - 1].u.expect.kind, EXPECT_CLOSE);
	scenario_free(&sc);
}
END_TEST

START_TEST(test_scenario_load_reconnect)
{
	struct scenario	sc;
	const struct step *st, *body;

	load_good("good/reconnect.yaml", &sc);
	ck_assert_uint_eq(sc.nsteps, 8);
	/* one at the top, one in the repeat body: counted where written */
	ck_assert_uint_eq(sc.reconnects, 2);
	st = &sc.steps[2];
	ck_assert_int_eq(st->kind, STEP_RECONNECT);
	ck_assert_uint_eq(st->u.reconnect.within_ms, 0);
	ck_assert_uint_eq(st->pos.line, 17);
	ck_assert_uint_eq(st->pos.col, 5);
	/* the reply after the reconnect answers the send after it */
	ck_assert_ptr_eq(sc.steps[4].u.expect.to, &sc.steps[3]);
	st = &sc.steps[5];
	ck_assert_int_eq(st->u.expect.kind, EXPECT_IRQ);
	ck_assert_int_eq(st->u.expect.irq_quiet, 1);
	ck_assert_uint_eq(st->u.expect.within_ms, 300);
	st = &sc.steps[6];
	ck_assert_int_eq(st->u.expect.kind, EXPECT_IRQ);
	ck_assert_int_eq(st->u.expect.irq_quiet, 0);
	ck_assert_uint_eq(st->u.expect.within_ms, 0);
	st = &sc.steps[7];
	ck_assert_int_eq(st->kind, STEP_REPEAT);
	body = &st->u.repeat.steps[0];
	ck_assert_int_eq(body->kind, STEP_RECONNECT);
	ck_assert_uint_eq(body->u.reconnect.within_ms, 2500);
	ck_assert_str_eq(body->label, "again");
	ck_assert_str_eq(scenario_step_kind_name(body->kind), "reconnect");
	scenario_free(&sc);
}
END_TEST

START_TEST(test_scenario_load_server_role)
{
	struct scenario	sc;
	const struct step *st;

	load_good("good/server-role.yaml", &sc);
	ck_assert_int_eq(sc.role, ROLE_SERVER);
	ck_assert_int_eq(sc.level, LEVEL_MAY);
	st = &sc.steps[0];
	ck_assert_int_eq(st->u.expect.kind, EXPECT_REQUEST);
	ck_assert_int_eq(st->u.expect.alts[0].desc->reply, 0);
	st = &sc.steps[1];
	ck_assert_int_eq(st->u.send.reply, 1);
	ck_assert_int_eq(st->u.send.desc->reply, 1);
	ck_assert_str_eq(fset(st->u.send.fields, st->u.send.nfields,
	    "data")->v.str, "{\"capabilities\":{\"max_msg_fds\":1}}");
	st = &sc.steps[2];
	ck_assert_uint_eq(st->u.expect.alts[0].fd_kinds[0], FD_MEMFD);
	st = &sc.steps[3];
	ck_assert_int_eq(st->u.send.is_error, 1);
	ck_assert_uint_eq(st->u.send.err, ENOSPC);
	st = &sc.steps[4];
	ck_assert_int_eq(st->u.expect.kind, EXPECT_CLOSE);
	ck_assert_uint_eq(st->u.expect.within_ms, 1000);
	scenario_free(&sc);
}
END_TEST

START_TEST(test_scenario_errno_names)
{
	ck_assert_int_eq(scenario_errno_value("EEXIST"), EEXIST);
	ck_assert_int_eq(scenario_errno_value("ENOTSUP"), ENOTSUP);
	ck_assert_int_eq(scenario_errno_value("EXYZ"), -1);
	ck_assert_int_eq(scenario_errno_value("eexist"), -1);
	ck_assert_str_eq(scenario_errno_name(EINVAL), "EINVAL");
	ck_assert_str_eq(scenario_errno_name(ENOTSUP), "ENOTSUP");
	ck_assert_ptr_null(scenario_errno_name(-5));
}
END_TEST

START_TEST(test_scenario_names)
{
	ck_assert_str_eq(scenario_step_kind_name(STEP_SERVE), "serve");
	ck_assert_str_eq(scenario_level_name(LEVEL_SHOULD), "should");
	ck_assert_str_eq(scenario_role_name(ROLE_SERVER), "server");
	ck_assert_str_eq(scenario_fd_kind_name(FD_EVENTFD), "eventfd");
}
END_TEST

/* The scenarios shipped in scenarios/ load (they use common/ includes). */
static const char *const examples[] = {
	"scenarios/server/version/negotiate-ok.yaml",
	"scenarios/server/dma/map-overlap-rejected.yaml",
	"scenarios/server/dma/unmap-unknown-rejected.yaml",
	"scenarios/server/region/write-read-back.yaml",
	"scenarios/server/irq/msix-trigger-eventfd.yaml",
	"scenarios/server/header/bad-msg-size-closes-or-errors.yaml",
	"scenarios/server/disconnect/release-dma.yaml",
	"scenarios/server/disconnect/release-irqs.yaml",
	"scenarios/server/disconnect/keep-state.yaml",
};

#define NEXAMPLES	(sizeof(examples) / sizeof(examples[0]))

START_TEST(test_scenario_load_examples)
{
	struct scenario	sc;
	struct diag	d;
	char		path[1024], msg[1024];

	snprintf(path, sizeof(path), "%s/%s", srcdir(), examples[_i]);
	ck_assert_msg(scenario_load(path, NULL, &sc, &d) == 0, "%s",
	    diag_str(&d, msg, sizeof(msg)));
	ck_assert_uint_gt(sc.nsteps, 0);
	ck_assert_ptr_nonnull(sc.id);
	scenario_free(&sc);
}
END_TEST

static Suite *
scenario_suite(void)
{
	Suite	*s = suite_create("scenario");
	TCase	*tc;

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, test_scenario_load_bad_file_located, 0, NBAD);
	tcase_add_test(tc, test_scenario_load_missing_file);
	tcase_add_test(tc, test_scenario_load_include_cycle_chain);
	suite_add_tcase(s, tc);

	tc = tcase_create("model");
	tcase_add_test(tc, test_scenario_load_minimal);
	tcase_add_test(tc, test_scenario_load_full_header);
	tcase_add_test(tc, test_scenario_load_full_include);
	tcase_add_test(tc, test_scenario_load_full_send);
	tcase_add_test(tc, test_scenario_load_full_expect);
	tcase_add_test(tc, test_scenario_load_full_other_steps);
	tcase_add_test(tc, test_scenario_load_server_role);
	tcase_add_test(tc, test_scenario_load_reconnect);
	tcase_add_loop_test(tc, test_scenario_load_examples, 0, NEXAMPLES);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_test(tc, test_scenario_errno_names);
	tcase_add_test(tc, test_scenario_names);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(scenario_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
