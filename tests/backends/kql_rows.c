/* kql_rows.c — see kql_rows.h. */
#include "backends/kql_rows.h"

#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "socfeed/kql_eval.h"
#include "socfeed/reader.h"

static socfeed_event_value copy_value(arena *a, const socfeed_event_value *v) {
    socfeed_event_value out = *v;
    if (v->type == SOCFEED_EV_STRING || v->type == SOCFEED_EV_REAL) out.as.s = arena_memdup(a, v->as.s, v->len + 1);
    if (v->type == SOCFEED_EV_ARRAY) {
        socfeed_event_value *items = arena_alloc(a, (v->len + 1) * sizeof *items);
        for (uint32_t i = 0; i < v->len; i++) items[i] = copy_value(a, &v->as.items[i]);
        out.as.items = items;
    }
    if (v->type == SOCFEED_EV_OBJECT) {
        socfeed_event_member *m = arena_alloc(a, (v->len + 1) * sizeof *m);
        for (uint32_t i = 0; i < v->len; i++) {
            m[i].key = arena_memdup(a, v->as.members[i].key, v->as.members[i].key_len + 1);
            m[i].key_len = v->as.members[i].key_len;
            m[i].value = copy_value(a, &v->as.members[i].value);
        }
        out.as.members = m;
    }
    return out;
}

static int keep_row(void *ctx, const socfeed_event *ev) {
    kql_rows *r = ctx;
    if (r->n == sizeof r->items / sizeof *r->items) return 1;
    r->items[r->n] = arena_alloc(&r->a, sizeof *r->items[0]);
    *r->items[r->n++] = copy_value(&r->a, &ev->root);
    return 0;
}

kql_rows kql_rows_load(const char *jsonl) {
    kql_rows r;
    memset(&r, 0, sizeof r);
    arena_init(&r.a);
    socfeed_diags d;
    socfeed_diags_init(&d);
    socfeed_json_read_buffer("rows.jsonl", jsonl, strlen(jsonl), NULL, keep_row, &r, &d, NULL);
    if (d.errors) harness_fail(__FILE__, __LINE__, "bad test rows: %s", d.items[0].message);
    socfeed_diags_clear(&d);
    return r;
}

void kql_rows_free(kql_rows *r) { arena_free(&r->a); }

const char *kql_rows_selected(const char *query, kql_rows *r) {
    static char out[512];
    socfeed_diags d;
    socfeed_diags_init(&d);
    socfeed_kql_query *q = socfeed_kql_parse("q", query, &d);
    if (q) {
        bool sel[16] = {0};
        if (socfeed_kql_run(q, (const socfeed_event_value *const *)r->items, r->n, sel, &d) == 0) {
            out[0] = 0;
            for (size_t i = 0; i < r->n; i++)
                if (sel[i]) snprintf(out + strlen(out), sizeof out - strlen(out), "%s%zu", out[0] ? "," : "", i);
        }
    }
    if (d.count) snprintf(out, sizeof out, "error: %s", d.items[0].message);
    socfeed_kql_query_free(q);
    socfeed_diags_clear(&d);
    return out;
}
