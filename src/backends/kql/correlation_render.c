/* correlation_render.c — Sigma correlation rules → `summarize … by bin(TimeGenerated, span), …` (the
 * target's time column: Timestamp on Defender XDR).
 * event_count, value_count, value_sum and value_avg over rules that read the same table; the
 * time window is a tumbling bin of the timespan (the usual KQL form; a burst split across two
 * bins is missed, never invented). `temporal` (all rules within the window, the default condition)
 * counts each rule's matches with sum(iff(<rule>, 1, 0)) per group; `temporal_ordered`, other
 * temporal conditions, percentiles and aliases are refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/kql/kql_internal.h"
#include "util/xalloc.h"

static int refuse(socfeed_kql_result *res, char *reason) {
    res->reason = reason;
    return 1;
}

static bool is_identifier(const char *s) {
    if (!*s) return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')) return false;
    return true;
}

/* `lhs` of a mapped Sigma field usable as a summarize key or aggregate argument; NULL with reason.
 * A guarded string field can be a group-by key: outside its guard the row has no such field, which
 * the correlation engine groups as the empty value, and so does `iff(guard, lhs, "")` (allocated
 * in *owned). As an aggregate argument it is refused: an absent value must not be counted. */
static const char *field_lhs(kql_render *r, const char *sigma, const char *role, char **owned) {
    const kql_field *f = kql_find_field(r->ls, sigma);
    bool guarded_key = f && f->guard && f->kind != KF_UNMAPPED && f->kind != KF_HASHES && f->type == KT_STR && owned;
    if (!f || f->kind == KF_UNMAPPED || f->kind == KF_HASHES || (f->guard && !guarded_key)) {
        kql_refuse(r, "correlation %s field '%s' is not mapped for %s on %s%s%s", role, sigma, r->ls->id, r->t->name,
                   f && f->kind == KF_UNMAPPED ? ": " : "", f && f->kind == KF_UNMAPPED ? f->reason : "");
        return NULL;
    }
    if (!f->guard || kql_guard_implied(r->ls, f->guard)) return f->lhs;
    *owned = kql_strdup_printf("iff(%s, %s, \"\")", f->guard, f->lhs);
    return *owned;
}

int kql_convert_correlation(const socfeed_kql_target *t, const kql_filters *filters, const socfeed_rule *rule,
                            socfeed_kql_result *res) {
    const socfeed_correlation *c = rule->correlation;
    const char *agg = NULL;
    switch (c->type) {
    case SOCFEED_CORR_EVENT_COUNT: agg = "EventCount = count()"; break;
    case SOCFEED_CORR_VALUE_COUNT: agg = "ValueCount = dcount(%s)"; break;
    case SOCFEED_CORR_VALUE_SUM: agg = "ValueSum = sum(%s)"; break;
    case SOCFEED_CORR_VALUE_AVG: agg = "ValueAvg = avg(%s)"; break;
    case SOCFEED_CORR_TEMPORAL:
        agg = "";
        if (c->nbounds != 1 || !((c->bounds[0].op == SOCFEED_BOUND_GTE || c->bounds[0].op == SOCFEED_BOUND_EQ) &&
                                 c->bounds[0].value == (double)c->rules.count))
            return refuse(res, kql_strdup_printf("temporal correlation: only the default condition (all rules within the timespan) is converted"));
        break;
    default:
        return refuse(res, kql_strdup_printf("correlation type '%s' is not converted to KQL", socfeed_correlation_type_name(c->type)));
    }
    if (c->naliases) return refuse(res, kql_strdup_printf("correlation aliases are not converted to KQL"));
    if (!c->resolved || !c->rules.count) return refuse(res, kql_strdup_printf("the correlation's rules are not resolved"));
    const kql_logsource *ls = NULL;
    for (size_t i = 0; i < c->rules.count; i++) {
        const socfeed_rule *m = c->resolved[i];
        if (!m) return refuse(res, kql_strdup_printf("correlated rule '%s' not found", c->rules.items[i].s));
        if (m->kind != SOCFEED_DOC_RULE) return refuse(res, kql_strdup_printf("chained correlations are not converted to KQL"));
        if (!m->valid) return refuse(res, kql_strdup_printf("correlated rule '%s' has errors", c->rules.items[i].s));
        const kql_logsource *l = kql_find_logsource(t, m);
        if (!l) return refuse(res, kql_strdup_printf("correlated rule '%s': its logsource has no table on %s", c->rules.items[i].s, t->name));
        if (ls && l != ls)
            return refuse(res, kql_strdup_printf("correlated rules read different tables (%s, %s) on %s", ls->table, l->table, t->name));
        ls = l;
    }
    res->table = ls->table;
    kql_render r;
    kql_render_init(&r, t, filters, ls, rule);
    kql_expr *parts = xcalloc(c->rules.count + 1, sizeof *parts);
    for (size_t i = 0; i < c->rules.count; i++) parts[i] = kql_render_rule_condition(&r, c->resolved[i]);
    kql_expr cond = kql_combine(&r, false, parts, c->rules.count);
    strbuf sb;
    sb_init(&sb);
    sb_puts(&sb, ls->table);
    if (ls->where) sb_printf(&sb, "\n| where %s", ls->where);
    if (!r.reason && cond.kind == KE_FALSE) kql_refuse(&r, "the correlated rules can never match on %s", t->name);
    if (!r.reason && cond.kind == KE_EXPR) {
        char *laid = kql_layout(cond.text, 8);
        sb_printf(&sb, "\n| where %s", laid);
        free(laid);
    }
    sb_puts(&sb, "\n| summarize ");
    if (c->type == SOCFEED_CORR_TEMPORAL) {
        for (size_t i = 0; i < c->rules.count; i++) {
            if (parts[i].kind == KE_FALSE) kql_refuse(&r, "correlated rule '%s' can never match on %s", c->rules.items[i].s, t->name);
            sb_printf(&sb, "%sRule%zu = sum(iff(%s, 1, 0))", i ? ", " : "", i + 1, parts[i].kind == KE_EXPR ? parts[i].text : "true");
        }
    } else if (strstr(agg, "%s")) {
        const char *lhs = c->field.count ? field_lhs(&r, c->field.items[0].s, "value", NULL) : NULL;
        if (!c->field.count) kql_refuse(&r, "correlation '%s' needs a field", socfeed_correlation_type_name(c->type));
        if (lhs) {
            const kql_field *f = kql_find_field(ls, c->field.items[0].s);
            char arg[1024];
            if (c->type != SOCFEED_CORR_VALUE_COUNT && f->type == KT_STR) snprintf(arg, sizeof arg, "tolong(%s)", lhs);
            else snprintf(arg, sizeof arg, "%s", lhs);
            const char *paren = strchr(agg, '(');
            sb_printf(&sb, "%.*s%s)", (int)(paren - agg + 1), agg, arg);
        }
    } else {
        sb_puts(&sb, agg);
    }
    sb_printf(&sb, " by bin(%s, ", t->time_column);
    kql_put_timespan(&sb, c->timespan_seconds);
    sb_putc(&sb, ')');
    for (size_t i = 0; i < c->group_by.count; i++) {
        const char *g = c->group_by.items[i].s;
        char *owned = NULL;
        const char *lhs = field_lhs(&r, g, "group-by", &owned);
        if (!lhs) break;
        if (is_identifier(lhs)) sb_printf(&sb, ", %s", lhs);
        else sb_printf(&sb, ", %s = %s", is_identifier(g) ? g : "Group", lhs);
        free(owned);
    }
    static const char *const ops[] = {">", ">=", "<", "<=", "==", "!="};
    const char *out_col = c->type == SOCFEED_CORR_EVENT_COUNT ? "EventCount"
                          : c->type == SOCFEED_CORR_VALUE_COUNT ? "ValueCount"
                          : c->type == SOCFEED_CORR_VALUE_SUM ? "ValueSum" : "ValueAvg";
    if (!c->nbounds) kql_refuse(&r, "the correlation has no condition");
    sb_puts(&sb, "\n| where ");
    if (c->type == SOCFEED_CORR_TEMPORAL) {
        for (size_t i = 0; i < c->rules.count; i++) sb_printf(&sb, "%sRule%zu > 0", i ? " and " : "", i + 1);
    } else {
        for (size_t i = 0; i < c->nbounds; i++)
            sb_printf(&sb, "%s%s %s %.15g", i ? " and " : "", out_col, ops[c->bounds[i].op], c->bounds[i].value);
    }
    free(parts);
    int rc = 0;
    if (r.reason) {
        res->reason = r.reason;
        rc = 1;
        sb_free(&sb);
    } else {
        res->query = sb_detach(&sb);
    }
    arena_free(&r.a);
    return rc;
}
