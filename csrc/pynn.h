/* pynn.h: every C kernel of pynn, declared once, and the thread pool they run on.
 *
 * csrc/build_ffi.py hands these declarations to cffi's cdef (with comments and '#' lines
 * stripped), so this file is both the C header and the Python binding's contract.
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

/* C[m,n] = act((accumulate ? C : 0) + op(A) op(B) + bias)
 *   op(A) is m x k: A is stored m x k, or k x m when trans_a (so A^T is read in place).
 *   op(B) is k x n: B is stored k x n, or n x k when trans_b.
 *   bias is NULL or n values added to every row, then act is applied.
 *   The result is the same, bit for bit, whatever pool runs it. */
void pynn_matmul_f32(const float *a, const float *b, float *c, int64_t m, int64_t n, int64_t k,
                     int trans_a, int trans_b, int accumulate, const float *bias, pynn_act act,
                     pynn_pool *pool);
void pynn_matmul_f64(const double *a, const double *b, double *c, int64_t m, int64_t n, int64_t k,
                     int trans_a, int trans_b, int accumulate, const double *bias, pynn_act act,
                     pynn_pool *pool);

/* y = max(x, 0), NaN propagates; dx = dy where x > 0, else 0. In place is allowed: the output
 * may be an input (y may be x; dx may be x or dy). */
void pynn_relu_f32(const float *x, float *y, int64_t n);
void pynn_relu_f64(const double *x, double *y, int64_t n);
void pynn_relu_backward_f32(const float *x, const float *dy, float *dx, int64_t n);
void pynn_relu_backward_f64(const double *x, const double *dy, double *dx, int64_t n);

/* y = 1 / (1 + exp(-x)), without overflow for any x; dx = dy * y * (1 - y). In place is
 * allowed as for relu. */
void pynn_sigmoid_f32(const float *x, float *y, int64_t n);
void pynn_sigmoid_f64(const double *x, double *y, int64_t n);
void pynn_sigmoid_backward_f32(const float *y, const float *dy, float *dx, int64_t n);
void pynn_sigmoid_backward_f64(const double *y, const double *dy, double *dx, int64_t n);

/* y = tanh(x); dx = dy * (1 - y^2), from y. In place is allowed as for relu. */
void pynn_tanh_f32(const float *x, float *y, int64_t n);
void pynn_tanh_f64(const double *x, double *y, int64_t n);
void pynn_tanh_backward_f32(const float *y, const float *dy, float *dx, int64_t n);
void pynn_tanh_backward_f64(const double *y, const double *dy, double *dx, int64_t n);

/* out[j] = (accumulate ? out[j] : 0) + sum_i x[i,j] for x of m x n: a bias gradient. */
void pynn_sum_rows_f32(const float *x, float *out, int64_t m, int64_t n, int accumulate);
void pynn_sum_rows_f64(const double *x, double *out, int64_t m, int64_t n, int accumulate);

/* The backward pass of y = act(x op(w) + bias) (pynn_matmul's fused form, x m x k, y m x n),
 * from dy, the gradient of y, in one call:
 *   dz = dy * act'(z), computed from y (with PYNN_ACT_NONE, dz is dy)
 *   dx = dz op(w)^T (m x k);  dw = x^T dz (k x n), or dz^T x (n x k) when trans_w;
 *   db = the sum of dz's rows (n values)
 * Each of dx, dw and db is written only if it is not NULL. dz is m x n scratch, which may be dy
 * itself (unused, and may be NULL, with PYNN_ACT_NONE). The products run on the pool. */
void pynn_linear_backward_f32(const float *x, const float *w, const float *y, const float *dy,
                              float *dz, float *dx, float *dw, float *db, int64_t m, int64_t n,
                              int64_t k, int trans_w, pynn_act act, pynn_pool *pool);
void pynn_linear_backward_f64(const double *x, const double *w, const double *y,
                              const double *dy, double *dz, double *dx, double *dw, double *db,
                              int64_t m, int64_t n, int64_t k, int trans_w, pynn_act act,
                              pynn_pool *pool);

/* Mean binary cross-entropy of sigmoid(z) against targets t, computed from the logits z:
 *   loss_i = max(z, 0) - z t + log1p(exp(-|z|)).
 * Returns the mean; when grad is not NULL it receives d(mean)/dz = (sigmoid(z) - t) / n. */
double pynn_bce_logits_f32(const float *z, const float *t, float *grad, int64_t n);
double pynn_bce_logits_f64(const double *z, const double *t, double *grad, int64_t n);

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
void pynn_adam_multi_f32(float *const *p, const float *const *grad, float *const *m,
                         float *const *v, const int64_t *sizes, int64_t count, double step_size,
                         double beta1, double beta2, double eps, double v_scale,
                         double weight_decay);
void pynn_adam_multi_f64(double *const *p, const double *const *grad, double *const *m,
                         double *const *v, const int64_t *sizes, int64_t count,
                         double step_size, double beta1, double beta2, double eps,
                         double v_scale, double weight_decay);

/* One SGD step in place, PyTorch's semantics, over `count` tensors as for Adam:
 *   g = grad + weight_decay p
 *   with momentum: buf = first ? g : momentum buf + (1 - dampening) g;
 *                  g = nesterov ? g + momentum buf : buf
 *   p -= lr g
 * buf may be NULL when momentum is 0. */
void pynn_sgd_multi_f32(float *const *p, const float *const *grad, float *const *buf,
                        const int64_t *sizes, int64_t count, double lr, double momentum,
                        double dampening, double weight_decay, int nesterov, int first);
void pynn_sgd_multi_f64(double *const *p, const double *const *grad, double *const *buf,
                        const int64_t *sizes, int64_t count, double lr, double momentum,
                        double dampening, double weight_decay, int nesterov, int first);

#endif
