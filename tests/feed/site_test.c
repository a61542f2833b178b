/* site_test.c — socfeed_feed_write as a library call: a query whose verification failed is shown as
 * not deployable everywhere (page, index, JSON, no Sentinel export); golden Atom feed and ATT&CK
 * Navigator layer for the seed rule (expected documents written out by hand from RFC 4287, the
 * layer 4.5 format and the rule); the output directory is swapped in whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "socfeed/attack.h"
#include "socfeed/feed.h"
#include "socfeed/rule.h"
#include "socfeed/version.h"

#define SEED_FILE "examples/rules/sigmahq/file_event_win_remote_access_tools_screenconnect_artefact.yml"
#define SEED_ID "fec96f39-988b-4586-b746-b93d59fd1922"

static char *slurp(const char *dir, const char *rel) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, f);
    buf[got] = 0;
    fclose(f);
    return buf;
}

static void remove_site(const char *dir) {
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) harness_fail(__FILE__, __LINE__, "cannot remove %s", dir);
}

typedef struct built {
    char dir[256], site[300];
    socfeed_ruleset *rs;
    socfeed_attack *attack;
} built;

/* The seed rule with a sentinel-asim query that verification showed to under-match and two
 * refused targets, written with fixed times so the exports are byte-for-byte predictable. */
static int build_seed_site(built *b) {
    snprintf(b->dir, sizeof b->dir, "/tmp/socfeed-site-test-XXXXXX");
    if (!mkdtemp(b->dir)) return -1;
    snprintf(b->site, sizeof b->site, "%s/site", b->dir);
    b->rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_path(b->rs, SEED_FILE);
    socfeed_ruleset_finalize(b->rs);
    socfeed_diags d;
    socfeed_diags_init(&d);
    b->attack = socfeed_attack_load(&d);
    socfeed_feed_options o = {.retrieved = "2026-03-25T03:05:59Z", .site_url = "https://feed.example/"};
    socfeed_feed *f = socfeed_feed_new(b->attack, &o);
    socfeed_target_result t[3] = {
        {.target = "sentinel-asim", .table = "imFileEvent",
         .query = "imFileEvent\n| where TargetFileName contains \"\\\\Bin\\\\ScreenConnect.\"",
         .verdict = SOCFEED_VERDICT_UNDER_MATCH, .verdict_detail = "Sigma: 1 event, KQL: 0 events"},
        {.target = "defender-xdr", .reason = "no mapping for this test"},
        {.target = "azure-monitor", .reason = "no mapping for this test"}};
    socfeed_feed_input in = {.rule = socfeed_ruleset_get(b->rs, 0), .targets = t, .ntargets = 3};
    CHECK_EQ_INT(socfeed_feed_add(f, &in), 0);
    socfeed_build_stats st;
    int rc = socfeed_feed_write(f, b->site, &st, &d);
    CHECK_EQ_INT(d.count, 0);
    CHECK_EQ_INT(st.failed_verdicts, 1);
    socfeed_diags_clear(&d);
    socfeed_feed_free(f);
    return rc;
}

static void free_built(built *b) {
    remove_site(b->dir);
    socfeed_ruleset_free(b->rs);
    socfeed_attack_free(b->attack);
}

TEST(feed_site_failed_verdict_is_never_published_as_good) {
    built b;
    CHECK_EQ_INT(build_seed_site(&b), 0);
    char *page = slurp(b.site, "rules/" SEED_ID ".html");
    CHECK(page != NULL);
    if (page) {
        CHECK(strstr(page, "✗ Do not deploy: verification showed this query to be under-matching.") != NULL);
        CHECK(strstr(page, "<pre class=\"kql kql-failed\">") != NULL);
        CHECK(strstr(page, ">sentinel-asim ✗</button>") != NULL);
        CHECK(strstr(page, "Copy (failed verification)") != NULL);
        CHECK(strstr(page, "Sigma: 1 event, KQL: 0 events") != NULL);
        CHECK(strstr(page, "1 of 3 queries failed verification") != NULL);
        CHECK(strstr(page, "capped at low: verification showed the sentinel-asim query to be wrong") != NULL);
        CHECK(strstr(page, "verdict-verified") == NULL);
    }
    char *index = slurp(b.site, "index.html");
    CHECK(index && strstr(index, "data-verified=\"failed\"") && strstr(index, "✗ failed verification"));
    char *json = slurp(b.site, "index.json");
    CHECK(json && strstr(json, "\"verdict\":\"under-matching\",\"deployable\":false"));
    /* no analytic rule is exported from a failed query */
    char path[400];
    snprintf(path, sizeof path, "%s/sentinel/" SEED_ID ".yaml", b.site);
    CHECK(access(path, F_OK) != 0);
    free(page);
    free(index);
    free(json);
    free_built(&b);
}

TEST(feed_site_atom_golden) {
    built b;
    CHECK_EQ_INT(build_seed_site(&b), 0);
    char *atom = slurp(b.site, "feed.xml");
    CHECK_EQ_STR(atom,
                 "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                 "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
                 "<title>SOC feed</title>\n"
                 "<subtitle>The newest Sigma rules of the feed</subtitle>\n"
                 "<id>https://feed.example/</id>\n"
                 "<updated>2026-03-25T03:05:59Z</updated>\n"
                 "<generator version=\"" SOCFEED_VERSION "\">socfeed</generator>\n"
                 "<link rel=\"alternate\" href=\"https://feed.example/index.html\"/>\n"
                 "<link rel=\"self\" href=\"https://feed.example/feed.xml\"/>\n"
                 "<author><name>socfeed</name></author>\n"
                 "<entry>\n"
                 "<title>ScreenConnect Temporary Installation Artefact</title>\n"
                 "<id>urn:uuid:" SEED_ID "</id>\n"
                 "<updated>2022-02-13T00:00:00Z</updated>\n"
                 "<published>2022-02-13T00:00:00Z</published>\n"
                 "<link rel=\"alternate\" type=\"text/html\" href=\"https://feed.example/rules/" SEED_ID ".html\"/>\n"
                 "<author><name>frack113</name></author>\n"
                 "<category term=\"level:medium\"/>\n"
                 "<category term=\"T1219.002\" label=\"Remote Desktop Software\"/>\n"
                 "<summary type=\"text\">It matches Windows file creation events where TargetFilename contains "
                 "&#39;\\Bin\\ScreenConnect.&#39;. Level medium; confidence low; KQL: failed.</summary>\n"
                 "</entry>\n"
                 "</feed>\n");
    free(atom);
    free_built(&b);
}

TEST(feed_site_navigator_layer_golden) {
    built b;
    CHECK_EQ_INT(build_seed_site(&b), 0);
    char *layer = slurp(b.site, "navigator-layer.json");
    /* Layer 4.5: name and domain required, versions.layer "4.5"; one technique entry per matrix cell
     * with rules: the sub-technique and, counting it, its parent, both under command-and-control. The
     * failed query leaves the verified count at 0. */
    CHECK_EQ_STR(layer,
                 "{\n\"name\":\"SOC feed\",\n"
                 "\"versions\":{\"attack\":\"19\",\"navigator\":\"5.1.0\",\"layer\":\"4.5\"},\n"
                 "\"domain\":\"enterprise-attack\",\n"
                 "\"description\":\"Sigma rules per technique (score = rule count) from socfeed, built "
                 "2026-03-25T03:05:59Z, ATT&CK v19.2.\",\n"
                 "\"sorting\":3,\n\"layout\":{\"layout\":\"side\",\"showID\":true,\"showName\":true},\n"
                 "\"hideDisabled\":false,\n\"techniques\":[\n"
                 "{\"techniqueID\":\"T1219\",\"tactic\":\"command-and-control\",\"score\":1,\"comment\":\"1 rule, 0 "
                 "verified\",\"enabled\":true,\"showSubtechniques\":true},\n"
                 "{\"techniqueID\":\"T1219.002\",\"tactic\":\"command-and-control\",\"score\":1,\"comment\":\"1 rule, 0 "
                 "verified\",\"enabled\":true,\"showSubtechniques\":false}\n"
                 "],\n"
                 "\"gradient\":{\"colors\":[\"#ffffffff\",\"#66b1ffff\",\"#ff6666ff\"],\"minValue\":0,\"maxValue\":1},\n"
                 "\"legendItems\":[],\n\"metadata\":[{\"name\":\"generator\",\"value\":\"socfeed\"}],\n\"links\":[],\n"
                 "\"showTacticRowBackground\":false,\n\"selectTechniquesAcrossTactics\":true,\n"
                 "\"selectSubtechniquesWithParent\":false,\n\"selectVisibleTechniques\":false\n}\n");
    free(layer);
    free_built(&b);
}

TEST(feed_site_replaces_only_sites) {
    built b;
    CHECK_EQ_INT(build_seed_site(&b), 0);
    /* a second write over the site swaps it whole; no temporary directory is left beside it */
    socfeed_feed *f = socfeed_feed_new(b.attack, NULL);
    socfeed_feed_input in = {.rule = socfeed_ruleset_get(b.rs, 0)};
    socfeed_feed_add(f, &in);
    socfeed_diags d;
    socfeed_diags_init(&d);
    CHECK_EQ_INT(socfeed_feed_write(f, b.site, NULL, &d), 0);
    char *page = slurp(b.site, "rules/" SEED_ID ".html");
    CHECK(page && !strstr(page, "Do not deploy") && strstr(page, "No KQL target was requested"));
    free(page);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "test \"$(ls -A '%s')\" = site", b.dir);
    CHECK_EQ_INT(system(cmd), 0);
    /* a directory that is not a site is refused and left alone */
    char other[400];
    snprintf(other, sizeof other, "%s/mine", b.dir);
    mkdir(other, 0755);
    char keep[500];
    snprintf(keep, sizeof keep, "%s/keep.txt", other);
    FILE *k = fopen(keep, "w");
    if (k) fclose(k);
    CHECK_EQ_INT(socfeed_feed_write(f, other, NULL, &d), -1);
    CHECK(d.errors == 1 && !strcmp(d.items[0].code, "out-not-site"));
    CHECK_EQ_INT(access(keep, F_OK), 0);
    socfeed_diags_clear(&d);
    socfeed_feed_free(f);
    free_built(&b);
}
