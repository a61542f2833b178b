/* socfeed/diag.h — diagnostics: every error or warning carries a file and a position.
 *
 * Ownership: a socfeed_diags list owns the strings of its entries; socfeed_diags_clear() frees them.
 * Thread safety: a list is not synchronised; give each thread its own and merge. */
#ifndef SOCFEED_DIAG_H
#define SOCFEED_DIAG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { SOCFEED_ERROR = 0, SOCFEED_WARNING = 1 } socfeed_severity;

/* A position in a source file: 1-based line and column (column counts bytes). 0 means unknown.
 * For binary inputs (EVTX), `offset` is the byte offset and line/col are 0. */
typedef struct socfeed_pos {
    uint32_t line;
    uint32_t col;
} socfeed_pos;

typedef struct socfeed_diag {
    socfeed_severity severity;
    char *file;       /* owned */
    socfeed_pos pos;
    uint64_t offset;  /* byte offset for binary inputs, else 0 */
    int has_offset;
    char *code;       /* short stable identifier, e.g. "yaml-syntax"; owned */
    char *message;    /* owned */
} socfeed_diag;

typedef struct socfeed_diags {
    socfeed_diag *items;
    size_t count, cap;
    size_t errors, warnings;
} socfeed_diags;

void socfeed_diags_init(socfeed_diags *d);
void socfeed_diags_clear(socfeed_diags *d);

/* Adds an entry; `fmt` is printf-style. Never fails (on allocation failure the process aborts,
 * as there is no useful way to report a lost diagnostic). */
void socfeed_diag_add(socfeed_diags *d, socfeed_severity sev, const char *file, socfeed_pos pos,
                      const char *code, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void socfeed_diag_add_at_offset(socfeed_diags *d, socfeed_severity sev, const char *file,
                                uint64_t offset, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Moves every entry of `from` to the end of `to`; `from` is left empty. */
void socfeed_diags_move(socfeed_diags *to, socfeed_diags *from);

/* Sorts by file, then position, then insertion order (stable). */
void socfeed_diags_sort(socfeed_diags *d);

/* Formats one entry as "file:line:col: error: message [code]" into buf (always NUL-terminated). */
void socfeed_diag_format(const socfeed_diag *diag, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
