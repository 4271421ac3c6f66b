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
	struct vt_pkt p;

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
	struct vt_pkt p;

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
	vt_op(test, &c, KHCL_VSTOR_RESET_BUS, 0, &rp);
	KUNIT_EXPECT_EQ(test, rp.status, 0U);
}

static void vstor_malformed(struct kunit *test)
{
	struct khcl_vstor_packet vp;
	struct khcl_vstor_chan c;
	struct khcl_vstor_req r;
	struct vt_pkt p;
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
	struct vt_pkt p;

	vt_ready(test, &c);
	/* good: 8 KiB at offset 512 spans three pages */
	vt_srb(&vp, 0x28, 8192, 1);
	vt_gpa(&p, &vp, 512, 8192, 3, 0x1000);
	KUNIT_ASSERT_EQ(test, vt_rx(&c, &p, &r), 0);
	KUNIT_EXPECT_EQ(test, r.data_len, 8192U);
	KUNIT_EXPECT_EQ(test, r.data_offset, 512U);
	KUNIT_EXPECT_EQ(test, r.npfns, 3U);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_pfn(r.pfns, 0), 0x1000ull);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_pfn(r.pfns, 2), 0x1002ull);
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
	struct vt_pkt p;

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
	khcl_scsi_no_lun(inq, 6, 36, data, sizeof(data), &res);
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_SUCCESS);
	KUNIT_EXPECT_EQ(test, res.data_len, 36U);
	KUNIT_EXPECT_EQ(test, data[0], 0x7f);	/* no device here */
	KUNIT_EXPECT_EQ(test, data[4], 31);
	KUNIT_EXPECT_EQ(test, data[36], 0xee);
	/* the shorter of allocation length and buffer wins */
	khcl_scsi_no_lun(inq, 6, 5, data, sizeof(data), &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 5U);
	inq[4] = 4;
	khcl_scsi_no_lun(inq, 6, 36, data, sizeof(data), &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 4U);
	khcl_scsi_no_lun(inq, 6, 36, data, 2, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 2U);
	/* EVPD: check condition, invalid field */
	inq[1] = 1;
	khcl_scsi_no_lun(inq, 6, 36, data, sizeof(data), &res);
	KUNIT_EXPECT_EQ(test, res.scsi_status, 2);
	KUNIT_EXPECT_EQ(test, res.sense[2], 5);
	KUNIT_EXPECT_EQ(test, res.sense[12], 0x24);
	KUNIT_EXPECT_EQ(test, res.data_len, 0U);
	/* REPORT LUNS: an empty list */
	memset(data, 0xee, sizeof(data));
	khcl_scsi_no_lun(rl, 12, 16, data, sizeof(data), &res);
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_SUCCESS);
	KUNIT_EXPECT_EQ(test, res.data_len, 8U);
	KUNIT_EXPECT_EQ(test, data[3], 0);
	KUNIT_EXPECT_EQ(test, data[8], 0xee);
	khcl_scsi_no_lun(rl, 6, 16, data, sizeof(data), &res);
	KUNIT_EXPECT_EQ(test, res.scsi_status, 2);
	/* REQUEST SENSE: logical unit not supported */
	khcl_scsi_no_lun(rs, 6, 18, data, sizeof(data), &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 18U);
	KUNIT_EXPECT_EQ(test, data[12], 0x25);
	/* anything else, and a CDB too short to read */
	khcl_scsi_no_lun(tur, 6, 0, data, sizeof(data), &res);
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_INVALID_LUN);
	khcl_scsi_no_lun(inq, 1, 36, data, sizeof(data), &res);
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_INVALID_LUN);
}

static struct kunit_case vstor_cases[] = {
	KUNIT_CASE(vstor_handshake),
	KUNIT_CASE(vstor_order),
	KUNIT_CASE(vstor_malformed),
	KUNIT_CASE(vstor_ranges),
	KUNIT_CASE(vstor_replies),
	KUNIT_CASE(scsi_empty_target),
	{}
};

static struct kunit_suite khcl_vstor_suite = {
	.name = "khcl_vstor",
	.test_cases = vstor_cases,
};
kunit_test_suite(khcl_vstor_suite);

MODULE_DESCRIPTION("KUnit tests for the khcl VSTOR and SCSI target cores");
MODULE_LICENSE("GPL");
