/* html.h — writing untrusted text into HTML. Every byte of rule text goes through one of these:
 * rule files are written by strangers, and a feed page must never run what a rule author typed. */
#ifndef SOCFEED_FEED_HTML_H
#define SOCFEED_FEED_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

/* Appends `s` escaped for HTML text and for quoted attribute values alike (& < > " ' become
 * entities). NUL bytes and C0 controls other than tab/newline/CR are dropped: HTML forbids them. */
void html_escape(strbuf *sb, const char *s, size_t len);
void html_escape_cstr(strbuf *sb, const char *s); /* NULL appends nothing */

/* True when `url` may go into an href: http(s) only, no whitespace or control characters.
 * javascript:, data: and relative tricks in a rule's references are shown as text instead. */
bool html_url_is_safe(const char *url);

/* Appends a safe slug for file names and anchors: [A-Za-z0-9._-] kept, anything else '-',
 * at most 100 bytes, never empty, never starting with '.'. */
void html_slug(strbuf *sb, const char *s);

#endif
