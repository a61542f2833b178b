/* file_read.h — a whole small file into memory (rules, mappings, placeholder and info files).
 * Not for event inputs: those are mapped or streamed by the readers, with their own bounds. */
#ifndef SOCFEED_UTIL_FILE_READ_H
#define SOCFEED_UTIL_FILE_READ_H
#include <stddef.h>
/* Returns a malloc'ed, NUL-terminated copy of the file (free() it), or NULL with errno set. */
char *file_read_all(const char *path, size_t *len);
#endif
