/* feed_site.h — the feed's state and its renderers (one file per page or export). Internal. */
#ifndef SOCFEED_FEED_SITE_H
#define SOCFEED_FEED_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "feed/feed_internal.h"
#include "util/arena.h"
#include "util/strbuf.h"

typedef struct feed_entry {
    const socfeed_rule *rule;
    socfeed_target_result *targets; /* strings live in the feed's arena */
    size_t ntargets;
    socfeed_regression_result tests;
    socfeed_enrichment *enrich;
    const char *slug;        /* unique; the page is rules/<slug>.html */
    const char *source_name; /* "SigmaHQ", or "local" */
    const char *source_path; /* path inside the source repository, or as loaded */
    const char *source_url;  /* NULL when there is no link to give */
    const char *hash;        /* 16 hex digits over everything the page shows but the time */
    const char *retrieved;
    const char *date;        /* newest of modified/date, "" when none */
    size_t queries, verified, failed;
    char page_hash[17];      /* of the rendered page, to reuse an identical page of the previous build */
} feed_entry;

typedef struct feed_previous {
    char *slug, *hash, *retrieved, *page_hash;
} feed_previous;

struct socfeed_feed {
    const socfeed_attack *attack;
    socfeed_feed_options opt; /* strings copied into the arena */
    const char *now;          /* build time, RFC 3339 */
    arena mem;
    feed_entry *entries;
    size_t count, cap;
    feed_previous *previous;  /* from opt.previous_dir's manifest, sorted by slug */
    size_t nprevious;
    bool have_previous;
    char **slugs;             /* open-addressing set for unique slugs */
    size_t slug_cap, slug_count;
    /* Built by socfeed_feed_write for cross-links: entries by rule id and by technique. */
    size_t *by_id;
    struct feed_tech_ref { const char *technique; size_t entry; } *by_tech;
    size_t nby_tech;
};

/* The entry of a rule id, or NULL (valid once socfeed_feed_write has indexed the feed). */
const feed_entry *feed_find_by_id(const socfeed_feed *f, const char *id);

/* The previous build's entry for a slug, or NULL. */
const feed_previous *feed_previous_find(const socfeed_feed *f, const char *slug);

/* Page frame: doctype, CSP, stylesheet and app.js, top navigation. `root` is "" or "../". */
void page_begin(strbuf *sb, const socfeed_feed *f, const char *title, const char *root, const char *kind);
void page_end(strbuf *sb, const socfeed_feed *f, const char *root);
/* Level / status / verification badges. */
void page_badge_level(strbuf *sb, socfeed_level l);
void page_badge_verification(strbuf *sb, const feed_entry *e);
/* "verified", "failed", "unverified", "none" for filters. */
const char *feed_entry_verification(const feed_entry *e);

void render_index(strbuf *sb, const socfeed_feed *f);
void render_rule(strbuf *sb, const socfeed_feed *f, const feed_entry *e);
void render_coverage(strbuf *sb, const socfeed_feed *f, const socfeed_coverage *c);
/* coverage-data.js: per rule its product, level, verified flag, cells and tactics, for the filters. */
void render_coverage_data(strbuf *sb, const socfeed_feed *f, socfeed_coverage *c);
void render_index_json(strbuf *sb, const socfeed_feed *f);
void render_atom(strbuf *sb, const socfeed_feed *f);
void render_navigator(strbuf *sb, const socfeed_feed *f, const socfeed_coverage *c);
/* changelog.json against the previous manifest; fills added/changed/removed. */
void render_changelog(strbuf *sb, const socfeed_feed *f, socfeed_build_stats *st);
void render_manifest(strbuf *sb, const socfeed_feed *f);
/* The query Sentinel should run for an entry: sentinel-asim, else azure-monitor, else defender-xdr,
 * never one that failed verification or could not be verified for an error; NULL when none. */
const socfeed_target_result *feed_sentinel_target(const feed_entry *e);
const char *feed_sentinel_severity(socfeed_level l); /* "High", "Medium", … */
/* The ARM template (sentinel/azuredeploy.json) with one Scheduled analytic rule per entry that has
 * a Sentinel query; enabled only when that query is verified. */
void render_sentinel_arm(strbuf *sb, const socfeed_feed *f);
/* One rule's template (sentinel/<slug>.json); false when the rule has no Sentinel query. */
bool render_sentinel_arm_rule(strbuf *sb, const feed_entry *e);
/* Sentinel analytic rule YAML for an entry with a publishable sentinel-asim query; false if none. */
bool render_sentinel_yaml(strbuf *sb, const socfeed_feed *f, const feed_entry *e);

#endif
