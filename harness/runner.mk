# SPDX-License-Identifier: BSD-3-Clause
# runner and matcher: scenario execution in the client role, expectations.
harness_libharness_a_SOURCES += harness/runner.c harness/runner-fd.c \
	harness/runner-dma.c harness/match.c
noinst_HEADERS += harness/match.h harness/runner-int.h

# Scenarios check_runner runs against vfu-refdev.
EXTRA_DIST += tests/data/runner/negotiate.yaml tests/data/runner/pass.yaml \
	tests/data/runner/fail.yaml tests/data/runner/silence.yaml \
	tests/data/runner/capture-lost.yaml \
	tests/data/runner/one-of-none.yaml \
	tests/data/runner/close.yaml tests/data/runner/irq.yaml \
	tests/data/runner/serve.yaml tests/data/runner/serve-auto.yaml \
	tests/data/runner/memfd.yaml tests/data/runner/skip.yaml \
	tests/data/runner/probe.yaml tests/data/runner/timeout.yaml \
	tests/data/runner/serve-outside.yaml \
	tests/data/runner/reconnect-state.yaml \
	tests/data/runner/reconnect-irq.yaml \
	tests/data/runner/reconnect-dma.yaml tests/data/runner/irq-quiet.yaml

if UNIT_TESTS
check_PROGRAMS += tests/unit/check_match tests/unit/check_runner
TESTS += tests/unit/check_match tests/unit/check_runner
tests_unit_check_match_SOURCES = tests/unit/check_match.c
tests_unit_check_match_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_match_LDADD = $(CHECK_LIBS_ALL)
tests_unit_check_runner_SOURCES = tests/unit/check_runner.c
tests_unit_check_runner_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_runner_LDADD = $(CHECK_LIBS_ALL)
endif
