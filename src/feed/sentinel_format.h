/* sentinel_format.h — pieces of Microsoft Sentinel analytic rules shared by the feed's exports and
 * `socfeed convert --format sentinel-yaml|arm`: ARM-safe strings and entity mappings (one entry
 * per entity type, first-seen order, with its identifier → column pairs). */
#ifndef SOCFEED_FEED_SENTINEL_FORMAT_H
#define SOCFEED_FEED_SENTINEL_FORMAT_H

#include "socfeed/kql.h"
#include "util/strbuf.h"

/* "entityMappings: []\n" or the YAML block list, each line ending in a newline. */
void sentinel_entities_yaml(strbuf *sb, const socfeed_kql_entity *e, size_t n);

/* A JSON string that ARM does not evaluate: a value starting with '[' would be an ARM template
 * expression, so it is written "[[…" (ARM's escape for a literal '['). NULL is "". */
void sentinel_arm_string(strbuf *sb, const char *s);

/* The rule's schedule (socfeed_kql_schedule_for): "queryFrequency: 1h\nqueryPeriod: 75m" in YAML;
 * "\"queryFrequency\": \"PT1H\"<sep>\"queryPeriod\": \"PT1H15M\"" in an ARM template. */
void sentinel_schedule_yaml(strbuf *sb, const socfeed_rule *rule);
void sentinel_schedule_arm(strbuf *sb, const socfeed_rule *rule, const char *sep);

/* True for a canonical UUID (8-4-4-4-12 hex digits): what Sentinel accepts as a rule id. */
bool sentinel_is_uuid(const char *s);

/* A rule's Sentinel id: its Sigma id when that is a UUID, else a UUID derived from `fallback`
 * (stable for the same text). A Sigma id is never pasted into an ARM expression unchecked. */
void sentinel_rule_guid(char out[37], const char *id, const char *fallback);

/* The JSON array of an ARM template's entityMappings (strings as sentinel_arm_string). */
void sentinel_entities_json(strbuf *sb, const socfeed_kql_entity *e, size_t n);

#endif
