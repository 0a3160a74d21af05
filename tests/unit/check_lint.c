/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for lint: every rule of the catalogue has a case that builds a
 * conversation twice, once keeping the rule and once breaking it, and the
 * rule must be reported exactly for the breaking one.  A coverage test makes
 * sure no rule is left without its case.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "caps.h"
#include "codec.h"
#include "diag.h"
#include "lint.h"
#include "session.h"

struct seen {
	char	ids[64][64];
	int	n;
};

static void
collect(void *arg, const struct rule *r, const char *what)
{
	struct seen *sn = arg;

	(void)what;
	if (sn->n < 64)
		snprintf(sn->ids[sn->n++], sizeof(sn->ids[0]), "%s", r->id);
}

static int
has(const struct seen *sn, const char *id)
{
	int	i;

	for (i = 0; i < sn->n; i++)
		if (strcmp(sn->ids[i], id) == 0)
			return (1);
	return (0);
}

/* Encodes m (msg_size computed) into a malloc'd buffer. */
static uint8_t *
enc(struct vfu_msg *m, size_t *len)
{
	struct wbuf	wb;
	struct diag	d;

	wbuf_init(&wb, 1 << 20);
	ck_assert_int_eq(vfu_msg_encode(m, &wb, VFU_ENC_AUTO_SIZE, &d), 0);
	return (wbuf_steal(&wb, len));
}

/* The harness sends req. */
static void
tx(struct session *s, struct vfu_msg *req, size_t nfds)
{
	uint8_t	*b;
	size_t	 len;

	b = enc(req, &len);
	ck_assert_int_eq(lint_sent(s, b, len, nfds), 0);
	free(b);
}

/* The peer sends raw bytes. */
static void
rx_raw(struct session *s, const uint8_t *b, size_t len, size_t nfds,
    struct seen *sn)
{
	struct lint_result res;

	lint_received(s, b, len, nfds, 0, collect, sn, &res);
	lint_result_free(&res);
}

/* The peer sends m. */
static void
rx(struct session *s, struct vfu_msg *m, size_t nfds, struct seen *sn)
{
	uint8_t	*b;
	size_t	 len;

	b = enc(m, &len);
	rx_raw(s, b, len, nfds, sn);
	free(b);
}

static void
req_init(struct vfu_msg *m, uint16_t cmd, uint16_t id)
{
	vfu_msg_init(m, cmd, 0, id);
}

/* A reply to req, with the request's id and command. */
static void
rep_init(struct vfu_msg *m, const struct vfu_msg *req)
{
	vfu_msg_init(m, req->hdr.command, 1, req->hdr.msg_id);
}

/* ---- the cases: bad == 0 keeps the rule, bad == 1 breaks it ----------- */

static void
case_type_valid(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg q, r;

	req_init(&q, VFIO_USER_DEVICE_RESET, 1);
	tx(s, &q, 0);
	rep_init(&r, &q);
	if (bad)
		r.hdr.flags = (r.hdr.flags & ~VFIO_USER_F_TYPE_MASK) | 2;
	rx(s, &r, 0, sn);
}

static void
case_reply_bit(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg q, r;

	req_init(&q, VFIO_USER_DEVICE_RESET, 7);
	tx(s, &q, 0);
	rep_init(&r, &q);
	r.hdr.flags = VFIO_USER_F_ERROR | (bad ? VFIO_USER_F_TYPE_COMMAND :
	    VFIO_USER_F_TYPE_REPLY);
	r.hdr.error = 22;
	rx(s, &r, 0, sn);
}

static void
case_msg_id(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg q, r;

	req_init(&q, VFIO_USER_DEVICE_RESET, 5);
	tx(s, &q, 0);
	rep_init(&r, &q);
	r.hdr.msg_id = bad ? 6 : 5;
	rx(s, &r, 0, sn);
}

static void
case_command_echo(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg q, r;

	req_init(&q, VFIO_USER_DEVICE_RESET, 5);
	tx(s, &q, 0);
	rep_init(&r, &q);
	if (bad)
		r.hdr.command = VFIO_USER_DMA_MAP;
	rx(s, &r, 0, sn);
}

static void
case_no_reply(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg q, q2, r;
	uint8_t	data[4] = { 1, 2, 3, 4 };

	req_init(&q, VFIO_USER_REGION_WRITE, 3);
	q.hdr.flags |= VFIO_USER_F_NO_REPLY;
	q.u.region_access.region = 0;
	q.u.region_access.data = data;
	q.u.region_access.data_len = sizeof(data);
	vfu_msg_autofill(&q);
	tx(s, &q, 0);
	req_init(&q2, VFIO_USER_DEVICE_RESET, 4);
	tx(s, &q2, 0);
	/* The good peer answers only the second. */
	rep_init(&r, bad ? &q : &q2);
	if (bad)
		r.u.region_access.count = 4;
	rx(s, &r, 0, sn);
}

static void
case_error_only(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg q;
	struct wbuf	wb;
	struct diag	d;

	req_init(&q, VFIO_USER_DEVICE_GET_INFO, 2);
	q.u.device_info.argsz = 16;
	tx(s, &q, 0);
	wbuf_init(&wb, 64);
	ck_assert_int_eq(vfu_msg_encode_error(2, VFIO_USER_DEVICE_GET_INFO, 22,
	    &wb, &d), 0);
	if (bad) {
		wbuf_u32(&wb, 0);
		wbuf_patch(&wb, 4, 4, wb.len);
	}
	rx_raw(s, wb.p, wb.len, 0, sn);
	wbuf_free(&wb);
}

static void
case_error_reserved(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg m;

	s->client_caps.max_data_xfer_size = 1 << 20;
	session_dma_add(s, 0x1000, 0x1000, VFIO_USER_F_DMA_REGION_READ, 0);
	vfu_msg_init(&m, VFIO_USER_DMA_READ, 0, 9);
	m.u.dma_access.address = 0x1000;
	m.u.dma_access.count = 8;
	m.hdr.error = bad ? 5 : 0;
	rx(s, &m, 0, sn);
}

static void
case_reply_order(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg q1, q2, r1, r2;

	req_init(&q1, VFIO_USER_DEVICE_RESET, 1);
	req_init(&q2, VFIO_USER_DEVICE_RESET, 2);
	tx(s, &q1, 0);
	tx(s, &q2, 0);
	rep_init(&r1, &q1);
	rep_init(&r2, &q2);
	rx(s, bad ? &r2 : &r1, 0, sn);
	rx(s, bad ? &r1 : &r2, 0, sn);
}

static void
case_msg_size(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg	q, r;
	uint8_t		*b;
	size_t		 len;

	req_init(&q, VFIO_USER_DEVICE_RESET, 1);
	tx(s, &q, 0);
	rep_init(&r, &q);
	b = enc(&r, &len);
	if (bad) {		/* claims 64 bytes, the peer stalls after 16 */
		memcpy(b + 4, &(uint32_t){ 64 }, 4);
		lint_broken_frame(s, b, len, "deadline passed", collect, sn);
	} else
		rx_raw(s, b, len, 0, sn);
	free(b);
}

static void
case_well_formed(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg q, r;
	uint8_t	*b;
	size_t	 len;

	req_init(&q, VFIO_USER_DEVICE_GET_IRQ_INFO, 1);
	q.u.irq_info.argsz = 16;
	tx(s, &q, 0);
	rep_init(&r, &q);
	r.u.irq_info.argsz = 16;
	b = enc(&r, &len);
	if (bad) {		/* cut the payload to 8 bytes */
		len = VFIO_USER_HDR_SIZE + 8;
		memcpy(b + 4, &(uint32_t){ (uint32_t)len }, 4);
	}
	rx_raw(s, b, len, 0, sn);
	free(b);
}

static void
case_direction(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg m;

	session_dma_add(s, 0, 0x1000, VFIO_USER_F_DMA_REGION_READ, 0);
	vfu_msg_init(&m, bad ? VFIO_USER_DEVICE_RESET : VFIO_USER_DMA_READ, 0,
	    40);
	m.u.dma_access.count = 4;
	rx(s, &m, 0, sn);
}

static void
case_max_fds(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg q, r;

	req_init(&q, VFIO_USER_DEVICE_GET_REGION_INFO, 1);
	q.u.region_info.argsz = 32;
	q.u.region_info.index = 2;
	tx(s, &q, 0);
	rep_init(&r, &q);
	r.u.region_info.argsz = 32;
	r.u.region_info.index = 2;
	r.u.region_info.flags = VFIO_REGION_INFO_FLAG_MMAP;
	rx(s, &r, bad ? s->client_caps.max_msg_fds + 1 : 1, sn);
}

static void
version_xchg(struct session *s, const char *proposal, uint16_t major,
    uint16_t minor, const char *reply, size_t nfds, struct seen *sn)
{
	struct vfu_msg q, r;

	req_init(&q, VFIO_USER_VERSION, 0);
	q.u.version.data = (const uint8_t *)proposal;
	q.u.version.data_len = strlen(proposal) + 1;
	tx(s, &q, 0);
	rep_init(&r, &q);
	r.u.version.major = major;
	r.u.version.minor = minor;
	r.u.version.data = (const uint8_t *)reply;
	r.u.version.data_len = reply != NULL ? strlen(reply) + 1 : 0;
	rx(s, &r, nfds, sn);
}

static const char P_STD[] =
    "{\"capabilities\":{\"max_msg_fds\":8,\"max_data_xfer_size\":1048576}}";

static void
case_ver_major(struct session *s, int bad, struct seen *sn)
{
	version_xchg(s, P_STD, bad ? 1 : 0, 0, "{}", 0, sn);
}

static void
case_ver_minor(struct session *s, int bad, struct seen *sn)
{
	version_xchg(s, P_STD, 0, bad ? 1 : 0, NULL, 0, sn);
}

static void
case_ver_json(struct session *s, int bad, struct seen *sn)
{
	version_xchg(s, P_STD, 0, 0, bad ? "{\"capabilities\":" :
	    "{\"capabilities\":{\"max_msg_fds\":4}}", 0, sn);
}

static void
case_ver_subset(struct session *s, int bad, struct seen *sn)
{
	version_xchg(s, P_STD, 0, 0, bad ?
	    "{\"capabilities\":{\"write_multiple\":true}}" :
	    "{\"capabilities\":{\"max_msg_fds\":1}}", 0, sn);
}

static void
case_ver_twin(struct session *s, int bad, struct seen *sn)
{
	version_xchg(s, P_STD, 0, 0, bad ?
	    "{\"capabilities\":{\"twin_socket\":{\"supported\":true,"
	    "\"fd_index\":0}}}" : "{}", bad, sn);
}

static void
case_ver_first(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg m;

	s->role = SESSION_SERVER;
	s->negotiated = 0;
	if (bad) {
		vfu_msg_init(&m, VFIO_USER_DEVICE_GET_INFO, 0, 0);
		m.u.device_info.argsz = 16;
	} else {
		vfu_msg_init(&m, VFIO_USER_VERSION, 0, 0);
		m.u.version.data = (const uint8_t *)P_STD;
		m.u.version.data_len = sizeof(P_STD);
	}
	rx(s, &m, 0, sn);
}

static void
case_argsz_limit(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg		q, r;
	struct vfu_region_cap	cap;
	struct vfu_sparse_area	area = { 0, 0x1000 };

	req_init(&q, VFIO_USER_DEVICE_GET_REGION_INFO, 1);
	q.u.region_info.argsz = bad ? 32 : 64;
	q.u.region_info.index = 2;
	tx(s, &q, 0);
	memset(&cap, 0, sizeof(cap));
	cap.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
	cap.version = 1;
	cap.areas = &area;
	cap.nareas = 1;
	rep_init(&r, &q);
	r.u.region_info.index = 2;
	r.u.region_info.flags = VFIO_REGION_INFO_FLAG_CAPS;
	r.u.region_info.size = 0x2000;
	r.u.region_info.caps = &cap;
	r.u.region_info.ncaps = 1;
	vfu_msg_autofill(&r);
	rx(s, &r, 0, sn);
}

static void
case_argsz_full(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg q, r;

	req_init(&q, VFIO_USER_DEVICE_GET_IRQ_INFO, 1);
	q.u.irq_info.argsz = 16;
	q.u.irq_info.index = 2;
	tx(s, &q, 0);
	rep_init(&r, &q);
	r.u.irq_info.argsz = bad ? 8 : 16;
	r.u.irq_info.index = 2;
	rx(s, &r, 0, sn);
}

static void
case_no_payload(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg q, r;
	uint8_t	*b;
	size_t	 len;

	req_init(&q, VFIO_USER_DMA_MAP, 1);
	q.u.dma_map.address = 0x1000;
	q.u.dma_map.size = 0x1000;
	vfu_msg_autofill(&q);
	tx(s, &q, 0);
	rep_init(&r, &q);
	b = enc(&r, &len);
	if (bad) {
		b = realloc(b, len + 8);
		memset(b + len, 0, 8);
		len += 8;
		memcpy(b + 4, &(uint32_t){ (uint32_t)len }, 4);
	}
	rx_raw(s, b, len, 0, sn);
	free(b);
}

static void
case_unmap_echo(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg q, r;

	req_init(&q, VFIO_USER_DMA_UNMAP, 1);
	q.u.dma_unmap.address = 0x1000;
	q.u.dma_unmap.size = 0x2000;
	vfu_msg_autofill(&q);
	tx(s, &q, 0);
	rep_init(&r, &q);
	r.u.dma_unmap = q.u.dma_unmap;
	if (bad)
		r.u.dma_unmap.size = 0x1000;
	rx(s, &r, 0, sn);
}

static void
case_unmap_match(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg m;

	s->role = SESSION_SERVER;
	s->negotiated = 1;
	session_dma_add(s, 0x1000, 0x2000, VFIO_USER_F_DMA_REGION_READ, 0);
	vfu_msg_init(&m, VFIO_USER_DMA_UNMAP, 0, 1);
	m.u.dma_unmap.address = 0x1000;
	m.u.dma_unmap.size = bad ? 0x1000 : 0x2000;
	vfu_msg_autofill(&m);
	rx(s, &m, 0, sn);
}

static void
case_map_offset(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg m;

	s->role = SESSION_SERVER;
	s->negotiated = 1;
	vfu_msg_init(&m, VFIO_USER_DMA_MAP, 0, 1);
	m.u.dma_map.flags = VFIO_USER_F_DMA_REGION_READ;
	m.u.dma_map.address = 0x1000;
	m.u.dma_map.size = 0x1000;
	m.u.dma_map.offset = bad ? 0x1000 : 0;
	vfu_msg_autofill(&m);
	rx(s, &m, 0, sn);
}

static void
case_info_pci(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg q, r;

	req_init(&q, VFIO_USER_DEVICE_GET_INFO, 1);
	q.u.device_info.argsz = 16;
	tx(s, &q, 0);
	rep_init(&r, &q);
	r.u.device_info.argsz = 16;
	r.u.device_info.flags = bad ? VFIO_DEVICE_FLAGS_RESET :
	    VFIO_DEVICE_FLAGS_RESET | VFIO_DEVICE_FLAGS_PCI;
	r.u.device_info.num_regions = 9;
	r.u.device_info.num_irqs = 5;
	rx(s, &r, 0, sn);
}

static void
region_info_xchg(struct session *s, uint32_t ask, uint32_t index,
    uint32_t flags, size_t nfds, int with_cap, struct seen *sn)
{
	struct vfu_msg		q, r;
	struct vfu_region_cap	cap;
	struct vfu_sparse_area	area = { 0, 0x1000 };

	req_init(&q, VFIO_USER_DEVICE_GET_REGION_INFO, 1);
	q.u.region_info.argsz = 256;
	q.u.region_info.index = ask;
	tx(s, &q, 0);
	rep_init(&r, &q);
	r.u.region_info.index = index;
	r.u.region_info.flags = flags;
	r.u.region_info.size = 0x2000;
	if (with_cap) {
		memset(&cap, 0, sizeof(cap));
		cap.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
		cap.version = 1;
		cap.areas = &area;
		cap.nareas = 1;
		r.u.region_info.caps = &cap;
		r.u.region_info.ncaps = 1;
	}
	vfu_msg_autofill(&r);
	r.u.region_info.flags = flags;	/* as given, CAPS included or not */
	rx(s, &r, nfds, sn);
}

static void
case_region_index(struct session *s, int bad, struct seen *sn)
{
	region_info_xchg(s, 1, bad ? 2 : 1, VFIO_REGION_INFO_FLAG_READ, 0, 0,
	    sn);
}

static void
case_mmap_fd(struct session *s, int bad, struct seen *sn)
{
	region_info_xchg(s, 2, 2, VFIO_REGION_INFO_FLAG_READ |
	    VFIO_REGION_INFO_FLAG_MMAP, bad ? 0 : 1, 0, sn);
}

static void
case_caps_flag(struct session *s, int bad, struct seen *sn)
{
	region_info_xchg(s, 2, 2, VFIO_REGION_INFO_FLAG_READ |
	    (bad ? 0 : VFIO_REGION_INFO_FLAG_CAPS), 0, 1, sn);
}

static void
io_fds_xchg(struct session *s, uint32_t index, uint32_t flags,
    uint32_t fd_index, size_t nfds, struct seen *sn)
{
	struct vfu_msg			q, r;
	struct vfu_io_fd_sub_region	sub;

	req_init(&q, VFIO_USER_DEVICE_GET_REGION_IO_FDS, 1);
	q.u.region_io_fds.argsz = 16 + 40 * 4;
	q.u.region_io_fds.index = 0;
	tx(s, &q, 0);
	memset(&sub, 0, sizeof(sub));
	sub.offset = 0x100;
	sub.size = 4;
	sub.fd_index = fd_index;
	sub.type = VFIO_USER_IO_FD_TYPE_IOEVENTFD;
	rep_init(&r, &q);
	r.u.region_io_fds.index = index;
	r.u.region_io_fds.sub_regions = &sub;
	r.u.region_io_fds.nsub = 1;
	vfu_msg_autofill(&r);
	r.u.region_io_fds.flags = flags;
	rx(s, &r, nfds, sn);
}

static void
case_iofds_fd(struct session *s, int bad, struct seen *sn)
{
	io_fds_xchg(s, 0, 0, 0, bad ? 0 : 1, sn);
}

static void
case_iofds_fd_index(struct session *s, int bad, struct seen *sn)
{
	io_fds_xchg(s, 0, 0, bad ? 1 : 0, 1, sn);
}

static void
case_iofds_flags(struct session *s, int bad, struct seen *sn)
{
	io_fds_xchg(s, 0, bad ? 1 : 0, 0, 1, sn);
}

static void
case_iofds_index(struct session *s, int bad, struct seen *sn)
{
	io_fds_xchg(s, bad ? 3 : 0, 0, 0, 1, sn);
}

static void
case_irq_index(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg q, r;

	req_init(&q, VFIO_USER_DEVICE_GET_IRQ_INFO, 1);
	q.u.irq_info.argsz = 16;
	q.u.irq_info.index = 2;
	tx(s, &q, 0);
	rep_init(&r, &q);
	r.u.irq_info.argsz = 16;
	r.u.irq_info.index = bad ? 1 : 2;
	r.u.irq_info.count = 4;
	rx(s, &r, 0, sn);
}

static void
case_fields_zero(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg m;

	s->role = SESSION_SERVER;
	s->negotiated = 1;
	vfu_msg_init(&m, VFIO_USER_DEVICE_GET_INFO, 0, 1);
	m.u.device_info.argsz = 16;
	m.u.device_info.num_regions = bad ? 9 : 0;
	rx(s, &m, 0, sn);
}

static void
read_xchg(struct session *s, uint64_t off, uint32_t count, size_t ndata,
    struct seen *sn)
{
	struct vfu_msg	q, r;
	uint8_t		data[16] = { 0 };

	req_init(&q, VFIO_USER_REGION_READ, 1);
	q.u.region_access.offset = 0x10;
	q.u.region_access.region = 0;
	q.u.region_access.count = 4;
	tx(s, &q, 0);
	rep_init(&r, &q);
	r.u.region_access.offset = off;
	r.u.region_access.region = 0;
	r.u.region_access.count = count;
	r.u.region_access.data = data;
	r.u.region_access.data_len = ndata;
	rx(s, &r, 0, sn);
}

static void
case_read_echo(struct session *s, int bad, struct seen *sn)
{
	read_xchg(s, bad ? 0x14 : 0x10, 4, 4, sn);
}

static void
case_read_count(struct session *s, int bad, struct seen *sn)
{
	read_xchg(s, 0x10, bad ? 8 : 4, bad ? 8 : 4, sn);
}

static void
case_write_echo(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg	q, r;
	uint8_t		data[4] = { 1, 2, 3, 4 };

	req_init(&q, VFIO_USER_REGION_WRITE, 1);
	q.u.region_access.offset = 0x20;
	q.u.region_access.data = data;
	q.u.region_access.data_len = 4;
	vfu_msg_autofill(&q);
	tx(s, &q, 0);
	rep_init(&r, &q);
	r.u.region_access.offset = 0x20;
	r.u.region_access.count = bad ? 8 : 4;
	rx(s, &r, 0, sn);
}

static void
case_xfer_max(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg m;

	s->client_caps.max_data_xfer_size = 4096;
	session_dma_add(s, 0, 0x100000, VFIO_USER_F_DMA_REGION_READ, 0);
	vfu_msg_init(&m, VFIO_USER_DMA_READ, 0, 3);
	m.u.dma_access.count = bad ? 8192 : 4096;
	rx(s, &m, 0, sn);
}

static void
case_dma_mapped(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg q, r, m;

	req_init(&q, VFIO_USER_DMA_MAP, 1);
	q.u.dma_map.flags = VFIO_USER_F_DMA_REGION_READ |
	    VFIO_USER_F_DMA_REGION_WRITE;
	q.u.dma_map.address = 0x10000;
	q.u.dma_map.size = 0x1000;
	vfu_msg_autofill(&q);
	tx(s, &q, 0);
	rep_init(&r, &q);
	rx(s, &r, 0, sn);
	vfu_msg_init(&m, VFIO_USER_DMA_READ, 0, 3);
	m.u.dma_access.address = bad ? 0x10ff8 : 0x10ff0;
	m.u.dma_access.count = 16;
	rx(s, &m, 0, sn);
}

static void
case_dma_perm(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg	m;
	uint8_t		data[8] = { 0 };

	session_dma_add(s, 0x10000, 0x1000, VFIO_USER_F_DMA_REGION_READ |
	    (bad ? 0 : VFIO_USER_F_DMA_REGION_WRITE), 1);
	vfu_msg_init(&m, VFIO_USER_DMA_WRITE, 0, 3);
	m.u.dma_access.address = 0x10000;
	m.u.dma_access.data = data;
	m.u.dma_access.data_len = sizeof(data);
	vfu_msg_autofill(&m);
	rx(s, &m, 0, sn);
}

static void
write_multi_rx(struct session *s, int wm, uint32_t count, struct seen *sn)
{
	struct vfu_msg			m;
	struct vfu_write_multi_entry	w[2];

	s->role = SESSION_SERVER;
	s->negotiated = 1;
	s->server_caps.write_multiple = wm;
	memset(w, 0, sizeof(w));
	w[0].count = 4;
	w[1].count = count;
	vfu_msg_init(&m, VFIO_USER_REGION_WRITE_MULTI, 0, 1);
	m.hdr.flags |= VFIO_USER_F_NO_REPLY;
	m.u.write_multi.wrs = w;
	m.u.write_multi.nwrs = 2;
	vfu_msg_autofill(&m);
	rx(s, &m, 0, sn);
}

static void
case_wm_negotiated(struct session *s, int bad, struct seen *sn)
{
	write_multi_rx(s, !bad, 8, sn);
}

static void
case_wm_entry(struct session *s, int bad, struct seen *sn)
{
	write_multi_rx(s, 1, bad ? 9 : 8, sn);
}

static void
case_wm_count(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg			q, r;
	struct vfu_write_multi_entry	w[2];

	memset(w, 0, sizeof(w));
	w[0].count = w[1].count = 4;
	req_init(&q, VFIO_USER_REGION_WRITE_MULTI, 1);
	q.u.write_multi.wrs = w;
	q.u.write_multi.nwrs = 2;
	vfu_msg_autofill(&q);
	tx(s, &q, 0);
	rep_init(&r, &q);
	r.u.write_multi.wr_cnt = bad ? 3 : 2;
	rx(s, &r, 0, sn);
}

static void
feature_get(struct session *s, uint32_t feature, struct vfu_msg *r,
    struct vfu_msg *q)
{
	req_init(q, VFIO_USER_DEVICE_FEATURE, 1);
	q->u.feature.flags = feature | VFIO_DEVICE_FEATURE_GET;
	vfu_msg_autofill(q);
	tx(s, q, 0);
	rep_init(r, q);
	r->u.feature.flags = q->u.feature.flags;
}

static void
case_feat_echo(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg q, r;

	req_init(&q, VFIO_USER_DEVICE_FEATURE, 1);
	q.u.feature.flags = VFIO_DEVICE_FEATURE_MIGRATION |
	    VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_GET;
	vfu_msg_autofill(&q);
	tx(s, &q, 0);
	rep_init(&r, &q);
	r.u.feature.argsz = q.u.feature.argsz;
	r.u.feature.flags = q.u.feature.flags;
	if (bad)
		r.u.feature.flags &= ~VFIO_DEVICE_FEATURE_GET;
	rx(s, &r, 0, sn);
}

static void
case_feat_get_argsz(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg q, r;

	feature_get(s, VFIO_DEVICE_FEATURE_MIGRATION, &r, &q);
	r.u.feature.form = VFU_FEATURE_DATA_MIGRATION;
	r.u.feature.mig_flags = VFIO_MIGRATION_STOP_COPY;
	vfu_msg_autofill(&r);
	if (bad)
		r.u.feature.argsz = 12;
	rx(s, &r, 0, sn);
}

static void
case_mig_stop_copy(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg q, r;

	feature_get(s, VFIO_DEVICE_FEATURE_MIGRATION, &r, &q);
	r.u.feature.form = VFU_FEATURE_DATA_MIGRATION;
	r.u.feature.mig_flags = bad ? VFIO_MIGRATION_PRE_COPY :
	    VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_PRE_COPY;
	vfu_msg_autofill(&r);
	rx(s, &r, 0, sn);
}

static void
case_mig_state(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg q, r;

	feature_get(s, VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, &r, &q);
	r.u.feature.form = VFU_FEATURE_DATA_MIG_STATE;
	r.u.feature.device_state = bad ? VFIO_DEVICE_STATE_RUNNING_P2P :
	    VFIO_DEVICE_STATE_RUNNING;
	vfu_msg_autofill(&r);
	rx(s, &r, 0, sn);
}

static void
case_report_outside(struct session *s, int bad, struct seen *sn)
{
	struct vfu_msg	q, r;
	uint64_t	bitmap[1] = { 0x5 };

	req_init(&q, VFIO_USER_DEVICE_FEATURE, 1);
	q.u.feature.flags = VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT |
	    VFIO_DEVICE_FEATURE_GET;
	q.u.feature.form = VFU_FEATURE_DATA_LOGGING_REPORT;
	q.u.feature.iova = 0x100000;
	q.u.feature.length = 8 * 4096;		/* 8 pages: bits 0-7 */
	q.u.feature.page_size = 4096;
	vfu_msg_autofill(&q);
	tx(s, &q, 0);
	rep_init(&r, &q);
	r.u.feature = q.u.feature;
	if (bad)
		bitmap[0] |= 1ull << 8;
	r.u.feature.bitmap = bitmap;
	r.u.feature.bitmap_words = 1;
	vfu_msg_autofill(&r);
	rx(s, &r, 0, sn);
}

static void
mig_read_xchg(struct session *s, uint32_t size, size_t ndata, int argsz_off,
    struct seen *sn)
{
	struct vfu_msg	q, r;
	uint8_t		data[64] = { 0 };

	req_init(&q, VFIO_USER_MIG_DATA_READ, 1);
	q.u.mig_data.size = 32;
	vfu_msg_autofill(&q);
	tx(s, &q, 0);
	rep_init(&r, &q);
	r.u.mig_data.data = data;
	r.u.mig_data.data_len = ndata;
	vfu_msg_autofill(&r);
	r.u.mig_data.size = size;
	r.u.mig_data.argsz = (uint32_t)(8 + ndata + argsz_off);
	rx(s, &r, 0, sn);
}

static void
case_migread_size(struct session *s, int bad, struct seen *sn)
{
	mig_read_xchg(s, bad ? 48 : 16, bad ? 48 : 16, 0, sn);
}

static void
case_migread_argsz(struct session *s, int bad, struct seen *sn)
{
	mig_read_xchg(s, 16, 16, bad ? 4 : 0, sn);
}

typedef void case_fn(struct session *, int, struct seen *);

static const struct {
	const char	*id;
	case_fn		*fn;
} cases[] = {
	{ "header.type-valid",			case_type_valid },
	{ "header.reply-bit",			case_reply_bit },
	{ "header.msg-id-echo",			case_msg_id },
	{ "header.command-echo",		case_command_echo },
	{ "header.no-reply",			case_no_reply },
	{ "header.error-reply-header-only",	case_error_only },
	{ "header.error-reserved",		case_error_reserved },
	{ "header.reply-order",			case_reply_order },
	{ "header.msg-size",			case_msg_size },
	{ "message.well-formed",		case_well_formed },
	{ "command.direction",			case_direction },
	{ "caps.max-msg-fds",			case_max_fds },
	{ "version.first",			case_ver_first },
	{ "version.major-same",			case_ver_major },
	{ "version.minor-not-higher",		case_ver_minor },
	{ "version.caps-json",			case_ver_json },
	{ "version.caps-subset",		case_ver_subset },
	{ "version.twin-socket",		case_ver_twin },
	{ "reply.argsz-limit",			case_argsz_limit },
	{ "reply.argsz-full-size",		case_argsz_full },
	{ "reply.no-payload",			case_no_payload },
	{ "dma-unmap.reply-echo",		case_unmap_echo },
	{ "dma-unmap.exact-match",		case_unmap_match },
	{ "dma-map.offset-zero",		case_map_offset },
	{ "device-info.pci",			case_info_pci },
	{ "region-info.index-echo",		case_region_index },
	{ "region-info.mmap-fd",		case_mmap_fd },
	{ "region-info.caps-flag",		case_caps_flag },
	{ "io-fds.fd-present",			case_iofds_fd },
	{ "io-fds.fd-index",			case_iofds_fd_index },
	{ "io-fds.flags-zero",			case_iofds_flags },
	{ "io-fds.index-echo",			case_iofds_index },
	{ "irq-info.index-echo",		case_irq_index },
	{ "request.fields-zero",		case_fields_zero },
	{ "region-read.reply-echo",		case_read_echo },
	{ "region-read.reply-count",		case_read_count },
	{ "region-write.reply-echo",		case_write_echo },
	{ "access.max-data-xfer-size",		case_xfer_max },
	{ "dma.address-mapped",			case_dma_mapped },
	{ "dma.permission",			case_dma_perm },
	{ "write-multi.negotiated",		case_wm_negotiated },
	{ "write-multi.entry-count",		case_wm_entry },
	{ "write-multi.reply-count",		case_wm_count },
	{ "feature.reply-echo",			case_feat_echo },
	{ "feature.get-argsz",			case_feat_get_argsz },
	{ "migration.stop-copy",		case_mig_stop_copy },
	{ "migration.state-valid",		case_mig_state },
	{ "dma-logging.report-outside-zero",	case_report_outside },
	{ "mig-data-read.size",			case_migread_size },
	{ "mig-data-read.argsz",		case_migread_argsz },
};
#define NCASES	(sizeof(cases) / sizeof(cases[0]))

/* A negotiated client-role session with the usual proposal. */
static void
session_setup(struct session *s)
{
	session_init(s, SESSION_CLIENT);
	caps_init(&s->client_caps);
	s->client_caps.max_msg_fds = 8;
	s->negotiated = 1;
}

/* Runs case i keeping (bad 0) or breaking (bad 1) its rule. */
static void
run_case(int i, int bad)
{
	struct session	s;
	struct seen	sn;
	int		j;
	char		all[4096] = "";

	memset(&sn, 0, sizeof(sn));
	session_setup(&s);
	cases[i].fn(&s, bad, &sn);
	session_free(&s);
	for (j = 0; j < sn.n; j++) {
		strncat(all, " ", sizeof(all) - strlen(all) - 1);
		strncat(all, sn.ids[j], sizeof(all) - strlen(all) - 1);
	}
	if (bad)
		ck_assert_msg(has(&sn, cases[i].id), "%s: breaking case not "
		    "reported (findings:%s)", cases[i].id, all);
	else
		ck_assert_msg(sn.n == 0, "%s: keeping case reported:%s",
		    cases[i].id, all);
}

START_TEST(test_lint_received_keeps_rule)
{
	run_case(_i, 0);
}
END_TEST

START_TEST(test_lint_received_breaks_rule)
{
	run_case(_i, 1);
}
END_TEST

START_TEST(test_lint_rules_all_have_cases)
{
	const struct rule *r;
	size_t	n, i, j;

	r = lint_rules(&n);
	ck_assert_uint_gt(n, 40);
	for (i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(r[i].id);
		if (r[i].behaviour)	/* proven by tests/selftest/faults.sh */
			continue;
		for (j = 0; j < NCASES; j++)
			if (strcmp(cases[j].id, r[i].id) == 0)
				break;
		ck_assert_msg(j < NCASES, "rule %s has no test case", r[i].id);
		ck_assert_ptr_nonnull(r[i].sentence);
		ck_assert_ptr_nonnull(r[i].section);
		ck_assert_ptr_eq(lint_rule_find(r[i].id), &r[i]);
	}
	for (j = 0; j < NCASES; j++)
		ck_assert_msg(lint_rule_find(cases[j].id) != NULL,
		    "case for unknown rule %s", cases[j].id);
}
END_TEST

START_TEST(test_lint_received_runt_message)
{
	struct session	s;
	struct seen	sn;
	static const uint8_t b[8];

	memset(&sn, 0, sizeof(sn));
	session_setup(&s);
	rx_raw(&s, b, sizeof(b), 0, &sn);
	ck_assert(has(&sn, "message.well-formed"));
	session_free(&s);
}
END_TEST

START_TEST(test_lint_received_updates_session)
{
	struct session	s;
	struct seen	sn;
	struct vfu_msg	q, r;

	memset(&sn, 0, sizeof(sn));
	session_setup(&s);
	req_init(&q, VFIO_USER_DMA_MAP, 1);
	q.u.dma_map.flags = VFIO_USER_F_DMA_REGION_READ;
	q.u.dma_map.address = 0x4000;
	q.u.dma_map.size = 0x2000;
	vfu_msg_autofill(&q);
	tx(&s, &q, 1);
	ck_assert_uint_eq(s.npending, 1);
	rep_init(&r, &q);
	rx(&s, &r, 0, &sn);
	ck_assert_uint_eq(s.npending, 0);
	ck_assert_uint_eq(s.ndma, 1);
	ck_assert_ptr_nonnull(session_dma_find(&s, 0x5000, 0x1000));
	ck_assert_ptr_null(session_dma_find(&s, 0x5000, 0x1001));
	req_init(&q, VFIO_USER_DMA_UNMAP, 2);
	q.u.dma_unmap.address = 0x4000;
	q.u.dma_unmap.size = 0x2000;
	vfu_msg_autofill(&q);
	tx(&s, &q, 0);
	rep_init(&r, &q);
	r.u.dma_unmap = q.u.dma_unmap;
	rx(&s, &r, 0, &sn);
	ck_assert_uint_eq(s.ndma, 0);
	ck_assert_int_eq(sn.n, 0);
	session_free(&s);
}
END_TEST

static Suite *
lint_suite(void)
{
	Suite	*s = suite_create("lint");
	TCase	*tc = tcase_create("rules");

	tcase_add_loop_test(tc, test_lint_received_keeps_rule, 0, NCASES);
	tcase_add_loop_test(tc, test_lint_received_breaks_rule, 0, NCASES);
	tcase_add_test(tc, test_lint_rules_all_have_cases);
	tcase_add_test(tc, test_lint_received_runt_message);
	tcase_add_test(tc, test_lint_received_updates_session);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(lint_suite());
	int	 nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
