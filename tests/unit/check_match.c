/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_match: the matcher against messages built with the codec: every
 * match kind (exact, mask, range, any_of, absent, present, bytes, same_as,
 * JSON, array records), variables and captures, errno any-of, fd count and
 * kinds, each met and not met, with what the mismatch says.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "codec.h"
#include "diag.h"
#include "match.h"
#include "result.h"
#include "scenario.h"

/* A message encoded by the codec, as the matcher gets it. */
struct msgbuf {
	struct wbuf	 wb;
	struct vfu_msg	 dec;
	struct match_msg in;
};

static void
msgbuf_finish(struct msgbuf *mb, const struct vfu_msg *m)
{
	struct diag	d;

	wbuf_init(&mb->wb, 1 << 20);
	ck_assert_int_eq(vfu_msg_encode(m, &mb->wb, VFU_ENC_AUTO_SIZE, &d), 0);
	ck_assert_int_eq(vfu_msg_decode(mb->wb.p, mb->wb.len, &mb->dec, &d),
	    0);
	memset(&mb->in, 0, sizeof(mb->in));
	mb->in.buf = mb->wb.p;
	mb->in.len = mb->wb.len;
	mb->in.msg = &mb->dec;
}

static void
msgbuf_free(struct msgbuf *mb)
{
	vfu_msg_release(&mb->dec);
	wbuf_free(&mb->wb);
}

/* DEVICE_GET_INFO reply: flags RESET|PCI, 10 regions, 5 irqs. */
static void
info_reply(struct msgbuf *mb)
{
	struct vfu_msg	m;

	vfu_msg_init(&m, VFIO_USER_DEVICE_GET_INFO, 1, 7);
	m.u.device_info.flags = VFIO_DEVICE_FLAGS_RESET |
	    VFIO_DEVICE_FLAGS_PCI;
	m.u.device_info.num_regions = 10;
	m.u.device_info.num_irqs = 5;
	vfu_msg_autofill(&m);
	msgbuf_finish(mb, &m);
}

static const struct vfu_field *
info_field(const char *name)
{
	const struct vfu_msg_desc *md = vfu_msg_desc(VFIO_USER_DEVICE_GET_INFO,
	    1);
	const struct vfu_field *f = vfu_field_find(md->fields, md->nfields,
	    name);

	ck_assert_ptr_nonnull(f);
	return (f);
}

static struct value
vint(uint64_t u)
{
	struct value	v;

	memset(&v, 0, sizeof(v));
	v.kind = VALUE_INT;
	v.u = u;
	v.pos.file = "t.yaml";
	return (v);
}

static struct value
vvar(const char *name, int64_t addend)
{
	struct value	v;

	memset(&v, 0, sizeof(v));
	v.kind = VALUE_VAR;
	v.var = name;
	v.addend = addend;
	v.pos.file = "t.yaml";
	v.pos.line = 9;
	v.pos.col = 3;
	return (v);
}

static struct value
vbytes(const void *p, size_t len)
{
	struct value	v;

	memset(&v, 0, sizeof(v));
	v.kind = VALUE_BYTES;
	v.bytes = p;
	v.len = len;
	v.pos.file = "t.yaml";
	return (v);
}

static struct field_match
fm_make(const struct vfu_field *f, enum match_kind k, unsigned line)
{
	struct field_match fm;

	memset(&fm, 0, sizeof(fm));
	fm.name = f->name;
	fm.field = f;
	fm.pos.file = "t.yaml";
	fm.pos.line = line;
	fm.pos.col = 5;
	fm.m.kind = k;
	fm.m.pos = fm.pos;
	return (fm);
}

/* Runs match_fields over one field match; returns the mismatch count and
 * leaves the mismatches in *res. */
static int
run_fields(const struct field_match *fm, size_t n, struct msgbuf *mb,
    const struct match_vars *vars, struct scenario_result *res)
{
	struct match_env env = { vars, NULL, NULL };
	struct diag	 d;

	result_init(res, NULL);
	return (match_fields(fm, n, 0, "reply", &mb->in, &env, NULL, res, &d));
}

/* ---- integers ---------------------------------------------------------- */

START_TEST(test_match_fields_exact_met)
{
	struct msgbuf	mb;
	struct scenario_result res;
	struct field_match fm = fm_make(info_field("num_regions"), MATCH_EXACT,
	    3);

	info_reply(&mb);
	fm.m.v = vint(10);
	ck_assert_int_eq(run_fields(&fm, 1, &mb, NULL, &res), 0);
	ck_assert_uint_eq(res.nmismatches, 0);
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

START_TEST(test_match_fields_exact_not_met)
{
	struct msgbuf	mb;
	struct scenario_result res;
	struct field_match fm = fm_make(info_field("num_regions"), MATCH_EXACT,
	    3);

	info_reply(&mb);
	fm.m.v = vint(9);
	ck_assert_int_eq(run_fields(&fm, 1, &mb, NULL, &res), 1);
	ck_assert_uint_eq(res.nmismatches, 1);
	ck_assert_str_eq(res.mismatches[0].field, "reply.num_regions");
	ck_assert_str_eq(res.mismatches[0].expected, "9");
	ck_assert_str_eq(res.mismatches[0].actual, "10");
	ck_assert_uint_eq(res.mismatches[0].line, 3);
	ck_assert_uint_eq(res.mismatches[0].col, 5);
	/* the message is kept as evidence */
	ck_assert_uint_eq(res.mismatches[0].msg.len, mb.wb.len);
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

START_TEST(test_match_fields_flags_rendered_by_name)
{
	struct msgbuf	mb;
	struct scenario_result res;
	struct field_match fm = fm_make(info_field("flags"), MATCH_EXACT, 4);

	info_reply(&mb);
	fm.m.v = vint(VFIO_DEVICE_FLAGS_PCI);
	ck_assert_int_eq(run_fields(&fm, 1, &mb, NULL, &res), 1);
	ck_assert_str_eq(res.mismatches[0].expected, "VFIO_DEVICE_FLAGS_PCI");
	ck_assert_str_eq(res.mismatches[0].actual,
	    "VFIO_DEVICE_FLAGS_RESET|VFIO_DEVICE_FLAGS_PCI");
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

START_TEST(test_match_fields_mask_met)
{
	struct msgbuf	mb;
	struct scenario_result res;
	struct field_match fm = fm_make(info_field("flags"), MATCH_MASK, 4);

	info_reply(&mb);
	fm.m.mask = vint(VFIO_DEVICE_FLAGS_PCI);
	fm.m.v = vint(VFIO_DEVICE_FLAGS_PCI);
	ck_assert_int_eq(run_fields(&fm, 1, &mb, NULL, &res), 0);
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

START_TEST(test_match_fields_mask_not_met)
{
	struct msgbuf	mb;
	struct scenario_result res;
	struct field_match fm = fm_make(info_field("flags"), MATCH_MASK, 4);

	info_reply(&mb);
	fm.m.mask = vint(VFIO_DEVICE_FLAGS_RESET);
	fm.m.v = vint(0);
	ck_assert_int_eq(run_fields(&fm, 1, &mb, NULL, &res), 1);
	ck_assert_str_eq(res.mismatches[0].expected,
	    "0 under mask VFIO_DEVICE_FLAGS_RESET");
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

START_TEST(test_match_fields_range_met)
{
	struct msgbuf	mb;
	struct scenario_result res;
	struct field_match fm = fm_make(info_field("num_irqs"), MATCH_RANGE, 5);

	info_reply(&mb);
	fm.m.lo = vint(5);
	fm.m.hi = vint(5);
	ck_assert_int_eq(run_fields(&fm, 1, &mb, NULL, &res), 0);
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

START_TEST(test_match_fields_range_not_met)
{
	struct msgbuf	mb;
	struct scenario_result res;
	struct field_match fm = fm_make(info_field("num_irqs"), MATCH_RANGE, 5);

	info_reply(&mb);
	fm.m.lo = vint(6);
	fm.m.hi = vint(9);
	ck_assert_int_eq(run_fields(&fm, 1, &mb, NULL, &res), 1);
	ck_assert_str_eq(res.mismatches[0].expected, "in [6, 9]");
	ck_assert_str_eq(res.mismatches[0].actual, "5");
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

START_TEST(test_match_fields_any_of_met)
{
	struct msgbuf	mb;
	struct scenario_result res;
	struct field_match fm = fm_make(info_field("num_regions"),
	    MATCH_ANY_OF, 6);
	struct match	alts[2];

	info_reply(&mb);
	memset(alts, 0, sizeof(alts));
	alts[0].kind = MATCH_EXACT;
	alts[0].v = vint(9);
	alts[1].kind = MATCH_RANGE;
	alts[1].lo = vint(10);
	alts[1].hi = vint(12);
	fm.m.alts = alts;
	fm.m.nalts = 2;
	ck_assert_int_eq(run_fields(&fm, 1, &mb, NULL, &res), 0);
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

START_TEST(test_match_fields_any_of_not_met)
{
	struct msgbuf	mb;
	struct scenario_result res;
	struct field_match fm = fm_make(info_field("num_regions"),
	    MATCH_ANY_OF, 6);
	struct match	alts[2];

	info_reply(&mb);
	memset(alts, 0, sizeof(alts));
	alts[0].kind = MATCH_EXACT;
	alts[0].v = vint(9);
	alts[1].kind = MATCH_RANGE;
	alts[1].lo = vint(11);
	alts[1].hi = vint(12);
	fm.m.alts = alts;
	fm.m.nalts = 2;
	ck_assert_int_eq(run_fields(&fm, 1, &mb, NULL, &res), 1);
	ck_assert_str_eq(res.mismatches[0].expected, "any of 9 | in [11, 12]");
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

/* A REGION_WRITE reply has no data; a REGION_READ reply has. */
static void
read_reply(struct msgbuf *mb, const uint8_t *data, size_t len)
{
	struct vfu_msg	m;

	vfu_msg_init(&m, VFIO_USER_REGION_READ, 1, 3);
	m.u.region_access.region = 0;
	m.u.region_access.offset = 8;
	m.u.region_access.data = data;
	m.u.region_access.data_len = len;
	vfu_msg_autofill(&m);
	msgbuf_finish(mb, &m);
}

static const struct vfu_field *
read_field(const char *name)
{
	const struct vfu_msg_desc *md = vfu_msg_desc(VFIO_USER_REGION_READ, 1);

	return (vfu_field_find(md->fields, md->nfields, name));
}

START_TEST(test_match_fields_absent_met)
{
	struct msgbuf	mb;
	struct scenario_result res;
	struct field_match fm = fm_make(read_field("data"), MATCH_ABSENT, 7);

	read_reply(&mb, NULL, 0);
	ck_assert_int_eq(run_fields(&fm, 1, &mb, NULL, &res), 0);
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

START_TEST(test_match_fields_absent_not_met)
{
	static const uint8_t data[] = { 1, 2 };
	struct msgbuf	mb;
	struct scenario_result res;
	struct field_match fm = fm_make(read_field("data"), MATCH_ABSENT, 7);
	struct field_match fc = fm_make(read_field("count"), MATCH_ABSENT, 8);

	read_reply(&mb, data, sizeof(data));
	ck_assert_int_eq(run_fields(&fm, 1, &mb, NULL, &res), 1);
	ck_assert_str_eq(res.mismatches[0].expected, "absent");
	ck_assert_str_eq(res.mismatches[0].actual, "01 02");
	result_free(&res);
	/* a fixed field that is there */
	ck_assert_int_eq(run_fields(&fc, 1, &mb, NULL, &res), 1);
	ck_assert_str_eq(res.mismatches[0].actual, "2");
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

START_TEST(test_match_fields_present_met)
{
	static const uint8_t data[] = { 1 };
	struct msgbuf	mb;
	struct scenario_result res;
	struct field_match fm[2] = { fm_make(read_field("data"), MATCH_PRESENT,
	    7), fm_make(read_field("count"), MATCH_PRESENT, 8) };

	read_reply(&mb, data, sizeof(data));
	ck_assert_int_eq(run_fields(fm, 2, &mb, NULL, &res), 0);
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

START_TEST(test_match_fields_present_not_met)
{
	struct msgbuf	mb;
	struct scenario_result res;
	struct field_match fm = fm_make(info_field("num_irqs"), MATCH_PRESENT,
	    7);

	/* a 16-byte error reply has no payload at all */
	wbuf_init(&mb.wb, 64);
	ck_assert_int_eq(vfu_msg_encode_error(1, VFIO_USER_DEVICE_GET_INFO,
	    22, &mb.wb, NULL), 0);
	memset(&mb.in, 0, sizeof(mb.in));
	mb.in.buf = mb.wb.p;
	mb.in.len = mb.wb.len;
	ck_assert_int_eq(run_fields(&fm, 1, &mb, NULL, &res), 1);
	ck_assert_str_eq(res.mismatches[0].expected, "present (any value)");
	ck_assert_ptr_nonnull(strstr(res.mismatches[0].actual, "absent"));
	result_free(&res);
	wbuf_free(&mb.wb);
}
END_TEST

/* ---- bytes ------------------------------------------------------------- */

START_TEST(test_match_fields_bytes_met)
{
	static const uint8_t data[] = { 0xde, 0xad, 0xbe, 0xef };
	struct msgbuf	mb;
	struct scenario_result res;
	struct field_match fm = fm_make(read_field("data"), MATCH_EXACT, 7);

	read_reply(&mb, data, sizeof(data));
	fm.m.v = vbytes(data, sizeof(data));
	ck_assert_int_eq(run_fields(&fm, 1, &mb, NULL, &res), 0);
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

START_TEST(test_match_fields_bytes_not_met)
{
	static const uint8_t data[] = { 0xde, 0xad, 0xbe, 0xef };
	static const uint8_t want[] = { 0xde, 0xad };
	struct msgbuf	mb;
	struct scenario_result res;
	struct field_match fm = fm_make(read_field("data"), MATCH_EXACT, 7);

	read_reply(&mb, data, sizeof(data));
	fm.m.v = vbytes(want, sizeof(want));
	ck_assert_int_eq(run_fields(&fm, 1, &mb, NULL, &res), 1);
	ck_assert_str_eq(res.mismatches[0].expected, "de ad");
	ck_assert_str_eq(res.mismatches[0].actual, "de ad be ef");
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

/* same_as: what the step last sent. */
static const uint8_t sent_data[] = { 1, 2, 3, 4 };

static int
sent_fn(void *arg, const struct step *st, const uint8_t **p, size_t *len)
{
	if (st != arg)
		return (-1);
	*p = sent_data;
	*len = sizeof(sent_data);
	return (0);
}

START_TEST(test_match_fields_same_as)
{
	static const uint8_t other[] = { 1, 2, 3, 5 };
	struct step	 st;
	struct msgbuf	 mb;
	struct scenario_result res;
	struct field_match fm = fm_make(read_field("data"), MATCH_EXACT, 7);
	struct match_env env;
	struct diag	 d;

	memset(&st, 0, sizeof(st));
	memset(&fm.m.v, 0, sizeof(fm.m.v));
	fm.m.v.kind = VALUE_SAME_AS;
	fm.m.v.ref = &st;
	env.vars = NULL;
	env.sent = sent_fn;
	env.sent_arg = &st;
	read_reply(&mb, sent_data, sizeof(sent_data));
	result_init(&res, NULL);
	ck_assert_int_eq(match_fields(&fm, 1, 0, "reply", &mb.in, &env, NULL,
	    &res, &d), 0);
	msgbuf_free(&mb);
	read_reply(&mb, other, sizeof(other));
	ck_assert_int_eq(match_fields(&fm, 1, 0, "reply", &mb.in, &env, NULL,
	    &res, &d), 1);
	ck_assert_str_eq(res.mismatches[0].expected, "01 02 03 04");
	/* a step that sent nothing cannot be compared: a scenario error */
	env.sent_arg = NULL;
	ck_assert_int_eq(match_fields(&fm, 1, 0, "reply", &mb.in, &env, NULL,
	    &res, &d), -1);
	ck_assert_ptr_nonnull(strstr(d.msg, "same_as"));
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

START_TEST(test_match_format_bytes_cut)
{
	uint8_t	big[200];
	char	buf[64];

	memset(big, 0xab, sizeof(big));
	match_format_bytes(big, sizeof(big), buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "... (200 bytes)"));
	ck_assert_int_eq(strncmp(buf, "ab ab", 5), 0);
	match_format_bytes(big, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "(no bytes)");
}
END_TEST

/* ---- JSON -------------------------------------------------------------- */

static void
version_reply(struct msgbuf *mb, const char *json)
{
	struct vfu_msg	m;

	vfu_msg_init(&m, VFIO_USER_VERSION, 1, 1);
	m.u.version.data = (const uint8_t *)json;
	m.u.version.data_len = strlen(json) + 1;
	msgbuf_finish(mb, &m);
}

START_TEST(test_match_fields_json_contains)
{
	const struct vfu_msg_desc *md = vfu_msg_desc(VFIO_USER_VERSION, 1);
	struct field_match fm = fm_make(vfu_field_find(md->fields, md->nfields,
	    "data"), MATCH_EXACT, 9);
	struct msgbuf	mb;
	struct scenario_result res;
	const char	*want = "{\"capabilities\":{\"max_msg_fds\":16}}";

	version_reply(&mb, "{\"capabilities\":{\"max_msg_fds\":16,"
	    "\"pgsizes\":4096}}");
	memset(&fm.m.v, 0, sizeof(fm.m.v));
	fm.m.v.kind = VALUE_STRING;
	fm.m.v.str = want;
	fm.m.v.bytes = (const uint8_t *)want;
	fm.m.v.len = strlen(want);
	ck_assert_int_eq(run_fields(&fm, 1, &mb, NULL, &res), 0);
	result_free(&res);
	msgbuf_free(&mb);
	version_reply(&mb, "{\"capabilities\":{\"max_msg_fds\":1}}");
	ck_assert_int_eq(run_fields(&fm, 1, &mb, NULL, &res), 1);
	ck_assert_ptr_nonnull(strstr(res.mismatches[0].actual,
	    "\"max_msg_fds\":1"));
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

/* ---- arrays ------------------------------------------------------------ */

START_TEST(test_match_fields_records)
{
	const struct vfu_msg_desc *md = vfu_msg_desc(
	    VFIO_USER_REGION_WRITE_MULTI, 0);
	const struct vfu_field *wrs = vfu_field_find(md->fields, md->nfields,
	    "wrs");
	const struct vfu_struct_desc *ed = wrs->elem;
	struct vfu_write_multi_entry e[2];
	struct field_set fs[2];
	struct record	 rec;
	struct field_match fm = fm_make(wrs, MATCH_EXACT, 10);
	struct vfu_msg	 m;
	struct msgbuf	 mb;
	struct scenario_result res;
	static const uint8_t d4[] = { 0x11, 0x22, 0x33, 0x44 };

	memset(e, 0, sizeof(e));
	e[0].offset = 0;
	e[0].count = 4;
	memcpy(e[0].data, d4, 4);
	e[1].offset = 4;
	e[1].count = 1;
	vfu_msg_init(&m, VFIO_USER_REGION_WRITE_MULTI, 0, 2);
	m.u.write_multi.wrs = e;
	m.u.write_multi.nwrs = 2;
	vfu_msg_autofill(&m);
	msgbuf_finish(&mb, &m);

	memset(fs, 0, sizeof(fs));
	fs[0].field = vfu_field_find(ed->fields, ed->nfields, "count");
	fs[0].name = "count";
	fs[0].v = vint(4);
	fs[0].pos.line = 11;
	fs[1].field = vfu_field_find(ed->fields, ed->nfields, "data");
	fs[1].name = "data";
	fs[1].v = vbytes(d4, sizeof(d4));
	memset(&rec, 0, sizeof(rec));
	rec.fields = fs;
	rec.nfields = 2;
	fm.m.v.kind = VALUE_RECORDS;
	fm.m.v.recs = &rec;
	fm.m.v.nrecs = 1;
	/* one record for two elements: the count differs */
	ck_assert_int_eq(run_fields(&fm, 1, &mb, NULL, &res), 1);
	ck_assert_str_eq(res.mismatches[0].expected, "1 elements");
	ck_assert_str_eq(res.mismatches[0].actual, "2 elements");
	result_free(&res);
	/* the first element's fields are what the record says */
	fs[0].v = vint(5);
	ck_assert_int_eq(run_fields(&fm, 1, &mb, NULL, &res), 2);
	ck_assert_str_eq(res.mismatches[1].field, "reply.wrs[0].count");
	ck_assert_str_eq(res.mismatches[1].expected, "5");
	ck_assert_str_eq(res.mismatches[1].actual, "4");
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

/* ---- variables and captures -------------------------------------------- */

START_TEST(test_match_value_int_variables)
{
	struct match_vars vars;
	struct match_env env;
	struct value	 v = vvar("base", 0x10);
	struct diag	 d;
	uint64_t	 x;

	match_vars_init(&vars);
	env.vars = &vars;
	env.sent = NULL;
	env.sent_arg = NULL;
	ck_assert_int_eq(match_value_int(&v, &env, &x, &d), -1);
	ck_assert_uint_eq(d.line, 9);
	ck_assert_ptr_nonnull(strstr(d.msg, "$base"));
	ck_assert_int_eq(match_vars_set_int(&vars, "base", 0x1000), 0);
	ck_assert_int_eq(match_value_int(&v, &env, &x, &d), 0);
	ck_assert_uint_eq(x, 0x1010);
	v.addend = -0x20;
	ck_assert_int_eq(match_value_int(&v, &env, &x, &d), 0);
	ck_assert_uint_eq(x, 0xfe0);
	/* replaced, not added twice */
	ck_assert_int_eq(match_vars_set_int(&vars, "base", 1), 0);
	ck_assert_uint_eq(vars.n, 1);
	/* a bytes variable is no number */
	ck_assert_int_eq(match_vars_set_bytes(&vars, "blob", "ab", 2), 0);
	v = vvar("blob", 0);
	ck_assert_int_eq(match_value_int(&v, &env, &x, &d), -1);
	match_vars_free(&vars);
}
END_TEST

START_TEST(test_match_fields_variable_exact)
{
	struct msgbuf	 mb;
	struct scenario_result res;
	struct match_vars vars;
	struct field_match fm = fm_make(info_field("num_irqs"), MATCH_EXACT,
	    12);

	info_reply(&mb);
	match_vars_init(&vars);
	ck_assert_int_eq(match_vars_set_int(&vars, "n", 10), 0);
	fm.m.v = vvar("n", -5);
	ck_assert_int_eq(run_fields(&fm, 1, &mb, &vars, &res), 0);
	result_free(&res);
	fm.m.v = vvar("n", -4);
	ck_assert_int_eq(run_fields(&fm, 1, &mb, &vars, &res), 1);
	ck_assert_str_eq(res.mismatches[0].expected, "6");
	result_free(&res);
	/* wraps, then cut to the field's 4 bytes */
	ck_assert_int_eq(match_vars_set_int(&vars, "n", 0), 0);
	fm.m.v = vvar("n", -1);
	ck_assert_int_eq(run_fields(&fm, 1, &mb, &vars, &res), 1);
	ck_assert_str_eq(res.mismatches[0].expected, "0xffffffff");
	result_free(&res);
	match_vars_free(&vars);
	msgbuf_free(&mb);
}
END_TEST

START_TEST(test_match_captures_int_and_bytes)
{
	static const uint8_t data[] = { 9, 8, 7 };
	struct msgbuf	 mb;
	struct match_vars vars;
	struct capture	 caps[3];
	struct expect_msg em;
	const struct match_var *v;
	struct scenario_result res;

	read_reply(&mb, data, sizeof(data));
	memset(caps, 0, sizeof(caps));
	caps[0].var = "cnt";
	caps[0].field = read_field("count");
	caps[0].name = "count";
	caps[1].var = "id";
	caps[1].header = 1;
	caps[1].field = vfu_field_find(vfu_hdr_desc.fields,
	    vfu_hdr_desc.nfields, "msg_id");
	caps[1].name = "msg_id";
	caps[2].var = "blob";
	caps[2].field = read_field("data");
	caps[2].name = "data";
	memset(&em, 0, sizeof(em));
	em.caps = caps;
	em.ncaps = 3;
	match_vars_init(&vars);
	result_init(&res, NULL);
	ck_assert_int_eq(match_captures(&em, &mb.in, &vars, NULL, &res), 0);
	ck_assert_ptr_nonnull(v = match_vars_get(&vars, "cnt"));
	ck_assert_uint_eq(v->u, 3);
	ck_assert_ptr_nonnull(v = match_vars_get(&vars, "id"));
	ck_assert_uint_eq(v->u, 3);
	ck_assert_ptr_nonnull(v = match_vars_get(&vars, "blob"));
	ck_assert_int_eq(v->is_bytes, 1);
	ck_assert_uint_eq(v->len, 3);
	ck_assert_mem_eq(v->bytes, data, 3);
	msgbuf_free(&mb);
	/* without data the capture is a mismatch */
	read_reply(&mb, NULL, 0);
	ck_assert_int_eq(match_captures(&em, &mb.in, &vars, NULL, &res), 1);
	ck_assert_str_eq(res.mismatches[0].field, "capture $blob");
	result_free(&res);
	match_vars_free(&vars);
	msgbuf_free(&mb);
}
END_TEST

/* ---- status, errno, fds ------------------------------------------------ */

static int
run_expect(const struct expect_msg *em, struct msgbuf *mb,
    struct scenario_result *res)
{
	struct match_env env = { NULL, NULL, NULL };
	struct diag	 d;

	result_init(res, NULL);
	return (match_expect_msg(em, "reply", &mb->in, &env, NULL, res, &d));
}

static void
error_reply(struct msgbuf *mb, uint32_t err)
{
	wbuf_init(&mb->wb, 64);
	ck_assert_int_eq(vfu_msg_encode_error(4, VFIO_USER_DMA_MAP, err,
	    &mb->wb, NULL), 0);
	memset(&mb->in, 0, sizeof(mb->in));
	mb->in.buf = mb->wb.p;
	mb->in.len = mb->wb.len;
}

START_TEST(test_match_expect_msg_errno_any_of)
{
	static const int errs[] = { EEXIST, EINVAL };
	struct expect_msg em;
	struct msgbuf	 mb;
	struct scenario_result res;

	memset(&em, 0, sizeof(em));
	em.status = REPLY_ERROR;
	em.errnos = errs;
	em.nerrnos = 2;
	em.pos.line = 20;
	error_reply(&mb, EINVAL);
	ck_assert_int_eq(run_expect(&em, &mb, &res), 0);
	result_free(&res);
	wbuf_free(&mb.wb);
	error_reply(&mb, ENOENT);
	ck_assert_int_eq(run_expect(&em, &mb, &res), 1);
	ck_assert_str_eq(res.mismatches[0].field, "errno");
	ck_assert_str_eq(res.mismatches[0].expected,
	    "EEXIST (17) or EINVAL (22)");
	ck_assert_str_eq(res.mismatches[0].actual, "error ENOENT (2)");
	ck_assert_uint_eq(res.mismatches[0].line, 20);
	result_free(&res);
	/* ok expected, error came */
	em.status = REPLY_OK;
	ck_assert_int_eq(run_expect(&em, &mb, &res), 1);
	ck_assert_str_eq(res.mismatches[0].field, "status");
	result_free(&res);
	em.status = REPLY_ANY;
	ck_assert_int_eq(run_expect(&em, &mb, &res), 0);
	result_free(&res);
	wbuf_free(&mb.wb);
}
END_TEST

START_TEST(test_match_expect_msg_error_expected_ok_came)
{
	struct expect_msg em;
	struct msgbuf	 mb;
	struct scenario_result res;

	memset(&em, 0, sizeof(em));
	em.status = REPLY_ERROR;
	info_reply(&mb);
	ck_assert_int_eq(run_expect(&em, &mb, &res), 1);
	ck_assert_str_eq(res.mismatches[0].expected, "an error reply");
	ck_assert_str_eq(res.mismatches[0].actual, "ok");
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

START_TEST(test_match_expect_msg_fd_count_and_kinds)
{
	static const enum fd_kind got[] = { FD_EVENTFD, FD_MEMFD };
	static const enum fd_kind want[] = { FD_ANY, FD_MEMFD };
	static const enum fd_kind wrong[] = { FD_SOCKET, FD_MEMFD, FD_PIPE };
	struct expect_msg em;
	struct msgbuf	 mb;
	struct scenario_result res;

	info_reply(&mb);
	mb.in.nfds = 2;
	mb.in.fd_kinds = got;
	memset(&em, 0, sizeof(em));
	em.status = REPLY_OK;
	em.has_fd_count = 1;
	em.fd_count.kind = MATCH_EXACT;
	em.fd_count.v = vint(2);
	em.fd_kinds = want;
	em.nfd_kinds = 2;
	ck_assert_int_eq(run_expect(&em, &mb, &res), 0);
	result_free(&res);
	em.fd_count.v = vint(1);
	em.fd_kinds = wrong;
	em.nfd_kinds = 3;
	ck_assert_int_eq(run_expect(&em, &mb, &res), 3);
	ck_assert_str_eq(res.mismatches[0].field, "fds");
	ck_assert_str_eq(res.mismatches[0].expected, "1");
	ck_assert_str_eq(res.mismatches[0].actual, "2");
	ck_assert_str_eq(res.mismatches[1].field, "fds[0].kind");
	ck_assert_str_eq(res.mismatches[1].expected, "socket");
	ck_assert_str_eq(res.mismatches[1].actual, "eventfd");
	ck_assert_str_eq(res.mismatches[2].field, "fds[2].kind");
	ck_assert_str_eq(res.mismatches[2].actual, "no such fd");
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

START_TEST(test_match_expect_msg_header_fields)
{
	struct field_match hm;
	struct expect_msg em;
	struct msgbuf	 mb;
	struct scenario_result res;

	info_reply(&mb);
	hm = fm_make(vfu_field_find(vfu_hdr_desc.fields, vfu_hdr_desc.nfields,
	    "msg_id"), MATCH_EXACT, 30);
	hm.m.v = vint(7);
	memset(&em, 0, sizeof(em));
	em.status = REPLY_OK;
	em.hdr = &hm;
	em.nhdr = 1;
	ck_assert_int_eq(run_expect(&em, &mb, &res), 0);
	result_free(&res);
	hm.m.v = vint(8);
	ck_assert_int_eq(run_expect(&em, &mb, &res), 1);
	ck_assert_str_eq(res.mismatches[0].field, "header.msg_id");
	result_free(&res);
	msgbuf_free(&mb);
}
END_TEST

static Suite *
match_suite(void)
{
	Suite	*s = suite_create("match");
	TCase	*tc;

	tc = tcase_create("integers");
	tcase_add_test(tc, test_match_fields_exact_met);
	tcase_add_test(tc, test_match_fields_exact_not_met);
	tcase_add_test(tc, test_match_fields_flags_rendered_by_name);
	tcase_add_test(tc, test_match_fields_mask_met);
	tcase_add_test(tc, test_match_fields_mask_not_met);
	tcase_add_test(tc, test_match_fields_range_met);
	tcase_add_test(tc, test_match_fields_range_not_met);
	tcase_add_test(tc, test_match_fields_any_of_met);
	tcase_add_test(tc, test_match_fields_any_of_not_met);
	tcase_add_test(tc, test_match_fields_absent_met);
	tcase_add_test(tc, test_match_fields_absent_not_met);
	tcase_add_test(tc, test_match_fields_present_met);
	tcase_add_test(tc, test_match_fields_present_not_met);
	suite_add_tcase(s, tc);

	tc = tcase_create("bytes");
	tcase_add_test(tc, test_match_fields_bytes_met);
	tcase_add_test(tc, test_match_fields_bytes_not_met);
	tcase_add_test(tc, test_match_fields_same_as);
	tcase_add_test(tc, test_match_format_bytes_cut);
	tcase_add_test(tc, test_match_fields_json_contains);
	tcase_add_test(tc, test_match_fields_records);
	suite_add_tcase(s, tc);

	tc = tcase_create("variables");
	tcase_add_test(tc, test_match_value_int_variables);
	tcase_add_test(tc, test_match_fields_variable_exact);
	tcase_add_test(tc, test_match_captures_int_and_bytes);
	suite_add_tcase(s, tc);

	tc = tcase_create("messages");
	tcase_add_test(tc, test_match_expect_msg_errno_any_of);
	tcase_add_test(tc, test_match_expect_msg_error_expected_ok_came);
	tcase_add_test(tc, test_match_expect_msg_fd_count_and_kinds);
	tcase_add_test(tc, test_match_expect_msg_header_fields);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(match_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
