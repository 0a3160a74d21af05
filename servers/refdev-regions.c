/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refdev-regions: the device object of vfu-refdev and its regions: BAR0
 * registers reached by REGION_READ/WRITE only, BAR2 memory backed by a memfd
 * (mappable, first page trapped), config space (region 7, refdev-pci.c) and
 * the read-only device-specific region 9.  Also the device's lifetime:
 * creation, DEVICE_RESET and what a client disconnection releases.  Bounds
 * and permissions are checked here; the register map is in docs/refdev.md.
 */
#include "config.h"
#include "refdev-dev.h"

#include <sys/eventfd.h>
#include <sys/mman.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint32_t
get32(const uint8_t *p)
{
	return ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24);
}

static void
set32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

static void
bar0_init(struct refdev *dev)
{
	memset(dev->bar0, 0, sizeof(dev->bar0));
	set32(dev->bar0 + REFDEV_REG_ID, REFDEV_ID_VALUE);
	set32(dev->bar0 + REFDEV_REG_VERSION, REFDEV_VERSION_VALUE);
	dev->doorbells = 0;
}

struct refdev *
refdev_new(const struct refdev_faultset *faults)
{
	struct refdev	*dev;
	size_t		 i, j;
	static const char ident[] = "vfu-refdev device-specific region 9\n";

	if ((dev = calloc(1, sizeof(*dev))) == NULL)
		return (NULL);
	if (faults != NULL)
		dev->faults = *faults;
	dev->bar2_fd = -1;
	dev->ioev_fd = -1;
	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++)
		for (j = 0; j < REFDEV_MAX_VECTORS; j++) {
			dev->irq[i][j].trigger_fd = -1;
			dev->irq[i][j].mask_fd = -1;
			dev->irq[i][j].unmask_fd = -1;
		}
	dev->bar2_fd = memfd_create("refdev-bar2", MFD_CLOEXEC);
	if (dev->bar2_fd == -1 ||
	    ftruncate(dev->bar2_fd, REFDEV_BAR2_SIZE) == -1)
		goto fail;
	dev->bar2 = mmap(NULL, REFDEV_BAR2_SIZE, PROT_READ | PROT_WRITE,
	    MAP_SHARED, dev->bar2_fd, 0);
	if (dev->bar2 == MAP_FAILED) {
		dev->bar2 = NULL;
		goto fail;
	}
	dev->ioev_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (dev->ioev_fd == -1)
		goto fail;
	memcpy(dev->devreg, ident, sizeof(ident) - 1);
	dev->dma_max = VFIO_USER_DEF_MAX_DMA_MAPS;
	dev->dma_pgsize = VFIO_USER_DEF_PGSIZES;
	dev->dma_xfer_max = VFIO_USER_DEF_MAX_DATA_XFER;
	refdev_pci_init(dev);
	bar0_init(dev);
	dev->mig_state = VFIO_DEVICE_STATE_RUNNING;
	return (dev);
fail:
	refdev_free(dev);
	return (NULL);
}

void
refdev_free(struct refdev *dev)
{
	if (dev == NULL)
		return;
	refdev_dma_release(dev);
	refdev_irq_release(dev);
	refdev_mig_reset(dev);
	free(dev->dma);
	if (dev->bar2 != NULL)
		munmap(dev->bar2, REFDEV_BAR2_SIZE);
	if (dev->bar2_fd != -1)
		close(dev->bar2_fd);
	if (dev->ioev_fd != -1)
		close(dev->ioev_fd);
	free(dev);
}

void
refdev_reset(struct refdev *dev)
{
	if (!refdev_fault_on(&dev->faults, RF_RESET_NOT_RESTORING)) {
		refdev_pci_init(dev);
		bar0_init(dev);
		memset(dev->bar2, 0, REFDEV_BAR2_SIZE);
	}
	refdev_irq_reset(dev);
	if (!refdev_fault_on(&dev->faults, RF_MIG_ERROR_RESET_IGNORED) ||
	    dev->mig_state != VFIO_DEVICE_STATE_ERROR)
		refdev_mig_reset(dev);
}

void
refdev_disconnect(struct refdev *dev)
{
	if (!refdev_fault_on(&dev->faults, RF_DISCONNECT_KEEPS_MAPPINGS))
		refdev_dma_release(dev);
	if (!refdev_fault_on(&dev->faults, RF_DISCONNECT_KEEPS_IRQ_FDS))
		refdev_irq_release(dev);
	if (refdev_fault_on(&dev->faults, RF_DISCONNECT_RESETS_DEVICE))
		refdev_reset(dev);
	dev->dma_msg = NULL;
	dev->dma_msg_arg = NULL;
	dev->dma_max = VFIO_USER_DEF_MAX_DMA_MAPS;
	dev->dma_pgsize = VFIO_USER_DEF_PGSIZES;
	dev->dma_xfer_max = VFIO_USER_DEF_MAX_DATA_XFER;
}

void
refdev_doorbell_poll(struct refdev *dev)
{
	uint64_t	v;

	if (read(dev->ioev_fd, &v, sizeof(v)) == (ssize_t)sizeof(v))
		dev->doorbells += v;
}

uint32_t
refdev_region_flags(const struct refdev *dev, uint32_t index)
{
	switch (index) {
	case VFIO_PCI_BAR0_REGION_INDEX:
	case VFIO_PCI_CONFIG_REGION_INDEX:
		return (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE);
	case VFIO_PCI_BAR2_REGION_INDEX:
		return (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
		    VFIO_REGION_INFO_FLAG_MMAP | VFIO_REGION_INFO_FLAG_CAPS);
	case REFDEV_DEVREG_INDEX:
		if (refdev_fault_on(&dev->faults, RF_REGION_TYPE_CAP_MISSING))
			return (VFIO_REGION_INFO_FLAG_READ);
		return (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_CAPS);
	default:
		return (0);
	}
}

uint64_t
refdev_region_size(uint32_t index)
{
	switch (index) {
	case VFIO_PCI_BAR0_REGION_INDEX:
		return (REFDEV_BAR0_SIZE);
	case VFIO_PCI_BAR2_REGION_INDEX:
		return (REFDEV_BAR2_SIZE);
	case VFIO_PCI_CONFIG_REGION_INDEX:
		return (REFDEV_CFG_SIZE);
	case REFDEV_DEVREG_INDEX:
		return (REFDEV_DEVREG_SIZE);
	default:
		return (0);
	}
}

/* Which BAR0 bytes a client may write. */
static int
bar0_writable(uint64_t off)
{
	if (off >= REFDEV_REG_SCRATCH && off < REFDEV_REG_DMA_STATUS)
		return (off < 0x10 || off >= REFDEV_REG_DMA_ADDR);
	if (off >= REFDEV_REG_DOORBELL0 && off < REFDEV_REG_DOORBELL1 + 4)
		return (1);
	if (off >= REFDEV_MSIX_TABLE &&
	    off < REFDEV_MSIX_TABLE + 16 * REFDEV_MSIX_VECTORS)
		return (1);
	return (0);
}

static int
touches(uint64_t off, size_t len, uint64_t reg, size_t rlen)
{
	return (off < reg + rlen && reg < off + len);
}

/* BAR0 write side effects, after the bytes were stored. */
static void
bar0_effects(struct refdev *dev, uint64_t off, size_t len)
{
	uint32_t	v, dir;
	uint64_t	addr;
	int		err;

	if (touches(off, len, REFDEV_REG_DOORBELL0, 8))
		dev->doorbells++;
	if (!refdev_mig_running(dev))
		return;		/* a stopped device changes nothing */
	if (touches(off, len, REFDEV_REG_IRQ_RAISE, 4)) {
		v = get32(dev->bar0 + REFDEV_REG_IRQ_RAISE);
		(void)refdev_irq_raise(dev, v >> 16, v & 0xffff);
	}
	if (touches(off, len, REFDEV_REG_DMA_CTRL, 4)) {
		dir = get32(dev->bar0 + REFDEV_REG_DMA_CTRL);
		addr = (uint64_t)get32(dev->bar0 + REFDEV_REG_DMA_ADDR) |
		    (uint64_t)get32(dev->bar0 + REFDEV_REG_DMA_ADDR + 4) << 32;
		err = refdev_dma_run(dev, dir, addr,
		    get32(dev->bar0 + REFDEV_REG_DMA_DEVOFF),
		    get32(dev->bar0 + REFDEV_REG_DMA_LEN));
		set32(dev->bar0 + REFDEV_REG_DMA_STATUS, err == 0 ?
		    REFDEV_DMA_DONE : REFDEV_DMA_ERROR | (uint32_t)err);
	}
}

/* Bounds: 0, or EINVAL.  Under region-access-past-end only the index and
 * the start are checked; the rest reads as zero and is dropped on write. */
static int
region_check(struct refdev *dev, uint32_t index, uint64_t off, size_t len,
    size_t *inside)
{
	uint64_t	size;

	if (index >= REFDEV_NUM_REGIONS)
		return (EINVAL);
	size = refdev_region_size(index);
	*inside = len;
	if (off <= size && len <= size - off)
		return (0);
	if (refdev_fault_on(&dev->faults, RF_REGION_ACCESS_PAST_END) &&
	    size > 0) {
		*inside = off < size ? size - off : 0;
		return (0);
	}
	return (EINVAL);
}

int
refdev_region_read(struct refdev *dev, uint32_t index, uint64_t off,
    void *buf, size_t len)
{
	size_t	 n;
	int	 err;
	uint8_t	*b = buf;

	if (index >= REFDEV_NUM_REGIONS && refdev_fault_on(&dev->faults,
	    RF_REGION_ABSENT_ACCESS_ACCEPTED)) {
		memset(b, 0, len);	/* the fault: reads as zeros */
		return (0);
	}
	if ((err = region_check(dev, index, off, len, &n)) != 0)
		return (err);
	if (!(refdev_region_flags(dev, index) & VFIO_REGION_INFO_FLAG_READ))
		return (EINVAL);
	memset(b, 0, len);
	if (n == 0)
		return (0);
	switch (index) {
	case VFIO_PCI_BAR0_REGION_INDEX:
		set32(dev->bar0 + REFDEV_REG_DOORBELLS,
		    (uint32_t)dev->doorbells);
		memcpy(b, dev->bar0 + off, n);
		break;
	case VFIO_PCI_BAR2_REGION_INDEX:
		memcpy(b, dev->bar2 + off, n);
		break;
	case VFIO_PCI_CONFIG_REGION_INDEX:
		refdev_pci_read(dev, off, b, n);
		break;
	case REFDEV_DEVREG_INDEX:
		memcpy(b, dev->devreg + off, n);
		break;
	}
	return (0);
}

int
refdev_region_write(struct refdev *dev, uint32_t index, uint64_t off,
    const void *buf, size_t len)
{
	const uint8_t	*b = buf;
	size_t		 n, i;
	int		 err;

	if (index >= REFDEV_NUM_REGIONS && refdev_fault_on(&dev->faults,
	    RF_REGION_ABSENT_ACCESS_ACCEPTED))
		return (0);	/* the fault: dropped, but acknowledged */
	if ((err = region_check(dev, index, off, len, &n)) != 0)
		return (err);
	if (!(refdev_region_flags(dev, index) & VFIO_REGION_INFO_FLAG_WRITE)) {
		if (index == REFDEV_DEVREG_INDEX && refdev_fault_on(&dev->faults,
		    RF_REGION_WRITE_READONLY_ACCEPTED))
			return (0);
		return (EINVAL);
	}
	if (n == 0 ||
	    refdev_fault_on(&dev->faults, RF_REGION_WRITE_NOT_APPLIED))
		return (0);	/* the fault: acknowledged, not done */
	switch (index) {
	case VFIO_PCI_BAR0_REGION_INDEX:
		for (i = 0; i < n; i++)
			if (bar0_writable(off + i))
				dev->bar0[off + i] = b[i];
		bar0_effects(dev, off, n);
		break;
	case VFIO_PCI_BAR2_REGION_INDEX:
		memcpy(dev->bar2 + off, b, n);
		break;
	case VFIO_PCI_CONFIG_REGION_INDEX:
		refdev_pci_write(dev, off, b, n);
		break;
	}
	return (0);
}
