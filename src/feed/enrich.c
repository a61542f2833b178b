/* enrich.c — the hunt hypothesis, false-positive guidance and ATT&CK references of one rule.
 *
 * Everything is derived from the rule (description, logsource, the fields and values it watches,
 * falsepositives, level, status), the per-target results the caller measured, and the ATT&CK
 * table. Same inputs, same text: the page says so and nothing claims to be AI-made. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed/feed_internal.h"
#include "util/xalloc.h"

enum { DESCRIPTION_QUOTE_MAX = 320 };

static void put_lower(strbuf *sb, const char *s) {
    for (; *s; s++) sb_putc(sb, (char)tolower((unsigned char)*s));
}

/* The description's first sentence(s), whitespace collapsed, cut at a word near `max` bytes. */
static void put_description_excerpt(strbuf *sb, const char *d, size_t max) {
    size_t start = sb->len;
    bool space = false;
    for (const char *p = d; *p; p++) {
        if (isspace((unsigned char)*p)) {
            space = sb->len > start;
            continue;
        }
        if (space) sb_putc(sb, ' ');
        space = false;
        sb_putc(sb, *p);
        size_t n = sb->len - start;
        /* a sentence ends at ". " (not "e.g. " style abbreviations of one letter) */
        if (*p == '.' && n > 40 && (p[1] == 0 || isspace((unsigned char)p[1])) &&
            !(n >= 3 && sb->data[sb->len - 3] == '.'))
            break;
        if (n >= max && isspace((unsigned char)p[1])) {
            sb_puts(sb, "…");
            break;
        }
    }
}

/* The full stop after a clause, unless the clause was cut short with "…" (no "…."). */
static const char *sentence_end(const char *clause) {
    size_t n = strlen(clause);
    return n >= 3 && !strcmp(clause + n - 3, "…") ? "" : ".";
}

static void resolve_attack(socfeed_enrichment *e, const socfeed_rule *r, const socfeed_attack *attack) {
    e->attack = xcalloc(r->tags.count ? r->tags.count : 1, sizeof *e->attack);
    for (size_t i = 0; i < r->tags.count; i++) {
        const char *tag = r->tags.items[i].s;
        if (!tag || strncasecmp(tag, "attack.", 7)) continue;
        e->attack[e->nattack].tag = tag;
        e->attack[e->nattack].resolved = socfeed_attack_resolve_tag(attack, tag);
        e->nattack++;
    }
}

/* The tactic meant for a technique: the first of the rule's own tactic tags that the technique
 * belongs to (authors list the one they mean first: a BadSuccessor rule tagged privilege-escalation,
 * initial-access, … on T1078.002 is about privilege escalation), else the technique's first. */
static const socfeed_attack_tactic *intended_tactic(const socfeed_enrichment *e, const socfeed_attack_technique *t) {
    for (size_t j = 0; j < e->nattack; j++)
        for (size_t i = 0; i < t->ntactics; i++)
            if (e->attack[j].resolved.tactic == t->tactics[i]) return t->tactics[i];
    return t->ntactics ? t->tactics[0] : NULL;
}

static const socfeed_attack_tactic *first_tactic(const socfeed_enrichment *e) {
    for (size_t j = 0; j < e->nattack; j++)
        if (e->attack[j].resolved.tactic) return e->attack[j].resolved.tactic;
    return NULL;
}

static const char *first_table(const socfeed_feed_input *in) {
    for (size_t i = 0; i < in->ntargets; i++)
        if (in->targets[i].query && in->targets[i].table) return in->targets[i].table;
    return NULL;
}

/* Endpoint logs are about hosts; cloud and application logs about accounts and tenants. */
static bool about_hosts(const socfeed_rule *r) {
    const char *p = r->logsource.product.s;
    return !p || !strcasecmp(p, "windows") || !strcasecmp(p, "linux") || !strcasecmp(p, "macos");
}

static char *hunt_hypothesis(const socfeed_enrichment *e, const socfeed_feed_input *in) {
    const socfeed_rule *r = in->rule;
    const char *where = about_hosts(r) ? " on hosts in this environment." : " in this environment.";
    const char *unit = about_hosts(r) ? "host" : "account";
    strbuf sb;
    sb_init(&sb);
    const socfeed_attack_technique *main = NULL;
    size_t ntech = 0;
    for (size_t i = 0; i < e->nattack; i++)
        if (e->attack[i].resolved.technique) {
            if (!main) main = e->attack[i].resolved.technique;
            ntech++;
        }
    const socfeed_attack_tactic *tactic = main ? intended_tactic(e, main) : first_tactic(e);
    if (main) {
        sb_printf(&sb, "Hypothesis: an adversary is using %s (%s)", main->name, main->id);
        if (tactic) {
            sb_puts(&sb, " for ");
            put_lower(&sb, tactic->name);
        }
        sb_puts(&sb, where);
        if (ntech > 1) {
            sb_puts(&sb, " The rule also maps to ");
            size_t shown = 0;
            for (size_t i = 0; i < e->nattack; i++) {
                const socfeed_attack_technique *t = e->attack[i].resolved.technique;
                if (!t || t == main) continue;
                if (shown++) sb_puts(&sb, shown == ntech - 1 ? " and " : ", ");
                sb_printf(&sb, "%s (%s)", t->name, t->id);
            }
            sb_putc(&sb, '.');
        }
    } else if (tactic) {
        sb_puts(&sb, "Hypothesis: an adversary is at work in the ");
        put_lower(&sb, tactic->name);
        sb_printf(&sb, " stage (%s)%s", tactic->id, where);
    } else {
        sb_printf(&sb, "Hypothesis: the activity this rule describes is happening%s", where);
    }
    char *clause = feed_detection_summary(r);
    sb_printf(&sb, " If so, it shows up in %s%s", clause, sentence_end(clause));
    free(clause);

    if (r->description.s && *r->description.s) {
        sb_puts(&sb, "\n\nThe rule's author explains: “");
        put_description_excerpt(&sb, r->description.s, DESCRIPTION_QUOTE_MAX);
        sb_puts(&sb, "”");
    }

    const char *table = first_table(in), *field = feed_first_field(r);
    sb_puts(&sb, "\n\nTo test it, run ");
    if (table) sb_printf(&sb, "the %s query below", table);
    else sb_puts(&sb, "the rule");
    sb_puts(&sb, " over at least the last 30 days, not only the alerting window");
    if (field) sb_printf(&sb, ", and stack the results by %s and by %s", field, unit);
    else sb_printf(&sb, ", and stack the results by %s", unit);
    sb_printf(&sb, ": values seen on only one or two %ss are where to start.", unit);
    switch (r->level) {
    case SOCFEED_LEVEL_CRITICAL:
    case SOCFEED_LEVEL_HIGH:
        sb_printf(&sb, " The authors rate a hit %s: triage each one at once and pivot to the process tree and the logon "
                       "session around it.", socfeed_level_name(r->level));
        break;
    case SOCFEED_LEVEL_MEDIUM:
        sb_puts(&sb, " The authors rate a hit medium: expect some benign results, and settle each one as an incident "
                     "or a documented exclusion.");
        break;
    case SOCFEED_LEVEL_LOW:
    case SOCFEED_LEVEL_INFORMATIONAL:
        sb_printf(&sb, " The authors rate a hit %s: on its own it is context, so look for hosts where it coincides "
                       "with other detections.", socfeed_level_name(r->level));
        break;
    case SOCFEED_LEVEL_NONE: break;
    }
    if (r->fields.count) {
        sb_puts(&sb, " The authors suggest reviewing these fields with each hit: ");
        for (size_t i = 0; i < r->fields.count; i++) {
            if (i) sb_puts(&sb, ", ");
            sb_puts(&sb, r->fields.items[i].s ? r->fields.items[i].s : "");
        }
        sb_putc(&sb, '.');
    }
    return sb_detach(&sb);
}

/* "Unknown", "Unlikely", "None": the authors name no benign source. */
static bool names_no_source(const char *fp) {
    while (isspace((unsigned char)*fp)) fp++;
    static const char *const none[] = {"unknown", "unlikely", "none", "none known", "n/a", "no known false positives"};
    for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
        size_t n = strlen(none[i]);
        if (!strncasecmp(fp, none[i], n) && (fp[n] == 0 || fp[n] == '.' || isspace((unsigned char)fp[n]))) return true;
    }
    return false;
}

/* "Legitimate use", "Legitimate administrative activity": true but unspecific. */
static bool is_generic(const char *fp) {
    if (strncasecmp(fp, "legitimate", 10) && strncasecmp(fp, "admin", 5)) return false;
    size_t words = 1;
    for (const char *p = fp; *p; p++) words += *p == ' ';
    return words <= 3;
}

static char *false_positive_guidance(const socfeed_feed_input *in) {
    const socfeed_rule *r = in->rule;
    strbuf sb;
    sb_init(&sb);
    size_t named = 0;
    bool generic = false;
    for (size_t i = 0; i < r->falsepositives.count; i++) {
        const char *fp = r->falsepositives.items[i].s;
        if (fp && !names_no_source(fp)) {
            named++;
            generic |= is_generic(fp);
        }
    }
    if (!named) {
        sb_puts(&sb, "The authors know of no benign source of these events. That is a claim, not a measurement: run the "
                     "query over 30 days of your own data before enabling it as an alert; anything it finds there is "
                     "an incident or a false positive worth documenting.");
    } else {
        sb_puts(&sb, "The authors expect benign hits from: ");
        size_t shown = 0;
        for (size_t i = 0; i < r->falsepositives.count; i++) {
            const char *fp = r->falsepositives.items[i].s;
            if (!fp || names_no_source(fp)) continue;
            if (shown++) sb_puts(&sb, "; ");
            size_t len = strlen(fp);
            while (len && (fp[len - 1] == '.' || isspace((unsigned char)fp[len - 1]))) len--; /* we add our own period */
            sb_append(&sb, fp, len);
        }
        const char *field = feed_first_field(r);
        sb_puts(&sb, ". Establish which hosts and accounts do this legitimately here and exclude them by exact value");
        if (field) sb_printf(&sb, " (for example of %s, together with the %s)", field, about_hosts(r) ? "host" : "account");
        sb_puts(&sb, ", rather than by loosening the pattern.");
        if (generic)
            sb_puts(&sb, " \"Legitimate use\" says little on its own: ask the owners of the matching hosts whether the "
                         "activity is expected there.");
    }
    switch (r->level) {
    case SOCFEED_LEVEL_CRITICAL:
        sb_puts(&sb, "\n\nLevel critical: the authors expect hits to be rare and serious; tune only with documented, "
                     "narrow exceptions.");
        break;
    case SOCFEED_LEVEL_HIGH:
        sb_puts(&sb, "\n\nLevel high: hits should rarely be benign; alert on it, and record every confirmed false "
                     "positive as an exclusion.");
        break;
    case SOCFEED_LEVEL_MEDIUM:
        sb_puts(&sb, "\n\nLevel medium: expect some benign hits; an allow-list of known hosts or tools, or a threshold, "
                     "may be needed before it pages anyone.");
        break;
    case SOCFEED_LEVEL_LOW:
        sb_puts(&sb, "\n\nLevel low: on its own not worth an alert; use it for hunting or in correlation with other "
                     "detections.");
        break;
    case SOCFEED_LEVEL_INFORMATIONAL:
        sb_puts(&sb, "\n\nLevel informational: context only; never alert on it alone.");
        break;
    case SOCFEED_LEVEL_NONE: break;
    }
    if (r->status == SOCFEED_STATUS_EXPERIMENTAL)
        sb_puts(&sb, " The rule is experimental: it has seen little tuning in the field, so expect more false positives "
                     "than its level suggests.");
    else if (r->status == SOCFEED_STATUS_DEPRECATED)
        sb_puts(&sb, " The rule is deprecated: its authors no longer maintain it; prefer the rule that replaced it.");
    for (size_t i = 0; i < in->ntargets; i++) {
        const socfeed_target_result *t = &in->targets[i];
        if (!t->query || !socfeed_verdict_is_failure(t->verdict)) continue;
        sb_printf(&sb, "\n\nVerification showed the %s query to be %s: ", t->target, socfeed_verdict_name(t->verdict));
        if (t->verdict == SOCFEED_VERDICT_UNDER_MATCH)
            sb_puts(&sb, "it misses events the Sigma rule finds, so silence from it proves nothing.");
        else if (t->verdict == SOCFEED_VERDICT_OVER_MATCH)
            sb_puts(&sb, "it also fires on events the Sigma rule does not match, false positives the authors never "
                         "saw.");
        else
            sb_puts(&sb, "it both misses events the Sigma rule finds and fires on events it does not match.");
    }
    return sb_detach(&sb);
}

socfeed_enrichment *socfeed_enrich(const socfeed_feed_input *in, const socfeed_attack *attack) {
    socfeed_enrichment *e = xcalloc(1, sizeof *e);
    resolve_attack(e, in->rule, attack);
    char *clause = feed_detection_summary(in->rule);
    e->detection_summary = xasprintf("It matches %s%s", clause, sentence_end(clause));
    free(clause);
    e->hunt_hypothesis = hunt_hypothesis(e, in);
    e->false_positive_guidance = false_positive_guidance(in);
    feed_compute_confidence(e, in);
    return e;
}

void socfeed_enrichment_free(socfeed_enrichment *e) {
    if (!e) return;
    free(e->hunt_hypothesis);
    free(e->false_positive_guidance);
    free(e->detection_summary);
    free(e->confidence_cap);
    for (size_t i = 0; i < SOCFEED_CONFIDENCE_FACTORS; i++) free(e->factors[i].value);
    free(e->attack);
    free(e);
}
