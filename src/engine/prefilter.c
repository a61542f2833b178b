/* prefilter.c — see prefilter.h. */
#include "engine/prefilter.h"

#include <ctype.h>
#include <hs.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/scan_memo.h"
#include "util/casefold.h"
#include "util/strbuf.h"
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

/* Fields that name the log rather than the activity: every event of a log holds the same value,
 * so a gate on them opens for the whole log however long its literal. */
static bool log_naming_field(const ls_name *f) {
    static const char *const names[] = {"Channel", "Provider_Name", "ProviderName", "Provider", "SourceName"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (f->len == strlen(names[i]) && !strncasecmp(f->s, names[i], f->len)) return true;
    return false;
}

/* A gate is better when its rarest-looking literal is long and it has few literals; a gate on a
 * log-naming field is the last resort (still better than none). */
static long gate_score(const gate *g) {
    if (!g->ok) return -1;
    bool all_log_naming = g->n > 0;
    for (size_t i = 0; i < g->n && all_log_naming; i++) all_log_naming = log_naming_field(g->lits[i].field);
    if (all_log_naming) return 0;
    size_t min = SIZE_MAX;
    for (size_t i = 0; i < g->n; i++)
        if (g->lits[i].len < min) min = g->lits[i].len;
    if (min > 16) min = 16;
    /* any gate beats none (-1), however short or many its literals */
    return (long)min * 128 + (long)(g->n > 127 ? 0 : 127 - g->n);
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

/* The last character of an escape whose letter is at p: the letter, or the end of its argument
 * (\x41, \x{4a}, \p{Latin}, \pL, \cA, \12, \k<name>, \g{-1}, \N{U+41}, \o{101}), which is not
 * text: read as text, "41" would be a literal every match needs. */
static const char *escape_end(const char *p) {
    char e = *p;
    if (isdigit((unsigned char)e)) { /* \1 backreference, \012 octal */
        while (isdigit((unsigned char)p[1])) p++;
        return p;
    }
    if (e == 'c') return p[1] ? p + 1 : p;
    if (!strchr("xopPNkgu", e)) return p; /* \d, \s, \b, \n, …: the letter alone */
    bool named = e == 'k' || e == 'g';
    char close = p[1] == '{' ? '}' : named && p[1] == '<' ? '>' : named && p[1] == '\'' ? '\'' : 0;
    if (close) {
        const char *q = strchr(p + 2, close);
        return q ? q : p + strlen(p) - 1;
    }
    if (e == 'p' || e == 'P') return p[1] ? p + 1 : p;
    for (int n = 0; n < (e == 'x' ? 2 : e == 'u' ? 4 : 0) && isxdigit((unsigned char)p[1]); n++) p++;
    if (e == 'g') {
        if (p[1] == '-' || p[1] == '+') p++;
        while (isdigit((unsigned char)p[1])) p++;
    }
    return p;
}

/* The longest run of characters every match of a regex must contain, or 0. Even one character
 * (the backtick of PowerShell token obfuscation) gates: a gate only ever spares evaluations, and a
 * literal reported once per scan costs the scan next to nothing, while an ungated regex rule runs
 * on every event of its log (PowerShell token obfuscation alone was 8 % of evaluation time). Deliberately
 * conservative: a top-level `|` gives nothing, nor does extended mode (`(?x)`, where spaces mean
 * nothing); groups, classes, `.`, `\s`-style escapes and anchors end a run; a character made
 * optional by `?`, `*` or `{` is dropped. Escaped punctuation (`\.`, `\\`) is the character itself.
 * What is returned is only a necessary condition: the regex itself still decides. */
static size_t regex_required_literal(const char *re, char *out, size_t cap) {
    static const char punct[] = ".\\/-+*?()[]{}|^$ #:=!<>,'\"&%@~`";
    for (const char *q = strstr(re, "(?"); q; q = strstr(q + 2, "(?")) {
        for (const char *f = q + 2; *f && *f != ')' && *f != ':'; f++)
            if (*f == 'x') return 0;
    }
    size_t best = 0, run = 0, depth = 0;
    char cur[256];
    for (const char *p = re; *p; p++) {
        char c = *p;
        bool literal = false;
        if (c == '\\') {
            if (!p[1]) break;
            if (p[1] == 'Q') return 0; /* \Q…\E quoting: rare, not worth reading */
            if (depth == 0 && strchr(punct, p[1])) {
                c = p[1];
                literal = true;
            }
            p++; /* the escaped character is consumed at any depth: `\)` closes nothing */
            if (!literal) p = escape_end(p);
        } else if (c == '[') { /* a class, at any depth: `]` first in it is a member */
            p++;
            if (*p == '^') p++;
            if (*p == ']') p++;
            while (*p && *p != ']') p += (*p == '\\' && p[1]) ? 2 : 1;
            if (!*p) break;
        } else if (c == '{') { /* a quantifier {n}, {n,}, {n,m}: its digits are not text */
            const char *q = p + 1;
            while (*q && (isdigit((unsigned char)*q) || *q == ',')) q++;
            if (*q == '}') p = q;
        } else if (c == '(') {
            depth++;
        } else if (c == ')') {
            if (depth) depth--;
        } else if (c == '|') {
            if (depth == 0) return 0;
        } else if (depth == 0 && !strchr(".^$?*+{}", c)) {
            literal = true;
        }
        char next = p[1];
        if (literal && (next == '?' || next == '*' || next == '{')) literal = false; /* optional */
        if (literal && run < sizeof cur) cur[run++] = c;
        if (!literal || next == '+' || run == sizeof cur) { /* the run ends here (after a `x+`: x counts once) */
            if (run > best && run <= cap) {
                best = run;
                memcpy(out, cur, run);
            }
            run = 0;
        }
    }
    if (run > best && run <= cap) {
        best = run;
        memcpy(out, cur, run);
    }
    return best;
}

static gate value_gate(arena *a, const ls_name *field, const c_value *cv) {
    if (cv->kind == SOCFEED_VAL_REGEX) { /* scanned folded: fold(text) holds fold(literal) */
        char lit[256];
        /* the literal scan reads up to a NUL; a pattern with one inside could hide a `|` after it */
        if (memchr(cv->v->as.re.pattern, 0, cv->v->as.re.len)) return gate_none();
        size_t n = regex_required_literal(cv->v->as.re.pattern, lit, sizeof lit);
        if (!n) return gate_none();
        char *f = arena_alloc(a, casefold_max(n));
        n = casefold_utf8(lit, n, f);
        gate g = {.ok = true};
        gate_add(&g, field, f, n);
        return g;
    }
    /* A number matches an equal event number or its text: the event's text then holds the
     * number's decimal text (EventID: 4624 gates on "4624"). A REAL event value may spell it
     * otherwise (4.624e3): such values open every gate of their field (scan_value). */
    if (cv->kind == SOCFEED_VAL_NUMBER && cv->num_len) {
        gate g = {.ok = true};
        gate_add(&g, field, cv->num_text, cv->num_len);
        return g;
    }
    if (cv->kind != SOCFEED_VAL_STRING || cv->nalts == 0) return gate_none();
    gate g = {.ok = true};
    for (size_t i = 0; i < cv->nalts; i++) {
        size_t len;
        const char *lit = glob_required_literal(&cv->alts[i], &len);
        if (!lit || len == 0) {
            gate_free(&g);
            return gate_none();
        }
        if (cv->alts[i].cased) { /* folding keeps substrings: fold(text) contains fold(lit) */
            char *f = arena_alloc(a, casefold_max(len));
            len = casefold_utf8(lit, len, f);
            lit = f;
        }
        gate_add(&g, field, lit, len);
    }
    return g;
}

/* Keywords may occur in any field: their literals are scanned over every value of the event. */
static const ls_name ANY_FIELD = {"", 0, 0};

/* Up to two necessary conditions of a node that hold together: the node can match only when both
 * open (g[1] absent: only g[0]; g[0] absent: no gate). Requiring two at once is far more selective
 * than one: a common path prefix alone opens for every event, with `GrantedAccess: 0x1440` beside
 * it almost never. */
enum { MAX_GATES = 2 };

typedef struct gate_pair {
    gate g[MAX_GATES];
} gate_pair;

static gate_pair pair_of(gate g) { return (gate_pair){{g, gate_none()}}; }

static void pair_free(gate_pair *p) {
    for (size_t k = 0; k < MAX_GATES; k++) gate_free(&p->g[k]);
}

/* The parts of an AND, each a necessary condition, offered one by one: the two best are kept
 * (best first) and are the AND's pair. */
typedef struct conjuncts {
    gate best[MAX_GATES];
} conjuncts;

static conjuncts conj_begin(void) { return (conjuncts){{gate_none(), gate_none()}}; }

static void conj_add(conjuncts *cs, gate g) {
    long score = gate_score(&g);
    if (!g.ok || score <= gate_score(&cs->best[MAX_GATES - 1])) {
        gate_free(&g);
        return;
    }
    gate_free(&cs->best[MAX_GATES - 1]);
    size_t k = MAX_GATES - 1;
    for (; k > 0 && score > gate_score(&cs->best[k - 1]); k--) cs->best[k] = cs->best[k - 1];
    cs->best[k] = g;
}

static void conj_add_pair(conjuncts *cs, gate_pair p) {
    for (size_t k = 0; k < MAX_GATES; k++) conj_add(cs, p.g[k]);
}

static gate_pair conj_end(conjuncts *cs) { return (gate_pair){{cs->best[0], cs->best[1]}}; }

/* The alternatives of an OR, gathered: (a1 ∧ b1) ∨ (a2 ∧ b2) implies (a1 ∨ a2) ∧ (b1 ∨ b2), so each
 * alternative's first gate goes into the first union and its second (its first again when it has
 * no second) into the second. An alternative without a gate leaves the OR without one. */
typedef struct alternatives {
    gate u[MAX_GATES];
    bool any_second;      /* some alternative had a second gate (else u[1] repeats u[0]) */
} alternatives;

static alternatives alts_begin(void) { return (alternatives){{{.ok = true}, {.ok = true}}, false}; }

static void alts_free(alternatives *as) {
    for (size_t k = 0; k < MAX_GATES; k++) gate_free(&as->u[k]);
}

static void gate_append(gate *into, const gate *g) {
    for (size_t i = 0; i < g->n; i++) gate_add(into, g->lits[i].field, g->lits[i].lit, g->lits[i].len);
}

static void alts_add(alternatives *as, gate_pair p) {
    if (!p.g[0].ok || !as->u[0].ok) {
        pair_free(&p);
        alts_free(as);
        return;
    }
    as->any_second |= p.g[1].ok;
    gate_append(&as->u[0], &p.g[0]);
    gate_append(&as->u[1], p.g[1].ok ? &p.g[1] : &p.g[0]);
    pair_free(&p);
}

static gate_pair alts_end(alternatives *as) {
    if (!as->any_second) gate_free(&as->u[1]);
    if (as->u[0].ok && as->u[0].n == 0) alts_free(as); /* no alternative at all: nothing is known */
    return (gate_pair){{as->u[0], as->u[1]}};
}

static gate_pair item_gates(arena *a, const c_item *it) {
    if (it->negated || it->nvalues == 0) return pair_of(gate_none());
    const ls_name *field = it->keyword ? &ANY_FIELD : &it->field;
    if (it->all) { /* every value must occur: each is a conjunct */
        conjuncts cs = conj_begin();
        for (size_t i = 0; i < it->nvalues; i++) conj_add(&cs, value_gate(a, field, &it->values[i]));
        return conj_end(&cs);
    }
    gate g = {.ok = true};
    for (size_t i = 0; i < it->nvalues && g.ok; i++) {
        gate vg = value_gate(a, field, &it->values[i]);
        gate_union(&g, &vg);
    }
    return pair_of(g);
}

static gate_pair node_gates(arena *a, const c_node *n) {
    if (n->kind == SOCFEED_DET_ITEM) return item_gates(a, n->item);
    if (n->nchildren == 0) return pair_of(gate_none());
    if (n->kind == SOCFEED_DET_AND) {
        conjuncts cs = conj_begin();
        for (size_t i = 0; i < n->nchildren; i++) conj_add_pair(&cs, node_gates(a, n->children[i]));
        return conj_end(&cs);
    }
    alternatives as = alts_begin();
    for (size_t i = 0; i < n->nchildren && as.u[0].ok; i++) alts_add(&as, node_gates(a, n->children[i]));
    return alts_end(&as);
}

static gate_pair cond_gates(arena *a, const c_detection *d, const socfeed_cond *c);

/* Child i of an AND, OR, `1 of` or `all of` condition. */
static gate_pair cond_child_gates(arena *a, const c_detection *d, const socfeed_cond *c, size_t i) {
    bool idents = c->kind == SOCFEED_COND_ONE_OF || c->kind == SOCFEED_COND_ALL_OF;
    return idents ? node_gates(a, d->ids[c->idents[i]]) : cond_gates(a, d, c->children[i]);
}

static gate_pair cond_gates(arena *a, const c_detection *d, const socfeed_cond *c) {
    size_t n;
    switch (c->kind) {
    case SOCFEED_COND_IDENT: return node_gates(a, d->ids[c->ident]);
    case SOCFEED_COND_AND:
    case SOCFEED_COND_OR: n = c->nchildren; break;
    case SOCFEED_COND_ONE_OF:
    case SOCFEED_COND_ALL_OF: n = c->nidents; break;
    default: return pair_of(gate_none()); /* NOT */
    }
    if (n == 0) return pair_of(gate_none());
    if (c->kind == SOCFEED_COND_AND || c->kind == SOCFEED_COND_ALL_OF) {
        conjuncts cs = conj_begin();
        for (size_t i = 0; i < n; i++) conj_add_pair(&cs, cond_child_gates(a, d, c, i));
        return conj_end(&cs);
    }
    alternatives as = alts_begin();
    for (size_t i = 0; i < n && as.u[0].ok; i++) alts_add(&as, cond_child_gates(a, d, c, i));
    return alts_end(&as);
}

/* Up to MAX_GATES gates that must all open for the rule to run; 0 when the rule has none. Several
 * conditions are alternatives. */
static size_t rule_gates(arena *a, const c_rule *r, gate *out) {
    const socfeed_detection *det = r->det.det;
    alternatives as = alts_begin();
    for (size_t i = 0; i < det->nconditions && as.u[0].ok; i++) alts_add(&as, cond_gates(a, &r->det, det->conditions[i]));
    gate_pair p = alts_end(&as);
    size_t n = 0;
    for (size_t k = 0; k < MAX_GATES; k++) {
        if (p.g[k].ok) out[n++] = p.g[k];
        else gate_free(&p.g[k]);
    }
    return n;
}

/* ---- Compiled route -------------------------------------------------------------------------- */

enum { LIT_ANY = 1, LIT_START = 2, LIT_END = 4, LIT_WHOLE = 8 };

typedef struct pf_field {
    const ls_name *sigma;  /* "" (ANY_FIELD): every value of the event (keywords) */
    hs_database_t *db;
    uint32_t lit_base;     /* this field's literal ids start here in the route's numbering */
    uint32_t nlits;
    uint32_t *lit_pos;     /* the route positions gated on its literals (pf_lit.gates_from/to) */
    uint32_t npos;
    /* Deferral (see pf_route_scan): a long value of a deferrable field is first scanned for the
     * gate literals of the rules this field alone can open (`solo_db`, NULL when there are none),
     * and in full only once some rule gated here could still become a candidate, or a candidate
     * asks for a literal's flags. */
    bool deferrable;
    bool direct;           /* the keyword field: its literals are looked for value by value (scan_keywords) */
    hs_database_t *solo_db;
    uint32_t nsolo;        /* literals in solo_db */
    /* Its one-byte ASCII literals (ids), left out of `db` and looked for beside each scan with it
     * (scan_bytes). Why: the process-creation CommandLine database has 22 of them (`\`, `:`, a space,
     * `-`, `i`, digits); they occur in almost every command line, and without them a cold scan of
     * that database cost a fifth less (bench/RESULTS.md). Not for the keyword field. */
    uint32_t *byte_lits;
    uint8_t *byte_vals;    /* their bytes, ASCII letters in lower case, beside the ids */
    uint32_t nbyte_lits;
    uint8_t *bits;         /* deferrable fields: by route position, the gate bits with a literal here */
    uint32_t *dependents;  /* deferrable fields: positions gated here that need some other field too */
    size_t ndependents;
} pf_field;

/* What a hit needs of its literal, in one record. Why: the tables are out of cache by the next
 * event, and a hit reading its length, text, gates, field and solo flag from five arrays cost a
 * cache miss for each (half of a hit's cost on the EVTX samples). */
typedef struct pf_lit {
    uint32_t len;
    uint32_t gates_from, gates_to; /* in its field's lit_pos: the route positions gated on it */
    uint32_t field;                /* index of its field */
    bool solo;                     /* in its field's solo database */
    bool wants_end;                /* a glob asks whether it ends the value (LIT_END) */
} pf_lit;

struct pf_route {
    pf_field *fields;
    size_t nfields;
    pf_lit *lits;          /* by route literal id */
    const char **lit_text; /* by route literal id (folded), in `texts` */
    arena texts;
    uint32_t nlits;
    bool *gated;           /* by route position */
    uint8_t *need;         /* by route position: the gate bits that must all open */
    uint32_t *ungated;     /* positions without a gate: always candidates */
    size_t nungated;
    /* Vetoes (see rule_vetoes): those of route position i are [veto_start[i], veto_start[i + 1])
     * in veto_lit/veto_need. */
    uint32_t *veto_start;
    uint32_t *veto_lit;
    uint8_t *veto_need;
    size_t nrules;
    /* The keyword field (every value of the event: the dearest scan) is deferred like a long
     * value, with no solo database: SigmaHQ's keyword rules on Windows logs mostly also need an
     * EventID, which rarely opens. */
    const pf_field *keywords;  /* NULL: none */
    /* The event name each field is read under, by alternative of the route's logsource entry
     * (alternative × nfields + field), renames applied once here rather than at every event. */
    const ls_name **event_names;
    bool *event_dotted;    /* the same, by alternative × nfields + field: the name has a dot */
};

/* Scratch state of one route position (rule) or one literal, each in one record for the same
 * reason as pf_lit. */
typedef struct pos_mark {
    uint32_t epoch;        /* of the last scan that hit the rule */
    uint8_t opened;        /* gate bits opened in that scan (0x80: listed as a candidate) */
} pos_mark;

typedef struct lit_seen {
    uint32_t epoch;        /* of the last scan that saw the literal */
    uint8_t flags;         /* LIT_* for that scan */
} lit_seen;

struct pf_scratch {
    hs_scratch_t *hs;
    pos_mark *mark;        /* by route position */
    size_t nmark;
    uint32_t *cand;        /* positions marked by the current scan, then the ungated ones */
    size_t ncand;
    lit_seen *seen;        /* by route literal id */
    size_t nlit;
    uint32_t epoch;
    /* deferred fields of the current scan */
    const pf_route *route;
    field_view *fv;
    size_t nfield;
    uint32_t *defer_epoch; /* by field index: equal to epoch while the field awaits its full scan */
    fv_slot **defer_slot;  /* by field index: its value (NULL for the keyword field) */
    uint32_t *deferred;    /* field indexes awaiting a full scan */
    size_t ndeferred;
    scan_memo *memo;       /* Hyperscan results of recent values */
    strbuf keyword_text;   /* every value of the event, joined for the keyword scan */
    uint32_t memo_rec[SCAN_MEMO_MAX_HITS]; /* the hits of the scan being recorded for the memo */
};

/* A literal of a route: a gate (pos = the rule's route position × 2 + which of its gates) or a
 * value to evaluate (glob). */
typedef struct pair {
    const ls_name *field;
    const char *lit;
    size_t len;
    uint32_t pos;          /* UINT32_MAX: not a gate */
    glob *g;               /* NULL: not an evaluated value */
} pair;

typedef struct pair_list {
    pair *items;
    size_t n, cap;
} pair_list;

static void pair_add(pair_list *l, pair p) {
    if (l->n == l->cap) l->items = xrealloc(l->items, (l->cap = l->cap ? l->cap * 2 : 256) * sizeof *l->items);
    l->items[l->n++] = p;
}

static int by_field_then_lit(const void *a, const void *b) {
    const pair *x = a, *y = b;
    int c = strcmp(x->field->s, y->field->s);
    if (c) return c;
    size_t m = x->len < y->len ? x->len : y->len;
    c = memcmp(x->lit, y->lit, m);
    if (c) return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

static bool same_lit(const pair *x, const pair *y) { return x->len == y->len && memcmp(x->lit, y->lit, x->len) == 0; }

/* Case-insensitive values of field items: the literal of a simple one goes into the field's
 * database (where it occurs answers the value), the required literal of a general one too (if it
 * does not occur, the value cannot match and its wildcard matcher need not run). */
static void collect_values(pair_list *l, c_node *n) {
    if (n->kind != SOCFEED_DET_ITEM) {
        for (size_t i = 0; i < n->nchildren; i++) collect_values(l, n->children[i]);
        return;
    }
    c_item *it = n->item;
    if (it->keyword) return;
    for (size_t v = 0; v < it->nvalues; v++) {
        if (it->values[v].kind != SOCFEED_VAL_STRING) continue;
        for (size_t k = 0; k < it->values[v].nalts; k++) {
            glob *g = &it->values[v].alts[k];
            if (g->cased || g->kind == GLOB_ANYTHING) continue;
            if (g->kind == GLOB_GENERAL) {
                size_t len;
                const char *lit = glob_required_literal(g, &len);
                if (lit && len) pair_add(l, (pair){&it->field, lit, len, UINT32_MAX, g});
                continue;
            }
            if (g->len == 0) continue;
            pair_add(l, (pair){&it->field, g->lit, g->len, UINT32_MAX, g});
        }
    }
}

static unsigned literal_flags(const char *lit, size_t len) {
    bool ascii = true;
    for (size_t b = 0; b < len; b++) ascii &= (unsigned char)lit[b] < 0x80;
    return HS_FLAG_SINGLEMATCH | (ascii ? HS_FLAG_CASELESS : 0);
}

static inline unsigned char ascii_lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? c | 0x20 : c; }

/* One database for the pairs [from, to) of one field; literal ids from *next_lit on. */
static bool compile_field(pf_route *p, pf_field *f, const pair *pairs, size_t from, size_t to) {
    size_t nlits = 0, ngated = 0;
    for (size_t i = from; i < to; i++) {
        nlits += i == from || !same_lit(&pairs[i - 1], &pairs[i]);
        ngated += pairs[i].pos != UINT32_MAX;
    }
    const char **exprs = xcalloc(nlits, sizeof *exprs);
    size_t *lens = xcalloc(nlits, sizeof *lens);
    unsigned *ids = xcalloc(nlits, sizeof *ids), *flags = xcalloc(nlits, sizeof *flags);
    f->lit_base = p->nlits;
    f->lit_pos = xcalloc(ngated + 1, sizeof *f->lit_pos);
    p->lits = xrealloc(p->lits, (p->nlits + nlits + 1) * sizeof *p->lits);
    p->lit_text = xrealloc(p->lit_text, (p->nlits + nlits + 1) * sizeof *p->lit_text);
    size_t k = (size_t)-1, g = 0;
    for (size_t i = from; i < to; i++) {
        if (i == from || !same_lit(&pairs[i - 1], &pairs[i])) {
            k++;
            exprs[k] = pairs[i].lit;
            lens[k] = pairs[i].len;
            ids[k] = (unsigned)k;
            /* The first occurrence only (SINGLEMATCH): it tells whether the literal occurs and
             * whether at the start (the earliest end offset is the literal's length exactly
             * when it starts the text); whether it ends the text is one comparison (on_literal).
             * Reporting every occurrence instead made a literal repeated through a long value
             * (a DLL path in a Sysmon call trace) one callback per occurrence. An ASCII literal
             * is matched caseless on the raw text, which for ASCII letters is what folding does,
             * so most values are never folded for the scan (see scan_value). */
            flags[k] = literal_flags(pairs[i].lit, pairs[i].len);
            p->lits[f->lit_base + k] = (pf_lit){(uint32_t)pairs[i].len, (uint32_t)g, 0, (uint32_t)(f - p->fields), false, false};
            p->lit_text[f->lit_base + k] = arena_strndup(&p->texts, pairs[i].lit, pairs[i].len);
        }
        if (pairs[i].pos != UINT32_MAX) f->lit_pos[g++] = pairs[i].pos;
        p->lits[f->lit_base + k].gates_to = (uint32_t)g;
        if (pairs[i].g) {
            p->lits[f->lit_base + k].wants_end |= pairs[i].g->kind == GLOB_SUFFIX;
            pairs[i].g->pf_route = p;
            pairs[i].g->pf_lit = f->lit_base + (uint32_t)k;
        }
    }
    f->npos = (uint32_t)g;
    f->nlits = (uint32_t)nlits;
    size_t in_db = nlits;
    if (f->sigma->len > 0) { /* not the keyword field: its joined scan (scan_keywords) takes `db` alone */
        size_t nbytes = 0;
        for (size_t i = 0; i < nlits; i++) nbytes += lens[i] == 1 && (unsigned char)exprs[i][0] < 0x80;
        if (nbytes && nbytes < nlits) {
            f->byte_lits = xcalloc(nbytes, sizeof *f->byte_lits);
            f->byte_vals = xcalloc(nbytes, 1);
            in_db = 0;
            for (size_t i = 0; i < nlits; i++) {
                if (lens[i] == 1 && (unsigned char)exprs[i][0] < 0x80) {
                    f->byte_vals[f->nbyte_lits] = ascii_lower((unsigned char)exprs[i][0]);
                    f->byte_lits[f->nbyte_lits++] = ids[i];
                    continue;
                }
                exprs[in_db] = exprs[i];
                lens[in_db] = lens[i];
                ids[in_db] = ids[i];
                flags[in_db++] = flags[i];
            }
        }
    }
    hs_compile_error_t *err = NULL;
    hs_error_t rc = hs_compile_lit_multi(exprs, flags, ids, lens, (unsigned)in_db, HS_MODE_BLOCK, NULL, &f->db, &err);
    if (err) hs_free_compile_error(err);
    free(exprs);
    free(lens);
    free(ids);
    free(flags);
    if (rc != HS_SUCCESS) { /* cannot happen for plain literals; if it does, nothing is decided by it */
        for (size_t i = from; i < to; i++)
            if (pairs[i].g) pairs[i].g->pf_route = NULL;
        free(f->byte_lits);
        free(f->byte_vals);
        f->byte_lits = NULL;
        f->byte_vals = NULL;
        return false;
    }
    p->nlits += (uint32_t)nlits;
    return true;
}

/* The solo database of a field is worth a scan of its own only while it is a small part of the
 * field's literals: the full scan it stands in for then costs several times more. A field where
 * most literals open a rule alone (PowerShell's ContextInfo) is scanned in full at once. */
enum { SOLO_SHARE = 4 }; /* solo literals at most a quarter of the field's */

/* Decides which fields may be deferred and builds their solo databases and dependents. A rule is
 * *solo* through a field when each of its gates has a literal in that field: the field alone can
 * make it a candidate, so its gate literals there are always scanned. */
static void plan_deferral(pf_route *p) {
    size_t nr = p->nrules;
    uint8_t **bits = xcalloc(p->nfields, sizeof *bits);
    for (size_t fi = 0; fi < p->nfields; fi++) {
        const pf_field *f = &p->fields[fi];
        bits[fi] = xcalloc(nr, 1);
        for (uint32_t i = 0; i < f->npos; i++)
            bits[fi][f->lit_pos[i] / MAX_GATES] |= (uint8_t)(1u << (f->lit_pos[i] % MAX_GATES));
    }
    for (size_t fi = 0; fi < p->nfields; fi++) {
        pf_field *f = &p->fields[fi];
        const uint8_t *b = bits[fi];
        const char **exprs = xcalloc(f->nlits, sizeof *exprs);
        size_t *lens = xcalloc(f->nlits, sizeof *lens);
        unsigned *ids = xcalloc(f->nlits, sizeof *ids), *flags = xcalloc(f->nlits, sizeof *flags);
        uint32_t nsolo = 0;
        for (uint32_t k = 0; k < f->nlits; k++) {
            bool solo = false;
            const pf_lit *l = &p->lits[f->lit_base + k];
            for (uint32_t i = l->gates_from; i < l->gates_to && !solo; i++) {
                uint32_t pos = f->lit_pos[i] / MAX_GATES;
                solo = p->gated[pos] && b[pos] == p->need[pos];
            }
            if (!solo) continue;
            uint32_t lit = f->lit_base + k;
            exprs[nsolo] = p->lit_text[lit];
            lens[nsolo] = l->len;
            ids[nsolo] = k;
            flags[nsolo] = literal_flags(p->lit_text[lit], l->len);
            nsolo++;
        }
        bool keyword = f == p->keywords;
        bool deferrable = keyword ? nsolo == 0 : nsolo < f->nlits && nsolo * SOLO_SHARE <= f->nlits;
        hs_compile_error_t *err = NULL;
        if (deferrable && nsolo &&
            hs_compile_lit_multi(exprs, flags, ids, lens, nsolo, HS_MODE_BLOCK, NULL, &f->solo_db, &err) != HS_SUCCESS)
            deferrable = false; /* cannot happen for plain literals; the field is then scanned in full */
        if (err) hs_free_compile_error(err);
        if (deferrable) {
            f->deferrable = true;
            f->nsolo = nsolo;
            for (uint32_t i = 0; i < nsolo; i++) p->lits[f->lit_base + ids[i]].solo = true;
            f->dependents = xcalloc(nr + 1, sizeof *f->dependents);
            for (size_t pos = 0; pos < nr; pos++)
                if (b[pos] && p->gated[pos] && b[pos] != p->need[pos]) f->dependents[f->ndependents++] = (uint32_t)pos;
            f->bits = bits[fi];
            bits[fi] = NULL;
        }
        free(exprs);
        free(lens);
        free(ids);
        free(flags);
    }
    for (size_t fi = 0; fi < p->nfields; fi++) free(bits[fi]);
    free(bits);
}

/* Whether the keyword field's literals are few and each holds a byte that the text of no number
 * or boolean has (a backslash, a letter outside "true"/"false"/"e"): then they can only occur in
 * string values, where scan_keywords looks for them one by one. (A real number opens every gate
 * of the field whatever its text, as in scan_value.) */
enum { KEYWORD_DIRECT_MAX = 4 };

static bool keywords_direct(const pf_route *p, const pf_field *f) {
    static const char number_or_boolean[] = "0123456789+-.eEtTrRuUfFaAlLsS";
    if (f->nlits > KEYWORD_DIRECT_MAX) return false;
    for (uint32_t k = 0; k < f->nlits; k++) {
        const char *t = p->lit_text[f->lit_base + k];
        uint32_t len = p->lits[f->lit_base + k].len;
        bool string_only = false;
        for (uint32_t i = 0; i < len && !string_only; i++)
            string_only = !memchr(number_or_boolean, t[i], sizeof number_or_boolean - 1);
        if (!string_only) return false;
    }
    return true;
}

/* ---- Vetoes ---------------------------------------------------------------------------------- */

/* Why: a rule whose condition needs no literal (`not 1 of filter_*`, a field reference, a regex
 * without a fixed part) was a candidate at every event of its route: four process-creation rules
 * made 43 % of all rule evaluations on the EVTX samples. Most such events fail the rule for a
 * reason the scan has already seen: `Image|endswith: '.exe'` under a `not`. A *veto* is a literal
 * and the occurrence bits that, once the scan saw them, make the rule's condition false exactly as
 * its evaluation would find it: the evaluation of a simple glob of the route reads the same bits
 * (pf_glob_matches). A rule with a veto that holds is no candidate. Vetoes are collected where
 * each one alone suffices: a conjunct of an AND whose veto holds, a NOT whose operand is then
 * true (a witness); an OR is false only when all of its parts are, so it gives none. */
enum { MAX_VETOES = 32 }; /* each is a read of the scan state; more would cost what they save */

static uint8_t glob_need(const glob *g);

typedef struct veto_list {
    uint32_t lit[MAX_VETOES];
    uint8_t need[MAX_VETOES];
    size_t n;
} veto_list;

static void veto_add(veto_list *l, uint32_t lit, uint8_t need) {
    for (size_t i = 0; i < l->n; i++)
        if (l->lit[i] == lit && l->need[i] == need) return;
    if (l->n < MAX_VETOES) {
        l->lit[l->n] = lit;
        l->need[l->n++] = need;
    }
}

/* Literals whose occurrence makes the item true (`witness`) or false (`!witness`): a plain item
 * (not |all, not keywords) holds when one of its values matches, and a simple glob of the route
 * matches when its literal occurred with its bits; |neq turns that around. */
static void item_literals(const pf_route *p, const c_item *it, bool witness, veto_list *out) {
    if (it->keyword || it->all || it->negated == witness) return;
    for (size_t v = 0; v < it->nvalues; v++) {
        if (it->values[v].kind != SOCFEED_VAL_STRING) continue;
        for (size_t k = 0; k < it->values[v].nalts; k++) {
            const glob *g = &it->values[v].alts[k];
            if (!g->cased && g->pf_route == p && glob_need(g)) veto_add(out, g->pf_lit, glob_need(g));
        }
    }
}

/* A node's witnesses (true when one occurred) or vetoes (false when one occurred). */
static void node_literals(const pf_route *p, const c_node *n, bool witness, veto_list *out) {
    if (n->kind == SOCFEED_DET_ITEM) {
        item_literals(p, n->item, witness, out);
        return;
    }
    /* AND is false when a child is, OR true when a child is; otherwise only with one child */
    bool each_child = witness ? n->kind == SOCFEED_DET_OR : n->kind == SOCFEED_DET_AND;
    if (!each_child && n->nchildren != 1) return;
    for (size_t i = 0; i < n->nchildren; i++) node_literals(p, n->children[i], witness, out);
}

static void cond_literals(const pf_route *p, const c_cond *c, bool witness, veto_list *out) {
    bool conjunction = c->kind == SOCFEED_COND_AND || c->kind == SOCFEED_COND_ALL_OF;
    switch (c->kind) {
    case SOCFEED_COND_NOT: cond_literals(p, &c->children[0], !witness, out); return;
    case SOCFEED_COND_AND:
    case SOCFEED_COND_OR:
        if (conjunction == witness && c->n != 1) return;
        for (size_t i = 0; i < c->n; i++) cond_literals(p, &c->children[i], witness, out);
        return;
    case SOCFEED_COND_IDENT:
    case SOCFEED_COND_ONE_OF:
    case SOCFEED_COND_ALL_OF:
        if (conjunction == witness && c->n != 1) return;
        for (size_t i = 0; i < c->n; i++) node_literals(p, c->nodes[i], witness, out);
        return;
    }
}

/* Appends the vetoes of the rule at route position pos (positions in order, from 0). */
static void rule_vetoes(pf_route *p, const c_rule *r, size_t pos) {
    veto_list l = {.n = 0};
    if (r->det.nconds == 1) cond_literals(p, &r->det.conds[0], false, &l); /* several are OR-ed */
    uint32_t from = p->veto_start[pos];
    p->veto_lit = xrealloc(p->veto_lit, (from + l.n + 1) * sizeof *p->veto_lit);
    p->veto_need = xrealloc(p->veto_need, from + l.n + 1);
    memcpy(p->veto_lit + from, l.lit, l.n * sizeof *l.lit);
    memcpy(p->veto_need + from, l.need, l.n);
    p->veto_start[pos + 1] = from + (uint32_t)l.n;
}

pf_route *pf_route_new(const socfeed_engine *e, const size_t *rules, size_t nrules) {
    if (hs_valid_platform() != HS_SUCCESS || nrules == 0) return NULL;
    arena a; /* folded copies of cased gate literals; the databases copy what they need */
    arena_init(&a);
    gate (*gates)[MAX_GATES] = xcalloc(nrules, sizeof *gates);
    size_t *ngates = xcalloc(nrules, sizeof *ngates);
    pair_list pl = {0};
    bool any_gate = false;
    for (size_t i = 0; i < nrules; i++) {
        c_rule *r = &e->rules[rules[i]]; /* the engine is still being built: its globs learn their literal ids */
        ngates[i] = rule_gates(&a, r, gates[i]);
        for (size_t k = 0; k < ngates[i]; k++)
            for (size_t j = 0; j < gates[i][k].n; j++) {
                const gate_lit *gl = &gates[i][k].lits[j];
                pair_add(&pl, (pair){gl->field, gl->lit, gl->len, (uint32_t)(i * MAX_GATES + k), NULL});
                any_gate = true;
            }
        for (size_t k = 0; k < r->det.nids; k++) collect_values(&pl, r->det.ids[k]);
    }
    pf_route *p = NULL;
    if (pl.n) {
        qsort(pl.items, pl.n, sizeof *pl.items, by_field_then_lit);
        p = xcalloc(1, sizeof *p);
        arena_init(&p->texts);
        p->nrules = nrules;
        p->gated = xcalloc(nrules, sizeof *p->gated);
        p->need = xcalloc(nrules, sizeof *p->need);
        for (size_t i = 0; i < nrules; i++) {
            p->gated[i] = ngates[i] > 0;
            p->need[i] = (uint8_t)((1u << ngates[i]) - 1);
        }
        for (size_t from = 0; from < pl.n;) {
            size_t to = from + 1;
            while (to < pl.n && !strcmp(pl.items[to].field->s, pl.items[from].field->s)) to++;
            p->fields = xrealloc(p->fields, (p->nfields + 1) * sizeof *p->fields);
            pf_field *f = &p->fields[p->nfields];
            memset(f, 0, sizeof *f);
            f->sigma = pl.items[from].field;
            if (compile_field(p, f, pl.items, from, to)) {
                p->nfields++;
            } else {
                for (size_t i = from; i < to; i++)
                    if (pl.items[i].pos != UINT32_MAX) p->gated[pl.items[i].pos / MAX_GATES] = false;
                free(f->lit_pos);
            }
            from = to;
        }
    }
    (void)any_gate;
    if (p) {
        p->ungated = xcalloc(nrules + 1, sizeof *p->ungated);
        for (size_t i = 0; i < nrules; i++)
            if (!p->gated[i]) p->ungated[p->nungated++] = (uint32_t)i;
        for (size_t i = 0; i < p->nfields; i++)
            if (p->fields[i].sigma->len == 0) {
                p->keywords = &p->fields[i];
                p->fields[i].direct = keywords_direct(p, &p->fields[i]);
            }
        plan_deferral(p);
        p->veto_start = xcalloc(nrules + 1, sizeof *p->veto_start);
        for (size_t i = 0; i < nrules; i++) rule_vetoes(p, &e->rules[rules[i]], i);
        const ls_entry *ls = e->rules[rules[0]].ls; /* a route is the rules of one entry */
        p->event_names = xcalloc(ls->nalts * p->nfields + 1, sizeof *p->event_names);
        p->event_dotted = xcalloc(ls->nalts * p->nfields + 1, sizeof *p->event_dotted);
        for (size_t k = 0; k < ls->nalts; k++)
            for (size_t i = 0; i < p->nfields; i++) {
                const ls_name *n = ls_alt_rename(&ls->alts[k], p->fields[i].sigma);
                p->event_names[k * p->nfields + i] = n;
                p->event_dotted[k * p->nfields + i] = memchr(n->s, '.', n->len) != NULL;
            }
    }
    free(pl.items);
    for (size_t i = 0; i < nrules; i++)
        for (size_t k = 0; k < ngates[i]; k++) gate_free(&gates[i][k]);
    free(gates);
    free(ngates);
    arena_free(&a);
    return p;
}

void pf_route_free(pf_route *p) {
    if (!p) return;
    for (size_t i = 0; i < p->nfields; i++) {
        hs_free_database(p->fields[i].db);
        if (p->fields[i].solo_db) hs_free_database(p->fields[i].solo_db);
        free(p->fields[i].lit_pos);
        free(p->fields[i].byte_lits);
        free(p->fields[i].byte_vals);
        free(p->fields[i].bits);
        free(p->fields[i].dependents);
    }
    free(p->fields);
    free(p->gated);
    free(p->need);
    free(p->ungated);
    free(p->veto_start);
    free(p->veto_lit);
    free(p->veto_need);
    free(p->event_names);
    free(p->event_dotted);
    free(p->lits);
    free(p->lit_text);
    arena_free(&p->texts);
    free(p);
}

pf_scratch *pf_scratch_new(const socfeed_engine *e) {
    pf_scratch *s = xcalloc(1, sizeof *s);
    size_t max = 1, maxlit = 1, maxfields = 1;
    for (size_t i = 0; i < e->nroutes; i++) {
        const pf_route *p = e->routes[i].pf;
        if (!p) continue;
        if (p->nrules > max) max = p->nrules;
        if (p->nlits > maxlit) maxlit = p->nlits;
        if (p->nfields > maxfields) maxfields = p->nfields;
        for (size_t k = 0; k < p->nfields; k++) {
            hs_alloc_scratch(p->fields[k].db, &s->hs);
            if (p->fields[k].solo_db) hs_alloc_scratch(p->fields[k].solo_db, &s->hs);
        }
    }
    s->nfield = maxfields;
    s->defer_epoch = xcalloc(maxfields, sizeof *s->defer_epoch);
    s->defer_slot = xcalloc(maxfields, sizeof *s->defer_slot);
    s->deferred = xcalloc(maxfields, sizeof *s->deferred);
    s->mark = xcalloc(max, sizeof *s->mark);
    s->nmark = max;
    s->cand = xcalloc(max, sizeof *s->cand);
    s->seen = xcalloc(maxlit, sizeof *s->seen);
    s->nlit = maxlit;
    s->memo = scan_memo_new();
    sb_init(&s->keyword_text);
    return s;
}

void pf_scratch_free(pf_scratch *s) {
    if (!s) return;
    if (s->hs) hs_free_scratch(s->hs);
    free(s->mark);
    free(s->cand);
    free(s->seen);
    free(s->defer_epoch);
    free(s->defer_slot);
    free(s->deferred);
    scan_memo_free(s->memo);
    sb_free(&s->keyword_text);
    free(s);
}

void pf_scratch_memo_stats(const pf_scratch *s, uint64_t *scanned, uint64_t *remembered) {
    scan_memo_stats st = scan_memo_get_stats(s->memo);
    *scanned = st.lookups;
    *remembered = st.hits;
}

/* A gate of a rule opened; once all of its gates have, the rule is a candidate (listed once per scan,
 * so the engine visits candidates only). */
static inline void mark(pf_scratch *ps, const pf_route *p, uint32_t gate_pos) {
    uint32_t pos = gate_pos / MAX_GATES;
    uint8_t bit = (uint8_t)(1u << (gate_pos % MAX_GATES));
    pos_mark *m = &ps->mark[pos];
    if (m->epoch != ps->epoch) {
        m->epoch = ps->epoch;
        m->opened = 0;
    }
    m->opened |= bit;
    if ((m->opened & 0x7F) == p->need[pos] && !(m->opened & 0x80)) {
        m->opened |= 0x80;
        ps->cand[ps->ncand++] = pos;
    }
}

typedef struct hit_ctx {
    pf_scratch *ps;
    const pf_route *p;
    const pf_field *f;
    const char *text;
    size_t text_len;
    bool gates; /* false: the route's candidates are settled, only the literals' flags are wanted */
    uint32_t nrec; /* hits recorded in ps->memo_rec; above SCAN_MEMO_MAX_HITS: too many to keep */
} hit_ctx;

/* ASCII letters compared caseless, every other byte exactly: what the scan's caseless ASCII
 * literals match on raw text; on folded text (and for non-ASCII literals) it is plain equality. */
static bool ascii_caseless_equal(const char *a, const char *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x != y && (x | 0x20) != (y | 0x20)) return false;
        if (x != y && !((x | 0x20) >= 'a' && (x | 0x20) <= 'z')) return false;
    }
    return true;
}

/* Literal `id` of field f occurred in the scanned value, with occurrence flags `flags`. */
static inline void note_literal(pf_scratch *ps, const pf_route *p, const pf_field *f, uint32_t id, uint8_t flags,
                                bool gates) {
    uint32_t lit = f->lit_base + id;
    lit_seen *seen = &ps->seen[lit];
    if (seen->epoch != ps->epoch) { /* first occurrence in this scan: also opens the gates */
        seen->epoch = ps->epoch;
        seen->flags = flags;
        const pf_lit *l = &p->lits[lit];
        for (uint32_t i = l->gates_from; i < l->gates_to && gates; i++) mark(ps, p, f->lit_pos[i]);
    } else {
        seen->flags |= flags;
    }
}

/* Whether the current scan saw literal `lit` with one of the occurrence bits `need`. */
static inline bool seen_with(const pf_scratch *ps, uint32_t lit, uint8_t need) {
    return ps->seen[lit].epoch == ps->epoch && (ps->seen[lit].flags & need);
}

/* Keeps the hit for the memo. A database reports each literal once per scan (SINGLEMATCH, see
 * compile_field), so the hit is a new entry: looking for an earlier one of the same literal cost
 * a pass over the hits so far at every hit (some 300 comparisons for a command line's 25 hits). */
static void record_hit(hit_ctx *h, uint32_t id, uint8_t flags) {
    if (h->nrec < SCAN_MEMO_MAX_HITS) h->ps->memo_rec[h->nrec] = id << 4 | flags;
    if (h->nrec <= SCAN_MEMO_MAX_HITS) h->nrec++;
}

static int on_literal(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx) {
    (void)from, (void)flags;
    hit_ctx *h = ctx;
    uint32_t lit = h->f->lit_base + id;
    const pf_lit *l = &h->p->lits[lit];
    bool starts = to == l->len;
    /* Only the first occurrence is reported; whether another one ends the value is looked up
     * only for a literal some glob asks that of (the literal's text is one more cache miss). */
    bool ends = to == h->text_len || (l->wants_end && h->text_len > to &&
                                      ascii_caseless_equal(h->text + h->text_len - l->len, h->p->lit_text[lit], l->len));
    uint8_t f = LIT_ANY | (starts ? LIT_START : 0) | (ends ? LIT_END : 0) | (starts && ends && to == h->text_len ? LIT_WHOLE : 0);
    note_literal(h->ps, h->p, h->f, id, f, h->gates);
    record_hit(h, id, f);
    return 0;
}

/* Hyperscan takes a 32-bit length; what lies beyond 4 GB of one value is not scanned. */
static hs_error_t hs_scan_text(const hs_database_t *db, hit_ctx *h) {
    return hs_scan(db, h->text, (unsigned)(h->text_len > 0xFFFFFFFFu ? 0xFFFFFFFFu : h->text_len), 0, h->ps->hs, on_literal, h);
}

/* The field's one-byte literals in the scanned text (a table of the bytes of a short text; memchr
 * over a long one, which is faster there), reported as the database would report them:
 * once, with the end offset 1 when an occurrence starts the text, else 2 (then the text has at
 * least 2 bytes; whether one ends it, on_literal asks of the last byte as for any literal). ASCII
 * letters match caseless, other bytes exactly, as in the database. */
enum { BYTES_BY_TABLE = 256 }; /* shorter texts: one pass marks every byte; longer: memchr per literal */

static void scan_bytes(hit_ctx *h) {
    const unsigned char *t = (const unsigned char *)h->text;
    size_t n = h->text_len;
    if (!n) return;
    uint64_t present[4] = {0};
    if (n < BYTES_BY_TABLE)
        for (size_t i = 0; i < n; i++) {
            unsigned char c = ascii_lower(t[i]);
            present[c >> 6] |= 1ull << (c & 63);
        }
    const pf_field *f = h->f;
    for (uint32_t i = 0; i < f->nbyte_lits; i++) {
        unsigned char c = f->byte_vals[i];
        bool found = n < BYTES_BY_TABLE ? present[c >> 6] >> (c & 63) & 1
                                        : memchr(t, c, n) || (c >= 'a' && c <= 'z' && memchr(t, c & ~0x20, n));
        if (found) on_literal(f->byte_lits[i], 0, ascii_lower(t[0]) == c ? 1 : 2, 0, h);
    }
}

/* The database over the text and, for the field's full database, its one-byte literals beside it. */
static hs_error_t scan_full(const hs_database_t *db, hit_ctx *h) {
    hs_error_t rc = hs_scan_text(db, h);
    if (db == h->f->db && h->f->nbyte_lits) scan_bytes(h);
    return rc;
}

/* Scans with the database, or replays what it found in the same value before (see scan_memo.h). */
static void scan_database(const hs_database_t *db, hit_ctx *h) {
    pf_scratch *ps = h->ps;
    if (h->text_len > SCAN_MEMO_MAX_TEXT) {
        scan_full(db, h); /* h->nrec says "not recorded" from the start */
        return;
    }
    uint64_t key = scan_memo_key(db, h->text, h->text_len);
    uint32_t nhits;
    const uint32_t *hits = scan_memo_find(ps->memo, key, db, h->text, h->text_len, &nhits);
    if (hits) {
        for (uint32_t i = 0; i < nhits; i++) note_literal(ps, h->p, h->f, hits[i] >> 4, hits[i] & 0xF, h->gates);
        return;
    }
    h->nrec = 0;
    if (scan_full(db, h) == HS_SUCCESS && h->nrec <= SCAN_MEMO_MAX_HITS)
        scan_memo_store(ps->memo, key, db, h->text, h->text_len, ps->memo_rec, h->nrec);
}

/* A few literals over a short value (an EventID, a user SID, a logon type) are looked for one by
 * one: a Hyperscan call costs some 300-450 instructions before the first byte, more than these
 * comparisons. It reports what the database would: each literal's first occurrence, by its end
 * offset, matched as the database matches (ASCII letters caseless, other bytes exactly). */
enum { SMALL_SCAN = 96 }; /* literals × value bytes */

static void scan_small(hit_ctx *h) {
    const pf_field *f = h->f;
    for (uint32_t id = 0; id < f->nlits; id++) {
        uint32_t lit = f->lit_base + id, len = h->p->lits[lit].len;
        const char *want = h->p->lit_text[lit];
        for (size_t at = 0; at + len <= h->text_len; at++)
            if (ascii_caseless_equal(h->text + at, want, len)) {
                on_literal(id, 0, at + len, 0, h);
                break;
            }
    }
}

/* An ASCII value is scanned as it is: its ASCII literals match caseless, which for ASCII is all
 * that folding does, and no non-ASCII literal can occur in it. Any other value is scanned folded,
 * because folding can turn non-ASCII into ASCII (U+212A, the Kelvin sign, folds to "k") and
 * change lengths, so hits in its raw text would not say where the folded one has them.
 * `db` is the field's database or its solo database. */
static void scan_value(pf_scratch *ps, const pf_route *p, const pf_field *f, field_view *fv, fv_slot *slot,
                       const socfeed_event_value *v, const hs_database_t *db, bool gates) {
    const char *t;
    size_t n;
    if (v->type == SOCFEED_EV_REAL && gates) /* see value_gate: its text need not hold a number's digits */
        for (uint32_t i = 0; i < f->npos; i++) mark(ps, p, f->lit_pos[i]);
    if (slot ? !fv_slot_text(fv, slot, &t, &n) : !fv_value_text(&fv->scratch, v, &t, &n)) return;
    if (!ascii_only(t, n)) {
        if (slot) {
            if (!fv_slot_folded(fv, slot, &t, &n)) return;
        } else {
            fv_fold(fv, t, n, &t, &n);
        }
    }
    hit_ctx h = {ps, p, f, t, n, gates, SCAN_MEMO_MAX_HITS + 1};
    if (db == f->db && f->nlits * n <= SMALL_SCAN) scan_small(&h);
    else scan_database(db, &h);
}

/* Appends the text of every scalar value under v (not "#attributes", as the keyword matcher
 * skips them), folded when not ASCII, each followed by a NUL; true when one of them is a real
 * number (see scan_value). */
static bool join_values(field_view *fv, const socfeed_event_value *v, strbuf *out, unsigned depth) {
    if (depth > 64) return false;
    bool real = false;
    if (v->type == SOCFEED_EV_ARRAY) {
        for (uint32_t i = 0; i < v->len; i++) real |= join_values(fv, &v->as.items[i], out, depth + 1);
    } else if (v->type == SOCFEED_EV_OBJECT) {
        for (uint32_t i = 0; i < v->len; i++)
            if (!fv_is_attributes(&v->as.members[i]))
                real |= join_values(fv, &v->as.members[i].value, out, depth + 1);
    } else if (v->type != SOCFEED_EV_NULL) {
        const char *t;
        size_t n;
        real = v->type == SOCFEED_EV_REAL;
        if (!fv_value_text(&fv->scratch, v, &t, &n)) return real;
        if (!ascii_only(t, n)) fv_fold(fv, t, n, &t, &n);
        sb_append(out, t, n);
        sb_putc(out, '\0');
    }
    return real;
}

/* Where the literal occurs first in t (ASCII letters caseless, other bytes exactly), or NULL. The
 * search runs from the literal's first byte that is not a letter, which memchr finds whatever the
 * case; a literal of letters only is compared where its first letter is. */
static const char *find_caseless(const char *t, size_t n, const char *lit, size_t len) {
    if (len == 0) return t;
    if (len > n) return NULL;
    size_t a = 0;
    while (a < len && ((lit[a] | 0x20) >= 'a' && (lit[a] | 0x20) <= 'z')) a++;
    if (a == len) { /* letters only */
        char first = (char)(lit[0] | 0x20);
        for (size_t at = 0; at + len <= n; at++)
            if ((char)(t[at] | 0x20) == first && ascii_caseless_equal(t + at, lit, len)) return t + at;
        return NULL;
    }
    for (const char *q = t + a, *end = t + n - (len - a) + 1; q < end; q++) {
        q = memchr(q, lit[a], (size_t)(end - q));
        if (!q) return NULL;
        if (ascii_caseless_equal(q - a, lit, len)) return q - a;
    }
    return NULL;
}

/* keywords_direct: each string value under v (not "#attributes") searched for each literal;
 * true when some value is a real number (see scan_value). */
static bool search_keywords(hit_ctx *h, field_view *fv, const socfeed_event_value *v, unsigned depth) {
    if (depth > 64) return false;
    bool real = false;
    if (v->type == SOCFEED_EV_ARRAY) {
        for (uint32_t i = 0; i < v->len; i++) real |= search_keywords(h, fv, &v->as.items[i], depth + 1);
    } else if (v->type == SOCFEED_EV_OBJECT) {
        for (uint32_t i = 0; i < v->len; i++)
            if (!fv_is_attributes(&v->as.members[i]))
                real |= search_keywords(h, fv, &v->as.members[i].value, depth + 1);
    } else if (v->type == SOCFEED_EV_STRING) {
        const char *t = v->as.s;
        size_t n = v->len;
        if (!ascii_only(t, n)) fv_fold(fv, t, n, &t, &n);
        h->text = t;
        h->text_len = n;
        for (uint32_t id = 0; id < h->f->nlits; id++) {
            const pf_lit *l = &h->p->lits[h->f->lit_base + id];
            const char *at = find_caseless(t, n, h->p->lit_text[h->f->lit_base + id], l->len);
            if (at) on_literal(id, 0, (unsigned long long)(at - t) + l->len, 0, h);
        }
    } else {
        real = v->type == SOCFEED_EV_REAL;
    }
    return real;
}

/* The keyword field: its literals may occur in any value. A few literals that only strings can
 * hold are looked for value by value (search_keywords: SigmaHQ's NotPetya rule puts `\perfc.dat`
 * on every process creation, and joining the event's values cost more than finding it). Otherwise
 * the values are scanned as one text (a process event has some 25, and a call per value cost more
 * than the scan itself); a literal across the NUL between two values could only open a gate too
 * many, and the rule still decides. Keyword values are matched by the rule itself, never from
 * these hits' flags. */
static void scan_keywords(pf_scratch *ps, const pf_route *p, const pf_field *f, field_view *fv, bool gates) {
    if (f->direct) {
        hit_ctx h = {ps, p, f, NULL, 0, gates, SCAN_MEMO_MAX_HITS + 1};
        if (search_keywords(&h, fv, &fv->event->root, 0) && gates)
            for (uint32_t i = 0; i < f->npos; i++) mark(ps, p, f->lit_pos[i]);
        return;
    }
    sb_reset(&ps->keyword_text);
    if (join_values(fv, &fv->event->root, &ps->keyword_text, 0) && gates)
        for (uint32_t i = 0; i < f->npos; i++) mark(ps, p, f->lit_pos[i]);
    hit_ctx h = {ps, p, f, ps->keyword_text.data, ps->keyword_text.len, gates, SCAN_MEMO_MAX_HITS + 1};
    if (!h.text_len) return;
    if (f->nlits * h.text_len <= SMALL_SCAN) scan_small(&h);
    else hs_scan_text(f->db, &h);
}

/* ---- Deferred fields ------------------------------------------------------------------------- */

/* Why: on Sysmon process-access events the call trace (~560 bytes, with DLL names that occur in
 * every trace) was half of all scanning on the OTRF data, yet most rules gated on it also need
 * `TargetImage` to end in lsass.exe. A long value of a deferrable field is scanned for its solo
 * literals first; its full scan waits until a rule gated on it could still become a candidate
 * (settle_deferred) or a candidate asks for a literal's flags (settle_literal). The candidates
 * are the same: a rule that matches has, for each gate, a literal in some field; if that field
 * is still deferred, the rule is one of its dependents whose closed gates all have literals in
 * deferred fields, which is exactly what makes settle_deferred scan it. */
enum { DEFER_MIN = 256 }; /* shorter values are scanned in full at once: cheaper than deferring */

static void defer(pf_scratch *ps, uint32_t fi, fv_slot *slot) {
    ps->defer_epoch[fi] = ps->epoch;
    ps->defer_slot[fi] = slot;
    ps->deferred[ps->ndeferred++] = fi;
}

static void scan_deferred(pf_scratch *ps, uint32_t fi, bool gates) {
    const pf_route *p = ps->route;
    const pf_field *f = &p->fields[fi];
    ps->defer_epoch[fi] = 0; /* epochs start at 1 */
    if (f == p->keywords) scan_keywords(ps, p, f, ps->fv, gates);
    else scan_value(ps, p, f, ps->fv, ps->defer_slot[fi], ps->defer_slot[fi]->value, f->db, gates);
}

/* Whether the full scan of deferred field fi may make a rule a candidate: a rule gated there with
 * a closed gate it could open, whose closed gates all have literals in deferred fields. */
static bool deferred_may_open(const pf_scratch *ps, uint32_t fi) {
    const pf_route *p = ps->route;
    const pf_field *f = &p->fields[fi];
    for (size_t i = 0; i < f->ndependents; i++) {
        uint32_t pos = f->dependents[i];
        uint8_t opened = ps->mark[pos].epoch == ps->epoch ? ps->mark[pos].opened & 0x7F : 0;
        uint8_t closed = p->need[pos] & (uint8_t)~opened;
        if (!(closed & f->bits[pos])) continue;
        uint8_t may_open = 0;
        for (size_t d = 0; d < ps->ndeferred; d++) may_open |= p->fields[ps->deferred[d]].bits[pos];
        if (!(closed & (uint8_t)~may_open)) return true;
    }
    return false;
}

static void settle_deferred(pf_scratch *ps) {
    for (size_t d = 0; d < ps->ndeferred;) {
        uint32_t fi = ps->deferred[d];
        if (!deferred_may_open(ps, fi)) {
            d++;
            continue;
        }
        ps->deferred[d] = ps->deferred[--ps->ndeferred];
        scan_deferred(ps, fi, true);
        d = 0; /* its gates may make another deferred field worth scanning */
    }
}

/* Before a literal's flags are read: a field still deferred is scanned now, unless the literal
 * was in its solo database (then its flags are complete). */
static inline void settle_literal(pf_scratch *ps, uint32_t lit) {
    if (!ps->ndeferred) return; /* the usual case: nothing deferred */
    const pf_lit *l = &ps->route->lits[lit];
    if (ps->defer_epoch[l->field] == ps->epoch && !l->solo) scan_deferred(ps, l->field, false);
}

void pf_route_scan(const pf_route *p, pf_scratch *ps, field_view *fv, size_t alt) {
    ps->ncand = 0;
    ps->ndeferred = 0;
    ps->route = p;
    ps->fv = fv;
    if (++ps->epoch == 0) { /* wrapped: old marks could look current */
        memset(ps->mark, 0, ps->nmark * sizeof *ps->mark);
        memset(ps->seen, 0, ps->nlit * sizeof *ps->seen);
        memset(ps->defer_epoch, 0, ps->nfield * sizeof *ps->defer_epoch);
        ps->epoch = 1;
    }
    const ls_name **names = p->event_names + alt * p->nfields;
    const bool *dotted = p->event_dotted + alt * p->nfields;
    for (size_t i = 0; i < p->nfields; i++) {
        const pf_field *f = &p->fields[i];
        if (f == p->keywords) continue;
        const ls_name *name = names[i];
        fv_slot *slot = fv_lookup_known(fv, name->s, name->len, name->hash, dotted[i]);
        if (!slot) continue;
        const socfeed_event_value *v = slot->value;
        if (v->type == SOCFEED_EV_ARRAY) {
            for (uint32_t k = 0; k < v->len; k++) scan_value(ps, p, f, fv, NULL, fv_unwrap(&v->as.items[k]), f->db, true);
        } else if (f->deferrable && v->type == SOCFEED_EV_STRING && v->len >= DEFER_MIN) {
            if (f->solo_db) scan_value(ps, p, f, fv, slot, v, f->solo_db, true);
            defer(ps, (uint32_t)i, slot);
        } else if (v->type != SOCFEED_EV_NULL && v->type != SOCFEED_EV_OBJECT) {
            scan_value(ps, p, f, fv, slot, v, f->db, true);
        }
    }
    if (p->keywords) {
        if (p->keywords->deferrable) defer(ps, (uint32_t)(p->keywords - p->fields), NULL);
        else scan_keywords(ps, p, p->keywords, fv, true);
    }
    settle_deferred(ps);
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Whether a veto of position pos holds. The literals of a field still deferred have not been
 * seen unless they were in its solo database, whose scan gave their bits in full: such a veto is
 * passed over rather than paid for with the full scan (settle_literal). */
static bool vetoed(const pf_route *p, const pf_scratch *ps, uint32_t pos) {
    for (uint32_t i = p->veto_start[pos]; i < p->veto_start[pos + 1]; i++)
        if (seen_with(ps, p->veto_lit[i], p->veto_need[i])) return true;
    return false;
}

size_t pf_route_candidates(const pf_route *p, pf_scratch *ps, const uint32_t **out) {
    memcpy(ps->cand + ps->ncand, p->ungated, p->nungated * sizeof *p->ungated);
    ps->ncand += p->nungated;
    size_t kept = 0;
    for (size_t i = 0; i < ps->ncand; i++)
        if (!vetoed(p, ps, ps->cand[i])) ps->cand[kept++] = ps->cand[i];
    ps->ncand = kept;
    if (ps->ncand > 1) qsort(ps->cand, ps->ncand, sizeof *ps->cand, cmp_u32); /* rule-set order */
    *out = ps->cand;
    return ps->ncand;
}

/* ---- Items decided by the scan --------------------------------------------------------------- */

static uint8_t glob_need(const glob *g) {
    switch (g->kind) {
    case GLOB_CONTAINS: return LIT_ANY;
    case GLOB_PREFIX: return LIT_START;
    case GLOB_SUFFIX: return LIT_END;
    case GLOB_EXACT: return LIT_WHOLE;
    default: return 0; /* not decided by the scan (never given a literal id) */
    }
}

/* Why: an item listing hundreds of values (the DLL names of a side-loading rule, the paths of a
 * location anomaly) was evaluated value by value, each through several calls and its own glob,
 * for a couple of literals that occurred. The compact form is one pass over two arrays. */
void pf_compact_item(arena *a, c_item *it) {
    if (it->keyword || it->all || it->nvalues == 0) return;
    const pf_route *route = NULL;
    size_t n = 0;
    for (size_t i = 0; i < it->nvalues; i++) {
        const c_value *cv = &it->values[i];
        if (cv->kind != SOCFEED_VAL_STRING) return;
        for (size_t k = 0; k < cv->nalts; k++) {
            const glob *g = &cv->alts[k];
            if (g->cased || !g->pf_route || !glob_need(g) || (route && g->pf_route != route)) return;
            route = g->pf_route;
            n++;
        }
    }
    if (!route) return;
    it->pf_lits = arena_alloc(a, n * sizeof *it->pf_lits);
    it->pf_need = arena_alloc(a, n);
    for (size_t i = 0; i < it->nvalues; i++)
        for (size_t k = 0; k < it->values[i].nalts; k++) {
            const glob *g = &it->values[i].alts[k];
            it->pf_lits[it->npf] = g->pf_lit;
            it->pf_need[it->npf++] = glob_need(g);
        }
    it->pf_route = route;
}

/* Whether literal `lit` occurred in the scan with one of the occurrence bits `need`. */
static bool literal_occurred(pf_scratch *ps, uint32_t lit, uint8_t need) {
    settle_literal(ps, lit);
    return seen_with(ps, lit, need);
}

bool pf_glob_literal_seen(pf_scratch *ps, const glob *g) { return literal_occurred(ps, g->pf_lit, LIT_ANY); }

bool pf_glob_matches(pf_scratch *ps, const glob *g) { return literal_occurred(ps, g->pf_lit, glob_need(g)); }

bool pf_item_matches(pf_scratch *ps, const c_item *it) {
    for (size_t i = 0; i < it->npf; i++)
        if (literal_occurred(ps, it->pf_lits[i], it->pf_need[i])) return true;
    return false;
}
