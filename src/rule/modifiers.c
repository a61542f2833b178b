/* modifiers.c — see modifiers.h. */
#include "rule/modifiers.h"

#include <string.h>

static const struct {
    const char *name;
    socfeed_modifier mod;
} modifier_names[] = {
    {"contains", SOCFEED_MOD_CONTAINS}, {"startswith", SOCFEED_MOD_STARTSWITH},
    {"endswith", SOCFEED_MOD_ENDSWITH}, {"all", SOCFEED_MOD_ALL},
    {"base64", SOCFEED_MOD_BASE64}, {"base64offset", SOCFEED_MOD_BASE64OFFSET},
    {"wide", SOCFEED_MOD_WIDE}, {"utf16le", SOCFEED_MOD_UTF16LE},
    {"utf16be", SOCFEED_MOD_UTF16BE}, {"utf16", SOCFEED_MOD_UTF16},
    {"windash", SOCFEED_MOD_WINDASH}, {"re", SOCFEED_MOD_RE},
    {"i", SOCFEED_MOD_IGNORECASE}, {"ignorecase", SOCFEED_MOD_IGNORECASE},
    {"m", SOCFEED_MOD_MULTILINE}, {"multiline", SOCFEED_MOD_MULTILINE},
    {"s", SOCFEED_MOD_DOTALL}, {"dotall", SOCFEED_MOD_DOTALL},
    {"cased", SOCFEED_MOD_CASED}, {"cidr", SOCFEED_MOD_CIDR},
    {"exists", SOCFEED_MOD_EXISTS}, {"expand", SOCFEED_MOD_EXPAND},
    {"fieldref", SOCFEED_MOD_FIELDREF}, {"gt", SOCFEED_MOD_GT},
    {"gte", SOCFEED_MOD_GTE}, {"lt", SOCFEED_MOD_LT}, {"lte", SOCFEED_MOD_LTE},
    {"neq", SOCFEED_MOD_NEQ}, {"minute", SOCFEED_MOD_MINUTE}, {"hour", SOCFEED_MOD_HOUR},
    {"day", SOCFEED_MOD_DAY}, {"week", SOCFEED_MOD_WEEK}, {"month", SOCFEED_MOD_MONTH},
    {"year", SOCFEED_MOD_YEAR},
};

bool modifier_lookup(const char *name, size_t len, socfeed_modifier *out) {
    for (size_t i = 0; i < sizeof modifier_names / sizeof *modifier_names; i++) {
        if (strlen(modifier_names[i].name) == len && !memcmp(modifier_names[i].name, name, len)) {
            *out = modifier_names[i].mod;
            return true;
        }
    }
    return false;
}

const char *socfeed_modifier_name(socfeed_modifier m) {
    for (size_t i = 0; i < sizeof modifier_names / sizeof *modifier_names; i++)
        if (modifier_names[i].mod == m) return modifier_names[i].name;
    return "?";
}

bool modifier_is_regex_flag(socfeed_modifier m) {
    return m == SOCFEED_MOD_IGNORECASE || m == SOCFEED_MOD_MULTILINE || m == SOCFEED_MOD_DOTALL;
}

bool modifier_is_compare(socfeed_modifier m) {
    return m == SOCFEED_MOD_GT || m == SOCFEED_MOD_GTE || m == SOCFEED_MOD_LT || m == SOCFEED_MOD_LTE;
}

bool modifier_is_time_part(socfeed_modifier m) { return m >= SOCFEED_MOD_MINUTE && m <= SOCFEED_MOD_YEAR; }

bool modifier_is_encoding(socfeed_modifier m) {
    return m == SOCFEED_MOD_BASE64 || m == SOCFEED_MOD_BASE64OFFSET || m == SOCFEED_MOD_WIDE ||
           m == SOCFEED_MOD_UTF16LE || m == SOCFEED_MOD_UTF16BE || m == SOCFEED_MOD_UTF16;
}
