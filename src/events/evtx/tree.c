/* tree.c — record IR -> socfeed_event_value, in the shape evtx_dump gives its JSON output.
 *
 * The rules (evtx src/binxml/ir_json.rs; ../shared/reference/evtx/value-rendering.md):
 *   - an element with nothing in it is null; with only text, the text (a bare number/bool when the
 *     text is exactly one integer or bool value); otherwise an object with "#attributes" (only
 *     attributes that have text), "#text" (non-element content) and one member per child element,
 *     repeated names getting "_1", "_2"… suffixes;
 *   - inside EventData/UserData, <Data Name="X"> children become "X": value (named form, used as
 *     soon as one Data child has a non-empty Name), otherwise all Data children are gathered into
 *     "Data": {"#text": value-or-array}; an empty Data is "".
 * Not for: rendering individual values (value.c). Strings are copied into the output arena;
 * element and attribute names are shared with the chunk's name cache (same arena lifetime). */
#include <stdio.h>

#include "events/evtx/evtx_internal.h"

typedef struct builder {
    arena *out;
    evtx_buf *buf;
    const char *why;
} builder;

static bool node_has_text(const evtx_node *n) {
    switch (n->kind) {
    case EVTX_NODE_TEXT:
    case EVTX_NODE_CDATA: return n->len > 0;
    case EVTX_NODE_VALUE: return !evtx_value_is_empty(n->vtype, n->data, n->len);
    case EVTX_NODE_CHARREF:
    case EVTX_NODE_ENTREF: return true;
    default: return false;
    }
}

static bool list_has_text(const evtx_node *n) {
    for (; n; n = n->next)
        if (node_has_text(n)) return true;
    return false;
}

static bool attrs_have_text(const evtx_node *e) {
    for (const evtx_attr *a = e->attrs; a; a = a->next)
        if (list_has_text(a->value)) return true;
    return false;
}

static bool entity_char(const char *name, uint32_t len, char *c) {
    static const struct { const char *name; char c; } known[] = {
        {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strlen(known[i].name) == len && !memcmp(known[i].name, name, len)) {
            *c = known[i].c;
            return true;
        }
    return false;
}

/* Text of the non-element nodes of a list, appended to b->buf. */
static bool render_text(builder *b, const evtx_node *n) {
    for (; n; n = n->next) {
        switch (n->kind) {
        case EVTX_NODE_TEXT:
        case EVTX_NODE_CDATA: evtx_buf_put(b->buf, n->text, n->len); break;
        case EVTX_NODE_VALUE:
            if (!evtx_render_value(b->buf, n->vtype, n->data, n->len)) {
                b->why = "value cannot be rendered for its type";
                return false;
            }
            break;
        case EVTX_NODE_CHARREF: evtx_put_codepoint(b->buf, n->index); break;
        case EVTX_NODE_ENTREF: {
            char c;
            if (entity_char(n->text, n->len, &c)) {
                evtx_buf_putc(b->buf, c);
            } else {
                evtx_buf_putc(b->buf, '&');
                evtx_buf_put(b->buf, n->text, n->len);
                evtx_buf_putc(b->buf, ';');
            }
            break;
        }
        default: break; /* elements, processing instructions */
        }
    }
    return true;
}

static bool string_value(builder *b, const evtx_node *list, socfeed_event_value *v) {
    b->buf->len = 0;
    if (!render_text(b, list)) return false;
    v->type = SOCFEED_EV_STRING;
    v->len = (uint32_t)b->buf->len;
    v->as.s = arena_strndup(b->out, b->buf->p ? b->buf->p : "", b->buf->len);
    return true;
}

/* A bare JSON number or boolean for an integer/bool value node; false for anything else. */
static bool bare_value(const evtx_node *n, socfeed_event_value *v) {
    if (n->kind != EVTX_NODE_VALUE || !evtx_type_is_bare(n->vtype)) return false;
    if (n->len < evtx_type_fixed_size(n->vtype)) return false;
    const uint8_t *p = n->data;
    switch (n->vtype) {
    case EVTX_T_INT8: v->as.i = (int8_t)p[0]; break;
    case EVTX_T_UINT8: v->as.i = p[0]; break;
    case EVTX_T_INT16: v->as.i = (int16_t)evtx_u16(p); break;
    case EVTX_T_UINT16: v->as.i = evtx_u16(p); break;
    case EVTX_T_INT32: v->as.i = (int32_t)evtx_u32(p); break;
    case EVTX_T_UINT32: v->as.i = evtx_u32(p); break;
    case EVTX_T_INT64: v->as.i = (int64_t)evtx_u64(p); break;
    case EVTX_T_UINT64: {
        uint64_t u = evtx_u64(p);
        if (u > (uint64_t)INT64_MAX) {
            v->type = SOCFEED_EV_UINT;
            v->as.u = u;
            return true;
        }
        v->as.i = (int64_t)u;
        break;
    }
    case EVTX_T_BOOL:
        v->type = SOCFEED_EV_BOOL;
        v->as.b = evtx_u32(p) != 0;
        return true;
    default: return false;
    }
    v->type = SOCFEED_EV_INT;
    return true;
}

/* Content as a JSON value: bare when the list is exactly one integer/bool value, else a string. */
static bool content_value(builder *b, const evtx_node *list, socfeed_event_value *v) {
    if (list && !list->next && bare_value(list, v)) return true;
    return string_value(b, list, v);
}

/* The same for "#text" next to child elements: elements and empty values are skipped. */
static bool content_value_skip_elements(builder *b, const evtx_node *list, socfeed_event_value *v) {
    const evtx_node *single = NULL;
    bool numeric = true;
    for (const evtx_node *n = list; n && numeric; n = n->next) {
        switch (n->kind) {
        case EVTX_NODE_ELEMENT:
        case EVTX_NODE_PI: break;
        case EVTX_NODE_TEXT:
        case EVTX_NODE_CDATA:
            if (n->len) numeric = false;
            break;
        case EVTX_NODE_VALUE:
            if (evtx_value_is_empty(n->vtype, n->data, n->len)) break;
            if (single) numeric = false;
            single = n;
            break;
        default: numeric = false;
        }
    }
    if (numeric && single && bare_value(single, v)) return true;
    return string_value(b, list, v);
}

static bool is_name(const evtx_node *e, const char *s, size_t n) {
    return e->len == n && !memcmp(e->text, s, n);
}

static bool is_container(const evtx_node *e) {
    return is_name(e, "EventData", 9) || is_name(e, "UserData", 8);
}

static const evtx_attr *name_attr(const evtx_node *e) {
    for (const evtx_attr *a = e->attrs; a; a = a->next)
        if (a->name_len == 4 && !memcmp(a->name, "Name", 4)) return a;
    return NULL;
}

static bool element_body(builder *b, const evtx_node *e, bool in_container, socfeed_event_value *v);

static bool element_value(builder *b, const evtx_node *e, bool container, socfeed_event_value *v) {
    bool has_text = list_has_text(e->children), attr_text = attrs_have_text(e);
    if (!e->has_element_child && !has_text && !attr_text) {
        v->type = SOCFEED_EV_NULL;
        return true;
    }
    if (!e->has_element_child && !attr_text) return content_value(b, e->children, v);
    return element_body(b, e, container, v);
}

static bool data_value(builder *b, const evtx_node *e, socfeed_event_value *v) {
    if (!e->has_element_child && !list_has_text(e->children)) {
        v->type = SOCFEED_EV_STRING;
        v->as.s = "";
        v->len = 0;
        return true;
    }
    if (e->has_element_child) return element_body(b, e, false, v);
    return content_value(b, e->children, v);
}

static void set_key(socfeed_event_member *m, const char *key, size_t len) {
    m->key = key;
    m->key_len = (uint32_t)len;
}

enum { MAX_UNIQUE_NAMES = 64 };

static bool element_body(builder *b, const evtx_node *e, bool in_container, socfeed_event_value *v) {
    bool attr_text = attrs_have_text(e), has_text = list_has_text(e->children);
    bool named = false;
    size_t data_count = 0;
    if (in_container) {
        for (const evtx_node *c = e->children; c; c = c->next) {
            if (c->kind != EVTX_NODE_ELEMENT || !is_name(c, "Data", 4)) continue;
            data_count++;
            const evtx_attr *na = name_attr(c);
            if (na && list_has_text(na->value)) named = true;
        }
    }
    /* Count the members first so the array is allocated once. */
    size_t n = (size_t)attr_text + (size_t)has_text;
    bool data_counted = false;
    for (const evtx_node *c = e->children; c; c = c->next) {
        if (c->kind != EVTX_NODE_ELEMENT) continue;
        if (in_container && is_name(c, "Data", 4)) {
            if (named) {
                const evtx_attr *na = name_attr(c);
                if (na && list_has_text(na->value)) n++;
            } else if (!data_counted) {
                data_counted = true;
                n++;
            }
            continue;
        }
        n++;
    }
    socfeed_event_member *members = n ? arena_alloc(b->out, n * sizeof *members) : NULL;
    size_t i = 0;
    if (attr_text) {
        size_t na = 0;
        for (const evtx_attr *a = e->attrs; a; a = a->next)
            if (list_has_text(a->value)) na++;
        socfeed_event_member *am = arena_alloc(b->out, na * sizeof *am);
        size_t j = 0;
        for (const evtx_attr *a = e->attrs; a; a = a->next) {
            if (!list_has_text(a->value)) continue;
            set_key(&am[j], a->name, a->name_len);
            if (!content_value(b, a->value, &am[j].value)) return false;
            j++;
        }
        set_key(&members[i], "#attributes", 11);
        members[i].value = (socfeed_event_value){.type = SOCFEED_EV_OBJECT, .len = (uint32_t)na,
                                                 .as.members = am};
        i++;
    }
    if (has_text) {
        set_key(&members[i], "#text", 5);
        if (!content_value_skip_elements(b, e->children, &members[i].value)) return false;
        i++;
    }
    struct { const char *name; uint32_t len, count; } seen[MAX_UNIQUE_NAMES];
    size_t nseen = 0;
    bool data_done = false;
    for (const evtx_node *c = e->children; c; c = c->next) {
        if (c->kind != EVTX_NODE_ELEMENT) continue;
        if (in_container && is_name(c, "Data", 4)) {
            if (named) {
                const evtx_attr *na = name_attr(c);
                if (!na || !list_has_text(na->value)) continue;
                b->buf->len = 0;
                if (!render_text(b, na->value)) return false;
                set_key(&members[i], arena_strndup(b->out, b->buf->p, b->buf->len), b->buf->len);
                if (!data_value(b, c, &members[i].value)) return false;
                i++;
            } else if (!data_done) {
                data_done = true;
                socfeed_event_member *tm = arena_alloc(b->out, sizeof *tm);
                set_key(tm, "#text", 5);
                if (data_count == 1) {
                    if (!data_value(b, c, &tm->value)) return false;
                } else {
                    socfeed_event_value *items = arena_alloc(b->out, data_count * sizeof *items);
                    size_t k = 0;
                    for (const evtx_node *d = c; d; d = d->next)
                        if (d->kind == EVTX_NODE_ELEMENT && is_name(d, "Data", 4))
                            if (!data_value(b, d, &items[k++])) return false;
                    tm->value = (socfeed_event_value){.type = SOCFEED_EV_ARRAY,
                                                      .len = (uint32_t)data_count, .as.items = items};
                }
                set_key(&members[i], "Data", 4);
                members[i].value = (socfeed_event_value){.type = SOCFEED_EV_OBJECT, .len = 1,
                                                         .as.members = tm};
                i++;
            }
            continue;
        }
        /* Repeated names: Name, Name_1, Name_2, … (first 64 distinct names tracked, as evtx). */
        uint32_t suffix = 0;
        size_t s;
        for (s = 0; s < nseen; s++)
            if (seen[s].len == c->len && (seen[s].name == c->text || !memcmp(seen[s].name, c->text, c->len)))
                break;
        if (s < nseen) {
            suffix = seen[s].count++;
        } else if (nseen < MAX_UNIQUE_NAMES) {
            seen[nseen].name = c->text;
            seen[nseen].len = c->len;
            seen[nseen].count = 1;
            nseen++;
        }
        if (suffix) {
            char *key = arena_alloc(b->out, c->len + 12);
            int kl = snprintf(key, c->len + 12, "%.*s_%u", (int)c->len, c->text, suffix);
            set_key(&members[i], key, (size_t)kl);
        } else {
            set_key(&members[i], c->text, c->len);
        }
        if (!element_value(b, c, is_container(c), &members[i].value)) return false;
        i++;
    }
    v->type = SOCFEED_EV_OBJECT;
    v->len = (uint32_t)i;
    v->as.members = members;
    return true;
}

bool evtx_build_tree(const evtx_node *root, arena *out, evtx_buf *scratch,
                     socfeed_event_value *result, const char **why) {
    builder b = {out, scratch, NULL};
    socfeed_event_member *top = arena_alloc(out, sizeof *top);
    set_key(top, root->text, root->len);
    if (!element_value(&b, root, false, &top->value)) {
        *why = b.why ? b.why : "record cannot be rendered";
        return false;
    }
    *result = (socfeed_event_value){.type = SOCFEED_EV_OBJECT, .len = 1, .as.members = top};
    return true;
}
