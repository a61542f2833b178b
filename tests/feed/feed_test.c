/* feed_test.c — the feed library: HTML escaping and URL/slug safety, the enrichment text of the two
 * seed rules (expected prose written out by hand from the rules and the documented templates), the
 * confidence formula and its caps, and coverage counts per matrix cell. */
#include <stdlib.h>
#include <string.h>

#include "feed/html.h"
#include "harness.h"
#include "socfeed/attack.h"
#include "socfeed/feed.h"
#include "socfeed/rule.h"

static char *escaped(const char *s) {
    strbuf sb;
    sb_init(&sb);
    html_escape(&sb, s, strlen(s));
    return sb_detach(&sb);
}

TEST(feed_html_escape_neutralises_markup) {
    char *s = escaped("<img src=x onerror=alert(1)>");
    CHECK_EQ_STR(s, "&lt;img src=x onerror=alert(1)&gt;");
    free(s);
    s = escaped("a \"quoted\" 'single' & </script>");
    CHECK_EQ_STR(s, "a &quot;quoted&quot; &#39;single&#39; &amp; &lt;/script&gt;");
    free(s);
    /* control bytes HTML forbids are dropped, tab and newline kept, UTF-8 untouched */
    s = escaped("a\x01\x7f" "b\tc\nd é");
    CHECK_EQ_STR(s, "ab\tc\nd é");
    free(s);
    strbuf sb;
    sb_init(&sb);
    html_escape(&sb, "x<\0y", 4); /* length-counted: the NUL is dropped, not a terminator */
    CHECK_EQ_STR(sb.data, "x&lt;y");
    sb_free(&sb);
}

TEST(feed_html_url_and_slug_safety) {
    CHECK(html_url_is_safe("https://github.com/SigmaHQ/sigma"));
    CHECK(html_url_is_safe("http://example.org/a?b=c"));
    CHECK(!html_url_is_safe("javascript:alert(1)"));
    CHECK(!html_url_is_safe("JAVASCRIPT:alert(1)"));
    CHECK(!html_url_is_safe("data:text/html,<script>"));
    CHECK(!html_url_is_safe("https://a.example/ b"));
    CHECK(!html_url_is_safe("//evil.example/x"));
    CHECK(!html_url_is_safe(NULL));
    strbuf sb;
    sb_init(&sb);
    html_slug(&sb, "../../etc/passwd");
    CHECK_EQ_STR(sb.data, "-.-..-etc-passwd"); /* no path separators, never starts with '.' */
    sb_reset(&sb);
    html_slug(&sb, "");
    CHECK_EQ_STR(sb.data, "rule");
    sb_reset(&sb);
    html_slug(&sb, "fec96f39-988b-4586-b746-b93d59fd1922");
    CHECK_EQ_STR(sb.data, "fec96f39-988b-4586-b746-b93d59fd1922");
    sb_free(&sb);
}

/* ---- enrichment of the seed rules ---- */

static socfeed_ruleset *load_file(const char *path) {
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    CHECK_EQ_INT(socfeed_ruleset_load_path(rs, path), 0);
    socfeed_ruleset_finalize(rs);
    return rs;
}

static socfeed_attack *attack_table(void) {
    socfeed_diags d;
    socfeed_diags_init(&d);
    socfeed_attack *a = socfeed_attack_load(&d);
    socfeed_diags_clear(&d);
    return a;
}

#define SEED_DIR "examples/rules/sigmahq/"

TEST(feed_enrichment_seed_screenconnect_artefact) {
    socfeed_ruleset *rs = load_file(SEED_DIR "file_event_win_remote_access_tools_screenconnect_artefact.yml");
    socfeed_attack *a = attack_table();
    const socfeed_rule *r = socfeed_ruleset_get(rs, 0);
    socfeed_target_result t[1] = {{.target = "sentinel-asim", .table = "imFileEvent", .query = "imFileEvent | take 1",
                                   .verdict = SOCFEED_VERDICT_VERIFIED}};
    socfeed_feed_input in = {.rule = r, .targets = t, .ntargets = 1};
    socfeed_enrichment *e = socfeed_enrich(&in, a);
    CHECK_EQ_STR(e->hunt_hypothesis,
                 "Hypothesis: an adversary is using Remote Desktop Software (T1219.002) for command and control on hosts "
                 "in this environment. If so, it shows up in Windows file creation events where TargetFilename contains "
                 "'\\Bin\\ScreenConnect.'."
                 "\n\nThe rule's author explains: “An adversary may use legitimate desktop support and remote access "
                 "software, such as Team Viewer, Go2Assist, LogMein, AmmyyAdmin, etc, to establish an interactive command "
                 "and control channel to target systems within networks.”"
                 "\n\nTo test it, run the imFileEvent query below over at least the last 30 days, not only the alerting "
                 "window, and stack the results by TargetFilename and by host: values seen on only one or two hosts are "
                 "where to start. The authors rate a hit medium: expect some benign results, and settle each one as an "
                 "incident or a documented exclusion.");
    CHECK_EQ_STR(e->false_positive_guidance,
                 "The authors expect benign hits from: Legitimate use. Establish which hosts and accounts do this "
                 "legitimately here and exclude them by exact value (for example of TargetFilename, together with the "
                 "host), rather than by loosening the pattern. \"Legitimate use\" says little on its own: ask the owners "
                 "of the matching hosts whether the activity is expected there."
                 "\n\nLevel medium: expect some benign hits; an allow-list of known hosts or tools, or a threshold, may be "
                 "needed before it pages anyone.");
    /* ATT&CK context: both tags resolved, with names */
    CHECK_EQ_INT(e->nattack, 2);
    CHECK(e->attack[0].resolved.kind == SOCFEED_TAG_TACTIC && !strcmp(e->attack[0].resolved.tactic->id, "TA0011"));
    CHECK(e->attack[1].resolved.kind == SOCFEED_TAG_TECHNIQUE);
    CHECK_EQ_STR(e->attack[1].resolved.technique->name, "Remote Desktop Software");
    /* confidence: test 30 + medium 10 + tests 0 + 1 verified target 10 + mapping complete (1 of 1) 5 = 55 */
    CHECK_EQ_INT(e->score, 55);
    CHECK(e->confidence == SOCFEED_CONFIDENCE_MEDIUM);
    CHECK(e->confidence_cap == NULL);
    socfeed_enrichment_free(e);
    socfeed_attack_free(a);
    socfeed_ruleset_free(rs);
}

TEST(feed_enrichment_seed_screenconnect_remote_file) {
    socfeed_ruleset *rs = load_file(SEED_DIR "file_event_win_remote_access_tools_screenconnect_remote_file.yml");
    socfeed_attack *a = attack_table();
    const socfeed_rule *r = socfeed_ruleset_get(rs, 0);
    socfeed_target_result t[2] = {
        {.target = "sentinel-asim", .table = "imFileEvent", .query = "imFileEvent", .verdict = SOCFEED_VERDICT_NOT_RUN},
        {.target = "defender-xdr", .reason = "no mapping"}};
    socfeed_feed_input in = {.rule = r, .targets = t, .ntargets = 2};
    socfeed_enrichment *e = socfeed_enrich(&in, a);
    CHECK_EQ_STR(e->hunt_hypothesis,
                 "Hypothesis: an adversary is using Windows Command Shell (T1059.003) for execution on hosts in this "
                 "environment. If so, it shows up in Windows file creation events where Image ends with "
                 "'\\ScreenConnect.WindowsClient.exe' and TargetFilename contains '\\Documents\\ConnectWiseControl\\Temp\\'."
                 "\n\nThe rule's author explains: “Detects the creation of files in a specific location by ScreenConnect "
                 "RMM.”"
                 "\n\nTo test it, run the imFileEvent query below over at least the last 30 days, not only the alerting "
                 "window, and stack the results by Image and by host: values seen on only one or two hosts are where to "
                 "start. The authors rate a hit low: on its own it is context, so look for hosts where it coincides with "
                 "other detections.");
    CHECK_EQ_STR(e->false_positive_guidance,
                 "The authors expect benign hits from: Legitimate use of ScreenConnect. Establish which hosts and accounts "
                 "do this legitimately here and exclude them by exact value (for example of Image, together with the "
                 "host), rather than by loosening the pattern."
                 "\n\nLevel low: on its own not worth an alert; use it for hunting or in correlation with other "
                 "detections.");
    /* test 30 + low 5 + 0 + 0 verified + mapping incomplete (1 of 2) 0 = 35: low */
    CHECK_EQ_INT(e->score, 35);
    CHECK(e->confidence == SOCFEED_CONFIDENCE_LOW);
    CHECK_EQ_STR(e->factors[4].value, "1 of 2 targets converted");
    socfeed_enrichment_free(e);
    socfeed_attack_free(a);
    socfeed_ruleset_free(rs);
}

static const char *RULE_STABLE_HIGH =
    "title: Stable high\nid: 11111111-1111-4111-8111-111111111111\nstatus: stable\nlevel: high\n"
    "logsource: {category: process_creation, product: windows}\n"
    "detection:\n  sel:\n    Image|endswith: '\\x.exe'\n  filter:\n    User: SYSTEM\n  condition: sel and not filter\n"
    "falsepositives:\n  - Unknown\n";

TEST(feed_confidence_points_and_caps) {
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_buffer(rs, "stable.yml", RULE_STABLE_HIGH, strlen(RULE_STABLE_HIGH));
    socfeed_ruleset_finalize(rs);
    socfeed_attack *a = attack_table();
    const socfeed_rule *r = socfeed_ruleset_get(rs, 0);
    socfeed_target_result t[3] = {{.target = "a", .query = "q", .verdict = SOCFEED_VERDICT_VERIFIED},
                                  {.target = "b", .query = "q", .verdict = SOCFEED_VERDICT_VERIFIED},
                                  {.target = "c", .query = "q", .verdict = SOCFEED_VERDICT_VERIFIED}};
    socfeed_feed_input in = {.rule = r, .targets = t, .ntargets = 3, .tests = {SOCFEED_TESTS_PASSED, NULL}};
    socfeed_enrichment *e = socfeed_enrich(&in, a);
    /* stable 40 + high 15 + tests 20 + 3 verified 30 + complete 5 = 110 */
    CHECK_EQ_INT(e->score, 110);
    CHECK(e->confidence == SOCFEED_CONFIDENCE_HIGH);
    /* the exclusion is named as such, and "Unknown" is not a benign source */
    CHECK(strstr(e->detection_summary, "where Image ends with '\\x.exe', excluding events where User is 'SYSTEM'") != NULL);
    CHECK(!strncmp(e->false_positive_guidance, "The authors know of no benign source", 36));
    socfeed_enrichment_free(e);

    /* one under-matching query caps everything at low, and the guidance says what that means */
    t[1].verdict = SOCFEED_VERDICT_UNDER_MATCH;
    e = socfeed_enrich(&in, a);
    CHECK_EQ_INT(e->score, 100);
    CHECK(e->confidence == SOCFEED_CONFIDENCE_LOW);
    CHECK(e->confidence_cap && strstr(e->confidence_cap, "the b query") != NULL);
    CHECK(strstr(e->false_positive_guidance, "Verification showed the b query to be under-matching") != NULL);
    socfeed_enrichment_free(e);

    /* a failed regression test caps too */
    t[1].verdict = SOCFEED_VERDICT_VERIFIED;
    in.tests.state = SOCFEED_TESTS_FAILED;
    e = socfeed_enrich(&in, a);
    CHECK(e->confidence == SOCFEED_CONFIDENCE_LOW);
    CHECK_EQ_STR(e->confidence_cap, "capped at low: a regression test failed");
    socfeed_enrichment_free(e);
    CHECK(socfeed_verdict_is_failure(SOCFEED_VERDICT_OVER_MATCH));
    CHECK(socfeed_verdict_is_failure(SOCFEED_VERDICT_MISMATCH));
    CHECK(!socfeed_verdict_is_failure(SOCFEED_VERDICT_NOT_RUN));
    socfeed_attack_free(a);
    socfeed_ruleset_free(rs);
}

/* ---- coverage ---- */

static void add_rule(socfeed_ruleset *rs, const char *name, const char *id, const char *tags) {
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "title: %s\nid: %s\nstatus: test\nlevel: low\ntags:\n%s"
             "logsource: {category: process_creation, product: windows}\n"
             "detection:\n  sel:\n    Image: x\n  condition: sel\n",
             name, id, tags);
    socfeed_ruleset_load_buffer(rs, name, yaml, strlen(yaml));
}

static size_t tactic_index(const socfeed_attack *a, const char *id) {
    return socfeed_attack_tactic_by_id(a, id)->order - 1;
}
static size_t technique_index(const socfeed_attack *a, const char *id) {
    for (size_t i = 0; i < socfeed_attack_technique_count(a); i++)
        if (!strcmp(socfeed_attack_technique_at(a, i)->id, id)) return i;
    return (size_t)-1;
}

TEST(feed_coverage_counts_per_cell) {
    socfeed_attack *a = attack_table();
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    /* A: sub-technique with its tactic; B: the parent, no tactic tag; C: T1078 meant as persistence;
     * D: T1078 with no tactic (counts under all four of its tactics); E: an unknown and a revoked id. */
    add_rule(rs, "a.yml", "00000000-0000-4000-8000-00000000000a", "  - attack.command-and-control\n  - attack.t1219.002\n");
    add_rule(rs, "b.yml", "00000000-0000-4000-8000-00000000000b", "  - attack.t1219\n");
    add_rule(rs, "c.yml", "00000000-0000-4000-8000-00000000000c", "  - attack.persistence\n  - attack.t1078\n");
    add_rule(rs, "d.yml", "00000000-0000-4000-8000-00000000000d", "  - attack.t1078.002\n");
    add_rule(rs, "e.yml", "00000000-0000-4000-8000-00000000000e", "  - attack.t9999\n  - attack.t1070.001\n");
    socfeed_ruleset_finalize(rs);
    CHECK_EQ_INT(socfeed_ruleset_count(rs), 5);
    socfeed_coverage *c = socfeed_coverage_new(a);
    for (size_t i = 0; i < socfeed_ruleset_count(rs); i++)
        socfeed_coverage_add(c, socfeed_ruleset_get(rs, i), i == 0 /* only A verified */);
    size_t c2 = tactic_index(a, "TA0011"), pers = tactic_index(a, "TA0003"), priv = tactic_index(a, "TA0004"),
           init = tactic_index(a, "TA0001"), stealth = tactic_index(a, "TA0005"), exec = tactic_index(a, "TA0002");
    size_t t1219 = technique_index(a, "T1219"), t1219_2 = technique_index(a, "T1219.002"),
           t1078 = technique_index(a, "T1078"), t1078_2 = technique_index(a, "T1078.002");
    /* T1219 counts A (via its sub-technique) and B; T1219.002 only A */
    CHECK_EQ_INT(socfeed_coverage_cell(c, c2, t1219).rules, 2);
    CHECK_EQ_INT(socfeed_coverage_cell(c, c2, t1219).verified, 1);
    CHECK_EQ_INT(socfeed_coverage_cell(c, c2, t1219_2).rules, 1);
    /* T1078 under persistence: C and D; under the other three tactics: D only */
    CHECK_EQ_INT(socfeed_coverage_cell(c, pers, t1078).rules, 2);
    CHECK_EQ_INT(socfeed_coverage_cell(c, priv, t1078).rules, 1);
    CHECK_EQ_INT(socfeed_coverage_cell(c, init, t1078).rules, 1);
    CHECK_EQ_INT(socfeed_coverage_cell(c, stealth, t1078).rules, 1);
    CHECK_EQ_INT(socfeed_coverage_cell(c, stealth, t1078_2).rules, 1);
    CHECK_EQ_INT(socfeed_coverage_cell(c, exec, t1078).rules, 0); /* not a tactic of T1078 */
    /* tactic totals: C2 has A and B; persistence C and D */
    CHECK_EQ_INT(socfeed_coverage_tactic(c, c2).rules, 2);
    CHECK_EQ_INT(socfeed_coverage_tactic(c, c2).verified, 1);
    CHECK_EQ_INT(socfeed_coverage_tactic(c, pers).rules, 2);
    CHECK_EQ_INT(socfeed_coverage_rules_mapped(c), 4);
    /* E reaches no cell: both tags listed, none dropped */
    CHECK_EQ_INT(socfeed_coverage_unplaced_count(c), 2);
    CHECK_EQ_STR(socfeed_coverage_unplaced_at(c, 0)->tag, "attack.t9999");
    CHECK(socfeed_coverage_unplaced_at(c, 0)->resolved.kind == SOCFEED_TAG_UNKNOWN);
    CHECK(socfeed_coverage_unplaced_at(c, 1)->resolved.kind == SOCFEED_TAG_REVOKED);
    socfeed_coverage_free(c);
    socfeed_ruleset_free(rs);
    socfeed_attack_free(a);
}

static const char *RULE_MIXED =
    "title: Mixed\nid: 22222222-2222-4222-8222-222222222222\nstatus: test\nlevel: medium\n"
    "logsource: {category: process_creation, product: windows}\n"
    "detection:\n"
    "  sel_img:\n    - Image|endswith: '\\a.exe'\n    - OriginalFileName: 'a.exe'\n"
    "  sel_cli:\n    CommandLine|contains|all: [' -x ', ' -y ']\n"
    "  filter:\n    ParentImage: 'C:\\p.exe'\n"
    "  condition: all of sel_* and not filter\n";

TEST(feed_detection_summary_follows_the_condition) {
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_buffer(rs, "mixed.yml", RULE_MIXED, strlen(RULE_MIXED));
    socfeed_ruleset_finalize(rs);
    socfeed_attack *a = attack_table();
    socfeed_feed_input in = {.rule = socfeed_ruleset_get(rs, 0)};
    socfeed_enrichment *e = socfeed_enrich(&in, a);
    /* the list of maps is an OR inside the AND of `all of`, so it is parenthesised; |all joins with
     * "and"; the negated filter becomes the exclusion */
    CHECK_EQ_STR(e->detection_summary,
                 "It matches Windows process creation events where (Image ends with '\\a.exe' or OriginalFileName is "
                 "'a.exe') and CommandLine contains ' -x ' and ' -y ', excluding events where ParentImage is "
                 "'C:\\p.exe'.");
    socfeed_enrichment_free(e);
    socfeed_attack_free(a);
    socfeed_ruleset_free(rs);
}

/* The enrichment of a one-rule YAML text (no targets); frees everything but the result. */
static socfeed_enrichment *enrich_text(const char *rule) {
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_buffer(rs, "t.yml", rule, strlen(rule));
    socfeed_ruleset_finalize(rs);
    socfeed_attack *a = attack_table();
    socfeed_feed_input in = {.rule = socfeed_ruleset_get(rs, 0)};
    socfeed_enrichment *e = socfeed_enrich(&in, a);
    socfeed_attack_free(a);
    socfeed_ruleset_free(rs);
    return e;
}

/* A summary cut short ends with "…" and no full stop after it. */
TEST(feed_detection_summary_cut_short_ends_once) {
    static const char rule[] =
        "title: many\nlogsource: {product: windows, category: process_creation}\ndetection:\n"
        "  sel:\n    Image|endswith: ['\\a1.exe', '\\a2.exe', '\\a3.exe', '\\a4.exe', '\\a5.exe', '\\a6.exe']\n"
        "  f1: {User: 'x'}\n  f2: {User: 'y'}\n  f3: {User: 'z'}\n  f4: {User: 'w'}\n  f5: {User: 'v'}\n"
        "  condition: sel and not 1 of f*\n";
    socfeed_enrichment *e = enrich_text(rule);
    CHECK(strstr(e->detection_summary, "…") != NULL);
    CHECK(strstr(e->detection_summary, "….") == NULL);
    CHECK(strstr(e->hunt_hypothesis, "….") == NULL);
    socfeed_enrichment_free(e);
}

/* A technique of several tactics: the hypothesis names the tactic the author tagged first. */
TEST(feed_hypothesis_takes_the_authors_first_tactic) {
    static const char rule[] =
        "title: t\nlogsource: {product: windows, category: process_creation}\n"
        "tags: [attack.privilege-escalation, attack.initial-access, attack.persistence, attack.t1078.002]\n"
        "detection:\n  sel: {Image|endswith: '\\a.exe'}\n  condition: sel\n";
    socfeed_enrichment *e = enrich_text(rule);
    static const char want[] = "Hypothesis: an adversary is using Domain Accounts (T1078.002) for privilege escalation ";
    CHECK(strncmp(e->hunt_hypothesis, want, strlen(want)) == 0);
    socfeed_enrichment_free(e);
}
