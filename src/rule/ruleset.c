/* ruleset.c — a set of Sigma documents loaded from files, directories and buffers.
 *
 * Each file is parsed on its own (its own arena, diagnostics and compiled regexes), so files
 * load in parallel and results are appended in the order the paths were given (directories
 * sorted), whatever the thread timing: output is deterministic. Cross-file checks (duplicate ids,
 * correlation references) run in socfeed_ruleset_finalize(). */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rule/document_parse.h"
#include "rule/parse_ctx.h"
#include "rule/yaml_tree.h"
#include "util/xalloc.h"

enum { MAX_RULE_FILE_BYTES = 64 << 20, MAX_DIR_DEPTH = 64 };

typedef struct file_result {
    char *path;
    arena a;
    socfeed_rule *rules;
    size_t nrules;
    socfeed_diags diags;
    regex_list regexes;
} file_result;

struct socfeed_ruleset {
    socfeed_load_options opt;
    file_result **files;
    size_t nfiles, capfiles;
    socfeed_diags diags;
    placeholder_set *placeholders;
    const socfeed_rule **index; /* flat view over every file's rules */
    size_t nindex;
    bool index_stale;
    const socfeed_rule **by_key; /* sorted by id/name after finalize */
    size_t nby_key;
};

socfeed_ruleset *socfeed_ruleset_new(const socfeed_load_options *opt) {
    socfeed_ruleset *rs = xcalloc(1, sizeof *rs);
    if (opt) rs->opt = *opt;
    if (!rs->opt.threads) rs->opt.threads = 1;
    socfeed_diags_init(&rs->diags);
    return rs;
}

static void file_result_free(file_result *fr) {
    for (size_t i = 0; i < fr->regexes.count; i++) pcre2_code_free(fr->regexes.items[i]);
    free(fr->regexes.items);
    arena_free(&fr->a);
    socfeed_diags_clear(&fr->diags);
    free(fr->path);
    free(fr);
}

void socfeed_ruleset_free(socfeed_ruleset *rs) {
    if (!rs) return;
    for (size_t i = 0; i < rs->nfiles; i++) file_result_free(rs->files[i]);
    free(rs->files);
    free(rs->index);
    free(rs->by_key);
    placeholder_set_free(rs->placeholders);
    socfeed_diags_clear(&rs->diags);
    free(rs);
}

int socfeed_ruleset_load_placeholders(socfeed_ruleset *rs, const char *path) {
    placeholder_set *ps = placeholder_set_load(path, &rs->diags);
    if (!ps) return -1;
    placeholder_set_free(rs->placeholders);
    rs->placeholders = ps;
    return 0;
}

/* A document with nothing in it (`---` alone, or only comments) reads as a null scalar. */
static bool doc_is_empty(const yaml_document_info *d) {
    return !d->root || (d->root->kind == SOCFEED_YAML_SCALAR && d->root->type == SOCFEED_SCALAR_NULL);
}

/* Parses one file's text into `fr` (which owns everything it produces). */
static void parse_buffer(const socfeed_ruleset *rs, file_result *fr, const char *data, size_t len) {
    yaml_document_info *docs;
    int had_error;
    size_t ndocs = yaml_parse_documents(fr->path, data, len, NULL, &fr->a, &fr->diags, &docs, &had_error);
    size_t nonempty = 0;
    for (size_t i = 0; i < ndocs; i++) nonempty += !doc_is_empty(&docs[i]);
    if (!had_error && nonempty == 0) {
        socfeed_diag_add(&fr->diags, SOCFEED_ERROR, fr->path, (socfeed_pos){1, 1}, "empty-file",
                         "the file holds no Sigma document");
        return;
    }
    fr->rules = arena_alloc(&fr->a, (nonempty ? nonempty : 1) * sizeof *fr->rules);
    parse_ctx ctx = {.file = fr->path, .a = &fr->a, .diags = &fr->diags, .placeholders = rs->placeholders,
                     .regexes = &fr->regexes};
    /* Sigma v1 `action: global|reset|repeat` (pySigma still reads it): merge, as pySigma does. */
    const socfeed_yaml_node *global = NULL, *previous = NULL;
    for (size_t i = 0; i < ndocs; i++) {
        yaml_document_info doc = docs[i];
        if (doc_is_empty(&doc)) continue;
        const socfeed_yaml_node *action = yaml_map_get(doc.root, "action");
        if (action) {
            const char *what = action->kind == SOCFEED_YAML_SCALAR ? action->text : "";
            if (!strcmp(what, "global")) {
                socfeed_diag_add(&fr->diags, SOCFEED_WARNING, fr->path, action->pos, "document-action",
                                 "'action: global' is Sigma v1; its fields are merged into each following document");
                global = yaml_merge(&fr->a, NULL, doc.root, "action");
                continue;
            }
            if (!strcmp(what, "reset")) {
                global = NULL;
                continue;
            }
            if (!strcmp(what, "repeat") && previous) {
                doc.root = yaml_merge(&fr->a, previous, doc.root, "action");
            } else {
                socfeed_diag_add(&fr->diags, SOCFEED_ERROR, fr->path, action->pos, "document-action",
                                 "'action: %s' is not a Sigma v1 action (global, reset, repeat)", what);
                continue;
            }
        } else if (global) {
            doc.root = yaml_merge(&fr->a, global, doc.root, NULL);
        }
        previous = doc.root;
        parse_document(&ctx, &doc, data, i, &fr->rules[fr->nrules]);
        fr->nrules++;
    }
}

static void load_file(const socfeed_ruleset *rs, file_result *fr) {
    FILE *f = fopen(fr->path, "rb");
    if (!f) {
        socfeed_diag_add(&fr->diags, SOCFEED_ERROR, fr->path, (socfeed_pos){0, 0}, "io", "cannot open: %s",
                         strerror(errno));
        return;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && st.st_size > MAX_RULE_FILE_BYTES) {
        socfeed_diag_add(&fr->diags, SOCFEED_ERROR, fr->path, (socfeed_pos){0, 0}, "file-too-large",
                         "rule file of %lld bytes exceeds the limit of %d bytes", (long long)st.st_size,
                         MAX_RULE_FILE_BYTES);
        fclose(f);
        return;
    }
    size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, n = 0, got;
    char *buf = xmalloc(cap);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            if (cap > MAX_RULE_FILE_BYTES) break;
            buf = xrealloc(buf, cap *= 2);
        }
    }
    fclose(f);
    parse_buffer(rs, fr, buf, n);
    free(buf);
}

static file_result *new_file_result(const char *path) {
    file_result *fr = xcalloc(1, sizeof *fr);
    fr->path = xstrdup(path);
    arena_init(&fr->a);
    socfeed_diags_init(&fr->diags);
    return fr;
}

static void append_result(socfeed_ruleset *rs, file_result *fr) {
    if (rs->nfiles == rs->capfiles) {
        rs->capfiles = rs->capfiles ? rs->capfiles * 2 : 64;
        rs->files = xrealloc(rs->files, rs->capfiles * sizeof *rs->files);
    }
    rs->files[rs->nfiles++] = fr;
    socfeed_diags_move(&rs->diags, &fr->diags);
    rs->index_stale = true;
}

/* ---- directory walk ---- */

typedef struct path_list {
    char **items;
    size_t count, cap;
} path_list;

static void path_push(path_list *l, char *p) {
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->items = xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->count++] = p;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool has_rule_extension(const char *name) {
    size_t n = strlen(name);
    return (n > 4 && !strcmp(name + n - 4, ".yml")) || (n > 5 && !strcmp(name + n - 5, ".yaml"));
}

static void walk(socfeed_ruleset *rs, const char *dir, path_list *out, unsigned depth) {
    if (depth > MAX_DIR_DEPTH) {
        socfeed_diag_add(&rs->diags, SOCFEED_ERROR, dir, (socfeed_pos){0, 0}, "io", "directories nested too deep");
        return;
    }
    DIR *d = opendir(dir);
    if (!d) {
        socfeed_diag_add(&rs->diags, SOCFEED_ERROR, dir, (socfeed_pos){0, 0}, "io", "cannot open directory: %s",
                         strerror(errno));
        return;
    }
    path_list entries = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue; /* ., .., and hidden files such as .git */
        path_push(&entries, xasprintf("%s/%s", dir, e->d_name));
    }
    closedir(d);
    qsort(entries.items, entries.count, sizeof *entries.items, by_name);
    for (size_t i = 0; i < entries.count; i++) {
        struct stat st;
        char *p = entries.items[i];
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            walk(rs, p, out, depth + 1);
            free(p);
        } else if (has_rule_extension(p)) {
            path_push(out, p);
        } else {
            free(p);
        }
    }
    free(entries.items);
}

/* ---- parallel parse ---- */

typedef struct load_job {
    const socfeed_ruleset *rs;
    file_result **results;
    size_t count;
    atomic_size_t next;
} load_job;

static void *load_worker(void *arg) {
    load_job *job = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&job->next, 1);
        if (i >= job->count) break;
        load_file(job->rs, job->results[i]);
    }
    return NULL;
}

static void load_files(socfeed_ruleset *rs, path_list *paths) {
    load_job job = {.rs = rs, .count = paths->count};
    atomic_init(&job.next, 0);
    job.results = xmalloc((paths->count ? paths->count : 1) * sizeof *job.results);
    for (size_t i = 0; i < paths->count; i++) job.results[i] = new_file_result(paths->items[i]);
    unsigned nthreads = rs->opt.threads;
    if (nthreads > paths->count) nthreads = (unsigned)paths->count;
    pthread_t *threads = xmalloc((nthreads ? nthreads : 1) * sizeof *threads);
    unsigned started = 0;
    for (unsigned t = 1; t < nthreads; t++)
        if (pthread_create(&threads[started], NULL, load_worker, &job) == 0) started++;
    load_worker(&job); /* the calling thread works too */
    for (unsigned t = 0; t < started; t++) pthread_join(threads[t], NULL);
    free(threads);
    for (size_t i = 0; i < paths->count; i++) append_result(rs, job.results[i]);
    free(job.results);
}

int socfeed_ruleset_load_path(socfeed_ruleset *rs, const char *path) {
    size_t errors_before = rs->diags.errors;
    struct stat st;
    if (stat(path, &st) != 0) {
        socfeed_diag_add(&rs->diags, SOCFEED_ERROR, path, (socfeed_pos){0, 0}, "io", "cannot read: %s", strerror(errno));
        return -1;
    }
    path_list paths = {0};
    if (S_ISDIR(st.st_mode)) walk(rs, path, &paths, 0);
    else path_push(&paths, xstrdup(path));
    load_files(rs, &paths);
    for (size_t i = 0; i < paths.count; i++) free(paths.items[i]);
    free(paths.items);
    return rs->diags.errors == errors_before ? 0 : -1;
}

int socfeed_ruleset_load_buffer(socfeed_ruleset *rs, const char *name, const char *data, size_t len) {
    size_t errors_before = rs->diags.errors;
    file_result *fr = new_file_result(name);
    parse_buffer(rs, fr, data, len);
    append_result(rs, fr);
    return rs->diags.errors == errors_before ? 0 : -1;
}

/* ---- queries ---- */

static void rebuild_index(socfeed_ruleset *rs) {
    if (!rs->index_stale) return;
    size_t n = 0;
    for (size_t i = 0; i < rs->nfiles; i++) n += rs->files[i]->nrules;
    rs->index = xrealloc(rs->index, (n ? n : 1) * sizeof *rs->index);
    rs->nindex = 0;
    for (size_t i = 0; i < rs->nfiles; i++)
        for (size_t j = 0; j < rs->files[i]->nrules; j++) rs->index[rs->nindex++] = &rs->files[i]->rules[j];
    rs->index_stale = false;
}

size_t socfeed_ruleset_count(const socfeed_ruleset *rs) {
    rebuild_index((socfeed_ruleset *)rs);
    return rs->nindex;
}

const socfeed_rule *socfeed_ruleset_get(const socfeed_ruleset *rs, size_t i) {
    rebuild_index((socfeed_ruleset *)rs);
    return i < rs->nindex ? rs->index[i] : NULL;
}

size_t socfeed_ruleset_file_count(const socfeed_ruleset *rs) { return rs->nfiles; }
socfeed_diags *socfeed_ruleset_diags(socfeed_ruleset *rs) { return &rs->diags; }

const socfeed_rule *socfeed_ruleset_find(const socfeed_ruleset *rs, const char *key) {
    size_t n = socfeed_ruleset_count(rs);
    for (size_t i = 0; i < n; i++) {
        const socfeed_rule *r = rs->index[i];
        if ((r->id.s && !strcmp(r->id.s, key)) || (r->name.s && !strcmp(r->name.s, key))) return r;
    }
    return NULL;
}

static bool attr_contains(const socfeed_text *outer, const socfeed_text *inner) {
    return !outer->s || (inner->s && !strcasecmp(outer->s, inner->s));
}

bool socfeed_filter_applies(const socfeed_rule *filter, const socfeed_rule *rule) {
    if (filter->kind != SOCFEED_DOC_FILTER || !filter->filter || rule->kind != SOCFEED_DOC_RULE) return false;
    const socfeed_logsource *f = &filter->logsource, *r = &rule->logsource;
    if (!attr_contains(&f->category, &r->category) || !attr_contains(&f->product, &r->product) ||
        !attr_contains(&f->service, &r->service))
        return false;
    if (filter->filter->any) return true;
    for (size_t i = 0; i < filter->filter->rules.count; i++) {
        const char *ref = filter->filter->rules.items[i].s;
        if ((rule->id.s && !strcmp(ref, rule->id.s)) || (rule->name.s && !strcmp(ref, rule->name.s))) return true;
    }
    return false;
}

/* ---- cross-document checks ---- */

typedef struct keyed {
    const char *key;
    const socfeed_rule *rule;
    socfeed_pos pos;
    bool is_name;
} keyed;

static int by_key(const void *a, const void *b) {
    const keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c) return c;
    c = strcmp(x->rule->file, y->rule->file);
    if (c) return c;
    return x->pos.line < y->pos.line ? -1 : x->pos.line > y->pos.line;
}

void socfeed_ruleset_finalize(socfeed_ruleset *rs) {
    size_t n = socfeed_ruleset_count(rs);
    keyed *keys = xmalloc((2 * n + 1) * sizeof *keys);
    size_t nk = 0;
    for (size_t i = 0; i < n; i++) {
        const socfeed_rule *r = rs->index[i];
        if (r->id.s) keys[nk++] = (keyed){r->id.s, r, r->id.pos, false};
        if (r->name.s) keys[nk++] = (keyed){r->name.s, r, r->name.pos, true};
    }
    qsort(keys, nk, sizeof *keys, by_key);
    for (size_t i = 1; i < nk; i++) {
        if (strcmp(keys[i].key, keys[i - 1].key)) continue;
        if (keys[i].rule == keys[i - 1].rule) continue;
        /* Documents merged from one v1 `action: global` template share its id: not a clash. */
        if (keys[i].rule->file == keys[i - 1].rule->file && keys[i].pos.line == keys[i - 1].pos.line &&
            keys[i].pos.col == keys[i - 1].pos.col)
            continue;
        socfeed_diag_add(&rs->diags, SOCFEED_ERROR, keys[i].rule->file, keys[i].pos,
                         keys[i].is_name ? "duplicate-name" : "duplicate-id", "%s '%s' is already used by %s:%u",
                         keys[i].is_name ? "name" : "id", keys[i].key, keys[i - 1].rule->file, keys[i - 1].pos.line);
        ((socfeed_rule *)keys[i].rule)->valid = false;
    }
    free(keys);
    for (size_t i = 0; i < n; i++) {
        socfeed_rule *r = (socfeed_rule *)rs->index[i];
        if (r->kind == SOCFEED_DOC_CORRELATION && r->correlation) {
            socfeed_correlation *c = r->correlation;
            if (c->resolved) continue; /* finalize is idempotent */
            c->resolved = xcalloc(c->rules.count ? c->rules.count : 1, sizeof *c->resolved);
            /* owned by the file's arena lifetime: copy into it and free the scratch */
            const socfeed_rule **res = (const socfeed_rule **)c->resolved;
            for (size_t j = 0; j < c->rules.count; j++) {
                res[j] = socfeed_ruleset_find(rs, c->rules.items[j].s);
                if (!res[j]) {
                    socfeed_diag_add(&rs->diags, SOCFEED_ERROR, r->file, c->rules.items[j].pos, "correlation-reference",
                                     "correlation refers to '%s', which is not loaded", c->rules.items[j].s);
                    r->valid = false;
                } else if (res[j] == r) {
                    socfeed_diag_add(&rs->diags, SOCFEED_ERROR, r->file, c->rules.items[j].pos, "correlation-reference",
                                     "a correlation cannot refer to itself");
                    r->valid = false;
                }
            }
            for (size_t f = 0; f < rs->nfiles; f++) {
                if (rs->files[f]->rules <= r && r < rs->files[f]->rules + rs->files[f]->nrules) {
                    c->resolved = arena_memdup(&rs->files[f]->a, res, (c->rules.count ? c->rules.count : 1) * sizeof *res);
                    break;
                }
            }
            free(res);
        }
        if (r->kind == SOCFEED_DOC_FILTER && r->filter && !r->filter->any) {
            for (size_t j = 0; j < r->filter->rules.count; j++)
                if (!socfeed_ruleset_find(rs, r->filter->rules.items[j].s))
                    socfeed_diag_add(&rs->diags, SOCFEED_WARNING, r->file, r->filter->rules.items[j].pos,
                                     "filter-reference", "filter names '%s', which is not loaded",
                                     r->filter->rules.items[j].s);
        }
    }
    socfeed_diags_sort(&rs->diags);
}
