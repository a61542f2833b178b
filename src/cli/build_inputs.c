/* build_inputs.c — see build_inputs.h. */
#include "cli/build_inputs.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socfeed/normalize.h"
#include "util/xalloc.h"

static int cmp_test_rule(const void *a, const void *b) {
    const socfeed_rule *ra = (*(const socfeed_regress_result *const *)a)->rule;
    const socfeed_rule *rb = (*(const socfeed_regress_result *const *)b)->rule;
    return (ra > rb) - (ra < rb);
}

static int cmp_item_rule(const void *a, const void *b) {
    const socfeed_rule *ra = (*(const socfeed_verify_item *const *)a)->rule;
    const socfeed_rule *rb = (*(const socfeed_verify_item *const *)b)->rule;
    return (ra > rb) - (ra < rb);
}

typedef struct verify_job {
    const socfeed_ruleset *rs;
    const socfeed_engine *e;
    const socfeed_kql_target *t;
    const char *name;
    socfeed_verify_rules_options opt;
    socfeed_verify_report *rep;
    bool *approximate;
    socfeed_diags diags;
} verify_job;

static void *verify_worker(void *arg) {
    verify_job *j = arg;
    socfeed_normalizer *nz = socfeed_normalizer_load(j->name, &j->diags);
    if (nz && j->t) {
        *j->approximate = socfeed_normalizer_is_approximate(nz, NULL);
        socfeed_verify_rules(j->rs, j->e, j->t, nz, &j->opt, j->rep, &j->diags);
    }
    socfeed_normalizer_free(nz);
    return NULL;
}

void build_inputs_run(build_inputs *in, const socfeed_ruleset *rs, const socfeed_engine *e,
                      socfeed_kql_target *const *targets, const char *const *names, size_t ntargets, bool tests,
                      bool verify, bool cross_check, const char *const *events, size_t nevents, socfeed_diags *diags) {
    memset(in, 0, sizeof *in);
    in->ntargets = ntargets < BUILD_MAX_TARGETS ? ntargets : BUILD_MAX_TARGETS;
    for (size_t i = 0; i < in->ntargets; i++) in->target_names[i] = names[i];
    if (tests && e) socfeed_regress_run(rs, e, &in->regress, diags);
    in->ntests = in->regress.count;
    in->tests = xcalloc(in->ntests + 1, sizeof *in->tests);
    for (size_t i = 0; i < in->ntests; i++) in->tests[i] = &in->regress.items[i];
    qsort(in->tests, in->ntests, sizeof *in->tests, cmp_test_rule);
    if (verify && e) {
        /* Targets are independent and the engine, rules and targets are read-only: one thread each. */
        verify_job jobs[BUILD_MAX_TARGETS];
        pthread_t tids[BUILD_MAX_TARGETS];
        bool started[BUILD_MAX_TARGETS] = {false};
        for (size_t i = 0; i < in->ntargets; i++) {
            socfeed_verify_rules_options vo = {.no_cross_check = !cross_check, .extra_events = events,
                                               .nextra_events = nevents, .all_rules = nevents > 0};
            jobs[i] = (verify_job){rs, e, targets[i], names[i], vo, &in->verify[i], &in->approximate[i], {0}};
            socfeed_diags_init(&jobs[i].diags);
            started[i] = !pthread_create(&tids[i], NULL, verify_worker, &jobs[i]);
            if (!started[i]) verify_worker(&jobs[i]);
        }
        for (size_t i = 0; i < in->ntargets; i++) {
            if (started[i]) pthread_join(tids[i], NULL);
            socfeed_diags_move(diags, &jobs[i].diags);
            socfeed_diags_clear(&jobs[i].diags);
        }
        in->verified_run = true;
    }
    for (size_t i = 0; i < in->ntargets; i++) {
        in->items[i] = xcalloc(in->verify[i].count + 1, sizeof *in->items[i]);
        for (size_t k = 0; k < in->verify[i].count; k++) in->items[i][k] = &in->verify[i].items[k];
        qsort(in->items[i], in->verify[i].count, sizeof *in->items[i], cmp_item_rule);
    }
}

void build_inputs_free(build_inputs *in) {
    socfeed_regress_report_clear(&in->regress);
    free(in->tests);
    for (size_t i = 0; i < in->ntargets; i++) {
        socfeed_verify_report_clear(&in->verify[i]);
        free(in->items[i]);
    }
    memset(in, 0, sizeof *in);
}

/* First index of a rule-sorted array whose rule is >= r. */
static size_t first_test(const build_inputs *in, const socfeed_rule *r) {
    size_t lo = 0, hi = in->ntests;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((const void *)in->tests[mid]->rule < (const void *)r) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static size_t first_item(const socfeed_verify_item *const *items, size_t n, const socfeed_rule *r) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((const void *)items[mid]->rule < (const void *)r) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

socfeed_tests_state build_inputs_tests(const build_inputs *in, const socfeed_rule *r, char **detail) {
    *detail = NULL;
    size_t n = 0, passed = 0;
    const socfeed_regress_result *first_bad = NULL;
    char formats[64] = "";
    for (size_t i = first_test(in, r); i < in->ntests && in->tests[i]->rule == r; i++) {
        const socfeed_regress_result *x = in->tests[i];
        n++;
        if (x->status == SOCFEED_REGRESS_PASS) passed++;
        else if (!first_bad) first_bad = x;
        if (!strstr(formats, x->format) && strlen(formats) + strlen(x->format) + 3 < sizeof formats) {
            if (*formats) strcat(formats, ", ");
            strcat(formats, x->format);
        }
    }
    if (!n) return SOCFEED_TESTS_NONE;
    size_t len = 512;
    *detail = xmalloc(len);
    if (!first_bad)
        snprintf(*detail, len, "%zu of %zu SigmaHQ regression test file%s matched as expected (%s).", passed, n,
                 n == 1 ? "" : "s", formats);
    else
        snprintf(*detail, len,
                 "%zu of %zu SigmaHQ regression test files matched as expected (%s); %s: %llu matches in %llu events%s%s.",
                 passed, n, formats, first_bad->format, (unsigned long long)first_bad->matched,
                 (unsigned long long)first_bad->events, first_bad->message ? " — " : "",
                 first_bad->message ? first_bad->message : "");
    return first_bad ? SOCFEED_TESTS_FAILED : SOCFEED_TESTS_PASSED;
}

socfeed_verdict build_inputs_verdict(const build_inputs *in, size_t ti, const socfeed_rule *r, const char *query,
                                     char **detail) {
    *detail = NULL;
    if (ti >= in->ntargets || !query) return SOCFEED_VERDICT_NOT_RUN;
    size_t n = in->verify[ti].count;
    const socfeed_verify_item *const *items = in->items[ti];
    size_t i = first_item(items, n, r);
    if (i >= n || items[i]->rule != r) return SOCFEED_VERDICT_NOT_RUN; /* no sample events for this rule */
    const socfeed_verify_item *it = items[i];
    const socfeed_verify_result *res = &it->result;
    char *buf = xmalloc(1024);
    *detail = buf;
    /* The verifier converts on its own; its query must be the one published, or its verdict says
     * nothing about what the page shows. */
    if (!it->query || strcmp(it->query, query)) {
        snprintf(buf, 1024, "the verified query differs from the published one; verdict withheld");
        return SOCFEED_VERDICT_ERROR;
    }
    const char *source = r->regression_tests_path.s ? "SigmaHQ regression data" : "the --events files";
    int n0 = res->groups
                 ? snprintf(buf, 1024, "On %zu sample event%s (%s): the correlation alerts on %zu group%s (%zu events), "
                                       "the query on %zu (%zu events)",
                            res->samples, res->samples == 1 ? "" : "s", source, res->sigma_groups,
                            res->sigma_groups == 1 ? "" : "s", res->sigma_matches, res->kql_groups, res->kql_matches)
                 : snprintf(buf, 1024, "On %zu sample event%s (%s): the Sigma rule matches %zu, the query selects %zu",
                            res->samples, res->samples == 1 ? "" : "s", source, res->sigma_matches, res->kql_matches);
    size_t used = n0 > 0 ? (size_t)n0 : 0;
    if (res->nunder && used < 1024) used += (size_t)snprintf(buf + used, 1024 - used, "; missed %zu", res->nunder);
    if (res->nover && used < 1024) used += (size_t)snprintf(buf + used, 1024 - used, "; %zu extra", res->nover);
    if (it->cross_checked && used < 1024)
        used += (size_t)snprintf(buf + used, 1024 - used, "; also run over %zu other rules' events", it->cross_events);
    if (in->approximate[ti] && used < 1024)
        used += (size_t)snprintf(buf + used, 1024 - used, " (rows approximated from Sysmon events)");
    if (res->reason && used < 1024) used += (size_t)snprintf(buf + used, 1024 - used, ": %s", res->reason);
    /* Agreement on the samples is not agreement everywhere: say how the two windows differ. */
    if (res->fixed_bins && used < 1024)
        used += (size_t)snprintf(buf + used, 1024 - used,
                                 ". The query counts in fixed time bins of the timespan (summarize … by bin(…)); the "
                                 "rule, and socfeed hunt, use a sliding window, so a burst split across two bins is "
                                 "missed by the query");
    else if (res->groups && used < 1024)
        used += (size_t)snprintf(buf + used, 1024 - used,
                                 ". The query's window slides as the rule's does: rows sorted by group and time, a "
                                 "burst wherever enough of them fall within the timespan (sort, next())");
    if (used < 1024) snprintf(buf + used, 1024 - used, ".");
    switch (res->status) {
    case SOCFEED_VERIFY_VERIFIED: return SOCFEED_VERDICT_VERIFIED;
    case SOCFEED_VERIFY_OVER_MATCH: return SOCFEED_VERDICT_OVER_MATCH;
    case SOCFEED_VERIFY_UNDER_MATCH: return res->nover ? SOCFEED_VERDICT_MISMATCH : SOCFEED_VERDICT_UNDER_MATCH;
    case SOCFEED_VERIFY_ERROR: return SOCFEED_VERDICT_ERROR;
    case SOCFEED_VERIFY_NO_SAMPLES:
    case SOCFEED_VERIFY_REFUSED: break;
    }
    return SOCFEED_VERDICT_NOT_RUN;
}
