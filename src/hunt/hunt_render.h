/* hunt_render.h — a detection's line written through a field view the caller already built for
 * its event: the time, the computer, each matched field and the record id are then lookups in one
 * index, not one throw-away view each (which was most of hunt's output cost on the EVTX samples).
 * socfeed_hunt_render() (hunt.h) is the same for callers without a view. */
#ifndef SOCFEED_HUNT_RENDER_H
#define SOCFEED_HUNT_RENDER_H

#include "engine/field_view.h"
#include "socfeed/hunt.h"
#include "util/strbuf.h"

/* Appends the detection to `sb`; `fv` is built for hit->event. */
void hunt_render_to(strbuf *sb, field_view *fv, socfeed_hunt_format fmt, const socfeed_hit *hit);

#endif
