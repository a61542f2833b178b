/* modifiers_test.c — every value modifier of Sigma 2.1 and the chaining rules (sigma-semantics.md
 * §1(c)), at the model level. */
#include "harness.h"
#include "rule/rule_test_util.h"

static loaded load_sel(const char *key, const char *value) {
    char body[2048];
    snprintf(body, sizeof body, "  sel:\n    %s: %s\n  condition: sel\n", key, value);
    return load_detection(body);
}

#define EXPECT_VALUE(key, value, want)                                                   \
    do {                                                                                 \
        loaded l_ = load_sel(key, value);                                                \
        const socfeed_item *it_ = find_item(l_.rule, "sel");                             \
        CHECK_EQ_INT(l_.errors, 0);                                                      \
        if (it_ && it_->nvalues) CHECK_EQ_STR(value_text(&it_->values[0]), want);        \
        else harness_fail(__FILE__, __LINE__, "no value for %s", key);                   \
        unload(&l_);                                                                     \
    } while (0)

#define EXPECT_ERROR(key, value, code)                                                   \
    do {                                                                                 \
        loaded l_ = load_sel(key, value);                                                \
        if (!has_diag(&l_, code)) harness_fail(__FILE__, __LINE__, "%s: %s: no [%s]", key, value, code); \
        CHECK(l_.errors > 0 && l_.rule && !l_.rule->valid);                              \
        unload(&l_);                                                                     \
    } while (0)

TEST(mod_contains_startswith_endswith) {
    EXPECT_VALUE("a|contains", "'x'", "*x*");
    EXPECT_VALUE("a|startswith", "'x'", "x*");
    EXPECT_VALUE("a|endswith", "'x'", "*x");
    EXPECT_VALUE("a|startswith", "'x*'", "x*");   /* no second star */
    EXPECT_VALUE("a|endswith", "'*x'", "*x");
    EXPECT_VALUE("a|contains", "''", "*");
}

TEST(mod_chain_recorded_in_order) {
    loaded l = load_sel("a|base64offset|contains", "'x'");
    const socfeed_item *it = find_item(l.rule, "sel");
    CHECK(it && it->nmods == 2 && it->mods[0] == SOCFEED_MOD_BASE64OFFSET && it->mods[1] == SOCFEED_MOD_CONTAINS);
    CHECK(it && !strcmp(it->field, "a"));
    unload(&l);
}

TEST(mod_all_and_or) {
    loaded l = load_sel("a|contains|all", "['x', 'y']");
    const socfeed_item *it = find_item(l.rule, "sel");
    CHECK(it && it->all && it->nvalues == 2);
    unload(&l);
    l = load_sel("a|contains", "['x', 'y']");
    it = find_item(l.rule, "sel");
    CHECK(it && !it->all && it->nvalues == 2);
    unload(&l);
}

TEST(mod_base64) {
    EXPECT_VALUE("a|base64", "'cmd'", "Y21k");
    EXPECT_VALUE("a|base64|contains", "'http://'", "*aHR0cDovLw==*");
    EXPECT_ERROR("a|contains|base64", "'x'", "modifier-chain");
    EXPECT_ERROR("a|base64", "'x*'", "modifier-chain");
}

TEST(mod_base64offset_byte_length) {
    /* Non-ASCII: fragments computed on UTF-8 bytes ("é" is 2 bytes), never an empty fragment. */
    loaded l = load_sel("a|base64offset|contains", "'é'");
    const socfeed_item *it = find_item(l.rule, "sel");
    CHECK_EQ_INT(l.errors, 0);
    CHECK(it && it->values[0].as.str.nalts >= 1);
    for (size_t i = 0; it && i < it->values[0].as.str.nalts; i++) CHECK(it->values[0].as.str.alts[i].nsegs == 3);
    unload(&l);
    EXPECT_VALUE("a|base64offset|contains", "'a'", "*Y* | *h*"); /* pySigma: Y, "", h; the empty one would match anything */
}

TEST(mod_base64offset_warns_without_contains) {
    loaded l = load_sel("a|base64offset", "'abc'");
    CHECK(has_diag(&l, "base64offset-without-contains"));
    unload(&l);
}

TEST(mod_wide_utf16) {
    EXPECT_VALUE("a|wide", "'ab'", "a\\x00b\\x00");
    EXPECT_VALUE("a|utf16be", "'ab'", "\\x00a\\x00b");
    EXPECT_VALUE("a|utf16", "'a'", "\xFF\xFE" "a\\x00");
    EXPECT_VALUE("a|wide|contains", "'a'", "*a\\x00*");
    EXPECT_ERROR("a|wide", "'é'", "modifier-non-ascii");
}

TEST(mod_windash_expansion_counts) {
    loaded l = load_sel("a|windash|contains", "' -a -b'");
    const socfeed_item *it = find_item(l.rule, "sel");
    CHECK(it && it->values[0].as.str.nalts == 25);
    if (it) {
        CHECK_EQ_STR(pattern_text(&it->values[0].as.str.alts[0]), "* -a -b*");
        CHECK_EQ_STR(pattern_text(&it->values[0].as.str.alts[1]), "* -a /b*");
        CHECK_EQ_STR(pattern_text(&it->values[0].as.str.alts[5]), "* /a -b*");
    }
    unload(&l);
    EXPECT_VALUE("a|windash", "'x-y'", "x-y");            /* not at a word start */
    EXPECT_VALUE("a|windash", "'-é'", "-\xC3\xA9 | /\xC3\xA9 | \xE2\x80\x93\xC3\xA9 | \xE2\x80\x94\xC3\xA9 | \xE2\x80\x95\xC3\xA9");
}

TEST(mod_windash_order_independent) {
    loaded a = load_sel("a|contains|windash", "' -x'");
    loaded b = load_sel("a|windash|contains", "' -x'");
    const socfeed_item *ia = find_item(a.rule, "sel"), *ib = find_item(b.rule, "sel");
    CHECK(ia && ib);
    if (ia && ib) {
        char first[4096];
        snprintf(first, sizeof first, "%s", value_text(&ia->values[0]));
        CHECK_EQ_STR(value_text(&ib->values[0]), first);
    }
    unload(&a);
    unload(&b);
}

TEST(mod_re_and_flags) {
    EXPECT_VALUE("a|re", "'^a.*b$'", "re:^a.*b$/0");
    EXPECT_VALUE("a|re|i|m|s", "'x'", "re:x/7");
    EXPECT_VALUE("a|re|ignorecase|multiline|dotall", "'x'", "re:x/7");
    EXPECT_VALUE("a|re|contains", "'x'", "re:.*x.*/0");
    EXPECT_VALUE("a|re|contains", "'^x$'", "re:^x$/0");
    EXPECT_ERROR("a|contains|re", "'x'", "modifier-chain");
    EXPECT_ERROR("a|i", "'x'", "modifier-chain");
    EXPECT_ERROR("a|re", "'(unclosed'", "regex-invalid");
    EXPECT_ERROR("a|re|cased", "'x'", "modifier-chain");
}

TEST(mod_re_is_compiled_at_load) {
    loaded l = load_sel("a|re", "'\\d{3}'");
    const socfeed_item *it = find_item(l.rule, "sel");
    CHECK(it && it->values[0].kind == SOCFEED_VAL_REGEX && it->values[0].as.re.code != NULL);
    unload(&l);
}

TEST(mod_cased) {
    loaded l = load_sel("a|contains|cased", "'X'");
    const socfeed_item *it = find_item(l.rule, "sel");
    CHECK(it && it->values[0].cased);
    if (it) CHECK_EQ_STR(value_text(&it->values[0]), "*X*");
    unload(&l);
    EXPECT_ERROR("a|cased", "5", "modifier-type");
}

TEST(mod_cidr_rules) {
    EXPECT_VALUE("a|cidr", "'192.168.0.0/16'", "cidr:v4/16");
    EXPECT_VALUE("a|cidr", "'::1/128'", "cidr:v6/128");
    EXPECT_VALUE("a|cidr", "'10.1.2.3'", "cidr:v4/32");
    EXPECT_ERROR("a|contains|cidr", "'10.0.0.0/8'", "modifier-chain");
    EXPECT_ERROR("a|cidr|contains", "'10.0.0.0/8'", "modifier-chain");
    EXPECT_ERROR("a|cidr", "'10.0.0.0/33'", "cidr-invalid");
}

TEST(mod_exists) {
    EXPECT_ERROR("a|exists", "yes_please", "modifier-type");
    EXPECT_ERROR("a|contains|exists", "true", "modifier-chain");
    loaded l = load_detection("  sel:\n    '|exists': true\n  condition: sel\n");
    CHECK(has_diag(&l, "modifier-keyword"));
    unload(&l);
}

TEST(mod_expand_placeholders_unresolved) {
    loaded l = load_sel("User|expand", "'%Admins%'");
    const socfeed_item *it = find_item(l.rule, "sel");
    CHECK(it && it->values[0].as.str.alts[0].segs[0].kind == SOCFEED_SEG_PLACEHOLDER);
    CHECK(l.rule->unresolved_placeholders);
    CHECK(has_diag(&l, "placeholder-unresolved"));
    CHECK_EQ_INT(l.errors, 0);
    unload(&l);
    EXPECT_VALUE("User|expand", "'\\%plain%name%'", "%plain%name%"); /* literal %plain then placeholder name */
    EXPECT_VALUE("User", "'%TEMP%'", "%TEMP%");                      /* no expand: literal */
    EXPECT_VALUE("User|contains|expand", "'%x%'", "*%x%*");
}

TEST(mod_fieldref_rules) {
    EXPECT_ERROR("a|fieldref", "'b*'", "modifier-type");
    EXPECT_VALUE("a|fieldref|endswith", "b", "ref:b$");
}

TEST(mod_compare_and_time_parts) {
    EXPECT_VALUE("a|gte", "5", "cmp1:5");
    EXPECT_VALUE("a|lt", "5.5", "cmp2:5.5");
    EXPECT_VALUE("a|lte", "-1", "cmp3:-1");
    EXPECT_VALUE("t|hour", "12", "time1:12");
    EXPECT_VALUE("t|year", "2024", "time5:2024");
    EXPECT_ERROR("t|minute", "'x'", "modifier-type");
    EXPECT_ERROR("a|gt|contains", "5", "modifier-chain");
}

TEST(mod_unknown_and_empty) {
    EXPECT_ERROR("a|containz", "'x'", "modifier-unknown");
    EXPECT_ERROR("a||contains", "'x'", "modifier-empty");
    loaded l = load_sel("a|containz", "'x'");
    /* the position points at the modifier name: line 6 (after title/logsource/detection/sel) */
    CHECK(strstr(diag_text(&l, "modifier-unknown"), "test.yml:6:7:") != NULL);
    unload(&l);
}

TEST(mod_repeated_warns_except_base64) {
    loaded l = load_sel("a|contains|contains", "'x'");
    CHECK(has_diag(&l, "modifier-repeated"));
    unload(&l);
    l = load_sel("a|base64|base64", "'x'");
    CHECK(!has_diag(&l, "modifier-repeated"));
    CHECK_EQ_INT(l.errors, 0);
    unload(&l);
}

TEST(mod_string_modifiers_reject_numbers_and_bools) {
    EXPECT_ERROR("a|startswith", "5", "modifier-type");
    EXPECT_ERROR("a|windash", "5", "modifier-type");
    EXPECT_ERROR("a|contains", "true", "modifier-type");
    EXPECT_ERROR("a|contains", "null", "modifier-type");
}
