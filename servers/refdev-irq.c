/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refdev-irq: the interrupts of vfu-refdev: INTx (maskable, automasked), MSI
 * (4 vectors, NORESIZE), MSI-X (8 vectors, maskable), ERR and REQ.  Applies
 * VFIO_USER_DEVICE_SET_IRQS (every data/action combination, count 0 disables
 * an index) and raises a vector by writing 1 to its trigger eventfd, unless
 * the vector is masked, in which case it stays pending until unmasked.  Owns
 * the eventfds the client passed; releases them on disconnect.
 */
#include "config.h"
#include "refdev-dev.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <unistd.h>

#define DATA_ALL	(VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_DATA_BOOL | \
			    VFIO_IRQ_SET_DATA_EVENTFD)
#define ACTION_ALL	(VFIO_IRQ_SET_ACTION_MASK | VFIO_IRQ_SET_ACTION_UNMASK | \
			    VFIO_IRQ_SET_ACTION_TRIGGER)

uint32_t
refdev_irq_flags(uint32_t index)
{
	switch (index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		return (VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
		    VFIO_IRQ_INFO_AUTOMASKED);
	case VFIO_PCI_MSI_IRQ_INDEX:
		return (VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE);
	case VFIO_PCI_MSIX_IRQ_INDEX:
		return (VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE);
	default:
		return (VFIO_IRQ_INFO_EVENTFD);
	}
}

uint32_t
refdev_irq_count(uint32_t index)
{
	switch (index) {
	case VFIO_PCI_MSI_IRQ_INDEX:
		return (REFDEV_MSI_VECTORS);
	case VFIO_PCI_MSIX_IRQ_INDEX:
		return (REFDEV_MSIX_VECTORS);
	case VFIO_PCI_INTX_IRQ_INDEX:
	case VFIO_PCI_ERR_IRQ_INDEX:
	case VFIO_PCI_REQ_IRQ_INDEX:
		return (1);
	default:
		return (0);
	}
}

/* Writes 1 to an eventfd; never blocks, whatever fd the client gave. */
static void
signal_fd(int fd)
{
	struct pollfd	pfd = { .fd = fd, .events = POLLOUT };
	uint64_t	one = 1;

	if (fd < 0 || poll(&pfd, 1, 0) != 1 || !(pfd.revents & POLLOUT))
		return;
	(void)!write(fd, &one, sizeof(one));
}

static void
replace_fd(int *slot, int fd)
{
	if (*slot != -1)
		close(*slot);
	*slot = fd;
}

static void
fire(struct refdev *dev, uint32_t index, struct refdev_irq_vec *v)
{
	if (v->masked && !refdev_fault_on(&dev->faults, RF_IRQ_MASK_IGNORED)) {
		v->pending = 1;
		return;
	}
	v->pending = 0;
	if (!refdev_fault_on(&dev->faults, RF_IRQ_NOT_SIGNALLED))
		signal_fd(v->trigger_fd);
	if (refdev_irq_flags(index) & VFIO_IRQ_INFO_AUTOMASKED)
		v->masked = 1;
}

static void
disable_index(struct refdev *dev, uint32_t index)
{
	struct refdev_irq_vec	*v;
	size_t			 i;

	for (i = 0; i < REFDEV_MAX_VECTORS; i++) {
		v = &dev->irq[index][i];
		replace_fd(&v->trigger_fd, -1);
		replace_fd(&v->mask_fd, -1);
		replace_fd(&v->unmask_fd, -1);
		v->masked = 0;
		v->pending = 0;
	}
}

static void
close_fds(int *fds, size_t nfds)
{
	size_t	i;

	for (i = 0; i < nfds; i++)
		if (fds[i] != -1) {
			close(fds[i]);
			fds[i] = -1;
		}
}

/* Lowest set bit of v (v != 0). */
static uint32_t
lowest(uint32_t v)
{
	return (v & -v);
}

int
refdev_irq_set(struct refdev *dev, const struct vfu_irq_set *s, int *fds,
    size_t nfds)
{
	struct refdev_irq_vec	*v;
	uint32_t		 data, action, i;
	int			 on, fd;

	data = s->flags & DATA_ALL;
	action = s->flags & ACTION_ALL;
	if (refdev_fault_on(&dev->faults, RF_IRQ_SET_BAD_FLAGS_ACCEPTED)) {
		if (data != 0)
			data = lowest(data);
		if (action != 0)
			action = lowest(action);
	} else if ((s->flags & ~(DATA_ALL | ACTION_ALL)) != 0 ||
	    data != lowest(data) || action != lowest(action))
		goto inval;
	if (data == 0 || action == 0 || s->index >= VFIO_PCI_NUM_IRQS)
		goto inval;
	if (data != VFIO_IRQ_SET_DATA_EVENTFD && nfds > 0)
		goto inval;
	if (s->count == 0) {
		if (data != VFIO_IRQ_SET_DATA_NONE || s->start != 0)
			goto inval;
		if (!refdev_fault_on(&dev->faults, RF_IRQ_DISABLE_ALL_IGNORED))
			disable_index(dev, s->index);
		return (0);
	}
	if ((uint64_t)s->start + s->count > refdev_irq_count(s->index))
		goto inval;
	if (data == VFIO_IRQ_SET_DATA_BOOL && s->data_len != s->count)
		goto inval;
	if (data == VFIO_IRQ_SET_DATA_EVENTFD && nfds != 0 && nfds != s->count)
		goto inval;
	if (action != VFIO_IRQ_SET_ACTION_TRIGGER &&
	    !(refdev_irq_flags(s->index) & VFIO_IRQ_INFO_MASKABLE))
		goto inval;

	for (i = 0; i < s->count; i++) {
		v = &dev->irq[s->index][s->start + i];
		if (data == VFIO_IRQ_SET_DATA_EVENTFD) {
			fd = nfds > 0 ? fds[i] : -1;
			if (nfds > 0)
				fds[i] = -1;
			if (action == VFIO_IRQ_SET_ACTION_TRIGGER)
				replace_fd(&v->trigger_fd, fd);
			else if (action == VFIO_IRQ_SET_ACTION_MASK)
				replace_fd(&v->mask_fd, fd);
			else
				replace_fd(&v->unmask_fd, fd);
			continue;
		}
		on = data == VFIO_IRQ_SET_DATA_NONE || s->data[i] != 0;
		if (!on)
			continue;
		switch (action) {
		case VFIO_IRQ_SET_ACTION_TRIGGER:
			fire(dev, s->index, v);
			break;
		case VFIO_IRQ_SET_ACTION_MASK:
			v->masked = 1;
			signal_fd(v->mask_fd);
			break;
		default:
			v->masked = 0;
			signal_fd(v->unmask_fd);
			if (v->pending)
				fire(dev, s->index, v);
			break;
		}
	}
	return (0);
inval:
	close_fds(fds, nfds);
	return (EINVAL);
}

int
refdev_irq_raise(struct refdev *dev, uint32_t index, uint32_t vector)
{
	if (index >= VFIO_PCI_NUM_IRQS || vector >= refdev_irq_count(index))
		return (EINVAL);
	fire(dev, index, &dev->irq[index][vector]);
	return (0);
}

void
refdev_irq_release(struct refdev *dev)
{
	uint32_t	i;

	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++)
		disable_index(dev, i);
}

void
refdev_irq_reset(struct refdev *dev)
{
	size_t	i, j;

	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++)
		for (j = 0; j < REFDEV_MAX_VECTORS; j++) {
			dev->irq[i][j].masked = 0;
			dev->irq[i][j].pending = 0;
		}
}
