/* convert_bench.c — loads the given rule paths once, then times socfeed_kql_convert_all() for each
 * target (best of N runs, CLOCK_MONOTONIC), so the figure is the conversion alone.
 * Usage: convert_bench RUNS PATH... */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "socfeed/kql.h"
#include "socfeed/rule.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: convert_bench RUNS PATH...\n");
        return 2;
    }
    int runs = atoi(argv[1]);
    socfeed_load_options opt = {.threads = 2};
    socfeed_ruleset *rs = socfeed_ruleset_new(&opt);
    double t0 = now();
    for (int i = 2; i < argc; i++) socfeed_ruleset_load_path(rs, argv[i]);
    socfeed_ruleset_finalize(rs);
    size_t n = socfeed_ruleset_count(rs);
    printf("loaded %zu documents in %.0f ms (-j2)\n", n, (now() - t0) * 1e3);
    socfeed_kql_result *res = calloc(n + 1, sizeof *res);
    for (const char *const *name = socfeed_kql_target_names(); *name; name++) {
        socfeed_diags d;
        socfeed_diags_init(&d);
        socfeed_kql_target *t = socfeed_kql_target_new(*name, &d);
        double best = 1e9;
        size_t converted = 0;
        for (int r = 0; r < runs; r++) {
            double s = now();
            converted = socfeed_kql_convert_all(t, rs, res);
            double e = now() - s;
            if (e < best) best = e;
            for (size_t i = 0; i < n; i++) socfeed_kql_result_clear(&res[i]);
        }
        printf("%s: converting %zu documents (%zu converted): best %.1f ms of %d runs\n", *name, n, converted, best * 1e3, runs);
        socfeed_kql_target_free(t);
        socfeed_diags_clear(&d);
    }
    free(res);
    socfeed_ruleset_free(rs);
    return 0;
}
