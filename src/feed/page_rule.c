/* page_rule.c — rules/<slug>.html: the seed page's sections in the seed's order, done right: every
 * query with its verification verdict (a failed one is flagged as not deployable) or the reason it
 * was refused, and enrichment whose inputs are on the page. */
#include <stdlib.h>
#include <string.h>

#include "feed/feed_site.h"
#include "feed/html.h"

static void put_paragraphs(strbuf *sb, const char *text) {
    const char *p = text;
    while (p && *p) {
        const char *end = strstr(p, "\n\n");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        sb_puts(sb, "<p>");
        html_escape(sb, p, len);
        sb_puts(sb, "</p>\n");
        p = end ? end + 2 : NULL;
    }
}

/* YAML with keys, comments and scalars marked; every piece escaped. Line-based on purpose: it must
 * never hide or reorder a byte of what the author published. */
static void put_yaml_highlighted(strbuf *sb, const char *src, size_t len) {
    const char *p = src, *end = src + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        const char *q = p;
        while (q < eol && (*q == ' ' || *q == '-')) q++;
        html_escape(sb, p, (size_t)(q - p));
        if (q < eol && *q == '#') {
            sb_puts(sb, "<span class=\"y-c\">");
            html_escape(sb, q, (size_t)(eol - q));
            sb_puts(sb, "</span>");
        } else {
            /* key: up to ": " or ":" at end of line, if no quote comes first */
            const char *colon = NULL;
            for (const char *k = q; k < eol; k++) {
                if (*k == '\'' || *k == '"' || *k == ' ') break;
                if (*k == ':' && (k + 1 == eol || k[1] == ' ')) {
                    colon = k;
                    break;
                }
            }
            if (colon) {
                sb_puts(sb, "<span class=\"y-k\">");
                html_escape(sb, q, (size_t)(colon - q));
                sb_puts(sb, "</span>:");
                q = colon + 1;
            }
            /* a comment starts at " #" outside quotes */
            const char *comment = NULL;
            char quote = 0;
            for (const char *k = q; k < eol; k++) {
                if (quote) {
                    if (*k == quote) quote = 0;
                } else if (*k == '\'' || *k == '"') {
                    if (k == q || k[-1] == ' ') quote = *k;
                } else if (*k == '#' && k > q && k[-1] == ' ') {
                    comment = k;
                    break;
                }
            }
            const char *value_end = comment ? comment : eol;
            if (value_end > q) {
                sb_puts(sb, "<span class=\"y-v\">");
                html_escape(sb, q, (size_t)(value_end - q));
                sb_puts(sb, "</span>");
            }
            if (comment) {
                sb_puts(sb, "<span class=\"y-c\">");
                html_escape(sb, comment, (size_t)(eol - comment));
                sb_puts(sb, "</span>");
            }
        }
        if (eol < end) sb_putc(sb, '\n');
        p = eol + 1;
    }
}

static void put_verdict(strbuf *sb, const socfeed_target_result *t, bool correlation) {
    const char *name = socfeed_verdict_name(t->verdict);
    if (socfeed_verdict_is_failure(t->verdict)) {
        sb_printf(sb, "<div class=\"verdict verdict-failed\" role=\"alert\"><strong>✗ Do not deploy: verification showed "
                      "this query to be %s.</strong> ", name);
        if (t->verdict == SOCFEED_VERDICT_UNDER_MATCH)
            sb_puts(sb, "It misses events the Sigma rule finds.");
        else if (t->verdict == SOCFEED_VERDICT_OVER_MATCH)
            sb_puts(sb, "It finds events the Sigma rule does not.");
        else
            sb_puts(sb, "It misses events the Sigma rule finds and finds events it does not.");
        sb_puts(sb, " It is shown only so the defect can be seen and fixed.");
    } else if (t->verdict == SOCFEED_VERDICT_VERIFIED) {
        sb_puts(sb, correlation ? "<div class=\"verdict verdict-verified\"><strong>✓ Verified:</strong> on the normalized "
                                  "sample events this query alerts on exactly the groups the correlation alerts on."
                                : "<div class=\"verdict verdict-verified\"><strong>✓ Verified:</strong> on the normalized "
                                  "sample events this query finds exactly what the Sigma rule finds.");
    } else if (t->verdict == SOCFEED_VERDICT_ERROR) {
        sb_puts(sb, "<div class=\"verdict verdict-unverified\"><strong>Unverified:</strong> verification could not run.");
    } else {
        sb_puts(sb, "<div class=\"verdict verdict-unverified\"><strong>Unverified:</strong> no verification result for this "
                    "query; test it before deploying.");
    }
    if (t->verdict_detail) {
        sb_puts(sb, " <span class=\"detail\">");
        html_escape_cstr(sb, t->verdict_detail);
        sb_puts(sb, "</span>");
    }
    sb_puts(sb, "</div>\n");
}

/* The tab a reader should land on: the first verified query, else the first query that did not
 * fail verification, else the first query, else the first target (its reason). */
static size_t preferred_tab(const feed_entry *e) {
    size_t best = 0;
    int best_rank = 0;
    for (size_t i = 0; i < e->ntargets; i++) {
        const socfeed_target_result *t = &e->targets[i];
        int rank = !t->query ? 0 : t->verdict == SOCFEED_VERDICT_VERIFIED ? 3 : !socfeed_verdict_is_failure(t->verdict) ? 2 : 1;
        if (rank > best_rank) {
            best = i;
            best_rank = rank;
        }
    }
    return best;
}

static void put_kql(strbuf *sb, const feed_entry *e) {
    sb_puts(sb, "<section id=\"kql\" aria-labelledby=\"kql-h\"><h2 id=\"kql-h\">KQL</h2>\n");
    if (!e->ntargets) {
        sb_puts(sb, "<p>No KQL target was requested for this build.</p></section>\n");
        return;
    }
    sb_puts(sb, "<div class=\"tabs\" role=\"tablist\" aria-label=\"KQL targets\">");
    size_t selected = preferred_tab(e);
    for (size_t i = 0; i < e->ntargets; i++) {
        const socfeed_target_result *t = &e->targets[i];
        const char *mark = !t->query ? " —" : socfeed_verdict_is_failure(t->verdict) ? " ✗"
                                          : t->verdict == SOCFEED_VERDICT_VERIFIED ? " ✓" : "";
        sb_printf(sb, "<button type=\"button\" role=\"tab\" id=\"tab-%zu\" aria-controls=\"panel-%zu\" aria-selected=\"%s\">",
                  i, i, i == selected ? "true" : "false");
        html_escape_cstr(sb, t->target);
        sb_printf(sb, "%s</button>", mark);
    }
    sb_puts(sb, "</div>\n");
    for (size_t i = 0; i < e->ntargets; i++) {
        const socfeed_target_result *t = &e->targets[i];
        sb_printf(sb, "<div class=\"panel\" role=\"tabpanel\" id=\"panel-%zu\" aria-labelledby=\"tab-%zu\" data-target=\"", i, i);
        html_escape_cstr(sb, t->target);
        sb_puts(sb, "\">\n<h3>");
        html_escape_cstr(sb, t->target);
        if (t->table) {
            sb_puts(sb, " · <code>");
            html_escape_cstr(sb, t->table);
            sb_puts(sb, "</code>");
        }
        sb_puts(sb, "</h3>\n");
        if (!t->query) {
            sb_puts(sb, "<div class=\"verdict verdict-refused\"><strong>No query:</strong> ");
            html_escape_cstr(sb, t->reason ? t->reason : "the converter gave no query and no reason");
            sb_puts(sb, "</div>\n</div>\n");
            continue;
        }
        put_verdict(sb, t, e->rule->kind == SOCFEED_DOC_CORRELATION);
        bool failed = socfeed_verdict_is_failure(t->verdict);
        sb_printf(sb, "<pre class=\"kql%s\"><code id=\"q-%zu\">", failed ? " kql-failed" : "", i);
        html_escape_cstr(sb, t->query);
        sb_printf(sb, "</code></pre>\n<button type=\"button\" class=\"copy\" data-copy=\"q-%zu\">%s</button>\n</div>\n", i,
                  failed ? "Copy (failed verification)" : "Copy query");
    }
    sb_puts(sb, "</section>\n");
}

static void put_tactic(strbuf *sb, const socfeed_attack_tactic *t) {
    sb_puts(sb, "<a href=\"");
    html_escape_cstr(sb, t->url);
    sb_puts(sb, "\">");
    html_escape_cstr(sb, t->name);
    sb_puts(sb, " (");
    html_escape_cstr(sb, t->id);
    sb_puts(sb, ")</a>");
}

static void put_attack_context(strbuf *sb, const socfeed_feed *f, const feed_entry *e) {
    const socfeed_enrichment *en = e->enrich;
    sb_puts(sb, "<section id=\"attack\" aria-labelledby=\"attack-h\"><h2 id=\"attack-h\">MITRE ATT&amp;CK Context</h2>\n");
    if (!en->nattack) sb_puts(sb, "<p>The rule carries no ATT&amp;CK tags.</p>\n");
    for (size_t i = 0; i < en->nattack; i++) {
        const socfeed_attack_ref *ref = &en->attack[i];
        const socfeed_attack_tag *tag = &ref->resolved;
        sb_puts(sb, "<div class=\"attack-ref\">");
        switch (tag->kind) {
        case SOCFEED_TAG_TECHNIQUE: {
            const socfeed_attack_technique *t = tag->technique;
            sb_printf(sb, "<h3 id=\"%s\"><a href=\"", t->id);
            html_escape_cstr(sb, t->url);
            sb_puts(sb, "\">");
            html_escape_cstr(sb, t->id);
            sb_puts(sb, " ");
            html_escape_cstr(sb, t->name);
            sb_puts(sb, "</a></h3>\n<p class=\"meta\">");
            if (t->parent_id) {
                const socfeed_attack_technique *parent = socfeed_attack_technique_by_id(f->attack, t->parent_id);
                sb_puts(sb, "Sub-technique of ");
                html_escape_cstr(sb, t->parent_id);
                if (parent) {
                    sb_puts(sb, " ");
                    html_escape_cstr(sb, parent->name);
                }
                sb_puts(sb, ". ");
            }
            sb_puts(sb, "Tactic");
            sb_puts(sb, t->ntactics == 1 ? ": " : "s: ");
            for (size_t k = 0; k < t->ntactics; k++) {
                if (k) sb_puts(sb, ", ");
                put_tactic(sb, t->tactics[k]);
            }
            if (t->nplatforms) {
                sb_puts(sb, ". Platforms: ");
                for (size_t k = 0; k < t->nplatforms; k++) {
                    if (k) sb_puts(sb, ", ");
                    html_escape_cstr(sb, t->platforms[k]);
                }
            }
            sb_puts(sb, ".</p>\n");
            if (t->description && *t->description) {
                sb_puts(sb, "<p>");
                html_escape_cstr(sb, t->description);
                sb_puts(sb, "</p>\n");
            }
            if (t->ndetections) {
                sb_puts(sb, "<p>Detection strateg");
                sb_puts(sb, t->ndetections == 1 ? "y: " : "ies: ");
                for (size_t k = 0; k < t->ndetections; k++) {
                    if (k) sb_puts(sb, "; ");
                    sb_puts(sb, "<a href=\"https://attack.mitre.org/detectionstrategies/");
                    html_escape_cstr(sb, t->detection_ids[k]);
                    sb_puts(sb, "/\">");
                    html_escape_cstr(sb, t->detection_ids[k]);
                    sb_puts(sb, "</a> ");
                    html_escape_cstr(sb, t->detection_names[k]);
                }
                sb_puts(sb, "</p>\n");
            }
            break;
        }
        case SOCFEED_TAG_TACTIC:
            sb_puts(sb, "<p>Tactic: ");
            put_tactic(sb, tag->tactic);
            sb_puts(sb, "</p>\n");
            break;
        case SOCFEED_TAG_TACTIC_OUTDATED:
            sb_puts(sb, "<p>Tagged <code>");
            html_escape_cstr(sb, ref->tag);
            sb_printf(sb, "</code>, a tactic name ATT&amp;CK v%s no longer uses; it is shown as ", socfeed_attack_version(f->attack));
            put_tactic(sb, tag->tactic);
            sb_puts(sb, ".</p>\n");
            break;
        case SOCFEED_TAG_REVOKED:
            sb_puts(sb, "<p class=\"warn\">Tagged <code>");
            html_escape_cstr(sb, ref->tag);
            sb_puts(sb, "</code>: ");
            html_escape_cstr(sb, tag->revoked->id);
            sb_puts(sb, " (");
            html_escape_cstr(sb, tag->revoked->name);
            sb_puts(sb, ") was revoked in ATT&amp;CK ");
            html_escape_cstr(sb, tag->revoked->revoked_in);
            if (tag->revoked->replaced_by_id) {
                sb_puts(sb, " and replaced by ");
                html_escape_cstr(sb, tag->revoked->replaced_by_id);
                sb_puts(sb, " ");
                html_escape_cstr(sb, tag->revoked->replaced_by_name);
            }
            sb_puts(sb, ". The rule should be re-tagged.</p>\n");
            break;
        case SOCFEED_TAG_GROUP:
        case SOCFEED_TAG_SOFTWARE:
            sb_puts(sb, "<p>");
            sb_puts(sb, tag->kind == SOCFEED_TAG_GROUP ? "Group: " : "Software: ");
            html_escape_cstr(sb, ref->tag + 7);
            sb_puts(sb, "</p>\n");
            break;
        case SOCFEED_TAG_UNKNOWN:
        case SOCFEED_TAG_OTHER:
            sb_puts(sb, "<p class=\"warn\">Tagged <code>");
            html_escape_cstr(sb, ref->tag);
            sb_printf(sb, "</code>, which names nothing in ATT&amp;CK v%s.</p>\n", socfeed_attack_version(f->attack));
            break;
        }
        sb_puts(sb, "</div>\n");
    }
    sb_printf(sb, "<p class=\"meta\">From MITRE ATT&amp;CK Enterprise v%s (see the notice below).</p>\n</section>\n",
              socfeed_attack_version(f->attack));
}

static void put_entry_link(strbuf *sb, const feed_entry *o) {
    sb_puts(sb, "<a href=\"");
    html_escape_cstr(sb, o->slug);
    sb_puts(sb, ".html\">");
    html_escape_cstr(sb, o->rule->title.s ? o->rule->title.s : o->slug);
    sb_puts(sb, "</a>");
}

static void put_related(strbuf *sb, const socfeed_feed *f, const feed_entry *e) {
    const socfeed_rule *r = e->rule;
    sb_puts(sb, "<section id=\"related\" aria-labelledby=\"related-h\"><h2 id=\"related-h\">Related rules</h2>\n<ul>\n");
    size_t shown = 0;
    for (size_t i = 0; i < r->nrelated; i++) {
        const char *id = r->related[i].id.s;
        const feed_entry *o = id ? feed_find_by_id(f, id) : NULL;
        sb_puts(sb, "<li>");
        html_escape_cstr(sb, r->related[i].type.s ? r->related[i].type.s : "related");
        sb_puts(sb, ": ");
        if (o) put_entry_link(sb, o);
        else {
            sb_puts(sb, "<code>");
            html_escape_cstr(sb, id);
            sb_puts(sb, "</code> (not in this feed)");
        }
        sb_puts(sb, "</li>\n");
        shown++;
    }
    /* Rules sharing a technique: the first few, in feed order, so the list is stable. */
    for (size_t i = 0; i < e->enrich->nattack && shown < 8; i++) {
        const socfeed_attack_technique *t = e->enrich->attack[i].resolved.technique;
        if (!t) continue;
        size_t lo = 0, hi = f->nby_tech;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (strcmp(f->by_tech[mid].technique, t->id) < 0) lo = mid + 1;
            else hi = mid;
        }
        for (size_t k = lo; k < f->nby_tech && !strcmp(f->by_tech[k].technique, t->id) && shown < 8; k++) {
            const feed_entry *o = &f->entries[f->by_tech[k].entry];
            if (o == e) continue;
            sb_printf(sb, "<li>same technique %s: ", t->id);
            put_entry_link(sb, o);
            sb_puts(sb, "</li>\n");
            shown++;
        }
    }
    if (!shown) sb_puts(sb, "<li>None in this feed.</li>\n");
    sb_puts(sb, "</ul>\n</section>\n");
}

static void put_provenance(strbuf *sb, const socfeed_feed *f, const feed_entry *e) {
    sb_puts(sb, "<p class=\"provenance\">This rule was pulled from ");
    if (!strcmp(e->source_name, "SigmaHQ")) sb_puts(sb, "the open-source SigmaHQ repository");
    else sb_puts(sb, "a local rule file");
    sb_puts(sb, " (<code>");
    html_escape_cstr(sb, e->source_path);
    sb_printf(sb, "</code>) and enriched by socfeed from the rule's own metadata and MITRE ATT&amp;CK v%s, by fixed rules "
                  "explained on this page. ", socfeed_attack_version(f->attack));
    if (e->failed)
        sb_printf(sb, "<strong>Validation: %zu of %zu queries failed verification.</strong> ", e->failed, e->ntargets);
    else if (e->verified)
        sb_printf(sb, "Validation: %zu of %zu queries verified on sample events. ", e->verified, e->ntargets);
    else if (e->queries)
        sb_puts(sb, "Validation: no query has been verified on sample events. ");
    else
        sb_puts(sb, "Validation: no query was produced. ");
    sb_puts(sb, "Test in your environment before deploying to production.</p>\n");
}

void render_rule(strbuf *sb, const socfeed_feed *f, const feed_entry *e) {
    const socfeed_rule *r = e->rule;
    const socfeed_enrichment *en = e->enrich;
    const char *title = r->title.s ? r->title.s : e->slug;
    page_begin(sb, f, title, "../", "rule");
    sb_puts(sb, "<nav class=\"pagenav\" aria-label=\"feed\"><a href=\"../index.html\">← Back to SOC feed</a> "
                "<a href=\"../coverage.html\">Coverage →</a></nav>\n<article class=\"rule\">\n<h1>");
    html_escape_cstr(sb, title);
    sb_puts(sb, "</h1>\n<p class=\"badges\"><span class=\"badge\">");
    sb_puts(sb, r->kind == SOCFEED_DOC_CORRELATION ? "sigma correlation" : "sigma");
    sb_puts(sb, "</span> ");
    page_badge_level(sb, r->level);
    sb_puts(sb, " <span class=\"badge source\">");
    html_escape_cstr(sb, e->source_name);
    sb_puts(sb, "</span> ");
    if (r->status) {
        sb_printf(sb, "<span class=\"badge status status-%s\">", socfeed_status_name(r->status));
        sb_puts(sb, socfeed_status_name(r->status));
        sb_puts(sb, "</span> ");
    }
    page_badge_verification(sb, e);
    sb_puts(sb, "</p>\n<p class=\"techniques\">");
    for (size_t i = 0; i < en->nattack; i++) {
        const socfeed_attack_technique *t = en->attack[i].resolved.technique;
        if (!t) continue;
        sb_printf(sb, "<a class=\"tech\" href=\"#%s\">%s</a> ", t->id, t->id);
    }
    sb_puts(sb, "</p>\n<p class=\"tables\">");
    for (size_t i = 0; i < e->ntargets; i++) {
        const socfeed_target_result *t = &e->targets[i];
        if (!t->table || !t->query) continue;
        bool dup = false;
        for (size_t k = 0; k < i; k++) dup |= e->targets[k].table && e->targets[k].query && !strcmp(e->targets[k].table, t->table);
        if (dup) continue;
        sb_puts(sb, "<code class=\"table\">");
        html_escape_cstr(sb, t->table);
        sb_puts(sb, "</code> ");
    }
    sb_puts(sb, "</p>\n");
    put_provenance(sb, f, e);
    if (e->source_url) {
        sb_puts(sb, "<p><a class=\"original\" href=\"");
        html_escape_cstr(sb, e->source_url);
        sb_puts(sb, "\">View original rule at ");
        html_escape_cstr(sb, e->source_name);
        sb_puts(sb, " →</a></p>\n");
    }
    sb_puts(sb, "<p class=\"meta\">Retrieved: <time>");
    html_escape_cstr(sb, e->retrieved);
    sb_printf(sb, "</time> · Confidence: <strong class=\"conf conf-%s\">%s</strong>",
              socfeed_confidence_name(en->confidence), socfeed_confidence_name(en->confidence));
    if (r->author.s) {
        sb_puts(sb, " · Author: ");
        html_escape_cstr(sb, r->author.s);
    }
    if (r->date.s) {
        sb_puts(sb, " · Date: ");
        html_escape_cstr(sb, r->date.s);
    }
    if (r->modified.s) {
        sb_puts(sb, " · Modified: ");
        html_escape_cstr(sb, r->modified.s);
    }
    sb_puts(sb, "</p>\n<details class=\"confidence\"><summary>How the confidence was computed</summary>\n<table>"
                "<thead><tr><th scope=\"col\">Input</th><th scope=\"col\">Measured</th><th scope=\"col\">Points</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < SOCFEED_CONFIDENCE_FACTORS; i++) {
        sb_printf(sb, "<tr><td>%s</td><td>", en->factors[i].input);
        html_escape_cstr(sb, en->factors[i].value);
        sb_printf(sb, "</td><td>%d</td></tr>\n", en->factors[i].points);
    }
    sb_printf(sb, "</tbody><tfoot><tr><th scope=\"row\">Total</th><td></td><td>%d</td></tr></tfoot></table>\n", en->score);
    if (en->confidence_cap) {
        sb_puts(sb, "<p><strong>");
        html_escape_cstr(sb, en->confidence_cap);
        sb_puts(sb, "</strong></p>\n");
    }
    sb_puts(sb, "<p>");
    html_escape_cstr(sb, socfeed_confidence_formula());
    sb_puts(sb, "</p></details>\n");

    sb_puts(sb, "<section id=\"hunt\" aria-labelledby=\"hunt-h\"><h2 id=\"hunt-h\">Hunt Hypothesis</h2>\n");
    put_paragraphs(sb, en->hunt_hypothesis);
    sb_puts(sb, "</section>\n<section id=\"sigma\" aria-labelledby=\"sigma-h\"><h2 id=\"sigma-h\">Detection Rule</h2>\n"
                "<h3>Sigma (as published)</h3>\n<pre class=\"yaml\"><code>");
    put_yaml_highlighted(sb, r->source, r->source_len);
    sb_puts(sb, "</code></pre>\n</section>\n");
    put_kql(sb, e);
    sb_puts(sb, "<section id=\"fp\" aria-labelledby=\"fp-h\"><h2 id=\"fp-h\">False Positive Guidance</h2>\n");
    put_paragraphs(sb, en->false_positive_guidance);
    sb_puts(sb, "</section>\n");
    put_attack_context(sb, f, e);
    sb_puts(sb, "<section id=\"tests\" aria-labelledby=\"tests-h\"><h2 id=\"tests-h\">Regression tests</h2>\n<p>");
    switch (e->tests.state) {
    case SOCFEED_TESTS_PASSED: sb_puts(sb, "<span class=\"badge verdict-verified\">passed</span> "); break;
    case SOCFEED_TESTS_FAILED: sb_puts(sb, "<span class=\"badge verdict-failed\">failed</span> "); break;
    case SOCFEED_TESTS_NONE: sb_puts(sb, "No regression test was run for this rule in this build. "); break;
    }
    html_escape_cstr(sb, e->tests.detail);
    if (r->regression_tests_path.s) {
        sb_puts(sb, " Test data: <code>");
        html_escape_cstr(sb, r->regression_tests_path.s);
        sb_puts(sb, "</code>.");
    }
    sb_puts(sb, "</p>\n</section>\n");
    put_related(sb, f, e);
    if (r->references.count) {
        sb_puts(sb, "<section id=\"references\" aria-labelledby=\"ref-h\"><h2 id=\"ref-h\">References</h2>\n<ul>\n");
        for (size_t i = 0; i < r->references.count; i++) {
            const char *u = r->references.items[i].s;
            sb_puts(sb, "<li>");
            if (html_url_is_safe(u)) {
                sb_puts(sb, "<a href=\"");
                html_escape_cstr(sb, u);
                sb_puts(sb, "\">");
                html_escape_cstr(sb, u);
                sb_puts(sb, "</a>");
            } else {
                html_escape_cstr(sb, u);
            }
            sb_puts(sb, "</li>\n");
        }
        sb_puts(sb, "</ul>\n</section>\n");
    }
    if (e->source_url) {
        sb_puts(sb, "<p class=\"meta\">Original source: ");
        html_escape_cstr(sb, e->source_url);
        sb_puts(sb, "</p>\n");
    }
    sb_puts(sb, "</article>\n<nav class=\"pagenav\" aria-label=\"feed (bottom)\"><a href=\"../index.html\">← Back to SOC feed</a> "
                "<a href=\"../coverage.html\">Coverage →</a></nav>\n");
    page_end(sb, f, "../");
}
