/* coverage.c — rule counts per ATT&CK matrix cell (see socfeed_coverage in feed.h for the rules of
 * placement). Cells are a dense tactics × techniques array: 15 × 697 counters is small, and the
 * matrix page reads every cell. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed/feed_internal.h"
#include "util/xalloc.h"

struct socfeed_coverage {
    const socfeed_attack *attack;
    size_t ntactics, ntechniques;
    socfeed_coverage_count *cells;   /* [tactic * ntechniques + technique] */
    socfeed_coverage_count *tactics; /* [tactic] */
    size_t mapped;
    socfeed_coverage_unplaced *unplaced;
    size_t nunplaced, capunplaced;
    unsigned char *seen; /* per-rule scratch: cells already counted for this rule */
};

socfeed_coverage *socfeed_coverage_new(const socfeed_attack *attack) {
    socfeed_coverage *c = xcalloc(1, sizeof *c);
    c->attack = attack;
    c->ntactics = socfeed_attack_tactic_count(attack);
    c->ntechniques = socfeed_attack_technique_count(attack);
    c->cells = xcalloc(c->ntactics * c->ntechniques + 1, sizeof *c->cells);
    c->tactics = xcalloc(c->ntactics + 1, sizeof *c->tactics);
    c->seen = xcalloc(c->ntactics * c->ntechniques + 1, 1);
    return c;
}

void socfeed_coverage_free(socfeed_coverage *c) {
    if (!c) return;
    free(c->cells);
    free(c->tactics);
    free(c->unplaced);
    free(c->seen);
    free(c);
}

/* Index of a technique in socfeed_attack_technique_at order (sorted by id). */
static size_t technique_index(const socfeed_coverage *c, const socfeed_attack_technique *t) {
    size_t lo = 0, hi = c->ntechniques;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const socfeed_attack_technique *m = socfeed_attack_technique_at(c->attack, mid);
        int cmp = strcasecmp(m->id, t->id);
        if (!cmp) return mid;
        if (cmp < 0) lo = mid + 1;
        else hi = mid;
    }
    return (size_t)-1;
}

typedef struct placement {
    size_t *cells; /* cell indexes reached by this rule, each once */
    size_t n;
    bool tactic_hit[64];
} placement;

static void reach_cell(socfeed_coverage *c, placement *p, size_t tactic, size_t tech) {
    if (tech == (size_t)-1) return;
    size_t cell = tactic * c->ntechniques + tech;
    p->tactic_hit[tactic] = true;
    if (c->seen[cell]) return;
    c->seen[cell] = 1;
    p->cells[p->n++] = cell;
}

static bool rule_tags_tactic(const socfeed_attack_tag *tags, size_t n, const socfeed_attack_tactic *t) {
    for (size_t i = 0; i < n; i++)
        if (tags[i].tactic == t) return true;
    return false;
}

static void add_unplaced(socfeed_coverage *c, const socfeed_rule *rule, const char *tag, socfeed_attack_tag res) {
    if (c->nunplaced == c->capunplaced) {
        c->capunplaced = c->capunplaced ? c->capunplaced * 2 : 16;
        c->unplaced = xrealloc(c->unplaced, c->capunplaced * sizeof *c->unplaced);
    }
    c->unplaced[c->nunplaced++] = (socfeed_coverage_unplaced){rule, tag, res};
}

/* The cells and tactic columns a rule reaches (placement rules in feed.h). p->cells is allocated
 * here; `seen` is cleared again before returning. Records unplaced tags when `record` is set. */
static void place(socfeed_coverage *c, const socfeed_rule *rule, placement *p, bool record) {
    size_t ntags = rule->tags.count;
    socfeed_attack_tag *tags = xcalloc(ntags + 1, sizeof *tags);
    for (size_t i = 0; i < ntags; i++) {
        const char *tag = rule->tags.items[i].s;
        if (!tag || strncasecmp(tag, "attack.", 7)) continue;
        tags[i] = socfeed_attack_resolve_tag(c->attack, tag);
        if (record && (tags[i].kind == SOCFEED_TAG_REVOKED || tags[i].kind == SOCFEED_TAG_UNKNOWN))
            add_unplaced(c, rule, tag, tags[i]);
    }
    /* Each tag reaches at most (its tactics) × 2 cells (itself and its parent). */
    memset(p, 0, sizeof *p);
    p->cells = xcalloc(ntags * 2 * (c->ntactics + 1) + 1, sizeof(size_t));
    for (size_t i = 0; i < ntags; i++) {
        const socfeed_attack_technique *t = tags[i].technique;
        if (tags[i].kind != SOCFEED_TAG_TECHNIQUE || !t) continue;
        bool any_tagged = false;
        for (size_t k = 0; k < t->ntactics; k++) any_tagged |= rule_tags_tactic(tags, ntags, t->tactics[k]);
        const socfeed_attack_technique *parent = t->parent_id ? socfeed_attack_technique_by_id(c->attack, t->parent_id) : NULL;
        for (size_t k = 0; k < t->ntactics; k++) {
            if (any_tagged && !rule_tags_tactic(tags, ntags, t->tactics[k])) continue;
            size_t col = t->tactics[k]->order - 1;
            if (col >= c->ntactics || col >= 64) continue;
            reach_cell(c, p, col, technique_index(c, t));
            if (parent) reach_cell(c, p, col, technique_index(c, parent));
        }
    }
    for (size_t i = 0; i < ntags; i++)
        if (tags[i].tactic && tags[i].tactic->order >= 1 && tags[i].tactic->order - 1 < c->ntactics &&
            tags[i].tactic->order <= 64)
            p->tactic_hit[tags[i].tactic->order - 1] = true;
    for (size_t i = 0; i < p->n; i++) c->seen[p->cells[i]] = 0;
    free(tags);
}

void socfeed_coverage_add(socfeed_coverage *c, const socfeed_rule *rule, bool verified) {
    placement p;
    place(c, rule, &p, true);
    for (size_t i = 0; i < p.n; i++) {
        c->cells[p.cells[i]].rules++;
        c->cells[p.cells[i]].verified += verified;
    }
    if (p.n) c->mapped++;
    for (size_t k = 0; k < c->ntactics && k < 64; k++)
        if (p.tactic_hit[k]) {
            c->tactics[k].rules++;
            c->tactics[k].verified += verified;
        }
    free(p.cells);
}

void feed_coverage_describe(socfeed_coverage *c, const socfeed_rule *rule, strbuf *cells, strbuf *tactics) {
    placement p;
    place(c, rule, &p, false);
    for (size_t i = 0; i < p.n; i++)
        sb_printf(cells, "%s%zu:%zu", i ? " " : "", p.cells[i] / c->ntechniques, p.cells[i] % c->ntechniques);
    bool first = true;
    for (size_t k = 0; k < c->ntactics && k < 64; k++)
        if (p.tactic_hit[k]) {
            sb_printf(tactics, "%s%zu", first ? "" : " ", k);
            first = false;
        }
    free(p.cells);
}

socfeed_coverage_count socfeed_coverage_cell(const socfeed_coverage *c, size_t tactic, size_t technique) {
    socfeed_coverage_count zero = {0, 0};
    if (tactic >= c->ntactics || technique >= c->ntechniques) return zero;
    return c->cells[tactic * c->ntechniques + technique];
}

socfeed_coverage_count socfeed_coverage_tactic(const socfeed_coverage *c, size_t tactic) {
    socfeed_coverage_count zero = {0, 0};
    return tactic < c->ntactics ? c->tactics[tactic] : zero;
}

size_t socfeed_coverage_rules_mapped(const socfeed_coverage *c) { return c->mapped; }
size_t socfeed_coverage_unplaced_count(const socfeed_coverage *c) { return c->nunplaced; }
const socfeed_coverage_unplaced *socfeed_coverage_unplaced_at(const socfeed_coverage *c, size_t i) {
    return i < c->nunplaced ? &c->unplaced[i] : NULL;
}
