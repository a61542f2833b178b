/* logsource_phrase.c — names a Sigma logsource in plain English for the enrichment prose.
 * The phrases are data (data/feed/logsource-phrases.tsv) so wording fixes need no code change. */
#include <string.h>
#include <strings.h>

#include "feed/feed_internal.h"
#include "util/embedded.h"
#include "util/xalloc.h"

/* Looks up kind+value in the table; returns a pointer into the embedded file and its length. */
static const char *lookup(const char *kind, const char *value, size_t *len) {
    const socfeed_embedded_file *f = socfeed_embedded_get("feed/logsource-phrases.tsv");
    if (!f || !value) return NULL;
    size_t klen = strlen(kind), vlen = strlen(value);
    const char *p = (const char *)f->data, *end = p + f->len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        if ((size_t)(eol - p) > klen + vlen + 2 && !memcmp(p, kind, klen) && p[klen] == '\t' &&
            !strncasecmp(p + klen + 1, value, vlen) && p[klen + 1 + vlen] == '\t') {
            const char *phrase = p + klen + vlen + 2;
            *len = (size_t)(eol - phrase);
            return phrase;
        }
        p = eol + 1;
    }
    return NULL;
}

static void put_named(strbuf *sb, const char *kind, const char *value) {
    size_t len = 0;
    const char *phrase = lookup(kind, value, &len);
    if (phrase) sb_append(sb, phrase, len);
    else if (!strcmp(kind, "product")) sb_puts(sb, value);
    else sb_printf(sb, "%s %s", value, !strcmp(kind, "service") ? "log entries" : "events"); /* still a noun phrase */
}

char *feed_logsource_phrase(const socfeed_logsource *ls) {
    strbuf sb;
    sb_init(&sb);
    const char *product = ls->product.s, *category = ls->category.s, *service = ls->service.s;
    if (product) {
        put_named(&sb, "product", product);
        sb_putc(&sb, ' ');
    }
    if (category) {
        put_named(&sb, "category", category);
        if (service) {
            sb_puts(&sb, " from the ");
            sb_puts(&sb, service);
            sb_puts(&sb, " log");
        }
    } else if (service) {
        put_named(&sb, "service", service);
    } else {
        sb_puts(&sb, "events");
    }
    return sb_detach(&sb);
}
