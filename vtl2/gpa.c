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
