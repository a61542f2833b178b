/* match.c — evaluating one compiled rule against the current event of a scanner, with the
 * value semantics of ../shared/reference/sigma-semantics.md §1(b) "ENGINE matching rules":
 * numbers match equal numbers or their decimal text, booleans match true/"true", a multi-valued
 * field matches if any element does, null means absent or JSON null, keywords match anywhere. */
#include <arpa/inet.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "engine/engine_internal.h"
#include "engine/prefilter.h"
#include "util/casefold.h"
#include "util/xalloc.h"

/* ---- Scalars --------------------------------------------------------------------------------- */

/* A strict decimal number (no hex, no inf/nan, nothing trailing): what a comparison accepts. */
static bool parse_number(const char *s, size_t n, double *out) {
    if (n == 0 || n > 64) return false;
    char buf[65];
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) return false;
        buf[i] = c;
    }
    buf[n] = 0;
    char *end;
    double d = strtod(buf, &end);
    if (end != buf + n || !isfinite(d)) return false;
    *out = d;
    return true;
}

static bool event_number(socfeed_scanner *s, const socfeed_event_value *v, double *out) {
    switch (v->type) {
    case SOCFEED_EV_INT: *out = (double)v->as.i; return true;
    case SOCFEED_EV_UINT: *out = (double)v->as.u; return true;
    case SOCFEED_EV_REAL:
    case SOCFEED_EV_STRING: return parse_number(v->as.s, v->len, out);
    default: (void)s; return false;
    }
}

/* Text and folded text of a scalar, through the slot's cache when the value is the slot's own. */
typedef struct subject {
    field_view *fv;
    fv_slot *slot; /* NULL for array elements */
    const socfeed_event_value *v;
    /* literal state of the current route's scan, valid for field items only (NULL: search) */
    const struct pf_route *pf_scanned;
    struct pf_scratch *pf; /* a field left deferred by the scan is scanned on demand */
} subject;

static bool subject_text(subject *sj, const char **t, size_t *n) {
    if (sj->slot) return fv_slot_text(sj->fv, sj->slot, t, n);
    return fv_value_text(&sj->fv->scratch, sj->v, t, n);
}

static bool subject_folded(subject *sj, const char **t, size_t *n) {
    if (sj->slot) return fv_slot_folded(sj->fv, sj->slot, t, n);
    const char *raw;
    size_t rn;
    if (!fv_value_text(&sj->fv->scratch, sj->v, &raw, &rn)) return false;
    fv_fold(sj->fv, raw, rn, t, n);
    return true;
}

static bool match_globs(subject *sj, const c_value *cv) {
    const char *raw = NULL, *folded = NULL;
    size_t rn = 0, fnl = 0;
    bool have_raw = false, have_folded = false;
    for (size_t i = 0; i < cv->nalts; i++) {
        const glob *g = &cv->alts[i];
        if (g->cased) {
            if (!have_raw && !(have_raw = subject_text(sj, &raw, &rn))) return false;
            if (glob_match(g, raw, rn)) return true;
        } else if (g->pf_route && g->pf_route == sj->pf_scanned && g->kind != GLOB_GENERAL) {
            if (pf_glob_matches(sj->pf, g)) return true; /* the route's scan saw where it occurs */
        } else if (g->kind == GLOB_ANYTHING) { /* any text: folding a 5 KB PowerShell context for `*` was waste */
            return have_raw || subject_text(sj, &raw, &rn);
        } else {
            if (g->pf_route && g->pf_route == sj->pf_scanned && !pf_glob_literal_seen(sj->pf, g))
                continue; /* a literal every match needs is not in the field */
            if (!have_folded && !(have_folded = subject_folded(sj, &folded, &fnl))) return false;
            if (glob_match(g, folded, fnl)) return true;
        }
    }
    return false;
}

static bool match_regex(socfeed_scanner *s, const char *t, size_t n, const c_value *cv) {
    const socfeed_value *v = cv->v;
    if (cv->re_hs && s->re_scratch && n <= UINT32_MAX && ascii_only(t, n)) {
        int m = rx_hs_match(cv->re_hs, s->re_scratch, t, n);
        if (m >= 0) return m;
    }
    int rc = pcre2_match((pcre2_code *)v->as.re.code, (PCRE2_SPTR)t, n, 0, 0, s->md, s->mctx);
    if (rc >= 0) return true;
    if (rc != PCRE2_ERROR_NOMATCH) {
        /* Catastrophic backtracking or a JIT stack overflow: counted and reported, never a hang. */
        s->stats.regex_limit_hits++;
        if (s->diags && s->stats.regex_limit_hits <= 20) {
            const socfeed_event_origin *o = &s->fv.event->origin;
            PCRE2_UCHAR msg[160];
            pcre2_get_error_message(rc, msg, sizeof msg);
            socfeed_diag_add_at_offset(s->diags, SOCFEED_WARNING, o->file ? o->file : "(event)", o->offset,
                                       "regex-limit", "regex '%.60s' gave up on this event (%s); counted as no match",
                                       v->as.re.pattern, (const char *)msg);
        }
    }
    return false;
}

static bool match_cidr(const char *t, size_t n, const socfeed_value *v) {
    char buf[64];
    if (n == 0 || n >= sizeof buf) return false;
    memcpy(buf, t, n);
    buf[n] = 0;
    uint8_t addr[16];
    int fam = v->as.cidr.family == 6 ? AF_INET6 : AF_INET;
    if (inet_pton(fam, buf, addr) != 1) return false;
    unsigned bits = v->as.cidr.prefix, full = bits / 8, rest = bits % 8;
    if (memcmp(addr, v->as.cidr.addr, full) != 0) return false;
    if (rest == 0) return true;
    uint8_t mask = (uint8_t)(0xFFu << (8 - rest));
    return (addr[full] & mask) == (v->as.cidr.addr[full] & mask);
}

static bool compare(double x, socfeed_cmp_op op, double y) {
    switch (op) {
    case SOCFEED_CMP_GT: return x > y;
    case SOCFEED_CMP_GTE: return x >= y;
    case SOCFEED_CMP_LT: return x < y;
    case SOCFEED_CMP_LTE: return x <= y;
    }
    return false;
}

/* The time parts of an ISO 8601 / evtx timestamp ("2025-11-27T07:40:10.165Z", "2025-11-27 07:40:10"). */
static bool match_timepart(const char *t, size_t n, const socfeed_value *v) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (n < 10) return false;
    char buf[32];
    size_t k = n < sizeof buf - 1 ? n : sizeof buf - 1;
    memcpy(buf, t, k);
    buf[k] = 0;
    const char *rest = strptime(buf, "%Y-%m-%d", &tm);
    if (!rest) return false;
    if (*rest == 'T' || *rest == ' ') strptime(rest + 1, "%H:%M:%S", &tm);
    long part;
    switch (v->as.tpart.part) {
    case SOCFEED_TIME_MINUTE: part = tm.tm_min; break;
    case SOCFEED_TIME_HOUR: part = tm.tm_hour; break;
    case SOCFEED_TIME_DAY: part = tm.tm_mday; break;
    case SOCFEED_TIME_MONTH: part = tm.tm_mon + 1; break;
    case SOCFEED_TIME_YEAR: part = tm.tm_year + 1900; break;
    case SOCFEED_TIME_WEEK: {
        tm.tm_isdst = -1;
        time_t when = timegm(&tm);
        struct tm norm;
        gmtime_r(&when, &norm);
        char wk[4];
        strftime(wk, sizeof wk, "%V", &norm); /* ISO 8601 week number */
        part = strtol(wk, NULL, 10);
        break;
    }
    default: return false;
    }
    const socfeed_number *num = &v->as.tpart.num;
    return num->is_int ? part == num->i : (double)part == num->d;
}

static const ls_name *field_name(socfeed_scanner *s, const ls_name *sigma) { return ls_alt_rename(s->alt, sigma); }

static fv_slot *lookup(socfeed_scanner *s, const ls_name *sigma) {
    const ls_name *f = field_name(s, sigma);
    return fv_lookup(&s->fv, f->s, f->len, f->hash);
}

/* `A|fieldref: B` (and its startswith/endswith/contains forms), case-insensitive (§3 case 33). */
static bool match_fieldref(socfeed_scanner *s, subject *sj, const c_value *cv) {
    fv_slot *other = lookup(s, &cv->ref);
    const char *a, *b;
    size_t an, bn;
    if (!other || !subject_folded(sj, &a, &an) || !fv_slot_folded(&s->fv, other, &b, &bn)) return false;
    bool start = cv->v->as.ref.anchored_start, end = cv->v->as.ref.anchored_end;
    if (start && end) return an == bn && memcmp(a, b, an) == 0;
    if (start) return an >= bn && memcmp(a, b, bn) == 0;
    if (end) return an >= bn && memcmp(a + an - bn, b, bn) == 0;
    return bn == 0 || memmem(a, an, b, bn) != NULL;
}

static bool match_scalar(socfeed_scanner *s, subject *sj, const c_value *cv) {
    const socfeed_value *v = cv->v;
    const socfeed_event_value *ev = sj->v;
    const char *t;
    size_t n;
    double d;
    switch (cv->kind) {
    case SOCFEED_VAL_STRING: return match_globs(sj, cv);
    case SOCFEED_VAL_NUMBER:
        if (ev->type == SOCFEED_EV_INT || ev->type == SOCFEED_EV_UINT || ev->type == SOCFEED_EV_REAL) {
            if (!event_number(s, ev, &d)) return false;
            return v->as.num.is_int && ev->type != SOCFEED_EV_REAL
                       ? (ev->type == SOCFEED_EV_INT ? ev->as.i == v->as.num.i
                                                     : v->as.num.i >= 0 && ev->as.u == (uint64_t)v->as.num.i)
                       : d == (v->as.num.is_int ? (double)v->as.num.i : v->as.num.d);
        }
        /* A string holding the number's text: "4688" (not "0x1250", not "04688"). */
        return ev->type == SOCFEED_EV_STRING && ev->len == cv->num_len && memcmp(ev->as.s, cv->num_text, cv->num_len) == 0;
    case SOCFEED_VAL_BOOL:
        if (ev->type == SOCFEED_EV_BOOL) return ev->as.b == v->as.b;
        return ev->type == SOCFEED_EV_STRING && strcasecmp(ev->as.s, v->as.b ? "true" : "false") == 0 &&
               ev->len == (v->as.b ? 4u : 5u);
    case SOCFEED_VAL_REGEX: return subject_text(sj, &t, &n) && match_regex(s, t, n, cv);
    case SOCFEED_VAL_CIDR: return ev->type == SOCFEED_EV_STRING && match_cidr(ev->as.s, ev->len, v);
    case SOCFEED_VAL_FIELDREF: return match_fieldref(s, sj, cv);
    case SOCFEED_VAL_COMPARE:
        if (!event_number(s, ev, &d)) return false;
        return compare(d, v->as.cmp.op, v->as.cmp.num.is_int ? (double)v->as.cmp.num.i : v->as.cmp.num.d);
    case SOCFEED_VAL_TIMEPART: return subject_text(sj, &t, &n) && match_timepart(t, n, v);
    case SOCFEED_VAL_NULL:
    case SOCFEED_VAL_EXISTS: break; /* decided on presence, before reaching a scalar */
    }
    return false;
}

/* One value against a field: presence tests first, then every element of a multi-valued field. */
static bool match_value(socfeed_scanner *s, fv_slot *slot, const c_value *cv) {
    if (cv->kind == SOCFEED_VAL_EXISTS) return (slot != NULL) == cv->v->as.b;
    if (cv->kind == SOCFEED_VAL_NULL) return !slot || slot->value->type == SOCFEED_EV_NULL;
    if (!slot) return false;
    const socfeed_event_value *ev = slot->value;
    if (ev->type == SOCFEED_EV_ARRAY) {
        for (uint32_t i = 0; i < ev->len; i++) {
            subject sj = {&s->fv, NULL, fv_unwrap(&ev->as.items[i]), s->pf_scanned, s->pf};
            if (match_scalar(s, &sj, cv)) return true;
        }
        return false;
    }
    if (ev->type == SOCFEED_EV_NULL || ev->type == SOCFEED_EV_OBJECT) return false;
    subject sj = {&s->fv, slot, ev, s->pf_scanned, s->pf};
    return match_scalar(s, &sj, cv);
}

/* ---- Keywords: any scalar anywhere in the event ---------------------------------------------- */

static bool keyword_in_tree(socfeed_scanner *s, const socfeed_event_value *v, const c_value *cv, unsigned depth) {
    if (depth > 64) return false;
    if (v->type == SOCFEED_EV_ARRAY) {
        for (uint32_t i = 0; i < v->len; i++)
            if (keyword_in_tree(s, &v->as.items[i], cv, depth + 1)) return true;
        return false;
    }
    if (v->type == SOCFEED_EV_OBJECT) {
        for (uint32_t i = 0; i < v->len; i++) {
            if (fv_is_attributes(&v->as.members[i])) continue; /* xmlns, Provider GUIDs: not content */
            if (keyword_in_tree(s, &v->as.members[i].value, cv, depth + 1)) return true;
        }
        return false;
    }
    if (v->type == SOCFEED_EV_NULL) return false;
    subject sj = {&s->fv, NULL, v, NULL, NULL}; /* keywords: every value, not one scanned field */
    return match_scalar(s, &sj, cv);
}

/* ---- Tree and condition ---------------------------------------------------------------------- */

static void note_matched(socfeed_scanner *s, const char *name) {
    if (s->negation & 1) return; /* an item that held under `not` did not make the rule match */
    for (size_t i = 0; i < s->nmatched; i++)
        if (s->matched[i] == name || !strcmp(s->matched[i], name)) return;
    if (s->nmatched == s->matched_cap) {
        s->matched_cap = s->matched_cap ? s->matched_cap * 2 : 16;
        s->matched = xrealloc(s->matched, s->matched_cap * sizeof *s->matched);
    }
    s->matched[s->nmatched++] = name;
}

static bool eval_item(socfeed_scanner *s, const c_item *it) {
    bool all = it->all, result = all;
    if (it->pf_route && it->pf_route == s->pf_scanned) {
        /* in compact form, after its route's scan: what the loop below finds value by value (a
         * field absent, null or an object was not scanned, so none of its literals occurred) */
        result = pf_item_matches(s->pf, it);
        if (it->negated) result = !result;
        if (result) note_matched(s, field_name(s, &it->field)->s);
        return result;
    }
    fv_slot *slot = it->keyword ? NULL : lookup(s, &it->field);
    for (size_t i = 0; i < it->nvalues; i++) {
        const c_value *cv = &it->values[i];
        bool r = it->keyword ? keyword_in_tree(s, &s->fv.event->root, cv, 0) : match_value(s, slot, cv);
        if (all && !r) {
            result = false;
            break;
        }
        if (!all && r) {
            result = true;
            break;
        }
    }
    if (it->negated) result = !result; /* |neq negates the whole item (pySigma 1.5) */
    if (result) note_matched(s, it->keyword ? "keywords" : field_name(s, &it->field)->s);
    return result;
}

static bool eval_node(socfeed_scanner *s, const c_node *n) {
    switch (n->kind) {
    case SOCFEED_DET_ITEM: return eval_item(s, n->item);
    case SOCFEED_DET_AND:
        for (size_t i = 0; i < n->nchildren; i++)
            if (!eval_node(s, n->children[i])) return false;
        return true;
    case SOCFEED_DET_OR:
        for (size_t i = 0; i < n->nchildren; i++)
            if (eval_node(s, n->children[i])) return true;
        return false;
    }
    return false;
}

static bool eval_cond(socfeed_scanner *s, const c_cond *c) {
    switch (c->kind) {
    case SOCFEED_COND_OR:
        for (size_t i = 0; i < c->n; i++)
            if (eval_cond(s, &c->children[i])) return true;
        return false;
    case SOCFEED_COND_AND:
        for (size_t i = 0; i < c->n; i++)
            if (!eval_cond(s, &c->children[i])) return false;
        return true;
    case SOCFEED_COND_NOT: {
        s->negation++;
        bool r = eval_cond(s, &c->children[0]);
        s->negation--;
        return !r;
    }
    case SOCFEED_COND_IDENT:
    case SOCFEED_COND_ONE_OF:
        for (size_t i = 0; i < c->n; i++)
            if (eval_node(s, c->nodes[i])) return true;
        return false;
    case SOCFEED_COND_ALL_OF:
        for (size_t i = 0; i < c->n; i++)
            if (!eval_node(s, c->nodes[i])) return false;
        return true;
    }
    return false;
}

static bool eval_detection(socfeed_scanner *s, const c_detection *d) {
    for (size_t i = 0; i < d->nconds; i++) /* a list of conditions is OR-ed */
        if (eval_cond(s, &d->conds[i])) return true;
    return false;
}

bool c_rule_matches(socfeed_scanner *s, const c_rule *r) {
    s->nmatched = 0;
    s->negation = 0;
    s->stats.rules_evaluated++;
    if (!eval_detection(s, &r->det)) return false;
    for (size_t i = 0; i < r->nfilters; i++) /* filters AND their condition to the rule's */
        if (!eval_detection(s, &r->filters[i])) return false;
    return true;
}
