/* socfeed/engine.h — the matching engine: a rule set compiled once, then evaluated against
 * streams of events, with the exact semantics of ../shared/reference/sigma-semantics.md.
 *
 * Three objects, three lifetimes:
 *   socfeed_logsource_map  Sigma logsource → which events (Channel/EventID/file) and field renames;
 *                          the built-in data/logsources files plus user files.
 *   socfeed_engine         the compiled rule set; immutable after socfeed_engine_new(), so one
 *                          engine serves any number of threads.
 *   socfeed_scanner        per-thread scratch (field index, regex match data, memo tables);
 *                          cheap to create, never shared between threads.
 *
 * Ownership: the engine borrows the rule set and the logsource map; both must outlive it. The
 * scanner borrows the engine. A socfeed_hit handed to a callback lives only during it. */
#ifndef SOCFEED_ENGINE_H
#define SOCFEED_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "socfeed/diag.h"
#include "socfeed/event.h"
#include "socfeed/rule.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- The field view -------------------------------------------------------------------------- */

/* The value of a Sigma field in an event, as the engine sees it: for the evtx_dump shape,
 * Event.System children by name (attributes as Elem_Attr, e.g. Provider_Name), Event.EventData
 * children with spaces removed from their names, and the children of the one wrapper element of
 * Event.UserData; for any other JSON, the top-level members (and Winlogbeat's winlog.event_data,
 * winlog.channel → Channel, winlog.event_id → EventID, …), then a dotted name as a nested path.
 * Field names compare ASCII case-insensitively. An element with "#text" gives that text.
 * Returns NULL when the field is absent (a JSON null is returned as a NULL-typed value). */
const socfeed_event_value *socfeed_event_field(const socfeed_event *ev, const char *name);

/* The event's time and computer as text: the evtx_dump System fields (TimeCreated_SystemTime,
 * Computer), or the usual names of flat exports (@timestamp, TimeCreated, UtcTime, EventTime,
 * TimeGenerated, timestamp; Hostname, ComputerName, host.name). NULL when absent. */
const char *socfeed_event_time_text(const socfeed_event *ev, size_t *len);
const char *socfeed_event_computer_text(const socfeed_event *ev, size_t *len);
/* The event's record number: the EVTX record's, or an EventRecordID field; 0 when it has none. */
uint64_t socfeed_event_record_id(const socfeed_event *ev);

/* ---- Log sources ----------------------------------------------------------------------------- */

typedef struct socfeed_logsource_map socfeed_logsource_map;

/* A map holding the built-in entries (every data/logsources YAML file, compiled into the library). */
socfeed_logsource_map *socfeed_logsource_map_new(socfeed_diags *diags);
/* Adds a user file of the same schema; its entries replace built-in ones with the same `match`.
 * Returns 0, or -1 with diagnostics (file:line:col). */
int socfeed_logsource_map_add_file(socfeed_logsource_map *map, const char *path, socfeed_diags *diags);
int socfeed_logsource_map_add_buffer(socfeed_logsource_map *map, const char *name, const char *data,
                                     size_t len, socfeed_diags *diags);
void socfeed_logsource_map_free(socfeed_logsource_map *map);
size_t socfeed_logsource_map_count(const socfeed_logsource_map *map);

/* ---- Engine ---------------------------------------------------------------------------------- */

typedef struct socfeed_engine socfeed_engine;

typedef struct socfeed_engine_options {
    const socfeed_logsource_map *logsources; /* NULL: the built-in map */
    bool all_logsources;     /* also run rules whose logsource is not mapped, on every event */
    bool ignore_logsource;   /* run every rule on every event (no routing, no renames) */
    socfeed_level min_level; /* rules below this level are left out; NONE keeps all */
    bool no_prefilter;       /* run every routed rule (tests and benchmarks prove the prefilter) */
    bool pcre2_only;         /* every regex by PCRE2, none by Hyperscan (tests prove they agree) */
    unsigned threads;        /* compile the prefilter databases on this many threads; 0 = 1 */
} socfeed_engine_options;

/* Why a valid rule is not run by the engine. */
typedef enum socfeed_rule_state {
    SOCFEED_RULE_ACTIVE = 0,
    SOCFEED_RULE_INVALID,            /* errors at load time */
    SOCFEED_RULE_UNMAPPED_LOGSOURCE, /* no logsource entry (see all_logsources) */
    SOCFEED_RULE_BELOW_MIN_LEVEL,
    SOCFEED_RULE_NOT_A_RULE,         /* correlation or filter document: see correlate.h */
    SOCFEED_RULE_PLACEHOLDERS        /* unresolved |expand placeholders */
} socfeed_rule_state;

/* Compiles every document of `rs` (finalize it first). Filters are applied to the rules they
 * name. Regexes are JIT-compiled here. Never fails for a valid rule set; returns NULL only on
 * allocation failure. */
socfeed_engine *socfeed_engine_new(const socfeed_ruleset *rs, const socfeed_engine_options *opt,
                                   socfeed_diags *diags);
void socfeed_engine_free(socfeed_engine *e);

size_t socfeed_engine_active_rules(const socfeed_engine *e);
size_t socfeed_engine_rule_count(const socfeed_engine *e); /* documents of the rule set */
const socfeed_ruleset *socfeed_engine_ruleset(const socfeed_engine *e);
socfeed_rule_state socfeed_engine_rule_state(const socfeed_engine *e, const socfeed_rule *rule);
const char *socfeed_rule_state_name(socfeed_rule_state s);

/* ---- Scanning -------------------------------------------------------------------------------- */

typedef struct socfeed_scanner socfeed_scanner;

/* One rule matching one event. The matched fields are the event field names (after the
 * logsource's renames: NewProcessName for Image in a 4688) whose items held outside any `not`
 * (keywords appear as "keywords"). */
typedef struct socfeed_hit {
    const socfeed_rule *rule;
    size_t rule_index;            /* position of the rule in its rule set */
    const socfeed_event *event;
    const char *const *matched_fields;
    size_t nmatched;
} socfeed_hit;

/* Called for every detection, in rule-set order for one event. Return non-zero to stop. */
typedef int (*socfeed_hit_fn)(void *ctx, const socfeed_hit *hit);

socfeed_scanner *socfeed_scanner_new(const socfeed_engine *e);
void socfeed_scanner_free(socfeed_scanner *s);

/* Evaluates every active rule against `ev`. `input_path` is the file the event came from (for
 * `File:` logsource alternatives; NULL if unknown). Returns the number of detections. Runtime
 * problems (a regex hitting its match limit) go to `diags` (may be NULL) with the event's origin. */
size_t socfeed_scanner_event(socfeed_scanner *s, const socfeed_event *ev, const char *input_path,
                             socfeed_hit_fn fn, void *ctx, socfeed_diags *diags);

/* Evaluates one rule (logsource routing included). For `socfeed test` and the KQL proof. */
bool socfeed_scanner_rule_matches(socfeed_scanner *s, const socfeed_event *ev, const char *input_path,
                                  const socfeed_rule *rule);

/* Counters since creation, for benchmarks and the hunt summary. */
typedef struct socfeed_scanner_stats {
    uint64_t events;
    uint64_t rules_evaluated;  /* rule evaluations that ran the condition */
    uint64_t rules_skipped;    /* rejected by routing or by the literal prefilter */
    uint64_t regex_limit_hits;
    uint64_t values_scanned;   /* values run through a literal database (or answered from memory) */
    uint64_t values_remembered; /* of those, answered from the scan of an identical earlier value */
} socfeed_scanner_stats;
void socfeed_scanner_get_stats(const socfeed_scanner *s, socfeed_scanner_stats *out);

#ifdef __cplusplus
}
#endif
#endif
