/* document_parse.h — one YAML document → one socfeed_rule (see document_parse.c). */
#ifndef SOCFEED_RULE_DOCUMENT_PARSE_H
#define SOCFEED_RULE_DOCUMENT_PARSE_H

#include "rule/parse_ctx.h"
#include "rule/yaml_tree.h"

/* Fills `rule` from `doc` (whose root is not NULL); `data` is the file text. Sets rule->valid. */
void parse_document(parse_ctx *ctx, const yaml_document_info *doc, const char *data, size_t doc_index,
                    socfeed_rule *rule);

#endif
