/* document_parse.c — one YAML document → one socfeed_rule of the right kind (rule, correlation,
 * filter). The kind follows spec 2.1: a `correlation` key makes a correlation, a `filter` key a
 * filter, anything else a rule. */
#include <string.h>

#include "rule/document_parse.h"
#include "rule/parse_ctx.h"
#include "rule/yaml_tree.h"

void parse_document(parse_ctx *ctx, const yaml_document_info *doc, const char *data, size_t doc_index,
                    socfeed_rule *rule) {
    memset(rule, 0, sizeof *rule);
    ctx->rule = rule;
    ctx->errors_at_start = ctx->diags->errors;
    const socfeed_yaml_node *root = doc->root;
    rule->file = ctx->file;
    rule->doc_index = doc_index;
    rule->pos = root->pos;
    /* The text as published, for the feed's "Sigma rule" section. */
    size_t start = doc->start_offset, end = doc->end_offset;
    if (end > start + 3 && !memcmp(data + start, "---", 3)) { /* the separator is not the rule's text */
        const char *nl = memchr(data + start, '\n', end - start);
        start = nl ? (size_t)(nl - data) + 1 : end;
    }
    rule->source = arena_strndup(ctx->a, data + start, end > start ? end - start : 0);
    rule->source_len = end > start ? end - start : 0;
    if (root->kind != SOCFEED_YAML_MAPPING) {
        CTX_ERROR(ctx, root->pos, "document-type", "a Sigma document must be a map, not %s", yaml_kind_name(root));
        return;
    }
    const socfeed_yaml_node *corr = yaml_map_get(root, "correlation");
    const socfeed_yaml_node *filter = yaml_map_get(root, "filter");
    rule->kind = corr ? SOCFEED_DOC_CORRELATION : filter ? SOCFEED_DOC_FILTER : SOCFEED_DOC_RULE;
    parse_metadata(ctx, root, rule);
    switch (rule->kind) {
    case SOCFEED_DOC_RULE: {
        if (!yaml_map_get(root, "logsource"))
            CTX_ERROR(ctx, root->pos, "schema-required", "'logsource' is required");
        const socfeed_yaml_node *det = yaml_map_get(root, "detection");
        if (!det) CTX_ERROR(ctx, root->pos, "schema-required", "'detection' is required");
        else parse_detection(ctx, det, &rule->detection, false);
        break;
    }
    case SOCFEED_DOC_FILTER:
        if (!yaml_map_get(root, "logsource"))
            CTX_ERROR(ctx, root->pos, "schema-required", "a filter needs 'logsource'");
        parse_filter_rules(ctx, filter, rule);
        parse_detection(ctx, filter, &rule->detection, true);
        break;
    case SOCFEED_DOC_CORRELATION:
        parse_correlation(ctx, corr, rule);
        /* The 2.1 JSON schema puts `generate` at the top level; pySigma reads it inside
         * `correlation`. Accept both. */
        const socfeed_yaml_node *gen = yaml_map_get(root, "generate");
        if (gen && rule->correlation) {
            if (gen->kind != SOCFEED_YAML_SCALAR || gen->type != SOCFEED_SCALAR_BOOL)
                CTX_ERROR(ctx, gen->pos, "correlation-generate", "'generate' must be true or false");
            else rule->correlation->generate = gen->bool_value;
        }
        break;
    }
    rule->valid = ctx->diags->errors == ctx->errors_at_start;
}
