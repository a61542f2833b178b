/* verify_test_util.c — see verify_test_util.h. */
#include "verify/verify_test_util.h"

#include <stdlib.h>

#include "harness.h"
#include "socfeed/reader.h"
#include "util/xalloc.h"
#include "verify/kql/kql_expr.h"

static int keep(void *ctx, const socfeed_event *event) {
    test_events *ev = ctx;
    socfeed_event_value *copy = arena_alloc(&ev->a, sizeof *copy);
    *copy = kql_copy_value(&ev->a, &event->root);
    ev->items = xrealloc(ev->items, (ev->n + 1) * sizeof *ev->items);
    ev->items[ev->n++] = copy;
    return 0;
}

test_events test_events_load(const char *path) {
    test_events ev = {0};
    arena_init(&ev.a);
    socfeed_diags d;
    socfeed_diags_init(&d);
    if (socfeed_read_file(path, NULL, keep, &ev, &d, NULL) != 0)
        harness_fail(__FILE__, __LINE__, "reading %s: %s", path, d.count ? d.items[0].message : "?");
    socfeed_diags_clear(&d);
    return ev;
}

void test_events_free(test_events *ev) {
    free(ev->items);
    arena_free(&ev->a);
    ev->items = NULL;
    ev->n = 0;
}
