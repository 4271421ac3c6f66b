/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test hooks of khcl_vmbus_guest.ko for khcl_vmbus_hostile.ko: raw channel
 * messages and event flags towards VTL2, bypassing every check.
 */
#ifndef TG_VMBUS_TEST_H
#define TG_VMBUS_TEST_H

#include <linux/types.h>

int tg_vmbus_test_post(const void *msg, u32 len);
void tg_vmbus_test_signal(u32 connection_id);
/* Set how long a request waits for VTL2 (ms); returns the old value. */
unsigned int tg_vmbus_test_req_timeout(unsigned int ms);
/*
 * @fn sees every channel message from VTL2 (a copy, before this module
 * acts on it; process context, under rcu_read_lock: it must not sleep).
 * NULL stops it and waits until no call is running.
 */
typedef void tg_vmbus_test_watch_fn(const u8 *msg, u32 len);
void tg_vmbus_test_watch(tg_vmbus_test_watch_fn *fn);

/* khcl_vmbus_hostile.ko: the lying storvsc (hostile_vstor.c) */
extern struct hv_driver tg_vstor_hostile_driver;
/* and the lying netvsc (hostile_netvsc.c) */
extern struct hv_driver tg_netvsc_hostile_driver;

#endif /* TG_VMBUS_TEST_H */
