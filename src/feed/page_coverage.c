/* page_coverage.c — coverage.html: the ATT&CK Enterprise matrix, tactics in matrix order as columns,
 * each technique cell shaded by rule count with the verified count beside it and its sub-techniques
 * expandable; tags that reach no cell (revoked, unknown) are listed, not dropped. Filtering by
 * product and level happens in app.js over coverage-data.js; the static counts are for all rules. */
#include <stdlib.h>
#include <string.h>

#include "feed/feed_site.h"
#include "feed/html.h"
#include "util/json_write.h"
#include "util/xalloc.h"

/* Shade steps roughly logarithmic, so one rule and 400 rules both read at a glance (app.js agrees). */
static int shade(size_t n) { return n == 0 ? 0 : n == 1 ? 1 : n <= 4 ? 2 : n <= 14 ? 3 : n <= 49 ? 4 : 5; }

static bool in_tactic(const socfeed_attack_technique *t, const socfeed_attack_tactic *tactic) {
    for (size_t k = 0; k < t->ntactics; k++)
        if (t->tactics[k] == tactic) return true;
    return false;
}

static void put_cell_head(strbuf *sb, const socfeed_attack_technique *t, socfeed_coverage_count n) {
    sb_printf(sb, "<a href=\"index.html#technique=%s\">%s ", t->id, t->id);
    html_escape_cstr(sb, t->name);
    sb_printf(sb, "</a> <span class=\"n\" title=\"rules\">%zu</span><span class=\"v\" title=\"verified rules\">✓%zu</span>",
              n.rules, n.verified);
}

void render_coverage(strbuf *sb, const socfeed_feed *f, const socfeed_coverage *c) {
    const socfeed_attack *a = f->attack;
    page_begin(sb, f, "ATT&CK coverage", "", "coverage");
    sb_puts(sb, "<nav class=\"pagenav\" aria-label=\"feed\"><a href=\"index.html\">← Back to SOC feed</a></nav>\n");
    sb_printf(sb, "<h1>ATT&amp;CK coverage</h1>\n<p class=\"summary\">%zu of %zu rules map to at least one technique of MITRE "
                  "ATT&amp;CK Enterprise v%s. Each cell shows the rules that detect the technique and, after ✓, how many of "
                  "them have a verified query.</p>\n",
              socfeed_coverage_rules_mapped(c), f->count, socfeed_attack_version(a));
    sb_puts(sb, "<p class=\"meta\">A rule tagged with a technique counts under the tactics of that technique it also tags; "
                "when it tags none of them, under each of the technique's tactics. A technique's count includes rules "
                "tagged with its sub-techniques (each rule once). Tactic totals count rules reaching the column or tagging "
                "the tactic.</p>\n");
    sb_puts(sb, "<form class=\"filters\" id=\"cov-filters\" aria-label=\"Filter coverage\">"
                "<label>Product <select id=\"c-product\"><option value=\"\">any</option>");
    /* distinct products, in first-seen order of a sorted pass */
    const char **products = xcalloc(f->count + 1, sizeof *products);
    size_t np = 0;
    for (size_t i = 0; i < f->count; i++) {
        const char *p = f->entries[i].rule->logsource.product.s;
        if (!p) continue;
        bool dup = false;
        for (size_t k = 0; k < np && !dup; k++) dup = !strcmp(products[k], p);
        if (!dup) products[np++] = p;
    }
    for (size_t i = 0; i < np; i++) {
        sb_puts(sb, "<option value=\"");
        html_escape_cstr(sb, products[i]);
        sb_puts(sb, "\">");
        html_escape_cstr(sb, products[i]);
        sb_puts(sb, "</option>");
    }
    free(products);
    sb_puts(sb, "</select></label> <label>Level <select id=\"c-level\"><option value=\"\">any</option><option>critical</option>"
                "<option>high</option><option>medium</option><option>low</option><option>informational</option></select>"
                "</label> <span id=\"c-count\" aria-live=\"polite\"></span></form>\n");
    sb_puts(sb, "<div class=\"matrix\" id=\"matrix\">\n");
    size_t ntech = socfeed_attack_technique_count(a);
    for (size_t ti = 0; ti < socfeed_attack_tactic_count(a); ti++) {
        const socfeed_attack_tactic *tac = socfeed_attack_tactic_at(a, ti);
        socfeed_coverage_count tot = socfeed_coverage_tactic(c, ti);
        sb_printf(sb, "<section class=\"tactic\" data-tactic=\"%zu\" aria-labelledby=\"t-%s\"><h2 id=\"t-%s\"><a href=\"", ti,
                  tac->id, tac->id);
        html_escape_cstr(sb, tac->url);
        sb_puts(sb, "\">");
        html_escape_cstr(sb, tac->name);
        sb_printf(sb, "</a> <small>%s</small></h2>\n<p class=\"total\"><span class=\"tn\">%zu</span> rules · ✓<span "
                      "class=\"tv\">%zu</span> verified</p>\n<ul>\n",
                  tac->id, tot.rules, tot.verified);
        for (size_t k = 0; k < ntech; k++) {
            const socfeed_attack_technique *t = socfeed_attack_technique_at(a, k);
            if (t->parent_id || !in_tactic(t, tac)) continue;
            socfeed_coverage_count n = socfeed_coverage_cell(c, ti, k);
            /* sub-techniques follow their parent in id order */
            size_t first_sub = k + 1, end_sub = k + 1;
            while (end_sub < ntech && socfeed_attack_technique_at(a, end_sub)->parent_id &&
                   !strcmp(socfeed_attack_technique_at(a, end_sub)->parent_id, t->id))
                end_sub++;
            size_t subs = 0;
            for (size_t s = first_sub; s < end_sub; s++) subs += in_tactic(socfeed_attack_technique_at(a, s), tac);
            sb_printf(sb, "<li class=\"cell h%d\" id=\"c-%s-%s\" data-cell=\"%zu:%zu\">", shade(n.rules), tac->id, t->id, ti, k);
            if (subs) {
                sb_puts(sb, "<details><summary>");
                put_cell_head(sb, t, n);
                sb_puts(sb, "</summary><ul class=\"subs\">");
                for (size_t s = first_sub; s < end_sub; s++) {
                    const socfeed_attack_technique *st = socfeed_attack_technique_at(a, s);
                    if (!in_tactic(st, tac)) continue;
                    socfeed_coverage_count sn = socfeed_coverage_cell(c, ti, s);
                    sb_printf(sb, "<li class=\"cell h%d\" id=\"c-%s-%s\" data-cell=\"%zu:%zu\">", shade(sn.rules), tac->id,
                              st->id, ti, s);
                    put_cell_head(sb, st, sn);
                    sb_puts(sb, "</li>");
                }
                sb_puts(sb, "</ul></details>");
            } else {
                put_cell_head(sb, t, n);
            }
            sb_puts(sb, "</li>\n");
        }
        sb_puts(sb, "</ul>\n</section>\n");
    }
    sb_puts(sb, "</div>\n<section id=\"unplaced\" aria-labelledby=\"unplaced-h\"><h2 id=\"unplaced-h\">Tags outside the "
                "matrix</h2>\n");
    size_t nu = socfeed_coverage_unplaced_count(c);
    if (!nu) sb_printf(sb, "<p>Every ATT&amp;CK technique tag names a current v%s technique.</p>\n", socfeed_attack_version(a));
    else {
        sb_printf(sb, "<p>%zu tag%s a revoked or unknown id; the rules are listed here, not dropped.</p>\n<ul>\n", nu,
                  nu == 1 ? " names" : "s name");
        for (size_t i = 0; i < nu; i++) {
            const socfeed_coverage_unplaced *u = socfeed_coverage_unplaced_at(c, i);
            const feed_entry *e = u->rule->id.s ? feed_find_by_id(f, u->rule->id.s) : NULL;
            sb_puts(sb, "<li><code>");
            html_escape_cstr(sb, u->tag);
            sb_puts(sb, "</code> ");
            if (u->resolved.kind == SOCFEED_TAG_REVOKED) {
                sb_puts(sb, "revoked in ");
                html_escape_cstr(sb, u->resolved.revoked->revoked_in);
                if (u->resolved.revoked->replaced_by_id) {
                    sb_puts(sb, ", replaced by ");
                    html_escape_cstr(sb, u->resolved.revoked->replaced_by_id);
                }
            } else {
                sb_puts(sb, "unknown");
            }
            sb_puts(sb, " — ");
            if (e) {
                sb_puts(sb, "<a href=\"rules/");
                html_escape_cstr(sb, e->slug);
                sb_puts(sb, ".html\">");
            }
            html_escape_cstr(sb, u->rule->title.s ? u->rule->title.s : u->rule->file);
            if (e) sb_puts(sb, "</a>");
            sb_puts(sb, "</li>\n");
        }
        sb_puts(sb, "</ul>\n");
    }
    sb_puts(sb, "</section>\n<script src=\"coverage-data.js\" defer></script>\n");
    page_end(sb, f, "");
}

void render_coverage_data(strbuf *sb, const socfeed_feed *f, socfeed_coverage *c) {
    sb_puts(sb, "/* generated by socfeed build: per rule [product, level, verified, cells, tactics] */\n"
                "window.SOCFEED_COVERAGE = [\n");
    strbuf cells, tactics;
    sb_init(&cells);
    sb_init(&tactics);
    for (size_t i = 0; i < f->count; i++) {
        const feed_entry *e = &f->entries[i];
        sb_reset(&cells);
        sb_reset(&tactics);
        feed_coverage_describe(c, e->rule, &cells, &tactics);
        sb_putc(sb, '[');
        json_write_cstr(sb, e->rule->logsource.product.s ? e->rule->logsource.product.s : "");
        sb_printf(sb, ",\"%s\",%d,\"%s\",\"%s\"],\n", socfeed_level_name(e->rule->level), e->verified && !e->failed,
                  cells.data ? cells.data : "", tactics.data ? tactics.data : "");
    }
    sb_puts(sb, "];\n");
    sb_free(&cells);
    sb_free(&tactics);
}
