/* value.c — text of one BinXML substitution value, as evtx_dump writes it (see
 * ../shared/reference/evtx/value-rendering.md), with one deliberate difference: GUIDs are rendered
 * the way Windows' own XML view shows them, upper-case with braces ({0CCE9217-…}).
 *
 * Also the UTF-16 to UTF-8 conversion every string goes through, so it is written for speed
 * (ASCII four code units at a time). Not for: deciding JSON shape (tree.c) or XML escaping (xml.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "events/evtx/evtx_internal.h"
#include "util/decimal.h"
#include "util/xalloc.h"

void evtx_buf_grow(evtx_buf *b, size_t extra) {
    size_t need = b->len + extra;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

void evtx_buf_free(evtx_buf *b) {
    free(b->p);
    memset(b, 0, sizeof *b);
}

void evtx_utf16_to_utf8(evtx_buf *out, const uint8_t *s, size_t units, bool stop_at_nul) {
    evtx_buf_reserve(out, units * 3); /* a BMP unit is at most 3 bytes; a pair of units is 4 */
    char *o = out->p + out->len;
    size_t i = 0;
    while (i < units) {
        if (units - i >= 4) {
            uint64_t w;
            memcpy(&w, s + 2 * i, 8);
            /* All four units below 0x80, and (when stopping at NUL) none of them zero. */
            if ((w & 0xff80ff80ff80ff80ull) == 0 &&
                (!stop_at_nul || ((w - 0x0001000100010001ull) & ~w & 0x8000800080008000ull) == 0)) {
                o[0] = (char)(w & 0xff);
                o[1] = (char)((w >> 16) & 0xff);
                o[2] = (char)((w >> 32) & 0xff);
                o[3] = (char)((w >> 48) & 0xff);
                o += 4;
                i += 4;
                continue;
            }
        }
        uint32_t c = evtx_u16(s + 2 * i);
        i++;
        if (c < 0x80) {
            if (c == 0 && stop_at_nul) break;
            *o++ = (char)c;
        } else if (c < 0x800) {
            *o++ = (char)(0xc0 | (c >> 6));
            *o++ = (char)(0x80 | (c & 0x3f));
        } else if (c >= 0xd800 && c <= 0xdfff) {
            if (c >= 0xdc00 || i >= units) continue; /* lone low, or high at the end: dropped */
            uint32_t lo = evtx_u16(s + 2 * i);
            if (lo < 0xdc00 || lo > 0xdfff) continue; /* lone high: dropped, `lo` read next */
            i++;
            c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
            *o++ = (char)(0xf0 | (c >> 18));
            *o++ = (char)(0x80 | ((c >> 12) & 0x3f));
            *o++ = (char)(0x80 | ((c >> 6) & 0x3f));
            *o++ = (char)(0x80 | (c & 0x3f));
        } else {
            *o++ = (char)(0xe0 | (c >> 12));
            *o++ = (char)(0x80 | ((c >> 6) & 0x3f));
            *o++ = (char)(0x80 | (c & 0x3f));
        }
    }
    out->len = (size_t)(o - out->p);
}

/* windows-1252 bytes 0x80..0x9F (the WHATWG table: undefined bytes map to the C1 control). */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

void evtx_put_codepoint(evtx_buf *out, uint32_t c) {
    evtx_buf_reserve(out, 4);
    char *o = out->p + out->len;
    if (c < 0x80) {
        *o++ = (char)c;
    } else if (c < 0x800) {
        *o++ = (char)(0xc0 | (c >> 6));
        *o++ = (char)(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        *o++ = (char)(0xe0 | (c >> 12));
        *o++ = (char)(0x80 | ((c >> 6) & 0x3f));
        *o++ = (char)(0x80 | (c & 0x3f));
    } else {
        *o++ = (char)(0xf0 | (c >> 18));
        *o++ = (char)(0x80 | ((c >> 12) & 0x3f));
        *o++ = (char)(0x80 | ((c >> 6) & 0x3f));
        *o++ = (char)(0x80 | (c & 0x3f));
    }
    out->len = (size_t)(o - out->p);
}

static void put_ansi(evtx_buf *out, const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint8_t b = p[i];
        if (b == 0) continue; /* evtx_dump removes NUL bytes before decoding */
        evtx_put_codepoint(out, b >= 0x80 && b < 0xa0 ? cp1252_high[b - 0x80] : b);
    }
}

static void put_u64(evtx_buf *out, uint64_t v) {
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    evtx_buf_reserve(out, (size_t)n);
    while (n) out->p[out->len++] = tmp[--n];
}

static void put_i64(evtx_buf *out, int64_t v) {
    if (v < 0) {
        evtx_buf_putc(out, '-');
        put_u64(out, (uint64_t)0 - (uint64_t)v);
    } else {
        put_u64(out, (uint64_t)v);
    }
}

static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";

static void put_hex_int(evtx_buf *out, uint64_t v) {
    char tmp[16];
    int n = 0;
    do {
        tmp[n++] = hex_lower[v & 15];
        v >>= 4;
    } while (v);
    evtx_buf_reserve(out, (size_t)n + 2);
    out->p[out->len++] = '0';
    out->p[out->len++] = 'x';
    while (n) out->p[out->len++] = tmp[--n];
}

static void put_hex_bytes(evtx_buf *out, const uint8_t *p, size_t n) {
    evtx_buf_reserve(out, 2 * n);
    char *o = out->p + out->len;
    for (size_t i = 0; i < n; i++) {
        *o++ = hex_upper[p[i] >> 4];
        *o++ = hex_upper[p[i] & 15];
    }
    out->len += 2 * n;
}

static void put_guid(evtx_buf *out, const uint8_t *g) {
    /* Data1 (u32), Data2, Data3 (u16) little-endian; Data4 in stored order. */
    const uint8_t order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
    evtx_buf_reserve(out, 38);
    char *o = out->p + out->len;
    *o++ = '{';
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) *o++ = '-';
        uint8_t b = g[order[i]];
        *o++ = hex_upper[b >> 4];
        *o++ = hex_upper[b & 15];
    }
    *o++ = '}';
    out->len = (size_t)(o - out->p);
}

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static void put_datetime(evtx_buf *out, int64_t year, unsigned mon, unsigned day, unsigned hh,
                         unsigned mm, unsigned ss, unsigned micros) {
    char tmp[64];
    if (year < 0 || year > 9999 || mon > 99 || day > 99 || hh > 99 || mm > 99 || ss > 99 || micros > 999999) {
        /* out of the usual range (a corrupt or hostile timestamp): printf's widths decide */
        int n = snprintf(tmp, sizeof tmp, "%04lld-%02u-%02uT%02u:%02u:%02u.%06uZ", (long long)year, mon, day, hh,
                         mm, ss, micros);
        evtx_buf_put(out, tmp, (size_t)n);
        return;
    }
    /* one timestamp per event at least: snprintf was 4 % of hunting the EVTX samples */
    char *p = decimal_fixed((unsigned)year, 4, tmp);
    *p++ = '-';
    p = decimal_fixed(mon, 2, p);
    *p++ = '-';
    p = decimal_fixed(day, 2, p);
    *p++ = 'T';
    p = decimal_fixed(hh, 2, p);
    *p++ = ':';
    p = decimal_fixed(mm, 2, p);
    *p++ = ':';
    p = decimal_fixed(ss, 2, p);
    *p++ = '.';
    p = decimal_fixed(micros, 6, p);
    *p++ = 'Z';
    evtx_buf_put(out, tmp, (size_t)(p - tmp));
}

static void put_filetime(evtx_buf *out, uint64_t ticks) {
    /* 100 ns ticks since 1601-01-01; the 7th fractional digit is truncated, not rounded. */
    uint64_t micros_total = ticks / 10;
    uint64_t secs = micros_total / 1000000;
    unsigned micros = (unsigned)(micros_total % 1000000);
    int64_t days = (int64_t)(secs / 86400) - 134774; /* 1601-01-01 .. 1970-01-01 */
    unsigned sod = (unsigned)(secs % 86400);
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    put_datetime(out, y, m, d, sod / 3600, (sod / 60) % 60, sod % 60, micros);
}

static bool put_systemtime(evtx_buf *out, const uint8_t *p) {
    unsigned year = evtx_u16(p), mon = evtx_u16(p + 2), day = evtx_u16(p + 6);
    unsigned hh = evtx_u16(p + 8), mm = evtx_u16(p + 10), ss = evtx_u16(p + 12);
    unsigned ms = evtx_u16(p + 14);
    if (!year && !mon && !day && !hh && !mm && !ss && !ms) {
        put_datetime(out, 1601, 1, 1, 0, 0, 0, 0);
        return true;
    }
    static const unsigned mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mon < 1 || mon > 12 || day < 1 || day > mdays[mon - 1] || hh > 23 || mm > 59 || ss > 59 ||
        ms > 999)
        return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (mon == 2 && day == 29 && !leap) return false;
    put_datetime(out, year, mon, day, hh, mm, ss, ms * 1000);
    return true;
}

/* Length in bytes of the SID at p (8 + 4 * sub-authority count), or 0 if it does not fit. */
static size_t sid_size(const uint8_t *p, size_t n) {
    if (n < 8) return 0;
    size_t need = 8 + 4 * (size_t)p[1];
    return need <= n ? need : 0;
}

static void put_sid(evtx_buf *out, const uint8_t *p, size_t n) {
    if (n < 8) {
        evtx_buf_put(out, "S-?", 3);
        return;
    }
    uint64_t auth = 0;
    for (int i = 2; i < 8; i++) auth = (auth << 8) | p[i]; /* 48-bit big-endian */
    evtx_buf_put(out, "S-", 2);
    put_u64(out, p[0]);
    evtx_buf_putc(out, '-');
    put_u64(out, auth);
    size_t count = p[1];
    for (size_t i = 0; i < count && 8 + 4 * i + 4 <= n; i++) {
        evtx_buf_putc(out, '-');
        put_u64(out, evtx_u32(p + 8 + 4 * i));
    }
}

/* Shortest round-trip decimal in the Rust/zmij style: "1.0", "0.1", "6.62607015e-34",
 * "3.439070283483335e+35", "inf", "-inf", "NaN". */
static void put_real(evtx_buf *out, double v, bool single) {
    if (isnan(v)) {
        evtx_buf_put(out, "NaN", 3);
        return;
    }
    if (isinf(v)) {
        if (v < 0) evtx_buf_put(out, "-inf", 4);
        else evtx_buf_put(out, "inf", 3);
        return;
    }
    char sci[48];
    int max_prec = single ? 9 : 17;
    for (int prec = 1; prec <= max_prec; prec++) {
        snprintf(sci, sizeof sci, "%.*e", prec - 1, v);
        double back = strtod(sci, NULL);
        if (single ? (float)back == (float)v : back == v) break;
    }
    /* sci is "[-]d[.ddd]e[+-]XX": collect the digits and the exponent. */
    char digits[32];
    int nd = 0, exp10 = 0;
    bool neg = false;
    const char *s = sci;
    if (*s == '-') {
        neg = true;
        s++;
    }
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9') digits[nd++] = *s;
    if (*s == 'e') exp10 = atoi(s + 1);
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    if (neg) evtx_buf_putc(out, '-');
    if (exp10 >= -5 && exp10 < 16) {
        if (exp10 >= 0) {
            for (int i = 0; i <= exp10; i++) evtx_buf_putc(out, i < nd ? digits[i] : '0');
            evtx_buf_putc(out, '.');
            if (nd > exp10 + 1) evtx_buf_put(out, digits + exp10 + 1, (size_t)(nd - exp10 - 1));
            else evtx_buf_putc(out, '0');
        } else {
            evtx_buf_put(out, "0.", 2);
            for (int i = 0; i < -exp10 - 1; i++) evtx_buf_putc(out, '0');
            evtx_buf_put(out, digits, (size_t)nd);
        }
    } else {
        evtx_buf_putc(out, digits[0]);
        if (nd > 1) {
            evtx_buf_putc(out, '.');
            evtx_buf_put(out, digits + 1, (size_t)(nd - 1));
        }
        char e[16];
        int n = snprintf(e, sizeof e, "e%c%d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
        evtx_buf_put(out, e, (size_t)n);
    }
}

size_t evtx_type_fixed_size(uint8_t t) {
    switch (t) {
    case EVTX_T_INT8: case EVTX_T_UINT8: return 1;
    case EVTX_T_INT16: case EVTX_T_UINT16: return 2;
    case EVTX_T_INT32: case EVTX_T_UINT32: case EVTX_T_REAL32: case EVTX_T_BOOL:
    case EVTX_T_HEX32: return 4;
    case EVTX_T_INT64: case EVTX_T_UINT64: case EVTX_T_REAL64: case EVTX_T_FILETIME:
    case EVTX_T_HEX64: return 8;
    case EVTX_T_GUID: case EVTX_T_SYSTIME: return 16;
    default: return 0;
    }
}

bool evtx_render_scalar(evtx_buf *out, uint8_t type, const uint8_t *p, size_t n) {
    size_t fixed = evtx_type_fixed_size(type);
    if (fixed && n < fixed) return false;
    switch (type) {
    case EVTX_T_NULL: return true;
    case EVTX_T_STRING: evtx_utf16_to_utf8(out, p, n / 2, true); return true;
    case EVTX_T_ANSI: put_ansi(out, p, n); return true;
    case EVTX_T_INT8: put_i64(out, (int8_t)p[0]); return true;
    case EVTX_T_UINT8: put_u64(out, p[0]); return true;
    case EVTX_T_INT16: put_i64(out, (int16_t)evtx_u16(p)); return true;
    case EVTX_T_UINT16: put_u64(out, evtx_u16(p)); return true;
    case EVTX_T_INT32: put_i64(out, (int32_t)evtx_u32(p)); return true;
    case EVTX_T_UINT32: put_u64(out, evtx_u32(p)); return true;
    case EVTX_T_INT64: put_i64(out, (int64_t)evtx_u64(p)); return true;
    case EVTX_T_UINT64: put_u64(out, evtx_u64(p)); return true;
    case EVTX_T_REAL32: {
        float f;
        uint32_t bits = evtx_u32(p);
        memcpy(&f, &bits, 4);
        put_real(out, f, true);
        return true;
    }
    case EVTX_T_REAL64: {
        double d;
        uint64_t bits = evtx_u64(p);
        memcpy(&d, &bits, 8);
        put_real(out, d, false);
        return true;
    }
    case EVTX_T_BOOL:
        if (evtx_u32(p)) evtx_buf_put(out, "true", 4);
        else evtx_buf_put(out, "false", 5);
        return true;
    case EVTX_T_BINARY: put_hex_bytes(out, p, n); return true;
    case EVTX_T_GUID: put_guid(out, p); return true;
    case EVTX_T_SIZET:
        if (n == 4) put_hex_int(out, evtx_u32(p));
        else if (n == 8) put_hex_int(out, evtx_u64(p));
        else return false;
        return true;
    case EVTX_T_FILETIME: put_filetime(out, evtx_u64(p)); return true;
    case EVTX_T_SYSTIME: return put_systemtime(out, p);
    case EVTX_T_SID: put_sid(out, p, n); return true;
    case EVTX_T_HEX32: put_hex_int(out, evtx_u32(p)); return true;
    case EVTX_T_HEX64: put_hex_int(out, evtx_u64(p)); return true;
    default: return false; /* EvtHandle, EvtXml, BinXml in text context, undefined codes */
    }
}

long evtx_array_items(uint8_t type, const uint8_t *p, size_t n, evtx_item_fn fn, void *ctx) {
    uint8_t base = type & 0x7f;
    long count = 0;
    if (base == EVTX_T_STRING) {
        /* UTF-16 strings, each ending in U+0000; a last one without terminator still counts. */
        size_t units = n / 2, start = 0;
        for (size_t i = 0; i < units; i++) {
            if (evtx_u16(p + 2 * i) == 0) {
                if (fn) fn(ctx, (size_t)count, p + 2 * start, 2 * (i - start));
                count++;
                start = i + 1;
            }
        }
        if (start < units) {
            if (fn) fn(ctx, (size_t)count, p + 2 * start, 2 * (units - start));
            count++;
        }
        return count;
    }
    if (base == EVTX_T_SID) {
        size_t off = 0;
        while (off < n) {
            size_t sz = sid_size(p + off, n - off);
            if (!sz) return -1;
            if (fn) fn(ctx, (size_t)count, p + off, sz);
            count++;
            off += sz;
        }
        return count;
    }
    size_t item = evtx_type_fixed_size(base);
    if (!item) return -1; /* ANSI string, binary, size_t arrays: evtx_dump rejects them too */
    for (size_t off = 0; off + item <= n; off += item) {
        if (fn) fn(ctx, (size_t)count, p + off, item);
        count++;
    }
    return count;
}

bool evtx_value_is_empty(uint8_t type, const uint8_t *p, size_t n) {
    if (type & EVTX_ARRAY) return n == 0 || evtx_array_items(type, p, n, NULL, NULL) == 0;
    switch (type) {
    case EVTX_T_NULL: return true;
    case EVTX_T_STRING: return n < 2 || evtx_u16(p) == 0;
    case EVTX_T_ANSI:
        for (size_t i = 0; i < n; i++)
            if (p[i]) return false;
        return true;
    case EVTX_T_BINARY:
    case EVTX_T_BINXML: return n == 0;
    default: return false;
    }
}

typedef struct join_ctx {
    evtx_buf *out;
    uint8_t base;
    bool ok;
} join_ctx;

static void join_item(void *ctx, size_t index, const uint8_t *item, size_t size) {
    join_ctx *j = ctx;
    if (index) evtx_buf_putc(j->out, ',');
    if (!evtx_render_scalar(j->out, j->base, item, size)) j->ok = false;
}

bool evtx_render_value(evtx_buf *out, uint8_t type, const uint8_t *data, size_t size) {
    if (!(type & EVTX_ARRAY)) return evtx_render_scalar(out, type, data, size);
    /* An array that was not expanded into repeated elements (0 or 1 item, or inside text):
     * its items joined with ','. */
    join_ctx j = {out, (uint8_t)(type & 0x7f), true};
    return evtx_array_items(type, data, size, join_item, &j) >= 0 && j.ok;
}
