/*
 * token.h - signed agent tokens: "st1.<header>.<claims>.<sig>", each part base64url.
 *
 * header = {"alg":"hmac-sha256"|"ed25519","kid":KID}; claims = {"sub","roles","aud","iat",
 * "nbf"?,"exp","jti"}; sig = HMAC-SHA256 (32 bytes) or Ed25519 (64 bytes) over the ASCII
 * bytes "st1.<header>.<claims>". The verifier is pinned to one scheme by configuration and
 * refuses a token naming another alg before touching any key, so an Ed25519 public key can
 * never be used as an HMAC secret. Byte-level format and rejections: docs/keys.md. Pure.
 */
#ifndef SENTINEL_SEAL_TOKEN_H
#define SENTINEL_SEAL_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "seal/key.h"

#define SEAL_TOKEN_MAX 8192 /* bytes in a token; longer is malformed */
#define SEAL_TOKEN_BUF (SEAL_TOKEN_MAX + 1)
#define SEAL_IDENT_MAX 128 /* sub, aud and each role */
#define SEAL_ROLES_MAX 16
#define SEAL_JTI_MAX 64
#define SEAL_TOKEN_MAX_LIFETIME (30ull * 24 * 3600) /* exp - iat at most: 30 days */
#define SEAL_TOKEN_SKEW_S 60                        /* clock skew tolerated on iat, nbf and exp */
#define SEAL_DEFAULT_AUDIENCE "sentinel"

/* What a caller asks to be minted. */
struct seal_token_claims {
    const char *sub;          /* agent id: 1..128 bytes, no control characters or commas */
    const char *const *roles; /* 0..16 roles, same rule, no duplicates */
    size_t nroles;
    const char *aud; /* NULL = "sentinel" */
    uint64_t iat;    /* issued at, Unix seconds */
    uint64_t nbf;    /* not before; 0 = not in the token */
    uint64_t exp;    /* expires at; iat < exp <= iat + SEAL_TOKEN_MAX_LIFETIME */
};

/* What a verified token says. Self-contained (role_ptrs point into roles): do not copy it. */
struct seal_token_info {
    int scheme; /* SEAL_SCHEME_* of the header */
    char kid[SEAL_KID_MAX + 1];
    char sub[SEAL_IDENT_MAX + 1];
    char aud[SEAL_IDENT_MAX + 1];
    char roles[SEAL_ROLES_MAX][SEAL_IDENT_MAX + 1];
    const char *role_ptrs[SEAL_ROLES_MAX];
    size_t nroles;
    uint64_t iat, nbf, exp; /* nbf 0 = absent */
    char jti[SEAL_JTI_MAX + 1];
};

/* True when s[0..n) is a valid agent id, role or audience: 1..SEAL_IDENT_MAX bytes of
 * valid UTF-8 without a comma or a character term_unsafe() names. */
int seal_ident_valid(const char *s, size_t n);

/* NULL when s[0..n) is valid, else what is wrong with it, completing "it ..." (written to
 * why[0..cap) or a constant). */
const char *seal_ident_problem(const char *s, size_t n, char *why, size_t cap);

/*
 * Mint a token signed by k: an hmac key signs hmac-sha256, an ed25519-secret key ed25519; a
 * public key cannot sign (SEAL_EKEY). The claims are checked by the verifier's rules; jti is
 * 16 random bytes. Writes the NUL-terminated token into out (cap >= SEAL_TOKEN_BUF always
 * suffices). 0 or a negative code with a message in err.
 */
int seal_token_mint(const struct seal_key *k, const struct seal_token_claims *c, char *out,
                    size_t cap, char *err, size_t errlen);

/*
 * Verify tok[0..len) for `audience` (NULL = "sentinel") at time `now`, with the keys of kr
 * serving `scheme` (SEAL_SCHEME_*, pinned by configuration). Checked in this order, each
 * with its own code and a message in err:
 *   SEAL_EMALFORMED  syntax, base64url, header JSON, signature length, > SEAL_TOKEN_MAX bytes
 *   SEAL_EVERSION    a prefix "stN." other than st1
 *   SEAL_EDOWNGRADE  header alg is not `scheme` (no key is looked at)
 *   SEAL_EUNKNOWNKID no key of that id serving `scheme`
 *   SEAL_EBADSIG     signature or MAC does not verify
 *   SEAL_ECLAIMS     claims not JSON, missing, unknown, of the wrong type or invalid
 *   SEAL_ELIFETIME   exp - iat beyond SEAL_TOKEN_MAX_LIFETIME
 *   SEAL_EEXPIRED    now >= exp + skew
 *   SEAL_ENOTYET     iat or nbf later than now + skew
 *   SEAL_EAUDIENCE   aud is not `audience`
 * info (may be NULL) is filled on success only. err may be NULL.
 */
int seal_token_verify(const struct seal_keyring *kr, int scheme, const char *audience,
                      const char *tok, size_t len, uint64_t now, struct seal_token_info *info,
                      char *err, size_t errlen);

#endif
