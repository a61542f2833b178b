/* bench_jansson.c — baseline: parse the same JSON Lines / back-to-back JSON with jansson
 * (libjansson-dev), building its full value tree per event and freeing it, as socfeed's reader
 * does with its arena. Usage: bench_jansson FILE [RUNS]. */
#include <jansson.h>
#include <string.h>

#include "bench_common.h"

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [RUNS]\n", argv[0]);
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    size_t len;
    const char *data = bench_map(argv[1], &len);
    for (int r = 0; r < runs; r++) {
        unsigned long long events = 0, errors = 0;
        double t0 = bench_now();
        size_t off = 0;
        while (off < len) {
            /* Skip blanks between records; json_loadb reports how far it read in error.position. */
            while (off < len && (data[off] == '\n' || data[off] == '\r' || data[off] == ' ' || data[off] == '\t'))
                off++;
            if (off == len) break;
            json_error_t err;
            json_t *v = json_loadb(data + off, len - off, JSON_DISABLE_EOF_CHECK, &err);
            if (!v) {
                errors++;
                const char *nl = memchr(data + off, '\n', len - off);
                off = nl ? (size_t)(nl - data) + 1 : len;
                continue;
            }
            events++;
            off += (size_t)err.position;
            json_decref(v);
        }
        bench_report("jansson 2.14 json_loadb", events, len, bench_now() - t0, errors);
    }
    return 0;
}
