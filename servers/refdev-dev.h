/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refdev-dev: the device model of vfu-refdev, independent of the wire: PCI
 * configuration space with its capability list (refdev-pci.c), the regions
 * and BAR0 registers (refdev-regions.c), interrupts and their eventfds
 * (refdev-irq.c), the DMA table and DMA engine (refdev-dma.c), and the
 * migration FSM, data stream and dirty logging (refdev-mig.c).  Functions
 * return 0 or a positive errno for the reply; none does socket I/O except
 * through the DMA callback the connection installs.  The register map is in
 * docs/refdev.md.
 */
#ifndef VFU_REFDEV_DEV_H
#define VFU_REFDEV_DEV_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"
#include "refdev-fault.h"

/* Identity (made-up test IDs, see docs/refdev.md). */
#define REFDEV_VENDOR_ID	0x4e56
#define REFDEV_DEVICE_ID	0x0001
#define REFDEV_REVISION		0x01

/* Regions. */
#define REFDEV_NUM_REGIONS	10	/* 0-8 standard, 9 device-specific */
#define REFDEV_DEVREG_INDEX	9
#define REFDEV_CFG_SIZE		4096
#define REFDEV_BAR0_SIZE	0x1000
#define REFDEV_BAR2_SIZE	0x4000
#define REFDEV_BAR2_SPARSE_OFF	0x1000	/* first page stays trapped */
#define REFDEV_DEVREG_SIZE	0x1000
#define REFDEV_DEVREG_TYPE	(0x80000000u | REFDEV_VENDOR_ID)
#define REFDEV_DEVREG_SUBTYPE	1

/* Config space layout. */
#define REFDEV_CAP_PM		0x40
#define REFDEV_CAP_MSI		0x50
#define REFDEV_CAP_MSIX		0x70
#define REFDEV_CAP_EXP		0x80

/* BAR0 registers. */
#define REFDEV_REG_ID		0x000	/* RO "REFD" */
#define REFDEV_REG_VERSION	0x004	/* RO */
#define REFDEV_REG_SCRATCH	0x008	/* RW */
#define REFDEV_REG_IRQ_RAISE	0x00c	/* WO: (index << 16) | vector */
#define REFDEV_REG_DMA_ADDR	0x020	/* RW 64-bit guest address */
#define REFDEV_REG_DMA_LEN	0x028	/* RW */
#define REFDEV_REG_DMA_DEVOFF	0x02c	/* RW offset in BAR2 */
#define REFDEV_REG_DMA_CTRL	0x030	/* WO: 1 guest->BAR2, 2 BAR2->guest */
#define REFDEV_REG_DMA_STATUS	0x034	/* RO: 0 idle, 1 done, 0x8000xxxx err */
#define REFDEV_REG_DOORBELLS	0x040	/* RO: doorbell count */
#define REFDEV_REG_DOORBELL0	0x100	/* ioeventfd sub-regions */
#define REFDEV_REG_DOORBELL1	0x104
#define REFDEV_MSIX_TABLE	0x800
#define REFDEV_MSIX_PBA		0xc00

#define REFDEV_ID_VALUE		0x44464552u	/* "REFD" */
#define REFDEV_VERSION_VALUE	0x00010000u
#define REFDEV_DMA_TO_DEVICE	1
#define REFDEV_DMA_FROM_DEVICE	2
#define REFDEV_DMA_DONE		1
#define REFDEV_DMA_ERROR	0x80000000u

/* IRQs. */
#define REFDEV_MSI_VECTORS	4
#define REFDEV_MSIX_VECTORS	8
#define REFDEV_MAX_VECTORS	8

/* Server limits (see docs/refdev.md). */
#define REFDEV_MAX_MSG_FDS	16
#define REFDEV_MAX_DATA_XFER	1048576
#define REFDEV_MAX_DMA_MAPS	4096
#define REFDEV_PGSIZES		(~(uint64_t)0xfff)	/* any 2^n >= 4 KiB */
#define REFDEV_MIG_MAX_IN	(1u << 20)

struct refdev_irq_vec {
	int		trigger_fd;
	int		mask_fd;
	int		unmask_fd;
	int		masked;
	int		pending;
};

struct refdev_dma_entry {
	uint64_t	addr;
	uint64_t	size;
	uint64_t	offset;
	uint32_t	flags;
	int		fd;		/* -1: access by DMA_READ/WRITE */
	uint8_t		*map;		/* mmap of fd, or NULL */
	int		ghost;		/* unmapped, kept only under a fault */
};

/* How the engine reaches guest memory without an fd: the connection sends
 * VFIO_USER_DMA_READ/WRITE.  Returns 0 or an errno. */
typedef int refdev_dma_msg_fn(void *arg, int write, uint64_t addr,
	    void *buf, size_t len);

struct refdev {
	struct refdev_faultset faults;

	uint8_t		 cfg[REFDEV_CFG_SIZE];
	uint8_t		 cfg_wmask[REFDEV_CFG_SIZE];
	uint8_t		 bar0[REFDEV_BAR0_SIZE];
	uint8_t		 devreg[REFDEV_DEVREG_SIZE];
	int		 bar2_fd;
	uint8_t		*bar2;
	int		 ioev_fd;	/* doorbell ioeventfd */
	uint64_t	 doorbells;

	struct refdev_irq_vec irq[VFIO_PCI_NUM_IRQS][REFDEV_MAX_VECTORS];

	struct refdev_dma_entry *dma;
	size_t		 ndma;
	size_t		 dma_cap;
	size_t		 dma_max;	/* negotiated max_dma_maps */
	uint64_t	 dma_pgsize;	/* smallest negotiated page size */
	refdev_dma_msg_fn *dma_msg;
	void		*dma_msg_arg;
	uint64_t	 dma_xfer_max;	/* the client's max_data_xfer_size */

	/* migration */
	uint32_t	 mig_state;
	uint8_t		*mig_out;	/* stream being read (saving) */
	size_t		 mig_out_len;
	size_t		 mig_out_pos;
	uint8_t		*mig_in;	/* stream being written (resuming) */
	size_t		 mig_in_len;
	/* dirty logging */
	int		 log_on;
	uint64_t	 log_pgsize;
	struct vfu_dma_logging_range *log_ranges;
	size_t		 log_nranges;
	uint64_t	*dirty;		/* dirty page numbers (log_pgsize) */
	size_t		 ndirty;
	size_t		 dirty_cap;
};

/* Device lifetime (refdev-regions.c). */
struct refdev *refdev_new(const struct refdev_faultset *faults);
void	refdev_free(struct refdev *dev);
/* DEVICE_RESET: config, registers, IRQ masks, migration, logging. */
void	refdev_reset(struct refdev *dev);
/* A client went away: release its DMA mappings and IRQ fds. */
void	refdev_disconnect(struct refdev *dev);
/* Reads the doorbell ioeventfd (called when it is readable). */
void	refdev_doorbell_poll(struct refdev *dev);

/* Regions (refdev-regions.c). */
uint32_t refdev_region_flags(const struct refdev *dev, uint32_t index);
uint64_t refdev_region_size(uint32_t index);
int	refdev_region_read(struct refdev *dev, uint32_t index, uint64_t off,
	    void *buf, size_t len);
int	refdev_region_write(struct refdev *dev, uint32_t index, uint64_t off,
	    const void *buf, size_t len);

/* PCI config space (refdev-pci.c). */
void	refdev_pci_init(struct refdev *dev);
void	refdev_pci_read(struct refdev *dev, uint64_t off, uint8_t *buf,
	    size_t len);
void	refdev_pci_write(struct refdev *dev, uint64_t off, const uint8_t *buf,
	    size_t len);

/* IRQs (refdev-irq.c). */
uint32_t refdev_irq_flags(uint32_t index);
uint32_t refdev_irq_count(uint32_t index);
/* SET_IRQS; fds are taken (closed on error). */
int	refdev_irq_set(struct refdev *dev, const struct vfu_irq_set *s,
	    int *fds, size_t nfds);
/* Raises vector of index (BAR0 IRQ_RAISE). */
int	refdev_irq_raise(struct refdev *dev, uint32_t index, uint32_t vector);
void	refdev_irq_release(struct refdev *dev);	/* closes every fd */
void	refdev_irq_reset(struct refdev *dev);	/* unmask, clear pending */

/* DMA table and engine (refdev-dma.c). */
int	refdev_dma_map(struct refdev *dev, const struct vfu_dma_map *m,
	    int fd);
int	refdev_dma_unmap(struct refdev *dev, const struct vfu_dma_unmap *u);
void	refdev_dma_release(struct refdev *dev);
/* Copies between guest memory and dev->bar2 (the engine). */
int	refdev_dma_run(struct refdev *dev, int dir, uint64_t addr,
	    uint32_t devoff, uint32_t len);

/* Migration (refdev-mig.c). */
int	refdev_mig_running(const struct refdev *dev);
int	refdev_mig_set_state(struct refdev *dev, uint32_t state);
int	refdev_mig_data_read(struct refdev *dev, uint8_t *buf, size_t want,
	    size_t *got);
int	refdev_mig_data_write(struct refdev *dev, const uint8_t *buf,
	    size_t len);
void	refdev_mig_reset(struct refdev *dev);
int	refdev_log_start(struct refdev *dev, uint64_t *page_size,
	    const struct vfu_dma_logging_range *r, size_t n);
int	refdev_log_stop(struct refdev *dev);
/* Fills bitmap (words u64) for [iova, iova + length) at page_size. */
int	refdev_log_report(struct refdev *dev, uint64_t iova, uint64_t length,
	    uint64_t page_size, uint64_t *bitmap, size_t words);
/* Records a device write of guest memory. */
void	refdev_log_write(struct refdev *dev, uint64_t addr, uint64_t len);

#endif /* VFU_REFDEV_DEV_H */
