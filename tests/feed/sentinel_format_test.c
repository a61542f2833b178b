/* sentinel_format_test.c — the pieces of Sentinel analytic rules both exports share: entity
 * mappings grouped by type, ARM-safe strings, and rule ids that never carry text into an ARM
 * expression. */
#include <stdlib.h>

#include "feed/sentinel_format.h"
#include "harness.h"

static const char *render(void (*fn)(strbuf *, const socfeed_kql_entity *, size_t), const socfeed_kql_entity *e, size_t n) {
    static char out[1024];
    strbuf sb;
    sb_init(&sb);
    fn(&sb, e, n);
    snprintf(out, sizeof out, "%s", sb.data ? sb.data : "");
    sb_free(&sb);
    return out;
}

TEST(sentinel_entities_grouped_by_type_in_first_seen_order) {
    const socfeed_kql_entity e[] = {
        {"Account", "FullName", "TargetUsername"}, {"Host", "HostName", "DvcHostname"}, {"Account", "Sid", "TargetUserId"}};
    CHECK_EQ_STR(render(sentinel_entities_yaml, e, 3),
                 "entityMappings:\n"
                 "  - entityType: Account\n    fieldMappings:\n"
                 "      - identifier: FullName\n        columnName: TargetUsername\n"
                 "      - identifier: Sid\n        columnName: TargetUserId\n"
                 "  - entityType: Host\n    fieldMappings:\n"
                 "      - identifier: HostName\n        columnName: DvcHostname\n");
    CHECK_EQ_STR(render(sentinel_entities_json, e, 3),
                 "[{\"entityType\": \"Account\", \"fieldMappings\": [{\"identifier\": \"FullName\", \"columnName\": \"TargetUsername\"}, "
                 "{\"identifier\": \"Sid\", \"columnName\": \"TargetUserId\"}]}, {\"entityType\": \"Host\", \"fieldMappings\": "
                 "[{\"identifier\": \"HostName\", \"columnName\": \"DvcHostname\"}]}]");
    CHECK_EQ_STR(render(sentinel_entities_yaml, e, 0), "entityMappings: []\n");
    CHECK_EQ_STR(render(sentinel_entities_json, e, 0), "[]");
}

/* Entity types and identifiers are free text in a --mapping file: they cannot break the YAML or
 * become an ARM expression. */
TEST(sentinel_entities_hostile_mapping_text) {
    const socfeed_kql_entity e[] = {{"Host\nx: 1", "[concat('a')]", "Col"}};
    CHECK_EQ_STR(render(sentinel_entities_yaml, e, 1),
                 "entityMappings:\n  - entityType: \"Host\\nx: 1\"\n    fieldMappings:\n"
                 "      - identifier: \"[concat('a')]\"\n        columnName: Col\n");
    CHECK(strstr(render(sentinel_entities_json, e, 1), "\"identifier\": \"[[concat('a')]\""));
}

TEST(sentinel_arm_string_and_rule_guid) {
    strbuf sb;
    sb_init(&sb);
    sentinel_arm_string(&sb, "[parameters('x')]");
    sentinel_arm_string(&sb, " [not first]");
    sentinel_arm_string(&sb, NULL);
    CHECK_EQ_STR(sb.data, "\"[[parameters('x')]\"\" [not first]\"\"\"");
    sb_free(&sb);
    char guid[37], again[37];
    sentinel_rule_guid(guid, "f0313b71-58b3-4ca6-aeec-e707dcf29509", "text");
    CHECK_EQ_STR(guid, "f0313b71-58b3-4ca6-aeec-e707dcf29509");
    sentinel_rule_guid(guid, "x'),'/evil", "title: a rule\n");
    CHECK(sentinel_is_uuid(guid) && !strncmp(guid, "00000000-0000-4000-8000-", 24));
    sentinel_rule_guid(again, NULL, "title: a rule\n");
    CHECK_EQ_STR(guid, again); /* the same text, the same id */
    sentinel_rule_guid(again, NULL, "title: another rule\n");
    CHECK(strcmp(guid, again) != 0);
}
