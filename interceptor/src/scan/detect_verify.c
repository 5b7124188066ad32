/*
 * detect_verify.c - verifiers for secrets and PII: a Vectorscan candidate becomes a hit only
 * after the check that makes it credible (vendor token shape and entropy, the JWT header,
 * Luhn with IIN and length, SSN area/group/serial, NINO prefixes, IBAN country length and
 * mod-97, e-mail domain shape). Every check reads a bounded window around its candidate:
 * nothing here may make a scan superlinear.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "scan/detect_int.h"

#define NONE SIZE_MAX

size_t detect_find(struct detect_scratch *s, struct find_cache *c, size_t from, const char *needle,
                   size_t nlen)
{
    const unsigned char *p = NULL;
    if (c->valid && c->from <= from && (c->at == NONE || from <= c->at))
        return c->at;
    if (from < s->len)
        p = memmem(s->t + from, s->len - from, needle, nlen);
    c->valid = 1;
    c->from = from;
    c->at = p ? (size_t)(p - s->t) : NONE;
    return c->at;
}

double detect_entropy(const unsigned char *p, size_t n)
{
    unsigned cnt[256];
    double h = 0;
    if (n == 0)
        return 0;
    memset(cnt, 0, sizeof(cnt));
    for (size_t i = 0; i < n; i++)
        cnt[p[i]]++;
    for (int c = 0; c < 256; c++) {
        if (cnt[c]) {
            double f = (double)cnt[c] / (double)n;
            h -= f * log2(f);
        }
    }
    return h;
}

static size_t distinct(const unsigned char *p, size_t n)
{
    unsigned char seen[256];
    size_t k = 0;
    memset(seen, 0, sizeof(seen));
    for (size_t i = 0; i < n; i++)
        if (!seen[p[i]]++)
            k++;
    return k;
}

/* lower, upper, digit, other: the number of classes present */
static int classes(const unsigned char *p, size_t n, int *lo, int *up, int *dg)
{
    int l = 0, u = 0, d = 0, o = 0;
    for (size_t i = 0; i < n; i++) {
        if (dt_lower(p[i]))
            l = 1;
        else if (dt_upper(p[i]))
            u = 1;
        else if (dt_digit(p[i]))
            d = 1;
        else
            o = 1;
    }
    if (lo)
        *lo = l;
    if (up)
        *up = u;
    if (dg)
        *dg = d;
    return l + u + d + o;
}

/* Case-insensitive search for a lowercase needle in a short haystack. */
/* A word of a fixed list with its length, so that the hot paths never call strlen. */
struct word {
    const char *w;
    size_t n;
};
#define W(lit) {lit, sizeof(lit) - 1}

static int has_ci(const unsigned char *p, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        while (k < m && dt_lc(p[i + k]) == (unsigned char)needle[k])
            k++;
        if (k == m)
            return 1;
    }
    return 0;
}

/*
 * Documentation values, templates and obvious fakes: "changeme", "xxxx", "<token>",
 * "${VAR}", "{{ secret }}", AWS's "...EXAMPLE" keys, runs of one character. Example keys are
 * public: they are not reported (detect.h, "Example keys").
 */
static int placeholder(const unsigned char *p, size_t n)
{
    static const char *const words[] = {
        "example",   "changeme",    "change_me", "change-me", "placeholder", "your_",   "your-",
        "yourtoken", "yourkey",     "yourpass",  "xxxx",      "****",        "....",    "dummy",
        "sample",    "redacted",    "<",         ">",         "${",          "{{",      "%(",
        "$(",        "process.env", "environ",   "getenv",    "secrets.",    "vault:",  "null",
        "undefined", "insert",      "todo",      "fixme",     "fake",        "test",    "1234",
        "abcd",      "qwerty",      "password",  "secret",    "token",       "replace",
    };
    /* values documentation publishes for everyone to copy: jwt.io's sample token, Stripe's
     * documented test keys */
    static const char *const published[] = {"SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
                                            "4eC39HqLyjWDarjtT1zdp7dc", "TYooMQauvdEDq54NiTphI7jx"};
    size_t run = 1;
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (has_ci(p, n, words[i]))
            return 1;
    for (size_t i = 0; i < sizeof(published) / sizeof(published[0]); i++)
        if (memmem(p, n, published[i], strlen(published[i])) != NULL)
            return 1;
    for (size_t i = 1; i < n; i++) {
        run = p[i] == p[i - 1] ? run + 1 : 1;
        if (run >= 6)
            return 1;
    }
    return distinct(p, n) < 5;
}

static int b64url_char(int c)
{
    return dt_alnum(c) || c == '-' || c == '_';
}

static int b64_char(int c)
{
    return dt_alnum(c) || c == '+' || c == '/';
}

static int b64_val(int c)
{
    if (dt_upper(c))
        return c - 'A';
    if (dt_lower(c))
        return c - 'a' + 26;
    if (dt_digit(c))
        return c - '0' + 52;
    if (c == '-' || c == '+')
        return 62;
    if (c == '_' || c == '/')
        return 63;
    return -1;
}

/* Decode base64 or base64url (no padding needed); stops at the first other byte. */
static size_t b64_decode(const unsigned char *in, size_t n, unsigned char *out, size_t outmax)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < n && o < outmax; i++) {
        int v = b64_val(in[i]);
        if (v < 0)
            break;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    return o;
}

/* ------------------------------------------------------------------ secrets */

static size_t v_token(struct detect_scratch *s, const struct rule *r, size_t from, size_t to)
{
    const unsigned char *t = s->t;
    size_t start = (r->flags & HS_FLAG_SOM_LEFTMOST) ? from : to - r->arg;
    size_t end = to, body;
    unsigned score = r->score, kind = r->kind;
    int lo, up, dg;

    if (to < r->arg && !(r->flags & HS_FLAG_SOM_LEFTMOST))
        return to;
    switch (r->kind) {
    case DETECT_K_GITHUB_TOKEN:
    case DETECT_K_NPM_TOKEN:
        break; /* fixed length, bounded by \b */
    case DETECT_K_SLACK_TOKEN:
        while (end < s->len && end - start < 256 && (dt_alnum(t[end]) || t[end] == '-'))
            end++;
        break;
    case DETECT_K_WEBHOOK_URL:
        while (end < s->len && end - start < 512 && b64url_char(t[end]))
            end++;
        break;
    default:
        while (end < s->len && end - start < 256 && b64url_char(t[end]))
            end++;
        break;
    }
    if (end < s->len && (dt_alnum(t[end]) || end - start >= 256))
        return end; /* part of something longer */
    /* the random part: after the last prefix separator of the fixed prefix */
    body = start;
    switch (r->kind) {
    case DETECT_K_GITHUB_TOKEN:
        body = start + (t[start + 2] == 't' ? 11 : 4); /* github_pat_ or ghp_ */
        break;
    case DETECT_K_GITLAB_TOKEN:
        body = start + 6;
        break;
    case DETECT_K_STRIPE_KEY:
        body = start + 8;
        break;
    case DETECT_K_NPM_TOKEN:
        body = start + 4;
        break;
    case DETECT_K_SLACK_TOKEN:
        body = start + 5;
        break;
    case DETECT_K_OPENAI_KEY:
        if (end - start >= 7 && memcmp(t + start, "sk-ant-", 7) == 0) {
            /* sk-ant-api03-...: Anthropic's, at least ~100 characters */
            kind = DETECT_K_ANTHROPIC_KEY;
            score = 95;
            body = start + 7;
            if (end - start < 60)
                return end;
            break;
        }
        body = start + 3;
        if (end - body < 32)
            return end;
        if (classes(t + body, end - body, &lo, &up, &dg) < 3 || !lo || !up || !dg)
            return end;
        if (detect_entropy(t + body, end - body) < 3.5)
            return end;
        if (memmem(t + body, end - body, "T3BlbkFJ", 8) != NULL)
            score = 95; /* "OpenAI" in base64: the legacy key format */
        break;
    default:
        if (!(r->flags & HS_FLAG_SOM_LEFTMOST)) {
            body = start + r->back; /* after the service's prefix ("AGE-SECRET-KEY-1") */
        } else {
            /* "BOTID:AA...": the bot's number is no secret, the part after ':' is */
            const unsigned char *c = memchr(t + start, ':', end - start);
            if (c != NULL)
                body = (size_t)(c - t) + 1;
        }
        break;
    }
    if (r->kind == DETECT_K_SLACK_TOKEN && end - start < 24)
        return end;
    if (r->kind == DETECT_K_WEBHOOK_URL) {
        /* the secret is the last path segment */
        size_t last = end;
        while (last > start && t[last - 1] != '/')
            last--;
        if (end - last < 20 || placeholder(t + last, end - last))
            return end;
    } else {
        if (end - body < 8 || placeholder(t + body, end - body))
            return end;
        if (detect_entropy(t + body, end - body) < 3.0)
            return end;
    }
    detect_emit(s, r->families, kind, score, start, end - start);
    return end;
}

/* A 40-character AWS secret access key: base64 alphabet, bounded, mixed, high entropy. */
static int aws_secret_shape(const unsigned char *p, size_t n)
{
    int lo, up, dg;
    if (n != 40)
        return 0;
    classes(p, n, &lo, &up, &dg);
    if (!lo || !up || !dg)
        return 0;
    if (memmem(p, n, "EXAMPLE", 7) != NULL)
        return 0;
    if (memcmp(p, "eyJ", 3) == 0)
        return 0; /* base64 of '{"': a JWT's header or claims, not random bytes */
    return detect_entropy(p, n) >= 4.0;
}

static size_t v_aws_id(struct detect_scratch *s, const struct rule *r, size_t to)
{
    const unsigned char *t = s->t;
    size_t start, lo, hi, i;

    if (to < 20)
        return to;
    start = to - 20;
    if (memmem(t + start, 20, "EXAMPLE", 7) != NULL || distinct(t + start + 4, 16) < 6)
        return to; /* AWS's documentation keys (AKIAIOSFODNN7EXAMPLE) are public */
    detect_emit(s, r->families, r->kind, memcmp(t + start, "ASIA", 4) == 0 ? 85 : r->score, start,
                20);

    /* The secret key usually sits within a few lines of its id. */
    lo = start > 256 ? start - 256 : 0;
    if (lo < s->aws_seen)
        lo = s->aws_seen;
    hi = to + 256 < s->len ? to + 256 : s->len;
    i = lo;
    if (i > 0 && b64_char(t[i - 1]))
        while (i < hi && b64_char(t[i]))
            i++; /* a run cut by the window start was judged before */
    while (i < hi) {
        size_t j;
        if (!b64_char(t[i])) {
            i++;
            continue;
        }
        j = i;
        while (j < s->len && j - i <= 40 && b64_char(t[j]))
            j++;
        if (j - i == 40 && (j == s->len || !b64_char(t[j])) && aws_secret_shape(t + i, 40))
            detect_emit(s, DETECT_SECRET, DETECT_K_AWS_SECRET_KEY, 95, i, 40);
        while (j < s->len && b64_char(t[j]))
            j++;
        i = j;
    }
    s->aws_seen = hi;
    return to;
}

static size_t v_b64_value(struct detect_scratch *s, const struct rule *r, size_t to)
{
    const unsigned char *t = s->t;
    size_t start = to - r->arg, end = to;
    while (end < s->len && end - start < 128 && b64_char(t[end]))
        end++;
    for (int pad = 0; pad < 2 && end < s->len && t[end] == '='; pad++)
        end++;
    if (end - start >= 128 || placeholder(t + start, end - start) ||
        detect_entropy(t + start, end - start) < 4.0)
        return end;
    detect_emit(s, r->families, r->kind, r->score, start, end - start);
    return end;
}

static size_t v_pem(struct detect_scratch *s, const struct rule *r, size_t from, size_t to)
{
    const unsigned char *t = s->t;
    size_t e, span_end = to, body = 0, look = to + 96 < s->len ? to + 96 : s->len;
    int enc = memmem(t + from, to - from, "ENCRYPTED", 9) != NULL ||
              memmem(t + to, look - to, "4,ENCRYPTED", 11) != NULL;
    unsigned score;

    e = detect_find(s, &s->pem_end, to, "-----END ", 9);
    if (e != NONE && e - to <= 65536) {
        size_t lim = e + 64 < s->len ? e + 64 : s->len;
        const unsigned char *close = memmem(t + e + 9, lim - (e + 9), "-----", 5);
        for (size_t i = to; i < e; i++)
            body += b64_char(t[i]) || t[i] == '=';
        span_end = close ? (size_t)(close - t) + 5 : lim;
        score = body >= 40 ? (enc ? 80 : r->score) : 40;
    } else {
        size_t i = to;
        while (i < s->len && i - to < 65536 && (b64_char(t[i]) || t[i] == '=' || dt_space(t[i])))
            body += !dt_space(t[i++]);
        while (i > to && dt_space(t[i - 1]))
            i--;
        if (body >= 64) {
            span_end = i;
            score = enc ? 75 : 90;
        } else {
            score = 40; /* a header alone: a mention, not a key */
        }
    }
    detect_emit(s, r->families, r->kind, score, from, span_end - from);
    return span_end;
}

static size_t v_jwt(struct detect_scratch *s, const struct rule *r, size_t from, size_t to)
{
    const unsigned char *t = s->t;
    unsigned char hdr[384];
    size_t dot = from, hn, end = to;

    while (dot < to && t[dot] != '.')
        dot++;
    if (dot - from > 512)
        return to;
    hn = b64_decode(t + from, dot - from, hdr, sizeof(hdr));
    if (hn < 8 || hdr[0] != '{' || memmem(hdr, hn, "\"alg\"", 5) == NULL)
        return to;
    while (end < s->len && end - to < 4096 && b64url_char(t[end]))
        end++;
    if (end < s->len && (b64url_char(t[end]) || t[end] == '.'))
        return end; /* longer than any signature, or a fourth part (JWE has five) */
    if (placeholder(s->t + to, end - to))
        return end; /* jwt.io's sample and the like */
    detect_emit(s, r->families, r->kind, end - to >= 16 ? r->score : 70, from, end - from);
    return end;
}

/* The key name before `: value`, lowercased into k (at most 48 bytes). */
static size_t key_before(const unsigned char *t, size_t vstart, unsigned char *k)
{
    size_t i = vstart, e, n = 0;
    int seen_op = 0;
    while (i > 0 && vstart - i < 16) {
        unsigned char c = t[i - 1];
        if (c == '"' || c == '\'' || c == ' ' || c == '\t')
            i--;
        else if ((c == ':' || c == '=') && !seen_op)
            i--, seen_op = 1;
        else
            break;
    }
    e = i;
    while (i > 0 && e - i < 48 &&
           (dt_alnum(t[i - 1]) || t[i - 1] == '_' || t[i - 1] == '.' || t[i - 1] == '-'))
        i--;
    for (size_t j = i; j < e; j++)
        k[n++] = (unsigned char)dt_lc(t[j]);
    return n;
}

static int value_end_char(int c)
{
    return dt_space(c) || c == '"' || c == '\'' || c == ',' || c == ';' || c == '<' || c == '>' ||
           c == ')' || c == ']' || c == '}' || c == '&' || c == '\\' || c == '`' || c == 0;
}

/*
 * A value over 256 bytes counts only as one token: an STS session token, a long API key
 * (base64 or base64url, '=' padding, '.' between parts), all three character classes and
 * the entropy of random bytes. Longer than GENERIC_LONG, it is not judged.
 */
/* Words of letters (or a number) separated by single spaces, at least three: a sentence
 * in a form or a message catalogue, in any language. */
static int prose(const unsigned char *p, size_t n)
{
    size_t words = 0, i = 0;
    while (i < n) {
        size_t w = i;
        int alpha = 0, digit = 0;
        while (i < n && p[i] != ' ') {
            if (dt_alpha(p[i]) || p[i] >= 0x80)
                alpha = 1;
            else if (dt_digit(p[i]))
                digit = 1;
            else if (!((p[i] == '.' || p[i] == ',' || p[i] == '!' || p[i] == '?' || p[i] == ':') &&
                       (i + 1 == n || p[i + 1] == ' ')))
                return 0;
            i++;
        }
        if (i == w || (alpha && digit))
            return 0; /* two spaces, or a word of letters and digits: no sentence */
        words++;
        i++;
    }
    return words >= 3;
}

#define GENERIC_LONG 4096
static int long_token(const unsigned char *p, size_t n)
{
    int lo, up, dg;
    for (size_t i = 0; i < n; i++)
        if (!b64url_char(p[i]) && p[i] != '+' && p[i] != '/' && p[i] != '=' && p[i] != '.')
            return 0;
    classes(p, n, &lo, &up, &dg);
    return lo && up && dg && detect_entropy(p, n) >= 5.5;
}

static size_t v_generic(struct detect_scratch *s, const struct rule *r, size_t to)
{
    const unsigned char *t = s->t;
    size_t vstart = to - 1, vend = vstart, vlen;
    unsigned char key[48];
    size_t klen = 0;
    int quote = vstart > 0 && (t[vstart - 1] == '"' || t[vstart - 1] == '\'') ? t[vstart - 1] : 0;
    int pw = 0, lo, up, dg, ncls;
    double h, need;
    unsigned score;

    if (quote) {
        while (vend < s->len && vend - vstart <= GENERIC_LONG && t[vend] != quote &&
               t[vend] != '\n')
            vend++;
        if (vend >= s->len || t[vend] != quote)
            quote = 0, vend = vstart;
    }
    if (!quote) {
        while (vend < s->len && vend - vstart <= GENERIC_LONG && !value_end_char(t[vend]))
            vend++;
        while (vend > vstart && (t[vend - 1] == '.' || t[vend - 1] == ':'))
            vend--;
    }
    vlen = vend - vstart;
    if (vlen > GENERIC_LONG || vlen < (r->arg == 1 ? 16u : 12u))
        return vend;
    if (vlen > 256 && !long_token(t + vstart, vlen))
        return vend;
    /* a '(' makes code of an unquoted value (token=read_token()); a quoted one is a string;
     * "<password>@cluster0.mongodb.net" is a URL template, not a tag around a value */
    if ((t[vstart] == '@' && t[vstart - 1] == '>') || placeholder(t + vstart, vlen) ||
        memmem(t + vstart, vlen, "://", 3) != NULL ||
        (!quote && memchr(t + vstart, '(', vlen) != NULL) || t[vstart] == '/' || t[vstart] == '~' ||
        t[vstart] == '.' || t[vstart] == '$' || t[vstart] == '%')
        return vend;
    /* code reading a header (token = request.headers["Authorization"]), a SOPS-encrypted
     * value (ENC[AES256_GCM,data:...]), a validation regex ("^[A-Za-z0-9]{8,20}$"), a
     * sentence ("Enter at least 12 characters") */
    if ((!quote && vend < s->len && t[vend - 1] == '[') ||
        (vlen >= 4 && memcmp(t + vstart, "ENC[", 4) == 0) ||
        (t[vstart] == '^' && t[vend - 1] == '$') || (quote && prose(t + vstart, vlen)))
        return vend;
    if (r->arg == 0) {
        static const char *const deny[] = {
            "page",      "cursor", "next",   "continuation", "type",      "count",  "max",
            "limit",     "usage",  "length", "size",         "expire",    "ttl",    "_id",
            "public",    "hint",   "url",    "uri",          "path",      "file",   "name",
            "field",     "policy", "prompt", "encoding",     "algorithm", "format", "mode",
            "tokenizer", "ref",    "arn",
            /* what a form says about a password, the rule it checks, its hash */
            "placeholder", "help", "label", "message", "tooltip", "description", "pattern",
            "regex",     "hash",   "digest", "checksum",
        };
        klen = key_before(t, vstart, key);
        for (size_t i = 0; i < sizeof(deny) / sizeof(deny[0]); i++)
            if (has_ci(key, klen, deny[i]))
                return vend;
        pw = has_ci(key, klen, "pass") || has_ci(key, klen, "pwd");
        if (has_ci(key, klen, "aws") && has_ci(key, klen, "secret") &&
            aws_secret_shape(t + vstart, vlen)) {
            detect_emit(s, r->families, DETECT_K_AWS_SECRET_KEY, 95, vstart, vlen);
            return vend;
        }
    }
    ncls = classes(t + vstart, vlen, &lo, &up, &dg);
    h = detect_entropy(t + vstart, vlen);
    need = pw ? 2.8 : vlen < 20 ? 3.0 : 3.5;
    if (h < need || ncls < 2)
        return vend;
    if (!dg && ncls == 2 && h < 4.0) { /* letters only: an identifier, not a secret */
        int other = 0;
        for (size_t i = vstart; i < vend; i++)
            other |= !dt_alpha(t[i]) && t[i] != '-' && t[i] != '_' && t[i] != '.';
        if (!other)
            return vend;
    }
    score = h >= 4.5 ? 75 : h >= 4.0 ? 70 : 60;
    if (r->arg)
        score = r->score;
    else if (pw)
        score += 5;
    detect_emit(s, r->families, r->kind, score, vstart, vlen);
    return vend;
}

/* ---------------------------------------------------------------------- PII */

static int email_local_char(int c)
{
    return dt_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static int tld_is_file_ext(const unsigned char *p, size_t n)
{
    static const struct word ext[] = {
        W("png"),  W("jpg"),  W("jpeg"), W("gif"),  W("svg"), W("webp"), W("bmp"),  W("ico"),
        W("css"),  W("js"),   W("ts"),   W("tsx"),  W("jsx"), W("json"), W("txt"),  W("md"),
        W("html"), W("htm"),  W("xml"),  W("yml"),  W("yaml"), W("lock"), W("py"),  W("rb"),
        W("go"),   W("rs"),   W("java"), W("php"),  W("sh"),  W("exe"),  W("dll"),  W("so"),
        W("gz"),   W("tar"),  W("pdf"),  W("zip"),  W("map"),
    };
    for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
        if (ext[i].n == n && has_ci(p, n, ext[i].w))
            return 1;
    return 0;
}

/* RFC 2606/6761 names, and the placeholders forms and docs write (you@yourdomain.com,
 * alice@company.com, test@test.com): never anyone's address. */
static int reserved_domain(const unsigned char *d, size_t n)
{
    static const struct word suffix[] = {W(".test"), W(".invalid"), W(".localhost"),
                                         W(".example"), W(".local")};
    static const struct word names[] = {
        W("example.com"),    W("example.org"),    W("example.net"),  W("company.com"),
        W("yourcompany.com"), W("yourdomain.com"), W("domain.com"),  W("mydomain.com"),
        W("your-domain.com"), W("test.com"),      W("email.tld"),    W("domain.tld"),
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        size_t m = names[i].n;
        if (n >= m && has_ci(d + n - m, m, names[i].w) && (n == m || d[n - m - 1] == '.'))
            return 1;
    }
    for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
        size_t m = suffix[i].n;
        if (n >= m && has_ci(d + n - m, m, suffix[i].w))
            return 1;
    }
    return 0;
}

/*
 * A mailbox that belongs to a role or a robot, not to a person: noreply@, support@,
 * postmaster@ ..., and GitHub's per-user noreply domain. Still reported, below the label.
 */
static int role_mailbox(const unsigned char *local, size_t n, const unsigned char *dom, size_t dn)
{
#define R(w) {w, sizeof(w) - 1}
    static const struct {
        const char *w;
        size_t n;
    } roles[] = {
        R("noreply"),  R("no-reply"),      R("no_reply"),     R("donotreply"), R("do-not-reply"),
        R("support"),  R("info"),          R("admin"),        R("sales"),      R("contact"),
        R("help"),     R("security"),      R("abuse"),        R("postmaster"), R("webmaster"),
        R("hostmaster"), R("hello"),       R("team"),         R("press"),      R("billing"),
        R("notifications"), R("notification"), R("mailer-daemon"), R("root"),  R("privacy"),
        R("legal"),    R("jobs"),          R("careers"),      R("office"),     R("feedback"),
    };
#undef R
    static const char gh[] = "users.noreply.github.com";
    if (n > 13)
        return dn >= sizeof(gh) - 1 && has_ci(dom + dn - (sizeof(gh) - 1), sizeof(gh) - 1, gh);
    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
        if (n == roles[i].n && has_ci(local, n, roles[i].w))
            return 1;
    return dn >= sizeof(gh) - 1 && has_ci(dom + dn - (sizeof(gh) - 1), sizeof(gh) - 1, gh);
}

static size_t v_email(struct detect_scratch *s, const struct rule *r, size_t to)
{
    const unsigned char *t = s->t;
    size_t at = to - 2, i = at, j = at + 1, lab, labels = 0;

    if (to < 3 || t[at] != '@')
        return to;
    while (i > 0 && at - i < 64 && email_local_char(t[i - 1]))
        i--;
    if (i > 0 && email_local_char(t[i - 1]))
        return to; /* a local part longer than 64 */
    while (i < at && t[i] == '.')
        i++;
    if (i == at || t[at - 1] == '.')
        return to;
    for (size_t k = i; k > 2 && i - k < 256 && !dt_space(t[k - 1]) && t[k - 1] != '"'; k--)
        if (t[k - 1] == '/' && t[k - 2] == '/' && t[k - 3] == ':')
            return to; /* scheme://user:pass@host: the URL rules' business */
    if (at - i == 3 && memcmp(t + i, "git", 3) == 0)
        return to; /* git@host:owner/repo */
    while (j < s->len && j - at <= 253 && (dt_alnum(t[j]) || t[j] == '-' || t[j] == '.'))
        j++;
    while (j > at + 1 && (t[j - 1] == '.' || t[j - 1] == '-'))
        j--;
    /* labels: non-empty, no leading or trailing '-', at least two */
    lab = at + 1;
    for (size_t k = at + 1; k <= j; k++) {
        if (k == j || t[k] == '.') {
            if (k == lab || t[lab] == '-' || t[k - 1] == '-' || k - lab > 63)
                return j;
            labels++;
            lab = k + 1;
        }
    }
    if (labels < 2)
        return j;
    lab = j;
    while (t[lab - 1] != '.')
        lab--;
    if (j - lab < 2 || j - lab > 24)
        return j;
    for (size_t k = lab; k < j; k++)
        if (!dt_alpha(t[k]))
            return j;
    if (tld_is_file_ext(t + lab, j - lab) || reserved_domain(t + at + 1, j - at - 1))
        return j;
    /* a person's address is personal data (labels the session `pii`, is tracked); a role's
     * or a robot's is reported below the label */
    detect_emit(s, r->families, r->kind,
                role_mailbox(t + i, at - i, t + at + 1, j - at - 1) ? 35 : r->score, i, j - i);
    return j;
}

/* +CC followed by 8 to 15 digits in groups: E.164 as people write it. */
static void phone_intl_at(struct detect_scratch *s, const struct rule *r, size_t plus)
{
    const unsigned char *t = s->t;
    size_t p = plus + 1, end;
    int digits = 0, sep = 0, paren = 0;

    if (plus > 0) {
        unsigned char c = t[plus - 1];
        if (dt_alnum(c) || c == '+' || c == ')' || c == ']' || c == '_' || c == '.' || c == '/')
            return;
    }
    unsigned char d[16];
    while (p < s->len && p - plus <= 32) {
        unsigned char c = t[p];
        if (dt_digit(c)) {
            if (digits < (int)sizeof(d))
                d[digits] = c;
            digits++;
            sep = 0;
        } else if ((c == ' ' || c == '.' || c == '-') && !sep && digits > 0) {
            sep = 1;
        } else if (c == '(' && !paren && digits > 0) {
            paren = 1;
            sep = 1;
        } else if (c == ')' && paren == 1 && !sep) {
            paren = 2;
        } else {
            break;
        }
        p++;
    }
    end = p;
    while (end > plus + 1 && !dt_digit(t[end - 1]) && t[end - 1] != ')')
        end--;
    if (paren == 1 && memchr(t + plus, '(', end - plus) != NULL)
        return;
    if (digits < 8 || digits > 15 || p - plus > 32)
        return;
    if (end < s->len && (dt_alnum(t[end]) || t[end] == '_'))
        return;
    /* +1 NXX 555-01XX is reserved for fiction like its national form; +14155552671, written
     * so, is the E.164 example of Twilio's and others' documentation */
    if (digits == 11 && d[0] == '1' &&
        (memcmp(d + 4, "55501", 5) == 0 ||
         (end - plus == 12 && memcmp(d, "14155552671", 11) == 0)))
        return;
    detect_emit(s, r->families, DETECT_K_PHONE, 50, plus, end - plus);
}

/*
 * The card numbers the networks and payment processors publish for testing (Stripe, Adyen,
 * Braintree, PayPal documentation): every payment codebase's tests hold them, and no bank
 * issues them. d holds the digits as ASCII.
 */
static int test_card(const unsigned char *d, size_t n)
{
    static const char *const known[] = {
        "4111111111111111", "4242424242424242", "4000056655665556", "4012888888881881",
        "4222222222222",    "4000000000000002", "4000000000009995", "4000000000000077",
        "5555555555554444", "5200828282828210", "5105105105105100", "2223003122003222",
        "378282246310005",  "371449635398431",  "378734493671000",  "6011111111111117",
        "6011000990139424", "3056930009020004", "36227206271667",   "3566002020360505",
        "30569309025904",   "38520000023237",   "6200000000000005", "5454545454545454",
        "4444333322221111", "5431111111111111", "4917610000000000", "4005519200000004",
        /* Stripe's: 3D Secure, declines, fraud checks, by country */
        "4000002500003155", "4000002760003184", "4000008260003178", "4000000000003220",
        "4000000000003063", "4000000000003055", "4000000000003097", "4000008400001629",
        "4000008400001280", "4000000000003238", "4000000000003246", "4000000000003253",
        "4000000000009987", "4000000000009979", "4000000000000069", "4000000000000127",
        "4000000000000119", "4100000000000019", "4000000000000101", "4000000000000341",
        "4000000000000010", "4000000000000028", "4000000000000036", "4000000000000044",
        "4000000000000259", "4000000000001976", "4000000000005423", "4000000000000093",
        "4000000000006975", "4000000000000051", "4000000000000085", "4000000000004954",
        "4000000760000002", "4000001240000000", "4000004840008001", "4000000400000008",
        "4000000560000004", "4000002080000001", "4000002460000001", "4000002500000003",
        "4000002760000016", "4000003720000005", "4000003800000008", "4000005280000002",
        "4000005780000007", "4000006200000007", "4000007240000007", "4000007520000008",
        "4000007560000009", "4000008260000000", "4000058260000005", "5555558265554449",
        "4000003560000008", "4000003920000003", "4000001560000002", "4000003440000004",
        "4000007020000003", "4000000360000006", "4000005540000008", "4000007640000003",
        "6011981111111113", "6205500000000000004", "3566000020000410", "4000000320000021",
        "4000002030000002",
    };
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (strlen(known[i]) == n && memcmp(d, known[i], n) == 0)
            return 1;
    return 0;
}

static int luhn(const unsigned char *d, size_t n)
{
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned v = d[n - 1 - i] - '0';
        if (i % 2 == 1) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return sum % 10 == 0;
}

static unsigned prefix_num(const unsigned char *d, size_t k)
{
    unsigned v = 0;
    for (size_t i = 0; i < k; i++)
        v = v * 10 + (unsigned)(d[i] - '0');
    return v;
}

/* Issuer identification number and length of the major networks. */
static int card_iin_ok(const unsigned char *d, size_t n)
{
    unsigned p1 = prefix_num(d, 1), p2 = prefix_num(d, 2), p3 = prefix_num(d, 3),
             p4 = prefix_num(d, 4);
    if (p1 == 4)
        return n == 13 || n == 16 || n == 19; /* Visa */
    if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720))
        return n == 16; /* Mastercard */
    if (p2 == 34 || p2 == 37)
        return n == 15; /* American Express */
    if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649))
        return n >= 16 && n <= 19; /* Discover */
    if (p4 >= 3528 && p4 <= 3589)
        return n >= 16 && n <= 19; /* JCB */
    if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39)
        return n >= 14 && n <= 19; /* Diners Club */
    if (p2 == 62)
        return n >= 16 && n <= 19; /* UnionPay */
    if (p4 == 5018 || p4 == 5020 || p4 == 5038 || p4 == 5893 || p4 == 6304 || p4 == 6759 ||
        (p4 >= 6761 && p4 <= 6763))
        return n >= 13 && n <= 19; /* Maestro */
    return 0;
}

static int ssn_ok(const unsigned char *d)
{
    unsigned area = prefix_num(d, 3), group = prefix_num(d + 3, 2), serial = prefix_num(d + 5, 4);
    if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0)
        return 0;
    /* published examples: Woolworth's wallet card, the SSA's 1960s pamphlet, the textbook one */
    if ((area == 78 && group == 5 && serial == 1120) ||
        (area == 219 && group == 9 && serial == 9999) ||
        (area == 123 && group == 45 && serial == 6789))
        return 0;
    return 1;
}

static int iban_length(unsigned char a, unsigned char b)
{
    static const struct {
        char cc[3];
        unsigned char len;
    } tab[] = {
        {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
        {"BG", 22}, {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28},
        {"CZ", 24}, {"DE", 22}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24},
        {"FI", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18},
        {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23},
        {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32},
        {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24}, {"ME", 22},
        {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24},
        {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24},
        {"SC", 31}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28},
        {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
    };
    for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
        if (tab[i].cc[0] == a && tab[i].cc[1] == b)
            return tab[i].len;
    return 0;
}

/* ------------------------------------------------- numbers in digit runs */

static int num_class(int c)
{
    return dt_digit(c) || c == ' ' || c == '.' || c == '(' || c == ')' || c == '/' || c == '-';
}

/* A run of digits and separators, split into digit groups. */
struct numrun {
    size_t start, end;
    size_t ng, nd;
    size_t gl[12];         /* group lengths */
    size_t go[12];         /* group offsets in the text */
    unsigned char sep[12]; /* the separator before group g (g >= 1); ')' for ") " */
    unsigned char d[64];   /* a run is at most 64 bytes */
    int paren; /* the first group is in parentheses */
};

static int split_run(const unsigned char *t, size_t start, size_t end, struct numrun *nr)
{
    size_t p = start;
    memset(nr, 0, sizeof(*nr));
    nr->start = start;
    nr->end = end;
    if (t[p] == '(') {
        nr->paren = 1;
        p++;
    }
    while (p < end) {
        size_t g = 0;
        if (nr->ng == 12)
            return 0;
        nr->go[nr->ng] = p;
        while (p < end && dt_digit(t[p])) {
            if (nr->nd == sizeof(nr->d))
                return 0;
            nr->d[nr->nd++] = t[p++];
            g++;
        }
        if (g == 0)
            return 0;
        nr->gl[nr->ng++] = g;
        if (p == end)
            break;
        if (nr->ng == 12)
            return 0; /* a thirteenth group: no number we know has that many */
        /* one separator; ")" or ") " only right after a parenthesised first group */
        if (t[p] == ')') {
            if (!nr->paren || nr->ng != 1)
                return 0;
            p++;
            if (p < end && t[p] == ' ')
                p++;
            nr->sep[nr->ng] = ')';
        } else if (t[p] == '(') {
            return 0;
        } else {
            nr->sep[nr->ng] = t[p++];
        }
        if (p >= end || !dt_digit(t[p]))
            return 0;
    }
    return nr->paren ? nr->ng > 1 && nr->sep[1] == ')' : 1;
}

static int seps_all(const struct numrun *nr, size_t from, const char *allowed)
{
    unsigned char c = nr->ng > from ? nr->sep[from] : 0;
    for (size_t g = from; g < nr->ng; g++)
        if (nr->sep[g] != c || strchr(allowed, c) == NULL)
            return 0;
    return 1;
}

static int is_card(const struct numrun *nr, unsigned *score)
{
    if (nr->paren || nr->nd < 13 || nr->nd > 19)
        return 0;
    if (nr->ng == 1) {
        if (nr->nd > 16)
            return 0;
        *score = 65; /* a bare run: could be any identifier that happens to pass */
    } else {
        int ok = seps_all(nr, 1, " -");
        int fours = 1;
        for (size_t g = 0; g + 1 < nr->ng; g++)
            fours &= nr->gl[g] == 4;
        fours &= nr->gl[nr->ng - 1] >= 1 && nr->gl[nr->ng - 1] <= 4;
        if (!ok || !(fours || (nr->ng == 3 && nr->gl[0] == 4 && nr->gl[1] == 6 &&
                               (nr->gl[2] == 5 || nr->gl[2] == 4))))
            return 0;
        *score = 85;
    }
    return card_iin_ok(nr->d, nr->nd) && luhn(nr->d, nr->nd) && !test_card(nr->d, nr->nd);
}

/*
 * A card number at the start or the end of a longer run, a space away from the other numbers:
 * "4539 1488 0343 6467 12/27 737" (expiry and CVV), "4539148803436467 12/27", "100234
 * 4539148803436467" (a row's id). A run of four-digit groups is not cut into cards. Returns
 * the score (0: none) and the card's groups in *first, *count.
 */
static unsigned card_in_run(const struct numrun *nr, size_t *first, size_t *count)
{
    for (size_t k = 1; k < nr->ng; k++) {
        for (int suffix = 0; suffix < 2; suffix++) {
            size_t a = suffix ? k : 0, b = suffix ? nr->ng : k, edge = suffix ? a : b, d = 0;
            struct numrun sub;
            unsigned score = 0;
            if (nr->sep[edge] != ' ' || (a == 0 && nr->paren))
                continue;
            /* the neighbouring group would continue a grouped card: a table of numbers */
            if (b - a > 1 && nr->gl[suffix ? a - 1 : b] == 4)
                continue;
            memset(&sub, 0, sizeof(sub));
            for (size_t g = 0; g < a; g++)
                d += nr->gl[g];
            for (size_t g = a; g < b; g++) {
                if (sub.nd + nr->gl[g] > 19)
                    break;
                sub.gl[sub.ng] = nr->gl[g];
                sub.sep[sub.ng++] = g > a ? nr->sep[g] : 0;
                memcpy(sub.d + sub.nd, nr->d + d, nr->gl[g]);
                sub.nd += nr->gl[g];
                d += nr->gl[g];
            }
            if (sub.ng == b - a && is_card(&sub, &score)) {
                *first = a;
                *count = b - a;
                return score;
            }
        }
    }
    return 0;
}

static int is_ssn(const struct numrun *nr)
{
    return !nr->paren && nr->ng == 3 && nr->gl[0] == 3 && nr->gl[1] == 2 && nr->gl[2] == 4 &&
           seps_all(nr, 1, "-") && ssn_ok(nr->d);
}

/* (555) 234-5678, 555-234-5678, 555.234.5678, 555 234 5678, 1-555-234-5678 */
static int is_nanp(const struct numrun *nr)
{
    size_t g = 0;
    const unsigned char *d = nr->d;
    if (nr->ng == 4 && nr->gl[0] == 1 && d[0] == '1' && !nr->paren &&
        strchr(" .-", nr->sep[1]) != NULL) {
        g = 1;
        d++;
    }
    if (nr->ng - g != 3 || nr->gl[g] != 3 || nr->gl[g + 1] != 3 || nr->gl[g + 2] != 4)
        return 0;
    if (d[0] < '2' || d[3] < '2')
        return 0;
    /* 555-0100 .. 555-0199: reserved for fiction and examples, nobody's number */
    if (memcmp(d + 3, "55501", 5) == 0)
        return 0;
    return strchr(" .-", nr->sep[g + 2]) != NULL &&
           (nr->sep[g + 1] == ')' || strchr(" .-", nr->sep[g + 1]) != NULL);
}

/* 01 23 45 67 89 or 01.23.45.67.89 */
static int is_fr(const struct numrun *nr)
{
    if (nr->paren || nr->ng != 5 || nr->d[0] != '0' || nr->d[1] == '0')
        return 0;
    for (size_t g = 0; g < 5; g++)
        if (nr->gl[g] != 2)
            return 0;
    return seps_all(nr, 1, " .");
}

/* 020 7946 0958, 07700 900123, 030 12345678, 0171/1234567 */
static int is_uk_de(const struct numrun *nr)
{
    if (nr->paren || nr->ng < 2 || nr->ng > 3 || nr->nd < 10 || nr->nd > 11)
        return 0;
    if (nr->d[0] != '0' || nr->d[1] == '0' || nr->gl[0] < 3 || nr->gl[0] > 5)
        return 0;
    for (size_t g = 1; g < nr->ng; g++)
        if (nr->gl[g] < 3 || strchr(" /-", nr->sep[g]) == NULL)
            return 0;
    return 1;
}

/*
 * A national number after a word that says phone ("Mobil:", "Celular:", "Telefoon:",
 * "手机号码：", "電話番号:"): 9 to 13 digits in at most four groups, with a trunk 0
 * (0151 14873154, 06-93944133, 090-4883-3994), an area code in parentheses ((11) 95411-6623)
 * or as a mobile number without either (98903 82688 in India, 13912345678 in China).
 */
static int is_labelled_national(const struct numrun *nr)
{
    if (nr->nd < 9 || nr->nd > 13 || nr->ng > 4 || nr->gl[0] < 2)
        return 0;
    for (size_t g = 1; g < nr->ng; g++)
        if (nr->gl[g] < 2 || strchr(" -./)", nr->sep[g]) == NULL)
            return 0;
    if (nr->paren)
        return nr->gl[0] <= 3 && nr->nd >= 10 && nr->nd <= 11;
    if (nr->d[0] == '0')
        return nr->d[1] != '0';
    if (nr->ng == 1)
        return nr->nd == 11 && nr->d[0] == '1' && nr->d[1] >= '3';
    return nr->nd == 10 && nr->d[0] >= '6';
}

/* "SSN", "SSN #:", "social security number:" just before a number, on the same line. */
/* One of `words` (lower case), as a word of its own, in the 40 bytes before `start` on its
 * line ("sin" is not in "using"). */
static int near_word(const unsigned char *t, size_t start, const char *const *words, size_t nw)
{
    unsigned char low[40];
    size_t n = 0;
    while (n < sizeof(low) && n < start && t[start - 1 - n] != '\n') {
        low[sizeof(low) - 1 - n] = (unsigned char)dt_lc(t[start - 1 - n]);
        n++;
    }
    const unsigned char *b = low + sizeof(low) - n, *e = low + sizeof(low);
    for (size_t i = 0; i < nw; i++) {
        size_t m = strlen(words[i]);
        for (const unsigned char *p = b; (p = memmem(p, (size_t)(e - p), words[i], m)) != NULL;
             p++) {
            if ((p == b || !dt_alpha(p[-1])) && (p + m == e || !dt_alpha(p[m])))
                return 1;
        }
    }
    return 0;
}

#define NEAR(t, start, ...)                                                                        \
    near_word((t), (start), (const char *const[]){__VA_ARGS__},                                    \
              sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

/* Brazil's CPF: two mod-11 check digits; not eleven equal digits. */
static int cpf_ok(const unsigned char *d)
{
    unsigned s1 = 0, s2 = 0;
    int same = 1;
    for (int i = 0; i < 11; i++)
        same &= d[i] == d[0];
    if (same)
        return 0;
    for (int i = 0; i < 9; i++)
        s1 += (unsigned)(d[i] - '0') * (unsigned)(10 - i);
    for (int i = 0; i < 10; i++)
        s2 += (unsigned)(d[i] - '0') * (unsigned)(11 - i);
    return (s1 * 10) % 11 % 10 == (unsigned)(d[9] - '0') &&
           (s2 * 10) % 11 % 10 == (unsigned)(d[10] - '0');
}

/* India's Aadhaar: 12 digits, the first 2-9, Verhoeff's check digit. */
static int aadhaar_ok(const unsigned char *d)
{
    static const unsigned char mul[10][10] = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
        {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
        {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
        {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
        {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
    static const unsigned char perm[8][10] = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
        {5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
        {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
        {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
    unsigned c = 0;
    if (d[0] < '2')
        return 0;
    for (int i = 0; i < 12; i++)
        c = mul[c][perm[i % 8][d[11 - i] - '0']];
    return c == 0;
}

/* France's NIR: sex digit 1-4, 7 or 8, then 12 digits and the key 97 - (number mod 97). */
static int nir_ok(const unsigned char *d)
{
    uint64_t v = 0;
    if (strchr("123478", d[0]) == NULL)
        return 0;
    for (int i = 0; i < 13; i++)
        v = v * 10 + (uint64_t)(d[i] - '0');
    return 97 - v % 97 == (uint64_t)((d[13] - '0') * 10 + (d[14] - '0'));
}

/* The Netherlands' BSN: the "elfproef" (weights 9..2, the last digit -1). */
static int bsn_ok(const unsigned char *d)
{
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += (d[i] - '0') * (9 - i);
    sum -= d[8] - '0';
    return sum > 0 && sum % 11 == 0;
}

/*
 * National identity numbers with check digits (kind national_id): a distinctive grouping or
 * the number's name before it. Returns the score, 0 when none.
 */
static unsigned national_id(const unsigned char *t, size_t start, const struct numrun *nr)
{
    const unsigned char *d = nr->d;
    if (nr->paren)
        return 0;
    if (nr->nd == 11 && cpf_ok(d)) {
        if (nr->ng == 4 && nr->gl[0] == 3 && nr->gl[1] == 3 && nr->gl[2] == 3 && nr->gl[3] == 2 &&
            nr->sep[1] == '.' && nr->sep[2] == '.' && nr->sep[3] == '-')
            return 80;
        if (NEAR(t, start, "cpf"))
            return 75;
    }
    if (nr->nd == 12 && aadhaar_ok(d)) {
        int grouped = nr->ng == 3 && nr->gl[0] == 4 && nr->gl[1] == 4 && seps_all(nr, 1, " -");
        if (NEAR(t, start, "aadhaar", "aadhar", "uidai"))
            return 80;
        if (grouped)
            return 45; /* one 4-4-4 run in ten passes Verhoeff: seen, not labelled */
    }
    if (nr->nd == 9 && strchr("0 8", d[0]) == NULL && luhn(d, 9) &&
        NEAR(t, start, "sin", "social insurance", "nas", "assurance sociale"))
        return 80;
    if (nr->nd == 15 && nir_ok(d) &&
        (nr->ng >= 6 || NEAR(t, start, "nir", "insee",
                             "s\xc3\xa9"
                             "curit\xc3\xa9 sociale",
                             "securite sociale", "social security")))
        return 80;
    if (nr->nd == 9 && bsn_ok(d) && NEAR(t, start, "bsn", "burgerservicenummer", "sofinummer"))
        return 80;
    return 0;
}

static int ssn_keyword(const unsigned char *t, size_t start)
{
    unsigned char low[40];
    size_t n = 0;
    while (n < sizeof(low) && n < start && t[start - 1 - n] != '\n') {
        low[sizeof(low) - 1 - n] = (unsigned char)dt_lc(t[start - 1 - n]);
        n++;
    }
    return memmem(low + sizeof(low) - n, n, "ssn", 3) != NULL ||
           memmem(low + sizeof(low) - n, n, "social security", 15) != NULL;
}

/* Words that make a number a code, a version or a reference ("Error 404-12-0001", "build
 * 0412 172 311", "Order #123-45-6789"). */
static const struct word code_words[] = {
    W("error"), W("err"),    W("code"),   W("status"), W("ticket"),  W("case"),
    W("ref"),   W("part"),   W("order"),  W("invoice"), W("version"), W("build"),
    W("release"), W("revision"), W("rev"), W("id"),    W("serial"),  W("item"),
    W("sku"),
};

/* Is the word right before `start` (past spaces, '#', ':', '.', '-', '=') one of `words`? */
static int last_word(const unsigned char *t, size_t start, const struct word *words, size_t nw)
{
    size_t e = start, b;
    while (e > 0 && start - e < 8 &&
           (t[e - 1] == ' ' || t[e - 1] == '#' || t[e - 1] == ':' || t[e - 1] == '.' ||
            t[e - 1] == '-' || t[e - 1] == '=' || t[e - 1] == '\t'))
        e--;
    b = e;
    while (b > 0 && e - b < 16 && dt_alpha(t[b - 1]))
        b--;
    if (b > 0 && (dt_alnum(t[b - 1]) || t[b - 1] == '_'))
        return 0;
    for (size_t i = 0; i < nw; i++)
        if (words[i].n == e - b && has_ci(t + b, e - b, words[i].w))
            return 1;
    return 0;
}

/* "phone", "tel:", "mobile", "call" ... before a number on its line: it is a phone number. */
static int phone_keyword(const unsigned char *t, size_t start)
{
    static const struct word words[] = {
        W("phone"), W("mobile"),       W("cell"),    W("call"),  W("fax"),     W("tel:"), W("tel."),
        W("tel "),  W("whatsapp"),     W("contact"), W("t\xc3\xa9l"), W("telefon"), W("handy"),
        W("mobil"), W("telefoon"),     W("celular"), W("telefone"),   W("tel\xc3\xa9" "fono"),
        /* 手机, 电话, 電話, 携帯 */
        W("\xe6\x89\x8b\xe6\x9c\xba"), W("\xe7\x94\xb5\xe8\xaf\x9d"), W("\xe9\x9b\xbb\xe8\xa9\xb1"),
        W("\xe6\x90\xba\xe5\xb8\xaf"),
    };
    unsigned char low[40];
    size_t n = 0;
    while (n < sizeof(low) && n < start && t[start - 1 - n] != '\n') {
        low[sizeof(low) - 1 - n] = (unsigned char)dt_lc(t[start - 1 - n]);
        n++;
    }
    /* "Mobile app build 0412 172 311": the word right before the number says what it is */
    if (last_word(t, start, code_words, sizeof(code_words) / sizeof(code_words[0])))
        return 0;
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (memmem(low + sizeof(low) - n, n, words[i].w, words[i].n) != NULL)
            return 1;
    return 0;
}

static const char *const card_words[] = {"card",   "credit", "ccnum", "cc_num", "cc_no",
                                         "ccno",   "\"pan\"", ",pan,", "pan_",   "_pan"};

static int card_word(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < sizeof(card_words) / sizeof(card_words[0]); i++)
        if (has_ci(p, n, card_words[i]))
            return 1;
    return 0;
}

/* Does a column or a field name say card: in the text's first line (a CSV header, up to
 * 4 KiB; read once a scan) or in the line up to `start` (up to 256 bytes)? */
static int card_column(struct detect_scratch *s, size_t start)
{
    const unsigned char *t = s->t;
    if (s->card_head < 0) {
        size_t cap = s->len < 4096 ? s->len : 4096;
        const unsigned char *nl = memchr(t, '\n', cap);
        s->card_head = card_word(t, nl ? (size_t)(nl - t) : cap);
    }
    if (s->card_head)
        return 1;
    size_t from = start;
    while (from > 0 && start - from < 256 && t[from - 1] != '\n')
        from--;
    return card_word(t + from, start - from);
}

static size_t v_digits(struct detect_scratch *s, const struct rule *r, size_t to)
{
    const unsigned char *t = s->t;
    size_t i = to - 1, end = to, start;
    struct numrun nr;
    unsigned score = 0;

    while (i > 0 && to - i < 64 && num_class(t[i - 1]))
        i--;
    while (end < s->len && num_class(t[end]))
        end++;
    size_t run_end = end;
    if ((i > 0 && num_class(t[i - 1])) || end - i > 64)
        return end; /* a long run of numbers: not one number */
    start = i;
    while (start < end && !dt_digit(t[start]) && t[start] != '(')
        start++;
    while (end > start && !dt_digit(t[end - 1]))
        end--;
    if (start >= end)
        return run_end;
    if (start == i && i > 0 && t[i - 1] == '+') {
        phone_intl_at(s, r, i - 1);
        return run_end;
    }
    /* glued to a word */
    if (start == i && i > 0 && (dt_alnum(t[i - 1]) || t[i - 1] == '_'))
        return run_end;
    if (end == run_end && end < s->len && (dt_alnum(t[end]) || t[end] == '_'))
        return run_end;
    /* between commas: a list like 1,234 or a field of a CSV row ("1000,4684...,01") */
    bool listed = (start == i && i > 1 && t[i - 1] == ',' && dt_digit(t[i - 2])) ||
                  (end == run_end && end + 1 < s->len && t[end] == ',' && dt_digit(t[end + 1]));
    if (!split_run(t, start, end, &nr))
        return run_end;
    if (listed && nr.ng == 1) {
        /* bare digits among numbers: only a card number stands out (issuer prefix and Luhn),
         * a little less sure than alone; a thousands group is too short to be one */
        if (!(start > 1 && t[start - 1] == '.' && dt_digit(t[start - 2])) &&
            is_card(&nr, &score))
            detect_emit(s, r->families, DETECT_K_CARD_NUMBER,
                        card_column(s, start) ? score - 10 : 40, start, end - start);
        return run_end;
    }
    /* a decimal: "0.4111111111111111" is a fraction, not a card */
    if (start > 1 && t[start - 1] == '.' && dt_digit(t[start - 2]))
        return run_end;
    if (ssn_keyword(t, start) && nr.nd == 9 && !nr.paren && nr.ng <= 3 && ssn_ok(nr.d))
        detect_emit(s, r->families, DETECT_K_US_SSN, 85, start, end - start);
    else if ((score = national_id(t, start, &nr)) != 0)
        detect_emit(s, r->families, DETECT_K_NATIONAL_ID, score, start, end - start);
    else if (is_card(&nr, &score))
        /* "Transaction ID: 3681499173751623": an id that passes Luhn, seen but not labelled */
        detect_emit(s, r->families, DETECT_K_CARD_NUMBER,
                    nr.ng == 1 && last_word(t, start, code_words,
                                            sizeof(code_words) / sizeof(code_words[0]))
                        ? 40
                        : score,
                    start, end - start);
    else if (is_ssn(&nr) && !last_word(t, start, code_words, sizeof(code_words) / sizeof(code_words[0])))
        detect_emit(s, r->families, DETECT_K_US_SSN, 70, start, end - start);
    else if (is_nanp(&nr) || is_fr(&nr))
        detect_emit(s, r->families, DETECT_K_PHONE, phone_keyword(t, start) ? 60 : 40, start,
                    end - start);
    else if (is_uk_de(&nr))
        detect_emit(s, r->families, DETECT_K_PHONE, phone_keyword(t, start) ? 55 : 30, start,
                    end - start);
    else if (is_labelled_national(&nr) && phone_keyword(t, start))
        detect_emit(s, r->families, DETECT_K_PHONE, 55, start, end - start);
    else if (nr.ng > 1) {
        size_t a, k;
        if ((score = card_in_run(&nr, &a, &k)) != 0)
            detect_emit(s, r->families, DETECT_K_CARD_NUMBER, score, nr.go[a],
                        nr.go[a + k - 1] + nr.gl[a + k - 1] - nr.go[a]);
    }
    return run_end;
}

/* ------------------------------------------ two capitals and two digits */

static size_t nino_at(struct detect_scratch *s, const struct rule *r, size_t start)
{
    static const char *const bad[] = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"};
    const unsigned char *t = s->t;
    unsigned char a = t[start], b = t[start + 1];
    size_t p = start + 2;
    if (strchr("DFIQUV", a) || strchr("DFIOQUV", b))
        return 0;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (a == (unsigned char)bad[i][0] && b == (unsigned char)bad[i][1])
            return 0;
    for (int k = 0; k < 6; k++) {
        if (k % 2 == 0 && p < s->len && t[p] == ' ')
            p++;
        if (p >= s->len || !dt_digit(t[p]))
            return 0;
        p++;
    }
    if (p < s->len && t[p] == ' ')
        p++;
    if (p >= s->len || t[p] < 'A' || t[p] > 'D')
        return 0;
    p++;
    if (p < s->len && (dt_alnum(t[p]) || t[p] == '_'))
        return 0;
    detect_emit(s, DETECT_PII, DETECT_K_UK_NINO, 65, start, p - start);
    (void)r;
    return p;
}

static size_t iban_at(struct detect_scratch *s, const struct rule *r, size_t start)
{
    const unsigned char *t = s->t;
    unsigned char c[34];
    size_t n = 0, p, end = 0;
    unsigned rem = 0;
    int want = iban_length(t[start], t[start + 1]);

    if (!want)
        return 0;
    for (p = start; p < s->len && n < (size_t)want;) {
        if (dt_upper(t[p]) || dt_digit(t[p])) {
            c[n++] = t[p++];
            end = p;
        } else if (t[p] == ' ' && n % 4 == 0 && n > 0 && p + 1 < s->len &&
                   (dt_upper(t[p + 1]) || dt_digit(t[p + 1]))) {
            p++;
        } else {
            break;
        }
    }
    if (n != (size_t)want || (end < s->len && dt_alnum(t[end])))
        return 0;
    for (size_t k = 0; k < n; k++) {
        unsigned char ch = c[(k + 4) % n];
        if (dt_digit(ch))
            rem = (rem * 10 + (unsigned)(ch - '0')) % 97;
        else
            rem = (rem * 100 + (unsigned)(ch - 'A' + 10)) % 97;
    }
    if (rem != 1)
        return 0;
    /* the examples the standard and the banks publish: nobody's account */
    static const char *const examples[] = {"DE89370400440532013000", "GB82WEST12345698765432",
                                           "GB29NWBK60161331926819", "FR1420041010050500013M02606",
                                           "NL91ABNA0417164300", "CH9300762011623852957"};
    for (size_t k = 0; k < sizeof(examples) / sizeof(examples[0]); k++)
        if (strlen(examples[k]) == n && memcmp(c, examples[k], n) == 0)
            return end;
    detect_emit(s, r->families, DETECT_K_IBAN, r->score, start, end - start);
    return end;
}

static size_t v_letters(struct detect_scratch *s, const struct rule *r, size_t to)
{
    const unsigned char *t = s->t;
    size_t start = to >= 5 && t[to - 3] == ' ' ? to - 5 : to - 4, e;
    if (!dt_upper(t[start]) || !dt_upper(t[start + 1]))
        return to;
    if (start > 0 && (dt_alnum(t[start - 1]) || t[start - 1] == '_'))
        return to;
    e = nino_at(s, r, start);
    if (e == 0)
        e = iban_at(s, r, start);
    return e > to ? e : to;
}

size_t detect_verify(struct detect_scratch *s, const struct rule *r, size_t from, size_t to)
{
    switch (r->vfy) {
    case V_TOKEN:
        return v_token(s, r, from, to);
    case V_AWS_ID:
        return v_aws_id(s, r, to);
    case V_B64_VALUE:
        return v_b64_value(s, r, to);
    case V_PEM:
        return v_pem(s, r, from, to);
    case V_JWT:
        return v_jwt(s, r, from, to);
    case V_GENERIC:
        return v_generic(s, r, to);
    case V_EMAIL:
        return v_email(s, r, to);
    case V_DIGITS:
        return v_digits(s, r, to);
    case V_LETTERS:
        return v_letters(s, r, to);
    default:
        return detect_verify_web(s, r, from, to);
    }
}
