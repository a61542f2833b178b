/* correlate_test.c — each correlation type over hand-made event streams with times: what fires,
 * with which value and group, and what must not (window edges, order, ranges, defaults).
 * Events go through the real engine, so the base rules' matching is part of the test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "socfeed/correlate.h"
#include "socfeed/engine.h"
#include "socfeed/reader.h"

/* Base rules: A (Action: a), B (Action: b), each with a name to refer to. */
#define BASE                                                                                        \
    "title: rule a\nname: rule_a\nlogsource: {product: windows}\ndetection:\n  sel: {Action: a}\n  condition: sel\n---\n" \
    "title: rule b\nname: rule_b\nlogsource: {product: windows}\ndetection:\n  sel: {Action: b}\n  condition: sel\n---\n"

typedef struct run_state {
    socfeed_scanner *s;
    const socfeed_correlator *c;
    socfeed_corr_record *recs;
    size_t n;
    uint64_t event_no;    /* the current event's number, for event_seq */
    int printed;          /* base detections that would be printed */
} run_state;

static int on_hit(void *p, const socfeed_hit *h) {
    run_state *st = p;
    if (socfeed_correlator_wants(st->c, h->rule_index)) {
        st->recs = realloc(st->recs, (st->n + 1) * sizeof *st->recs);
        socfeed_corr_record_init(st->c, h, &st->recs[st->n]);
        st->recs[st->n++].event_seq = st->event_no;
    }
    if (socfeed_correlator_generates(st->c, h->rule_index)) st->printed++;
    return 0;
}

static int on_event(void *p, const socfeed_event *ev) {
    run_state *st = p;
    st->event_no++;
    socfeed_scanner_event(st->s, ev, NULL, on_hit, st, NULL);
    return 0;
}

static char alerts[4096];
static int nalerts;
static char alert_computers[512]; /* each alert's computer, "-" when it has none */

static int on_alert(void *p, const socfeed_corr_alert *a) {
    (void)p;
    char line[256];
    snprintf(line, sizeof line, "%s|%s|%g|%zu;", a->correlation->title.s, a->group, a->value, a->nrecords);
    strncat(alerts, line, sizeof alerts - strlen(alerts) - 1);
    snprintf(line, sizeof line, "%s;", a->computer ? a->computer : "-");
    strncat(alert_computers, line, sizeof alert_computers - strlen(alert_computers) - 1);
    nalerts++;
    return 0;
}

/* Events: one per line, "HH:MM:SS Action Key=Value ..." on 2026-01-01. */
static void run(const char *correlation_yaml, const char *events, int *printed) {
    char *yaml = malloc(strlen(BASE) + strlen(correlation_yaml) + 1);
    strcpy(yaml, BASE);
    strcat(yaml, correlation_yaml);
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_buffer(rs, "corr.yml", yaml, strlen(yaml));
    socfeed_ruleset_finalize(rs);
    CHECK_EQ_INT(socfeed_ruleset_diags(rs)->errors, 0);
    socfeed_engine_options eo = {.ignore_logsource = true};
    socfeed_engine *e = socfeed_engine_new(rs, &eo, NULL);
    socfeed_correlator *c = socfeed_correlator_new(rs, NULL);
    CHECK(c != NULL);
    run_state st = {socfeed_scanner_new(e), c, NULL, 0, 0, 0};
    /* build JSON Lines from the compact event notation */
    char json[16384] = "";
    const char *p = events;
    while (*p) {
        char t[16], action[16], rest[256] = "";
        int used = 0;
        if (sscanf(p, "%15s %15s%n", t, action, &used) != 2) break;
        p += used;
        const char *eol = strchr(p, '\n');
        size_t rl = eol ? (size_t)(eol - p) : strlen(p);
        memcpy(rest, p, rl < sizeof rest ? rl : sizeof rest - 1);
        p += rl + (eol ? 1 : 0);
        char obj[512];
        int n = snprintf(obj, sizeof obj, "{\"TimeCreated\":\"2026-01-01T%sZ\",\"Action\":\"%s\"", t, action);
        for (char *kv = strtok(rest, " "); kv; kv = strtok(NULL, " ")) {
            char *eq = strchr(kv, '=');
            if (!eq) continue;
            *eq = 0;
            n += snprintf(obj + n, sizeof obj - (size_t)n, ",\"%s\":\"%s\"", kv, eq + 1);
        }
        snprintf(obj + n, sizeof obj - (size_t)n, "}\n");
        strcat(json, obj);
    }
    socfeed_json_read_buffer("events.jsonl", json, strlen(json), NULL, on_event, &st, NULL, NULL);
    alerts[0] = 0;
    alert_computers[0] = 0;
    nalerts = 0;
    socfeed_corr_records_sort(st.recs, st.n);
    for (size_t i = 0; i < st.n; i++) socfeed_correlator_feed(c, &st.recs[i], on_alert, NULL);
    socfeed_correlator_finish(c, on_alert, NULL);
    if (printed) *printed = st.printed;
    for (size_t i = 0; i < st.n; i++) socfeed_corr_record_clear(&st.recs[i]);
    free(st.recs);
    socfeed_scanner_free(st.s);
    socfeed_correlator_free(c);
    socfeed_engine_free(e);
    socfeed_ruleset_free(rs);
    free(yaml);
}

#define COUNT3 "title: burst\ncorrelation:\n  type: event_count\n  rules: [rule_a]\n  group-by: [User]\n  timespan: 5m\n  condition: {gte: 3}\n"

TEST(correlate_event_count_window_and_groups) {
    run(COUNT3, "10:00:00 a User=bob\n10:01:00 a User=alice\n10:02:00 a User=bob\n10:04:59 a User=bob\n10:05:00 a User=alice\n", NULL);
    CHECK_EQ_STR(alerts, "burst|User=bob|3|3;");
    /* the same three events spread over more than 5 minutes do not fire */
    run(COUNT3, "10:00:00 a User=bob\n10:03:00 a User=bob\n10:05:01 a User=bob\n", NULL);
    CHECK_EQ_INT(nalerts, 0);
    /* events out of order in the input are put in time order first */
    run(COUNT3, "10:04:00 a User=bob\n10:00:00 a User=bob\n10:02:00 a User=bob\n", NULL);
    CHECK_EQ_STR(alerts, "burst|User=bob|3|3;");
}

TEST(correlate_event_count_fires_once_per_burst) {
    run(COUNT3, "10:00:00 a User=bob\n10:00:01 a User=bob\n10:00:02 a User=bob\n10:00:03 a User=bob\n10:00:04 a User=bob\n10:00:05 a User=bob\n", NULL);
    CHECK_EQ_INT(nalerts, 2); /* 3 + 3: the window empties when it fires */
}

/* rule_any matches what rule_a matches: an event of both is one event to count (and one row of the
 * KQL form), not two; temporal still sees each rule's match. */
#define ANY "title: rule any\nname: rule_any\nlogsource: {product: windows}\ndetection:\n  sel: {Action: [a, b]}\n  condition: sel\n---\n"

TEST(correlate_an_event_matching_two_correlated_rules_counts_once) {
    run(ANY "title: burst\ncorrelation:\n  type: event_count\n  rules: [rule_a, rule_any]\n  group-by: [User]\n  timespan: 5m\n"
            "  condition: {gte: 2}\n", "10:00:00 a User=bob\n", NULL);
    CHECK_EQ_INT(nalerts, 0);
    run(ANY "title: burst\ncorrelation:\n  type: event_count\n  rules: [rule_a, rule_any]\n  group-by: [User]\n  timespan: 5m\n"
            "  condition: {gte: 2}\n", "10:00:00 a User=bob\n10:00:00 b User=bob\n", NULL);
    CHECK_EQ_STR(alerts, "burst|User=bob|2|2;"); /* two events at the same second are two */
    run(ANY "title: sum\ncorrelation:\n  type: value_sum\n  rules: [rule_a, rule_any]\n  timespan: 1h\n  field: Bytes\n"
            "  condition: {gte: 100}\n", "10:00:00 a Bytes=60\n10:01:00 b Bytes=30\n", NULL);
    CHECK_EQ_INT(nalerts, 0); /* 90, not 150 */
    run(ANY "title: both\ncorrelation:\n  type: temporal\n  rules: [rule_a, rule_any]\n  group-by: [User]\n  timespan: 5m\n",
        "10:00:00 a User=bob\n", NULL);
    CHECK_EQ_STR(alerts, "both|User=bob|2|2;");
}

TEST(correlate_alert_names_the_computer_only_when_every_event_shares_it) {
    /* grouped by user: bob's three events on one host make an alert on that host */
    run(COUNT3, "10:00:00 a User=bob Computer=ws1\n10:01:00 a User=bob Computer=ws1\n10:02:00 a User=bob Computer=ws1\n", NULL);
    CHECK_EQ_STR(alerts, "burst|User=bob|3|3;");
    CHECK_EQ_STR(alert_computers, "ws1;");
    /* spread over two hosts, or with an event that names none: the alert is on no single host */
    run(COUNT3, "10:00:00 a User=bob Computer=ws1\n10:01:00 a User=bob Computer=ws2\n10:02:00 a User=bob Computer=ws1\n", NULL);
    CHECK_EQ_STR(alert_computers, "-;");
    run(COUNT3, "10:00:00 a User=bob Computer=ws1\n10:01:00 a User=bob\n10:02:00 a User=bob Computer=ws1\n", NULL);
    CHECK_EQ_STR(alert_computers, "-;");
    /* the window slides: ws2 left it before the alert, so the alert is on ws1 */
    run(COUNT3, "10:00:00 a User=bob Computer=ws2\n10:06:00 a User=bob Computer=ws1\n10:07:00 a User=bob Computer=ws1\n10:08:00 a User=bob Computer=ws1\n", NULL);
    CHECK_EQ_STR(alerts, "burst|User=bob|3|3;");
    CHECK_EQ_STR(alert_computers, "ws1;");
}

TEST(correlate_edge41_condition_range) {
    const char *r = "title: range\ncorrelation:\n  type: event_count\n  rules: [rule_a]\n  group-by: [User]\n  timespan: 1h\n"
                    "  condition: {gt: 2, lte: 4}\n";
    run(r, "10:00:00 a User=u\n10:10:00 a User=u\n10:20:00 a User=u\n", NULL);
    CHECK_EQ_STR(alerts, "range|User=u|3|3;");
    run(r, "10:00:00 a User=u\n10:10:00 a User=u\n10:20:00 a User=u\n10:30:00 a User=u\n10:40:00 a User=u\n", NULL);
    CHECK_EQ_INT(nalerts, 0); /* 5 > 4 within the hour */
    /* the next window is judged on its own: 2 then 3 */
    run(r, "10:00:00 a User=u\n10:10:00 a User=u\n11:30:00 a User=u\n11:31:00 a User=u\n11:32:00 a User=u\n", NULL);
    CHECK_EQ_STR(alerts, "range|User=u|3|3;");
}

TEST(correlate_value_count_with_the_spec_condition_field) {
    const char *r = "title: spray\ncorrelation:\n  type: value_count\n  rules: [rule_a]\n  group-by: [User]\n  timespan: 10m\n"
                    "  condition:\n    field: Target\n    gte: 3\n";
    run(r, "10:00:00 a User=u Target=h1\n10:01:00 a User=u Target=h1\n10:02:00 a User=u Target=h2\n", NULL);
    CHECK_EQ_INT(nalerts, 0); /* two distinct hosts */
    run(r, "10:00:00 a User=u Target=h1\n10:01:00 a User=u Target=h1\n10:02:00 a User=u Target=h2\n10:03:00 a User=u Target=h3\n", NULL);
    CHECK_EQ_STR(alerts, "spray|User=u|3|4;");
}

TEST(correlate_edge42_temporal_default_needs_every_rule) {
    const char *r = "title: both\ncorrelation:\n  type: temporal\n  rules: [rule_a, rule_b]\n  group-by: [Host]\n  timespan: 5m\n";
    run(r, "10:00:00 a Host=x\n10:01:00 a Host=x\n", NULL);
    CHECK_EQ_INT(nalerts, 0);
    run(r, "10:00:00 b Host=x\n10:01:00 a Host=y\n10:02:00 a Host=x\n", NULL);
    CHECK_EQ_STR(alerts, "both|Host=x|2|2;");
    run(r, "10:00:00 b Host=x\n10:06:00 a Host=x\n", NULL);
    CHECK_EQ_INT(nalerts, 0); /* too far apart */
}

TEST(correlate_temporal_ordered) {
    const char *r = "title: seq\ncorrelation:\n  type: temporal_ordered\n  rules: [rule_a, rule_b]\n  timespan: 5m\n";
    run(r, "10:00:00 b\n10:01:00 a\n", NULL);
    CHECK_EQ_INT(nalerts, 0);
    run(r, "10:00:00 a\n10:01:00 b\n", NULL);
    CHECK_EQ_STR(alerts, "seq||2|2;");
}

TEST(correlate_value_sum_avg_percentile_median) {
    const char *sum = "title: sum\ncorrelation:\n  type: value_sum\n  rules: [rule_a]\n  group-by: [Host]\n  timespan: 1h\n"
                      "  field: Bytes\n  condition: {gt: 100}\n";
    run(sum, "10:00:00 a Host=h Bytes=60\n10:01:00 a Host=h Bytes=x\n10:02:00 a Host=h Bytes=50\n", NULL);
    CHECK_EQ_STR(alerts, "sum|Host=h|110|3;");
    const char *avg = "title: avg\ncorrelation:\n  type: value_avg\n  rules: [rule_a]\n  timespan: 1h\n  field: Bytes\n  condition: {gte: 20}\n";
    run(avg, "10:00:00 a Bytes=10\n10:01:00 a Bytes=20\n10:02:00 a Bytes=40\n", NULL);
    CHECK_EQ_STR(alerts, "avg||23.3333|3;"); /* 10, then 15, then 70/3 */
    char pct[512] = "title: p90\ncorrelation:\n  type: value_percentile\n  rules: [rule_a]\n  timespan: 1h\n  field: Ms\n"
                    "  percentile: 90\n  condition: {gte: 9}\n";
    char ev[1024] = "";
    for (int i = 1; i <= 10; i++) {
        char line[64];
        snprintf(line, sizeof line, "10:00:%02d a Ms=%d\n", i, i);
        strcat(ev, line);
    }
    run(pct, ev, NULL);
    /* nearest rank: the 9th of 9 values; the window then restarts, and 10 alone is its own p90 */
    CHECK_EQ_STR(alerts, "p90||9|9;p90||10|1;");
    const char *med = "title: med\ncorrelation:\n  type: value_median\n  rules: [rule_a]\n  timespan: 1h\n  field: Ms\n  condition: {gte: 5}\n";
    run(med, "10:00:00 a Ms=1\n10:00:01 a Ms=9\n10:00:02 a Ms=5\n", NULL);
    CHECK_EQ_STR(alerts, "med||5|3;");
}

TEST(correlate_generate_decides_whether_base_detections_print) {
    int printed = -1;
    run(COUNT3, "10:00:00 a User=bob\n10:00:01 a User=bob\n10:00:02 a User=bob\n10:00:03 b User=bob\n", &printed);
    CHECK_EQ_INT(nalerts, 1);
    CHECK_EQ_INT(printed, 1); /* only rule b's own detection: rule a feeds the correlation only */
    const char *gen = "title: burst\ncorrelation:\n  type: event_count\n  rules: [rule_a]\n  timespan: 5m\n"
                      "  condition: {gte: 3}\n  generate: true\n";
    run(gen, "10:00:00 a User=bob\n10:00:01 a User=bob\n10:00:02 a User=bob\n10:00:03 b User=bob\n", &printed);
    CHECK_EQ_INT(printed, 4);
}

TEST(correlate_memory_bound_old_groups_are_dropped) {
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    const char *yaml = BASE COUNT3;
    socfeed_ruleset_load_buffer(rs, "corr.yml", yaml, strlen(yaml));
    socfeed_ruleset_finalize(rs);
    socfeed_correlator *c = socfeed_correlator_new(rs, NULL);
    /* 100,000 users, one event each, a second apart: only the last 5 minutes' groups may stay */
    char user[32];
    char *vals[1] = {user};
    size_t rule_a = 0;
    for (size_t i = 0; i < socfeed_ruleset_count(rs); i++)
        if (socfeed_correlator_wants(c, i)) rule_a = i;
    size_t max_groups = 0;
    for (int i = 0; i < 100000; i++) {
        snprintf(user, sizeof user, "u%d", i);
        socfeed_corr_record r = {.time_ms = (int64_t)i * 1000, .has_time = true, .rule_index = rule_a, .values = vals, .nvalues = 1};
        socfeed_correlator_feed(c, &r, NULL, NULL);
        size_t g = socfeed_correlator_groups(c);
        if (g > max_groups) max_groups = g;
    }
    CHECK(max_groups <= 300 + 4096 + 1); /* the window (300 s) plus one sweep interval */
    CHECK(socfeed_correlator_groups(c) < 5000);
    socfeed_correlator_free(c);
    socfeed_ruleset_free(rs);
}
