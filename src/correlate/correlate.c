/* correlate.c — see socfeed/correlate.h.
 *
 * Windows: a correlation whose condition only has lower bounds (gt, gte, eq, neq) is judged on
 * every arrival over a sliding window [t - timespan, t]; one with an upper bound (lt, lte) can
 * only be judged once its window is over, so it uses tumbling windows that start with a group's
 * first record and are judged when a later record falls outside, or at the end of the stream. */
#include "socfeed/correlate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

/* ---- Event time ------------------------------------------------------------------------------ */

static int digits(const char *s, size_t n, size_t at, size_t count) {
    if (at + count > n) return -1;
    int v = 0;
    for (size_t i = at; i < at + count; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|±HH:MM] */
static bool parse_iso8601(const char *s, size_t n, int64_t *ms) {
    int y = digits(s, n, 0, 4), mo = digits(s, n, 5, 2), d = digits(s, n, 8, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || s[4] != '-' || s[7] != '-') return false;
    int h = 0, mi = 0, sec = 0, frac_ms = 0;
    size_t i = 10;
    if (n > 10 && (s[10] == 'T' || s[10] == ' ')) {
        h = digits(s, n, 11, 2), mi = digits(s, n, 14, 2), sec = digits(s, n, 17, 2);
        if (h < 0 || mi < 0 || sec < 0 || s[13] != ':' || s[16] != ':') return false;
        i = 19;
        if (i < n && s[i] == '.') {
            int scale = 100;
            for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, scale /= 10) frac_ms += (s[i] - '0') * scale;
        }
    }
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = sec};
    int64_t t = (int64_t)timegm(&tm);
    if (i < n && (s[i] == '+' || s[i] == '-')) {
        int oh = digits(s, n, i + 1, 2), om = digits(s, n, i + 4, 2);
        if (oh >= 0 && om >= 0) t -= (s[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    }
    *ms = t * 1000 + frac_ms;
    return true;
}

bool socfeed_time_parse(const char *text, size_t len, int64_t *ms) { return parse_iso8601(text, len, ms); }

bool socfeed_event_time_ms(const socfeed_event *ev, int64_t *ms) {
    size_t len = 0;
    const char *t = socfeed_event_time_text(ev, &len);
    return t && parse_iso8601(t, len, ms);
}

/* ---- Model ----------------------------------------------------------------------------------- */

typedef struct entry {
    int64_t t;
    size_t rule_pos;      /* position of the rule in the correlation's list */
    double num;
    bool has_num;
    char *value;          /* value_count: the field value (owned) */
    char *computer;       /* the record's computer (owned), NULL when it names none */
    char *file;           /* where the record was read (owned), for the alert's members */
    uint64_t record_id, line;
} entry;

typedef struct group {
    char *key;
    entry *q;
    size_t n, cap;
    int64_t window_start; /* tumbling windows */
    int64_t newest;
    uint64_t last_event;  /* event_seq of the last record taken (kept across alerts) */
} group;

typedef struct corr {
    const socfeed_rule *doc;
    const socfeed_correlation *c;
    size_t *rules;        /* rule-set indexes, in listed order */
    size_t nrules;
    size_t **group_idx;   /* [rule pos][group-by field] → index in the rule's needed fields */
    size_t *value_idx;    /* [rule pos] → index of the value field, SIZE_MAX when none */
    bool upper_bound;     /* tumbling windows */
    int64_t span_ms;
    group **table;        /* open addressing by key */
    size_t table_cap, ngroups;
} corr;

typedef struct needed {
    char **fields;        /* event fields a rule's records carry */
    size_t n;
    bool wanted, generate;
} needed;

struct socfeed_correlator {
    const socfeed_ruleset *rs;
    corr *corrs;
    size_t ncorrs;
    needed *by_rule;      /* by rule-set index */
    size_t nrules;
    int64_t now;
    uint64_t fed;
};

static size_t rule_index(const socfeed_ruleset *rs, const socfeed_rule *r) {
    for (size_t i = 0; i < socfeed_ruleset_count(rs); i++)
        if (socfeed_ruleset_get(rs, i) == r) return i;
    return SIZE_MAX;
}

static size_t need_field(needed *nd, const char *field) {
    for (size_t i = 0; i < nd->n; i++)
        if (!strcmp(nd->fields[i], field)) return i;
    nd->fields = xrealloc(nd->fields, (nd->n + 1) * sizeof *nd->fields);
    nd->fields[nd->n] = xstrdup(field);
    return nd->n++;
}

/* The field a group-by name means for one rule: an alias entry for the rule, or the name. */
static const char *group_field(const socfeed_correlation *c, const char *name, const socfeed_rule *r) {
    for (size_t a = 0; a < c->naliases; a++) {
        if (strcmp(c->aliases[a].name, name)) continue;
        for (size_t k = 0; k < c->aliases[a].nentries; k++) {
            const char *ref = c->aliases[a].entries[k].rule;
            if ((r->id.s && !strcmp(ref, r->id.s)) || (r->name.s && !strcmp(ref, r->name.s)))
                return c->aliases[a].entries[k].field;
        }
    }
    return name;
}

socfeed_correlator *socfeed_correlator_new(const socfeed_ruleset *rs, socfeed_diags *diags) {
    size_t n = socfeed_ruleset_count(rs);
    socfeed_correlator *cr = xcalloc(1, sizeof *cr);
    cr->rs = rs;
    cr->nrules = n;
    cr->by_rule = xcalloc(n + 1, sizeof *cr->by_rule);
    for (size_t i = 0; i < n; i++) {
        const socfeed_rule *doc = socfeed_ruleset_get(rs, i);
        if (doc->kind != SOCFEED_DOC_CORRELATION || !doc->valid || !doc->correlation) continue;
        const socfeed_correlation *c = doc->correlation;
        bool ok = !c->temporal_expression.s;
        if (!ok)
            socfeed_diag_add(diags, SOCFEED_WARNING, doc->file, c->temporal_expression.pos, "correlation-unsupported",
                             "a boolean temporal condition is not evaluated by the engine; this correlation is left out");
        for (size_t k = 0; ok && k < c->rules.count; k++) {
            const socfeed_rule *r = c->resolved ? c->resolved[k] : NULL;
            if (!r || r->kind != SOCFEED_DOC_RULE) {
                socfeed_diag_add(diags, SOCFEED_WARNING, doc->file, c->rules.items[k].pos, "correlation-unsupported",
                                 "'%s' is not a detection rule (correlations of correlations are not evaluated); "
                                 "this correlation is left out", c->rules.items[k].s);
                ok = false;
            }
        }
        if (!ok) continue;
        cr->corrs = xrealloc(cr->corrs, (cr->ncorrs + 1) * sizeof *cr->corrs);
        corr *co = &cr->corrs[cr->ncorrs++];
        memset(co, 0, sizeof *co);
        co->doc = doc;
        co->c = c;
        co->span_ms = (int64_t)c->timespan_seconds * 1000;
        for (size_t b = 0; b < c->nbounds; b++)
            co->upper_bound |= c->bounds[b].op == SOCFEED_BOUND_LT || c->bounds[b].op == SOCFEED_BOUND_LTE;
        co->nrules = c->rules.count;
        co->rules = xcalloc(co->nrules, sizeof *co->rules);
        co->group_idx = xcalloc(co->nrules, sizeof *co->group_idx);
        co->value_idx = xcalloc(co->nrules, sizeof *co->value_idx);
        for (size_t k = 0; k < co->nrules; k++) {
            const socfeed_rule *r = c->resolved[k];
            size_t ri = rule_index(rs, r);
            co->rules[k] = ri;
            needed *nd = &cr->by_rule[ri];
            nd->wanted = true;
            nd->generate |= c->generate;
            co->group_idx[k] = xcalloc(c->group_by.count + 1, sizeof **co->group_idx);
            for (size_t g = 0; g < c->group_by.count; g++)
                co->group_idx[k][g] = need_field(nd, group_field(c, c->group_by.items[g].s, r));
            co->value_idx[k] = c->field.count ? need_field(nd, c->field.items[0].s) : SIZE_MAX;
        }
    }
    if (!cr->ncorrs) {
        socfeed_correlator_free(cr);
        return NULL;
    }
    return cr;
}

static void entry_free(entry *e) {
    free(e->value);
    free(e->computer);
    free(e->file);
}

static void group_clear(group *g) {
    for (size_t i = 0; i < g->n; i++) entry_free(&g->q[i]);
    g->n = 0;
}

static void group_free(group *g) {
    group_clear(g);
    free(g->q);
    free(g->key);
    free(g);
}

void socfeed_correlator_free(socfeed_correlator *cr) {
    if (!cr) return;
    for (size_t i = 0; i < cr->ncorrs; i++) {
        corr *co = &cr->corrs[i];
        for (size_t k = 0; k < co->nrules; k++) free(co->group_idx[k]);
        for (size_t k = 0; k < co->table_cap; k++)
            if (co->table[k]) group_free(co->table[k]);
        free(co->table);
        free(co->group_idx);
        free(co->value_idx);
        free(co->rules);
    }
    for (size_t i = 0; i < cr->nrules; i++) {
        for (size_t k = 0; k < cr->by_rule[i].n; k++) free(cr->by_rule[i].fields[k]);
        free(cr->by_rule[i].fields);
    }
    free(cr->by_rule);
    free(cr->corrs);
    free(cr);
}

bool socfeed_correlator_wants(const socfeed_correlator *cr, size_t ri) { return ri < cr->nrules && cr->by_rule[ri].wanted; }

bool socfeed_correlator_generates(const socfeed_correlator *cr, size_t ri) {
    return ri >= cr->nrules || !cr->by_rule[ri].wanted || cr->by_rule[ri].generate;
}

/* ---- Records --------------------------------------------------------------------------------- */

static char *value_text(const socfeed_event_value *v) {
    if (!v) return NULL;
    switch (v->type) {
    case SOCFEED_EV_STRING:
    case SOCFEED_EV_REAL: return xstrndup(v->as.s, v->len);
    case SOCFEED_EV_INT: return xasprintf("%lld", (long long)v->as.i);
    case SOCFEED_EV_UINT: return xasprintf("%llu", (unsigned long long)v->as.u);
    case SOCFEED_EV_BOOL: return xstrdup(v->as.b ? "true" : "false");
    default: return socfeed_event_to_json(v); /* arrays and objects group by their JSON */
    }
}

void socfeed_corr_record_init(const socfeed_correlator *cr, const socfeed_hit *hit, socfeed_corr_record *out) {
    memset(out, 0, sizeof *out);
    out->rule_index = hit->rule_index;
    out->has_time = socfeed_event_time_ms(hit->event, &out->time_ms);
    const needed *nd = &cr->by_rule[hit->rule_index];
    out->nvalues = nd->n;
    out->values = xcalloc(nd->n + 1, sizeof *out->values);
    for (size_t i = 0; i < nd->n; i++) out->values[i] = value_text(socfeed_event_field(hit->event, nd->fields[i]));
    out->file = hit->event->origin.file ? xstrdup(hit->event->origin.file) : NULL;
    size_t clen = 0;
    const char *computer = socfeed_event_computer_text(hit->event, &clen);
    out->computer = computer && clen ? xstrndup(computer, clen) : NULL;
    out->record_id = socfeed_event_record_id(hit->event);
    out->line = hit->event->origin.line;
}

void socfeed_corr_record_clear(socfeed_corr_record *r) {
    for (size_t i = 0; i < r->nvalues; i++) free(r->values[i]);
    free(r->values);
    free(r->file);
    free(r->computer);
    memset(r, 0, sizeof *r);
}

static int by_time(const void *a, const void *b) {
    const socfeed_corr_record *x = a, *y = b;
    if (x->time_ms != y->time_ms) return x->time_ms < y->time_ms ? -1 : 1;
    return x < y ? -1 : x > y; /* qsort is not stable; the address keeps input order */
}

void socfeed_corr_records_sort(socfeed_corr_record *r, size_t n) {
    /* Records without a time keep the time of the record before them (in input order). */
    int64_t last = 0;
    for (size_t i = 0; i < n; i++) {
        if (r[i].has_time) last = r[i].time_ms;
        else r[i].time_ms = last;
    }
    if (n > 1) qsort(r, n, sizeof *r, by_time); /* r may be NULL when n is 0 */
}

/* ---- Windows --------------------------------------------------------------------------------- */

static uint64_t hash_str(const char *s) {
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static group *group_get(corr *co, const char *key) {
    if ((co->ngroups + 1) * 2 > co->table_cap) {
        size_t cap = co->table_cap ? co->table_cap * 2 : 64;
        group **t = xcalloc(cap, sizeof *t);
        for (size_t i = 0; i < co->table_cap; i++) {
            if (!co->table[i]) continue;
            size_t p = hash_str(co->table[i]->key) & (cap - 1);
            while (t[p]) p = (p + 1) & (cap - 1);
            t[p] = co->table[i];
        }
        free(co->table);
        co->table = t;
        co->table_cap = cap;
    }
    size_t p = hash_str(key) & (co->table_cap - 1);
    while (co->table[p]) {
        if (!strcmp(co->table[p]->key, key)) return co->table[p];
        p = (p + 1) & (co->table_cap - 1);
    }
    group *g = xcalloc(1, sizeof *g);
    g->key = xstrdup(key);
    co->table[p] = g;
    co->ngroups++;
    return g;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The number the condition is about, over the window's entries. */
static double window_value(const corr *co, const group *g) {
    const socfeed_correlation *c = co->c;
    switch (c->type) {
    case SOCFEED_CORR_EVENT_COUNT: return (double)g->n;
    case SOCFEED_CORR_VALUE_COUNT: {
        char **v = xcalloc(g->n + 1, sizeof *v);
        size_t k = 0, distinct = 0;
        for (size_t i = 0; i < g->n; i++)
            if (g->q[i].value) v[k++] = g->q[i].value;
        qsort(v, k, sizeof *v, cmp_str);
        for (size_t i = 0; i < k; i++) distinct += i == 0 || strcmp(v[i - 1], v[i]) != 0;
        free(v);
        return (double)distinct;
    }
    case SOCFEED_CORR_TEMPORAL: {
        size_t distinct = 0;
        for (size_t r = 0; r < co->nrules; r++)
            for (size_t i = 0; i < g->n; i++)
                if (g->q[i].rule_pos == r) {
                    distinct++;
                    break;
                }
        return (double)distinct;
    }
    case SOCFEED_CORR_TEMPORAL_ORDERED: { /* how many of the rules occurred in the listed order */
        size_t next = 0;
        for (size_t i = 0; i < g->n && next < co->nrules; i++)
            if (g->q[i].rule_pos == next) next++;
        return (double)next;
    }
    default: break;
    }
    double *nums = xcalloc(g->n + 1, sizeof *nums), sum = 0;
    size_t k = 0;
    for (size_t i = 0; i < g->n; i++)
        if (g->q[i].has_num) sum += nums[k++] = g->q[i].num;
    double out = NAN;
    if (c->type == SOCFEED_CORR_VALUE_SUM) out = sum;
    else if (k && c->type == SOCFEED_CORR_VALUE_AVG) out = sum / (double)k;
    else if (k) { /* percentile (nearest rank); the median is the 50th */
        qsort(nums, k, sizeof *nums, cmp_double);
        double pct = c->type == SOCFEED_CORR_VALUE_MEDIAN ? 50 : (c->percentile > 0 ? c->percentile : 50);
        size_t rank = (size_t)ceil(pct / 100.0 * (double)k);
        out = nums[rank ? rank - 1 : 0];
    }
    free(nums);
    return out;
}

static bool bounds_hold(const socfeed_correlation *c, double v) {
    if (isnan(v)) return false;
    for (size_t i = 0; i < c->nbounds; i++) {
        double b = c->bounds[i].value;
        bool ok = true;
        switch (c->bounds[i].op) {
        case SOCFEED_BOUND_GT: ok = v > b; break;
        case SOCFEED_BOUND_GTE: ok = v >= b; break;
        case SOCFEED_BOUND_LT: ok = v < b; break;
        case SOCFEED_BOUND_LTE: ok = v <= b; break;
        case SOCFEED_BOUND_EQ: ok = v == b; break;
        case SOCFEED_BOUND_NEQ: ok = v != b; break;
        }
        if (!ok) return false;
    }
    return true;
}

/* The computer all entries of the window name, or NULL. */
static const char *common_computer(const group *g) {
    const char *c = g->q[0].computer;
    for (size_t i = 1; c && i < g->n; i++)
        if (!g->q[i].computer || strcmp(c, g->q[i].computer) != 0) return NULL;
    return c;
}

static void judge(corr *co, group *g, const socfeed_corr_record *last, socfeed_corr_alert_fn fn, void *ctx) {
    if (!g->n) return;
    double v = window_value(co, g);
    if (!bounds_hold(co->c, v)) return;
    socfeed_corr_member *members = xcalloc(g->n, sizeof *members);
    for (size_t i = 0; i < g->n; i++)
        members[i] = (socfeed_corr_member){g->q[i].t, g->q[i].file, g->q[i].record_id, g->q[i].line};
    socfeed_corr_alert a = {co->doc, g->key, v, g->n, g->q[0].t, g->q[g->n - 1].t, last, common_computer(g), members};
    if (fn) fn(ctx, &a);
    free(members);
    group_clear(g); /* one alert per burst */
}

static void drop_older(group *g, int64_t limit) {
    size_t k = 0;
    while (k < g->n && g->q[k].t < limit) entry_free(&g->q[k++]);
    if (k) {
        memmove(g->q, g->q + k, (g->n - k) * sizeof *g->q);
        g->n -= k;
    }
}

static void group_key(strbuf *sb, const corr *co, size_t pos, const socfeed_corr_record *r) {
    sb_reset(sb);
    for (size_t i = 0; i < co->c->group_by.count; i++) {
        if (i) sb_puts(sb, ", ");
        const char *v = r->values[co->group_idx[pos][i]];
        sb_printf(sb, "%s=%s", co->c->group_by.items[i].s, v ? v : "");
    }
    if (!sb->data) sb_puts(sb, "");
}

/* Groups idle for longer than the timespan can never fire again in a sliding window (and a
 * tumbling one is judged before it goes): they are dropped, which bounds the number of groups. */
static void sweep(corr *co, int64_t now, socfeed_corr_alert_fn fn, void *ctx) {
    for (size_t i = 0; i < co->table_cap; i++) {
        group *g = co->table[i];
        if (!g || g->newest >= now - co->span_ms) continue;
        if (co->upper_bound) judge(co, g, NULL, fn, ctx);
        group_free(g);
        co->table[i] = NULL;
        co->ngroups--;
    }
    /* Rehash the survivors: open addressing cannot leave holes in probe chains. */
    size_t cap = co->table_cap;
    group **old = co->table;
    co->table = NULL;
    co->table_cap = co->ngroups = 0;
    for (size_t i = 0; i < cap; i++) {
        if (!old[i]) continue;
        group *slot = group_get(co, old[i]->key); /* a fresh, empty group with that key */
        free(slot->key);
        free(slot->q);
        *slot = *old[i];
        free(old[i]);
    }
    free(old);
}

void socfeed_correlator_feed(socfeed_correlator *cr, const socfeed_corr_record *r, socfeed_corr_alert_fn fn, void *ctx) {
    int64_t t = r->has_time ? r->time_ms : cr->now;
    if (t > cr->now) cr->now = t;
    strbuf key;
    sb_init(&key);
    for (size_t i = 0; i < cr->ncorrs; i++) {
        corr *co = &cr->corrs[i];
        for (size_t pos = 0; pos < co->nrules; pos++) {
            if (co->rules[pos] != r->rule_index) continue;
            group_key(&key, co, pos, r);
            group *g = group_get(co, key.data ? key.data : "");
            /* An event that several of the correlated rules match is one event to event_count and
             * the value_* types (Sigma counts events, and so does the KQL form, one row each); the
             * temporal types need each rule's match. A group's records of one event are adjacent:
             * they share a time and the sort keeps input order. */
            bool temporal = co->c->type == SOCFEED_CORR_TEMPORAL || co->c->type == SOCFEED_CORR_TEMPORAL_ORDERED;
            if (!temporal && r->event_seq && g->last_event == r->event_seq) continue;
            g->last_event = r->event_seq;
            if (co->upper_bound) {
                if (g->n && t > g->window_start + co->span_ms) {
                    judge(co, g, r, fn, ctx);
                    group_clear(g);
                }
                if (!g->n) g->window_start = t;
            } else {
                drop_older(g, t - co->span_ms);
            }
            if (g->n == g->cap) g->q = xrealloc(g->q, (g->cap = g->cap ? g->cap * 2 : 8) * sizeof *g->q);
            entry *e = &g->q[g->n++];
            memset(e, 0, sizeof *e);
            e->t = t;
            e->rule_pos = pos;
            e->computer = r->computer ? xstrdup(r->computer) : NULL;
            e->file = r->file ? xstrdup(r->file) : NULL;
            e->record_id = r->record_id;
            e->line = r->line;
            size_t vi = co->value_idx[pos];
            const char *val = vi == SIZE_MAX ? NULL : r->values[vi];
            if (val) {
                char *end;
                double d = strtod(val, &end);
                e->has_num = end != val && *end == 0 && isfinite(d);
                e->num = d;
                if (co->c->type == SOCFEED_CORR_VALUE_COUNT) e->value = xstrdup(val);
            }
            g->newest = t;
            if (!co->upper_bound) judge(co, g, r, fn, ctx);
        }
    }
    sb_free(&key);
    if (++cr->fed % 4096 == 0)
        for (size_t i = 0; i < cr->ncorrs; i++) sweep(&cr->corrs[i], cr->now, fn, ctx);
}

char *socfeed_correlator_group_of(const socfeed_correlator *cr, const socfeed_rule *correlation,
                                  const socfeed_corr_record *r) {
    for (size_t i = 0; i < cr->ncorrs; i++) {
        const corr *co = &cr->corrs[i];
        if (co->doc != correlation) continue;
        for (size_t pos = 0; pos < co->nrules; pos++) {
            if (co->rules[pos] != r->rule_index) continue;
            strbuf key;
            sb_init(&key);
            group_key(&key, co, pos, r);
            return sb_detach(&key);
        }
    }
    return NULL;
}

void socfeed_correlator_finish(socfeed_correlator *cr, socfeed_corr_alert_fn fn, void *ctx) {
    for (size_t i = 0; i < cr->ncorrs; i++) {
        corr *co = &cr->corrs[i];
        for (size_t k = 0; k < co->table_cap; k++)
            if (co->table[k] && co->upper_bound) judge(co, co->table[k], NULL, fn, ctx);
    }
}

size_t socfeed_correlator_groups(const socfeed_correlator *cr) {
    size_t n = 0;
    for (size_t i = 0; i < cr->ncorrs; i++) n += cr->corrs[i].ngroups;
    return n;
}
