/* value_render.c — one Sigma field item → a KQL predicate: the operator per value kind and
 * wildcard shape, case rules (=~/in~/contains… vs their _cs forms for |cased), mapping rewrites,
 * value maps, hash splitting, numeric columns and guards (docs/mappings.md §2). A value with no
 * faithful KQL form refuses the rule; nothing is dropped or widened. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backends/kql/kql_internal.h"
#include "util/xalloc.h"

/* A pattern flattened into segments we may change (rewrite, value map). */
typedef struct flat {
    socfeed_seg segs[64];
    size_t n;
    char *owned[4];
    size_t nowned;
} flat;

static void flat_free(flat *f) {
    for (size_t i = 0; i < f->nowned; i++) free(f->owned[i]);
}

static const char *field_name(const socfeed_item *item) { return item->field ? item->field : "keywords"; }

static kql_expr text_expr(kql_render *r, strbuf *sb) {
    kql_expr e = kql_text_expr(r, sb);
    return e;
}

/* Copies the pattern, merging adjacent literals and runs of `*`. */
static bool flatten(kql_render *r, const socfeed_item *item, const socfeed_pattern *p, flat *out) {
    out->n = 0;
    out->nowned = 0;
    for (size_t i = 0; i < p->nsegs; i++) {
        const socfeed_seg *s = &p->segs[i];
        if (s->kind == SOCFEED_SEG_PLACEHOLDER) {
            kql_refuse(r, "field '%s': placeholder %%%.*s%% is not resolved (|expand needs --placeholders values)",
                       field_name(item), (int)s->len, s->text);
            return false;
        }
        if (s->kind == SOCFEED_SEG_LITERAL && !s->len) continue;
        if (s->kind == SOCFEED_SEG_ANY && out->n && out->segs[out->n - 1].kind == SOCFEED_SEG_ANY) continue;
        if (out->n == sizeof out->segs / sizeof *out->segs) {
            kql_refuse(r, "field '%s': value has more than 64 wildcard segments", field_name(item));
            return false;
        }
        out->segs[out->n++] = *s;
    }
    return true;
}

static bool is_literal_only(const flat *f) { return f->n == 0 || (f->n == 1 && f->segs[0].kind == SOCFEED_SEG_LITERAL); }

static const char *flat_literal(const flat *f, size_t *len) {
    if (!f->n) {
        *len = 0;
        return "";
    }
    *len = f->segs[0].len;
    return f->segs[0].text;
}

/* docs/mappings.md §2.3: replace a hive prefix of the first literal (after leading `*`). */
static bool apply_rewrite(kql_render *r, const socfeed_item *item, const kql_field *f, flat *fl) {
    if (!f->nrewrites) return true;
    size_t i = 0;
    while (i < fl->n && fl->segs[i].kind == SOCFEED_SEG_ANY) i++;
    if (i == fl->n || fl->segs[i].kind != SOCFEED_SEG_LITERAL) return true;
    socfeed_seg *s = &fl->segs[i];
    for (size_t k = 0; k < f->nrewrites; k++) {
        const kql_rewrite *rw = &f->rewrites[k];
        size_t fl_len = strlen(rw->from);
        if (s->len < fl_len || strncasecmp(s->text, rw->from, fl_len)) continue;
        if (!rw->to) {
            kql_refuse(r, "field '%s': value '%.*s…': %s", field_name(item), (int)fl_len, s->text, rw->refuse);
            return false;
        }
        size_t to_len = strlen(rw->to);
        char *nt = xmalloc(to_len + s->len - fl_len + 1);
        memcpy(nt, rw->to, to_len);
        memcpy(nt + to_len, s->text + fl_len, s->len - fl_len);
        nt[to_len + s->len - fl_len] = 0;
        if (fl->nowned < 4) fl->owned[fl->nowned++] = nt;
        s->text = nt;
        s->len = to_len + s->len - fl_len;
        return true;
    }
    return true;
}

static bool has_string_modifier(const socfeed_item *item) {
    for (size_t i = 0; i < item->nmods; i++)
        if (item->mods[i] != SOCFEED_MOD_ALL && item->mods[i] != SOCFEED_MOD_NEQ && item->mods[i] != SOCFEED_MOD_CASED)
            return true;
    return false;
}

/* docs/mappings.md §2.6. Returns false when refused. */
static bool apply_value_map(kql_render *r, const socfeed_item *item, const kql_field *f, flat *fl, const char *shown) {
    if (!f->nvalue_map) return true;
    size_t len;
    const char *lit = flat_literal(fl, &len);
    if (is_literal_only(fl) && !has_string_modifier(item)) {
        for (size_t i = 0; i < f->nvalue_map; i++)
            if (strlen(f->value_map[i].key) == len && !strncasecmp(f->value_map[i].key, lit, len)) {
                fl->n = 1;
                fl->segs[0] = (socfeed_seg){SOCFEED_SEG_LITERAL, f->value_map[i].value, strlen(f->value_map[i].value)};
                return true;
            }
    }
    if (f->value_map_strict) {
        kql_refuse(r, "field '%s': value '%s' has no equivalent on this target (only exact values %s%s…)", field_name(item),
                   shown, f->value_map[0].key, f->nvalue_map > 1 ? ", " : "");
        return false;
    }
    return true;
}

static bool all_digits(const char *s, size_t len) {
    size_t i = len && (s[0] == '-') ? 1 : 0;
    if (i == len || len - i > 18) return false;
    for (; i < len; i++)
        if (!isdigit((unsigned char)s[i])) return false;
    return true;
}

typedef struct atom_ctx {
    kql_render *r;
    const socfeed_item *item;
    const kql_field *f;
    const char *lhs;
    bool cased;
} atom_ctx;

static void put_op_string(strbuf *sb, const char *lhs, const char *op, bool cased, const char *s, size_t len) {
    sb_printf(sb, "%s %s%s ", lhs, op, cased ? "_cs" : "");
    kql_put_string(sb, s, len);
}

/* A flattened string pattern (after rewrite/value map) → one predicate. */
static kql_expr render_flat(atom_ctx *c, const flat *fl) {
    kql_render *r = c->r;
    for (size_t i = 0; i < fl->n; i++)
        if (fl->segs[i].kind == SOCFEED_SEG_LITERAL && !kql_string_ok(fl->segs[i].text, fl->segs[i].len))
            return kql_refuse(r, "field '%s': value holds control or NUL bytes (e.g. |wide without |base64), no KQL string form",
                              field_name(c->item));
    strbuf sb;
    sb_init(&sb);
    size_t lead = fl->n && fl->segs[0].kind == SOCFEED_SEG_ANY;
    size_t trail = fl->n > lead && fl->segs[fl->n - 1].kind == SOCFEED_SEG_ANY;
    size_t mid_n = fl->n - lead - trail;
    const socfeed_seg *mid = fl->segs + lead;
    kql_expr e;
    if (c->f && c->f->type != KT_STR) {
        if (mid_n > 1 || lead || trail || (mid_n == 1 && mid[0].kind != SOCFEED_SEG_LITERAL) || !mid_n ||
            !all_digits(mid[0].text, mid[0].len)) {
            sb_free(&sb);
            return kql_refuse(r, "field '%s' is numeric on this target; a string match cannot be expressed", field_name(c->item));
        }
        sb_printf(&sb, "%s == %.*s", c->lhs, (int)mid[0].len, mid[0].text);
    } else if (mid_n == 0 && (lead || trail)) {
        /* `*` alone (contains: '*'): any value. KQL strings have no "present but empty" distinct from a
         * missing column, so this is the narrower isnotempty (an empty value no longer matches). */
        sb_printf(&sb, "isnotempty(%s)", c->lhs);
    } else if (mid_n == 0 || (mid_n == 1 && mid[0].kind == SOCFEED_SEG_LITERAL)) {
        const char *s = mid_n ? mid[0].text : "";
        size_t len = mid_n ? mid[0].len : 0;
        const char *op = lead && trail ? "contains" : lead ? "endswith" : trail ? "startswith" : NULL;
        if (op) put_op_string(&sb, c->lhs, op, c->cased, s, len);
        else {
            sb_printf(&sb, "%s %s ", c->lhs, c->cased ? "==" : "=~");
            kql_put_string(&sb, s, len);
        }
    } else {
        /* Inner wildcards or `?`: an RE2 regex, anchored where Sigma's pattern is anchored, with
         * (?s) so `*` also spans line breaks and (?i) unless |cased. */
        strbuf re;
        sb_init(&re);
        sb_puts(&re, c->cased ? "(?s)" : "(?is)");
        if (!lead) sb_putc(&re, '^');
        for (size_t i = 0; i < mid_n; i++) {
            if (mid[i].kind == SOCFEED_SEG_LITERAL) kql_put_regex_literal(&re, mid[i].text, mid[i].len);
            else sb_puts(&re, mid[i].kind == SOCFEED_SEG_ANY ? ".*" : ".");
        }
        if (!trail) sb_putc(&re, '$');
        sb_printf(&sb, "%s matches regex ", c->lhs);
        kql_put_string(&sb, re.data, re.len);
        sb_free(&re);
    }
    e = text_expr(r, &sb);
    sb_free(&sb);
    return e;
}

/* docs/mappings.md §2.7: Sysmon "DWORD (0x0000000a)" → Defender decimal "10". */
static kql_expr render_details_transform(atom_ctx *c, const flat *fl) {
    size_t lead = fl->n && fl->segs[0].kind == SOCFEED_SEG_ANY;
    size_t trail = fl->n > lead && fl->segs[fl->n - 1].kind == SOCFEED_SEG_ANY;
    size_t mid_n = fl->n - lead - trail;
    bool plain = mid_n == 1 && fl->segs[lead].kind == SOCFEED_SEG_LITERAL;
    const char *s = plain ? fl->segs[lead].text : NULL;
    size_t len = plain ? fl->segs[lead].len : 0;
    char hex[9] = {0};
    if (plain && !(lead && !trail) && len == 18 && !strncmp(s, "DWORD (0x", 9) && s[17] == ')') {
        memcpy(hex, s + 9, 8);
        bool ok = true;
        for (int i = 0; i < 8; i++) ok = ok && isxdigit((unsigned char)hex[i]);
        if (ok) {
            /* The whole Sysmon value (exact, or contains/startswith of the full form) ↔ the decimal. */
            strbuf sb;
            sb_init(&sb);
            sb_printf(&sb, "%s == \"%lu\"", c->lhs, strtoul(hex, NULL, 16));
            kql_expr e = text_expr(c->r, &sb);
            sb_free(&sb);
            return e;
        }
    }
    for (size_t i = 0; i < fl->n; i++) {
        const socfeed_seg *g = &fl->segs[i];
        if (g->kind != SOCFEED_SEG_LITERAL) continue;
        if (memmem(g->text, g->len, "DWORD", 5) || memmem(g->text, g->len, "QWORD", 5) ||
            memmem(g->text, g->len, "Binary Data", 11) || memmem(g->text, g->len, "(Empty)", 7))
            return kql_refuse(c->r, "field '%s': Sysmon registry data form '%.*s' has no verified Defender equivalent",
                              field_name(c->item), (int)g->len, g->text);
    }
    return render_flat(c, fl);
}

static size_t hash_hex_len(const char *algo) {
    if (!strcmp(algo, "MD5") || !strcmp(algo, "IMPHASH")) return 32;
    if (!strcmp(algo, "SHA1")) return 40;
    if (!strcmp(algo, "SHA256")) return 64;
    if (!strcmp(algo, "SHA384")) return 96;
    if (!strcmp(algo, "SHA512")) return 128;
    return 0;
}

/* docs/mappings.md §2.5: `Hashes|contains: 'SHA256=…'` → the column of that algorithm. */
static kql_expr render_hash(atom_ctx *c, const flat *fl) {
    bool lead = fl->n && fl->segs[0].kind == SOCFEED_SEG_ANY;
    bool trail = fl->n > 1 && fl->segs[fl->n - 1].kind == SOCFEED_SEG_ANY;
    if (!(lead && trail && fl->n == 3 && fl->segs[1].kind == SOCFEED_SEG_LITERAL))
        return kql_refuse(c->r, "field '%s': only |contains 'ALGO=hex' maps onto the split hash columns", field_name(c->item));
    const char *s = fl->segs[1].text;
    size_t len = fl->segs[1].len;
    const char *eq = memchr(s, '=', len);
    char algo[16];
    if (!eq || (size_t)(eq - s) >= sizeof algo)
        return kql_refuse(c->r, "field '%s': value '%.*s' is not ALGO=hex", field_name(c->item), (int)len, s);
    size_t alen = (size_t)(eq - s);
    for (size_t i = 0; i < alen; i++) algo[i] = (char)toupper((unsigned char)s[i]);
    algo[alen] = 0;
    const char *hex = eq + 1;
    size_t hlen = len - alen - 1;
    bool hex_ok = hash_hex_len(algo) == hlen;
    for (size_t i = 0; hex_ok && i < hlen; i++) hex_ok = isxdigit((unsigned char)hex[i]);
    if (!hex_ok)
        return kql_refuse(c->r, "field '%s': value '%.*s' is not one complete %s hash", field_name(c->item), (int)len, s, algo);
    for (size_t i = 0; i < c->f->nhashes; i++)
        if (!strcasecmp(c->f->hashes[i].key, algo)) {
            strbuf sb;
            sb_init(&sb);
            sb_printf(&sb, "%s =~ \"%.*s\"", c->f->hashes[i].value, (int)hlen, hex);
            kql_expr e = text_expr(c->r, &sb);
            sb_free(&sb);
            return e;
        }
    return (kql_expr){.kind = KE_FALSE}; /* no column for this algorithm: can never match here */
}

static kql_expr render_pattern(atom_ctx *c, const socfeed_pattern *p, const char *shown) {
    flat fl;
    if (!flatten(c->r, c->item, p, &fl)) return (kql_expr){.kind = KE_FALSE};
    kql_expr e;
    if (c->f && c->f->kind == KF_HASHES) e = render_hash(c, &fl);
    else if (c->f && (!apply_rewrite(c->r, c->item, c->f, &fl) || !apply_value_map(c->r, c->item, c->f, &fl, shown)))
        e = (kql_expr){.kind = KE_FALSE};
    else if (c->f && c->f->transform) e = render_details_transform(c, &fl);
    else e = render_flat(c, &fl);
    flat_free(&fl);
    return e;
}

/* A scalar (number or bool) compared as text or as a number, per the column type. */
static kql_expr render_scalar_text(atom_ctx *c, const char *text, bool numeric) {
    if (c->f->kind == KF_HASHES) return kql_refuse(c->r, "field '%s': '%s' is not an ALGO=hex value", field_name(c->item), text);
    if (c->f->type != KT_STR && !numeric)
        return kql_refuse(c->r, "field '%s' is numeric on this target; '%s' is not a number", field_name(c->item), text);
    socfeed_seg seg = {SOCFEED_SEG_LITERAL, text, strlen(text)};
    socfeed_pattern p = {&seg, 1};
    return render_pattern(c, &p, text);
}

static kql_expr render_regex(atom_ctx *c, const socfeed_value *v) {
    const kql_field *f = c->f;
    if (f->kind == KF_HASHES || f->type != KT_STR || f->nrewrites || f->transform || f->value_map_strict)
        return kql_refuse(c->r, "field '%s': a regex cannot be carried over: the target stores this field %s", field_name(c->item),
                          f->kind == KF_HASHES ? "as split hash columns" : f->type != KT_STR ? "as a number" : "in another form");
    static const char *const not_re2[] = {"(?=", "(?!", "(?<=", "(?<!", "(?>", "\\1", "\\2", "\\3", "\\Z", "(?P=", "*+", "++", "?+", NULL};
    for (size_t i = 0; not_re2[i]; i++)
        if (strstr(v->as.re.pattern, not_re2[i]))
            return kql_refuse(c->r, "field '%s': regex uses '%s', which RE2 (KQL matches regex) does not support", field_name(c->item),
                              not_re2[i]);
    if (!kql_string_ok(v->as.re.pattern, v->as.re.len)) /* the whole pattern: a NUL inside ends the C string */
        return kql_refuse(c->r, "field '%s': regex holds control bytes", field_name(c->item));
    strbuf re, sb;
    sb_init(&re);
    sb_init(&sb);
    unsigned fl = v->as.re.flags;
    if (fl) sb_printf(&re, "(?%s%s%s)", fl & SOCFEED_RE_IGNORECASE ? "i" : "", fl & SOCFEED_RE_MULTILINE ? "m" : "",
                      fl & SOCFEED_RE_DOTALL ? "s" : "");
    sb_puts(&re, v->as.re.pattern);
    sb_printf(&sb, "%s matches regex ", c->lhs);
    kql_put_string(&sb, re.data, re.len);
    kql_expr e = text_expr(c->r, &sb);
    sb_free(&re);
    sb_free(&sb);
    return e;
}

static kql_expr render_cidr(atom_ctx *c, const socfeed_value *v) {
    if (c->f->kind == KF_HASHES || c->f->type != KT_STR)
        return kql_refuse(c->r, "field '%s': cidr needs an IP address string column", field_name(c->item));
    char addr[INET6_ADDRSTRLEN];
    int fam = v->as.cidr.family == 6 ? AF_INET6 : AF_INET;
    if (!inet_ntop(fam, v->as.cidr.addr, addr, sizeof addr)) return kql_refuse(c->r, "field '%s': bad cidr value", field_name(c->item));
    strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "%s(%s, \"%s/%u\")", fam == AF_INET6 ? "ipv6_is_in_range" : "ipv4_is_in_range", c->lhs, addr, v->as.cidr.prefix);
    kql_expr e = text_expr(c->r, &sb);
    sb_free(&sb);
    return e;
}

static kql_expr render_fieldref(atom_ctx *c, const socfeed_value *v) {
    const kql_field *o = kql_find_field(c->r->ls, v->as.ref.field);
    if (!o || o->kind == KF_UNMAPPED)
        return kql_refuse(c->r, "field '%s' (referenced by |fieldref) is not mapped for %s%s%s", v->as.ref.field, c->r->ls->id,
                          o ? ": " : "", o ? o->reason : "");
    if (o->kind == KF_HASHES || c->f->kind == KF_HASHES || o->type != c->f->type)
        return kql_refuse(c->r, "fields '%s' and '%s' are stored in different forms on this target", field_name(c->item), v->as.ref.field);
    strbuf sb;
    sb_init(&sb);
    bool s = v->as.ref.anchored_start, e = v->as.ref.anchored_end;
    if (c->f->type != KT_STR) sb_printf(&sb, "%s == %s", c->lhs, o->lhs);
    else if (s && e) sb_printf(&sb, "%s %s %s", c->lhs, c->cased ? "==" : "=~", o->lhs);
    else sb_printf(&sb, "%s %s%s %s", c->lhs, s ? "startswith" : e ? "endswith" : "contains", c->cased ? "_cs" : "", o->lhs);
    kql_expr out = text_expr(c->r, &sb);
    /* The referenced field has its own guard; the item's polarity decides its form (kql_guard). The
     * item's field's guard is applied by the caller: the same guard is not written twice. */
    if (o->guard && !(c->f->guard && !strcmp(c->f->guard, o->guard)))
        out = kql_guard(c->r, o->guard, out, c->r->negative != c->item->negated);
    sb_free(&sb);
    return out;
}

static kql_expr render_compare(atom_ctx *c, const socfeed_value *v) {
    static const char *const ops[] = {">", ">=", "<", "<="};
    const socfeed_number *n = &v->as.cmp.num;
    if (c->f->kind == KF_HASHES) return kql_refuse(c->r, "field '%s': numeric comparison on hashes", field_name(c->item));
    if (c->f->type == KT_STR && !n->is_int)
        return kql_refuse(c->r, "field '%s': comparison with a non-integer on a string column", field_name(c->item));
    strbuf sb;
    sb_init(&sb);
    if (c->f->type == KT_STR) sb_printf(&sb, "tolong(%s) %s %lld", c->lhs, ops[v->as.cmp.op], (long long)n->i);
    else if (n->is_int) sb_printf(&sb, "%s %s %lld", c->lhs, ops[v->as.cmp.op], (long long)n->i);
    else sb_printf(&sb, "%s %s %s", c->lhs, ops[v->as.cmp.op], n->text);
    kql_expr e = text_expr(c->r, &sb);
    sb_free(&sb);
    return e;
}

static kql_expr call1(atom_ctx *c, const char *fn) {
    strbuf sb;
    sb_init(&sb);
    sb_printf(&sb, "%s(%s)", fn, c->lhs);
    kql_expr e = text_expr(c->r, &sb);
    sb_free(&sb);
    return e;
}

/* A value that says "the field has no value" (null, exists: false) behaves differently under
 * a guard: rows outside the guard do not carry the field at all. */
static bool is_absence(const socfeed_value *v) {
    return v->kind == SOCFEED_VAL_NULL || (v->kind == SOCFEED_VAL_EXISTS && !v->as.b);
}

static kql_expr render_value(atom_ctx *c, const socfeed_value *v) {
    char num[64];
    switch (v->kind) {
    /* Numbers are never "empty" in KQL: a numeric column is tested for null. */
    case SOCFEED_VAL_NULL: return call1(c, c->f->type != KT_STR ? "isnull" : "isempty");
    case SOCFEED_VAL_EXISTS:
        if (c->f->type != KT_STR) return call1(c, v->as.b ? "isnotnull" : "isnull");
        return call1(c, v->as.b ? "isnotempty" : "isempty");
    case SOCFEED_VAL_STRING: {
        kql_expr *parts = xcalloc(v->as.str.nalts + 1, sizeof *parts);
        for (size_t i = 0; i < v->as.str.nalts; i++) parts[i] = render_pattern(c, &v->as.str.alts[i], v->raw ? v->raw : "");
        /* Expansions (windash, base64offset) are alternatives: always OR-ed, even under |all. */
        kql_expr e = kql_combine(c->r, false, parts, v->as.str.nalts);
        free(parts);
        return e;
    }
    case SOCFEED_VAL_NUMBER:
        if (v->as.num.is_int) snprintf(num, sizeof num, "%lld", (long long)v->as.num.i);
        else snprintf(num, sizeof num, "%s", v->as.num.text ? v->as.num.text : "0");
        return render_scalar_text(c, num, v->as.num.is_int);
    case SOCFEED_VAL_BOOL: return render_scalar_text(c, v->as.b ? "true" : "false", false);
    case SOCFEED_VAL_REGEX: return render_regex(c, v);
    case SOCFEED_VAL_CIDR: return render_cidr(c, v);
    case SOCFEED_VAL_FIELDREF: return render_fieldref(c, v);
    case SOCFEED_VAL_COMPARE: return render_compare(c, v);
    case SOCFEED_VAL_TIMEPART:
        return kql_refuse(c->r, "field '%s': time-part modifiers (minute/hour/…) are not converted", field_name(c->item));
    }
    return kql_refuse(c->r, "field '%s': unknown value kind", field_name(c->item));
}

/* Case-insensitive exact string values (or exact numbers on a numeric column) that can share one
 * `in~ (…)` / `in (…)` list. Returns the literal text, or NULL. */
static bool list_member(atom_ctx *c, const socfeed_value *v, strbuf *out) {
    const kql_field *f = c->f;
    if (f->kind == KF_HASHES || f->transform || f->nvalue_map || f->nrewrites || c->cased) return false;
    if (v->kind == SOCFEED_VAL_NUMBER && v->as.num.is_int) {
        sb_printf(out, "%lld", (long long)v->as.num.i);
        if (f->type == KT_STR) {
            char tmp[32];
            snprintf(tmp, sizeof tmp, "%s", out->data);
            sb_reset(out);
            kql_put_string(out, tmp, strlen(tmp));
        }
        return true;
    }
    if (v->kind != SOCFEED_VAL_STRING || v->as.str.nalts != 1) return false;
    const socfeed_pattern *p = &v->as.str.alts[0];
    size_t nlit = 0;
    const socfeed_seg *lit = NULL;
    for (size_t i = 0; i < p->nsegs; i++) {
        if (p->segs[i].kind != SOCFEED_SEG_LITERAL) return false;
        if (p->segs[i].len) {
            lit = &p->segs[i];
            nlit++;
        }
    }
    if (nlit > 1) return false;
    const char *s = lit ? lit->text : "";
    size_t len = lit ? lit->len : 0;
    if (!kql_string_ok(s, len)) return false;
    if (f->type != KT_STR) {
        if (!all_digits(s, len)) return false;
        sb_append(out, s, len);
    } else {
        kql_put_string(out, s, len);
    }
    return true;
}

kql_expr kql_render_item(kql_render *r, const socfeed_item *item) {
    kql_field keyword = {0};
    const kql_field *f;
    if (!item->field) {
        if (!r->ls->keyword_field)
            return kql_refuse(r, "keyword (field-less) detection: %s on this target has no field to search", r->ls->table);
        keyword = (kql_field){.sigma = "keywords", .kind = KF_COLUMN, .lhs = r->ls->keyword_field};
        f = &keyword;
    } else {
        f = kql_find_field(r->ls, item->field);
        if (!f) return kql_refuse(r, "field '%s' is not mapped for %s on %s", item->field, r->ls->id, r->t->name);
        if (f->kind == KF_UNMAPPED)
            return kql_refuse(r, "field '%s' is not mapped for %s on %s: %s", item->field, r->ls->id, r->t->name, f->reason);
    }
    bool cased = false;
    for (size_t i = 0; i < item->nmods; i++) cased |= item->mods[i] == SOCFEED_MOD_CASED;
    atom_ctx c = {r, item, f, f->lhs, cased};

    size_t n = item->nvalues;
    kql_expr *present = xcalloc(n + 2, sizeof *present), *absent = xcalloc(n + 2, sizeof *absent);
    bool *in_list = xcalloc(n + 2, sizeof *in_list);
    size_t np = 0, na = 0;
    strbuf list, one;
    sb_init(&list);
    sb_init(&one);
    size_t nlist = 0;
    for (size_t i = 0; i < n; i++) {
        const socfeed_value *v = &item->values[i];
        if (is_absence(v)) {
            absent[na++] = render_value(&c, v);
            continue;
        }
        /* Keyword values search the field: an implicit contains. */
        if (!item->field && v->kind == SOCFEED_VAL_STRING) {
            for (size_t k = 0; k < v->as.str.nalts; k++) {
                const socfeed_pattern *p = &v->as.str.alts[k];
                socfeed_seg *segs = xcalloc(p->nsegs + 2, sizeof *segs);
                segs[0] = (socfeed_seg){SOCFEED_SEG_ANY, "*", 1};
                if (p->nsegs) memcpy(segs + 1, p->segs, p->nsegs * sizeof *segs);
                segs[p->nsegs + 1] = (socfeed_seg){SOCFEED_SEG_ANY, "*", 1};
                socfeed_pattern wp = {segs, p->nsegs + 2};
                kql_expr e = render_pattern(&c, &wp, v->raw ? v->raw : "");
                free(segs);
                if (k == 0) present[np++] = e;
                else present[np - 1] = kql_combine(r, false, (kql_expr[]){present[np - 1], e}, 2);
            }
            continue;
        }
        if (!item->field && (v->kind == SOCFEED_VAL_NUMBER || v->kind == SOCFEED_VAL_BOOL)) {
            /* A number or boolean keyword is searched as its text, like a string keyword. */
            char text[64];
            if (v->kind == SOCFEED_VAL_BOOL) snprintf(text, sizeof text, "%s", v->as.b ? "true" : "false");
            else if (v->as.num.is_int) snprintf(text, sizeof text, "%lld", (long long)v->as.num.i);
            else snprintf(text, sizeof text, "%s", v->as.num.text ? v->as.num.text : "0");
            socfeed_seg segs[3] = {{SOCFEED_SEG_ANY, "*", 1}, {SOCFEED_SEG_LITERAL, text, strlen(text)}, {SOCFEED_SEG_ANY, "*", 1}};
            socfeed_pattern wp = {segs, 3};
            present[np++] = render_pattern(&c, &wp, text);
            continue;
        }
        if (!item->field && v->kind != SOCFEED_VAL_STRING) {
            present[np++] = kql_refuse(r, "keyword value of this kind (regex, cidr, …) is not converted");
            continue;
        }
        sb_reset(&one);
        if (!item->all && item->field && list_member(&c, v, &one)) {
            if (nlist++) sb_puts(&list, ", ");
            sb_append(&list, one.data, one.len);
            in_list[np++] = true; /* replaced below by the one list predicate */
            continue;
        }
        present[np++] = render_value(&c, v);
    }
    /* Two or more exact values: one `in~` list (same semantics as or-ed =~). */
    if (nlist) {
        size_t w = 0;
        kql_expr first_list = {0};
        for (size_t i = 0; i < np; i++) {
            if (in_list[i]) {
                if (first_list.text) continue;
                strbuf sb;
                sb_init(&sb);
                if (nlist == 1) {
                    sb_printf(&sb, "%s %s %s", f->lhs, f->type == KT_STR ? "=~" : "==", list.data);
                } else {
                    sb_printf(&sb, "%s %s (%s)", f->lhs, f->type == KT_STR ? "in~" : "in", list.data);
                }
                first_list = kql_text_expr(r, &sb);
                sb_free(&sb);
                present[w++] = first_list;
                continue;
            }
            present[w++] = present[i];
        }
        np = w;
    }
    kql_expr pos = np ? kql_combine(r, item->all, present, np) : (kql_expr){.kind = item->all ? KE_TRUE : KE_FALSE};
    kql_expr neg = na ? kql_combine(r, item->all, absent, na) : (kql_expr){.kind = item->all ? KE_TRUE : KE_FALSE};
    kql_expr out = np && na ? kql_combine(r, item->all, (kql_expr[]){pos, neg}, 2) : np ? pos : neg;
    if (!np && !na) out = (kql_expr){.kind = KE_FALSE};
    if (f->guard) out = kql_guard(r, f->guard, out, r->negative != item->negated);
    if (item->negated) out = kql_negate(r, out);
    sb_free(&list);
    sb_free(&one);
    free(present);
    free(absent);
    free(in_list);
    return out;
}
