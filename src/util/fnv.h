/* fnv.h — FNV-1a, the project's one non-cryptographic hash of bytes: stable across runs and
 * machines (feed entry hashes, derived rule ids), and good enough for small hash tables.
 * Not for hot in-memory tables of field names or values: word_hash.h takes 8 bytes a step. */
#ifndef SOCFEED_UTIL_FNV_H
#define SOCFEED_UTIL_FNV_H

#include <stddef.h>
#include <stdint.h>

#define FNV1A_OFFSET 0xcbf29ce484222325ULL

/* Continues hash `h` (FNV1A_OFFSET to start) over data[0..len). */
static inline uint64_t fnv1a(uint64_t h, const void *data, size_t len) {
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

#endif
