/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * client: the harness's end of a connection to a server under test.  It
 * numbers requests, exchanges them for their replies under a deadline,
 * negotiates VERSION, and applies the header checks every reply gets (reply
 * bit, msg_id and command echoed, header-only error replies, decodable
 * bodies).  Breaches of the spec are findings, handed to a callback; they
 * are results, not errors.  Never prints.
 */
#ifndef VFU_CLIENT_H
#define VFU_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "caps.h"
#include "proto.h"
#include "transport.h"

struct diag;

/* A breach of the spec seen on the wire: a stable rule name, the spec
 * sentence and what was seen. */
typedef void client_finding_fn(void *arg, const char *rule,
	    const char *sentence, const char *seen);

struct client {
	struct vfu_conn	 conn;
	uint16_t	 next_id;
	int		 timeout_ms;	/* per exchange */
	struct vfu_caps	 proposed;	/* what negotiate offers */
	uint16_t	 major, minor;	/* proposed, then as negotiated */
	struct vfu_caps	 server;	/* the server's reply capabilities */
	int		 negotiated;
	client_finding_fn *finding;
	void		*finding_arg;
	unsigned	 nfindings;
};

/* Takes ownership of an already connected conn; proposes 0.0 with the
 * default capabilities plus max_msg_fds 8 and write_multiple. */
void	client_init(struct client *c, const struct vfu_conn *conn,
	    int timeout_ms);
void	client_close(struct client *c);

/* Reports a finding (counts it, calls the callback). */
void	client_report(struct client *c, const char *rule, const char *sentence,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Sends req (its msg_id and msg_size are set here) with nfds fds, and waits
 * for the reply with the same msg_id.  On VFU_IO_OK *rf holds the reply frame
 * and *reply its decoded form (both to be released by the caller); a reply
 * that does not decode is a finding and the call fails with VFU_IO_ERROR.
 */
enum vfu_io client_call(struct client *c, struct vfu_msg *req,
	    const int *fds, size_t nfds, struct vfu_frame *rf,
	    struct vfu_msg *reply, struct diag *d);

/* VERSION negotiation (spec "VFIO_USER_VERSION").  Returns 0, or -1 when
 * the server refused, closed or answered something unusable. */
int	client_negotiate(struct client *c, struct diag *d);

#endif /* VFU_CLIENT_H */
