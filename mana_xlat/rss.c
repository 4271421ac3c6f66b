// SPDX-License-Identifier: GPL-2.0
/*
 * Network VSP protocol core, receive-side scaling: the parameters netvsc
 * sets (OID_GEN_RECEIVE_SCALE_PARAMETERS, checked against the message
 * and the channels open) and the Toeplitz hash that picks a received
 * frame's channel through the guest's indirection table. See netvsp.h.
 */
#include "netvsp.h"

u32 khcl_toeplitz(const u8 *key, u32 keylen, const u8 *data, u32 n)
{
	u32 r = 0, v, i, b, next;

	if (keylen < 4 || n > keylen - 4)
		return 0;		/* the key must cover every input bit */
	v = (u32)key[0] << 24 | key[1] << 16 | key[2] << 8 | key[3];
	for (i = 0; i < n; i++) {
		next = i + 4 < keylen ? key[i + 4] : 0;
		for (b = 0; b < 8; b++) {
			if (data[i] & (0x80 >> b))
				r ^= v;
			v = v << 1 | ((next >> (7 - b)) & 1);
		}
	}
	return r;
}

static u32 get16(const u8 *p)
{
	return p[0] | p[1] << 8;
}

static u32 get32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

int khcl_rss_set(struct khcl_rss *rss, const u8 *info, u32 n, u32 nchan)
{
	u32 flag, tabsize, taboff, keysize, keyoff, i, e;

	if (n < KHCL_RSS_PARAM_SIZE || info[0] != KHCL_NDIS_OBJ_RSS_PARAM ||
	    !nchan)
		return KHCL_RNDIS_STATUS_INVALID_DATA;
	flag = get16(info + 4);
	if (flag & KHCL_RSS_FLAG_DISABLE) {
		rss->enabled = false;
		return KHCL_RNDIS_STATUS_SUCCESS;
	}
	tabsize = get16(info + 12);
	taboff = get32(info + 16);
	keysize = get16(info + 20);
	keyoff = get32(info + 24);
	/* whole entries, inside the message; a 40-byte key, inside too */
	if (!tabsize || tabsize % 4 || tabsize / 4 > KHCL_RSS_MAX_ENTRIES ||
	    taboff < KHCL_RSS_PARAM_SIZE || taboff > n || tabsize > n - taboff ||
	    keysize != KHCL_RSS_KEY_SIZE || keyoff < KHCL_RSS_PARAM_SIZE ||
	    keyoff > n || keysize > n - keyoff)
		return KHCL_RNDIS_STATUS_INVALID_DATA;
	if ((get32(info + 8) & KHCL_RSS_HASH_FUNC_MASK) !=
	    KHCL_RSS_HASH_TOEPLITZ)
		return KHCL_RNDIS_STATUS_NOT_SUPPORTED;
	rss->hashinfo = get32(info + 8);
	rss->nent = tabsize / 4;
	for (i = 0; i < rss->nent; i++) {
		e = get32(info + taboff + 4 * i);
		/*
		 * netvsc builds its first table for the channels it asked
		 * for, before it knows how many it got: fold what is not open
		 */
		if (e >= nchan) {
			rss->clamped++;
			e %= nchan;
		}
		rss->table[i] = e;
	}
	memcpy(rss->key, info + keyoff, KHCL_RSS_KEY_SIZE);
	rss->enabled = true;
	return KHCL_RNDIS_STATUS_SUCCESS;
}

u32 khcl_rss_hash(const struct khcl_rss *rss, const u8 *f, u32 len)
{
	u8 in[36];
	u32 l3 = 14, type, n = 0, ihl, l4 = 0;
	u8 proto;

	if (len < l3)
		return 0;
	type = f[12] << 8 | f[13];
	if (type == 0x8100 && len >= 18) {	/* a tag left in the frame */
		type = f[16] << 8 | f[17];
		l3 = 18;
	}
	if (type == 0x0800) {
		if (len < l3 + 20 || (f[l3] >> 4) != 4)
			return 0;
		ihl = (f[l3] & 15) * 4;
		proto = f[l3 + 9];
		memcpy(in, f + l3 + 12, 8);	/* source, destination */
		n = 8;
		/* ports only of a TCP segment that is not a fragment */
		if ((rss->hashinfo & KHCL_RSS_HASH_TCP_IPV4) &&
		    proto == 6 && !((f[l3 + 6] & 0x3f) | f[l3 + 7]) &&
		    ihl >= 20)
			l4 = l3 + ihl;
		else if (!(rss->hashinfo & KHCL_RSS_HASH_IPV4))
			return 0;
	} else if (type == 0x86dd) {
		if (len < l3 + 40)
			return 0;
		proto = f[l3 + 6];
		memcpy(in, f + l3 + 8, 32);
		n = 32;
		if ((rss->hashinfo & KHCL_RSS_HASH_TCP_IPV6) && proto == 6)
			l4 = l3 + 40;
		else if (!(rss->hashinfo & KHCL_RSS_HASH_IPV6))
			return 0;
	} else {
		return 0;
	}
	if (l4 && len >= l4 + 4) {
		memcpy(in + n, f + l4, 4);	/* source port, destination */
		n += 4;
	}
	return khcl_toeplitz(rss->key, KHCL_RSS_KEY_SIZE, in, n);
}

u32 khcl_rss_channel(const struct khcl_rss *rss, u32 hash)
{
	return rss->enabled && rss->nent ? rss->table[hash % rss->nent] : 0;
}
