/* casefold.h — Unicode simple case folding for UTF-8 text (Sigma's case-insensitive matching and
 * KQL's `=~`/`contains`). Covers ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic, which is
 * where the corpus's non-ASCII values (homoglyphs) live; other code points fold to themselves.
 * Invalid UTF-8 bytes pass through unchanged, so folding never loses or invents bytes. */
#ifndef SOCFEED_UTIL_CASEFOLD_H
#define SOCFEED_UTIL_CASEFOLD_H

#include <stddef.h>
#include <stdint.h>

/* The simple case fold of one code point. */
uint32_t casefold_cp(uint32_t cp);

/* Folds `len` bytes of `s` into `out`, which must hold at least `len` bytes (folding never makes
 * UTF-8 longer for the covered ranges). Returns the folded length. */
size_t casefold_utf8(const char *s, size_t len, char *out);

/* Decodes one UTF-8 code point at s[i]; *adv receives its byte length (1 for an invalid byte). */
uint32_t utf8_decode_at(const char *s, size_t len, size_t i, size_t *adv);

#endif
