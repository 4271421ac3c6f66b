/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types and helpers shared by khcl's pure-C protocol cores, so the same
 * file builds in the kernel (KUnit) and in user space (tests, libFuzzer).
 */
#ifndef KHCL_COMPAT_H
#define KHCL_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/overflow.h>
#include <linux/errno.h>
#include <linux/compiler.h>
#include <linux/string.h>
#include <asm/barrier.h>

#include <linux/slab.h>

#define khcl_zalloc(n, size)		kvcalloc(n, size, GFP_KERNEL)
#define khcl_free(p)			kvfree(p)
/*
 * Barriers of the ring cores: the guest is the other party, on another
 * CPU (or in another VM); callers comment what each one pairs with.
 */
#define khcl_load_acquire(p)		smp_load_acquire(p)	/* see above */
#define khcl_store_release(p, v)	smp_store_release(p, v)	/* see above */
#define khcl_mb()			smp_mb()		/* see above */
#else
#include <string.h>
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <errno.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)
#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define KHCL_ATTR(a) __attribute__((a))
#define __packed KHCL_ATTR(packed)
#include <stdlib.h>
#define khcl_zalloc(n, size)		calloc(n, size)
#define khcl_free(p)			free(p)
#define khcl_load_acquire(p)		__atomic_load_n(p, __ATOMIC_ACQUIRE)
#define khcl_store_release(p, v)	__atomic_store_n(p, v, __ATOMIC_RELEASE)
#define khcl_mb()			__atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

#endif /* KHCL_COMPAT_H */
