/* cli_util.c — see cli_util.h. */
#include "cli/cli_util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

unsigned cli_default_threads(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 && n <= 256 ? (unsigned)n : 1;
}

bool cli_parse_threads(const char *text, unsigned *out) {
    char *end;
    long n = strtol(text, &end, 10);
    if (*end || n < 1 || n > 256) {
        fprintf(stderr, "socfeed: -j needs a number from 1 to 256, not '%s'\n", text);
        return false;
    }
    *out = (unsigned)n;
    return true;
}

int cli_jobs_option(int argc, char **argv, int *i, unsigned *threads) {
    const char *a = argv[*i];
    if (strncmp(a, "-j", 2) != 0) return 0;
    if (a[2]) return cli_parse_threads(a + 2, threads) ? 1 : -1;
    if (*i + 1 >= argc) {
        fprintf(stderr, "socfeed: -j needs a number of threads\n");
        return -1;
    }
    return cli_parse_threads(argv[++*i], threads) ? 1 : -1;
}

void cli_print_diags(FILE *out, const socfeed_diags *d, bool errors_only) {
    char line[4096];
    for (size_t i = 0; i < d->count; i++) {
        if (errors_only && d->items[i].severity != SOCFEED_ERROR) continue;
        socfeed_diag_format(&d->items[i], line, sizeof line);
        fprintf(out, "%s\n", line);
    }
}

socfeed_ruleset *cli_load_rules(const char *const *paths, size_t npaths, const char *placeholders, unsigned threads,
                                FILE *errors_to) {
    socfeed_load_options lo = {.threads = threads};
    socfeed_ruleset *rs = socfeed_ruleset_new(&lo);
    if (placeholders) socfeed_ruleset_load_placeholders(rs, placeholders);
    for (size_t i = 0; i < npaths; i++) socfeed_ruleset_load_path(rs, paths[i]);
    socfeed_ruleset_finalize(rs);
    if (errors_to) cli_print_diags(errors_to, socfeed_ruleset_diags(rs), true);
    return rs;
}
