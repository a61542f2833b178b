/* embedded_test.c — the data files compiled into the library are byte-identical to data/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "util/embedded.h"

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    *len = fread(buf, 1, (size_t)n, f);
    fclose(f);
    return buf;
}

TEST(embedded_data_matches_the_repository) {
    size_t n;
    const socfeed_embedded_file *files = socfeed_embedded_files(&n);
    CHECK(n >= 6);
    CHECK(socfeed_embedded_get("logsources/windows.yml") != NULL);
    CHECK(socfeed_embedded_get("targets/sentinel-asim.yml") != NULL);
    CHECK(socfeed_embedded_get("no/such.yml") == NULL);
    for (size_t i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "data/%s", files[i].path);
        size_t len = 0;
        char *disk = slurp(path, &len);
        CHECK(disk != NULL);
        if (!disk) continue;
        CHECK_EQ_INT(files[i].len, len);
        CHECK(len == files[i].len && memcmp(disk, files[i].data, len) == 0);
        CHECK_EQ_INT(files[i].data[files[i].len], 0);
        free(disk);
    }
}
