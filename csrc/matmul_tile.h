/* matmul_tile.h: the micro-kernel of matmul_template.h, which includes it once per instruction
 * set after defining
 *   MM_TILE_NAME    the function's name, e.g. tile_avx512_f32;
 *   MM_TILE_TARGET  its target attribute (or nothing, for the baseline);
 *   MM_TILE_VBYTES  the vector size of that instruction set: GCC keeps vectors of exactly this
 *                   size in registers (wider ones it splits through memory);
 *   MM_TILE_ROWS, MM_TILE_VECS  the part of the MM_MR x MM_NR tile computed per pass: sized so
 *                   that its accumulators, the B vectors and the broadcast A value all fit in the
 *                   register file.
 * It undefines these at its end. */

#define MM_CAT_(x, y) x##y
#define MM_CAT(x, y) MM_CAT_(x, y)
#define MM_TILE_VEC MM_CAT(MM_TILE_NAME, _vec)
#define MM_TILE_PASS MM_CAT(MM_TILE_NAME, _pass)
#define MM_TILE_VL ((int64_t)(MM_TILE_VBYTES / sizeof(real)))

typedef real MM_TILE_VEC __attribute__((vector_size(MM_TILE_VBYTES)));

/* C[:MM_TILE_ROWS, :vecs vectors] (add: +)= A micro-panel times B micro-panel over kc.
 * Element (r, p) of the A micro-panel is a[r * a_rs + p * a_cs]; the B micro-panel holds MM_NR
 * values per p. Inlined with constant strides and vecs, so every loop but the one over p unrolls
 * and the accumulators live in registers. */
static inline __attribute__((always_inline)) MM_TILE_TARGET void
MM_TILE_PASS(int64_t kc, const real *restrict a, int64_t a_rs, int64_t a_cs,
             const real *restrict b, real *restrict c, int64_t ldc, int add, int vecs)
{
    MM_TILE_VEC acc[MM_TILE_ROWS][MM_TILE_VECS];
    /* Fetch the C tile while the products are computed, rather than wait for it at the end. */
    if (add)
        for (int r = 0; r < MM_TILE_ROWS; r++)
            for (int64_t j = 0; j < vecs * MM_TILE_VL; j += 64 / sizeof(real))
                __builtin_prefetch(c + r * ldc + j, 1);
    for (int r = 0; r < MM_TILE_ROWS; r++)
        for (int v = 0; v < vecs; v++)
            acc[r][v] = (MM_TILE_VEC){0};
    for (int64_t p = 0; p < kc; p++) {
        MM_TILE_VEC bv[MM_TILE_VECS];
        for (int v = 0; v < vecs; v++)
            memcpy(&bv[v], b + p * MM_NR + v * MM_TILE_VL, sizeof bv[v]);
        for (int r = 0; r < MM_TILE_ROWS; r++) {
            const real x = a[r * a_rs + p * a_cs];
            for (int v = 0; v < vecs; v++)
                acc[r][v] += x * bv[v];
        }
    }
    for (int r = 0; r < MM_TILE_ROWS; r++)
        for (int v = 0; v < vecs; v++) {
            real *cv = c + r * ldc + v * MM_TILE_VL;
            if (add) {
                MM_TILE_VEC old;
                memcpy(&old, cv, sizeof old);
                acc[r][v] += old;
            }
            memcpy(cv, &acc[r][v], sizeof acc[r][v]);
        }
}

/* One MM_MR x MM_NR tile of C, pass by pass; vectors wholly past column `ncols` are skipped
 * (a narrow product, such as an output layer of 10, would waste most of the tile otherwise).
 * Element (r, p) of the A micro-panel is a[r * a_rs + p * a_cs]: the three layouts that occur
 * (rows of A in place, columns of a transposed A in place, pack_a's output) each get a copy of
 * the pass with constant strides where they are constant. */
static MM_TILE_TARGET void MM_TILE_NAME(int64_t kc, const real *a, int64_t a_rs, int64_t a_cs,
                                        const real *b, real *c, int64_t ldc, int add,
                                        int64_t ncols)
{
    for (int r0 = 0; r0 < MM_MR; r0 += MM_TILE_ROWS)
        for (int64_t j0 = 0; j0 < ncols; j0 += MM_TILE_VECS * MM_TILE_VL) {
            const real *ar = a + r0 * a_rs;
            real *cr = c + r0 * ldc + j0;
            const int vecs = ncols - j0 <= MM_TILE_VL ? 1 : MM_TILE_VECS;
            if (a_cs == 1 && vecs == 1)
                MM_TILE_PASS(kc, ar, a_rs, 1, b + j0, cr, ldc, add, 1);
            else if (a_cs == 1)
                MM_TILE_PASS(kc, ar, a_rs, 1, b + j0, cr, ldc, add, MM_TILE_VECS);
            else if (a_cs == MM_MR && vecs == 1)
                MM_TILE_PASS(kc, ar, 1, MM_MR, b + j0, cr, ldc, add, 1);
            else if (a_cs == MM_MR)
                MM_TILE_PASS(kc, ar, 1, MM_MR, b + j0, cr, ldc, add, MM_TILE_VECS);
            else if (vecs == 1)
                MM_TILE_PASS(kc, ar, 1, a_cs, b + j0, cr, ldc, add, 1);
            else
                MM_TILE_PASS(kc, ar, 1, a_cs, b + j0, cr, ldc, add, MM_TILE_VECS);
        }
}

#undef MM_TILE_VEC
#undef MM_TILE_PASS
#undef MM_TILE_VL
#undef MM_CAT
#undef MM_CAT_
/* The parameters of this instantiation, so the next one can define its own. */
#undef MM_TILE_NAME
#undef MM_TILE_TARGET
#undef MM_TILE_VBYTES
#undef MM_TILE_ROWS
#undef MM_TILE_VECS
