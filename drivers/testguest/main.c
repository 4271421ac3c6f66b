// SPDX-License-Identifier: GPL-2.0
/*
 * khcl_vmbus_guest: the VTL0 test guest's VMBus client transport.
 *
 * Stands in for hv_vmbus.ko so the stock, unmodified hv_storvsc.ko and
 * hv_netvsc.ko of Linux 6.12 load and probe in a QEMU VM that has no
 * Hyper-V. It speaks the real VMBus channel-message protocol
 * (include/linux/hyperv.h) with khcl's VMBus server in the VTL2 VM, but
 * carries messages and events over the rig mailbox
 * (include/khcl/mailbox.h, an ivshmem-doorbell BAR) instead of SynIC
 * pages and hypercalls.
 *
 * Files:
 *   (this one) this note, module parameters, init/exit
 *   bus.c      the "vmbus" bus_type, hv_driver registration, hv_device
 *              registration, sysfs
 *   mbox.c     ivshmem-doorbell pci_driver: mailbox slots, event flags,
 *              doorbells, MSI-X interrupt or polling
 *   conn.c     connection: version negotiation, offers, rescinds,
 *              request/response matching, unload
 *   channel.c  vmbus_open/close, GPADLs, packet send, channel events
 *   ring.c     ring buffer write and packet iteration
 *   rqstor.c   request-id allocator (vmbus_next_request_id & co)
 *   echo_client.c  separate module khcl_echo_client.ko (test client)
 *   hostile.c  separate module khcl_vmbus_hostile.ko (rig attack cases;
 *              uses tg_vmbus_test_post/_signal exported by mbox.c)
 *
 * Lifecycle: module init registers the bus and the pci_driver. Probe of
 * the mailbox device (1af4:1110 with a BAR1) maps it, publishes our peer
 * id and state UP, waits up to wait_s seconds for VTL2, negotiates a
 * version (newest first, capped by max_version), requests offers and
 * waits until the offered devices are registered, so insmod returns
 * connected (or, after a timeout, idle: the module stays loaded and
 * unloads cleanly). Every primary offer becomes an hv_device on
 * /sys/bus/vmbus; sub-channel offers go to the primary's
 * sc_creation_callback. rmmod removes the devices, sends UNLOAD, waits
 * for UNLOAD_RESPONSE and publishes state DOWN; insmod again reconnects.
 *
 * Counters and state: /sys/bus/vmbus/khcl/.
 *
 * Loading: the stock clients were linked against hv_vmbus.ko. Installed
 * with modules_install (external modules go to updates/), depmod resolves
 * their symbols to this module, so modprobe hv_storvsc works; hv_vmbus.ko
 * itself must never be loaded (it fails without Hyper-V).
 *
 * Mailbox cursors survive a reload in hdr->vtl0.reserved[0..3] (see
 * mbox.c): VTL2 keeps its own cursors across guest sessions.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>

#include "testguest.h"

unsigned int tg_wait_s = 120;
module_param_named(wait_s, tg_wait_s, uint, 0444);
MODULE_PARM_DESC(wait_s,
		 "Seconds to wait for the VTL2 VMBus server to come up (default 120)");

unsigned int tg_poll_ms;
module_param_named(poll_ms, tg_poll_ms, uint, 0444);
MODULE_PARM_DESC(poll_ms,
		 "Also poll the mailbox every N ms (0 = interrupts only; forced to 10 without MSI-X)");

unsigned int tg_max_version = VERSION_WIN10_V5_3;
module_param_named(max_version, tg_max_version, uint, 0444);
MODULE_PARM_DESC(max_version,
		 "Newest VMBus protocol version to try, (major << 16) | minor, e.g. 0x50003 (5.3), 0x40001 (4.1)");

unsigned int tg_req_timeout_ms = 30000;
module_param_named(req_timeout_ms, tg_req_timeout_ms, uint, 0644);
MODULE_PARM_DESC(req_timeout_ms,
		 "Milliseconds to wait for a response message from VTL2 (default 30000)");

unsigned int tg_post_timeout_ms = 10000;
module_param_named(post_timeout_ms, tg_post_timeout_ms, uint, 0644);
MODULE_PARM_DESC(post_timeout_ms,
		 "Milliseconds to retry posting into a busy mailbox slot (default 10000)");

/* Negotiated protocol version; 0 until connected. */
__u32 vmbus_proto_version;
EXPORT_SYMBOL_GPL(vmbus_proto_version);

struct tg_vmbus tg_vb;

static int __init tg_vmbus_init(void)
{
	int ret;

	tg_conn_init(&tg_vb);

	ret = tg_bus_register();
	if (ret)
		return ret;

	ret = tg_mbox_register();
	if (ret) {
		tg_bus_unregister();
		return ret;
	}
	return 0;
}

static void __exit tg_vmbus_exit(void)
{
	tg_mbox_unregister();
	tg_bus_unregister();
}

module_init(tg_vmbus_init);
module_exit(tg_vmbus_exit);

MODULE_DESCRIPTION("khcl test guest: VMBus client transport over the rig mailbox");
MODULE_LICENSE("GPL");
