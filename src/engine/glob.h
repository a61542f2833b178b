/* glob.h — a Sigma string pattern (literals, `*`, `?`) compiled for matching whole values.
 *
 * Most corpus values are one literal with `*` at one or both ends, so those shapes get a direct
 * test (memcmp / memmem); the rest run a linear-space wildcard matcher in which `?` is one UTF-8
 * code point and `*` backtracks only to its last occurrence (no exponential blow-up).
 * Case-insensitive patterns hold case-folded literals and expect folded subject text. */
#ifndef SOCFEED_ENGINE_GLOB_H
#define SOCFEED_ENGINE_GLOB_H

#include <stdbool.h>
#include <stddef.h>

#include "socfeed/rule.h"
#include "util/arena.h"

typedef enum glob_kind {
    GLOB_EXACT,    /* lit */
    GLOB_PREFIX,   /* lit* */
    GLOB_SUFFIX,   /* *lit */
    GLOB_CONTAINS, /* *lit* */
    GLOB_ANYTHING, /* * : any value, even empty */
    GLOB_GENERAL
} glob_kind;

typedef struct glob {
    glob_kind kind;
    bool cased;            /* literals kept as written; subject must be the raw text */
    const char *lit;       /* the literal of the simple shapes */
    size_t len;
    socfeed_seg *segs;     /* GENERAL: adjacent literals merged, runs of `*` collapsed */
    size_t nsegs;
    /* Set when the literal of this (case-insensitive) glob is in the prefilter database of its
     * rule's route: after that route's scan, where the literal occurs decides a simple glob's
     * match without looking at the text again; for a GENERAL glob (its required literal), its
     * absence rules the match out (prefilter.h). */
    const struct pf_route *pf_route;
    uint32_t pf_lit;
} glob;

/* Compiles `p`. With `as_keyword`, the pattern is wrapped in `*…*` (keywords match anywhere).
 * Placeholder segments must have been resolved before (the engine refuses such rules). */
void glob_compile(arena *a, const socfeed_pattern *p, bool cased, bool as_keyword, glob *out);

/* Matches the whole subject (folded unless g->cased). */
bool glob_match(const glob *g, const char *s, size_t n);

/* The longest literal every match must contain, for the prefilter; NULL when none. */
const char *glob_required_literal(const glob *g, size_t *len);

#endif
