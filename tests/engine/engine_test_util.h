/* engine_test_util.h — run one event through one rule, so engine tests read like the Sigma and
 * the event they are about. */
#ifndef SOCFEED_TESTS_ENGINE_TEST_UTIL_H
#define SOCFEED_TESTS_ENGINE_TEST_UTIL_H

#include <stdbool.h>

/* 1 when the rule matches the event, 0 when not, -1 when the rule has load errors (or the event
 * text is not one JSON object). `body` is a detection body as in load_detection() (two-space
 * indent); logsource routing is off, so any event is a candidate. */
int match_detection(const char *body, const char *event_json);
/* The same for a whole rule file's text; with `routing`, the built-in logsource map decides which
 * events the rule sees. The first document is the rule; further documents (filters) apply to it. */
int match_rule(const char *yaml, const char *event_json, bool routing);

/* {"k":"v"} and {"k1":"v1","k2":"v2"} with JSON escaping, in a rotating static buffer (so
 * values can be written with C escapes only: ev1("a", "C:\\x") is the event a = C:\x). */
const char *ev1(const char *k, const char *v);
const char *ev2(const char *k1, const char *v1, const char *k2, const char *v2);

#endif
