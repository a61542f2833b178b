/* cmd_hunt.c — `socfeed hunt --rules PATH... [OPTIONS] INPUT...`: runs Sigma rules over EVTX,
 * JSON and JSON Lines inputs (socfeed/hunt.h does the work), prints one line per detection, a
 * summary by rule and level on stderr, and a progress bar when stderr is a terminal.
 * Exit: 0 (detections or not), 1 with detections under --fail-on-detection, 2 when an input or a
 * rule could not be read (the rest is still hunted) or the command line is wrong. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "socfeed/engine.h"
#include "socfeed/hunt.h"
#include "socfeed/rule.h"
#include "util/xalloc.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: socfeed hunt --rules PATH [OPTIONS] INPUT...\n"
            "Runs Sigma rules over event logs: EVTX, JSON (one object, an array, objects back to back)\n"
            "and JSON Lines; INPUT is a file, a directory (searched recursively) or - for stdin.\n\n"
            "  --rules PATH          rule file or directory (repeatable; required)\n"
            "  --mapping FILE        extra or overriding logsource mappings (data/logsources schema)\n"
            "  --placeholders FILE   values for %%name%% placeholders used with |expand\n"
            "  --format FMT          table (default), jsonl (with the whole event) or csv\n"
            "  --min-level LEVEL     informational, low, medium, high or critical\n"
            "  --any-logsource       also run rules whose logsource is not mapped, on every event\n"
            "  --from TIME           only events at or after TIME (2026-03-24, 2026-03-24T14:00:00Z,\n"
            "                        …+02:00; UTC unless an offset is given)\n"
            "  --to TIME             only events before TIME; a date alone includes that whole day\n"
            "  -j N                  threads (default: all cores)\n"
            "  -o, --output FILE     write detections to FILE (replaced atomically at the end)\n"
            "  --fail-on-detection   exit 1 when anything was detected\n"
            "  --no-progress         no progress bar on stderr\n");
}

/* A --from/--to value; `end` makes a date alone mean the end of that day. */
static bool parse_time_option(const char *s, bool end, int64_t *ms) {
    size_t n = strlen(s);
    if (!socfeed_time_parse(s, n, ms) || (n != 10 && n < 19)) return false;
    if (end && n == 10) *ms += 86400000;
    return true;
}

static bool parse_level(const char *s, socfeed_level *out) {
    static const char *const names[] = {"informational", "low", "medium", "high", "critical"};
    for (int i = 0; i < 5; i++)
        if (!strcasecmp(s, names[i])) {
            *out = (socfeed_level)(SOCFEED_LEVEL_INFORMATIONAL + i);
            return true;
        }
    return false;
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress_bar(void *ctx, uint64_t done, uint64_t total, uint64_t events) {
    (void)ctx;
    int pct = total ? (int)(done * 100 / total) : 0;
    if (pct > 100) pct = 100;
    char bar[31];
    int fill = pct * 30 / 100;
    for (int i = 0; i < 30; i++) bar[i] = i < fill ? '=' : ' ';
    bar[30] = 0;
    fprintf(stderr, "\r[%s] %3d%%  %.1f / %.1f MB  %llu events ", bar, pct, (double)done / 1e6, (double)total / 1e6,
            (unsigned long long)events);
    if (done >= total) fputs("\r\033[K", stderr);
    fflush(stderr);
}

typedef struct rule_count {
    const socfeed_rule *rule;
    uint64_t n;
} rule_count;

static int by_count(const void *a, const void *b) {
    const rule_count *x = a, *y = b;
    if (x->n != y->n) return x->n < y->n ? 1 : -1;
    if (x->rule->level != y->rule->level) return x->rule->level < y->rule->level ? 1 : -1;
    return 0;
}

static double cpu_seconds(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec / 1e6;
}

static void print_summary(const socfeed_ruleset *rs, const socfeed_engine *e, const socfeed_hunt_stats *st,
                          double seconds, double cpu, bool window) {
    size_t n = socfeed_ruleset_count(rs), states[6] = {0};
    for (size_t i = 0; i < n; i++) {
        const socfeed_rule *r = socfeed_ruleset_get(rs, i);
        if (r->kind == SOCFEED_DOC_RULE) states[socfeed_engine_rule_state(e, r)]++;
    }
    /* CPU time too: on a shared machine, events per CPU-second is the per-core speed. */
    fprintf(stderr, "socfeed hunt: %llu file%s, %llu events, %.1f MB in %.2f s (%.0f events/s; %.2f s CPU, %.0f events/CPU-s), "
            "%llu read error%s\n",
            (unsigned long long)st->files, st->files == 1 ? "" : "s", (unsigned long long)st->events,
            (double)st->bytes / 1e6, seconds, seconds > 0 ? (double)st->events / seconds : 0.0, cpu,
            cpu > 0 ? (double)st->events / cpu : 0.0, (unsigned long long)st->read_errors,
            st->read_errors == 1 ? "" : "s");
    if (window)
        fprintf(stderr, "time window: %llu event%s outside it, %llu without a readable time (neither matched)\n",
                (unsigned long long)st->outside_window, st->outside_window == 1 ? "" : "s",
                (unsigned long long)st->without_time);
    size_t ncorr = 0;
    for (size_t i = 0; i < n; i++) ncorr += socfeed_ruleset_get(rs, i)->kind == SOCFEED_DOC_CORRELATION;
    fprintf(stderr, "rules: %zu active", states[SOCFEED_RULE_ACTIVE]);
    if (ncorr) fprintf(stderr, ", %zu correlation%s", ncorr, ncorr == 1 ? "" : "s");
    for (int s = 1; s < 6; s++)
        if (states[s] && s != SOCFEED_RULE_NOT_A_RULE)
            fprintf(stderr, ", %zu not run (%s)", states[s], socfeed_rule_state_name((socfeed_rule_state)s));
    if (st->events)
        fprintf(stderr, "; %.1f rule evaluations per event (%.1f%% of routed rules skipped by the literal prefilter)",
                (double)st->rules_evaluated / (double)st->events,
                st->rules_evaluated + st->rules_skipped
                    ? 100.0 * (double)st->rules_skipped / (double)(st->rules_evaluated + st->rules_skipped)
                    : 0.0);
    if (st->values_scanned)
        fprintf(stderr, "; %.0f%% of scanned values remembered from an identical earlier one",
                100.0 * (double)st->values_remembered / (double)st->values_scanned);
    fputc('\n', stderr);
    uint64_t by_level[6] = {0};
    rule_count *rc = xcalloc(st->nrules + 1, sizeof *rc);
    size_t nrc = 0;
    for (size_t i = 0; i < st->nrules; i++) {
        if (!st->per_rule[i]) continue;
        const socfeed_rule *r = socfeed_ruleset_get(rs, i);
        by_level[r->level] += st->per_rule[i];
        rc[nrc++] = (rule_count){r, st->per_rule[i]};
    }
    fprintf(stderr, "detections: %llu", (unsigned long long)st->detections);
    if (st->detections) {
        const char *sep = " (";
        for (int l = SOCFEED_LEVEL_CRITICAL; l >= SOCFEED_LEVEL_NONE; l--) {
            if (!by_level[l]) continue;
            fprintf(stderr, "%s%s %llu", sep, l ? socfeed_level_name((socfeed_level)l) : "no level",
                    (unsigned long long)by_level[l]);
            sep = ", ";
        }
        fputc(')', stderr);
    }
    fprintf(stderr, " by %zu rule%s", nrc, nrc == 1 ? "" : "s");
    if (st->correlation_inputs)
        fprintf(stderr, "; %llu more kept only as correlation input", (unsigned long long)st->correlation_inputs);
    fputc('\n', stderr);
    qsort(rc, nrc, sizeof *rc, by_count);
    for (size_t i = 0; i < nrc && i < 25; i++)
        fprintf(stderr, "  %8llu  %-13s  %s\n", (unsigned long long)rc[i].n, socfeed_level_name(rc[i].rule->level),
                rc[i].rule->title.s ? rc[i].rule->title.s : rc[i].rule->file);
    if (nrc > 25) fprintf(stderr, "  … and %zu more rules\n", nrc - 25);
    free(rc);
    if (st->nhosts) {
        fprintf(stderr, "hosts: %zu with detections\n", st->nhosts);
        for (size_t i = 0; i < st->nhosts && i < 10; i++)
            fprintf(stderr, "  %8llu  %s\n", (unsigned long long)st->hosts[i].detections,
                    *st->hosts[i].name ? st->hosts[i].name : "(no computer name)");
        if (st->nhosts > 10) fprintf(stderr, "  … and %zu more hosts\n", st->nhosts - 10);
    }
}

int cmd_hunt(int argc, char **argv) {
    const char **rules = xcalloc((size_t)argc + 1, sizeof *rules);
    const char **inputs = xcalloc((size_t)argc + 1, sizeof *inputs);
    size_t nrules = 0, ninputs = 0;
    const char *mapping = NULL, *placeholders = NULL, *output = NULL;
    socfeed_hunt_format format = SOCFEED_HUNT_TABLE;
    socfeed_level min_level = SOCFEED_LEVEL_NONE;
    unsigned threads = cli_default_threads();
    bool any_logsource = false, fail_on_detection = false, progress = isatty(STDERR_FILENO), no_prefilter = false;
    bool has_from = false, has_to = false;
    int64_t from_ms = 0, to_ms = 0;
    int rc = 2;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            rc = 0;
            goto out;
        } else if (!strcmp(a, "--rules") && has_value) {
            rules[nrules++] = argv[++i];
        } else if (!strcmp(a, "--mapping") && has_value) {
            mapping = argv[++i];
        } else if (!strcmp(a, "--placeholders") && has_value) {
            placeholders = argv[++i];
        } else if (!strcmp(a, "--format") && has_value) {
            const char *f = argv[++i];
            if (!strcmp(f, "table")) format = SOCFEED_HUNT_TABLE;
            else if (!strcmp(f, "jsonl")) format = SOCFEED_HUNT_JSONL;
            else if (!strcmp(f, "csv")) format = SOCFEED_HUNT_CSV;
            else {
                fprintf(stderr, "socfeed hunt: --format takes table, jsonl or csv\n");
                goto out;
            }
        } else if (!strcmp(a, "--min-level") && has_value) {
            if (!parse_level(argv[++i], &min_level)) {
                fprintf(stderr, "socfeed hunt: --min-level takes informational, low, medium, high or critical\n");
                goto out;
            }
        } else if (!strncmp(a, "-j", 2)) {
            if (cli_jobs_option(argc, argv, &i, &threads) < 0) goto out;
        } else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && has_value) {
            output = argv[++i];
        } else if ((!strcmp(a, "--from") || !strcmp(a, "--to")) && has_value) {
            bool to = a[2] == 't';
            if (!parse_time_option(argv[++i], to, to ? &to_ms : &from_ms)) {
                fprintf(stderr, "socfeed hunt: %s takes a time like 2026-03-24 or 2026-03-24T14:00:00Z, not '%s'\n", a,
                        argv[i]);
                goto out;
            }
            *(to ? &has_to : &has_from) = true;
        } else if (!strcmp(a, "--any-logsource")) {
            any_logsource = true;
        } else if (!strcmp(a, "--fail-on-detection")) {
            fail_on_detection = true;
        } else if (!strcmp(a, "--no-progress")) {
            progress = false;
        } else if (!strcmp(a, "--no-prefilter")) {
            /* undocumented: the plain engine (every routed rule runs, every regex by PCRE2), which
             * tests compare with the fast one */
            no_prefilter = true;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "socfeed hunt: unknown option or missing value: '%s'\n", a);
            usage(stderr);
            goto out;
        } else {
            inputs[ninputs++] = a;
        }
    }
    if (!nrules || !ninputs) {
        fprintf(stderr, "socfeed hunt: %s\n", !nrules ? "no --rules given" : "no input given");
        usage(stderr);
        goto out;
    }

    socfeed_ruleset *rs = cli_load_rules(rules, nrules, placeholders, threads, stderr);
    const socfeed_diags *rule_diags = socfeed_ruleset_diags(rs);

    socfeed_diags diags;
    socfeed_diags_init(&diags);
    socfeed_logsource_map *map = socfeed_logsource_map_new(&diags);
    bool setup_failed = mapping && socfeed_logsource_map_add_file(map, mapping, &diags) != 0;
    socfeed_engine_options eo = {.logsources = map, .all_logsources = any_logsource, .min_level = min_level,
                                 .no_prefilter = no_prefilter, .pcre2_only = no_prefilter, .threads = threads};
    socfeed_engine *engine = socfeed_engine_new(rs, &eo, &diags);
    socfeed_correlator *correlator = socfeed_correlator_new(rs, &diags);

    FILE *out = stdout;
    char *tmp_path = NULL;
    if (output) {
        tmp_path = xasprintf("%s.tmp.%ld", output, (long)getpid());
        out = fopen(tmp_path, "wb");
        if (!out) {
            perror(tmp_path);
            setup_failed = true;
        }
    }
    socfeed_hunt_stats st = {0};
    int read_rc = 0;
    if (out) {
        size_t nfiles;
        char **files = socfeed_input_list(inputs, ninputs, &diags, &nfiles);
        socfeed_hunt_options ho = {.engine = engine, .format = format, .threads = threads, .out = out,
                                   .progress = progress ? progress_bar : NULL, .correlator = correlator,
                                   .has_from = has_from, .has_to = has_to, .from_ms = from_ms, .to_ms = to_ms};
        double t0 = now_seconds(), c0 = cpu_seconds();
        read_rc = socfeed_hunt_files(&ho, (const char *const *)files, nfiles, &diags, &st);
        double secs = now_seconds() - t0, cpu = cpu_seconds() - c0;
        socfeed_input_list_free(files);
        if (fflush(out) != 0) setup_failed = true;
        if (output) {
            if (fclose(out) != 0 || rename(tmp_path, output) != 0) {
                perror(output);
                remove(tmp_path);
                setup_failed = true;
            }
        }
        cli_print_diags(stderr, &diags, false);
        print_summary(rs, engine, &st, secs, cpu, has_from || has_to);
    } else {
        cli_print_diags(stderr, &diags, false);
    }
    bool failed = setup_failed || read_rc != 0 || rule_diags->errors || diags.errors;
    rc = failed ? 2 : (fail_on_detection && st.detections) ? 1 : 0;
    socfeed_hunt_stats_clear(&st);
    free(tmp_path);
    socfeed_correlator_free(correlator);
    socfeed_engine_free(engine);
    socfeed_logsource_map_free(map);
    socfeed_diags_clear(&diags);
    socfeed_ruleset_free(rs);
out:
    free(rules);
    free(inputs);
    return rc;
}
