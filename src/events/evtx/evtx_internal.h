/* evtx_internal.h — shared declarations of the native EVTX reader (src/events/evtx/).
 *
 * The reader is split by job:
 *   file.c    file header and chunk header parsing, checksum checks, record framing walk.
 *   value.c   rendering of one BinXML substitution value (and UTF-16) as text.
 *   binxml.c  BinXML tokenizer: names, template definitions (cached per chunk by offset),
 *             template instances, producing the record IR below.
 *   tree.c    record IR -> socfeed_event_value in the evtx_dump JSON shape.
 *   xml.c     record IR -> XML text; the public socfeed_evtx_record_xml().
 *   reader.c  socfeed_evtx_read_buffer(): chunk loop, worker pool, in-order delivery, stats.
 *
 * Not public: nothing here is part of the library API (that is socfeed/reader.h and
 * socfeed/evtx.h). Offsets named `*_off` are relative to the start of a chunk, as in the format. */
#ifndef SOCFEED_EVTX_INTERNAL_H
#define SOCFEED_EVTX_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>

#include "socfeed/event.h"
#include "util/arena.h"

/* ---- format constants ---------------------------------------------------------------------- */

enum {
    EVTX_FILE_HEADER_SIZE = 4096,
    EVTX_CHUNK_SIZE = 65536,
    EVTX_CHUNK_HEADER_SIZE = 512,
    EVTX_RECORD_HEADER_SIZE = 24,
    EVTX_RECORD_MIN_SIZE = 28,  /* header + trailing size copy, empty BinXML */
    EVTX_DEFAULT_MAX_DEPTH = 64,
    /* A record whose IR grows past this many nodes is rejected: it bounds the fan-out of a
     * template that references a nested BinXML value many times, and of array cross-products. */
    EVTX_MAX_NODES_PER_RECORD = 1 << 18,
};

/* BinXML value types (MS-EVEN6 3.1.4.7.3). Arrays are (EVTX_ARRAY | base). */
enum {
    EVTX_T_NULL = 0x00, EVTX_T_STRING = 0x01, EVTX_T_ANSI = 0x02,
    EVTX_T_INT8 = 0x03, EVTX_T_UINT8 = 0x04, EVTX_T_INT16 = 0x05, EVTX_T_UINT16 = 0x06,
    EVTX_T_INT32 = 0x07, EVTX_T_UINT32 = 0x08, EVTX_T_INT64 = 0x09, EVTX_T_UINT64 = 0x0a,
    EVTX_T_REAL32 = 0x0b, EVTX_T_REAL64 = 0x0c, EVTX_T_BOOL = 0x0d, EVTX_T_BINARY = 0x0e,
    EVTX_T_GUID = 0x0f, EVTX_T_SIZET = 0x10, EVTX_T_FILETIME = 0x11, EVTX_T_SYSTIME = 0x12,
    EVTX_T_SID = 0x13, EVTX_T_HEX32 = 0x14, EVTX_T_HEX64 = 0x15,
    EVTX_T_EVTHANDLE = 0x20, EVTX_T_BINXML = 0x21, EVTX_T_EVTXML = 0x23,
    EVTX_ARRAY = 0x80,
};

static inline uint16_t evtx_u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t evtx_u32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint64_t evtx_u64(const uint8_t *p) {
    return (uint64_t)evtx_u32(p) | ((uint64_t)evtx_u32(p + 4) << 32);
}

/* ---- checksums ------------------------------------------------------------------------------ */

/* CRC-32 (RFC 1952 polynomial) of the file and chunk checksums, continuing from `crc` (start with
 * 0). zlib's: 4.8 GB/s here against 2.2 GB/s for the slicing-by-8 table it replaced
 * (bench/RESULTS.md), and the chunk checksums cover the whole file once. */
static inline uint32_t evtx_crc32(uint32_t crc, const void *data, size_t len) {
    return (uint32_t)crc32_z(crc, data, len);
}

/* ---- a growable text buffer for the hot path (no per-append function call) ------------------- */

typedef struct evtx_buf {
    char *p;
    size_t len, cap;
} evtx_buf;

void evtx_buf_grow(evtx_buf *b, size_t extra);
void evtx_buf_free(evtx_buf *b);
static inline void evtx_buf_reserve(evtx_buf *b, size_t extra) {
    if (b->cap - b->len < extra + 1) evtx_buf_grow(b, extra + 1);
}
static inline void evtx_buf_put(evtx_buf *b, const char *s, size_t n) {
    evtx_buf_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
}
static inline void evtx_buf_putc(evtx_buf *b, char c) {
    evtx_buf_reserve(b, 1);
    b->p[b->len++] = c;
}

/* ---- value.c ------------------------------------------------------------------------------- */

/* Appends UTF-16LE text (`units` code units) as UTF-8. Surrogate pairs are combined; lone
 * surrogates are dropped (as evtx_dump does). With `stop_at_nul`, the text ends at U+0000. */
void evtx_utf16_to_utf8(evtx_buf *out, const uint8_t *utf16, size_t units, bool stop_at_nul);

/* Appends the text of one scalar value of BinXML type `type` (no array bit) stored in
 * `data[0..size)`. Returns false (appending nothing meaningful) when the bytes cannot be a value of
 * that type (wrong size, invalid SYSTEMTIME, unsupported type). GUIDs come out as {UPPER-CASE}. */
bool evtx_render_scalar(evtx_buf *out, uint8_t type, const uint8_t *data, size_t size);

/* Like evtx_render_scalar, for any type: array items are joined with ','. */
bool evtx_render_value(evtx_buf *out, uint8_t type, const uint8_t *data, size_t size);

/* Appends one Unicode code point as UTF-8. */
void evtx_put_codepoint(evtx_buf *out, uint32_t c);

/* True for the types evtx_dump emits as bare JSON numbers or booleans (0x03..0x0A, 0x0D). */
static inline bool evtx_type_is_bare(uint8_t type) {
    return (type >= EVTX_T_INT8 && type <= EVTX_T_UINT64) || type == EVTX_T_BOOL;
}

/* Fixed byte size of one item of a scalar type, or 0 for variable-size types. */
size_t evtx_type_fixed_size(uint8_t base_type);

/* Splits an array value into items. Calls `fn` for each item with its bytes; returns the number of
 * items, or -1 when the array type is not supported (ANSI strings, binary, size_t arrays). */
typedef void (*evtx_item_fn)(void *ctx, size_t index, const uint8_t *item, size_t size);
long evtx_array_items(uint8_t type, const uint8_t *data, size_t size, evtx_item_fn fn, void *ctx);

/* ---- binxml.c: the record IR ---------------------------------------------------------------- */

typedef enum evtx_node_kind {
    EVTX_NODE_ELEMENT = 0,
    EVTX_NODE_TEXT,    /* literal text from the BinXML (UTF-8 in `text`) */
    EVTX_NODE_CDATA,   /* CDATA section (UTF-8 in `text`) */
    EVTX_NODE_VALUE,   /* a substitution value: `vtype`, raw bytes `data[0..len)` */
    EVTX_NODE_SUBST,   /* template definitions only: substitution `index`, `optional` */
    EVTX_NODE_CHARREF, /* &#N; with N in `index` */
    EVTX_NODE_ENTREF,  /* &name; with the name in `text` */
    EVTX_NODE_PI,      /* processing instruction: target in `text`, data in `pi_data` */
} evtx_node_kind;

typedef struct evtx_node evtx_node;
typedef struct evtx_attr evtx_attr;

struct evtx_attr {
    evtx_attr *next;
    const char *name;
    uint32_t name_len;
    evtx_node *value; /* list of TEXT / VALUE / SUBST / CHARREF / ENTREF nodes */
};

struct evtx_node {
    evtx_node *next;
    uint8_t kind;
    uint8_t vtype;          /* VALUE, SUBST: value type */
    bool optional;          /* SUBST: optional substitution (0x0e) */
    bool has_element_child; /* ELEMENT */
    uint16_t index;         /* SUBST: value index; CHARREF: character */
    uint32_t len;           /* TEXT, CDATA, ENTREF, PI, ELEMENT name: bytes; VALUE: data bytes */
    const char *text;       /* TEXT, CDATA, ENTREF, PI target, ELEMENT name (NUL-terminated) */
    const char *pi_data;    /* PI */
    const uint8_t *data;    /* VALUE */
    evtx_attr *attrs;       /* ELEMENT */
    evtx_node *children;    /* ELEMENT */
};

/* One substitution value of a template instance. */
typedef struct evtx_value {
    const uint8_t *data;
    uint32_t size;
    uint8_t type;
} evtx_value;

/* Per-thread decoding state for one chunk at a time: the template and name caches are keyed by
 * chunk offset, so they are invalidated (cheaply, by generation) whenever the chunk changes. */
typedef struct evtx_decoder evtx_decoder;

evtx_decoder *evtx_decoder_new(unsigned max_depth);
/* A decoder may serve file after file: its caches are per chunk (see evtx_decoder_begin_chunk). */
void evtx_decoder_set_max_depth(evtx_decoder *d, unsigned max_depth);
void evtx_decoder_free(evtx_decoder *d);
/* Starts a chunk: `chunk` has `chunk_len` readable bytes (normally 65536). Names and parsed
 * templates are allocated in `chunk_arena`, which must outlive every tree built from the chunk. */
void evtx_decoder_begin_chunk(evtx_decoder *d, const uint8_t *chunk, size_t chunk_len,
                              arena *chunk_arena);
/* Decodes the BinXML of a record at [off, off+len) of the current chunk into IR (allocated in
 * the decoder's per-record scratch arena, valid until the next call). Returns the root element,
 * or NULL with a reason in *why (a static string). */
const evtx_node *evtx_decode_record(evtx_decoder *d, uint32_t off, uint32_t len, const char **why);
/* Scratch buffer the renderers may use while the record IR is alive. */
evtx_buf *evtx_decoder_scratch(evtx_decoder *d);

/* True when the value counts as empty for an optional substitution and for "has text" checks
 * (NULL, empty string/binary/BinXML, array with no items). */
bool evtx_value_is_empty(uint8_t type, const uint8_t *data, size_t size);

/* ---- tree.c -------------------------------------------------------------------------------- */

/* Builds {"<root name>": …} in the evtx_dump JSON shape, allocated in `out`. Returns false (with
 * *why) when a value cannot be rendered. */
bool evtx_build_tree(const evtx_node *root, arena *out, evtx_buf *scratch,
                     socfeed_event_value *result, const char **why);

/* ---- xml.c --------------------------------------------------------------------------------- */

/* Appends the record as indented XML (no XML declaration). Returns false with *why on a value
 * that cannot be rendered. */
bool evtx_render_xml(const evtx_node *root, evtx_buf *out, const char **why);

/* ---- file.c -------------------------------------------------------------------------------- */

typedef struct evtx_file_header {
    bool signature_ok, crc_ok;
    uint32_t crc_stored, crc_computed;
    uint64_t first_chunk, last_chunk, next_record_id;
    uint16_t minor_version, major_version, chunk_count;
    uint32_t flags; /* 0x1 dirty, 0x2 full */
} evtx_file_header;

/* Parses the first 4096 bytes (needs len >= 128; the rest of the header is padding). */
bool evtx_parse_file_header(const uint8_t *data, size_t len, evtx_file_header *h);

typedef struct evtx_chunk_header {
    bool signature_ok;
    bool header_crc_ok, records_crc_ok, records_crc_checked;
    uint32_t header_crc_stored, header_crc_computed;
    uint32_t records_crc_stored, records_crc_computed;
    uint64_t first_record_number, last_record_number, first_record_id, last_record_id;
    uint32_t last_record_off, free_space_off;
    uint32_t records_end; /* where the record walk stops (validated free-space offset) */
} evtx_chunk_header;

/* Parses and checks a chunk header; `len` is the number of bytes available for the chunk
 * (65536 unless the file is truncated). */
void evtx_parse_chunk_header(const uint8_t *chunk, size_t len, evtx_chunk_header *h);

/* True when the whole span is zero bytes (an unused, preallocated chunk). */
bool evtx_all_zero(const uint8_t *p, size_t len);

/* Record framing. evtx_record_at() checks the record at `off`: signature, size within
 * [off, end), trailing copy of the size. Returns its size, or 0 with *why when it is damaged. */
uint32_t evtx_record_at(const uint8_t *chunk, uint32_t off, uint32_t end, const char **why);
/* Looks for the next well-framed record strictly after `off`; returns its offset or 0. */
uint32_t evtx_scan_record(const uint8_t *chunk, uint32_t off, uint32_t end);

#endif
