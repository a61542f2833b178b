/* socfeed/event.h — one event as every reader delivers it: a JSON-like value tree.
 *
 * The EVTX reader and the JSON readers all produce this tree, in the evtx_dump shape for Windows
 * events ({"Event": {"System": …, "EventData": …}} with "#attributes" and "#text"), or as the
 * input JSON had it. The matching engine derives its flat field view from this tree; `socfeed dump`
 * prints it. Keeping one tree for every source is what makes "EVTX and its JSON twin agree" testable.
 *
 * Ownership: a tree lives in memory owned by whoever produced it (the reader's batch); consumers
 * must copy what they keep past the callback that handed them the event. Strings are UTF-8 and
 * length-counted; they are also NUL-terminated for convenience, but may contain NUL bytes. */
#ifndef SOCFEED_EVENT_H
#define SOCFEED_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "socfeed/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum socfeed_event_type {
    SOCFEED_EV_NULL = 0,
    SOCFEED_EV_BOOL,
    SOCFEED_EV_INT,    /* as.i */
    SOCFEED_EV_UINT,   /* as.u: non-negative values above INT64_MAX */
    SOCFEED_EV_REAL,   /* as.s holds the number's text as the source wrote it (no reformatting) */
    SOCFEED_EV_STRING, /* as.s, len bytes */
    SOCFEED_EV_ARRAY,  /* as.items, len items */
    SOCFEED_EV_OBJECT  /* as.members, len members, in source order */
} socfeed_event_type;

typedef struct socfeed_event_value socfeed_event_value;
typedef struct socfeed_event_member socfeed_event_member;

struct socfeed_event_value {
    socfeed_event_type type;
    uint32_t len;
    union {
        bool b;
        int64_t i;
        uint64_t u;
        const char *s;
        socfeed_event_value *items;
        socfeed_event_member *members;
    } as;
};

struct socfeed_event_member {
    const char *key;
    uint32_t key_len;
    socfeed_event_value value;
};

/* Where an event came from, for diagnostics and hunt output. */
typedef struct socfeed_event_origin {
    const char *file;     /* path as given by the user */
    uint64_t offset;      /* byte offset of the record in the file */
    uint64_t line;        /* 1-based line for text inputs; 0 for EVTX */
    uint64_t record_id;   /* EVTX EventRecordID; 0 when not known */
    uint64_t index;       /* 0-based position of the event in its file */
} socfeed_event_origin;

typedef struct socfeed_event {
    socfeed_event_value root;
    socfeed_event_origin origin;
    /* The event as rendered by socfeed_read_options.render on the thread that decoded it (not
     * NUL-terminated, valid during the callback), or NULL when no render hook ran for it. */
    const char *rendered;
    size_t rendered_len;
} socfeed_event;

/* A reader calls this once per event, in file order. Return 0 to go on, non-zero to stop reading. */
typedef int (*socfeed_event_fn)(void *ctx, const socfeed_event *event);

/* Object member lookup by exact key; NULL when absent or when `obj` is not an object. */
const socfeed_event_value *socfeed_event_get(const socfeed_event_value *obj, const char *key);

/* Writes the tree as compact JSON (UTF-8; escapes as evtx_dump: \" \\ \n \r \t \b \f, other
 * control characters as \u00XX). Returns a malloc'ed string the caller frees. */
char *socfeed_event_to_json(const socfeed_event_value *v);

#ifdef __cplusplus
}
#endif
#endif
