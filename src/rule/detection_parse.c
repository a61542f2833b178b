/* detection_parse.c — the `detection` section (and a filter's `filter` section): search
 * identifiers as AND/OR trees of items, then the condition(s) over them.
 * Shapes (sigma-semantics.md §1(b)): a map is AND; a list of maps is OR; a list of scalars is one
 * keyword item (values OR-ed); a scalar is a keyword; a mixed list ORs its elements. */
#include <string.h>

#include "rule/condition.h"
#include "rule/parse_ctx.h"
#include "rule/yaml_tree.h"
#include "util/xalloc.h"

static socfeed_det_node *new_det(parse_ctx *ctx, socfeed_det_kind kind, socfeed_pos pos, size_t nchildren) {
    socfeed_det_node *d = arena_alloc(ctx->a, sizeof *d);
    d->kind = kind;
    d->pos = pos;
    if (nchildren) d->children = arena_alloc(ctx->a, nchildren * sizeof *d->children);
    return d;
}

static socfeed_det_node *item_node(parse_ctx *ctx, const socfeed_yaml_node *key, const socfeed_yaml_node *value) {
    socfeed_det_node *d = new_det(ctx, SOCFEED_DET_ITEM, key ? key->pos : value->pos, 0);
    d->item = arena_alloc(ctx->a, sizeof *d->item);
    parse_item(ctx, key, value, d->item);
    return d;
}

static socfeed_det_node *map_node(parse_ctx *ctx, const socfeed_yaml_node *map) {
    if (map->count == 0) {
        CTX_ERROR(ctx, map->pos, "detection-empty", "an empty map matches nothing");
        return NULL;
    }
    socfeed_det_node *d = new_det(ctx, SOCFEED_DET_AND, map->pos, map->count);
    for (size_t i = 0; i < map->count; i++)
        d->children[d->nchildren++] = item_node(ctx, map->pairs[i].key, map->pairs[i].value);
    return d;
}

static bool is_scalar(const socfeed_yaml_node *n) { return n->kind == SOCFEED_YAML_SCALAR; }

static socfeed_det_node *search_node(parse_ctx *ctx, const char *name, const socfeed_yaml_node *v) {
    if (v->kind == SOCFEED_YAML_MAPPING) return map_node(ctx, v);
    if (is_scalar(v)) {
        if (v->type == SOCFEED_SCALAR_NULL) {
            CTX_ERROR(ctx, v->pos, "detection-empty", "search identifier '%s' has no value", name);
            return NULL;
        }
        return item_node(ctx, NULL, v);
    }
    /* A sequence. */
    if (v->count == 0) {
        CTX_ERROR(ctx, v->pos, "detection-empty", "search identifier '%s' is an empty list", name);
        return NULL;
    }
    bool all_scalars = true;
    for (size_t i = 0; i < v->count; i++) all_scalars &= is_scalar(v->items[i]);
    if (all_scalars) return item_node(ctx, NULL, v);
    socfeed_det_node *d = new_det(ctx, SOCFEED_DET_OR, v->pos, v->count);
    for (size_t i = 0; i < v->count; i++) {
        const socfeed_yaml_node *e = v->items[i];
        socfeed_det_node *child = NULL;
        if (e->kind == SOCFEED_YAML_MAPPING) child = map_node(ctx, e);
        else if (is_scalar(e)) child = item_node(ctx, NULL, e);
        else CTX_ERROR(ctx, e->pos, "detection-shape", "a list inside a list is not a valid search identifier value");
        if (child) d->children[d->nchildren++] = child;
    }
    return d;
}

static void parse_conditions(parse_ctx *ctx, const socfeed_yaml_node *cond, socfeed_detection *out) {
    const socfeed_yaml_node *const *nodes = &cond;
    size_t n = 1;
    if (cond->kind == SOCFEED_YAML_SEQUENCE) {
        nodes = (const socfeed_yaml_node *const *)cond->items;
        n = cond->count;
        if (!n) {
            CTX_ERROR(ctx, cond->pos, "condition-empty", "the condition list is empty");
            return;
        }
    }
    out->nconditions = 0; /* as for the identifiers: a second parse starts over */
    out->conditions = arena_alloc(ctx->a, n * sizeof *out->conditions);
    out->condition_texts = arena_alloc(ctx->a, n * sizeof *out->condition_texts);
    cond_scope scope = {out->ids, out->nids, "search identifier"};
    for (size_t i = 0; i < n; i++) {
        const socfeed_yaml_node *c = nodes[i];
        if (c->kind != SOCFEED_YAML_SCALAR || c->type == SOCFEED_SCALAR_NULL) {
            CTX_ERROR(ctx, c->pos, "condition-type", "a condition must be a string, not %s", yaml_kind_name(c));
            continue;
        }
        size_t quote = c->style == SOCFEED_STYLE_SINGLE_QUOTED || c->style == SOCFEED_STYLE_DOUBLE_QUOTED;
        socfeed_cond *tree = condition_parse(ctx, c->text, c->pos, quote, &scope);
        if (!tree) continue;
        out->condition_texts[out->nconditions] = (socfeed_text){c->text, c->pos};
        out->conditions[out->nconditions++] = tree;
    }
}

void parse_detection(parse_ctx *ctx, const socfeed_yaml_node *node, socfeed_detection *out, bool is_filter) {
    memset(out, 0, sizeof *out);
    out->pos = node->pos;
    if (node->kind != SOCFEED_YAML_MAPPING) {
        CTX_ERROR(ctx, node->pos, "detection-type", "'%s' must be a map, not %s", is_filter ? "filter" : "detection",
                  yaml_kind_name(node));
        return;
    }
    const socfeed_yaml_node *cond = NULL;
    out->nids = 0; /* a duplicated detection key is parsed again: start over, never append */
    out->ids = arena_alloc(ctx->a, (node->count ? node->count : 1) * sizeof *out->ids);
    for (size_t i = 0; i < node->count; i++) {
        const socfeed_yaml_node *k = node->pairs[i].key, *v = node->pairs[i].value;
        if (k->kind != SOCFEED_YAML_SCALAR) {
            CTX_ERROR(ctx, k->pos, "detection-key", "a search identifier must be a name");
            continue;
        }
        if (!strcmp(k->text, "condition")) {
            cond = v;
            continue;
        }
        if (is_filter && !strcmp(k->text, "rules")) continue;
        if (!strcmp(k->text, "timeframe"))
            CTX_WARN(ctx, k->pos, "detection-timeframe",
                     "'timeframe' is Sigma v1; pySigma reads it as a search identifier. Use a correlation rule");
        socfeed_search_id *id = &out->ids[out->nids];
        id->name = k->text;
        id->pos = k->pos;
        id->node = search_node(ctx, k->text, v);
        out->nids++;
    }
    if (!out->nids) CTX_ERROR(ctx, node->pos, "detection-empty", "no search identifier is defined");
    if (!cond) {
        CTX_ERROR(ctx, node->pos, "condition-missing", "'condition' is missing");
        return;
    }
    parse_conditions(ctx, cond, out);
    if (is_filter && cond->kind == SOCFEED_YAML_SEQUENCE)
        CTX_ERROR(ctx, cond->pos, "filter-condition", "a filter's condition must be a single string");
    for (size_t i = 0; i < out->nids && out->nconditions; i++)
        if (!out->ids[i].used)
            CTX_WARN(ctx, out->ids[i].pos, "identifier-unused", "search identifier '%s' is not used by the condition",
                     out->ids[i].name);
}
