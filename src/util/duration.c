/* duration.c — see duration.h. */
#include "util/duration.h"

void duration_put_iso(strbuf *sb, unsigned long long s) {
    sb_putc(sb, 'P');
    if (s >= 86400) sb_printf(sb, "%lluD", s / 86400);
    s %= 86400;
    if (!s) {
        if (sb->data[sb->len - 1] == 'P') sb_puts(sb, "T0S");
        return;
    }
    sb_putc(sb, 'T');
    if (s >= 3600) sb_printf(sb, "%lluH", s / 3600);
    if (s % 3600 >= 60) sb_printf(sb, "%lluM", s % 3600 / 60);
    if (s % 60) sb_printf(sb, "%lluS", s % 60);
}

void duration_put_short(strbuf *sb, unsigned long long s) {
    if (s && s % 86400 == 0) sb_printf(sb, "%llud", s / 86400);
    else if (s && s % 3600 == 0) sb_printf(sb, "%lluh", s / 3600);
    else sb_printf(sb, "%llum", (s + 59) / 60);
}
