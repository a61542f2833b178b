/* raw_view.h — a raw event tree seen as the WindowsEvent row the Azure Monitor Agent would store:
 * the columns every normalizer expression reads. Internal to src/verify/normalize/. */
#ifndef SOCFEED_VERIFY_NORMALIZE_RAW_VIEW_H
#define SOCFEED_VERIFY_NORMALIZE_RAW_VIEW_H

#include "socfeed/event.h"
#include "util/arena.h"

/* Columns (WindowsEvent table reference): Provider, Channel, EventID (int), Computer, EventRecordId,
 * EventLevel, Task, Opcode, Keywords, Version, TimeGenerated, SystemProcessId, SystemThreadId,
 * SystemUserId, EventData (dynamic object: the EventData members, or UserData's inner members), and
 * EventDataXml (the same members as the legacy agent's Event.EventData XML text, values escaped).
 * A flat JSON event (no "Event" key) keeps its own keys as EventData and gives the System columns
 * from the usual flat names (Provider_Name/SourceName, Channel, EventID, Computer/Hostname).
 * The result lives in `a` (string values point into `event`). */
socfeed_event_value raw_view_build(arena *a, const socfeed_event_value *event);

#endif
