/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khcl platform core API (vtl2/): the VTL0 memory map and the
 * /sys/kernel/khcl root. Backends (drivers/ivshmem, drivers/hyperv) tell
 * the core where VTL0 RAM is; the VSPs turn guest GPAs into pages.
 */
#ifndef KHCL_VTL2_H
#define KHCL_VTL2_H

#include <linux/types.h>
#include <linux/kobject.h>
#include <linux/memremap.h>
#include "synic.h"

/* /sys/kernel/khcl: every khcl module hangs its knobs and stats here. */
extern struct kobject *khcl_kobj;

/*
 * Mirror every module parameter of @mod as an attribute of @dir (e.g.
 * /sys/kernel/khcl/<module>/), same mode, through the parameter's ops.
 * Names @dir already has are left to it. NULL on no memory.
 */
struct khcl_knobs;
struct module;
struct khcl_knobs *khcl_knobs_add(struct kobject *dir, struct module *mod);
/* The same in a new /sys/kernel/khcl/@name/, removed with the knobs. */
struct khcl_knobs *khcl_knobs_dir(const char *name, struct module *mod);
void khcl_knobs_remove(struct khcl_knobs *k);

/*
 * Declare VTL0 RAM [gpa, gpa + len) as found at host physical address
 * phys in VTL2's address space (identity on Hyper-V, a BAR in the rig),
 * and register it at once as compound ZONE_DEVICE pages (their order from
 * the alignment of phys and len). Whole memory sections only, apart from
 * VTL2's own RAM: -EINVAL otherwise; -ENOMEM past max_memmap_kb.
 */
int khcl_vtl0mem_add(u64 gpa, u64 len, phys_addr_t phys);
/*
 * Drop every range; -EBUSY (nothing dropped) while a page from
 * khcl_vtl0mem_get_page() is still held.
 */
int khcl_vtl0mem_remove_all(void);

/*
 * 0 if [gpa, gpa + len) is VTL0 RAM (registered when it was declared),
 * else -EFAULT, counted. May sleep: open / GPADL time, not the I/O path.
 */
int khcl_vtl0mem_prepare(u64 gpa, u64 len);

/*
 * The page of a prepared GPA, with a pgmap reference held until
 * khcl_vtl0mem_put_page(). Returns NULL (and counts it) for a GPA outside
 * VTL0 RAM. May be a tail page of a compound page: write none of its
 * struct page fields. Does not sleep.
 */
struct page *khcl_vtl0mem_get_page(u64 gpa);
void khcl_vtl0mem_put_page(struct page *page);

/*
 * [gpa, gpa + len) as bio_vecs (at most @max), each page held as above;
 * returns how many, or -EFAULT (not prepared VTL0 RAM), -E2BIG, -EINVAL
 * (empty or wrapping range). Release with khcl_vtl0mem_put_bvecs().
 */
struct bio_vec;
int khcl_vtl0mem_get_bvecs(u64 gpa, u32 len, struct bio_vec *bv,
			   unsigned int max);
void khcl_vtl0mem_put_bvecs(struct bio_vec *bv, unsigned int n);
struct khcl_gpa_buf;	/* vmbus_wire.h: a GPA-direct buffer */

/*
 * The first @len bytes of a guest buffer named by a GPA-direct page list
 * (@b: PFNs, offset into the first page, length; the struct the VSTOR and
 * NVSP cores hand out) as bio_vecs: physically contiguous pages merged
 * into one bio_vec (which then spans pages), one GPA-map check and one
 * pgmap reference per bio_vec. Returns how many (at most @max), or
 * -EFAULT (a page outside VTL0 RAM, too few PFNs), -E2BIG, -EINVAL (no
 * length, more than the buffer, an offset past the first page). Release
 * with khcl_vtl0mem_put_bvecs(). Does not sleep.
 */
int khcl_vtl0mem_buf_bvecs(const struct khcl_gpa_buf *b, u32 len,
			   struct bio_vec *bv, unsigned int max);

/*
 * Copy @len bytes between @buf and the start of the guest buffer @b.
 * Every page must be VTL0 RAM; 0, or -EFAULT (a page outside it, or the
 * list too short), -EINVAL (more than the buffer, an offset not inside
 * the first page), with nothing outside VTL0 RAM touched.
 */
int khcl_vtl0mem_copy(const struct khcl_gpa_buf *b, void *buf, u32 len,
		      bool to_guest);
/* The same for bytes [@skip, @skip + @len) of the guest buffer. */
int khcl_vtl0mem_copy_at(const struct khcl_gpa_buf *b, u32 skip, void *buf,
			 u32 len, bool to_guest);

/*
 * Message/event transport towards VTL0, shaped on the SynIC so the Hyper-V
 * backend fits unchanged. A backend (drivers/ivshmem in the rig, the
 * hypercall/intercept code on Hyper-V, a loopback in KUnit) registers a
 * struct khcl_transport; the VMBus server attaches as its one client.
 *
 * Messages: up to 240 payload bytes with a type, posted to a VP and SINT;
 * one pending per slot, so post() may return -EAGAIN and the sender
 * retries. Events: flags per connection id (towards VTL2) or per channel
 * (towards VTL0). Client callbacks may run in atomic context (on Hyper-V
 * they come from the intercepted VP's CPU): they copy and queue, nothing
 * more.
 */

struct khcl_synic_msg {
	u32 type;		/* SynIC message type, never 0 */
	u32 conn_id;		/* port the guest posted to */
	u32 vp;			/* VP that posted it */
	u8 sint;
	u8 len;			/* <= KHCL_SYNIC_PAYLOAD */
	u8 payload[KHCL_SYNIC_PAYLOAD];
};

struct khcl_transport;

struct khcl_transport_ops {
	int (*post)(struct khcl_transport *t, u32 vp, u8 sint, u32 type,
		    const void *payload, u32 len);
	void (*signal)(struct khcl_transport *t, u32 vp, u8 sint, u32 flag);
	/* look for messages again (the client had no room before) */
	void (*kick)(struct khcl_transport *t);
};

struct khcl_transport {
	const char *name;
	const struct khcl_transport_ops *ops;
	void *priv;
};

struct khcl_transport_client {
	/*
	 * false: no room now; the backend leaves the message (and those
	 * after it) in place until the client calls khcl_transport_kick().
	 */
	bool (*msg)(struct khcl_transport_client *c,
		    const struct khcl_synic_msg *m);
	void (*event)(struct khcl_transport_client *c, u32 conn_id);
	/* a backend (re)appeared: the guest may have restarted */
	void (*up)(struct khcl_transport_client *c);
	/*
	 * The guest was reset (it rebooted without an UNLOAD; on Hyper-V the
	 * host tells the paravisor before VTL0 runs again). Process context;
	 * returns once nothing of the old guest is in use: channels closed,
	 * DMA into its memory ended, mappings gone.
	 */
	void (*reset)(struct khcl_transport_client *c);
};

/* Backends. */
int khcl_transport_register(struct khcl_transport *t);
void khcl_transport_unregister(struct khcl_transport *t);
bool khcl_transport_deliver_msg(struct khcl_transport *t,
				const struct khcl_synic_msg *m);
void khcl_transport_deliver_event(struct khcl_transport *t, u32 conn_id);
/* The guest was reset; process context, returns when the client is done. */
void khcl_transport_deliver_reset(struct khcl_transport *t);

/* The client (the VMBus server). */
int khcl_transport_attach(struct khcl_transport_client *c);
void khcl_transport_detach(struct khcl_transport_client *c);
/* -ENODEV without a backend, -EAGAIN when the slot is busy. */
int khcl_transport_post(u32 vp, u8 sint, u32 type, const void *payload,
			u32 len);
void khcl_transport_signal(u32 vp, u8 sint, u32 flag);
void khcl_transport_kick(void);

#endif /* KHCL_VTL2_H */
