/* pynn.h: the C core's contract with Python: the activation enum, the thread pool, and every
 * kernel (declared once, for either dtype, in kernels.h, which this includes per dtype).
 *
 * csrc/build_ffi.py hands these declarations to cffi's cdef (comments and '#' lines stripped,
 * kernels.h expanded per dtype), so this file is both the C header and the binding's contract.
 *
 * The rules every kernel keeps:
 *   - it is written once, as a template (csrc/<name>_template.h) that instantiate.h compiles
 *     for float32 (_f32) and float64 (_f64);
 *   - arrays are C-contiguous and row-major; sizes and indices are int64_t;
 *   - the caller passes every array, outputs included; working memory beyond them comes from
 *     the caller or from the calling thread's scratch arena (runtime.h), never from a large
 *     stack frame: a thread may have a stack of 128 KiB;
 *   - no global mutable state (per-thread state only), so it is re-entrant and any number of
 *     threads may call it at once; cffi releases the GIL for the call;
 *   - a kernel that splits its work over threads runs on the pynn_pool it is given, never on
 *     threads of its own, and gives the same bits on any number of threads;
 *   - it builds warning-free under -Wall -Wextra with -O3 -fno-math-errno -fno-trapping-math:
 *     never -ffast-math (NaN, infinity and subnormals keep their meaning), never -march=native
 *     (a wider vector unit is used through run-time dispatch: code compiled with a target
 *     attribute, picked with __builtin_cpu_supports), never -std=c99 (it turns off the
 *     contraction of a * b + c into FMA).
 */
#ifndef PYNN_H
#define PYNN_H

#include <stdint.h>

/* The activation fused into a matmul's epilogue and undone by linear_backward. New ones are
 * added at the end, so that the values of these stay as they are. */
typedef enum {
    PYNN_ACT_NONE = 0,
    PYNN_ACT_RELU = 1,
    PYNN_ACT_SIGMOID = 2,
    PYNN_ACT_TANH = 3
} pynn_act;

/* A pool of threads for the kernels that split their work (matmul, linear_backward), which
 * take it as their last argument; NULL runs them on the calling thread alone. nthreads counts
 * the caller: a pool of n starts n - 1 workers (at most 1023), at its first large product.
 * Calls from several threads may share a pool: one at a time uses its workers, the others run
 * alone. In a forked child, a kernel given the parent's pool runs alone (the workers are not in
 * the child): the child makes a pool of its own, and pynn_pool_free of the parent's copy only
 * frees its memory. pynn_pool_free must not be called while a kernel uses the pool. NULL from
 * pynn_pool_new means out of memory. */
typedef struct pynn_pool pynn_pool;
pynn_pool *pynn_pool_new(int nthreads);
void pynn_pool_free(pynn_pool *pool);

/* The kernels, float32 then float64 (kernels.h declares each once, for either dtype). */
#define real float
#define SUFFIX(name) name##_f32
#include "kernels.h"
#undef real
#undef SUFFIX
#define real double
#define SUFFIX(name) name##_f64
#include "kernels.h"
#undef real
#undef SUFFIX

#endif
