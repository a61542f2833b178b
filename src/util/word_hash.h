/* word_hash.h — a hash that takes 8 bytes a step, for in-memory tables on a hot path (field names
 * in engine/field_view.c, scanned values in engine/scan_memo.c). Not stable across versions: for
 * anything stored or compared between runs, use fnv.h. */
#ifndef SOCFEED_UTIL_WORD_HASH_H
#define SOCFEED_UTIL_WORD_HASH_H

#include <stdint.h>

#define WORD_HASH_SEED 0x243F6A8885A308D3ull

/* Mixes the word w into h. */
static inline uint64_t word_hash_mix(uint64_t h, uint64_t w) {
    h = (h ^ w) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 32);
}

#endif
