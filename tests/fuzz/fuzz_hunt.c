/* fuzz_hunt.c — libFuzzer harness for the matching engine: the input is a Sigma rule (YAML), a
 * line "%%", then events (JSON). The rule is compiled (globs, regexes, prefilter databases) and
 * every event is scanned twice: with the prefilter and Hyperscan's regexes, and without the
 * prefilter with PCRE2 alone. The two must agree, or the harness aborts (a prefilter that drops a
 * match, or a regex Hyperscan answers otherwise, is a bug as real as a crash) — unless PCRE2 gave
 * up on the event (match limit), where Hyperscan's answer is the right one.
 * The prefilter exists only for routed rules (a route is one logsource entry), so both engines
 * route alike: the built-in map, plus an entry that takes every event of the input for the rules
 * of `product: windows` alone (the seeds' logsource); a rule no entry maps runs on every event. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "socfeed/engine.h"
#include "socfeed/reader.h"

typedef struct ctx {
    socfeed_scanner *with, *without;
} ctx;

static int on_event(void *p, const socfeed_event *ev) {
    ctx *c = p;
    socfeed_scanner_stats before, after;
    socfeed_scanner_get_stats(c->without, &before);
    size_t a = socfeed_scanner_event(c->with, ev, "fuzz.json", NULL, NULL, NULL);
    size_t b = socfeed_scanner_event(c->without, ev, "fuzz.json", NULL, NULL, NULL);
    socfeed_scanner_get_stats(c->without, &after);
    if (a != b && after.regex_limit_hits == before.regex_limit_hits) abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *text = (const char *)data;
    const char *sep = memmem(text, size, "\n%%\n", 4);
    size_t rule_len = sep ? (size_t)(sep - text) : size;
    const char *events = sep ? sep + 4 : "";
    size_t events_len = sep ? size - rule_len - 4 : 0;
    socfeed_ruleset *rs = socfeed_ruleset_new(NULL);
    socfeed_ruleset_load_buffer(rs, "fuzz.yml", text, rule_len);
    socfeed_ruleset_finalize(rs);
    static socfeed_logsource_map *every_event;
    if (!every_event) {
        static const char map[] = "version: 1\nlogsources:\n  - match: {product: windows}\n"
                                  "    any:\n      - sources: ['File:*']\n";
        every_event = socfeed_logsource_map_new(NULL);
        socfeed_logsource_map_add_buffer(every_event, "fuzz-map.yml", map, sizeof map - 1, NULL);
    }
    socfeed_engine_options on = {.logsources = every_event, .all_logsources = true},
                           off = {.logsources = every_event, .all_logsources = true, .no_prefilter = true,
                                  .pcre2_only = true};
    socfeed_engine *e1 = socfeed_engine_new(rs, &on, NULL), *e2 = socfeed_engine_new(rs, &off, NULL);
    ctx c = {socfeed_scanner_new(e1), socfeed_scanner_new(e2)};
    socfeed_diags d;
    socfeed_diags_init(&d);
    socfeed_json_read_buffer("fuzz.json", events, events_len, NULL, on_event, &c, &d, NULL);
    socfeed_diags_clear(&d);
    socfeed_scanner_free(c.with);
    socfeed_scanner_free(c.without);
    socfeed_engine_free(e1);
    socfeed_engine_free(e2);
    socfeed_ruleset_free(rs);
    return 0;
}
