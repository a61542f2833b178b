/* socfeed/verify_rules.h — `socfeed verify` as a library call: for every rule with SigmaHQ
 * regression data, convert it for a target, run the Sigma rule (engine) on the raw regression events
 * and the KQL (socfeed/verify.h) on their normalized rows, and classify the translation.
 *
 * Cross-check for width: a query that verifies on its own samples also runs over every other rule's
 * regression events (all test files found); an event it selects that the Sigma rule does not match
 * turns the verdict into OVER_MATCH, listed with the event's label.
 *
 * Ownership: the report owns its items' strings and results; rule pointers are borrowed from the
 * rule set. Free with socfeed_verify_report_clear(). */
#ifndef SOCFEED_VERIFY_RULES_H
#define SOCFEED_VERIFY_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "socfeed/diag.h"
#include "socfeed/engine.h"
#include "socfeed/kql.h"
#include "socfeed/normalize.h"
#include "socfeed/rule.h"
#include "socfeed/verify.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct socfeed_verify_rules_options {
    bool no_cross_check; /* skip running verified queries over the other rules' events */
    /* More event files or directories (EVTX, JSON, JSON Lines) to widen the cross-check: every
     * verified query also runs over them, against the Sigma rule's verdict on each event. */
    const char *const *extra_events;
    size_t nextra_events;
    /* Also verify the rules without regression data, on the extra events alone (the engine's verdict
     * on each is the reference); rules the engine cannot run are left out. */
    bool all_rules;
} socfeed_verify_rules_options;

typedef struct socfeed_verify_item {
    const socfeed_rule *rule;
    char *query;                  /* the converted KQL, NULL when refused */
    socfeed_verify_result result; /* over/under index into `labels` */
    char **labels;                /* "path#n" of every sample event the result's indices refer to */
    size_t nlabels;
    char *evidence;               /* for a mismatch: the first differing event's row in the query's table
                                     (JSON), or which tables the target holds it in instead */
    bool cross_checked;           /* the query also ran over the other rules' events */
    size_t cross_events;          /* how many events the cross-check covered */
} socfeed_verify_item;

typedef struct socfeed_verify_report {
    socfeed_verify_item *items;
    size_t count, cap;
    size_t by_status[SOCFEED_VERIFY_ERROR + 1];
    size_t events;                /* distinct events read (regression data and extra events) */
    size_t files;                 /* distinct event files read */
} socfeed_verify_report;

/* Runs the verification for every rule of `rs` with `regression_tests_path` (and with all_rules,
 * every rule the engine `e` runs). Rules the engine cannot run are ERROR items. Returns 0 when no item is OVER_MATCH,
 * UNDER_MATCH or ERROR. Unreadable files are reported into diags. */
int socfeed_verify_rules(const socfeed_ruleset *rs, const socfeed_engine *e, const socfeed_kql_target *t,
                         const socfeed_normalizer *nz, const socfeed_verify_rules_options *opt,
                         socfeed_verify_report *out, socfeed_diags *diags);

void socfeed_verify_report_clear(socfeed_verify_report *r);

/* The item of `rule` in the report, or NULL (the rule has no regression data or was not run). For
 * the feed: one report per target, then one lookup per rule. */
const socfeed_verify_item *socfeed_verify_report_find(const socfeed_verify_report *r, const socfeed_rule *rule);

/* One line saying what was measured, for pages and logs, e.g. "Sigma 1 of 2 sample events, KQL 1,
 * same events; cross-checked over 476 events" or "Sigma 1 of 2 sample events, KQL 0: misses 1".
 * The caller frees it. */
char *socfeed_verify_item_summary(const socfeed_verify_item *it);

#ifdef __cplusplus
}
#endif
#endif
