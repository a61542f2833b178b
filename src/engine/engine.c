/* engine.c — compiling a rule set (socfeed_engine_new) and running it over events (the scanner).
 *
 * Routing: rules are grouped by their logsource entry, so an event is tested once per entry
 * (Channel/EventID) and only the rules of the entries that accept it are evaluated. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/engine_internal.h"
#include "engine/event_facts.h"
#include "engine/prefilter.h"
#include "util/word_hash.h"
#include "util/xalloc.h"

const char *socfeed_rule_state_name(socfeed_rule_state st) {
    switch (st) {
    case SOCFEED_RULE_ACTIVE: return "active";
    case SOCFEED_RULE_INVALID: return "invalid";
    case SOCFEED_RULE_UNMAPPED_LOGSOURCE: return "logsource not mapped";
    case SOCFEED_RULE_BELOW_MIN_LEVEL: return "below the minimum level";
    case SOCFEED_RULE_NOT_A_RULE: return "correlation or filter";
    case SOCFEED_RULE_PLACEHOLDERS: return "unresolved placeholders";
    }
    return "?";
}

/* ---- Compilation ----------------------------------------------------------------------------- */

static void compile_value(socfeed_engine *e, const socfeed_value *v, bool keyword, c_value *out) {
    arena *a = &e->a;
    out->v = v;
    out->kind = v->kind;
    if (v->kind == SOCFEED_VAL_STRING) {
        out->nalts = v->as.str.nalts;
        out->alts = arena_alloc(a, (out->nalts + 1) * sizeof *out->alts);
        for (size_t i = 0; i < out->nalts; i++) glob_compile(a, &v->as.str.alts[i], v->cased, keyword, &out->alts[i]);
    } else if (v->kind == SOCFEED_VAL_NUMBER) {
        char buf[32];
        const char *t = v->as.num.text;
        if (v->as.num.is_int) {
            snprintf(buf, sizeof buf, "%lld", (long long)v->as.num.i);
            t = buf;
        }
        out->num_text = arena_strdup(a, t ? t : "");
        out->num_len = strlen(out->num_text);
        if (keyword) { /* a number among keywords is searched as its text */
            socfeed_seg seg = {.kind = SOCFEED_SEG_LITERAL, .text = out->num_text, .len = out->num_len};
            socfeed_pattern p = {.segs = &seg, .nsegs = 1};
            out->nalts = 1;
            out->alts = arena_alloc(a, sizeof *out->alts);
            glob_compile(a, &p, false, true, &out->alts[0]);
            out->kind = SOCFEED_VAL_STRING; /* matched as a string */
        }
    } else if (v->kind == SOCFEED_VAL_FIELDREF) {
        const char *f = v->as.ref.field;
        out->ref = (ls_name){arena_strdup(a, f), strlen(f), fv_hash(f, strlen(f))};
    } else if (v->kind == SOCFEED_VAL_REGEX) {
        /* JIT once here, before any scanner runs: the engine is read-only afterwards. A failed
         * JIT (unsupported host) leaves the interpreter, which gives the same results. */
        pcre2_jit_compile((pcre2_code *)v->as.re.code, PCRE2_JIT_COMPLETE);
        out->re_hs = e->pcre2_only ? NULL : rx_hs_compile(v);
        if (out->re_hs) {
            e->re_dbs = xrealloc(e->re_dbs, (e->nre_dbs + 1) * sizeof *e->re_dbs);
            e->re_dbs[e->nre_dbs++] = out->re_hs;
        }
    }
}

static c_node *compile_node(socfeed_engine *e, const socfeed_det_node *n) {
    c_node *c = arena_alloc(&e->a, sizeof *c);
    c->kind = n->kind;
    if (n->kind == SOCFEED_DET_ITEM) {
        const socfeed_item *it = n->item;
        c_item *ci = arena_alloc(&e->a, sizeof *ci);
        ci->keyword = it->field == NULL;
        ci->all = it->all;
        ci->negated = it->negated;
        if (it->field) ci->field = (ls_name){it->field, strlen(it->field), fv_hash(it->field, strlen(it->field))};
        ci->nvalues = it->nvalues;
        ci->values = arena_alloc(&e->a, (it->nvalues + 1) * sizeof *ci->values);
        for (size_t i = 0; i < it->nvalues; i++) compile_value(e, &it->values[i], ci->keyword, &ci->values[i]);
        c->item = ci;
        return c;
    }
    c->nchildren = n->nchildren;
    c->children = arena_alloc(&e->a, (n->nchildren + 1) * sizeof *c->children);
    for (size_t i = 0; i < n->nchildren; i++) c->children[i] = compile_node(e, n->children[i]);
    return c;
}

static void compile_cond(socfeed_engine *e, const c_detection *d, const socfeed_cond *c, c_cond *out) {
    out->kind = c->kind;
    switch (c->kind) {
    case SOCFEED_COND_OR:
    case SOCFEED_COND_AND:
    case SOCFEED_COND_NOT:
        out->n = c->nchildren;
        out->children = arena_alloc(&e->a, (c->nchildren + 1) * sizeof *out->children);
        for (size_t i = 0; i < c->nchildren; i++) compile_cond(e, d, c->children[i], &out->children[i]);
        break;
    case SOCFEED_COND_IDENT:
        out->n = 1;
        out->nodes = arena_alloc(&e->a, sizeof *out->nodes);
        out->nodes[0] = d->ids[c->ident];
        break;
    case SOCFEED_COND_ONE_OF:
    case SOCFEED_COND_ALL_OF:
        out->n = c->nidents;
        out->nodes = arena_alloc(&e->a, (c->nidents + 1) * sizeof *out->nodes);
        for (size_t i = 0; i < c->nidents; i++) out->nodes[i] = d->ids[c->idents[i]];
        break;
    }
}

static void compile_detection(socfeed_engine *e, const socfeed_detection *d, c_detection *out) {
    out->det = d;
    out->nids = d->nids;
    out->ids = arena_alloc(&e->a, (d->nids + 1) * sizeof *out->ids);
    for (size_t i = 0; i < d->nids; i++) out->ids[i] = compile_node(e, d->ids[i].node);
    out->nconds = d->nconditions;
    out->conds = arena_alloc(&e->a, (d->nconditions + 1) * sizeof *out->conds);
    for (size_t i = 0; i < d->nconditions; i++) compile_cond(e, out, d->conditions[i], &out->conds[i]);
}

static void add_route(socfeed_engine *e, const ls_entry *ls, size_t rule) {
    c_route *r = NULL;
    for (size_t i = 0; i < e->nroutes; i++)
        if (e->routes[i].ls == ls) r = &e->routes[i];
    if (!r) {
        e->routes = xrealloc(e->routes, (e->nroutes + 1) * sizeof *e->routes);
        r = &e->routes[e->nroutes++];
        memset(r, 0, sizeof *r);
        r->ls = ls;
    }
    r->rules = xrealloc(r->rules, (r->nrules + 1) * sizeof *r->rules);
    r->rules[r->nrules++] = rule;
}

static void attach_filters(socfeed_engine *e, c_rule *r) {
    size_t n = socfeed_ruleset_count(e->rs);
    for (size_t i = 0; i < n; i++) {
        const socfeed_rule *f = socfeed_ruleset_get(e->rs, i);
        if (f->kind != SOCFEED_DOC_FILTER || !f->valid || !socfeed_filter_applies(f, r->rule)) continue;
        r->filters = xrealloc(r->filters, (r->nfilters + 1) * sizeof *r->filters);
        compile_detection(e, &f->detection, &r->filters[r->nfilters++]);
    }
}

static const ls_cond *named_cond(const ls_alt *alt, const char *name) {
    size_t n = strlen(name);
    for (size_t i = 0; i < alt->nconds; i++)
        if (alt->conds[i].field.len == n && !strncasecmp(alt->conds[i].field.s, name, n)) return &alt->conds[i];
    return NULL;
}

/* Index keys: "<channel>\x1f<EventID>" (folded) for alternatives that name both, "<channel>\x1f*" for
 * those that name only the channel. An event looks up its exact key and its channel's "*" key. */
enum { KEY_SEP = 0x1f };

static size_t make_key(char *buf, size_t cap, const char *ch, size_t chl, const char *eid, size_t eidl) {
    if (chl + eidl + 2 > cap) return 0;
    memcpy(buf, ch, chl);
    buf[chl] = KEY_SEP;
    memcpy(buf + chl + 1, eid, eidl);
    return chl + 1 + eidl;
}

static channel_routes *channel_entry(socfeed_engine *e, const char *key, size_t len) {
    for (size_t i = 0; i < e->nchannels; i++)
        if (e->channels[i].len == len && !memcmp(e->channels[i].channel, key, len)) return &e->channels[i];
    e->channels = xrealloc(e->channels, (e->nchannels + 1) * sizeof *e->channels);
    channel_routes *c = &e->channels[e->nchannels++];
    *c = (channel_routes){arena_strndup(&e->a, key, len), len, NULL, 0};
    return c;
}

static void channel_add(socfeed_engine *e, const char *key, size_t len, size_t route) {
    channel_routes *cr = channel_entry(e, key, len);
    if (cr->nroutes && cr->routes[cr->nroutes - 1] == route) return;
    cr->routes = xrealloc(cr->routes, (cr->nroutes + 1) * sizeof *cr->routes);
    cr->routes[cr->nroutes++] = route;
}

static int by_channel(const void *a, const void *b) {
    const channel_routes *x = a, *y = b;
    size_t m = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->channel, y->channel, m);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static void index_channels(socfeed_engine *e) {
    char key[512] = "";
    for (size_t r = 0; r < e->nroutes; r++) {
        const ls_entry *ls = e->routes[r].ls;
        bool all = ls->nalts > 0;
        for (size_t a = 0; a < ls->nalts && all; a++) {
            const ls_cond *ch = named_cond(&ls->alts[a], "Channel"), *ev = named_cond(&ls->alts[a], "EventID");
            all = ch != NULL;
            for (size_t v = 0; all && v < ch->nvalues; v++) { /* every key must fit the lookup buffer */
                all = ch->values[v].len + 2 < sizeof key;
                for (size_t k = 0; all && ev && k < ev->nvalues; k++) all = ch->values[v].len + ev->values[k].len + 2 < sizeof key;
            }
        }
        if (!all) {
            e->unindexed_routes = xrealloc(e->unindexed_routes, (e->nunindexed + 1) * sizeof *e->unindexed_routes);
            e->unindexed_routes[e->nunindexed++] = r;
            continue;
        }
        bool keyed = true;
        for (size_t a = 0; a < ls->nalts && keyed; a++) {
            const ls_alt *alt = &ls->alts[a];
            keyed = alt->nsources == 0;
            for (size_t c = 0; c < alt->nconds && keyed; c++)
                keyed = &alt->conds[c] == named_cond(alt, "Channel") || &alt->conds[c] == named_cond(alt, "EventID");
        }
        e->routes[r].keyed_alt = keyed;
        for (size_t a = 0; a < ls->nalts; a++) {
            const ls_cond *ch = named_cond(&ls->alts[a], "Channel"), *ev = named_cond(&ls->alts[a], "EventID");
            for (size_t v = 0; v < ch->nvalues; v++) {
                const ls_name *c = &ch->values[v];
                if (!ev) {
                    channel_add(e, key, make_key(key, sizeof key, c->s, c->len, "*", 1), r);
                    continue;
                }
                for (size_t k = 0; k < ev->nvalues; k++)
                    channel_add(e, key, make_key(key, sizeof key, c->s, c->len, ev->values[k].s, ev->values[k].len), r);
            }
        }
    }
    if (e->nchannels) qsort(e->channels, e->nchannels, sizeof *e->channels, by_channel);
}

typedef struct pf_build {
    socfeed_engine *e;
    pthread_mutex_t mu;
    size_t next;
} pf_build;

/* Routes are independent (each rule, hence each glob, belongs to one), and Hyperscan compiles
 * are thread-safe: the databases are built in parallel, which is most of the start-up time. */
static void *pf_build_worker(void *p) {
    pf_build *b = p;
    for (;;) {
        pthread_mutex_lock(&b->mu);
        size_t i = b->next++;
        pthread_mutex_unlock(&b->mu);
        if (i >= b->e->nroutes) return NULL;
        c_route *r = &b->e->routes[i];
        r->pf = pf_route_new(b->e, r->rules, r->nrules);
    }
}

static void compact_items(socfeed_engine *e, c_node *n) {
    if (n->kind == SOCFEED_DET_ITEM) pf_compact_item(&e->a, n->item);
    for (size_t i = 0; i < n->nchildren; i++) compact_items(e, n->children[i]);
}

static void build_prefilters(socfeed_engine *e, unsigned threads) {
    pf_build b = {.e = e};
    pthread_mutex_init(&b.mu, NULL);
    if (threads > 64) threads = 64;
    pthread_t tids[64];
    unsigned started = 0;
    for (unsigned t = 1; t < threads; t++)
        if (pthread_create(&tids[started], NULL, pf_build_worker, &b) == 0) started++;
    pf_build_worker(&b);
    for (unsigned t = 0; t < started; t++) pthread_join(tids[t], NULL);
    pthread_mutex_destroy(&b.mu);
}

socfeed_engine *socfeed_engine_new(const socfeed_ruleset *rs, const socfeed_engine_options *opt_in,
                                   socfeed_diags *diags) {
    socfeed_engine_options opt = {0};
    if (opt_in) opt = *opt_in;
    socfeed_engine *e = xcalloc(1, sizeof *e);
    arena_init(&e->a);
    e->rs = rs;
    e->pcre2_only = opt.pcre2_only;
    e->map = opt.logsources;
    if (!e->map) e->map = e->own_map = socfeed_logsource_map_new(diags);
    e->nrules = socfeed_ruleset_count(rs);
    e->rules = xcalloc(e->nrules + 1, sizeof *e->rules);
    for (size_t i = 0; i < e->nrules; i++) {
        c_rule *r = &e->rules[i];
        r->rule = socfeed_ruleset_get(rs, i);
        r->index = i;
        if (r->rule->kind != SOCFEED_DOC_RULE) r->state = SOCFEED_RULE_NOT_A_RULE;
        else if (!r->rule->valid) r->state = SOCFEED_RULE_INVALID;
        else if (r->rule->unresolved_placeholders) r->state = SOCFEED_RULE_PLACEHOLDERS;
        else if (opt.min_level && r->rule->level < opt.min_level) r->state = SOCFEED_RULE_BELOW_MIN_LEVEL;
        if (r->state != SOCFEED_RULE_ACTIVE) continue;
        if (!opt.ignore_logsource) {
            r->ls = ls_map_find(e->map, &r->rule->logsource);
            if (!r->ls && !opt.all_logsources) {
                r->state = SOCFEED_RULE_UNMAPPED_LOGSOURCE;
                continue;
            }
        }
        compile_detection(e, &r->rule->detection, &r->det);
        attach_filters(e, r);
        e->active++;
        if (r->ls) {
            add_route(e, r->ls, i);
        } else {
            e->unrouted = xrealloc(e->unrouted, (e->nunrouted + 1) * sizeof *e->unrouted);
            e->unrouted[e->nunrouted++] = i;
        }
    }
    index_channels(e);
    if (!opt.no_prefilter) {
        build_prefilters(e, opt.threads);
        for (size_t i = 0; i < e->nrules; i++)
            for (size_t k = 0; k < e->rules[i].det.nids; k++) compact_items(e, e->rules[i].det.ids[k]);
    }
    return e;
}

void socfeed_engine_free(socfeed_engine *e) {
    if (!e) return;
    for (size_t i = 0; i < e->nrules; i++) free(e->rules[i].filters);
    for (size_t i = 0; i < e->nroutes; i++) {
        free(e->routes[i].rules);
        pf_route_free(e->routes[i].pf);
    }
    free(e->routes);
    for (size_t i = 0; i < e->nchannels; i++) free(e->channels[i].routes);
    free(e->channels);
    free(e->unindexed_routes);
    free(e->unrouted);
    for (size_t i = 0; i < e->nre_dbs; i++) hs_free_database(e->re_dbs[i]);
    free(e->re_dbs);
    free(e->rules);
    socfeed_logsource_map_free(e->own_map);
    arena_free(&e->a);
    free(e);
}

size_t socfeed_engine_active_rules(const socfeed_engine *e) { return e->active; }
size_t socfeed_engine_rule_count(const socfeed_engine *e) { return e->nrules; }
const socfeed_ruleset *socfeed_engine_ruleset(const socfeed_engine *e) { return e->rs; }

static const c_rule *find_rule(const socfeed_engine *e, const socfeed_rule *rule) {
    for (size_t i = 0; i < e->nrules; i++)
        if (e->rules[i].rule == rule) return &e->rules[i];
    return NULL;
}

socfeed_rule_state socfeed_engine_rule_state(const socfeed_engine *e, const socfeed_rule *rule) {
    const c_rule *r = find_rule(e, rule);
    return r ? r->state : SOCFEED_RULE_INVALID;
}

/* ---- Scanning -------------------------------------------------------------------------------- */

/* The unindexed routes worth trying on this input's events. Why: they are the Linux log files
 * (auditd, syslog, sshd…), whose entries name source files and no Channel; on Windows logs each was
 * rejected anew at every event, 8 % of matching on the OTRF data. */
static void select_unindexed(socfeed_scanner *s, const char *input_path) {
    const socfeed_engine *e = s->e;
    s->nlive_unindexed = 0;
    s->dead_unindexed_rules = 0;
    for (size_t i = 0; i < e->nunindexed; i++) {
        const c_route *route = &e->routes[e->unindexed_routes[i]];
        if (ls_entry_takes_input(route->ls, input_path)) s->live_unindexed[s->nlive_unindexed++] = e->unindexed_routes[i];
        else s->dead_unindexed_rules += route->nrules;
    }
}

socfeed_scanner *socfeed_scanner_new(const socfeed_engine *e) {
    socfeed_scanner *s = xcalloc(1, sizeof *s);
    s->e = e;
    fv_init(&s->fv);
    s->md = pcre2_match_data_create(16, NULL);
    s->mctx = pcre2_match_context_create(NULL);
    /* Bounds for hostile regexes or values: a match that needs more gives up (reported). */
    pcre2_set_match_limit(s->mctx, 2000000);
    pcre2_set_depth_limit(s->mctx, 10000);
    s->jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (s->jit_stack) pcre2_jit_stack_assign(s->mctx, NULL, s->jit_stack);
    s->pf = pf_scratch_new(e);
    for (size_t i = 0; i < e->nre_dbs; i++) hs_alloc_scratch(e->re_dbs[i], &s->re_scratch);
    s->channel_hash = fv_hash("Channel", 7);
    s->eventid_hash = fv_hash("EventID", 7);
    s->live_unindexed = xcalloc(e->nunindexed + 1, sizeof *s->live_unindexed);
    select_unindexed(s, NULL);
    return s;
}

void socfeed_scanner_free(socfeed_scanner *s) {
    if (!s) return;
    fv_free(&s->fv);
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mctx);
    pcre2_jit_stack_free(s->jit_stack);
    pf_scratch_free(s->pf);
    if (s->re_scratch) hs_free_scratch(s->re_scratch);
    free(s->sources_path);
    free(s->matched);
    free(s->hits);
    free(s->hit_fields);
    free(s->live_unindexed);
    for (size_t i = 0; i < KEY_MEMO_SLOTS; i++) free(s->keys[i].alt);
    free(s);
}

/* Right after the rule matched: its matched fields are still those of its evaluation. */
static void add_hit(socfeed_scanner *s, size_t rule) {
    if (s->nhits == s->hits_cap) {
        s->hits_cap = s->hits_cap ? s->hits_cap * 2 : 16;
        s->hits = xrealloc(s->hits, s->hits_cap * sizeof *s->hits);
    }
    if (s->nhit_fields + s->nmatched > s->hit_fields_cap) {
        s->hit_fields_cap = (s->nhit_fields + s->nmatched) * 2;
        s->hit_fields = xrealloc(s->hit_fields, s->hit_fields_cap * sizeof *s->hit_fields);
    }
    if (s->nmatched) memcpy(s->hit_fields + s->nhit_fields, s->matched, s->nmatched * sizeof *s->matched);
    s->hits[s->nhits++] = (c_hit){rule, s->nhit_fields, s->nmatched};
    s->nhit_fields += s->nmatched;
}

static int by_rule(const void *a, const void *b) {
    size_t x = ((const c_hit *)a)->rule, y = ((const c_hit *)b)->rule;
    return x < y ? -1 : x > y;
}

/* The source cache holds for one input path: emptied when the path changes (by content: the
 * caller's string may be freed and another path allocated at the same address). */
static void sync_sources_path(socfeed_scanner *s, const char *input_path) {
    if (s->sources_path && input_path && !strcmp(s->sources_path, input_path)) return;
    if (!s->sources_path && !input_path) return;
    free(s->sources_path);
    s->sources_path = input_path ? xstrdup(input_path) : NULL;
    memset(&s->sources, 0, sizeof s->sources);
    select_unindexed(s, input_path);
}

static void begin_event(socfeed_scanner *s, const socfeed_event *ev, socfeed_diags *diags) {
    fv_build(&s->fv, ev);
    s->pf_scanned = NULL;
    s->diags = diags;
    s->stats.events++;
}

/* `alts`: the remembered alternatives of these routes for the event's key, or NULL. */
static void run_routes(socfeed_scanner *s, const size_t *routes, size_t n, int *alts, const char *input_path) {
    const socfeed_engine *e = s->e;
    for (size_t i = 0; i < n; i++) {
        const c_route *route = &e->routes[routes[i]];
        int alt;
        if (alts && route->keyed_alt) {
            if (alts[i] == KEY_ALT_UNKNOWN) alts[i] = ls_entry_route(route->ls, &s->fv, input_path, &s->sources);
            alt = alts[i];
        } else {
            alt = ls_entry_route(route->ls, &s->fv, input_path, &s->sources);
        }
        if (alt < 0) {
            s->stats.rules_skipped += route->nrules;
            continue;
        }
        s->alt = &route->ls->alts[alt];
        s->pf_scanned = route->pf;
        if (!route->pf) {
            for (size_t k = 0; k < route->nrules; k++)
                if (c_rule_matches(s, &e->rules[route->rules[k]])) add_hit(s, route->rules[k]);
            continue;
        }
        pf_route_scan(route->pf, s->pf, &s->fv, (size_t)alt);
        const uint32_t *cand;
        size_t ncand = pf_route_candidates(route->pf, s->pf, &cand);
        s->stats.rules_skipped += route->nrules - ncand;
        for (size_t k = 0; k < ncand; k++)
            if (c_rule_matches(s, &e->rules[route->rules[cand[k]]])) add_hit(s, route->rules[cand[k]]);
    }
}

static const channel_routes *find_key(const socfeed_engine *e, const char *key, size_t len) {
    channel_routes k = {key, len, NULL, 0};
    return len ? bsearch(&k, e->channels, e->nchannels, sizeof *e->channels, by_channel) : NULL;
}

/* The indexed route lists of the event: under its Channel and EventID (exact) and under its
 * Channel alone (any). False when the event has no Channel. */
static bool indexed_lists(socfeed_scanner *s, const channel_routes **exact, const channel_routes **any) {
    const socfeed_engine *e = s->e;
    fv_slot *chs = fv_lookup(&s->fv, "Channel", 7, s->channel_hash);
    fv_slot *eids = fv_lookup(&s->fv, "EventID", 7, s->eventid_hash);
    const char *ch, *eid = NULL;
    size_t chl, eidl = 0;
    s->key_current = NULL;
    if (!chs || !fv_slot_text(&s->fv, chs, &ch, &chl)) return false;
    bool has_eid = eids && fv_slot_text(&s->fv, eids, &eid, &eidl);
    /* An EventID without one text (a list) makes no key: routing may accept an element of it. */
    char raw[KEY_MEMO_RAW];
    size_t rl = chl + 1 + eidl;
    key_memo *m = NULL;
    uint64_t raw_hash = 0;
    if (rl <= sizeof raw && (has_eid || !eids)) {
        memcpy(raw, ch, chl);
        raw[chl] = has_eid ? 1 : 2;
        if (eidl) memcpy(raw + chl + 1, eid, eidl);
        raw_hash = word_hash_bytes(raw, rl);
        m = &s->keys[raw_hash % KEY_MEMO_SLOTS];
        if (m->len == rl && m->hash == raw_hash && !memcmp(m->raw, raw, rl)) {
            *exact = m->exact;
            *any = m->any;
            s->key_current = m;
            return true;
        }
    }
    char key[512] = ""; /* read only after make_key wrote it; the compiler cannot see that */
    const char *fch, *feid;
    size_t fchl, feidl;
    if (!fv_slot_folded(&s->fv, chs, &fch, &fchl)) return false;
    *exact = NULL;
    if (has_eid && fv_slot_folded(&s->fv, eids, &feid, &feidl))
        *exact = find_key(e, key, make_key(key, sizeof key, fch, fchl, feid, feidl));
    *any = find_key(e, key, make_key(key, sizeof key, fch, fchl, "*", 1));
    if (m) {
        size_t nalts = (*exact ? (*exact)->nroutes : 0) + (*any ? (*any)->nroutes : 0);
        m->alt = xrealloc(m->alt, (nalts + 1) * sizeof *m->alt);
        for (size_t i = 0; i < nalts; i++) m->alt[i] = KEY_ALT_UNKNOWN;
        memcpy(m->raw, raw, rl);
        m->len = rl;
        m->hash = raw_hash;
        m->exact = *exact;
        m->any = *any;
        s->key_current = m;
    }
    return true;
}

/* The routes indexed under the event's Channel and EventID, and under its Channel alone. A route
 * listed under both runs once (the second list skips what the first ran). */
static void run_indexed_routes(socfeed_scanner *s, const char *input_path) {
    const channel_routes *exact, *any;
    if (!s->e->nchannels || !indexed_lists(s, &exact, &any)) return;
    int *exact_alts = s->key_current ? s->key_current->alt : NULL;
    int *any_alts = s->key_current ? s->key_current->alt + (exact ? exact->nroutes : 0) : NULL;
    if (exact) run_routes(s, exact->routes, exact->nroutes, exact_alts, input_path);
    if (!any) return;
    if (!exact) {
        run_routes(s, any->routes, any->nroutes, any_alts, input_path);
        return;
    }
    for (size_t i = 0; i < any->nroutes; i++) {
        bool ran = false;
        for (size_t k = 0; k < exact->nroutes && !ran; k++) ran = exact->routes[k] == any->routes[i];
        if (!ran) run_routes(s, &any->routes[i], 1, any_alts ? any_alts + i : NULL, input_path);
    }
}

size_t socfeed_scanner_event(socfeed_scanner *s, const socfeed_event *ev, const char *input_path,
                             socfeed_hit_fn fn, void *ctx, socfeed_diags *diags) {
    const socfeed_engine *e = s->e;
    begin_event(s, ev, diags);
    sync_sources_path(s, input_path);
    s->nhits = 0;
    s->nhit_fields = 0;
    run_routes(s, s->live_unindexed, s->nlive_unindexed, NULL, input_path);
    s->stats.rules_skipped += s->dead_unindexed_rules;
    run_indexed_routes(s, input_path);
    s->alt = NULL;
    for (size_t k = 0; k < e->nunrouted; k++)
        if (c_rule_matches(s, &e->rules[e->unrouted[k]])) add_hit(s, e->unrouted[k]);
    s->pf_scanned = NULL; /* later scans replaced earlier routes' literal state */
    if (s->nhits > 1) qsort(s->hits, s->nhits, sizeof *s->hits, by_rule);
    for (size_t i = 0; i < s->nhits && fn; i++) {
        const c_rule *r = &e->rules[s->hits[i].rule];
        socfeed_hit hit = {r->rule, r->index, ev, s->hit_fields + s->hits[i].fields_from, s->hits[i].nfields};
        if (fn(ctx, &hit)) break;
    }
    return s->nhits;
}

field_view *scanner_event_view(socfeed_scanner *s) { return &s->fv; }

bool socfeed_scanner_rule_matches(socfeed_scanner *s, const socfeed_event *ev, const char *input_path,
                                  const socfeed_rule *rule) {
    const c_rule *r = find_rule(s->e, rule);
    if (!r || r->state != SOCFEED_RULE_ACTIVE) return false;
    begin_event(s, ev, NULL);
    sync_sources_path(s, input_path);
    s->alt = NULL;
    if (r->ls) {
        int alt = ls_entry_route(r->ls, &s->fv, input_path, &s->sources);
        if (alt < 0) return false;
        s->alt = &r->ls->alts[alt];
    }
    bool m = c_rule_matches(s, r);
    s->alt = NULL;
    return m;
}

void socfeed_scanner_get_stats(const socfeed_scanner *s, socfeed_scanner_stats *out) {
    *out = s->stats;
    pf_scratch_memo_stats(s->pf, &out->values_scanned, &out->values_remembered);
}
