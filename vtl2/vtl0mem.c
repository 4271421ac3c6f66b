// SPDX-License-Identifier: GPL-2.0
/*
 * VTL0 memory map: every VTL0 RAM range is registered when it is declared
 * (at load, before any channel opens) as ZONE_DEVICE pages of type
 * MEMORY_DEVICE_GENERIC, made of compound pages whose order comes from
 * the range's alignment (pgmap->vmemmap_shift, as Linux's mshv_vtl does
 * upstream and device-dax does). x86_64 deduplicates the vmemmap of a
 * compound page, so the struct pages of 1 GiB of VTL0 cost VTL2 a few KiB
 * instead of 16 MiB (DESIGN.md). The memmap lives in VTL2 RAM (no altmap
 * inside VTL0 RAM: the guest could write its own struct pages), capped by
 * max_memmap_kb.
 *
 * Tail pages share their head's struct page fields: nothing here writes a
 * per-page field, and the pgmap of a page is read from its head (a tail's
 * pgmap word is its compound_head).
 */
#define pr_fmt(fmt) "khcl_vtl2: " fmt

#include <linux/module.h>
#include <linux/bvec.h>
#include <linux/overflow.h>
#include <linux/highmem.h>
#include <linux/ioport.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <linux/seqlock.h>
#include <linux/memremap.h>
#include <linux/sizes.h>
#include <linux/vmstat.h>
#include "../include/khcl/khcl_vtl2.h"
#include "../include/khcl/vmbus_wire.h"
#include "gpa.h"
#include "vtl2_priv.h"

static unsigned long max_memmap_kb = 16384;
module_param(max_memmap_kb, ulong, 0644);
MODULE_PARM_DESC(max_memmap_kb, "Cap on struct page memory for VTL0 RAM, KiB (a range whose memmap would pass it is refused)");

static unsigned int max_order = PUD_SHIFT - PAGE_SHIFT;
module_param(max_order, uint, 0444);
MODULE_PARM_DESC(max_order, "Largest compound page order for VTL0 RAM (default and most: 1 GiB pages; 0: plain pages)");

struct vtl0_range {
	u64 gpa;
	u64 len;
	phys_addr_t phys;
	unsigned int order;		/* of its compound pages */
	u64 memmap_bytes;		/* measured: free memory it took */
	u64 register_us;
	struct dev_pagemap *pgmap;
};

/*
 * vtl0_lock serialises writers; readers on the I/O path take no lock but
 * read vtl0_map and vtl0_ranges under vtl0_seq (add() moves entries, so
 * a reader that raced it retries).
 */
static DEFINE_MUTEX(vtl0_lock);
static seqcount_mutex_t vtl0_seq = SEQCNT_MUTEX_ZERO(vtl0_seq, &vtl0_lock);
static struct khcl_gpa_map vtl0_map;
static struct vtl0_range vtl0_ranges[KHCL_GPA_MAX_RANGES];
static u64 memmap_bytes;
static atomic_long_t pages_held;	/* get_page() not yet put */

struct khcl_vtl0mem_stats khcl_vtl0mem_stats;

/* The compound order [phys, phys + len) allows, capped. */
static unsigned int range_order(phys_addr_t phys, u64 len)
{
	unsigned int order = __ffs64((u64)phys | len) - PAGE_SHIFT;

	return min3(order, max_order, (unsigned int)(PUD_SHIFT - PAGE_SHIFT));
}

/*
 * What the memmap of a range should cost: a struct page per 4 KiB page,
 * or, where x86_64 shares the vmemmap of a compound page (orders whose
 * struct pages fill more than one page), two vmemmap pages per compound
 * page. A guard for the cap; the figure shown is the measured one.
 */
static u64 memmap_estimate(u64 len, unsigned int order)
{
	u64 pages = len >> PAGE_SHIFT;

	if (IS_ENABLED(CONFIG_ARCH_WANT_OPTIMIZE_DAX_VMEMMAP) &&
	    (sizeof(struct page) << order) > PAGE_SIZE)
		return (pages >> order) * 2 * PAGE_SIZE;
	return pages * sizeof(struct page);
}

static int range_register(struct vtl0_range *r)
{
	struct dev_pagemap *pgmap;
	unsigned long free0;
	u64 cost, t0;
	void *va;

	cost = memmap_estimate(r->len, r->order);
	if (memmap_bytes + cost > (u64)READ_ONCE(max_memmap_kb) << 10) {
		atomic64_inc(&khcl_vtl0mem_stats.memmap_cap_hits);
		pr_err("VTL0 RAM gpa %#llx+%#llx: its memmap (%llu KiB, order %u) would pass max_memmap_kb %lu: not registered\n",
		       r->gpa, r->len, cost >> 10, r->order,
		       READ_ONCE(max_memmap_kb));
		return -ENOMEM;
	}
	pgmap = kzalloc(sizeof(*pgmap), GFP_KERNEL);
	if (!pgmap)
		return -ENOMEM;
	pgmap->type = MEMORY_DEVICE_GENERIC;
	pgmap->range.start = r->phys;
	pgmap->range.end = r->phys + r->len - 1;
	pgmap->nr_range = 1;
	pgmap->vmemmap_shift = r->order;
	t0 = ktime_get_ns();
	free0 = global_zone_page_state(NR_FREE_PAGES);
	va = memremap_pages(pgmap, NUMA_NO_NODE);
	if (IS_ERR(va)) {
		pr_err("memremap_pages gpa %#llx+%#llx order %u: %ld\n",
		       r->gpa, r->len, r->order, PTR_ERR(va));
		kfree(pgmap);
		return PTR_ERR(va);
	}
	r->register_us = div_u64(ktime_get_ns() - t0, NSEC_PER_USEC);
	r->memmap_bytes = (u64)max_t(long, (long)free0 -
				     (long)global_zone_page_state(NR_FREE_PAGES),
				     0) << PAGE_SHIFT;
	r->pgmap = pgmap;
	memmap_bytes += r->memmap_bytes;
	atomic64_inc(&khcl_vtl0mem_stats.chunks_registered);
	return 0;
}

int khcl_vtl0mem_add(u64 gpa, u64 len, phys_addr_t phys)
{
	struct vtl0_range nr = { .gpa = gpa, .len = len, .phys = phys };
	const u64 section = 1ull << SECTION_SIZE_BITS;
	unsigned int idx;
	int ret;

	/*
	 * 6.12 mishandles compound ZONE_DEVICE pages inside an early
	 * section: whole sections only, and never VTL2's own RAM.
	 */
	if (!len || (gpa | len | phys) & (section - 1)) {
		pr_err("VTL0 RAM gpa %#llx+%#llx at phys %pa: not aligned to sections of %llu MiB\n",
		       gpa, len, &phys, section >> 20);
		return -EINVAL;
	}
	if (region_intersects(phys, len, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("VTL0 RAM at phys %pa+%#llx overlaps VTL2's own RAM\n",
		       &phys, len);
		return -EINVAL;
	}
	nr.order = range_order(phys, len);

	mutex_lock(&vtl0_lock);
	ret = range_register(&nr);
	if (ret)
		goto out;
	write_seqcount_begin(&vtl0_seq);
	ret = khcl_gpa_map_add(&vtl0_map, gpa, len);
	if (!ret) {
		ret = khcl_gpa_check(&vtl0_map, gpa, len, &idx);
		WARN_ON_ONCE(ret);
	}
	if (!ret) {
		/* keep vtl0_ranges parallel to the sorted map */
		memmove(&vtl0_ranges[idx + 1], &vtl0_ranges[idx],
			(vtl0_map.nr - 1 - idx) * sizeof(vtl0_ranges[0]));
		vtl0_ranges[idx] = nr;
	}
	write_seqcount_end(&vtl0_seq);
	if (ret) {
		memunmap_pages(nr.pgmap);	/* nothing can hold a page yet */
		memmap_bytes -= nr.memmap_bytes;
		kfree(nr.pgmap);
		goto out;
	}
	pr_info("VTL0 RAM gpa %#llx-%#llx at phys %pa: %llu compound pages of order %u, memmap %llu KiB (measured), registered in %llu us\n",
		gpa, gpa + len - 1, &phys, len >> (PAGE_SHIFT + nr.order),
		nr.order, nr.memmap_bytes >> 10, nr.register_us);
out:
	mutex_unlock(&vtl0_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(khcl_vtl0mem_add);

/* Every range is registered when added: only the GPA check is left. */
int khcl_vtl0mem_prepare(u64 gpa, u64 len)
{
	unsigned int idx;
	int ret;

	mutex_lock(&vtl0_lock);
	ret = khcl_gpa_check(&vtl0_map, gpa, len, &idx);
	mutex_unlock(&vtl0_lock);
	if (ret)
		atomic64_inc(&khcl_vtl0mem_stats.bad_gpa);
	return ret;
}
EXPORT_SYMBOL_GPL(khcl_vtl0mem_prepare);

struct page *khcl_vtl0mem_get_page(u64 gpa)
{
	struct dev_pagemap *pgmap;
	unsigned int idx, seq;
	unsigned long pfn;
	int bad;

	/*
	 * No lock: the lookup retries if add() moved the ranges under it;
	 * the pgmap reference taken below keeps the range alive (a range
	 * being removed gives none: get_dev_pagemap() fails).
	 */
	do {
		seq = read_seqcount_begin(&vtl0_seq);
		bad = khcl_gpa_check(&vtl0_map, gpa, 1, &idx);
		if (!bad)
			pfn = PHYS_PFN(vtl0_ranges[idx].phys +
				       (gpa - vtl0_ranges[idx].gpa));
	} while (read_seqcount_retry(&vtl0_seq, seq));
	if (bad) {
		atomic64_inc(&khcl_vtl0mem_stats.bad_gpa);
		return NULL;
	}
	pgmap = get_dev_pagemap(pfn, NULL);
	if (!pgmap) {
		atomic64_inc(&khcl_vtl0mem_stats.unprepared);
		return NULL;
	}
	atomic_long_inc(&pages_held);
	return pfn_to_page(pfn);
}
EXPORT_SYMBOL_GPL(khcl_vtl0mem_get_page);

void khcl_vtl0mem_put_page(struct page *page)
{
	/* a tail page's pgmap word is its compound_head: ask the head */
	put_dev_pagemap(compound_head(page)->pgmap);
	atomic_long_dec(&pages_held);
}
EXPORT_SYMBOL_GPL(khcl_vtl0mem_put_page);

int khcl_vtl0mem_get_bvecs(u64 gpa, u32 len, struct bio_vec *bv,
			   unsigned int max)
{
	unsigned int n = 0, off, chunk;
	struct page *page;
	u64 end;

	if (!len || check_add_overflow(gpa, (u64)len, &end))
		return -EINVAL;
	while (gpa < end) {
		off = offset_in_page(gpa);
		chunk = min_t(u64, PAGE_SIZE - off, end - gpa);
		if (n == max)
			goto err;
		page = khcl_vtl0mem_get_page(gpa);
		if (!page)
			goto err;
		bvec_set_page(&bv[n++], page, chunk, off);
		gpa += chunk;
	}
	return n;
err:
	khcl_vtl0mem_put_bvecs(bv, n);
	return n == max ? -E2BIG : -EFAULT;
}
EXPORT_SYMBOL_GPL(khcl_vtl0mem_get_bvecs);

/*
 * The runs are computed into @bv itself and turned into bio_vecs in
 * place, one for one: no scratch memory on the I/O path.
 */
static_assert(sizeof(struct khcl_gpa_run) <= sizeof(struct bio_vec));

int khcl_vtl0mem_buf_bvecs(const struct khcl_gpa_buf *b, u32 len,
			   struct bio_vec *bv, unsigned int max)
{
	struct khcl_gpa_run *runs = (void *)bv, run;
	phys_addr_t phys;
	unsigned int seq;
	int n, i;

	if (len > b->len)
		return -EINVAL;
	do {
		seq = read_seqcount_begin(&vtl0_seq);
		n = khcl_gpa_buf_runs(&vtl0_map, b->pfns, b->npfns, b->offset,
				      len, runs, max);
		for (i = 0; i < n; i++) {
			run = runs[i];
			phys = vtl0_ranges[run.idx].phys +
			       (run.gpa - vtl0_ranges[run.idx].gpa);
			/* a bio_vec may span pages that are contiguous */
			bvec_set_page(&bv[i], pfn_to_page(PHYS_PFN(phys)),
				      run.len, offset_in_page(phys));
		}
	} while (read_seqcount_retry(&vtl0_seq, seq));
	if (n < 0) {
		if (n == -EFAULT)
			atomic64_inc(&khcl_vtl0mem_stats.bad_gpa);
		return n;
	}
	/* one pgmap reference per run: a run lies in one range */
	for (i = 0; i < n; i++) {
		if (!get_dev_pagemap(page_to_pfn(bv[i].bv_page), NULL)) {
			atomic64_inc(&khcl_vtl0mem_stats.unprepared);
			khcl_vtl0mem_put_bvecs(bv, i);
			return -EFAULT;
		}
		atomic_long_inc(&pages_held);
	}
	return n;
}
EXPORT_SYMBOL_GPL(khcl_vtl0mem_buf_bvecs);

int khcl_vtl0mem_copy_at(const struct khcl_gpa_buf *b, u32 skip, void *buf,
			 u32 len, bool to_guest)
{
	u32 i, done = 0, chunk, offset = b->offset;
	struct page *page;
	u64 pfn, gpa;

	/* the offset is into the first page: never a write past it */
	if (offset >= PAGE_SIZE || len > b->len || skip > b->len - len)
		return -EINVAL;
	i = (offset + (u64)skip) >> PAGE_SHIFT;
	offset = (offset + skip) & ~PAGE_MASK;
	for (; i < b->npfns && done < len; i++) {
		pfn = khcl_gpa_buf_pfn(b->pfns, i);
		if (pfn >= 1ull << (64 - PAGE_SHIFT))
			return -EFAULT;
		gpa = (pfn << PAGE_SHIFT) + offset;
		chunk = min_t(u32, len - done, PAGE_SIZE - offset);
		/* a GPA outside VTL0 RAM gets no page: never touched */
		page = khcl_vtl0mem_get_page(gpa);
		if (!page)
			return -EFAULT;
		if (to_guest)
			memcpy_to_page(page, offset, (u8 *)buf + done, chunk);
		else
			memcpy_from_page((u8 *)buf + done, page, offset, chunk);
		khcl_vtl0mem_put_page(page);
		done += chunk;
		offset = 0;
	}
	return done == len ? 0 : -EFAULT;
}
EXPORT_SYMBOL_GPL(khcl_vtl0mem_copy_at);

int khcl_vtl0mem_copy(const struct khcl_gpa_buf *b, void *buf, u32 len,
		      bool to_guest)
{
	return khcl_vtl0mem_copy_at(b, 0, buf, len, to_guest);
}
EXPORT_SYMBOL_GPL(khcl_vtl0mem_copy);

void khcl_vtl0mem_put_bvecs(struct bio_vec *bv, unsigned int n)
{
	while (n--)
		khcl_vtl0mem_put_page(bv[n].bv_page);
}
EXPORT_SYMBOL_GPL(khcl_vtl0mem_put_bvecs);

int khcl_vtl0mem_remove_all(void)
{
	unsigned int i;

	mutex_lock(&vtl0_lock);
	/* memunmap_pages() would wait for every reference: say so instead */
	if (atomic_long_read(&pages_held)) {
		mutex_unlock(&vtl0_lock);
		return -EBUSY;
	}
	write_seqcount_begin(&vtl0_seq);
	for (i = 0; i < vtl0_map.nr; i++) {
		struct vtl0_range *r = &vtl0_ranges[i];

		memunmap_pages(r->pgmap);
		kfree(r->pgmap);
		memset(r, 0, sizeof(*r));
	}
	khcl_gpa_map_init(&vtl0_map);
	memmap_bytes = 0;
	write_seqcount_end(&vtl0_seq);
	mutex_unlock(&vtl0_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(khcl_vtl0mem_remove_all);

u64 khcl_vtl0mem_memmap_bytes(void)
{
	return memmap_bytes;
}

/* One line per range: gpa len phys order memmap_bytes register_us */
int khcl_vtl0mem_describe(char *buf)
{
	unsigned int i;
	int n = 0;

	mutex_lock(&vtl0_lock);
	for (i = 0; i < vtl0_map.nr; i++) {
		const struct vtl0_range *r = &vtl0_ranges[i];

		n += sysfs_emit_at(buf, n, "%#llx %#llx %pa %u %llu %llu\n",
				   r->gpa, r->len, &r->phys, r->order,
				   r->memmap_bytes, r->register_us);
	}
	mutex_unlock(&vtl0_lock);
	return n;
}
