# SPDX-License-Identifier: BSD-3-Clause
bin_PROGRAMS += vfu-conform
vfu_conform_SOURCES = harness/main.c
vfu_conform_LDADD = $(HARNESS_LIBS)
