/* normalize.c — the data-driven normalizer (socfeed/normalize.h): loads data/normalize/TARGET.yml
 * (schema in data/normalize/README.md), compiles each `when`, `let` and column as a KQL expression,
 * and runs them over the raw event's WindowsEvent view. Columns are evaluated in file order and
 * each may use the ones before it, as in a KQL `extend`; `let` values are helpers left out of the
 * row. */
#include "socfeed/normalize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule/yaml_tree.h"
#include "util/arena.h"
#include "util/embedded.h"
#include "util/xalloc.h"
#include "verify/kql/kql_expr.h"
#include "verify/normalize/raw_view.h"

typedef struct column {
    const char *name;
    socfeed_kql_query *expr;
    bool keep; /* false for `let` helpers */
} column;

typedef struct producer {
    const char *name;
    const char *table;
    socfeed_kql_query *when;
    column *cols;
    size_t ncols;
} producer;

typedef struct table_alias {
    const char *name;  /* what a query may write */
    const char *table; /* the table its rows are in */
} table_alias;

struct socfeed_normalizer {
    arena a;
    const char *target;
    const char *approximate; /* NULL when exact */
    producer *producers;
    size_t nproducers;
    table_alias *aliases;
    size_t naliases;
};

struct socfeed_rows {
    arena a;
    socfeed_row *items;
    size_t count, cap;
};

/* ---- loading ---- */

typedef struct loader {
    socfeed_normalizer *nz;
    const char *file;
    socfeed_diags *diags;
    bool failed;
} loader;

static void load_error(loader *l, const socfeed_yaml_node *at, const char *fmt, const char *arg) {
    l->failed = true;
    socfeed_diag_add(l->diags, SOCFEED_ERROR, l->file, at ? at->pos : (socfeed_pos){0, 0}, "normalize-data", fmt, arg);
}

static const char *scalar(loader *l, const socfeed_yaml_node *map, const char *key, bool required) {
    const socfeed_yaml_node *n = yaml_map_get(map, key);
    if (!n) {
        if (required) load_error(l, map, "missing '%s'", key);
        return NULL;
    }
    if (n->kind != SOCFEED_YAML_SCALAR) {
        load_error(l, n, "'%s' must be a text", key);
        return NULL;
    }
    return arena_strdup(&l->nz->a, n->text);
}

/* Compiles one expression; diagnostics name the data file, the entry and the column. */
static socfeed_kql_query *compile(loader *l, const socfeed_yaml_node *n, const char *what) {
    if (n->kind != SOCFEED_YAML_SCALAR) {
        load_error(l, n, "%s must be a KQL expression (text)", what);
        return NULL;
    }
    socfeed_diags local;
    socfeed_diags_init(&local);
    socfeed_kql_query *q = kql_parse_expression(what, n->text, &local);
    if (!q) {
        char msg[512];
        if (local.count) socfeed_diag_format(&local.items[0], msg, sizeof msg);
        else snprintf(msg, sizeof msg, "%s: invalid expression", what);
        load_error(l, n, "%s", msg);
    }
    socfeed_diags_clear(&local);
    return q;
}

static void add_column(loader *l, producer *p, const char *name, socfeed_kql_query *q, bool keep) {
    p->cols = xrealloc(p->cols, (p->ncols + 1) * sizeof *p->cols);
    p->cols[p->ncols++] = (column){arena_strdup(&l->nz->a, name), q, keep};
}

static void load_columns(loader *l, producer *p, const socfeed_yaml_node *map, bool keep) {
    if (!map) return;
    if (map->kind != SOCFEED_YAML_MAPPING) {
        load_error(l, map, "'%s' must be a mapping of column: expression", keep ? "columns" : "let");
        return;
    }
    for (size_t i = 0; i < map->count; i++) {
        const socfeed_yaml_node *k = map->pairs[i].key;
        char what[256];
        snprintf(what, sizeof what, "%s: %s", p->name, k->text);
        socfeed_kql_query *q = compile(l, map->pairs[i].value, what);
        if (q) add_column(l, p, k->text, q, keep);
    }
}

/* `promote: [A, B]`: columns that hold EventData.A as is (SecurityEvent's typed columns). */
static void load_promote(loader *l, producer *p, const socfeed_yaml_node *seq) {
    if (!seq) return;
    if (seq->kind != SOCFEED_YAML_SEQUENCE) {
        load_error(l, seq, "'%s' must be a list of EventData names", "promote");
        return;
    }
    for (size_t i = 0; i < seq->count; i++) {
        const socfeed_yaml_node *n = seq->items[i];
        char expr[300], what[256];
        if (n->kind != SOCFEED_YAML_SCALAR || n->len > 200 || strspn(n->text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") != n->len) {
            load_error(l, n, "'%s' entries must be plain column names", "promote");
            continue;
        }
        snprintf(expr, sizeof expr, "EventData.%s", n->text);
        snprintf(what, sizeof what, "%s: %s", p->name, n->text);
        socfeed_diags local;
        socfeed_diags_init(&local);
        socfeed_kql_query *q = kql_parse_expression(what, expr, &local);
        socfeed_diags_clear(&local);
        if (q) add_column(l, p, n->text, q, true);
    }
}

static void load_producer(loader *l, const socfeed_yaml_node *n) {
    if (n->kind != SOCFEED_YAML_MAPPING) {
        load_error(l, n, "a producer must be a mapping%s", "");
        return;
    }
    socfeed_normalizer *nz = l->nz;
    producer p = {0};
    p.name = scalar(l, n, "name", true);
    p.table = scalar(l, n, "table", true);
    const socfeed_yaml_node *when = yaml_map_get(n, "when");
    if (!p.name || !p.table) return;
    if (!when) {
        load_error(l, n, "producer '%s' has no 'when'", p.name);
        return;
    }
    char what[256];
    snprintf(what, sizeof what, "%s: when", p.name);
    p.when = compile(l, when, what);
    load_columns(l, &p, yaml_map_get(n, "let"), false);
    load_columns(l, &p, yaml_map_get(n, "columns"), true);
    load_promote(l, &p, yaml_map_get(n, "promote"));
    nz->producers = xrealloc(nz->producers, (nz->nproducers + 1) * sizeof *nz->producers);
    nz->producers[nz->nproducers++] = p;
}

static void add_alias(socfeed_normalizer *nz, const char *name, const char *table) {
    nz->aliases = xrealloc(nz->aliases, (nz->naliases + 1) * sizeof *nz->aliases);
    nz->aliases[nz->naliases++] = (table_alias){name, table};
}

static void load_tables(loader *l, const socfeed_yaml_node *map) {
    if (!map) return;
    if (map->kind != SOCFEED_YAML_MAPPING) {
        load_error(l, map, "'%s' must map each table to its aliases", "tables");
        return;
    }
    for (size_t i = 0; i < map->count; i++) {
        const char *table = arena_strdup(&l->nz->a, map->pairs[i].key->text);
        add_alias(l->nz, table, table);
        const socfeed_yaml_node *names = map->pairs[i].value;
        if (names->kind != SOCFEED_YAML_SEQUENCE) {
            load_error(l, names, "aliases of '%s' must be a list", table);
            continue;
        }
        for (size_t k = 0; k < names->count; k++)
            if (names->items[k]->kind == SOCFEED_YAML_SCALAR) add_alias(l->nz, arena_strdup(&l->nz->a, names->items[k]->text), table);
    }
}

socfeed_normalizer *socfeed_normalizer_parse(const char *name, const char *yaml, size_t len, socfeed_diags *diags) {
    socfeed_normalizer *nz = xcalloc(1, sizeof *nz);
    arena_init(&nz->a);
    loader l = {.nz = nz, .file = name, .diags = diags};
    yaml_document_info *docs = NULL;
    int had_error = 0;
    size_t ndocs = yaml_parse_documents(name, yaml, len, NULL, &nz->a, diags, &docs, &had_error);
    const socfeed_yaml_node *root = ndocs ? docs[0].root : NULL;
    if (had_error || !root || root->kind != SOCFEED_YAML_MAPPING) {
        if (!had_error) load_error(&l, root, "a normalizer file is a mapping with target, tables, producers%s", "");
        socfeed_normalizer_free(nz);
        return NULL;
    }
    nz->target = scalar(&l, root, "target", true);
    nz->approximate = scalar(&l, root, "approximate", false);
    load_tables(&l, yaml_map_get(root, "tables"));
    const socfeed_yaml_node *prods = yaml_map_get(root, "producers");
    if (!prods || prods->kind != SOCFEED_YAML_SEQUENCE) load_error(&l, root, "missing list '%s'", "producers");
    else
        for (size_t i = 0; i < prods->count; i++) load_producer(&l, prods->items[i]);
    for (size_t i = 0; i < nz->nproducers; i++)
        if (!socfeed_normalizer_table(nz, nz->producers[i].table)) add_alias(nz, nz->producers[i].table, nz->producers[i].table);
    if (l.failed) {
        socfeed_normalizer_free(nz);
        return NULL;
    }
    return nz;
}

socfeed_normalizer *socfeed_normalizer_load(const char *target, socfeed_diags *diags) {
    char path[256];
    snprintf(path, sizeof path, "normalize/%s.yml", target ? target : "");
    const socfeed_embedded_file *f = target && !strchr(target, '/') ? socfeed_embedded_get(path) : NULL;
    if (!f) {
        socfeed_diag_add(diags, SOCFEED_ERROR, target ? target : "(null)", (socfeed_pos){0, 0}, "normalize-target",
                         "unknown target (known: sentinel-asim, azure-monitor, defender-xdr)");
        return NULL;
    }
    return socfeed_normalizer_parse(f->path, (const char *)f->data, f->len, diags);
}

void socfeed_normalizer_free(socfeed_normalizer *nz) {
    if (!nz) return;
    for (size_t i = 0; i < nz->nproducers; i++) {
        socfeed_kql_query_free(nz->producers[i].when);
        for (size_t k = 0; k < nz->producers[i].ncols; k++) socfeed_kql_query_free(nz->producers[i].cols[k].expr);
        free(nz->producers[i].cols);
    }
    free(nz->producers);
    free(nz->aliases);
    arena_free(&nz->a);
    free(nz);
}

const char *socfeed_normalizer_target(const socfeed_normalizer *nz) { return nz->target; }

bool socfeed_normalizer_is_approximate(const socfeed_normalizer *nz, const char **why) {
    if (why) *why = nz->approximate;
    return nz->approximate != NULL;
}

const char *socfeed_normalizer_table(const socfeed_normalizer *nz, const char *source) {
    for (size_t i = 0; source && i < nz->naliases; i++)
        if (!strcmp(nz->aliases[i].name, source)) return nz->aliases[i].table;
    return NULL;
}

/* ---- rows ---- */

socfeed_rows *socfeed_rows_new(void) {
    socfeed_rows *r = xcalloc(1, sizeof *r);
    arena_init(&r->a);
    return r;
}

void socfeed_rows_free(socfeed_rows *rows) {
    if (!rows) return;
    free(rows->items);
    arena_free(&rows->a);
    free(rows);
}

size_t socfeed_rows_count(const socfeed_rows *rows) { return rows->count; }

const socfeed_row *socfeed_rows_at(const socfeed_rows *rows, size_t i) { return i < rows->count ? &rows->items[i] : NULL; }

static void rows_push(socfeed_rows *rows, socfeed_row row) {
    if (rows->count == rows->cap) {
        rows->cap = rows->cap ? rows->cap * 2 : 16;
        rows->items = xrealloc(rows->items, rows->cap * sizeof *rows->items);
    }
    rows->items[rows->count++] = row;
}

/* ---- normalizing ---- */

static bool truthy(const socfeed_event_value *v) {
    return (v->type == SOCFEED_EV_BOOL && v->as.b) || (v->type == SOCFEED_EV_INT && v->as.i != 0);
}

/* Runs one producer. The expressions see an object whose first members are the columns computed
 * so far, newest first, followed by the raw view: a lookup finds a computed column before a raw
 * one of the same name, like a KQL `extend` that replaces a column. */
static int run_producer(const producer *p, const socfeed_event_value *raw, size_t event_index, socfeed_rows *out,
                        socfeed_diags *diags) {
    socfeed_event_value ok;
    if (kql_eval_expression(p->when, raw, &out->a, &ok, diags)) return -1;
    if (!truthy(&ok)) return 0;
    size_t total = p->ncols + raw->len;
    socfeed_event_member *view = arena_alloc(&out->a, (total + 1) * sizeof *view);
    if (raw->len) memcpy(view + p->ncols, raw->as.members, raw->len * sizeof *view);
    size_t computed = 0;
    int rc = 0;
    for (size_t i = 0; i < p->ncols; i++) {
        socfeed_event_value scope = {.type = SOCFEED_EV_OBJECT, .len = (uint32_t)(computed + raw->len),
                                     .as.members = view + p->ncols - computed};
        socfeed_event_value v;
        if (kql_eval_expression(p->cols[i].expr, &scope, &out->a, &v, diags)) {
            rc = -1;
            continue;
        }
        computed++;
        view[p->ncols - computed] = (socfeed_event_member){p->cols[i].name, (uint32_t)strlen(p->cols[i].name), v};
    }
    /* The row: kept columns in file order (the view holds them newest first); a later
     * column of the same name replaces the earlier one. Null values are left out. */
    socfeed_event_member *m = arena_alloc(&out->a, (computed + 1) * sizeof *m);
    uint32_t n = 0;
    for (size_t slot = p->ncols; slot-- > p->ncols - computed;) {
        const socfeed_event_member *c = &view[slot];
        const column *def = NULL;
        for (size_t k = 0; k < p->ncols; k++)
            if (p->cols[k].name == c->key) def = &p->cols[k];
        if (!def || !def->keep || c->value.type == SOCFEED_EV_NULL) continue;
        bool replaced = false;
        for (uint32_t k = 0; k < n; k++)
            if (!strcmp(m[k].key, c->key)) {
                m[k] = *c;
                replaced = true;
            }
        if (!replaced) m[n++] = *c;
    }
    socfeed_row row = {.table = p->table, .producer = p->name, .event = event_index,
                       .value = {.type = SOCFEED_EV_OBJECT, .len = n, .as.members = m}};
    rows_push(out, row);
    return rc ? -1 : 1;
}

int socfeed_normalize(const socfeed_normalizer *nz, const socfeed_event_value *event, size_t event_index,
                      socfeed_rows *out, socfeed_diags *diags) {
    socfeed_event_value raw = raw_view_build(&out->a, event);
    int added = 0;
    bool failed = false;
    for (size_t i = 0; i < nz->nproducers; i++) {
        int rc = run_producer(&nz->producers[i], &raw, event_index, out, diags);
        if (rc < 0) failed = true;
        else added += rc;
    }
    return failed ? -1 : added;
}

int socfeed_normalize_raw_view(const socfeed_event_value *event, size_t event_index, socfeed_rows *out) {
    socfeed_event_value raw = raw_view_build(&out->a, event);
    rows_push(out, (socfeed_row){.table = "WindowsEvent", .producer = "raw", .event = event_index,
                                 .value = kql_copy_value(&out->a, &raw)});
    return 1;
}
