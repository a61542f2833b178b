/* socfeed/evtx.h — EVTX-specific extras beyond the common reader API (socfeed/reader.h).
 *
 * Events themselves are read with socfeed_evtx_read_buffer() / socfeed_read_file(); each event's
 * origin.offset is the byte offset of its record in the file. This header adds the XML view of
 * one record (for `socfeed dump --format xml`), rendered straight from the record's BinXML, so it
 * shows exactly what the file holds (element order, empty elements, attribute text) rather than
 * what the JSON-shaped event tree kept.
 *
 * XML form: UTF-8, no XML declaration, two-space indentation, one element per line, an element
 * with only text on one line (<EventID>4688</EventID>), empty elements as <Name/>; attributes whose
 * value is empty are left out (as in the event tree). Text escapes & < > (and " ' inside attribute
 * values); character and entity references stay as written (&#N; / &name;). Values are rendered as
 * in the event tree (GUIDs as {UPPER-CASE} with braces, hex without padding, SIDs, 6-digit times). */
#ifndef SOCFEED_EVTX_H
#define SOCFEED_EVTX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Renders the record that starts at byte `record_offset` of the EVTX file image
 * `file_data[0..file_len)` as XML (ends with a newline). `max_depth` limits BinXML nesting as in
 * socfeed_read_options (0 = 64). Returns a malloc'ed string the caller frees, or NULL when there is
 * no readable record at that offset; then *why (if not NULL) gets a static reason.
 * Cost: parses the record's templates afresh (no cache across calls) — fine for dumping, not for
 * bulk conversion. Thread-safe (no shared state). */
char *socfeed_evtx_record_xml(const void *file_data, size_t file_len, uint64_t record_offset,
                              unsigned max_depth, const char **why);

#ifdef __cplusplus
}
#endif
#endif
