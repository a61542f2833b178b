/* condition_lexer.c — tokens of the condition language (see condition.h). Words are maximal runs
 * of characters other than blanks and parentheses, so `notepad` is one word, never `not epad`. */
#include <ctype.h>
#include <string.h>

#include "rule/condition.h"
#include "util/xalloc.h"

static cond_token_kind classify(const char *w, size_t n) {
    static const struct { const char *word; cond_token_kind kind; } keywords[] = {
        {"and", CTOK_AND}, {"or", CTOK_OR}, {"not", CTOK_NOT}, {"of", CTOK_OF},
        {"1", CTOK_ONE},   {"any", CTOK_ANY}, {"all", CTOK_ALL}, {"them", CTOK_THEM},
    };
    for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
        if (strlen(keywords[i].word) == n && !memcmp(keywords[i].word, w, n)) return keywords[i].kind;
    if (memchr(w, '|', n)) return CTOK_INVALID;
    return CTOK_WORD;
}

size_t cond_tokenize(const char *text, cond_token **out) {
    size_t n = 0, cap = 16;
    cond_token *toks = xmalloc(cap * sizeof *toks);
    size_t i = 0, len = strlen(text);
    for (;;) {
        while (i < len && isspace((unsigned char)text[i])) i++;
        if (n + 1 >= cap) {
            cap *= 2;
            toks = xrealloc(toks, cap * sizeof *toks);
        }
        if (i >= len) {
            toks[n++] = (cond_token){CTOK_END, text + i, 0, i};
            break;
        }
        if (text[i] == '(' || text[i] == ')') {
            toks[n++] = (cond_token){text[i] == '(' ? CTOK_LPAREN : CTOK_RPAREN, text + i, 1, i};
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && !isspace((unsigned char)text[i]) && text[i] != '(' && text[i] != ')') i++;
        toks[n++] = (cond_token){classify(text + start, i - start), text + start, i - start, start};
    }
    *out = toks;
    return n;
}
