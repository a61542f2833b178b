/* attack.c — loads the compiled-in ATT&CK tables (the TSVs in data/attack/, format in data/attack/README.md)
 * and resolves Sigma tags against them. See socfeed/attack.h. */
#include "socfeed/attack.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/arena.h"
#include "util/embedded.h"
#include "util/xalloc.h"

#define ATTACK_VERSION "19.2"
#define TABLE_PATH "attack/attack-enterprise-v19.2.tsv"
#define REVOKED_PATH "attack/revoked-v19.tsv"
#define NOTICE_PATH "attack/NOTICE-ATTACK.txt"

enum { MAX_COLS = 16 };

struct socfeed_attack {
    arena mem;
    socfeed_attack_tactic *tactics;
    size_t ntactics;
    socfeed_attack_technique *techniques; /* sorted by id, as the file is */
    size_t ntechniques;
    socfeed_attack_revoked *revoked;
    size_t nrevoked;
};

/* Splits one line (without its LF) on tabs into arena strings; returns the column count. */
static size_t split_tabs(arena *a, const char *line, size_t len, const char **cols) {
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= len && n < MAX_COLS; i++) {
        if (i == len || line[i] == '\t') {
            cols[n++] = arena_strndup(a, line + start, i - start);
            start = i + 1;
        }
    }
    return n;
}

/* Splits a field on `sep` into an arena array of strings; empty field → 0 items. */
static const char *const *split_list(arena *a, const char *field, const char *sep, size_t *count) {
    *count = 0;
    if (!*field) return NULL;
    size_t seplen = strlen(sep), cap = 1;
    for (const char *p = field; (p = strstr(p, sep)); p += seplen) cap++;
    const char **items = arena_alloc(a, cap * sizeof *items);
    const char *p = field;
    for (;;) {
        const char *end = strstr(p, sep);
        size_t n = end ? (size_t)(end - p) : strlen(p);
        items[(*count)++] = arena_strndup(a, p, n);
        if (!end) break;
        p = end + seplen;
    }
    return items;
}

typedef void (*row_fn)(socfeed_attack *at, const char **cols, size_t ncols, const char **header, size_t nheader);

/* Walks a TSV: skips '#' comments, takes the first other line as the header, then one call per row. */
static int read_tsv(socfeed_attack *at, const char *path, row_fn fn, socfeed_diags *diags) {
    const socfeed_embedded_file *f = socfeed_embedded_get(path);
    if (!f) {
        socfeed_diag_add(diags, SOCFEED_ERROR, path, (socfeed_pos){0, 0}, "attack-data",
                         "ATT&CK table missing from the build");
        return -1;
    }
    const char *header[MAX_COLS];
    size_t nheader = 0;
    const char *p = (const char *)f->data, *end = p + f->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (len && p[0] != '#') {
            const char *cols[MAX_COLS];
            size_t n = split_tabs(&at->mem, p, len, cols);
            if (!nheader) {
                memcpy(header, cols, n * sizeof *cols);
                nheader = n;
            } else {
                fn(at, cols, n, header, nheader);
            }
        }
        p += len + 1;
    }
    return 0;
}

static const char *col(const char **cols, size_t ncols, const char **header, size_t nheader, const char *name) {
    for (size_t i = 0; i < nheader && i < ncols; i++)
        if (!strcmp(header[i], name)) return cols[i];
    return "";
}
#define COL(name) col(cols, ncols, header, nheader, name)

static size_t count_rows(const char *path, const char *kind_prefix) {
    const socfeed_embedded_file *f = socfeed_embedded_get(path);
    size_t n = 0;
    if (!f) return 0;
    for (const char *p = (const char *)f->data; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (*p != '#' && *p != '\n' && (!kind_prefix || !strncmp(p, kind_prefix, strlen(kind_prefix)))) n++;
    return n;
}

static void tactic_row(socfeed_attack *at, const char **cols, size_t ncols, const char **header, size_t nheader) {
    if (strcmp(COL("kind"), "tactic")) return;
    socfeed_attack_tactic *t = &at->tactics[at->ntactics++];
    t->id = COL("id");
    t->name = COL("name");
    t->shortname = COL("tactics");
    t->sentinel = COL("sentinel_tactic");
    t->url = COL("url");
    t->order = (unsigned)strtoul(COL("order"), NULL, 10);
}

static void technique_row(socfeed_attack *at, const char **cols, size_t ncols, const char **header, size_t nheader) {
    if (strcmp(COL("kind"), "technique")) return;
    socfeed_attack_technique *t = &at->techniques[at->ntechniques++];
    t->id = COL("id");
    t->name = COL("name");
    t->parent_id = *COL("parent_id") ? COL("parent_id") : NULL;
    t->url = COL("url");
    t->description = COL("description");
    size_t nshort;
    const char *const *shorts = split_list(&at->mem, COL("tactics"), ",", &nshort);
    const socfeed_attack_tactic **tac = arena_alloc(&at->mem, (nshort ? nshort : 1) * sizeof *tac);
    /* Matrix order, whatever order the file lists them in. */
    for (size_t k = 0; k < at->ntactics; k++)
        for (size_t i = 0; i < nshort; i++)
            if (!strcmp(shorts[i], at->tactics[k].shortname)) tac[t->ntactics++] = &at->tactics[k];
    t->tactics = tac;
    t->platforms = split_list(&at->mem, COL("platforms"), ",", &t->nplatforms);
    size_t nnames;
    t->detection_ids = split_list(&at->mem, COL("detection_strategy_ids"), ",", &t->ndetections);
    t->detection_names = split_list(&at->mem, COL("detection_strategy_names"), " | ", &nnames);
    if (nnames != t->ndetections) t->ndetections = nnames < t->ndetections ? nnames : t->ndetections;
}

static void revoked_row(socfeed_attack *at, const char **cols, size_t ncols, const char **header, size_t nheader) {
    socfeed_attack_revoked *r = &at->revoked[at->nrevoked++];
    r->id = COL("id");
    r->name = COL("name");
    r->revoked_in = COL("revoked_in");
    r->replaced_by_id = *COL("replaced_by_id") ? COL("replaced_by_id") : NULL;
    r->replaced_by_name = *COL("replaced_by_name") ? COL("replaced_by_name") : NULL;
}

socfeed_attack *socfeed_attack_load(socfeed_diags *diags) {
    socfeed_attack *at = xcalloc(1, sizeof *at);
    arena_init(&at->mem);
    at->tactics = arena_alloc(&at->mem, (count_rows(TABLE_PATH, "tactic\t") + 1) * sizeof *at->tactics);
    at->techniques = arena_alloc(&at->mem, (count_rows(TABLE_PATH, "technique\t") + 1) * sizeof *at->techniques);
    at->revoked = arena_alloc(&at->mem, (count_rows(REVOKED_PATH, NULL) + 1) * sizeof *at->revoked);
    /* Tactics first: technique rows refer to them. The revoked file's header line is counted
     * above as a row, which only over-allocates by one. */
    if (read_tsv(at, TABLE_PATH, tactic_row, diags) || read_tsv(at, TABLE_PATH, technique_row, diags) ||
        read_tsv(at, REVOKED_PATH, revoked_row, diags) || at->ntactics == 0 || at->ntechniques == 0) {
        if (at->ntactics == 0 || at->ntechniques == 0)
            socfeed_diag_add(diags, SOCFEED_ERROR, TABLE_PATH, (socfeed_pos){0, 0}, "attack-data",
                             "ATT&CK table has no tactics or techniques");
        socfeed_attack_free(at);
        return NULL;
    }
    return at;
}

void socfeed_attack_free(socfeed_attack *a) {
    if (!a) return;
    arena_free(&a->mem);
    free(a);
}

const char *socfeed_attack_version(const socfeed_attack *a) { return ATTACK_VERSION; }

const char *socfeed_attack_notice(void) {
    const socfeed_embedded_file *f = socfeed_embedded_get(NOTICE_PATH);
    return f ? (const char *)f->data : "";
}

size_t socfeed_attack_tactic_count(const socfeed_attack *a) { return a->ntactics; }
const socfeed_attack_tactic *socfeed_attack_tactic_at(const socfeed_attack *a, size_t i) {
    return i < a->ntactics ? &a->tactics[i] : NULL;
}
size_t socfeed_attack_technique_count(const socfeed_attack *a) { return a->ntechniques; }
const socfeed_attack_technique *socfeed_attack_technique_at(const socfeed_attack *a, size_t i) {
    return i < a->ntechniques ? &a->techniques[i] : NULL;
}
size_t socfeed_attack_revoked_count(const socfeed_attack *a) { return a->nrevoked; }
const socfeed_attack_revoked *socfeed_attack_revoked_at(const socfeed_attack *a, size_t i) {
    return i < a->nrevoked ? &a->revoked[i] : NULL;
}

/* The technique rows are sorted by id in ASCII order (generator's contract): binary search. */
const socfeed_attack_technique *socfeed_attack_technique_by_id(const socfeed_attack *a, const char *id) {
    size_t lo = 0, hi = a->ntechniques;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcasecmp(a->techniques[mid].id, id);
        if (!c) return &a->techniques[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

const socfeed_attack_tactic *socfeed_attack_tactic_by_id(const socfeed_attack *a, const char *id) {
    for (size_t i = 0; i < a->ntactics; i++)
        if (!strcasecmp(a->tactics[i].id, id)) return &a->tactics[i];
    return NULL;
}

const socfeed_attack_revoked *socfeed_attack_revoked_by_id(const socfeed_attack *a, const char *id) {
    for (size_t i = 0; i < a->nrevoked; i++)
        if (!strcasecmp(a->revoked[i].id, id)) return &a->revoked[i];
    return NULL;
}

/* Tactic names ATT&CK retired but older rules still use, and the tactic that took their place. */
static const struct { const char *old_shortname, *tactic_id; } renamed_tactics[] = {
    {"defense-evasion", "TA0005"}, /* v19: TA0005 became Stealth */
};

static bool is_id_tag(const char *s, char letter) {
    if (tolower((unsigned char)s[0]) != letter || !isdigit((unsigned char)s[1])) return false;
    for (const char *p = s + 1; *p; p++)
        if (!isdigit((unsigned char)*p) && *p != '.') return false;
    return true;
}

socfeed_attack_tag socfeed_attack_resolve_tag(const socfeed_attack *a, const char *tag) {
    socfeed_attack_tag r = {0};
    if (!tag || strncasecmp(tag, "attack.", 7)) return r;
    const char *rest = tag + 7;
    if (is_id_tag(rest, 't')) {
        if ((r.technique = socfeed_attack_technique_by_id(a, rest))) r.kind = SOCFEED_TAG_TECHNIQUE;
        else if ((r.revoked = socfeed_attack_revoked_by_id(a, rest))) r.kind = SOCFEED_TAG_REVOKED;
        else r.kind = SOCFEED_TAG_UNKNOWN;
        return r;
    }
    if (is_id_tag(rest, 'g')) return (r.kind = SOCFEED_TAG_GROUP, r);
    if (is_id_tag(rest, 's')) return (r.kind = SOCFEED_TAG_SOFTWARE, r);
    /* Tactic: '_' and '-' are the same (older rules wrote credential_access). */
    char shortname[64];
    size_t n = strlen(rest);
    if (n >= sizeof shortname) return (r.kind = SOCFEED_TAG_UNKNOWN, r);
    for (size_t i = 0; i <= n; i++) shortname[i] = rest[i] == '_' ? '-' : (char)tolower((unsigned char)rest[i]);
    for (size_t i = 0; i < a->ntactics; i++)
        if (!strcmp(a->tactics[i].shortname, shortname)) {
            r.kind = SOCFEED_TAG_TACTIC;
            r.tactic = &a->tactics[i];
            return r;
        }
    for (size_t i = 0; i < sizeof renamed_tactics / sizeof *renamed_tactics; i++)
        if (!strcmp(renamed_tactics[i].old_shortname, shortname)) {
            r.kind = SOCFEED_TAG_TACTIC_OUTDATED;
            r.tactic = socfeed_attack_tactic_by_id(a, renamed_tactics[i].tactic_id);
            return r;
        }
    r.kind = SOCFEED_TAG_UNKNOWN;
    return r;
}
