/* prefilter.c — see prefilter.h. */
#include "engine/prefilter.h"

#include <hs.h>
#include <stdlib.h>
#include <string.h>

#include "util/casefold.h"
#include "util/xalloc.h"

/* ---- Gates ----------------------------------------------------------------------------------- */

typedef struct gate_lit {
    const ls_name *field; /* Sigma field */
    const char *lit;      /* folded */
    size_t len;
} gate_lit;

typedef struct gate {
    bool ok;              /* false: no gate (the rule must always run) */
    gate_lit *lits;
    size_t n, cap;
} gate;

static void gate_add(gate *g, const ls_name *field, const char *lit, size_t len) {
    if (g->n == g->cap) g->lits = xrealloc(g->lits, (g->cap = g->cap ? g->cap * 2 : 8) * sizeof *g->lits);
    g->lits[g->n++] = (gate_lit){field, lit, len};
}

static void gate_free(gate *g) {
    free(g->lits);
    memset(g, 0, sizeof *g);
}

static gate gate_none(void) { return (gate){0}; }

/* A gate is better when its rarest-looking literal is long and it has few literals. */
static long gate_score(const gate *g) {
    if (!g->ok) return -1;
    size_t min = SIZE_MAX;
    for (size_t i = 0; i < g->n; i++)
        if (g->lits[i].len < min) min = g->lits[i].len;
    if (min > 16) min = 16;
    return (long)min * 16 - (long)(g->n > 64 ? 64 : g->n);
}

/* OR: every alternative needs its own gate; the union is the gate. */
static void gate_union(gate *into, gate *g) {
    if (!into->ok || !g->ok) {
        gate_free(into);
        gate_free(g);
        return;
    }
    for (size_t i = 0; i < g->n; i++) gate_add(into, g->lits[i].field, g->lits[i].lit, g->lits[i].len);
    gate_free(g);
}

/* AND: any child's gate is necessary; keep the best one. */
static void gate_best(gate *best, gate *g) {
    if (gate_score(g) > gate_score(best)) {
        gate_free(best);
        *best = *g;
    } else {
        gate_free(g);
    }
}

static gate value_gate(arena *a, const ls_name *field, const c_value *cv) {
    if (cv->v->kind != SOCFEED_VAL_STRING || cv->nalts == 0) return gate_none();
    gate g = {.ok = true};
    for (size_t i = 0; i < cv->nalts; i++) {
        size_t len;
        const char *lit = glob_required_literal(&cv->alts[i], &len);
        if (!lit || len == 0) {
            gate_free(&g);
            return gate_none();
        }
        if (cv->alts[i].cased) { /* folding keeps substrings: fold(text) contains fold(lit) */
            char *f = arena_alloc(a, len + 1);
            len = casefold_utf8(lit, len, f);
            lit = f;
        }
        gate_add(&g, field, lit, len);
    }
    return g;
}

static gate item_gate(arena *a, const c_item *it) {
    if (it->keyword || it->item->negated || it->nvalues == 0) return gate_none();
    gate g = it->item->all ? gate_none() : (gate){.ok = true};
    for (size_t i = 0; i < it->nvalues; i++) {
        gate vg = value_gate(a, &it->field, &it->values[i]);
        if (it->item->all) gate_best(&g, &vg);
        else gate_union(&g, &vg);
        if (!it->item->all && !g.ok) return g;
    }
    return g;
}

static gate node_gate(arena *a, const c_node *n) {
    if (n->kind == SOCFEED_DET_ITEM) return item_gate(a, n->item);
    gate g = n->kind == SOCFEED_DET_AND ? gate_none() : (gate){.ok = true};
    if (n->nchildren == 0) return gate_none();
    for (size_t i = 0; i < n->nchildren; i++) {
        gate cg = node_gate(a, n->children[i]);
        if (n->kind == SOCFEED_DET_AND) gate_best(&g, &cg);
        else gate_union(&g, &cg);
    }
    return g;
}

static gate cond_gate(arena *a, const c_detection *d, const socfeed_cond *c) {
    gate g;
    switch (c->kind) {
    case SOCFEED_COND_IDENT: return node_gate(a, d->ids[c->ident]);
    case SOCFEED_COND_NOT: return gate_none();
    case SOCFEED_COND_AND:
    case SOCFEED_COND_OR:
        g = c->kind == SOCFEED_COND_AND ? gate_none() : (gate){.ok = true};
        for (size_t i = 0; i < c->nchildren; i++) {
            gate cg = cond_gate(a, d, c->children[i]);
            if (c->kind == SOCFEED_COND_AND) gate_best(&g, &cg);
            else gate_union(&g, &cg);
        }
        return g;
    case SOCFEED_COND_ONE_OF:
    case SOCFEED_COND_ALL_OF:
        g = c->kind == SOCFEED_COND_ALL_OF ? gate_none() : (gate){.ok = true};
        for (size_t i = 0; i < c->nidents; i++) {
            gate cg = node_gate(a, d->ids[c->idents[i]]);
            if (c->kind == SOCFEED_COND_ALL_OF) gate_best(&g, &cg);
            else gate_union(&g, &cg);
        }
        return g;
    }
    return gate_none();
}

static gate rule_gate(arena *a, const c_rule *r) {
    const socfeed_detection *det = r->det.det;
    gate g = {.ok = det->nconditions > 0};
    for (size_t i = 0; i < det->nconditions && g.ok; i++) {
        gate cg = cond_gate(a, &r->det, det->conditions[i]);
        gate_union(&g, &cg);
    }
    return g;
}

/* ---- Compiled route -------------------------------------------------------------------------- */

typedef struct pf_field {
    const ls_name *sigma;
    hs_database_t *db;
    uint32_t *lit_start; /* CSR: literal id → route positions */
    uint32_t *lit_pos;
} pf_field;

struct pf_route {
    pf_field *fields;
    size_t nfields;
    bool *gated;       /* by route position */
    size_t nrules;
};

struct pf_scratch {
    hs_scratch_t *hs;
    uint32_t *mark;    /* by route position: epoch of the last scan that hit the rule */
    size_t nmark;
    uint32_t epoch;
};

typedef struct pair {
    const gate_lit *lit;
    uint32_t pos;
} pair;

static int by_field_then_lit(const void *a, const void *b) {
    const gate_lit *x = ((const pair *)a)->lit, *y = ((const pair *)b)->lit;
    int c = strcmp(x->field->s, y->field->s);
    if (c) return c;
    size_t m = x->len < y->len ? x->len : y->len;
    c = memcmp(x->lit, y->lit, m);
    if (c) return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

static bool same_lit(const gate_lit *x, const gate_lit *y) {
    return x->len == y->len && memcmp(x->lit, y->lit, x->len) == 0;
}

/* One database for the pairs [from, to) of one field. */
static bool compile_field(pf_field *f, const pair *pairs, size_t from, size_t to) {
    size_t nlits = 0;
    for (size_t i = from; i < to; i++) nlits += i == from || !same_lit(pairs[i - 1].lit, pairs[i].lit);
    const char **exprs = xcalloc(nlits, sizeof *exprs);
    size_t *lens = xcalloc(nlits, sizeof *lens);
    unsigned *ids = xcalloc(nlits, sizeof *ids), *flags = xcalloc(nlits, sizeof *flags);
    f->lit_start = xcalloc(nlits + 1, sizeof *f->lit_start);
    f->lit_pos = xcalloc(to - from, sizeof *f->lit_pos);
    size_t k = (size_t)-1;
    for (size_t i = from; i < to; i++) {
        if (i == from || !same_lit(pairs[i - 1].lit, pairs[i].lit)) {
            k++;
            exprs[k] = pairs[i].lit->lit;
            lens[k] = pairs[i].lit->len;
            ids[k] = (unsigned)k;
            flags[k] = HS_FLAG_SINGLEMATCH;
            f->lit_start[k] = (uint32_t)(i - from);
        }
        f->lit_pos[i - from] = pairs[i].pos;
    }
    f->lit_start[nlits] = (uint32_t)(to - from);
    hs_compile_error_t *err = NULL;
    hs_error_t rc = hs_compile_lit_multi(exprs, flags, ids, lens, (unsigned)nlits, HS_MODE_BLOCK, NULL, &f->db, &err);
    if (err) hs_free_compile_error(err);
    free(exprs);
    free(lens);
    free(ids);
    free(flags);
    return rc == HS_SUCCESS;
}

pf_route *pf_route_new(const socfeed_engine *e, const size_t *rules, size_t nrules) {
    if (hs_valid_platform() != HS_SUCCESS || nrules == 0) return NULL;
    arena a; /* folded copies of cased literals, alive while the gates are */
    arena_init(&a);
    gate *gates = xcalloc(nrules, sizeof *gates);
    size_t npairs = 0;
    for (size_t i = 0; i < nrules; i++) {
        gates[i] = rule_gate(&a, &e->rules[rules[i]]);
        if (gates[i].ok) npairs += gates[i].n;
    }
    pf_route *p = NULL;
    if (npairs) {
        pair *pairs = xcalloc(npairs, sizeof *pairs);
        size_t k = 0;
        for (size_t i = 0; i < nrules; i++)
            for (size_t j = 0; gates[i].ok && j < gates[i].n; j++) pairs[k++] = (pair){&gates[i].lits[j], (uint32_t)i};
        qsort(pairs, npairs, sizeof *pairs, by_field_then_lit);
        p = xcalloc(1, sizeof *p);
        p->nrules = nrules;
        p->gated = xcalloc(nrules, sizeof *p->gated);
        for (size_t i = 0; i < nrules; i++) p->gated[i] = gates[i].ok;
        for (size_t from = 0; from < npairs;) {
            size_t to = from + 1;
            while (to < npairs && !strcmp(pairs[to].lit->field->s, pairs[from].lit->field->s)) to++;
            p->fields = xrealloc(p->fields, (p->nfields + 1) * sizeof *p->fields);
            pf_field *f = &p->fields[p->nfields];
            memset(f, 0, sizeof *f);
            f->sigma = pairs[from].lit->field;
            if (compile_field(f, pairs, from, to)) {
                p->nfields++;
            } else { /* cannot happen for plain literals; if it does, those rules just always run */
                for (size_t i = from; i < to; i++) p->gated[pairs[i].pos] = false;
                free(f->lit_start);
                free(f->lit_pos);
            }
            from = to;
        }
        free(pairs);
    }
    /* Literals are copied into the databases; the gates can go. */
    for (size_t i = 0; i < nrules; i++) gate_free(&gates[i]);
    free(gates);
    arena_free(&a);
    return p;
}

void pf_route_free(pf_route *p) {
    if (!p) return;
    for (size_t i = 0; i < p->nfields; i++) {
        hs_free_database(p->fields[i].db);
        free(p->fields[i].lit_start);
        free(p->fields[i].lit_pos);
    }
    free(p->fields);
    free(p->gated);
    free(p);
}

pf_scratch *pf_scratch_new(const socfeed_engine *e) {
    pf_scratch *s = xcalloc(1, sizeof *s);
    size_t max = 1;
    for (size_t i = 0; i < e->nroutes; i++) {
        const pf_route *p = e->routes[i].pf;
        if (!p) continue;
        if (p->nrules > max) max = p->nrules;
        for (size_t k = 0; k < p->nfields; k++) hs_alloc_scratch(p->fields[k].db, &s->hs);
    }
    s->mark = xcalloc(max, sizeof *s->mark);
    s->nmark = max;
    return s;
}

void pf_scratch_free(pf_scratch *s) {
    if (!s) return;
    if (s->hs) hs_free_scratch(s->hs);
    free(s->mark);
    free(s);
}

typedef struct hit_ctx {
    pf_scratch *ps;
    const pf_field *f;
} hit_ctx;

static int on_literal(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *p) {
    (void)from, (void)to, (void)flags;
    hit_ctx *h = p;
    for (uint32_t i = h->f->lit_start[id]; i < h->f->lit_start[id + 1]; i++) h->ps->mark[h->f->lit_pos[i]] = h->ps->epoch;
    return 0;
}

static void scan_value(pf_scratch *ps, const pf_field *f, field_view *fv, fv_slot *slot, const socfeed_event_value *v) {
    const char *t;
    size_t n;
    if (slot) {
        if (!fv_slot_folded(fv, slot, &t, &n)) return;
    } else {
        const char *raw;
        size_t rn;
        if (!fv_value_text(&fv->scratch, v, &raw, &rn)) return;
        fv_fold(fv, raw, rn, &t, &n);
    }
    hit_ctx h = {ps, f};
    hs_scan(f->db, t, (unsigned)(n > 0xFFFFFFFFu ? 0xFFFFFFFFu : n), 0, ps->hs, on_literal, &h);
}

void pf_route_scan(const pf_route *p, pf_scratch *ps, field_view *fv, const ls_alt *alt) {
    if (++ps->epoch == 0) { /* wrapped: old marks could look current */
        memset(ps->mark, 0, ps->nmark * sizeof *ps->mark);
        ps->epoch = 1;
    }
    for (size_t i = 0; i < p->nfields; i++) {
        const pf_field *f = &p->fields[i];
        const ls_name *name = ls_alt_rename(alt, f->sigma);
        fv_slot *slot = fv_lookup(fv, name->s, name->len, name->hash);
        if (!slot) continue;
        const socfeed_event_value *v = slot->value;
        if (v->type == SOCFEED_EV_ARRAY) {
            for (uint32_t k = 0; k < v->len; k++) scan_value(ps, f, fv, NULL, fv_unwrap(&v->as.items[k]));
        } else if (v->type != SOCFEED_EV_NULL && v->type != SOCFEED_EV_OBJECT) {
            scan_value(ps, f, fv, slot, v);
        }
    }
}

bool pf_candidate(const pf_route *p, const pf_scratch *ps, size_t pos) {
    return !p->gated[pos] || ps->mark[pos] == ps->epoch;
}
