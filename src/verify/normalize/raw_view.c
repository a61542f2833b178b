/* raw_view.c — evtx_dump trees → the WindowsEvent-shaped row (see raw_view.h). Why WindowsEvent:
 * the Azure Monitor Agent stores Windows events there with EventData as a dynamic object, and
 * Microsoft's ASIM parsers for it read `EventData.X` directly, so the data files can use their
 * expressions as written. (The legacy agent's `Event` table, which keeps EventData as XML text,
 * was retired with that agent in August 2024.) */
#include "verify/normalize/raw_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

typedef struct builder {
    arena *a;
    socfeed_event_member *m;
    uint32_t n, cap;
} builder;

static void put(builder *b, const char *key, const socfeed_event_value *v) {
    if (!v || v->type == SOCFEED_EV_NULL) return;
    for (uint32_t i = 0; i < b->n; i++)
        if (!strcmp(b->m[i].key, key)) return; /* first writer wins: System before fallbacks */
    if (b->n == b->cap) {
        uint32_t cap = b->cap ? b->cap * 2 : 32;
        socfeed_event_member *m = arena_alloc(b->a, cap * sizeof *m);
        if (b->n) memcpy(m, b->m, b->n * sizeof *m);
        b->m = m;
        b->cap = cap;
    }
    b->m[b->n++] = (socfeed_event_member){key, (uint32_t)strlen(key), *v};
}

/* `<Elem Attr="…">text</Elem>` in evtx_dump JSON is {"#attributes": {…}, "#text": …}. */
static const socfeed_event_value *attr(const socfeed_event_value *elem, const char *name) {
    return socfeed_event_get(socfeed_event_get(elem, "#attributes"), name);
}

static const socfeed_event_value *text_of(const socfeed_event_value *elem) {
    if (elem && elem->type == SOCFEED_EV_OBJECT) return socfeed_event_get(elem, "#text");
    return elem;
}

/* EventData members, minus its own #attributes (TaskScheduler writes {"Name": …} there). */
static void add_members(builder *b, const socfeed_event_value *obj) {
    if (!obj || obj->type != SOCFEED_EV_OBJECT) return;
    for (uint32_t i = 0; i < obj->len; i++) {
        const socfeed_event_member *m = &obj->as.members[i];
        if (!strcmp(m->key, "#attributes") || !strcmp(m->key, "xmlns")) continue;
        put(b, m->key, &m->value);
    }
}

static socfeed_event_value object_of(const builder *b) {
    return (socfeed_event_value){.type = SOCFEED_EV_OBJECT, .len = b->n, .as.members = b->m};
}

static void put_xml_escaped(strbuf *sb, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&': sb_puts(sb, "&amp;"); break;
        case '<': sb_puts(sb, "&lt;"); break;
        case '>': sb_puts(sb, "&gt;"); break;
        case '"': sb_puts(sb, "&quot;"); break;
        default: sb_putc(sb, s[i]);
        }
    }
}

/* The legacy agent's Event.EventData text: the EventData as XML, values escaped, as Microsoft's
 * Event-table parsers read it with `<Data Name="(\w+)">{?([^<]*?)}?</Data>`. */
static socfeed_event_value event_data_xml(arena *a, const socfeed_event_value *data) {
    strbuf sb;
    sb_init(&sb);
    sb_puts(&sb, "<DataItem type=\"System.XmlData\"><EventData xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">");
    for (uint32_t i = 0; i < data->len; i++) {
        const socfeed_event_member *m = &data->as.members[i];
        sb_puts(&sb, "<Data Name=\"");
        put_xml_escaped(&sb, m->key, m->key_len);
        sb_puts(&sb, "\">");
        const socfeed_event_value *v = &m->value;
        if (v->type == SOCFEED_EV_STRING || v->type == SOCFEED_EV_REAL) put_xml_escaped(&sb, v->as.s, v->len);
        else if (v->type == SOCFEED_EV_INT) sb_printf(&sb, "%lld", (long long)v->as.i);
        else if (v->type == SOCFEED_EV_UINT) sb_printf(&sb, "%llu", (unsigned long long)v->as.u);
        else if (v->type == SOCFEED_EV_BOOL) sb_puts(&sb, v->as.b ? "true" : "false");
        else if (v->type != SOCFEED_EV_NULL) {
            char *json = socfeed_event_to_json(v);
            put_xml_escaped(&sb, json, strlen(json));
            free(json);
        }
        sb_puts(&sb, "</Data>");
    }
    sb_puts(&sb, "</EventData></DataItem>");
    socfeed_event_value out = {.type = SOCFEED_EV_STRING, .len = (uint32_t)sb.len};
    out.as.s = arena_memdup(a, sb.data ? sb.data : "", sb.len + 1);
    sb_free(&sb);
    return out;
}

socfeed_event_value raw_view_build(arena *a, const socfeed_event_value *event) {
    builder row = {.a = a}, data = {.a = a};
    const socfeed_event_value *ev = socfeed_event_get(event, "Event");
    if (ev) {
        const socfeed_event_value *sys = socfeed_event_get(ev, "System");
        put(&row, "Provider", attr(socfeed_event_get(sys, "Provider"), "Name"));
        put(&row, "Channel", socfeed_event_get(sys, "Channel"));
        put(&row, "EventID", text_of(socfeed_event_get(sys, "EventID")));
        put(&row, "Computer", socfeed_event_get(sys, "Computer"));
        put(&row, "EventRecordId", socfeed_event_get(sys, "EventRecordID"));
        put(&row, "EventLevel", socfeed_event_get(sys, "Level"));
        put(&row, "Task", socfeed_event_get(sys, "Task"));
        put(&row, "Opcode", socfeed_event_get(sys, "Opcode"));
        put(&row, "Keywords", socfeed_event_get(sys, "Keywords"));
        put(&row, "Version", socfeed_event_get(sys, "Version"));
        put(&row, "TimeGenerated", attr(socfeed_event_get(sys, "TimeCreated"), "SystemTime"));
        put(&row, "SystemProcessId", attr(socfeed_event_get(sys, "Execution"), "ProcessID"));
        put(&row, "SystemThreadId", attr(socfeed_event_get(sys, "Execution"), "ThreadID"));
        put(&row, "SystemUserId", attr(socfeed_event_get(sys, "Security"), "UserID"));
        add_members(&data, socfeed_event_get(ev, "EventData"));
        /* UserData wraps its values in one element named after the event (e.g. Operation_ClientFailure). */
        const socfeed_event_value *ud = socfeed_event_get(ev, "UserData");
        if (ud && ud->type == SOCFEED_EV_OBJECT)
            for (uint32_t i = 0; i < ud->len; i++)
                if (strcmp(ud->as.members[i].key, "#attributes")) add_members(&data, &ud->as.members[i].value);
    } else if (event && event->type == SOCFEED_EV_OBJECT) {
        static const char *const provider[] = {"Provider_Name", "SourceName", "Provider", NULL};
        static const char *const computer[] = {"Computer", "Hostname", NULL};
        for (size_t i = 0; provider[i]; i++) put(&row, "Provider", socfeed_event_get(event, provider[i]));
        put(&row, "Channel", socfeed_event_get(event, "Channel"));
        put(&row, "EventID", socfeed_event_get(event, "EventID"));
        for (size_t i = 0; computer[i]; i++) put(&row, "Computer", socfeed_event_get(event, computer[i]));
        put(&row, "TimeGenerated", socfeed_event_get(event, "TimeCreated"));
        add_members(&data, event);
    }
    socfeed_event_value d = object_of(&data);
    put(&row, "EventData", &d);
    socfeed_event_value xml = event_data_xml(a, &d);
    put(&row, "EventDataXml", &xml);
    return object_of(&row);
}
