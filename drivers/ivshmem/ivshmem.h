/* SPDX-License-Identifier: GPL-2.0 */
/* khcl rig backend (drivers/ivshmem): private definitions. */
#ifndef KHCL_IVSHMEM_H
#define KHCL_IVSHMEM_H

#include <linux/pci.h>
#include <linux/timer.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "../../include/khcl/khcl_vtl2.h"
#include "../../include/khcl/mailbox.h"

#define IVSHMEM_IVPOSITION	8	/* BAR0: our peer id */
#define IVSHMEM_DOORBELL	12	/* BAR0: peer id << 16 | vector */

struct khcl_mbox_stats {
	u64 msgs_rx, msgs_tx, tx_busy, bad_msgs, rx_deferred;
	u64 events_rx, events_tx, irqs, polls, doorbells, vtl0_resets;
};

struct khcl_ivshmem {
	struct pci_dev *pdev;
	bool mailbox;
	void __iomem *regs;
	void *shm;		/* mailbox only */
	resource_size_t shm_len;

	/* mailbox transport */
	struct khcl_transport transport;
	bool registered;
	u32 peer_id;
	u32 rx_cursor;		/* next to_vtl2 slot we read */
	u32 tx_cursor;		/* next to_vtl0 slot we write */
	spinlock_t rx_lock, tx_lock;
	int irq;
	struct timer_list poll_timer;
	/* VTL0's side, watched for a reset (mailbox.h) */
	struct timer_list watch_timer;
	struct work_struct reset_work;
	bool vtl0_reset_done;	/* the RESET vtl0.state still shows */
	struct khcl_mbox_stats stats;
};

int khcl_mbox_start(struct khcl_ivshmem *iv);
void khcl_mbox_stop(struct khcl_ivshmem *iv);

#endif /* KHCL_IVSHMEM_H */
