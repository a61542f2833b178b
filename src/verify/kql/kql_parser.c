/* kql_parser.c — tokens → a socfeed_kql_query: a source table and a pipeline of where, extend,
 * sort and summarize stages, with expressions as kql_node trees. Precedence: or < and <
 * comparison < + - < primary; `not(…)` is a function, as in KQL. Anything outside the subset is
 * "unsupported KQL: …". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "socfeed/kql_eval.h"
#include "util/xalloc.h"
#include "verify/kql/kql_ast.h"
#include "verify/kql/kql_expr.h"

enum { MAX_EXPR_DEPTH = 200 };

typedef struct parser {
    const char *name;
    socfeed_kql_query *q;
    kql_token *toks;
    size_t n, at;
    socfeed_diags *diags;
    unsigned depth;
    bool failed;
} parser;

static const kql_token *peek(parser *p) { return &p->toks[p->at]; }
static const kql_token *take(parser *p) { return &p->toks[p->at < p->n - 1 ? p->at++ : p->at]; }

static bool tok_is(const kql_token *t, kql_tok_kind kind, const char *text) {
    return t->kind == kind && (!text || (strlen(text) == t->len && !memcmp(t->text, text, t->len)));
}

static void fail(parser *p, const kql_token *t, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(parser *p, const kql_token *t, const char *fmt, ...) {
    if (p->failed) return;
    p->failed = true;
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    socfeed_diag_add(p->diags, SOCFEED_ERROR, p->name, t->pos, "kql-unsupported", "%s", msg);
    free(msg);
}

static kql_node *node(parser *p, kql_node_kind kind, const kql_token *t) {
    kql_node *n = arena_alloc(&p->q->a, sizeof *n);
    n->kind = kind;
    n->pos = t->pos;
    return n;
}

/* Doubling, not one more slot per child: a long `or` chain (a converted rule with thousands of
 * values) would otherwise leave a quadratic amount of arena memory behind. */
static void add_arg(parser *p, kql_node *n, kql_node *child) {
    if (n->nargs == n->args_cap) {
        n->args_cap = n->args_cap ? n->args_cap * 2 : 4;
        kql_node **args = arena_alloc(&p->q->a, n->args_cap * sizeof *args);
        if (n->nargs) memcpy(args, n->args, n->nargs * sizeof *args);
        n->args = args;
    }
    n->args[n->nargs++] = child;
}

static bool expect(parser *p, kql_tok_kind kind, const char *what) {
    if (peek(p)->kind == kind) {
        take(p);
        return true;
    }
    fail(p, peek(p), "unsupported KQL: expected %s, found '%.*s'", what, (int)peek(p)->len, peek(p)->text);
    return false;
}

static kql_node *parse_expr(parser *p);

static const char *const string_ops[] = {"contains", "contains_cs", "has", "has_cs", "startswith", "startswith_cs",
                                         "endswith", "endswith_cs", NULL};
static const char *const list_ops[] = {"in", "in~", "has_any", "has_all", NULL};
static const char *const functions[] = {"isempty", "isnotempty", "isnull", "isnotnull", "ipv4_is_in_range",
                                        "ipv6_is_in_range", "tostring", "toint", "tolong", "tolower", "toupper",
                                        "bin", "not", "strlen", "iff", "iif", "strcat", "coalesce", "case",
                                        "extract", "replace_string", "tobool", "toboolean", "next", "prev", NULL};

static bool in_list(const char *s, size_t len, const char *const *list) {
    for (size_t i = 0; list[i]; i++)
        if (strlen(list[i]) == len && !memcmp(list[i], s, len)) return true;
    return false;
}

/* The first construct of the regex that RE2 lacks (lookaround, atomic groups, backreferences), or
 * NULL. Read token by token, not searched as text: `\\\\2` is an escaped backslash and a 2, `\\(?=`
 * and `[(?=]` are literal characters. */
static const char *not_re2(const char *t, size_t n) {
    static const char *const groups[] = {"(?=", "(?!", "(?<=", "(?<!", "(?>", NULL};
    bool in_class = false;
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '\\') {
            if (!in_class && i + 1 < n && t[i + 1] >= '1' && t[i + 1] <= '9') return "\\1 (a backreference)";
            i++;
            continue;
        }
        if (in_class) {
            in_class = t[i] != ']';
            continue;
        }
        if (t[i] == '[') { /* a ']' first in the class (after an optional '^') is a literal */
            in_class = true;
            if (i + 1 < n && t[i + 1] == '^') i++;
            if (i + 1 < n && t[i + 1] == ']') i++;
            continue;
        }
        for (size_t g = 0; t[i] == '(' && groups[g]; g++)
            if (n - i >= strlen(groups[g]) && !memcmp(t + i, groups[g], strlen(groups[g]))) return groups[g];
    }
    return NULL;
}

/* Compiles a regex literal (RE2 subset checked) and keeps it for socfeed_kql_query_free. */
static pcre2_code *compile_regex(parser *p, const kql_token *at, const char *text, size_t len) {
    /* RE2 has no lookaround or backreferences: a query using them would not run in Sentinel. */
    const char *bad = not_re2(text, len);
    if (bad) {
        fail(p, at, "unsupported KQL: '%s' is not RE2 syntax", bad);
        return NULL;
    }
    int err;
    PCRE2_SIZE off;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)text, len, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
    if (!code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        fail(p, at, "invalid regex at offset %zu: %s", (size_t)off, (const char *)msg);
        return NULL;
    }
    p->q->regexes = xrealloc(p->q->regexes, (p->q->nregexes + 1) * sizeof *p->q->regexes);
    p->q->regexes[p->q->nregexes++] = code;
    return code;
}

/* extract(regex, group, text): the regex must be a literal, compiled once here. */
static bool compile_extract(parser *p, const kql_token *t, kql_node *n) {
    if (n->nargs != 3 || n->args[0]->kind != KN_LITERAL_STRING || n->args[1]->kind != KN_LITERAL_NUMBER ||
        !n->args[1]->is_int || n->args[1]->int_value < 0) {
        fail(p, t, "unsupported KQL: extract() needs a literal regex, a literal group number and a text");
        return false;
    }
    n->regex = compile_regex(p, t, n->args[0]->text, n->args[0]->len);
    return n->regex != NULL;
}

static kql_node *parse_primary(parser *p) {
    const kql_token *t = take(p);
    switch (t->kind) {
    case KT_STRING: {
        kql_node *n = node(p, KN_LITERAL_STRING, t);
        n->text = t->text;
        n->len = t->len;
        return n;
    }
    case KT_NUMBER:
    case KT_TIMESPAN: {
        kql_node *n = node(p, t->kind == KT_NUMBER ? KN_LITERAL_NUMBER : KN_LITERAL_TIMESPAN, t);
        n->number = t->number;
        n->is_int = t->is_int;
        n->int_value = t->int_value;
        return n;
    }
    case KT_LPAREN: {
        kql_node *inner = parse_expr(p);
        if (!inner || !expect(p, KT_RPAREN, "')'")) return NULL;
        return inner;
    }
    case KT_IDENT: {
        if (tok_is(t, KT_IDENT, "true") || tok_is(t, KT_IDENT, "false")) {
            kql_node *n = node(p, KN_LITERAL_BOOL, t);
            n->int_value = t->text[0] == 't';
            return n;
        }
        if (peek(p)->kind == KT_LPAREN) {
            if (!in_list(t->text, t->len, functions)) {
                fail(p, t, "unsupported KQL: function '%.*s'", (int)t->len, t->text);
                return NULL;
            }
            take(p);
            kql_node *n = node(p, tok_is(t, KT_IDENT, "not") ? KN_NOT : KN_CALL, t);
            n->text = arena_strndup(&p->q->a, t->text, t->len);
            n->len = t->len;
            if (peek(p)->kind != KT_RPAREN) {
                for (;;) {
                    kql_node *arg = parse_expr(p);
                    if (!arg) return NULL;
                    add_arg(p, n, arg);
                    if (peek(p)->kind != KT_COMMA) break;
                    take(p);
                }
            }
            if (!expect(p, KT_RPAREN, "')'")) return NULL;
            if (tok_is(t, KT_IDENT, "extract") && !compile_extract(p, t, n)) return NULL;
            if ((tok_is(t, KT_IDENT, "iff") || tok_is(t, KT_IDENT, "iif")) && n->nargs != 3) {
                fail(p, t, "unsupported KQL: iff() takes three arguments");
                return NULL;
            }
            if (tok_is(t, KT_IDENT, "case") && (n->nargs < 3 || n->nargs % 2 == 0)) {
                fail(p, t, "unsupported KQL: case() takes pairs and a default");
                return NULL;
            }
            /* next(column, offset, default) / prev(…): KQL wants a constant offset. */
            if ((tok_is(t, KT_IDENT, "next") || tok_is(t, KT_IDENT, "prev")) &&
                (n->nargs < 1 || n->nargs > 3 ||
                 (n->nargs >= 2 && (n->args[1]->kind != KN_LITERAL_NUMBER || !n->args[1]->is_int || n->args[1]->int_value < 0)))) {
                fail(p, t, "unsupported KQL: %.*s() takes a column, a constant offset (0 or more) and a default", (int)t->len, t->text);
                return NULL;
            }
            if (n->kind == KN_NOT && n->nargs != 1) {
                fail(p, t, "unsupported KQL: not() takes one argument");
                return NULL;
            }
            return n;
        }
        kql_node *n = node(p, KN_COLUMN, t);
        n->text = arena_strndup(&p->q->a, t->text, t->len);
        n->len = t->len;
        while (peek(p)->kind == KT_DOT || peek(p)->kind == KT_LBRACKET) {
            bool bracket = take(p)->kind == KT_LBRACKET;
            const kql_token *prop = take(p);
            if ((bracket && prop->kind != KT_STRING) || (!bracket && prop->kind != KT_IDENT)) {
                fail(p, prop, "unsupported KQL: property access");
                return NULL;
            }
            if (bracket && !expect(p, KT_RBRACKET, "']'")) return NULL;
            const char **path = arena_alloc(&p->q->a, (n->npath + 1) * sizeof *path);
            if (n->npath) memcpy(path, n->path, n->npath * sizeof *path);
            path[n->npath++] = arena_strndup(&p->q->a, prop->text, prop->len);
            n->path = path;
        }
        return n;
    }
    default:
        fail(p, t, "unsupported KQL: '%.*s' where a value was expected", (int)t->len, t->text);
        return NULL;
    }
}

static bool is_arith(const kql_token *t) { return tok_is(t, KT_OP, "+") || tok_is(t, KT_OP, "-"); }

/* a + b - c: left to right. */
static kql_node *parse_additive(parser *p) {
    kql_node *lhs = parse_primary(p);
    while (lhs && is_arith(peek(p))) {
        const kql_token *t = take(p);
        kql_node *rhs = parse_primary(p);
        if (!rhs) return NULL;
        kql_node *n = node(p, KN_ARITH, t);
        n->text = t->text[0] == '+' ? "+" : "-";
        n->len = 1;
        add_arg(p, n, lhs);
        add_arg(p, n, rhs);
        lhs = n;
    }
    return lhs;
}

static kql_node *parse_comparison(parser *p) {
    kql_node *lhs = parse_additive(p);
    if (!lhs) return NULL;
    const kql_token *t = peek(p);
    const char *word = t->text;
    size_t wlen = t->len;
    bool negated = t->kind == KT_OP && wlen > 1 && word[0] == '!' && word[1] != '=' && word[1] != '~';
    const char *base = negated ? word + 1 : word;
    size_t blen = negated ? wlen - 1 : wlen;
    if (t->kind == KT_OP && !negated) {
        take(p);
        kql_node *rhs = parse_additive(p);
        if (!rhs) return NULL;
        kql_node *n = node(p, KN_BINARY, t);
        n->text = arena_strndup(&p->q->a, word, wlen);
        n->len = wlen;
        add_arg(p, n, lhs);
        add_arg(p, n, rhs);
        return n;
    }
    if ((t->kind == KT_IDENT || negated) && in_list(base, blen, string_ops)) {
        take(p);
        kql_node *rhs = parse_primary(p);
        if (!rhs) return NULL;
        kql_node *n = node(p, KN_BINARY, t);
        n->text = arena_strndup(&p->q->a, word, wlen);
        n->len = wlen;
        add_arg(p, n, lhs);
        add_arg(p, n, rhs);
        return n;
    }
    if ((t->kind == KT_IDENT || negated) && in_list(base, blen, list_ops)) {
        take(p);
        kql_node *n = node(p, KN_IN, t);
        n->text = arena_strndup(&p->q->a, word, wlen);
        n->len = wlen;
        add_arg(p, n, lhs);
        if (!expect(p, KT_LPAREN, "'(' after an in/has_any operator")) return NULL;
        for (;;) {
            kql_node *item = parse_primary(p);
            if (!item) return NULL;
            add_arg(p, n, item);
            if (peek(p)->kind != KT_COMMA) break;
            take(p);
        }
        if (!expect(p, KT_RPAREN, "')'")) return NULL;
        return n;
    }
    if (tok_is(t, KT_IDENT, "matches")) {
        take(p);
        if (!tok_is(take(p), KT_IDENT, "regex")) {
            fail(p, t, "unsupported KQL: 'matches' without 'regex'");
            return NULL;
        }
        const kql_token *pat = take(p);
        if (pat->kind != KT_STRING) {
            fail(p, pat, "unsupported KQL: matches regex needs a string literal");
            return NULL;
        }
        pcre2_code *code = compile_regex(p, pat, pat->text, pat->len);
        if (!code) return NULL;
        kql_node *n = node(p, KN_REGEX, t);
        n->regex = code;
        n->text = pat->text;
        n->len = pat->len;
        add_arg(p, n, lhs);
        return n;
    }
    if (t->kind == KT_IDENT && !tok_is(t, KT_IDENT, "and") && !tok_is(t, KT_IDENT, "or") && !tok_is(t, KT_IDENT, "by") &&
        !tok_is(t, KT_IDENT, "asc") && !tok_is(t, KT_IDENT, "desc") && !tok_is(t, KT_IDENT, "nulls")) {
        fail(p, t, "unsupported KQL: operator '%.*s'", (int)t->len, t->text);
        return NULL;
    }
    if (negated) {
        fail(p, t, "unsupported KQL: operator '%.*s'", (int)t->len, t->text);
        return NULL;
    }
    return lhs;
}

static kql_node *parse_chain(parser *p, const char *word, kql_node_kind kind, kql_node *(*sub)(parser *)) {
    if (++p->depth > MAX_EXPR_DEPTH) {
        fail(p, peek(p), "unsupported KQL: expression nested too deep");
        return NULL;
    }
    kql_node *left = sub(p);
    while (left && tok_is(peek(p), KT_IDENT, word)) {
        const kql_token *t = take(p);
        kql_node *right = sub(p);
        if (!right) {
            left = NULL;
            break;
        }
        if (left->kind != kind) {
            kql_node *n = node(p, kind, t);
            add_arg(p, n, left);
            left = n;
        }
        add_arg(p, left, right);
    }
    p->depth--;
    return left;
}

static kql_node *parse_and(parser *p) { return parse_chain(p, "and", KN_AND, parse_comparison); }
static kql_node *parse_expr(parser *p) { return parse_chain(p, "or", KN_OR, parse_and); }

static const char *default_name(parser *p, const char *func, const kql_node *arg) {
    if (!arg) return arena_strdup(&p->q->a, "count_");
    char buf[256];
    snprintf(buf, sizeof buf, "%s_%s", func, arg->kind == KN_COLUMN ? arg->text : "expr");
    return arena_strdup(&p->q->a, buf);
}

/* One more `by` key of a summarize (its output name) or a sort (its direction). The arrays double,
 * as add_arg's do: a thousand keys must not leave a quadratic amount of arena behind. */
static void add_key(parser *p, kql_stage *st, kql_node *e, const char *name, bool desc) {
    if (st->nby == st->by_cap) {
        size_t cap = st->by_cap ? st->by_cap * 2 : 4;
        kql_node **by = arena_alloc(&p->q->a, cap * sizeof *by);
        const char **names = arena_alloc(&p->q->a, cap * sizeof *names);
        bool *d = arena_alloc(&p->q->a, cap * sizeof *d);
        if (st->nby) {
            memcpy(by, st->by, st->nby * sizeof *by);
            memcpy(names, st->by_names, st->nby * sizeof *names);
            memcpy(d, st->descending, st->nby * sizeof *d);
        }
        st->by = by;
        st->by_names = names;
        st->descending = d;
        st->by_cap = cap;
    }
    st->by[st->nby] = e;
    st->by_names[st->nby] = name;
    st->descending[st->nby++] = desc;
}

static bool parse_summarize(parser *p, kql_stage *st) {
    st->kind = KS_SUMMARIZE;
    static const char *const aggs[] = {"count", "dcount", "sum", "avg", "min", "max", NULL};
    for (;;) {
        const kql_token *first = take(p);
        const char *name = NULL;
        const kql_token *fn = first;
        if (first->kind == KT_IDENT && tok_is(peek(p), KT_OP, "=")) {
            take(p);
            name = arena_strndup(&p->q->a, first->text, first->len);
            fn = take(p);
        }
        if (fn->kind != KT_IDENT || !in_list(fn->text, fn->len, aggs) || !expect(p, KT_LPAREN, "'('")) {
            fail(p, fn, "unsupported KQL: aggregation '%.*s'", (int)fn->len, fn->text);
            return false;
        }
        kql_node *arg = NULL;
        if (peek(p)->kind != KT_RPAREN && !(arg = parse_expr(p))) return false;
        if (!arg && !(fn->len == 5 && !memcmp(fn->text, "count", 5))) { /* only count() stands alone */
            fail(p, fn, "aggregation '%.*s' needs an argument", (int)fn->len, fn->text);
            return false;
        }
        if (!expect(p, KT_RPAREN, "')'")) return false;
        kql_agg *a = arena_alloc(&p->q->a, (st->naggs + 1) * sizeof *a);
        if (st->naggs) memcpy(a, st->aggs, st->naggs * sizeof *a);
        const char *func = arena_strndup(&p->q->a, fn->text, fn->len);
        a[st->naggs++] = (kql_agg){name ? name : default_name(p, func, arg), func, arg};
        st->aggs = a;
        if (peek(p)->kind != KT_COMMA) break;
        take(p);
    }
    if (!tok_is(peek(p), KT_IDENT, "by")) return true;
    take(p);
    for (;;) {
        const kql_token *first = peek(p);
        const char *name = NULL;
        if (first->kind == KT_IDENT && tok_is(&p->toks[p->at + 1], KT_OP, "=")) {
            take(p);
            take(p);
            name = arena_strndup(&p->q->a, first->text, first->len);
        }
        kql_node *e = parse_expr(p);
        if (!e) return false;
        if (!name) {
            const kql_node *col = e->kind == KN_CALL && e->nargs ? e->args[0] : e;
            name = col->kind == KN_COLUMN ? col->text : arena_strdup(&p->q->a, "Column1");
        }
        add_key(p, st, e, name, false);
        if (peek(p)->kind != KT_COMMA) break;
        take(p);
    }
    return true;
}

/* sort by / order by: keys, each `asc` or `desc` (KQL's default is desc). */
static bool parse_sort(parser *p, kql_stage *st) {
    st->kind = KS_SORT;
    if (!tok_is(take(p), KT_IDENT, "by")) {
        fail(p, peek(p), "unsupported KQL: expected 'by' after sort");
        return false;
    }
    for (;;) {
        kql_node *e = parse_expr(p);
        if (!e) return false;
        bool desc = true;
        if (tok_is(peek(p), KT_IDENT, "asc") || tok_is(peek(p), KT_IDENT, "desc")) desc = take(p)->text[0] == 'd';
        if (tok_is(peek(p), KT_IDENT, "nulls")) {
            fail(p, peek(p), "unsupported KQL: 'nulls first/last'");
            return false;
        }
        add_key(p, st, e, NULL, desc);
        if (peek(p)->kind != KT_COMMA) return true;
        take(p);
    }
}

/* extend Name = expr, …: one stage per column, so a later column can read an earlier one. */
static void add_stage(parser *p, const kql_stage *st) {
    p->q->stages = xrealloc(p->q->stages, (p->q->nstages + 1) * sizeof *p->q->stages);
    p->q->stages[p->q->nstages++] = *st;
}

static void parse_extend(parser *p) {
    for (;;) {
        const kql_token *name = take(p);
        if (name->kind != KT_IDENT || !tok_is(peek(p), KT_OP, "=")) {
            fail(p, name, "unsupported KQL: extend needs 'Name = expression'");
            return;
        }
        take(p);
        kql_stage st = {.kind = KS_EXTEND, .column = arena_strndup(&p->q->a, name->text, name->len)};
        if (!(st.predicate = parse_expr(p))) return;
        add_stage(p, &st);
        if (peek(p)->kind != KT_COMMA) return;
        take(p);
    }
}

void socfeed_kql_query_free(socfeed_kql_query *q) {
    if (!q) return;
    for (size_t i = 0; i < q->nregexes; i++) pcre2_code_free(q->regexes[i]);
    free(q->regexes);
    free(q->stages);
    arena_free(&q->a);
    free(q);
}

const char *socfeed_kql_query_source(const socfeed_kql_query *q) { return q->source; }

/* A new query and its tokens in *p; false (nothing left to free) when the text does not tokenize. */
static bool parse_begin(parser *p, const char *name, const char *text, socfeed_diags *diags) {
    socfeed_kql_query *q = xcalloc(1, sizeof *q);
    arena_init(&q->a);
    *p = (parser){.name = name, .q = q, .diags = diags};
    if (kql_tokenize(name, text, &q->a, diags, &p->toks, &p->n)) return true;
    free(p->toks);
    socfeed_kql_query_free(q);
    return false;
}

socfeed_kql_query *socfeed_kql_parse(const char *name, const char *text, socfeed_diags *diags) {
    parser p;
    if (!parse_begin(&p, name, text, diags)) return NULL;
    socfeed_kql_query *q = p.q;
    const kql_token *src = take(&p);
    if (src->kind != KT_IDENT || tok_is(src, KT_IDENT, "let") || tok_is(src, KT_IDENT, "union")) {
        fail(&p, src, "unsupported KQL: a query must start with a table name, found '%.*s'", (int)src->len, src->text);
    } else {
        q->source = arena_strndup(&q->a, src->text, src->len);
    }
    while (!p.failed && peek(&p)->kind == KT_PIPE) {
        take(&p);
        const kql_token *op = take(&p);
        kql_stage st = {0};
        if (tok_is(op, KT_IDENT, "where")) {
            st.kind = KS_WHERE;
            st.predicate = parse_expr(&p);
        } else if (tok_is(op, KT_IDENT, "summarize")) {
            parse_summarize(&p, &st);
        } else if (tok_is(op, KT_IDENT, "sort") || tok_is(op, KT_IDENT, "order")) {
            parse_sort(&p, &st);
        } else if (tok_is(op, KT_IDENT, "extend")) {
            parse_extend(&p);
            continue;
        } else {
            fail(&p, op, "unsupported KQL: operator '| %.*s'", (int)op->len, op->text);
        }
        if (p.failed) break;
        add_stage(&p, &st);
    }
    if (!p.failed && peek(&p)->kind != KT_END)
        fail(&p, peek(&p), "unsupported KQL: unexpected '%.*s'", (int)peek(&p)->len, peek(&p)->text);
    free(p.toks);
    if (p.failed) {
        socfeed_kql_query_free(q);
        return NULL;
    }
    return q;
}

socfeed_kql_query *kql_parse_expression(const char *name, const char *text, socfeed_diags *diags) {
    parser p;
    if (!parse_begin(&p, name, text, diags)) return NULL;
    socfeed_kql_query *q = p.q;
    kql_stage st = {.kind = KS_WHERE, .predicate = parse_expr(&p)};
    if (!p.failed && peek(&p)->kind != KT_END)
        fail(&p, peek(&p), "unsupported KQL: unexpected '%.*s' after the expression", (int)peek(&p)->len, peek(&p)->text);
    free(p.toks);
    if (p.failed) {
        socfeed_kql_query_free(q);
        return NULL;
    }
    q->stages = xcalloc(1, sizeof *q->stages);
    q->stages[0] = st;
    q->nstages = 1;
    return q;
}
