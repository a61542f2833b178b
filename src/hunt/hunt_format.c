/* hunt_format.c — one detection as a table line, a JSON object or a CSV record (see hunt.h).
 * The same facts in each: time, computer, rule (title, id, level, ATT&CK tags), the matched
 * fields with their values, record id and file; jsonl adds the whole event. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "engine/event_facts.h"
#include "hunt/hunt_render.h"
#include "socfeed/hunt.h"
#include "util/decimal.h"
#include "util/json_write.h"
#include "util/strbuf.h"

enum { TABLE_VALUE_MAX = 160 };

static const socfeed_event_value *field_in(field_view *fv, const char *name) {
    size_t len = strlen(name);
    fv_slot *s = fv_lookup(fv, name, len, fv_hash(name, len));
    return s ? s->value : NULL;
}

/* ATT&CK tags without their "attack." prefix, technique ids upper-case: T1059.001,execution. */
static void put_tags(strbuf *sb, const socfeed_rule *r, const char *sep) {
    bool first = true;
    for (size_t i = 0; i < r->tags.count; i++) {
        const char *t = r->tags.items[i].s;
        if (strncmp(t, "attack.", 7) != 0) continue;
        t += 7;
        if (!first) sb_puts(sb, sep);
        first = false;
        if ((t[0] == 't' || t[0] == 'T') && isdigit((unsigned char)t[1])) {
            sb_putc(sb, 'T');
            sb_puts(sb, t + 1);
        } else {
            sb_puts(sb, t);
        }
    }
}

/* A scalar's text for display; arrays joined with ", ". */
static void put_value(strbuf *sb, const socfeed_event_value *v, size_t max) {
    size_t start = sb->len;
    switch (v ? v->type : SOCFEED_EV_NULL) {
    case SOCFEED_EV_STRING:
    case SOCFEED_EV_REAL: sb_append(sb, v->as.s, v->len); break;
    case SOCFEED_EV_INT: sb_printf(sb, "%" PRId64, v->as.i); break;
    case SOCFEED_EV_UINT: sb_printf(sb, "%" PRIu64, v->as.u); break;
    case SOCFEED_EV_BOOL: sb_puts(sb, v->as.b ? "true" : "false"); break;
    case SOCFEED_EV_ARRAY:
        for (uint32_t i = 0; i < v->len; i++) {
            if (i) sb_puts(sb, ", ");
            put_value(sb, &v->as.items[i], 0);
        }
        break;
    default: sb_puts(sb, "null"); break;
    }
    if (max && sb->len - start > max) { /* cut on a UTF-8 boundary */
        size_t cut = start + max;
        while (cut > start && ((unsigned char)sb->data[cut] & 0xC0) == 0x80) cut--;
        sb->len = cut;
        sb->data[cut] = 0;
        sb_puts(sb, "…");
    }
    /* one detection per line: control characters in values must not break it */
    for (size_t i = start; i < sb->len; i++)
        if ((unsigned char)sb->data[i] < 0x20) sb->data[i] = ' ';
}

static void put_matched(strbuf *sb, field_view *fv, const socfeed_hit *h, size_t max) {
    for (size_t i = 0; i < h->nmatched; i++) {
        if (i) sb_puts(sb, "; ");
        sb_puts(sb, h->matched_fields[i]);
        if (!strcmp(h->matched_fields[i], "keywords")) continue;
        sb_putc(sb, '=');
        put_value(sb, field_in(fv, h->matched_fields[i]), max);
    }
}

static const char *or_dash(const char *s) { return s && *s ? s : "-"; }

/* `s` (n bytes) left-aligned in `width` columns, as printf's %-*.*s: a detection line had four
 * printf calls, 12,000 instructions, a tenth of what matching its event cost. */
static void put_padded(strbuf *sb, const char *s, size_t n, size_t width) {
    n = strnlen(s, n); /* as %.*s, a NUL in the value ends it */
    sb_append(sb, s, n);
    for (; n < width; n++) sb_putc(sb, ' ');
}

static void put_u64(strbuf *sb, uint64_t v) {
    char buf[DECIMAL_MAX];
    sb_append(sb, buf, decimal_u64(v, buf));
}

static void render_table(strbuf *sb, field_view *fv, const socfeed_hit *h) {
    size_t tl = 0, cl = 0;
    const char *t = fv_time_text(fv, &tl), *c = fv_computer_text(fv, &cl);
    const char *level = or_dash(socfeed_level_name(h->rule->level));
    put_padded(sb, t ? t : "-", t ? tl : 1, 28);
    sb_append(sb, "  ", 2);
    put_padded(sb, c ? c : "-", c ? cl : 1, 20);
    sb_append(sb, "  ", 2);
    put_padded(sb, level, strlen(level), 13);
    sb_append(sb, "  ", 2);
    sb_puts(sb, or_dash(h->rule->title.s));
    sb_puts(sb, "  [");
    put_tags(sb, h->rule, ",");
    sb_puts(sb, "]  ");
    put_matched(sb, fv, h, TABLE_VALUE_MAX);
    uint64_t rid = fv_record_id(fv, h->event);
    if (rid) {
        sb_puts(sb, "  #");
        put_u64(sb, rid);
    } else if (h->event->origin.line) {
        sb_puts(sb, "  line ");
        put_u64(sb, h->event->origin.line);
    }
    sb_puts(sb, "  ");
    sb_puts(sb, or_dash(h->event->origin.file));
    sb_putc(sb, '\n');
}

static void json_field(strbuf *sb, const char *key, const char *val, size_t len) {
    json_write_cstr(sb, key);
    sb_putc(sb, ':');
    if (val) json_write_string(sb, val, len);
    else sb_puts(sb, "null");
}

static void render_jsonl(strbuf *sb, field_view *fv, const socfeed_hit *h) {
    size_t tl = 0, cl = 0;
    const char *t = fv_time_text(fv, &tl), *c = fv_computer_text(fv, &cl);
    const socfeed_rule *r = h->rule;
    sb_putc(sb, '{');
    json_field(sb, "time", t, tl);
    sb_putc(sb, ',');
    json_field(sb, "computer", c, cl);
    sb_puts(sb, ",\"rule\":{\"title\":");
    json_write_cstr(sb, r->title.s);
    sb_puts(sb, ",\"id\":");
    json_write_cstr(sb, r->id.s);
    sb_puts(sb, ",\"level\":");
    json_write_cstr(sb, socfeed_level_name(r->level)[0] ? socfeed_level_name(r->level) : NULL);
    sb_puts(sb, ",\"tags\":[");
    for (size_t i = 0; i < r->tags.count; i++) {
        if (i) sb_putc(sb, ',');
        json_write_cstr(sb, r->tags.items[i].s);
    }
    sb_puts(sb, "],\"file\":");
    json_write_cstr(sb, r->file);
    sb_puts(sb, "},\"matched\":{");
    for (size_t i = 0; i < h->nmatched; i++) {
        if (i) sb_putc(sb, ',');
        json_write_cstr(sb, h->matched_fields[i]);
        sb_putc(sb, ':');
        const socfeed_event_value *v = strcmp(h->matched_fields[i], "keywords") ? field_in(fv, h->matched_fields[i]) : NULL;
        char *j = v ? socfeed_event_to_json(v) : NULL;
        sb_puts(sb, j ? j : "null");
        free(j);
    }
    uint64_t rid = fv_record_id(fv, h->event);
    sb_puts(sb, "},\"record_id\":");
    if (rid) sb_printf(sb, "%" PRIu64, rid);
    else sb_puts(sb, "null");
    sb_puts(sb, ",\"input\":");
    json_write_cstr(sb, h->event->origin.file);
    if (h->event->origin.line) sb_printf(sb, ",\"line\":%" PRIu64, h->event->origin.line);
    else sb_printf(sb, ",\"offset\":%" PRIu64, h->event->origin.offset);
    char *ev = socfeed_event_to_json(&h->event->root);
    sb_puts(sb, ",\"event\":");
    sb_puts(sb, ev);
    free(ev);
    sb_puts(sb, "}\n");
}

/* RFC 4180: quote every field that needs it, double the quotes inside. */
static void csv_field(strbuf *sb, const char *s, size_t n, bool last) {
    bool quote = false;
    for (size_t i = 0; i < n && !quote; i++) quote = s[i] == '"' || s[i] == ',' || s[i] == '\n' || s[i] == '\r';
    if (quote) sb_putc(sb, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') sb_putc(sb, '"');
        sb_putc(sb, s[i]);
    }
    if (quote) sb_putc(sb, '"');
    sb_puts(sb, last ? "\r\n" : ",");
}

static void render_csv(strbuf *sb, field_view *fv, const socfeed_hit *h) {
    size_t tl = 0, cl = 0;
    const char *t = fv_time_text(fv, &tl), *c = fv_computer_text(fv, &cl);
    const socfeed_rule *r = h->rule;
    strbuf tmp;
    sb_init(&tmp);
    csv_field(sb, t ? t : "", t ? tl : 0, false);
    csv_field(sb, c ? c : "", c ? cl : 0, false);
    csv_field(sb, r->title.s ? r->title.s : "", r->title.s ? strlen(r->title.s) : 0, false);
    csv_field(sb, r->id.s ? r->id.s : "", r->id.s ? strlen(r->id.s) : 0, false);
    const char *lv = socfeed_level_name(r->level);
    csv_field(sb, lv, strlen(lv), false);
    put_tags(&tmp, r, " ");
    csv_field(sb, tmp.data ? tmp.data : "", tmp.len, false);
    sb_reset(&tmp);
    put_matched(&tmp, fv, h, 0);
    csv_field(sb, tmp.data ? tmp.data : "", tmp.len, false);
    sb_reset(&tmp);
    uint64_t rid = fv_record_id(fv, h->event);
    if (rid) sb_printf(&tmp, "%" PRIu64, rid);
    csv_field(sb, tmp.data ? tmp.data : "", tmp.len, false);
    const char *f = h->event->origin.file ? h->event->origin.file : "";
    csv_field(sb, f, strlen(f), true);
    sb_free(&tmp);
}

void hunt_render_to(strbuf *sb, field_view *fv, socfeed_hunt_format fmt, const socfeed_hit *hit) {
    if (fmt == SOCFEED_HUNT_JSONL) render_jsonl(sb, fv, hit);
    else if (fmt == SOCFEED_HUNT_CSV) render_csv(sb, fv, hit);
    else render_table(sb, fv, hit);
}

char *socfeed_hunt_render(socfeed_hunt_format fmt, const socfeed_hit *hit) {
    field_view fv;
    fv_init(&fv);
    fv_build(&fv, hit->event);
    strbuf sb;
    sb_init(&sb);
    hunt_render_to(&sb, &fv, fmt, hit);
    fv_free(&fv);
    return sb_detach(&sb);
}

static void time_text(char *buf, size_t size, int64_t ms) {
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, size - n, ".%03dZ", (int)(ms % 1000));
}

char *socfeed_hunt_render_alert(socfeed_hunt_format fmt, const socfeed_corr_alert *a) {
    const socfeed_rule *r = a->correlation;
    const char *type = socfeed_correlation_type_name(r->correlation->type);
    char first[40], last[40];
    time_text(first, sizeof first, a->first_ms);
    time_text(last, sizeof last, a->last_ms);
    strbuf sb, tmp;
    sb_init(&sb);
    sb_init(&tmp);
    sb_printf(&tmp, "%s=%g over %zu events from %s", type, a->value, a->nrecords, first);
    if (*a->group) sb_printf(&tmp, "; %s", a->group);
    const char *file = a->last && a->last->file ? a->last->file : "";
    if (fmt == SOCFEED_HUNT_JSONL) {
        sb_puts(&sb, "{\"time\":");
        json_write_cstr(&sb, last);
        sb_puts(&sb, ",\"computer\":");
        json_write_cstr(&sb, a->computer);
        sb_puts(&sb, ",\"rule\":{\"title\":");
        json_write_cstr(&sb, r->title.s);
        sb_puts(&sb, ",\"id\":");
        json_write_cstr(&sb, r->id.s);
        sb_puts(&sb, ",\"level\":");
        json_write_cstr(&sb, socfeed_level_name(r->level)[0] ? socfeed_level_name(r->level) : NULL);
        sb_puts(&sb, ",\"tags\":[");
        for (size_t i = 0; i < r->tags.count; i++) {
            if (i) sb_putc(&sb, ',');
            json_write_cstr(&sb, r->tags.items[i].s);
        }
        sb_puts(&sb, "],\"file\":");
        json_write_cstr(&sb, r->file);
        sb_puts(&sb, "},\"correlation\":{\"type\":");
        json_write_cstr(&sb, type);
        sb_puts(&sb, ",\"group\":");
        json_write_cstr(&sb, a->group);
        sb_printf(&sb, ",\"value\":%.17g,\"events\":%zu,\"first\":", a->value, a->nrecords);
        json_write_cstr(&sb, first);
        sb_puts(&sb, ",\"last\":");
        json_write_cstr(&sb, last);
        /* The events that made the alert, to pivot to them: time, file, record or line. */
        sb_puts(&sb, ",\"records\":[");
        for (size_t i = 0; a->members && i < a->nrecords; i++) {
            const socfeed_corr_member *m = &a->members[i];
            char when[40];
            time_text(when, sizeof when, m->time_ms);
            sb_puts(&sb, i ? ",{\"time\":" : "{\"time\":");
            json_write_cstr(&sb, when);
            sb_puts(&sb, ",\"file\":");
            json_write_cstr(&sb, m->file);
            if (m->record_id) sb_printf(&sb, ",\"record_id\":%" PRIu64, m->record_id);
            if (m->line) sb_printf(&sb, ",\"line\":%" PRIu64, m->line);
            sb_putc(&sb, '}');
        }
        sb_puts(&sb, "]},\"input\":");
        json_write_cstr(&sb, file);
        sb_puts(&sb, "}\n");
    } else if (fmt == SOCFEED_HUNT_CSV) {
        csv_field(&sb, last, strlen(last), false);
        csv_field(&sb, a->computer ? a->computer : "", a->computer ? strlen(a->computer) : 0, false);
        csv_field(&sb, r->title.s ? r->title.s : "", r->title.s ? strlen(r->title.s) : 0, false);
        csv_field(&sb, r->id.s ? r->id.s : "", r->id.s ? strlen(r->id.s) : 0, false);
        const char *lv = socfeed_level_name(r->level);
        csv_field(&sb, lv, strlen(lv), false);
        strbuf tags;
        sb_init(&tags);
        put_tags(&tags, r, " ");
        csv_field(&sb, tags.data ? tags.data : "", tags.len, false);
        sb_free(&tags);
        csv_field(&sb, tmp.data, tmp.len, false);
        csv_field(&sb, "", 0, false);
        csv_field(&sb, file, strlen(file), true);
    } else {
        sb_printf(&sb, "%-28s  %-20s  %-13s  %s  [", last, or_dash(a->computer), or_dash(socfeed_level_name(r->level)), or_dash(r->title.s));
        put_tags(&sb, r, ",");
        sb_printf(&sb, "]  %s  (correlation)  %s\n", tmp.data, file);
    }
    sb_free(&tmp);
    return sb_detach(&sb);
}

const char *socfeed_hunt_header(socfeed_hunt_format fmt) {
    switch (fmt) {
    case SOCFEED_HUNT_CSV: return "time,computer,rule,rule_id,level,attack,matched,record_id,file\r\n";
    case SOCFEED_HUNT_TABLE:
        return "time                          computer              level          rule  [ATT&CK]  matched fields  record  file\n";
    default: return "";
    }
}
