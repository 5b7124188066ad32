/*
 * token.c - minting and verifying agent tokens (format in token.h and docs/keys.md).
 * Exists so an agent's identity and roles come signed by whoever holds the key, not asserted
 * by whoever launches the process. Must never pick the algorithm from the token: the scheme
 * is pinned by the caller and checked before any key is looked up; claims are parsed only
 * once the signature verified, with the project's strict JSON parser.
 */
#include "seal/token.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/term.h"
#include "mcp/json.h"
#include "seal/sid.h"

#define HEADER_MAX 256                  /* decoded header bytes */
#define CLAIMS_MAX 6144                 /* decoded claims bytes */
#define SAFE_INT_MAX ((1ull << 53) - 1) /* times are JSON integers a JavaScript peer reads */
#define JTI_BYTES 16


const char *seal_ident_problem(const char *s, size_t n, char *why, size_t cap)
{
    if (s == NULL || n == 0)
        return "is empty";
    if (n > SEAL_IDENT_MAX) {
        snprintf(why, cap, "is %zu bytes long, over %d", n, SEAL_IDENT_MAX);
        return why;
    }
    const char *comma = memchr(s, ',', n);
    if (comma != NULL) {
        snprintf(why, cap, "holds a comma (byte %zu); roles are separated by commas",
                 (size_t)(comma - s) + 1);
        return why;
    }
    /* valid UTF-8 without controls (C0, C1), bidi or invisible characters: an agent id or a
     * role is shown in logs and on terminals */
    uint32_t cp;
    size_t at = term_find_unsafe(s, n, &cp);
    if (at == n)
        return NULL;
    if (cp == UINT32_MAX)
        snprintf(why, cap, "is not valid UTF-8 (byte %zu)", at + 1);
    else
        snprintf(why, cap, "holds U+%04X (byte %zu), a control, bidi or invisible character",
                 (unsigned)cp, at + 1);
    return why;
}

int seal_ident_valid(const char *s, size_t n)
{
    char why[96];
    return seal_ident_problem(s, n, why, sizeof(why)) == NULL;
}

static int jti_valid(const char *s, size_t n)
{
    if (n < 16 || n > SEAL_JTI_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

static const char *alg_name(int scheme)
{
    return scheme == SEAL_SCHEME_HMAC ? "hmac-sha256" : "ed25519";
}

static size_t sig_len(int scheme)
{
    return scheme == SEAL_SCHEME_HMAC ? crypto_auth_hmacsha256_BYTES : crypto_sign_BYTES;
}

/* ---- claims -------------------------------------------------------------------------- */

/* Copy string member `name` of the root into dst (cap SEAL_IDENT_MAX+1 or SEAL_JTI_MAX+1)
 * after checking it: an identity (`ident`) or a jti. */
static int claim_str(struct json_doc *doc, struct buf *scratch, const char *name, char *dst,
                     int ident, char *err, size_t errlen)
{
    uint32_t n = json_get(doc, 0, name, strlen(name));
    if (n == 0)
        return err_set(err, errlen, SEAL_ECLAIMS, "claim \"%s\" is missing", name);
    const char *p;
    size_t len;
    if (doc->nodes[n].type != JSON_STRING || json_str(doc, n, scratch, &p, &len) < 0)
        return err_set(err, errlen, SEAL_ECLAIMS, "claim \"%s\" must be a string", name);
    char why[96];
    const char *bad = ident ? seal_ident_problem(p, len, why, sizeof(why))
                            : jti_valid(p, len) ? NULL
                                                : "is not 16..64 of A-Z a-z 0-9 _ -";
    if (bad != NULL)
        return err_set(err, errlen, SEAL_ECLAIMS, "claim \"%s\" is not valid: it %s", name,
                       bad);
    memcpy(dst, p, len);
    dst[len] = '\0';
    return 0;
}

static int claim_time(struct json_doc *doc, const char *name, int required, uint64_t *out,
                      char *err, size_t errlen)
{
    *out = 0;
    uint32_t n = json_get(doc, 0, name, strlen(name));
    if (n == 0)
        return required ? err_set(err, errlen, SEAL_ECLAIMS, "claim \"%s\" is missing", name) : 0;
    int64_t v;
    if (doc->nodes[n].type != JSON_NUMBER || doc->text[doc->nodes[n].start] == '-' ||
        json_int(doc, n, &v) < 0 || v < 0 || (uint64_t)v > SAFE_INT_MAX)
        return err_set(err, errlen, SEAL_ECLAIMS,
                    "claim \"%s\" must be an integer number of seconds (0 .. 2^53-1)", name);
    *out = (uint64_t)v;
    return 0;
}

/*
 * Parse and check claims text[0..len) into info (times, strings, roles). Everything but
 * the clock and the audience: those are the caller's. 0 or SEAL_ECLAIMS / SEAL_ELIFETIME.
 */
static int parse_claims(const char *text, size_t len, struct seal_token_info *info, char *err,
                        size_t errlen)
{
    static const char *const known[] = {"sub", "roles", "aud", "iat", "nbf", "exp", "jti"};
    struct json_doc doc;
    struct buf scratch;
    struct diag d = {0};
    int rc;
    json_doc_init(&doc, 4, 64);
    buf_init(&scratch, CLAIMS_MAX);
    if (json_parse(&doc, text, len, 2, &d) < 0) {
        rc = err_set(err, errlen, SEAL_ECLAIMS, "claims are not valid JSON: %s", d.msg);
        goto out;
    }
    if (doc.nodes[0].type != JSON_OBJECT) {
        rc = err_set(err, errlen, SEAL_ECLAIMS, "claims are not a JSON object");
        goto out;
    }
    if (doc.truncated) {
        rc = err_set(err, errlen, SEAL_ECLAIMS, "claims hold too many values");
        goto out;
    }
    size_t found = 0;
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        found += json_get(&doc, 0, known[i], strlen(known[i])) != 0;
    if (found != doc.nodes[0].nchild) {
        rc = err_set(err, errlen, SEAL_ECLAIMS,
                  "claims hold an unknown member (known: sub, "
                  "roles, aud, iat, nbf, exp, jti)");
        goto out;
    }
    if ((rc = claim_str(&doc, &scratch, "sub", info->sub, 1, err, errlen)) < 0 ||
        (rc = claim_str(&doc, &scratch, "aud", info->aud, 1, err, errlen)) < 0 ||
        (rc = claim_str(&doc, &scratch, "jti", info->jti, 0, err, errlen)) < 0 ||
        (rc = claim_time(&doc, "iat", 1, &info->iat, err, errlen)) < 0 ||
        (rc = claim_time(&doc, "nbf", 0, &info->nbf, err, errlen)) < 0 ||
        (rc = claim_time(&doc, "exp", 1, &info->exp, err, errlen)) < 0)
        goto out;
    uint32_t r = json_getz(&doc, 0, "roles");
    if (r == 0) {
        rc = err_set(err, errlen, SEAL_ECLAIMS, "claim \"roles\" is missing");
        goto out;
    }
    if (doc.nodes[r].type != JSON_ARRAY) {
        rc = err_set(err, errlen, SEAL_ECLAIMS, "claim \"roles\" must be an array of strings");
        goto out;
    }
    if (doc.nodes[r].nchild > SEAL_ROLES_MAX) {
        rc = err_set(err, errlen, SEAL_ECLAIMS, "claim \"roles\" holds more than %d roles",
                  SEAL_ROLES_MAX);
        goto out;
    }
    info->nroles = 0;
    for (uint32_t c = json_first(&doc, r); c != 0; c = doc.nodes[c].next) {
        const char *p;
        size_t n;
        if (doc.nodes[c].type != JSON_STRING || json_str(&doc, c, &scratch, &p, &n) < 0) {
            rc = err_set(err, errlen, SEAL_ECLAIMS, "claim \"roles\" must be an array of strings");
            goto out;
        }
        char why[96];
        const char *bad = seal_ident_problem(p, n, why, sizeof(why));
        if (bad != NULL) {
            rc = err_set(err, errlen, SEAL_ECLAIMS, "role %zu is not valid: it %s",
                         info->nroles + 1, bad);
            goto out;
        }
        for (size_t j = 0; j < info->nroles; j++) {
            if (strlen(info->roles[j]) == n && memcmp(info->roles[j], p, n) == 0) {
                rc = err_set(err, errlen, SEAL_ECLAIMS, "role '%.*s' is listed twice", (int)n, p);
                goto out;
            }
        }
        memcpy(info->roles[info->nroles], p, n);
        info->roles[info->nroles][n] = '\0';
        info->role_ptrs[info->nroles] = info->roles[info->nroles];
        info->nroles++;
    }
    if (info->nroles != doc.nodes[r].nchild) { /* not every element indexed */
        rc = err_set(err, errlen, SEAL_ECLAIMS, "claim \"roles\" could not be read");
        goto out;
    }
    if (info->exp <= info->iat) {
        rc = err_set(err, errlen, SEAL_ECLAIMS, "claim \"exp\" is not after \"iat\"");
        goto out;
    }
    if (info->nbf != 0 && info->nbf >= info->exp) {
        rc = err_set(err, errlen, SEAL_ECLAIMS, "claim \"nbf\" is not before \"exp\"");
        goto out;
    }
    if (info->exp - info->iat > SEAL_TOKEN_MAX_LIFETIME) {
        rc = err_set(err, errlen, SEAL_ELIFETIME,
                  "token lifetime %llu s exceeds the maximum of "
                  "%llu s (30 days)",
                  (unsigned long long)(info->exp - info->iat),
                  (unsigned long long)SEAL_TOKEN_MAX_LIFETIME);
        goto out;
    }
    rc = 0;
out:
    buf_cleanup(&scratch);
    json_doc_cleanup(&doc);
    return rc;
}

/* ---- header ------------------------------------------------------------------------- */

/* Parse header text into alg name and kid. 0 or SEAL_EMALFORMED. */
static int parse_header(const char *text, size_t len, char *alg, size_t algcap, char *kid,
                        char *err, size_t errlen)
{
    struct json_doc doc;
    struct buf scratch;
    struct diag d = {0};
    int rc = SEAL_EMALFORMED;
    json_doc_init(&doc, 2, 8);
    buf_init(&scratch, HEADER_MAX);
    const char *p;
    size_t n;
    uint32_t a, k;
    if (json_parse(&doc, text, len, 1, &d) < 0 || doc.nodes[0].type != JSON_OBJECT ||
        doc.truncated) {
        rc = err_set(err, errlen, SEAL_EMALFORMED, "token header is not a JSON object%s%s",
                  d.msg[0] ? ": " : "", d.msg);
        goto out;
    }
    a = json_getz(&doc, 0, "alg");
    k = json_getz(&doc, 0, "kid");
    if (a == 0 || k == 0 || doc.nodes[0].nchild != 2 || doc.nodes[a].type != JSON_STRING ||
        doc.nodes[k].type != JSON_STRING) {
        rc = err_set(err, errlen, SEAL_EMALFORMED,
                  "token header must be exactly {\"alg\": string, \"kid\": string}");
        goto out;
    }
    if (json_str(&doc, a, &scratch, &p, &n) < 0 || n == 0 || n >= algcap ||
        memchr(p, '\0', n) != NULL) {
        rc = err_set(err, errlen, SEAL_EMALFORMED, "token header alg is not valid");
        goto out;
    }
    memcpy(alg, p, n);
    alg[n] = '\0';
    if (json_str(&doc, k, &scratch, &p, &n) < 0 || !seal_kid_valid(p, n)) {
        rc = err_set(err, errlen, SEAL_EMALFORMED,
                  "token header kid is not valid (1..%d of A-Z "
                  "a-z 0-9 . _ -)",
                  SEAL_KID_MAX);
        goto out;
    }
    memcpy(kid, p, n);
    kid[n] = '\0';
    rc = 0;
out:
    buf_cleanup(&scratch);
    json_doc_cleanup(&doc);
    return rc;
}

/* Printable copy of an alg name for messages (it came from the token). */
static void printable(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
            *s = '?';
}

/* ---- verify ------------------------------------------------------------------------- */

int seal_token_verify(const struct seal_keyring *kr, int scheme, const char *audience,
                      const char *tok, size_t len, uint64_t now, struct seal_token_info *info,
                      char *err, size_t errlen)
{
    struct seal_token_info tmp;
    memset(&tmp, 0, sizeof(tmp));
    if (info != NULL)
        memset(info, 0, sizeof(*info));
    if (scheme != SEAL_SCHEME_HMAC && scheme != SEAL_SCHEME_ED25519)
        return err_set(err, errlen, -EINVAL, "no pinned scheme");
    if (audience == NULL)
        audience = SEAL_DEFAULT_AUDIENCE;
    if (seal_init() < 0)
        return err_set(err, errlen, -EIO, "libsodium does not initialise");
    if (tok == NULL || len == 0)
        return err_set(err, errlen, SEAL_EMALFORMED, "empty token");
    if (len > SEAL_TOKEN_MAX)
        return err_set(err, errlen, SEAL_EMALFORMED, "token longer than %d bytes", SEAL_TOKEN_MAX);
    size_t blank = 0; /* tok[0..len) need not be NUL-terminated */
    while (blank < len && tok[blank] != ' ' && tok[blank] != '\t' && tok[blank] != '\r' &&
           tok[blank] != '\n')
        blank++;
    if (blank < len) /* e.g. the newline of a file read with $(cat ...) kept by another tool */
        return err_set(err, errlen, SEAL_EMALFORMED,
                       "the token holds whitespace (%s at byte %zu of %zu); a token has none: "
                       "strip line ends and spaces",
                       tok[blank] == '\n'   ? "a newline"
                       : tok[blank] == '\r' ? "a carriage return"
                       : tok[blank] == '\t' ? "a tab"
                                            : "a space",
                       blank + 1, len);
    if (len < 4 || memcmp(tok, "st1.", 4) != 0) {
        size_t d = 2;
        while (d < len && tok[d] >= '0' && tok[d] <= '9')
            d++;
        if (len > 3 && tok[0] == 's' && tok[1] == 't' && d > 2 && d < len && tok[d] == '.')
            return err_set(err, errlen, SEAL_EVERSION, "token version '%.*s' is not st1",
                        (int)(d > 12 ? 12 : d), tok);
        return err_set(err, errlen, SEAL_EMALFORMED,
                    "not a sentinel agent token "
                    "(st1.HEADER.CLAIMS.SIGNATURE)");
    }
    const char *end = tok + len, *h = tok + 4;
    const char *d1 = memchr(h, '.', (size_t)(end - h));
    const char *d2 = d1 ? memchr(d1 + 1, '.', (size_t)(end - d1 - 1)) : NULL;
    if (d1 == NULL || d2 == NULL || memchr(d2 + 1, '.', (size_t)(end - d2 - 1)) != NULL ||
        d1 == h || d2 == d1 + 1 || d2 + 1 == end)
        return err_set(err, errlen, SEAL_EMALFORMED,
                    "token must have four parts: st1.HEADER.CLAIMS.SIGNATURE");

    /* header: alg and kid */
    unsigned char hdr[HEADER_MAX];
    size_t hlen = 0;
    if (seal_b64url_decode(hdr, sizeof(hdr), &hlen, h, (size_t)(d1 - h)) != 0)
        return err_set(err, errlen, SEAL_EMALFORMED,
                    "token header is not base64url (or longer "
                    "than %d bytes)",
                    HEADER_MAX);
    char alg[32];
    int rc = parse_header((const char *)hdr, hlen, alg, sizeof(alg), tmp.kid, err, errlen);
    if (rc < 0)
        return rc;

    /* the pin, before any key is touched */
    if (strcmp(alg, alg_name(scheme)) != 0) {
        int other = strcmp(alg, "hmac-sha256") == 0 || strcmp(alg, "ed25519") == 0;
        printable(alg);
        return err_set(err, errlen, SEAL_EDOWNGRADE, "token alg '%s' is not the pinned %s%s", alg,
                    alg_name(scheme), other ? " (downgrade refused)" : " (unknown algorithm)");
    }
    tmp.scheme = scheme;

    const struct seal_key *k = seal_keyring_find(kr, tmp.kid, strlen(tmp.kid));
    if (k == NULL)
        return err_set(err, errlen, SEAL_EUNKNOWNKID, "token signed with unknown key '%s'", tmp.kid);
    if (seal_key_scheme(k) != scheme)
        return err_set(err, errlen, SEAL_EUNKNOWNKID, "token key '%s' (%s) cannot verify %s", tmp.kid,
                    seal_key_type_name(k->type), alg_name(scheme));

    unsigned char sig[crypto_sign_BYTES];
    size_t slen = 0;
    if (seal_b64url_decode(sig, sizeof(sig), &slen, d2 + 1, (size_t)(end - d2 - 1)) != 0 ||
        slen != sig_len(scheme))
        return err_set(err, errlen, SEAL_EMALFORMED,
                    "token signature is not %zu bytes of "
                    "base64url",
                    sig_len(scheme));
    const unsigned char *msg = (const unsigned char *)tok;
    size_t mlen = (size_t)(d2 - tok);
    int bad;
    if (scheme == SEAL_SCHEME_HMAC)
        bad = k->secret == NULL || crypto_auth_hmacsha256_verify(sig, msg, mlen, k->secret) != 0;
    else
        bad = crypto_sign_verify_detached(sig, msg, mlen, k->pk) != 0;
    if (bad)
        return err_set(err, errlen, SEAL_EBADSIG,
                    "token signature does not verify with key '%s' "
                    "(forged or altered)",
                    tmp.kid);

    /* authentic from here: the claims */
    unsigned char cbuf[CLAIMS_MAX];
    size_t clen = 0;
    if (seal_b64url_decode(cbuf, sizeof(cbuf), &clen, d1 + 1, (size_t)(d2 - d1 - 1)) != 0)
        return err_set(err, errlen, SEAL_ECLAIMS,
                    "token claims are not base64url (or longer "
                    "than %d bytes)",
                    CLAIMS_MAX);
    rc = parse_claims((const char *)cbuf, clen, &tmp, err, errlen);
    if (rc < 0)
        return rc;
    char when[40];
    if (now >= tmp.exp && now - tmp.exp >= SEAL_TOKEN_SKEW_S) {
        seal_fmt_time(tmp.exp, when, sizeof(when));
        return err_set(err, errlen, SEAL_EEXPIRED, "expired at %s", when);
    }
    if (tmp.iat > now && tmp.iat - now > SEAL_TOKEN_SKEW_S) {
        seal_fmt_time(tmp.iat, when, sizeof(when));
        return err_set(err, errlen, SEAL_ENOTYET, "issued in the future (%s)", when);
    }
    if (tmp.nbf > now && tmp.nbf - now > SEAL_TOKEN_SKEW_S) {
        seal_fmt_time(tmp.nbf, when, sizeof(when));
        return err_set(err, errlen, SEAL_ENOTYET, "not valid before %s", when);
    }
    if (strcmp(tmp.aud, audience) != 0)
        return err_set(err, errlen, SEAL_EAUDIENCE, "meant for audience '%s', not '%s'", tmp.aud,
                    audience);
    if (info != NULL) {
        memcpy(info, &tmp, sizeof(tmp));
        for (size_t i = 0; i < info->nroles; i++)
            info->role_ptrs[i] = info->roles[i];
    }
    return 0;
}

/* ---- mint --------------------------------------------------------------------------- */

int seal_token_mint(const struct seal_key *k, const struct seal_token_claims *c, char *out,
                    size_t cap, char *err, size_t errlen)
{
    if (out != NULL && cap > 0)
        out[0] = '\0';
    if (k == NULL || c == NULL || out == NULL)
        return err_set(err, errlen, -EINVAL, "no key or claims");
    if (seal_init() < 0)
        return err_set(err, errlen, -EIO, "libsodium does not initialise");
    if (k->type == SEAL_KEY_ED25519_PUBLIC || k->secret == NULL)
        return err_set(err, errlen, SEAL_EKEY,
                    "key '%s' is a public key: minting needs the "
                    "secret key",
                    k->kid);
    int scheme = seal_key_scheme(k);
    if (scheme < 0)
        return err_set(err, errlen, SEAL_EKEY, "key '%s' cannot sign tokens", k->kid);
    if (c->nroles > SEAL_ROLES_MAX)
        return err_set(err, errlen, SEAL_ECLAIMS, "more than %d roles", SEAL_ROLES_MAX);
    const char *aud = c->aud ? c->aud : SEAL_DEFAULT_AUDIENCE;
    char why[96];
    const char *bad;
    if (c->sub == NULL)
        return err_set(err, errlen, SEAL_ECLAIMS, "the agent id is missing");
    if ((bad = seal_ident_problem(c->sub, strlen(c->sub), why, sizeof(why))) != NULL)
        return err_set(err, errlen, SEAL_ECLAIMS, "the agent id is not valid: it %s", bad);
    if ((bad = seal_ident_problem(aud, strlen(aud), why, sizeof(why))) != NULL)
        return err_set(err, errlen, SEAL_ECLAIMS, "the audience is not valid: it %s", bad);
    for (size_t i = 0; i < c->nroles; i++)
        if (c->roles[i] == NULL ||
            (bad = seal_ident_problem(c->roles[i], strlen(c->roles[i]), why, sizeof(why))) != NULL)
            return err_set(err, errlen, SEAL_ECLAIMS, "role %zu is not valid: it %s", i + 1,
                           c->roles[i] == NULL ? "is missing" : bad);
    if (c->iat > SAFE_INT_MAX || c->exp > SAFE_INT_MAX || c->nbf > SAFE_INT_MAX)
        return err_set(err, errlen, SEAL_ECLAIMS, "times beyond 2^53-1 seconds");

    unsigned char jti[JTI_BYTES];
    char jti64[SEAL_B64_LEN(JTI_BYTES) + 1];
    randombytes_buf(jti, sizeof(jti));
    seal_b64url_encode(jti64, sizeof(jti64), jti, sizeof(jti));

    struct buf hj, cj;
    buf_init(&hj, HEADER_MAX);
    buf_init(&cj, CLAIMS_MAX);
    struct seal_token_info check;
    memset(&check, 0, sizeof(check));
    int rc = buf_printf(&hj, "{\"alg\":\"%s\",\"kid\":\"%s\"}", alg_name(scheme), k->kid);
    if (rc == 0)
        rc = buf_append(&cj, "{\"sub\":\"", 8);
    if (rc == 0)
        rc = buf_json_escape(&cj, c->sub, strlen(c->sub));
    if (rc == 0)
        rc = buf_append(&cj, "\",\"roles\":[", 11);
    for (size_t i = 0; rc == 0 && i < c->nroles; i++) {
        rc = buf_append(&cj, i ? ",\"" : "\"", i ? 2 : 1);
        if (rc == 0)
            rc = buf_json_escape(&cj, c->roles[i], strlen(c->roles[i]));
        if (rc == 0)
            rc = buf_putc(&cj, '"');
    }
    if (rc == 0)
        rc = buf_append(&cj, "],\"aud\":\"", 9);
    if (rc == 0)
        rc = buf_json_escape(&cj, aud, strlen(aud));
    if (rc == 0)
        rc = buf_printf(&cj, "\",\"iat\":%llu", (unsigned long long)c->iat);
    if (rc == 0 && c->nbf != 0)
        rc = buf_printf(&cj, ",\"nbf\":%llu", (unsigned long long)c->nbf);
    if (rc == 0)
        rc = buf_printf(&cj, ",\"exp\":%llu,\"jti\":\"%s\"}", (unsigned long long)c->exp, jti64);
    if (rc < 0) {
        rc = err_set(err, errlen, SEAL_ECLAIMS, "claims longer than %d bytes", CLAIMS_MAX);
        goto out;
    }
    /* the verifier's own rules, so a minted token is one that verifies */
    rc = parse_claims(cj.data, cj.len, &check, err, errlen);
    if (rc < 0)
        goto out;

    size_t need =
        4 + SEAL_B64_LEN(hj.len) + 1 + SEAL_B64_LEN(cj.len) + 1 + SEAL_B64_LEN(sig_len(scheme)) + 1;
    if (need > SEAL_TOKEN_BUF || need > cap) {
        rc = err_set(err, errlen, -ENOBUFS, "token would be %zu bytes", need - 1);
        goto out;
    }
    char *text = out;
    size_t n = 4;
    memcpy(text, "st1.", 4);
    n += seal_b64url_encode(text + n, need - n, (const unsigned char *)hj.data, hj.len);
    text[n++] = '.';
    n += seal_b64url_encode(text + n, need - n, (const unsigned char *)cj.data, cj.len);
    unsigned char sig[crypto_sign_BYTES];
    if (scheme == SEAL_SCHEME_HMAC)
        crypto_auth_hmacsha256(sig, (const unsigned char *)text, n, k->secret);
    else
        crypto_sign_detached(sig, NULL, (const unsigned char *)text, n, k->secret);
    text[n++] = '.';
    n += seal_b64url_encode(text + n, need - n, sig, sig_len(scheme));
    rc = 0;
out:
    buf_cleanup(&hj);
    buf_cleanup(&cj);
    return rc;
}
