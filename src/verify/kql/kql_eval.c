/* kql_eval.c — runs a parsed KQL query over rows (socfeed_event_value objects), with KQL's
 * semantics: `==`, `in`, `*_cs` are case-sensitive; `=~`, `in~`, contains/has/startswith/endswith
 * are case-insensitive (Unicode simple folding); `has` matches whole terms (runs of letters and
 * digits), not substrings; `matches regex` searches (unanchored); a missing column reads as empty.
 * Datetimes are the rows' ISO 8601 texts; timespans are seconds. */
#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "socfeed/kql_eval.h"
#include "util/casefold.h"
#include "util/fnv.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "verify/kql/kql_ast.h"
#include "verify/kql/kql_expr.h"

typedef enum { V_NULL, V_BOOL, V_LONG, V_REAL, V_STRING, V_DYNAMIC } vtype;

typedef struct value {
    vtype t;
    bool b;
    int64_t l;
    double r;
    const char *s;
    size_t len;
    const socfeed_event_value *dyn;
} value;

/* A column `extend` added: its value for each row of the run (by row index). */
typedef struct ext_column {
    const char *name;
    value *values;
} ext_column;

typedef struct ctx {
    arena *scratch;
    socfeed_diags *diags;
    const char *name;
    bool failed;
    /* Row context of socfeed_kql_run: the rows, the one being evaluated, the serialized order a
     * sort made (NULL before one: next() and prev() need it) with the row's place in it, and the
     * columns extend added. Empty for a lone expression and for summarized rows. */
    const socfeed_event_value *const *rows;
    size_t row;
    const size_t *serial;
    size_t nserial, pos;
    ext_column *ext;
    size_t next;
} ctx;

/* ---- string operators ---- */


static bool is_term_char(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80; }

/* `has`: rhs occurs in lhs at term boundaries (KQL indexes terms of 1+ alphanumeric characters). */
static bool has_term(const char *l, size_t ll, const char *r, size_t rl) {
    if (rl == 0) return true;
    for (size_t i = 0; i + rl <= ll; i++) {
        if (memcmp(l + i, r, rl)) continue;
        bool start_ok = i == 0 || !is_term_char((unsigned char)r[0]) || !is_term_char((unsigned char)l[i - 1]);
        bool end_ok = i + rl == ll || !is_term_char((unsigned char)r[rl - 1]) || !is_term_char((unsigned char)l[i + rl]);
        if (start_ok && end_ok) return true;
    }
    return false;
}

static bool base_string_op(const char *op, const char *l, size_t ll, const char *r, size_t rl, bool *known) {
    *known = true;
    if (!strcmp(op, "==")) return ll == rl && !memcmp(l, r, ll);
    if (!strcmp(op, "contains")) return rl == 0 || memmem(l, ll, r, rl) != NULL;
    if (!strcmp(op, "startswith")) return rl <= ll && !memcmp(l, r, rl);
    if (!strcmp(op, "endswith")) return rl <= ll && !memcmp(l + ll - rl, r, rl);
    if (!strcmp(op, "has")) return has_term(l, ll, r, rl);
    *known = false;
    return false;
}

bool socfeed_kql_string_op(const char *op, const char *lhs, size_t ll, const char *rhs, size_t rl, bool *known) {
    bool negate = false, cased = false;
    char base[32];
    if (op[0] == '!' && op[1] != '=' && op[1] != '~') { negate = true; op++; }
    if (!strcmp(op, "!=")) { negate = true; op = "=="; }
    if (!strcmp(op, "!~")) { negate = true; op = "=~"; }
    snprintf(base, sizeof base, "%s", op);
    size_t bl = strlen(base);
    if (bl > 3 && !strcmp(base + bl - 3, "_cs")) { cased = true; base[bl - 3] = 0; }
    if (!strcmp(base, "==")) cased = true;
    if (!strcmp(base, "=~")) strcpy(base, "==");
    bool result;
    if (cased) {
        result = base_string_op(base, lhs, ll, rhs, rl, known);
    } else {
        /* Short operands fold on the stack (this runs once per row and operator, millions of
         * times in a corpus-wide verify). */
        char lbuf[1024], rbuf[256];
        char *lf = casefold_max(ll) <= sizeof lbuf ? lbuf : xmalloc(casefold_max(ll));
        char *rf = casefold_max(rl) <= sizeof rbuf ? rbuf : xmalloc(casefold_max(rl));
        size_t fl = casefold_utf8(lhs, ll, lf), fr = casefold_utf8(rhs, rl, rf);
        result = base_string_op(base, lf, fl, rf, fr, known);
        if (lf != lbuf) free(lf);
        if (rf != rbuf) free(rf);
    }
    if (known && !*known) return false;
    return negate ? !result : result;
}

/* ---- values ---- */

static value from_event(const socfeed_event_value *v) {
    value out = {0};
    if (!v) return out;
    switch (v->type) {
    case SOCFEED_EV_NULL: break;
    case SOCFEED_EV_BOOL: out.t = V_BOOL; out.b = v->as.b; break;
    case SOCFEED_EV_INT: out.t = V_LONG; out.l = v->as.i; break;
    case SOCFEED_EV_UINT: out.t = V_REAL; out.r = (double)v->as.u; break;
    case SOCFEED_EV_REAL: out.t = V_REAL; out.r = strtod(v->as.s, NULL); break;
    case SOCFEED_EV_STRING: out.t = V_STRING; out.s = v->as.s; out.len = v->len; break;
    default: out.t = V_DYNAMIC; out.dyn = v; break;
    }
    return out;
}

static const char *to_text(ctx *c, const value *v, size_t *len) {
    char buf[64];
    switch (v->t) {
    case V_STRING: *len = v->len; return v->s;
    case V_NULL: *len = 0; return "";
    case V_BOOL: *len = v->b ? 4 : 5; return v->b ? "true" : "false";
    case V_LONG: snprintf(buf, sizeof buf, "%lld", (long long)v->l); break;
    case V_REAL: snprintf(buf, sizeof buf, "%.17g", v->r); break;
    case V_DYNAMIC: {
        char *json = socfeed_event_to_json(v->dyn);
        char *copy = arena_strdup(c->scratch, json);
        free(json);
        *len = strlen(copy);
        return copy;
    }
    }
    *len = strlen(buf);
    return arena_strdup(c->scratch, buf);
}

static bool to_number(const value *v, double *out) {
    if (v->t == V_LONG) { *out = (double)v->l; return true; }
    if (v->t == V_REAL) { *out = v->r; return true; }
    if (v->t == V_BOOL) { *out = v->b; return true; }
    if (v->t == V_STRING && v->len) {
        char buf[64];
        if (v->len >= sizeof buf) return false;
        memcpy(buf, v->s, v->len);
        buf[v->len] = 0;
        char *end;
        *out = strtod(buf, &end);
        return *end == 0;
    }
    return false;
}

/* A datetime as the rows hold it (ISO 8601, UTC), in seconds since the epoch; NaN if it is none. */
static double parse_time(const char *s, size_t len) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    char buf[64];
    if (len >= sizeof buf) return NAN;
    memcpy(buf, s, len);
    buf[len] = 0;
    const char *rest = strptime(buf, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!rest) return NAN;
    double frac = *rest == '.' ? strtod(rest, NULL) : 0;
    return (double)timegm(&tm) + frac;
}

/* Seconds since the epoch as a datetime text with KQL's seven decimals. A double holds today's
 * times to about 0.2 µs, so the text is rounded to the microsecond (the last decimal is 0). */
static value time_value(ctx *c, double secs) {
    /* KQL's datetime range, years 1 to 9999; checked first, NaN included: outside it a conversion to
     * an integer is undefined (fuzz_kql: `T + 99…9d`) */
    if (!(secs > -62135596800.0 && secs < 253402300799.0)) return (value){0};
    double whole = floor(secs);
    long long micros = llround((secs - whole) * 1e6);
    if (micros >= 1000000) {
        whole += 1;
        micros -= 1000000;
    }
    time_t t = (time_t)whole;
    struct tm tm;
    char buf[64];
    if (!gmtime_r(&t, &tm)) return (value){0};
    size_t len = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + len, sizeof buf - len, ".%06lld0Z", micros);
    const char *out = arena_strdup(c->scratch, buf);
    return (value){.t = V_STRING, .s = out, .len = strlen(out)};
}

static bool truthy(const value *v) { return v->t == V_BOOL ? v->b : v->t == V_LONG ? v->l != 0 : false; }

static value make_bool(bool b) { return (value){.t = V_BOOL, .b = b}; }

static void runtime_error(ctx *c, const kql_node *n, const char *msg) {
    if (c->failed) return;
    c->failed = true;
    socfeed_diag_add(c->diags, SOCFEED_ERROR, c->name, n->pos, "kql-runtime", "%s", msg);
}

static bool ip_in_range(const char *ip, size_t iplen, const char *range, size_t rlen, int family) {
    char a[64], r[80];
    if (iplen >= sizeof a || rlen >= sizeof r) return false;
    memcpy(a, ip, iplen);
    a[iplen] = 0;
    memcpy(r, range, rlen);
    r[rlen] = 0;
    unsigned bits = family == 4 ? 32 : 128, prefix = bits;
    char *slash = strchr(r, '/');
    if (slash) {
        *slash = 0;
        prefix = (unsigned)atoi(slash + 1);
        if (prefix > bits) return false;
    }
    unsigned char x[16], y[16];
    int af = family == 4 ? AF_INET : AF_INET6;
    if (inet_pton(af, a, x) != 1 || inet_pton(af, r, y) != 1) return false;
    for (unsigned i = 0; i < prefix; i++) {
        unsigned char m = (unsigned char)(0x80 >> (i % 8));
        if ((x[i / 8] & m) != (y[i / 8] & m)) return false;
    }
    return true;
}

static value eval(ctx *c, const kql_node *n, const socfeed_event_value *row);

static value eval_column(ctx *c, const kql_node *n, const socfeed_event_value *row) {
    for (size_t k = c->next; k-- > 0;) { /* the latest extend of a name wins, as it replaces the column */
        if (strcmp(c->ext[k].name, n->text)) continue;
        value v = c->ext[k].values[c->row];
        if (!n->npath) return v;
        const socfeed_event_value *d = v.t == V_DYNAMIC ? v.dyn : NULL;
        for (size_t i = 0; d && i < n->npath; i++) d = socfeed_event_get(d, n->path[i]);
        return from_event(d);
    }
    const socfeed_event_value *v = socfeed_event_get(row, n->text);
    for (size_t i = 0; v && i < n->npath; i++) v = socfeed_event_get(v, n->path[i]);
    return from_event(v);
}

/* next(column, offset, default) / prev(…): the column of the row `offset` places after (before)
 * this one in the serialized order; past either end the default, else null. */
static value eval_neighbour(ctx *c, const kql_node *n) {
    if (!c->serial) {
        runtime_error(c, n, "next() and prev() need a serialized row set (sort it first)");
        return (value){0};
    }
    size_t off = n->nargs >= 2 ? (size_t)n->args[1]->int_value : 1;
    bool forward = n->text[0] == 'n';
    bool inside = forward ? off < c->nserial - c->pos : off <= c->pos;
    if (!inside) return n->nargs == 3 ? eval(c, n->args[2], c->rows[c->row]) : (value){0};
    size_t saved_row = c->row, saved_pos = c->pos;
    c->pos = forward ? c->pos + off : c->pos - off;
    c->row = c->serial[c->pos];
    value v = eval(c, n->args[0], c->rows[c->row]);
    c->row = saved_row;
    c->pos = saved_pos;
    return v;
}

/* + and -: numbers and timespans (seconds), datetime ± timespan, datetime - datetime (a
 * timespan). Anything else, or a null operand, is null, as in KQL. */
static value eval_arith(ctx *c, const kql_node *n, const socfeed_event_value *row) {
    value l = eval(c, n->args[0], row), r = eval(c, n->args[1], row);
    bool minus = n->text[0] == '-';
    double x, y;
    if (l.t == V_LONG && r.t == V_LONG) {
        int64_t out;
        if (minus ? __builtin_sub_overflow(l.l, r.l, &out) : __builtin_add_overflow(l.l, r.l, &out)) return (value){0};
        return (value){.t = V_LONG, .l = out};
    }
    bool lnum = l.t != V_STRING && to_number(&l, &x), rnum = r.t != V_STRING && to_number(&r, &y);
    if (lnum && rnum) return (value){.t = V_REAL, .r = minus ? x - y : x + y};
    double lt = l.t == V_STRING ? parse_time(l.s, l.len) : NAN, rt = r.t == V_STRING ? parse_time(r.s, r.len) : NAN;
    if (!isnan(lt) && !isnan(rt) && minus) return (value){.t = V_REAL, .r = lt - rt};
    if (!isnan(lt) && rnum) return time_value(c, minus ? lt - y : lt + y);
    if (lnum && !isnan(rt) && !minus) return time_value(c, x + rt);
    return (value){0};
}

static value eval_call(ctx *c, const kql_node *n, const socfeed_event_value *row) {
    const char *f = n->text;
    if (!strcmp(f, "next") || !strcmp(f, "prev")) return eval_neighbour(c, n);
    value a0 = n->nargs ? eval(c, n->args[0], row) : (value){0};
    size_t len;
    if (!strcmp(f, "isempty") || !strcmp(f, "isnull")) {
        if (!strcmp(f, "isnull")) return make_bool(a0.t == V_NULL);
        to_text(c, &a0, &len);
        return make_bool(a0.t == V_NULL || (a0.t == V_STRING && len == 0));
    }
    if (!strcmp(f, "isnotempty") || !strcmp(f, "isnotnull")) {
        if (!strcmp(f, "isnotnull")) return make_bool(a0.t != V_NULL);
        return make_bool(!(a0.t == V_NULL || (a0.t == V_STRING && a0.len == 0)));
    }
    if (!strcmp(f, "ipv4_is_in_range") || !strcmp(f, "ipv6_is_in_range")) {
        if (n->nargs != 2) { runtime_error(c, n, "unsupported KQL: ip range functions take two arguments"); return (value){0}; }
        value a1 = eval(c, n->args[1], row);
        size_t l0, l1;
        const char *s0 = to_text(c, &a0, &l0), *s1 = to_text(c, &a1, &l1);
        return make_bool(ip_in_range(s0, l0, s1, l1, f[3] == '4' ? 4 : 6));
    }
    if (!strcmp(f, "tostring")) {
        value out = {.t = V_STRING};
        out.s = to_text(c, &a0, &out.len);
        return out;
    }
    if (!strcmp(f, "toint") || !strcmp(f, "tolong")) {
        double d;
        /* NaN and values past the 64-bit range have no long: null, never an undefined conversion */
        if (!to_number(&a0, &d) || !(d > -9223372036854775808.0 && d < 9223372036854775808.0)) return (value){0};
        return (value){.t = V_LONG, .l = (int64_t)d};
    }
    if (!strcmp(f, "tolower") || !strcmp(f, "toupper")) {
        const char *s = to_text(c, &a0, &len);
        char *o = arena_alloc(c->scratch, casefold_max(len));
        if (f[2] == 'l') len = casefold_utf8(s, len, o);
        else for (size_t i = 0; i < len; i++) o[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
        return (value){.t = V_STRING, .s = o, .len = len};
    }
    if (!strcmp(f, "tobool") || !strcmp(f, "toboolean")) {
        /* "true"/"false" in any case, or a number (non-zero is true); anything else is null. */
        if (a0.t == V_BOOL) return a0;
        if (a0.t == V_LONG) return make_bool(a0.l != 0);
        if (a0.t == V_REAL) return make_bool(a0.r != 0);
        const char *s = to_text(c, &a0, &len);
        if (len == 4 && !strncasecmp(s, "true", 4)) return make_bool(true);
        if (len == 5 && !strncasecmp(s, "false", 5)) return make_bool(false);
        double d;
        if (a0.t == V_STRING && to_number(&a0, &d)) return make_bool(d != 0);
        return (value){0};
    }
    /* Conditional and concatenation: the converter rebuilds Sigma fields from split columns with them
     * (registry key + value name, DOMAIN\\user, network direction); the normalizer builds columns. */
    if (!strcmp(f, "iff") || !strcmp(f, "iif")) {
        if (n->nargs != 3) { runtime_error(c, n, "unsupported KQL: iff() takes three arguments"); return (value){0}; }
        return eval(c, n->args[truthy(&a0) ? 1 : 2], row);
    }
    if (!strcmp(f, "case")) {
        /* case(p1, v1, p2, v2, …, else): the first true predicate's value. */
        if (n->nargs < 3 || n->nargs % 2 == 0) { runtime_error(c, n, "unsupported KQL: case() takes pairs and an else value"); return (value){0}; }
        for (size_t i = 0; i + 1 < n->nargs; i += 2) {
            value p = i ? eval(c, n->args[i], row) : a0;
            if (truthy(&p)) return eval(c, n->args[i + 1], row);
        }
        return eval(c, n->args[n->nargs - 1], row);
    }
    if (!strcmp(f, "coalesce")) {
        /* The first argument that is not null and, for strings, not empty. */
        for (size_t i = 0; i < n->nargs; i++) {
            value v = i ? eval(c, n->args[i], row) : a0;
            if (v.t != V_NULL && !(v.t == V_STRING && v.len == 0)) return v;
        }
        return n->nargs ? a0 : (value){0};
    }
    if (!strcmp(f, "strcat")) {
        strbuf sb;
        sb_init(&sb);
        for (size_t i = 0; i < n->nargs; i++) {
            value v = i ? eval(c, n->args[i], row) : a0;
            const char *s = to_text(c, &v, &len);
            sb_append(&sb, s, len);
        }
        value out = {.t = V_STRING, .len = sb.len};
        out.s = arena_memdup(c->scratch, sb.data ? sb.data : "", sb.len + 1);
        sb_free(&sb);
        return out;
    }
    if (!strcmp(f, "extract")) {
        /* extract(regex, group, text): the group's text of the first match, else empty. */
        value text = eval(c, n->args[2], row);
        const char *s = to_text(c, &text, &len);
        pcre2_match_data *md = pcre2_match_data_create_from_pattern(n->regex, NULL);
        int rc = pcre2_match(n->regex, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
        value out = {.t = V_STRING, .s = "", .len = 0};
        uint32_t group = (uint32_t)n->args[1]->int_value;
        if (rc > 0 && group < (uint32_t)rc) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            if (ov[2 * group] != PCRE2_UNSET) {
                out.len = ov[2 * group + 1] - ov[2 * group];
                out.s = arena_strndup(c->scratch, s + ov[2 * group], out.len);
            }
        }
        pcre2_match_data_free(md);
        return out;
    }
    if (!strcmp(f, "replace_string")) {
        /* replace_string(text, lookup, rewrite): every non-overlapping occurrence, case-sensitive. */
        if (n->nargs != 3) { runtime_error(c, n, "unsupported KQL: replace_string() takes three arguments"); return (value){0}; }
        value lv = eval(c, n->args[1], row), rv = eval(c, n->args[2], row);
        size_t ll, rl;
        const char *s = to_text(c, &a0, &len), *look = to_text(c, &lv, &ll), *rew = to_text(c, &rv, &rl);
        strbuf sb;
        sb_init(&sb);
        for (size_t i = 0; i < len;) {
            if (ll && i + ll <= len && !memcmp(s + i, look, ll)) {
                sb_append(&sb, rew, rl);
                i += ll;
            } else {
                sb_append(&sb, s + i, 1);
                i++;
            }
        }
        value out = {.t = V_STRING, .len = sb.len};
        out.s = arena_memdup(c->scratch, sb.data ? sb.data : "", sb.len + 1);
        sb_free(&sb);
        return out;
    }
    if (!strcmp(f, "strlen")) {
        to_text(c, &a0, &len);
        return (value){.t = V_LONG, .l = (int64_t)len};
    }
    runtime_error(c, n, "unsupported KQL: function outside summarize");
    return (value){0};
}

static value eval_binary(ctx *c, const kql_node *n, const socfeed_event_value *row) {
    value l = eval(c, n->args[0], row), r = eval(c, n->args[1], row);
    const char *op = n->text;
    static const char *const numeric_ops[] = {"<", "<=", ">", ">=", NULL};
    bool is_numeric_op = false;
    for (size_t i = 0; numeric_ops[i]; i++) is_numeric_op |= !strcmp(op, numeric_ops[i]);
    double x, y;
    if (is_numeric_op) {
        /* numbers and timespans by value, two datetimes by time */
        bool numbers = to_number(&l, &x) && to_number(&r, &y);
        if (!numbers && l.t == V_STRING && r.t == V_STRING) {
            x = parse_time(l.s, l.len);
            y = parse_time(r.s, r.len);
            numbers = !isnan(x) && !isnan(y);
        }
        if (!numbers) return make_bool(false);
        return make_bool(op[0] == '<' ? (op[1] ? x <= y : x < y) : (op[1] ? x >= y : x > y));
    }
    /* `==`/`!=` between numbers compare numerically; with a string on one side, as text. */
    if ((!strcmp(op, "==") || !strcmp(op, "!=")) && (l.t == V_LONG || l.t == V_REAL || r.t == V_LONG || r.t == V_REAL) &&
        to_number(&l, &x) && to_number(&r, &y))
        return make_bool((x == y) == !strcmp(op, "=="));
    if (l.t == V_NULL && (!strcmp(op, "==") || !strcmp(op, "=~"))) return make_bool(false);
    size_t ll, rl;
    const char *ls = to_text(c, &l, &ll), *rs = to_text(c, &r, &rl);
    bool known;
    bool result = socfeed_kql_string_op(op, ls, ll, rs, rl, &known);
    if (!known) runtime_error(c, n, "unsupported KQL: operator");
    return make_bool(result);
}

static value eval_in(ctx *c, const kql_node *n, const socfeed_event_value *row) {
    const char *op = n->text;
    bool negate = op[0] == '!';
    if (negate) op++;
    value l = eval(c, n->args[0], row);
    size_t ll;
    const char *ls = to_text(c, &l, &ll);
    bool all = !strcmp(op, "has_all"), any_hit = false, all_hit = true;
    const char *item_op = !strcmp(op, "in") ? "==" : !strcmp(op, "in~") ? "=~" : "has";
    for (size_t i = 1; i < n->nargs; i++) {
        value r = eval(c, n->args[i], row);
        double x, y;
        bool hit;
        if (!strcmp(op, "in") && (l.t == V_LONG || l.t == V_REAL) && to_number(&l, &x) && to_number(&r, &y)) {
            hit = x == y;
        } else {
            size_t rl;
            const char *rs = to_text(c, &r, &rl);
            bool known;
            hit = socfeed_kql_string_op(item_op, ls, ll, rs, rl, &known);
        }
        any_hit |= hit;
        all_hit &= hit;
    }
    bool result = all ? all_hit : any_hit;
    return make_bool(negate ? !result : result);
}

static value eval(ctx *c, const kql_node *n, const socfeed_event_value *row) {
    if (c->failed) return (value){0};
    switch (n->kind) {
    case KN_LITERAL_STRING: return (value){.t = V_STRING, .s = n->text, .len = n->len};
    case KN_LITERAL_NUMBER:
        return n->is_int ? (value){.t = V_LONG, .l = n->int_value} : (value){.t = V_REAL, .r = n->number};
    case KN_LITERAL_TIMESPAN: return (value){.t = V_REAL, .r = n->number};
    case KN_LITERAL_BOOL: return make_bool(n->int_value != 0);
    case KN_COLUMN: return eval_column(c, n, row);
    case KN_ARITH: return eval_arith(c, n, row);
    case KN_AND:
        for (size_t i = 0; i < n->nargs; i++) {
            value v = eval(c, n->args[i], row);
            if (!truthy(&v)) return make_bool(false);
        }
        return make_bool(true);
    case KN_OR:
        for (size_t i = 0; i < n->nargs; i++) {
            value v = eval(c, n->args[i], row);
            if (truthy(&v)) return make_bool(true);
        }
        return make_bool(false);
    case KN_NOT: {
        value v = eval(c, n->args[0], row);
        return make_bool(!truthy(&v));
    }
    case KN_BINARY: return eval_binary(c, n, row);
    case KN_IN: return eval_in(c, n, row);
    case KN_REGEX: {
        value v = eval(c, n->args[0], row);
        size_t len;
        const char *s = to_text(c, &v, &len);
        pcre2_match_data *md = pcre2_match_data_create(1, NULL);
        int rc = pcre2_match(n->regex, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
        pcre2_match_data_free(md);
        return make_bool(rc >= 0);
    }
    case KN_CALL: return eval_call(c, n, row);
    }
    return (value){0};
}

/* ---- the row stages: where, extend, sort ---- */

/* The rows a stage reads, in order: the serialized order after a sort, else every live row. */
typedef struct row_set {
    size_t *order;
    size_t n;
    bool serialized;
} row_set;

/* Evaluates `e` on the k-th row of the set, with next()/prev() reading its neighbours. */
static value eval_at(ctx *c, const row_set *set, size_t k, const kql_node *e) {
    c->row = set->order[k];
    c->serial = set->serialized ? set->order : NULL;
    c->nserial = set->n;
    c->pos = k;
    return eval(c, e, c->rows[c->row]);
}

/* A where reads the whole set before it drops rows: next() sees the rows as they came in. */
static void stage_where(ctx *c, row_set *set, const kql_node *predicate) {
    bool *keep = xcalloc(set->n + 1, sizeof *keep);
    for (size_t k = 0; k < set->n; k++) {
        value v = eval_at(c, set, k, predicate);
        keep[k] = truthy(&v);
    }
    size_t m = 0;
    for (size_t k = 0; k < set->n; k++)
        if (keep[k]) set->order[m++] = set->order[k];
    set->n = m;
    free(keep);
}

static void stage_extend(ctx *c, row_set *set, const kql_stage *st, size_t nrows) {
    value *values = arena_alloc(c->scratch, (nrows + 1) * sizeof *values);
    memset(values, 0, (nrows + 1) * sizeof *values);
    for (size_t k = 0; k < set->n; k++) values[set->order[k]] = eval_at(c, set, k, st->predicate);
    ext_column *ext = arena_alloc(c->scratch, (c->next + 1) * sizeof *ext);
    if (c->next) memcpy(ext, c->ext, c->next * sizeof *ext);
    ext[c->next++] = (ext_column){st->column, values};
    c->ext = ext;
}

/* A value to order, with its time read once (NaN unless it is a datetime text): a sort compares
 * each key about log n times, and strptime is the costly part. */
typedef struct ordered {
    value v;
    double time;
} ordered;

static ordered ordered_of(value v) {
    return (ordered){v, v.t == V_STRING ? parse_time(v.s, v.len) : NAN};
}

/* KQL's order: nulls below everything (first ascending, last descending); numbers by value,
 * datetimes by time, other text by its bytes. */
static int compare_values(const ordered *oa, const ordered *ob) {
    const value *a = &oa->v, *b = &ob->v;
    if (a->t == V_NULL || b->t == V_NULL) return (b->t == V_NULL) - (a->t == V_NULL);
    double x, y;
    if (a->t != V_STRING && b->t != V_STRING && a->t != V_DYNAMIC && b->t != V_DYNAMIC && to_number(a, &x) &&
        to_number(b, &y))
        return (x > y) - (x < y);
    if (a->t == V_STRING && b->t == V_STRING) {
        if (!isnan(oa->time) && !isnan(ob->time)) return (oa->time > ob->time) - (oa->time < ob->time);
        int r = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
        return r ? r : (a->len > b->len) - (a->len < b->len);
    }
    return (int)a->t - (int)b->t;
}

typedef struct sort_keys {
    const ordered *keys; /* nby per row, by the row's position in the set before sorting */
    const bool *descending;
    size_t nby;
} sort_keys;

static int compare_rows(const sort_keys *sk, size_t x, size_t y) {
    for (size_t b = 0; b < sk->nby; b++) {
        int r = compare_values(&sk->keys[x * sk->nby + b], &sk->keys[y * sk->nby + b]);
        if (r) return sk->descending[b] ? -r : r;
    }
    return 0;
}

/* A stable merge sort of positions: qsort takes no context and is not stable, and with equal keys
 * kept in the order they came in, a run is deterministic. */
static void merge_sort(const sort_keys *sk, size_t *pos, size_t *tmp, size_t n) {
    if (n < 2) return;
    size_t half = n / 2;
    merge_sort(sk, pos, tmp, half);
    merge_sort(sk, pos + half, tmp, n - half);
    size_t i = 0, j = half, k = 0;
    while (i < half && j < n) tmp[k++] = compare_rows(sk, pos[j], pos[i]) < 0 ? pos[j++] : pos[i++];
    while (i < half) tmp[k++] = pos[i++];
    while (j < n) tmp[k++] = pos[j++];
    memcpy(pos, tmp, n * sizeof *pos);
}

static void stage_sort(ctx *c, row_set *set, const kql_stage *st) {
    ordered *keys = xcalloc(set->n * st->nby + 1, sizeof *keys);
    for (size_t k = 0; k < set->n; k++)
        for (size_t b = 0; b < st->nby; b++) keys[k * st->nby + b] = ordered_of(eval_at(c, set, k, st->by[b]));
    size_t *pos = xcalloc(set->n + 1, sizeof *pos), *tmp = xcalloc(set->n + 1, sizeof *tmp);
    for (size_t k = 0; k < set->n; k++) pos[k] = k;
    sort_keys sk = {keys, st->descending, st->nby};
    merge_sort(&sk, pos, tmp, set->n);
    for (size_t k = 0; k < set->n; k++) tmp[k] = set->order[pos[k]];
    memcpy(set->order, tmp, set->n * sizeof *tmp);
    set->serialized = true;
    free(pos);
    free(tmp);
    free(keys);
}

/* ---- summarize ---- */

typedef struct group {
    char *key;
    size_t *members;       /* row indexes (malloc) */
    size_t nmembers, cap;
    socfeed_event_value row; /* the summarized row: by columns then aggregates */
} group;

static const char *group_key_part(ctx *c, const kql_node *e, const socfeed_event_value *row, value *out) {
    if (e->kind == KN_CALL && !strcmp(e->text, "bin") && e->nargs == 2) {
        value t = eval(c, e->args[0], row), span = eval(c, e->args[1], row);
        size_t len;
        const char *s = to_text(c, &t, &len);
        double secs = parse_time(s, len), width;
        if (!to_number(&span, &width) || width <= 0 || isnan(secs)) *out = (value){0};
        else *out = (value){.t = V_REAL, .r = floor(secs / width) * width};
    } else {
        *out = eval(c, e, row);
    }
    size_t len;
    return to_text(c, out, &len);
}

static socfeed_event_value to_event(ctx *c, const value *v) {
    socfeed_event_value e = {0};
    switch (v->t) {
    case V_NULL: break;
    case V_BOOL: e.type = SOCFEED_EV_BOOL; e.as.b = v->b; break;
    case V_LONG: e.type = SOCFEED_EV_INT; e.as.i = v->l; break;
    case V_REAL: {
        char buf[64];
        snprintf(buf, sizeof buf, "%.17g", v->r);
        e.type = SOCFEED_EV_REAL;
        e.as.s = arena_strdup(c->scratch, buf);
        e.len = (uint32_t)strlen(buf);
        break;
    }
    case V_STRING: e.type = SOCFEED_EV_STRING; e.as.s = v->s; e.len = (uint32_t)v->len; break;
    case V_DYNAMIC: e = *v->dyn; break;
    }
    return e;
}

static int by_text(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

static uint64_t hash_text(const char *s) { return fnv1a(FNV1A_OFFSET, s, strlen(s)); }

/* An aggregate's argument on one member row of a group. */
static value member_value(ctx *c, const kql_node *arg, size_t row) {
    c->row = row;
    return eval(c, arg, c->rows[row]);
}

static value aggregate(ctx *c, const kql_agg *agg, const group *g) {
    if (!strcmp(agg->func, "count")) return (value){.t = V_LONG, .l = (int64_t)g->nmembers};
    if (!strcmp(agg->func, "dcount")) { /* sorted, then counted: a large group stays n log n */
        const char **texts = xcalloc(g->nmembers + 1, sizeof *texts);
        for (size_t i = 0; i < g->nmembers; i++) {
            value v = member_value(c, agg->arg, g->members[i]);
            size_t len;
            texts[i] = arena_strdup(c->scratch, to_text(c, &v, &len));
        }
        if (g->nmembers > 1) qsort(texts, g->nmembers, sizeof *texts, by_text);
        size_t distinct = 0;
        for (size_t i = 0; i < g->nmembers; i++) distinct += i == 0 || strcmp(texts[i - 1], texts[i]) != 0;
        free(texts);
        return (value){.t = V_LONG, .l = (int64_t)distinct};
    }
    bool is_min = !strcmp(agg->func, "min"), is_max = !strcmp(agg->func, "max");
    double sum = 0;
    size_t n = 0;
    ordered best = {{0}, NAN};
    for (size_t i = 0; i < g->nmembers; i++) {
        value v = member_value(c, agg->arg, g->members[i]);
        double d = 0;
        bool number = to_number(&v, &d);
        /* min and max also take datetimes (the rows hold them as text); sum and avg only numbers */
        ordered cand = ordered_of(number ? (value){.t = V_REAL, .r = d} : v);
        if (!number && !((is_min || is_max) && !isnan(cand.time))) continue;
        int order = n ? compare_values(&cand, &best) : 0;
        if (!n || (is_min && order < 0) || (is_max && order > 0)) best = cand;
        sum += d;
        n++;
    }
    if (!n) return (value){0};
    if (is_min || is_max) return best.v;
    return (value){.t = V_REAL, .r = !strcmp(agg->func, "sum") ? sum : sum / (double)n};
}

/* Groups the set's rows by the `by` keys. Groups are found by a hash of their key, and members grow
 * as they come, so many groups or large ones stay n log n in time and linear in memory. */
static size_t summarize(ctx *c, const row_set *set, const kql_stage *st, group **out) {
    group *groups = NULL;
    size_t ngroups = 0, cap = 0, slots = 64;
    size_t *slot = xcalloc(slots, sizeof *slot); /* group index + 1, 0 empty */
    c->serial = NULL; /* next()/prev() have no meaning inside summarize */
    for (size_t k = 0; k < set->n; k++) {
        size_t i = set->order[k];
        c->row = i;
        strbuf key;
        sb_init(&key);
        for (size_t b = 0; b < st->nby; b++) {
            value part;
            sb_puts(&key, group_key_part(c, st->by[b], c->rows[i], &part));
            sb_putc(&key, '\x1f');
        }
        const char *text = key.data ? key.data : "";
        size_t p = hash_text(text) & (slots - 1);
        while (slot[p] && strcmp(groups[slot[p] - 1].key, text)) p = (p + 1) & (slots - 1);
        size_t g = slot[p] ? slot[p] - 1 : ngroups;
        if (g == ngroups) {
            if (ngroups == cap) groups = xrealloc(groups, (cap = cap ? cap * 2 : 16) * sizeof *groups);
            memset(&groups[g], 0, sizeof *groups);
            groups[g].key = arena_strdup(c->scratch, text);
            slot[p] = g + 1;
            if (2 * (ngroups + 1) > slots) { /* keep the table at most half full */
                free(slot);
                slot = xcalloc(slots *= 2, sizeof *slot);
                for (size_t x = 0; x <= g; x++) {
                    size_t q = hash_text(groups[x].key) & (slots - 1);
                    while (slot[q]) q = (q + 1) & (slots - 1);
                    slot[q] = x + 1;
                }
            }
            socfeed_event_member *m = arena_alloc(c->scratch, (st->nby + st->naggs + 1) * sizeof *m);
            for (size_t b = 0; b < st->nby; b++) {
                value part;
                group_key_part(c, st->by[b], c->rows[i], &part);
                m[b] = (socfeed_event_member){st->by_names[b], (uint32_t)strlen(st->by_names[b]), to_event(c, &part)};
            }
            groups[g].row = (socfeed_event_value){.type = SOCFEED_EV_OBJECT, .len = (uint32_t)st->nby, .as.members = m};
            ngroups++;
        }
        if (groups[g].nmembers == groups[g].cap)
            groups[g].members = xrealloc(groups[g].members, (groups[g].cap = groups[g].cap ? groups[g].cap * 2 : 4) * sizeof *groups[g].members);
        groups[g].members[groups[g].nmembers++] = i;
        sb_free(&key);
    }
    free(slot);
    for (size_t g = 0; g < ngroups; g++) {
        socfeed_event_member *m = (socfeed_event_member *)groups[g].row.as.members;
        for (size_t a = 0; a < st->naggs; a++) {
            value v = aggregate(c, &st->aggs[a], &groups[g]);
            m[st->nby + a] = (socfeed_event_member){st->aggs[a].name, (uint32_t)strlen(st->aggs[a].name), to_event(c, &v)};
        }
        groups[g].row.len = (uint32_t)(st->nby + st->naggs);
    }
    *out = groups;
    return ngroups;
}

int socfeed_kql_run(const socfeed_kql_query *q, const socfeed_event_value *const *rows, size_t n, bool *selected,
                    socfeed_diags *diags) {
    arena scratch;
    arena_init(&scratch);
    ctx c = {.scratch = &scratch, .diags = diags, .name = "query", .rows = rows};
    row_set set = {xcalloc(n + 1, sizeof *set.order), n, false};
    for (size_t i = 0; i < n; i++) set.order[i] = i;
    group *groups = NULL;
    size_t ngroups = 0;
    bool summarized = false;
    for (size_t s = 0; s < q->nstages && !c.failed; s++) {
        const kql_stage *st = &q->stages[s];
        if (summarized && st->kind == KS_WHERE) {
            c.next = 0; /* a summarized row has only the columns summarize made */
            c.serial = NULL;
            for (size_t g = 0; g < ngroups; g++)
                if (groups[g].nmembers) {
                    value v = eval(&c, st->predicate, &groups[g].row);
                    if (!truthy(&v)) groups[g].nmembers = 0;
                }
        } else if (summarized) {
            socfeed_diag_add(diags, SOCFEED_ERROR, "query", (socfeed_pos){0, 0}, "kql-unsupported",
                             "unsupported KQL: only where may follow summarize");
            c.failed = true;
        } else if (st->kind == KS_WHERE) {
            stage_where(&c, &set, st->predicate);
        } else if (st->kind == KS_EXTEND) {
            stage_extend(&c, &set, st, n);
        } else if (st->kind == KS_SORT) {
            stage_sort(&c, &set, st);
        } else {
            summarized = true;
            ngroups = summarize(&c, &set, st, &groups);
        }
    }
    if (n) memset(selected, 0, n * sizeof *selected);
    if (!summarized)
        for (size_t k = 0; k < set.n; k++) selected[set.order[k]] = true;
    else
        for (size_t g = 0; g < ngroups; g++)
            for (size_t k = 0; k < groups[g].nmembers; k++) selected[groups[g].members[k]] = true;
    for (size_t g = 0; g < ngroups; g++) free(groups[g].members);
    free(groups);
    free(set.order);
    arena_free(&scratch);
    return c.failed ? -1 : 0;
}

/* ---- one expression (the normalizer's columns) ---- */

socfeed_event_value kql_copy_value(arena *a, const socfeed_event_value *v) {
    socfeed_event_value out = *v;
    if (v->type == SOCFEED_EV_STRING || v->type == SOCFEED_EV_REAL) out.as.s = arena_memdup(a, v->as.s, (size_t)v->len + 1);
    if (v->type == SOCFEED_EV_ARRAY) {
        socfeed_event_value *items = arena_alloc(a, ((size_t)v->len + 1) * sizeof *items);
        for (uint32_t i = 0; i < v->len; i++) items[i] = kql_copy_value(a, &v->as.items[i]);
        out.as.items = items;
    }
    if (v->type == SOCFEED_EV_OBJECT) {
        socfeed_event_member *m = arena_alloc(a, ((size_t)v->len + 1) * sizeof *m);
        for (uint32_t i = 0; i < v->len; i++) {
            m[i].key = arena_memdup(a, v->as.members[i].key, (size_t)v->as.members[i].key_len + 1);
            m[i].key_len = v->as.members[i].key_len;
            m[i].value = kql_copy_value(a, &v->as.members[i].value);
        }
        out.as.members = m;
    }
    return out;
}

int kql_eval_expression(const socfeed_kql_query *q, const socfeed_event_value *row, arena *out,
                        socfeed_event_value *result, socfeed_diags *diags) {
    arena scratch;
    arena_init(&scratch);
    ctx c = {.scratch = &scratch, .diags = diags, .name = "expression"};
    value v = eval(&c, q->stages[0].predicate, row);
    socfeed_event_value e = to_event(&c, &v);
    *result = c.failed ? (socfeed_event_value){0} : kql_copy_value(out, &e);
    arena_free(&scratch);
    return c.failed ? -1 : 0;
}
