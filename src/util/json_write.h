/* json_write.h — writing JSON strings: escapes as evtx_dump writes them (\" \\ \n \r \t \b \f,
 * other control characters as \u00XX), everything else raw UTF-8. */
#ifndef SOCFEED_UTIL_JSON_WRITE_H
#define SOCFEED_UTIL_JSON_WRITE_H

#include <stddef.h>

#include "util/strbuf.h"

/* Appends `s` (len bytes) as a quoted JSON string. */
void json_write_string(strbuf *sb, const char *s, size_t len);
/* Same for a NUL-terminated string; NULL writes `null`. */
void json_write_cstr(strbuf *sb, const char *s);

#endif
