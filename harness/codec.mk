# SPDX-License-Identifier: BSD-3-Clause
# codec: encode/decode of every vfio-user message, and its field tables.
harness_libharness_a_SOURCES += harness/codec.c harness/codec-tables.c
noinst_HEADERS += harness/codec.h

if UNIT_TESTS
check_PROGRAMS += tests/unit/check_codec
TESTS += tests/unit/check_codec
tests_unit_check_codec_SOURCES = tests/unit/check_codec.c
tests_unit_check_codec_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_codec_LDADD = $(CHECK_LIBS_ALL)
endif

# The spec ambiguities the codec meets and the choices made (shared with caps).
dist_doc_DATA += docs/spec-notes.md
