/* logsource_map.h — internal view of socfeed_logsource_map (data/logsources/README.md is the
 * schema and the rules for choosing an entry and evaluating its conditions). */
#ifndef SOCFEED_ENGINE_LOGSOURCE_MAP_H
#define SOCFEED_ENGINE_LOGSOURCE_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/field_view.h"
#include "socfeed/engine.h"

typedef struct ls_name {
    const char *s;
    size_t len;
    uint32_t hash; /* fv_hash */
} ls_name;

typedef struct ls_cond {
    ls_name field;
    ls_name *values; /* folded; equal to one of them */
    size_t nvalues;
} ls_cond;

typedef struct ls_rename {
    ls_name sigma, event;
} ls_rename;

typedef struct ls_alt {
    ls_cond *conds;
    size_t nconds;
    ls_rename *renames;
    size_t nrenames;
    const char **sources; /* globs after "File:" */
    size_t nsources;
} ls_alt;

typedef struct ls_entry {
    const char *product, *category, *service; /* NULL when not in `match` */
    unsigned nkeys;
    ls_alt *alts;
    size_t nalts;
    const char *file;
    socfeed_pos pos;
} ls_entry;

/* The entry for a rule's logsource (most keys wins), or NULL when unmapped. */
const ls_entry *ls_map_find(const socfeed_logsource_map *map, const socfeed_logsource *ls);
size_t ls_map_index(const socfeed_logsource_map *map, const ls_entry *e);

/* `File:` sources depend only on the input path, which is the same for every event of a file:
 * a small per-thread cache keeps their verdicts for one path (fnmatch per event and route was
 * measurable). Its owner empties it whenever the path changes. */
enum { LS_SOURCE_CACHE = 64 };
typedef struct ls_source_cache {
    struct {
        const ls_alt *alt;
        bool ok;
    } slot[LS_SOURCE_CACHE];
} ls_source_cache;

/* Index of the first alternative accepting the event, or -1. `cache` may be NULL. */
int ls_entry_route(const ls_entry *e, field_view *fv, const char *input_path, ls_source_cache *cache);

/* Whether some alternative of the entry can take events of this input file: its sources, if it names
 * any, match the path (its conditions are the event's to meet). */
bool ls_entry_takes_input(const ls_entry *e, const char *input_path);

/* The event field to read for a Sigma field under an alternative (the field itself if not renamed). */
const ls_name *ls_alt_rename(const ls_alt *alt, const ls_name *sigma);

#endif
