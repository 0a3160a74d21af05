/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * client: the harness's end of a connection to a server under test.  It
 * numbers requests, exchanges them for their replies under a deadline and
 * negotiates VERSION.  Every message received goes through the linter
 * (lint.h) first; breaches of the spec are findings handed to a callback:
 * results, not errors.  Never prints.
 */
#ifndef VFU_CLIENT_H
#define VFU_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "caps.h"
#include "lint.h"
#include "proto.h"
#include "session.h"
#include "transport.h"

struct diag;

struct client {
	struct vfu_conn	 conn;
	struct session	 sess;		/* what the linter knows */
	uint16_t	 next_id;
	int		 timeout_ms;	/* per exchange */
	struct vfu_caps	 proposed;	/* what client_negotiate offers */
	lint_report_fn	*finding;	/* optional */
	void		*finding_arg;
	unsigned	 nfindings;
};

/* Takes ownership of an already connected conn; proposes 0.0 with
 * max_msg_fds 8, max_data_xfer_size 1048576 and write_multiple. */
void	client_init(struct client *c, const struct vfu_conn *conn,
	    int timeout_ms);
void	client_close(struct client *c);

/*
 * Sends req (its msg_id and msg_size are set here) with nfds fds and waits
 * for the reply with the same msg_id; everything received on the way is
 * linted.  On VFU_IO_OK, *rf holds the reply frame and *res its linted form
 * (res->msg is valid when res->decoded); release both.  A server-to-client
 * DMA request that arrives meanwhile is answered with an error (the client
 * owns no guest memory).
 */
enum vfu_io client_call(struct client *c, struct vfu_msg *req,
	    const int *fds, size_t nfds, struct vfu_frame *rf,
	    struct lint_result *res, struct diag *d);

/* VERSION negotiation.  Returns 0, or -1 when the server refused, closed or
 * answered with an error. */
int	client_negotiate(struct client *c, struct diag *d);

#endif /* VFU_CLIENT_H */
