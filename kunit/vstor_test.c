// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of nvme_xlat/vstor.c (VSTOR protocol core) and nvme_xlat/scsi.c
 * (SCSI target core), driven the way Linux's storvsc drives them and the
 * way a hostile guest would: packets out of order, truncated, with
 * host-only operations, absurd SRB fields and GPA ranges whose PFN list
 * does not match (HOSTILE.md: every length and offset checked,
 * overflow-safe; zeroed replies). Runs as KUnit and in user space.
 */
#ifdef __KERNEL__
#include <kunit/test.h>
#else
#include "userspace/kunit_shim.h"
#endif
#include "../nvme_xlat/vstor.h"
#include "../nvme_xlat/scsi.h"

static const struct khcl_vstor_limits vt_lim = {
	.max_subchannels = 8, .max_transfer_bytes = 512 * 1024,
};

struct vt_pkt {
	struct khcl_vmpkt_desc d;
	u8 body[4096];
	u32 len;
};

/* An inband packet as storvsc's vmbus_sendpacket() puts it on the ring. */
static void vt_inband(struct vt_pkt *p, const struct khcl_vstor_packet *vp,
		      u32 vplen, u64 trans_id)
{
	memset(p, 0, sizeof(*p));
	p->d.type = KHCL_VMPKT_DATA_INBAND;
	p->d.offset8 = sizeof(p->d) >> 3;
	p->d.flags = KHCL_VMPKT_FLAG_COMPLETION_REQUESTED;
	p->d.trans_id = trans_id;
	memcpy(p->body, vp, vplen);
	p->len = sizeof(p->d) + vplen;
	p->d.len8 = (p->len + 7) >> 3;
}

/* A GPA-direct SRB: one range of @npfns PFNs from @pfn0, then the SRB. */
static void vt_gpa(struct vt_pkt *p, const struct khcl_vstor_packet *vp,
		   u32 off, u32 len, u32 npfns, u64 pfn0)
{
	struct khcl_vmpkt_gpa_range rg = { 0, 1, len, off };
	u32 i, desc = sizeof(p->d) + sizeof(rg) + npfns * 8;

	memset(p, 0, sizeof(*p));
	p->d.type = KHCL_VMPKT_DATA_USING_GPA_DIRECT;
	p->d.offset8 = desc >> 3;
	p->d.flags = KHCL_VMPKT_FLAG_COMPLETION_REQUESTED;
	p->d.trans_id = 77;
	memcpy(p->body, &rg, sizeof(rg));
	for (i = 0; i < npfns; i++) {
		u64 pfn = pfn0 + i;

		memcpy(p->body + sizeof(rg) + i * 8, &pfn, 8);
	}
	memcpy(p->body + desc - sizeof(p->d), vp, sizeof(*vp));
	p->len = desc + sizeof(*vp);
	p->d.len8 = (p->len + 7) >> 3;
}

static int vt_rx(struct khcl_vstor_chan *c, struct vt_pkt *p,
		 struct khcl_vstor_req *r)
{
	return khcl_vstor_parse(c, &p->d, p, p->len, r);
}

/* One control operation, start to answer; returns the verdict. */
static int vt_op(struct kunit *test, struct khcl_vstor_chan *c, u32 op,
		 u16 arg, struct khcl_vstor_packet *reply)
{
	struct khcl_vstor_packet vp;
	struct khcl_vstor_req r;
	static struct vt_pkt p;	/* 4 KiB: not on the stack */

	memset(&vp, 0, sizeof(vp));
	vp.operation = op;
	vp.flags = KHCL_VSTOR_FLAG_REQUEST_COMPLETION;
	if (op == KHCL_VSTOR_QUERY_PROTOCOL_VERSION)
		vp.version.major_minor = arg;
	else
		vp.sub_channel_count = arg;
	vt_inband(&p, &vp, sizeof(vp), 0xffffffffffffffffull);
	KUNIT_EXPECT_EQ(test, vt_rx(c, &p, &r), 0);
	return khcl_vstor_control(c, &r, reply);
}

static void vt_ready(struct kunit *test, struct khcl_vstor_chan *c)
{
	struct khcl_vstor_packet rp;

	khcl_vstor_chan_init(c, &vt_lim, false);
	vt_op(test, c, KHCL_VSTOR_BEGIN_INITIALIZATION, 0, &rp);
	vt_op(test, c, KHCL_VSTOR_QUERY_PROTOCOL_VERSION, KHCL_VSTOR_WIN10,
	      &rp);
	vt_op(test, c, KHCL_VSTOR_QUERY_PROPERTIES, 0, &rp);
	vt_op(test, c, KHCL_VSTOR_END_INITIALIZATION, 0, &rp);
	KUNIT_ASSERT_EQ(test, c->state, KHCL_VSTOR_READY);
}

static void vstor_handshake(struct kunit *test)
{
	struct khcl_vstor_packet rp;
	struct khcl_vstor_chan c;

	khcl_vstor_chan_init(&c, &vt_lim, false);
	KUNIT_EXPECT_EQ(test, vt_op(test, &c, KHCL_VSTOR_BEGIN_INITIALIZATION,
				    0, &rp), KHCL_VSTOR_REPLY);
	KUNIT_EXPECT_EQ(test, rp.operation, KHCL_VSTOR_COMPLETE_IO);
	KUNIT_EXPECT_EQ(test, rp.status, 0U);
	/* too old (WIN7 4.2) and unknown: refused, the client falls back */
	vt_op(test, &c, KHCL_VSTOR_QUERY_PROTOCOL_VERSION,
	      KHCL_VSTOR_VERSION(4, 2), &rp);
	KUNIT_EXPECT_EQ(test, rp.status, KHCL_VSTOR_STATUS_REVISION);
	vt_op(test, &c, KHCL_VSTOR_QUERY_PROTOCOL_VERSION,
	      KHCL_VSTOR_VERSION(7, 0), &rp);
	KUNIT_EXPECT_NE(test, rp.status, 0U);
	/* properties need a version first */
	vt_op(test, &c, KHCL_VSTOR_QUERY_PROPERTIES, 0, &rp);
	KUNIT_EXPECT_NE(test, rp.status, 0U);
	vt_op(test, &c, KHCL_VSTOR_QUERY_PROTOCOL_VERSION, KHCL_VSTOR_WIN10,
	      &rp);
	KUNIT_EXPECT_EQ(test, rp.status, 0U);
	KUNIT_EXPECT_EQ(test, c.version, KHCL_VSTOR_WIN10);
	vt_op(test, &c, KHCL_VSTOR_QUERY_PROPERTIES, 0, &rp);
	KUNIT_EXPECT_EQ(test, rp.status, 0U);
	KUNIT_EXPECT_EQ(test, rp.props.max_channel_cnt, 8);
	KUNIT_EXPECT_EQ(test, rp.props.flags, KHCL_VSTOR_MULTI_CHANNEL);
	KUNIT_EXPECT_EQ(test, rp.props.max_transfer_bytes, 512U * 1024);
	KUNIT_EXPECT_EQ(test, rp.props.reserved2, 0ull);
	vt_op(test, &c, KHCL_VSTOR_END_INITIALIZATION, 0, &rp);
	KUNIT_EXPECT_EQ(test, rp.status, 0U);
	KUNIT_EXPECT_EQ(test, c.state, KHCL_VSTOR_READY);
	/* sub-channels: once, within the limit */
	KUNIT_EXPECT_EQ(test, vt_op(test, &c, KHCL_VSTOR_CREATE_SUB_CHANNELS,
				    9, &rp), KHCL_VSTOR_REPLY);
	KUNIT_EXPECT_NE(test, rp.status, 0U);
	KUNIT_EXPECT_EQ(test, vt_op(test, &c, KHCL_VSTOR_CREATE_SUB_CHANNELS,
				    3, &rp), KHCL_VSTOR_DO_SUBCHANNELS);
	KUNIT_EXPECT_EQ(test, vt_op(test, &c, KHCL_VSTOR_CREATE_SUB_CHANNELS,
				    3, &rp), KHCL_VSTOR_REPLY);
	KUNIT_EXPECT_NE(test, rp.status, 0U);
	/* no multi-channel announced when none is offered */
	{
		static const struct khcl_vstor_limits one = {
			.max_subchannels = 0, .max_transfer_bytes = 4096,
		};

		khcl_vstor_chan_init(&c, &one, false);
		vt_op(test, &c, KHCL_VSTOR_BEGIN_INITIALIZATION, 0, &rp);
		vt_op(test, &c, KHCL_VSTOR_QUERY_PROTOCOL_VERSION,
		      KHCL_VSTOR_WIN8, &rp);
		vt_op(test, &c, KHCL_VSTOR_QUERY_PROPERTIES, 0, &rp);
		KUNIT_EXPECT_EQ(test, rp.props.flags, 0U);
		KUNIT_EXPECT_EQ(test, rp.props.max_channel_cnt, 0);
	}
}

static void vt_srb(struct khcl_vstor_packet *vp, u8 op0, u32 xfer, u8 dir)
{
	memset(vp, 0, sizeof(*vp));
	vp->operation = KHCL_VSTOR_EXECUTE_SRB;
	vp->flags = KHCL_VSTOR_FLAG_REQUEST_COMPLETION;
	vp->srb.length = sizeof(vp->srb);
	vp->srb.cdb_length = 6;
	vp->srb.cdb[0] = op0;
	vp->srb.sense_info_length = KHCL_VSTOR_SENSE_MAX;
	vp->srb.data_in = dir;
	vp->srb.data_transfer_length = xfer;
}

static void vstor_order(struct kunit *test)
{
	struct khcl_vstor_packet rp, vp;
	struct khcl_vstor_chan c;
	struct khcl_vstor_req r;
	static struct vt_pkt p;	/* 4 KiB: not on the stack */

	khcl_vstor_chan_init(&c, &vt_lim, false);
	/* an SRB before the handshake */
	vt_srb(&vp, 0x00, 0, 2);
	vt_inband(&p, &vp, sizeof(vp), 5);
	KUNIT_EXPECT_EQ(test, vt_rx(&c, &p, &r), 0);
	KUNIT_EXPECT_EQ(test, khcl_vstor_control(&c, &r, &rp),
			KHCL_VSTOR_REPLY);
	KUNIT_EXPECT_NE(test, rp.status, 0U);
	KUNIT_EXPECT_EQ(test, c.errors[KHCL_VSTOR_ERR_STATE], 1ull);
	/* END before BEGIN, BEGIN twice */
	vt_op(test, &c, KHCL_VSTOR_END_INITIALIZATION, 0, &rp);
	KUNIT_EXPECT_NE(test, rp.status, 0U);
	vt_op(test, &c, KHCL_VSTOR_BEGIN_INITIALIZATION, 0, &rp);
	KUNIT_EXPECT_EQ(test, rp.status, 0U);
	vt_op(test, &c, KHCL_VSTOR_BEGIN_INITIALIZATION, 0, &rp);
	KUNIT_EXPECT_NE(test, rp.status, 0U);
	/* not a FC adapter */
	vt_op(test, &c, KHCL_VSTOR_FCHBA_DATA, 0, &rp);
	KUNIT_EXPECT_NE(test, rp.status, 0U);

	/* a sub-channel: SRBs and resets only */
	khcl_vstor_chan_init(&c, &vt_lim, true);
	vt_op(test, &c, KHCL_VSTOR_BEGIN_INITIALIZATION, 0, &rp);
	KUNIT_EXPECT_NE(test, rp.status, 0U);
	KUNIT_EXPECT_EQ(test, vt_op(test, &c, KHCL_VSTOR_CREATE_SUB_CHANNELS,
				    1, &rp), KHCL_VSTOR_REPLY);
	KUNIT_EXPECT_NE(test, rp.status, 0U);
	KUNIT_EXPECT_EQ(test, vt_rx(&c, &p, &r), 0);
	KUNIT_EXPECT_EQ(test, khcl_vstor_control(&c, &r, &rp),
			KHCL_VSTOR_DO_SRB);
	KUNIT_EXPECT_EQ(test, vt_op(test, &c, KHCL_VSTOR_RESET_BUS, 0, &rp),
			KHCL_VSTOR_DO_RESET);
	KUNIT_EXPECT_EQ(test, rp.status, 0U);
}

static void vstor_malformed(struct kunit *test)
{
	struct khcl_vstor_packet vp;
	struct khcl_vstor_chan c;
	struct khcl_vstor_req r;
	static struct vt_pkt p;	/* 4 KiB: not on the stack */
	u32 op;

	vt_ready(test, &c);
	/* truncated: nothing, the operation only, one byte short */
	vt_srb(&vp, 0x00, 0, 2);
	vt_inband(&p, &vp, sizeof(vp), 9);
	p.len = sizeof(p.d);
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	p.len = sizeof(p.d) + 4;
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	KUNIT_EXPECT_EQ(test, r.op, (u32)KHCL_VSTOR_EXECUTE_SRB);
	KUNIT_EXPECT_EQ(test, r.trans_id, 9ull);
	p.len = sizeof(p.d) + sizeof(vp) - 1;
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	KUNIT_EXPECT_EQ(test, c.errors[KHCL_VSTOR_ERR_SHORT], 3ull);
	/* data offset beyond the packet */
	vt_inband(&p, &vp, sizeof(vp), 9);
	p.d.offset8 = 0xffff;
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	/* host-to-guest and unknown operations */
	for (op = 0; op < 300; op += op < 20 ? 1 : 97) {
		if (op == KHCL_VSTOR_EXECUTE_SRB ||
		    (op >= KHCL_VSTOR_RESET_LUN &&
		     op <= KHCL_VSTOR_QUERY_PROPERTIES) ||
		    op == KHCL_VSTOR_FCHBA_DATA ||
		    op == KHCL_VSTOR_CREATE_SUB_CHANNELS)
			continue;
		vp.operation = op;
		vt_inband(&p, &vp, sizeof(vp), 9);
		KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	}
	/* a transfer-page packet, a GPA-direct non-SRB */
	vt_srb(&vp, 0x00, 0, 2);
	vt_inband(&p, &vp, sizeof(vp), 9);
	p.d.type = KHCL_VMPKT_DATA_USING_XFER_PAGES;
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	vp.operation = KHCL_VSTOR_QUERY_PROPERTIES;
	vt_gpa(&p, &vp, 0, 4096, 1, 0x100);
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	KUNIT_EXPECT_EQ(test, c.errors[KHCL_VSTOR_ERR_PKT_TYPE], 2ull);
	/* SRB fields: CDB length 0 and 17, sense 21, direction 3, data
	 * without a buffer
	 */
	vt_srb(&vp, 0x00, 0, 2);
	vp.srb.cdb_length = 0;
	vt_inband(&p, &vp, sizeof(vp), 9);
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	vp.srb.cdb_length = 17;
	vt_inband(&p, &vp, sizeof(vp), 9);
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	vt_srb(&vp, 0x00, 0, 2);
	vp.srb.sense_info_length = 21;
	vt_inband(&p, &vp, sizeof(vp), 9);
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	vt_srb(&vp, 0x00, 0, 3);
	vt_inband(&p, &vp, sizeof(vp), 9);
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	vt_srb(&vp, 0x28, 4096, 1);
	vt_inband(&p, &vp, sizeof(vp), 9);
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	KUNIT_EXPECT_EQ(test, c.errors[KHCL_VSTOR_ERR_SRB], 5ull);
}

static void vstor_ranges(struct kunit *test)
{
	struct khcl_vstor_packet vp;
	struct khcl_vstor_chan c;
	struct khcl_vstor_req r;
	static struct vt_pkt p;	/* 4 KiB: not on the stack */

	vt_ready(test, &c);
	/* good: 8 KiB at offset 512 spans three pages */
	vt_srb(&vp, 0x28, 8192, 1);
	vt_gpa(&p, &vp, 512, 8192, 3, 0x1000);
	KUNIT_ASSERT_EQ(test, vt_rx(&c, &p, &r), 0);
	KUNIT_EXPECT_EQ(test, r.data_len, 8192U);
	KUNIT_EXPECT_EQ(test, r.buf.offset, 512U);
	KUNIT_EXPECT_EQ(test, r.buf.npfns, 3U);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_pfn(r.buf.pfns, 0), 0x1000ull);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_pfn(r.buf.pfns, 2), 0x1002ull);
	/* a PFN missing, one too many */
	vt_gpa(&p, &vp, 512, 8192, 2, 0x1000);
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	vt_gpa(&p, &vp, 512, 8192, 4, 0x1000);
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	/* offset past the page, empty range, two ranges */
	vt_gpa(&p, &vp, 4096, 4096, 2, 0x1000);
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	vt_gpa(&p, &vp, 0, 0, 0, 0x1000);
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	vt_gpa(&p, &vp, 0, 4096, 1, 0x1000);
	p.body[4] = 2;				/* rangecount */
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	/* offset + len wraps 32 bits: the PFN count is computed in 64 */
	vt_srb(&vp, 0x28, 0, 1);
	vt_gpa(&p, &vp, 4095, 0xffffffffu, 1, 0x1000);
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	KUNIT_EXPECT_EQ(test, c.errors[KHCL_VSTOR_ERR_RANGE], 6ull);
	/* more than announced; more asked than the buffer holds */
	vt_srb(&vp, 0x28, 4096, 1);
	vt_gpa(&p, &vp, 0, 1024 * 1024, 256, 0x1000);
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	KUNIT_EXPECT_EQ(test, c.errors[KHCL_VSTOR_ERR_LIMIT], 1ull);
	vt_srb(&vp, 0x28, 8192, 1);
	vt_gpa(&p, &vp, 0, 4096, 1, 0x1000);
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
	/* data, but no direction */
	vt_srb(&vp, 0x28, 4096, 2);
	vt_gpa(&p, &vp, 0, 4096, 1, 0x1000);
	KUNIT_EXPECT_NE(test, vt_rx(&c, &p, &r), 0);
}

static void vstor_replies(struct kunit *test)
{
	static const u8 sense[18] = { 0x70, 0, 5, 0, 0, 0, 0, 10,
				      0, 0, 0, 0, 0x25 };
	struct khcl_vstor_packet vp, rp;
	struct khcl_vstor_chan c;
	struct khcl_vstor_req r;
	static struct vt_pkt p;	/* 4 KiB: not on the stack */

	vt_ready(test, &c);
	vt_srb(&vp, 0x12, 36, 1);
	vp.srb.sense_info_length = 14;
	vp.srb.cdb[4] = 36;
	vt_gpa(&p, &vp, 0, 36, 1, 0x1000);
	KUNIT_ASSERT_EQ(test, vt_rx(&c, &p, &r), 0);
	KUNIT_ASSERT_EQ(test, khcl_vstor_control(&c, &r, &rp),
			KHCL_VSTOR_DO_SRB);
	/* sense cut to what the guest has room for, flagged valid */
	khcl_vstor_srb_reply(&r, KHCL_SRB_ERROR, 2, sense, sizeof(sense), 0,
			     &rp);
	KUNIT_EXPECT_EQ(test, rp.operation, KHCL_VSTOR_COMPLETE_IO);
	KUNIT_EXPECT_EQ(test, rp.status, 0U);
	KUNIT_EXPECT_EQ(test, rp.srb.srb_status,
			KHCL_SRB_ERROR | KHCL_SRB_AUTOSENSE_VALID);
	KUNIT_EXPECT_EQ(test, rp.srb.scsi_status, 2);
	KUNIT_EXPECT_EQ(test, rp.srb.sense_info_length, 14);
	KUNIT_EXPECT_EQ(test, rp.srb.sense_data[12], 0x25);
	KUNIT_EXPECT_EQ(test, rp.srb.sense_data[14], 0);
	KUNIT_EXPECT_EQ(test, rp.srb.data_transfer_length, 0U);
	/* never more moved than the buffer holds */
	khcl_vstor_srb_reply(&r, KHCL_SRB_SUCCESS, 0, NULL, 0, 4096, &rp);
	KUNIT_EXPECT_EQ(test, rp.srb.data_transfer_length, 36U);
	KUNIT_EXPECT_EQ(test, rp.srb.srb_status, KHCL_SRB_SUCCESS);
	KUNIT_EXPECT_EQ(test, rp.srb.sense_info_length, 0);
	/*
	 * in two steps (the I/O ends after the request is gone): prepared,
	 * then the outcome once; the guest's sense room still bounds it
	 */
	khcl_vstor_srb_prepare(&r, &rp);
	KUNIT_EXPECT_EQ(test, rp.srb.sense_info_length, 14);
	khcl_vstor_srb_outcome(&rp, KHCL_SRB_ERROR, 2, sense, sizeof(sense),
			       0);
	KUNIT_EXPECT_EQ(test, rp.srb.srb_status,
			KHCL_SRB_ERROR | KHCL_SRB_AUTOSENSE_VALID);
	KUNIT_EXPECT_EQ(test, rp.srb.sense_info_length, 14);
	KUNIT_EXPECT_EQ(test, rp.srb.sense_data[12], 0x25);
	KUNIT_EXPECT_EQ(test, rp.srb.data_transfer_length, 0U);
	khcl_vstor_srb_prepare(&r, &rp);
	khcl_vstor_srb_outcome(&rp, KHCL_SRB_SUCCESS, 0, NULL, 0, 4096);
	KUNIT_EXPECT_EQ(test, rp.srb.data_transfer_length, 36U);
	KUNIT_EXPECT_EQ(test, rp.srb.sense_info_length, 0);
	/* a refused SRB */
	khcl_vstor_fail_reply(&r, &rp);
	KUNIT_EXPECT_NE(test, rp.status, 0U);
	KUNIT_EXPECT_EQ(test, rp.srb.srb_status, KHCL_SRB_INVALID_REQUEST);
	KUNIT_EXPECT_EQ(test, rp.srb.cdb_length, 0);	/* all else zero */
}

static void scsi_empty_target(struct kunit *test)
{
	u8 inq[6] = { 0x12, 0, 0, 0, 36, 0 };
	u8 rl[12] = { 0xa0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0 };
	u8 rs[6] = { 0x03, 0, 0, 0, 18, 0 };
	u8 tur[6] = { 0 };
	struct khcl_scsi_result res;
	u8 data[64];

	memset(data, 0xee, sizeof(data));
	khcl_scsi_no_lun(inq, 6, 0, 36, data, sizeof(data), &res);
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_SUCCESS);
	KUNIT_EXPECT_EQ(test, res.data_len, 36U);
	KUNIT_EXPECT_EQ(test, data[0], 0x7f);	/* no device here */
	KUNIT_EXPECT_EQ(test, data[4], 31);
	KUNIT_EXPECT_EQ(test, data[36], 0xee);
	/* the shorter of allocation length and buffer wins */
	khcl_scsi_no_lun(inq, 6, 0, 5, data, sizeof(data), &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 5U);
	inq[4] = 4;
	khcl_scsi_no_lun(inq, 6, 0, 36, data, sizeof(data), &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 4U);
	khcl_scsi_no_lun(inq, 6, 0, 36, data, 2, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 2U);
	/* EVPD: check condition, invalid field */
	inq[1] = 1;
	khcl_scsi_no_lun(inq, 6, 0, 36, data, sizeof(data), &res);
	KUNIT_EXPECT_EQ(test, res.scsi_status, 2);
	KUNIT_EXPECT_EQ(test, res.sense[2], 5);
	KUNIT_EXPECT_EQ(test, res.sense[12], 0x24);
	KUNIT_EXPECT_EQ(test, res.data_len, 0U);
	/* REPORT LUNS: an empty list */
	memset(data, 0xee, sizeof(data));
	khcl_scsi_no_lun(rl, 12, 0, 16, data, sizeof(data), &res);
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_SUCCESS);
	KUNIT_EXPECT_EQ(test, res.data_len, 8U);
	KUNIT_EXPECT_EQ(test, data[3], 0);
	KUNIT_EXPECT_EQ(test, data[8], 0xee);
	khcl_scsi_no_lun(rl, 6, 0, 16, data, sizeof(data), &res);
	KUNIT_EXPECT_EQ(test, res.scsi_status, 2);
	/* REQUEST SENSE: logical unit not supported */
	khcl_scsi_no_lun(rs, 6, 0, 18, data, sizeof(data), &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 18U);
	KUNIT_EXPECT_EQ(test, data[12], 0x25);
	/* anything else, and a CDB too short to read */
	khcl_scsi_no_lun(tur, 6, 0, 0, data, sizeof(data), &res);
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_INVALID_LUN);
	khcl_scsi_no_lun(inq, 1, 0, 36, data, sizeof(data), &res);
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_INVALID_LUN);
}

/*
 * ---- Conformance with Linux 6.12's storvsc (drivers/scsi/storvsc_drv.c) ----
 *
 * Every packet below is built the way storvsc builds it, field by field,
 * zeros included, with the length it posts. 6.12 has no
 * vmscsi_size_delta any more (WIN7 and older are gone from its version
 * list): every packet, init or SRB, is the whole 64-byte struct
 * vstor_packet, the WIN8 SRB extension always present.
 */

/* protocol_version[]: storvsc_channel_init() tries them in this order */
static const u16 sc_versions[] = {
	KHCL_VSTOR_WIN10, KHCL_VSTOR_WIN8_1, KHCL_VSTOR_WIN8,
};

#define SC_PKT_LEN		64	/* sizeof(struct vstor_packet) */
/* STORVSC_MAX_PKT_SIZE: all storvsc reads of one host packet */
#define SC_MAX_PKT		(16 + SC_PKT_LEN)
#define SC_RQST_INIT		(~0ull - 2)	/* VMBUS_RQST_INIT */
#define SC_RQST_RESET		(~0ull - 3)	/* VMBUS_RQST_RESET */
#define SC_SENSE_LEN		20	/* STORVSC_SENSE_BUFFER_SIZE */
#define SC_HOST_NO		2	/* host->host_no: port_number */
#define SC_SRB_LEN		0x34	/* sizeof(struct vmscsi_request) */
/* srb_flags storvsc_queuecommand() sets */
#define SC_SRB_QUEUE_ACTION	0x002	/* SRB_FLAGS_QUEUE_ACTION_ENABLE */
#define SC_SRB_NO_SYNCH		0x008	/* SRB_FLAGS_DISABLE_SYNCH_TRANSFER */
#define SC_SRB_NO_FREEZE	0x100	/* SRB_FLAGS_NO_QUEUE_FREEZE */
#define SC_DATA_OUT		0	/* WRITE_TYPE */
#define SC_DATA_IN		1	/* READ_TYPE */
#define SC_DATA_NONE		2	/* UNKNOWN_TYPE */

/*
 * A packet as storvsc posts it; room for the largest SRB it sends
 * (sg_tablesize PFNs: 512 KiB / 4 KiB + 1).
 */
struct sc_pkt {
	struct khcl_vmpkt_desc d;
	u8 body[16 + 129 * 8 + SC_PKT_LEN];
	u32 len;
};

/*
 * vmbus_sendpacket(): inband, the 64-byte vstor_packet after the 16-byte
 * descriptor, completion requested (storvsc always asks for one).
 */
static void sc_inband(struct sc_pkt *p, const struct khcl_vstor_packet *vp,
		      u64 trans_id)
{
	memset(p, 0, sizeof(*p));
	p->d.type = KHCL_VMPKT_DATA_INBAND;
	p->d.offset8 = 16 >> 3;
	p->d.len8 = (16 + SC_PKT_LEN) >> 3;
	p->d.flags = KHCL_VMPKT_FLAG_COMPLETION_REQUESTED;
	p->d.trans_id = trans_id;
	memcpy(p->body, vp, SC_PKT_LEN);
	p->len = 16 + SC_PKT_LEN;
}

static int sc_rx(struct khcl_vstor_chan *c, struct sc_pkt *p,
		 struct khcl_vstor_req *r)
{
	return khcl_vstor_parse(c, &p->d, p, p->len, r);
}

/*
 * What storvsc_on_channel_callback() lets through to storvsc: a payload
 * of at least sizeof(struct vstor_packet) (its transaction ids are never
 * 0), no more than it reads of a packet (max_pkt_size), and for every
 * request of its own a COMPLETE_IO (storvsc_channel_init() and
 * storvsc_on_receive() test the operation).
 */
static void sc_reply_ok(struct kunit *test, const struct khcl_vstor_packet *rp)
{
	KUNIT_EXPECT_EQ(test, sizeof(*rp), (size_t)SC_PKT_LEN);
	KUNIT_EXPECT_LE(test, sizeof(struct khcl_vmpkt_desc) + sizeof(*rp),
			(size_t)SC_MAX_PKT);
	KUNIT_EXPECT_EQ(test, rp->operation, (u32)KHCL_VSTOR_COMPLETE_IO);
}

/*
 * storvsc_execute_vstor_op(): the packet storvsc_channel_init() or
 * handle_multichannel_storage() prepared (memset, operation, payload),
 * flags = REQUEST_COMPLETION_FLAG, posted by vmbus_sendpacket() inband,
 * sizeof(struct vstor_packet) bytes, trans_id VMBUS_RQST_INIT, completion
 * requested. Returns khcl's verdict, *r and *rp what it decoded and said.
 */
static int sc_init_op(struct kunit *test, struct khcl_vstor_chan *c,
		      struct khcl_vstor_packet *vp, struct khcl_vstor_req *r,
		      struct khcl_vstor_packet *rp)
{
	struct sc_pkt p;

	vp->flags = KHCL_VSTOR_FLAG_REQUEST_COMPLETION;
	sc_inband(&p, vp, SC_RQST_INIT);
	KUNIT_ASSERT_EQ(test, sc_rx(c, &p, r), 0);
	KUNIT_EXPECT_EQ(test, r->trans_id, SC_RQST_INIT);
	return khcl_vstor_control(c, r, rp);
}

/* An init step storvsc checks with status_check: COMPLETE_IO, status 0. */
static void sc_init_step(struct kunit *test, struct khcl_vstor_chan *c,
			 struct khcl_vstor_packet *vp,
			 struct khcl_vstor_packet *rp)
{
	struct khcl_vstor_req r;

	KUNIT_EXPECT_EQ(test, sc_init_op(test, c, vp, &r, rp),
			KHCL_VSTOR_REPLY);
	sc_reply_ok(test, rp);
	KUNIT_EXPECT_EQ(test, rp->status, 0U);
}

/*
 * storvsc_connect_to_vsp() -> storvsc_channel_init() on the primary
 * channel of a SCSI controller (not FC: no FCHBA_DATA), on a guest with
 * @ncpus online CPUs. The version loop is entered at
 * protocol_version[@first]: 0 is what storvsc does; a later entry is
 * where it would be after a host refused the ones before. khcl's answers
 * drive the loop: storvsc goes on while the status is not 0 and gives up
 * on anything but COMPLETE_IO. Returns the version agreed (0: none,
 * "Obsolete Hyper-V version"); *tries the QUERY_PROTOCOL_VERSIONs sent.
 */
static u16 sc_channel_init(struct kunit *test, struct khcl_vstor_chan *c,
			   u32 first, u32 ncpus, u32 *tries)
{
	struct khcl_vstor_packet vp, rp;
	struct khcl_vstor_req r;
	u32 i, max_chns, num_sc, max_xfer;
	u16 agreed = 0;
	bool multi;

	/* memset(request), BEGIN_INITIALIZATION */
	memset(&vp, 0, sizeof(vp));
	vp.operation = KHCL_VSTOR_BEGIN_INITIALIZATION;
	sc_init_step(test, c, &vp, &rp);

	/* QUERY_PROTOCOL_VERSION: major_minor, revision 0 (Windows only) */
	*tries = 0;
	for (i = first; i < ARRAY_SIZE(sc_versions); i++) {
		memset(&vp, 0, sizeof(vp));
		vp.operation = KHCL_VSTOR_QUERY_PROTOCOL_VERSION;
		vp.version.major_minor = sc_versions[i];
		vp.version.revision = 0;
		(*tries)++;
		KUNIT_EXPECT_EQ(test, sc_init_op(test, c, &vp, &r, &rp),
				KHCL_VSTOR_REPLY);
		KUNIT_EXPECT_EQ(test, r.version, sc_versions[i]);
		sc_reply_ok(test, &rp);
		if (rp.operation != KHCL_VSTOR_COMPLETE_IO)
			return 0;		/* -EINVAL */
		if (rp.status == 0) {
			agreed = sc_versions[i];
			break;
		}
	}
	if (!agreed)
		return 0;

	/* QUERY_PROPERTIES: max_channel_cnt, flags, max_transfer_bytes */
	memset(&vp, 0, sizeof(vp));
	vp.operation = KHCL_VSTOR_QUERY_PROPERTIES;
	sc_init_step(test, c, &vp, &rp);
	max_chns = rp.props.max_channel_cnt;
	multi = rp.props.flags & KHCL_VSTOR_MULTI_CHANNEL;
	max_xfer = rp.props.max_transfer_bytes;
	/* storvsc_probe(): max_sectors from it, rounded down to pages */
	KUNIT_EXPECT_NE(test, (max_xfer & ~(KHCL_HV_PAGE_SIZE - 1)) >> 9, 0U);
	KUNIT_EXPECT_EQ(test, max_xfer, c->lim->max_transfer_bytes);

	memset(&vp, 0, sizeof(vp));
	vp.operation = KHCL_VSTOR_END_INITIALIZATION;
	sc_init_step(test, c, &vp, &rp);
	KUNIT_EXPECT_EQ(test, c->state, KHCL_VSTOR_READY);
	if (!multi)
		return agreed;

	/*
	 * handle_multichannel_storage(): min(online CPUs - 1, max_chns)
	 * sub-channels, nothing asked for when that is 0. khcl's verdict
	 * says "offer them"; its caller (storvsp.c) sets the status.
	 */
	num_sc = ncpus - 1 < max_chns ? ncpus - 1 : max_chns;
	if (!num_sc)
		return agreed;
	memset(&vp, 0, sizeof(vp));
	vp.operation = KHCL_VSTOR_CREATE_SUB_CHANNELS;
	vp.sub_channel_count = num_sc;
	KUNIT_EXPECT_EQ(test, sc_init_op(test, c, &vp, &r, &rp),
			KHCL_VSTOR_DO_SUBCHANNELS);
	KUNIT_EXPECT_EQ(test, r.sub_channel_count, num_sc);
	sc_reply_ok(test, &rp);
	return agreed;
}

/*
 * storvsc_queuecommand(): memset(vstor_packet), time_out_value 60,
 * DISABLE_SYNCH_TRANSFER, the queue tag fields when the device is tagged,
 * the direction, port/path/target/lun, the CDB; then storvsc_do_io():
 * REQUEST_COMPLETION_FLAG, length = sizeof(struct vmscsi_request),
 * sense_info_length 20, data_transfer_length = the buffer's length,
 * EXECUTE_SRB.
 */
static void sc_srb(struct khcl_vstor_packet *vp, const u8 *cdb, u8 cdb_len,
		   u8 dir, bool tagged, u8 lun, u32 len)
{
	struct khcl_vmscsi_request *s = &vp->srb;

	memset(vp, 0, sizeof(*vp));
	s->time_out_value = 60;
	s->srb_flags |= SC_SRB_NO_SYNCH;
	if (tagged) {
		s->srb_flags |= SC_SRB_QUEUE_ACTION | SC_SRB_NO_FREEZE;
		s->queue_tag = 0xff;		/* SP_UNTAGGED */
		s->queue_action = 0x20;		/* SRB_SIMPLE_TAG_REQUEST */
	}
	s->data_in = dir;
	if (dir == SC_DATA_OUT)
		s->srb_flags |= KHCL_SRB_FLAGS_DATA_OUT;
	else if (dir == SC_DATA_IN)
		s->srb_flags |= KHCL_SRB_FLAGS_DATA_IN;
	s->port_number = SC_HOST_NO;
	s->path_id = 0;
	s->target_id = 0;
	s->lun = lun;
	s->cdb_length = cdb_len;
	memcpy(s->cdb, cdb, cdb_len);

	vp->flags |= KHCL_VSTOR_FLAG_REQUEST_COMPLETION;
	s->length = SC_SRB_LEN;
	s->sense_info_length = SC_SENSE_LEN;
	s->data_transfer_length = len;
	vp->operation = KHCL_VSTOR_EXECUTE_SRB;
}

/*
 * storvsc_do_io() with a buffer: vmbus_sendpacket_mpb_desc() with the
 * payload storvsc_queuecommand() filled (rangecount 1, len, offset in the
 * first Hyper-V page, one PFN per page, payload_sz = 32 + 8 per PFN),
 * then the vstor_packet; type GPA_DIRECT, completion requested, reserved
 * 0. PFN i is pfns[i] for i < @nlist, then consecutive.
 */
static void sc_gpa(struct sc_pkt *p, const struct khcl_vstor_packet *vp,
		   u64 trans_id, u32 off, u32 len, const u64 *pfns, u32 nlist)
{
	struct khcl_vmpkt_gpa_range rg = {
		.reserved = 0, .rangecount = 1, .len = len, .offset = off,
	};
	u32 i, npfns = (off + len + KHCL_HV_PAGE_SIZE - 1) >> 12;
	u32 desc = 32 + npfns * 8;

	memset(p, 0, sizeof(*p));
	p->d.type = KHCL_VMPKT_DATA_USING_GPA_DIRECT;
	p->d.flags = KHCL_VMPKT_FLAG_COMPLETION_REQUESTED;
	p->d.offset8 = desc >> 3;
	p->d.len8 = (desc + SC_PKT_LEN + 7) >> 3;
	p->d.trans_id = trans_id;
	memcpy(p->body, &rg, sizeof(rg));
	for (i = 0; i < npfns; i++) {
		u64 pfn = i < nlist ? pfns[i] : pfns[nlist - 1] + i - nlist + 1;

		memcpy(p->body + sizeof(rg) + i * 8, &pfn, 8);
	}
	memcpy(p->body + desc - sizeof(p->d), vp, SC_PKT_LEN);
	p->len = desc + SC_PKT_LEN;
}

/* response data: more than any answer scsi.c builds (storvsp.c: 512) */
#define SC_DATA_MAX		64

/*
 * khcl's answer to an SRB, from the two cores as storvsp.c's
 * sv_execute_srb() puts them together, then what storvsc's
 * storvsc_on_io_completion() and storvsc_command_completion() read of
 * it: the operation, sense_info_length (at most 20), sense only with
 * CHECK CONDITION + AUTOSENSE_VALID, data_transfer_length within the
 * buffer.
 */
static void sc_answer(struct kunit *test, const struct khcl_vstor_req *r,
		      u8 *data, struct khcl_vstor_packet *rp)
{
	struct khcl_scsi_result res;
	u32 alloc = r->srb.data_in == SC_DATA_IN ? r->data_len : 0;

	memset(data, 0, SC_DATA_MAX);
	khcl_scsi_no_lun(r->srb.cdb, r->srb.cdb_length, 0, alloc, data,
			 SC_DATA_MAX, &res);
	khcl_vstor_srb_reply(r, res.srb_status, res.scsi_status, res.sense,
			     res.sense_len, res.data_len, rp);
	sc_reply_ok(test, rp);
	KUNIT_EXPECT_EQ(test, rp->status, 0U);
	KUNIT_EXPECT_LE(test, rp->srb.sense_info_length, SC_SENSE_LEN);
	if (rp->srb.scsi_status == 2)		/* SAM_STAT_CHECK_CONDITION */
		KUNIT_EXPECT_TRUE(test, rp->srb.srb_status &
					KHCL_SRB_AUTOSENSE_VALID);
	KUNIT_EXPECT_LE(test, rp->srb.data_transfer_length, r->data_len);
}

/* Post one SRB storvsc built; khcl must take it as it is and execute it. */
static void sc_do_srb(struct kunit *test, struct khcl_vstor_chan *c,
		      struct sc_pkt *p, struct khcl_vstor_req *r)
{
	struct khcl_vstor_packet rp;

	KUNIT_ASSERT_EQ(test, sc_rx(c, p, r), 0);
	KUNIT_EXPECT_EQ(test, r->op, (u32)KHCL_VSTOR_EXECUTE_SRB);
	KUNIT_EXPECT_TRUE(test, r->completion);
	KUNIT_EXPECT_EQ(test, khcl_vstor_control(c, r, &rp),
			KHCL_VSTOR_DO_SRB);
}

/*
 * The SCSI commands of a bus scan and of a disk read, as
 * storvsc_queuecommand()/storvsc_do_io() put them on channel @c; the
 * trans_ids are blk_mq_unique_tag() + 1 (storvsc_next_request_id()).
 */
static void sc_io(struct kunit *test, struct khcl_vstor_chan *c)
{
	/* scsi_probe_lun(): INQUIRY, 36 bytes, kmalloc'd 256-byte buffer */
	static const u8 inquiry[6] = { 0x12, 0, 0, 0, 36, 0 };
	/* scsi_report_lun_scan(): 512 LUNs of 8 bytes, page-aligned buffer */
	static const u8 report_luns[12] = { 0xa0, 0, 0, 0, 0, 0,
					    0x00, 0x00, 0x10, 0x00, 0, 0 };
	/* sd: READ(10) of LBA 0x800, 16 blocks of 512 bytes */
	static const u8 read10[10] = { 0x28, 0, 0, 0, 0x08, 0, 0,
				       0x00, 0x10, 0 };
	/* sd at max_sectors (the announced 512 KiB): 1024 blocks */
	static const u8 read10_max[10] = { 0x28, 0, 0, 0, 0x10, 0, 0,
					   0x04, 0x00, 0 };
	static const u8 tur[6] = { 0 };		/* TEST UNIT READY */
	static const u64 inq_pfn[1] = { 0x123456 };
	static const u64 rl_pfn[1] = { 0x7ff00 };
	static const u64 rd_pfns[2] = { 0x4a3c1, 0x51000 };
	static const u64 max_pfn[1] = { 0x60000 };
	struct khcl_vstor_packet vp, rp;
	u8 data[SC_DATA_MAX];
	struct khcl_vstor_req r;
	struct sc_pkt p;

	/* INQUIRY: untagged while scanning, DMA_FROM_DEVICE, 1 page */
	sc_srb(&vp, inquiry, 6, SC_DATA_IN, false, 0, 36);
	KUNIT_EXPECT_EQ(test, vp.srb.srb_flags, 0x48U);
	sc_gpa(&p, &vp, 1, 0x300, 36, inq_pfn, 1);
	KUNIT_EXPECT_EQ(test, p.len, 32U + 8 + SC_PKT_LEN);
	sc_do_srb(test, c, &p, &r);
	KUNIT_EXPECT_EQ(test, r.trans_id, 1ull);
	KUNIT_EXPECT_EQ(test, r.data_len, 36U);
	KUNIT_EXPECT_EQ(test, r.buf.offset, 0x300U);
	KUNIT_EXPECT_EQ(test, r.buf.npfns, 1U);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_pfn(r.buf.pfns, 0), 0x123456ull);
	sc_answer(test, &r, data, &rp);
	KUNIT_EXPECT_EQ(test, rp.srb.srb_status, KHCL_SRB_SUCCESS);
	KUNIT_EXPECT_EQ(test, rp.srb.scsi_status, 0);
	KUNIT_EXPECT_EQ(test, rp.srb.data_transfer_length, 36U);
	KUNIT_EXPECT_EQ(test, data[0], 0x7f);	/* no device at LUN 0 */
	/* scsi_scan_host() goes through channels 0-7, targets 0-1 */
	sc_srb(&vp, inquiry, 6, SC_DATA_IN, false, 0, 36);
	vp.srb.path_id = 7;
	vp.srb.target_id = 1;
	sc_gpa(&p, &vp, 1, 0x300, 36, inq_pfn, 1);
	sc_do_srb(test, c, &p, &r);
	sc_answer(test, &r, data, &rp);
	KUNIT_EXPECT_EQ(test, rp.srb.srb_status, KHCL_SRB_SUCCESS);
	KUNIT_EXPECT_EQ(test, rp.srb.path_id, 7);
	KUNIT_EXPECT_EQ(test, rp.srb.target_id, 1);

	/* REPORT LUNS: 12-byte CDB, 4096 bytes, an empty list back */
	sc_srb(&vp, report_luns, 12, SC_DATA_IN, false, 0, 4096);
	sc_gpa(&p, &vp, 2, 0, 4096, rl_pfn, 1);
	sc_do_srb(test, c, &p, &r);
	KUNIT_EXPECT_EQ(test, r.data_len, 4096U);
	KUNIT_EXPECT_EQ(test, r.buf.npfns, 1U);
	sc_answer(test, &r, data, &rp);
	KUNIT_EXPECT_EQ(test, rp.srb.srb_status, KHCL_SRB_SUCCESS);
	KUNIT_EXPECT_EQ(test, rp.srb.data_transfer_length, 8U);

	/* TEST UNIT READY: DMA_NONE, no payload: vmbus_sendpacket() inband */
	sc_srb(&vp, tur, 6, SC_DATA_NONE, false, 0, 0);
	KUNIT_EXPECT_EQ(test, vp.srb.srb_flags, (u32)SC_SRB_NO_SYNCH);
	sc_inband(&p, &vp, 3);
	KUNIT_EXPECT_EQ(test, p.len, 16U + SC_PKT_LEN);
	sc_do_srb(test, c, &p, &r);
	KUNIT_EXPECT_EQ(test, r.data_len, 0U);
	sc_answer(test, &r, data, &rp);
	/* storvsc_handle_error(): INVALID_LUN is DID_NO_CONNECT, no LUN */
	KUNIT_EXPECT_EQ(test, rp.srb.srb_status, KHCL_SRB_INVALID_LUN);

	/*
	 * READ(10), tagged, 8 KiB at 0x200 into the first page: three PFNs,
	 * the last two from a second scatterlist entry.
	 */
	sc_srb(&vp, read10, 10, SC_DATA_IN, true, 0, 8192);
	KUNIT_EXPECT_EQ(test, vp.srb.srb_flags, 0x14aU);
	sc_gpa(&p, &vp, (1ull << 16 | 5) + 1, 0x200, 8192, rd_pfns, 2);
	KUNIT_EXPECT_EQ(test, p.d.offset8, (32 + 3 * 8) / 8);
	KUNIT_EXPECT_EQ(test, p.len, 32U + 3 * 8 + SC_PKT_LEN);
	sc_do_srb(test, c, &p, &r);
	KUNIT_EXPECT_EQ(test, r.trans_id, 0x10006ull);
	KUNIT_EXPECT_EQ(test, r.data_len, 8192U);
	KUNIT_EXPECT_EQ(test, r.buf.offset, 0x200U);
	KUNIT_EXPECT_EQ(test, r.buf.npfns, 3U);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_pfn(r.buf.pfns, 0), 0x4a3c1ull);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_pfn(r.buf.pfns, 1), 0x51000ull);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_pfn(r.buf.pfns, 2), 0x51001ull);
	KUNIT_EXPECT_EQ(test, r.srb.srb_flags, 0x14aU);
	KUNIT_EXPECT_EQ(test, r.srb.cdb[8], 0x10);
	sc_answer(test, &r, data, &rp);
	KUNIT_EXPECT_EQ(test, rp.srb.srb_status, KHCL_SRB_INVALID_LUN);
	KUNIT_EXPECT_EQ(test, rp.srb.data_transfer_length, 0U);

	/*
	 * The largest read storvsc_probe() allows: max_sectors of the
	 * announced max_transfer_bytes, off a page boundary, so
	 * sg_tablesize (max_transfer_bytes / 4096 + 1) pages.
	 */
	KUNIT_ASSERT_TRUE(test, c->lim->max_transfer_bytes <= 512 * 1024);
	sc_srb(&vp, read10_max, 10, SC_DATA_IN, true, 0,
	       c->lim->max_transfer_bytes);
	sc_gpa(&p, &vp, 7, 0x200, c->lim->max_transfer_bytes, max_pfn, 1);
	sc_do_srb(test, c, &p, &r);
	KUNIT_EXPECT_EQ(test, r.data_len, c->lim->max_transfer_bytes);
	KUNIT_EXPECT_EQ(test, r.buf.npfns, c->lim->max_transfer_bytes / 4096 + 1);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_pfn(r.buf.pfns, r.buf.npfns - 1),
			0x60000ull + r.buf.npfns - 1);
	sc_answer(test, &r, data, &rp);
	/*
	 * storvsp keeps them in its request (the packet copy is the
	 * worker's, reused for the next packet): exactly as many fit
	 */
	{
		static u64 kept[512 * 1024 / 4096 + 1];
		struct khcl_gpa_buf b = r.buf;

		KUNIT_EXPECT_EQ(test, khcl_gpa_buf_keep(&b, kept,
							r.buf.npfns - 1), -1);
		KUNIT_EXPECT_EQ(test, khcl_gpa_buf_keep(&b, kept,
							ARRAY_SIZE(kept)), 0);
		memset(&p, 0xee, sizeof(p));	/* the next packet */
		KUNIT_EXPECT_EQ(test, khcl_gpa_buf_pfn(b.pfns, 0), 0x60000ull);
		KUNIT_EXPECT_EQ(test, khcl_gpa_buf_pfn(b.pfns, b.npfns - 1),
				0x60000ull + b.npfns - 1);
		KUNIT_EXPECT_EQ(test, b.offset, 0x200U);
	}
}

/*
 * storvsc_host_reset_handler(): memset, RESET_BUS, REQUEST_COMPLETION_FLAG,
 * vm_srb.path_id, inband with trans_id VMBUS_RQST_RESET; storvsc copies
 * the answer into reset_request (length checked as any other).
 */
static void sc_reset(struct kunit *test, struct khcl_vstor_chan *c)
{
	struct khcl_vstor_packet vp, rp;
	struct khcl_vstor_req r;
	struct sc_pkt p;

	memset(&vp, 0, sizeof(vp));
	vp.operation = KHCL_VSTOR_RESET_BUS;
	vp.flags = KHCL_VSTOR_FLAG_REQUEST_COMPLETION;
	vp.srb.path_id = 0;
	sc_inband(&p, &vp, SC_RQST_RESET);
	KUNIT_ASSERT_EQ(test, sc_rx(c, &p, &r), 0);
	KUNIT_EXPECT_EQ(test, khcl_vstor_control(c, &r, &rp),
			KHCL_VSTOR_DO_RESET);
	sc_reply_ok(test, &rp);
	KUNIT_EXPECT_EQ(test, rp.status, 0U);
}

static void vstor_storvsc_612(struct kunit *test)
{
	static const struct khcl_vstor_limits single = {
		.max_subchannels = 0, .max_transfer_bytes = 512 * 1024,
	};
	struct khcl_vstor_chan c, sub;
	u32 first, tries, i;

	KUNIT_EXPECT_EQ(test, sizeof(struct khcl_vstor_packet),
			(size_t)SC_PKT_LEN);
	KUNIT_EXPECT_EQ(test, sizeof(struct khcl_vmscsi_request),
			(size_t)SC_SRB_LEN);
	/*
	 * storvsc as it is (first = 0): WIN10 at the first try. Then each
	 * later entry of its list, as storvsc would send it after a host
	 * refused the ones before: accepted at once too. The SRBs are the
	 * same under each (for WIN8 and older storvsc only keeps WRITE SAME
	 * and SET WINDOW to itself: storvsc_scsi_cmd_ok()).
	 */
	for (first = 0; first < ARRAY_SIZE(sc_versions); first++) {
		khcl_vstor_chan_init(&c, &vt_lim, false);
		KUNIT_EXPECT_EQ(test, sc_channel_init(test, &c, first, 2,
						      &tries),
				sc_versions[first]);
		KUNIT_EXPECT_EQ(test, tries, 1U);
		KUNIT_EXPECT_EQ(test, c.version, sc_versions[first]);
		KUNIT_EXPECT_TRUE(test, c.subchannels_asked);
		sc_io(test, &c);
		sc_reset(test, &c);
		/* handle_sc_creation(): a sub-channel carries SRBs at once */
		khcl_vstor_chan_init(&sub, &vt_lim, true);
		sc_io(test, &sub);
		for (i = 0; i < KHCL_VSTOR_NERR; i++) {
			KUNIT_EXPECT_EQ(test, c.errors[i], 0ull);
			KUNIT_EXPECT_EQ(test, sub.errors[i], 0ull);
		}
	}
	/* one vCPU: no CREATE_SUB_CHANNELS; no sub-channels offered: same */
	khcl_vstor_chan_init(&c, &vt_lim, false);
	KUNIT_EXPECT_EQ(test, sc_channel_init(test, &c, 0, 1, &tries),
			KHCL_VSTOR_WIN10);
	KUNIT_EXPECT_FALSE(test, c.subchannels_asked);
	khcl_vstor_chan_init(&c, &single, false);
	KUNIT_EXPECT_EQ(test, sc_channel_init(test, &c, 0, 4, &tries),
			KHCL_VSTOR_WIN10);
	KUNIT_EXPECT_FALSE(test, c.subchannels_asked);
	sc_io(test, &c);
	for (i = 0; i < KHCL_VSTOR_NERR; i++)
		KUNIT_EXPECT_EQ(test, c.errors[i], 0ull);
}

static struct kunit_case vstor_cases[] = {
	KUNIT_CASE(vstor_handshake),
	KUNIT_CASE(vstor_order),
	KUNIT_CASE(vstor_malformed),
	KUNIT_CASE(vstor_ranges),
	KUNIT_CASE(vstor_replies),
	KUNIT_CASE(scsi_empty_target),
	KUNIT_CASE(vstor_storvsc_612),
	{}
};

static struct kunit_suite khcl_vstor_suite = {
	.name = "khcl_vstor",
	.test_cases = vstor_cases,
};
kunit_test_suite(khcl_vstor_suite);

MODULE_DESCRIPTION("KUnit tests for the khcl VSTOR and SCSI target cores");
MODULE_LICENSE("GPL");
