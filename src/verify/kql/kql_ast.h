/* kql_ast.h — tokens and syntax tree of the KQL subset (lexer: kql_lexer.c, parser:
 * kql_parser.c, evaluator: kql_eval.c). Internal to src/verify/kql/. */
#ifndef SOCFEED_VERIFY_KQL_AST_H
#define SOCFEED_VERIFY_KQL_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "socfeed/diag.h"
#include "util/arena.h"

typedef enum kql_tok_kind {
    KT_END, KT_IDENT, KT_STRING, KT_NUMBER, KT_TIMESPAN, KT_PIPE, KT_LPAREN, KT_RPAREN, KT_COMMA, KT_DOT,
    KT_LBRACKET, KT_RBRACKET, KT_SEMI, KT_OP /* == != =~ !~ < <= > >= = and word operators starting with ! */
} kql_tok_kind;

typedef struct kql_token {
    kql_tok_kind kind;
    const char *text; /* IDENT/OP: the spelling; STRING: the decoded value (arena) */
    size_t len;
    double number;
    bool is_int;
    int64_t int_value;
    socfeed_pos pos;
} kql_token;

/* Returns false (with a diagnostic) on a lexical error. */
bool kql_tokenize(const char *name, const char *text, arena *a, socfeed_diags *diags, kql_token **out, size_t *n);

typedef enum kql_node_kind {
    KN_LITERAL_STRING, KN_LITERAL_NUMBER, KN_LITERAL_BOOL, KN_LITERAL_TIMESPAN,
    KN_COLUMN,   /* name, with optional property path */
    KN_AND, KN_OR, KN_NOT,
    KN_BINARY,   /* op: == != =~ !~ < <= > >= and string operators */
    KN_ARITH,    /* op: + -, over numbers, timespans and datetimes */
    KN_IN,       /* op: in, in~, !in, !in~, has_any, has_all; args: the list */
    KN_REGEX,    /* matches regex: lhs, pattern (compiled) */
    KN_CALL      /* name(args) */
} kql_node_kind;

typedef struct kql_node kql_node;
struct kql_node {
    kql_node_kind kind;
    socfeed_pos pos;
    const char *text;      /* literal string / column name / operator / function name */
    size_t len;
    double number;
    bool is_int;
    int64_t int_value;
    const char **path;     /* KN_COLUMN: property names after the column */
    size_t npath;
    kql_node **args;       /* children: operands, list items, call arguments */
    size_t nargs, args_cap;
    void *regex;           /* KN_REGEX: pcre2_code * */
};

/* sort makes the row set serialized (next()/prev() read the rows around one); where and extend
 * keep it so. */
typedef enum kql_stage_kind { KS_WHERE, KS_SUMMARIZE, KS_SORT, KS_EXTEND } kql_stage_kind;

typedef struct kql_agg {
    const char *name;      /* output column (explicit `x = count()` or default `count_`) */
    const char *func;      /* count, dcount, sum, avg, min, max */
    kql_node *arg;         /* NULL for count() */
} kql_agg;

typedef struct kql_stage {
    kql_stage_kind kind;
    kql_node *predicate;   /* KS_WHERE; KS_EXTEND: the new column's expression */
    const char *column;    /* KS_EXTEND: the new column's name */
    kql_agg *aggs;         /* KS_SUMMARIZE */
    size_t naggs;
    kql_node **by;
    const char **by_names;
    bool *descending;      /* KS_SORT: per `by` key */
    size_t nby, by_cap;
} kql_stage;

struct socfeed_kql_query {
    arena a;
    const char *source;
    kql_stage *stages;
    size_t nstages;
    void **regexes;        /* pcre2 codes to free */
    size_t nregexes;
};

#endif
