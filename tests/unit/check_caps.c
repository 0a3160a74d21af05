/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for caps: the VERSION capability JSON.  Every input is copied
 * into a malloc'd buffer of exactly its length, so that a read past len is
 * caught by valgrind or ASan.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "diag.h"

#define OFF_ANY	((size_t)-2)

/* QEMU 11.1.3's proposal, byte-exact (docs: peers/qemu-client.md section 4,
 * observed on the wire), without its NUL. */
static const char qemu_proposal[] =
    "{\"capabilities\": {\"pgsizes\": 4096, \"max_msg_fds\": 16, "
    "\"max_dma_maps\": 65535, \"max_data_xfer_size\": 1048576, "
    "\"migration\": {\"max_bitmap_size\": 268435456, \"pgsize\": 4096}, "
    "\"write_multiple\": true}}";

/* libvfio-user's VERSION reply (same document, section 10). */
static const char lvu_reply[] =
    "{\"capabilities\":{\"max_msg_fds\":8,\"max_data_xfer_size\":1048576}}";

/* Parses n bytes from an exact-size heap copy of p. */
static int
parse_exact(const void *p, size_t n, struct vfu_caps *c, struct diag *d)
{
	void	*copy;
	int	 rc;

	if (n == 0)
		return (caps_parse(NULL, 0, c, d));
	copy = malloc(n);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, p, n);
	rc = caps_parse(copy, n, c, d);
	free(copy);
	return (rc);
}

/* Parses the text s with its NUL, as it comes off the wire. */
static int
parse_str(const char *s, struct vfu_caps *c, struct diag *d)
{
	return (parse_exact(s, strlen(s) + 1, c, d));
}

/* Asserts a failed parse whose rendered diag holds field and want. */
static void
assert_error(int rc, const struct diag *d, const char *field,
    const char *want, size_t off)
{
	char	s[1024];

	diag_str(d, s, sizeof(s));
	ck_assert_msg(rc == -1, "accepted, wanted error '%s'", want);
	ck_assert_msg(strstr(s, want) != NULL, "'%s' lacks '%s'", s, want);
	ck_assert_str_eq(d->field, field);
	if (off != OFF_ANY)
		ck_assert_uint_eq(d->offset, off);
}

START_TEST(test_caps_parse_qemu_proposal)
{
	struct vfu_caps	c;
	struct diag	d;

	ck_assert_int_eq(parse_str(qemu_proposal, &c, &d), 0);
	ck_assert_uint_eq(c.have, VFU_CAP_HAVE_CAPABILITIES |
	    VFU_CAP_HAVE_PGSIZES | VFU_CAP_HAVE_MAX_MSG_FDS |
	    VFU_CAP_HAVE_MAX_DMA_MAPS | VFU_CAP_HAVE_MAX_DATA_XFER |
	    VFU_CAP_HAVE_MIGRATION | VFU_CAP_HAVE_WRITE_MULTIPLE);
	ck_assert_uint_eq(c.pgsizes, 4096);
	ck_assert_uint_eq(c.max_msg_fds, 16);
	ck_assert_uint_eq(c.max_dma_maps, 65535);
	ck_assert_uint_eq(c.max_data_xfer_size, 1048576);
	ck_assert(c.write_multiple);
	ck_assert(!c.twin_supported);
	ck_assert_uint_eq(c.nunknown, 1);
	ck_assert_str_eq(c.unknown[0], "capabilities.migration");
}
END_TEST

START_TEST(test_caps_parse_libvfio_user_reply)
{
	struct vfu_caps	c;
	struct diag	d;

	ck_assert_int_eq(parse_str(lvu_reply, &c, &d), 0);
	ck_assert_uint_eq(c.have, VFU_CAP_HAVE_CAPABILITIES |
	    VFU_CAP_HAVE_MAX_MSG_FDS | VFU_CAP_HAVE_MAX_DATA_XFER);
	ck_assert_uint_eq(c.max_msg_fds, 8);
	ck_assert_uint_eq(c.max_data_xfer_size, 1048576);
	/* Absent keys keep the spec's defaults. */
	ck_assert_uint_eq(c.max_dma_maps, 65535);
	ck_assert_uint_eq(c.pgsizes, 4096);
	ck_assert(!c.write_multiple);
	ck_assert_uint_eq(c.nunknown, 0);
}
END_TEST

START_TEST(test_caps_parse_no_data_gives_defaults)
{
	struct vfu_caps	c;
	struct diag	d;

	memset(&c, 0xa5, sizeof(c));
	ck_assert_int_eq(caps_parse(NULL, 0, &c, &d), 0);
	ck_assert_uint_eq(c.have, 0);
	ck_assert_uint_eq(c.max_msg_fds, 1);
	ck_assert_uint_eq(c.max_data_xfer_size, 1048576);
	ck_assert_uint_eq(c.max_dma_maps, 65535);
	ck_assert_uint_eq(c.pgsizes, 4096);
	ck_assert(!c.twin_supported);
	ck_assert(!c.write_multiple);
	ck_assert_uint_eq(c.nunknown, 0);

	memset(&c, 0xa5, sizeof(c));
	ck_assert_int_eq(parse_str(" {} \n", &c, &d), 0);
	ck_assert_uint_eq(c.have, 0);
	ck_assert_uint_eq(c.max_msg_fds, 1);
	ck_assert_uint_eq(c.nunknown, 0);
}
END_TEST

START_TEST(test_caps_parse_twin_socket_and_limits)
{
	struct vfu_caps	c;
	struct diag	d;

	ck_assert_int_eq(parse_str("{\"capabilities\":{\"twin_socket\":"
	    "{\"supported\":true,\"fd_index\":3},\"pgsizes\":"
	    "18446744073709551615,\"max_msg_fds\":0}}", &c, &d), 0);
	ck_assert_uint_eq(c.have, VFU_CAP_HAVE_CAPABILITIES |
	    VFU_CAP_HAVE_TWIN_SOCKET | VFU_CAP_HAVE_TWIN_SUPPORTED |
	    VFU_CAP_HAVE_TWIN_FD_INDEX | VFU_CAP_HAVE_PGSIZES |
	    VFU_CAP_HAVE_MAX_MSG_FDS);
	ck_assert(c.twin_supported);
	ck_assert_uint_eq(c.twin_fd_index, 3);
	ck_assert_uint_eq(c.pgsizes, UINT64_MAX);
	ck_assert_uint_eq(c.max_msg_fds, 0);

	/* An empty twin_socket object: present, supported defaults false. */
	ck_assert_int_eq(parse_str("{\"capabilities\":{\"twin_socket\":{}}}",
	    &c, &d), 0);
	ck_assert_uint_eq(c.have, VFU_CAP_HAVE_CAPABILITIES |
	    VFU_CAP_HAVE_TWIN_SOCKET);
	ck_assert(!c.twin_supported);
}
END_TEST

START_TEST(test_caps_parse_unknown_keys_recorded)
{
	struct vfu_caps	c;
	struct diag	d;
	char		json[2048];
	size_t		i, n;

	ck_assert_int_eq(parse_str("{\"x\":[1,{\"y\":null}],\"capabilities\":"
	    "{\"future\":{\"a\":1},\"twin_socket\":{\"colour\":\"red\","
	    "\"supported\":false}}}", &c, &d), 0);
	ck_assert_uint_eq(c.nunknown, 3);
	ck_assert_str_eq(c.unknown[0], "x");
	ck_assert_str_eq(c.unknown[1], "capabilities.future");
	ck_assert_str_eq(c.unknown[2], "capabilities.twin_socket.colour");
	ck_assert(c.have & VFU_CAP_HAVE_TWIN_SUPPORTED);
	ck_assert(!(c.have & VFU_CAP_HAVE_MIGRATION));

	/* More unknown keys than the array holds: all counted, the first
	 * ones kept, long names truncated but terminated. */
	n = (size_t)snprintf(json, sizeof(json), "{\"capabilities\":{");
	for (i = 0; i < VFU_CAPS_MAX_UNKNOWN + 4; i++)
		n += (size_t)snprintf(json + n, sizeof(json) - n,
		    "%s\"k%zu_%s\":%zu", i ? "," : "", i,
		    "a-rather-long-key-name-that-does-not-fit-in-the-array", i);
	snprintf(json + n, sizeof(json) - n, "}}");
	ck_assert_int_eq(parse_str(json, &c, &d), 0);
	ck_assert_uint_eq(c.nunknown, VFU_CAPS_MAX_UNKNOWN + 4);
	ck_assert_uint_eq(strlen(c.unknown[0]), sizeof(c.unknown[0]) - 1);
	ck_assert(strncmp(c.unknown[0], "capabilities.k0_a-rather", 24) == 0);
	ck_assert(strncmp(c.unknown[VFU_CAPS_MAX_UNKNOWN - 1],
	    "capabilities.k15_", 17) == 0);
}
END_TEST

/* The last byte of an exact-size buffer is not a NUL: parse must stop at
 * len (valgrind/ASan would flag a read past it). */
START_TEST(test_caps_parse_unterminated_stops_at_len)
{
	struct vfu_caps	c;
	struct diag	d;
	size_t		n = strlen(lvu_reply);
	int		rc;

	rc = parse_exact(lvu_reply, n, &c, &d);
	assert_error(rc, &d, "version data", "not NUL-terminated", n - 1);
	ck_assert_uint_eq(c.have, 0);
	ck_assert_uint_eq(c.max_msg_fds, 1);
}
END_TEST

/* Every proper prefix of QEMU's proposal fails cleanly, with or without a
 * NUL at the cut. */
START_TEST(test_caps_parse_truncated_fails)
{
	struct vfu_caps	c;
	struct diag	d;
	char		*p;
	size_t		n = (size_t)_i;

	ck_assert_int_eq(parse_exact(qemu_proposal, n, &c, &d), -1);
	ck_assert_str_eq(d.field, "version data");
	ck_assert_ptr_nonnull(strstr(d.msg, "not NUL-terminated"));

	p = malloc(n + 1);
	ck_assert_ptr_nonnull(p);
	memcpy(p, qemu_proposal, n);
	p[n] = '\0';
	ck_assert_int_eq(caps_parse(p, n + 1, &c, &d), -1);
	ck_assert_str_eq(d.field, "version data");
	ck_assert_ptr_nonnull(strstr(d.msg, "JSON"));
	free(p);
}
END_TEST

struct bad_input {
	const char	*in;
	size_t		 len;	/* 0: strlen(in) + 1, the NUL included */
	const char	*field;
	const char	*want;
	size_t		 off;
};

#define RAW(s)	s, sizeof(s) - 1

static const struct bad_input bad_inputs[] = {
	/* framing */
	{ RAW("{}"), "version data", "not NUL-terminated", 1 },
	{ RAW("{}\0{}\0"), "version data", "embedded NUL at byte 2", 2 },
	{ RAW("{}\0x"), "version data", "embedded NUL at byte 2", 2 },
	{ RAW("\0\0"), "version data", "embedded NUL at byte 0", 0 },
	{ RAW("\0"), "version data", "empty JSON", 0 },
	/* UTF-8 */
	{ "{\"a\":\"\xc0\x80\"}", 0, "version data", "invalid UTF-8 at byte "
	    "6: overlong", 6 },
	{ "{\"a\":\"\xe0\x80\xaf\"}", 0, "version data", "overlong", 6 },
	{ "{\"a\":\"\xed\xa0\x80\"}", 0, "version data", "surrogate", 6 },
	{ "{\"a\":\"\xf4\x90\x80\x80\"}", 0, "version data",
	    "beyond U+10FFFF", 6 },
	{ "{\"a\":\"\x80\"}", 0, "version data", "stray continuation", 6 },
	{ "{\"a\":\"\xe2\x82\"}", 0, "version data", "cut short", 6 },
	{ "{\"a\":\"\xff\"}", 0, "version data", "never occurs", 6 },
	{ "{\"a\xe2\":1}", 0, "version data", "invalid UTF-8 at byte 3", 3 },
	/* JSON syntax, with json-c's offset */
	{ "{\"capabilities\":}", 0, "version data", "invalid JSON at byte 16",
	    16 },
	{ "{\"capabilities\":{}", 0, "version data", "ends early", OFF_ANY },
	{ "{} x", 0, "version data", "invalid JSON at byte 3", 3 },
	{ "{\"a\":1,}", 0, "version data", "invalid JSON at byte 7", 7 },
	{ "{a:1}", 0, "version data", "invalid JSON at byte 1", 1 },
	{ "{\"a\":01}", 0, "version data", "invalid JSON", OFF_ANY },
	{ "{\"a\":/*c*/1}", 0, "version data", "invalid JSON at byte 5", 5 },
	/* JSON json-c accepts in strict mode but RFC 8259 does not */
	{ "{'a':1}", 0, "version data", "single-quoted", 1 },
	{ "{\"a\":NaN}", 0, "version data", "'NaN' is not a JSON value", 5 },
	{ "{\"a\":Infinity}", 0, "version data", "'Infinity'", 5 },
	{ "{\"a\":-Infinity}", 0, "version data", "malformed number "
	    "'-Infinity'", 5 },
	{ "{\"a\":1.}", 0, "version data", "malformed number '1.'", 5 },
	{ "{\"a\":1.e5}", 0, "version data", "malformed number", 5 },
	{ "{\"a\":-01}", 0, "version data", "malformed number '-01'", 5 },
	{ "{\"a\":00}", 0, "version data", "malformed number '00'", 5 },
	{ "{\"a\":\"x\ty\"}", 0, "version data", "unescaped control "
	    "character 0x09", 7 },
	/* top level */
	{ "[1]", 0, "version data", "top level is an array, not an object",
	    0 },
	{ " 5", 0, "version data", "top level is an integer", 1 },
	{ "\"x\"", 0, "version data", "top level is a string", 0 },
	{ "null", 0, "version data", "top level is null", 0 },
	/* capabilities and twin_socket containers */
	{ "{\"capabilities\":5}", 0, "capabilities",
	    "must be an object, got an integer", 16 },
	{ "{\"capabilities\": []}", 0, "capabilities",
	    "must be an object, got an array", 17 },
	{ "{\"capabilities\":\"x\"}", 0, "capabilities",
	    "must be an object, got a string", 16 },
	{ "{\"capabilities\":{\"twin_socket\":true}}", 0,
	    "capabilities.twin_socket", "must be an object, got a boolean",
	    31 },
	{ "{\"capabilities\":{\"twin_socket\":[{}]}}", 0,
	    "capabilities.twin_socket", "must be an object, got an array",
	    31 },
	/* duplicate keys: json-c keeps the last, and so does the location */
	{ "{\"capabilities\":{\"pgsizes\":1,\"pgsizes\":-2}}", 0,
	    "capabilities.pgsizes", "must not be negative, got -2", 39 },
};

START_TEST(test_caps_parse_error_names_problem)
{
	const struct bad_input	*b = &bad_inputs[_i];
	struct vfu_caps		 c;
	struct diag		 d;
	size_t			 n;
	int			 rc;

	n = b->len != 0 ? b->len : strlen(b->in) + 1;
	rc = parse_exact(b->in, n, &c, &d);
	assert_error(rc, &d, b->field, b->want, b->off);
	/* A failed parse leaves the defaults, nothing half-filled. */
	ck_assert_uint_eq(c.have, 0);
	ck_assert_uint_eq(c.nunknown, 0);
}
END_TEST

/* Integer keys: the spot where the value goes, then each bad value. */
static const struct {
	const char	*prefix;
	const char	*suffix;
	const char	*field;
} int_keys[] = {
	{ "{\"capabilities\":{\"max_msg_fds\":", "}}",
	    "capabilities.max_msg_fds" },
	{ "{\"capabilities\":{\"max_data_xfer_size\":", "}}",
	    "capabilities.max_data_xfer_size" },
	{ "{\"capabilities\": {\"write_multiple\": true, \"max_dma_maps\": ",
	    "}}", "capabilities.max_dma_maps" },
	{ "{\"capabilities\":{\"pgsizes\":", "}}", "capabilities.pgsizes" },
	{ "{\"capabilities\":{\"twin_socket\":{\"supported\":true,"
	    "\"fd_index\":", "}}}", "capabilities.twin_socket.fd_index" },
};

static const struct {
	const char	*value;
	const char	*want;
} int_bad[] = {
	{ "true", "must be a non-negative integer, got a boolean" },
	{ "\"8\"", "must be a non-negative integer, got a string" },
	{ "null", "must be a non-negative integer, got null" },
	{ "[]", "got an array" },
	{ "{}", "got an object" },
	{ "4096.0", "got a number with a fraction or exponent (4096.0)" },
	{ "1e3", "(1e3)" },
	{ "-1", "must not be negative, got -1" },
	{ "-9223372036854775808", "must not be negative" },
	{ "18446744073709551616", "out of range: 18446744073709551616 does "
	    "not fit in 64 bits" },
	{ "99999999999999999999999", "out of range" },
	{ "-9223372036854775809", "out of range: -9223372036854775809" },
};

#define N_INT_BAD	(sizeof(int_bad) / sizeof(int_bad[0]))

START_TEST(test_caps_parse_integer_key_errors)
{
	size_t		 k = (size_t)_i / N_INT_BAD, v = (size_t)_i % N_INT_BAD;
	struct vfu_caps	 c;
	struct diag	 d;
	char		 json[256];

	snprintf(json, sizeof(json), "%s%s%s", int_keys[k].prefix,
	    int_bad[v].value, int_keys[k].suffix);
	assert_error(parse_str(json, &c, &d), &d, int_keys[k].field,
	    int_bad[v].want, strlen(int_keys[k].prefix));
}
END_TEST

/* The largest value is fine for every integer key. */
START_TEST(test_caps_parse_integer_key_max)
{
	struct vfu_caps	 c;
	struct diag	 d;
	char		 json[256];
	uint64_t	 got;

	snprintf(json, sizeof(json), "%s18446744073709551615%s",
	    int_keys[_i].prefix, int_keys[_i].suffix);
	ck_assert_int_eq(parse_str(json, &c, &d), 0);
	switch (_i) {
	case 0:
		got = c.max_msg_fds;
		break;
	case 1:
		got = c.max_data_xfer_size;
		break;
	case 2:
		got = c.max_dma_maps;
		break;
	case 3:
		got = c.pgsizes;
		break;
	default:
		got = c.twin_fd_index;
		break;
	}
	ck_assert_uint_eq(got, UINT64_MAX);
}
END_TEST

static const struct {
	const char	*prefix;
	const char	*field;
} bool_keys[] = {
	{ "{\"capabilities\":{\"write_multiple\":",
	    "capabilities.write_multiple" },
	{ "{\"capabilities\":{\"twin_socket\":{\"supported\":",
	    "capabilities.twin_socket.supported" },
};

static const struct {
	const char	*value;
	const char	*want;
} bool_bad[] = {
	{ "1", "must be a boolean, got an integer" },
	{ "0.0", "must be a boolean, got a number with a fraction" },
	{ "\"true\"", "must be a boolean, got a string" },
	{ "null", "must be a boolean, got null" },
	{ "{}", "must be a boolean, got an object" },
};

#define N_BOOL_BAD	(sizeof(bool_bad) / sizeof(bool_bad[0]))

START_TEST(test_caps_parse_boolean_key_errors)
{
	size_t		 k = (size_t)_i / N_BOOL_BAD, v = (size_t)_i % N_BOOL_BAD;
	struct vfu_caps	 c;
	struct diag	 d;
	char		 json[256];

	snprintf(json, sizeof(json), "%s%s}}%s", bool_keys[k].prefix,
	    bool_bad[v].value, k == 1 ? "}" : "");
	assert_error(parse_str(json, &c, &d), &d, bool_keys[k].field,
	    bool_bad[v].want, strlen(bool_keys[k].prefix));
}
END_TEST

/* Nesting deeper than json-c's limit is an error, not a crash. */
START_TEST(test_caps_parse_deep_nesting_fails)
{
	struct vfu_caps	 c;
	struct diag	 d;
	char		 json[1024];
	size_t		 n, i, depth = 200;

	n = (size_t)snprintf(json, sizeof(json), "{\"x\":");
	for (i = 0; i < depth; i++)
		json[n++] = '[';
	for (i = 0; i < depth; i++)
		json[n++] = ']';
	json[n++] = '}';
	json[n] = '\0';
	assert_error(parse_str(json, &c, &d), &d, "version data",
	    "invalid JSON at byte", OFF_ANY);
	ck_assert_uint_lt(d.offset, n);
}
END_TEST

START_TEST(test_caps_parse_diag_null_is_safe)
{
	struct vfu_caps	c;

	ck_assert_int_eq(caps_parse("{}", 2, &c, NULL), -1);
	ck_assert_int_eq(caps_parse("{\"capabilities\":1}",
	    sizeof("{\"capabilities\":1}"), &c, NULL), -1);
	ck_assert_int_eq(caps_parse(lvu_reply, sizeof(lvu_reply), &c, NULL),
	    0);
	ck_assert_uint_eq(c.max_msg_fds, 8);
}
END_TEST

START_TEST(test_caps_emit_no_keys)
{
	struct vfu_caps	 c;
	struct diag	 d;
	char		*out;
	size_t		 len;

	caps_init(&c);
	ck_assert_int_eq(caps_emit(&c, &out, &len, &d), 0);
	ck_assert_uint_eq(len, 3);
	ck_assert_mem_eq(out, "{}", 3);
	free(out);
}
END_TEST

START_TEST(test_caps_emit_writes_only_have)
{
	struct vfu_caps	 c;
	struct diag	 d;
	char		*out;
	size_t		 len;
	static const char want[] = "{\"capabilities\":{\"max_msg_fds\":8,"
	    "\"twin_socket\":{\"supported\":false}}}";

	caps_init(&c);
	c.max_msg_fds = 8;
	c.max_dma_maps = 7;	/* not in have: must not appear */
	c.have = VFU_CAP_HAVE_MAX_MSG_FDS | VFU_CAP_HAVE_TWIN_SUPPORTED;
	ck_assert_int_eq(caps_emit(&c, &out, &len, &d), 0);
	ck_assert_uint_eq(len, sizeof(want));
	ck_assert_mem_eq(out, want, sizeof(want));
	free(out);
}
END_TEST

START_TEST(test_caps_emit_parse_round_trip)
{
	struct vfu_caps	 c, back;
	struct diag	 d;
	char		*out;
	size_t		 len;

	caps_init(&c);
	c.have = VFU_CAP_HAVE_CAPABILITIES | VFU_CAP_HAVE_MAX_MSG_FDS |
	    VFU_CAP_HAVE_MAX_DATA_XFER | VFU_CAP_HAVE_MAX_DMA_MAPS |
	    VFU_CAP_HAVE_PGSIZES | VFU_CAP_HAVE_TWIN_SOCKET |
	    VFU_CAP_HAVE_TWIN_SUPPORTED | VFU_CAP_HAVE_TWIN_FD_INDEX |
	    VFU_CAP_HAVE_WRITE_MULTIPLE | VFU_CAP_HAVE_MIGRATION;
	c.max_msg_fds = 253;
	c.max_data_xfer_size = UINT64_MAX;
	c.max_dma_maps = 0;
	c.pgsizes = 4096 | (2u << 20) | (1ull << 30);
	c.twin_supported = true;
	c.twin_fd_index = 2;
	c.write_multiple = true;
	ck_assert_int_eq(caps_emit(&c, &out, &len, &d), 0);
	ck_assert_uint_gt(len, 1);
	ck_assert_int_eq(out[len - 1], '\0');
	ck_assert_uint_eq(strlen(out), len - 1);
	ck_assert_int_eq(parse_exact(out, len, &back, &d), 0);
	free(out);
	ck_assert_uint_eq(back.have, c.have);
	ck_assert_uint_eq(back.max_msg_fds, c.max_msg_fds);
	ck_assert_uint_eq(back.max_data_xfer_size, c.max_data_xfer_size);
	ck_assert_uint_eq(back.max_dma_maps, c.max_dma_maps);
	ck_assert_uint_eq(back.pgsizes, c.pgsizes);
	ck_assert(back.twin_supported);
	ck_assert_uint_eq(back.twin_fd_index, 2);
	ck_assert(back.write_multiple);
	ck_assert_uint_eq(back.nunknown, 1);
	ck_assert_str_eq(back.unknown[0], "capabilities.migration");
}
END_TEST

/* Parsing QEMU's proposal and emitting it keeps every known value. */
START_TEST(test_caps_emit_qemu_proposal_round_trip)
{
	struct vfu_caps	 c, back;
	struct diag	 d;
	char		*out;
	size_t		 len;

	ck_assert_int_eq(parse_str(qemu_proposal, &c, &d), 0);
	ck_assert_int_eq(caps_emit(&c, &out, &len, &d), 0);
	ck_assert_int_eq(parse_exact(out, len, &back, &d), 0);
	free(out);
	ck_assert_uint_eq(back.have, c.have);
	ck_assert_uint_eq(back.max_msg_fds, 16);
	ck_assert_uint_eq(back.pgsizes, 4096);
	ck_assert_uint_eq(back.max_dma_maps, 65535);
	ck_assert_uint_eq(back.max_data_xfer_size, 1048576);
	ck_assert(back.write_multiple);
}
END_TEST

/* Parses proposal and reply, then runs the subset check. */
static size_t
subset(const char *proposal, const char *reply, char *buf, size_t len)
{
	struct vfu_caps	p, r;
	struct diag	d;

	ck_assert_int_eq(parse_str(proposal, &p, &d), 0);
	ck_assert_int_eq(parse_str(reply, &r, &d), 0);
	return (caps_check_subset(&p, &r, buf, len));
}

START_TEST(test_caps_check_subset_libvfio_user_reply_to_qemu)
{
	char	buf[512];

	ck_assert_uint_eq(subset(qemu_proposal, lvu_reply, buf, sizeof(buf)),
	    0);
	ck_assert_str_eq(buf, "");
	/* Reply keeps the obsolete key QEMU proposed: still a subset. */
	ck_assert_uint_eq(subset(qemu_proposal, "{\"capabilities\":"
	    "{\"migration\":{\"pgsize\":4096},\"write_multiple\":false}}", buf,
	    sizeof(buf)), 0);
}
END_TEST

/* The other way round: QEMU's caps as a reply to libvfio-user's. */
START_TEST(test_caps_check_subset_qemu_caps_as_reply)
{
	char	buf[512];

	ck_assert_uint_eq(subset(lvu_reply, qemu_proposal, buf, sizeof(buf)),
	    2);
	ck_assert_str_eq(buf,
	    "write_multiple present in the reply but not proposed\n"
	    "capabilities.migration present in the reply but not proposed\n");
}
END_TEST

/* Numbers are each sender's own limits; defaulted keys count as proposed. */
START_TEST(test_caps_check_subset_numbers_not_violations)
{
	char	buf[512];

	ck_assert_uint_eq(subset(lvu_reply, "{\"capabilities\":"
	    "{\"max_msg_fds\":64,\"max_data_xfer_size\":4194304,"
	    "\"max_dma_maps\":1000000,\"pgsizes\":2101248}}", buf,
	    sizeof(buf)), 0);
	ck_assert_uint_eq(subset("{}", lvu_reply, buf, sizeof(buf)), 0);
	/* twin_socket without supported=true is the spec's "not enabled". */
	ck_assert_uint_eq(subset("{}", "{\"capabilities\":{\"twin_socket\":"
	    "{\"supported\":false}}}", buf, sizeof(buf)), 0);
}
END_TEST

START_TEST(test_caps_check_subset_twin_not_proposed)
{
	char	buf[512];

	ck_assert_uint_eq(subset(qemu_proposal, "{\"capabilities\":"
	    "{\"twin_socket\":{\"supported\":true,\"fd_index\":0}}}", buf,
	    sizeof(buf)), 1);
	ck_assert_ptr_nonnull(strstr(buf, "twin_socket.supported is true in "
	    "the reply but the proposal did not"));
	ck_assert_uint_eq(subset("{\"capabilities\":{\"twin_socket\":"
	    "{\"supported\":false}}}", "{\"capabilities\":{\"twin_socket\":"
	    "{\"supported\":true,\"fd_index\":0}}}", buf, sizeof(buf)), 1);
}
END_TEST

START_TEST(test_caps_check_subset_twin_reply_consistency)
{
	static const char	twin[] = "{\"capabilities\":{\"twin_socket\":"
	    "{\"supported\":true}}}";
	char			buf[512];

	ck_assert_uint_eq(subset(twin, "{\"capabilities\":{\"twin_socket\":"
	    "{\"supported\":true,\"fd_index\":0}}}", buf, sizeof(buf)), 0);
	ck_assert_uint_eq(subset(twin, lvu_reply, buf, sizeof(buf)), 0);
	ck_assert_uint_eq(subset(twin, twin, buf, sizeof(buf)), 1);
	ck_assert_ptr_nonnull(strstr(buf, "without twin_socket.fd_index"));
}
END_TEST

START_TEST(test_caps_check_subset_fd_index_in_proposal)
{
	char	buf[512];

	ck_assert_uint_eq(subset("{\"capabilities\":{\"twin_socket\":"
	    "{\"supported\":true,\"fd_index\":1}}}", lvu_reply, buf,
	    sizeof(buf)), 1);
	ck_assert_str_eq(buf, "twin_socket.fd_index present in the proposal "
	    "(only valid in the reply)\n");
}
END_TEST

START_TEST(test_caps_check_subset_unknown_keys)
{
	char	buf[512];

	ck_assert_uint_eq(subset(lvu_reply, "{\"capabilities\":{\"zz\":1,"
	    "\"twin_socket\":{\"new\":true}}}", buf, sizeof(buf)), 2);
	ck_assert_str_eq(buf,
	    "capabilities.zz present in the reply but not proposed\n"
	    "capabilities.twin_socket.new present in the reply but not "
	    "proposed\n");
	/* Proposed unknown keys may come back. */
	ck_assert_uint_eq(subset("{\"capabilities\":{\"zz\":2}}",
	    "{\"capabilities\":{\"zz\":1}}", buf, sizeof(buf)), 0);
	/* Top-level keys are not capabilities. */
	ck_assert_uint_eq(subset("{}", "{\"note\":\"hi\"}", buf, sizeof(buf)),
	    0);
}
END_TEST

START_TEST(test_caps_check_subset_small_buffer)
{
	char	buf[16];
	size_t	n;

	memset(buf, 'x', sizeof(buf));
	n = subset(lvu_reply, qemu_proposal, buf, sizeof(buf));
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(strlen(buf), sizeof(buf) - 1);
	ck_assert_uint_eq(subset(lvu_reply, qemu_proposal, NULL, 0), 2);
}
END_TEST

static Suite *
caps_suite(void)
{
	Suite	*s = suite_create("caps");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, test_caps_parse_qemu_proposal);
	tcase_add_test(tc, test_caps_parse_libvfio_user_reply);
	tcase_add_test(tc, test_caps_parse_no_data_gives_defaults);
	tcase_add_test(tc, test_caps_parse_twin_socket_and_limits);
	tcase_add_test(tc, test_caps_parse_unknown_keys_recorded);
	tcase_add_loop_test(tc, test_caps_parse_integer_key_max, 0,
	    sizeof(int_keys) / sizeof(int_keys[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, test_caps_parse_unterminated_stops_at_len);
	tcase_add_loop_test(tc, test_caps_parse_truncated_fails, 1,
	    (int)strlen(qemu_proposal));
	tcase_add_loop_test(tc, test_caps_parse_error_names_problem, 0,
	    sizeof(bad_inputs) / sizeof(bad_inputs[0]));
	tcase_add_loop_test(tc, test_caps_parse_integer_key_errors, 0,
	    (int)(N_INT_BAD * (sizeof(int_keys) / sizeof(int_keys[0]))));
	tcase_add_loop_test(tc, test_caps_parse_boolean_key_errors, 0,
	    (int)(N_BOOL_BAD * (sizeof(bool_keys) / sizeof(bool_keys[0]))));
	tcase_add_test(tc, test_caps_parse_deep_nesting_fails);
	tcase_add_test(tc, test_caps_parse_diag_null_is_safe);
	suite_add_tcase(s, tc);

	tc = tcase_create("emit");
	tcase_add_test(tc, test_caps_emit_no_keys);
	tcase_add_test(tc, test_caps_emit_writes_only_have);
	tcase_add_test(tc, test_caps_emit_parse_round_trip);
	tcase_add_test(tc, test_caps_emit_qemu_proposal_round_trip);
	suite_add_tcase(s, tc);

	tc = tcase_create("subset");
	tcase_add_test(tc, test_caps_check_subset_libvfio_user_reply_to_qemu);
	tcase_add_test(tc, test_caps_check_subset_qemu_caps_as_reply);
	tcase_add_test(tc, test_caps_check_subset_numbers_not_violations);
	tcase_add_test(tc, test_caps_check_subset_twin_not_proposed);
	tcase_add_test(tc, test_caps_check_subset_twin_reply_consistency);
	tcase_add_test(tc, test_caps_check_subset_fd_index_in_proposal);
	tcase_add_test(tc, test_caps_check_subset_unknown_keys);
	tcase_add_test(tc, test_caps_check_subset_small_buffer);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(caps_suite());
	int	 nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
