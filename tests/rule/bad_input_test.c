/* bad_input_test.c — hostile or broken rule files: each gets a diagnostic with a position, never a
 * crash or a hang, and the rest of the input is still loaded. */
#include <stdlib.h>

#include "harness.h"
#include "rule/rule_test_util.h"

static const char *good = "title: good\nlogsource: {product: windows}\ndetection: {s: {a: 1}, condition: s}\n";

/* Loads `bad` then a good file; the good one must still load, and `code` must be reported for
 * bad.yml at a position (line > 0) unless `line` is 0. */
static void expect_bad(const char *bad, size_t len, const char *code, unsigned line) {
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_buffer(rs, "bad.yml", bad, len);
    socfeed_ruleset_load_buffer(rs, "good.yml", good, strlen(good));
    socfeed_ruleset_finalize(rs);
    const socfeed_diags *d = socfeed_ruleset_diags(rs);
    bool found = false;
    for (size_t i = 0; i < d->count; i++) {
        if (strcmp(d->items[i].code, code) || strcmp(d->items[i].file, "bad.yml")) continue;
        found = true;
        if (line && d->items[i].pos.line != line)
            harness_fail(__FILE__, __LINE__, "[%s] at line %u, expected %u", code, d->items[i].pos.line, line);
    }
    if (!found) {
        harness_fail(__FILE__, __LINE__, "expected [%s] for bad.yml; got %zu diagnostics", code, d->count);
        for (size_t i = 0; i < d->count && i < 3; i++) fprintf(stderr, "    %s: %s\n", d->items[i].code, d->items[i].message);
    }
    const socfeed_rule *last = socfeed_ruleset_get(rs, socfeed_ruleset_count(rs) - 1);
    CHECK(last && !strcmp(last->file, "good.yml") && last->valid);
    socfeed_ruleset_free(rs);
}

#define BAD(text, code, line) expect_bad(text, strlen(text), code, line)

TEST(bad_malformed_yaml) {
    BAD("title: [unclosed\nlogsource: x\n", "yaml-syntax", 2);
    BAD("title: t\n  bad: indent\n", "yaml-syntax", 2);
    BAD("title: 'unterminated\n", "yaml-syntax", 0);
    BAD("title: t\n\tlogsource: tab\n", "yaml-tab", 2);
}

TEST(bad_wrong_types) {
    BAD("title: t\nlogsource: windows\ndetection: {s: {a: 1}, condition: s}\n", "schema-type", 2);
    BAD("title: t\nlogsource: {product: w}\ndetection: [a]\n", "detection-type", 3);
    BAD("title: t\nlogsource: {product: w}\ndetection: {s: {a: {b: c}}, condition: s}\n", "value-type", 3);
    BAD("title: t\nlogsource: {product: w}\ndetection: {s: {a: [[x]]}, condition: s}\n", "value-type", 3);
    BAD("title: t\nlogsource: {product: w}\ndetection: {s: {a: 1}, condition: [1, {x: y}]}\n", "condition-type", 3);
}

TEST(bad_unknown_modifier_and_parentheses) {
    BAD("title: t\nlogsource: {product: w}\ndetection:\n  s:\n    a|bogus: 1\n  condition: s\n", "modifier-unknown", 5);
    BAD("title: t\nlogsource: {product: w}\ndetection:\n  s: {a: 1}\n  condition: (s\n", "condition-syntax", 5);
}

TEST(bad_huge_value) {
    size_t n = 10u << 20;
    char *doc = malloc(n + 64);
    strcpy(doc, "title: t\nx: '");
    size_t off = strlen(doc);
    memset(doc + off, 'a', n);
    strcpy(doc + off + n, "'\n");
    expect_bad(doc, strlen(doc), "yaml-value-too-long", 2);
    free(doc);
}

TEST(bad_invalid_utf8_and_binary) {
    BAD("title: caf\xC3\x28\nlogsource: {product: w}\n", "yaml-syntax", 0);
    static const char binary[] = "\x7f" "ELF\x02\x01\x01\x00\x00\x00\x00\x00\xff\xfe\x00\x01";
    expect_bad(binary, sizeof binary - 1, "yaml-syntax", 0);
    static const char nul[] = "title: a\x00b\n";
    expect_bad(nul, sizeof nul - 1, "yaml-syntax", 0);
}

TEST(bad_deep_nesting) {
    char *doc = malloc(8192);
    strcpy(doc, "title: t\nx: ");
    for (int i = 0; i < 1000; i++) strcat(doc, "{a: ");
    strcat(doc, "1");
    for (int i = 0; i < 1000; i++) strcat(doc, "}");
    strcat(doc, "\n");
    BAD(doc, "yaml-depth", 2);
    free(doc);
}

TEST(bad_empty_and_comment_only_files) {
    expect_bad("", 0, "empty-file", 1);
    BAD("# only a comment\n", "empty-file", 1);
    BAD("---\n---\n", "empty-file", 1);
}

TEST(bad_bom_is_accepted) {
    const char *doc = "\xEF\xBB\xBFtitle: t\nlogsource: {product: windows}\ndetection: {s: {a: 1}, condition: s}\n";
    loaded l = load_text(doc);
    CHECK_EQ_INT(l.errors, 0);
    CHECK(l.rule && l.rule->valid);
    unload(&l);
}

TEST(bad_many_rules_in_one_file) {
    size_t per = strlen(good) + 4;
    char *doc = malloc(per * 10000 + 1), *w = doc;
    for (int i = 0; i < 10000; i++) w += sprintf(w, "%s---\n", good);
    loaded l = load_text(doc);
    CHECK_EQ_INT(socfeed_ruleset_count(l.rs), 10000);
    CHECK_EQ_INT(l.errors, 0);
    unload(&l);
    free(doc);
}

TEST(bad_map_with_many_keys_is_fast) {
    /* 100,000 distinct keys: duplicate-key detection must not be quadratic. */
    size_t n = 100000;
    char *doc = malloc(n * 16 + 64), *w = doc;
    w += sprintf(w, "title: t\nx:\n");
    for (size_t i = 0; i < n; i++) w += sprintf(w, "  k%zu: 1\n", i);
    w += sprintf(w, "  k7: 2\n");
    expect_bad(doc, (size_t)(w - doc), "yaml-duplicate-key", (unsigned)n + 3);
    free(doc);
}

/* Found by fuzz_rule_yaml (build-fuzz/crashes/fuzz_rule_yaml-crash-5ea93fc5…): a `? [list]` complex
 * key inside `correlation:` reached strcmp as NULL. Complex keys are now rejected by the YAML tree. */
TEST(bad_complex_keys_fuzz_regression) {
    BAD("title: t\ncorrelation:\n    type: event_count\n    ?   - 'x'\n    : y\n", "yaml-complex-key", 4);
    BAD("title: t\n? [a, b]\n: c\nlogsource: {product: x}\n", "yaml-complex-key", 2);
    BAD("title: t\nlogsource: {product: w}\ndetection:\n  ? {a: 1}\n  : x\n  condition: s\n", "yaml-complex-key", 4);
}

/* Found by fuzz_rule_yaml (crash-91286039…): a duplicated `logsource:` map was parsed twice into one
 * custom-field array sized for the second map only (heap overflow). 5,000 custom keys in the first
 * map push the overflow past the arena block, so the sanitizer build sees it. */
TEST(bad_duplicate_logsource_fuzz_regression) {
    enum { KEYS = 5000 };
    char *doc = malloc(KEYS * 16 + 256), *w = doc;
    w += sprintf(w, "title: t\nlogsource:\n  product: a\n");
    for (int i = 0; i < KEYS; i++) w += sprintf(w, "  x%d: 1\n", i);
    w += sprintf(w, "detection:\n  s: {a: 1}\n  condition: s\nlogsource:\n  product: b\n  y: 1\n");
    expect_bad(doc, (size_t)(w - doc), "yaml-duplicate-key", KEYS + 7);
    free(doc);
}

/* Found by fuzz_rule_yaml (crash-835b05a2…): a duplicated `condition:` map inside a correlation was
 * parsed twice into one bounds array sized for the second map only. The same pattern guarded for
 * `aliases`, `detection` and `related`. 5,000 bounds in the first map push the overflow past the
 * arena block, so the sanitizer build sees it; the later map is the one that counts. */
TEST(bad_duplicate_correlation_condition_fuzz_regression) {
    enum { KEYS = 5000 };
    char *doc = malloc(KEYS * 16 + 512), *w = doc;
    w += sprintf(w, "title: t\ncorrelation:\n  type: event_count\n  rules: [r]\n  timespan: 1m\n  condition:\n");
    for (int i = 0; i < KEYS; i++) w += sprintf(w, "    gte: %d\n", i);
    w += sprintf(w, "  condition:\n    gt: 3\n  aliases:\n    a: {r: x}\n    b: {r: y}\n  aliases:\n    c: {r: z}\n");
    expect_bad(doc, (size_t)(w - doc), "yaml-duplicate-key", 0);
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_buffer(rs, "dup.yml", doc, (size_t)(w - doc));
    const socfeed_rule *c = socfeed_ruleset_get(rs, 0);
    CHECK(c && c->correlation);
    if (c && c->correlation) {
        CHECK_EQ_INT(c->correlation->nbounds, 1);
        CHECK_EQ_INT(c->correlation->naliases, 1);
    }
    socfeed_ruleset_free(rs);
    free(doc);
}

/* Found by fuzz_rule_yaml (timeout-ca90844d…): `windash` over an 8.8 KB value with five option
 * dashes built 3,125 alternatives of 8.8 KB each (27 MB; 2.3 s under ASan, past the fuzzer's 10 s on
 * a loaded machine). The alternative count was bounded, their bytes were not: a 1 MB value would
 * have asked for 3 GB. Now one value's expansions hold at most 16 MiB, and a chained modifier that
 * multiplies alternatives is stopped at the step that passes 4,096, not after the chain. */
static char *rule_with_value(const char *modifiers, const char *value) {
    char *doc = malloc(strlen(value) + 256);
    sprintf(doc, "title: t\nlogsource: {product: w}\ndetection:\n  s:\n    CommandLine|%s: '%s'\n  condition: s\n",
            modifiers, value);
    return doc;
}

TEST(bad_expansion_bounds_fuzz_regression) {
    char *big = malloc(8200);
    strcpy(big, " -a -b -c -d -e ");
    memset(big + 16, 'x', 8000);
    big[8016] = 0;
    char *doc = rule_with_value("windash|contains", big);
    BAD(doc, "value-too-large", 5);
    free(doc);
    free(big);
    /* the same dashes in a short value: 3,125 alternatives of a few bytes are fine */
    doc = rule_with_value("windash|contains", " -a -b -c -d -e ");
    loaded l = load_text(doc);
    CHECK(l.rule && l.rule->valid && l.errors == 0);
    unload(&l);
    free(doc);
    /* fuzz_rule_yaml (a 7 KB rule that took 11 s on a loaded machine): windash is held to the byte
     * budget before it builds its variants, and an encoding step after it is checked at once */
    big = malloc(14100);
    strcpy(big, " -a -b -c -d ");
    memset(big + 13, 'x', 6000);
    big[6013] = 0;
    doc = rule_with_value("windash|base64offset|contains", big); /* 625 x 6 KB = 3.8 MB, then 1,875 x 8 KB = 15 MB: fine */
    l = load_text(doc);
    CHECK(l.rule && l.rule->valid && l.errors == 0);
    unload(&l);
    free(doc);
    memset(big + 13, 'x', 14000);
    big[14013] = 0;
    doc = rule_with_value("windash|base64offset|contains", big); /* 8.8 MB, then 35 MB */
    BAD(doc, "value-too-large", 5);
    free(doc);
    free(big);
    /* a refused value is quoted in the message only up to 80 bytes */
    big = malloc(2100);
    strcpy(big, " -a -b -c -d -e -f ");
    memset(big + 19, 'y', 2000);
    big[2019] = 0;
    doc = rule_with_value("windash", big);
    l = load_text(doc);
    const char *msg = diag_text(&l, "windash-too-many");
    CHECK(strlen(msg) < 240 && strstr(msg, "yyy…' into more than 4096"));
    unload(&l);
    free(doc);
    free(big);
    /* six dashes: 15,625 alternatives */
    doc = rule_with_value("windash", " -a -b -c -d -e -f");
    BAD(doc, "windash-too-many", 5);
    free(doc);
    /* a repeated base64offset triples the alternatives each time */
    doc = rule_with_value("base64offset|base64offset|base64offset|base64offset|base64offset|base64offset|base64offset|"
                          "base64offset|base64offset|base64offset|base64offset|base64offset|contains", "abcdef");
    BAD(doc, "value-too-many", 5);
    free(doc);
}
