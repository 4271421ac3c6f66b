// SPDX-License-Identifier: GPL-2.0
/*
 * khcl_echo_client: test client of khcl's echo channel
 * (include/khcl/echo_proto.h), written only against the exported VMBus
 * API, so it runs the same way on khcl_vmbus_guest.ko and hv_vmbus.ko.
 *
 * /sys/bus/vmbus/drivers/khcl_echo_client/
 *   run     write N: send N inband packets requesting completions, at
 *           most 32 in flight, sizes cycling over a mixed set, content
 *           derived from the sequence number; check every completion's
 *           transaction id and bytes; then N/100 (at least 1) packets
 *           one at a time for the round-trip time. Prints and stores
 *           "khcl_echo: N packets ok=X bad=Y elapsed_us=Z rtt_us=W".
 *   result  the last run's line
 *   reopen  write anything: close and reopen the channel (and so drop
 *           its sub-channels)
 *   subchannels
 *           write "S N": ask the echo VSP for S sub-channels, open each
 *           one as its offer arrives, then run N packets on every
 *           sub-channel at once. Stores "khcl_echo_sc: S subchannels
 *           N packets each ok=X bad=Y elapsed_us=Z" in result.
 * Module parameter run=N runs a test once the channel is open.
 */
#define pr_fmt(fmt) "khcl_echo: " fmt

#include <linux/delay.h>
#include <linux/hyperv.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <khcl/echo_proto.h>

#define ECHO_WINDOW	32			/* packets in flight */
#define ECHO_RING	VMBUS_RING_SIZE(64 * 1024)
#define ECHO_PKT_MAX	8192			/* descriptor + payload */
#define ECHO_STALL	(10 * HZ)		/* no progress: give up */
#define ECHO_MAX_SUBS	16
#define ECHO_CTL_SLOT	0xff			/* request id of a control */

static unsigned int run;
module_param(run, uint, 0444);
MODULE_PARM_DESC(run, "Run a test of N packets as soon as the channel is open");

static const u16 echo_sizes[] = {
	8, 13, 64, 100, 257, 512, 1000, 1499, 2048, 3001, KHCL_ECHO_MAX,
};

struct echo_slot {
	bool used;
	u32 seq;
};

struct echo_dev {
	struct hv_device *hdev;
	struct vmbus_channel *chan;
	bool open;
	u8 *txbuf;
	spinlock_t lock;		/* everything below */
	u16 gen;			/* run generation, in the request id */
	struct echo_slot slots[ECHO_WINDOW];
	u32 in_flight;
	u64 ok;				/* correct echoes */
	u64 unknown;			/* completions matching no packet */
	u64 stale;			/* completions of an earlier run */
	bool ctl_done;
	struct khcl_echo_ctl ctl;	/* the last control answer */
	wait_queue_head_t wq;

	/* sub-channels (on the primary's echo_dev) */
	struct mutex sc_mutex;		/* accept_subs, subs, nsubs */
	bool accept_subs;
	struct echo_dev *subs[ECHO_MAX_SUBS];
	u32 nsubs;
	/* a sub-channel's run */
	struct work_struct run_work;
	u32 run_n;
	int run_ret;
	u64 run_ok, run_bad;
};

static DEFINE_MUTEX(echo_mutex);	/* echo_current, runs, reopen */
static struct echo_dev *echo_current;
static char echo_result[160] = "none\n";
static struct work_struct echo_run_work;

static u32 echo_size(u32 seq)
{
	return echo_sizes[seq % ARRAY_SIZE(echo_sizes)];
}

static u32 echo_seed(u32 seq)
{
	u32 x = seq * 0x9e3779b9u ^ 0x6c9b3c3eu;

	return x ? x : 1;
}

static u8 echo_next(u32 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

static void echo_fill(u8 *buf, u32 seq, u32 len)
{
	u32 x = echo_seed(seq), i;

	for (i = 0; i < len; i++)
		buf[i] = echo_next(&x);
}

/* The echo carries the payload padded to 8 with zeroes. */
static bool echo_check(const u8 *data, u32 datalen, u32 seq)
{
	u32 len = echo_size(seq), x = echo_seed(seq), i;

	if (datalen != ALIGN(len, 8))
		return false;
	for (i = 0; i < len; i++)
		if (data[i] != echo_next(&x))
			return false;
	for (; i < datalen; i++)
		if (data[i])
			return false;
	return true;
}

static u64 echo_rid(u16 gen, u32 seq, u32 slot)
{
	return (u64)gen << 48 | (u64)seq << 8 | slot;
}

static void echo_callback(void *context)
{
	struct echo_dev *ed = context;
	struct vmpacket_descriptor *desc;
	unsigned long flags;
	u32 slot, seq;
	bool good;
	u64 rid;

	foreach_vmbus_pkt(desc, ed->chan) {
		if (desc->type != VM_PKT_COMP) {
			pr_warn_ratelimited("unexpected packet type %u\n",
					    desc->type);
			continue;
		}
		rid = vmbus_request_addr(ed->chan, desc->trans_id);

		spin_lock_irqsave(&ed->lock, flags);
		if (rid != VMBUS_RQST_ERROR && (rid & 0xff) == ECHO_CTL_SLOT &&
		    hv_pkt_datalen(desc) == sizeof(ed->ctl)) {
			memcpy(&ed->ctl, hv_pkt_data(desc), sizeof(ed->ctl));
			ed->ctl_done = true;
		} else if (rid == VMBUS_RQST_ERROR) {
			pr_warn_ratelimited("unknown transaction id %llu\n",
					    desc->trans_id);
			ed->unknown++;
		} else if ((u16)(rid >> 48) != ed->gen) {
			ed->stale++;
		} else {
			slot = rid & 0xff;
			seq = (u32)(rid >> 8);
			if (slot < ECHO_WINDOW && ed->slots[slot].used &&
			    ed->slots[slot].seq == seq) {
				ed->slots[slot].used = false;
				ed->in_flight--;
				good = echo_check(hv_pkt_data(desc),
						  hv_pkt_datalen(desc), seq);
				if (good)
					ed->ok++;
				else
					pr_warn_ratelimited("packet %u: echo differs (%u bytes)\n",
							    seq,
							    hv_pkt_datalen(desc));
			} else {
				ed->unknown++;
			}
		}
		spin_unlock_irqrestore(&ed->lock, flags);
		wake_up(&ed->wq);
	}
}

/* Send packet @seq into a free window slot. */
static int echo_send(struct echo_dev *ed, u32 seq)
{
	unsigned long flags;
	u32 slot, len = echo_size(seq);
	u64 rid;
	int ret;

	spin_lock_irqsave(&ed->lock, flags);
	for (slot = 0; slot < ECHO_WINDOW; slot++)
		if (!ed->slots[slot].used)
			break;
	if (slot == ECHO_WINDOW) {
		spin_unlock_irqrestore(&ed->lock, flags);
		return -EBUSY;
	}
	ed->slots[slot].used = true;
	ed->slots[slot].seq = seq;
	ed->in_flight++;
	rid = echo_rid(ed->gen, seq, slot);
	spin_unlock_irqrestore(&ed->lock, flags);

	echo_fill(ed->txbuf, seq, len);
	ret = vmbus_sendpacket(ed->chan, ed->txbuf, len, rid,
			       VM_PKT_DATA_INBAND,
			       VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED);
	if (ret) {
		spin_lock_irqsave(&ed->lock, flags);
		ed->slots[slot].used = false;
		ed->in_flight--;
		spin_unlock_irqrestore(&ed->lock, flags);
	}
	return ret;
}

static u32 echo_in_flight(struct echo_dev *ed)
{
	unsigned long flags;
	u32 n;

	spin_lock_irqsave(&ed->lock, flags);
	n = ed->in_flight;
	spin_unlock_irqrestore(&ed->lock, flags);
	return n;
}

/* Send @seq, retrying while the ring is full; 0 or an error. */
static int echo_send_wait(struct echo_dev *ed, u32 seq, u32 window)
{
	unsigned long deadline = jiffies + ECHO_STALL;
	int ret;

	for (;;) {
		if (!wait_event_timeout(ed->wq, echo_in_flight(ed) < window,
					ECHO_STALL))
			return -ETIMEDOUT;
		ret = echo_send(ed, seq);
		if (ret != -EAGAIN && ret != -EBUSY)
			return ret;
		if (time_after(jiffies, deadline))
			return -ETIMEDOUT;
		usleep_range(50, 100);
	}
}

static void echo_reset(struct echo_dev *ed)
{
	unsigned long flags;

	spin_lock_irqsave(&ed->lock, flags);
	ed->gen++;
	memset(ed->slots, 0, sizeof(ed->slots));
	ed->in_flight = 0;
	ed->ok = 0;
	ed->unknown = 0;
	ed->stale = 0;
	spin_unlock_irqrestore(&ed->lock, flags);
}

static void echo_counts(struct echo_dev *ed, u64 *ok, u64 *unknown)
{
	unsigned long flags;

	spin_lock_irqsave(&ed->lock, flags);
	*ok = ed->ok;
	*unknown = ed->unknown;
	spin_unlock_irqrestore(&ed->lock, flags);
}

/*
 * One test run; echo_mutex held. ok counts correct echoes of the N
 * packets; bad counts the rest of them (wrong bytes, lost, unsent), any
 * completion that matched no packet, and failures of the round-trip
 * pass.
 */
static int echo_run_counts(struct echo_dev *ed, u32 n, u64 *okp, u64 *badp,
			   s64 *elapsedp, s64 *rttp)
{
	s64 elapsed, rtt_sum = 0, rtt_us = -1;
	u64 ok, unknown, ok2, unknown2, bad;
	u32 seq, i, m, rtt_n = 0;
	unsigned long flags;
	ktime_t t0, t1;
	int ret = 0;

	echo_reset(ed);
	t0 = ktime_get();
	for (seq = 0; seq < n; seq++) {
		ret = echo_send_wait(ed, seq, ECHO_WINDOW);
		if (ret)
			break;
	}
	if (!wait_event_timeout(ed->wq, !echo_in_flight(ed), ECHO_STALL))
		ret = ret ?: -ETIMEDOUT;
	elapsed = ktime_us_delta(ktime_get(), t0);
	echo_counts(ed, &ok, &unknown);
	bad = n - ok + unknown;

	/* Round trips, one packet at a time. */
	m = n && !ret ? max(n / 100, 1u) : 0;
	for (i = 0; i < m; i++) {
		t1 = ktime_get();
		ret = echo_send_wait(ed, n + i, 1);
		if (ret)
			break;
		if (!wait_event_timeout(ed->wq, !echo_in_flight(ed),
					ECHO_STALL)) {
			ret = -ETIMEDOUT;
			break;
		}
		rtt_sum += ktime_us_delta(ktime_get(), t1);
		rtt_n++;
	}
	if (rtt_n)
		rtt_us = div_s64(rtt_sum, rtt_n);
	echo_counts(ed, &ok2, &unknown2);
	bad += m - (ok2 - ok) + (unknown2 - unknown);

	spin_lock_irqsave(&ed->lock, flags);
	ed->gen++;		/* late echoes of this run become stale */
	spin_unlock_irqrestore(&ed->lock, flags);

	if (ret)
		pr_warn("relid %u: run stopped early: %d\n",
			ed->chan->offermsg.child_relid, ret);
	*okp = ok;
	*badp = bad;
	*elapsedp = elapsed;
	*rttp = rtt_us;
	return ret;
}

static void echo_run(struct echo_dev *ed, u32 n)
{
	s64 elapsed, rtt_us;
	u64 ok, bad;

	echo_run_counts(ed, n, &ok, &bad, &elapsed, &rtt_us);
	snprintf(echo_result, sizeof(echo_result),
		 "khcl_echo: %u packets ok=%llu bad=%llu elapsed_us=%lld rtt_us=%lld\n",
		 n, ok, bad, elapsed, rtt_us);
	pr_info("%u packets ok=%llu bad=%llu elapsed_us=%lld rtt_us=%lld\n",
		n, ok, bad, elapsed, rtt_us);
}

static void echo_sc_created(struct vmbus_channel *sc);

static int echo_open(struct echo_dev *ed)
{
	struct vmbus_channel *chan = ed->chan;
	int ret;

	chan->rqstor_size = 2 * ECHO_WINDOW;
	chan->next_request_id_callback = vmbus_next_request_id;
	chan->request_addr_callback = vmbus_request_addr;
	chan->max_pkt_size = ECHO_PKT_MAX;

	echo_reset(ed);
	if (!chan->primary_channel)
		vmbus_set_sc_create_callback(chan, echo_sc_created);
	ret = vmbus_open(chan, ECHO_RING, ECHO_RING, NULL, 0, echo_callback,
			 ed);
	ed->open = !ret;
	if (ret)
		dev_err(&ed->hdev->device, "vmbus_open: %d\n", ret);
	else
		dev_info(&ed->hdev->device,
			 "echo channel open (relid %u, sub-channel %u)\n",
			 chan->offermsg.child_relid,
			 chan->offermsg.offer.sub_channel_index);
	return ret;
}

static struct echo_dev *echo_alloc(struct hv_device *hdev,
				   struct vmbus_channel *chan)
{
	struct echo_dev *ed = kzalloc(sizeof(*ed), GFP_KERNEL);

	if (!ed)
		return NULL;
	ed->txbuf = kmalloc(KHCL_ECHO_MAX, GFP_KERNEL);
	if (!ed->txbuf) {
		kfree(ed);
		return NULL;
	}
	ed->hdev = hdev;
	ed->chan = chan;
	spin_lock_init(&ed->lock);
	init_waitqueue_head(&ed->wq);
	mutex_init(&ed->sc_mutex);
	return ed;
}

static void echo_free(struct echo_dev *ed)
{
	kfree(ed->txbuf);
	kfree(ed);
}

/* Closing the primary closes its sub-channels (vmbus_close). */
static void echo_close(struct echo_dev *ed)
{
	u32 i;

	mutex_lock(&ed->sc_mutex);
	ed->accept_subs = false;
	mutex_unlock(&ed->sc_mutex);
	if (ed->open)
		vmbus_close(ed->chan);
	ed->open = false;
	mutex_lock(&ed->sc_mutex);
	for (i = 0; i < ed->nsubs; i++)
		echo_free(ed->subs[i]);
	ed->nsubs = 0;
	mutex_unlock(&ed->sc_mutex);
}

/* sc_creation_callback: a sub-channel offer arrived; open it. */
static void echo_sc_created(struct vmbus_channel *sc)
{
	struct echo_dev *ed = hv_get_drvdata(sc->primary_channel->device_obj);
	struct echo_dev *sub;

	mutex_lock(&ed->sc_mutex);
	if (!ed->accept_subs || ed->nsubs == ECHO_MAX_SUBS) {
		pr_warn("sub-channel %u not wanted\n",
			sc->offermsg.offer.sub_channel_index);
		goto out;
	}
	sub = echo_alloc(ed->hdev, sc);
	if (!sub)
		goto out;
	if (echo_open(sub)) {
		echo_free(sub);
		goto out;
	}
	ed->subs[ed->nsubs++] = sub;
	wake_up(&ed->wq);
out:
	mutex_unlock(&ed->sc_mutex);
}

static u32 echo_nsubs(struct echo_dev *ed)
{
	u32 n;

	mutex_lock(&ed->sc_mutex);
	n = ed->nsubs;
	mutex_unlock(&ed->sc_mutex);
	return n;
}

/* One control request on the primary; its answer, or an error. */
static int echo_ctl(struct echo_dev *ed, u32 op, u32 arg, u32 *result)
{
	struct khcl_echo_ctl c = {
		.magic = KHCL_ECHO_CTL_MAGIC, .op = op, .arg = arg,
	};
	unsigned long flags;
	bool done;
	int ret;

	spin_lock_irqsave(&ed->lock, flags);
	ed->ctl_done = false;
	spin_unlock_irqrestore(&ed->lock, flags);
	ret = vmbus_sendpacket(ed->chan, &c, sizeof(c),
			       echo_rid(ed->gen, 0, ECHO_CTL_SLOT),
			       VM_PKT_DATA_INBAND,
			       VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED);
	if (ret)
		return ret;
	wait_event_timeout(ed->wq, READ_ONCE(ed->ctl_done), ECHO_STALL);
	spin_lock_irqsave(&ed->lock, flags);
	done = ed->ctl_done;
	*result = ed->ctl.result;
	spin_unlock_irqrestore(&ed->lock, flags);
	return done ? 0 : -ETIMEDOUT;
}

static void echo_sub_run_workfn(struct work_struct *work)
{
	struct echo_dev *sub = container_of(work, struct echo_dev, run_work);
	s64 elapsed, rtt;

	sub->run_ret = echo_run_counts(sub, sub->run_n, &sub->run_ok,
				       &sub->run_bad, &elapsed, &rtt);
}

/*
 * Ask for @want sub-channels, wait for them to open, run @n packets on
 * each at once; echo_mutex held.
 */
static int echo_run_subs(struct echo_dev *ed, u32 want, u32 n)
{
	u32 got, i, nsubs, before = echo_nsubs(ed);
	u64 ok = 0, bad = 0;
	ktime_t t0;
	int ret;

	/* sub-channels of an earlier request stay and run too */
	if (!want || before + want > ECHO_MAX_SUBS)
		return -EINVAL;
	mutex_lock(&ed->sc_mutex);
	ed->accept_subs = true;
	mutex_unlock(&ed->sc_mutex);
	ret = echo_ctl(ed, KHCL_ECHO_OP_SUBCHANNELS, want, &got);
	if (ret)
		return ret;
	if (got == KHCL_ECHO_RESULT_ERR || got != want) {
		pr_warn("asked for %u sub-channels, VSP offered %d\n", want,
			(int)got);
		return -ENOSPC;
	}
	if (!wait_event_timeout(ed->wq, echo_nsubs(ed) >= before + want,
				30 * HZ)) {
		pr_warn("only %u of %u sub-channels opened\n",
			echo_nsubs(ed) - before, want);
		return -ETIMEDOUT;
	}
	mutex_lock(&ed->sc_mutex);
	nsubs = ed->nsubs;
	t0 = ktime_get();
	for (i = 0; i < nsubs; i++) {
		ed->subs[i]->run_n = n;
		INIT_WORK(&ed->subs[i]->run_work, echo_sub_run_workfn);
		queue_work(system_unbound_wq, &ed->subs[i]->run_work);
	}
	for (i = 0; i < nsubs; i++) {
		flush_work(&ed->subs[i]->run_work);
		ok += ed->subs[i]->run_ok;
		bad += ed->subs[i]->run_bad;
		if (ed->subs[i]->run_ret && !ret)
			ret = ed->subs[i]->run_ret;
	}
	mutex_unlock(&ed->sc_mutex);
	snprintf(echo_result, sizeof(echo_result),
		 "khcl_echo_sc: %u subchannels %u packets each ok=%llu bad=%llu elapsed_us=%lld\n",
		 nsubs, n, ok, bad, ktime_us_delta(ktime_get(), t0));
	pr_info("%s", echo_result);
	return ret;
}

static void echo_run_workfn(struct work_struct *work)
{
	mutex_lock(&echo_mutex);
	if (echo_current && echo_current->open && run)
		echo_run(echo_current, run);
	mutex_unlock(&echo_mutex);
}

/* Driver attributes ---------------------------------------------------- */

/*
 * The open echo device with echo_mutex held, waiting up to 30 s for it
 * (the transport may still be registering it); NULL without the mutex.
 */
static struct echo_dev *echo_get_locked(void)
{
	unsigned int i;

	for (i = 0; i < 300; i++) {
		mutex_lock(&echo_mutex);
		if (echo_current && echo_current->open)
			return echo_current;
		mutex_unlock(&echo_mutex);
		if (msleep_interruptible(100))
			break;
	}
	return NULL;
}

static ssize_t run_store(struct device_driver *drv, const char *buf,
			 size_t count)
{
	struct echo_dev *ed;
	unsigned int n;
	int ret;

	ret = kstrtouint(buf, 0, &n);
	if (ret)
		return ret;

	ed = echo_get_locked();
	if (!ed)
		return -ENODEV;
	echo_run(ed, n);
	mutex_unlock(&echo_mutex);
	return count;
}
static DRIVER_ATTR_WO(run);

static ssize_t result_show(struct device_driver *drv, char *buf)
{
	ssize_t len;

	mutex_lock(&echo_mutex);
	len = sysfs_emit(buf, "%s", echo_result);
	mutex_unlock(&echo_mutex);
	return len;
}
static DRIVER_ATTR_RO(result);

static ssize_t reopen_store(struct device_driver *drv, const char *buf,
			    size_t count)
{
	int ret;

	mutex_lock(&echo_mutex);
	if (!echo_current) {
		ret = -ENODEV;
	} else {
		echo_close(echo_current);
		ret = echo_open(echo_current);
	}
	mutex_unlock(&echo_mutex);
	return ret ?: count;
}
static DRIVER_ATTR_WO(reopen);

static ssize_t subchannels_store(struct device_driver *drv, const char *buf,
				 size_t count)
{
	struct echo_dev *ed;
	unsigned int want, n;
	int ret;

	if (sscanf(buf, "%u %u", &want, &n) != 2)
		return -EINVAL;
	ed = echo_get_locked();
	if (!ed)
		return -ENODEV;
	ret = echo_run_subs(ed, want, n);
	if (ret)
		snprintf(echo_result, sizeof(echo_result),
			 "khcl_echo_sc: failed %d\n", ret);
	mutex_unlock(&echo_mutex);
	return ret ?: count;
}
static DRIVER_ATTR_WO(subchannels);

static struct attribute *echo_drv_attrs[] = {
	&driver_attr_subchannels.attr,
	&driver_attr_run.attr,
	&driver_attr_result.attr,
	&driver_attr_reopen.attr,
	NULL,
};
ATTRIBUTE_GROUPS(echo_drv);

/* Driver ----------------------------------------------------------------- */

static int echo_probe(struct hv_device *hdev, const struct hv_vmbus_device_id *id)
{
	struct echo_dev *ed;
	int ret;

	ed = echo_alloc(hdev, hdev->channel);
	if (!ed)
		return -ENOMEM;
	hv_set_drvdata(hdev, ed);

	mutex_lock(&echo_mutex);
	ret = echo_open(ed);
	if (ret) {
		mutex_unlock(&echo_mutex);
		echo_free(ed);
		return ret;
	}
	if (!echo_current)
		echo_current = ed;
	mutex_unlock(&echo_mutex);

	if (run)
		schedule_work(&echo_run_work);
	return 0;
}

static void echo_remove(struct hv_device *hdev)
{
	struct echo_dev *ed = hv_get_drvdata(hdev);

	mutex_lock(&echo_mutex);
	if (echo_current == ed)
		echo_current = NULL;
	echo_close(ed);
	mutex_unlock(&echo_mutex);
	echo_free(ed);
}

static const struct hv_vmbus_device_id echo_ids[] = {
	{ .guid = { .b = KHCL_ECHO_CLASS_GUID_BYTES } },
	{ },
};
MODULE_DEVICE_TABLE(vmbus, echo_ids);

static struct hv_driver echo_driver = {
	.name = "khcl_echo_client",
	.id_table = echo_ids,
	.probe = echo_probe,
	.remove = echo_remove,
	.driver = {
		.groups = echo_drv_groups,
	},
};

static int __init echo_init(void)
{
	INIT_WORK(&echo_run_work, echo_run_workfn);
	return vmbus_driver_register(&echo_driver);
}

static void __exit echo_exit(void)
{
	cancel_work_sync(&echo_run_work);
	vmbus_driver_unregister(&echo_driver);
}

module_init(echo_init);
module_exit(echo_exit);

MODULE_DESCRIPTION("khcl echo channel test client");
MODULE_LICENSE("GPL");
