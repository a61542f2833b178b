/* metadata_test.c — the top-level fields, their positions and schema checks. */
#include "harness.h"
#include "rule/rule_test_util.h"

static const char *full_rule =
    "title: Full Rule\n"
    "id: 0afecb6e-6223-4a82-99fb-bf5b981e92a5\n"
    "name: full_rule\n"
    "related:\n"
    "    - id: b1f73849-6329-4069-bc8f-78a604bb8b23\n"
    "      type: similar\n"
    "taxonomy: sigma\n"
    "status: test\n"
    "description: Something\n"
    "license: MIT\n"
    "author: Someone\n"
    "references:\n"
    "    - https://example.org\n"
    "date: 2023-10-10\n"
    "modified: 2024-01-02\n"
    "tags:\n"
    "    - attack.execution\n"
    "    - attack.t1059.003\n"
    "logsource:\n"
    "    category: file_event\n"
    "    product: windows\n"
    "    definition: Sysmon config with file events\n"
    "    custom_key: kept\n"
    "detection:\n"
    "    selection:\n"
    "        Image|endswith: '\\ScreenConnect.WindowsClient.exe'\n"
    "    condition: selection\n"
    "fields:\n"
    "    - Image\n"
    "falsepositives:\n"
    "    - Legitimate use\n"
    "level: low\n"
    "scope:\n"
    "    - server\n"
    "regression_tests_path: regression_data/x/info.yml\n"
    "simulation:\n"
    "    - type: atomic-red-team\n";

TEST(meta_all_fields_with_positions) {
    loaded l = load_text(full_rule);
    CHECK_EQ_INT(l.errors, 0);
    CHECK_EQ_INT(l.warnings, 0);
    const socfeed_rule *r = l.rule;
    CHECK(r && r->valid && r->kind == SOCFEED_DOC_RULE);
    CHECK_EQ_STR(r->title.s, "Full Rule");
    CHECK(r->title.pos.line == 1 && r->title.pos.col == 8);
    CHECK_EQ_STR(r->id.s, "0afecb6e-6223-4a82-99fb-bf5b981e92a5");
    CHECK_EQ_STR(r->name.s, "full_rule");
    CHECK(r->nrelated == 1 && !strcmp(r->related[0].type.s, "similar"));
    CHECK_EQ_STR(r->taxonomy.s, "sigma");
    CHECK(r->status == SOCFEED_STATUS_TEST && r->status_pos.line == 8);
    CHECK(r->level == SOCFEED_LEVEL_LOW);
    CHECK_EQ_STR(r->license.s, "MIT");
    CHECK_EQ_STR(r->date.s, "2023-10-10");
    CHECK_EQ_STR(r->modified.s, "2024-01-02");
    CHECK(r->tags.count == 2 && r->tags.items[1].pos.line == 18);
    CHECK_EQ_STR(r->logsource.category.s, "file_event");
    CHECK_EQ_STR(r->logsource.definition.s, "Sysmon config with file events");
    CHECK(r->logsource.ncustom == 1 && !strcmp(r->logsource.custom[0].key->text, "custom_key"));
    CHECK(r->fields.count == 1 && r->falsepositives.count == 1 && r->scope.count == 1 && r->references.count == 1);
    CHECK_EQ_STR(r->regression_tests_path.s, "regression_data/x/info.yml");
    CHECK(r->ncustom == 2); /* regression_tests_path and simulation, verbatim */
    CHECK(r->ncustom == 2 && r->custom[1].value->kind == SOCFEED_YAML_SEQUENCE);
    CHECK_EQ_STR(socfeed_level_name(r->level), "low");
    CHECK_EQ_STR(socfeed_status_name(r->status), "test");
    CHECK(strstr(r->source, "title: Full Rule") == r->source);
    unload(&l);
}

static void expect_schema_error(const char *yaml, const char *code, const char *where) {
    loaded l = load_text(yaml);
    const char *d = diag_text(&l, code);
    if (!d[0]) harness_fail(__FILE__, __LINE__, "expected [%s]", code);
    else if (where && !strstr(d, where)) harness_fail(__FILE__, __LINE__, "%s lacks %s", d, where);
    unload(&l);
}

#define BASE "logsource: {product: windows}\ndetection: {s: {a: 1}, condition: s}\n"

TEST(meta_schema_errors) {
    expect_schema_error(BASE, "schema-required", NULL);                                   /* no title */
    expect_schema_error("title: t\nid: not-a-uuid\n" BASE, "schema-uuid", "test.yml:2:5:");
    expect_schema_error("title: t\nstatus: final\n" BASE, "schema-enum", "test.yml:2:9:");
    expect_schema_error("title: t\nlevel: severe\n" BASE, "schema-enum", NULL);
    expect_schema_error("title: t\ndate: 2024-13-01\n" BASE, "schema-date", NULL);
    expect_schema_error("title: t\ntags: [nodot]\n" BASE, "schema-tag", NULL);
    expect_schema_error("title: t\ntitle2: [x]\nrelated: [{id: 1, type: similar}]\n" BASE, "schema-uuid", NULL);
    expect_schema_error("title: t\nrelated: [{id: 0afecb6e-6223-4a82-99fb-bf5b981e92a5, type: cousin}]\n" BASE,
                        "schema-enum", NULL);
    expect_schema_error("title: t\nlogsource: {definition: x}\ndetection: {s: {a: 1}, condition: s}\n",
                        "logsource-empty", NULL);
    expect_schema_error("title: [a]\n" BASE, "schema-type", NULL);
    expect_schema_error("- a\n- b\n", "document-type", NULL);
    expect_schema_error("title: t\nlogsource: {product: windows}\n", "schema-required", NULL); /* no detection */
}

TEST(meta_warnings_not_errors) {
    loaded l = load_text("title: t\ndate: 2020/1/2\ntags: [attack.T1059]\nfalsepositives: one string\n" BASE);
    CHECK_EQ_INT(l.errors, 0);
    CHECK(has_diag(&l, "schema-date") && has_diag(&l, "schema-tag") && has_diag(&l, "schema-type"));
    CHECK(l.rule->valid);
    unload(&l);
}

TEST(meta_status_case_insensitive) {
    loaded l = load_text("title: t\nstatus: Stable\n" BASE);
    CHECK(l.rule->status == SOCFEED_STATUS_STABLE);
    unload(&l);
}

TEST(meta_title_length) {
    char doc[1024] = "title: ";
    for (int i = 0; i < 300; i++) strcat(doc, "x");
    strcat(doc, "\n" BASE);
    loaded l = load_text(doc);
    CHECK(has_diag(&l, "schema-length"));
    unload(&l);
}

TEST(meta_duplicate_ids_across_files) {
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    const char *a = "title: a\nid: 0afecb6e-6223-4a82-99fb-bf5b981e92a5\n" BASE;
    socfeed_ruleset_load_buffer(rs, "a.yml", a, strlen(a));
    socfeed_ruleset_load_buffer(rs, "b.yml", a, strlen(a));
    socfeed_ruleset_finalize(rs);
    const socfeed_diags *d = socfeed_ruleset_diags(rs);
    CHECK_EQ_INT(d->errors, 1);
    CHECK(d->count >= 1 && !strcmp(d->items[0].code, "duplicate-id") && !strcmp(d->items[0].file, "b.yml"));
    CHECK(socfeed_ruleset_get(rs, 0)->valid && !socfeed_ruleset_get(rs, 1)->valid);
    CHECK(socfeed_ruleset_find(rs, "0afecb6e-6223-4a82-99fb-bf5b981e92a5") == socfeed_ruleset_get(rs, 0));
    socfeed_ruleset_free(rs);
}
