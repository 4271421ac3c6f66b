/* SPDX-License-Identifier: GPL-2.0 */
/* khcl VMBus server (vmbus_relay/): private definitions of the kernel glue. */
#ifndef KHCL_VMBUS_PRIV_H
#define KHCL_VMBUS_PRIV_H

#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "../include/khcl/khcl_vtl2.h"
#include "../include/khcl/khcl_vsp.h"
#include "ring.h"
#include "server.h"

#define KHCL_VMBUS_RXQ		64	/* guest messages awaiting the worker */
#define KHCL_VMBUS_TXQ		256	/* replies awaiting a free slot */
#define KHCL_CHAN_MAPS		4	/* GPADLs a VSP maps per channel */

struct khcl_vmbus;

struct khcl_vsp_chan {
	struct khcl_vmbus *vb;		/* the server it belongs to */
	struct khcl_vsp *vsp;
	u32 relid;
	u16 sub_index;			/* 0: the primary */
	u32 primary_relid;		/* sub-channels: their primary */
	void *priv;			/* the VSP's */
	struct kobject kobj;		/* channels/<relid> */
	char name[32];			/* copies: a sub-channel may outlive */
	struct khcl_guid class_id;	/* its VSP module until released */
	struct list_head dead;		/* on khcl_vmbus.dead when released */

	/* runtime, valid while open */
	bool open;			/* reading the ring, taking requests */
	bool failed;			/* protocol violation: stopped */
	bool mapped;			/* rings usable (until close unmaps) */
	struct khcl_ring in, out;	/* guest->host, host->guest */
	void *in_map, *out_map;
	struct page **pages;
	u32 npages;
	struct khcl_vmb_chan *core;	/* the core's: target_vp lives there */
	u8 *pktbuf;
	u32 pktbuf_size;
	struct work_struct work;

	/* requests: a pool per open, ended from any context */
	void *pool;
	u32 depth, reserve, req_size;
	spinlock_t free_lock;		/* free, nfree, open */
	struct llist_node *free;	/* free requests, through ->node */
	u32 nfree;
	struct llist_head done;		/* ended, for the worker to write */
	struct llist_head ctl_done;	/* control results for ->ctl_done */
	struct llist_node *backlog;	/* the worker's: waiting for room */
	struct llist_node *backlog_tail;
	wait_queue_head_t drain_wq;

	/* GPADLs the VSP mapped (khcl_vsp_gpadl_map), vmbus lock */
	struct khcl_chan_map {
		u32 handle;
		void *va;
		struct page **pages;
		u32 npages;
	} maps[KHCL_CHAN_MAPS];

	/* stats */
	u64 packets_in, packets_out, events_in, signals_out, batches;
	u64 ring_full, ring_errors[KHCL_RING_NERR], no_request;
	u64 answers_dropped, drain_overstays, double_ends, polls;
	/* khcl_vmbus.timing (ns): see timing_show() */
	u64 t_event, wakes, wake_ns, timed, vsp_ns, answer_ns;
};

struct khcl_vmbus {
	struct mutex lock;		/* the server core and channel table */
	struct khcl_vmb_server srv;
	struct khcl_transport_client client;
	struct workqueue_struct *wq;		/* control */
	struct workqueue_struct *chan_wq;	/* channel workers, per CPU */
	spinlock_t ctlq_lock;
	struct list_head ctlq;		/* VSP control requests (ctl_node) */
	struct work_struct ctl_work;

	spinlock_t rxq_lock;
	struct khcl_synic_msg rxq[KHCL_VMBUS_RXQ];
	u32 rxq_head, rxq_count;
	struct work_struct rx_work;
	struct khcl_synic_msg rx_cur;	/* rx_work's private copy */

	spinlock_t txq_lock;
	struct { u32 len; u8 data[KHCL_SYNIC_PAYLOAD]; } txq[KHCL_VMBUS_TXQ];
	u32 txq_head, txq_count;
	struct delayed_work tx_work;

	struct khcl_vsp_chan __rcu *chans[KHCL_VMB_MAX_CHANNELS];
	struct list_head dead;		/* released sub-channels (lock) */
	struct work_struct reap_work;	/* frees them outside the lock */
	struct kobject *kobj, *chans_kobj;
	struct khcl_knobs *knobs;	/* module parameters, mirrored */

	bool rxq_stalled;		/* a message was left in the mailbox */
	u64 rxq_deferred, txq_dropped, bad_type, unknown_events;
};

extern struct khcl_vmbus khcl_vmbus;

/* main.c */
void khcl_vmbus_tx_flush(void);

/* vsp.c */
void khcl_vsp_chan_close(struct khcl_vsp_chan *ch);
void khcl_vmbus_ctl_work(struct work_struct *w);

/* chan.c: a channel's data path; its server is ch->vb */
struct khcl_vsp_chan *khcl_chan_alloc(struct khcl_vmbus *vb,
				      struct khcl_vsp *vsp);
int khcl_chan_open(struct khcl_vsp_chan *ch, struct khcl_vmb_gpadl *ring,
		   u32 downstream, const u8 *userdata);
int khcl_chan_serve(struct khcl_vsp_chan *ch, void *in_map, u32 in_bytes,
		    void *out_map, u32 out_bytes, const u8 *userdata);
void khcl_chan_stop(struct khcl_vsp_chan *ch);
void khcl_chan_close(struct khcl_vsp_chan *ch);
void khcl_chan_event(struct khcl_vsp_chan *ch);
void khcl_chan_kick(struct khcl_vsp_chan *ch);
extern bool khcl_chan_timing;	/* khcl_vmbus.timing */
void khcl_chan_ctl_done(struct khcl_vsp_req *req, long result);
void khcl_chan_sysfs_add(struct khcl_vsp_chan *ch);
void khcl_chan_sysfs_del(struct khcl_vsp_chan *ch);

/* sysfs.c */
int khcl_vmbus_sysfs_init(struct khcl_vmbus *vb);
void khcl_vmbus_sysfs_exit(struct khcl_vmbus *vb);

#endif /* KHCL_VMBUS_PRIV_H */
