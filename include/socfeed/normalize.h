/* socfeed/normalize.h — raw Windows events → the rows a KQL target would hold for them.
 *
 * `verify` must run the emitted KQL over what Sentinel or Defender would really store, not over the
 * Sigma field names. A normalizer turns one raw event tree (evtx_dump shape: Event.System /
 * Event.EventData, or a flat JSON object) into zero or more rows, each in one table:
 *   - sentinel-asim: the ASIM schema rows Microsoft's Sysmon and Security parsers build
 *     (imProcessCreate, imFileEvent, imRegistry, imNetworkSession, imDns, imAuthentication, …);
 *   - azure-monitor: the WindowsEvent row, and the SecurityEvent row for the Security channel;
 *   - defender-xdr: Device* rows from a Sysmon → Defender correspondence that is approximate
 *     (Defender records its own sensor's events, not Sysmon's): socfeed_normalizer_is_approximate().
 *
 * The mapping is data (data/normalize/TARGET.yml), written from Microsoft's parsers and table
 * references independently of the converter's Sigma → KQL mapping (data/targets/), so that the
 * two can disagree and `verify` can catch it. Each column is the KQL expression the parser uses,
 * evaluated over the raw event seen as a WindowsEvent row (Provider, Channel, EventID, Computer,
 * TimeGenerated, EventData as a dynamic object, …).
 *
 * Ownership: a normalizer is immutable once loaded and may be shared between threads; rows live
 * in the socfeed_rows set they were added to and are copies (they do not point into the event). */
#ifndef SOCFEED_NORMALIZE_H
#define SOCFEED_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "socfeed/diag.h"
#include "socfeed/event.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct socfeed_normalizer socfeed_normalizer;

/* The built-in normalizer of `target` ("sentinel-asim", "azure-monitor", "defender-xdr"); NULL
 * with a diagnostic when the target is unknown. Free with socfeed_normalizer_free(). */
socfeed_normalizer *socfeed_normalizer_load(const char *target, socfeed_diags *diags);

/* A normalizer from a data file's text (`name` is used in diagnostics); NULL on error. */
socfeed_normalizer *socfeed_normalizer_parse(const char *name, const char *yaml, size_t len, socfeed_diags *diags);

void socfeed_normalizer_free(socfeed_normalizer *nz);

/* The target name the data file declares. */
const char *socfeed_normalizer_target(const socfeed_normalizer *nz);

/* True when the rows are an approximation of what the target stores (defender-xdr), with the
 * data file's explanation in *why (may be NULL). */
bool socfeed_normalizer_is_approximate(const socfeed_normalizer *nz, const char **why);

/* The table whose rows a query reading `source` sees (resolving aliases such as _Im_FileEvent →
 * imFileEvent), or NULL when this target never produces rows for that source. */
const char *socfeed_normalizer_table(const socfeed_normalizer *nz, const char *source);

/* One normalized row. */
typedef struct socfeed_row {
    const char *table;         /* the table it is in (normalizer memory) */
    const char *producer;      /* the data file entry that built it, e.g. "sysmon-file" */
    size_t event;              /* the event index the caller passed to socfeed_normalize() */
    socfeed_event_value value; /* an object: column → value, in the data file's column order */
} socfeed_row;

/* A growing set of rows with the memory they own. */
typedef struct socfeed_rows socfeed_rows;
socfeed_rows *socfeed_rows_new(void);
void socfeed_rows_free(socfeed_rows *rows);
size_t socfeed_rows_count(const socfeed_rows *rows);
const socfeed_row *socfeed_rows_at(const socfeed_rows *rows, size_t i);

/* Adds the rows `event` becomes in the target to `out`, tagged with `event_index`. Returns the
 * number of rows added (0: the target holds no row for this event), or -1 when an expression
 * failed at run time (reported into diags; the rows of other producers are still added). */
int socfeed_normalize(const socfeed_normalizer *nz, const socfeed_event_value *event, size_t event_index,
                      socfeed_rows *out, socfeed_diags *diags);

/* The raw event as the WindowsEvent row every expression reads (added to `out` with table
 * "WindowsEvent" and producer "raw"); for tests and for showing what the expressions read. */
int socfeed_normalize_raw_view(const socfeed_event_value *event, size_t event_index, socfeed_rows *out);

#ifdef __cplusplus
}
#endif
#endif
