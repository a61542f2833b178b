/* fuzz_json_events.c — libFuzzer harness: arbitrary bytes through the JSON / JSON Lines reader. */
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
    socfeed_json_read_buffer("fuzz.json", data, size, NULL, consume, NULL, &diags, NULL);
    socfeed_diags_clear(&diags);
    return 0;
}
