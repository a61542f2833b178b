/* cmd_check.c — `socfeed check [--format text|json] [--placeholders FILE] [-j N] [-q] PATH...`:
 * loads rules, prints every diagnostic as file:line:col, then a summary. Exit 1 on any error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_util.h"
#include "socfeed/rule.h"
#include "util/json_write.h"
#include "util/strbuf.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: socfeed check [OPTIONS] PATH...\n"
            "Loads Sigma rules (files or directories, recursively) and validates them against Sigma 2.1.\n\n"
            "  --format text|json     output format (default text)\n"
            "  --placeholders FILE    values for %%name%% placeholders used with |expand\n"
            "  -j N                   parse with N threads (default: all cores)\n"
            "  -q, --errors-only      do not print warnings\n");
}

typedef struct counts {
    size_t rules, correlations, filters, valid;
} counts;

static counts count_documents(const socfeed_ruleset *rs) {
    counts c = {0};
    for (size_t i = 0; i < socfeed_ruleset_count(rs); i++) {
        const socfeed_rule *r = socfeed_ruleset_get(rs, i);
        c.rules += r->kind == SOCFEED_DOC_RULE;
        c.correlations += r->kind == SOCFEED_DOC_CORRELATION;
        c.filters += r->kind == SOCFEED_DOC_FILTER;
        c.valid += r->valid;
    }
    return c;
}

static void print_json(const socfeed_ruleset *rs, const socfeed_diags *d, bool errors_only) {
    strbuf sb;
    sb_init(&sb);
    sb_puts(&sb, "{\"diagnostics\":[");
    bool first = true;
    for (size_t i = 0; i < d->count; i++) {
        const socfeed_diag *e = &d->items[i];
        if (errors_only && e->severity != SOCFEED_ERROR) continue;
        if (!first) sb_putc(&sb, ',');
        first = false;
        sb_puts(&sb, "{\"file\":");
        json_write_cstr(&sb, e->file);
        sb_printf(&sb, ",\"line\":%u,\"column\":%u,\"severity\":\"%s\",\"code\":", e->pos.line, e->pos.col,
                  e->severity == SOCFEED_ERROR ? "error" : "warning");
        json_write_cstr(&sb, e->code);
        sb_puts(&sb, ",\"message\":");
        json_write_cstr(&sb, e->message);
        sb_putc(&sb, '}');
    }
    counts c = count_documents(rs);
    sb_printf(&sb,
              "],\"summary\":{\"files\":%zu,\"rules\":%zu,\"correlations\":%zu,\"filters\":%zu,\"valid\":%zu,"
              "\"errors\":%zu,\"warnings\":%zu}}\n",
              socfeed_ruleset_file_count(rs), c.rules, c.correlations, c.filters, c.valid, d->errors, d->warnings);
    fwrite(sb.data, 1, sb.len, stdout);
    sb_free(&sb);
}

int cmd_check(int argc, char **argv) {
    const char *format = "text", *placeholders = NULL;
    unsigned threads = cli_default_threads();
    bool errors_only = false;
    int first_path = argc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--format") && i + 1 < argc) {
            format = argv[++i];
        } else if (!strcmp(a, "--placeholders") && i + 1 < argc) {
            placeholders = argv[++i];
        } else if (!strncmp(a, "-j", 2)) {
            if (cli_jobs_option(argc, argv, &i, &threads) < 0) return 2;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--errors-only")) {
            errors_only = true;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "socfeed check: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else {
            first_path = i;
            break;
        }
    }
    if (strcmp(format, "text") && strcmp(format, "json")) {
        fprintf(stderr, "socfeed check: --format must be text or json\n");
        return 2;
    }
    if (first_path >= argc) {
        usage(stderr);
        return 2;
    }
    socfeed_ruleset *rs = cli_load_rules((const char *const *)argv + first_path, (size_t)(argc - first_path), placeholders,
                                         threads, NULL);
    socfeed_diags *d = socfeed_ruleset_diags(rs);
    if (!strcmp(format, "json")) {
        print_json(rs, d, errors_only);
    } else {
        cli_print_diags(stdout, d, errors_only);
        counts c = count_documents(rs);
        printf("checked %zu files: %zu rules, %zu correlations, %zu filters (%zu valid); %zu errors, %zu warnings\n",
               socfeed_ruleset_file_count(rs), c.rules, c.correlations, c.filters, c.valid, d->errors, d->warnings);
    }
    int rc = d->errors ? 1 : 0;
    socfeed_ruleset_free(rs);
    return rc;
}
