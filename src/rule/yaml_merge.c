/* yaml_merge.c — see yaml_merge() in yaml_tree.h. Only Sigma v1 multi-document files need it. */
#include <string.h>

#include "rule/yaml_tree.h"

static bool same_key(const socfeed_yaml_node *a, const socfeed_yaml_node *b) {
    return a->kind == SOCFEED_YAML_SCALAR && b->kind == SOCFEED_YAML_SCALAR && a->len == b->len &&
           !memcmp(a->text, b->text, a->len);
}

static bool is_dropped(const socfeed_yaml_node *key, const char *drop_key) {
    return drop_key && key->kind == SOCFEED_YAML_SCALAR && !strcmp(key->text, drop_key);
}

socfeed_yaml_node *yaml_merge(arena *a, const socfeed_yaml_node *base, const socfeed_yaml_node *over,
                              const char *drop_key) {
    if (!base || base->kind != SOCFEED_YAML_MAPPING || !over || over->kind != SOCFEED_YAML_MAPPING) {
        if (!over || over->kind != SOCFEED_YAML_MAPPING || !drop_key)
            return (socfeed_yaml_node *)(over ? over : base);
        base = NULL; /* only drop the key from `over` */
    }
    size_t nbase = base ? base->count : 0;
    socfeed_yaml_node *out = arena_alloc(a, sizeof *out);
    *out = *over;
    out->pairs = arena_alloc(a, (nbase + over->count + 1) * sizeof *out->pairs);
    out->count = 0;
    for (size_t i = 0; i < nbase; i++) {
        if (is_dropped(base->pairs[i].key, drop_key)) continue;
        socfeed_yaml_pair p = base->pairs[i];
        for (size_t j = 0; j < over->count; j++)
            if (same_key(p.key, over->pairs[j].key)) p.value = yaml_merge(a, p.value, over->pairs[j].value, NULL);
        out->pairs[out->count++] = p;
    }
    for (size_t j = 0; j < over->count; j++) {
        if (is_dropped(over->pairs[j].key, drop_key)) continue;
        bool in_base = false;
        for (size_t i = 0; i < nbase; i++) in_base |= same_key(base->pairs[i].key, over->pairs[j].key);
        if (!in_base) out->pairs[out->count++] = over->pairs[j];
    }
    return out;
}
