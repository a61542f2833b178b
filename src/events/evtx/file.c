/* file.c — EVTX containers: the file header, chunk headers with their two checksums, and the
 * framing of event records inside a chunk (signature, size, trailing copy of the size).
 *
 * Everything here only looks at bytes it has bounds-checked; nothing decodes BinXML (binxml.c)
 * or decides what to report (reader.c turns these results into diagnostics). */
#include "events/evtx/evtx_internal.h"

static const uint8_t file_magic[8] = {'E', 'l', 'f', 'F', 'i', 'l', 'e', 0};
static const uint8_t chunk_magic[8] = {'E', 'l', 'f', 'C', 'h', 'n', 'k', 0};

bool evtx_parse_file_header(const uint8_t *data, size_t len, evtx_file_header *h) {
    memset(h, 0, sizeof *h);
    if (len < 128) return false;
    h->signature_ok = memcmp(data, file_magic, 8) == 0;
    h->first_chunk = evtx_u64(data + 8);
    h->last_chunk = evtx_u64(data + 16);
    h->next_record_id = evtx_u64(data + 24);
    h->minor_version = evtx_u16(data + 36);
    h->major_version = evtx_u16(data + 38);
    h->chunk_count = evtx_u16(data + 42);
    h->flags = evtx_u32(data + 120);
    h->crc_stored = evtx_u32(data + 124);
    h->crc_computed = evtx_crc32(0, data, 120);
    h->crc_ok = h->crc_stored == h->crc_computed;
    return true;
}

void evtx_parse_chunk_header(const uint8_t *chunk, size_t len, evtx_chunk_header *h) {
    memset(h, 0, sizeof *h);
    if (len > EVTX_CHUNK_SIZE) len = EVTX_CHUNK_SIZE;
    if (len < EVTX_CHUNK_HEADER_SIZE) return;
    h->signature_ok = memcmp(chunk, chunk_magic, 8) == 0;
    h->first_record_number = evtx_u64(chunk + 8);
    h->last_record_number = evtx_u64(chunk + 16);
    h->first_record_id = evtx_u64(chunk + 24);
    h->last_record_id = evtx_u64(chunk + 32);
    h->last_record_off = evtx_u32(chunk + 44);
    h->free_space_off = evtx_u32(chunk + 48);
    h->records_crc_stored = evtx_u32(chunk + 52);
    h->header_crc_stored = evtx_u32(chunk + 124);
    uint32_t crc = evtx_crc32(0, chunk, 120);
    h->header_crc_computed = evtx_crc32(crc, chunk + 128, EVTX_CHUNK_HEADER_SIZE - 128);
    h->header_crc_ok = h->header_crc_stored == h->header_crc_computed;

    /* The free-space offset bounds the record walk when it is plausible; otherwise (damaged
     * header, truncated file) walk to the end of the available bytes and let framing decide. */
    if (h->free_space_off >= EVTX_CHUNK_HEADER_SIZE && h->free_space_off <= len) {
        h->records_end = h->free_space_off;
        h->records_crc_computed =
            evtx_crc32(0, chunk + EVTX_CHUNK_HEADER_SIZE, h->records_end - EVTX_CHUNK_HEADER_SIZE);
        h->records_crc_checked = true;
        h->records_crc_ok = h->records_crc_computed == h->records_crc_stored;
    } else {
        h->records_end = (uint32_t)len;
    }
}

bool evtx_all_zero(const uint8_t *p, size_t len) {
    /* Word-at-a-time: unused chunks are 64 KiB of zeros and are checked whole. */
    while (len && ((uintptr_t)p & 7)) {
        if (*p++) return false;
        len--;
    }
    for (; len >= 8; p += 8, len -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        if (w) return false;
    }
    while (len--)
        if (*p++) return false;
    return true;
}

uint32_t evtx_record_at(const uint8_t *chunk, uint32_t off, uint32_t end, const char **why) {
    if (off > end || end - off < EVTX_RECORD_MIN_SIZE) {
        *why = "record header runs past the end of the records";
        return 0;
    }
    const uint8_t *p = chunk + off;
    if (p[0] != 0x2a || p[1] != 0x2a || p[2] != 0 || p[3] != 0) {
        *why = "bad record signature";
        return 0;
    }
    uint32_t size = evtx_u32(p + 4);
    if (size < EVTX_RECORD_MIN_SIZE) {
        *why = "record size too small";
        return 0;
    }
    if (size > end - off) {
        *why = "record size runs past the end of the chunk's records";
        return 0;
    }
    if (evtx_u32(p + size - 4) != size) {
        *why = "record size and its trailing copy differ";
        return 0;
    }
    return size;
}

uint32_t evtx_scan_record(const uint8_t *chunk, uint32_t off, uint32_t end) {
    const char *why;
    for (uint32_t o = off + 1; o < end && end - o >= EVTX_RECORD_MIN_SIZE; o++) {
        const uint8_t *hit = memchr(chunk + o, 0x2a, end - o - (EVTX_RECORD_MIN_SIZE - 1));
        if (!hit) return 0;
        o = (uint32_t)(hit - chunk);
        if (evtx_record_at(chunk, o, end, &why)) return o;
    }
    return 0;
}
