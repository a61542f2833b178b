/* fuzz_rule_yaml.c — libFuzzer harness: arbitrary bytes as a rule file (YAML → rule model →
 * cross-document checks). Any crash, leak, hang or sanitizer report is a bug. */
#include <stddef.h>
#include <stdint.h>

#include "socfeed/rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_buffer(rs, "fuzz.yml", (const char *)data, size);
    socfeed_ruleset_finalize(rs);
    socfeed_ruleset_free(rs);
    return 0;
}
