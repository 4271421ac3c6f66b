/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Input formats of the structure-aware harnesses, shared with the seed
 * generator (gen_seeds.c). Each input is a sequence of records; a field
 * that runs past the end of the input reads as zero, so every record
 * parses and a mutation of one byte changes one field, not the framing
 * of everything after it.
 */
#ifndef KHCL_FUZZ_REC_H
#define KHCL_FUZZ_REC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * The harness's own loops (invariant checks, byte copies) are left out
 * of SanitizerCoverage: they cost most of the time otherwise, and their
 * branches are not coverage of the core.
 */
#define FZ_ATTRS(...)	__attribute__((__VA_ARGS__))
#define FZ_NOCOV	FZ_ATTRS(noinline, no_sanitize("coverage"))

struct fz_in {
	const uint8_t *d;
	size_t n, pos;
};

static inline int fz_more(const struct fz_in *in)
{
	return in->pos < in->n;
}

static inline uint8_t fz_u8(struct fz_in *in)
{
	return in->pos < in->n ? in->d[in->pos++] : 0;
}

static inline uint16_t fz_u16(struct fz_in *in)
{
	uint16_t v = fz_u8(in);

	return v | (uint16_t)fz_u8(in) << 8;
}

static inline uint32_t fz_u32(struct fz_in *in)
{
	uint32_t v = fz_u16(in);

	return v | (uint32_t)fz_u16(in) << 16;
}

/* Up to @want bytes in place; returns how many there are. */
static inline size_t fz_take(struct fz_in *in, size_t want,
			     const uint8_t **p)
{
	size_t left = in->n - in->pos;

	if (want > left)
		want = left;
	*p = in->d + in->pos;
	in->pos += want;
	return want;
}

/*
 * fuzz_netvsp: records "op:u8 len:u16 payload[len]", fed in order to the
 * NVSP core as netvsp_main.c does (parse, control, then what the verdict
 * asks: map the receive buffer, read the RNDIS message out of the guest
 * pages, answer it).
 */
enum fn_kind {
	FN_RAW,		/* payload: a whole VMBus packet, descriptor first */
	FN_NVSP,	/* payload: an NVSP message; harness adds an inband
			 * descriptor (bit 6: a COMP packet instead, bit 7:
			 * no completion requested)
			 */
	FN_RNDIS,	/* payload: an RNDIS control message; harness puts it
			 * in guest page (op >> 3 & 7) at offset 0 (bit 6:
			 * 4000, across a page boundary) and sends the
			 * GPA-direct SEND_RNDIS_PKT naming it
			 */
	FN_PAGES,	/* payload: u16 offset, then bytes for guest memory */
	FN_MAPCFG,	/* payload: u32 receive buffer bytes (0: the mapping
			 * fails), u32 section size, for later SEND_RECV_BUFs
			 */
	FN_DATA,	/* payload: u8 split, u16 section bytes, then an RNDIS
			 * data stream; harness puts the first section bytes
			 * in send section (op >> 3 & 3) (all of it inband
			 * when bit 5 is set), the rest in guest pages as
			 * ranges of at most split * 16 + 1 bytes (bit 6: one
			 * PFN past guest RAM), and sends the data
			 * SEND_RNDIS_PKT naming them
			 */
	FN_RSC,		/* payload: a frame the backend coalesced (network
			 * input): headers checked and fixed, checksums
			 * verified
			 */
	FN_NKINDS
};

#define FN_GUEST_PAGES	8	/* PFNs 0..7 are guest RAM, above is not */
#define FN_SEND_SECTIONS 4	/* the send buffer, KHCL_NVSP_SEND_SECTION each */

/*
 * fuzz_vmbus_ctl: records "op:u8 args", (op & 0x1f) % FV_NOPS selecting
 * one of these with fixed-size arguments (listed), op bits 5-7 its
 * flags. Handles are FV_HANDLE(idx % 32); relids are taken as they are
 * (0 and > 64 exist on no channel).
 */
enum fv_op {
	FV_RAW,		/* len:u8 bytes[len]; op bit 7: msgtype %= 25 */
	FV_CONTACT,	/* ver:u8 (index, 8+: raw junk) vcpu:u8 sint:u8 */
	FV_REQOFFERS,
	FV_UNLOAD,
	FV_HEADER,	/* relid:u8 h:u8 pages:u16 tail:u16 nin:u8 pfn:u8:
			 * byte_count pages * 4096, nin PFNs inline (0xff:
			 * all that fit) from pfn & 0x7f * 64 (pfn bit 7:
			 * the last one is not guest RAM); op bit 5:
			 * range_buflen off by 8, bit 6: two ranges, bit 7:
			 * byte_offset tail & 0xfff, byte_count ^ tail >> 12
			 */
	FV_BODY,	/* h:u8 npfn:u8 pfn:u8 (npfn 0xff: the rest, as
			 * many as fit); op bit 7: odd byte count
			 */
	FV_TEARDOWN,	/* relid:u8 h:u8 */
	FV_OPEN,	/* relid:u8 h:u8 dsoff:u8 vp:u8 openid:u8 */
	FV_CLOSE,	/* relid:u8 */
	FV_RELEASED,	/* relid:u8 */
	FV_MODIFY,	/* relid:u8 vp:u8 */
	FV_OFFER,	/* a VSP offers a primary */
	FV_OFFER_SUB,	/* relid:u8 */
	FV_RESCIND,	/* relid:u8 */
	FV_FREE,	/* the owner frees released sub-channels */
	FV_MAP,		/* relid:u8 h:u8: a VSP maps a GPADL (users++) */
	FV_UNMAP,	/* slot:u8: and unmaps it (gpadl_put) */
	FV_RESET,	/* relid:u8: data-path violation, chan_reset */
	FV_FAIL,	/* what:u8: bit 0 next allocation, bit 1 next map,
			 * bit 2 next chan_open fails
			 */
	FV_CONN_ID,	/* id:u8: the next message goes to that conn id */
	FV_NOPS
};

#define FV_HANDLE(idx)	(0xe1e10000u + (idx) % 32)
#define FV_VTL0_PFNS	0x40000ull

/*
 * fuzz_ring: a header "mode:u8 nflip:u8 in:u8 out:u8 idx:u16[4]" (ring
 * data sizes 4096 + 64 * in/out bytes; the initial guest->host read and
 * write index, host->guest write and read index, each idx * 8 % size
 * unless mode bit 1 takes them raw), then records "op:u8 args",
 * op % FR_NOPS selecting one of these. With mode bit 0 set the last
 * nflip * 4 bytes of the input are the flip stream, read backwards:
 * before every access the core makes to a ring header, the next flip
 * byte (bit 7 set) moves one of that header's write/read index, mask or
 * pending_send_sz (bits 4-5) somewhere (bits 0-3): the guest changing
 * them under the core.
 */
enum fr_op {
	FR_READ,	/* buflen:u16: khcl_ring_read, then commit */
	FR_DRAIN,	/* budget:u8: the channel worker's loop (chan.c) */
	FR_WRITE,	/* len:u16 ext:u8 (0: khcl_ring_write) */
	FR_GUEST_PUT,	/* len:u16 bad:u8: the guest writes a packet (bad
			 * bit 0: len8 = bad, bit 1: offset8 = bad >> 2,
			 * bit 7: index moved by 8 * (bad & 0x78) instead)
			 */
	FR_GUEST_GET,	/* the guest reads what the core wrote */
	FR_POKE,	/* which:u8 val:u32: the guest sets header field
			 * which & 7 (write, read, mask, pending, features)
			 * of ring which & 8 (in, out); which & 0x10: val
			 * made a valid index
			 */
	FR_SCRIBBLE,	/* off:u16 len:u8 byte:u8: the guest scribbles on
			 * the data (op bit 7: of the host->guest ring)
			 */
	FR_MASK,	/* mask, unmask */
	FR_BATCH,	/* n:u8 len:u16: n % 8 + 1 khcl_ring_put of len % 1024
			 * (+ 8 * i) bytes, then one khcl_ring_publish
			 */
	FR_NOPS
};

#endif /* KHCL_FUZZ_REC_H */
