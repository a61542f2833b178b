/* glob.c — see glob.h. */
#include "engine/glob.h"

#include <string.h>

#include "util/casefold.h"

void glob_compile(arena *a, const socfeed_pattern *p, bool cased, bool as_keyword, glob *out) {
    memset(out, 0, sizeof *out);
    out->cased = cased;
    size_t cap = p->nsegs + 2;
    socfeed_seg *segs = arena_alloc(a, cap * sizeof *segs);
    size_t n = 0;
    if (as_keyword) segs[n++] = (socfeed_seg){.kind = SOCFEED_SEG_ANY};
    for (size_t i = 0; i < p->nsegs; i++) {
        const socfeed_seg *s = &p->segs[i];
        if (s->kind == SOCFEED_SEG_ANY) {
            if (n && segs[n - 1].kind == SOCFEED_SEG_ANY) continue;
            segs[n++] = *s;
        } else if (s->kind == SOCFEED_SEG_LITERAL) {
            if (s->len == 0) continue;
            char *t = arena_alloc(a, casefold_max(s->len));
            size_t tl = cased ? (memcpy(t, s->text, s->len), s->len) : casefold_utf8(s->text, s->len, t);
            if (n && segs[n - 1].kind == SOCFEED_SEG_LITERAL) { /* merge: one memcmp, not two */
                char *m = arena_alloc(a, segs[n - 1].len + tl + 1);
                memcpy(m, segs[n - 1].text, segs[n - 1].len);
                memcpy(m + segs[n - 1].len, t, tl);
                segs[n - 1].text = m;
                segs[n - 1].len += tl;
            } else {
                segs[n++] = (socfeed_seg){.kind = SOCFEED_SEG_LITERAL, .text = t, .len = tl};
            }
        } else {
            segs[n++] = *s; /* ONE (placeholders never reach the engine) */
        }
    }
    if (as_keyword && !(n && segs[n - 1].kind == SOCFEED_SEG_ANY)) segs[n++] = (socfeed_seg){.kind = SOCFEED_SEG_ANY};
    out->segs = segs;
    out->nsegs = n;
#define IS(i, k) (segs[i].kind == SOCFEED_SEG_##k)
    if (n == 0) {
        out->kind = GLOB_EXACT;
        out->lit = "";
    } else if (n == 1 && IS(0, ANY)) {
        out->kind = GLOB_ANYTHING;
    } else if (n == 1 && IS(0, LITERAL)) {
        out->kind = GLOB_EXACT;
    } else if (n == 2 && IS(0, LITERAL) && IS(1, ANY)) {
        out->kind = GLOB_PREFIX;
    } else if (n == 2 && IS(0, ANY) && IS(1, LITERAL)) {
        out->kind = GLOB_SUFFIX;
    } else if (n == 3 && IS(0, ANY) && IS(1, LITERAL) && IS(2, ANY)) {
        out->kind = GLOB_CONTAINS;
    } else {
        out->kind = GLOB_GENERAL;
    }
#undef IS
    if (out->kind != GLOB_GENERAL && out->kind != GLOB_ANYTHING && n) {
        for (size_t i = 0; i < n; i++)
            if (segs[i].kind == SOCFEED_SEG_LITERAL) out->lit = segs[i].text, out->len = segs[i].len;
    }
}

static size_t cp_len(const char *s, size_t n, size_t i) {
    size_t adv;
    utf8_decode_at(s, n, i, &adv);
    return adv;
}

static bool general_match(const glob *g, const char *s, size_t n) {
    size_t si = 0, pi = 0;
    size_t star_pi = (size_t)-1, star_si = 0;
    for (;;) {
        if (pi == g->nsegs) {
            if (si == n) return true;
        } else {
            const socfeed_seg *seg = &g->segs[pi];
            if (seg->kind == SOCFEED_SEG_ANY) {
                if (pi + 1 == g->nsegs) return true; /* trailing `*` takes the rest */
                star_pi = pi++;
                star_si = si;
                continue;
            }
            if (seg->kind == SOCFEED_SEG_ONE) {
                if (si < n) {
                    si += cp_len(s, n, si);
                    pi++;
                    continue;
                }
            } else if (si + seg->len <= n && memcmp(s + si, seg->text, seg->len) == 0) {
                si += seg->len;
                pi++;
                continue;
            }
        }
        /* Mismatch: let the last `*` absorb one more code point and retry after it. Only the
         * last star needs revisiting, which keeps this O(len(s) × len(pattern)). */
        if (star_pi == (size_t)-1 || star_si >= n) return false;
        star_si += cp_len(s, n, star_si);
        si = star_si;
        pi = star_pi + 1;
    }
}

bool glob_match(const glob *g, const char *s, size_t n) {
    switch (g->kind) {
    case GLOB_EXACT: return n == g->len && memcmp(s, g->lit, n) == 0;
    case GLOB_PREFIX: return n >= g->len && memcmp(s, g->lit, g->len) == 0;
    case GLOB_SUFFIX: return n >= g->len && memcmp(s + n - g->len, g->lit, g->len) == 0;
    case GLOB_CONTAINS: return n >= g->len && memmem(s, n, g->lit, g->len) != NULL;
    case GLOB_ANYTHING: return true;
    case GLOB_GENERAL: return general_match(g, s, n);
    }
    return false;
}

const char *glob_required_literal(const glob *g, size_t *len) {
    const char *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < g->nsegs; i++)
        if (g->segs[i].kind == SOCFEED_SEG_LITERAL && g->segs[i].len > best_len)
            best = g->segs[i].text, best_len = g->segs[i].len;
    *len = best_len;
    return best;
}
