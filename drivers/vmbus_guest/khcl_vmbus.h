/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khcl VTL0 test guest: VMBus client transport over the rig mailbox.
 * Private declarations shared by the files of khcl_vmbus_guest.ko.
 */
#ifndef KHCL_VMBUS_GUEST_H
#define KHCL_VMBUS_GUEST_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/hyperv.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <khcl/mailbox.h>

/* Relids and connection ids index the event flag arrays. */
#define KHCL_MAX_IDS		KHCL_MBOX_EVENTS

/* First GPADL handle handed out (as Hyper-V guests do). */
#define KHCL_GPADL_FIRST	0xe1e10

/* Size of the VMBus packet trailer (previous packet's indices). */
#define KHCL_PKT_TRAILER	sizeof(u64)

/* The CPU INITIATE_CONTACT names, non-perf channels' CPU (VMBUS_CONNECT_CPU). */
#define KHCL_CONNECT_CPU	0

/*
 * hv_cpu_number_to_vp_number(): Hyper-V's VP index of a CPU. The test
 * guest has no hv_vp_index[]; the VP number of its CPU n is n.
 */
static inline u32 khcl_cpu_to_vp(unsigned int cpu)
{
	return cpu;
}

enum khcl_conn_state {
	KHCL_CONN_IDLE,		/* no mailbox device */
	KHCL_CONN_WAITING,	/* waiting for VTL2 to come up */
	KHCL_CONN_NEGOTIATING,	/* INITIATE_CONTACT in flight */
	KHCL_CONN_CONNECTED,	/* version agreed, offers requested */
	KHCL_CONN_FAILED,	/* gave up; idle until unload */
	KHCL_CONN_UNLOADING,
	KHCL_CONN_DISCONNECTED,
};

struct khcl_stats {
	atomic64_t msgs_sent;
	atomic64_t msgs_recv;
	atomic64_t msgs_dropped;	/* malformed or unexpected */
	atomic64_t post_busy;		/* slot busy on first try */
	atomic64_t post_timeouts;
	atomic64_t events_sent;
	atomic64_t events_recv;
	atomic64_t doorbells;
	atomic64_t irqs;
	atomic64_t polls;
	atomic64_t rx_resyncs;		/* receive cursor re-found */
};

/* The one VMBus connection (there is one mailbox per guest). */
struct khcl_vmbus {
	bool present;			/* mailbox device bound */
	s64 contact_rtt_us;		/* INITIATE_CONTACT round trip */
	struct pci_dev *pdev;
	void __iomem *regs;		/* ivshmem BAR0 */
	void *shm;			/* ivshmem BAR2: the mailbox */
	struct khcl_mbox_hdr *hdr;
	struct khcl_mbox_msg *tx_slots;	/* towards VTL2 */
	struct khcl_mbox_msg *rx_slots;	/* towards VTL0 */
	u8 *tx_events;			/* indexed by connection id */
	u8 *rx_events;			/* indexed by relid */
	u32 own_peer;
	bool vtl2_known;		/* vtl2_peer is valid */
	u32 vtl2_peer;
	u32 vtl2_generation;
	int irq;			/* 0: none */
	unsigned int poll_ms;		/* 0: no polling */
	struct timer_list poll_timer;

	struct mutex tx_lock;		/* tx_cursor and tx slots */
	u32 tx_cursor;
	u32 rx_cursor;			/* only the rx work touches it */
	struct khcl_mbox_msg rx_copy;	/* only the rx work touches it */
	struct work_struct rx_work;

	struct workqueue_struct *rx_wq;		/* mailbox -> messages */
	struct workqueue_struct *chan_wq;	/* offers, rescinds, in order */
	struct workqueue_struct *pri_wq;	/* device registration */
	struct workqueue_struct *sub_wq;	/* sub-channel callbacks */
	struct workqueue_struct *rescind_wq;

	enum khcl_conn_state state;
	bool stopping;			/* under channel_mutex */
	u32 version;
	u32 msg_conn_id;

	spinlock_t req_lock;		/* reqs */
	struct list_head reqs;

	struct mutex channel_mutex;	/* channels, sub-channel lists */
	struct list_head channels;	/* primary channels */
	struct vmbus_channel __rcu *relid_map[KHCL_MAX_IDS];
	atomic_t gpadl_next;
	/* init_vp_index(): hv_context.hv_numa_map[], next_numa_node_id */
	struct cpumask *numa_map;	/* nr_node_ids; channel_mutex */
	unsigned int next_numa_node;	/* channel_mutex */

	void *int_page;
	void *monitor_pages[2];
	struct completion offers_done;
	atomic_t live_devices;
	wait_queue_head_t dev_wq;

	struct khcl_stats stats;
};

extern struct khcl_vmbus khcl_vb;

/* Module parameters (main.c). */
extern unsigned int khcl_wait_s;
extern unsigned int khcl_poll_ms;
extern unsigned int khcl_max_version;
extern unsigned int khcl_req_timeout_ms;
extern unsigned int khcl_post_timeout_ms;

/* A request waiting for its response message. */
struct khcl_req {
	struct list_head node;
	u32 resp_type;			/* CHANNELMSG_* awaited */
	bool match_relid;
	u32 relid;
	bool match_key;
	u32 key;			/* openid or gpadl handle */
	struct vmbus_channel *channel;	/* woken when it is rescinded */
	struct completion done;
	bool finished;			/* under req_lock */
	int status;			/* 0, -ENODEV, -ESHUTDOWN */
	u8 resp[KHCL_SYNIC_PAYLOAD];
};

/* mbox.c */
int khcl_mbox_register(void);
void khcl_mbox_unregister(void);
int khcl_mbox_wait_peer(struct khcl_vmbus *vb);
int __khcl_mbox_post(struct khcl_vmbus *vb, const void *msg, u32 len);
int khcl_mbox_post(struct khcl_vmbus *vb, const void *msg, u32 len);
void khcl_mbox_signal(struct khcl_vmbus *vb, u32 connection_id);
/* exported for khcl_vmbus_hostile.ko */
int khcl_vmbus_test_post(const void *msg, u32 len);
void khcl_vmbus_test_signal(u32 connection_id);

/* conn.c */
void khcl_conn_init(struct khcl_vmbus *vb);
int khcl_conn_start(struct khcl_vmbus *vb);
void khcl_conn_shutdown(struct khcl_vmbus *vb);
void khcl_conn_free(struct khcl_vmbus *vb);
void khcl_conn_on_message(struct khcl_vmbus *vb, const u8 *buf, u32 len);
void khcl_req_init(struct khcl_req *req, u32 resp_type,
		   struct vmbus_channel *channel);
void khcl_req_add(struct khcl_vmbus *vb, struct khcl_req *req);
int khcl_req_wait(struct khcl_vmbus *vb, struct khcl_req *req);
void khcl_req_cancel(struct khcl_vmbus *vb, struct khcl_req *req);
const char *khcl_conn_state_name(enum khcl_conn_state state);
void khcl_clear_allocated_cpu(struct khcl_vmbus *vb, struct vmbus_channel *ch);

/* channel.c */
struct vmbus_channel *khcl_channel_alloc(const struct vmbus_channel_offer_channel *offer);
void khcl_channel_free(struct vmbus_channel *channel);
void khcl_channel_destroy(struct khcl_vmbus *vb, struct vmbus_channel *channel);
void khcl_reset_channel_cb(struct vmbus_channel *channel);
void khcl_channel_event(struct khcl_vmbus *vb, u32 relid);
void khcl_channel_signal(struct vmbus_channel *channel);
void khcl_channel_rescinded(struct khcl_vmbus *vb,
			    struct vmbus_channel *channel);
int khcl_send_relid_released(struct khcl_vmbus *vb, u32 relid);

/* ring.c */
int khcl_ring_init(struct hv_ring_buffer_info *rbi, struct page *pages,
		   u32 page_cnt, u32 max_pkt_size);
void khcl_ring_cleanup(struct hv_ring_buffer_info *rbi);
int khcl_ring_write(struct vmbus_channel *channel, const struct kvec *kv,
		    u32 kv_count, u64 requestid);

/* rqstor.c */
int khcl_rqstor_alloc(struct vmbus_channel *channel, u32 size);
void khcl_rqstor_free(struct vmbus_channel *channel);

/* bus.c */
int khcl_bus_register(void);
void khcl_bus_unregister(void);
int khcl_device_register(struct khcl_vmbus *vb, struct vmbus_channel *channel);
void khcl_device_unregister(struct hv_device *hv_dev);

#endif /* KHCL_VMBUS_GUEST_H */
