/* cmd_dump.c — `socfeed dump`: prints every event of EVTX, JSON and JSON Lines inputs as one
 * compact JSON line (the event tree the engine sees), or EVTX records as XML.
 *
 * Inputs: files, directories (walked recursively in byte order of names; files ending .evtx,
 * .json, .jsonl or .ndjson, any case; names starting with '.' are skipped, which also skips macOS
 * "._*" AppleDouble files), and "-" for standard input. A file named explicitly is read whatever
 * its name. Diagnostics go to stderr after each file as "file:line:col: error: message [code]",
 * then one summary line. Exit status: 0 when every input read cleanly, 2 when any input had an
 * error (the intact events are still printed) or the command line was wrong.
 * Not for: parsing (the readers in src/events/) or matching. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "events/json/json_write.h"
#include "events/stream.h"
#include "socfeed/evtx.h"
#include "socfeed/reader.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

typedef enum { DUMP_JSONL, DUMP_XML } dump_format;

typedef struct dump_ctx {
    dump_format format;
    socfeed_read_options opt;
    socfeed_read_stats stats;
    uint64_t files, errors, warnings;
    strbuf line;
    /* --format xml: the EVTX image the events come from, to render records from their offsets. */
    const void *image;
    size_t image_len;
    socfeed_diags *diags;
    socfeed_file_buffer file_buffer; /* every input file is read into it (see reader.h) */
} dump_ctx;

static void usage(FILE *out) {
    fprintf(out,
            "usage: socfeed dump [--format jsonl|xml] [-j N] FILE|DIR|- ...\n"
            "\n"
            "Prints every event as the engine sees it: one compact JSON line per event (EVTX in\n"
            "evtx_dump's JSON shape, JSON inputs as they are), or, with --format xml, each EVTX\n"
            "record as XML.\n"
            "\n"
            "  FILE   an EVTX, JSON (one object, an array of objects, objects back to back) or\n"
            "         JSON Lines file; the format is told from the content\n"
            "  DIR    every *.evtx, *.json, *.jsonl, *.ndjson below DIR (sorted; names starting\n"
            "         with '.' are skipped)\n"
            "  -      standard input\n"
            "\n"
            "options:\n"
            "  --format jsonl|xml  output form (default jsonl); xml needs EVTX inputs\n"
            "  -j N                threads decoding and writing the chunks of an EVTX file;\n"
            "                      default: all cores (output stays in file order)\n"
            "  -h, --help          this help\n"
            "\n"
            "Diagnostics go to stderr as file:line:col: error: message [code], then a summary line.\n"
            "Exit status: 0 when all inputs read cleanly, 2 when any had an error.\n");
}

/* The render hook: EVTX events are written as JSON on the threads that decode them (with -j, the
 * JSON writing was the calling thread's bottleneck), then printed in file order. */
static void render_jsonl(void *unused, const socfeed_event *ev, char **buf, size_t *len, size_t *cap) {
    (void)unused;
    strbuf sb = {*buf, *len, *cap};
    socfeed_json_write_value(&sb, &ev->root);
    sb_putc(&sb, '\n');
    *buf = sb.data;
    *len = sb.len;
    *cap = sb.cap;
}

static int print_jsonl(void *vctx, const socfeed_event *ev) {
    dump_ctx *ctx = vctx;
    if (ev->rendered) {
        fwrite(ev->rendered, 1, ev->rendered_len, stdout);
        return 0;
    }
    sb_reset(&ctx->line);
    render_jsonl(NULL, ev, &ctx->line.data, &ctx->line.len, &ctx->line.cap);
    fwrite(ctx->line.data, 1, ctx->line.len, stdout);
    return 0;
}

static int print_xml(void *vctx, const socfeed_event *ev) {
    dump_ctx *ctx = vctx;
    const char *why = NULL;
    char *xml = socfeed_evtx_record_xml(ctx->image, ctx->image_len, ev->origin.offset,
                                        ctx->opt.max_depth, &why);
    if (!xml) {
        socfeed_diag_add_at_offset(ctx->diags, SOCFEED_ERROR, ev->origin.file, ev->origin.offset,
                                   "evtx-xml", "cannot render the record as XML: %s",
                                   why ? why : "unknown reason");
        return 0;
    }
    fputs(xml, stdout);
    free(xml);
    return 0;
}

static void flush_diags(dump_ctx *ctx, socfeed_diags *diags) {
    fflush(stdout); /* keep stderr roughly in step with the events printed before it */
    socfeed_diags_sort(diags);
    char buf[4096];
    for (size_t i = 0; i < diags->count; i++) {
        socfeed_diag_format(&diags->items[i], buf, sizeof buf);
        fprintf(stderr, "%s\n", buf);
    }
    ctx->errors += diags->errors;
    ctx->warnings += diags->warnings;
    socfeed_diags_clear(diags);
}

static void dump_xml_input(dump_ctx *ctx, const char *name, const char *path, socfeed_diags *diags) {
    socfeed_file_image img;
    if (socfeed_file_image_load(path, &ctx->file_buffer, &img, diags) != 0) return;
    if (img.len && socfeed_sniff_format(img.data, img.len) != SOCFEED_INPUT_EVTX) {
        socfeed_diag_add(diags, SOCFEED_ERROR, name, (socfeed_pos){0, 0}, "dump-format",
                         "--format xml needs an EVTX file; use --format jsonl for JSON inputs");
    } else if (img.len) {
        ctx->image = img.data;
        ctx->image_len = img.len;
        socfeed_evtx_read_buffer(name, img.data, img.len, &ctx->opt, print_xml, ctx, diags,
                                 &ctx->stats);
        ctx->image = NULL;
        ctx->image_len = 0;
    }
    socfeed_file_image_release(&img);
}

static void dump_input(dump_ctx *ctx, const char *path) {
    socfeed_diags diags;
    socfeed_diags_init(&diags);
    ctx->diags = &diags;
    bool is_stdin = !strcmp(path, "-");
    const char *name = is_stdin ? "<stdin>" : path;
    if (ctx->format == DUMP_XML)
        dump_xml_input(ctx, name, is_stdin ? "/dev/stdin" : path, &diags);
    else if (is_stdin)
        socfeed_read_fd(name, STDIN_FILENO, &ctx->opt, print_jsonl, ctx, &diags, &ctx->stats);
    else
        socfeed_read_file(path, &ctx->opt, print_jsonl, ctx, &diags, &ctx->stats);
    ctx->files++;
    flush_diags(ctx, &diags);
}

int cmd_dump(int argc, char **argv) {
    dump_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    sb_init(&ctx.line);
    char **inputs = xcalloc((size_t)argc + 1, sizeof *inputs);
    size_t ninputs = 0;
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options_done || a[0] != '-' || !strcmp(a, "-")) {
            inputs[ninputs++] = argv[i];
        } else if (!strcmp(a, "--")) {
            options_done = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            free(inputs);
            sb_free(&ctx.line);
            return 0;
        } else if (!strcmp(a, "--format") || !strncmp(a, "--format=", 9)) {
            const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
            if (v && !strcmp(v, "jsonl")) ctx.format = DUMP_JSONL;
            else if (v && !strcmp(v, "xml")) ctx.format = DUMP_XML;
            else {
                fprintf(stderr, "socfeed dump: --format takes jsonl or xml\n");
                goto bad_usage;
            }
        } else if (!strncmp(a, "-j", 2)) {
            unsigned threads = 1;
            if (cli_jobs_option(argc, argv, &i, &threads) < 0) goto bad_usage;
            ctx.opt.threads = threads;
        } else {
            fprintf(stderr, "socfeed dump: unknown option '%s'\n", a);
            goto bad_usage;
        }
    }
    if (!ninputs) {
        fprintf(stderr, "socfeed dump: no input given\n");
        goto bad_usage;
    }
    if (!ctx.opt.threads) ctx.opt.threads = cli_default_threads();
    if (ctx.format == DUMP_JSONL) ctx.opt.render = render_jsonl;
    ctx.opt.file_buffer = &ctx.file_buffer;
    static char outbuf[1 << 20];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    socfeed_diags walk_diags;
    socfeed_diags_init(&walk_diags);
    size_t nfiles;
    char **files = socfeed_input_list((const char *const *)inputs, ninputs, &walk_diags, &nfiles);
    flush_diags(&ctx, &walk_diags);
    for (size_t i = 0; i < nfiles; i++) dump_input(&ctx, files[i]);
    socfeed_input_list_free(files);
    fflush(stdout);
    uint64_t errors = ctx.errors;
    fprintf(stderr, "socfeed dump: %llu file%s, %llu event%s, %llu error%s, %llu warning%s\n",
            (unsigned long long)ctx.files, ctx.files == 1 ? "" : "s",
            (unsigned long long)ctx.stats.events, ctx.stats.events == 1 ? "" : "s",
            (unsigned long long)errors, errors == 1 ? "" : "s",
            (unsigned long long)ctx.warnings, ctx.warnings == 1 ? "" : "s");
    free(inputs);
    sb_free(&ctx.line);
    socfeed_file_buffer_free(&ctx.file_buffer);
    return errors ? 2 : 0;

bad_usage:
    usage(stderr);
    free(inputs);
    sb_free(&ctx.line);
    return 2;
}
