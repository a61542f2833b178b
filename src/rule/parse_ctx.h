/* parse_ctx.h — what every rule-parsing step shares: the file, the arena that owns the result,
 * the diagnostics list, and the placeholder values. Internal to src/rule/. */
#ifndef SOCFEED_RULE_PARSE_CTX_H
#define SOCFEED_RULE_PARSE_CTX_H

#include <stdbool.h>

#include "socfeed/diag.h"
#include "socfeed/rule.h"
#include "util/arena.h"

typedef struct placeholder_set placeholder_set;

/* Compiled regexes a file's rules own (pcre2_code *), freed with the rule set. */
typedef struct regex_list {
    void **items;
    size_t count, cap;
} regex_list;

typedef struct parse_ctx {
    const char *file;
    arena *a;
    socfeed_diags *diags;
    const placeholder_set *placeholders; /* may be NULL */
    regex_list *regexes;
    size_t errors_at_start;              /* diags->errors when the document began */
    socfeed_rule *rule;                  /* the document being built */
} parse_ctx;

#define CTX_ERROR(ctx, pos, code, ...) \
    socfeed_diag_add((ctx)->diags, SOCFEED_ERROR, (ctx)->file, (pos), (code), __VA_ARGS__)
#define CTX_WARN(ctx, pos, code, ...) \
    socfeed_diag_add((ctx)->diags, SOCFEED_WARNING, (ctx)->file, (pos), (code), __VA_ARGS__)

/* Placeholders (placeholders.c). */
placeholder_set *placeholder_set_load(const char *path, socfeed_diags *diags);
void placeholder_set_free(placeholder_set *ps);
/* The values of `name` as parsed Sigma strings; NULL when the set lacks it. */
const socfeed_yaml_node *placeholder_values(const placeholder_set *ps, const char *name);

/* Steps of document parsing (one file each). */
void parse_detection(parse_ctx *ctx, const socfeed_yaml_node *node, socfeed_detection *out, bool is_filter);
void parse_item(parse_ctx *ctx, const socfeed_yaml_node *key, const socfeed_yaml_node *value, socfeed_item *out);
void parse_metadata(parse_ctx *ctx, const socfeed_yaml_node *root, socfeed_rule *rule);
void parse_correlation(parse_ctx *ctx, const socfeed_yaml_node *node, socfeed_rule *rule);
void parse_filter_rules(parse_ctx *ctx, const socfeed_yaml_node *node, socfeed_rule *rule);

/* Text helpers. */
socfeed_text ctx_text(parse_ctx *ctx, const socfeed_yaml_node *n, const char *field);
socfeed_text_list ctx_text_list(parse_ctx *ctx, const socfeed_yaml_node *key, const socfeed_yaml_node *n,
                                const char *field, bool scalar_ok);

#endif
