// SPDX-License-Identifier: GPL-2.0
/*
 * khcl platform core: the message/event transport between one backend and
 * one client (see khcl_vtl2.h). Both sides may come and go in any order;
 * calls across go through RCU so a backend interrupt never races a module
 * unload on the other side.
 */
#define pr_fmt(fmt) "khcl_transport: " fmt

#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/mutex.h>
#include "../include/khcl/khcl_vtl2.h"

static struct khcl_transport __rcu *khcl_backend;
static struct khcl_transport_client __rcu *khcl_client;
static DEFINE_MUTEX(khcl_transport_lock);

int khcl_transport_register(struct khcl_transport *t)
{
	struct khcl_transport_client *c;
	int ret = 0;

	mutex_lock(&khcl_transport_lock);
	if (rcu_access_pointer(khcl_backend)) {
		ret = -EBUSY;
		goto out;
	}
	rcu_assign_pointer(khcl_backend, t);
	c = rcu_dereference_protected(khcl_client,
				      lockdep_is_held(&khcl_transport_lock));
	if (c && c->up)
		c->up(c);
	pr_info("backend %s registered\n", t->name);
out:
	mutex_unlock(&khcl_transport_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(khcl_transport_register);

void khcl_transport_unregister(struct khcl_transport *t)
{
	mutex_lock(&khcl_transport_lock);
	if (rcu_access_pointer(khcl_backend) == t)
		RCU_INIT_POINTER(khcl_backend, NULL);
	mutex_unlock(&khcl_transport_lock);
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(khcl_transport_unregister);

bool khcl_transport_deliver_msg(struct khcl_transport *t,
				const struct khcl_synic_msg *m)
{
	struct khcl_transport_client *c;
	bool taken = true;	/* nobody listening: nothing to wait for */

	rcu_read_lock();
	c = rcu_dereference(khcl_client);
	if (c && rcu_access_pointer(khcl_backend) == t)
		taken = c->msg(c, m);
	rcu_read_unlock();
	return taken;
}
EXPORT_SYMBOL_GPL(khcl_transport_deliver_msg);

void khcl_transport_deliver_event(struct khcl_transport *t, u32 conn_id)
{
	struct khcl_transport_client *c;

	rcu_read_lock();
	c = rcu_dereference(khcl_client);
	if (c && rcu_access_pointer(khcl_backend) == t)
		c->event(c, conn_id);
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(khcl_transport_deliver_event);

void khcl_transport_deliver_reset(struct khcl_transport *t)
{
	struct khcl_transport_client *c;

	might_sleep();
	mutex_lock(&khcl_transport_lock);
	c = rcu_dereference_protected(khcl_client,
				      lockdep_is_held(&khcl_transport_lock));
	if (c && c->reset && rcu_access_pointer(khcl_backend) == t)
		c->reset(c);
	mutex_unlock(&khcl_transport_lock);
}
EXPORT_SYMBOL_GPL(khcl_transport_deliver_reset);

int khcl_transport_attach(struct khcl_transport_client *c)
{
	int ret = 0;

	mutex_lock(&khcl_transport_lock);
	if (rcu_access_pointer(khcl_client))
		ret = -EBUSY;
	else
		rcu_assign_pointer(khcl_client, c);
	mutex_unlock(&khcl_transport_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(khcl_transport_attach);

void khcl_transport_detach(struct khcl_transport_client *c)
{
	mutex_lock(&khcl_transport_lock);
	if (rcu_access_pointer(khcl_client) == c)
		RCU_INIT_POINTER(khcl_client, NULL);
	mutex_unlock(&khcl_transport_lock);
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(khcl_transport_detach);

int khcl_transport_post(u32 vp, u8 sint, u32 type, const void *payload,
			u32 len)
{
	struct khcl_transport *t;
	int ret = -ENODEV;

	if (len > KHCL_SYNIC_PAYLOAD || !type)
		return -EINVAL;
	rcu_read_lock();
	t = rcu_dereference(khcl_backend);
	if (t)
		ret = t->ops->post(t, vp, sint, type, payload, len);
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(khcl_transport_post);

void khcl_transport_signal(u32 vp, u8 sint, u32 flag)
{
	struct khcl_transport *t;

	rcu_read_lock();
	t = rcu_dereference(khcl_backend);
	if (t)
		t->ops->signal(t, vp, sint, flag);
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(khcl_transport_signal);

void khcl_transport_kick(void)
{
	struct khcl_transport *t;

	rcu_read_lock();
	t = rcu_dereference(khcl_backend);
	if (t && t->ops->kick)
		t->ops->kick(t);
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(khcl_transport_kick);
