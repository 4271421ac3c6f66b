// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of vtl2/gpa.c. The same file runs as a KUnit suite in the kernel
 * and, through kunit/userspace/kunit_shim.h, as a user-space test.
 */
#ifdef __KERNEL__
#include <kunit/test.h>
#else
#include "userspace/kunit_shim.h"
#endif
#include "../vtl2/gpa.h"

#define GIB (1ULL << 30)

static void gpa_map_fill(struct kunit *test, struct khcl_gpa_map *m)
{
	khcl_gpa_map_init(m);
	/* added out of order: the map must sort */
	KUNIT_ASSERT_EQ(test, khcl_gpa_map_add(m, 4 * GIB, GIB), 0);
	KUNIT_ASSERT_EQ(test, khcl_gpa_map_add(m, 0, GIB), 0);
}

static void gpa_inside(struct kunit *test)
{
	struct khcl_gpa_map m;
	unsigned int idx = 99;

	gpa_map_fill(test, &m);
	KUNIT_EXPECT_EQ(test, khcl_gpa_check(&m, 0, 4096, &idx), 0);
	KUNIT_EXPECT_EQ(test, idx, 0U);
	KUNIT_EXPECT_EQ(test, khcl_gpa_check(&m, GIB - 4096, 4096, &idx), 0);
	KUNIT_EXPECT_EQ(test, khcl_gpa_check(&m, 4 * GIB, GIB, &idx), 0);
	KUNIT_EXPECT_EQ(test, idx, 1U);
	KUNIT_EXPECT_EQ(test, khcl_gpa_check(&m, 5 * GIB - 1, 1, NULL), 0);
}

static void gpa_outside(struct kunit *test)
{
	struct khcl_gpa_map m;

	gpa_map_fill(test, &m);
	/* straddles the end of a range */
	KUNIT_EXPECT_EQ(test, khcl_gpa_check(&m, GIB - 4096, 8192, NULL), -EFAULT);
	/* in the hole (where VTL2's own memory may live) */
	KUNIT_EXPECT_EQ(test, khcl_gpa_check(&m, 2 * GIB, 4096, NULL), -EFAULT);
	/* straddles a hole into the next range */
	KUNIT_EXPECT_EQ(test, khcl_gpa_check(&m, 0, 5 * GIB, NULL), -EFAULT);
	/* above everything */
	KUNIT_EXPECT_EQ(test, khcl_gpa_check(&m, 5 * GIB, 1, NULL), -EFAULT);
	/* zero length is malformed */
	KUNIT_EXPECT_EQ(test, khcl_gpa_check(&m, 0, 0, NULL), -EFAULT);
}

static void gpa_overflow(struct kunit *test)
{
	struct khcl_gpa_map m;

	gpa_map_fill(test, &m);
	/* XSA-270 class: gpa + len wraps to something inside a range */
	KUNIT_EXPECT_EQ(test, khcl_gpa_check(&m, 4096, ~0ULL, NULL), -EFAULT);
	KUNIT_EXPECT_EQ(test, khcl_gpa_check(&m, ~0ULL, 2, NULL), -EFAULT);
	KUNIT_EXPECT_EQ(test, khcl_gpa_check(&m, 0x8080808080808080ULL,
					     0x8080808080808080ULL, NULL), -EFAULT);
}

static void gpa_map_rejects(struct kunit *test)
{
	struct khcl_gpa_map m;
	unsigned int i;

	gpa_map_fill(test, &m);
	KUNIT_EXPECT_EQ(test, khcl_gpa_map_add(&m, GIB / 2, GIB), -EEXIST);
	KUNIT_EXPECT_EQ(test, khcl_gpa_map_add(&m, 3 * GIB, 2 * GIB), -EEXIST);
	KUNIT_EXPECT_EQ(test, khcl_gpa_map_add(&m, 8 * GIB, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, khcl_gpa_map_add(&m, 8 * GIB + 1, 4096), -EINVAL);
	KUNIT_EXPECT_EQ(test, khcl_gpa_map_add(&m, ~0xfffULL, 8192), -EINVAL);
	/* the map was not changed by the refusals */
	KUNIT_EXPECT_EQ(test, m.nr, 2U);
	for (i = 2; i < KHCL_GPA_MAX_RANGES; i++)
		KUNIT_EXPECT_EQ(test, khcl_gpa_map_add(&m, (8 + i) * GIB, GIB), 0);
	KUNIT_EXPECT_EQ(test, khcl_gpa_map_add(&m, 100 * GIB, GIB), -ENOSPC);
	/* every range still found after many sorted inserts */
	for (i = 2; i < KHCL_GPA_MAX_RANGES; i++)
		KUNIT_EXPECT_EQ(test, khcl_gpa_check(&m, (8 + i) * GIB, 4096,
						     NULL), 0);
}

/* A buffer's PFN list (as a packet carries it) for khcl_gpa_buf_runs() */
static void gpa_pfns(u8 *buf, const u64 *pfns, unsigned int n)
{
	memcpy(buf, pfns, n * sizeof(u64));
}

static void gpa_buf_runs(struct kunit *test)
{
	static u8 buf[8 * 140];		/* not on a kernel stack */
	static u64 p[140];
	struct khcl_gpa_run runs[4];
	struct khcl_gpa_map m;
	unsigned int i;

	khcl_gpa_map_init(&m);
	/* two adjacent RAM ranges (their phys may differ), a hole, a third */
	KUNIT_ASSERT_EQ(test, khcl_gpa_map_add(&m, 0, 1ull << 30), 0);
	KUNIT_ASSERT_EQ(test, khcl_gpa_map_add(&m, 1ull << 30, 1ull << 30), 0);
	KUNIT_ASSERT_EQ(test, khcl_gpa_map_add(&m, 4ull << 30, 1ull << 30), 0);

	/* consecutive PFNs, a sub-page offset: one run */
	for (i = 0; i < 4; i++)
		p[i] = 0x100 + i;
	gpa_pfns(buf, p, 4);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_runs(&m, buf, 4, 0x200, 3 * 4096,
						runs, 4), 1);
	KUNIT_EXPECT_EQ(test, runs[0].gpa, 0x100200ull);
	KUNIT_EXPECT_EQ(test, runs[0].len, 3u * 4096);
	/* a jump: two runs, the second from its page's start */
	p[1] = 0x200;
	gpa_pfns(buf, p, 4);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_runs(&m, buf, 2, 0x200, 4096,
						runs, 4), 2);
	KUNIT_EXPECT_EQ(test, runs[0].len, 4096u - 0x200);
	KUNIT_EXPECT_EQ(test, runs[1].gpa, 0x200000ull);
	KUNIT_EXPECT_EQ(test, runs[1].len, 0x200u);
	/* contiguous across two RAM ranges: split where the range ends */
	p[0] = (1ull << 18) - 1;
	p[1] = 1ull << 18;
	gpa_pfns(buf, p, 2);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_runs(&m, buf, 2, 0, 8192, runs, 4),
			2);
	KUNIT_EXPECT_EQ(test, runs[0].idx, 0u);
	KUNIT_EXPECT_EQ(test, runs[1].idx, 1u);
	/* a page in the hole, a PFN past any GPA, a list too short */
	p[1] = 2ull << 18;
	gpa_pfns(buf, p, 2);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_runs(&m, buf, 2, 0, 8192, runs, 4),
			-EFAULT);
	p[1] = 1ull << 52;
	gpa_pfns(buf, p, 2);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_runs(&m, buf, 2, 0, 8192, runs, 4),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_runs(&m, buf, 1, 0, 8192, runs, 4),
			-EFAULT);
	/* more runs than room; nothing to describe; an offset past a page */
	for (i = 0; i < 6; i++)
		p[i] = 0x100 + 2 * i;
	gpa_pfns(buf, p, 6);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_runs(&m, buf, 6, 0, 6 * 4096,
						runs, 4), -E2BIG);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_runs(&m, buf, 6, 0, 0, runs, 4),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_runs(&m, buf, 6, 4096, 8, runs, 4),
			-EINVAL);
	/* storvsc's largest transfer: 129 PFNs for 512 KiB at an offset */
	for (i = 0; i < 129; i++)
		p[i] = (4ull << 18) + i;
	gpa_pfns(buf, p, 129);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_runs(&m, buf, 129, 0x10, 512 * 1024,
						runs, 1), 1);
	KUNIT_EXPECT_EQ(test, runs[0].gpa, (4ull << 30) + 0x10);
	KUNIT_EXPECT_EQ(test, runs[0].idx, 2u);
}

static struct kunit_case khcl_gpa_cases[] = {
	KUNIT_CASE(gpa_inside),
	KUNIT_CASE(gpa_outside),
	KUNIT_CASE(gpa_overflow),
	KUNIT_CASE(gpa_map_rejects),
	KUNIT_CASE(gpa_buf_runs),
	{}
};

static struct kunit_suite khcl_gpa_suite = {
	.name = "khcl_gpa",
	.test_cases = khcl_gpa_cases,
};
kunit_test_suite(khcl_gpa_suite);

MODULE_DESCRIPTION("KUnit tests for khcl GPA validation");
MODULE_LICENSE("GPL");
