# SPDX-License-Identifier: BSD-3-Clause
# transport: AF_UNIX sockets, framing by msg_size, SCM_RIGHTS, deadlines.
harness_libharness_a_SOURCES += harness/transport.c
noinst_HEADERS += harness/transport.h

if UNIT_TESTS
check_PROGRAMS += tests/unit/check_transport
TESTS += tests/unit/check_transport
tests_unit_check_transport_SOURCES = tests/unit/check_transport.c
tests_unit_check_transport_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_transport_LDADD = $(CHECK_LIBS_ALL)
endif
