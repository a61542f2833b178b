/* engine_internal.h — the compiled form of a rule set (engine.c builds it, match.c evaluates it).
 *
 * The compiled tree mirrors the rule model's detection tree, with every value prepared for the
 * hot path: patterns folded and classified (glob.h), numbers pre-rendered, field names hashed. */
#ifndef SOCFEED_ENGINE_INTERNAL_H
#define SOCFEED_ENGINE_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "engine/field_view.h"
#include "engine/glob.h"
#include "engine/logsource_map.h"
#include "engine/regex_hs.h"
#include "socfeed/engine.h"
#include "util/arena.h"

/* What evaluation reads is copied into these structures (kind, all, negated) and the condition
 * is compiled next to its detection tree: an evaluation that followed pointers into the rule
 * model's memory took a cache miss at each, several per rule on every candidate. */
typedef struct c_value {
    const socfeed_value *v;
    socfeed_value_kind kind; /* v->kind, or STRING for a keyword number searched as text */
    glob *alts;         /* STRING: alternatives, OR-ed */
    size_t nalts;
    const char *num_text; /* NUMBER: canonical decimal (ints) or as written */
    size_t num_len;
    ls_name ref;        /* FIELDREF: the other field */
    hs_database_t *re_hs; /* REGEX: run by Hyperscan on ASCII text (regex_hs.h), or NULL */
} c_value;

typedef struct c_item {
    ls_name field;      /* unused for keywords */
    bool keyword;
    bool all;           /* item->all: every value must match */
    bool negated;       /* item->negated (|neq) */
    c_value *values;
    size_t nvalues;
    /* Set by the prefilter when every value is a simple case-insensitive glob in its route's
     * database (prefilter.h, pf_item_matches): each one's literal and the LIT_* bit it needs. */
    const struct pf_route *pf_route;
    uint32_t *pf_lits;
    uint8_t *pf_need;
    size_t npf;
} c_item;

typedef struct c_node {
    socfeed_det_kind kind;
    struct c_node **children;
    size_t nchildren;
    c_item *item;
} c_node;

/* A condition: OR/AND/NOT over `children`, or IDENT/ONE_OF/ALL_OF over `nodes` (the search
 * identifiers' trees, one for IDENT). */
typedef struct c_cond {
    socfeed_cond_kind kind;
    size_t n;
    struct c_cond *children;
    c_node **nodes;
} c_cond;

typedef struct c_detection {
    const socfeed_detection *det;
    c_node **ids;       /* per search identifier */
    size_t nids;
    c_cond *conds;      /* det->conditions, OR-ed */
    size_t nconds;
} c_detection;

typedef struct c_rule {
    const socfeed_rule *rule;
    size_t index;       /* in the rule set, for stable output order */
    socfeed_rule_state state;
    const ls_entry *ls; /* NULL: runs on every event (all_logsources / ignore_logsource) */
    c_detection det;
    c_detection *filters; /* meta filters applying to this rule, AND-ed */
    size_t nfilters;
} c_rule;

/* Rules sharing one logsource entry are routed together: the event is tested once per entry. */
typedef struct channel_routes {
    const char *channel; /* folded */
    size_t len;
    size_t *routes;
    size_t nroutes;
} channel_routes;

struct pf_route;
struct pf_scratch;

typedef struct c_route {
    const ls_entry *ls;
    struct pf_route *pf;  /* literal prefilter; NULL: every rule of the route runs */
    size_t *rules;      /* indexes into engine->rules */
    size_t nrules;
    bool keyed_alt;     /* indexed, and which alternative routes an event follows from its Channel and
                           EventID alone (no other condition, no `File:` source) */
} c_route;

struct socfeed_engine {
    const socfeed_ruleset *rs;
    socfeed_logsource_map *own_map; /* when the options gave none */
    const socfeed_logsource_map *map;
    arena a;
    c_rule *rules;      /* one per document of the rule set, same order */
    size_t nrules;
    size_t active;
    c_route *routes;
    size_t nroutes;
    size_t *unrouted;   /* rules that run on every event */
    size_t nunrouted;
    /* Routes whose every alternative names its Channel, indexed by that (folded) Channel, so an
     * event only tests the routes of its own log; the others are tested on every event. */
    struct channel_routes *channels;
    size_t nchannels;
    size_t *unindexed_routes;
    size_t nunindexed;
    bool pcre2_only;         /* options: no regex by Hyperscan */
    hs_database_t **re_dbs;  /* every c_value's re_hs, for scratch space and freeing */
    size_t nre_dbs;
};

/* A rule the current event matched, with the names of its items that held (in hit_fields). */
typedef struct c_hit {
    size_t rule;
    size_t fields_from, nfields;
} c_hit;

/* Per-thread evaluation state. */
enum { KEY_MEMO_RAW = 256, KEY_ALT_UNKNOWN = -2, KEY_MEMO_SLOTS = 64 };
typedef struct key_memo {
    char raw[KEY_MEMO_RAW];      /* channel, 1 (an EventID follows) or 2 (none), the EventID */
    size_t len;                  /* 0: empty */
    uint64_t hash;               /* of raw */
    const struct channel_routes *exact, *any;
    int *alt;                    /* per route of exact, then of any: its alternative, or KEY_ALT_UNKNOWN */
} key_memo;

struct socfeed_scanner {
    const socfeed_engine *e;
    field_view fv;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack;
    hs_scratch_t *re_scratch;    /* for the engine's re_dbs */
    struct pf_scratch *pf;
    const struct pf_route *pf_scanned; /* route whose scan describes the current event, or NULL */
    ls_source_cache sources;     /* verdicts for the input path below */
    char *sources_path;          /* owned copy; NULL = no path */
    size_t *live_unindexed;      /* the engine's unindexed routes that can take this path's events */
    size_t nlive_unindexed;
    size_t dead_unindexed_rules; /* rules of the others: skipped at every event */
    const ls_alt *alt;           /* the alternative that routed the current event */
    int negation;                /* depth of `not` above the node being evaluated */
    const char **matched;        /* field names of items that held */
    size_t nmatched, matched_cap;
    struct c_hit *hits;          /* rules matched by the current event */
    size_t nhits, hits_cap;
    const char **hit_fields;     /* their matched field names, kept as each rule matched */
    size_t nhit_fields, hit_fields_cap;
    socfeed_diags *diags;
    socfeed_scanner_stats stats;
    /* The indexed routes of recent events' Channel and EventID, by their raw text, in slots chosen
     * by its hash: finding them takes folding, a key and two binary searches; with them, the
     * alternative each route took, when only Channel and EventID decide it. One slot (the last
     * key) missed on 43 % of the EVTX samples' events, whose files interleave a few EventIDs and
     * whose logs are many; 16 slots on 12 %, 64 on 3.5 %. */
    struct key_memo keys[KEY_MEMO_SLOTS];
    struct key_memo *key_current; /* the current event's, or NULL */
    uint32_t channel_hash, eventid_hash;
};

/* match.c */
bool c_rule_matches(socfeed_scanner *s, const c_rule *r);

#endif
