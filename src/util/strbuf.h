/* strbuf.h — a growable byte buffer for building text (queries, JSON, HTML). */
#ifndef SOCFEED_UTIL_STRBUF_H
#define SOCFEED_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct strbuf {
    char *data; /* always NUL-terminated when non-NULL */
    size_t len, cap;
} strbuf;

void sb_init(strbuf *sb);
void sb_free(strbuf *sb);
void sb_reset(strbuf *sb);
/* Makes room for `extra` more bytes and the NUL. */
void sb_grow(strbuf *sb, size_t extra);
void sb_puts(strbuf *sb, const char *s);

/* Inline: JSON and KQL writers call these per character and per token. */
static inline void sb_append(strbuf *sb, const char *s, size_t n) {
    if (sb->len + n + 1 > sb->cap) sb_grow(sb, n);
    if (n) memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = 0;
}

static inline void sb_putc(strbuf *sb, char c) {
    if (sb->len + 2 > sb->cap) sb_grow(sb, 1);
    sb->data[sb->len++] = c;
    sb->data[sb->len] = 0;
}
void sb_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the buffer to the caller (free() it); sb is left empty. Never NULL. */
char *sb_detach(strbuf *sb);

#endif
