/* evtx_values.c — value rendering with hand-built bytes (every BinXML value type), and hand-built
 * records run through the whole reader: Data aggregation, named Data, arrays expanded into
 * repeated elements, optional substitutions, _N suffixes, #text with attributes, nested BinXML
 * without dependency identifiers, the nesting limit, and the XML view. */
#include "events/evtx_test.h"
#include "socfeed/evtx.h"

static char *render(uint8_t type, const void *bytes, size_t n, bool *ok) {
    static char out[512];
    evtx_buf b = {0};
    *ok = evtx_render_value(&b, type, bytes, n);
    snprintf(out, sizeof out, "%.*s", (int)b.len, b.p ? b.p : "");
    evtx_buf_free(&b);
    return out;
}

#define CHECK_RENDER(type, expected, ...)                                     \
    do {                                                                      \
        const unsigned char bytes_[] = {__VA_ARGS__};                          \
        bool ok_;                                                             \
        CHECK_EQ_STR(render(type, bytes_, sizeof bytes_, &ok_), expected);    \
        CHECK(ok_);                                                           \
    } while (0)

#define CHECK_RENDER_FAILS(type, ...)                                         \
    do {                                                                      \
        const unsigned char bytes_[] = {__VA_ARGS__};                          \
        bool ok_;                                                             \
        render(type, bytes_, sizeof bytes_, &ok_);                            \
        CHECK(!ok_);                                                          \
    } while (0)

TEST(evtx_value_integers_and_bools) {
    CHECK_RENDER(EVTX_T_INT8, "-5", 0xfb);
    CHECK_RENDER(EVTX_T_UINT8, "4", 0x04);
    CHECK_RENDER(EVTX_T_INT16, "-1", 0xff, 0xff);
    CHECK_RENDER(EVTX_T_UINT16, "4608", 0x00, 0x12);
    CHECK_RENDER(EVTX_T_INT32, "-2", 0xfe, 0xff, 0xff, 0xff);
    CHECK_RENDER(EVTX_T_UINT32, "456", 0xc8, 0x01, 0x00, 0x00);
    CHECK_RENDER(EVTX_T_INT64, "-1", 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    CHECK_RENDER(EVTX_T_UINT64, "18446744073709551615", 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    CHECK_RENDER(EVTX_T_BOOL, "true", 1, 0, 0, 0);
    CHECK_RENDER(EVTX_T_BOOL, "false", 0, 0, 0, 0);
    CHECK_RENDER(EVTX_T_BOOL, "true", 2, 0, 0, 0); /* any nonzero value */
    CHECK_RENDER_FAILS(EVTX_T_UINT32, 1, 2);      /* too short for its type */
    CHECK(evtx_type_is_bare(EVTX_T_UINT16) && evtx_type_is_bare(EVTX_T_BOOL));
    CHECK(!evtx_type_is_bare(EVTX_T_HEX32) && !evtx_type_is_bare(EVTX_T_REAL64));
}

TEST(evtx_value_hex_guid_sid) {
    CHECK_RENDER(EVTX_T_HEX32, "0x3e7", 0xe7, 0x03, 0x00, 0x00); /* no zero padding */
    CHECK_RENDER(EVTX_T_HEX32, "0x0", 0, 0, 0, 0);
    CHECK_RENDER(EVTX_T_HEX64, "0x8020000000000000", 0, 0, 0, 0, 0, 0, 0x20, 0x80);
    CHECK_RENDER(EVTX_T_SIZET, "0x858", 0x58, 0x08, 0, 0);
    CHECK_RENDER(EVTX_T_SIZET, "0x858", 0x58, 0x08, 0, 0, 0, 0, 0, 0);
    CHECK_RENDER_FAILS(EVTX_T_SIZET, 1, 2, 3);
    CHECK_RENDER(EVTX_T_GUID, "{54849625-5478-4994-A5BA-3E3B0328C30D}", 0x25, 0x96, 0x84, 0x54,
                 0x78, 0x54, 0x94, 0x49, 0xa5, 0xba, 0x3e, 0x3b, 0x03, 0x28, 0xc3, 0x0d);
    CHECK_RENDER(EVTX_T_SID, "S-1-5-18", 1, 1, 0, 0, 0, 0, 0, 5, 0x12, 0, 0, 0);
    CHECK_RENDER(EVTX_T_SID, "S-1-5-21-3461242002-1000", 1, 3, 0, 0, 0, 0, 0, 5, 0x15, 0, 0, 0,
                 0x92, 0x5c, 0x4e, 0xce, 0xe8, 0x03, 0, 0);
    CHECK_RENDER(EVTX_T_SID, "S-1-0", 1, 0, 0, 0, 0, 0, 0, 0);
    CHECK_RENDER(EVTX_T_SID, "S-?", 1, 1, 0, 0, 0);
    CHECK_RENDER(EVTX_T_BINARY, "D9060000", 0xd9, 0x06, 0x00, 0x00);
    bool ok;
    CHECK_EQ_STR(render(EVTX_T_BINARY, "", 0, &ok), "");
}

TEST(evtx_value_times_and_reals) {
    /* 131124751716816407 ticks: the 7th fractional digit (7) is truncated, not rounded. */
    CHECK_RENDER(EVTX_T_FILETIME, "2016-07-08T18:12:51.681640Z", 0x17, 0x96, 0x57, 0x57, 0x44,
                 0xd9, 0xd1, 0x01);
    CHECK_RENDER(EVTX_T_FILETIME, "1601-01-01T00:00:00.000000Z", 0, 0, 0, 0, 0, 0, 0, 0);
    /* digits written without printf; a year past 9999 (the largest FILETIME) keeps all its digits */
    CHECK_RENDER(EVTX_T_FILETIME, "5248-08-04T09:25:15.579112Z", 0x15, 0xed, 0x10, 0xcd, 0xd8, 0x6a, 0xf9, 0x0f);
    CHECK_RENDER(EVTX_T_FILETIME, "60056-05-28T05:36:10.955161Z", 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    CHECK_RENDER(EVTX_T_SYSTIME, "2016-07-08T18:12:51.682000Z", 0xe0, 0x07, 0x07, 0x00, 0x05,
                 0x00, 0x08, 0x00, 0x12, 0x00, 0x0c, 0x00, 0x33, 0x00, 0xaa, 0x02);
    CHECK_RENDER(EVTX_T_SYSTIME, "1601-01-01T00:00:00.000000Z", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                 0, 0, 0, 0, 0);
    CHECK_RENDER_FAILS(EVTX_T_SYSTIME, 0xe0, 0x07, 13, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    float f = 0.1f, one = 1.0f;
    double d = 6.62607015e-34, big = 3.439070283483335e+35, inf = 1.0 / 0.0;
    bool ok;
    CHECK_EQ_STR(render(EVTX_T_REAL32, &f, 4, &ok), "0.1");
    CHECK_EQ_STR(render(EVTX_T_REAL32, &one, 4, &ok), "1.0");
    CHECK_EQ_STR(render(EVTX_T_REAL64, &d, 8, &ok), "6.62607015e-34");
    CHECK_EQ_STR(render(EVTX_T_REAL64, &big, 8, &ok), "3.439070283483335e+35");
    CHECK_EQ_STR(render(EVTX_T_REAL64, &inf, 8, &ok), "inf");
}

TEST(evtx_value_strings) {
    /* UTF-16 cut at the first U+0000 (the rest of the value is still consumed by the reader). */
    CHECK_RENDER(EVTX_T_STRING, "Sec", 'S', 0, 'e', 0, 'c', 0, 0, 0, 'X', 0);
    CHECK_RENDER(EVTX_T_STRING, "a\r\nb", 'a', 0, '\r', 0, '\n', 0, 'b', 0); /* CR/LF kept */
    CHECK_RENDER(EVTX_T_STRING, "\xc3\xa9\xe2\x82\xac", 0xe9, 0, 0xac, 0x20);
    CHECK_RENDER(EVTX_T_STRING, "\xf0\x9f\x98\x80", 0x3d, 0xd8, 0x00, 0xde); /* surrogate pair */
    CHECK_RENDER(EVTX_T_STRING, "xy", 0x00, 0xd8, 'x', 0, 0x00, 0xdc, 'y', 0); /* lone: dropped */
    CHECK_RENDER(EVTX_T_STRING, "abcdefghi", 'a', 0, 'b', 0, 'c', 0, 'd', 0, 'e', 0, 'f', 0, 'g',
                 0, 'h', 0, 'i', 0);
    CHECK_RENDER(EVTX_T_ANSI, "ABC\xe2\x82\xac", 'A', 'B', 0, 'C', 0x80); /* NUL removed, cp1252 */
    CHECK(evtx_value_is_empty(EVTX_T_STRING, (const uint8_t *)"\0\0a\0", 4));
    CHECK(!evtx_value_is_empty(EVTX_T_STRING, (const uint8_t *)"a\0", 2));
    CHECK(evtx_value_is_empty(EVTX_T_NULL, NULL, 0));
}

TEST(evtx_value_arrays) {
    /* Items joined with ',' when an array is rendered as text (not expanded). */
    CHECK_RENDER(EVTX_T_STRING | EVTX_ARRAY, "a,,b", 'a', 0, 0, 0, 0, 0, 'b', 0, 0, 0);
    CHECK_RENDER(EVTX_T_UINT8 | EVTX_ARRAY, "97,99", 97, 99);
    CHECK_RENDER(EVTX_T_HEX32 | EVTX_ARRAY, "0x1,0xff", 1, 0, 0, 0, 0xff, 0, 0, 0);
    CHECK_RENDER(EVTX_T_SID | EVTX_ARRAY, "S-1-5-18,S-1-1-0", 1, 1, 0, 0, 0, 0, 0, 5, 0x12, 0, 0,
                 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0);
    const unsigned char strings[] = {'a', 0, 0, 0, 0, 0, 'b', 0, 0, 0};
    CHECK_EQ_INT(evtx_array_items(EVTX_T_STRING | EVTX_ARRAY, strings, sizeof strings, NULL, NULL), 3);
    CHECK(evtx_value_is_empty(EVTX_T_UINT32 | EVTX_ARRAY, strings, 0));
    CHECK_RENDER_FAILS(EVTX_T_BINARY | EVTX_ARRAY, 1, 2);   /* as evtx_dump: not supported */
    CHECK_RENDER_FAILS(EVTX_T_EVTHANDLE, 1, 2, 3, 4);
}

/* ---- a tiny EVTX image builder: one chunk, records with inline template definitions ---------- */

typedef struct builder {
    unsigned char *file; /* 4096 + 65536 bytes */
    unsigned char *c;    /* the chunk */
    uint32_t pos;        /* chunk-relative write position */
    uint32_t record_start, template_size_at, template_body_start;
    uint64_t records;
} builder;

static void put8(builder *b, unsigned v) { b->c[b->pos++] = (unsigned char)v; }
static void put16(builder *b, unsigned v) { put8(b, v & 0xff); put8(b, (v >> 8) & 0xff); }
static void put32(builder *b, uint32_t v) { put16(b, v & 0xffff); put16(b, v >> 16); }
static void put64(builder *b, uint64_t v) { put32(b, (uint32_t)v); put32(b, (uint32_t)(v >> 32)); }
static void putstr16(builder *b, const char *s) {
    for (; *s; s++) put16(b, (unsigned char)*s);
}
static void set32(builder *b, uint32_t at, uint32_t v) { memcpy(b->c + at, &v, 4); }

static void b_init(builder *b) {
    memset(b, 0, sizeof *b);
    b->file = calloc(1, 4096 + 65536);
    b->c = b->file + 4096;
    b->pos = 512;
}

static void b_name(builder *b, const char *name) { /* inline name: the reference points after itself */
    put32(b, b->pos + 4);
    put32(b, 0);
    put16(b, 0);
    put16(b, (unsigned)strlen(name));
    putstr16(b, name);
    put16(b, 0);
}
static void b_open(builder *b, const char *name, bool attrs, bool dep_id) {
    put8(b, attrs ? 0x41 : 0x01);
    if (dep_id) put16(b, 0xffff);
    put32(b, 0);
    b_name(b, name);
    if (attrs) put32(b, 0);
}
static void b_attr(builder *b, const char *name) { put8(b, 0x06); b_name(b, name); }
static void b_text(builder *b, const char *s) {
    put8(b, 0x05);
    put8(b, 0x01);
    put16(b, (unsigned)strlen(s));
    putstr16(b, s);
}
static void b_subst(builder *b, unsigned index, unsigned type, bool optional) {
    put8(b, optional ? 0x0e : 0x0d);
    put16(b, index);
    put8(b, type);
}
static void b_leaf(builder *b, const char *name, const char *text) { /* <name>text</name> */
    b_open(b, name, false, true);
    put8(b, 0x02);
    b_text(b, text);
    put8(b, 0x04);
}

static void b_record_begin(builder *b) {
    b->record_start = b->pos;
    put32(b, 0x00002a2a);
    put32(b, 0); /* size, patched */
    put64(b, ++b->records);
    put64(b, 0);
    put32(b, 0x0001010f); /* fragment header */
    put8(b, 0x0c);
    put8(b, 1);
    put32(b, 0);
    put32(b, b->pos + 4); /* definition inline, right here */
    put32(b, 0);
    for (int i = 0; i < 16; i++) put8(b, 0);
    b->template_size_at = b->pos;
    put32(b, 0);
    b->template_body_start = b->pos;
    put32(b, 0x0001010f);
}

typedef struct bval {
    unsigned type;
    const void *data;
    size_t size;
} bval;

static void b_record_end(builder *b, const bval *values, unsigned n) {
    put8(b, 0x00); /* end of template body */
    set32(b, b->template_size_at, b->pos - b->template_body_start);
    put32(b, n);
    for (unsigned i = 0; i < n; i++) {
        put16(b, (unsigned)values[i].size);
        put8(b, values[i].type);
        put8(b, 0);
    }
    for (unsigned i = 0; i < n; i++) {
        if (values[i].size) memcpy(b->c + b->pos, values[i].data, values[i].size);
        b->pos += (uint32_t)values[i].size;
    }
    put8(b, 0x00); /* end of record BinXML */
    uint32_t size = b->pos + 4 - b->record_start;
    put32(b, size);
    set32(b, b->record_start + 4, size);
}

static size_t b_finish(builder *b) {
    unsigned char *c = b->c;
    memcpy(c, "ElfChnk", 8);
    uint64_t first = 1, last = b->records;
    memcpy(c + 8, &first, 8);
    memcpy(c + 16, &last, 8);
    memcpy(c + 24, &first, 8);
    memcpy(c + 32, &last, 8);
    set32(b, 40, 128);
    set32(b, 44, b->record_start);
    set32(b, 48, b->pos);
    set32(b, 52, evtx_crc32(0, c + 512, b->pos - 512));
    uint32_t crc = evtx_crc32(evtx_crc32(0, c, 120), c + 128, 384);
    set32(b, 124, crc);
    unsigned char *f = b->file;
    memcpy(f, "ElfFile", 8);
    uint64_t next = b->records + 1;
    memcpy(f + 24, &next, 8);
    uint32_t v = 128;
    memcpy(f + 32, &v, 4);
    f[36] = 1;
    f[38] = 3;
    f[40] = 0x00;
    f[41] = 0x10;
    f[42] = 1;
    crc = evtx_crc32(0, f, 120);
    memcpy(f + 124, &crc, 4);
    return 4096 + 65536;
}

/* Reads the built image, keeps the first event as JSON and its XML. */
typedef struct first_event {
    char *json;
    char *xml;
    const unsigned char *file;
    size_t len;
    unsigned events;
} first_event;

static int keep_first(void *ctx, const socfeed_event *ev) {
    first_event *fe = ctx;
    if (fe->events++ == 0) {
        fe->json = socfeed_event_to_json(&ev->root);
        fe->xml = socfeed_evtx_record_xml(fe->file, fe->len, ev->origin.offset, 0, NULL);
    }
    return 0;
}

static first_event b_read(builder *b, unsigned max_depth, socfeed_diags *diags) {
    size_t len = b_finish(b);
    first_event fe = {NULL, NULL, b->file, len, 0};
    socfeed_read_options opt = {.max_depth = max_depth};
    socfeed_evtx_read_buffer("built.evtx", b->file, len, &opt, keep_first, &fe, diags, NULL);
    return fe;
}

static void fe_free(first_event *fe, builder *b) {
    free(fe->json);
    free(fe->xml);
    free(b->file);
}

TEST(evtx_record_data_aggregation_and_arrays) {
    builder b;
    b_init(&b);
    b_record_begin(&b);
    b_open(&b, "Event", false, true);
    put8(&b, 0x02);
    b_open(&b, "EventData", false, true);
    put8(&b, 0x02);
    b_open(&b, "Data", false, true);
    put8(&b, 0x02);
    b_subst(&b, 0, EVTX_T_STRING | EVTX_ARRAY, false);
    put8(&b, 0x04);
    put8(&b, 0x04);
    b_open(&b, "PropA", false, true);
    put8(&b, 0x02);
    b_subst(&b, 1, EVTX_T_UINT8 | EVTX_ARRAY, false);
    put8(&b, 0x04);
    put8(&b, 0x04);
    const unsigned char items[] = {'a', 0, 0, 0, 0, 0, 'b', 0, 0, 0};
    const unsigned char bytes[] = {97, 99};
    bval v[] = {{EVTX_T_STRING | EVTX_ARRAY, items, sizeof items}, {EVTX_T_UINT8 | EVTX_ARRAY, bytes, 2}};
    b_record_end(&b, v, 2);
    socfeed_diags diags;
    socfeed_diags_init(&diags);
    first_event fe = b_read(&b, 0, &diags);
    CHECK_EQ_INT(diags.count, 0);
    CHECK_EQ_INT(fe.events, 1);
    /* Three unnamed <Data> gathered under "#text"; the byte array repeats <PropA>, each a bare
     * number; repeated names get _1. */
    CHECK_EQ_STR(fe.json, "{\"Event\":{\"EventData\":{\"Data\":{\"#text\":[\"a\",\"\",\"b\"]}},"
                          "\"PropA\":97,\"PropA_1\":99}}");
    CHECK_EQ_STR(fe.xml, "<Event>\n  <EventData>\n    <Data>a</Data>\n    <Data/>\n"
                         "    <Data>b</Data>\n  </EventData>\n  <PropA>97</PropA>\n"
                         "  <PropA>99</PropA>\n</Event>\n");
    socfeed_diags_clear(&diags);
    fe_free(&fe, &b);
}

TEST(evtx_record_named_data_optional_and_text) {
    builder b;
    b_init(&b);
    b_record_begin(&b);
    b_open(&b, "Event", true, true);
    b_attr(&b, "xmlns");
    b_text(&b, "urn:x");
    put8(&b, 0x02);
    b_open(&b, "System", false, true);
    put8(&b, 0x02);
    b_open(&b, "Provider", true, true); /* Guid="%0" */
    b_attr(&b, "Guid");
    b_subst(&b, 0, EVTX_T_GUID, false);
    put8(&b, 0x03);
    b_open(&b, "Correlation", true, true); /* optional NULL: attribute and content left out */
    b_attr(&b, "ActivityID");
    b_subst(&b, 1, EVTX_T_GUID, true);
    put8(&b, 0x03);
    b_leaf(&b, "Note", "x");
    b_leaf(&b, "Note", "y");
    b_open(&b, "Msg", true, true); /* attribute and text: #attributes + #text */
    b_attr(&b, "Lang");
    b_text(&b, "en");
    put8(&b, 0x02);
    b_subst(&b, 2, EVTX_T_STRING, false);
    put8(&b, 0x04);
    put8(&b, 0x04);
    b_open(&b, "EventData", false, true);
    put8(&b, 0x02);
    const char *names[] = {"EventID", "Empty", "Keywords", "Flag"};
    for (unsigned i = 0; i < 4; i++) {
        b_open(&b, "Data", true, true);
        b_attr(&b, "Name");
        b_text(&b, names[i]);
        put8(&b, 0x02);
        b_subst(&b, 3 + i, 0, false);
        put8(&b, 0x04);
    }
    put8(&b, 0x04);
    put8(&b, 0x04);
    const unsigned char guid[16] = {0x25, 0x96, 0x84, 0x54, 0x78, 0x54, 0x94, 0x49,
                                    0xa5, 0xba, 0x3e, 0x3b, 0x03, 0x28, 0xc3, 0x0d};
    const unsigned char msg[] = {'l', 0, '1', 0, '\r', 0, '\n', 0, 'l', 0, '2', 0, '&', 0, '<', 0};
    const unsigned char id[] = {0x00, 0x12}, kw[] = {0, 0, 0, 0, 0, 0, 0x20, 0x80}, flag[] = {1, 0, 0, 0};
    bval v[] = {{EVTX_T_GUID, guid, 16}, {EVTX_T_NULL, NULL, 0},   {EVTX_T_STRING, msg, sizeof msg},
                {EVTX_T_UINT16, id, 2},  {EVTX_T_NULL, NULL, 0},   {EVTX_T_HEX64, kw, 8},
                {EVTX_T_BOOL, flag, 4}};
    b_record_end(&b, v, 7);
    socfeed_diags diags;
    socfeed_diags_init(&diags);
    first_event fe = b_read(&b, 0, &diags);
    CHECK_EQ_INT(diags.count, 0);
    CHECK_EQ_STR(fe.json,
                 "{\"Event\":{\"#attributes\":{\"xmlns\":\"urn:x\"},\"System\":{\"Provider\":{"
                 "\"#attributes\":{\"Guid\":\"{54849625-5478-4994-A5BA-3E3B0328C30D}\"}},"
                 "\"Correlation\":null,\"Note\":\"x\",\"Note_1\":\"y\",\"Msg\":{\"#attributes\":"
                 "{\"Lang\":\"en\"},\"#text\":\"l1\\r\\nl2&<\"}},\"EventData\":{\"EventID\":4608,"
                 "\"Empty\":\"\",\"Keywords\":\"0x8020000000000000\",\"Flag\":true}}}");
    CHECK(fe.xml && strstr(fe.xml, "<Correlation/>"));
    CHECK(fe.xml && strstr(fe.xml, "<Msg Lang=\"en\">l1\r\nl2&amp;&lt;</Msg>"));
    CHECK(fe.xml && strstr(fe.xml, "<Data Name=\"Empty\"/>"));
    socfeed_diags_clear(&diags);
    fe_free(&fe, &b);
}

TEST(evtx_record_nested_binxml_value) {
    /* <Event><UserData>%0</UserData></Event>, %0 a BinXML value holding <Inner>v</Inner> written
     * without dependency identifiers (as nested values are). */
    builder b;
    b_init(&b);
    b_record_begin(&b);
    b_open(&b, "Event", false, true);
    put8(&b, 0x02);
    b_open(&b, "UserData", false, true);
    put8(&b, 0x02);
    b_subst(&b, 0, EVTX_T_BINXML, false);
    put8(&b, 0x04);
    put8(&b, 0x04);
    /* Write the nested value where it will land: after the descriptors. Build it in place by
     * reserving: values start at pos + 1 (EOF) + 4 (count) + 4 (one descriptor). */
    uint32_t value_at = b.pos + 1 + 4 + 4;
    builder nb = b;
    nb.pos = value_at;
    b_open(&nb, "Inner", false, false);
    put8(&nb, 0x02);
    b_text(&nb, "v");
    put8(&nb, 0x04);
    put8(&nb, 0x00);
    size_t nested_len = nb.pos - value_at;
    unsigned char *nested = malloc(nested_len);
    memcpy(nested, b.c + value_at, nested_len);
    bval v[] = {{EVTX_T_BINXML, nested, nested_len}};
    b_record_end(&b, v, 1);
    socfeed_diags diags;
    socfeed_diags_init(&diags);
    first_event fe = b_read(&b, 0, &diags);
    CHECK_EQ_INT(diags.count, 0);
    CHECK_EQ_STR(fe.json, "{\"Event\":{\"UserData\":{\"Inner\":\"v\"}}}");
    socfeed_diags_clear(&diags);
    free(nested);
    fe_free(&fe, &b);
}

TEST(evtx_record_nesting_limit) {
    /* 100 nested elements: over the default limit of 64 the record is reported, not read, and
     * nothing crashes; with max_depth 200 it reads. */
    for (int pass = 0; pass < 2; pass++) {
        builder b;
        b_init(&b);
        b_record_begin(&b);
        for (int i = 0; i < 100; i++) {
            b_open(&b, "E", false, true);
            put8(&b, 0x02);
        }
        b_text(&b, "deep");
        for (int i = 0; i < 100; i++) put8(&b, 0x04);
        b_record_end(&b, NULL, 0);
        socfeed_diags diags;
        socfeed_diags_init(&diags);
        first_event fe = b_read(&b, pass ? 200 : 0, &diags);
        if (pass == 0) {
            CHECK_EQ_INT(fe.events, 0);
            CHECK_EQ_INT(diags.errors, 1);
            CHECK(evtx_test_has_code(&diags, "evtx-binxml"));
        } else {
            CHECK_EQ_INT(fe.events, 1);
            CHECK_EQ_INT(diags.count, 0);
        }
        socfeed_diags_clear(&diags);
        fe_free(&fe, &b);
    }
}

TEST(evtx_record_xml_api_rejects_bad_offsets) {
    builder b;
    b_init(&b);
    b_record_begin(&b);
    b_leaf(&b, "Event", "x");
    b_record_end(&b, NULL, 0);
    size_t len = b_finish(&b);
    const char *why = NULL;
    char *xml = socfeed_evtx_record_xml(b.file, len, 4096 + 512, 0, &why);
    CHECK_EQ_STR(xml, "<Event>x</Event>\n");
    free(xml);
    CHECK(socfeed_evtx_record_xml(b.file, len, 4096 + 513, 0, &why) == NULL);
    CHECK(why != NULL);
    CHECK(socfeed_evtx_record_xml(b.file, len, 100, 0, &why) == NULL);
    CHECK(socfeed_evtx_record_xml(b.file, len, len + 10, 0, &why) == NULL);
    free(b.file);
}
