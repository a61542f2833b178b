/* reader.c — the generic reader entry points of socfeed/reader.h (format sniffing, files, buffers)
 * and the descriptor/file-image helpers of events/stream.h. Each format's decoding lives in its
 * own directory (evtx/, json/); this file only chooses and plumbs.
 * Not for: parsing anything. */
#include "socfeed/reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "events/evtx/evtx_internal.h"
#include "events/stream.h"
#include "util/xalloc.h"

static const char EVTX_MAGIC[8] = {'E', 'l', 'f', 'F', 'i', 'l', 'e', '\0'};

socfeed_input_format socfeed_sniff_format(const void *data, size_t len) {
    const unsigned char *p = data, *end = p + len;
    if (len >= sizeof EVTX_MAGIC && memcmp(p, EVTX_MAGIC, sizeof EVTX_MAGIC) == 0)
        return SOCFEED_INPUT_EVTX;
    if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) p += 3; /* UTF-8 BOM */
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
    if (p < end && (*p == '{' || *p == '[')) return SOCFEED_INPUT_JSON;
    return SOCFEED_INPUT_UNKNOWN;
}

/* True when the start of the input is blank (or empty): such an input has no events, and is not
 * an error whatever its name says. */
static bool all_blank(const unsigned char *p, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n') return false;
    return true;
}

/* Text that is not JSON still goes to the JSON reader (it reports the exact position and
 * recovers at the next line starting with '{', so a JSON Lines file whose first line is damaged
 * is still read). Binary data does not: a NUL byte early on means it is no text format at all. */
static bool looks_binary(const unsigned char *p, size_t len) {
    return memchr(p, 0, len < 4096 ? len : 4096) != NULL;
}

int socfeed_read_buffer(const char *name, const void *data, size_t len,
                        const socfeed_read_options *opt, socfeed_event_fn fn, void *ctx,
                        socfeed_diags *diags, socfeed_read_stats *stats) {
    socfeed_input_format fmt = socfeed_sniff_format(data, len);
    if (fmt == SOCFEED_INPUT_EVTX)
        return socfeed_evtx_read_buffer(name, data, len, opt, fn, ctx, diags, stats);
    if (fmt == SOCFEED_INPUT_UNKNOWN && len && !all_blank(data, len) && looks_binary(data, len)) {
        socfeed_diag_add(diags, SOCFEED_ERROR, name, (socfeed_pos){0, 0}, "input-format",
                         "not an EVTX or JSON file (binary data that does not start with \"ElfFile\")");
        if (stats) {
            stats->bytes += len;
            stats->errors++;
        }
        return -1;
    }
    return socfeed_json_read_buffer(name, data, len, opt, fn, ctx, diags, stats);
}

static int io_error(socfeed_diags *diags, const char *path, const char *what, int err) {
    socfeed_diag_add(diags, SOCFEED_ERROR, path, (socfeed_pos){0, 0}, "io-error", "%s: %s", what,
                     strerror(err));
    return -1;
}

/* Reads fd to its end into a malloc'ed buffer (for inputs that cannot be mapped). */
static int slurp(int fd, const void *prefix, size_t prefix_len, char **out, size_t *out_len) {
    size_t cap = prefix_len > 65536 ? prefix_len * 2 : 65536, len = prefix_len;
    char *buf = xmalloc(cap);
    if (prefix_len) memcpy(buf, prefix, prefix_len);
    for (;;) {
        if (len == cap) buf = xrealloc(buf, cap *= 2);
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int err = errno;
            free(buf);
            errno = err;
            return -1;
        }
        if (n == 0) break;
        len += (size_t)n;
    }
    *out = buf;
    *out_len = len;
    return 0;
}

void socfeed_file_buffer_free(socfeed_file_buffer *buf) {
    if (!buf) return;
    free(buf->data);
    evtx_decoder_free(buf->evtx);
    memset(buf, 0, sizeof *buf);
}

/* Reads the `size` bytes of a regular file into buf (a file that shrank meanwhile gives fewer). */
static int read_into(int fd, size_t size, socfeed_file_buffer *buf, size_t *len) {
    if (buf->cap < size) {
        free(buf->data); /* nothing to keep: realloc would copy the old contents */
        buf->data = xmalloc(size);
        buf->cap = size;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buf->data + got, size - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        if (n == 0) break;
        got += (size_t)n;
    }
    *len = got;
    return 0;
}

int socfeed_file_image_load(const char *path, socfeed_file_buffer *buf, socfeed_file_image *img,
                            socfeed_diags *diags) {
    memset(img, 0, sizeof *img);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return io_error(diags, path, "cannot open", errno);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        return io_error(diags, path, "cannot stat", err);
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return io_error(diags, path, "cannot read", EISDIR);
    }
    int rc = 0;
    if (S_ISREG(st.st_mode) && st.st_size > 0 && buf && (uint64_t)st.st_size <= SOCFEED_FILE_BUFFER_MAX) {
        size_t len;
        if (read_into(fd, (size_t)st.st_size, buf, &len) != 0) {
            rc = io_error(diags, path, "cannot read", errno);
        } else if (len) {
            img->data = buf->data;
            img->len = len;
            img->kind = IMAGE_BORROWED;
        }
    } else if (S_ISREG(st.st_mode)) {
        if (st.st_size > 0) {
            void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
            if (m == MAP_FAILED) rc = io_error(diags, path, "cannot map", errno);
            else {
                madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
                img->data = m;
                img->len = (size_t)st.st_size;
                img->kind = IMAGE_MAPPED;
            }
        }
    } else {
        char *data;
        size_t len;
        if (slurp(fd, NULL, 0, &data, &len) != 0) rc = io_error(diags, path, "cannot read", errno);
        else {
            img->data = data;
            img->len = len;
            img->kind = IMAGE_OWNED;
        }
    }
    close(fd);
    return rc;
}

void socfeed_file_image_release(socfeed_file_image *img) {
    if (img->data) {
        if (img->kind == IMAGE_MAPPED) munmap((void *)img->data, img->len);
        else if (img->kind == IMAGE_OWNED) free((void *)img->data);
    }
    memset(img, 0, sizeof *img);
}

int socfeed_read_file(const char *path, const socfeed_read_options *opt, socfeed_event_fn fn,
                      void *ctx, socfeed_diags *diags, socfeed_read_stats *stats) {
    socfeed_file_image img;
    if (socfeed_file_image_load(path, opt ? opt->file_buffer : NULL, &img, diags) != 0) {
        if (stats) stats->errors++;
        return -1;
    }
    int rc = img.len ? socfeed_read_buffer(path, img.data, img.len, opt, fn, ctx, diags, stats) : 0;
    socfeed_file_image_release(&img);
    return rc;
}

int socfeed_read_fd(const char *name, int fd, const socfeed_read_options *opt, socfeed_event_fn fn,
                    void *ctx, socfeed_diags *diags, socfeed_read_stats *stats) {
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && lseek(fd, 0, SEEK_CUR) == 0 && st.st_size > 0) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            int rc = socfeed_read_buffer(name, m, (size_t)st.st_size, opt, fn, ctx, diags, stats);
            munmap(m, (size_t)st.st_size);
            return rc;
        }
    }
    /* Read until the format can be told: the EVTX magic, or the first non-blank byte. */
    char head[4096];
    size_t have = 0;
    for (;;) {
        ssize_t n = read(fd, head + have, sizeof head - have);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            if (stats) stats->errors++;
            return io_error(diags, name, "cannot read", errno);
        }
        if (n == 0) break;
        have += (size_t)n;
        if (have >= sizeof EVTX_MAGIC && !all_blank((const unsigned char *)head, have)) break;
        if (have == sizeof head) break;
    }
    if (socfeed_sniff_format(head, have) != SOCFEED_INPUT_EVTX)
        return socfeed_json_read_fd(name, fd, head, have, opt, fn, ctx, diags, stats);
    /* EVTX is read by chunk offsets: it needs the whole image. */
    char *buf;
    size_t len;
    if (slurp(fd, head, have, &buf, &len) != 0) {
        if (stats) stats->errors++;
        return io_error(diags, name, "cannot read", errno);
    }
    int rc = socfeed_evtx_read_buffer(name, buf, len, opt, fn, ctx, diags, stats);
    free(buf);
    return rc;
}
