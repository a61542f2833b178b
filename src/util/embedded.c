/* embedded.c — lookup over the generated table of data files (see embedded.h). */
#include "util/embedded.h"

#include <string.h>

const socfeed_embedded_file *socfeed_embedded_get(const char *path) {
    size_t n;
    const socfeed_embedded_file *files = socfeed_embedded_files(&n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(files[i].path, path)) return &files[i];
    return NULL;
}
