// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of vmbus_relay/ring.c, the server side of a VMBus ring. A minimal
 * guest side written here from hv_ring_buffer semantics plays the client.
 * Runs as KUnit and, through kunit/userspace/kunit_shim.h, in user space.
 */
#ifdef __KERNEL__
#include <kunit/test.h>
#include <linux/ktime.h>
#define ring_now_ns() ktime_get_ns()
#else
#include "userspace/kunit_shim.h"
#include <time.h>
static u64 ring_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}
#endif
#include "../vmbus_relay/ring.h"

#define RT_DATA		(4 * 4096)

struct rt_ring {
	struct khcl_ring_hdr hdr;
	u8 pad[4096 - sizeof(struct khcl_ring_hdr)];
	u8 data[RT_DATA];
};

static struct rt_ring rt_in, rt_out;	/* guest->host, host->guest */
static u8 rt_buf[RT_DATA];

static void rt_reset(struct kunit *test, struct khcl_ring *in,
		     struct khcl_ring *out)
{
	memset(&rt_in, 0, sizeof(rt_in));
	memset(&rt_out, 0, sizeof(rt_out));
	rt_in.hdr.feature_bits = KHCL_RING_FEAT_PENDING_SEND_SZ;
	rt_out.hdr.feature_bits = KHCL_RING_FEAT_PENDING_SEND_SZ;
	KUNIT_ASSERT_EQ(test, khcl_ring_init(in, &rt_in.hdr, rt_in.data,
					     RT_DATA, false), 0);
	KUNIT_ASSERT_EQ(test, khcl_ring_init(out, &rt_out.hdr, rt_out.data,
					     RT_DATA, true), 0);
}

/* The guest writing one inband packet of @len payload bytes. */
static int guest_write(struct rt_ring *g, u64 id, const u8 *p, u32 len)
{
	u32 w = g->hdr.write_index, r = g->hdr.read_index, i;
	u32 padded = (len + 7) & ~7u, total = 16 + padded + 8;
	u32 used = w >= r ? w - r : RT_DATA - r + w;
	struct khcl_vmpkt_desc d = {
		.type = KHCL_VMPKT_DATA_INBAND, .offset8 = 2,
		.len8 = (16 + padded) / 8,
		.flags = KHCL_VMPKT_FLAG_COMPLETION_REQUESTED, .trans_id = id,
	};
	static u8 pkt[16 + KHCL_HV_PAGE_SIZE + 8];	/* not on the stack */
	u64 trailer = (u64)w << 32;

	memset(pkt, 0, sizeof(pkt));

	if (RT_DATA - used <= total)
		return -1;
	memcpy(pkt, &d, 16);
	memcpy(pkt + 16, p, len);
	memcpy(pkt + 16 + padded, &trailer, 8);
	for (i = 0; i < total; i++)
		g->data[(w + i) % RT_DATA] = pkt[i];
	g->hdr.write_index = (w + total) % RT_DATA;
	return 0;
}

/* The guest reading one packet from the host->guest ring. */
static int guest_read(struct rt_ring *g, struct khcl_vmpkt_desc *d, u8 *p)
{
	u32 r = g->hdr.read_index, w = g->hdr.write_index, i, len;
	static u8 pkt[16 + KHCL_HV_PAGE_SIZE + 8];	/* not on the stack */

	if (r == w)
		return -1;
	for (i = 0; i < 16; i++)
		pkt[i] = g->data[(r + i) % RT_DATA];
	memcpy(d, pkt, 16);
	len = d->len8 * 8u;
	for (i = 16; i < len; i++)
		p[i - 16] = g->data[(r + i) % RT_DATA];
	g->hdr.read_index = (r + len + 8) % RT_DATA;
	return (int)(len - 16);
}

static void fill(u8 *p, u32 len, u32 seed)
{
	u32 i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(seed * 131 + i * 7 + (i >> 8));
}

static void ring_init_checks(struct kunit *test)
{
	struct khcl_ring r;

	memset(&rt_in, 0, sizeof(rt_in));
	KUNIT_EXPECT_EQ(test, khcl_ring_init(&r, &rt_in.hdr, rt_in.data, 100,
					     false), -EINVAL);
	KUNIT_EXPECT_EQ(test, khcl_ring_init(&r, &rt_in.hdr, rt_in.data,
					     RT_DATA + 4, false), -EINVAL);
	rt_in.hdr.read_index = RT_DATA;
	KUNIT_EXPECT_EQ(test, khcl_ring_init(&r, &rt_in.hdr, rt_in.data,
					     RT_DATA, false), -EPROTO);
	rt_in.hdr.read_index = 12;
	KUNIT_EXPECT_EQ(test, khcl_ring_init(&r, &rt_in.hdr, rt_in.data,
					     RT_DATA, false), -EPROTO);
}

/* Both directions, mixed sizes, many times around the ring. */
static void ring_roundtrip_wrap(struct kunit *test)
{
	static u8 p[KHCL_HV_PAGE_SIZE], q[KHCL_HV_PAGE_SIZE];
	struct khcl_ring in, out;
	struct khcl_vmpkt_desc d;
	u32 i, len, got;
	bool sig;

	rt_reset(test, &in, &out);
	for (i = 0; i < 2000; i++) {
		len = 1 + (i * 977) % 3000;
		fill(p, len, i);
		KUNIT_ASSERT_EQ(test, guest_write(&rt_in, i, p, len), 0);
		KUNIT_ASSERT_EQ(test, khcl_ring_read(&in, rt_buf, sizeof(rt_buf),
						     &got), KHCL_RING_OK);
		KUNIT_ASSERT_EQ(test, got, 16 + ((len + 7) & ~7u));
		memcpy(&d, rt_buf, 16);
		KUNIT_ASSERT_EQ(test, d.trans_id, (u64)i);
		KUNIT_ASSERT_EQ(test, memcmp(rt_buf + 16, p, len), 0);
		khcl_ring_read_commit(&in);
		KUNIT_ASSERT_EQ(test, rt_in.hdr.read_index,
				rt_in.hdr.write_index);

		KUNIT_ASSERT_EQ(test, khcl_ring_write(&out, KHCL_VMPKT_COMP, 0,
						      i, p, len, &sig),
				KHCL_RING_OK);
		KUNIT_ASSERT_EQ(test, guest_read(&rt_out, &d, q),
				(int)((len + 7) & ~7u));
		KUNIT_ASSERT_EQ(test, d.type, KHCL_VMPKT_COMP);
		KUNIT_ASSERT_EQ(test, d.trans_id, (u64)i);
		KUNIT_ASSERT_EQ(test, memcmp(q, p, len), 0);
	}
	KUNIT_EXPECT_EQ(test, khcl_ring_read(&in, rt_buf, sizeof(rt_buf), &got),
			KHCL_RING_EMPTY);
}

/* Extra descriptor bytes (a transfer-page header) before the payload. */
static void ring_write_ext(struct kunit *test)
{
	static const u8 ext[16] = { 0xfe, 0xca, 0, 0, 1, 0, 0, 0, 8, 0, 0, 0 };
	u8 p[40], q[64];
	struct khcl_ring in, out;
	struct khcl_vmpkt_desc d;
	bool sig;
	u32 i;

	rt_reset(test, &in, &out);
	fill(p, sizeof(p), 3);
	for (i = 0; i < 1000; i++) {	/* wraps several times */
		KUNIT_ASSERT_EQ(test, khcl_ring_write_ext(&out,
				KHCL_VMPKT_DATA_USING_XFER_PAGES, 1, i, ext,
				sizeof(ext), p, 37, &sig), KHCL_RING_OK);
		KUNIT_ASSERT_EQ(test, guest_read(&rt_out, &d, q), 16 + 40);
		KUNIT_ASSERT_EQ(test, d.offset8, 4);
		KUNIT_ASSERT_EQ(test, d.len8, 9);
		KUNIT_ASSERT_EQ(test, d.trans_id, (u64)i);
		KUNIT_ASSERT_EQ(test, memcmp(q, ext, sizeof(ext)), 0);
		KUNIT_ASSERT_EQ(test, memcmp(q + 16, p, 37), 0);
		KUNIT_ASSERT_EQ(test, q[16 + 37], 0);	/* zero padding */
	}
	/* a header that is not whole 8-byte words, one larger than a ring */
	KUNIT_EXPECT_EQ(test, khcl_ring_write_ext(&out, 7, 0, 1, ext, 12, p, 8,
						  &sig), KHCL_RING_TOO_BIG);
	KUNIT_EXPECT_EQ(test, khcl_ring_write_ext(&out, 7, 0, 1, rt_buf,
						  RT_DATA, p, 8, &sig),
			KHCL_RING_TOO_BIG);
}

static void ring_bad_indices(struct kunit *test)
{
	struct khcl_ring in, out;
	u32 got;
	bool sig;
	u8 p[8] = { 0 };

	rt_reset(test, &in, &out);
	rt_in.hdr.write_index = RT_DATA;
	KUNIT_EXPECT_EQ(test, khcl_ring_read(&in, rt_buf, sizeof(rt_buf), &got),
			KHCL_RING_BAD_INDEX);
	rt_in.hdr.write_index = 0xfffffff8;
	KUNIT_EXPECT_EQ(test, khcl_ring_read(&in, rt_buf, sizeof(rt_buf), &got),
			KHCL_RING_BAD_INDEX);
	rt_in.hdr.write_index = 20;
	KUNIT_EXPECT_EQ(test, khcl_ring_read(&in, rt_buf, sizeof(rt_buf), &got),
			KHCL_RING_BAD_INDEX);
	rt_out.hdr.read_index = RT_DATA + 8;
	KUNIT_EXPECT_EQ(test, khcl_ring_write(&out, KHCL_VMPKT_COMP, 0, 1, p, 8,
					      &sig), KHCL_RING_BAD_INDEX);
	KUNIT_EXPECT_EQ(test, rt_out.hdr.write_index, 0U);
}

static void ring_bad_lengths(struct kunit *test)
{
	struct khcl_ring in, out;
	struct khcl_vmpkt_desc *d = (void *)rt_in.data;
	u8 p[64] = { 0 };
	u32 got;

	rt_reset(test, &in, &out);
	KUNIT_ASSERT_EQ(test, guest_write(&rt_in, 1, p, 64), 0);
	d->len8 = 0;
	KUNIT_EXPECT_EQ(test, khcl_ring_read(&in, rt_buf, sizeof(rt_buf), &got),
			KHCL_RING_BAD_LEN);
	d->len8 = 200;		/* beyond what the writer published */
	KUNIT_EXPECT_EQ(test, khcl_ring_read(&in, rt_buf, sizeof(rt_buf), &got),
			KHCL_RING_BAD_LEN);
	d->len8 = 10;
	d->offset8 = 11;	/* data offset past the end */
	KUNIT_EXPECT_EQ(test, khcl_ring_read(&in, rt_buf, sizeof(rt_buf), &got),
			KHCL_RING_BAD_LEN);
	d->offset8 = 1;		/* inside the descriptor */
	KUNIT_EXPECT_EQ(test, khcl_ring_read(&in, rt_buf, sizeof(rt_buf), &got),
			KHCL_RING_BAD_LEN);
	d->offset8 = 2;
	KUNIT_EXPECT_EQ(test, khcl_ring_read(&in, rt_buf, 32, &got),
			KHCL_RING_TOO_BIG);
	/* a failed read consumed nothing */
	KUNIT_EXPECT_EQ(test, khcl_ring_read(&in, rt_buf, sizeof(rt_buf), &got),
			KHCL_RING_OK);
	KUNIT_EXPECT_EQ(test, got, 80U);
	/* fewer bytes published than a descriptor and trailer */
	rt_reset(test, &in, &out);
	rt_in.hdr.write_index = 16;
	KUNIT_EXPECT_EQ(test, khcl_ring_read(&in, rt_buf, sizeof(rt_buf), &got),
			KHCL_RING_BAD_LEN);
}

/* The copy handed out does not change when the guest rewrites the ring. */
static void ring_single_fetch(struct kunit *test)
{
	struct khcl_ring in, out;
	u8 p[64];
	u32 got, i;

	rt_reset(test, &in, &out);
	fill(p, 64, 5);
	KUNIT_ASSERT_EQ(test, guest_write(&rt_in, 9, p, 64), 0);
	KUNIT_ASSERT_EQ(test, khcl_ring_read(&in, rt_buf, sizeof(rt_buf), &got),
			KHCL_RING_OK);
	for (i = 0; i < 80; i++)
		rt_in.data[i] ^= 0xff;
	KUNIT_EXPECT_EQ(test, memcmp(rt_buf + 16, p, 64), 0);
	KUNIT_EXPECT_EQ(test, ((struct khcl_vmpkt_desc *)rt_buf)->len8, 10);
}

static void ring_full_and_pending(struct kunit *test)
{
	static u8 p[3000], q[KHCL_HV_PAGE_SIZE];
	struct khcl_ring in, out;
	struct khcl_vmpkt_desc d;
	bool sig;
	int n = 0;

	rt_reset(test, &in, &out);
	while (khcl_ring_write(&out, KHCL_VMPKT_COMP, 0, n, p, sizeof(p),
			       &sig) == KHCL_RING_OK)
		n++;
	KUNIT_EXPECT_EQ(test, n, 5);	/* 5 x 3024 fit 16 KiB, 6 do not */
	KUNIT_EXPECT_EQ(test, rt_out.hdr.pending_send_sz, 3024U);
	KUNIT_EXPECT_EQ(test, khcl_ring_bytes_used(&out), 5 * 3024U);
	KUNIT_ASSERT_EQ(test, guest_read(&rt_out, &d, q), 3000);
	KUNIT_EXPECT_EQ(test, khcl_ring_write(&out, KHCL_VMPKT_COMP, 0, 9, p,
					      sizeof(p), &sig), KHCL_RING_OK);
	KUNIT_EXPECT_EQ(test, rt_out.hdr.pending_send_sz, 0U);

	/*
	 * The guest waits for 6000 bytes on its full ring (1264 free): no
	 * signal at 4288 free, one at 7312, none after.
	 */
	rt_reset(test, &in, &out);
	for (n = 0; n < 5; n++)
		KUNIT_ASSERT_EQ(test, guest_write(&rt_in, n, p, 3000), 0);
	rt_in.hdr.pending_send_sz = 6000;
	KUNIT_ASSERT_EQ(test, khcl_ring_read(&in, rt_buf, sizeof(rt_buf),
					     (u32 *)&n), KHCL_RING_OK);
	KUNIT_EXPECT_FALSE(test, khcl_ring_read_commit(&in));
	KUNIT_ASSERT_EQ(test, khcl_ring_read(&in, rt_buf, sizeof(rt_buf),
					     (u32 *)&n), KHCL_RING_OK);
	KUNIT_EXPECT_TRUE(test, khcl_ring_read_commit(&in));
	KUNIT_ASSERT_EQ(test, khcl_ring_read(&in, rt_buf, sizeof(rt_buf),
					     (u32 *)&n), KHCL_RING_OK);
	KUNIT_EXPECT_FALSE(test, khcl_ring_read_commit(&in));
}

static void ring_signalling(struct kunit *test)
{
	struct khcl_ring in, out;
	struct khcl_vmpkt_desc d;
	u8 p[8] = { 1 }, q[64];
	bool sig;

	rt_reset(test, &in, &out);
	KUNIT_ASSERT_EQ(test, khcl_ring_write(&out, KHCL_VMPKT_COMP, 0, 1, p, 8,
					      &sig), KHCL_RING_OK);
	KUNIT_EXPECT_TRUE(test, sig);		/* empty -> not empty */
	KUNIT_ASSERT_EQ(test, khcl_ring_write(&out, KHCL_VMPKT_COMP, 0, 2, p, 8,
					      &sig), KHCL_RING_OK);
	KUNIT_EXPECT_FALSE(test, sig);		/* reader not caught up */
	guest_read(&rt_out, &d, q);
	guest_read(&rt_out, &d, q);
	rt_out.hdr.interrupt_mask = 1;		/* reader busy: no kick */
	KUNIT_ASSERT_EQ(test, khcl_ring_write(&out, KHCL_VMPKT_COMP, 0, 3, p, 8,
					      &sig), KHCL_RING_OK);
	KUNIT_EXPECT_FALSE(test, sig);

	khcl_ring_mask(&in);
	KUNIT_EXPECT_EQ(test, rt_in.hdr.interrupt_mask, 1U);
	KUNIT_EXPECT_FALSE(test, khcl_ring_unmask(&in));
	KUNIT_ASSERT_EQ(test, guest_write(&rt_in, 1, p, 8), 0);
	khcl_ring_mask(&in);
	KUNIT_EXPECT_TRUE(test, khcl_ring_unmask(&in));	/* raced: drain */
	KUNIT_EXPECT_EQ(test, rt_in.hdr.interrupt_mask, 0U);
}

/*
 * A batch: the guest sees nothing until the publish, then all of it, with
 * one signal; a batch that runs out of room publishes, then asks for
 * room (pending_send_sz), in that order.
 */
static void ring_batch(struct kunit *test)
{
	static u8 p[3000], q[KHCL_HV_PAGE_SIZE];
	struct khcl_ring in, out;
	struct khcl_vmpkt_desc d;
	u32 i, n = 0;

	rt_reset(test, &in, &out);
	for (i = 0; i < 3; i++) {
		fill(p, 100, i);
		KUNIT_ASSERT_EQ(test, khcl_ring_put(&out, KHCL_VMPKT_COMP, 0,
						    i, NULL, 0, p, 100),
				KHCL_RING_OK);
	}
	KUNIT_EXPECT_EQ(test, rt_out.hdr.write_index, 0U);
	KUNIT_EXPECT_EQ(test, guest_read(&rt_out, &d, q), -1);
	KUNIT_EXPECT_TRUE(test, khcl_ring_publish(&out));	/* one signal */
	KUNIT_EXPECT_EQ(test, rt_out.hdr.write_index, 3 * 128U);
	KUNIT_EXPECT_FALSE(test, khcl_ring_publish(&out));	/* nothing new */
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_EQ(test, guest_read(&rt_out, &d, q), 104);
		KUNIT_EXPECT_EQ(test, d.trans_id, (u64)i);
		fill(p, 100, i);
		KUNIT_EXPECT_EQ(test, memcmp(q, p, 100), 0);
	}

	/* 5 x 3024 fit the 16 KiB ring: the sixth is full, unpublished */
	rt_reset(test, &in, &out);
	while (khcl_ring_put(&out, KHCL_VMPKT_COMP, 0, n, NULL, 0, p,
			     sizeof(p)) == KHCL_RING_OK)
		n++;
	KUNIT_EXPECT_EQ(test, n, 5U);
	KUNIT_EXPECT_EQ(test, rt_out.hdr.write_index, 0U);
	KUNIT_EXPECT_EQ(test, rt_out.hdr.pending_send_sz, 0U);
	KUNIT_EXPECT_TRUE(test, khcl_ring_publish(&out));
	KUNIT_EXPECT_FALSE(test, khcl_ring_want_space(&out, 3024));
	KUNIT_EXPECT_EQ(test, rt_out.hdr.pending_send_sz, 3024U);
	KUNIT_ASSERT_EQ(test, guest_read(&rt_out, &d, q), 3000);
	KUNIT_EXPECT_TRUE(test, khcl_ring_want_space(&out, 3024));
	KUNIT_EXPECT_EQ(test, khcl_ring_put(&out, KHCL_VMPKT_COMP, 0, 9, NULL,
					    0, p, sizeof(p)), KHCL_RING_OK);
	/* the reader had not caught up: no signal; the request is void */
	KUNIT_EXPECT_FALSE(test, khcl_ring_publish(&out));
	KUNIT_EXPECT_EQ(test, rt_out.hdr.pending_send_sz, 0U);
	/* a reader claiming to have read the unpublished batch lies */
	rt_reset(test, &in, &out);
	KUNIT_ASSERT_EQ(test, khcl_ring_put(&out, KHCL_VMPKT_COMP, 0, 1, NULL,
					    0, p, 8), KHCL_RING_OK);
	rt_out.hdr.read_index = 32;
	KUNIT_EXPECT_EQ(test, khcl_ring_put(&out, KHCL_VMPKT_COMP, 0, 2, NULL,
					    0, p, 8), KHCL_RING_BAD_INDEX);
}

/* Loopback microbench: packets/s through both rings; reported, not judged. */
static void ring_microbench(struct kunit *test)
{
	static u8 p[256];
	struct khcl_ring in, out;
	struct khcl_vmpkt_desc d;
	u32 i, n = 200000, got;
	u64 t0, ns;
	bool sig;

	rt_reset(test, &in, &out);
	t0 = ring_now_ns();
	for (i = 0; i < n; i++) {
		guest_write(&rt_in, i, p, 64 + (i & 127));
		if (khcl_ring_read(&in, rt_buf, sizeof(rt_buf), &got))
			break;
		khcl_ring_read_commit(&in);
		if (khcl_ring_write(&out, KHCL_VMPKT_COMP, 0, i, rt_buf + 16,
				    got - 16, &sig))
			break;
		guest_read(&rt_out, &d, rt_buf);
	}
	ns = ring_now_ns() - t0;
	KUNIT_EXPECT_EQ(test, i, n);
	if (!ns)
		ns = 1;
	kunit_info(test, "ring loopback: %u round trips (64-191 B) in %llu us, %llu packets/s each way\n",
		   n, (unsigned long long)(ns / 1000),
		   (unsigned long long)((u64)n * 1000000000ull / ns));
}

static struct kunit_case ring_cases[] = {
	KUNIT_CASE(ring_init_checks),
	KUNIT_CASE(ring_roundtrip_wrap),
	KUNIT_CASE(ring_write_ext),
	KUNIT_CASE(ring_bad_indices),
	KUNIT_CASE(ring_bad_lengths),
	KUNIT_CASE(ring_single_fetch),
	KUNIT_CASE(ring_full_and_pending),
	KUNIT_CASE(ring_signalling),
	KUNIT_CASE(ring_batch),
	KUNIT_CASE(ring_microbench),
	{}
};

static struct kunit_suite khcl_ring_suite = {
	.name = "khcl_ring",
	.test_cases = ring_cases,
};
kunit_test_suite(khcl_ring_suite);

MODULE_DESCRIPTION("KUnit tests for the khcl VMBus ring core");
MODULE_LICENSE("GPL");
