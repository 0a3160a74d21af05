# SPDX-License-Identifier: BSD-3-Clause
# vfu-refdev: the reference vfio-user device server with fault switches.
# The device and protocol code is a private library so that the unit tests
# can serve a socketpair in-process; the program is only refdev-main.c.
noinst_LIBRARIES += servers/librefdev.a
servers_librefdev_a_SOURCES = servers/refdev-fault.c servers/refdev-pci.c \
	servers/refdev-regions.c servers/refdev-irq.c servers/refdev-dma.c \
	servers/refdev-mig.c servers/refdev-conn.c
servers_librefdev_a_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
noinst_HEADERS += servers/refdev-fault.h servers/refdev-dev.h \
	servers/refdev-conn.h
REFDEV_LIBS = servers/librefdev.a $(HARNESS_LIBS)

bin_PROGRAMS += servers/vfu-refdev
servers_vfu_refdev_SOURCES = servers/refdev-main.c
servers_vfu_refdev_LDADD = $(REFDEV_LIBS)

# The Backend Program Conventions' JSON description, installed under
# $(datadir)/vfio-user with the installed binary's path.
EXTRA_DIST += servers/vfu-refdev.json docs/refdev.md
refdevjsondir = $(datadir)/vfio-user
install-data-local: install-refdev-json
uninstall-local: uninstall-refdev-json
install-refdev-json:
	$(MKDIR_P) '$(DESTDIR)$(refdevjsondir)'
	sed 's|@BINARY@|$(bindir)/vfu-refdev|' \
	    '$(srcdir)/servers/vfu-refdev.json' \
	    > '$(DESTDIR)$(refdevjsondir)/50-vfu-refdev.json'
uninstall-refdev-json:
	rm -f '$(DESTDIR)$(refdevjsondir)/50-vfu-refdev.json'
.PHONY: install-refdev-json uninstall-refdev-json

if UNIT_TESTS
check_PROGRAMS += tests/unit/check_refdev
TESTS += tests/unit/check_refdev
tests_unit_check_refdev_SOURCES = tests/unit/check_refdev.c
tests_unit_check_refdev_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/servers
tests_unit_check_refdev_CFLAGS = $(CHECK_CFLAGS_ALL)
tests_unit_check_refdev_LDADD = $(REFDEV_LIBS) $(CHECK_LIBS)
endif
