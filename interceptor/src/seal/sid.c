/*
 * sid.c - minting and verifying signed session ids (format in sid.h and docs/keys.md).
 * Exists so a session id cannot be forged or replayed past its expiry by whoever sees one.
 * Must never compare MACs with memcmp or return before the MAC is computed on a well-formed
 * id, whether or not its key id is known.
 */
#include "seal/sid.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "base/err.h"

#define PAYLOAD_FIXED (SEAL_SID_NONCE + 8 + 8 + 1)
#define PAYLOAD_MAX (PAYLOAD_FIXED + SEAL_KID_MAX)
#define MAC_BYTES crypto_auth_hmacsha256_BYTES


void seal_fmt_time(uint64_t t, char *out, size_t cap)
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (t > (uint64_t)253402300799ull || gmtime_r(&tt, &tm) == NULL ||
        strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, cap, "@%llu", (unsigned long long)t); /* beyond year 9999 */
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

static uint64_t get64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

int seal_sid_mint(const struct seal_key *k, uint64_t now, uint64_t ttl_s, char *out, size_t cap)
{
    if (out != NULL && cap > 0)
        out[0] = '\0';
    if (k == NULL || k->type != SEAL_KEY_HMAC || k->secret == NULL ||
        k->secret_len != crypto_auth_hmacsha256_KEYBYTES || out == NULL)
        return -EINVAL;
    size_t kidlen = strlen(k->kid);
    if (!seal_kid_valid(k->kid, kidlen) || ttl_s == 0 || ttl_s > SEAL_SID_MAX_TTL ||
        now > UINT64_MAX - ttl_s)
        return -EINVAL;
    if (seal_init() < 0)
        return -EIO;
    unsigned char payload[PAYLOAD_MAX];
    randombytes_buf(payload, SEAL_SID_NONCE);
    put64(payload + SEAL_SID_NONCE, now);
    put64(payload + SEAL_SID_NONCE + 8, now + ttl_s);
    payload[SEAL_SID_NONCE + 16] = (unsigned char)kidlen;
    memcpy(payload + PAYLOAD_FIXED, k->kid, kidlen);
    size_t plen = PAYLOAD_FIXED + kidlen;

    char text[SEAL_SID_BUF];
    memcpy(text, "v1.", 3);
    size_t n = 3 + seal_b64url_encode(text + 3, sizeof(text) - 3, payload, plen);
    unsigned char mac[MAC_BYTES];
    crypto_auth_hmacsha256(mac, (const unsigned char *)text, n, k->secret);
    text[n++] = '.';
    n += seal_b64url_encode(text + n, sizeof(text) - n, mac, sizeof(mac));
    if (n + 1 > cap)
        return -ENOBUFS;
    memcpy(out, text, n + 1);
    return 0;
}

int seal_sid_verify(const struct seal_keyring *kr, const char *sid, size_t len, uint64_t now,
                    struct seal_sid_info *info, char *err, size_t errlen)
{
    /* a stand-in key for unknown ids, so they cost the same HMAC as known ones */
    static const unsigned char dummy_key[crypto_auth_hmacsha256_KEYBYTES];
    if (info != NULL)
        memset(info, 0, sizeof(*info));
    if (seal_init() < 0)
        return err_set(err, errlen, -EIO, "libsodium does not initialise");
    if (sid == NULL || len == 0)
        return err_set(err, errlen, SEAL_EMALFORMED, "empty session id");
    if (len > SEAL_SID_MAX)
        return err_set(err, errlen, SEAL_EMALFORMED, "session id longer than %d bytes", SEAL_SID_MAX);
    if (len < 3 || memcmp(sid, "v1.", 3) != 0) {
        size_t d = 1;
        while (d < len && sid[d] >= '0' && sid[d] <= '9')
            d++;
        if (len > 2 && sid[0] == 'v' && d > 1 && d < len && sid[d] == '.')
            return err_set(err, errlen, SEAL_EVERSION, "session id version '%.*s' is not v1",
                        (int)(d > 12 ? 12 : d), sid);
        return err_set(err, errlen, SEAL_EMALFORMED, "not a session id (v1.PAYLOAD.MAC)");
    }
    const char *p = sid + 3, *end = sid + len;
    const char *dot = memchr(p, '.', (size_t)(end - p));
    if (dot == NULL)
        return err_set(err, errlen, SEAL_EMALFORMED, "session id without a MAC");
    unsigned char payload[PAYLOAD_MAX], mac[MAC_BYTES];
    size_t plen = 0, mlen = 0;
    if (seal_b64url_decode(payload, sizeof(payload), &plen, p, (size_t)(dot - p)) != 0 ||
        plen < PAYLOAD_FIXED + 1)
        return err_set(err, errlen, SEAL_EMALFORMED, "session id payload is not valid");
    size_t kidlen = payload[SEAL_SID_NONCE + 16];
    const char *kid = (const char *)payload + PAYLOAD_FIXED;
    if (plen != PAYLOAD_FIXED + kidlen || !seal_kid_valid(kid, kidlen))
        return err_set(err, errlen, SEAL_EMALFORMED, "session id payload is not valid");
    if (seal_b64url_decode(mac, sizeof(mac), &mlen, dot + 1, (size_t)(end - dot - 1)) != 0 ||
        mlen != MAC_BYTES)
        return err_set(err, errlen, SEAL_EMALFORMED, "session id MAC is not valid");

    const struct seal_key *k = seal_keyring_find(kr, kid, kidlen);
    int known = k != NULL && k->type == SEAL_KEY_HMAC && k->secret != NULL;
    /* constant time in the MAC: libsodium's verify compares all 32 bytes */
    int bad = crypto_auth_hmacsha256_verify(mac, (const unsigned char *)sid, (size_t)(dot - sid),
                                            known ? k->secret : dummy_key);
    if (!known)
        return err_set(err, errlen, SEAL_EUNKNOWNKID, "session id signed with unknown key '%.*s'",
                    (int)kidlen, kid);
    if (bad != 0)
        return err_set(err, errlen, SEAL_EBADSIG,
                    "session id MAC does not verify (forged or "
                    "altered)");

    uint64_t iat = get64(payload + SEAL_SID_NONCE), exp = get64(payload + SEAL_SID_NONCE + 8);
    if (info != NULL) {
        memcpy(info->nonce, payload, SEAL_SID_NONCE);
        info->iat = iat;
        info->exp = exp;
        memcpy(info->kid, kid, kidlen);
        info->kid[kidlen] = '\0';
    }
    char when[40];
    if (exp <= iat)
        return err_set(err, errlen, SEAL_EMALFORMED, "session id expires before it was issued");
    if (now >= exp) {
        seal_fmt_time(exp, when, sizeof(when));
        return err_set(err, errlen, SEAL_EEXPIRED, "session id expired at %s", when);
    }
    if (iat > now && iat - now > SEAL_CLOCK_SKEW_S) {
        seal_fmt_time(iat, when, sizeof(when));
        return err_set(err, errlen, SEAL_ENOTYET, "session id issued in the future (%s)", when);
    }
    return 0;
}
