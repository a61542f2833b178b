/* embedded.h — the project's data files (data/: logsource maps, target mappings, normalizer
 * tables, the ATT&CK table) compiled into the library by tools/embed.c, so the tool needs no
 * install path. Paths are relative to data/, e.g. "logsources/windows.yml". Users extend or
 * override the built-in data with files of their own (--mapping FILE), never by editing these. */
#ifndef SOCFEED_UTIL_EMBEDDED_H
#define SOCFEED_UTIL_EMBEDDED_H

#include <stddef.h>

typedef struct socfeed_embedded_file {
    const char *path;          /* relative to data/ */
    const unsigned char *data; /* NUL-terminated */
    size_t len;                /* without the NUL */
} socfeed_embedded_file;

/* All embedded files, sorted by path. Generated. */
const socfeed_embedded_file *socfeed_embedded_files(size_t *count);

/* The file at `path`, or NULL. */
const socfeed_embedded_file *socfeed_embedded_get(const char *path);

#endif
