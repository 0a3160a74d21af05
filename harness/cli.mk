# SPDX-License-Identifier: BSD-3-Clause
# The client-side engine pieces and the vfu-conform program.
harness_libharness_a_SOURCES += harness/client.c harness/target.c \
	harness/session.c harness/lint.c \
	harness/describe.c harness/result.c harness/suite.c
noinst_HEADERS += harness/client.h harness/target.h harness/describe.h \
	harness/session.h harness/lint.h harness/result.h harness/runner.h \
	harness/suite.h

bin_PROGRAMS += vfu-conform
vfu_conform_SOURCES = harness/main.c
vfu_conform_LDADD = $(HARNESS_LIBS)

if UNIT_TESTS
check_PROGRAMS += tests/unit/check_lint
TESTS += tests/unit/check_lint
tests_unit_check_lint_SOURCES = tests/unit/check_lint.c
tests_unit_check_lint_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_lint_LDADD = $(CHECK_LIBS_ALL)
endif

if UNIT_TESTS
check_PROGRAMS += tests/unit/check_suite
TESTS += tests/unit/check_suite
tests_unit_check_suite_SOURCES = tests/unit/check_suite.c
tests_unit_check_suite_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_suite_LDADD = $(CHECK_LIBS_ALL)
endif
