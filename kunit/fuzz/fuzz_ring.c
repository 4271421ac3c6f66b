// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: vmbus_relay/ring.c, both directions, against a
 * hostile guest. The input (fuzz_rec.h) sets up a guest->host ring and a
 * host->guest ring of sizes it picks, then runs a script: the core reads
 * (alone or as the channel worker's budgeted loop in chan.c), writes,
 * masks; the guest writes packets, reads what the core wrote, pokes
 * header fields and scribbles on data. In flip mode every access the
 * core makes to a ring header (fuzz_ring_shm.h) first applies the next
 * flip from the end of the input: the guest moving its indices, mask and
 * pending_send_sz between the core's reads.
 *
 * Ring memory is heap blocks of exactly its size (ASan: nothing outside
 * the ring is touched). Findings beyond memory errors and UB:
 *  - a guest index read more than once in one read/commit/unmask call
 *    (double fetch), or a store to a header field the core does not own,
 *    or of an index that is not valid;
 *  - a packet read that is not what the guest published before the
 *    index the core saw, or that advances the index wrongly;
 *  - a write that is not exactly the packet laid out at the core's index
 *    (descriptor, ext, payload, zero padding, trailer), touches any other
 *    byte, or overruns what the guest had not read yet;
 *  - with a guest that follows the protocol, a packet the guest reader
 *    finds malformed;
 *  - the channel worker's loop going round more often than its budget
 *    and the guest's index changes allow (it must end once the guest
 *    stops moving: an unbounded loop is a libFuzzer timeout).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../vmbus_relay/ring.h"
#include "fuzz_rec.h"

#define FR_MAX_DATA	(KHCL_HV_PAGE_SIZE + 255 * 64)

enum { FRF_W, FRF_R, FRF_MASK, FRF_PEND, FRF_FEAT, FRF_NFIELDS };

struct fr_side {
	struct khcl_ring r;
	struct khcl_ring_hdr *hdr;	/* one page, shared */
	uint8_t *data;			/* exactly @size bytes, shared */
	uint32_t size;
	bool ok;			/* khcl_ring_init() took it */
	bool sane;			/* the guest never broke its indices */
	/* during one call of the core */
	uint32_t loads[FRF_NFIELDS];
	uint32_t last_w, last_r;	/* last valid index loaded */
	bool have_w, have_r, stored_w, stored_r;
	uint32_t store_w, store_r, pend_stores, pend_val;
};

static struct {
	struct fr_side in, out;
	const uint8_t *flips;		/* read from the end */
	size_t nflips;
	uint32_t flips_used;
	uint64_t trans_id;
	uint8_t snap[FR_MAX_DATA];
} fr;

#define fr_fail() fr_fail_at(__LINE__)
static void fr_fail_at(int line)
{
	fprintf(stderr, "fuzz_ring: check at line %d failed\n", line);
	abort();
}

static uint32_t fr_used(uint32_t w, uint32_t r, uint32_t size)
{
	return w >= r ? w - r : size - r + w;
}

static bool fr_valid(const struct fr_side *s, uint32_t v)
{
	return v < s->size && !(v % 8);
}

FZ_NOCOV static uint32_t *fr_field(struct fr_side *s, int f)
{
	switch (f) {
	case FRF_W:
		return &s->hdr->write_index;
	case FRF_R:
		return &s->hdr->read_index;
	case FRF_MASK:
		return &s->hdr->interrupt_mask;
	case FRF_PEND:
		return &s->hdr->pending_send_sz;
	default:
		return &s->hdr->feature_bits;
	}
}

static uint8_t fr_flip_byte(void)
{
	if (!fr.nflips)
		return 0;
	return fr.flips[--fr.nflips];
}

/* The guest acts between two accesses of the core. */
static void fr_flip(struct fr_side *s)
{
	uint8_t f = fr_flip_byte(), a = f & 15;
	int field = (f >> 4) & 3;
	uint32_t *p = fr_field(s, field), v = *p, base = s->r.priv;

	if (!(f & 0x80))
		return;
	fr.flips_used++;
	if (a < 4)
		v = (base + 8 * a) % s->size;
	else if (a == 4)
		v = (base + s->size - 8) % s->size;
	else if (a == 5)
		v += 4;
	else if (a == 6)
		v = s->size + 8 * fr_flip_byte();
	else if (a == 7)
		v = (fr_flip_byte() | fr_flip_byte() << 8) * 8 % s->size;
	else if (a == 8)
		v = 0;
	else if (a == 9)
		v = ~0u;
	else
		v = (v + 8 * (a - 9)) % s->size;
	*p = v;
	if (field == FRF_W || field == FRF_R)
		s->sane = false;
}

FZ_NOCOV static struct fr_side *fr_which(const void *p, int *field)
{
	struct fr_side *sides[2] = { &fr.in, &fr.out };

	for (int i = 0; i < 2; i++) {
		struct fr_side *s = sides[i];
		const uint8_t *h = (const uint8_t *)s->hdr;

		if (!h || (const uint8_t *)p < h || (const uint8_t *)p >= h + 4096)
			continue;
		for (int f = 0; f < FRF_NFIELDS; f++)
			if ((const void *)fr_field(s, f) == p) {
				*field = f;
				return s;
			}
	}
	fr_fail();		/* shared access to anything else */
	return NULL;
}

u64 fr_shm_load(const void *p, size_t size)
{
	int f;
	struct fr_side *s = fr_which(p, &f);
	uint32_t v;

	if (size != sizeof(u32))
		fr_fail();
	fr_flip(s);
	v = *(const uint32_t *)p;
	s->loads[f]++;
	if (f == FRF_W && fr_valid(s, v)) {
		s->last_w = v;
		s->have_w = true;
	}
	/* the out ring's read index that a write decides on */
	if (f == FRF_R && fr_valid(s, v) && !s->stored_w) {
		s->last_r = v;
		s->have_r = true;
	}
	return v;
}

void fr_shm_store(void *p, size_t size, u64 v)
{
	int f;
	struct fr_side *s = fr_which(p, &f);

	if (size != sizeof(u32))
		fr_fail();
	fr_flip(s);
	/* the core owns our index, the mask (in) and pending (out) */
	if (s == &fr.in) {
		if (f == FRF_R) {
			if (!fr_valid(s, v) || v != s->r.priv)
				fr_fail();
			s->stored_r = true;
			s->store_r = v;
		} else if (f != FRF_MASK || v > 1) {
			fr_fail();
		}
	} else {
		if (f == FRF_W) {
			if (!fr_valid(s, v))
				fr_fail();
			s->stored_w = true;
			s->store_w = v;
		} else if (f == FRF_PEND) {
			s->pend_stores++;
			s->pend_val = v;
		} else {
			fr_fail();
		}
	}
	*(uint32_t *)p = v;
}

void fr_shm_mb(void)
{
}

static void fr_call_start(struct fr_side *s)
{
	memset(s->loads, 0, sizeof(s->loads));
	s->have_w = s->have_r = s->stored_w = s->stored_r = false;
	s->pend_stores = 0;
}

/* No guest field read twice in one call (the double fetch of XSA-155). */
FZ_NOCOV static void fr_once(const struct fr_side *s)
{
	for (int f = 0; f < FRF_NFIELDS; f++)
		if (s->loads[f] > 1)
			fr_fail();
}

/* @len (<= size) bytes of the data area from @off, wrapping. */
FZ_NOCOV static void fr_ring_bytes(const struct fr_side *s, uint32_t off,
				    void *dst, uint32_t len)
{
	uint32_t first = s->size - off < len ? s->size - off : len;

	memcpy(dst, s->data + off, first);
	memcpy((uint8_t *)dst + first, s->data, len - first);
}

static void fr_bytes_used(void)
{
	if ((fr.in.ok && khcl_ring_bytes_used(&fr.in.r) >= fr.in.size) ||
	    (fr.out.ok && khcl_ring_bytes_used(&fr.out.r) >= fr.out.size))
		fr_fail();
}

/* khcl_ring_read against what the guest published. */
static enum khcl_ring_err fr_read(uint32_t buflen)
{
	struct fr_side *s = &fr.in;
	uint8_t *buf = malloc(buflen ? buflen : 1);
	uint32_t old = s->r.priv, got = 0;
	enum khcl_ring_err e;

	if (!buf)
		return KHCL_RING_EMPTY;
	memcpy(fr.snap, s->data, s->size);
	fr_call_start(s);
	e = khcl_ring_read(&s->r, buf, buflen, &got);
	fr_once(s);
	if (s->loads[FRF_W] != 1 || s->loads[FRF_R] || s->stored_r ||
	    memcmp(fr.snap, s->data, s->size))
		fr_fail();
	if (e == KHCL_RING_OK) {
		struct khcl_vmpkt_desc d;
		uint8_t *want = malloc(got);

		if (got < sizeof(d) || got > buflen || got % 8 || !s->have_w ||
		    (uint64_t)got + KHCL_VMPKT_TRAILER >
		    fr_used(s->last_w, old, s->size) ||
		    s->r.priv != (old + got + KHCL_VMPKT_TRAILER) % s->size)
			fr_fail();
		memcpy(&d, buf, sizeof(d));
		if ((uint32_t)d.len8 * 8 != got || d.offset8 * 8u < sizeof(d) ||
		    d.offset8 * 8u > got)
			fr_fail();
		if (want) {
			fr_ring_bytes(s, old, want, got);
			if (memcmp(want, buf, got))
				fr_fail();
			free(want);
		}
	} else if (s->r.priv != old) {
		fr_fail();
	}
	free(buf);
	return e;
}

static void fr_commit(void)
{
	fr_call_start(&fr.in);
	khcl_ring_read_commit(&fr.in.r);
	fr_once(&fr.in);
	if (fr.in.r.committed != fr.in.r.priv)
		fr_fail();
}

static bool fr_unmask(void)
{
	bool more;

	fr_call_start(&fr.in);
	more = khcl_ring_unmask(&fr.in.r);
	fr_once(&fr.in);
	return more;
}

/*
 * chan_work() in chan.c: drain within a budget, commit, unmask, look
 * again. Without the guest moving its index it ends within budget + 2
 * rounds; each flip of the guest may buy one more.
 */
static void fr_drain(uint32_t budget)
{
	uint32_t rounds = 0, flips = fr.flips_used, start = budget;
	enum khcl_ring_err e;

	khcl_ring_mask(&fr.in.r);
	for (;;) {
		if (++rounds > start + 2 + (fr.flips_used - flips))
			fr_fail();
		while (budget) {
			e = fr_read(fr.in.size);
			if (e == KHCL_RING_EMPTY)
				break;
			if (e != KHCL_RING_OK)
				return;		/* the channel fails */
			budget--;
		}
		fr_commit();
		if (!budget || !fr_unmask())
			return;
		khcl_ring_mask(&fr.in.r);
	}
}

FZ_NOCOV static void fr_fill(uint8_t *p, uint32_t n, uint8_t seed)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = seed + i * 7;
}

/* khcl_ring_write_ext: exactly its packet at the old index, nothing more. */
static void fr_write(uint32_t len, uint32_t extlen)
{
	struct fr_side *s = &fr.out;
	uint8_t *pay = malloc(len ? len : 1), *ext = malloc(extlen ? extlen : 1);
	uint32_t old = s->r.priv, padded = (len + 7) & ~7u, total, end;
	struct khcl_vmpkt_desc d;
	enum khcl_ring_err e;
	uint64_t trailer;
	uint8_t *want;
	bool sig;

	if (!pay || !ext)
		goto out;
	fr_fill(pay, len, 1);
	fr_fill(ext, extlen, 0x5a);
	memcpy(fr.snap, s->data, s->size);
	fr_call_start(s);
	if (extlen)
		e = khcl_ring_write_ext(&s->r, 6, 1, ++fr.trans_id, ext,
					extlen, pay, len, &sig);
	else
		e = khcl_ring_write(&s->r, 6, 1, ++fr.trans_id, pay, len,
				    &sig);
	total = sizeof(d) + extlen + padded + KHCL_VMPKT_TRAILER;
	if (e != KHCL_RING_OK) {
		if (s->r.priv != old || s->stored_w ||
		    memcmp(fr.snap, s->data, s->size) ||
		    (s->pend_stores && s->pend_val != total))
			fr_fail();
		goto out;
	}
	/* room by the last read index the core saw before publishing */
	if (!s->have_r || !s->stored_w || s->store_w != s->r.priv ||
	    s->r.priv != (old + total) % s->size ||
	    s->size - fr_used(old, s->last_r, s->size) <= total ||
	    (s->pend_stores && s->pend_val && s->pend_val != total))
		fr_fail();
	want = malloc(total);
	if (!want)
		goto out;
	memset(&d, 0, sizeof(d));
	d.type = 6;
	d.flags = 1;
	d.trans_id = fr.trans_id;
	d.offset8 = (sizeof(d) + extlen) / 8;
	d.len8 = (sizeof(d) + extlen + padded) / 8;
	memset(want, 0, total);
	memcpy(want, &d, sizeof(d));
	memcpy(want + sizeof(d), ext, extlen);
	memcpy(want + sizeof(d) + extlen, pay, len);
	trailer = (uint64_t)old << 32;
	memcpy(want + total - sizeof(trailer), &trailer, sizeof(trailer));
	/* the packet at old, wrapping; every other byte as it was */
	end = (old + total) % s->size;
	if (old + total <= s->size ?
	    memcmp(fr.snap, s->data, old) ||
	    memcmp(fr.snap + old + total, s->data + old + total,
		   s->size - old - total) :
	    memcmp(fr.snap + end, s->data + end, old - end))
		fr_fail();
	fr_ring_bytes(s, old, fr.snap, total);
	if (memcmp(fr.snap, want, total))
		fr_fail();
	free(want);
out:
	free(pay);
	free(ext);
}

/*
 * A batch: puts move only our private index, and touch nothing of the
 * guest's but the data between the published and the private index;
 * the publish moves write_index once, to the end of the batch.
 */
static void fr_batch(uint32_t n, uint32_t len)
{
	struct fr_side *s = &fr.out;
	uint32_t old = s->r.priv, i, l, put = 0, end;
	uint8_t pay[1024 + 64];
	enum khcl_ring_err e;
	bool sig;

	if (s->r.committed != old)
		fr_fail();
	memcpy(fr.snap, s->data, s->size);
	fr_call_start(s);
	for (i = 0; i <= n % 8; i++) {
		l = len % 1024 + 8 * i;
		fr_fill(pay, l, (uint8_t)i);
		e = khcl_ring_put(&s->r, 6, 0, ++fr.trans_id, NULL, 0, pay, l);
		if (e != KHCL_RING_OK)
			break;
		put += khcl_ring_pkt_size(0, l);
	}
	if (s->stored_w || s->pend_stores || s->r.committed != old ||
	    s->r.priv != (old + put) % s->size || put >= s->size)
		fr_fail();
	/* nothing outside the batch moved */
	end = s->r.priv;
	if (!put && memcmp(fr.snap, s->data, s->size))
		fr_fail();
	for (i = end; i != old; i = (i + 1) % s->size)
		if (s->data[i] != fr.snap[i])
			fr_fail();
	sig = khcl_ring_publish(&s->r);
	if (!put ? s->stored_w || sig :
	    !s->stored_w || s->store_w != end || s->r.committed != end)
		fr_fail();
}

/* The guest, as hv_ringbuffer_write does it (or not, @bad). */
FZ_NOCOV static void fr_guest_put(uint32_t len, uint8_t bad)
{
	struct fr_side *s = &fr.in;
	uint32_t w = s->hdr->write_index, rd = s->hdr->read_index, total, i;
	struct khcl_vmpkt_desc d = {
		.type = 6, .offset8 = 2, .flags = 1, .trans_id = ++fr.trans_id,
	};
	uint64_t trailer = (uint64_t)w << 32;

	len %= s->size;
	total = sizeof(d) + ((len + 7) & ~7u) + KHCL_VMPKT_TRAILER;
	if (!fr_valid(s, w))
		return;
	if (fr_valid(s, rd) && s->size - fr_used(w, rd, s->size) <= total) {
		s->hdr->pending_send_sz = total;	/* full: tell me */
		return;
	}
	if (!fr_valid(s, rd) && total >= s->size)
		return;
	d.len8 = (total - KHCL_VMPKT_TRAILER) / 8;
	if (bad & 1)
		d.len8 = bad;
	if (bad & 2)
		d.offset8 = bad >> 2;
	for (i = 0; i < total; i++) {
		uint8_t b = i * 3;

		if (i < sizeof(d))
			b = ((uint8_t *)&d)[i];
		else if (i >= total - sizeof(trailer))
			b = ((uint8_t *)&trailer)[i - (total - sizeof(trailer))];
		s->data[(w + i) % s->size] = b;
	}
	if (bad & 0x80)
		w += 8 * (bad & 0x78);
	else
		w += total;
	s->hdr->write_index = w % s->size;
}

/* The guest reads what the core wrote; it must all be well formed. */
FZ_NOCOV static void fr_guest_get(void)
{
	struct fr_side *s = &fr.out;
	uint32_t rd = s->hdr->read_index, w = s->hdr->write_index;

	if (!fr_valid(s, rd) || !fr_valid(s, w))
		return;
	for (int n = 0; n < 64 && rd != w; n++) {
		struct khcl_vmpkt_desc d;
		uint32_t len;
		uint64_t tr;

		if (!s->sane)
			break;
		fr_ring_bytes(s, rd, &d, sizeof(d));
		len = d.len8 * 8u;
		if (len < sizeof(d) || d.offset8 * 8u < sizeof(d) ||
		    d.offset8 * 8u > len ||
		    (uint64_t)len + KHCL_VMPKT_TRAILER > fr_used(w, rd, s->size))
			fr_fail();
		fr_ring_bytes(s, (rd + len) % s->size, &tr, sizeof(tr));
		if (tr != (uint64_t)rd << 32)
			fr_fail();
		rd = (rd + len + KHCL_VMPKT_TRAILER) % s->size;
	}
	s->hdr->read_index = s->sane ? rd : w;
}

static void fr_poke(uint8_t which, uint32_t val)
{
	struct fr_side *s = which & 8 ? &fr.out : &fr.in;
	int f = which & 7;

	if (f >= FRF_NFIELDS)
		return;
	if (which & 0x10)
		val = val % (s->size / 8) * 8;
	*fr_field(s, f) = val;
	if (f == FRF_W || f == FRF_R)
		s->sane = false;
}

FZ_NOCOV static void fr_scribble(uint8_t op, uint32_t off, uint32_t len, uint8_t b)
{
	struct fr_side *s = op & 0x80 ? &fr.out : &fr.in;

	for (uint32_t i = 0; i < len; i++)
		s->data[(off + i) % s->size] = b + i;
	if (s == &fr.out)
		s->sane = false;
}

static bool fr_side_init(struct fr_side *s, uint32_t size, uint32_t own,
			 uint32_t guest, bool out)
{
	memset(s, 0, sizeof(*s));
	s->size = size;
	s->hdr = calloc(1, KHCL_RING_HDR_SIZE);
	s->data = calloc(1, size);
	if (!s->hdr || !s->data)
		return false;
	s->hdr->feature_bits = KHCL_RING_FEAT_PENDING_SEND_SZ;
	s->hdr->write_index = out ? own : guest;
	s->hdr->read_index = out ? guest : own;
	s->sane = own == guest;
	s->ok = !khcl_ring_init(&s->r, s->hdr, s->data, size, out);
	return true;
}

static void fr_run(struct fz_in *in)
{
	uint8_t op, a;
	uint32_t v;

	while (fz_more(in)) {
		op = fz_u8(in);
		switch (op % FR_NOPS) {
		case FR_READ:
			v = fz_u16(in);
			if (fr.in.ok) {
				fr_read(v);
				fr_commit();
			}
			break;
		case FR_DRAIN:
			v = fz_u8(in);
			if (fr.in.ok)
				fr_drain(v ? v : 1);
			break;
		case FR_WRITE:
			v = fz_u16(in);
			a = fz_u8(in);
			if (fr.out.ok)
				fr_write(v, a);
			break;
		case FR_GUEST_PUT:
			v = fz_u16(in);
			fr_guest_put(v, fz_u8(in));
			break;
		case FR_GUEST_GET:
			fr_guest_get();
			break;
		case FR_POKE:
			a = fz_u8(in);
			fr_poke(a, fz_u32(in));
			break;
		case FR_SCRIBBLE:
			v = fz_u16(in);
			a = fz_u8(in);
			fr_scribble(op, v, a, fz_u8(in));
			break;
		case FR_BATCH:
			a = fz_u8(in);
			v = fz_u16(in);
			if (fr.out.ok)
				fr_batch(a, v);
			break;
		case FR_MASK:
			if (fr.in.ok) {
				khcl_ring_mask(&fr.in.r);
				fr_unmask();
			}
			break;
		}
		fr_bytes_used();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct fz_in in = { d, n, 0 };
	uint8_t mode = fz_u8(&in), nflip = fz_u8(&in);
	uint32_t in_size = KHCL_HV_PAGE_SIZE + 64 * fz_u8(&in);
	uint32_t out_size = KHCL_HV_PAGE_SIZE + 64 * fz_u8(&in);
	uint32_t idx[4];
	struct khcl_ring bad;
	size_t flipbytes = 0;

	for (int i = 0; i < 4; i++) {
		idx[i] = fz_u16(&in);
		if (!(mode & 2))	/* mostly valid: aligned, in range */
			idx[i] = idx[i] * 8 % (i < 2 ? in_size : out_size);
	}
	memset(&fr, 0, sizeof(fr) - sizeof(fr.snap));
	if (mode & 1) {			/* flip mode: the tail is the flips */
		flipbytes = (size_t)nflip * 4;
		if (flipbytes > n - in.pos)
			flipbytes = n - in.pos;
		fr.flips = d + n - flipbytes;
		fr.nflips = flipbytes;
		in.n -= flipbytes;
	}
	if (!fr_side_init(&fr.in, in_size, idx[0], idx[1], false) ||
	    !fr_side_init(&fr.out, out_size, idx[2], idx[3], true))
		goto out;
	/* what init refuses */
	if (!khcl_ring_init(&bad, NULL, fr.in.data, in_size, false) ||
	    !khcl_ring_init(&bad, fr.in.hdr, fr.in.data, 4000, false) ||
	    !khcl_ring_init(&bad, fr.in.hdr, fr.in.data, in_size + 4, false) ||
	    !khcl_ring_init(&bad, fr.in.hdr, fr.in.data,
			    KHCL_RING_MAX_DATA + 8, false))
		fr_fail();
	fr_run(&in);
out:
	free(fr.in.hdr);
	free(fr.in.data);
	free(fr.out.hdr);
	free(fr.out.data);
	return 0;
}
