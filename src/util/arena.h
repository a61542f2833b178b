/* arena.h — a bump allocator: many small allocations, freed all at once.
 * Used for everything a rule set or an event batch owns, so freeing is one call and
 * lifetimes are obvious. Not for memory that must be freed piecemeal. */
#ifndef SOCFEED_UTIL_ARENA_H
#define SOCFEED_UTIL_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;
typedef struct arena {
    arena_block *head;
    size_t used_total; /* bytes handed out, for memory bounds and benchmarks */
} arena;

void arena_init(arena *a);
void arena_free(arena *a);
/* Frees every block but the first, and reuses it: for per-event scratch memory. */
void arena_reset(arena *a);
void *arena_alloc(arena *a, size_t n);  /* 16-byte aligned, zeroed */
/* Makes the next n bytes of allocations need no malloc (a block of that size, untouched). */
void arena_reserve(arena *a, size_t n);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
void *arena_memdup(arena *a, const void *p, size_t n);

#endif
