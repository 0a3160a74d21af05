/* SPDX-License-Identifier: BSD-3-Clause */
/* suite: finding, loading and selecting scenarios; see suite.h. */
#include "config.h"
#include "suite.h"

#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

struct paths {
	char	**v;
	size_t	  n, cap;
};

static int
paths_add(struct paths *p, const char *s)
{
	char	**nv;

	if (p->n == p->cap) {
		size_t n = p->cap != 0 ? p->cap * 2 : 32;

		nv = realloc(p->v, n * sizeof(*nv));
		if (nv == NULL)
			return (-1);
		p->v = nv;
		p->cap = n;
	}
	if ((p->v[p->n] = strdup(s)) == NULL)
		return (-1);
	p->n++;
	return (0);
}

static void
paths_free(struct paths *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t	a = strlen(s), b = strlen(suffix);

	return (a >= b && strcmp(s + a - b, suffix) == 0);
}

/* Collects *.yaml below dir, skipping common/ and selftest/. */
static int
walk(const char *dir, struct paths *p, int depth, struct diag *d)
{
	DIR		*dp;
	struct dirent	*de;
	struct stat	 st;
	char		 path[4096];
	int		 rc = 0;

	if (depth > 16)
		return (diag_set(d, "%s: directories nested too deep", dir));
	if ((dp = opendir(dir)) == NULL)
		return (diag_errno(d, errno, "%s", dir));
	while (rc == 0 && (de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    de->d_name) >= sizeof(path)) {
			rc = diag_set(d, "%s/%s: path too long", dir,
			    de->d_name);
			break;
		}
		if (stat(path, &st) == -1) {
			rc = diag_errno(d, errno, "%s", path);
			break;
		}
		if (S_ISDIR(st.st_mode)) {
			if (strcmp(de->d_name, "common") != 0 &&
			    strcmp(de->d_name, "selftest") != 0)
				rc = walk(path, p, depth + 1, d);
		} else if (S_ISREG(st.st_mode) && ends_with(de->d_name,
		    ".yaml")) {
			if (paths_add(p, path) == -1)
				rc = diag_set(d, "out of memory");
		}
	}
	closedir(dp);
	return (rc);
}

static int
cmp_str(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

int
suite_load(struct suite *s, const char *path, struct diag *d)
{
	struct paths	 p;
	struct stat	 st;
	struct scenario	*v;
	size_t		 i;

	memset(s, 0, sizeof(*s));
	memset(&p, 0, sizeof(p));
	if (stat(path, &st) == -1)
		return (diag_errno(d, errno, "%s", path));
	if (S_ISDIR(st.st_mode)) {
		if (walk(path, &p, 0, d) == -1) {
			paths_free(&p);
			return (-1);
		}
	} else if (paths_add(&p, path) == -1)
		return (diag_set(d, "out of memory"));
	qsort(p.v, p.n, sizeof(p.v[0]), cmp_str);
	v = calloc(p.n != 0 ? p.n : 1, sizeof(*v));
	if (v == NULL) {
		paths_free(&p);
		return (diag_set(d, "out of memory"));
	}
	for (i = 0; i < p.n; i++) {
		if (scenario_load(p.v[i], NULL, &v[i], d) == -1) {
			while (i-- > 0)
				scenario_free(&v[i]);
			free(v);
			paths_free(&p);
			return (-1);
		}
	}
	paths_free(&p);
	s->sc = v;
	s->n = i;
	return (0);
}

void
suite_free(struct suite *s)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		scenario_free(&s->sc[i]);
	free(s->sc);
	memset(s, 0, sizeof(*s));
}

int
suite_selected(const struct scenario *sc, const struct suite_filter *f)
{
	size_t	i, j;
	int	ok;

	if (f->role != -1 && (int)sc->role != f->role)
		return (0);
	if (f->nglobs > 0) {
		for (ok = 0, i = 0; i < f->nglobs && !ok; i++)
			ok = fnmatch(f->globs[i], sc->id, 0) == 0 ||
			    fnmatch(f->globs[i], sc->path, 0) == 0;
		if (!ok)
			return (0);
	}
	if (f->ntags > 0) {
		for (ok = 0, i = 0; i < f->ntags && !ok; i++)
			for (j = 0; j < sc->ntags && !ok; j++)
				ok = strcmp(f->tags[i], sc->tags[j]) == 0;
		if (!ok)
			return (0);
	}
	return (1);
}
