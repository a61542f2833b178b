/* export_json.c — index.json (every rule's metadata, enrichment and queries), changelog.json
 * (against the previous build) and the site manifest (.socfeed-site) that makes the next build's
 * changelog possible. */
#include <stdlib.h>
#include <string.h>

#include "feed/feed_site.h"
#include "socfeed/version.h"
#include "util/json_write.h"
#include "util/xalloc.h"

static void key(strbuf *sb, const char *k, bool *first) {
    if (!*first) sb_putc(sb, ',');
    *first = false;
    json_write_cstr(sb, k);
    sb_putc(sb, ':');
}

static void text_list(strbuf *sb, const socfeed_text_list *l) {
    sb_putc(sb, '[');
    for (size_t i = 0; i < l->count; i++) {
        if (i) sb_putc(sb, ',');
        json_write_cstr(sb, l->items[i].s);
    }
    sb_putc(sb, ']');
}

static void entry_json(strbuf *sb, const socfeed_feed *f, const feed_entry *e) {
    const socfeed_rule *r = e->rule;
    const socfeed_enrichment *en = e->enrich;
    bool first = true;
    sb_putc(sb, '{');
    key(sb, "id", &first), json_write_cstr(sb, r->id.s);
    key(sb, "slug", &first), json_write_cstr(sb, e->slug);
    key(sb, "page", &first), sb_printf(sb, "\"rules/%s.html\"", e->slug); /* slug is [A-Za-z0-9._-] */
    key(sb, "kind", &first), json_write_cstr(sb, r->kind == SOCFEED_DOC_CORRELATION ? "correlation" : "rule");
    key(sb, "title", &first), json_write_cstr(sb, r->title.s);
    key(sb, "name", &first), json_write_cstr(sb, r->name.s);
    key(sb, "status", &first), json_write_cstr(sb, *socfeed_status_name(r->status) ? socfeed_status_name(r->status) : NULL);
    key(sb, "level", &first), json_write_cstr(sb, *socfeed_level_name(r->level) ? socfeed_level_name(r->level) : NULL);
    key(sb, "description", &first), json_write_cstr(sb, r->description.s);
    key(sb, "author", &first), json_write_cstr(sb, r->author.s);
    key(sb, "date", &first), json_write_cstr(sb, r->date.s);
    key(sb, "modified", &first), json_write_cstr(sb, r->modified.s);
    key(sb, "license", &first), json_write_cstr(sb, r->license.s);
    key(sb, "logsource", &first);
    sb_puts(sb, "{\"product\":"), json_write_cstr(sb, r->logsource.product.s);
    sb_puts(sb, ",\"category\":"), json_write_cstr(sb, r->logsource.category.s);
    sb_puts(sb, ",\"service\":"), json_write_cstr(sb, r->logsource.service.s);
    sb_putc(sb, '}');
    key(sb, "tags", &first), text_list(sb, &r->tags);
    key(sb, "techniques", &first);
    sb_putc(sb, '[');
    bool tf = true;
    for (size_t i = 0; i < en->nattack; i++) {
        const socfeed_attack_technique *t = en->attack[i].resolved.technique;
        if (!t) continue;
        if (!tf) sb_putc(sb, ',');
        tf = false;
        sb_puts(sb, "{\"id\":"), json_write_cstr(sb, t->id);
        sb_puts(sb, ",\"name\":"), json_write_cstr(sb, t->name);
        sb_putc(sb, '}');
    }
    sb_putc(sb, ']');
    key(sb, "falsepositives", &first), text_list(sb, &r->falsepositives);
    key(sb, "references", &first), text_list(sb, &r->references);
    key(sb, "source", &first);
    sb_puts(sb, "{\"name\":"), json_write_cstr(sb, e->source_name);
    sb_puts(sb, ",\"path\":"), json_write_cstr(sb, e->source_path);
    sb_puts(sb, ",\"url\":"), json_write_cstr(sb, e->source_url);
    sb_puts(sb, ",\"file\":"), json_write_cstr(sb, r->file);
    sb_putc(sb, '}');
    key(sb, "retrieved", &first), json_write_cstr(sb, e->retrieved);
    key(sb, "hash", &first), json_write_cstr(sb, e->hash);
    key(sb, "verification", &first), json_write_cstr(sb, feed_entry_verification(e));
    key(sb, "targets", &first);
    sb_putc(sb, '[');
    for (size_t i = 0; i < e->ntargets; i++) {
        const socfeed_target_result *t = &e->targets[i];
        if (i) sb_putc(sb, ',');
        sb_puts(sb, "{\"target\":"), json_write_cstr(sb, t->target);
        sb_puts(sb, ",\"table\":"), json_write_cstr(sb, t->table);
        sb_puts(sb, ",\"query\":"), json_write_cstr(sb, t->query);
        sb_puts(sb, ",\"refusal\":"), json_write_cstr(sb, t->query ? NULL : t->reason);
        sb_puts(sb, ",\"verdict\":"), json_write_cstr(sb, t->query ? socfeed_verdict_name(t->verdict) : NULL);
        sb_printf(sb, ",\"deployable\":%s", t->query && !socfeed_verdict_is_failure(t->verdict) ? "true" : "false");
        sb_puts(sb, ",\"verdict_detail\":"), json_write_cstr(sb, t->verdict_detail);
        sb_putc(sb, '}');
    }
    sb_putc(sb, ']');
    key(sb, "regression_tests", &first);
    sb_printf(sb, "{\"state\":\"%s\",\"detail\":",
              e->tests.state == SOCFEED_TESTS_PASSED ? "passed" : e->tests.state == SOCFEED_TESTS_FAILED ? "failed" : "none");
    json_write_cstr(sb, e->tests.detail);
    sb_putc(sb, '}');
    key(sb, "enrichment", &first);
    sb_puts(sb, "{\"hunt_hypothesis\":"), json_write_cstr(sb, en->hunt_hypothesis);
    sb_puts(sb, ",\"false_positive_guidance\":"), json_write_cstr(sb, en->false_positive_guidance);
    sb_puts(sb, ",\"detection_summary\":"), json_write_cstr(sb, en->detection_summary);
    sb_puts(sb, ",\"confidence\":"), json_write_cstr(sb, socfeed_confidence_name(en->confidence));
    sb_printf(sb, ",\"score\":%d,\"confidence_inputs\":[", en->score);
    for (size_t i = 0; i < SOCFEED_CONFIDENCE_FACTORS; i++) {
        if (i) sb_putc(sb, ',');
        sb_puts(sb, "{\"input\":"), json_write_cstr(sb, en->factors[i].input);
        sb_puts(sb, ",\"value\":"), json_write_cstr(sb, en->factors[i].value);
        sb_printf(sb, ",\"points\":%d}", en->factors[i].points);
    }
    sb_puts(sb, "],\"confidence_cap\":"), json_write_cstr(sb, en->confidence_cap);
    sb_puts(sb, "}}");
    (void)f;
}

void render_index_json(strbuf *sb, const socfeed_feed *f) {
    sb_puts(sb, "{\"generator\":\"socfeed " SOCFEED_VERSION "\",\"title\":");
    json_write_cstr(sb, f->opt.title);
    sb_puts(sb, ",\"built\":");
    json_write_cstr(sb, f->now);
    sb_puts(sb, ",\"attack_version\":");
    json_write_cstr(sb, socfeed_attack_version(f->attack));
    sb_printf(sb, ",\"count\":%zu,\"rules\":[\n", f->count);
    for (size_t i = 0; i < f->count; i++) {
        if (i) sb_puts(sb, ",\n");
        entry_json(sb, f, &f->entries[i]);
    }
    sb_puts(sb, "\n]}\n");
}

/* Slugs come from rule ids through html_slug ([A-Za-z0-9._-]), so they never hold a tab or newline. */
void render_manifest(strbuf *sb, const socfeed_feed *f) {
    sb_puts(sb, "socfeed-site 1\n");
    for (size_t i = 0; i < f->count; i++)
        sb_printf(sb, "%s\t%s\t%s\t%s\n", f->entries[i].slug, f->entries[i].hash, f->entries[i].retrieved,
                  f->entries[i].page_hash);
}

static int cmp_slug(const void *a, const void *b) {
    return strcmp((*(const feed_entry *const *)a)->slug, (*(const feed_entry *const *)b)->slug);
}

void render_changelog(strbuf *sb, const socfeed_feed *f, socfeed_build_stats *st) {
    sb_puts(sb, "{\"built\":");
    json_write_cstr(sb, f->now);
    sb_puts(sb, ",\"previous\":");
    json_write_cstr(sb, f->have_previous ? f->opt.previous_dir : NULL);
    if (!f->have_previous) {
        /* No previous build: everything is new, said explicitly rather than by omission. */
        sb_puts(sb, ",\"note\":\"no previous build given (--previous): every rule counts as added\"");
    }
    const feed_entry **sorted = xcalloc(f->count + 1, sizeof *sorted);
    for (size_t i = 0; i < f->count; i++) sorted[i] = &f->entries[i];
    qsort(sorted, f->count, sizeof *sorted, cmp_slug);
    const char *names[2] = {"added", "changed"};
    for (int pass = 0; pass < 2; pass++) {
        sb_printf(sb, ",\"%s\":[", names[pass]);
        bool first = true;
        for (size_t i = 0; i < f->count; i++) {
            const feed_previous *p = feed_previous_find(f, sorted[i]->slug);
            bool hit = pass == 0 ? !p : p && strcmp(p->hash, sorted[i]->hash);
            if (!hit) continue;
            if (!first) sb_putc(sb, ',');
            first = false;
            json_write_cstr(sb, sorted[i]->rule->id.s ? sorted[i]->rule->id.s : sorted[i]->slug);
            if (pass == 0) st->added++;
            else st->changed++;
        }
        sb_putc(sb, ']');
    }
    sb_puts(sb, ",\"removed\":[");
    bool first = true;
    for (size_t i = 0; i < f->nprevious; i++) {
        const feed_entry key_entry = {.slug = f->previous[i].slug};
        const feed_entry *kp = &key_entry;
        if (f->count && bsearch(&kp, sorted, f->count, sizeof *sorted, cmp_slug)) continue;
        if (!first) sb_putc(sb, ',');
        first = false;
        json_write_cstr(sb, f->previous[i].slug);
        st->removed++;
    }
    sb_puts(sb, "]}\n");
    free(sorted);
}
