/* decimal.h — integers as decimal text without printf (event values are rendered for every event:
 * snprintf showed in the profiles of hunt and dump). */
#ifndef SOCFEED_UTIL_DECIMAL_H
#define SOCFEED_UTIL_DECIMAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum { DECIMAL_MAX = 21 }; /* "-9223372036854775808" plus a NUL */

/* Writes u into out (DECIMAL_MAX bytes), NUL-terminated; returns the length. */
static inline size_t decimal_u64(uint64_t u, char *out) {
    char tmp[DECIMAL_MAX], *p = tmp + sizeof tmp;
    do *--p = (char)('0' + u % 10);
    while (u /= 10);
    size_t n = (size_t)(tmp + sizeof tmp - p);
    memcpy(out, p, n);
    out[n] = 0;
    return n;
}

static inline size_t decimal_i64(int64_t i, char *out) {
    if (i >= 0) return decimal_u64((uint64_t)i, out);
    out[0] = '-';
    return 1 + decimal_u64(0 - (uint64_t)i, out + 1);
}

/* Writes v as exactly `width` digits, zero-padded on the left (v must fit); returns out + width. */
static inline char *decimal_fixed(unsigned v, unsigned width, char *out) {
    for (unsigned i = width; i-- > 0; v /= 10) out[i] = (char)('0' + v % 10);
    return out + width;
}

#endif
