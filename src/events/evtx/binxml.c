/* binxml.c — BinXML tokenizer and template instantiation: bytes of one record -> record IR.
 *
 * A record is normally a fragment header and one template instance: a reference (by chunk
 * offset) to a template definition plus the substitution values. Template definitions are parsed
 * once per chunk into an IR with SUBST placeholders and cached by offset; names (element and
 * attribute names, also referenced by chunk offset) are converted to UTF-8 once and cached too.
 * Instantiation copies the template IR with the placeholders replaced by typed VALUE nodes, parses
 * nested BinXML values (type 0x21) in place, and repeats an element once per item of an array
 * value (MS-EVEN6 3.1.4.7.5). Rendering values to text is left to tree.c and xml.c.
 *
 * Robustness: every read is bounds-checked against the span being parsed (a record, a value,
 * a template body) and the chunk; nesting is limited by max_depth and the IR size of one record
 * by EVTX_MAX_NODES_PER_RECORD, so hostile input can neither overflow nor explode. */
#include <stdlib.h>

#include "events/evtx/evtx_internal.h"
#include "util/xalloc.h"

enum { NAME_SLOTS = 2048, TEMPLATE_SLOTS = 512 };

typedef struct name_slot {
    uint32_t off, gen;
    const char *s;
    uint32_t len;
} name_slot;

typedef struct template_slot {
    uint32_t off, gen;
    const evtx_node *root; /* NULL when the definition failed to parse */
    const char *why;
} template_slot;

struct evtx_decoder {
    unsigned max_depth;
    const uint8_t *chunk;
    uint32_t chunk_len;
    arena *chunk_arena; /* names, parsed templates, literal text: live as long as the chunk */
    arena rec;          /* per-record IR */
    size_t rec_nodes;
    evtx_buf text;      /* conversion scratch while parsing */
    evtx_buf render;    /* handed to renderers */
    uint32_t gen;       /* current chunk's generation; cache slots of older ones are stale */
    const char *why;
    name_slot names[NAME_SLOTS];
    template_slot templates[TEMPLATE_SLOTS];
};

typedef struct parser {
    evtx_decoder *d;
    uint32_t pos, end; /* chunk-relative; end is exclusive */
    bool template_mode; /* substitutions allowed, template instances not */
    bool has_dep_id;    /* element starts carry a 2-byte dependency identifier */
    arena *a;           /* where IR nodes go */
} parser;

evtx_decoder *evtx_decoder_new(unsigned max_depth) {
    evtx_decoder *d = xcalloc(1, sizeof *d);
    d->max_depth = max_depth ? max_depth : EVTX_DEFAULT_MAX_DEPTH;
    arena_init(&d->rec); /* reset per record; its first 64 KiB block holds a typical record */
    return d;
}

void evtx_decoder_set_max_depth(evtx_decoder *d, unsigned max_depth) {
    d->max_depth = max_depth ? max_depth : EVTX_DEFAULT_MAX_DEPTH;
}

void evtx_decoder_free(evtx_decoder *d) {
    if (!d) return;
    arena_free(&d->rec);
    evtx_buf_free(&d->text);
    evtx_buf_free(&d->render);
    free(d);
}

void evtx_decoder_begin_chunk(evtx_decoder *d, const uint8_t *chunk, size_t chunk_len,
                              arena *chunk_arena) {
    d->chunk = chunk;
    d->chunk_len = (uint32_t)(chunk_len > EVTX_CHUNK_SIZE ? EVTX_CHUNK_SIZE : chunk_len);
    d->chunk_arena = chunk_arena;
    if (++d->gen == 0) { /* wrapped: clear so no slot of generation 0 looks current */
        memset(d->names, 0, sizeof d->names);
        memset(d->templates, 0, sizeof d->templates);
        d->gen = 1;
    }
}

evtx_buf *evtx_decoder_scratch(evtx_decoder *d) { return &d->render; }

static bool fail(evtx_decoder *d, const char *why) {
    if (!d->why) d->why = why;
    return false;
}

static evtx_node *new_node(parser *p, evtx_node_kind kind) {
    if (p->a == &p->d->rec && ++p->d->rec_nodes > EVTX_MAX_NODES_PER_RECORD) {
        fail(p->d, "record expands to too many XML nodes");
        return NULL;
    }
    evtx_node *n = arena_alloc(p->a, sizeof *n);
    n->kind = (uint8_t)kind;
    return n;
}

static inline bool have(const parser *p, uint32_t n) { return p->pos <= p->end && p->end - p->pos >= n; }

/* ---- names ---------------------------------------------------------------------------------- */

/* The name structure at chunk offset `off`: u32 link, u16 hash, u16 character count, UTF-16
 * characters, U+0000. Returns its total size, or 0 when it does not fit in the chunk. */
static uint32_t name_size_at(const evtx_decoder *d, uint32_t off) {
    if (off > d->chunk_len || d->chunk_len - off < 10) return 0;
    uint32_t size = 10 + 2u * evtx_u16(d->chunk + off + 6);
    return size <= d->chunk_len - off ? size : 0;
}

static const char *name_at(evtx_decoder *d, uint32_t off, uint32_t *len) {
    name_slot *slot = NULL;
    for (uint32_t i = 0, h = (off * 2654435761u) >> 21; i < 8; i++) {
        name_slot *s = &d->names[(h + i) & (NAME_SLOTS - 1)];
        if (s->gen == d->gen && s->off == off) {
            *len = s->len;
            return s->s;
        }
        if (s->gen != d->gen) {
            slot = s;
            break;
        }
    }
    if (!name_size_at(d, off)) {
        fail(d, "name offset outside the chunk");
        return NULL;
    }
    d->text.len = 0;
    evtx_utf16_to_utf8(&d->text, d->chunk + off + 8, evtx_u16(d->chunk + off + 6), false);
    char *s = arena_strndup(d->chunk_arena, d->text.p, d->text.len);
    *len = (uint32_t)d->text.len;
    if (slot) *slot = (name_slot){off, d->gen, s, *len};
    return s;
}

/* Reads a 4-byte name reference at the parser position; an inline name (the reference points
 * right after itself) is skipped over. */
static const char *read_name(parser *p, uint32_t *len) {
    if (!have(p, 4)) {
        fail(p->d, "truncated name reference");
        return NULL;
    }
    uint32_t off = evtx_u32(p->d->chunk + p->pos);
    p->pos += 4;
    if (off == p->pos) {
        uint32_t size = name_size_at(p->d, off);
        if (!size || !have(p, size)) {
            fail(p->d, "inline name runs past its data");
            return NULL;
        }
        p->pos += size;
    }
    return name_at(p->d, off, len);
}

/* A name reference at `at` is plausible when it is inline or points back to a name that fits. */
static bool name_ref_plausible(const parser *p, uint32_t at) {
    if (at > p->end || p->end - at < 4) return false;
    uint32_t off = evtx_u32(p->d->chunk + at);
    if (off == at + 4) {
        uint32_t size = name_size_at(p->d, off);
        return size && size <= p->end - off;
    }
    return off < at && name_size_at(p->d, off) != 0;
}

/* ---- tokens --------------------------------------------------------------------------------- */

/* u16 character count + UTF-16 text -> UTF-8 in the chunk arena. */
static const char *read_counted_text(parser *p, uint32_t *len) {
    if (!have(p, 2)) {
        fail(p->d, "truncated text");
        return NULL;
    }
    uint32_t units = evtx_u16(p->d->chunk + p->pos);
    p->pos += 2;
    if (!have(p, 2 * units)) {
        fail(p->d, "text runs past its data");
        return NULL;
    }
    p->d->text.len = 0;
    evtx_utf16_to_utf8(&p->d->text, p->d->chunk + p->pos, units, false);
    p->pos += 2 * units;
    *len = (uint32_t)p->d->text.len;
    return arena_strndup(p->d->chunk_arena, p->d->text.p, p->d->text.len);
}

/* Value token (0x05/0x45): a typed literal, in practice always a UTF-16 string. */
static evtx_node *read_value_token(parser *p) {
    p->pos++;
    if (!have(p, 1)) {
        fail(p->d, "truncated value token");
        return NULL;
    }
    uint8_t type = p->d->chunk[p->pos++];
    if (type == EVTX_T_STRING) {
        evtx_node *n = new_node(p, EVTX_NODE_TEXT);
        if (!n || !(n->text = read_counted_text(p, &n->len))) return NULL;
        return n;
    }
    size_t size = evtx_type_fixed_size(type);
    if (!size) {
        fail(p->d, "unsupported type in a value token");
        return NULL;
    }
    if (!have(p, (uint32_t)size)) {
        fail(p->d, "truncated value token");
        return NULL;
    }
    evtx_node *n = new_node(p, EVTX_NODE_VALUE);
    if (!n) return NULL;
    n->vtype = type;
    n->data = p->d->chunk + p->pos;
    n->len = (uint32_t)size;
    p->pos += (uint32_t)size;
    return n;
}

static evtx_node *read_substitution(parser *p) {
    bool optional = (p->d->chunk[p->pos] & 0xbf) == 0x0e;
    p->pos++;
    if (!p->template_mode) {
        fail(p->d, "substitution outside a template definition");
        return NULL;
    }
    if (!have(p, 3)) {
        fail(p->d, "truncated substitution");
        return NULL;
    }
    evtx_node *n = new_node(p, EVTX_NODE_SUBST);
    if (!n) return NULL;
    n->index = evtx_u16(p->d->chunk + p->pos);
    n->vtype = p->d->chunk[p->pos + 2];
    n->optional = optional;
    p->pos += 3;
    return n;
}

static evtx_node *read_charref(parser *p) {
    p->pos++;
    if (!have(p, 2)) {
        fail(p->d, "truncated character reference");
        return NULL;
    }
    evtx_node *n = new_node(p, EVTX_NODE_CHARREF);
    if (!n) return NULL;
    n->index = evtx_u16(p->d->chunk + p->pos);
    p->pos += 2;
    return n;
}

static evtx_node *read_entref(parser *p) {
    p->pos++;
    evtx_node *n = new_node(p, EVTX_NODE_ENTREF);
    if (!n || !(n->text = read_name(p, &n->len))) return NULL;
    return n;
}

static evtx_node *read_cdata(parser *p) {
    p->pos++;
    evtx_node *n = new_node(p, EVTX_NODE_CDATA);
    if (!n || !(n->text = read_counted_text(p, &n->len))) return NULL;
    return n;
}

static evtx_node *read_pi(parser *p) {
    p->pos++;
    evtx_node *n = new_node(p, EVTX_NODE_PI);
    if (!n || !(n->text = read_name(p, &n->len))) return NULL;
    if (have(p, 1) && p->d->chunk[p->pos] == 0x0b) {
        p->pos++;
        uint32_t len;
        if (!(n->pi_data = read_counted_text(p, &len))) return NULL;
    }
    return n;
}

/* A list under construction: head plus the address of the last `next`. */
typedef struct node_list {
    evtx_node *head;
    evtx_node **tail;
} node_list;

static inline void list_init(node_list *l) {
    l->head = NULL;
    l->tail = &l->head;
}
static inline void list_push(node_list *l, evtx_node *n) {
    *l->tail = n;
    while (n->next) n = n->next; /* n may be a list (template instances, array expansions) */
    l->tail = &n->next;
}

static bool parse_content(parser *p, node_list *out, unsigned depth, bool top_level);

static evtx_node *parse_element(parser *p, unsigned depth) {
    if (depth >= p->d->max_depth) {
        fail(p->d, "BinXML nesting deeper than max_depth");
        return NULL;
    }
    uint8_t tok = p->d->chunk[p->pos];
    uint32_t start = p->pos + 1;
    /* The dependency identifier is present in template definitions and absent in nested BinXML
     * values; trust the context, but take the other layout when only it gives a sane name. */
    bool dep = p->has_dep_id;
    if (!name_ref_plausible(p, start + (dep ? 6 : 4)) && name_ref_plausible(p, start + (dep ? 4 : 6)))
        dep = !dep;
    p->pos = start;
    if (!have(p, dep ? 6 : 4)) {
        fail(p->d, "truncated element start");
        return NULL;
    }
    p->pos += dep ? 6 : 4; /* dependency id, data size (not needed: the tokens delimit) */
    evtx_node *e = new_node(p, EVTX_NODE_ELEMENT);
    if (!e || !(e->text = read_name(p, &e->len))) return NULL;
    if (tok & 0x40) {
        if (!have(p, 4)) {
            fail(p->d, "truncated attribute list");
            return NULL;
        }
        p->pos += 4; /* attribute list size */
    }
    evtx_attr **attr_tail = &e->attrs;
    while (have(p, 1) && (p->d->chunk[p->pos] & 0xbf) == 0x06) {
        p->pos++;
        evtx_attr *a = arena_alloc(p->a, sizeof *a);
        if (!(a->name = read_name(p, &a->name_len))) return NULL;
        node_list value;
        list_init(&value);
        for (;;) {
            if (!have(p, 1)) return fail(p->d, "truncated attribute"), NULL;
            uint8_t t = p->d->chunk[p->pos] & 0xbf;
            evtx_node *v;
            if (t == 0x05) v = read_value_token(p);
            else if (t == 0x0d || t == 0x0e) v = read_substitution(p);
            else if (t == 0x08) v = read_charref(p);
            else if (t == 0x09) v = read_entref(p);
            else break;
            if (!v) return NULL;
            list_push(&value, v);
        }
        a->value = value.head;
        *attr_tail = a;
        attr_tail = &a->next;
    }
    if (!have(p, 1)) return fail(p->d, "truncated element"), NULL;
    uint8_t close = p->d->chunk[p->pos++];
    if (close == 0x03) return e; /* <Name …/> */
    if (close != 0x02) return fail(p->d, "bad token after element start"), NULL;
    node_list children;
    list_init(&children);
    if (!parse_content(p, &children, depth + 1, false)) return NULL;
    e->children = children.head;
    for (evtx_node *c = e->children; c; c = c->next)
        if (c->kind == EVTX_NODE_ELEMENT) e->has_element_child = true;
    return e;
}

static const evtx_node *get_template(evtx_decoder *d, uint32_t def_off);
static evtx_node *instantiate(evtx_decoder *d, const evtx_node *t, const evtx_value *values,
                              uint32_t nvalues, unsigned depth);

/* Template instance (0x0c): header, optional inline definition, value descriptors, values. */
static evtx_node *read_template_instance(parser *p, unsigned depth) {
    evtx_decoder *d = p->d;
    if (p->template_mode) return fail(d, "template instance inside a template definition"), NULL;
    p->pos++;
    if (!have(p, 9)) return fail(d, "truncated template instance"), NULL;
    uint32_t def_off = evtx_u32(d->chunk + p->pos + 5);
    p->pos += 9;
    if (def_off == p->pos) { /* the definition follows inline: skip it */
        if (!have(p, 24)) return fail(d, "truncated template definition"), NULL;
        uint32_t size = evtx_u32(d->chunk + p->pos + 20);
        p->pos += 24;
        if (!have(p, size)) return fail(d, "template definition runs past the record"), NULL;
        p->pos += size;
    }
    if (!have(p, 4)) return fail(d, "truncated template values"), NULL;
    uint32_t count = evtx_u32(d->chunk + p->pos);
    p->pos += 4;
    if (count > (p->end - p->pos) / 4) return fail(d, "too many template values"), NULL;
    evtx_value *values = count ? arena_alloc(&d->rec, count * sizeof *values) : NULL;
    const uint8_t *desc = d->chunk + p->pos;
    p->pos += 4 * count;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t size = evtx_u16(desc + 4 * i);
        if (!have(p, size)) return fail(d, "template value runs past the record"), NULL;
        values[i] = (evtx_value){d->chunk + p->pos, size, desc[4 * i + 2]};
        p->pos += size; /* always move by the descriptor's size, whatever the type */
    }
    const evtx_node *t = get_template(d, def_off);
    if (!t) return NULL;
    return instantiate(d, t, values, count, depth);
}

/* Content of an element (until its end token) or of a document (until EOF / end of data). */
static bool parse_content(parser *p, node_list *out, unsigned depth, bool top_level) {
    while (have(p, 1)) {
        uint8_t t = p->d->chunk[p->pos] & 0xbf;
        evtx_node *n = NULL;
        switch (t) {
        case 0x00:
            p->pos++;
            if (top_level) return true;
            return fail(p->d, "end of BinXML inside an element");
        case 0x04:
            p->pos++;
            if (!top_level) return true;
            return fail(p->d, "unbalanced end element");
        case 0x0f:
            if (!have(p, 4)) return fail(p->d, "truncated fragment header");
            p->pos += 4;
            continue;
        case 0x01: n = parse_element(p, depth); break;
        case 0x05: n = read_value_token(p); break;
        case 0x07: n = read_cdata(p); break;
        case 0x08: n = read_charref(p); break;
        case 0x09: n = read_entref(p); break;
        case 0x0a: n = read_pi(p); break;
        case 0x0c:
            n = read_template_instance(p, depth);
            if (!n && !p->d->why) continue; /* instantiated to nothing */
            break;
        case 0x0d:
        case 0x0e: n = read_substitution(p); break;
        default: return fail(p->d, "unknown BinXML token");
        }
        if (!n) return false;
        list_push(out, n);
    }
    if (top_level) return true; /* data ended without EOF token: accept what was read */
    return fail(p->d, "BinXML ended inside an element");
}

/* Parses a BinXML document in [off, off+len) of the current chunk into `out`. */
static bool parse_document(evtx_decoder *d, uint32_t off, uint32_t len, bool template_mode,
                           bool has_dep_id, arena *a, node_list *out, unsigned depth) {
    if (depth >= d->max_depth) return fail(d, "BinXML nesting deeper than max_depth");
    parser p = {d, off, off + len, template_mode, has_dep_id, a};
    return parse_content(&p, out, depth, true);
}

static const evtx_node *get_template(evtx_decoder *d, uint32_t def_off) {
    template_slot *slot = NULL;
    for (uint32_t i = 0, h = (def_off * 2654435761u) >> 23; i < 8; i++) {
        template_slot *s = &d->templates[(h + i) & (TEMPLATE_SLOTS - 1)];
        if (s->gen == d->gen && s->off == def_off) {
            if (!s->root) fail(d, s->why);
            return s->root;
        }
        if (s->gen != d->gen) {
            slot = s;
            break;
        }
    }
    const evtx_node *root = NULL;
    const char *why = NULL;
    if (def_off < EVTX_CHUNK_HEADER_SIZE || def_off > d->chunk_len || d->chunk_len - def_off < 24) {
        why = "template definition offset outside the chunk";
    } else {
        uint32_t size = evtx_u32(d->chunk + def_off + 20);
        if (size > d->chunk_len - def_off - 24) {
            why = "template definition runs past the chunk";
        } else {
            node_list body;
            list_init(&body);
            const char *saved = d->why;
            d->why = NULL;
            if (parse_document(d, def_off + 24, size, true, true, d->chunk_arena, &body, 0)) {
                for (evtx_node *n = body.head; n && !root; n = n->next)
                    if (n->kind == EVTX_NODE_ELEMENT) root = n;
                if (!root) why = "template definition without an element";
            } else {
                why = d->why;
            }
            d->why = saved;
        }
    }
    if (slot) *slot = (template_slot){def_off, d->gen, root, why};
    if (!root) fail(d, why);
    return root;
}

/* ---- instantiation -------------------------------------------------------------------------- */

typedef struct inst {
    evtx_decoder *d;
    const evtx_value *values;
    uint32_t nvalues;
    parser alloc; /* only used for new_node() accounting into the record arena */
} inst;

static evtx_node *copy_node(inst *in, const evtx_node *src) {
    evtx_node *n = new_node(&in->alloc, (evtx_node_kind)src->kind);
    if (!n) return NULL;
    *n = *src;
    n->next = NULL;
    return n;
}

static bool inst_list(inst *in, const evtx_node *t, node_list *out, unsigned depth, bool in_attr);

/* Resolves one substitution into `out` (possibly nothing, possibly elements of nested BinXML). */
static bool inst_subst(inst *in, const evtx_node *t, node_list *out, unsigned depth, bool in_attr) {
    if (t->index >= in->nvalues) return true;
    const evtx_value *v = &in->values[t->index];
    if (t->optional && evtx_value_is_empty(v->type, v->data, v->size)) return true;
    if (v->type == EVTX_T_BINXML) {
        if (!v->size || in_attr) return true; /* BinXML cannot be an attribute's text */
        uint32_t off = (uint32_t)(v->data - in->d->chunk);
        return parse_document(in->d, off, v->size, false, false, &in->d->rec, out, depth + 1);
    }
    if (v->type == EVTX_T_EVTHANDLE || v->type == EVTX_T_EVTXML)
        return fail(in->d, "unsupported value type (EvtHandle/EvtXml)");
    evtx_node *n = new_node(&in->alloc, EVTX_NODE_VALUE);
    if (!n) return false;
    n->vtype = v->type;
    n->data = v->data;
    n->len = v->size;
    list_push(out, n);
    return true;
}

typedef struct expand_ctx {
    inst *in;
    const evtx_node *element;
    const evtx_node *array; /* the VALUE node being expanded */
    node_list *out;
    unsigned depth;
    bool ok;
} expand_ctx;

static bool expand_arrays(inst *in, evtx_node *e, node_list *out, unsigned depth);

/* Copies a node list, replacing `target` by `item` (or dropping it when item is NULL). */
static evtx_node *copy_list_replacing(inst *in, const evtx_node *list, const evtx_node *target,
                                     evtx_node *item, bool *ok) {
    node_list l;
    list_init(&l);
    for (const evtx_node *n = list; n; n = n->next) {
        if (n == target) {
            if (item) list_push(&l, item);
            continue;
        }
        evtx_node *c = copy_node(in, n);
        if (!c) {
            *ok = false;
            return NULL;
        }
        list_push(&l, c);
    }
    return l.head;
}

static void expand_item(void *ctx, size_t index, const uint8_t *item, size_t size) {
    (void)index;
    expand_ctx *x = ctx;
    if (!x->ok) return;
    inst *in = x->in;
    uint8_t base = x->array->vtype & 0x7f;
    evtx_node *scalar = NULL;
    /* An empty string item gives an empty element (the slot is dropped). */
    if (!(base == EVTX_T_STRING && (size < 2 || evtx_u16(item) == 0))) {
        scalar = new_node(&in->alloc, EVTX_NODE_VALUE);
        if (!scalar) {
            x->ok = false;
            return;
        }
        scalar->vtype = base;
        scalar->data = item;
        scalar->len = (uint32_t)size;
    }
    evtx_node *e = copy_node(in, x->element);
    if (!e) {
        x->ok = false;
        return;
    }
    e->children = copy_list_replacing(in, x->element->children, x->array, scalar, &x->ok);
    evtx_attr **tail = &e->attrs;
    *tail = NULL;
    for (const evtx_attr *a = x->element->attrs; a && x->ok; a = a->next) {
        evtx_attr *na = arena_alloc(&in->d->rec, sizeof *na);
        *na = *a;
        na->next = NULL;
        na->value = copy_list_replacing(in, a->value, x->array, scalar, &x->ok);
        if (!na->value) continue; /* an attribute left empty is dropped */
        *tail = na;
        tail = &na->next;
    }
    if (x->ok && !expand_arrays(in, e, x->out, x->depth)) x->ok = false;
}

/* Emits `e` into `out`, repeated once per item of its first array value with 2+ items
 * (recursively, so several arrays give their cross-product). */
static bool expand_arrays(inst *in, evtx_node *e, node_list *out, unsigned depth) {
    const evtx_node *array = NULL;
    for (const evtx_node *c = e->children; c && !array; c = c->next)
        if (c->kind == EVTX_NODE_VALUE && (c->vtype & EVTX_ARRAY) &&
            evtx_array_items(c->vtype, c->data, c->len, NULL, NULL) > 1)
            array = c;
    for (const evtx_attr *a = e->attrs; a && !array; a = a->next)
        for (const evtx_node *c = a->value; c && !array; c = c->next)
            if (c->kind == EVTX_NODE_VALUE && (c->vtype & EVTX_ARRAY) &&
                evtx_array_items(c->vtype, c->data, c->len, NULL, NULL) > 1)
                array = c;
    if (!array) {
        list_push(out, e);
        return true;
    }
    expand_ctx x = {in, e, array, out, depth, true};
    evtx_array_items(array->vtype, array->data, array->len, expand_item, &x);
    return x.ok;
}

static bool inst_element(inst *in, const evtx_node *t, node_list *out, unsigned depth) {
    if (depth >= in->d->max_depth) return fail(in->d, "BinXML nesting deeper than max_depth");
    evtx_node *e = copy_node(in, t);
    if (!e) return false;
    e->attrs = NULL;
    e->children = NULL;
    e->has_element_child = false;
    evtx_attr **tail = &e->attrs;
    for (const evtx_attr *a = t->attrs; a; a = a->next) {
        node_list value;
        list_init(&value);
        if (!inst_list(in, a->value, &value, depth + 1, true)) return false;
        if (!value.head) continue; /* an attribute whose value resolved to nothing is left out */
        evtx_attr *na = arena_alloc(&in->d->rec, sizeof *na);
        *na = *a;
        na->next = NULL;
        na->value = value.head;
        *tail = na;
        tail = &na->next;
    }
    node_list children;
    list_init(&children);
    if (!inst_list(in, t->children, &children, depth + 1, false)) return false;
    e->children = children.head;
    for (evtx_node *c = e->children; c; c = c->next)
        if (c->kind == EVTX_NODE_ELEMENT) e->has_element_child = true;
    return expand_arrays(in, e, out, depth);
}

static bool inst_list(inst *in, const evtx_node *t, node_list *out, unsigned depth, bool in_attr) {
    for (; t; t = t->next) {
        bool ok;
        if (t->kind == EVTX_NODE_ELEMENT) {
            ok = inst_element(in, t, out, depth);
        } else if (t->kind == EVTX_NODE_SUBST) {
            ok = inst_subst(in, t, out, depth, in_attr);
        } else {
            evtx_node *c = copy_node(in, t);
            ok = c != NULL;
            if (c) list_push(out, c);
        }
        if (!ok) return false;
    }
    return true;
}

/* Instantiates template root `t` with `values`; returns the resulting node list (usually one
 * element), NULL on error (d->why set) or when it resolved to nothing. */
static evtx_node *instantiate(evtx_decoder *d, const evtx_node *t, const evtx_value *values,
                              uint32_t nvalues, unsigned depth) {
    inst in = {d, values, nvalues, {d, 0, 0, false, false, &d->rec}};
    node_list out;
    list_init(&out);
    /* Only the root element itself, not what follows it in the template body. */
    if (!inst_element(&in, t, &out, depth)) return NULL;
    return out.head;
}

const evtx_node *evtx_decode_record(evtx_decoder *d, uint32_t off, uint32_t len, const char **why) {
    arena_reset(&d->rec);
    d->rec_nodes = 0;
    d->why = NULL;
    *why = NULL;
    if (len < EVTX_RECORD_MIN_SIZE || off > d->chunk_len || d->chunk_len - off < len) {
        *why = "record outside the chunk";
        return NULL;
    }
    node_list out;
    list_init(&out);
    /* Records' own elements carry dependency identifiers (as libevtx reads them). */
    if (!parse_document(d, off + EVTX_RECORD_HEADER_SIZE, len - EVTX_RECORD_MIN_SIZE, false, true,
                        &d->rec, &out, 0)) {
        *why = d->why ? d->why : "BinXML could not be decoded";
        return NULL;
    }
    for (const evtx_node *n = out.head; n; n = n->next)
        if (n->kind == EVTX_NODE_ELEMENT) return n;
    *why = "record has no root element";
    return NULL;
}
