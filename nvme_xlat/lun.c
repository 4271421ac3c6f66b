// SPDX-License-Identifier: GPL-2.0
/*
 * nvme_xlat LUNs: which block device (an NVMe namespace) backs which LUN
 * of the guest's SCSI controller (path 0, target 0, LUN n). Set by the
 * knob `luns` ("0:/dev/nvme0n1,1:/dev/nvme0n2"), from the kernel command
 * line (khcl.nvme_xlat.luns=) or /sys/kernel/khcl/nvme_xlat/luns at any
 * time: LUNs that leave the list are removed (their I/O in flight ends
 * first), new ones are opened exclusively and the guest is told to
 * rescan. A device that is not there yet (the NVMe driver probes
 * asynchronously) is retried every second for lun_wait_s; one that goes
 * away (its holder's mark_dead) is removed and not reopened until the
 * knob is set again.
 *
 * The I/O path finds a LUN under RCU and holds a percpu reference on it
 * per request; removal unpublishes it, kills the reference and waits.
 */
#define pr_fmt(fmt) "khcl_nvme_xlat: " fmt

#include <linux/module.h>
#include <linux/fs.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include "xlat.h"
#include "pr.h"

#define SV_LUNS_MAX_STR	1024

static unsigned int lun_wait_s = 30;
module_param(lun_wait_s, uint, 0644);
MODULE_PARM_DESC(lun_wait_s, "How long a LUN's block device that is not there yet is waited for, seconds");

static struct sv_lun __rcu *sv_luns[KHCL_SCSI_MAX_LUNS];
static u64 sv_lun_map;			/* LUNs served; READ_ONCE outside */
static u64 sv_waiting_map, sv_failed_map; /* wanted, not open (yet) */
static DEFINE_MUTEX(sv_lun_lock);	/* LUN changes (the work, exit) */
/*
 * The knob as last set and when. Setting it only stores it and queues
 * the work: a module parameter is set under the module's param_lock,
 * which must not wait for I/O to drain (nor be taken around sysfs reads
 * the work does).
 */
static DEFINE_SPINLOCK(sv_cfg_lock);
static char sv_luns_str[SV_LUNS_MAX_STR];
static unsigned long sv_cfg_time;
static unsigned int sv_cfg_gen, sv_gen_seen; /* sets; the work's last */
static bool sv_ready;			/* init ran: the work may run */
static unsigned int sv_max_blocks_512;	/* per command, 512-byte units */
static void sv_luns_work(struct work_struct *w);
static DECLARE_DELAYED_WORK(sv_work, sv_luns_work);

struct sv_lun *sv_lun_get(u8 path_id, u8 target_id, u8 lun, u64 *map)
{
	struct sv_lun *l = NULL;

	*map = path_id || target_id ? 0 : READ_ONCE(sv_lun_map);
	if (path_id || target_id || lun >= KHCL_SCSI_MAX_LUNS)
		return NULL;
	rcu_read_lock();
	l = rcu_dereference(sv_luns[lun]);
	if (l && !percpu_ref_tryget_live(&l->ref))
		l = NULL;
	rcu_read_unlock();
	return l;
}

void sv_lun_put(struct sv_lun *l)
{
	percpu_ref_put(&l->ref);
}

/*
 * The device went away (NVMe namespace or controller removed): its I/O
 * fails from now on; the work removes the LUN and the guest rescans.
 * Called with bd_holder_lock held, which it must drop.
 */
static void sv_lun_mark_dead(struct block_device *bdev, bool surprise)
{
	struct sv_lun *l;
	unsigned int n;

	mutex_unlock(&bdev->bd_holder_lock);
	rcu_read_lock();
	for (n = 0; n < KHCL_SCSI_MAX_LUNS; n++) {
		l = rcu_dereference(sv_luns[n]);
		if (l && l->bdev == bdev) {
			WRITE_ONCE(l->dead, true);
			pr_warn("LUN %u: %pg went away%s: removing it\n", n,
				bdev, surprise ? " (surprise)" : "");
		}
	}
	rcu_read_unlock();
	spin_lock(&sv_cfg_lock);
	if (sv_ready)
		mod_delayed_work(system_wq, &sv_work, 0);
	spin_unlock(&sv_cfg_lock);
}

static const struct blk_holder_ops sv_holder_ops = {
	.mark_dead = sv_lun_mark_dead,
};

static void sv_lun_release(struct percpu_ref *ref)
{
	struct sv_lun *l = container_of(ref, struct sv_lun, ref);

	complete(&l->released);
}

/*
 * A device without EUI-64 or NGUID (Linux ignores QEMU's, quirk
 * BOGUS_NID): a locally administered EUI-64 hashed from the device's own
 * stable name, /sys/block/<disk>/wwid (NVMe: "nvme.VID-SN-MN-NSID").
 * 8, or 0 without one.
 */
static int sv_lun_wwid_id(struct gendisk *disk, u8 *id)
{
	static const siphash_key_t key = { { 0x6b68636c2d6c756eull,
					     0x6e766d652d777769ull } };
	char path[64], wwid[256];
	struct file *f;
	loff_t pos = 0;
	ssize_t n;
	__be64 h;

	snprintf(path, sizeof(path), "/sys/block/%s/wwid", disk->disk_name);
	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return 0;
	n = kernel_read(f, wwid, sizeof(wwid) - 1, &pos);
	fput(f);
	if (n <= 0)
		return 0;
	h = cpu_to_be64(siphash(wwid, n, &key));
	memcpy(id, &h, 8);
	id[0] = (id[0] | 0x02) & ~0x01;	/* locally administered, unicast */
	return 8;
}

/* What the SCSI target tells the guest about @l's device. */
static void sv_lun_describe(struct sv_lun *l)
{
	struct block_device *bdev = l->bdev;
	struct khcl_scsi_disk *d = &l->disk;
	struct gendisk *disk = bdev->bd_disk;
	u8 id[16];
	int n = -EINVAL;

	d->block_shift = ilog2(bdev_logical_block_size(bdev));
	d->phys_shift = ilog2(bdev_physical_block_size(bdev));
	d->nblocks = bdev_nr_bytes(bdev) >> d->block_shift;
	d->max_blocks = sv_max_blocks_512 >> (d->block_shift - SECTOR_SHIFT);
	d->opt_blocks = bdev_io_opt(bdev) >> d->block_shift;
	d->write_cache = bdev_write_cache(bdev);
	/* one UNMAP descriptor is one discard bio of the device's size */
	d->discard = bdev_max_discard_sectors(bdev) > 0;
	d->max_unmap_blocks = min_t(u64, U32_MAX,
				    (u64)bdev_max_discard_sectors(bdev) >>
				    (d->block_shift - SECTOR_SHIFT));
	d->unmap_granularity = max(1u, bdev_discard_granularity(bdev) >>
					d->block_shift);
	if (disk->fops->get_unique_id)
		n = disk->fops->get_unique_id(disk, id, BLK_UID_EUI64);
	if (n != 8 && n != 16) {
		n = sv_lun_wwid_id(disk, id);
		l->id_hashed = n;
	}
	if (n == 8 || n == 16) {
		memcpy(d->id, id, n);
		d->id_len = n;
		bin2hex(d->serial, id, min_t(int, n, (sizeof(d->serial) - 1) / 2));
	} else {
		snprintf(d->serial, sizeof(d->serial), "%s", disk->disk_name);
	}
	l->dma_mask = bdev_dma_alignment(bdev);
	d->pr = sv_pr_probe(bdev);
}

static void sv_lun_free(struct sv_lun *l)
{
	sv_io_lun_exit(l);
	if (l->bdev_file)
		fput(l->bdev_file);
	percpu_ref_exit(&l->ref);
	kfree(l);
}

/* Open @path as LUN @n (sv_lun_lock held); -ENOENT etc. if not there. */
static int sv_lun_add(unsigned int n, const char *path)
{
	struct sv_lun *l;
	int ret;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	ret = percpu_ref_init(&l->ref, sv_lun_release, 0, GFP_KERNEL);
	if (ret) {
		kfree(l);
		return ret;
	}
	init_completion(&l->released);
	l->lun = n;
	strscpy(l->path, path, sizeof(l->path));
	/* exclusive: nothing in VTL2 mounts or writes it behind the guest */
	l->bdev_file = bdev_file_open_by_path(path, BLK_OPEN_READ |
					      BLK_OPEN_WRITE, sv_luns,
					      &sv_holder_ops);
	if (IS_ERR(l->bdev_file)) {
		ret = PTR_ERR(l->bdev_file);
		l->bdev_file = NULL;
		sv_lun_free(l);
		return ret;
	}
	l->bdev = file_bdev(l->bdev_file);
	sv_lun_describe(l);
	sv_io_lun_init(l);
	rcu_assign_pointer(sv_luns[n], l);
	WRITE_ONCE(sv_lun_map, sv_lun_map | 1ull << n);
	pr_info("LUN %u: %s, %llu blocks of %u bytes, id %s %*phN, write cache %s, reservations %s\n",
		n, path, l->disk.nblocks, 1u << l->disk.block_shift,
		l->id_hashed ? "hashed from wwid" : l->disk.id_len == 16 ?
		"NGUID" : l->disk.id_len ? "EUI-64" : "none",
		l->disk.id_len, l->disk.id, l->disk.write_cache ? "on" : "off",
		l->disk.pr ? "yes" : "no");
	return 0;
}

/* Remove LUN @n (sv_lun_lock held): its requests in flight end first. */
static void sv_lun_remove(unsigned int n)
{
	struct sv_lun *l = rcu_dereference_protected(sv_luns[n],
					lockdep_is_held(&sv_lun_lock));

	if (!l)
		return;
	WRITE_ONCE(sv_lun_map, sv_lun_map & ~(1ull << n));
	RCU_INIT_POINTER(sv_luns[n], NULL);
	synchronize_rcu();
	percpu_ref_kill(&l->ref);
	/* bounded by the device's own timeouts, as nvmet's drain is */
	wait_for_completion(&l->released);
	pr_info("LUN %u (%s) removed: %lld I/Os, %lld bytes read, %lld written, %lld errors\n",
		n, l->path, atomic64_read(&l->ios), atomic64_read(&l->bytes_read),
		atomic64_read(&l->bytes_written), atomic64_read(&l->errors));
	sv_lun_free(l);
}

/* "n:path,..." into @paths (pointers into @buf); -EINVAL if malformed. */
static int sv_luns_parse(char *buf, char **paths)
{
	char *item, *colon;
	unsigned int n;

	while ((item = strsep(&buf, ",")) != NULL) {
		item = strim(item);
		if (!*item)
			continue;
		colon = strchr(item, ':');
		if (!colon)
			return -EINVAL;
		*colon = '\0';
		if (kstrtouint(item, 10, &n) || n >= KHCL_SCSI_MAX_LUNS ||
		    paths[n] || !colon[1] || strlen(colon + 1) >= 64)
			return -EINVAL;
		paths[n] = colon + 1;
	}
	return 0;
}

/*
 * Make the LUNs what the knob says: remove those that left it or changed
 * device, open those that are new. A device that is not there yet is
 * tried again every second for lun_wait_s after the knob was set.
 */
static void sv_luns_work(struct work_struct *w)
{
	char *paths[KHCL_SCSI_MAX_LUNS] = {};
	unsigned int n, waited, gen;
	bool changed = false, retry = false;
	unsigned long t;
	struct sv_lun *l;
	char *buf;
	int ret;

	buf = kmalloc(SV_LUNS_MAX_STR, GFP_KERNEL);
	if (!buf)
		return;
	spin_lock(&sv_cfg_lock);
	memcpy(buf, sv_luns_str, SV_LUNS_MAX_STR);
	t = sv_cfg_time;
	gen = sv_cfg_gen;
	spin_unlock(&sv_cfg_lock);
	sv_luns_parse(buf, paths);	/* checked when it was set */
	waited = jiffies_to_msecs(jiffies - t) / 1000;

	mutex_lock(&sv_lun_lock);
	if (gen != sv_gen_seen) {	/* a new setting: try them all again */
		sv_gen_seen = gen;
		sv_failed_map = 0;
	}
	for (n = 0; n < KHCL_SCSI_MAX_LUNS; n++) {
		u64 bit = 1ull << n;

		l = rcu_dereference_protected(sv_luns[n],
					      lockdep_is_held(&sv_lun_lock));
		if (l && READ_ONCE(l->dead)) {
			/* not reopened until the knob is set again */
			sv_lun_remove(n);
			sv_failed_map |= bit;
			changed = true;
			continue;
		}
		if (l && paths[n] && !strcmp(l->path, paths[n]))
			continue;
		if (l) {
			sv_lun_remove(n);
			changed = true;
		}
		if (!paths[n]) {
			sv_waiting_map &= ~bit;
			sv_failed_map &= ~bit;
			continue;
		}
		ret = sv_lun_add(n, paths[n]);
		if (!ret) {
			sv_waiting_map &= ~bit;
			sv_failed_map &= ~bit;
			changed = true;
		} else if ((ret == -ENOENT || ret == -ENXIO || ret == -ENODEV) &&
			   waited < READ_ONCE(lun_wait_s)) {
			if (!(sv_waiting_map & bit) || (waited && !(waited % 5)))
				pr_info("LUN %u: waiting for %s (%u s of %u)\n",
					n, paths[n], waited, lun_wait_s);
			sv_waiting_map |= bit;
			retry = true;
		} else if (!(sv_failed_map & bit)) {
			pr_err("LUN %u: %s cannot be opened (%d): not served\n",
			       n, paths[n], ret);
			sv_waiting_map &= ~bit;
			sv_failed_map |= bit;
		}
	}
	if (retry && READ_ONCE(sv_ready))
		schedule_delayed_work(&sv_work, HZ);
	mutex_unlock(&sv_lun_lock);
	kfree(buf);
	if (changed)
		sv_luns_changed();
}

static int sv_luns_set(const char *val, const struct kernel_param *kp)
{
	char *paths[KHCL_SCSI_MAX_LUNS] = {};
	char *buf;
	int ret;

	if (strlen(val) >= SV_LUNS_MAX_STR)
		return -E2BIG;
	buf = kstrdup(val, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = sv_luns_parse(buf, paths);
	kfree(buf);
	if (ret) {
		pr_err("luns: '%s' is not \"n:/dev/path,...\" (n < %d)\n",
		       val, KHCL_SCSI_MAX_LUNS);
		return ret;
	}
	spin_lock(&sv_cfg_lock);
	strscpy(sv_luns_str, val, sizeof(sv_luns_str));
	strim(sv_luns_str);
	sv_cfg_time = jiffies;
	sv_cfg_gen++;
	if (sv_ready)	/* not before init, not after exit began */
		mod_delayed_work(system_wq, &sv_work, 0);
	spin_unlock(&sv_cfg_lock);
	return 0;
}

static int sv_luns_get(char *buf, const struct kernel_param *kp)
{
	int n;

	spin_lock(&sv_cfg_lock);
	n = scnprintf(buf, PAGE_SIZE, "%s\n", sv_luns_str);
	spin_unlock(&sv_cfg_lock);
	return n;
}

static const struct kernel_param_ops sv_luns_ops = {
	.set = sv_luns_set,
	.get = sv_luns_get,
};
module_param_cb(luns, &sv_luns_ops, NULL, 0644);
MODULE_PARM_DESC(luns, "Block devices behind LUNs: \"n:/dev/path,...\" (n < 64), applied at once in the background");

/* One line per LUN: n path state size counters (no lock: RCU). */
static int sv_lun_stats_get(char *buf, const struct kernel_param *kp)
{
	u64 waiting = READ_ONCE(sv_waiting_map);
	u64 failed = READ_ONCE(sv_failed_map);
	struct sv_lun *l;
	unsigned int n;
	int len = 0;

	rcu_read_lock();
	for (n = 0; n < KHCL_SCSI_MAX_LUNS; n++) {
		l = rcu_dereference(sv_luns[n]);
		if (!l) {
			if ((waiting | failed) >> n & 1)
				len += sysfs_emit_at(buf, len, "%u %s\n", n,
						     waiting >> n & 1 ?
						     "waiting" : "failed");
			continue;
		}
		len += sysfs_emit_at(buf, len,
				     "%u %s online blocks=%llu block_size=%u ios=%lld bytes_read=%lld bytes_written=%lld flushes=%lld discards=%lld errors=%lld bytes_bounced=%lld polled_ios=%lld reservations=%s\n",
				     n, l->path, l->disk.nblocks,
				     1u << l->disk.block_shift,
				     atomic64_read(&l->ios),
				     atomic64_read(&l->bytes_read),
				     atomic64_read(&l->bytes_written),
				     atomic64_read(&l->flushes),
				     atomic64_read(&l->discards),
				     atomic64_read(&l->errors),
				     atomic64_read(&l->bytes_bounced),
				     atomic64_read(&l->polled_ios),
				     l->disk.pr ? "yes" : "no");
	}
	rcu_read_unlock();
	return len;
}

static const struct kernel_param_ops sv_lun_stats_ops = {
	.get = sv_lun_stats_get,
};
module_param_cb(lun_stats, &sv_lun_stats_ops, NULL, 0444);
MODULE_PARM_DESC(lun_stats, "Per LUN: path, state, size, I/O counters (read only)");

int sv_luns_init(unsigned int max_blocks_512)
{
	sv_max_blocks_512 = max_blocks_512;
	spin_lock(&sv_cfg_lock);
	sv_cfg_time = jiffies;		/* lun_wait_s counts from the load */
	sv_ready = true;
	spin_unlock(&sv_cfg_lock);
	/* the LUNs there now, before the guest is offered the controller */
	sv_luns_work(&sv_work.work);
	return 0;
}

void sv_luns_exit(void)
{
	unsigned int n;

	spin_lock(&sv_cfg_lock);
	sv_ready = false;
	spin_unlock(&sv_cfg_lock);
	cancel_delayed_work_sync(&sv_work);
	mutex_lock(&sv_lun_lock);
	for (n = 0; n < KHCL_SCSI_MAX_LUNS; n++)
		sv_lun_remove(n);
	mutex_unlock(&sv_lun_lock);
}
