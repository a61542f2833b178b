/* verify_test_util.h — helpers shared by the verify tests: load a JSON/JSONL/EVTX file's events
 * into memory the test owns. */
#ifndef SOCFEED_TESTS_VERIFY_UTIL_H
#define SOCFEED_TESTS_VERIFY_UTIL_H

#include <stddef.h>

#include "socfeed/event.h"
#include "util/arena.h"

typedef struct test_events {
    arena a;
    const socfeed_event_value **items;
    size_t n;
} test_events;

/* Every event of `path` (fails the test on a read error). */
test_events test_events_load(const char *path);
void test_events_free(test_events *ev);

#endif
