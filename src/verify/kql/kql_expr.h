/* kql_expr.h — one KQL scalar expression, parsed and evaluated alone: the normalizer's data files
 * (data/normalize/TARGET.yml) write each column as the KQL expression Microsoft's ASIM parser uses, and
 * this runs it over the raw event's flat view. Internal to src/verify/. */
#ifndef SOCFEED_VERIFY_KQL_EXPR_H
#define SOCFEED_VERIFY_KQL_EXPR_H

#include "socfeed/diag.h"
#include "socfeed/event.h"
#include "socfeed/kql_eval.h"
#include "util/arena.h"

/* Parses `text` as one expression (no table, no pipes); NULL on error (reported against `name`).
 * Free with socfeed_kql_query_free(). */
socfeed_kql_query *kql_parse_expression(const char *name, const char *text, socfeed_diags *diags);

/* Evaluates the expression over `row`. The result, deep-copied into `out`, does not point into
 * `row`. Returns 0, or -1 on a runtime error (reported). */
int kql_eval_expression(const socfeed_kql_query *q, const socfeed_event_value *row, arena *out,
                        socfeed_event_value *result, socfeed_diags *diags);

/* Deep copy of an event value into `a`. */
socfeed_event_value kql_copy_value(arena *a, const socfeed_event_value *v);

#endif
