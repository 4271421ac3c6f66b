/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host side of the VMBus control-protocol core under test: ops that
 * record what the server sends and maps, shared by the server suite
 * (vmbus_server_test.c) and the conformance suite (vmbus_conform_test.c).
 */
#ifndef KHCL_VMBUS_SERVER_HARNESS_H
#define KHCL_VMBUS_SERVER_HARNESS_H

#define ST_VTL0_PFNS	0x40000ull	/* 1 GiB of "VTL0 RAM" */
#define ST_LOG		64
#ifdef __KERNEL__
#define ST_REPEAT	20000	/* about 12 s on the debug kernel under TCG */
#else
#define ST_REPEAT	100000
#endif

struct st_ctx {
	u8 log[ST_LOG][KHCL_SYNIC_PAYLOAD];	/* the first ST_LOG sent */
	u32 loglen[ST_LOG];
	u32 nlog;
	u8 last[KHCL_SYNIC_PAYLOAD];		/* the last one sent */
	u32 lastlen;
	u32 sent[KHCL_CHMSG_COUNT];		/* by type */
	u32 sent_total;
	int mapped, opened, modified;
	int fail_open;
	u32 released[ST_LOG];	/* relids handed back by chan_release */
	u32 nreleased;
	bool header_only;	/* st_gpadl stops after the header */
};

static struct st_ctx st;

static void st_send(struct khcl_vmb_server *s, const void *msg, u32 len)
{
	u32 type = ((const struct khcl_vmb_hdr *)msg)->msgtype;

	if (st.nlog < ST_LOG) {
		memcpy(st.log[st.nlog], msg, len);
		st.loglen[st.nlog++] = len;
	}
	memset(st.last, 0, sizeof(st.last));
	memcpy(st.last, msg, len);
	st.lastlen = len;
	if (type < KHCL_CHMSG_COUNT)
		st.sent[type]++;
	st.sent_total++;
}

static int st_map(struct khcl_vmb_server *s, struct khcl_vmb_gpadl *g)
{
	u32 i;

	for (i = 0; i < g->npfns; i++)
		if (g->pfns[i] >= ST_VTL0_PFNS)
			return -EFAULT;
	st.mapped++;
	return 0;
}

static void st_unmap(struct khcl_vmb_server *s, struct khcl_vmb_gpadl *g)
{
	st.mapped--;
}

static int st_open(struct khcl_vmb_server *s, struct khcl_vmb_chan *c,
		   struct khcl_vmb_gpadl *ring, const u8 *userdata)
{
	if (st.fail_open)
		return -EIO;
	st.opened++;
	return 0;
}

static void st_close(struct khcl_vmb_server *s, struct khcl_vmb_chan *c)
{
	st.opened--;
}

static void st_modify(struct khcl_vmb_server *s, struct khcl_vmb_chan *c)
{
	st.modified++;
}

static void st_release(struct khcl_vmb_server *s, struct khcl_vmb_chan *c)
{
	if (st.nreleased < ST_LOG)
		st.released[st.nreleased++] = c->relid;
}

static const struct khcl_vmb_ops st_ops = {
	.send = st_send, .gpadl_map = st_map, .gpadl_unmap = st_unmap,
	.chan_open = st_open, .chan_close = st_close,
	.chan_modify = st_modify, .chan_release = st_release,
};

static const struct khcl_vmb_limits st_lim = {
	.max_version = KHCL_VMB_V5_3, .max_gpadls = 8,
	.max_gpadl_pages = 1024, .max_total_pages = 2048, .max_vp = 4,
};

static u32 st_last_type(void)
{
	return st.sent_total ? ((struct khcl_vmb_hdr *)st.last)->msgtype : 0;
}

static void *st_last(void)
{
	return st.last;
}

#endif /* KHCL_VMBUS_SERVER_HARNESS_H */
