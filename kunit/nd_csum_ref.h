/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tests' own Internet checksum (RFC 1071, over big-endian words,
 * folded), independent of the code under test: a valid checksum's
 * coverage sums to 0xffff. Shared by KUnit (netdata_test.c) and the
 * fuzzer's oracle (fuzz/fuzz_netvsp.c).
 */
#ifndef KHCL_ND_CSUM_REF_H
#define KHCL_ND_CSUM_REF_H

static inline u32 nd_ref_sum(u32 s, const u8 *p, u32 n)
{
	u32 i;

	for (i = 0; i + 1 < n; i += 2)
		s += p[i] << 8 | p[i + 1];
	if (n & 1)
		s += p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

#endif /* KHCL_ND_CSUM_REF_H */
