/* socfeed/reader.h — reading event files: EVTX, JSON (one object, an array, or objects back to
 * back) and JSON Lines, from a path, a memory buffer or a stream.
 *
 * Every reader delivers socfeed_event trees (socfeed/event.h) in file order through a callback,
 * reports each problem (file, position, reason) into a socfeed_diags list, and goes on with the
 * next record: a damaged record never hides the intact ones after it. */
#ifndef SOCFEED_READER_H
#define SOCFEED_READER_H

#include <stddef.h>
#include <stdint.h>

#include "socfeed/diag.h"
#include "socfeed/event.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum socfeed_input_format {
    SOCFEED_INPUT_UNKNOWN = 0,
    SOCFEED_INPUT_EVTX,
    SOCFEED_INPUT_JSON,  /* covers JSON Lines too: objects back to back, separated by anything blank */
} socfeed_input_format;

/* Appends the text of one event to *buf (*len bytes used of *cap, grown with realloc). */
typedef void (*socfeed_render_fn)(void *ctx, const socfeed_event *event, char **buf, size_t *len, size_t *cap);

/* Caller-owned memory the readers keep from one file to the next (one per thread; see
 * socfeed_read_options.file_buffer): the buffer socfeed_read_file() reads files into, which grows
 * to the largest file read into it, and the EVTX decoder with its name and template tables.
 * Start it zeroed; free it with socfeed_file_buffer_free(). */
typedef struct socfeed_file_buffer {
    char *data;
    size_t cap;
    void *evtx;  /* the EVTX reader's decoder (library-owned; NULL until an EVTX file is read) */
} socfeed_file_buffer;

/* Files larger than this are mapped even with a file buffer: their pages are read as they are
 * parsed instead of copied first, and the buffer stays small. */
#define SOCFEED_FILE_BUFFER_MAX ((size_t)32 << 20)

void socfeed_file_buffer_free(socfeed_file_buffer *buf);

typedef struct socfeed_read_options {
    unsigned threads;        /* decoding threads for one file (EVTX chunks); 0 = 1 */
    /* Optional, EVTX only: renders each event on the thread that decoded it, so formatting output
     * runs on the decoding threads too; the event then reaches the callback, in file order, with
     * `rendered` set. Other readers leave `rendered` NULL: the callback renders those itself. */
    socfeed_render_fn render;
    void *render_ctx;
    size_t max_event_bytes;  /* a JSON event larger than this is reported and skipped; 0 = 64 MiB */
    unsigned max_depth;      /* nesting limit for JSON and BinXML; 0 = 64 */
    /* JSON only, for a slice of a larger file that starts at a line start: the slice's file
     * offset and 1-based line, so events and diagnostics carry file positions (0 = start). */
    uint64_t base_offset;
    uint64_t base_line;
    /* Optional: socfeed_read_file() reads a regular file of at most SOCFEED_FILE_BUFFER_MAX bytes
     * into this buffer instead of mapping it. Why: mapping costs a page fault per page, and
     * unmapping, in a process with several threads, a TLB flush on every other CPU; reading a
     * directory of 7,202 small EVTX files spent half its time there (bench/RESULTS.md). The EVTX
     * reader (from a file or a buffer) also keeps its decoder here: a new one per file zeroed
     * 60 KB of tables, 4 % of reading that directory. */
    socfeed_file_buffer *file_buffer;
} socfeed_read_options;

typedef struct socfeed_read_stats {
    uint64_t bytes;          /* input bytes consumed */
    uint64_t events;         /* events delivered to the callback */
    uint64_t errors;         /* records or spans reported as damaged */
} socfeed_read_stats;

/* Guesses the format from the first bytes ("ElfFile\0" → EVTX; '{' or '[' after blanks → JSON). */
socfeed_input_format socfeed_sniff_format(const void *data, size_t len);

/* Reads one file of any supported format. Returns 0 when the file read without error, -1
 * otherwise (details in diags; the intact events were still delivered). `opt` and `stats` may be
 * NULL. Stops early, returning 0, when `fn` returns non-zero. */
int socfeed_read_file(const char *path, const socfeed_read_options *opt, socfeed_event_fn fn,
                      void *ctx, socfeed_diags *diags, socfeed_read_stats *stats);

/* The same over a buffer already in memory; `name` is used in diagnostics and event origins. */
int socfeed_read_buffer(const char *name, const void *data, size_t len,
                        const socfeed_read_options *opt, socfeed_event_fn fn, void *ctx,
                        socfeed_diags *diags, socfeed_read_stats *stats);

/* The files to read for a list of path arguments: a path named explicitly is kept whatever its
 * name (reading it reports any problem); a directory gives every *.evtx, *.json, *.jsonl and
 * *.ndjson below it (any case), sorted by name, names starting with '.' skipped; "-" (standard
 * input) is kept as is. Unreadable directories are reported in `diags`. Returns a malloc'ed,
 * NULL-terminated array of malloc'ed paths (never NULL); free it with socfeed_input_list_free(). */
char **socfeed_input_list(const char *const *paths, size_t n, socfeed_diags *diags, size_t *count);
void socfeed_input_list_free(char **list);

/* Format-specific entry points (same contract). */
int socfeed_evtx_read_buffer(const char *name, const void *data, size_t len,
                             const socfeed_read_options *opt, socfeed_event_fn fn, void *ctx,
                             socfeed_diags *diags, socfeed_read_stats *stats);
int socfeed_json_read_buffer(const char *name, const void *data, size_t len,
                             const socfeed_read_options *opt, socfeed_event_fn fn, void *ctx,
                             socfeed_diags *diags, socfeed_read_stats *stats);

#ifdef __cplusplus
}
#endif
#endif
