/* socfeed/kql.h — Sigma → KQL conversion for Microsoft Sentinel (ASIM parsers), Defender XDR
 * advanced hunting and Azure Monitor tables.
 *
 * A target is a mapping (data/targets/<name>.yml, embedded at build time; schema in
 * docs/mappings.md): which table a Sigma logsource selects, the fixed conditions it implies and how
 * each Sigma field is read there. Conversion either yields a query whose meaning is the rule's, or
 * refuses with a one-line reason (unmapped field, unsupported logsource, a construct with no
 * faithful KQL form). It never emits a weaker or wider query.
 *
 * Ownership: a socfeed_kql_target is created by socfeed_kql_target_new() and freed with
 * socfeed_kql_target_free(); it is read-only during conversion, so several threads may convert
 * with one target. A socfeed_kql_result owns its query and reason strings until
 * socfeed_kql_result_clear(); its `table` points into the target. */
#ifndef SOCFEED_KQL_H
#define SOCFEED_KQL_H

#include "socfeed/diag.h"
#include "socfeed/rule.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct socfeed_kql_target socfeed_kql_target;

/* The built-in target names, NULL-terminated: "sentinel-asim", "defender-xdr", "azure-monitor". */
const char *const *socfeed_kql_target_names(void);

/* Loads the built-in mapping of target `name`. NULL when the name is unknown or the mapping is
 * damaged (reported into diags). */
socfeed_kql_target *socfeed_kql_target_new(const char *name, socfeed_diags *diags);

/* Reads a user mapping file with the same layout and lays it over the target: an entry whose id
 * exists replaces that entry's keys it gives and adds/overrides single fields; an entry with a
 * new id is tried before the built-in ones. Returns 0, or -1 (reported into diags; the target is
 * unchanged then). */
int socfeed_kql_target_add_mapping(socfeed_kql_target *t, const char *path, socfeed_diags *diags);

/* The same from memory; `name` is used in diagnostics. */
int socfeed_kql_target_add_mapping_buffer(socfeed_kql_target *t, const char *name, const char *data, size_t len,
                                          socfeed_diags *diags);

/* Variant entries (e.g. azure-monitor "security-4688") are skipped unless selected by name here.
 * NULL selects none. The string must outlive the target. */
void socfeed_kql_target_set_variant(socfeed_kql_target *t, const char *variant);

const char *socfeed_kql_target_name(const socfeed_kql_target *t);
void socfeed_kql_target_free(socfeed_kql_target *t);

/* A Sentinel entity mapping the table allows (from the mapping's `entities:`): the query's rows
 * carry `column`, usable as entity `type` (Host, Account, Process, File, IP, DNS) `identifier`. */
typedef struct socfeed_kql_entity {
    const char *type, *identifier, *column;
} socfeed_kql_entity;

typedef struct socfeed_kql_result {
    char *query;       /* the KQL (owned), or NULL when refused */
    char *reason;      /* one line (owned) when refused, else NULL */
    const char *table; /* the table or ASIM parser the query reads; NULL when refused early */
    const socfeed_kql_entity *entities; /* set with a query: the target's entities of the table (owned
                                           by the target); for a correlation, those whose column
                                           its result keeps (the group-by columns), in `owned` */
    size_t nentities;
    socfeed_kql_entity *owned; /* freed by socfeed_kql_result_clear() */
    bool fixed_bins;   /* a correlation counted in fixed time bins of its timespan where the rule's
                          window slides: a burst split across two bins is missed. An event_count
                          with lower bounds slides exactly instead (false). */
} socfeed_kql_result;

/* Converts one rule or correlation document of `rs` (needed for filters and correlation
 * references). Returns 0 with res->query set, or 1 with res->reason set. Filter documents are
 * applied to the rules they name, and are themselves refused ("a filter has no query"). */
int socfeed_kql_convert(const socfeed_kql_target *t, const socfeed_ruleset *rs, const socfeed_rule *rule,
                        socfeed_kql_result *res);

/* Converts every document of `rs` (in socfeed_ruleset_get() order) into results[i] (the caller
 * provides socfeed_ruleset_count(rs) entries and clears each). Same results as calling
 * socfeed_kql_convert() per document, but filters are gathered once: linear in the corpus size.
 * Returns the number converted. */
size_t socfeed_kql_convert_all(const socfeed_kql_target *t, const socfeed_ruleset *rs, socfeed_kql_result *results);

void socfeed_kql_result_clear(socfeed_kql_result *res);

/* How often a Sentinel analytic rule runs the rule's query and how far back each run looks, in
 * seconds: every hour over the last hour; a correlation over the last hour plus its timespan, so a
 * burst that began before a run's hour is still seen whole by that run (a burst inside the overlap
 * can then alert in two consecutive runs: a repeat, never a miss). The look-back is capped at
 * Sentinel's 14 days. */
typedef struct socfeed_kql_schedule {
    unsigned long long frequency_seconds;
    unsigned long long period_seconds;
} socfeed_kql_schedule;

socfeed_kql_schedule socfeed_kql_schedule_for(const socfeed_rule *rule);

#ifdef __cplusplus
}
#endif
#endif
