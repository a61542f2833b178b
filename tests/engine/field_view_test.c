/* field_view_test.c — the field-name hash agrees with the name comparison: names that compare
 * equal (ASCII case, spaces ignored) hash alike at every length and word boundary, including
 * bytes outside ASCII, which neither folds; the word loads never read past the key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/field_view.h"
#include "harness.h"

static void variants(const char *base, char *upper, char *spaced) {
    size_t n = strlen(base), k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = base[i];
        upper[i] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
        if (i % 3 == 1) spaced[k++] = ' ';
        spaced[k++] = upper[i];
    }
    upper[n] = 0;
    spaced[k] = 0;
}

TEST(field_view_hash_matches_name_equality) {
    const char *alphabet = "abcdefghijklmnopqrstuvwxyz_0123456789.@-[]\x7f\xc3\xa9";
    char base[64], upper[64], spaced[128];
    for (size_t len = 1; len < 40; len++) {
        for (size_t i = 0; i < len; i++) base[i] = alphabet[(i * 7 + len) % strlen(alphabet)];
        base[len] = 0;
        variants(base, upper, spaced);
        uint32_t h = fv_hash(base, len);
        CHECK_EQ_INT(fv_hash(upper, strlen(upper)), h);
        CHECK_EQ_INT(fv_hash(spaced, strlen(spaced)), h);
        /* the key alone in an allocation of its size: the word loads stay inside it (ASan) */
        char *exact = malloc(len);
        memcpy(exact, base, len);
        CHECK_EQ_INT(fv_hash(exact, len), h);
        free(exact);
    }
    /* UTF-8 bytes are not case-folded: É (C3 89) and é (C3 A9) are different names */
    CHECK(fv_hash("\xc3\x89", 2) != fv_hash("\xc3\xa9", 2));
    /* '@' and '[' sit just outside 'A'..'Z' and must not be folded onto '`' and '{' */
    CHECK(fv_hash("@", 1) != fv_hash("`", 1));
    CHECK(fv_hash("[", 1) != fv_hash("{", 1));
    CHECK(fv_hash("Threat Name", 11) == fv_hash("threatname", 10));
}

/* Numbers are matched through their decimal text: every integer, the extremes included. */
TEST(field_view_integer_text) {
    static const struct { socfeed_event_type type; int64_t i; uint64_t u; const char *want; } cases[] = {
        {SOCFEED_EV_INT, 0, 0, "0"},
        {SOCFEED_EV_INT, 4624, 0, "4624"},
        {SOCFEED_EV_INT, -1, 0, "-1"},
        {SOCFEED_EV_INT, INT64_MIN, 0, "-9223372036854775808"},
        {SOCFEED_EV_INT, INT64_MAX, 0, "9223372036854775807"},
        {SOCFEED_EV_UINT, 0, UINT64_MAX, "18446744073709551615"},
        {SOCFEED_EV_UINT, 0, 10, "10"},
    };
    arena a;
    arena_init(&a);
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        socfeed_event_value v = {.type = cases[k].type};
        if (v.type == SOCFEED_EV_INT) v.as.i = cases[k].i;
        else v.as.u = cases[k].u;
        const char *s = NULL;
        size_t n = 0;
        CHECK(fv_value_text(&a, &v, &s, &n));
        CHECK(n == strlen(cases[k].want) && memcmp(s, cases[k].want, n) == 0);
    }
    arena_free(&a);
}
