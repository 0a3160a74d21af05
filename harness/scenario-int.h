/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * scenario-int: what the scenario loader's files share and nobody else
 * uses: the arena that owns a loaded scenario, and the YAML node tree built
 * from libyaml events, with a position on every node.
 */
#ifndef VFU_SCENARIO_INT_H
#define VFU_SCENARIO_INT_H

#include <stddef.h>

#include "scenario.h"

struct diag;

/* Largest file the loader reads, and largest byte string it builds. */
#define SCN_MAX_FILE		(4u << 20)
#define SCN_MAX_BYTES		(16u << 20)
#define SCN_MAX_DEPTH		64	/* YAML nesting */

struct scn_arena *arena_new(void);
void	 arena_free(struct scn_arena *a);
/* Zeroed memory, or NULL when out of memory (or n is absurd). */
void	*arena_alloc(struct scn_arena *a, size_t n);
/* An array of n elements of size sz, zeroed; NULL on overflow or OOM. */
void	*arena_array(struct scn_arena *a, size_t n, size_t sz);
char	*arena_strndup(struct scn_arena *a, const char *s, size_t n);
char	*arena_strdup(struct scn_arena *a, const char *s);

enum ynode_kind {
	YN_SCALAR,
	YN_SEQ,
	YN_MAP,
};

struct ynode {
	enum ynode_kind	 kind;
	struct srcpos	 pos;		/* start of the node */
	/* YN_SCALAR */
	const char	*str;		/* NUL-terminated */
	size_t		 len;
	int		 plain;		/* unquoted, not a block scalar */
	/* YN_SEQ: items[0..n-1]; YN_MAP: key items[2i], value items[2i+1] */
	struct ynode	**items;
	size_t		 n;		/* entries (pairs for a map) */
};

#define YMAP_KEY(m, i)	((m)->items[2 * (i)])
#define YMAP_VAL(m, i)	((m)->items[2 * (i) + 1])

/*
 * Reads file (display name file_name, kept by the arena) into a tree.
 * Rejects syntax errors, more than one document, anchors, aliases, explicit
 * tags, non-scalar or duplicate keys, nesting deeper than SCN_MAX_DEPTH.
 * An empty file yields *root == NULL.  Returns 0, or -1 with *d located.
 */
int	ytree_load(struct scn_arena *a, const char *file_name,
	    struct ynode **root, struct diag *d);

#endif /* VFU_SCENARIO_INT_H */
