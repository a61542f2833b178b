/* scan_memo.h — what a literal database found in a value, remembered for the next time the same
 * value comes by.
 *
 * Why: event logs repeat themselves. The same image paths, parent command lines, users, integrity
 * levels and services come back event after event, and scanning such a value costs most where it
 * hurts: a process-creation database holds some 11,000 literals whose tables are out of cache by
 * the next process event (9.4 K cycles per value cold, against a few hundred to find and replay a
 * remembered result). A memo is per scanner (one per thread), of fixed size, and compares the
 * whole value, so a result is only ever reused for the same bytes in the same database.
 *
 * A result is the list of the literals found, each with its occurrence flags (the LIT_* bits of
 * prefilter.c, at most 4 bits) aggregated over all its occurrences: id << 4 | flags. */
#ifndef SOCFEED_ENGINE_SCAN_MEMO_H
#define SOCFEED_ENGINE_SCAN_MEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    SCAN_MEMO_MAX_TEXT = 1024, /* longer values are scanned every time: rarer, and mostly unique */
    SCAN_MEMO_MAX_HITS = 32,   /* a value with more distinct literals is not remembered */
    SCAN_MEMO_SETS = 2048,     /* of two values each; keys equal modulo this share a set */
};

typedef struct scan_memo scan_memo;

typedef struct scan_memo_stats {
    uint64_t lookups, hits;
} scan_memo_stats;

scan_memo *scan_memo_new(void);
void scan_memo_free(scan_memo *m);

/* The key of a value in database `db`; `text` is what the database scans. */
uint64_t scan_memo_key(const void *db, const char *text, size_t len);

/* The remembered hits of that value (*nhits of them), or NULL when it is not remembered. The
 * pointer is valid until the next scan_memo_store. */
const uint32_t *scan_memo_find(scan_memo *m, uint64_t key, const void *db, const char *text, size_t len,
                               uint32_t *nhits);

/* Remembers the hits of a value (len <= SCAN_MEMO_MAX_TEXT, nhits <= SCAN_MEMO_MAX_HITS),
 * replacing what its slot held. */
void scan_memo_store(scan_memo *m, uint64_t key, const void *db, const char *text, size_t len, const uint32_t *hits,
                     uint32_t nhits);

scan_memo_stats scan_memo_get_stats(const scan_memo *m);

#endif
