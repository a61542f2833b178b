/* bench_socfeed.c — socfeed's JSON reader on one file: socfeed_json_read_buffer with a callback
 * that only counts (parse + tree build), and a second mode that also walks every tree (to make
 * sure nothing is deferred). Usage: bench_socfeed FILE [RUNS]. */
#include "bench_common.h"
#include "socfeed/reader.h"

static unsigned long long walk(const socfeed_event_value *v) {
    unsigned long long n = 1;
    if (v->type == SOCFEED_EV_OBJECT)
        for (uint32_t i = 0; i < v->len; i++) n += walk(&v->as.members[i].value);
    else if (v->type == SOCFEED_EV_ARRAY)
        for (uint32_t i = 0; i < v->len; i++) n += walk(&v->as.items[i]);
    return n;
}

static int count_only(void *ctx, const socfeed_event *ev) {
    (void)ev;
    ++*(unsigned long long *)ctx;
    return 0;
}

static int count_values(void *ctx, const socfeed_event *ev) {
    *(unsigned long long *)ctx += walk(&ev->root);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [RUNS]\n", argv[0]);
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    size_t len;
    const char *data = bench_map(argv[1], &len);
    for (int mode = 0; mode < 2; mode++)
        for (int r = 0; r < runs; r++) {
            unsigned long long counted = 0;
            socfeed_diags diags;
            socfeed_diags_init(&diags);
            socfeed_read_stats stats = {0};
            double t0 = bench_now();
            socfeed_json_read_buffer(argv[1], data, len, NULL, mode ? count_values : count_only,
                                     &counted, &diags, &stats);
            double secs = bench_now() - t0;
            bench_report(mode ? "socfeed parse+walk tree" : "socfeed json_read_buffer",
                         (unsigned long long)stats.events, len, secs,
                         (unsigned long long)stats.errors);
            socfeed_diags_clear(&diags);
        }
    return 0;
}
