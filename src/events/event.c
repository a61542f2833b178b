/* event.c — the event tree helpers declared in socfeed/event.h: member lookup and JSON output.
 * Not for: building trees (each reader does that in its own arena). */
#include "socfeed/event.h"

#include <string.h>

#include "events/json/json_write.h"
#include "util/strbuf.h"

const socfeed_event_value *socfeed_event_get(const socfeed_event_value *obj, const char *key) {
    if (!obj || !key || obj->type != SOCFEED_EV_OBJECT) return NULL;
    size_t n = strlen(key);
    for (uint32_t i = 0; i < obj->len; i++) {
        const socfeed_event_member *m = &obj->as.members[i];
        if (m->key_len == n && memcmp(m->key, key, n) == 0) return &m->value;
    }
    return NULL;
}

char *socfeed_event_to_json(const socfeed_event_value *v) {
    strbuf sb;
    sb_init(&sb);
    socfeed_json_write_value(&sb, v);
    return sb_detach(&sb);
}
