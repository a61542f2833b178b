/* corpus_test.c — the SigmaHQ snapshot in ../shared: every active rule loads with 0 errors, and
 * the retired folders load without a crash, rejecting exactly what pySigma rejects. */
#include "harness.h"
#include "rule/rule_test_util.h"

static const char *const active[] = {"sigma/rules", "sigma/rules-emerging-threats", "sigma/rules-threat-hunting",
                                     "sigma/rules-placeholder", "sigma/rules-compliance"};

static size_t count_code(const socfeed_diags *d, const char *code, socfeed_severity sev) {
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++) n += d->items[i].severity == sev && !strcmp(d->items[i].code, code);
    return n;
}

TEST(corpus_active_rules_load_without_errors) {
    if (!harness_have_shared()) {
        fprintf(stderr, "  (skipped: no ../shared)\n");
        return;
    }
    socfeed_load_options opt = {.threads = 2};
    socfeed_ruleset *rs = socfeed_ruleset_new(&opt);
    for (size_t i = 0; i < sizeof active / sizeof *active; i++) socfeed_ruleset_load_path(rs, harness_shared(active[i]));
    socfeed_ruleset_finalize(rs);
    const socfeed_diags *d = socfeed_ruleset_diags(rs);
    CHECK_EQ_INT(socfeed_ruleset_file_count(rs), 3780);
    CHECK_EQ_INT(socfeed_ruleset_count(rs), 3780);
    CHECK_EQ_INT(d->errors, 0);
    for (size_t i = 0; i < d->count && i < 5; i++)
        if (d->items[i].severity == SOCFEED_ERROR) fprintf(stderr, "    %s: %s\n", d->items[i].file, d->items[i].message);
    size_t valid = 0, unresolved = 0;
    for (size_t i = 0; i < socfeed_ruleset_count(rs); i++) {
        valid += socfeed_ruleset_get(rs, i)->valid;
        unresolved += socfeed_ruleset_get(rs, i)->unresolved_placeholders;
    }
    CHECK_EQ_INT(valid, 3780);
    /* the census: 25 rules use |expand placeholders; 146 unescaped '?'; 3 `dir\*` slips in 2 rules */
    CHECK_EQ_INT(unresolved, 25);
    CHECK_EQ_INT(count_code(d, "unescaped-question-mark", SOCFEED_WARNING), 146);
    CHECK_EQ_INT(count_code(d, "escaped-star-slip", SOCFEED_WARNING), 3);
    socfeed_ruleset_free(rs);
}

TEST(corpus_retired_rules_rejected_with_reasons) {
    if (!harness_have_shared()) return;
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_path(rs, harness_shared("sigma/deprecated"));
    socfeed_ruleset_load_path(rs, harness_shared("sigma/unsupported"));
    socfeed_ruleset_finalize(rs);
    const socfeed_diags *d = socfeed_ruleset_diags(rs);
    CHECK_EQ_INT(socfeed_ruleset_file_count(rs), 259);
    /* 55 Sigma v1 pipe aggregations (`| count() by …`), and 4 free-text pseudo-conditions
     * (`write … to list …`, `count(…) by …`) in unsupported/: each a real defect of the rule. */
    CHECK_EQ_INT(count_code(d, "condition-aggregation", SOCFEED_ERROR), 55);
    CHECK_EQ_INT(count_code(d, "condition-undefined", SOCFEED_ERROR), 4);
    CHECK_EQ_INT(d->errors, 59);
    socfeed_ruleset_free(rs);
}
