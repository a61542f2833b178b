/* item_parse.c — one detection item (`field|mod|mod: values`) → a socfeed_item with final values.
 *
 * This is where the modifier chaining rules of sigma-semantics.md §1(c) live: modifiers apply
 * left to right; re/cidr/exists must come first; flags need re; string modifiers reject numbers;
 * base64/base64offset/fieldref reject wildcards; windash and base64offset expand a value into
 * alternatives that stay OR-ed even under |all. Every violation is an error at the key's
 * position, and the item is dropped from the rule (the rule is then marked invalid). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rule/modifiers.h"
#include "rule/parse_ctx.h"
#include "rule/yaml_tree.h"
#include "rule/sigma_string.h"
#include "util/xalloc.h"

/* Expansion bounds for one value: windash, base64offset and placeholders multiply alternatives, and a
 * hostile rule can chain them (a repeated modifier is only a warning). Each step is checked as it
 * goes, before anything is built from it. */
enum { MAX_MODIFIERS = 16, MAX_ALTERNATIVES = 4096 };
#define MAX_EXPANDED_BYTES ((size_t)16 << 20)

typedef struct chain {
    socfeed_modifier mods[MAX_MODIFIERS];
    size_t offsets[MAX_MODIFIERS]; /* byte offset of each name in the key, for positions */
    size_t n;
    bool has[SOCFEED_MOD_COUNT_];
} chain;

static socfeed_pos shift(socfeed_pos p, size_t by) {
    if (p.line) p.col += (uint32_t)by;
    return p;
}

/* Splits `field|a|b` into field and modifiers. Returns false on an unknown or empty name. */
static bool split_key(parse_ctx *ctx, const socfeed_yaml_node *key, const char **field, chain *ch) {
    const char *s = key->text;
    size_t quote = key->style == SOCFEED_STYLE_PLAIN ? 0 : 1;
    const char *bar = strchr(s, '|');
    *field = bar ? arena_strndup(ctx->a, s, (size_t)(bar - s)) : s;
    memset(ch, 0, sizeof *ch);
    bool ok = true;
    while (bar) {
        const char *name = bar + 1;
        const char *next = strchr(name, '|');
        size_t len = next ? (size_t)(next - name) : strlen(name);
        socfeed_pos pos = shift(key->pos, (size_t)(name - s) + quote);
        socfeed_modifier m;
        if (len == 0) {
            CTX_ERROR(ctx, pos, "modifier-empty", "empty modifier name in '%s'", s);
            ok = false;
        } else if (!modifier_lookup(name, len, &m)) {
            CTX_ERROR(ctx, pos, "modifier-unknown", "unknown modifier '%.*s'", (int)len, name);
            ok = false;
        } else if (ch->n >= MAX_MODIFIERS) {
            CTX_ERROR(ctx, pos, "modifier-chain", "more than %d modifiers", MAX_MODIFIERS);
            return false;
        } else {
            if (ch->has[m] && m != SOCFEED_MOD_BASE64)
                CTX_WARN(ctx, pos, "modifier-repeated", "modifier '%.*s' is repeated", (int)len, name);
            ch->offsets[ch->n] = (size_t)(name - s) + quote;
            ch->mods[ch->n++] = m;
            ch->has[m] = true;
        }
        bar = next;
    }
    return ok;
}

/* Chain rules that do not depend on the values. */
static bool check_chain(parse_ctx *ctx, const socfeed_yaml_node *key, const char *field, const chain *ch) {
    bool ok = true;
    bool seen_re = false;
    for (size_t i = 0; i < ch->n; i++) {
        socfeed_modifier m = ch->mods[i];
        socfeed_pos pos = shift(key->pos, ch->offsets[i]);
        const char *name = socfeed_modifier_name(m);
        if ((m == SOCFEED_MOD_RE || m == SOCFEED_MOD_CIDR || m == SOCFEED_MOD_EXISTS) && i != 0) {
            CTX_ERROR(ctx, pos, "modifier-chain", "'%s' must be the first modifier", name);
            ok = false;
        }
        if (modifier_is_regex_flag(m) && !seen_re) {
            CTX_ERROR(ctx, pos, "modifier-chain", "regex flag '%s' needs 're' before it", name);
            ok = false;
        }
        if (m == SOCFEED_MOD_CASED && ch->has[SOCFEED_MOD_RE]) {
            CTX_ERROR(ctx, pos, "modifier-chain", "'cased' cannot apply to a regex (use re without i)");
            ok = false;
        }
        if (ch->has[SOCFEED_MOD_CIDR] && m != SOCFEED_MOD_CIDR && m != SOCFEED_MOD_ALL && m != SOCFEED_MOD_NEQ) {
            CTX_ERROR(ctx, pos, "modifier-chain", "'%s' cannot follow 'cidr'", name);
            ok = false;
        }
        if (ch->has[SOCFEED_MOD_EXISTS] && m != SOCFEED_MOD_EXISTS) {
            CTX_ERROR(ctx, pos, "modifier-chain", "'%s' cannot follow 'exists'", name);
            ok = false;
        }
        if (m == SOCFEED_MOD_FIELDREF) {
            for (size_t j = 0; j < i; j++)
                if (ch->mods[j] != SOCFEED_MOD_ALL && ch->mods[j] != SOCFEED_MOD_NEQ) {
                    CTX_ERROR(ctx, pos, "modifier-chain",
                              "'fieldref' cannot take a value changed by '%s' (wildcards are not allowed)",
                              socfeed_modifier_name(ch->mods[j]));
                    ok = false;
                    break;
                }
        }
        if (m == SOCFEED_MOD_RE) seen_re = true;
        if (m == SOCFEED_MOD_BASE64OFFSET) {
            bool contains_after = false;
            for (size_t j = i + 1; j < ch->n; j++)
                if (ch->mods[j] == SOCFEED_MOD_CONTAINS) contains_after = true;
            if (!contains_after)
                CTX_WARN(ctx, pos, "base64offset-without-contains",
                         "'base64offset' fragments only make sense with a following 'contains'");
        }
    }
    if (!field[0] && (ch->has[SOCFEED_MOD_EXISTS] || ch->has[SOCFEED_MOD_FIELDREF] || ch->has[SOCFEED_MOD_CIDR])) {
        CTX_ERROR(ctx, key->pos, "modifier-keyword", "'%s' needs a field name",
                  ch->has[SOCFEED_MOD_EXISTS] ? "exists" : ch->has[SOCFEED_MOD_FIELDREF] ? "fieldref" : "cidr");
        ok = false;
    }
    if (ch->has[SOCFEED_MOD_WINDASH] && ch->has[SOCFEED_MOD_ALL])
        CTX_WARN(ctx, key->pos, "windash-all",
                 "'windash' with 'all': the dash variants of each value are OR-ed, the values AND-ed");
    return ok;
}

/* ---- typed values ---- */

static bool is_number_node(const socfeed_yaml_node *n) {
    return n->kind == SOCFEED_YAML_SCALAR && (n->type == SOCFEED_SCALAR_INT || n->type == SOCFEED_SCALAR_FLOAT);
}

static socfeed_number number_of(parse_ctx *ctx, const socfeed_yaml_node *n) {
    socfeed_number num = {0};
    num.is_int = n->type == SOCFEED_SCALAR_INT;
    num.i = n->int_value;
    num.d = num.is_int ? (double)n->int_value : n->float_value;
    num.text = n->text;
    if (n->yaml11_only)
        CTX_WARN(ctx, n->pos, "yaml11-number",
                 "YAML 1.1 (and so pySigma) reads '%s' as the number %lld; quote it if the text was meant",
                 n->text, (long long)n->int_value);
    return num;
}

static bool build_regex(parse_ctx *ctx, const socfeed_yaml_node *vn, const chain *ch, socfeed_value *v) {
    const char *text = vn->text;
    size_t len = vn->len;
    unsigned flags = 0;
    bool at_start = false, at_end = false;
    for (size_t i = 1; i < ch->n; i++) {
        switch (ch->mods[i]) {
        case SOCFEED_MOD_IGNORECASE: flags |= SOCFEED_RE_IGNORECASE; break;
        case SOCFEED_MOD_MULTILINE: flags |= SOCFEED_RE_MULTILINE; break;
        case SOCFEED_MOD_DOTALL: flags |= SOCFEED_RE_DOTALL; break;
        case SOCFEED_MOD_CONTAINS: at_start = at_end = true; break;
        case SOCFEED_MOD_STARTSWITH: at_end = true; break;
        case SOCFEED_MOD_ENDSWITH: at_start = true; break;
        case SOCFEED_MOD_ALL:
        case SOCFEED_MOD_NEQ: break;
        default:
            CTX_ERROR(ctx, vn->pos, "modifier-chain", "'%s' cannot apply to a regex",
                      socfeed_modifier_name(ch->mods[i]));
            return false;
        }
    }
    /* pySigma adds `.*` unless the regex is already anchored or open at that end. Matching is a
     * search either way; the text change keeps converted queries faithful to pySigma's. */
    bool add_start = at_start && !(len && text[0] == '^') && !(len >= 2 && !memcmp(text, ".*", 2));
    bool add_end = at_end && !(len && text[len - 1] == '$') && !(len >= 2 && !memcmp(text + len - 2, ".*", 2));
    if (add_start || add_end) {
        char *t = arena_alloc(ctx->a, len + 5);
        size_t o = 0;
        if (add_start) { memcpy(t, ".*", 2); o = 2; }
        memcpy(t + o, text, len);
        o += len;
        if (add_end) { memcpy(t + o, ".*", 2); o += 2; }
        t[o] = 0;
        text = t;
        len = o;
    }
    uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
    if (flags & SOCFEED_RE_IGNORECASE) options |= PCRE2_CASELESS;
    if (flags & SOCFEED_RE_MULTILINE) options |= PCRE2_MULTILINE;
    if (flags & SOCFEED_RE_DOTALL) options |= PCRE2_DOTALL;
    int err;
    PCRE2_SIZE erroff;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)text, len, options, &err, &erroff, NULL);
    if (!code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        CTX_ERROR(ctx, vn->pos, "regex-invalid", "invalid regular expression at offset %zu: %s",
                  (size_t)erroff, (const char *)msg);
        return false;
    }
    regex_list *rl = ctx->regexes;
    if (rl->count == rl->cap) {
        rl->cap = rl->cap ? rl->cap * 2 : 16;
        rl->items = xrealloc(rl->items, rl->cap * sizeof *rl->items);
    }
    rl->items[rl->count++] = code;
    v->kind = SOCFEED_VAL_REGEX;
    v->as.re.pattern = text;
    v->as.re.len = len;
    v->as.re.flags = flags;
    v->as.re.code = code;
    return true;
}

static bool build_cidr(parse_ctx *ctx, const socfeed_yaml_node *vn, socfeed_value *v) {
    const char *slash = strchr(vn->text, '/');
    char addr[64];
    size_t alen = slash ? (size_t)(slash - vn->text) : vn->len;
    if (alen >= sizeof addr) goto bad;
    memcpy(addr, vn->text, alen);
    addr[alen] = 0;
    int family = strchr(addr, ':') ? 6 : 4;
    unsigned maxbits = family == 4 ? 32 : 128;
    unsigned prefix = maxbits;
    if (slash) {
        char *end;
        long p = strtol(slash + 1, &end, 10);
        if (*end || end == slash + 1 || p < 0 || (unsigned long)p > maxbits) goto bad;
        prefix = (unsigned)p;
    }
    memset(v->as.cidr.addr, 0, sizeof v->as.cidr.addr);
    if (inet_pton(family == 4 ? AF_INET : AF_INET6, addr, v->as.cidr.addr) != 1) goto bad;
    for (unsigned bit = prefix; bit < maxbits; bit++) {
        if (v->as.cidr.addr[bit / 8] & (0x80 >> (bit % 8))) {
            CTX_ERROR(ctx, vn->pos, "cidr-host-bits", "network '%s' has host bits set", vn->text);
            return false;
        }
    }
    v->kind = SOCFEED_VAL_CIDR;
    v->as.cidr.family = family;
    v->as.cidr.prefix = prefix;
    return true;
bad:
    CTX_ERROR(ctx, vn->pos, "cidr-invalid", "'%s' is not an IPv4 or IPv6 network", vn->text);
    return false;
}

/* ---- strings ---- */

typedef struct alts {
    pattern_buf *items;
    size_t count, cap;
} alts;

static void alts_free(alts *a) {
    for (size_t i = 0; i < a->count; i++) pattern_buf_free(&a->items[i]);
    free(a->items);
    a->items = NULL;
    a->count = a->cap = 0;
}

static void alts_push(alts *a, pattern_buf p) {
    if (a->count == a->cap) a->items = xrealloc(a->items, (a->cap = a->cap ? a->cap * 2 : 4) * sizeof *a->items);
    a->items[a->count++] = p;
}

/* The bytes the alternatives will hold once finished (segments only reference their text until then). */
static size_t pattern_bytes(const pattern_buf *p) {
    size_t n = 0;
    for (size_t s = 0; s < p->nsegs; s++) n += p->segs[s].len + 1;
    return n;
}

static size_t alts_bytes(const alts *a) {
    size_t n = 0;
    for (size_t i = 0; i < a->count; i++) n += pattern_bytes(&a->items[i]);
    return n;
}

static bool too_large(parse_ctx *ctx, const socfeed_yaml_node *vn) {
    CTX_ERROR(ctx, vn->pos, "value-too-large", "value expands into more than %zu MiB of alternatives",
              MAX_EXPANDED_BYTES >> 20);
    return false;
}

static void lint_string(parse_ctx *ctx, const socfeed_yaml_node *vn, const pattern_buf *p) {
    for (size_t i = 0; i < p->nsegs; i++) {
        if (p->segs[i].kind == SOCFEED_SEG_ONE) {
            CTX_WARN(ctx, vn->pos, "unescaped-question-mark",
                     "'?' matches any one character; write '\\?' for a literal question mark");
            break;
        }
    }
    /* `C:\Temp\*` reads as `C:\Temp*` with a literal star: in a value that uses `\` as a path
     * separator elsewhere, a lone `\*` is almost always meant as `\\*`. A value whose backslashes
     * all escape wildcards (`\*avira\*`, `objectGUID=\*`) is deliberate. */
    const char *s = vn->text;
    bool path_like = false, lone_escaped_star = false;
    for (size_t i = 0; i < vn->len; i++) {
        if (s[i] != '\\') continue;
        size_t run = 1;
        while (i + run < vn->len && s[i + run] == '\\') run++;
        char next = i + run < vn->len ? s[i + run] : 0;
        if (run == 1 && next == '*') lone_escaped_star = true;
        else if (next && next != '*' && next != '?') path_like = true;
        i += run - 1;
    }
    if (lone_escaped_star && path_like)
        CTX_WARN(ctx, vn->pos, "escaped-star-slip",
                 "'\\*' is a literal star; for a backslash followed by a wildcard write '\\\\*'");
}

static bool encode_alts(parse_ctx *ctx, const socfeed_yaml_node *vn, alts *in, socfeed_modifier m) {
    alts out = {0};
    for (size_t k = 0; k < in->count; k++) {
        pattern_buf *p = &in->items[k];
        if (m == SOCFEED_MOD_BASE64 || m == SOCFEED_MOD_BASE64OFFSET) {
            if (pattern_has_wildcards(p) || pattern_has_placeholders(p)) {
                CTX_ERROR(ctx, vn->pos, "modifier-chain",
                          "'%s' cannot encode a value with wildcards (put 'contains' after it)",
                          socfeed_modifier_name(m));
                alts_free(&out);
                return false;
            }
            size_t len;
            const char *lit = pattern_literal(p, ctx->a, &len);
            if (m == SOCFEED_MOD_BASE64) {
                size_t elen;
                char *enc = sigma_base64(ctx->a, (const unsigned char *)lit, len, &elen);
                pattern_buf q = {0};
                pattern_buf_add(&q, SOCFEED_SEG_LITERAL, enc, elen);
                alts_push(&out, q);
            } else {
                char *frag[3];
                size_t flen[3];
                sigma_base64offset(ctx->a, (const unsigned char *)lit, len, frag, flen);
                for (int i = 0; i < 3; i++) {
                    if (flen[i] == 0) continue; /* an empty fragment would match anything */
                    pattern_buf q = {0};
                    pattern_buf_add(&q, SOCFEED_SEG_LITERAL, frag[i], flen[i]);
                    alts_push(&out, q);
                }
            }
            continue;
        }
        /* wide / utf16*: encode the literal parts, keep wildcards. */
        pattern_buf q = {0};
        bool be = m == SOCFEED_MOD_UTF16BE, bom = m == SOCFEED_MOD_UTF16;
        for (size_t s = 0; s < p->nsegs; s++) {
            const socfeed_seg *seg = &p->segs[s];
            if (seg->kind != SOCFEED_SEG_LITERAL) {
                pattern_buf_add(&q, seg->kind, seg->text, seg->len);
                continue;
            }
            char *enc;
            size_t elen;
            if (!sigma_utf16(ctx->a, seg->text, seg->len, be, bom && s == 0, &enc, &elen)) {
                CTX_ERROR(ctx, vn->pos, "modifier-non-ascii", "'%s' supports ASCII text only",
                          socfeed_modifier_name(m));
                pattern_buf_free(&q);
                alts_free(&out);
                return false;
            }
            bom = false;
            pattern_buf_add(&q, SOCFEED_SEG_LITERAL, enc, elen);
        }
        alts_push(&out, q);
    }
    alts_free(in);
    *in = out;
    return true;
}

/* Replaces placeholder segments by the configured values (cartesian product). */
static bool resolve_placeholders(parse_ctx *ctx, const socfeed_yaml_node *vn, alts *in) {
    bool any_unresolved = false;
    for (size_t round = 0; round < 32; round++) {
        bool changed = false;
        alts out = {0};
        for (size_t k = 0; k < in->count; k++) {
            pattern_buf *p = &in->items[k];
            size_t at = p->nsegs;
            for (size_t s = 0; s < p->nsegs; s++)
                if (p->segs[s].kind == SOCFEED_SEG_PLACEHOLDER) { at = s; break; }
            const socfeed_yaml_node *vals = at < p->nsegs && ctx->placeholders
                                                ? placeholder_values(ctx->placeholders, p->segs[at].text)
                                                : NULL;
            if (!vals) {
                if (at < p->nsegs) any_unresolved = true;
                pattern_buf copy;
                pattern_buf_copy(&copy, p);
                alts_push(&out, copy);
                continue;
            }
            changed = true;
            size_t nv = vals->kind == SOCFEED_YAML_SEQUENCE ? vals->count : 1;
            for (size_t j = 0; j < nv; j++) {
                const socfeed_yaml_node *one = vals->kind == SOCFEED_YAML_SEQUENCE ? vals->items[j] : vals;
                pattern_buf q = {0};
                for (size_t s = 0; s < at; s++) pattern_buf_add(&q, p->segs[s].kind, p->segs[s].text, p->segs[s].len);
                sigma_parse_string(&q, ctx->a, one->text, one->len, false);
                for (size_t s = at + 1; s < p->nsegs; s++) pattern_buf_add(&q, p->segs[s].kind, p->segs[s].text, p->segs[s].len);
                alts_push(&out, q);
            }
            if (out.count > MAX_ALTERNATIVES) break;
        }
        alts_free(in);
        *in = out;
        if (in->count > MAX_ALTERNATIVES) {
            CTX_ERROR(ctx, vn->pos, "placeholder-too-many", "placeholder values expand to more than %d alternatives",
                      MAX_ALTERNATIVES);
            return false;
        }
        if (!changed) break;
    }
    if (any_unresolved) {
        ctx->rule->unresolved_placeholders = true;
        for (size_t k = 0; k < in->count; k++)
            for (size_t s = 0; s < in->items[k].nsegs; s++)
                if (in->items[k].segs[s].kind == SOCFEED_SEG_PLACEHOLDER) {
                    CTX_WARN(ctx, vn->pos, "placeholder-unresolved",
                             "placeholder '%%%.*s%%' has no value (give one with --placeholders); the rule cannot be "
                             "matched or converted until then",
                             (int)in->items[k].segs[s].len, in->items[k].segs[s].text);
                    return true;
                }
    }
    return true;
}

static bool build_string(parse_ctx *ctx, const socfeed_yaml_node *vn, const chain *ch, socfeed_value *v) {
    alts a = {0};
    pattern_buf first = {0};
    sigma_parse_string(&first, ctx->a, vn->text, vn->len, ch->has[SOCFEED_MOD_EXPAND]);
    lint_string(ctx, vn, &first);
    alts_push(&a, first);
    bool ok = true;
    for (size_t i = 0; i < ch->n && ok; i++) {
        socfeed_modifier m = ch->mods[i];
        switch (m) {
        case SOCFEED_MOD_CONTAINS:
        case SOCFEED_MOD_STARTSWITH:
        case SOCFEED_MOD_ENDSWITH:
            for (size_t k = 0; k < a.count; k++)
                pattern_wrap(&a.items[k], m != SOCFEED_MOD_STARTSWITH, m != SOCFEED_MOD_ENDSWITH);
            break;
        case SOCFEED_MOD_BASE64:
        case SOCFEED_MOD_BASE64OFFSET:
        case SOCFEED_MOD_WIDE:
        case SOCFEED_MOD_UTF16LE:
        case SOCFEED_MOD_UTF16BE:
        case SOCFEED_MOD_UTF16:
            ok = encode_alts(ctx, vn, &a, m);
            if (ok && a.count > MAX_ALTERNATIVES) {
                CTX_ERROR(ctx, vn->pos, "value-too-many", "value expands into more than %d alternatives", MAX_ALTERNATIVES);
                ok = false;
            }
            if (ok && alts_bytes(&a) > MAX_EXPANDED_BYTES) ok = too_large(ctx, vn); /* before the next step multiplies it */
            break;
        case SOCFEED_MOD_WINDASH: {
            alts out = {0};
            size_t out_bytes = 0;
            for (size_t k = 0; k < a.count && ok; k++) {
                pattern_buf *variants = NULL;
                /* The budgets are for all alternatives together, not per input alternative: a count,
                 * and bytes, checked before the variants are built (fuzz_rule_yaml: a 7 KB value under
                 * windash|contains|windash built 16 MiB before the end-of-value check refused it).
                 * A variant is at most 2 bytes per varying dash longer than its alternative. */
                size_t room = out.count < MAX_ALTERNATIVES ? MAX_ALTERNATIVES - out.count : 0;
                size_t per_variant = pattern_bytes(&a.items[k]) + 2 * SIGMA_WINDASH_MAX_DASHES;
                size_t byte_room = out_bytes < MAX_EXPANDED_BYTES ? (MAX_EXPANDED_BYTES - out_bytes) / per_variant : 0;
                size_t limit = room < byte_room ? room : byte_room;
                size_t n = limit ? sigma_windash(&a.items[k], &variants, limit, ctx->a) : 0;
                if (!n && byte_room < room) {
                    ok = too_large(ctx, vn);
                } else if (!n) {
                    CTX_ERROR(ctx, vn->pos, "windash-too-many", "windash would expand '%.*s%s' into more than %d values",
                              vn->len > 80 ? 80 : (int)vn->len, vn->text, vn->len > 80 ? "…" : "", MAX_ALTERNATIVES);
                    ok = false;
                }
                for (size_t j = 0; j < n; j++) {
                    alts_push(&out, variants[j]);
                    out_bytes += pattern_bytes(&variants[j]);
                }
                free(variants);
            }
            alts_free(&a);
            a = out;
            break;
        }
        case SOCFEED_MOD_CASED: v->cased = true; break;
        case SOCFEED_MOD_EXPAND:
        case SOCFEED_MOD_ALL:
        case SOCFEED_MOD_NEQ: break;
        default:
            CTX_ERROR(ctx, vn->pos, "modifier-type", "'%s' cannot apply to a string", socfeed_modifier_name(m));
            ok = false;
        }
    }
    if (ok && ch->has[SOCFEED_MOD_EXPAND]) ok = resolve_placeholders(ctx, vn, &a);
    if (ok && a.count > MAX_ALTERNATIVES) {
        CTX_ERROR(ctx, vn->pos, "value-too-many", "value expands into more than %d alternatives", MAX_ALTERNATIVES);
        ok = false;
    }
    if (ok && alts_bytes(&a) > MAX_EXPANDED_BYTES) ok = too_large(ctx, vn);
    if (ok) {
        v->kind = SOCFEED_VAL_STRING;
        v->as.str.nalts = a.count;
        v->as.str.alts = arena_alloc(ctx->a, (a.count ? a.count : 1) * sizeof *v->as.str.alts);
        for (size_t k = 0; k < a.count; k++) v->as.str.alts[k] = pattern_buf_finish(&a.items[k], ctx->a);
    }
    alts_free(&a);
    return ok;
}

/* Modifiers that only change how values combine, not the values. */
static bool only_list_modifiers(const chain *ch) {
    for (size_t i = 0; i < ch->n; i++)
        if (ch->mods[i] != SOCFEED_MOD_ALL && ch->mods[i] != SOCFEED_MOD_NEQ) return false;
    return true;
}

static bool build_value(parse_ctx *ctx, const char *field, const socfeed_yaml_node *vn, const chain *ch,
                        socfeed_value *v) {
    memset(v, 0, sizeof *v);
    v->pos = vn->pos;
    v->raw = vn->text;
    bool keyword = !field[0];
    if (vn->kind != SOCFEED_YAML_SCALAR) {
        CTX_ERROR(ctx, vn->pos, "value-type", "a value must be a scalar, not %s", yaml_kind_name(vn));
        return false;
    }
    socfeed_modifier first = ch->n ? ch->mods[0] : SOCFEED_MOD_COUNT_;
    if (first == SOCFEED_MOD_RE) {
        if (vn->type == SOCFEED_SCALAR_NULL) {
            CTX_ERROR(ctx, vn->pos, "modifier-type", "'re' needs a regular expression, not null");
            return false;
        }
        return build_regex(ctx, vn, ch, v);
    }
    if (first == SOCFEED_MOD_CIDR) return build_cidr(ctx, vn, v);
    if (first == SOCFEED_MOD_EXISTS) {
        if (vn->type != SOCFEED_SCALAR_BOOL || vn->style != SOCFEED_STYLE_PLAIN) {
            CTX_ERROR(ctx, vn->pos, "modifier-type", "'exists' takes true or false, not '%s'", vn->text);
            return false;
        }
        v->kind = SOCFEED_VAL_EXISTS;
        v->as.b = vn->bool_value;
        return true;
    }
    for (size_t i = 0; i < ch->n; i++) {
        socfeed_modifier m = ch->mods[i];
        if (modifier_is_compare(m) || modifier_is_time_part(m)) {
            if (!is_number_node(vn)) {
                CTX_ERROR(ctx, vn->pos, "modifier-type", "'%s' compares numbers; '%s' is %s",
                          socfeed_modifier_name(m), vn->text, yaml_kind_name(vn));
                return false;
            }
            for (size_t j = 0; j < ch->n; j++)
                if (j != i && ch->mods[j] != SOCFEED_MOD_ALL && ch->mods[j] != SOCFEED_MOD_NEQ) {
                    CTX_ERROR(ctx, vn->pos, "modifier-chain", "'%s' cannot be combined with '%s'",
                              socfeed_modifier_name(m), socfeed_modifier_name(ch->mods[j]));
                    return false;
                }
            if (modifier_is_compare(m)) {
                v->kind = SOCFEED_VAL_COMPARE;
                v->as.cmp.op = m == SOCFEED_MOD_GT ? SOCFEED_CMP_GT : m == SOCFEED_MOD_GTE ? SOCFEED_CMP_GTE
                             : m == SOCFEED_MOD_LT ? SOCFEED_CMP_LT : SOCFEED_CMP_LTE;
                v->as.cmp.num = number_of(ctx, vn);
            } else {
                v->kind = SOCFEED_VAL_TIMEPART;
                v->as.tpart.part = (socfeed_time_part)(m - SOCFEED_MOD_MINUTE);
                v->as.tpart.num = number_of(ctx, vn);
            }
            return true;
        }
        if (m == SOCFEED_MOD_FIELDREF) {
            if (vn->type == SOCFEED_SCALAR_NULL || vn->len == 0) {
                CTX_ERROR(ctx, vn->pos, "modifier-type", "'fieldref' needs a field name");
                return false;
            }
            if (strpbrk(vn->text, "*?")) {
                CTX_ERROR(ctx, vn->pos, "modifier-type", "'fieldref' takes a field name without wildcards");
                return false;
            }
            v->kind = SOCFEED_VAL_FIELDREF;
            v->as.ref.field = vn->text;
            /* Plain fieldref is an exact comparison (both ends anchored); contains anchors neither
             * end, startswith only the start, endswith only the end. */
            bool has_contains = false, has_sw = false, has_ew = false;
            for (size_t j = i + 1; j < ch->n; j++) {
                has_contains |= ch->mods[j] == SOCFEED_MOD_CONTAINS;
                has_sw |= ch->mods[j] == SOCFEED_MOD_STARTSWITH;
                has_ew |= ch->mods[j] == SOCFEED_MOD_ENDSWITH;
                if (ch->mods[j] == SOCFEED_MOD_CASED) v->cased = true;
            }
            v->as.ref.anchored_start = !has_contains && !has_ew;
            v->as.ref.anchored_end = !has_contains && !has_sw;
            return true;
        }
    }
    switch (vn->type) {
    case SOCFEED_SCALAR_NULL:
        if (keyword) {
            CTX_ERROR(ctx, vn->pos, "keyword-null", "a keyword cannot be null");
            return false;
        }
        if (!only_list_modifiers(ch)) {
            CTX_ERROR(ctx, vn->pos, "modifier-type", "'%s' cannot apply to null", socfeed_modifier_name(ch->mods[0]));
            return false;
        }
        v->kind = SOCFEED_VAL_NULL;
        return true;
    case SOCFEED_SCALAR_BOOL:
        if (keyword) {
            CTX_ERROR(ctx, vn->pos, "keyword-bool", "a boolean can only be matched against a field");
            return false;
        }
        if (!only_list_modifiers(ch)) {
            CTX_ERROR(ctx, vn->pos, "modifier-type", "string modifiers cannot apply to the boolean '%s'", vn->text);
            return false;
        }
        if (vn->yaml11_only)
            CTX_WARN(ctx, vn->pos, "yaml11-bool", "YAML 1.1 (and so pySigma) reads '%s' as a boolean; quote it if the text was meant",
                     vn->text);
        v->kind = SOCFEED_VAL_BOOL;
        v->as.b = vn->bool_value;
        return true;
    case SOCFEED_SCALAR_INT:
    case SOCFEED_SCALAR_FLOAT:
        if (!only_list_modifiers(ch)) {
            for (size_t i = 0; i < ch->n; i++)
                if (ch->mods[i] != SOCFEED_MOD_ALL && ch->mods[i] != SOCFEED_MOD_NEQ) {
                    CTX_ERROR(ctx, vn->pos, "modifier-type", "'%s' cannot apply to the number %s (quote it to match text)",
                              socfeed_modifier_name(ch->mods[i]), vn->text);
                    return false;
                }
        }
        v->kind = SOCFEED_VAL_NUMBER;
        v->as.num = number_of(ctx, vn);
        return true;
    default:
        return build_string(ctx, vn, ch, v);
    }
}

void parse_item(parse_ctx *ctx, const socfeed_yaml_node *key, const socfeed_yaml_node *value, socfeed_item *out) {
    memset(out, 0, sizeof *out);
    chain ch;
    const char *field = "";
    bool ok = true;
    if (key) {
        out->pos = key->pos;
        if (key->kind != SOCFEED_YAML_SCALAR) {
            CTX_ERROR(ctx, key->pos, "detection-key", "a detection key must be a field name");
            return;
        }
        ok = split_key(ctx, key, &field, &ch);
        if (ok) ok = check_chain(ctx, key, field, &ch);
    } else {
        out->pos = value->pos;
        memset(&ch, 0, sizeof ch);
    }
    out->field = field[0] ? field : NULL;
    out->mods = arena_memdup(ctx->a, ch.mods, (ch.n ? ch.n : 1) * sizeof *ch.mods);
    out->nmods = ch.n;
    out->all = ch.has[SOCFEED_MOD_ALL];
    out->negated = ch.has[SOCFEED_MOD_NEQ];
    if (!ok) return;

    /* The value shapes: scalar, or a list of scalars; [] reads as null (pySigma). */
    const socfeed_yaml_node *const *nodes = &value;
    size_t n = 1;
    if (value->kind == SOCFEED_YAML_SEQUENCE) {
        nodes = (const socfeed_yaml_node *const *)value->items;
        n = value->count;
        if (n == 0) {
            if (!out->field) {
                CTX_ERROR(ctx, value->pos, "keyword-null", "an empty keyword list matches nothing");
                return;
            }
            CTX_WARN(ctx, value->pos, "empty-list", "an empty list reads as null (field absent or null)");
            out->values = arena_alloc(ctx->a, sizeof *out->values);
            out->values[0] = (socfeed_value){.kind = SOCFEED_VAL_NULL, .pos = value->pos, .raw = ""};
            out->nvalues = 1;
            return;
        }
    } else if (value->kind == SOCFEED_YAML_MAPPING) {
        CTX_ERROR(ctx, value->pos, "value-type", "the value of '%s' must be a scalar or a list, not a map",
                  key ? key->text : "keyword");
        return;
    }
    if (out->all && n == 1 && key)
        CTX_WARN(ctx, key->pos, "all-single-value", "'all' with a single value has no effect (the spec forbids it)");
    out->values = arena_alloc(ctx->a, n * sizeof *out->values);
    size_t nulls = 0;
    for (size_t i = 0; i < n; i++) {
        if (nodes[i]->kind == SOCFEED_YAML_SCALAR && nodes[i]->type == SOCFEED_SCALAR_NULL) nulls++;
        if (!build_value(ctx, field, nodes[i], &ch, &out->values[out->nvalues])) continue;
        out->nvalues++;
    }
    if (nulls && n > 1)
        CTX_WARN(ctx, value->pos, "null-in-list", "null inside a value list (the spec forbids it); read as OR null");
    if (out->all && out->field && !ch.has[SOCFEED_MOD_CONTAINS] && !ch.has[SOCFEED_MOD_STARTSWITH] &&
        !ch.has[SOCFEED_MOD_ENDSWITH] && !ch.has[SOCFEED_MOD_RE] && n > 1) {
        bool wild = false;
        for (size_t i = 0; i < out->nvalues; i++)
            if (out->values[i].kind == SOCFEED_VAL_STRING)
                for (size_t s = 0; s < out->values[i].as.str.alts[0].nsegs; s++)
                    if (out->values[i].as.str.alts[0].segs[s].kind != SOCFEED_SEG_LITERAL) wild = true;
        if (!wild)
            CTX_WARN(ctx, key->pos, "all-never-matches",
                     "'all' on exact values can never match (a field has one value); did you mean 'contains|all'?");
    }
}
