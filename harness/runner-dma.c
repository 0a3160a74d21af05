/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * runner-dma: the guest memory the harness owns as a client.  Each DMA
 * window the server accepted is backed by the memfd the scenario passed
 * with DMA_MAP (mmapped shared, so what the server writes through its own
 * mapping is what DMA_READ returns) or, for a map without an fd, by a heap
 * buffer.  A mapping never reaches past the end of its file, so serving a
 * request can never fault; what is not backed is answered with an error.
 */
#include "config.h"
#include "runner-int.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void
guest_init(struct guest *g)
{
	memset(g, 0, sizeof(*g));
}

static void
win_release(struct guest_win *w)
{
	if (w->map != NULL)
		(void)munmap(w->map, w->maplen);
	if (w->heap)
		free(w->mem);
	memset(w, 0, sizeof(*w));
}

void
guest_free(struct guest *g)
{
	size_t	i;

	for (i = 0; i < g->n; i++)
		win_release(&g->w[i]);
	free(g->w);
	memset(g, 0, sizeof(*g));
}

/* Maps what of [offset, offset + size) the file holds. */
static void
win_mmap(struct guest_win *w, int fd, uint64_t offset)
{
	struct stat	st;
	long		pg = sysconf(_SC_PAGESIZE);
	uint64_t	avail, delta, aligned;
	void		*p;

	if (pg <= 0 || fstat(fd, &st) == -1 || st.st_size <= 0 ||
	    offset >= (uint64_t)st.st_size)
		return;
	avail = (uint64_t)st.st_size - offset;
	if (avail > w->size)
		avail = w->size;
	if (avail == 0 || avail > SIZE_MAX / 2)
		return;
	aligned = offset & ~((uint64_t)pg - 1);
	delta = offset - aligned;
	p = mmap(NULL, (size_t)(avail + delta), PROT_READ | PROT_WRITE,
	    MAP_SHARED, fd, (off_t)aligned);
	if (p == MAP_FAILED)
		return;
	w->map = p;
	w->maplen = (size_t)(avail + delta);
	w->mem = (uint8_t *)p + delta;
	w->backed = avail;
}

int
guest_map(struct guest *g, uint64_t address, uint64_t size, uint64_t offset,
    int fd)
{
	struct guest_win *nw, *w;
	size_t		  ncap;

	if (g->n == g->cap) {
		ncap = g->cap == 0 ? 4 : g->cap * 2;
		if ((nw = reallocarray(g->w, ncap, sizeof(*nw))) == NULL) {
			if (fd != -1)
				(void)close(fd);
			return (-1);
		}
		g->w = nw;
		g->cap = ncap;
	}
	w = &g->w[g->n++];
	memset(w, 0, sizeof(*w));
	w->address = address;
	w->size = size;
	if (fd != -1) {
		win_mmap(w, fd, offset);
		(void)close(fd);
		return (0);
	}
	if (size == 0 || size > GUEST_MAX_HEAP)
		return (0);
	if ((w->mem = calloc(1, (size_t)size)) == NULL)
		return (-1);
	w->heap = 1;
	w->backed = size;
	return (0);
}

void
guest_unmap(struct guest *g, uint64_t address, uint64_t size)
{
	size_t	i = 0;

	while (i < g->n) {
		if (g->w[i].address == address && g->w[i].size == size) {
			win_release(&g->w[i]);
			memmove(&g->w[i], &g->w[i + 1],
			    (g->n - i - 1) * sizeof(g->w[0]));
			g->n--;
		} else
			i++;
	}
}

uint8_t *
guest_ptr(struct guest *g, uint64_t address, uint64_t count)
{
	struct guest_win *w;
	size_t		  i;

	for (i = g->n; i > 0; i--) {
		w = &g->w[i - 1];
		if (w->mem == NULL || address < w->address)
			continue;
		if (address - w->address > w->backed ||
		    count > w->backed - (address - w->address))
			continue;
		return (w->mem + (address - w->address));
	}
	return (NULL);
}
