/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * match: expectations against received messages, and the scenario's
 * variables; see match.h.  Fixed-size fields are read from the message's
 * bytes at the offsets of the codec's field tables (host order, which is
 * the wire order), so what is compared is what was on the wire even when
 * the codec refused the message.  Only the region info capability chain,
 * which has no fixed stride, is read from the decoded form.
 */
#include "config.h"
#include "match.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "codec.h"
#include "diag.h"
#include "result.h"

#define HDR	VFIO_USER_HDR_SIZE

/* ---- Variables --------------------------------------------------------- */

void
match_vars_init(struct match_vars *mv)
{
	memset(mv, 0, sizeof(*mv));
}

void
match_vars_free(struct match_vars *mv)
{
	size_t	i;

	for (i = 0; i < mv->n; i++) {
		free(mv->v[i].name);
		free(mv->v[i].bytes);
	}
	free(mv->v);
	memset(mv, 0, sizeof(*mv));
}

const struct match_var *
match_vars_get(const struct match_vars *mv, const char *name)
{
	size_t	i;

	for (i = 0; i < mv->n; i++)
		if (strcmp(mv->v[i].name, name) == 0)
			return (&mv->v[i]);
	return (NULL);
}

/* The slot for name, added empty if new; NULL when out of memory. */
static struct match_var *
vars_slot(struct match_vars *mv, const char *name)
{
	struct match_var *nv;
	size_t	i, ncap;

	for (i = 0; i < mv->n; i++)
		if (strcmp(mv->v[i].name, name) == 0) {
			free(mv->v[i].bytes);
			mv->v[i].bytes = NULL;
			mv->v[i].len = 0;
			return (&mv->v[i]);
		}
	if (mv->n == mv->cap) {
		ncap = mv->cap == 0 ? 8 : mv->cap * 2;
		if ((nv = reallocarray(mv->v, ncap, sizeof(*nv))) == NULL)
			return (NULL);
		mv->v = nv;
		mv->cap = ncap;
	}
	nv = &mv->v[mv->n];
	memset(nv, 0, sizeof(*nv));
	if ((nv->name = strdup(name)) == NULL)
		return (NULL);
	mv->n++;
	return (nv);
}

int
match_vars_set_int(struct match_vars *mv, const char *name, uint64_t u)
{
	struct match_var *v;

	if ((v = vars_slot(mv, name)) == NULL)
		return (-1);
	v->is_bytes = 0;
	v->u = u;
	return (0);
}

int
match_vars_set_bytes(struct match_vars *mv, const char *name, const void *p,
    size_t len)
{
	struct match_var *v;

	if ((v = vars_slot(mv, name)) == NULL)
		return (-1);
	v->is_bytes = 1;
	v->u = 0;
	/* one more byte so that an empty value still owns memory */
	if ((v->bytes = malloc(len + 1)) == NULL)
		return (-1);
	if (len > 0)
		memcpy(v->bytes, p, len);
	v->len = len;
	return (0);
}

/* ---- Values ------------------------------------------------------------ */

static int DIAG_PRINTF(3, 4)
value_err(struct diag *d, const struct value *v, const char *fmt, ...)
{
	va_list	ap;
	char	msg[256];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return (diag_at(d, v->pos.file != NULL ? v->pos.file : "",
	    v->pos.line, v->pos.col, "%s", msg));
}

/* Formats a field path (vsnprintf: long names are cut, not refused). */
static void DIAG_PRINTF(3, 4)
pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* The variable v names, or NULL with *d filled when it has no value. */
static const struct match_var *
value_var(const struct value *v, const struct match_env *env, struct diag *d)
{
	const struct match_var *mv;

	mv = env != NULL && env->vars != NULL ?
	    match_vars_get(env->vars, v->var) : NULL;
	if (mv == NULL)
		(void)value_err(d, v, "variable '$%s' has no value (its "
		    "capture did not happen)", v->var);
	return (mv);
}

int
match_value_int(const struct value *v, const struct match_env *env,
    uint64_t *out, struct diag *d)
{
	const struct match_var *mv;

	switch (v->kind) {
	case VALUE_INT:
		*out = v->u;
		return (0);
	case VALUE_VAR:
		if ((mv = value_var(v, env, d)) == NULL)
			return (-1);
		if (mv->is_bytes)
			return (value_err(d, v, "variable '$%s' holds bytes, "
			    "not a number", v->var));
		*out = mv->u + (uint64_t)v->addend;
		return (0);
	default:
		break;
	}
	return (value_err(d, v, "%s", "a number is needed here"));
}

int
match_value_bytes(const struct value *v, const struct match_env *env,
    const uint8_t **p, size_t *len, struct diag *d)
{
	const struct match_var *mv;

	switch (v->kind) {
	case VALUE_BYTES:
	case VALUE_STRING:
		*p = v->bytes;
		*len = v->len;
		return (0);
	case VALUE_SAME_AS:
		if (env == NULL || env->sent == NULL ||
		    env->sent(env->sent_arg, v->ref, p, len) == -1)
			return (value_err(d, v, "same_as: step '%s' has sent "
			    "nothing yet", v->ref != NULL &&
			    v->ref->label != NULL ? v->ref->label : "?"));
		return (0);
	case VALUE_VAR:
		if ((mv = value_var(v, env, d)) == NULL)
			return (-1);
		if (!mv->is_bytes)
			return (value_err(d, v, "variable '$%s' holds a "
			    "number, not bytes", v->var));
		if (v->addend != 0)
			return (value_err(d, v, "variable '$%s' holds bytes: "
			    "no arithmetic", v->var));
		*p = mv->bytes;
		*len = mv->len;
		return (0);
	default:
		break;
	}
	return (value_err(d, v, "%s", "bytes are needed here"));
}

/* ---- Rendering --------------------------------------------------------- */

const char *
match_format_bytes(const uint8_t *p, size_t len, char *buf, size_t buflen)
{
	size_t	i, used = 0, shown;
	int	n;

	if (buflen == 0)
		return (buf);
	buf[0] = '\0';
	if (len == 0) {
		snprintf(buf, buflen, "(no bytes)");
		return (buf);
	}
	/* "xx " per byte, and room for the tail */
	shown = buflen > 32 ? (buflen - 32) / 3 : 0;
	if (shown > len)
		shown = len;
	for (i = 0; i < shown; i++) {
		n = snprintf(buf + used, buflen - used, "%s%02x",
		    i > 0 ? " " : "", p[i]);
		if (n < 0 || (size_t)n >= buflen - used)
			break;
		used += (size_t)n;
	}
	if (shown < len)
		snprintf(buf + used, buflen - used, "%s... (%zu bytes)",
		    used > 0 ? " " : "", len);
	return (buf);
}

/* JSON text for a report: printable ASCII as is, the rest as \xNN. */
static const char *
format_text(const uint8_t *p, size_t len, char *buf, size_t buflen)
{
	size_t	i, used = 0;
	int	n;

	buf[0] = '\0';
	for (i = 0; i < len && used + 8 < buflen; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f)
			n = snprintf(buf + used, buflen - used, "%c", p[i]);
		else
			n = snprintf(buf + used, buflen - used, "\\x%02x",
			    p[i]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (i < len && used + 4 < buflen)
		snprintf(buf + used, buflen - used, "...");
	return (buf);
}

static const char *
errno_str(int e, char *buf, size_t len)
{
	const char *n = scenario_errno_name(e);

	if (n != NULL)
		snprintf(buf, len, "%s (%d)", n, e);
	else
		snprintf(buf, len, "%d", e);
	return (buf);
}

/* The field's value rendered with its names. */
static void
format_value(const struct vfu_field *f, uint64_t v, char *buf, size_t len)
{
	vfu_field_format(f, v, buf, len);
}

/* Appends printf text to buf at *used. */
static void DIAG_PRINTF(4, 5)
cat(char *buf, size_t len, size_t *used, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (*used >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *used, len - *used, fmt, ap);
	va_end(ap);
	if (n > 0)
		*used += (size_t)n;
	if (*used >= len)
		*used = len - 1;
}

/* ---- Integer matches --------------------------------------------------- */

static uint64_t
width_mask(const struct vfu_field *f)
{
	if (f->size == 0 || f->size >= 8)
		return (UINT64_MAX);
	return (((uint64_t)1 << (8 * f->size)) - 1);
}

/* One EXACT, MASK or RANGE alternative. */
static int
match_one(const struct match *m, const struct vfu_field *f, uint64_t actual,
    const struct match_env *env, char *exp, size_t explen, struct diag *d)
{
	uint64_t	v, mask, lo, hi, wm = width_mask(f);
	char		a[96], b[96];

	switch (m->kind) {
	case MATCH_EXACT:
		if (match_value_int(&m->v, env, &v, d) == -1)
			return (-1);
		v &= wm;
		format_value(f, v, exp, explen);
		return (actual == v);
	case MATCH_MASK:
		if (match_value_int(&m->mask, env, &mask, d) == -1 ||
		    match_value_int(&m->v, env, &v, d) == -1)
			return (-1);
		format_value(f, v, a, sizeof(a));
		format_value(f, mask, b, sizeof(b));
		snprintf(exp, explen, "%s under mask %s", a, b);
		return ((actual & mask) == (v & mask));
	case MATCH_RANGE:
		if (match_value_int(&m->lo, env, &lo, d) == -1 ||
		    match_value_int(&m->hi, env, &hi, d) == -1)
			return (-1);
		format_value(f, lo & wm, a, sizeof(a));
		format_value(f, hi & wm, b, sizeof(b));
		snprintf(exp, explen, "in [%s, %s]", a, b);
		return (actual >= (lo & wm) && actual <= (hi & wm));
	default:
		break;
	}
	snprintf(exp, explen, "?");
	return (diag_set(d, "a match of kind %d cannot nest", (int)m->kind));
}

int
match_int(const struct match *m, const struct vfu_field *f, int present,
    uint64_t actual, const struct match_env *env, char *exp, size_t explen,
    struct diag *d)
{
	char	one[160];
	size_t	i, used = 0;
	int	rc, met = 0;

	exp[0] = '\0';
	switch (m->kind) {
	case MATCH_ABSENT:
		snprintf(exp, explen, "absent");
		return (!present);
	case MATCH_PRESENT:
		snprintf(exp, explen, "present (any value)");
		return (present);
	case MATCH_ANY_OF:
		cat(exp, explen, &used, "any of ");
		for (i = 0; i < m->nalts; i++) {
			rc = match_one(&m->alts[i], f, actual, env, one,
			    sizeof(one), d);
			if (rc == -1)
				return (-1);
			met |= rc;
			cat(exp, explen, &used, "%s%s", i > 0 ? " | " : "",
			    one);
		}
		return (present && met);
	default:
		rc = match_one(m, f, actual, env, exp, explen, d);
		if (rc == -1)
			return (-1);
		return (present && rc);
	}
}

/* ---- Reading fields ---------------------------------------------------- */

/* size bytes at off of the message, host order; 0 when out of bounds. */
static int
read_uint(const struct match_msg *in, size_t off, size_t size, uint64_t *v)
{
	uint8_t		u8;
	uint16_t	u16;
	uint32_t	u32;

	*v = 0;
	if (size == 0 || off > in->len || size > in->len - off)
		return (0);
	switch (size) {
	case 1:
		memcpy(&u8, in->buf + off, 1);
		*v = u8;
		break;
	case 2:
		memcpy(&u16, in->buf + off, 2);
		*v = u16;
		break;
	case 4:
		memcpy(&u32, in->buf + off, 4);
		*v = u32;
		break;
	case 8:
		memcpy(v, in->buf + off, 8);
		break;
	default:
		return (0);
	}
	return (1);
}

/*
 * A fixed-size field at base (the absolute offset of its structure).  The
 * DMA_WRITE reply may carry a 4-byte count (the spec's own table): the
 * decoded form knows.
 */
static int
read_field(const struct match_msg *in, size_t base,
    const struct vfu_field *f, uint64_t *v)
{
	if (read_uint(in, base + f->off, f->size, v))
		return (1);
	if (base == HDR && in->msg != NULL &&
	    in->msg->hdr.command == VFIO_USER_DMA_WRITE &&
	    vfu_hdr_is_reply(&in->msg->hdr) &&
	    in->msg->u.dma_access.count_size == 4 &&
	    strcmp(f->name, "count") == 0 && in->len >= HDR + 12) {
		*v = in->msg->u.dma_access.count;
		return (1);
	}
	return (0);
}

/* A variable part (data, JSON) from its offset to the end; 0 if none. */
static int
read_var(const struct match_msg *in, size_t base, const struct vfu_field *f,
    const uint8_t **p, size_t *len)
{
	size_t	off = base + f->off;

	if (f->size > 0) {
		if (off > in->len || f->size > in->len - off)
			return (0);
		*p = in->buf + off;
		*len = f->size;
		return (1);
	}
	if (off >= in->len)
		return (0);
	*p = in->buf + off;
	*len = in->len - off;
	return (1);
}

/* Is this array the region info capability chain (no fixed stride)? */
static int
is_cap_chain(const struct vfu_field *f)
{
	return (f->elem == &vfu_region_cap_desc);
}

/* Elements an array field holds. */
static size_t
array_count(const struct match_msg *in, const struct vfu_field *f)
{
	size_t	off = HDR + f->off;

	if (is_cap_chain(f))
		return (in->msg != NULL ? in->msg->u.region_info.ncaps : 0);
	if (f->elem == NULL || f->elem->size == 0 || off >= in->len)
		return (0);
	return ((in->len - off) / f->elem->size);
}

/* Field ef of element i of array f. */
static int
array_field(const struct match_msg *in, const struct vfu_field *f, size_t i,
    const struct vfu_field *ef, uint64_t *v, const uint8_t **p,
    size_t *len)
{
	const struct vfu_region_cap *c;

	if (is_cap_chain(f)) {
		if (in->msg == NULL || i >= in->msg->u.region_info.ncaps)
			return (0);
		c = &in->msg->u.region_info.caps[i];
		if (ef->kind == VFU_FIELD_DATA || ef->size == 0)
			return (0);
		*v = vfu_field_get(c, ef);
		return (1);
	}
	if (ef->kind == VFU_FIELD_DATA)
		return (read_var(in, HDR + f->off + i * f->elem->size, ef, p,
		    len));
	return (read_field(in, HDR + f->off + i * f->elem->size, ef, v));
}

/* ---- Mismatches -------------------------------------------------------- */

static int
mismatch(struct scenario_result *res, const struct step *st,
    const struct srcpos *pos, const char *field, const char *exp,
    const char *act, const struct match_msg *in)
{
	if (res == NULL)
		return (1);
	(void)result_add_mismatch(res, st, pos->line, pos->col, field, exp,
	    act, in != NULL ? in->buf : NULL, in != NULL ? in->len : 0, 1);
	return (1);
}

/* Does actual hold every member of expected, with the same values?
 * Objects are compared member by member (actual may have more); anything
 * else must be equal. */
static int
json_contains(struct json_object *e, struct json_object *a)
{
	struct json_object *av;

	if (json_object_get_type(e) != json_type_object)
		return (json_object_equal(e, a));
	if (a == NULL || json_object_get_type(a) != json_type_object)
		return (0);
	json_object_object_foreach(e, key, ev) {
		if (!json_object_object_get_ex(a, key, &av))
			return (0);
		if (!json_contains(ev, av))
			return (0);
	}
	return (1);
}

/* VERSION data: the received JSON contains the expected members (json-c);
 * bytes are compared when either side is not JSON.  The wire form ends in
 * a NUL, the expectation need not. */
static int
json_same(const uint8_t *e, size_t elen, const uint8_t *a, size_t alen)
{
	struct json_object *je, *ja;
	char		*se, *sa;
	int		 same;

	while (elen > 0 && e[elen - 1] == '\0')
		elen--;
	while (alen > 0 && a[alen - 1] == '\0')
		alen--;
	se = strndup((const char *)e, elen);
	sa = strndup((const char *)a, alen);
	if (se == NULL || sa == NULL) {
		free(se);
		free(sa);
		return (elen == alen && memcmp(e, a, elen) == 0);
	}
	je = json_tokener_parse(se);
	ja = json_tokener_parse(sa);
	if (je != NULL && ja != NULL)
		same = json_contains(je, ja);
	else
		same = elen == alen && memcmp(e, a, elen) == 0;
	json_object_put(je);
	json_object_put(ja);
	free(se);
	free(sa);
	return (same);
}

/* A data or JSON field. */
static int
match_bytes_field(const struct field_match *fm, const char *path,
    const struct match_msg *in, const uint8_t *ap, size_t alen, int present,
    const struct match_env *env, const struct step *st,
    struct scenario_result *res, struct diag *d)
{
	const struct vfu_field *f = fm->field;
	const uint8_t	*ep;
	size_t		 elen;
	char		 exp[160], act[160];
	int		 json = f->kind == VFU_FIELD_JSON, same;

	switch (fm->m.kind) {
	case MATCH_ABSENT:
		if (!present || alen == 0)
			return (0);
		match_format_bytes(ap, alen, act, sizeof(act));
		return (mismatch(res, st, &fm->pos, path, "absent", act, in));
	case MATCH_PRESENT:
		if (present && alen > 0)
			return (0);
		return (mismatch(res, st, &fm->pos, path, "present",
		    "absent", in));
	case MATCH_EXACT:
		break;
	default:
		return (diag_at(d, fm->pos.file, fm->pos.line, fm->pos.col,
		    "'%s' takes bytes, not a mask or range", f->name));
	}
	if (match_value_bytes(&fm->m.v, env, &ep, &elen, d) == -1)
		return (-1);
	if (!present) {
		ap = NULL;
		alen = 0;
	}
	if (json)
		same = present && json_same(ep, elen, ap, alen);
	else
		same = elen == alen && (elen == 0 || memcmp(ep, ap, elen) == 0);
	if (same)
		return (0);
	if (json) {
		format_text(ep, elen, exp, sizeof(exp));
		if (present)
			format_text(ap, alen, act, sizeof(act));
		else
			snprintf(act, sizeof(act), "absent");
	} else {
		match_format_bytes(ep, elen, exp, sizeof(exp));
		if (present)
			match_format_bytes(ap, alen, act, sizeof(act));
		else
			snprintf(act, sizeof(act), "absent");
	}
	return (mismatch(res, st, &fm->pos, path, exp, act, in));
}

/* An array field against records: same element count, each given field
 * equal. */
static int
match_records(const struct field_match *fm, const char *path,
    const struct match_msg *in, const struct match_env *env,
    const struct step *st, struct scenario_result *res, struct diag *d)
{
	const struct vfu_field *f = fm->field, *ef;
	const struct value *v = &fm->m.v;
	const struct record *r;
	const uint8_t	*ap, *ep;
	size_t		 n = array_count(in, f), i, j, alen, elen;
	uint64_t	 a, e;
	char		 sub[96], exp[160], act[160];
	int		 bad = 0, have;

	if (fm->m.kind == MATCH_ABSENT || fm->m.kind == MATCH_PRESENT) {
		if ((n > 0) == (fm->m.kind == MATCH_PRESENT))
			return (0);
		snprintf(act, sizeof(act), "%zu elements", n);
		return (mismatch(res, st, &fm->pos, path,
		    fm->m.kind == MATCH_ABSENT ? "absent" :
		    "at least one element", act, in));
	}
	if (v->kind != VALUE_RECORDS)
		return (diag_at(d, fm->pos.file, fm->pos.line, fm->pos.col,
		    "'%s' takes a list of elements", f->name));
	if (n != v->nrecs) {
		snprintf(exp, sizeof(exp), "%zu elements", v->nrecs);
		snprintf(act, sizeof(act), "%zu elements", n);
		bad += mismatch(res, st, &fm->pos, path, exp, act, in);
	}
	for (i = 0; i < v->nrecs && i < n; i++) {
		r = &v->recs[i];
		for (j = 0; j < r->nfields; j++) {
			ef = r->fields[j].field;
			pathf(sub, sizeof(sub), "%s[%zu].%s", path, i,
			    ef->name);
			ap = NULL;
			alen = 0;
			a = 0;
			have = array_field(in, f, i, ef, &a, &ap, &alen);
			if (ef->kind == VFU_FIELD_DATA) {
				if (match_value_bytes(&r->fields[j].v, env,
				    &ep, &elen, d) == -1)
					return (-1);
				/* a fixed data field compares its prefix */
				if (have && elen <= alen &&
				    memcmp(ep, ap, elen) == 0)
					continue;
				match_format_bytes(ep, elen, exp, sizeof(exp));
				if (have)
					match_format_bytes(ap, alen, act,
					    sizeof(act));
				else
					snprintf(act, sizeof(act), "absent");
			} else {
				if (match_value_int(&r->fields[j].v, env, &e,
				    d) == -1)
					return (-1);
				e &= width_mask(ef);
				if (have && a == e)
					continue;
				format_value(ef, e, exp, sizeof(exp));
				if (have)
					format_value(ef, a, act, sizeof(act));
				else
					snprintf(act, sizeof(act), "absent");
			}
			bad += mismatch(res, st, &r->fields[j].pos, sub, exp,
			    act, in);
		}
	}
	return (bad);
}

int
match_fields(const struct field_match *fm, size_t n, int header,
    const char *prefix, const struct match_msg *in,
    const struct match_env *env, const struct step *st,
    struct scenario_result *res, struct diag *d)
{
	const struct vfu_field *f;
	const uint8_t	*p = NULL;
	size_t		 i, len = 0, base = header ? 0 : HDR;
	uint64_t	 v;
	char		 path[96], exp[160], act[160];
	int		 bad = 0, present, rc;

	for (i = 0; i < n; i++) {
		f = fm[i].field;
		pathf(path, sizeof(path), "%s.%s", prefix, f->name);
		switch (f->kind) {
		case VFU_FIELD_ARRAY:
			rc = match_records(&fm[i], path, in, env, st, res, d);
			break;
		case VFU_FIELD_DATA:
		case VFU_FIELD_JSON:
			present = read_var(in, base, f, &p, &len);
			rc = match_bytes_field(&fm[i], path, in, p, len,
			    present, env, st, res, d);
			break;
		default:
			present = read_field(in, base, f, &v);
			rc = match_int(&fm[i].m, f, present, v, env, exp,
			    sizeof(exp), d);
			if (rc == -1)
				return (-1);
			if (rc == 1) {
				rc = 0;
				break;
			}
			if (present)
				format_value(f, v, act, sizeof(act));
			else
				snprintf(act, sizeof(act), "absent (the "
				    "message is %zu bytes)", in->len);
			rc = mismatch(res, st, &fm[i].pos, path, exp, act,
			    in);
			break;
		}
		if (rc == -1)
			return (-1);
		bad += rc;
	}
	return (bad);
}

/* The reply's status and errno. */
static int
match_status(const struct expect_msg *em, const struct match_msg *in,
    const struct step *st, struct scenario_result *res)
{
	uint64_t	flags = 0, err = 0;
	char		exp[160], act[160], e[48];
	size_t		i, used = 0;
	int		is_err;

	(void)read_uint(in, 8, 4, &flags);
	(void)read_uint(in, 12, 4, &err);
	is_err = (flags & VFIO_USER_F_ERROR) != 0;
	if (is_err)
		snprintf(act, sizeof(act), "error %s",
		    errno_str((int)err, e, sizeof(e)));
	else
		snprintf(act, sizeof(act), "ok");
	switch (em->status) {
	case REPLY_ANY:
		return (0);
	case REPLY_OK:
		if (!is_err)
			return (0);
		return (mismatch(res, st, &em->pos, "status", "ok", act, in));
	case REPLY_ERROR:
		break;
	}
	if (!is_err)
		return (mismatch(res, st, &em->pos, "status", "an error reply",
		    act, in));
	if (em->nerrnos == 0)
		return (0);
	for (i = 0; i < em->nerrnos; i++)
		if ((uint64_t)em->errnos[i] == err)
			return (0);
	for (i = 0; i < em->nerrnos; i++) {
		cat(exp, sizeof(exp), &used, "%s%s", i > 0 ? " or " : "",
		    errno_str(em->errnos[i], e, sizeof(e)));
	}
	return (mismatch(res, st, &em->pos, "errno", exp, act, in));
}

static int
match_fds(const struct expect_msg *em, const struct match_msg *in,
    const struct match_env *env, const struct step *st,
    struct scenario_result *res, struct diag *d)
{
	static const struct vfu_field count = { .name = "fds", .size = 2,
	    .kind = VFU_FIELD_UINT };
	char	exp[160], act[160], path[48];
	size_t	i;
	int	bad = 0, rc;
	enum fd_kind k;

	if (em->has_fd_count) {
		rc = match_int(&em->fd_count, &count, 1, in->nfds, env, exp,
		    sizeof(exp), d);
		if (rc == -1)
			return (-1);
		if (rc == 0) {
			snprintf(act, sizeof(act), "%zu", in->nfds);
			bad += mismatch(res, st, &em->fd_count.pos, "fds", exp,
			    act, in);
		}
	}
	for (i = 0; i < em->nfd_kinds; i++) {
		pathf(path, sizeof(path), "fds[%zu].kind", i);
		if (i >= in->nfds) {
			bad += mismatch(res, st, &em->pos, path,
			    scenario_fd_kind_name(em->fd_kinds[i]),
			    "no such fd", in);
			continue;
		}
		k = in->fd_kinds != NULL ? in->fd_kinds[i] : FD_ANY;
		if (em->fd_kinds[i] == FD_ANY || em->fd_kinds[i] == k)
			continue;
		bad += mismatch(res, st, &em->pos, path,
		    scenario_fd_kind_name(em->fd_kinds[i]),
		    k == FD_ANY ? "an fd of another kind" :
		    scenario_fd_kind_name(k), in);
	}
	if (em->nfd_names > in->nfds) {
		snprintf(exp, sizeof(exp), "at least %zu fds to name",
		    em->nfd_names);
		snprintf(act, sizeof(act), "%zu", in->nfds);
		bad += mismatch(res, st, &em->pos, "fds", exp, act, in);
	}
	return (bad);
}

int
match_expect_msg(const struct expect_msg *em, const char *what,
    const struct match_msg *in, const struct match_env *env,
    const struct step *st, struct scenario_result *res, struct diag *d)
{
	uint64_t	flags = 0;
	int		bad = 0, rc, is_err;

	(void)read_uint(in, 8, 4, &flags);
	is_err = vfu_hdr_is_reply(&(struct vfu_hdr){ .flags =
	    (uint32_t)flags }) && (flags & VFIO_USER_F_ERROR) != 0;
	if (strcmp(what, "reply") == 0)
		bad += match_status(em, in, st, res);
	if ((rc = match_fields(em->hdr, em->nhdr, 1, "header", in, env, st,
	    res, d)) == -1)
		return (-1);
	bad += rc;
	/* An error reply carries no payload: the fields are not looked at
	 * (the status mismatch says why). */
	if (!is_err) {
		if ((rc = match_fields(em->fields, em->nfields, 0, what, in,
		    env, st, res, d)) == -1)
			return (-1);
		bad += rc;
	}
	if ((rc = match_fds(em, in, env, st, res, d)) == -1)
		return (-1);
	return (bad + rc);
}

int
match_captures(const struct expect_msg *em, const struct match_msg *in,
    struct match_vars *vars, const struct step *st,
    struct scenario_result *res)
{
	const struct capture *c;
	const uint8_t	*p;
	size_t		 i, len;
	uint64_t	 v;
	char		 path[96];
	int		 bad = 0;

	for (i = 0; i < em->ncaps; i++) {
		c = &em->caps[i];
		pathf(path, sizeof(path), "capture $%s", c->var);
		if (c->field->kind == VFU_FIELD_DATA ||
		    c->field->kind == VFU_FIELD_JSON) {
			if (!read_var(in, c->header ? 0 : HDR, c->field, &p,
			    &len)) {
				bad += mismatch(res, st, &c->pos, path,
				    c->name, "absent", in);
				continue;
			}
			if (match_vars_set_bytes(vars, c->var, p, len) == -1)
				return (-1);
			continue;
		}
		if (c->field->kind == VFU_FIELD_ARRAY ||
		    !read_field(in, c->header ? 0 : HDR, c->field, &v)) {
			bad += mismatch(res, st, &c->pos, path, c->name,
			    "absent", in);
			continue;
		}
		if (match_vars_set_int(vars, c->var, v) == -1)
			return (-1);
	}
	return (bad);
}
