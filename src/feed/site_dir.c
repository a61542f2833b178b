/* site_dir.c — see site_dir.h. The swap uses renameat2(RENAME_EXCHANGE) when the old site exists,
 * so there is no moment without a complete site; otherwise a plain rename. */
#include "feed/site_dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xalloc.h"

static char *join(const char *a, const char *b) { return xasprintf("%s/%s", a, b); }

/* Removes a directory tree we created (no symlinks followed: lstat + unlink). */
static void remove_tree(const char *path) {
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            char *p = join(path, e->d_name);
            struct stat st;
            if (!lstat(p, &st) && S_ISDIR(st.st_mode)) remove_tree(p);
            else unlink(p);
            free(p);
        }
        closedir(d);
    }
    rmdir(path);
}

static bool dir_is_empty(const char *path) {
    DIR *d = opendir(path);
    if (!d) return false;
    struct dirent *e;
    bool empty = true;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) empty = false;
    closedir(d);
    return empty;
}

bool site_open(site_dir *s, const char *out, socfeed_diags *diags) {
    memset(s, 0, sizeof *s);
    s->diags = diags;
    pthread_mutex_init(&s->lock, NULL);
    socfeed_pos nopos = {0, 0};
    size_t n = strlen(out);
    while (n > 1 && out[n - 1] == '/') n--;
    s->final = xstrndup(out, n);
    struct stat st;
    if (!stat(s->final, &st)) {
        if (!S_ISDIR(st.st_mode)) {
            socfeed_diag_add(diags, SOCFEED_ERROR, s->final, nopos, "out-not-dir", "exists and is not a directory");
            goto fail;
        }
        char *marker = join(s->final, SITE_MARKER);
        bool ours = !access(marker, F_OK);
        free(marker);
        if (!ours && !dir_is_empty(s->final)) {
            socfeed_diag_add(diags, SOCFEED_ERROR, s->final, nopos, "out-not-site",
                             "exists, is not empty and is not a socfeed site (no %s): refusing to replace it",
                             SITE_MARKER);
            goto fail;
        }
    }
    s->tmp = xasprintf("%s.tmp-XXXXXX", s->final);
    if (!mkdtemp(s->tmp)) {
        socfeed_diag_add(diags, SOCFEED_ERROR, s->final, nopos, "out-create", "cannot create a temporary directory beside it: %s",
                         strerror(errno));
        free(s->tmp);
        s->tmp = NULL;
        goto fail;
    }
    chmod(s->tmp, 0755); /* mkdtemp makes it 0700; a published site is world-readable */
    return true;
fail:
    pthread_mutex_destroy(&s->lock);
    free(s->final);
    s->final = NULL;
    return false;
}

bool site_mkdir(site_dir *s, const char *rel) {
    char *p = join(s->tmp, rel);
    bool ok = !mkdir(p, 0755) || errno == EEXIST;
    if (!ok) {
        socfeed_diag_add(s->diags, SOCFEED_ERROR, p, (socfeed_pos){0, 0}, "out-write", "cannot create: %s", strerror(errno));
        s->failed = true;
    }
    free(p);
    return ok;
}

bool site_write(site_dir *s, const char *rel, const void *data, size_t len) {
    char *p = join(s->tmp, rel);
    FILE *f = fopen(p, "wb");
    bool ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f)) ok = false;
    if (!ok) {
        int err = errno;
        pthread_mutex_lock(&s->lock);
        socfeed_diag_add(s->diags, SOCFEED_ERROR, p, (socfeed_pos){0, 0}, "out-write", "cannot write: %s", strerror(err));
        s->failed = true;
        pthread_mutex_unlock(&s->lock);
    }
    free(p);
    return ok;
}

bool site_reuse(site_dir *s, const char *rel, const char *src) {
    char *p = join(s->tmp, rel);
    bool ok = !link(src, p);
    free(p);
    if (ok) return true;
    size_t len = 0;
    char *data = site_read_file(src, &len);
    if (!data) return false;
    ok = site_write(s, rel, data, len);
    free(data);
    return ok;
}

bool site_close(site_dir *s) {
    bool ok = !s->failed && s->tmp;
    if (ok) {
        struct stat st;
        if (!stat(s->final, &st)) {
            /* Exchange, then the old site sits at tmp and is removed. */
            if (renameat2(AT_FDCWD, s->tmp, AT_FDCWD, s->final, RENAME_EXCHANGE)) {
                /* Filesystems without RENAME_EXCHANGE: move the old one aside first. */
                char *old = xasprintf("%s.old-XXXXXX", s->final);
                if (!mkdtemp(old) || rename(s->final, old)) {
                    ok = false;
                } else if (rename(s->tmp, s->final)) {
                    ok = false;
                    rename(old, s->final); /* put the old site back */
                } else {
                    remove_tree(old);
                }
                free(old);
            }
        } else if (rename(s->tmp, s->final)) {
            ok = false;
        }
        if (!ok)
            socfeed_diag_add(s->diags, SOCFEED_ERROR, s->final, (socfeed_pos){0, 0}, "out-swap",
                             "cannot move the new site into place: %s", strerror(errno));
    }
    if (s->tmp) remove_tree(s->tmp); /* the old site after a swap, or the unfinished new one */
    free(s->tmp);
    free(s->final);
    s->tmp = s->final = NULL;
    pthread_mutex_destroy(&s->lock);
    return ok;
}

char *site_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0, got;
    char *buf = xmalloc(cap);
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) buf = xrealloc(buf, cap *= 2);
    }
    fclose(f);
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}
