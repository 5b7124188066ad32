/*
 * chain.c - SHA-256 record hashes and checkpoint signatures for the audit log.
 */
#include "seal/chain.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "seal/key.h"


static void to_hex(const unsigned char h[crypto_hash_sha256_BYTES], char out[CHAIN_HEX + 1])
{
    static const char hex[] = "0123456789abcdef"; /* not secret: no constant-time hex needed */
    for (size_t i = 0; i < crypto_hash_sha256_BYTES; i++) {
        out[2 * i] = hex[h[i] >> 4];
        out[2 * i + 1] = hex[h[i] & 15];
    }
    out[CHAIN_HEX] = '\0';
}

void seal_chain_hash(const void *data, size_t len, char out[CHAIN_HEX + 1])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    to_hex(h, out);
}

_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(((struct seal_chain_prefix *)0)->state),
               "seal_chain_prefix.state too small");

void seal_chain_prefix_init(struct seal_chain_prefix *cp, const void *prefix, size_t len)
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    cp->absorbed = len - len % 64; /* whole blocks only: the state then buffers nothing */
    crypto_hash_sha256_update(&st, prefix, cp->absorbed);
    memcpy(cp->state, &st, sizeof(st));
}

void seal_chain_hash_prefixed(const struct seal_chain_prefix *cp, const void *data, size_t len,
                              char out[CHAIN_HEX + 1])
{
    crypto_hash_sha256_state st;
    unsigned char h[crypto_hash_sha256_BYTES];
    memcpy(&st, cp->state, sizeof(st));
    crypto_hash_sha256_update(&st, (const unsigned char *)data + cp->absorbed, len - cp->absorbed);
    crypto_hash_sha256_final(&st, h);
    to_hex(h, out);
}

const char *seal_chain_alg(const struct seal_key *k)
{
    switch (k->type) {
    case SEAL_KEY_HMAC:
        return "hmac-sha256";
    case SEAL_KEY_ED25519_SECRET:
    case SEAL_KEY_ED25519_PUBLIC:
        return "ed25519";
    }
    return NULL;
}

size_t seal_checkpoint_msg(char *out, size_t cap, const char *alg, const char *kid,
                           uint64_t head_seq, const char *head, const char *reason, bool final,
                           const char *time)
{
    int n = reason != NULL && time != NULL
                ? snprintf(out, cap, "sentinel-checkpoint v3 %s %s %" PRIu64 " %s %s %d %s", alg,
                           kid, head_seq, head, reason, final ? 1 : 0, time)
            : reason != NULL
                ? snprintf(out, cap, "sentinel-checkpoint v2 %s %s %" PRIu64 " %s %s %d", alg,
                           kid, head_seq, head, reason, final ? 1 : 0)
                : snprintf(out, cap, "sentinel-checkpoint v1 %s %s %" PRIu64 " %s", alg, kid,
                           head_seq, head);
    return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

int seal_checkpoint_sign(const struct seal_key *k, const char *msg, size_t len,
                         char sig[CHAIN_SIG_MAX + 1])
{
    unsigned char raw[crypto_sign_BYTES];
    size_t rawlen;
    if (k->type == SEAL_KEY_HMAC && k->secret_len == crypto_auth_hmacsha256_KEYBYTES) {
        crypto_auth_hmacsha256(raw, (const unsigned char *)msg, len, k->secret);
        rawlen = crypto_auth_hmacsha256_BYTES;
    } else if (k->type == SEAL_KEY_ED25519_SECRET && k->secret_len == crypto_sign_SECRETKEYBYTES) {
        crypto_sign_detached(raw, NULL, (const unsigned char *)msg, len, k->secret);
        rawlen = crypto_sign_BYTES;
    } else {
        return -1;
    }
    seal_b64url_encode(sig, CHAIN_SIG_MAX + 1, raw, rawlen);
    sodium_memzero(raw, sizeof(raw));
    return 0;
}

int seal_checkpoint_verify(const struct seal_key *k, const char *msg, size_t len, const char *sig,
                           size_t siglen)
{
    unsigned char raw[crypto_sign_BYTES];
    size_t rawlen = 0;
    if (seal_b64url_decode(raw, sizeof(raw), &rawlen, sig, siglen) < 0)
        return -1;
    if (k->type == SEAL_KEY_HMAC) {
        if (rawlen != crypto_auth_hmacsha256_BYTES ||
            k->secret_len != crypto_auth_hmacsha256_KEYBYTES)
            return -1;
        return crypto_auth_hmacsha256_verify(raw, (const unsigned char *)msg, len, k->secret) == 0
                   ? 0
                   : -1;
    }
    if (k->type == SEAL_KEY_ED25519_SECRET || k->type == SEAL_KEY_ED25519_PUBLIC) {
        if (rawlen != crypto_sign_BYTES)
            return -1;
        return crypto_sign_verify_detached(raw, (const unsigned char *)msg, len, k->pk) == 0 ? 0
                                                                                           : -1;
    }
    return -1;
}
