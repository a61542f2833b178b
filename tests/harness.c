/* harness.c — registry and runner for the unit tests (see harness.h). */
#include "harness.h"

#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct {
    const char *name, *file;
    test_fn fn;
} test_case;

static test_case *cases;
static size_t ncases, capcases;
static int current_failures;

void harness_register(const char *name, const char *file, test_fn fn) {
    if (ncases == capcases) {
        capcases = capcases ? capcases * 2 : 64;
        cases = realloc(cases, capcases * sizeof *cases);
        if (!cases) abort();
    }
    cases[ncases++] = (test_case){name, file, fn};
}

void harness_fail(const char *file, int line, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "  %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    current_failures++;
}

const char *harness_shared(const char *rel) {
    static char buf[4096];
    const char *root = getenv("SOCFEED_SHARED");
    snprintf(buf, sizeof buf, "%s/%s", root && *root ? root : "../shared", rel);
    return buf;
}

bool harness_have_shared(void) {
    return access(harness_shared("sigma/rules"), R_OK) == 0;
}

const char *harness_fixture(const char *rel) {
    static char buf[4096];
    snprintf(buf, sizeof buf, "tests/fixtures/%s", rel);
    return buf;
}

static int by_file_then_name(const void *a, const void *b) {
    const test_case *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    return c ? c : strcmp(x->name, y->name);
}

int main(int argc, char **argv) {
    /* Optional filter: run only tests whose name or file contains argv[1]. */
    const char *filter = argc > 1 ? argv[1] : NULL;
    size_t passed = 0, failed = 0;
    qsort(cases, ncases, sizeof *cases, by_file_then_name);
    for (size_t i = 0; i < ncases; i++) {
        if (filter && !strstr(cases[i].name, filter) && !strstr(cases[i].file, filter)) continue;
        current_failures = 0;
        cases[i].fn();
        if (current_failures) {
            failed++;
            fprintf(stderr, "FAIL %s (%s)\n", cases[i].name, cases[i].file);
        } else {
            passed++;
            if (getenv("HARNESS_VERBOSE")) printf("ok   %s\n", cases[i].name);
        }
    }
    free(cases);
    printf("%zu passed, %zu failed\n", passed, failed);
    return failed ? 1 : 0;
}
