/* kql_fuzz_regress_test.c — inputs found by tests/fuzz/fuzz_kql.c, kept as regression tests. */
#include <stdbool.h>
#include <string.h>

#include "harness.h"
#include "socfeed/kql_eval.h"

/* crash-08576027…: an integer literal of 60 digits was cast to int64 (undefined behaviour). Now it
 * is a real number: the query parses and compares numerically. */
TEST(kql_fuzz_huge_integer_literal) {
    static socfeed_event_member cols[] = {{"a", 1, {SOCFEED_EV_INT, 0, {.i = 1}}}};
    static const socfeed_event_value row = {SOCFEED_EV_OBJECT, 1, {.members = cols}};
    const socfeed_event_value *rows[] = {&row};
    const char *queries[] = {"T | where a < 444444444444444444444444444444444444444444444444444444444444",
                             "T | where a != 99999999999999999999999"};
    for (size_t i = 0; i < 2; i++) {
        socfeed_diags d;
        socfeed_diags_init(&d);
        socfeed_kql_query *q = socfeed_kql_parse("q", queries[i], &d);
        CHECK(q != NULL);
        bool sel[1] = {false};
        if (q) CHECK_EQ_INT(socfeed_kql_run(q, rows, 1, sel, &d), 0);
        CHECK(sel[0]);
        socfeed_kql_query_free(q);
        socfeed_diags_clear(&d);
    }
}

/* crash-0b6fdc23…: `summarize dcount() by …` left the aggregation without an argument, and
 * evaluating it read through a NULL node. Only count() may stand alone: the others are refused
 * at parse time with a message. */
TEST(kql_fuzz_aggregation_without_argument) {
    const char *bad[] = {"T | summarize dcount() by a", "T | summarize sum(), count() by a", "T | summarize x = avg() by a"};
    for (size_t i = 0; i < 3; i++) {
        socfeed_diags d;
        socfeed_diags_init(&d);
        socfeed_kql_query *q = socfeed_kql_parse("q", bad[i], &d);
        CHECK(q == NULL);
        CHECK(d.errors == 1 && strstr(d.items[0].message, "needs an argument") != NULL);
        socfeed_kql_query_free(q);
        socfeed_diags_clear(&d);
    }
    socfeed_diags d;
    socfeed_diags_init(&d);
    socfeed_kql_query *q = socfeed_kql_parse("q", "T | summarize count() by a", &d);
    CHECK(q != NULL);
    socfeed_kql_query_free(q);
    socfeed_diags_clear(&d);
}
