/* condition_parser.c — recursive descent over cond_tokenize()'s tokens into socfeed_cond trees,
 * resolving identifiers and selector patterns against the detection's search identifiers.
 * Choices beyond pySigma (sigma-semantics.md §1(e)): a selector matching nothing is an error,
 * not silently dropped; identifiers starting with "not" parse correctly (with a warning that
 * pySigma misreads them). */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rule/condition.h"
#include "util/xalloc.h"

enum { MAX_CONDITION_DEPTH = 128 };

typedef struct cparser {
    parse_ctx *ctx;
    const cond_scope *scope;
    cond_token *toks;
    size_t ntoks, at;
    socfeed_pos pos;
    size_t quote;
    unsigned depth;
    bool failed;
} cparser;

static socfeed_pos tok_pos(const cparser *p, const cond_token *t) {
    socfeed_pos pos = p->pos;
    if (pos.line) pos.col += (uint32_t)(t->offset + p->quote);
    return pos;
}

static void fail(cparser *p, const cond_token *t, const char *code, const char *msg, ...)
    __attribute__((format(printf, 4, 5)));
static void fail(cparser *p, const cond_token *t, const char *code, const char *fmt, ...) {
    if (p->failed) return; /* the first error explains; the rest would be noise */
    p->failed = true;
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    CTX_ERROR(p->ctx, tok_pos(p, t), code, "%s", msg);
    free(msg);
}

static const cond_token *peek(cparser *p) { return &p->toks[p->at]; }
static const cond_token *take(cparser *p) { return &p->toks[p->at < p->ntoks - 1 ? p->at++ : p->at]; }

static socfeed_cond *new_node(cparser *p, socfeed_cond_kind kind, const cond_token *t) {
    socfeed_cond *c = arena_alloc(p->ctx->a, sizeof *c);
    c->kind = kind;
    c->pos = tok_pos(p, t);
    return c;
}

bool cond_pattern_matches(const char *pat, size_t plen, const char *name) {
    /* Iterative glob with backtracking to the last star: linear enough for identifier names. */
    size_t pi = 0, ni = 0, star = (size_t)-1, mark = 0, nlen = strlen(name);
    while (ni < nlen) {
        if (pi < plen && pat[pi] == '*') {
            star = pi++;
            mark = ni;
        } else if (pi < plen && pat[pi] == name[ni]) {
            pi++;
            ni++;
        } else if (star != (size_t)-1) {
            pi = star + 1;
            ni = ++mark;
        } else {
            return false;
        }
    }
    while (pi < plen && pat[pi] == '*') pi++;
    return pi == plen;
}

static bool valid_identifier(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-') return false;
    return n > 0;
}

static socfeed_cond *parse_or(cparser *p);

static socfeed_cond *parse_selector(cparser *p, const cond_token *quant) {
    take(p); /* "of" */
    const cond_token *t = take(p);
    bool them = t->kind == CTOK_THEM;
    if (!them && t->kind != CTOK_WORD) {
        fail(p, t, "condition-syntax", "expected a pattern or 'them' after '%.*s of'", (int)quant->len, quant->text);
        return NULL;
    }
    for (size_t i = 0; !them && i < t->len; i++) {
        char c = t->text[i];
        if (!isalnum((unsigned char)c) && c != '_' && c != '*') {
            fail(p, t, "condition-syntax",
                 "'%.*s' is not a valid pattern: only letters, digits, '_' and '*' (pySigma rejects '%c' here)",
                 (int)t->len, t->text, c);
            return NULL;
        }
    }
    socfeed_cond *c = new_node(p, quant->kind == CTOK_ALL ? SOCFEED_COND_ALL_OF : SOCFEED_COND_ONE_OF, quant);
    c->pattern = them ? "them" : arena_strndup(p->ctx->a, t->text, t->len);
    bool hidden_ok = !them && t->len && t->text[0] == '_';
    c->idents = arena_alloc(p->ctx->a, (p->scope->nids ? p->scope->nids : 1) * sizeof *c->idents);
    for (size_t i = 0; i < p->scope->nids; i++) {
        const char *name = p->scope->ids[i].name;
        if (name[0] == '_' && !hidden_ok) continue; /* `them` and patterns skip _hidden ones */
        if (them || cond_pattern_matches(t->text, t->len, name)) {
            c->idents[c->nidents++] = i;
            p->scope->ids[i].used = true;
        }
    }
    if (!c->nidents) {
        fail(p, t, "condition-empty-selector", "'%.*s of %.*s' matches no %s", (int)quant->len, quant->text,
             (int)t->len, t->text, p->scope->what);
        return NULL;
    }
    return c;
}

static socfeed_cond *parse_identifier(cparser *p, const cond_token *t) {
    for (size_t i = 0; i < p->scope->nids; i++) {
        const char *name = p->scope->ids[i].name;
        if (strlen(name) == t->len && !memcmp(name, t->text, t->len)) {
            if (!valid_identifier(t->text, t->len))
                CTX_WARN(p->ctx, tok_pos(p, t), "condition-identifier",
                         "pySigma cannot parse the identifier '%s' in a condition", name);
            if (t->len > 3 && !memcmp(t->text, "not", 3))
                CTX_WARN(p->ctx, tok_pos(p, t), "condition-not-prefix",
                         "pySigma misreads '%s' as 'not %s'; rename the identifier for portability", name, name + 3);
            p->scope->ids[i].used = true;
            socfeed_cond *c = new_node(p, SOCFEED_COND_IDENT, t);
            c->ident = i;
            return c;
        }
    }
    if (memchr(t->text, '*', t->len)) {
        fail(p, t, "condition-syntax", "the pattern '%.*s' needs '1 of' or 'all of' before it", (int)t->len, t->text);
        return NULL;
    }
    static const char *const ops[] = {"and", "or", "not", "of", "them", "any", "all"};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        if (strlen(ops[i]) == t->len && !strncasecmp(ops[i], t->text, t->len)) {
            fail(p, t, "condition-syntax", "'%.*s': condition operators are lowercase ('%s')", (int)t->len, t->text, ops[i]);
            return NULL;
        }
    }
    for (size_t i = 0; i < p->scope->nids; i++) {
        const char *name = p->scope->ids[i].name;
        if (strlen(name) == t->len && !strncasecmp(name, t->text, t->len)) {
            fail(p, t, "condition-undefined", "undefined %s '%.*s' (did you mean '%s'? names are case-sensitive)",
                 p->scope->what, (int)t->len, t->text, name);
            return NULL;
        }
    }
    fail(p, t, "condition-undefined", "undefined %s '%.*s'", p->scope->what, (int)t->len, t->text);
    return NULL;
}

static socfeed_cond *parse_operand(cparser *p) {
    const cond_token *t = peek(p);
    switch (t->kind) {
    case CTOK_LPAREN: {
        take(p);
        if (++p->depth > MAX_CONDITION_DEPTH) {
            fail(p, t, "condition-depth", "parentheses nested deeper than %d", MAX_CONDITION_DEPTH);
            return NULL;
        }
        socfeed_cond *inner = parse_or(p);
        p->depth--;
        if (!inner) return NULL;
        const cond_token *close = take(p);
        if (close->kind != CTOK_RPAREN) {
            fail(p, t, "condition-syntax", "unbalanced parenthesis: '(' is never closed");
            return NULL;
        }
        return inner;
    }
    case CTOK_ONE:
    case CTOK_ANY:
    case CTOK_ALL:
        if (p->toks[p->at + 1].kind == CTOK_OF) return parse_selector(p, take(p));
        if (t->kind == CTOK_ONE) return parse_identifier(p, take(p));
        fail(p, t, "condition-syntax", "'%.*s' must be followed by 'of'", (int)t->len, t->text);
        return NULL;
    case CTOK_WORD: return parse_identifier(p, take(p));
    case CTOK_INVALID:
        fail(p, t, "condition-aggregation",
             "'|' in a condition is Sigma v1 aggregation syntax; write a correlation rule instead");
        return NULL;
    case CTOK_END: fail(p, t, "condition-syntax", "condition ends where an identifier was expected"); return NULL;
    case CTOK_RPAREN: fail(p, t, "condition-syntax", "unexpected ')'"); return NULL;
    default:
        fail(p, t, "condition-syntax", "unexpected '%.*s' where an identifier was expected", (int)t->len, t->text);
        return NULL;
    }
}

static socfeed_cond *parse_not(cparser *p) {
    const cond_token *t = peek(p);
    if (t->kind != CTOK_NOT) return parse_operand(p);
    take(p);
    if (++p->depth > MAX_CONDITION_DEPTH) {
        fail(p, t, "condition-depth", "'not' nested deeper than %d", MAX_CONDITION_DEPTH);
        return NULL;
    }
    socfeed_cond *inner = parse_not(p);
    p->depth--;
    if (!inner) return NULL;
    socfeed_cond *c = new_node(p, SOCFEED_COND_NOT, t);
    c->children = arena_alloc(p->ctx->a, sizeof *c->children);
    c->children[0] = inner;
    c->nchildren = 1;
    return c;
}

/* Builds an n-ary AND/OR over operands separated by `op`. */
static socfeed_cond *parse_chain(cparser *p, cond_token_kind op, socfeed_cond_kind kind,
                                 socfeed_cond *(*operand)(cparser *)) {
    const cond_token *first = peek(p);
    socfeed_cond *left = operand(p);
    if (!left || peek(p)->kind != op) return left;
    socfeed_cond **items = xmalloc(4 * sizeof *items);
    size_t n = 0, cap = 4;
    items[n++] = left;
    while (peek(p)->kind == op) {
        take(p);
        socfeed_cond *right = operand(p);
        if (!right) {
            free(items);
            return NULL;
        }
        if (n == cap) items = xrealloc(items, (cap *= 2) * sizeof *items);
        items[n++] = right;
    }
    socfeed_cond *c = new_node(p, kind, first);
    c->children = arena_memdup(p->ctx->a, items, n * sizeof *items);
    c->nchildren = n;
    free(items);
    return c;
}

static socfeed_cond *parse_and(cparser *p) { return parse_chain(p, CTOK_AND, SOCFEED_COND_AND, parse_not); }
static socfeed_cond *parse_or(cparser *p) { return parse_chain(p, CTOK_OR, SOCFEED_COND_OR, parse_and); }

socfeed_cond *condition_parse(parse_ctx *ctx, const char *text, socfeed_pos pos, size_t quote,
                              const cond_scope *scope) {
    cparser p = {.ctx = ctx, .scope = scope, .pos = pos, .quote = quote};
    p.ntoks = cond_tokenize(text, &p.toks);
    socfeed_cond *c = NULL;
    if (p.toks[0].kind == CTOK_END) {
        fail(&p, &p.toks[0], "condition-empty", "the condition is empty");
    } else {
        c = parse_or(&p);
        const cond_token *t = peek(&p);
        if (c && t->kind != CTOK_END) {
            if (t->kind == CTOK_RPAREN) fail(&p, t, "condition-syntax", "unbalanced parenthesis: unexpected ')'");
            else if (t->kind == CTOK_INVALID)
                fail(&p, t, "condition-aggregation",
                     "'|' in a condition is Sigma v1 aggregation syntax; write a correlation rule instead");
            else fail(&p, t, "condition-syntax", "expected 'and', 'or' or the end, found '%.*s'", (int)t->len, t->text);
        }
    }
    free(p.toks);
    return p.failed ? NULL : c;
}
