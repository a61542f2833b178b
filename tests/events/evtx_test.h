/* evtx_test.h — helpers shared by the EVTX reader tests (tests/events/evtx_*.c): loading files,
 * listing .evtx files under a folder, collecting events, and a small EVTX image builder for
 * hand-made records. Test-only; static functions so each test file gets its own copy. */
#ifndef SOCFEED_TEST_EVTX_TEST_H
#define SOCFEED_TEST_EVTX_TEST_H


#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events/evtx/evtx_internal.h"
#include "harness.h"
#include "socfeed/reader.h"

typedef struct evtx_test_file {
    unsigned char *data;
    size_t len;
} evtx_test_file;

static __attribute__((unused)) bool evtx_test_load(const char *path, evtx_test_file *f) {
    f->data = NULL;
    f->len = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp) return false;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    f->len = n > 0 ? (size_t)n : 0;
    f->data = malloc(f->len + 1);
    bool ok = f->data && fread(f->data, 1, f->len, fp) == f->len;
    fclose(fp);
    return ok;
}

/* Sorted list of the paths of every file ending in `suffix` under `root`. */
typedef struct evtx_test_paths {
    char **items;
    size_t count, cap;
} evtx_test_paths;

static evtx_test_paths *evtx_test_walk_target;
static const char *evtx_test_walk_suffix;

static int evtx_test_walk_one(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void)st;
    (void)ftw;
    size_t n = strlen(path), s = strlen(evtx_test_walk_suffix);
    if (type != FTW_F || n < s || strcmp(path + n - s, evtx_test_walk_suffix) != 0) return 0;
    evtx_test_paths *p = evtx_test_walk_target;
    if (p->count == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 64;
        p->items = realloc(p->items, p->cap * sizeof *p->items);
    }
    p->items[p->count++] = strdup(path);
    return 0;
}

static int evtx_test_cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static __attribute__((unused)) void evtx_test_list(const char *root, const char *suffix,
                                                   evtx_test_paths *out) {
    memset(out, 0, sizeof *out);
    evtx_test_walk_target = out;
    evtx_test_walk_suffix = suffix;
    nftw(root, evtx_test_walk_one, 16, FTW_PHYS);
    if (out->count) qsort(out->items, out->count, sizeof *out->items, evtx_test_cmp_str);
}

static __attribute__((unused)) void evtx_test_paths_free(evtx_test_paths *p) {
    for (size_t i = 0; i < p->count; i++) free(p->items[i]);
    free(p->items);
    memset(p, 0, sizeof *p);
}

/* Counts events and remembers the first few record ids and offsets (file order checks). */
typedef struct evtx_test_count {
    uint64_t events;
    uint64_t last_offset;
    bool in_order;
} evtx_test_count;

static __attribute__((unused)) int evtx_test_count_event(void *ctx, const socfeed_event *ev) {
    evtx_test_count *c = ctx;
    if (c->events && ev->origin.offset <= c->last_offset) c->in_order = false;
    if (ev->origin.index != c->events) c->in_order = false;
    c->last_offset = ev->origin.offset;
    c->events++;
    return 0;
}

static __attribute__((unused)) uint64_t evtx_test_read_count(const char *name, const void *data,
                                                             size_t len, unsigned threads,
                                                             socfeed_diags *diags, int *rc) {
    evtx_test_count c = {0, 0, true};
    socfeed_read_options opt = {.threads = threads};
    int r = socfeed_evtx_read_buffer(name, data, len, &opt, evtx_test_count_event, &c, diags, NULL);
    if (rc) *rc = r;
    if (!c.in_order) harness_fail(__FILE__, __LINE__, "%s: events not delivered in file order", name);
    return c.events;
}

static __attribute__((unused)) bool evtx_test_has_code(const socfeed_diags *d, const char *code) {
    for (size_t i = 0; i < d->count; i++)
        if (!strcmp(d->items[i].code, code)) return true;
    return false;
}

/* Object member lookup by a '/'-separated path ("Event/EventData/Image"); NULL when absent. */
static __attribute__((unused)) const socfeed_event_value *evtx_test_path(const socfeed_event_value *v,
                                                                         const char *path) {
    while (v && *path) {
        const char *slash = strchr(path, '/');
        size_t n = slash ? (size_t)(slash - path) : strlen(path);
        const socfeed_event_value *next = NULL;
        if (v->type == SOCFEED_EV_OBJECT)
            for (uint32_t i = 0; i < v->len && !next; i++)
                if (v->as.members[i].key_len == n && !memcmp(v->as.members[i].key, path, n))
                    next = &v->as.members[i].value;
        v = next;
        path += n + (slash ? 1 : 0);
    }
    return v;
}

#endif
