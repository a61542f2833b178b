/* cmd_verify.c — `socfeed verify -t TARGET [-t TARGET…] [--format text|json] [OPTIONS] PATH...`:
 * proves, for every rule under PATH with SigmaHQ regression data, that its KQL finds on the
 * normalized events what the Sigma rule finds on the raw ones (socfeed/verify_rules.h). One line per
 * rule and target, a summary table, and the closing "N passed, N failed" (passed = verified; failed =
 * over-match, under-match, error; refused and no-samples are counted in the table only). Exit 1 when
 * something failed, 2 on usage or load errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_util.h"
#include "socfeed/engine.h"
#include "socfeed/kql.h"
#include "socfeed/normalize.h"
#include "socfeed/verify_rules.h"
#include "util/json_write.h"
#include "util/strbuf.h"

enum { MAX_TARGETS = 8 };

static void usage(FILE *out) {
    fprintf(out,
            "usage: socfeed verify -t TARGET [-t TARGET...] [OPTIONS] PATH...\n"
            "For every rule under PATH with a regression_tests_path: converts it to KQL for TARGET, runs the\n"
            "Sigma rule on the raw test events and the KQL text on the rows the target would hold for them\n"
            "(data/normalize/TARGET.yml), and reports verified / over-match / under-match / no-samples /\n"
            "refused / error. A verified query is also run over every other rule's test events.\n\n"
            "  -t, --target NAME      sentinel-asim, defender-xdr, azure-monitor, or all (repeatable)\n"
            "  --format FMT           text (default) or json\n"
            "  --mapping FILE         extend/override the converter's mapping (as for convert)\n"
            "  --variant NAME         converter mapping variant (azure-monitor: security-4688)\n"
            "  --placeholders FILE    values for %%name%% placeholders used with |expand\n"
            "  --no-cross-check       do not run verified queries over the other rules' events\n"
            "  --events PATH          more event files/directories for the cross-check (repeatable)\n"
            "  --all-rules            also verify rules without regression data, on the --events events\n"
            "  --explain              for a mismatch, show the query and the row it saw for the first differing event\n"
            "  -q, --failures-only    print only rules that did not verify\n");
}

static const char *status_word(socfeed_verify_status s) {
    switch (s) {
    case SOCFEED_VERIFY_VERIFIED: return "VERIFIED";
    case SOCFEED_VERIFY_OVER_MATCH: return "OVER";
    case SOCFEED_VERIFY_UNDER_MATCH: return "UNDER";
    case SOCFEED_VERIFY_NO_SAMPLES: return "NOSAMPLE";
    case SOCFEED_VERIFY_REFUSED: return "REFUSED";
    case SOCFEED_VERIFY_ERROR: return "ERROR";
    }
    return "ERROR";
}

static void print_labels(const char *what, const size_t *idx, size_t n, const socfeed_verify_item *it) {
    if (!n) return;
    printf("    %s:", what);
    for (size_t i = 0; i < n && i < 5; i++) printf(" %s", idx[i] < it->nlabels ? it->labels[idx[i]] : "?");
    if (n > 5) printf(" (+%zu more)", n - 5);
    putchar('\n');
}

static void print_text_item(const char *target, const socfeed_verify_item *it, bool approximate, bool explain) {
    const socfeed_verify_result *r = &it->result;
    const char *title = it->rule->title.s ? it->rule->title.s : "(untitled)";
    printf("%-8s %-13s %s — %zu/%zu sigma, %zu kql", status_word(r->status), target, title, r->sigma_matches,
           r->samples, r->kql_matches);
    if (r->groups && r->status != SOCFEED_VERIFY_REFUSED)
        printf(" (groups alerted: %zu by the rule, %zu by the query%s)", r->sigma_groups, r->kql_groups,
               r->fixed_bins ? "; the query counts in fixed bins" : "");
    if (r->table) printf(" [%s]", r->table);
    if (it->cross_checked) printf(" cross-checked over %zu events", it->cross_events);
    if (approximate && r->status != SOCFEED_VERIFY_REFUSED) printf(" (approximate rows)");
    printf(": %s", it->rule->file);
    if (r->reason) printf(" — %s", r->reason);
    putchar('\n');
    print_labels("missed (Sigma matches, KQL does not)", r->under, r->nunder, it);
    print_labels("extra (KQL selects, Sigma does not)", r->over, r->nover, it);
    if (explain && it->evidence) printf("    first difference, %s\n", it->evidence);
    if (explain && it->query && r->status != SOCFEED_VERIFY_VERIFIED) {
        printf("    query:\n");
        for (const char *line = it->query; *line;) {
            const char *end = strchr(line, '\n');
            size_t len = end ? (size_t)(end - line) : strlen(line);
            printf("      %.*s\n", (int)len, line);
            line += len + (end ? 1 : 0);
        }
    }
}

static void json_item(strbuf *sb, const char *target, const socfeed_verify_item *it, bool approximate) {
    const socfeed_verify_result *r = &it->result;
    sb_puts(sb, "{\"target\":");
    json_write_cstr(sb, target);
    sb_puts(sb, ",\"rule\":");
    json_write_cstr(sb, it->rule->file);
    sb_puts(sb, ",\"id\":");
    json_write_cstr(sb, it->rule->id.s ? it->rule->id.s : "");
    sb_puts(sb, ",\"title\":");
    json_write_cstr(sb, it->rule->title.s ? it->rule->title.s : "");
    sb_puts(sb, ",\"status\":");
    json_write_cstr(sb, socfeed_verify_status_name(r->status));
    sb_printf(sb, ",\"samples\":%zu,\"sigma_matches\":%zu,\"kql_matches\":%zu,\"rows\":%zu", r->samples,
              r->sigma_matches, r->kql_matches, r->rows);
    if (r->groups)
        sb_printf(sb, ",\"sigma_groups\":%zu,\"kql_groups\":%zu,\"fixed_bins\":%s", r->sigma_groups, r->kql_groups,
                  r->fixed_bins ? "true" : "false");
    sb_printf(sb, ",\"cross_checked\":%s,\"cross_events\":%zu,\"approximate\":%s", it->cross_checked ? "true" : "false",
              it->cross_events, approximate ? "true" : "false");
    sb_puts(sb, ",\"table\":");
    if (r->table) json_write_cstr(sb, r->table);
    else sb_puts(sb, "null");
    sb_puts(sb, ",\"query\":");
    if (it->query) json_write_cstr(sb, it->query);
    else sb_puts(sb, "null");
    sb_puts(sb, ",\"evidence\":");
    if (it->evidence) json_write_cstr(sb, it->evidence);
    else sb_puts(sb, "null");
    sb_puts(sb, ",\"reason\":");
    if (r->reason) json_write_cstr(sb, r->reason);
    else sb_puts(sb, "null");
    const char *names[2] = {"under", "over"};
    const size_t *lists[2] = {r->under, r->over};
    size_t counts[2] = {r->nunder, r->nover};
    for (int l = 0; l < 2; l++) {
        sb_printf(sb, ",\"%s\":[", names[l]);
        for (size_t i = 0; i < counts[l]; i++) {
            if (i) sb_putc(sb, ',');
            json_write_cstr(sb, lists[l][i] < it->nlabels ? it->labels[lists[l][i]] : "?");
        }
        sb_putc(sb, ']');
    }
    sb_putc(sb, '}');
}

static int add_target(const char **targets, size_t *n, const char *name) {
    if (!strcmp(name, "all")) {
        for (const char *const *t = socfeed_kql_target_names(); *t; t++)
            if (add_target(targets, n, *t)) return -1;
        return 0;
    }
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(targets[i], name)) return 0;
    if (*n == MAX_TARGETS) return -1;
    targets[(*n)++] = name;
    return 0;
}

int cmd_verify(int argc, char **argv) {
    const char *targets[MAX_TARGETS];
    size_t ntargets = 0;
    const char *format = "text", *placeholders = NULL, *variant = NULL;
    const char *mappings[16];
    size_t nmappings = 0;
    const char *extra[64];
    size_t nextra = 0;
    bool failures_only = false, explain = false;
    socfeed_verify_rules_options vo = {.extra_events = extra};
    int first_path = argc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if ((!strcmp(a, "-t") || !strcmp(a, "--target")) && i + 1 < argc) {
            if (add_target(targets, &ntargets, argv[++i])) {
                fprintf(stderr, "socfeed verify: too many targets\n");
                return 2;
            }
        } else if (!strcmp(a, "--format") && i + 1 < argc) {
            format = argv[++i];
        } else if (!strcmp(a, "--mapping") && i + 1 < argc && nmappings < 16) {
            mappings[nmappings++] = argv[++i];
        } else if (!strcmp(a, "--variant") && i + 1 < argc) {
            variant = argv[++i];
        } else if (!strcmp(a, "--placeholders") && i + 1 < argc) {
            placeholders = argv[++i];
        } else if (!strcmp(a, "--events") && i + 1 < argc && nextra < 64) {
            extra[nextra++] = argv[++i];
        } else if (!strcmp(a, "--all-rules")) {
            vo.all_rules = true;
        } else if (!strcmp(a, "--explain")) {
            explain = true;
        } else if (!strcmp(a, "--no-cross-check")) {
            vo.no_cross_check = true;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--failures-only")) {
            failures_only = true;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "socfeed verify: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else {
            first_path = i;
            break;
        }
    }
    vo.nextra_events = nextra;
    if (vo.all_rules && !nextra) {
        fprintf(stderr, "socfeed verify: --all-rules needs --events PATH (the events to verify them on)\n");
        return 2;
    }
    bool json = !strcmp(format, "json");
    if (!json && strcmp(format, "text")) {
        fprintf(stderr, "socfeed verify: unknown format '%s' (text or json)\n", format);
        return 2;
    }
    if (!ntargets || first_path >= argc) {
        fprintf(stderr, "socfeed verify: %s\n", !ntargets ? "-t TARGET is required" : "no rule PATH given");
        usage(stderr);
        return 2;
    }

    socfeed_ruleset *rs = cli_load_rules((const char *const *)argv + first_path, (size_t)(argc - first_path), placeholders,
                                         cli_default_threads(), stderr);
    socfeed_diags *rd = socfeed_ruleset_diags(rs);

    socfeed_diags diags;
    socfeed_diags_init(&diags);
    socfeed_engine *e = socfeed_engine_new(rs, NULL, &diags);
    int rc = 0;
    size_t passed = 0, failed = 0;
    size_t table[MAX_TARGETS][SOCFEED_VERIFY_ERROR + 1] = {{0}};
    size_t events = 0, files = 0;
    strbuf out;
    sb_init(&out);
    if (json) sb_puts(&out, "{\"results\":[");
    bool first_json = true;
    for (size_t ti = 0; ti < ntargets; ti++) {
        socfeed_kql_target *t = socfeed_kql_target_new(targets[ti], &diags);
        socfeed_normalizer *nz = t ? socfeed_normalizer_load(targets[ti], &diags) : NULL;
        for (size_t m = 0; t && m < nmappings; m++)
            if (socfeed_kql_target_add_mapping(t, mappings[m], &diags) != 0) rc = 2;
        if (t && variant) socfeed_kql_target_set_variant(t, variant);
        if (!t || !nz) {
            rc = 2;
            socfeed_normalizer_free(nz);
            socfeed_kql_target_free(t);
            continue;
        }
        bool approximate = socfeed_normalizer_is_approximate(nz, NULL);
        socfeed_verify_report rep = {0};
        socfeed_verify_rules(rs, e, t, nz, &vo, &rep, &diags);
        events = rep.events;
        files = rep.files;
        for (size_t i = 0; i < rep.count; i++) {
            const socfeed_verify_item *it = &rep.items[i];
            socfeed_verify_status st = it->result.status;
            table[ti][st]++;
            bool bad = st == SOCFEED_VERIFY_OVER_MATCH || st == SOCFEED_VERIFY_UNDER_MATCH || st == SOCFEED_VERIFY_ERROR;
            passed += st == SOCFEED_VERIFY_VERIFIED;
            failed += bad;
            if (json) {
                if (!first_json) sb_putc(&out, ',');
                first_json = false;
                json_item(&out, targets[ti], it, approximate);
            } else if (!failures_only || st != SOCFEED_VERIFY_VERIFIED) {
                print_text_item(targets[ti], it, approximate, explain);
            }
        }
        socfeed_verify_report_clear(&rep);
        socfeed_normalizer_free(nz);
        socfeed_kql_target_free(t);
    }
    static const char *const cols[] = {"verified", "over-match", "under-match", "no-samples", "refused", "error"};
    if (json) {
        sb_puts(&out, "],\"summary\":[");
        for (size_t ti = 0; ti < ntargets; ti++) {
            if (ti) sb_putc(&out, ',');
            sb_puts(&out, "{\"target\":");
            json_write_cstr(&out, targets[ti]);
            size_t total = 0;
            for (int s = 0; s <= SOCFEED_VERIFY_ERROR; s++) {
                sb_printf(&out, ",\"%s\":%zu", cols[s], table[ti][s]);
                total += table[ti][s];
            }
            sb_printf(&out, ",\"rules\":%zu}", total);
        }
        sb_printf(&out, "],\"events\":%zu,\"files\":%zu,\"passed\":%zu,\"failed\":%zu}\n", events, files, passed, failed);
        fputs(out.data, stdout);
    } else {
        printf("\n%-14s %6s", "target", "rules");
        for (int s = 0; s <= SOCFEED_VERIFY_ERROR; s++) printf(" %11s", cols[s]);
        putchar('\n');
        for (size_t ti = 0; ti < ntargets; ti++) {
            size_t total = 0;
            for (int s = 0; s <= SOCFEED_VERIFY_ERROR; s++) total += table[ti][s];
            printf("%-14s %6zu", targets[ti], total);
            for (int s = 0; s <= SOCFEED_VERIFY_ERROR; s++) printf(" %11zu", table[ti][s]);
            putchar('\n');
        }
        printf("(%zu events in %zu files)\n", events, files);
    }
    sb_free(&out);
    cli_print_diags(stderr, &diags, true);
    if (rd->errors) fprintf(stderr, "socfeed verify: %zu rule errors (see above)\n", rd->errors);
    if (!json) printf("%zu passed, %zu failed\n", passed, failed);
    if (!rc) rc = failed || diags.errors ? 1 : 0;
    socfeed_engine_free(e);
    socfeed_diags_clear(&diags);
    socfeed_ruleset_free(rs);
    return rc;
}
