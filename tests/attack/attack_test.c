/* attack_test.c — the compiled-in ATT&CK v19.2 table: counts from data/attack/README.md, lookups,
 * matrix order, and Sigma tag resolution (current, renamed, revoked, unknown). */
#include <string.h>

#include "harness.h"
#include "socfeed/attack.h"

static socfeed_attack *load(void) {
    socfeed_diags d;
    socfeed_diags_init(&d);
    socfeed_attack *a = socfeed_attack_load(&d);
    CHECK_EQ_INT(d.count, 0);
    socfeed_diags_clear(&d);
    return a;
}

TEST(attack_counts_match_the_release) {
    socfeed_attack *a = load();
    CHECK_EQ_STR(socfeed_attack_version(a), "19.2");
    CHECK_EQ_INT(socfeed_attack_tactic_count(a), 15);
    CHECK_EQ_INT(socfeed_attack_technique_count(a), 697); /* 222 techniques + 475 sub-techniques */
    CHECK_EQ_INT(socfeed_attack_revoked_count(a), 17);
    size_t subs = 0;
    for (size_t i = 0; i < socfeed_attack_technique_count(a); i++)
        subs += socfeed_attack_technique_at(a, i)->parent_id != NULL;
    CHECK_EQ_INT(subs, 475);
    CHECK(strstr(socfeed_attack_notice(), "The MITRE Corporation") != NULL);
    socfeed_attack_free(a);
}

TEST(attack_matrix_order_and_v19_tactics) {
    socfeed_attack *a = load();
    CHECK_EQ_STR(socfeed_attack_tactic_at(a, 0)->id, "TA0043"); /* Reconnaissance first */
    for (size_t i = 0; i < socfeed_attack_tactic_count(a); i++)
        CHECK_EQ_INT(socfeed_attack_tactic_at(a, i)->order, i + 1);
    const socfeed_attack_tactic *stealth = socfeed_attack_tactic_by_id(a, "ta0005");
    CHECK(stealth != NULL);
    if (stealth) {
        CHECK_EQ_STR(stealth->name, "Stealth");
        CHECK_EQ_STR(stealth->sentinel, "DefenseEvasion"); /* Sentinel has no Stealth value */
    }
    const socfeed_attack_tactic *impair = socfeed_attack_tactic_by_id(a, "TA0112");
    CHECK(impair != NULL && impair->order == 8);
    socfeed_attack_free(a);
}

TEST(attack_every_technique_is_found_by_id) {
    socfeed_attack *a = load();
    for (size_t i = 0; i < socfeed_attack_technique_count(a); i++) {
        const socfeed_attack_technique *t = socfeed_attack_technique_at(a, i);
        CHECK(socfeed_attack_technique_by_id(a, t->id) == t);
        CHECK(t->ntactics >= 1);
        CHECK(!strncmp(t->url, "https://attack.mitre.org/techniques/", 36));
    }
    const socfeed_attack_technique *t = socfeed_attack_technique_by_id(a, "t1003.001");
    CHECK(t != NULL);
    if (t) {
        CHECK_EQ_STR(t->name, "LSASS Memory");
        CHECK_EQ_STR(t->parent_id, "T1003");
        CHECK_EQ_STR(t->tactics[0]->shortname, "credential-access");
        CHECK_EQ_INT(t->ndetections, 1);
        CHECK(t->ndetections && !strncmp(t->detection_ids[0], "DET", 3));
    }
    CHECK(socfeed_attack_technique_by_id(a, "T9999") == NULL);
    socfeed_attack_free(a);
}

TEST(attack_resolves_sigma_tags) {
    socfeed_attack *a = load();
    socfeed_attack_tag r = socfeed_attack_resolve_tag(a, "attack.t1219");
    CHECK_EQ_INT(r.kind, SOCFEED_TAG_TECHNIQUE);
    CHECK(r.technique && !strcmp(r.technique->id, "T1219"));
    r = socfeed_attack_resolve_tag(a, "attack.credential_access");
    CHECK_EQ_INT(r.kind, SOCFEED_TAG_TACTIC);
    CHECK(r.tactic && !strcmp(r.tactic->id, "TA0006"));
    r = socfeed_attack_resolve_tag(a, "attack.defense-evasion");
    CHECK_EQ_INT(r.kind, SOCFEED_TAG_TACTIC_OUTDATED);
    CHECK(r.tactic && !strcmp(r.tactic->id, "TA0005"));
    r = socfeed_attack_resolve_tag(a, "attack.t1562.001");
    CHECK_EQ_INT(r.kind, SOCFEED_TAG_REVOKED);
    CHECK(r.revoked && r.revoked->replaced_by_id != NULL);
    CHECK_EQ_INT(socfeed_attack_resolve_tag(a, "attack.t9999").kind, SOCFEED_TAG_UNKNOWN);
    CHECK_EQ_INT(socfeed_attack_resolve_tag(a, "attack.g0032").kind, SOCFEED_TAG_GROUP);
    CHECK_EQ_INT(socfeed_attack_resolve_tag(a, "attack.s0002").kind, SOCFEED_TAG_SOFTWARE);
    CHECK_EQ_INT(socfeed_attack_resolve_tag(a, "attack.no-such-tactic").kind, SOCFEED_TAG_UNKNOWN);
    CHECK_EQ_INT(socfeed_attack_resolve_tag(a, "cve.2021-44228").kind, SOCFEED_TAG_OTHER);
    socfeed_attack_free(a);
}
