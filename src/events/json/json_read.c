/* json_read.c — the JSON reader's entry points: a buffer in memory (socfeed_json_read_buffer,
 * reader.h) and a file descriptor read in bounded memory (socfeed_json_read_fd, stream.h).
 * Both drive one json_parser; the grammar and the recovery rules live in json_parser.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events/json/json_parser.h"
#include "events/stream.h"
#include "socfeed/reader.h"
#include "util/xalloc.h"

enum { STREAM_CHUNK = 1 << 20 };

static int finish(json_parser *p, uint64_t bytes, socfeed_read_stats *stats) {
    if (stats) {
        stats->bytes += bytes;
        stats->events += p->events;
        stats->errors += p->errors;
    }
    int rc = p->errors ? -1 : 0;
    json_parser_free(p);
    return rc;
}

int socfeed_json_read_buffer(const char *name, const void *data, size_t len,
                             const socfeed_read_options *opt, socfeed_event_fn fn, void *ctx,
                             socfeed_diags *diags, socfeed_read_stats *stats) {
    json_parser p;
    json_parser_init(&p, name, opt, fn, ctx, diags);
    json_parser_feed(&p, data, len, true);
    return finish(&p, len, stats);
}

int socfeed_json_read_fd(const char *name, int fd, const void *prefix, size_t prefix_len,
                         const socfeed_read_options *opt, socfeed_event_fn fn, void *ctx,
                         socfeed_diags *diags, socfeed_read_stats *stats) {
    json_parser p;
    json_parser_init(&p, name, opt, fn, ctx, diags);
    size_t cap = prefix_len > STREAM_CHUNK ? prefix_len : STREAM_CHUNK;
    char *buf = xmalloc(cap);
    size_t len = prefix_len;
    uint64_t total = prefix_len;
    if (prefix_len) memcpy(buf, prefix, prefix_len);
    bool eof = false;
    while (!eof && !p.stopped) {
        /* The parser hands back an incomplete last record; room is made for more behind it.
         * It never hands back more than max_event_bytes (larger records become a skip), so the
         * buffer stays bounded. */
        if (cap - len < STREAM_CHUNK / 4) {
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0) {
            if (errno == EINTR) continue;
            socfeed_diag_add(diags, SOCFEED_ERROR, p.name, (socfeed_pos){0, 0}, "io-error",
                             "read failed after %llu bytes: %s", (unsigned long long)total,
                             strerror(errno));
            p.errors++;
            eof = true;
        } else if (n == 0)
            eof = true;
        if (n > 0) {
            len += (size_t)n;
            total += (uint64_t)n;
        }
        size_t used = json_parser_feed(&p, buf, len, eof);
        memmove(buf, buf + used, len - used);
        len -= used;
    }
    free(buf);
    return finish(&p, total, stats);
}
