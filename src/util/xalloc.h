/* xalloc.h — allocation that aborts on out-of-memory, and small string helpers.
 * Why abort: socfeed bounds its inputs, so running out of memory is a bug or a hostile host;
 * checking every small allocation would bury the logic without making recovery possible. */
#ifndef SOCFEED_UTIL_XALLOC_H
#define SOCFEED_UTIL_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

#endif
