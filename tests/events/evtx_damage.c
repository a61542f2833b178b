/* evtx_damage.c — damaged EVTX files, made at run time from one real sample, each read without a
 * crash, with diagnostics, and with exactly the intact records delivered.
 *
 * The sample (samples/evtx-attack-samples/Credential Access/discovery_sysmon_1_iis_pwd_and_config_
 * discovery_appcmd.evtx) has 5 chunks holding 9, 9, 9, 9 and 4 records (40); its records sit at
 * fixed offsets, listed in `chunk_records`, which the expectations below are derived from. A final
 * test flips random bytes (fixed seed) hundreds of times: never a crash, never more than 40
 * records, and a lost record always comes with an error. */
#include "events/evtx_test.h"

#define SAMPLE "samples/evtx-attack-samples/Credential Access/discovery_sysmon_1_iis_pwd_and_config_discovery_appcmd.evtx"

enum { CHUNK0 = 4096, CHUNK = 65536, SAMPLE_RECORDS = 40 };

/* Record offsets inside chunks 0..2 (from the sample; checked by evtx_damage_sample_layout). */
static const uint32_t chunk_records[3][9] = {
    {512, 9864, 16608, 23344, 30192, 37040, 43808, 50576, 57408},
    {512, 9616, 16384, 23184, 29984, 36752, 43520, 50440, 57360},
    {512, 9616, 16392, 23168, 29904, 36720, 43536, 50272, 57008},
};

static bool load_sample(evtx_test_file *f) {
    if (!harness_have_shared()) {
        printf("  skip: ../shared not found\n");
        return false;
    }
    if (!evtx_test_load(harness_shared(SAMPLE), f) || f->len != CHUNK0 + 17 * (size_t)CHUNK) {
        harness_fail(__FILE__, __LINE__, "cannot read the damage sample %s", SAMPLE);
        free(f->data);
        return false;
    }
    return true;
}

static void fix_file_header_crc(unsigned char *d) {
    uint32_t crc = evtx_crc32(0, d, 120);
    memcpy(d + 124, &crc, 4);
}

typedef struct outcome {
    uint64_t events;
    int rc;
    socfeed_diags diags;
} outcome;

static outcome read_damaged(const unsigned char *d, size_t len, unsigned threads) {
    outcome o;
    socfeed_diags_init(&o.diags);
    o.events = evtx_test_read_count("damaged.evtx", d, len, threads, &o.diags, &o.rc);
    /* The same input read with another thread count gives the same result. */
    socfeed_diags other;
    socfeed_diags_init(&other);
    int rc2;
    uint64_t n2 = evtx_test_read_count("damaged.evtx", d, len, threads == 1 ? 2 : 1, &other, &rc2);
    if (n2 != o.events || rc2 != o.rc || other.count != o.diags.count)
        harness_fail(__FILE__, __LINE__, "thread counts disagree: %llu/%llu events, %zu/%zu diags",
                     (unsigned long long)o.events, (unsigned long long)n2, o.diags.count, other.count);
    socfeed_diags_clear(&other);
    return o;
}

static unsigned count_code(const socfeed_diags *d, const char *code) {
    unsigned n = 0;
    for (size_t i = 0; i < d->count; i++) n += !strcmp(d->items[i].code, code);
    return n;
}

static void show_diags(const outcome *o) {
    for (size_t i = 0; i < o->diags.count; i++) {
        char line[512];
        socfeed_diag_format(&o->diags.items[i], line, sizeof line);
        fprintf(stderr, "    %s\n", line);
    }
}

#define EXPECT(o, n_events, rc_expected, n_errors)                                          \
    do {                                                                                    \
        CHECK_EQ_INT((o).events, (n_events));                                               \
        CHECK_EQ_INT((o).rc, (rc_expected));                                                \
        CHECK_EQ_INT((o).diags.errors, (n_errors));                                         \
        if ((o).events != (uint64_t)(n_events) || (o).diags.errors != (size_t)(n_errors))  \
            show_diags(&(o));                                                               \
    } while (0)

TEST(evtx_damage_sample_layout) {
    evtx_test_file f;
    if (!load_sample(&f)) return;
    for (int c = 0; c < 3; c++)
        for (int r = 0; r < 9; r++)
            CHECK(!memcmp(f.data + CHUNK0 + c * CHUNK + chunk_records[c][r], "**\0\0", 4));
    outcome o = read_damaged(f.data, f.len, 1);
    EXPECT(o, SAMPLE_RECORDS, 0, 0);
    CHECK_EQ_INT(o.diags.count, 0);
    socfeed_diags_clear(&o.diags);
    free(f.data);
}

TEST(evtx_damage_empty_and_random) {
    outcome o = read_damaged((const unsigned char *)"", 0, 1);
    EXPECT(o, 0, -1, 1);
    CHECK(evtx_test_has_code(&o.diags, "evtx-truncated"));
    socfeed_diags_clear(&o.diags);

    size_t len = 300000;
    unsigned char *rnd = malloc(len);
    uint64_t s = 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < len; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        rnd[i] = (unsigned char)(s >> 56);
    }
    o = read_damaged(rnd, len, 1);
    EXPECT(o, 0, -1, 1);
    CHECK(evtx_test_has_code(&o.diags, "evtx-signature"));
    socfeed_diags_clear(&o.diags);
    /* Random bytes behind a valid-looking file signature and chunk signature. */
    memcpy(rnd, "ElfFile", 8);
    memcpy(rnd + CHUNK0, "ElfChnk", 8);
    o = read_damaged(rnd, len, 2);
    CHECK_EQ_INT(o.events, 0);
    CHECK(o.diags.errors > 0);
    socfeed_diags_clear(&o.diags);
    free(rnd);
}

TEST(evtx_damage_truncated) {
    evtx_test_file f;
    if (!load_sample(&f)) return;
    /* Inside the file header: nothing to read. */
    outcome o = read_damaged(f.data, 2000, 1);
    EXPECT(o, 0, -1, 1);
    CHECK(evtx_test_has_code(&o.diags, "evtx-truncated"));
    socfeed_diags_clear(&o.diags);
    /* 30000 bytes into chunk 2: chunks 0-1 (18) and the 4 records of chunk 2 that end before. */
    o = read_damaged(f.data, CHUNK0 + 2 * CHUNK + 30000, 1);
    EXPECT(o, 18 + 4, -1, 2);
    CHECK_EQ_INT(count_code(&o.diags, "evtx-truncated"), 1);
    CHECK_EQ_INT(count_code(&o.diags, "evtx-record"), 1); /* the record cut in two */
    socfeed_diags_clear(&o.diags);
    /* Inside chunk 3's header. */
    o = read_damaged(f.data, CHUNK0 + 3 * CHUNK + 100, 2);
    EXPECT(o, 27, -1, 1);
    CHECK(evtx_test_has_code(&o.diags, "evtx-truncated"));
    socfeed_diags_clear(&o.diags);
    free(f.data);
}

TEST(evtx_damage_bit_flips) {
    evtx_test_file f;
    if (!load_sample(&f)) return;
    unsigned char *d = f.data;
    /* A flipped bit in a record's written-time field: the chunk's records checksum fails, but
     * every record still decodes. */
    d[CHUNK0 + CHUNK + chunk_records[1][1] + 16] ^= 0x10;
    outcome o = read_damaged(d, f.len, 1);
    EXPECT(o, SAMPLE_RECORDS, -1, 1);
    CHECK(evtx_test_has_code(&o.diags, "evtx-records-crc"));
    CHECK_EQ_INT(o.diags.items[0].offset, CHUNK0 + CHUNK);
    socfeed_diags_clear(&o.diags);
    d[CHUNK0 + CHUNK + chunk_records[1][1] + 16] ^= 0x10;

    /* A flipped bit in the signature of chunk 1's third record: that record is lost, the walk
     * resynchronises on the fourth. */
    d[CHUNK0 + CHUNK + chunk_records[1][2]] ^= 0x01;
    o = read_damaged(d, f.len, 2);
    EXPECT(o, SAMPLE_RECORDS - 1, -1, 2);
    CHECK_EQ_INT(count_code(&o.diags, "evtx-record"), 1);
    CHECK_EQ_INT(count_code(&o.diags, "evtx-records-crc"), 1);
    for (size_t i = 0; i < o.diags.count; i++)
        if (!strcmp(o.diags.items[i].code, "evtx-record"))
            CHECK_EQ_INT(o.diags.items[i].offset, CHUNK0 + CHUNK + chunk_records[1][2]);
    socfeed_diags_clear(&o.diags);
    d[CHUNK0 + CHUNK + chunk_records[1][2]] ^= 0x01;

    /* A broken token in the template defined inline by chunk 0's first record: every record of
     * chunk 0 uses that template, so all 9 are reported; the other chunks are untouched. */
    uint32_t body = CHUNK0 + 512 + 24 + 4 + 10 + 24; /* record header, fragment header, instance
                                                     * header, template definition header */
    CHECK_EQ_INT(d[body], 0x0f);
    CHECK_EQ_INT(d[body + 4] & 0xbf, 0x01);
    d[body + 4] = 0x1f;
    o = read_damaged(d, f.len, 1);
    EXPECT(o, SAMPLE_RECORDS - 9, -1, 10);
    CHECK_EQ_INT(count_code(&o.diags, "evtx-binxml"), 9);
    CHECK_EQ_INT(count_code(&o.diags, "evtx-records-crc"), 1);
    socfeed_diags_clear(&o.diags);
    free(f.data);
}

TEST(evtx_damage_checksums_and_lengths) {
    evtx_test_file f;
    if (!load_sample(&f)) return;
    unsigned char *d = f.data;
    /* Wrong chunk header checksum: reported, the records are intact and read. */
    d[CHUNK0 + 3 * CHUNK + 124] ^= 0xff;
    outcome o = read_damaged(d, f.len, 1);
    EXPECT(o, SAMPLE_RECORDS, -1, 1);
    CHECK(evtx_test_has_code(&o.diags, "evtx-chunk-crc"));
    CHECK_EQ_INT(o.diags.items[0].offset, CHUNK0 + 3 * CHUNK);
    socfeed_diags_clear(&o.diags);
    d[CHUNK0 + 3 * CHUNK + 124] ^= 0xff;

    /* Record length past the chunk (last record of chunk 0): that record is lost. */
    uint32_t at = CHUNK0 + chunk_records[0][8] + 4, saved;
    memcpy(&saved, d + at, 4);
    uint32_t huge = 0x10000;
    memcpy(d + at, &huge, 4);
    o = read_damaged(d, f.len, 2);
    EXPECT(o, SAMPLE_RECORDS - 1, -1, 2);
    CHECK_EQ_INT(count_code(&o.diags, "evtx-record"), 1);
    socfeed_diags_clear(&o.diags);
    /* Record length past the chunk on the first record of chunk 2: the walk resyncs. */
    memcpy(d + at, &saved, 4);
    at = CHUNK0 + 2 * CHUNK + chunk_records[2][0] + 4;
    memcpy(&saved, d + at, 4);
    huge = 0xfffffff0u;
    memcpy(d + at, &huge, 4);
    o = read_damaged(d, f.len, 1);
    EXPECT(o, SAMPLE_RECORDS - 1, -1, 2);
    socfeed_diags_clear(&o.diags);
    memcpy(d + at, &saved, 4);

    /* Wiped chunk signature (chunk 4): reported, its records are still found by framing. */
    memset(d + CHUNK0 + 4 * CHUNK, 'X', 8);
    o = read_damaged(d, f.len, 1);
    EXPECT(o, SAMPLE_RECORDS, -1, 1);
    CHECK(evtx_test_has_code(&o.diags, "evtx-chunk-signature"));
    socfeed_diags_clear(&o.diags);
    memcpy(d + CHUNK0 + 4 * CHUNK, "ElfChnk", 8);

    /* Bad file header checksum: reported; the chunks are read all the same. */
    d[100] ^= 1;
    o = read_damaged(d, f.len, 1);
    EXPECT(o, SAMPLE_RECORDS, -1, 1);
    CHECK(evtx_test_has_code(&o.diags, "evtx-header-crc"));
    socfeed_diags_clear(&o.diags);
    d[100] ^= 1;
    free(f.data);
}

TEST(evtx_damage_chunk_count_lies) {
    evtx_test_file f;
    if (!load_sample(&f)) return;
    unsigned char *d = f.data;
    /* The "dirty file" case: the header (checksum fixed up) says 2 chunks; all 5 are read and the
     * undercount is reported as a warning, so the read itself succeeds. */
    d[42] = 2;
    d[43] = 0;
    d[120] |= 1; /* dirty flag */
    fix_file_header_crc(d);
    outcome o = read_damaged(d, f.len, 1);
    EXPECT(o, SAMPLE_RECORDS, 0, 0);
    CHECK_EQ_INT(o.diags.warnings, 1);
    CHECK(evtx_test_has_code(&o.diags, "evtx-chunk-count"));
    socfeed_diags_clear(&o.diags);
    /* Same lie without fixing the checksum: an error for the header, still every record. */
    d[42] = 1;
    o = read_damaged(d, f.len, 2);
    EXPECT(o, SAMPLE_RECORDS, -1, 1);
    CHECK(evtx_test_has_code(&o.diags, "evtx-header-crc"));
    socfeed_diags_clear(&o.diags);
    free(f.data);
}

TEST(evtx_damage_random_mutations) {
    evtx_test_file f;
    if (!load_sample(&f)) return;
    /* Only the used part of the file (header + 5 chunks), so most flips hit real structure. */
    size_t len = CHUNK0 + 5 * (size_t)CHUNK;
    unsigned char *d = malloc(len);
    uint64_t s = 12345;
    unsigned lost_without_error = 0, iterations = 400;
    for (unsigned it = 0; it < iterations; it++) {
        memcpy(d, f.data, len);
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        unsigned flips = 1 + (unsigned)(s >> 61);
        for (unsigned k = 0; k < flips; k++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            /* Aim at chunk headers and the first records' BinXML half of the time. */
            size_t pos = (s >> 40) & 1 ? (size_t)((s >> 8) % len)
                                       : CHUNK0 + ((s >> 20) % 5) * CHUNK + (size_t)((s >> 8) % 12000);
            d[pos] ^= (unsigned char)(1u << ((s >> 3) & 7));
        }
        socfeed_diags diags;
        socfeed_diags_init(&diags);
        int rc;
        uint64_t n = evtx_test_read_count("mutated.evtx", d, len, 1 + it % 2, &diags, &rc);
        CHECK(n <= SAMPLE_RECORDS);
        if (n < SAMPLE_RECORDS && diags.errors == 0) lost_without_error++;
        CHECK_EQ_INT(rc, diags.errors ? -1 : 0);
        socfeed_diags_clear(&diags);
    }
    CHECK_EQ_INT(lost_without_error, 0);
    free(d);
    free(f.data);
}
