# SPDX-License-Identifier: BSD-3-Clause
# diag, buf, log: the leaf modules everything else builds on.
harness_libharness_a_SOURCES += harness/diag.c harness/buf.c
noinst_HEADERS += harness/diag.h harness/buf.h harness/proto.h

if UNIT_TESTS
check_PROGRAMS += tests/unit/check_buf
TESTS += tests/unit/check_buf
tests_unit_check_buf_SOURCES = tests/unit/check_buf.c
tests_unit_check_buf_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_buf_LDADD = $(CHECK_LIBS_ALL)
endif
