/* cmd_build.c — `socfeed build [--rules PATH]... -o DIR [--previous DIR] …`: loads rules, gathers
 * per rule and target the KQL (or the refusal reason) and the verification verdict, and hands them to
 * the feed library, which writes the static site atomically. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cli/build_inputs.h"
#include "cli/cli_util.h"
#include "socfeed/attack.h"
#include "socfeed/engine.h"
#include "socfeed/feed.h"
#include "socfeed/kql.h"
#include "socfeed/rule.h"
#include "util/xalloc.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: socfeed build [--rules PATH]... -o DIR [OPTIONS] [PATH...]\n"
            "Builds the SOC feed: a static site (index.html, rules/<id>.html, coverage.html) with feed.xml, index.json,\n"
            "changelog.json, navigator-layer.json and sentinel/ analytic rules. DIR is replaced atomically.\n\n"
            "  --rules PATH           rule file or directory (repeatable; bare paths work too)\n"
            "  -o, --out DIR          output directory (replaced only if empty or a former socfeed site)\n"
            "  --previous DIR         a former build: changelog.json, Atom entries and page reuse against it\n"
            "  --source-url TEMPLATE  link to each original rule; {path} {id} {file} are replaced\n"
            "                         (default: the SigmaHQ GitHub URL for rules from a SigmaHQ checkout)\n"
            "  --retrieved TIME       when the rules were pulled (RFC 3339, e.g. 2026-03-25T03:05:59Z; default now)\n"
            "  --site-url URL         absolute URL the site is published at (for feed.xml links)\n"
            "  --title TEXT           feed title (default \"SOC feed\")\n"
            "  --placeholders FILE    values for %%name%% placeholders used with |expand\n"
            "  --no-tests             do not run the rules' SigmaHQ regression tests (regression_tests_path)\n"
            "  --no-verify            do not verify the queries on the regression events (all show unverified)\n"
            "  --no-cross-check       verify each query on its own rule's events only, not on the others' too\n"
            "  --events PATH          more sample events (EVTX, JSON, JSON Lines; repeatable): rules without\n"
            "                         regression data are verified on them, and every query is cross-checked on them\n"
            "  -j N                   parse with N threads (default: all cores)\n"
            "  -q                     print errors only, not the summary\n");
}

/* The targets every rule is published for, in tab order. */
static const char *const targets[] = {"sentinel-asim", "defender-xdr", "azure-monitor"};
#define NTARGETS (sizeof targets / sizeof *targets)

/* Fills the per-target results of one rule: the single place where conversion and verification meet
 * the feed. Queries and reasons are owned by `kql` until the caller clears them (after
 * socfeed_feed_add has copied them). Verdicts are filled in afterwards from build_inputs. */
static void fill_targets(socfeed_kql_target *const *kt, const socfeed_ruleset *rs, const socfeed_rule *r,
                         socfeed_kql_result *kql, socfeed_target_result *out) {
    for (size_t i = 0; i < NTARGETS; i++) {
        memset(&kql[i], 0, sizeof kql[i]);
        out[i] = (socfeed_target_result){.target = targets[i], .verdict = SOCFEED_VERDICT_NOT_RUN};
        if (!kt[i]) {
            out[i].reason = "not converted: the target mapping could not be loaded";
            continue;
        }
        socfeed_kql_convert(kt[i], rs, r, &kql[i]);
        out[i].query = kql[i].query;
        out[i].table = kql[i].table;
        out[i].entities = kql[i].entities;
        out[i].nentities = kql[i].nentities;
        out[i].reason = kql[i].query ? NULL : kql[i].reason ? kql[i].reason : "refused without a reason";
    }
}

static bool valid_time(const char *s) {
    /* YYYY-MM-DDTHH:MM:SS(.fff)?(Z|±HH:MM) */
    const char *shape = "dddd-dd-ddTdd:dd:dd";
    for (size_t i = 0; shape[i]; i++) {
        if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i]) return false;
    }
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p)) return false;
        while (isdigit((unsigned char)*p)) p++;
    }
    if (!strcmp(p, "Z")) return true;
    return (p[0] == '+' || p[0] == '-') && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) && p[3] == ':' &&
           isdigit((unsigned char)p[4]) && isdigit((unsigned char)p[5]) && !p[6];
}

int cmd_build(int argc, char **argv) {
    const char *out = NULL, *placeholders = NULL;
    socfeed_feed_options fo = {0};
    unsigned threads = cli_default_threads();
    bool quiet = false, run_tests = true, run_verify = true, cross_check = true;
    const char **paths = xcalloc((size_t)argc + 1, sizeof *paths);
    size_t npaths = 0;
    const char **events = xcalloc((size_t)argc + 1, sizeof *events);
    size_t nevents = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            free(paths);
            free(events);
            return 0;
        } else if (!strcmp(a, "--rules") && has_value) {
            paths[npaths++] = argv[++i];
        } else if ((!strcmp(a, "-o") || !strcmp(a, "--out")) && has_value) {
            out = argv[++i];
        } else if (!strcmp(a, "--previous") && has_value) {
            fo.previous_dir = argv[++i];
        } else if (!strcmp(a, "--source-url") && has_value) {
            fo.source_url = argv[++i];
        } else if (!strcmp(a, "--retrieved") && has_value) {
            fo.retrieved = argv[++i];
        } else if (!strcmp(a, "--site-url") && has_value) {
            fo.site_url = argv[++i];
        } else if (!strcmp(a, "--title") && has_value) {
            fo.title = argv[++i];
        } else if (!strcmp(a, "--placeholders") && has_value) {
            placeholders = argv[++i];
        } else if (!strncmp(a, "-j", 2)) {
            if (cli_jobs_option(argc, argv, &i, &threads) < 0) {
                free(paths);
                free(events);
                return 2;
            }
        } else if (!strcmp(a, "--no-tests")) {
            run_tests = false;
        } else if (!strcmp(a, "--no-verify")) {
            run_verify = false;
        } else if (!strcmp(a, "--events") && has_value) {
            events[nevents++] = argv[++i];
        } else if (!strcmp(a, "--no-cross-check")) {
            cross_check = false;
        } else if (!strcmp(a, "-q")) {
            quiet = true;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "socfeed build: unknown option or missing value: '%s'\n", a);
            usage(stderr);
            free(paths);
            free(events);
            return 2;
        } else {
            paths[npaths++] = a;
        }
    }
    if (!out || !npaths) {
        fprintf(stderr, "socfeed build: %s\n", !out ? "-o DIR is required" : "no rules given (--rules PATH)");
        usage(stderr);
        free(paths);
        free(events);
        return 2;
    }
    if (fo.retrieved && !valid_time(fo.retrieved)) {
        fprintf(stderr, "socfeed build: --retrieved must be an RFC 3339 time such as 2026-03-25T03:05:59Z\n");
        free(paths);
        free(events);
        return 2;
    }
    if (fo.site_url && strncmp(fo.site_url, "https://", 8) && strncmp(fo.site_url, "http://", 7)) {
        fprintf(stderr, "socfeed build: --site-url must start with http:// or https://\n");
        free(paths);
        free(events);
        return 2;
    }

    if (fo.previous_dir) {
        char *marker = xmalloc(strlen(fo.previous_dir) + 32);
        sprintf(marker, "%s/.socfeed-site", fo.previous_dir);
        if (access(marker, R_OK))
            fprintf(stderr, "socfeed build: warning: --previous %s is not a socfeed site (no .socfeed-site): every rule "
                            "counts as added\n", fo.previous_dir);
        free(marker);
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    socfeed_load_options lo = {.threads = threads};
    socfeed_ruleset *rs = socfeed_ruleset_new(&lo);
    if (placeholders) socfeed_ruleset_load_placeholders(rs, placeholders);
    for (size_t i = 0; i < npaths; i++) socfeed_ruleset_load_path(rs, paths[i]);
    free(paths);
    socfeed_ruleset_finalize(rs);
    socfeed_diags *d = socfeed_ruleset_diags(rs);

    socfeed_diags attack_diags;
    socfeed_diags_init(&attack_diags);
    socfeed_attack *attack = socfeed_attack_load(&attack_diags);
    if (!attack) {
        cli_print_diags(stderr, &attack_diags, false);
        socfeed_diags_clear(&attack_diags);
        socfeed_ruleset_free(rs);
        free(events);
        return 1;
    }

    socfeed_kql_target *kt[NTARGETS];
    for (size_t i = 0; i < NTARGETS; i++) kt[i] = socfeed_kql_target_new(targets[i], &attack_diags);

    /* Regression tests (the Sigma rule on its SigmaHQ sample events) and verification (each query
     * on the same events, normalized as the target stores them), with one engine for both. */
    build_inputs inputs;
    /* A few hundred sample events: compiling the Hyperscan prefilter for 3,780 rules would cost more
     * than it saves; the engine without it gives the same matches. */
    socfeed_engine_options eo = {.no_prefilter = true};
    socfeed_engine *engine = run_tests || run_verify ? socfeed_engine_new(rs, &eo, &attack_diags) : NULL;
    build_inputs_run(&inputs, rs, engine, kt, targets, NTARGETS, run_tests, run_verify, cross_check, events, nevents,
                     &attack_diags);

    socfeed_feed *feed = socfeed_feed_new(attack, &fo);
    size_t skipped_invalid = 0, filters = 0;
    for (size_t i = 0; i < socfeed_ruleset_count(rs); i++) {
        const socfeed_rule *r = socfeed_ruleset_get(rs, i);
        if (r->kind == SOCFEED_DOC_FILTER) {
            filters++;
            continue;
        }
        if (!r->valid) {
            skipped_invalid++; /* its errors are printed below */
            continue;
        }
        socfeed_target_result results[NTARGETS];
        socfeed_kql_result kql[NTARGETS];
        fill_targets(kt, rs, r, kql, results);
        char *verdict_detail[NTARGETS];
        for (size_t k = 0; k < NTARGETS; k++) {
            results[k].verdict = build_inputs_verdict(&inputs, k, r, results[k].query, &verdict_detail[k]);
            results[k].verdict_detail = verdict_detail[k];
        }
        char *detail = NULL;
        socfeed_tests_state ts = build_inputs_tests(&inputs, r, &detail);
        socfeed_feed_input in = {.rule = r, .targets = results, .ntargets = NTARGETS, .tests = {ts, detail}};
        socfeed_feed_add(feed, &in);
        free(detail);
        for (size_t k = 0; k < NTARGETS; k++) {
            socfeed_kql_result_clear(&kql[k]);
            free(verdict_detail[k]);
        }
    }
    socfeed_build_stats st;
    socfeed_diags write_diags;
    socfeed_diags_init(&write_diags);
    int wrc = socfeed_feed_write(feed, out, &st, &write_diags);
    clock_gettime(CLOCK_MONOTONIC, &t1);

    cli_print_diags(stderr, d, true);
    cli_print_diags(stderr, &attack_diags, false);
    cli_print_diags(stderr, &write_diags, false);
    if (!quiet) {
        double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru); /* all threads: the figure a loaded machine does not distort */
        double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                     (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
        printf("built %s: %zu rules (%zu pages written, %zu reused), %zu queries, %zu verified, %zu failed verification, "
               "%zu target results without a query; %zu added, %zu changed, %zu removed; %.2f s (%.2f s CPU)\n",
               out, st.rules, st.pages_written, st.pages_reused, st.queries, st.verified, st.failed_verdicts, st.refused,
               st.added, st.changed, st.removed, secs, cpu);
        if (skipped_invalid)
            printf("not published: %zu rule documents with errors (listed above)\n", skipped_invalid);
        if (filters) printf("not published: %zu filter documents (they modify rules, they are not rules)\n", filters);
        if (d->warnings) printf("%zu warnings while loading rules: run 'socfeed check' to see them\n", d->warnings);
        if (!wrc) printf("open %s/index.html\n", out);
    }
    int rc = wrc || d->errors || attack_diags.errors ? 1 : 0;
    build_inputs_free(&inputs);
    free(events);
    socfeed_engine_free(engine);
    for (size_t i = 0; i < NTARGETS; i++) socfeed_kql_target_free(kt[i]);
    socfeed_diags_clear(&write_diags);
    socfeed_diags_clear(&attack_diags);
    socfeed_feed_free(feed);
    socfeed_attack_free(attack);
    socfeed_ruleset_free(rs);
    return rc;
}
