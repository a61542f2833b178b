/* socfeed/feed.h — the SOC feed: enrichment of rules, ATT&CK coverage, and the static site with its
 * machine-readable exports (`socfeed build`).
 *
 * Why the feed takes its per-target inputs as plain data: conversion (kql.h), verification
 * (verify.h) and regression tests are separate stages. The caller runs them and hands the feed, per
 * rule and target, the query or the reason it was refused plus the verification verdict. The feed
 * never judges a query itself; it shows what it was told, and shows a failed verdict prominently so
 * a query that under- or over-matches is never published as if it were good.
 *
 * Ownership: a socfeed_feed copies every string it is given (socfeed_feed_add) and keeps only
 * pointers to the rules and the ATT&CK table, which must outlive it. socfeed_enrich() returns an
 * enrichment the caller frees with socfeed_enrichment_free(). */
#ifndef SOCFEED_FEED_H
#define SOCFEED_FEED_H

#include <stdbool.h>
#include <stddef.h>

#include "socfeed/attack.h"
#include "socfeed/diag.h"
#include "socfeed/kql.h"
#include "socfeed/rule.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Inputs per rule ------------------------------------------------------------------------- */

/* What verification said about one emitted query. */
typedef enum socfeed_verdict {
    SOCFEED_VERDICT_NOT_RUN = 0, /* not verified (no verifier, no sample events, or no query) */
    SOCFEED_VERDICT_VERIFIED,    /* the KQL finds exactly what the Sigma rule finds on the samples */
    SOCFEED_VERDICT_UNDER_MATCH, /* the KQL misses events the Sigma rule finds */
    SOCFEED_VERDICT_OVER_MATCH,  /* the KQL finds events the Sigma rule does not */
    SOCFEED_VERDICT_MISMATCH,    /* both: misses some and finds extra ones */
    SOCFEED_VERDICT_ERROR        /* verification could not run (see detail) */
} socfeed_verdict;

const char *socfeed_verdict_name(socfeed_verdict v); /* "verified", "under-matching", … */
/* True for verdicts that prove the query wrong: it must not be deployed as it is. */
bool socfeed_verdict_is_failure(socfeed_verdict v);

/* One target's outcome for one rule. Strings are copied by socfeed_feed_add(). */
typedef struct socfeed_target_result {
    const char *target;         /* "sentinel-asim", "defender-xdr", "azure-monitor" */
    const char *table;          /* the table or ASIM parser queried ("imFileEvent"); may be NULL */
    const char *query;          /* the KQL; NULL when refused or not converted */
    const char *reason;         /* when query is NULL: why (shown verbatim, escaped) */
    socfeed_verdict verdict;
    const char *verdict_detail; /* e.g. "Sigma: 2 events, KQL: 2 events on 5 samples"; may be NULL */
    const socfeed_kql_entity *entities; /* the query's entity mappings (socfeed_kql_result), for the
                                           analytic rule exports; copied by socfeed_feed_add */
    size_t nentities;
} socfeed_target_result;

typedef enum socfeed_tests_state {
    SOCFEED_TESTS_NONE = 0, /* the rule has no regression tests, or they were not run */
    SOCFEED_TESTS_PASSED,
    SOCFEED_TESTS_FAILED
} socfeed_tests_state;

typedef struct socfeed_regression_result {
    socfeed_tests_state state;
    const char *detail; /* e.g. "1 of 1 sample files matched as expected"; may be NULL */
} socfeed_regression_result;

/* Everything the feed publishes about one rule. */
typedef struct socfeed_feed_input {
    const socfeed_rule *rule; /* SOCFEED_DOC_RULE or SOCFEED_DOC_CORRELATION */
    const socfeed_target_result *targets;
    size_t ntargets;
    socfeed_regression_result tests;
} socfeed_feed_input;

/* ---- Enrichment ------------------------------------------------------------------------------ */

typedef enum socfeed_confidence { SOCFEED_CONFIDENCE_LOW, SOCFEED_CONFIDENCE_MEDIUM, SOCFEED_CONFIDENCE_HIGH } socfeed_confidence;
const char *socfeed_confidence_name(socfeed_confidence c); /* "low", "medium", "high" */

/* One measured input of the confidence formula, as the page shows it. */
typedef struct socfeed_confidence_factor {
    const char *input; /* "status", "level", "regression tests", "verified targets", "mapping" */
    char *value;       /* what was measured, e.g. "test", "2 of 3" */
    int points;
} socfeed_confidence_factor;

#define SOCFEED_CONFIDENCE_FACTORS 5

/* One attack.* tag of the rule, resolved against the ATT&CK table. */
typedef struct socfeed_attack_ref {
    const char *tag; /* as written in the rule */
    socfeed_attack_tag resolved;
} socfeed_attack_ref;

/* Deterministic prose and figures derived from the rule, its inputs and the ATT&CK table. Texts
 * are plain UTF-8 (never HTML); paragraphs are separated by "\n\n". */
typedef struct socfeed_enrichment {
    char *hunt_hypothesis;
    char *false_positive_guidance;
    char *detection_summary; /* what the rule looks at, in one sentence */
    socfeed_confidence confidence;
    int score; /* 0..100, before caps */
    socfeed_confidence_factor factors[SOCFEED_CONFIDENCE_FACTORS];
    char *confidence_cap; /* why the level was capped, or NULL */
    socfeed_attack_ref *attack;
    size_t nattack;
} socfeed_enrichment;

/* Builds the enrichment of one rule. Never NULL. */
socfeed_enrichment *socfeed_enrich(const socfeed_feed_input *in, const socfeed_attack *attack);
void socfeed_enrichment_free(socfeed_enrichment *e);

/* How the confidence formula works, in one paragraph (shown on every rule page). */
const char *socfeed_confidence_formula(void);

/* ---- Coverage -------------------------------------------------------------------------------- */

/* Counts rules per ATT&CK matrix cell. A rule tagged with technique T is placed in the columns of
 * T's tactics that the rule also tags; when it tags none of them, in all of T's tactics (ATT&CK does
 * not say which one is meant, so the rule counts for each). A top-level technique's cell counts the
 * distinct rules tagged with it or any of its sub-techniques. */
typedef struct socfeed_coverage socfeed_coverage;

socfeed_coverage *socfeed_coverage_new(const socfeed_attack *attack);
void socfeed_coverage_free(socfeed_coverage *c);
/* Adds one rule; `verified` counts it in the verified figure of every cell it reaches. */
void socfeed_coverage_add(socfeed_coverage *c, const socfeed_rule *rule, bool verified);

typedef struct socfeed_coverage_count {
    size_t rules, verified;
} socfeed_coverage_count;

/* Count of a cell: tactic by index in matrix order, technique by index (socfeed_attack_technique_at).
 * Zero for techniques that are not in that tactic. */
socfeed_coverage_count socfeed_coverage_cell(const socfeed_coverage *c, size_t tactic, size_t technique);
/* Distinct rules that reach the tactic's column or tag the tactic itself. */
socfeed_coverage_count socfeed_coverage_tactic(const socfeed_coverage *c, size_t tactic);
/* Rules with at least one technique placed in the matrix. */
size_t socfeed_coverage_rules_mapped(const socfeed_coverage *c);

/* Tags that did not reach the matrix: revoked or unknown technique ids, unknown attack.* tags. */
typedef struct socfeed_coverage_unplaced {
    const socfeed_rule *rule;
    const char *tag;
    socfeed_attack_tag resolved; /* REVOKED or UNKNOWN */
} socfeed_coverage_unplaced;
size_t socfeed_coverage_unplaced_count(const socfeed_coverage *c);
const socfeed_coverage_unplaced *socfeed_coverage_unplaced_at(const socfeed_coverage *c, size_t i);

/* ---- The feed -------------------------------------------------------------------------------- */

typedef struct socfeed_feed_options {
    const char *title;           /* default "SOC feed" */
    const char *source_url;      /* template for "View original rule": {path} {id} {file}; NULL = SigmaHQ */
    const char *retrieved;       /* RFC 3339 time the rules were pulled; NULL = now */
    const char *previous_dir;    /* a former build: changelog.json and unchanged retrieved times */
    const char *site_url;        /* absolute URL the site is served from, for feed.xml; may be NULL */
} socfeed_feed_options;

typedef struct socfeed_feed socfeed_feed;

socfeed_feed *socfeed_feed_new(const socfeed_attack *attack, const socfeed_feed_options *opt);
void socfeed_feed_free(socfeed_feed *f);

/* Adds a rule with its per-target results (copied). Filters and invalid rules are refused (-1). */
int socfeed_feed_add(socfeed_feed *f, const socfeed_feed_input *in);
size_t socfeed_feed_count(const socfeed_feed *f);

typedef struct socfeed_build_stats {
    size_t rules, pages_written, pages_reused, queries, verified, failed_verdicts, refused;
    size_t added, changed, removed; /* against the previous build */
} socfeed_build_stats;

/* Writes the whole site into `out_dir`, replacing it atomically: everything goes to a sibling
 * temporary directory that is swapped in only when complete. An existing `out_dir` is replaced only
 * when it is empty or a former socfeed site (it holds .socfeed-site), so a typo cannot wipe a home
 * directory. Returns 0, or -1 with diagnostics (and `out_dir` untouched). */
int socfeed_feed_write(socfeed_feed *f, const char *out_dir, socfeed_build_stats *stats, socfeed_diags *diags);

#ifdef __cplusplus
}
#endif
#endif
