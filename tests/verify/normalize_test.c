/* normalize_test.c — the normalizer against hand-written events (tests/fixtures/normalize/): the
 * ASIM columns as Microsoft's parsers build them (basename vs full path, registry hive rewrite and
 * key/value split, split hashes, network direction), the Azure Monitor tables, the Defender
 * correspondence, and bad data files. */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "socfeed/normalize.h"
#include "socfeed/reader.h"
#include "verify/verify_test_util.h"

typedef struct norm {
    socfeed_normalizer *nz;
    socfeed_rows *rows;
    test_events ev;
} norm;

static norm run_target(const char *target) {
    norm n = {0};
    socfeed_diags d;
    socfeed_diags_init(&d);
    n.nz = socfeed_normalizer_load(target, &d);
    if (!n.nz) harness_fail(__FILE__, __LINE__, "load %s: %s", target, d.count ? d.items[0].message : "?");
    n.ev = test_events_load(harness_fixture("normalize/sysmon_mixed.jsonl"));
    n.rows = socfeed_rows_new();
    for (size_t i = 0; n.nz && i < n.ev.n; i++)
        if (socfeed_normalize(n.nz, n.ev.items[i], i, n.rows, &d) < 0)
            harness_fail(__FILE__, __LINE__, "event %zu: %s", i, d.count ? d.items[0].message : "?");
    socfeed_diags_clear(&d);
    return n;
}

static void norm_free(norm *n) {
    socfeed_rows_free(n->rows);
    socfeed_normalizer_free(n->nz);
    test_events_free(&n->ev);
}

/* The row of event `i` in `table`, or NULL. */
static const socfeed_event_value *row_of(const norm *n, size_t i, const char *table) {
    for (size_t k = 0; k < socfeed_rows_count(n->rows); k++) {
        const socfeed_row *r = socfeed_rows_at(n->rows, k);
        if (r->event == i && !strcmp(r->table, table)) return &r->value;
    }
    return NULL;
}

static size_t rows_of(const norm *n, size_t i) {
    size_t c = 0;
    for (size_t k = 0; k < socfeed_rows_count(n->rows); k++) c += socfeed_rows_at(n->rows, k)->event == i;
    return c;
}

/* Column value as text ("(absent)" when missing; ints printed). */
static const char *col(const socfeed_event_value *row, const char *name) {
    static char buf[8][4096];
    static int slot;
    char *out = buf[slot++ % 8];
    const socfeed_event_value *v = socfeed_event_get(row, name);
    if (!v) return "(absent)";
    if (v->type == SOCFEED_EV_STRING) snprintf(out, 4096, "%s", v->as.s);
    else if (v->type == SOCFEED_EV_INT) snprintf(out, 4096, "%lld", (long long)v->as.i);
    else if (v->type == SOCFEED_EV_BOOL) snprintf(out, 4096, "%s", v->as.b ? "true" : "false");
    else {
        char *json = socfeed_event_to_json(v);
        snprintf(out, 4096, "%s", json);
        free(json);
    }
    return out;
}

enum { EV_PROC, EV_FILE, EV_REGSET, EV_REGKEY, EV_REGDELVAL, EV_NET, EV_DNS, EV_4688, EV_4625, EV_IMGLOAD, EV_4663, EV_4657, EV_4688_V1 };

TEST(normalize_asim_process_create) {
    norm n = run_target("sentinel-asim");
    const socfeed_event_value *r = row_of(&n, EV_PROC, "imProcessCreate");
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(col(r, "EventType"), "ProcessCreated");
        CHECK_EQ_STR(col(r, "TargetProcessName"), "C:\\Windows\\System32\\cmd.exe");
        CHECK_EQ_STR(col(r, "TargetProcessFilename"), "Cmd.Exe");            /* OriginalFileName, not the basename */
        CHECK_EQ_STR(col(r, "ActingProcessName"), "C:\\Windows\\explorer.exe");  /* Sigma ParentImage */
        CHECK_EQ_STR(col(r, "TargetUsername"), "CORP\\bob");                 /* verbatim DOMAIN\user */
        CHECK_EQ_STR(col(r, "ActorUsername"), "CORP\\alice");
        CHECK_EQ_STR(col(r, "TargetProcessSHA1"), "AAAA");
        CHECK_EQ_STR(col(r, "TargetProcessMD5"), "BBBB");
        CHECK_EQ_STR(col(r, "TargetProcessSHA256"), "CCCC");
        CHECK_EQ_STR(col(r, "TargetProcessIMPHASH"), "DDDD");
        CHECK_EQ_STR(col(r, "Hash"), "CCCC");
        CHECK_EQ_STR(col(r, "HashType"), "SHA256");
        CHECK_EQ_STR(col(r, "TargetProcessId"), "4242");                     /* tostring() of the int */
        CHECK_EQ_STR(col(r, "EventOriginalType"), "1");
        CHECK_EQ_STR(col(r, "CommandLine"), "cmd.exe /c whoami > \"o.txt\" & exit");   /* alias */
        CHECK_EQ_STR(col(r, "DvcHostname"), "WKS-01.corp.example");
    }
    CHECK_EQ_INT(rows_of(&n, EV_PROC), 1);
    CHECK(socfeed_normalizer_table(n.nz, "_Im_ProcessCreate") && !strcmp(socfeed_normalizer_table(n.nz, "_Im_ProcessCreate"), "imProcessCreate"));
    CHECK(socfeed_normalizer_table(n.nz, "DeviceProcessEvents") == NULL);
    CHECK(!socfeed_normalizer_is_approximate(n.nz, NULL));
    norm_free(&n);
}

TEST(normalize_asim_file_event_basename) {
    norm n = run_target("sentinel-asim");
    const socfeed_event_value *r = row_of(&n, EV_FILE, "imFileEvent");
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(col(r, "EventType"), "FileCreated");
        CHECK_EQ_STR(col(r, "TargetFilePath"), "C:\\Program Files\\App\\Bin\\Tool.Core.dll");
        CHECK_EQ_STR(col(r, "TargetFileName"), "Tool.Core.dll");             /* only the basename */
        CHECK_EQ_STR(col(r, "ActingProcessName"), "C:\\Windows\\System32\\msiexec.exe");
        CHECK_EQ_STR(col(r, "ActingProcessGuid"), "1A2B3C4D-0000-0000-0000-000000000002");   /* braces stripped */
        CHECK_EQ_STR(col(r, "RuleName"), "");                                 /* '-' becomes empty */
        CHECK_EQ_STR(col(r, "ActorUsername"), "NT AUTHORITY\\SYSTEM");
        CHECK_EQ_STR(col(r, "EventOriginalType"), "11");
    }
    norm_free(&n);
}

TEST(normalize_asim_registry_split_and_hives) {
    norm n = run_target("sentinel-asim");
    const socfeed_event_value *r = row_of(&n, EV_REGSET, "imRegistry");
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(col(r, "EventType"), "RegistryValueSet");
        CHECK_EQ_STR(col(r, "EventOriginalSubType"), "SetValue");
        CHECK_EQ_STR(col(r, "RegistryKey"), "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run");
        CHECK_EQ_STR(col(r, "RegistryValue"), "Updater");
        CHECK_EQ_STR(col(r, "RegistryValueData"), "C:\\Users\\Public\\u.exe");
        CHECK_EQ_STR(col(r, "ActingProcessGuid"), "1A2B3C4D-0000-0000-0000-000000000003");
        CHECK_EQ_STR(col(r, "KeyPrefix"), "(absent)");                       /* `let` helpers stay out of the row */
    }
    r = row_of(&n, EV_REGKEY, "imRegistry");
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(col(r, "EventType"), "RegistryKeyCreated");
        CHECK_EQ_STR(col(r, "RegistryKey"), "HKEY_USERS\\S-1-5-21-1\\Software\\Evil");   /* key events keep the whole path */
        CHECK_EQ_STR(col(r, "RegistryValue"), "");
        CHECK_EQ_STR(col(r, "RegistryValueData"), "");
    }
    r = row_of(&n, EV_REGDELVAL, "imRegistry");
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(col(r, "EventType"), "RegistryValueDeleted");
        CHECK_EQ_STR(col(r, "RegistryKey"), "HKEY_LOCAL_MACHINE\\Classes\\CLSID\\{X}\\InprocServer32");   /* HKCR */
        CHECK_EQ_STR(col(r, "RegistryValue"), "(Default)");
        CHECK_EQ_STR(col(r, "RegistryValueData"), "");                       /* data only for SetValue */
    }
    norm_free(&n);
}

TEST(normalize_asim_network_and_dns) {
    norm n = run_target("sentinel-asim");
    const socfeed_event_value *r = row_of(&n, EV_NET, "imNetworkSession");
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(col(r, "DstIpAddr"), "203.0.113.9");
        CHECK_EQ_STR(col(r, "DstPortNumber"), "443");
        CHECK_EQ_STR(col(r, "NetworkProtocol"), "TCP");
        CHECK_EQ_STR(col(r, "DstProcessName"), "C:\\Windows\\System32\\rundll32.exe");   /* Initiated: Dst (as read) */
        CHECK_EQ_STR(col(r, "SrcProcessName"), "");
        CHECK_EQ_STR(col(r, "DstAppName"), "rundll32.exe");
        CHECK_EQ_STR(col(r, "DstHostname"), "evil.example");
        CHECK_EQ_STR(col(r, "NetworkProtocolVersion"), "IPV4");
        CHECK_EQ_STR(col(r, "DvcIpAddr"), "10.0.0.5");
    }
    r = row_of(&n, EV_DNS, "imDns");
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(col(r, "DnsQuery"), "evil.example");
        CHECK_EQ_STR(col(r, "DnsResponseCode"), "3");                         /* 9003 -> NXDOMAIN's 3 */
        CHECK_EQ_STR(col(r, "EventResult"), "Failure");
        CHECK_EQ_STR(col(r, "DnsResponseName"), "");
    }
    CHECK(socfeed_normalizer_table(n.nz, "_Im_Dns") && !strcmp(socfeed_normalizer_table(n.nz, "_Im_Dns"), "imDns"));
    norm_free(&n);
}

TEST(normalize_asim_security_events) {
    norm n = run_target("sentinel-asim");
    const socfeed_event_value *r = row_of(&n, EV_4688, "imProcessCreate");
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(col(r, "TargetProcessName"), "C:\\Windows\\System32\\whoami.exe");
        CHECK_EQ_STR(col(r, "TargetProcessFilename"), "whoami.exe");          /* 4688: the basename */
        CHECK_EQ_STR(col(r, "ActingProcessName"), "C:\\Windows\\System32\\cmd.exe");
        CHECK_EQ_STR(col(r, "ActorUsername"), "CORP\\DC-01$");
        CHECK_EQ_STR(col(r, "EventOriginalType"), "4688");
    }
    r = row_of(&n, EV_4625, "imAuthentication");
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(col(r, "EventType"), "Logon");
        CHECK_EQ_STR(col(r, "EventResult"), "Failure");
        CHECK_EQ_STR(col(r, "EventSubType"), "Network");
        CHECK_EQ_STR(col(r, "TargetUsername"), "CORP\\admin");
        CHECK_EQ_STR(col(r, "ActorUsername"), "-");                           /* domain '-': the bare name */
        CHECK_EQ_STR(col(r, "SrcIpAddr"), "198.51.100.7");
    }
    /* No ASIM parser covers Sysmon 7 (image load): no row. */
    CHECK_EQ_INT(rows_of(&n, EV_IMGLOAD), 0);
    norm_free(&n);
}

TEST(normalize_raw_view_shape) {
    test_events ev = test_events_load(harness_fixture("normalize/sysmon_mixed.jsonl"));
    socfeed_rows *rows = socfeed_rows_new();
    CHECK_EQ_INT(socfeed_normalize_raw_view(ev.items[EV_4625], 0, rows), 1);
    const socfeed_event_value *r = &socfeed_rows_at(rows, 0)->value;
    CHECK_EQ_STR(col(r, "EventID"), "4625");                                  /* #text under Qualifiers */
    CHECK_EQ_STR(col(r, "Provider"), "Microsoft-Windows-Security-Auditing");
    CHECK_EQ_STR(col(r, "Channel"), "Security");
    CHECK_EQ_STR(col(socfeed_event_get(r, "EventData"), "LogonType"), "3");
    socfeed_rows_free(rows);
    test_events_free(&ev);
}

static const char *parse_error(const char *yaml) {
    static char msg[512];
    socfeed_diags d;
    socfeed_diags_init(&d);
    socfeed_normalizer *nz = socfeed_normalizer_parse("bad.yml", yaml, strlen(yaml), &d);
    snprintf(msg, sizeof msg, "%s", nz ? "(loaded)" : d.count ? d.items[0].message : "(no message)");
    socfeed_normalizer_free(nz);
    socfeed_diags_clear(&d);
    return msg;
}

TEST(normalize_bad_data_files) {
    CHECK(strstr(parse_error("target: x\nproducers:\n  - name: p\n    table: T\n    when: 'a =='\n"), "unsupported KQL") != NULL);
    CHECK(strstr(parse_error("target: x\nproducers:\n  - name: p\n    table: T\n"), "has no 'when'") != NULL);
    CHECK(strstr(parse_error("target: x\n"), "missing list 'producers'") != NULL);
    CHECK(strstr(parse_error("- a\n"), "a normalizer file is a mapping") != NULL);
    CHECK(strstr(parse_error("target: x\nproducers:\n  - name: p\n    table: T\n    when: 'true'\n    columns: [a]\n"), "must be a mapping") != NULL);
    CHECK_EQ_STR(parse_error("target: x\nproducers:\n  - name: p\n    table: T\n    when: 'true'\n    columns: {A: '1'}\n"), "(loaded)");
    socfeed_diags d;
    socfeed_diags_init(&d);
    CHECK(socfeed_normalizer_load("no-such-target", &d) == NULL);
    CHECK(d.count == 1 && strstr(d.items[0].message, "unknown target"));
    CHECK(socfeed_normalizer_load("../targets/sentinel-asim", &d) == NULL);   /* never reads the converter's files */
    socfeed_diags_clear(&d);
}

/* Columns see the columns before them (like `extend`), and a runtime failure is reported, not skipped. */
TEST(normalize_column_order_and_runtime_errors) {
    const char *yaml = "target: t\nproducers:\n  - name: p\n    table: T\n    when: 'EventID == 1'\n"
                       "    let:\n      A: 'tostring(EventData.Image)'\n"
                       "    columns:\n      B: 'strcat(A, \"!\")'\n      A: 'strcat(B, \"?\")'\n";
    socfeed_diags d;
    socfeed_diags_init(&d);
    socfeed_normalizer *nz = socfeed_normalizer_parse("t.yml", yaml, strlen(yaml), &d);
    CHECK(nz != NULL);
    CHECK_EQ_INT(d.count, 0);
    test_events ev = test_events_load(harness_fixture("normalize/sysmon_mixed.jsonl"));
    socfeed_rows *rows = socfeed_rows_new();
    CHECK_EQ_INT(socfeed_normalize(nz, ev.items[EV_PROC], 7, rows, &d), 1);
    CHECK_EQ_INT(socfeed_normalize(nz, ev.items[EV_FILE], 8, rows, &d), 0);
    const socfeed_row *r = socfeed_rows_at(rows, 0);
    CHECK_EQ_INT(r->event, 7);
    CHECK_EQ_STR(col(&r->value, "B"), "C:\\Windows\\System32\\cmd.exe!");
    CHECK_EQ_STR(col(&r->value, "A"), "C:\\Windows\\System32\\cmd.exe!?");
    CHECK_EQ_INT(r->value.len, 2);
    socfeed_normalizer_free(nz);
    const char *bad = "target: t\nproducers:\n  - name: p\n    table: T\n    when: 'true'\n"
                      "    columns:\n      A: 'bin(TimeGenerated, 1h)'\n";
    nz = socfeed_normalizer_parse("t.yml", bad, strlen(bad), &d);
    CHECK(nz != NULL);
    CHECK_EQ_INT(d.count, 0);
    CHECK_EQ_INT(socfeed_normalize(nz, ev.items[0], 0, rows, &d), -1);
    CHECK(d.count == 1 && strstr(d.items[0].message, "unsupported KQL: function outside summarize"));
    socfeed_normalizer_free(nz);
    socfeed_rows_free(rows);
    test_events_free(&ev);
    socfeed_diags_clear(&d);
}

TEST(normalize_azure_monitor_tables) {
    norm n = run_target("azure-monitor");
    const socfeed_event_value *r = row_of(&n, EV_FILE, "WindowsEvent");
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(col(r, "Provider"), "Microsoft-Windows-Sysmon");
        CHECK_EQ_STR(col(r, "EventID"), "11");
        CHECK_EQ_STR(col(socfeed_event_get(r, "EventData"), "TargetFilename"), "C:\\Program Files\\App\\Bin\\Tool.Core.dll");
        CHECK_EQ_STR(col(socfeed_event_get(r, "EventData"), "ProcessId"), "7316");
    }
    CHECK(row_of(&n, EV_FILE, "SecurityEvent") == NULL);
    r = row_of(&n, EV_4688, "SecurityEvent");
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(col(r, "NewProcessName"), "C:\\Windows\\System32\\whoami.exe");   /* promoted EventData */
        CHECK_EQ_STR(col(r, "ParentProcessName"), "C:\\Windows\\System32\\cmd.exe");
        CHECK_EQ_STR(col(r, "SubjectAccount"), "CORP\\DC-01$");
        CHECK_EQ_STR(col(r, "EventID"), "4688");
        CHECK_EQ_STR(col(r, "ProcessId"), "0x2b0");                           /* as logged: hex */
        CHECK_EQ_STR(col(r, "TargetAccount"), "-\\-");
        CHECK_EQ_STR(col(r, "MandatoryLabel"), "S-1-16-12288");
        CHECK_EQ_STR(col(r, "Image"), "(absent)");                            /* not a SecurityEvent column */
    }
    CHECK(row_of(&n, EV_4688, "WindowsEvent") == NULL);
    r = row_of(&n, EV_FILE, "Event");                                          /* the legacy agent's table */
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(col(r, "Source"), "Microsoft-Windows-Sysmon");
        CHECK_EQ_STR(col(r, "EventLog"), "Microsoft-Windows-Sysmon/Operational");
        CHECK(strstr(col(r, "EventData"), "<Data Name=\"TargetFilename\">C:\\Program Files\\App\\Bin\\Tool.Core.dll</Data>") != NULL);
        CHECK(strstr(col(r, "EventData"), "<Data Name=\"ProcessId\">7316</Data>") != NULL);
    }
    r = row_of(&n, EV_PROC, "Event");
    CHECK(r && strstr(col(r, "EventData"), "<Data Name=\"CommandLine\">cmd.exe /c whoami &gt; &quot;o.txt&quot; &amp; exit</Data>"));
    CHECK(row_of(&n, EV_4688, "Event") == NULL);
    CHECK_EQ_INT(rows_of(&n, EV_IMGLOAD), 2);                                  /* every Sysmon event: a WindowsEvent and an Event row */
    norm_free(&n);
}

TEST(normalize_defender_correspondence) {
    norm n = run_target("defender-xdr");
    const char *why = NULL;
    CHECK(socfeed_normalizer_is_approximate(n.nz, &why));
    CHECK(why && strstr(why, "correspondence"));
    const socfeed_event_value *r = row_of(&n, EV_PROC, "DeviceProcessEvents");
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(col(r, "FolderPath"), "C:\\Windows\\System32\\cmd.exe");
        CHECK_EQ_STR(col(r, "FileName"), "cmd.exe");
        CHECK_EQ_STR(col(r, "AccountDomain"), "CORP");
        CHECK_EQ_STR(col(r, "AccountName"), "bob");
        CHECK_EQ_STR(col(r, "InitiatingProcessFileName"), "explorer.exe");
        CHECK_EQ_STR(col(r, "InitiatingProcessAccountName"), "alice");
        CHECK_EQ_STR(col(r, "SHA256"), "CCCC");
        CHECK_EQ_STR(col(r, "ProcessVersionInfoOriginalFileName"), "Cmd.Exe");
        CHECK_EQ_STR(col(r, "ProcessId"), "4242");
    }
    r = row_of(&n, EV_REGDELVAL, "DeviceRegistryEvents");
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(col(r, "ActionType"), "RegistryValueDeleted");
        CHECK_EQ_STR(col(r, "RegistryKey"), "");
        CHECK_EQ_STR(col(r, "PreviousRegistryKey"), "HKEY_CLASSES_ROOT\\CLSID\\{X}\\InprocServer32");
        CHECK_EQ_STR(col(r, "PreviousRegistryValueName"), "(Default)");
    }
    r = row_of(&n, EV_REGKEY, "DeviceRegistryEvents");
    CHECK(r && !strcmp(col(r, "RegistryKey"), "HKEY_CURRENT_USER\\S-1-5-21-1\\Software\\Evil"));
    r = row_of(&n, EV_NET, "DeviceNetworkEvents");
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(col(r, "RemoteIP"), "203.0.113.9");
        CHECK_EQ_STR(col(r, "RemotePort"), "443");
        CHECK_EQ_STR(col(r, "LocalIP"), "10.0.0.5");
        CHECK_EQ_STR(col(r, "RemoteUrl"), "evil.example");
        CHECK_EQ_STR(col(r, "Protocol"), "Tcp");
        CHECK_EQ_STR(col(r, "ActionType"), "ConnectionSuccess");
    }
    r = row_of(&n, EV_IMGLOAD, "DeviceImageLoadEvents");
    CHECK(r && !strcmp(col(r, "FileName"), "dbghelp.dll") && !strcmp(col(r, "SHA256"), "EEEE"));
    /* A 4688 is the same process creation Defender's own sensor records. */
    r = row_of(&n, EV_4688, "DeviceProcessEvents");
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(col(r, "FolderPath"), "C:\\Windows\\System32\\whoami.exe");
        CHECK_EQ_STR(col(r, "FileName"), "whoami.exe");
        CHECK_EQ_STR(col(r, "ProcessId"), "420");                           /* 0x1a4 */
        CHECK_EQ_STR(col(r, "InitiatingProcessFileName"), "cmd.exe");
        CHECK_EQ_STR(col(r, "AccountName"), "DC-01$");                      /* TargetUserName '-': the creator's */
        CHECK_EQ_STR(col(r, "ProcessIntegrityLevel"), "High");              /* S-1-16-12288 */
        CHECK_EQ_STR(col(r, "ProcessTokenElevation"), "TokenElevationTypeDefault");
    }
    CHECK_EQ_INT(rows_of(&n, EV_4625), 0);                                     /* no logon correspondence yet */
    norm_free(&n);
}

TEST(normalize_asim_security_file_and_registry) {
    norm n = run_target("sentinel-asim");
    const socfeed_event_value *r = row_of(&n, EV_4663, "imFileEvent");
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(col(r, "EventType"), "ObjectDeleted");                   /* AccessMask 0x10000 */
        CHECK_EQ_STR(col(r, "TargetFilePath"), "C:\\Shares\\Finance\\q3.xlsx");
        CHECK_EQ_STR(col(r, "TargetFileName"), "(absent)");                   /* the 4663 parser sets no file name */
        CHECK_EQ_STR(col(r, "ActingProcessId"), "420");                       /* tostring(toint("0x1a4")) */
        CHECK_EQ_STR(col(r, "ActorUsername"), "CORP\\bob");
    }
    CHECK(row_of(&n, EV_4663, "imRegistry") == NULL);                          /* ObjectType File, not Key */
    r = row_of(&n, EV_4657, "imRegistry");
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(col(r, "EventType"), "RegistryValueSet");                /* %%1905 */
        CHECK_EQ_STR(col(r, "RegistryKey"), "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run");
        CHECK_EQ_STR(col(r, "RegistryValue"), "Updater");
        CHECK_EQ_STR(col(r, "RegistryValueData"), "C:\\Users\\Public\\u.exe");
        CHECK_EQ_STR(col(r, "RegistryValueType"), "REG_SZ");
        CHECK_EQ_STR(col(r, "RegistryPreviousValueData"), "C:\\old.exe");
        CHECK_EQ_STR(col(r, "ActorUsername"), "CORP\\WKS-01$");
        CHECK_EQ_STR(col(r, "ActingProcessId"), "688");
    }
    norm_free(&n);
}

/* Found by `verify --events` over EVTX-ATTACK-SAMPLES: a version-1 4688 has no TargetUserName, and the
 * account must then be empty, not a lone "\\" (which a KQL `isempty` filter would not catch). */
TEST(normalize_asim_4688_without_target_account) {
    norm n = run_target("sentinel-asim");
    const socfeed_event_value *r = row_of(&n, EV_4688_V1, "imProcessCreate");
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_STR(col(r, "TargetUsername"), "");
        CHECK_EQ_STR(col(r, "ActorUsername"), "CORP\\OLD-01$");
        CHECK_EQ_STR(col(r, "ActingProcessName"), "");
        CHECK_EQ_STR(col(r, "TargetProcessFilename"), "calc.exe");
    }
    norm_free(&n);
}
