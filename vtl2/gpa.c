// SPDX-License-Identifier: GPL-2.0
/*
 * Guest physical address validation (pure C: builds in the kernel and in
 * user space).
 */
#include "gpa.h"

void khcl_gpa_map_init(struct khcl_gpa_map *map)
{
	map->nr = 0;
}

/*
 * Add a RAM range. Ranges must be page aligned, non-empty, must not wrap
 * and must not overlap existing ones; the map stays sorted.
 */
int khcl_gpa_map_add(struct khcl_gpa_map *map, u64 start, u64 len)
{
	u64 end, e;
	unsigned int i, pos;

	if (!len || (start | len) & 0xfff)
		return -EINVAL;
	if (check_add_overflow(start, len, &end))
		return -EINVAL;
	if (map->nr >= KHCL_GPA_MAX_RANGES)
		return -ENOSPC;

	for (pos = 0; pos < map->nr; pos++) {
		e = map->r[pos].start + map->r[pos].len;
		if (start < e && map->r[pos].start < end)
			return -EEXIST;
		if (start < map->r[pos].start)
			break;
	}
	for (i = map->nr; i > pos; i--)
		map->r[i] = map->r[i - 1];
	map->r[pos].start = start;
	map->r[pos].len = len;
	map->nr++;
	return 0;
}

/*
 * Check that [gpa, gpa + len) lies wholly inside one RAM range. len == 0 is
 * refused (a guest asking for nothing is malformed). On success *idx (if
 * not NULL) is the index of that range.
 */
int khcl_gpa_check(const struct khcl_gpa_map *map, u64 gpa, u64 len,
		   unsigned int *idx)
{
	unsigned int lo = 0, hi = map->nr, mid;
	u64 end;

	if (!len || check_add_overflow(gpa, len, &end))
		return -EFAULT;

	/* Binary search for the last range starting at or below gpa. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (map->r[mid].start <= gpa)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return -EFAULT;
	lo--;
	if (gpa - map->r[lo].start >= map->r[lo].len ||
	    end - map->r[lo].start > map->r[lo].len)
		return -EFAULT;
	if (idx)
		*idx = lo;
	return 0;
}

/*
 * A guest buffer as a VMBus GPA-direct packet names it (@npfns PFNs of
 * 4 KiB pages, unaligned little-endian u64s; @offset bytes into the first
 * page; @len bytes) as runs of guest-physically contiguous bytes, each
 * inside one RAM range of @map: consecutive PFNs merge, a run ends where
 * the PFNs jump or its RAM range ends, and each run is checked once.
 * Returns the number of runs (at most @max), or -EFAULT (a page outside
 * VTL0 RAM, a PFN too large for a GPA, fewer PFNs than @len needs),
 * -E2BIG (more than @max runs), -EINVAL (@len 0, @offset past the first
 * page). PFNs after the last one @len needs are not looked at.
 */
int khcl_gpa_buf_runs(const struct khcl_gpa_map *map, const u8 *pfns,
		      u32 npfns, u32 offset, u32 len, struct khcl_gpa_run *runs,
		      unsigned int max)
{
	unsigned int n = 0, i, idx;
	u64 pfn, gpa, run_end = 0, range_end = 0;
	u32 done = 0, chunk;

	if (!len || offset >= 4096)
		return -EINVAL;
	for (i = 0; i < npfns && done < len; i++) {
		memcpy(&pfn, pfns + (u64)i * sizeof(pfn), sizeof(pfn));
		if (pfn >= 1ull << (64 - 12))
			return -EFAULT;
		gpa = (pfn << 12) + offset;
		chunk = len - done < 4096 - offset ? len - done : 4096 - offset;
		if (n && gpa == run_end && chunk <= range_end - gpa) {
			runs[n - 1].len += chunk;	/* contiguous: merge */
		} else {
			if (n == max)
				return -E2BIG;
			if (khcl_gpa_check(map, gpa, chunk, &idx))
				return -EFAULT;
			range_end = map->r[idx].start + map->r[idx].len;
			runs[n].gpa = gpa;
			runs[n].len = chunk;
			runs[n].idx = idx;
			n++;
		}
		run_end = gpa + chunk;
		done += chunk;
		offset = 0;
	}
	return done == len ? (int)n : -EFAULT;
}
