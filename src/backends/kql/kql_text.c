/* kql_text.c — KQL literal syntax: string literals, RE2-escaped text, timespans; and the small
 * expression algebra (and/or/not with constant folding) the renderers share. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/kql/kql_internal.h"
#include "util/xalloc.h"

bool kql_string_ok(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
        if (c == 0x7f) return false;
    }
    return true;
}

void kql_put_string(strbuf *sb, const char *s, size_t len) {
    /* Verbatim @"…" reads like the Windows path it usually is; it cannot hold a line break. */
    bool backslash = memchr(s, '\\', len) != NULL;
    bool breaks = memchr(s, '\n', len) || memchr(s, '\r', len) || memchr(s, '\t', len);
    if (backslash && !breaks) {
        sb_puts(sb, "@\"");
        for (size_t i = 0; i < len; i++) {
            if (s[i] == '"') sb_putc(sb, '"');
            sb_putc(sb, s[i]);
        }
        sb_putc(sb, '"');
        return;
    }
    sb_putc(sb, '"');
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '\\': sb_puts(sb, "\\\\"); break;
        case '"': sb_puts(sb, "\\\""); break;
        case '\n': sb_puts(sb, "\\n"); break;
        case '\r': sb_puts(sb, "\\r"); break;
        case '\t': sb_puts(sb, "\\t"); break;
        default: sb_putc(sb, s[i]);
        }
    }
    sb_putc(sb, '"');
}

void kql_put_regex_literal(strbuf *sb, const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (strchr("\\.^$|?*+()[]{}", c) && c) sb_putc(sb, '\\');
        if (c == '\n') sb_puts(sb, "\\n");
        else if (c == '\r') sb_puts(sb, "\\r");
        else if (c == '\t') sb_puts(sb, "\\t");
        else sb_putc(sb, c);
    }
}

void kql_put_timespan(strbuf *sb, unsigned long long seconds) {
    if (seconds && seconds % 86400 == 0) sb_printf(sb, "%llud", seconds / 86400);
    else if (seconds && seconds % 3600 == 0) sb_printf(sb, "%lluh", seconds / 3600);
    else if (seconds && seconds % 60 == 0) sb_printf(sb, "%llum", seconds / 60);
    else sb_printf(sb, "%llus", seconds);
}

char *kql_strdup_printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *out = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(out, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return out;
}

kql_expr kql_refuse(kql_render *r, const char *fmt, ...) {
    if (!r->reason) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        r->reason = xmalloc((size_t)n + 1);
        va_start(ap, fmt);
        vsnprintf(r->reason, (size_t)n + 1, fmt, ap);
        va_end(ap);
        /* One line, whatever a mapping's reason text holds. */
        for (char *p = r->reason; *p; p++)
            if (*p == '\n' || *p == '\r') *p = ' ';
    }
    return (kql_expr){.kind = KE_FALSE};
}

kql_expr kql_text_expr(kql_render *r, strbuf *sb) {
    kql_expr e = {.kind = KE_EXPR, .text = arena_strndup(&r->a, sb->data ? sb->data : "", sb->len)};
    sb_reset(sb);
    return e;
}

kql_expr kql_combine(kql_render *r, bool is_and, const kql_expr *parts, size_t n) {
    /* Constant folding: a part that can never hold on this target (false) drops out of an `or`
     * and makes an `and` false; true does the converse. */
    size_t live = 0, last = 0;
    for (size_t i = 0; i < n; i++) {
        if (parts[i].kind == KE_FALSE && is_and) return parts[i];
        if (parts[i].kind == KE_TRUE && !is_and) return parts[i];
        if (parts[i].kind == KE_EXPR) {
            live++;
            last = i;
        }
    }
    if (!live) return (kql_expr){.kind = is_and ? KE_TRUE : KE_FALSE};
    if (live == 1) return parts[last];
    strbuf sb;
    sb_init(&sb);
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (parts[i].kind != KE_EXPR) continue;
        if (!first) sb_puts(&sb, is_and ? " and " : " or ");
        first = false;
        /* `and` binds tighter than `or`: an or-chain inside an and-chain needs parentheses; an
         * and-chain inside an or-chain gets them too, so nobody has to remember the precedence. */
        bool paren = is_and ? parts[i].is_or : parts[i].is_and;
        if (paren) sb_putc(&sb, '(');
        sb_puts(&sb, parts[i].text);
        if (paren) sb_putc(&sb, ')');
    }
    kql_expr e = kql_text_expr(r, &sb);
    e.is_and = is_and;
    e.is_or = !is_and;
    sb_free(&sb);
    return e;
}

bool kql_is_parenthesised(const char *t) {
    if (t[0] != '(') return false;
    int depth = 0;
    char quote = 0;
    bool verbatim = false;
    for (size_t i = 0; t[i]; i++) {
        char c = t[i];
        if (quote) {
            if (!verbatim && c == '\\' && t[i + 1]) i++;
            else if (c == quote && verbatim && t[i + 1] == quote) i++;
            else if (c == quote) quote = 0;
            continue;
        }
        if (c == '"' || c == '\'') {
            quote = c;
            verbatim = i > 0 && t[i - 1] == '@';
        } else if (c == '(') {
            depth++;
        } else if (c == ')' && --depth == 0) {
            return t[i + 1] == 0;
        }
    }
    return false;
}

kql_expr kql_negate(kql_render *r, kql_expr e) {
    if (e.kind == KE_TRUE) return (kql_expr){.kind = KE_FALSE};
    if (e.kind == KE_FALSE) return (kql_expr){.kind = KE_TRUE};
    strbuf sb;
    sb_init(&sb);
    /* `not((a and b))` reads badly: reuse parentheses that already enclose the whole text. */
    if (kql_is_parenthesised(e.text)) sb_printf(&sb, "not%s", e.text);
    else sb_printf(&sb, "not(%s)", e.text);
    kql_expr out = kql_text_expr(r, &sb);
    sb_free(&sb);
    return out;
}
