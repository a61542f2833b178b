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

static void collect_items(const socfeed_det_node *n, const socfeed_item **out, size_t *count, size_t max,
                          size_t *total) {
    if (!n) return;
    if (n->kind == SOCFEED_DET_ITEM) {
        if (*count < max) out[(*count)++] = n->item;
        (*total)++;
        return;
    }
    for (size_t i = 0; i < n->nchildren; i++) collect_items(n->children[i], out, count, max, total);
}

/* Appends the items of identifiers with polarity `want`; returns how many were shown. */
static size_t put_clauses(strbuf *sb, const socfeed_detection *d, const unsigned char *use, unsigned want,
                          size_t max) {
    const socfeed_item *items[MAX_ITEMS_SHOWN];
    size_t count = 0, total = 0;
    for (size_t i = 0; i < d->nids; i++)
        if (use[i] & want) collect_items(d->ids[i].node, items, &count, max, &total);
    for (size_t i = 0; i < count; i++) {
        if (i) sb_puts(sb, i + 1 == count && total == count ? " and " : "; ");
        put_item(sb, items[i]);
    }
    if (total > count) sb_printf(sb, " (and %zu more condition%s)", total - count, total - count == 1 ? "" : "s");
    return count;
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
    unsigned char *use = xcalloc(d->nids ? d->nids : 1, 1);
    for (size_t i = 0; i < d->nconditions; i++) mark(d->conditions[i], false, use);
    char *where = feed_logsource_phrase(&r->logsource);
    sb_printf(&sb, "%s where ", where);
    free(where);
    if (!put_clauses(&sb, d, use, 1, MAX_ITEMS_SHOWN)) sb_puts(&sb, "its condition holds");
    strbuf excl;
    sb_init(&excl);
    if (put_clauses(&excl, d, use, 2, 2)) {
        sb_puts(&sb, ", excluding events where ");
        sb_append(&sb, excl.data, excl.len);
    }
    sb_free(&excl);
    free(use);
    return sb_detach(&sb);
}

static const char *first_field_in(const socfeed_det_node *n) {
    if (!n) return NULL;
    if (n->kind == SOCFEED_DET_ITEM) return n->item->field;
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
