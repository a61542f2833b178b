/* rule_test_util.c — see rule_test_util.h. */
#include "rule/rule_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

loaded load_text(const char *yaml) {
    loaded l = {0};
    l.rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_buffer(l.rs, "test.yml", yaml, strlen(yaml));
    socfeed_ruleset_finalize(l.rs);
    l.rule = socfeed_ruleset_count(l.rs) ? socfeed_ruleset_get(l.rs, 0) : NULL;
    l.errors = socfeed_ruleset_diags(l.rs)->errors;
    l.warnings = socfeed_ruleset_diags(l.rs)->warnings;
    return l;
}

loaded load_detection(const char *body) {
    strbuf sb;
    sb_init(&sb);
    sb_puts(&sb, "title: t\nlogsource:\n  product: windows\ndetection:\n");
    sb_puts(&sb, body);
    loaded l = load_text(sb.data);
    sb_free(&sb);
    return l;
}

void unload(loaded *l) { socfeed_ruleset_free(l->rs); }

bool has_diag(const loaded *l, const char *code) { return diag_text(l, code)[0] != 0; }

const char *diag_text(const loaded *l, const char *code) {
    static char buf[1024];
    const socfeed_diags *d = socfeed_ruleset_diags(l->rs);
    for (size_t i = 0; i < d->count; i++) {
        if (!strcmp(d->items[i].code, code)) {
            socfeed_diag_format(&d->items[i], buf, sizeof buf);
            return buf;
        }
    }
    return "";
}

static const socfeed_item *first_item(const socfeed_det_node *n, size_t *skip) {
    if (!n) return NULL;
    if (n->kind == SOCFEED_DET_ITEM) {
        if (*skip == 0) return n->item;
        (*skip)--;
        return NULL;
    }
    for (size_t i = 0; i < n->nchildren; i++) {
        const socfeed_item *it = first_item(n->children[i], skip);
        if (it) return it;
    }
    return NULL;
}

const socfeed_item *find_item_n(const socfeed_rule *r, const char *ident, size_t n) {
    if (!r) return NULL;
    for (size_t i = 0; i < r->detection.nids; i++)
        if (!strcmp(r->detection.ids[i].name, ident)) return first_item(r->detection.ids[i].node, &n);
    return NULL;
}

const socfeed_item *find_item(const socfeed_rule *r, const char *ident) { return find_item_n(r, ident, 0); }

static void append_pattern(strbuf *sb, const socfeed_pattern *p) {
    for (size_t i = 0; i < p->nsegs; i++) {
        const socfeed_seg *s = &p->segs[i];
        switch (s->kind) {
        case SOCFEED_SEG_ANY: sb_putc(sb, '*'); break;
        case SOCFEED_SEG_ONE: sb_putc(sb, '?'); break;
        case SOCFEED_SEG_PLACEHOLDER: sb_printf(sb, "%%%.*s%%", (int)s->len, s->text); break;
        case SOCFEED_SEG_LITERAL:
            for (size_t k = 0; k < s->len; k++) {
                unsigned char c = (unsigned char)s->text[k];
                if (c == '*' || c == '?' || c == '\\') sb_printf(sb, "\\%c", c);
                else if (c < 0x20 || c == 0x7f) sb_printf(sb, "\\x%02X", c);
                else sb_putc(sb, (char)c);
            }
            break;
        }
    }
}

const char *pattern_text(const socfeed_pattern *p) {
    static char buf[8192];
    strbuf sb;
    sb_init(&sb);
    append_pattern(&sb, p);
    snprintf(buf, sizeof buf, "%s", sb.data ? sb.data : "");
    sb_free(&sb);
    return buf;
}

const char *value_text(const socfeed_value *v) {
    static char buf[16384];
    strbuf sb;
    sb_init(&sb);
    switch (v->kind) {
    case SOCFEED_VAL_STRING:
        for (size_t i = 0; i < v->as.str.nalts; i++) {
            if (i) sb_puts(&sb, " | ");
            append_pattern(&sb, &v->as.str.alts[i]);
        }
        break;
    case SOCFEED_VAL_NULL: sb_puts(&sb, "null"); break;
    case SOCFEED_VAL_NUMBER: sb_printf(&sb, "number:%s", v->as.num.text); break;
    case SOCFEED_VAL_BOOL: sb_puts(&sb, v->as.b ? "bool:true" : "bool:false"); break;
    case SOCFEED_VAL_EXISTS: sb_puts(&sb, v->as.b ? "exists:true" : "exists:false"); break;
    case SOCFEED_VAL_REGEX: sb_printf(&sb, "re:%s/%u", v->as.re.pattern, v->as.re.flags); break;
    case SOCFEED_VAL_CIDR: sb_printf(&sb, "cidr:v%d/%u", v->as.cidr.family, v->as.cidr.prefix); break;
    case SOCFEED_VAL_FIELDREF:
        sb_printf(&sb, "ref:%s%s%s", v->as.ref.field, v->as.ref.anchored_start ? "^" : "", v->as.ref.anchored_end ? "$" : "");
        break;
    case SOCFEED_VAL_COMPARE: sb_printf(&sb, "cmp%d:%s", (int)v->as.cmp.op, v->as.cmp.num.text); break;
    case SOCFEED_VAL_TIMEPART: sb_printf(&sb, "time%d:%s", (int)v->as.tpart.part, v->as.tpart.num.text); break;
    }
    snprintf(buf, sizeof buf, "%s", sb.data ? sb.data : "");
    sb_free(&sb);
    return buf;
}

static void append_cond(strbuf *sb, const socfeed_rule *r, const socfeed_cond *c) {
    switch (c->kind) {
    case SOCFEED_COND_IDENT: sb_puts(sb, r->detection.ids[c->ident].name); return;
    case SOCFEED_COND_ONE_OF:
    case SOCFEED_COND_ALL_OF:
        sb_printf(sb, "(%s %s", c->kind == SOCFEED_COND_ONE_OF ? "1of" : "allof", c->pattern);
        for (size_t i = 0; i < c->nidents; i++) sb_printf(sb, " %s", r->detection.ids[c->idents[i]].name);
        sb_putc(sb, ')');
        return;
    default:
        sb_puts(sb, c->kind == SOCFEED_COND_OR ? "(or" : c->kind == SOCFEED_COND_AND ? "(and" : "(not");
        for (size_t i = 0; i < c->nchildren; i++) {
            sb_putc(sb, ' ');
            append_cond(sb, r, c->children[i]);
        }
        sb_putc(sb, ')');
    }
}

const char *cond_text(const socfeed_rule *r, size_t i) {
    static char buf[4096];
    if (!r || i >= r->detection.nconditions) return "(none)";
    strbuf sb;
    sb_init(&sb);
    append_cond(&sb, r, r->detection.conditions[i]);
    snprintf(buf, sizeof buf, "%s", sb.data);
    sb_free(&sb);
    return buf;
}
