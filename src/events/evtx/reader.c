/* reader.c — socfeed_evtx_read_buffer(): walks the chunks of an EVTX file image, decodes their
 * records into event trees, and hands the events to the caller in file order.
 *
 * Parallelism: chunks are independent (their templates and names are chunk-local), so with
 * opt->threads > 1 a small pthread pool decodes chunks while the calling thread delivers finished
 * chunks in order. Only a window of 2 x threads chunks is in flight, each holding its events in its
 * own arena, so memory stays bounded whatever the file size.
 * Damage: checksum mismatches, bad framing and undecodable records are reported (file, offset,
 * code) and skipped; everything still readable is delivered. Chunks are found by file size, not
 * by the header's chunk count (dirty files often undercount). Not for: JSON input, file I/O. */
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>

#include "events/evtx/evtx_internal.h"
#include "socfeed/reader.h"
#include "util/xalloc.h"

enum { SLOT_BLOCK = 1 << 20 };

typedef struct chunk_slot {
    size_t chunk;           /* chunk number this slot holds */
    bool done;              /* decoded, waiting for delivery */
    bool had_signature;     /* counted for the header's chunk-count check */
    arena mem;              /* event trees, names and templates of the chunk */
    socfeed_event *events;
    size_t nevents, cap;
    socfeed_diags diags;
    /* With a render hook: the events' texts back to back; event i's is [text_end[i-1], text_end[i]) */
    char *text;
    size_t text_len, text_cap;
    size_t *text_end, text_end_cap;
} chunk_slot;

typedef struct reader {
    const char *name;
    const uint8_t *data;
    size_t len;
    size_t nchunks;
    unsigned max_depth;
    socfeed_render_fn render;
    void *render_ctx;
    chunk_slot *slots;
    size_t nslots;
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_done;
    size_t next_claim, delivered;
    bool stop;
} reader;

static void push_event(chunk_slot *s, const socfeed_event *ev) {
    if (s->nevents == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->events = xrealloc(s->events, s->cap * sizeof *s->events);
    }
    s->events[s->nevents++] = *ev;
}

/* Decodes chunk `s->chunk` into the slot: events plus diagnostics. */
static void decode_chunk(reader *r, evtx_decoder *d, evtx_buf *scratch, chunk_slot *s) {
    uint64_t base = EVTX_FILE_HEADER_SIZE + (uint64_t)s->chunk * EVTX_CHUNK_SIZE;
    const uint8_t *chunk = r->data + base;
    size_t avail = r->len - base < EVTX_CHUNK_SIZE ? r->len - base : EVTX_CHUNK_SIZE;
    size_t n = s->chunk;
    s->had_signature = false;
    if (avail < EVTX_CHUNK_HEADER_SIZE) {
        if (!evtx_all_zero(chunk, avail))
            socfeed_diag_add_at_offset(&s->diags, SOCFEED_ERROR, r->name, base, "evtx-truncated",
                                       "chunk %zu: file ends %zu bytes into the chunk header", n,
                                       avail);
        return;
    }
    evtx_chunk_header h;
    evtx_parse_chunk_header(chunk, avail, &h);
    uint32_t end = h.records_end;
    if (!h.signature_ok) {
        if (evtx_all_zero(chunk, avail)) return; /* unused (preallocated) chunk */
        socfeed_diag_add_at_offset(&s->diags, SOCFEED_ERROR, r->name, base, "evtx-chunk-signature",
                                   "chunk %zu: bad chunk signature", n);
        const char *why;
        if (!evtx_record_at(chunk, EVTX_CHUNK_HEADER_SIZE, (uint32_t)avail, &why)) return;
        /* Only the signature may be damaged: when the free-space offset still gives a matching
         * records checksum, keep it (past it lie stale records); else let framing decide. */
        end = h.records_crc_checked && h.records_crc_ok ? h.records_end : (uint32_t)avail;
    } else {
        s->had_signature = true;
        if (!h.header_crc_ok)
            socfeed_diag_add_at_offset(&s->diags, SOCFEED_ERROR, r->name, base, "evtx-chunk-crc",
                                       "chunk %zu: header checksum 0x%08" PRIx32
                                       " does not match computed 0x%08" PRIx32,
                                       n, h.header_crc_stored, h.header_crc_computed);
        if (avail < EVTX_CHUNK_SIZE)
            socfeed_diag_add_at_offset(&s->diags, SOCFEED_ERROR, r->name, base, "evtx-truncated",
                                       "chunk %zu: file ends %zu bytes into the chunk", n, avail);
        else if (!h.records_crc_checked)
            socfeed_diag_add_at_offset(&s->diags, SOCFEED_ERROR, r->name, base + 48,
                                       "evtx-chunk-header",
                                       "chunk %zu: free space offset %" PRIu32 " is not valid", n,
                                       h.free_space_off);
        else if (!h.records_crc_ok)
            socfeed_diag_add_at_offset(&s->diags, SOCFEED_ERROR, r->name, base, "evtx-records-crc",
                                       "chunk %zu: event records checksum 0x%08" PRIx32
                                       " does not match computed 0x%08" PRIx32,
                                       n, h.records_crc_stored, h.records_crc_computed);
    }

    evtx_decoder_begin_chunk(d, chunk, avail, &s->mem);
    uint32_t off = EVTX_CHUNK_HEADER_SIZE;
    while (off < end) {
        const char *why = NULL;
        uint32_t size = evtx_record_at(chunk, off, end, &why);
        if (!size) {
            if (evtx_all_zero(chunk + off, end - off)) break; /* the rest of the chunk is unused */
            socfeed_diag_add_at_offset(&s->diags, SOCFEED_ERROR, r->name, base + off, "evtx-record",
                                       "chunk %zu: %s", n, why);
            uint32_t next = evtx_scan_record(chunk, off, end);
            if (!next) break;
            off = next;
            continue;
        }
        uint64_t record_id = evtx_u64(chunk + off + 8);
        const evtx_node *root = evtx_decode_record(d, off, size, &why);
        socfeed_event ev;
        memset(&ev, 0, sizeof ev);
        if (root) {
            scratch->len = 0;
            if (evtx_build_tree(root, &s->mem, scratch, &ev.root, &why)) {
                ev.origin.file = r->name;
                ev.origin.offset = base + off;
                ev.origin.record_id = record_id;
                push_event(s, &ev);
            } else {
                root = NULL;
            }
        }
        if (!root)
            socfeed_diag_add_at_offset(&s->diags, SOCFEED_ERROR, r->name, base + off, "evtx-binxml",
                                       "chunk %zu: record %" PRIu64 ": %s", n, record_id, why);
        off += size;
    }
}

/* Runs the render hook over a decoded chunk (on the thread that decoded it). */
static void render_chunk(const reader *r, chunk_slot *s) {
    if (!r->render) return;
    if (s->text_end_cap < s->nevents) {
        s->text_end_cap = s->nevents;
        s->text_end = xrealloc(s->text_end, s->text_end_cap * sizeof *s->text_end);
    }
    s->text_len = 0;
    for (size_t i = 0; i < s->nevents; i++) {
        r->render(r->render_ctx, &s->events[i], &s->text, &s->text_len, &s->text_cap);
        s->text_end[i] = s->text_len;
    }
}

/* The slot's memory for a new chunk. Not `done` and `chunk`: with decoding threads those are read
 * by the delivering thread and change only under the reader's mutex. */
static void reset_slot(chunk_slot *s) {
    arena_reset(&s->mem);
    s->nevents = 0;
}

static void *worker_main(void *arg) {
    reader *r = arg;
    evtx_decoder *d = evtx_decoder_new(r->max_depth);
    evtx_buf scratch = {0};
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (!r->stop && r->next_claim < r->nchunks && r->next_claim >= r->delivered + r->nslots)
            pthread_cond_wait(&r->cv_work, &r->mu);
        if (r->stop || r->next_claim >= r->nchunks) break;
        size_t i = r->next_claim++;
        chunk_slot *s = &r->slots[i % r->nslots];
        s->chunk = i; /* `done` is false: the delivering thread cleared it, under this mutex */
        pthread_mutex_unlock(&r->mu);
        /* Reset here rather than after delivery: the memory goes back to the allocator from the
         * thread that allocated it, which keeps glibc's per-thread arenas uncontended. */
        reset_slot(s);
        decode_chunk(r, d, &scratch, s);
        render_chunk(r, s);
        pthread_mutex_lock(&r->mu);
        s->done = true;
        pthread_cond_broadcast(&r->cv_done);
    }
    pthread_mutex_unlock(&r->mu);
    evtx_buf_free(&scratch);
    evtx_decoder_free(d);
    return NULL;
}

typedef struct delivery {
    socfeed_event_fn fn;
    void *ctx;
    socfeed_diags *diags;
    uint64_t events, chunks_with_signature;
    bool stopped;
} delivery;

static void deliver(delivery *dv, chunk_slot *s, bool rendered) {
    socfeed_diags_move(dv->diags, &s->diags);
    dv->chunks_with_signature += s->had_signature;
    for (size_t i = 0; i < s->nevents && !dv->stopped; i++) {
        s->events[i].origin.index = dv->events++;
        if (rendered) {
            size_t from = i ? s->text_end[i - 1] : 0;
            s->events[i].rendered = s->text + from;
            s->events[i].rendered_len = s->text_end[i] - from;
        }
        if (dv->fn && dv->fn(dv->ctx, &s->events[i]) != 0) dv->stopped = true;
    }
}

int socfeed_evtx_read_buffer(const char *name, const void *data, size_t len,
                             const socfeed_read_options *opt, socfeed_event_fn fn, void *ctx,
                             socfeed_diags *diags, socfeed_read_stats *stats) {
    socfeed_diags local;
    socfeed_diags_init(&local);
    if (!diags) diags = &local;
    size_t errors_before = diags->errors;
    if (!name) name = "<evtx>";
    const uint8_t *bytes = data;
    delivery dv = {fn, ctx, diags, 0, 0, false};

    evtx_file_header fh;
    bool header_ok = false;
    if (len == 0 || !bytes) {
        socfeed_diag_add_at_offset(diags, SOCFEED_ERROR, name, 0, "evtx-truncated",
                                   "empty file: no EVTX file header");
    } else if (!evtx_parse_file_header(bytes, len, &fh)) {
        socfeed_diag_add_at_offset(diags, SOCFEED_ERROR, name, 0, "evtx-truncated",
                                   "file of %zu bytes is shorter than the EVTX file header", len);
    } else if (!fh.signature_ok) {
        socfeed_diag_add_at_offset(diags, SOCFEED_ERROR, name, 0, "evtx-signature",
                                   "not an EVTX file (no \"ElfFile\" signature)");
    } else if (!fh.crc_ok) {
        socfeed_diag_add_at_offset(diags, SOCFEED_ERROR, name, 124, "evtx-header-crc",
                                   "file header checksum 0x%08" PRIx32
                                   " does not match computed 0x%08" PRIx32,
                                   fh.crc_stored, fh.crc_computed);
    } else {
        header_ok = true;
    }
    if (len > 0 && len < EVTX_FILE_HEADER_SIZE && bytes && len >= 128)
        socfeed_diag_add_at_offset(diags, SOCFEED_ERROR, name, len, "evtx-truncated",
                                   "file ends inside the 4096-byte file header");

    size_t nchunks = len > EVTX_FILE_HEADER_SIZE
                         ? (len - EVTX_FILE_HEADER_SIZE + EVTX_CHUNK_SIZE - 1) / EVTX_CHUNK_SIZE
                         : 0;
    /* Without any sign of EVTX (no signature, no chunk signature where the first chunk should be)
     * do not walk random bytes chunk by chunk. */
    if (len > 0 && bytes && len >= 128 && !fh.signature_ok &&
        !(len >= EVTX_FILE_HEADER_SIZE + 8 && !memcmp(bytes + EVTX_FILE_HEADER_SIZE, "ElfChnk", 8)))
        nchunks = 0;

    unsigned threads = opt && opt->threads ? opt->threads : 1;
    if (threads > 64) threads = 64;
    /* A pool costs thread starts and per-slot memory; files with few used chunks (many sample
     * files are one used chunk followed by preallocated empty ones) decode faster without. */
    size_t used_chunks = 0;
    for (size_t i = 0; i < nchunks; i++)
        used_chunks += len - (EVTX_FILE_HEADER_SIZE + i * (size_t)EVTX_CHUNK_SIZE) >= 8 &&
                       !memcmp(bytes + EVTX_FILE_HEADER_SIZE + i * (size_t)EVTX_CHUNK_SIZE, "ElfChnk", 8);
    if (used_chunks < 8) threads = 1;
    if (threads > nchunks) threads = nchunks ? (unsigned)nchunks : 1;
    reader r = {.name = name, .data = bytes, .len = len, .nchunks = nchunks,
                .max_depth = opt && opt->max_depth ? opt->max_depth : EVTX_DEFAULT_MAX_DEPTH,
                .render = opt ? opt->render : NULL, .render_ctx = opt ? opt->render_ctx : NULL};
    r.nslots = threads > 1 ? 2 * (size_t)threads : 1;
    r.slots = xcalloc(r.nslots, sizeof *r.slots);
    for (size_t i = 0; i < r.nslots; i++) {
        arena_init(&r.slots[i].mem);
        /* For files of many chunks, one block big enough for a typical chunk's trees (measured:
         * under 400 KB over the samples): arena_reset keeps the first block, so every chunk
         * reuses it with no malloc/free traffic (across threads, too). */
        if (used_chunks >= 8) arena_reserve(&r.slots[i].mem, SLOT_BLOCK);
        socfeed_diags_init(&r.slots[i].diags);
    }

    size_t chunks_done = 0;
    if (threads <= 1) {
        socfeed_file_buffer *keep = opt ? opt->file_buffer : NULL;
        evtx_decoder *d = keep && keep->evtx ? keep->evtx : evtx_decoder_new(r.max_depth);
        evtx_decoder_set_max_depth(d, r.max_depth);
        evtx_buf scratch = {0};
        for (size_t i = 0; i < nchunks && !dv.stopped; i++) {
            chunk_slot *s = &r.slots[0];
            s->chunk = i;
            decode_chunk(&r, d, &scratch, s);
            render_chunk(&r, s);
            deliver(&dv, s, r.render != NULL);
            reset_slot(s);
            chunks_done = i + 1;
        }
        evtx_buf_free(&scratch);
        if (keep) keep->evtx = d;
        else evtx_decoder_free(d);
    } else {
        pthread_mutex_init(&r.mu, NULL);
        pthread_cond_init(&r.cv_work, NULL);
        pthread_cond_init(&r.cv_done, NULL);
        pthread_t *tids = xcalloc(threads, sizeof *tids);
        for (unsigned t = 0; t < threads; t++) pthread_create(&tids[t], NULL, worker_main, &r);
        for (size_t i = 0; i < nchunks && !dv.stopped; i++) {
            chunk_slot *s = &r.slots[i % r.nslots];
            pthread_mutex_lock(&r.mu);
            while (!(s->done && s->chunk == i)) pthread_cond_wait(&r.cv_done, &r.mu);
            pthread_mutex_unlock(&r.mu);
            deliver(&dv, s, r.render != NULL);
            chunks_done = i + 1;
            pthread_mutex_lock(&r.mu);
            s->done = false;
            r.delivered = i + 1;
            if (dv.stopped) r.stop = true;
            pthread_cond_broadcast(&r.cv_work);
            pthread_mutex_unlock(&r.mu);
        }
        pthread_mutex_lock(&r.mu);
        r.stop = true;
        pthread_cond_broadcast(&r.cv_work);
        pthread_mutex_unlock(&r.mu);
        for (unsigned t = 0; t < threads; t++) pthread_join(tids[t], NULL);
        free(tids);
        pthread_cond_destroy(&r.cv_done);
        pthread_cond_destroy(&r.cv_work);
        pthread_mutex_destroy(&r.mu);
    }

    /* A clean header that undercounts the chunks is the "dirty file" case: everything was read,
     * but say so (a warning, not an error). */
    if (header_ok && !dv.stopped && dv.chunks_with_signature > fh.chunk_count)
        socfeed_diag_add_at_offset(diags, SOCFEED_WARNING, name, 42, "evtx-chunk-count",
                                   "file header lists %u chunks but %" PRIu64
                                   " were found and read%s",
                                   (unsigned)fh.chunk_count, dv.chunks_with_signature,
                                   (fh.flags & 1) ? " (file marked dirty)" : "");

    for (size_t i = 0; i < r.nslots; i++) {
        arena_free(&r.slots[i].mem);
        free(r.slots[i].events);
        free(r.slots[i].text);
        free(r.slots[i].text_end);
        socfeed_diags_clear(&r.slots[i].diags);
    }
    free(r.slots);

    size_t errors = diags->errors - errors_before;
    if (stats) {
        uint64_t consumed = dv.stopped ? EVTX_FILE_HEADER_SIZE + (uint64_t)chunks_done * EVTX_CHUNK_SIZE
                                       : (uint64_t)len;
        stats->bytes += consumed < len ? consumed : len;
        stats->events += dv.events;
        stats->errors += errors;
    }
    socfeed_diags_clear(&local);
    if (dv.stopped) return 0;
    return errors ? -1 : 0;
}
