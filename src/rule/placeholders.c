/* placeholders.c — values for `%name%` placeholders (|expand), read from a user's YAML file:
 *   Administrators: ['Administrator', 'admin*']
 *   DomainControllers: DC01
 * Values are Sigma strings (wildcards allowed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule/parse_ctx.h"
#include "rule/yaml_tree.h"
#include "util/file_read.h"
#include "util/xalloc.h"

struct placeholder_set {
    arena a;
    const socfeed_yaml_node *map;
    char *file;
};

placeholder_set *placeholder_set_load(const char *path, socfeed_diags *diags) {
    size_t len;
    char *data = file_read_all(path, &len);
    if (!data) {
        socfeed_diag_add(diags, SOCFEED_ERROR, path, (socfeed_pos){0, 0}, "io", "cannot read the placeholder file");
        return NULL;
    }
    placeholder_set *ps = xcalloc(1, sizeof *ps);
    arena_init(&ps->a);
    ps->file = xstrdup(path);
    yaml_document_info *docs;
    int had_error;
    size_t n = yaml_parse_documents(path, data, len, NULL, &ps->a, diags, &docs, &had_error);
    free(data);
    if (had_error || n != 1 || !docs[0].root || docs[0].root->kind != SOCFEED_YAML_MAPPING) {
        if (!had_error)
            socfeed_diag_add(diags, SOCFEED_ERROR, path, (socfeed_pos){1, 1}, "placeholders",
                             "the placeholder file must be one YAML map {name: value or [values]}");
        placeholder_set_free(ps);
        return NULL;
    }
    const socfeed_yaml_node *map = docs[0].root;
    bool ok = true;
    for (size_t i = 0; i < map->count; i++) {
        const socfeed_yaml_node *v = map->pairs[i].value;
        bool valid = v->kind == SOCFEED_YAML_SCALAR;
        if (v->kind == SOCFEED_YAML_SEQUENCE) {
            valid = v->count > 0;
            for (size_t j = 0; j < v->count; j++) valid &= v->items[j]->kind == SOCFEED_YAML_SCALAR;
        }
        if (!valid) {
            socfeed_diag_add(diags, SOCFEED_ERROR, path, v->pos, "placeholders",
                             "placeholder '%s' must be a string or a non-empty list of strings", map->pairs[i].key->text);
            ok = false;
        }
    }
    if (!ok) {
        placeholder_set_free(ps);
        return NULL;
    }
    ps->map = map;
    return ps;
}

void placeholder_set_free(placeholder_set *ps) {
    if (!ps) return;
    arena_free(&ps->a);
    free(ps->file);
    free(ps);
}

const socfeed_yaml_node *placeholder_values(const placeholder_set *ps, const char *name) {
    return ps ? yaml_map_get(ps->map, name) : NULL;
}
