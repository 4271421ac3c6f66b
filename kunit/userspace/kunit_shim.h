/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subset of KUnit that khcl's test files use, for user space: the same
 * test file builds as a KUnit module and as a user-space program that
 * prints KTAP like KUnit does.
 */
#ifndef KHCL_KUNIT_SHIM_H
#define KHCL_KUNIT_SHIM_H

#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include "../../include/khcl/compat.h"

struct kunit {
	const char *name;
	int failed;
	jmp_buf abort;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

struct kunit_suite {
	const char *name;
	struct kunit_case *test_cases;
};

#define KUNIT_CASE(fn) { .run_case = fn, .name = #fn }

#define KHCL_KUNIT_CMP(test, a, op, b, fatal) do {			\
	unsigned long long __a = (unsigned long long)(a);		\
	unsigned long long __b = (unsigned long long)(b);		\
	if (!(__a op __b)) {						\
		printf("    # %s: %s:%d: expected %s %s %s, got %lld vs %lld\n", \
		       (test)->name, __FILE__, __LINE__, #a, #op, #b,	\
		       (long long)__a, (long long)__b);			\
		(test)->failed = 1;					\
		if (fatal)						\
			longjmp((test)->abort, 1);			\
	}								\
} while (0)

#define KUNIT_EXPECT_EQ(t, a, b)	KHCL_KUNIT_CMP(t, a, ==, b, 0)
#define KUNIT_EXPECT_NE(t, a, b)	KHCL_KUNIT_CMP(t, a, !=, b, 0)
#define KUNIT_EXPECT_LE(t, a, b)	KHCL_KUNIT_CMP(t, a, <=, b, 0)
#define KUNIT_EXPECT_TRUE(t, c)		KHCL_KUNIT_CMP(t, !!(c), ==, 1, 0)
#define KUNIT_EXPECT_FALSE(t, c)	KHCL_KUNIT_CMP(t, !!(c), ==, 0, 0)
#define KUNIT_ASSERT_EQ(t, a, b)	KHCL_KUNIT_CMP(t, a, ==, b, 1)
#define KUNIT_ASSERT_TRUE(t, c)		KHCL_KUNIT_CMP(t, !!(c), ==, 1, 1)

#define kunit_info(test, fmt, ...) \
	printf("    # %s: " fmt, (test)->name, ##__VA_ARGS__)

#define MODULE_DESCRIPTION(s)
#define MODULE_LICENSE(s)

/* Runs one suite, prints KTAP; the runner's main() calls these. */
#define kunit_test_suite(s)						\
int khcl_run_suite_##s(void);						\
int khcl_run_suite_##s(void)						\
{									\
	struct kunit_case *volatile c;					\
	volatile int n = 0, bad = 0;					\
									\
	for (c = (s).test_cases; c->run_case; c++)			\
		n++;							\
	printf("KTAP version 1\n1..1\n    # Subtest: %s\n    1..%d\n",	\
	       (s).name, n);						\
	n = 0;								\
	for (c = (s).test_cases; c->run_case; c++) {			\
		struct kunit t = { .name = c->name };			\
									\
		if (!setjmp(t.abort))					\
			c->run_case(&t);				\
		printf("    %sok %d %s\n", t.failed ? "not " : "",	\
		       ++n, c->name);					\
		bad += t.failed;					\
	}								\
	printf("%sok 1 %s\n", bad ? "not " : "", (s).name);		\
	return bad;							\
}

#endif /* KHCL_KUNIT_SHIM_H */
