# SPDX-License-Identifier: BSD-3-Clause
# Self-tests: the harness against the reference server, end to end.  Each
# script speaks TAP, so every scenario and every fault counts on its own.
SELFTESTS = tests/selftest/cli.sh tests/selftest/suite.sh \
	tests/selftest/valgrind.sh \
	tests/selftest/faults.sh
TESTS += $(SELFTESTS)
EXTRA_DIST += $(SELFTESTS) tests/selftest/faults.txt
TEST_EXTENSIONS = .sh
SH_LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) \
	$(top_srcdir)/build-aux/tap-driver.sh
SH_LOG_COMPILER = $(SHELL)
