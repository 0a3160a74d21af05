# SPDX-License-Identifier: BSD-3-Clause
# runner and matcher: scenario execution in the client role, expectations.
harness_libharness_a_SOURCES += harness/runner.c harness/runner-fd.c \
	harness/runner-dma.c harness/match.c
noinst_HEADERS += harness/match.h harness/runner-int.h

if UNIT_TESTS
check_PROGRAMS += tests/unit/check_match
TESTS += tests/unit/check_match
tests_unit_check_match_SOURCES = tests/unit/check_match.c
tests_unit_check_match_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_match_LDADD = $(CHECK_LIBS_ALL)
endif
