// SPDX-License-Identifier: GPL-2.0
/* User-space runner for one khcl test suite (see kunit_shim.h). */
#include <stdio.h>

int KHCL_SUITE_FN(void);

int main(void)
{
	return KHCL_SUITE_FN() ? 1 : 0;
}
