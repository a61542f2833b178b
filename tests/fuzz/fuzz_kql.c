/* fuzz_kql.c — libFuzzer harness: arbitrary text as a KQL query for the verify evaluator; parsed,
 * then run over three fixed rows (strings, numbers, an IP, datetimes, a dynamic column) so
 * evaluation is fuzzed too, not only the parser — sort and next()/prev() need more than two. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "socfeed/kql_eval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    socfeed_diags diags;
    socfeed_diags_init(&diags);
    socfeed_kql_query *q = socfeed_kql_parse("fuzz", text, &diags);
    if (q) {
        static socfeed_event_member inner[] = {{"Name", 4, {SOCFEED_EV_STRING, 3, {.s = "abc"}}}};
        static socfeed_event_member cols_a[] = {
            {"TargetFilePath", 14, {SOCFEED_EV_STRING, 20, {.s = "C:\\Windows\\cmd.exe x"}}},
            {"EventID", 7, {SOCFEED_EV_INT, 0, {.i = 4688}}},
            {"SrcIpAddr", 9, {SOCFEED_EV_STRING, 8, {.s = "10.1.2.3"}}},
            {"TimeGenerated", 13, {SOCFEED_EV_STRING, 20, {.s = "2026-11-23T07:00:00Z"}}},
            {"AdditionalFields", 16, {SOCFEED_EV_OBJECT, 1, {.members = inner}}},
        };
        static socfeed_event_member cols_b[] = {
            {"TargetFilePath", 14, {SOCFEED_EV_NULL, 0, {.s = NULL}}},
            {"EventID", 7, {SOCFEED_EV_STRING, 4, {.s = "4624"}}},
        };
        static socfeed_event_member cols_c[] = {
            {"EventID", 7, {SOCFEED_EV_INT, 0, {.i = 4688}}},
            {"TimeGenerated", 13, {SOCFEED_EV_STRING, 25, {.s = "2026-11-23T06:59:59.5000Z"}}},
            {"SrcIpAddr", 9, {SOCFEED_EV_STRING, 8, {.s = "10.1.2.3"}}},
        };
        static const socfeed_event_value row_a = {SOCFEED_EV_OBJECT, 5, {.members = cols_a}};
        static const socfeed_event_value row_b = {SOCFEED_EV_OBJECT, 2, {.members = cols_b}};
        static const socfeed_event_value row_c = {SOCFEED_EV_OBJECT, 3, {.members = cols_c}};
        const socfeed_event_value *rows[] = {&row_a, &row_b, &row_c};
        bool selected[3];
        socfeed_kql_run(q, rows, 3, selected, &diags);
        socfeed_kql_query_free(q);
    }
    socfeed_diags_clear(&diags);
    free(text);
    return 0;
}
