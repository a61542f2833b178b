/* arena.c — see arena.h. */
#include "util/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct arena_block {
    arena_block *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

enum { ARENA_MIN_BLOCK = 64 * 1024 };

void arena_init(arena *a) { memset(a, 0, sizeof *a); }

void arena_free(arena *a) {
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    arena_init(a);
}

void arena_reset(arena *a) {
    if (!a->head) return;
    /* Keep the last block in the chain (the first allocated, usually the smallest). */
    arena_block *b = a->head;
    while (b->next) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    b->used = 0;
    a->head = b;
    a->used_total = 0;
}

static arena_block *new_block(arena *a, size_t size) {
    arena_block *b = xmalloc(sizeof *b + size);
    b->size = size;
    b->used = 0;
    b->next = a->head;
    a->head = b;
    return b;
}

/* n bytes, not zeroed: for copies, which overwrite them anyway (EVTX strings are most calls). */
static void *take(arena *a, size_t n) {
    n = (n + 15) & ~(size_t)15;
    arena_block *b = a->head;
    if (!b || b->size - b->used < n) b = new_block(a, n > ARENA_MIN_BLOCK ? n : ARENA_MIN_BLOCK);
    void *p = b->data + b->used;
    b->used += n;
    a->used_total += n;
    return p;
}

void *arena_alloc(arena *a, size_t n) {
    void *p = take(a, n);
    memset(p, 0, n);
    return p;
}

void arena_reserve(arena *a, size_t n) {
    if (!a->head || a->head->size - a->head->used < n) new_block(a, n);
}

char *arena_strndup(arena *a, const char *s, size_t n) {
    char *p = take(a, n + 1);
    if (n) memcpy(p, s, n); /* (NULL, 0) is a valid empty string here, not for memcpy */
    p[n] = 0;
    return p;
}

char *arena_strdup(arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

void *arena_memdup(arena *a, const void *src, size_t n) {
    void *p = take(a, n);
    if (n) memcpy(p, src, n);
    return p;
}
