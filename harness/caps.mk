# SPDX-License-Identifier: BSD-3-Clause
# caps: the VFIO_USER_VERSION capability JSON (json-c).
harness_libharness_a_SOURCES += harness/caps.c
noinst_HEADERS += harness/caps.h

if UNIT_TESTS
check_PROGRAMS += tests/unit/check_caps
TESTS += tests/unit/check_caps
tests_unit_check_caps_SOURCES = tests/unit/check_caps.c
tests_unit_check_caps_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_caps_LDADD = $(CHECK_LIBS_ALL)
endif
