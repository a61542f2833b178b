/* fuzz_normalize.c — libFuzzer harness: arbitrary bytes as JSON events, each normalized for every
 * target (sentinel-asim, azure-monitor, defender-xdr): the raw view and every data-file expression
 * run over hostile trees (wrong types, huge strings, deep nesting, missing System). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "socfeed/normalize.h"
#include "socfeed/reader.h"

static socfeed_normalizer *nz[3];

static int normalize_all(void *ctx, const socfeed_event *ev) {
    socfeed_rows *rows = ctx;
    socfeed_diags d;
    socfeed_diags_init(&d);
    for (int i = 0; i < 3; i++)
        if (nz[i]) socfeed_normalize(nz[i], &ev->root, 0, rows, &d);
    socfeed_normalize_raw_view(&ev->root, 0, rows);
    socfeed_diags_clear(&d);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!nz[0]) {
        static const char *const targets[] = {"sentinel-asim", "azure-monitor", "defender-xdr"};
        socfeed_diags d;
        socfeed_diags_init(&d);
        for (int i = 0; i < 3; i++) nz[i] = socfeed_normalizer_load(targets[i], &d);
        socfeed_diags_clear(&d);
    }
    socfeed_rows *rows = socfeed_rows_new();
    socfeed_diags diags;
    socfeed_diags_init(&diags);
    socfeed_json_read_buffer("fuzz", data, size, NULL, normalize_all, rows, &diags, NULL);
    socfeed_diags_clear(&diags);
    socfeed_rows_free(rows);
    return 0;
}
