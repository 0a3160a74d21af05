/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * codec: decode, encode and autofill every vfio-user message (spec
 * "Commands", 1-13 and 15-18, request and reply).  The fixed part of every
 * message and sub-structure is read and written by one generic loop over the
 * field tables of codec-tables.c; only the variable parts (capability chain,
 * sub-region and write arrays, feature data, data bytes) have code of their
 * own.  Every read goes through a bounded cursor, every array the decoder
 * allocates is bounded by the bytes present and hangs off the message's
 * arena.  No I/O, no globals, never prints.
 *
 * What is a decode error and what is left to the linter is written up in
 * docs/spec-notes.md ("Decode errors and linter checks").
 */
#include "config.h"
#include "codec.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"

#define HDR		VFIO_USER_HDR_SIZE
#define PATH_MAX_LEN	128
#define PREFIX_LEN	96	/* leaves room for a field name after it */

/* Every allocation of one decoded message, freed by vfu_msg_release(). */
struct vfu_arena_node {
	struct vfu_arena_node	*next;
	void			*p;
};

struct vfu_arena {
	struct vfu_arena_node	*head;
};

/* Hands p (malloc'd) to m's arena.  On failure p is freed. */
static int
arena_adopt(struct vfu_msg *m, void *p, struct diag *d)
{
	struct vfu_arena_node *n;

	if (m->arena == NULL &&
	    (m->arena = calloc(1, sizeof(*m->arena))) == NULL) {
		free(p);
		return (diag_set(d, "out of memory"));
	}
	if ((n = malloc(sizeof(*n))) == NULL) {
		free(p);
		return (diag_set(d, "out of memory"));
	}
	n->p = p;
	n->next = m->arena->head;
	m->arena->head = n;
	return (0);
}

/*
 * A zeroed array of n (> 0) elements in m's arena.  Callers have already
 * checked that n elements' worth of wire bytes are present.
 */
static void *
arena_calloc(struct vfu_msg *m, size_t n, size_t size, struct diag *d)
{
	void	*p;

	assert(n > 0 && size > 0);
	if (n > SIZE_MAX / size || (p = calloc(n, size)) == NULL) {
		diag_set(d, "out of memory");
		return (NULL);
	}
	if (arena_adopt(m, p, d) == -1)
		return (NULL);
	return (p);
}

void
vfu_msg_release(struct vfu_msg *m)
{
	struct vfu_arena_node *n, *next;
	int	reply;

	if (m == NULL || m->arena == NULL)
		return;
	for (n = m->arena->head; n != NULL; n = next) {
		next = n->next;
		free(n->p);
		free(n);
	}
	free(m->arena);
	m->arena = NULL;

	reply = vfu_hdr_is_reply(&m->hdr);
	switch (m->hdr.command) {
	case VFIO_USER_DEVICE_GET_REGION_INFO:
		m->u.region_info.caps = NULL;
		m->u.region_info.ncaps = 0;
		break;
	case VFIO_USER_DEVICE_GET_REGION_IO_FDS:
		m->u.region_io_fds.sub_regions = NULL;
		m->u.region_io_fds.nsub = 0;
		break;
	case VFIO_USER_REGION_WRITE_MULTI:
		if (!reply) {
			m->u.write_multi.wrs = NULL;
			m->u.write_multi.nwrs = 0;
		}
		break;
	case VFIO_USER_DEVICE_FEATURE:
		m->u.feature.ranges = NULL;
		m->u.feature.nranges = 0;
		m->u.feature.bitmap = NULL;
		m->u.feature.bitmap_words = 0;
		break;
	}
}

/* ---- Generic field loops ----------------------------------------------- */

/*
 * Reads the fixed-size fields of a table into s.  start is the absolute
 * offset of the structure; prefix ("region_info.caps[1].") names them.
 */
static int
fields_decode(struct rbuf *rb, size_t start, const struct vfu_field *fields,
    size_t nfields, void *s, const char *prefix, struct diag *d)
{
	const struct vfu_field *f;
	char		name[PATH_MAX_LEN];
	uint64_t	v;
	size_t		i;

	for (i = 0; i < nfields; i++) {
		f = &fields[i];
		if (f->size == 0)
			continue;
		snprintf(name, sizeof(name), "%s%s", prefix, f->name);
		if (rbuf_pos(rb) != start + f->off &&
		    rbuf_seek(rb, start + f->off, name, d) == -1)
			return (-1);
		if (f->kind == VFU_FIELD_DATA) {
			if (rbuf_bytes(rb, (uint8_t *)s + f->soff, f->size,
			    name, d) == -1)
				return (-1);
			continue;
		}
		if (rbuf_uint(rb, f->size, &v, name, d) == -1)
			return (-1);
		vfu_field_set(s, f, v);
	}
	return (0);
}

/*
 * Writes the fixed-size fields of a table from s; base is wb->len at the
 * start of the structure.  A value too wide for its wire size (only possible
 * for the 4-byte DMA_WRITE reply count) is an error, not a silent cut.
 */
static int
fields_encode(struct wbuf *wb, size_t base, const struct vfu_field *fields,
    size_t nfields, const void *s, const char *prefix, struct diag *d)
{
	const struct vfu_field *f;
	char		name[PATH_MAX_LEN];
	uint64_t	v;
	size_t		i;

	for (i = 0; i < nfields; i++) {
		f = &fields[i];
		if (f->size == 0)
			continue;
		assert(wb->failed || wb->len - base <= f->off);
		if (!wb->failed && wb->len - base < f->off)
			(void)wbuf_zero(wb, f->off - (wb->len - base));
		if (f->kind == VFU_FIELD_DATA) {
			(void)wbuf_bytes(wb, (const uint8_t *)s + f->soff,
			    f->size);
			continue;
		}
		v = vfu_field_get(s, f);
		if (f->size < 8 && (v >> (f->size * 8)) != 0) {
			snprintf(name, sizeof(name), "%s%s", prefix, f->name);
			return (diag_field(d, name, DIAG_NO_OFFSET,
			    "%llu does not fit in %u bytes",
			    (unsigned long long)v, f->size));
		}
		(void)wbuf_uint(wb, f->size, v);
	}
	return (0);
}

/* ---- Header ------------------------------------------------------------ */

int
vfu_hdr_decode(const void *buf, size_t len, struct vfu_hdr *h, struct diag *d)
{
	struct rbuf	rb;

	memset(h, 0, sizeof(*h));
	rbuf_init(&rb, buf, len, 0);
	return (fields_decode(&rb, 0, vfu_hdr_desc.fields,
	    vfu_hdr_desc.nfields, h, "hdr.", d));
}

/* ---- Decoding: variable parts ------------------------------------------ */

/*
 * data is count bytes (spec: "count is the size of the data"): a count that
 * claims more bytes than follow is an error at the count field; fewer leave
 * trailing bytes, an error at the first of them.
 */
static int
data_decode(struct rbuf *rb, uint64_t count, const char *path,
    const char *count_name, size_t count_off, const uint8_t **data,
    size_t *data_len, struct diag *d)
{
	char	name[PATH_MAX_LEN];

	if (count > rbuf_left(rb)) {
		snprintf(name, sizeof(name), "%s.%s", path, count_name);
		return (diag_field(d, name, count_off,
		    "%s %llu but only %zu data byte%s follow", count_name,
		    (unsigned long long)count, rbuf_left(rb),
		    rbuf_left(rb) == 1 ? "" : "s"));
	}
	snprintf(name, sizeof(name), "%s.data", path);
	*data_len = (size_t)count;
	*data = NULL;
	if (count == 0)
		return (0);
	return (rbuf_ref(rb, data, (size_t)count, name, d));
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x < y ? -1 : x > y);
}

/* Index of the cap that occupies header byte b (its 8 header bytes). */
static size_t
cap_at(const struct vfu_region_cap *caps, size_t n, size_t b)
{
	size_t	k;

	for (k = 0; k < n; k++)
		if (b >= caps[k].pos && b < (size_t)caps[k].pos + 8)
			return (k);
	return (n);
}

/* Decodes one cap's body: sparse mmap areas or cap type. */
static int
region_cap_body_decode(struct vfu_msg *m, struct vfu_region_cap *c, size_t i,
    size_t body_end, int truncated, struct diag *d)
{
	const struct vfu_struct_desc *sd;
	struct rbuf	b;
	char		prefix[PREFIX_LEN], name[PATH_MAX_LEN];
	size_t		start = (size_t)c->pos + VFIO_INFO_CAP_HDR_SIZE;
	size_t		avail, j;
	/* a cap cut short by the end of a truncated reply is not an error */
	int		cut_ok = truncated && body_end == m->payload_len;

	c->body = m->payload + start;
	c->body_len = body_end - start;
	rbuf_init(&b, c->body, c->body_len, HDR + start);
	snprintf(prefix, sizeof(prefix), "region_info.caps[%zu].", i);
	switch (c->id) {
	case VFIO_REGION_INFO_CAP_SPARSE_MMAP:
		sd = &vfu_sparse_mmap_desc;
		break;
	case VFIO_REGION_INFO_CAP_TYPE:
		sd = &vfu_cap_type_desc;
		break;
	default:
		return (0);
	}
	if (c->body_len < sd->size && cut_ok)
		return (0);
	if (fields_decode(&b, HDR + start, sd->fields, sd->nfields, c, prefix,
	    d) == -1)
		return (-1);
	if (c->id != VFIO_REGION_INFO_CAP_SPARSE_MMAP)
		return (0);

	avail = rbuf_left(&b) / VFIO_REGION_SPARSE_AREA_SIZE;
	c->nareas = c->nr_areas;
	if (c->nr_areas > avail) {
		if (!cut_ok) {
			snprintf(name, sizeof(name), "%snr_areas", prefix);
			return (diag_field(d, name, HDR + start,
			    "%u areas claimed, only %zu fit before %s",
			    c->nr_areas, avail, body_end == m->payload_len ?
			    "the end of the payload" : "the next capability"));
		}
		c->nareas = avail;
	}
	if (c->nareas == 0)
		return (0);
	if ((c->areas = arena_calloc(m, c->nareas, sizeof(*c->areas), d)) ==
	    NULL)
		return (-1);
	for (j = 0; j < c->nareas; j++) {
		snprintf(name, sizeof(name), "%sareas[%zu].", prefix, j);
		if (fields_decode(&b, rbuf_pos(&b), vfu_sparse_area_desc.fields,
		    vfu_sparse_area_desc.nfields, &c->areas[j], name, d) == -1)
			return (-1);
	}
	return (0);
}

/*
 * The capability chain of a GET_REGION_INFO reply.  cap_offset and next are
 * payload offsets (from the start of the region info structure).  Each cap
 * header must lie after the 32-byte structure and inside the bytes present;
 * a header that lands on one already visited is a loop (or an overlap).
 * When argsz is larger than the payload the reply was cut short on purpose
 * (spec "Message sizes"): the chain is followed as far as the bytes go.
 */
static int
region_caps_decode(struct vfu_msg *m, struct rbuf *rb, struct diag *d)
{
	struct vfu_region_info *ri = &m->u.region_info;
	struct vfu_region_cap *caps = NULL, *nc;
	size_t		 plen = m->payload_len, n = 0, cap = 0, i, k, b;
	size_t		 prev_off = HDR + 12, end;
	uint64_t	 pos;
	uint32_t	*sorted = NULL, *hit;
	uint8_t		*occ = NULL;
	char		 prev[PATH_MAX_LEN], prefix[PREFIX_LEN];
	int		 trunc, rc = -1;

	trunc = ri->argsz > plen;
	ri->caps_truncated = trunc;
	if ((ri->flags & VFIO_REGION_INFO_FLAG_CAPS) == 0 ||
	    ri->cap_offset == 0) {
		if (trunc)
			(void)rbuf_seek(rb, HDR + plen, "region_info", d);
		return (0);
	}
	if ((occ = calloc((plen + 7) / 8, 1)) == NULL)
		return (diag_set(d, "out of memory"));
	snprintf(prev, sizeof(prev), "region_info.cap_offset");
	pos = ri->cap_offset;
	for (;;) {
		if (pos < VFIO_USER_REGION_INFO_SIZE) {
			diag_field(d, prev, prev_off, "%llu points into the "
			    "32-byte region info structure",
			    (unsigned long long)pos);
			goto out;
		}
		if (pos + VFIO_INFO_CAP_HDR_SIZE > plen) {
			if (trunc && pos + VFIO_INFO_CAP_HDR_SIZE <= ri->argsz)
				break;
			diag_field(d, prev, prev_off, "%llu: the capability "
			    "header there would end past the %zu-byte payload",
			    (unsigned long long)pos, plen);
			goto out;
		}
		for (b = pos; b < pos + VFIO_INFO_CAP_HDR_SIZE; b++)
			if (occ[b / 8] & (1u << (b % 8)))
				break;
		if (b < pos + VFIO_INFO_CAP_HDR_SIZE) {
			k = cap_at(caps, n, b);
			if (k < n && caps[k].pos == pos)
				diag_field(d, prev, prev_off, "%llu loops back "
				    "to caps[%zu]", (unsigned long long)pos, k);
			else
				diag_field(d, prev, prev_off, "%llu overlaps "
				    "caps[%zu] at %u", (unsigned long long)pos,
				    k, k < n ? caps[k].pos : 0);
			goto out;
		}
		for (b = pos; b < pos + VFIO_INFO_CAP_HDR_SIZE; b++)
			occ[b / 8] |= (uint8_t)(1u << (b % 8));
		if (n == cap) {
			cap = cap == 0 ? 4 : cap * 2;
			if ((nc = realloc(caps, cap * sizeof(*caps))) == NULL) {
				diag_set(d, "out of memory");
				goto out;
			}
			caps = nc;
		}
		memset(&caps[n], 0, sizeof(caps[n]));
		caps[n].pos = (uint32_t)pos;
		snprintf(prefix, sizeof(prefix), "region_info.caps[%zu].", n);
		if (fields_decode(rb, HDR + pos, vfu_cap_header_desc.fields,
		    vfu_cap_header_desc.nfields, &caps[n], prefix, d) == -1)
			goto out;
		n++;
		if (caps[n - 1].next == 0)
			break;
		snprintf(prev, sizeof(prev), "region_info.caps[%zu].next",
		    n - 1);
		prev_off = HDR + pos + 4;
		pos = caps[n - 1].next;
	}
	free(occ);
	occ = NULL;
	if (n == 0) {
		(void)rbuf_seek(rb, HDR + plen, "region_info", d);
		return (0);
	}
	/* From here the caps belong to the message. */
	if (arena_adopt(m, caps, d) == -1)
		return (-1);
	ri->caps = caps;
	ri->ncaps = n;
	caps = NULL;

	/* A body runs to the nearest cap after it, or the end of the bytes. */
	if ((sorted = calloc(n, sizeof(*sorted))) == NULL)
		return (diag_set(d, "out of memory"));
	for (i = 0; i < n; i++)
		sorted[i] = ri->caps[i].pos;
	qsort(sorted, n, sizeof(*sorted), cmp_u32);
	for (i = 0; i < n; i++) {
		hit = bsearch(&ri->caps[i].pos, sorted, n, sizeof(*sorted),
		    cmp_u32);
		assert(hit != NULL);
		end = (size_t)(hit - sorted) + 1 < n ? hit[1] : plen;
		if (region_cap_body_decode(m, &ri->caps[i], i, end, trunc,
		    d) == -1)
			goto out;
	}
	(void)rbuf_seek(rb, HDR + plen, "region_info", d);
	rc = 0;
out:
	free(occ);
	free(caps);
	free(sorted);
	return (rc);
}

/* The sub-region array of a GET_REGION_IO_FDS reply: count x 40 bytes. */
static int
io_fds_decode(struct vfu_msg *m, struct rbuf *rb, struct diag *d)
{
	struct vfu_region_io_fds *r = &m->u.region_io_fds;
	char	prefix[PATH_MAX_LEN];
	size_t	avail, i;
	int	trunc;

	trunc = r->argsz > m->payload_len;
	r->truncated = trunc;
	avail = rbuf_left(rb) / VFIO_USER_IO_FD_SUB_REGION_SIZE;
	r->nsub = r->count;
	if (r->count > avail) {
		if (!trunc)
			return (diag_field(d, "region_io_fds.count", HDR + 12,
			    "%u sub-regions claimed, only %zu fit in the "
			    "payload", r->count, avail));
		r->nsub = avail;
	}
	if (r->nsub > 0 && (r->sub_regions = arena_calloc(m, r->nsub,
	    sizeof(*r->sub_regions), d)) == NULL)
		return (-1);
	for (i = 0; i < r->nsub; i++) {
		snprintf(prefix, sizeof(prefix),
		    "region_io_fds.sub_regions[%zu].", i);
		if (fields_decode(rb, rbuf_pos(rb), vfu_ioeventfd_desc.fields,
		    vfu_ioeventfd_desc.nfields, &r->sub_regions[i], prefix,
		    d) == -1)
			return (-1);
	}
	if (trunc)
		(void)rbuf_seek(rb, HDR + m->payload_len, "region_io_fds", d);
	return (0);
}

/* REGION_WRITE_MULTI request: wr_cnt x 24 bytes. */
static int
write_multi_decode(struct vfu_msg *m, struct rbuf *rb, struct diag *d)
{
	struct vfu_write_multi *w = &m->u.write_multi;
	char	prefix[PATH_MAX_LEN];
	size_t	avail, i;

	avail = rbuf_left(rb) / VFIO_USER_WRITE_MULTI_ENTRY;
	if (w->wr_cnt > avail)
		return (diag_field(d, "write_multi.wr_cnt", HDR,
		    "%llu writes claimed, only %zu fit in the payload",
		    (unsigned long long)w->wr_cnt, avail));
	w->nwrs = (size_t)w->wr_cnt;
	if (w->nwrs > 0 && (w->wrs = arena_calloc(m, w->nwrs,
	    sizeof(*w->wrs), d)) == NULL)
		return (-1);
	for (i = 0; i < w->nwrs; i++) {
		snprintf(prefix, sizeof(prefix), "write_multi.wrs[%zu].", i);
		if (fields_decode(rb, rbuf_pos(rb),
		    vfu_write_multi_entry_desc.fields,
		    vfu_write_multi_entry_desc.nfields, &w->wrs[i], prefix,
		    d) == -1)
			return (-1);
	}
	return (0);
}

enum vfu_feature_data
vfu_feature_form(uint32_t flags, int reply, size_t data_len)
{
	uint32_t	idx = flags & VFIO_DEVICE_FEATURE_MASK;
	int		get = (flags & VFIO_DEVICE_FEATURE_GET) != 0;
	int		set = (flags & VFIO_DEVICE_FEATURE_SET) != 0;

	if (flags & VFIO_DEVICE_FEATURE_PROBE)
		return (VFU_FEATURE_DATA_NONE);
	if (get && !set) {
		switch (idx) {
		case VFIO_DEVICE_FEATURE_MIGRATION:
			return (reply ? VFU_FEATURE_DATA_MIGRATION :
			    VFU_FEATURE_DATA_NONE);
		case VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE:
			return (reply ? VFU_FEATURE_DATA_MIG_STATE :
			    VFU_FEATURE_DATA_NONE);
		case VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT:
			return (VFU_FEATURE_DATA_LOGGING_REPORT);
		}
	} else if (set && !get) {
		switch (idx) {
		case VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE:
			return (VFU_FEATURE_DATA_MIG_STATE);
		case VFIO_DEVICE_FEATURE_DMA_LOGGING_START:
			return (VFU_FEATURE_DATA_LOGGING_START);
		case VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP:
			/* spec groups STOP with START; Linux sends no data */
			return (data_len == 0 ? VFU_FEATURE_DATA_NONE :
			    VFU_FEATURE_DATA_LOGGING_START);
		}
	}
	return (VFU_FEATURE_DATA_RAW);
}

/* DEVICE_FEATURE data, in the form the flags choose. */
static int
feature_decode(struct vfu_msg *m, struct rbuf *rb, int reply, struct diag *d)
{
	struct vfu_device_feature *f = &m->u.feature;
	const struct vfu_struct_desc *sd;
	char		 name[PATH_MAX_LEN];
	uint64_t	*bm;
	size_t		 avail, i, start = rbuf_pos(rb);

	f->data_len = rbuf_left(rb);
	f->data = f->data_len > 0 ? m->payload + VFIO_USER_DEVICE_FEATURE_SIZE :
	    NULL;
	f->form = vfu_feature_form(f->flags, reply, f->data_len);
	if (f->form == VFU_FEATURE_DATA_NONE)
		return (0);	/* any data is trailing */
	if (reply && f->data_len == 0) {
		/* The client's argsz was too small for the data: the reply
		 * carries argsz and flags only (spec "Message sizes"). */
		f->form = VFU_FEATURE_DATA_NONE;
		f->truncated = f->argsz > VFIO_USER_DEVICE_FEATURE_SIZE;
		return (0);
	}
	if (f->form == VFU_FEATURE_DATA_RAW)
		return (rbuf_skip(rb, rbuf_left(rb), "device_feature.data", d));
	sd = vfu_feature_desc(f->form);
	if (fields_decode(rb, start, sd->fields, sd->nfields, f,
	    "device_feature.", d) == -1)
		return (-1);
	if (f->form == VFU_FEATURE_DATA_LOGGING_START) {
		avail = rbuf_left(rb) / VFIO_DMA_LOGGING_RANGE_SIZE;
		if (f->num_ranges > avail)
			return (diag_field(d, "device_feature.num_ranges",
			    start + 8, "%u ranges claimed, only %zu fit in "
			    "the payload", f->num_ranges, avail));
		f->nranges = f->num_ranges;
		if (f->nranges > 0 && (f->ranges = arena_calloc(m, f->nranges,
		    sizeof(*f->ranges), d)) == NULL)
			return (-1);
		for (i = 0; i < f->nranges; i++) {
			snprintf(name, sizeof(name),
			    "device_feature.ranges[%zu].", i);
			if (fields_decode(rb, rbuf_pos(rb),
			    vfu_logging_range_desc.fields,
			    vfu_logging_range_desc.nfields, &f->ranges[i], name,
			    d) == -1)
				return (-1);
		}
	} else if (f->form == VFU_FEATURE_DATA_LOGGING_REPORT && reply) {
		/* Copied: the wire bytes need not be 8-byte aligned. */
		f->bitmap_words = rbuf_left(rb) / 8;
		if (f->bitmap_words == 0)
			return (0);
		if ((bm = arena_calloc(m, f->bitmap_words, sizeof(*bm), d)) ==
		    NULL)
			return (-1);
		for (i = 0; i < f->bitmap_words; i++) {
			snprintf(name, sizeof(name), "device_feature.bitmap[%zu]",
			    i);
			if (rbuf_u64(rb, &bm[i], name, d) == -1)
				return (-1);
		}
		f->bitmap = bm;
	}
	return (0);
}

/* Everything after the fixed part, per message. */
static int
var_decode(struct vfu_msg *m, const struct vfu_msg_desc *md, struct rbuf *rb,
    struct diag *d)
{
	struct vfu_irq_set *is = &m->u.irq_set;
	struct vfu_region_access *ra = &m->u.region_access;
	struct vfu_dma_access *da = &m->u.dma_access;
	struct vfu_mig_data *mg = &m->u.mig_data;
	int	reply = md->reply;

	switch (md->command) {
	case VFIO_USER_VERSION:
		m->u.version.data_len = rbuf_left(rb);
		if (m->u.version.data_len == 0)
			return (0);
		return (rbuf_ref(rb, &m->u.version.data, rbuf_left(rb),
		    "version.data", d));
	case VFIO_USER_DEVICE_GET_REGION_INFO:
		return (reply ? region_caps_decode(m, rb, d) : 0);
	case VFIO_USER_DEVICE_GET_REGION_IO_FDS:
		return (reply ? io_fds_decode(m, rb, d) : 0);
	case VFIO_USER_DEVICE_SET_IRQS:
		/* data is count booleans with DATA_BOOL, absent otherwise */
		if (reply || (is->flags & VFIO_IRQ_SET_DATA_BOOL) == 0)
			return (0);
		return (data_decode(rb, is->count, md->path, "count", HDR + 16,
		    &is->data, &is->data_len, d));
	case VFIO_USER_REGION_READ:
	case VFIO_USER_REGION_WRITE:
		if ((md->command == VFIO_USER_REGION_READ) != reply)
			return (0);
		return (data_decode(rb, ra->count, md->path, "count", HDR + 12,
		    &ra->data, &ra->data_len, d));
	case VFIO_USER_DMA_READ:
	case VFIO_USER_DMA_WRITE:
		if ((md->command == VFIO_USER_DMA_READ) != reply)
			return (0);
		return (data_decode(rb, da->count, md->path, "count", HDR + 8,
		    &da->data, &da->data_len, d));
	case VFIO_USER_REGION_WRITE_MULTI:
		return (reply ? 0 : write_multi_decode(m, rb, d));
	case VFIO_USER_DEVICE_FEATURE:
		return (feature_decode(m, rb, reply, d));
	case VFIO_USER_MIG_DATA_READ:
	case VFIO_USER_MIG_DATA_WRITE:
		if ((md->command == VFIO_USER_MIG_DATA_READ) != reply)
			return (0);
		return (data_decode(rb, mg->size, md->path, "size", HDR + 4,
		    &mg->data, &mg->data_len, d));
	}
	return (0);
}

static int
body_decode(struct vfu_msg *m, const struct vfu_msg_desc *md, struct diag *d)
{
	struct rbuf	rb;
	char		prefix[PATH_MAX_LEN];

	rbuf_init(&rb, m->payload, m->payload_len, HDR);
	if (md->command == VFIO_USER_DMA_READ ||
	    md->command == VFIO_USER_DMA_WRITE) {
		m->u.dma_access.count_size = 8;
		/* the spec's DMA_WRITE reply table: count is 4 bytes */
		if (md->command == VFIO_USER_DMA_WRITE && md->reply &&
		    m->payload_len == vfu_dma_write_reply_count4_desc.fixed_size) {
			md = &vfu_dma_write_reply_count4_desc;
			m->u.dma_access.count_size = 4;
		}
	}
	snprintf(prefix, sizeof(prefix), "%s.", md->path);
	if (fields_decode(&rb, HDR, md->fields, md->nfields, &m->u, prefix,
	    d) == -1)
		return (-1);
	if (rbuf_pos(&rb) != HDR + md->fixed_size &&
	    rbuf_seek(&rb, HDR + md->fixed_size, md->path, d) == -1)
		return (-1);
	if (var_decode(m, md, &rb, d) == -1)
		return (-1);
	if (rbuf_left(&rb) != 0)
		return (diag_field(d, md->path, rbuf_pos(&rb),
		    "%zu trailing byte%s after the end of the %s %s",
		    rbuf_left(&rb), rbuf_left(&rb) == 1 ? "" : "s",
		    md->spec_name, md->reply ? "reply" : "request"));
	return (0);
}

int
vfu_msg_decode(const void *buf, size_t len, struct vfu_msg *m, struct diag *d)
{
	const struct vfu_msg_desc *md;
	uint32_t	type;

	memset(m, 0, sizeof(*m));
	if (vfu_hdr_decode(buf, len, &m->hdr, d) == -1)
		return (-1);
	if (m->hdr.msg_size != len)
		return (diag_field(d, "hdr.msg_size", 4, "msg_size is %u but "
		    "the message has %zu bytes", m->hdr.msg_size, len));
	type = m->hdr.flags & VFIO_USER_F_TYPE_MASK;
	if (type != VFIO_USER_F_TYPE_COMMAND && type != VFIO_USER_F_TYPE_REPLY)
		return (diag_field(d, "hdr.flags", 8, "message type %u is "
		    "neither Command (0) nor Reply (1)", type));
	if ((md = vfu_msg_desc(m->hdr.command, type == VFIO_USER_F_TYPE_REPLY))
	    == NULL)
		return (diag_field(d, "hdr.command", 2, "unknown command %u",
		    m->hdr.command));
	m->payload = (const uint8_t *)buf + HDR;
	m->payload_len = len - HDR;
	/* spec: "If an error occurs, the reply message must only include the
	 * reply header": whatever follows is left to the linter. */
	if (md->reply && (m->hdr.flags & VFIO_USER_F_ERROR))
		return (0);
	if (body_decode(m, md, d) == -1) {
		vfu_msg_release(m);
		return (-1);
	}
	return (0);
}

/* ---- Encoding ---------------------------------------------------------- */

void
vfu_msg_init(struct vfu_msg *m, uint16_t command, int reply, uint16_t msg_id)
{
	memset(m, 0, sizeof(*m));
	m->hdr.msg_id = msg_id;
	m->hdr.command = command;
	m->hdr.flags = reply ? VFIO_USER_F_TYPE_REPLY : VFIO_USER_F_TYPE_COMMAND;
}

static int
bytes_encode(struct wbuf *wb, const uint8_t *p, size_t n, const char *name,
    struct diag *d)
{
	if (n == 0)
		return (0);
	if (p == NULL)
		return (diag_field(d, name, DIAG_NO_OFFSET,
		    "%zu bytes of data but no data pointer", n));
	(void)wbuf_bytes(wb, p, n);
	return (0);
}

/*
 * Caps go at their pos (payload offset), zero-filling any gap; pos 0 means
 * "right here".  next is written as given, so loops can be built on purpose;
 * a pos before the bytes already written cannot be.
 */
static int
region_caps_encode(const struct vfu_msg *m, struct wbuf *wb, size_t pstart,
    struct diag *d)
{
	const struct vfu_region_info *ri = &m->u.region_info;
	const struct vfu_region_cap *c;
	const struct vfu_struct_desc *sd;
	char	prefix[PATH_MAX_LEN];
	size_t	i, j, cur, base;

	if (ri->ncaps > 0 && ri->caps == NULL)
		return (diag_field(d, "region_info.caps", DIAG_NO_OFFSET,
		    "%zu caps but no array", ri->ncaps));
	for (i = 0; i < ri->ncaps; i++) {
		c = &ri->caps[i];
		snprintf(prefix, sizeof(prefix), "region_info.caps[%zu].", i);
		cur = wb->len - pstart;
		if (c->pos != 0 && c->pos < cur)
			return (diag_field(d, prefix, DIAG_NO_OFFSET, "pos %u "
			    "is before the end of what precedes it (%zu)",
			    c->pos, cur));
		if (c->pos > cur)
			(void)wbuf_zero(wb, c->pos - cur);
		base = wb->len;
		if (fields_encode(wb, base, vfu_cap_header_desc.fields,
		    vfu_cap_header_desc.nfields, c, prefix, d) == -1)
			return (-1);
		switch (c->id) {
		case VFIO_REGION_INFO_CAP_SPARSE_MMAP:
			sd = &vfu_sparse_mmap_desc;
			break;
		case VFIO_REGION_INFO_CAP_TYPE:
			sd = &vfu_cap_type_desc;
			break;
		default:
			if (bytes_encode(wb, c->body, c->body_len, prefix,
			    d) == -1)
				return (-1);
			continue;
		}
		if (fields_encode(wb, wb->len, sd->fields, sd->nfields, c,
		    prefix, d) == -1)
			return (-1);
		if (c->id != VFIO_REGION_INFO_CAP_SPARSE_MMAP)
			continue;
		if (c->nareas > 0 && c->areas == NULL)
			return (diag_field(d, prefix, DIAG_NO_OFFSET,
			    "%zu areas but no array", c->nareas));
		for (j = 0; j < c->nareas; j++)
			if (fields_encode(wb, wb->len,
			    vfu_sparse_area_desc.fields,
			    vfu_sparse_area_desc.nfields, &c->areas[j], prefix,
			    d) == -1)
				return (-1);
	}
	return (0);
}

/* Writes n elements of array a (element size esize) through table sd. */
static int
array_encode(struct wbuf *wb, const struct vfu_struct_desc *sd,
    const void *a, size_t n, size_t esize, const char *name, struct diag *d)
{
	size_t	i;

	if (n > 0 && a == NULL)
		return (diag_field(d, name, DIAG_NO_OFFSET,
		    "%zu entries but no array", n));
	for (i = 0; i < n; i++)
		if (fields_encode(wb, wb->len, sd->fields, sd->nfields,
		    (const uint8_t *)a + i * esize, name, d) == -1)
			return (-1);
	return (0);
}

static int
feature_encode(const struct vfu_msg *m, struct wbuf *wb, struct diag *d)
{
	const struct vfu_device_feature *f = &m->u.feature;
	const struct vfu_struct_desc *sd;
	size_t	i;

	switch (f->form) {
	case VFU_FEATURE_DATA_NONE:
		return (0);
	case VFU_FEATURE_DATA_RAW:
		return (bytes_encode(wb, f->data, f->data_len,
		    "device_feature.data", d));
	default:
		break;
	}
	if ((sd = vfu_feature_desc(f->form)) == NULL)
		return (diag_field(d, "device_feature", DIAG_NO_OFFSET,
		    "unknown data form %d", (int)f->form));
	if (fields_encode(wb, wb->len, sd->fields, sd->nfields, f,
	    "device_feature.", d) == -1)
		return (-1);
	if (f->form == VFU_FEATURE_DATA_LOGGING_START)
		return (array_encode(wb, &vfu_logging_range_desc, f->ranges,
		    f->nranges, sizeof(*f->ranges), "device_feature.ranges",
		    d));
	if (f->form == VFU_FEATURE_DATA_LOGGING_REPORT) {
		if (f->bitmap_words > 0 && f->bitmap == NULL)
			return (diag_field(d, "device_feature.bitmap",
			    DIAG_NO_OFFSET, "%zu words but no array",
			    f->bitmap_words));
		for (i = 0; i < f->bitmap_words; i++)
			(void)wbuf_u64(wb, f->bitmap[i]);
	}
	return (0);
}

static int
var_encode(const struct vfu_msg *m, const struct vfu_msg_desc *md,
    struct wbuf *wb, size_t pstart, struct diag *d)
{
	const struct vfu_region_io_fds *r = &m->u.region_io_fds;
	const struct vfu_write_multi *w = &m->u.write_multi;
	int	reply = md->reply;

	switch (md->command) {
	case VFIO_USER_VERSION:
		return (bytes_encode(wb, m->u.version.data,
		    m->u.version.data_len, "version.data", d));
	case VFIO_USER_DEVICE_GET_REGION_INFO:
		return (reply ? region_caps_encode(m, wb, pstart, d) : 0);
	case VFIO_USER_DEVICE_GET_REGION_IO_FDS:
		if (!reply)
			return (0);
		return (array_encode(wb, &vfu_ioeventfd_desc, r->sub_regions,
		    r->nsub, sizeof(*r->sub_regions),
		    "region_io_fds.sub_regions", d));
	case VFIO_USER_DEVICE_SET_IRQS:
		if (reply)
			return (0);
		return (bytes_encode(wb, m->u.irq_set.data,
		    m->u.irq_set.data_len, "irq_set.data", d));
	case VFIO_USER_REGION_READ:
	case VFIO_USER_REGION_WRITE:
		if ((md->command == VFIO_USER_REGION_READ) != reply)
			return (0);
		return (bytes_encode(wb, m->u.region_access.data,
		    m->u.region_access.data_len, md->path, d));
	case VFIO_USER_DMA_READ:
	case VFIO_USER_DMA_WRITE:
		if ((md->command == VFIO_USER_DMA_READ) != reply)
			return (0);
		return (bytes_encode(wb, m->u.dma_access.data,
		    m->u.dma_access.data_len, md->path, d));
	case VFIO_USER_REGION_WRITE_MULTI:
		if (reply)
			return (0);
		return (array_encode(wb, &vfu_write_multi_entry_desc, w->wrs,
		    w->nwrs, sizeof(*w->wrs), "write_multi.wrs", d));
	case VFIO_USER_DEVICE_FEATURE:
		return (feature_encode(m, wb, d));
	case VFIO_USER_MIG_DATA_READ:
	case VFIO_USER_MIG_DATA_WRITE:
		if ((md->command == VFIO_USER_MIG_DATA_READ) != reply)
			return (0);
		return (bytes_encode(wb, m->u.mig_data.data,
		    m->u.mig_data.data_len, md->path, d));
	}
	return (0);
}

/*
 * An unknown command, or a type other than Command/Reply, has no body
 * layout: only the header is written (how such messages are built on
 * purpose).  An error reply is header only as well.
 */
int
vfu_msg_encode(const struct vfu_msg *m, struct wbuf *wb, unsigned flags,
    struct diag *d)
{
	const struct vfu_msg_desc *md;
	struct vfu_hdr	hdr = m->hdr;
	size_t		start = wb->len, total;
	uint32_t	type = m->hdr.flags & VFIO_USER_F_TYPE_MASK;
	char		prefix[PATH_MAX_LEN];

	if (flags & VFU_ENC_AUTO_SIZE)
		hdr.msg_size = 0;
	if (fields_encode(wb, start, vfu_hdr_desc.fields, vfu_hdr_desc.nfields,
	    &hdr, "hdr.", d) == -1)
		goto fail;
	md = vfu_msg_desc(m->hdr.command, type == VFIO_USER_F_TYPE_REPLY);
	if (md != NULL && (type == VFIO_USER_F_TYPE_COMMAND ||
	    type == VFIO_USER_F_TYPE_REPLY) &&
	    !(md->reply && (m->hdr.flags & VFIO_USER_F_ERROR))) {
		if (md->command == VFIO_USER_DMA_WRITE && md->reply &&
		    m->u.dma_access.count_size == 4)
			md = &vfu_dma_write_reply_count4_desc;
		snprintf(prefix, sizeof(prefix), "%s.", md->path);
		if (fields_encode(wb, start + HDR, md->fields, md->nfields,
		    &m->u, prefix, d) == -1)
			goto fail;
		if (var_encode(m, md, wb, start + HDR, d) == -1)
			goto fail;
	}
	if (wb->failed) {
		diag_set(d, "%s: the message does not fit in the %zu-byte "
		    "buffer limit", md != NULL ? md->spec_name : "message",
		    wb->max);
		goto fail;
	}
	total = wb->len - start;
	if (flags & VFU_ENC_AUTO_SIZE) {
		if (total > UINT32_MAX) {
			diag_set(d, "message of %zu bytes exceeds msg_size",
			    total);
			goto fail;
		}
		(void)wbuf_patch(wb, start + 4, 4, total);
	}
	return (0);
fail:
	if (!wb->failed)
		wb->len = start;
	return (-1);
}

int
vfu_msg_encode_error(uint16_t msg_id, uint16_t command, uint32_t err,
    struct wbuf *wb, struct diag *d)
{
	struct vfu_msg	m;

	vfu_msg_init(&m, command, 1, msg_id);
	m.hdr.flags |= VFIO_USER_F_ERROR;
	m.hdr.error = err;
	return (vfu_msg_encode(&m, wb, VFU_ENC_AUTO_SIZE, d));
}

/* ---- Autofill ---------------------------------------------------------- */

static uint32_t
clamp_u32(uint64_t v)
{
	return (v > UINT32_MAX ? UINT32_MAX : (uint32_t)v);
}

/* Bitmap words a LOGGING_REPORT of length bytes at page_size needs. */
static uint64_t
report_bitmap_words(uint64_t length, uint64_t page_size)
{
	uint64_t	pages;

	if (page_size == 0)
		return (0);
	pages = length / page_size + (length % page_size != 0);
	return (pages / 64 + (pages % 64 != 0));
}

/* Wire size of the data of a feature message as its struct describes it. */
static uint64_t
feature_data_size(const struct vfu_device_feature *f, int reply)
{
	switch (f->form) {
	case VFU_FEATURE_DATA_NONE:
		return (0);
	case VFU_FEATURE_DATA_MIGRATION:
	case VFU_FEATURE_DATA_MIG_STATE:
		return (8);
	case VFU_FEATURE_DATA_LOGGING_START:
		return (VFIO_DMA_LOGGING_START_SIZE +
		    (uint64_t)f->nranges * VFIO_DMA_LOGGING_RANGE_SIZE);
	case VFU_FEATURE_DATA_LOGGING_REPORT:
		return (VFIO_DMA_LOGGING_REPORT_SIZE +
		    (reply ? (uint64_t)f->bitmap_words * 8 : 0));
	case VFU_FEATURE_DATA_RAW:
		return (f->data_len);
	}
	return (0);
}

/*
 * DEVICE_FEATURE: the reply's argsz is its payload size; a request's is the
 * size of the reply it expects ("argsz is the maximum size of the reply
 * payload"): the same payload for SET and PROBE ("The reply payload must be
 * the same as the request payload for setting or probing"), the header plus
 * the feature's data for GET (8 flags bytes for MIGRATION, 8 bytes of
 * MIG_DEVICE_STATE, 24 + the bitmap for DMA_LOGGING_REPORT).
 */
static void
feature_autofill(struct vfu_device_feature *f, int reply)
{
	uint32_t	idx = f->flags & VFIO_DEVICE_FEATURE_MASK;
	uint64_t	size;

	if (f->form == VFU_FEATURE_DATA_LOGGING_START)
		f->num_ranges = clamp_u32(f->nranges);
	size = feature_data_size(f, reply);
	if (!reply && (f->flags & VFIO_DEVICE_FEATURE_PROBE) == 0 &&
	    (f->flags & VFIO_DEVICE_FEATURE_GET) &&
	    (f->flags & VFIO_DEVICE_FEATURE_SET) == 0) {
		switch (idx) {
		case VFIO_DEVICE_FEATURE_MIGRATION:
		case VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE:
			size = 8;
			break;
		case VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT:
			size = VFIO_DMA_LOGGING_REPORT_SIZE + 8 *
			    report_bitmap_words(f->length, f->page_size);
			break;
		}
	}
	f->argsz = clamp_u32(VFIO_USER_DEVICE_FEATURE_SIZE + size);
}

/* Region info reply: caps laid out back to back after the 32 bytes. */
static void
region_info_autofill(struct vfu_region_info *ri)
{
	struct vfu_region_cap *c;
	uint64_t	pos = VFIO_USER_REGION_INFO_SIZE;
	size_t		i;

	for (i = 0; i < ri->ncaps && ri->caps != NULL; i++) {
		c = &ri->caps[i];
		c->pos = clamp_u32(pos);
		pos += VFIO_INFO_CAP_HDR_SIZE;
		switch (c->id) {
		case VFIO_REGION_INFO_CAP_SPARSE_MMAP:
			c->nr_areas = clamp_u32(c->nareas);
			pos += VFIO_REGION_SPARSE_HDR_SIZE +
			    (uint64_t)c->nareas * VFIO_REGION_SPARSE_AREA_SIZE;
			break;
		case VFIO_REGION_INFO_CAP_TYPE:
			pos += VFIO_REGION_CAP_TYPE_SIZE;
			break;
		default:
			pos += c->body_len;
			break;
		}
		c->next = i + 1 < ri->ncaps ? clamp_u32(pos) : 0;
	}
	if (ri->ncaps > 0 && ri->caps != NULL) {
		ri->flags |= VFIO_REGION_INFO_FLAG_CAPS;
		ri->cap_offset = VFIO_USER_REGION_INFO_SIZE;
	} else {
		ri->flags &= ~VFIO_REGION_INFO_FLAG_CAPS;
		ri->cap_offset = 0;
	}
	ri->argsz = clamp_u32(pos);
}

/*
 * What a correct message carries.  A request's argsz is the size of the
 * fixed reply payload it expects (spec "Message sizes": "at least the size of
 * the fixed reply payload headers"), except where the spec defines argsz as
 * the request's own size: DMA_MAP ("the size of the above structure") and
 * SET_IRQS ("including any data"); MIG_DATA_WRITE, whose reply has no
 * payload, carries 8 + size as libvfio-user requires (docs/spec-notes.md).
 * A reply's argsz is its own payload size.  Counts follow the arrays and
 * data present.  msg_size is left to vfu_msg_encode(VFU_ENC_AUTO_SIZE).
 */
void
vfu_msg_autofill(struct vfu_msg *m)
{
	int	reply = vfu_hdr_is_reply(&m->hdr);

	if (reply && (m->hdr.flags & VFIO_USER_F_ERROR))
		return;
	switch (m->hdr.command) {
	case VFIO_USER_VERSION:
		if (m->u.version.data != NULL && m->u.version.data_len == 0)
			m->u.version.data_len =
			    strlen((const char *)m->u.version.data) + 1;
		break;
	case VFIO_USER_DMA_MAP:
		if (!reply)
			m->u.dma_map.argsz = VFIO_USER_DMA_MAP_SIZE;
		break;
	case VFIO_USER_DMA_UNMAP:
		/* the reply echoes the request entry, argsz included */
		m->u.dma_unmap.argsz = VFIO_USER_DMA_UNMAP_SIZE;
		break;
	case VFIO_USER_DEVICE_GET_INFO:
		m->u.device_info.argsz = VFIO_USER_DEVICE_INFO_SIZE;
		break;
	case VFIO_USER_DEVICE_GET_REGION_INFO:
		if (reply)
			region_info_autofill(&m->u.region_info);
		else
			m->u.region_info.argsz = VFIO_USER_REGION_INFO_SIZE;
		break;
	case VFIO_USER_DEVICE_GET_REGION_IO_FDS:
		if (reply) {
			m->u.region_io_fds.count =
			    clamp_u32(m->u.region_io_fds.nsub);
			m->u.region_io_fds.argsz = clamp_u32(
			    VFIO_USER_REGION_IO_FDS_SIZE +
			    (uint64_t)m->u.region_io_fds.nsub *
			    VFIO_USER_IO_FD_SUB_REGION_SIZE);
		} else {
			m->u.region_io_fds.argsz = VFIO_USER_REGION_IO_FDS_SIZE;
			m->u.region_io_fds.count = 0;
		}
		break;
	case VFIO_USER_DEVICE_GET_IRQ_INFO:
		m->u.irq_info.argsz = VFIO_USER_IRQ_INFO_SIZE;
		break;
	case VFIO_USER_DEVICE_SET_IRQS:
		if (reply)
			break;
		m->u.irq_set.argsz = clamp_u32(VFIO_USER_IRQ_SET_SIZE +
		    (uint64_t)m->u.irq_set.data_len);
		if (m->u.irq_set.flags & VFIO_IRQ_SET_DATA_BOOL)
			m->u.irq_set.count = clamp_u32(m->u.irq_set.data_len);
		break;
	case VFIO_USER_REGION_READ:
	case VFIO_USER_REGION_WRITE:
		if ((m->hdr.command == VFIO_USER_REGION_READ) == reply)
			m->u.region_access.count =
			    clamp_u32(m->u.region_access.data_len);
		break;
	case VFIO_USER_DMA_READ:
	case VFIO_USER_DMA_WRITE:
		if (m->u.dma_access.count_size == 0)
			m->u.dma_access.count_size = 8;
		if ((m->hdr.command == VFIO_USER_DMA_READ) == reply)
			m->u.dma_access.count = m->u.dma_access.data_len;
		break;
	case VFIO_USER_REGION_WRITE_MULTI:
		if (!reply)
			m->u.write_multi.wr_cnt = m->u.write_multi.nwrs;
		break;
	case VFIO_USER_DEVICE_FEATURE:
		feature_autofill(&m->u.feature, reply);
		break;
	case VFIO_USER_MIG_DATA_READ:
		if (reply) {
			m->u.mig_data.size = clamp_u32(m->u.mig_data.data_len);
			m->u.mig_data.argsz = clamp_u32(VFIO_USER_MIG_DATA_SIZE +
			    (uint64_t)m->u.mig_data.data_len);
		} else
			m->u.mig_data.argsz = clamp_u32(VFIO_USER_MIG_DATA_SIZE +
			    (uint64_t)m->u.mig_data.size);
		break;
	case VFIO_USER_MIG_DATA_WRITE:
		if (reply)
			break;
		m->u.mig_data.size = clamp_u32(m->u.mig_data.data_len);
		m->u.mig_data.argsz = clamp_u32(VFIO_USER_MIG_DATA_SIZE +
		    (uint64_t)m->u.mig_data.data_len);
		break;
	}
}
