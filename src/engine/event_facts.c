/* event_facts.c — the time and computer of an event, whatever its shape (see engine.h). One
 * list of names for hunt output and correlation windows alike. */
#include <string.h>

#include "engine/event_facts.h"
#include "socfeed/engine.h"

/* The first of `names` the event has as text; one field view for all the tries. */
static const char *first_text(field_view *fv, const socfeed_event *ev, const char *const *names, size_t n,
                              size_t *len) {
    fv_build(fv, ev);
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

const char *event_time_text_in(field_view *fv, const socfeed_event *ev, size_t *len) {
    return first_text(fv, ev, time_names, sizeof time_names / sizeof *time_names, len);
}

const char *event_computer_text_in(field_view *fv, const socfeed_event *ev, size_t *len) {
    return first_text(fv, ev, computer_names, sizeof computer_names / sizeof *computer_names, len);
}

const char *socfeed_event_time_text(const socfeed_event *ev, size_t *len) {
    field_view fv;
    fv_init(&fv);
    const char *t = event_time_text_in(&fv, ev, len);
    fv_free(&fv);
    return t;
}

const char *socfeed_event_computer_text(const socfeed_event *ev, size_t *len) {
    field_view fv;
    fv_init(&fv);
    const char *c = event_computer_text_in(&fv, ev, len);
    fv_free(&fv);
    return c;
}
