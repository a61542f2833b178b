/* casefold.h — Unicode simple case folding for UTF-8 text (Sigma's case-insensitive matching and
 * KQL's `=~`/`contains`), as sigma-semantics.md asks: ASCII here, every other code point by ICU's
 * u_foldCase (CaseFolding.txt, statuses C and S: the Kelvin sign folds to "k", ẞ to ß, ς to σ).
 * Invalid UTF-8 bytes pass through unchanged, so folding never loses or invents bytes. */
#ifndef SOCFEED_UTIL_CASEFOLD_H
#define SOCFEED_UTIL_CASEFOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ASCII lower case of 8 bytes at once: bytes 'A'..'Z' gain 0x20, every other byte (UTF-8
 * included) is left alone. */
static inline uint64_t casefold_lower8(uint64_t w) {
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t low7 = w & ~high;
    uint64_t ge_a = low7 + (0x80 - 'A') * ones, gt_z = low7 + (0x80 - 'Z' - 1) * ones;
    uint64_t upper = ge_a & ~gt_z & ~w & high;
    return w | (upper >> 2);
}

/* The simple case fold of one code point. */
uint32_t casefold_cp(uint32_t cp);

/* The most bytes casefold_utf8 writes for `len` input bytes. ASCII never grows, but a two-byte code
 * point can fold to a three-byte one (U+023A Ⱥ → U+2C65 ⱥ); nothing grows by more. */
/* Whether every byte is ASCII (32 bytes per step): folding such text is ASCII lower-casing, and
 * byte-oriented matchers see it as PCRE2 sees it in UTF mode. */
static inline bool ascii_only(const char *s, size_t n) {
    size_t i = 0;
    for (uint64_t w[4]; i + 32 <= n; i += 32) { /* most values are ASCII: test 32 bytes at once */
        memcpy(w, s + i, 32);
        if ((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ull) return false;
    }
    for (uint64_t w; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ull) return false;
    }
    for (; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return false;
    return true;
}

static inline size_t casefold_max(size_t len) { return len + len / 2 + 1; }

/* Folds `len` bytes of `s` into `out`, which must hold casefold_max(len) bytes. Returns the folded
 * length, which may differ from `len` either way (U+212A, three bytes, folds to "k"). */
size_t casefold_utf8(const char *s, size_t len, char *out);

/* Decodes one UTF-8 code point at s[i]; *adv receives its byte length (1 for an invalid byte). */
uint32_t utf8_decode_at(const char *s, size_t len, size_t i, size_t *adv);

#endif
