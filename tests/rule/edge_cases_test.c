/* edge_cases_test.c — the 45 edge cases of sigma-semantics.md §3, at the rule-model level: the
 * parsed values, modifiers and condition trees each case implies. (Event-level results belong to
 * the engine's tests.) Values are rendered by value_text(): `*` any, `?` one, `\*` literal star. */
#include "harness.h"
#include "rule/rule_test_util.h"

/* Loads `sel: {KEY: VALUE}` and checks the first value of the first item. */
static void expect_value(const char *key, const char *value, const char *want) {
    char body[2048];
    snprintf(body, sizeof body, "  sel:\n    %s: %s\n  condition: sel\n", key, value);
    loaded l = load_detection(body);
    const socfeed_item *it = find_item(l.rule, "sel");
    CHECK(l.errors == 0);
    CHECK(it && it->nvalues >= 1);
    if (it && it->nvalues) {
        if (strcmp(value_text(&it->values[0]), want))
            harness_fail(__FILE__, __LINE__, "%s: %s gives '%s', expected '%s'", key, value,
                         value_text(&it->values[0]), want);
    }
    unload(&l);
}

static void expect_error(const char *key, const char *value, const char *code) {
    char body[2048];
    snprintf(body, sizeof body, "  sel:\n    %s: %s\n  condition: sel\n", key, value);
    loaded l = load_detection(body);
    if (!has_diag(&l, code) || l.errors == 0)
        harness_fail(__FILE__, __LINE__, "%s: %s: expected error [%s]", key, value, code);
    CHECK(l.rule && !l.rule->valid);
    unload(&l);
}

static void expect_cond(const char *detection, const char *want) {
    loaded l = load_detection(detection);
    CHECK_EQ_INT(l.errors, 0);
    CHECK_EQ_STR(cond_text(l.rule, 0), want);
    unload(&l);
}

TEST(edge01_contains_inner_wildcard) { expect_value("CommandLine|contains", "'foo*bar'", "*foo*bar*"); }
TEST(edge02_escaped_star) { expect_value("CommandLine|contains", "' -Filter \\*'", "* -Filter \\**"); }
TEST(edge03_backslash_then_wildcard) { expect_value("TargetFilename", "'C:\\Temp\\\\*'", "C:\\\\Temp\\\\*"); }
TEST(edge04_single_escaped_star_slip) {
    expect_value("TargetFilename", "'C:\\Temp\\*'", "C:\\\\Temp\\*");
    loaded l = load_detection("  sel:\n    TargetFilename: 'C:\\Temp\\*'\n  condition: sel\n");
    CHECK(has_diag(&l, "escaped-star-slip"));
    CHECK_EQ_INT(l.errors, 0);
    unload(&l);
}
TEST(edge05_three_backslashes_before_star) { expect_value("ShareName", "'\\\\\\\\\\*\\IPC$'", "\\\\\\\\\\*\\\\IPC$"); }
TEST(edge06_trailing_backslash_contains) { expect_value("TargetFilename|contains", "'\\Temp\\'", "*\\\\Temp\\\\*"); }
TEST(edge07_collapsing_backslashes) {
    expect_value("Path|startswith", "'\\\\'", "\\\\*");
    expect_value("Path|startswith", "'\\\\\\\\'", "\\\\\\\\*");
}
TEST(edge08_no_escape_in_plain_strings) { expect_value("a", "'x\\.y'", "x\\\\.y"); }
TEST(edge09_question_mark_is_wildcard) {
    expect_value("c-uri|contains", "'/fwlink/?linkid'", "*/fwlink/?linkid*");
    loaded l = load_detection("  sel:\n    c-uri|contains: '/fwlink/?linkid'\n  condition: sel\n");
    CHECK(has_diag(&l, "unescaped-question-mark"));
    unload(&l);
}
TEST(edge10_case_and_cased) {
    expect_value("Image|endswith", "'\\CMD.EXE'", "*\\\\CMD.EXE");
    loaded l = load_detection("  sel:\n    Image|endswith|cased: '\\CMD.EXE'\n  condition: sel\n");
    const socfeed_item *it = find_item(l.rule, "sel");
    CHECK(it && it->values[0].cased);
    unload(&l);
}
TEST(edge11_regex_case_and_flags) {
    expect_value("CommandLine|re", "'invoke-expression'", "re:invoke-expression/0");
    expect_value("CommandLine|re|i", "'invoke-expression'", "re:invoke-expression/1");
    expect_value("Image|re", "'\\\\cmd\\.exe'", "re:\\\\cmd\\.exe/0");
}
TEST(edge12_windash_charset_and_boundary) {
    expect_value("CommandLine|windash|contains", "' -enc '",
                 "* -enc * | * /enc * | * \xE2\x80\x93" "enc * | * \xE2\x80\x94" "enc * | * \xE2\x80\x95" "enc *");
    expect_value("CommandLine|windash", "'start/b'", "start/b");
    loaded l = load_detection("  sel:\n    CommandLine|windash: '--force'\n  condition: sel\n");
    const socfeed_item *it = find_item(l.rule, "sel");
    CHECK(it && it->values[0].as.str.nalts == 5);
    if (it) CHECK_EQ_STR(pattern_text(&it->values[0].as.str.alts[1]), "-/force");
    unload(&l);
}
TEST(edge13_base64offset) { expect_value("CommandLine|base64offset|contains", "'http://'", "*aHR0cDovL* | *h0dHA6Ly* | *odHRwOi8v*"); }
TEST(edge14_wide_base64offset) {
    expect_value("CommandLine|wide|base64offset|contains", "'ping'", "*cABpAG4AZw* | *AAaQBuAGcA* | *wAGkAbgBnA*");
}
TEST(edge15_all_single_value) {
    loaded l = load_detection("  sel:\n    CommandLine|contains|all: 'x'\n  condition: sel\n");
    CHECK(has_diag(&l, "all-single-value"));
    CHECK_EQ_INT(l.errors, 0);
    const socfeed_item *it = find_item(l.rule, "sel");
    CHECK(it && it->all && it->nvalues == 1);
    unload(&l);
}
TEST(edge16_all_without_contains) {
    loaded l = load_detection("  sel:\n    Image|all: ['a', 'b']\n  condition: sel\n");
    CHECK(has_diag(&l, "all-never-matches"));
    unload(&l);
    l = load_detection("  sel:\n    Image|all: ['*a*', '*b*']\n  condition: sel\n");
    CHECK(!has_diag(&l, "all-never-matches"));
    unload(&l);
}
TEST(edge17_windash_under_all) {
    loaded l = load_detection("  sel:\n    CommandLine|windash|contains|all: ['-a', '-b']\n  condition: sel\n");
    const socfeed_item *it = find_item(l.rule, "sel");
    CHECK(it && it->all && it->nvalues == 2);
    if (it && it->nvalues == 2) {
        CHECK_EQ_INT(it->values[0].as.str.nalts, 5); /* variants OR-ed inside each value */
        CHECK_EQ_INT(it->values[1].as.str.nalts, 5);
    }
    CHECK(has_diag(&l, "windash-all"));
    unload(&l);
}
TEST(edge18_null) { expect_value("PasswordLastSet", "null", "null"); expect_value("PasswordLastSet", "", "null"); }
TEST(edge19_exists) {
    expect_value("a|exists", "true", "exists:true");
    expect_value("a|exists", "false", "exists:false");
    expect_error("a|exists", "'true'", "modifier-type");
}
TEST(edge20_numbers_and_strings) {
    expect_value("EventID", "4688", "number:4688");
    expect_value("EventID", "'4688'", "4688");
    expect_error("EventID|contains", "46", "modifier-type");
}
TEST(edge21_yaml11_integers) {
    expect_value("TicketEncryption", "0x17", "number:0x17");
    loaded l = load_detection("  sel:\n    TicketEncryption: 0x17\n  condition: sel\n");
    const socfeed_item *it = find_item(l.rule, "sel");
    CHECK(it && it->values[0].as.num.i == 23);
    CHECK(has_diag(&l, "yaml11-number"));
    unload(&l);
    expect_value("TicketEncryption", "'0x17'", "0x17");
}
TEST(edge22_booleans) { expect_value("Signed", "true", "bool:true"); expect_value("Signed", "false", "bool:false"); }
TEST(edge23_quoted_null_is_text) {
    loaded l = load_detection("  sel:\n    LogonId: 'null'\n  condition: sel\n");
    const socfeed_item *it = find_item(l.rule, "sel");
    CHECK(it && it->values[0].kind == SOCFEED_VAL_STRING);
    if (it) CHECK_EQ_STR(value_text(&it->values[0]), "null");
    unload(&l);
}
TEST(edge24_empty_list_is_null) {
    loaded l = load_detection("  sel:\n    a: []\n  condition: sel\n");
    const socfeed_item *it = find_item(l.rule, "sel");
    CHECK(it && it->nvalues == 1 && it->values[0].kind == SOCFEED_VAL_NULL);
    CHECK(has_diag(&l, "empty-list"));
    unload(&l);
}
TEST(edge25_one_element_list) { expect_value("a", "['x']", "x"); }
TEST(edge26_null_inside_list) {
    loaded l = load_detection("  sel:\n    a: ['x', null]\n  condition: sel\n");
    const socfeed_item *it = find_item(l.rule, "sel");
    CHECK(it && it->nvalues == 2 && !it->all);
    if (it && it->nvalues == 2) CHECK(it->values[1].kind == SOCFEED_VAL_NULL);
    CHECK(has_diag(&l, "null-in-list"));
    unload(&l);
}
TEST(edge27_keywords) {
    loaded l = load_detection("  keywords:\n    - 'event::clear'\n  condition: keywords\n");
    const socfeed_item *it = find_item(l.rule, "keywords");
    CHECK(it && it->field == NULL && it->nvalues == 1);
    unload(&l);
    l = load_detection("  kw:\n  condition: kw\n");
    CHECK(l.errors > 0);
    unload(&l);
}
TEST(edge28_keyword_all) {
    loaded l = load_detection("  sel:\n    '|all':\n      - 'OabVirtualDirectory'\n      - ' -ExternalUrl '\n  condition: sel\n");
    const socfeed_item *it = find_item(l.rule, "sel");
    CHECK(it && it->field == NULL && it->all && it->nvalues == 2);
    CHECK_EQ_INT(l.errors, 0);
    unload(&l);
}
TEST(edge29_map_versus_list_of_maps) {
    loaded l = load_detection("  sel:\n    - a: 1\n      b: 2\n    - c: 3\n  condition: sel\n");
    const socfeed_det_node *n = l.rule->detection.ids[0].node;
    CHECK(n->kind == SOCFEED_DET_OR && n->nchildren == 2);
    CHECK(n->children[0]->kind == SOCFEED_DET_AND && n->children[0]->nchildren == 2);
    CHECK(n->children[1]->kind == SOCFEED_DET_AND && n->children[1]->nchildren == 1);
    unload(&l);
}
TEST(edge30_multivalued_fields_are_plain_items) { expect_value("Data|contains", "'Install-TransportAgent'", "*Install-TransportAgent*"); }
TEST(edge31_contains_star) { expect_value("errorCode|contains", "'*'", "*"); }
TEST(edge32_neq_negates_item) {
    loaded l = load_detection("  sel:\n    a|neq: ['x', 'y']\n  condition: sel\n");
    const socfeed_item *it = find_item(l.rule, "sel");
    CHECK(it && it->negated && !it->all && it->nvalues == 2);
    unload(&l);
}
TEST(edge33_fieldref) {
    expect_value("User|fieldref", "ParentUser", "ref:ParentUser^$");
    expect_value("User|fieldref|contains", "ParentUser", "ref:ParentUser");
    expect_value("User|fieldref|startswith", "ParentUser", "ref:ParentUser^");
    expect_error("User|contains|fieldref", "ParentUser", "modifier-chain");
}
TEST(edge34_cidr) {
    expect_value("DestinationIp|cidr", "'10.0.0.0/8'", "cidr:v4/8");
    expect_value("DestinationIp|cidr", "'fe80::/10'", "cidr:v6/10");
    expect_error("DestinationIp|cidr", "'10.0.0.1/8'", "cidr-host-bits");
    expect_error("DestinationIp|cidr", "'host'", "cidr-invalid");
}
TEST(edge35_comparison) {
    expect_value("a|gt", "5", "cmp0:5");
    expect_error("a|gt", "'5'", "modifier-type");
}
TEST(edge36_or_and_precedence) {
    expect_cond("  selection1: {a: 1}\n  selection2a: {b: 1}\n  selection2b: {c: 1}\n"
                "  condition: selection1 or selection2a and selection2b\n",
                "(or selection1 (and selection2a selection2b))");
}
TEST(edge37_filter_binds_to_one_branch) {
    expect_cond("  sel_img_a: {a: 1}\n  sel_kali_b: {b: 1}\n  sel_kali_c: {c: 1}\n  filter_main_x: {d: 1}\n"
                "  condition: 1 of sel_img_* or all of sel_kali_* and not 1 of filter_main_*\n",
                "(or (1of sel_img_* sel_img_a) (and (allof sel_kali_* sel_kali_b sel_kali_c) (not (1of filter_main_* filter_main_x))))");
}
TEST(edge38_not_binds_tighter_than_and) {
    expect_cond("  a: {x: 1}\n  b: {y: 1}\n  condition: not a and b\n", "(and (not a) b)");
}
TEST(edge39_selectors_them_hidden_and_empty) {
    expect_cond("  sel: {x: 1}\n  _hidden: {y: 1}\n  other: {z: 1}\n  condition: 1 of them\n", "(1of them sel other)");
    expect_cond("  sel: {x: 1}\n  _hidden: {y: 1}\n  condition: sel and 1 of _hid*\n", "(and sel (1of _hid* _hidden))");
    loaded l = load_detection("  sel: {x: 1}\n  condition: sel and 1 of nomatch*\n");
    CHECK(has_diag(&l, "condition-empty-selector"));
    unload(&l);
}
TEST(edge40_condition_syntax) {
    loaded l = load_detection("  sel: {x: 1}\n  notepad: {y: 1}\n  condition: sel and notepad\n");
    CHECK_EQ_INT(l.errors, 0);
    CHECK_EQ_STR(cond_text(l.rule, 0), "(and sel notepad)");
    CHECK(has_diag(&l, "condition-not-prefix"));
    unload(&l);
    l = load_detection("  sel: {x: 1}\n  x: {y: 1}\n  condition: sel AND x\n");
    CHECK(l.errors > 0 && has_diag(&l, "condition-syntax"));
    unload(&l);
    l = load_detection("  sel-x: {x: 1}\n  condition: 1 of sel-*\n");
    CHECK(has_diag(&l, "condition-syntax"));
    unload(&l);
    expect_cond("  sel-x: {x: 1}\n  condition: sel-x\n", "sel-x");
}
TEST(edge41_correlation_range) {
    loaded l = load_text("title: base\nname: base\nlogsource: {product: windows}\ndetection:\n  sel: {a: 1}\n  condition: sel\n"
                         "---\ntitle: c\ncorrelation:\n  type: event_count\n  rules: [base]\n  group-by: [User]\n"
                         "  timespan: 1h\n  condition: {gt: 100, lte: 200}\n");
    CHECK_EQ_INT(l.errors, 0);
    const socfeed_rule *c = socfeed_ruleset_get(l.rs, 1);
    CHECK(c && c->kind == SOCFEED_DOC_CORRELATION && c->correlation->nbounds == 2);
    if (c && c->correlation->nbounds == 2) {
        CHECK(c->correlation->bounds[0].op == SOCFEED_BOUND_GT && c->correlation->bounds[0].value == 100);
        CHECK(c->correlation->bounds[1].op == SOCFEED_BOUND_LTE && c->correlation->bounds[1].value == 200);
        CHECK(c->correlation->resolved[0] == socfeed_ruleset_get(l.rs, 0));
    }
    unload(&l);
}
TEST(edge42_temporal_default_condition) {
    loaded l = load_text("title: a\nname: a\nlogsource: {product: windows}\ndetection:\n  sel: {x: 1}\n  condition: sel\n---\n"
                         "title: b\nname: b\nlogsource: {product: windows}\ndetection:\n  sel: {y: 1}\n  condition: sel\n---\n"
                         "title: t\ncorrelation:\n  type: temporal\n  rules: [a, b]\n  group-by: [Host]\n  timespan: 5m\n");
    CHECK_EQ_INT(l.errors, 0);
    const socfeed_rule *c = socfeed_ruleset_get(l.rs, 2);
    CHECK(c && c->correlation->nbounds == 1 && c->correlation->bounds[0].op == SOCFEED_BOUND_GTE &&
          c->correlation->bounds[0].value == 2 && c->correlation->timespan_seconds == 300);
    unload(&l);
}
TEST(edge43_filter_polarity) {
    loaded l = load_text("title: r\nid: 11111111-1111-1111-1111-111111111111\nlogsource: {product: windows, category: process_creation}\n"
                         "detection:\n  sel: {a: 1}\n  condition: sel\n---\n"
                         "title: f\nlogsource: {product: windows}\nfilter:\n  rules: [11111111-1111-1111-1111-111111111111]\n"
                         "  selection: {User: admin}\n  condition: not selection\n");
    CHECK_EQ_INT(l.errors, 0);
    const socfeed_rule *r = socfeed_ruleset_get(l.rs, 0), *f = socfeed_ruleset_get(l.rs, 1);
    CHECK(f && f->kind == SOCFEED_DOC_FILTER);
    CHECK(f && socfeed_filter_applies(f, r));
    CHECK_EQ_STR(cond_text(f, 0), "(not selection)");
    unload(&l);
}
TEST(edge44_utf16_and_utf16le) {
    expect_value("a|utf16|base64", "'cmd'", "//5jAG0AZAA=");
    expect_value("a|utf16le|base64", "'cmd'", "YwBtAGQA");
    expect_value("a|wide|base64", "'cmd'", "YwBtAGQA");
    expect_value("a|utf16be|base64", "'cmd'", "AGMAbQBk");
}
TEST(edge45_double_quoted_yaml) {
    expect_value("a", "\"C:\\\\dir\\\\*\"", "C:\\\\dir\\*");
    expect_value("a", "\"\\u0410\"", "\xD0\x90");
}
