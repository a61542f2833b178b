/* kql_internal.h — the loaded form of a target mapping and the rendering context shared by the
 * files of src/backends/kql/ (mapping_load.c, kql_text.c, value_render.c, condition_render.c,
 * correlation_render.c). Internal. */
#ifndef SOCFEED_BACKENDS_KQL_INTERNAL_H
#define SOCFEED_BACKENDS_KQL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "socfeed/kql.h"
#include "util/arena.h"
#include "util/strbuf.h"

typedef enum kql_field_kind { KF_COLUMN, KF_EXPR, KF_HASHES, KF_UNMAPPED } kql_field_kind;
typedef enum kql_col_type { KT_STR, KT_INT, KT_LONG } kql_col_type;

typedef struct kql_rewrite {
    const char *from;
    const char *to;     /* NULL when refused */
    const char *refuse; /* reason */
} kql_rewrite;

typedef struct kql_pair {
    const char *key, *value;
} kql_pair;

typedef struct kql_field {
    const char *sigma;  /* Sigma field name (case-sensitive) */
    kql_field_kind kind;
    const char *lhs;    /* rendered left-hand side: Col, tostring(EventData.X), (expr) */
    kql_col_type type;
    kql_rewrite *rewrites;
    size_t nrewrites;
    kql_pair *value_map;
    size_t nvalue_map;
    bool value_map_strict;
    const char *transform; /* named transform, docs/mappings.md §2.7 */
    const char *guard;     /* rendered guard predicate (already parenthesised), or NULL */
    kql_pair *hashes;      /* KF_HASHES: ALGO → column */
    size_t nhashes;
    const char *reason;    /* KF_UNMAPPED */
} kql_field;

typedef struct kql_logsource {
    const char *id;
    const char *product, *category, *service; /* match keys; NULL = not compared */
    const char *variant;
    const char *table;
    const char *where;         /* rendered fixed conditions joined by " and ", or NULL */
    const char *keyword_field; /* column searched by keyword detections, or NULL (refused) */
    kql_field *fields;
    size_t nfields;
    socfeed_kql_entity *entities; /* own rows; after loading also the target defaults */
    size_t nentities;
    socfeed_kql_entity *own_entities; /* as written in the entry (before defaults) */
    size_t nown_entities;
} kql_logsource;

struct socfeed_kql_target {
    const char *name;
    arena a;
    kql_logsource *entries; /* in match order */
    size_t nentries;
    socfeed_kql_entity *default_entities; /* top-level `entities:`, for every entry whose table has them */
    size_t ndefault_entities;
    const char *variant;
    const char *time_column; /* the event-time column correlation windows bin: top-level `time_column:` */
};

/* ---- mapping_load.c ---- */
const kql_logsource *kql_find_logsource(const socfeed_kql_target *t, const socfeed_rule *rule);
const kql_field *kql_find_field(const kql_logsource *ls, const char *sigma);

/* ---- kql_text.c: literal syntax ---- */
/* Every lower-case word the converter (and the built-in mappings' expressions) may write outside
 * string literals: operators, functions, keywords. NULL-terminated. The corpus test checks the
 * emitted queries against it; column names are capitalised. */
extern const char *const kql_vocabulary[];
/* Appends a KQL string literal holding exactly s[0..len) (verbatim @"…" when that reads better). */
void kql_put_string(strbuf *sb, const char *s, size_t len);
/* Appends s[0..len) escaped for an RE2 pattern (every metacharacter escaped). */
void kql_put_regex_literal(strbuf *sb, const char *s, size_t len);
/* True when the bytes can be written in a KQL string literal (no NUL or other control bytes
 * besides tab, newline and carriage return). */
bool kql_string_ok(const char *s, size_t len);
/* A condition laid out for reading: when longer than a line, one operand of the top-level and/or
 * per line (indented continuation lines), recursively inside long parenthesised groups. Only
 * whitespace changes. `first_indent` is the width of what precedes it on its line ("| where "). */
char *kql_layout(const char *cond, unsigned first_indent);
/* Formats a timespan in seconds as a KQL literal (5m, 1h, 2d, 30s). */
void kql_put_timespan(strbuf *sb, unsigned long long seconds);

/* ---- rendering ---- */
typedef enum kql_expr_kind { KE_EXPR, KE_FALSE, KE_TRUE } kql_expr_kind;

typedef struct kql_expr {
    kql_expr_kind kind;
    const char *text;  /* KE_EXPR; arena */
    bool is_or;        /* top level is an `or` chain (needs parentheses inside `and`) */
    bool is_and;       /* top level is an `and` chain */
} kql_expr;

/* The valid filter documents of a rule set, gathered once per conversion run. */
typedef struct kql_filters {
    const socfeed_rule **items;
    size_t n;
} kql_filters;

kql_filters kql_collect_filters(const socfeed_ruleset *rs); /* free items with free() */

typedef struct kql_render {
    const socfeed_kql_target *t;
    const kql_filters *filters;
    const kql_logsource *ls;
    const socfeed_rule *rule;
    bool negative;     /* rendering under an odd number of negations */
    arena a;           /* scratch for expression texts */
    char *reason;      /* the first refusal (malloc), NULL while convertible */
} kql_render;

void kql_render_init(kql_render *r, const socfeed_kql_target *t, const kql_filters *filters, const kql_logsource *ls,
                     const socfeed_rule *rule);

/* Records a refusal (only the first one counts). Always returns a KE_FALSE expression so callers
 * can `return kql_refuse(...)`. */
kql_expr kql_refuse(kql_render *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
kql_expr kql_text_expr(kql_render *r, strbuf *sb); /* takes sb's text (sb reset) */
kql_expr kql_combine(kql_render *r, bool is_and, const kql_expr *parts, size_t n);
kql_expr kql_negate(kql_render *r, kql_expr e);
/* A predicate on a guarded field (docs/mappings.md §2.4): rows outside the guard do not carry the
 * field, so whether they would match is unknown. They must never match *because of* it: where the
 * predicate counts toward a match it becomes `G and p`; under a negation (`negative`) it becomes
 * `not(G) or p`, so that `not(...)` gives `G and not(p)`. The query is never wider than the rule;
 * rows of other sources are missed instead. */
kql_expr kql_guard(kql_render *r, const char *guard, kql_expr p, bool negative);
/* Whether every condition of the guard is one of the logsource's fixed `where` conditions (the
 * guard then holds on every row the query reads, and is left out). */
bool kql_guard_implied(const kql_logsource *ls, const char *guard);
/* Deepest parenthesis nesting of a KQL text (string literals skipped). */
size_t kql_paren_depth(const char *text);
enum { KQL_MAX_NESTING = 64 }; /* deeper conditions are refused rather than emitted */
/* True when one pair of parentheses encloses the whole text (string literals skipped). */
bool kql_is_parenthesised(const char *text);
bool kql_is_parenthesised_range(const char *text, size_t b, size_t e);

/* value_render.c: one field item (all its values, |all, |neq, guard). */
kql_expr kql_render_item(kql_render *r, const socfeed_item *item);

/* condition_render.c: a rule's whole detection (conditions OR-ed). */
kql_expr kql_render_detection(kql_render *r, const socfeed_detection *det);
/* The rule's condition plus the filters (r->filters) that apply to it. */
kql_expr kql_render_rule_condition(kql_render *r, const socfeed_rule *rule);

/* correlation_render.c */
int kql_convert_correlation(const socfeed_kql_target *t, const kql_filters *filters, const socfeed_rule *rule,
                            socfeed_kql_result *res);

char *kql_strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
