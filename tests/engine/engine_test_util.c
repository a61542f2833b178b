/* engine_test_util.c — see engine_test_util.h. */
#include "engine/engine_test_util.h"

#include <stdio.h>
#include <string.h>

#include "rule/rule_test_util.h"
#include "socfeed/engine.h"
#include "socfeed/reader.h"
#include "util/json_write.h"
#include "util/strbuf.h"

typedef struct run_ctx {
    socfeed_scanner *s;
    const socfeed_rule *rule;
    int events, matched;
} run_ctx;

static int on_event(void *p, const socfeed_event *ev) {
    run_ctx *c = p;
    c->events++;
    c->matched += socfeed_scanner_rule_matches(c->s, ev, NULL, c->rule);
    return 0;
}

static int run(loaded *l, const char *event_json, bool routing) {
    if (l->errors || !l->rule) return -1;
    socfeed_engine_options opt = {.ignore_logsource = !routing};
    socfeed_engine *e = socfeed_engine_new(l->rs, &opt, NULL);
    run_ctx c = {socfeed_scanner_new(e), l->rule, 0, 0};
    socfeed_diags d;
    socfeed_diags_init(&d);
    socfeed_json_read_buffer("event.json", event_json, strlen(event_json), NULL, on_event, &c, &d, NULL);
    int r = (c.events != 1 || d.errors) ? -1 : c.matched;
    socfeed_diags_clear(&d);
    socfeed_scanner_free(c.s);
    socfeed_engine_free(e);
    return r;
}

int match_detection(const char *body, const char *event_json) {
    loaded l = load_detection(body);
    int r = run(&l, event_json, false);
    unload(&l);
    return r;
}

int match_rule(const char *yaml, const char *event_json, bool routing) {
    loaded l = load_text(yaml);
    int r = run(&l, event_json, routing);
    unload(&l);
    return r;
}

static char bufs[8][4096];
static int next_buf;

static const char *object(const char **kv, int n) {
    strbuf sb;
    sb_init(&sb);
    sb_putc(&sb, '{');
    for (int i = 0; i < n; i += 2) {
        if (i) sb_putc(&sb, ',');
        json_write_cstr(&sb, kv[i]);
        sb_putc(&sb, ':');
        json_write_cstr(&sb, kv[i + 1]);
    }
    sb_putc(&sb, '}');
    char *out = bufs[next_buf++ % 8];
    snprintf(out, sizeof bufs[0], "%s", sb.data);
    sb_free(&sb);
    return out;
}

const char *ev1(const char *k, const char *v) {
    const char *kv[] = {k, v};
    return object(kv, 2);
}

const char *ev2(const char *k1, const char *v1, const char *k2, const char *v2) {
    const char *kv[] = {k1, v1, k2, v2};
    return object(kv, 4);
}
