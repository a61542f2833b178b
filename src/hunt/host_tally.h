/* host_tally.h — detections counted by computer name, for hunt's summary ("which hosts are hit"
 * is the first question of an incident responder). Each worker keeps its own tally; they are merged
 * once at the end. Not thread-safe by itself. */
#ifndef SOCFEED_HUNT_HOST_TALLY_H
#define SOCFEED_HUNT_HOST_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "socfeed/hunt.h"

typedef struct host_tally {
    socfeed_hunt_host *slots; /* open addressing by name; name NULL = empty */
    size_t cap, n;
} host_tally;

/* Adds `count` detections to the host `name` (len bytes; "" for events that name no computer). */
void host_tally_add(host_tally *t, const char *name, size_t len, uint64_t count);
/* Adds every host of `from` to `into`. */
void host_tally_merge(host_tally *into, const host_tally *from);
/* The hosts, most detections first (ties by name), as a malloc'ed array the caller owns with its
 * names; the tally is left empty. */
socfeed_hunt_host *host_tally_take_sorted(host_tally *t, size_t *n);
void host_tally_free(host_tally *t);

#endif
