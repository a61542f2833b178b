/* export_arm.c — ARM templates that deploy analytic rules into a workspace (parameter
 * `workspace`): sentinel/azuredeploy.json holds every rule of the feed (a feed is deployed as a
 * whole), and sentinel/<rule>.json holds one rule (to deploy or review a single detection).
 * Only verified queries are enabled; the others are deployed disabled, to be reviewed first.
 * ARM evaluates strings that start with '[' as expressions; such strings are escaped as "[[". */
#include <stdio.h>
#include <string.h>

#include "feed/feed_site.h"
#include "feed/sentinel_format.h"
#include "socfeed/kql.h"

static void template_open(strbuf *sb) {
    sb_puts(sb, "{\n\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n"
                "\"contentVersion\": \"1.0.0.0\",\n"
                "\"parameters\": {\"workspace\": {\"type\": \"string\", \"metadata\": {\"description\": "
                "\"Log Analytics workspace with Microsoft Sentinel\"}}},\n\"resources\": [");
}

static void render_resource(strbuf *sb, const feed_entry *e, const socfeed_target_result *t);

void render_sentinel_arm(strbuf *sb, const socfeed_feed *f) {
    template_open(sb);
    bool first = true;
    for (size_t i = 0; i < f->count; i++) {
        const feed_entry *e = &f->entries[i];
        const socfeed_target_result *t = feed_sentinel_target(e);
        if (!t) continue;
        sb_puts(sb, first ? "\n" : ",\n");
        first = false;
        render_resource(sb, e, t);
    }
    sb_puts(sb, "\n]\n}\n");
}

bool render_sentinel_arm_rule(strbuf *sb, const feed_entry *e) {
    const socfeed_target_result *t = feed_sentinel_target(e);
    if (!t) return false;
    template_open(sb);
    sb_puts(sb, "\n");
    render_resource(sb, e, t);
    sb_puts(sb, "\n]\n}\n");
    return true;
}

static void render_resource(strbuf *sb, const feed_entry *e, const socfeed_target_result *t) {
    {
        const socfeed_rule *r = e->rule;
        char guid[37];
        sentinel_rule_guid(guid, r->id.s, r->source); /* as convert names it; stable while the rule's text is */
        sb_printf(sb, "{\"type\": \"Microsoft.OperationalInsights/workspaces/providers/alertRules\", "
                      "\"apiVersion\": \"2023-02-01-preview\", \"kind\": \"Scheduled\", "
                      "\"name\": \"[concat(parameters('workspace'), '/Microsoft.SecurityInsights/', '%s')]\",\n"
                      " \"properties\": {\"displayName\": ",
                  guid);
        sentinel_arm_string(sb, r->title.s ? r->title.s : e->slug);
        strbuf d;
        sb_init(&d);
        sb_puts(&d, r->description.s ? r->description.s : "");
        sb_printf(&d, "\n\nsocfeed: %s query, %s.", t->target,
                  t->verdict == SOCFEED_VERDICT_VERIFIED ? "verified on sample events" : "NOT verified: review before enabling");
        sb_puts(sb, ", \"description\": ");
        sentinel_arm_string(sb, d.data);
        sb_free(&d);
        sb_printf(sb, ", \"severity\": \"%s\", \"enabled\": %s, \"query\": ", feed_sentinel_severity(r->level),
                  t->verdict == SOCFEED_VERDICT_VERIFIED ? "true" : "false");
        sentinel_arm_string(sb, t->query);
        sb_puts(sb, ", ");
        sentinel_schedule_arm(sb, r, " ");
        sb_puts(sb, ", \"triggerOperator\": \"GreaterThan\", \"triggerThreshold\": 0, \"suppressionDuration\": \"PT5H\", "
                    "\"suppressionEnabled\": false, \"tactics\": [");
        const char *seen[16];
        size_t nseen = 0;
        for (size_t k = 0; k < e->enrich->nattack; k++) {
            const socfeed_attack_tactic *tac = e->enrich->attack[k].resolved.tactic;
            const socfeed_attack_technique *tech = e->enrich->attack[k].resolved.technique;
            if (!tac && tech && tech->ntactics) tac = tech->tactics[0];
            if (!tac || !tac->sentinel || nseen == 16) continue;
            bool dup = false;
            for (size_t j = 0; j < nseen; j++) dup |= !strcmp(seen[j], tac->sentinel);
            if (dup) continue;
            sb_printf(sb, "%s\"%s\"", nseen ? ", " : "", tac->sentinel);
            seen[nseen++] = tac->sentinel;
        }
        /* The API takes parent technique ids in `techniques` and sub-technique ids in `subTechniques`. */
        const char *kinds[2] = {"techniques", "subTechniques"};
        for (int sub = 0; sub < 2; sub++) {
            sb_printf(sb, "], \"%s\": [", kinds[sub]);
            size_t n = 0;
            for (size_t k = 0; k < e->enrich->nattack; k++) {
                const socfeed_attack_technique *tech = e->enrich->attack[k].resolved.technique;
                if (!tech) continue;
                const char *id = sub ? (tech->parent_id ? tech->id : NULL) : (tech->parent_id ? tech->parent_id : tech->id);
                if (!id) continue;
                sb_printf(sb, "%s\"%s\"", n++ ? ", " : "", id);
            }
        }
        sb_puts(sb, "], \"entityMappings\": ");
        sentinel_entities_json(sb, t->entities, t->nentities);
        sb_puts(sb, "}}");
    }
}
