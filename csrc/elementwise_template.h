/* Template of elementwise.c, instantiated per dtype by instantiate.h.
 * relu, sigmoid, tanh and their backward passes take no `restrict`: their output may be an input. */

void SUFFIX(pynn_relu)(const real *x, real *y, int64_t n)
{
    /* `x < 0 ? 0 : x` rather than `x > 0 ? x : 0`: a NaN compares false and passes through,
     * as np.maximum(x, 0) lets it. */
    for (int64_t i = 0; i < n; i++)
        y[i] = x[i] < 0 ? (real)0 : x[i];
}

void SUFFIX(pynn_relu_backward)(const real *x, const real *dy, real *dx, int64_t n)
{
    /* The gradient at exactly 0 (and at NaN) is 0, as in PyTorch. dy[i] is read whatever the
     * sign, so that the loop compiles to a branch-free vector select: a branch on the sign of
     * real activations is mispredicted about half the time. */
    for (int64_t i = 0; i < n; i++) {
        real g = dy[i];
        dx[i] = x[i] > 0 ? g : (real)0;
    }
}

void SUFFIX(pynn_sigmoid)(const real *x, real *y, int64_t n)
{
    /* Split on the sign so exp() only ever sees a non-positive argument: no overflow, and
     * 1 - y keeps its precision for large negative x. */
    for (int64_t i = 0; i < n; i++) {
        real xi = x[i];
        if (xi >= 0) {
            y[i] = 1 / (1 + EXP(-xi));
        } else {
            real e = EXP(xi);
            y[i] = e / (1 + e);
        }
    }
}

void SUFFIX(pynn_sigmoid_backward)(const real *y, const real *dy, real *dx, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        dx[i] = dy[i] * y[i] * (1 - y[i]);
}

void SUFFIX(pynn_tanh)(const real *x, real *y, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        y[i] = TANH(x[i]);
}

void SUFFIX(pynn_tanh_backward)(const real *y, const real *dy, real *dx, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        dx[i] = dy[i] * (1 - y[i] * y[i]);
}

void SUFFIX(pynn_sum_rows)(const real *restrict x, real *restrict out, int64_t m, int64_t n,
                           int accumulate)
{
    if (!accumulate)
        for (int64_t j = 0; j < n; j++)
            out[j] = 0;
    if (n == 0) /* nothing to add, however many empty rows (2^40 take minutes) */
        return;
    /* Row by row, so both x and out are walked with unit stride. */
    for (int64_t i = 0; i < m; i++) {
        const real *row = x + i * n;
        for (int64_t j = 0; j < n; j++)
            out[j] += row[j];
    }
}

double SUFFIX(pynn_bce_logits)(const real *restrict z, const real *restrict t,
                               real *restrict grad, int64_t n)
{
    /* loss = max(z,0) - z t + log1p(exp(-|z|)) never overflows, and the gradient
     * sigmoid(z) - t needs no division by a probability near 0 or 1. */
    double total = 0;
    for (int64_t i = 0; i < n; i++) {
        real zi = z[i];
        real e = EXP(zi < 0 ? zi : -zi); /* exp(-|z|) lies in (0, 1] */
        total += (double)((zi > 0 ? zi : 0) - zi * t[i] + LOG1P(e));
        if (grad) {
            real s = zi >= 0 ? 1 / (1 + e) : e / (1 + e);
            grad[i] = (s - t[i]) / (real)n;
        }
    }
    return n > 0 ? total / (double)n : 0.0;
}
