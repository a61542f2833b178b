/* fuzz_convert.c — libFuzzer harness: arbitrary bytes as a rule file, converted to KQL for every
 * target. Besides crashes, leaks and hangs, a query that socfeed's own KQL parser rejects is a bug
 * (abort): the converter must emit valid KQL or refuse with a one-line reason. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socfeed/kql.h"
#include "socfeed/kql_eval.h"
#include "socfeed/rule.h"

static socfeed_kql_target *targets[3];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!targets[0]) {
        socfeed_diags d;
        socfeed_diags_init(&d);
        for (int t = 0; t < 3; t++) targets[t] = socfeed_kql_target_new(socfeed_kql_target_names()[t], &d);
        socfeed_diags_clear(&d);
    }
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_buffer(rs, "fuzz.yml", (const char *)data, size);
    socfeed_ruleset_finalize(rs);
    for (size_t i = 0; i < socfeed_ruleset_count(rs); i++) {
        for (int t = 0; t < 3; t++) {
            socfeed_kql_result res;
            if (socfeed_kql_convert(targets[t], rs, socfeed_ruleset_get(rs, i), &res) == 0) {
                socfeed_diags d;
                socfeed_diags_init(&d);
                socfeed_kql_query *q = socfeed_kql_parse("q", res.query, &d);
                if (!q) {
                    fprintf(stderr, "emitted KQL does not parse: %s\n%s\n", d.count ? d.items[0].message : "?", res.query);
                    abort();
                }
                socfeed_kql_query_free(q);
                socfeed_diags_clear(&d);
            } else if (!res.reason || strchr(res.reason, '\n')) {
                fprintf(stderr, "refusal without a one-line reason\n");
                abort();
            }
            socfeed_kql_result_clear(&res);
        }
    }
    socfeed_ruleset_free(rs);
    return 0;
}
