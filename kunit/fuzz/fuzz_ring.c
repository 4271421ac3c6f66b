// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: vmbus_relay/ring.c against arbitrary ring contents.
 * The input is the guest's view: a ring header and data area the guest
 * filled as it liked, then a script of server operations. Any memory error
 * or UB is a finding; so is a read that returns a packet not inside what
 * the guest published.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../vmbus_relay/ring.h"

#define FR_DATA 8192

static struct {
	struct khcl_ring_hdr hdr;
	uint8_t pad[4096 - sizeof(struct khcl_ring_hdr)];
	uint8_t data[FR_DATA];
} fr_in, fr_out;


int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static uint8_t buf[FR_DATA];
	struct khcl_ring in, out;
	size_t pos = 0;
	uint32_t got;
	bool sig;

	if (n < 2 * 16)
		return 0;
	memset(&fr_in, 0, sizeof(fr_in));
	memset(&fr_out, 0, sizeof(fr_out));
	memcpy(&fr_in.hdr, d, 16);	/* write, read, mask, pending */
	memcpy(&fr_out.hdr, d + 16, 16);
	fr_in.hdr.feature_bits = fr_out.hdr.feature_bits = 1;
	pos = 32;
	/* the guest's data area: the rest of the input, repeated */
	for (size_t i = 0; i < FR_DATA && pos < n; i++)
		fr_in.data[i] = d[pos + i % (n - pos)];
	if (khcl_ring_init(&in, &fr_in.hdr, fr_in.data, FR_DATA, false) ||
	    khcl_ring_init(&out, &fr_out.hdr, fr_out.data, FR_DATA, true))
		return 0;
	for (int step = 0; step < 64 && pos < n; step++) {
		uint8_t op = d[pos++];
		uint32_t len = (uint32_t)op * 37;

		switch (op & 3) {
		case 0:
		case 1:
			if (khcl_ring_read(&in, buf, (op & 4) ? 64 : sizeof(buf),
					   &got) == KHCL_RING_OK) {
				if (got < 16 || got > FR_DATA)
					abort();
			}
			khcl_ring_read_commit(&in);
			break;
		case 2:
			khcl_ring_write(&out, KHCL_VMPKT_COMP, 0, step, buf,
					len % 5000, &sig);
			/* the guest moves its read index anywhere */
			if (pos + 4 <= n) {
				memcpy(&fr_out.hdr.read_index, d + pos, 4);
				pos += 4;
			}
			break;
		case 3:
			khcl_ring_mask(&in);
			khcl_ring_unmask(&in);
			if (pos + 4 <= n) {
				memcpy(&fr_in.hdr.write_index, d + pos, 4);
				pos += 4;
			}
			break;
		}
		if (khcl_ring_bytes_used(&in) > FR_DATA ||
		    khcl_ring_bytes_used(&out) > FR_DATA)
			abort();
	}
	return 0;
}
