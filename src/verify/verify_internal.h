/* verify_internal.h — the checker's comparison over rows normalized beforehand, so that a caller
 * verifying many queries over the same events (socfeed_verify_rules) normalizes each event once.
 * Internal to src/verify/. */
#ifndef SOCFEED_VERIFY_INTERNAL_H
#define SOCFEED_VERIFY_INTERNAL_H

#include "socfeed/verify.h"

/* As socfeed_verify_query(), with sigma[i] the rule's verdict on sample i and rows[k] (any table)
 * belonging to sample row_sample[k] < n. */
int verify_rows(const socfeed_normalizer *nz, const char *name, const char *kql, const char *refusal, const bool *sigma,
                size_t n, const socfeed_row *const *rows, const size_t *row_sample, size_t nrows,
                socfeed_verify_result *out);

/* A correlation rule: group[i] is the correlation's group key of sample i (NULL when no base rule
 * matched it), alerted[i] whether the rule alerted on that group. The query alerts on the groups
 * of the samples whose rows it keeps; the verdict compares the two sides sample by sample, every
 * sample of a group counting for the group (so the rule's one-alert-per-burst and the query's bins
 * agree when they flag the same groups). sigma_groups/kql_groups count the distinct groups. */
int verify_groups(const socfeed_normalizer *nz, const char *name, const char *kql, const char *refusal,
                  const char *const *group, const bool *alerted, size_t n, const socfeed_row *const *rows,
                  const size_t *row_sample, size_t nrows, socfeed_verify_result *out);

#endif
