/* casefold.h — Unicode simple case folding for UTF-8 text (Sigma's case-insensitive matching and
 * KQL's `=~`/`contains`). Covers ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic, which is
 * where the corpus's non-ASCII values (homoglyphs) live; other code points fold to themselves.
 * Invalid UTF-8 bytes pass through unchanged, so folding never loses or invents bytes. */
#ifndef SOCFEED_UTIL_CASEFOLD_H
#define SOCFEED_UTIL_CASEFOLD_H

#include <stddef.h>
#include <stdint.h>

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

/* Folds `len` bytes of `s` into `out`, which must hold at least `len` bytes. Returns the folded
 * length, which is `len`: every covered code point folds to one of the same UTF-8 length (the
 * prefilter relies on it to read offsets in the raw text as offsets in the folded one). */
size_t casefold_utf8(const char *s, size_t len, char *out);

/* Decodes one UTF-8 code point at s[i]; *adv receives its byte length (1 for an invalid byte). */
uint32_t utf8_decode_at(const char *s, size_t len, size_t i, size_t *adv);

#endif
