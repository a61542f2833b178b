/* event_facts.c — the time, computer and record number of an event, whatever its shape (see engine.h). One
 * list of names for hunt output and correlation windows alike. */
#include <stdlib.h>
#include <string.h>

#include "engine/event_facts.h"
#include "socfeed/engine.h"

/* The first of `names` the viewed event has as text. */
static const char *first_text(field_view *fv, const char *const *names, size_t n, size_t *len) {
    for (size_t i = 0; i < n; i++) {
        size_t nl = strlen(names[i]);
        fv_slot *s = fv_lookup(fv, names[i], nl, fv_hash(names[i], nl));
        const socfeed_event_value *v = s ? s->value : NULL;
        if (v && (v->type == SOCFEED_EV_STRING || v->type == SOCFEED_EV_REAL)) {
            *len = v->len;
            return v->as.s; /* points into the event, not the view */
        }
    }
    return NULL;
}

static const char *const time_names[] = {"TimeCreated_SystemTime", "@timestamp", "TimeCreated", "UtcTime",
                                         "EventTime", "TimeGenerated", "timestamp"};
static const char *const computer_names[] = {"Computer", "Hostname", "ComputerName", "host.name", "computer_name"};

const char *fv_time_text(field_view *fv, size_t *len) {
    return first_text(fv, time_names, sizeof time_names / sizeof *time_names, len);
}

const char *fv_computer_text(field_view *fv, size_t *len) {
    return first_text(fv, computer_names, sizeof computer_names / sizeof *computer_names, len);
}

uint64_t fv_record_id(field_view *fv, const socfeed_event *ev) {
    if (ev->origin.record_id) return ev->origin.record_id;
    fv_slot *s = fv_lookup(fv, "EventRecordID", 13, fv_hash("EventRecordID", 13));
    const socfeed_event_value *v = s ? s->value : NULL;
    if (v && v->type == SOCFEED_EV_INT && v->as.i > 0) return (uint64_t)v->as.i;
    if (v && v->type == SOCFEED_EV_STRING) return strtoull(v->as.s, NULL, 10);
    return 0;
}

/* A throw-away view for one question: results point into the event, never into the view. */
static const char *ask(const socfeed_event *ev, const char *(*question)(field_view *, size_t *), size_t *len) {
    field_view fv;
    fv_init(&fv);
    fv_build(&fv, ev);
    const char *t = question(&fv, len);
    fv_free(&fv);
    return t;
}

const char *socfeed_event_time_text(const socfeed_event *ev, size_t *len) { return ask(ev, fv_time_text, len); }

const char *socfeed_event_computer_text(const socfeed_event *ev, size_t *len) { return ask(ev, fv_computer_text, len); }

uint64_t socfeed_event_record_id(const socfeed_event *ev) {
    if (ev->origin.record_id) return ev->origin.record_id;
    field_view fv;
    fv_init(&fv);
    fv_build(&fv, ev);
    uint64_t id = fv_record_id(&fv, ev);
    fv_free(&fv);
    return id;
}
