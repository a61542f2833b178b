/* kql_fuzz_regress_test.c — inputs found by tests/fuzz/fuzz_convert.c and fuzz_kql_mapping.c, kept
 * as regression tests (the sanitizer build is what sees the second one fail). */
#include <string.h>

#include "harness.h"
#include "socfeed/kql.h"
#include "socfeed/kql_eval.h"
#include "socfeed/rule.h"
#include "util/strbuf.h"
#include "verify/kql/kql_ast.h"

static socfeed_ruleset *load_text(const char *text) {
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_buffer(rs, "r.yml", text, strlen(text));
    socfeed_ruleset_finalize(rs);
    return rs;
}

static const char *const targets[] = {"sentinel-asim", "defender-xdr", "azure-monitor"};

/* crash-c6d046ce…: a logsource value spanning lines (a plain YAML scalar continued on the next
 * lines) was quoted into the refusal reason, which then had newlines: a reason is one line. */
TEST(kql_fuzz_refusal_reason_is_one_line) {
    const char *text = "title: t\nlogsource:\n    category: process_creation\n  \n            - 'pty'\n"
                       "            - 'socket'\ndetection:\n    sel:\n        Image|contains: 'python'\n    condition: sel\n";
    socfeed_ruleset *rs = load_text(text);
    for (size_t i = 0; i < 3; i++) {
        socfeed_kql_target *t = socfeed_kql_target_new(targets[i], NULL);
        socfeed_kql_result res;
        memset(&res, 0, sizeof res);
        int rc = socfeed_kql_convert(t, rs, socfeed_ruleset_get(rs, 0), &res);
        CHECK(rc != 0);
        CHECK(res.reason && strstr(res.reason, "has no table") && !strchr(res.reason, '\n'));
        socfeed_kql_result_clear(&res);
        socfeed_kql_target_free(t);
    }
    socfeed_ruleset_free(rs);
}

/* crash-4b907793…: a mapping entry whose `where` item has no column reached arena_strndup(NULL, 0),
 * a memcpy from NULL (undefined behaviour). The file is refused with diagnostics, nothing else. */
TEST(kql_fuzz_mapping_where_without_column) {
    const char *text = "logsources:\n  - id: n\n    match: {product: linux}\n    table: T\n"
                       "    where: [{service A.b, op: \"!startswith\", value: \"/\"}]\n    keyword_field: M\n"
                       "    fields: {X: {expr: !iff(a == \"\", b, c)', when: g}}\n"
                       "guards: {g: [{column: G, op: in, values: [2, 2]}]}\n";
    socfeed_diags d;
    socfeed_diags_init(&d);
    socfeed_kql_target *t = socfeed_kql_target_new("sentinel-asim", &d);
    int rc = socfeed_kql_target_add_mapping_buffer(t, "m.yml", text, strlen(text), &d);
    CHECK(rc != 0);
    CHECK(d.errors >= 1);
    socfeed_kql_target_free(t);
    socfeed_diags_clear(&d);
}

/* crash-e3dd4ac1…: a value with an inner wildcard and an escaped backslash before a digit becomes
 * the regex `a.*\\2` (a literal backslash, then 2). The KQL checker searched the text for "\2" and
 * rejected the converter's valid query as using a backreference. Every target's query must parse. */
TEST(kql_fuzz_escaped_backslash_before_digit_is_re2) {
    const char *text = "title: t\nlogsource: {product: windows, category: process_creation}\ndetection:\n"
                       "    sel:\n        CommandLine|contains: 'a*\\\\2'\n    condition: sel\n";
    socfeed_ruleset *rs = load_text(text);
    for (size_t i = 0; i < 3; i++) {
        socfeed_kql_target *t = socfeed_kql_target_new(targets[i], NULL);
        socfeed_kql_result res;
        memset(&res, 0, sizeof res);
        CHECK_EQ_INT(socfeed_kql_convert(t, rs, socfeed_ruleset_get(rs, 0), &res), 0);
        CHECK(res.query && strstr(res.query, "matches regex") && strstr(res.query, "a.*\\\\2"));
        socfeed_diags d;
        socfeed_diags_init(&d);
        socfeed_kql_query *q = res.query ? socfeed_kql_parse("q", res.query, &d) : NULL;
        CHECK(q != NULL);
        socfeed_kql_query_free(q);
        socfeed_diags_clear(&d);
        socfeed_kql_result_clear(&res);
        socfeed_kql_target_free(t);
    }
    socfeed_ruleset_free(rs);
}

/* oom-21dde9c6…: a windash value with many dashes converts to a query of thousands of `or`ed
 * strings (860 KB); parsing it took 1.4 GB: each string literal was given a buffer the size of the
 * rest of the query, and each `or` operand copied the operand list. Memory must stay linear. */
TEST(kql_fuzz_long_or_chain_parses_in_linear_memory) {
    strbuf q;
    sb_init(&q);
    sb_puts(&q, "T\n| where a contains \"x\"");
    for (int i = 0; i < 5000; i++) sb_printf(&q, "\n    or a contains \"value number %d, long enough to count\"", i);
    socfeed_diags d;
    socfeed_diags_init(&d);
    socfeed_kql_query *k = socfeed_kql_parse("q", q.data, &d);
    CHECK(k != NULL);
    if (k) {
        CHECK(k->a.used_total < 16 * q.len); /* was about 2,500 x the query's size */
        socfeed_kql_query_free(k);
    }
    socfeed_diags_clear(&d);
    sb_free(&q);
}

/* Found in review: a regex with a YAML "\0" inside was written up to the NUL (`ab\0c` as
 * `matches regex "ab"`, a wider query than the rule). The whole pattern is checked: refused. */
TEST(kql_regex_with_a_nul_is_refused_not_cut) {
    socfeed_ruleset *rs = load_text("title: t\nlogsource: {product: windows, category: process_creation}\n"
                                    "detection:\n  sel:\n    CommandLine|re: \"ab\\0c\"\n  condition: sel\n");
    for (size_t i = 0; i < 3; i++) {
        socfeed_kql_target *t = socfeed_kql_target_new(targets[i], NULL);
        socfeed_kql_result res;
        memset(&res, 0, sizeof res);
        CHECK(socfeed_kql_convert(t, rs, socfeed_ruleset_get(rs, 0), &res) != 0);
        CHECK(res.reason && strstr(res.reason, "control bytes"));
        socfeed_kql_result_clear(&res);
        socfeed_kql_target_free(t);
    }
    socfeed_ruleset_free(rs);
}
