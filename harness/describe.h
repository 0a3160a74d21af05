/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * describe: asks a negotiated server everything it will tell (device info,
 * every region with flags, size, capabilities and sparse areas, IO FD
 * sub-regions, every IRQ index, migration and DMA-logging features) and
 * renders it for people, like lspci -vv does for PCI.  Breaches of the spec
 * seen on the way are findings of the client (client.h).  Writes only to the
 * FILE it is given.
 */
#ifndef VFU_DESCRIBE_H
#define VFU_DESCRIBE_H

#include <stdio.h>

struct client;
struct diag;

/* Returns 0, or -1 with *d when the connection failed underneath. */
int	describe_run(struct client *c, FILE *out, struct diag *d);

#endif /* VFU_DESCRIBE_H */
