/* confidence.c — the confidence formula: a sum of points over measured inputs, then caps.
 *
 * Why points and caps: a score explains itself on the page (each input with its points), and caps
 * make sure no amount of "stable" and "high" can hide a proven defect (a failed regression test or a
 * query that verification showed to under- or over-match) or a rule its authors retired. */
#include <stdlib.h>
#include <string.h>

#include "feed/feed_internal.h"
#include "util/xalloc.h"

const char *socfeed_verdict_name(socfeed_verdict v) {
    switch (v) {
    case SOCFEED_VERDICT_NOT_RUN: return "unverified";
    case SOCFEED_VERDICT_VERIFIED: return "verified";
    case SOCFEED_VERDICT_UNDER_MATCH: return "under-matching";
    case SOCFEED_VERDICT_OVER_MATCH: return "over-matching";
    case SOCFEED_VERDICT_MISMATCH: return "mismatching";
    case SOCFEED_VERDICT_ERROR: return "verification error";
    }
    return "unverified";
}

bool socfeed_verdict_is_failure(socfeed_verdict v) {
    return v == SOCFEED_VERDICT_UNDER_MATCH || v == SOCFEED_VERDICT_OVER_MATCH || v == SOCFEED_VERDICT_MISMATCH;
}

const char *socfeed_confidence_name(socfeed_confidence c) {
    return c == SOCFEED_CONFIDENCE_HIGH ? "high" : c == SOCFEED_CONFIDENCE_MEDIUM ? "medium" : "low";
}

const char *socfeed_confidence_formula(void) {
    return "Confidence is a sum of points over measured inputs: status (stable 40, test 30, experimental 15, "
           "deprecated or unsupported 0), level (critical or high 15, medium 10, low 5, informational 0), "
           "regression tests (passed 20, failed or none 0), verified targets (10 per target whose KQL was "
           "verified on sample events), and mapping (5 when every target produced a query). 70 points or more is "
           "high, 40 or more medium, below that low. Caps: a deprecated or unsupported rule, a failed regression "
           "test, or a query that verification showed to under- or over-match makes it low whatever the points.";
}

static int status_points(socfeed_status s) {
    switch (s) {
    case SOCFEED_STATUS_STABLE: return 40;
    case SOCFEED_STATUS_TEST: return 30;
    case SOCFEED_STATUS_EXPERIMENTAL: return 15;
    default: return 0;
    }
}

static int level_points(socfeed_level l) {
    switch (l) {
    case SOCFEED_LEVEL_CRITICAL:
    case SOCFEED_LEVEL_HIGH: return 15;
    case SOCFEED_LEVEL_MEDIUM: return 10;
    case SOCFEED_LEVEL_LOW: return 5;
    default: return 0;
    }
}

void feed_compute_confidence(socfeed_enrichment *e, const socfeed_feed_input *in) {
    const socfeed_rule *r = in->rule;
    size_t verified = 0, queries = 0, failures = 0;
    const char *failed_target = NULL;
    for (size_t i = 0; i < in->ntargets; i++) {
        const socfeed_target_result *t = &in->targets[i];
        if (t->query) queries++;
        if (t->query && t->verdict == SOCFEED_VERDICT_VERIFIED) verified++;
        if (t->query && socfeed_verdict_is_failure(t->verdict)) {
            failures++;
            if (!failed_target) failed_target = t->target;
        }
    }
    const char *status = socfeed_status_name(r->status), *level = socfeed_level_name(r->level);
    e->factors[0] = (socfeed_confidence_factor){"status", xstrdup(*status ? status : "none"), status_points(r->status)};
    e->factors[1] = (socfeed_confidence_factor){"level", xstrdup(*level ? level : "none"), level_points(r->level)};
    e->factors[2] = (socfeed_confidence_factor){
        "regression tests",
        xstrdup(in->tests.state == SOCFEED_TESTS_PASSED   ? "passed"
                : in->tests.state == SOCFEED_TESTS_FAILED ? "failed"
                                                          : "none run"),
        in->tests.state == SOCFEED_TESTS_PASSED ? 20 : 0};
    e->factors[3] = (socfeed_confidence_factor){"verified targets", xasprintf("%zu of %zu", verified, in->ntargets),
                                                (int)verified * 10};
    bool complete = in->ntargets > 0 && queries == in->ntargets;
    e->factors[4] = (socfeed_confidence_factor){
        "mapping", xasprintf("%zu of %zu targets converted", queries, in->ntargets), complete ? 5 : 0};
    int score = 0;
    for (size_t i = 0; i < SOCFEED_CONFIDENCE_FACTORS; i++) score += e->factors[i].points;
    e->score = score;
    e->confidence = score >= 70 ? SOCFEED_CONFIDENCE_HIGH : score >= 40 ? SOCFEED_CONFIDENCE_MEDIUM : SOCFEED_CONFIDENCE_LOW;
    if (r->status == SOCFEED_STATUS_DEPRECATED || r->status == SOCFEED_STATUS_UNSUPPORTED)
        e->confidence_cap = xasprintf("capped at low: the rule's status is %s", status);
    else if (in->tests.state == SOCFEED_TESTS_FAILED)
        e->confidence_cap = xstrdup("capped at low: a regression test failed");
    else if (failures)
        e->confidence_cap = xasprintf("capped at low: verification showed the %s query %s", failed_target,
                                      failures > 1 ? "and others to be wrong" : "to be wrong");
    if (e->confidence_cap) e->confidence = SOCFEED_CONFIDENCE_LOW;
}
