/* kql_semantics_test.c — emitted queries run (with the verify KQL evaluator) on rows shaped like
 * each target's table select what the Sigma rule means: wildcard order, one-character `?`,
 * guards on ASIM fields only some sources fill, hive rewriting over the rebuilt registry path,
 * Defender's decimal REG_DWORD data, and temporal correlations per group and window. */
#include <stdlib.h>

#include "backends/kql_rows.h"
#include "harness.h"
#include "socfeed/kql.h"
#include "socfeed/rule.h"
#include "util/strbuf.h"

/* Converts the last non-filter document of `yaml` for `target`; returns the query (static) or
 * "refused: …". */
static const char *convert(const char *target, const char *yaml) {
    static char *last;
    free(last);
    last = NULL;
    socfeed_diags d;
    socfeed_diags_init(&d);
    socfeed_kql_target *t = socfeed_kql_target_new(target, &d);
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_buffer(rs, "t.yml", yaml, strlen(yaml));
    socfeed_ruleset_finalize(rs);
    const socfeed_rule *rule = NULL;
    for (size_t i = 0; i < socfeed_ruleset_count(rs); i++)
        if (socfeed_ruleset_get(rs, i)->kind != SOCFEED_DOC_FILTER) rule = socfeed_ruleset_get(rs, i);
    socfeed_kql_result res = {0};
    if (t && rule) socfeed_kql_convert(t, rs, rule, &res);
    strbuf sb;
    sb_init(&sb);
    if (res.query) sb_puts(&sb, res.query);
    else sb_printf(&sb, "refused: %s", res.reason ? res.reason : "(no rule)");
    last = sb_detach(&sb);
    socfeed_kql_result_clear(&res);
    socfeed_ruleset_free(rs);
    socfeed_kql_target_free(t);
    socfeed_diags_clear(&d);
    return last;
}

#define PROC_RULE(body) \
    "title: t\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n" body

static const char *run(const char *target, const char *yaml, const char *jsonl) {
    kql_rows r = kql_rows_load(jsonl);
    const char *q = convert(target, yaml);
    static char out[512];
    snprintf(out, sizeof out, "%s", strncmp(q, "refused", 7) ? kql_rows_selected(q, &r) : q);
    kql_rows_free(&r);
    return out;
}

TEST(kql_sem_inner_wildcard_keeps_order) {
    const char *rule = PROC_RULE("  sel:\n    CommandLine|contains: 'foo*bar'\n  condition: sel\n");
    CHECK_EQ_STR(run("defender-xdr", rule,
                     "{\"ProcessCommandLine\":\"x foo-1 bar\"}\n{\"ProcessCommandLine\":\"bar then foo\"}\n"
                     "{\"ProcessCommandLine\":\"FOO\\nBAR\"}\n"),
                 "0,2");
}

TEST(kql_sem_question_mark_is_one_character) {
    const char *rule = PROC_RULE("  sel:\n    CommandLine|contains: '/fwlink/?linkid'\n  condition: sel\n");
    CHECK_EQ_STR(run("sentinel-asim", rule,
                     "{\"EventType\":\"ProcessCreated\",\"DvcOs\":\"Windows\",\"TargetProcessCommandLine\":\"/fwlink/Xlinkid=1\"}\n"
                     "{\"EventType\":\"ProcessCreated\",\"DvcOs\":\"Windows\",\"TargetProcessCommandLine\":\"/fwlink/linkid=1\"}\n"
                     "{\"EventType\":\"ProcessCreated\",\"DvcOs\":\"Windows\",\"TargetProcessCommandLine\":\"/fwlink/\xC3\xA9linkid\"}\n"),
                 "0,2");
}

/* ASIM TargetProcessFilename is Sysmon's OriginalFileName only on Sysmon rows (Security 4688 and
 * Defender rows carry the image's basename there): other rows never match because of that field,
 * neither through a selection nor through a negated filter (they are missed, never invented). */
TEST(kql_sem_asim_guard) {
    const char *rows =
        "{\"EventType\":\"ProcessCreated\",\"EventOriginalType\":\"1\",\"EventVendor\":\"Microsoft\",\"DvcOs\":\"Windows\",\"TargetProcessFilename\":\"CertUtil.exe\"}\n"
        "{\"EventType\":\"ProcessCreated\",\"EventOriginalType\":\"1\",\"EventVendor\":\"Microsoft\",\"DvcOs\":\"Windows\",\"TargetProcessFilename\":\"\"}\n"
        "{\"EventType\":\"ProcessCreated\",\"EventOriginalType\":\"4688\",\"EventVendor\":\"Microsoft\",\"DvcOs\":\"Windows\",\"TargetProcessFilename\":\"certutil.exe\"}\n";
    CHECK_EQ_STR(run("sentinel-asim", PROC_RULE("  sel:\n    OriginalFileName: 'certutil.exe'\n  condition: sel\n"), rows), "0");
    CHECK_EQ_STR(run("sentinel-asim", PROC_RULE("  sel:\n    OriginalFileName: null\n  condition: sel\n"), rows), "1");
    CHECK_EQ_STR(run("sentinel-asim", PROC_RULE("  sel:\n    OriginalFileName: 'certutil.exe'\n  condition: not sel\n"), rows), "1");
}

TEST(kql_sem_registry_path_rebuilt_and_hive_rewritten) {
    const char *rule =
        "title: t\nlogsource:\n  product: windows\n  category: registry_set\ndetection:\n"
        "  sel:\n    TargetObject: 'HKLM\\SOFTWARE\\Foo\\Bar'\n  condition: sel\n";
    CHECK_EQ_STR(run("sentinel-asim", rule,
                     "{\"EventType\":\"RegistryValueSet\",\"RegistryKey\":\"HKEY_LOCAL_MACHINE\\\\SOFTWARE\\\\Foo\",\"RegistryValue\":\"Bar\"}\n"
                     "{\"EventType\":\"RegistryValueSet\",\"RegistryKey\":\"HKEY_LOCAL_MACHINE\\\\SOFTWARE\\\\Foo\\\\Bar\",\"RegistryValue\":\"\"}\n"
                     "{\"EventType\":\"RegistryValueSet\",\"RegistryKey\":\"HKEY_USERS\\\\SOFTWARE\\\\Foo\",\"RegistryValue\":\"Bar\"}\n"),
                 "0,1");
    CHECK_EQ_STR(run("defender-xdr", rule,
                     "{\"ActionType\":\"RegistryValueSet\",\"RegistryKey\":\"HKEY_LOCAL_MACHINE\\\\SOFTWARE\\\\Foo\",\"RegistryValueName\":\"Bar\"}\n"
                     "{\"ActionType\":\"RegistryValueSet\",\"RegistryKey\":\"HKEY_LOCAL_MACHINE\\\\SOFTWARE\\\\Foo\",\"RegistryValueName\":\"Baz\"}\n"),
                 "0");
}

TEST(kql_sem_defender_dword_is_decimal) {
    const char *rule =
        "title: t\nlogsource:\n  product: windows\n  category: registry_set\ndetection:\n"
        "  sel:\n    Details: 'DWORD (0x00000010)'\n  condition: sel\n";
    CHECK_EQ_STR(run("defender-xdr", rule,
                     "{\"ActionType\":\"RegistryValueSet\",\"RegistryValueData\":\"16\"}\n"
                     "{\"ActionType\":\"RegistryValueSet\",\"RegistryValueData\":\"10\"}\n"),
                 "0");
}

TEST(kql_sem_temporal_per_group_and_window) {
    const char *yaml =
        "title: a\nname: ra\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n"
        "  sel:\n    CommandLine|contains: 'alpha'\n  condition: sel\n---\n"
        "title: b\nname: rb\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n"
        "  sel:\n    CommandLine|contains: 'beta'\n  condition: sel\n---\n"
        "title: both\ncorrelation:\n  type: temporal\n  rules: [ra, rb]\n  group-by: [User]\n  timespan: 1h\n";
    CHECK_EQ_STR(run("azure-monitor", yaml,
                     "{\"TimeGenerated\":\"2024-01-01T10:05:00Z\",\"Provider\":\"Microsoft-Windows-Sysmon\",\"EventID\":1,\"EventData\":{\"User\":\"u1\",\"CommandLine\":\"alpha\"}}\n"
                     "{\"TimeGenerated\":\"2024-01-01T10:50:00Z\",\"Provider\":\"Microsoft-Windows-Sysmon\",\"EventID\":1,\"EventData\":{\"User\":\"u1\",\"CommandLine\":\"beta\"}}\n"
                     "{\"TimeGenerated\":\"2024-01-01T10:06:00Z\",\"Provider\":\"Microsoft-Windows-Sysmon\",\"EventID\":1,\"EventData\":{\"User\":\"u2\",\"CommandLine\":\"alpha\"}}\n"
                     "{\"TimeGenerated\":\"2024-01-01T10:07:00Z\",\"Provider\":\"Microsoft-Windows-Sysmon\",\"EventID\":1,\"EventData\":{\"User\":\"u2\",\"CommandLine\":\"alpha again\"}}\n"
                     "{\"TimeGenerated\":\"2024-01-01T11:10:00Z\",\"Provider\":\"Microsoft-Windows-Sysmon\",\"EventID\":1,\"EventData\":{\"User\":\"u2\",\"CommandLine\":\"beta\"}}\n"),
                 "0,1");
}
