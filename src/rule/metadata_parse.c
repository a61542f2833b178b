/* metadata_parse.c — the top-level fields every Sigma document shares (title, id, status, tags,
 * logsource, …), with the schema checks of spec 2.1; unknown keys are kept verbatim. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rule/parse_ctx.h"
#include "rule/yaml_tree.h"

enum { MAX_TITLE = 256, MAX_DESCRIPTION = 65535 };

socfeed_text ctx_text(parse_ctx *ctx, const socfeed_yaml_node *n, const char *field) {
    socfeed_text t = {NULL, n ? n->pos : (socfeed_pos){0, 0}};
    if (!n) return t;
    if (n->kind != SOCFEED_YAML_SCALAR) {
        CTX_ERROR(ctx, n->pos, "schema-type", "'%s' must be a string, not %s", field, yaml_kind_name(n));
        return t;
    }
    if (n->type == SOCFEED_SCALAR_NULL) return t;
    t.s = n->text;
    return t;
}

socfeed_text_list ctx_text_list(parse_ctx *ctx, const socfeed_yaml_node *key, const socfeed_yaml_node *n,
                                const char *field, bool scalar_ok) {
    socfeed_text_list l = {0};
    if (!n) return l;
    l.pos = key ? key->pos : n->pos;
    if (n->kind == SOCFEED_YAML_SCALAR) {
        if (n->type == SOCFEED_SCALAR_NULL) return l;
        if (!scalar_ok)
            CTX_WARN(ctx, n->pos, "schema-type", "'%s' should be a list; read as a list of one", field);
        l.items = arena_alloc(ctx->a, sizeof *l.items);
        l.items[0] = (socfeed_text){n->text, n->pos};
        l.count = 1;
        return l;
    }
    if (n->kind != SOCFEED_YAML_SEQUENCE) {
        CTX_ERROR(ctx, n->pos, "schema-type", "'%s' must be a list, not %s", field, yaml_kind_name(n));
        return l;
    }
    l.items = arena_alloc(ctx->a, (n->count ? n->count : 1) * sizeof *l.items);
    for (size_t i = 0; i < n->count; i++) {
        const socfeed_yaml_node *e = n->items[i];
        if (e->kind != SOCFEED_YAML_SCALAR || e->type == SOCFEED_SCALAR_NULL) {
            CTX_ERROR(ctx, e->pos, "schema-type", "each entry of '%s' must be a string, not %s", field, yaml_kind_name(e));
            continue;
        }
        l.items[l.count++] = (socfeed_text){e->text, e->pos};
    }
    return l;
}

static bool is_uuid(const char *s) {
    static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    if (strlen(s) != sizeof shape - 1) return false;
    for (size_t i = 0; shape[i]; i++) {
        if (shape[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i])) return false;
    }
    return true;
}

static void check_uuid(parse_ctx *ctx, socfeed_text t, const char *field) {
    if (t.s && !is_uuid(t.s)) CTX_ERROR(ctx, t.pos, "schema-uuid", "'%s' must be a UUID, not '%s'", field, t.s);
}

static bool is_date(const char *s) {
    return strlen(s) == 10 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
           isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-' &&
           isdigit((unsigned char)s[5]) && isdigit((unsigned char)s[6]) && s[7] == '-' &&
           isdigit((unsigned char)s[8]) && isdigit((unsigned char)s[9]) &&
           (s[5] - '0') * 10 + (s[6] - '0') >= 1 && (s[5] - '0') * 10 + (s[6] - '0') <= 12 &&
           (s[8] - '0') * 10 + (s[9] - '0') >= 1 && (s[8] - '0') * 10 + (s[9] - '0') <= 31;
}

static bool is_v1_date(const char *s) {
    /* YYYY/M/D, as pySigma still accepts */
    int y, m, d;
    char tail;
    return sscanf(s, "%4d/%2d/%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static void check_date(parse_ctx *ctx, socfeed_text t, const char *field) {
    if (!t.s || is_date(t.s)) return;
    if (is_v1_date(t.s))
        CTX_WARN(ctx, t.pos, "schema-date", "'%s' uses the Sigma v1 form '%s'; write YYYY-MM-DD", field, t.s);
    else CTX_ERROR(ctx, t.pos, "schema-date", "'%s' must be a date YYYY-MM-DD, not '%s'", field, t.s);
}

static bool tag_char(char c, bool dot_ok) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || (dot_ok && c == '.');
}

static void check_tag(parse_ctx *ctx, socfeed_text t) {
    const char *dot = strchr(t.s, '.');
    if (!dot || dot == t.s || !dot[1]) {
        CTX_ERROR(ctx, t.pos, "schema-tag", "tag '%s' must have the form namespace.name", t.s);
        return;
    }
    for (const char *p = t.s; *p; p++) {
        if (p != dot && !tag_char(*p, p > dot)) {
            CTX_WARN(ctx, t.pos, "schema-tag", "tag '%s' does not match ^[a-z0-9_-]+\\.[a-z0-9._-]+$", t.s);
            return;
        }
    }
}

static int enum_index(const char *s, const char *const *names) {
    for (int i = 1; names[i]; i++)
        if (!strcasecmp(s, names[i])) return i;
    return 0;
}

static const char *const status_names[] = {"", "stable", "test", "experimental", "deprecated", "unsupported", NULL};
static const char *const level_names[] = {"", "informational", "low", "medium", "high", "critical", NULL};

const char *socfeed_status_name(socfeed_status s) { return s <= SOCFEED_STATUS_UNSUPPORTED ? status_names[s] : ""; }
const char *socfeed_level_name(socfeed_level l) { return l <= SOCFEED_LEVEL_CRITICAL ? level_names[l] : ""; }

static void parse_related(parse_ctx *ctx, const socfeed_yaml_node *n, socfeed_rule *rule) {
    static const char *const types[] = {"derived", "obsolete", "merged", "renamed", "similar", "correlation", NULL};
    if (n->kind == SOCFEED_YAML_SCALAR && n->type == SOCFEED_SCALAR_NULL) return;
    if (n->kind != SOCFEED_YAML_SEQUENCE) {
        CTX_ERROR(ctx, n->pos, "schema-type", "'related' must be a list of {id, type}");
        return;
    }
    rule->nrelated = 0; /* a duplicated key is parsed again: start over, never append */
    rule->related = arena_alloc(ctx->a, (n->count ? n->count : 1) * sizeof *rule->related);
    for (size_t i = 0; i < n->count; i++) {
        const socfeed_yaml_node *e = n->items[i];
        if (e->kind != SOCFEED_YAML_MAPPING) {
            CTX_ERROR(ctx, e->pos, "schema-type", "each 'related' entry must be a map {id, type}");
            continue;
        }
        socfeed_related r = {ctx_text(ctx, yaml_map_get(e, "id"), "related.id"),
                             ctx_text(ctx, yaml_map_get(e, "type"), "related.type")};
        if (!r.id.s) CTX_ERROR(ctx, e->pos, "schema-required", "'related' entry without 'id'");
        else check_uuid(ctx, r.id, "related.id");
        if (!r.type.s) CTX_ERROR(ctx, e->pos, "schema-required", "'related' entry without 'type'");
        else {
            bool known = false;
            for (size_t k = 0; types[k]; k++) known |= !strcmp(types[k], r.type.s);
            if (!known)
                CTX_ERROR(ctx, r.type.pos, "schema-enum",
                          "related type '%s' is not one of derived, obsolete, merged, renamed, similar", r.type.s);
        }
        rule->related[rule->nrelated++] = r;
    }
}

static void parse_logsource(parse_ctx *ctx, const socfeed_yaml_node *n, socfeed_logsource *ls) {
    ls->pos = n->pos;
    if (n->kind != SOCFEED_YAML_MAPPING) {
        CTX_ERROR(ctx, n->pos, "schema-type", "'logsource' must be a map, not %s", yaml_kind_name(n));
        return;
    }
    /* A duplicated 'logsource' key (already reported) reaches here twice: start over each time so
     * the custom list never outgrows the array sized for this map. */
    ls->ncustom = 0;
    ls->custom = arena_alloc(ctx->a, (n->count ? n->count : 1) * sizeof *ls->custom);
    for (size_t i = 0; i < n->count; i++) {
        const socfeed_yaml_node *k = n->pairs[i].key, *v = n->pairs[i].value;
        const char *name = k->kind == SOCFEED_YAML_SCALAR ? k->text : "";
        socfeed_text *slot = !strcmp(name, "category") ? &ls->category
                           : !strcmp(name, "product") ? &ls->product
                           : !strcmp(name, "service") ? &ls->service
                           : !strcmp(name, "definition") ? &ls->definition : NULL;
        if (slot) *slot = ctx_text(ctx, v, name);
        else ls->custom[ls->ncustom++] = n->pairs[i];
    }
    if (!ls->category.s && !ls->product.s && !ls->service.s)
        CTX_ERROR(ctx, n->pos, "logsource-empty", "'logsource' needs at least one of category, product, service");
}

/* Keys with a meaning of their own, per document kind; others are custom fields. */
static bool is_known_key(const char *k, socfeed_doc_kind kind) {
    static const char *const common[] = {"title", "id", "name", "related", "taxonomy", "status", "description",
                                         "license", "author", "references", "date", "modified", "tags",
                                         "logsource", "fields", "falsepositives", "level", "scope", NULL};
    for (size_t i = 0; common[i]; i++)
        if (!strcmp(common[i], k)) return true;
    return (kind == SOCFEED_DOC_RULE && !strcmp(k, "detection")) ||
           (kind == SOCFEED_DOC_CORRELATION && (!strcmp(k, "correlation") || !strcmp(k, "generate"))) ||
           (kind == SOCFEED_DOC_FILTER && !strcmp(k, "filter"));
}

void parse_metadata(parse_ctx *ctx, const socfeed_yaml_node *root, socfeed_rule *rule) {
    const socfeed_yaml_node *n;
    rule->title = ctx_text(ctx, yaml_map_get(root, "title"), "title");
    if (!rule->title.s) CTX_ERROR(ctx, root->pos, "schema-required", "'title' is required");
    else if (strlen(rule->title.s) > MAX_TITLE)
        CTX_ERROR(ctx, rule->title.pos, "schema-length", "'title' is longer than %d characters", MAX_TITLE);
    rule->id = ctx_text(ctx, yaml_map_get(root, "id"), "id");
    check_uuid(ctx, rule->id, "id");
    rule->name = ctx_text(ctx, yaml_map_get(root, "name"), "name");
    if (rule->name.s && !rule->name.s[0]) CTX_ERROR(ctx, rule->name.pos, "schema-name", "'name' must not be empty");
    rule->taxonomy = ctx_text(ctx, yaml_map_get(root, "taxonomy"), "taxonomy");
    rule->description = ctx_text(ctx, yaml_map_get(root, "description"), "description");
    if (rule->description.s && strlen(rule->description.s) > MAX_DESCRIPTION)
        CTX_ERROR(ctx, rule->description.pos, "schema-length", "'description' is longer than %d characters",
                  MAX_DESCRIPTION);
    rule->license = ctx_text(ctx, yaml_map_get(root, "license"), "license");
    rule->author = ctx_text(ctx, yaml_map_get(root, "author"), "author");
    rule->date = ctx_text(ctx, yaml_map_get(root, "date"), "date");
    check_date(ctx, rule->date, "date");
    rule->modified = ctx_text(ctx, yaml_map_get(root, "modified"), "modified");
    check_date(ctx, rule->modified, "modified");
    if ((n = yaml_map_get(root, "status"))) {
        socfeed_text t = ctx_text(ctx, n, "status");
        rule->status_pos = n->pos;
        if (t.s && !(rule->status = (socfeed_status)enum_index(t.s, status_names)))
            CTX_ERROR(ctx, n->pos, "schema-enum",
                      "status '%s' is not one of stable, test, experimental, deprecated, unsupported", t.s);
    }
    if ((n = yaml_map_get(root, "level"))) {
        socfeed_text t = ctx_text(ctx, n, "level");
        rule->level_pos = n->pos;
        if (t.s && !(rule->level = (socfeed_level)enum_index(t.s, level_names)))
            CTX_ERROR(ctx, n->pos, "schema-enum",
                      "level '%s' is not one of informational, low, medium, high, critical", t.s);
    }
    if ((n = yaml_map_get(root, "related"))) parse_related(ctx, n, rule);
    for (size_t i = 0; i < root->count; i++) {
        const socfeed_yaml_node *k = root->pairs[i].key, *v = root->pairs[i].value;
        if (k->kind != SOCFEED_YAML_SCALAR) continue;
        if (!strcmp(k->text, "references")) rule->references = ctx_text_list(ctx, k, v, "references", false);
        else if (!strcmp(k->text, "tags")) rule->tags = ctx_text_list(ctx, k, v, "tags", false);
        else if (!strcmp(k->text, "fields")) rule->fields = ctx_text_list(ctx, k, v, "fields", false);
        else if (!strcmp(k->text, "falsepositives")) rule->falsepositives = ctx_text_list(ctx, k, v, "falsepositives", false);
        else if (!strcmp(k->text, "scope")) rule->scope = ctx_text_list(ctx, k, v, "scope", false);
        else if (!strcmp(k->text, "logsource")) parse_logsource(ctx, v, &rule->logsource);
    }
    for (size_t i = 0; i < rule->tags.count; i++) check_tag(ctx, rule->tags.items[i]);
    rule->custom = arena_alloc(ctx->a, (root->count ? root->count : 1) * sizeof *rule->custom);
    for (size_t i = 0; i < root->count; i++) {
        const socfeed_yaml_node *k = root->pairs[i].key;
        if (k->kind == SOCFEED_YAML_SCALAR && is_known_key(k->text, rule->kind)) continue;
        rule->custom[rule->ncustom++] = root->pairs[i];
        if (k->kind == SOCFEED_YAML_SCALAR && !strcmp(k->text, "regression_tests_path"))
            rule->regression_tests_path = ctx_text(ctx, root->pairs[i].value, "regression_tests_path");
    }
}
