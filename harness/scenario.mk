# SPDX-License-Identifier: BSD-3-Clause
# scenario: the scenario format's model and its loader (libyaml, codec tables),
# the shipped scenarios and the loader's test data.
harness_libharness_a_SOURCES += harness/scenario.c harness/scenario-tree.c \
	harness/scenario-errno.c
noinst_HEADERS += harness/scenario.h harness/scenario-int.h
dist_doc_DATA += docs/scenario-format.md

EXTRA_DIST += \
	scenarios/common/negotiate.yaml \
	scenarios/server/dma/map-overlap-rejected.yaml \
	scenarios/server/dma/unmap-unknown-rejected.yaml \
	scenarios/server/header/bad-msg-size-closes-or-errors.yaml \
	scenarios/server/irq/msix-trigger-eventfd.yaml \
	scenarios/server/region/write-read-back.yaml \
	scenarios/server/version/negotiate-ok.yaml

if UNIT_TESTS
check_PROGRAMS += tests/unit/check_scenario
TESTS += tests/unit/check_scenario
tests_unit_check_scenario_SOURCES = tests/unit/check_scenario.c
tests_unit_check_scenario_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_scenario_LDADD = $(CHECK_LIBS_ALL)
endif

# Good and malformed scenario files for check_scenario.
EXTRA_DIST += \
	tests/data/scenarios/bad/alias.yaml \
	tests/data/scenarios/bad/anchor.yaml \
	tests/data/scenarios/bad/any-of-empty.yaml \
	tests/data/scenarios/bad/bad-expression.yaml \
	tests/data/scenarios/bad/bad-hex-digit.yaml \
	tests/data/scenarios/bad/bad-level.yaml \
	tests/data/scenarios/bad/bad-role.yaml \
	tests/data/scenarios/bad/bool-not-bool.yaml \
	tests/data/scenarios/bad/capture-bad-variable.yaml \
	tests/data/scenarios/bad/capture-then-use-ok-but-unknown-var.yaml \
	tests/data/scenarios/bad/capture-unknown-field.yaml \
	tests/data/scenarios/bad/close-false.yaml \
	tests/data/scenarios/bad/content-too-big.yaml \
	tests/data/scenarios/bad/duplicate-fd-name.yaml \
	tests/data/scenarios/bad/duplicate-key.yaml \
	tests/data/scenarios/bad/duplicate-label.yaml \
	tests/data/scenarios/bad/empty-file.yaml \
	tests/data/scenarios/bad/empty-step.yaml \
	tests/data/scenarios/bad/errno-empty-list.yaml \
	tests/data/scenarios/bad/errno-with-ok.yaml \
	tests/data/scenarios/bad/expect-two-kinds.yaml \
	tests/data/scenarios/bad/fd-and-fds.yaml \
	tests/data/scenarios/bad/fd-ref-unknown.yaml \
	tests/data/scenarios/bad/fields-on-error-reply.yaml \
	tests/data/scenarios/bad/fires-not-bool.yaml \
	tests/data/scenarios/bad/fires-with-reply.yaml \
	tests/data/scenarios/bad/frag/bad-field.yaml \
	tests/data/scenarios/bad/frag/cycle-a.yaml \
	tests/data/scenarios/bad/frag/cycle-b.yaml \
	tests/data/scenarios/bad/frag/ok.yaml \
	tests/data/scenarios/bad/frag/scenario.yaml \
	tests/data/scenarios/bad/frag/self.yaml \
	tests/data/scenarios/bad/fragment-loaded-as-scenario.yaml \
	tests/data/scenarios/bad/header-unknown-command.yaml \
	tests/data/scenarios/bad/include-bad-fragment.yaml \
	tests/data/scenarios/bad/include-cycle.yaml \
	tests/data/scenarios/bad/include-extra-key.yaml \
	tests/data/scenarios/bad/include-not-found.yaml \
	tests/data/scenarios/bad/include-scenario.yaml \
	tests/data/scenarios/bad/include-self.yaml \
	tests/data/scenarios/bad/int-32-overflow.yaml \
	tests/data/scenarios/bad/int-negative.yaml \
	tests/data/scenarios/bad/int-not-a-number.yaml \
	tests/data/scenarios/bad/int-over-64-bits.yaml \
	tests/data/scenarios/bad/int-quoted.yaml \
	tests/data/scenarios/bad/int-too-big-for-field.yaml \
	tests/data/scenarios/bad/irq-quiet-without-window.yaml \
	tests/data/scenarios/bad/irq-unknown-fd.yaml \
	tests/data/scenarios/bad/key-not-scalar.yaml \
	tests/data/scenarios/bad/list-for-integer.yaml \
	tests/data/scenarios/bad/mask-outside.yaml \
	tests/data/scenarios/bad/memfd-without-size.yaml \
	tests/data/scenarios/bad/missing-id.yaml \
	tests/data/scenarios/bad/nested-too-deep.yaml \
	tests/data/scenarios/bad/odd-hex.yaml \
	tests/data/scenarios/bad/one-of-mixed.yaml \
	tests/data/scenarios/bad/one-of-single.yaml \
	tests/data/scenarios/bad/pattern-without-len.yaml \
	tests/data/scenarios/bad/range-empty.yaml \
	tests/data/scenarios/bad/range-not-pair.yaml \
	tests/data/scenarios/bad/raw-variable.yaml \
	tests/data/scenarios/bad/reconnect-drops-pending.yaml \
	tests/data/scenarios/bad/reconnect-scalar.yaml \
	tests/data/scenarios/bad/reconnect-server-role.yaml \
	tests/data/scenarios/bad/reconnect-to-old.yaml \
	tests/data/scenarios/bad/reconnect-unknown-key.yaml \
	tests/data/scenarios/bad/repeat-var-out-of-scope.yaml \
	tests/data/scenarios/bad/repeat-zero.yaml \
	tests/data/scenarios/bad/reply-without-request.yaml \
	tests/data/scenarios/bad/same-as-without-data.yaml \
	tests/data/scenarios/bad/serve-wrong-command.yaml \
	tests/data/scenarios/bad/silence-without-window.yaml \
	tests/data/scenarios/bad/step-two-kinds.yaml \
	tests/data/scenarios/bad/step-without-kind.yaml \
	tests/data/scenarios/bad/steps-empty.yaml \
	tests/data/scenarios/bad/steps-not-list.yaml \
	tests/data/scenarios/bad/syntax-error.yaml \
	tests/data/scenarios/bad/tag.yaml \
	tests/data/scenarios/bad/to-no-reply-request.yaml \
	tests/data/scenarios/bad/two-documents.yaml \
	tests/data/scenarios/bad/unknown-command.yaml \
	tests/data/scenarios/bad/unknown-errno.yaml \
	tests/data/scenarios/bad/unknown-expect-key.yaml \
	tests/data/scenarios/bad/unknown-fd-kind.yaml \
	tests/data/scenarios/bad/unknown-field.yaml \
	tests/data/scenarios/bad/unknown-flag.yaml \
	tests/data/scenarios/bad/unknown-header-field.yaml \
	tests/data/scenarios/bad/unknown-label.yaml \
	tests/data/scenarios/bad/unknown-match-key.yaml \
	tests/data/scenarios/bad/unknown-requirement.yaml \
	tests/data/scenarios/bad/unknown-requirement-id.yaml \
	tests/data/scenarios/bad/unknown-top-key.yaml \
	tests/data/scenarios/bad/var-before-capture.yaml \
	tests/data/scenarios/bad/var-from-var.yaml \
	tests/data/scenarios/bad/within-ms-zero.yaml \
	tests/data/scenarios/common/hello.yaml \
	tests/data/scenarios/good/full.yaml \
	tests/data/scenarios/good/minimal.yaml \
	tests/data/scenarios/good/reconnect.yaml \
	tests/data/scenarios/good/server-role.yaml \
	tests/data/scenarios/search/extra.yaml
