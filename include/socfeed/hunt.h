/* socfeed/hunt.h — running a compiled rule set over many inputs on several threads, with output
 * in input order, and the three output formats of `socfeed hunt` (table, jsonl, csv).
 *
 * Work is split into units: one per file, and a large JSON Lines file is cut at line starts into
 * one unit per thread, so a single big export still uses every core. Each worker owns a scanner;
 * detections are rendered in the worker (the event lives only during its callback) and written
 * in unit order, so the output does not depend on the thread count.
 *
 * Memory stays bounded whatever the input size: a large JSON file is read as mapped slices whose
 * scanned pages are released, and a unit's rendered output is written as soon as its turn comes
 * once it passes a few MB.
 *
 * Ownership: the options borrow the engine and the callbacks' contexts. */
#ifndef SOCFEED_HUNT_H
#define SOCFEED_HUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "socfeed/correlate.h"
#include "socfeed/diag.h"
#include "socfeed/engine.h"
#include "socfeed/reader.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum socfeed_hunt_format {
    SOCFEED_HUNT_TABLE,  /* one aligned line per detection, for people */
    SOCFEED_HUNT_JSONL,  /* one JSON object per detection, with the whole event */
    SOCFEED_HUNT_CSV     /* RFC 4180, one header line */
} socfeed_hunt_format;

/* Renders one detection as text ending in a newline; returns a malloc'ed string. */
char *socfeed_hunt_render(socfeed_hunt_format fmt, const socfeed_hit *hit);
/* Renders one correlation alert (same columns; the group and the value instead of fields). */
char *socfeed_hunt_render_alert(socfeed_hunt_format fmt, const socfeed_corr_alert *alert);
/* The header line of a format ("" for jsonl); static. */
const char *socfeed_hunt_header(socfeed_hunt_format fmt);

typedef struct socfeed_hunt_options {
    const socfeed_engine *engine;
    socfeed_hunt_format format;
    unsigned threads;                 /* 0 = 1 */
    socfeed_read_options read;
    FILE *out;                        /* detections go here, in input order */
    /* Correlation rules (may be NULL): detections of the rules they refer to are collected, put in
     * time order after the inputs are read, and the alerts written after the detections. Rules
     * referred to by correlations without `generate: true` give no lines of their own. */
    socfeed_correlator *correlator;
    /* A time window (--from/--to): events before `from_ms` or at or after `to_ms` (by their own
     * time, see socfeed_event_time_text) are counted but not matched; so are events without a
     * readable time while a window is set. */
    bool has_from, has_to;
    int64_t from_ms, to_ms;
    /* Called from the calling thread about every 200 ms while running (may be NULL). */
    void (*progress)(void *ctx, uint64_t bytes_done, uint64_t bytes_total, uint64_t events);
    void *progress_ctx;
} socfeed_hunt_options;

/* Detections on one computer (the event's Computer/Hostname/…; "" when it names none). */
typedef struct socfeed_hunt_host {
    char *name;
    uint64_t detections;
} socfeed_hunt_host;

typedef struct socfeed_hunt_stats {
    uint64_t files, events, bytes, read_errors, detections;
    uint64_t outside_window, without_time; /* events not matched because of --from/--to */
    uint64_t correlation_inputs;      /* detections kept only as correlation input */
    uint64_t rules_evaluated, rules_skipped; /* by routing and the literal prefilter */
    uint64_t values_scanned, values_remembered; /* see socfeed_scanner_stats */
    uint64_t *per_rule;               /* detections by rule-set index */
    size_t nrules;
    socfeed_hunt_host *hosts;         /* detections by computer, most first (correlation alerts
                                       * count when all their events name one computer) */
    size_t nhosts;
} socfeed_hunt_stats;

/* Frees what socfeed_hunt_files() allocated in `stats` (per_rule, hosts). */
void socfeed_hunt_stats_clear(socfeed_hunt_stats *stats);

/* Hunts through `files` (see socfeed_input_list; "-" is standard input). Read problems go to
 * `diags` with file and position; the other inputs are still read. Returns 0 when every input
 * read cleanly, -1 otherwise. */
int socfeed_hunt_files(const socfeed_hunt_options *opt, const char *const *files, size_t nfiles,
                       socfeed_diags *diags, socfeed_hunt_stats *stats);

#ifdef __cplusplus
}
#endif
#endif
