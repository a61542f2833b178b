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

/* Mixes len bytes at p into h, then the length (so "a" and "a\0" differ). Long texts go 32 bytes
 * a step through four independent lanes: one chain of multiplies waits on each product, which
 * made hashing a remembered command line cost some 200 instructions' worth of latency. */
static inline uint64_t word_hash_bytes_from(uint64_t h, const void *p, size_t len) {
    const char *b = p;
    size_t i = 0;
    if (len >= 64) {
        uint64_t h0 = h, h1 = h ^ 0x13198A2E03707344ull, h2 = h ^ 0xA4093822299F31D0ull, h3 = h ^ 0x082EFA98EC4E6C89ull;
        for (; i + 32 <= len; i += 32) {
            uint64_t w0, w1, w2, w3;
            memcpy(&w0, b + i, 8);
            memcpy(&w1, b + i + 8, 8);
            memcpy(&w2, b + i + 16, 8);
            memcpy(&w3, b + i + 24, 8);
            h0 = word_hash_mix(h0, w0);
            h1 = word_hash_mix(h1, w1);
            h2 = word_hash_mix(h2, w2);
            h3 = word_hash_mix(h3, w3);
        }
        h = word_hash_mix(word_hash_mix(word_hash_mix(h0, h1), h2), h3);
    }
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
