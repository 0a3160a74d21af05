/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * caps: the VFIO_USER_VERSION capability JSON, parsed strictly, emitted and
 * compared with json-c.  The version data is taken as length-delimited bytes
 * and never read past len.  json-c does the parsing; three things it does not
 * do are done here on the raw bytes: full UTF-8 validation (json-c accepts
 * overlong forms, surrogates and code points past U+10FFFF), rejecting the
 * non-JSON it tolerates even in strict mode (single quotes, NaN, Infinity,
 * "1.", "-01", raw control characters in strings), and locating the values
 * of the known keys, because json-c keeps no offsets and silently saturates
 * integers beyond 64 bits.  No I/O, never prints.
 */
#include "config.h"
#include "caps.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "diag.h"

#if !defined(JSON_C_VERSION_NUM) || JSON_C_VERSION_NUM < ((0 << 16) | (14 << 8))
#error "caps.c needs json-c >= 0.14 (64-bit unsigned integers)"
#endif

#define CAPS_FIELD	"version data"

/* The keys whose values the raw scan locates (last occurrence wins, as in
 * json-c). */
enum caps_loc {
	LOC_CAPS,
	LOC_MAX_MSG_FDS,
	LOC_MAX_DATA_XFER,
	LOC_MAX_DMA_MAPS,
	LOC_PGSIZES,
	LOC_TWIN,
	LOC_TWIN_SUPPORTED,
	LOC_TWIN_FD_INDEX,
	LOC_WRITE_MULTIPLE,
	LOC_MIGRATION,
	LOC_COUNT
};

static const char *const loc_paths[LOC_COUNT] = {
	[LOC_CAPS] = "capabilities",
	[LOC_MAX_MSG_FDS] = "capabilities.max_msg_fds",
	[LOC_MAX_DATA_XFER] = "capabilities.max_data_xfer_size",
	[LOC_MAX_DMA_MAPS] = "capabilities.max_dma_maps",
	[LOC_PGSIZES] = "capabilities.pgsizes",
	[LOC_TWIN] = "capabilities.twin_socket",
	[LOC_TWIN_SUPPORTED] = "capabilities.twin_socket.supported",
	[LOC_TWIN_FD_INDEX] = "capabilities.twin_socket.fd_index",
	[LOC_WRITE_MULTIPLE] = "capabilities.write_multiple",
	[LOC_MIGRATION] = "capabilities.migration",
};

struct caps_loc_rec {
	int	seen;
	size_t	off;		/* first byte of the value */
	size_t	len;		/* bytes of a number literal, else 0 */
	int	overflow;	/* integer literal beyond int64/uint64 */
};

#define SCAN_MAX_DEPTH	64

struct scan_level {
	char	kind;		/* '{' or '[' */
	int	expect_key;
	size_t	key_off;	/* the current key's bytes, quotes excluded */
	size_t	key_len;
};

struct scan {
	const char		*s;
	size_t			 n;
	struct scan_level	 stack[SCAN_MAX_DEPTH];
	size_t			 depth;
	struct caps_loc_rec	 loc[LOC_COUNT];
};

/* Fields of the parse in progress. */
struct caps_ctx {
	struct vfu_caps	*c;
	struct scan	*sc;
	struct diag	*d;
};

void
caps_init(struct vfu_caps *c)
{
	memset(c, 0, sizeof(*c));
	c->max_msg_fds = 1;
	c->max_data_xfer_size = 1048576;
	c->max_dma_maps = 65535;
	c->pgsizes = 4096;
	c->twin_supported = false;
	c->write_multiple = false;
}

/*
 * Returns the offset of the first byte that is not valid UTF-8 (RFC 3629:
 * no overlong forms, no surrogates, nothing past U+10FFFF), or n.
 */
static size_t
utf8_check(const uint8_t *s, size_t n, const char **why)
{
	size_t	i, k, need;
	uint8_t	c, lo, hi;

	for (i = 0; i < n; i += need + 1) {
		c = s[i];
		lo = 0x80;
		hi = 0xbf;
		if (c < 0x80) {
			need = 0;
			continue;
		} else if (c < 0xc0) {
			*why = "stray continuation byte";
			return (i);
		} else if (c < 0xc2) {
			*why = "overlong encoding";
			return (i);
		} else if (c < 0xe0)
			need = 1;
		else if (c < 0xf0) {
			need = 2;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f;
		} else if (c < 0xf5) {
			need = 3;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
		} else {
			*why = "byte that never occurs in UTF-8";
			return (i);
		}
		for (k = 1; k <= need; k++) {
			if (i + k >= n) {
				*why = "sequence cut short";
				return (i);
			}
			if (s[i + k] < 0x80 || s[i + k] > 0xbf) {
				*why = "sequence cut short";
				return (i);
			}
			if (k == 1 && (s[i + 1] < lo || s[i + 1] > hi)) {
				if (c == 0xe0 || c == 0xf0)
					*why = "overlong encoding";
				else if (c == 0xed)
					*why = "UTF-16 surrogate";
				else
					*why = "code point beyond U+10FFFF";
				return (i);
			}
		}
	}
	return (n);
}

/* Does the key path of the current scan position equal path? */
static int
scan_path_eq(const struct scan *sc, const char *path)
{
	const struct scan_level	*lv;
	size_t			 i, seg;

	for (i = 0; i < sc->depth; i++) {
		lv = &sc->stack[i];
		if (lv->kind != '{')
			return (0);
		seg = strcspn(path, ".");
		if (seg != lv->key_len ||
		    memcmp(path, sc->s + lv->key_off, seg) != 0)
			return (0);
		path += seg;
		if (i + 1 < sc->depth) {
			if (*path != '.')
				return (0);
			path++;
		}
	}
	return (*path == '\0');
}

/* Records where a value starts if its path is a known key. */
static void
scan_value(struct scan *sc, size_t off, size_t len, int overflow)
{
	int	i;

	if (sc->depth == 0)
		return;
	for (i = 0; i < LOC_COUNT; i++) {
		if (scan_path_eq(sc, loc_paths[i])) {
			sc->loc[i].seen = 1;
			sc->loc[i].off = off;
			sc->loc[i].len = len;
			sc->loc[i].overflow = overflow;
			return;
		}
	}
}

static int
is_digit(char c)
{
	return (c >= '0' && c <= '9');
}

/* Checks a number token against RFC 8259 section 6; sets *integer. */
static int
number_ok(const char *t, size_t n, int *integer)
{
	size_t	i = 0, start;

	*integer = 1;
	if (i < n && t[i] == '-')
		i++;
	if (i < n && t[i] == '0')
		i++;
	else if (i < n && t[i] >= '1' && t[i] <= '9') {
		while (i < n && is_digit(t[i]))
			i++;
	} else
		return (0);
	if (i < n && t[i] == '.') {
		*integer = 0;
		start = ++i;
		while (i < n && is_digit(t[i]))
			i++;
		if (i == start)
			return (0);
	}
	if (i < n && (t[i] == 'e' || t[i] == 'E')) {
		*integer = 0;
		i++;
		if (i < n && (t[i] == '+' || t[i] == '-'))
			i++;
		start = i;
		while (i < n && is_digit(t[i]))
			i++;
		if (i == start)
			return (0);
	}
	return (i == n);
}

/* Is the integer literal t (valid JSON) beyond int64 / uint64? */
static int
integer_overflows(const char *t, size_t n)
{
	const char	*lim = "18446744073709551615";

	if (*t == '-') {
		t++;
		n--;
		lim = "9223372036854775808";
	}
	if (n != strlen(lim))
		return (n > strlen(lim));
	return (memcmp(t, lim, n) > 0);
}

/*
 * Walks JSON that json-c has accepted: rejects what json-c tolerates but
 * RFC 8259 forbids, and locates the known keys' values.
 */
static int
scan_json(struct scan *sc, struct diag *d)
{
	struct scan_level	*top;
	const char		*s = sc->s;
	size_t			 i = 0, start, n = sc->n;
	int			 integer;
	char			 c;

	while (i < n) {
		c = s[i];
		top = sc->depth > 0 ? &sc->stack[sc->depth - 1] : NULL;
		switch (c) {
		case ' ':
		case '\t':
		case '\n':
		case '\r':
		case ':':
			i++;
			break;
		case ',':
			if (top != NULL && top->kind == '{')
				top->expect_key = 1;
			i++;
			break;
		case '{':
		case '[':
			scan_value(sc, i, 0, 0);
			if (sc->depth == SCAN_MAX_DEPTH)
				return (diag_field(d, CAPS_FIELD, i,
				    "invalid JSON: nested too deeply"));
			top = &sc->stack[sc->depth++];
			top->kind = c;
			top->expect_key = (c == '{');
			top->key_off = top->key_len = 0;
			i++;
			break;
		case '}':
		case ']':
			if (sc->depth > 0)
				sc->depth--;
			i++;
			break;
		case '"':
			start = i++;
			while (i < n && s[i] != '"') {
				if ((unsigned char)s[i] < 0x20)
					return (diag_field(d, CAPS_FIELD, i,
					    "invalid JSON: unescaped control "
					    "character 0x%02x in a string",
					    (unsigned char)s[i]));
				i += (s[i] == '\\') ? 2 : 1;
			}
			if (i >= n)
				return (diag_field(d, CAPS_FIELD, start,
				    "invalid JSON: unterminated string"));
			i++;
			if (top != NULL && top->kind == '{' &&
			    top->expect_key) {
				top->expect_key = 0;
				top->key_off = start + 1;
				top->key_len = i - start - 2;
			} else
				scan_value(sc, start, 0, 0);
			break;
		case '\'':
			return (diag_field(d, CAPS_FIELD, i,
			    "invalid JSON: single-quoted string (JSON strings "
			    "take double quotes)"));
		default:
			start = i;
			while (i < n && (is_digit(s[i]) || s[i] == '-' ||
			    s[i] == '+' || s[i] == '.' ||
			    (s[i] >= 'a' && s[i] <= 'z') ||
			    (s[i] >= 'A' && s[i] <= 'Z')))
				i++;
			if (i == start)
				return (diag_field(d, CAPS_FIELD, i,
				    "invalid JSON: unexpected byte 0x%02x",
				    (unsigned char)c));
			if (c == '-' || is_digit(c)) {
				if (!number_ok(s + start, i - start, &integer))
					return (diag_field(d, CAPS_FIELD,
					    start, "invalid JSON: malformed "
					    "number '%.*s'",
					    (int)(i - start > 40 ? 40 :
					    i - start), s + start));
				scan_value(sc, start, i - start, integer &&
				    integer_overflows(s + start, i - start));
			} else if ((i - start == 4 &&
			    (memcmp(s + start, "true", 4) == 0 ||
			    memcmp(s + start, "null", 4) == 0)) ||
			    (i - start == 5 &&
			    memcmp(s + start, "false", 5) == 0))
				scan_value(sc, start, 0, 0);
			else
				return (diag_field(d, CAPS_FIELD, start,
				    "invalid JSON: '%.*s' is not a JSON value",
				    (int)(i - start > 40 ? 40 : i - start),
				    s + start));
			break;
		}
	}
	return (0);
}

/* "a boolean", "an array"... for messages. */
static const char *
type_name(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return ("null");
	case json_type_boolean:
		return ("a boolean");
	case json_type_double:
		return ("a number with a fraction or exponent");
	case json_type_int:
		return ("an integer");
	case json_type_object:
		return ("an object");
	case json_type_array:
		return ("an array");
	case json_type_string:
		return ("a string");
	}
	return ("an unknown type");
}

static int
key_error(struct caps_ctx *x, enum caps_loc which, const char *fmt, ...)
    DIAG_PRINTF(3, 4);

/* An error about one known key, located when the scan saw it. */
static int
key_error(struct caps_ctx *x, enum caps_loc which, const char *fmt, ...)
{
	char	msg[sizeof(x->d->msg)];
	va_list	ap;
	size_t	off = DIAG_NO_OFFSET;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (x->sc->loc[which].seen)
		off = x->sc->loc[which].off;
	return (diag_field(x->d, loc_paths[which], off, "%s", msg));
}

/* A non-negative integer that fits in 64 bits. */
static int
get_uint(struct caps_ctx *x, enum caps_loc which, struct json_object *v,
    uint64_t *out)
{
	const struct caps_loc_rec	*lr = &x->sc->loc[which];

	switch (json_object_get_type(v)) {
	case json_type_int:
		break;
	case json_type_double:
		return (key_error(x, which, "must be a non-negative integer, "
		    "got %s (%s)", type_name(v),
		    json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN)));
	default:
		return (key_error(x, which, "must be a non-negative integer, "
		    "got %s", type_name(v)));
	}
	if (lr->seen && lr->overflow)
		return (key_error(x, which, "integer out of range: %.*s does "
		    "not fit in 64 bits", (int)(lr->len > 60 ? 60 : lr->len),
		    x->sc->s + lr->off));
	if (json_object_get_int64(v) < 0)
		return (key_error(x, which, "must not be negative, got %lld",
		    (long long)json_object_get_int64(v)));
	*out = json_object_get_uint64(v);
	return (0);
}

static int
get_bool(struct caps_ctx *x, enum caps_loc which, struct json_object *v,
    bool *out)
{
	if (json_object_get_type(v) != json_type_boolean)
		return (key_error(x, which, "must be a boolean, got %s",
		    type_name(v)));
	*out = json_object_get_boolean(v) ? true : false;
	return (0);
}

static void
unknown_add(struct vfu_caps *c, const char *prefix, const char *key)
{
	if (c->nunknown < VFU_CAPS_MAX_UNKNOWN)
		snprintf(c->unknown[c->nunknown], sizeof(c->unknown[0]),
		    "%s%s%s", prefix, *prefix != '\0' ? "." : "", key);
	c->nunknown++;
}

static int
parse_twin(struct caps_ctx *x, struct json_object *tw)
{
	struct vfu_caps	*c = x->c;

	if (json_object_get_type(tw) != json_type_object)
		return (key_error(x, LOC_TWIN, "must be an object, got %s",
		    type_name(tw)));
	c->have |= VFU_CAP_HAVE_TWIN_SOCKET;
	json_object_object_foreach(tw, key, v) {
		if (strcmp(key, "supported") == 0) {
			if (get_bool(x, LOC_TWIN_SUPPORTED, v,
			    &c->twin_supported) == -1)
				return (-1);
			c->have |= VFU_CAP_HAVE_TWIN_SUPPORTED;
		} else if (strcmp(key, "fd_index") == 0) {
			if (get_uint(x, LOC_TWIN_FD_INDEX, v,
			    &c->twin_fd_index) == -1)
				return (-1);
			c->have |= VFU_CAP_HAVE_TWIN_FD_INDEX;
		} else
			unknown_add(c, "capabilities.twin_socket", key);
	}
	return (0);
}

static int
parse_caps_object(struct caps_ctx *x, struct json_object *caps)
{
	struct vfu_caps	*c = x->c;

	if (json_object_get_type(caps) != json_type_object)
		return (key_error(x, LOC_CAPS, "must be an object, got %s",
		    type_name(caps)));
	c->have |= VFU_CAP_HAVE_CAPABILITIES;
	json_object_object_foreach(caps, key, v) {
		if (strcmp(key, "max_msg_fds") == 0) {
			if (get_uint(x, LOC_MAX_MSG_FDS, v,
			    &c->max_msg_fds) == -1)
				return (-1);
			c->have |= VFU_CAP_HAVE_MAX_MSG_FDS;
		} else if (strcmp(key, "max_data_xfer_size") == 0) {
			if (get_uint(x, LOC_MAX_DATA_XFER, v,
			    &c->max_data_xfer_size) == -1)
				return (-1);
			c->have |= VFU_CAP_HAVE_MAX_DATA_XFER;
		} else if (strcmp(key, "max_dma_maps") == 0) {
			if (get_uint(x, LOC_MAX_DMA_MAPS, v,
			    &c->max_dma_maps) == -1)
				return (-1);
			c->have |= VFU_CAP_HAVE_MAX_DMA_MAPS;
		} else if (strcmp(key, "pgsizes") == 0) {
			if (get_uint(x, LOC_PGSIZES, v, &c->pgsizes) == -1)
				return (-1);
			c->have |= VFU_CAP_HAVE_PGSIZES;
		} else if (strcmp(key, "twin_socket") == 0) {
			if (parse_twin(x, v) == -1)
				return (-1);
		} else if (strcmp(key, "write_multiple") == 0) {
			if (get_bool(x, LOC_WRITE_MULTIPLE, v,
			    &c->write_multiple) == -1)
				return (-1);
			c->have |= VFU_CAP_HAVE_WRITE_MULTIPLE;
		} else {
			/* "migration" is the obsolete v1 key QEMU still
			 * sends: not in the spec, so unknown, but flagged. */
			if (strcmp(key, "migration") == 0)
				c->have |= VFU_CAP_HAVE_MIGRATION;
			unknown_add(c, "capabilities", key);
		}
	}
	return (0);
}

/*
 * The JSON text and its NUL into a json-c tree (*out is NULL for a JSON
 * null).  Returns 0 or -1.
 */
static int
parse_json(const char *s, size_t len, struct json_object **out,
    struct diag *d)
{
	struct json_tokener	*tok;
	struct json_object	*obj;
	enum json_tokener_error	 err;
	size_t			 end;

	*out = NULL;
	if ((tok = json_tokener_new()) == NULL)
		return (diag_set(d, "out of memory"));
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	/* The terminating NUL is passed too: it ends a top-level number. */
	obj = json_tokener_parse_ex(tok, s, (int)len);
	err = json_tokener_get_error(tok);
#if JSON_C_VERSION_NUM >= ((0 << 16) | (15 << 8))
	end = json_tokener_get_parse_end(tok);
#else
	end = (size_t)tok->char_offset;
#endif
	json_tokener_free(tok);
	if (err != json_tokener_success) {
		json_object_put(obj);
		if (err == json_tokener_continue ||
		    err == json_tokener_error_parse_eof)
			return (diag_field(d, CAPS_FIELD, end, "invalid JSON: "
			    "ends early (at byte %zu)", end));
		return (diag_field(d, CAPS_FIELD, end, "invalid JSON at byte "
		    "%zu: %s", end, json_tokener_error_desc(err)));
	}
	if (end + 1 < len) {
		json_object_put(obj);
		return (diag_field(d, CAPS_FIELD, end, "invalid JSON: trailing "
		    "bytes after the JSON value at byte %zu", end));
	}
	*out = obj;
	return (0);
}

int
caps_parse(const void *data, size_t len, struct vfu_caps *c, struct diag *d)
{
	const char		*s = data;
	const char		*nul, *why = "";
	struct json_object	*top;
	struct scan		*sc;
	struct caps_ctx		 x;
	size_t			 bad;
	int			 rc = -1;

	caps_init(c);
	if (len == 0)
		return (0);
	if (data == NULL)
		return (diag_set(d, "version data: NULL pointer with length "
		    "%zu", len));
	if ((nul = memchr(s, '\0', len)) != NULL && nul != s + len - 1)
		return (diag_field(d, CAPS_FIELD, (size_t)(nul - s),
		    "embedded NUL at byte %zu, before the end of the %zu-byte "
		    "version data", (size_t)(nul - s), len));
	if (nul == NULL)
		return (diag_field(d, CAPS_FIELD, len - 1, "not "
		    "NUL-terminated: the last of its %zu bytes is 0x%02x",
		    len, (unsigned char)s[len - 1]));
	if (len == 1)
		return (diag_field(d, CAPS_FIELD, 0, "empty JSON: only the "
		    "terminating NUL"));
	if (len > INT_MAX)
		return (diag_field(d, CAPS_FIELD, 0, "too large: %zu bytes",
		    len));
	if ((bad = utf8_check(data, len - 1, &why)) != len - 1)
		return (diag_field(d, CAPS_FIELD, bad, "invalid UTF-8 at byte "
		    "%zu: %s", bad, why));
	if (parse_json(s, len, &top, d) == -1)
		return (-1);
	if ((sc = calloc(1, sizeof(*sc))) == NULL) {
		json_object_put(top);
		return (diag_set(d, "out of memory"));
	}
	sc->s = s;
	sc->n = len - 1;
	if (scan_json(sc, d) == -1)
		goto out;
	x.c = c;
	x.sc = sc;
	x.d = d;
	if (json_object_get_type(top) != json_type_object) {
		bad = strspn(s, " \t\r\n");
		diag_field(d, CAPS_FIELD, bad, "the top level is %s, not an "
		    "object", type_name(top));
		goto out;
	}
	json_object_object_foreach(top, key, v) {
		if (strcmp(key, "capabilities") == 0) {
			if (parse_caps_object(&x, v) == -1)
				goto out;
		} else
			unknown_add(c, "", key);
	}
	rc = 0;
out:
	if (rc == -1)
		caps_init(c);
	free(sc);
	json_object_put(top);
	return (rc);
}

/* Adds key = uint64 to obj; returns -1 when json-c cannot allocate. */
static int
emit_uint(struct json_object *obj, const char *key, uint64_t v)
{
	struct json_object	*n;

	if ((n = json_object_new_uint64(v)) == NULL)
		return (-1);
	if (json_object_object_add(obj, key, n) != 0) {
		json_object_put(n);
		return (-1);
	}
	return (0);
}

static int
emit_bool(struct json_object *obj, const char *key, bool v)
{
	struct json_object	*n;

	if ((n = json_object_new_boolean(v)) == NULL)
		return (-1);
	if (json_object_object_add(obj, key, n) != 0) {
		json_object_put(n);
		return (-1);
	}
	return (0);
}

static int
emit_obj(struct json_object *obj, const char *key, struct json_object *n)
{
	if (n == NULL)
		return (-1);
	if (json_object_object_add(obj, key, n) != 0) {
		json_object_put(n);
		return (-1);
	}
	return (0);
}

/*
 * The capabilities object with the keys c->have names.  The obsolete
 * "migration" key is written as an empty object: its members are not kept.
 */
static struct json_object *
emit_caps(const struct vfu_caps *c)
{
	struct json_object	*caps, *tw;
	unsigned		 h = c->have;
	int			 bad = 0;

	if ((caps = json_object_new_object()) == NULL)
		return (NULL);
	if (h & VFU_CAP_HAVE_MAX_MSG_FDS)
		bad |= emit_uint(caps, "max_msg_fds", c->max_msg_fds);
	if (h & VFU_CAP_HAVE_MAX_DATA_XFER)
		bad |= emit_uint(caps, "max_data_xfer_size",
		    c->max_data_xfer_size);
	if (h & VFU_CAP_HAVE_MAX_DMA_MAPS)
		bad |= emit_uint(caps, "max_dma_maps", c->max_dma_maps);
	if (h & VFU_CAP_HAVE_PGSIZES)
		bad |= emit_uint(caps, "pgsizes", c->pgsizes);
	if (h & (VFU_CAP_HAVE_TWIN_SOCKET | VFU_CAP_HAVE_TWIN_SUPPORTED |
	    VFU_CAP_HAVE_TWIN_FD_INDEX)) {
		if ((tw = json_object_new_object()) == NULL)
			bad = -1;
		else {
			if (h & VFU_CAP_HAVE_TWIN_SUPPORTED)
				bad |= emit_bool(tw, "supported",
				    c->twin_supported);
			if (h & VFU_CAP_HAVE_TWIN_FD_INDEX)
				bad |= emit_uint(tw, "fd_index",
				    c->twin_fd_index);
			bad |= emit_obj(caps, "twin_socket", tw);
		}
	}
	if (h & VFU_CAP_HAVE_WRITE_MULTIPLE)
		bad |= emit_bool(caps, "write_multiple", c->write_multiple);
	if (h & VFU_CAP_HAVE_MIGRATION)
		bad |= emit_obj(caps, "migration", json_object_new_object());
	if (bad != 0) {
		json_object_put(caps);
		return (NULL);
	}
	return (caps);
}

int
caps_emit(const struct vfu_caps *c, char **out, size_t *len, struct diag *d)
{
	struct json_object	*top, *caps;
	const char		*s;
	size_t			 n;

	*out = NULL;
	*len = 0;
	if ((top = json_object_new_object()) == NULL)
		return (diag_set(d, "caps_emit: out of memory"));
	if (c->have != 0) {
		if ((caps = emit_caps(c)) == NULL ||
		    emit_obj(top, "capabilities", caps) == -1) {
			json_object_put(top);
			return (diag_set(d, "caps_emit: out of memory"));
		}
	}
	if ((s = json_object_to_json_string_ext(top,
	    JSON_C_TO_STRING_PLAIN)) == NULL) {
		json_object_put(top);
		return (diag_set(d, "caps_emit: out of memory"));
	}
	n = strlen(s) + 1;
	if ((*out = malloc(n)) == NULL) {
		json_object_put(top);
		return (diag_set(d, "caps_emit: out of memory"));
	}
	memcpy(*out, s, n);
	*len = n;
	json_object_put(top);
	return (0);
}

struct subset_out {
	char	*buf;
	size_t	 len;
	size_t	 used;
	size_t	 count;
};

static void
subset_add(struct subset_out *o, const char *fmt, ...) DIAG_PRINTF(2, 3);

/* One violation: a line appended to the caller's buffer, if room. */
static void
subset_add(struct subset_out *o, const char *fmt, ...)
{
	va_list	ap;
	int	r;

	o->count++;
	if (o->buf == NULL || o->used + 1 >= o->len)
		return;
	va_start(ap, fmt);
	r = vsnprintf(o->buf + o->used, o->len - o->used, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	o->used += (size_t)r;
	if (o->used + 1 >= o->len) {
		o->used = o->len - 1;
		return;
	}
	o->buf[o->used++] = '\n';
	o->buf[o->used] = '\0';
}

/*
 * Reports only what the spec forbids under every reading (see
 * docs/spec-notes.md, "Capabilities JSON"): numbers are each side's own
 * limits and keys with a spec default count as proposed.
 */
size_t
caps_check_subset(const struct vfu_caps *proposed,
    const struct vfu_caps *reply, char *buf, size_t len)
{
	struct subset_out	o = { buf, len, 0, 0 };
	size_t			i, j, np, nr;
	int			found;

	if (buf != NULL && len > 0)
		buf[0] = '\0';
	if (reply->twin_supported && !proposed->twin_supported)
		subset_add(&o, "twin_socket.supported is true in the reply "
		    "but the proposal did not set it to true");
	if (reply->twin_supported &&
	    !(reply->have & VFU_CAP_HAVE_TWIN_FD_INDEX))
		subset_add(&o, "twin_socket.supported is true in the reply "
		    "without twin_socket.fd_index (inconsistent reply)");
	if (proposed->have & VFU_CAP_HAVE_TWIN_FD_INDEX)
		subset_add(&o, "twin_socket.fd_index present in the proposal "
		    "(only valid in the reply)");
	if ((reply->have & VFU_CAP_HAVE_WRITE_MULTIPLE) &&
	    !(proposed->have & VFU_CAP_HAVE_WRITE_MULTIPLE))
		subset_add(&o, "write_multiple present in the reply but not "
		    "proposed");
	np = proposed->nunknown < VFU_CAPS_MAX_UNKNOWN ?
	    proposed->nunknown : VFU_CAPS_MAX_UNKNOWN;
	nr = reply->nunknown < VFU_CAPS_MAX_UNKNOWN ?
	    reply->nunknown : VFU_CAPS_MAX_UNKNOWN;
	for (i = 0; i < nr; i++) {
		/* Only capabilities: other top-level keys are no part of
		 * "the capability list". */
		if (strncmp(reply->unknown[i], "capabilities.", 13) != 0)
			continue;
		found = 0;
		for (j = 0; j < np && !found; j++)
			found = strcmp(reply->unknown[i],
			    proposed->unknown[j]) == 0;
		/* A proposal with more unknown keys than were kept may hold
		 * this one: say nothing rather than guess. */
		if (!found && proposed->nunknown <= VFU_CAPS_MAX_UNKNOWN)
			subset_add(&o, "%s present in the reply but not "
			    "proposed", reply->unknown[i]);
	}
	return (o.count);
}
