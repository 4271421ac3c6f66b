/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Force-included (-include) into fuzz_ring's build, vmbus_relay/ring.c
 * included: every access the core makes to shared ring memory through
 * READ_ONCE/WRITE_ONCE/khcl_load_acquire/khcl_store_release goes through
 * the harness's shared-memory model, which can change what the guest
 * owns before each access (a guest on another CPU). The core's source
 * is not touched; compat.h is included first so its include guard keeps
 * the originals out.
 */
#ifndef KHCL_FUZZ_RING_SHM_H
#define KHCL_FUZZ_RING_SHM_H

#include "../../include/khcl/compat.h"

u64 fr_shm_load(const void *p, size_t size);
void fr_shm_store(void *p, size_t size, u64 v);
void fr_shm_mb(void);

#undef READ_ONCE
#undef WRITE_ONCE
#undef khcl_load_acquire
#undef khcl_store_release
#undef khcl_mb
#define READ_ONCE(x)	((__typeof__(x))fr_shm_load(&(x), sizeof(x)))
#define WRITE_ONCE(x, v)	fr_shm_store(&(x), sizeof(x), (v))
#define khcl_load_acquire(p)	((__typeof__(*(p)))fr_shm_load(p, sizeof(*(p))))
#define khcl_store_release(p, v)	fr_shm_store(p, sizeof(*(p)), (v))
#define khcl_mb()	fr_shm_mb()

#endif /* KHCL_FUZZ_RING_SHM_H */
