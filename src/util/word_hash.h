/* word_hash.h — a hash that takes 8 bytes a step, for in-memory tables on a hot path (field names
 * in engine/field_view.c, scanned values in engine/scan_memo.c, routing keys in engine/engine.c). Not stable across versions: for
 * anything stored or compared between runs, use fnv.h. */
#ifndef SOCFEED_UTIL_WORD_HASH_H
#define SOCFEED_UTIL_WORD_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define WORD_HASH_SEED 0x243F6A8885A308D3ull

/* Mixes the word w into h. */
static inline uint64_t word_hash_mix(uint64_t h, uint64_t w) {
    h = (h ^ w) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 32);
}

/* Mixes len bytes at p into h, 8 a step, then the length (so "a" and "a\0" differ). */
static inline uint64_t word_hash_bytes_from(uint64_t h, const void *p, size_t len) {
    const char *b = p;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        h = word_hash_mix(h, w);
    }
    if (i < len) {
        uint64_t w = 0;
        memcpy(&w, b + i, len - i);
        h = word_hash_mix(h, w);
    }
    return word_hash_mix(h, len);
}

static inline uint64_t word_hash_bytes(const void *p, size_t len) {
    return word_hash_bytes_from(WORD_HASH_SEED, p, len);
}

#endif
