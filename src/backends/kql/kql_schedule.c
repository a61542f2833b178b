/* kql_schedule.c — see socfeed_kql_schedule_for() in socfeed/kql.h. */
#include "socfeed/kql.h"

enum { RUN_EVERY = 3600, MAX_LOOKBACK = 14 * 86400 };

socfeed_kql_schedule socfeed_kql_schedule_for(const socfeed_rule *rule) {
    socfeed_kql_schedule s = {RUN_EVERY, RUN_EVERY};
    if (rule && rule->kind == SOCFEED_DOC_CORRELATION && rule->correlation)
        s.period_seconds += rule->correlation->timespan_seconds;
    if (s.period_seconds > MAX_LOOKBACK) s.period_seconds = MAX_LOOKBACK;
    return s;
}
