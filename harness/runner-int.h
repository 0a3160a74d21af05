/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * runner-int: what the runner's files share and nobody else uses: the file
 * descriptors the harness makes for send steps (runner-fd.c) and the guest
 * memory it serves DMA from (runner-dma.c).  Both are per run: no globals,
 * so several scenarios can run in parallel threads.
 */
#ifndef VFU_RUNNER_INT_H
#define VFU_RUNNER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

struct diag;

/* ---- File descriptors (runner-fd.c) ------------------------------------ */

/* An fd kept for the whole run: named ones ("as:"), the other ends of
 * sockets and pipes handed to the peer, fds received and named. */
struct run_fd {
	const char	*name;		/* NULL: just kept open */
	int		 fd;
};

struct run_fds {
	struct run_fd	*v;
	size_t		 n, cap;
};

void	run_fds_init(struct run_fds *s);
/* Closes every fd. */
void	run_fds_free(struct run_fds *s);
/* Keeps fd (owned from now on) under name (may be NULL).  A later fd of
 * the same name hides the earlier one.  Returns 0, or -1 (fd closed). */
int	run_fds_keep(struct run_fds *s, const char *name, int fd);
/* The newest fd called name, or -1. */
int	run_fds_find(const struct run_fds *s, const char *name);

/*
 * Makes the fd a send step asks for.  *fd is what to pass; *close_after
 * says whether the caller closes it once sent (1), or the set keeps it (0:
 * named, or a reference to an earlier fd).  Returns 0, or -1 with *d.
 */
int	run_fd_make(const struct fd_spec *fs, struct run_fds *s, int *fd,
	    int *close_after, struct diag *d);

/* What kind of fd this is (fstat and /proc/self/fd); FD_ANY if unknown. */
enum fd_kind run_fd_kind(int fd);

/* ---- Guest memory (runner-dma.c) --------------------------------------- */

/* A DMA window the server accepted, and the memory behind it. */
struct guest_win {
	uint64_t	 address;
	uint64_t	 size;
	uint8_t		*mem;		/* start of the window, or NULL */
	uint64_t	 backed;	/* bytes of mem usable (<= size) */
	void		*map;		/* mmap base, or NULL */
	size_t		 maplen;
	int		 heap;		/* mem is malloc'd (fd-less map) */
};

struct guest {
	struct guest_win *w;
	size_t		  n, cap;
};

/* Largest fd-less window the harness backs with a heap buffer. */
#define GUEST_MAX_HEAP	(64u << 20)

void	guest_init(struct guest *g);
void	guest_free(struct guest *g);
/*
 * Adds a window: mmaps fd (MAP_SHARED, from offset, no further than the
 * file's end so that no access can fault), or without an fd a zeroed heap
 * buffer up to GUEST_MAX_HEAP.  Takes ownership of fd (closed here).
 * Returns 0, or -1 when out of memory (the window is then unbacked).
 */
int	guest_map(struct guest *g, uint64_t address, uint64_t size,
	    uint64_t offset, int fd);
/* Removes the windows that match exactly. */
void	guest_unmap(struct guest *g, uint64_t address, uint64_t size);
/* The memory of [address, address + count) if one window backs all of
 * it, else NULL.  count 0 is a valid empty access. */
uint8_t	*guest_ptr(struct guest *g, uint64_t address, uint64_t count);

#endif /* VFU_RUNNER_INT_H */
