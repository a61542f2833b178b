/* stream.h — reading events from an open file descriptor (internal to socfeed; `socfeed dump -`).
 *
 * Why not in reader.h: the public API reads paths and buffers; reading a pipe is a CLI need whose
 * shape (bounded buffering, sniffing a prefix) may still change.
 * Memory: JSON is parsed as it arrives, keeping only the incomplete last record, so a pipe of
 * JSON Lines, back-to-back objects or a top-level array is read in memory bounded by the largest
 * event (and max_event_bytes). EVTX needs random access to its chunks: a stream of EVTX is read
 * whole into memory first. A regular file behind the descriptor (`< file`) is mapped instead.
 * Not for: paths (socfeed_read_file) or buffers (socfeed_read_buffer). */
#ifndef SOCFEED_EVENTS_STREAM_H
#define SOCFEED_EVENTS_STREAM_H

#include <stddef.h>

#include "socfeed/reader.h"

/* A whole input file in memory: a regular file is mapped, or read into the caller's file buffer
 * when one is given and the file fits (SOCFEED_FILE_BUFFER_MAX); anything else (a FIFO,
 * /dev/stdin) is read into memory of its own. An empty file gives data == NULL, len == 0. */
typedef enum { IMAGE_OWNED, IMAGE_MAPPED, IMAGE_BORROWED } socfeed_image_kind;

typedef struct socfeed_file_image {
    const void *data;
    size_t len;
    socfeed_image_kind kind; /* what release does: free, munmap, nothing (the caller's buffer) */
} socfeed_file_image;

/* Loads `path` ("-" is not special here); `buf` may be NULL. On failure adds an "io-error"
 * diagnostic and returns -1. */
int socfeed_file_image_load(const char *path, socfeed_file_buffer *buf, socfeed_file_image *img,
                            socfeed_diags *diags);
void socfeed_file_image_release(socfeed_file_image *img);

/* Reads every event of `fd` (any supported format) until end of file; `name` is used in
 * diagnostics and origins (e.g. "<stdin>"). Same contract as socfeed_read_file. Does not close fd. */
int socfeed_read_fd(const char *name, int fd, const socfeed_read_options *opt, socfeed_event_fn fn,
                    void *ctx, socfeed_diags *diags, socfeed_read_stats *stats);

/* JSON only: `prefix` holds bytes already read from fd (e.g. for sniffing); they come first. */
int socfeed_json_read_fd(const char *name, int fd, const void *prefix, size_t prefix_len,
                         const socfeed_read_options *opt, socfeed_event_fn fn, void *ctx,
                         socfeed_diags *diags, socfeed_read_stats *stats);

#endif
