/* kql_corpus_test.c — every query socfeed convert emits for the active SigmaHQ corpus parses with
 * socfeed's own KQL parser (kql_eval.h): balanced quotes and parentheses, known operators and
 * functions only, RE2-compatible regexes that compile, and it reads the table the result names;
 * and every lower-case word outside string literals is in the renderer's own vocabulary
 * (kql_vocabulary), so no operator slips in that the renderer does not own.
 * Every refusal carries a one-line reason. */
#include <stdlib.h>

#include "backends/kql/kql_internal.h"
#include "harness.h"
#include "socfeed/kql.h"
#include "socfeed/kql_eval.h"
#include "socfeed/rule.h"

/* The first lower-case word outside string literals that is not in the renderer's vocabulary
 * (static buffer), or NULL. Numbers with a unit (5m), capitalised names and properties (x.y) are
 * skipped; callers pass the text after the table name (ASIM parsers are spelt imFileEvent). */
static const char *unknown_word(const char *q) {
    static char word[64];
    for (size_t i = 0; q[i];) {
        char c = q[i];
        if (c == '"' || (c == '@' && q[i + 1] == '"')) {
            bool verbatim = c == '@';
            i += verbatim ? 2 : 1;
            while (q[i] && !(q[i] == '"' && !(verbatim && q[i + 1] == '"'))) i += (!verbatim && q[i] == '\\' && q[i + 1]) || (verbatim && q[i] == '"') ? 2 : 1;
            if (q[i]) i++;
            continue;
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9')) {
            size_t b = i;
            while ((q[i] >= 'a' && q[i] <= 'z') || (q[i] >= 'A' && q[i] <= 'Z') || q[i] == '_' || (q[i] >= '0' && q[i] <= '9')) i++;
            if (q[b] >= 'a' && q[b] <= 'z' && (b == 0 || q[b - 1] != '.')) {
                snprintf(word, sizeof word, "%.*s", (int)(i - b), q + b);
                bool known = false;
                for (size_t k = 0; kql_vocabulary[k] && !known; k++) known = !strcmp(kql_vocabulary[k], word);
                if (!known) return word;
            }
            continue;
        }
        i++;
    }
    return NULL;
}

static const char *const corpus[] = {"sigma/rules", "sigma/rules-emerging-threats", "sigma/rules-threat-hunting"};

TEST(kql_corpus_every_query_parses) {
    if (!harness_have_shared()) {
        fprintf(stderr, "  (skipped: no ../shared)\n");
        return;
    }
    socfeed_load_options opt = {.threads = 2};
    socfeed_ruleset *rs = socfeed_ruleset_new(&opt);
    for (size_t i = 0; i < sizeof corpus / sizeof *corpus; i++) socfeed_ruleset_load_path(rs, harness_shared(corpus[i]));
    socfeed_ruleset_finalize(rs);
    CHECK_EQ_INT(socfeed_ruleset_count(rs), 3754);
    for (const char *const *name = socfeed_kql_target_names(); *name; name++) {
        socfeed_diags d;
        socfeed_diags_init(&d);
        socfeed_kql_target *t = socfeed_kql_target_new(*name, &d);
        CHECK(t != NULL);
        if (!t) continue;
        size_t converted = 0, refused = 0, bad = 0, n = socfeed_ruleset_count(rs);
        socfeed_kql_result *all = calloc(n, sizeof *all);
        size_t nall = socfeed_kql_convert_all(t, rs, all);
        for (size_t i = 0; i < n; i++) {
            const socfeed_rule *r = socfeed_ruleset_get(rs, i);
            socfeed_kql_result res = all[i];
            int rc = res.query ? 0 : 1;
            if (i % 25 == 0) { /* the batch gives what the one-rule API gives */
                socfeed_kql_result one;
                CHECK_EQ_INT(socfeed_kql_convert(t, rs, r, &one), rc);
                CHECK(one.query ? res.query && !strcmp(one.query, res.query) : res.reason && !strcmp(one.reason, res.reason));
                socfeed_kql_result_clear(&one);
            }
            if (rc == 0) {
                converted++;
                CHECK(res.query != NULL && res.reason == NULL && res.table != NULL);
                socfeed_diags pd;
                socfeed_diags_init(&pd);
                socfeed_kql_query *q = socfeed_kql_parse(r->file, res.query, &pd);
                if (!q || strcmp(socfeed_kql_query_source(q), res.table)) {
                    if (bad++ < 5) {
                        char msg[512] = "";
                        if (pd.count) socfeed_diag_format(&pd.items[0], msg, sizeof msg);
                        harness_fail(__FILE__, __LINE__, "%s: %s\n%s\n", *name, msg, res.query);
                    }
                }
                const char *w = strchr(res.query, '|') ? unknown_word(strchr(res.query, '|')) : NULL; /* after the table */
                if (w && bad++ < 5) harness_fail(__FILE__, __LINE__, "%s: '%s' is not in the renderer's vocabulary:\n%s", *name, w, res.query);
                socfeed_kql_query_free(q);
                socfeed_diags_clear(&pd);
            } else {
                refused++;
                CHECK(res.query == NULL && res.reason != NULL && *res.reason && !strchr(res.reason, '\n'));
            }
            socfeed_kql_result_clear(&res);
        }
        free(all);
        CHECK_EQ_INT(nall, converted);
        fprintf(stderr, "  %s: %zu converted, %zu refused, %zu unparsable\n", *name, converted, refused, bad);
        CHECK_EQ_INT(bad, 0);
        CHECK(converted > 0);
        socfeed_kql_target_free(t);
        socfeed_diags_clear(&d);
    }
    socfeed_ruleset_free(rs);
}
