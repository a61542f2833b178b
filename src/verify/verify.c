/* verify.c — the checker of socfeed/verify.h: normalize, run the query text, compare per event. */
#include "socfeed/verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socfeed/kql_eval.h"
#include "util/xalloc.h"
#include "verify/verify_internal.h"

const char *socfeed_verify_status_name(socfeed_verify_status status) {
    switch (status) {
    case SOCFEED_VERIFY_VERIFIED: return "verified";
    case SOCFEED_VERIFY_OVER_MATCH: return "over-match";
    case SOCFEED_VERIFY_UNDER_MATCH: return "under-match";
    case SOCFEED_VERIFY_NO_SAMPLES: return "no-samples";
    case SOCFEED_VERIFY_REFUSED: return "refused";
    case SOCFEED_VERIFY_ERROR: return "error";
    }
    return "error";
}

void socfeed_verify_result_free(socfeed_verify_result *r) {
    if (!r) return;
    free(r->over);
    free(r->under);
    free(r->reason);
    memset(r, 0, sizeof *r);
}

/* The first diagnostic as "line:col: message" for `reason`. */
static char *first_diag(const socfeed_diags *d, const char *fallback) {
    if (!d->count) return xstrdup(fallback);
    char buf[1024];
    socfeed_diag_format(&d->items[0], buf, sizeof buf);
    return xstrdup(buf);
}

static int finish(socfeed_verify_result *out, socfeed_verify_status status, char *reason) {
    out->status = status;
    out->reason = reason;
    return status == SOCFEED_VERIFY_VERIFIED ? 0 : 1;
}

/* Runs the query over the rows of the table it reads: hit[i] is set when a row of sample i is
 * selected. rows[k] belongs to sample row_sample[k]. Returns 0, or -1 with out's status and reason
 * set (the query does not parse, reads a table the target never fills, or fails to run).
 * out->sigma_matches must be set: a table the target never fills is an error when the rule matched
 * samples (the query reads where those events can never be: the seeds' class of mistake), and
 * merely nothing to verify on when it matched none (Linux syslog rules over Windows samples). */
static int select_samples(const socfeed_normalizer *nz, const char *name, const char *kql, size_t n,
                          const socfeed_row *const *rows, const size_t *row_sample, size_t nrows, bool *hit,
                          socfeed_verify_result *out) {
    socfeed_diags d;
    socfeed_diags_init(&d);
    socfeed_kql_query *q = socfeed_kql_parse(name ? name : "query", kql, &d);
    if (!q) {
        char *why = first_diag(&d, "the query does not parse");
        socfeed_diags_clear(&d);
        finish(out, SOCFEED_VERIFY_ERROR, why);
        return -1;
    }
    const char *source = socfeed_kql_query_source(q);
    out->table = socfeed_normalizer_table(nz, source);
    if (!out->table) {
        char *why = xasprintf("the query reads '%s', which target %s never fills%s", source, socfeed_normalizer_target(nz),
                              out->sigma_matches ? "" : "; no sample event matches the rule either");
        socfeed_kql_query_free(q);
        finish(out, out->sigma_matches ? SOCFEED_VERIFY_ERROR : SOCFEED_VERIFY_NO_SAMPLES, why);
        return -1;
    }
    const socfeed_event_value **in = xcalloc(nrows + 1, sizeof *in);
    size_t *in_sample = xcalloc(nrows + 1, sizeof *in_sample);
    size_t nin = 0;
    for (size_t k = 0; k < nrows; k++) {
        if (strcmp(rows[k]->table, out->table)) continue;
        in[nin] = &rows[k]->value;
        in_sample[nin++] = row_sample[k];
    }
    out->rows = nin;
    bool *selected = xcalloc(nin + 1, sizeof *selected);
    int rc = 0;
    if (socfeed_kql_run(q, in, nin, selected, &d) != 0) {
        finish(out, SOCFEED_VERIFY_ERROR, first_diag(&d, "evaluation failed"));
        rc = -1;
    } else {
        for (size_t k = 0; k < nin; k++)
            if (selected[k] && in_sample[k] < n) hit[in_sample[k]] = true;
    }
    free(selected);
    free(in_sample);
    free(in);
    socfeed_kql_query_free(q);
    socfeed_diags_clear(&d);
    return rc;
}

/* The verdict from the rule's side and the query's side, sample by sample. */
static int compare(socfeed_verify_result *out, const bool *sigma, const bool *kql, size_t n, const char *nothing) {
    /* The lists are sized to what they hold: a result per rule, thousands of rules, most lists empty. */
    size_t nover = 0, nunder = 0;
    for (size_t i = 0; i < n; i++) {
        nover += kql[i] && !sigma[i];
        nunder += !kql[i] && sigma[i];
    }
    out->over = xcalloc(nover + 1, sizeof *out->over);
    out->under = xcalloc(nunder + 1, sizeof *out->under);
    out->sigma_matches = out->kql_matches = 0;
    for (size_t i = 0; i < n; i++) {
        out->sigma_matches += sigma[i];
        out->kql_matches += kql[i];
        if (kql[i] && !sigma[i]) out->over[out->nover++] = i;
        if (!kql[i] && sigma[i]) out->under[out->nunder++] = i;
    }
    if (out->nunder) return finish(out, SOCFEED_VERIFY_UNDER_MATCH, NULL);
    if (out->nover) return finish(out, SOCFEED_VERIFY_OVER_MATCH, NULL);
    if (!out->sigma_matches) return finish(out, SOCFEED_VERIFY_NO_SAMPLES, xstrdup(n ? nothing : "no sample events"));
    return finish(out, SOCFEED_VERIFY_VERIFIED, NULL);
}

static void result_start(socfeed_verify_result *out, const socfeed_normalizer *nz, size_t n) {
    memset(out, 0, sizeof *out);
    out->samples = n;
    out->approximate = socfeed_normalizer_is_approximate(nz, NULL);
}

/* The comparison over rows already normalized. See verify_internal.h. */
int verify_rows(const socfeed_normalizer *nz, const char *name, const char *kql, const char *refusal, const bool *sigma,
                size_t n, const socfeed_row *const *rows, const size_t *row_sample, size_t nrows,
                socfeed_verify_result *out) {
    result_start(out, nz, n);
    for (size_t i = 0; i < n; i++) out->sigma_matches += sigma[i];
    if (!kql) return finish(out, SOCFEED_VERIFY_REFUSED, xstrdup(refusal ? refusal : "no query was produced"));
    bool *hit = xcalloc(n + 1, sizeof *hit);
    int rc = select_samples(nz, name, kql, n, rows, row_sample, nrows, hit, out) < 0
                 ? 1 : compare(out, sigma, hit, n, "no sample event matches the Sigma rule");
    free(hit);
    return rc;
}

/* An event's group key and its index, sorted by key to take the events group by group. */
typedef struct keyed_event {
    const char *key;
    size_t index;
} keyed_event;

static int by_key(const void *a, const void *b) {
    return strcmp(((const keyed_event *)a)->key, ((const keyed_event *)b)->key);
}

/* A correlation, compared group by group. See verify_internal.h. */
int verify_groups(const socfeed_normalizer *nz, const char *name, const char *kql, const char *refusal,
                  const char *const *group, const bool *alerted, size_t n, const socfeed_row *const *rows,
                  const size_t *row_sample, size_t nrows, socfeed_verify_result *out) {
    result_start(out, nz, n);
    out->groups = true;
    for (size_t i = 0; i < n; i++) out->sigma_matches += alerted[i];
    if (!kql) return finish(out, SOCFEED_VERIFY_REFUSED, xstrdup(refusal ? refusal : "no query was produced"));
    bool *hit = xcalloc(n + 1, sizeof *hit);
    if (select_samples(nz, name, kql, n, rows, row_sample, nrows, hit, out) < 0) {
        free(hit);
        return 1;
    }
    /* The query alerts on a group when it keeps a row of one of the group's events; every event of
     * that group then counts for it, as every event of an alerted group counts for the rule. Events
     * are taken group by group (sorted by key) so this stays O(n log n) over large --events sets. */
    bool *query_alerts = xcalloc(n + 1, sizeof *query_alerts);
    keyed_event *order = xcalloc(n + 1, sizeof *order);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        query_alerts[i] = hit[i]; /* an event outside every group counts on its own */
        if (group[i]) order[m++] = (keyed_event){group[i], i};
    }
    if (m > 1) qsort(order, m, sizeof *order, by_key);
    for (size_t a = 0, b; a < m; a = b) {
        bool kept = false, fired = false;
        for (b = a; b < m && !strcmp(order[a].key, order[b].key); b++) {
            kept |= hit[order[b].index];
            fired |= alerted[order[b].index];
        }
        for (size_t k = a; k < b; k++) query_alerts[order[k].index] = kept;
        out->sigma_groups += fired;
        out->kql_groups += kept;
    }
    free(order);
    int rc = compare(out, alerted, query_alerts, n, "no group of sample events makes the correlation fire");
    free(query_alerts);
    free(hit);
    return rc;
}

int socfeed_verify_query(const socfeed_normalizer *nz, const char *name, const char *kql, const char *refusal,
                         const socfeed_verify_sample *samples, size_t n, socfeed_verify_result *out) {
    bool *sigma = xcalloc(n + 1, sizeof *sigma);
    for (size_t i = 0; i < n; i++) sigma[i] = samples[i].sigma_match;
    socfeed_rows *rows = socfeed_rows_new();
    socfeed_diags d;
    socfeed_diags_init(&d);
    bool failed = false;
    if (kql)
        for (size_t i = 0; i < n; i++)
            if (socfeed_normalize(nz, samples[i].event, i, rows, &d) < 0) failed = true;
    int rc;
    if (failed) {
        memset(out, 0, sizeof *out);
        out->samples = n;
        out->approximate = socfeed_normalizer_is_approximate(nz, NULL);
        rc = finish(out, SOCFEED_VERIFY_ERROR, first_diag(&d, "normalizing the samples failed"));
    } else {
        size_t nrows = socfeed_rows_count(rows);
        const socfeed_row **rp = xcalloc(nrows + 1, sizeof *rp);
        size_t *rs = xcalloc(nrows + 1, sizeof *rs);
        for (size_t k = 0; k < nrows; k++) {
            rp[k] = socfeed_rows_at(rows, k);
            rs[k] = rp[k]->event;
        }
        rc = verify_rows(nz, name, kql, refusal, sigma, n, rp, rs, nrows, out);
        free(rp);
        free(rs);
    }
    socfeed_rows_free(rows);
    socfeed_diags_clear(&d);
    free(sigma);
    return rc;
}
