/* json_shapes.c — the JSON reader accepts every input shape: one object, arrays of objects,
 * objects back to back (compact or pretty-printed), JSON Lines with LF or CRLF, a BOM, empty and
 * blank inputs; and fills each event's origin (offset, line, index). */
#include <stdint.h>

#include "harness.h"
#include "json_collect.h"

TEST(json_single_object) {
    collected c = {0};
    collect_json(&c, "{\"a\":1,\"b\":\"x\",\"c\":[true,false,null],\"d\":{}}", SIZE_MAX, NULL);
    CHECK_EQ_INT(c.rc, 0);
    CHECK_EQ_INT(c.n, 1);
    CHECK_EQ_STR(c.out.data, "{\"a\":1,\"b\":\"x\",\"c\":[true,false,null],\"d\":{}}\n");
    CHECK_EQ_INT(c.stats.events, 1);
    CHECK_EQ_INT(c.stats.errors, 0);
    CHECK_EQ_INT(c.diags.count, 0);
    collect_free(&c);
}

TEST(json_lines_lf_and_crlf) {
    collected c = {0};
    collect_json(&c, "{\"a\":1}\n{\"a\":2}\r\n\r\n{\"a\":3}", SIZE_MAX, NULL);
    CHECK_EQ_INT(c.rc, 0);
    CHECK_EQ_STR(c.out.data, "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");
    CHECK_EQ_INT(c.origin[0].line, 1);
    CHECK_EQ_INT(c.origin[1].line, 2);
    CHECK_EQ_INT(c.origin[2].line, 4);
    CHECK_EQ_INT(c.origin[1].offset, 8);
    CHECK_EQ_INT(c.origin[2].offset, 19);
    CHECK_EQ_INT(c.origin[2].index, 2);
    CHECK_EQ_STR(c.origin[0].file, "t.json");
    collect_free(&c);
}

TEST(json_back_to_back_pretty) {
    /* The shape of 13 regression-data files: pretty-printed objects one after another. */
    const char *text = "{\n  \"Event\": {\n    \"A\": 1\n  }\n}\n{\n  \"Event\": {\n    \"A\": [\n      2,\n      3\n    ]\n  }\n}\n";
    collected c = {0};
    collect_json(&c, text, SIZE_MAX, NULL);
    CHECK_EQ_INT(c.rc, 0);
    CHECK_EQ_STR(c.out.data, "{\"Event\":{\"A\":1}}\n{\"Event\":{\"A\":[2,3]}}\n");
    CHECK_EQ_INT(c.origin[1].line, 6);
    CHECK_EQ_INT(c.origin[1].offset, 32);
    collect_free(&c);
}

TEST(json_back_to_back_same_line) {
    collected c = {0};
    collect_json(&c, "{\"a\":1}{\"b\":2} {\"c\":3}", SIZE_MAX, NULL);
    CHECK_EQ_INT(c.rc, 0);
    CHECK_EQ_INT(c.n, 3);
    CHECK_EQ_INT(c.origin[2].offset, 15);
    collect_free(&c);
}

TEST(json_array_of_objects) {
    collected c = {0};
    collect_json(&c, "[{\"a\":1},\n {\"a\":[2]} , {}]\n[]\n{\"after\":true}", SIZE_MAX, NULL);
    CHECK_EQ_INT(c.rc, 0);
    CHECK_EQ_STR(c.out.data, "{\"a\":1}\n{\"a\":[2]}\n{}\n{\"after\":true}\n");
    CHECK_EQ_INT(c.origin[0].offset, 1);
    CHECK_EQ_INT(c.origin[1].line, 2);
    CHECK_EQ_INT(c.origin[1].offset, 11);
    CHECK_EQ_INT(c.origin[3].index, 3);
    collect_free(&c);
}

TEST(json_empty_and_blank_inputs) {
    const char *inputs[] = {"", "   \n\t\r\n", "\xEF\xBB\xBF", "[]", "[ \n ]"};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        collected c = {0};
        collect_json(&c, inputs[i], SIZE_MAX, NULL);
        CHECK_EQ_INT(c.rc, 0);
        CHECK_EQ_INT(c.n, 0);
        CHECK_EQ_INT(c.diags.count, 0);
        collect_free(&c);
    }
}

TEST(json_bom_is_skipped) {
    collected c = {0};
    collect_json(&c, "\xEF\xBB\xBF{\"a\":1}\n", SIZE_MAX, NULL);
    CHECK_EQ_INT(c.rc, 0);
    CHECK_EQ_STR(c.out.data, "{\"a\":1}\n");
    CHECK_EQ_INT(c.origin[0].offset, 3);
    collect_free(&c);
}

TEST(json_nested_values_keep_order) {
    collected c = {0};
    const char *text = "{\"z\":1,\"a\":{\"y\":[1,[2,[3,{}]],{\"k\":\"v\"}],\"b\":[]},\"m\":null}";
    collect_json(&c, text, SIZE_MAX, NULL);
    CHECK_EQ_INT(c.rc, 0);
    CHECK_EQ_STR(c.event[0], text);
    collect_free(&c);
}

TEST(json_callback_can_stop) {
    collected c = {0};
    c.stop_after = 2;
    collect_json(&c, "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n", SIZE_MAX, NULL);
    CHECK_EQ_INT(c.rc, 0);
    CHECK_EQ_INT(c.n, 2);
    CHECK_EQ_INT(c.stats.events, 2);
    collect_free(&c);
}

TEST(json_many_events_reuse_memory) {
    /* 20,000 events with long escaped strings: exercises block reuse between events. */
    strbuf sb;
    sb_init(&sb);
    for (int i = 0; i < 20000; i++)
        sb_printf(&sb, "{\"i\":%d,\"msg\":\"line\\r\\n\\tC:\\\\Windows\\\\%d %s\"}\n", i, i,
                  i % 7 ? "" : "padding padding padding padding padding padding padding");
    collected c = {0};
    collect_json(&c, sb.data, sb.len, NULL);
    CHECK_EQ_INT(c.rc, 0);
    CHECK_EQ_INT(c.n, 20000);
    CHECK_EQ_STR(c.event[7], "{\"i\":7,\"msg\":\"line\\r\\n\\tC:\\\\Windows\\\\7 padding padding padding padding padding padding padding\"}");
    collect_free(&c);
    sb_free(&sb);
}
