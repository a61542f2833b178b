/* socfeed/verify.h — the proof that an emitted KQL query finds what its Sigma rule finds.
 *
 * Given the query text, a target's normalizer and sample events each marked with whether the Sigma
 * rule matched it (on the raw event), the checker normalizes the events into the target's rows, runs
 * the query text over the rows of the table it reads, and compares event by event:
 *   VERIFIED     the query selects exactly the events the rule selects, and at least one;
 *   OVER_MATCH   it also selects events the rule does not (listed in `over`);
 *   UNDER_MATCH  it misses events the rule selects (listed in `under`; `over` may list more);
 *   NO_SAMPLES   no sample event, or none that the rule matches and none that the query selects;
 *   REFUSED      there is no query (the converter refused the rule; `reason` says why);
 *   ERROR        the query does not parse, uses KQL the evaluator does not know, reads a table the
 *                target never fills, or an expression failed (`reason`).
 * A query that reads rows of several events together (summarize) selects every event of a group it
 * keeps.
 *
 * Ownership: the result owns its arrays and `reason`; free with socfeed_verify_result_free(). */
#ifndef SOCFEED_VERIFY_H
#define SOCFEED_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "socfeed/event.h"
#include "socfeed/normalize.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum socfeed_verify_status {
    SOCFEED_VERIFY_VERIFIED = 0,
    SOCFEED_VERIFY_OVER_MATCH,
    SOCFEED_VERIFY_UNDER_MATCH,
    SOCFEED_VERIFY_NO_SAMPLES,
    SOCFEED_VERIFY_REFUSED,
    SOCFEED_VERIFY_ERROR
} socfeed_verify_status;

/* "verified", "over-match", "under-match", "no-samples", "refused", "error". */
const char *socfeed_verify_status_name(socfeed_verify_status status);

typedef struct socfeed_verify_sample {
    const socfeed_event_value *event; /* the raw event tree (evtx_dump shape or flat JSON) */
    bool sigma_match;                 /* whether the Sigma rule matched the raw event */
} socfeed_verify_sample;

typedef struct socfeed_verify_result {
    socfeed_verify_status status;
    size_t samples;        /* events given */
    size_t rows;           /* rows the events became in the table the query reads */
    size_t sigma_matches;  /* events the rule matched */
    size_t kql_matches;    /* events the query selected */
    size_t *over, nover;   /* sample indices the query selects and the rule does not */
    size_t *under, nunder; /* sample indices the rule selects and the query does not */
    const char *table;     /* the table the query reads (normalizer memory), NULL if unknown */
    bool approximate;      /* the target's rows are an approximation (see socfeed_normalizer_is_approximate) */
    char *reason;          /* why REFUSED / ERROR / NO_SAMPLES; NULL otherwise */
    bool groups;           /* a correlation: compared by group (a sample counts when its group alerts) */
    size_t sigma_groups, kql_groups; /* groups the rule and the query alert on (correlations) */
    bool fixed_bins;       /* the query counts in fixed time bins where the rule's window slides
                              (socfeed_kql_result.fixed_bins): agreement here can miss a burst
                              split across two bins elsewhere */
} socfeed_verify_result;

/* Checks `kql` (NULL when the converter refused the rule; `refusal` then says why, may be NULL)
 * against the samples. `name` labels diagnostics (e.g. the rule file). Always fills *out; returns 0
 * when the status is VERIFIED, 1 otherwise. */
int socfeed_verify_query(const socfeed_normalizer *nz, const char *name, const char *kql, const char *refusal,
                         const socfeed_verify_sample *samples, size_t n, socfeed_verify_result *out);

void socfeed_verify_result_free(socfeed_verify_result *r);

#ifdef __cplusplus
}
#endif
#endif
