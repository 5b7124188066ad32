/*
 * detect_int.h - what the files of the scanner share and nothing else includes: the rule
 * table, the scratch layout and the verifiers that turn a Vectorscan candidate into hits.
 */
#ifndef SENTINEL_SCAN_DETECT_INT_H
#define SENTINEL_SCAN_DETECT_INT_H

#include <hs/hs.h>

#include "scan/detect.h"

/* How a rule's candidates are verified and given a span (detect_verify.c, detect_web.c). */
enum vfy {
    V_SPAN = 1,  /* SOM rule: the match is the hit */
    V_TOKEN,     /* vendor token: fixed start, extend, entropy and placeholder checks */
    V_AWS_ID,    /* key id, then a 40-char secret nearby */
    V_B64_VALUE, /* base64 value after `arg` bytes of key (Azure AccountKey=) */
    V_PEM,       /* BEGIN line, body, END line */
    V_JWT,       /* header JSON with "alg" */
    V_GENERIC,   /* keyword [:=] value with entropy; arg 1, 2: the rule names the value (its
                    score; at least 16, 12 bytes) */
    V_EMAIL,     /* local@domain.tld */
    V_DIGITS,    /* a run of digits and separators: card, SSN or phone */
    V_LETTERS,   /* two capitals and two digits: UK NINO or IBAN */
    V_URL,       /* scheme://authority: credentials, IP forms, metadata, scheme, query */
    V_HOST,      /* a bare exfil host name, label-bounded */
    V_MD_IMAGE,  /* image URL whose query carries data */
    V_DOTDOT,    /* runs of ../ */
    V_KEYFILE,   /* id_rsa (private) vs id_rsa.pub */
    V_COMMENT,   /* <!-- hidden text --> */
    V_INVIS,     /* arg: 1 zero-width, 2 bidi, 3 tags, 4 variation selectors */
    V_ANCHOR,    /* a rare word: run the phrase rules of mask `arg` around it */
};

struct rule {
    const char *re;
    unsigned flags;       /* HS_FLAG_* */
    unsigned families;    /* the DETECT_* bits it reports under */
    unsigned short kind;  /* DETECT_K_* */
    unsigned char score;  /* base score; verifiers may adjust */
    unsigned char vfy;    /* enum vfy */
    uint64_t arg;         /* verifier parameter; V_ANCHOR: mask of phrase bits */
    unsigned short back;  /* SOM rules: the longest match (0: 512); starts are searched
                             that far back from a match's end. V_TOKEN rules without SOM:
                             the length of the fixed prefix (the random part follows it) */
    unsigned char phrase; /* 1..64: a phrase rule, bit phrase-1; only anchors run it */
    /* SOM rules: what finds the start (NULL: the rule itself). A phrase whose own SOM
     * database would be megabytes (a request form before many alternatives) names its
     * opening words followed by anything instead: the leftmost opening within `back` bytes
     * of the candidate's end starts the hit. */
    const char *start;
};

extern const struct rule detect_rules[];
extern const size_t detect_nrules;

/*
 * The main database holds every rule without HS_FLAG_SOM_LEFTMOST: start-of-match tracking
 * in one large database costs about five times the scan. Rules that need their start also
 * get a single-pattern SOM database, run only over a bounded window ending at a candidate.
 */
struct detector {
    hs_database_t *db;        /* rules 0..nmain-1 (anchors included, phrases not) */
    hs_database_t **span_db;  /* by id; NULL for rules that find their start in C */
    hs_database_t **check_db; /* anchors: their phrase rules without SOM, for window scans */
    size_t nmain;
    size_t phrase_id[64]; /* id of the phrase rule of each bit, or SIZE_MAX */
    unsigned families;
    size_t nrules;
    const struct rule **rules; /* by Vectorscan id */
    bool loaded;               /* the databases came from an embedded blob, not a compile */
};

/* memmem memo: the first needle at or after `from` is at `at` (SIZE_MAX: none). Valid for
 * any later query p with from <= p <= at, which is what in-order matches ask. */
struct find_cache {
    size_t from, at;
    int valid;
};

struct detect_scratch {
    const struct detector *d;
    hs_scratch_t *hs;
    hs_scratch_t *span_hs;  /* for every span database */
    hs_scratch_t *check_hs; /* for every check database (a window scan runs inside a match) */
    /* per scan */
    const unsigned char *t;
    size_t len;
    struct detect_hit *cand;
    size_t ncand;
    size_t dropped;
    int saturated;
    size_t *done;  /* per rule id: candidates ending at or before this were already handled */
    size_t *cover; /* anchors: how far their windows have been scanned */
    size_t *extra; /* anchors: how far the next window reaches past its anchor */
    size_t *floor; /* phrase rules: end of the last hit (starts are not searched before it) */
    struct find_cache pem_end, comment_end;
    size_t url_end;  /* end of the last URL whose path and query were measured */
    size_t aws_seen; /* the AWS secret search has covered [0, aws_seen) */
    int card_head;   /* the text's first line names a card column: 1, 0, or -1 not yet read */
    struct detect_summary sum;
};

/*
 * Serialized databases (detect_db.c). detect_db_pack writes every database of d into one
 * malloc'd blob; detect_db_unpack loads one into a detector whose rules detector_new has laid
 * out (nothing compiled yet) and refuses (-EINVAL, d untouched) a blob of other families, of
 * another rule table, of another Vectorscan version or for a CPU this one is not.
 * detect_embedded is the table the build embeds (detect_gen.c); detect_db_embedded finds the
 * blob of a families set in it.
 */
struct detect_embedded {
    unsigned families;
    const char *start, *end;
};
extern const struct detect_embedded detect_embedded[];
extern const size_t detect_embedded_count;
uint64_t detect_rules_hash(void);
int detect_db_pack(const struct detector *d, char **out, size_t *len);
int detect_db_unpack(struct detector *d, const void *blob, size_t len);
bool detect_db_embedded(unsigned families, const void **blob, size_t *len);
/* The embedded blob's pages, once unpacked into a detector, are read again only when another
 * detector is made: give them back (a read-only file mapping; they fault in again from the
 * page cache if needed). Without it they stay resident, as much memory again as the databases. */
void detect_db_release(const void *blob, size_t len);
/* detector_new without the embedded databases: always compiles (detect_gen.c, tests). */
int detector_new_compiled(struct detector **out, unsigned families, char *err, size_t errlen);

/* Record a hit for every family of `families` the detector was built for. */
void detect_emit(struct detect_scratch *s, unsigned families, unsigned kind, unsigned score,
                 size_t off, size_t len);

/* Verify one candidate of rule r ([from, to): from is exact only for SOM rules). Returns the
 * offset up to which the text is settled for this rule (later candidates ending there are
 * skipped), or 0. */
size_t detect_verify(struct detect_scratch *s, const struct rule *r, size_t from, size_t to);
size_t detect_verify_web(struct detect_scratch *s, const struct rule *r, size_t from, size_t to);

/* Shared helpers (detect_verify.c). */
size_t detect_find(struct detect_scratch *s, struct find_cache *c, size_t from, const char *needle,
                   size_t nlen);
double detect_entropy(const unsigned char *p, size_t n);

static inline int dt_digit(int c)
{
    return c >= '0' && c <= '9';
}
static inline int dt_upper(int c)
{
    return c >= 'A' && c <= 'Z';
}
static inline int dt_lower(int c)
{
    return c >= 'a' && c <= 'z';
}
static inline int dt_alpha(int c)
{
    return dt_upper(c) || dt_lower(c);
}
static inline int dt_alnum(int c)
{
    return dt_alpha(c) || dt_digit(c);
}
static inline int dt_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
static inline int dt_lc(int c)
{
    return dt_upper(c) ? c + 32 : c;
}

#endif
