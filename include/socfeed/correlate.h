/* socfeed/correlate.h — Sigma correlation rules over a stream of detections in event-time order:
 * event_count, value_count, temporal, temporal_ordered, value_sum, value_avg, value_percentile,
 * value_median; group-by (with aliases), timespan, condition ranges.
 *
 * The engine finds the base rules' detections; a detection of a rule some correlation refers to
 * becomes a small record (time, rule, the field values the correlations need), copied out of the
 * event. Records are fed in time order; per correlation and group, a window holds the records of
 * the last `timespan` and nothing older, so memory is bounded by what one window holds.
 * A correlation fires when its condition holds for a group; the window of that group is then
 * emptied, so one burst gives one alert, not one per event.
 *
 * Ownership: the correlator borrows the rule set. Records own their strings. */
#ifndef SOCFEED_CORRELATE_H
#define SOCFEED_CORRELATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "socfeed/diag.h"
#include "socfeed/engine.h"
#include "socfeed/rule.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Milliseconds since the Unix epoch of the event's time (evtx System/TimeCreated, or @timestamp,
 * TimeCreated, UtcTime, … of flat exports; ISO 8601 with optional fraction and zone). False when
 * the event has no readable time. */
bool socfeed_event_time_ms(const socfeed_event *ev, int64_t *ms);
/* Parses YYYY-MM-DD[(T| )HH:MM:SS[.fraction]][Z|±HH:MM] (UTC unless an offset is given) into
 * milliseconds since the epoch. */
bool socfeed_time_parse(const char *text, size_t len, int64_t *ms);

typedef struct socfeed_correlator socfeed_correlator;

/* A correlator for every valid correlation document of `rs`. Correlations of correlations are
 * reported (warning) and left out. Returns NULL when there is none. */
socfeed_correlator *socfeed_correlator_new(const socfeed_ruleset *rs, socfeed_diags *diags);
void socfeed_correlator_free(socfeed_correlator *c);

/* True when some correlation refers to the rule (then its hits need a record). */
bool socfeed_correlator_wants(const socfeed_correlator *c, size_t rule_index);
/* True when the rule's own detections are to be reported (no correlation refers to it, or one
 * that does has `generate: true`). */
bool socfeed_correlator_generates(const socfeed_correlator *c, size_t rule_index);

typedef struct socfeed_corr_record {
    int64_t time_ms;
    bool has_time;
    size_t rule_index;
    char **values;          /* the rule's needed fields (socfeed_correlator_fields), NULL if absent */
    size_t nvalues;
    char *file;             /* origin of the event, for the alert */
    char *computer;         /* the event's computer, NULL when it names none */
    uint64_t record_id, line;
    uint64_t event_seq;     /* set by the caller: the same non-zero number for the records of one
                               event (one per rule it matched), distinct across events; 0 unknown.
                               event_count and the value_* types count such an event once. */
} socfeed_corr_record;

/* Copies what the correlations need out of a hit (thread-safe: reads only). */
void socfeed_corr_record_init(const socfeed_correlator *c, const socfeed_hit *hit, socfeed_corr_record *out);
void socfeed_corr_record_clear(socfeed_corr_record *r);

/* One event of a firing window, to find it again: where it was read and when it happened. */
typedef struct socfeed_corr_member {
    int64_t time_ms;
    const char *file;       /* NULL when unknown */
    uint64_t record_id;     /* 0 when the event has none */
    uint64_t line;          /* JSON Lines line, 0 when not from a line */
} socfeed_corr_member;

typedef struct socfeed_corr_alert {
    const socfeed_rule *correlation;
    const char *group;      /* "Field=value, Field=value" ("" without group-by) */
    double value;           /* the count, distinct count, sum, average or percentile that held */
    size_t nrecords;        /* records in the window when it fired */
    int64_t first_ms, last_ms;
    const socfeed_corr_record *last; /* the record that made it fire */
    const char *computer;   /* the computer every record of the window names; NULL when they name
                             * several (or none): an alert is "on a host" only when it is */
    const socfeed_corr_member *members; /* the window's records in time order, nrecords of them;
                                         * valid during the callback only */
} socfeed_corr_alert;

typedef int (*socfeed_corr_alert_fn)(void *ctx, const socfeed_corr_alert *alert);

/* Feeds one record; records must come in non-decreasing time order (records without time are
 * taken as happening at the previous record's time). */
void socfeed_correlator_feed(socfeed_correlator *c, const socfeed_corr_record *r, socfeed_corr_alert_fn fn, void *ctx);
/* End of stream: windows still open are judged (upper bounds such as `lt` can only be decided
 * when a window closes). */
void socfeed_correlator_finish(socfeed_correlator *c, socfeed_corr_alert_fn fn, void *ctx);

/* The group a record falls in for `correlation` ("Field=value, …" as in alerts, "" without
 * group-by; malloc'ed), or NULL when the record's rule is not one the correlation refers to. */
char *socfeed_correlator_group_of(const socfeed_correlator *c, const socfeed_rule *correlation,
                                  const socfeed_corr_record *r);

/* Groups currently held over all correlations (for tests and benchmarks of the memory bound). */
size_t socfeed_correlator_groups(const socfeed_correlator *c);

/* Sorts records by time (stable), for feeding. */
void socfeed_corr_records_sort(socfeed_corr_record *r, size_t n);

#ifdef __cplusplus
}
#endif
#endif
