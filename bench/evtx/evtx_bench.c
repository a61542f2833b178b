/* evtx_bench.c — times the native EVTX reader over files (and doubles as a small inspection tool).
 *
 *   evtx_bench [-t THREADS] [-r REPEAT] FILE...     read every file REPEAT times, print
 *                                                   "records=N bytes=N seconds=S records/s=… MB/s=…"
 *   evtx_bench --json FILE                          print each event as one line of compact JSON
 *   evtx_bench --xml FILE                           print each record as XML
 *   evtx_bench --count FILE...                      print "<records> <errors> <file>" per file
 *   evtx_bench --merge OUT REPEAT FILE...           write one EVTX file made of every chunk of
 *                                                   the FILEs, REPEAT times (a large, realistic
 *                                                   input for timing; chunks are self-contained)
 *
 * Files are read into memory before the clock starts, so the figures are decoding speed (BinXML
 * to event trees), not disk speed. The JSON printer here is a bench-only helper, not the
 * library's serializer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "events/evtx/evtx_internal.h" /* evtx_crc32 for --merge */
#include "socfeed/evtx.h"
#include "socfeed/reader.h"

typedef struct file_buf {
    const char *path;
    unsigned char *data;
    size_t len;
} file_buf;

static int load(const char *path, file_buf *f) {
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "evtx_bench: %s: %s\n", path, strerror(errno));
        return -1;
    }
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    f->path = path;
    f->len = n > 0 ? (size_t)n : 0;
    f->data = malloc(f->len ? f->len : 1);
    if (!f->data || fread(f->data, 1, f->len, fp) != f->len) {
        fclose(fp);
        return -1;
    }
    fclose(fp);
    return 0;
}

static void put_json_string(const char *s, size_t n) {
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': fputs("\\\"", stdout); break;
        case '\\': fputs("\\\\", stdout); break;
        case '\n': fputs("\\n", stdout); break;
        case '\r': fputs("\\r", stdout); break;
        case '\t': fputs("\\t", stdout); break;
        case '\b': fputs("\\b", stdout); break;
        case '\f': fputs("\\f", stdout); break;
        default:
            if (c < 0x20) printf("\\u%04X", c);
            else putchar(c);
        }
    }
    putchar('"');
}

static void put_json(const socfeed_event_value *v) {
    switch (v->type) {
    case SOCFEED_EV_NULL: fputs("null", stdout); break;
    case SOCFEED_EV_BOOL: fputs(v->as.b ? "true" : "false", stdout); break;
    case SOCFEED_EV_INT: printf("%lld", (long long)v->as.i); break;
    case SOCFEED_EV_UINT: printf("%llu", (unsigned long long)v->as.u); break;
    case SOCFEED_EV_REAL: fwrite(v->as.s, 1, v->len, stdout); break;
    case SOCFEED_EV_STRING: put_json_string(v->as.s, v->len); break;
    case SOCFEED_EV_ARRAY:
        putchar('[');
        for (uint32_t i = 0; i < v->len; i++) {
            if (i) putchar(',');
            put_json(&v->as.items[i]);
        }
        putchar(']');
        break;
    case SOCFEED_EV_OBJECT:
        putchar('{');
        for (uint32_t i = 0; i < v->len; i++) {
            if (i) putchar(',');
            put_json_string(v->as.members[i].key, v->as.members[i].key_len);
            putchar(':');
            put_json(&v->as.members[i].value);
        }
        putchar('}');
        break;
    }
}

typedef struct print_ctx {
    const file_buf *f;
    int xml;
} print_ctx;

static int print_event(void *ctx, const socfeed_event *ev) {
    print_ctx *pc = ctx;
    if (pc->xml) {
        const char *why = NULL;
        char *xml = socfeed_evtx_record_xml(pc->f->data, pc->f->len, ev->origin.offset, 0, &why);
        if (xml) fputs(xml, stdout);
        else printf("<!-- record at %llu: %s -->\n", (unsigned long long)ev->origin.offset, why);
        free(xml);
    } else {
        put_json(&ev->root);
        putchar('\n');
    }
    return 0;
}

static int count_event(void *ctx, const socfeed_event *ev) {
    (void)ev;
    ++*(unsigned long long *)ctx;
    return 0;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int merge(const char *out, unsigned repeat, int nfiles, char **paths) {
    FILE *fp = fopen(out, "wb");
    if (!fp) return 1;
    unsigned char header[4096] = {0};
    fwrite(header, 1, sizeof header, fp); /* rewritten at the end */
    unsigned long chunks = 0;
    for (unsigned r = 0; r < repeat; r++) {
        for (int k = 0; k < nfiles; k++) {
            file_buf f;
            if (load(paths[k], &f) != 0) return 1;
            for (size_t base = 4096; base + 65536 <= f.len && chunks < 65535; base += 65536) {
                if (memcmp(f.data + base, "ElfChnk", 8) != 0) continue;
                fwrite(f.data + base, 1, 65536, fp);
                chunks++;
            }
            free(f.data);
        }
    }
    memcpy(header, "ElfFile", 8);
    uint64_t last = chunks ? chunks - 1 : 0;
    memcpy(header + 16, &last, 8);
    uint32_t v32 = 128;
    memcpy(header + 32, &v32, 4);
    header[36] = 1;
    header[38] = 3;
    header[41] = 0x10;
    uint16_t n16 = (uint16_t)chunks;
    memcpy(header + 42, &n16, 2);
    uint32_t crc = evtx_crc32(0, header, 120);
    memcpy(header + 124, &crc, 4);
    fseek(fp, 0, SEEK_SET);
    fwrite(header, 1, sizeof header, fp);
    fclose(fp);
    printf("merged %lu chunks into %s\n", chunks, out);
    return 0;
}

int main(int argc, char **argv) {
    unsigned threads = 1, repeat = 1;
    if (argc > 4 && !strcmp(argv[1], "--merge")) return merge(argv[2], (unsigned)atoi(argv[3]), argc - 4, argv + 4);
    int mode = 0; /* 0 bench, 1 json, 2 xml, 3 count */
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-t") && i + 1 < argc) threads = (unsigned)atoi(argv[++i]);
        else if (!strcmp(argv[i], "-r") && i + 1 < argc) repeat = (unsigned)atoi(argv[++i]);
        else if (!strcmp(argv[i], "--json")) mode = 1;
        else if (!strcmp(argv[i], "--xml")) mode = 2;
        else if (!strcmp(argv[i], "--count")) mode = 3;
        else {
            fprintf(stderr, "usage: evtx_bench [-t N] [-r N] [--json|--xml|--count] FILE...\n");
            return 2;
        }
    }
    int nfiles = argc - i;
    if (nfiles <= 0) return 2;
    file_buf *files = calloc((size_t)nfiles, sizeof *files);
    size_t total_bytes = 0;
    for (int k = 0; k < nfiles; k++) {
        if (load(argv[i + k], &files[k]) != 0) return 1;
        total_bytes += files[k].len;
    }
    socfeed_read_options opt = {.threads = threads};
    if (mode == 1 || mode == 2 || mode == 3) {
        int rc = 0;
        for (int k = 0; k < nfiles; k++) {
            socfeed_diags diags;
            socfeed_diags_init(&diags);
            print_ctx pc = {&files[k], mode == 2};
            unsigned long long n = 0;
            if (mode == 3)
                socfeed_evtx_read_buffer(files[k].path, files[k].data, files[k].len, &opt,
                                         count_event, &n, &diags, NULL);
            else
                socfeed_evtx_read_buffer(files[k].path, files[k].data, files[k].len, &opt,
                                         print_event, &pc, &diags, NULL);
            for (size_t d = 0; d < diags.count; d++) {
                char line[1024];
                socfeed_diag_format(&diags.items[d], line, sizeof line);
                fprintf(stderr, "%s\n", line);
            }
            if (mode == 3) printf("%llu %zu %s\n", n, diags.errors, files[k].path);
            if (diags.errors) rc = 1;
            socfeed_diags_clear(&diags);
        }
        return rc;
    }
    unsigned long long records = 0, errors = 0;
    double t0 = now();
    for (unsigned r = 0; r < repeat; r++) {
        for (int k = 0; k < nfiles; k++) {
            socfeed_diags diags;
            socfeed_diags_init(&diags);
            socfeed_evtx_read_buffer(files[k].path, files[k].data, files[k].len, &opt, count_event,
                                     &records, &diags, NULL);
            errors += diags.errors;
            socfeed_diags_clear(&diags);
        }
    }
    double secs = now() - t0;
    double mb = (double)total_bytes * repeat / 1e6;
    printf("threads=%u files=%d repeat=%u records=%llu errors=%llu bytes=%zu seconds=%.3f "
           "records/s=%.0f MB/s=%.1f\n",
           threads, nfiles, repeat, records, errors, total_bytes * repeat, secs,
           (double)records / secs, mb / secs);
    for (int k = 0; k < nfiles; k++) free(files[k].data);
    free(files);
    return errors ? 1 : 0;
}
