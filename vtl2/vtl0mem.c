// SPDX-License-Identifier: GPL-2.0
/*
 * VTL0 memory map: VTL0 RAM registered as ZONE_DEVICE pages, one chunk at
 * a time, when a channel or GPADL first makes it reachable. The memmap
 * (struct pages) is allocated from VTL2 RAM (no altmap inside VTL0 RAM:
 * the guest could write its own struct pages), capped by max_memmap_kb.
 */
#define pr_fmt(fmt) "khcl_vtl2: " fmt

#include <linux/module.h>
#include <linux/bvec.h>
#include <linux/overflow.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <linux/seqlock.h>
#include <linux/memremap.h>
#include <linux/sizes.h>
#include "khcl_vtl2.h"
#include "gpa.h"
#include "vtl2_priv.h"

static unsigned int chunk_mb = 128;
module_param(chunk_mb, uint, 0444);
MODULE_PARM_DESC(chunk_mb, "VTL0 RAM registration chunk in MiB (power of two, >= 2)");

static unsigned long max_memmap_kb = 16384;
module_param(max_memmap_kb, ulong, 0644);
MODULE_PARM_DESC(max_memmap_kb, "Cap on struct page memory for VTL0 RAM, KiB");

struct vtl0_chunk {
	struct dev_pagemap pgmap;
	bool live;
};

struct vtl0_range {
	u64 gpa;
	u64 len;
	phys_addr_t phys;
	unsigned int nr_chunks;
	struct vtl0_chunk *chunks;
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

static u64 chunk_bytes(void)
{
	return (u64)chunk_mb << 20;
}

int khcl_vtl0mem_add(u64 gpa, u64 len, phys_addr_t phys)
{
	struct vtl0_chunk *chunks;
	unsigned int idx, nr_chunks;
	struct vtl0_range *r;
	u64 cb = chunk_bytes();
	int ret;

	if (cb < SZ_2M || (cb & (cb - 1)) || (gpa | len | phys) & (SZ_2M - 1))
		return -EINVAL;
	nr_chunks = DIV_ROUND_UP_ULL(len, cb);
	chunks = kcalloc(nr_chunks, sizeof(*chunks), GFP_KERNEL);
	if (!chunks)
		return -ENOMEM;

	mutex_lock(&vtl0_lock);
	write_seqcount_begin(&vtl0_seq);
	ret = khcl_gpa_map_add(&vtl0_map, gpa, len);
	if (ret)
		goto out;
	ret = khcl_gpa_check(&vtl0_map, gpa, len, &idx);
	if (WARN_ON_ONCE(ret))
		goto out;
	/* keep vtl0_ranges parallel to the sorted map */
	memmove(&vtl0_ranges[idx + 1], &vtl0_ranges[idx],
		(vtl0_map.nr - 1 - idx) * sizeof(vtl0_ranges[0]));
	r = &vtl0_ranges[idx];
	r->gpa = gpa;
	r->len = len;
	r->phys = phys;
	r->nr_chunks = nr_chunks;
	r->chunks = chunks;
	chunks = NULL;
	pr_info("VTL0 RAM gpa %#llx-%#llx at phys %pa, %u chunks of %u MiB\n",
		gpa, gpa + len - 1, &phys, nr_chunks, chunk_mb);
out:
	write_seqcount_end(&vtl0_seq);
	mutex_unlock(&vtl0_lock);
	kfree(chunks);
	return ret;
}
EXPORT_SYMBOL_GPL(khcl_vtl0mem_add);

static int chunk_register(struct vtl0_range *r, unsigned int i)
{
	struct vtl0_chunk *c = &r->chunks[i];
	u64 off = (u64)i * chunk_bytes();
	u64 size = min_t(u64, chunk_bytes(), r->len - off);
	u64 cost = (size >> PAGE_SHIFT) * sizeof(struct page);
	void *va;

	if (memmap_bytes + cost > (u64)max_memmap_kb << 10) {
		atomic64_inc(&khcl_vtl0mem_stats.memmap_cap_hits);
		pr_warn_ratelimited("memmap cap %lu KiB reached, chunk gpa %#llx not registered\n",
				    max_memmap_kb, r->gpa + off);
		return -ENOMEM;
	}
	c->pgmap.type = MEMORY_DEVICE_GENERIC;
	c->pgmap.range.start = r->phys + off;
	c->pgmap.range.end = r->phys + off + size - 1;
	c->pgmap.nr_range = 1;
	va = memremap_pages(&c->pgmap, NUMA_NO_NODE);
	if (IS_ERR(va)) {
		pr_err("memremap_pages gpa %#llx+%#llx: %ld\n", r->gpa + off,
		       size, PTR_ERR(va));
		memset(&c->pgmap, 0, sizeof(c->pgmap));
		return PTR_ERR(va);
	}
	c->live = true;
	memmap_bytes += cost;
	atomic64_inc(&khcl_vtl0mem_stats.chunks_registered);
	return 0;
}

int khcl_vtl0mem_prepare(u64 gpa, u64 len)
{
	unsigned int idx, i, first, last;
	struct vtl0_range *r;
	int ret;

	mutex_lock(&vtl0_lock);
	ret = khcl_gpa_check(&vtl0_map, gpa, len, &idx);
	if (ret) {
		atomic64_inc(&khcl_vtl0mem_stats.bad_gpa);
		goto out;
	}
	r = &vtl0_ranges[idx];
	first = div64_u64(gpa - r->gpa, chunk_bytes());
	last = div64_u64(gpa + len - 1 - r->gpa, chunk_bytes());
	for (i = first; i <= last && !ret; i++)
		if (!r->chunks[i].live)
			ret = chunk_register(r, i);
out:
	mutex_unlock(&vtl0_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(khcl_vtl0mem_prepare);

int khcl_vtl0mem_prepare_all(void)
{
	unsigned int i, j;
	int ret = 0;

	mutex_lock(&vtl0_lock);
	for (i = 0; i < vtl0_map.nr && !ret; i++)
		for (j = 0; j < vtl0_ranges[i].nr_chunks && !ret; j++)
			if (!vtl0_ranges[i].chunks[j].live)
				ret = chunk_register(&vtl0_ranges[i], j);
	mutex_unlock(&vtl0_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(khcl_vtl0mem_prepare_all);

struct page *khcl_vtl0mem_get_page(u64 gpa)
{
	struct dev_pagemap *pgmap;
	unsigned int idx, seq;
	unsigned long pfn;
	int bad;

	/*
	 * No lock: the lookup retries if add() moved the ranges under it;
	 * the pgmap reference taken below keeps the chunk alive (a chunk
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
	put_dev_pagemap(page->pgmap);
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

int khcl_vtl0mem_copy(const u8 *pfns, u32 npfns, u32 offset, void *buf,
		      u32 len, bool to_guest)
{
	u32 i, done = 0, chunk;
	struct page *page;
	u64 pfn, gpa;

	/* the offset is into the first page: never a write past it */
	if (offset >= PAGE_SIZE)
		return -EINVAL;
	for (i = 0; i < npfns && done < len; i++) {
		memcpy(&pfn, pfns + (u64)i * sizeof(pfn), sizeof(pfn));
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
EXPORT_SYMBOL_GPL(khcl_vtl0mem_copy);

void khcl_vtl0mem_put_bvecs(struct bio_vec *bv, unsigned int n)
{
	while (n--)
		khcl_vtl0mem_put_page(bv[n].bv_page);
}
EXPORT_SYMBOL_GPL(khcl_vtl0mem_put_bvecs);

int khcl_vtl0mem_remove_all(void)
{
	unsigned int i, j;

	mutex_lock(&vtl0_lock);
	/* memunmap_pages() would wait for every reference: say so instead */
	if (atomic_long_read(&pages_held)) {
		mutex_unlock(&vtl0_lock);
		return -EBUSY;
	}
	write_seqcount_begin(&vtl0_seq);
	for (i = 0; i < vtl0_map.nr; i++) {
		struct vtl0_range *r = &vtl0_ranges[i];

		for (j = 0; j < r->nr_chunks; j++) {
			if (!r->chunks[j].live)
				continue;
			/* waits for every pgmap reference to drop */
			memunmap_pages(&r->chunks[j].pgmap);
			r->chunks[j].live = false;
		}
		kfree(r->chunks);
		r->chunks = NULL;
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
