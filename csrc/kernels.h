/* kernels.h: every kernel of the C core, declared once in terms of `real` (float or double)
 * and SUFFIX(name) (name_f32 or name_f64). pynn.h includes it once per dtype, as instantiate.h
 * compiles each template, and csrc/build_ffi.py expands it the same way for cffi: a kernel is
 * one declaration here. No include guard: it is meant to be included twice. */

/* C[m,n] = act((accumulate ? C : 0) + op(A) op(B) + bias)
 *   op(A) is m x k: A is stored m x k, or k x m when trans_a (so A^T is read in place).
 *   op(B) is k x n: B is stored k x n, or n x k when trans_b.
 *   bias is NULL or n values added to every row, then act is applied.
 *   The result is the same, bit for bit, whatever pool runs it. */
void SUFFIX(pynn_matmul)(const real *a, const real *b, real *c, int64_t m, int64_t n, int64_t k,
                         int trans_a, int trans_b, int accumulate, const real *bias,
                         pynn_act act, pynn_pool *pool);

/* y = max(x, 0), NaN propagates; dx = dy where x > 0, else 0. In place is allowed: the output
 * may be an input (y may be x; dx may be x or dy). */
void SUFFIX(pynn_relu)(const real *x, real *y, int64_t n);
void SUFFIX(pynn_relu_backward)(const real *x, const real *dy, real *dx, int64_t n);

/* y = 1 / (1 + exp(-x)), without overflow for any x; dx = dy * y * (1 - y). In place is
 * allowed as for relu. */
void SUFFIX(pynn_sigmoid)(const real *x, real *y, int64_t n);
void SUFFIX(pynn_sigmoid_backward)(const real *y, const real *dy, real *dx, int64_t n);

/* y = tanh(x); dx = dy * (1 - y^2), from y. In place is allowed as for relu. */
void SUFFIX(pynn_tanh)(const real *x, real *y, int64_t n);
void SUFFIX(pynn_tanh_backward)(const real *y, const real *dy, real *dx, int64_t n);

/* out[j] = (accumulate ? out[j] : 0) + sum_i x[i,j] for x of m x n: a bias gradient. */
void SUFFIX(pynn_sum_rows)(const real *x, real *out, int64_t m, int64_t n, int accumulate);

/* The backward pass of y = act(x op(w) + bias) (pynn_matmul's fused form, x m x k, y m x n),
 * from dy, the gradient of y, in one call:
 *   dz = dy * act'(z), computed from y (with PYNN_ACT_NONE, dz is dy)
 *   dx = dz op(w)^T (m x k);  dw = x^T dz (k x n), or dz^T x (n x k) when trans_w;
 *   db = the sum of dz's rows (n values)
 * Each of dx, dw and db is written only if it is not NULL. dz is m x n scratch, which may be dy
 * itself (unused, and may be NULL, with PYNN_ACT_NONE). The products run on the pool. */
void SUFFIX(pynn_linear_backward)(const real *x, const real *w, const real *y, const real *dy,
                                  real *dz, real *dx, real *dw, real *db, int64_t m, int64_t n,
                                  int64_t k, int trans_w, pynn_act act, pynn_pool *pool);

/* Mean binary cross-entropy of sigmoid(z) against targets t, computed from the logits z:
 *   loss_i = max(z, 0) - z t + log1p(exp(-|z|)).
 * Returns the mean; when grad is not NULL it receives d(mean)/dz = (sigmoid(z) - t) / n. */
double SUFFIX(pynn_bce_logits)(const real *z, const real *t, real *grad, int64_t n);

/* One Adam step in place, over `count` tensors at once (one call updates every parameter of a
 * model): tensor t has sizes[t] elements at p[t], grad[t], m[t] and v[t]; they are updated in
 * order, each as
 *   g  = grad + weight_decay * p
 *   m  = beta1 m + (1 - beta1) g;   v = beta2 v + (1 - beta2) g^2
 *   p -= step_size * m / (sqrt(v) * v_scale + eps)
 * PyTorch: step_size = lr / (1 - beta1^t), v_scale = 1 / sqrt(1 - beta2^t).
 * Keras (eps added to the uncorrected sqrt(v)): step_size = lr sqrt(1 - beta2^t) / (1 - beta1^t),
 * v_scale = 1.
 * Within one tensor, the four arrays must not overlap. */
void SUFFIX(pynn_adam_multi)(real *const *p, const real *const *grad, real *const *m,
                             real *const *v, const int64_t *sizes, int64_t count,
                             double step_size, double beta1, double beta2, double eps,
                             double v_scale, double weight_decay);

/* One SGD step in place, PyTorch's semantics, over `count` tensors as for Adam:
 *   g = grad + weight_decay p
 *   with momentum: buf = first ? g : momentum buf + (1 - dampening) g;
 *                  g = nesterov ? g + momentum buf : buf
 *   p -= lr g
 * buf may be NULL when momentum is 0. */
void SUFFIX(pynn_sgd_multi)(real *const *p, const real *const *grad, real *const *buf,
                            const int64_t *sizes, int64_t count, double lr, double momentum,
                            double dampening, double weight_decay, int nesterov, int first);
