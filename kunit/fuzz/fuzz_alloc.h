/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Force-included (-include) into fuzz_vmbus_ctl's build, core included:
 * khcl_zalloc() goes through the harness, which can make the next
 * allocation fail. The core's source is not touched.
 */
#ifndef KHCL_FUZZ_ALLOC_H
#define KHCL_FUZZ_ALLOC_H

#include "../../include/khcl/compat.h"

void *fz_zalloc(size_t n, size_t size);

#undef khcl_zalloc
#define khcl_zalloc(n, size)	fz_zalloc(n, size)

#endif /* KHCL_FUZZ_ALLOC_H */
