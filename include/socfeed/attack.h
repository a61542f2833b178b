/* socfeed/attack.h — MITRE ATT&CK Enterprise (the version compiled in: data/attack/, v19.2):
 * tactics in matrix order, techniques and sub-techniques, revoked ids, and Sigma tag resolution.
 *
 * Why a table of our own: the feed's coverage view, Sentinel's tactics/relevantTechniques and the
 * rule pages' ATT&CK context all need the same facts; they come from the TSVs in data/attack/ (generated
 * from MITRE's data by tools/gen-attack.sh, with MITRE's notice in data/attack/NOTICE-ATTACK.txt,
 * which every place that shows the data must carry: socfeed_attack_notice()).
 *
 * Ownership: socfeed_attack_load() returns a table the caller frees with socfeed_attack_free();
 * every pointer handed out by the lookups lives as long as the table. Read-only after load, so one
 * table may be shared by threads. */
#ifndef SOCFEED_ATTACK_H
#define SOCFEED_ATTACK_H

#include <stdbool.h>
#include <stddef.h>

#include "socfeed/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct socfeed_attack socfeed_attack;

typedef struct socfeed_attack_tactic {
    const char *id;        /* "TA0006" */
    const char *name;      /* "Credential Access" */
    const char *shortname; /* "credential-access", as in Sigma tags */
    const char *sentinel;  /* Microsoft Sentinel AttackTactic value, e.g. "CredentialAccess" */
    const char *url;
    unsigned order;        /* matrix column, 1-based */
} socfeed_attack_tactic;

typedef struct socfeed_attack_technique {
    const char *id;          /* "T1003" or "T1003.001" */
    const char *name;
    const char *parent_id;   /* NULL for a top-level technique */
    const char *url;
    const char *description; /* first paragraph, may be "" */
    const socfeed_attack_tactic *const *tactics; /* in matrix order */
    size_t ntactics;
    const char *const *platforms;
    size_t nplatforms;
    const char *const *detection_ids;   /* "DET0001" … */
    const char *const *detection_names; /* same order */
    size_t ndetections;
} socfeed_attack_technique;

typedef struct socfeed_attack_revoked {
    const char *id;               /* "T1562.001" */
    const char *name;             /* its name when it was current */
    const char *revoked_in;       /* "v19.0" */
    const char *replaced_by_id;   /* may be NULL */
    const char *replaced_by_name; /* may be NULL */
} socfeed_attack_revoked;

/* Loads the compiled-in table. Returns NULL (with a diagnostic) only if the embedded data is
 * malformed, which the test suite rules out. */
socfeed_attack *socfeed_attack_load(socfeed_diags *diags);
void socfeed_attack_free(socfeed_attack *a);

const char *socfeed_attack_version(const socfeed_attack *a); /* "19.2" */
const char *socfeed_attack_notice(void);                      /* MITRE's notice, verbatim */

size_t socfeed_attack_tactic_count(const socfeed_attack *a);
const socfeed_attack_tactic *socfeed_attack_tactic_at(const socfeed_attack *a, size_t i); /* matrix order */
size_t socfeed_attack_technique_count(const socfeed_attack *a);
const socfeed_attack_technique *socfeed_attack_technique_at(const socfeed_attack *a, size_t i); /* by id */
size_t socfeed_attack_revoked_count(const socfeed_attack *a);
const socfeed_attack_revoked *socfeed_attack_revoked_at(const socfeed_attack *a, size_t i);

/* Lookups are ASCII case-insensitive ("t1003.001" finds T1003.001). */
const socfeed_attack_technique *socfeed_attack_technique_by_id(const socfeed_attack *a, const char *id);
const socfeed_attack_tactic *socfeed_attack_tactic_by_id(const socfeed_attack *a, const char *id);
const socfeed_attack_revoked *socfeed_attack_revoked_by_id(const socfeed_attack *a, const char *id);

typedef enum socfeed_attack_tag_kind {
    SOCFEED_TAG_OTHER = 0,     /* not an attack.* tag (cve.*, detection.*, car.*, …) */
    SOCFEED_TAG_TACTIC,        /* attack.credential-access (or with '_') */
    SOCFEED_TAG_TACTIC_OUTDATED, /* a tactic name ATT&CK renamed (attack.defense-evasion → TA0005 Stealth) */
    SOCFEED_TAG_TECHNIQUE,     /* attack.t1003.001 */
    SOCFEED_TAG_REVOKED,       /* a technique id revoked in this version: see .revoked */
    SOCFEED_TAG_GROUP,         /* attack.g0001 */
    SOCFEED_TAG_SOFTWARE,      /* attack.s0001 */
    SOCFEED_TAG_UNKNOWN        /* attack.* that names nothing in this version */
} socfeed_attack_tag_kind;

typedef struct socfeed_attack_tag {
    socfeed_attack_tag_kind kind;
    const socfeed_attack_tactic *tactic;       /* TACTIC, TACTIC_OUTDATED */
    const socfeed_attack_technique *technique; /* TECHNIQUE */
    const socfeed_attack_revoked *revoked;     /* REVOKED */
} socfeed_attack_tag;

/* Resolves one Sigma tag ("attack.t1059.001", "attack.execution", …). */
socfeed_attack_tag socfeed_attack_resolve_tag(const socfeed_attack *a, const char *tag);

#ifdef __cplusplus
}
#endif

#endif
