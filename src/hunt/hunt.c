/* hunt.c — socfeed_hunt_files(): inputs → work units → worker threads (one scanner each) →
 * rendered detections written in unit order by the calling thread (see hunt.h). */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/event_facts.h"
#include "events/stream.h"
#include "hunt/host_tally.h"
#include "hunt/hunt_render.h"
#include "socfeed/hunt.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* A JSON Lines file at least this large is cut into one slice per thread. */
enum { SLICE_MIN_BYTES = 32 << 20, DROP_EVERY = 64 << 20 };
/* A unit holding this much rendered output writes it out as soon as it is the unit being written
 * (all before it done), so output memory stays bounded even when a noisy rule fires on every event. */
enum { FLUSH_BYTES = 8 << 20 };

typedef struct unit {
    const char *path;        /* as the user named it (origins, diagnostics) */
    char *real_path;         /* absolute, for File: logsource sources */
    const char *slice;       /* JSON Lines slice of a shared image, or NULL: read the file */
    size_t slice_len;
    uint64_t slice_offset, slice_line;
    uint64_t size;           /* a whole regular file's size, for the progress bar (0: unknown) */
    bool first_of_file;
    /* results */
    strbuf out;
    socfeed_corr_record *records; /* detections some correlation refers to */
    size_t nrecords, records_cap;
    uint64_t correlation_inputs;
    socfeed_diags diags;
    uint64_t events, bytes, errors;
    uint64_t outside_window, without_time;
    bool done;
} unit;

typedef struct run {
    const socfeed_hunt_options *opt;
    unit *units;
    size_t nunits;
    socfeed_file_image *images; /* mapped large JSON Lines files, released at the end */
    size_t nimages;
    size_t next;                /* next unit to start */
    size_t head;                /* the unit whose output is due (all before it are written) */
    size_t flush_waiters;       /* workers in flush_early(), waiting for their unit to be head */
    socfeed_hunt_stats *stats;  /* totals of the written units */
    socfeed_diags *diags;       /* where written units' diagnostics go */
    bool input_errors;
    unsigned decode_threads;    /* EVTX decoding threads per file when files are fewer than threads */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    _Atomic uint64_t bytes_done, events_done;
    uint64_t **per_rule;        /* per worker */
    size_t nrules;
    char *dir_given, *dir_resolved; /* the last input directory as given and resolved (plan only) */
} run;

typedef struct worker {
    run *r;
    size_t id;
    socfeed_scanner *s;
    unit *u;
    uint64_t *per_rule;
    host_tally hosts;
    field_view facts;           /* the current event's fields for the time window (detections
                                   are rendered from the scanner's own view) */
    uint64_t last_drop;         /* offset up to which slice pages were released */
    socfeed_file_buffer file_buffer; /* whole-file units are read into it (see reader.h) */
} worker;

/* Waits until this unit's output is due, then writes what it has so far. Units are taken in
 * order, so every unit before this one is running or done: the wait always ends. */
static void flush_early(worker *w) {
    run *r = w->r;
    size_t idx = (size_t)(w->u - r->units);
    pthread_mutex_lock(&r->mu);
    r->flush_waiters++;
    while (r->head != idx) pthread_cond_wait(&r->cv, &r->mu);
    r->flush_waiters--;
    pthread_mutex_unlock(&r->mu);
    if (r->opt->out) fwrite(w->u->out.data, 1, w->u->out.len, r->opt->out);
    sb_reset(&w->u->out);
}

static int on_hit(void *p, const socfeed_hit *h) {
    worker *w = p;
    socfeed_correlator *corr = w->r->opt->correlator;
    if (corr && socfeed_correlator_wants(corr, h->rule_index)) {
        unit *u = w->u;
        if (u->nrecords == u->records_cap)
            u->records = xrealloc(u->records, (u->records_cap = u->records_cap ? u->records_cap * 2 : 64) * sizeof *u->records);
        socfeed_corr_record *rec = &u->records[u->nrecords++];
        socfeed_corr_record_init(corr, h, rec);
        /* unit number and the event's ordinal in it: unique over the run (units < 2^24) */
        rec->event_seq = (uint64_t)(u - w->r->units + 1) << 40 | u->events;
        if (!socfeed_correlator_generates(corr, h->rule_index)) {
            u->correlation_inputs++;
            return 0;
        }
    }
    field_view *fv = scanner_event_view(w->s);
    hunt_render_to(&w->u->out, fv, w->r->opt->format, h);
    w->per_rule[h->rule_index]++;
    size_t clen = 0;
    const char *computer = fv_computer_text(fv, &clen);
    host_tally_add(&w->hosts, computer ? computer : "", computer ? clen : 0, 1);
    if (w->u->out.len >= FLUSH_BYTES) flush_early(w);
    return 0;
}

static void release_pages(const char *from_p, const char *to_p);

/* Pages of a mapped slice already scanned are handed back, so resident memory stays bounded by
 * DROP_EVERY per worker whatever the file size (the mapping is private and read-only: a page
 * touched again is simply read again). */
static void release_scanned(worker *w, const socfeed_event *ev) {
    unit *u = w->u;
    if (!u->slice) return;
    uint64_t rel = ev->origin.offset - u->slice_offset;
    if (rel - w->last_drop < DROP_EVERY) return;
    release_pages(u->slice + w->last_drop, u->slice + rel);
    w->last_drop = rel;
}

/* Whether the event falls in the --from/--to window (always, without one). */
static bool in_window(worker *w, const socfeed_event *ev) {
    const socfeed_hunt_options *opt = w->r->opt;
    unit *u = w->u;
    if (!opt->has_from && !opt->has_to) return true;
    size_t len = 0;
    fv_build(&w->facts, ev);
    const char *text = fv_time_text(&w->facts, &len);
    int64_t t;
    if (!text || !socfeed_time_parse(text, len, &t)) {
        u->without_time++;
        return false;
    }
    if ((opt->has_from && t < opt->from_ms) || (opt->has_to && t >= opt->to_ms)) {
        u->outside_window++;
        return false;
    }
    return true;
}

static int on_event(void *p, const socfeed_event *ev) {
    worker *w = p;
    w->u->events++;
    if ((w->u->events & 1023) == 0) atomic_fetch_add(&w->r->events_done, 1024);
    if (in_window(w, ev))
        socfeed_scanner_event(w->s, ev, w->u->real_path, on_hit, w, &w->u->diags);
    release_scanned(w, ev);
    return 0;
}

static void process(worker *w, unit *u) {
    const socfeed_hunt_options *opt = w->r->opt;
    socfeed_read_stats st = {0};
    w->u = u;
    w->last_drop = 0;
    int rc;
    if (u->slice) {
        socfeed_read_options ro = opt->read;
        ro.base_offset = u->slice_offset;
        ro.base_line = u->slice_line;
        rc = socfeed_json_read_buffer(u->path, u->slice, u->slice_len, &ro, on_event, w, &u->diags, &st);
    } else if (!strcmp(u->path, "-")) {
        rc = socfeed_read_fd("<stdin>", STDIN_FILENO, &opt->read, on_event, w, &u->diags, &st);
    } else {
        socfeed_read_options ro = opt->read;
        if (w->r->decode_threads > ro.threads) ro.threads = w->r->decode_threads;
        ro.file_buffer = &w->file_buffer;
        rc = socfeed_read_file(u->path, &ro, on_event, w, &u->diags, &st);
    }
    u->bytes = st.bytes;
    u->errors = st.errors + (rc != 0 && st.errors == 0);
    atomic_fetch_add(&w->r->events_done, u->events & 1023);
    atomic_fetch_add(&w->r->bytes_done, st.bytes);
}

static void commit_done_units(run *r);

static void *worker_main(void *p) {
    worker *w = p;
    run *r = w->r;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        size_t i = r->next < r->nunits ? r->next++ : r->nunits;
        pthread_mutex_unlock(&r->mu);
        if (i == r->nunits) break;
        process(w, &r->units[i]);
        pthread_mutex_lock(&r->mu);
        r->units[i].done = true;
        commit_done_units(r);
        pthread_mutex_unlock(&r->mu);
    }
    return NULL;
}

/* The absolute, symlink-free path of an input, which File: logsource sources are matched against.
 * Files of one directory share its resolution: realpath() reads every component of every path (a
 * readlink each), 5 % of reading a directory of small EVTX files. A file that is itself a symbolic
 * link, or named "." or "..", is resolved on its own. */
static char *resolve_input(run *r, const char *path) {
    char resolved[PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : NULL;
    struct stat st;
    if (base && *base && strcmp(base, ".") && strcmp(base, "..") && lstat(path, &st) == 0 && !S_ISLNK(st.st_mode)) {
        size_t dlen = (size_t)(slash - path);
        if (!r->dir_given || strlen(r->dir_given) != dlen || memcmp(r->dir_given, path, dlen)) {
            free(r->dir_given);
            free(r->dir_resolved);
            r->dir_given = xstrndup(path, dlen);
            r->dir_resolved = realpath(dlen ? r->dir_given : "/", resolved) ? xstrdup(resolved) : NULL;
        }
        if (r->dir_resolved)
            return xasprintf("%s/%s", strcmp(r->dir_resolved, "/") ? r->dir_resolved : "", base);
    }
    return xstrdup(strcmp(path, "-") && realpath(path, resolved) ? resolved : path);
}

static unit *add_unit(run *r, const char *path) {
    r->units = xrealloc(r->units, (r->nunits + 1) * sizeof *r->units);
    unit *u = &r->units[r->nunits++];
    memset(u, 0, sizeof *u);
    u->path = path;
    u->first_of_file = true;
    sb_init(&u->out);
    socfeed_diags_init(&u->diags);
    u->real_path = resolve_input(r, path);
    return u;
}

/* JSON Lines: the first line is one complete object. Pretty-printed JSON and arrays are not cut. */
static bool looks_like_json_lines(const char *p, size_t len) {
    const char *nl = memchr(p, '\n', len < (1u << 20) ? len : (1u << 20));
    if (!nl || p[0] != '{') return false;
    const char *e = nl;
    while (e > p && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t')) e--;
    return e > p + 1 && e[-1] == '}';
}

static void release_pages(const char *from_p, const char *to_p) {
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = ((uintptr_t)from_p + page - 1) & ~(page - 1), to = (uintptr_t)to_p & ~(page - 1);
    if (to > from) madvise((void *)from, to - from, MADV_DONTNEED);
}

/* Counting pages the slice in: it is done piecewise, each piece handed back once counted, so
 * planning does not hold the file in memory (its worker pages it in again as it goes). */
static uint64_t count_lines(const char *p, size_t n) {
    uint64_t lines = 0;
    const char *end = p + n;
    while (p < end) {
        const char *piece_end = (size_t)(end - p) > (size_t)DROP_EVERY ? p + DROP_EVERY : end;
        const char *q = p;
        while ((q = memchr(q, '\n', (size_t)(piece_end - q)))) lines++, q++;
        release_pages(p, piece_end);
        p = piece_end;
    }
    return lines;
}

/* A large JSON file is mapped once and read as slices, so its scanned pages can be released
 * (bounded memory); JSON Lines are cut at line starts into one slice per thread. Everything else
 * (small files, EVTX, stdin) is one whole-file unit. */
static void plan_file(run *r, const char *path, unsigned threads) {
    size_t start_units = r->nunits;
    unit *whole = add_unit(r, path);
    struct stat st;
    if (!strcmp(path, "-") || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return;
    whole->size = (uint64_t)st.st_size;
    if (st.st_size < SLICE_MIN_BYTES) return;
    socfeed_file_image img;
    socfeed_diags quiet;
    socfeed_diags_init(&quiet);
    int rc = socfeed_file_image_load(path, NULL, &img, &quiet); /* mapped: slices release their pages */
    socfeed_diags_clear(&quiet); /* the unit reports it when it reads the file itself */
    if (rc != 0) return;
    if (img.kind != IMAGE_MAPPED || socfeed_sniff_format(img.data, img.len) != SOCFEED_INPUT_JSON) {
        socfeed_file_image_release(&img);
        return;
    }
    if (!looks_like_json_lines(img.data, img.len)) threads = 1;
    r->nunits = start_units; /* replace the whole-file unit by slices */
    free(r->units[start_units].real_path);
    r->images = xrealloc(r->images, (r->nimages + 1) * sizeof *r->images);
    r->images[r->nimages++] = img;
    const char *data = img.data;
    size_t pos = 0;
    uint64_t line = 1;
    for (unsigned k = 0; k < threads && pos < img.len; k++) {
        size_t end = k + 1 == threads ? img.len : img.len / threads * (k + 1);
        if (end < pos) end = pos;
        if (end < img.len) { /* move to the next line start */
            const char *nl = memchr(data + end, '\n', img.len - end);
            end = nl ? (size_t)(nl - data) + 1 : img.len;
        }
        unit *u = add_unit(r, path);
        u->slice = data + pos;
        u->slice_len = end - pos;
        u->slice_offset = pos;
        u->slice_line = line;
        u->first_of_file = k == 0;
        if (k + 1 < threads) line += count_lines(data + pos, end - pos);
        pos = end;
    }
}

typedef struct alert_ctx {
    const socfeed_hunt_options *opt;
    const socfeed_ruleset *rs;
    socfeed_hunt_stats *stats;
    host_tally *hosts;
} alert_ctx;

static int on_alert(void *p, const socfeed_corr_alert *a) {
    alert_ctx *ac = p;
    char *text = socfeed_hunt_render_alert(ac->opt->format, a);
    if (ac->opt->out) fputs(text, ac->opt->out);
    free(text);
    for (size_t i = 0; i < ac->stats->nrules; i++)
        if (socfeed_ruleset_get(ac->rs, i) == a->correlation) ac->stats->per_rule[i]++;
    ac->stats->detections++;
    if (a->computer) host_tally_add(ac->hosts, a->computer, strlen(a->computer), 1);
    return 0;
}

/* After every input: the collected records in time order through the correlations. */
static void correlate(run *r, const socfeed_ruleset *rs, socfeed_hunt_stats *stats, host_tally *hosts) {
    size_t n = 0;
    for (size_t i = 0; i < r->nunits; i++) n += r->units[i].nrecords;
    socfeed_corr_record *all = xcalloc(n + 1, sizeof *all);
    size_t k = 0;
    for (size_t i = 0; i < r->nunits; i++) {
        if (r->units[i].nrecords) memcpy(all + k, r->units[i].records, r->units[i].nrecords * sizeof *all);
        k += r->units[i].nrecords;
        free(r->units[i].records);
    }
    socfeed_corr_records_sort(all, n);
    alert_ctx ac = {r->opt, rs, stats, hosts};
    for (size_t i = 0; i < n; i++) socfeed_correlator_feed(r->opt->correlator, &all[i], on_alert, &ac);
    socfeed_correlator_finish(r->opt->correlator, on_alert, &ac);
    for (size_t i = 0; i < n; i++) socfeed_corr_record_clear(&all[i]);
    free(all);
}

/* Writes, in input order, every done unit whose predecessors are written, and counts it. Called
 * with r->mu held by the thread that finished a unit (or by the main thread once the header is
 * out). Output is written by whoever completes the unit that is due, not handed to the main thread:
 * waking it once per unit cost 10 % of the CPU time on a directory of 7,000 small EVTX files. */
static void commit_done_units(run *r) {
    bool moved = false;
    while (r->head < r->nunits && r->units[r->head].done) {
        unit *u = &r->units[r->head];
        socfeed_hunt_stats *stats = r->stats;
        stats->files += u->first_of_file;
        stats->events += u->events;
        stats->bytes += u->bytes;
        stats->read_errors += u->errors;
        stats->correlation_inputs += u->correlation_inputs;
        stats->outside_window += u->outside_window;
        stats->without_time += u->without_time;
        if (u->errors) r->input_errors = true;
        if (u->out.len && r->opt->out) fwrite(u->out.data, 1, u->out.len, r->opt->out);
        sb_free(&u->out);
        socfeed_diags_move(r->diags, &u->diags);
        free(u->real_path);
        socfeed_diags_clear(&u->diags);
        r->head++;
        moved = true;
    }
    /* the main thread waits for the last unit; a worker may wait to flush the unit now due */
    if (moved && (r->flush_waiters || r->head == r->nunits)) pthread_cond_broadcast(&r->cv);
}

int socfeed_hunt_files(const socfeed_hunt_options *opt, const char *const *files, size_t nfiles,
                       socfeed_diags *diags, socfeed_hunt_stats *stats) {
    unsigned threads = opt->threads ? opt->threads : 1;
    run r;
    memset(&r, 0, sizeof r);
    r.opt = opt;
    r.stats = stats;
    r.diags = diags;
    r.head = SIZE_MAX; /* nothing is due before the header is written */
    for (size_t i = 0; i < nfiles; i++) plan_file(&r, files[i], threads);
    /* Fewer files than threads (one big EVTX log): the spare threads decode EVTX chunks. */
    if (r.nunits && threads > r.nunits) r.decode_threads = threads / (unsigned)r.nunits;
    if (threads > r.nunits) threads = r.nunits ? (unsigned)r.nunits : 1;
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    size_t nrules = socfeed_engine_rule_count(opt->engine); /* hits carry rule-set indexes */
    r.nrules = nrules;
    worker *workers = xcalloc(threads, sizeof *workers);
    pthread_t *tids = xcalloc(threads, sizeof *tids);
    for (unsigned t = 0; t < threads; t++) {
        workers[t] = (worker){.r = &r, .id = t, .s = socfeed_scanner_new(opt->engine)};
        fv_init(&workers[t].facts);
        workers[t].per_rule = xcalloc(nrules + 1, sizeof *workers[t].per_rule);
        pthread_create(&tids[t], NULL, worker_main, &workers[t]);
    }
    uint64_t total = 0; /* for the progress bar */
    for (size_t i = 0; i < r.nunits; i++) total += r.units[i].slice ? r.units[i].slice_len : r.units[i].size;
    if (opt->out) {
        const char *h = socfeed_hunt_header(opt->format);
        if (*h) fputs(h, opt->out);
    }
    pthread_mutex_lock(&r.mu);
    r.head = 0;
    commit_done_units(&r);         /* units finished before the header was out */
    pthread_cond_broadcast(&r.cv); /* a unit waiting to flush early may be the first */
    while (r.head < r.nunits) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 200 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
        pthread_cond_timedwait(&r.cv, &r.mu, &ts);
        if (opt->progress && r.head < r.nunits) {
            pthread_mutex_unlock(&r.mu);
            opt->progress(opt->progress_ctx, atomic_load(&r.bytes_done), total, atomic_load(&r.events_done));
            pthread_mutex_lock(&r.mu);
        }
    }
    pthread_mutex_unlock(&r.mu);
    int rc = r.input_errors ? -1 : 0;
    if (opt->progress) opt->progress(opt->progress_ctx, total, total, atomic_load(&r.events_done));
    stats->nrules = nrules;
    stats->per_rule = xcalloc(nrules + 1, sizeof *stats->per_rule);
    host_tally hosts = {0};
    for (unsigned t = 0; t < threads; t++) {
        pthread_join(tids[t], NULL);
        for (size_t k = 0; k < nrules; k++) {
            stats->per_rule[k] += workers[t].per_rule[k];
            stats->detections += workers[t].per_rule[k];
        }
        free(workers[t].per_rule);
        host_tally_merge(&hosts, &workers[t].hosts);
        host_tally_free(&workers[t].hosts);
        fv_free(&workers[t].facts);
        socfeed_file_buffer_free(&workers[t].file_buffer);
        socfeed_scanner_stats ss;
        socfeed_scanner_get_stats(workers[t].s, &ss);
        stats->rules_evaluated += ss.rules_evaluated;
        stats->rules_skipped += ss.rules_skipped;
        stats->values_scanned += ss.values_scanned;
        stats->values_remembered += ss.values_remembered;
        socfeed_scanner_free(workers[t].s);
    }
    if (opt->correlator) correlate(&r, socfeed_engine_ruleset(opt->engine), stats, &hosts);
    else
        for (size_t i = 0; i < r.nunits; i++) free(r.units[i].records);
    stats->hosts = host_tally_take_sorted(&hosts, &stats->nhosts);
    for (size_t i = 0; i < r.nimages; i++) socfeed_file_image_release(&r.images[i]);
    free(r.dir_given);
    free(r.dir_resolved);
    free(r.images);
    free(workers);
    free(tids);
    free(r.units);
    pthread_cond_destroy(&r.cv);
    pthread_mutex_destroy(&r.mu);
    return rc;
}

void socfeed_hunt_stats_clear(socfeed_hunt_stats *stats) {
    free(stats->per_rule);
    for (size_t i = 0; i < stats->nhosts; i++) free(stats->hosts[i].name);
    free(stats->hosts);
    memset(stats, 0, sizeof *stats);
}
