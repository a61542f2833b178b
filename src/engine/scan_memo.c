/* scan_memo.c — see scan_memo.h. Two-way set-associative: a value seen every few events keeps its
 * place even when another value maps to the same set; the way replaced is the one not used last. */
#include "engine/scan_memo.h"

#include <stdlib.h>
#include <string.h>

#include "util/word_hash.h"
#include "util/xalloc.h"

typedef struct memo_slot {
    const void *db;   /* NULL: empty */
    uint64_t key;
    uint32_t len;     /* of the text */
    uint32_t nhits;
    uint32_t cap;     /* bytes in blob */
    uint32_t *blob;   /* nhits hits, then the text */
} memo_slot;

struct scan_memo {
    memo_slot slots[SCAN_MEMO_SETS][2];
    uint8_t last_used[SCAN_MEMO_SETS]; /* way used last in each set */
    scan_memo_stats stats;
};

scan_memo *scan_memo_new(void) { return xcalloc(1, sizeof(scan_memo)); }

void scan_memo_free(scan_memo *m) {
    if (!m) return;
    for (size_t s = 0; s < SCAN_MEMO_SETS; s++)
        for (int w = 0; w < 2; w++) free(m->slots[s][w].blob);
    free(m);
}

uint64_t scan_memo_key(const void *db, const char *text, size_t len) {
    return word_hash_bytes_from(word_hash_mix(WORD_HASH_SEED, (uint64_t)(uintptr_t)db), text, len);
}

static inline const char *slot_text(const memo_slot *s) { return (const char *)(s->blob + s->nhits); }

const uint32_t *scan_memo_find(scan_memo *m, uint64_t key, const void *db, const char *text, size_t len,
                               uint32_t *nhits) {
    m->stats.lookups++;
    size_t set = (size_t)(key & (SCAN_MEMO_SETS - 1));
    for (int w = 0; w < 2; w++) {
        const memo_slot *s = &m->slots[set][w];
        if (s->key == key && s->db == db && s->len == len && memcmp(slot_text(s), text, len) == 0) {
            m->last_used[set] = (uint8_t)w;
            m->stats.hits++;
            *nhits = s->nhits;
            return s->blob;
        }
    }
    return NULL;
}

void scan_memo_store(scan_memo *m, uint64_t key, const void *db, const char *text, size_t len, const uint32_t *hits,
                     uint32_t nhits) {
    if (len > SCAN_MEMO_MAX_TEXT || nhits > SCAN_MEMO_MAX_HITS) return;
    size_t set = (size_t)(key & (SCAN_MEMO_SETS - 1));
    int w = !m->last_used[set];
    memo_slot *s = &m->slots[set][w];
    size_t need = nhits * sizeof *hits + len;
    if (need > s->cap || !s->blob) {
        size_t cap = need < 64 ? 64 : need;
        free(s->blob);
        s->blob = xmalloc(cap);
        s->cap = (uint32_t)cap;
    }
    s->db = db;
    s->key = key;
    s->len = (uint32_t)len;
    s->nhits = nhits;
    if (nhits) memcpy(s->blob, hits, nhits * sizeof *hits);
    if (len) memcpy((char *)(s->blob + nhits), text, len);
    m->last_used[set] = (uint8_t)w;
}

scan_memo_stats scan_memo_get_stats(const scan_memo *m) { return m->stats; }
