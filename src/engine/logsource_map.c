/* logsource_map.c — loading the data/logsources files (built in) and user --mapping files, choosing
 * the entry for a rule, and routing events through an entry's alternatives. */
#include "engine/logsource_map.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rule/yaml_tree.h"
#include "util/casefold.h"
#include "util/embedded.h"
#include "util/file_read.h"
#include "util/xalloc.h"

struct socfeed_logsource_map {
    arena a;
    ls_entry *entries;
    size_t count, cap;
};

static void name_set(arena *a, ls_name *n, const char *s, size_t len, bool fold) {
    char *t = arena_alloc(a, casefold_max(len));
    n->len = fold ? casefold_utf8(s, len, t) : (memcpy(t, s, len), len);
    n->s = t;
    n->hash = fv_hash(t, n->len);
}

#define MAP_ERROR(pos, ...) socfeed_diag_add(diags, SOCFEED_ERROR, file, (pos), "logsource-map", __VA_ARGS__)

static bool is_scalar(const socfeed_yaml_node *n) { return n && n->kind == SOCFEED_YAML_SCALAR; }

static bool parse_conditions(arena *a, const char *file, const socfeed_yaml_node *map, ls_alt *alt,
                             socfeed_diags *diags) {
    if (map->kind != SOCFEED_YAML_MAPPING) {
        MAP_ERROR(map->pos, "`conditions` must be a map of field: value");
        return false;
    }
    alt->conds = arena_alloc(a, (map->count + 1) * sizeof *alt->conds);
    for (size_t i = 0; i < map->count; i++) {
        const socfeed_yaml_node *k = map->pairs[i].key, *v = map->pairs[i].value;
        ls_cond *c = &alt->conds[alt->nconds++];
        name_set(a, &c->field, k->text, k->len, false);
        size_t n = v->kind == SOCFEED_YAML_SEQUENCE ? v->count : 1;
        c->values = arena_alloc(a, (n + 1) * sizeof *c->values);
        for (size_t j = 0; j < n; j++) {
            const socfeed_yaml_node *s = v->kind == SOCFEED_YAML_SEQUENCE ? v->items[j] : v;
            if (!is_scalar(s) || s->type == SOCFEED_SCALAR_NULL) {
                MAP_ERROR(s->pos, "condition values must be strings or numbers");
                return false;
            }
            name_set(a, &c->values[c->nvalues++], s->text, s->len, true);
        }
        if (!c->nvalues) {
            MAP_ERROR(v->pos, "condition '%s' has no value", k->text);
            return false;
        }
    }
    return true;
}

static bool parse_alt(arena *a, const char *file, const socfeed_yaml_node *n, ls_alt *alt, socfeed_diags *diags) {
    if (n->kind != SOCFEED_YAML_MAPPING) {
        MAP_ERROR(n->pos, "an alternative must be a map with `conditions`, `fields` and/or `sources`");
        return false;
    }
    for (size_t i = 0; i < n->count; i++) {
        const char *key = n->pairs[i].key->text;
        const socfeed_yaml_node *v = n->pairs[i].value;
        if (!strcmp(key, "conditions")) {
            if (!parse_conditions(a, file, v, alt, diags)) return false;
        } else if (!strcmp(key, "fields")) {
            if (v->kind != SOCFEED_YAML_MAPPING) {
                MAP_ERROR(v->pos, "`fields` must be a map of Sigma field: event field");
                return false;
            }
            alt->renames = arena_alloc(a, (v->count + 1) * sizeof *alt->renames);
            for (size_t j = 0; j < v->count; j++) {
                if (!is_scalar(v->pairs[j].value)) {
                    MAP_ERROR(v->pairs[j].value->pos, "a field rename must be a string");
                    return false;
                }
                ls_rename *r = &alt->renames[alt->nrenames++];
                name_set(a, &r->sigma, v->pairs[j].key->text, v->pairs[j].key->len, false);
                name_set(a, &r->event, v->pairs[j].value->text, v->pairs[j].value->len, false);
            }
        } else if (!strcmp(key, "sources")) {
            if (v->kind != SOCFEED_YAML_SEQUENCE) {
                MAP_ERROR(v->pos, "`sources` must be a list of 'File:<glob>'");
                return false;
            }
            alt->sources = arena_alloc(a, (v->count + 1) * sizeof *alt->sources);
            for (size_t j = 0; j < v->count; j++) {
                const socfeed_yaml_node *s = v->items[j];
                if (!is_scalar(s) || strncmp(s->text, "File:", 5) != 0) {
                    MAP_ERROR(s->pos, "a source must be a string 'File:<glob>'");
                    return false;
                }
                alt->sources[alt->nsources++] = arena_strdup(a, s->text + 5);
            }
        } else {
            MAP_ERROR(n->pairs[i].key->pos, "unknown key '%s' in an alternative (conditions, fields, sources)", key);
            return false;
        }
    }
    if (!alt->nconds && !alt->nsources) {
        MAP_ERROR(n->pos, "an alternative needs `conditions` or `sources`");
        return false;
    }
    return true;
}

static bool same_match(const ls_entry *x, const ls_entry *y) {
#define EQ(f) ((!x->f && !y->f) || (x->f && y->f && !strcasecmp(x->f, y->f)))
    return EQ(product) && EQ(category) && EQ(service);
#undef EQ
}

static bool parse_entry(socfeed_logsource_map *m, const char *file, const socfeed_yaml_node *n, bool user,
                        socfeed_diags *diags) {
    arena *a = &m->a;
    const socfeed_yaml_node *match = yaml_map_get(n, "match"), *any = yaml_map_get(n, "any");
    if (n->kind != SOCFEED_YAML_MAPPING || !match || match->kind != SOCFEED_YAML_MAPPING || !any ||
        any->kind != SOCFEED_YAML_SEQUENCE || any->count == 0) {
        MAP_ERROR(n->pos, "an entry needs `match` (a map) and `any` (a non-empty list)");
        return false;
    }
    ls_entry e = {.file = arena_strdup(a, file), .pos = n->pos};
    for (size_t i = 0; i < match->count; i++) {
        const char *k = match->pairs[i].key->text;
        const socfeed_yaml_node *v = match->pairs[i].value;
        if (!is_scalar(v)) {
            MAP_ERROR(v->pos, "`match` values must be strings");
            return false;
        }
        const char **slot = !strcmp(k, "product") ? &e.product : !strcmp(k, "category") ? &e.category
                          : !strcmp(k, "service") ? &e.service : NULL;
        if (!slot) {
            MAP_ERROR(match->pairs[i].key->pos, "`match` takes product, category and service, not '%s'", k);
            return false;
        }
        *slot = arena_strdup(a, v->text);
        e.nkeys++;
    }
    e.alts = arena_alloc(a, any->count * sizeof *e.alts);
    for (size_t i = 0; i < any->count; i++)
        if (!parse_alt(a, file, any->items[i], &e.alts[e.nalts++], diags)) return false;
    for (size_t i = 0; i < m->count; i++) {
        if (!same_match(&m->entries[i], &e)) continue;
        if (user) { /* a user file overrides the built-in entry */
            m->entries[i] = e;
            return true;
        }
        MAP_ERROR(n->pos, "this `match` is already mapped at %s:%u", m->entries[i].file, m->entries[i].pos.line);
        return false;
    }
    if (m->count == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 128;
        m->entries = xrealloc(m->entries, m->cap * sizeof *m->entries);
    }
    m->entries[m->count++] = e;
    return true;
}

static int add_buffer(socfeed_logsource_map *m, const char *file, const char *data, size_t len, bool user,
                      socfeed_diags *diags) {
    yaml_document_info *docs;
    int had_error = 0;
    size_t ndocs = yaml_parse_documents(file, data, len, NULL, &m->a, diags, &docs, &had_error);
    if (had_error) return -1;
    const socfeed_yaml_node *root = ndocs == 1 ? docs[0].root : NULL;
    const socfeed_yaml_node *list = root ? yaml_map_get(root, "logsources") : NULL;
    const socfeed_yaml_node *version = root ? yaml_map_get(root, "version") : NULL;
    if (!list || list->kind != SOCFEED_YAML_SEQUENCE) {
        socfeed_pos top = {1, 1};
        MAP_ERROR(top, "a logsource map is one YAML document with `version: 1` and a `logsources` list");
        return -1;
    }
    if (!version || version->type != SOCFEED_SCALAR_INT || version->int_value != 1) {
        MAP_ERROR(version ? version->pos : root->pos, "unsupported logsource map version (this socfeed reads version 1)");
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < list->count; i++)
        if (!parse_entry(m, file, list->items[i], user, diags)) rc = -1; /* go on: report every bad entry */
    return rc;
}

socfeed_logsource_map *socfeed_logsource_map_new(socfeed_diags *diags) {
    socfeed_logsource_map *m = xcalloc(1, sizeof *m);
    arena_init(&m->a);
    size_t n;
    const socfeed_embedded_file *files = socfeed_embedded_files(&n);
    for (size_t i = 0; i < n; i++) {
        const char *p = files[i].path;
        size_t pl = strlen(p);
        if (strncmp(p, "logsources/", 11) != 0 || pl < 4 || strcmp(p + pl - 4, ".yml") != 0) continue;
        char name[256];
        snprintf(name, sizeof name, "(built-in) data/%s", p);
        add_buffer(m, name, (const char *)files[i].data, files[i].len, false, diags);
    }
    return m;
}

int socfeed_logsource_map_add_buffer(socfeed_logsource_map *m, const char *name, const char *data, size_t len,
                                     socfeed_diags *diags) {
    return add_buffer(m, name, data, len, true, diags);
}

int socfeed_logsource_map_add_file(socfeed_logsource_map *m, const char *path, socfeed_diags *diags) {
    size_t len;
    char *data = file_read_all(path, &len);
    if (!data) {
        socfeed_diag_add(diags, SOCFEED_ERROR, path, (socfeed_pos){0, 0}, "io", "cannot read the mapping file");
        return -1;
    }
    int rc = add_buffer(m, path, data, len, true, diags);
    free(data);
    return rc;
}

void socfeed_logsource_map_free(socfeed_logsource_map *m) {
    if (!m) return;
    free(m->entries);
    arena_free(&m->a);
    free(m);
}

size_t socfeed_logsource_map_count(const socfeed_logsource_map *m) { return m->count; }

size_t ls_map_index(const socfeed_logsource_map *m, const ls_entry *e) { return (size_t)(e - m->entries); }

const ls_entry *ls_map_find(const socfeed_logsource_map *m, const socfeed_logsource *ls) {
    const ls_entry *best = NULL;
    for (size_t i = 0; i < m->count; i++) {
        const ls_entry *e = &m->entries[i];
#define APPLIES(f) (!e->f || (ls->f.s && !strcasecmp(e->f, ls->f.s)))
        if (!APPLIES(product) || !APPLIES(category) || !APPLIES(service)) continue;
#undef APPLIES
        if (e->nkeys == 0) continue;
        if (!best || e->nkeys > best->nkeys) best = e;
    }
    return best;
}

static bool cond_holds(const ls_cond *c, field_view *fv) {
    fv_slot *slot = fv_lookup(fv, c->field.s, c->field.len, c->field.hash);
    const char *s;
    size_t n;
    if (!slot || !fv_slot_folded(fv, slot, &s, &n)) return false;
    for (size_t i = 0; i < c->nvalues; i++)
        if (c->values[i].len == n && memcmp(c->values[i].s, s, n) == 0) return true;
    return false;
}

static bool source_holds(const ls_alt *alt, const char *input_path) {
    if (!alt->nsources) return true;
    if (!input_path) return false;
    for (size_t i = 0; i < alt->nsources; i++)
        if (fnmatch(alt->sources[i], input_path, 0) == 0) return true; /* no FNM_PATHNAME: `*` spans `/` */
    return false;
}

static bool source_holds_cached(const ls_alt *alt, const char *input_path, ls_source_cache *cache) {
    if (!alt->nsources || !cache) return source_holds(alt, input_path);
    size_t k = ((uintptr_t)alt >> 4) % LS_SOURCE_CACHE;
    if (cache->slot[k].alt != alt) {
        cache->slot[k].alt = alt;
        cache->slot[k].ok = source_holds(alt, input_path);
    }
    return cache->slot[k].ok;
}

int ls_entry_route(const ls_entry *e, field_view *fv, const char *input_path, ls_source_cache *cache) {
    for (size_t i = 0; i < e->nalts; i++) {
        const ls_alt *alt = &e->alts[i];
        bool ok = source_holds_cached(alt, input_path, cache);
        for (size_t j = 0; ok && j < alt->nconds; j++) ok = cond_holds(&alt->conds[j], fv);
        if (ok) return (int)i;
    }
    return -1;
}

bool ls_entry_takes_input(const ls_entry *e, const char *input_path) {
    for (size_t i = 0; i < e->nalts; i++)
        if (source_holds(&e->alts[i], input_path)) return true;
    return false;
}

const ls_name *ls_alt_rename(const ls_alt *alt, const ls_name *sigma) {
    if (alt)
        for (size_t i = 0; i < alt->nrenames; i++)
            if (alt->renames[i].sigma.hash == sigma->hash && alt->renames[i].sigma.len == sigma->len &&
                strncasecmp(alt->renames[i].sigma.s, sigma->s, sigma->len) == 0)
                return &alt->renames[i].event;
    return sigma;
}
