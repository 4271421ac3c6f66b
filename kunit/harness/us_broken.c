// SPDX-License-Identifier: GPL-2.0
/*
 * User-space suites that are broken on purpose, one per KHCL_HARNESS_*
 * define (kunit/userspace/Makefile, target harness). scripts/test-harness.sh
 * runs each through test.sh's own checks, which must report a FAIL:
 *   harness_ubsan  the second of three cases trips UBSan, which ends the
 *                  process (-fno-sanitize-recover): the third never runs
 *   harness_exit   exits non-zero before printing anything
 *   harness_short  plans three cases, reports one, exits 0
 *   harness_hang   the second case never returns
 */
#include <stdlib.h>
#include <unistd.h>
#include "../userspace/kunit_shim.h"

#if defined(KHCL_HARNESS_harness_ubsan) || defined(KHCL_HARNESS_harness_hang)
static void hb_pass(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1, 1);
}

static void hb_broken(struct kunit *test)
{
#if defined(KHCL_HARNESS_harness_ubsan)
	/* not a constant the compiler could fold: the overflow is real */
	int big = 0x7fffffff - test->failed;

	KUNIT_EXPECT_NE(test, big + 1, 0);	/* signed overflow */
#elif defined(KHCL_HARNESS_harness_hang)
	for (;;)
		pause();
#endif
}

static struct kunit_case hb_cases[] = {
	KUNIT_CASE(hb_pass),
	KUNIT_CASE(hb_broken),
	KUNIT_CASE(hb_pass),
	{}
};
#endif

#if defined(KHCL_HARNESS_harness_exit)
int khcl_run_suite_harness_exit_suite(void);
int khcl_run_suite_harness_exit_suite(void)
{
	exit(3);
}
#elif defined(KHCL_HARNESS_harness_short)
int khcl_run_suite_harness_short_suite(void);
int khcl_run_suite_harness_short_suite(void)
{
	printf("KTAP version 1\n1..1\n    # Subtest: harness_short\n    1..3\n");
	printf("    ok 1 hb_pass\n");
	return 0;
}
#elif defined(KHCL_HARNESS_harness_ubsan)
static struct kunit_suite harness_ubsan_suite = {
	.name = "harness_ubsan", .test_cases = hb_cases,
};
kunit_test_suite(harness_ubsan_suite);
#else
static struct kunit_suite harness_hang_suite = {
	.name = "harness_hang", .test_cases = hb_cases,
};
kunit_test_suite(harness_hang_suite);
#endif
