/* yaml_tree.h — libyaml events → a tree of socfeed_yaml_node with positions, resolved as PyYAML
 * (YAML 1.1) resolves scalars, because pySigma reads rules with PyYAML.
 *
 * Guards: nesting depth, alias expansion size (YAML bombs), scalar length, duplicate keys.
 * Not for: anything Sigma-specific (see rule_parse.c). */
#ifndef SOCFEED_RULE_YAML_TREE_H
#define SOCFEED_RULE_YAML_TREE_H

#include <stddef.h>

#include "socfeed/diag.h"
#include "socfeed/rule.h"
#include "util/arena.h"

typedef struct yaml_document_info {
    socfeed_yaml_node *root; /* NULL for an empty document */
    size_t start_offset, end_offset; /* byte range of the document in the buffer */
    socfeed_pos pos;
} yaml_document_info;

typedef struct yaml_limits {
    unsigned max_depth;          /* default 64 */
    size_t max_scalar_bytes;     /* default 1 MiB */
    size_t max_expanded_nodes;   /* default 1,000,000 */
} yaml_limits;

/* Parses every document of `data`. Returns the number of documents stored in *docs (arena
 * memory). On a syntax error, reports it and returns the documents completed before it;
 * *had_error is set. */
size_t yaml_parse_documents(const char *file, const char *data, size_t len, const yaml_limits *lim,
                            arena *a, socfeed_diags *diags, yaml_document_info **docs,
                            int *had_error);

/* Resolves a plain scalar's text as PyYAML does (sets type and value fields of `n`). */
void yaml_resolve_plain_scalar(socfeed_yaml_node *n);

/* Mapping lookup by scalar key; NULL when absent. */
const socfeed_yaml_node *yaml_map_get(const socfeed_yaml_node *map, const char *key);

const char *yaml_kind_name(const socfeed_yaml_node *n);

#endif

/* Deep merge for Sigma v1 multi-document files (`action: global`): a map in `over` merges into
 * the same key's map in `base`; any other value in `over` replaces base's. `drop_key` (may be
 * NULL) is left out of the result. New nodes live in `a`; inputs are not changed. */
socfeed_yaml_node *yaml_merge(arena *a, const socfeed_yaml_node *base, const socfeed_yaml_node *over,
                              const char *drop_key);
