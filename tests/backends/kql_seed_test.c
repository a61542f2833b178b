/* kql_seed_test.c — the two SigmaHQ seed rules (examples/rules/sigmahq/) convert to the queries
 * below for each target (written by hand from the schemas: ASIM TargetFilePath is the full path,
 * TargetFileName only the name, the acting process is ActingProcessName; Defender FolderPath is the
 * full path; WindowsEvent.EventData holds Sysmon's own names), and those queries, run on rows shaped
 * like each target's table (conditions longer than a line are laid out one operand per line), select
 * the file creations the rules describe — while the seed pages'
 * published ASIM queries select none of them. */
#include <stdlib.h>

#include "harness.h"
#include "socfeed/kql.h"
#include "socfeed/kql_eval.h"
#include "socfeed/reader.h"
#include "socfeed/rule.h"
#include "backends/kql_rows.h"

#define ARTEFACT "examples/rules/sigmahq/file_event_win_remote_access_tools_screenconnect_artefact.yml"
#define REMOTE_FILE "examples/rules/sigmahq/file_event_win_remote_access_tools_screenconnect_remote_file.yml"

static const struct {
    const char *target, *artefact, *remote_file;
} expected[] = {
    {"sentinel-asim",
     "imFileEvent\n"
     "| where EventType == \"FileCreated\" and DvcOs != \"Linux\"\n"
     "| where TargetFilePath contains @\"\\Bin\\ScreenConnect.\"",
     "imFileEvent\n"
     "| where EventType == \"FileCreated\" and DvcOs != \"Linux\"\n"
     "| where ActingProcessName endswith @\"\\ScreenConnect.WindowsClient.exe\"\n"
     "    and TargetFilePath contains "
     "@\"\\Documents\\ConnectWiseControl\\Temp\\\""},
    {"defender-xdr",
     "DeviceFileEvents\n"
     "| where ActionType == \"FileCreated\" and FolderPath !startswith \"/\"\n"
     "| where FolderPath contains @\"\\Bin\\ScreenConnect.\"",
     "DeviceFileEvents\n"
     "| where ActionType == \"FileCreated\" and FolderPath !startswith \"/\"\n"
     "| where InitiatingProcessFolderPath endswith @\"\\ScreenConnect.WindowsClient.exe\"\n"
     "    and FolderPath contains "
     "@\"\\Documents\\ConnectWiseControl\\Temp\\\""},
    {"azure-monitor",
     "WindowsEvent\n"
     "| where Provider == \"Microsoft-Windows-Sysmon\" and EventID == 11\n"
     "| where tostring(EventData.TargetFilename) contains @\"\\Bin\\ScreenConnect.\"",
     "WindowsEvent\n"
     "| where Provider == \"Microsoft-Windows-Sysmon\" and EventID == 11\n"
     "| where tostring(EventData.Image) endswith @\"\\ScreenConnect.WindowsClient.exe\"\n"
     "    and tostring(EventData.TargetFilename) contains @\"\\Documents\\ConnectWiseControl\\Temp\\\""},
};

/* Three events per target: 0 = a file dropped into ConnectWiseControl\Temp by the ScreenConnect
 * client, 1 = the installer's Bin\ScreenConnect.*.dll, 2 = that dll deleted (not a creation). */
static const char *const rows_jsonl[] = {
    "{\"EventType\":\"FileCreated\",\"DvcOs\":\"Windows\",\"TargetFilePath\":\"C:\\\\Users\\\\bob\\\\Documents\\\\ConnectWiseControl\\\\Temp\\\\run.exe\","
    "\"TargetFileName\":\"run.exe\",\"ActingProcessName\":\"C:\\\\Program Files (x86)\\\\ScreenConnect Client\\\\ScreenConnect.WindowsClient.exe\"}\n"
    "{\"EventType\":\"FileCreated\",\"DvcOs\":\"Windows\",\"TargetFilePath\":\"C:\\\\Windows\\\\Temp\\\\SC\\\\Bin\\\\ScreenConnect.Core.dll\","
    "\"TargetFileName\":\"ScreenConnect.Core.dll\",\"ActingProcessName\":\"C:\\\\Windows\\\\System32\\\\msiexec.exe\"}\n"
    "{\"EventType\":\"FileDeleted\",\"DvcOs\":\"Windows\",\"TargetFilePath\":\"C:\\\\Windows\\\\Temp\\\\SC\\\\Bin\\\\ScreenConnect.Core.dll\","
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

        kql_rows r = kql_rows_load(rows_jsonl[t]);
        CHECK_EQ_INT(r.n, 3);
        if (a.query) CHECK_EQ_STR(kql_rows_selected(a.query, &r), "1");
        if (b.query) CHECK_EQ_STR(kql_rows_selected(b.query, &r), "0");
        if (t == 0) {
            /* The seed pages' published queries: basename column and acting process swapped. */
            CHECK_EQ_STR(kql_rows_selected("imFileEvent\n| where TargetFileName contains \"\\\\Bin\\\\ScreenConnect.\"", &r), "");
            CHECK_EQ_STR(kql_rows_selected("imFileEvent\n| where TargetFilePath endswith \"\\\\ScreenConnect.WindowsClient.exe\" and "
                                  "TargetFileName contains \"\\\\Documents\\\\ConnectWiseControl\\\\Temp\\\\\"", &r), "");
        }
        kql_rows_free(&r);
        socfeed_kql_result_clear(&a);
        socfeed_kql_result_clear(&b);
        socfeed_kql_target_free(target);
        socfeed_diags_clear(&d);
    }
    socfeed_ruleset_free(rs);
}

/* A condition longer than a line: one operand of the top-level and/or per line, continuation lines
 * indented, long parenthesised groups opened the same way. */
TEST(kql_long_conditions_one_operand_per_line) {
    const char *rule =
        "title: t\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n"
        "  sel:\n    CommandLine|contains:\n"
        "      - 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'\n      - 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'\n      - 'cccccccccccccccccccccccccccccc'\n"
        "    Image|endswith: '\\x.exe'\n  condition: sel\n";
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_buffer(rs, "t.yml", rule, strlen(rule));
    socfeed_ruleset_finalize(rs);
    socfeed_diags d;
    socfeed_diags_init(&d);
    socfeed_kql_target *t = socfeed_kql_target_new("sentinel-asim", &d);
    socfeed_kql_result res;
    CHECK_EQ_INT(socfeed_kql_convert(t, rs, socfeed_ruleset_get(rs, 0), &res), 0);
    CHECK_EQ_STR(res.query,
                 "imProcessCreate\n"
                 "| where EventType == \"ProcessCreated\" and DvcOs == \"Windows\"\n"
                 "| where (TargetProcessCommandLine contains \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\n"
                 "        or TargetProcessCommandLine contains \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"\n"
                 "        or TargetProcessCommandLine contains \"cccccccccccccccccccccccccccccc\")\n"
                 "    and TargetProcessName endswith @\"\\x.exe\"");
    socfeed_kql_result_clear(&res);
    socfeed_kql_target_free(t);
    socfeed_diags_clear(&d);
    socfeed_ruleset_free(rs);
}
