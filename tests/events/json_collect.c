/* json_collect.c — see json_collect.h (test helper, no tests of its own). */
#include "json_collect.h"

#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "events/json/json_parser.h"
#include "events/json/json_write.h"
#include "util/xalloc.h"

int collect_event(void *ctx, const socfeed_event *ev) {
    collected *c = ctx;
    strbuf one;
    sb_init(&one);
    socfeed_json_write_value(&one, &ev->root);
    sb_append(&c->out, one.data, one.len);
    sb_putc(&c->out, '\n');
    if (c->n < COLLECT_MAX) {
        c->origin[c->n] = ev->origin;
        c->event[c->n] = sb_detach(&one);
    } else
        sb_free(&one);
    c->n++;
    return c->stop_after && c->n >= c->stop_after;
}

static void collect_init(collected *c) {
    size_t stop = c->stop_after;
    memset(c, 0, sizeof *c);
    c->stop_after = stop;
    sb_init(&c->out);
    sb_append(&c->out, "", 0);
    socfeed_diags_init(&c->diags);
}

void collect_json(collected *c, const char *text, size_t len, const socfeed_read_options *opt) {
    collect_init(c);
    if (len == SIZE_MAX) len = strlen(text);
    c->rc = socfeed_json_read_buffer("t.json", text, len, opt, collect_event, c, &c->diags, &c->stats);
}

void collect_json_spans(collected *c, const char *text, size_t len, const size_t *cuts, size_t ncuts,
                        const socfeed_read_options *opt) {
    collect_init(c);
    if (len == SIZE_MAX) len = strlen(text);
    json_parser p;
    json_parser_init(&p, "t.json", opt, collect_event, c, &c->diags);
    /* Like the stream reader: the unconsumed tail goes first in the next span. Each span is a
     * fresh heap copy so that ASan catches any read past its end. */
    size_t pos = 0, next_cut = 0;
    while (!p.stopped) {
        size_t upto = next_cut < ncuts ? cuts[next_cut++] : len;
        if (upto < pos) continue;
        bool final = upto >= len;
        if (final) upto = len;
        size_t n = upto - pos;
        char *span = xmalloc(n ? n : 1);
        memcpy(span, text + pos, n);
        size_t used = json_parser_feed(&p, span, n, final);
        free(span);
        pos += used;
        if (final) break;
    }
    c->stats.events = p.events;
    c->stats.errors = p.errors;
    c->rc = p.errors ? -1 : 0;
    json_parser_free(&p);
}

const char *collect_diag(const collected *c, size_t i) {
    static char buf[1024];
    if (i >= c->diags.count) return "(no such diagnostic)";
    socfeed_diag_format(&c->diags.items[i], buf, sizeof buf);
    return buf;
}

const char *collect_diags_text(const collected *c) {
    static char buf[16384];
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < c->diags.count && used < sizeof buf - 1; i++) {
        char one[1024];
        socfeed_diag_format(&c->diags.items[i], one, sizeof one);
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s\n", one);
        if (used >= sizeof buf) used = sizeof buf - 1;
    }
    return buf;
}

void collect_free(collected *c) {
    sb_free(&c->out);
    for (size_t i = 0; i < c->n && i < COLLECT_MAX; i++) free(c->event[i]);
    socfeed_diags_clear(&c->diags);
}
