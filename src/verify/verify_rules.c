/* verify_rules.c — socfeed_verify_rules(): regression events read once into a pool and normalized
 * once; each rule's samples are the events of its own test files (the .evtx and its .json twin);
 * verified queries are then run over the whole pool (cross-check for width). */
#include "socfeed/verify_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socfeed/correlate.h"
#include "socfeed/reader.h"
#include "socfeed/regress.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "verify/kql/kql_expr.h"
#include "verify/verify_internal.h"

typedef struct pool_event {
    socfeed_event ev;
    size_t file;
    char *label;
    size_t row_first, row_count;
    char *norm_error; /* why normalizing failed, NULL when it did not */
    const socfeed_rule **hits; /* the rules the engine matches on this event */
    size_t nhits;
} pool_event;

typedef struct pool {
    arena a;
    pool_event *ev;
    size_t n, cap;
    char **files;
    size_t nfiles;
    socfeed_rows *rows;
    const socfeed_row **row_ptr;
    size_t *row_event;
    size_t nrows;
} pool;

typedef struct read_ctx {
    pool *p;
    size_t file;
    size_t index;
} read_ctx;

static int keep_event(void *ctx, const socfeed_event *ev) {
    read_ctx *rc = ctx;
    pool *p = rc->p;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 256;
        p->ev = xrealloc(p->ev, p->cap * sizeof *p->ev);
    }
    pool_event *pe = &p->ev[p->n++];
    memset(pe, 0, sizeof *pe);
    pe->ev.root = kql_copy_value(&p->a, &ev->root);
    pe->ev.origin = ev->origin;
    pe->ev.origin.file = p->files[rc->file];
    pe->file = rc->file;
    char buf[64];
    snprintf(buf, sizeof buf, "#%zu", ++rc->index);
    size_t fl = strlen(p->files[rc->file]);
    pe->label = arena_alloc(&p->a, fl + strlen(buf) + 1);
    memcpy(pe->label, p->files[rc->file], fl);
    strcpy(pe->label + fl, buf);
    return 0;
}

static size_t pool_file(pool *p, const char *path) {
    for (size_t i = 0; i < p->nfiles; i++)
        if (!strcmp(p->files[i], path)) return i;
    p->files = xrealloc(p->files, (p->nfiles + 1) * sizeof *p->files);
    p->files[p->nfiles] = arena_strdup(&p->a, path);
    read_ctx rc = {p, p->nfiles, 0};
    p->nfiles++;
    /* The regression runner has read this file already and reported its problems. */
    socfeed_diags quiet;
    socfeed_diags_init(&quiet);
    socfeed_read_file(path, NULL, keep_event, &rc, &quiet, NULL);
    socfeed_diags_clear(&quiet);
    return rc.file;
}

static void pool_normalize(pool *p, const socfeed_normalizer *nz) {
    p->rows = socfeed_rows_new();
    for (size_t i = 0; i < p->n; i++) {
        socfeed_diags d;
        socfeed_diags_init(&d);
        p->ev[i].row_first = socfeed_rows_count(p->rows);
        if (socfeed_normalize(nz, &p->ev[i].ev.root, i, p->rows, &d) < 0) {
            char buf[1024] = "normalizing failed";
            if (d.count) socfeed_diag_format(&d.items[0], buf, sizeof buf);
            p->ev[i].norm_error = arena_strdup(&p->a, buf);
        }
        p->ev[i].row_count = socfeed_rows_count(p->rows) - p->ev[i].row_first;
        socfeed_diags_clear(&d);
    }
    p->nrows = socfeed_rows_count(p->rows);
    p->row_ptr = xcalloc(p->nrows + 1, sizeof *p->row_ptr);
    p->row_event = xcalloc(p->nrows + 1, sizeof *p->row_event);
    for (size_t k = 0; k < p->nrows; k++) {
        p->row_ptr[k] = socfeed_rows_at(p->rows, k);
        p->row_event[k] = p->row_ptr[k]->event;
    }
}

/* Every rule's Sigma verdict on every event, from one engine pass per event: asking rule by rule
 * would rebuild each event's field view once per rule (thousands of times with --all-rules). */
typedef struct hit_ctx {
    pool *p;
    pool_event *pe;
    size_t cap;
} hit_ctx;

static int keep_hit(void *ctx, const socfeed_hit *hit) {
    hit_ctx *h = ctx;
    if (h->pe->nhits == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 8;
        const socfeed_rule **grown = arena_alloc(&h->p->a, h->cap * sizeof *grown);
        if (h->pe->nhits) memcpy(grown, h->pe->hits, h->pe->nhits * sizeof *grown);
        h->pe->hits = grown;
    }
    h->pe->hits[h->pe->nhits++] = hit->rule;
    return 0;
}

static void pool_match(pool *p, socfeed_scanner *s) {
    for (size_t i = 0; i < p->n; i++) {
        hit_ctx h = {p, &p->ev[i], 0};
        socfeed_scanner_event(s, &p->ev[i].ev, p->files[p->ev[i].file], keep_hit, &h, NULL);
    }
}

static bool sigma_matches(const pool_event *pe, const socfeed_rule *rule) {
    for (size_t i = 0; i < pe->nhits; i++)
        if (pe->hits[i] == rule) return true;
    return false;
}

static void pool_free(pool *p) {
    socfeed_rows_free(p->rows);
    free(p->row_ptr);
    free(p->row_event);
    free(p->ev);
    free(p->files);
    arena_free(&p->a);
}

static socfeed_verify_item *add_item(socfeed_verify_report *r, const socfeed_rule *rule) {
    if (r->count == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->items = xrealloc(r->items, r->cap * sizeof *r->items);
    }
    socfeed_verify_item *it = &r->items[r->count++];
    memset(it, 0, sizeof *it);
    it->rule = rule;
    return it;
}

/* The labels of the events the result names (its over and under lists), at their sample index;
 * none when it names none. Every sample's label for every rule was 3 GB with --all-rules over the
 * attack samples (3,097 rules x 8,731 events). */
static void set_labels(socfeed_verify_item *it, const pool *p, const size_t *events, size_t n) {
    for (size_t i = 0; i < it->nlabels; i++) free(it->labels[i]);
    free(it->labels);
    it->labels = NULL;
    it->nlabels = 0;
    const socfeed_verify_result *r = &it->result;
    if (!r->nover && !r->nunder) return;
    it->labels = xcalloc(n + 1, sizeof *it->labels);
    it->nlabels = n;
    for (int list = 0; list < 2; list++) {
        const size_t *idx = list ? r->over : r->under;
        size_t count = list ? r->nover : r->nunder;
        for (size_t i = 0; i < count; i++)
            if (idx[i] < n && !it->labels[idx[i]]) it->labels[idx[i]] = xstrdup(p->ev[events[idx[i]]].label);
    }
}

/* What the query saw of the first event it got wrong: the event's rows in the table the query
 * reads, or the tables the target puts the event in when there is no such row. */
static char *evidence_for(const pool *p, const socfeed_verify_result *r, const size_t *events) {
    if (!r->table || (!r->nunder && !r->nover)) return NULL;
    size_t sample = r->nunder ? r->under[0] : r->over[0];
    const pool_event *pe = &p->ev[events[sample]];
    strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "%s: ", pe->label);
    size_t shown = 0;
    for (size_t k = 0; k < pe->row_count; k++) {
        const socfeed_row *row = p->row_ptr[pe->row_first + k];
        if (strcmp(row->table, r->table)) continue;
        char *json = socfeed_event_to_json(&row->value);
        sb_printf(&sb, "%s%s row %s", shown++ ? "; " : "", row->table, json);
        free(json);
    }
    if (!shown) {
        sb_printf(&sb, "no %s row (", r->table);
        for (size_t k = 0; k < pe->row_count; k++)
            sb_printf(&sb, "%s%s", k ? ", " : "", p->row_ptr[pe->row_first + k]->table);
        sb_puts(&sb, pe->row_count ? " only)" : "the target holds no row for this event)");
    }
    return sb_detach(&sb);
}

static void error_item(socfeed_verify_report *r, const socfeed_rule *rule, char *reason) {
    socfeed_verify_item *it = add_item(r, rule);
    it->result.status = SOCFEED_VERIFY_ERROR;
    it->result.reason = reason;
}

/* Verifies `query` over the pool events listed in `events` (all of the pool when NULL). */
static void verify_over(const pool *p, const socfeed_normalizer *nz, const socfeed_rule *rule,
                        const char *query, const char *refusal, const size_t *events, size_t n,
                        socfeed_verify_result *out) {
    bool *sigma = xcalloc(n + 1, sizeof *sigma);
    size_t nrows = 0;
    for (size_t i = 0; i < n; i++) nrows += p->ev[events[i]].row_count;
    const socfeed_row **rows = xcalloc(nrows + 1, sizeof *rows);
    size_t *row_sample = xcalloc(nrows + 1, sizeof *row_sample);
    size_t k = 0;
    const char *norm_error = NULL;
    for (size_t i = 0; i < n; i++) {
        const pool_event *pe = &p->ev[events[i]];
        sigma[i] = sigma_matches(pe, rule);
        if (pe->norm_error && !norm_error) norm_error = pe->norm_error;
        for (size_t r = 0; r < pe->row_count; r++) {
            rows[k] = p->row_ptr[pe->row_first + r];
            row_sample[k++] = i;
        }
    }
    if (query && norm_error) {
        memset(out, 0, sizeof *out);
        out->samples = n;
        out->status = SOCFEED_VERIFY_ERROR;
        out->reason = xstrdup(norm_error);
    } else {
        verify_rows(nz, rule->file, query, refusal, sigma, n, rows, row_sample, k, out);
    }
    free(rows);
    free(row_sample);
    free(sigma);
}

/* ---- correlations ---------------------------------------------------------------------------- */

typedef struct alert_groups {
    const socfeed_rule *rule;
    char **keys;
    size_t n;
} alert_groups;

static int keep_alert(void *ctx, const socfeed_corr_alert *a) {
    alert_groups *ag = ctx;
    if (a->correlation != ag->rule) return 0;
    ag->keys = xrealloc(ag->keys, (ag->n + 1) * sizeof *ag->keys);
    ag->keys[ag->n++] = xstrdup(a->group);
    return 0;
}

static int by_string(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static size_t index_in(const socfeed_ruleset *rs, const socfeed_rule *r) {
    for (size_t i = 0; i < socfeed_ruleset_count(rs); i++)
        if (socfeed_ruleset_get(rs, i) == r) return i;
    return SIZE_MAX;
}

/* A correlation over every event of the pool: the correlator (hunt's own, same windows) runs on the
 * base rules' matches; the query's kept rows are compared with its alerts group by group. */
static void verify_correlation(const pool *p, const socfeed_normalizer *nz, const socfeed_ruleset *rs,
                               const socfeed_kql_target *t, const socfeed_rule *rule, socfeed_verify_report *out) {
    socfeed_correlator *c = socfeed_correlator_new(rs, NULL);
    if (!c) return;
    size_t n = p->n;
    char **group = xcalloc(n + 1, sizeof *group);
    bool *alerted = xcalloc(n + 1, sizeof *alerted);
    socfeed_corr_record *recs = NULL;
    size_t nrecs = 0, cap = 0;
    for (size_t i = 0; i < n; i++) {
        const pool_event *pe = &p->ev[i];
        for (size_t h = 0; h < pe->nhits; h++) {
            size_t idx = index_in(rs, pe->hits[h]);
            if (idx == SIZE_MAX || !socfeed_correlator_wants(c, idx)) continue;
            socfeed_hit hit = {.rule = pe->hits[h], .rule_index = idx, .event = &pe->ev};
            if (nrecs == cap) recs = xrealloc(recs, (cap = cap ? cap * 2 : 64) * sizeof *recs);
            socfeed_corr_record_init(c, &hit, &recs[nrecs]);
            recs[nrecs].event_seq = i + 1;
            if (!group[i]) group[i] = socfeed_correlator_group_of(c, rule, &recs[nrecs]);
            nrecs++;
        }
    }
    socfeed_corr_records_sort(recs, nrecs);
    alert_groups ag = {rule, NULL, 0};
    for (size_t i = 0; i < nrecs; i++) socfeed_correlator_feed(c, &recs[i], keep_alert, &ag);
    socfeed_correlator_finish(c, keep_alert, &ag);
    if (ag.n > 1) qsort(ag.keys, ag.n, sizeof *ag.keys, by_string);
    for (size_t i = 0; i < n; i++)
        alerted[i] = group[i] && ag.n && bsearch(&group[i], ag.keys, ag.n, sizeof *ag.keys, by_string);

    socfeed_verify_item *it = add_item(out, rule);
    socfeed_kql_result kr = {0};
    socfeed_kql_convert(t, rs, rule, &kr);
    it->query = kr.query ? xstrdup(kr.query) : NULL;
    const char *norm_error = NULL;
    for (size_t i = 0; i < n && !norm_error; i++) norm_error = p->ev[i].norm_error;
    if (kr.query && norm_error) {
        it->result.samples = n;
        it->result.status = SOCFEED_VERIFY_ERROR;
        it->result.reason = xstrdup(norm_error);
    } else {
        verify_groups(nz, rule->file, kr.query, kr.reason, (const char *const *)group, alerted, n, p->row_ptr,
                      p->row_event, p->nrows, &it->result);
    }
    it->result.fixed_bins = kr.query && kr.fixed_bins;
    size_t *all = xcalloc(n + 1, sizeof *all);
    for (size_t i = 0; i < n; i++) all[i] = i;
    set_labels(it, p, all, n);
    it->evidence = evidence_for(p, &it->result, all);
    free(all);
    socfeed_kql_result_clear(&kr);
    for (size_t k = 0; k < ag.n; k++) free(ag.keys[k]);
    free(ag.keys);
    for (size_t i = 0; i < nrecs; i++) socfeed_corr_record_clear(&recs[i]);
    free(recs);
    for (size_t i = 0; i < n; i++) free(group[i]);
    free(group);
    free(alerted);
    socfeed_correlator_free(c);
}

int socfeed_verify_rules(const socfeed_ruleset *rs, const socfeed_engine *e, const socfeed_kql_target *t,
                         const socfeed_normalizer *nz, const socfeed_verify_rules_options *opt,
                         socfeed_verify_report *out, socfeed_diags *diags) {
    socfeed_verify_rules_options defaults = {0};
    if (!opt) opt = &defaults;
    memset(out, 0, sizeof *out);
    /* The regression runner resolves each rule's test files (and checks the Sigma side). */
    socfeed_regress_report rep = {0};
    socfeed_regress_run(rs, e, &rep, diags);
    pool p = {0};
    arena_init(&p.a);
    size_t *file_of_item = xcalloc(rep.count + 1, sizeof *file_of_item);
    for (size_t i = 0; i < rep.count; i++)
        file_of_item[i] = rep.items[i].format[0] ? pool_file(&p, rep.items[i].path) : (size_t)-1;
    if (opt->nextra_events) {
        size_t nfiles = 0;
        char **extra = socfeed_input_list(opt->extra_events, opt->nextra_events, diags, &nfiles);
        for (size_t i = 0; i < nfiles; i++) pool_file(&p, extra[i]);
        socfeed_input_list_free(extra);
    }
    pool_normalize(&p, nz);
    out->events = p.n;
    out->files = p.nfiles;

    size_t *all = xcalloc(p.n + 1, sizeof *all);
    for (size_t i = 0; i < p.n; i++) all[i] = i;
    size_t *events = xcalloc(p.n + 1, sizeof *events);
    socfeed_scanner *s = socfeed_scanner_new(e);
    pool_match(&p, s);
    size_t nrules = socfeed_ruleset_count(rs);
    for (size_t r = 0; r < nrules; r++) {
        const socfeed_rule *rule = socfeed_ruleset_get(rs, r);
        /* A correlation has no test files of its own: it is verified on the --events events. */
        if (rule->kind == SOCFEED_DOC_CORRELATION && rule->valid && opt->all_rules && opt->nextra_events)
            verify_correlation(&p, nz, rs, t, rule, out);
        if (rule->kind != SOCFEED_DOC_RULE) continue;
        bool own_samples = rule->regression_tests_path.s != NULL;
        if (!own_samples && !(opt->all_rules && opt->nextra_events && socfeed_engine_rule_state(e, rule) == SOCFEED_RULE_ACTIVE))
            continue;
        /* The rule's events: every event of its test files, each file once; without test files,
         * every event read (all_rules). */
        size_t n = 0;
        if (!own_samples) {
            memcpy(events, all, p.n * sizeof *events);
            n = p.n;
        }
        const char *problem = NULL;
        bool *file_seen = xcalloc(p.nfiles + 1, sizeof *file_seen);
        for (size_t i = 0; i < rep.count; i++) {
            if (rep.items[i].rule != rule) continue;
            if (rep.items[i].status == SOCFEED_REGRESS_ERROR && !problem) problem = rep.items[i].message;
            size_t f = file_of_item[i];
            if (f == (size_t)-1 || file_seen[f]) continue;
            file_seen[f] = true;
            for (size_t k = 0; k < p.n; k++)
                if (p.ev[k].file == f) events[n++] = k;
        }
        free(file_seen);
        if (problem && !n) {
            error_item(out, rule, xstrdup(problem));
            continue;
        }
        socfeed_verify_item *it = add_item(out, rule);
        socfeed_kql_result kr = {0};
        socfeed_kql_convert(t, rs, rule, &kr);
        it->query = kr.query ? xstrdup(kr.query) : NULL;
        verify_over(&p, nz, rule, kr.query, kr.reason, events, n, &it->result);
        set_labels(it, &p, events, n);
        it->evidence = evidence_for(&p, &it->result, events);
        if (own_samples && it->result.status == SOCFEED_VERIFY_VERIFIED && !opt->no_cross_check) {
            socfeed_verify_result wide;
            verify_over(&p, nz, rule, kr.query, kr.reason, all, p.n, &wide);
            it->cross_checked = true;
            it->cross_events = p.n;
            if (wide.status == SOCFEED_VERIFY_OVER_MATCH || wide.status == SOCFEED_VERIFY_UNDER_MATCH ||
                wide.status == SOCFEED_VERIFY_ERROR) {
                socfeed_verify_result_free(&it->result);
                it->result = wide;
                set_labels(it, &p, all, p.n);
                free(it->evidence);
                it->evidence = evidence_for(&p, &it->result, all);
            } else {
                socfeed_verify_result_free(&wide);
            }
        }
        socfeed_kql_result_clear(&kr);
    }
    socfeed_scanner_free(s);
    free(events);
    free(all);
    free(file_of_item);
    pool_free(&p);
    socfeed_regress_report_clear(&rep);
    int failed = 0;
    for (size_t i = 0; i < out->count; i++) {
        socfeed_verify_status st = out->items[i].result.status;
        out->by_status[st]++;
        failed |= st == SOCFEED_VERIFY_OVER_MATCH || st == SOCFEED_VERIFY_UNDER_MATCH || st == SOCFEED_VERIFY_ERROR;
    }
    return failed ? 1 : 0;
}

void socfeed_verify_report_clear(socfeed_verify_report *r) {
    for (size_t i = 0; i < r->count; i++) {
        socfeed_verify_item *it = &r->items[i];
        free(it->query);
        free(it->evidence);
        socfeed_verify_result_free(&it->result);
        for (size_t k = 0; k < it->nlabels; k++) free(it->labels[k]);
        free(it->labels);
    }
    free(r->items);
    memset(r, 0, sizeof *r);
}

const socfeed_verify_item *socfeed_verify_report_find(const socfeed_verify_report *r, const socfeed_rule *rule) {
    for (size_t i = 0; i < r->count; i++)
        if (r->items[i].rule == rule) return &r->items[i];
    return NULL;
}

char *socfeed_verify_item_summary(const socfeed_verify_item *it) {
    const socfeed_verify_result *r = &it->result;
    strbuf sb;
    sb_init(&sb);
    if (r->status == SOCFEED_VERIFY_REFUSED || r->status == SOCFEED_VERIFY_ERROR) {
        sb_printf(&sb, "%s: %s", socfeed_verify_status_name(r->status), r->reason ? r->reason : "");
        return sb_detach(&sb);
    }
    sb_printf(&sb, "Sigma %zu of %zu sample events, KQL %zu", r->sigma_matches, r->samples, r->kql_matches);
    if (r->status == SOCFEED_VERIFY_VERIFIED) sb_puts(&sb, ", same events");
    if (r->nunder) sb_printf(&sb, ": misses %zu", r->nunder);
    if (r->nover) sb_printf(&sb, "%s %zu extra", r->nunder ? ", finds" : ": finds", r->nover);
    if (r->status == SOCFEED_VERIFY_NO_SAMPLES) sb_printf(&sb, " (%s)", r->reason ? r->reason : "no samples");
    if (it->cross_checked) sb_printf(&sb, "; cross-checked over %zu events", it->cross_events);
    if (r->approximate) sb_puts(&sb, "; approximate rows");
    return sb_detach(&sb);
}
