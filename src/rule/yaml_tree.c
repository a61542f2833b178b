/* yaml_tree.c — see yaml_tree.h. */
#include "rule/yaml_tree.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/xalloc.h"

typedef struct anchor {
    const char *name;
    socfeed_yaml_node *node;
    size_t expanded; /* node count of the subtree, aliases counted as what they stand for */
} anchor;

typedef struct builder {
    const char *file;
    const yaml_limits *lim;
    arena *a;
    socfeed_diags *diags;
    const char *data; /* the input, to explain errors (a tab where indentation was expected) */
    size_t len;
    yaml_parser_t parser;
    anchor *anchors;
    size_t nanchors, capanchors;
    int failed;
} builder;

static socfeed_pos mark_pos(yaml_mark_t m) {
    return (socfeed_pos){(uint32_t)m.line + 1, (uint32_t)m.column + 1};
}

static void report_parser_error(builder *b) {
    yaml_parser_t *p = &b->parser;
    socfeed_pos pos = mark_pos(p->problem_mark);
    const char *problem = p->problem ? p->problem : "invalid YAML";
    /* libyaml's wording for a tab in indentation puzzles most rule authors: say it plainly. */
    size_t at = p->problem_mark.index;
    if (b->data && at < b->len && b->data[at] == '\t') {
        socfeed_diag_add(b->diags, SOCFEED_ERROR, b->file, pos, "yaml-tab",
                         "tab character where YAML expects spaces (indent with spaces, not tabs)");
        b->failed = 1;
        return;
    }
    if (p->context)
        socfeed_diag_add(b->diags, SOCFEED_ERROR, b->file, pos, "yaml-syntax", "%s %s (line %zu)",
                         problem, p->context, (size_t)p->context_mark.line + 1);
    else
        socfeed_diag_add(b->diags, SOCFEED_ERROR, b->file, pos, "yaml-syntax", "%s", problem);
    b->failed = 1;
}

/* ---- YAML 1.1 scalar resolution (PyYAML's implicit resolvers) ---- */

static bool all_in(const char *s, size_t n, const char *set) {
    if (!n) return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr(set, s[i])) return false;
    return true;
}

static bool is_one_of(const char *s, const char *const *words) {
    for (; *words; words++)
        if (!strcmp(s, *words)) return true;
    return false;
}

static bool parse_int_digits(const char *s, size_t n, int base, int64_t *out) {
    uint64_t v = 0;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '_') continue;
        int d;
        if (s[i] >= '0' && s[i] <= '9') d = s[i] - '0';
        else if (s[i] >= 'a' && s[i] <= 'f') d = s[i] - 'a' + 10;
        else if (s[i] >= 'A' && s[i] <= 'F') d = s[i] - 'A' + 10;
        else return false;
        if (d >= base) return false;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) return false; /* overflow: keep as string */
        v = v * (uint64_t)base + (uint64_t)d;
        any = true;
    }
    if (!any || v > INT64_MAX) return false;
    *out = (int64_t)v;
    return true;
}

/* Base 60 ("1:20" = 80) as PyYAML: [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+ */
static bool parse_sexagesimal(const char *s, size_t n, int64_t *out) {
    if (!n || s[0] < '1' || s[0] > '9' || !memchr(s, ':', n)) return false;
    int64_t v = 0, part = 0;
    size_t i = 0, digits = 0;
    bool first = true;
    for (; i <= n; i++) {
        if (i == n || s[i] == ':') {
            if (!first && (digits == 0 || digits > 2 || part > 59)) return false;
            if (v > INT64_MAX / 60) return false;
            v = v * 60 + part;
            part = 0;
            digits = 0;
            first = false;
            continue;
        }
        if (s[i] == '_' && first) continue;
        if (!isdigit((unsigned char)s[i])) return false;
        if (part > INT64_MAX / 10) return false;
        part = part * 10 + (s[i] - '0');
        digits++;
    }
    *out = v;
    return true;
}

static bool resolve_int(const char *text, size_t n, int64_t *out, bool *yaml11_only) {
    const char *s = text;
    bool neg = false;
    if (n && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        s++;
        n--;
    }
    if (!n) return false;
    int64_t v;
    bool ok = false;
    *yaml11_only = true;
    if (n > 2 && s[0] == '0' && s[1] == 'b') ok = all_in(s + 2, n - 2, "01_") && parse_int_digits(s + 2, n - 2, 2, &v);
    else if (n > 2 && s[0] == '0' && s[1] == 'x') ok = all_in(s + 2, n - 2, "0123456789abcdefABCDEF_") && parse_int_digits(s + 2, n - 2, 16, &v);
    else if (n > 1 && s[0] == '0') ok = all_in(s + 1, n - 1, "01234567_") && parse_int_digits(s + 1, n - 1, 8, &v);
    else if (all_in(s, n, "0123456789_") && (s[0] != '_')) {
        ok = (n == 1 || s[0] != '0') && parse_int_digits(s, n, 10, &v);
        *yaml11_only = memchr(s, '_', n) != NULL;
    } else {
        ok = parse_sexagesimal(s, n, &v);
    }
    if (!ok) return false;
    *out = neg ? -v : v;
    return true;
}

/* PyYAML float: [-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?, base 60 floats, .inf, .nan */
static bool resolve_float(const char *s, size_t n, double *out) {
    static const char *const specials[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", NULL};
    static const char *const neg_inf[] = {"-.inf", "-.Inf", "-.INF", NULL};
    static const char *const nans[] = {".nan", ".NaN", ".NAN", NULL};
    if (is_one_of(s, specials)) { *out = INFINITY; return true; }
    if (is_one_of(s, neg_inf)) { *out = -INFINITY; return true; }
    if (is_one_of(s, nans)) { *out = NAN; return true; }
    size_t i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) i++;
    size_t int_start = i;
    while (i < n && (isdigit((unsigned char)s[i]) || s[i] == '_')) i++;
    if (i > int_start && s[int_start] == '_') return false;
    if (i >= n || s[i] != '.') return false;
    i++;
    while (i < n && (isdigit((unsigned char)s[i]) || s[i] == '_')) i++;
    if (i < n) {
        if (s[i] != 'e' && s[i] != 'E') return false;
        i++;
        if (i >= n || (s[i] != '-' && s[i] != '+')) return false;
        i++;
        size_t exp_start = i;
        while (i < n && isdigit((unsigned char)s[i])) i++;
        if (i == exp_start || i != n) return false;
    }
    char buf[128];
    size_t k = 0;
    for (size_t j = 0; j < n && k + 1 < sizeof buf; j++)
        if (s[j] != '_') buf[k++] = s[j];
    buf[k] = 0;
    errno = 0;
    *out = strtod(buf, NULL);
    return true;
}

static bool resolve_date(const char *s, size_t n) {
    /* [0-9]{4}-[0-9]{1,2}-[0-9]{1,2} optionally followed by a time part (PyYAML timestamp). */
    size_t i = 0;
    for (; i < 4; i++)
        if (i >= n || !isdigit((unsigned char)s[i])) return false;
    for (int part = 0; part < 2; part++) {
        if (i >= n || s[i] != '-') return false;
        i++;
        size_t start = i;
        while (i < n && isdigit((unsigned char)s[i]) && i - start < 2) i++;
        if (i == start) return false;
    }
    if (i == n) return true;
    return s[i] == 'T' || s[i] == 't' || s[i] == ' ' || s[i] == '\t';
}

void yaml_resolve_plain_scalar(socfeed_yaml_node *nd) {
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const trues[] = {"true", "True", "TRUE", NULL};
    static const char *const falses[] = {"false", "False", "FALSE", NULL};
    static const char *const yes11[] = {"yes", "Yes", "YES", "on", "On", "ON", NULL};
    static const char *const no11[] = {"no", "No", "NO", "off", "Off", "OFF", NULL};
    const char *s = nd->text;
    nd->type = SOCFEED_SCALAR_STRING;
    nd->yaml11_only = false;
    if (strlen(s) != nd->len) return; /* embedded NUL: only a string */
    if (is_one_of(s, nulls)) { nd->type = SOCFEED_SCALAR_NULL; return; }
    if (is_one_of(s, trues)) { nd->type = SOCFEED_SCALAR_BOOL; nd->bool_value = true; return; }
    if (is_one_of(s, falses)) { nd->type = SOCFEED_SCALAR_BOOL; nd->bool_value = false; return; }
    if (is_one_of(s, yes11)) { nd->type = SOCFEED_SCALAR_BOOL; nd->bool_value = true; nd->yaml11_only = true; return; }
    if (is_one_of(s, no11)) { nd->type = SOCFEED_SCALAR_BOOL; nd->bool_value = false; nd->yaml11_only = true; return; }
    bool y11;
    if (resolve_int(s, nd->len, &nd->int_value, &y11)) {
        nd->type = SOCFEED_SCALAR_INT;
        nd->float_value = (double)nd->int_value;
        nd->yaml11_only = y11;
        return;
    }
    if (resolve_float(s, nd->len, &nd->float_value)) { nd->type = SOCFEED_SCALAR_FLOAT; return; }
    if (resolve_date(s, nd->len)) nd->type = SOCFEED_SCALAR_DATE;
}

/* Explicit tags override resolution (`!!str 0x17` stays a string). */
static void apply_tag(socfeed_yaml_node *nd, const char *tag) {
    if (!tag) return;
    if (!strcmp(tag, YAML_STR_TAG)) nd->type = SOCFEED_SCALAR_STRING;
    else if (!strcmp(tag, YAML_NULL_TAG)) nd->type = SOCFEED_SCALAR_NULL;
    else if (!strcmp(tag, YAML_INT_TAG) || !strcmp(tag, YAML_FLOAT_TAG) || !strcmp(tag, YAML_BOOL_TAG)) {
        socfeed_scalar_type want = !strcmp(tag, YAML_INT_TAG) ? SOCFEED_SCALAR_INT
                                  : !strcmp(tag, YAML_FLOAT_TAG) ? SOCFEED_SCALAR_FLOAT
                                                                 : SOCFEED_SCALAR_BOOL;
        yaml_resolve_plain_scalar(nd);
        if (nd->type != want) nd->type = SOCFEED_SCALAR_STRING;
    }
}

/* ---- Tree building ---- */

typedef struct node_list {
    socfeed_yaml_node **items;
    size_t count, cap;
} node_list;

static void list_push(node_list *l, socfeed_yaml_node *n) {
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->count++] = n;
}

static void remember_anchor(builder *b, const char *name, socfeed_yaml_node *n, size_t expanded) {
    if (!name) return;
    if (b->nanchors == b->capanchors) {
        b->capanchors = b->capanchors ? b->capanchors * 2 : 8;
        b->anchors = xrealloc(b->anchors, b->capanchors * sizeof *b->anchors);
    }
    /* Later anchors with the same name shadow earlier ones, as in YAML. */
    b->anchors[b->nanchors++] = (anchor){arena_strdup(b->a, name), n, expanded};
}

static size_t sat_add(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

/* Parses one node starting with `ev` (already fetched). Returns NULL on error (reported).
 * *expanded receives the node count with aliases expanded, to bound alias bombs. */
static socfeed_yaml_node *build_node(builder *b, yaml_event_t *ev, unsigned depth, size_t *expanded);

static bool next_event(builder *b, yaml_event_t *ev) {
    if (!yaml_parser_parse(&b->parser, ev)) {
        report_parser_error(b);
        return false;
    }
    return true;
}


/* Sorting keeps the check O(n log n): a hostile file may hold a map with a million keys. */
static int by_key_then_position(const void *a, const void *b) {
    const socfeed_yaml_pair *x = a, *y = b;
    size_t n = x->key->len < y->key->len ? x->key->len : y->key->len;
    int c = memcmp(x->key->text, y->key->text, n);
    if (c) return c;
    if (x->key->len != y->key->len) return x->key->len < y->key->len ? -1 : 1;
    if (x->key->pos.line != y->key->pos.line) return x->key->pos.line < y->key->pos.line ? -1 : 1;
    return x->key->pos.col < y->key->pos.col ? -1 : x->key->pos.col > y->key->pos.col;
}

static void report_duplicate_keys(builder *b, const socfeed_yaml_node *map) {
    if (map->count < 2) return;
    socfeed_yaml_pair *sorted = xmalloc(map->count * sizeof *sorted);
    size_t n = 0;
    for (size_t i = 0; i < map->count; i++)
        if (map->pairs[i].key->kind == SOCFEED_YAML_SCALAR) sorted[n++] = map->pairs[i];
    qsort(sorted, n, sizeof *sorted, by_key_then_position);
    for (size_t i = 1; i < n; i++) {
        const socfeed_yaml_node *prev = sorted[i - 1].key, *k = sorted[i].key;
        if (prev->len == k->len && !memcmp(prev->text, k->text, k->len))
            socfeed_diag_add(b->diags, SOCFEED_ERROR, b->file, k->pos, "yaml-duplicate-key",
                             "duplicate key '%s' (first at line %u)", k->text, prev->pos.line);
    }
    free(sorted);
}

static socfeed_yaml_node *build_collection(builder *b, yaml_event_t *start, unsigned depth,
                                           size_t *expanded, bool is_map) {
    socfeed_yaml_node *n = arena_alloc(b->a, sizeof *n);
    n->kind = is_map ? SOCFEED_YAML_MAPPING : SOCFEED_YAML_SEQUENCE;
    n->pos = mark_pos(start->start_mark);
    n->text = "";
    char *anchor_name = NULL;
    const yaml_char_t *anc = is_map ? start->data.mapping_start.anchor : start->data.sequence_start.anchor;
    if (anc) anchor_name = xstrdup((const char *)anc);
    if (depth >= b->lim->max_depth) {
        socfeed_diag_add(b->diags, SOCFEED_ERROR, b->file, n->pos, "yaml-depth",
                         "nesting deeper than %u levels", b->lim->max_depth);
        free(anchor_name);
        b->failed = 1;
        return NULL;
    }
    node_list children = {0};
    size_t total = 1;
    yaml_event_type_t end = is_map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
    socfeed_yaml_node *result = NULL;
    for (;;) {
        yaml_event_t ev;
        if (!next_event(b, &ev)) goto done;
        if (ev.type == end) {
            yaml_event_delete(&ev);
            break;
        }
        size_t child_expanded = 0;
        socfeed_yaml_node *child = build_node(b, &ev, depth + 1, &child_expanded);
        yaml_event_delete(&ev);
        if (!child) goto done;
        total = sat_add(total, child_expanded);
        if (total > b->lim->max_expanded_nodes) {
            socfeed_diag_add(b->diags, SOCFEED_ERROR, b->file, n->pos, "yaml-too-large",
                             "document expands to more than %zu nodes (alias bomb?)",
                             b->lim->max_expanded_nodes);
            b->failed = 1;
            goto done;
        }
        list_push(&children, child);
    }
    if (is_map) {
        if (children.count % 2) goto done; /* cannot happen with a well-formed event stream */
        /* Every consumer may rely on map keys being scalars: Sigma has no use for `? [a]: b`
         * complex keys, so they are reported and left out here, once, for everyone. */
        n->pairs = arena_alloc(b->a, (children.count / 2 + 1) * sizeof *n->pairs);
        for (size_t i = 0; i < children.count / 2; i++) {
            socfeed_yaml_node *k = children.items[2 * i];
            if (k->kind != SOCFEED_YAML_SCALAR) {
                socfeed_diag_add(b->diags, SOCFEED_ERROR, b->file, k->pos, "yaml-complex-key",
                                 "a map key must be a plain value, not %s", yaml_kind_name(k));
                b->failed = 1;
                continue;
            }
            n->pairs[n->count++] = (socfeed_yaml_pair){k, children.items[2 * i + 1]};
        }
        report_duplicate_keys(b, n);
    } else {
        n->count = children.count;
        n->items = arena_alloc(b->a, n->count * sizeof *n->items);
        if (n->count) memcpy(n->items, children.items, n->count * sizeof *n->items);
    }
    remember_anchor(b, anchor_name, n, total);
    *expanded = total;
    result = n;
done:
    free(children.items);
    free(anchor_name);
    return result;
}

static socfeed_yaml_node *build_node(builder *b, yaml_event_t *ev, unsigned depth, size_t *expanded) {
    switch (ev->type) {
    case YAML_SCALAR_EVENT: {
        socfeed_yaml_node *n = arena_alloc(b->a, sizeof *n);
        n->kind = SOCFEED_YAML_SCALAR;
        n->pos = mark_pos(ev->start_mark);
        size_t len = ev->data.scalar.length;
        if (len > b->lim->max_scalar_bytes) {
            socfeed_diag_add(b->diags, SOCFEED_ERROR, b->file, n->pos, "yaml-value-too-long",
                             "value of %zu bytes exceeds the limit of %zu bytes", len,
                             b->lim->max_scalar_bytes);
            b->failed = 1;
            return NULL;
        }
        n->text = arena_strndup(b->a, (const char *)ev->data.scalar.value, len);
        n->len = len;
        switch (ev->data.scalar.style) {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: n->style = SOCFEED_STYLE_SINGLE_QUOTED; break;
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: n->style = SOCFEED_STYLE_DOUBLE_QUOTED; break;
        case YAML_LITERAL_SCALAR_STYLE: n->style = SOCFEED_STYLE_LITERAL; break;
        case YAML_FOLDED_SCALAR_STYLE: n->style = SOCFEED_STYLE_FOLDED; break;
        default: n->style = SOCFEED_STYLE_PLAIN; break;
        }
        n->type = SOCFEED_SCALAR_STRING;
        const char *tag = (const char *)ev->data.scalar.tag;
        if (n->style == SOCFEED_STYLE_PLAIN && !tag) yaml_resolve_plain_scalar(n);
        else apply_tag(n, tag);
        if (ev->data.scalar.anchor) remember_anchor(b, (const char *)ev->data.scalar.anchor, n, 1);
        *expanded = 1;
        return n;
    }
    case YAML_SEQUENCE_START_EVENT: return build_collection(b, ev, depth, expanded, false);
    case YAML_MAPPING_START_EVENT: return build_collection(b, ev, depth, expanded, true);
    case YAML_ALIAS_EVENT: {
        const char *name = (const char *)ev->data.alias.anchor;
        for (size_t i = b->nanchors; i-- > 0;) {
            if (!strcmp(b->anchors[i].name, name)) {
                *expanded = b->anchors[i].expanded;
                return b->anchors[i].node; /* shared, not copied: the tree is a DAG */
            }
        }
        socfeed_diag_add(b->diags, SOCFEED_ERROR, b->file, mark_pos(ev->start_mark), "yaml-alias",
                         "unknown alias '*%s'", name);
        b->failed = 1;
        return NULL;
    }
    default:
        socfeed_diag_add(b->diags, SOCFEED_ERROR, b->file, mark_pos(ev->start_mark), "yaml-syntax",
                         "unexpected YAML event");
        b->failed = 1;
        return NULL;
    }
}

size_t yaml_parse_documents(const char *file, const char *data, size_t len, const yaml_limits *lim_in,
                            arena *a, socfeed_diags *diags, yaml_document_info **docs_out,
                            int *had_error) {
    yaml_limits lim = {64, 1u << 20, 1000000};
    if (lim_in) {
        if (lim_in->max_depth) lim.max_depth = lim_in->max_depth;
        if (lim_in->max_scalar_bytes) lim.max_scalar_bytes = lim_in->max_scalar_bytes;
        if (lim_in->max_expanded_nodes) lim.max_expanded_nodes = lim_in->max_expanded_nodes;
    }
    builder b = {.file = file, .lim = &lim, .a = a, .diags = diags, .data = data, .len = len};
    *had_error = 0;
    *docs_out = NULL;
    if (!yaml_parser_initialize(&b.parser)) {
        socfeed_diag_add(diags, SOCFEED_ERROR, file, (socfeed_pos){0, 0}, "yaml-syntax",
                         "cannot initialise the YAML parser");
        *had_error = 1;
        return 0;
    }
    yaml_parser_set_input_string(&b.parser, (const unsigned char *)data, len);
    yaml_document_info *docs = NULL;
    size_t ndocs = 0, cap = 0;
    for (;;) {
        yaml_event_t ev;
        if (!next_event(&b, &ev)) break;
        yaml_event_type_t t = ev.type;
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (t != YAML_DOCUMENT_START_EVENT) {
            yaml_event_delete(&ev);
            continue; /* STREAM_START */
        }
        yaml_document_info info = {.start_offset = ev.start_mark.index, .pos = mark_pos(ev.start_mark)};
        yaml_event_delete(&ev);
        b.nanchors = 0; /* anchors are per document */
        if (!next_event(&b, &ev)) break;
        if (ev.type != YAML_DOCUMENT_END_EVENT) {
            size_t expanded = 0;
            info.root = build_node(&b, &ev, 0, &expanded);
            yaml_event_delete(&ev);
            if (!info.root) break;
            if (!next_event(&b, &ev)) break;
        }
        info.end_offset = ev.end_mark.index;
        yaml_event_delete(&ev);
        if (ndocs == cap) {
            cap = cap ? cap * 2 : 4;
            docs = xrealloc(docs, cap * sizeof *docs);
        }
        docs[ndocs++] = info;
    }
    yaml_parser_delete(&b.parser);
    free(b.anchors);
    if (ndocs) {
        *docs_out = arena_memdup(a, docs, ndocs * sizeof *docs);
    }
    free(docs);
    *had_error = b.failed;
    return ndocs;
}

const socfeed_yaml_node *yaml_map_get(const socfeed_yaml_node *map, const char *key) {
    if (!map || map->kind != SOCFEED_YAML_MAPPING) return NULL;
    for (size_t i = 0; i < map->count; i++) {
        const socfeed_yaml_node *k = map->pairs[i].key;
        if (k->kind == SOCFEED_YAML_SCALAR && !strcmp(k->text, key)) return map->pairs[i].value;
    }
    return NULL;
}

const char *yaml_kind_name(const socfeed_yaml_node *n) {
    if (!n) return "nothing";
    switch (n->kind) {
    case SOCFEED_YAML_SEQUENCE: return "a list";
    case SOCFEED_YAML_MAPPING: return "a map";
    default: break;
    }
    switch (n->type) {
    case SOCFEED_SCALAR_NULL: return "null";
    case SOCFEED_SCALAR_BOOL: return "a boolean";
    case SOCFEED_SCALAR_INT: return "an integer";
    case SOCFEED_SCALAR_FLOAT: return "a number";
    case SOCFEED_SCALAR_DATE: return "a date";
    default: return "a string";
    }
}
