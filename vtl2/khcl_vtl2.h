/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khcl platform core API (vtl2/): the VTL0 memory map and the
 * /sys/kernel/khcl root. Backends (drivers/ivshmem, drivers/hyperv) tell
 * the core where VTL0 RAM is; the VSPs turn guest GPAs into pages.
 */
#ifndef KHCL_VTL2_H
#define KHCL_VTL2_H

#include <linux/types.h>
#include <linux/kobject.h>
#include <linux/memremap.h>

/* /sys/kernel/khcl: every khcl module hangs its knobs and stats here. */
extern struct kobject *khcl_kobj;

/*
 * Declare VTL0 RAM [gpa, gpa + len) as found at host physical address
 * phys in VTL2's address space (identity on Hyper-V, a BAR in the rig).
 * Nothing is mapped yet: chunks are registered on first use.
 */
int khcl_vtl0mem_add(u64 gpa, u64 len, phys_addr_t phys);
/* Drop every range; fails with -EBUSY while a page is held. */
int khcl_vtl0mem_remove_all(void);

/*
 * Make the chunks under [gpa, gpa + len) reachable (registering them as
 * ZONE_DEVICE pages if needed). May sleep: call at open / GPADL time,
 * never on the I/O path.
 */
int khcl_vtl0mem_prepare(u64 gpa, u64 len);

/*
 * The page of a prepared GPA, with a pgmap reference held until
 * khcl_vtl0mem_put_page(). Returns NULL (and counts it) for a GPA outside
 * VTL0 RAM or in a chunk that was not prepared. Does not sleep.
 */
struct page *khcl_vtl0mem_get_page(u64 gpa);
void khcl_vtl0mem_put_page(struct page *page);

#endif /* KHCL_VTL2_H */
