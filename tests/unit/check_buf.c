/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests for buf (bounded cursors) and diag. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"

START_TEST(test_rbuf_reads_in_bounds)
{
	static const uint8_t b[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };
	struct rbuf	rb;
	struct diag	d;
	uint8_t		u8;
	uint16_t	u16;
	uint32_t	u32;
	uint64_t	u64;

	rbuf_init(&rb, b, sizeof(b), 100);
	ck_assert_int_eq(rbuf_u8(&rb, &u8, "a", &d), 0);
	ck_assert_uint_eq(u8, 0x01);
	ck_assert_int_eq(rbuf_u16(&rb, &u16, "b", &d), 0);
	ck_assert_uint_eq(u16, 0x0302);
	ck_assert_int_eq(rbuf_u32(&rb, &u32, "c", &d), 0);
	ck_assert_uint_eq(u32, 0x07060504);
	ck_assert_uint_eq(rbuf_pos(&rb), 107);
	ck_assert_int_eq(rbuf_u64(&rb, &u64, "d", &d), 0);
	ck_assert_uint_eq(u64, 0x0f0e0d0c0b0a0908ull);
	ck_assert_uint_eq(rbuf_left(&rb), 0);
}
END_TEST

START_TEST(test_rbuf_short_read_names_field_and_offset)
{
	static const uint8_t b[] = { 1, 2, 3 };
	struct rbuf	rb;
	struct diag	d;
	uint32_t	v = 0xdeadbeef;
	char		s[256];

	rbuf_init(&rb, b, sizeof(b), 16);
	ck_assert_int_eq(rbuf_u32(&rb, &v, "dma_map.argsz", &d), -1);
	ck_assert_uint_eq(v, 0xdeadbeef);
	ck_assert_uint_eq(rbuf_left(&rb), 3);
	ck_assert_str_eq(d.field, "dma_map.argsz");
	ck_assert_uint_eq(d.offset, 16);
	diag_str(&d, s, sizeof(s));
	ck_assert_str_eq(s,
	    "field 'dma_map.argsz' at byte 16: needs 4 bytes, only 3 left");
}
END_TEST

START_TEST(test_rbuf_seek_and_sub_stay_inside)
{
	static const uint8_t b[8];
	struct rbuf	rb, sub;
	struct diag	d;
	uint8_t		v;

	rbuf_init(&rb, b, sizeof(b), 16);
	ck_assert_int_eq(rbuf_seek(&rb, 15, "x", &d), -1);
	ck_assert_int_eq(rbuf_seek(&rb, 25, "x", &d), -1);
	ck_assert_int_eq(rbuf_seek(&rb, 24, "x", &d), 0);
	ck_assert_int_eq(rbuf_u8(&rb, &v, "x", &d), -1);
	ck_assert_int_eq(rbuf_seek(&rb, 18, "x", &d), 0);
	ck_assert_int_eq(rbuf_sub(&rb, &sub, 7, "x", &d), -1);
	ck_assert_int_eq(rbuf_sub(&rb, &sub, 4, "x", &d), 0);
	ck_assert_uint_eq(rbuf_pos(&sub), 18);
	ck_assert_uint_eq(rbuf_left(&sub), 4);
	ck_assert_int_eq(rbuf_skip(&sub, 5, "x", &d), -1);
	ck_assert_uint_eq(d.offset, 18);
}
END_TEST

START_TEST(test_wbuf_grows_patches_and_stops_at_max)
{
	struct wbuf	wb;
	uint8_t		*p;
	size_t		 len;
	int		 i;

	wbuf_init(&wb, 1000);
	ck_assert_int_eq(wbuf_u16(&wb, 0x1234), 0);
	ck_assert_int_eq(wbuf_u32(&wb, 0), 0);
	ck_assert_int_eq(wbuf_patch(&wb, 2, 4, 0xa0b0c0d0), 0);
	ck_assert_int_eq(wbuf_patch(&wb, 4, 4, 1), -1);
	for (i = 0; i < 124; i++)
		ck_assert_int_eq(wbuf_u64(&wb, (uint64_t)i), 0);
	ck_assert_uint_eq(wb.len, 998);
	ck_assert_int_eq(wbuf_u32(&wb, 1), -1);
	ck_assert_int_eq(wb.failed, 1);
	ck_assert_int_eq(wbuf_u8(&wb, 1), -1);	/* sticky */
	p = wbuf_steal(&wb, &len);
	ck_assert_uint_eq(len, 998);
	ck_assert_uint_eq(p[0], 0x34);
	ck_assert_uint_eq(p[2], 0xd0);
	ck_assert_uint_eq(p[5], 0xa0);
	free(p);
	ck_assert_ptr_null(wb.p);
	wbuf_free(&wb);
}
END_TEST

START_TEST(test_diag_renders_positions)
{
	struct diag	d;
	char		s[600];

	diag_at(&d, "a.yaml", 3, 7, "unknown key '%s'", "sned");
	ck_assert_str_eq(diag_str(&d, s, sizeof(s)),
	    "a.yaml:3:7: unknown key 'sned'");
	diag_prefix(&d, "include");
	ck_assert_str_eq(diag_str(&d, s, sizeof(s)),
	    "a.yaml:3:7: include: unknown key 'sned'");
	diag_errno(&d, 2, "open %s", "x");
	ck_assert_str_eq(diag_str(&d, s, sizeof(s)),
	    "open x: No such file or directory");
	ck_assert_int_eq(diag_set(NULL, "x"), -1);
}
END_TEST

static Suite *
buf_suite(void)
{
	Suite	*s = suite_create("buf");
	TCase	*tc = tcase_create("cursors");

	tcase_add_test(tc, test_rbuf_reads_in_bounds);
	tcase_add_test(tc, test_rbuf_short_read_names_field_and_offset);
	tcase_add_test(tc, test_rbuf_seek_and_sub_stay_inside);
	tcase_add_test(tc, test_wbuf_grows_patches_and_stops_at_max);
	tcase_add_test(tc, test_diag_renders_positions);
	suite_add_tcase(s, tc);
	return (s);
}

int
main(void)
{
	SRunner	*sr = srunner_create(buf_suite());
	int	 nfail;

	srunner_run_all(sr, CK_NORMAL);
	nfail = srunner_ntests_failed(sr);
	srunner_free(sr);
	return (nfail == 0 ? EXIT_SUCCESS : EXIT_FAILURE);
}
