/* regress.c — the SigmaHQ regression test runner (see regress.h). */
#include "socfeed/regress.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rule/yaml_tree.h"
#include "socfeed/reader.h"
#include "util/file_read.h"
#include "util/xalloc.h"

/* The directory under which `rel` exists, walking up from the rule file's directory. */
static char *find_root(const char *rule_file, const char *rel) {
    char *dir = xstrdup(rule_file);
    for (int depth = 0; depth < 32; depth++) {
        char *parent = xstrdup(dirname(dir));
        free(dir);
        dir = parent;
        char *probe = xasprintf("%s/%s", dir, rel);
        bool found = access(probe, R_OK) == 0;
        free(probe);
        if (found) return dir;
        if (!strcmp(dir, "/") || !strcmp(dir, ".")) break;
    }
    free(dir);
    return NULL;
}

static socfeed_regress_result *add_result(socfeed_regress_report *r, const socfeed_rule *rule) {
    if (r->count == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->items = xrealloc(r->items, r->cap * sizeof *r->items);
    }
    socfeed_regress_result *res = &r->items[r->count++];
    memset(res, 0, sizeof *res);
    res->rule = rule;
    res->expected = -1;
    return res;
}

typedef struct count_ctx {
    socfeed_scanner *s;
    const socfeed_rule *rule;
    const char *path;
    uint64_t matched, events;
} count_ctx;

static int count_event(void *p, const socfeed_event *ev) {
    count_ctx *c = p;
    c->events++;
    if (socfeed_scanner_rule_matches(c->s, ev, c->path, c->rule)) c->matched++;
    return 0;
}

static void run_file(socfeed_regress_report *out, const socfeed_rule *rule, socfeed_scanner *s, const char *name,
                     long expected, char *path, const char *format, socfeed_diags *diags) {
    socfeed_regress_result *res = add_result(out, rule);
    res->test_name = xstrdup(name);
    res->path = path;
    res->format = format;
    res->expected = expected;
    count_ctx c = {s, rule, path, 0, 0};
    socfeed_diags local;
    socfeed_diags_init(&local);
    int rc = socfeed_read_file(path, NULL, count_event, &c, &local, NULL);
    res->matched = c.matched;
    res->events = c.events;
    if (rc != 0) {
        res->status = SOCFEED_REGRESS_ERROR;
        char buf[512] = "cannot read the event file";
        if (local.count) socfeed_diag_format(&local.items[0], buf, sizeof buf);
        res->message = xstrdup(buf);
    } else if (expected < 0 ? c.matched == 0 : c.matched < (uint64_t)expected) {
        res->status = SOCFEED_REGRESS_FAIL;
        res->message = expected < 0 ? xasprintf("no match in %llu events (expected at least one)", (unsigned long long)c.events)
                                    : xasprintf("%llu matches in %llu events, expected %ld",
                                                (unsigned long long)c.matched, (unsigned long long)c.events, expected);
    }
    socfeed_diags_move(diags, &local);
}

static void error_result(socfeed_regress_report *out, const socfeed_rule *rule, const char *path, char *message) {
    socfeed_regress_result *res = add_result(out, rule);
    res->test_name = xstrdup("(info.yml)");
    res->path = xstrdup(path);
    res->format = "";
    res->status = SOCFEED_REGRESS_ERROR;
    res->message = message;
}

static void run_rule(socfeed_regress_report *out, const socfeed_rule *rule, socfeed_scanner *s, socfeed_diags *diags) {
    const char *rel = rule->regression_tests_path.s;
    char *root = find_root(rule->file, rel);
    if (!root) {
        error_result(out, rule, rel, xasprintf("regression_tests_path '%s' not found above %s", rel, rule->file));
        return;
    }
    char *info_path = xasprintf("%s/%s", root, rel);
    size_t len;
    char *data = file_read_all(info_path, &len);
    arena a;
    arena_init(&a);
    yaml_document_info *docs = NULL;
    int had_error = 0;
    size_t ndocs = data ? yaml_parse_documents(info_path, data, len, NULL, &a, diags, &docs, &had_error) : 0;
    const socfeed_yaml_node *tests = ndocs == 1 && docs[0].root ? yaml_map_get(docs[0].root, "regression_tests_info") : NULL;
    if (!tests || tests->kind != SOCFEED_YAML_SEQUENCE) {
        error_result(out, rule, info_path, xstrdup(data ? "info.yml has no regression_tests_info list" : "cannot read info.yml"));
    } else {
        for (size_t i = 0; i < tests->count; i++) {
            const socfeed_yaml_node *t = tests->items[i];
            const socfeed_yaml_node *p = yaml_map_get(t, "path"), *n = yaml_map_get(t, "name"),
                                    *ty = yaml_map_get(t, "type"), *mc = yaml_map_get(t, "match_count");
            if (!p || p->kind != SOCFEED_YAML_SCALAR) {
                error_result(out, rule, info_path, xasprintf("test %zu has no path", i + 1));
                continue;
            }
            if (ty && ty->kind == SOCFEED_YAML_SCALAR && strcmp(ty->text, "evtx") != 0) {
                error_result(out, rule, info_path, xasprintf("test type '%s' is not supported (evtx only)", ty->text));
                continue;
            }
            long expected = mc && mc->type == SOCFEED_SCALAR_INT ? (long)mc->int_value : -1;
            const char *name = n && n->kind == SOCFEED_YAML_SCALAR ? n->text : "test";
            char *evtx = xasprintf("%s/%s", root, p->text);
            /* The JSON twin (evtx_dump output) sits beside the .evtx with the same base name. */
            char *json = xstrdup(evtx);
            size_t jl = strlen(json);
            if (jl > 5 && !strcmp(json + jl - 5, ".evtx")) strcpy(json + jl - 5, ".json");
            run_file(out, rule, s, name, expected, evtx, "evtx", diags);
            if (strcmp(json, evtx) != 0) run_file(out, rule, s, name, expected, json, "json", diags);
            else free(json);
        }
    }
    arena_free(&a);
    free(data);
    free(info_path);
    free(root);
}

int socfeed_regress_run(const socfeed_ruleset *rs, const socfeed_engine *e, socfeed_regress_report *out,
                        socfeed_diags *diags) {
    socfeed_scanner *s = socfeed_scanner_new(e);
    size_t n = socfeed_ruleset_count(rs);
    for (size_t i = 0; i < n; i++) {
        const socfeed_rule *rule = socfeed_ruleset_get(rs, i);
        if (rule->kind != SOCFEED_DOC_RULE || !rule->regression_tests_path.s) continue;
        socfeed_rule_state st = socfeed_engine_rule_state(e, rule);
        if (st != SOCFEED_RULE_ACTIVE) {
            error_result(out, rule, rule->file, xasprintf("the rule cannot run: %s", socfeed_rule_state_name(st)));
            continue;
        }
        run_rule(out, rule, s, diags);
    }
    socfeed_scanner_free(s);
    out->passed = out->failed = 0;
    for (size_t i = 0; i < out->count; i++) {
        if (out->items[i].status == SOCFEED_REGRESS_PASS) out->passed++;
        else out->failed++;
    }
    return out->failed ? -1 : 0;
}

void socfeed_regress_report_clear(socfeed_regress_report *r) {
    for (size_t i = 0; i < r->count; i++) {
        free(r->items[i].test_name);
        free(r->items[i].path);
        free(r->items[i].message);
    }
    free(r->items);
    memset(r, 0, sizeof *r);
}
