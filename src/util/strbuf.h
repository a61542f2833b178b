/* strbuf.h — a growable byte buffer for building text (queries, JSON, HTML). */
#ifndef SOCFEED_UTIL_STRBUF_H
#define SOCFEED_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct strbuf {
    char *data; /* always NUL-terminated when non-NULL */
    size_t len, cap;
} strbuf;

void sb_init(strbuf *sb);
void sb_free(strbuf *sb);
void sb_reset(strbuf *sb);
void sb_append(strbuf *sb, const char *s, size_t n);
void sb_puts(strbuf *sb, const char *s);
void sb_putc(strbuf *sb, char c);
void sb_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the buffer to the caller (free() it); sb is left empty. Never NULL. */
char *sb_detach(strbuf *sb);

#endif
