/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for suite: finding, loading and selecting scenario files. */
#include "config.h"

#include <sys/stat.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "suite.h"

static char	dir[64];

static void
put(const char *rel, const char *id, const char *tags)
{
	char	path[256];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "id: %s\ntitle: t\nspec: Header\n"
	    "requirement: header.reply-bit\nlevel: must\nrole: client\n"
	    "tags: [%s]\nsteps:\n  - expect: close\n", id, tags);
	fclose(f);
}

static void
setup(void)
{
	char	p[128];

	snprintf(dir, sizeof(dir), "/tmp/check_suite.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/server", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/server/common", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/selftest", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	put("server/b.yaml", "server/b", "dma");
	put("server/a.yaml", "server/a", "irq, dma");
	put("server/common/frag.yaml", "frag", "x");
	put("selftest/s.yaml", "selftest/s", "x");
	put("top.yaml", "top", "irq");
	put("server/notes.txt", "ignored", "x");
}

static void
teardown(void)
{
	char	cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_suite_load_finds_sorted_skips_fragments)
{
	struct suite	s;
	struct diag	d;

	ck_assert_int_eq(suite_load(&s, dir, &d), 0);
	ck_assert_uint_eq(s.n, 3);
	ck_assert_str_eq(s.sc[0].id, "server/a");
	ck_assert_str_eq(s.sc[1].id, "server/b");
	ck_assert_str_eq(s.sc[2].id, "top");
	suite_free(&s);
}
END_TEST

START_TEST(test_suite_load_one_file)
{
	struct suite	s;
	struct diag	d;
	char		p[128];

	snprintf(p, sizeof(p), "%s/server/b.yaml", dir);
	ck_assert_int_eq(suite_load(&s, p, &d), 0);
	ck_assert_uint_eq(s.n, 1);
	suite_free(&s);
}
END_TEST

START_TEST(test_suite_load_bad_file_stops_with_position)
{
	struct suite	s;
	struct diag	d;
	char		p[128];
	FILE		*f;

	snprintf(p, sizeof(p), "%s/server/c.yaml", dir);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs("id: c\ntitle: t\nspec: Header\nrequirement: header.reply-bit\n"
	    "level: must\nrole: client\nsteps:\n  - expect: clsoe\n", f);
	fclose(f);
	ck_assert_int_eq(suite_load(&s, dir, &d), -1);
	ck_assert_ptr_nonnull(strstr(d.file, "c.yaml"));
	ck_assert_uint_eq(d.line, 8);
	ck_assert_uint_eq(s.n, 0);
	ck_assert_int_eq(suite_load(&s, "/nonexistent/suite", &d), -1);
	ck_assert_ptr_nonnull(strstr(d.msg, "No such file"));
}
END_TEST

START_TEST(test_suite_selected_by_glob_tag_role)
{
	struct suite	s;
	struct suite_filter f;
	struct diag	d;
	const char	*globs[] = { "server/*" }, *tags[] = { "irq" };

	ck_assert_int_eq(suite_load(&s, dir, &d), 0);
	memset(&f, 0, sizeof(f));
	f.role = -1;
	ck_assert(suite_selected(&s.sc[2], &f));
	f.globs = globs;
	f.nglobs = 1;
	ck_assert(suite_selected(&s.sc[0], &f));
	ck_assert(!suite_selected(&s.sc[2], &f));
	f.tags = tags;
	f.ntags = 1;
	ck_assert(suite_selected(&s.sc[0], &f));
	ck_assert(!suite_selected(&s.sc[1], &f));
	f.nglobs = 0;
	f.role = 1;		/* ROLE_SERVER: none of these */
	ck_assert(!suite_selected(&s.sc[0], &f));
	suite_free(&s);
}
END_TEST

static Suite *
suite_suite(void)
{
	Suite	*s = suite_create("suite");
	TCase	*tc = tcase_create("load");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_suite_load_finds_sorted_skips_fragments);
	tcase_add_test(tc, test_suite_load_one_file);
	tcase_add_test(tc, test_suite_load_bad_file_stops_with_position);
	tcase_add_test(tc, test_suite_selected_by_glob_tag_role);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(suite_suite());
	int	 nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
