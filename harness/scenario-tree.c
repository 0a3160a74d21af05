/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * scenario-tree: the scenario loader's arena and its YAML reader.  libyaml's
 * event parser feeds a small node tree in which every node keeps its 1-based
 * line and column; the reader refuses what scenarios do not use (anchors,
 * aliases, tags, several documents) and duplicate keys, which libyaml's own
 * document loader would accept silently.  Knows nothing of the schema.
 */
#include "config.h"
#include "scenario-int.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "diag.h"

#define ARENA_CHUNK	8192
#define ARENA_ALIGN	16

struct chunk {
	struct chunk	*next;
	size_t		 size;
	size_t		 used;
	/* data follows, aligned */
};

struct scn_arena {
	struct chunk	*head;
};

#define CHUNK_HDR	((sizeof(struct chunk) + ARENA_ALIGN - 1) & \
			    ~(size_t)(ARENA_ALIGN - 1))

struct scn_arena *
arena_new(void)
{
	return (calloc(1, sizeof(struct scn_arena)));
}

void
arena_free(struct scn_arena *a)
{
	struct chunk	*c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

void *
arena_alloc(struct scn_arena *a, size_t n)
{
	struct chunk	*c;
	size_t		 sz;
	uint8_t		*p;

	if (n > SCN_MAX_BYTES * 2)
		return (NULL);
	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (n == 0)
		n = ARENA_ALIGN;
	c = a->head;
	if (c == NULL || c->size - c->used < n) {
		sz = n > ARENA_CHUNK / 2 ? n : ARENA_CHUNK;
		if ((c = malloc(CHUNK_HDR + sz)) == NULL)
			return (NULL);
		c->size = sz;
		c->used = 0;
		if (n > ARENA_CHUNK / 2 && a->head != NULL) {
			/* A big block: keep the current chunk in front. */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = (uint8_t *)c + CHUNK_HDR + c->used;
	c->used += n;
	memset(p, 0, n);
	return (p);
}

void *
arena_array(struct scn_arena *a, size_t n, size_t sz)
{
	if (sz != 0 && n > SIZE_MAX / sz)
		return (NULL);
	return (arena_alloc(a, n * sz));
}

char *
arena_strndup(struct scn_arena *a, const char *s, size_t n)
{
	char	*p;

	if ((p = arena_alloc(a, n + 1)) == NULL)
		return (NULL);
	memcpy(p, s, n);
	p[n] = '\0';
	return (p);
}

char *
arena_strdup(struct scn_arena *a, const char *s)
{
	return (arena_strndup(a, s, strlen(s)));
}

/* ---- YAML events to nodes ---------------------------------------------- */

struct yreader {
	struct scn_arena *a;
	const char	*file;
	yaml_parser_t	 parser;
	struct diag	*d;
};

static int
yr_oom(struct yreader *r)
{
	return (diag_at(r->d, r->file, 0, 0, "out of memory"));
}

static int
yr_at(struct yreader *r, const yaml_mark_t *m, const char *what)
{
	return (diag_at(r->d, r->file, (unsigned)m->line + 1,
	    (unsigned)m->column + 1, "%s", what));
}

/* Reads the next event; a libyaml error becomes a located diag. */
static int
yr_next(struct yreader *r, yaml_event_t *ev)
{
	const yaml_parser_t *p = &r->parser;

	if (yaml_parser_parse(&r->parser, ev))
		return (0);
	if (p->error == YAML_MEMORY_ERROR)
		return (yr_oom(r));
	if (p->context != NULL)
		return (diag_at(r->d, r->file,
		    (unsigned)p->problem_mark.line + 1,
		    (unsigned)p->problem_mark.column + 1,
		    "YAML syntax error: %s %s", p->problem, p->context));
	return (diag_at(r->d, r->file, (unsigned)p->problem_mark.line + 1,
	    (unsigned)p->problem_mark.column + 1, "YAML syntax error: %s",
	    p->problem != NULL ? p->problem : "unknown"));
}

/* Refuses what the scenario format does not use.  0 or -1. */
static int
yr_check_props(struct yreader *r, const yaml_event_t *ev)
{
	const yaml_char_t *anchor = NULL, *tag = NULL;
	int		 implicit = 1;

	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return (yr_at(r, &ev->start_mark,
		    "YAML aliases (*name) are not supported; write the value "
		    "out or use include"));
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
		implicit = ev->data.scalar.plain_implicit ||
		    ev->data.scalar.quoted_implicit;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
		implicit = ev->data.sequence_start.implicit;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
		implicit = ev->data.mapping_start.implicit;
		break;
	default:
		break;
	}
	if (anchor != NULL)
		return (yr_at(r, &ev->start_mark,
		    "YAML anchors (&name) are not supported; write the value "
		    "out or use include"));
	if (tag != NULL && !implicit)
		return (yr_at(r, &ev->start_mark,
		    "YAML tags are not supported"));
	return (0);
}

static struct ynode *
yr_node(struct yreader *r, enum ynode_kind kind, const yaml_mark_t *m)
{
	struct ynode	*n;

	if ((n = arena_alloc(r->a, sizeof(*n))) == NULL)
		return (NULL);
	n->kind = kind;
	n->pos.file = r->file;
	n->pos.line = (unsigned)m->line + 1;
	n->pos.col = (unsigned)m->column + 1;
	return (n);
}

/* Appends item to n->items, growing in the arena.  0 or -1. */
static int
yr_push(struct yreader *r, struct ynode *n, size_t *cap, size_t *len,
    struct ynode *item)
{
	struct ynode	**items;
	size_t		 ncap;

	if (*len == *cap) {
		ncap = *cap == 0 ? 8 : *cap * 2;
		items = arena_array(r->a, ncap, sizeof(*items));
		if (items == NULL)
			return (yr_oom(r));
		if (*len != 0)
			memcpy(items, n->items, *len * sizeof(*items));
		n->items = items;
		*cap = ncap;
	}
	n->items[(*len)++] = item;
	return (0);
}

static int yr_parse(struct yreader *, yaml_event_t *, int, struct ynode **);

/* Reads the children of a sequence or mapping up to its end event. */
static int
yr_children(struct yreader *r, struct ynode *n, int depth)
{
	yaml_event_t	 ev;
	yaml_event_type_t end;
	struct ynode	*child, *k;
	size_t		 cap = 0, len = 0, i;

	end = n->kind == YN_SEQ ? YAML_SEQUENCE_END_EVENT :
	    YAML_MAPPING_END_EVENT;
	for (;;) {
		if (yr_next(r, &ev) == -1)
			return (-1);
		if (ev.type == end) {
			yaml_event_delete(&ev);
			break;
		}
		if (yr_parse(r, &ev, depth + 1, &child) == -1)
			return (-1);
		if (n->kind == YN_MAP && len % 2 == 0) {
			if (child->kind != YN_SCALAR)
				return (diag_at(r->d, r->file,
				    child->pos.line, child->pos.col,
				    "mapping keys must be plain words"));
			for (i = 0; i < len; i += 2) {
				k = n->items[i];
				if (strcmp(k->str, child->str) == 0)
					return (diag_at(r->d, r->file,
					    child->pos.line, child->pos.col,
					    "duplicate key '%s' (first at "
					    "line %u)", child->str,
					    k->pos.line));
			}
		}
		if (yr_push(r, n, &cap, &len, child) == -1)
			return (-1);
	}
	n->n = n->kind == YN_MAP ? len / 2 : len;
	return (0);
}

/* Builds the node that starts with *ev (consumed). */
static int
yr_parse(struct yreader *r, yaml_event_t *ev, int depth, struct ynode **out)
{
	struct ynode	*n = NULL;
	int		 rc = -1;

	if (yr_check_props(r, ev) == -1)
		goto out;
	if (depth > SCN_MAX_DEPTH) {
		yr_at(r, &ev->start_mark, "nested too deeply");
		goto out;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if ((n = yr_node(r, YN_SCALAR, &ev->start_mark)) == NULL)
			break;
		n->str = arena_strndup(r->a, (const char *)ev->data.scalar.value,
		    ev->data.scalar.length);
		if (n->str == NULL) {
			n = NULL;
			break;
		}
		n->len = ev->data.scalar.length;
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		if (strlen(n->str) != n->len) {
			yr_at(r, &ev->start_mark, "NUL byte in a scalar");
			goto out;
		}
		rc = 0;
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		n = yr_node(r, ev->type == YAML_SEQUENCE_START_EVENT ?
		    YN_SEQ : YN_MAP, &ev->start_mark);
		if (n == NULL)
			break;
		yaml_event_delete(ev);
		memset(ev, 0, sizeof(*ev));
		if (yr_children(r, n, depth) == -1)
			return (-1);
		rc = 0;
		break;
	default:
		yr_at(r, &ev->start_mark, "unexpected YAML event");
		goto out;
	}
	if (n == NULL)
		yr_oom(r);
out:
	yaml_event_delete(ev);
	*out = n;
	return (rc);
}

/* Reads the whole file into memory, bounded.  Returns NULL with *d set. */
static unsigned char *
yr_slurp(const char *file, size_t *len, struct diag *d)
{
	FILE		*f;
	unsigned char	*buf;
	size_t		 n;

	if ((f = fopen(file, "r")) == NULL) {
		diag_errno(d, errno, "cannot open");
		snprintf(d->file, sizeof(d->file), "%s", file);
		return (NULL);
	}
	if ((buf = malloc(SCN_MAX_FILE + 1)) == NULL) {
		fclose(f);
		diag_at(d, file, 0, 0, "out of memory");
		return (NULL);
	}
	n = fread(buf, 1, SCN_MAX_FILE + 1, f);
	if (ferror(f)) {
		diag_errno(d, errno, "read error");
		snprintf(d->file, sizeof(d->file), "%s", file);
		goto fail;
	}
	if (n > SCN_MAX_FILE) {
		diag_at(d, file, 0, 0, "file larger than %u bytes",
		    SCN_MAX_FILE);
		goto fail;
	}
	fclose(f);
	*len = n;
	return (buf);
fail:
	fclose(f);
	free(buf);
	return (NULL);
}

int
ytree_load(struct scn_arena *a, const char *file, struct ynode **root,
    struct diag *d)
{
	struct yreader	 r;
	yaml_event_t	 ev;
	unsigned char	*buf;
	size_t		 len;
	int		 rc = -1, docs = 0;
	struct ynode	*n;

	*root = NULL;
	if ((buf = yr_slurp(file, &len, d)) == NULL)
		return (-1);
	memset(&r, 0, sizeof(r));
	r.a = a;
	r.file = file;
	r.d = d;
	if (!yaml_parser_initialize(&r.parser)) {
		free(buf);
		return (diag_at(d, file, 0, 0, "out of memory"));
	}
	yaml_parser_set_input_string(&r.parser, buf, len);
	for (;;) {
		if (yr_next(&r, &ev) == -1)
			goto out;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			rc = 0;
			goto out;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				yr_at(&r, &ev.start_mark, "more than one YAML "
				    "document in the file");
				yaml_event_delete(&ev);
				goto out;
			}
			yaml_event_delete(&ev);
			break;
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			yaml_event_delete(&ev);
			break;
		default:
			if (yr_parse(&r, &ev, 0, &n) == -1)
				goto out;
			/* A document that is only an empty scalar is empty. */
			if (!(n->kind == YN_SCALAR && n->len == 0 && n->plain))
				*root = n;
			break;
		}
	}
out:
	yaml_parser_delete(&r.parser);
	free(buf);
	if (rc == -1)
		*root = NULL;
	return (rc);
}
