/* kql_golden_test.c — runs tests/fixtures/kql/golden.txt: hand-written expected KQL (or refusal)
 * per target for every modifier and condition construct and the 45 edge cases of
 * sigma-semantics.md. Each emitted query must also parse with the KQL parser of verify. */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "socfeed/kql.h"
#include "socfeed/kql_eval.h"
#include "socfeed/rule.h"
#include "util/strbuf.h"

typedef struct golden_case {
    char name[128];
    int line;
    strbuf logsource, detection, yaml;
    strbuf expect[3];
    bool have[3];
} golden_case;

static int target_index(const char *name) {
    const char *const *names = socfeed_kql_target_names();
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], name)) return i;
    return -1;
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    strbuf sb;
    sb_init(&sb);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) sb_append(&sb, buf, n);
    fclose(f);
    return sb_detach(&sb);
}

/* "product: windows, category: x" → YAML lines under `logsource:`. */
static void put_logsource(strbuf *out, const char *spec) {
    sb_puts(out, "logsource:\n");
    const char *p = spec;
    while (*p) {
        while (*p == ' ' || *p == ',') p++;
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len) sb_printf(out, "  %.*s\n", (int)len, p);
        p += len;
    }
}

/* The rule's own condition: the text after the last "\n| where ". */
static const char *last_where(const char *q) {
    const char *at = NULL;
    for (const char *p = q; (p = strstr(p, "\n| where ")); p++) at = p;
    return at ? at + 9 : q;
}

/* Long conditions are laid out one operand per line (kql_layout): only whitespace differs, so
 * compare with every line break plus indentation folded into one space. */
static char *fold_layout(const char *q) {
    strbuf sb;
    sb_init(&sb);
    for (const char *p = q; *p; p++) {
        if (*p == '\n' && p[1] == ' ') {
            while (p[1] == ' ') p++;
            sb_putc(&sb, ' ');
            continue;
        }
        sb_putc(&sb, *p);
    }
    return sb_detach(&sb);
}

static void trim_trailing_newlines(strbuf *sb) {
    while (sb->len && sb->data[sb->len - 1] == '\n') sb->data[--sb->len] = 0;
}

static size_t edge_seen[46];

static void run_case(golden_case *c, socfeed_kql_target *const *targets) {
    strbuf doc;
    sb_init(&doc);
    if (c->yaml.len) {
        sb_append(&doc, c->yaml.data, c->yaml.len);
    } else {
        sb_puts(&doc, "title: golden\nid: 00000000-0000-4000-8000-000000000001\n");
        put_logsource(&doc, c->logsource.len ? c->logsource.data : "product: windows, category: process_creation");
        sb_puts(&doc, "detection:\n");
        if (c->detection.len) sb_append(&doc, c->detection.data, c->detection.len);
    }
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_buffer(rs, c->name, doc.data, doc.len);
    socfeed_ruleset_finalize(rs);
    const socfeed_rule *rule = NULL;
    for (size_t i = 0; i < socfeed_ruleset_count(rs); i++)
        if (socfeed_ruleset_get(rs, i)->kind != SOCFEED_DOC_FILTER) rule = socfeed_ruleset_get(rs, i);
    if (!rule) harness_fail(__FILE__, __LINE__, "golden.txt:%d %s: no rule document", c->line, c->name);
    for (int t = 0; rule && t < 3; t++) {
        if (!c->have[t]) {
            harness_fail(__FILE__, __LINE__, "golden.txt:%d %s: no expectation for %s", c->line, c->name,
                         socfeed_kql_target_names()[t]);
            continue;
        }
        trim_trailing_newlines(&c->expect[t]);
        const char *want = c->expect[t].data ? c->expect[t].data : "";
        socfeed_kql_result res;
        socfeed_kql_convert(targets[t], rs, rule, &res);
        const char *tname = socfeed_kql_target_names()[t];
        if (!strncmp(want, "refused: ", 9)) {
            if (!res.reason || !strstr(res.reason, want + 9))
                harness_fail(__FILE__, __LINE__, "golden.txt:%d %s [%s]: expected a refusal containing \"%s\", got %s%s", c->line,
                             c->name, tname, want + 9, res.reason ? "refusal: " : "query:\n", res.reason ? res.reason : res.query);
        } else if (!res.query) {
            harness_fail(__FILE__, __LINE__, "golden.txt:%d %s [%s]: refused (%s), expected\n%s", c->line, c->name, tname,
                         res.reason, want);
        } else {
            char *folded = fold_layout(res.query);
            const char *got = strchr(want, '\n') ? folded : last_where(folded);
            if (strcmp(got, want))
                harness_fail(__FILE__, __LINE__, "golden.txt:%d %s [%s]:\n  got:  %s\n  want: %s", c->line, c->name, tname, got, want);
            socfeed_diags d;
            socfeed_diags_init(&d);
            socfeed_kql_query *q = socfeed_kql_parse(c->name, res.query, &d);
            if (!q) harness_fail(__FILE__, __LINE__, "golden.txt:%d %s [%s]: query does not parse: %s", c->line, c->name, tname,
                                 d.count ? d.items[0].message : "?");
            socfeed_kql_query_free(q);
            socfeed_diags_clear(&d);
            free(folded);
        }
        socfeed_kql_result_clear(&res);
    }
    if (!strncmp(c->name, "edge", 4)) {
        int n = atoi(c->name + 4);
        if (n >= 1 && n <= 45) edge_seen[n]++;
    }
    socfeed_ruleset_free(rs);
    sb_free(&doc);
}

static void case_free(golden_case *c) {
    sb_free(&c->logsource);
    sb_free(&c->detection);
    sb_free(&c->yaml);
    for (int i = 0; i < 3; i++) sb_free(&c->expect[i]);
    memset(c, 0, sizeof *c);
}

TEST(kql_golden_cases) {
    char *text = read_file(harness_fixture("kql/golden.txt"));
    CHECK(text != NULL);
    if (!text) return;
    socfeed_kql_target *targets[3];
    for (int t = 0; t < 3; t++) {
        socfeed_diags d;
        socfeed_diags_init(&d);
        targets[t] = socfeed_kql_target_new(socfeed_kql_target_names()[t], &d);
        CHECK(targets[t] != NULL);
        socfeed_diags_clear(&d);
    }
    golden_case c;
    memset(&c, 0, sizeof c);
    bool open = false;
    strbuf *into = NULL;
    int lineno = 0;
    size_t ncases = 0;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        lineno++;
        if (!strncmp(line, "== ", 3)) {
            if (open) run_case(&c, targets), case_free(&c), ncases++;
            open = true;
            snprintf(c.name, sizeof c.name, "%.*s", (int)strcspn(line + 3, " "), line + 3);
            c.line = lineno;
            into = NULL;
        } else if (open && !strncmp(line, "@logsource ", 11)) {
            sb_puts(&c.logsource, line + 11);
        } else if (open && !strcmp(line, "@detection")) {
            into = &c.detection;
        } else if (open && !strcmp(line, "@yaml")) {
            into = &c.yaml;
        } else if (open && line[0] == '@' && target_index(line + 1) >= 0) {
            int t = target_index(line + 1);
            c.have[t] = true;
            into = &c.expect[t];
        } else if (into && !(line[0] == '#' && into != &c.yaml && into != &c.detection)) {
            if (!(line[0] == 0 && into != &c.yaml && into != &c.detection)) {
                sb_puts(into, line);
                sb_putc(into, '\n');
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    if (open) run_case(&c, targets), case_free(&c), ncases++;
    fprintf(stderr, "  %zu golden cases x 3 targets\n", ncases);
    for (int n = 1; n <= 45; n++)
        if (!edge_seen[n]) harness_fail(__FILE__, __LINE__, "edge case %d has no golden case", n);
    for (int t = 0; t < 3; t++) socfeed_kql_target_free(targets[t]);
    free(text);
}
