/* casefold_test.c — Unicode simple case folding: what it folds, what it keeps, and that no input
 * folds to more than casefold_max() bytes. */
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
    CHECK(folds_to("İı", "İı")); /* Turkish dotted/dotless i: no simple fold (CaseFolding.txt T only) */
}

/* Beyond the scripts a hand-made table would cover: CaseFolding.txt's C and S mappings. */
TEST(casefold_is_unicode_simple_case_folding) {
    CHECK(folds_to("\xe2\x84\xaa" "ERBEROS", "kerberos")); /* U+212A KELVIN SIGN → k: shorter */
    CHECK(folds_to("\xc5\xbf" "ystem", "system"));         /* U+017F LONG S → s */
    CHECK(folds_to("\xe2\x84\xa6", "ω"));                 /* U+2126 OHM SIGN → ω */
    CHECK(folds_to("ẞ", "ß"));                               /* capital sharp s; ß itself stays (no SS) */
    CHECK(folds_to("ς", "σ"));                               /* final sigma */
    CHECK(folds_to("Ⱥ", "ⱥ"));                               /* U+023A → U+2C65: two bytes become three */
    CHECK(folds_to("\xea\xad\xb0", "\xe1\x8e\xa0"));       /* Cherokee small a folds to capital A */
    CHECK(folds_to("𐐀", "𐐨"));                               /* Deseret, outside the BMP */
    CHECK(folds_to("Ǆǅǆΐ", "ǆǆǆΐ"));                         /* title case folds too; ΐ has no simple fold */
}

TEST(casefold_keeps_invalid_bytes) {
    CHECK(folds_to("A\xff" "B\xc3", "a\xff" "b\xc3"));
    CHECK(folds_to("\xed\xa0\x80X", "\xed\xa0\x80x")); /* a surrogate's encoding passes through */
}

TEST(casefold_never_writes_more_than_casefold_max) {
    char in[16], out[32];
    unsigned over = 0, grown = 0;
    for (uint32_t cp = 0x80; cp < 0x110000; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        size_t n = (size_t)json_put_utf8(in, cp);
        size_t m = casefold_utf8(in, n, out);
        over += m > casefold_max(n);
        grown += m > n;
    }
    CHECK_EQ_INT(over, 0);
    CHECK(grown > 0); /* the bound is needed: some code points do grow (U+023A, U+023E, …) */
    /* the worst case, repeated: every Ⱥ (2 bytes) becomes ⱥ (3 bytes) */
    char many[64], folded[128];
    for (size_t i = 0; i < 32; i += 2) memcpy(many + i, "\xc8\xba", 2);
    CHECK(casefold_utf8(many, 32, folded) == 48 && 48 <= casefold_max(32));
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

/* ascii_only tests 32, then 8, then 1 byte at a time: a non-ASCII byte is found at every position
 * of every length across those steps. */
TEST(ascii_only_finds_a_high_byte_anywhere) {
    char buf[80];
    for (size_t n = 0; n <= sizeof buf; n++) {
        memset(buf, 'a', sizeof buf);
        CHECK(ascii_only(buf, n));
        for (size_t at = 0; at < n; at++) {
            buf[at] = (char)0xC3;
            if (ascii_only(buf, n)) harness_fail(__FILE__, __LINE__, "length %zu, byte %zu: reported ASCII", n, at);
            buf[at] = 'a';
        }
    }
}
