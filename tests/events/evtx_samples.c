/* evtx_samples.c — the 277 real files of samples/evtx-attack-samples read without a single error,
 * and each file's record count agrees with an independent walk of its chunks (signature, size,
 * next record) and, where the file is clean, with the record numbers its chunk headers declare.
 * Also: one and two decoding threads deliver the same events in the same (file) order. */
#include "events/evtx_test.h"

/* Counts records by walking each chunk's records by their size fields: deliberately not the
 * library's code, so the two can disagree. */
static uint64_t walk_records(const unsigned char *d, size_t len, uint64_t *declared, bool *clean) {
    uint64_t n = 0;
    *declared = 0;
    *clean = len >= 4096 && !(evtx_u32(d + 120) & 1);
    for (size_t base = 4096; base + 65536 <= len; base += 65536) {
        const unsigned char *c = d + base;
        if (memcmp(c, "ElfChnk", 8) != 0) continue;
        *declared += evtx_u64(c + 16) - evtx_u64(c + 8) + 1;
        uint32_t end = evtx_u32(c + 48), off = 512;
        if (end > 65536) {
            *clean = false;
            end = 65536;
        }
        while (off + 28 <= end && !memcmp(c + off, "**\0\0", 4)) {
            uint32_t size = evtx_u32(c + off + 4);
            if (size < 28 || size > end - off) break;
            n++;
            off += size;
        }
    }
    return n;
}

TEST(evtx_attack_samples_read_cleanly) {
    if (!harness_have_shared()) {
        printf("  skip evtx_attack_samples_read_cleanly: ../shared not found\n");
        return;
    }
    evtx_test_paths files;
    evtx_test_list(harness_shared("samples/evtx-attack-samples"), ".evtx", &files);
    CHECK_EQ_INT(files.count, 277);
    uint64_t total = 0, clean_files = 0;
    for (size_t i = 0; i < files.count; i++) {
        evtx_test_file f;
        if (!evtx_test_load(files.items[i], &f)) {
            harness_fail(__FILE__, __LINE__, "cannot read %s", files.items[i]);
            continue;
        }
        socfeed_diags diags;
        socfeed_diags_init(&diags);
        int rc;
        uint64_t n = evtx_test_read_count(files.items[i], f.data, f.len, 1, &diags, &rc);
        if (rc != 0 || diags.errors) {
            char line[512] = "";
            if (diags.count) socfeed_diag_format(&diags.items[0], line, sizeof line);
            harness_fail(__FILE__, __LINE__, "%s: rc %d, %zu errors: %s", files.items[i], rc,
                         diags.errors, line);
        }
        uint64_t declared;
        bool clean;
        uint64_t walked = walk_records(f.data, f.len, &declared, &clean);
        if (n != walked)
            harness_fail(__FILE__, __LINE__, "%s: read %llu records, chunk walk finds %llu",
                         files.items[i], (unsigned long long)n, (unsigned long long)walked);
        if (clean) {
            clean_files++;
            if (n != declared)
                harness_fail(__FILE__, __LINE__, "%s: read %llu records, chunk headers declare %llu",
                             files.items[i], (unsigned long long)n, (unsigned long long)declared);
        }
        total += n;
        socfeed_diags_clear(&diags);
        free(f.data);
    }
    CHECK_EQ_INT(total, 8255);
    CHECK(clean_files > 0);
    evtx_test_paths_free(&files);
}

/* Serialises every event of a read, to compare runs. */
typedef struct json_lines {
    char *text;
    size_t len, cap;
} json_lines;

static int append_json(void *ctx, const socfeed_event *ev) {
    json_lines *j = ctx;
    char *s = socfeed_event_to_json(&ev->root);
    char head[96];
    int hn = snprintf(head, sizeof head, "%llu %llu %llu ", (unsigned long long)ev->origin.index,
                      (unsigned long long)ev->origin.offset,
                      (unsigned long long)ev->origin.record_id);
    size_t n = strlen(s) + (size_t)hn + 1;
    if (j->len + n + 1 > j->cap) {
        j->cap = (j->len + n + 1) * 2;
        j->text = realloc(j->text, j->cap);
    }
    memcpy(j->text + j->len, head, (size_t)hn);
    memcpy(j->text + j->len + hn, s, strlen(s));
    j->len += n;
    j->text[j->len - 1] = '\n';
    j->text[j->len] = 0;
    free(s);
    return 0;
}

TEST(evtx_threads_give_same_events_in_order) {
    if (!harness_have_shared()) {
        printf("  skip evtx_threads_give_same_events_in_order: ../shared not found\n");
        return;
    }
    const char *names[] = {"samples/evtx-attack-samples/Command and Control/bits_openvpn.evtx",
                           "samples/evtx-attack-samples/Lateral Movement/LM_5145_Remote_FileCopy.evtx"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        evtx_test_file f;
        if (!evtx_test_load(harness_shared(names[k]), &f)) {
            harness_fail(__FILE__, __LINE__, "cannot read %s", names[k]);
            continue;
        }
        json_lines one = {0}, two = {0}, three = {0};
        socfeed_read_options o1 = {.threads = 1}, o2 = {.threads = 2}, o3 = {.threads = 3};
        socfeed_diags diags;
        socfeed_diags_init(&diags);
        CHECK_EQ_INT(socfeed_evtx_read_buffer(names[k], f.data, f.len, &o1, append_json, &one, &diags, NULL), 0);
        CHECK_EQ_INT(socfeed_evtx_read_buffer(names[k], f.data, f.len, &o2, append_json, &two, &diags, NULL), 0);
        CHECK_EQ_INT(socfeed_evtx_read_buffer(names[k], f.data, f.len, &o3, append_json, &three, &diags, NULL), 0);
        CHECK(one.len > 0);
        CHECK(one.len == two.len && !memcmp(one.text, two.text, one.len));
        CHECK(one.len == three.len && !memcmp(one.text, three.text, one.len));
        /* Threads read in order too: counting callback checks index and offsets. */
        int rc;
        uint64_t n = evtx_test_read_count(names[k], f.data, f.len, 2, &diags, &rc);
        CHECK(n > 500);
        CHECK_EQ_INT(diags.errors, 0);
        free(one.text);
        free(two.text);
        free(three.text);
        socfeed_diags_clear(&diags);
        free(f.data);
    }
}

static int stop_after_ten(void *ctx, const socfeed_event *ev) {
    (void)ev;
    return ++*(int *)ctx >= 10;
}

TEST(evtx_callback_can_stop_reading) {
    if (!harness_have_shared()) return;
    evtx_test_file f;
    if (!evtx_test_load(harness_shared("samples/evtx-attack-samples/Command and Control/bits_openvpn.evtx"), &f)) {
        harness_fail(__FILE__, __LINE__, "cannot read bits_openvpn.evtx");
        return;
    }
    for (unsigned threads = 1; threads <= 2; threads++) {
        int seen = 0;
        socfeed_read_options o = {.threads = threads};
        socfeed_read_stats st = {0};
        CHECK_EQ_INT(socfeed_evtx_read_buffer("bits", f.data, f.len, &o, stop_after_ten, &seen, NULL, &st), 0);
        CHECK_EQ_INT(seen, 10);
        CHECK_EQ_INT(st.events, 10);
    }
    free(f.data);
}
