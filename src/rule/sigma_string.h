/* sigma_string.h — Sigma string values: wildcard and escape parsing into segments, the wildcards
 * that contains/startswith/endswith add, and the byte encodings of the value modifiers.
 *
 * Escape rules (sigma-semantics.md §1(d)), scanning left to right: `\*` and `\?` are literal,
 * `\\` is one `\`, `\x` for any other x keeps both characters, a trailing lone `\` is kept.
 * Under |expand, `%name%` is a placeholder and `\%` a literal `%`.
 * Not for: regular expressions (|re takes the raw text). */
#ifndef SOCFEED_RULE_SIGMA_STRING_H
#define SOCFEED_RULE_SIGMA_STRING_H

#include <stdbool.h>
#include <stddef.h>

#include "socfeed/rule.h"
#include "util/arena.h"

/* A pattern under construction: plain malloc'ed memory, copied into an arena when final. */
typedef struct pattern_buf {
    socfeed_seg *segs;
    size_t nsegs, cap;
} pattern_buf;

void pattern_buf_free(pattern_buf *p);
void pattern_buf_add(pattern_buf *p, socfeed_seg_kind kind, const char *text, size_t len);
void pattern_buf_copy(pattern_buf *dst, const pattern_buf *src);
socfeed_pattern pattern_buf_finish(const pattern_buf *p, arena *a);

/* Parses a Sigma string value. Literal segment text points into `s` or into arena memory. */
void sigma_parse_string(pattern_buf *out, arena *a, const char *s, size_t len, bool expand);

/* contains/startswith/endswith: add `*` at the start and/or end unless one is already there. */
void pattern_wrap(pattern_buf *p, bool at_start, bool at_end);

bool pattern_has_wildcards(const pattern_buf *p);
bool pattern_has_placeholders(const pattern_buf *p);
/* The literal bytes of a pattern without wildcards (concatenated) into arena memory. */
const char *pattern_literal(const pattern_buf *p, arena *a, size_t *len);

/* Encodings; all return arena memory. */
char *sigma_base64(arena *a, const unsigned char *in, size_t len, size_t *out_len);
/* The three base64offset fragments of `in` (byte length, not character count: a deliberate
 * fix of pySigma's character-count bug for non-ASCII values). */
void sigma_base64offset(arena *a, const unsigned char *in, size_t len, char *out[3], size_t out_len[3]);
/* UTF-16 of ASCII text; returns false if `in` has a non-ASCII byte. bom adds FF FE (LE only). */
bool sigma_utf16(arena *a, const char *in, size_t len, bool big_endian, bool bom, char **out, size_t *out_len);

/* windash: the 5^n variants of a pattern (n = dashes at a word start); returns the count, or 0
 * when there would be more than `limit`. Variants are appended to `out` (caller frees each). */
size_t sigma_windash(const pattern_buf *in, pattern_buf **out, size_t limit, arena *a);
/* At most this many dashes vary, and a variant's dash is at most 3 bytes: a variant is at most
 * 2 * SIGMA_WINDASH_MAX_DASHES bytes longer than its pattern. */
enum { SIGMA_WINDASH_MAX_DASHES = 16 };

#endif
