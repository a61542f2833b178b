/* duration.h — a number of seconds as the two duration spellings Sentinel reads: ISO 8601 in ARM
 * templates ("PT1H15M"), and the short form of analytic-rule YAML ("75m"). */
#ifndef SOCFEED_UTIL_DURATION_H
#define SOCFEED_UTIL_DURATION_H

#include "util/strbuf.h"

/* P1D, PT1H, PT1H15M, PT90S: days, hours, minutes and seconds, each part only when not zero. */
void duration_put_iso(strbuf *sb, unsigned long long seconds);

/* The largest unit that divides it: 14d, 2h, 75m; seconds round up to minutes (Sentinel's unit). */
void duration_put_short(strbuf *sb, unsigned long long seconds);

#endif
