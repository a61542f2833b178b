/* json_parser.h — the incremental JSON event parser behind socfeed_json_read_buffer and the
 * stdin reader (internal to src/events/).
 *
 * One json_parser reads one input (file or stream) from start to end. Input is handed over in
 * spans: json_parser_feed() parses every complete top-level record of a span and says how many
 * bytes it consumed; the caller keeps the rest, appends more input, and feeds again. A memory
 * buffer is fed once with `final` set. Because the parser keeps its own absolute position (byte
 * offset, line, line start), diagnostics and event origins are exact across spans.
 *
 * Accepted shapes: objects back to back (JSON Lines, pretty-printed, or anything blank between),
 * top-level arrays whose elements are the events, a UTF-8 BOM at the start. Each event is built in
 * the parser's block pool (a bump allocator over reusable blocks), rewound before every event: a
 * tree lives until its callback returns, and memory is bounded by the largest event, not by the
 * input. Policies (see json_parser.c for why):
 *   - a syntax or UTF-8 error reports "invalid JSON at line N col M: reason" and resynchronises at
 *     the next line whose first non-blank byte is '{' in the same column as the broken event's
 *     (column 1 for JSON Lines and back-to-back objects, the element indent for pretty arrays);
 *   - an event nested deeper than max_depth or larger than max_event_bytes is reported and skipped
 *     exactly (a structural skip that follows strings and brackets);
 *   - duplicate keys keep the first key's position and the last value, with a warning;
 *   - a lone UTF-16 surrogate in \u escapes becomes U+FFFD, with a warning;
 *   - a top-level value that is not an object (or array of objects) is an error, and skipped.
 * Not for: the file/stdin plumbing (json_read.c) or output (json_write.c). */
#ifndef SOCFEED_EVENTS_JSON_PARSER_H
#define SOCFEED_EVENTS_JSON_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "socfeed/reader.h"

/* Scratch used while building one value tree: the open containers and their pending members. */
typedef struct json_frame {
    uint32_t start;    /* index in `slots` of the container's first member */
    uint32_t slot;     /* slot that receives the finished container; JSON_ROOT_SLOT for the root */
    bool is_object;
} json_frame;

enum { JSON_ROOT_SLOT = UINT32_MAX };

typedef enum json_resume {
    JSON_RESUME_NONE = 0,
    JSON_RESUME_RESYNC, /* looking for a line starting with '{' at resync_col */
    JSON_RESUME_SKIP    /* skipping a well-formed but unwanted value by its brackets */
} json_resume;

typedef struct json_parser {
    /* Set by json_parser_init. */
    const char *name;
    socfeed_event_fn fn;
    void *ctx;
    socfeed_diags *diags;
    size_t max_event_bytes;
    unsigned max_depth;

    /* Absolute position of the span being parsed. */
    const char *data, *end;  /* current span */
    uint64_t base_offset;    /* file offset of data[0] */
    uint64_t line;           /* line of the current position (1-based) */
    uint64_t line_start;     /* file offset of the current line's first byte */

    /* Top-level state, kept across spans. */
    bool in_array;           /* inside a top-level '[' */
    bool array_need_value;   /* after '[' or ',': an element (or ']' right after '[') comes next */
    bool array_empty;        /* no element yet since '[' */
    json_resume resume;
    uint32_t resync_col;     /* column a resynchronisation target must start at */
    uint32_t skip_depth;     /* open brackets while skipping */
    bool skip_in_string, skip_escape;
    bool stopped;            /* the callback asked to stop */

    /* Current event. */
    const char *ev_start;
    uint64_t ev_line;
    uint32_t ev_col;

    /* Counters. */
    uint64_t events, errors;

    /* Tree building: a pool of equal blocks reused for every event (no zeroing, no page faults
     * from blocks mapped and unmapped per event), plus one-off blocks for very large values. */
    char **blocks;
    uint32_t nblocks, cur_block;
    char **big;
    uint32_t nbig, big_cap;
    char *bump, *bump_end;   /* free space in the current block */
    socfeed_event_member *slots;
    const char **key_pos;    /* source position of each slot's key, for duplicate warnings */
    uint32_t nslots, slot_cap;
    json_frame *frames;      /* max_depth + 1 entries */
    /* Duplicate-key detection: an open-addressing table stamped with a generation number. */
    uint32_t *dup_stamp, *dup_slot;
    uint32_t dup_cap, dup_gen;
    /* Warnings of the event being parsed: published when it completes, dropped if a span ends
     * inside it (it is parsed again with the next span, and must not warn twice). */
    socfeed_diags pending;

    /* Last error, filled by the grammar code and reported by the driver. */
    const char *err_pos;
    const char *err_code;
    char err_msg[200];
    bool err_eof;            /* the input ended inside a record */
    bool err_skip;           /* report, then skip the record structurally (depth, size) */
} json_parser;

void json_parser_init(json_parser *p, const char *name, const socfeed_read_options *opt,
                      socfeed_event_fn fn, void *ctx, socfeed_diags *diags);
void json_parser_free(json_parser *p);

/* Parses the records in [data, data+len), which starts at the parser's current file offset.
 * Returns the number of bytes consumed; when `final` is false, the bytes not consumed begin an
 * incomplete record and must be fed again, followed by more input. When `final` is true all bytes
 * are consumed and every open construct is reported. */
size_t json_parser_feed(json_parser *p, const char *data, size_t len, bool final);

#endif
