/* host_tally.c — see host_tally.h. */
#include "hunt/host_tally.h"

#include <stdlib.h>
#include <string.h>

#include "util/fnv.h"
#include "util/xalloc.h"

static socfeed_hunt_host *find_slot(socfeed_hunt_host *slots, size_t cap, const char *name, size_t len) {
    size_t i = (size_t)fnv1a(FNV1A_OFFSET, name, len) & (cap - 1);
    while (slots[i].name && !(strlen(slots[i].name) == len && !memcmp(slots[i].name, name, len))) i = (i + 1) & (cap - 1);
    return &slots[i];
}

static void grow(host_tally *t) {
    size_t cap = t->cap ? t->cap * 2 : 16;
    socfeed_hunt_host *slots = xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].name) *find_slot(slots, cap, t->slots[i].name, strlen(t->slots[i].name)) = t->slots[i];
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
}

void host_tally_add(host_tally *t, const char *name, size_t len, uint64_t count) {
    if ((t->n + 1) * 2 > t->cap) grow(t);
    socfeed_hunt_host *s = find_slot(t->slots, t->cap, name, len);
    if (!s->name) {
        s->name = xstrndup(name, len);
        t->n++;
    }
    s->detections += count;
}

void host_tally_merge(host_tally *into, const host_tally *from) {
    for (size_t i = 0; i < from->cap; i++)
        if (from->slots[i].name)
            host_tally_add(into, from->slots[i].name, strlen(from->slots[i].name), from->slots[i].detections);
}

static int by_detections(const void *a, const void *b) {
    const socfeed_hunt_host *x = a, *y = b;
    if (x->detections != y->detections) return x->detections > y->detections ? -1 : 1;
    return strcmp(x->name, y->name);
}

socfeed_hunt_host *host_tally_take_sorted(host_tally *t, size_t *n) {
    socfeed_hunt_host *out = xcalloc(t->n + 1, sizeof *out);
    size_t k = 0;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].name) out[k++] = t->slots[i];
    qsort(out, k, sizeof *out, by_detections);
    free(t->slots);
    t->slots = NULL;
    t->cap = t->n = 0;
    *n = k;
    return out;
}

void host_tally_free(host_tally *t) {
    for (size_t i = 0; i < t->cap; i++) free(t->slots[i].name);
    free(t->slots);
    t->slots = NULL;
    t->cap = t->n = 0;
}
