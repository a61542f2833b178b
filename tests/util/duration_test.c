/* duration_test.c — the two duration spellings of Sentinel analytic rules, and the schedule a rule's
 * query runs on (a correlation looks back an hour plus its timespan). */
#include <stdlib.h>

#include "harness.h"
#include "socfeed/kql.h"
#include "socfeed/rule.h"
#include "util/duration.h"

/* One spelling of `s` as text (static buffer). */
static const char *spell(void (*put)(strbuf *, unsigned long long), unsigned long long s) {
    static char out[64];
    strbuf sb;
    sb_init(&sb);
    put(&sb, s);
    snprintf(out, sizeof out, "%s", sb.data);
    sb_free(&sb);
    return out;
}

static const char *iso(unsigned long long s) { return spell(duration_put_iso, s); }
static const char *short_form(unsigned long long s) { return spell(duration_put_short, s); }

TEST(duration_spellings) {
    CHECK_EQ_STR(iso(3600), "PT1H");
    CHECK_EQ_STR(iso(4500), "PT1H15M");
    CHECK_EQ_STR(iso(14 * 86400), "P14D");
    CHECK_EQ_STR(iso(86400 + 7200 + 5), "P1DT2H5S");
    CHECK_EQ_STR(iso(90), "PT1M30S");
    CHECK_EQ_STR(iso(0), "PT0S");
    CHECK_EQ_STR(short_form(3600), "1h");
    CHECK_EQ_STR(short_form(4500), "75m");
    CHECK_EQ_STR(short_form(2 * 86400), "2d");
    CHECK_EQ_STR(short_form(3601), "61m"); /* Sentinel counts in minutes: round up, never look back less */
}

static socfeed_kql_schedule schedule_of(const char *yaml) {
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_buffer(rs, "mem.yml", yaml, strlen(yaml));
    socfeed_ruleset_finalize(rs);
    const socfeed_rule *last = socfeed_ruleset_get(rs, socfeed_ruleset_count(rs) - 1);
    socfeed_kql_schedule s = socfeed_kql_schedule_for(last);
    socfeed_ruleset_free(rs);
    return s;
}

TEST(schedule_looks_back_over_a_correlation_window) {
    static const char base[] = "title: base\nname: base_rule\nid: 5f1a1b6e-0d4f-4c44-9d53-1f3a2b9f4c01\n"
                               "logsource: {product: windows, category: process_creation}\n"
                               "detection: {sel: {Image|endswith: '\\x.exe'}, condition: sel}\n";
    socfeed_kql_schedule s = schedule_of(base);
    CHECK_EQ_INT(s.frequency_seconds, 3600);
    CHECK_EQ_INT(s.period_seconds, 3600);
    char doc[1024];
    snprintf(doc, sizeof doc, "%s---\ntitle: burst\nid: 6a2b2c7f-1e5a-4d55-8e64-2a4b3c0a5d12\ncorrelation:\n"
             "  type: event_count\n  rules: [base_rule]\n  group-by: [User]\n  timespan: %s\n  condition: {gte: 3}\n",
             base, "15m");
    s = schedule_of(doc);
    CHECK_EQ_INT(s.frequency_seconds, 3600);
    CHECK_EQ_INT(s.period_seconds, 3600 + 900); /* a burst that began before the run's hour is seen whole */
    snprintf(doc, sizeof doc, "%s---\ntitle: burst\nid: 6a2b2c7f-1e5a-4d55-8e64-2a4b3c0a5d12\ncorrelation:\n"
             "  type: event_count\n  rules: [base_rule]\n  group-by: [User]\n  timespan: %s\n  condition: {gte: 3}\n",
             base, "30d");
    s = schedule_of(doc);
    CHECK_EQ_INT(s.period_seconds, 14 * 86400); /* Sentinel's longest look-back */
}
