/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refdev-pci: the PCI configuration space of vfu-refdev (region 7): a type-0
 * header and a capability list (power management, MSI, MSI-X, PCI Express).
 * Every byte has a write mask: read-only bytes ignore writes and BAR sizing
 * works because a BAR's low bits are read-only.  The layout is documented in
 * docs/refdev.md.  No I/O.
 */
#include "config.h"
#include "refdev-dev.h"

#include <string.h>

static void
put16(uint8_t *p, size_t off, uint16_t v)
{
	p[off] = v & 0xff;
	p[off + 1] = v >> 8;
}

static void
put32(uint8_t *p, size_t off, uint32_t v)
{
	put16(p, off, v & 0xffff);
	put16(p, off + 2, v >> 16);
}

/* Builds the power-on config space and its write masks. */
void
refdev_pci_init(struct refdev *dev)
{
	uint8_t	*c = dev->cfg, *w = dev->cfg_wmask;

	memset(c, 0, REFDEV_CFG_SIZE);
	memset(w, 0, REFDEV_CFG_SIZE);

	put16(c, 0x00, REFDEV_VENDOR_ID);
	put16(c, 0x02, REFDEV_DEVICE_ID);
	put16(w, 0x04, 0x0547);		/* IO MEM MASTER PERR SERR INTXDIS */
	put16(c, 0x06, 0x0010);		/* capabilities list */
	c[0x08] = REFDEV_REVISION;
	c[0x0b] = 0xff;			/* class: unassigned */
	w[0x0c] = 0xff;			/* cache line size */
	c[0x0e] = 0x00;			/* header type 0 */
	/* BAR0: 32-bit memory, 4 KiB, not prefetchable */
	put32(w, 0x10, ~(uint32_t)(REFDEV_BAR0_SIZE - 1));
	/* BAR2: 32-bit memory, 16 KiB, prefetchable */
	put32(c, 0x18, 0x8);
	put32(w, 0x18, ~(uint32_t)(REFDEV_BAR2_SIZE - 1));
	put16(c, 0x2c, REFDEV_VENDOR_ID);
	put16(c, 0x2e, REFDEV_DEVICE_ID);
	c[0x34] = REFDEV_CAP_PM;
	w[0x3c] = 0xff;			/* interrupt line */
	c[0x3d] = 0x01;			/* INTA# */

	/* Power management, version 3; PMCSR power state writable. */
	c[REFDEV_CAP_PM] = 0x01;
	c[REFDEV_CAP_PM + 1] = REFDEV_CAP_MSI;
	put16(c, REFDEV_CAP_PM + 2, 0x0003);
	put16(w, REFDEV_CAP_PM + 4, 0x0003);

	/* MSI: 64-bit, 4 vectors (MMC = 2). */
	c[REFDEV_CAP_MSI] = 0x05;
	c[REFDEV_CAP_MSI + 1] = REFDEV_CAP_MSIX;
	put16(c, REFDEV_CAP_MSI + 2, 0x0084);
	put16(w, REFDEV_CAP_MSI + 2, 0x0071);	/* enable, MME */
	put32(w, REFDEV_CAP_MSI + 4, 0xfffffffc);
	put32(w, REFDEV_CAP_MSI + 8, 0xffffffff);
	put16(w, REFDEV_CAP_MSI + 12, 0xffff);

	/* MSI-X: 8 vectors, table and PBA in BAR0. */
	c[REFDEV_CAP_MSIX] = 0x11;
	c[REFDEV_CAP_MSIX + 1] = REFDEV_CAP_EXP;
	put16(c, REFDEV_CAP_MSIX + 2, REFDEV_MSIX_VECTORS - 1);
	put16(w, REFDEV_CAP_MSIX + 2, 0xc000);	/* enable, function mask */
	put32(c, REFDEV_CAP_MSIX + 4, REFDEV_MSIX_TABLE | 0);
	put32(c, REFDEV_CAP_MSIX + 8, REFDEV_MSIX_PBA | 0);

	/* PCI Express v2, endpoint; device control writable. */
	c[REFDEV_CAP_EXP] = 0x10;
	c[REFDEV_CAP_EXP + 1] = 0x00;
	put16(c, REFDEV_CAP_EXP + 2, 0x0002);
	put16(w, REFDEV_CAP_EXP + 8, 0x7fff);
	/* 0x100: no extended capabilities (header left zero). */
}

void
refdev_pci_read(struct refdev *dev, uint64_t off, uint8_t *buf, size_t len)
{
	memcpy(buf, dev->cfg + off, len);
}

void
refdev_pci_write(struct refdev *dev, uint64_t off, const uint8_t *buf,
    size_t len)
{
	size_t	i, at;
	uint8_t	m;

	for (i = 0; i < len; i++) {
		at = off + i;
		m = dev->cfg_wmask[at];
		if (at < 4 &&
		    refdev_fault_on(&dev->faults, RF_CONFIG_RO_WRITABLE))
			m = 0xff;
		if (at >= 0x10 && at < 0x28 &&
		    refdev_fault_on(&dev->faults, RF_BAR_SIZING_BROKEN))
			m = 0xff;
		dev->cfg[at] = (dev->cfg[at] & ~m) | (buf[i] & m);
	}
}
