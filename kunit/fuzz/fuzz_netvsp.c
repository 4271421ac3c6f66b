// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: mana_xlat/netvsp.c, fed sequences of network
 * packets as the VMBus ring core hands them over (a descriptor, then the
 * rest); every RNDIS control message that gets through is answered from
 * bytes of the input standing in for the guest pages. Findings: memory
 * errors, UB, a PFN list read past the packet, a reply longer than the
 * reply buffer or than its own length field.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../mana_xlat/netvsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct khcl_rndis_dev dev = { .mtu = 1500, .mac = { 2, 0, 0, 0, 0, 1 } };
	static uint8_t pkt[4096], msg[KHCL_RNDIS_MAX_MSG];
	uint8_t out[KHCL_RNDIS_MAX_REPLY];
	struct khcl_nvsp_msg reply;
	struct khcl_nvsp_chan c;
	struct khcl_nvsp_req r;
	size_t pos = 0;
	int len;

	khcl_nvsp_chan_init(&c);
	while (pos + 2 <= n) {
		uint32_t plen = d[pos] | (uint32_t)(d[pos + 1] & 0x0f) << 8;
		struct khcl_vmpkt_desc desc;

		pos += 2;
		if (plen > n - pos)
			plen = n - pos;
		if (plen < sizeof(desc))
			break;
		memcpy(pkt, d + pos, plen);
		pos += plen;
		memcpy(&desc, pkt, sizeof(desc));
		if (khcl_nvsp_parse(&c, &desc, pkt, plen, &r))
			continue;
		if (r.npfns && (r.pfns < pkt ||
				r.pfns + (uint64_t)r.npfns * 8 > pkt + plen))
			abort();
		switch (khcl_nvsp_control(&c, &r, &reply)) {
		case KHCL_NVSP_MAP_RECV_BUF:
			khcl_nvsp_recv_buf_done(&c, 16 << 20, 1728, &reply);
			break;
		case KHCL_NVSP_RNDIS:
			if (r.rndis_len > sizeof(msg))
				abort();
			/* the "guest pages": the rest of the input */
			memset(msg, 0, r.rndis_len);
			memcpy(msg, d + pos, n - pos < r.rndis_len ?
			       n - pos : r.rndis_len);
			len = khcl_rndis_control(&dev, msg, r.rndis_len, out);
			if (len > KHCL_RNDIS_MAX_REPLY)
				abort();
			if (len >= 8) {
				uint32_t l;

				memcpy(&l, out + 4, 4);
				if (l != (uint32_t)len)
					abort();
			}
			break;
		default:
			break;
		}
	}
	return 0;
}
