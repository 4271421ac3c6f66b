// SPDX-License-Identifier: GPL-2.0
/*
 * khcl_vstor_hostile (part of khcl_vmbus_hostile.ko): a storvsc that lies.
 * Binds to khcl's SCSI controller instead of hv_storvsc and, on
 * /sys/bus/vmbus/drivers/khcl_vstor_hostile/run N, N times opens the
 * channel and sends:
 *
 *   an SRB before the handshake, END before BEGIN, BEGIN twice
 *   protocol versions nobody speaks (4.2, 255.255)
 *   a packet of 8 bytes, a host-to-guest operation
 *   SRBs whose data buffer PFN lies beyond VTL0 RAM (where VTL2's own
 *   memory would be) and at 2^52-1, a range whose PFN list is short,
 *   a CDB length of 17, more data than the buffer holds
 *   CREATE_SUB_CHANNELS for 1000 and for 0
 *
 * each of which must be answered with a failure status, and then a
 * correct INQUIRY into one of its own pages, which must come back with
 * the answer for a LUN that does not exist (LUN 5). Then, on LUN 0 (vtl2's
 * NVMe namespace), the data path:
 *
 *   a READ into a page beyond VTL0 RAM (refused, nothing read)
 *   a READ(16) whose LBA + length wraps 2^64 (LBA OUT OF RANGE)
 *   a READ of 1 MiB, twice the announced maximum (refused)
 *   200 READs sent at once, more than the channel's pool (each answered,
 *   in full, while the rest wait in the ring)
 *   READs whose page list it overwrites in its ring right after sending
 *   (whatever khcl read, one answer each, nothing else touched)
 *
 * "result" holds "PASS|FAIL vstor_hostile reps=N (first failure)". VTL2
 * counts what it refused (/sys/module/khcl_nvme_xlat/parameters/).
 * Writing N to "soak" sends each of the 11 malformed requests that cost
 * one round trip (bad buffers, CDB length 17, an 8-byte packet, a
 * COMPLETE_IO from the guest, 1000 sub-channels, READs beyond RAM, past
 * 2^64, of 1 MiB) N times on one channel, then a correct READ; "result"
 * says "PASS|FAIL vstor_soak rounds=N requests=M seconds=S".
 */
#define pr_fmt(fmt) "khcl_vstor_hostile: " fmt

#include <linux/hyperv.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "tg_test.h"

#define HS_RING		VMBUS_RING_SIZE(64 * 1024)
#define HS_TIMEOUT	(5 * HZ)
#define HS_GUEST_PFNS	(SZ_1G >> HV_HYP_PAGE_SHIFT)	/* 1 GiB of RAM */

/* storvsc's vstor_packet: 12-byte header, 52-byte union (64 bytes) */
struct hs_srb {
	u16 length;
	u8 srb_status, scsi_status, port, path, target, lun;
	u8 cdb_length, sense_info_length, data_in, reserved;
	u32 data_transfer_length;
	u8 cdb[20];
	u16 reserve;
	u8 queue_tag, queue_action;
	u32 srb_flags, time_out_value, queue_sort_key;
} __packed;

struct hs_pkt {
	u32 operation, flags, status;
	union {
		struct hs_srb srb;
		u16 version[2];
		u16 sub_channel_count;
		u8 buffer[0x34];
	};
} __packed;

static_assert(sizeof(struct hs_pkt) == 64);

struct hs_dev {
	struct hv_device *hdev;
	bool open;
	u64 replies;
	u64 srb_good;			/* COMPLETE_IO: SUCCESS, all bytes */
	struct hs_pkt last;
	wait_queue_head_t wq;
	struct page *page;		/* a data buffer of ours */
};

static DEFINE_MUTEX(hs_mutex);
static struct hs_dev *hs_cur;
static char hs_result[160] = "none";

static void hs_callback(void *ctx)
{
	struct hs_dev *hs = ctx;
	struct vmpacket_descriptor *d;

	foreach_vmbus_pkt(d, hs->hdev->channel) {
		if (hv_pkt_datalen(d) >= sizeof(hs->last))
			memcpy(&hs->last, hv_pkt_data(d), sizeof(hs->last));
		else
			memset(&hs->last, 0xff, sizeof(hs->last));
		if (hs->last.operation == 1 && !hs->last.status &&
		    hs->last.srb.srb_status == 1 &&
		    hs->last.srb.data_transfer_length == 4096)
			hs->srb_good++;
		hs->replies++;
	}
	wake_up(&hs->wq);
}

static int hs_open(struct hs_dev *hs)
{
	struct vmbus_channel *ch = hs->hdev->channel;
	int ret;

	ch->rqstor_size = 0;
	ch->next_request_id_callback = NULL;
	ch->request_addr_callback = NULL;
	ch->max_pkt_size = 512;
	vmbus_set_sc_create_callback(ch, NULL);
	ret = vmbus_open(ch, HS_RING, HS_RING, NULL, 0, hs_callback, hs);
	hs->open = !ret;
	return ret;
}

static void hs_close(struct hs_dev *hs)
{
	if (hs->open)
		vmbus_close(hs->hdev->channel);
	hs->open = false;
}

/* Send, wait for the one answer; its status (or -ETIMEDOUT). */
static s64 hs_wait(struct hs_dev *hs, u64 want)
{
	if (!wait_event_timeout(hs->wq, READ_ONCE(hs->replies) >= want,
				HS_TIMEOUT))
		return -ETIMEDOUT;
	return hs->last.status;
}

static s64 hs_raw(struct hs_dev *hs, void *buf, u32 len)
{
	u64 want = hs->replies + 1;
	int ret;

	ret = vmbus_sendpacket(hs->hdev->channel, buf, len, 0x51,
			       VM_PKT_DATA_INBAND,
			       VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED);
	return ret ? ret : hs_wait(hs, want);
}

static s64 hs_op(struct hs_dev *hs, u32 op, u16 arg)
{
	struct hs_pkt p = { .operation = op, .flags = 1 };

	p.version[0] = arg;	/* also sub_channel_count */
	return hs_raw(hs, &p, sizeof(p));
}

static void hs_srb(struct hs_pkt *p, u8 op0, u32 xfer)
{
	memset(p, 0, sizeof(*p));
	p->operation = 3;			/* EXECUTE_SRB */
	p->flags = 1;
	p->srb.length = sizeof(p->srb);
	p->srb.cdb_length = 6;
	p->srb.cdb[0] = op0;
	p->srb.cdb[4] = xfer;
	p->srb.sense_info_length = 20;
	p->srb.data_in = 1;			/* read */
	p->srb.data_transfer_length = xfer;
}

/* An SRB with a one-range data buffer of @npfns PFNs from @pfn. */
static s64 hs_srb_gpa(struct hs_dev *hs, struct hs_pkt *p, u32 len,
		      u32 npfns, u64 pfn)
{
	u32 size = sizeof(struct vmbus_packet_mpb_array) + npfns * sizeof(u64);
	struct vmbus_packet_mpb_array *d = kzalloc(size, GFP_KERNEL);
	u64 want = hs->replies + 1;
	u32 i;
	int ret;

	if (!d)
		return -ENOMEM;
	d->rangecount = 1;
	d->range.len = len;
	d->range.offset = 0;
	for (i = 0; i < npfns; i++)
		d->range.pfn_array[i] = pfn + i;
	ret = vmbus_sendpacket_mpb_desc(hs->hdev->channel, d, size, p,
					sizeof(*p), 0x52);
	kfree(d);
	return ret ? ret : hs_wait(hs, want);
}

/* @what if @ok is false: the first failure is the one reported */
static const char *hs_check(const char *prev, bool ok, const char *what)
{
	return prev ? prev : ok ? NULL : what;
}

/* READ(10) of @len bytes at @lba into @npfns copies of one PFN; no wait. */
static int hs_read_send(struct hs_dev *hs, u32 lba, u32 len, u32 npfns,
			u64 pfn, u64 *pfn_off)
{
	u32 size = sizeof(struct vmbus_packet_mpb_array) + npfns * sizeof(u64);
	struct vmbus_packet_mpb_array *d = kzalloc(size, GFP_KERNEL);
	struct hs_pkt p;
	u32 i;
	int ret;

	if (!d)
		return -ENOMEM;
	hs_srb(&p, 0x28, 0);
	p.srb.cdb_length = 10;
	p.srb.cdb[2] = lba >> 24;
	p.srb.cdb[3] = lba >> 16;
	p.srb.cdb[4] = lba >> 8;
	p.srb.cdb[5] = lba;
	p.srb.cdb[7] = (len >> 9) >> 8;
	p.srb.cdb[8] = len >> 9;
	p.srb.data_transfer_length = len;
	d->rangecount = 1;
	d->range.len = len;
	for (i = 0; i < npfns; i++)
		d->range.pfn_array[i] = pfn;
	if (pfn_off)	/* where the PFNs land in the ring */
		*pfn_off = READ_ONCE(hs->hdev->channel->outbound.ring_buffer->write_index) +
			   offsetof(struct vmbus_packet_mpb_array, range.pfn_array);
	ret = vmbus_sendpacket_mpb_desc(hs->hdev->channel, d, size, &p,
					sizeof(p), 0x53);
	kfree(d);
	return ret;
}

/* Overwrite @n bytes of the outbound ring from @off (wrapping) with 0xff. */
static void hs_ring_scribble(struct hs_dev *hs, u64 off, u32 n)
{
	struct hv_ring_buffer_info *rbi = &hs->hdev->channel->outbound;
	u32 i;

	for (i = 0; i < n; i++)
		WRITE_ONCE(rbi->ring_buffer->buffer[(off + i) % rbi->ring_datasize],
			   0xff);
}

/* INQUIRYs whose data buffer is wrong, each must be refused */
static const char *hs_bad_buffers(struct hs_dev *hs, const char *f)
{
	u64 me = page_to_pfn(hs->page);
	struct hs_pkt p;

	hs_srb(&p, 0x12, 36);
	f = hs_check(f, hs_srb_gpa(hs, &p, 36, 1, HS_GUEST_PFNS + 5) > 0,
		     "buffer beyond VTL0 RAM accepted");
	f = hs_check(f, hs_srb_gpa(hs, &p, 36, 1, (1ull << 52) - 1) > 0,
		     "buffer at 2^52-1 accepted");
	f = hs_check(f, hs_srb_gpa(hs, &p, 8192, 1, me) > 0,
		     "range longer than its PFN list accepted");
	p.srb.cdb_length = 17;
	f = hs_check(f, hs_srb_gpa(hs, &p, 36, 1, me) > 0,
		     "CDB length 17 accepted");
	hs_srb(&p, 0x12, 36);
	p.srb.data_transfer_length = 8192;
	return hs_check(f, hs_srb_gpa(hs, &p, 36, 1, me) > 0,
			"transfer beyond the buffer accepted");
}

static int hs_data_round(struct hs_dev *hs, const char **why)
{
	u64 me = page_to_pfn(hs->page), want, off;
	const char *f = NULL;
	struct hs_pkt p;
	u8 *data = page_address(hs->page);
	int i, sent;

	/* a LUN that exists: vtl2's namespace */
	memset(data, 0xee, PAGE_SIZE);
	hs_srb(&p, 0x12, 36);
	f = hs_check(f, hs_srb_gpa(hs, &p, 36, 1, me) == 0 &&
		     (hs->last.srb.srb_status & 0x3f) == 1 && data[0] == 0 &&
		     data[36] == 0xee, "INQUIRY of LUN 0 wrong");
	/* beyond VTL0 RAM */
	want = hs->replies + 1;
	f = hs_check(f, !hs_read_send(hs, 0, 4096, 1, HS_GUEST_PFNS + 5, NULL) &&
		     hs_wait(hs, want) > 0, "READ beyond VTL0 RAM accepted");
	/* READ(16), LBA 2^64 - 4, 8 blocks: wraps */
	hs_srb(&p, 0x88, 0);
	p.srb.cdb_length = 16;
	memset(&p.srb.cdb[2], 0xff, 8);
	p.srb.cdb[9] = 0xfc;
	p.srb.cdb[13] = 8;
	p.srb.data_transfer_length = 4096;
	f = hs_check(f, hs_srb_gpa(hs, &p, 4096, 1, me) == 0 &&
		     hs->last.srb.srb_status == 0x84 &&
		     hs->last.srb.scsi_status == 2 &&
		     !hs->last.srb.data_transfer_length,
		     "READ(16) past 2^64 not LBA OUT OF RANGE");
	/* twice the announced maximum transfer (512 KiB) */
	want = hs->replies + 1;
	f = hs_check(f, !hs_read_send(hs, 0, SZ_1M, SZ_1M / PAGE_SIZE, me,
				      NULL) && hs_wait(hs, want) > 0,
		     "1 MiB READ accepted");
	/* more requests than the pool: all answered, all in full */
	want = hs->replies;
	hs->srb_good = 0;
	for (sent = 0; sent < 200; sent++)
		if (hs_read_send(hs, sent * 8, 4096, 1, me, NULL))
			break;
	f = hs_check(f, sent == 200, "200 READs did not fit the ring");
	f = hs_check(f, !wait_event_timeout(hs->wq, READ_ONCE(hs->replies) >=
					    want + sent, HS_TIMEOUT) ? false :
		     hs->srb_good == sent, "200 READs not each answered in full");
	/* the page list overwritten in the ring right after sending */
	want = hs->replies;
	for (i = 0; i < 8; i++) {
		if (hs_read_send(hs, 64, 4096, 1, me, &off))
			break;
		hs_ring_scribble(hs, off, sizeof(u64));
	}
	f = hs_check(f, i == 8 && wait_event_timeout(hs->wq,
				READ_ONCE(hs->replies) >= want + 8, HS_TIMEOUT),
		     "rewritten page lists not each answered");
	/* and a correct READ still works */
	want = hs->replies + 1;
	hs->srb_good = 0;
	f = hs_check(f, !hs_read_send(hs, 0, 4096, 1, me, NULL) &&
		     hs_wait(hs, want) == 0 && hs->srb_good == 1,
		     "READ after it all failed");
	*why = f ? f : "";
	return f ? -EPROTO : 0;
}

static int hs_round(struct hs_dev *hs, const char **why)
{
	u64 me = page_to_pfn(hs->page);
	const char *f = NULL;
	struct hs_pkt p;
	u8 *data;

	hs_srb(&p, 0x00, 0);			/* TEST UNIT READY, too early */
	f = hs_check(f, hs_raw(hs, &p, sizeof(p)) > 0, "early SRB accepted");
	f = hs_check(f, hs_op(hs, 8, 0) > 0, "END before BEGIN accepted");
	f = hs_check(f, hs_op(hs, 7, 0) == 0, "BEGIN refused");
	f = hs_check(f, hs_op(hs, 7, 0) > 0, "second BEGIN accepted");
	f = hs_check(f, hs_op(hs, 9, 0x0402) > 0, "version 4.2 accepted");
	f = hs_check(f, hs_op(hs, 9, 0xffff) > 0, "version 255.255 accepted");
	f = hs_check(f, hs_raw(hs, &p, 8) > 0, "8-byte packet accepted");
	f = hs_check(f, hs_op(hs, 1, 0) > 0, "COMPLETE_IO from the guest accepted");
	f = hs_check(f, hs_op(hs, 9, 0x0602) == 0, "version 6.2 refused");
	f = hs_check(f, hs_op(hs, 10, 0) == 0, "QUERY_PROPERTIES refused");
	f = hs_check(f, hs_op(hs, 8, 0) == 0, "END refused");

	f = hs_bad_buffers(hs, f);
	f = hs_check(f, hs_op(hs, 13, 1000) > 0, "1000 sub-channels accepted");
	f = hs_check(f, hs_op(hs, 13, 0) > 0, "0 sub-channels accepted");

	/* and a correct request still works: LUN 5 does not exist */
	data = page_address(hs->page);
	memset(data, 0xee, PAGE_SIZE);
	hs_srb(&p, 0x12, 36);
	p.srb.lun = 5;
	f = hs_check(f, hs_srb_gpa(hs, &p, 36, 1, me) == 0, "INQUIRY refused");
	f = hs_check(f, (hs->last.srb.srb_status & 0x3f) == 1, "INQUIRY failed");
	f = hs_check(f, hs->last.srb.data_transfer_length == 36,
		  "INQUIRY length wrong");
	f = hs_check(f, data[0] == 0x7f && data[36] == 0xee,
		  "INQUIRY data wrong or overran");
	*why = f ? f : "";
	return f ? -EPROTO : 0;
}

/*
 * The soak (HOSTILE.md: each malformed request 10^5 times, no growth):
 * every malformed request above that costs one round trip, on one open
 * channel; vtl2 compares its memory before and after.
 */
static const char *hs_soak_once(struct hs_dev *hs)
{
	u64 me = page_to_pfn(hs->page), want;
	const char *f = NULL;
	struct hs_pkt p;

	f = hs_bad_buffers(hs, f);
	hs_srb(&p, 0x12, 36);
	f = hs_check(f, hs_raw(hs, &p, 8) > 0, "8-byte packet accepted");
	f = hs_check(f, hs_op(hs, 1, 0) > 0,
		     "COMPLETE_IO from the guest accepted");
	f = hs_check(f, hs_op(hs, 13, 1000) > 0, "1000 sub-channels accepted");
	/* the data path: beyond RAM, LBA + length past 2^64, too long */
	want = hs->replies + 1;
	f = hs_check(f, !hs_read_send(hs, 0, 4096, 1, HS_GUEST_PFNS + 5,
				      NULL) && hs_wait(hs, want) > 0,
		     "READ beyond VTL0 RAM accepted");
	hs_srb(&p, 0x88, 0);
	p.srb.cdb_length = 16;
	memset(&p.srb.cdb[2], 0xff, 8);
	p.srb.cdb[13] = 8;
	p.srb.data_transfer_length = 4096;
	f = hs_check(f, hs_srb_gpa(hs, &p, 4096, 1, me) == 0 &&
		     hs->last.srb.srb_status == 0x84,
		     "READ(16) past 2^64 not LBA OUT OF RANGE");
	want = hs->replies + 1;
	f = hs_check(f, !hs_read_send(hs, 0, SZ_1M, SZ_1M / PAGE_SIZE, me,
				      NULL) && hs_wait(hs, want) > 0,
		     "1 MiB READ accepted");
	return f;
}

static ssize_t soak_store(struct device_driver *drv, const char *buf,
			  size_t count)
{
	unsigned long t0 = jiffies;
	const char *f = NULL;
	unsigned int n, i;
	u64 want;

	if (kstrtouint(buf, 0, &n) || !n || n > 1000000)
		return -EINVAL;
	mutex_lock(&hs_mutex);
	if (!hs_cur || hs_open(hs_cur)) {
		mutex_unlock(&hs_mutex);
		return -ENODEV;
	}
	f = hs_check(f, hs_op(hs_cur, 7, 0) == 0, "BEGIN refused");
	f = hs_check(f, hs_op(hs_cur, 9, 0x0602) == 0, "version 6.2 refused");
	f = hs_check(f, hs_op(hs_cur, 10, 0) == 0, "QUERY_PROPERTIES refused");
	f = hs_check(f, hs_op(hs_cur, 8, 0) == 0, "END refused");
	for (i = 0; i < n && !f; i++) {
		f = hs_soak_once(hs_cur);
		if ((i + 1) % (n / 10 ? n / 10 : 1) == 0)
			pr_info("soak: %u of %u rounds in %u s\n", i + 1, n,
				jiffies_to_msecs(jiffies - t0) / 1000);
		cond_resched();
	}
	/* and a correct READ still works */
	want = hs_cur->replies + 1;
	hs_cur->srb_good = 0;
	f = hs_check(f, !hs_read_send(hs_cur, 0, 4096, 1,
				      page_to_pfn(hs_cur->page), NULL) &&
		     hs_wait(hs_cur, want) == 0 && hs_cur->srb_good == 1,
		     "READ after the soak failed");
	hs_close(hs_cur);
	snprintf(hs_result, sizeof(hs_result),
		 "%s vstor_soak rounds=%u requests=%u seconds=%u%s%s",
		 f ? "FAIL" : "PASS", i, i * 11,
		 jiffies_to_msecs(jiffies - t0) / 1000, f ? " " : "",
		 f ? f : "");
	pr_info("%s\n", hs_result);
	mutex_unlock(&hs_mutex);
	return count;
}
static DRIVER_ATTR_WO(soak);

static ssize_t run_store(struct device_driver *drv, const char *buf,
			 size_t count)
{
	const char *why = "";
	unsigned int reps, r;
	int ret = 0;

	if (kstrtouint(buf, 0, &reps) || !reps || reps > 10000)
		return -EINVAL;
	mutex_lock(&hs_mutex);
	if (!hs_cur) {
		mutex_unlock(&hs_mutex);
		return -ENODEV;
	}
	for (r = 0; r < reps && !ret; r++) {
		ret = hs_open(hs_cur);
		if (ret) {
			why = "open failed";
			break;
		}
		ret = hs_round(hs_cur, &why);
		if (!ret)
			ret = hs_data_round(hs_cur, &why);
		hs_close(hs_cur);
	}
	snprintf(hs_result, sizeof(hs_result), "%s vstor_hostile reps=%u%s%s",
		 ret ? "FAIL" : "PASS", r, ret ? " " : "", why);
	pr_info("%s\n", hs_result);
	mutex_unlock(&hs_mutex);
	return count;
}
static DRIVER_ATTR_WO(run);

static ssize_t result_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%s\n", hs_result);
}
static DRIVER_ATTR_RO(result);

static struct attribute *hs_drv_attrs[] = {
	&driver_attr_run.attr,
	&driver_attr_soak.attr,
	&driver_attr_result.attr,
	NULL,
};
ATTRIBUTE_GROUPS(hs_drv);

static int hs_probe(struct hv_device *hdev, const struct hv_vmbus_device_id *id)
{
	struct hs_dev *hs = kzalloc(sizeof(*hs), GFP_KERNEL);

	if (!hs)
		return -ENOMEM;
	hs->page = alloc_page(GFP_KERNEL);
	if (!hs->page) {
		kfree(hs);
		return -ENOMEM;
	}
	hs->hdev = hdev;
	init_waitqueue_head(&hs->wq);
	hv_set_drvdata(hdev, hs);
	mutex_lock(&hs_mutex);
	hs_cur = hs;
	mutex_unlock(&hs_mutex);
	return 0;
}

static void hs_remove(struct hv_device *hdev)
{
	struct hs_dev *hs = hv_get_drvdata(hdev);

	mutex_lock(&hs_mutex);
	hs_close(hs);
	hs_cur = NULL;
	mutex_unlock(&hs_mutex);
	__free_page(hs->page);
	kfree(hs);
}

static const struct hv_vmbus_device_id hs_ids[] = {
	{ HV_SCSI_GUID, },
	{ },
};

struct hv_driver tg_vstor_hostile_driver = {
	.name = "khcl_vstor_hostile",
	.id_table = hs_ids,
	.probe = hs_probe,
	.remove = hs_remove,
	.driver = { .groups = hs_drv_groups },
};
