/* field_view.h — the flat field view of one event (see socfeed_event_field in engine.h), built
 * once per event into a hash index so every rule's field lookups are one probe.
 *
 * Folded (case-insensitive) and textual forms of a value are computed lazily and cached in the
 * slot, so a value is case-folded at most once per event whatever the number of rules reading it.
 * Not for: the logsource routing or the matching itself (engine.c, value_match.c). */
#ifndef SOCFEED_ENGINE_FIELD_VIEW_H
#define SOCFEED_ENGINE_FIELD_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "socfeed/event.h"
#include "util/arena.h"

typedef struct fv_slot {
    uint32_t epoch;       /* the slot is in use only when it equals the view's epoch */
    const char *key;      /* event key; spaces in it are ignored when comparing */
    uint32_t key_len;
    uint32_t hash;
    const socfeed_event_value *value;
    /* lazily cached forms of a scalar value */
    const char *text, *folded;
    uint32_t text_len, folded_len;
    bool have_text, have_folded;
} fv_slot;

typedef struct field_view {
    const socfeed_event *event;
    fv_slot *slots;       /* open addressing; a slot of another epoch is empty */
    uint32_t mask;        /* capacity - 1 */
    uint32_t count;
    uint32_t epoch;       /* one per event: clearing the table is one increment, not a memset */
    arena scratch;        /* composed keys, number texts, folded strings; reset per event */
} field_view;

/* Case-insensitive hash of a field name, ignoring spaces (the same function for rule fields). */
uint32_t fv_hash(const char *name, size_t len);

void fv_init(field_view *fv);
void fv_free(field_view *fv);
/* Indexes `ev` (replacing the previous event; its cached forms are dropped). */
void fv_build(field_view *fv, const socfeed_event *ev);
/* The slot of a field, or NULL when absent (dotted names fall back to a nested path, whose result
 * is added to the index). */
fv_slot *fv_lookup(field_view *fv, const char *name, size_t len, uint32_t hash);
/* The same, for a caller that knows whether the name has a dot (a route's field names, looked up
 * at every event: the check was a call per miss). */
fv_slot *fv_lookup_known(field_view *fv, const char *name, size_t len, uint32_t hash, bool dotted);

/* Text of a scalar value (strings, numbers as written or in decimal, booleans as true/false);
 * false for null, arrays and objects. `scratch` holds any rendering. */
bool fv_value_text(arena *scratch, const socfeed_event_value *v, const char **s, size_t *n);
/* The slot's text / folded text, cached. */
bool fv_slot_text(field_view *fv, fv_slot *slot, const char **s, size_t *n);
bool fv_slot_folded(field_view *fv, fv_slot *slot, const char **s, size_t *n);
/* Folds arbitrary text into scratch memory. */
void fv_fold(field_view *fv, const char *s, size_t n, const char **out, size_t *out_len);

/* Whether a member holds an element's XML attributes (evtx_dump's "#attributes": xmlns, Provider
 * GUIDs), which are not content: the keyword matcher, its prefilter and the view skip them. The
 * length is compared first: this runs for every member of every event a keyword rule sees. */
static inline bool fv_is_attributes(const socfeed_event_member *m) {
    return m->key_len == 11 && memcmp(m->key, "#attributes", 11) == 0;
}

/* The element text of an "#text" carrier, or the value itself. */
const socfeed_event_value *fv_unwrap(const socfeed_event_value *v);

#endif
