# SPDX-License-Identifier: BSD-3-Clause
# The client-side engine pieces and the vfu-conform program.
harness_libharness_a_SOURCES += harness/client.c harness/target.c \
	harness/describe.c
noinst_HEADERS += harness/client.h harness/target.h harness/describe.h

bin_PROGRAMS += vfu-conform
vfu_conform_SOURCES = harness/main.c
vfu_conform_LDADD = $(HARNESS_LIBS)
