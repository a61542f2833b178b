/* json_write.c — compact JSON output of event trees (see json_write.h). */
#include "events/json/json_write.h"

#include "util/decimal.h"
#include "util/json_write.h"

void socfeed_json_write_value(strbuf *sb, const socfeed_event_value *v) {
    char num[DECIMAL_MAX];
    switch (v->type) {
    case SOCFEED_EV_NULL: sb_append(sb, "null", 4); return;
    case SOCFEED_EV_BOOL: v->as.b ? sb_append(sb, "true", 4) : sb_append(sb, "false", 5); return;
    case SOCFEED_EV_INT: sb_append(sb, num, decimal_i64(v->as.i, num)); return;
    case SOCFEED_EV_UINT: sb_append(sb, num, decimal_u64(v->as.u, num)); return;
    case SOCFEED_EV_REAL: sb_append(sb, v->as.s, v->len); return;
    case SOCFEED_EV_STRING: json_write_string(sb, v->as.s, v->len); return;
    case SOCFEED_EV_ARRAY:
        sb_putc(sb, '[');
        for (uint32_t i = 0; i < v->len; i++) {
            if (i) sb_putc(sb, ',');
            socfeed_json_write_value(sb, &v->as.items[i]);
        }
        sb_putc(sb, ']');
        return;
    case SOCFEED_EV_OBJECT:
        sb_putc(sb, '{');
        for (uint32_t i = 0; i < v->len; i++) {
            const socfeed_event_member *m = &v->as.members[i];
            if (i) sb_putc(sb, ',');
            json_write_string(sb, m->key, m->key_len);
            sb_putc(sb, ':');
            socfeed_json_write_value(sb, &m->value);
        }
        sb_putc(sb, '}');
        return;
    }
    sb_append(sb, "null", 4); /* unknown type: keep the output valid JSON */
}
