/* diag.c — the diagnostics list (see socfeed/diag.h). */
#include "socfeed/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void socfeed_diags_init(socfeed_diags *d) { memset(d, 0, sizeof *d); }

void socfeed_diags_clear(socfeed_diags *d) {
    for (size_t i = 0; i < d->count; i++) {
        free(d->items[i].file);
        free(d->items[i].code);
        free(d->items[i].message);
    }
    free(d->items);
    socfeed_diags_init(d);
}

static socfeed_diag *append(socfeed_diags *d, socfeed_severity sev, const char *file,
                            const char *code) {
    if (d->count == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->items = xrealloc(d->items, d->cap * sizeof *d->items);
    }
    socfeed_diag *e = &d->items[d->count++];
    memset(e, 0, sizeof *e);
    e->severity = sev;
    e->file = xstrdup(file ? file : "<input>");
    e->code = xstrdup(code ? code : "error");
    if (sev == SOCFEED_ERROR) d->errors++;
    else d->warnings++;
    return e;
}

void socfeed_diag_add(socfeed_diags *d, socfeed_severity sev, const char *file, socfeed_pos pos,
                      const char *code, const char *fmt, ...) {
    socfeed_diag *e = append(d, sev, file, code);
    e->pos = pos;
    va_list ap;
    va_start(ap, fmt);
    e->message = xvasprintf(fmt, ap);
    va_end(ap);
}

void socfeed_diag_add_at_offset(socfeed_diags *d, socfeed_severity sev, const char *file,
                                uint64_t offset, const char *code, const char *fmt, ...) {
    socfeed_diag *e = append(d, sev, file, code);
    e->offset = offset;
    e->has_offset = 1;
    va_list ap;
    va_start(ap, fmt);
    e->message = xvasprintf(fmt, ap);
    va_end(ap);
}

void socfeed_diags_move(socfeed_diags *to, socfeed_diags *from) {
    for (size_t i = 0; i < from->count; i++) {
        if (to->count == to->cap) {
            to->cap = to->cap ? to->cap * 2 : 16;
            to->items = xrealloc(to->items, to->cap * sizeof *to->items);
        }
        to->items[to->count++] = from->items[i];
    }
    to->errors += from->errors;
    to->warnings += from->warnings;
    free(from->items);
    socfeed_diags_init(from);
}

static int by_position(const void *a, const void *b) {
    const socfeed_diag *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    if (c) return c;
    if (x->pos.line != y->pos.line) return x->pos.line < y->pos.line ? -1 : 1;
    if (x->pos.col != y->pos.col) return x->pos.col < y->pos.col ? -1 : 1;
    if (x->offset != y->offset) return x->offset < y->offset ? -1 : 1;
    return 0;
}

void socfeed_diags_sort(socfeed_diags *d) {
    /* qsort is not stable; a merge by index keeps insertion order for equal keys. */
    size_t n = d->count;
    if (n < 2) return;
    socfeed_diag *tmp = xmalloc(n * sizeof *tmp);
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = by_position(&d->items[j], &d->items[i]) < 0 ? d->items[j++] : d->items[i++];
            while (i < mid) tmp[k++] = d->items[i++];
            while (j < hi) tmp[k++] = d->items[j++];
        }
        memcpy(d->items, tmp, n * sizeof *tmp);
    }
    free(tmp);
}

void socfeed_diag_format(const socfeed_diag *e, char *buf, size_t size) {
    const char *sev = e->severity == SOCFEED_ERROR ? "error" : "warning";
    if (e->has_offset)
        snprintf(buf, size, "%s:offset 0x%llx: %s: %s [%s]", e->file, (unsigned long long)e->offset,
                 sev, e->message, e->code);
    else if (e->pos.line)
        snprintf(buf, size, "%s:%u:%u: %s: %s [%s]", e->file, e->pos.line, e->pos.col, sev,
                 e->message, e->code);
    else
        snprintf(buf, size, "%s: %s: %s [%s]", e->file, sev, e->message, e->code);
}
