/* Template of matmul.c, instantiated per dtype by instantiate.h.
 *
 * Small products run a plain loop. Larger ones run a cache-blocked product in the style of
 * BLIS/OpenBLAS: a KC x NC panel of op(B) is packed into a buffer (kept in L2) of the calling
 * thread's scratch arena (runtime.h: a thread's stack may be too small for it), and an
 * MR x NR register tile of C is computed by a micro-kernel written with GCC vector extensions,
 * compiled once per instruction set (AVX-512, AVX2, baseline) and picked at run time. */

/* C[i, :] = act(C[i, :] + bias) on one row segment of n values: the fused epilogue. It calls
 * the elementwise kernels, so an activation gives exactly what it gives on its own. */
static void SUFFIX(epilogue)(real *row, const real *bias, int64_t n, pynn_act act)
{
    if (bias)
        for (int64_t j = 0; j < n; j++)
            row[j] += bias[j];
    switch (act) { /* no default: -Wall names an activation left out here */
    case PYNN_ACT_NONE:
        break;
    case PYNN_ACT_RELU:
        SUFFIX(pynn_relu)(row, row, n);
        break;
    case PYNN_ACT_SIGMOID:
        SUFFIX(pynn_sigmoid)(row, row, n);
        break;
    case PYNN_ACT_TANH:
        SUFFIX(pynn_tanh)(row, row, n);
        break;
    }
}

/* C[:m, :n] (leading dimension ldc) = act((accumulate ? C : 0) + op(A) op(B) + bias) by the
 * plain loop, loop order i-p-j: the inner loop runs along a row of C with unit stride. op(A) and
 * op(B) are addressed through lda and ldb as in pack_a and pack_b. No packing, so tiny products
 * (a 4x2 times 2x4 layer) cost next to nothing. */
static void SUFFIX(matmul_direct)(const real *restrict a, int64_t lda, int trans_a,
                                  const real *restrict b, int64_t ldb, int trans_b,
                                  real *restrict c, int64_t ldc, int64_t m, int64_t n, int64_t k,
                                  int accumulate, const real *restrict bias, pynn_act act)
{
    /* Element (i, p) of op(A) and (p, j) of op(B), whichever way each is stored. */
    const int64_t a_row = trans_a ? 1 : lda, a_col = trans_a ? lda : 1;
    const int64_t b_row = trans_b ? 1 : ldb, b_col = trans_b ? ldb : 1;
    for (int64_t i = 0; i < m; i++) {
        real *ci = c + i * ldc;
        if (!accumulate)
            for (int64_t j = 0; j < n; j++)
                ci[j] = 0;
        for (int64_t p = 0; p < k; p++) {
            const real aip = a[i * a_row + p * a_col];
            const real *bp = b + p * b_row;
            for (int64_t j = 0; j < n; j++)
                ci[j] += aip * bp[j * b_col];
        }
        SUFFIX(epilogue)(ci, bias, n, act);
    }
}

#ifdef PYNN_BLOCKED

/* The micro-kernel computing one MM_MR x MM_NR tile of C, compiled for each instruction set
 * with its own vector size and pass shape (see matmul_tile.h): AVX-512 holds the whole tile in
 * 16 of its 32 registers; AVX2 and the baseline (16 registers of 32 and 16 bytes) compute it in
 * passes of 4 rows x 2 vectors. */
typedef void (*SUFFIX(tile_fn))(int64_t, const real *, int64_t, int64_t, const real *, real *,
                                int64_t, int, int64_t);

#define MM_TILE_NAME SUFFIX(tile_base)
#define MM_TILE_TARGET
#define MM_TILE_VBYTES 16
#define MM_TILE_ROWS 4
#define MM_TILE_VECS 2
#include "matmul_tile.h"

#ifdef PYNN_X86
#define MM_TILE_NAME SUFFIX(tile_avx2)
#define MM_TILE_TARGET __attribute__((target("avx2,fma")))
#define MM_TILE_VBYTES 32
#define MM_TILE_ROWS 4
#define MM_TILE_VECS 2
#include "matmul_tile.h"

#define MM_TILE_NAME SUFFIX(tile_avx512)
#define MM_TILE_TARGET __attribute__((target("avx512f,fma")))
#define MM_TILE_VBYTES 64
#define MM_TILE_ROWS MM_MR
#define MM_TILE_VECS 2
#include "matmul_tile.h"
#endif

static SUFFIX(tile_fn) SUFFIX(pick_tile)(void)
{
#ifdef PYNN_X86
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma"))
        return SUFFIX(tile_avx512);
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return SUFFIX(tile_avx2);
#endif
    return SUFFIX(tile_base);
}

/* Pack op(B)[:kc, :nc] into micro-panels of MM_NR columns, each kc x MM_NR row-major; columns
 * past nc are zero. op(B)[p, j] is b[p * ldb + j], or b[j * ldb + p] when trans_b. Both read
 * the stored B along its rows, which the hardware prefetcher follows best. */
static void SUFFIX(pack_b)(real *restrict dst, const real *restrict b, int64_t ldb, int trans_b,
                           int64_t kc, int64_t nc)
{
    const int64_t full = nc / MM_NR * MM_NR;
    if (!trans_b) {
        for (int64_t p = 0; p < kc; p++) {
            const real *src = b + p * ldb;
            for (int64_t j0 = 0; j0 < full; j0 += MM_NR) /* fixed-size: a few vector moves */
                memcpy(dst + j0 * kc + p * MM_NR, src + j0, MM_NR * sizeof(real));
            for (int64_t j = full; j < nc; j++)
                dst[full * kc + p * MM_NR + j - full] = src[j];
        }
    } else {
        for (int64_t j = 0; j < nc; j++) {
            const real *src = b + j * ldb;
            real *out = dst + j / MM_NR * MM_NR * kc + j % MM_NR;
            for (int64_t p = 0; p < kc; p++)
                out[p * MM_NR] = src[p];
        }
    }
    /* Zero the columns of the last micro-panel past nc. */
    if (full < nc)
        for (int64_t p = 0; p < kc; p++)
            for (int64_t j = nc - full; j < MM_NR; j++)
                dst[full * kc + p * MM_NR + j] = 0;
}

/* Pack op(A)[:mr, :kc] into one micro-panel, kc x MM_MR row-major; rows past mr are zero.
 * op(A)[i, p] is a[i * lda + p], or a[p * lda + i] when trans_a. */
static void SUFFIX(pack_a)(real *restrict dst, const real *restrict a, int64_t lda, int trans_a,
                           int64_t mr, int64_t kc)
{
    for (int64_t p = 0; p < kc; p++) {
        real *out = dst + p * MM_MR;
        if (trans_a && mr == MM_MR) { /* a fixed-size copy: one or two vector moves */
            memcpy(out, a + p * lda, MM_MR * sizeof(real));
            continue;
        }
        for (int64_t r = 0; r < mr; r++)
            out[r] = trans_a ? a[p * lda + r] : a[r * lda + p];
        for (int64_t r = mr; r < MM_MR; r++)
            out[r] = 0;
    }
}

/* C[:m, :n] (leading dimension ldc) = act((accumulate ? C : 0) + op(A) op(B) + bias) on the
 * calling thread, with op(A), op(B) addressed through lda and ldb as in pack_a and pack_b. */
static void SUFFIX(matmul_blocked)(const real *a, int64_t lda, int trans_a, const real *b,
                                   int64_t ldb, int trans_b, real *c, int64_t ldc, int64_t m,
                                   int64_t n, int64_t k, int accumulate, const real *bias,
                                   pynn_act act)
{
    /* The packing buffers, in this thread's scratch arena (never on the stack: they take more
     * than a small thread stack holds). Should it fail to allocate, the plain loop needs none. */
    real *const bpack = pynn_scratch(MM_SCRATCH_BYTES); /* 64-byte aligned */
    if (!bpack) {
        SUFFIX(matmul_direct)(a, lda, trans_a, b, ldb, trans_b, c, ldc, m, n, k, accumulate, bias,
                              act);
        return;
    }
    real *const apack = __builtin_assume_aligned(bpack + MM_PACK_BYTES / sizeof(real), 64);
    real *const edge = __builtin_assume_aligned(apack + MM_MR * MM_KC, 64);
    const SUFFIX(tile_fn) tile = SUFFIX(pick_tile)();
    /* A transposed A is packed again for every B panel: a shallower panel is a wider one, over
     * which each packed A micro-panel serves more tiles. */
    const int64_t kc_max = trans_a ? MM_KC_PACKED_A : MM_KC;
    const int64_t nc_max = MM_PACK_BYTES / (kc_max * (int64_t)sizeof(real)) / MM_NR * MM_NR;

    for (int64_t jc = 0; jc < n; jc += nc_max) {
        const int64_t nc = n - jc < nc_max ? n - jc : nc_max;
        for (int64_t pc = 0; pc < k; pc += kc_max) {
            const int64_t kc = k - pc < kc_max ? k - pc : kc_max;
            const int add = accumulate || pc > 0;
            SUFFIX(pack_b)(bpack, trans_b ? b + jc * ldb + pc : b + pc * ldb + jc, ldb, trans_b,
                           kc, nc);
            for (int64_t ic = 0; ic < m; ic += MM_MR) {
                const int64_t mr = m - ic < MM_MR ? m - ic : MM_MR;
                /* A full micro-panel is read in place, except that a transposed one (which
                 * strides across lines for each p) is packed when more than two tiles reuse
                 * it; a short one is packed with zero rows. */
                const real *ap = trans_a ? a + pc * lda + ic : a + ic * lda + pc;
                int64_t a_rs = trans_a ? 1 : lda, a_cs = trans_a ? lda : 1;
                if (mr < MM_MR || (trans_a && nc > 2 * MM_NR)) {
                    SUFFIX(pack_a)(apack, ap, lda, trans_a, mr, kc);
                    ap = apack, a_rs = 1, a_cs = MM_MR;
                }
                for (int64_t jr = 0; jr < nc; jr += MM_NR) {
                    const int64_t nr = nc - jr < MM_NR ? nc - jr : MM_NR;
                    real *cp = c + ic * ldc + jc + jr;
                    if (mr == MM_MR && nr == MM_NR) {
                        tile(kc, ap, a_rs, a_cs, bpack + jr * kc, cp, ldc, add, MM_NR);
                        continue;
                    }
                    tile(kc, ap, a_rs, a_cs, bpack + jr * kc, edge, MM_NR, 0, nr);
                    for (int64_t r = 0; r < mr; r++)
                        for (int64_t j = 0; j < nr; j++)
                            cp[r * ldc + j] = (add ? cp[r * ldc + j] : 0) + edge[r * MM_NR + j];
                }
                if (pc + kc == k)
                    for (int64_t r = 0; r < mr; r++)
                        SUFFIX(epilogue)(c + (ic + r) * ldc + jc, bias ? bias + jc : NULL, nc,
                                         act);
            }
        }
    }
}

#endif /* PYNN_BLOCKED */

#ifdef PYNN_BLOCKED
/* How evenly t threads share `total` rows or columns cut into whole tiles of `tile`: 1 when
 * the largest share is total / t, less when the tiles do not split evenly. */
static double SUFFIX(split_balance)(int64_t total, int64_t tile, int64_t t)
{
    const int64_t units = mm_tiles(total, tile);
    const int64_t most = (units + t - 1) / t * tile;
    return (double)total / t / (most < total ? most : total);
}

/* Whether t threads split C by columns, in whole MM_NR-column tiles (each then packs only its
 * part of B), rather than by MM_MR-row tiles: when that is more even, or as even and A is not
 * transposed. With A transposed, rows are better on a tie: each thread then streams only its
 * own columns of the stored A (1.2x faster at n = 1024 here). */
static int SUFFIX(split_columns)(int64_t m, int64_t n, int trans_a, int64_t t)
{
    const double by_n = SUFFIX(split_balance)(n, MM_NR, t);
    const double by_m = SUFFIX(split_balance)(m, MM_MR, t);
    return trans_a ? by_n > by_m : by_n >= by_m;
}

/* One product split into ntasks slabs of C: task t computes `units` * t / ntasks tiles on up
 * to the next task's start, tiles of MM_NR columns (split_n) or of MM_MR rows. */
typedef struct {
    const real *a, *b, *bias;
    real *c;
    int64_t lda, ldb, m, n, k, tile, total, units, ntasks;
    int trans_a, trans_b, accumulate, split_n;
    pynn_act act;
} SUFFIX(mm_split);

static void SUFFIX(matmul_slab)(void *arg, int64_t t)
{
    const SUFFIX(mm_split) *s = arg;
    const int64_t lo = mm_share(s->units, t, s->ntasks) * s->tile;
    const int64_t end = mm_share(s->units, t + 1, s->ntasks) * s->tile;
    const int64_t hi = end < s->total ? end : s->total;
    if (s->split_n)
        SUFFIX(matmul_blocked)(s->a, s->lda, s->trans_a,
                               s->trans_b ? s->b + lo * s->ldb : s->b + lo, s->ldb, s->trans_b,
                               s->c + lo, s->n, s->m, hi - lo, s->k, s->accumulate,
                               s->bias ? s->bias + lo : NULL, s->act);
    else
        SUFFIX(matmul_blocked)(s->trans_a ? s->a + lo : s->a + lo * s->lda, s->lda, s->trans_a,
                               s->b, s->ldb, s->trans_b, s->c + lo * s->n, s->n, hi - lo, s->n,
                               s->k, s->accumulate, s->bias, s->act);
}

/* The blocked product on up to the pool's threads, each computing its own slab of C (see
 * split_columns). Each thread gets at least MM_THREAD_WORK of m * n * k. Every element of C is
 * computed by the same operations in the same order whatever the slabs, so the result is the
 * same bit for bit on any number of threads. */
static void SUFFIX(matmul_threads)(const real *a, int64_t lda, int trans_a, const real *b,
                                   int64_t ldb, int trans_b, real *c, int64_t m, int64_t n,
                                   int64_t k, int accumulate, const real *bias, pynn_act act,
                                   pynn_pool *pool)
{
    const int64_t most = mm_work(m, n, k) / MM_THREAD_WORK;
    int64_t nthreads = pynn_pool_threads(pool);
    nthreads = nthreads < most ? nthreads : most;
    const int split_n = nthreads > 1 && SUFFIX(split_columns)(m, n, trans_a, nthreads);
    const int64_t tile = split_n ? MM_NR : MM_MR, total = split_n ? n : m;
    const int64_t units = mm_tiles(total, tile);
    nthreads = nthreads < units ? nthreads : units;
    SUFFIX(mm_split) split = {a, b, bias, c, lda, ldb, m, n, k, tile, total, units, nthreads,
                              trans_a, trans_b, accumulate, split_n, act};
    /* On one thread, or when the pool is taken or is a forked child's copy: all of C here. */
    if (nthreads <= 1 || !pynn_pool_run(pool, SUFFIX(matmul_slab), &split, nthreads))
        SUFFIX(matmul_blocked)(a, lda, trans_a, b, ldb, trans_b, c, n, m, n, k, accumulate, bias,
                               act);
}
#endif

void SUFFIX(pynn_matmul)(const real *restrict a, const real *restrict b, real *restrict c,
                         int64_t m, int64_t n, int64_t k, int trans_a, int trans_b,
                         int accumulate, const real *restrict bias, pynn_act act,
                         pynn_pool *pool)
{
    /* An empty C has nothing to write, however large its other side (a loop over 2^40 empty
     * rows takes minutes); with k = 0 the direct loop writes just the epilogue. */
    if (m == 0 || n == 0)
        return;
#ifdef PYNN_BLOCKED
    if (k > 0 && mm_work(m, n, k) >= MM_BLOCKED_MIN) {
        const int64_t lda = trans_a ? m : k, ldb = trans_b ? k : n;
        SUFFIX(matmul_threads)(a, lda, trans_a, b, ldb, trans_b, c, m, n, k, accumulate, bias,
                               act, pool);
        return;
    }
#endif
    (void)pool;
    SUFFIX(matmul_direct)(a, trans_a ? m : k, trans_a, b, trans_b ? k : n, trans_b, c, n, m, n, k,
                          accumulate, bias, act);
}
