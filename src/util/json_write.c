/* json_write.c — see json_write.h. */
#include "util/json_write.h"

#include <string.h>

void json_write_string(strbuf *sb, const char *s, size_t len) {
    static const char hex[] = "0123456789ABCDEF";
    sb_putc(sb, '"');
    size_t run = 0; /* bytes that need no escape are copied in runs */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char ubuf[7];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default:
            if (c < 0x20) {
                memcpy(ubuf, "\\u00", 4);
                ubuf[4] = hex[c >> 4];
                ubuf[5] = hex[c & 15];
                ubuf[6] = 0;
                esc = ubuf;
            }
        }
        if (!esc) {
            run++;
            continue;
        }
        sb_append(sb, s + i - run, run);
        run = 0;
        sb_puts(sb, esc);
    }
    sb_append(sb, s + len - run, run);
    sb_putc(sb, '"');
}

void json_write_cstr(strbuf *sb, const char *s) {
    if (!s) sb_puts(sb, "null");
    else json_write_string(sb, s, strlen(s));
}
