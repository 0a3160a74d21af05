/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refdev-conn: one vfio-user connection of vfu-refdev: negotiation, the
 * dispatch table by command, replies (No_reply, errors, argsz rules), the
 * server-to-client DMA channel (main socket or twin socket) and the fault
 * switches that change what goes on the wire.  Single-threaded: one poll
 * loop per connection.  Callable in-process, so tests can serve one end of
 * a socketpair in a forked child.
 */
#ifndef VFU_REFDEV_CONN_H
#define VFU_REFDEV_CONN_H

struct diag;
struct refdev;

/* How long a peer may take to finish a message it started, or to answer a
 * server DMA request, in milliseconds. */
#define REFDEV_IO_TIMEOUT_MS	5000

/*
 * Serves the connected socket fd (taken over, closed on return) until the
 * client closes it or breaks the framing.  stop_fd (or -1): when it becomes
 * readable the connection is dropped.  On return the client's DMA mappings
 * and IRQ fds are released (refdev_disconnect); the device state stays.
 * Returns 0 when the client left or was dropped, 1 when stop_fd fired, -1
 * on an internal error (*d says why).
 */
int	refdev_serve(struct refdev *dev, int fd, int stop_fd, struct diag *d);

#endif /* VFU_REFDEV_CONN_H */
