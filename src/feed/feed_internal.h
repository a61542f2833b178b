/* feed_internal.h — pieces of the feed shared between its source files (not public API). */
#ifndef SOCFEED_FEED_INTERNAL_H
#define SOCFEED_FEED_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "socfeed/feed.h"
#include "util/strbuf.h"

/* "Windows process creation events", "Windows Security event log entries", from
 * data/feed/logsource-phrases.tsv; unknown values appear as written. Caller frees. */
char *feed_logsource_phrase(const socfeed_logsource *ls);

/* A clause saying what the rule matches ("Windows file creation events where TargetFilename contains
 * '\Bin\x'", no final period), from its detection (positive identifiers, then exclusions) or its
 * correlation. Caller frees. */
char *feed_detection_summary(const socfeed_rule *r);
/* The field of the first positive item, for "stack by" advice; NULL when the rule has none. */
const char *feed_first_field(const socfeed_rule *r);

/* Newest date of the rule (modified, else date) as YYYY-MM-DD, or "" when it has none. */
const char *feed_rule_date(const socfeed_rule *r);

/* Fills e->factors, e->score, e->confidence and e->confidence_cap (confidence.c). */
void feed_compute_confidence(socfeed_enrichment *e, const socfeed_feed_input *in);

/* The cells ("tactic:technique" indexes, space-separated) and tactic columns one rule reaches, for
 * the coverage page's client-side filters (coverage.c). */
void feed_coverage_describe(socfeed_coverage *c, const socfeed_rule *rule, strbuf *cells, strbuf *tactics);

#endif
