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

#endif
