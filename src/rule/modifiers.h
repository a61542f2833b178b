/* modifiers.h — the value-modifier vocabulary of Sigma 2.1: names, aliases and classes.
 * The chaining rules themselves live in item_parse.c, where values are built. */
#ifndef SOCFEED_RULE_MODIFIERS_H
#define SOCFEED_RULE_MODIFIERS_H

#include <stdbool.h>
#include <stddef.h>

#include "socfeed/rule.h"

/* Looks a modifier up by name (case-sensitive, as pySigma); false when unknown. */
bool modifier_lookup(const char *name, size_t len, socfeed_modifier *out);

bool modifier_is_regex_flag(socfeed_modifier m);  /* i, m, s and their long names */
bool modifier_is_compare(socfeed_modifier m);     /* gt, gte, lt, lte */
bool modifier_is_time_part(socfeed_modifier m);   /* minute … year */
bool modifier_is_encoding(socfeed_modifier m);    /* wide, utf16*, base64, base64offset */

#endif
