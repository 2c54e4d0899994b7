/* pool.c: pynn_pool (pynn.h), the threads over which a kernel splits its work, and its dispatch
 * (runtime.h). pynn's own, rather than OpenMP's: GNU libgomp's threads hang a forked child.
 *
 * A pool has nthreads - 1 workers; the caller of a run is thread 0. Workers start at the first
 * run that needs them, each with a POOL_STACK_BYTES stack and every signal blocked. Between
 * runs a worker spins for POOL_SPIN_NS on its own flag, yielding the core, then sleeps on its
 * own condition variable: a burst of products (a training step) dispatches without waking a
 * sleeping thread, and an idle pool takes no CPU time. One caller runs on a pool at a time;
 * another that finds it taken does its work alone (pynn_pool_run returns 0), so two threads
 * sharing a pool can neither deadlock nor see each other's tasks. */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "pynn.h"
#include "runtime.h"

/* More threads than this are not started, whatever is asked: each takes memory and a
 * kernel's work is split in slabs of at least MM_THREAD_WORK anyway. */
#define POOL_MAX_THREADS 1024
/* A worker only runs kernels, which take their buffers from the heap (runtime.h). */
#define POOL_STACK_BYTES (512 * 1024)
/* How long a worker waits for the next task, and a caller for its workers, before sleeping:
 * longer than the gaps between the products of a training step (docs/design.md measures it).
 * The first POOL_SPIN_PAUSES checks are a moment apart; the later ones yield the core. */
#ifndef POOL_SPIN_NS
#define POOL_SPIN_NS 300000
#endif
#ifndef POOL_SPIN_PAUSES
#define POOL_SPIN_PAUSES 64
#endif

typedef struct pool_worker {
    /* 1 from the moment a task is given to the worker until it has run it. Each worker's
     * state has cache lines of its own, so that spinning on it disturbs no other thread. */
    _Alignas(64) atomic_int go;
    pthread_cond_t wake; /* signalled when go is set or the pool stops */
    void (*task)(void *, int64_t);
    void *arg;
    int64_t index;
    pthread_t thread;
    pynn_pool *pool;
} pool_worker;

struct pynn_pool {
    pthread_mutex_t dispatch; /* held by the caller whose tasks the workers run */
    pthread_mutex_t lock;     /* with the condition variables, for sleeping and waking */
    pthread_cond_t done;      /* signalled when pending drops to 0 */
    atomic_int_fast64_t pending; /* the tasks of this run that workers have not finished */
    atomic_int stop;          /* set when the pool is freed: the workers exit */
    pid_t pid;                /* the process that made the pool: in a forked child, a copy of it
                                 has workers that do not exist */
    int nthreads;             /* the caller and nthreads - 1 workers */
    int started;              /* the workers started so far, always the first ones */
    pool_worker *workers;
};

static int64_t pool_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Step i (from 0) of a wait that spins before it sleeps: 0 once POOL_SPIN_NS are up, at
 * `until`, else 1 after a short pause. Past the first steps the pause yields the core, so
 * that on a machine with more running threads than cores the spin costs others little. */
static int pool_spin(unsigned i, int64_t until)
{
    if (i < POOL_SPIN_PAUSES) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
        __builtin_ia32_pause();
#elif defined(__GNUC__) && defined(__aarch64__)
        __asm__ __volatile__("yield");
#endif
        return 1;
    }
    if (pool_now_ns() > until)
        return 0;
    sched_yield();
    return 1;
}

/* Wait until the worker is given a task (1) or the pool stops (0). */
static int pool_wait_for_task(pynn_pool *pool, pool_worker *w)
{
    const int64_t until = pool_now_ns() + POOL_SPIN_NS;
    for (unsigned i = 0;; i++) {
        if (atomic_load_explicit(&w->go, memory_order_acquire))
            return 1;
        if (atomic_load_explicit(&pool->stop, memory_order_relaxed))
            return 0;
        if (!pool_spin(i, until))
            break;
    }
    /* go is checked under the lock that the dispatcher takes to signal: no wake-up is lost. */
    pthread_mutex_lock(&pool->lock);
    while (!atomic_load_explicit(&w->go, memory_order_acquire)
           && !atomic_load_explicit(&pool->stop, memory_order_relaxed))
        pthread_cond_wait(&w->wake, &pool->lock);
    const int go = atomic_load_explicit(&w->go, memory_order_acquire);
    pthread_mutex_unlock(&pool->lock);
    return go;
}

static void *pool_worker_main(void *arg)
{
    pool_worker *w = arg;
    pynn_pool *pool = w->pool;
    while (pool_wait_for_task(pool, w)) {
        w->task(w->arg, w->index);
        atomic_store_explicit(&w->go, 0, memory_order_relaxed);
        /* The last worker to finish wakes the caller, should it sleep (it checks pending under
         * the lock before sleeping). */
        if (atomic_fetch_sub_explicit(&pool->pending, 1, memory_order_acq_rel) == 1) {
            pthread_mutex_lock(&pool->lock);
            pthread_cond_signal(&pool->done);
            pthread_mutex_unlock(&pool->lock);
        }
    }
    return NULL;
}

/* Start worker w; whether it started. It inherits a mask that blocks every signal, so that
 * signals go to the application's own threads. */
static int pool_start(pool_worker *w)
{
    pthread_attr_t attr;
    sigset_t all, old;
    if (pthread_attr_init(&attr) != 0)
        return 0;
    int ok = pthread_attr_setstacksize(&attr, POOL_STACK_BYTES) == 0;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    ok = ok && pthread_create(&w->thread, &attr, pool_worker_main, w) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    return ok;
}

pynn_pool *pynn_pool_new(int nthreads)
{
    if (nthreads < 1)
        nthreads = 1;
    if (nthreads > POOL_MAX_THREADS)
        nthreads = POOL_MAX_THREADS;
    pynn_pool *pool = calloc(1, sizeof *pool);
    if (!pool)
        return NULL;
    const size_t bytes = (size_t)(nthreads - 1) * sizeof(pool_worker); /* a multiple of 64 */
    pool->workers = bytes ? aligned_alloc(64, bytes) : NULL;
    if (bytes && !pool->workers) {
        free(pool);
        return NULL;
    }
    if (bytes)
        memset(pool->workers, 0, bytes);
    pool->nthreads = nthreads;
    pool->pid = getpid();
    atomic_init(&pool->pending, 0);
    atomic_init(&pool->stop, 0);
    pthread_mutex_init(&pool->dispatch, NULL);
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->done, NULL);
    for (int i = 0; i < nthreads - 1; i++) {
        pool_worker *w = &pool->workers[i];
        atomic_init(&w->go, 0);
        pthread_cond_init(&w->wake, NULL);
        w->pool = pool;
        w->index = i + 1;
    }
    return pool;
}

void pynn_pool_free(pynn_pool *pool)
{
    if (!pool)
        return;
    /* In a forked child the workers do not exist, and the locks may be held by threads that do
     * not either: only the memory is freed there. */
    if (pool->pid == getpid()) {
        pthread_mutex_lock(&pool->lock);
        atomic_store_explicit(&pool->stop, 1, memory_order_relaxed);
        for (int i = 0; i < pool->started; i++)
            pthread_cond_signal(&pool->workers[i].wake);
        pthread_mutex_unlock(&pool->lock);
        for (int i = 0; i < pool->started; i++)
            pthread_join(pool->workers[i].thread, NULL);
        for (int i = 0; i < pool->nthreads - 1; i++)
            pthread_cond_destroy(&pool->workers[i].wake);
        pthread_cond_destroy(&pool->done);
        pthread_mutex_destroy(&pool->lock);
        pthread_mutex_destroy(&pool->dispatch);
    }
    free(pool->workers);
    free(pool);
}

int64_t pynn_pool_threads(const pynn_pool *pool)
{
    return pool ? pool->nthreads : 1;
}

int pynn_pool_run(pynn_pool *pool, void (*task)(void *, int64_t), void *arg, int64_t ntasks)
{
    if (!pool || ntasks < 2 || pool->pid != getpid())
        return 0;
    if (pthread_mutex_trylock(&pool->dispatch) != 0)
        return 0;
    int64_t helpers = ntasks - 1 < pool->nthreads - 1 ? ntasks - 1 : pool->nthreads - 1;
    while (pool->started < helpers && pool_start(&pool->workers[pool->started]))
        pool->started++;
    if (helpers > pool->started)
        helpers = pool->started;

    atomic_store_explicit(&pool->pending, helpers, memory_order_relaxed);
    for (int64_t i = 0; i < helpers; i++) {
        pool_worker *w = &pool->workers[i];
        w->task = task;
        w->arg = arg;
        atomic_store_explicit(&w->go, 1, memory_order_release); /* publishes task, arg, pending */
    }
    if (helpers > 0) { /* wakes the workers that sleep; a signal to one that spins costs little */
        pthread_mutex_lock(&pool->lock);
        for (int64_t i = 0; i < helpers; i++)
            pthread_cond_signal(&pool->workers[i].wake);
        pthread_mutex_unlock(&pool->lock);
    }
    task(arg, 0);
    for (int64_t t = helpers + 1; t < ntasks; t++) /* those of workers that could not start */
        task(arg, t);

    const int64_t until = pool_now_ns() + POOL_SPIN_NS;
    unsigned i = 0;
    while (atomic_load_explicit(&pool->pending, memory_order_acquire) != 0 && pool_spin(i, until))
        i++;
    if (atomic_load_explicit(&pool->pending, memory_order_acquire) != 0) {
        pthread_mutex_lock(&pool->lock);
        while (atomic_load_explicit(&pool->pending, memory_order_acquire) != 0)
            pthread_cond_wait(&pool->done, &pool->lock);
        pthread_mutex_unlock(&pool->lock);
    }
    pthread_mutex_unlock(&pool->dispatch);
    return 1;
}
