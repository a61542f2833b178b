/* html.c — see html.h. */
#include "feed/html.h"

#include <string.h>

void html_escape(strbuf *sb, const char *s, size_t len) {
    size_t run = 0; /* bytes copied verbatim in one append: escaping is per-character but rare */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') rep = "";
            else if (c == 0x7f) rep = "";
        }
        if (!rep) continue;
        if (i > run) sb_append(sb, s + run, i - run);
        sb_puts(sb, rep);
        run = i + 1;
    }
    if (len > run) sb_append(sb, s + run, len - run);
}

void html_escape_cstr(strbuf *sb, const char *s) {
    if (s) html_escape(sb, s, strlen(s));
}

bool html_url_is_safe(const char *url) {
    if (!url) return false;
    if (strncmp(url, "https://", 8) && strncmp(url, "http://", 7)) return false;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p == 0x7f) return false;
    return true;
}

void html_slug(strbuf *sb, const char *s) {
    size_t start = sb->len, n = 0;
    for (const char *p = s ? s : ""; *p && n < 100; p++, n++) {
        char c = *p;
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || (c == '.' && n > 0);
        sb_putc(sb, keep ? c : '-');
    }
    if (sb->len == start) sb_puts(sb, "rule");
}
