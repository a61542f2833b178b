/* export_atom.c — feed.xml (Atom, RFC 4287): the new and modified rules. With --previous, the rules
 * added or changed since that build; without, the newest rules. XML text uses the same escaping as
 * HTML (&amp; &lt; &gt; &quot; &#39;), which is valid XML. */
#include <ctype.h>
#include <string.h>

#include "feed/feed_site.h"
#include "feed/html.h"
#include "socfeed/version.h"

enum { ATOM_MAX_ENTRIES = 500 };

/* Sigma dates are YYYY-MM-DD (or YYYY/MM/DD in old rules); Atom wants RFC 3339. */
static void put_date(strbuf *sb, const char *date, const char *fallback) {
    if (date && strlen(date) == 10 && isdigit((unsigned char)date[0]) && isdigit((unsigned char)date[3]) &&
        (date[4] == '-' || date[4] == '/') && (date[7] == '-' || date[7] == '/') && isdigit((unsigned char)date[5]) &&
        isdigit((unsigned char)date[6]) && isdigit((unsigned char)date[8]) && isdigit((unsigned char)date[9]))
        sb_printf(sb, "%.4s-%.2s-%.2sT00:00:00Z", date, date + 5, date + 8);
    else
        html_escape_cstr(sb, fallback);
}

static bool is_uuid(const char *s) {
    if (!s || strlen(s) != 36) return false;
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i])) return false;
    }
    return true;
}

void render_atom(strbuf *sb, const socfeed_feed *f) {
    const char *base = f->opt.site_url ? f->opt.site_url : "";
    sb_puts(sb, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>");
    html_escape_cstr(sb, f->opt.title);
    sb_puts(sb, "</title>\n<subtitle>");
    sb_puts(sb, f->have_previous ? "Sigma rules added or changed since the previous build"
                                 : "The newest Sigma rules of the feed");
    sb_puts(sb, "</subtitle>\n<id>");
    if (*base) html_escape_cstr(sb, base);
    else {
        sb_puts(sb, "tag:socfeed,2026:");
        html_slug(sb, f->opt.title);
    }
    sb_puts(sb, "</id>\n<updated>");
    html_escape_cstr(sb, f->now);
    sb_puts(sb, "</updated>\n<generator version=\"" SOCFEED_VERSION "\">socfeed</generator>\n<link rel=\"alternate\" href=\"");
    html_escape_cstr(sb, base);
    sb_puts(sb, "index.html\"/>\n<link rel=\"self\" href=\"");
    html_escape_cstr(sb, base);
    sb_puts(sb, "feed.xml\"/>\n<author><name>socfeed</name></author>\n");
    size_t written = 0;
    for (size_t i = 0; i < f->count && written < ATOM_MAX_ENTRIES; i++) {
        const feed_entry *e = &f->entries[i];
        const socfeed_rule *r = e->rule;
        if (f->have_previous) {
            const feed_previous *p = feed_previous_find(f, e->slug);
            if (p && !strcmp(p->hash, e->hash)) continue;
        }
        written++;
        sb_puts(sb, "<entry>\n<title>");
        html_escape_cstr(sb, r->title.s ? r->title.s : e->slug);
        sb_puts(sb, "</title>\n<id>");
        if (is_uuid(r->id.s)) sb_printf(sb, "urn:uuid:%s", r->id.s);
        else sb_printf(sb, "tag:socfeed,2026:rule:%s", e->slug);
        sb_puts(sb, "</id>\n<updated>");
        put_date(sb, e->date, f->now);
        sb_puts(sb, "</updated>\n");
        if (r->date.s) {
            sb_puts(sb, "<published>");
            put_date(sb, r->date.s, f->now);
            sb_puts(sb, "</published>\n");
        }
        sb_puts(sb, "<link rel=\"alternate\" type=\"text/html\" href=\"");
        html_escape_cstr(sb, base);
        sb_printf(sb, "rules/%s.html\"/>\n<author><name>", e->slug);
        html_escape_cstr(sb, r->author.s ? r->author.s : "unknown");
        sb_puts(sb, "</name></author>\n");
        if (*socfeed_level_name(r->level))
            sb_printf(sb, "<category term=\"level:%s\"/>\n", socfeed_level_name(r->level));
        for (size_t k = 0; k < e->enrich->nattack; k++) {
            const socfeed_attack_technique *t = e->enrich->attack[k].resolved.technique;
            if (!t) continue;
            sb_printf(sb, "<category term=\"%s\" label=\"", t->id);
            html_escape_cstr(sb, t->name);
            sb_puts(sb, "\"/>\n");
        }
        sb_puts(sb, "<summary type=\"text\">");
        html_escape_cstr(sb, e->enrich->detection_summary);
        sb_printf(sb, " Level %s; confidence %s; KQL: %s.</summary>\n</entry>\n",
                  *socfeed_level_name(r->level) ? socfeed_level_name(r->level) : "none",
                  socfeed_confidence_name(e->enrich->confidence), feed_entry_verification(e));
    }
    sb_puts(sb, "</feed>\n");
}
