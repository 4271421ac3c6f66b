/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khcl VTL0 test guest: VMBus client transport over the rig mailbox.
 * Private declarations shared by the files of khcl_vmbus_guest.ko.
 */
#ifndef TG_VMBUS_GUEST_H
#define TG_VMBUS_GUEST_H

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
#define TG_MAX_IDS		KHCL_MBOX_EVENTS

/* First GPADL handle handed out (as Hyper-V guests do). */
#define TG_GPADL_FIRST	0xe1e10

/* Size of the VMBus packet trailer (previous packet's indices). */
#define TG_PKT_TRAILER	sizeof(u64)

/* The CPU INITIATE_CONTACT names, non-perf channels' CPU (VMBUS_CONNECT_CPU). */
#define TG_CONNECT_CPU	0

/*
 * hv_cpu_number_to_vp_number(): Hyper-V's VP index of a CPU. The test
 * guest has no hv_vp_index[]; the VP number of its CPU n is n.
 */
static inline u32 tg_cpu_to_vp(unsigned int cpu)
{
	return cpu;
}

enum tg_conn_state {
	TG_CONN_IDLE,		/* no mailbox device */
	TG_CONN_WAITING,	/* waiting for VTL2 to come up */
	TG_CONN_NEGOTIATING,	/* INITIATE_CONTACT in flight */
	TG_CONN_CONNECTED,	/* version agreed, offers requested */
	TG_CONN_FAILED,	/* gave up; idle until unload */
	TG_CONN_UNLOADING,
	TG_CONN_DISCONNECTED,
};

struct tg_stats {
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
struct tg_vmbus {
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

	enum tg_conn_state state;
	bool stopping;			/* under channel_mutex */
	u32 version;
	u32 msg_conn_id;

	spinlock_t req_lock;		/* reqs */
	struct list_head reqs;

	struct mutex channel_mutex;	/* channels, sub-channel lists */
	struct list_head channels;	/* primary channels */
	struct vmbus_channel __rcu *relid_map[TG_MAX_IDS];
	atomic_t gpadl_next;
	/* init_vp_index(): hv_context.hv_numa_map[], next_numa_node_id */
	struct cpumask *numa_map;	/* nr_node_ids; channel_mutex */
	unsigned int next_numa_node;	/* channel_mutex */

	void *int_page;
	void *monitor_pages[2];
	struct completion offers_done;
	atomic_t live_devices;
	wait_queue_head_t dev_wq;

	struct tg_stats stats;
};

extern struct tg_vmbus tg_vb;

/* Module parameters (main.c). */
extern unsigned int tg_wait_s;
extern unsigned int tg_poll_ms;
extern unsigned int tg_max_version;
extern unsigned int tg_req_timeout_ms;
extern unsigned int tg_post_timeout_ms;

/* A request waiting for its response message. */
struct tg_req {
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
int tg_mbox_register(void);
void tg_mbox_unregister(void);
int tg_mbox_wait_peer(struct tg_vmbus *vb);
int __khcl_mbox_post(struct tg_vmbus *vb, const void *msg, u32 len);
int tg_mbox_post(struct tg_vmbus *vb, const void *msg, u32 len);
void tg_mbox_signal(struct tg_vmbus *vb, u32 connection_id);
/* exported for khcl_vmbus_hostile.ko */
int tg_vmbus_test_post(const void *msg, u32 len);
void tg_vmbus_test_signal(u32 connection_id);

/* conn.c */
void tg_conn_init(struct tg_vmbus *vb);
int tg_conn_start(struct tg_vmbus *vb);
void tg_conn_shutdown(struct tg_vmbus *vb);
void tg_conn_free(struct tg_vmbus *vb);
void tg_conn_on_message(struct tg_vmbus *vb, const u8 *buf, u32 len);
void tg_req_init(struct tg_req *req, u32 resp_type,
		   struct vmbus_channel *channel);
void tg_req_add(struct tg_vmbus *vb, struct tg_req *req);
int tg_req_wait(struct tg_vmbus *vb, struct tg_req *req);
void tg_req_cancel(struct tg_vmbus *vb, struct tg_req *req);
const char *tg_conn_state_name(enum tg_conn_state state);
void tg_clear_allocated_cpu(struct tg_vmbus *vb, struct vmbus_channel *ch);

/* channel.c */
struct vmbus_channel *tg_channel_alloc(const struct vmbus_channel_offer_channel *offer);
void tg_channel_free(struct vmbus_channel *channel);
void tg_channel_destroy(struct tg_vmbus *vb, struct vmbus_channel *channel);
void tg_reset_channel_cb(struct vmbus_channel *channel);
void tg_channel_event(struct tg_vmbus *vb, u32 relid);
void tg_channel_signal(struct vmbus_channel *channel);
void tg_channel_rescinded(struct tg_vmbus *vb,
			    struct vmbus_channel *channel);
int tg_send_relid_released(struct tg_vmbus *vb, u32 relid);

/* ring.c */
int tg_ring_init(struct hv_ring_buffer_info *rbi, struct page *pages,
		   u32 page_cnt, u32 max_pkt_size);
void tg_ring_cleanup(struct hv_ring_buffer_info *rbi);
int tg_ring_write(struct vmbus_channel *channel, const struct kvec *kv,
		    u32 kv_count, u64 requestid);

/* rqstor.c */
int tg_rqstor_alloc(struct vmbus_channel *channel, u32 size);
void tg_rqstor_free(struct vmbus_channel *channel);

/* bus.c */
int tg_bus_register(void);
void tg_bus_unregister(void);
int tg_device_register(struct tg_vmbus *vb, struct vmbus_channel *channel);
void tg_device_unregister(struct hv_device *hv_dev);

#endif /* TG_VMBUS_GUEST_H */
