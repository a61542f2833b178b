/* verify_test.c — the checker can fail: the two seed queries (tests/fixtures/seeds/, verbatim from
 * ../shared/seeds/) are under-matching on their rules' own Sysmon 11 samples (tests/fixtures/events/
 * seed_*.json), while correct queries verify and too-wide ones over-match. The Sigma verdicts here are
 * the ones documented for the fixtures in tests/fixtures/events/README.md. */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "socfeed/verify.h"
#include "socfeed/verify_rules.h"
#include "verify/verify_test_util.h"

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        harness_fail(__FILE__, __LINE__, "cannot open %s", path);
        return calloc(1, 1);
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = calloc(1, (size_t)len + 1);
    if (fread(s, 1, (size_t)len, f) != (size_t)len) harness_fail(__FILE__, __LINE__, "short read %s", path);
    fclose(f);
    return s;
}

typedef struct samples {
    test_events files[4];
    socfeed_verify_sample items[4];
    size_t n;
} samples;

static void add(samples *s, const char *fixture, bool sigma_match) {
    s->files[s->n] = test_events_load(harness_fixture(fixture));
    CHECK_EQ_INT(s->files[s->n].n, 1);
    s->items[s->n] = (socfeed_verify_sample){s->files[s->n].items[0], sigma_match};
    s->n++;
}

static void samples_free(samples *s) {
    for (size_t i = 0; i < s->n; i++) test_events_free(&s->files[i]);
}

static samples artefact_samples(void) {
    samples s = {0};
    add(&s, "events/seed_screenconnect_artefact.json", true);
    add(&s, "events/seed_screenconnect_artefact_nomatch.json", false);
    return s;
}

static samples remote_file_samples(void) {
    samples s = {0};
    add(&s, "events/seed_screenconnect_remote_file.json", true);
    add(&s, "events/seed_screenconnect_remote_file_nomatch.json", false);
    return s;
}

static socfeed_verify_result check(const char *target, const char *kql, const samples *s) {
    socfeed_diags d;
    socfeed_diags_init(&d);
    socfeed_normalizer *nz = socfeed_normalizer_load(target, &d);
    CHECK(nz != NULL);
    socfeed_verify_result r = {0};
    if (nz) socfeed_verify_query(nz, "test", kql, "refused for the test", s->items, s->n, &r);
    /* r.table points into the normalizer, which goes now: keep a copy for the checks. */
    static char table[64];
    snprintf(table, sizeof table, "%s", r.table ? r.table : "");
    if (r.table) r.table = table;
    socfeed_normalizer_free(nz);
    socfeed_diags_clear(&d);
    return r;
}

TEST(verify_seed_artefact_query_under_matches) {
    samples s = artefact_samples();
    char *kql = slurp(harness_fixture("seeds/screenconnect_artefact.kql"));
    socfeed_verify_result r = check("sentinel-asim", kql, &s);
    CHECK_EQ_STR(socfeed_verify_status_name(r.status), "under-match");
    CHECK_EQ_INT(r.sigma_matches, 1);
    CHECK_EQ_INT(r.kql_matches, 0);      /* TargetFileName is "ScreenConnect.ClientService.exe": no "\Bin\" in it */
    CHECK_EQ_INT(r.nunder, 1);
    CHECK_EQ_INT(r.under[0], 0);
    CHECK_EQ_INT(r.rows, 2);             /* both events did become imFileEvent rows */
    CHECK_EQ_STR(r.table, "imFileEvent");
    socfeed_verify_result_free(&r);
    free(kql);
    samples_free(&s);
}

TEST(verify_seed_remote_file_query_under_matches) {
    samples s = remote_file_samples();
    char *kql = slurp(harness_fixture("seeds/screenconnect_remote_file.kql"));
    socfeed_verify_result r = check("sentinel-asim", kql, &s);
    CHECK_EQ_STR(socfeed_verify_status_name(r.status), "under-match");
    CHECK_EQ_INT(r.kql_matches, 0);
    CHECK_EQ_INT(r.nunder, 1);
    CHECK_EQ_INT(r.nover, 0);
    socfeed_verify_result_free(&r);
    free(kql);
    samples_free(&s);
}

/* The same rules, translated right (Sigma TargetFilename = ASIM TargetFilePath, Image = ActingProcessName). */
TEST(verify_correct_queries_verify) {
    samples a = artefact_samples(), b = remote_file_samples();
    socfeed_verify_result r = check("sentinel-asim", "imFileEvent\n| where TargetFilePath contains @\"\\Bin\\ScreenConnect.\"", &a);
    CHECK_EQ_STR(socfeed_verify_status_name(r.status), "verified");
    CHECK_EQ_INT(r.kql_matches, 1);
    socfeed_verify_result_free(&r);
    r = check("sentinel-asim",
              "_Im_FileEvent | where EventType == \"FileCreated\" | where ActingProcessName endswith @\"\\ScreenConnect.WindowsClient.exe\" "
              "and TargetFilePath contains @\"\\Documents\\ConnectWiseControl\\Temp\\\"", &b);
    CHECK_EQ_STR(socfeed_verify_status_name(r.status), "verified");
    socfeed_verify_result_free(&r);
    /* Azure Monitor and Defender shapes of the same rule. */
    r = check("azure-monitor", "WindowsEvent | where Provider == \"Microsoft-Windows-Sysmon\" and EventID == 11 "
              "| where tostring(EventData.TargetFilename) contains @\"\\Bin\\ScreenConnect.\"", &a);
    CHECK_EQ_STR(socfeed_verify_status_name(r.status), "verified");
    CHECK(!r.approximate);
    socfeed_verify_result_free(&r);
    r = check("azure-monitor", "Event | where Source == \"Microsoft-Windows-Sysmon\" and EventID == 11 "
              "| where EventData matches regex @\"<Data Name=\"\"TargetFilename\"\">[^<]*\\\\Bin\\\\ScreenConnect\\.\"", &a);
    CHECK_EQ_STR(socfeed_verify_status_name(r.status), "verified");   /* the legacy agent's XML text */
    socfeed_verify_result_free(&r);
    r = check("defender-xdr", "DeviceFileEvents | where ActionType == \"FileCreated\" and FolderPath contains @\"\\Bin\\ScreenConnect.\"", &a);
    CHECK_EQ_STR(socfeed_verify_status_name(r.status), "verified");
    CHECK(r.approximate);
    socfeed_verify_result_free(&r);
    samples_free(&a);
    samples_free(&b);
}

TEST(verify_over_match_lists_the_extra_event) {
    samples s = artefact_samples();
    socfeed_verify_result r = check("sentinel-asim", "imFileEvent | where TargetFilePath contains \"ScreenConnect\"", &s);
    CHECK_EQ_STR(socfeed_verify_status_name(r.status), "over-match");
    CHECK_EQ_INT(r.nover, 1);
    CHECK_EQ_INT(r.over[0], 1);
    CHECK_EQ_INT(r.nunder, 0);
    socfeed_verify_result_free(&r);
    /* Missing one event and catching another: under-match wins, both lists are filled. */
    samples w = {0};
    add(&w, "events/seed_screenconnect_artefact.json", false);
    add(&w, "events/seed_screenconnect_artefact_nomatch.json", true);
    r = check("sentinel-asim", "imFileEvent | where TargetFilePath contains @\"\\Bin\\\"", &w);
    CHECK_EQ_STR(socfeed_verify_status_name(r.status), "under-match");
    CHECK_EQ_INT(r.nover, 1);
    CHECK_EQ_INT(r.nunder, 1);
    socfeed_verify_result_free(&r);
    samples_free(&w);
    samples_free(&s);
}

TEST(verify_refused_error_no_samples) {
    samples s = artefact_samples();
    socfeed_verify_result r = check("sentinel-asim", NULL, &s);
    CHECK_EQ_STR(socfeed_verify_status_name(r.status), "refused");
    CHECK_EQ_STR(r.reason, "refused for the test");
    socfeed_verify_result_free(&r);
    r = check("sentinel-asim", "DeviceFileEvents | where FolderPath contains \"x\"", &s);
    CHECK_EQ_STR(socfeed_verify_status_name(r.status), "error"); /* the rule matches a sample the query can never see */
    CHECK(r.reason && strstr(r.reason, "never fills") && !strstr(r.reason, "either"));
    socfeed_verify_result_free(&r);
    /* the same table with only non-matching samples: nothing to verify on, not an error */
    samples unmatched = {0};
    add(&unmatched, "events/seed_screenconnect_artefact_nomatch.json", false);
    r = check("sentinel-asim", "DeviceFileEvents | where FolderPath contains \"x\"", &unmatched);
    CHECK_EQ_STR(socfeed_verify_status_name(r.status), "no-samples");
    CHECK(r.reason && strstr(r.reason, "never fills; no sample event matches the rule either"));
    socfeed_verify_result_free(&r);
    samples_free(&unmatched);
    r = check("sentinel-asim", "imFileEvent | project TargetFilePath", &s);
    CHECK_EQ_STR(socfeed_verify_status_name(r.status), "error");
    CHECK(r.reason && strstr(r.reason, "unsupported KQL"));
    socfeed_verify_result_free(&r);
    /* Only negatives, and the query selects none: nothing proven either way. */
    samples neg = {0};
    add(&neg, "events/seed_screenconnect_artefact_nomatch.json", false);
    r = check("sentinel-asim", "imFileEvent | where TargetFilePath contains @\"\\Bin\\ScreenConnect.\"", &neg);
    CHECK_EQ_STR(socfeed_verify_status_name(r.status), "no-samples");
    socfeed_verify_result_free(&r);
    samples none = {0};
    r = check("sentinel-asim", "imFileEvent", &none);
    CHECK_EQ_STR(socfeed_verify_status_name(r.status), "no-samples");
    CHECK_EQ_STR(r.reason, "no sample events");
    socfeed_verify_result_free(&r);
    samples_free(&neg);
    samples_free(&s);
}

/* A correlation-style query: summarize over rows of several events selects every event of a kept group. */
TEST(verify_summarize_selects_group_members) {
    samples s = {0};
    add(&s, "events/seed_screenconnect_artefact.json", true);
    add(&s, "events/seed_screenconnect_remote_file.json", false);
    add(&s, "events/seed_screenconnect_artefact_nomatch.json", true);
    socfeed_verify_result r = check("sentinel-asim",
        "imFileEvent | summarize count() by ActingProcessName | where count_ >= 2", &s);
    CHECK_EQ_STR(socfeed_verify_status_name(r.status), "verified");   /* both msiexec events, not the client's */
    CHECK_EQ_INT(r.kql_matches, 2);
    socfeed_verify_result_free(&r);
    samples_free(&s);
}

/* The feed's view of a report: lookup by rule and the one-line summary. */
TEST(verify_report_find_and_summary) {
    socfeed_rule a = {0}, b = {0}, c = {0};
    size_t under[] = {0}, over[] = {1};
    socfeed_verify_item items[2] = {0};
    items[0].rule = &a;
    items[0].result = (socfeed_verify_result){.status = SOCFEED_VERIFY_VERIFIED, .samples = 2, .sigma_matches = 1, .kql_matches = 1};
    items[0].cross_checked = true;
    items[0].cross_events = 476;
    items[1].rule = &b;
    items[1].result = (socfeed_verify_result){.status = SOCFEED_VERIFY_UNDER_MATCH, .samples = 3, .sigma_matches = 1,
                                              .kql_matches = 1, .under = under, .nunder = 1, .over = over, .nover = 1,
                                              .approximate = true};
    socfeed_verify_report rep = {.items = items, .count = 2};
    CHECK(socfeed_verify_report_find(&rep, &b) == &items[1]);
    CHECK(socfeed_verify_report_find(&rep, &c) == NULL);
    char *s = socfeed_verify_item_summary(&items[0]);
    CHECK_EQ_STR(s, "Sigma 1 of 2 sample events, KQL 1, same events; cross-checked over 476 events");
    free(s);
    s = socfeed_verify_item_summary(&items[1]);
    CHECK_EQ_STR(s, "Sigma 1 of 3 sample events, KQL 1: misses 1, finds 1 extra; approximate rows");
    free(s);
    items[1].result = (socfeed_verify_result){.status = SOCFEED_VERIFY_REFUSED, .reason = "no table"};
    s = socfeed_verify_item_summary(&items[1]);
    CHECK_EQ_STR(s, "refused: no table");
    free(s);
}
