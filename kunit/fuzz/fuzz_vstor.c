// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: nvme_xlat/vstor.c and nvme_xlat/scsi.c, fed
 * sequences of storage packets as the VMBus ring core hands them over
 * (a descriptor, then the rest), on a primary or a sub-channel, with the
 * SRBs that pass executed against the empty SCSI target. Findings: memory
 * errors, UB, a PFN list read past the packet, replies that claim more
 * data or sense than the request allows.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../nvme_xlat/vstor.h"
#include "../../nvme_xlat/scsi.h"

static void fv_check_req(const struct khcl_vstor_req *r, const uint8_t *pkt,
			 uint32_t len)
{
	uint64_t sum = 0;

	if (!r->buf.npfns)
		return;
	if (r->buf.pfns < pkt || r->buf.pfns + (uint64_t)r->buf.npfns * 8 > pkt + len)
		abort();
	for (uint32_t i = 0; i < r->buf.npfns; i++)
		sum += khcl_gpa_buf_pfn(r->buf.pfns, i);	/* ASan: inside the copy */
	(void)sum;
	if ((uint64_t)r->buf.offset + r->data_len >
	    (uint64_t)r->buf.npfns * KHCL_HV_PAGE_SIZE)
		abort();
}

/* A discard / write from UNMAP or WRITE SAME: inside the device. */
static void fv_range(const struct khcl_scsi_disk *disk,
		     const struct khcl_sbc_io *io, uint32_t max)
{
	if (!io->nblocks || io->nblocks > max || io->lba >= disk->nblocks ||
	    io->nblocks > disk->nblocks - io->lba)
		abort();
}

/*
 * PERSISTENT RESERVE IN: what a device might answer (keys, a count, a
 * reservation type, all from the packet) fits the guest's buffer.
 */
static void fv_pr_in(const struct khcl_sbc_io *io, uint32_t alloc,
		     const uint8_t *pkt, uint32_t len)
{
	struct khcl_scsi_result res;
	uint8_t data[1024];
	uint64_t keys[127];
	uint32_t total = len >= 4 ? (uint32_t)pkt[0] << 24 | pkt[1] << 16 |
			 pkt[2] << 8 | pkt[3] : 0;

	if (io->pr.action != KHCL_PR_READ_KEYS &&
	    io->pr.action != KHCL_PR_READ_RESERVATION)
		abort();
	if (io->pr.alloc > alloc)
		abort();
	memset(keys, 0, sizeof(keys));
	memcpy(keys, pkt, len < sizeof(keys) ? len : sizeof(keys));
	if (io->pr.action == KHCL_PR_READ_KEYS)
		khcl_spc_pr_keys(total, keys, 127, total, io->pr.alloc, data,
				 sizeof(data), &res);
	else
		khcl_spc_pr_reservation(total, keys[0], len ? pkt[0] : 0,
					io->pr.alloc, data, sizeof(data), &res);
	if (res.data_len > io->pr.alloc || res.data_len > sizeof(data))
		abort();
}

/*
 * The same CDB for a LUN of 2^20 512-byte blocks (sbc.c, spc.c): an I/O
 * lies inside the device, moves exactly the SRB's bytes, at most 128
 * blocks; an answer fits what the guest's buffer holds. UNMAP's list and
 * WRITE SAME's block are the packet's own bytes (@pkt, @len).
 */
static void fv_sbc(const struct khcl_vstor_req *r, uint32_t alloc,
		   const uint8_t *pkt, uint32_t len)
{
	static const struct khcl_scsi_disk disk = {
		.nblocks = 1u << 20, .block_shift = 9, .phys_shift = 12,
		.max_blocks = 128, .opt_blocks = 8, .write_cache = true,
		.discard = true, .max_unmap_blocks = 1u << 16, .pr = true,
		.unmap_granularity = 8, .id_len = 16,
		.id = { 0xde, 0xad, 0xbe, 0xef }, .serial = "0123456789abcdef",
	};
	struct khcl_scsi_result res;
	struct khcl_sbc_io io;
	uint8_t data[512];
	uint32_t n;

	switch (khcl_sbc_decode(&disk, r->srb.cdb, r->srb.cdb_length, ~0ull,
				r->data_len, alloc, data, sizeof(data), &io,
				&res)) {
	case KHCL_SBC_READ:
	case KHCL_SBC_WRITE:
		fv_range(&disk, &io, 128);
		if ((uint64_t)io.nblocks << 9 != r->data_len)
			abort();
		break;
	case KHCL_SBC_FLUSH:
		if (io.lba > disk.nblocks || io.nblocks > disk.nblocks - io.lba)
			abort();
		break;
	case KHCL_SBC_UNMAP:
		if (io.param_len > r->data_len)
			abort();
		n = io.param_len < len ? io.param_len : len;
		if (n > 8 + 16 * (KHCL_SBC_UNMAP_DESCS + 1))
			n = 8 + 16 * (KHCL_SBC_UNMAP_DESCS + 1);
		switch (khcl_sbc_unmap(&disk, pkt, n, io.param_len, &io,
				       &res)) {
		case KHCL_SBC_DISCARD:
			fv_range(&disk, &io, disk.max_unmap_blocks);
			break;
		case KHCL_SBC_ANSWERED:
			if (res.data_len)
				abort();
			break;
		default:
			abort();
		}
		break;
	case KHCL_SBC_WRITE_SAME:
		fv_range(&disk, &io, KHCL_SBC_WS_MAX);
		if (r->data_len != (io.ndob ? 0 : 512) ||
		    (io.unmap && !disk.discard))
			abort();
		/* the block: the packet's first bytes, or none */
		if (len < 512 && !io.ndob)
			break;
		n = khcl_sbc_write_same(&disk, io.ndob ? NULL : pkt, &io);
		if (n != KHCL_SBC_DISCARD && n != KHCL_SBC_WRITE_ZEROES &&
		    n != KHCL_SBC_WRITE_PATTERN)
			abort();
		break;
	case KHCL_SBC_VERIFY:	/* BYTCHK: the SRB carries what is compared */
		fv_range(&disk, &io, 128);
		if (r->data_len != (io.same ? 512u : io.nblocks << 9))
			abort();
		break;
	case KHCL_SBC_PR:	/* IN: the device's answer from the packet */
		fv_pr_in(&io, alloc, pkt, len);
		break;
	case KHCL_SBC_PR_OUT:
		if (io.param_len != 24 || io.param_len > r->data_len)
			abort();
		if (len < 24)
			break;
		n = khcl_spc_pr_out(pkt, 24, &io, &res);
		if (n == KHCL_SBC_ANSWERED ? res.data_len != 0 :
		    n != KHCL_SBC_PR || io.pr.action < KHCL_PR_REGISTER ||
		    io.pr.action > KHCL_PR_PREEMPT_ABORT || io.pr.type > 6 ||
		    (io.pr.action >= KHCL_PR_RESERVE &&
		     io.pr.action != KHCL_PR_CLEAR && !io.pr.type))
			abort();
		break;
	case KHCL_SBC_ANSWERED:
		if (res.data_len > alloc || res.data_len > sizeof(data) ||
		    res.sense_len > KHCL_SCSI_SENSE_LEN)
			abort();
		break;
	default:
		abort();
	}
}

static void fv_srb(const struct khcl_vstor_req *r, const uint8_t *pkt,
		   uint32_t len)
{
	struct khcl_vstor_packet rp;
	struct khcl_scsi_result res;
	uint8_t data[512];
	uint32_t alloc = r->srb.data_in == 1 ? r->data_len : 0;

	memset(data, 0, sizeof(data));
	khcl_scsi_no_lun(r->srb.cdb, r->srb.cdb_length, 0, alloc, data,
			 sizeof(data), &res);
	if (res.data_len > alloc || res.data_len > sizeof(data) ||
	    res.sense_len > KHCL_SCSI_SENSE_LEN)
		abort();
	khcl_vstor_srb_reply(r, res.srb_status, res.scsi_status, res.sense,
			     res.sense_len, res.data_len, &rp);
	if (rp.srb.sense_info_length > r->srb.sense_info_length ||
	    rp.srb.data_transfer_length > r->data_len)
		abort();
	fv_sbc(r, alloc, pkt, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const struct khcl_vstor_limits lim = {
		.max_subchannels = 4, .max_transfer_bytes = 64 * 1024,
	};
	struct khcl_vstor_packet rp;
	struct khcl_vstor_chan c;
	struct khcl_vstor_req r;
	uint8_t pkt[4096];
	size_t pos = 1;

	if (!n)
		return 0;
	khcl_vstor_chan_init(&c, &lim, d[0] & 1);
	while (pos + 2 <= n) {
		uint32_t len = d[pos] | (uint32_t)(d[pos + 1] & 0x0f) << 8;
		struct khcl_vmpkt_desc desc;

		pos += 2;
		if (len > n - pos)
			len = n - pos;
		if (len < sizeof(desc))
			break;
		memcpy(pkt, d + pos, len);
		pos += len;
		memcpy(&desc, pkt, sizeof(desc));
		if (khcl_vstor_parse(&c, &desc, pkt, len, &r)) {
			khcl_vstor_fail_reply(&r, &rp);
			continue;
		}
		fv_check_req(&r, pkt, len);
		switch (khcl_vstor_control(&c, &r, &rp)) {
		case KHCL_VSTOR_DO_SRB:
			fv_srb(&r, pkt, len);
			break;
		case KHCL_VSTOR_DO_SUBCHANNELS:
			if (c.sub || !r.sub_channel_count ||
			    r.sub_channel_count > lim.max_subchannels)
				abort();
			break;
		default:
			break;
		}
	}
	return 0;
}
