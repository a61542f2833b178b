/* json_scan.h — the byte-level inner loops of the JSON reader: finding the next interesting byte
 * of a string, and checking one UTF-8 sequence.
 *
 * Why separate: these loops decide the reader's speed (OTRF events are ~2.7 KB, mostly long
 * ASCII strings), so they are written once, carefully, with SSE2 on x86-64 and a portable
 * fallback. Every function stops at `end`: the input is an mmap'ed file or a stream chunk, not a
 * NUL-terminated string, so nothing may read past it.
 * Not for: JSON grammar (json_parser.c) or escaping on output (json_write.c). */
#ifndef SOCFEED_EVENTS_JSON_SCAN_H
#define SOCFEED_EVENTS_JSON_SCAN_H

#include <stddef.h>
#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Returns the first byte in [p, end) that ends a run of plain string content: '"', '\\', a
 * control character (< 0x20, invalid unescaped) or a non-ASCII byte (>= 0x80, to be validated);
 * `end` when there is none. */
static inline const char *json_scan_string_run(const char *p, const char *end) {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    /* A signed compare against 0x20 catches both control bytes and bytes >= 0x80 (negative). */
    const __m128i space = _mm_set1_epi8(0x20);
    while (end - p >= 32) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
        __m128i ma = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(a, quote), _mm_cmpeq_epi8(a, backslash)),
                                  _mm_cmplt_epi8(a, space));
        __m128i mb = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, quote), _mm_cmpeq_epi8(b, backslash)),
                                  _mm_cmplt_epi8(b, space));
        unsigned mask = (unsigned)_mm_movemask_epi8(ma) | ((unsigned)_mm_movemask_epi8(mb) << 16);
        if (mask) return p + __builtin_ctz(mask);
        p += 32;
    }
    if (end - p >= 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i ma = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(a, quote), _mm_cmpeq_epi8(a, backslash)),
                                  _mm_cmplt_epi8(a, space));
        unsigned mask = (unsigned)_mm_movemask_epi8(ma);
        if (mask) return p + __builtin_ctz(mask);
        p += 16;
    }
#endif
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) return p;
        p++;
    }
    return end;
}

/* Checks the UTF-8 sequence starting at p (whose first byte is >= 0x80). Returns its length
 * (2 to 4) when valid, 0 when invalid (stray continuation byte, overlong form, surrogate, above
 * U+10FFFF), -1 when it is cut by `end` but valid so far (more input may complete it). */
static inline int json_utf8_sequence(const char *p, const char *end) {
    const unsigned char *s = (const unsigned char *)p;
    ptrdiff_t avail = end - p;
    unsigned char c = s[0];
    int need;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (c < 0xC2) return 0;
    if (c < 0xE0) need = 2;
    else if (c < 0xF0) {
        need = 3;
        if (c == 0xE0) lo = 0xA0;      /* overlong */
        else if (c == 0xED) hi = 0x9F; /* UTF-16 surrogates */
    } else if (c < 0xF5) {
        need = 4;
        if (c == 0xF0) lo = 0x90;      /* overlong */
        else if (c == 0xF4) hi = 0x8F; /* above U+10FFFF */
    } else
        return 0;
    for (int i = 1; i < need; i++) {
        if (i >= avail) return -1;
        unsigned char k = s[i];
        if (i == 1 ? (k < lo || k > hi) : (k & 0xC0) != 0x80) return 0;
    }
    return need;
}

/* Writes code point cp (<= 0x10FFFF, not a surrogate) as UTF-8; returns the byte count. */
static inline int json_put_utf8(char *out, uint32_t cp) {
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Value of four hex digits, or -1 if any is not a hex digit. */
static inline int32_t json_hex4(const char *p) {
    int32_t v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = (unsigned char)p[i];
        int d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') d = (c | 0x20) - 'a' + 10;
        else return -1;
        v = v * 16 + d;
    }
    return v;
}

#endif
