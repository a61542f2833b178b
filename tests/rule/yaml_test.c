/* yaml_test.c — YAML 1.1 scalar resolution as PyYAML does it, and the loader's guards. */
#include "harness.h"
#include "rule/rule_test_util.h"
#include "rule/yaml_tree.h"

static socfeed_yaml_node resolve(const char *text) {
    socfeed_yaml_node n = {.kind = SOCFEED_YAML_SCALAR, .text = text, .len = strlen(text)};
    yaml_resolve_plain_scalar(&n);
    return n;
}

TEST(yaml11_ints) {
    socfeed_yaml_node n = resolve("0x17");
    CHECK(n.type == SOCFEED_SCALAR_INT && n.int_value == 23 && n.yaml11_only);
    n = resolve("017");
    CHECK(n.type == SOCFEED_SCALAR_INT && n.int_value == 15 && n.yaml11_only);
    n = resolve("1_000");
    CHECK(n.type == SOCFEED_SCALAR_INT && n.int_value == 1000 && n.yaml11_only);
    n = resolve("1:20");
    CHECK(n.type == SOCFEED_SCALAR_INT && n.int_value == 80);
    n = resolve("0b101");
    CHECK(n.type == SOCFEED_SCALAR_INT && n.int_value == 5);
    n = resolve("-42");
    CHECK(n.type == SOCFEED_SCALAR_INT && n.int_value == -42 && !n.yaml11_only);
    n = resolve("4688");
    CHECK(n.type == SOCFEED_SCALAR_INT && n.int_value == 4688 && !n.yaml11_only);
    n = resolve("99999999999999999999999");
    CHECK(n.type == SOCFEED_SCALAR_STRING);
    n = resolve("08");
    CHECK(n.type == SOCFEED_SCALAR_STRING); /* not octal, not decimal */
}

TEST(yaml11_floats_bools_nulls_dates) {
    CHECK(resolve("1e3").type == SOCFEED_SCALAR_STRING);
    CHECK(resolve("1.0e3").type == SOCFEED_SCALAR_STRING);
    CHECK(resolve("1.0e+3").type == SOCFEED_SCALAR_FLOAT);
    CHECK(resolve("1.5").type == SOCFEED_SCALAR_FLOAT);
    CHECK(resolve(".inf").type == SOCFEED_SCALAR_FLOAT);
    socfeed_yaml_node b = resolve("yes");
    CHECK(b.type == SOCFEED_SCALAR_BOOL && b.bool_value && b.yaml11_only);
    b = resolve("Off");
    CHECK(b.type == SOCFEED_SCALAR_BOOL && !b.bool_value);
    CHECK(resolve("TRUE").type == SOCFEED_SCALAR_BOOL);
    CHECK(resolve("tRUE").type == SOCFEED_SCALAR_STRING);
    CHECK(resolve("~").type == SOCFEED_SCALAR_NULL);
    CHECK(resolve("").type == SOCFEED_SCALAR_NULL);
    CHECK(resolve("Null").type == SOCFEED_SCALAR_NULL);
    CHECK(resolve("2024-01-01").type == SOCFEED_SCALAR_DATE);
    CHECK(resolve("2024-1-1").type == SOCFEED_SCALAR_DATE);
    CHECK(resolve("2024-01").type == SOCFEED_SCALAR_STRING);
}

TEST(yaml_explicit_str_tag_wins) {
    loaded l = load_detection("  sel:\n    a: !!str 0x17\n  condition: sel\n");
    CHECK_EQ_STR(value_text(&find_item(l.rule, "sel")->values[0]), "0x17");
    unload(&l);
}

TEST(yaml_duplicate_keys) {
    loaded l = load_text("title: a\ntitle: b\nlogsource: {product: x}\ndetection: {s: {a: 1}, condition: s}\n");
    CHECK(strstr(diag_text(&l, "yaml-duplicate-key"), "test.yml:2:1:") != NULL);
    unload(&l);
}

TEST(yaml_alias_bomb_is_bounded) {
    const char *bomb =
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
        "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
    loaded l = load_text(bomb);
    CHECK(has_diag(&l, "yaml-too-large"));
    unload(&l);
}

TEST(yaml_aliases_are_resolved) {
    loaded l = load_detection("  sel:\n    a: &v 'x'\n    b: *v\n  condition: sel\n");
    CHECK_EQ_INT(l.errors, 0);
    CHECK_EQ_STR(value_text(&find_item_n(l.rule, "sel", 1)->values[0]), "x");
    unload(&l);
}

TEST(yaml_depth_limit) {
    char doc[8192] = "title: t\nx: ";
    for (int i = 0; i < 1000; i++) strcat(doc, "[");
    for (int i = 0; i < 1000; i++) strcat(doc, "]");
    strcat(doc, "\n");
    loaded l = load_text(doc);
    CHECK(has_diag(&l, "yaml-depth"));
    unload(&l);
}

TEST(yaml_multi_document_and_source_slices) {
    loaded l = load_text("title: a\nlogsource: {product: x}\ndetection: {s: {a: 1}, condition: s}\n---\n"
                         "title: b\nlogsource: {product: x}\ndetection: {s: {a: 2}, condition: s}\n");
    CHECK_EQ_INT(socfeed_ruleset_count(l.rs), 2);
    const socfeed_rule *b = socfeed_ruleset_get(l.rs, 1);
    CHECK_EQ_STR(b->title.s, "b");
    CHECK(b->doc_index == 1 && b->pos.line == 5);
    CHECK(strstr(b->source, "title: b") == b->source);
    CHECK(!strstr(b->source, "title: a"));
    unload(&l);
}

TEST(yaml_v1_action_global_is_merged) {
    loaded l = load_text("action: global\ntitle: g\nid: 11111111-1111-1111-1111-111111111111\n"
                         "detection:\n  condition: s\n---\nlogsource: {product: windows}\ndetection:\n  s: {EventID: 1}\n"
                         "---\nlogsource: {product: windows}\ndetection:\n  s: {EventID: 2}\n");
    CHECK_EQ_INT(l.errors, 0);
    CHECK_EQ_INT(socfeed_ruleset_count(l.rs), 2);
    const socfeed_rule *r = socfeed_ruleset_get(l.rs, 1);
    CHECK(r->valid && !strcmp(r->title.s, "g") && r->detection.nconditions == 1);
    CHECK(has_diag(&l, "document-action"));
    unload(&l);
}
