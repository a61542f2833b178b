/* page_index.c — index.html: every rule as a card, newest first, with filters. The cards are
 * static HTML (the page works without JavaScript); app.js only hides cards that do not match,
 * reading the data-* attributes written here, so no rule text ever passes through script. */
#include <stdlib.h>
#include <string.h>

#include "feed/feed_site.h"
#include "feed/html.h"
#include "util/xalloc.h"

typedef struct value_set {
    const char **items;
    size_t count, cap;
} value_set;

static void set_add(value_set *s, const char *v) {
    if (!v || !*v) return;
    if (s->count == s->cap) s->items = xrealloc(s->items, (s->cap = s->cap ? s->cap * 2 : 64) * sizeof *s->items);
    s->items[s->count++] = v;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

static void set_finish(value_set *s) {
    if (!s->count) return;
    qsort(s->items, s->count, sizeof *s->items, cmp_str);
    size_t n = 1;
    for (size_t i = 1; i < s->count; i++)
        if (strcmp(s->items[i], s->items[n - 1])) s->items[n++] = s->items[i];
    s->count = n;
}

/* Tactics a card belongs to: tagged ones, and the tactics of its techniques (the intended one when
 * the rule names it, else all of them), as in the coverage matrix. */
static void entry_tactics(const feed_entry *e, const socfeed_attack_tactic **out, size_t *n, size_t max) {
    const socfeed_enrichment *en = e->enrich;
    *n = 0;
#define ADD_TACTIC(t)                                              \
    do {                                                           \
        bool dup_ = false;                                         \
        for (size_t k_ = 0; k_ < *n; k_++) dup_ |= out[k_] == (t); \
        if (!dup_ && *n < max) out[(*n)++] = (t);                  \
    } while (0)
    for (size_t i = 0; i < en->nattack; i++)
        if (en->attack[i].resolved.tactic) ADD_TACTIC(en->attack[i].resolved.tactic);
    size_t tagged = *n;
    for (size_t i = 0; i < en->nattack; i++) {
        const socfeed_attack_technique *t = en->attack[i].resolved.technique;
        if (!t) continue;
        bool named = false;
        for (size_t k = 0; k < t->ntactics; k++)
            for (size_t j = 0; j < tagged; j++) named |= out[j] == t->tactics[k];
        if (!named)
            for (size_t k = 0; k < t->ntactics; k++) ADD_TACTIC(t->tactics[k]);
    }
#undef ADD_TACTIC
}

static void put_attr(strbuf *sb, const char *name, const char *value) {
    sb_printf(sb, " data-%s=\"", name);
    html_escape_cstr(sb, value ? value : "");
    sb_putc(sb, '"');
}

static void put_select(strbuf *sb, const char *id, const char *label, const char *attr, const value_set *s,
                       const socfeed_feed *f, bool techniques) {
    sb_printf(sb, "<label>%s <select id=\"%s\" data-attr=\"%s\"><option value=\"\">any</option>", label, id, attr);
    for (size_t i = 0; i < s->count; i++) {
        sb_puts(sb, "<option value=\"");
        html_escape_cstr(sb, s->items[i]);
        sb_puts(sb, "\">");
        html_escape_cstr(sb, s->items[i]);
        if (techniques) {
            const socfeed_attack_technique *t = socfeed_attack_technique_by_id(f->attack, s->items[i]);
            if (t) {
                sb_puts(sb, " ");
                html_escape_cstr(sb, t->name);
            }
        }
        sb_puts(sb, "</option>");
    }
    sb_puts(sb, "</select></label>\n");
}

static void put_card(strbuf *sb, const socfeed_feed *f, const feed_entry *e, value_set *sets) {
    const socfeed_rule *r = e->rule;
    const socfeed_enrichment *en = e->enrich;
    const socfeed_attack_tactic *tactics[32];
    size_t ntactics = 0;
    entry_tactics(e, tactics, &ntactics, 32);
    strbuf tok;
    sb_init(&tok);
    sb_puts(sb, "<li class=\"card\"");
    put_attr(sb, "level", *socfeed_level_name(r->level) ? socfeed_level_name(r->level) : "none");
    put_attr(sb, "status", *socfeed_status_name(r->status) ? socfeed_status_name(r->status) : "none");
    for (size_t i = 0; i < ntactics; i++) {
        if (i) sb_putc(&tok, ' ');
        sb_puts(&tok, tactics[i]->shortname);
        set_add(&sets[0], tactics[i]->shortname);
    }
    put_attr(sb, "tactics", tok.data);
    sb_reset(&tok);
    for (size_t i = 0; i < en->nattack; i++) {
        const socfeed_attack_technique *t = en->attack[i].resolved.technique;
        if (!t) continue;
        if (tok.len) sb_putc(&tok, ' ');
        sb_puts(&tok, t->id);
        set_add(&sets[1], t->id);
        if (t->parent_id) {
            sb_putc(&tok, ' ');
            sb_puts(&tok, t->parent_id);
            set_add(&sets[1], t->parent_id);
        }
    }
    put_attr(sb, "techniques", tok.data);
    sb_free(&tok);
    put_attr(sb, "product", r->logsource.product.s);
    put_attr(sb, "category", r->logsource.category.s);
    put_attr(sb, "service", r->logsource.service.s);
    set_add(&sets[2], r->logsource.product.s);
    set_add(&sets[3], r->logsource.category.s);
    set_add(&sets[4], r->logsource.service.s);
    put_attr(sb, "verified", feed_entry_verification(e));
    put_attr(sb, "converted", e->queries ? "yes" : "no");
    sb_puts(sb, ">\n<h2><a href=\"rules/");
    html_escape_cstr(sb, e->slug);
    sb_puts(sb, ".html\">");
    html_escape_cstr(sb, r->title.s ? r->title.s : e->slug);
    sb_puts(sb, "</a></h2>\n<p class=\"badges\">");
    page_badge_level(sb, r->level);
    if (r->status) sb_printf(sb, " <span class=\"badge status status-%s\">%s</span>", socfeed_status_name(r->status),
                             socfeed_status_name(r->status));
    sb_puts(sb, " <span class=\"badge source\">");
    html_escape_cstr(sb, e->source_name);
    sb_puts(sb, "</span> ");
    page_badge_verification(sb, e);
    sb_puts(sb, "</p>\n<p class=\"ids\">");
    for (size_t i = 0; i < en->nattack; i++) {
        const socfeed_attack_technique *t = en->attack[i].resolved.technique;
        if (t) sb_printf(sb, "<span class=\"tech\">%s</span> ", t->id);
    }
    for (size_t i = 0; i < e->ntargets; i++) {
        const socfeed_target_result *t = &e->targets[i];
        if (!t->query || !t->table) continue;
        bool dup = false;
        for (size_t k = 0; k < i; k++) dup |= e->targets[k].query && e->targets[k].table && !strcmp(e->targets[k].table, t->table);
        if (dup) continue;
        sb_puts(sb, "<code class=\"table\">");
        html_escape_cstr(sb, t->table);
        sb_puts(sb, "</code> ");
    }
    sb_puts(sb, "</p>\n<p class=\"meta\">");
    if (r->modified.s) {
        sb_puts(sb, "modified <time>");
        html_escape_cstr(sb, r->modified.s);
        sb_puts(sb, "</time> · ");
    }
    if (r->date.s) {
        sb_puts(sb, "date <time>");
        html_escape_cstr(sb, r->date.s);
        sb_puts(sb, "</time> · ");
    }
    if (r->kind == SOCFEED_DOC_CORRELATION && r->correlation) { /* no logsource of its own */
        sb_puts(sb, "correlation: ");
        sb_puts(sb, socfeed_correlation_type_name(r->correlation->type));
    } else {
        const char *ls[3] = {r->logsource.product.s, r->logsource.category.s, r->logsource.service.s};
        bool any = false;
        for (int i = 0; i < 3; i++)
            if (ls[i]) {
                if (any) sb_puts(sb, "/");
                html_escape_cstr(sb, ls[i]);
                any = true;
            }
        if (!any) sb_puts(sb, "no logsource");
    }
    sb_puts(sb, " · <span class=\"id\">");
    html_escape_cstr(sb, r->id.s ? r->id.s : e->slug);
    sb_puts(sb, "</span></p>\n</li>\n");
    (void)f;
}

void render_index(strbuf *sb, const socfeed_feed *f) {
    page_begin(sb, f, "Rules", "", "index");
    size_t converted = 0, verified = 0, failed = 0;
    for (size_t i = 0; i < f->count; i++) {
        converted += f->entries[i].queries > 0;
        verified += f->entries[i].verified > 0 && !f->entries[i].failed;
        failed += f->entries[i].failed > 0;
    }
    sb_puts(sb, "<h1>");
    html_escape_cstr(sb, f->opt.title);
    sb_printf(sb, "</h1>\n<p class=\"summary\">%zu rules · %zu converted to KQL · %zu verified · %zu with a query that failed "
                  "verification · MITRE ATT&amp;CK v%s · built <time>",
              f->count, converted, verified, failed, socfeed_attack_version(f->attack));
    html_escape_cstr(sb, f->now);
    sb_puts(sb, "</time></p>\n");
    /* Cards first into their own buffer: they also collect the filter values. */
    value_set sets[5] = {{0}};
    strbuf cards;
    sb_init(&cards);
    for (size_t i = 0; i < f->count; i++) put_card(&cards, f, &f->entries[i], sets);
    for (int i = 0; i < 5; i++) set_finish(&sets[i]);
    sb_puts(sb, "<form class=\"filters\" role=\"search\" aria-label=\"Filter rules\" id=\"filters\">\n"
                "<label class=\"search\">Search <input type=\"search\" id=\"q\" placeholder=\"title, id, technique, table…\" "
                "autocomplete=\"off\"></label>\n"
                "<label>Level <select id=\"f-level\" data-attr=\"level\"><option value=\"\">any</option>"
                "<option>critical</option><option>high</option><option>medium</option><option>low</option>"
                "<option>informational</option></select></label>\n"
                "<label>Status <select id=\"f-status\" data-attr=\"status\"><option value=\"\">any</option>"
                "<option>stable</option><option>test</option><option>experimental</option><option>deprecated</option>"
                "<option>unsupported</option></select></label>\n");
    /* Tactics in matrix order, with names. */
    sb_puts(sb, "<label>Tactic <select id=\"f-tactic\" data-attr=\"tactics\"><option value=\"\">any</option>");
    for (size_t i = 0; i < socfeed_attack_tactic_count(f->attack); i++) {
        const socfeed_attack_tactic *t = socfeed_attack_tactic_at(f->attack, i);
        sb_printf(sb, "<option value=\"%s\">", t->shortname);
        html_escape_cstr(sb, t->name);
        sb_puts(sb, "</option>");
    }
    sb_puts(sb, "</select></label>\n");
    put_select(sb, "f-technique", "Technique", "techniques", &sets[1], f, true);
    put_select(sb, "f-product", "Product", "product", &sets[2], f, false);
    put_select(sb, "f-category", "Category", "category", &sets[3], f, false);
    put_select(sb, "f-service", "Service", "service", &sets[4], f, false);
    sb_puts(sb, "<label>Verified <select id=\"f-verified\" data-attr=\"verified\"><option value=\"\">any</option>"
                "<option value=\"verified\">verified</option><option value=\"failed\">failed verification</option>"
                "<option value=\"unverified\">unverified</option><option value=\"none\">no query</option></select></label>\n"
                "<label>Converted <select id=\"f-converted\" data-attr=\"converted\"><option value=\"\">any</option>"
                "<option value=\"yes\">yes</option><option value=\"no\">no</option></select></label>\n"
                "<button type=\"reset\" id=\"reset\">Clear</button>\n</form>\n");
    sb_printf(sb, "<p id=\"count\" aria-live=\"polite\">%zu rules</p>\n<ol class=\"cards\" id=\"cards\">\n", f->count);
    sb_append(sb, cards.data ? cards.data : "", cards.len);
    sb_puts(sb, "</ol>\n<p id=\"nomatch\" hidden>No rule matches these filters.</p>\n");
    sb_free(&cards);
    for (int i = 0; i < 5; i++) free(sets[i].items);
    page_end(sb, f, "");
}
