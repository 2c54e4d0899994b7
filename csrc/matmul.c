/* Matrix product with transpose flags and a fused bias + activation epilogue. */
#include <stdint.h>
#include <string.h>
#include "runtime.h"

/* The blocked product needs GCC's vector extensions (GCC and Clang); other compilers build the
 * plain loop only. Per-ISA micro-kernels need x86 target attributes. */
#if defined(__GNUC__)
#define PYNN_BLOCKED
#if defined(__x86_64__) || defined(__i386__)
#define PYNN_X86
#endif
#endif

/* Blocking, for either dtype (`real` is bound when the template is included). A register tile
 * of C is MM_MR x MM_NR: 8 x 32 floats or 8 x 16 doubles, two AVX-512 vectors wide. The packed
 * KC x NC panel of B takes MM_PACK_BYTES, KC deep (MM_KC, or MM_KC_PACKED_A when A is
 * transposed) and as wide as fits; with a packed A micro-panel and an edge tile it makes
 * MM_SCRATCH_BYTES of the thread's scratch arena. */
#ifndef MM_KC
#define MM_KC 256
#endif
#ifndef MM_KC_PACKED_A
#define MM_KC_PACKED_A 128
#endif
#ifndef MM_PACK_BYTES
#define MM_PACK_BYTES (128 * 1024)
#endif
#ifndef MM_BLOCKED_MIN
#define MM_BLOCKED_MIN (8 * 8 * 8)
#endif
/* The least m * n * k worth a thread of its own: less, and starting it costs more. */
#ifndef MM_THREAD_WORK
#define MM_THREAD_WORK (64 * 64 * 128)
#endif
#define MM_MR 8
#define MM_NR ((int64_t)(128 / sizeof(real)))
#define MM_SCRATCH_BYTES (MM_PACK_BYTES + (MM_MR * MM_KC + MM_MR * MM_NR) * sizeof(real))
_Static_assert(MM_PACK_BYTES % 64 == 0 && MM_KC >= MM_KC_PACKED_A,
               "the packed A micro-panel follows B's panel 64-byte aligned, MM_KC deep");

/* m * n * k for sizes >= 0, saturated at INT64_MAX: the thresholds above compare it safely
 * however large the sizes are. */
static inline int64_t mm_work(int64_t m, int64_t n, int64_t k)
{
    if (m == 0 || n == 0 || k == 0)
        return 0;
    if (m > INT64_MAX / n || m * n > INT64_MAX / k)
        return INT64_MAX;
    return m * n * k;
}

/* The tiles of `tile` that cover `total`, the last one partial. */
static inline int64_t mm_tiles(int64_t total, int64_t tile)
{
    return total / tile + (total % tile != 0);
}

/* units * t / nt (0 <= t <= nt) without forming units * t, which could overflow: where task t
 * of nt starts, in whole units. */
static inline int64_t mm_share(int64_t units, int64_t t, int64_t nt)
{
    return units / nt * t + units % nt * t / nt;
}

#define PYNN_TEMPLATE "matmul_template.h"
#include "instantiate.h"
