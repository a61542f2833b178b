/* rule_test_util.h — helpers for rule-model tests: load a rule from text and render parts of the
 * model as short canonical strings, so expectations read like the Sigma they come from. */
#ifndef SOCFEED_TESTS_RULE_TEST_UTIL_H
#define SOCFEED_TESTS_RULE_TEST_UTIL_H

#include "socfeed/rule.h"

typedef struct loaded {
    socfeed_ruleset *rs;
    const socfeed_rule *rule; /* first document, or NULL */
    size_t errors, warnings;
} loaded;

/* Loads YAML text as "test.yml" and finalizes. */
loaded load_text(const char *yaml);
/* A minimal rule around a detection body (indented two spaces per level inside `detection:`). */
loaded load_detection(const char *detection_body);
void unload(loaded *l);

/* True when some diagnostic has this code (and, if sev >= 0, this severity). */
bool has_diag(const loaded *l, const char *code);
/* The first diagnostic with this code, formatted; "" when none. */
const char *diag_text(const loaded *l, const char *code);

/* The first item of search identifier `name` (depth-first). */
const socfeed_item *find_item(const socfeed_rule *r, const char *ident);
const socfeed_item *find_item_n(const socfeed_rule *r, const char *ident, size_t n);
/* Pattern as text: `*` any, `?` one, literal specials escaped (\* \? \\), bytes < 0x20 or >= 0x7f
 * as \xNN, placeholders as %name%. Static buffer. */
const char *pattern_text(const socfeed_pattern *p);
/* All alternatives of a string value joined with " | ". Static buffer. */
const char *value_text(const socfeed_value *v);
/* The condition tree in prefix form: (or a (and b (not c))), (1of sel_* a b). Static buffer. */
const char *cond_text(const socfeed_rule *r, size_t i);

#endif
