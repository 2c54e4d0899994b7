/* runtime.h: what the kernels use internally from the C core's run-time support. Python never
 * calls these, so they are not in pynn.h (the cffi contract), and they are hidden from the
 * shared library's exports. */
#ifndef PYNN_RUNTIME_H
#define PYNN_RUNTIME_H

#include <stddef.h>

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

#endif
