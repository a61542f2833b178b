/* input_list.c — socfeed_input_list(): the files a command reads, from its path arguments.
 * One walk for every command (dump, hunt, verify), so they agree on what a directory holds. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "socfeed/reader.h"
#include "util/xalloc.h"

enum { MAX_DIR_DEPTH = 64 };

typedef struct list {
    char **items;
    size_t count, cap;
} list;

static void push(list *l, char *s) {
    if (l->count + 1 >= l->cap) l->items = xrealloc(l->items, (l->cap = l->cap ? l->cap * 2 : 32) * sizeof *l->items);
    l->items[l->count++] = s;
    l->items[l->count] = NULL;
}

static bool wanted_extension(const char *name) {
    static const char *const exts[] = {".evtx", ".json", ".jsonl", ".ndjson"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
        size_t e = strlen(exts[i]);
        if (n > e && !strcasecmp(name + n - e, exts[i])) return true;
    }
    return false;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void walk(list *out, const char *path, bool explicit_arg, int depth, socfeed_diags *diags);

static void walk_dir(list *out, const char *path, int depth, socfeed_diags *diags) {
    DIR *d = opendir(path);
    if (!d) {
        socfeed_diag_add(diags, SOCFEED_ERROR, path, (socfeed_pos){0, 0}, "io-error", "cannot open directory");
        return;
    }
    list names = {0};
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') push(&names, xstrdup(e->d_name)); /* also skips macOS "._*" files */
    closedir(d);
    if (names.count) qsort(names.items, names.count, sizeof *names.items, by_name);
    for (size_t i = 0; i < names.count; i++) {
        char *child = xasprintf("%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names.items[i]);
        walk(out, child, false, depth + 1, diags);
        free(child);
        free(names.items[i]);
    }
    free(names.items);
}

static void walk(list *out, const char *path, bool explicit_arg, int depth, socfeed_diags *diags) {
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        if (depth < MAX_DIR_DEPTH) walk_dir(out, path, depth, diags);
        else socfeed_diag_add(diags, SOCFEED_ERROR, path, (socfeed_pos){0, 0}, "io-error", "directories nested too deep");
        return;
    }
    if (explicit_arg || wanted_extension(path)) push(out, xstrdup(path));
}

char **socfeed_input_list(const char *const *paths, size_t n, socfeed_diags *diags, size_t *count) {
    list out = {0};
    push(&out, NULL); /* always a valid NULL-terminated array */
    out.count = 0;
    for (size_t i = 0; i < n; i++) walk(&out, paths[i], true, 0, diags);
    if (count) *count = out.count;
    return out.items;
}

void socfeed_input_list_free(char **items) {
    if (!items) return;
    for (char **p = items; *p; p++) free(*p);
    free(items);
}
