/* field_view.c — see field_view.h. The shapes it flattens are those of
 * ../shared/reference/sigma-semantics.md §4 (evtx_dump JSON) and plain JSON objects. */
#include "engine/field_view.h"

#include <stdlib.h>
#include <string.h>

#include "socfeed/engine.h"
#include "util/casefold.h"
#include "util/decimal.h"
#include "util/word_hash.h"
#include "util/xalloc.h"

static inline unsigned char ascii_lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Whether one of the 8 bytes is a space (the zero-byte test on w XOR spaces; zero padding is not). */
static inline bool word_has_space(uint64_t w) {
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t x = w ^ (0x20 * ones);
    return ((x - ones) & ~x & high) != 0;
}

/* The last `rest` (1..7) bytes of name[0..len) as a little-endian word, zero above, without a byte
 * loop and without reading outside the key: overlapping loads within it. */
static inline uint64_t tail_word(const char *name, size_t len, size_t rest) {
    if (len >= 8) {
        uint64_t w;
        memcpy(&w, name + len - 8, 8);
        return w >> (8 * (8 - rest));
    }
    const unsigned char *u = (const unsigned char *)name;
    if (len >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, u, 4);
        memcpy(&hi, u + len - 4, 4);
        return lo | (uint64_t)hi << (8 * (len - 4)); /* the overlap holds the same bytes twice */
    }
    return u[0] | (uint64_t)u[len / 2] << (8 * (len / 2)) | (uint64_t)u[len - 1] << (8 * (len - 1));
}

/* Keys with spaces take this path, which mixes the same words the fast path would for the key
 * without its spaces, so "Threat Name" and "ThreatName" hash alike. */
static uint32_t hash_without_spaces(uint64_t h, const char *name, size_t len) {
    uint64_t w = 0;
    size_t k = 0, n = 0;
    for (size_t i = 0; i < len; i++) {
        if (name[i] == ' ') continue;
        w |= (uint64_t)(unsigned char)name[i] << (8 * k);
        n++;
        if (++k == 8) {
            h = word_hash_mix(h, casefold_lower8(w));
            w = 0;
            k = 0;
        }
    }
    if (k) h = word_hash_mix(h, casefold_lower8(w));
    h = word_hash_mix(h, n);
    return (uint32_t)(h ^ (h >> 29));
}

/* Hashes 8 bytes per step (a byte-at-a-time hash was a tenth of EVTX decoding time); a space,
 * rare in keys, is noticed in the same words and sends the key to the slow path. */
uint32_t fv_hash(const char *name, size_t len) {
    const uint64_t seed = WORD_HASH_SEED;
    uint64_t h = seed;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, name + i, 8);
        if (word_has_space(w)) return hash_without_spaces(seed, name, len);
        h = word_hash_mix(h, casefold_lower8(w));
    }
    if (i < len) {
        uint64_t w = tail_word(name, len, len - i);
        if (word_has_space(w)) return hash_without_spaces(seed, name, len);
        h = word_hash_mix(h, casefold_lower8(w));
    }
    h = word_hash_mix(h, len);
    return (uint32_t)(h ^ (h >> 29));
}

/* n bytes equal; keys are short, and a call to memcmp cost more than comparing them here. Up to
 * 16 bytes: two loads from each side, overlapping when n < 16 (never past either key). */
static inline bool same_bytes(const char *a, const char *b, size_t n) {
    uint64_t x, y, u, v;
    if (n >= 8 && n <= 16) {
        memcpy(&x, a, 8), memcpy(&y, b, 8), memcpy(&u, a + n - 8, 8), memcpy(&v, b + n - 8, 8);
        return x == y && u == v;
    }
    if (n >= 4 && n < 8) {
        uint32_t p, q, r, t;
        memcpy(&p, a, 4), memcpy(&q, b, 4), memcpy(&r, a + n - 4, 4), memcpy(&t, b + n - 4, 4);
        return p == q && r == t;
    }
    return memcmp(a, b, n) == 0;
}

/* Equal ignoring ASCII case and spaces on both sides ("Threat Name" is the field ThreatName). */
static bool key_equal(const char *a, size_t alen, const char *b, size_t blen) {
    if (alen == blen && same_bytes(a, b, alen)) return true; /* the usual case: same spelling */
    size_t i = 0, j = 0;
    for (;;) {
        while (i < alen && a[i] == ' ') i++;
        while (j < blen && b[j] == ' ') j++;
        if (i == alen || j == blen) return i == alen && j == blen;
        if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[j])) return false;
        i++, j++;
    }
}

void fv_init(field_view *fv) {
    memset(fv, 0, sizeof *fv);
    fv->mask = 63;
    fv->slots = xcalloc(fv->mask + 1, sizeof *fv->slots);
    arena_init(&fv->scratch);
}

void fv_free(field_view *fv) {
    free(fv->slots);
    arena_free(&fv->scratch);
    memset(fv, 0, sizeof *fv);
}

static void grow(field_view *fv) {
    uint32_t old_cap = fv->mask + 1;
    fv_slot *old = fv->slots;
    fv->mask = old_cap * 2 - 1;
    fv->slots = xcalloc(fv->mask + 1, sizeof *fv->slots);
    for (uint32_t i = 0; i < old_cap; i++) {
        if (old[i].epoch != fv->epoch) continue;
        uint32_t p = old[i].hash & fv->mask;
        while (fv->slots[p].epoch == fv->epoch) p = (p + 1) & fv->mask;
        fv->slots[p] = old[i];
    }
    free(old);
}

/* First key wins: evtx_dump never repeats a name within one element, and for the rare clash
 * between System and EventData names (none in Windows' schemas) System is indexed first. */
static fv_slot *insert(field_view *fv, const char *key, size_t key_len, const socfeed_event_value *v) {
    if ((fv->count + 1) * 2 > fv->mask + 1) grow(fv);
    uint32_t h = fv_hash(key, key_len);
    uint32_t p = h & fv->mask;
    while (fv->slots[p].epoch == fv->epoch) {
        if (fv->slots[p].hash == h && key_equal(fv->slots[p].key, fv->slots[p].key_len, key, key_len))
            return &fv->slots[p];
        p = (p + 1) & fv->mask;
    }
    fv_slot *s = &fv->slots[p];
    memset(s, 0, sizeof *s);
    s->epoch = fv->epoch;
    s->key = key;
    s->key_len = (uint32_t)key_len;
    s->hash = h;
    s->value = v;
    fv->count++;
    return s;
}

const socfeed_event_value *fv_unwrap(const socfeed_event_value *v) {
    if (v && v->type == SOCFEED_EV_OBJECT) {
        const socfeed_event_value *t = socfeed_event_get(v, "#text");
        if (t) return t;
    }
    return v;
}

static void index_children(field_view *fv, const socfeed_event_value *obj) {
    if (!obj || obj->type != SOCFEED_EV_OBJECT) return;
    for (uint32_t i = 0; i < obj->len; i++) {
        const socfeed_event_member *m = &obj->as.members[i];
        if (fv_is_attributes(m)) continue; /* EventData's own Name attribute is noise */
        insert(fv, m->key, m->key_len, fv_unwrap(&m->value));
    }
}

/* System: scalar children by name, attributes as Elem_Attr, "#text" as the element's value. */
static void index_system(field_view *fv, const socfeed_event_value *sys) {
    if (!sys || sys->type != SOCFEED_EV_OBJECT) return;
    for (uint32_t i = 0; i < sys->len; i++) {
        const socfeed_event_member *m = &sys->as.members[i];
        const socfeed_event_value *v = &m->value;
        if (v->type != SOCFEED_EV_OBJECT) {
            insert(fv, m->key, m->key_len, v);
            continue;
        }
        const socfeed_event_value *text = socfeed_event_get(v, "#text");
        if (text) insert(fv, m->key, m->key_len, text);
        const socfeed_event_value *attrs = socfeed_event_get(v, "#attributes");
        if (attrs && attrs->type == SOCFEED_EV_OBJECT) {
            for (uint32_t k = 0; k < attrs->len; k++) {
                const socfeed_event_member *a = &attrs->as.members[k];
                size_t n = m->key_len + 1 + a->key_len;
                char *key = arena_alloc(&fv->scratch, n + 1);
                memcpy(key, m->key, m->key_len);
                key[m->key_len] = '_';
                memcpy(key + m->key_len + 1, a->key, a->key_len);
                insert(fv, key, n, &a->value);
            }
        }
        if (!text && !attrs) insert(fv, m->key, m->key_len, v);
    }
}

/* Winlogbeat / Elastic exports keep the Windows event under "winlog": its event_data children are
 * the EventData fields, and its channel, event_id, … the System ones under their Windows names.
 * Top-level names come first, so an export that already flattened them keeps its own. */
static void index_winlogbeat(field_view *fv, const socfeed_event_value *winlog) {
    if (!winlog || winlog->type != SOCFEED_EV_OBJECT) return;
    index_children(fv, socfeed_event_get(winlog, "event_data"));
    index_children(fv, socfeed_event_get(winlog, "user_data"));
    static const char *const names[][2] = {{"channel", "Channel"},       {"event_id", "EventID"},
                                           {"computer_name", "Computer"}, {"provider_name", "Provider_Name"},
                                           {"record_id", "EventRecordID"}, {"task", "Task"}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const socfeed_event_value *v = socfeed_event_get(winlog, names[i][0]);
        if (v) insert(fv, names[i][1], strlen(names[i][1]), v);
    }
}

void fv_build(field_view *fv, const socfeed_event *ev) {
    if (++fv->epoch == 0) { /* wrapped: slots of epoch 0 would look in use */
        memset(fv->slots, 0, (fv->mask + 1) * sizeof *fv->slots);
        fv->epoch = 1;
    }
    fv->count = 0;
    arena_reset(&fv->scratch);
    fv->event = ev;
    const socfeed_event_value *event = socfeed_event_get(&ev->root, "Event");
    if (event && event->type == SOCFEED_EV_OBJECT) {
        index_system(fv, socfeed_event_get(event, "System"));
        index_children(fv, socfeed_event_get(event, "EventData"));
        const socfeed_event_value *user = socfeed_event_get(event, "UserData");
        if (user && user->type == SOCFEED_EV_OBJECT) /* unwrap the one wrapper element */
            for (uint32_t i = 0; i < user->len; i++) index_children(fv, &user->as.members[i].value);
        return;
    }
    const socfeed_event_value *root = &ev->root;
    if (root->type != SOCFEED_EV_OBJECT) return;
    for (uint32_t i = 0; i < root->len; i++) {
        const socfeed_event_member *m = &root->as.members[i];
        insert(fv, m->key, m->key_len, fv_unwrap(&m->value));
    }
    index_winlogbeat(fv, socfeed_event_get(root, "winlog"));
}

/* A dotted name as a nested path (`destination.port` → {"destination":{"port":…}}). */
static const socfeed_event_value *nested_path(const socfeed_event_value *v, const char *name, size_t len) {
    size_t start = 0;
    while (v && start <= len) {
        size_t end = start;
        while (end < len && name[end] != '.') end++;
        if (v->type != SOCFEED_EV_OBJECT) return NULL;
        const socfeed_event_value *next = NULL;
        for (uint32_t i = 0; i < v->len; i++) {
            const socfeed_event_member *m = &v->as.members[i];
            if (key_equal(m->key, m->key_len, name + start, end - start)) {
                next = &m->value;
                break;
            }
        }
        v = next ? fv_unwrap(next) : NULL;
        if (end == len) return v;
        start = end + 1;
    }
    return NULL;
}

/* The indexed slot of the name, or NULL when it is not in the index. */
static inline fv_slot *probe(field_view *fv, const char *name, size_t len, uint32_t hash) {
    uint32_t p = hash & fv->mask;
    while (fv->slots[p].epoch == fv->epoch) {
        fv_slot *s = &fv->slots[p];
        if (s->hash == hash && key_equal(s->key, s->key_len, name, len)) return s;
        p = (p + 1) & fv->mask;
    }
    return NULL;
}

/* A dotted name not in the index, as a nested path; misses are remembered too (value NULL), so
 * the path is walked once per event. */
static fv_slot *nested_slot(field_view *fv, const char *name, size_t len) {
    if (!fv->event) return NULL;
    const socfeed_event_value *v = nested_path(&fv->event->root, name, len);
    fv_slot *s = insert(fv, arena_strndup(&fv->scratch, name, len), len, v);
    return s->value ? s : NULL;
}

fv_slot *fv_lookup(field_view *fv, const char *name, size_t len, uint32_t hash) {
    fv_slot *s = probe(fv, name, len, hash);
    if (s) return s->value ? s : NULL;
    return memchr(name, '.', len) ? nested_slot(fv, name, len) : NULL;
}

fv_slot *fv_lookup_known(field_view *fv, const char *name, size_t len, uint32_t hash, bool dotted) {
    fv_slot *s = probe(fv, name, len, hash);
    if (s) return s->value ? s : NULL;
    return dotted ? nested_slot(fv, name, len) : NULL;
}

bool fv_value_text(arena *scratch, const socfeed_event_value *v, const char **s, size_t *n) {
    char buf[DECIMAL_MAX];
    switch (v->type) {
    case SOCFEED_EV_STRING:
    case SOCFEED_EV_REAL:
        *s = v->as.s;
        *n = v->len;
        return true;
    case SOCFEED_EV_INT: *n = decimal_i64(v->as.i, buf); break;
    case SOCFEED_EV_UINT: *n = decimal_u64(v->as.u, buf); break;
    case SOCFEED_EV_BOOL:
        *s = v->as.b ? "true" : "false";
        *n = v->as.b ? 4 : 5;
        return true;
    default: return false;
    }
    *s = arena_strndup(scratch, buf, *n);
    return true;
}

bool fv_slot_text(field_view *fv, fv_slot *slot, const char **s, size_t *n) {
    if (!slot->have_text) {
        const char *t = NULL;
        size_t tn = 0;
        if (!fv_value_text(&fv->scratch, slot->value, &t, &tn)) return false;
        slot->text = t;
        slot->text_len = (uint32_t)tn;
        slot->have_text = true;
    }
    *s = slot->text;
    *n = slot->text_len;
    return true;
}

void fv_fold(field_view *fv, const char *s, size_t n, const char **out, size_t *out_len) {
    char *f = arena_alloc(&fv->scratch, casefold_max(n));
    *out_len = casefold_utf8(s, n, f);
    *out = f;
}

bool fv_slot_folded(field_view *fv, fv_slot *slot, const char **s, size_t *n) {
    if (!slot->have_folded) {
        const char *t;
        size_t tn;
        if (!fv_slot_text(fv, slot, &t, &tn)) return false;
        const char *f;
        size_t fnl;
        fv_fold(fv, t, tn, &f, &fnl);
        slot->folded = f;
        slot->folded_len = (uint32_t)fnl;
        slot->have_folded = true;
    }
    *s = slot->folded;
    *n = slot->folded_len;
    return true;
}

/* The public, uncached lookup: builds a throw-away view. Fine for a few fields per event (hunt
 * output, verification); the scanner keeps its own view. */
const socfeed_event_value *socfeed_event_field(const socfeed_event *ev, const char *name) {
    field_view fv;
    fv_init(&fv);
    fv_build(&fv, ev);
    size_t len = strlen(name);
    fv_slot *s = fv_lookup(&fv, name, len, fv_hash(name, len));
    const socfeed_event_value *v = s ? s->value : NULL;
    fv_free(&fv); /* v points into the event tree, never into the view */
    return v;
}
