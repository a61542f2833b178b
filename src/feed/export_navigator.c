/* export_navigator.c — navigator-layer.json: an ATT&CK Navigator layer (format 4.5), one technique
 * entry per matrix cell that has rules, score = rule count, so the feed's coverage opens in MITRE's
 * own tool. */
#include <string.h>

#include "feed/feed_site.h"
#include "util/json_write.h"

void render_navigator(strbuf *sb, const socfeed_feed *f, const socfeed_coverage *c) {
    const socfeed_attack *a = f->attack;
    const char *version = socfeed_attack_version(a);
    size_t major = strcspn(version, ".");
    size_t max = 0;
    size_t ntac = socfeed_attack_tactic_count(a), ntech = socfeed_attack_technique_count(a);
    for (size_t ti = 0; ti < ntac; ti++)
        for (size_t k = 0; k < ntech; k++) {
            size_t n = socfeed_coverage_cell(c, ti, k).rules;
            if (n > max) max = n;
        }
    sb_puts(sb, "{\n\"name\":");
    json_write_cstr(sb, f->opt.title);
    sb_printf(sb, ",\n\"versions\":{\"attack\":\"%.*s\",\"navigator\":\"5.1.0\",\"layer\":\"4.5\"},\n", (int)major, version);
    sb_puts(sb, "\"domain\":\"enterprise-attack\",\n\"description\":");
    strbuf d;
    sb_init(&d);
    sb_printf(&d, "Sigma rules per technique (score = rule count) from socfeed, built %s, ATT&CK v%s.", f->now, version);
    json_write_cstr(sb, d.data);
    sb_free(&d);
    sb_puts(sb, ",\n\"sorting\":3,\n\"layout\":{\"layout\":\"side\",\"showID\":true,\"showName\":true},\n"
                "\"hideDisabled\":false,\n\"techniques\":[\n");
    bool first = true;
    for (size_t ti = 0; ti < ntac; ti++) {
        const socfeed_attack_tactic *tac = socfeed_attack_tactic_at(a, ti);
        for (size_t k = 0; k < ntech; k++) {
            socfeed_coverage_count n = socfeed_coverage_cell(c, ti, k);
            if (!n.rules) continue;
            const socfeed_attack_technique *t = socfeed_attack_technique_at(a, k);
            sb_printf(sb, "%s{\"techniqueID\":\"%s\",\"tactic\":\"%s\",\"score\":%zu,\"comment\":\"%zu rule%s, %zu verified\","
                          "\"enabled\":true,\"showSubtechniques\":%s}",
                      first ? "" : ",\n", t->id, tac->shortname, n.rules, n.rules, n.rules == 1 ? "" : "s", n.verified,
                      t->parent_id ? "false" : "true");
            first = false;
        }
    }
    sb_printf(sb, "\n],\n\"gradient\":{\"colors\":[\"#ffffffff\",\"#66b1ffff\",\"#ff6666ff\"],\"minValue\":0,\"maxValue\":%zu},\n",
              max ? max : 1);
    sb_puts(sb, "\"legendItems\":[],\n\"metadata\":[{\"name\":\"generator\",\"value\":\"socfeed\"}],\n\"links\":[],\n"
                "\"showTacticRowBackground\":false,\n\"selectTechniquesAcrossTactics\":true,\n"
                "\"selectSubtechniquesWithParent\":false,\n\"selectVisibleTechniques\":false\n}\n");
}
