/* file_buffer.c — socfeed_read_file() with a caller's file buffer delivers exactly what it delivers
 * with the file mapped: the same events, origins and diagnostics, file after file through one
 * buffer that grows and is reused (smaller files after larger ones leave stale bytes behind them),
 * with one EVTX decoder kept in it from file to file (its name and template caches must never
 * answer for another file's chunk at the same offsets);
 * a file larger than SOCFEED_FILE_BUFFER_MAX is mapped and does not grow the buffer; an empty,
 * missing or damaged file is reported as without one. */
#include <fcntl.h>
#include <unistd.h>

#include "events/evtx_test.h"
#include "util/strbuf.h"

/* Every event of a file as JSON with its origin, then the formatted diagnostics and the code. */
typedef struct transcript {
    strbuf text;
} transcript;

static int record_event(void *ctx, const socfeed_event *ev) {
    transcript *t = ctx;
    char *json = socfeed_event_to_json(&ev->root);
    sb_printf(&t->text, "%llu %llu %llu %llu %s\n", (unsigned long long)ev->origin.offset,
              (unsigned long long)ev->origin.line, (unsigned long long)ev->origin.record_id,
              (unsigned long long)ev->origin.index, json);
    free(json);
    return 0;
}

static char *read_transcript(const char *path, socfeed_file_buffer *buf) {
    transcript t;
    sb_init(&t.text);
    socfeed_diags diags;
    socfeed_diags_init(&diags);
    socfeed_read_stats st = {0};
    socfeed_read_options opt = {.file_buffer = buf};
    int rc = socfeed_read_file(path, &opt, record_event, &t, &diags, &st);
    char line[1024];
    for (size_t i = 0; i < diags.count; i++) {
        socfeed_diag_format(&diags.items[i], line, sizeof line);
        sb_printf(&t.text, "%s\n", line);
    }
    sb_printf(&t.text, "rc %d events %llu bytes %llu errors %llu\n", rc, (unsigned long long)st.events,
              (unsigned long long)st.bytes, (unsigned long long)st.errors);
    socfeed_diags_clear(&diags);
    return sb_detach(&t.text);
}

static void check_same(const char *path, socfeed_file_buffer *buf) {
    char *mapped = read_transcript(path, NULL);
    char *buffered = read_transcript(path, buf);
    if (strcmp(mapped, buffered) != 0)
        harness_fail(__FILE__, __LINE__, "%s: read into the buffer differs from mapped", path);
    free(mapped);
    free(buffered);
}

static off_t file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? st.st_size : -1;
}

TEST(file_buffer_reads_what_mapping_reads) {
    if (!harness_have_shared()) {
        printf("  skip file_buffer_reads_what_mapping_reads: ../shared not found\n");
        return;
    }
    evtx_test_paths files;
    evtx_test_list(harness_shared("samples/evtx-attack-samples"), ".evtx", &files);
    CHECK(files.count > 20);
    socfeed_file_buffer buf = {0};
    off_t largest = 0;
    bool shrank = false; /* some file came after a larger one, over its stale bytes */
    for (size_t i = 0; i < files.count; i += 7) {
        off_t size = file_size(files.items[i]);
        if (size < largest) shrank = true;
        if (size > largest) largest = size;
        check_same(files.items[i], &buf);
    }
    CHECK(shrank);
    CHECK_EQ_INT(buf.cap, (size_t)largest); /* grown to the largest file, never per call */
    CHECK(buf.evtx != NULL);                /* the decoder stays for the next file */
    /* evtx_dump JSON exports through the same buffer */
    evtx_test_paths json;
    evtx_test_list(harness_shared("sigma/regression_data/rules/windows/process_creation"), ".json", &json);
    CHECK(json.count > 10);
    for (size_t i = 0; i < json.count; i += 10) check_same(json.items[i], &buf);
    evtx_test_paths_free(&json);
    evtx_test_paths_free(&files);
    socfeed_file_buffer_free(&buf);
    CHECK(buf.data == NULL && buf.cap == 0 && buf.evtx == NULL);
}

TEST(file_buffer_reports_bad_files_as_mapping_does) {
    char dir[] = "/tmp/socfeed-file-buffer-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char empty[128], broken[128], big[128], missing[128];
    snprintf(empty, sizeof empty, "%s/empty.json", dir);
    snprintf(broken, sizeof broken, "%s/broken.jsonl", dir);
    snprintf(big, sizeof big, "%s/big.jsonl", dir);
    snprintf(missing, sizeof missing, "%s/missing.evtx", dir);
    FILE *f = fopen(empty, "w");
    CHECK(f && fclose(f) == 0);
    f = fopen(broken, "w");
    CHECK(f != NULL);
    fputs("{\"EventID\": 1}\n{\"EventID\": \n{\"EventID\": 3}\n", f);
    CHECK(fclose(f) == 0);
    /* Larger than the buffer may grow: one event, then blanks up to the size (sparse, so cheap). */
    int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    CHECK(write(fd, "{\"EventID\": 7}\n", 15) == 15);
    CHECK(ftruncate(fd, (off_t)SOCFEED_FILE_BUFFER_MAX + 4096) == 0);
    close(fd);
    socfeed_file_buffer buf = {0};
    check_same(broken, &buf);
    size_t cap = buf.cap;
    CHECK(cap > 0);
    check_same(empty, &buf);
    check_same(missing, &buf);
    check_same(big, &buf);
    CHECK_EQ_INT(buf.cap, cap); /* the big file was mapped, not copied into the buffer */
    char *t = read_transcript(missing, &buf);
    CHECK(strstr(t, "cannot open") != NULL);
    free(t);
    socfeed_file_buffer_free(&buf);
    unlink(empty);
    unlink(broken);
    unlink(big);
    rmdir(dir);
}
