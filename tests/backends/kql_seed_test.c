/* kql_seed_test.c — the two SigmaHQ seed rules (examples/rules/sigmahq/) convert to the queries
 * below for each target (written by hand from the schemas: ASIM TargetFilePath is the full path,
 * TargetFileName only the name, the acting process is ActingProcessName; Defender FolderPath is the
 * full path; WindowsEvent.EventData holds Sysmon's own names), and those queries, run on rows shaped
 * like each target's table, select the file creations the rules describe — while the seed pages'
 * published ASIM queries select none of them. */
#include <stdlib.h>

#include "harness.h"
#include "socfeed/kql.h"
#include "socfeed/kql_eval.h"
#include "socfeed/reader.h"
#include "socfeed/rule.h"
#include "util/arena.h"

#define ARTEFACT "examples/rules/sigmahq/file_event_win_remote_access_tools_screenconnect_artefact.yml"
#define REMOTE_FILE "examples/rules/sigmahq/file_event_win_remote_access_tools_screenconnect_remote_file.yml"

static const struct {
    const char *target, *artefact, *remote_file;
} expected[] = {
    {"sentinel-asim",
     "imFileEvent\n"
     "| where EventType == \"FileCreated\"\n"
     "| where TargetFilePath contains @\"\\Bin\\ScreenConnect.\"",
     "imFileEvent\n"
     "| where EventType == \"FileCreated\"\n"
     "| where ActingProcessName endswith @\"\\ScreenConnect.WindowsClient.exe\" and TargetFilePath contains "
     "@\"\\Documents\\ConnectWiseControl\\Temp\\\""},
    {"defender-xdr",
     "DeviceFileEvents\n"
     "| where ActionType == \"FileCreated\"\n"
     "| where FolderPath contains @\"\\Bin\\ScreenConnect.\"",
     "DeviceFileEvents\n"
     "| where ActionType == \"FileCreated\"\n"
     "| where InitiatingProcessFolderPath endswith @\"\\ScreenConnect.WindowsClient.exe\" and FolderPath contains "
     "@\"\\Documents\\ConnectWiseControl\\Temp\\\""},
    {"azure-monitor",
     "WindowsEvent\n"
     "| where Provider == \"Microsoft-Windows-Sysmon\" and EventID == 11\n"
     "| where tostring(EventData.TargetFilename) contains @\"\\Bin\\ScreenConnect.\"",
     "WindowsEvent\n"
     "| where Provider == \"Microsoft-Windows-Sysmon\" and EventID == 11\n"
     "| where tostring(EventData.Image) endswith @\"\\ScreenConnect.WindowsClient.exe\" and "
     "tostring(EventData.TargetFilename) contains @\"\\Documents\\ConnectWiseControl\\Temp\\\""},
};

/* Three events per target: 0 = a file dropped into ConnectWiseControl\Temp by the ScreenConnect
 * client, 1 = the installer's Bin\ScreenConnect.*.dll, 2 = that dll deleted (not a creation). */
static const char *const rows_jsonl[] = {
    "{\"EventType\":\"FileCreated\",\"TargetFilePath\":\"C:\\\\Users\\\\bob\\\\Documents\\\\ConnectWiseControl\\\\Temp\\\\run.exe\","
    "\"TargetFileName\":\"run.exe\",\"ActingProcessName\":\"C:\\\\Program Files (x86)\\\\ScreenConnect Client\\\\ScreenConnect.WindowsClient.exe\"}\n"
    "{\"EventType\":\"FileCreated\",\"TargetFilePath\":\"C:\\\\Windows\\\\Temp\\\\SC\\\\Bin\\\\ScreenConnect.Core.dll\","
    "\"TargetFileName\":\"ScreenConnect.Core.dll\",\"ActingProcessName\":\"C:\\\\Windows\\\\System32\\\\msiexec.exe\"}\n"
    "{\"EventType\":\"FileDeleted\",\"TargetFilePath\":\"C:\\\\Windows\\\\Temp\\\\SC\\\\Bin\\\\ScreenConnect.Core.dll\","
    "\"TargetFileName\":\"ScreenConnect.Core.dll\",\"ActingProcessName\":\"C:\\\\Windows\\\\System32\\\\msiexec.exe\"}\n",

    "{\"ActionType\":\"FileCreated\",\"FolderPath\":\"C:\\\\Users\\\\bob\\\\Documents\\\\ConnectWiseControl\\\\Temp\\\\run.exe\","
    "\"FileName\":\"run.exe\",\"InitiatingProcessFolderPath\":\"c:\\\\program files (x86)\\\\screenconnect client\\\\screenconnect.windowsclient.exe\"}\n"
    "{\"ActionType\":\"FileCreated\",\"FolderPath\":\"C:\\\\Windows\\\\Temp\\\\SC\\\\Bin\\\\ScreenConnect.Core.dll\","
    "\"FileName\":\"ScreenConnect.Core.dll\",\"InitiatingProcessFolderPath\":\"c:\\\\windows\\\\system32\\\\msiexec.exe\"}\n"
    "{\"ActionType\":\"FileDeleted\",\"FolderPath\":\"C:\\\\Windows\\\\Temp\\\\SC\\\\Bin\\\\ScreenConnect.Core.dll\","
    "\"FileName\":\"ScreenConnect.Core.dll\",\"InitiatingProcessFolderPath\":\"c:\\\\windows\\\\system32\\\\msiexec.exe\"}\n",

    "{\"Provider\":\"Microsoft-Windows-Sysmon\",\"EventID\":11,\"EventData\":{\"TargetFilename\":"
    "\"C:\\\\Users\\\\bob\\\\Documents\\\\ConnectWiseControl\\\\Temp\\\\run.exe\",\"Image\":\"C:\\\\Program Files (x86)\\\\ScreenConnect Client\\\\ScreenConnect.WindowsClient.exe\"}}\n"
    "{\"Provider\":\"Microsoft-Windows-Sysmon\",\"EventID\":11,\"EventData\":{\"TargetFilename\":"
    "\"C:\\\\Windows\\\\Temp\\\\SC\\\\Bin\\\\ScreenConnect.Core.dll\",\"Image\":\"C:\\\\Windows\\\\System32\\\\msiexec.exe\"}}\n"
    "{\"Provider\":\"Microsoft-Windows-Sysmon\",\"EventID\":23,\"EventData\":{\"TargetFilename\":"
    "\"C:\\\\Windows\\\\Temp\\\\SC\\\\Bin\\\\ScreenConnect.Core.dll\",\"Image\":\"C:\\\\Windows\\\\System32\\\\msiexec.exe\"}}\n",
};

typedef struct rows {
    arena a;
    socfeed_event_value *items[8];
    size_t n;
} rows;

static socfeed_event_value copy_value(arena *a, const socfeed_event_value *v) {
    socfeed_event_value out = *v;
    if (v->type == SOCFEED_EV_STRING || v->type == SOCFEED_EV_REAL) out.as.s = arena_memdup(a, v->as.s, v->len + 1);
    if (v->type == SOCFEED_EV_ARRAY) {
        socfeed_event_value *items = arena_alloc(a, (v->len + 1) * sizeof *items);
        for (uint32_t i = 0; i < v->len; i++) items[i] = copy_value(a, &v->as.items[i]);
        out.as.items = items;
    }
    if (v->type == SOCFEED_EV_OBJECT) {
        socfeed_event_member *m = arena_alloc(a, (v->len + 1) * sizeof *m);
        for (uint32_t i = 0; i < v->len; i++) {
            m[i].key = arena_memdup(a, v->as.members[i].key, v->as.members[i].key_len + 1);
            m[i].key_len = v->as.members[i].key_len;
            m[i].value = copy_value(a, &v->as.members[i].value);
        }
        out.as.members = m;
    }
    return out;
}

static int keep_row(void *ctx, const socfeed_event *ev) {
    rows *r = ctx;
    if (r->n == 8) return 1;
    r->items[r->n] = arena_alloc(&r->a, sizeof *r->items[0]);
    *r->items[r->n++] = copy_value(&r->a, &ev->root);
    return 0;
}

/* Runs the query over the rows; returns the selected indices as "0,2" (static buffer). */
static const char *selected(const char *query, rows *r) {
    static char out[64];
    socfeed_diags d;
    socfeed_diags_init(&d);
    socfeed_kql_query *q = socfeed_kql_parse("q", query, &d);
    snprintf(out, sizeof out, "error");
    if (q) {
        bool sel[8] = {0};
        if (socfeed_kql_run(q, (const socfeed_event_value *const *)r->items, r->n, sel, &d) == 0) {
            out[0] = 0;
            for (size_t i = 0; i < r->n; i++)
                if (sel[i]) snprintf(out + strlen(out), sizeof out - strlen(out), "%s%zu", out[0] ? "," : "", i);
        }
    }
    socfeed_kql_query_free(q);
    socfeed_diags_clear(&d);
    return out;
}

TEST(kql_seed_rules_convert_right_for_each_target) {
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    CHECK_EQ_INT(socfeed_ruleset_load_path(rs, ARTEFACT), 0);
    CHECK_EQ_INT(socfeed_ruleset_load_path(rs, REMOTE_FILE), 0);
    socfeed_ruleset_finalize(rs);
    CHECK_EQ_INT(socfeed_ruleset_count(rs), 2);
    if (socfeed_ruleset_count(rs) != 2) return;
    const socfeed_rule *artefact = socfeed_ruleset_get(rs, 0), *remote = socfeed_ruleset_get(rs, 1);
    CHECK(strstr(artefact->file, "artefact") != NULL);
    for (size_t t = 0; t < sizeof expected / sizeof *expected; t++) {
        socfeed_diags d;
        socfeed_diags_init(&d);
        socfeed_kql_target *target = socfeed_kql_target_new(expected[t].target, &d);
        CHECK(target != NULL);
        socfeed_kql_result a, b;
        CHECK_EQ_INT(socfeed_kql_convert(target, rs, artefact, &a), 0);
        CHECK_EQ_INT(socfeed_kql_convert(target, rs, remote, &b), 0);
        CHECK_EQ_STR(a.query, expected[t].artefact);
        CHECK_EQ_STR(b.query, expected[t].remote_file);

        rows r = {0};
        arena_init(&r.a);
        socfeed_json_read_buffer("rows.jsonl", rows_jsonl[t], strlen(rows_jsonl[t]), NULL, keep_row, &r, &d, NULL);
        CHECK_EQ_INT(r.n, 3);
        if (a.query) CHECK_EQ_STR(selected(a.query, &r), "1");
        if (b.query) CHECK_EQ_STR(selected(b.query, &r), "0");
        if (t == 0) {
            /* The seed pages' published queries: basename column and acting process swapped. */
            CHECK_EQ_STR(selected("imFileEvent\n| where TargetFileName contains \"\\\\Bin\\\\ScreenConnect.\"", &r), "");
            CHECK_EQ_STR(selected("imFileEvent\n| where TargetFilePath endswith \"\\\\ScreenConnect.WindowsClient.exe\" and "
                                  "TargetFileName contains \"\\\\Documents\\\\ConnectWiseControl\\\\Temp\\\\\"", &r), "");
        }
        arena_free(&r.a);
        socfeed_kql_result_clear(&a);
        socfeed_kql_result_clear(&b);
        socfeed_kql_target_free(target);
        socfeed_diags_clear(&d);
    }
    socfeed_ruleset_free(rs);
}
