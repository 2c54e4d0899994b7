/* Template of matmul.c, instantiated per dtype by instantiate.h.
 * Plain loop order i-p-j: the inner loop runs along a row of C with unit stride. */

void SUFFIX(pynn_matmul)(const real *restrict a, const real *restrict b, real *restrict c,
                         int64_t m, int64_t n, int64_t k, int trans_a, int trans_b,
                         int accumulate, const real *restrict bias, int act, int nthreads)
{
    (void)nthreads;
    /* Element (i, p) of op(A) and (p, j) of op(B), whichever way each is stored. */
    const int64_t a_row = trans_a ? 1 : k, a_col = trans_a ? m : 1;
    const int64_t b_row = trans_b ? 1 : n, b_col = trans_b ? k : 1;
    for (int64_t i = 0; i < m; i++) {
        real *ci = c + i * n;
        if (!accumulate)
            for (int64_t j = 0; j < n; j++)
                ci[j] = 0;
        for (int64_t p = 0; p < k; p++) {
            const real aip = a[i * a_row + p * a_col];
            const real *bp = b + p * b_row;
            for (int64_t j = 0; j < n; j++)
                ci[j] += aip * bp[j * b_col];
        }
        if (bias)
            for (int64_t j = 0; j < n; j++)
                ci[j] += bias[j];
        if (act == 1)
            SUFFIX(pynn_relu)(ci, ci, n);
        else if (act == 2)
            SUFFIX(pynn_sigmoid)(ci, ci, n);
    }
}
