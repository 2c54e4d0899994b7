/* runtime.h: what the kernels use internally from the C core's run-time support (scratch.c,
 * pool.c). Python never
 * calls these, so they are not in pynn.h (the cffi contract), and they are hidden from the
 * shared library's exports. */
#ifndef PYNN_RUNTIME_H
#define PYNN_RUNTIME_H

#include <stddef.h>
#include <stdint.h>
#include "pynn.h"

#if defined(__GNUC__)
#define PYNN_INTERNAL __attribute__((visibility("hidden")))
#else
#define PYNN_INTERNAL
#endif

/* At least `bytes` of 64-byte-aligned memory that belongs to the calling thread: its scratch
 * arena, allocated on the heap at the thread's first call, grown when a call needs more, kept
 * for the next call and freed when the thread exits. The memory is the thread's until its next
 * call here. NULL if it cannot be allocated. */
PYNN_INTERNAL void *pynn_scratch(size_t bytes);

/* How many threads a run on the pool may use, the caller's included: 1 for NULL. */
PYNN_INTERNAL int64_t pynn_pool_threads(const pynn_pool *pool);

/* task(arg, t) for every t in [0, ntasks), ntasks <= pynn_pool_threads(pool), all at once:
 * task 0 on the calling thread, each other on a worker of the pool; returns 1 when all have
 * run. Returns 0 having run none when the pool cannot take them (NULL, fewer than 2 tasks,
 * another caller running on it, or a copy of a pool inherited by a forked child): the caller
 * then does the work alone. */
PYNN_INTERNAL int pynn_pool_run(pynn_pool *pool, void (*task)(void *arg, int64_t t), void *arg,
                                int64_t ntasks);

#endif
