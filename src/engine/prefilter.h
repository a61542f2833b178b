/* prefilter.h — rejecting most rules of an event without running them.
 *
 * For each rule up to two *gates* are derived from its condition: a gate is a set of (field,
 * literal) pairs of which at least one must occur in the event (folded) for the rule to possibly
 * match, and all of a rule's gates must open. `sel and not filter` gates on the parts of `sel`;
 * `a or b` on the union of both gates; numbers gate on their digits and regexes on a literal every
 * match contains; items that can hold without a literal (null, exists, `*`, fieldref, a regex with
 * top-level alternation) give no gate, and rules with none always run. The gate
 * literals of all rules of a route are compiled per field into one Hyperscan literal database, so
 * an event is scanned once per gated field, whatever the number of rules. Some scans wait
 * (*deferred fields*): keyword literals (which may occur in any value), and long values of a field
 * whose literals mostly belong to rules that also need another field (a Sysmon call trace beside
 * `TargetImage`). Such a value is first scanned only for the literals that open a rule alone, and in
 * full only when a rule gated on it could still become a candidate, or a candidate reads one of its
 * literals.
 * Correctness does not depend on the gate's choice: a gate is a necessary condition, the rule
 * itself still decides.
 *
 * The same databases also hold the literal of every simple case-insensitive value of the route's
 * rules (`x`, `x*`, `*x`, `*x*`): the scan records for each literal whether it occurred, at the
 * start, at the end, or as the whole value, so evaluating those values afterwards reads a flag
 * instead of searching the text once per rule. */
#ifndef SOCFEED_ENGINE_PREFILTER_H
#define SOCFEED_ENGINE_PREFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine_internal.h"

typedef struct pf_route pf_route;

/* Builds the prefilter of a route (its rules: indexes into e->rules). NULL when Hyperscan is not
 * usable on this CPU or no rule of the route has a gate. */
pf_route *pf_route_new(const socfeed_engine *e, const size_t *rules, size_t nrules);
void pf_route_free(pf_route *p);

/* Per-scanner state (Hyperscan scratch, candidate marks). */
typedef struct pf_scratch pf_scratch;
pf_scratch *pf_scratch_new(const socfeed_engine *e);
void pf_scratch_free(pf_scratch *s);
/* Values scanned with a literal database so far, and how many of them were remembered (see
 * scan_memo.h). */
void pf_scratch_memo_stats(const pf_scratch *s, uint64_t *scanned, uint64_t *remembered);

/* Scans the event's gated fields (`alt`: the alternative of the route's logsource entry that took
 * the event, which names them); then pf_route_candidates() gives the route positions of the rules
 * that may match (gate opened, or no gate), ascending. Valid until the next scan. */
void pf_route_scan(const pf_route *p, pf_scratch *ps, field_view *fv, size_t alt);
size_t pf_route_candidates(const pf_route *p, pf_scratch *ps, const uint32_t **out);

/* After a scan of the glob's route: whether the glob matches the scanned field (any element of
 * a multi-valued field), from where its literal occurred (a deferred field is scanned now).
 * Not for GLOB_GENERAL. */
bool pf_glob_matches(pf_scratch *ps, const glob *g);
/* Gives an item the compact form of its values when each is a simple glob decided by its route's
 * scan (c_item.pf_lits); memory from `a`. Once every route is built. */
void pf_compact_item(arena *a, c_item *it);
/* After a scan of the item's route: whether one of its values matches the field (as
 * pf_glob_matches would for each, without visiting the values). */
bool pf_item_matches(pf_scratch *ps, const c_item *it);
/* After that scan, for a GLOB_GENERAL glob: whether its required literal occurred in the field
 * (if not, no element can match; if so, the glob must still be matched). */
bool pf_glob_literal_seen(pf_scratch *ps, const glob *g);

#endif
