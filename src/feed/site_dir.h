/* site_dir.h — writing the site into a temporary directory and swapping it in atomically, so a
 * failed or interrupted build never leaves a half-written site where the old one was. */
#ifndef SOCFEED_FEED_SITE_DIR_H
#define SOCFEED_FEED_SITE_DIR_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "socfeed/diag.h"

/* The marker (and manifest) every site carries; only directories holding it are ever replaced. */
#define SITE_MARKER ".socfeed-site"

typedef struct site_dir {
    char *final;   /* the directory the user asked for */
    char *tmp;     /* sibling temporary directory being filled */
    socfeed_diags *diags;
    bool failed;   /* a write failed: the site is not swapped in */
    pthread_mutex_t lock; /* writes may come from several threads; failures are recorded under it */
} site_dir;

/* Checks that `out` may be replaced and creates the temporary sibling. Returns false (with a
 * diagnostic) when `out` exists and is neither empty nor a socfeed site, or cannot be prepared. */
bool site_open(site_dir *s, const char *out, socfeed_diags *diags);
/* Creates a subdirectory of the site ("rules", "assets"). */
bool site_mkdir(site_dir *s, const char *rel);
/* Writes a whole file (rel path inside the site). Records a diagnostic on failure. Thread-safe. */
bool site_write(site_dir *s, const char *rel, const void *data, size_t len);
/* Hard-links (or copies) `src` to rel: an unchanged page of the previous build is reused. */
bool site_reuse(site_dir *s, const char *rel, const char *src);
/* Swaps the finished directory in and removes the old one; on earlier failure, removes the
 * temporary directory and leaves `out` untouched. Frees the strings. Returns success. */
bool site_close(site_dir *s);

/* Reads a whole file; NULL when it cannot (caller frees). */
char *site_read_file(const char *path, size_t *len);

#endif
