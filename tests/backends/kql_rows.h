/* kql_rows.h — test helper: JSON Lines → rows for the KQL evaluator, and "which rows does this
 * query select" as a string ("0,2"), so converter tests can check what an emitted query finds. */
#ifndef SOCFEED_TESTS_KQL_ROWS_H
#define SOCFEED_TESTS_KQL_ROWS_H

#include <stddef.h>

#include "socfeed/event.h"
#include "util/arena.h"

typedef struct kql_rows {
    arena a;
    socfeed_event_value *items[16];
    size_t n;
} kql_rows;

kql_rows kql_rows_load(const char *jsonl);
void kql_rows_free(kql_rows *r);
/* Selected row indices ("0,2", "" for none), or "error: <message>". Static buffer. */
const char *kql_rows_selected(const char *query, kql_rows *r);

#endif
