/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refdev-mig: migration for vfu-refdev: the device-state FSM of
 * VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE (every direct arc of the spec, complex
 * transitions by the shortest path that has no saving state inside it,
 * STOP_COPY -> PRE_COPY refused), the migration data stream read with
 * MIG_DATA_READ and written with MIG_DATA_WRITE, and DMA dirty logging.
 *
 * The stream is a sequence of records, each a full snapshot of the device
 * (config space, BAR0, BAR2, IRQ mask/pending state) with a magic, a length
 * and a checksum; PRE_COPY produces one, STOP_COPY appends the final one.  A
 * destination in RESUMING checks that the records tile the stream exactly
 * and applies the last one on RESUMING -> STOP.
 */
#include "config.h"
#include "refdev-dev.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MIG_MAGIC	0x314d4452u	/* "RDM1" */
#define MIG_HDR		8		/* magic, length */
#define MIG_TRAILER	4		/* checksum */
#define MIG_IRQ_BYTES	(VFIO_PCI_NUM_IRQS * REFDEV_MAX_VECTORS * 2)
#define MIG_PAYLOAD	(REFDEV_CFG_SIZE + REFDEV_BAR0_SIZE + \
			    REFDEV_BAR2_SIZE + MIG_IRQ_BYTES + 8)
#define MIG_RECORD	(MIG_HDR + MIG_PAYLOAD + MIG_TRAILER)
#define NSTATES		8
#define LOG_MAX_RANGES	1024
#define LOG_MAX_DIRTY	(1u << 20)

int
refdev_mig_running(const struct refdev *dev)
{
	return (dev->mig_state == VFIO_DEVICE_STATE_RUNNING ||
	    dev->mig_state == VFIO_DEVICE_STATE_PRE_COPY);
}

static int
saving(uint32_t s)
{
	return (s == VFIO_DEVICE_STATE_STOP_COPY ||
	    s == VFIO_DEVICE_STATE_PRE_COPY);
}

/* The direct arcs of "Direct State Transitions". */
static int
direct_arc(uint32_t from, uint32_t to)
{
	static const uint8_t arcs[][2] = {
		{ VFIO_DEVICE_STATE_RUNNING, VFIO_DEVICE_STATE_STOP },
		{ VFIO_DEVICE_STATE_STOP_COPY, VFIO_DEVICE_STATE_STOP },
		{ VFIO_DEVICE_STATE_RESUMING, VFIO_DEVICE_STATE_STOP },
		{ VFIO_DEVICE_STATE_PRE_COPY, VFIO_DEVICE_STATE_RUNNING },
		{ VFIO_DEVICE_STATE_STOP, VFIO_DEVICE_STATE_RUNNING },
		{ VFIO_DEVICE_STATE_RUNNING, VFIO_DEVICE_STATE_PRE_COPY },
		{ VFIO_DEVICE_STATE_STOP, VFIO_DEVICE_STATE_STOP_COPY },
		{ VFIO_DEVICE_STATE_PRE_COPY, VFIO_DEVICE_STATE_STOP_COPY },
		{ VFIO_DEVICE_STATE_STOP, VFIO_DEVICE_STATE_RESUMING },
	};
	size_t	i;

	for (i = 0; i < sizeof(arcs) / sizeof(arcs[0]); i++)
		if (arcs[i][0] == from && arcs[i][1] == to)
			return (1);
	return (0);
}

/*
 * The first hop of the shortest path from -> to whose interior has no
 * saving state, or -1.  Breadth-first over the eight states.
 */
static int
next_hop(uint32_t from, uint32_t to)
{
	int		first[NSTATES], queue[NSTATES], seen[NSTATES] = { 0 };
	size_t		head = 0, tail = 0;
	uint32_t	s, n;

	queue[tail++] = from;
	seen[from] = 1;
	first[from] = -1;
	while (head < tail) {
		s = queue[head++];
		if (s == to)
			return (first[s]);
		if (s != from && saving(s))
			continue;	/* may end here, not pass through */
		for (n = 0; n < NSTATES; n++) {
			if (seen[n] || !direct_arc(s, n))
				continue;
			seen[n] = 1;
			first[n] = s == from ? (int)n : first[s];
			queue[tail++] = n;
		}
	}
	return (-1);
}

static uint32_t
checksum(const uint8_t *p, size_t len)
{
	uint32_t	h = 2166136261u;
	size_t		i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return (h);
}

static void
put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static uint32_t
get32(const uint8_t *p)
{
	uint32_t	v;

	memcpy(&v, p, sizeof(v));
	return (v);
}

/* Appends one snapshot record to the outgoing stream (after what is still
 * unread).  Returns 0 or ENOMEM. */
static int
snapshot(struct refdev *dev)
{
	uint8_t	*buf, *p;
	size_t	 left, i, j;

	left = dev->mig_out_len - dev->mig_out_pos;
	if ((buf = malloc(left + MIG_RECORD)) == NULL)
		return (ENOMEM);
	if (left > 0)
		memcpy(buf, dev->mig_out + dev->mig_out_pos, left);
	p = buf + left;
	put32(p, MIG_MAGIC);
	put32(p + 4, MIG_PAYLOAD);
	p += MIG_HDR;
	memcpy(p, dev->cfg, REFDEV_CFG_SIZE);
	memcpy(p + REFDEV_CFG_SIZE, dev->bar0, REFDEV_BAR0_SIZE);
	memcpy(p + REFDEV_CFG_SIZE + REFDEV_BAR0_SIZE, dev->bar2,
	    REFDEV_BAR2_SIZE);
	p += REFDEV_CFG_SIZE + REFDEV_BAR0_SIZE + REFDEV_BAR2_SIZE;
	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++)
		for (j = 0; j < REFDEV_MAX_VECTORS; j++) {
			*p++ = (uint8_t)dev->irq[i][j].masked;
			*p++ = (uint8_t)dev->irq[i][j].pending;
		}
	memcpy(p, &dev->doorbells, 8);
	p += 8;
	put32(p, checksum(p - MIG_PAYLOAD, MIG_PAYLOAD));
	free(dev->mig_out);
	dev->mig_out = buf;
	dev->mig_out_len = left + MIG_RECORD;
	dev->mig_out_pos = 0;
	return (0);
}

/* Checks the incoming stream and applies its last record.  0 or EINVAL. */
static int
restore(struct refdev *dev)
{
	const uint8_t	*p, *last = NULL;
	size_t		 off = 0, i, j;

	while (off < dev->mig_in_len) {
		p = dev->mig_in + off;
		if (dev->mig_in_len - off < MIG_RECORD ||
		    get32(p) != MIG_MAGIC || get32(p + 4) != MIG_PAYLOAD ||
		    get32(p + MIG_HDR + MIG_PAYLOAD) !=
		    checksum(p + MIG_HDR, MIG_PAYLOAD))
			return (EINVAL);
		last = p + MIG_HDR;
		off += MIG_RECORD;
	}
	if (last == NULL)
		return (EINVAL);	/* no data: incomplete */
	memcpy(dev->cfg, last, REFDEV_CFG_SIZE);
	memcpy(dev->bar0, last + REFDEV_CFG_SIZE, REFDEV_BAR0_SIZE);
	memcpy(dev->bar2, last + REFDEV_CFG_SIZE + REFDEV_BAR0_SIZE,
	    REFDEV_BAR2_SIZE);
	p = last + REFDEV_CFG_SIZE + REFDEV_BAR0_SIZE + REFDEV_BAR2_SIZE;
	for (i = 0; i < VFIO_PCI_NUM_IRQS; i++)
		for (j = 0; j < REFDEV_MAX_VECTORS; j++) {
			dev->irq[i][j].masked = *p++ != 0;
			dev->irq[i][j].pending = *p++ != 0;
		}
	memcpy(&dev->doorbells, p, 8);
	return (0);
}

static void
drop_streams(struct refdev *dev)
{
	free(dev->mig_out);
	free(dev->mig_in);
	dev->mig_out = NULL;
	dev->mig_in = NULL;
	dev->mig_out_len = dev->mig_out_pos = dev->mig_in_len = 0;
}

/* Executes one arc.  0 or an errno (the state is then ERROR or unchanged). */
static int
arc(struct refdev *dev, uint32_t to)
{
	uint32_t	from = dev->mig_state;
	int		err = 0;

	if (to == VFIO_DEVICE_STATE_STOP_COPY ||
	    to == VFIO_DEVICE_STATE_PRE_COPY)
		err = snapshot(dev);
	else if (from == VFIO_DEVICE_STATE_RESUMING) {
		err = restore(dev);
		if (refdev_fault_on(&dev->faults, RF_MIG_RESUME_ACCEPTS_INVALID))
			err = 0;
		drop_streams(dev);
		if (err != 0) {
			dev->mig_state = VFIO_DEVICE_STATE_ERROR;
			return (err);
		}
	} else if (saving(from) || to == VFIO_DEVICE_STATE_RESUMING)
		drop_streams(dev);
	if (err == 0)
		dev->mig_state = to;
	return (err);
}

int
refdev_mig_set_state(struct refdev *dev, uint32_t state)
{
	int	hop, err;

	if (state >= NSTATES || state == VFIO_DEVICE_STATE_ERROR ||
	    state == VFIO_DEVICE_STATE_RUNNING_P2P ||
	    state == VFIO_DEVICE_STATE_PRE_COPY_P2P ||
	    dev->mig_state == VFIO_DEVICE_STATE_ERROR)
		return (EINVAL);
	if (state == dev->mig_state)
		return (0);
	if (dev->mig_state == VFIO_DEVICE_STATE_STOP_COPY &&
	    state == VFIO_DEVICE_STATE_PRE_COPY) {
		if (!refdev_fault_on(&dev->faults,
		    RF_MIG_STOP_COPY_TO_PRE_COPY_ALLOWED))
			return (EINVAL);
		dev->mig_state = state;
		return (0);
	}
	if (!direct_arc(dev->mig_state, state) &&
	    refdev_fault_on(&dev->faults, RF_MIG_COMPLEX_TRANSITION_REFUSED))
		return (EINVAL);
	while (dev->mig_state != state) {
		if ((hop = next_hop(dev->mig_state, state)) < 0)
			return (EINVAL);
		if ((err = arc(dev, (uint32_t)hop)) != 0)
			return (err);
	}
	return (0);
}

int
refdev_mig_data_read(struct refdev *dev, uint8_t *buf, size_t want,
    size_t *got)
{
	size_t	left, n;
	int	err;

	*got = 0;
	if (!saving(dev->mig_state)) {
		if (!refdev_fault_on(&dev->faults, RF_MIG_DATA_READ_WRONG_STATE))
			return (EINVAL);
		if (dev->mig_out == NULL && (err = snapshot(dev)) != 0)
			return (err);
	}
	left = dev->mig_out_len - dev->mig_out_pos;
	n = want < left ? want : left;
	if (refdev_fault_on(&dev->faults, RF_MIG_DATA_SHORT_READ_EARLY) &&
	    n == want && n > 1)
		n /= 2;
	if (n > 0)
		memcpy(buf, dev->mig_out + dev->mig_out_pos, n);
	dev->mig_out_pos += n;
	*got = n;
	return (0);
}

int
refdev_mig_data_write(struct refdev *dev, const uint8_t *buf, size_t len)
{
	uint8_t	*p;

	if (dev->mig_state != VFIO_DEVICE_STATE_RESUMING &&
	    !refdev_fault_on(&dev->faults, RF_MIG_DATA_WRITE_WRONG_STATE))
		return (EINVAL);
	if (len > REFDEV_MIG_MAX_IN - dev->mig_in_len)
		return (ENOSPC);
	if (len == 0)
		return (0);
	if ((p = realloc(dev->mig_in, dev->mig_in_len + len)) == NULL)
		return (ENOMEM);
	memcpy(p + dev->mig_in_len, buf, len);
	dev->mig_in = p;
	dev->mig_in_len += len;
	return (0);
}

void
refdev_mig_reset(struct refdev *dev)
{
	drop_streams(dev);
	(void)refdev_log_stop(dev);
	dev->mig_state = VFIO_DEVICE_STATE_RUNNING;
}

static int
pow2(uint64_t v)
{
	return (v != 0 && (v & (v - 1)) == 0);
}

int
refdev_log_start(struct refdev *dev, uint64_t *page_size,
    const struct vfu_dma_logging_range *r, size_t n)
{
	size_t	i, j;

	if (dev->log_on)
		return (EBUSY);
	if (!pow2(*page_size) || n > LOG_MAX_RANGES)
		return (EINVAL);
	for (i = 0; i < n; i++) {
		if (r[i].length == 0 || r[i].iova + r[i].length < r[i].iova)
			return (EINVAL);
		for (j = 0; j < i; j++)
			if (r[i].iova < r[j].iova + r[j].length &&
			    r[j].iova < r[i].iova + r[i].length)
				return (EINVAL);
	}
	if (*page_size < 4096)
		*page_size = 4096;	/* the smallest we track */
	if (n > 0) {
		dev->log_ranges = calloc(n, sizeof(*r));
		if (dev->log_ranges == NULL)
			return (ENOMEM);
		memcpy(dev->log_ranges, r, n * sizeof(*r));
	}
	dev->log_nranges = n;
	dev->log_pgsize = *page_size;
	dev->log_on = 1;
	dev->ndirty = 0;
	return (0);
}

int
refdev_log_stop(struct refdev *dev)
{
	free(dev->log_ranges);
	free(dev->dirty);
	dev->log_ranges = NULL;
	dev->dirty = NULL;
	dev->log_nranges = dev->ndirty = dev->dirty_cap = 0;
	dev->log_on = 0;
	return (0);
}

static void
mark(struct refdev *dev, uint64_t lo, uint64_t hi)
{
	uint64_t	pg, *nd;
	size_t		i, ncap;

	for (pg = lo / dev->log_pgsize; pg <= (hi - 1) / dev->log_pgsize;
	    pg++) {
		for (i = 0; i < dev->ndirty; i++)
			if (dev->dirty[i] == pg)
				break;
		if (i < dev->ndirty)
			continue;
		if (dev->ndirty == dev->dirty_cap) {
			ncap = dev->dirty_cap ? dev->dirty_cap * 2 : 64;
			if (ncap > LOG_MAX_DIRTY ||
			    (nd = reallocarray(dev->dirty, ncap,
			    sizeof(*nd))) == NULL)
				return;
			dev->dirty = nd;
			dev->dirty_cap = ncap;
		}
		dev->dirty[dev->ndirty++] = pg;
	}
}

void
refdev_log_write(struct refdev *dev, uint64_t addr, uint64_t len)
{
	uint64_t	lo, hi, end = addr + len;
	size_t		i;

	if (!dev->log_on || len == 0)
		return;
	if (dev->log_nranges == 0) {
		mark(dev, addr, end);
		return;
	}
	for (i = 0; i < dev->log_nranges; i++) {
		lo = addr > dev->log_ranges[i].iova ? addr :
		    dev->log_ranges[i].iova;
		hi = dev->log_ranges[i].iova + dev->log_ranges[i].length;
		if (end < hi)
			hi = end;
		if (lo < hi)
			mark(dev, lo, hi);
	}
}

int
refdev_log_report(struct refdev *dev, uint64_t iova, uint64_t length,
    uint64_t page_size, uint64_t *bitmap, size_t words)
{
	uint64_t	lo, hi, b, nbits;
	size_t		i;

	if (!dev->log_on || !pow2(page_size) || length == 0 ||
	    iova + length < iova)
		return (EINVAL);
	memset(bitmap, 0, words * 8);
	nbits = (length + page_size - 1) / page_size;
	for (i = 0; i < dev->ndirty;) {
		lo = dev->dirty[i] * dev->log_pgsize;
		hi = lo + dev->log_pgsize;
		if (lo < iova)
			lo = iova;
		if (hi > iova + length)
			hi = iova + length;
		if (lo >= hi) {
			i++;
			continue;
		}
		for (b = (lo - iova) / page_size;
		    b <= (hi - 1 - iova) / page_size && b / 64 < words; b++)
			if (!refdev_fault_on(&dev->faults,
			    RF_DIRTY_BITMAP_MISSING_WRITES))
				bitmap[b / 64] |= 1ull << (b % 64);
		/* reported and cleared, unless only partly in range */
		if (dev->dirty[i] * dev->log_pgsize >= iova &&
		    dev->dirty[i] * dev->log_pgsize + dev->log_pgsize <=
		    iova + length)
			dev->dirty[i] = dev->dirty[--dev->ndirty];
		else
			i++;
	}
	if (refdev_fault_on(&dev->faults, RF_DIRTY_BITMAP_OUTSIDE_BITS) &&
	    words > 0 && nbits % 64 != 0)
		bitmap[words - 1] |= ~0ull << (nbits % 64);
	return (0);
}
