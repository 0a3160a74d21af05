/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * scenario: the loader.  Turns the YAML tree of a scenario file (and of the
 * fragments it includes) into the struct scenario model of scenario.h,
 * checking every name against the codec's tables and every integer against
 * its field's size, so that a scenario that loads can be run without
 * surprises.  The first error found stops the load, located at the key or
 * value at fault.  Opens files, never sockets; never prints.
 */
#include "config.h"
#include "scenario.h"

#include <sys/stat.h>

#include <errno.h>
#include <json.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codec.h"
#include "diag.h"
#include "lint.h"
#include "scenario-int.h"

#define MAX_REPEAT	1000000u
#define MAX_MS		3600000u	/* one hour */

struct label_ent {
	const char	*name;
	struct step	*step;
	unsigned	 conn;		/* connection it was on (reconnects) */
};

struct flat {
	const struct ynode *n;
	const struct include_site *inc;
};

struct loader {
	struct scn_arena *a;
	struct diag	*d;
	const char * const *search_dirs;
	const char	*top;
	enum scn_role	 role;
	/* include chain: real paths (cycle check) and names (messages) */
	char		*chain_real[SCENARIO_MAX_INCLUDE_DEPTH + 1];
	const char	*chain_name[SCENARIO_MAX_INCLUDE_DEPTH + 1];
	size_t		 depth;
	/* variables defined so far, in load order */
	const char	**vars;
	size_t		 nvars, capvars;
	struct label_ent *labels;
	size_t		 nlabels, caplabels;
	const char	**fdnames;
	size_t		 nfdnames, capfdnames;
	/* requests sent and not yet answered, oldest first */
	struct step	**pending;
	size_t		 npending, cappending;
	/* reconnect steps seen: the connection later steps are on */
	unsigned	 conn;
	const struct step *last_reconnect;
};

static const char *const step_kinds[] = {
	"send", "raw", "expect", "serve", "repeat", "reconnect", "include",
	NULL
};

/* ---- Small helpers ----------------------------------------------------- */

static int
err_at(struct loader *l, const struct srcpos *p, const char *fmt, ...)
    DIAG_PRINTF(3, 4);

static int
err_at(struct loader *l, const struct srcpos *p, const char *fmt, ...)
{
	char	msg[sizeof(l->d->msg)];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return (diag_at(l->d, p->file, p->line, p->col, "%s", msg));
}

static int
oom(struct loader *l, const struct srcpos *p)
{
	return (err_at(l, p, "out of memory"));
}

/* Grows a vector kept in the arena: *v has *n of *cap elements of sz. */
static void *
vec_push(struct loader *l, void *vp, size_t *n, size_t *cap, size_t sz)
{
	void	**v = vp;
	void	 *nv;
	size_t	  ncap;

	if (*n == *cap) {
		ncap = *cap == 0 ? 8 : *cap * 2;
		if ((nv = arena_array(l->a, ncap, sz)) == NULL)
			return (NULL);
		if (*n != 0)
			memcpy(nv, *v, *n * sz);
		*v = nv;
		*cap = ncap;
	}
	return ((char *)*v + (*n)++ * sz);
}

/* Edit distance, for "did you mean" (bounded to short words). */
static size_t
distance(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b), i, j, prev, cur, tmp;
	size_t	row[65];

	if (la > 64 || lb > 64)
		return (SIZE_MAX);
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = row[j];
			tmp = prev + ((a[i - 1] | 0x20) == (b[j - 1] | 0x20) ?
			    0 : 1);
			if (row[j] + 1 < tmp)
				tmp = row[j] + 1;
			if (row[j - 1] + 1 < tmp)
				tmp = row[j - 1] + 1;
			row[j] = tmp;
			prev = cur;
		}
	}
	return (row[lb]);
}

struct suggest {
	const char	*word;
	const char	*best;
	size_t		 dist;
};

static void
suggest_init(struct suggest *s, const char *word)
{
	s->word = word;
	s->best = NULL;
	s->dist = SIZE_MAX;
}

static void
suggest_add(struct suggest *s, const char *cand)
{
	size_t	d = distance(s->word, cand);

	if (d < s->dist) {
		s->dist = d;
		s->best = cand;
	}
}

/* " (did you mean 'x'?)" when something is close enough, else "". */
static const char *
suggest_str(const struct suggest *s, char *buf, size_t len)
{
	size_t	wl = strlen(s->word);

	buf[0] = '\0';
	if (s->best != NULL && s->dist <= (wl > 6 ? wl / 3 + 1 : 2) &&
	    s->dist < wl)
		snprintf(buf, len, " (did you mean '%s'?)", s->best);
	return (buf);
}

static int
is_ident(const char *s)
{
	size_t	i;

	if (s[0] == '\0' || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') ||
	    (s[0] >= 'A' && s[0] <= 'Z')))
		return (0);
	for (i = 1; s[i] != '\0'; i++)
		if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' &&
		    s[i] <= '9')))
			return (0);
	return (1);
}

static const char *
node_kind_name(const struct ynode *n)
{
	switch (n->kind) {
	case YN_SCALAR:
		return (n->plain ? "a plain scalar" : "a quoted string");
	case YN_SEQ:
		return ("a list");
	case YN_MAP:
		return ("a mapping");
	}
	return ("?");
}

static int
want(struct loader *l, const struct ynode *n, enum ynode_kind k,
    const char *what)
{
	static const char *const names[] = { "a scalar", "a list",
	    "a mapping" };

	if (n != NULL && n->kind == k)
		return (0);
	if (n == NULL)
		return (diag_set(l->d, "internal error: no %s", what));
	return (err_at(l, &n->pos, "%s must be %s, not %s", what, names[k],
	    node_kind_name(n)));
}

/* Parses "123" or "0x7b" into *v.  0, -1 not a number, -2 too large. */
static int
parse_uint(const char *s, uint64_t *v)
{
	uint64_t	 x = 0, dig;
	int		 base = 10;
	const char	*p = s;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (*p == '\0')
		return (-1);
	for (; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9')
			dig = (uint64_t)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			dig = (uint64_t)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			dig = (uint64_t)(*p - 'A' + 10);
		else
			return (-1);
		if (x > (UINT64_MAX - dig) / (uint64_t)base)
			return (-2);
		x = x * (uint64_t)base + dig;
	}
	*v = x;
	return (0);
}

/* A plain scalar that is a 64-bit unsigned integer.  0 or -1 (located). */
static int
get_u64(struct loader *l, const struct ynode *n, const char *what,
    uint64_t *v)
{
	int	rc;

	if (want(l, n, YN_SCALAR, what) == -1)
		return (-1);
	if (!n->plain)
		return (err_at(l, &n->pos, "%s must be an integer, not a "
		    "quoted string", what));
	if ((rc = parse_uint(n->str, v)) == -2)
		return (err_at(l, &n->pos, "%s: '%s' is larger than 64 bits",
		    what, n->str));
	if (rc == -1)
		return (err_at(l, &n->pos, "%s must be an integer (decimal or "
		    "0x hex), not '%s'", what, n->str));
	return (0);
}

static int
get_u64_range(struct loader *l, const struct ynode *n, const char *what,
    uint64_t lo, uint64_t hi, uint64_t *v)
{
	if (get_u64(l, n, what, v) == -1)
		return (-1);
	if (*v < lo || *v > hi)
		return (err_at(l, &n->pos, "%s must be between %llu and %llu",
		    what, (unsigned long long)lo, (unsigned long long)hi));
	return (0);
}

static int
get_bool(struct loader *l, const struct ynode *n, const char *what, int *v)
{
	if (want(l, n, YN_SCALAR, what) == -1)
		return (-1);
	if (n->plain && strcmp(n->str, "true") == 0)
		*v = 1;
	else if (n->plain && strcmp(n->str, "false") == 0)
		*v = 0;
	else
		return (err_at(l, &n->pos, "%s must be true or false, not "
		    "'%s'", what, n->str));
	return (0);
}

static int
get_str(struct loader *l, const struct ynode *n, const char *what,
    const char **v)
{
	if (want(l, n, YN_SCALAR, what) == -1)
		return (-1);
	if (n->len == 0)
		return (err_at(l, &n->pos, "%s is empty", what));
	*v = n->str;
	return (0);
}

static int
get_ident(struct loader *l, const struct ynode *n, const char *what,
    const char **v)
{
	if (get_str(l, n, what, v) == -1)
		return (-1);
	if (!is_ident(*v))
		return (err_at(l, &n->pos, "%s '%s' is not a name (letters, "
		    "digits, '_')", what, *v));
	return (0);
}

/* Reports an unknown key, suggesting the closest of words and fields. */
static int
unknown_key(struct loader *l, const struct ynode *k, const char *where,
    const char *const *words, const struct vfu_field *fields, size_t nfields)
{
	struct suggest	 s;
	char		 buf[128];
	size_t		 i;

	suggest_init(&s, k->str);
	for (i = 0; words != NULL && words[i] != NULL; i++)
		suggest_add(&s, words[i]);
	for (i = 0; i < nfields; i++)
		suggest_add(&s, fields[i].name);
	return (err_at(l, &k->pos, "unknown key '%s' in %s%s", k->str, where,
	    suggest_str(&s, buf, sizeof(buf))));
}

static int
in_words(const char *const *words, const char *w)
{
	size_t	i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(words[i], w) == 0)
			return (1);
	return (0);
}

/* Every key of m must be one of words. */
static int
check_keys(struct loader *l, const struct ynode *m, const char *where,
    const char *const *words)
{
	size_t	i;

	for (i = 0; i < m->n; i++)
		if (!in_words(words, YMAP_KEY(m, i)->str))
			return (unknown_key(l, YMAP_KEY(m, i), where, words,
			    NULL, 0));
	return (0);
}

static const struct ynode *
map_get(const struct ynode *m, const char *key)
{
	size_t	i;

	for (i = 0; i < m->n; i++)
		if (strcmp(YMAP_KEY(m, i)->str, key) == 0)
			return (YMAP_VAL(m, i));
	return (NULL);
}

/* ---- Names: variables, labels, fds, commands --------------------------- */

static int
var_defined(const struct loader *l, const char *name)
{
	size_t	i;

	for (i = 0; i < l->nvars; i++)
		if (strcmp(l->vars[i], name) == 0)
			return (1);
	return (0);
}

static int
var_define(struct loader *l, const char *name, const struct srcpos *p)
{
	const char	**slot;

	if (var_defined(l, name))
		return (0);
	slot = vec_push(l, &l->vars, &l->nvars, &l->capvars, sizeof(*slot));
	if (slot == NULL)
		return (oom(l, p));
	*slot = name;
	return (0);
}

static struct step *
label_find(const struct loader *l, const char *name)
{
	size_t	i;

	for (i = 0; i < l->nlabels; i++)
		if (strcmp(l->labels[i].name, name) == 0)
			return (l->labels[i].step);
	return (NULL);
}

/* The connection (reconnects before it) a labelled step is on. */
static unsigned
label_conn(const struct loader *l, const char *name)
{
	size_t	i;

	for (i = 0; i < l->nlabels; i++)
		if (strcmp(l->labels[i].name, name) == 0)
			return (l->labels[i].conn);
	return (0);
}

static int
fdname_known(const struct loader *l, const char *name)
{
	size_t	i;

	for (i = 0; i < l->nfdnames; i++)
		if (strcmp(l->fdnames[i], name) == 0)
			return (1);
	return (0);
}

static int
fdname_define(struct loader *l, const char *name, const struct srcpos *p)
{
	const char	**slot;

	if (fdname_known(l, name))
		return (err_at(l, p, "fd name '%s' is already used", name));
	slot = vec_push(l, &l->fdnames, &l->nfdnames, &l->capfdnames,
	    sizeof(*slot));
	if (slot == NULL)
		return (oom(l, p));
	*slot = name;
	return (0);
}

/* The descriptor of command name (short "DMA_MAP" or spec name). */
static int
command_lookup(struct loader *l, const struct ynode *n, int reply,
    const struct vfu_msg_desc **desc)
{
	struct suggest	 s;
	char		 buf[128];
	const char	*full;
	uint16_t	 c;

	if (want(l, n, YN_SCALAR, "a command") == -1)
		return (-1);
	if ((*desc = vfu_msg_desc_by_name(n->str, reply)) != NULL)
		return (0);
	suggest_init(&s, n->str);
	for (c = 1; c <= VFIO_USER_MAX_COMMAND; c++) {
		if ((full = vfu_command_name(c)) == NULL)
			continue;
		suggest_add(&s, strncmp(full, "VFIO_USER_", 10) == 0 ?
		    full + 10 : full);
	}
	return (err_at(l, &n->pos, "unknown command '%s'%s", n->str,
	    suggest_str(&s, buf, sizeof(buf))));
}

static int
errno_lookup(struct loader *l, const struct ynode *n, int *v)
{
	static const char *const common[] = { "EINVAL", "ENOENT", "EEXIST",
	    "ENOTSUP", "EOPNOTSUPP", "EFAULT", "ENOSPC", "ENOMEM", "EPERM",
	    "EBUSY", "EAGAIN", "ERANGE", "E2BIG", "EBADF", "EIO", "ENOSYS",
	    "EPROTO", "EMSGSIZE", "EACCES", "ENODEV", "ENXIO", "EOVERFLOW",
	    "EBADMSG", "ENOTTY", "ENODATA", NULL };
	struct suggest	 s;
	char		 buf[128];
	size_t		 i;

	if (want(l, n, YN_SCALAR, "an errno") == -1)
		return (-1);
	if ((*v = scenario_errno_value(n->str)) >= 0)
		return (0);
	suggest_init(&s, n->str);
	for (i = 0; common[i] != NULL; i++)
		suggest_add(&s, common[i]);
	return (err_at(l, &n->pos, "unknown errno name '%s'%s", n->str,
	    suggest_str(&s, buf, sizeof(buf))));
}

/*
 * Looks a flag or enum name up in a codec name table, ignoring case: the
 * spec spelling ("readable", "VFIO_IRQ_SET_DATA_EVENTFD") or a short form,
 * a unique '_'-separated tail of one ("DATA_EVENTFD", "TRIGGER").
 */
static int
name_lookup(struct loader *l, const struct ynode *n, const struct vfu_field *f,
    uint64_t *v)
{
	const struct vfu_name *nm, *hit = NULL, *other = NULL;
	struct suggest	 s;
	char		 buf[160];
	size_t		 ln = n->len, lf;

	for (nm = f->names; nm->name != NULL; nm++) {
		if (strcasecmp(nm->name, n->str) == 0) {
			hit = nm;
			other = NULL;
			break;
		}
		lf = strlen(nm->name);
		if (lf > ln && nm->name[lf - ln - 1] == '_' &&
		    strcasecmp(nm->name + lf - ln, n->str) == 0) {
			if (hit == NULL)
				hit = nm;
			else if (other == NULL)
				other = nm;
		}
	}
	if (hit != NULL && other != NULL)
		return (err_at(l, &n->pos, "'%s' is ambiguous for '%s': %s or "
		    "%s", n->str, f->name, hit->name, other->name));
	if (hit != NULL) {
		*v = hit->value;
		return (0);
	}
	suggest_init(&s, n->str);
	for (nm = f->names; nm->name != NULL; nm++) {
		suggest_add(&s, nm->name);
		if (strrchr(nm->name, '_') != NULL)
			suggest_add(&s, strrchr(nm->name, '_') + 1);
	}
	return (err_at(l, &n->pos, "unknown %s '%s' for '%s'%s",
	    f->kind == VFU_FIELD_FLAGS ? "flag" : "value name", n->str,
	    f->name, suggest_str(&s, buf, sizeof(buf))));
}

/* ---- Values ------------------------------------------------------------ */

/* "$name", "$name + N", "$name - N". */
static int
conv_var(struct loader *l, const struct ynode *n, struct value *v)
{
	const char	*p = n->str + 1, *e;
	char		 num[32];
	uint64_t	 x;
	int		 neg = 0;

	for (e = p; *e == '_' || (*e >= 'a' && *e <= 'z') ||
	    (*e >= 'A' && *e <= 'Z') || (*e >= '0' && *e <= '9'); e++)
		;
	if (e == p || (*p >= '0' && *p <= '9'))
		goto bad;
	v->kind = VALUE_VAR;
	v->pos = n->pos;
	if ((v->var = arena_strndup(l->a, p, (size_t)(e - p))) == NULL)
		return (oom(l, &n->pos));
	while (*e == ' ')
		e++;
	if (*e != '\0') {
		if (*e != '+' && *e != '-')
			goto bad;
		neg = *e == '-';
		e++;
		while (*e == ' ')
			e++;
		if (strlen(e) >= sizeof(num))
			goto bad;
		snprintf(num, sizeof(num), "%s", e);
		if (parse_uint(num, &x) != 0 || x > INT64_MAX)
			goto bad;
		v->addend = neg ? -(int64_t)x : (int64_t)x;
	}
	if (!var_defined(l, v->var))
		return (err_at(l, &n->pos, "variable '$%s' is used before it "
		    "is defined or captured", v->var));
	return (0);
bad:
	return (err_at(l, &n->pos, "bad expression '%s': write $name, "
	    "$name + N or $name - N", n->str));
}

/* Fits v in size bytes?  Reports at n. */
static int
check_fits(struct loader *l, const struct ynode *n, const char *what,
    size_t size, uint64_t v)
{
	if (size > 0 && size < 8 && (v >> (8 * size)) != 0)
		return (err_at(l, &n->pos, "value %s does not fit in '%s' "
		    "(%zu bytes)", n->str, what, size));
	return (0);
}

/*
 * An integer for field f (or a header field): a literal, a $variable
 * expression, a flag/enum name, or a list of flag names (OR'd).
 */
static int
conv_int(struct loader *l, const struct ynode *n, const struct vfu_field *f,
    struct value *v)
{
	const struct ynode *it;
	uint64_t	 x, acc = 0;
	size_t		 i;
	int		 rc;

	v->pos = n->pos;
	if (n->kind == YN_SEQ) {
		if (f->kind != VFU_FIELD_FLAGS)
			return (err_at(l, &n->pos, "'%s' takes one value, not "
			    "a list", f->name));
		for (i = 0; i < n->n; i++) {
			it = n->items[i];
			if (want(l, it, YN_SCALAR, "a flag") == -1)
				return (-1);
			if (it->plain && (rc = parse_uint(it->str, &x)) != -1) {
				if (rc == -2 || check_fits(l, it, f->name,
				    f->size, x) == -1)
					return (rc == -2 ? err_at(l, &it->pos,
					    "'%s' is larger than 64 bits",
					    it->str) : -1);
			} else if (f->names == NULL)
				return (err_at(l, &it->pos, "'%s' has no "
				    "named flags; give a number",
				    f->name));
			else if (name_lookup(l, it, f, &x) == -1)
				return (-1);
			acc |= x;
		}
		v->kind = VALUE_INT;
		v->u = acc;
		return (0);
	}
	if (want(l, n, YN_SCALAR, f->name) == -1)
		return (-1);
	if (!n->plain)
		return (err_at(l, &n->pos, "'%s' must be an integer or a name, "
		    "not a quoted string", f->name));
	if (n->str[0] == '$')
		return (conv_var(l, n, v));
	if ((rc = parse_uint(n->str, &x)) == -2)
		return (err_at(l, &n->pos, "'%s' is larger than 64 bits",
		    n->str));
	if (rc == 0) {
		if (check_fits(l, n, f->name, f->size, x) == -1)
			return (-1);
		v->kind = VALUE_INT;
		v->u = x;
		return (0);
	}
	if (n->str[0] == '-' && parse_uint(n->str + 1, &x) == 0)
		return (err_at(l, &n->pos, "'%s' cannot be negative",
		    f->name));
	if (f->names == NULL)
		return (err_at(l, &n->pos, "'%s' must be an integer (decimal "
		    "or 0x hex), not '%s'", f->name, n->str));
	if (name_lookup(l, n, f, &x) == -1)
		return (-1);
	v->kind = VALUE_INT;
	v->u = x;
	return (0);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Hex digits, whitespace between bytes allowed, optional 0x. */
static int
conv_hex(struct loader *l, const struct ynode *n, const char *what,
    struct value *v)
{
	const char	*s = n->str;
	uint8_t		*out;
	size_t		 i, nd = 0;
	int		 hi = -1, x;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')
			continue;
		if (hexval(s[i]) < 0)
			return (err_at(l, &n->pos, "bad hex in %s: '%c' at "
			    "character %zu is not a hex digit", what, s[i],
			    (size_t)(s - n->str) + i + 1));
		nd++;
	}
	if (nd % 2 != 0)
		return (err_at(l, &n->pos, "bad hex in %s: odd number of "
		    "digits (%zu)", what, nd));
	if ((out = arena_alloc(l->a, nd / 2)) == NULL)
		return (oom(l, &n->pos));
	nd = 0;
	for (i = 0; s[i] != '\0'; i++) {
		if ((x = hexval(s[i])) < 0)
			continue;
		if (hi < 0)
			hi = x;
		else {
			out[nd++] = (uint8_t)(hi << 4 | x);
			hi = -1;
		}
	}
	v->kind = VALUE_BYTES;
	v->pos = n->pos;
	v->bytes = out;
	v->len = nd;
	return (0);
}

static int
record_has_data(const struct step *st)
{
	size_t	i;

	if (st->kind != STEP_SEND)
		return (0);
	if (st->u.send.raw.kind == VALUE_BYTES)
		return (1);
	for (i = 0; i < st->u.send.nfields; i++)
		if (st->u.send.fields[i].field->kind == VFU_FIELD_DATA)
			return (1);
	return (0);
}

/*
 * Bytes: a hex string, {hex: ...}, {pattern: HEX, len: N}, {same_as:
 * label} (allow_same), or $var.  max: largest length, 0 for no limit
 * beyond SCN_MAX_BYTES.
 */
static int
conv_bytes(struct loader *l, const struct ynode *n, const char *what,
    size_t max, int allow_same, struct value *v)
{
	static const char *const keys[] = { "hex", "pattern", "len",
	    "same_as", NULL };
	const struct ynode *h, *pat, *len, *same;
	struct value	 pv;
	uint64_t	 ln;
	uint8_t		*out;
	size_t		 i;
	struct step	*st;

	v->pos = n->pos;
	if (n->kind == YN_SCALAR) {
		if (n->plain && n->str[0] == '$')
			return (conv_var(l, n, v));
		if (conv_hex(l, n, what, v) == -1)
			return (-1);
		goto sized;
	}
	if (want(l, n, YN_MAP, what) == -1)
		return (-1);
	if (check_keys(l, n, what, keys) == -1)
		return (-1);
	h = map_get(n, "hex");
	pat = map_get(n, "pattern");
	len = map_get(n, "len");
	same = map_get(n, "same_as");
	if ((h != NULL) + (pat != NULL) + (same != NULL) != 1)
		return (err_at(l, &n->pos, "%s needs exactly one of hex, "
		    "pattern or same_as", what));
	if (h != NULL) {
		if (len != NULL)
			return (err_at(l, &len->pos, "len goes with pattern, "
			    "not hex"));
		if (want(l, h, YN_SCALAR, "hex") == -1 ||
		    conv_hex(l, h, what, v) == -1)
			return (-1);
		v->pos = n->pos;
		goto sized;
	}
	if (same != NULL) {
		if (!allow_same)
			return (err_at(l, &same->pos, "same_as is not "
			    "allowed here"));
		if (len != NULL)
			return (err_at(l, &len->pos, "len goes with pattern, "
			    "not same_as"));
		if (want(l, same, YN_SCALAR, "same_as") == -1)
			return (-1);
		if ((st = label_find(l, same->str)) == NULL)
			return (err_at(l, &same->pos, "same_as: no earlier "
			    "step is labelled '%s'", same->str));
		if (!record_has_data(st))
			return (err_at(l, &same->pos, "same_as: step '%s' "
			    "sends no data", same->str));
		v->kind = VALUE_SAME_AS;
		v->ref = st;
		return (0);
	}
	if (len == NULL)
		return (err_at(l, &n->pos, "pattern needs len"));
	if (want(l, pat, YN_SCALAR, "pattern") == -1 ||
	    conv_hex(l, pat, "pattern", &pv) == -1)
		return (-1);
	if (pv.len == 0)
		return (err_at(l, &pat->pos, "pattern is empty"));
	if (get_u64_range(l, len, "len", 0, SCN_MAX_BYTES, &ln) == -1)
		return (-1);
	if ((out = arena_alloc(l->a, (size_t)ln)) == NULL)
		return (oom(l, &n->pos));
	for (i = 0; i < ln; i++)
		out[i] = pv.bytes[i % pv.len];
	v->kind = VALUE_BYTES;
	v->bytes = out;
	v->len = (size_t)ln;
sized:
	if (max != 0 && v->len > max)
		return (err_at(l, &v->pos, "%s is %zu bytes, more than the "
		    "%zu it can hold", what, v->len, max));
	return (0);
}

/* YAML to JSON (VERSION data).  Plain scalars become numbers, booleans
 * and null where they read as such; quoted ones stay strings. */
static int
to_json(struct loader *l, const struct ynode *n, struct json_object **out)
{
	struct json_object *o = NULL, *c;
	uint64_t	 x;
	size_t		 i;

	*out = NULL;
	switch (n->kind) {
	case YN_MAP:
		o = json_object_new_object();
		for (i = 0; o != NULL && i < n->n; i++) {
			if (to_json(l, YMAP_VAL(n, i), &c) == -1) {
				json_object_put(o);
				return (-1);
			}
			json_object_object_add(o, YMAP_KEY(n, i)->str, c);
		}
		break;
	case YN_SEQ:
		o = json_object_new_array();
		for (i = 0; o != NULL && i < n->n; i++) {
			if (to_json(l, n->items[i], &c) == -1) {
				json_object_put(o);
				return (-1);
			}
			json_object_array_add(o, c);
		}
		break;
	case YN_SCALAR:
		if (!n->plain)
			o = json_object_new_string(n->str);
		else if (strcmp(n->str, "true") == 0 ||
		    strcmp(n->str, "false") == 0)
			o = json_object_new_boolean(n->str[0] == 't');
		else if (strcmp(n->str, "null") == 0 ||
		    strcmp(n->str, "~") == 0 || n->len == 0)
			return (0);
		else if (parse_uint(n->str, &x) == 0) {
			if (x > INT64_MAX)
				return (err_at(l, &n->pos, "%s is too large "
				    "for JSON", n->str));
			o = json_object_new_int64((int64_t)x);
		} else
			o = json_object_new_string(n->str);
		break;
	}
	if (o == NULL)
		return (oom(l, &n->pos));
	*out = o;
	return (0);
}

/* VERSION data: a JSON string as is, or a mapping serialised to JSON. */
static int
conv_json(struct loader *l, const struct ynode *n, const char *what,
    struct value *v)
{
	struct json_object *o;
	const char	*s;

	v->pos = n->pos;
	if (n->kind == YN_SCALAR) {
		v->kind = VALUE_STRING;
		v->str = n->str;
		v->bytes = (const uint8_t *)n->str;
		v->len = n->len;
		return (0);
	}
	if (want(l, n, YN_MAP, what) == -1)
		return (-1);
	if (to_json(l, n, &o) == -1)
		return (-1);
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	v->kind = VALUE_STRING;
	v->str = s != NULL ? arena_strdup(l->a, s) : NULL;
	json_object_put(o);
	if (v->str == NULL)
		return (oom(l, &n->pos));
	v->bytes = (const uint8_t *)v->str;
	v->len = strlen(v->str);
	return (0);
}

static int conv_records(struct loader *, const struct ynode *,
    const struct vfu_field *, struct value *);

/* A value for field f as a send step writes it. */
static int
conv_field(struct loader *l, const struct ynode *n, const struct vfu_field *f,
    struct value *v)
{
	switch (f->kind) {
	case VFU_FIELD_DATA:
		return (conv_bytes(l, n, f->name, f->size, 1, v));
	case VFU_FIELD_JSON:
		return (conv_json(l, n, f->name, v));
	case VFU_FIELD_ARRAY:
		return (conv_records(l, n, f, v));
	default:
		return (conv_int(l, n, f, v));
	}
}

/* Fields set in mapping m, each checked against fields[]. */
static int
conv_field_sets(struct loader *l, const struct ynode *m, const char *where,
    const char *const *skip, const struct vfu_field *fields, size_t nfields,
    const struct field_set **out, size_t *nout)
{
	struct field_set *fs;
	const struct ynode *k;
	const struct vfu_field *f;
	size_t		 i, n = 0;

	if ((fs = arena_array(l->a, m->n, sizeof(*fs))) == NULL)
		return (oom(l, &m->pos));
	for (i = 0; i < m->n; i++) {
		k = YMAP_KEY(m, i);
		if (skip != NULL && in_words(skip, k->str))
			continue;
		if ((f = vfu_field_find(fields, nfields, k->str)) == NULL)
			return (unknown_key(l, k, where, skip, fields,
			    nfields));
		fs[n].name = f->name;
		fs[n].field = f;
		fs[n].pos = k->pos;
		if (conv_field(l, YMAP_VAL(m, i), f, &fs[n].v) == -1)
			return (-1);
		n++;
	}
	*out = fs;
	*nout = n;
	return (0);
}

/* An array field: a list of mappings of the element's fields. */
static int
conv_records(struct loader *l, const struct ynode *n,
    const struct vfu_field *f, struct value *v)
{
	struct record	*recs;
	char		 where[96];
	size_t		 i;

	if (want(l, n, YN_SEQ, f->name) == -1)
		return (-1);
	if (f->elem == NULL)
		return (err_at(l, &n->pos, "'%s' has no element description",
		    f->name));
	if ((recs = arena_array(l->a, n->n, sizeof(*recs))) == NULL)
		return (oom(l, &n->pos));
	snprintf(where, sizeof(where), "a %s element", f->elem->name);
	for (i = 0; i < n->n; i++) {
		if (want(l, n->items[i], YN_MAP, where) == -1)
			return (-1);
		recs[i].pos = n->items[i]->pos;
		if (conv_field_sets(l, n->items[i], where, NULL,
		    f->elem->fields, f->elem->nfields, &recs[i].fields,
		    &recs[i].nfields) == -1)
			return (-1);
	}
	v->kind = VALUE_RECORDS;
	v->pos = n->pos;
	v->recs = recs;
	v->nrecs = n->n;
	return (0);
}

/* ---- Matches ----------------------------------------------------------- */

static int conv_match(struct loader *, const struct ynode *,
    const struct vfu_field *, int, struct match *);

static int
literal(const struct value *v)
{
	return (v->kind == VALUE_INT);
}

/* {mask: M, value: V}, {range: [lo, hi]}, {any_of: [...]}. */
static int
conv_match_map(struct loader *l, const struct ynode *n,
    const struct vfu_field *f, int nested, struct match *m)
{
	static const char *const keys[] = { "mask", "value", "range",
	    "any_of", NULL };
	const struct ynode *mask, *val, *range, *any;
	struct match	*alts;
	size_t		 i;

	if (check_keys(l, n, "a match", keys) == -1)
		return (-1);
	mask = map_get(n, "mask");
	val = map_get(n, "value");
	range = map_get(n, "range");
	any = map_get(n, "any_of");
	if ((mask != NULL || val != NULL) + (range != NULL) + (any != NULL)
	    != 1)
		return (err_at(l, &n->pos, "a match is one of {mask:, value:}, "
		    "{range: [lo, hi]} or {any_of: [...]}"));
	if (mask != NULL || val != NULL) {
		if (mask == NULL || val == NULL)
			return (err_at(l, &n->pos, "a mask match needs both "
			    "mask and value"));
		m->kind = MATCH_MASK;
		if (conv_int(l, mask, f, &m->mask) == -1 ||
		    conv_int(l, val, f, &m->v) == -1)
			return (-1);
		if (literal(&m->mask) && literal(&m->v) &&
		    (m->v.u & ~m->mask.u) != 0)
			return (err_at(l, &val->pos, "value has bits outside "
			    "the mask"));
		return (0);
	}
	if (range != NULL) {
		if (range->kind != YN_SEQ || range->n != 2)
			return (err_at(l, &range->pos, "range must be a list "
			    "[lo, hi]"));
		m->kind = MATCH_RANGE;
		if (conv_int(l, range->items[0], f, &m->lo) == -1 ||
		    conv_int(l, range->items[1], f, &m->hi) == -1)
			return (-1);
		if (literal(&m->lo) && literal(&m->hi) && m->lo.u > m->hi.u)
			return (err_at(l, &range->pos, "range is empty: %s > "
			    "%s", range->items[0]->str,
			    range->items[1]->str));
		return (0);
	}
	if (nested)
		return (err_at(l, &any->pos, "any_of cannot nest"));
	if (want(l, any, YN_SEQ, "any_of") == -1)
		return (-1);
	if (any->n == 0)
		return (err_at(l, &any->pos, "any_of is empty"));
	if ((alts = arena_array(l->a, any->n, sizeof(*alts))) == NULL)
		return (oom(l, &any->pos));
	for (i = 0; i < any->n; i++)
		if (conv_match(l, any->items[i], f, 1, &alts[i]) == -1)
			return (-1);
	m->kind = MATCH_ANY_OF;
	m->alts = alts;
	m->nalts = any->n;
	return (0);
}

/* How a received field must look (nested: inside any_of). */
static int
conv_match(struct loader *l, const struct ynode *n, const struct vfu_field *f,
    int nested, struct match *m)
{
	m->pos = n->pos;
	m->kind = MATCH_EXACT;
	if (n->kind == YN_SCALAR && n->plain && (strcmp(n->str, "absent") ==
	    0 || strcmp(n->str, "any") == 0)) {
		if (nested)
			return (err_at(l, &n->pos, "'%s' cannot be inside "
			    "any_of", n->str));
		m->kind = n->str[1] == 'b' ? MATCH_ABSENT : MATCH_PRESENT;
		return (0);
	}
	switch (f->kind) {
	case VFU_FIELD_DATA:
		return (conv_bytes(l, n, f->name, 0, 1, &m->v));
	case VFU_FIELD_JSON:
		return (conv_json(l, n, f->name, &m->v));
	case VFU_FIELD_ARRAY:
		return (conv_records(l, n, f, &m->v));
	default:
		break;
	}
	if (n->kind == YN_MAP)
		return (conv_match_map(l, n, f, nested, m));
	return (conv_int(l, n, f, &m->v));
}

static int
conv_field_matches(struct loader *l, const struct ynode *m,
    const char *where, const struct vfu_field *fields, size_t nfields,
    const struct field_match **out, size_t *nout)
{
	struct field_match *fm;
	const struct ynode *k;
	const struct vfu_field *f;
	size_t		 i;

	if (want(l, m, YN_MAP, where) == -1)
		return (-1);
	if ((fm = arena_array(l->a, m->n, sizeof(*fm))) == NULL)
		return (oom(l, &m->pos));
	for (i = 0; i < m->n; i++) {
		k = YMAP_KEY(m, i);
		if ((f = vfu_field_find(fields, nfields, k->str)) == NULL)
			return (unknown_key(l, k, where, NULL, fields,
			    nfields));
		fm[i].name = f->name;
		fm[i].field = f;
		fm[i].pos = k->pos;
		if (conv_match(l, YMAP_VAL(m, i), f, 0, &fm[i].m) == -1)
			return (-1);
	}
	*out = fm;
	*nout = m->n;
	return (0);
}

/* ---- Header ------------------------------------------------------------ */

/* Header overrides of a send step: command and error also take names. */
static int
conv_header(struct loader *l, const struct ynode *m,
    const struct field_set **out, size_t *nout)
{
	struct field_set *fs;
	const struct vfu_msg_desc *desc;
	const struct vfu_field *f;
	const struct ynode *k, *v;
	size_t		 i;
	int		 e;

	if (want(l, m, YN_MAP, "header") == -1)
		return (-1);
	if ((fs = arena_array(l->a, m->n, sizeof(*fs))) == NULL)
		return (oom(l, &m->pos));
	for (i = 0; i < m->n; i++) {
		k = YMAP_KEY(m, i);
		v = YMAP_VAL(m, i);
		f = vfu_field_find(vfu_hdr_desc.fields, vfu_hdr_desc.nfields,
		    k->str);
		if (f == NULL)
			return (unknown_key(l, k, "header", NULL,
			    vfu_hdr_desc.fields, vfu_hdr_desc.nfields));
		fs[i].name = f->name;
		fs[i].field = f;
		fs[i].pos = k->pos;
		fs[i].v.pos = v->pos;
		if (v->kind == YN_SCALAR && v->plain && v->str[0] >= 'A' &&
		    v->str[0] <= 'Z' && strcmp(f->name, "command") == 0) {
			if (command_lookup(l, v, 0, &desc) == -1)
				return (-1);
			fs[i].v.kind = VALUE_INT;
			fs[i].v.u = desc->command;
		} else if (v->kind == YN_SCALAR && v->plain &&
		    v->str[0] == 'E' && strcmp(f->name, "error") == 0) {
			if (errno_lookup(l, v, &e) == -1)
				return (-1);
			fs[i].v.kind = VALUE_INT;
			fs[i].v.u = (uint64_t)e;
		} else if (conv_int(l, v, f, &fs[i].v) == -1)
			return (-1);
	}
	*out = fs;
	*nout = m->n;
	return (0);
}

/* ---- File descriptors -------------------------------------------------- */

static const char *const fd_kind_names[] = {
	[FD_MEMFD] = "memfd",
	[FD_EVENTFD] = "eventfd",
	[FD_SOCKET] = "socket",
	[FD_PIPE] = "pipe",
	[FD_FILE] = "file",
	[FD_REF] = "ref",
	[FD_ANY] = "any",
};

static int
fd_kind_lookup(struct loader *l, const struct ynode *n, int expect,
    enum fd_kind *k)
{
	static const char *const send_kinds[] = { "memfd", "eventfd",
	    "socket", "pipe", "file", NULL };
	static const char *const expect_kinds[] = { "memfd", "eventfd",
	    "socket", "pipe", "file", "any", NULL };
	const char *const *kinds = expect ? expect_kinds : send_kinds;
	struct suggest	 s;
	char		 buf[128];
	size_t		 i;

	if (want(l, n, YN_SCALAR, "an fd kind") == -1)
		return (-1);
	for (i = 0; i < sizeof(fd_kind_names) / sizeof(fd_kind_names[0]);
	    i++)
		if (in_words(kinds, n->str) &&
		    strcmp(fd_kind_names[i], n->str) == 0) {
			*k = (enum fd_kind)i;
			return (0);
		}
	suggest_init(&s, n->str);
	for (i = 0; kinds[i] != NULL; i++)
		suggest_add(&s, kinds[i]);
	return (err_at(l, &n->pos, "unknown fd kind '%s'%s", n->str,
	    suggest_str(&s, buf, sizeof(buf))));
}

/* An fd a send step passes: "eventfd", {memfd: SIZE, content:, as:},
 * {kind: K, size:, content:, as:}, {ref: NAME}. */
static int
conv_fd(struct loader *l, const struct ynode *n, struct fd_spec *fs)
{
	static const char *const keys[] = { "kind", "memfd", "size",
	    "content", "as", "ref", NULL };
	const struct ynode *kind, *memfd, *size, *content, *as, *ref;

	fs->pos = n->pos;
	if (n->kind == YN_SCALAR) {
		if (fd_kind_lookup(l, n, 0, &fs->kind) == -1)
			return (-1);
		if (fs->kind == FD_MEMFD || fs->kind == FD_FILE)
			return (err_at(l, &n->pos, "a %s needs a size: "
			    "{kind: %s, size: N}", n->str, n->str));
		return (0);
	}
	if (want(l, n, YN_MAP, "an fd") == -1 ||
	    check_keys(l, n, "an fd", keys) == -1)
		return (-1);
	kind = map_get(n, "kind");
	memfd = map_get(n, "memfd");
	size = map_get(n, "size");
	content = map_get(n, "content");
	as = map_get(n, "as");
	ref = map_get(n, "ref");
	if ((kind != NULL) + (memfd != NULL) + (ref != NULL) != 1)
		return (err_at(l, &n->pos, "an fd needs exactly one of kind, "
		    "memfd or ref"));
	if (ref != NULL) {
		if (size != NULL || content != NULL || as != NULL)
			return (err_at(l, &n->pos, "ref takes no other keys"));
		if (get_ident(l, ref, "ref", &fs->ref) == -1)
			return (-1);
		if (!fdname_known(l, fs->ref))
			return (err_at(l, &ref->pos, "unknown fd '%s' (no "
			    "earlier fd has 'as: %s')", fs->ref, fs->ref));
		fs->kind = FD_REF;
		return (0);
	}
	if (memfd != NULL) {
		if (size != NULL)
			return (err_at(l, &size->pos, "size is given twice "
			    "(memfd: SIZE already says it)"));
		fs->kind = FD_MEMFD;
		size = memfd;
	} else if (fd_kind_lookup(l, kind, 0, &fs->kind) == -1)
		return (-1);
	if (fs->kind == FD_MEMFD || fs->kind == FD_FILE) {
		if (size == NULL)
			return (err_at(l, &n->pos, "a %s needs a size",
			    fd_kind_names[fs->kind]));
		if (get_u64_range(l, size, "size", 0, (uint64_t)1 << 40,
		    &fs->size) == -1)
			return (-1);
	} else if (size != NULL || content != NULL)
		return (err_at(l, &(size != NULL ? size : content)->pos,
		    "a %s has no size or content", fd_kind_names[fs->kind]));
	if (content != NULL) {
		if (conv_bytes(l, content, "content", fs->size < SCN_MAX_BYTES ?
		    (size_t)fs->size : SCN_MAX_BYTES, 0, &fs->content) == -1)
			return (-1);
		if (fs->content.kind == VALUE_BYTES && fs->content.len == 0)
			fs->content.kind = VALUE_NONE;
		if (fs->size == 0 && fs->content.kind != VALUE_NONE)
			return (err_at(l, &content->pos, "content is larger "
			    "than the fd (size 0)"));
	}
	if (as != NULL) {
		if (get_ident(l, as, "as", &fs->name) == -1 ||
		    fdname_define(l, fs->name, &as->pos) == -1)
			return (-1);
	}
	return (0);
}

static int
conv_fds(struct loader *l, const struct ynode *n, int one,
    const struct fd_spec **out, size_t *nout)
{
	struct fd_spec	*fds;
	size_t		 i, cnt;

	if (!one && want(l, n, YN_SEQ, "fds") == -1)
		return (-1);
	cnt = one ? 1 : n->n;
	if ((fds = arena_array(l->a, cnt, sizeof(*fds))) == NULL)
		return (oom(l, &n->pos));
	for (i = 0; i < cnt; i++)
		if (conv_fd(l, one ? n : n->items[i], &fds[i]) == -1)
			return (-1);
	*out = fds;
	*nout = cnt;
	return (0);
}

/* ---- Steps ------------------------------------------------------------- */

static int
conv_label(struct loader *l, const struct ynode *m, struct step *st)
{
	const struct ynode *n = map_get(m, "label");

	if (n == NULL)
		return (0);
	if (get_ident(l, n, "label", &st->label) == -1)
		return (-1);
	if (label_find(l, st->label) != NULL)
		return (err_at(l, &n->pos, "label '%s' is already used",
		    st->label));
	return (0);
}

static int
label_define(struct loader *l, struct step *st)
{
	struct label_ent *e;

	if (st->label == NULL)
		return (0);
	e = vec_push(l, &l->labels, &l->nlabels, &l->caplabels, sizeof(*e));
	if (e == NULL)
		return (oom(l, &st->pos));
	e->name = st->label;
	e->step = st;
	e->conn = l->conn;
	return (0);
}

static int
pending_push(struct loader *l, struct step *st)
{
	struct step	**slot;

	slot = vec_push(l, &l->pending, &l->npending, &l->cappending,
	    sizeof(*slot));
	if (slot == NULL)
		return (oom(l, &st->pos));
	*slot = st;
	return (0);
}

static void
pending_remove(struct loader *l, size_t i)
{
	memmove(&l->pending[i], &l->pending[i + 1],
	    (l->npending - i - 1) * sizeof(l->pending[0]));
	l->npending--;
}

static const char *const send_keys[] = { "send", "label", "reply", "errno",
    "no_reply", "header", "fd", "fds", NULL };
static const char *const raw_keys[] = { "raw", "label", "fd", "fds", NULL };

static int
conv_send(struct loader *l, const struct ynode *m, int raw, struct step *st)
{
	struct step_send *s = &st->u.send;
	const struct ynode *n, *fd, *fds;
	char		 where[96];
	int		 e;

	st->kind = STEP_SEND;
	fd = map_get(m, "fd");
	fds = map_get(m, "fds");
	if (fd != NULL && fds != NULL)
		return (err_at(l, &fds->pos, "give fd or fds, not both"));
	if (raw) {
		if (check_keys(l, m, "a raw step", raw_keys) == -1)
			return (-1);
		if (conv_bytes(l, map_get(m, "raw"), "raw", 0, 0,
		    &s->raw) == -1)
			return (-1);
		if (s->raw.kind != VALUE_BYTES)
			return (err_at(l, &s->raw.pos, "raw takes literal "
			    "bytes"));
	} else {
		if ((n = map_get(m, "reply")) != NULL &&
		    get_bool(l, n, "reply", &s->reply) == -1)
			return (-1);
		if ((n = map_get(m, "errno")) != NULL) {
			if (errno_lookup(l, n, &e) == -1)
				return (-1);
			s->reply = 1;
			s->is_error = 1;
			s->err = (uint32_t)e;
		}
		if ((n = map_get(m, "no_reply")) != NULL &&
		    get_bool(l, n, "no_reply", &s->no_reply) == -1)
			return (-1);
		if (command_lookup(l, map_get(m, "send"), s->reply,
		    &s->desc) == -1)
			return (-1);
		if ((n = map_get(m, "header")) != NULL &&
		    conv_header(l, n, &s->hdr, &s->nhdr) == -1)
			return (-1);
		snprintf(where, sizeof(where), "a %s send step",
		    s->desc->name);
		if (conv_field_sets(l, m, where, send_keys,
		    s->desc->fields, s->desc->nfields, &s->fields,
		    &s->nfields) == -1)
			return (-1);
	}
	if (fd != NULL && conv_fds(l, fd, 1, &s->fds, &s->nfds) == -1)
		return (-1);
	if (fds != NULL && conv_fds(l, fds, 0, &s->fds, &s->nfds) == -1)
		return (-1);
	if (!raw && !s->reply && !s->no_reply)
		return (pending_push(l, st));
	return (0);
}

/* capture: {var: field, var2: header.msg_id} */
static int
conv_captures(struct loader *l, const struct ynode *m,
    const struct vfu_msg_desc *desc, struct expect_msg *em)
{
	struct capture	*c;
	const struct ynode *k, *v;
	const char	*name;
	size_t		 i;

	if (want(l, m, YN_MAP, "capture") == -1)
		return (-1);
	if ((c = arena_array(l->a, m->n, sizeof(*c))) == NULL)
		return (oom(l, &m->pos));
	for (i = 0; i < m->n; i++) {
		k = YMAP_KEY(m, i);
		v = YMAP_VAL(m, i);
		if (!is_ident(k->str))
			return (err_at(l, &k->pos, "capture: '%s' is not a "
			    "variable name", k->str));
		if (want(l, v, YN_SCALAR, "a captured field") == -1)
			return (-1);
		c[i].var = k->str;
		c[i].pos = k->pos;
		name = v->str;
		if (strncmp(name, "header.", 7) == 0) {
			c[i].header = 1;
			name += 7;
			c[i].field = vfu_field_find(vfu_hdr_desc.fields,
			    vfu_hdr_desc.nfields, name);
		} else if (desc != NULL)
			c[i].field = vfu_field_find(desc->fields,
			    desc->nfields, name);
		if (c[i].field == NULL)
			return (err_at(l, &v->pos, "capture: %s has no field "
			    "'%s'", c[i].header ? "the header" : desc != NULL ?
			    desc->name : "this message", name));
		c[i].name = c[i].field->name;
	}
	em->caps = c;
	em->ncaps = m->n;
	return (0);
}

/* fds: N, or {count: MATCH, kinds: [..], as: [..]} */
static int
conv_expect_fds(struct loader *l, const struct ynode *n, struct expect_msg *em)
{
	static const char *const keys[] = { "count", "kinds", "as", NULL };
	static const struct vfu_field count_field = { .name = "fds.count",
	    .size = 2, .kind = VFU_FIELD_UINT };
	const struct ynode *count, *kinds, *as;
	enum fd_kind	*k;
	const char	**names;
	size_t		 i;

	if (n->kind == YN_SCALAR) {
		em->has_fd_count = 1;
		return (conv_match(l, n, &count_field, 0, &em->fd_count));
	}
	if (want(l, n, YN_MAP, "fds") == -1 ||
	    check_keys(l, n, "fds", keys) == -1)
		return (-1);
	count = map_get(n, "count");
	kinds = map_get(n, "kinds");
	as = map_get(n, "as");
	if (count != NULL) {
		em->has_fd_count = 1;
		if (conv_match(l, count, &count_field, 0, &em->fd_count) == -1)
			return (-1);
	}
	if (kinds != NULL) {
		if (want(l, kinds, YN_SEQ, "kinds") == -1)
			return (-1);
		if ((k = arena_array(l->a, kinds->n, sizeof(*k))) == NULL)
			return (oom(l, &kinds->pos));
		for (i = 0; i < kinds->n; i++)
			if (fd_kind_lookup(l, kinds->items[i], 1, &k[i]) == -1)
				return (-1);
		em->fd_kinds = k;
		em->nfd_kinds = kinds->n;
	}
	if (as != NULL) {
		if (want(l, as, YN_SEQ, "as") == -1)
			return (-1);
		if ((names = arena_array(l->a, as->n, sizeof(*names))) == NULL)
			return (oom(l, &as->pos));
		for (i = 0; i < as->n; i++)
			if (get_ident(l, as->items[i], "as", &names[i]) == -1 ||
			    fdname_define(l, names[i], &as->items[i]->pos) ==
			    -1)
				return (-1);
		em->fd_names = names;
		em->nfd_names = as->n;
	}
	return (0);
}

static const char *const msg_keys[] = { "reply", "request", "command",
    "errno", "fields", "header", "fds", "capture", "close", NULL };

/*
 * One expected message: m holds reply: or request:, and errno, fields,
 * header, fds, capture.  req_desc: the request a reply answers (NULL when
 * unknown).
 */
static int
conv_expect_msg(struct loader *l, const struct ynode *m,
    const struct vfu_msg_desc *req_desc, struct expect_msg *em)
{
	const struct ynode *reply, *request, *command, *n, *it;
	int		*errs;
	size_t		 i;

	em->pos = m->pos;
	reply = map_get(m, "reply");
	request = map_get(m, "request");
	command = map_get(m, "command");
	if (request != NULL) {
		if (reply != NULL || command != NULL)
			return (err_at(l, &(reply != NULL ? reply :
			    command)->pos, "request: expects a request; "
			    "'%s' is for replies", reply != NULL ? "reply" :
			    "command"));
		if (command_lookup(l, request, 0, &em->desc) == -1)
			return (-1);
	} else {
		if (want(l, reply, YN_SCALAR, "reply") == -1)
			return (-1);
		if (strcmp(reply->str, "ok") == 0)
			em->status = REPLY_OK;
		else if (strcmp(reply->str, "error") == 0)
			em->status = REPLY_ERROR;
		else if (strcmp(reply->str, "any") == 0)
			em->status = REPLY_ANY;
		else
			return (err_at(l, &reply->pos, "reply must be ok, "
			    "error or any, not '%s'", reply->str));
		if (command != NULL) {
			if (command_lookup(l, command, 1, &em->desc) == -1)
				return (-1);
		} else if (req_desc != NULL)
			em->desc = vfu_msg_desc(req_desc->command, 1);
		else
			return (err_at(l, &reply->pos, "no request is waiting "
			    "for this reply: send one first, or name it "
			    "with 'command:'"));
		if (em->desc == NULL)
			return (err_at(l, &reply->pos, "the codec has no "
			    "reply for this command"));
	}
	if ((n = map_get(m, "errno")) != NULL) {
		if (request != NULL || em->status != REPLY_ERROR)
			return (err_at(l, &n->pos, "errno goes with "
			    "'reply: error'"));
		if (n->kind == YN_SEQ) {
			if (n->n == 0)
				return (err_at(l, &n->pos, "errno list is "
				    "empty"));
			errs = arena_array(l->a, n->n, sizeof(*errs));
			if (errs == NULL)
				return (oom(l, &n->pos));
			for (i = 0; i < n->n; i++) {
				it = n->items[i];
				if (errno_lookup(l, it, &errs[i]) == -1)
					return (-1);
			}
			em->nerrnos = n->n;
		} else {
			if ((errs = arena_alloc(l->a, sizeof(*errs))) == NULL)
				return (oom(l, &n->pos));
			if (errno_lookup(l, n, &errs[0]) == -1)
				return (-1);
			em->nerrnos = 1;
		}
		em->errnos = errs;
	}
	if ((n = map_get(m, "fields")) != NULL) {
		if (request == NULL && em->status == REPLY_ERROR)
			return (err_at(l, &n->pos, "an error reply has no "
			    "payload fields"));
		if (conv_field_matches(l, n, em->desc->name, em->desc->fields,
		    em->desc->nfields, &em->fields, &em->nfields) == -1)
			return (-1);
	}
	if ((n = map_get(m, "header")) != NULL &&
	    conv_field_matches(l, n, "header", vfu_hdr_desc.fields,
	    vfu_hdr_desc.nfields, &em->hdr, &em->nhdr) == -1)
		return (-1);
	if ((n = map_get(m, "fds")) != NULL &&
	    conv_expect_fds(l, n, em) == -1)
		return (-1);
	if ((n = map_get(m, "capture")) != NULL &&
	    conv_captures(l, n, em->desc, em) == -1)
		return (-1);
	return (0);
}

/* The request a reply answers: to: label, or the oldest pending. */
static int
reply_target(struct loader *l, const struct ynode *to, struct step **out)
{
	struct step	*st;
	size_t		 i;

	*out = NULL;
	if (to != NULL) {
		if (want(l, to, YN_SCALAR, "to") == -1)
			return (-1);
		if ((st = label_find(l, to->str)) == NULL)
			return (err_at(l, &to->pos, "to: no earlier step is "
			    "labelled '%s'", to->str));
		if (st->kind != STEP_SEND || st->u.send.desc == NULL ||
		    st->u.send.reply || st->u.send.no_reply)
			return (err_at(l, &to->pos, "to: step '%s' sends no "
			    "request that waits for a reply", to->str));
		if (label_conn(l, to->str) != l->conn)
			return (err_at(l, &to->pos, "to: step '%s' was sent "
			    "on an earlier connection: no reply to it comes "
			    "after the reconnect at line %u", to->str,
			    l->last_reconnect->pos.line));
		for (i = 0; i < l->npending; i++)
			if (l->pending[i] == st) {
				pending_remove(l, i);
				break;
			}
		*out = st;
		return (0);
	}
	if (l->npending > 0) {
		*out = l->pending[0];
		pending_remove(l, 0);
	}
	return (0);
}

static const char *const expect_keys[] = { "reply", "request", "close",
    "silence_ms", "irq", "one_of", "to", "within_ms", "command", "errno",
    "fields", "header", "fds", "capture", "fires", NULL };

static int
conv_expect(struct loader *l, const struct ynode *m, struct step *st)
{
	static const char *const scalars[] = { "ok", "error", "any", "close",
	    NULL };
	static const char *const kinds[] = { "reply", "request", "close",
	    "silence_ms", "irq", "one_of", NULL };
	struct step_expect *e = &st->u.expect;
	const struct ynode *v = map_get(m, "expect"), *kind = NULL, *n;
	const struct ynode *to, *kval = NULL;
	struct expect_msg *alts;
	struct step	*req = NULL;
	const struct vfu_msg_desc *rdesc;
	struct suggest	 s;
	char		 buf[128];
	size_t		 i, j;
	int		 b, kind_set = 0;

	st->kind = STEP_EXPECT;
	if (check_keys(l, m, "an expect step", (const char *const[]){
	    "expect", "label", NULL }) == -1)
		return (-1);
	if (v->kind == YN_SCALAR) {
		if (!in_words(scalars, v->str)) {
			suggest_init(&s, v->str);
			for (i = 0; scalars[i] != NULL; i++)
				suggest_add(&s, scalars[i]);
			return (err_at(l, &v->pos, "expect: '%s' is not ok, "
			    "error, any or close%s", v->str,
			    suggest_str(&s, buf, sizeof(buf))));
		}
		if (strcmp(v->str, "close") == 0) {
			e->kind = EXPECT_CLOSE;
			return (0);
		}
		e->kind = EXPECT_REPLY;
		if (reply_target(l, NULL, &req) == -1)
			return (-1);
		if (req == NULL)
			return (err_at(l, &v->pos, "no request is waiting for "
			    "this reply: send one first"));
		if ((alts = arena_alloc(l->a, sizeof(*alts))) == NULL)
			return (oom(l, &v->pos));
		alts->pos = v->pos;
		alts->status = v->str[0] == 'o' ? REPLY_OK : v->str[0] == 'e' ?
		    REPLY_ERROR : REPLY_ANY;
		alts->desc = vfu_msg_desc(req->u.send.desc->command, 1);
		e->to = req;
		e->alts = alts;
		e->nalts = 1;
		return (0);
	}
	if (want(l, v, YN_MAP, "expect") == -1 ||
	    check_keys(l, v, "expect", expect_keys) == -1)
		return (-1);
	for (i = 0; i < v->n; i++) {
		if (!in_words(kinds, YMAP_KEY(v, i)->str))
			continue;
		if (kind != NULL)
			return (err_at(l, &YMAP_KEY(v, i)->pos, "expect has "
			    "both '%s' and '%s'", kind->str,
			    YMAP_KEY(v, i)->str));
		kind = YMAP_KEY(v, i);
		kval = YMAP_VAL(v, i);
	}
	if (kind == NULL)
		return (err_at(l, &v->pos, "expect needs one of reply, "
		    "request, close, silence_ms, irq or one_of"));
	if ((n = map_get(v, "fires")) != NULL && strcmp(kind->str, "irq") != 0)
		return (err_at(l, &n->pos, "fires goes with irq, not with %s",
		    kind->str));
	if ((n = map_get(v, "within_ms")) != NULL &&
	    get_u64_range(l, n, "within_ms", 1, MAX_MS, &e->within_ms) == -1)
		return (-1);
	to = map_get(v, "to");
	if (to != NULL && strcmp(kind->str, "reply") != 0 &&
	    strcmp(kind->str, "one_of") != 0)
		return (err_at(l, &to->pos, "to: goes with reply or one_of"));
	if (strcmp(kind->str, "close") == 0 ||
	    strcmp(kind->str, "silence_ms") == 0 ||
	    strcmp(kind->str, "irq") == 0) {
		for (i = 0; i < v->n; i++) {
			n = YMAP_KEY(v, i);
			if (n != kind && strcmp(n->str, "within_ms") != 0 &&
			    strcmp(n->str, "fires") != 0)
				return (err_at(l, &n->pos, "'%s' does not go "
				    "with %s", n->str, kind->str));
		}
		n = kval;
		if (kind->str[0] == 'c') {
			e->kind = EXPECT_CLOSE;
			if (get_bool(l, n, "close", &b) == -1)
				return (-1);
			if (!b)
				return (err_at(l, &n->pos, "close: false "
				    "expects nothing; remove it"));
		} else if (kind->str[0] == 's') {
			e->kind = EXPECT_SILENCE;
			if (map_get(v, "within_ms") != NULL)
				return (err_at(l, &map_get(v,
				    "within_ms")->pos, "silence_ms is the "
				    "window; within_ms does not apply"));
			if (get_u64_range(l, n, "silence_ms", 1, MAX_MS,
			    &e->within_ms) == -1)
				return (-1);
		} else {
			e->kind = EXPECT_IRQ;
			if (get_ident(l, n, "irq", &e->irq_fd) == -1)
				return (-1);
			if (!fdname_known(l, e->irq_fd))
				return (err_at(l, &n->pos, "unknown fd '%s' "
				    "(no earlier fd has 'as: %s')", e->irq_fd,
				    e->irq_fd));
			if ((n = map_get(v, "fires")) != NULL) {
				if (get_bool(l, n, "fires", &b) == -1)
					return (-1);
				e->irq_quiet = !b;
			}
			if (e->irq_quiet && e->within_ms == 0)
				return (err_at(l, &kind->pos, "irq with fires: "
				    "false needs within_ms: how long the "
				    "eventfd must stay quiet"));
		}
		return (0);
	}
	if (strcmp(kind->str, "one_of") != 0) {
		e->kind = strcmp(kind->str, "reply") == 0 ? EXPECT_REPLY :
		    EXPECT_REQUEST;
		if (e->kind == EXPECT_REPLY) {
			if (map_get(v, "command") == NULL &&
			    reply_target(l, to, &req) == -1)
				return (-1);
			if (map_get(v, "command") != NULL && to != NULL)
				return (err_at(l, &to->pos, "give to or "
				    "command, not both"));
			e->to = req;
		}
		if ((alts = arena_alloc(l->a, sizeof(*alts))) == NULL)
			return (oom(l, &v->pos));
		if (conv_expect_msg(l, v, req != NULL ? req->u.send.desc :
		    NULL, alts) == -1)
			return (-1);
		e->alts = alts;
		e->nalts = 1;
		goto captured;
	}
	/* one_of: a list of alternative messages. */
	for (i = 0; i < v->n; i++) {
		n = YMAP_KEY(v, i);
		if (n != kind && strcmp(n->str, "within_ms") != 0 &&
		    strcmp(n->str, "to") != 0)
			return (err_at(l, &n->pos, "'%s' goes inside each "
			    "one_of alternative", n->str));
	}
	n = kval;
	if (want(l, n, YN_SEQ, "one_of") == -1)
		return (-1);
	if (n->n < 2)
		return (err_at(l, &n->pos, "one_of needs at least two "
		    "alternatives"));
	if ((alts = arena_array(l->a, n->n, sizeof(*alts))) == NULL)
		return (oom(l, &n->pos));
	e->kind = EXPECT_REPLY;
	for (i = 0; i < n->n; i++) {
		const struct ynode *alt = n->items[i], *cl;

		if (want(l, alt, YN_MAP, "a one_of alternative") == -1 ||
		    check_keys(l, alt, "a one_of alternative", msg_keys) == -1)
			return (-1);
		if ((cl = map_get(alt, "close")) != NULL) {
			if (alt->n != 1)
				return (err_at(l, &alt->pos, "a close "
				    "alternative takes no other keys"));
			if (get_bool(l, cl, "close", &b) == -1)
				return (-1);
			if (!b)
				return (err_at(l, &cl->pos, "close: false "
				    "is no outcome"));
			alts[i].pos = alt->pos;
			alts[i].close = 1;
			continue;
		}
		if ((map_get(alt, "reply") != NULL) +
		    (map_get(alt, "request") != NULL) != 1)
			return (err_at(l, &alt->pos, "each one_of alternative "
			    "needs reply, request or close"));
		b = map_get(alt, "request") != NULL;
		if (!kind_set) {
			kind_set = 1;
			e->kind = b ? EXPECT_REQUEST : EXPECT_REPLY;
			if (!b && reply_target(l, to, &req) == -1)
				return (-1);
			e->to = req;
		} else if (b != (e->kind == EXPECT_REQUEST))
			return (err_at(l, &alt->pos, "one_of alternatives "
			    "must all be replies or all requests"));
		rdesc = req != NULL ? req->u.send.desc : NULL;
		if (conv_expect_msg(l, alt, rdesc, &alts[i]) == -1)
			return (-1);
	}
	if (!kind_set)
		return (err_at(l, &n->pos, "one_of needs a reply or request "
		    "alternative besides close"));
	e->alts = alts;
	e->nalts = n->n;
captured:
	/* Captured variables exist for the steps after this one. */
	for (i = 0; i < e->nalts; i++)
		for (j = 0; j < e->alts[i].ncaps; j++)
			if (var_define(l, e->alts[i].caps[j].var,
			    &e->alts[i].caps[j].pos) == -1)
				return (-1);
	return (0);
}

static int
conv_serve(struct loader *l, const struct ynode *m, struct step *st)
{
	static const char *const keys[] = { "serve", "label", "count",
	    "within_ms", "check_window", "fields", NULL };
	struct step_serve *s = &st->u.serve;
	const struct vfu_msg_desc *desc;
	const struct ynode *v = map_get(m, "serve"), *n;

	st->kind = STEP_SERVE;
	if (check_keys(l, m, "a serve step", keys) == -1)
		return (-1);
	if (want(l, v, YN_SCALAR, "serve") == -1)
		return (-1);
	if (strcmp(v->str, "any") == 0)
		desc = vfu_msg_desc(VFIO_USER_DMA_READ, 0);
	else {
		if (command_lookup(l, v, 0, &desc) == -1)
			return (-1);
		if (desc->command != VFIO_USER_DMA_READ &&
		    desc->command != VFIO_USER_DMA_WRITE)
			return (err_at(l, &v->pos, "serve takes DMA_READ, "
			    "DMA_WRITE or any, not %s", v->str));
		s->desc = desc;
	}
	s->count = 1;
	s->check_window = 1;
	if ((n = map_get(m, "count")) != NULL &&
	    get_u64_range(l, n, "count", 1, MAX_REPEAT, &s->count) == -1)
		return (-1);
	if ((n = map_get(m, "within_ms")) != NULL &&
	    get_u64_range(l, n, "within_ms", 1, MAX_MS, &s->within_ms) == -1)
		return (-1);
	if ((n = map_get(m, "check_window")) != NULL &&
	    get_bool(l, n, "check_window", &s->check_window) == -1)
		return (-1);
	if ((n = map_get(m, "fields")) != NULL && desc != NULL &&
	    conv_field_matches(l, n, desc->name, desc->fields, desc->nfields,
	    &s->fields, &s->nfields) == -1)
		return (-1);
	return (0);
}

/*
 * reconnect: {} or {within_ms: N}.  The connection after it is a new one:
 * requests still unanswered are dropped, and "to:" may not name them.
 */
static int
conv_reconnect(struct loader *l, const struct ynode *m, struct step *st)
{
	static const char *const keys[] = { "reconnect", "label", NULL };
	static const char *const opts[] = { "within_ms", NULL };
	const struct ynode *v = map_get(m, "reconnect"), *n;

	st->kind = STEP_RECONNECT;
	if (check_keys(l, m, "a reconnect step", keys) == -1)
		return (-1);
	if (l->role != ROLE_CLIENT)
		return (err_at(l, &st->pos, "reconnect needs role: client "
		    "(the harness connects again)"));
	if (v->kind != YN_MAP)
		return (err_at(l, &v->pos, "reconnect takes a mapping: write "
		    "'reconnect: {}' or 'reconnect: {within_ms: N}', not %s",
		    v->kind == YN_SEQ ? "a list" : v->len == 0 ? "nothing" :
		    "a scalar"));
	if (check_keys(l, v, "reconnect", opts) == -1)
		return (-1);
	if ((n = map_get(v, "within_ms")) != NULL &&
	    get_u64_range(l, n, "within_ms", 1, MAX_MS,
	    &st->u.reconnect.within_ms) == -1)
		return (-1);
	l->npending = 0;
	l->conn++;
	l->last_reconnect = st;
	return (0);
}

static int conv_steps(struct loader *, const struct ynode *,
    const struct include_site *, const struct step **, size_t *);

static int
conv_repeat(struct loader *l, const struct ynode *m,
    const struct include_site *inc, struct step *st)
{
	static const char *const keys[] = { "repeat", "label", "var",
	    "steps", NULL };
	struct step_repeat *r = &st->u.repeat;
	const struct ynode *n, *steps;
	size_t		 saved = l->nvars;

	st->kind = STEP_REPEAT;
	if (check_keys(l, m, "a repeat step", keys) == -1)
		return (-1);
	if (get_u64_range(l, map_get(m, "repeat"), "repeat", 1, MAX_REPEAT,
	    &r->count) == -1)
		return (-1);
	if ((steps = map_get(m, "steps")) == NULL)
		return (err_at(l, &m->pos, "repeat needs steps"));
	if ((n = map_get(m, "var")) != NULL) {
		if (get_ident(l, n, "var", &r->var) == -1 ||
		    var_define(l, r->var, &n->pos) == -1)
			return (-1);
		if (l->nvars == saved)
			return (err_at(l, &n->pos, "var '%s' hides a variable "
			    "of the same name", r->var));
	}
	if (conv_steps(l, steps, inc, &r->steps, &r->nsteps) == -1)
		return (-1);
	/* The counter lives in the loop only; captures stay. */
	if (r->var != NULL) {
		for (saved = 0; saved < l->nvars; saved++)
			if (strcmp(l->vars[saved], r->var) == 0)
				break;
		memmove(&l->vars[saved], &l->vars[saved + 1],
		    (l->nvars - saved - 1) * sizeof(l->vars[0]));
		l->nvars--;
	}
	return (0);
}

static int
conv_step(struct loader *l, const struct flat *fl, struct step *st)
{
	const struct ynode *m = fl->n, *kind = NULL, *k;
	size_t		 i;

	st->included_at = fl->inc;
	st->pos = m->pos;
	for (i = 0; i < m->n; i++) {
		k = YMAP_KEY(m, i);
		if (!in_words(step_kinds, k->str))
			continue;
		if (kind != NULL)
			return (err_at(l, &k->pos, "a step has one kind: "
			    "'%s' and '%s' given", kind->str, k->str));
		kind = k;
	}
	if (kind == NULL)
		return (err_at(l, &m->pos, "step has no kind: give send, raw, "
		    "expect, serve, repeat, reconnect or include"));
	st->pos = kind->pos;
	if (conv_label(l, m, st) == -1)
		return (-1);
	switch (kind->str[0]) {
	case 's':
		if (kind->str[1] == 'e' && kind->str[2] == 'n') {
			if (conv_send(l, m, 0, st) == -1)
				return (-1);
		} else if (conv_serve(l, m, st) == -1)
			return (-1);
		break;
	case 'r':
		if (strcmp(kind->str, "raw") == 0) {
			if (conv_send(l, m, 1, st) == -1)
				return (-1);
		} else if (strcmp(kind->str, "reconnect") == 0) {
			if (conv_reconnect(l, m, st) == -1)
				return (-1);
		} else if (conv_repeat(l, m, fl->inc, st) == -1)
			return (-1);
		break;
	case 'e':
		if (conv_expect(l, m, st) == -1)
			return (-1);
		break;
	default:
		return (err_at(l, &kind->pos, "include takes no other keys"));
	}
	return (label_define(l, st));
}

/* ---- Includes ---------------------------------------------------------- */

static int
file_exists(const char *path)
{
	struct stat	sb;

	return (stat(path, &sb) == 0 && S_ISREG(sb.st_mode));
}

static void
dir_of(const char *path, char *buf, size_t len)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		snprintf(buf, len, ".");
	else if (slash == path)
		snprintf(buf, len, "/");
	else
		snprintf(buf, len, "%.*s", (int)(slash - path), path);
}

/* Joins dir and name without doubling "./". */
static int
join(char *buf, size_t len, const char *dir, const char *sep,
    const char *name)
{
	int	n;

	if (strcmp(dir, ".") == 0 && sep[0] == '\0')
		n = snprintf(buf, len, "%s", name);
	else
		n = snprintf(buf, len, "%s/%s%s", dir, sep, name);
	return (n < 0 || (size_t)n >= len ? -1 : 0);
}

/* Finds the file name includes: see scenario_load() for the order. */
static int
include_resolve(struct loader *l, const struct ynode *n, const char *from,
    char *out, size_t len)
{
	char	dir[PATH_MAX], up[PATH_MAX];
	size_t	i;

	if (n->str[0] == '/') {
		if (file_exists(n->str)) {
			snprintf(out, len, "%s", n->str);
			return (0);
		}
		goto notfound;
	}
	dir_of(from, dir, sizeof(dir));
	if (join(out, len, dir, "", n->str) == 0 && file_exists(out))
		return (0);
	for (i = 0; l->search_dirs != NULL && l->search_dirs[i] != NULL; i++)
		if (join(out, len, l->search_dirs[i], "", n->str) == 0 &&
		    file_exists(out))
			return (0);
	dir_of(l->top, dir, sizeof(dir));
	for (;;) {
		if (join(out, len, dir, "common/", n->str) == 0 &&
		    file_exists(out))
			return (0);
		if (strcmp(dir, ".") == 0 || strcmp(dir, "/") == 0)
			break;
		snprintf(up, sizeof(up), "%s", dir);
		dir_of(up, dir, sizeof(dir));
	}
notfound:
	return (err_at(l, &n->pos, "include '%s' not found (looked next to "
	    "%s, in the search directories and in common/)", n->str, from));
}

static int flatten(struct loader *, const struct ynode *,
    const struct include_site *, const char *, struct flat **, size_t *,
    size_t *);

/* Expands one include step (m) into its fragment's steps. */
static int
include_expand(struct loader *l, const struct ynode *m,
    const struct include_site *inc, const char *from, struct flat **v,
    size_t *nv, size_t *cap)
{
	static const char *const frag_keys[] = { "fragment", "description",
	    "steps", NULL };
	const struct ynode *val = map_get(m, "include"), *steps, *n;
	struct ynode	*root;
	struct include_site *site;
	char		 path[PATH_MAX], chain[sizeof(l->d->msg)];
	char		*real, *name;
	const char	*s;
	size_t		 i, off;
	int		 rc;

	if (check_keys(l, m, "an include step", (const char *const[]){
	    "include", NULL }) == -1)
		return (-1);
	if (get_str(l, val, "include", &s) == -1)
		return (-1);
	if (include_resolve(l, val, from, path, sizeof(path)) == -1)
		return (-1);
	if ((real = realpath(path, NULL)) == NULL)
		return (err_at(l, &val->pos, "include '%s': %s", val->str,
		    diag_strerror(errno)));
	for (i = 0; i <= l->depth; i++) {
		if (strcmp(l->chain_real[i], real) != 0)
			continue;
		/* The whole chain, from the scenario file down. */
		off = 0;
		for (i = 0; i <= l->depth && off < sizeof(chain); i++)
			off += (size_t)snprintf(chain + off,
			    sizeof(chain) - off, "%s -> ", l->chain_name[i]);
		if (off < sizeof(chain) && snprintf(chain + off,
		    sizeof(chain) - off, "%s", path) < 0)
			chain[off] = '\0';
		free(real);
		return (err_at(l, &val->pos, "include cycle: %s", chain));
	}
	if (l->depth + 1 >= SCENARIO_MAX_INCLUDE_DEPTH) {
		free(real);
		return (err_at(l, &val->pos, "includes nested deeper than %d",
		    SCENARIO_MAX_INCLUDE_DEPTH));
	}
	if ((name = arena_strdup(l->a, path)) == NULL) {
		free(real);
		return (oom(l, &val->pos));
	}
	l->depth++;
	l->chain_real[l->depth] = real;
	l->chain_name[l->depth] = name;
	rc = -1;
	if (ytree_load(l->a, name, &root, l->d) == -1)
		goto out;
	if (root == NULL) {
		diag_at(l->d, name, 1, 1, "empty fragment");
		goto out;
	}
	if (want(l, root, YN_MAP, "a fragment") == -1)
		goto out;
	if (map_get(root, "id") != NULL) {
		err_at(l, &val->pos, "'%s' is a scenario, not a fragment "
		    "(fragments have 'fragment:' and 'steps:')", val->str);
		goto out;
	}
	if (check_keys(l, root, "a fragment", frag_keys) == -1)
		goto out;
	if ((n = map_get(root, "fragment")) == NULL) {
		err_at(l, &root->pos, "a fragment needs 'fragment:' (its "
		    "title)");
		goto out;
	}
	if (get_str(l, n, "fragment", &s) == -1)
		goto out;
	if ((steps = map_get(root, "steps")) == NULL) {
		err_at(l, &root->pos, "a fragment needs 'steps:'");
		goto out;
	}
	if ((site = arena_alloc(l->a, sizeof(*site))) == NULL) {
		oom(l, &val->pos);
		goto out;
	}
	site->pos = val->pos;
	site->parent = inc;
	rc = flatten(l, steps, site, l->chain_name[l->depth], v, nv, cap);
out:
	free(l->chain_real[l->depth]);
	l->chain_real[l->depth] = NULL;
	l->depth--;
	return (rc);
}

/* Lists the steps of seq with includes expanded, in order. */
static int
flatten(struct loader *l, const struct ynode *seq,
    const struct include_site *inc, const char *from, struct flat **v,
    size_t *nv, size_t *cap)
{
	const struct ynode *it;
	struct flat	*f;
	size_t		 i;

	if (want(l, seq, YN_SEQ, "steps") == -1)
		return (-1);
	if (seq->n == 0)
		return (err_at(l, &seq->pos, "steps is empty"));
	for (i = 0; i < seq->n; i++) {
		it = seq->items[i];
		if ((it->kind == YN_SCALAR && it->len == 0 && it->plain) ||
		    (it->kind == YN_MAP && it->n == 0))
			return (err_at(l, &it->pos, "empty step"));
		if (want(l, it, YN_MAP, "a step") == -1)
			return (-1);
		if (map_get(it, "include") != NULL) {
			if (include_expand(l, it, inc, from, v, nv, cap) == -1)
				return (-1);
			continue;
		}
		if ((f = vec_push(l, v, nv, cap, sizeof(*f))) == NULL)
			return (oom(l, &it->pos));
		f->n = it;
		f->inc = inc;
	}
	return (0);
}

/* Converts a list of steps (includes expanded) into an array. */
static int
conv_steps(struct loader *l, const struct ynode *seq,
    const struct include_site *inc, const struct step **out, size_t *nout)
{
	struct flat	*v = NULL;
	struct step	*steps;
	size_t		 nv = 0, cap = 0, i;

	if (flatten(l, seq, inc, inc != NULL ? inc->pos.file : seq->pos.file,
	    &v, &nv, &cap) == -1)
		return (-1);
	if ((steps = arena_array(l->a, nv, sizeof(*steps))) == NULL)
		return (oom(l, &seq->pos));
	for (i = 0; i < nv; i++)
		if (conv_step(l, &v[i], &steps[i]) == -1)
			return (-1);
	*out = steps;
	*nout = nv;
	return (0);
}

/* ---- The scenario ------------------------------------------------------ */

static const char *const top_keys[] = { "id", "title", "spec",
    "requirement", "description", "level", "role", "tags", "requires",
    "profile", "timeout_ms", "serve_dma", "vars", "steps", NULL };

static const struct {
	const char	*name;
	unsigned	 bit;
} req_names[] = {
	{ "migration", SCN_REQ_MIGRATION },
	{ "write_multiple", SCN_REQ_WRITE_MULTIPLE },
	{ "twin_socket", SCN_REQ_TWIN_SOCKET },
	{ "dirty_logging", SCN_REQ_DIRTY_LOGGING },
	{ "reset", SCN_REQ_RESET },
	{ "irq_eventfd", SCN_REQ_IRQ_EVENTFD },
	{ "io_fds", SCN_REQ_IO_FDS },
	{ "dma", SCN_REQ_DMA },
	{ "mmap", SCN_REQ_MMAP },
};

#define NREQ	(sizeof(req_names) / sizeof(req_names[0]))

static int
conv_requires(struct loader *l, const struct ynode *n, unsigned *bits)
{
	const struct ynode *it;
	struct suggest	 s;
	char		 buf[128];
	size_t		 i, j;

	if (want(l, n, YN_SEQ, "requires") == -1)
		return (-1);
	for (i = 0; i < n->n; i++) {
		it = n->items[i];
		if (want(l, it, YN_SCALAR, "a requirement") == -1)
			return (-1);
		for (j = 0; j < NREQ; j++)
			if (strcmp(req_names[j].name, it->str) == 0)
				break;
		if (j == NREQ) {
			suggest_init(&s, it->str);
			for (j = 0; j < NREQ; j++)
				suggest_add(&s, req_names[j].name);
			return (err_at(l, &it->pos, "unknown capability '%s' "
			    "in requires%s", it->str,
			    suggest_str(&s, buf, sizeof(buf))));
		}
		*bits |= req_names[j].bit;
	}
	return (0);
}

static int
conv_strlist(struct loader *l, const struct ynode *n, const char *what,
    int scalar_ok, const char * const **out, size_t *nout)
{
	const char	**v;
	size_t		 i, cnt;

	if (scalar_ok && n->kind == YN_SCALAR)
		cnt = 1;
	else if (want(l, n, YN_SEQ, what) == -1)
		return (-1);
	else
		cnt = n->n;
	if (cnt == 0)
		return (err_at(l, &n->pos, "%s is empty", what));
	if ((v = arena_array(l->a, cnt, sizeof(*v))) == NULL)
		return (oom(l, &n->pos));
	for (i = 0; i < cnt; i++)
		if (get_str(l, n->kind == YN_SCALAR ? n : n->items[i], what,
		    &v[i]) == -1)
			return (-1);
	*out = v;
	*nout = cnt;
	return (0);
}

/* Each requirement ID must name a rule of the catalogue (lint.h). */
static int
check_requirements(struct loader *l, const struct ynode *n)
{
	const struct ynode *it;
	const struct rule *r;
	struct suggest	 s;
	char		 buf[128];
	size_t		 i, j, cnt, nr;

	if (n == NULL)		/* conv_strlist has reported it */
		return (-1);
	cnt = n->kind == YN_SCALAR ? 1 : n->n;
	for (i = 0; i < cnt; i++) {
		it = n->kind == YN_SCALAR ? n : n->items[i];
		if (lint_rule_find(it->str) != NULL)
			continue;
		r = lint_rules(&nr);
		suggest_init(&s, it->str);
		for (j = 0; j < nr; j++)
			suggest_add(&s, r[j].id);
		return (err_at(l, &it->pos, "unknown requirement '%s' (see "
		    "vfu-conform rules)%s", it->str,
		    suggest_str(&s, buf, sizeof(buf))));
	}
	return (0);
}

static int
conv_vars(struct loader *l, const struct ynode *m, struct scenario *sc)
{
	static const struct vfu_field var_field = { .name = "a variable",
	    .size = 8, .kind = VFU_FIELD_UINT };
	struct var_def	*v;
	const struct ynode *k, *val;
	size_t		 i;

	if (want(l, m, YN_MAP, "vars") == -1)
		return (-1);
	if ((v = arena_array(l->a, m->n, sizeof(*v))) == NULL)
		return (oom(l, &m->pos));
	for (i = 0; i < m->n; i++) {
		k = YMAP_KEY(m, i);
		val = YMAP_VAL(m, i);
		if (!is_ident(k->str))
			return (err_at(l, &k->pos, "vars: '%s' is not a "
			    "variable name", k->str));
		v[i].name = k->str;
		v[i].pos = k->pos;
		if (val->kind == YN_MAP) {
			if (conv_bytes(l, val, k->str, 0, 0, &v[i].v) == -1)
				return (-1);
		} else if (val->kind == YN_SCALAR && val->plain &&
		    val->str[0] == '$')
			return (err_at(l, &val->pos, "vars: a variable cannot "
			    "be defined from another"));
		else if (conv_int(l, val, &var_field, &v[i].v) == -1)
			return (-1);
		if (var_define(l, k->str, &k->pos) == -1)
			return (-1);
	}
	sc->vars = v;
	sc->nvars = m->n;
	return (0);
}

static int
conv_top(struct loader *l, const struct ynode *root, struct scenario *sc)
{
	static const char *const required[] = { "id", "title", "spec",
	    "requirement", "level", "role", "steps", NULL };
	const struct ynode *n;
	size_t		 i;
	int		 b;

	if (want(l, root, YN_MAP, "a scenario") == -1)
		return (-1);
	if (map_get(root, "fragment") != NULL)
		return (err_at(l, &root->pos, "this is a fragment; include it "
		    "from a scenario"));
	if (check_keys(l, root, "a scenario", top_keys) == -1)
		return (-1);
	for (i = 0; required[i] != NULL; i++)
		if (map_get(root, required[i]) == NULL)
			return (err_at(l, &root->pos, "missing required key "
			    "'%s'", required[i]));
	sc->pos = root->pos;
	if (get_str(l, map_get(root, "id"), "id", &sc->id) == -1 ||
	    get_str(l, map_get(root, "title"), "title", &sc->title) == -1 ||
	    get_str(l, map_get(root, "spec"), "spec", &sc->spec) == -1)
		return (-1);
	if ((n = map_get(root, "description")) != NULL &&
	    get_str(l, n, "description", &sc->description) == -1)
		return (-1);
	if (conv_strlist(l, map_get(root, "requirement"), "requirement", 1,
	    &sc->requirements, &sc->nrequirements) == -1 ||
	    check_requirements(l, map_get(root, "requirement")) == -1)
		return (-1);
	n = map_get(root, "level");
	if (want(l, n, YN_SCALAR, "level") == -1)
		return (-1);
	if (strcmp(n->str, "must") == 0)
		sc->level = LEVEL_MUST;
	else if (strcmp(n->str, "should") == 0)
		sc->level = LEVEL_SHOULD;
	else if (strcmp(n->str, "may") == 0)
		sc->level = LEVEL_MAY;
	else
		return (err_at(l, &n->pos, "level must be must, should or "
		    "may, not '%s'", n->str));
	n = map_get(root, "role");
	if (want(l, n, YN_SCALAR, "role") == -1)
		return (-1);
	if (strcmp(n->str, "client") == 0)
		sc->role = ROLE_CLIENT;
	else if (strcmp(n->str, "server") == 0)
		sc->role = ROLE_SERVER;
	else
		return (err_at(l, &n->pos, "role must be client or server, "
		    "not '%s'", n->str));
	l->role = sc->role;
	if ((n = map_get(root, "tags")) != NULL &&
	    conv_strlist(l, n, "tags", 0, &sc->tags, &sc->ntags) == -1)
		return (-1);
	if ((n = map_get(root, "requires")) != NULL &&
	    conv_requires(l, n, &sc->requires) == -1)
		return (-1);
	if ((n = map_get(root, "profile")) != NULL &&
	    get_str(l, n, "profile", &sc->profile) == -1)
		return (-1);
	sc->timeout_ms = 0;	/* not given: the runner's default (-T) */
	if ((n = map_get(root, "timeout_ms")) != NULL &&
	    get_u64_range(l, n, "timeout_ms", 1, MAX_MS, &sc->timeout_ms) == -1)
		return (-1);
	if ((n = map_get(root, "serve_dma")) != NULL) {
		if (get_bool(l, n, "serve_dma", &b) == -1)
			return (-1);
		sc->serve_dma = b;
	}
	if ((n = map_get(root, "vars")) != NULL && conv_vars(l, n, sc) == -1)
		return (-1);
	if (conv_steps(l, map_get(root, "steps"), NULL, &sc->steps,
	    &sc->nsteps) == -1)
		return (-1);
	sc->reconnects = l->conn;
	return (0);
}

int
scenario_load(const char *path, const char * const *search_dirs,
    struct scenario *sc, struct diag *d)
{
	struct loader	 l;
	struct ynode	*root;
	int		 rc = -1;

	memset(sc, 0, sizeof(*sc));
	diag_clear(d);
	memset(&l, 0, sizeof(l));
	l.d = d;
	l.search_dirs = search_dirs;
	if ((l.a = arena_new()) == NULL)
		return (diag_at(d, path, 0, 0, "out of memory"));
	if ((sc->path = arena_strdup(l.a, path)) == NULL) {
		diag_at(d, path, 0, 0, "out of memory");
		goto out;
	}
	l.top = sc->path;
	if ((l.chain_real[0] = realpath(path, NULL)) == NULL) {
		diag_errno(d, errno, "cannot open");
		snprintf(d->file, sizeof(d->file), "%s", path);
		goto out;
	}
	l.chain_name[0] = sc->path;
	if (ytree_load(l.a, sc->path, &root, d) == -1)
		goto out;
	if (root == NULL) {
		diag_at(d, path, 1, 1, "empty scenario file");
		goto out;
	}
	rc = conv_top(&l, root, sc);
out:
	free(l.chain_real[0]);
	if (rc == -1) {
		arena_free(l.a);
		memset(sc, 0, sizeof(*sc));
		return (-1);
	}
	sc->arena = l.a;
	return (0);
}

void
scenario_free(struct scenario *sc)
{
	if (sc == NULL)
		return;
	arena_free(sc->arena);
	memset(sc, 0, sizeof(*sc));
}

const char *
scenario_step_kind_name(enum step_kind k)
{
	switch (k) {
	case STEP_SEND:
		return ("send");
	case STEP_EXPECT:
		return ("expect");
	case STEP_SERVE:
		return ("serve");
	case STEP_REPEAT:
		return ("repeat");
	case STEP_RECONNECT:
		return ("reconnect");
	}
	return ("?");
}

const char *
scenario_level_name(enum scn_level lv)
{
	switch (lv) {
	case LEVEL_MUST:
		return ("must");
	case LEVEL_SHOULD:
		return ("should");
	case LEVEL_MAY:
		return ("may");
	}
	return ("?");
}

const char *
scenario_role_name(enum scn_role r)
{
	return (r == ROLE_CLIENT ? "client" : r == ROLE_SERVER ? "server" :
	    "?");
}

const char *
scenario_fd_kind_name(enum fd_kind k)
{
	if ((size_t)k < sizeof(fd_kind_names) / sizeof(fd_kind_names[0]))
		return (fd_kind_names[k]);
	return ("?");
}
