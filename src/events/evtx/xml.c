/* xml.c — record IR -> XML text, and socfeed_evtx_record_xml() (socfeed/evtx.h).
 *
 * Rendered from the IR (templates already instantiated), so the XML keeps what the JSON shape
 * folds away: element order, repeated names, empty elements. Not for: parsing XML, or pretty
 * output beyond fixed two-space indentation. */
#include <stdio.h>
#include <stdlib.h>

#include "events/evtx/evtx_internal.h"
#include "socfeed/evtx.h"
#include "util/xalloc.h"

typedef struct xml_writer {
    evtx_buf *out;
    evtx_buf text; /* one value's text before escaping */
    const char *why;
} xml_writer;

static void put_escaped(evtx_buf *out, const char *s, size_t n, bool in_attr) {
    evtx_buf_reserve(out, n);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        switch (c) {
        case '&': evtx_buf_put(out, "&amp;", 5); break;
        case '<': evtx_buf_put(out, "&lt;", 4); break;
        case '>': evtx_buf_put(out, "&gt;", 4); break;
        case '"':
            if (in_attr) evtx_buf_put(out, "&quot;", 6);
            else evtx_buf_putc(out, c);
            break;
        case '\'':
            if (in_attr) evtx_buf_put(out, "&apos;", 6);
            else evtx_buf_putc(out, c);
            break;
        default: evtx_buf_putc(out, c);
        }
    }
}

static void put_indent(evtx_buf *out, unsigned depth) {
    evtx_buf_reserve(out, 2 * depth);
    memset(out->p + out->len, ' ', 2 * depth);
    out->len += 2 * depth;
}

/* Writes the non-element nodes of a list (text content or attribute value). */
static bool put_text_nodes(xml_writer *w, const evtx_node *n, bool in_attr) {
    for (; n; n = n->next) {
        switch (n->kind) {
        case EVTX_NODE_TEXT: put_escaped(w->out, n->text, n->len, in_attr); break;
        case EVTX_NODE_CDATA:
            if (in_attr) {
                put_escaped(w->out, n->text, n->len, true);
            } else {
                evtx_buf_put(w->out, "<![CDATA[", 9);
                evtx_buf_put(w->out, n->text, n->len);
                evtx_buf_put(w->out, "]]>", 3);
            }
            break;
        case EVTX_NODE_VALUE:
            w->text.len = 0;
            if (!evtx_render_value(&w->text, n->vtype, n->data, n->len)) {
                w->why = "value cannot be rendered for its type";
                return false;
            }
            put_escaped(w->out, w->text.p, w->text.len, in_attr);
            break;
        case EVTX_NODE_CHARREF: {
            char tmp[16];
            int k = snprintf(tmp, sizeof tmp, "&#%u;", (unsigned)n->index);
            evtx_buf_put(w->out, tmp, (size_t)k);
            break;
        }
        case EVTX_NODE_ENTREF:
            evtx_buf_putc(w->out, '&');
            evtx_buf_put(w->out, n->text, n->len);
            evtx_buf_putc(w->out, ';');
            break;
        case EVTX_NODE_PI:
            if (in_attr) break;
            evtx_buf_put(w->out, "<?", 2);
            evtx_buf_put(w->out, n->text, n->len);
            if (n->pi_data) {
                evtx_buf_putc(w->out, ' ');
                evtx_buf_put(w->out, n->pi_data, strlen(n->pi_data));
            }
            evtx_buf_put(w->out, "?>", 2);
            break;
        default: break;
        }
    }
    return true;
}

static bool node_is_visible(const evtx_node *n) {
    if (n->kind == EVTX_NODE_TEXT || n->kind == EVTX_NODE_CDATA) return n->len > 0;
    if (n->kind == EVTX_NODE_VALUE) return !evtx_value_is_empty(n->vtype, n->data, n->len);
    return n->kind != EVTX_NODE_SUBST;
}

static bool put_element(xml_writer *w, const evtx_node *e, unsigned depth) {
    evtx_buf *out = w->out;
    put_indent(out, depth);
    evtx_buf_putc(out, '<');
    evtx_buf_put(out, e->text, e->len);
    for (const evtx_attr *a = e->attrs; a; a = a->next) {
        bool any = false;
        for (const evtx_node *v = a->value; v && !any; v = v->next) any = node_is_visible(v);
        if (!any) continue;
        evtx_buf_putc(out, ' ');
        evtx_buf_put(out, a->name, a->name_len);
        evtx_buf_put(out, "=\"", 2);
        if (!put_text_nodes(w, a->value, true)) return false;
        evtx_buf_putc(out, '"');
    }
    bool any_content = false;
    for (const evtx_node *c = e->children; c && !any_content; c = c->next)
        any_content = c->kind == EVTX_NODE_ELEMENT || node_is_visible(c);
    if (!any_content) {
        evtx_buf_put(out, "/>\n", 3);
        return true;
    }
    evtx_buf_putc(out, '>');
    if (!e->has_element_child) {
        if (!put_text_nodes(w, e->children, false)) return false;
    } else {
        evtx_buf_putc(out, '\n');
        for (const evtx_node *c = e->children; c; c = c->next) {
            if (c->kind == EVTX_NODE_ELEMENT) {
                if (!put_element(w, c, depth + 1)) return false;
            } else if (node_is_visible(c)) {
                /* Mixed content: each text run on its own line at the children's indentation. */
                evtx_node one = *c;
                one.next = NULL;
                put_indent(out, depth + 1);
                if (!put_text_nodes(w, &one, false)) return false;
                evtx_buf_putc(out, '\n');
            }
        }
        put_indent(out, depth);
    }
    evtx_buf_put(out, "</", 2);
    evtx_buf_put(out, e->text, e->len);
    evtx_buf_put(out, ">\n", 2);
    return true;
}

bool evtx_render_xml(const evtx_node *root, evtx_buf *out, const char **why) {
    xml_writer w = {out, {0}, NULL};
    bool ok = put_element(&w, root, 0);
    evtx_buf_free(&w.text);
    if (!ok) *why = w.why ? w.why : "record cannot be rendered";
    return ok;
}

char *socfeed_evtx_record_xml(const void *file_data, size_t file_len, uint64_t record_offset,
                              unsigned max_depth, const char **why) {
    const char *reason = NULL;
    char *result = NULL;
    const uint8_t *data = file_data;
    if (!why) why = &reason;
    *why = NULL;
    if (!data || record_offset < EVTX_FILE_HEADER_SIZE + EVTX_CHUNK_HEADER_SIZE ||
        record_offset >= file_len) {
        *why = "offset is not inside an EVTX chunk";
        return NULL;
    }
    uint64_t chunk_start = EVTX_FILE_HEADER_SIZE +
                           (record_offset - EVTX_FILE_HEADER_SIZE) / EVTX_CHUNK_SIZE * EVTX_CHUNK_SIZE;
    size_t chunk_len = file_len - chunk_start;
    if (chunk_len > EVTX_CHUNK_SIZE) chunk_len = EVTX_CHUNK_SIZE;
    uint32_t off = (uint32_t)(record_offset - chunk_start);
    if (off < EVTX_CHUNK_HEADER_SIZE) {
        *why = "offset is inside a chunk header";
        return NULL;
    }
    uint32_t size = evtx_record_at(data + chunk_start, off, (uint32_t)chunk_len, why);
    if (!size) return NULL;
    arena chunk_arena;
    arena_init(&chunk_arena);
    evtx_decoder *d = evtx_decoder_new(max_depth);
    evtx_decoder_begin_chunk(d, data + chunk_start, chunk_len, &chunk_arena);
    const evtx_node *root = evtx_decode_record(d, off, size, why);
    if (root) {
        evtx_buf out = {0};
        if (evtx_render_xml(root, &out, why)) {
            result = xstrndup(out.p ? out.p : "", out.len);
        }
        evtx_buf_free(&out);
    }
    evtx_decoder_free(d);
    arena_free(&chunk_arena);
    return result;
}
