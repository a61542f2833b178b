/* cli_util.h — small helpers shared by the subcommands (option values, diagnostics output). */
#ifndef SOCFEED_CLI_UTIL_H
#define SOCFEED_CLI_UTIL_H

#include <stdbool.h>
#include <stdio.h>

#include "socfeed/diag.h"
#include "socfeed/rule.h"

unsigned cli_default_threads(void);
/* Parses a -j value (1..256); prints an error and returns false when invalid. */
bool cli_parse_threads(const char *text, unsigned *out);
/* argv[*i] as a thread-count option, `-j N` or `-jN` (as make takes it): 0 when it is not one,
 * 1 when parsed (*i moved past its value), -1 when its value is missing or invalid (reported). */
int cli_jobs_option(int argc, char **argv, int *i, unsigned *threads);
/* Prints each diagnostic as "file:line:col: severity: message [code]". */
void cli_print_diags(FILE *out, const socfeed_diags *d, bool errors_only);

/* The rule set of a command: placeholders (may be NULL), then every path, finalized. With
 * `errors_to`, the load errors are printed there (warnings are `socfeed check`'s business). */
socfeed_ruleset *cli_load_rules(const char *const *paths, size_t npaths, const char *placeholders, unsigned threads,
                                FILE *errors_to);

#endif
