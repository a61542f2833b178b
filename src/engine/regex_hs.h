/* regex_hs.h — Sigma regexes run by Hyperscan where its answer is PCRE2's, in linear time.
 *
 * PCRE2 backtracks: `\+.*\+.*\+ … \+` (14 times, a SigmaHQ rule) on a long PowerShell command line
 * with fewer plus signs costs it ~400,000 cycles per event, and a hostile rule can make it give
 * up (match limit). Hyperscan runs the same pattern as an automaton. Its answer is PCRE2's when
 * both pattern and subject are ASCII: Hyperscan is then compiled without UTF-8/UCP, which on
 * ASCII text means the same classes (\w \d \s \b), the same `.`, `$` and caseless matching. Any
 * construct it does not support (back-references, lookaround, atomic groups, code points past
 * 0xFF) fails its compile and a pattern with a NUL inside is not offered to it: such regexes stay
 * with PCRE2, and so does every non-ASCII subject. tests/engine/regex_hs_test.c compares both
 * engines over SigmaHQ's regexes.
 * Not for: the regex's PCRE2 compile (rule/item_parse.c) or its literal gate (prefilter.c). */
#ifndef SOCFEED_ENGINE_REGEX_HS_H
#define SOCFEED_ENGINE_REGEX_HS_H

#include <hs.h>
#include <stdbool.h>
#include <stddef.h>

#include "socfeed/rule.h"

/* The regex value compiled for Hyperscan, or NULL (non-ASCII pattern, unsupported construct). */
hs_database_t *rx_hs_compile(const socfeed_value *v);

/* 1 when the regex matches the ASCII text (at most UINT32_MAX bytes), 0 when not, -1 when
 * Hyperscan could not scan (the caller asks PCRE2). `scratch` was allocated for `db`. */
int rx_hs_match(const hs_database_t *db, hs_scratch_t *scratch, const char *text, size_t len);

#endif
