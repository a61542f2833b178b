/* condition_test.c — every condition construct: and/or/not, parentheses, 1 of / all of / any of
 * with patterns, exact names and `them`, precedence, lists of conditions, and the errors. */
#include <stdlib.h>

#include "harness.h"
#include "rule/condition.h"
#include "rule/rule_test_util.h"

static const char *ids3 = "  a: {x: 1}\n  b: {x: 2}\n  c: {x: 3}\n";

static void expect(const char *condition, const char *want) {
    char body[1024];
    snprintf(body, sizeof body, "%s  condition: %s\n", ids3, condition);
    loaded l = load_detection(body);
    if (l.errors) harness_fail(__FILE__, __LINE__, "'%s': unexpected errors", condition);
    if (strcmp(cond_text(l.rule, 0), want))
        harness_fail(__FILE__, __LINE__, "'%s' parsed as %s, expected %s", condition, cond_text(l.rule, 0), want);
    unload(&l);
}

static void expect_fail(const char *condition, const char *code, const char *position) {
    char body[1024];
    snprintf(body, sizeof body, "%s  condition: %s\n", ids3, condition);
    loaded l = load_detection(body);
    const char *d = diag_text(&l, code);
    if (!d[0]) harness_fail(__FILE__, __LINE__, "'%s': expected [%s]", condition, code);
    else if (position && !strstr(d, position)) harness_fail(__FILE__, __LINE__, "'%s': %s lacks %s", condition, d, position);
    CHECK(l.rule && !l.rule->valid);
    unload(&l);
}

TEST(cond_basic_operators) {
    expect("a", "a");
    expect("a and b", "(and a b)");
    expect("a or b", "(or a b)");
    expect("not a", "(not a)");
    expect("not not a", "(not (not a))");
    expect("a and b and c", "(and a b c)");
    expect("a or b or c", "(or a b c)");
}

TEST(cond_precedence_and_parentheses) {
    expect("a or b and c", "(or a (and b c))");
    expect("a and b or c", "(or (and a b) c)");
    expect("(a or b) and c", "(and (or a b) c)");
    expect("not a or b", "(or (not a) b)");
    expect("not (a or b)", "(not (or a b))");
    expect("((a))", "a");
    expect("a and\n    b", "(and a b)");
}

TEST(cond_selectors) {
    expect("1 of them", "(1of them a b c)");
    expect("all of them", "(allof them a b c)");
    expect("any of them", "(1of them a b c)");
    expect("1 of a*", "(1of a* a)");
    expect("all of *", "(allof * a b c)");
    expect("1 of b", "(1of b b)");
    expect("not 1 of c*", "(not (1of c* c))");
    expect("a and not all of b*", "(and a (not (allof b* b)))");
}

TEST(cond_list_is_ored) {
    loaded l = load_detection("  a: {x: 1}\n  b: {x: 2}\n  condition:\n    - a\n    - b\n");
    CHECK_EQ_INT(l.errors, 0);
    CHECK_EQ_INT(l.rule->detection.nconditions, 2);
    CHECK_EQ_STR(cond_text(l.rule, 1), "b");
    unload(&l);
}

TEST(cond_errors_with_positions) {
    /* the condition scalar starts at line 8, column 14 */
    expect_fail("a and d", "condition-undefined", "test.yml:8:20:");
    expect_fail("(a and b", "condition-syntax", "test.yml:8:14:");
    expect_fail("a and b)", "condition-syntax", "test.yml:8:21:");
    expect_fail("a and", "condition-syntax", NULL);
    expect_fail("a b", "condition-syntax", NULL);
    expect_fail("A", "condition-undefined", NULL);
    expect_fail("a OR b", "condition-syntax", NULL);
    expect_fail("a | count() > 5", "condition-aggregation", NULL);
    expect_fail("1 of x*", "condition-empty-selector", NULL);
    expect_fail("a*", "condition-syntax", NULL);
    expect_fail("all a", "condition-syntax", NULL);
    expect_fail("'   '", "condition-empty", NULL);
}

TEST(cond_unused_identifier_warns) {
    loaded l = load_detection("  a: {x: 1}\n  b: {x: 2}\n  condition: a\n");
    CHECK(has_diag(&l, "identifier-unused"));
    CHECK_EQ_INT(l.errors, 0);
    unload(&l);
}

TEST(cond_missing_condition) {
    loaded l = load_detection("  a: {x: 1}\n");
    CHECK(has_diag(&l, "condition-missing"));
    unload(&l);
}

TEST(cond_deep_nesting_bounded) {
    char cond[4096] = "", body[8192];
    for (int i = 0; i < 1000; i++) strcat(cond, "(");
    snprintf(body, sizeof body, "  a: {x: 1}\n  condition: '%sa'\n", cond);
    loaded l = load_detection(body);
    CHECK(has_diag(&l, "condition-depth"));
    unload(&l);
}

TEST(cond_pattern_glob) {
    CHECK(cond_pattern_matches("sel_*", 5, "sel_a"));
    CHECK(cond_pattern_matches("*", 1, ""));
    CHECK(cond_pattern_matches("a*b*c", 5, "axxbyyc"));
    CHECK(!cond_pattern_matches("a*b", 3, "ab_"));
    CHECK(!cond_pattern_matches("sel", 3, "sel_a"));
}

TEST(cond_tokenizer_words) {
    cond_token *t;
    size_t n = cond_tokenize("not notepad and(x)", &t);
    CHECK_EQ_INT(n, 7);
    CHECK(t[0].kind == CTOK_NOT && t[1].kind == CTOK_WORD && t[2].kind == CTOK_AND && t[3].kind == CTOK_LPAREN);
    CHECK(t[4].kind == CTOK_WORD && t[5].kind == CTOK_RPAREN && t[6].kind == CTOK_END);
    free(t);
}
