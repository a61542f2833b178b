/* socfeed/rule.h — the Sigma rule model: rules, correlations and filters as loaded from YAML.
 *
 * One model serves every later stage (hunt, test, convert, verify, build). It is built by a
 * socfeed_ruleset from files, directories or buffers, with libyaml; every element keeps its source
 * position, so later stages can point at the line that made a decision.
 *
 * Semantics follow Sigma spec 2.1, and pySigma 1.5 where the spec is vague, as pinned in
 * ../shared/reference/sigma-semantics.md: values are parsed (wildcards, escapes, placeholders)
 * and modifiers applied at load time, so consumers see final patterns, never raw modifier text.
 *
 * Ownership: everything reachable from a socfeed_rule is owned by its socfeed_ruleset and lives
 * until socfeed_ruleset_free(). All structures are read-only for consumers. */
#ifndef SOCFEED_RULE_H
#define SOCFEED_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "socfeed/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Generic YAML, for custom fields kept verbatim ------------------------------------------ */

typedef enum socfeed_yaml_kind {
    SOCFEED_YAML_SCALAR,
    SOCFEED_YAML_SEQUENCE,
    SOCFEED_YAML_MAPPING
} socfeed_yaml_kind;

/* How a YAML 1.1 resolver (PyYAML, hence pySigma) reads a scalar. */
typedef enum socfeed_scalar_type {
    SOCFEED_SCALAR_STRING,
    SOCFEED_SCALAR_NULL,  /* empty, ~, null */
    SOCFEED_SCALAR_BOOL,  /* true/false/yes/no/on/off, any case form PyYAML accepts */
    SOCFEED_SCALAR_INT,   /* decimal, 0x hex, 0 octal, 0b binary, _ separators, base 60 */
    SOCFEED_SCALAR_FLOAT,
    SOCFEED_SCALAR_DATE   /* YYYY-MM-DD (and timestamps) */
} socfeed_scalar_type;

typedef enum socfeed_scalar_style {
    SOCFEED_STYLE_PLAIN,
    SOCFEED_STYLE_SINGLE_QUOTED,
    SOCFEED_STYLE_DOUBLE_QUOTED,
    SOCFEED_STYLE_LITERAL,
    SOCFEED_STYLE_FOLDED
} socfeed_scalar_style;

typedef struct socfeed_yaml_node socfeed_yaml_node;
typedef struct socfeed_yaml_pair {
    socfeed_yaml_node *key;
    socfeed_yaml_node *value;
} socfeed_yaml_pair;

struct socfeed_yaml_node {
    socfeed_yaml_kind kind;
    socfeed_pos pos;
    /* scalars */
    const char *text; /* after YAML unescaping; NUL-terminated */
    size_t len;
    socfeed_scalar_type type;
    socfeed_scalar_style style;
    bool yaml11_only; /* resolved as int/bool only under YAML 1.1 (0x17, 017, yes, 1_000, 1:20) */
    int64_t int_value;
    double float_value;
    bool bool_value;
    /* sequences: items; mappings: pairs in source order */
    socfeed_yaml_node **items;
    socfeed_yaml_pair *pairs;
    size_t count;
};

/* ---- Metadata -------------------------------------------------------------------------------- */

/* A string field with where it was written. `s` is NULL when the field is absent. */
typedef struct socfeed_text {
    const char *s;
    socfeed_pos pos;
} socfeed_text;

typedef struct socfeed_text_list {
    socfeed_text *items;
    size_t count;
    socfeed_pos pos; /* of the key; line 0 when absent */
} socfeed_text_list;

typedef enum socfeed_status {
    SOCFEED_STATUS_NONE = 0,
    SOCFEED_STATUS_STABLE,
    SOCFEED_STATUS_TEST,
    SOCFEED_STATUS_EXPERIMENTAL,
    SOCFEED_STATUS_DEPRECATED,
    SOCFEED_STATUS_UNSUPPORTED
} socfeed_status;

typedef enum socfeed_level {
    SOCFEED_LEVEL_NONE = 0,
    SOCFEED_LEVEL_INFORMATIONAL,
    SOCFEED_LEVEL_LOW,
    SOCFEED_LEVEL_MEDIUM,
    SOCFEED_LEVEL_HIGH,
    SOCFEED_LEVEL_CRITICAL
} socfeed_level;

const char *socfeed_status_name(socfeed_status s); /* "test", …; "" for NONE */
const char *socfeed_level_name(socfeed_level l);   /* "high", …; "" for NONE */

typedef struct socfeed_related {
    socfeed_text id;
    socfeed_text type; /* derived, obsolete, merged, renamed, similar (pySigma: also correlation) */
} socfeed_related;

typedef struct socfeed_logsource {
    socfeed_text category, product, service, definition;
    socfeed_yaml_pair *custom; /* other keys, verbatim */
    size_t ncustom;
    socfeed_pos pos;
} socfeed_logsource;

/* ---- Detection values ------------------------------------------------------------------------ */

/* A Sigma string after wildcard/escape parsing: a sequence of segments. Literal text is
 * length-counted bytes (after `wide` it holds NUL bytes). */
typedef enum socfeed_seg_kind {
    SOCFEED_SEG_LITERAL,
    SOCFEED_SEG_ANY,         /* `*`: any run of characters, possibly empty */
    SOCFEED_SEG_ONE,         /* `?`: exactly one character (Unicode code point) */
    SOCFEED_SEG_PLACEHOLDER  /* `%name%` under |expand, unresolved (text = name) */
} socfeed_seg_kind;

typedef struct socfeed_seg {
    socfeed_seg_kind kind;
    const char *text;
    size_t len;
} socfeed_seg;

typedef struct socfeed_pattern {
    socfeed_seg *segs;
    size_t nsegs;
} socfeed_pattern;

typedef enum socfeed_value_kind {
    SOCFEED_VAL_NULL,     /* field is null or absent */
    SOCFEED_VAL_STRING,   /* str: alternatives, OR-ed (windash, base64offset, placeholders) */
    SOCFEED_VAL_NUMBER,   /* num */
    SOCFEED_VAL_BOOL,     /* b */
    SOCFEED_VAL_REGEX,    /* re */
    SOCFEED_VAL_CIDR,     /* cidr */
    SOCFEED_VAL_EXISTS,   /* b: true = field present (even null/empty), false = absent */
    SOCFEED_VAL_FIELDREF, /* ref */
    SOCFEED_VAL_COMPARE,  /* cmp: gt/gte/lt/lte against a number */
    SOCFEED_VAL_TIMEPART  /* tpart: minute/hour/day/week/month/year of a timestamp equals a number */
} socfeed_value_kind;

typedef enum socfeed_cmp_op { SOCFEED_CMP_GT, SOCFEED_CMP_GTE, SOCFEED_CMP_LT, SOCFEED_CMP_LTE } socfeed_cmp_op;

typedef enum socfeed_time_part {
    SOCFEED_TIME_MINUTE, SOCFEED_TIME_HOUR, SOCFEED_TIME_DAY,
    SOCFEED_TIME_WEEK, SOCFEED_TIME_MONTH, SOCFEED_TIME_YEAR
} socfeed_time_part;

enum { SOCFEED_RE_IGNORECASE = 1, SOCFEED_RE_MULTILINE = 2, SOCFEED_RE_DOTALL = 4 };

typedef struct socfeed_number {
    bool is_int;
    int64_t i;
    double d;
    const char *text; /* as written */
} socfeed_number;

typedef struct socfeed_value {
    socfeed_value_kind kind;
    socfeed_pos pos;
    bool cased;        /* |cased: case-sensitive string match */
    const char *raw;   /* the YAML scalar text (after YAML unescaping), for display */
    union {
        struct { socfeed_pattern *alts; size_t nalts; } str;
        socfeed_number num;
        bool b;
        struct {
            const char *pattern; /* NUL-terminated; a YAML "\0" may also sit inside: `len` is its length */
            size_t len;
            unsigned flags;
            void *code;          /* pcre2_code_8 * */
        } re;
        struct { int family; /* 4 or 6 */ uint8_t addr[16]; unsigned prefix; } cidr;
        struct { const char *field; bool anchored_start, anchored_end; } ref; /* exact: both */
        struct { socfeed_cmp_op op; socfeed_number num; } cmp;
        struct { socfeed_time_part part; socfeed_number num; } tpart;
    } as;
} socfeed_value;

/* Modifiers as written, in order. */
typedef enum socfeed_modifier {
    SOCFEED_MOD_CONTAINS, SOCFEED_MOD_STARTSWITH, SOCFEED_MOD_ENDSWITH, SOCFEED_MOD_ALL,
    SOCFEED_MOD_BASE64, SOCFEED_MOD_BASE64OFFSET, SOCFEED_MOD_WIDE, SOCFEED_MOD_UTF16LE,
    SOCFEED_MOD_UTF16BE, SOCFEED_MOD_UTF16, SOCFEED_MOD_WINDASH, SOCFEED_MOD_RE,
    SOCFEED_MOD_IGNORECASE, SOCFEED_MOD_MULTILINE, SOCFEED_MOD_DOTALL, SOCFEED_MOD_CASED,
    SOCFEED_MOD_CIDR, SOCFEED_MOD_EXISTS, SOCFEED_MOD_EXPAND, SOCFEED_MOD_FIELDREF,
    SOCFEED_MOD_GT, SOCFEED_MOD_GTE, SOCFEED_MOD_LT, SOCFEED_MOD_LTE, SOCFEED_MOD_NEQ,
    SOCFEED_MOD_MINUTE, SOCFEED_MOD_HOUR, SOCFEED_MOD_DAY, SOCFEED_MOD_WEEK,
    SOCFEED_MOD_MONTH, SOCFEED_MOD_YEAR,
    SOCFEED_MOD_COUNT_
} socfeed_modifier;

const char *socfeed_modifier_name(socfeed_modifier m);

/* One `field|mods: values` entry of a map, or a keyword list/scalar (field NULL). */
typedef struct socfeed_item {
    const char *field;     /* NULL for keywords */
    socfeed_pos pos;
    socfeed_modifier *mods;
    size_t nmods;
    bool all;              /* |all: values AND-ed (else OR-ed) */
    bool negated;          /* |neq: the whole item is negated (pySigma 1.5) */
    socfeed_value *values;
    size_t nvalues;
} socfeed_item;

/* The value of a search identifier as a tree: maps are AND, lists OR, leaves items. */
typedef enum socfeed_det_kind { SOCFEED_DET_AND, SOCFEED_DET_OR, SOCFEED_DET_ITEM } socfeed_det_kind;

typedef struct socfeed_det_node socfeed_det_node;
struct socfeed_det_node {
    socfeed_det_kind kind;
    socfeed_pos pos;
    socfeed_det_node **children; /* AND / OR */
    size_t nchildren;
    socfeed_item *item;          /* ITEM */
};

typedef struct socfeed_search_id {
    const char *name;
    socfeed_pos pos;
    socfeed_det_node *node;
    bool used; /* referenced by the condition */
} socfeed_search_id;

/* ---- Condition ------------------------------------------------------------------------------- */

typedef enum socfeed_cond_kind {
    SOCFEED_COND_OR, SOCFEED_COND_AND, SOCFEED_COND_NOT,
    SOCFEED_COND_IDENT,    /* ident: index into detection.ids */
    SOCFEED_COND_ONE_OF,   /* any of the identifiers in sel */
    SOCFEED_COND_ALL_OF    /* all of the identifiers in sel */
} socfeed_cond_kind;

typedef struct socfeed_cond socfeed_cond;
struct socfeed_cond {
    socfeed_cond_kind kind;
    socfeed_pos pos;
    socfeed_cond **children; /* OR/AND: n-ary; NOT: one */
    size_t nchildren;
    size_t ident;            /* IDENT */
    const char *pattern;     /* ONE_OF/ALL_OF: the pattern as written ("them" for all) */
    size_t *idents;          /* ONE_OF/ALL_OF: the matching identifiers (never empty) */
    size_t nidents;
};

typedef struct socfeed_detection {
    socfeed_search_id *ids;
    size_t nids;
    socfeed_cond **conditions; /* a list-valued `condition` is OR-ed */
    socfeed_text *condition_texts;
    size_t nconditions;
    socfeed_pos pos;
} socfeed_detection;

/* ---- Correlations and filters ---------------------------------------------------------------- */

typedef enum socfeed_correlation_type {
    SOCFEED_CORR_EVENT_COUNT, SOCFEED_CORR_VALUE_COUNT, SOCFEED_CORR_TEMPORAL,
    SOCFEED_CORR_TEMPORAL_ORDERED, SOCFEED_CORR_VALUE_SUM, SOCFEED_CORR_VALUE_AVG,
    SOCFEED_CORR_VALUE_PERCENTILE, SOCFEED_CORR_VALUE_MEDIAN
} socfeed_correlation_type;

const char *socfeed_correlation_type_name(socfeed_correlation_type t);

typedef enum socfeed_bound_op {
    SOCFEED_BOUND_GT, SOCFEED_BOUND_GTE, SOCFEED_BOUND_LT, SOCFEED_BOUND_LTE,
    SOCFEED_BOUND_EQ, SOCFEED_BOUND_NEQ
} socfeed_bound_op;

typedef struct socfeed_bound {
    socfeed_bound_op op;
    double value;
    socfeed_pos pos;
} socfeed_bound;

typedef struct socfeed_alias_entry {
    const char *rule;  /* rule id or name */
    const char *field;
} socfeed_alias_entry;

typedef struct socfeed_alias {
    const char *name;
    socfeed_alias_entry *entries;
    size_t nentries;
    socfeed_pos pos;
} socfeed_alias;

typedef struct socfeed_rule socfeed_rule;

typedef struct socfeed_correlation {
    socfeed_correlation_type type;
    socfeed_pos type_pos;
    socfeed_text_list rules;          /* ids or names, as written */
    const socfeed_rule **resolved;    /* after loading: the referenced rules (same order) */
    socfeed_text_list group_by;
    socfeed_text timespan;            /* as written */
    uint64_t timespan_seconds;
    socfeed_bound *bounds;            /* AND-ed; for temporal types defaults to gte nrules */
    size_t nbounds;
    socfeed_text_list field;          /* value_* types */
    socfeed_alias *aliases;
    size_t naliases;
    bool generate;
    double percentile;                /* value_percentile */
    socfeed_text temporal_expression; /* pySigma extension: a boolean string over rule names */
} socfeed_correlation;

typedef struct socfeed_filter {
    socfeed_text_list rules;          /* ids or names; empty or `any` means every rule */
    bool any;
} socfeed_filter;

/* ---- Rule documents -------------------------------------------------------------------------- */

typedef enum socfeed_doc_kind { SOCFEED_DOC_RULE, SOCFEED_DOC_CORRELATION, SOCFEED_DOC_FILTER } socfeed_doc_kind;

struct socfeed_rule {
    socfeed_doc_kind kind;
    const char *file;         /* path as loaded */
    size_t doc_index;         /* 0-based document number in a multi-document file */
    socfeed_pos pos;          /* start of the document */
    const char *source;       /* the document's text as published (a slice copy) */
    size_t source_len;

    socfeed_text title, id, name, taxonomy, description, license, author, date, modified;
    socfeed_status status;
    socfeed_pos status_pos;
    socfeed_level level;
    socfeed_pos level_pos;
    socfeed_related *related;
    size_t nrelated;
    socfeed_text_list references, tags, fields, falsepositives, scope;
    socfeed_logsource logsource;
    socfeed_text regression_tests_path;
    socfeed_yaml_pair *custom; /* unknown top-level keys, verbatim */
    size_t ncustom;

    socfeed_detection detection;       /* rules, and the identifiers/condition of filters */
    socfeed_correlation *correlation;  /* correlations only */
    socfeed_filter *filter;            /* filters only */

    bool valid;                   /* no error in this document: engines and converters may use it */
    bool unresolved_placeholders; /* |expand placeholders left unresolved: not matchable */
};

/* ---- Rule sets ------------------------------------------------------------------------------- */

typedef struct socfeed_ruleset socfeed_ruleset;

typedef struct socfeed_load_options {
    unsigned threads; /* parse files in parallel; 0 = 1 */
} socfeed_load_options;

socfeed_ruleset *socfeed_ruleset_new(const socfeed_load_options *opt);
void socfeed_ruleset_free(socfeed_ruleset *rs);

/* Placeholder values (`%name%` under |expand) from a YAML map {name: value | [values]}.
 * Load them before the rules that use them. Returns 0, or -1 with diagnostics. */
int socfeed_ruleset_load_placeholders(socfeed_ruleset *rs, const char *path);

/* Loads a .yml/.yaml file, or a directory recursively (sorted, hidden entries skipped).
 * Returns 0 when everything loaded without error, -1 otherwise (see diagnostics). Files with
 * errors still contribute their valid documents. */
int socfeed_ruleset_load_path(socfeed_ruleset *rs, const char *path);
int socfeed_ruleset_load_buffer(socfeed_ruleset *rs, const char *name, const char *data, size_t len);

/* Cross-document checks, run once after loading: duplicate ids and names, correlation references
 * (resolved into correlation->resolved), filter references. Idempotent. */
void socfeed_ruleset_finalize(socfeed_ruleset *rs);

size_t socfeed_ruleset_count(const socfeed_ruleset *rs);
const socfeed_rule *socfeed_ruleset_get(const socfeed_ruleset *rs, size_t i);
size_t socfeed_ruleset_file_count(const socfeed_ruleset *rs);
socfeed_diags *socfeed_ruleset_diags(socfeed_ruleset *rs);

/* Looks up a rule document by id or name; NULL when absent. */
const socfeed_rule *socfeed_ruleset_find(const socfeed_ruleset *rs, const char *id_or_name);

/* True when the filter's logsource contains the rule's (every attribute the filter sets is equal)
 * and the filter names the rule (or names any). */
bool socfeed_filter_applies(const socfeed_rule *filter, const socfeed_rule *rule);

#ifdef __cplusplus
}
#endif
#endif
