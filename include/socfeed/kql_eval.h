/* socfeed/kql_eval.h — a KQL evaluator for the subset socfeed's converter emits, used by `verify`
 * to run the emitted query *text* over normalized rows and prove it finds what the Sigma rule finds.
 *
 * Supported: `Table | where EXPR | where … | summarize AGG, … by COL, bin(TimeGenerated, SPAN) |
 * where …`; and/or/not(); string operators with KQL's case rules (contains, has, startswith,
 * endswith, ==, =~, !=, !~, in, in~, has_any, has_all, their _cs and negated forms), matches regex,
 * comparisons, isempty/isnotempty, ipv4_is_in_range/ipv6_is_in_range, tostring/toint/tolong/
 * tolower/toupper, column.property access on dynamic columns. Anything else is an error
 * "unsupported KQL: …" with its position — never skipped.
 *
 * Rows are socfeed_event_value objects (column name → value; dynamic columns are nested objects).
 * Ownership: a parsed query is freed with socfeed_kql_query_free(). */
#ifndef SOCFEED_KQL_EVAL_H
#define SOCFEED_KQL_EVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "socfeed/diag.h"
#include "socfeed/event.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct socfeed_kql_query socfeed_kql_query;

/* Parses query text; NULL on error (reported into diags against `name`, with line:col). */
socfeed_kql_query *socfeed_kql_parse(const char *name, const char *text, socfeed_diags *diags);
void socfeed_kql_query_free(socfeed_kql_query *q);

/* The tabular source the query reads (a table or an ASIM parser function name). */
const char *socfeed_kql_query_source(const socfeed_kql_query *q);

/* Runs the query over `n` rows (all from its source). Stages: where, extend, sort (which
 * serializes the rows for next()/prev()), then at most one summarize and wheres over its rows.
 * selected[i] is set when row i is selected: without summarize, the row passes every stage; with
 * it, the row belongs to a group that the stages after summarize keep. Returns 0, or -1 on a
 * runtime error (reported). */
int socfeed_kql_run(const socfeed_kql_query *q, const socfeed_event_value *const *rows, size_t n, bool *selected,
                    socfeed_diags *diags);

/* The KQL string operators, exposed for tests: true when `lhs OP rhs` holds. `op` is the operator's
 * KQL spelling ("contains", "!has_cs", "=~", …); returns false for unknown operators. */
bool socfeed_kql_string_op(const char *op, const char *lhs, size_t lhs_len, const char *rhs, size_t rhs_len,
                           bool *known);

#ifdef __cplusplus
}
#endif
#endif
