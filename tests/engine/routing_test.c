/* routing_test.c — which events a rule sees (data/logsources entries), the field renames of an
 * alternative, and the evtx_dump field view (System attributes, #text, EventData names with
 * spaces, UserData's wrapper), through whole rules and evtx_dump-shaped JSON events. */
#include <stdio.h>

#include "engine/engine_test_util.h"
#include "harness.h"
#include "socfeed/engine.h"
#include "socfeed/reader.h"

#define RULE(logsource, detection) "title: t\nlogsource:\n" logsource "detection:\n" detection

static const char *sysmon(int eid, const char *event_data) {
    static char buf[2][2048];
    static int k;
    char *b = buf[k++ % 2];
    snprintf(b, sizeof buf[0],
             "{\"Event\":{\"System\":{\"Provider\":{\"#attributes\":{\"Name\":\"Microsoft-Windows-Sysmon\"}},"
             "\"EventID\":%d,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Computer\":\"pc1\"},"
             "\"EventData\":{%s}}}", eid, event_data);
    return b;
}

static const char *security(int eid, const char *event_data) {
    static char b[2048];
    snprintf(b, sizeof b,
             "{\"Event\":{\"System\":{\"Provider\":{\"#attributes\":{\"Name\":\"Microsoft-Windows-Security-Auditing\"}},"
             "\"EventID\":{\"#attributes\":{\"Qualifiers\":0},\"#text\":%d},\"Channel\":\"Security\"},"
             "\"EventData\":{%s}}}", eid, event_data);
    return b;
}

#define PROC_RULE RULE("  product: windows\n  category: process_creation\n", \
                       "  sel:\n    Image|endswith: '\\whoami.exe'\n  condition: sel\n")

TEST(routing_process_creation_sysmon_and_security_with_rename) {
    CHECK_EQ_INT(match_rule(PROC_RULE, sysmon(1, "\"Image\":\"C:\\\\Windows\\\\whoami.exe\""), true), 1);
    /* 4688 names the image NewProcessName: the alternative renames Image */
    CHECK_EQ_INT(match_rule(PROC_RULE, security(4688, "\"NewProcessName\":\"C:\\\\Windows\\\\whoami.exe\""), true), 1);
    /* the same field in another Sysmon event id is not a process creation */
    CHECK_EQ_INT(match_rule(PROC_RULE, sysmon(7, "\"Image\":\"C:\\\\Windows\\\\whoami.exe\""), true), 0);
    /* without routing, any event with the field is a candidate */
    CHECK_EQ_INT(match_rule(PROC_RULE, sysmon(7, "\"Image\":\"C:\\\\Windows\\\\whoami.exe\""), false), 1);
}

TEST(routing_events_that_must_not_be_routed) {
    const char *reg_add = RULE("  product: windows\n  category: registry_add\n",
                               "  sel:\n    TargetObject|contains: '\\Run'\n  condition: sel\n");
    CHECK_EQ_INT(match_rule(reg_add, sysmon(13, "\"TargetObject\":\"HKLM\\\\Run\\\\x\""), true), 0);
    CHECK_EQ_INT(match_rule(reg_add, sysmon(12, "\"EventType\":\"CreateKey\",\"TargetObject\":\"HKLM\\\\Run\\\\x\""), true), 1);
    const char *svc_sysmon = RULE("  product: windows\n  service: sysmon\n",
                                  "  sel:\n    EventID: 4688\n  condition: sel\n");
    CHECK_EQ_INT(match_rule(svc_sysmon, security(4688, "\"x\":1"), true), 0);
}

TEST(routing_field_view_of_evtx_dump_shape) {
    /* System attribute as Elem_Attr; EventID from #text beside Qualifiers */
    const char *prov = RULE("  product: windows\n  service: security\n",
                            "  sel:\n    Provider_Name: 'Microsoft-Windows-Security-Auditing'\n    EventID: 4648\n  condition: sel\n");
    CHECK_EQ_INT(match_rule(prov, security(4648, "\"x\":1"), true), 1);
    /* EventData names with spaces are reached without them (Defender's "Threat Name") */
    const char *threat = RULE("  product: windows\n  service: windefend\n",
                              "  sel:\n    ThreatName|contains: 'EICAR'\n  condition: sel\n");
    const char *defender = "{\"Event\":{\"System\":{\"EventID\":1116,\"Channel\":\"Microsoft-Windows-Windows Defender/Operational\"},"
                           "\"EventData\":{\"#attributes\":{\"Name\":\"x\"},\"Threat Name\":\"Virus:DOS/EICAR_Test_File\"}}}";
    CHECK_EQ_INT(match_rule(threat, defender, true), 1);
    /* UserData: the one wrapper element is skipped (WMI 5858) */
    const char *wmi = RULE("  product: windows\n  service: wmi\n",
                           "  sel:\n    Operation|contains|all: ['ClearEventLog', 'NTEventlogFile']\n  condition: sel\n");
    const char *ev5858 = "{\"Event\":{\"System\":{\"EventID\":5858,\"Channel\":\"Microsoft-Windows-WMI-Activity/Operational\"},"
                         "\"UserData\":{\"Operation_ClientFailure\":{\"#attributes\":{\"xmlns\":\"http://x\"},"
                         "\"Operation\":\"Start IWbemServices::ExecMethod - Win32_NTEventlogFile::ClearEventLog\"}}}}";
    CHECK_EQ_INT(match_rule(wmi, ev5858, true), 1);
}

TEST(routing_dotted_names_and_case_insensitive_field_names) {
    const char *r = RULE("  product: windows\n", "  sel:\n    destination.port: 443\n    commandline|contains: 'x'\n  condition: sel\n");
    CHECK_EQ_INT(match_rule(r, "{\"destination\":{\"port\":443},\"CommandLine\":\"axb\"}", false), 1);
    CHECK_EQ_INT(match_rule(r, "{\"destination.port\":443,\"CommandLine\":\"axb\"}", false), 1);
    CHECK_EQ_INT(match_rule(r, "{\"destination\":{\"port\":80},\"CommandLine\":\"axb\"}", false), 0);
}

typedef struct hits {
    int n;
    char fields[256];
} hits;

static int on_hit(void *p, const socfeed_hit *h) {
    hits *c = p;
    c->n++;
    for (size_t i = 0; i < h->nmatched; i++) {
        strncat(c->fields, h->matched_fields[i], sizeof c->fields - strlen(c->fields) - 2);
        strcat(c->fields, ",");
    }
    return 0;
}

typedef struct scan_ctx {
    socfeed_scanner *s;
    hits h;
} scan_ctx;

static int on_event(void *p, const socfeed_event *ev) {
    scan_ctx *c = p;
    socfeed_scanner_event(c->s, ev, NULL, on_hit, &c->h, NULL);
    return 0;
}

TEST(engine_unmapped_logsource_is_reported_not_run) {
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    const char *text = "title: web\nlogsource:\n  category: webserver\ndetection:\n  sel:\n    cs-uri|contains: 'x'\n  condition: sel\n";
    socfeed_ruleset_load_buffer(rs, "web.yml", text, strlen(text));
    socfeed_ruleset_finalize(rs);
    const socfeed_rule *r = socfeed_ruleset_get(rs, 0);
    socfeed_engine *e = socfeed_engine_new(rs, NULL, NULL);
    CHECK_EQ_INT(socfeed_engine_rule_state(e, r), SOCFEED_RULE_UNMAPPED_LOGSOURCE);
    CHECK_EQ_INT(socfeed_engine_active_rules(e), 0);
    socfeed_engine_free(e);
    socfeed_engine_options opt = {.all_logsources = true};
    e = socfeed_engine_new(rs, &opt, NULL);
    CHECK_EQ_INT(socfeed_engine_rule_state(e, r), SOCFEED_RULE_ACTIVE);
    scan_ctx c = {socfeed_scanner_new(e), {0, ""}};
    const char *ev = "{\"cs-uri\":\"/x\"}\n{\"cs-uri\":\"/y\"}\n";
    socfeed_json_read_buffer("e.json", ev, strlen(ev), NULL, on_event, &c, NULL, NULL);
    CHECK_EQ_INT(c.h.n, 1);
    CHECK_EQ_STR(c.h.fields, "cs-uri,");
    socfeed_scanner_free(c.s);
    socfeed_engine_free(e);
    socfeed_ruleset_free(rs);
}

TEST(engine_matched_fields_leave_out_negated_items) {
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    const char *text = "title: t\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n"
                       "  sel:\n    Image|endswith: '\\cmd.exe'\n    CommandLine|contains: '/c'\n"
                       "  filter:\n    User: 'admin'\n  condition: sel and not filter\n";
    socfeed_ruleset_load_buffer(rs, "t.yml", text, strlen(text));
    socfeed_ruleset_finalize(rs);
    socfeed_engine *e = socfeed_engine_new(rs, NULL, NULL);
    scan_ctx c = {socfeed_scanner_new(e), {0, ""}};
    const char *ev = sysmon(1, "\"Image\":\"C:\\\\cmd.exe\",\"CommandLine\":\"cmd /c x\",\"User\":\"bob\"");
    socfeed_json_read_buffer("e.json", ev, strlen(ev), NULL, on_event, &c, NULL, NULL);
    CHECK_EQ_INT(c.h.n, 1);
    CHECK_EQ_STR(c.h.fields, "Image,CommandLine,");
    socfeed_scanner_free(c.s);
    socfeed_engine_free(e);
    socfeed_ruleset_free(rs);
}

TEST(engine_user_mapping_overrides_builtin_entry) {
    socfeed_diags d;
    socfeed_diags_init(&d);
    socfeed_logsource_map *m = socfeed_logsource_map_new(&d);
    CHECK_EQ_INT(d.errors, 0);
    size_t builtin = socfeed_logsource_map_count(m);
    CHECK(builtin > 80);
    const char *user = "version: 1\nlogsources:\n  - match: {product: windows, category: process_creation}\n"
                       "    any:\n      - conditions: {Channel: 'MyEDR', EventID: 7}\n        fields: {Image: 'exe'}\n"
                       "  - match: {category: webserver}\n    any:\n      - sources: ['File:*access.log*']\n";
    CHECK_EQ_INT(socfeed_logsource_map_add_buffer(m, "user.yml", user, strlen(user), &d), 0);
    CHECK_EQ_INT(socfeed_logsource_map_count(m), builtin + 1);
    const char *bad = "version: 1\nlogsources:\n  - match: {product: x}\n    any:\n      - fields: {a: b}\n";
    CHECK_EQ_INT(socfeed_logsource_map_add_buffer(m, "bad.yml", bad, strlen(bad), &d), -1);
    CHECK(d.errors >= 1);
    CHECK_EQ_STR(d.items[d.count - 1].file, "bad.yml");
    CHECK_EQ_INT(d.items[d.count - 1].pos.line, 5);
    socfeed_logsource_map_free(m);
    socfeed_diags_clear(&d);
}

/* The prefilter gates `EventID: 4624` on the text "4624"; a number written otherwise must still
 * reach the rule (the full scanner path, prefilter on). */
TEST(engine_prefilter_number_gate_keeps_other_spellings) {
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    const char *text = "title: logon\nlogsource:\n  product: windows\n  service: security\ndetection:\n"
                       "  sel:\n    EventID: 4624\n    LogonType: 10\n  condition: sel\n";
    socfeed_ruleset_load_buffer(rs, "t.yml", text, strlen(text));
    socfeed_ruleset_finalize(rs);
    socfeed_engine *e = socfeed_engine_new(rs, NULL, NULL);
    scan_ctx c = {socfeed_scanner_new(e), {0, ""}};
    const char *ev = "{\"Channel\":\"Security\",\"EventID\":4.624e3,\"LogonType\":\"10\"}\n"
                     "{\"Channel\":\"Security\",\"EventID\":4624,\"LogonType\":10}\n"
                     "{\"Channel\":\"Security\",\"EventID\":\"4624\",\"LogonType\":10.0}\n"
                     "{\"Channel\":\"Security\",\"EventID\":4625,\"LogonType\":10}\n";
    socfeed_json_read_buffer("e.json", ev, strlen(ev), NULL, on_event, &c, NULL, NULL);
    CHECK_EQ_INT(c.h.n, 3);
    socfeed_scanner_free(c.s);
    socfeed_engine_free(e);
    socfeed_ruleset_free(rs);
}

/* Flat exports give the same field view: OTRF/Sentinel top-level names, and Winlogbeat's
 * winlog.event_data / winlog.channel / winlog.event_id. */
TEST(routing_flat_and_winlogbeat_exports) {
    CHECK_EQ_INT(match_rule(PROC_RULE, "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1,"
                                       "\"Image\":\"C:\\\\Windows\\\\whoami.exe\"}", true), 1);
    CHECK_EQ_INT(match_rule(PROC_RULE, "{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"winlog\":{\"channel\":"
                                       "\"Microsoft-Windows-Sysmon/Operational\",\"event_id\":\"1\",\"event_data\":"
                                       "{\"Image\":\"C:\\\\Windows\\\\whoami.exe\"}}}", true), 1);
    CHECK_EQ_INT(match_rule(PROC_RULE, "{\"winlog\":{\"channel\":\"Security\",\"event_id\":4688,\"event_data\":"
                                       "{\"NewProcessName\":\"C:\\\\Windows\\\\whoami.exe\"}}}", true), 1);
    CHECK_EQ_INT(match_rule(PROC_RULE, "{\"winlog\":{\"channel\":\"Security\",\"event_id\":4689,\"event_data\":"
                                       "{\"NewProcessName\":\"C:\\\\Windows\\\\whoami.exe\"}}}", true), 0);
}

/* An engine for one rule, `Who: bob` on logsource acme/app, with the mapping alternatives given
 * (YAML list items under `any:`, indented by 6). */
typedef struct acme_engine {
    socfeed_diags d;
    socfeed_logsource_map *m;
    socfeed_ruleset *rs;
    socfeed_engine *e;
} acme_engine;

static void acme_open(acme_engine *a, const char *alternatives) {
    socfeed_diags_init(&a->d);
    a->m = socfeed_logsource_map_new(&a->d);
    char user[1024];
    snprintf(user, sizeof user, "version: 1\nlogsources:\n  - match: {product: acme, service: app}\n    any:\n%s",
             alternatives);
    CHECK_EQ_INT(socfeed_logsource_map_add_buffer(a->m, "acme.yml", user, strlen(user), &a->d), 0);
    a->rs = socfeed_ruleset_new(NULL);
    const char *text = "title: acme\nlogsource: {product: acme, service: app}\ndetection:\n  sel: {Who: bob}\n  condition: sel\n";
    socfeed_ruleset_load_buffer(a->rs, "t.yml", text, strlen(text));
    socfeed_ruleset_finalize(a->rs);
    socfeed_engine_options opt = {.logsources = a->m};
    a->e = socfeed_engine_new(a->rs, &opt, NULL);
}

static void acme_close(acme_engine *a) {
    socfeed_engine_free(a->e);
    socfeed_ruleset_free(a->rs);
    socfeed_logsource_map_free(a->m);
    socfeed_diags_clear(&a->d);
}

/* Routes are indexed by Channel and EventID; an entry whose alternatives name the same channel with
 * and without an EventID is found under both keys and must still run once per event. */
TEST(routing_index_runs_a_route_once) {
    acme_engine a;
    acme_open(&a, "      - conditions: {Channel: 'Acme/App', EventID: 7}\n        fields: {Who: 'User'}\n"
                  "      - conditions: {Channel: 'Acme/App'}\n");
    scan_ctx c = {socfeed_scanner_new(a.e), {0, ""}};
    /* EventID 7: the first alternative (with its rename) decides; other ids: the second (no rename) */
    const char *ev = "{\"Channel\":\"Acme/App\",\"EventID\":7,\"User\":\"bob\"}\n"
                     "{\"Channel\":\"Acme/App\",\"EventID\":8,\"Who\":\"bob\"}\n"
                     "{\"Channel\":\"Acme/App\",\"EventID\":8,\"User\":\"bob\"}\n"
                     "{\"Channel\":\"Other\",\"EventID\":7,\"User\":\"bob\"}\n";
    socfeed_json_read_buffer("e.json", ev, strlen(ev), NULL, on_event, &c, NULL, NULL);
    CHECK_EQ_INT(c.h.n, 2);
    socfeed_scanner_free(c.s);
    acme_close(&a);
}

/* Detections and rule evaluations of a rule over JSON events through the full scanner (routing and
 * prefilter on). */
static void scanner_counts(const char *rule, const char *events, size_t *detections, uint64_t *evaluated) {
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_buffer(rs, "t.yml", rule, strlen(rule));
    socfeed_ruleset_finalize(rs);
    socfeed_engine *e = socfeed_engine_new(rs, NULL, NULL);
    scan_ctx c = {socfeed_scanner_new(e), {0, ""}};
    socfeed_json_read_buffer("e.json", events, strlen(events), NULL, on_event, &c, NULL, NULL);
    socfeed_scanner_stats st;
    socfeed_scanner_get_stats(c.s, &st);
    *detections = c.h.n;
    *evaluated = st.rules_evaluated;
    socfeed_scanner_free(c.s);
    socfeed_engine_free(e);
    socfeed_ruleset_free(rs);
}

static int scanner_detections(const char *rule, const char *ev) {
    size_t detections;
    uint64_t evaluated;
    scanner_counts(rule, ev, &detections, &evaluated);
    return (int)detections;
}

/* `1 of selection_*` over selections that are ANDs: (a1 and b1) or c implies (a1 or c) and
 * (b1 or c), so the rule waits for both unions and an event holding only a common a1 (a Windows
 * path: every process has one) is not evaluated. Each shape still matches when it should. */
TEST(engine_prefilter_alternatives_of_conjunctions_keep_two_gates) {
    const char *rule = RULE("  product: windows\n  category: process_creation\n",
                            "  selection_1:\n    Image|contains: '\\Windows\\'\n"
                            "    CommandLine|contains: '\\..\\..\\'\n"
                            "  selection_2:\n    CommandLine|contains: '.exe\\..\\'\n"
                            "  selection_3:\n    ParentImage|endswith: '\\evil.exe'\n    User|contains|all: ['SYSTEM', 'AUTHORI']\n"
                            "  condition: 1 of selection_*\n");
#define PROC(fields) "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1," fields "}\n"
    static const struct {
        const char *events;
        size_t detections;
        uint64_t evaluated;
    } cases[] = {
        /* only the common literal of selection_1: not a candidate */
        {PROC("\"Image\":\"C:\\\\Windows\\\\x.exe\",\"CommandLine\":\"x\"") PROC("\"Image\":\"C:\\\\Windows\\\\y.exe\""), 0, 0},
        {PROC("\"Image\":\"C:\\\\Windows\\\\x.exe\",\"CommandLine\":\"x \\\\..\\\\..\\\\y\""), 1, 1},
        {PROC("\"Image\":\"C:\\\\Temp\\\\x.exe\",\"CommandLine\":\"a.exe\\\\..\\\\b\""), 1, 1},
        /* selection_3's two gates: the parent alone, or the user alone, is not enough */
        {PROC("\"ParentImage\":\"C:\\\\evil.exe\",\"User\":\"bob\""), 0, 0},
        {PROC("\"ParentImage\":\"C:\\\\good.exe\",\"User\":\"NT AUTHORITY\\\\SYSTEM\""), 0, 0},
        {PROC("\"ParentImage\":\"C:\\\\evil.exe\",\"User\":\"NT AUTHORITY\\\\SYSTEM\""), 1, 1},
    };
#undef PROC
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t detections;
        uint64_t evaluated;
        scanner_counts(rule, cases[i].events, &detections, &evaluated);
        if (detections != cases[i].detections || evaluated != cases[i].evaluated)
            harness_fail(__FILE__, __LINE__, "case %zu: %zu detections, %llu evaluations; want %zu, %llu", i,
                         detections, (unsigned long long)evaluated, cases[i].detections,
                         (unsigned long long)cases[i].evaluated);
    }
}

/* Detections of a process_creation rule whose one selection is `item`, on one Sysmon event
 * {field: value} (value as JSON string content). */
static int process_detections(const char *item, const char *field, const char *value) {
    char rule[512], ev[512];
    snprintf(rule, sizeof rule,
             "title: t\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n"
             "  sel:\n    %s\n  condition: sel\n", item);
    snprintf(ev, sizeof ev, "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1,\"%s\":\"%s\"}\n",
             field, value);
    return scanner_detections(rule, ev);
}

/* One selection item on one Image or CommandLine value (chosen by the item's field), and the
 * detections expected. */
typedef struct item_case {
    const char *item, *value;
    int want;
} item_case;

static void check_item_cases(const item_case *cases, size_t n, int line) {
    for (size_t i = 0; i < n; i++) {
        const char *field = strncmp(cases[i].item, "Image", 5) == 0 ? "Image" : "CommandLine";
        int got = process_detections(cases[i].item, field, cases[i].value);
        if (got != cases[i].want)
            harness_fail(__FILE__, line, "'%s' on '%s': %d detections, expected %d", cases[i].item,
                         cases[i].value, got, cases[i].want);
    }
}

/* Regexes gate on a literal every match must contain; the cases where that literal is easy to get
 * wrong (optional characters, groups, alternation, escapes, extended mode) must still match. */
TEST(engine_prefilter_regex_gates_keep_every_match) {
    static const struct { const char *re, *value; int want; } cases[] = {
        {"ping\\s+-n.{6,64}echo EEEE\\s?>", "ping -n 1 127.0.0.1 & echo EEEE > x", 1},
        {"ping\\s+-n.{6,64}echo EEEE\\s?>", "ping -n 1 127.0.0.1 & echo EEE > x", 0},
        {"a(b|c)?d\\.exe", "xad.exe", 1},
        {"a(b|c)?d\\.exe", "abd.exe", 1},
        {"foo|barbaz", "xbarbazx", 1},
        {"(?x) a b c d", "abcd", 1},
        {"colou?r-code", "color-code", 1},
        {"(?i)INVOKE-expression", "iNvOkE-ExPrEsSiOn", 1},
        {"x\\)y+zzz[)]w", "x)yyyzzz)w", 1},
        {"abcde*f", "abcdf", 1},
        {".{10,}", "0123456789", 1},           /* the digits of a quantifier are not text */
        {"ab{2}c", "abbc", 1},
        {"x{1000,}", "xxxx", 0},
        /* one character gates too: PowerShell token obfuscation needs a backtick */
        {"\\w+`(?:\\w+|-|.)`[\\w+|\\s]", "IN`V`o`Ke-Expression", 1},
        {"\\w+`(?:\\w+|-|.)`[\\w+|\\s]", "Invoke-Expression", 0},
        /* an escape's argument is not text: \x41 is "A", not "41" */
        {"\\x41bc-tool", "xAbc-tool", 1},
        {"\\x{4a}ump-tool", "Jump-tool", 1},
        {"\\p{Latin}ab-tool", "zab-tool", 1},
        {"\\pLab-tool", "zab-tool", 1},
        {"\\cAbc-tool", "\\u0001bc-tool", 1},
        {"(ab)\\1cd-tool", "ababcd-tool", 1},
        {"(?<n>ab)\\k<n>cd-tool", "ababcd-tool", 1},
        {"(ab)\\g{1}cd-tool", "ababcd-tool", 1},
        {"\\N{U+0041}bc-tool", "Abc-tool", 1},
        {"\\o{101}bc-tool", "Abc-tool", 1},
        {"\\Qa.b\\E-tool", "a.b-tool", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char item[256];
        snprintf(item, sizeof item, "CommandLine|re: '%s'", cases[i].re);
        int n = process_detections(item, "CommandLine", cases[i].value);
        if (n != cases[i].want)
            harness_fail(__FILE__, __LINE__, "regex '%s' on '%s': %d detections, expected %d", cases[i].re,
                         cases[i].value, n, cases[i].want);
    }
}

/* ASCII literals are scanned caseless on the raw text; non-ASCII ones also on the folded text of
 * non-ASCII values. Start, end and whole-value hits must come out as full folding would give them,
 * also when multi-byte characters sit before the literal. */
TEST(engine_prefilter_case_folding_keeps_every_match) {
    static const item_case cases[] = {
        {"Image|endswith: '\\\\cmd.exe'", "C:\\\\WINDOWS\\\\CMD.EXE", 1},
        {"Image|endswith: '\\\\cmd.exe'", "C:\\\\Ünïcödé\\\\Cmd.Exe", 1},
        {"Image|endswith: '\\\\cmd.exe'", "C:\\\\Ünïcödé\\\\Cmd.Exe.bak", 0},
        {"Image|startswith: 'c:\\\\ü'", "C:\\\\Ünïcödé\\\\x.exe", 1},
        {"Image: 'c:\\\\ünï\\\\a.exe'", "C:\\\\ÜNÏ\\\\A.EXE", 1},
        {"Image: 'c:\\\\ünï\\\\a.exe'", "C:\\\\ÜNÏ\\\\A.EXEX", 0},
        {"CommandLine|contains: 'АДМИН'", "net user админ /add", 1},
        {"CommandLine|contains: 'админ'", "NET USER АДМИН /ADD", 1},
        {"CommandLine|contains: 'админ'", "NET USER ADMIN /ADD", 0},
        {"CommandLine|contains|all: ['ΣΑΒ', 'Invoke']", "σαβ iNVOKE", 1},
        {"CommandLine|contains|cased: 'Invoke'", "INVOKE", 0},
        {"CommandLine|contains|cased: 'Invoke'", "é Invoke", 1},
        /* folding can turn non-ASCII into ASCII and change lengths: such values are scanned folded */
        {"CommandLine|endswith: 'kerberos'", "x \xe2\x84\xaa" "ERBEROS", 1},  /* U+212A KELVIN SIGN */
        {"CommandLine|startswith: 'system'", "\xc5\xbfYSTEM32", 1},         /* U+017F LONG S */
        {"CommandLine: 'ⱥb'", "ȺB", 1},                                   /* 2 bytes fold to 3 */
        {"CommandLine|endswith: 'ab'", "ȺAB", 1},
    };
    check_item_cases(cases, sizeof cases / sizeof *cases, __LINE__);
}

/* The scan reports a literal's first occurrence only; where a later one sits (the end, or the
 * whole value only as the first) must still decide endswith, startswith and equality. */
TEST(engine_prefilter_repeated_literal_keeps_start_end_and_whole) {
    static const item_case cases[] = {
        {"Image|endswith: '.exe'", "C:\\\\a.exe\\\\b.EXE", 1},             /* first occurrence mid-value */
        {"Image|endswith: '.exe'", "C:\\\\a.exe\\\\b.exe.txt", 0},
        {"Image|endswith: 'aa'", "aaa", 1},                              /* overlapping occurrences */
        {"Image|startswith: 'ab'", "xab ab", 0},                         /* later occurrence is not a start */
        {"Image|startswith: 'ab'", "AB xab", 1},
        {"Image: 'abab'", "ababab", 0},
        {"Image: 'abab'", "ABAB", 1},
        {"Image|endswith: '@x'", "@x `X", 0},                            /* '@'/'`' differ by 0x20, not letters */
        {"Image|endswith: 'ä.exe'", "Ä.EXE Ä.EXE", 1},                   /* folded text, non-ASCII literal */
        {"CommandLine|contains|all: ['ntdll.dll+', '|unknown']", "C:\\\\ntdll.dll+1|C:\\\\ntdll.dll+2|UNKNOWN(0)", 1},
    };
    check_item_cases(cases, sizeof cases / sizeof *cases, __LINE__);
}

/* Routes one event with the shared scanner and with a fresh one; both must find the same number
 * of detections, and `want` of them unless it is -1. */
static void check_key_event(scan_ctx *shared, const socfeed_engine *e, const char *event, int want, size_t i,
                            int line) {
    scan_ctx fresh = {socfeed_scanner_new(e), {0, ""}};
    socfeed_json_read_buffer("e.json", event, strlen(event), NULL, on_event, &fresh, NULL, NULL);
    int before = shared->h.n;
    socfeed_json_read_buffer("e.json", event, strlen(event), NULL, on_event, shared, NULL, NULL);
    if (shared->h.n - before != fresh.h.n || (want >= 0 && fresh.h.n != want))
        harness_fail(__FILE__, line, "event %zu: %d detections with the remembered key, %d fresh, %d expected", i,
                     shared->h.n - before, fresh.h.n, want);
    socfeed_scanner_free(fresh.s);
}

/* The scanner remembers recent Channel/EventID keys, their routes and the alternative each took.
 * Alternating and repeated keys, an EventID given as a list (no key), a channel change, and more
 * keys than it keeps (so remembered ones are replaced, and keys share a slot) must route exactly
 * as a fresh scanner routes each event alone. */
TEST(routing_remembered_key_routes_as_a_fresh_scanner) {
    acme_engine a;
    acme_open(&a, "      - conditions: {Channel: 'Acme/App', EventID: 7}\n        fields: {Who: 'User'}\n"
                  "      - conditions: {Channel: 'Acme/App', EventID: 8}\n        fields: {Who: 'Person'}\n");
    static const char *const events[] = {
        "{\"Channel\":\"Acme/App\",\"EventID\":7,\"User\":\"bob\"}",   /* alternative 1: User */
        "{\"Channel\":\"Acme/App\",\"EventID\":7,\"User\":\"bob\"}",   /* same key again */
        "{\"Channel\":\"Acme/App\",\"EventID\":8,\"Person\":\"bob\"}", /* alternative 2: Person */
        "{\"Channel\":\"Acme/App\",\"EventID\":8,\"User\":\"bob\"}",
        "{\"Channel\":\"Acme/App\",\"EventID\":7,\"Person\":\"bob\"}",
        "{\"Channel\":\"Acme/App\",\"EventID\":\"7\",\"User\":\"bob\"}", /* the same key as text */
        "{\"Channel\":\"Acme/App\",\"EventID\":[8, 7],\"Person\":\"bob\"}",
        "{\"Channel\":\"Acme/App\",\"EventID\":[8, 7],\"User\":\"bob\"}",
        "{\"Channel\":\"Other\",\"EventID\":7,\"User\":\"bob\"}",
        "{\"Channel\":\"Acme/App\",\"User\":\"bob\"}",
        "{\"Channel\":\"Acme/App\",\"EventID\":7,\"User\":\"bob\"}",
    };
    static const int want[] = {1, 1, 1, 0, 0, 1, -1, -1, 0, 0, 1}; /* -1: as a fresh scanner says */
    scan_ctx shared = {socfeed_scanner_new(a.e), {0, ""}};
    for (size_t i = 0; i < sizeof events / sizeof *events; i++) check_key_event(&shared, a.e, events[i], want[i], i, __LINE__);
    /* 64 other keys as long as the routed ones (the other one-digit EventIDs, and channels of the
     * same length with EventID 7), so that some share a slot with them; each is followed by one
     * of the routed keys with the field of the other alternative or of its own. */
    static const int unrouted_eids[] = {0, 1, 2, 3, 4, 5, 6, 9};
    for (int k = 0; k < 64; k++) {
        char other[128], routed[128];
        if (k % 2)
            snprintf(other, sizeof other, "{\"Channel\":\"Acme/App\",\"EventID\":%d,\"User\":\"bob\"}",
                     unrouted_eids[(k / 2) % 8]);
        else
            snprintf(other, sizeof other, "{\"Channel\":\"Acme/A%02d\",\"EventID\":7,\"User\":\"bob\"}", k);
        int eid = 7 + k % 2;
        bool own = (k / 2) % 2 == 0; /* 7 names the field User, 8 names it Person */
        snprintf(routed, sizeof routed, "{\"Channel\":\"Acme/App\",\"EventID\":%d,\"%s\":\"bob\"}", eid,
                 (eid == 7) == own ? "User" : "Person");
        check_key_event(&shared, a.e, other, 0, 100 + 2 * (size_t)k, __LINE__);
        check_key_event(&shared, a.e, routed, own ? 1 : 0, 101 + 2 * (size_t)k, __LINE__);
    }
    socfeed_scanner_free(shared.s);
    acme_close(&a);
}

/* The keyword scan runs last and only when a rule gated on keywords has its other gates open:
 * `EventID and keywords` must still match when both hold, whatever the order of the scans, and a
 * rule gated on keywords alone must never be skipped. */
TEST(engine_prefilter_keyword_scan_after_the_other_gates) {
    const char *both = RULE("  product: windows\n  service: system\n",
                            "  sel:\n    EventID: 5805\n  keywords:\n    - kali\n  condition: sel and keywords\n");
    const char *alone = RULE("  product: windows\n  service: system\n", "  keywords:\n    - mimikatz\n  condition: keywords\n");
    CHECK_EQ_INT(scanner_detections(both, "{\"Channel\":\"System\",\"EventID\":5805,\"Data\":\"from kali\"}"), 1);
    CHECK_EQ_INT(scanner_detections(both, "{\"Channel\":\"System\",\"EventID\":5805,\"Data\":\"from ubuntu\"}"), 0);
    CHECK_EQ_INT(scanner_detections(both, "{\"Channel\":\"System\",\"EventID\":7036,\"Data\":\"from kali\"}"), 0);
    CHECK_EQ_INT(scanner_detections(alone, "{\"Channel\":\"System\",\"EventID\":7036,\"Data\":[\"x\",\"MIMIKATZ\"]}"), 1);
    CHECK_EQ_INT(scanner_detections(alone, "{\"Channel\":\"System\",\"EventID\":7036,\"Data\":\"x\"}"), 0);
}

/* A general wildcard value (`*`, `?` inside) is skipped when the scan did not see the literal
 * every match needs, and matched by its wildcard matcher when it did. */
TEST(engine_prefilter_general_glob_needs_its_literal) {
    static const item_case cases[] = {
        {"CommandLine|contains: ' -e* JAB'", "powershell -enc JABzAD0A", 1},
        {"CommandLine|contains: ' -e* JAB'", "powershell -ec x jabz", 1},      /* folded, * spans */
        {"CommandLine|contains: ' -e* JAB'", "powershell -enc JAX", 0},        /* literal absent */
        {"CommandLine|contains: ' -e* JAB'", "JAB powershell -enc", 0},        /* literal present, order wrong */
        {"CommandLine|contains: 'a?c-long-literal'", "xxabc-long-literalxx", 1},
        {"CommandLine|contains: 'a?c-long-literal'", "xxac-long-literalxx", 0}, /* ? is one character */
        {"CommandLine|contains: 'a?c-long-literal'", "xxa\xc3\xa9" "c-long-literalxx", 1}, /* one code point */
        {"Image|endswith: '\\\\sys*\\\\cmd.exe'", "C:\\\\Windows\\\\System32\\\\CMD.EXE", 1},
        {"Image|endswith: '\\\\sys*\\\\cmd.exe'", "C:\\\\Windows\\\\cmd.exe", 0},
    };
    check_item_cases(cases, sizeof cases / sizeof *cases, __LINE__);
}

/* A regex with a YAML "\0" inside gives no gate: the literal scan of a pattern stops at the NUL and
 * could miss a `|` after it (`abcdef\0|cd` matches "cd"). */
TEST(engine_prefilter_regex_with_a_nul_has_no_gate) {
    const char *rule = RULE("  product: windows\n  category: process_creation\n",
                            "  sel:\n    CommandLine|re: \"abcdef\\0|cd\"\n  condition: sel\n");
    CHECK_EQ_INT(scanner_detections(rule, "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1,\"CommandLine\":\"xxcdyy\"}"), 1);
    CHECK_EQ_INT(scanner_detections(rule, "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1,\"CommandLine\":\"xx-ab-yy\"}"), 0);
}

typedef struct titles_ctx {
    socfeed_scanner *s;
    char out[256];
} titles_ctx;

static int on_title(void *p, const socfeed_hit *h) {
    titles_ctx *c = p;
    strncat(c->out, h->rule->title.s, sizeof c->out - strlen(c->out) - 2);
    strcat(c->out, " ");
    return 0;
}

static int on_titles_event(void *p, const socfeed_event *ev) {
    titles_ctx *c = p;
    socfeed_scanner_event(c->s, ev, NULL, on_title, c, NULL);
    return 0;
}

/* Titles of the rules detecting `ev` (each followed by a space), with the prefilter on or off; the
 * number of rule evaluations the scanner ran goes to *evaluated unless it is NULL. */
static void detected_titles_counted(const char *rules, const char *ev, bool no_prefilter, char out[256],
                                    uint64_t *evaluated) {
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_buffer(rs, "t.yml", rules, strlen(rules));
    socfeed_ruleset_finalize(rs);
    socfeed_engine_options opt = {.no_prefilter = no_prefilter};
    socfeed_engine *e = socfeed_engine_new(rs, &opt, NULL);
    titles_ctx c = {socfeed_scanner_new(e), ""};
    socfeed_json_read_buffer("e.json", ev, strlen(ev), NULL, on_titles_event, &c, NULL, NULL);
    memcpy(out, c.out, sizeof c.out);
    if (evaluated) {
        socfeed_scanner_stats st;
        socfeed_scanner_get_stats(c.s, &st);
        *evaluated = st.rules_evaluated;
    }
    socfeed_scanner_free(c.s);
    socfeed_engine_free(e);
    socfeed_ruleset_free(rs);
}

static void detected_titles(const char *rules, const char *ev, bool no_prefilter, char out[256]) {
    detected_titles_counted(rules, ev, no_prefilter, out, NULL);
}

#define PROCESS_ACCESS(title, detection) \
    "title: " title "\nlogsource:\n  product: windows\n  category: process_access\ndetection:\n" detection "---\n"

/* Long values (>= 256 bytes) of a field whose literals mostly need another field too are scanned
 * for their solo literals first and in full only when needed (prefilter.c, deferred fields). Each
 * way a rule can depend on such a field must still detect exactly what the plain engine detects:
 * a solo literal; a gate beside one on a short field; two gates in two deferred fields; a keyword
 * beside a deferred field; a value literal read by a rule that is always a candidate. */
TEST(engine_prefilter_deferred_long_values_keep_every_match) {
    /* Two sets: in the second, a deferred field (the keywords, a long SourceUser) can open a
     * gate of a rule that also needs CallTrace, which then is always scanned in full. */
    const char *first =
        PROCESS_ACCESS("solo", "  sel:\n    CallTrace|contains: 'cmlua.dll'\n  condition: sel\n")
        PROCESS_ACCESS("beside-short", "  sel:\n    TargetImage|endswith: '\\lsass.exe'\n    CallTrace|contains: 'dbghelp.dll'\n  condition: sel\n")
        PROCESS_ACCESS("always", "  sel:\n    CallTrace|contains: '*'\n  filter:\n    CallTrace|contains: 'ntdll.dll'\n  condition: sel and not filter\n")
        PROCESS_ACCESS("other", "  sel:\n    CallTrace|contains:\n      - 'padding-literal-1'\n      - 'padding-literal-2'\n    TargetImage: 'nothing-like-it'\n  condition: sel\n");
    const char *second =
        PROCESS_ACCESS("two-deferred", "  sel:\n    CallTrace|contains: 'first-literal'\n    SourceUser|contains: 'second-literal'\n  condition: sel\n")
        PROCESS_ACCESS("keyword", "  sel:\n    CallTrace|contains: 'third-literal'\n  kw:\n    - 'keyword-literal'\n  condition: sel and kw\n")
        PROCESS_ACCESS("solo", "  sel:\n    CallTrace|contains: 'cmlua.dll'\n  condition: sel\n")
        PROCESS_ACCESS("other", "  sel:\n    CallTrace|contains:\n      - 'padding-literal-1'\n      - 'padding-literal-2'\n    TargetImage: 'nothing-like-it'\n  condition: sel\n");
    char pad[300];
    memset(pad, 'x', sizeof pad - 1);
    pad[sizeof pad - 1] = 0;
    static const struct {
        bool second;
        const char *target, *trace, *user;
        bool long_user;
        const char *want;
    } cases[] = {
        {false, "C:\\\\Windows\\\\explorer.exe", "cmlua.dll|ntdll.dll", "u", false, "solo "},
        {false, "C:\\\\Windows\\\\explorer.exe", "cmlua.dll", "u", false, "solo always "},
        {false, "C:\\\\Windows\\\\lsass.exe", "dbghelp.dll|ntdll.dll", "u", false, "beside-short "},
        {false, "C:\\\\Windows\\\\explorer.exe", "dbghelp.dll|ntdll.dll", "u", false, ""},
        {false, "x", "no dll here", "u", false, "always "},
        {false, "x", "ntdll.dll", "u", false, ""},
        {true, "x", "first-literal", "second-literal", true, "two-deferred "},
        {true, "x", "first-literal", "nobody", true, ""},
        {true, "keyword-literal", "third-literal", "u", false, "keyword "},
        {true, "x", "third-literal", "u", false, ""},
        {true, "x", "cmlua.dll", "u", false, "solo "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char ev[2048], with[256], without[256];
        /* a long trace (deferred), and a long user where both are needed */
        snprintf(ev, sizeof ev,
                 "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":10,\"TargetImage\":\"%s\","
                 "\"CallTrace\":\"%s|%s\",\"SourceUser\":\"%s %s\"}",
                 cases[i].target, pad, cases[i].trace, cases[i].long_user ? pad : "", cases[i].user);
        detected_titles(cases[i].second ? second : first, ev, false, with);
        detected_titles(cases[i].second ? second : first, ev, true, without);
        if (strcmp(with, cases[i].want) || strcmp(without, cases[i].want))
            harness_fail(__FILE__, __LINE__, "case %zu (trace '%s'): '%s' with the prefilter, '%s' without, expected '%s'",
                         i, cases[i].trace, with, without, cases[i].want);
    }
}

/* Each detection as "event:rule " in order, and the scanner's statistics. */
typedef struct hit_log {
    char text[256];
    size_t event;
} hit_log;

static int log_hit(void *p, const socfeed_hit *h) {
    hit_log *l = p;
    size_t len = strlen(l->text);
    snprintf(l->text + len, sizeof l->text - len, "%zu:%zu ", l->event, h->rule_index);
    return 0;
}

typedef struct logged_scan {
    socfeed_scanner *s;
    hit_log *log;
} logged_scan;

static int scan_logging_hits(void *p, const socfeed_event *ev) {
    logged_scan *c = p;
    socfeed_scanner_event(c->s, ev, NULL, log_hit, c->log, NULL);
    return 0;
}

/* A scanner remembers what a literal database found in a value and replays it when the same value
 * comes again (scan_memo.h). The replay must give the same detections as the scan: the same
 * positions (starts-with, ends-with), nothing when the literals occur elsewhere in the value, and
 * never the hits of another field's database for the same text. Values are long enough for the
 * database scan (short ones are compared literal by literal). */
TEST(engine_prefilter_remembered_scans_detect_as_the_scan_does) {
    const char *rules = RULE("  product: windows\n  category: process_creation\n",
                             "  sel:\n    CommandLine|endswith: '\\evil.exe'\n  condition: sel\n")
        "---\n" RULE("  product: windows\n  category: process_creation\n",
                     "  sel:\n    CommandLine|startswith: 'run '\n  condition: sel\n")
        "---\n" RULE("  product: windows\n  category: process_creation\n",
                     "  sel:\n    Image|contains: 'zzz'\n  condition: sel\n");
#define PAD "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define BOTH_ENDS "run " PAD " C:\\\\evil.exe"
#define MIDDLE "C:\\\\evil.exe " PAD " run  x"
    const char *events[] = {
        "\"CommandLine\":\"" BOTH_ENDS "\"",
        "\"CommandLine\":\"" BOTH_ENDS "\"",   /* replayed */
        "\"CommandLine\":\"" MIDDLE "\"",
        "\"CommandLine\":\"" MIDDLE "\"",      /* replayed: still no detection */
        "\"Image\":\"" BOTH_ENDS "\"",         /* same text, Image's database */
        "\"CommandLine\":\"" BOTH_ENDS "\",\"Image\":\"" PAD "zzz\"",
    };
#undef PAD
#undef BOTH_ENDS
#undef MIDDLE
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_buffer(rs, "t.yml", rules, strlen(rules));
    socfeed_ruleset_finalize(rs);
    CHECK_EQ_INT(socfeed_ruleset_count(rs), 3);
    socfeed_engine *e = socfeed_engine_new(rs, NULL, NULL);
    socfeed_scanner *s = socfeed_scanner_new(e);
    hit_log log = {"", 0};
    for (size_t i = 0; i < sizeof events / sizeof *events; i++) {
        const char *ev = sysmon(1, events[i]);
        log.event = i;
        logged_scan c = {s, &log};
        socfeed_json_read_buffer("e.json", ev, strlen(ev), NULL, scan_logging_hits, &c, NULL, NULL);
    }
    CHECK_EQ_STR(log.text, "0:0 0:1 1:0 1:1 5:0 5:1 5:2 ");
    socfeed_scanner_stats st;
    socfeed_scanner_get_stats(s, &st);
    CHECK_EQ_INT(st.values_scanned, 7);
    CHECK_EQ_INT(st.values_remembered, 3);
    socfeed_scanner_free(s);
    socfeed_engine_free(e);
    socfeed_ruleset_free(rs);
}

/* An event and the titles it should be detected by (each followed by a space). */
typedef struct titles_case {
    const char *ev, *want;
} titles_case;

/* Each case with the prefilter on and off: both must give what it wants. */
static void check_titles_both_ways(const char *rules, const titles_case *cases, size_t n, int line) {
    for (size_t i = 0; i < n; i++) {
        char with[256], without[256];
        detected_titles(rules, cases[i].ev, false, with);
        detected_titles(rules, cases[i].ev, true, without);
        if (strcmp(with, cases[i].want) != 0 || strcmp(without, cases[i].want) != 0)
            harness_fail(__FILE__, line, "case %zu: '%s' with the prefilter, '%s' without; want '%s'", i, with,
                         without, cases[i].want);
    }
}

/* The keyword field is scanned as all of the event's values joined (scan_keywords): a keyword in a
 * nested list, in a value that must be folded (non-ASCII), in a number, or near the end of a long
 * event opens the gate; one only in "#attributes", or split over two values, does not match. Each
 * case agrees with the prefilter off. */
TEST(engine_prefilter_keywords_over_joined_values) {
    const char *rule = "title: kw\nlogsource:\n  product: windows\n  service: system\ndetection:\n"
                       "  keywords:\n    - mimikatz\n    - \"\\u00e4bc-tool\"\n    - '4625'\n"
                       "    - 'sekurlsa::logonpasswords'\n  condition: keywords\n";
#define SYS(fields) "{\"Channel\":\"System\",\"EventID\":7036," fields "}"
#define LONG "\"0123456789012345678901234567890123456789012345678901234567890123456789\""
    static const titles_case cases[] = {
        {SYS("\"Data\":[\"x\",[\"y\",\"MIMIKATZ\"]]"), "kw "},
        {SYS("\"Data\":\"run \\u00c4BC-TOOL now\""), "kw "},
        {SYS("\"Data\":\"x\",\"Code\":4625"), "kw "},
        {SYS("\"A\":" LONG ",\"B\":" LONG ",\"C\":\"y sekurlsa::LogonPasswords\""), "kw "},
        {SYS("\"Provider\":{\"#attributes\":{\"Name\":\"mimikatz\"}}"), ""},
        {SYS("\"A\":\"sekurlsa::\",\"B\":\"logonpasswords\""), ""},
        {SYS("\"A\":" LONG ",\"B\":" LONG), ""},
    };
#undef SYS
#undef LONG
    check_titles_both_ways(rule, cases, sizeof cases / sizeof *cases, __LINE__);
}

/* A few keywords that only a string can hold (a backslash, a colon, letters no number or boolean
 * has) are looked for value by value from their first non-letter byte: found at the start, the
 * end and inside a value, in nested arrays, in a folded non-ASCII value and caseless; never in
 * "#attributes", across two values, or where the anchor byte occurs without the literal fitting
 * around it. A real number opens the gates without making the rule match. */
TEST(engine_prefilter_keywords_searched_value_by_value) {
    const char *rule = "title: kw\nlogsource:\n  product: windows\n  service: system\ndetection:\n"
                       "  keywords:\n    - '\\perfc.dat'\n    - mimikatz\n    - \"\\u00e4bc:tool\"\n"
                       "  condition: keywords\n";
#define SYS(fields) "{\"Channel\":\"System\",\"EventID\":7036," fields "}"
    static const titles_case cases[] = {
        {SYS("\"Data\":\"C:\\\\Windows\\\\PERFC.DAT\""), "kw "},
        {SYS("\"Data\":\"\\\\perfc.dat is here\""), "kw "},
        {SYS("\"Data\":[\"x\",[\"y\",\"a\\\\\\\\b\\\\perfc.datz\"]]"), "kw "},
        {SYS("\"Data\":\"perfc.dat\",\"More\":\"perfc\\\\.dat\""), ""},
        {SYS("\"A\":\"x\\\\perf\",\"B\":\"c.dat\""), ""},
        {SYS("\"Provider\":{\"#attributes\":{\"Name\":\"\\\\perfc.dat\"}}"), ""},
        {SYS("\"Data\":\"run MimiKatz now\""), "kw "},
        {SYS("\"Data\":\"mimikat\",\"Code\":4625,\"On\":true"), ""},
        {SYS("\"Data\":\"run \\u00c4BC:TOOL\""), "kw "},
        {SYS("\"Data\":\"run \\u00c4BC-TOOL\",\"Ratio\":1.5"), ""},
    };
#undef SYS
    check_titles_both_ways(rule, cases, sizeof cases / sizeof *cases, __LINE__);
}

/* An item whose values are all simple globs of its route's scan is decided in one pass over their
 * literals (pf_item_matches): each kind (contains, starts, ends, whole value) at its place only,
 * a list of many values, |neq, a multi-valued field, and a field absent, null or an object. Each
 * case agrees with the prefilter off, which takes the values one by one. */
TEST(engine_prefilter_compact_items_match_as_their_values) {
    const char *rules =
        "title: list\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n"
        "  sel:\n    Image|endswith: ['\\a1.exe', '\\a2.exe', '\\a3.exe', '\\a4.exe', '\\target.exe']\n"
        "  condition: sel\n---\n"
        "title: kinds\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n"
        "  c:\n    CommandLine|contains: ' -secret-flag '\n  s:\n    CommandLine|startswith: 'launch-'\n"
        "  w:\n    CommandLine: 'whole-value-only'\n  condition: 1 of them\n---\n"
        "title: neq\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n"
        "  sel:\n    Image|endswith: '.exe'\n  f:\n    User|neq: ['alice-admin', 'bob-admin']\n  condition: sel and f\n";
#define P(fields) "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1," fields "}"
    static const titles_case cases[] = {
        {P("\"Image\":\"C:\\\\x\\\\TARGET.EXE\",\"User\":\"alice-admin\""), "list "},
        {P("\"Image\":\"C:\\\\x\\\\target.exe.bak\",\"User\":\"carol\""), ""},
        {P("\"Image\":\"C:\\\\x\\\\a3.exe\",\"User\":\"carol\""), "list neq "},
        {P("\"Image\":[\"C:\\\\x\\\\b.dll\",\"C:\\\\x\\\\a1.exe\"],\"User\":\"bob-admin\""), "list "},
        {P("\"Image\":null,\"User\":\"carol\""), ""},
        {P("\"Image\":{\"k\":\"\\\\a1.exe\"},\"User\":\"carol\""), ""},
        {P("\"CommandLine\":\"run -secret-flag now\""), "kinds "},
        {P("\"CommandLine\":\"run -secret-flag\""), ""},
        {P("\"CommandLine\":\"launch-x\""), "kinds "},
        {P("\"CommandLine\":\"x launch-x\""), ""},
        {P("\"CommandLine\":\"WHOLE-VALUE-ONLY\""), "kinds "},
        {P("\"CommandLine\":\"a whole-value-only\""), ""},
        {P("\"CommandLine\":[\"x\",\"whole-value-only\"]"), "kinds "},
    };
#undef P
    check_titles_both_ways(rules, cases, sizeof cases / sizeof *cases, __LINE__);
}

/* One-byte literals are left out of the field's database and looked for beside it (scan_bytes: a
 * table of a short value's bytes, memchr over a long one): a letter caseless, at the start, at the
 * end, as the whole value, only inside, in an element of a multi-valued field, beside a longer
 * literal of the same field; against the prefilter off. */
TEST(engine_prefilter_one_byte_literals_beside_the_database) {
    const char *rules =
        "title: any\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n"
        "  sel:\n    CommandLine|contains: 'q'\n  condition: sel\n---\n"
        "title: start\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n"
        "  sel:\n    CommandLine|startswith: '-'\n  condition: sel\n---\n"
        "title: end\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n"
        "  sel:\n    CommandLine|endswith: ':'\n  condition: sel\n---\n"
        "title: whole\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n"
        "  sel:\n    CommandLine: '7'\n  condition: sel\n---\n"
        "title: long\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n"
        "  sel:\n    CommandLine|contains: 'long-literal'\n  condition: sel\n";
#define P(value) "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1,\"CommandLine\":" value "}"
#define PAD "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" /* long enough for the database, not a one-by-one search */
    static const titles_case cases[] = {
        {P("\"x" PAD "Qx\""), "any "},
        {P("\"ab" PAD "c\""), ""},
        {P("\"-run" PAD "\""), "start "},
        {P("\"run" PAD " -x\""), ""},
        {P("\"a:b" PAD ":\""), "end "},
        {P("\"a:" PAD "b\""), ""},
        {P("\"7\""), "whole "},
        {P("\"7" PAD "7\""), ""},
        {P("\"Q\""), "any "},
        {P("\"-\""), "start "},
        {P("\"-" PAD ":\""), "start end "},
        {P("\"LONG-LITERAL " PAD " -q:\""), "any end long "},
        {P("[\"x\",\"-y" PAD "\"]"), "start "},
        {P("[\"" PAD "a:\",\"b\",\"7\"]"), "end whole "},
        {P("\"\""), ""},
        /* 256 bytes and more: memchr per literal instead of the table */
        {P("\"x" PAD PAD PAD PAD PAD PAD PAD PAD PAD "Qx\""), "any "},
        {P("\"-run" PAD PAD PAD PAD PAD PAD PAD PAD PAD "\""), "start "},
        {P("\"ab" PAD PAD PAD PAD PAD PAD PAD PAD PAD "c:\""), "end "},
        {P("\"7" PAD PAD PAD PAD PAD PAD PAD PAD PAD "7\""), ""},
    };
#undef PAD
#undef P
    check_titles_both_ways(rules, cases, sizeof cases / sizeof *cases, __LINE__);
}

#define PROC(title, detection) \
    "title: " title "\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n" detection "---\n"

/* Vetoes (prefilter.c): a literal whose occurrence makes a rule false keeps it from being a
 * candidate. Rules that name no literal they need: negated filters (a list item, null, an OR of
 * items, an AND of items, which gives no veto), an |endswith list whose literal occurs only
 * inside the value, |neq in a conjunct, a field reference, a list of conditions (OR-ed: no veto),
 * `not (a or b)` against `not (a and c)`, a multi-valued field. Each case agrees with the
 * prefilter off; and the vetoes do keep rules from being evaluated. */
TEST(engine_prefilter_vetoes_reject_as_evaluation_does) {
    const char *rules =
        PROC("missing", "  filter_main:\n    Image|contains: '\\'\n  filter_opt_null:\n    Image: null\n"
                        "  filter_opt_names:\n    - Image: ['System', 'Registry']\n    - CommandLine: 'vmmem'\n"
                        "  condition: not 1 of filter_main* and not 1 of filter_opt_*\n")
        PROC("ext", "  known:\n    Image|endswith: ['.exe', '.com']\n"
                    "  filter_both:\n    Image|contains: ':\\Windows\\Installer\\'\n    Image|endswith: '.rbf'\n"
                    "  filter_user:\n    User|neq: 'builder'\n  condition: not known and not 1 of filter_*\n")
        PROC("neq", "  sel:\n    User|neq: 'builder'\n  ref:\n    Image|fieldref: ParentImage\n  condition: sel and ref\n")
        PROC("two-conds", "  known:\n    Image|endswith: '.exe'\n  other:\n    CommandLine|contains: 'never-there'\n"
                          "  condition:\n    - not known\n    - other\n")
        PROC("or-not", "  a:\n    CommandLine|startswith: 'alpha'\n  b:\n    CommandLine|contains: 'beta'\n"
                       "  c:\n    Image|endswith: '\\gamma.exe'\n  condition: not (a or b) and not (a and c)\n");
#define P(fields) "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1," fields "}"
    static const titles_case cases[] = {
        {P("\"Image\":\"C:\\\\x\\\\tool.exe\",\"User\":\"carol\",\"CommandLine\":\"run\",\"ParentImage\":\"C:\\\\y\\\\p.exe\""), "or-not "},
        {P("\"Image\":\"C:\\\\x.exe\\\\run.bin\",\"User\":\"builder\",\"CommandLine\":\"beta stuff\",\"ParentImage\":\"C:\\\\x.exe\\\\run.bin\""), "ext two-conds "},
        {P("\"Image\":\"Registry\",\"User\":\"alice\",\"CommandLine\":\"vmmem\",\"ParentImage\":\"Registry\""), "neq two-conds or-not "},
        {P("\"Image\":\"mystery\",\"User\":\"alice\",\"CommandLine\":\"alphabet\""), "missing two-conds "},
        {P("\"Image\":[\"C:\\\\a\\\\b.dll\",\"solo\"],\"User\":\"builder\",\"CommandLine\":\"x\",\"ParentImage\":\"zzz\""), "ext two-conds or-not "},
        {P("\"Image\":\"C:\\\\Windows\\\\Installer\\\\x.rbf\",\"User\":\"builder\",\"CommandLine\":\"y\""), "two-conds or-not "},
        {P("\"Image\":\"C:\\\\Windows\\\\Installer\\\\x.msi\",\"User\":\"builder\",\"CommandLine\":\"y\""), "ext two-conds or-not "},
        {P("\"Image\":\"C:\\\\x\\\\gamma.exe\",\"User\":\"carol\",\"CommandLine\":\"zeta\",\"ParentImage\":\"p\""), "or-not "},
        {P("\"Image\":\"C:\\\\x\\\\gamma.exe\",\"CommandLine\":\"alpha and beta\""), ""},
        {P("\"Image\":\"C:\\\\x\\\\tool.exe\",\"User\":\"carol\",\"CommandLine\":\"never-there\""), "two-conds or-not "},
    };
    check_titles_both_ways(rules, cases, sizeof cases / sizeof *cases, __LINE__);
    /* the first event: "missing" (a backslash in Image) and "ext" (Image ends in .exe) are vetoed;
     * the other three are evaluated, as all five are without the prefilter */
    for (int off = 0; off < 2; off++) {
        char titles[256];
        uint64_t evaluated = 0;
        detected_titles_counted(rules, cases[0].ev, off, titles, &evaluated);
        CHECK_EQ_INT(evaluated, off ? 5 : 3);
    }
#undef P
}
#undef PROC

typedef struct path_scan {
    socfeed_scanner *s;
    const char *path;
    size_t hits;
} path_scan;

static int scan_with_path(void *p, const socfeed_event *ev) {
    path_scan *c = p;
    c->hits += socfeed_scanner_event(c->s, ev, c->path, NULL, NULL, NULL);
    return 0;
}

/* An entry without a Channel (Linux log files) is chosen by the input's path, once per path: one
 * scanner taking events from matching and other paths in turn, and from no path, detects exactly
 * in the matching ones, and counts the route's rule as skipped in the others; an alternative with
 * conditions still takes events of any path. */
TEST(routing_source_entries_follow_the_input_path) {
    static const struct {
        const char *alternatives;
        bool other_path_by_channel;
    } entries[] = {
        {"      - sources: ['File:*/acme/app.log*']\n", false},
        {"      - sources: ['File:*/acme/app.log*']\n      - conditions: {Channel: 'Acme/App'}\n", true},
    };
    static const struct {
        const char *path;
        bool matches;
    } inputs[] = {
        {"/var/log/acme/app.log", true},  {"/tmp/other.json", false}, {"/var/log/acme/app.log.1", true},
        {NULL, false},                    {"/var/log/acme/app.log", true},
    };
    const char *ev = "{\"Channel\":\"Acme/App\",\"Who\":\"bob\"}\n";
    for (size_t k = 0; k < sizeof entries / sizeof *entries; k++) {
        acme_engine a;
        acme_open(&a, entries[k].alternatives);
        path_scan c = {socfeed_scanner_new(a.e), NULL, 0};
        for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
            c.path = inputs[i].path;
            c.hits = 0;
            socfeed_scanner_stats before, after;
            socfeed_scanner_get_stats(c.s, &before);
            socfeed_json_read_buffer("e.json", ev, strlen(ev), NULL, scan_with_path, &c, NULL, NULL);
            socfeed_scanner_get_stats(c.s, &after);
            bool want = inputs[i].matches || entries[k].other_path_by_channel;
            if (c.hits != (want ? 1u : 0u) || after.rules_skipped - before.rules_skipped != (want ? 0u : 1u))
                harness_fail(__FILE__, __LINE__, "entry %zu, path %s: %zu detections, %llu skipped", k,
                             inputs[i].path ? inputs[i].path : "(none)", c.hits,
                             (unsigned long long)(after.rules_skipped - before.rules_skipped));
        }
        socfeed_scanner_free(c.s);
        acme_close(&a);
    }
}
