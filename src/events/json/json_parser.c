/* json_parser.c — the incremental JSON event parser (see json_parser.h for the contract).
 *
 * Structure: json_parser_feed() is the top-level loop (records, top-level arrays, recovery);
 * parse_record() builds one value tree without recursion (an explicit frame stack, so a hostile
 * nesting depth costs a diagnostic, not the C stack); parse_string() and parse_number() do the
 * leaves. Recovery after an error is either a resynchronisation on line starts (syntax errors:
 * the structure is unknown) or a structural skip (depth and size limits: the structure is fine).
 *
 * Why the tree is built through `slots`: a container's size is unknown until it closes, so its
 * members pile up on one growable stack and are copied into the block pool in one piece at the close.
 * That gives exact-size arrays without per-value allocation.
 *
 * Position tracking: a raw newline can only occur in whitespace in valid JSON, so the whitespace
 * skipper counts lines; every other path that passes bytes (string scan, resync, skip) either
 * stops at control characters or counts newlines itself. Columns are byte columns. */
#include "events/json/json_parser.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events/json/json_scan.h"
#include "util/xalloc.h"

enum {
    BUMP_BLOCK = 256 * 1024,          /* pool block the bump allocator carves */
    POOL_KEEP_BLOCKS = 16,            /* blocks kept across events (4 MiB) */
    STRING_MIN_ROOM = 16 * 1024,      /* room wanted before decoding a string in place */
    DEFAULT_MAX_DEPTH = 64,
};
#define DEFAULT_MAX_EVENT_BYTES ((size_t)64 << 20)
/* Event lengths are uint32 in event.h; the event limit keeps every string below that. */
#define HARD_MAX_EVENT_BYTES ((size_t)UINT32_MAX - 1)

/* ---- positions ------------------------------------------------------------------------------ */

static inline uint64_t offset_of(const json_parser *r, const char *p) {
    return r->base_offset + (uint64_t)(p - r->data);
}

static inline void note_newline(json_parser *r, const char *nl) {
    r->line++;
    r->line_start = offset_of(r, nl) + 1;
}

static uint32_t clamp32(uint64_t v) { return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v; }

/* Line and column of p. p is at or after the current line start (errors happen at the scanning
 * point), or inside the current event (duplicate keys, found when their object closes): then the
 * lines are counted from the event start. */
static socfeed_pos locate(const json_parser *r, const char *p) {
    uint64_t off = offset_of(r, p);
    if (off >= r->line_start)
        return (socfeed_pos){clamp32(r->line), clamp32(off - r->line_start + 1)};
    uint64_t line = r->ev_line;
    const char *line_begin = NULL;
    for (const char *q = r->ev_start; q < p; q++)
        if (*q == '\n') {
            line++;
            line_begin = q + 1;
        }
    uint64_t col = line_begin ? (uint64_t)(p - line_begin) + 1 : r->ev_col + (uint64_t)(p - r->ev_start);
    return (socfeed_pos){clamp32(line), clamp32(col)};
}

/* ---- errors --------------------------------------------------------------------------------- */

__attribute__((format(printf, 4, 5))) static int fail(json_parser *r, const char *pos,
                                                      const char *code, const char *fmt, ...) {
    r->err_pos = pos;
    r->err_code = code;
    r->err_eof = false;
    r->err_skip = false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err_msg, sizeof r->err_msg, fmt, ap);
    va_end(ap);
    return -1;
}

static int fail_eof(json_parser *r, const char *what) {
    fail(r, r->end, "json-syntax", "unexpected end of input %s", what);
    r->err_eof = true;
    return -1;
}

/* Describes the byte at p for a message: 'x' when printable, else its hex value. */
static const char *describe_byte(const char *p, char buf[16]) {
    unsigned char c = (unsigned char)*p;
    if (c > 0x20 && c < 0x7F) snprintf(buf, 16, "'%c'", c);
    else snprintf(buf, 16, "byte 0x%02X", c);
    return buf;
}

static int fail_unexpected(json_parser *r, const char *p, const char *expected) {
    char b[16];
    return fail(r, p, "json-syntax", "expected %s, found %s", expected, describe_byte(p, b));
}

__attribute__((format(printf, 4, 5))) static void warn(json_parser *r, const char *pos,
                                                       const char *code, const char *fmt, ...) {
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    socfeed_pos at = locate(r, pos);
    socfeed_diag_add(&r->pending, SOCFEED_WARNING, r->name, at, code, "%s at line %u col %u", msg,
                     at.line, at.col);
}

/* ---- memory --------------------------------------------------------------------------------- */

static void *big_alloc(json_parser *r, size_t n) {
    if (r->nbig == r->big_cap) {
        r->big_cap = r->big_cap ? r->big_cap * 2 : 8;
        r->big = xrealloc(r->big, r->big_cap * sizeof *r->big);
    }
    return r->big[r->nbig++] = xmalloc(n ? n : 1);
}

/* Makes the next pool block current (allocating it the first time it is needed). */
static void next_block(json_parser *r) {
    if (r->bump) r->cur_block++;
    if (r->cur_block == r->nblocks) {
        r->blocks = xrealloc(r->blocks, (r->nblocks + 1) * sizeof *r->blocks);
        r->blocks[r->nblocks++] = xmalloc(BUMP_BLOCK);
    }
    r->bump = r->blocks[r->cur_block];
    r->bump_end = r->bump + BUMP_BLOCK;
}

static void *bump_refill(json_parser *r, size_t n) {
    if (n >= BUMP_BLOCK / 4) return big_alloc(r, n); /* own block; the current one stays */
    next_block(r);
    void *p = r->bump;
    r->bump += n;
    return p;
}

/* Bump allocation without zeroing: every byte handed out is written by the caller. `align` is a
 * power of two. */
static inline void *bump_alloc(json_parser *r, size_t n, size_t align) {
    if (r->bump) {
        uintptr_t at = ((uintptr_t)r->bump + (align - 1)) & ~(uintptr_t)(align - 1);
        if (at <= (uintptr_t)r->bump_end && n <= (uintptr_t)r->bump_end - at) {
            r->bump = (char *)at + n;
            return (char *)at;
        }
    }
    return bump_refill(r, n);
}

/* Rewinds the pool before an event: the previous event's tree is dead once its callback returned.
 * Keeps a few blocks for reuse and frees the rest, so one huge event does not pin its memory. */
static void reset_memory(json_parser *r) {
    for (uint32_t i = 0; i < r->nbig; i++) free(r->big[i]);
    r->nbig = 0;
    while (r->nblocks > POOL_KEEP_BLOCKS) free(r->blocks[--r->nblocks]);
    r->cur_block = 0;
    r->bump = r->bump_end = NULL;
}

static void grow_slots(json_parser *r) {
    r->slot_cap = r->slot_cap ? r->slot_cap * 2 : 256;
    r->slots = xrealloc(r->slots, r->slot_cap * sizeof *r->slots);
    r->key_pos = xrealloc(r->key_pos, r->slot_cap * sizeof *r->key_pos);
}

static inline uint32_t push_slot(json_parser *r) {
    if (r->nslots == r->slot_cap) grow_slots(r);
    uint32_t s = r->nslots++;
    r->slots[s].key = NULL;
    r->slots[s].key_len = 0;
    return s;
}

/* ---- leaves --------------------------------------------------------------------------------- */

static inline const char *skip_ws(json_parser *r, const char *p) {
    const char *end = r->end;
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (c > ' ') break;
        if (c == '\n') note_newline(r, p);
        else if (c != ' ' && c != '\t' && c != '\r') break;
        p++;
    }
    return p;
}

/* Decodes the escapes of a string body already validated by parse_string. Returns the length. */
static size_t decode_escapes(json_parser *r, const char *s, const char *e, char *out) {
    char *o = out;
    while (s < e) {
        const char *bs = memchr(s, '\\', (size_t)(e - s));
        if (!bs) {
            memcpy(o, s, (size_t)(e - s));
            o += e - s;
            break;
        }
        memcpy(o, s, (size_t)(bs - s));
        o += bs - s;
        s = bs + 2;
        switch (bs[1]) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        default: { /* 'u', validated */
            uint32_t cp = (uint32_t)json_hex4(bs + 2);
            s = bs + 6;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                int32_t low = (e - s >= 6 && s[0] == '\\' && s[1] == 'u') ? json_hex4(s + 2) : -1;
                if (low >= 0xDC00 && low <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)low - 0xDC00);
                    s += 6;
                } else {
                    warn(r, bs, "json-surrogate", "lone UTF-16 surrogate \\u%.4s replaced by U+FFFD",
                         bs + 2);
                    cp = 0xFFFD;
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                warn(r, bs, "json-surrogate", "lone UTF-16 surrogate \\u%.4s replaced by U+FFFD",
                     bs + 2);
                cp = 0xFFFD;
            }
            o += json_put_utf8(o, cp);
        }
        }
    }
    return (size_t)(o - out);
}

/* The exact string path: two passes, find the end while validating (UTF-8, control characters,
 * escapes), then copy or decode into pool memory of the raw size (decoding never grows a string).
 * Handles everything, including errors, warnings and strings of any size; parse_string tries a
 * faster single pass first and falls back to this. Arguments as parse_string. */
static int parse_string_exact(json_parser *r, const char **pp, const char **out, uint32_t *out_len) {
    const char *start = *pp + 1, *p = start, *end = r->end;
    bool escaped = false;
    for (;;) {
        p = json_scan_string_run(p, end);
        if (p == end) return fail_eof(r, "in a string");
        unsigned char c = (unsigned char)*p;
        if (c == '"') break;
        if (c == '\\') {
            escaped = true;
            if (end - p < 2) return fail_eof(r, "in a string");
            switch (p[1]) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                p += 2;
                continue;
            case 'u':
                if (end - p < 6) {
                    for (const char *h = p + 2; h < end; h++)
                        if (!isxdigit((unsigned char)*h))
                            return fail(r, p, "json-syntax", "invalid \\u escape: 4 hex digits expected");
                    return fail_eof(r, "in a string");
                }
                if (json_hex4(p + 2) < 0)
                    return fail(r, p, "json-syntax", "invalid \\u escape: 4 hex digits expected");
                p += 6;
                continue;
            default: {
                char b[16];
                return fail(r, p, "json-syntax", "invalid escape: backslash followed by %s",
                            describe_byte(p + 1, b));
            }
            }
        }
        if (c < 0x20)
            return fail(r, p, "json-syntax",
                        "control character U+%04X in a string (must be escaped)", c);
        int n = json_utf8_sequence(p, end);
        if (n == 0) return fail(r, p, "json-utf8", "invalid UTF-8 (byte 0x%02X) in a string", c);
        if (n < 0) return fail_eof(r, "in a string");
        p += n;
    }
    size_t raw = (size_t)(p - start);
    if ((size_t)(p - r->ev_start) > r->max_event_bytes) {
        fail(r, r->ev_start, "json-too-large", "larger than %zu bytes", r->max_event_bytes);
        r->err_skip = true;
        return -1;
    }
    char *dst = bump_alloc(r, raw + 1, 1);
    size_t len;
    if (!escaped) {
        memcpy(dst, start, raw);
        len = raw;
    } else
        len = decode_escapes(r, start, p, dst);
    dst[len] = 0;
    *out = dst;
    *out_len = (uint32_t)len;
    *pp = p + 1;
    return 0;
}

#if defined(__SSE2__)
/* Bytes of v that end a plain run ('"', '\\', < 0x20, >= 0x80), as a bit mask. */
static inline unsigned special_mask(__m128i v) {
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                          _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                             _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
    return (unsigned)_mm_movemask_epi8(m);
}
#endif

static inline bool is_plain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

/* *pp points at the opening quote. On success stores the decoded, NUL-terminated string (in pool
 * memory) and leaves *pp after the closing quote.
 *
 * Why two paths: OTRF events carry ~190 escapes each (\r\n\t in Message, \\ in paths), so
 * scanning a string and then decoding it again costs twice. The fast path below copies plain
 * runs 16 bytes at a time and decodes escapes as it meets them, straight into the free space of
 * the current block, and commits that space only at the closing quote. Anything unusual (an error,
 * a lone surrogate that needs a warning, the end of the span, a string larger than the room left)
 * hands over to parse_string_exact, which starts again from the opening quote; nothing was
 * committed or reported, so no work shows twice. */
static int parse_string(json_parser *r, const char **pp, const char **out, uint32_t *out_len) {
    const char *start = *pp + 1, *end = r->end;
    const char *q = json_scan_string_run(start, end);
    if (q < end && *q == '"') { /* no escape, no multi-byte character: one copy */
        size_t n = (size_t)(q - start);
        if ((size_t)(q - r->ev_start) > r->max_event_bytes)
            return parse_string_exact(r, pp, out, out_len);
        char *dst = bump_alloc(r, n + 1, 1);
        memcpy(dst, start, n);
        dst[n] = 0;
        *out = dst;
        *out_len = (uint32_t)n;
        *pp = q + 1;
        return 0;
    }
    if (!r->bump || (size_t)(r->bump_end - r->bump) < STRING_MIN_ROOM) next_block(r);
    char *const dst = r->bump;
    char *o = dst;
    char *const limit = r->bump_end - 1; /* keep a byte for the NUL */
    size_t n = (size_t)(q - start);
    if (n > (size_t)(limit - o)) return parse_string_exact(r, pp, out, out_len);
    memcpy(o, start, n);
    o += n;
    for (;;) {
        if (q == end || limit - o < 4) return parse_string_exact(r, pp, out, out_len);
        unsigned char c = (unsigned char)*q;
        if (c == '"') break;
        if (c == '\\') {
            if (end - q < 2) return parse_string_exact(r, pp, out, out_len);
            char e;
            switch (q[1]) {
            case '"': e = '"'; break;
            case '\\': e = '\\'; break;
            case '/': e = '/'; break;
            case 'b': e = '\b'; break;
            case 'f': e = '\f'; break;
            case 'n': e = '\n'; break;
            case 'r': e = '\r'; break;
            case 't': e = '\t'; break;
            case 'u': {
                int32_t cp = end - q >= 6 ? json_hex4(q + 2) : -1;
                if (cp < 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
                    /* Surrogate pairs are combined here; lone ones warn, in the exact path. */
                    int32_t low = (cp >= 0xD800 && cp <= 0xDBFF && end - q >= 12 && q[6] == '\\' &&
                                   q[7] == 'u') ? json_hex4(q + 8) : -1;
                    if (low < 0xDC00 || low > 0xDFFF) return parse_string_exact(r, pp, out, out_len);
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    q += 6;
                }
                o += json_put_utf8(o, (uint32_t)cp);
                q += 6;
                goto run;
            }
            default: return parse_string_exact(r, pp, out, out_len);
            }
            *o++ = e;
            q += 2;
        } else if (c >= 0x80) {
            int k = json_utf8_sequence(q, end);
            if (k <= 0) return parse_string_exact(r, pp, out, out_len);
            memcpy(o, q, (size_t)k);
            o += k;
            q += k;
        } else
            return parse_string_exact(r, pp, out, out_len); /* control character: an error */
    run:
#if defined(__SSE2__)
        while (end - q >= 16 && limit - o >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
            _mm_storeu_si128((__m128i *)(void *)o, v);
            unsigned m = special_mask(v);
            if (m) {
                unsigned k = (unsigned)__builtin_ctz(m);
                q += k;
                o += k;
                goto next;
            }
            q += 16;
            o += 16;
        }
#endif
        while (q < end && o < limit && is_plain((unsigned char)*q)) *o++ = *q++;
    next:;
    }
    if ((size_t)(q - r->ev_start) > r->max_event_bytes) return parse_string_exact(r, pp, out, out_len);
    *o = 0;
    r->bump = o + 1;
    *out = dst;
    *out_len = (uint32_t)(o - dst);
    *pp = q + 1;
    return 0;
}

static inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* JSON numbers: integers that fit become INT (or UINT above INT64_MAX); everything else (fraction,
 * exponent, too large) becomes REAL carrying its source text unchanged. */
static int parse_number(json_parser *r, const char **pp, socfeed_event_value *v, bool final) {
    const char *start = *pp, *p = start, *end = r->end;
    bool neg = false, real = false, overflow = false;
    uint64_t u = 0;
    if (*p == '-') {
        neg = true;
        if (++p == end) return fail_eof(r, "in a number");
        if (*p == 'I')
            return fail(r, start, "json-number", "-Infinity is not a valid JSON number");
        if (!is_digit(*p)) return fail_unexpected(r, p, "a digit after '-'");
    }
    if (*p == '0') {
        p++;
        if (p < end && is_digit(*p))
            return fail(r, start, "json-syntax", "numbers may not have leading zeros");
    } else {
        while (p < end && is_digit(*p)) {
            unsigned d = (unsigned)(*p - '0');
            if (u > (UINT64_MAX - d) / 10) overflow = true;
            else u = u * 10 + d;
            p++;
        }
    }
    if (p < end && *p == '.') {
        real = true;
        if (++p == end) return fail_eof(r, "in a number");
        if (!is_digit(*p)) return fail_unexpected(r, p, "a digit after '.'");
        while (p < end && is_digit(*p)) p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        real = true;
        if (++p == end) return fail_eof(r, "in a number");
        if (*p == '+' || *p == '-')
            if (++p == end) return fail_eof(r, "in a number");
        if (!is_digit(*p)) return fail_unexpected(r, p, "a digit in the exponent");
        while (p < end && is_digit(*p)) p++;
    }
    /* A number touching the end of a span may go on in the next one. */
    if (p == end && !final) return fail_eof(r, "in a number");
    if (!real && !overflow) {
        if (!neg) {
            if (u <= (uint64_t)INT64_MAX) {
                v->type = SOCFEED_EV_INT;
                v->as.i = (int64_t)u;
            } else {
                v->type = SOCFEED_EV_UINT;
                v->as.u = u;
            }
            v->len = 0;
            *pp = p;
            return 0;
        }
        if (u <= (uint64_t)INT64_MAX + 1) {
            v->type = SOCFEED_EV_INT;
            v->as.i = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
            v->len = 0;
            *pp = p;
            return 0;
        }
    }
    size_t n = (size_t)(p - start);
    char *text = bump_alloc(r, n + 1, 1);
    memcpy(text, start, n);
    text[n] = 0;
    v->type = SOCFEED_EV_REAL;
    v->as.s = text;
    v->len = (uint32_t)n;
    *pp = p;
    return 0;
}

/* true, false, null — and a clear message for NaN/Infinity, which some producers emit. */
static int parse_literal(json_parser *r, const char **pp, socfeed_event_value *v) {
    static const struct { const char *text; size_t len; socfeed_event_type type; bool b; } lits[] = {
        {"true", 4, SOCFEED_EV_BOOL, true},
        {"false", 5, SOCFEED_EV_BOOL, false},
        {"null", 4, SOCFEED_EV_NULL, false},
    };
    const char *p = *pp;
    size_t avail = (size_t)(r->end - p);
    for (size_t i = 0; i < sizeof lits / sizeof *lits; i++) {
        if (*p != lits[i].text[0]) continue;
        size_t n = avail < lits[i].len ? avail : lits[i].len;
        if (memcmp(p, lits[i].text, n) != 0) break;
        if (n < lits[i].len) return fail_eof(r, "in a literal");
        v->type = lits[i].type;
        v->len = 0;
        v->as.b = lits[i].b;
        *pp = p + lits[i].len;
        return 0;
    }
    if (*p == 'N' || *p == 'I')
        return fail(r, p, "json-number", "NaN and Infinity are not valid JSON numbers");
    return fail_unexpected(r, p, "a value");
}

/* ---- duplicate keys ------------------------------------------------------------------------- */

static inline bool same_key(const socfeed_event_member *a, const socfeed_event_member *b) {
    return a->key_len == b->key_len && memcmp(a->key, b->key, a->key_len) == 0;
}

static inline uint32_t key_hash(const char *k, uint32_t len) {
    uint64_t a = 0, b = 0;
    memcpy(&a, k, len < 8 ? len : 8);
    if (len > 8) memcpy(&b, k + len - 8, 8);
    uint64_t h = (a ^ (b * 0x9E3779B97F4A7C15ull) ^ len) * 0xFF51AFD7ED558CCDull;
    return (uint32_t)(h >> 32);
}

/* A later duplicate gives its value to the first occurrence (the position stays where the key
 * first appeared, as Python's json and jq do) and is removed. */
static void merge_duplicate(json_parser *r, uint32_t first, uint32_t later) {
    socfeed_event_member *m = r->slots;
    warn(r, r->key_pos[later], "json-duplicate-key", "duplicate key \"%.*s\" (the last value is kept)",
         m[later].key_len > 64 ? 64 : (int)m[later].key_len, m[later].key);
    m[first].value = m[later].value;
    m[later].key = NULL;
}

/* Checks the members [start, start+n) of an object for duplicate keys; returns the new count. */
static uint32_t dedupe_members(json_parser *r, uint32_t start, uint32_t n) {
    socfeed_event_member *m = r->slots;
    bool removed = false;
    if (n <= 8) {
        for (uint32_t j = start + 1; j < start + n; j++)
            for (uint32_t i = start; i < j; i++)
                if (m[i].key && same_key(&m[i], &m[j])) {
                    merge_duplicate(r, i, j);
                    removed = true;
                    break;
                }
    } else {
        uint32_t cap = 16;
        while (cap < 2 * n) cap *= 2;
        if (cap > r->dup_cap) {
            free(r->dup_stamp);
            free(r->dup_slot);
            r->dup_stamp = xcalloc(cap, sizeof *r->dup_stamp);
            r->dup_slot = xmalloc(cap * sizeof *r->dup_slot);
            r->dup_cap = cap;
            r->dup_gen = 0;
        }
        if (++r->dup_gen == 0) { /* stamps wrapped: old stamps could look current */
            memset(r->dup_stamp, 0, r->dup_cap * sizeof *r->dup_stamp);
            r->dup_gen = 1;
        }
        uint32_t mask = cap - 1, gen = r->dup_gen;
        for (uint32_t j = start; j < start + n; j++) {
            uint32_t h = key_hash(m[j].key, m[j].key_len) & mask;
            for (;;) {
                if (r->dup_stamp[h] != gen) {
                    r->dup_stamp[h] = gen;
                    r->dup_slot[h] = j;
                    break;
                }
                if (same_key(&m[r->dup_slot[h]], &m[j])) {
                    merge_duplicate(r, r->dup_slot[h], j);
                    removed = true;
                    break;
                }
                h = (h + 1) & mask;
            }
        }
    }
    if (!removed) return n;
    uint32_t kept = 0;
    for (uint32_t j = start; j < start + n; j++)
        if (m[j].key) m[start + kept++] = m[j];
    return kept;
}

/* ---- one record ----------------------------------------------------------------------------- */

static inline socfeed_event_value *slot_value(json_parser *r, uint32_t slot, socfeed_event_value *root) {
    return slot == JSON_ROOT_SLOT ? root : &r->slots[slot].value;
}

/* Parses one complete JSON value at *pp into *root. Returns 0, or -1 with r->err_* set. */
static int parse_record(json_parser *r, const char **pp, socfeed_event_value *root, bool final) {
    const char *p = *pp, *end = r->end;
    uint32_t depth = 0, dst = JSON_ROOT_SLOT;
    json_frame *frames = r->frames;
    r->nslots = 0;

value:
    if ((size_t)(p - r->ev_start) > r->max_event_bytes) {
        fail(r, r->ev_start, "json-too-large", "larger than %zu bytes", r->max_event_bytes);
        r->err_skip = true;
        return -1;
    }
    switch (*p) {
    case '"': {
        socfeed_event_value *v = slot_value(r, dst, root);
        const char *s;
        uint32_t n;
        if (parse_string(r, &p, &s, &n) < 0) return -1;
        v = slot_value(r, dst, root);
        v->type = SOCFEED_EV_STRING;
        v->len = n;
        v->as.s = s;
        goto after_value;
    }
    case '{':
    case '[': {
        bool is_object = *p == '{';
        /* A '{' in column 1 of a later line, inside a record that itself began in column 1, is
         * a new record: the one before was cut short (a truncated JSON Lines write). Pretty
         * printers indent nested values, so this never splits a valid record in practice, and
         * it keeps a damaged line from swallowing the intact record after it. */
        if (depth > 0 && is_object && !r->in_array && r->ev_col == 1 && offset_of(r, p) == r->line_start &&
            r->line > r->ev_line)
            return fail(r, p, "json-syntax", "the record that began at line %llu is not closed before a new one starts in column 1",
                        (unsigned long long)r->ev_line);
        if (depth >= r->max_depth) {
            fail(r, p, "json-depth", "nesting deeper than %u levels", r->max_depth);
            r->err_skip = true;
            return -1;
        }
        frames[depth++] = (json_frame){r->nslots, dst, is_object};
        p = skip_ws(r, p + 1);
        if (p == end) return fail_eof(r, is_object ? "in an object" : "in an array");
        if (*p == (is_object ? '}' : ']')) {
            p++;
            goto close;
        }
        if (is_object) goto key;
        dst = push_slot(r);
        goto value;
    }
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9': {
        socfeed_event_value tmp;
        if (parse_number(r, &p, &tmp, final || depth > 0) < 0) return -1;
        *slot_value(r, dst, root) = tmp;
        goto after_value;
    }
    default: {
        socfeed_event_value tmp;
        if (parse_literal(r, &p, &tmp) < 0) return -1;
        *slot_value(r, dst, root) = tmp;
        goto after_value;
    }
    }

key: {
    if (*p != '"') return fail_unexpected(r, p, "a string key");
    uint32_t s = push_slot(r);
    r->key_pos[s] = p;
    const char *k;
    uint32_t n;
    if (parse_string(r, &p, &k, &n) < 0) return -1;
    r->slots[s].key = k;
    r->slots[s].key_len = n;
    p = skip_ws(r, p);
    if (p == end) return fail_eof(r, "in an object");
    if (*p != ':') return fail_unexpected(r, p, "':' after an object key");
    p = skip_ws(r, p + 1);
    if (p == end) return fail_eof(r, "in an object");
    dst = s;
    goto value;
}

after_value: {
    if (depth == 0) {
        *pp = p;
        return 0;
    }
    p = skip_ws(r, p);
    json_frame *f = &frames[depth - 1];
    if (p == end) return fail_eof(r, f->is_object ? "in an object" : "in an array");
    if (*p == ',') {
        p = skip_ws(r, p + 1);
        if (p == end) return fail_eof(r, f->is_object ? "in an object" : "in an array");
        if (f->is_object) goto key;
        dst = push_slot(r);
        goto value;
    }
    if (*p == (f->is_object ? '}' : ']')) {
        p++;
        goto close;
    }
    return fail_unexpected(r, p, f->is_object ? "',' or '}' after an object member"
                                              : "',' or ']' after an array element");
}

close: {
    json_frame *f = &frames[--depth];
    uint32_t n = r->nslots - f->start;
    socfeed_event_value *v = slot_value(r, f->slot, root);
    if (f->is_object) {
        if (n > 1) n = dedupe_members(r, f->start, n);
        socfeed_event_member *members = NULL;
        if (n) {
            members = bump_alloc(r, n * sizeof *members, _Alignof(socfeed_event_member));
            memcpy(members, r->slots + f->start, n * sizeof *members);
        }
        v->type = SOCFEED_EV_OBJECT;
        v->as.members = members;
    } else {
        socfeed_event_value *items = NULL;
        if (n) {
            items = bump_alloc(r, n * sizeof *items, _Alignof(socfeed_event_value));
            for (uint32_t i = 0; i < n; i++) items[i] = r->slots[f->start + i].value;
        }
        v->type = SOCFEED_EV_ARRAY;
        v->as.items = items;
    }
    v->len = n;
    r->nslots = f->start;
    goto after_value;
}
}

/* ---- recovery ------------------------------------------------------------------------------- */

/* Resynchronisation: looks for a line whose first non-blank byte is '{' in column resync_col,
 * after the broken record's first line. Returns where to resume, or NULL when the span ended
 * first (then *keep is the first byte that must be fed again: the start of an undecided line). */
static const char *resync_run(json_parser *r, const char *p, bool final, const char **keep) {
    const char *end = r->end;
    /* p is either at a line start (r->line_start) or inside a line that cannot hold a target. */
    bool at_line_start = offset_of(r, p) == r->line_start && r->line > r->ev_line;
    for (;;) {
        if (!at_line_start) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl) {
                *keep = end;
                return NULL;
            }
            note_newline(r, nl);
            p = nl + 1;
        }
        const char *s = p;
        while (s < end && (*s == ' ' || *s == '\t')) s++;
        if (s == end) {
            *keep = final ? end : p;
            return NULL;
        }
        if (*s == '{' && (uint64_t)(s - p) + 1 == r->resync_col) return s;
        at_line_start = false;
        p = s;
    }
}

/* Structural skip of a record known to be well-bracketed: follows strings and brackets until
 * the record's outermost value ends. Resumable across spans (state in r->skip_*). Returns the
 * position after the record, or NULL when the span ended first. */
static const char *skip_run(json_parser *r, const char *p) {
    const char *end = r->end;
    while (p < end) {
        char c = *p++;
        if (c == '\n') {
            note_newline(r, p - 1);
            continue;
        }
        if (r->skip_in_string) {
            if (r->skip_escape) r->skip_escape = false;
            else if (c == '\\') r->skip_escape = true;
            else if (c == '"') {
                r->skip_in_string = false;
                if (r->skip_depth == 0) return p;
            }
            continue;
        }
        switch (c) {
        case '"': r->skip_in_string = true; break;
        case '{': case '[': r->skip_depth++; break;
        case '}': case ']':
            if (r->skip_depth > 0 && --r->skip_depth == 0) return p;
            break;
        default: break;
        }
    }
    return NULL;
}

/* ---- top level ------------------------------------------------------------------------------ */

static void publish_pending(json_parser *r) {
    if (r->pending.count) socfeed_diags_move(r->diags, &r->pending);
}

static void rewind_to_event(json_parser *r) {
    r->line = r->ev_line;
    r->line_start = offset_of(r, r->ev_start) - (r->ev_col - 1);
}

static const char *type_name(socfeed_event_type t) {
    switch (t) {
    case SOCFEED_EV_NULL: return "null";
    case SOCFEED_EV_BOOL: return "a boolean";
    case SOCFEED_EV_INT: case SOCFEED_EV_UINT: case SOCFEED_EV_REAL: return "a number";
    case SOCFEED_EV_STRING: return "a string";
    case SOCFEED_EV_ARRAY: return "an array";
    case SOCFEED_EV_OBJECT: return "an object";
    }
    return "a value";
}

static void report(json_parser *r, const char *code, socfeed_pos at, const char *prefix,
                   const char *msg, const char *suffix) {
    publish_pending(r);
    socfeed_diag_add(r->diags, SOCFEED_ERROR, r->name, at, code, "%s at line %u col %u: %s%s",
                     prefix, at.line, at.col, msg, suffix);
    r->errors++;
}

/* Reports r->err_* and arranges the recovery. */
static void handle_error(json_parser *r) {
    socfeed_pos at = locate(r, r->err_pos);
    bool too_large = !strcmp(r->err_code, "json-too-large");
    if (r->err_skip) {
        report(r, r->err_code, at, too_large ? "event" : "invalid JSON", r->err_msg,
               " (the event is skipped)");
        rewind_to_event(r);
        r->resume = JSON_RESUME_SKIP;
        r->skip_depth = 0;
        r->skip_in_string = r->skip_escape = false;
        return;
    }
    char suffix[96] = "";
    r->resync_col = r->in_array ? r->ev_col : 1;
    if (!r->err_eof) {
        if (r->in_array)
            snprintf(suffix, sizeof suffix, " (resuming at the next line with '{' in column %u)",
                     r->resync_col);
        else
            snprintf(suffix, sizeof suffix, " (resuming at the next line that starts with '{')");
    }
    report(r, r->err_code, at, "invalid JSON", r->err_msg, suffix);
    r->resume = JSON_RESUME_RESYNC;
}

static void deliver(json_parser *r, socfeed_event_value *root) {
    publish_pending(r);
    if (root->type != SOCFEED_EV_OBJECT) {
        socfeed_pos at = {clamp32(r->ev_line), r->ev_col};
        char msg[64];
        snprintf(msg, sizeof msg, "expected an object, found %s (skipped)", type_name(root->type));
        report(r, "json-not-object", at, "event", msg, "");
        return;
    }
    socfeed_event ev = {0};
    ev.root = *root;
    ev.origin.file = r->name;
    ev.origin.offset = offset_of(r, r->ev_start);
    ev.origin.line = r->ev_line;
    ev.origin.record_id = 0;
    ev.origin.index = r->events;
    r->events++;
    if (r->fn(r->ctx, &ev)) r->stopped = true;
}

void json_parser_init(json_parser *r, const char *name, const socfeed_read_options *opt,
                      socfeed_event_fn fn, void *ctx, socfeed_diags *diags) {
    memset(r, 0, sizeof *r);
    r->name = name ? name : "<input>";
    r->fn = fn;
    r->ctx = ctx;
    r->diags = diags;
    r->max_event_bytes = opt && opt->max_event_bytes ? opt->max_event_bytes : DEFAULT_MAX_EVENT_BYTES;
    if (r->max_event_bytes > HARD_MAX_EVENT_BYTES) r->max_event_bytes = HARD_MAX_EVENT_BYTES;
    r->max_depth = opt && opt->max_depth ? opt->max_depth : DEFAULT_MAX_DEPTH;
    /* A slice of a larger file (parallel hunting) reports file positions, not slice positions. */
    r->base_offset = opt ? opt->base_offset : 0;
    r->line = opt && opt->base_line ? opt->base_line : 1;
    r->line_start = r->base_offset;
    r->frames = xmalloc(((size_t)r->max_depth + 1) * sizeof *r->frames);
    socfeed_diags_init(&r->pending);
}

void json_parser_free(json_parser *r) {
    reset_memory(r);
    while (r->nblocks) free(r->blocks[--r->nblocks]);
    free(r->blocks);
    free(r->big);
    free(r->slots);
    free(r->key_pos);
    free(r->frames);
    free(r->dup_stamp);
    free(r->dup_slot);
    socfeed_diags_clear(&r->pending);
}

static size_t consumed(json_parser *r, const char *p) {
    size_t n = (size_t)(p - r->data);
    r->base_offset += n;
    return n;
}

size_t json_parser_feed(json_parser *r, const char *data, size_t len, bool final) {
    r->data = data;
    r->end = data + len;
    const char *p = data, *end = r->end;
    if (r->base_offset == 0 && len > 0 && (unsigned char)data[0] == 0xEF) {
        if (len < 3 && !final && !memcmp(data, "\xEF\xBB\xBF", len)) return 0;
        if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) p += 3;
    }
    while (!r->stopped) {
        if (r->resume == JSON_RESUME_RESYNC) {
            const char *keep;
            const char *at = resync_run(r, p, final, &keep);
            if (!at) {
                if (!final) return consumed(r, keep);
                r->resume = JSON_RESUME_NONE;
                r->in_array = false; /* the rest of the input was skipped: nothing left to close */
                p = end;
                break;
            }
            r->resume = JSON_RESUME_NONE;
            if (r->in_array) r->array_need_value = true;
            p = at;
        } else if (r->resume == JSON_RESUME_SKIP) {
            const char *at = skip_run(r, p);
            if (!at) {
                if (!final) return consumed(r, end);
                r->resume = JSON_RESUME_NONE;
                r->in_array = false;
                p = end;
                break;
            }
            r->resume = JSON_RESUME_NONE;
            if (r->in_array) r->array_need_value = r->array_empty = false;
            p = at;
        }
        p = skip_ws(r, p);
        if (p == end) break;
        char c = *p;
        if (r->in_array) {
            if (c == ']') {
                if (r->array_need_value && !r->array_empty) {
                    socfeed_pos at = locate(r, p);
                    report(r, "json-syntax", at, "invalid JSON", "expected a value after ',', found ']'", "");
                }
                r->in_array = false;
                p++;
                continue;
            }
            if (c == ',') {
                if (r->array_need_value) {
                    socfeed_pos at = locate(r, p);
                    report(r, "json-syntax", at, "invalid JSON", "expected a value, found ','", "");
                }
                r->array_need_value = true;
                p++;
                continue;
            }
            if (!r->array_need_value) {
                /* Report the missing comma but read on as if it were there: the element that
                 * follows is likely intact. */
                socfeed_pos at = locate(r, p);
                report(r, "json-syntax", at, "invalid JSON", "expected ',' or ']' after an array element", "");
                r->array_need_value = true;
            }
        } else if (c == '[') {
            r->in_array = r->array_need_value = r->array_empty = true;
            p++;
            continue;
        }
        reset_memory(r);
        r->ev_start = p;
        r->ev_line = r->line;
        r->ev_col = clamp32(offset_of(r, p) - r->line_start + 1);
        socfeed_event_value root;
        const char *q = p;
        if (parse_record(r, &q, &root, final) == 0) {
            p = q;
            if (r->in_array) r->array_need_value = r->array_empty = false;
            deliver(r, &root);
            continue;
        }
        if (r->err_eof && !final) {
            if ((size_t)(end - r->ev_start) <= r->max_event_bytes) {
                /* Incomplete record: hand it back, it is parsed again with more input. */
                socfeed_diags_clear(&r->pending);
                rewind_to_event(r);
                return consumed(r, r->ev_start);
            }
            fail(r, r->ev_start, "json-too-large", "larger than %zu bytes", r->max_event_bytes);
            r->err_skip = true;
        }
        handle_error(r);
        p = r->resume == JSON_RESUME_SKIP ? r->ev_start
            : offset_of(r, r->err_pos) >= r->line_start && r->line > r->ev_line
                ? r->data + (r->line_start - r->base_offset)
                : r->err_pos;
    }
    if (r->stopped) return consumed(r, end);
    if (final && r->in_array) {
        socfeed_pos at = locate(r, end);
        report(r, "json-syntax", at, "invalid JSON", "unexpected end of input in the top-level array", "");
        r->in_array = false;
    }
    return consumed(r, end);
}
