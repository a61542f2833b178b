/* sigma_string.c — see sigma_string.h. */
#include "rule/sigma_string.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void pattern_buf_free(pattern_buf *p) {
    free(p->segs);
    memset(p, 0, sizeof *p);
}

void pattern_buf_add(pattern_buf *p, socfeed_seg_kind kind, const char *text, size_t len) {
    if (kind == SOCFEED_SEG_LITERAL && len == 0) return;
    /* Adjacent `*` collapse: `**` matches exactly what `*` matches. */
    if (kind == SOCFEED_SEG_ANY && p->nsegs && p->segs[p->nsegs - 1].kind == SOCFEED_SEG_ANY) return;
    if (p->nsegs == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 8;
        p->segs = xrealloc(p->segs, p->cap * sizeof *p->segs);
    }
    p->segs[p->nsegs++] = (socfeed_seg){kind, text, len};
}

void pattern_buf_copy(pattern_buf *dst, const pattern_buf *src) {
    memset(dst, 0, sizeof *dst);
    for (size_t i = 0; i < src->nsegs; i++)
        pattern_buf_add(dst, src->segs[i].kind, src->segs[i].text, src->segs[i].len);
}

/* Final form: adjacent literals merged into one segment, copied into the arena. */
socfeed_pattern pattern_buf_finish(const pattern_buf *p, arena *a) {
    socfeed_pattern out = {0};
    out.segs = arena_alloc(a, (p->nsegs ? p->nsegs : 1) * sizeof *out.segs);
    for (size_t i = 0; i < p->nsegs;) {
        const socfeed_seg *s = &p->segs[i];
        if (s->kind != SOCFEED_SEG_LITERAL) {
            socfeed_seg copy = *s;
            if (s->kind == SOCFEED_SEG_PLACEHOLDER) copy.text = arena_strndup(a, s->text, s->len);
            out.segs[out.nsegs++] = copy;
            i++;
            continue;
        }
        size_t total = 0, j = i;
        for (; j < p->nsegs && p->segs[j].kind == SOCFEED_SEG_LITERAL; j++) total += p->segs[j].len;
        char *text = arena_alloc(a, total + 1);
        size_t off = 0;
        for (size_t k = i; k < j; k++) {
            memcpy(text + off, p->segs[k].text, p->segs[k].len);
            off += p->segs[k].len;
        }
        out.segs[out.nsegs++] = (socfeed_seg){SOCFEED_SEG_LITERAL, text, total};
        i = j;
    }
    return out;
}

void sigma_parse_string(pattern_buf *out, arena *a, const char *s, size_t len, bool expand) {
    size_t lit_start = 0; /* start of the pending literal run in s */
    size_t i = 0;
#define FLUSH_TO(end) pattern_buf_add(out, SOCFEED_SEG_LITERAL, s + lit_start, (end) - lit_start)
    while (i < len) {
        char c = s[i];
        if (c == '\\') {
            if (i + 1 >= len) { i++; continue; } /* trailing lone backslash: kept as literal */
            char n = s[i + 1];
            if (n == '*' || n == '?' || n == '\\' || (expand && n == '%')) {
                FLUSH_TO(i);
                pattern_buf_add(out, SOCFEED_SEG_LITERAL, s + i + 1, 1); /* the escaped char */
                i += 2;
                lit_start = i;
                continue;
            }
            i += 2; /* `\x`: both characters stay literal */
            continue;
        }
        if (c == '*' || c == '?') {
            FLUSH_TO(i);
            pattern_buf_add(out, c == '*' ? SOCFEED_SEG_ANY : SOCFEED_SEG_ONE, NULL, 0);
            i++;
            lit_start = i;
            continue;
        }
        if (expand && c == '%') {
            const char *close = memchr(s + i + 1, '%', len - i - 1);
            if (close && close > s + i + 1) {
                FLUSH_TO(i);
                size_t name_len = (size_t)(close - (s + i + 1));
                pattern_buf_add(out, SOCFEED_SEG_PLACEHOLDER, arena_strndup(a, s + i + 1, name_len), name_len);
                i = (size_t)(close - s) + 1;
                lit_start = i;
                continue;
            }
        }
        i++;
    }
    FLUSH_TO(len);
#undef FLUSH_TO
}

void pattern_wrap(pattern_buf *p, bool at_start, bool at_end) {
    if (at_start && !(p->nsegs && p->segs[0].kind == SOCFEED_SEG_ANY)) {
        pattern_buf_add(p, SOCFEED_SEG_ANY, NULL, 0); /* append, then rotate to the front */
        if (p->nsegs > 1) {
            socfeed_seg star = p->segs[p->nsegs - 1];
            memmove(p->segs + 1, p->segs, (p->nsegs - 1) * sizeof *p->segs);
            p->segs[0] = star;
        }
    }
    if (at_end && !(p->nsegs && p->segs[p->nsegs - 1].kind == SOCFEED_SEG_ANY))
        pattern_buf_add(p, SOCFEED_SEG_ANY, NULL, 0);
}

bool pattern_has_wildcards(const pattern_buf *p) {
    for (size_t i = 0; i < p->nsegs; i++)
        if (p->segs[i].kind == SOCFEED_SEG_ANY || p->segs[i].kind == SOCFEED_SEG_ONE) return true;
    return false;
}

bool pattern_has_placeholders(const pattern_buf *p) {
    for (size_t i = 0; i < p->nsegs; i++)
        if (p->segs[i].kind == SOCFEED_SEG_PLACEHOLDER) return true;
    return false;
}

const char *pattern_literal(const pattern_buf *p, arena *a, size_t *len) {
    size_t total = 0;
    for (size_t i = 0; i < p->nsegs; i++) total += p->segs[i].len;
    char *out = arena_alloc(a, total + 1), *w = out;
    for (size_t i = 0; i < p->nsegs; i++) {
        memcpy(w, p->segs[i].text, p->segs[i].len);
        w += p->segs[i].len;
    }
    *len = total;
    return out;
}

static const char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *sigma_base64(arena *a, const unsigned char *in, size_t len, size_t *out_len) {
    size_t n = 4 * ((len + 2) / 3);
    char *out = arena_alloc(a, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < len) v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < len) v |= in[i + 2];
        out[o++] = b64_alphabet[(v >> 18) & 63];
        out[o++] = b64_alphabet[(v >> 12) & 63];
        out[o++] = i + 1 < len ? b64_alphabet[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? b64_alphabet[v & 63] : '=';
    }
    out[o] = 0;
    *out_len = o;
    return out;
}

void sigma_base64offset(arena *a, const unsigned char *in, size_t len, char *out[3], size_t out_len[3]) {
    /* b64(' ' * i + v)[start[i] : end[(len + i) % 3]] with start = (0, 2, 3), end = (none, -3, -2):
     * the characters that do not depend on the unknown bytes around the value. */
    static const size_t start[3] = {0, 2, 3};
    static const size_t cut_end[3] = {0, 3, 2};
    unsigned char *shifted = arena_alloc(a, len + 2);
    for (size_t i = 0; i < 3; i++) {
        memset(shifted, ' ', i);
        memcpy(shifted + i, in, len);
        size_t enc_len;
        char *enc = sigma_base64(a, shifted, len + i, &enc_len);
        size_t e = cut_end[(len + i) % 3];
        size_t stop = enc_len >= e ? enc_len - e : 0;
        size_t from = start[i] < stop ? start[i] : stop;
        out[i] = enc + from;
        out_len[i] = stop - from;
        enc[stop] = 0;
    }
}

bool sigma_utf16(arena *a, const char *in, size_t len, bool big_endian, bool bom, char **out, size_t *out_len) {
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)in[i] >= 0x80) return false;
    size_t n = 2 * len + (bom ? 2 : 0);
    char *o = arena_alloc(a, n + 1), *w = o;
    if (bom) {
        *w++ = big_endian ? (char)0xFE : (char)0xFF;
        *w++ = big_endian ? (char)0xFF : (char)0xFE;
    }
    for (size_t i = 0; i < len; i++) {
        if (big_endian) { *w++ = 0; *w++ = in[i]; }
        else { *w++ = in[i]; *w++ = 0; }
    }
    *out = o;
    *out_len = n;
    return true;
}

/* ---- windash ---- */

/* Decodes one UTF-8 code point at s[i] (lenient: a bad byte counts as one code point). */
static uint32_t utf8_at(const char *s, size_t len, size_t i, size_t *adv) {
    unsigned char c = (unsigned char)s[i];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + n > len) n = 1;
    uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < n; k++) cp = (cp << 6) | ((unsigned char)s[i + k] & 0x3F);
    *adv = n;
    return cp;
}

/* Python's Unicode-aware \w, closely enough: ASCII alphanumerics and `_`, and non-ASCII code
 * points outside the punctuation, symbol and space blocks. */
static bool is_word_cp(uint32_t cp) {
    if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp == '_';
    if (cp <= 0xBF) return cp == 0xAA || cp == 0xB2 || cp == 0xB3 || cp == 0xB5 || cp == 0xB9 || cp == 0xBA || (cp >= 0xBC && cp <= 0xBE);
    if (cp == 0xD7 || cp == 0xF7) return false;
    if (cp >= 0x2000 && cp <= 0x2BFF) return false; /* punctuation, symbols, arrows, box drawing */
    if (cp >= 0x3000 && cp <= 0x303F) return false; /* CJK punctuation */
    if (cp >= 0xFE30 && cp <= 0xFE4F) return false;
    if (cp >= 0xFF00 && cp <= 0xFF0F) return false;
    return true;
}

/* Positions (byte offsets within a literal) where `\B[-/]\b` matches. */
static size_t windash_positions(const char *s, size_t len, size_t *pos, size_t max) {
    size_t n = 0, i = 0;
    bool prev_word = false; /* at the start of a plain part, \B before a non-word char holds */
    while (i < len) {
        size_t adv;
        uint32_t cp = utf8_at(s, len, i, &adv);
        if ((cp == '-' || cp == '/') && !prev_word && i + 1 < len) {
            size_t adv2;
            uint32_t next = utf8_at(s, len, i + 1, &adv2);
            if (is_word_cp(next)) {
                if (n < max) pos[n] = i;
                n++;
            }
        }
        prev_word = is_word_cp(cp);
        i += adv;
    }
    return n;
}

size_t sigma_windash(const pattern_buf *in, pattern_buf **out, size_t limit, arena *a) {
    static const char *const dashes[5] = {"-", "/", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x95"};
    static const size_t dash_len[5] = {1, 1, 3, 3, 3};
    /* Collect (segment, offset) of every expandable dash. */
    size_t seg_of[SIGMA_WINDASH_MAX_DASHES], off_of[SIGMA_WINDASH_MAX_DASHES], ndash = 0;
    for (size_t s = 0; s < in->nsegs; s++) {
        if (in->segs[s].kind != SOCFEED_SEG_LITERAL) continue;
        size_t pos[SIGMA_WINDASH_MAX_DASHES];
        size_t n = windash_positions(in->segs[s].text, in->segs[s].len, pos, SIGMA_WINDASH_MAX_DASHES);
        for (size_t k = 0; k < n; k++) {
            if (ndash >= SIGMA_WINDASH_MAX_DASHES) return 0;
            seg_of[ndash] = s;
            off_of[ndash] = pos[k];
            ndash++;
        }
    }
    size_t total = 1;
    for (size_t k = 0; k < ndash; k++) {
        total *= 5;
        if (total > limit) return 0;
    }
    *out = xcalloc(total, sizeof **out);
    for (size_t v = 0; v < total; v++) {
        pattern_buf *p = &(*out)[v];
        /* The first dash varies slowest, so variants read in order: `-a -b`, `-a /b`, … */
        size_t weight = total / 5, d = 0;
        for (size_t s = 0; s < in->nsegs; s++) {
            const socfeed_seg *seg = &in->segs[s];
            if (seg->kind != SOCFEED_SEG_LITERAL) {
                pattern_buf_add(p, seg->kind, seg->text, seg->len);
                continue;
            }
            size_t from = 0;
            for (; d < ndash && seg_of[d] == s; d++) {
                size_t choice = (v / (weight ? weight : 1)) % 5;
                weight /= 5;
                pattern_buf_add(p, SOCFEED_SEG_LITERAL, seg->text + from, off_of[d] - from);
                pattern_buf_add(p, SOCFEED_SEG_LITERAL, arena_strndup(a, dashes[choice], dash_len[choice]), dash_len[choice]);
                from = off_of[d] + 1;
            }
            pattern_buf_add(p, SOCFEED_SEG_LITERAL, seg->text + from, seg->len - from);
        }
    }
    return total;
}
