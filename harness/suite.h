/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * suite: a set of scenarios.  Finds the scenario files under a directory
 * (every *.yaml below it, except fragments in common/ directories and the
 * self-tests in selftest/), in a stable sorted order, loads all of them
 * before anything runs, and selects by ID glob, tag and role.  No output.
 */
#ifndef VFU_SUITE_H
#define VFU_SUITE_H

#include <stddef.h>

#include "scenario.h"

struct diag;

struct suite {
	struct scenario	*sc;		/* loaded scenarios, file order */
	size_t		 n;
};

/*
 * Loads path: a scenario file, or a directory searched recursively.
 * Returns 0, or -1 with *d at the first file that does not load (nothing
 * is kept then).
 */
int	suite_load(struct suite *s, const char *path, struct diag *d);
void	suite_free(struct suite *s);

struct suite_filter {
	const char * const *globs;	/* fnmatch on the ID or the file path;
					 * any matches (none given: all) */
	size_t		 nglobs;
	const char * const *tags;	/* the scenario has any of them */
	size_t		 ntags;
	int		 role;		/* ROLE_CLIENT/ROLE_SERVER, -1: any */
};

/* Does sc pass the filter? */
int	suite_selected(const struct scenario *sc, const struct suite_filter *f);

#endif /* VFU_SUITE_H */
