// SPDX-License-Identifier: GPL-2.0
/*
 * khcl_harness_leak: leaks one object at load, on purpose. Built with the
 * KUnit suites, carried in the debug image, never loaded in a normal run:
 * scripts/test-harness.sh loads it and demands that the kmemleak check of
 * scripts/tests/kunit-vtl2.sh fails. A leak check that cannot fire is a
 * defect.
 */
#include <linux/module.h>
#include <linux/slab.h>

static int __init khcl_harness_leak_init(void)
{
	void *p = kmalloc(64, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	memset(p, 0x6b, 64);
	pr_info("khcl_harness_leak: leaked 64 bytes at load, on purpose\n");
	return 0;	/* p is forgotten */
}
module_init(khcl_harness_leak_init);

MODULE_DESCRIPTION("khcl test harness: a module that leaks one object");
MODULE_LICENSE("GPL");
