/* mapping_load.c — reads a target mapping (data/targets/<name>.yml or a user --mapping file; layout
 * in docs/mappings.md) into kql_logsource entries, with every left-hand side and fixed condition
 * already rendered as KQL text, so conversion only looks things up. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backends/kql/kql_internal.h"
#include "rule/yaml_tree.h"
#include "socfeed/kql_eval.h"
#include "util/embedded.h"
#include "util/xalloc.h"

static const char *const target_names[] = {"sentinel-asim", "defender-xdr", "azure-monitor", NULL};

const char *const *socfeed_kql_target_names(void) { return target_names; }

typedef struct loader {
    socfeed_kql_target *t;
    const char *file;
    socfeed_diags *diags;
    bool failed;
    const socfeed_yaml_node *guards;
} loader;

static void fail(loader *l, const socfeed_yaml_node *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(loader *l, const socfeed_yaml_node *n, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    socfeed_pos pos = n ? n->pos : (socfeed_pos){0, 0};
    socfeed_diag_add(l->diags, SOCFEED_ERROR, l->file, pos, "kql-mapping", "%s", msg);
    l->failed = true;
}

static bool is_scalar(const socfeed_yaml_node *n) { return n && n->kind == SOCFEED_YAML_SCALAR; }

/* A column, table or property path: identifiers joined by dots. Anything else would not be KQL. */
static bool is_ident_path(const char *s) {
    if (!*s) return false;
    bool start = true;
    for (; *s; s++) {
        char c = *s;
        bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        if (start && !alpha) return false;
        if (!start && c == '.') {
            start = true;
            continue;
        }
        if (!alpha && !(c >= '0' && c <= '9')) return false;
        start = false;
    }
    return !start;
}

static const char *ident(loader *l, const socfeed_yaml_node *n, const char *what);

static const char *scalar(loader *l, const socfeed_yaml_node *n, const char *what) {
    if (!is_scalar(n)) {
        fail(l, n, "%s must be a scalar", what);
        return NULL;
    }
    return arena_strndup(&l->t->a, n->text, n->len);
}

static const char *ident(loader *l, const socfeed_yaml_node *n, const char *what) {
    const char *v = scalar(l, n, what);
    if (v && !is_ident_path(v)) {
        fail(l, n, "%s '%s' is not a KQL name (letters, digits, '_', '.' between parts)", what, v);
        return NULL;
    }
    return v;
}

/* The converter promises queries socfeed's own KQL parser accepts: an expression from a mapping
 * must pass it too. */
static bool check_expr(loader *l, const socfeed_yaml_node *n) {
    strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "T | where isnotempty(%s)", n->text);
    socfeed_diags d;
    socfeed_diags_init(&d);
    socfeed_kql_query *q = socfeed_kql_parse("expr", sb.data, &d);
    if (!q) fail(l, n, "'expr' is not KQL that socfeed can check: %s", d.count ? d.items[0].message : "?");
    socfeed_kql_query_free(q);
    socfeed_diags_clear(&d);
    sb_free(&sb);
    return q != NULL;
}

/* A dotted column is a property of a dynamic column (WindowsEvent.EventData): convert it to the
 * scalar type the comparison needs (docs/mappings.md §2.1). */
static void put_column(strbuf *sb, const char *col, kql_col_type type) {
    if (!strchr(col, '.')) {
        sb_puts(sb, col);
        return;
    }
    sb_printf(sb, "%s(%s)", type == KT_INT ? "toint" : type == KT_LONG ? "tolong" : "tostring", col);
}

static bool yaml_is_int(const socfeed_yaml_node *n) { return n->type == SOCFEED_SCALAR_INT && n->style == SOCFEED_STYLE_PLAIN; }

static void put_where_value(strbuf *sb, const socfeed_yaml_node *v) {
    if (yaml_is_int(v)) sb_printf(sb, "%lld", (long long)v->int_value);
    else kql_put_string(sb, v->text, v->len);
}

/* `{column, op: "==" | "!=" | "startswith" | "!startswith" | "in", value | values}` → KQL text. */
static bool render_condition(loader *l, const socfeed_yaml_node *c, strbuf *sb) {
    if (!c || c->kind != SOCFEED_YAML_MAPPING) {
        fail(l, c, "a condition must be a map {column, op, value}");
        return false;
    }
    const socfeed_yaml_node *col = yaml_map_get(c, "column"), *op = yaml_map_get(c, "op");
    const socfeed_yaml_node *value = yaml_map_get(c, "value"), *values = yaml_map_get(c, "values");
    if (!is_scalar(col) || !is_scalar(op)) {
        fail(l, c, "a condition needs scalar 'column' and 'op'");
        return false;
    }
    if (!ident(l, col, "column")) return false;
    bool numeric = (value && is_scalar(value) && yaml_is_int(value)) ||
                   (values && values->kind == SOCFEED_YAML_SEQUENCE && values->count && is_scalar(values->items[0]) &&
                    yaml_is_int(values->items[0]));
    put_column(sb, col->text, numeric ? KT_LONG : KT_STR);
    if ((!strcmp(op->text, "==") || !strcmp(op->text, "!=") || !strcmp(op->text, "startswith") ||
         !strcmp(op->text, "!startswith")) && is_scalar(value)) {
        sb_printf(sb, " %s ", op->text);
        put_where_value(sb, value);
        return true;
    }
    if (!strcmp(op->text, "in") && values && values->kind == SOCFEED_YAML_SEQUENCE && values->count) {
        sb_puts(sb, " in (");
        for (size_t i = 0; i < values->count; i++) {
            if (!is_scalar(values->items[i])) {
                fail(l, values->items[i], "'values' must hold scalars");
                return false;
            }
            if (i) sb_puts(sb, ", ");
            put_where_value(sb, values->items[i]);
        }
        sb_putc(sb, ')');
        return true;
    }
    fail(l, c, "a condition needs op ==, !=, startswith or !startswith with 'value', or op in with a non-empty 'values' list");
    return false;
}

/* A list of conditions → "a and b and c" (NULL for an empty list). */
static const char *render_conditions(loader *l, const socfeed_yaml_node *list, bool parenthesise) {
    if (!list || list->kind != SOCFEED_YAML_SEQUENCE) {
        fail(l, list, "expected a list of conditions");
        return NULL;
    }
    if (!list->count) return NULL;
    strbuf sb;
    sb_init(&sb);
    if (parenthesise && list->count > 1) sb_putc(&sb, '(');
    for (size_t i = 0; i < list->count; i++) {
        if (i) sb_puts(&sb, " and ");
        if (!render_condition(l, list->items[i], &sb)) break;
    }
    if (parenthesise && list->count > 1) sb_putc(&sb, ')');
    const char *out = arena_strndup(&l->t->a, sb.data, sb.len);
    sb_free(&sb);
    return out;
}

static bool load_pairs(loader *l, const socfeed_yaml_node *map, kql_pair **out, size_t *n) {
    if (!map || map->kind != SOCFEED_YAML_MAPPING) {
        fail(l, map, "expected a map");
        return false;
    }
    *out = arena_alloc(&l->t->a, (map->count + 1) * sizeof **out);
    for (size_t i = 0; i < map->count; i++) {
        const char *k = scalar(l, map->pairs[i].key, "a key"), *v = scalar(l, map->pairs[i].value, "a value");
        if (!k || !v) return false;
        (*out)[i] = (kql_pair){k, v};
    }
    *n = map->count;
    return true;
}

static bool load_rewrites(loader *l, const socfeed_yaml_node *list, kql_field *f) {
    if (!list || list->kind != SOCFEED_YAML_SEQUENCE) {
        fail(l, list, "'rewrite' must be a list of {from, to} or {from, refuse}");
        return false;
    }
    f->rewrites = arena_alloc(&l->t->a, (list->count + 1) * sizeof *f->rewrites);
    for (size_t i = 0; i < list->count; i++) {
        const socfeed_yaml_node *e = list->items[i];
        const socfeed_yaml_node *from = e ? yaml_map_get(e, "from") : NULL, *to = e ? yaml_map_get(e, "to") : NULL,
                                *refuse = e ? yaml_map_get(e, "refuse") : NULL;
        if (!e || e->kind != SOCFEED_YAML_MAPPING || !is_scalar(from) || !from->len || (!is_scalar(to) == !is_scalar(refuse))) {
            fail(l, e, "a rewrite needs a non-empty 'from' and exactly one of 'to' or 'refuse'");
            return false;
        }
        kql_rewrite *rw = &f->rewrites[f->nrewrites++];
        rw->from = scalar(l, from, "from");
        if (is_scalar(to)) rw->to = scalar(l, to, "to");
        else rw->refuse = scalar(l, refuse, "refuse");
    }
    return true;
}

static bool load_entities(loader *l, const socfeed_yaml_node *list, socfeed_kql_entity **out, size_t *n) {
    if (!list || list->kind != SOCFEED_YAML_SEQUENCE) {
        fail(l, list, "'entities' must be a list of {type, identifier, column}");
        return false;
    }
    *out = arena_alloc(&l->t->a, (list->count + 1) * sizeof **out);
    *n = 0;
    for (size_t i = 0; i < list->count; i++) {
        const socfeed_yaml_node *e = list->items[i];
        if (!e || e->kind != SOCFEED_YAML_MAPPING) {
            fail(l, e, "an entity must be a map {type, identifier, column}");
            return false;
        }
        socfeed_kql_entity *en = &(*out)[(*n)++];
        if (!(en->type = scalar(l, yaml_map_get(e, "type"), "entity 'type'")) ||
            !(en->identifier = scalar(l, yaml_map_get(e, "identifier"), "entity 'identifier'")) ||
            !(en->column = ident(l, yaml_map_get(e, "column"), "entity column")))
            return false;
    }
    return true;
}

static const char *render_guard(loader *l, const socfeed_yaml_node *name) {
    if (!is_scalar(name)) {
        fail(l, name, "'when' must name a guard");
        return NULL;
    }
    const socfeed_yaml_node *g = l->guards ? yaml_map_get(l->guards, name->text) : NULL;
    if (!g) {
        fail(l, name, "unknown guard '%s'", name->text);
        return NULL;
    }
    return render_conditions(l, g, true);
}

/* `fn(…)` whose closing parenthesis ends the text: already a primary expression, so it needs no
 * extra parentheses on the left of an operator. Quotes are skipped when counting. */
static bool is_single_call(const char *e) {
    size_t i = 0;
    while ((e[i] >= 'a' && e[i] <= 'z') || (e[i] >= 'A' && e[i] <= 'Z') || e[i] == '_' || (i && e[i] >= '0' && e[i] <= '9')) i++;
    if (!i || e[i] != '(') return false;
    int depth = 0;
    char quote = 0;
    for (; e[i]; i++) {
        char c = e[i];
        if (quote) {
            if (c == '\\' && e[i + 1]) i++;
            else if (c == quote) quote = 0;
            continue;
        }
        if (c == '"' || c == '\'') quote = c;
        else if (c == '(') depth++;
        else if (c == ')' && --depth == 0) return e[i + 1] == 0;
    }
    return false;
}

static bool load_field(loader *l, const socfeed_yaml_node *key, const socfeed_yaml_node *v, kql_field *f) {
    memset(f, 0, sizeof *f);
    f->sigma = scalar(l, key, "a field name");
    if (!f->sigma) return false;
    const char *column = NULL;
    if (is_scalar(v)) {
        column = v->text;
    } else if (v && v->kind == SOCFEED_YAML_MAPPING) {
        const socfeed_yaml_node *n;
        if ((n = yaml_map_get(v, "type"))) {
            if (!is_scalar(n) || (strcmp(n->text, "string") && strcmp(n->text, "int") && strcmp(n->text, "long"))) {
                fail(l, n, "'type' must be string, int or long");
                return false;
            }
            f->type = !strcmp(n->text, "int") ? KT_INT : !strcmp(n->text, "long") ? KT_LONG : KT_STR;
        }
        if ((n = yaml_map_get(v, "hashes"))) {
            f->kind = KF_HASHES;
            if (!load_pairs(l, n, &f->hashes, &f->nhashes)) return false;
            for (size_t i = 0; i < f->nhashes; i++)
                if (!is_ident_path(f->hashes[i].value)) {
                    fail(l, n, "hash column '%s' is not a KQL name", f->hashes[i].value);
                    return false;
                }
        } else if ((n = yaml_map_get(v, "expr"))) {
            if (!is_scalar(n) || !n->len) {
                fail(l, n, "'expr' must be a KQL expression");
                return false;
            }
            if (!check_expr(l, n)) return false;
            f->kind = KF_EXPR;
            f->lhs = is_single_call(n->text) ? arena_strdup(&l->t->a, n->text) : NULL;
            if (!f->lhs) {
                size_t len = n->len + 3;
                char *lhs = arena_alloc(&l->t->a, len);
                snprintf(lhs, len, "(%s)", n->text);
                f->lhs = lhs;
            }
        } else if ((n = yaml_map_get(v, "column")) && is_scalar(n)) {
            column = n->text;
        } else {
            fail(l, v, "field '%s' needs 'column', 'expr' or 'hashes'", f->sigma);
            return false;
        }
        if ((n = yaml_map_get(v, "rewrite")) && !load_rewrites(l, n, f)) return false;
        if ((n = yaml_map_get(v, "value_map")) && !load_pairs(l, n, &f->value_map, &f->nvalue_map)) return false;
        if ((n = yaml_map_get(v, "value_map_strict"))) f->value_map_strict = n->type == SOCFEED_SCALAR_BOOL && n->bool_value;
        if ((n = yaml_map_get(v, "transform")) && !(f->transform = scalar(l, n, "transform"))) return false;
        if (f->transform && strcmp(f->transform, "sysmon_details_to_defender")) {
            fail(l, yaml_map_get(v, "transform"), "unknown transform '%s'", f->transform);
            return false;
        }
        if ((n = yaml_map_get(v, "when")) && !(f->guard = render_guard(l, n))) return false;
    } else {
        fail(l, v, "field '%s': expected a column name or a map", f->sigma);
        return false;
    }
    if (column) {
        if (!is_ident_path(column)) {
            fail(l, v, "field '%s': column '%s' is not a KQL name", f->sigma, column);
            return false;
        }
        f->kind = KF_COLUMN;
        strbuf sb;
        sb_init(&sb);
        put_column(&sb, column, f->type);
        f->lhs = arena_strndup(&l->t->a, sb.data, sb.len);
        sb_free(&sb);
    }
    return true;
}

/* Sets or replaces the field named f->sigma. The array is copied, never changed in place, so a
 * failed overlay leaves the entries it touched as they were. */
static void put_field(socfeed_kql_target *t, kql_logsource *ls, const kql_field *f) {
    kql_field *nf = arena_alloc(&t->a, (ls->nfields + 1) * sizeof *nf);
    if (ls->nfields) memcpy(nf, ls->fields, ls->nfields * sizeof *nf);
    ls->fields = nf;
    for (size_t i = 0; i < ls->nfields; i++)
        if (!strcmp(nf[i].sigma, f->sigma)) {
            nf[i] = *f;
            return;
        }
    nf[ls->nfields++] = *f;
}

static kql_logsource *find_entry(socfeed_kql_target *t, const char *id) {
    for (size_t i = 0; i < t->nentries; i++)
        if (!strcmp(t->entries[i].id, id)) return &t->entries[i];
    return NULL;
}

static bool load_entry(loader *l, const socfeed_yaml_node *e, bool overlay, kql_logsource **created) {
    socfeed_kql_target *t = l->t;
    if (!e || e->kind != SOCFEED_YAML_MAPPING) {
        fail(l, e, "a logsource entry must be a map");
        return false;
    }
    const char *id = scalar(l, yaml_map_get(e, "id") ? yaml_map_get(e, "id") : e, "'id'");
    if (!id) return false;
    kql_logsource *ls = overlay ? find_entry(t, id) : NULL;
    if (!ls) {
        ls = arena_alloc(&t->a, sizeof *ls);
        ls->id = id;
        *created = ls;
        if (!yaml_map_get(e, "match") || !yaml_map_get(e, "table") || !yaml_map_get(e, "fields")) {
            fail(l, e, "entry '%s' needs 'match', 'table' and 'fields'", id);
            return false;
        }
    }
    for (size_t i = 0; i < e->count; i++) {
        const socfeed_yaml_node *k = e->pairs[i].key, *v = e->pairs[i].value;
        if (!is_scalar(k)) continue;
        const char *key = k->text;
        if (!strcmp(key, "id") || !strcmp(key, "confidence")) {
            continue;
        } else if (!strcmp(key, "match")) {
            if (!v || v->kind != SOCFEED_YAML_MAPPING || !v->count) {
                fail(l, v, "'match' must be a non-empty map of product/category/service");
                return false;
            }
            ls->product = ls->category = ls->service = NULL;
            for (size_t j = 0; j < v->count; j++) {
                const char *mk = scalar(l, v->pairs[j].key, "a match key"), *mv = scalar(l, v->pairs[j].value, "a match value");
                if (!mk || !mv) return false;
                if (!strcmp(mk, "product")) ls->product = mv;
                else if (!strcmp(mk, "category")) ls->category = mv;
                else if (!strcmp(mk, "service")) ls->service = mv;
                else {
                    fail(l, v->pairs[j].key, "unknown match key '%s' (product, category, service)", mk);
                    return false;
                }
            }
        } else if (!strcmp(key, "table")) {
            if (!(ls->table = ident(l, v, "table"))) return false;
        } else if (!strcmp(key, "variant")) {
            if (!(ls->variant = scalar(l, v, "'variant'"))) return false;
        } else if (!strcmp(key, "entities")) {
            if (!load_entities(l, v, &ls->own_entities, &ls->nown_entities)) return false;
        } else if (!strcmp(key, "keyword_field")) {
            const char *kf = ident(l, v, "keyword_field");
            if (!kf) return false;
            strbuf sb;
            sb_init(&sb);
            put_column(&sb, kf, KT_STR); /* a property of a dynamic column is searched as text */
            ls->keyword_field = arena_strndup(&t->a, sb.data, sb.len);
            sb_free(&sb);
        } else if (!strcmp(key, "where")) {
            ls->where = render_conditions(l, v, false);
            if (l->failed) return false;
        } else if (!strcmp(key, "fields") || !strcmp(key, "unmapped")) {
            if (!v || (v->kind != SOCFEED_YAML_MAPPING && !(is_scalar(v) && v->type == SOCFEED_SCALAR_NULL))) {
                fail(l, v, "'%s' must be a map", key);
                return false;
            }
            bool unmapped = key[0] == 'u';
            for (size_t j = 0; v->kind == SOCFEED_YAML_MAPPING && j < v->count; j++) {
                kql_field f;
                if (unmapped) {
                    memset(&f, 0, sizeof f);
                    f.kind = KF_UNMAPPED;
                    if (!(f.sigma = scalar(l, v->pairs[j].key, "a field name")) ||
                        !(f.reason = scalar(l, v->pairs[j].value, "a reason")))
                        return false;
                } else if (!load_field(l, v->pairs[j].key, v->pairs[j].value, &f)) {
                    return false;
                }
                put_field(t, ls, &f);
            }
        } else {
            fail(l, k, "unknown key '%s' in logsource entry '%s'", key, id);
            return false;
        }
    }
    return true;
}

/* An entry's entities: its own rows, then the target defaults of another type/identifier. */
static void merge_entities(socfeed_kql_target *t, kql_logsource *ls) {
    ls->entities = arena_alloc(&t->a, (ls->nown_entities + t->ndefault_entities + 1) * sizeof *ls->entities);
    ls->nentities = 0;
    for (size_t i = 0; i < ls->nown_entities; i++) ls->entities[ls->nentities++] = ls->own_entities[i];
    for (size_t i = 0; i < t->ndefault_entities; i++) {
        const socfeed_kql_entity *d = &t->default_entities[i];
        bool dup = false;
        for (size_t k = 0; k < ls->nown_entities; k++)
            dup |= !strcmp(ls->own_entities[k].type, d->type) && !strcmp(ls->own_entities[k].identifier, d->identifier);
        if (!dup) ls->entities[ls->nentities++] = *d;
    }
}

static int load_buffer(socfeed_kql_target *t, const char *file, const char *data, size_t len, bool overlay,
                       socfeed_diags *diags) {
    arena tmp;
    arena_init(&tmp);
    yaml_document_info *docs = NULL;
    int had_error = 0;
    size_t ndocs = yaml_parse_documents(file, data, len, NULL, &tmp, diags, &docs, &had_error);
    loader l = {.t = t, .file = file, .diags = diags, .failed = had_error != 0};
    const socfeed_yaml_node *root = ndocs ? docs[0].root : NULL;
    if (!l.failed && (!root || root->kind != SOCFEED_YAML_MAPPING || ndocs != 1)) fail(&l, root, "a mapping file is one YAML map");
    const socfeed_yaml_node *target = l.failed ? NULL : yaml_map_get(root, "target");
    if (!l.failed && is_scalar(target) && strcmp(target->text, t->name))
        fail(&l, target, "this mapping is for target '%s', not '%s'", target->text, t->name);
    const socfeed_yaml_node *list = l.failed ? NULL : yaml_map_get(root, "logsources");
    if (!l.failed && (!list || list->kind != SOCFEED_YAML_SEQUENCE)) fail(&l, root, "'logsources' must be a list");
    if (!l.failed) l.guards = yaml_map_get(root, "guards");
    /* Log Analytics tables keep event time in TimeGenerated; Defender XDR's Device* tables in Timestamp. */
    const socfeed_yaml_node *time_column = l.failed ? NULL : yaml_map_get(root, "time_column");
    const char *time_name = time_column ? ident(&l, time_column, "'time_column'") : NULL;
    const socfeed_yaml_node *defaults = l.failed ? NULL : yaml_map_get(root, "entities");
    socfeed_kql_entity *saved_defaults = t->default_entities;
    size_t saved_ndefaults = t->ndefault_entities;
    if (defaults) load_entities(&l, defaults, &t->default_entities, &t->ndefault_entities);
    /* Work on a copy of the entry table so a failed overlay leaves the target unchanged. */
    size_t n0 = t->nentries;
    kql_logsource *copy = xcalloc(n0 + (list ? list->count : 0) + 1, sizeof *copy);
    if (n0) memcpy(copy, t->entries, n0 * sizeof *copy);
    kql_logsource *saved = t->entries;
    t->entries = copy;
    kql_logsource *fresh = xcalloc((list ? list->count : 0) + 1, sizeof *fresh);
    size_t nfresh = 0;
    for (size_t i = 0; !l.failed && list && i < list->count; i++) {
        kql_logsource *created = NULL;
        if (load_entry(&l, list->items[i], overlay, &created) && created) fresh[nfresh++] = *created;
    }
    if (!l.failed) {
        /* New entries of an overlay are tried first; the built-in file keeps its order. */
        kql_logsource *all = arena_alloc(&t->a, (n0 + nfresh + 1) * sizeof *all);
        if (overlay) {
            memcpy(all, fresh, nfresh * sizeof *all);
            if (n0) memcpy(all + nfresh, copy, n0 * sizeof *all);
        } else {
            if (n0) memcpy(all, copy, n0 * sizeof *all);
            memcpy(all + n0, fresh, nfresh * sizeof *all);
        }
        t->entries = all;
        t->nentries = n0 + nfresh;
        if (time_name) t->time_column = time_name;
        for (size_t i = 0; i < t->nentries; i++) merge_entities(t, &t->entries[i]);
    } else {
        t->entries = saved;
        t->default_entities = saved_defaults;
        t->ndefault_entities = saved_ndefaults;
    }
    free(copy);
    free(fresh);
    arena_free(&tmp);
    return l.failed ? -1 : 0;
}

socfeed_kql_target *socfeed_kql_target_new(const char *name, socfeed_diags *diags) {
    size_t i = 0;
    while (target_names[i] && strcmp(target_names[i], name)) i++;
    if (!target_names[i]) {
        socfeed_diag_add(diags, SOCFEED_ERROR, name, (socfeed_pos){0, 0}, "kql-target",
                         "unknown target '%s' (sentinel-asim, defender-xdr, azure-monitor)", name);
        return NULL;
    }
    char path[64];
    snprintf(path, sizeof path, "targets/%s.yml", name);
    const socfeed_embedded_file *f = socfeed_embedded_get(path);
    socfeed_kql_target *t = xcalloc(1, sizeof *t);
    arena_init(&t->a);
    t->name = target_names[i];
    t->time_column = "TimeGenerated";
    if (!f || load_buffer(t, path, (const char *)f->data, f->len, false, diags)) {
        if (!f) socfeed_diag_add(diags, SOCFEED_ERROR, path, (socfeed_pos){0, 0}, "kql-target", "mapping not embedded");
        socfeed_kql_target_free(t);
        return NULL;
    }
    return t;
}

int socfeed_kql_target_add_mapping(socfeed_kql_target *t, const char *path, socfeed_diags *diags) {
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        socfeed_diag_add(diags, SOCFEED_ERROR, path, (socfeed_pos){0, 0}, "io", "cannot open mapping file");
        return -1;
    }
    strbuf sb;
    sb_init(&sb);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
        if (sb.len + n > (64u << 20)) {
            fclose(fp);
            sb_free(&sb);
            socfeed_diag_add(diags, SOCFEED_ERROR, path, (socfeed_pos){0, 0}, "io", "mapping file larger than 64 MiB");
            return -1;
        }
        sb_append(&sb, buf, n);
    }
    bool read_error = ferror(fp);
    fclose(fp);
    if (read_error) {
        sb_free(&sb);
        socfeed_diag_add(diags, SOCFEED_ERROR, path, (socfeed_pos){0, 0}, "io", "read error");
        return -1;
    }
    /* The loader's strings live in the target's arena; the file text can go afterwards. */
    int rc = load_buffer(t, path, sb.data ? sb.data : "", sb.len, true, diags);
    sb_free(&sb);
    return rc;
}

int socfeed_kql_target_add_mapping_buffer(socfeed_kql_target *t, const char *name, const char *data, size_t len,
                                          socfeed_diags *diags) {
    return load_buffer(t, name, data, len, true, diags);
}

void socfeed_kql_target_set_variant(socfeed_kql_target *t, const char *variant) { t->variant = variant; }

const char *socfeed_kql_target_name(const socfeed_kql_target *t) { return t->name; }

void socfeed_kql_target_free(socfeed_kql_target *t) {
    if (!t) return;
    arena_free(&t->a);
    free(t);
}

static bool match_key(const char *want, const socfeed_text *have) { return !want || (have->s && !strcmp(want, have->s)); }

/* Entries of the selected variant come first (that is what selecting it means), then the entries
 * without a variant; within each group the first match in file order wins. */
const kql_logsource *kql_find_logsource(const socfeed_kql_target *t, const socfeed_rule *rule) {
    const socfeed_logsource *lsrc = &rule->logsource;
    for (size_t k = 0; k < 2 * t->nentries; k++) {
        bool variant_pass = k < t->nentries;
        const kql_logsource *e = &t->entries[k % t->nentries];
        if (variant_pass ? !e->variant || !t->variant || strcmp(e->variant, t->variant) : e->variant != NULL) continue;
        /* A rule key the entry does not name must be absent too, except `definition` (free text):
         * otherwise windows/process_creation would also catch windows/service=x/process_creation. */
        if (!match_key(e->product, &lsrc->product) || !match_key(e->category, &lsrc->category) ||
            !match_key(e->service, &lsrc->service))
            continue;
        if ((!e->product && lsrc->product.s) || (!e->category && lsrc->category.s) || (!e->service && lsrc->service.s))
            continue;
        return e;
    }
    return NULL;
}

const kql_field *kql_find_field(const kql_logsource *ls, const char *sigma) {
    for (size_t i = 0; i < ls->nfields; i++)
        if (!strcmp(ls->fields[i].sigma, sigma)) return &ls->fields[i];
    return NULL;
}
