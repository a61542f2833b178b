/* fuzz_kql_mapping.c — libFuzzer harness: arbitrary bytes as a --mapping overlay for each target,
 * then a few fixed rules converted with it. Besides crashes, leaks and hangs, an accepted mapping
 * that makes the converter emit KQL its own parser rejects is a bug (abort): names and expressions
 * are checked when the mapping loads. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socfeed/kql.h"
#include "socfeed/kql_eval.h"
#include "socfeed/rule.h"

static const char rules[] =
    "title: a\nlogsource: {product: windows, category: process_creation}\ndetection:\n"
    "  sel:\n    CommandLine|contains: 'x'\n    Image|endswith: '\\a.exe'\n    User: null\n  kw:\n    - 'k*w'\n"
    "  condition: sel or kw\n---\n"
    "title: b\nlogsource: {product: linux}\ndetection:\n  kw:\n    - 'k'\n  condition: kw\n---\n"
    "title: c\nlogsource: {product: windows, category: registry_set}\ndetection:\n"
    "  sel:\n    TargetObject|contains: 'HKLM\\x'\n    Details: 'DWORD (0x00000001)'\n  condition: not sel\n";

static socfeed_ruleset *rs;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!rs) {
        rs = socfeed_ruleset_new(NULL);
        socfeed_ruleset_load_buffer(rs, "rules.yml", rules, sizeof rules - 1);
        socfeed_ruleset_finalize(rs);
    }
    for (const char *const *name = socfeed_kql_target_names(); *name; name++) {
        socfeed_diags d;
        socfeed_diags_init(&d);
        socfeed_kql_target *t = socfeed_kql_target_new(*name, &d);
        if (socfeed_kql_target_add_mapping_buffer(t, "fuzz.yml", (const char *)data, size, &d) == 0) {
            for (size_t i = 0; i < socfeed_ruleset_count(rs); i++) {
                socfeed_kql_result res;
                if (socfeed_kql_convert(t, rs, socfeed_ruleset_get(rs, i), &res) == 0) {
                    socfeed_diags pd;
                    socfeed_diags_init(&pd);
                    socfeed_kql_query *q = socfeed_kql_parse("q", res.query, &pd);
                    if (!q) {
                        fprintf(stderr, "emitted KQL does not parse: %s\n%s\n", pd.count ? pd.items[0].message : "?", res.query);
                        abort();
                    }
                    socfeed_kql_query_free(q);
                    socfeed_diags_clear(&pd);
                }
                socfeed_kql_result_clear(&res);
            }
        }
        socfeed_kql_target_free(t);
        socfeed_diags_clear(&d);
    }
    return 0;
}
