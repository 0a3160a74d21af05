/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check_refdev: drives vfu-refdev's connection code over a socketpair.  Each
 * test forks a child that serves one end with refdev_serve(); the test talks
 * to the other end, building requests with the codec and decoding the
 * replies with it.  The "faults" case runs one short probe per fault against
 * a clean and a faulty server and checks that what came back differs.
 */
#include "config.h"

#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "caps.h"
#include "codec.h"
#include "diag.h"
#include "proto.h"
#include "refdev-conn.h"
#include "refdev-dev.h"
#include "refdev-fault.h"
#include "transport.h"

#define GUEST_BASE	0x100000u
#define GUEST_SIZE	0x10000u
#define NO_REPLY	(-1)

struct t {
	pid_t		 pid[2];
	struct vfu_conn	 c;		/* to the server */
	struct vfu_conn	 c2;		/* second connection (disconnect) */
	struct vfu_conn	 twin;
	uint16_t	 id;
	int		 timeout;	/* ms per reply */
	uint8_t		 guest[GUEST_SIZE];	/* fd-less DMA target */
	unsigned	 dma_reqs;	/* DMA_READ/WRITE served */
	struct wbuf	 log;		/* everything received */
	struct vfu_frame f;		/* the last reply */
	struct vfu_msg	 r;
	int		 have_r;
	int		 probing;	/* a fault probe: helpers do not assert */
};

static const char def_caps[] = "{\"capabilities\":{\"max_msg_fds\":8,"
    "\"max_data_xfer_size\":1048576,\"pgsizes\":4096,\"max_dma_maps\":4,"
    "\"write_multiple\":true}}";

/* Serves sv (and then sv2, if not -1) with a device carrying faults. */
static pid_t
spawn(const char *fault, int sv, int sv2, int close1, int close2)
{
	struct refdev_faultset	 fs;
	struct refdev		*dev;
	pid_t			 pid;
	int			 f;

	refdev_faultset_clear(&fs);
	if (fault != NULL) {
		f = refdev_fault_lookup(fault);
		ck_assert_int_ge(f, 0);
		refdev_faultset_add(&fs, (enum refdev_fault)f);
	}
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(close1);
		if (close2 != -1)
			close(close2);
		if ((dev = refdev_new(&fs)) == NULL)
			_exit(3);
		(void)refdev_serve(dev, sv, -1, NULL);
		if (sv2 != -1)
			(void)refdev_serve(dev, sv2, -1, NULL);
		refdev_free(dev);
		_exit(0);
	}
	close(sv);
	if (sv2 != -1)
		close(sv2);
	return (pid);
}

static void
t_start2(struct t *t, const char *fault, int two)
{
	struct vfu_conn	s, s2;

	memset(t, 0, sizeof(*t));
	t->twin.fd = -1;
	t->c2.fd = -1;
	t->timeout = 2000;
	wbuf_init(&t->log, 64u << 20);
	ck_assert_int_eq(transport_socketpair(&t->c, &s, NULL), 0);
	if (two) {
		ck_assert_int_eq(transport_socketpair(&t->c2, &s2, NULL), 0);
		t->pid[0] = spawn(fault, s.fd, s2.fd, t->c.fd, t->c2.fd);
	} else
		t->pid[0] = spawn(fault, s.fd, -1, t->c.fd, -1);
	t->pid[1] = -1;
}

static void
t_start(struct t *t, const char *fault)
{
	t_start2(t, fault, 0);
}

static void
t_release(struct t *t)
{
	if (t->have_r)
		vfu_msg_release(&t->r);
	t->have_r = 0;
	transport_frame_release(&t->f);
}

/* Closes our ends and reaps the server; returns its wait status. */
static int
t_stop(struct t *t)
{
	int	st = 0, i;

	t_release(t);
	transport_close(&t->c);
	transport_close(&t->c2);
	transport_close(&t->twin);
	for (i = 0; i < 300; i++) {
		if (waitpid(t->pid[0], &st, WNOHANG) == t->pid[0])
			break;
		usleep(10000);
	}
	if (i == 300) {
		kill(t->pid[0], SIGKILL);
		waitpid(t->pid[0], &st, 0);
	}
	wbuf_free(&t->log);
	return (st);
}

static void
logbytes(struct t *t, const void *p, size_t n)
{
	wbuf_bytes(&t->log, p, n);
}

static void
send_msg(struct t *t, struct vfu_msg *m, const int *fds, size_t nfds)
{
	struct wbuf	wb;
	struct diag	d;
	enum vfu_io	io;
	uint8_t		b = 0xdd;

	wbuf_init(&wb, 1u << 24);

	ck_assert_int_eq(vfu_msg_encode(m, &wb, VFU_ENC_AUTO_SIZE, &d), 0);
	io = transport_send(&t->c, wb.p, wb.len, fds, nfds,
	    transport_deadline(2000), NULL);
	if (t->probing && io != VFU_IO_OK)
		logbytes(t, &b, 1);
	else
		ck_assert_int_eq(io, VFU_IO_OK);
	wbuf_free(&wb);
}

static void
send_raw(struct t *t, const void *p, size_t len)
{
	ck_assert_int_eq(transport_send(&t->c, p, len, NULL, 0,
	    transport_deadline(2000), NULL), VFU_IO_OK);
}

/* Answers one server DMA request from t->guest. */
static void
serve_dma(struct t *t, struct vfu_conn *ch, struct vfu_frame *f)
{
	struct vfu_msg	m, r;
	struct wbuf	wb;
	uint64_t	off = 0;
	int		ok;

	ck_assert_int_eq(vfu_msg_decode(f->buf, f->len, &m, NULL), 0);
	t->dma_reqs++;
	ok = m.u.dma_access.address >= GUEST_BASE &&
	    m.u.dma_access.count <= GUEST_SIZE &&
	    m.u.dma_access.address - GUEST_BASE <=
	    GUEST_SIZE - m.u.dma_access.count;
	if (ok)
		off = m.u.dma_access.address - GUEST_BASE;
	wbuf_init(&wb, 1u << 24);
	if (!ok)
		ck_assert_int_eq(vfu_msg_encode_error(m.hdr.msg_id,
		    m.hdr.command, EFAULT, &wb, NULL), 0);
	else {
		vfu_msg_init(&r, m.hdr.command, 1, m.hdr.msg_id);
		r.u.dma_access.address = m.u.dma_access.address;
		r.u.dma_access.count = m.u.dma_access.count;
		r.u.dma_access.count_size = 8;
		if (m.hdr.command == VFIO_USER_DMA_READ) {
			r.u.dma_access.data = t->guest + off;
			r.u.dma_access.data_len = m.u.dma_access.count;
		} else
			memcpy(t->guest + off, m.u.dma_access.data,
			    m.u.dma_access.count);
		ck_assert_int_eq(vfu_msg_encode(&r, &wb, VFU_ENC_AUTO_SIZE,
		    NULL), 0);
	}
	ck_assert_int_eq(transport_send(ch, wb.p, wb.len, NULL, 0,
	    transport_deadline(2000), NULL), VFU_IO_OK);
	wbuf_free(&wb);
	vfu_msg_release(&m);
}

/*
 * Waits for the next reply on the main socket, serving DMA requests that
 * arrive on either socket meanwhile.  Returns the errno of the reply (0 for
 * success) or NO_REPLY.  The reply stays in t->f / t->r.
 */
static int
get_reply(struct t *t)
{
	struct pollfd	 pfd[2];
	struct vfu_frame f;
	struct vfu_hdr	 h;
	struct vfu_conn	*ch;
	enum vfu_io	 io;
	int64_t		 deadline = transport_deadline(t->timeout);
	uint8_t		 b;
	int		 n;

	t_release(t);
	for (;;) {
		pfd[0].fd = t->c.fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = t->twin.fd;
		pfd[1].events = POLLIN;
		n = (int)(deadline - transport_now_ms());
		if (n <= 0 || poll(pfd, 2, n) <= 0) {
			b = 0xee;
			logbytes(t, &b, 1);
			return (NO_REPLY);
		}
		ch = (pfd[1].revents & POLLIN) ? &t->twin : &t->c;
		io = transport_recv(ch, &f, deadline, NULL);
		if (io != VFU_IO_OK) {
			b = 0xe0 + (uint8_t)io;
			logbytes(t, &b, 1);
			if (ch == &t->c)
				return (NO_REPLY);
			transport_close(&t->twin);
			continue;
		}
		logbytes(t, f.buf, f.len);
		b = (uint8_t)f.nfds;
		logbytes(t, &b, 1);
		ck_assert_int_eq(vfu_hdr_decode(f.buf, f.len, &h, NULL), 0);
		if (!vfu_hdr_is_reply(&h) && (h.command == VFIO_USER_DMA_READ ||
		    h.command == VFIO_USER_DMA_WRITE)) {
			b = ch == &t->twin ? 't' : 'm';
			logbytes(t, &b, 1);
			serve_dma(t, ch, &f);
			transport_frame_release(&f);
			continue;
		}
		break;
	}
	t->f = f;
	t->have_r = vfu_msg_decode(f.buf, f.len, &t->r, NULL) == 0;
	if (!t->have_r)
		memset(&t->r, 0, sizeof(t->r));
	t->r.hdr = h;
	if (h.flags & VFIO_USER_F_ERROR)
		return (h.error != 0 ? (int)h.error : 255);
	return (0);
}

static int
rpc(struct t *t, struct vfu_msg *m, const int *fds, size_t nfds)
{
	send_msg(t, m, fds, nfds);
	return (get_reply(t));
}

static void
init(struct t *t, struct vfu_msg *m, uint16_t cmd)
{
	vfu_msg_init(m, cmd, 0, t->id++);
}

static int
version(struct t *t, const char *json, uint16_t major, uint16_t minor)
{
	struct vfu_msg	m;

	init(t, &m, VFIO_USER_VERSION);
	m.u.version.major = major;
	m.u.version.minor = minor;
	if (json != NULL) {
		m.u.version.data = (const uint8_t *)json;
		m.u.version.data_len = strlen(json) + 1;
	}
	return (rpc(t, &m, NULL, 0));
}

static void
negotiate(struct t *t)
{
	int	err = version(t, def_caps, 0, 0);

	if (!t->probing)
		ck_assert_int_eq(err, 0);
}

static int
region_read(struct t *t, uint32_t region, uint64_t off, uint32_t count,
    void *out)
{
	struct vfu_msg	m;
	int		err;

	init(t, &m, VFIO_USER_REGION_READ);
	m.u.region_access.offset = off;
	m.u.region_access.region = region;
	m.u.region_access.count = count;
	err = rpc(t, &m, NULL, 0);
	if (err == 0 && out != NULL && t->probing && (!t->have_r ||
	    t->r.u.region_access.data_len != count))
		return (EIO);
	if (err == 0 && out != NULL) {
		ck_assert(t->have_r);
		ck_assert_uint_eq(t->r.u.region_access.data_len, count);
		memcpy(out, t->r.u.region_access.data, count);
	}
	return (err);
}

static uint32_t
read32(struct t *t, uint32_t region, uint64_t off)
{
	uint32_t	v = 0;
	int		err = region_read(t, region, off, 4, &v);

	if (!t->probing)
		ck_assert_int_eq(err, 0);
	return (v);
}

static int
region_write(struct t *t, uint32_t region, uint64_t off, const void *p,
    uint32_t count)
{
	struct vfu_msg	m;

	init(t, &m, VFIO_USER_REGION_WRITE);
	m.u.region_access.offset = off;
	m.u.region_access.region = region;
	m.u.region_access.count = count;
	m.u.region_access.data = p;
	m.u.region_access.data_len = count;
	return (rpc(t, &m, NULL, 0));
}

static int
write32(struct t *t, uint32_t region, uint64_t off, uint32_t v)
{
	return (region_write(t, region, off, &v, 4));
}

static int
dma_map(struct t *t, uint64_t addr, uint64_t size, uint32_t flags, int fd,
    uint64_t offset)
{
	struct vfu_msg	m;

	init(t, &m, VFIO_USER_DMA_MAP);
	m.u.dma_map.argsz = VFIO_USER_DMA_MAP_SIZE;
	m.u.dma_map.flags = flags;
	m.u.dma_map.offset = offset;
	m.u.dma_map.address = addr;
	m.u.dma_map.size = size;
	return (rpc(t, &m, fd == -1 ? NULL : &fd, fd == -1 ? 0 : 1));
}

static int
dma_unmap(struct t *t, uint64_t addr, uint64_t size)
{
	struct vfu_msg	m;

	init(t, &m, VFIO_USER_DMA_UNMAP);
	m.u.dma_unmap.argsz = VFIO_USER_DMA_UNMAP_SIZE;
	m.u.dma_unmap.address = addr;
	m.u.dma_unmap.size = size;
	return (rpc(t, &m, NULL, 0));
}

static int
set_irqs(struct t *t, uint32_t flags, uint32_t index, uint32_t start,
    uint32_t count, const int *fds, size_t nfds, const uint8_t *bools)
{
	struct vfu_msg	m;

	init(t, &m, VFIO_USER_DEVICE_SET_IRQS);
	m.u.irq_set.argsz = VFIO_USER_IRQ_SET_SIZE + (bools ? count : 0);
	m.u.irq_set.flags = flags;
	m.u.irq_set.index = index;
	m.u.irq_set.start = start;
	m.u.irq_set.count = count;
	m.u.irq_set.data = bools;
	m.u.irq_set.data_len = bools ? count : 0;
	return (rpc(t, &m, fds, nfds));
}

static int
simple(struct t *t, uint16_t cmd, uint32_t argsz, uint32_t index)
{
	struct vfu_msg	m;

	init(t, &m, cmd);
	switch (cmd) {
	case VFIO_USER_DEVICE_GET_INFO:
		m.u.device_info.argsz = argsz;
		break;
	case VFIO_USER_DEVICE_GET_REGION_INFO:
		m.u.region_info.argsz = argsz;
		m.u.region_info.index = index;
		break;
	case VFIO_USER_DEVICE_GET_REGION_IO_FDS:
		m.u.region_io_fds.argsz = argsz;
		m.u.region_io_fds.index = index;
		break;
	case VFIO_USER_DEVICE_GET_IRQ_INFO:
		m.u.irq_info.argsz = argsz;
		m.u.irq_info.index = index;
		break;
	}
	return (rpc(t, &m, NULL, 0));
}

static int
feature(struct t *t, uint32_t flags, enum vfu_feature_data form,
    uint32_t argsz, struct vfu_device_feature *in)
{
	struct vfu_msg	m;

	init(t, &m, VFIO_USER_DEVICE_FEATURE);
	if (in != NULL)
		m.u.feature = *in;
	m.u.feature.argsz = argsz;
	m.u.feature.flags = flags;
	m.u.feature.form = form;
	return (rpc(t, &m, NULL, 0));
}

static int
mig_set(struct t *t, uint32_t state)
{
	struct vfu_device_feature f;

	memset(&f, 0, sizeof(f));
	f.device_state = state;
	return (feature(t, VFIO_DEVICE_FEATURE_SET |
	    VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, VFU_FEATURE_DATA_MIG_STATE,
	    16, &f));
}

static uint32_t
mig_get(struct t *t)
{
	int	err = feature(t, VFIO_DEVICE_FEATURE_GET |
	    VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, VFU_FEATURE_DATA_NONE, 16,
	    NULL);

	if (t->probing)
		return (err == 0 && t->have_r ? t->r.u.feature.device_state :
		    0xffff);
	ck_assert_int_eq(err, 0);
	ck_assert(t->have_r);
	return (t->r.u.feature.device_state);
}

static int
mig_read(struct t *t, uint32_t size, uint8_t *out, uint32_t *got)
{
	struct vfu_msg	m;
	int		err;

	init(t, &m, VFIO_USER_MIG_DATA_READ);
	m.u.mig_data.argsz = VFIO_USER_MIG_DATA_SIZE + size;
	m.u.mig_data.size = size;
	if ((err = rpc(t, &m, NULL, 0)) == 0) {
		if (t->probing && !t->have_r)
			return (EIO);
		ck_assert(t->have_r);
		*got = t->r.u.mig_data.size;
		ck_assert_uint_eq(t->r.u.mig_data.data_len, *got);
		if (*got > 0)
			memcpy(out, t->r.u.mig_data.data, *got);
	}
	return (err);
}

static int
mig_write(struct t *t, const uint8_t *p, uint32_t size)
{
	struct vfu_msg	m;

	init(t, &m, VFIO_USER_MIG_DATA_WRITE);
	m.u.mig_data.argsz = VFIO_USER_MIG_DATA_SIZE;
	m.u.mig_data.size = size;
	m.u.mig_data.data = p;
	m.u.mig_data.data_len = size;
	return (rpc(t, &m, NULL, 0));
}

static uint64_t
efd_take(int fd)
{
	uint64_t	v = 0;

	if (read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		return (0);
	return (v);
}

static int
new_efd(void)
{
	int	fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	return (fd);
}

static int
new_memfd(size_t size)
{
	int	fd = memfd_create("guest", MFD_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
	return (fd);
}

static int
raise_irq(struct t *t, uint32_t index, uint32_t vector)
{
	return (write32(t, 0, REFDEV_REG_IRQ_RAISE, index << 16 | vector));
}

static uint32_t
dma_run(struct t *t, uint64_t addr, uint32_t devoff, uint32_t len, int dir)
{
	int	err = 0;

	err |= write32(t, 0, REFDEV_REG_DMA_ADDR, (uint32_t)addr);
	err |= write32(t, 0, REFDEV_REG_DMA_ADDR + 4, (uint32_t)(addr >> 32));
	err |= write32(t, 0, REFDEV_REG_DMA_LEN, len);
	err |= write32(t, 0, REFDEV_REG_DMA_DEVOFF, devoff);
	err |= write32(t, 0, REFDEV_REG_DMA_CTRL, (uint32_t)dir);
	if (!t->probing)
		ck_assert_int_eq(err, 0);
	return (read32(t, 0, REFDEV_REG_DMA_STATUS));
}

/* ---- negotiation ------------------------------------------------------- */

START_TEST(test_version_reply_subset)
{
	struct t	t;
	struct vfu_caps	prop, rep;
	char		buf[512];

	t_start(&t, NULL);
	negotiate(&t);
	ck_assert(t.have_r);
	ck_assert_uint_eq(t.r.u.version.major, 0);
	ck_assert_uint_eq(t.r.u.version.minor, 0);
	ck_assert_int_eq(caps_parse(def_caps, sizeof(def_caps), &prop, NULL),
	    0);
	ck_assert_int_eq(caps_parse(t.r.u.version.data,
	    t.r.u.version.data_len, &rep, NULL), 0);
	ck_assert_uint_eq(caps_check_subset(&prop, &rep, buf, sizeof(buf)),
	    0);
	ck_assert_uint_eq(rep.max_dma_maps, 4);
	ck_assert_uint_eq(rep.pgsizes, 4096);
	ck_assert(rep.write_multiple);
	t_stop(&t);
}
END_TEST

START_TEST(test_version_minor_not_higher)
{
	struct t	t;

	t_start(&t, NULL);
	ck_assert_int_eq(version(&t, NULL, 0, 7), 0);
	ck_assert_uint_le(t.r.u.version.minor, 7);
	ck_assert_uint_eq(t.r.u.version.data_len, 0);
	t_stop(&t);
}
END_TEST

START_TEST(test_version_bad_json_einval)
{
	struct t	t;

	t_start(&t, NULL);
	ck_assert_int_eq(version(&t, "{\"capabilities\":", 0, 0), EINVAL);
	ck_assert_uint_eq(t.f.len, VFIO_USER_HDR_SIZE);
	negotiate(&t);		/* a retry is still possible */
	t_stop(&t);
}
END_TEST

START_TEST(test_version_major_closes)
{
	struct t	t;

	t_start(&t, NULL);
	ck_assert_int_eq(version(&t, def_caps, 1, 0), NO_REPLY);
	t_stop(&t);
}
END_TEST

START_TEST(test_version_twice_einval)
{
	struct t	t;

	t_start(&t, NULL);
	negotiate(&t);
	ck_assert_int_eq(version(&t, def_caps, 0, 0), EINVAL);
	t_stop(&t);
}
END_TEST

START_TEST(test_command_before_version_einval)
{
	struct t	t;

	t_start(&t, NULL);
	ck_assert_int_eq(simple(&t, VFIO_USER_DEVICE_GET_INFO, 16, 0), EINVAL);
	t_stop(&t);
}
END_TEST

/* ---- info -------------------------------------------------------------- */

START_TEST(test_device_info_fields)
{
	struct t	t;

	t_start(&t, NULL);
	negotiate(&t);
	ck_assert_int_eq(simple(&t, VFIO_USER_DEVICE_GET_INFO, 16, 0), 0);
	ck_assert_uint_eq(t.r.u.device_info.argsz, 16);
	ck_assert_uint_eq(t.r.u.device_info.flags,
	    VFIO_DEVICE_FLAGS_RESET | VFIO_DEVICE_FLAGS_PCI);
	ck_assert_uint_eq(t.r.u.device_info.num_regions, 10);
	ck_assert_uint_eq(t.r.u.device_info.num_irqs, 5);
	ck_assert_int_eq(simple(&t, VFIO_USER_DEVICE_GET_INFO, 8, 0), EINVAL);
	t_stop(&t);
}
END_TEST

START_TEST(test_region_info_argsz_small_gets_needed)
{
	struct t	t;

	t_start(&t, NULL);
	negotiate(&t);
	ck_assert_int_eq(simple(&t, VFIO_USER_DEVICE_GET_REGION_INFO, 32, 2),
	    0);
	ck_assert_uint_eq(t.r.u.region_info.argsz, 64);
	ck_assert_uint_eq(t.r.u.region_info.flags & VFIO_REGION_INFO_FLAG_CAPS,
	    0);
	ck_assert_uint_eq(t.r.u.region_info.size, REFDEV_BAR2_SIZE);
	ck_assert_uint_eq(t.f.nfds, 1);
	ck_assert_int_eq(simple(&t, VFIO_USER_DEVICE_GET_REGION_INFO, 64, 2),
	    0);
	ck_assert_uint_eq(t.r.u.region_info.cap_offset, 32);
	ck_assert_uint_eq(t.r.u.region_info.ncaps, 1);
	ck_assert_uint_eq(t.r.u.region_info.caps[0].id,
	    VFIO_REGION_INFO_CAP_SPARSE_MMAP);
	ck_assert_uint_eq(t.r.u.region_info.caps[0].nareas, 1);
	ck_assert_uint_eq(t.r.u.region_info.caps[0].areas[0].offset,
	    REFDEV_BAR2_SPARSE_OFF);
	ck_assert_uint_eq(t.f.nfds, 1);
	t_stop(&t);
}
END_TEST

START_TEST(test_region_info_device_specific_type)
{
	struct t	t;

	t_start(&t, NULL);
	negotiate(&t);
	ck_assert_int_eq(simple(&t, VFIO_USER_DEVICE_GET_REGION_INFO, 256,
	    REFDEV_DEVREG_INDEX), 0);
	ck_assert_uint_eq(t.r.u.region_info.ncaps, 1);
	ck_assert_uint_eq(t.r.u.region_info.caps[0].id,
	    VFIO_REGION_INFO_CAP_TYPE);
	ck_assert_uint_eq(t.r.u.region_info.caps[0].type, REFDEV_DEVREG_TYPE);
	ck_assert_uint_eq(t.r.u.region_info.flags, VFIO_REGION_INFO_FLAG_READ |
	    VFIO_REGION_INFO_FLAG_CAPS);
	ck_assert_int_eq(simple(&t, VFIO_USER_DEVICE_GET_REGION_INFO, 32, 10),
	    EINVAL);
	ck_assert_int_eq(simple(&t, VFIO_USER_DEVICE_GET_REGION_INFO, 32, 6),
	    0);
	ck_assert_uint_eq(t.r.u.region_info.size, 0);
	t_stop(&t);
}
END_TEST

START_TEST(test_region_io_fds_doorbell)
{
	struct t	t;
	uint32_t	one = 1;
	int		efd;

	t_start(&t, NULL);
	negotiate(&t);
	ck_assert_int_eq(simple(&t, VFIO_USER_DEVICE_GET_REGION_IO_FDS, 16, 0),
	    0);
	ck_assert_uint_eq(t.r.u.region_io_fds.argsz, 96);
	ck_assert_uint_eq(t.r.u.region_io_fds.count, 2);
	ck_assert_int_eq(simple(&t, VFIO_USER_DEVICE_GET_REGION_IO_FDS, 96, 0),
	    0);
	ck_assert_uint_eq(t.r.u.region_io_fds.nsub, 2);
	ck_assert_uint_eq(t.r.u.region_io_fds.sub_regions[0].offset,
	    REFDEV_REG_DOORBELL0);
	ck_assert_uint_eq(t.f.nfds, 1);
	efd = transport_frame_take_fd(&t.f, 0);
	ck_assert_int_eq(write(efd, &(uint64_t){ 1 }, 8), 8);
	close(efd);
	ck_assert_int_eq(region_write(&t, 0, REFDEV_REG_DOORBELL1, &one, 4), 0);
	ck_assert_uint_eq(read32(&t, 0, REFDEV_REG_DOORBELLS), 2);
	ck_assert_int_eq(simple(&t, VFIO_USER_DEVICE_GET_REGION_IO_FDS, 96, 2),
	    EINVAL);
	t_stop(&t);
}
END_TEST

START_TEST(test_irq_info_each_index)
{
	struct t	t;
	uint32_t	i;
	static const uint32_t counts[] = { 1, 4, 8, 1, 1 };

	t_start(&t, NULL);
	negotiate(&t);
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(simple(&t, VFIO_USER_DEVICE_GET_IRQ_INFO, 16,
		    i), 0);
		ck_assert_uint_eq(t.r.u.irq_info.index, i);
		ck_assert_uint_eq(t.r.u.irq_info.count, counts[i]);
		ck_assert(t.r.u.irq_info.flags & VFIO_IRQ_INFO_EVENTFD);
	}
	ck_assert_int_eq(simple(&t, VFIO_USER_DEVICE_GET_IRQ_INFO, 16, 5),
	    EINVAL);
	t_stop(&t);
}
END_TEST

/* ---- region access ----------------------------------------------------- */

START_TEST(test_region_rw_bar0_registers)
{
	struct t	t;

	t_start(&t, NULL);
	negotiate(&t);
	ck_assert_uint_eq(read32(&t, 0, REFDEV_REG_ID), REFDEV_ID_VALUE);
	ck_assert_int_eq(write32(&t, 0, REFDEV_REG_ID, 0), 0);
	ck_assert_uint_eq(read32(&t, 0, REFDEV_REG_ID), REFDEV_ID_VALUE);
	ck_assert_int_eq(write32(&t, 0, REFDEV_REG_SCRATCH, 0xdeadbeef), 0);
	ck_assert_uint_eq(read32(&t, 0, REFDEV_REG_SCRATCH), 0xdeadbeef);
	ck_assert(t.r.u.region_access.offset == REFDEV_REG_SCRATCH);
	t_stop(&t);
}
END_TEST

START_TEST(test_region_access_bounds_einval)
{
	struct t	t;
	uint8_t		b[8] = { 0 };

	t_start(&t, NULL);
	negotiate(&t);
	ck_assert_int_eq(region_read(&t, 0, REFDEV_BAR0_SIZE - 2, 4, NULL),
	    EINVAL);
	ck_assert_int_eq(region_read(&t, 0, ~0ull, 4, NULL), EINVAL);
	ck_assert_int_eq(region_write(&t, 1, 0, b, 4), EINVAL);
	ck_assert_int_eq(region_read(&t, 10, 0, 4, NULL), EINVAL);
	ck_assert_int_eq(region_write(&t, REFDEV_DEVREG_INDEX, 0, b, 4),
	    EINVAL);
	ck_assert_int_eq(region_read(&t, REFDEV_DEVREG_INDEX, 0, 8, b), 0);
	ck_assert_mem_eq(b, "vfu-refd", 8);
	t_stop(&t);
}
END_TEST

START_TEST(test_region_read_over_max_xfer_e2big)
{
	struct t	t;

	t_start(&t, NULL);
	ck_assert_int_eq(version(&t, "{\"capabilities\":"
	    "{\"max_data_xfer_size\":4096}}", 0, 0), 0);
	ck_assert_int_eq(region_read(&t, 2, 0, 8192, NULL), E2BIG);
	ck_assert_int_eq(region_read(&t, 2, 0, 4096, NULL), 0);
	t_stop(&t);
}
END_TEST

START_TEST(test_config_header_and_bar_sizing)
{
	struct t	t;

	t_start(&t, NULL);
	negotiate(&t);
	ck_assert_uint_eq(read32(&t, 7, 0), REFDEV_VENDOR_ID |
	    REFDEV_DEVICE_ID << 16);
	ck_assert_int_eq(write32(&t, 7, 0, 0xffffffff), 0);
	ck_assert_uint_eq(read32(&t, 7, 0), REFDEV_VENDOR_ID |
	    REFDEV_DEVICE_ID << 16);
	ck_assert_int_eq(write32(&t, 7, 0x10, 0xffffffff), 0);
	ck_assert_uint_eq(read32(&t, 7, 0x10), ~(uint32_t)(REFDEV_BAR0_SIZE -
	    1));
	ck_assert_int_eq(write32(&t, 7, 0x18, 0xffffffff), 0);
	ck_assert_uint_eq(read32(&t, 7, 0x18), ~(uint32_t)(REFDEV_BAR2_SIZE -
	    1) | 8);
	ck_assert_int_eq(write32(&t, 7, 0x14, 0xffffffff), 0);
	ck_assert_uint_eq(read32(&t, 7, 0x14), 0);
	/* capability list: PM -> MSI -> MSI-X -> PCIe */
	ck_assert_uint_eq(read32(&t, 7, 0x34) & 0xff, REFDEV_CAP_PM);
	ck_assert_uint_eq(read32(&t, 7, REFDEV_CAP_PM) & 0xffff,
	    0x01 | REFDEV_CAP_MSI << 8);
	ck_assert_uint_eq(read32(&t, 7, REFDEV_CAP_MSI) & 0xffff,
	    0x05 | REFDEV_CAP_MSIX << 8);
	ck_assert_uint_eq(read32(&t, 7, REFDEV_CAP_MSIX) & 0xffff,
	    0x11 | REFDEV_CAP_EXP << 8);
	ck_assert_uint_eq(read32(&t, 7, REFDEV_CAP_EXP) & 0xffff, 0x10);
	t_stop(&t);
}
END_TEST

START_TEST(test_write_multi_applies)
{
	struct t			t;
	struct vfu_msg			m;
	struct vfu_write_multi_entry	w[2];

	t_start(&t, NULL);
	negotiate(&t);
	memset(w, 0, sizeof(w));
	w[0].offset = REFDEV_REG_SCRATCH;
	w[0].count = 4;
	memcpy(w[0].data, "\x11\x22\x33\x44", 4);
	w[1].offset = 0x800;
	w[1].count = 8;
	memcpy(w[1].data, "abcdefgh", 8);
	init(&t, &m, VFIO_USER_REGION_WRITE_MULTI);
	m.u.write_multi.wr_cnt = 2;
	m.u.write_multi.wrs = w;
	m.u.write_multi.nwrs = 2;
	ck_assert_int_eq(rpc(&t, &m, NULL, 0), 0);
	ck_assert_uint_eq(t.r.u.write_multi.wr_cnt, 2);
	ck_assert_uint_eq(read32(&t, 0, REFDEV_REG_SCRATCH), 0x44332211);
	t_stop(&t);
}
END_TEST

START_TEST(test_write_multi_not_negotiated_enotsup)
{
	struct t			t;
	struct vfu_msg			m;
	struct vfu_write_multi_entry	w;

	t_start(&t, NULL);
	ck_assert_int_eq(version(&t, "{}", 0, 0), 0);
	memset(&w, 0, sizeof(w));
	w.count = 4;
	init(&t, &m, VFIO_USER_REGION_WRITE_MULTI);
	m.u.write_multi.wr_cnt = 1;
	m.u.write_multi.wrs = &w;
	m.u.write_multi.nwrs = 1;
	ck_assert_int_eq(rpc(&t, &m, NULL, 0), ENOTSUP);
	t_stop(&t);
}
END_TEST

/* ---- IRQs -------------------------------------------------------------- */

START_TEST(test_set_irqs_msix_trigger_mask_unmask)
{
	struct t	t;
	int		efd[2];
	uint8_t		bools[2] = { 0, 1 };

	t_start(&t, NULL);
	negotiate(&t);
	efd[0] = new_efd();
	efd[1] = new_efd();
	ck_assert_int_eq(set_irqs(&t, VFIO_IRQ_SET_DATA_EVENTFD |
	    VFIO_IRQ_SET_ACTION_TRIGGER, 2, 3, 2, efd, 2, NULL), 0);
	ck_assert_int_eq(raise_irq(&t, 2, 4), 0);
	ck_assert_uint_eq(efd_take(efd[1]), 1);
	ck_assert_uint_eq(efd_take(efd[0]), 0);
	/* mask vector 4 with DATA_BOOL: raising it now only makes it pending */
	ck_assert_int_eq(set_irqs(&t, VFIO_IRQ_SET_DATA_BOOL |
	    VFIO_IRQ_SET_ACTION_MASK, 2, 3, 2, NULL, 0, bools), 0);
	ck_assert_int_eq(raise_irq(&t, 2, 4), 0);
	ck_assert_uint_eq(efd_take(efd[1]), 0);
	ck_assert_int_eq(set_irqs(&t, VFIO_IRQ_SET_DATA_NONE |
	    VFIO_IRQ_SET_ACTION_UNMASK, 2, 4, 1, NULL, 0, NULL), 0);
	ck_assert_uint_eq(efd_take(efd[1]), 1);
	/* a client-side trigger with DATA_NONE */
	ck_assert_int_eq(set_irqs(&t, VFIO_IRQ_SET_DATA_NONE |
	    VFIO_IRQ_SET_ACTION_TRIGGER, 2, 3, 1, NULL, 0, NULL), 0);
	ck_assert_uint_eq(efd_take(efd[0]), 1);
	/* count 0 + DATA_NONE disables the index */
	ck_assert_int_eq(set_irqs(&t, VFIO_IRQ_SET_DATA_NONE |
	    VFIO_IRQ_SET_ACTION_TRIGGER, 2, 0, 0, NULL, 0, NULL), 0);
	ck_assert_int_eq(raise_irq(&t, 2, 3), 0);
	ck_assert_uint_eq(efd_take(efd[0]), 0);
	close(efd[0]);
	close(efd[1]);
	t_stop(&t);
}
END_TEST

START_TEST(test_set_irqs_intx_automasked_and_mask_eventfd)
{
	struct t	t;
	int		efd, mfd;

	t_start(&t, NULL);
	negotiate(&t);
	efd = new_efd();
	mfd = new_efd();
	ck_assert_int_eq(set_irqs(&t, VFIO_IRQ_SET_DATA_EVENTFD |
	    VFIO_IRQ_SET_ACTION_TRIGGER, 0, 0, 1, &efd, 1, NULL), 0);
	ck_assert_int_eq(set_irqs(&t, VFIO_IRQ_SET_DATA_EVENTFD |
	    VFIO_IRQ_SET_ACTION_UNMASK, 0, 0, 1, &mfd, 1, NULL), 0);
	ck_assert_int_eq(raise_irq(&t, 0, 0), 0);
	ck_assert_uint_eq(efd_take(efd), 1);
	ck_assert_int_eq(raise_irq(&t, 0, 0), 0);	/* automasked */
	ck_assert_uint_eq(efd_take(efd), 0);
	ck_assert_int_eq(set_irqs(&t, VFIO_IRQ_SET_DATA_NONE |
	    VFIO_IRQ_SET_ACTION_UNMASK, 0, 0, 1, NULL, 0, NULL), 0);
	ck_assert_uint_eq(efd_take(mfd), 1);
	ck_assert_uint_eq(efd_take(efd), 1);		/* was pending */
	close(efd);
	close(mfd);
	t_stop(&t);
}
END_TEST

START_TEST(test_set_irqs_invalid_einval)
{
	struct t	t;
	int		efd;

	t_start(&t, NULL);
	negotiate(&t);
	efd = new_efd();
	ck_assert_int_eq(set_irqs(&t, VFIO_IRQ_SET_DATA_NONE |
	    VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER, 2, 0, 1,
	    NULL, 0, NULL), EINVAL);
	ck_assert_int_eq(set_irqs(&t, VFIO_IRQ_SET_DATA_NONE |
	    VFIO_IRQ_SET_ACTION_TRIGGER, 2, 7, 2, NULL, 0, NULL), EINVAL);
	ck_assert_int_eq(set_irqs(&t, VFIO_IRQ_SET_DATA_NONE |
	    VFIO_IRQ_SET_ACTION_MASK, 1, 0, 1, NULL, 0, NULL), EINVAL);
	ck_assert_int_eq(set_irqs(&t, VFIO_IRQ_SET_DATA_EVENTFD |
	    VFIO_IRQ_SET_ACTION_TRIGGER, 2, 0, 2, &efd, 1, NULL), EINVAL);
	ck_assert_int_eq(set_irqs(&t, VFIO_IRQ_SET_DATA_NONE |
	    VFIO_IRQ_SET_ACTION_TRIGGER, 5, 0, 1, NULL, 0, NULL), EINVAL);
	close(efd);
	t_stop(&t);
}
END_TEST

/* ---- DMA ---------------------------------------------------------------- */

START_TEST(test_dma_map_overlap_eexist)
{
	struct t	t;

	t_start(&t, NULL);
	negotiate(&t);
	ck_assert_int_eq(dma_map(&t, 0x100000, 0x2000, 3, -1, 0), 0);
	ck_assert_int_eq(dma_map(&t, 0x101000, 0x2000, 3, -1, 0), EEXIST);
	ck_assert_int_eq(dma_map(&t, 0x102000, 0x1000, 3, -1, 0), 0);
	ck_assert_int_eq(dma_map(&t, 0x200800, 0x1000, 3, -1, 0), EINVAL);
	ck_assert_int_eq(dma_map(&t, 0x200000, 0, 3, -1, 0), EINVAL);
	t_stop(&t);
}
END_TEST

START_TEST(test_dma_unmap_exact_echo)
{
	struct t	t;

	t_start(&t, NULL);
	negotiate(&t);
	ck_assert_int_eq(dma_map(&t, 0x100000, 0x2000, 3, -1, 0), 0);
	ck_assert_int_eq(dma_unmap(&t, 0x100000, 0x1000), ENOENT);
	ck_assert_int_eq(dma_unmap(&t, 0x100000, 0x2000), 0);
	ck_assert_uint_eq(t.r.u.dma_unmap.argsz, VFIO_USER_DMA_UNMAP_SIZE);
	ck_assert_uint_eq(t.r.u.dma_unmap.address, 0x100000);
	ck_assert_uint_eq(t.r.u.dma_unmap.size, 0x2000);
	ck_assert_int_eq(dma_unmap(&t, 0x100000, 0x2000), ENOENT);
	t_stop(&t);
}
END_TEST

START_TEST(test_dma_map_max_maps_enospc)
{
	struct t	t;
	uint64_t	i;

	t_start(&t, NULL);
	negotiate(&t);		/* max_dma_maps 4 */
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(dma_map(&t, 0x100000 + i * 0x1000, 0x1000, 3,
		    -1, 0), 0);
	ck_assert_int_eq(dma_map(&t, 0x200000, 0x1000, 3, -1, 0), ENOSPC);
	ck_assert_int_eq(dma_unmap(&t, 0x100000, 0x1000), 0);
	ck_assert_int_eq(dma_map(&t, 0x200000, 0x1000, 3, -1, 0), 0);
	t_stop(&t);
}
END_TEST

START_TEST(test_dma_engine_through_fd)
{
	struct t	t;
	uint8_t		*g, b[16];
	int		fd;

	t_start(&t, NULL);
	negotiate(&t);
	fd = new_memfd(0x2000);
	g = mmap(NULL, 0x2000, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ck_assert_ptr_ne(g, MAP_FAILED);
	memcpy(g + 0x100, "guest->device!!", 16);
	ck_assert_int_eq(dma_map(&t, 0x40000000, 0x2000, 3, fd, 0), 0);
	close(fd);
	ck_assert_uint_eq(dma_run(&t, 0x40000100, 0x20, 16,
	    REFDEV_DMA_TO_DEVICE), REFDEV_DMA_DONE);
	ck_assert_int_eq(region_read(&t, 2, 0x20, 16, b), 0);
	ck_assert_mem_eq(b, "guest->device!!", 16);
	ck_assert_int_eq(region_write(&t, 2, 0x40, "device->guest!!", 16), 0);
	ck_assert_uint_eq(dma_run(&t, 0x40001000, 0x40, 16,
	    REFDEV_DMA_FROM_DEVICE), REFDEV_DMA_DONE);
	ck_assert_mem_eq(g + 0x1000, "device->guest!!", 16);
	/* outside any mapping: refused, nothing sent */
	ck_assert_uint_eq(dma_run(&t, 0x40002000, 0, 16,
	    REFDEV_DMA_FROM_DEVICE), REFDEV_DMA_ERROR | EFAULT);
	/* after unmap: refused */
	ck_assert_int_eq(dma_unmap(&t, 0x40000000, 0x2000), 0);
	memset(g + 0x1000, 0, 16);
	ck_assert_uint_eq(dma_run(&t, 0x40001000, 0x40, 16,
	    REFDEV_DMA_FROM_DEVICE), REFDEV_DMA_ERROR | EFAULT);
	ck_assert_uint_eq(g[0x1000], 0);
	munmap(g, 0x2000);
	t_stop(&t);
}
END_TEST

START_TEST(test_dma_engine_through_messages)
{
	struct t	t;
	uint8_t		b[32];

	t_start(&t, NULL);
	ck_assert_int_eq(version(&t, "{\"capabilities\":"
	    "{\"max_data_xfer_size\":8}}", 0, 0), 0);
	ck_assert_int_eq(dma_map(&t, GUEST_BASE, GUEST_SIZE, 3, -1, 0), 0);
	memcpy(t.guest + 0x10, "0123456789abcdefghijklmnopqrstu", 32);
	ck_assert_uint_eq(dma_run(&t, GUEST_BASE + 0x10, 0, 32,
	    REFDEV_DMA_TO_DEVICE), REFDEV_DMA_DONE);
	ck_assert_uint_eq(t.dma_reqs, 4);	/* 8-byte chunks */
	ck_assert_uint_eq(dma_run(&t, GUEST_BASE + 0x100, 0, 32,
	    REFDEV_DMA_FROM_DEVICE), REFDEV_DMA_DONE);
	ck_assert_mem_eq(t.guest + 0x100, t.guest + 0x10, 32);
	ck_assert_int_eq(region_read(&t, 2, 0, 8, b), 0);
	ck_assert_mem_eq(b, "01234567", 8);
	t_stop(&t);
}
END_TEST

START_TEST(test_dma_engine_twin_socket)
{
	struct t	t;
	struct vfu_caps	rep;

	t_start(&t, NULL);
	ck_assert_int_eq(version(&t, "{\"capabilities\":{\"twin_socket\":"
	    "{\"supported\":true}}}", 0, 0), 0);
	ck_assert_int_eq(caps_parse(t.r.u.version.data,
	    t.r.u.version.data_len, &rep, NULL), 0);
	ck_assert(rep.twin_supported);
	ck_assert(rep.have & VFU_CAP_HAVE_TWIN_FD_INDEX);
	ck_assert_uint_eq(t.f.nfds, 1);
	transport_init(&t.twin, transport_frame_take_fd(&t.f, 0));
	ck_assert_int_eq(dma_map(&t, GUEST_BASE, GUEST_SIZE, 3, -1, 0), 0);
	memcpy(t.guest, "twin", 4);
	ck_assert_uint_eq(dma_run(&t, GUEST_BASE, 0, 4, REFDEV_DMA_TO_DEVICE),
	    REFDEV_DMA_DONE);
	ck_assert_uint_eq(t.dma_reqs, 1);
	ck_assert_uint_eq(read32(&t, 2, 0), 0x6e697774);
	t_stop(&t);
}
END_TEST

/* ---- framing ------------------------------------------------------------ */

START_TEST(test_no_reply_then_pipelined_in_order)
{
	struct t	t;
	struct vfu_msg	m;
	uint32_t	v = 0x1234;

	t_start(&t, NULL);
	negotiate(&t);
	init(&t, &m, VFIO_USER_REGION_WRITE);
	m.hdr.flags |= VFIO_USER_F_NO_REPLY;
	m.u.region_access.offset = REFDEV_REG_SCRATCH;
	m.u.region_access.count = 4;
	m.u.region_access.data = (const uint8_t *)&v;
	m.u.region_access.data_len = 4;
	send_msg(&t, &m, NULL, 0);
	init(&t, &m, VFIO_USER_DEVICE_GET_INFO);
	m.u.device_info.argsz = 16;
	send_msg(&t, &m, NULL, 0);
	init(&t, &m, VFIO_USER_REGION_READ);
	m.u.region_access.offset = REFDEV_REG_SCRATCH;
	m.u.region_access.count = 4;
	send_msg(&t, &m, NULL, 0);
	ck_assert_int_eq(get_reply(&t), 0);
	ck_assert_uint_eq(t.r.hdr.msg_id, 2);
	ck_assert_uint_eq(t.r.hdr.command, VFIO_USER_DEVICE_GET_INFO);
	ck_assert_int_eq(get_reply(&t), 0);
	ck_assert_uint_eq(t.r.hdr.msg_id, 3);
	ck_assert_mem_eq(t.r.u.region_access.data, &v, 4);
	t.timeout = 200;
	ck_assert_int_eq(get_reply(&t), NO_REPLY);
	t_stop(&t);
}
END_TEST

START_TEST(test_unknown_command_enosys)
{
	struct t	t;
	uint8_t		hdr[16] = { 9, 0, 14, 0, 16, 0, 0, 0 };

	t_start(&t, NULL);
	negotiate(&t);
	send_raw(&t, hdr, sizeof(hdr));
	ck_assert_int_eq(get_reply(&t), ENOSYS);
	ck_assert_uint_eq(t.r.hdr.msg_id, 9);
	hdr[2] = 99;
	send_raw(&t, hdr, sizeof(hdr));
	ck_assert_int_eq(get_reply(&t), ENOSYS);
	hdr[2] = VFIO_USER_DMA_READ;
	send_raw(&t, hdr, sizeof(hdr));
	ck_assert_int_eq(get_reply(&t), ENOSYS);
	t_stop(&t);
}
END_TEST

START_TEST(test_truncated_payload_einval)
{
	struct t	t;
	uint8_t		msg[16 + 8] = { 1, 0, VFIO_USER_DMA_MAP, 0, 24 };

	t_start(&t, NULL);
	negotiate(&t);
	send_raw(&t, msg, sizeof(msg));
	ck_assert_int_eq(get_reply(&t), EINVAL);
	ck_assert_uint_eq(t.f.len, VFIO_USER_HDR_SIZE);
	ck_assert_int_eq(simple(&t, VFIO_USER_DEVICE_GET_INFO, 16, 0), 0);
	t_stop(&t);
}
END_TEST

START_TEST(test_unexpected_fds_einval_and_closed)
{
	struct t	t;
	struct vfu_msg	m;
	int		efd;

	t_start(&t, NULL);
	negotiate(&t);
	efd = new_efd();
	init(&t, &m, VFIO_USER_DEVICE_GET_INFO);
	m.u.device_info.argsz = 16;
	ck_assert_int_eq(rpc(&t, &m, &efd, 1), EINVAL);
	close(efd);
	ck_assert_int_eq(simple(&t, VFIO_USER_DEVICE_GET_INFO, 16, 0), 0);
	t_stop(&t);
}
END_TEST

START_TEST(test_msg_size_lie_closes_cleanly)
{
	struct t	t;
	uint8_t		hdr[16] = { 1, 0, 4, 0, 8, 0, 0, 0 };

	t_start(&t, NULL);
	negotiate(&t);
	send_raw(&t, hdr, sizeof(hdr));		/* msg_size 8 < 16 */
	ck_assert_int_eq(get_reply(&t), NO_REPLY);
	ck_assert_int_eq(WEXITSTATUS(t_stop(&t)), 0);
}
END_TEST

/* ---- reset, disconnect --------------------------------------------------- */

START_TEST(test_reset_restores_registers)
{
	struct t	t;
	struct vfu_msg	m;

	t_start(&t, NULL);
	negotiate(&t);
	ck_assert_int_eq(write32(&t, 0, REFDEV_REG_SCRATCH, 7), 0);
	ck_assert_int_eq(write32(&t, 7, 0x10, 0xffffffff), 0);
	init(&t, &m, VFIO_USER_DEVICE_RESET);
	ck_assert_int_eq(rpc(&t, &m, NULL, 0), 0);
	ck_assert_uint_eq(t.f.len, VFIO_USER_HDR_SIZE);
	ck_assert_uint_eq(read32(&t, 0, REFDEV_REG_SCRATCH), 0);
	ck_assert_uint_eq(read32(&t, 7, 0x10), 0);
	t_stop(&t);
}
END_TEST

START_TEST(test_disconnect_releases_keeps_state)
{
	struct t	t;
	struct vfu_conn	first;
	int		efd;

	t_start2(&t, NULL, 1);
	negotiate(&t);
	efd = new_efd();
	ck_assert_int_eq(set_irqs(&t, VFIO_IRQ_SET_DATA_EVENTFD |
	    VFIO_IRQ_SET_ACTION_TRIGGER, 3, 0, 1, &efd, 1, NULL), 0);
	ck_assert_int_eq(dma_map(&t, 0x100000, 0x1000, 3, -1, 0), 0);
	ck_assert_int_eq(write32(&t, 0, REFDEV_REG_SCRATCH, 0x55), 0);
	first = t.c;
	transport_close(&first);
	t.c = t.c2;		/* the next client */
	t.c2.fd = -1;
	negotiate(&t);
	ck_assert_int_eq(dma_map(&t, 0x100000, 0x1000, 3, -1, 0), 0);
	ck_assert_int_eq(raise_irq(&t, 3, 0), 0);
	ck_assert_uint_eq(efd_take(efd), 0);
	ck_assert_uint_eq(read32(&t, 0, REFDEV_REG_SCRATCH), 0x55);
	close(efd);
	t_stop(&t);
}
END_TEST

/* ---- migration and dirty logging ----------------------------------------- */

START_TEST(test_feature_probe_and_migration_flags)
{
	struct t	t;

	t_start(&t, NULL);
	negotiate(&t);
	ck_assert_int_eq(feature(&t, VFIO_DEVICE_FEATURE_PROBE |
	    VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_MIGRATION,
	    VFU_FEATURE_DATA_NONE, 8, NULL), 0);
	ck_assert_uint_eq(t.f.len, 24);
	ck_assert_int_eq(feature(&t, VFIO_DEVICE_FEATURE_PROBE |
	    VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_MIGRATION,
	    VFU_FEATURE_DATA_NONE, 8, NULL), ENOTSUP);
	ck_assert_int_eq(feature(&t, VFIO_DEVICE_FEATURE_GET |
	    VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
	    VFU_FEATURE_DATA_NONE, 16, NULL), EINVAL);
	ck_assert_int_eq(feature(&t, VFIO_DEVICE_FEATURE_PROBE | 9,
	    VFU_FEATURE_DATA_NONE, 8, NULL), ENOTSUP);
	ck_assert_int_eq(feature(&t, VFIO_DEVICE_FEATURE_GET |
	    VFIO_DEVICE_FEATURE_MIGRATION, VFU_FEATURE_DATA_NONE, 8, NULL), 0);
	/* needed argsz back, no data: read it off the wire */
	ck_assert_uint_eq(t.f.len, 24);
	ck_assert_uint_eq(t.f.buf[16] | t.f.buf[17] << 8, 16);
	ck_assert_int_eq(feature(&t, VFIO_DEVICE_FEATURE_GET |
	    VFIO_DEVICE_FEATURE_MIGRATION, VFU_FEATURE_DATA_NONE, 16, NULL), 0);
	ck_assert_uint_eq(t.r.u.feature.argsz, 16);
	ck_assert_uint_eq(t.r.u.feature.mig_flags, VFIO_MIGRATION_STOP_COPY |
	    VFIO_MIGRATION_PRE_COPY);
	t_stop(&t);
}
END_TEST

START_TEST(test_mig_fsm_arcs)
{
	struct t	t;

	t_start(&t, NULL);
	negotiate(&t);
	ck_assert_uint_eq(mig_get(&t), VFIO_DEVICE_STATE_RUNNING);
	ck_assert_int_eq(mig_set(&t, VFIO_DEVICE_STATE_STOP_COPY), 0);
	ck_assert_uint_eq(mig_get(&t), VFIO_DEVICE_STATE_STOP_COPY);
	ck_assert_int_eq(mig_set(&t, VFIO_DEVICE_STATE_PRE_COPY), EINVAL);
	ck_assert_int_eq(mig_set(&t, VFIO_DEVICE_STATE_RUNNING), 0);
	ck_assert_int_eq(mig_set(&t, VFIO_DEVICE_STATE_PRE_COPY), 0);
	ck_assert_int_eq(mig_set(&t, VFIO_DEVICE_STATE_STOP), 0);
	ck_assert_int_eq(mig_set(&t, VFIO_DEVICE_STATE_RESUMING), 0);
	ck_assert_int_eq(mig_set(&t, VFIO_DEVICE_STATE_ERROR), EINVAL);
	ck_assert_int_eq(mig_set(&t, VFIO_DEVICE_STATE_RUNNING_P2P), EINVAL);
	/* no data delivered: RESUMING -> STOP fails into ERROR */
	ck_assert_int_eq(mig_set(&t, VFIO_DEVICE_STATE_STOP), EINVAL);
	ck_assert_uint_eq(mig_get(&t), VFIO_DEVICE_STATE_ERROR);
	ck_assert_int_eq(mig_set(&t, VFIO_DEVICE_STATE_RUNNING), EINVAL);
	{
		struct vfu_msg m;

		init(&t, &m, VFIO_USER_DEVICE_RESET);
		ck_assert_int_eq(rpc(&t, &m, NULL, 0), 0);
	}
	ck_assert_uint_eq(mig_get(&t), VFIO_DEVICE_STATE_RUNNING);
	t_stop(&t);
}
END_TEST

START_TEST(test_mig_stream_resumes_exactly)
{
	struct t	src, dst;
	uint8_t		*stream, b[16];
	uint32_t	got, len = 0;

	stream = calloc(1, 1u << 20);
	ck_assert_ptr_nonnull(stream);
	t_start(&src, NULL);
	negotiate(&src);
	ck_assert_int_eq(write32(&src, 0, REFDEV_REG_SCRATCH, 0xc0ffee), 0);
	ck_assert_int_eq(region_write(&src, 2, 0x3000, "in bar two", 10), 0);
	ck_assert_int_eq(mig_read(&src, 64, b, &got), EINVAL);	/* RUNNING */
	ck_assert_int_eq(mig_set(&src, VFIO_DEVICE_STATE_PRE_COPY), 0);
	do {
		ck_assert_int_eq(mig_read(&src, 4096, stream + len, &got), 0);
		len += got;
	} while (got == 4096);
	ck_assert_int_eq(write32(&src, 0, REFDEV_REG_SCRATCH, 0xbeef), 0);
	ck_assert_int_eq(mig_set(&src, VFIO_DEVICE_STATE_STOP_COPY), 0);
	do {
		ck_assert_int_eq(mig_read(&src, 4096, stream + len, &got), 0);
		len += got;
	} while (got == 4096);
	ck_assert_int_eq(mig_set(&src, VFIO_DEVICE_STATE_STOP), 0);

	t_start(&dst, NULL);
	negotiate(&dst);
	ck_assert_int_eq(mig_set(&dst, VFIO_DEVICE_STATE_RESUMING), 0);
	ck_assert_int_eq(mig_write(&dst, stream, len / 2), 0);
	ck_assert_int_eq(mig_write(&dst, stream + len / 2, len - len / 2), 0);
	ck_assert_int_eq(mig_set(&dst, VFIO_DEVICE_STATE_RUNNING), 0);
	ck_assert_uint_eq(read32(&dst, 0, REFDEV_REG_SCRATCH), 0xbeef);
	ck_assert_int_eq(region_read(&dst, 2, 0x3000, 10, b), 0);
	ck_assert_mem_eq(b, "in bar two", 10);
	t_stop(&src);
	t_stop(&dst);
	free(stream);
}
END_TEST

START_TEST(test_dirty_log_report_bitmap)
{
	struct t			t;
	struct vfu_device_feature	f;
	struct vfu_dma_logging_range	r = { 0x40000000, 0x10000 };
	int				fd;

	t_start(&t, NULL);
	negotiate(&t);
	fd = new_memfd(0x10000);
	ck_assert_int_eq(dma_map(&t, 0x40000000, 0x10000, 3, fd, 0), 0);
	close(fd);
	memset(&f, 0, sizeof(f));
	f.page_size = 4096;
	f.num_ranges = 1;
	f.ranges = &r;
	f.nranges = 1;
	ck_assert_int_eq(feature(&t, VFIO_DEVICE_FEATURE_SET |
	    VFIO_DEVICE_FEATURE_DMA_LOGGING_START,
	    VFU_FEATURE_DATA_LOGGING_START, 40, &f), 0);
	ck_assert_int_eq(feature(&t, VFIO_DEVICE_FEATURE_SET |
	    VFIO_DEVICE_FEATURE_DMA_LOGGING_START,
	    VFU_FEATURE_DATA_LOGGING_START, 40, &f), EBUSY);
	/* a read (not logged) and a write over pages 3 and 4 */
	ck_assert_uint_eq(dma_run(&t, 0x40000000, 0, 16, REFDEV_DMA_TO_DEVICE),
	    REFDEV_DMA_DONE);
	ck_assert_uint_eq(dma_run(&t, 0x40003ff8, 0, 16,
	    REFDEV_DMA_FROM_DEVICE), REFDEV_DMA_DONE);
	memset(&f, 0, sizeof(f));
	f.iova = 0x40000000;
	f.length = 0x10000;
	f.page_size = 4096;
	ck_assert_int_eq(feature(&t, VFIO_DEVICE_FEATURE_GET |
	    VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
	    VFU_FEATURE_DATA_LOGGING_REPORT, 40, &f), 0);
	ck_assert_uint_eq(t.r.u.feature.argsz, 40);
	ck_assert_uint_eq(t.r.u.feature.bitmap_words, 1);
	ck_assert_uint_eq(t.r.u.feature.bitmap[0], 0x18);
	/* reported bits are cleared */
	ck_assert_int_eq(feature(&t, VFIO_DEVICE_FEATURE_GET |
	    VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
	    VFU_FEATURE_DATA_LOGGING_REPORT, 40, &f), 0);
	ck_assert_uint_eq(t.r.u.feature.bitmap[0], 0);
	ck_assert_int_eq(feature(&t, VFIO_DEVICE_FEATURE_SET |
	    VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP, VFU_FEATURE_DATA_NONE, 8,
	    NULL), 0);
	ck_assert_int_eq(feature(&t, VFIO_DEVICE_FEATURE_GET |
	    VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
	    VFU_FEATURE_DATA_LOGGING_REPORT, 40, &f), EINVAL);
	t_stop(&t);
}
END_TEST

/* ---- faults: each changes what the wire carries --------------------------- */

typedef void probe_fn(struct t *);

static void
probe_info(struct t *t)
{
	negotiate(t);
	(void)simple(t, VFIO_USER_DEVICE_GET_INFO, 16, 0);
	(void)simple(t, VFIO_USER_DEVICE_GET_INFO, 4, 0);	/* error */
}

static void
probe_version(struct t *t)
{
	(void)version(t, "{\"capabilities\":{\"max_msg_fds\":4}}", 0, 0);
}

/* Version data that is cut-off JSON. */
static void
probe_version_bad_json(struct t *t)
{
	(void)version(t, "{\"capabilities\": ", 0, 0);
}

/* A major the server does not speak: a close, unless accepted. */
static void
probe_version_major(struct t *t)
{
	t->timeout = 500;
	(void)version(t, def_caps, 0x7fff, 0);
}

/* No version data at all. */
static void
probe_version_no_data(struct t *t)
{
	(void)version(t, NULL, 0, 0);
}

/* DEVICE_GET_INFO before any VERSION. */
static void
probe_before_version(struct t *t)
{
	(void)simple(t, VFIO_USER_DEVICE_GET_INFO, 16, 0);
}

/* A DMA_UNMAP without its payload, then a REGION_WRITE whose count is
 * larger than its data. */
static void
probe_malformed(struct t *t)
{
	uint8_t	unmap[16] = { 0x10, 0, VFIO_USER_DMA_UNMAP, 0, 16 };
	uint8_t	wr[36] = { 0x11, 0, VFIO_USER_REGION_WRITE, 0, 36, 0, 0,
		    0, 0, 0, 0, 0, 0, 0, 0, 0,
		    REFDEV_REG_SCRATCH, 0, 0, 0, 0, 0, 0, 0,
		    0, 0, 0, 0, 8, 0, 0, 0, 1, 2, 3, 4 };

	negotiate(t);
	t->timeout = 500;
	send_raw(t, unmap, sizeof(unmap));
	(void)get_reply(t);
	send_raw(t, wr, sizeof(wr));
	(void)get_reply(t);
}

/* A header whose msg_size (8) is smaller than the header. */
static void
probe_short_size(struct t *t)
{
	uint8_t	hdr[16] = { 0x12, 0, VFIO_USER_DEVICE_GET_INFO, 0, 8 };

	negotiate(t);
	t->timeout = 500;
	send_raw(t, hdr, sizeof(hdr));
	(void)get_reply(t);
}

/* Fd-less DMA inside a window: the DMA_READ must name a mapped address. */
static void
probe_dma_msg(struct t *t)
{
	uint8_t	b;

	negotiate(t);
	(void)dma_map(t, GUEST_BASE, GUEST_SIZE, 3, -1, 0);
	(void)dma_run(t, GUEST_BASE + 0x100, 0, 8, REFDEV_DMA_TO_DEVICE);
	b = (uint8_t)t->dma_reqs;
	logbytes(t, &b, 1);
}

static void
probe_twin(struct t *t)
{
	(void)version(t, "{\"capabilities\":{\"twin_socket\":"
	    "{\"supported\":true}}}", 0, 0);
}

static void
probe_pipeline(struct t *t)
{
	struct vfu_msg	m;
	struct wbuf	wb;
	uint32_t	v = 5;

	negotiate(t);
	/* three commands in one write, so all are queued at once */
	wbuf_init(&wb, 4096);
	init(t, &m, VFIO_USER_REGION_WRITE);
	m.hdr.flags |= VFIO_USER_F_NO_REPLY;
	m.u.region_access.offset = REFDEV_REG_SCRATCH;
	m.u.region_access.count = 4;
	m.u.region_access.data = (const uint8_t *)&v;
	m.u.region_access.data_len = 4;
	ck_assert_int_eq(vfu_msg_encode(&m, &wb, VFU_ENC_AUTO_SIZE, NULL), 0);
	init(t, &m, VFIO_USER_DEVICE_GET_INFO);
	m.u.device_info.argsz = 16;
	ck_assert_int_eq(vfu_msg_encode(&m, &wb, VFU_ENC_AUTO_SIZE, NULL), 0);
	init(t, &m, VFIO_USER_DEVICE_GET_IRQ_INFO);
	m.u.irq_info.argsz = 16;
	ck_assert_int_eq(vfu_msg_encode(&m, &wb, VFU_ENC_AUTO_SIZE, NULL), 0);
	send_raw(t, wb.p, wb.len);
	wbuf_free(&wb);
	t->timeout = 300;
	(void)get_reply(t);
	(void)get_reply(t);
	(void)get_reply(t);
}

static void
probe_bad_input(struct t *t)
{
	uint8_t	hdr[16] = { 1, 0, 77, 0, 16, 0, 0, 0 };

	negotiate(t);
	send_raw(t, hdr, sizeof(hdr));
	t->timeout = 500;
	(void)get_reply(t);
}

/* DEVICE_GET_INFO with type bits 2: neither command nor reply. */
static void
probe_bad_type(struct t *t)
{
	uint8_t	msg[32] = { 1, 0, VFIO_USER_DEVICE_GET_INFO, 0, 32, 0, 0, 0,
		    2, 0, 0, 0, 0, 0, 0, 0, 16 };

	negotiate(t);
	send_raw(t, msg, sizeof(msg));
	t->timeout = 500;
	(void)get_reply(t);
}

static void
probe_fds(struct t *t)
{
	negotiate(t);
	(void)simple(t, VFIO_USER_DEVICE_GET_REGION_IO_FDS, 96, 0);
}

static void
probe_xfer(struct t *t)
{
	(void)version(t, "{\"capabilities\":{\"max_data_xfer_size\":8}}", 0,
	    0);
	(void)region_read(t, 2, 0, 16, NULL);
	(void)dma_map(t, GUEST_BASE, GUEST_SIZE, 3, -1, 0);
	(void)dma_run(t, GUEST_BASE, 0, 32, REFDEV_DMA_TO_DEVICE);
}

static void
probe_region_info(struct t *t)
{
	uint32_t	i;

	negotiate(t);
	for (i = 0; i < REFDEV_NUM_REGIONS; i++) {
		(void)simple(t, VFIO_USER_DEVICE_GET_REGION_INFO, 32, i);
		(void)simple(t, VFIO_USER_DEVICE_GET_REGION_INFO, 256, i);
	}
	(void)simple(t, VFIO_USER_DEVICE_GET_REGION_INFO, 32,
	    REFDEV_NUM_REGIONS);
}

static void
probe_irq_info(struct t *t)
{
	negotiate(t);
	(void)simple(t, VFIO_USER_DEVICE_GET_IRQ_INFO, 16, 2);
}

static void
probe_region_access(struct t *t)
{
	uint8_t	b[8];

	negotiate(t);
	(void)region_read(t, 0, REFDEV_BAR0_SIZE - 2, 4, NULL);
	(void)region_write(t, REFDEV_DEVREG_INDEX, 0, "x", 1);
	(void)region_read(t, 0, 0, 8, b);
	(void)region_write(t, 0, REFDEV_REG_SCRATCH, "abcd", 4);
	(void)write32(t, 7, 0, 0);
	(void)write32(t, 7, 0x10, 0xffffffff);
	(void)read32(t, 7, 0);
	(void)read32(t, 7, 0x10);
	(void)read32(t, REFDEV_NUM_REGIONS, 0);
}

static void
probe_write_multi(struct t *t)
{
	struct vfu_msg			m;
	struct vfu_write_multi_entry	w;

	negotiate(t);
	memset(&w, 0, sizeof(w));
	w.offset = REFDEV_REG_SCRATCH;
	w.count = 4;
	init(t, &m, VFIO_USER_REGION_WRITE_MULTI);
	m.u.write_multi.wr_cnt = 1;
	m.u.write_multi.wrs = &w;
	m.u.write_multi.nwrs = 1;
	(void)rpc(t, &m, NULL, 0);
}

static void
probe_dma_table(struct t *t)
{
	uint64_t	i;

	negotiate(t);
	(void)dma_map(t, 0x100000, 0x2000, 3, -1, 0);
	(void)dma_map(t, 0x101000, 0x2000, 3, -1, 0);
	(void)dma_unmap(t, 0x100000, 0x1000);
	(void)dma_map(t, 0x300000, 0x1000, 3, -1, 0);
	(void)dma_unmap(t, 0x300000, 0x1000);
	for (i = 0; i < 5; i++)
		(void)dma_map(t, 0x400000 + i * 0x1000, 0x1000, 3, -1, 0);
	(void)dma_map(t, 0x500000, 0, 3, -1, 0);
}

static void
probe_dma_engine(struct t *t)
{
	uint8_t	b;

	negotiate(t);
	(void)dma_map(t, GUEST_BASE, 0x1000, 1, -1, 0);	/* read-only */
	(void)dma_run(t, GUEST_BASE, 0, 8, REFDEV_DMA_FROM_DEVICE);
	(void)dma_run(t, GUEST_BASE + 0x1000, 0, 8, REFDEV_DMA_TO_DEVICE);
	(void)dma_unmap(t, GUEST_BASE, 0x1000);
	(void)dma_run(t, GUEST_BASE, 0, 8, REFDEV_DMA_TO_DEVICE);
	b = (uint8_t)t->dma_reqs;
	logbytes(t, &b, 1);
}

static void
probe_dma_twin(struct t *t)
{
	uint8_t	b;

	(void)version(t, "{\"capabilities\":{\"twin_socket\":"
	    "{\"supported\":true}}}", 0, 0);
	if (t->f.nfds == 1)
		transport_init(&t->twin, transport_frame_take_fd(&t->f, 0));
	(void)dma_map(t, GUEST_BASE, GUEST_SIZE, 3, -1, 0);
	(void)dma_run(t, GUEST_BASE, 0, 4, REFDEV_DMA_TO_DEVICE);
	b = (uint8_t)t->dma_reqs;
	logbytes(t, &b, 1);
}

static void
probe_irq(struct t *t)
{
	uint64_t	v;
	uint8_t		b1[1] = { 1 };
	int		efd = new_efd();

	negotiate(t);
	(void)set_irqs(t, VFIO_IRQ_SET_DATA_EVENTFD |
	    VFIO_IRQ_SET_ACTION_TRIGGER, 2, 0, 1, &efd, 1, NULL);
	(void)raise_irq(t, 2, 0);
	v = efd_take(efd);
	logbytes(t, &v, 8);
	(void)set_irqs(t, VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_MASK,
	    2, 0, 1, NULL, 0, b1);
	(void)raise_irq(t, 2, 0);
	v = efd_take(efd);
	logbytes(t, &v, 8);
	(void)set_irqs(t, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
	    2, 0, 1, NULL, 0, NULL);
	(void)efd_take(efd);
	(void)set_irqs(t, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_DATA_EVENTFD |
	    VFIO_IRQ_SET_ACTION_TRIGGER, 2, 0, 1, NULL, 0, NULL);
	v = efd_take(efd);
	logbytes(t, &v, 8);
	(void)set_irqs(t, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
	    2, 0, 0, NULL, 0, NULL);
	(void)raise_irq(t, 2, 0);
	v = efd_take(efd);
	logbytes(t, &v, 8);
	close(efd);
}

static void
probe_feature(struct t *t)
{
	negotiate(t);
	(void)feature(t, VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_SET |
	    VFIO_DEVICE_FEATURE_MIGRATION, VFU_FEATURE_DATA_NONE, 8, NULL);
	(void)feature(t, VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET |
	    VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, VFU_FEATURE_DATA_NONE, 16,
	    NULL);
	(void)feature(t, VFIO_DEVICE_FEATURE_GET |
	    VFIO_DEVICE_FEATURE_MIGRATION, VFU_FEATURE_DATA_NONE, 16, NULL);
	(void)feature(t, VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_GET |
	    0x7ff, VFU_FEATURE_DATA_NONE, 8, NULL);
}

static void
probe_mig(struct t *t)
{
	uint8_t		b[64];
	uint32_t	got;
	struct vfu_msg	m;

	negotiate(t);
	(void)mig_write(t, (const uint8_t *)"early", 5);	/* RUNNING */
	(void)mig_read(t, 64, b, &got);
	(void)mig_set(t, VFIO_DEVICE_STATE_STOP_COPY);
	(void)mig_read(t, 64, b, &got);
	(void)mig_set(t, VFIO_DEVICE_STATE_PRE_COPY);
	(void)mig_set(t, VFIO_DEVICE_STATE_RUNNING);
	(void)mig_get(t);
	(void)mig_set(t, VFIO_DEVICE_STATE_RESUMING);
	(void)mig_write(t, (const uint8_t *)"junk", 4);
	(void)mig_set(t, VFIO_DEVICE_STATE_STOP);
	(void)mig_get(t);
	init(t, &m, VFIO_USER_DEVICE_RESET);
	(void)rpc(t, &m, NULL, 0);
	(void)mig_get(t);
}

static void
probe_dirty(struct t *t)
{
	struct vfu_device_feature	f;
	int				fd = new_memfd(0x10000);

	negotiate(t);
	(void)dma_map(t, 0x40000000, 0x10000, 3, fd, 0);
	close(fd);
	memset(&f, 0, sizeof(f));
	f.page_size = 4096;
	(void)feature(t, VFIO_DEVICE_FEATURE_SET |
	    VFIO_DEVICE_FEATURE_DMA_LOGGING_START,
	    VFU_FEATURE_DATA_LOGGING_START, 24, &f);
	(void)dma_run(t, 0x40000000, 0, 8, REFDEV_DMA_TO_DEVICE);
	(void)dma_run(t, 0x40002000, 0, 8, REFDEV_DMA_FROM_DEVICE);
	memset(&f, 0, sizeof(f));
	f.iova = 0x40000000;
	f.length = 0x8000;
	f.page_size = 4096;
	(void)feature(t, VFIO_DEVICE_FEATURE_GET |
	    VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
	    VFU_FEATURE_DATA_LOGGING_REPORT, 40, &f);
}

static void
probe_reset(struct t *t)
{
	struct vfu_msg	m;

	negotiate(t);
	(void)write32(t, 0, REFDEV_REG_SCRATCH, 9);
	init(t, &m, VFIO_USER_DEVICE_RESET);
	(void)rpc(t, &m, NULL, 0);
	(void)read32(t, 0, REFDEV_REG_SCRATCH);
}

static void
probe_disconnect(struct t *t)
{
	uint64_t	v;
	int		efd = new_efd();

	negotiate(t);
	(void)set_irqs(t, VFIO_IRQ_SET_DATA_EVENTFD |
	    VFIO_IRQ_SET_ACTION_TRIGGER, 3, 0, 1, &efd, 1, NULL);
	(void)dma_map(t, 0x100000, 0x1000, 3, -1, 0);
	(void)write32(t, 0, REFDEV_REG_SCRATCH, 0x77);
	transport_close(&t->c);
	t->c = t->c2;
	t->c2.fd = -1;
	negotiate(t);
	(void)dma_map(t, 0x100000, 0x1000, 3, -1, 0);
	(void)raise_irq(t, 3, 0);
	v = efd_take(efd);
	logbytes(t, &v, 8);
	(void)read32(t, 0, REFDEV_REG_SCRATCH);
	close(efd);
}

static const struct {
	const char	*fault;
	probe_fn	*probe;
} fault_probes[] = {
	{ "msg-id-not-echoed", probe_info },
	{ "reply-bit-missing", probe_info },
	{ "reply-command-wrong", probe_info },
	{ "msg-size-wrong", probe_info },
	{ "error-reply-payload", probe_info },
	{ "error-bit-missing", probe_info },
	{ "no-reply-answered", probe_pipeline },
	{ "reply-dropped", probe_info },
	{ "replies-out-of-order", probe_pipeline },
	{ "unknown-command-accepted", probe_bad_input },
	{ "type-invalid-accepted", probe_bad_type },
	{ "malformed-accepted", probe_malformed },
	{ "msg-size-below-header-accepted", probe_short_size },
	{ "command-before-version-accepted", probe_before_version },
	{ "version-minor-higher", probe_version },
	{ "version-major-different", probe_version },
	{ "version-caps-not-subset", probe_version },
	{ "version-json-invalid", probe_version },
	{ "version-json-no-nul", probe_version },
	{ "twin-socket-fd-index-missing", probe_twin },
	{ "max-msg-fds-exceeded", probe_fds },
	{ "max-data-xfer-not-enforced", probe_xfer },
	{ "version-bad-json-accepted", probe_version_bad_json },
	{ "version-major-unsupported-accepted", probe_version_major },
	{ "version-no-data-refused", probe_version_no_data },
	{ "device-info-not-pci", probe_info },
	{ "device-info-argsz-wrong", probe_info },
	{ "device-info-num-regions-low", probe_info },
	{ "region-info-argsz-small", probe_region_info },
	{ "region-info-caps-overflow", probe_region_info },
	{ "region-info-mmap-no-fd", probe_region_info },
	{ "region-info-cap-offset-bad", probe_region_info },
	{ "sparse-mmap-nr-areas-wrong", probe_region_info },
	{ "region-type-cap-missing", probe_region_info },
	{ "io-fds-no-fd", probe_fds },
	{ "io-fds-flags-nonzero", probe_fds },
	{ "irq-info-index-not-echoed", probe_irq_info },
	{ "argsz-needed-not-reported", probe_info },
	{ "region-info-index-not-echoed", probe_region_info },
	{ "region-info-bad-index-accepted", probe_region_info },
	{ "region-info-readonly-writable", probe_region_info },
	{ "region-access-past-end", probe_region_access },
	{ "region-write-readonly-accepted", probe_region_access },
	{ "region-read-short-data", probe_region_access },
	{ "region-write-reply-data", probe_region_access },
	{ "config-ro-writable", probe_region_access },
	{ "bar-sizing-broken", probe_region_access },
	{ "write-multi-count-wrong", probe_write_multi },
	{ "region-absent-access-accepted", probe_region_access },
	{ "region-write-not-applied", probe_region_access },
	{ "dma-map-overlap-accepted", probe_dma_table },
	{ "dma-unmap-inexact-accepted", probe_dma_table },
	{ "dma-unmap-no-echo", probe_dma_table },
	{ "dma-max-maps-ignored", probe_dma_table },
	{ "dma-map-invalid-accepted", probe_dma_table },
	{ "dma-outside-window", probe_dma_engine },
	{ "dma-after-unmap", probe_dma_engine },
	{ "dma-write-readonly-map", probe_dma_engine },
	{ "dma-xfer-over-max", probe_xfer },
	{ "dma-on-main-socket", probe_dma_twin },
	{ "dma-msg-address-relative", probe_dma_msg },
	{ "dma-writeable-map-refused", probe_dirty },
	{ "irq-not-signalled", probe_irq },
	{ "irq-mask-ignored", probe_irq },
	{ "irq-disable-all-ignored", probe_irq },
	{ "irq-set-bad-flags-accepted", probe_irq },
	{ "feature-probe-wrong", probe_feature },
	{ "feature-get-set-accepted", probe_feature },
	{ "feature-argsz-not-updated", probe_feature },
	{ "feature-unknown-probe-ok", probe_feature },
	{ "mig-stop-copy-to-pre-copy-allowed", probe_mig },
	{ "mig-complex-transition-refused", probe_mig },
	{ "mig-state-not-reported", probe_mig },
	{ "mig-data-short-read-early", probe_mig },
	{ "mig-resume-accepts-invalid", probe_mig },
	{ "mig-data-read-wrong-state", probe_mig },
	{ "mig-data-write-wrong-state", probe_mig },
	{ "mig-error-reset-ignored", probe_mig },
	{ "dirty-bitmap-missing-writes", probe_dirty },
	{ "dirty-bitmap-outside-bits", probe_dirty },
	{ "dirty-logs-reads", probe_dirty },
	{ "reset-not-restoring", probe_reset },
	{ "disconnect-keeps-mappings", probe_disconnect },
	{ "disconnect-keeps-irq-fds", probe_disconnect },
	{ "disconnect-resets-device", probe_disconnect },
	{ "crash-on-bad-input", probe_bad_input },
	{ "hang-on-bad-input", probe_bad_input },
};
#define NPROBES	(sizeof(fault_probes) / sizeof(fault_probes[0]))

/* Runs a probe against a fresh server; returns what came back. */
static uint8_t *
transcript(const char *fault, probe_fn *probe, size_t *len)
{
	struct t	t;
	uint8_t		*p;

	t_start2(&t, fault, 1);
	t.probing = 1;
	probe(&t);
	p = wbuf_steal(&t.log, len);
	t_stop(&t);
	return (p);
}

START_TEST(test_fault_changes_wire)
{
	uint8_t	*clean, *bad;
	size_t	 lc, lb;

	clean = transcript(NULL, fault_probes[_i].probe, &lc);
	bad = transcript(fault_probes[_i].fault, fault_probes[_i].probe, &lb);
	ck_assert_msg(lc != lb || memcmp(clean, bad, lc) != 0,
	    "fault %s left the probe's transcript unchanged",
	    fault_probes[_i].fault);
	free(clean);
	free(bad);
}
END_TEST

START_TEST(test_fault_catalogue_complete)
{
	size_t	i, j;
	int	found;

	ck_assert_int_ge(RF_NFAULTS, 40);
	for (i = 0; i < RF_NFAULTS; i++) {
		ck_assert_ptr_nonnull(refdev_faults[i].name);
		ck_assert_ptr_nonnull(refdev_faults[i].section);
		ck_assert_ptr_nonnull(refdev_faults[i].sentence);
		ck_assert_int_eq(refdev_fault_lookup(refdev_faults[i].name),
		    (int)i);
		for (found = 0, j = 0; j < NPROBES; j++)
			found |= strcmp(fault_probes[j].fault,
			    refdev_faults[i].name) == 0;
		ck_assert_msg(found, "no probe for %s", refdev_faults[i].name);
	}
	ck_assert_int_eq(refdev_fault_lookup("no-such-fault"), -1);
}
END_TEST

static Suite *
refdev_suite(void)
{
	Suite	*s = suite_create("refdev");
	TCase	*tc;

	tc = tcase_create("negotiation");
	tcase_add_test(tc, test_version_reply_subset);
	tcase_add_test(tc, test_version_minor_not_higher);
	tcase_add_test(tc, test_version_bad_json_einval);
	tcase_add_test(tc, test_version_major_closes);
	tcase_add_test(tc, test_version_twice_einval);
	tcase_add_test(tc, test_command_before_version_einval);
	suite_add_tcase(s, tc);

	tc = tcase_create("info");
	tcase_add_test(tc, test_device_info_fields);
	tcase_add_test(tc, test_region_info_argsz_small_gets_needed);
	tcase_add_test(tc, test_region_info_device_specific_type);
	tcase_add_test(tc, test_region_io_fds_doorbell);
	tcase_add_test(tc, test_irq_info_each_index);
	suite_add_tcase(s, tc);

	tc = tcase_create("access");
	tcase_add_test(tc, test_region_rw_bar0_registers);
	tcase_add_test(tc, test_region_access_bounds_einval);
	tcase_add_test(tc, test_region_read_over_max_xfer_e2big);
	tcase_add_test(tc, test_config_header_and_bar_sizing);
	tcase_add_test(tc, test_write_multi_applies);
	tcase_add_test(tc, test_write_multi_not_negotiated_enotsup);
	suite_add_tcase(s, tc);

	tc = tcase_create("irq");
	tcase_add_test(tc, test_set_irqs_msix_trigger_mask_unmask);
	tcase_add_test(tc, test_set_irqs_intx_automasked_and_mask_eventfd);
	tcase_add_test(tc, test_set_irqs_invalid_einval);
	suite_add_tcase(s, tc);

	tc = tcase_create("dma");
	tcase_add_test(tc, test_dma_map_overlap_eexist);
	tcase_add_test(tc, test_dma_unmap_exact_echo);
	tcase_add_test(tc, test_dma_map_max_maps_enospc);
	tcase_add_test(tc, test_dma_engine_through_fd);
	tcase_add_test(tc, test_dma_engine_through_messages);
	tcase_add_test(tc, test_dma_engine_twin_socket);
	suite_add_tcase(s, tc);

	tc = tcase_create("framing");
	tcase_add_test(tc, test_no_reply_then_pipelined_in_order);
	tcase_add_test(tc, test_unknown_command_enosys);
	tcase_add_test(tc, test_truncated_payload_einval);
	tcase_add_test(tc, test_unexpected_fds_einval_and_closed);
	tcase_add_test(tc, test_msg_size_lie_closes_cleanly);
	tcase_add_test(tc, test_reset_restores_registers);
	tcase_add_test(tc, test_disconnect_releases_keeps_state);
	suite_add_tcase(s, tc);

	tc = tcase_create("migration");
	tcase_add_test(tc, test_feature_probe_and_migration_flags);
	tcase_add_test(tc, test_mig_fsm_arcs);
	tcase_add_test(tc, test_mig_stream_resumes_exactly);
	tcase_add_test(tc, test_dirty_log_report_bitmap);
	suite_add_tcase(s, tc);

	tc = tcase_create("faults");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_fault_catalogue_complete);
	tcase_add_loop_test(tc, test_fault_changes_wire, 0, (int)NPROBES);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	signal(SIGPIPE, SIG_IGN);
	sr = srunner_create(refdev_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
