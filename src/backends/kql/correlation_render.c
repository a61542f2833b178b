/* correlation_render.c — Sigma correlation rules over rules that read the same table → KQL.
 *
 * An event_count with lower bounds (gte, gt: "N or more events") slides its window exactly as the
 * rule does (socfeed hunt's correlator): the rows sorted by group and time, a row starts a burst
 * when the row N-1 places later is in the same group and at most the timespan later:
 *   | sort by <group…>, TimeGenerated asc
 *   | where tostring(next(<group>, N-1)) == tostring(<group>) and next(TimeGenerated, N-1) - TimeGenerated <= span
 *   | summarize FirstBurstStart = min(TimeGenerated), LastBurstStart = max(TimeGenerated) by <group…>
 * Other conditions and types (value_count, value_sum, value_avg; `temporal`, all rules within the
 * window, counted with sum(iff(<rule>, 1, 0)) per group) count in tumbling bins of the timespan,
 * `summarize … by bin(TimeGenerated, span), …`, the usual KQL form: a burst split across two bins
 * is missed, never invented (res->fixed_bins says so). The time column is the target's (Timestamp on
 * Defender XDR). `temporal_ordered`, other temporal conditions, percentiles and aliases are refused. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/kql/kql_internal.h"
#include "util/xalloc.h"

static int refuse(socfeed_kql_result *res, char *reason) {
    res->reason = reason;
    return 1;
}

/* N for an event_count whose bounds are all lower ones (N or more events in the window), else 0. */
static unsigned long long sliding_count(const socfeed_correlation *c) {
    if (c->type != SOCFEED_CORR_EVENT_COUNT || !c->nbounds) return 0;
    double need = 1;
    for (size_t i = 0; i < c->nbounds; i++) {
        double b = c->bounds[i].value, n;
        if (c->bounds[i].op == SOCFEED_BOUND_GTE) n = ceil(b);
        else if (c->bounds[i].op == SOCFEED_BOUND_GT) n = floor(b) + 1;
        else return 0;
        if (n > need) need = n;
    }
    return need <= 1e6 ? (unsigned long long)need : 0; /* beyond, a query offset makes no sense: bins */
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

/* One group-by key of the query: its column, and the expression an extend or `Name = expr` gives
 * it when the Sigma field maps to one (a guarded field), else NULL. */
typedef struct group_key {
    char *name;
    char *expr;
} group_key;

/* The group-by keys, or NULL (reason set) when one is not mapped. Free with free_group_keys(). */
static group_key *group_keys(kql_render *r) {
    const socfeed_correlation *c = r->rule->correlation;
    group_key *keys = xcalloc(c->group_by.count + 1, sizeof *keys);
    for (size_t i = 0; i < c->group_by.count; i++) {
        const char *g = c->group_by.items[i].s;
        char *owned = NULL;
        const char *lhs = field_lhs(r, g, "group-by", &owned);
        if (!lhs) {
            for (size_t k = 0; k < i; k++) free(keys[k].name), free(keys[k].expr);
            free(keys);
            return NULL;
        }
        if (is_identifier(lhs)) {
            keys[i].name = xstrdup(lhs);
        } else {
            keys[i].name = is_identifier(g) ? xstrdup(g) : kql_strdup_printf("Group%zu", i + 1);
            keys[i].expr = xstrdup(lhs);
        }
        free(owned);
    }
    return keys;
}

static void free_group_keys(group_key *keys, size_t n) {
    for (size_t i = 0; keys && i < n; i++) {
        free(keys[i].name);
        free(keys[i].expr);
    }
    free(keys);
}

/* A correlation's result has only its group-by columns of the table (and its own aggregates): the
 * entities it can map are the table's whose column is one of them (a host grouped by Computer). */
static void keep_group_entities(const kql_logsource *ls, const group_key *keys, size_t nkeys, socfeed_kql_result *res) {
    res->owned = xcalloc(ls->nentities + 1, sizeof *res->owned);
    size_t n = 0;
    for (size_t i = 0; i < ls->nentities; i++)
        for (size_t k = 0; k < nkeys; k++)
            if (!strcmp(ls->entities[i].column, keys[k].name)) {
                res->owned[n++] = ls->entities[i];
                break;
            }
    res->entities = res->owned;
    res->nentities = n;
}

/* `| summarize <aggregate> by bin(<time>, <span>), <group…> | where <bounds>`. */
static void render_bins(kql_render *r, strbuf *sb, const kql_expr *parts, const char *agg, const group_key *keys) {
    const socfeed_correlation *c = r->rule->correlation;
    sb_puts(sb, "\n| summarize ");
    if (c->type == SOCFEED_CORR_TEMPORAL) {
        for (size_t i = 0; i < c->rules.count; i++) {
            if (parts[i].kind == KE_FALSE) kql_refuse(r, "correlated rule '%s' can never match on %s", c->rules.items[i].s, r->t->name);
            sb_printf(sb, "%sRule%zu = sum(iff(%s, 1, 0))", i ? ", " : "", i + 1, parts[i].kind == KE_EXPR ? parts[i].text : "true");
        }
    } else if (strstr(agg, "%s")) {
        const char *lhs = c->field.count ? field_lhs(r, c->field.items[0].s, "value", NULL) : NULL;
        if (!c->field.count) kql_refuse(r, "correlation '%s' needs a field", socfeed_correlation_type_name(c->type));
        if (lhs) {
            const kql_field *f = kql_find_field(r->ls, c->field.items[0].s);
            char arg[1024];
            if (c->type != SOCFEED_CORR_VALUE_COUNT && f->type == KT_STR) snprintf(arg, sizeof arg, "tolong(%s)", lhs);
            else snprintf(arg, sizeof arg, "%s", lhs);
            const char *paren = strchr(agg, '(');
            sb_printf(sb, "%.*s%s)", (int)(paren - agg + 1), agg, arg);
        }
    } else {
        sb_puts(sb, agg);
    }
    sb_printf(sb, " by bin(%s, ", r->t->time_column);
    kql_put_timespan(sb, c->timespan_seconds);
    sb_putc(sb, ')');
    for (size_t i = 0; i < c->group_by.count; i++)
        if (keys[i].expr) sb_printf(sb, ", %s = %s", keys[i].name, keys[i].expr);
        else sb_printf(sb, ", %s", keys[i].name);
    static const char *const ops[] = {">", ">=", "<", "<=", "==", "!="};
    const char *out_col = c->type == SOCFEED_CORR_EVENT_COUNT ? "EventCount"
                          : c->type == SOCFEED_CORR_VALUE_COUNT ? "ValueCount"
                          : c->type == SOCFEED_CORR_VALUE_SUM ? "ValueSum" : "ValueAvg";
    if (!c->nbounds) kql_refuse(r, "the correlation has no condition");
    sb_puts(sb, "\n| where ");
    if (c->type == SOCFEED_CORR_TEMPORAL) {
        for (size_t i = 0; i < c->rules.count; i++) sb_printf(sb, "%sRule%zu > 0", i ? " and " : "", i + 1);
    } else {
        for (size_t i = 0; i < c->nbounds; i++)
            sb_printf(sb, "%s%s %s %.15g", i ? " and " : "", out_col, ops[c->bounds[i].op], c->bounds[i].value);
    }
}

/* The exact sliding window of an event_count needing `burst` events (see the top of the file).
 * Keys are compared through tostring(): a key a row lacks is "" on both sides, as the correlator
 * groups it. The result is one row per alerted group, with the first and the last row that
 * starts a burst; no burst, no row (a summarize without `by` would return one empty row, so the
 * last where keeps rows that have a start). */
static void render_sliding(kql_render *r, strbuf *sb, unsigned long long burst, const group_key *keys) {
    const socfeed_correlation *c = r->rule->correlation;
    const char *time = r->t->time_column;
    size_t n = c->group_by.count, extended = 0;
    for (size_t i = 0; i < n; i++)
        if (keys[i].expr) sb_printf(sb, "%s%s = %s", extended++ ? ", " : "\n| extend ", keys[i].name, keys[i].expr);
    sb_puts(sb, "\n| sort by ");
    for (size_t i = 0; i < n; i++) sb_printf(sb, "%s asc, ", keys[i].name);
    sb_printf(sb, "%s asc", time);
    if (burst > 1) {
        unsigned long long off = burst - 1;
        sb_puts(sb, "\n| where ");
        for (size_t i = 0; i < n; i++)
            sb_printf(sb, "tostring(next(%s, %llu)) == tostring(%s)\n    and ", keys[i].name, off, keys[i].name);
        sb_printf(sb, "next(%s, %llu) - %s <= ", time, off, time);
        kql_put_timespan(sb, c->timespan_seconds);
    }
    sb_printf(sb, "\n| summarize FirstBurstStart = min(%s), LastBurstStart = max(%s)", time, time);
    for (size_t i = 0; i < n; i++) sb_printf(sb, "%s%s", i ? ", " : " by ", keys[i].name);
    if (!n) sb_puts(sb, "\n| where isnotnull(FirstBurstStart)");
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
    unsigned long long burst = sliding_count(c);
    group_key *keys = r.reason ? NULL : group_keys(&r);
    if (keys && burst) render_sliding(&r, &sb, burst, keys);
    else if (keys) render_bins(&r, &sb, parts, agg, keys);
    if (keys && !r.reason) keep_group_entities(ls, keys, c->group_by.count, res);
    free_group_keys(keys, c->group_by.count);
    res->fixed_bins = !burst;
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
