/* cli_util.h — small helpers shared by the subcommands (option values, diagnostics output). */
#ifndef SOCFEED_CLI_UTIL_H
#define SOCFEED_CLI_UTIL_H

#include <stdbool.h>
#include <stdio.h>

#include "socfeed/diag.h"

unsigned cli_default_threads(void);
/* Parses a -j value (1..256); prints an error and returns false when invalid. */
bool cli_parse_threads(const char *text, unsigned *out);
/* Prints each diagnostic as "file:line:col: severity: message [code]". */
void cli_print_diags(FILE *out, const socfeed_diags *d, bool errors_only);

#endif
