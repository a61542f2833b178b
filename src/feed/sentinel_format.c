/* sentinel_format.c — see sentinel_format.h. Columns are KQL names (the mapping loader admits
 * nothing else), but entity types and identifiers are free text in a --mapping file: in YAML a
 * plain name is written as is and anything else as a JSON string (a YAML double-quoted scalar); in
 * JSON everything is a JSON string. No mapping text can break the document. */
#include "feed/sentinel_format.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/duration.h"
#include "util/fnv.h"
#include "util/json_write.h"

static bool type_seen_before(const socfeed_kql_entity *e, size_t i) {
    for (size_t k = 0; k < i; k++)
        if (!strcmp(e[k].type, e[i].type)) return true;
    return false;
}

static void yaml_scalar(strbuf *sb, const char *s) {
    bool plain = *s != 0;
    for (const char *p = s; *p && plain; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.';
    if (plain) sb_puts(sb, s);
    else json_write_cstr(sb, s);
}

void sentinel_entities_yaml(strbuf *sb, const socfeed_kql_entity *e, size_t n) {
    if (!n) {
        sb_puts(sb, "entityMappings: []\n");
        return;
    }
    sb_puts(sb, "entityMappings:\n");
    for (size_t i = 0; i < n; i++) {
        if (type_seen_before(e, i)) continue;
        sb_puts(sb, "  - entityType: ");
        yaml_scalar(sb, e[i].type);
        sb_puts(sb, "\n    fieldMappings:\n");
        for (size_t k = i; k < n; k++) {
            if (strcmp(e[k].type, e[i].type)) continue;
            sb_puts(sb, "      - identifier: ");
            yaml_scalar(sb, e[k].identifier);
            sb_puts(sb, "\n        columnName: ");
            yaml_scalar(sb, e[k].column);
            sb_putc(sb, '\n');
        }
    }
}

void sentinel_schedule_yaml(strbuf *sb, const socfeed_rule *rule) {
    socfeed_kql_schedule when = socfeed_kql_schedule_for(rule);
    sb_puts(sb, "queryFrequency: ");
    duration_put_short(sb, when.frequency_seconds);
    sb_puts(sb, "\nqueryPeriod: ");
    duration_put_short(sb, when.period_seconds);
}

void sentinel_schedule_arm(strbuf *sb, const socfeed_rule *rule, const char *sep) {
    socfeed_kql_schedule when = socfeed_kql_schedule_for(rule);
    sb_puts(sb, "\"queryFrequency\": \"");
    duration_put_iso(sb, when.frequency_seconds);
    sb_printf(sb, "\",%s\"queryPeriod\": \"", sep);
    duration_put_iso(sb, when.period_seconds);
    sb_putc(sb, '"');
}

void sentinel_arm_string(strbuf *sb, const char *s) {
    if (s && s[0] == '[') {
        strbuf tmp;
        sb_init(&tmp);
        sb_putc(&tmp, '[');
        sb_puts(&tmp, s);
        json_write_cstr(sb, tmp.data);
        sb_free(&tmp);
    } else {
        json_write_cstr(sb, s ? s : "");
    }
}

void sentinel_entities_json(strbuf *sb, const socfeed_kql_entity *e, size_t n) {
    sb_puts(sb, "[");
    size_t groups = 0;
    for (size_t i = 0; i < n; i++) {
        if (type_seen_before(e, i)) continue;
        sb_puts(sb, groups++ ? ", {\"entityType\": " : "{\"entityType\": ");
        sentinel_arm_string(sb, e[i].type);
        sb_puts(sb, ", \"fieldMappings\": [");
        size_t m = 0;
        for (size_t k = i; k < n; k++) {
            if (strcmp(e[k].type, e[i].type)) continue;
            sb_puts(sb, m++ ? ", {\"identifier\": " : "{\"identifier\": ");
            sentinel_arm_string(sb, e[k].identifier);
            sb_puts(sb, ", \"columnName\": ");
            sentinel_arm_string(sb, e[k].column);
            sb_puts(sb, "}");
        }
        sb_puts(sb, "]}");
    }
    sb_puts(sb, "]");
}

bool sentinel_is_uuid(const char *s) {
    if (!s || strlen(s) != 36) return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i])) return false;
    }
    return true;
}

void sentinel_rule_guid(char out[37], const char *id, const char *fallback) {
    if (sentinel_is_uuid(id)) {
        memcpy(out, id, 37);
        return;
    }
    /* the same rule text gives the same resource name */
    uint64_t h = fallback ? fnv1a(FNV1A_OFFSET, fallback, strlen(fallback)) : FNV1A_OFFSET;
    snprintf(out, 37, "00000000-0000-4000-8000-%012llx", (unsigned long long)(h & 0xffffffffffffULL));
}
