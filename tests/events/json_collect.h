/* json_collect.h — test helper for the JSON reader suites: reads a text through the reader and
 * keeps every event as compact JSON, its origin, the diagnostics (formatted) and the stats.
 * Tests only. */
#ifndef SOCFEED_TESTS_JSON_COLLECT_H
#define SOCFEED_TESTS_JSON_COLLECT_H

#include <stddef.h>

#include "socfeed/reader.h"
#include "util/strbuf.h"

enum { COLLECT_MAX = 64 };

typedef struct collected {
    strbuf out;                 /* one compact JSON line per event */
    size_t n;                   /* events */
    socfeed_event_origin origin[COLLECT_MAX];
    char *event[COLLECT_MAX];   /* each event as JSON */
    socfeed_diags diags;
    socfeed_read_stats stats;
    int rc;
    size_t stop_after;          /* 0: never ask to stop */
} collected;

/* Reads `text` (len bytes; SIZE_MAX = strlen) with socfeed_json_read_buffer as "t.json". */
void collect_json(collected *c, const char *text, size_t len, const socfeed_read_options *opt);
/* The same, but fed to the incremental parser in spans cut at the given offsets (ascending). */
void collect_json_spans(collected *c, const char *text, size_t len, const size_t *cuts, size_t ncuts,
                        const socfeed_read_options *opt);
/* Callback that records into a collected (for other readers). */
int collect_event(void *ctx, const socfeed_event *ev);
/* Diagnostic i as "file:line:col: error: message [code]" (static buffer). */
const char *collect_diag(const collected *c, size_t i);
/* All diagnostics, one per line (static buffer). */
const char *collect_diags_text(const collected *c);
void collect_free(collected *c);

#endif
