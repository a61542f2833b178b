/* detection_summary.c — says in one sentence what a rule matches, for the hunt hypothesis.
 * It reads the parsed detection: the identifiers the condition uses positively become "where …",
 * those under a NOT become "excluding …". Values are shown as the author wrote them (raw), a few
 * per field, so the sentence stays readable for rules with hundreds of values. */
#include <stdlib.h>
#include <string.h>

#include "feed/feed_internal.h"
#include "util/xalloc.h"

enum { MAX_ITEMS_SHOWN = 4, MAX_VALUES_SHOWN = 3 };

/* Marks identifiers used with (polarity 1) or without (2) negation. */
static void mark(const socfeed_cond *c, bool negated, unsigned char *use) {
    if (!c) return;
    switch (c->kind) {
    case SOCFEED_COND_NOT:
        for (size_t i = 0; i < c->nchildren; i++) mark(c->children[i], !negated, use);
        break;
    case SOCFEED_COND_AND:
    case SOCFEED_COND_OR:
        for (size_t i = 0; i < c->nchildren; i++) mark(c->children[i], negated, use);
        break;
    case SOCFEED_COND_IDENT: use[c->ident] |= negated ? 2 : 1; break;
    case SOCFEED_COND_ONE_OF:
    case SOCFEED_COND_ALL_OF:
        for (size_t i = 0; i < c->nidents; i++) use[c->idents[i]] |= negated ? 2 : 1;
        break;
    }
}

static bool has_mod(const socfeed_item *it, socfeed_modifier m) {
    for (size_t i = 0; i < it->nmods; i++)
        if (it->mods[i] == m) return true;
    return false;
}

static const char *verb(const socfeed_item *it) {
    if (it->nvalues && it->values[0].kind == SOCFEED_VAL_NULL) return "is empty or absent";
    if (has_mod(it, SOCFEED_MOD_EXISTS)) return it->nvalues && it->values[0].as.b ? "is present" : "is absent";
    if (has_mod(it, SOCFEED_MOD_RE)) return "matches the regular expression";
    if (has_mod(it, SOCFEED_MOD_CIDR)) return "is in";
    if (has_mod(it, SOCFEED_MOD_BASE64) || has_mod(it, SOCFEED_MOD_BASE64OFFSET)) return "contains, base64-encoded,";
    if (has_mod(it, SOCFEED_MOD_CONTAINS)) return "contains";
    if (has_mod(it, SOCFEED_MOD_STARTSWITH)) return "starts with";
    if (has_mod(it, SOCFEED_MOD_ENDSWITH)) return "ends with";
    if (has_mod(it, SOCFEED_MOD_GT)) return "is greater than";
    if (has_mod(it, SOCFEED_MOD_GTE)) return "is at least";
    if (has_mod(it, SOCFEED_MOD_LT)) return "is less than";
    if (has_mod(it, SOCFEED_MOD_LTE)) return "is at most";
    if (has_mod(it, SOCFEED_MOD_FIELDREF)) return "equals the field";
    return "is";
}

static void put_item(strbuf *sb, const socfeed_item *it) {
    sb_puts(sb, it->field ? it->field : "the event text");
    if (it->negated) sb_puts(sb, " is not such that it");
    sb_putc(sb, ' ');
    const char *v = verb(it);
    if (!it->field && !strcmp(v, "is")) v = "contains";
    sb_puts(sb, v);
    bool valueless = !strcmp(v, "is present") || !strcmp(v, "is absent") || !strcmp(v, "is empty or absent");
    if (valueless) return;
    size_t shown = it->nvalues < MAX_VALUES_SHOWN ? it->nvalues : MAX_VALUES_SHOWN;
    for (size_t i = 0; i < shown; i++) {
        if (i) sb_puts(sb, i + 1 == shown && shown == it->nvalues ? (it->all ? " and" : " or") : ",");
        sb_puts(sb, " '");
        sb_puts(sb, it->values[i].raw ? it->values[i].raw : "");
        sb_putc(sb, '\'');
    }
    if (it->nvalues > shown) sb_printf(sb, " (%s %zu more)", it->all ? "and" : "or", it->nvalues - shown);
}

/* Renders the condition as the rule states it, with "and"/"or" and parentheses where operators
 * mix, showing at most `items_left` items before "…". */
typedef struct render_ctx {
    strbuf *sb;
    const socfeed_detection *d;
    size_t items_left;
    bool truncated;
} render_ctx;

enum { OP_NONE = -1, OP_AND = SOCFEED_DET_AND, OP_OR = SOCFEED_DET_OR };

static void put_node(render_ctx *c, const socfeed_det_node *n, int parent) {
    if (!n || c->truncated) return;
    if (n->kind == SOCFEED_DET_ITEM) {
        if (!c->items_left) {
            c->truncated = true;
            sb_puts(c->sb, "…");
            return;
        }
        c->items_left--;
        put_item(c->sb, n->item);
        return;
    }
    if (n->nchildren == 1) {
        put_node(c, n->children[0], parent);
        return;
    }
    bool paren = parent != OP_NONE && parent != (int)n->kind;
    if (paren) sb_putc(c->sb, '(');
    for (size_t i = 0; i < n->nchildren && !c->truncated; i++) {
        if (i) sb_puts(c->sb, n->kind == SOCFEED_DET_AND ? " and " : " or ");
        put_node(c, n->children[i], (int)n->kind);
    }
    if (paren) sb_putc(c->sb, ')');
}

static void put_cond(render_ctx *c, const socfeed_cond *cond, int parent) {
    if (!cond || c->truncated) return;
    switch (cond->kind) {
    case SOCFEED_COND_IDENT: put_node(c, c->d->ids[cond->ident].node, parent); return;
    case SOCFEED_COND_NOT:
        sb_puts(c->sb, "not ");
        sb_putc(c->sb, '(');
        if (cond->nchildren) put_cond(c, cond->children[0], OP_NONE);
        sb_putc(c->sb, ')');
        return;
    case SOCFEED_COND_AND:
    case SOCFEED_COND_OR:
    case SOCFEED_COND_ONE_OF:
    case SOCFEED_COND_ALL_OF: {
        int op = cond->kind == SOCFEED_COND_AND || cond->kind == SOCFEED_COND_ALL_OF ? OP_AND : OP_OR;
        bool ids = cond->kind == SOCFEED_COND_ONE_OF || cond->kind == SOCFEED_COND_ALL_OF;
        size_t n = ids ? cond->nidents : cond->nchildren;
        if (n == 1) {
            if (ids) put_node(c, c->d->ids[cond->idents[0]].node, parent);
            else put_cond(c, cond->children[0], parent);
            return;
        }
        bool paren = parent != OP_NONE && parent != op;
        if (paren) sb_putc(c->sb, '(');
        for (size_t i = 0; i < n && !c->truncated; i++) {
            if (i) sb_puts(c->sb, op == OP_AND ? " and " : " or ");
            if (ids) put_node(c, c->d->ids[cond->idents[i]].node, op);
            else put_cond(c, cond->children[i], op);
        }
        if (paren) sb_putc(c->sb, ')');
        return;
    }
    }
}

/* "where A and B, excluding events where C": the top-level AND's negated parts become the
 * exclusions, the way analysts read `selection and not filter`. */
static void put_where(strbuf *sb, const socfeed_detection *d, const socfeed_cond *cond) {
    const socfeed_cond *const *parts = (const socfeed_cond *const *)&cond;
    size_t nparts = 1;
    if (cond->kind == SOCFEED_COND_AND) {
        parts = (const socfeed_cond *const *)cond->children;
        nparts = cond->nchildren;
    }
    render_ctx pos = {sb, d, MAX_ITEMS_SHOWN, false};
    size_t npos = 0;
    for (size_t i = 0; i < nparts; i++) {
        if (parts[i]->kind == SOCFEED_COND_NOT) continue;
        if (npos++) sb_puts(sb, " and ");
        put_cond(&pos, parts[i], nparts > 1 ? OP_AND : OP_NONE);
    }
    if (!npos) sb_puts(sb, "its condition holds");
    render_ctx neg = {sb, d, 2, false};
    size_t nneg = 0;
    for (size_t i = 0; i < nparts; i++) {
        if (parts[i]->kind != SOCFEED_COND_NOT || !parts[i]->nchildren || !npos) continue;
        sb_puts(sb, nneg++ ? " or " : ", excluding events where ");
        put_cond(&neg, parts[i]->children[0], OP_OR);
    }
}

static void summarize_correlation(strbuf *sb, const socfeed_rule *r) {
    const socfeed_correlation *c = r->correlation;
    sb_printf(sb, "the results of ");
    for (size_t i = 0; i < c->rules.count; i++) {
        if (i) sb_puts(sb, i + 1 == c->rules.count ? " and " : ", ");
        sb_printf(sb, "'%s'", c->rules.items[i].s ? c->rules.items[i].s : "");
    }
    if (c->group_by.count) {
        sb_puts(sb, ", grouped by ");
        for (size_t i = 0; i < c->group_by.count; i++) {
            if (i) sb_puts(sb, ", ");
            sb_puts(sb, c->group_by.items[i].s ? c->group_by.items[i].s : "");
        }
    }
    if (c->timespan.s) sb_printf(sb, ", within %s", c->timespan.s);
    static const char *const ops[] = {">", ">=", "<", "<=", "=", "!="};
    for (size_t i = 0; i < c->nbounds; i++)
        sb_printf(sb, "%s %s %s %g", i ? " and" : ", firing when the", socfeed_correlation_type_name(c->type),
                  ops[c->bounds[i].op], c->bounds[i].value);
}

char *feed_detection_summary(const socfeed_rule *r) {
    strbuf sb;
    sb_init(&sb);
    if (r->kind == SOCFEED_DOC_CORRELATION && r->correlation) {
        summarize_correlation(&sb, r);
        return sb_detach(&sb);
    }
    const socfeed_detection *d = &r->detection;
    char *where = feed_logsource_phrase(&r->logsource);
    sb_printf(&sb, "%s where ", where);
    free(where);
    if (d->nconditions == 1) put_where(&sb, d, d->conditions[0]);
    else if (!d->nconditions) sb_puts(&sb, "its condition holds");
    else {
        /* a list of conditions is OR-ed */
        for (size_t i = 0; i < d->nconditions; i++) {
            if (i) sb_puts(&sb, "; or where ");
            put_where(&sb, d, d->conditions[i]);
        }
    }
    return sb_detach(&sb);
}

/* Fields that select the event type rather than describe the activity: useless to stack by. */
static bool is_selector_field(const char *f) {
    static const char *const sel[] = {"EventID", "Provider_Name", "Channel", "EventType", "eventSource", "eventService",
                                      "ServiceName", "Type", "type"};
    for (size_t i = 0; i < sizeof sel / sizeof *sel; i++)
        if (!strcmp(f, sel[i])) return true;
    return false;
}

static const char *first_field_in(const socfeed_det_node *n) {
    if (!n) return NULL;
    if (n->kind == SOCFEED_DET_ITEM) return n->item->field && !is_selector_field(n->item->field) ? n->item->field : NULL;
    for (size_t i = 0; i < n->nchildren; i++) {
        const char *f = first_field_in(n->children[i]);
        if (f) return f;
    }
    return NULL;
}

const char *feed_first_field(const socfeed_rule *r) {
    const socfeed_detection *d = &r->detection;
    if (r->kind == SOCFEED_DOC_CORRELATION && r->correlation && r->correlation->group_by.count)
        return r->correlation->group_by.items[0].s;
    unsigned char *use = xcalloc(d->nids ? d->nids : 1, 1);
    for (size_t i = 0; i < d->nconditions; i++) mark(d->conditions[i], false, use);
    const char *f = NULL;
    for (size_t i = 0; i < d->nids && !f; i++)
        if (use[i] & 1) f = first_field_in(d->ids[i].node);
    free(use);
    return f;
}

const char *feed_rule_date(const socfeed_rule *r) {
    if (r->modified.s) return r->modified.s;
    return r->date.s ? r->date.s : "";
}
