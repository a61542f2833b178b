/* condition.h — the Sigma condition language: lexer (condition_lexer.c) and parser
 * (condition_parser.c). Grammar and precedence as sigma-semantics.md §1(e):
 *   or_expr  := and_expr ("or" and_expr)*      and_expr := not_expr ("and" not_expr)*
 *   not_expr := "not" not_expr | operand       operand  := "(" or_expr ")" | selector | IDENT
 *   selector := ("1" | "any" | "all") "of" (PATTERN | "them")
 * Operators are lowercase words; an identifier that merely starts with "not" is an identifier. */
#ifndef SOCFEED_RULE_CONDITION_H
#define SOCFEED_RULE_CONDITION_H

#include <stddef.h>

#include "rule/parse_ctx.h"

typedef enum cond_token_kind {
    CTOK_END, CTOK_LPAREN, CTOK_RPAREN, CTOK_AND, CTOK_OR, CTOK_NOT, CTOK_OF,
    CTOK_ONE, CTOK_ANY, CTOK_ALL, CTOK_THEM, CTOK_WORD, CTOK_INVALID
} cond_token_kind;

typedef struct cond_token {
    cond_token_kind kind;
    const char *text; /* points into the condition string */
    size_t len;
    size_t offset;    /* byte offset in the condition string */
} cond_token;

/* Splits a condition into tokens (always ends with CTOK_END). Returns the count; *out is
 * malloc'ed. A '|' yields CTOK_INVALID (legacy aggregation). */
size_t cond_tokenize(const char *text, cond_token **out);

/* The names a condition can refer to, and the diagnostics target. */
typedef struct cond_scope {
    socfeed_search_id *ids;
    size_t nids;
    const char *what; /* "identifier" or "rule" for messages */
} cond_scope;

/* Parses `text` (the scalar at `pos`, `quote` = 1 when the scalar was quoted). Returns NULL on
 * error (reported at the position of the offending token). Marks referenced ids as used. */
socfeed_cond *condition_parse(parse_ctx *ctx, const char *text, socfeed_pos pos, size_t quote,
                              const cond_scope *scope);

/* Glob with `*` only, matched against the whole name (pySigma: regex fullmatch of `.*`). */
bool cond_pattern_matches(const char *pattern, size_t plen, const char *name);

#endif
