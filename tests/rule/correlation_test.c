/* correlation_test.c — every correlation type, its fields and validation; filters; placeholders. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "rule/rule_test_util.h"

#define BASE_RULES                                                                                   \
    "title: a\nname: rule_a\nlogsource: {product: windows}\ndetection: {s: {x: 1}, condition: s}\n---\n" \
    "title: b\nname: rule_b\nlogsource: {product: windows}\ndetection: {s: {y: 1}, condition: s}\n---\n"

static loaded load_corr(const char *corr) {
    char doc[4096];
    snprintf(doc, sizeof doc, BASE_RULES "title: c\nname: c\n%s", corr);
    return load_text(doc);
}

static const socfeed_correlation *corr_of(const loaded *l) {
    const socfeed_rule *r = socfeed_ruleset_get(l->rs, 2);
    return r && r->kind == SOCFEED_DOC_CORRELATION ? r->correlation : NULL;
}

TEST(corr_every_type) {
    static const struct { const char *type; socfeed_correlation_type want; const char *extra; } cases[] = {
        {"event_count", SOCFEED_CORR_EVENT_COUNT, "  condition: {gte: 10}\n"},
        {"value_count", SOCFEED_CORR_VALUE_COUNT, "  field: User\n  condition: {gt: 3}\n"},
        {"temporal", SOCFEED_CORR_TEMPORAL, ""},
        {"temporal_ordered", SOCFEED_CORR_TEMPORAL_ORDERED, ""},
        {"value_sum", SOCFEED_CORR_VALUE_SUM, "  field: Bytes\n  condition: {gt: 1000}\n"},
        {"value_avg", SOCFEED_CORR_VALUE_AVG, "  field: Bytes\n  condition: {lt: 10}\n"},
        {"value_percentile", SOCFEED_CORR_VALUE_PERCENTILE, "  field: Bytes\n  percentile: 95\n  condition: {gt: 10}\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char c[1024];
        snprintf(c, sizeof c, "correlation:\n  type: %s\n  rules: [rule_a, rule_b]\n  group-by: [Host, User]\n  timespan: 10m\n%s",
                 cases[i].type, cases[i].extra);
        loaded l = load_corr(c);
        const socfeed_correlation *k = corr_of(&l);
        if (l.errors || !k) harness_fail(__FILE__, __LINE__, "%s: errors", cases[i].type);
        else {
            CHECK(k->type == cases[i].want);
            CHECK(k->rules.count == 2 && k->group_by.count == 2 && k->timespan_seconds == 600);
            CHECK(k->resolved[0] == socfeed_ruleset_get(l.rs, 0) && k->resolved[1] == socfeed_ruleset_get(l.rs, 1));
            CHECK_EQ_STR(socfeed_correlation_type_name(k->type), cases[i].type);
        }
        unload(&l);
    }
}

TEST(corr_aliases_generate_and_string_forms) {
    loaded l = load_corr("correlation:\n  type: temporal\n  rules: rule_a\n  group-by: ip\n  timespan: 1d\n"
                         "  generate: true\n  aliases:\n    ip:\n      rule_a: SourceIp\n      rule_b: DestinationIp\n");
    const socfeed_correlation *k = corr_of(&l);
    CHECK(k && k->rules.count == 1 && k->group_by.count == 1 && k->generate && k->timespan_seconds == 86400);
    CHECK(k && k->naliases == 1 && k->aliases[0].nentries == 2 && !strcmp(k->aliases[0].entries[1].field, "DestinationIp"));
    unload(&l);
}

TEST(corr_temporal_expression) {
    loaded l = load_corr("correlation:\n  type: temporal\n  rules: [rule_a, rule_b]\n  timespan: 1h\n"
                         "  condition: rule_a and not rule_b\n");
    CHECK_EQ_INT(l.errors, 0);
    const socfeed_correlation *k = corr_of(&l);
    CHECK(k && k->temporal_expression.s && k->nbounds == 0);
    unload(&l);
    l = load_corr("correlation:\n  type: temporal\n  rules: [rule_a, rule_b]\n  timespan: 1h\n  condition: rule_a\n");
    CHECK(has_diag(&l, "correlation-condition"));
    unload(&l);
}

TEST(corr_validation_errors) {
    static const struct { const char *body; const char *code; } cases[] = {
        {"correlation:\n  type: bogus\n  rules: [rule_a]\n  timespan: 1h\n", "correlation-type"},
        {"correlation:\n  type: event_count\n  rules: [rule_a]\n  timespan: 1H\n  condition: {gt: 1}\n", "correlation-timespan"},
        {"correlation:\n  type: event_count\n  rules: [rule_a]\n  condition: {gt: 1}\n", "correlation-timespan"},
        {"correlation:\n  type: event_count\n  rules: [rule_a]\n  timespan: 1h\n", "correlation-condition"},
        {"correlation:\n  type: event_count\n  rules: [rule_a]\n  timespan: 1h\n  condition: {over: 1}\n", "correlation-condition"},
        {"correlation:\n  type: value_count\n  rules: [rule_a]\n  timespan: 1h\n  condition: {gt: 1}\n", "correlation-field"},
        {"correlation:\n  type: event_count\n  rules: [nope]\n  timespan: 1h\n  condition: {gt: 1}\n", "correlation-reference"},
        {"correlation:\n  type: event_count\n  timespan: 1h\n  condition: {gt: 1}\n", "correlation-rules"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        loaded l = load_corr(cases[i].body);
        if (!has_diag(&l, cases[i].code)) harness_fail(__FILE__, __LINE__, "case %zu: expected [%s]", i, cases[i].code);
        CHECK(l.errors > 0);
        unload(&l);
    }
    loaded l = load_corr("correlation:\n  type: event_count\n  rules: [rule_a]\n  timespan: 2w\n  condition: {gt: 1}\n");
    CHECK(has_diag(&l, "correlation-timespan-unit") && l.errors == 0);
    unload(&l);
}

TEST(filter_documents) {
    loaded l = load_text(BASE_RULES "title: f\nlogsource: {product: windows}\nfilter:\n  rules: any\n"
                                    "  sel: {User: admin}\n  condition: not sel\n");
    const socfeed_rule *f = socfeed_ruleset_get(l.rs, 2);
    CHECK_EQ_INT(l.errors, 0);
    CHECK(f && f->kind == SOCFEED_DOC_FILTER && f->filter->any && f->detection.nids == 1);
    CHECK(f && socfeed_filter_applies(f, socfeed_ruleset_get(l.rs, 0)));
    unload(&l);
    l = load_text("title: f\nlogsource: {product: linux}\nfilter:\n  sel: {User: admin}\n  condition: not sel\n");
    CHECK(has_diag(&l, "filter-rules"));
    unload(&l);
    l = load_text(BASE_RULES "title: f\nlogsource: {product: linux}\nfilter:\n  rules: [rule_a]\n  sel: {U: x}\n  condition: not sel\n");
    CHECK(!socfeed_filter_applies(socfeed_ruleset_get(l.rs, 2), socfeed_ruleset_get(l.rs, 0))); /* other product */
    unload(&l);
}

TEST(placeholders_resolved_from_file) {
    char path[] = "/tmp/socfeed-ph-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    const char *yaml = "Admins: ['root', 'adm*']\nDC: DC01\n";
    CHECK(write(fd, yaml, strlen(yaml)) == (ssize_t)strlen(yaml));
    close(fd);
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    CHECK_EQ_INT(socfeed_ruleset_load_placeholders(rs, path), 0);
    const char *rule = "title: t\nlogsource: {product: windows}\ndetection:\n  s:\n    User|expand: '%Admins%@%DC%'\n"
                       "    Other|expand: '%Missing%'\n  condition: s\n";
    socfeed_ruleset_load_buffer(rs, "p.yml", rule, strlen(rule));
    socfeed_ruleset_finalize(rs);
    const socfeed_rule *r = socfeed_ruleset_get(rs, 0);
    CHECK(r && r->detection.ids[0].node->children[0]->item->values[0].as.str.nalts == 2);
    if (r) CHECK_EQ_STR(value_text(&r->detection.ids[0].node->children[0]->item->values[0]), "root@DC01 | adm*@DC01");
    CHECK(r && r->unresolved_placeholders); /* %Missing% */
    socfeed_ruleset_free(rs);
    unlink(path);
}
