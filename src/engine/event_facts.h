/* event_facts.h — the time and computer of an event read through a caller's field view, so a caller
 * asking per event (hunt's time window, its hosts tally) reuses one view instead of building and
 * freeing one per question, as the public socfeed_event_time_text() must. */
#ifndef SOCFEED_ENGINE_EVENT_FACTS_H
#define SOCFEED_ENGINE_EVENT_FACTS_H

#include "engine/field_view.h"

struct socfeed_scanner;
/* The view a scanner built for the event it is reporting: valid inside its socfeed_hit_fn, so a
 * detection's facts cost no second view. */
field_view *scanner_event_view(struct socfeed_scanner *s);

/* From a view already built for the event (fv_build); results point into the event. */
const char *fv_time_text(field_view *fv, size_t *len);
const char *fv_computer_text(field_view *fv, size_t *len);
/* The record number: the reader's (EVTX) or the event's EventRecordID field (JSON exports); 0 if none. */
uint64_t fv_record_id(field_view *fv, const socfeed_event *ev);

#endif
