# SPDX-License-Identifier: BSD-3-Clause
# runner and matcher: scenario execution in the client role, expectations.
harness_libharness_a_SOURCES += harness/runner.c harness/runner-fd.c \
	harness/runner-dma.c harness/match.c
noinst_HEADERS += harness/match.h harness/runner-int.h

