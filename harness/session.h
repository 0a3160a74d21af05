/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * session: what a connection has established so far, as the harness sees it
 * from either side: who plays which role, the VERSION both sides agreed on
 * and their capabilities, the requests still waiting for a reply (in the
 * order they were sent), recent No_reply requests, the DMA windows the
 * client has mapped and the regions the server has described.  The linter
 * (lint.h) reads and updates it with every message; the runner and the
 * matcher read it.  No I/O, never prints.
 */
#ifndef VFU_SESSION_H
#define VFU_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "caps.h"
#include "proto.h"

/* Which side the harness plays. */
enum session_role {
	SESSION_CLIENT,		/* the harness is the client: it tests a server */
	SESSION_SERVER,		/* the harness is the server: it tests a client */
};

/* A request sent and not yet answered (or a recent No_reply one). */
struct session_req {
	uint8_t		*buf;		/* the request as sent (owned copy) */
	size_t		 len;
	size_t		 nfds;		/* fds sent with it */
	struct vfu_msg	 msg;		/* decoded from buf, if decoded */
	int		 decoded;	/* 0: sent malformed on purpose */
};

/* A DMA window the client mapped and the server acknowledged. */
struct session_dma {
	uint64_t	address;
	uint64_t	size;
	uint32_t	flags;		/* VFIO_USER_F_DMA_REGION_* */
	int		has_fd;
};

#define SESSION_MAX_REGIONS	64
struct session_region {
	int		known;		/* a GET_REGION_INFO reply was seen */
	uint32_t	flags;
	uint64_t	size;
};

#define SESSION_NOREPLY_RING	64

struct session {
	enum session_role role;
	int		 negotiated;	/* a VERSION reply was accepted */
	uint16_t	 major, minor;	/* proposed, then agreed */
	struct vfu_caps	 client_caps;	/* what the client proposed */
	struct vfu_caps	 server_caps;	/* what the server replied */

	struct session_req *pending;	/* awaiting replies, oldest first */
	size_t		 npending, cappending;
	struct session_req noreply[SESSION_NOREPLY_RING];	/* ring */
	size_t		 nnoreply;	/* total ever added */

	struct session_dma *dma;	/* mapped windows */
	size_t		 ndma, capdma;
	struct session_region regions[SESSION_MAX_REGIONS];
};

void	session_init(struct session *s, enum session_role role);
void	session_free(struct session *s);

/*
 * Records a request the harness (or, in the server role, the peer) sent:
 * buf is copied; a No_reply request goes to the No_reply ring instead of the
 * pending list.  Returns 0, or -1 when memory runs out.
 */
int	session_add_request(struct session *s, const uint8_t *buf, size_t len,
	    size_t nfds);

/* The position of the pending request with msg_id (and command, if non-zero)
 * or -1. */
long	session_find_pending(const struct session *s, uint16_t msg_id);
/* A recent No_reply request with msg_id, or NULL. */
const struct session_req *session_find_noreply(const struct session *s,
	    uint16_t msg_id);
/* Removes pending request i, handing it to *out (the caller then calls
 * session_req_free). */
void	session_take_pending(struct session *s, size_t i,
	    struct session_req *out);
void	session_req_free(struct session_req *r);

/* DMA windows. */
int	session_dma_add(struct session *s, uint64_t address, uint64_t size,
	    uint32_t flags, int has_fd);
/* Removes the window that matches exactly; -1 if none. */
int	session_dma_remove(struct session *s, uint64_t address, uint64_t size);
/* The window containing [address, address + count), or NULL. */
const struct session_dma *session_dma_find(const struct session *s,
	    uint64_t address, uint64_t count);
/* Drops every window (client disconnect). */
void	session_dma_clear(struct session *s);

#endif /* VFU_SESSION_H */
