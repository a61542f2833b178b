/* feed.c — the feed's entries: adding rules with their inputs, unique page names, where each rule
 * came from (source link), change hashes, and the previous build's manifest. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "feed/feed_site.h"
#include "feed/html.h"
#include "feed/site_dir.h"
#include "util/fnv.h"
#include "util/xalloc.h"

static const char *adup(socfeed_feed *f, const char *s) { return s ? arena_strdup(&f->mem, s) : NULL; }

/* ---- previous build ------------------------------------------------------------------------- */

static int cmp_previous(const void *a, const void *b) {
    return strcmp(((const feed_previous *)a)->slug, ((const feed_previous *)b)->slug);
}

/* The manifest is ours (render_manifest): "socfeed-site 1" then slug TAB hash TAB retrieved lines.
 * Anything else in it is skipped, so a damaged manifest only costs reuse, never correctness. */
static void load_previous(socfeed_feed *f, const char *dir) {
    char *path = xasprintf("%s/%s", dir, SITE_MARKER);
    size_t len = 0;
    char *text = site_read_file(path, &len);
    free(path);
    if (!text) return;
    f->have_previous = !strncmp(text, "socfeed-site 1\n", 15);
    size_t cap = 0;
    for (char *line = text, *next; f->have_previous && line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL, *t3 = t2 ? strchr(t2 + 1, '\t') : NULL;
        if (!t3) continue;
        *t1 = *t2 = *t3 = 0;
        if (f->nprevious == cap) f->previous = xrealloc(f->previous, (cap = cap ? cap * 2 : 256) * sizeof *f->previous);
        f->previous[f->nprevious++] = (feed_previous){xstrdup(line), xstrdup(t1 + 1), xstrdup(t2 + 1), xstrdup(t3 + 1)};
    }
    free(text);
    if (f->nprevious) qsort(f->previous, f->nprevious, sizeof *f->previous, cmp_previous);
}

const feed_previous *feed_previous_find(const socfeed_feed *f, const char *slug) {
    if (!f->nprevious) return NULL;
    feed_previous key = {(char *)slug, NULL, NULL, NULL};
    return bsearch(&key, f->previous, f->nprevious, sizeof *f->previous, cmp_previous);
}

/* ---- lifecycle ------------------------------------------------------------------------------ */

socfeed_feed *socfeed_feed_new(const socfeed_attack *attack, const socfeed_feed_options *opt) {
    socfeed_feed *f = xcalloc(1, sizeof *f);
    f->attack = attack;
    arena_init(&f->mem);
    if (opt) f->opt = *opt;
    f->opt.title = adup(f, f->opt.title && *f->opt.title ? f->opt.title : "SOC feed");
    f->opt.source_url = adup(f, f->opt.source_url);
    f->opt.previous_dir = adup(f, f->opt.previous_dir);
    f->opt.site_url = adup(f, f->opt.site_url);
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    f->now = adup(f, f->opt.retrieved && *f->opt.retrieved ? f->opt.retrieved : now);
    f->opt.retrieved = f->now;
    if (f->opt.previous_dir) load_previous(f, f->opt.previous_dir);
    return f;
}

void socfeed_feed_free(socfeed_feed *f) {
    if (!f) return;
    for (size_t i = 0; i < f->count; i++) socfeed_enrichment_free(f->entries[i].enrich);
    free(f->entries);
    for (size_t i = 0; i < f->nprevious; i++) {
        free(f->previous[i].slug);
        free(f->previous[i].hash);
        free(f->previous[i].retrieved);
        free(f->previous[i].page_hash);
    }
    free(f->previous);
    free(f->slugs);
    free(f->by_id);
    free(f->by_tech);
    arena_free(&f->mem);
    free(f);
}

size_t socfeed_feed_count(const socfeed_feed *f) { return f->count; }

/* ---- unique slugs --------------------------------------------------------------------------- */

static uint64_t fnv_str(uint64_t h, const char *s) { return fnv1a(fnv1a(h, s ? s : "", s ? strlen(s) : 0), "\0", 1); }

static bool slug_insert(socfeed_feed *f, const char *slug) {
    if ((f->slug_count + 1) * 2 > f->slug_cap) {
        size_t cap = f->slug_cap ? f->slug_cap * 2 : 1024;
        char **old = f->slugs;
        size_t oldcap = f->slug_cap;
        f->slugs = xcalloc(cap, sizeof *f->slugs);
        f->slug_cap = cap;
        for (size_t i = 0; i < oldcap; i++)
            if (old[i]) {
                size_t j = fnv_str(FNV1A_OFFSET, old[i]) & (cap - 1);
                while (f->slugs[j]) j = (j + 1) & (cap - 1);
                f->slugs[j] = old[i];
            }
        free(old);
    }
    size_t j = fnv_str(FNV1A_OFFSET, slug) & (f->slug_cap - 1);
    for (; f->slugs[j]; j = (j + 1) & (f->slug_cap - 1))
        if (!strcasecmp(f->slugs[j], slug)) return false; /* case-insensitive: pages on macOS/Windows disks */
    f->slugs[j] = (char *)slug;
    f->slug_count++;
    return true;
}

static const char *unique_slug(socfeed_feed *f, const socfeed_rule *r) {
    strbuf sb;
    sb_init(&sb);
    if (r->id.s && *r->id.s) {
        html_slug(&sb, r->id.s);
    } else {
        const char *base = strrchr(r->file, '/');
        html_slug(&sb, base ? base + 1 : r->file);
    }
    size_t base_len = sb.len;
    for (unsigned n = 2; !slug_insert(f, arena_strdup(&f->mem, sb.data)); n++) {
        sb.len = base_len;
        sb_printf(&sb, "-%u", n);
    }
    char *out = arena_strdup(&f->mem, sb.data);
    sb_free(&sb);
    return out;
}

/* ---- provenance ----------------------------------------------------------------------------- */

/* The SigmaHQ path a file states about itself in its leading comments ("# rules/windows/….yml"
 * next to a line naming SigmaHQ): how copied rules such as examples/rules/sigmahq keep their link. */
static char *header_sigmahq_path(const char *file) {
    FILE *fp = fopen(file, "rb");
    if (!fp) return NULL;
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = 0;
    bool names_sigmahq = false;
    char *path = NULL;
    for (char *line = buf, *next; line && *line == '#'; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        if (strstr(line, "SigmaHQ")) names_sigmahq = true;
        char *p = line + 1;
        while (*p == ' ') p++;
        size_t len = strcspn(p, " \t\r");
        if (!path && !strncmp(p, "rules", 5) && len > 9 && !strncmp(p + len - 4, ".yml", 4)) path = xstrndup(p, len);
    }
    if (!names_sigmahq) {
        free(path);
        return NULL;
    }
    return path;
}

/* "…/sigma/rules/windows/x.yml" → "rules/windows/x.yml": a rules* folder inside a sigma* checkout. */
static const char *checkout_sigmahq_path(const char *file) {
    const char *found = NULL;
    for (const char *p = file; (p = strstr(p, "rules")); p++) {
        bool at_component = p == file || p[-1] == '/';
        const char *end = strchr(p, '/');
        if (!at_component || !end) continue;
        bool rules_dir = end == p + 5 || p[5] == '-';
        if (!rules_dir) continue;
        /* parent folder name starts with "sigma" */
        const char *parent_end = p - 1, *parent = parent_end;
        while (parent > file && parent[-1] != '/') parent--;
        if (parent_end - parent >= 5 && !strncasecmp(parent, "sigma", 5)) found = p;
    }
    return found;
}

static void put_url_path(strbuf *sb, const char *s) {
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || strchr("/-._~", c)) sb_putc(sb, (char)c);
        else sb_printf(sb, "%%%02X", c);
    }
}

static void derive_source(socfeed_feed *f, feed_entry *e) {
    const socfeed_rule *r = e->rule;
    /* The checkout layout first: it needs no file read, and covers a whole SigmaHQ corpus. */
    const char *checkout = checkout_sigmahq_path(r->file);
    char *header = !checkout && r->doc_index == 0 ? header_sigmahq_path(r->file) : NULL;
    const char *path = checkout ? checkout : header ? header : r->file;
    bool sigmahq = header || checkout;
    e->source_name = sigmahq ? "SigmaHQ" : "local";
    e->source_path = adup(f, path);
    const char *tmpl = f->opt.source_url;
    if (!tmpl && sigmahq) tmpl = "https://github.com/SigmaHQ/sigma/blob/master/{path}";
    if (tmpl) {
        strbuf sb;
        sb_init(&sb);
        for (const char *p = tmpl; *p; p++) {
            if (!strncmp(p, "{path}", 6)) put_url_path(&sb, path), p += 5;
            else if (!strncmp(p, "{id}", 4)) put_url_path(&sb, r->id.s ? r->id.s : ""), p += 3;
            else if (!strncmp(p, "{file}", 6)) {
                const char *base = strrchr(path, '/');
                put_url_path(&sb, base ? base + 1 : path);
                p += 5;
            } else sb_putc(&sb, *p);
        }
        e->source_url = html_url_is_safe(sb.data) ? adup(f, sb.data) : NULL;
        sb_free(&sb);
    }
    free(header);
}

/* ---- adding --------------------------------------------------------------------------------- */

static const char *entry_hash(socfeed_feed *f, const feed_entry *e) {
    uint64_t h = FNV1A_OFFSET;
    h = fnv1a(h, e->rule->source, e->rule->source_len);
    h = fnv_str(h, e->source_url);
    for (size_t i = 0; i < e->ntargets; i++) {
        const socfeed_target_result *t = &e->targets[i];
        h = fnv_str(h, t->target);
        h = fnv_str(h, t->table);
        h = fnv_str(h, t->query);
        h = fnv_str(h, t->reason);
        h = fnv_str(h, t->verdict_detail);
        h = fnv1a(h, &t->verdict, sizeof t->verdict);
    }
    h = fnv1a(h, &e->tests.state, sizeof e->tests.state);
    h = fnv_str(h, e->tests.detail);
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)h);
    return adup(f, hex);
}

int socfeed_feed_add(socfeed_feed *f, const socfeed_feed_input *in) {
    const socfeed_rule *r = in->rule;
    if (!r || !r->valid || (r->kind != SOCFEED_DOC_RULE && r->kind != SOCFEED_DOC_CORRELATION)) return -1;
    if (f->count == f->cap) f->entries = xrealloc(f->entries, (f->cap = f->cap ? f->cap * 2 : 256) * sizeof *f->entries);
    feed_entry *e = &f->entries[f->count++];
    memset(e, 0, sizeof *e);
    e->rule = r;
    e->ntargets = in->ntargets;
    e->targets = arena_alloc(&f->mem, (in->ntargets + 1) * sizeof *e->targets);
    for (size_t i = 0; i < in->ntargets; i++) {
        const socfeed_target_result *t = &in->targets[i];
        socfeed_kql_entity *entities = arena_alloc(&f->mem, (t->nentities + 1) * sizeof *entities);
        for (size_t k = 0; k < t->nentities; k++)
            entities[k] = (socfeed_kql_entity){adup(f, t->entities[k].type), adup(f, t->entities[k].identifier),
                                               adup(f, t->entities[k].column)};
        e->targets[i] = (socfeed_target_result){.target = adup(f, t->target ? t->target : "?"),
                                                .table = adup(f, t->table),
                                                .query = adup(f, t->query),
                                                .reason = adup(f, t->reason),
                                                .verdict = t->verdict,
                                                .verdict_detail = adup(f, t->verdict_detail),
                                                .entities = entities,
                                                .nentities = t->nentities};
        e->queries += t->query != NULL;
        e->verified += t->query && t->verdict == SOCFEED_VERDICT_VERIFIED;
        e->failed += t->query && socfeed_verdict_is_failure(t->verdict);
    }
    e->tests = (socfeed_regression_result){in->tests.state, adup(f, in->tests.detail)};
    socfeed_feed_input copy = {r, e->targets, e->ntargets, e->tests};
    e->enrich = socfeed_enrich(&copy, f->attack);
    e->slug = unique_slug(f, r);
    e->date = feed_rule_date(r);
    derive_source(f, e);
    e->hash = entry_hash(f, e);
    const feed_previous *prev = feed_previous_find(f, e->slug);
    /* An unchanged rule keeps the time it was first retrieved in this form. */
    e->retrieved = prev && !strcmp(prev->hash, e->hash) ? adup(f, prev->retrieved) : f->now;
    return 0;
}

const char *feed_entry_verification(const feed_entry *e) {
    if (e->failed) return "failed";
    if (e->verified) return "verified";
    if (e->queries) return "unverified";
    return "none";
}
