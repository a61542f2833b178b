/* correlation_parse.c — Sigma 2.1 correlation documents (sigma-semantics.md §1(f)) and the
 * `rules` reference of meta filters (§1(g)). References are resolved later, by the rule set,
 * because the referenced rules may come from other files. */
#include <stdlib.h>
#include <string.h>

#include "rule/condition.h"
#include "rule/parse_ctx.h"
#include "rule/yaml_tree.h"

static const char *const type_names[] = {"event_count", "value_count", "temporal", "temporal_ordered",
                                         "value_sum", "value_avg", "value_percentile", "value_median", NULL};

const char *socfeed_correlation_type_name(socfeed_correlation_type t) {
    return t <= SOCFEED_CORR_VALUE_MEDIAN ? type_names[t] : "?";
}

static bool is_temporal(socfeed_correlation_type t) {
    return t == SOCFEED_CORR_TEMPORAL || t == SOCFEED_CORR_TEMPORAL_ORDERED;
}

static bool parse_timespan(parse_ctx *ctx, const socfeed_yaml_node *n, socfeed_correlation *c) {
    c->timespan = ctx_text(ctx, n, "timespan");
    const char *s = c->timespan.s;
    if (!s) return false;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || !end[0] || end[1] || v == 0 || v > 100000000ULL) goto bad;
    switch (end[0]) {
    case 's': c->timespan_seconds = v; return true;
    case 'm': c->timespan_seconds = v * 60; return true;
    case 'h': c->timespan_seconds = v * 3600; return true;
    case 'd': c->timespan_seconds = v * 86400; return true;
    case 'w': c->timespan_seconds = v * 7 * 86400; break;
    case 'M': c->timespan_seconds = v * 30 * 86400; break;
    case 'y': c->timespan_seconds = v * 365 * 86400; break;
    default: goto bad;
    }
    CTX_WARN(ctx, n->pos, "correlation-timespan-unit",
             "timespan unit '%c' is a pySigma extension; the spec knows s, m, h and d", end[0]);
    return true;
bad:
    CTX_ERROR(ctx, n->pos, "correlation-timespan", "timespan '%s' must be a number followed by s, m, h or d", s);
    return false;
}

static void parse_bounds(parse_ctx *ctx, const socfeed_yaml_node *n, socfeed_correlation *c) {
    static const char *const ops[] = {"gt", "gte", "lt", "lte", "eq", "neq"};
    if (n->kind == SOCFEED_YAML_SCALAR && n->type == SOCFEED_SCALAR_STRING && is_temporal(c->type)) {
        c->temporal_expression = (socfeed_text){n->text, n->pos};
        return;
    }
    if (n->kind != SOCFEED_YAML_MAPPING || n->count == 0) {
        CTX_ERROR(ctx, n->pos, "correlation-condition", "'condition' must be a map such as {gte: 10}");
        return;
    }
    /* A duplicated `condition:` key (reported by the YAML layer) is parsed again: the later one
     * replaces the earlier, never appends past the array sized for it (fuzz_rule_yaml finding). */
    c->nbounds = 0;
    c->bounds = arena_alloc(ctx->a, n->count * sizeof *c->bounds);
    for (size_t i = 0; i < n->count; i++) {
        const socfeed_yaml_node *k = n->pairs[i].key, *v = n->pairs[i].value;
        if (!strcmp(k->text, "field")) { /* Sigma 2.1 puts the value_* field inside the condition */
            c->field = ctx_text_list(ctx, k, v, "field", true);
            continue;
        }
        size_t op = 0;
        while (op < 6 && strcmp(ops[op], k->text)) op++;
        if (op == 6) {
            CTX_ERROR(ctx, k->pos, "correlation-condition", "'%s' is not one of gt, gte, lt, lte, eq, neq (or field)", k->text);
            continue;
        }
        if (v->kind != SOCFEED_YAML_SCALAR || (v->type != SOCFEED_SCALAR_INT && v->type != SOCFEED_SCALAR_FLOAT)) {
            CTX_ERROR(ctx, v->pos, "correlation-condition", "'%s' needs a number", k->text);
            continue;
        }
        c->bounds[c->nbounds++] = (socfeed_bound){(socfeed_bound_op)op, v->float_value, k->pos};
    }
}

static void parse_aliases(parse_ctx *ctx, const socfeed_yaml_node *n, socfeed_correlation *c) {
    if (n->kind != SOCFEED_YAML_MAPPING) {
        CTX_ERROR(ctx, n->pos, "correlation-aliases", "'aliases' must be a map {alias: {rule: field}}");
        return;
    }
    c->naliases = 0; /* as for bounds: a duplicated key replaces, never appends */
    c->aliases = arena_alloc(ctx->a, (n->count ? n->count : 1) * sizeof *c->aliases);
    for (size_t i = 0; i < n->count; i++) {
        const socfeed_yaml_node *k = n->pairs[i].key, *v = n->pairs[i].value;
        if (v->kind != SOCFEED_YAML_MAPPING) {
            CTX_ERROR(ctx, v->pos, "correlation-aliases", "alias '%s' must map rule names to fields", k->text);
            continue;
        }
        socfeed_alias *a = &c->aliases[c->naliases++];
        a->name = k->text;
        a->pos = k->pos;
        a->entries = arena_alloc(ctx->a, (v->count ? v->count : 1) * sizeof *a->entries);
        for (size_t j = 0; j < v->count; j++) {
            socfeed_text f = ctx_text(ctx, v->pairs[j].value, "alias field");
            if (!f.s) continue;
            a->entries[a->nentries++] = (socfeed_alias_entry){v->pairs[j].key->text, f.s};
        }
    }
}

void parse_correlation(parse_ctx *ctx, const socfeed_yaml_node *node, socfeed_rule *rule) {
    socfeed_correlation *c = arena_alloc(ctx->a, sizeof *c);
    rule->correlation = c;
    if (node->kind != SOCFEED_YAML_MAPPING) {
        CTX_ERROR(ctx, node->pos, "correlation-type", "'correlation' must be a map");
        return;
    }
    const socfeed_yaml_node *n = yaml_map_get(node, "type");
    socfeed_text type = ctx_text(ctx, n, "type");
    bool type_ok = false;
    if (!type.s) CTX_ERROR(ctx, node->pos, "schema-required", "correlation 'type' is required");
    else {
        for (size_t i = 0; type_names[i]; i++)
            if (!strcmp(type_names[i], type.s)) {
                c->type = (socfeed_correlation_type)i;
                type_ok = true;
            }
        c->type_pos = type.pos;
        if (!type_ok)
            CTX_ERROR(ctx, type.pos, "correlation-type",
                      "correlation type '%s' is not one of event_count, value_count, temporal, temporal_ordered, "
                      "value_sum, value_avg, value_percentile", type.s);
    }
    for (size_t i = 0; i < node->count; i++) {
        const socfeed_yaml_node *k = node->pairs[i].key, *v = node->pairs[i].value;
        const char *key = k->text;
        if (!strcmp(key, "rules")) c->rules = ctx_text_list(ctx, k, v, "rules", true);
        else if (!strcmp(key, "group-by")) c->group_by = ctx_text_list(ctx, k, v, "group-by", true);
        else if (!strcmp(key, "timespan")) parse_timespan(ctx, v, c);
        else if (!strcmp(key, "condition")) parse_bounds(ctx, v, c);
        else if (!strcmp(key, "field")) c->field = ctx_text_list(ctx, k, v, "field", true);
        else if (!strcmp(key, "aliases")) parse_aliases(ctx, v, c);
        else if (!strcmp(key, "generate")) {
            if (v->kind != SOCFEED_YAML_SCALAR || v->type != SOCFEED_SCALAR_BOOL)
                CTX_ERROR(ctx, v->pos, "correlation-generate", "'generate' must be true or false");
            else c->generate = v->bool_value;
        } else if (!strcmp(key, "percentile")) {
            if (v->kind != SOCFEED_YAML_SCALAR || (v->type != SOCFEED_SCALAR_INT && v->type != SOCFEED_SCALAR_FLOAT))
                CTX_ERROR(ctx, v->pos, "correlation-percentile", "'percentile' must be a number");
            else c->percentile = v->float_value;
        } else if (strcmp(key, "type")) {
            CTX_WARN(ctx, k->pos, "correlation-unknown-key", "unknown correlation key '%s'", key);
        }
    }
    if (!c->rules.count) CTX_ERROR(ctx, node->pos, "correlation-rules", "correlation 'rules' must name at least one rule");
    if (!c->timespan.s) CTX_ERROR(ctx, node->pos, "correlation-timespan", "correlation 'timespan' is required");
    if (!type_ok) return;
    if (c->type >= SOCFEED_CORR_VALUE_COUNT && c->type != SOCFEED_CORR_TEMPORAL &&
        c->type != SOCFEED_CORR_TEMPORAL_ORDERED && !c->field.count)
        CTX_ERROR(ctx, node->pos, "correlation-field", "correlation type '%s' needs 'field'", type.s);
    if (is_temporal(c->type)) {
        if (c->rules.count < 2)
            CTX_WARN(ctx, node->pos, "correlation-rules", "a temporal correlation over one rule is an event count");
        if (!c->nbounds && !c->temporal_expression.s) {
            /* The default: every referenced rule must match within the timespan. */
            c->bounds = arena_alloc(ctx->a, sizeof *c->bounds);
            c->bounds[0] = (socfeed_bound){SOCFEED_BOUND_GTE, (double)c->rules.count, node->pos};
            c->nbounds = 1;
        }
    } else if (!c->nbounds) {
        CTX_ERROR(ctx, node->pos, "correlation-condition", "correlation 'condition' is required for type '%s'", type.s);
    }
    if (c->type == SOCFEED_CORR_VALUE_PERCENTILE && !c->percentile)
        CTX_WARN(ctx, node->pos, "correlation-percentile", "value_percentile without 'percentile' (pySigma extension)");
    if (c->temporal_expression.s) {
        /* pySigma extension: a boolean expression over the rule names; every rule must appear. */
        socfeed_search_id *names = arena_alloc(ctx->a, (c->rules.count ? c->rules.count : 1) * sizeof *names);
        for (size_t i = 0; i < c->rules.count; i++) names[i] = (socfeed_search_id){.name = c->rules.items[i].s};
        cond_scope scope = {names, c->rules.count, "rule"};
        const socfeed_yaml_node *cn = yaml_map_get(node, "condition");
        size_t quote = cn->style == SOCFEED_STYLE_SINGLE_QUOTED || cn->style == SOCFEED_STYLE_DOUBLE_QUOTED;
        if (condition_parse(ctx, c->temporal_expression.s, cn->pos, quote, &scope))
            for (size_t i = 0; i < c->rules.count; i++)
                if (!names[i].used)
                    CTX_ERROR(ctx, cn->pos, "correlation-condition",
                              "rule '%s' is listed in 'rules' but not used by the condition", names[i].name);
    }
}

void parse_filter_rules(parse_ctx *ctx, const socfeed_yaml_node *node, socfeed_rule *rule) {
    socfeed_filter *f = arena_alloc(ctx->a, sizeof *f);
    rule->filter = f;
    const socfeed_yaml_node *r = node->kind == SOCFEED_YAML_MAPPING ? yaml_map_get(node, "rules") : NULL;
    if (!r) {
        CTX_ERROR(ctx, node->pos, "filter-rules", "a filter needs 'rules' (a list of rule ids or names, or 'any')");
        return;
    }
    if (r->kind == SOCFEED_YAML_SCALAR && r->type == SOCFEED_SCALAR_STRING && !strcmp(r->text, "any")) {
        f->any = true;
        return;
    }
    f->rules = ctx_text_list(ctx, NULL, r, "rules", true);
    f->any = f->rules.count == 0;
}
