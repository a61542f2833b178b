/* fuzz_condition.c — libFuzzer harness: arbitrary text as a Sigma condition over a fixed set of
 * identifiers (including `_hidden`, `not`-prefixed and dashed names). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rule/condition.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *const names[] = {"sel", "sel_a", "sel-b", "_hidden", "notepad", "filter_1", "1", "all"};
    enum { N = sizeof names / sizeof *names };
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    arena a;
    arena_init(&a);
    socfeed_diags diags;
    socfeed_diags_init(&diags);
    socfeed_rule rule;
    memset(&rule, 0, sizeof rule);
    parse_ctx ctx = {.file = "fuzz", .a = &a, .diags = &diags, .rule = &rule};
    socfeed_search_id ids[N];
    memset(ids, 0, sizeof ids);
    for (size_t i = 0; i < N; i++) ids[i].name = names[i];
    cond_scope scope = {ids, N, "identifier"};
    condition_parse(&ctx, text, (socfeed_pos){1, 1}, 0, &scope);
    socfeed_diags_clear(&diags);
    arena_free(&a);
    free(text);
    return 0;
}
