/* build_inputs.h — what `socfeed build` measures before it hands rules to the feed: regression
 * test results and the verification verdict of each emitted query, looked up per rule. */
#ifndef SOCFEED_CLI_BUILD_INPUTS_H
#define SOCFEED_CLI_BUILD_INPUTS_H

#include <stdbool.h>
#include <stddef.h>

#include "socfeed/engine.h"
#include "socfeed/feed.h"
#include "socfeed/kql.h"
#include "socfeed/regress.h"
#include "socfeed/rule.h"
#include "socfeed/verify_rules.h"

#define BUILD_MAX_TARGETS 4

typedef struct build_inputs {
    socfeed_regress_report regress;
    const socfeed_regress_result **tests; /* regress items sorted by rule */
    size_t ntests;
    size_t ntargets;
    const char *target_names[BUILD_MAX_TARGETS];
    bool approximate[BUILD_MAX_TARGETS];
    socfeed_verify_report verify[BUILD_MAX_TARGETS];
    const socfeed_verify_item **items[BUILD_MAX_TARGETS]; /* verify items sorted by rule */
    bool verified_run;
} build_inputs;

/* Runs the regression tests (when `tests`) and the verification of every target (when `verify`;
 * one thread per target, sharing the engine) over `rs`. Problems go to diags. */
/* `events` (may be empty): more event files or directories; they widen the cross-check, and rules
 * without regression data are verified on them alone. */
void build_inputs_run(build_inputs *in, const socfeed_ruleset *rs, const socfeed_engine *e,
                      socfeed_kql_target *const *targets, const char *const *names, size_t ntargets, bool tests,
                      bool verify, bool cross_check, const char *const *events, size_t nevents, socfeed_diags *diags);
void build_inputs_free(build_inputs *in);

/* The rule's regression state; *detail gets a malloc'ed one-line summary (or NULL). */
socfeed_tests_state build_inputs_tests(const build_inputs *in, const socfeed_rule *r, char **detail);

/* The verdict of target `ti` for the rule whose published query is `query`; *detail gets a
 * malloc'ed explanation (or NULL). NOT_RUN when the rule has no sample events. */
socfeed_verdict build_inputs_verdict(const build_inputs *in, size_t ti, const socfeed_rule *r, const char *query,
                                     char **detail);

#endif
