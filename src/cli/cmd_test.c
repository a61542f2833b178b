/* cmd_test.c — `socfeed test [OPTIONS] PATH...`: runs the SigmaHQ regression tests of the rules
 * under PATH (see socfeed/regress.h); one line per test and the closing "N passed, N failed". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_util.h"
#include "socfeed/engine.h"
#include "socfeed/regress.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: socfeed test [OPTIONS] PATH...\n"
            "Runs every rule under PATH that has a regression_tests_path on its test events (the .evtx and\n"
            "its .json twin) and compares the matches with match_count, as SigmaHQ's runner does.\n\n"
            "  --mapping FILE         extra logsource mappings (data/logsources schema)\n"
            "  --placeholders FILE    values for %%name%% placeholders used with |expand\n"
            "  -q, --failures-only    print only failing tests\n");
}

static const char *status_word(socfeed_regress_status s) {
    return s == SOCFEED_REGRESS_PASS ? "PASS" : s == SOCFEED_REGRESS_FAIL ? "FAIL" : "ERROR";
}

int cmd_test(int argc, char **argv) {
    const char *mapping = NULL, *placeholders = NULL;
    bool failures_only = false;
    int first_path = argc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--mapping") && i + 1 < argc) {
            mapping = argv[++i];
        } else if (!strcmp(a, "--placeholders") && i + 1 < argc) {
            placeholders = argv[++i];
        } else if (!strcmp(a, "-q") || !strcmp(a, "--failures-only")) {
            failures_only = true;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "socfeed test: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else {
            first_path = i;
            break;
        }
    }
    if (first_path >= argc) {
        usage(stderr);
        return 2;
    }
    socfeed_ruleset *rs = cli_load_rules((const char *const *)argv + first_path, (size_t)(argc - first_path), placeholders,
                                         cli_default_threads(), stderr);
    socfeed_diags *rd = socfeed_ruleset_diags(rs);

    socfeed_diags diags;
    socfeed_diags_init(&diags);
    socfeed_logsource_map *map = socfeed_logsource_map_new(&diags);
    int rc = 0;
    if (mapping && socfeed_logsource_map_add_file(map, mapping, &diags) != 0) rc = 2;
    socfeed_engine_options eo = {.logsources = map};
    socfeed_engine *e = socfeed_engine_new(rs, &eo, &diags);
    socfeed_regress_report rep = {0};
    socfeed_regress_run(rs, e, &rep, &diags);
    for (size_t i = 0; i < rep.count; i++) {
        const socfeed_regress_result *r = &rep.items[i];
        if (failures_only && r->status == SOCFEED_REGRESS_PASS) continue;
        const char *title = r->rule->title.s ? r->rule->title.s : "(untitled)";
        char expected[32];
        if (r->expected < 0) snprintf(expected, sizeof expected, ">0");
        else snprintf(expected, sizeof expected, "%ld", r->expected);
        printf("%-5s %s [%s] %llu/%s matches in %llu events: %s", status_word(r->status), title, r->format,
               (unsigned long long)r->matched, expected, (unsigned long long)r->events, r->path);
        if (r->message) printf(" — %s", r->message);
        putchar('\n');
    }
    cli_print_diags(stderr, &diags, true);
    if (rd->errors) fprintf(stderr, "socfeed test: %zu rule errors (see above)\n", rd->errors);
    printf("%zu passed, %zu failed\n", rep.passed, rep.failed);
    if (!rc) rc = rep.failed || diags.errors ? 1 : 0;
    socfeed_regress_report_clear(&rep);
    socfeed_engine_free(e);
    socfeed_logsource_map_free(map);
    socfeed_diags_clear(&diags);
    socfeed_ruleset_free(rs);
    return rc;
}
