/* json_values.c — values as the JSON reader builds them: numbers (INT, UINT, REAL with source
 * text), strings (escapes, \u with surrogate pairs, lone surrogates, NUL), and the round trip
 * through socfeed_event_to_json with evtx_dump's escaping. */
#include <stdint.h>
#include <stdlib.h>

#include "harness.h"
#include "json_collect.h"
#include "socfeed/event.h"

/* The root of the single event of `text`, kept alive by the collected state: the tree itself
 * dies after the callback, so tests check values through their JSON or via a capture callback. */
typedef struct captured {
    socfeed_event_type type;
    int64_t i;
    uint64_t u;
    char s[256];
    uint32_t len;
} captured;

static int capture_x(void *ctx, const socfeed_event *ev) {
    captured *cap = ctx;
    const socfeed_event_value *v = socfeed_event_get(&ev->root, "x");
    if (!v) return 0;
    cap->type = v->type;
    cap->len = v->len;
    if (v->type == SOCFEED_EV_INT) cap->i = v->as.i;
    if (v->type == SOCFEED_EV_UINT) cap->u = v->as.u;
    if (v->type == SOCFEED_EV_STRING || v->type == SOCFEED_EV_REAL)
        memcpy(cap->s, v->as.s, v->len < sizeof cap->s ? v->len + 1 : sizeof cap->s);
    return 0;
}

static captured read_x(const char *text, socfeed_diags *diags) {
    captured cap;
    memset(&cap, 0, sizeof cap);
    cap.type = (socfeed_event_type)-1;
    socfeed_json_read_buffer("t.json", text, strlen(text), NULL, capture_x, &cap, diags, NULL);
    return cap;
}

TEST(json_integers) {
    socfeed_diags d;
    socfeed_diags_init(&d);
    captured c = read_x("{\"x\":0}", &d);
    CHECK_EQ_INT(c.type, SOCFEED_EV_INT);
    CHECK_EQ_INT(c.i, 0);
    c = read_x("{\"x\":-42}", &d);
    CHECK_EQ_INT(c.i, -42);
    c = read_x("{\"x\":9223372036854775807}", &d);
    CHECK_EQ_INT(c.type, SOCFEED_EV_INT);
    CHECK(c.i == INT64_MAX);
    c = read_x("{\"x\":-9223372036854775808}", &d);
    CHECK_EQ_INT(c.type, SOCFEED_EV_INT);
    CHECK(c.i == INT64_MIN);
    c = read_x("{\"x\":9223372036854775808}", &d);
    CHECK_EQ_INT(c.type, SOCFEED_EV_UINT);
    CHECK(c.u == (uint64_t)INT64_MAX + 1);
    c = read_x("{\"x\":18446744073709551615}", &d);
    CHECK_EQ_INT(c.type, SOCFEED_EV_UINT);
    CHECK(c.u == UINT64_MAX);
    CHECK_EQ_INT(d.count, 0);
    socfeed_diags_clear(&d);
}

TEST(json_reals_keep_source_text) {
    const char *cases[][2] = {
        {"{\"x\":1.5}", "1.5"},
        {"{\"x\":-0.0}", "-0.0"},
        {"{\"x\":1e10}", "1e10"},
        {"{\"x\":2.50E+03}", "2.50E+03"},
        {"{\"x\":18446744073709551616}", "18446744073709551616"},   /* above UINT64_MAX */
        {"{\"x\":-9223372036854775809}", "-9223372036854775809"},  /* below INT64_MIN */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        socfeed_diags d;
        socfeed_diags_init(&d);
        captured c = read_x(cases[i][0], &d);
        CHECK_EQ_INT(c.type, SOCFEED_EV_REAL);
        CHECK_EQ_STR(c.s, cases[i][1]);
        CHECK_EQ_INT(c.len, strlen(cases[i][1]));
        CHECK_EQ_INT(d.count, 0);
        socfeed_diags_clear(&d);
    }
}

TEST(json_invalid_numbers) {
    const char *cases[][2] = {
        {"{\"x\":01}\n", "t.json:1:6: error: invalid JSON at line 1 col 6: numbers may not have leading zeros"},
        {"{\"x\":-}\n", "t.json:1:7: error: invalid JSON at line 1 col 7: expected a digit after '-', found '}'"},
        {"{\"x\":1.}\n", "t.json:1:8: error: invalid JSON at line 1 col 8: expected a digit after '.', found '}'"},
        {"{\"x\":.5}\n", "t.json:1:6: error: invalid JSON at line 1 col 6: expected a value, found '.'"},
        {"{\"x\":1e}\n", "t.json:1:8: error: invalid JSON at line 1 col 8: expected a digit in the exponent, found '}'"},
        {"{\"x\":+1}\n", "t.json:1:6: error: invalid JSON at line 1 col 6: expected a value, found '+'"},
        {"{\"x\":NaN}\n", "t.json:1:6: error: invalid JSON at line 1 col 6: NaN and Infinity are not valid JSON numbers"},
        {"{\"x\":Infinity}\n", "t.json:1:6: error: invalid JSON at line 1 col 6: NaN and Infinity are not valid JSON numbers"},
        {"{\"x\":-Infinity}\n", "t.json:1:6: error: invalid JSON at line 1 col 6: -Infinity is not a valid JSON number"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        collected c = {0};
        char text[128];
        snprintf(text, sizeof text, "%s{\"ok\":%zu}\n", cases[i][0], i);
        collect_json(&c, text, SIZE_MAX, NULL);
        CHECK_EQ_INT(c.rc, -1);
        CHECK_EQ_INT(c.n, 1); /* the next line is still read */
        CHECK_EQ_INT(c.diags.count, 1);
        CHECK(strncmp(collect_diag(&c, 0), cases[i][1], strlen(cases[i][1])) == 0);
        if (strncmp(collect_diag(&c, 0), cases[i][1], strlen(cases[i][1])) != 0)
            fprintf(stderr, "  got: %s\n", collect_diag(&c, 0));
        collect_free(&c);
    }
}

TEST(json_number_codes) {
    collected c = {0};
    collect_json(&c, "{\"x\":NaN}\n", SIZE_MAX, NULL);
    CHECK_EQ_STR(c.diags.items[0].code, "json-number");
    collect_free(&c);
}

TEST(json_escapes_decode) {
    socfeed_diags d;
    socfeed_diags_init(&d);
    captured c = read_x("{\"x\":\"q\\\"b\\\\s\\/n\\nr\\rt\\tb\\bf\\f\\u0041\\u00e9\\u20AC\"}", &d);
    CHECK_EQ_INT(c.type, SOCFEED_EV_STRING);
    CHECK_EQ_STR(c.s, "q\"b\\s/n\nr\rt\tb\bf\fA\xC3\xA9\xE2\x82\xAC");
    c = read_x("{\"x\":\"\\ud83d\\ude00!\"}", &d); /* surrogate pair -> U+1F600 */
    CHECK_EQ_STR(c.s, "\xF0\x9F\x98\x80!");
    c = read_x("{\"x\":\"a\\u0000b\"}", &d); /* NUL inside, length-counted */
    CHECK_EQ_INT(c.len, 3);
    CHECK(memcmp(c.s, "a\0b", 4) == 0);
    c = read_x("{\"x\":\"raw \xC3\xA9 \xF0\x9F\x98\x80 \x7F\"}", &d);
    CHECK_EQ_STR(c.s, "raw \xC3\xA9 \xF0\x9F\x98\x80 \x7F");
    CHECK_EQ_INT(d.count, 0);
    socfeed_diags_clear(&d);
}

TEST(json_lone_surrogates_warn) {
    collected c = {0};
    collect_json(&c, "{\"x\":\"a\\ud800b\"}\n{\"y\":\"\\udc00\",\"z\":\"\\ud83dx\\ud83d\"}\n", SIZE_MAX, NULL);
    CHECK_EQ_INT(c.rc, 0); /* warnings only */
    CHECK_EQ_INT(c.n, 2);
    CHECK_EQ_STR(c.event[0], "{\"x\":\"a\xEF\xBF\xBD" "b\"}");
    CHECK_EQ_STR(c.event[1], "{\"y\":\"\xEF\xBF\xBD\",\"z\":\"\xEF\xBF\xBDx\xEF\xBF\xBD\"}");
    CHECK_EQ_INT(c.diags.warnings, 4);
    CHECK_EQ_STR(collect_diag(&c, 0), "t.json:1:8: warning: lone UTF-16 surrogate \\ud800 replaced by U+FFFD at line 1 col 8 [json-surrogate]");
    CHECK_EQ_STR(collect_diag(&c, 1), "t.json:2:7: warning: lone UTF-16 surrogate \\udc00 replaced by U+FFFD at line 2 col 7 [json-surrogate]");
    collect_free(&c);
}

TEST(json_escape_round_trip_exact) {
    /* evtx_dump escaping: \" \\ \n \r \t \b \f, other controls \u00XX upper-case, the rest raw
     * (including DEL and '/'). */
    const char *in = "{\"k\\u0001\":\"\\u0000\\u001f\\u001F\\u000b\\/\\\"\\\\\\n\\r\\t\\b\\f\x7F\xC3\xA9\\u00e9\"}";
    const char *want = "{\"k\\u0001\":\"\\u0000\\u001F\\u001F\\u000B/\\\"\\\\\\n\\r\\t\\b\\f\x7F\xC3\xA9\xC3\xA9\"}";
    collected c = {0};
    collect_json(&c, in, SIZE_MAX, NULL);
    CHECK_EQ_INT(c.rc, 0);
    CHECK_EQ_STR(c.event[0], want);
    /* And the output reads back to itself. */
    collected again = {0};
    collect_json(&again, want, SIZE_MAX, NULL);
    CHECK_EQ_STR(again.event[0], want);
    collect_free(&again);
    collect_free(&c);
}

TEST(json_random_strings_round_trip) {
    /* Random strings mixing plain runs, escapes and multi-byte characters at every alignment:
     * whatever path decodes them (in place or exact), writing and reading back is the identity. */
    srand(12345);
    static const char *pieces[] = {"a", "bcdefghijklmnopqrstuvwxyz0123456789", "\"", "\\", "\n",
                                   "\r\n\t", "\x01", "\x1f", "\x7f", "\xC3\xA9", "\xE2\x82\xAC",
                                   "\xF0\x9F\x98\x80", "/", " "};
    for (int round = 0; round < 300; round++) {
        strbuf raw;
        sb_init(&raw);
        int n = rand() % 40;
        for (int i = 0; i < n; i++) sb_puts(&raw, pieces[rand() % (sizeof pieces / sizeof *pieces)]);
        sb_append(&raw, "", 0);
        socfeed_event_member m = {"s", 1, {SOCFEED_EV_STRING, (uint32_t)raw.len, {.s = raw.data}}};
        socfeed_event_value obj = {SOCFEED_EV_OBJECT, 1, {.members = &m}};
        char *json = socfeed_event_to_json(&obj);
        collected c = {0};
        collect_json(&c, json, SIZE_MAX, NULL);
        CHECK_EQ_INT(c.n, 1);
        if (c.n == 1) CHECK_EQ_STR(c.event[0], json);
        /* The same string fully \u-escaped decodes to the same bytes. */
        collect_free(&c);
        free(json);
        sb_free(&raw);
    }
}

TEST(json_long_strings_cross_blocks) {
    /* Strings larger than the room kept for in-place decoding take the exact path. */
    size_t n = 300 * 1024;
    char *text = malloc(n + 64);
    strcpy(text, "{\"x\":\"");
    size_t at = strlen(text);
    for (size_t i = 0; i < n; i += 2) {
        text[at++] = '\\';
        text[at++] = i % 4 ? 'n' : 't';
    }
    strcpy(text + at, "\"}\n{\"y\":1}");
    collected c = {0};
    collect_json(&c, text, SIZE_MAX, NULL);
    CHECK_EQ_INT(c.rc, 0);
    CHECK_EQ_INT(c.n, 2);
    CHECK_EQ_INT(strlen(c.event[0]), 8 + n);
    CHECK_EQ_STR(c.event[1], "{\"y\":1}");
    collect_free(&c);
    free(text);
}
