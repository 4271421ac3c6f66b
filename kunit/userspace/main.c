// SPDX-License-Identifier: GPL-2.0
/* User-space runner for one khcl test suite (see kunit_shim.h). */
#include <stdio.h>

int KHCL_SUITE_FN(void);

int main(void)
{
	/*
	 * Line-buffered: a sanitizer that ends the process (UBSan with
	 * -fno-sanitize-recover, ASan, LSan at exit) must not take the KTAP
	 * printed so far with it.
	 */
	setvbuf(stdout, NULL, _IOLBF, 0);
	return KHCL_SUITE_FN() ? 1 : 0;
}
