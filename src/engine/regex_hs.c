/* regex_hs.c — see regex_hs.h. */
#include "engine/regex_hs.h"

#include "util/casefold.h"

hs_database_t *rx_hs_compile(const socfeed_value *v) {
    const char *pattern = v->as.re.pattern;
    /* Hyperscan reads a NUL-terminated pattern: one with a NUL inside would lose its tail */
    if (memchr(pattern, 0, v->as.re.len) || !ascii_only(pattern, v->as.re.len)) return NULL;
    unsigned flags = HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY;
    if (v->as.re.flags & SOCFEED_RE_IGNORECASE) flags |= HS_FLAG_CASELESS;
    if (v->as.re.flags & SOCFEED_RE_MULTILINE) flags |= HS_FLAG_MULTILINE;
    if (v->as.re.flags & SOCFEED_RE_DOTALL) flags |= HS_FLAG_DOTALL;
    hs_database_t *db = NULL;
    hs_compile_error_t *err = NULL;
    if (hs_compile(pattern, flags, HS_MODE_BLOCK, NULL, &db, &err) != HS_SUCCESS) {
        if (err) hs_free_compile_error(err);
        return NULL;
    }
    return db;
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx) {
    (void)id, (void)from, (void)to, (void)flags;
    *(bool *)ctx = true;
    return 1; /* one match answers the question */
}

int rx_hs_match(const hs_database_t *db, hs_scratch_t *scratch, const char *text, size_t len) {
    bool matched = false;
    hs_error_t rc = hs_scan(db, text, (unsigned)len, 0, scratch, on_match, &matched);
    if (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED) return -1;
    return matched;
}
