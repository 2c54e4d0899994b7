/* Template of optim.c, instantiated per dtype by instantiate.h.
 * Each kernel updates a list of tensors in one call (tensor t: sizes[t] elements at p[t], ...),
 * so that an optimizer's step is one call for all of a model's parameters, in order. */

static void SUFFIX(adam_one)(real *restrict p, const real *restrict grad, real *restrict m,
                             real *restrict v, int64_t n, real lr, real b1, real b2, real e,
                             real vs, real wd)
{
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

void SUFFIX(pynn_adam_multi)(real *const *p, const real *const *grad, real *const *m,
                             real *const *v, const int64_t *sizes, int64_t count,
                             double step_size, double beta1, double beta2, double eps,
                             double v_scale, double weight_decay)
{
    for (int64_t t = 0; t < count; t++)
        SUFFIX(adam_one)(p[t], grad[t], m[t], v[t], sizes[t], (real)step_size, (real)beta1,
                         (real)beta2, (real)eps, (real)v_scale, (real)weight_decay);
}

static void SUFFIX(sgd_one)(real *restrict p, const real *restrict grad, real *restrict buf,
                            int64_t n, real r, real mu, real damp, real wd, int nesterov,
                            int first)
{
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

void SUFFIX(pynn_sgd_multi)(real *const *p, const real *const *grad, real *const *buf,
                            const int64_t *sizes, int64_t count, double lr, double momentum,
                            double dampening, double weight_decay, int nesterov, int first)
{
    for (int64_t t = 0; t < count; t++)
        SUFFIX(sgd_one)(p[t], grad[t], buf ? buf[t] : 0, sizes[t], (real)lr, (real)momentum,
                        (real)dampening, (real)weight_decay, nesterov, first);
}
