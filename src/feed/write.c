/* write.c — socfeed_feed_write: orders the feed (newest first), indexes it for cross-links, counts
 * coverage, renders every page and export into a temporary directory and swaps it in. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed/feed_site.h"
#include "feed/site_dir.h"
#include "util/embedded.h"
#include "util/fnv.h"
#include "util/xalloc.h"

static int cmp_newest(const void *pa, const void *pb) {
    const feed_entry *a = pa, *b = pb;
    int c = strcmp(b->date, a->date);
    if (c) return c;
    c = strcmp(a->rule->title.s ? a->rule->title.s : "", b->rule->title.s ? b->rule->title.s : "");
    return c ? c : strcmp(a->slug, b->slug);
}

static const socfeed_feed *g_sort_feed; /* qsort has no context argument; write is not reentrant per feed */

static int cmp_by_id(const void *pa, const void *pb) {
    const feed_entry *a = &g_sort_feed->entries[*(const size_t *)pa], *b = &g_sort_feed->entries[*(const size_t *)pb];
    return strcasecmp(a->rule->id.s ? a->rule->id.s : "", b->rule->id.s ? b->rule->id.s : "");
}

static int cmp_by_tech(const void *pa, const void *pb) {
    const struct feed_tech_ref *a = pa, *b = pb;
    int c = strcmp(a->technique, b->technique);
    return c ? c : (a->entry > b->entry) - (a->entry < b->entry);
}

const feed_entry *feed_find_by_id(const socfeed_feed *f, const char *id) {
    size_t lo = 0, hi = f->by_id ? f->count : 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *mid_id = f->entries[f->by_id[mid]].rule->id.s;
        int c = strcasecmp(mid_id ? mid_id : "", id);
        if (!c) return &f->entries[f->by_id[mid]];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

static void build_indexes(socfeed_feed *f) {
    qsort(f->entries, f->count, sizeof *f->entries, cmp_newest);
    free(f->by_id);
    f->by_id = xcalloc(f->count + 1, sizeof *f->by_id);
    for (size_t i = 0; i < f->count; i++) f->by_id[i] = i;
    g_sort_feed = f;
    qsort(f->by_id, f->count, sizeof *f->by_id, cmp_by_id);
    size_t n = 0;
    for (size_t i = 0; i < f->count; i++) n += f->entries[i].enrich->nattack;
    free(f->by_tech);
    f->by_tech = xcalloc(n + 1, sizeof *f->by_tech);
    f->nby_tech = 0;
    for (size_t i = 0; i < f->count; i++) {
        const socfeed_enrichment *en = f->entries[i].enrich;
        for (size_t k = 0; k < en->nattack; k++)
            if (en->attack[k].resolved.technique)
                f->by_tech[f->nby_tech++] = (struct feed_tech_ref){en->attack[k].resolved.technique->id, i};
    }
    qsort(f->by_tech, f->nby_tech, sizeof *f->by_tech, cmp_by_tech);
}

static bool write_buf(site_dir *s, const char *rel, strbuf *sb) {
    bool ok = site_write(s, rel, sb->data ? sb->data : "", sb->len);
    sb_reset(sb);
    return ok;
}

static bool write_asset(site_dir *s, const char *name) {
    char *path = xasprintf("feed/%s", name), *rel = xasprintf("assets/%s", name);
    const socfeed_embedded_file *file = socfeed_embedded_get(path);
    bool ok = file && site_write(s, rel, file->data, file->len);
    free(path);
    free(rel);
    return ok;
}

enum { PAGE_THREADS = 2 };

typedef struct page_job {
    socfeed_feed *f;
    site_dir *s;
    size_t first, step;
    size_t written, reused;
} page_job;

/* Renders and writes the rule pages and Sentinel rules of entries first, first+step, … */
static void *page_worker(void *arg) {
    page_job *job = arg;
    socfeed_feed *f = job->f;
    strbuf sb;
    sb_init(&sb);
    for (size_t i = job->first; i < f->count; i += job->step) {
        feed_entry *e = &f->entries[i];
        render_rule(&sb, f, e);
        snprintf(e->page_hash, sizeof e->page_hash, "%016llx",
                 (unsigned long long)fnv1a(FNV1A_OFFSET, sb.data, sb.len));
        char *rel = xasprintf("rules/%s.html", e->slug);
        const feed_previous *p = feed_previous_find(f, e->slug);
        bool reused = false;
        if (p && !strcmp(p->page_hash, e->page_hash)) {
            char *old = xasprintf("%s/%s", f->opt.previous_dir, rel);
            reused = site_reuse(job->s, rel, old);
            free(old);
        }
        if (reused) {
            job->reused++;
            sb_reset(&sb);
        } else {
            write_buf(job->s, rel, &sb);
            job->written++;
        }
        free(rel);
        if (render_sentinel_yaml(&sb, f, e)) {
            rel = xasprintf("sentinel/%s.yaml", e->slug);
            write_buf(job->s, rel, &sb);
            free(rel);
        }
        sb_reset(&sb);
        if (render_sentinel_arm_rule(&sb, e)) {
            rel = xasprintf("sentinel/%s.json", e->slug);
            write_buf(job->s, rel, &sb);
            free(rel);
        }
    }
    sb_free(&sb);
    return NULL;
}

int socfeed_feed_write(socfeed_feed *f, const char *out_dir, socfeed_build_stats *stats, socfeed_diags *diags) {
    socfeed_build_stats local;
    socfeed_build_stats *st = stats ? stats : &local;
    memset(st, 0, sizeof *st);
    build_indexes(f);
    socfeed_coverage *cov = socfeed_coverage_new(f->attack);
    for (size_t i = 0; i < f->count; i++) {
        const feed_entry *e = &f->entries[i];
        socfeed_coverage_add(cov, e->rule, e->verified && !e->failed);
        st->queries += e->queries;
        st->verified += e->verified;
        st->failed_verdicts += e->failed;
        for (size_t k = 0; k < e->ntargets; k++) st->refused += !e->targets[k].query;
    }
    st->rules = f->count;

    site_dir s;
    if (!site_open(&s, out_dir, diags)) {
        socfeed_coverage_free(cov);
        return -1;
    }
    site_mkdir(&s, "rules");
    site_mkdir(&s, "assets");
    site_mkdir(&s, "sentinel");
    if (!write_asset(&s, "app.js") || !write_asset(&s, "style.css")) s.failed = true;

    /* Rule pages in parallel: creating thousands of files is dominated by the file system, and
     * two writers keep it busy. Each thread renders into its own buffer; entries are disjoint. */
    page_job jobs[PAGE_THREADS];
    pthread_t tids[PAGE_THREADS];
    bool started[PAGE_THREADS] = {false};
    for (size_t t = 0; t < PAGE_THREADS; t++) {
        jobs[t] = (page_job){f, &s, t, PAGE_THREADS, 0, 0};
        started[t] = t > 0 && !pthread_create(&tids[t], NULL, page_worker, &jobs[t]);
    }
    page_worker(&jobs[0]);
    for (size_t t = 1; t < PAGE_THREADS; t++) {
        if (started[t]) pthread_join(tids[t], NULL);
        else page_worker(&jobs[t]); /* no thread: do its share here */
    }
    for (size_t t = 0; t < PAGE_THREADS; t++) {
        st->pages_written += jobs[t].written;
        st->pages_reused += jobs[t].reused;
    }
    strbuf sb;
    sb_init(&sb);
    render_index(&sb, f);
    write_buf(&s, "index.html", &sb);
    render_coverage(&sb, f, cov);
    write_buf(&s, "coverage.html", &sb);
    render_coverage_data(&sb, f, cov);
    write_buf(&s, "coverage-data.js", &sb);
    render_atom(&sb, f);
    write_buf(&s, "feed.xml", &sb);
    render_index_json(&sb, f);
    write_buf(&s, "index.json", &sb);
    render_changelog(&sb, f, st);
    write_buf(&s, "changelog.json", &sb);
    render_navigator(&sb, f, cov);
    write_buf(&s, "navigator-layer.json", &sb);
    render_sentinel_arm(&sb, f);
    write_buf(&s, "sentinel/azuredeploy.json", &sb);
    render_manifest(&sb, f);
    write_buf(&s, SITE_MARKER, &sb); /* last: a directory with the marker is a complete site */
    sb_free(&sb);
    socfeed_coverage_free(cov);
    return site_close(&s) ? 0 : -1;
}
