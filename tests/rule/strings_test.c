/* strings_test.c — Sigma string parsing: wildcards, the escape rules of sigma-semantics.md §1(d),
 * and how YAML quoting reaches them. */
#include "harness.h"
#include "rule/rule_test_util.h"
#include "rule/sigma_string.h"

static const char *parse(const char *s, bool expand) {
    arena a;
    arena_init(&a);
    pattern_buf pb = {0};
    sigma_parse_string(&pb, &a, s, strlen(s), expand);
    socfeed_pattern p = pattern_buf_finish(&pb, &a);
    static char out[1024];
    snprintf(out, sizeof out, "%s", pattern_text(&p));
    pattern_buf_free(&pb);
    arena_free(&a);
    return out;
}

TEST(escape_rules) {
    CHECK_EQ_STR(parse("a*b", false), "a*b");
    CHECK_EQ_STR(parse("a?b", false), "a?b");
    CHECK_EQ_STR(parse("a\\*b", false), "a\\*b");        /* \* literal star */
    CHECK_EQ_STR(parse("a\\?b", false), "a\\?b");        /* \? literal ? */
    CHECK_EQ_STR(parse("a\\\\b", false), "a\\\\b");      /* \\ is one backslash */
    CHECK_EQ_STR(parse("a\\.b", false), "a\\\\.b");      /* \. keeps both */
    CHECK_EQ_STR(parse("a\\", false), "a\\\\");          /* trailing lone backslash kept */
    CHECK_EQ_STR(parse("\\\\*", false), "\\\\*");        /* backslash then wildcard */
    CHECK_EQ_STR(parse("\\\\\\*", false), "\\\\\\*");    /* backslash then literal star */
    CHECK_EQ_STR(parse("\\\\\\\\", false), "\\\\\\\\");  /* four become two */
    CHECK_EQ_STR(parse("**", false), "*");               /* adjacent stars collapse */
    CHECK_EQ_STR(parse("", false), "");
}

TEST(escape_placeholders) {
    CHECK_EQ_STR(parse("%a%", true), "%a%");
    CHECK_EQ_STR(parse("x%DC-MACHINE-NAME%y", true), "x%DC-MACHINE-NAME%y");
    CHECK_EQ_STR(parse("\\%a%", true), "%a%");            /* literal % then a lone % */
    CHECK_EQ_STR(parse("%%", true), "%%");
    CHECK_EQ_STR(parse("100%", true), "100%");
    CHECK_EQ_STR(parse("\\%a%", false), "\\\\%a%");       /* without expand \% is two characters */
}

TEST(escape_yaml_styles) {
    /* single-quoted: raw; double-quoted: YAML unescapes first; plain: raw */
    loaded l = load_detection("  sel:\n    a: 'C:\\dir\\*'\n    b: \"C:\\\\dir\\\\*\"\n    c: C:\\dir\\\\*\n  condition: sel\n");
    CHECK_EQ_INT(l.errors, 0);
    CHECK_EQ_STR(value_text(&find_item_n(l.rule, "sel", 0)->values[0]), "C:\\\\dir\\*");
    CHECK_EQ_STR(value_text(&find_item_n(l.rule, "sel", 1)->values[0]), "C:\\\\dir\\*");
    CHECK_EQ_STR(value_text(&find_item_n(l.rule, "sel", 2)->values[0]), "C:\\\\dir\\\\*");
    unload(&l);
}

TEST(escape_spaces_are_kept) {
    loaded l = load_detection("  sel:\n    a|contains: ' -x '\n  condition: sel\n");
    CHECK_EQ_STR(value_text(&find_item(l.rule, "sel")->values[0]), "* -x *");
    unload(&l);
}

TEST(base64_helpers) {
    arena a;
    arena_init(&a);
    size_t n;
    CHECK_EQ_STR(sigma_base64(&a, (const unsigned char *)"", 0, &n), "");
    CHECK_EQ_STR(sigma_base64(&a, (const unsigned char *)"f", 1, &n), "Zg==");
    CHECK_EQ_STR(sigma_base64(&a, (const unsigned char *)"fo", 2, &n), "Zm8=");
    CHECK_EQ_STR(sigma_base64(&a, (const unsigned char *)"foo", 3, &n), "Zm9v");
    char *frag[3];
    size_t flen[3];
    sigma_base64offset(&a, (const unsigned char *)"http://", 7, frag, flen);
    CHECK_EQ_STR(frag[0], "aHR0cDovL");
    CHECK_EQ_STR(frag[1], "h0dHA6Ly");
    CHECK_EQ_STR(frag[2], "odHRwOi8v");
    arena_free(&a);
}
