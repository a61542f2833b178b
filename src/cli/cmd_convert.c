/* cmd_convert.c — `socfeed convert -t TARGET [--format query|json|sentinel-yaml|arm] [--mapping FILE]
 * [--variant NAME] [--placeholders FILE] [-j N] [-q] PATH...`: Sigma → KQL. Refused rules are
 * listed on stderr with their one-line reason (and in json with "reason"); exit 1 when a rule
 * file or mapping had errors, else 0. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_util.h"
#include "feed/sentinel_format.h"
#include "socfeed/attack.h"
#include "socfeed/kql.h"
#include "socfeed/rule.h"
#include "util/json_write.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: socfeed convert -t TARGET [OPTIONS] PATH...\n"
            "Converts Sigma rules (files or directories) to KQL. A rule that cannot be expressed faithfully\n"
            "is refused with a one-line reason instead of getting a weaker or wider query.\n\n"
            "  -t, --target NAME      sentinel-asim, defender-xdr or azure-monitor\n"
            "  --format FMT           query (default), json, sentinel-yaml (analytic rules) or arm (template)\n"
            "  --mapping FILE         extend/override the target's mapping (repeatable; docs/mappings.md)\n"
            "  --variant NAME         use the mapping entries of that variant (azure-monitor: security-4688)\n"
            "  --placeholders FILE    values for %%name%% placeholders used with |expand\n"
            "  -j N                   parse with N threads (default: all cores)\n"
            "  -q, --quiet            do not list refused rules on stderr\n");
}

typedef enum { F_QUERY, F_JSON, F_SENTINEL_YAML, F_ARM } out_format;

typedef struct converted {
    const socfeed_rule *rule;
    socfeed_kql_result res;
} converted;

static const char *sentinel_severity(socfeed_level l) {
    switch (l) {
    case SOCFEED_LEVEL_INFORMATIONAL: return "Informational";
    case SOCFEED_LEVEL_LOW: return "Low";
    case SOCFEED_LEVEL_HIGH:
    case SOCFEED_LEVEL_CRITICAL: return "High";
    default: return "Medium";
    }
}

/* ATT&CK from the rule's tags: Sentinel tactic names and technique ids, deduplicated, in tag order;
 * a rule tagged only with techniques gets their tactics. */
typedef struct attack_info {
    const char *tactics[32];
    size_t ntactics;
    const char *techniques[64];
    size_t ntechniques;
} attack_info;

static void add_unique(const char **list, size_t *n, size_t cap, const char *s) {
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(list[i], s)) return;
    if (*n < cap) list[(*n)++] = s;
}

static attack_info rule_attack(const socfeed_attack *att, const socfeed_rule *rule) {
    attack_info ai = {0};
    bool tagged_tactic = false;
    for (size_t pass = 0; pass < 2 && att; pass++) {
        for (size_t i = 0; i < rule->tags.count; i++) {
            socfeed_attack_tag t = socfeed_attack_resolve_tag(att, rule->tags.items[i].s);
            if (pass == 0 && (t.kind == SOCFEED_TAG_TACTIC || t.kind == SOCFEED_TAG_TACTIC_OUTDATED) && t.tactic->sentinel) {
                add_unique(ai.tactics, &ai.ntactics, 32, t.tactic->sentinel);
                tagged_tactic = true;
            }
            if (pass == 0 && t.kind == SOCFEED_TAG_REVOKED && t.revoked->replaced_by_id) {
                /* a technique ATT&CK revoked: report the one that replaced it */
                const socfeed_attack_technique *r = socfeed_attack_technique_by_id(att, t.revoked->replaced_by_id);
                if (r) t = (socfeed_attack_tag){.kind = SOCFEED_TAG_TECHNIQUE, .technique = r};
            }
            if (pass == 0 && t.kind == SOCFEED_TAG_TECHNIQUE) add_unique(ai.techniques, &ai.ntechniques, 64, t.technique->id);
            if (pass == 1 && t.kind == SOCFEED_TAG_REVOKED && t.revoked->replaced_by_id) {
                const socfeed_attack_technique *r = socfeed_attack_technique_by_id(att, t.revoked->replaced_by_id);
                if (r) t = (socfeed_attack_tag){.kind = SOCFEED_TAG_TECHNIQUE, .technique = r};
            }
            if (pass == 1 && !tagged_tactic && t.kind == SOCFEED_TAG_TECHNIQUE)
                for (size_t k = 0; k < t.technique->ntactics; k++)
                    if (t.technique->tactics[k]->sentinel) add_unique(ai.tactics, &ai.ntactics, 32, t.technique->tactics[k]->sentinel);
        }
    }
    return ai;
}

static const char *text_or(const socfeed_text *t, const char *dflt) { return t->s ? t->s : dflt; }

static void write_sentinel_yaml(strbuf *sb, const socfeed_attack *att, const converted *c, const char *target) {
    const socfeed_rule *r = c->rule;
    attack_info ai = rule_attack(att, r);
    sb_puts(sb, "id: ");
    char id[37];
    sentinel_rule_guid(id, r->id.s, r->source); /* Sentinel needs a UUID; "" was written for a rule without id */
    json_write_cstr(sb, id);
    sb_puts(sb, "\nname: ");
    json_write_cstr(sb, text_or(&r->title, ""));
    sb_puts(sb, "\ndescription: ");
    json_write_cstr(sb, text_or(&r->description, ""));
    sb_printf(sb, "\nseverity: %s\nrequiredDataConnectors: []\n", sentinel_severity(r->level));
    sentinel_schedule_yaml(sb, r);
    sb_puts(sb, "\ntriggerOperator: gt\ntriggerThreshold: 0\n");
    sb_puts(sb, "tactics:");
    if (!ai.ntactics) sb_puts(sb, " []");
    for (size_t i = 0; i < ai.ntactics; i++) sb_printf(sb, "\n  - %s", ai.tactics[i]);
    sb_puts(sb, "\nrelevantTechniques:");
    if (!ai.ntechniques) sb_puts(sb, " []");
    for (size_t i = 0; i < ai.ntechniques; i++) sb_printf(sb, "\n  - %s", ai.techniques[i]);
    sb_puts(sb, "\nquery: |\n");
    for (const char *p = c->res.query; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        sb_printf(sb, "  %.*s\n", (int)len, p);
        p += len + (nl ? 1 : 0);
    }
    sentinel_entities_yaml(sb, c->res.entities, c->res.nentities);
    sb_puts(sb, "tags:\n  - Sigma\n  - ");
    json_write_cstr(sb, target);
    sb_puts(sb, "\nversion: 1.0.0\nkind: Scheduled\n");
}

static void write_arm_resource(strbuf *sb, const socfeed_attack *att, const converted *c) {
    const socfeed_rule *r = c->rule;
    attack_info ai = rule_attack(att, r);
    char id[37];
    sentinel_rule_guid(id, r->id.s, r->source); /* a non-UUID id must not reach the ARM expression */
    sb_puts(sb, "    {\n      \"type\": \"Microsoft.OperationalInsights/workspaces/providers/alertRules\",\n");
    sb_printf(sb, "      \"name\": \"[concat(parameters('workspace'),'/Microsoft.SecurityInsights/%s')]\",\n", id);
    sb_puts(sb, "      \"apiVersion\": \"2023-12-01-preview\",\n      \"kind\": \"Scheduled\",\n      \"properties\": {\n");
    sb_puts(sb, "        \"displayName\": ");
    sentinel_arm_string(sb, text_or(&r->title, ""));
    sb_puts(sb, ",\n        \"description\": ");
    sentinel_arm_string(sb, text_or(&r->description, ""));
    sb_printf(sb, ",\n        \"severity\": \"%s\",\n        \"enabled\": true,\n        \"query\": ", sentinel_severity(r->level));
    json_write_cstr(sb, c->res.query);
    sb_puts(sb, ",\n        ");
    sentinel_schedule_arm(sb, r, "\n        ");
    sb_puts(sb, ",\n        \"triggerOperator\": \"GreaterThan\",\n        \"triggerThreshold\": 0,\n"
                "        \"suppressionDuration\": \"PT1H\",\n        \"suppressionEnabled\": false,\n        \"tactics\": [");
    for (size_t i = 0; i < ai.ntactics; i++) sb_printf(sb, "%s\"%s\"", i ? ", " : "", ai.tactics[i]);
    /* ARM splits ATT&CK ids: techniques (T1059) and subTechniques (T1059.003). */
    sb_puts(sb, "],\n        \"techniques\": [");
    const char *parents[64];
    char buf[64][16];
    size_t nparents = 0;
    for (size_t i = 0; i < ai.ntechniques; i++) {
        
        snprintf(buf[i], sizeof buf[i], "%.5s", ai.techniques[i]);
        add_unique(parents, &nparents, 64, buf[i]);
    }
    for (size_t i = 0; i < nparents; i++) sb_printf(sb, "%s\"%s\"", i ? ", " : "", parents[i]);
    sb_puts(sb, "],\n        \"subTechniques\": [");
    size_t nsub = 0;
    for (size_t i = 0; i < ai.ntechniques; i++)
        if (strchr(ai.techniques[i], '.')) sb_printf(sb, "%s\"%s\"", nsub++ ? ", " : "", ai.techniques[i]);
    sb_puts(sb, "],\n        \"entityMappings\": ");
    sentinel_entities_json(sb, c->res.entities, c->res.nentities);
    sb_puts(sb, "\n      }\n    }");
}

static void write_json(strbuf *sb, const converted *c, const char *target) {
    const socfeed_rule *r = c->rule;
    sb_puts(sb, "{\"file\":");
    json_write_cstr(sb, r->file);
    sb_puts(sb, ",\"id\":");
    if (r->id.s) json_write_cstr(sb, r->id.s);
    else sb_puts(sb, "null");
    sb_puts(sb, ",\"title\":");
    if (r->title.s) json_write_cstr(sb, r->title.s);
    else sb_puts(sb, "null");
    sb_puts(sb, ",\"target\":");
    json_write_cstr(sb, target);
    sb_puts(sb, ",\"table\":");
    if (c->res.table) json_write_cstr(sb, c->res.table);
    else sb_puts(sb, "null");
    if (c->res.query) {
        sb_puts(sb, ",\"status\":\"converted\",\"query\":");
        json_write_cstr(sb, c->res.query);
    } else {
        sb_puts(sb, ",\"status\":\"refused\",\"reason\":");
        json_write_cstr(sb, c->res.reason);
    }
    sb_putc(sb, '}');
}

static int cmp_ptr(const void *a, const void *b) {
    uintptr_t x = (uintptr_t)*(const void *const *)a, y = (uintptr_t)*(const void *const *)b;
    return x < y ? -1 : x > y;
}

/* Rules that a correlation with `generate: false` uses produce no query of their own: their set,
 * sorted for bsearch (gathered once, so a corpus stays linear). */
typedef struct hidden_set {
    const socfeed_rule **items;
    size_t n;
} hidden_set;

static hidden_set hidden_by_correlations(const socfeed_ruleset *rs) {
    hidden_set h = {0};
    for (size_t i = 0; i < socfeed_ruleset_count(rs); i++) {
        const socfeed_rule *c = socfeed_ruleset_get(rs, i);
        if (c->kind != SOCFEED_DOC_CORRELATION || !c->correlation || c->correlation->generate || !c->correlation->resolved) continue;
        for (size_t k = 0; k < c->correlation->rules.count; k++) {
            if (!c->correlation->resolved[k]) continue;
            h.items = xrealloc(h.items, (h.n + 1) * sizeof *h.items);
            h.items[h.n++] = c->correlation->resolved[k];
        }
    }
    if (h.n) qsort(h.items, h.n, sizeof *h.items, cmp_ptr);
    return h;
}

static bool is_hidden(const hidden_set *h, const socfeed_rule *r) {
    return h->n && bsearch(&r, h->items, h->n, sizeof *h->items, cmp_ptr) != NULL;
}

int cmd_convert(int argc, char **argv) {
    const char *target = NULL, *format = "query", *placeholders = NULL, *variant = NULL;
    const char **mappings = xcalloc((size_t)argc + 1, sizeof *mappings);
    size_t nmappings = 0;
    unsigned threads = cli_default_threads();
    bool quiet = false;
    int first_path = argc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            free(mappings);
            return 0;
        } else if ((!strcmp(a, "-t") || !strcmp(a, "--target")) && i + 1 < argc) {
            target = argv[++i];
        } else if (!strcmp(a, "--format") && i + 1 < argc) {
            format = argv[++i];
        } else if (!strcmp(a, "--mapping") && i + 1 < argc) {
            mappings[nmappings++] = argv[++i];
        } else if (!strcmp(a, "--variant") && i + 1 < argc) {
            variant = argv[++i];
        } else if (!strcmp(a, "--placeholders") && i + 1 < argc) {
            placeholders = argv[++i];
        } else if (!strncmp(a, "-j", 2)) {
            if (cli_jobs_option(argc, argv, &i, &threads) < 0) {
                free(mappings);
                return 2;
            }
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = true;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "socfeed convert: unknown option or missing value '%s'\n", a);
            usage(stderr);
            free(mappings);
            return 2;
        } else {
            first_path = i;
            break;
        }
    }
    out_format fmt = !strcmp(format, "query") ? F_QUERY : !strcmp(format, "json") ? F_JSON
                   : !strcmp(format, "sentinel-yaml") ? F_SENTINEL_YAML : !strcmp(format, "arm") ? F_ARM : (out_format)-1;
    if ((int)fmt < 0) {
        fprintf(stderr, "socfeed convert: --format must be query, json, sentinel-yaml or arm\n");
        free(mappings);
        return 2;
    }
    if (!target || first_path >= argc) {
        if (!target) fprintf(stderr, "socfeed convert: -t TARGET is required (sentinel-asim, defender-xdr, azure-monitor)\n");
        usage(stderr);
        free(mappings);
        return 2;
    }
    socfeed_diags md;
    socfeed_diags_init(&md);
    socfeed_kql_target *t = socfeed_kql_target_new(target, &md);
    bool mapping_failed = !t;
    for (size_t i = 0; t && i < nmappings; i++) mapping_failed |= socfeed_kql_target_add_mapping(t, mappings[i], &md) != 0;
    cli_print_diags(stderr, &md, false);
    socfeed_diags_clear(&md);
    free(mappings);
    if (!t) return 2;
    if (mapping_failed) {
        socfeed_kql_target_free(t);
        return 1;
    }
    if (variant) socfeed_kql_target_set_variant(t, variant);

    socfeed_ruleset *rs = cli_load_rules((const char *const *)argv + first_path, (size_t)(argc - first_path), placeholders,
                                         threads, stderr);
    socfeed_diags *d = socfeed_ruleset_diags(rs);

    socfeed_diags ad;
    socfeed_diags_init(&ad);
    socfeed_attack *att = fmt == F_SENTINEL_YAML || fmt == F_ARM ? socfeed_attack_load(&ad) : NULL;
    socfeed_diags_clear(&ad);

    size_t n = socfeed_ruleset_count(rs), nconv = 0, nref = 0;
    strbuf out;
    sb_init(&out);
    if (fmt == F_JSON) sb_puts(&out, "[");
    if (fmt == F_ARM)
        sb_puts(&out, "{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n"
                      "  \"contentVersion\": \"1.0.0.0\",\n"
                      "  \"parameters\": {\n    \"workspace\": {\"type\": \"String\"}\n  },\n  \"resources\": [\n");
    size_t emitted = 0;
    hidden_set hidden = hidden_by_correlations(rs);
    socfeed_kql_result *results = xcalloc(n + 1, sizeof *results);
    socfeed_kql_convert_all(t, rs, results);
    for (size_t i = 0; i < n; i++) {
        const socfeed_rule *r = socfeed_ruleset_get(rs, i);
        converted c = {r, results[i]};
        memset(&results[i], 0, sizeof results[i]);
        if (r->kind == SOCFEED_DOC_FILTER || is_hidden(&hidden, r)) {
            socfeed_kql_result_clear(&c.res);
            continue;
        }
        if (c.res.query) nconv++;
        else {
            nref++;
            if (!quiet)
                fprintf(stderr, "%s:%u:%u: refused (%s): %s\n", r->file, r->pos.line, r->pos.col, target, c.res.reason);
        }
        switch (fmt) {
        case F_JSON:
            sb_puts(&out, emitted++ ? ",\n" : "\n");
            write_json(&out, &c, target);
            break;
        case F_QUERY:
            if (!c.res.query) break;
            if (emitted++) sb_putc(&out, '\n');
            sb_printf(&out, "// %s", text_or(&r->title, ""));
            if (r->id.s) sb_printf(&out, " (%s)", r->id.s);
            sb_printf(&out, "\n%s\n", c.res.query);
            break;
        case F_SENTINEL_YAML:
            if (!c.res.query) break;
            if (emitted++) sb_puts(&out, "---\n");
            write_sentinel_yaml(&out, att, &c, target);
            break;
        case F_ARM:
            if (!c.res.query) break;
            if (emitted++) sb_puts(&out, ",\n");
            write_arm_resource(&out, att, &c);
            break;
        }
        socfeed_kql_result_clear(&c.res);
        if (out.len > (1u << 20)) {
            fwrite(out.data, 1, out.len, stdout);
            sb_reset(&out);
        }
    }
    free(results);
    free(hidden.items);
    if (fmt == F_JSON) sb_puts(&out, "\n]\n");
    if (fmt == F_ARM) sb_puts(&out, "\n  ]\n}\n");
    fwrite(out.data ? out.data : "", 1, out.len, stdout);
    sb_free(&out);
    if (!quiet) fprintf(stderr, "%s: %zu converted, %zu refused\n", target, nconv, nref);
    int rc = d->errors ? 1 : 0;
    socfeed_attack_free(att);
    socfeed_ruleset_free(rs);
    socfeed_kql_target_free(t);
    return rc;
}
