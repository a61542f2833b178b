/* regex_hs_test.c — Hyperscan answers Sigma regexes exactly as PCRE2 does (regex_hs.h).
 *
 * Differential: every regex of SigmaHQ's rules that Hyperscan accepts, run by both engines over the
 * ASCII string values of the regression events (EVTX and JSON) and over texts chosen for the
 * places where regex engines differ (`$` before a final newline, empty text, CR/LF, vertical tab
 * and form feed for \s, underscores and digits for \w and \b). Any disagreement fails with the
 * regex and the text. Plus the cases the module must refuse (non-ASCII patterns, constructs
 * Hyperscan lacks) and the engine-level consequence: a backtracking regex answers on ASCII text
 * without hitting PCRE2's match limit. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_test_util.h"
#include "engine/regex_hs.h"
#include "harness.h"
#include "socfeed/reader.h"
#include "socfeed/rule.h"
#include "util/casefold.h"

enum { MAX_SUBJECTS = 1500, MAX_SUBJECT_LEN = 4096 };

typedef struct subjects {
    char **items;
    size_t n;
} subjects;

static bool seen(const subjects *s, const char *t, size_t n) {
    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->items[i]) == n && !memcmp(s->items[i], t, n)) return true;
    return false;
}

static void add_subject(subjects *s, const char *t, size_t n) {
    if (s->n >= MAX_SUBJECTS || n > MAX_SUBJECT_LEN || !ascii_only(t, n) || seen(s, t, n)) return;
    s->items = realloc(s->items, (s->n + 1) * sizeof *s->items);
    s->items[s->n] = strndup(t, n);
    s->n++;
}

static void collect_values(subjects *s, const socfeed_event_value *v) {
    if (v->type == SOCFEED_EV_STRING) add_subject(s, v->as.s, v->len);
    else if (v->type == SOCFEED_EV_ARRAY)
        for (uint32_t i = 0; i < v->len; i++) collect_values(s, &v->as.items[i]);
    else if (v->type == SOCFEED_EV_OBJECT)
        for (uint32_t i = 0; i < v->len; i++) collect_values(s, &v->as.members[i].value);
}

static int on_subject_event(void *ctx, const socfeed_event *ev) {
    collect_values(ctx, &ev->root);
    return 0;
}

typedef struct regex_list {
    const socfeed_value **items;
    size_t n;
} regex_list;

static void collect_regexes(regex_list *l, const socfeed_det_node *n) {
    if (n->kind != SOCFEED_DET_ITEM) {
        for (size_t i = 0; i < n->nchildren; i++) collect_regexes(l, n->children[i]);
        return;
    }
    for (size_t i = 0; i < n->item->nvalues; i++)
        if (n->item->values[i].kind == SOCFEED_VAL_REGEX) {
            l->items = realloc(l->items, (l->n + 1) * sizeof *l->items);
            l->items[l->n++] = &n->item->values[i];
        }
}

/* PCRE2's answer: 1 match, 0 none, -1 gave up (match limit: not comparable). */
static int pcre2_answer(const socfeed_value *v, pcre2_match_data *md, pcre2_match_context *mc, const char *t) {
    int rc = pcre2_match((pcre2_code *)v->as.re.code, (PCRE2_SPTR)t, strlen(t), 0, 0, md, mc);
    return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

TEST(regex_hs_agrees_with_pcre2_on_sigmahq_regexes) {
    if (!harness_have_shared()) {
        printf("  (skipped: no ../shared)\n");
        return;
    }
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_path(rs, harness_shared("sigma/rules"));
    socfeed_ruleset_load_path(rs, harness_shared("sigma/rules-emerging-threats"));
    socfeed_ruleset_load_path(rs, harness_shared("sigma/rules-threat-hunting"));
    socfeed_ruleset_finalize(rs);
    regex_list regexes = {0};
    for (size_t i = 0; i < socfeed_ruleset_count(rs); i++) {
        const socfeed_detection *d = &socfeed_ruleset_get(rs, i)->detection;
        for (size_t k = 0; k < d->nids; k++) collect_regexes(&regexes, d->ids[k].node);
    }

    subjects subj = {0};
    static const char *const edges[] = {
        "", "\n", "a\n", "abc", "abc\n", "abc\r\n", "ABC", "a\tb", "a\vb", "a\fb", "a b", "a_b", "a1b", "-",
        "x\ny", "\nabc", "C:\\Windows\\System32\\cmd.exe", "powershell -enc JABzAD0A", "net user admin /add",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
    };
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++) add_subject(&subj, edges[i], strlen(edges[i]));
    const char *const paths[] = {harness_shared("sigma/regression_data")};
    socfeed_diags d;
    socfeed_diags_init(&d);
    size_t nfiles = 0;
    char **files = socfeed_input_list(paths, 1, &d, &nfiles);
    for (size_t i = 0; i < nfiles && subj.n < MAX_SUBJECTS; i++)
        socfeed_read_file(files[i], NULL, on_subject_event, &subj, &d, NULL);
    socfeed_input_list_free(files);
    socfeed_diags_clear(&d);

    pcre2_match_data *md = pcre2_match_data_create(16, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(mc, 200000); /* a backtracking pair is skipped, not waited for */
    hs_scratch_t *scratch = NULL;
    size_t compiled = 0, compared = 0, failures = 0;
    for (size_t r = 0; r < regexes.n; r++) {
        const socfeed_value *v = regexes.items[r];
        hs_database_t *db = rx_hs_compile(v);
        if (!db) continue;
        compiled++;
        CHECK(hs_alloc_scratch(db, &scratch) == HS_SUCCESS);
        for (size_t k = 0; k < subj.n && failures < 10; k++) {
            int want = pcre2_answer(v, md, mc, subj.items[k]);
            if (want < 0) continue;
            compared++;
            int got = rx_hs_match(db, scratch, subj.items[k], strlen(subj.items[k]));
            if (got != want) {
                failures++;
                harness_fail(__FILE__, __LINE__, "regex '%s' (flags %u) on '%.120s': Hyperscan %d, PCRE2 %d",
                             v->as.re.pattern, v->as.re.flags, subj.items[k], got, want);
            }
        }
        hs_free_database(db);
    }
    printf("  %zu SigmaHQ regexes, %zu run by Hyperscan, %zu comparisons over %zu texts\n", regexes.n, compiled,
           compared, subj.n);
    CHECK(compiled * 10 >= regexes.n * 8); /* most of them: otherwise the module does little */
    CHECK(subj.n >= 500);
    hs_free_scratch(scratch);
    pcre2_match_context_free(mc);
    pcre2_match_data_free(md);
    for (size_t i = 0; i < subj.n; i++) free(subj.items[i]);
    free(subj.items);
    free(regexes.items);
    socfeed_ruleset_free(rs);
}

/* A regex value as the rule parser makes it. */
static socfeed_value regex_value(const char *pattern, unsigned flags, pcre2_code **code) {
    int err;
    PCRE2_SIZE off;
    uint32_t opt = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
    if (flags & SOCFEED_RE_IGNORECASE) opt |= PCRE2_CASELESS;
    if (flags & SOCFEED_RE_MULTILINE) opt |= PCRE2_MULTILINE;
    if (flags & SOCFEED_RE_DOTALL) opt |= PCRE2_DOTALL;
    *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opt, &err, &off, NULL);
    socfeed_value v = {.kind = SOCFEED_VAL_REGEX};
    v.as.re.pattern = pattern;
    v.as.re.len = strlen(pattern);
    v.as.re.flags = flags;
    v.as.re.code = *code;
    return v;
}

TEST(regex_hs_refuses_what_it_cannot_answer_exactly) {
    static const char *const refused[] = {
        "(a)\\1",         /* back-reference */
        "(?=abc)a",       /* lookahead */
        "(?<=a)b",        /* lookbehind */
        "(?>a+)b",        /* atomic group */
        "caf\xc3\xa9",    /* non-ASCII pattern: its caseless meaning is Unicode's */
        "\\x{263a}",      /* a code point past 0xFF */
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        pcre2_code *code;
        socfeed_value v = regex_value(refused[i], 0, &code);
        CHECK(code != NULL);
        hs_database_t *db = rx_hs_compile(&v);
        if (db) {
            harness_fail(__FILE__, __LINE__, "'%s' was accepted", refused[i]);
            hs_free_database(db);
        }
        pcre2_code_free(code);
    }
    /* flags: the modifiers' meaning carries over */
    static const struct { const char *re; unsigned flags; const char *text; bool want; } cases[] = {
        {"^abc$", 0, "abc\n", true},                        /* $ before a final newline */
        {"^abc$", 0, "abc\n\n", false},
        {"^b$", SOCFEED_RE_MULTILINE, "a\nb\nc", true},
        {"^b$", 0, "a\nb\nc", false},
        {"a.c", 0, "a\nc", false},
        {"a.c", SOCFEED_RE_DOTALL, "a\nc", true},
        {"ABC", SOCFEED_RE_IGNORECASE, "xabcx", true},
        {"ABC", 0, "xabcx", false},
        {"(?i)ABC", 0, "xabcx", true},
        {"", 0, "", true},                                  /* the empty pattern matches anything */
        {"a\\sb", 0, "a\vb", true},
        {"\\bword\\b", 0, "a word.", true},
        {"\\bword\\b", 0, "a_word", false},
    };
    hs_scratch_t *scratch = NULL;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        pcre2_code *code;
        socfeed_value v = regex_value(cases[i].re, cases[i].flags, &code);
        hs_database_t *db = rx_hs_compile(&v);
        CHECK(db != NULL);
        if (db) {
            CHECK(hs_alloc_scratch(db, &scratch) == HS_SUCCESS);
            if (rx_hs_match(db, scratch, cases[i].text, strlen(cases[i].text)) != (int)cases[i].want)
                harness_fail(__FILE__, __LINE__, "'%s' (flags %u) on '%s': expected %d", cases[i].re, cases[i].flags,
                             cases[i].text, cases[i].want);
            hs_free_database(db);
        }
        pcre2_code_free(code);
    }
    /* Unicode properties and classes Hyperscan accepts: on ASCII text they mean what PCRE2's do */
    static const char *const props[] = {"\\p{Lu}x", "\\p{L}+", "\\p{Greek}", "[[:alpha:]]+", "\\W", "[^\\w]", "\\P{N}"};
    static const char *const texts[] = {"Ax", "ax", "abc", "123", "a-b", "_", ""};
    pcre2_match_data *md = pcre2_match_data_create(16, NULL);
    for (size_t i = 0; i < sizeof props / sizeof *props; i++) {
        pcre2_code *code;
        socfeed_value v = regex_value(props[i], 0, &code);
        hs_database_t *db = rx_hs_compile(&v);
        for (size_t k = 0; db && k < sizeof texts / sizeof *texts; k++) {
            CHECK(hs_alloc_scratch(db, &scratch) == HS_SUCCESS);
            int want = pcre2_answer(&v, md, NULL, texts[k]);
            if (rx_hs_match(db, scratch, texts[k], strlen(texts[k])) != want)
                harness_fail(__FILE__, __LINE__, "'%s' on '%s': PCRE2 says %d", props[i], texts[k], want);
        }
        if (db) hs_free_database(db);
        pcre2_code_free(code);
    }
    pcre2_match_data_free(md);
    hs_free_scratch(scratch);
}

/* Through the engine: SigmaHQ's 14-fold `\+.*\+ …` on a long ASCII command line with 13 plus signs
 * is answered (no match) without a regex-limit report; on non-ASCII text PCRE2 still runs it. */
TEST(regex_hs_answers_a_backtracking_regex_on_ascii_text) {
    const char *rule = "title: t\nlogsource: {product: windows, category: process_creation}\ndetection:\n"
                       "  sel:\n    CommandLine|re: '\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+.*\\+'\n"
                       "  condition: sel\n";
    char ev[4096];
    int o = snprintf(ev, sizeof ev, "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1,\"CommandLine\":\"");
    for (int i = 0; i < 13; i++) o += snprintf(ev + o, sizeof ev - (size_t)o, "+%0150d", 0);
    snprintf(ev + o, sizeof ev - (size_t)o, "\"}");
    CHECK_EQ_INT(match_rule(rule, ev, true), 0);
    o = snprintf(ev, sizeof ev, "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1,\"CommandLine\":\"");
    for (int i = 0; i < 14; i++) o += snprintf(ev + o, sizeof ev - (size_t)o, "+%0150d", 0);
    snprintf(ev + o, sizeof ev - (size_t)o, "\"}");
    CHECK_EQ_INT(match_rule(rule, ev, true), 1);
}

/* A YAML "\0" inside a regex: Hyperscan reads patterns up to their first NUL, so such a regex must
 * stay with PCRE2 (found in review: `ab\0c` matched "xxabyy"). */
TEST(regex_hs_leaves_a_pattern_with_a_nul_to_pcre2) {
    const char *rule = "title: t\nlogsource: {product: windows, category: process_creation}\ndetection:\n"
                       "  sel:\n    CommandLine|re: \"ab\\0c\"\n  condition: sel\n";
    CHECK_EQ_INT(match_rule(rule, "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1,\"CommandLine\":\"xxabyy\"}", true), 0);
    CHECK_EQ_INT(match_rule(rule, "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1,\"CommandLine\":\"xab\\u0000cx\"}", true), 1);
}
