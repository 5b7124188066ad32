/* test_term.c - base/term: what may reach a terminal from a peer, a reply or a token. */
#include <string.h>

#include "base/term.h"
#include "check.h"

static const char *clean(const char *s, size_t n)
{
    static char out[256];
    return term_clean(s, n, out, sizeof(out));
}

#define CLEAN(lit) clean(lit, sizeof(lit) - 1)

static void test_replaced(void)
{
    /* octal escapes: a letter after one is not read as part of it */
    CHECK_STR(CLEAN("text \303\251t\303\251 \342\202\254"), "text \303\251t\303\251 \342\202\254");
    CHECK_STR(CLEAN("a\033[2Jb\177c\td"), "a?[2Jb?c?d");                   /* C0, DEL */
    CHECK_STR(CLEAN("evil\302\2332J\302\205x"), "evil?2J?x");              /* C1: CSI, NEL */
    CHECK_STR(CLEAN("ab\342\200\256cd\342\201\246e"), "ab?cd?e");          /* RLO, LRI */
    CHECK_STR(CLEAN("x\342\200\213y\342\200\250z\357\273\277"), "x?y?z?"); /* ZWSP, LS, BOM */
    /* fillers and joiners that show as nothing: Hangul filler, grapheme joiner, VS16,
     * a musical format control */
    CHECK_STR(CLEAN("bot\343\205\244x\315\217y\357\270\217z\360\235\205\263"), "bot?x?y?z?");
    CHECK_STR(CLEAN("\330\234a"), "?a");                                   /* ALM */
    /* not UTF-8: overlong, lone continuation, surrogate, cut short: one '?' per byte */
    CHECK_STR(CLEAN("\300\257a\200b\355\240\200c\342\202"), "??a?b???c??");
}

static void test_truncation(void)
{
    char out[6];
    CHECK_STR(term_clean("abcdefgh", 8, out, sizeof(out)), "abcde");
    CHECK_STR(term_clean("abcd\xc3\xa9", 6, out, sizeof(out)), "abcd"); /* not half of é */
    char one[1];
    CHECK_STR(term_clean("abc", 3, one, sizeof(one)), "");
}

int main(void)
{
    test_replaced();
    test_truncation();
    return check_done();
}
