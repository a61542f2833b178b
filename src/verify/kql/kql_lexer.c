/* kql_lexer.c — KQL text → tokens: identifiers, the string literal forms ("…", '…' with
 * backslash escapes; @"…", @'…' verbatim with doubled quotes), numbers, timespans (5m, 1h, 30s,
 * 2d, 100ms), operators (== != =~ !~ < <= > >= =, !word, in~), punctuation and // comments. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "verify/kql/kql_ast.h"

typedef struct lexer {
    const char *name, *s;
    size_t len, i;
    uint32_t line, line_start;
    arena *a;
    socfeed_diags *diags;
    kql_token *toks;
    size_t n, cap;
} lexer;

static socfeed_pos here(const lexer *lx, size_t at) { return (socfeed_pos){lx->line, (uint32_t)(at - lx->line_start + 1)}; }

static kql_token *push(lexer *lx, kql_tok_kind kind, size_t start) {
    if (lx->n == lx->cap) {
        lx->cap = lx->cap ? lx->cap * 2 : 64;
        lx->toks = xrealloc(lx->toks, lx->cap * sizeof *lx->toks);
    }
    kql_token *t = &lx->toks[lx->n++];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->text = lx->s + start;
    t->pos = here(lx, start);
    return t;
}

/* Bytes up to the closing quote (or the end of the line or text): a bound on the decoded length.
 * Sizing by the rest of the query instead made memory quadratic in the number of strings. */
static size_t raw_string_span(const lexer *lx, char quote, bool verbatim) {
    size_t i = lx->i;
    while (i < lx->len && lx->s[i] != '\n') {
        if (lx->s[i] == quote) {
            if (verbatim && i + 1 < lx->len && lx->s[i + 1] == quote) {
                i += 2;
                continue;
            }
            break;
        }
        i += !verbatim && lx->s[i] == '\\' && i + 1 < lx->len ? 2 : 1;
    }
    return i - lx->i;
}

static bool lex_string(lexer *lx, size_t start, bool verbatim) {
    char quote = lx->s[lx->i++];
    char *out = arena_alloc(lx->a, raw_string_span(lx, quote, verbatim) + 1);
    size_t o = 0;
    for (;;) {
        if (lx->i >= lx->len || lx->s[lx->i] == '\n') {
            socfeed_diag_add(lx->diags, SOCFEED_ERROR, lx->name, here(lx, start), "kql-syntax", "unterminated string literal");
            return false;
        }
        char c = lx->s[lx->i++];
        if (c == quote) {
            if (verbatim && lx->i < lx->len && lx->s[lx->i] == quote) { /* "" inside @"…" */
                out[o++] = quote;
                lx->i++;
                continue;
            }
            break;
        }
        if (c == '\\' && !verbatim) {
            if (lx->i >= lx->len) continue;
            char e = lx->s[lx->i++];
            switch (e) {
            case 'n': out[o++] = '\n'; break;
            case 't': out[o++] = '\t'; break;
            case 'r': out[o++] = '\r'; break;
            case '\\': case '"': case '\'': out[o++] = e; break;
            default:
                socfeed_diag_add(lx->diags, SOCFEED_ERROR, lx->name, here(lx, lx->i - 2), "kql-syntax",
                                 "unsupported KQL: escape '\\%c' in a string literal", e);
                return false;
            }
            continue;
        }
        out[o++] = c;
    }
    kql_token *t = push(lx, KT_STRING, start);
    t->text = out;
    t->len = o;
    return true;
}

bool kql_tokenize(const char *name, const char *text, arena *a, socfeed_diags *diags, kql_token **out, size_t *n) {
    lexer lx = {.name = name, .s = text, .len = strlen(text), .line = 1, .a = a, .diags = diags};
    bool ok = true;
    while (ok) {
        while (lx.i < lx.len && isspace((unsigned char)text[lx.i])) {
            if (text[lx.i] == '\n') {
                lx.line++;
                lx.line_start = lx.i + 1;
            }
            lx.i++;
        }
        if (lx.i >= lx.len) break;
        size_t start = lx.i;
        char c = text[lx.i];
        if (c == '/' && lx.i + 1 < lx.len && text[lx.i + 1] == '/') {
            while (lx.i < lx.len && text[lx.i] != '\n') lx.i++;
            continue;
        }
        if (c == '"' || c == '\'') {
            ok = lex_string(&lx, start, false);
            continue;
        }
        if (c == '@' && lx.i + 1 < lx.len && (text[lx.i + 1] == '"' || text[lx.i + 1] == '\'')) {
            lx.i++;
            ok = lex_string(&lx, start, true);
            continue;
        }
        if (isdigit((unsigned char)c)) {
            char *end;
            double d = strtod(text + lx.i, &end);
            size_t numlen = (size_t)(end - (text + lx.i));
            bool is_int = !memchr(text + lx.i, '.', numlen) && !memchr(text + lx.i, 'e', numlen) && !memchr(text + lx.i, 'E', numlen);
            lx.i += numlen;
            /* A unit right after the digits makes a timespan, in seconds. */
            static const struct { const char *unit; double seconds; } units[] = {
                {"ms", 0.001}, {"d", 86400}, {"h", 3600}, {"m", 60}, {"s", 1}};
            double scale = 0;
            for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
                size_t ul = strlen(units[u].unit);
                if (!strncmp(text + lx.i, units[u].unit, ul) && !isalnum((unsigned char)text[lx.i + ul])) {
                    scale = units[u].seconds;
                    lx.i += ul;
                    break;
                }
            }
            kql_token *t = push(&lx, scale ? KT_TIMESPAN : KT_NUMBER, start);
            t->len = lx.i - start;
            t->number = scale ? d * scale : d;
            /* A literal beyond long's range is a real (fuzz finding: the cast was undefined). */
            bool fits = d > -9.2e18 && d < 9.2e18;
            t->is_int = is_int && !scale && fits;
            t->int_value = fits ? (int64_t)d : 0;
            continue;
        }
        if (isalpha((unsigned char)c) || c == '_' || (c == '!' && lx.i + 1 < lx.len && isalpha((unsigned char)text[lx.i + 1]))) {
            lx.i++;
            while (lx.i < lx.len && (isalnum((unsigned char)text[lx.i]) || text[lx.i] == '_')) lx.i++;
            if (lx.i < lx.len && text[lx.i] == '~' && lx.i - start >= 2 && !strncmp(text + lx.i - 2, "in", 2)) lx.i++; /* in~ */
            kql_token *t = push(&lx, c == '!' ? KT_OP : KT_IDENT, start);
            t->len = lx.i - start;
            continue;
        }
        static const char *const ops[] = {"==", "!=", "=~", "!~", "<=", ">=", "<", ">", "=", "+", "-"};
        bool matched = false;
        for (size_t k = 0; k < sizeof ops / sizeof *ops && !matched; k++) {
            size_t ol = strlen(ops[k]);
            if (!strncmp(text + lx.i, ops[k], ol)) {
                lx.i += ol;
                push(&lx, KT_OP, start)->len = ol;
                matched = true;
            }
        }
        if (matched) continue;
        kql_tok_kind kind = c == '|' ? KT_PIPE : c == '(' ? KT_LPAREN : c == ')' ? KT_RPAREN : c == ',' ? KT_COMMA
                          : c == '.' ? KT_DOT : c == '[' ? KT_LBRACKET : c == ']' ? KT_RBRACKET : c == ';' ? KT_SEMI : KT_END;
        if (kind == KT_END) {
            socfeed_diag_add(diags, SOCFEED_ERROR, name, here(&lx, start), "kql-syntax", "unsupported KQL: character '%c'", c);
            ok = false;
            break;
        }
        lx.i++;
        push(&lx, kind, start)->len = 1;
    }
    push(&lx, KT_END, lx.i);
    *out = lx.toks;
    *n = lx.n;
    return ok;
}
