/* kql_text.c — KQL literal syntax: string literals, RE2-escaped text, timespans; and the small
 * expression algebra (and/or/not with constant folding) the renderers share. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/kql/kql_internal.h"
#include "util/xalloc.h"

static size_t split_top(const char *s, size_t b, size_t e, size_t *cuts, size_t max, const char **op);

const char *const kql_vocabulary[] = {
    /* tabular operators and their keywords */
    "where", "summarize", "by",
    /* logic */
    "and", "or", "not", "true", "false",
    /* string and list operators (the _cs forms are case-sensitive) */
    "contains", "contains_cs", "startswith", "startswith_cs", "endswith", "endswith_cs", "matches", "regex", "in",
    /* functions */
    "isempty", "isnotempty", "isnull", "isnotnull", "tostring", "toint", "tolong", "iff", "case", "strcat",
    "ipv4_is_in_range", "ipv6_is_in_range", "bin", "count", "dcount", "sum", "avg",
    NULL};

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

static size_t split_top(const char *s, size_t b, size_t e, size_t *cuts, size_t max, const char **op);

/* One operand of a chain being built: text[0..len). */
typedef struct operand {
    const char *text;
    size_t len;
} operand;

static void add_operand(operand **ops, size_t *n, size_t *cap, const char *text, size_t len) {
    for (size_t i = 0; i < *n; i++) /* `a or a` is `a`: guards repeat once per guarded item */
        if ((*ops)[i].len == len && !memcmp((*ops)[i].text, text, len)) return;
    if (*n == *cap) *ops = xrealloc(*ops, (*cap = *cap ? *cap * 2 : 16) * sizeof **ops);
    (*ops)[(*n)++] = (operand){text, len};
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
    /* The operands: a part that is itself a chain of the same operator contributes its own. */
    operand *ops = NULL;
    size_t nops = 0, cap = 0;
    for (size_t i = 0; i < n; i++) {
        if (parts[i].kind != KE_EXPR) continue;
        const char *t = parts[i].text;
        size_t len = strlen(t);
        if (is_and ? parts[i].is_and : parts[i].is_or) {
            size_t max = len / 4 + 2, *cuts = xcalloc(max, sizeof *cuts);
            const char *op;
            size_t k = split_top(t, 0, len, cuts, max, &op);
            for (size_t j = 0; j < k; j++) {
                size_t e = j + 1 < k ? cuts[j + 1] - strlen(op) - 2 : len;
                add_operand(&ops, &nops, &cap, t + cuts[j], e - cuts[j]);
            }
            free(cuts);
            continue;
        }
        /* `and` binds tighter than `or`: an or-chain inside an and-chain needs parentheses; an
         * and-chain inside an or-chain gets them too, so nobody has to remember the precedence. */
        if (is_and ? parts[i].is_or : parts[i].is_and) {
            char *p = kql_strdup_printf("(%s)", t);
            add_operand(&ops, &nops, &cap, arena_strdup(&r->a, p), len + 2);
            free(p);
        } else {
            add_operand(&ops, &nops, &cap, t, len);
        }
    }
    if (nops == 1) { /* every part was the same */
        kql_expr e = {.kind = KE_EXPR, .text = arena_strndup(&r->a, ops[0].text, ops[0].len)};
        free(ops);
        return e;
    }
    strbuf sb;
    sb_init(&sb);
    for (size_t i = 0; i < nops; i++) {
        if (i) sb_puts(&sb, is_and ? " and " : " or ");
        sb_append(&sb, ops[i].text, ops[i].len);
    }
    free(ops);
    kql_expr e = kql_text_expr(r, &sb);
    e.is_and = is_and;
    e.is_or = !is_and;
    sb_free(&sb);
    return e;
}

bool kql_is_parenthesised(const char *t) { return kql_is_parenthesised_range(t, 0, strlen(t)); }

bool kql_is_parenthesised_range(const char *t, size_t b, size_t e) {
    if (b >= e || t[b] != '(') return false;
    int depth = 0;
    char quote = 0;
    bool verbatim = false;
    for (size_t i = b; i < e; i++) {
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
            return i + 1 == e;
        }
    }
    return false;
}

/* `Column == "text"` ↔ `Column != "text"` (a plain string literal, no escapes): the negation of a
 * guard reads as a comparison, not as `not(Column != "text")`. On strings KQL has no null (an absent
 * value is ""), so the two forms agree on every row. Returns the index of the operator's first
 * character ('=' or '!'), or 0 when the text is not such a comparison. */
static size_t plain_comparison_op(const char *t, size_t len) {
    if (!(isalpha((unsigned char)t[0]) || t[0] == '_')) return 0;
    /* the column: a name or a call without spaces or strings (`tostring(EventData.Image)`) */
    size_t i = 0;
    while (t[i] && t[i] != ' ' && t[i] != '"' && t[i] != '\'' && t[i] != '@') i++;
    if (len < i + 6 || t[len - 1] != '"') return 0;
    if (strncmp(t + i, " == \"", 5) != 0 && strncmp(t + i, " != \"", 5) != 0) return 0;
    for (size_t k = i + 5; k < len - 1; k++)
        if (t[k] == '"' || t[k] == '\\') return 0;
    return i + 1;
}

kql_expr kql_negate(kql_render *r, kql_expr e) {
    if (e.kind == KE_TRUE) return (kql_expr){.kind = KE_FALSE};
    if (e.kind == KE_FALSE) return (kql_expr){.kind = KE_TRUE};
    size_t len = strlen(e.text);
    if (!strncmp(e.text, "not(", 4) && kql_is_parenthesised_range(e.text, 3, len)) {
        /* not(not(x)) is x: keeps `not not sel` from nesting needlessly */
        kql_expr inner = {.kind = KE_EXPR, .text = arena_strndup(&r->a, e.text + 4, len - 5)};
        size_t cuts[3];
        const char *op;
        if (split_top(inner.text, 0, len - 5, cuts, 2, &op) > 1) {
            inner.is_or = !strcmp(op, "or");
            inner.is_and = !inner.is_or;
        }
        return inner;
    }
    size_t op = plain_comparison_op(e.text, len);
    if (op) {
        char *flipped = arena_strndup(&r->a, e.text, len);
        flipped[op] = flipped[op] == '=' ? '!' : '=';
        return (kql_expr){.kind = KE_EXPR, .text = flipped};
    }
    strbuf sb;
    sb_init(&sb);
    /* `not((a and b))` reads badly: reuse parentheses that already enclose the whole text. */
    if (kql_is_parenthesised(e.text)) sb_printf(&sb, "not%s", e.text);
    else sb_printf(&sb, "not(%s)", e.text);
    kql_expr out = kql_text_expr(r, &sb);
    sb_free(&sb);
    return out;
}

/* ---- layout: long conditions one operand per line ---------------------------------------- */

enum { KQL_LINE_WIDTH = 100 };

/* Index just past the string literal starting at s[i] (a quote, or '@' before one). */
static size_t skip_string(const char *s, size_t i, size_t end) {
    bool verbatim = s[i] == '@';
    if (verbatim) i++;
    char q = s[i++];
    while (i < end) {
        if (!verbatim && s[i] == '\\') {
            i += 2;
            continue;
        }
        if (s[i] == q) {
            if (verbatim && i + 1 < end && s[i + 1] == q) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i++;
    }
    return end;
}

/* Splits s[b..e) at top-level " and " / " or " (all one kind: the renderer never mixes them at one
 * level without parentheses). Returns the number of operands; cuts[k] is where operand k starts. */
static size_t split_top(const char *s, size_t b, size_t e, size_t *cuts, size_t max, const char **op) {
    size_t n = 0;
    int depth = 0;
    cuts[n++] = b;
    *op = NULL;
    for (size_t i = b; i < e;) {
        char c = s[i];
        if (c == '"' || c == '\'' || (c == '@' && i + 1 < e && (s[i + 1] == '"' || s[i + 1] == '\''))) {
            i = skip_string(s, i, e);
            continue;
        }
        if (c == '(') depth++;
        else if (c == ')') depth--;
        else if (depth == 0 && c == ' ' && n < max) {
            const char *w = !strncmp(s + i, " and ", 5) ? "and" : !strncmp(s + i, " or ", 4) ? "or" : NULL;
            if (w && (!*op || !strcmp(*op, w))) {
                *op = w;
                i += strlen(w) + 2;
                cuts[n++] = i;
                continue;
            }
        }
        i++;
    }
    return n;
}

/* Lays out s[b..e) starting at column `col`; continuation lines start at column `cont`. */
static void layout(strbuf *out, const char *s, size_t b, size_t e, unsigned col, unsigned cont) {
    if (e - b + col <= KQL_LINE_WIDTH) {
        sb_append(out, s + b, e - b);
        return;
    }
    size_t *cuts = xcalloc(512, sizeof *cuts); /* heap: this recurses once per nesting level */
    const char *op;
    size_t n = split_top(s, b, e, cuts, 511, &op);
    if (n == 1) {
        /* One operand: open a parenthesised group, `(…)` or `not(…)`, and lay out its inside. */
        size_t open = s[b] == '(' ? b : !strncmp(s + b, "not(", 4) ? b + 3 : (size_t)-1;
        if (open != (size_t)-1 && s[e - 1] == ')' && kql_is_parenthesised_range(s, open, e)) {
            sb_append(out, s + b, open - b + 1);
            layout(out, s, open + 1, e - 1, col + (unsigned)(open - b + 1), cont + 4);
            sb_putc(out, ')');
        } else {
            sb_append(out, s + b, e - b);
        }
        free(cuts);
        return;
    }
    for (size_t k = 0; k < n; k++) {
        size_t pb = cuts[k], pe = k + 1 < n ? cuts[k + 1] - strlen(op) - 2 : e;
        if (k) {
            sb_putc(out, '\n');
            for (unsigned sp = 0; sp < cont; sp++) sb_putc(out, ' ');
            sb_puts(out, op);
            sb_putc(out, ' ');
        }
        layout(out, s, pb, pe, k ? cont + (unsigned)strlen(op) + 1 : col, cont);
    }
    free(cuts);
}

char *kql_layout(const char *cond, unsigned first_indent) {
    strbuf sb;
    sb_init(&sb);
    layout(&sb, cond, 0, strlen(cond), first_indent, 4);
    return sb_detach(&sb);
}

/* The top-level conjuncts of t[b..e) as [start, end) pairs in cuts (at most max). */
static size_t conjuncts(const char *t, size_t b, size_t e, size_t *starts, size_t *ends, size_t max) {
    if (kql_is_parenthesised_range(t, b, e)) b++, e--;
    size_t *cuts = xcalloc(max, sizeof *cuts);
    const char *op;
    size_t n = split_top(t, b, e, cuts, max, &op);
    if (n > 1 && strcmp(op, "and") != 0) n = 1, cuts[0] = b; /* an or-chain is one condition */
    for (size_t i = 0; i < n; i++) {
        starts[i] = cuts[i];
        ends[i] = i + 1 < n ? cuts[i + 1] - 5 : e; /* " and " */
    }
    free(cuts);
    return n;
}

bool kql_guard_implied(const kql_logsource *ls, const char *guard) {
    if (!ls->where) return false;
    enum { MAX = 32 };
    size_t gs[MAX], ge[MAX], ws[MAX], we[MAX];
    size_t ng = conjuncts(guard, 0, strlen(guard), gs, ge, MAX), nw = conjuncts(ls->where, 0, strlen(ls->where), ws, we, MAX);
    for (size_t i = 0; i < ng; i++) {
        bool found = false;
        for (size_t j = 0; j < nw && !found; j++)
            found = ge[i] - gs[i] == we[j] - ws[j] && !memcmp(guard + gs[i], ls->where + ws[j], ge[i] - gs[i]);
        if (!found) return false;
    }
    return true;
}

kql_expr kql_guard(kql_render *r, const char *guard, kql_expr p, bool negative) {
    /* The query's own `where` already keeps only rows where the guard holds. */
    if (kql_guard_implied(r->ls, guard)) return p;
    kql_expr g = {.kind = KE_EXPR, .text = guard};
    if (negative) return kql_combine(r, false, (kql_expr[]){kql_negate(r, g), p}, 2);
    return kql_combine(r, true, (kql_expr[]){g, p}, 2);
}

size_t kql_paren_depth(const char *t) {
    size_t depth = 0, max = 0, len = strlen(t);
    for (size_t i = 0; i < len;) {
        char c = t[i];
        if (c == '"' || c == '\'' || (c == '@' && i + 1 < len && (t[i + 1] == '"' || t[i + 1] == '\''))) {
            i = skip_string(t, i, len);
            continue;
        }
        if (c == '(' && ++depth > max) max = depth;
        if (c == ')' && depth) depth--;
        i++;
    }
    return max;
}
