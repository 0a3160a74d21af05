/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refdev-dma: the DMA table of vfu-refdev (VFIO_USER_DMA_MAP/UNMAP: EEXIST
 * on overlap, exact-match unmap, max_dma_maps, page-size alignment) and the
 * DMA engine that BAR0 drives.  The engine copies between guest memory and
 * BAR2, through the mmap of the client's fd when the mapping came with one,
 * else through VFIO_USER_DMA_READ/WRITE messages sent by the connection's
 * callback, in chunks no larger than the client's max_data_xfer_size.  It
 * only touches addresses inside one mapping that is valid right now, with
 * the permission the mapping grants, and logs its writes for dirty tracking.
 */
#include "config.h"
#include "refdev-dev.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
overlaps(const struct refdev_dma_entry *e, uint64_t addr, uint64_t size)
{
	return (addr < e->addr + e->size && e->addr < addr + size);
}

static size_t
live_count(const struct refdev *dev)
{
	size_t	i, n = 0;

	for (i = 0; i < dev->ndma; i++)
		if (!dev->dma[i].ghost)
			n++;
	return (n);
}

static void
entry_free(struct refdev_dma_entry *e)
{
	if (e->map != NULL)
		munmap(e->map, e->size);
	if (e->fd != -1)
		close(e->fd);
	e->map = NULL;
	e->fd = -1;
}

static void
entry_remove(struct refdev *dev, size_t i)
{
	if (refdev_fault_on(&dev->faults, RF_DMA_AFTER_UNMAP)) {
		dev->dma[i].ghost = 1;	/* the engine still uses it */
		return;
	}
	entry_free(&dev->dma[i]);
	dev->dma[i] = dev->dma[dev->ndma - 1];
	dev->ndma--;
}

int
refdev_dma_map(struct refdev *dev, const struct vfu_dma_map *m, int fd)
{
	struct refdev_dma_entry	*e;
	struct stat		 st;
	size_t			 i, ncap;
	int			 prot = PROT_NONE, err = EINVAL;
	void			*p;

	if (m->argsz < VFIO_USER_DMA_MAP_SIZE ||
	    (m->flags & ~(VFIO_USER_F_DMA_REGION_READ |
	    VFIO_USER_F_DMA_REGION_WRITE)) != 0 ||
	    ((m->size == 0 || m->address + m->size < m->address) &&
	    !refdev_fault_on(&dev->faults, RF_DMA_MAP_INVALID_ACCEPTED)) ||
	    m->address % dev->dma_pgsize != 0 ||
	    m->size % dev->dma_pgsize != 0 ||
	    (fd == -1 && m->offset != 0) ||
	    (fd != -1 && m->offset % dev->dma_pgsize != 0) ||
	    m->size > SIZE_MAX)
		goto fail;
	if (!refdev_fault_on(&dev->faults, RF_DMA_MAP_OVERLAP_ACCEPTED))
		for (i = 0; i < dev->ndma; i++)
			if (!dev->dma[i].ghost &&
			    overlaps(&dev->dma[i], m->address, m->size)) {
				err = EEXIST;
				goto fail;
			}
	if (live_count(dev) >= dev->dma_max &&
	    !refdev_fault_on(&dev->faults, RF_DMA_MAX_MAPS_IGNORED)) {
		err = ENOSPC;
		goto fail;
	}
	if (dev->ndma == dev->dma_cap) {
		ncap = dev->dma_cap ? dev->dma_cap * 2 : 16;
		if ((e = reallocarray(dev->dma, ncap, sizeof(*e))) == NULL) {
			err = ENOMEM;
			goto fail;
		}
		dev->dma = e;
		dev->dma_cap = ncap;
	}
	p = NULL;
	if (fd != -1) {
		/* Only a regular file (memfd, hugetlbfs) that covers the
		 * window: anything else could SIGBUS the engine. */
		if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
		    m->offset + m->size < m->offset ||
		    (uint64_t)st.st_size < m->offset + m->size)
			goto fail;
		if (m->flags & VFIO_USER_F_DMA_REGION_READ)
			prot |= PROT_READ;
		if (m->flags & VFIO_USER_F_DMA_REGION_WRITE)
			prot |= PROT_WRITE;
		p = mmap(NULL, m->size, prot, MAP_SHARED, fd, m->offset);
		if (p == MAP_FAILED) {
			err = errno == EACCES ? EACCES : EINVAL;
			goto fail;
		}
	}
	e = &dev->dma[dev->ndma++];
	memset(e, 0, sizeof(*e));
	e->addr = m->address;
	e->size = m->size;
	e->offset = m->offset;
	e->flags = m->flags;
	e->fd = fd;
	e->map = p;
	return (0);
fail:
	if (fd != -1)
		close(fd);
	return (err);
}

int
refdev_dma_unmap(struct refdev *dev, const struct vfu_dma_unmap *u)
{
	size_t	i;
	int	found = 0;

	if (u->argsz < VFIO_USER_DMA_UNMAP_SIZE || u->flags != 0)
		return (EINVAL);
	for (i = 0; i < dev->ndma; i++)
		if (!dev->dma[i].ghost && dev->dma[i].addr == u->address &&
		    dev->dma[i].size == u->size) {
			entry_remove(dev, i);
			return (0);
		}
	if (!refdev_fault_on(&dev->faults, RF_DMA_UNMAP_INEXACT_ACCEPTED))
		return (ENOENT);
	for (i = dev->ndma; i-- > 0;)
		if (!dev->dma[i].ghost &&
		    overlaps(&dev->dma[i], u->address, u->size)) {
			entry_remove(dev, i);
			found = 1;
		}
	return (found ? 0 : ENOENT);
}

void
refdev_dma_release(struct refdev *dev)
{
	size_t	i;

	for (i = 0; i < dev->ndma; i++)
		entry_free(&dev->dma[i]);
	dev->ndma = 0;
}

/* The mapping that holds all of [addr, addr + len), or NULL. */
static struct refdev_dma_entry *
lookup(struct refdev *dev, uint64_t addr, uint64_t len)
{
	struct refdev_dma_entry	*e;
	size_t			 i;

	for (i = 0; i < dev->ndma; i++) {
		e = &dev->dma[i];
		if (e->ghost && !refdev_fault_on(&dev->faults,
		    RF_DMA_AFTER_UNMAP))
			continue;
		if (addr >= e->addr && addr - e->addr <= e->size &&
		    len <= e->size - (addr - e->addr))
			return (e);
	}
	return (NULL);
}

static int
by_message(struct refdev *dev, int write, uint64_t addr, uint8_t *p,
    size_t len)
{
	size_t	chunk, n;
	int	err;

	if (dev->dma_msg == NULL)
		return (EIO);
	chunk = dev->dma_xfer_max;
	if (chunk == 0 || refdev_fault_on(&dev->faults, RF_DMA_XFER_OVER_MAX))
		chunk = len;
	while (len > 0) {
		n = len < chunk ? len : chunk;
		if ((err = dev->dma_msg(dev->dma_msg_arg, write, addr, p,
		    n)) != 0)
			return (err);
		addr += n;
		p += n;
		len -= n;
	}
	return (0);
}

int
refdev_dma_run(struct refdev *dev, int dir, uint64_t addr, uint32_t devoff,
    uint32_t len)
{
	struct refdev_dma_entry	*e;
	uint8_t			*dp;
	int			 write, err;

	if (dir != REFDEV_DMA_TO_DEVICE && dir != REFDEV_DMA_FROM_DEVICE)
		return (EINVAL);
	if ((uint64_t)devoff + len > REFDEV_BAR2_SIZE ||
	    addr + len < addr)
		return (EINVAL);
	if (len == 0)
		return (0);
	write = dir == REFDEV_DMA_FROM_DEVICE;
	dp = dev->bar2 + devoff;
	e = lookup(dev, addr, len);
	if (e == NULL) {
		if (!refdev_fault_on(&dev->faults, RF_DMA_OUTSIDE_WINDOW))
			return (EFAULT);
		err = by_message(dev, write, addr, dp, len);
		goto done;
	}
	if (write ? (!(e->flags & VFIO_USER_F_DMA_REGION_WRITE) &&
	    !refdev_fault_on(&dev->faults, RF_DMA_WRITE_READONLY_MAP)) ||
	    refdev_fault_on(&dev->faults, RF_DMA_WRITEABLE_MAP_REFUSED) :
	    !(e->flags & VFIO_USER_F_DMA_REGION_READ))
		return (EACCES);
	if (e->map != NULL && (!write ||
	    (e->flags & VFIO_USER_F_DMA_REGION_WRITE))) {
		if (write)
			memcpy(e->map + (addr - e->addr), dp, len);
		else
			memcpy(dp, e->map + (addr - e->addr), len);
		err = 0;
	} else if (refdev_fault_on(&dev->faults, RF_DMA_MSG_ADDRESS_RELATIVE))
		/* The fault: the offset in the window, not the address. */
		err = by_message(dev, write, addr - e->addr, dp, len);
	else
		err = by_message(dev, write, addr, dp, len);
done:
	if (err == 0 && (write ||
	    refdev_fault_on(&dev->faults, RF_DIRTY_LOGS_READS)))
		refdev_log_write(dev, addr, len);
	return (err);
}
