/* fuzz_evtx.c — libFuzzer harness: arbitrary bytes through the EVTX reader (one and two threads). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "socfeed/reader.h"

static int consume(void *ctx, const socfeed_event *ev) {
    (void)ctx;
    char *json = socfeed_event_to_json(&ev->root); /* walk the whole tree */
    free(json);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    socfeed_diags diags;
    socfeed_diags_init(&diags);
    socfeed_read_options opt = {.threads = size % 2 ? 2 : 1};
    socfeed_evtx_read_buffer("fuzz.evtx", data, size, &opt, consume, NULL, &diags, NULL);
    socfeed_diags_clear(&diags);
    return 0;
}
