/* scan_memo_test.c — the memo of database scans gives back exactly what was stored, for the same
 * bytes in the same database only; keeps the value used last when a third one shares its set;
 * refuses values too long or with too many hits; counts lookups and hits. */
#include <string.h>

#include "engine/scan_memo.h"
#include "harness.h"

static const int DB_A = 1, DB_B = 2; /* only their addresses matter: a database's identity */

static bool remembered(scan_memo *m, uint64_t key, const void *db, const char *text, const uint32_t *want,
                       uint32_t nwant) {
    uint32_t n = 0;
    const uint32_t *hits = scan_memo_find(m, key, db, text, strlen(text), &n);
    return hits && n == nwant && (n == 0 || memcmp(hits, want, n * sizeof *hits) == 0);
}

TEST(scan_memo_gives_back_the_hits_of_the_same_value_in_the_same_database) {
    scan_memo *m = scan_memo_new();
    const char *v = "C:\\Windows\\System32\\cmd.exe /c whoami";
    const uint32_t hits[] = {3u << 4 | 0x5, 17u << 4 | 0x1};
    uint64_t key = scan_memo_key(&DB_A, v, strlen(v));
    uint32_t n;
    CHECK(!scan_memo_find(m, key, &DB_A, v, strlen(v), &n));
    scan_memo_store(m, key, &DB_A, v, strlen(v), hits, 2);
    CHECK(remembered(m, key, &DB_A, v, hits, 2));
    /* another database, or other bytes under the same key (a collision), are not that value */
    CHECK(!scan_memo_find(m, key, &DB_B, v, strlen(v), &n));
    const char *w = "C:\\Windows\\System32\\cmd.exe /c whoamI";
    CHECK(!scan_memo_find(m, key, &DB_A, w, strlen(w), &n));
    CHECK(!scan_memo_find(m, key, &DB_A, v, strlen(v) - 1, &n));
    /* the key tells databases and values apart */
    CHECK(scan_memo_key(&DB_B, v, strlen(v)) != key);
    CHECK(scan_memo_key(&DB_A, w, strlen(w)) != key);
    CHECK(scan_memo_key(&DB_A, v, strlen(v) - 1) != key);
    /* a value without hits is remembered too: that is most of them */
    const char *quiet = "svchost.exe";
    uint64_t kq = scan_memo_key(&DB_A, quiet, strlen(quiet));
    scan_memo_store(m, kq, &DB_A, quiet, strlen(quiet), NULL, 0);
    CHECK(remembered(m, kq, &DB_A, quiet, NULL, 0));
    scan_memo_stats st = scan_memo_get_stats(m);
    CHECK_EQ_INT(st.lookups, 6);
    CHECK_EQ_INT(st.hits, 2);
    scan_memo_free(m);
}

TEST(scan_memo_keeps_the_value_used_last_in_a_full_set) {
    scan_memo *m = scan_memo_new();
    const uint32_t ha[] = {1u << 4 | 1}, hb[] = {2u << 4 | 1}, hc[] = {3u << 4 | 1};
    uint64_t ka = 7, kb = 7 + SCAN_MEMO_SETS, kc = 7 + 2 * SCAN_MEMO_SETS; /* one set */
    scan_memo_store(m, ka, &DB_A, "a", 1, ha, 1);
    scan_memo_store(m, kb, &DB_A, "b", 1, hb, 1);
    CHECK(remembered(m, ka, &DB_A, "a", ha, 1)); /* a used last: b goes */
    scan_memo_store(m, kc, &DB_A, "c", 1, hc, 1);
    CHECK(remembered(m, ka, &DB_A, "a", ha, 1));
    CHECK(remembered(m, kc, &DB_A, "c", hc, 1));
    uint32_t n;
    CHECK(!scan_memo_find(m, kb, &DB_A, "b", 1, &n));
    /* a slot reused for a longer value holds all of it */
    char long_value[SCAN_MEMO_MAX_TEXT + 1];
    memset(long_value, 'x', SCAN_MEMO_MAX_TEXT);
    long_value[SCAN_MEMO_MAX_TEXT] = 0;
    uint32_t many[SCAN_MEMO_MAX_HITS];
    for (uint32_t i = 0; i < SCAN_MEMO_MAX_HITS; i++) many[i] = i << 4 | 1;
    scan_memo_store(m, kb, &DB_A, long_value, SCAN_MEMO_MAX_TEXT, many, SCAN_MEMO_MAX_HITS);
    CHECK(remembered(m, kb, &DB_A, long_value, many, SCAN_MEMO_MAX_HITS));
    scan_memo_free(m);
}

TEST(scan_memo_does_not_keep_values_over_its_bounds) {
    scan_memo *m = scan_memo_new();
    static char too_long[SCAN_MEMO_MAX_TEXT + 2];
    memset(too_long, 'y', SCAN_MEMO_MAX_TEXT + 1);
    uint64_t k = scan_memo_key(&DB_A, too_long, SCAN_MEMO_MAX_TEXT + 1);
    scan_memo_store(m, k, &DB_A, too_long, SCAN_MEMO_MAX_TEXT + 1, NULL, 0);
    uint32_t n;
    CHECK(!scan_memo_find(m, k, &DB_A, too_long, SCAN_MEMO_MAX_TEXT + 1, &n));
    uint32_t many[SCAN_MEMO_MAX_HITS + 1] = {0};
    scan_memo_store(m, 9, &DB_A, "z", 1, many, SCAN_MEMO_MAX_HITS + 1);
    CHECK(!scan_memo_find(m, 9, &DB_A, "z", 1, &n));
    scan_memo_free(m);
}
