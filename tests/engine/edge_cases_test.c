/* edge_cases_test.c — the 45 edge cases of ../shared/reference/sigma-semantics.md §3, at the event
 * level: each rule and event is the one the case describes, each expectation the case's verdict.
 * (Cases 41–43 need several documents or a stream: correlate_test.c and filter tests below.) */
#include "engine/engine_test_util.h"
#include "harness.h"

#define MATCH(body, ev) CHECK_EQ_INT(match_detection(body, ev), 1)
#define NO_MATCH(body, ev) CHECK_EQ_INT(match_detection(body, ev), 0)
#define REJECTED(body) CHECK_EQ_INT(match_detection(body, "{}"), -1)

/* A one-identifier detection: `sel:` holding one line, condition sel. */
#define SEL(line) "  sel:\n    " line "\n  condition: sel\n"

TEST(engine_edge01_contains_inner_wildcard) { MATCH(SEL("CommandLine|contains: 'foo*bar'"), ev1("CommandLine", "x foo-1 bar")); }

TEST(engine_edge02_escaped_star) {
    MATCH(SEL("CommandLine|contains: ' -Filter \\*'"), ev1("CommandLine", "Get-ADComputer -Filter *"));
    NO_MATCH(SEL("CommandLine|contains: ' -Filter \\*'"), ev1("CommandLine", "Get-ADComputer -Filter name"));
}

TEST(engine_edge03_backslash_then_wildcard) { MATCH(SEL("TargetFilename: 'C:\\Temp\\\\*'"), ev1("TargetFilename", "C:\\Temp\\a.exe")); }

TEST(engine_edge04_single_backslash_star_is_literal) {
    NO_MATCH(SEL("TargetFilename: 'C:\\Temp\\*'"), ev1("TargetFilename", "C:\\Temp\\a.exe"));
    MATCH(SEL("TargetFilename: 'C:\\Temp\\*'"), ev1("TargetFilename", "C:\\Temp*"));
}

TEST(engine_edge05_three_backslashes_before_star) {
    MATCH(SEL("ShareName: '\\\\\\\\\\*\\IPC$'"), ev1("ShareName", "\\\\*\\IPC$"));
    NO_MATCH(SEL("ShareName: '\\\\\\\\\\*\\IPC$'"), ev1("ShareName", "\\\\HOST\\IPC$"));
}

TEST(engine_edge06_trailing_backslash_contains) { MATCH(SEL("TargetFilename|contains: '\\Temp\\'"), ev1("TargetFilename", "C:\\x\\Temp\\e.exe")); }

TEST(engine_edge07_collapsing_backslashes) { MATCH(SEL("Path|startswith: '\\\\'"), ev1("Path", "\\foo")); }

TEST(engine_edge08_no_escape_in_plain_strings) {
    MATCH(SEL("a: 'x\\.y'"), ev1("a", "x\\.y"));
    NO_MATCH(SEL("a: 'x\\.y'"), ev1("a", "x.y"));
}

TEST(engine_edge09_question_mark_is_one_character) {
    MATCH(SEL("c-uri|contains: '/fwlink/?linkid'"), ev1("c-uri", "/fwlink/Xlinkid"));
    NO_MATCH(SEL("c-uri|contains: '/fwlink/?linkid'"), ev1("c-uri", "/fwlink/linkid"));
    /* one code point, not one byte: é is two bytes in UTF-8 */
    MATCH(SEL("c-uri|contains: '/fwlink/?linkid'"), ev1("c-uri", "/fwlink/\xc3\xa9linkid"));
}

TEST(engine_edge10_case_insensitive_unicode_and_cased) {
    MATCH(SEL("Image|endswith: '\\CMD.EXE'"), ev1("Image", "C:\\Windows\\cmd.exe"));
    NO_MATCH(SEL("Image|endswith|cased: '\\CMD.EXE'"), ev1("Image", "C:\\Windows\\cmd.exe"));
    /* Cyrillic: rule А (U+0410), event а (U+0430): simple case folding, not ASCII-only */
    MATCH(SEL("a: \"\\u0410\""), ev1("a", "\xd0\xb0"));
    /* full simple case folding, not a table of a few scripts: the Kelvin sign is a "k" */
    MATCH(SEL("a|contains: 'kerberos'"), ev1("a", "\xe2\x84\xaa" "ERBEROS"));
    MATCH(SEL("a: 'STRAẞE'"), ev1("a", "straße"));
}

TEST(engine_edge11_regex_case_and_search) {
    NO_MATCH(SEL("CommandLine|re: 'invoke-expression'"), ev1("CommandLine", "Invoke-Expression"));
    MATCH(SEL("CommandLine|re|i: 'invoke-expression'"), ev1("CommandLine", "Invoke-Expression"));
    MATCH(SEL("CommandLine|re: '(?i)invoke-expression'"), ev1("CommandLine", "Invoke-Expression"));
    MATCH(SEL("Image|re: '\\\\cmd\\.exe'"), ev1("Image", "C:\\x\\cmd.exe"));
}

TEST(engine_edge12_windash) {
    MATCH(SEL("CommandLine|windash|contains: ' -enc '"), ev1("CommandLine", "ps \xe2\x80\x94" "enc AAA"));
    NO_MATCH(SEL("CommandLine|windash|contains: 'start/b'"), ev1("CommandLine", "start -b"));
    MATCH(SEL("CommandLine|windash|contains: '--force'"), ev1("CommandLine", "x -/force"));
    NO_MATCH(SEL("CommandLine|windash|contains: '--force'"), ev1("CommandLine", "x //force"));
}

TEST(engine_edge13_base64offset) { MATCH(SEL("CommandLine|base64offset|contains: 'http://'"), ev1("CommandLine", "YWh0dHA6Ly94")); }

TEST(engine_edge14_wide_base64offset) {
    MATCH(SEL("CommandLine|wide|base64offset|contains: 'ping'"), ev1("CommandLine", "-enc cABpAG4AZwAgADgA"));
}

TEST(engine_edge15_all_with_one_value) { MATCH(SEL("CommandLine|contains|all: 'x'"), ev1("CommandLine", "ax")); }

TEST(engine_edge16_all_without_contains) {
    NO_MATCH(SEL("Image|all: ['a', 'b']"), ev1("Image", "a"));
    MATCH(SEL("Image|all: ['*a*', '*b*']"), ev1("Image", "xaxbx"));
}

TEST(engine_edge17_windash_under_all) {
    MATCH(SEL("CommandLine|windash|contains|all: ['-a', '-b']"), ev1("CommandLine", "x /a \xe2\x80\x93" "b"));
    NO_MATCH(SEL("CommandLine|windash|contains|all: ['-a', '-b']"), ev1("CommandLine", "x /a"));
}

TEST(engine_edge18_missing_versus_null) {
    const char *r = SEL("PasswordLastSet: null");
    MATCH(r, "{}");
    MATCH(r, "{\"PasswordLastSet\":null}");
    NO_MATCH(r, ev1("PasswordLastSet", "-"));
    NO_MATCH(r, ev1("PasswordLastSet", ""));
}

TEST(engine_edge19_exists) {
    MATCH(SEL("a|exists: true"), "{\"a\":null}");
    MATCH(SEL("a|exists: true"), ev1("a", ""));
    NO_MATCH(SEL("a|exists: true"), "{}");
    MATCH(SEL("a|exists: false"), "{}");
    NO_MATCH(SEL("a|exists: false"), "{\"a\":null}");
}

TEST(engine_edge20_numbers_and_strings) {
    MATCH(SEL("EventID: 4688"), ev1("EventID", "4688"));
    MATCH(SEL("EventID: '4688'"), "{\"EventID\":4688}");
    MATCH(SEL("EventID: 4688"), "{\"EventID\":4688}");
    NO_MATCH(SEL("EventID: 4688"), ev1("EventID", "04688"));
    REJECTED(SEL("EventID|contains: 46"));
}

TEST(engine_edge21_yaml11_integers) {
    NO_MATCH(SEL("TicketEncryption: 0x17"), ev1("TicketEncryption", "0x17"));
    MATCH(SEL("TicketEncryption: 0x17"), "{\"TicketEncryption\":23}");
    MATCH(SEL("TicketEncryption: '0x17'"), ev1("TicketEncryption", "0x17"));
}

TEST(engine_edge22_booleans) {
    MATCH(SEL("Signed: true"), ev1("Signed", "true"));
    MATCH(SEL("Signed: true"), "{\"Signed\":true}");
    NO_MATCH(SEL("Signed: true"), ev1("Signed", "false"));
}

TEST(engine_edge23_quoted_null_is_text) {
    NO_MATCH(SEL("LogonId: 'null'"), "{}");
    MATCH(SEL("LogonId: 'null'"), ev1("LogonId", "null"));
}

TEST(engine_edge24_empty_list_is_null) { MATCH(SEL("a: []"), "{}"); }

TEST(engine_edge25_one_element_list) { MATCH(SEL("a: ['x']"), ev1("a", "X")); }

TEST(engine_edge26_null_inside_list) {
    MATCH(SEL("a: ['x', null]"), "{}");
    MATCH(SEL("a: ['x', null]"), ev1("a", "x"));
    NO_MATCH(SEL("a: ['x', null]"), ev1("a", "y"));
}

TEST(engine_edge27_keywords) {
    const char *r = "  keywords:\n    - 'event::clear'\n  condition: keywords\n";
    MATCH(r, ev1("Msg", "called event::clear"));
    NO_MATCH(r, ev1("Msg", "called event::list"));
    REJECTED("  keywords:\n  condition: keywords\n");
}

TEST(engine_edge28_keyword_all) {
    const char *r = "  keywords:\n    '|all':\n      - 'OabVirtualDirectory'\n      - ' -ExternalUrl '\n  condition: keywords\n";
    MATCH(r, ev2("a", "Set-OabVirtualDirectory x", "b", "y -ExternalUrl z"));
    NO_MATCH(r, ev2("a", "Set-OabVirtualDirectory x", "b", "y"));
}

TEST(engine_edge29_map_versus_list_of_maps) {
    const char *r = "  sel:\n    - a: 1\n      b: 2\n    - c: 3\n  condition: sel\n";
    MATCH(r, "{\"a\":1,\"c\":3}");
    NO_MATCH(r, "{\"a\":1}");
    MATCH(r, "{\"a\":1,\"b\":2}");
}

TEST(engine_edge30_multi_valued_fields) {
    MATCH(SEL("Data|contains: 'Install-TransportAgent'"), "{\"Data\":[\"x\",\"Install-TransportAgent -Name y\"]}");
    NO_MATCH(SEL("Data|contains: 'Install-TransportAgent'"), "{\"Data\":[\"x\",\"y\"]}");
}

TEST(engine_edge31_contains_star_means_present) {
    MATCH(SEL("errorCode|contains: '*'"), ev1("errorCode", ""));
    NO_MATCH(SEL("errorCode|contains: '*'"), "{}");
}

TEST(engine_edge32_neq_negates_the_item) {
    MATCH(SEL("a|neq: ['x', 'y']"), ev1("a", "z"));
    MATCH(SEL("a|neq: ['x', 'y']"), "{}");
    NO_MATCH(SEL("a|neq: ['x', 'y']"), ev1("a", "X"));
}

TEST(engine_edge33_fieldref) {
    MATCH(SEL("User|fieldref: ParentUser"), ev2("User", "NT AUTHORITY\\SYSTEM", "ParentUser", "NT AUTHORITY\\SYSTEM"));
    MATCH(SEL("User|fieldref: ParentUser"), ev2("User", "nt authority\\system", "ParentUser", "NT AUTHORITY\\SYSTEM"));
    NO_MATCH(SEL("User|fieldref: ParentUser"), ev2("User", "bob", "ParentUser", "alice"));
    NO_MATCH(SEL("User|fieldref: ParentUser"), ev1("User", "bob"));
}

TEST(engine_edge34_cidr) {
    MATCH(SEL("DestinationIp|cidr: '10.0.0.0/8'"), ev1("DestinationIp", "10.1.2.3"));
    NO_MATCH(SEL("DestinationIp|cidr: '10.0.0.0/8'"), ev1("DestinationIp", "11.0.0.1"));
    NO_MATCH(SEL("DestinationIp|cidr: '10.0.0.0/8'"), ev1("DestinationIp", "host"));
    MATCH(SEL("DestinationIp|cidr: 'fe80::/10'"), ev1("DestinationIp", "fe80::1"));
    NO_MATCH(SEL("DestinationIp|cidr: 'fe80::/10'"), ev1("DestinationIp", "fec0::1"));
    REJECTED(SEL("DestinationIp|cidr: '10.0.0.1/8'"));
}

TEST(engine_edge35_comparison) {
    MATCH(SEL("a|gt: 5"), ev1("a", "6"));
    NO_MATCH(SEL("a|gt: 5"), ev1("a", "5"));
    NO_MATCH(SEL("a|gt: 5"), ev1("a", "abc"));
    MATCH(SEL("a|lte: 5"), "{\"a\":5}");
}

#define THREE_SELS "  selection1:\n    a: 1\n  selection2a:\n    b: 1\n  selection2b:\n    c: 1\n"

TEST(engine_edge36_or_and_precedence) {
    const char *r = THREE_SELS "  condition: selection1 or selection2a and selection2b\n";
    MATCH(r, "{\"a\":1}");
    NO_MATCH(r, "{\"b\":1}");
    MATCH(r, "{\"b\":1,\"c\":1}");
}

TEST(engine_edge37_filter_binds_to_its_branch) {
    const char *r = "  sel_img_1:\n    a: 1\n  sel_kali_1:\n    k: 1\n  filter_main_1:\n    f: 1\n"
                    "  condition: 1 of sel_img_* or all of sel_kali_* and not 1 of filter_main_*\n";
    MATCH(r, "{\"a\":1,\"f\":1}");
    NO_MATCH(r, "{\"k\":1,\"f\":1}");
    MATCH(r, "{\"k\":1}");
}

TEST(engine_edge38_not_binds_tighter_than_and) {
    const char *r = "  a:\n    x: 1\n  b:\n    y: 1\n  condition: not a and b\n";
    MATCH(r, "{\"y\":1}");
    NO_MATCH(r, "{\"x\":1,\"y\":1}");
}

TEST(engine_edge39_selectors) {
    const char *r = "  sel:\n    x: 1\n  _hidden:\n    y: 1\n  condition: 1 of them\n";
    NO_MATCH(r, "{\"y\":1}");
    MATCH(r, "{\"x\":1}");
    REJECTED("  sel:\n    x: 1\n  condition: sel and 1 of nomatch*\n");
}

TEST(engine_edge40_condition_syntax) {
    MATCH("  sel:\n    x: 1\n  notepad:\n    y: 1\n  condition: sel and notepad\n", "{\"x\":1,\"y\":1}");
    REJECTED("  sel:\n    x: 1\n  x:\n    y: 1\n  condition: sel AND x\n");
    REJECTED("  sel-a:\n    x: 1\n  condition: 1 of sel-*\n");
}

TEST(engine_edge43_filter_polarity) {
    const char *rule = "title: r\nid: 11111111-1111-1111-1111-111111111111\nlogsource:\n  product: windows\n"
                       "detection:\n  sel:\n    a: 1\n  condition: sel\n";
    char restrict_doc[1024], exclude_doc[1024];
    snprintf(restrict_doc, sizeof restrict_doc,
             "%s---\ntitle: f\nlogsource:\n  product: windows\nfilter:\n  rules:\n    - 11111111-1111-1111-1111-111111111111\n"
             "  selection:\n    b: 1\n  condition: selection\n", rule);
    snprintf(exclude_doc, sizeof exclude_doc,
             "%s---\ntitle: f\nlogsource:\n  product: windows\nfilter:\n  rules:\n    - 11111111-1111-1111-1111-111111111111\n"
             "  selection:\n    b: 1\n  condition: not selection\n", rule);
    /* condition: selection restricts the rule to events with b: 1 */
    CHECK_EQ_INT(match_rule(restrict_doc, "{\"a\":1}", false), 0);
    CHECK_EQ_INT(match_rule(restrict_doc, "{\"a\":1,\"b\":1}", false), 1);
    /* condition: not selection excludes them */
    CHECK_EQ_INT(match_rule(exclude_doc, "{\"a\":1}", false), 1);
    CHECK_EQ_INT(match_rule(exclude_doc, "{\"a\":1,\"b\":1}", false), 0);
}

TEST(engine_edge44_utf16_follows_the_spec) {
    MATCH(SEL("a|utf16|base64: 'cmd'"), ev1("a", "//5jAG0AZAA="));
    NO_MATCH(SEL("a|utf16|base64: 'cmd'"), ev1("a", "77u/YwBtAGQA"));
    MATCH(SEL("a|utf16le|base64: 'cmd'"), ev1("a", "YwBtAGQA"));
}

TEST(engine_edge45_double_quoted_yaml) {
    /* YAML gives C:\dir\*, whose \* Sigma reads as a literal star: the value is C:\dir* */
    MATCH(SEL("a: \"C:\\\\dir\\\\*\""), ev1("a", "C:\\dir*"));
    NO_MATCH(SEL("a: \"C:\\\\dir\\\\*\""), ev1("a", "C:\\dir\\x"));
}
