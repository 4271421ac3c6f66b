// SPDX-License-Identifier: GPL-2.0
/*
 * Network VSP protocol core, receive segment coalescing: the headers of a
 * TCP segment the backend coalesced (GRO, LRO) are checked and made to
 * describe the whole segment before it goes to the guest as RSC pieces.
 * The guest may have its receive checksum offload off, so the TCP
 * checksum is made valid too. Checksums are summed in memory order, as
 * the kernel's csum_partial() does. See netvsp.h.
 */
#include "netvsp.h"

#define ETH_HDR		14
#define IP6_HDR		40
#define PROTO_TCP	6

static u32 get_be16(const u8 *p)
{
	return p[0] << 8 | p[1];
}

static void put_be16(u8 *p, u32 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* a + b in ones' complement, 32 bits wide (end-around carry) */
static u32 add32(u32 a, u32 b)
{
	a += b;
	return a + (a < b);
}

static u16 fold(u32 s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return s;
}

u32 khcl_csum_add(u32 sum, const u8 *p, u32 n)
{
	u64 acc = sum;
	u16 w;

	for (; n >= 2; p += 2, n -= 2) {
		memcpy(&w, p, 2);
		acc += w;
	}
	if (n) {		/* the last byte, padded with zero */
		w = 0;
		memcpy(&w, p, 1);
		acc += w;
	}
	acc = (acc & 0xffffffff) + (acc >> 32);
	return add32(acc & 0xffffffff, acc >> 32);
}

int khcl_rsc_parse(const u8 *f, u32 n, u32 len, struct khcl_rsc_hdr *h)
{
	const u8 *ip = f + ETH_HDR, *tcp;
	u32 type, l4;

	if (n > len || n < ETH_HDR + 20)
		return -1;
	type = get_be16(f + 12);
	if (type == 0x0800) {
		/* IPv4, options allowed, no fragment, TCP */
		if (ip[0] >> 4 != 4 || (ip[0] & 15) < 5 ||
		    (get_be16(ip + 6) & 0x3fff) || ip[9] != PROTO_TCP ||
		    len - ETH_HDR > 0xffff)
			return -1;
		l4 = ETH_HDR + (ip[0] & 15) * 4;
		h->ipv6 = false;
	} else if (type == 0x86dd) {
		/* IPv6 with TCP right after its header */
		if (n < ETH_HDR + IP6_HDR || ip[0] >> 4 != 6 ||
		    ip[6] != PROTO_TCP || len - ETH_HDR - IP6_HDR > 0xffff)
			return -1;
		l4 = ETH_HDR + IP6_HDR;
		h->ipv6 = true;
	} else {
		return -1;	/* a VLAN tag left in the frame, or not IP */
	}
	if (n < l4 + 20)
		return -1;
	tcp = f + l4;
	if (tcp[12] >> 4 < 5 || l4 + (tcp[12] >> 4) * 4 > n)
		return -1;
	h->l3 = ETH_HDR;
	h->l4 = l4;
	h->hdr_len = l4 + (tcp[12] >> 4) * 4;
	return 0;
}

void khcl_rsc_fix(u8 *f, u32 len, const struct khcl_rsc_hdr *h, u32 paysum)
{
	u8 *ip = f + h->l3, *check = f + h->l4 + 16, ph[IP6_HDR] = {};
	u32 l4len = len - h->l4, s;
	u16 v;

	if (!h->ipv6) {
		put_be16(ip + 2, len - h->l3);
		ip[10] = 0;
		ip[11] = 0;
		v = ~fold(khcl_csum_add(0, ip, h->l4 - h->l3));
		memcpy(ip + 10, &v, 2);
		/* pseudo-header: addresses, zero, protocol, TCP length */
		memcpy(ph, ip + 12, 8);
		ph[9] = PROTO_TCP;
		put_be16(ph + 10, l4len);
		s = khcl_csum_add(0, ph, 12);
	} else {
		put_be16(ip + 4, len - h->l3 - IP6_HDR);
		memcpy(ph, ip + 8, 32);
		put_be16(ph + 34, l4len);
		ph[39] = PROTO_TCP;
		s = khcl_csum_add(0, ph, IP6_HDR);
	}
	check[0] = 0;
	check[1] = 0;
	s = khcl_csum_add(s, f + h->l4, h->hdr_len - h->l4);
	/* the TCP header is whole 32-bit words: the payload sum lines up */
	s = add32(s, paysum);
	v = ~fold(s);
	memcpy(check, &v, 2);
}
