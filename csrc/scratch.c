/* scratch.c: the per-thread scratch arena of runtime.h. Kernels take working memory from here
 * rather than from the stack, which may be as small as 128 KiB on a thread (musl's default,
 * threading.stack_size(), OMP_STACKSIZE). */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include "runtime.h"

/* An arena is one allocation: its usable size in the first 64 bytes, the memory after them. */
#define ARENA_HEADER 64

/* The key under which each thread keeps its arena: made once (pthread_once), never changed
 * after, so it is no shared mutable state. Its destructor frees a thread's arena when the
 * thread exits. */
static pthread_key_t arena_key;
static int arena_key_made;
static pthread_once_t arena_once = PTHREAD_ONCE_INIT;

static void arena_make_key(void)
{
    arena_key_made = pthread_key_create(&arena_key, free) == 0;
}

void *pynn_scratch(size_t bytes)
{
    if (pthread_once(&arena_once, arena_make_key) != 0 || !arena_key_made)
        return NULL;
    unsigned char *arena = pthread_getspecific(arena_key);
    if (arena && *(size_t *)arena >= bytes)
        return arena + ARENA_HEADER;
    if (bytes > SIZE_MAX - 2 * ARENA_HEADER)
        return NULL;
    /* aligned_alloc wants a multiple of the alignment. */
    unsigned char *grown = aligned_alloc(ARENA_HEADER, (ARENA_HEADER + bytes + ARENA_HEADER - 1)
                                                           / ARENA_HEADER * ARENA_HEADER);
    if (!grown)
        return NULL;
    if (pthread_setspecific(arena_key, grown) != 0) {
        free(grown);
        return NULL;
    }
    free(arena);
    *(size_t *)grown = bytes;
    return grown + ARENA_HEADER;
}
