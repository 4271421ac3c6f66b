// SPDX-License-Identifier: GPL-2.0
/*
 * khcl_netvsc_hostile (part of khcl_vmbus_hostile.ko): a netvsc that
 * lies. Binds to khcl's NIC instead of hv_netvsc and, on
 * /sys/bus/vmbus/drivers/khcl_netvsc_hostile/run N, N times opens the
 * channel and:
 *
 *   asks for a receive buffer before INIT, offers NVSP 3.2 and 6.1
 *   sends an RNDIS control message before there is a receive buffer
 *   hands over a 64 KiB receive buffer, then tears its GPADL down while
 *   khcl has it mapped (the answer waits until khcl unmaps it: khcl
 *   keeps writing there)
 *   names an RNDIS message page beyond VTL0 RAM
 *   sends INIT, a SET of a host-internal OID (CVE-2021-28476), a
 *   multicast list of 10 bytes (CVE-2016-0088), and checks the answers
 *   that come back through its receive sections
 *   returns a section it never got, then keeps every section and sends
 *   70 queries: khcl answers while sections last and drops the rest
 *   hands over a send buffer and sends malformed data (hn_data_bad):
 *   sections past the buffer, empty or longer than a section, RNDIS
 *   packets longer than their section, per-packet info inside the header
 *   or of size 0, a frame past its message, a zero-length page range, a
 *   page beyond VTL0 RAM; each refused (status 2, or no completion)
 *   revokes the buffers, after which their GPADLs can go
 *
 * "result" holds "PASS|FAIL netvsc_hostile reps=N (first failure)".
 * Writing N to "soak" sends the malformed data N times on one channel
 * (HOSTILE.md: 10^5 times, no growth), then a query that must still be
 * answered: "PASS|FAIL netvsc_soak rounds=N packets=M seconds=S".
 * Writing 1 to "stall" receives in promiscuous mode and keeps every
 * receive section (XSA-392: a guest that stops receiving), then gives
 * them back and must receive again: "PASS|FAIL netvsc_stall ...".
 * Writing N to "subch" abuses sub-channels N times (hn_subch; khcl must
 * have some to offer: rig.sh --net-queues 2): "PASS|FAIL netvsc_subch".
 */
#define pr_fmt(fmt) "khcl_netvsc_hostile: " fmt

#include <linux/delay.h>
#include <linux/hyperv.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "tg_test.h"

#define HN_RING		VMBUS_RING_SIZE(64 * 1024)
#define HN_TIMEOUT	(5 * HZ)
#define HN_RECV_SIZE	(64 * 1024)
#define HN_GUEST_PFNS	(SZ_1G >> HV_HYP_PAGE_SHIFT)
/* sections khcl can use in our buffer: 1728 bytes each, at most 64 */
#define HN_SECTIONS	min(HN_RECV_SIZE / 1728, 64)
#define HN_SEND_SECTION	6144
#define HN_SEND_SIZE	(2 * HN_SEND_SECTION)

struct hn_dev {
	struct hv_device *hdev;
	bool open;
	wait_queue_head_t wq;
	u64 comps, xfers;
	u32 last_comp[10];		/* the last NVSP completion */
	u32 last_rndis[8];		/* the start of the last RNDIS answer */
	u64 last_xfer_id;
	bool auto_complete;		/* give sections back at once */
	struct vmbus_channel *cur;	/* where hn_nvsp4() and co. send */
	struct vmbus_channel *sub;	/* the sub-channel offered last */
	u32 nsubs;			/* sub-channels offered this session */
	void *recv, *send;
	struct vmbus_gpadl gpadl, send_gpadl;
	struct page *page;		/* RNDIS requests are built here */
};

static DEFINE_MUTEX(hn_mutex);
static struct hn_dev *hn_cur;
static char hn_result[160] = "none";

static void hn_give_back(struct hn_dev *hn, u64 id)
{
	u32 m[2] = { 108, 1 };		/* RNDIS_PKT_COMPLETE, success */

	vmbus_sendpacket(hn->cur, m, sizeof(m), id, VM_PKT_COMP, 0);
}

/* What comes in on @ch (the primary or a sub-channel). */
static void hn_receive(struct hn_dev *hn, struct vmbus_channel *ch)
{
	struct vmpacket_descriptor *d;
	const u32 *x;
	u32 off;

	foreach_vmbus_pkt(d, ch) {
		if (d->type == VM_PKT_COMP) {
			memset(hn->last_comp, 0, sizeof(hn->last_comp));
			memcpy(hn->last_comp, hv_pkt_data(d),
			       min_t(u32, hv_pkt_datalen(d),
				     sizeof(hn->last_comp)));
			hn->comps++;
		} else if (d->type == VM_PKT_DATA_USING_XFER_PAGES &&
			   hn->recv) {
			/* pageset id, range count, byte count, byte offset */
			x = (const u32 *)(d + 1);
			off = x[3];
			if (off <= HN_RECV_SIZE - sizeof(hn->last_rndis))
				memcpy(hn->last_rndis, hn->recv + off,
				       sizeof(hn->last_rndis));
			hn->last_xfer_id = d->trans_id;
			hn->xfers++;
			if (hn->auto_complete)
				hn_give_back(hn, d->trans_id);
		}
	}
	wake_up(&hn->wq);
}

static void hn_callback(void *ctx)
{
	struct hn_dev *hn = ctx;

	hn_receive(hn, hn->hdev->channel);
}

static void hn_sub_callback(void *ctx)
{
	struct hn_dev *hn = ctx;

	hn_receive(hn, READ_ONCE(hn->sub));
}

/* Our channels take no request ids: trans ids are ours to choose. */
static int hn_open_chan(struct hn_dev *hn, struct vmbus_channel *ch,
			void (*cb)(void *ctx))
{
	ch->rqstor_size = 0;
	ch->next_request_id_callback = NULL;
	ch->request_addr_callback = NULL;
	ch->max_pkt_size = 4096;
	return vmbus_open(ch, HN_RING, HN_RING, NULL, 0, cb, hn);
}

static int hn_open(struct hn_dev *hn)
{
	struct vmbus_channel *ch = hn->hdev->channel;
	int ret;

	vmbus_set_sc_create_callback(ch, NULL);
	hn->comps = 0;
	hn->xfers = 0;
	hn->auto_complete = true;
	hn->cur = ch;
	ret = hn_open_chan(hn, ch, hn_callback);
	hn->open = !ret;
	return ret;
}

/* An NVSP message; the status word of its completion, or -ETIMEDOUT. */
static s64 hn_nvsp4(struct hn_dev *hn, u32 type, u32 a, u32 b, u32 c)
{
	u32 m[10] = { type, a, b, c };
	u64 want = hn->comps + 1;

	if (vmbus_sendpacket(hn->cur, m, sizeof(m), 0x61,
			     VM_PKT_DATA_INBAND,
			     VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED))
		return -EIO;
	if (!wait_event_timeout(hn->wq, hn->comps >= want, HN_TIMEOUT))
		return -ETIMEDOUT;
	/* INIT_COMPLETE has its status at 12, the others at 4 */
	return type == 1 ? hn->last_comp[3] : hn->last_comp[1];
}

static s64 hn_nvsp(struct hn_dev *hn, u32 type, u32 a, u32 b)
{
	return hn_nvsp4(hn, type, a, b, 0);
}

/*
 * A GPA-direct SEND_RNDIS_PKT @m naming one range {@len, @off} of @pfn:
 * its completion's status, or (@wait false: khcl refuses it without an
 * answer) 0 at once.
 */
static s64 hn_send_range(struct hn_dev *hn, u32 *m, u32 len, u32 off,
			 u64 pfn, u64 id, bool wait)
{
	struct {
		struct vmbus_packet_mpb_array a;
		u64 pfn;
	} __packed d;
	u64 want = hn->comps + 1;

	memset(&d, 0, sizeof(d));
	d.a.rangecount = 1;
	d.a.range.len = len;
	d.a.range.offset = off;
	d.pfn = pfn;
	if (vmbus_sendpacket_mpb_desc(hn->cur, &d.a, sizeof(d), m,
				      10 * sizeof(u32), id))
		return -EIO;
	if (!wait)
		return 0;
	if (!wait_event_timeout(hn->wq, hn->comps >= want, HN_TIMEOUT))
		return -ETIMEDOUT;
	return hn->last_comp[1];
}

/* An RNDIS control message at @pfn; its RNDIS_PKT_COMPLETE status. */
static s64 hn_rndis_at(struct hn_dev *hn, const void *msg, u32 len, u64 pfn)
{
	u32 m[10] = { 107, 1, 0xffffffff, 0 };

	if (pfn == page_to_pfn(hn->page))
		memcpy(page_address(hn->page), msg, len);
	return hn_send_range(hn, m, len, 0, pfn, 0x62, true);
}

/* An RNDIS SET/QUERY of @oid with @n info bytes from our page. */
static s64 hn_oid(struct hn_dev *hn, u32 type, u32 oid, u32 n)
{
	u32 q[7 + 4] = { type, 28 + n, 77, oid, n, 20, 0 };

	return hn_rndis_at(hn, q, 28 + n, page_to_pfn(hn->page));
}

static bool hn_answer(struct hn_dev *hn, u64 want, u32 type, u32 status)
{
	if (!wait_event_timeout(hn->wq, hn->xfers >= want, HN_TIMEOUT))
		return false;
	return hn->last_rndis[0] == type && hn->last_rndis[3] == status;
}

static const char *hn_check(const char *prev, bool ok, const char *what)
{
	return prev ? prev : ok ? NULL : what;
}

/* A data send from send section @idx, @size bytes of it: its status. */
static s64 hn_data_sec(struct hn_dev *hn, u32 idx, u32 size)
{
	return hn_nvsp4(hn, 107, 0, idx, size);
}

/* A data send of one page range {@len, @off} of @pfn. */
static s64 hn_data_gpa(struct hn_dev *hn, u32 len, u32 off, u64 pfn,
		       bool wait)
{
	u32 m[10] = { 107, 0, 0xffffffff, 0 };

	return hn_send_range(hn, m, len, off, pfn, 0x63, wait);
}

/*
 * An RNDIS PACKET at the start of send section 0: header fields as given
 * (offsets from byte 8, as the format counts them), one 16-byte
 * per-packet info entry of @ppi_size at 44, a 60-byte frame after it.
 */
static void hn_pkt(struct hn_dev *hn, u32 msg_len, u32 data_off,
		   u32 ppi_off, u32 ppi_size)
{
	u32 *w = hn->send;

	memset(hn->send, 0, 44 + 16 + 60);
	w[0] = 1;			/* RNDIS_MSG_PACKET */
	w[1] = msg_len;
	w[2] = data_off;
	w[3] = 60;
	w[7] = ppi_off;
	w[8] = 16;
	w[11] = ppi_size;		/* the entry: size, type 0, offset 12 */
	w[13] = 12;
	memset((u8 *)hn->send + 60, 0xff, 6);	/* broadcast, never sent */
}

/* The malformed data sends; NULL when khcl refused each as it should. */
static const char *hn_data_bad(struct hn_dev *hn, u64 *pkts)
{
	const char *f = NULL;

	f = hn_check(f, hn_data_sec(hn, 2, 60) == 2,
		     "send section past the buffer accepted");
	f = hn_check(f, hn_data_sec(hn, 0, 0) == 2, "empty section accepted");
	f = hn_check(f, hn_data_sec(hn, 0, HN_SEND_SECTION + 1) == 2,
		     "section longer than a section accepted");
	hn_pkt(hn, 44 + 16 + 60, 36 + 16, 36, 16);	/* well formed, */
	f = hn_check(f, hn_data_sec(hn, 0, 100) == 2,	/* but cut short */
		     "RNDIS packet past its section accepted");
	hn_pkt(hn, 44 + 16 + 60, 36 + 16, 20, 16);
	f = hn_check(f, hn_data_sec(hn, 0, 120) == 2,
		     "per-packet info inside the header accepted");
	hn_pkt(hn, 44 + 16 + 60, 36 + 16, 36, 0);
	f = hn_check(f, hn_data_sec(hn, 0, 120) == 2,
		     "per-packet info of size 0 accepted");
	hn_pkt(hn, 44 + 16 + 60, 36 + 16 + 61, 36, 16);
	f = hn_check(f, hn_data_sec(hn, 0, 120) == 2,
		     "frame past its message accepted");
	/* a zero-length fragment: refused outright, no answer */
	hn_data_gpa(hn, 0, 0, page_to_pfn(hn->page), false);
	f = hn_check(f, hn_data_gpa(hn, 120, 0, HN_GUEST_PFNS + 3, true) == 2,
		     "page beyond VTL0 RAM accepted");
	*pkts += 9;
	return f;
}

/* The send buffer: GPADL, SEND_SEND_BUF answered with 6144-byte sections */
static const char *hn_send_buf(struct hn_dev *hn)
{
	if (vmbus_establish_gpadl(hn->hdev->channel, hn->send, HN_SEND_SIZE,
				  &hn->send_gpadl))
		return "send buffer GPADL failed";
	if (hn_nvsp(hn, 104, hn->send_gpadl.gpadl_handle, 0) != 1 ||
	    hn->last_comp[2] != HN_SEND_SECTION)
		return "send buffer refused";
	return NULL;
}

static const char *hn_send_buf_revoke(struct hn_dev *hn)
{
	u32 m[10] = { 106, 0 };

	vmbus_sendpacket(hn->hdev->channel, m, sizeof(m), 0,
			 VM_PKT_DATA_INBAND, 0);
	msleep(50);
	return vmbus_teardown_gpadl(hn->hdev->channel, &hn->send_gpadl) ?
	       "send GPADL teardown after revoke failed" : NULL;
}

static int hn_round(struct hn_dev *hn, const char **why)
{
	u64 me = page_to_pfn(hn->page), want;
	u32 init[6] = { 2, 24, 1, 1, 0, 0x4000 };
	u32 td[4] = { 11, 0, hn->hdev->channel->offermsg.child_relid, 0 };
	const char *f = NULL, *e;
	u64 pkts = 0;
	int i, ret;

	f = hn_check(f, hn_nvsp(hn, 101, 0, 0xcafe) == 2,
		     "receive buffer before INIT accepted");
	f = hn_check(f, hn_nvsp(hn, 1, 0x30002, 0x30002) == 2,
		     "NVSP 3.2 accepted");
	f = hn_check(f, hn_nvsp(hn, 1, 0x60001, 0x60001) == 1,
		     "NVSP 6.1 refused");
	f = hn_check(f, hn_rndis_at(hn, init, sizeof(init), me) == 2,
		     "RNDIS without a receive buffer accepted");
	ret = vmbus_establish_gpadl(hn->hdev->channel, hn->recv, HN_RECV_SIZE,
				    &hn->gpadl);
	if (ret) {
		*why = "receive buffer GPADL failed";
		return ret;
	}
	f = hn_check(f, hn_nvsp(hn, 101, hn->gpadl.gpadl_handle, 0xcafe) == 1,
		     "receive buffer refused");
	/*
	 * tear it down under khcl's mapping: the buffer stays mapped and
	 * the answer waits until khcl lets it go (the revoke, below)
	 */
	td[3] = hn->gpadl.gpadl_handle;
	tg_vmbus_test_post(td, sizeof(td));
	f = hn_check(f, hn_rndis_at(hn, init, sizeof(init),
				    HN_GUEST_PFNS + 3) == 2,
		     "RNDIS page beyond VTL0 RAM accepted");
	want = hn->xfers + 1;
	f = hn_check(f, hn_rndis_at(hn, init, sizeof(init), me) == 1,
		     "RNDIS INIT refused");
	f = hn_check(f, hn_answer(hn, want, 0x80000002, 0), "no INIT_C");
	want = hn->xfers + 1;
	hn_oid(hn, 5, 0x00010270, 16);
	f = hn_check(f, hn_answer(hn, want, 0x80000005, 0xc00000bb),
		     "host-internal OID not refused");
	want = hn->xfers + 1;
	hn_oid(hn, 5, 0x01010103, 10);
	f = hn_check(f, hn_answer(hn, want, 0x80000005, 0xc0010015),
		     "10-byte multicast list not refused");
	hn_give_back(hn, 999);		/* a section never sent */
	/* keep every section: answers stop when they run out */
	hn->auto_complete = false;
	want = hn->xfers;
	for (i = 0; i < 70; i++)
		hn_oid(hn, 4, 0x00010114, 0);
	msleep(100);
	f = hn_check(f, hn->xfers - want == HN_SECTIONS,
		     "sections not bounded");
	for (i = 1; i <= HN_SECTIONS; i++)
		hn_give_back(hn, i);
	hn->auto_complete = true;
	want = hn->xfers + 1;
	hn_oid(hn, 4, 0x00010114, 0);
	f = hn_check(f, hn_answer(hn, want, 0x80000004, 0),
		     "no answer after sections came back");
	/* data before a send buffer, then malformed data */
	f = hn_check(f, hn_data_sec(hn, 0, 60) == 2,
		     "data in a section before a send buffer accepted");
	e = hn_send_buf(hn);
	f = hn_check(f, !e, e);
	if (!e) {
		e = hn_data_bad(hn, &pkts);
		f = hn_check(f, !e, e);
		e = hn_send_buf_revoke(hn);
		f = hn_check(f, !e, e);
	}
	/* revoke (no answer), then the GPADL can go */
	{
		u32 m[10] = { 103, 0xcafe };

		vmbus_sendpacket(hn->hdev->channel, m, sizeof(m), 0,
				 VM_PKT_DATA_INBAND, 0);
	}
	msleep(50);
	ret = vmbus_teardown_gpadl(hn->hdev->channel, &hn->gpadl);
	f = hn_check(f, !ret, "GPADL teardown after revoke failed");
	*why = f ? f : "";
	return f ? -EPROTO : 0;
}

static ssize_t run_store(struct device_driver *drv, const char *buf,
			 size_t count)
{
	const char *why = "";
	unsigned int reps, r;
	int ret = 0;

	if (kstrtouint(buf, 0, &reps) || !reps || reps > 10000)
		return -EINVAL;
	mutex_lock(&hn_mutex);
	if (!hn_cur) {
		mutex_unlock(&hn_mutex);
		return -ENODEV;
	}
	for (r = 0; r < reps && !ret; r++) {
		ret = hn_open(hn_cur);
		if (ret) {
			why = "open failed";
			break;
		}
		ret = hn_round(hn_cur, &why);
		vmbus_close(hn_cur->hdev->channel);
		hn_cur->open = false;
	}
	snprintf(hn_result, sizeof(hn_result), "%s netvsc_hostile reps=%u%s%s",
		 ret ? "FAIL" : "PASS", r, ret ? " " : "", why);
	pr_info("%s\n", hn_result);
	mutex_unlock(&hn_mutex);
	return count;
}
static DRIVER_ATTR_WO(run);

/*
 * A channel up as netvsc brings it up: NVSP 6.1, the receive buffer
 * (GPADL, SEND_RECV_BUF), RNDIS INIT answered. NULL, the first failure,
 * or hn_no_gpadl (nothing to take down).
 */
static const char hn_no_gpadl[] = "receive buffer GPADL failed";

static const char *hn_up(struct hn_dev *hn)
{
	u32 init[6] = { 2, 24, 1, 1, 0, 0x4000 };
	const char *f = NULL;
	u64 want;

	if (hn_nvsp(hn, 1, 0x60001, 0x60001) != 1)
		f = "NVSP 6.1 refused";
	if (vmbus_establish_gpadl(hn->hdev->channel, hn->recv, HN_RECV_SIZE,
				  &hn->gpadl))
		return hn_no_gpadl;
	f = hn_check(f, hn_nvsp(hn, 101, hn->gpadl.gpadl_handle, 0xcafe) == 1,
		     "receive buffer refused");
	want = hn->xfers + 1;
	f = hn_check(f, hn_rndis_at(hn, init, sizeof(init),
				    page_to_pfn(hn->page)) == 1 &&
		     hn_answer(hn, want, 0x80000002, 0), "RNDIS INIT");
	return f;
}

/* The receive buffer revoked, then its GPADL torn down; @f or a failure. */
static const char *hn_down(struct hn_dev *hn, const char *f)
{
	u32 m[10] = { 103, 0xcafe };

	vmbus_sendpacket(hn->hdev->channel, m, sizeof(m), 0,
			 VM_PKT_DATA_INBAND, 0);
	msleep(50);
	return hn_check(f, !vmbus_teardown_gpadl(hn->hdev->channel, &hn->gpadl),
			"GPADL teardown after revoke failed");
}

/*
 * The soak: NVSP 6.1, the receive buffer, RNDIS INIT and the send buffer
 * once, then the malformed data @n times, then a query that must still
 * be answered, and both buffers revoked.
 */
static const char *hn_soak(struct hn_dev *hn, u32 n, u64 *pkts)
{
	unsigned long t = jiffies;
	const char *f, *e;
	u64 want;
	u32 i;

	f = hn_up(hn);
	if (f == hn_no_gpadl)
		return f;
	e = f ? NULL : hn_send_buf(hn);
	f = hn_check(f, !e, e);
	for (i = 0; i < n && !f; i++) {
		f = hn_data_bad(hn, pkts);
		if (i && !(i % 10000))
			pr_info("soak: %u of %u rounds in %u s\n", i, n,
				jiffies_to_msecs(jiffies - t) / 1000);
		cond_resched();
	}
	want = hn->xfers + 1;
	hn_oid(hn, 4, 0x00010114, 0);
	f = hn_check(f, hn_answer(hn, want, 0x80000004, 0),
		     "no answer to a query after the soak");
	if (!e) {
		e = hn_send_buf_revoke(hn);
		f = hn_check(f, !e, e);
	}
	return hn_down(hn, f);
}

/*
 * Open the channel, run @fn on it, close it; hn_mutex is held on return
 * unless the NIC is not bound (-ENODEV). *@f: NULL or the first failure.
 */
static int hn_session(const char *(*fn)(struct hn_dev *hn, u32 n, u64 *out),
		      u32 n, u64 *out, const char **f)
{
	mutex_lock(&hn_mutex);
	if (!hn_cur) {
		mutex_unlock(&hn_mutex);
		return -ENODEV;
	}
	if (hn_open(hn_cur)) {
		*f = "open failed";
		return 0;
	}
	*f = fn(hn_cur, n, out);
	vmbus_close(hn_cur->hdev->channel);
	hn_cur->open = false;
	return 0;
}

/*
 * "N" written to a session of @fn for N rounds (1..@max); the result:
 * "PASS|FAIL netvsc_@name rounds=N @what=<its count> seconds=S[ why]".
 */
static ssize_t hn_rounds_store(const char *buf, size_t count, u32 max,
			       const char *(*fn)(struct hn_dev *hn, u32 n,
						 u64 *out),
			       const char *name, const char *what)
{
	unsigned long t = jiffies;
	const char *f;
	u64 out = 0;
	u32 n;

	if (kstrtou32(buf, 0, &n) || !n || n > max)
		return -EINVAL;
	if (hn_session(fn, n, &out, &f))
		return -ENODEV;
	snprintf(hn_result, sizeof(hn_result),
		 "%s netvsc_%s rounds=%u %s=%llu seconds=%u%s%s",
		 f ? "FAIL" : "PASS", name, n, what, out,
		 jiffies_to_msecs(jiffies - t) / 1000, f ? " " : "",
		 f ? f : "");
	pr_info("%s\n", hn_result);
	mutex_unlock(&hn_mutex);
	return count;
}

static ssize_t soak_store(struct device_driver *drv, const char *buf,
			  size_t count)
{
	return hn_rounds_store(buf, count, 10000000, hn_soak, "soak",
			       "packets");
}
static DRIVER_ATTR_WO(soak);

/*
 * The stall: NVSP 6.1, the receive buffer, RNDIS INIT, a promiscuous
 * packet filter (vtl2's script, seeing it, sends traffic its NIC's
 * answers to which come here), every section kept until all are ours,
 * HN_STALL_S more (vtl2 drops what it held for us after its
 * rx_stall_ms), then all given back: frames must arrive again.
 */
#define HN_STALL_S	6
static const char *hn_stall(struct hn_dev *hn, u32 unused, u64 *held)
{
	u32 q[8] = { 5, 32, 78, 0x0001010e, 4, 20, 0, 0x20 };
	u64 me = page_to_pfn(hn->page), want, full;
	const char *f;
	int i;

	f = hn_up(hn);
	if (f == hn_no_gpadl)
		return f;
	hn->auto_complete = false;	/* from here on, keep them all */
	full = hn->xfers + HN_SECTIONS;	/* SET_C's section, then frames */
	want = hn->xfers + 1;
	f = hn_check(f, hn_rndis_at(hn, q, sizeof(q), me) == 1 &&
		     hn_answer(hn, want, 0x80000005, 0),
		     "promiscuous filter refused");
	if (!f && !wait_event_timeout(hn->wq, hn->xfers >= full, 120 * HZ))
		f = "sections never ran out: no frames came";
	*held = hn->xfers;
	if (!f) {
		pr_info("stall: all %u sections held, keeping them %u s\n",
			HN_SECTIONS, HN_STALL_S);
		msleep(HN_STALL_S * 1000);
		f = hn_check(f, hn->xfers == *held,
			     "frames arrived with no section free");
	}
	for (i = 1; i <= HN_SECTIONS; i++)
		hn_give_back(hn, i);
	hn->auto_complete = true;
	want = hn->xfers + 1;
	if (!f && !wait_event_timeout(hn->wq, hn->xfers >= want, 60 * HZ))
		f = "no frame after the sections came back";
	return hn_down(hn, f);
}

static ssize_t stall_store(struct device_driver *drv, const char *buf,
			   size_t count)
{
	const char *f;
	u64 held = 0;

	if (hn_session(hn_stall, 0, &held, &f))
		return -ENODEV;
	snprintf(hn_result, sizeof(hn_result),
		 "%s netvsc_stall sections=%u held, %llu packets before, %llu after%s%s",
		 f ? "FAIL" : "PASS", HN_SECTIONS, held, hn_cur ? hn_cur->xfers : 0,
		 f ? ": " : "", f ? f : "");
	pr_info("%s\n", hn_result);
	mutex_unlock(&hn_mutex);
	return count;
}
static DRIVER_ATTR_WO(stall);

/* A sub-channel of ours is offered: the last one is the one we abuse. */
static void hn_sc_create(struct vmbus_channel *sc)
{
	struct hn_dev *hn = hv_get_drvdata(sc->primary_channel->device_obj);

	WRITE_ONCE(hn->sub, sc);
	hn->nsubs++;
	wake_up(&hn->wq);
}

/* Is @type on hn->cur answered with the refusal status (2)? */
static bool hn_refused(struct hn_dev *hn, u32 type, u32 a, u32 b)
{
	hn_nvsp(hn, type, a, b);
	return hn->last_comp[0] == type && hn->last_comp[1] == 2;
}

/*
 * Sub-channels: SUBCHANNEL for none refused; for 15 answered with the
 * count khcl has (its queues less one), that many offered; asked again:
 * refused. On a sub-channel, which carries data and completions only:
 * NVSP INIT, a receive buffer, SUBCHANNEL and an RNDIS control message
 * refused; a completion of a section never sent ignored; data in a
 * section without a send buffer and data in a page beyond VTL0 RAM
 * refused; @n rounds of that. Then the sub-channel closed alone by a raw
 * CLOSECHANNEL (hv_vmbus never sends one: its vmbus_close() of a
 * sub-channel does nothing), data sent on it after: no answer; the
 * primary still answers; closing the primary closes the sub-channel a
 * second time. *@subs: sub-channels offered.
 */
static const char *hn_subch(struct hn_dev *hn, u32 n, u64 *subs)
{
	u32 init[6] = { 2, 24, 1, 1, 0, 0x4000 };
	u32 close[3] = { 7, 0, 0 };	/* CHANNELMSG_CLOSECHANNEL, relid */
	struct vmbus_channel *ch = hn->hdev->channel, *sc;
	const char *f;
	u64 want;
	u32 got, i;

	hn->nsubs = 0;
	WRITE_ONCE(hn->sub, NULL);
	vmbus_set_sc_create_callback(ch, hn_sc_create);
	f = hn_up(hn);
	if (f == hn_no_gpadl)
		return f;
	f = hn_check(f, hn_refused(hn, 133, 1, 0), "SUBCHANNEL for none accepted");
	f = hn_check(f, hn_nvsp(hn, 133, 1, 15) == 1, "SUBCHANNEL refused");
	got = hn->last_comp[2];
	f = hn_check(f, got && got < 15, "SUBCHANNEL: a count out of range");
	f = hn_check(f, hn_refused(hn, 133, 1, 15), "SUBCHANNEL twice accepted");
	if (!f && !wait_event_timeout(hn->wq, hn->nsubs >= got, HN_TIMEOUT))
		f = "fewer sub-channels offered than answered";
	*subs = hn->nsubs;
	sc = READ_ONCE(hn->sub);
	if (!f && (!sc || hn_open_chan(hn, sc, hn_sub_callback)))
		f = "sub-channel open failed";
	for (i = 0; i < n && !f; i++) {
		hn->cur = sc;
		f = hn_check(f, hn_refused(hn, 1, 0x60001, 0x60001),
			     "NVSP INIT on a sub-channel accepted");
		f = hn_check(f, hn_refused(hn, 101, hn->gpadl.gpadl_handle,
					   0xcafe),
			     "receive buffer on a sub-channel accepted");
		f = hn_check(f, hn_refused(hn, 133, 1, 1),
			     "SUBCHANNEL on a sub-channel accepted");
		f = hn_check(f, hn_rndis_at(hn, init, sizeof(init),
					    page_to_pfn(hn->page)) == 2,
			     "RNDIS control on a sub-channel accepted");
		hn_give_back(hn, 999);	/* a section never sent */
		f = hn_check(f, hn_data_sec(hn, 0, 60) == 2,
			     "data in a section without a send buffer accepted");
		f = hn_check(f, hn_data_gpa(hn, 120, 0, HN_GUEST_PFNS + 3,
					    true) == 2,
			     "sub-channel data beyond VTL0 RAM accepted");
	}
	if (!f) {
		close[2] = sc->offermsg.child_relid;
		tg_vmbus_test_post(close, sizeof(close));
		msleep(100);
		hn->cur = sc;
		want = hn->comps;
		hn_data_gpa(hn, 120, 0, HN_GUEST_PFNS + 3, false);
		msleep(100);
		f = hn_check(f, hn->comps == want,
			     "a closed sub-channel answered");
		hn->cur = ch;
		want = hn->xfers + 1;
		hn_oid(hn, 4, 0x00010114, 0);
		f = hn_check(f, hn_answer(hn, want, 0x80000004, 0),
			     "no answer on the primary after a sub-channel closed");
	}
	hn->cur = ch;
	f = hn_down(hn, f);
	/* the sub-channels go with the primary; forget ours */
	vmbus_set_sc_create_callback(ch, NULL);
	WRITE_ONCE(hn->sub, NULL);
	return f;
}

static ssize_t subch_store(struct device_driver *drv, const char *buf,
			   size_t count)
{
	return hn_rounds_store(buf, count, 1000, hn_subch, "subch",
			       "subchannels");
}
static DRIVER_ATTR_WO(subch);

static ssize_t result_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%s\n", hn_result);
}
static DRIVER_ATTR_RO(result);

static struct attribute *hn_drv_attrs[] = {
	&driver_attr_run.attr,
	&driver_attr_soak.attr,
	&driver_attr_stall.attr,
	&driver_attr_subch.attr,
	&driver_attr_result.attr,
	NULL,
};
ATTRIBUTE_GROUPS(hn_drv);

static int hn_probe(struct hv_device *hdev, const struct hv_vmbus_device_id *id)
{
	struct hn_dev *hn = kzalloc(sizeof(*hn), GFP_KERNEL);

	if (!hn)
		return -ENOMEM;
	hn->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	hn->recv = vzalloc(HN_RECV_SIZE);
	hn->send = vzalloc(HN_SEND_SIZE);
	if (!hn->page || !hn->recv || !hn->send) {
		if (hn->page)
			__free_page(hn->page);
		vfree(hn->recv);
		vfree(hn->send);
		kfree(hn);
		return -ENOMEM;
	}
	hn->hdev = hdev;
	init_waitqueue_head(&hn->wq);
	hv_set_drvdata(hdev, hn);
	mutex_lock(&hn_mutex);
	hn_cur = hn;
	mutex_unlock(&hn_mutex);
	return 0;
}

static void hn_remove(struct hv_device *hdev)
{
	struct hn_dev *hn = hv_get_drvdata(hdev);

	mutex_lock(&hn_mutex);
	hn_cur = NULL;
	mutex_unlock(&hn_mutex);
	__free_page(hn->page);
	vfree(hn->recv);
	vfree(hn->send);
	kfree(hn);
}

static const struct hv_vmbus_device_id hn_ids[] = {
	{ HV_NIC_GUID, },
	{ },
};

struct hv_driver tg_netvsc_hostile_driver = {
	.name = "khcl_netvsc_hostile",
	.id_table = hn_ids,
	.probe = hn_probe,
	.remove = hn_remove,
	.driver = { .groups = hn_drv_groups },
};
