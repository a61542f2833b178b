/* event_facts.c — the time and computer of an event, whatever its shape (see engine.h). One
 * list of names for hunt output and correlation windows alike. */
#include <string.h>

#include "engine/field_view.h"
#include "socfeed/engine.h"

/* The first of `names` the event has as text; one field view for all the tries. */
static const char *first_text(const socfeed_event *ev, const char *const *names, size_t n, size_t *len) {
    field_view fv;
    fv_init(&fv);
    fv_build(&fv, ev);
    const char *out = NULL;
    for (size_t i = 0; i < n && !out; i++) {
        size_t nl = strlen(names[i]);
        fv_slot *s = fv_lookup(&fv, names[i], nl, fv_hash(names[i], nl));
        const socfeed_event_value *v = s ? s->value : NULL;
        if (v && (v->type == SOCFEED_EV_STRING || v->type == SOCFEED_EV_REAL)) {
            *len = v->len;
            out = v->as.s; /* points into the event, not the view */
        }
    }
    fv_free(&fv);
    return out;
}

const char *socfeed_event_time_text(const socfeed_event *ev, size_t *len) {
    static const char *const names[] = {"TimeCreated_SystemTime", "@timestamp", "TimeCreated", "UtcTime",
                                        "EventTime", "TimeGenerated", "timestamp"};
    return first_text(ev, names, sizeof names / sizeof *names, len);
}

const char *socfeed_event_computer_text(const socfeed_event *ev, size_t *len) {
    static const char *const names[] = {"Computer", "Hostname", "ComputerName", "host.name", "computer_name"};
    return first_text(ev, names, sizeof names / sizeof *names, len);
}
