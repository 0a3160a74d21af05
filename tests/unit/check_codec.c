/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for codec.  The golden vectors below are written by hand from
 * the spec's offset/size tables (docs/interop/vfio-user.rst, the section
 * named in each comment), not produced by the encoder: each is decoded and
 * checked field by field, then re-encoded and compared byte for byte, cut at
 * every length, and rebuilt through vfu_msg_autofill().  Integers are in
 * host order on the wire; the vectors spell them little-endian, so the
 * binary skips (77) on a big-endian host.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "codec.h"
#include "diag.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Little-endian spelling of the spec's integer fields. */
#define LE16(v)	(uint8_t)((v) & 0xff), (uint8_t)(((v) >> 8) & 0xff)
#define LE32(v)	LE16((v) & 0xffff), LE16(((v) >> 16) & 0xffff)
#define LE64(v)	LE32((uint64_t)(v) & 0xffffffffull),			\
	LE32(((uint64_t)(v) >> 32) & 0xffffffffull)
/* Spec "Header": Message ID 0/2, Command 2/2, Message size 4/4, Flags 8/4,
 * Error 12/4. */
#define HDR(id, cmd, size, flags, err)					\
	LE16(id), LE16(cmd), LE32(size), LE32(flags), LE32(err)

/* ---- Golden vectors ---------------------------------------------------- */

/* VFIO_USER_VERSION Request: major 0/2, minor 2/2, data 4/variable with NUL. */
static const uint8_t g_version_req[] = {
	HDR(0, 1, 40, 0x0, 0),
	LE16(0), LE16(0),
	'{', '"', 'c', 'a', 'p', 'a', 'b', 'i', 'l', 'i', 't', 'i', 'e', 's',
	'"', ':', '{', '}', '}', 0,
};
/* VFIO_USER_VERSION Reply: "the same format is used for the server's reply". */
static const uint8_t g_version_rep[] = {
	HDR(0, 1, 23, 0x1, 0),
	LE16(0), LE16(0),
	'{', '}', 0,
};
/* VFIO_USER_VERSION Request, version data omitted ("Optional"). */
static const uint8_t g_version_req_nodata[] = {
	HDR(7, 1, 20, 0x0, 0),
	LE16(0), LE16(3),
};
/* VFIO_USER_DMA_MAP Request: argsz 0/4, flags 4/4 (readable|writeable),
 * offset 8/8, address 16/8, size 24/8; "the message size is 16 + 32". */
static const uint8_t g_dma_map_req[] = {
	HDR(1, 2, 48, 0x0, 0),
	LE32(32), LE32(0x3), LE64(0x1000), LE64(0x100000), LE64(0x3f00000),
};
/* VFIO_USER_DMA_MAP Reply: "There is no payload in the reply message." */
static const uint8_t g_dma_map_rep[] = {
	HDR(1, 2, 16, 0x1, 0),
};
/* VFIO_USER_DMA_UNMAP Request: argsz 0/4, flags 4/4, address 8/8, size 16/8. */
static const uint8_t g_dma_unmap_req[] = {
	HDR(2, 3, 40, 0x0, 0),
	LE32(24), LE32(0), LE64(0x100000), LE64(0x3f00000),
};
/* VFIO_USER_DMA_UNMAP Reply: "responds with the original DMA entry". */
static const uint8_t g_dma_unmap_rep[] = {
	HDR(2, 3, 40, 0x1, 0),
	LE32(24), LE32(0), LE64(0x100000), LE64(0x3f00000),
};
/* VFIO_USER_DEVICE_GET_INFO Request: argsz 0/4, flags 4/4, num_regions 8/4,
 * num_irqs 12/4; "all other fields must be zero". */
static const uint8_t g_get_info_req[] = {
	HDR(3, 4, 32, 0x0, 0),
	LE32(16), LE32(0), LE32(0), LE32(0),
};
/* VFIO_USER_DEVICE_GET_INFO Reply: flags RESET|PCI, 9 regions, 5 irqs. */
static const uint8_t g_get_info_rep[] = {
	HDR(3, 4, 32, 0x1, 0),
	LE32(16), LE32(0x3), LE32(9), LE32(5),
};
/* VFIO_USER_DEVICE_GET_REGION_INFO Request: argsz 0/4, flags 4/4, index 8/4,
 * cap_offset 12/4, size 16/8, offset 24/8. */
static const uint8_t g_region_info_req[] = {
	HDR(4, 5, 48, 0x0, 0),
	LE32(32), LE32(0), LE32(2), LE32(0), LE64(0), LE64(0),
};
/* VFIO_USER_DEVICE_GET_REGION_INFO Reply without caps: READ|WRITE|MMAP. */
static const uint8_t g_region_info_rep[] = {
	HDR(4, 5, 48, 0x1, 0),
	LE32(32), LE32(0x7), LE32(2), LE32(0), LE64(0x4000), LE64(0x10000),
};
/*
 * VFIO_USER_DEVICE_GET_REGION_INFO Reply with a capability chain:
 * "VFIO cap header format" id 0/2, version 2/2, next 4/4 (from the region
 * info start); "VFIO region info cap sparse mmap" nr_areas 0/4, reserved
 * 4/4, then offset/size pairs; CAP_TYPE (linux/vfio.h) type, subtype.
 * argsz = 32 + (8 + 8 + 2 * 16) + (8 + 8) = 96.
 */
static const uint8_t g_region_info_rep_caps[] = {
	HDR(5, 5, 112, 0x1, 0),
	LE32(96), LE32(0xf), LE32(0), LE32(32), LE64(0x100000), LE64(0),
	/* payload 32: cap 0, sparse mmap */
	LE16(1), LE16(1), LE32(80),
	LE32(2), LE32(0),
	LE64(0x0), LE64(0x1000),
	LE64(0x8000), LE64(0x8000),
	/* payload 80: cap 1, region type */
	LE16(2), LE16(1), LE32(0),
	LE32(0x80000000u), LE32(1),
};
/* GET_REGION_INFO Reply whose argsz (96) exceeds the payload (32): spec
 * "Message sizes", "the full payload is not included in the reply". */
static const uint8_t g_region_info_rep_trunc[] = {
	HDR(6, 5, 48, 0x1, 0),
	LE32(96), LE32(0x7), LE32(0), LE32(0), LE64(0x100000), LE64(0),
};
/* VFIO_USER_DEVICE_GET_REGION_IO_FDS Request: argsz 0/4, flags 4/4,
 * index 8/4, count 12/4. */
static const uint8_t g_io_fds_req[] = {
	HDR(8, 6, 32, 0x0, 0),
	LE32(16), LE32(0), LE32(1), LE32(0),
};
/* VFIO_USER_DEVICE_GET_REGION_IO_FDS Reply, one sub-region of each "Sub-Region
 * IO FD info format": offset 0/8, size 8/8, fd_index 16/4, type 20/4, flags
 * 24/4, padding 28/4, datamatch|user_data 32/8. */
static const uint8_t g_io_fds_rep[] = {
	HDR(8, 6, 112, 0x1, 0),
	LE32(96), LE32(0), LE32(1), LE32(2),
	LE64(0x10), LE64(4), LE32(1), LE32(0), LE32(0x1), LE32(0),
	LE64(0xabcd),
	LE64(0x100), LE64(0x200), LE32(0), LE32(1), LE32(0x2), LE32(0),
	LE64(0x1122334455667788ull),
};
/* VFIO_USER_DEVICE_GET_IRQ_INFO Request: argsz 0/4, flags 4/4, index 8/4,
 * count 12/4. */
static const uint8_t g_irq_info_req[] = {
	HDR(9, 7, 32, 0x0, 0),
	LE32(16), LE32(0), LE32(2), LE32(0),
};
/* VFIO_USER_DEVICE_GET_IRQ_INFO Reply: EVENTFD|MASKABLE|NORESIZE, 8. */
static const uint8_t g_irq_info_rep[] = {
	HDR(9, 7, 32, 0x1, 0),
	LE32(16), LE32(0xb), LE32(2), LE32(8),
};
/* VFIO_USER_DEVICE_SET_IRQS Request: argsz 0/4, flags 4/4, index 8/4,
 * start 12/4, count 16/4, data 20/variable: DATA_BOOL|ACTION_TRIGGER with
 * four booleans; argsz "including any data". */
static const uint8_t g_set_irqs_req_bool[] = {
	HDR(10, 8, 40, 0x0, 0),
	LE32(24), LE32(0x22), LE32(2), LE32(0), LE32(4),
	1, 0, 1, 1,
};
/* VFIO_USER_DEVICE_SET_IRQS Request: DATA_EVENTFD|ACTION_TRIGGER, the fd in
 * SCM_RIGHTS, no data bytes. */
static const uint8_t g_set_irqs_req_efd[] = {
	HDR(11, 8, 36, 0x0, 0),
	LE32(20), LE32(0x24), LE32(0), LE32(0), LE32(1),
};
/* VFIO_USER_DEVICE_SET_IRQS Reply: "There is no payload in the reply." */
static const uint8_t g_set_irqs_rep[] = {
	HDR(11, 8, 16, 0x1, 0),
};
/* VFIO_USER_REGION_READ Request: offset 0/8, region 8/4, count 12/4. */
static const uint8_t g_region_read_req[] = {
	HDR(12, 9, 32, 0x0, 0),
	LE64(0x3d), LE32(7), LE32(1),
};
/* VFIO_USER_REGION_READ Reply: offset, region, count, data 16/variable. */
static const uint8_t g_region_read_rep[] = {
	HDR(12, 9, 33, 0x1, 0),
	LE64(0x3d), LE32(7), LE32(1),
	0x01,
};
/* VFIO_USER_REGION_WRITE Request, posted (No_reply): offset, region, count,
 * data 16/variable. */
static const uint8_t g_region_write_req[] = {
	HDR(13, 10, 36, 0x10, 0),
	LE64(0x10), LE32(0), LE32(4),
	0x78, 0x56, 0x34, 0x12,
};
/* VFIO_USER_REGION_WRITE Reply: offset 0/8, region 8/4, count 12/4. */
static const uint8_t g_region_write_rep[] = {
	HDR(14, 10, 32, 0x1, 0),
	LE64(0x4), LE32(7), LE32(2),
};
/* VFIO_USER_DMA_READ Request: address 0/8, count 8/8. */
static const uint8_t g_dma_read_req[] = {
	HDR(15, 11, 32, 0x0, 0),
	LE64(0x100000), LE64(8),
};
/* VFIO_USER_DMA_READ Reply: address 0/8, count 8/8, data 16/variable. */
static const uint8_t g_dma_read_rep[] = {
	HDR(15, 11, 40, 0x1, 0),
	LE64(0x100000), LE64(8),
	1, 2, 3, 4, 5, 6, 7, 8,
};
/* VFIO_USER_DMA_WRITE Request: address 0/8, count 8/8, data 16/variable. */
static const uint8_t g_dma_write_req[] = {
	HDR(16, 12, 36, 0x0, 0),
	LE64(0x200000), LE64(4),
	0xde, 0xad, 0xbe, 0xef,
};
/* VFIO_USER_DMA_WRITE Reply as QEMU 11.1.3 and libvfio-user send it: count
 * 8 bytes like every other DMA_READ/WRITE table. */
static const uint8_t g_dma_write_rep8[] = {
	HDR(16, 12, 32, 0x1, 0),
	LE64(0x200000), LE64(4),
};
/* VFIO_USER_DMA_WRITE Reply as its table reads: address 0/8, count 8/4. */
static const uint8_t g_dma_write_rep4[] = {
	HDR(17, 12, 28, 0x1, 0),
	LE64(0x200000), LE32(4),
};
/* VFIO_USER_DEVICE_RESET: "Neither the request or reply have a payload." */
static const uint8_t g_reset_req[] = {
	HDR(18, 13, 16, 0x0, 0),
};
static const uint8_t g_reset_rep[] = {
	HDR(18, 13, 16, 0x1, 0),
};
/* VFIO_USER_REGION_WRITE_MULTI Request: wr_cnt 0/8, wrs 8/variable;
 * "Single Device Write Format" offset 0/8, region 8/4, count 12/4,
 * data 16/8. */
static const uint8_t g_write_multi_req[] = {
	HDR(19, 15, 72, 0x10, 0),
	LE64(2),
	LE64(0x10), LE32(0), LE32(4), 0x78, 0x56, 0x34, 0x12, 0, 0, 0, 0,
	LE64(0x18), LE32(0), LE32(8), 1, 2, 3, 4, 5, 6, 7, 8,
};
/* VFIO_USER_REGION_WRITE_MULTI Reply: wr_cnt 0/8. */
static const uint8_t g_write_multi_rep[] = {
	HDR(19, 15, 24, 0x1, 0),
	LE64(2),
};
/* VFIO_USER_DEVICE_FEATURE Request: argsz 0/4, flags 4/4 (index 0-15,
 * GET 16, SET 17, PROBE 18), data 8/variable "not used for probing".
 * PROBE|GET of VFIO_DEVICE_FEATURE_MIGRATION (1). */
static const uint8_t g_feat_probe_req[] = {
	HDR(20, 16, 24, 0x0, 0),
	LE32(8), LE32(0x50001),
};
/* Reply: "must be the same as the request payload for ... probing". */
static const uint8_t g_feat_probe_rep[] = {
	HDR(20, 16, 24, 0x1, 0),
	LE32(8), LE32(0x50001),
};
/* VFIO_DEVICE_FEATURE_MIGRATION GET: "There is no data field of the request
 * message." */
static const uint8_t g_feat_mig_get_req[] = {
	HDR(21, 16, 24, 0x0, 0),
	LE32(16), LE32(0x10001),
};
/* ... reply data: flags 0/8, STOP_COPY|PRE_COPY. */
static const uint8_t g_feat_mig_get_rep[] = {
	HDR(21, 16, 32, 0x1, 0),
	LE32(16), LE32(0x10001),
	LE64(0x5),
};
/* VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE SET: device_state 0/4, data_fd 4/4. */
static const uint8_t g_feat_state_set_req[] = {
	HDR(22, 16, 32, 0x0, 0),
	LE32(16), LE32(0x20002),
	LE32(3), LE32(0),
};
static const uint8_t g_feat_state_set_rep[] = {
	HDR(22, 16, 32, 0x1, 0),
	LE32(16), LE32(0x20002),
	LE32(3), LE32(0),
};
/* MIG_DEVICE_STATE GET: no request data; the reply carries the state. */
static const uint8_t g_feat_state_get_req[] = {
	HDR(23, 16, 24, 0x0, 0),
	LE32(16), LE32(0x10002),
};
static const uint8_t g_feat_state_get_rep[] = {
	HDR(23, 16, 32, 0x1, 0),
	LE32(16), LE32(0x10002),
	LE32(2), LE32(0),
};
/* VFIO_DEVICE_FEATURE_DMA_LOGGING_START SET: page_size 0/8, num_ranges 8/4,
 * reserved 12/4, ranges 16/variable of iova 0/8, length 8/8. */
static const uint8_t g_feat_log_start_req[] = {
	HDR(24, 16, 72, 0x0, 0),
	LE32(56), LE32(0x20006),
	LE64(4096), LE32(2), LE32(0),
	LE64(0x0), LE64(0xa0000),
	LE64(0x100000), LE64(0x3f00000),
};
/* "Upon success, the response data field will be the same as the request". */
static const uint8_t g_feat_log_start_rep[] = {
	HDR(24, 16, 72, 0x1, 0),
	LE32(56), LE32(0x20006),
	LE64(4096), LE32(2), LE32(0),
	LE64(0x0), LE64(0xa0000),
	LE64(0x100000), LE64(0x3f00000),
};
/* DMA_LOGGING_STOP SET without data (what Linux and QEMU send). */
static const uint8_t g_feat_log_stop_req[] = {
	HDR(25, 16, 24, 0x0, 0),
	LE32(8), LE32(0x20007),
};
static const uint8_t g_feat_log_stop_rep[] = {
	HDR(25, 16, 24, 0x1, 0),
	LE32(8), LE32(0x20007),
};
/* VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT GET: iova 0/8, length 8/8,
 * page_size 16/8; 0x40000 / 4096 = 64 pages = one u64 of bitmap. */
static const uint8_t g_feat_report_req[] = {
	HDR(26, 16, 48, 0x0, 0),
	LE32(40), LE32(0x10008),
	LE64(0x100000), LE64(0x40000), LE64(4096),
};
/* "The data field of the response is identical, except with the bitmap
 * added on the end at offset 24." */
static const uint8_t g_feat_report_rep[] = {
	HDR(26, 16, 56, 0x1, 0),
	LE32(40), LE32(0x10008),
	LE64(0x100000), LE64(0x40000), LE64(4096),
	LE64(0x8000000000000005ull),
};
/* VFIO_USER_MIG_DATA_READ Request: argsz 0/4, size 4/4. */
static const uint8_t g_mig_read_req[] = {
	HDR(27, 17, 24, 0x0, 0),
	LE32(24), LE32(16),
};
/* VFIO_USER_MIG_DATA_READ Reply: argsz 0/4, size 4/4, data 8/variable. */
static const uint8_t g_mig_read_rep[] = {
	HDR(27, 17, 28, 0x1, 0),
	LE32(12), LE32(4),
	0xca, 0xfe, 0xf0, 0x0d,
};
/* VFIO_USER_MIG_DATA_WRITE Request: argsz 0/4, size 4/4, data 8/variable. */
static const uint8_t g_mig_write_req[] = {
	HDR(28, 18, 28, 0x0, 0),
	LE32(12), LE32(4),
	0xca, 0xfe, 0xf0, 0x0d,
};
/* VFIO_USER_MIG_DATA_WRITE Reply: "There is no reply payload". */
static const uint8_t g_mig_write_rep[] = {
	HDR(28, 18, 16, 0x1, 0),
};
/* Spec "Header": an error reply is the header only, Reply|Error, errno. */
static const uint8_t g_error_rep[] = {
	HDR(29, 9, 16, 0x21, 5),
};

/* ---- Field-by-field checks --------------------------------------------- */

static void
check_hdr(const struct vfu_msg *m, uint16_t id, uint16_t cmd, uint32_t size,
    uint32_t flags)
{
	ck_assert_uint_eq(m->hdr.msg_id, id);
	ck_assert_uint_eq(m->hdr.command, cmd);
	ck_assert_uint_eq(m->hdr.msg_size, size);
	ck_assert_uint_eq(m->hdr.flags, flags);
	ck_assert_uint_eq(m->hdr.error, 0);
	ck_assert_uint_eq(m->payload_len, size - 16);
}

static void
chk_version_req(const struct vfu_msg *m)
{
	check_hdr(m, 0, VFIO_USER_VERSION, 40, 0);
	ck_assert_uint_eq(m->u.version.major, 0);
	ck_assert_uint_eq(m->u.version.minor, 0);
	ck_assert_uint_eq(m->u.version.data_len, 20);
	ck_assert_ptr_nonnull(m->u.version.data);
	ck_assert_str_eq((const char *)m->u.version.data,
	    "{\"capabilities\":{}}");
}

static void
chk_version_rep(const struct vfu_msg *m)
{
	check_hdr(m, 0, VFIO_USER_VERSION, 23, 1);
	ck_assert_uint_eq(m->u.version.data_len, 3);
	ck_assert_mem_eq(m->u.version.data, "{}", 3);
}

static void
chk_version_req_nodata(const struct vfu_msg *m)
{
	check_hdr(m, 7, VFIO_USER_VERSION, 20, 0);
	ck_assert_uint_eq(m->u.version.major, 0);
	ck_assert_uint_eq(m->u.version.minor, 3);
	ck_assert_ptr_null(m->u.version.data);
	ck_assert_uint_eq(m->u.version.data_len, 0);
}

static void
chk_dma_map_req(const struct vfu_msg *m)
{
	check_hdr(m, 1, VFIO_USER_DMA_MAP, 48, 0);
	ck_assert_uint_eq(m->u.dma_map.argsz, 32);
	ck_assert_uint_eq(m->u.dma_map.flags, VFIO_USER_F_DMA_REGION_READ |
	    VFIO_USER_F_DMA_REGION_WRITE);
	ck_assert_uint_eq(m->u.dma_map.offset, 0x1000);
	ck_assert_uint_eq(m->u.dma_map.address, 0x100000);
	ck_assert_uint_eq(m->u.dma_map.size, 0x3f00000);
}

static void
chk_dma_map_rep(const struct vfu_msg *m)
{
	check_hdr(m, 1, VFIO_USER_DMA_MAP, 16, 1);
}

static void
chk_dma_unmap(const struct vfu_msg *m)
{
	ck_assert_uint_eq(m->hdr.msg_id, 2);
	ck_assert_uint_eq(m->hdr.msg_size, 40);
	ck_assert_uint_eq(m->u.dma_unmap.argsz, 24);
	ck_assert_uint_eq(m->u.dma_unmap.flags, 0);
	ck_assert_uint_eq(m->u.dma_unmap.address, 0x100000);
	ck_assert_uint_eq(m->u.dma_unmap.size, 0x3f00000);
}

static void
chk_get_info_req(const struct vfu_msg *m)
{
	check_hdr(m, 3, VFIO_USER_DEVICE_GET_INFO, 32, 0);
	ck_assert_uint_eq(m->u.device_info.argsz, 16);
	ck_assert_uint_eq(m->u.device_info.flags, 0);
	ck_assert_uint_eq(m->u.device_info.num_regions, 0);
	ck_assert_uint_eq(m->u.device_info.num_irqs, 0);
}

static void
chk_get_info_rep(const struct vfu_msg *m)
{
	check_hdr(m, 3, VFIO_USER_DEVICE_GET_INFO, 32, 1);
	ck_assert_uint_eq(m->u.device_info.argsz, 16);
	ck_assert_uint_eq(m->u.device_info.flags,
	    VFIO_DEVICE_FLAGS_RESET | VFIO_DEVICE_FLAGS_PCI);
	ck_assert_uint_eq(m->u.device_info.num_regions, 9);
	ck_assert_uint_eq(m->u.device_info.num_irqs, 5);
}

static void
chk_region_info_req(const struct vfu_msg *m)
{
	check_hdr(m, 4, VFIO_USER_DEVICE_GET_REGION_INFO, 48, 0);
	ck_assert_uint_eq(m->u.region_info.argsz, 32);
	ck_assert_uint_eq(m->u.region_info.index, 2);
	ck_assert_uint_eq(m->u.region_info.flags, 0);
	ck_assert_uint_eq(m->u.region_info.cap_offset, 0);
	ck_assert_uint_eq(m->u.region_info.size, 0);
	ck_assert_uint_eq(m->u.region_info.offset, 0);
	ck_assert_uint_eq(m->u.region_info.ncaps, 0);
}

static void
chk_region_info_rep(const struct vfu_msg *m)
{
	check_hdr(m, 4, VFIO_USER_DEVICE_GET_REGION_INFO, 48, 1);
	ck_assert_uint_eq(m->u.region_info.argsz, 32);
	ck_assert_uint_eq(m->u.region_info.flags, VFIO_REGION_INFO_FLAG_READ |
	    VFIO_REGION_INFO_FLAG_WRITE | VFIO_REGION_INFO_FLAG_MMAP);
	ck_assert_uint_eq(m->u.region_info.index, 2);
	ck_assert_uint_eq(m->u.region_info.size, 0x4000);
	ck_assert_uint_eq(m->u.region_info.offset, 0x10000);
	ck_assert_uint_eq(m->u.region_info.ncaps, 0);
	ck_assert_int_eq(m->u.region_info.caps_truncated, 0);
}

static void
chk_region_info_rep_caps(const struct vfu_msg *m)
{
	const struct vfu_region_info *ri = &m->u.region_info;

	check_hdr(m, 5, VFIO_USER_DEVICE_GET_REGION_INFO, 112, 1);
	ck_assert_uint_eq(ri->argsz, 96);
	ck_assert_uint_eq(ri->flags, 0xf);
	ck_assert_uint_eq(ri->cap_offset, 32);
	ck_assert_uint_eq(ri->size, 0x100000);
	ck_assert_int_eq(ri->caps_truncated, 0);
	ck_assert_uint_eq(ri->ncaps, 2);
	ck_assert_uint_eq(ri->caps[0].id, VFIO_REGION_INFO_CAP_SPARSE_MMAP);
	ck_assert_uint_eq(ri->caps[0].version, 1);
	ck_assert_uint_eq(ri->caps[0].next, 80);
	ck_assert_uint_eq(ri->caps[0].pos, 32);
	ck_assert_uint_eq(ri->caps[0].nr_areas, 2);
	ck_assert_uint_eq(ri->caps[0].reserved, 0);
	ck_assert_uint_eq(ri->caps[0].nareas, 2);
	ck_assert_uint_eq(ri->caps[0].areas[0].offset, 0);
	ck_assert_uint_eq(ri->caps[0].areas[0].size, 0x1000);
	ck_assert_uint_eq(ri->caps[0].areas[1].offset, 0x8000);
	ck_assert_uint_eq(ri->caps[0].areas[1].size, 0x8000);
	ck_assert_uint_eq(ri->caps[0].body_len, 40);
	ck_assert_ptr_eq(ri->caps[0].body, m->payload + 40);
	ck_assert_uint_eq(ri->caps[1].id, VFIO_REGION_INFO_CAP_TYPE);
	ck_assert_uint_eq(ri->caps[1].version, 1);
	ck_assert_uint_eq(ri->caps[1].next, 0);
	ck_assert_uint_eq(ri->caps[1].pos, 80);
	ck_assert_uint_eq(ri->caps[1].type, 0x80000000u);
	ck_assert_uint_eq(ri->caps[1].subtype, 1);
	ck_assert_uint_eq(ri->caps[1].body_len, 8);
}

static void
chk_region_info_rep_trunc(const struct vfu_msg *m)
{
	check_hdr(m, 6, VFIO_USER_DEVICE_GET_REGION_INFO, 48, 1);
	ck_assert_uint_eq(m->u.region_info.argsz, 96);
	ck_assert_int_eq(m->u.region_info.caps_truncated, 1);
	ck_assert_uint_eq(m->u.region_info.ncaps, 0);
	ck_assert_uint_eq(m->u.region_info.size, 0x100000);
}

static void
chk_io_fds_req(const struct vfu_msg *m)
{
	check_hdr(m, 8, VFIO_USER_DEVICE_GET_REGION_IO_FDS, 32, 0);
	ck_assert_uint_eq(m->u.region_io_fds.argsz, 16);
	ck_assert_uint_eq(m->u.region_io_fds.flags, 0);
	ck_assert_uint_eq(m->u.region_io_fds.index, 1);
	ck_assert_uint_eq(m->u.region_io_fds.count, 0);
	ck_assert_uint_eq(m->u.region_io_fds.nsub, 0);
}

static void
chk_io_fds_rep(const struct vfu_msg *m)
{
	const struct vfu_region_io_fds *r = &m->u.region_io_fds;

	check_hdr(m, 8, VFIO_USER_DEVICE_GET_REGION_IO_FDS, 112, 1);
	ck_assert_uint_eq(r->argsz, 96);
	ck_assert_uint_eq(r->index, 1);
	ck_assert_uint_eq(r->count, 2);
	ck_assert_uint_eq(r->nsub, 2);
	ck_assert_int_eq(r->truncated, 0);
	ck_assert_uint_eq(r->sub_regions[0].offset, 0x10);
	ck_assert_uint_eq(r->sub_regions[0].size, 4);
	ck_assert_uint_eq(r->sub_regions[0].fd_index, 1);
	ck_assert_uint_eq(r->sub_regions[0].type,
	    VFIO_USER_IO_FD_TYPE_IOEVENTFD);
	ck_assert_uint_eq(r->sub_regions[0].flags, KVM_IOEVENTFD_FLAG_DATAMATCH);
	ck_assert_uint_eq(r->sub_regions[0].padding, 0);
	ck_assert_uint_eq(r->sub_regions[0].datamatch, 0xabcd);
	ck_assert_uint_eq(r->sub_regions[1].offset, 0x100);
	ck_assert_uint_eq(r->sub_regions[1].size, 0x200);
	ck_assert_uint_eq(r->sub_regions[1].fd_index, 0);
	ck_assert_uint_eq(r->sub_regions[1].type,
	    VFIO_USER_IO_FD_TYPE_IOREGIONFD);
	ck_assert_uint_eq(r->sub_regions[1].flags, KVM_IOREGION_POSTED_WRITES);
	ck_assert_uint_eq(r->sub_regions[1].datamatch, 0x1122334455667788ull);
}

static void
chk_irq_info_req(const struct vfu_msg *m)
{
	check_hdr(m, 9, VFIO_USER_DEVICE_GET_IRQ_INFO, 32, 0);
	ck_assert_uint_eq(m->u.irq_info.argsz, 16);
	ck_assert_uint_eq(m->u.irq_info.flags, 0);
	ck_assert_uint_eq(m->u.irq_info.index, VFIO_PCI_MSIX_IRQ_INDEX);
	ck_assert_uint_eq(m->u.irq_info.count, 0);
}

static void
chk_irq_info_rep(const struct vfu_msg *m)
{
	check_hdr(m, 9, VFIO_USER_DEVICE_GET_IRQ_INFO, 32, 1);
	ck_assert_uint_eq(m->u.irq_info.argsz, 16);
	ck_assert_uint_eq(m->u.irq_info.flags, VFIO_IRQ_INFO_EVENTFD |
	    VFIO_IRQ_INFO_MASKABLE | VFIO_IRQ_INFO_NORESIZE);
	ck_assert_uint_eq(m->u.irq_info.index, 2);
	ck_assert_uint_eq(m->u.irq_info.count, 8);
}

static void
chk_set_irqs_req_bool(const struct vfu_msg *m)
{
	static const uint8_t bools[] = { 1, 0, 1, 1 };

	check_hdr(m, 10, VFIO_USER_DEVICE_SET_IRQS, 40, 0);
	ck_assert_uint_eq(m->u.irq_set.argsz, 24);
	ck_assert_uint_eq(m->u.irq_set.flags, VFIO_IRQ_SET_DATA_BOOL |
	    VFIO_IRQ_SET_ACTION_TRIGGER);
	ck_assert_uint_eq(m->u.irq_set.index, 2);
	ck_assert_uint_eq(m->u.irq_set.start, 0);
	ck_assert_uint_eq(m->u.irq_set.count, 4);
	ck_assert_uint_eq(m->u.irq_set.data_len, 4);
	ck_assert_mem_eq(m->u.irq_set.data, bools, 4);
}

static void
chk_set_irqs_req_efd(const struct vfu_msg *m)
{
	check_hdr(m, 11, VFIO_USER_DEVICE_SET_IRQS, 36, 0);
	ck_assert_uint_eq(m->u.irq_set.argsz, 20);
	ck_assert_uint_eq(m->u.irq_set.flags, VFIO_IRQ_SET_DATA_EVENTFD |
	    VFIO_IRQ_SET_ACTION_TRIGGER);
	ck_assert_uint_eq(m->u.irq_set.index, VFIO_PCI_INTX_IRQ_INDEX);
	ck_assert_uint_eq(m->u.irq_set.count, 1);
	ck_assert_uint_eq(m->u.irq_set.data_len, 0);
	ck_assert_ptr_null(m->u.irq_set.data);
}

static void
chk_set_irqs_rep(const struct vfu_msg *m)
{
	check_hdr(m, 11, VFIO_USER_DEVICE_SET_IRQS, 16, 1);
}

static void
chk_region_read_req(const struct vfu_msg *m)
{
	check_hdr(m, 12, VFIO_USER_REGION_READ, 32, 0);
	ck_assert_uint_eq(m->u.region_access.offset, 0x3d);
	ck_assert_uint_eq(m->u.region_access.region,
	    VFIO_PCI_CONFIG_REGION_INDEX);
	ck_assert_uint_eq(m->u.region_access.count, 1);
	ck_assert_uint_eq(m->u.region_access.data_len, 0);
}

static void
chk_region_read_rep(const struct vfu_msg *m)
{
	check_hdr(m, 12, VFIO_USER_REGION_READ, 33, 1);
	ck_assert_uint_eq(m->u.region_access.offset, 0x3d);
	ck_assert_uint_eq(m->u.region_access.region, 7);
	ck_assert_uint_eq(m->u.region_access.count, 1);
	ck_assert_uint_eq(m->u.region_access.data_len, 1);
	ck_assert_uint_eq(m->u.region_access.data[0], 0x01);
}

static void
chk_region_write_req(const struct vfu_msg *m)
{
	check_hdr(m, 13, VFIO_USER_REGION_WRITE, 36, VFIO_USER_F_NO_REPLY);
	ck_assert_uint_eq(m->u.region_access.offset, 0x10);
	ck_assert_uint_eq(m->u.region_access.region, 0);
	ck_assert_uint_eq(m->u.region_access.count, 4);
	ck_assert_uint_eq(m->u.region_access.data_len, 4);
	ck_assert_mem_eq(m->u.region_access.data, "\x78\x56\x34\x12", 4);
}

static void
chk_region_write_rep(const struct vfu_msg *m)
{
	check_hdr(m, 14, VFIO_USER_REGION_WRITE, 32, 1);
	ck_assert_uint_eq(m->u.region_access.offset, 4);
	ck_assert_uint_eq(m->u.region_access.region, 7);
	ck_assert_uint_eq(m->u.region_access.count, 2);
	ck_assert_uint_eq(m->u.region_access.data_len, 0);
}

static void
chk_dma_read_req(const struct vfu_msg *m)
{
	check_hdr(m, 15, VFIO_USER_DMA_READ, 32, 0);
	ck_assert_uint_eq(m->u.dma_access.address, 0x100000);
	ck_assert_uint_eq(m->u.dma_access.count, 8);
	ck_assert_uint_eq(m->u.dma_access.count_size, 8);
	ck_assert_uint_eq(m->u.dma_access.data_len, 0);
}

static void
chk_dma_read_rep(const struct vfu_msg *m)
{
	check_hdr(m, 15, VFIO_USER_DMA_READ, 40, 1);
	ck_assert_uint_eq(m->u.dma_access.address, 0x100000);
	ck_assert_uint_eq(m->u.dma_access.count, 8);
	ck_assert_uint_eq(m->u.dma_access.data_len, 8);
	ck_assert_mem_eq(m->u.dma_access.data, "\1\2\3\4\5\6\7\10", 8);
}

static void
chk_dma_write_req(const struct vfu_msg *m)
{
	check_hdr(m, 16, VFIO_USER_DMA_WRITE, 36, 0);
	ck_assert_uint_eq(m->u.dma_access.address, 0x200000);
	ck_assert_uint_eq(m->u.dma_access.count, 4);
	ck_assert_uint_eq(m->u.dma_access.data_len, 4);
	ck_assert_mem_eq(m->u.dma_access.data, "\xde\xad\xbe\xef", 4);
}

static void
chk_dma_write_rep8(const struct vfu_msg *m)
{
	check_hdr(m, 16, VFIO_USER_DMA_WRITE, 32, 1);
	ck_assert_uint_eq(m->u.dma_access.address, 0x200000);
	ck_assert_uint_eq(m->u.dma_access.count, 4);
	ck_assert_uint_eq(m->u.dma_access.count_size, 8);
}

static void
chk_dma_write_rep4(const struct vfu_msg *m)
{
	check_hdr(m, 17, VFIO_USER_DMA_WRITE, 28, 1);
	ck_assert_uint_eq(m->u.dma_access.address, 0x200000);
	ck_assert_uint_eq(m->u.dma_access.count, 4);
	ck_assert_uint_eq(m->u.dma_access.count_size, 4);
}

static void
chk_reset_req(const struct vfu_msg *m)
{
	check_hdr(m, 18, VFIO_USER_DEVICE_RESET, 16, 0);
}

static void
chk_reset_rep(const struct vfu_msg *m)
{
	check_hdr(m, 18, VFIO_USER_DEVICE_RESET, 16, 1);
}

static void
chk_write_multi_req(const struct vfu_msg *m)
{
	const struct vfu_write_multi *w = &m->u.write_multi;

	check_hdr(m, 19, VFIO_USER_REGION_WRITE_MULTI, 72,
	    VFIO_USER_F_NO_REPLY);
	ck_assert_uint_eq(w->wr_cnt, 2);
	ck_assert_uint_eq(w->nwrs, 2);
	ck_assert_uint_eq(w->wrs[0].offset, 0x10);
	ck_assert_uint_eq(w->wrs[0].region, 0);
	ck_assert_uint_eq(w->wrs[0].count, 4);
	ck_assert_mem_eq(w->wrs[0].data, "\x78\x56\x34\x12\0\0\0\0", 8);
	ck_assert_uint_eq(w->wrs[1].offset, 0x18);
	ck_assert_uint_eq(w->wrs[1].count, 8);
	ck_assert_mem_eq(w->wrs[1].data, "\1\2\3\4\5\6\7\10", 8);
}

static void
chk_write_multi_rep(const struct vfu_msg *m)
{
	check_hdr(m, 19, VFIO_USER_REGION_WRITE_MULTI, 24, 1);
	ck_assert_uint_eq(m->u.write_multi.wr_cnt, 2);
	ck_assert_uint_eq(m->u.write_multi.nwrs, 0);
}

static void
chk_feat_probe(const struct vfu_msg *m)
{
	ck_assert_uint_eq(m->hdr.msg_id, 20);
	ck_assert_uint_eq(m->u.feature.argsz, 8);
	ck_assert_uint_eq(m->u.feature.flags, VFIO_DEVICE_FEATURE_MIGRATION |
	    VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_PROBE);
	ck_assert_int_eq(m->u.feature.form, VFU_FEATURE_DATA_NONE);
	ck_assert_uint_eq(m->u.feature.data_len, 0);
}

static void
chk_feat_mig_get_req(const struct vfu_msg *m)
{
	check_hdr(m, 21, VFIO_USER_DEVICE_FEATURE, 24, 0);
	ck_assert_uint_eq(m->u.feature.argsz, 16);
	ck_assert_int_eq(m->u.feature.form, VFU_FEATURE_DATA_NONE);
}

static void
chk_feat_mig_get_rep(const struct vfu_msg *m)
{
	check_hdr(m, 21, VFIO_USER_DEVICE_FEATURE, 32, 1);
	ck_assert_uint_eq(m->u.feature.argsz, 16);
	ck_assert_int_eq(m->u.feature.form, VFU_FEATURE_DATA_MIGRATION);
	ck_assert_uint_eq(m->u.feature.mig_flags,
	    VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_PRE_COPY);
	ck_assert_uint_eq(m->u.feature.data_len, 8);
	ck_assert_ptr_eq(m->u.feature.data, m->payload + 8);
}

static void
chk_feat_state_set(const struct vfu_msg *m)
{
	ck_assert_uint_eq(m->hdr.msg_id, 22);
	ck_assert_uint_eq(m->hdr.msg_size, 32);
	ck_assert_uint_eq(m->u.feature.argsz, 16);
	ck_assert_uint_eq(m->u.feature.flags,
	    VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE | VFIO_DEVICE_FEATURE_SET);
	ck_assert_int_eq(m->u.feature.form, VFU_FEATURE_DATA_MIG_STATE);
	ck_assert_uint_eq(m->u.feature.device_state,
	    VFIO_DEVICE_STATE_STOP_COPY);
	ck_assert_uint_eq(m->u.feature.data_fd, 0);
}

static void
chk_feat_state_get_req(const struct vfu_msg *m)
{
	check_hdr(m, 23, VFIO_USER_DEVICE_FEATURE, 24, 0);
	ck_assert_int_eq(m->u.feature.form, VFU_FEATURE_DATA_NONE);
}

static void
chk_feat_state_get_rep(const struct vfu_msg *m)
{
	check_hdr(m, 23, VFIO_USER_DEVICE_FEATURE, 32, 1);
	ck_assert_int_eq(m->u.feature.form, VFU_FEATURE_DATA_MIG_STATE);
	ck_assert_uint_eq(m->u.feature.device_state, VFIO_DEVICE_STATE_RUNNING);
}

static void
chk_feat_log_start(const struct vfu_msg *m)
{
	const struct vfu_device_feature *f = &m->u.feature;

	ck_assert_uint_eq(m->hdr.msg_id, 24);
	ck_assert_uint_eq(m->hdr.msg_size, 72);
	ck_assert_uint_eq(f->argsz, 56);
	ck_assert_int_eq(f->form, VFU_FEATURE_DATA_LOGGING_START);
	ck_assert_uint_eq(f->page_size, 4096);
	ck_assert_uint_eq(f->num_ranges, 2);
	ck_assert_uint_eq(f->reserved, 0);
	ck_assert_uint_eq(f->nranges, 2);
	ck_assert_uint_eq(f->ranges[0].iova, 0);
	ck_assert_uint_eq(f->ranges[0].length, 0xa0000);
	ck_assert_uint_eq(f->ranges[1].iova, 0x100000);
	ck_assert_uint_eq(f->ranges[1].length, 0x3f00000);
	ck_assert_uint_eq(f->data_len, 48);
}

static void
chk_feat_log_stop(const struct vfu_msg *m)
{
	ck_assert_uint_eq(m->hdr.msg_id, 25);
	ck_assert_uint_eq(m->u.feature.flags,
	    VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP | VFIO_DEVICE_FEATURE_SET);
	ck_assert_int_eq(m->u.feature.form, VFU_FEATURE_DATA_NONE);
	ck_assert_uint_eq(m->u.feature.data_len, 0);
}

static void
chk_feat_report_req(const struct vfu_msg *m)
{
	check_hdr(m, 26, VFIO_USER_DEVICE_FEATURE, 48, 0);
	ck_assert_uint_eq(m->u.feature.argsz, 40);
	ck_assert_int_eq(m->u.feature.form, VFU_FEATURE_DATA_LOGGING_REPORT);
	ck_assert_uint_eq(m->u.feature.iova, 0x100000);
	ck_assert_uint_eq(m->u.feature.length, 0x40000);
	ck_assert_uint_eq(m->u.feature.page_size, 4096);
	ck_assert_uint_eq(m->u.feature.bitmap_words, 0);
}

static void
chk_feat_report_rep(const struct vfu_msg *m)
{
	check_hdr(m, 26, VFIO_USER_DEVICE_FEATURE, 56, 1);
	ck_assert_int_eq(m->u.feature.form, VFU_FEATURE_DATA_LOGGING_REPORT);
	ck_assert_uint_eq(m->u.feature.iova, 0x100000);
	ck_assert_uint_eq(m->u.feature.length, 0x40000);
	ck_assert_uint_eq(m->u.feature.page_size, 4096);
	ck_assert_uint_eq(m->u.feature.bitmap_words, 1);
	ck_assert_uint_eq(m->u.feature.bitmap[0], 0x8000000000000005ull);
}

static void
chk_mig_read_req(const struct vfu_msg *m)
{
	check_hdr(m, 27, VFIO_USER_MIG_DATA_READ, 24, 0);
	ck_assert_uint_eq(m->u.mig_data.argsz, 24);
	ck_assert_uint_eq(m->u.mig_data.size, 16);
	ck_assert_uint_eq(m->u.mig_data.data_len, 0);
}

static void
chk_mig_data(const struct vfu_msg *m)
{
	ck_assert_uint_eq(m->hdr.msg_size, 28);
	ck_assert_uint_eq(m->u.mig_data.argsz, 12);
	ck_assert_uint_eq(m->u.mig_data.size, 4);
	ck_assert_uint_eq(m->u.mig_data.data_len, 4);
	ck_assert_mem_eq(m->u.mig_data.data, "\xca\xfe\xf0\x0d", 4);
}

static void
chk_mig_write_rep(const struct vfu_msg *m)
{
	check_hdr(m, 28, VFIO_USER_MIG_DATA_WRITE, 16, 1);
}

static void
chk_error_rep(const struct vfu_msg *m)
{
	ck_assert_uint_eq(m->hdr.msg_id, 29);
	ck_assert_uint_eq(m->hdr.command, VFIO_USER_REGION_READ);
	ck_assert_uint_eq(m->hdr.flags,
	    VFIO_USER_F_TYPE_REPLY | VFIO_USER_F_ERROR);
	ck_assert_uint_eq(m->hdr.error, 5);
	ck_assert_uint_eq(m->payload_len, 0);
}

/* ---- The vector table -------------------------------------------------- */

/* Fields vfu_msg_autofill() computes, scrubbed before it runs. */
#define SC_ARGSZ	(1u << 0)
#define SC_COUNT	(1u << 1)	/* count / size / wr_cnt of the data */
#define SC_CAPS		(1u << 2)	/* cap_offset, CAPS flag, pos, next */
#define SC_RANGES	(1u << 3)	/* num_ranges */
#define SC_NOFILL	(1u << 7)	/* not what autofill produces */

struct golden {
	const char	*name;
	const uint8_t	*bytes;
	size_t		 len;
	void		(*check)(const struct vfu_msg *);
	size_t		 prefix_ok;	/* shortest proper prefix (msg_size
					 * fixed) that may decode; 0 = none */
	unsigned	 scrub;
};

#define G(v, c, p, s)	{ #v, v, sizeof(v), c, p, s }

static const struct golden goldens[] = {
	G(g_version_req, chk_version_req, 20, 0),
	G(g_version_rep, chk_version_rep, 20, 0),
	G(g_version_req_nodata, chk_version_req_nodata, 0, 0),
	G(g_dma_map_req, chk_dma_map_req, 0, SC_ARGSZ),
	G(g_dma_map_rep, chk_dma_map_rep, 0, 0),
	G(g_dma_unmap_req, chk_dma_unmap, 0, SC_ARGSZ),
	G(g_dma_unmap_rep, chk_dma_unmap, 0, SC_ARGSZ),
	G(g_get_info_req, chk_get_info_req, 0, SC_ARGSZ),
	G(g_get_info_rep, chk_get_info_rep, 0, SC_ARGSZ),
	G(g_region_info_req, chk_region_info_req, 0, SC_ARGSZ),
	G(g_region_info_rep, chk_region_info_rep, 0, SC_ARGSZ),
	G(g_region_info_rep_caps, chk_region_info_rep_caps, 48,
	    SC_ARGSZ | SC_CAPS),
	G(g_region_info_rep_trunc, chk_region_info_rep_trunc, 0, SC_NOFILL),
	G(g_io_fds_req, chk_io_fds_req, 0, SC_ARGSZ | SC_COUNT),
	G(g_io_fds_rep, chk_io_fds_rep, 32, SC_ARGSZ | SC_COUNT),
	G(g_irq_info_req, chk_irq_info_req, 0, SC_ARGSZ),
	G(g_irq_info_rep, chk_irq_info_rep, 0, SC_ARGSZ),
	G(g_set_irqs_req_bool, chk_set_irqs_req_bool, 0, SC_ARGSZ | SC_COUNT),
	G(g_set_irqs_req_efd, chk_set_irqs_req_efd, 0, SC_ARGSZ),
	G(g_set_irqs_rep, chk_set_irqs_rep, 0, 0),
	G(g_region_read_req, chk_region_read_req, 0, 0),
	G(g_region_read_rep, chk_region_read_rep, 0, SC_COUNT),
	G(g_region_write_req, chk_region_write_req, 0, SC_COUNT),
	G(g_region_write_rep, chk_region_write_rep, 0, 0),
	G(g_dma_read_req, chk_dma_read_req, 0, 0),
	G(g_dma_read_rep, chk_dma_read_rep, 0, SC_COUNT),
	G(g_dma_write_req, chk_dma_write_req, 0, SC_COUNT),
	G(g_dma_write_rep8, chk_dma_write_rep8, 28, 0),
	G(g_dma_write_rep4, chk_dma_write_rep4, 0, 0),
	G(g_reset_req, chk_reset_req, 0, 0),
	G(g_reset_rep, chk_reset_rep, 0, 0),
	G(g_write_multi_req, chk_write_multi_req, 0, SC_COUNT),
	G(g_write_multi_rep, chk_write_multi_rep, 0, 0),
	G(g_feat_probe_req, chk_feat_probe, 0, SC_ARGSZ),
	G(g_feat_probe_rep, chk_feat_probe, 0, SC_ARGSZ),
	G(g_feat_mig_get_req, chk_feat_mig_get_req, 0, SC_ARGSZ),
	G(g_feat_mig_get_rep, chk_feat_mig_get_rep, 0, SC_ARGSZ),
	G(g_feat_state_set_req, chk_feat_state_set, 0, SC_ARGSZ),
	G(g_feat_state_set_rep, chk_feat_state_set, 0, SC_ARGSZ),
	G(g_feat_state_get_req, chk_feat_state_get_req, 0, SC_ARGSZ),
	G(g_feat_state_get_rep, chk_feat_state_get_rep, 0, SC_ARGSZ),
	G(g_feat_log_start_req, chk_feat_log_start, 0, SC_ARGSZ | SC_RANGES),
	G(g_feat_log_start_rep, chk_feat_log_start, 0, SC_ARGSZ | SC_RANGES),
	G(g_feat_log_stop_req, chk_feat_log_stop, 0, SC_ARGSZ),
	G(g_feat_log_stop_rep, chk_feat_log_stop, 0, SC_ARGSZ),
	G(g_feat_report_req, chk_feat_report_req, 0, SC_ARGSZ),
	G(g_feat_report_rep, chk_feat_report_rep, 48, SC_ARGSZ),
	G(g_mig_read_req, chk_mig_read_req, 0, SC_ARGSZ),
	G(g_mig_read_rep, chk_mig_data, 0, SC_ARGSZ | SC_COUNT),
	G(g_mig_write_req, chk_mig_data, 0, SC_ARGSZ | SC_COUNT),
	G(g_mig_write_rep, chk_mig_write_rep, 0, 0),
	G(g_error_rep, chk_error_rep, 0, 0),
};

/* Every length cut of every vector: (vector, length) from one index. */
static size_t
cut_total(void)
{
	size_t	i, n = 0;

	for (i = 0; i < NELEM(goldens); i++)
		n += goldens[i].len;
	return (n);
}

static const struct golden *
cut_at(size_t k, size_t *len)
{
	size_t	i;

	for (i = 0; i < NELEM(goldens); i++) {
		if (k < goldens[i].len) {
			*len = k;
			return (&goldens[i]);
		}
		k -= goldens[i].len;
	}
	return (NULL);
}

/* ---- Helpers ----------------------------------------------------------- */

static void
decode_ok(const uint8_t *b, size_t len, struct vfu_msg *m)
{
	struct diag	d;
	char		s[512];
	int		rc;

	diag_clear(&d);
	rc = vfu_msg_decode(b, len, m, &d);
	ck_assert_msg(rc == 0, "decode failed: %s", diag_str(&d, s, sizeof(s)));
}

/* Decodes b (which must fail) and checks field and offset. */
static void
decode_fails(const uint8_t *b, size_t len, const char *field, size_t offset)
{
	struct vfu_msg	m;
	struct diag	d;

	diag_clear(&d);
	ck_assert_int_eq(vfu_msg_decode(b, len, &m, &d), -1);
	ck_assert_str_eq(d.field, field);
	ck_assert_uint_eq(d.offset, offset);
	ck_assert_ptr_null(m.arena);
}

/* Encodes m and compares it with want. */
static void
encode_eq(const struct vfu_msg *m, unsigned flags, const uint8_t *want,
    size_t len)
{
	struct wbuf	wb;
	struct diag	d;
	char		s[512];
	size_t		i;
	int		rc;

	wbuf_init(&wb, 1 << 20);
	rc = vfu_msg_encode(m, &wb, flags, &d);
	ck_assert_msg(rc == 0, "encode failed: %s", diag_str(&d, s, sizeof(s)));
	for (i = 0; i < wb.len && i < len; i++)
		ck_assert_msg(wb.p[i] == want[i], "byte %zu: 0x%02x, want "
		    "0x%02x", i, wb.p[i], want[i]);
	ck_assert_uint_eq(wb.len, len);
	wbuf_free(&wb);
}

/* A writable copy of a vector, msg_size patched to len. */
static uint8_t *
copy_sized(const uint8_t *b, size_t blen, size_t len)
{
	uint8_t		*p;
	uint32_t	 sz = (uint32_t)len;

	p = calloc(1, len > 0 ? len : 1);
	ck_assert_ptr_nonnull(p);
	memcpy(p, b, blen < len ? blen : len);
	if (len >= 8)
		memcpy(p + 4, &sz, 4);
	return (p);
}

static void
put32(uint8_t *p, size_t off, uint32_t v)
{
	memcpy(p + off, &v, 4);
}

static void
put64(uint8_t *p, size_t off, uint64_t v)
{
	memcpy(p + off, &v, 8);
}

/* ---- Golden tests ------------------------------------------------------ */

START_TEST(test_vfu_msg_decode_golden)
{
	const struct golden *g = &goldens[_i];
	struct vfu_msg	m;

	decode_ok(g->bytes, g->len, &m);
	g->check(&m);
	encode_eq(&m, 0, g->bytes, g->len);
	encode_eq(&m, VFU_ENC_AUTO_SIZE, g->bytes, g->len);
	vfu_msg_release(&m);
	ck_assert_ptr_null(m.arena);
}
END_TEST

/* Sets every computed field to garbage, autofills, encodes: the vector. */
START_TEST(test_vfu_msg_autofill_golden)
{
	const struct golden *g = &goldens[_i];
	const struct vfu_msg_desc *md;
	const struct vfu_field *f;
	struct vfu_msg	m;
	size_t		i;
	static const char *const counts[] = { "count", "size", "wr_cnt" };

	if (g->scrub & SC_NOFILL)
		return;
	decode_ok(g->bytes, g->len, &m);
	md = vfu_msg_desc(m.hdr.command, vfu_hdr_is_reply(&m.hdr));
	ck_assert_ptr_nonnull(md);
	m.hdr.msg_size = 0xdead;
	if ((g->scrub & SC_ARGSZ) != 0) {
		f = vfu_field_find(md->fields, md->nfields, "argsz");
		ck_assert_ptr_nonnull(f);
		vfu_field_set(&m.u, f, 0x5a5a5a5a);
	}
	for (i = 0; (g->scrub & SC_COUNT) != 0 && i < NELEM(counts); i++)
		if ((f = vfu_field_find(md->fields, md->nfields, counts[i])) !=
		    NULL)
			vfu_field_set(&m.u, f, 0x5a5a5a5a);
	if (g->scrub & SC_CAPS) {
		m.u.region_info.cap_offset = 0x5a5a;
		m.u.region_info.flags &= ~VFIO_REGION_INFO_FLAG_CAPS;
		for (i = 0; i < m.u.region_info.ncaps; i++) {
			m.u.region_info.caps[i].pos = 0;
			m.u.region_info.caps[i].next = 0x5a5a;
			m.u.region_info.caps[i].nr_areas = 0x5a5a;
		}
	}
	if (g->scrub & SC_RANGES)
		m.u.feature.num_ranges = 0x5a5a;
	vfu_msg_autofill(&m);
	encode_eq(&m, VFU_ENC_AUTO_SIZE, g->bytes, g->len);
	vfu_msg_release(&m);
}
END_TEST

/* Cut short with msg_size unchanged: the size check catches it. */
START_TEST(test_vfu_msg_decode_truncated)
{
	const struct golden *g;
	size_t		len;

	g = cut_at((size_t)_i, &len);
	ck_assert_ptr_nonnull(g);
	if (len < VFIO_USER_HDR_SIZE)
		decode_fails(g->bytes, len,
		    len < 2 ? "hdr.msg_id" : len < 4 ? "hdr.command" :
		    len < 8 ? "hdr.msg_size" : len < 12 ? "hdr.flags" :
		    "hdr.error",
		    len < 2 ? 0 : len < 4 ? 2 : len < 8 ? 4 : len < 12 ? 8 : 12);
	else
		decode_fails(g->bytes, len, "hdr.msg_size", 4);
}
END_TEST

/*
 * Cut short with msg_size patched to match, so the payload decoder itself
 * meets the short bytes: it fails with a located error, or (for the few
 * vectors whose prefixes are legal messages) decodes.
 */
START_TEST(test_vfu_msg_decode_truncated_resized)
{
	const struct golden *g;
	struct vfu_msg	m;
	struct diag	d;
	uint8_t		*b;
	size_t		len;
	int		rc;

	g = cut_at((size_t)_i, &len);
	ck_assert_ptr_nonnull(g);
	b = copy_sized(g->bytes, g->len, len);
	diag_clear(&d);
	rc = vfu_msg_decode(b, len, &m, &d);
	if (rc == 0 && len == VFIO_USER_HDR_SIZE +
	    VFIO_USER_DEVICE_FEATURE_SIZE && m.hdr.command ==
	    VFIO_USER_DEVICE_FEATURE && vfu_hdr_is_reply(&m.hdr)) {
		/* argsz and flags only: the data did not fit the client's
		 * argsz (spec "Message sizes"). */
		ck_assert_int_eq(m.u.feature.form, VFU_FEATURE_DATA_NONE);
		ck_assert_int_eq(m.u.feature.truncated,
		    m.u.feature.argsz > VFIO_USER_DEVICE_FEATURE_SIZE);
		vfu_msg_release(&m);
	} else if (rc == 0) {
		ck_assert_msg(g->prefix_ok != 0 && len >= g->prefix_ok,
		    "%s cut at %zu decoded", g->name, len);
		ck_assert_uint_eq(m.payload_len, len - 16);
		vfu_msg_release(&m);
	} else {
		ck_assert_int_eq(rc, -1);
		ck_assert_str_ne(d.field, "");
		ck_assert_uint_le(d.offset, len);
		ck_assert_ptr_null(m.arena);
	}
	free(b);
}
END_TEST

/* A byte after a payload that ends where its table ends is an error. */
START_TEST(test_vfu_msg_decode_trailing_bytes)
{
	const struct golden *g = &goldens[_i];
	const struct vfu_msg_desc *md;
	struct vfu_msg	m;
	uint8_t		*b;

	decode_ok(g->bytes, g->len, &m);
	md = vfu_msg_desc(m.hdr.command, vfu_hdr_is_reply(&m.hdr));
	vfu_msg_release(&m);
	/* VERSION data and RAW feature data run to the end by definition;
	 * an error reply or a truncated reply accept what follows. */
	if (m.hdr.command == VFIO_USER_VERSION ||
	    (m.hdr.flags & VFIO_USER_F_ERROR) || g->prefix_ok != 0 ||
	    (g->scrub & SC_NOFILL))
		return;
	b = copy_sized(g->bytes, g->len, g->len + 1);
	b[g->len] = 0xff;
	ck_assert_ptr_nonnull(md);
	if (g->bytes == g_dma_write_rep4)	/* 13 bytes: the 16-byte form */
		decode_fails(b, g->len + 1, "dma_write.count", 24);
	else if (g->bytes == g_feat_log_stop_req ||
	    g->bytes == g_feat_log_stop_rep)	/* data: the START layout */
		decode_fails(b, g->len + 1, "device_feature.page_size", 24);
	else
		decode_fails(b, g->len + 1, md->path, g->len);
	free(b);
}
END_TEST

/* ---- Header errors ----------------------------------------------------- */

START_TEST(test_vfu_hdr_decode_short)
{
	struct vfu_hdr	h;
	struct diag	d;

	ck_assert_int_eq(vfu_hdr_decode(g_reset_req, 15, &h, &d), -1);
	ck_assert_str_eq(d.field, "hdr.error");
	ck_assert_uint_eq(d.offset, 12);
	ck_assert_int_eq(vfu_hdr_decode(g_reset_req, 16, &h, &d), 0);
	ck_assert_uint_eq(h.msg_id, 18);
	ck_assert_uint_eq(h.command, 13);
	ck_assert_uint_eq(h.msg_size, 16);
}
END_TEST

START_TEST(test_vfu_msg_decode_msg_size_larger)
{
	uint8_t	*b = copy_sized(g_dma_map_req, sizeof(g_dma_map_req), 48);

	put32(b, 4, 49);
	decode_fails(b, 48, "hdr.msg_size", 4);
	put32(b, 4, 0xffffffff);
	decode_fails(b, 48, "hdr.msg_size", 4);
	free(b);
}
END_TEST

START_TEST(test_vfu_msg_decode_msg_size_smaller)
{
	uint8_t	*b = copy_sized(g_dma_map_req, sizeof(g_dma_map_req), 48);

	put32(b, 4, 47);
	decode_fails(b, 48, "hdr.msg_size", 4);
	put32(b, 4, 0);
	decode_fails(b, 48, "hdr.msg_size", 4);
	free(b);
}
END_TEST

/* Types 2-15 are neither Command nor Reply. */
START_TEST(test_vfu_msg_decode_bad_type)
{
	uint8_t	*b = copy_sized(g_reset_req, sizeof(g_reset_req), 16);

	put32(b, 8, (uint32_t)_i);
	decode_fails(b, 16, "hdr.flags", 8);
	put32(b, 8, (uint32_t)_i | VFIO_USER_F_ERROR);
	decode_fails(b, 16, "hdr.flags", 8);
	free(b);
}
END_TEST

START_TEST(test_vfu_msg_decode_unknown_command)
{
	static const uint16_t bad[] = { 0, 14, 19, 0x7fff, 0xffff };
	uint8_t	*b = copy_sized(g_reset_req, sizeof(g_reset_req), 16);
	size_t	i;

	for (i = 0; i < NELEM(bad); i++) {
		memcpy(b + 2, &bad[i], 2);
		decode_fails(b, 16, "hdr.command", 2);
		put32(b, 8, VFIO_USER_F_TYPE_REPLY);
		decode_fails(b, 16, "hdr.command", 2);
		put32(b, 8, 0);
	}
	free(b);
}
END_TEST

/* "If an error occurs, the reply message must only include the reply
 * header": bytes after it are kept, not decoded (the linter judges them). */
START_TEST(test_vfu_msg_decode_error_reply_no_body)
{
	uint8_t		*b = copy_sized(g_dma_unmap_rep, sizeof(g_dma_unmap_rep),
			    40);
	struct vfu_msg	 m;

	put32(b, 8, VFIO_USER_F_TYPE_REPLY | VFIO_USER_F_ERROR);
	put32(b, 12, 17);
	decode_ok(b, 40, &m);
	ck_assert_uint_eq(m.hdr.error, 17);
	ck_assert_uint_eq(m.payload_len, 24);
	ck_assert_uint_eq(m.u.dma_unmap.argsz, 0);
	ck_assert_uint_eq(m.u.dma_unmap.address, 0);
	vfu_msg_release(&m);
	free(b);
}
END_TEST

/* The Error bit on a command is not an error reply: the body decodes. */
START_TEST(test_vfu_msg_decode_error_bit_on_command)
{
	uint8_t		*b = copy_sized(g_dma_unmap_req, sizeof(g_dma_unmap_req),
			    40);
	struct vfu_msg	 m;

	put32(b, 8, VFIO_USER_F_ERROR);
	decode_ok(b, 40, &m);
	ck_assert_uint_eq(m.u.dma_unmap.address, 0x100000);
	free(b);
}
END_TEST

/* ---- argsz ------------------------------------------------------------- */

/* A request's argsz below the fixed reply size is for the linter. */
START_TEST(test_vfu_msg_decode_argsz_smaller_request)
{
	uint8_t		*b = copy_sized(g_get_info_req, sizeof(g_get_info_req),
			    32);
	struct vfu_msg	 m;

	put32(b, 16, 8);
	decode_ok(b, 32, &m);
	ck_assert_uint_eq(m.u.device_info.argsz, 8);
	put32(b, 16, 0xffffffff);
	decode_ok(b, 32, &m);
	ck_assert_uint_eq(m.u.device_info.argsz, 0xffffffff);
	free(b);
}
END_TEST

/* A reply's argsz above the payload: caps not included, not an error. */
START_TEST(test_vfu_msg_decode_argsz_larger_region_info)
{
	uint8_t		*b;
	struct vfu_msg	 m;

	/* the caps vector cut after cap 0 (argsz still 96) */
	b = copy_sized(g_region_info_rep_caps, sizeof(g_region_info_rep_caps),
	    96);
	decode_ok(b, 96, &m);
	ck_assert_int_eq(m.u.region_info.caps_truncated, 1);
	ck_assert_uint_eq(m.u.region_info.ncaps, 1);
	ck_assert_uint_eq(m.u.region_info.caps[0].nareas, 2);
	vfu_msg_release(&m);
	free(b);
	/* cut inside cap 0's areas: what is there */
	b = copy_sized(g_region_info_rep_caps, sizeof(g_region_info_rep_caps),
	    80);
	decode_ok(b, 80, &m);
	ck_assert_uint_eq(m.u.region_info.ncaps, 1);
	ck_assert_uint_eq(m.u.region_info.caps[0].nr_areas, 2);
	ck_assert_uint_eq(m.u.region_info.caps[0].nareas, 1);
	vfu_msg_release(&m);
	free(b);
	/* kernel style: CAPS set, cap_offset 0, just the 32 bytes */
	b = copy_sized(g_region_info_rep_trunc, sizeof(g_region_info_rep_trunc),
	    48);
	put32(b, 20, 0xf);
	decode_ok(b, 48, &m);
	ck_assert_int_eq(m.u.region_info.caps_truncated, 1);
	ck_assert_uint_eq(m.u.region_info.ncaps, 0);
	free(b);
}
END_TEST

/* A reply's argsz below the fixed part is decoded as sent. */
START_TEST(test_vfu_msg_decode_argsz_smaller_region_info)
{
	uint8_t		*b;
	struct vfu_msg	 m;

	b = copy_sized(g_region_info_rep, sizeof(g_region_info_rep), 48);
	put32(b, 16, 16);
	decode_ok(b, 48, &m);
	ck_assert_uint_eq(m.u.region_info.argsz, 16);
	ck_assert_int_eq(m.u.region_info.caps_truncated, 0);
	free(b);
	/* with caps present, a small argsz does not excuse a bad chain */
	b = copy_sized(g_region_info_rep_caps, sizeof(g_region_info_rep_caps),
	    112);
	put32(b, 16, 16);
	put32(b, 16 + 32 + 4, 200);
	decode_fails(b, 112, "region_info.caps[0].next", 16 + 32 + 4);
	free(b);
}
END_TEST

START_TEST(test_vfu_msg_decode_argsz_larger_io_fds)
{
	uint8_t		*b;
	struct vfu_msg	 m;

	b = copy_sized(g_io_fds_rep, sizeof(g_io_fds_rep), 72);
	decode_ok(b, 72, &m);
	ck_assert_int_eq(m.u.region_io_fds.truncated, 1);
	ck_assert_uint_eq(m.u.region_io_fds.count, 2);
	ck_assert_uint_eq(m.u.region_io_fds.nsub, 1);
	ck_assert_uint_eq(m.u.region_io_fds.sub_regions[0].datamatch, 0xabcd);
	vfu_msg_release(&m);
	free(b);
}
END_TEST

/* ---- Capability chains ------------------------------------------------- */

START_TEST(test_vfu_msg_decode_cap_loop_self)
{
	uint8_t	*b = copy_sized(g_region_info_rep_caps,
		    sizeof(g_region_info_rep_caps), 112);
	struct diag d;
	struct vfu_msg m;

	put32(b, 16 + 32 + 4, 32);
	decode_fails(b, 112, "region_info.caps[0].next", 16 + 32 + 4);
	ck_assert_int_eq(vfu_msg_decode(b, 112, &m, &d), -1);
	ck_assert_ptr_nonnull(strstr(d.msg, "loops back to caps[0]"));
	free(b);
}
END_TEST

START_TEST(test_vfu_msg_decode_cap_loop_back)
{
	uint8_t	*b = copy_sized(g_region_info_rep_caps,
		    sizeof(g_region_info_rep_caps), 112);
	struct diag d;
	struct vfu_msg m;

	put32(b, 16 + 80 + 4, 32);
	decode_fails(b, 112, "region_info.caps[1].next", 16 + 80 + 4);
	ck_assert_int_eq(vfu_msg_decode(b, 112, &m, &d), -1);
	ck_assert_ptr_nonnull(strstr(d.msg, "loops back to caps[0]"));
	free(b);
}
END_TEST

START_TEST(test_vfu_msg_decode_cap_overlap)
{
	uint8_t	*b = copy_sized(g_region_info_rep_caps,
		    sizeof(g_region_info_rep_caps), 112);

	put32(b, 16 + 80 + 4, 36);
	decode_fails(b, 112, "region_info.caps[1].next", 16 + 80 + 4);
	free(b);
}
END_TEST

START_TEST(test_vfu_msg_decode_cap_offset_out_of_range)
{
	uint8_t	*b = copy_sized(g_region_info_rep_caps,
		    sizeof(g_region_info_rep_caps), 112);

	put32(b, 16 + 12, 96);		/* header would end at 104 > 96 */
	decode_fails(b, 112, "region_info.cap_offset", 16 + 12);
	put32(b, 16 + 12, 0xfffffff8);
	decode_fails(b, 112, "region_info.cap_offset", 16 + 12);
	put32(b, 16 + 12, 16);		/* inside the 32-byte structure */
	decode_fails(b, 112, "region_info.cap_offset", 16 + 12);
	free(b);
}
END_TEST

START_TEST(test_vfu_msg_decode_cap_next_out_of_range)
{
	uint8_t	*b = copy_sized(g_region_info_rep_caps,
		    sizeof(g_region_info_rep_caps), 112);

	put32(b, 16 + 32 + 4, 92);
	decode_fails(b, 112, "region_info.caps[0].next", 16 + 32 + 4);
	put32(b, 16 + 32 + 4, 8);
	decode_fails(b, 112, "region_info.caps[0].next", 16 + 32 + 4);
	free(b);
}
END_TEST

/* nr_areas claiming more than fit before the next cap. */
START_TEST(test_vfu_msg_decode_nr_areas_too_many)
{
	uint8_t	*b = copy_sized(g_region_info_rep_caps,
		    sizeof(g_region_info_rep_caps), 112);

	put32(b, 16 + 40, 3);
	decode_fails(b, 112, "region_info.caps[0].nr_areas", 16 + 40);
	put32(b, 16 + 40, 0xffffffff);
	decode_fails(b, 112, "region_info.caps[0].nr_areas", 16 + 40);
	free(b);
}
END_TEST

/* A cap chain that goes backwards without looping is legal. */
START_TEST(test_vfu_msg_decode_cap_chain_backwards)
{
	uint8_t		*b = copy_sized(g_region_info_rep_caps,
			    sizeof(g_region_info_rep_caps), 112);
	struct vfu_msg	 m;

	put32(b, 16 + 12, 80);		/* cap_offset -> the type cap */
	put32(b, 16 + 80 + 4, 32);	/* type -> sparse */
	put32(b, 16 + 32 + 4, 0);	/* sparse ends the chain */
	decode_ok(b, 112, &m);
	ck_assert_uint_eq(m.u.region_info.ncaps, 2);
	ck_assert_uint_eq(m.u.region_info.caps[0].id,
	    VFIO_REGION_INFO_CAP_TYPE);
	ck_assert_uint_eq(m.u.region_info.caps[1].id,
	    VFIO_REGION_INFO_CAP_SPARSE_MMAP);
	ck_assert_uint_eq(m.u.region_info.caps[1].body_len, 40);
	ck_assert_uint_eq(m.u.region_info.caps[1].nareas, 2);
	vfu_msg_release(&m);
	free(b);
}
END_TEST

/* An unknown cap id keeps its body as raw bytes and re-encodes. */
START_TEST(test_vfu_msg_decode_cap_unknown_id)
{
	uint8_t		*b = copy_sized(g_region_info_rep_caps,
			    sizeof(g_region_info_rep_caps), 112);
	struct vfu_msg	 m;

	b[16 + 80] = 9;
	decode_ok(b, 112, &m);
	ck_assert_uint_eq(m.u.region_info.caps[1].id, 9);
	ck_assert_uint_eq(m.u.region_info.caps[1].body_len, 8);
	ck_assert_mem_eq(m.u.region_info.caps[1].body, b + 16 + 88, 8);
	encode_eq(&m, 0, b, 112);
	vfu_msg_release(&m);
	free(b);
}
END_TEST

/* ---- Counts claiming more than is there -------------------------------- */

START_TEST(test_vfu_msg_decode_io_fds_count_too_many)
{
	uint8_t	*b = copy_sized(g_io_fds_rep, sizeof(g_io_fds_rep), 112);

	put32(b, 16 + 12, 3);
	decode_fails(b, 112, "region_io_fds.count", 16 + 12);
	put32(b, 16 + 12, 1);		/* one fewer: 40 bytes trailing */
	decode_fails(b, 112, "region_io_fds", 16 + 16 + 40);
	free(b);
}
END_TEST

START_TEST(test_vfu_msg_decode_wr_cnt_too_many)
{
	uint8_t	*b = copy_sized(g_write_multi_req, sizeof(g_write_multi_req),
		    72);

	put64(b, 16, 3);
	decode_fails(b, 72, "write_multi.wr_cnt", 16);
	put64(b, 16, UINT64_MAX);
	decode_fails(b, 72, "write_multi.wr_cnt", 16);
	put64(b, 16, 1);
	decode_fails(b, 72, "write_multi", 16 + 8 + 24);
	free(b);
}
END_TEST

START_TEST(test_vfu_msg_decode_num_ranges_too_many)
{
	uint8_t	*b = copy_sized(g_feat_log_start_req,
		    sizeof(g_feat_log_start_req), 72);

	put32(b, 16 + 16, 3);
	decode_fails(b, 72, "device_feature.num_ranges", 16 + 16);
	put32(b, 16 + 16, 0xffffffff);
	decode_fails(b, 72, "device_feature.num_ranges", 16 + 16);
	free(b);
}
END_TEST

START_TEST(test_vfu_msg_decode_region_count_mismatch)
{
	uint8_t	*b = copy_sized(g_region_write_req, sizeof(g_region_write_req),
		    36);

	put32(b, 16 + 12, 5);
	decode_fails(b, 36, "region_write.count", 16 + 12);
	put32(b, 16 + 12, 3);
	decode_fails(b, 36, "region_write", 35);
	free(b);
	b = copy_sized(g_region_read_rep, sizeof(g_region_read_rep), 33);
	put32(b, 16 + 12, 0xffffffff);
	decode_fails(b, 33, "region_read.count", 16 + 12);
	free(b);
}
END_TEST

START_TEST(test_vfu_msg_decode_dma_count_mismatch)
{
	uint8_t	*b = copy_sized(g_dma_read_rep, sizeof(g_dma_read_rep), 40);

	put64(b, 16 + 8, UINT64_MAX);
	decode_fails(b, 40, "dma_read.count", 16 + 8);
	free(b);
	b = copy_sized(g_dma_write_req, sizeof(g_dma_write_req), 36);
	put64(b, 16 + 8, 5);
	decode_fails(b, 36, "dma_write.count", 16 + 8);
	free(b);
	/* a DMA_WRITE reply is 12 or 16 bytes, nothing else */
	b = copy_sized(g_dma_write_rep8, sizeof(g_dma_write_rep8), 30);
	decode_fails(b, 30, "dma_write.count", 16 + 8);
	free(b);
}
END_TEST

START_TEST(test_vfu_msg_decode_set_irqs_bool_count_mismatch)
{
	uint8_t	*b = copy_sized(g_set_irqs_req_bool, sizeof(g_set_irqs_req_bool),
		    40);

	put32(b, 16 + 16, 5);
	decode_fails(b, 40, "irq_set.count", 16 + 16);
	put32(b, 16 + 16, 3);
	decode_fails(b, 40, "irq_set", 39);
	/* data with DATA_EVENTFD: all of it trailing */
	put32(b, 16 + 4, VFIO_IRQ_SET_DATA_EVENTFD |
	    VFIO_IRQ_SET_ACTION_TRIGGER);
	decode_fails(b, 40, "irq_set", 36);
	free(b);
}
END_TEST

START_TEST(test_vfu_msg_decode_mig_data_size_mismatch)
{
	uint8_t	*b = copy_sized(g_mig_write_req, sizeof(g_mig_write_req), 28);

	put32(b, 16 + 4, 5);
	decode_fails(b, 28, "mig_data_write.size", 16 + 4);
	free(b);
	b = copy_sized(g_mig_read_rep, sizeof(g_mig_read_rep), 28);
	put32(b, 16 + 4, 2);
	decode_fails(b, 28, "mig_data_read", 16 + 8 + 2);
	free(b);
}
END_TEST

/* ---- DEVICE_FEATURE forms ---------------------------------------------- */

START_TEST(test_vfu_msg_decode_feature_probe_with_data)
{
	uint8_t	*b = copy_sized(g_feat_mig_get_rep, sizeof(g_feat_mig_get_rep),
		    32);

	put32(b, 16 + 4, 0x50001);	/* PROBE|GET|MIGRATION */
	decode_fails(b, 32, "device_feature", 24);
	free(b);
}
END_TEST

START_TEST(test_vfu_msg_decode_feature_bitmap_partial)
{
	uint8_t	*b = copy_sized(g_feat_report_rep, sizeof(g_feat_report_rep),
		    52);

	decode_fails(b, 52, "device_feature", 48);
	free(b);
}
END_TEST

START_TEST(test_vfu_msg_decode_feature_unknown_raw)
{
	uint8_t		*b = copy_sized(g_feat_mig_get_rep,
			    sizeof(g_feat_mig_get_rep), 32);
	struct vfu_msg	 m;

	put32(b, 16 + 4, 0x10003);	/* GET of feature 3: not in the spec */
	decode_ok(b, 32, &m);
	ck_assert_int_eq(m.u.feature.form, VFU_FEATURE_DATA_RAW);
	ck_assert_uint_eq(m.u.feature.data_len, 8);
	ck_assert_ptr_eq(m.u.feature.data, b + 24);
	encode_eq(&m, 0, b, 32);
	free(b);
}
END_TEST

/* The spec files STOP under START's data layout; both forms decode. */
START_TEST(test_vfu_msg_decode_feature_logging_stop_with_data)
{
	uint8_t		*b = copy_sized(g_feat_log_start_req,
			    sizeof(g_feat_log_start_req), 72);
	struct vfu_msg	 m;

	put32(b, 16 + 4, 0x20007);
	decode_ok(b, 72, &m);
	ck_assert_int_eq(m.u.feature.form, VFU_FEATURE_DATA_LOGGING_START);
	ck_assert_uint_eq(m.u.feature.nranges, 2);
	encode_eq(&m, 0, b, 72);
	vfu_msg_release(&m);
	free(b);
}
END_TEST

START_TEST(test_vfu_feature_form_choices)
{
	ck_assert_int_eq(vfu_feature_form(0x50001, 0, 0),
	    VFU_FEATURE_DATA_NONE);
	ck_assert_int_eq(vfu_feature_form(0x10001, 0, 0),
	    VFU_FEATURE_DATA_NONE);
	ck_assert_int_eq(vfu_feature_form(0x10001, 1, 8),
	    VFU_FEATURE_DATA_MIGRATION);
	ck_assert_int_eq(vfu_feature_form(0x20001, 0, 8),
	    VFU_FEATURE_DATA_RAW);
	ck_assert_int_eq(vfu_feature_form(0x30002, 0, 8),
	    VFU_FEATURE_DATA_RAW);
	ck_assert_int_eq(vfu_feature_form(0x20002, 1, 8),
	    VFU_FEATURE_DATA_MIG_STATE);
	ck_assert_int_eq(vfu_feature_form(0x20006, 0, 16),
	    VFU_FEATURE_DATA_LOGGING_START);
	ck_assert_int_eq(vfu_feature_form(0x20007, 0, 0),
	    VFU_FEATURE_DATA_NONE);
	ck_assert_int_eq(vfu_feature_form(0x10008, 0, 24),
	    VFU_FEATURE_DATA_LOGGING_REPORT);
	ck_assert_int_eq(vfu_feature_form(0x10006, 0, 0),
	    VFU_FEATURE_DATA_RAW);
}
END_TEST

/* ---- Encoding ---------------------------------------------------------- */

START_TEST(test_vfu_msg_encode_error_header_only)
{
	struct wbuf	wb;
	struct diag	d;

	wbuf_init(&wb, 4096);
	ck_assert_int_eq(vfu_msg_encode_error(29, VFIO_USER_REGION_READ, 5,
	    &wb, &d), 0);
	ck_assert_uint_eq(wb.len, sizeof(g_error_rep));
	ck_assert_mem_eq(wb.p, g_error_rep, sizeof(g_error_rep));
	wbuf_free(&wb);
}
END_TEST

START_TEST(test_vfu_msg_encode_buffer_limit)
{
	struct vfu_msg	m;
	struct wbuf	wb;
	struct diag	d;

	decode_ok(g_dma_map_req, sizeof(g_dma_map_req), &m);
	wbuf_init(&wb, 40);
	ck_assert_int_eq(vfu_msg_encode(&m, &wb, VFU_ENC_AUTO_SIZE, &d), -1);
	ck_assert_ptr_nonnull(strstr(d.msg, "VFIO_USER_DMA_MAP"));
	wbuf_free(&wb);
}
END_TEST

START_TEST(test_vfu_msg_encode_unknown_command_header_only)
{
	static const uint8_t want[] = { HDR(3, 14, 16, 0x0, 0) };
	struct vfu_msg	m;

	vfu_msg_init(&m, 14, 0, 3);
	encode_eq(&m, VFU_ENC_AUTO_SIZE, want, sizeof(want));
}
END_TEST

/* Without AUTO_SIZE the header's msg_size is written as given. */
START_TEST(test_vfu_msg_encode_msg_size_as_given)
{
	static const uint8_t want[] = { HDR(18, 13, 99, 0x0, 0) };
	struct vfu_msg	m;

	vfu_msg_init(&m, VFIO_USER_DEVICE_RESET, 0, 18);
	m.hdr.msg_size = 99;
	encode_eq(&m, 0, want, sizeof(want));
}
END_TEST

START_TEST(test_vfu_msg_encode_count4_too_wide)
{
	struct vfu_msg	m;
	struct wbuf	wb;
	struct diag	d;

	vfu_msg_init(&m, VFIO_USER_DMA_WRITE, 1, 1);
	m.u.dma_access.count_size = 4;
	m.u.dma_access.count = 0x100000000ull;
	wbuf_init(&wb, 4096);
	ck_assert_int_eq(vfu_msg_encode(&m, &wb, VFU_ENC_AUTO_SIZE, &d), -1);
	ck_assert_str_eq(d.field, "dma_write.count");
	ck_assert_uint_eq(wb.len, 0);
	wbuf_free(&wb);
}
END_TEST

START_TEST(test_vfu_msg_encode_missing_data)
{
	struct vfu_msg	m;
	struct wbuf	wb;
	struct diag	d;

	vfu_msg_init(&m, VFIO_USER_REGION_WRITE, 0, 1);
	m.u.region_access.data_len = 4;
	wbuf_init(&wb, 4096);
	ck_assert_int_eq(vfu_msg_encode(&m, &wb, VFU_ENC_AUTO_SIZE, &d), -1);
	ck_assert_str_eq(d.field, "region_write");
	wbuf_free(&wb);
}
END_TEST

/* A looping chain can be built on purpose, and the decoder rejects it. */
START_TEST(test_vfu_msg_encode_cap_loop_on_purpose)
{
	struct vfu_region_cap caps[2];
	struct vfu_msg	m;
	struct wbuf	wb;
	struct diag	d;

	memset(caps, 0, sizeof(caps));
	caps[0].id = VFIO_REGION_INFO_CAP_TYPE;
	caps[1].id = VFIO_REGION_INFO_CAP_TYPE;
	vfu_msg_init(&m, VFIO_USER_DEVICE_GET_REGION_INFO, 1, 1);
	m.u.region_info.caps = caps;
	m.u.region_info.ncaps = 2;
	vfu_msg_autofill(&m);
	ck_assert_uint_eq(caps[0].next, 48);
	caps[1].next = caps[0].pos;
	wbuf_init(&wb, 4096);
	ck_assert_int_eq(vfu_msg_encode(&m, &wb, VFU_ENC_AUTO_SIZE, &d), 0);
	decode_fails(wb.p, wb.len, "region_info.caps[1].next", 16 + 48 + 4);
	wbuf_free(&wb);
}
END_TEST

/* ---- Autofill ---------------------------------------------------------- */

/* The caps vector rebuilt from scratch: pos, next, nr_areas, cap_offset,
 * CAPS and argsz all computed. */
START_TEST(test_vfu_msg_autofill_region_info_caps)
{
	struct vfu_sparse_area areas[2] = {
		{ 0x0, 0x1000 }, { 0x8000, 0x8000 }
	};
	struct vfu_region_cap caps[2];
	struct vfu_msg	m;

	memset(caps, 0, sizeof(caps));
	caps[0].id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
	caps[0].version = 1;
	caps[0].areas = areas;
	caps[0].nareas = 2;
	caps[1].id = VFIO_REGION_INFO_CAP_TYPE;
	caps[1].version = 1;
	caps[1].type = 0x80000000u;
	caps[1].subtype = 1;
	vfu_msg_init(&m, VFIO_USER_DEVICE_GET_REGION_INFO, 1, 5);
	m.u.region_info.flags = VFIO_REGION_INFO_FLAG_READ |
	    VFIO_REGION_INFO_FLAG_WRITE | VFIO_REGION_INFO_FLAG_MMAP;
	m.u.region_info.size = 0x100000;
	m.u.region_info.caps = caps;
	m.u.region_info.ncaps = 2;
	vfu_msg_autofill(&m);
	ck_assert_uint_eq(m.u.region_info.argsz, 96);
	ck_assert_uint_eq(m.u.region_info.cap_offset, 32);
	ck_assert_uint_eq(caps[0].next, 80);
	ck_assert_uint_eq(caps[1].next, 0);
	ck_assert_uint_eq(caps[0].nr_areas, 2);
	encode_eq(&m, VFU_ENC_AUTO_SIZE, g_region_info_rep_caps,
	    sizeof(g_region_info_rep_caps));
	/* no caps: CAPS cleared, cap_offset 0, argsz the fixed 32 */
	m.u.region_info.ncaps = 0;
	m.u.region_info.flags |= VFIO_REGION_INFO_FLAG_CAPS;
	vfu_msg_autofill(&m);
	ck_assert_uint_eq(m.u.region_info.argsz, 32);
	ck_assert_uint_eq(m.u.region_info.cap_offset, 0);
	ck_assert_uint_eq(m.u.region_info.flags & VFIO_REGION_INFO_FLAG_CAPS,
	    0);
}
END_TEST

/* DMA_LOGGING_REPORT GET: argsz = 8 + 24 + the bitmap the range needs. */
START_TEST(test_vfu_msg_autofill_feature_report_argsz)
{
	struct vfu_msg	m;

	vfu_msg_init(&m, VFIO_USER_DEVICE_FEATURE, 0, 1);
	m.u.feature.flags = VFIO_DEVICE_FEATURE_GET |
	    VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT;
	m.u.feature.form = VFU_FEATURE_DATA_LOGGING_REPORT;
	m.u.feature.length = 65 * 4096;	/* 65 pages: 2 words */
	m.u.feature.page_size = 4096;
	vfu_msg_autofill(&m);
	ck_assert_uint_eq(m.u.feature.argsz, 8 + 24 + 16);
	m.u.feature.length = 4096 + 1;		/* 2 pages: 1 word */
	vfu_msg_autofill(&m);
	ck_assert_uint_eq(m.u.feature.argsz, 8 + 24 + 8);
	m.u.feature.page_size = 0;
	vfu_msg_autofill(&m);
	ck_assert_uint_eq(m.u.feature.argsz, 8 + 24);
}
END_TEST

START_TEST(test_vfu_msg_autofill_version_data_len)
{
	static const char json[] = "{\"capabilities\":{}}";
	struct vfu_msg	m;

	vfu_msg_init(&m, VFIO_USER_VERSION, 0, 0);
	m.u.version.data = (const uint8_t *)json;
	vfu_msg_autofill(&m);
	ck_assert_uint_eq(m.u.version.data_len, sizeof(json));
	encode_eq(&m, VFU_ENC_AUTO_SIZE, g_version_req, sizeof(g_version_req));
}
END_TEST

START_TEST(test_vfu_msg_autofill_error_reply_untouched)
{
	struct vfu_msg	m;

	vfu_msg_init(&m, VFIO_USER_DEVICE_GET_INFO, 1, 0);
	m.hdr.flags |= VFIO_USER_F_ERROR;
	vfu_msg_autofill(&m);
	ck_assert_uint_eq(m.u.device_info.argsz, 0);
}
END_TEST

START_TEST(test_vfu_msg_autofill_dma_count_size)
{
	struct vfu_msg	m;

	vfu_msg_init(&m, VFIO_USER_DMA_WRITE, 1, 16);
	m.u.dma_access.address = 0x200000;
	m.u.dma_access.count = 4;
	vfu_msg_autofill(&m);
	ck_assert_uint_eq(m.u.dma_access.count_size, 8);
	ck_assert_uint_eq(m.u.dma_access.count, 4);
	encode_eq(&m, VFU_ENC_AUTO_SIZE, g_dma_write_rep8,
	    sizeof(g_dma_write_rep8));
}
END_TEST

/* ---- Tables ------------------------------------------------------------ */

/* Fixed fields are contiguous from 0 and end where the table says. */
static void
check_fields(const char *what, const struct vfu_field *f, size_t n,
    size_t fixed)
{
	size_t	i, off = 0;

	for (i = 0; i < n; i++) {
		ck_assert_msg(f[i].off == off, "%s.%s at %u, expected %zu",
		    what, f[i].name, f[i].off, off);
		if (f[i].size == 0) {
			ck_assert_msg(i == n - 1, "%s.%s: variable not last",
			    what, f[i].name);
			break;
		}
		ck_assert(f[i].size == 1 || f[i].size == 2 || f[i].size == 4 ||
		    f[i].size == 8);
		off += f[i].size;
	}
	ck_assert_msg(off == fixed, "%s: fields end at %zu, fixed %zu", what,
	    off, fixed);
}

START_TEST(test_vfu_msg_desc_tables_consistent)
{
	static const struct vfu_struct_desc *const sub[] = {
		&vfu_hdr_desc, &vfu_cap_header_desc, &vfu_sparse_mmap_desc,
		&vfu_sparse_area_desc, &vfu_cap_type_desc, &vfu_ioeventfd_desc,
		&vfu_ioregionfd_desc, &vfu_write_multi_entry_desc,
		&vfu_logging_range_desc, &vfu_feature_migration_desc,
		&vfu_feature_mig_state_desc, &vfu_feature_logging_start_desc,
		&vfu_feature_logging_report_desc,
	};
	const struct vfu_msg_desc *md;
	unsigned	cmd;
	int		rep;
	size_t		i;

	for (cmd = 1; cmd <= VFIO_USER_MAX_COMMAND; cmd++)
		for (rep = 0; rep <= 1; rep++) {
			md = vfu_msg_desc((uint16_t)cmd, rep);
			if (cmd == 14) {
				ck_assert_ptr_null(md);
				continue;
			}
			ck_assert_ptr_nonnull(md);
			ck_assert_uint_eq(md->command, cmd);
			ck_assert_uint_eq(md->reply, rep);
			ck_assert_ptr_nonnull(md->path);
			check_fields(md->name, md->fields, md->nfields,
			    md->fixed_size);
		}
	check_fields("dma_write_reply_count4",
	    vfu_dma_write_reply_count4_desc.fields,
	    vfu_dma_write_reply_count4_desc.nfields,
	    vfu_dma_write_reply_count4_desc.fixed_size);
	for (i = 0; i < NELEM(sub); i++)
		check_fields(sub[i]->name, sub[i]->fields, sub[i]->nfields,
		    sub[i]->size);
	ck_assert_ptr_null(vfu_msg_desc(0, 0));
	ck_assert_ptr_null(vfu_msg_desc(19, 1));
}
END_TEST

START_TEST(test_vfu_msg_desc_by_name_both_spellings)
{
	const struct vfu_msg_desc *md;

	md = vfu_msg_desc_by_name("DMA_MAP", 0);
	ck_assert_ptr_eq(md, vfu_msg_desc(VFIO_USER_DMA_MAP, 0));
	md = vfu_msg_desc_by_name("VFIO_USER_DEVICE_GET_REGION_INFO", 1);
	ck_assert_ptr_eq(md, vfu_msg_desc(VFIO_USER_DEVICE_GET_REGION_INFO,
	    1));
	ck_assert_ptr_null(vfu_msg_desc_by_name("dma_map", 0));
	ck_assert_ptr_null(vfu_msg_desc_by_name("DIRTY_PAGES", 0));
	ck_assert_ptr_null(vfu_msg_desc_by_name(NULL, 0));
	ck_assert_str_eq(vfu_command_name(VFIO_USER_MIG_DATA_WRITE),
	    "VFIO_USER_MIG_DATA_WRITE");
	ck_assert_ptr_null(vfu_command_name(14));
}
END_TEST

START_TEST(test_vfu_field_format_names)
{
	const struct vfu_msg_desc *md;
	const struct vfu_field *f;
	char		buf[256];

	md = vfu_msg_desc(VFIO_USER_DEVICE_SET_IRQS, 0);
	f = vfu_field_find(md->fields, md->nfields, "flags");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(vfu_field_format(f, 0x24, buf, sizeof(buf)),
	    "VFIO_IRQ_SET_DATA_EVENTFD|VFIO_IRQ_SET_ACTION_TRIGGER");
	ck_assert_str_eq(vfu_field_format(f, 0x1c0, buf, sizeof(buf)),
	    "0x1c0");
	ck_assert_str_eq(vfu_field_format(f, 0x41, buf, sizeof(buf)),
	    "VFIO_IRQ_SET_DATA_NONE|0x40");
	ck_assert_str_eq(vfu_field_format(f, 0, buf, sizeof(buf)), "0");
	f = vfu_field_find(vfu_hdr_desc.fields, vfu_hdr_desc.nfields, "flags");
	ck_assert_str_eq(vfu_field_format(f, 0x11, buf, sizeof(buf)),
	    "Reply|No_reply");
	ck_assert_str_eq(vfu_field_format(f, 0x0, buf, sizeof(buf)), "Command");
	f = vfu_field_find(vfu_hdr_desc.fields, vfu_hdr_desc.nfields,
	    "command");
	ck_assert_str_eq(vfu_field_format(f, 5, buf, sizeof(buf)),
	    "VFIO_USER_DEVICE_GET_REGION_INFO");
	ck_assert_str_eq(vfu_field_format(f, 14, buf, sizeof(buf)), "14");
	md = vfu_msg_desc(VFIO_USER_DEVICE_FEATURE, 0);
	f = vfu_field_find(md->fields, md->nfields, "flags");
	ck_assert_str_eq(vfu_field_format(f, 0x50001, buf, sizeof(buf)),
	    "VFIO_DEVICE_FEATURE_MIGRATION|VFIO_DEVICE_FEATURE_GET|"
	    "VFIO_DEVICE_FEATURE_PROBE");
	ck_assert_str_eq(vfu_field_format(f, 0x10003, buf, sizeof(buf)),
	    "VFIO_DEVICE_FEATURE_GET|0x3");
	f = vfu_field_find(vfu_feature_mig_state_desc.fields,
	    vfu_feature_mig_state_desc.nfields, "device_state");
	ck_assert_str_eq(vfu_field_format(f, 6, buf, sizeof(buf)),
	    "VFIO_DEVICE_STATE_PRE_COPY");
	md = vfu_msg_desc(VFIO_USER_DMA_MAP, 0);
	f = vfu_field_find(md->fields, md->nfields, "address");
	ck_assert_str_eq(vfu_field_format(f, 0x100000, buf, sizeof(buf)),
	    "0x100000");
	ck_assert_str_eq(vfu_field_format(f, 4096, buf, sizeof(buf)), "4096");
}
END_TEST

START_TEST(test_vfu_field_get_set_widths)
{
	const struct vfu_msg_desc *md;
	const struct vfu_field *f;
	struct vfu_msg	m;

	vfu_msg_init(&m, VFIO_USER_DMA_WRITE, 1, 0);
	f = vfu_field_find(vfu_dma_write_reply_count4_desc.fields,
	    vfu_dma_write_reply_count4_desc.nfields, "count");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->size, 4);
	vfu_field_set(&m.u, f, 0x123456789ull);
	ck_assert_uint_eq(m.u.dma_access.count, 0x123456789ull);
	ck_assert_uint_eq(vfu_field_get(&m.u, f), 0x123456789ull);
	md = vfu_msg_desc(VFIO_USER_VERSION, 0);
	f = vfu_field_find(md->fields, md->nfields, "minor");
	vfu_field_set(&m.u, f, 0x12345);
	ck_assert_uint_eq(m.u.version.minor, 0x2345);
	f = vfu_field_find(md->fields, md->nfields, "data");
	ck_assert_uint_eq(f->size, 0);
	ck_assert_uint_eq(vfu_field_get(&m.u, f), 0);
	ck_assert_ptr_null(vfu_field_find(md->fields, md->nfields, "nope"));
}
END_TEST

/* ---- Suite ------------------------------------------------------------- */

static Suite *
codec_suite(void)
{
	Suite	*s = suite_create("codec");
	TCase	*tc;
	int	 ng = (int)NELEM(goldens), nc = (int)cut_total();

	tc = tcase_create("golden");
	tcase_add_loop_test(tc, test_vfu_msg_decode_golden, 0, ng);
	tcase_add_loop_test(tc, test_vfu_msg_autofill_golden, 0, ng);
	tcase_add_loop_test(tc, test_vfu_msg_decode_trailing_bytes, 0, ng);
	suite_add_tcase(s, tc);

	tc = tcase_create("truncated");
	tcase_add_loop_test(tc, test_vfu_msg_decode_truncated, 0, nc);
	tcase_add_loop_test(tc, test_vfu_msg_decode_truncated_resized, 0, nc);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, test_vfu_hdr_decode_short);
	tcase_add_test(tc, test_vfu_msg_decode_msg_size_larger);
	tcase_add_test(tc, test_vfu_msg_decode_msg_size_smaller);
	tcase_add_loop_test(tc, test_vfu_msg_decode_bad_type, 2, 16);
	tcase_add_test(tc, test_vfu_msg_decode_unknown_command);
	tcase_add_test(tc, test_vfu_msg_decode_error_reply_no_body);
	tcase_add_test(tc, test_vfu_msg_decode_error_bit_on_command);
	tcase_add_test(tc, test_vfu_msg_decode_argsz_smaller_request);
	tcase_add_test(tc, test_vfu_msg_decode_argsz_larger_region_info);
	tcase_add_test(tc, test_vfu_msg_decode_argsz_smaller_region_info);
	tcase_add_test(tc, test_vfu_msg_decode_argsz_larger_io_fds);
	tcase_add_test(tc, test_vfu_msg_decode_cap_loop_self);
	tcase_add_test(tc, test_vfu_msg_decode_cap_loop_back);
	tcase_add_test(tc, test_vfu_msg_decode_cap_overlap);
	tcase_add_test(tc, test_vfu_msg_decode_cap_offset_out_of_range);
	tcase_add_test(tc, test_vfu_msg_decode_cap_next_out_of_range);
	tcase_add_test(tc, test_vfu_msg_decode_nr_areas_too_many);
	tcase_add_test(tc, test_vfu_msg_decode_cap_chain_backwards);
	tcase_add_test(tc, test_vfu_msg_decode_cap_unknown_id);
	tcase_add_test(tc, test_vfu_msg_decode_io_fds_count_too_many);
	tcase_add_test(tc, test_vfu_msg_decode_wr_cnt_too_many);
	tcase_add_test(tc, test_vfu_msg_decode_num_ranges_too_many);
	tcase_add_test(tc, test_vfu_msg_decode_region_count_mismatch);
	tcase_add_test(tc, test_vfu_msg_decode_dma_count_mismatch);
	tcase_add_test(tc, test_vfu_msg_decode_set_irqs_bool_count_mismatch);
	tcase_add_test(tc, test_vfu_msg_decode_mig_data_size_mismatch);
	tcase_add_test(tc, test_vfu_msg_decode_feature_probe_with_data);
	tcase_add_test(tc, test_vfu_msg_decode_feature_bitmap_partial);
	tcase_add_test(tc, test_vfu_msg_decode_feature_unknown_raw);
	tcase_add_test(tc, test_vfu_msg_decode_feature_logging_stop_with_data);
	tcase_add_test(tc, test_vfu_feature_form_choices);
	suite_add_tcase(s, tc);

	tc = tcase_create("encode");
	tcase_add_test(tc, test_vfu_msg_encode_error_header_only);
	tcase_add_test(tc, test_vfu_msg_encode_buffer_limit);
	tcase_add_test(tc, test_vfu_msg_encode_unknown_command_header_only);
	tcase_add_test(tc, test_vfu_msg_encode_msg_size_as_given);
	tcase_add_test(tc, test_vfu_msg_encode_count4_too_wide);
	tcase_add_test(tc, test_vfu_msg_encode_missing_data);
	tcase_add_test(tc, test_vfu_msg_encode_cap_loop_on_purpose);
	suite_add_tcase(s, tc);

	tc = tcase_create("autofill");
	tcase_add_test(tc, test_vfu_msg_autofill_region_info_caps);
	tcase_add_test(tc, test_vfu_msg_autofill_feature_report_argsz);
	tcase_add_test(tc, test_vfu_msg_autofill_version_data_len);
	tcase_add_test(tc, test_vfu_msg_autofill_error_reply_untouched);
	tcase_add_test(tc, test_vfu_msg_autofill_dma_count_size);
	suite_add_tcase(s, tc);

	tc = tcase_create("tables");
	tcase_add_test(tc, test_vfu_msg_desc_tables_consistent);
	tcase_add_test(tc, test_vfu_msg_desc_by_name_both_spellings);
	tcase_add_test(tc, test_vfu_field_format_names);
	tcase_add_test(tc, test_vfu_field_get_set_widths);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner		*sr;
	int		 failed;
	const uint16_t	 one = 1;

	/* the vectors spell the host-order wire integers little-endian */
	if (*(const uint8_t *)&one != 1)
		return (77);
	sr = srunner_create(codec_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (failed == 0 ? 0 : 1);
}
