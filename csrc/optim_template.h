/* Template of optim.c, instantiated per dtype by instantiate.h. */

void SUFFIX(pynn_adam)(real *restrict p, const real *restrict grad, real *restrict m,
                       real *restrict v, int64_t n, double step_size, double beta1, double beta2,
                       double eps, double v_scale, double weight_decay)
{
    const real b1 = (real)beta1, b2 = (real)beta2, lr = (real)step_size;
    const real e = (real)eps, vs = (real)v_scale, wd = (real)weight_decay;
    for (int64_t i = 0; i < n; i++) {
        real g = grad[i] + wd * p[i];
        /* m + (1 - b1)(g - m) is PyTorch's lerp form of b1 m + (1 - b1) g. */
        real mi = m[i] + (1 - b1) * (g - m[i]);
        real vi = b2 * v[i] + (1 - b2) * g * g;
        m[i] = mi;
        v[i] = vi;
        p[i] -= lr * mi / (SQRT(vi) * vs + e);
    }
}

void SUFFIX(pynn_sgd)(real *restrict p, const real *restrict grad, real *restrict buf,
                      int64_t n, double lr, double momentum, double dampening,
                      double weight_decay, int nesterov, int first)
{
    const real r = (real)lr, mu = (real)momentum, damp = (real)dampening;
    const real wd = (real)weight_decay;
    for (int64_t i = 0; i < n; i++) {
        real g = grad[i] + wd * p[i];
        if (mu != 0) {
            real b = first ? g : mu * buf[i] + (1 - damp) * g;
            buf[i] = b;
            g = nesterov ? g + mu * b : b;
        }
        p[i] -= r * g;
    }
}
