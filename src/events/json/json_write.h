/* json_write.h — writing event trees as compact JSON into a strbuf (internal; socfeed_event_to_json
 * in event.h is the public wrapper). Exposed for callers that write many events and reuse one
 * buffer (`socfeed dump`).
 * Strings go through util/json_write.h (evtx_dump's escaping: \" \\ \n \r \t \b \f, other bytes
 * below 0x20 as \u00XX upper-case, everything else raw UTF-8). Keys keep source order; REAL
 * numbers are written as their source text. */
#ifndef SOCFEED_EVENTS_JSON_WRITE_H
#define SOCFEED_EVENTS_JSON_WRITE_H

#include "socfeed/event.h"
#include "util/strbuf.h"

/* Appends the value tree as compact JSON (no spaces, no newline). */
void socfeed_json_write_value(strbuf *sb, const socfeed_event_value *v);

#endif
