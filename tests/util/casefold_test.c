/* casefold_test.c — Unicode simple case folding: what it folds, what it keeps, and that it keeps
 * every byte length (the prefilter reads offsets in raw text as offsets in folded text). */
#include <string.h>

#include "events/json/json_scan.h" /* json_put_utf8: an encoder written apart from casefold.c */
#include "harness.h"
#include "util/casefold.h"

static bool folds_to(const char *in, const char *want) {
    char out[256];
    size_t n = casefold_utf8(in, strlen(in), out);
    return n == strlen(want) && memcmp(out, want, n) == 0;
}

TEST(casefold_folds_ascii_latin_greek_cyrillic) {
    CHECK(folds_to("C:\\Windows\\System32\\CMD.EXE", "c:\\windows\\system32\\cmd.exe"));
    CHECK(folds_to("@[\\]^_`{|}~ AZaz09", "@[\\]^_`{|}~ azaz09")); /* only A..Z move */
    CHECK(folds_to("ÀÉÎÕÜ×", "àéîõü×"));                       /* × (U+00D7) has no lower case */
    CHECK(folds_to("ΣΑΒ", "σαβ"));
    CHECK(folds_to("АДМИН ЁЖ", "админ ёж"));
    CHECK(folds_to("İı", "İı")); /* Turkish dotted/dotless i: no simple fold in this table */
}

TEST(casefold_keeps_invalid_bytes) {
    CHECK(folds_to("A\xff" "B\xc3", "a\xff" "b\xc3"));
    CHECK(folds_to("\xed\xa0\x80X", "\xed\xa0\x80x")); /* a surrogate's encoding passes through */
}

TEST(casefold_keeps_the_byte_length_of_every_code_point) {
    char in[4], out[8];
    unsigned changed_length = 0;
    for (uint32_t cp = 0; cp < 0x110000; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        size_t n = (size_t)json_put_utf8(in, cp);
        if (casefold_utf8(in, n, out) != n) changed_length++;
    }
    CHECK_EQ_INT(changed_length, 0);
}

TEST(casefold_ascii_runs_match_the_byte_path) {
    /* 8-byte steps and the byte path must agree wherever a run starts and ends */
    char in[64] = {0}, out[64], want[64];
    for (size_t len = 0; len < sizeof in; len++) {
        for (size_t i = 0; i < len; i++) in[i] = "AbZ@[`{zQ\\\xc3"[i % 11]; /* a lone lead byte too */
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)in[i];
            want[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        size_t n = casefold_utf8(in, len, out);
        CHECK_EQ_INT(n, len);
        CHECK(memcmp(out, want, len) == 0);
    }
}
