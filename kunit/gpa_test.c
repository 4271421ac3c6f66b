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

static struct kunit_case khcl_gpa_cases[] = {
	KUNIT_CASE(gpa_inside),
	KUNIT_CASE(gpa_outside),
	KUNIT_CASE(gpa_overflow),
	KUNIT_CASE(gpa_map_rejects),
	{}
};

static struct kunit_suite khcl_gpa_suite = {
	.name = "khcl_gpa",
	.test_cases = khcl_gpa_cases,
};
kunit_test_suite(khcl_gpa_suite);

MODULE_DESCRIPTION("KUnit tests for khcl GPA validation");
MODULE_LICENSE("GPL");
