/* Template of linear.c, instantiated per dtype by instantiate.h.
 * One call runs the kernels of a dense layer's backward pass with the arguments the separate
 * calls would get, so the results are exactly theirs, for one crossing from Python. */

void SUFFIX(pynn_linear_backward)(const real *x, const real *w, const real *y, const real *dy,
                                  real *dz, real *dx, real *dw, real *db, int64_t m, int64_t n,
                                  int64_t k, int trans_w, pynn_act act, pynn_pool *pool)
{
    /* g = dy * act'(z), from the output y: y > 0 exactly where z > 0; sigmoid' = y (1 - y);
     * tanh' = 1 - y^2. */
    const real *g = dy;
    switch (act) { /* no default: -Wall names an activation left out here */
    case PYNN_ACT_NONE:
        break;
    case PYNN_ACT_RELU:
        SUFFIX(pynn_relu_backward)(y, dy, dz, m * n);
        g = dz;
        break;
    case PYNN_ACT_SIGMOID:
        SUFFIX(pynn_sigmoid_backward)(y, dy, dz, m * n);
        g = dz;
        break;
    case PYNN_ACT_TANH:
        SUFFIX(pynn_tanh_backward)(y, dy, dz, m * n);
        g = dz;
        break;
    }
    if (dx) /* g op(w)^T: m x k */
        SUFFIX(pynn_matmul)(g, w, dx, m, k, n, 0, !trans_w, 0, NULL, PYNN_ACT_NONE, pool);
    if (dw) { /* the gradient of w in w's own layout */
        if (trans_w) /* g^T x: n x k */
            SUFFIX(pynn_matmul)(g, x, dw, n, k, m, 1, 0, 0, NULL, PYNN_ACT_NONE, pool);
        else /* x^T g: k x n */
            SUFFIX(pynn_matmul)(x, g, dw, k, n, m, 1, 0, 0, NULL, PYNN_ACT_NONE, pool);
    }
    if (db)
        SUFFIX(pynn_sum_rows)(g, db, m, n, 0);
}
