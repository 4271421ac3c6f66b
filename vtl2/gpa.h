/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest physical address validation (pure C, no kernel objects).
 *
 * A khcl_gpa_map lists the ranges of VTL0 RAM khcl may touch, sorted and
 * non-overlapping. Every GPA range the guest names is checked against it,
 * overflow-safe, before anything is mapped: a range must lie wholly inside
 * one RAM range; anything else (holes, VTL2's own memory, wrap-around) is
 * refused.
 */
#ifndef KHCL_VTL2_GPA_H
#define KHCL_VTL2_GPA_H

#include "../include/khcl/compat.h"

#define KHCL_GPA_MAX_RANGES	16

struct khcl_gpa_range {
	u64 start;
	u64 len;
};

struct khcl_gpa_map {
	unsigned int nr;
	struct khcl_gpa_range r[KHCL_GPA_MAX_RANGES];
};

/* Guest-physically contiguous bytes of a buffer, inside map range idx. */
struct khcl_gpa_run {
	u64 gpa;
	u32 len;
	unsigned int idx;
};

void khcl_gpa_map_init(struct khcl_gpa_map *map);
int khcl_gpa_map_add(struct khcl_gpa_map *map, u64 start, u64 len);
int khcl_gpa_check(const struct khcl_gpa_map *map, u64 gpa, u64 len,
		   unsigned int *idx);
int khcl_gpa_buf_runs(const struct khcl_gpa_map *map, const u8 *pfns,
		      u32 npfns, u32 offset, u32 len, struct khcl_gpa_run *runs,
		      unsigned int max);

#endif /* KHCL_VTL2_GPA_H */
