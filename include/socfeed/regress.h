/* socfeed/regress.h — SigmaHQ regression tests: for every rule with `regression_tests_path`, read
 * its info.yml, run the rule on each test file and its JSON twin, and compare with `match_count`
 * the way SigmaHQ's runner does (fail when fewer matches; more only earn a note).
 *
 * Paths in a rule and in info.yml are relative to the Sigma repository root, found by walking up
 * from the rule file until the path exists.
 *
 * Ownership: a report owns its results' strings; socfeed_regress_report_clear() frees them. The
 * rule pointers are borrowed from the rule set. */
#ifndef SOCFEED_REGRESS_H
#define SOCFEED_REGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "socfeed/diag.h"
#include "socfeed/engine.h"
#include "socfeed/rule.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum socfeed_regress_status {
    SOCFEED_REGRESS_PASS,
    SOCFEED_REGRESS_FAIL,   /* fewer matches than match_count (or none when it is absent) */
    SOCFEED_REGRESS_ERROR   /* missing or unreadable info.yml or event file, damaged events */
} socfeed_regress_status;

typedef struct socfeed_regress_result {
    const socfeed_rule *rule;
    char *test_name;        /* info.yml `name` */
    char *path;             /* the event file */
    const char *format;     /* "evtx" or "json" */
    long expected;          /* match_count; -1 when absent ("more than zero") */
    uint64_t matched, events;
    socfeed_regress_status status;
    char *message;          /* why it failed or errored; NULL on a pass */
} socfeed_regress_result;

typedef struct socfeed_regress_report {
    socfeed_regress_result *items;
    size_t count, cap;
    size_t passed, failed; /* failed includes errors */
} socfeed_regress_report;

/* Runs every regression test of the active rules of `e` (built from `rs`). Returns 0 when all
 * passed. Problems reading files also go to `diags`. */
int socfeed_regress_run(const socfeed_ruleset *rs, const socfeed_engine *e, socfeed_regress_report *out,
                        socfeed_diags *diags);
void socfeed_regress_report_clear(socfeed_regress_report *r);

#ifdef __cplusplus
}
#endif
#endif
