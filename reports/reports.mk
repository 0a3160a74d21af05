# SPDX-License-Identifier: BSD-3-Clause
# Report writers (linked into the harness library).
harness_libharness_a_SOURCES += reports/report-text.c
noinst_HEADERS += reports/report.h
