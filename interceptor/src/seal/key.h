/*
 * key.h - signing keys and keyrings: key files, generated per-run keys, base64url.
 *
 * A keyring is what one key file holds (docs/keys.md): keys[0] signs or mints, every key
 * verifies and is found by its key id, which is how keys rotate. Secret bytes live only in
 * sodium_malloc memory (guard pages, mlock where the limit allows, read-only after load)
 * and are wiped when the keyring is freed. Nothing here prints or logs a secret.
 */
#ifndef SENTINEL_SEAL_KEY_H
#define SENTINEL_SEAL_KEY_H

#include <stddef.h>
#include <stdint.h>

enum seal_key_type { SEAL_KEY_HMAC = 1, SEAL_KEY_ED25519_SECRET = 2, SEAL_KEY_ED25519_PUBLIC = 3 };
#define SEAL_KID_MAX 32
struct seal_key {
    int type;                   /* enum seal_key_type */
    char kid[SEAL_KID_MAX + 1]; /* key id: 1..32 of [A-Za-z0-9._-] */
    unsigned char *secret;      /* sodium_malloc'd, locked, read-only (sodium_mprotect_readonly)
                                   after load: HMAC: 32 bytes; Ed25519 secret:
                                   crypto_sign_SECRETKEYBYTES; public: NULL */
    size_t secret_len;
    unsigned char pk[32]; /* Ed25519 public key (for secret keys derived from it); zero for HMAC */
};
struct seal_keyring {
    struct seal_key *keys; /* malloc'd array; keys[0] is the active (signing/minting) key */
    size_t n;
};

/* The signature schemes a key can serve; a verifier is pinned to exactly one. */
enum seal_scheme { SEAL_SCHEME_HMAC = 1, SEAL_SCHEME_ED25519 = 2 };

#define SEAL_HMAC_KEYBYTES 32
#define SEAL_ED25519_SEEDBYTES 32 /* what an ed25519-secret line holds (RFC 8032 private key) */
#define SEAL_ED25519_PKBYTES 32
#define SEAL_KEYFILE_MAX (64u << 10) /* bytes in a key file */
#define SEAL_KEYRING_MAX 64          /* keys in one keyring */

/* Seal's own error codes (negative, clear of errno and of base/err.h's SE_* range). */
enum seal_err {
    SEAL_EMALFORMED = -4101,  /* not the expected syntax, bad base64url, bad lengths */
    SEAL_EVERSION = -4102,    /* a format version this build does not know */
    SEAL_EDOWNGRADE = -4103,  /* the token's alg is not the pinned scheme */
    SEAL_EUNKNOWNKID = -4104, /* no key with that id (of the pinned scheme) */
    SEAL_EBADSIG = -4105,     /* MAC or signature does not verify */
    SEAL_EEXPIRED = -4106,    /* past its expiry */
    SEAL_ENOTYET = -4107,     /* not yet valid, or issued in the future */
    SEAL_EAUDIENCE = -4108,   /* meant for another audience */
    SEAL_ECLAIMS = -4109,     /* missing, unknown or invalid claims */
    SEAL_ELIFETIME = -4110,   /* valid for longer than allowed */
    SEAL_EKEY = -4111,        /* the key cannot serve this use (public key to sign, wrong type) */
};
/* A short text for a SEAL_E* code, else err_str()'s. Never NULL. */
const char *seal_err_str(int code);

/* sodium_init once; 0 or -1. Every other function here calls it, so it is optional. */
int seal_init(void);

/*
 * Load a key file (format: docs/keys.md). kr is an output: filled on success, left empty
 * ({NULL, 0}) on failure; free it with seal_keyring_free. Secret key files (hmac,
 * ed25519-secret) must be regular files owned by the effective uid with no group/other
 * permission bits (0600 or stricter), otherwise an error naming the mode. A file of only
 * public keys may be readable by anyone, but no key file may be writable by group or others
 * or owned by anyone but the effective uid or root (-EPERM). 0 or negative (-errno,
 * SEAL_EMALFORMED, -EPERM for the mode) with "file:line: message" in err.
 */
int seal_keyring_load(struct seal_keyring *kr, const char *path, char *err, size_t errlen);
/* The same from text already in memory (`name` is used in messages; no permission check,
 * so only for text that did not come from a file, e.g. tests). */
int seal_keyring_parse(struct seal_keyring *kr, const char *text, size_t len, const char *name,
                       char *err, size_t errlen);
/* One fresh random key of `type` (HMAC or ED25519_SECRET) with a random kid, in locked memory
 * (nothing on disk). kr is an output as for seal_keyring_load. */
int seal_keyring_generate(struct seal_keyring *kr, int type, char *err, size_t errlen);
/* Same with a chosen kid (1..32 of [A-Za-z0-9._-]); NULL = random. */
int seal_keyring_generate_kid(struct seal_keyring *kr, int type, const char *kid, char *err,
                              size_t errlen);
/* The key with this id, or NULL. Borrowed from kr. */
const struct seal_key *seal_keyring_find(const struct seal_keyring *kr, const char *kid,
                                         size_t kidlen);
void seal_keyring_free(struct seal_keyring *kr); /* sodium_free (zeroes); kr left empty */

/* The scheme a key serves (hmac keys: HMAC; ed25519 secret and public: ED25519). */
int seal_key_scheme(const struct seal_key *k);
/* The scheme every key of a non-empty ring serves, or SEAL_EKEY when they mix schemes. */
int seal_keyring_scheme(const struct seal_keyring *kr);
/* "hmac-sha256" / "ed25519-secret" / "ed25519-public"; "?" otherwise. */
const char *seal_key_type_name(int type);
/* "hmac-sha256" / "ed25519"; "?" otherwise. */
const char *seal_scheme_name(int scheme);
/* True when s[0..n) is a valid key id. */
int seal_kid_valid(const char *s, size_t n);

/*
 * One key line of a key file, "sentinel-key v1 <type> <kid> <base64url>\n", for key k
 * (public = 1: the public line of an Ed25519 secret key). Written into out (cap bytes,
 * NUL-terminated; put it in sodium_malloc memory when it holds a secret). Length or negative.
 */
int seal_key_format(const struct seal_key *k, int public, char *out, size_t cap);

/* base64url without padding, shared helpers */
#define SEAL_B64_LEN(n) (((n) / 3) * 4 + ((n) % 3 ? (n) % 3 + 1 : 0)) /* without the NUL */
/* Encode len bytes; returns the length written (NUL-terminated), or 0 when outcap is too
 * small for SEAL_B64_LEN(len) + 1 (out then holds ""). Constant time in the data. */
size_t seal_b64url_encode(char *out, size_t outcap, const unsigned char *in, size_t len);
/* Strict: no padding, no whitespace, canonical (reject non-zero trailing bits, a length of
 * 1 mod 4); 0 or -1 (also when the result would exceed outcap). Constant time in the data. */
int seal_b64url_decode(unsigned char *out, size_t outcap, size_t *outlen, const char *in,
                       size_t len);

#endif
