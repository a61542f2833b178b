/* condition_render.c — a rule's condition tree (and/or/not, `1 of`, `all of`, identifiers whose
 * values are maps and lists) → one KQL predicate, and the public socfeed_kql_convert() that puts
 * table, fixed conditions and predicate together. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/kql/kql_internal.h"
#include "util/xalloc.h"

static kql_expr render_node(kql_render *r, const socfeed_det_node *n) {
    if (n->kind == SOCFEED_DET_ITEM) return kql_render_item(r, n->item);
    kql_expr *parts = xcalloc(n->nchildren + 1, sizeof *parts);
    for (size_t i = 0; i < n->nchildren; i++) parts[i] = render_node(r, n->children[i]);
    kql_expr e = kql_combine(r, n->kind == SOCFEED_DET_AND, parts, n->nchildren);
    free(parts);
    return e;
}

static kql_expr render_ident(kql_render *r, const socfeed_detection *det, size_t ident) {
    if (ident >= det->nids || !det->ids[ident].node) return kql_refuse(r, "condition names an unknown identifier");
    return render_node(r, det->ids[ident].node);
}

static kql_expr render_cond(kql_render *r, const socfeed_detection *det, const socfeed_cond *c) {
    switch (c->kind) {
    case SOCFEED_COND_IDENT: return render_ident(r, det, c->ident);
    case SOCFEED_COND_NOT: {
        r->negative = !r->negative;
        kql_expr inner = render_cond(r, det, c->children[0]);
        r->negative = !r->negative;
        return kql_negate(r, inner);
    }
    case SOCFEED_COND_AND:
    case SOCFEED_COND_OR: {
        kql_expr *parts = xcalloc(c->nchildren + 1, sizeof *parts);
        for (size_t i = 0; i < c->nchildren; i++) parts[i] = render_cond(r, det, c->children[i]);
        kql_expr e = kql_combine(r, c->kind == SOCFEED_COND_AND, parts, c->nchildren);
        free(parts);
        return e;
    }
    case SOCFEED_COND_ONE_OF:
    case SOCFEED_COND_ALL_OF: {
        kql_expr *parts = xcalloc(c->nidents + 1, sizeof *parts);
        for (size_t i = 0; i < c->nidents; i++) parts[i] = render_ident(r, det, c->idents[i]);
        kql_expr e = kql_combine(r, c->kind == SOCFEED_COND_ALL_OF, parts, c->nidents);
        free(parts);
        return e;
    }
    }
    return kql_refuse(r, "unknown condition node");
}

kql_expr kql_render_detection(kql_render *r, const socfeed_detection *det) {
    if (!det->nconditions) return kql_refuse(r, "the rule has no condition");
    kql_expr *parts = xcalloc(det->nconditions + 1, sizeof *parts);
    for (size_t i = 0; i < det->nconditions; i++) parts[i] = render_cond(r, det, det->conditions[i]);
    kql_expr e = kql_combine(r, false, parts, det->nconditions);
    free(parts);
    return e;
}

kql_filters kql_collect_filters(const socfeed_ruleset *rs) {
    kql_filters f = {0};
    size_t n = rs ? socfeed_ruleset_count(rs) : 0;
    for (size_t i = 0; i < n; i++) {
        const socfeed_rule *d = socfeed_ruleset_get(rs, i);
        if (d->kind != SOCFEED_DOC_FILTER) continue;
        f.items = xrealloc(f.items, (f.n + 1) * sizeof *f.items);
        f.items[f.n++] = d;
    }
    return f;
}

kql_expr kql_render_rule_condition(kql_render *r, const socfeed_rule *rule) {
    kql_expr e = kql_render_detection(r, &rule->detection);
    /* Meta filters: every condition of the rule becomes `(orig) and (filter condition)`. */
    for (size_t i = 0; r->filters && i < r->filters->n; i++) {
        const socfeed_rule *f = r->filters->items[i];
        if (!socfeed_filter_applies(f, rule)) continue;
        if (!f->valid) return kql_refuse(r, "filter '%s' that applies to this rule has errors", f->title.s ? f->title.s : "?");
        kql_expr fe = kql_render_detection(r, &f->detection);
        e = kql_combine(r, true, (kql_expr[]){e, fe}, 2);
    }
    return e;
}

static void describe_logsource(const socfeed_rule *rule, char *buf, size_t size) {
    const socfeed_logsource *l = &rule->logsource;
    snprintf(buf, size, "%s%s%s%s%s%s%s%s%s", l->product.s ? "product=" : "", l->product.s ? l->product.s : "",
             l->product.s && (l->category.s || l->service.s) ? " " : "", l->category.s ? "category=" : "",
             l->category.s ? l->category.s : "", l->category.s && l->service.s ? " " : "", l->service.s ? "service=" : "",
             l->service.s ? l->service.s : "", "");
}

static int refuse(socfeed_kql_result *res, char *reason) {
    res->reason = reason;
    return 1;
}

void kql_render_init(kql_render *r, const socfeed_kql_target *t, const kql_filters *filters, const kql_logsource *ls,
                     const socfeed_rule *rule) {
    memset(r, 0, sizeof *r);
    r->t = t;
    r->filters = filters;
    r->ls = ls;
    r->rule = rule;
    arena_init(&r->a);
}

static int convert_one(const socfeed_kql_target *t, const kql_filters *filters, const socfeed_rule *rule,
                       socfeed_kql_result *res) {
    memset(res, 0, sizeof *res);
    if (rule->kind == SOCFEED_DOC_FILTER) return refuse(res, kql_strdup_printf("a filter document has no query of its own"));
    if (!rule->valid) return refuse(res, kql_strdup_printf("the rule has errors (see socfeed check)"));
    if (rule->kind == SOCFEED_DOC_CORRELATION) return kql_convert_correlation(t, filters, rule, res);
    const kql_logsource *ls = kql_find_logsource(t, rule);
    if (!ls) {
        char desc[256];
        describe_logsource(rule, desc, sizeof desc);
        return refuse(res, kql_strdup_printf("logsource %s has no table on %s", desc, t->name));
    }
    res->table = ls->table;
    kql_render r;
    kql_render_init(&r, t, filters, ls, rule);
    kql_expr cond = kql_render_rule_condition(&r, rule);
    int rc = 0;
    if (!r.reason && rule->unresolved_placeholders) /* e.g. a placeholder inside |re|expand */
        kql_refuse(&r, "the rule has unresolved |expand placeholders (pass their values with --placeholders)");
    if (r.reason) {
        rc = refuse(res, r.reason);
        r.reason = NULL;
    } else if (cond.kind == KE_EXPR && kql_paren_depth(cond.text) > KQL_MAX_NESTING) {
        rc = refuse(res, kql_strdup_printf("the condition nests deeper than %d levels of parentheses", KQL_MAX_NESTING));
    } else if (cond.kind == KE_FALSE) {
        rc = refuse(res, kql_strdup_printf("the detection can never match on %s (%s lacks what it needs)", t->name, ls->table));
    } else if (cond.kind == KE_TRUE) {
        rc = refuse(res, kql_strdup_printf("the detection would select every %s event on %s", ls->table, t->name));
    } else {
        strbuf sb;
        sb_init(&sb);
        sb_puts(&sb, ls->table);
        if (ls->where) sb_printf(&sb, "\n| where %s", ls->where);
        char *laid = kql_layout(cond.text, 8);
        sb_printf(&sb, "\n| where %s", laid);
        free(laid);
        res->query = sb_detach(&sb);
        res->entities = ls->entities;
        res->nentities = ls->nentities;
    }
    arena_free(&r.a);
    return rc;
}

/* A refusal reason is one line whatever the rule holds: values quoted into it (a multi-line
 * logsource, a field name) have their control characters shown as spaces (fuzz_convert finding). */
static int one_line_reason(int rc, socfeed_kql_result *res) {
    for (char *p = res->reason; p && *p; p++)
        if ((unsigned char)*p < 0x20) *p = ' ';
    return rc;
}

int socfeed_kql_convert(const socfeed_kql_target *t, const socfeed_ruleset *rs, const socfeed_rule *rule,
                        socfeed_kql_result *res) {
    kql_filters filters = kql_collect_filters(rs);
    int rc = one_line_reason(convert_one(t, &filters, rule, res), res);
    free(filters.items);
    return rc;
}

size_t socfeed_kql_convert_all(const socfeed_kql_target *t, const socfeed_ruleset *rs, socfeed_kql_result *results) {
    kql_filters filters = kql_collect_filters(rs);
    size_t converted = 0;
    for (size_t i = 0; i < socfeed_ruleset_count(rs); i++)
        converted += one_line_reason(convert_one(t, &filters, socfeed_ruleset_get(rs, i), &results[i]), &results[i]) == 0;
    free(filters.items);
    return converted;
}

void socfeed_kql_result_clear(socfeed_kql_result *res) {
    free(res->query);
    free(res->reason);
    free(res->owned);
    memset(res, 0, sizeof *res);
}
