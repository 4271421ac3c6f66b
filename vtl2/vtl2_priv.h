/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KHCL_VTL2_PRIV_H
#define KHCL_VTL2_PRIV_H

#include <linux/atomic.h>

struct khcl_vtl0mem_stats {
	atomic64_t chunks_registered;
	atomic64_t bad_gpa;
	atomic64_t unprepared;
	atomic64_t memmap_cap_hits;
};

extern struct khcl_vtl0mem_stats khcl_vtl0mem_stats;
u64 khcl_vtl0mem_memmap_bytes(void);
/* sysfs vtl0mem/ranges: gpa len phys order memmap_bytes register_us */
int khcl_vtl0mem_describe(char *buf);

#endif /* KHCL_VTL2_PRIV_H */
