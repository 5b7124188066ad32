/*
 * sid.h - signed session identifiers: "v1.<payload>.<mac>", both parts base64url.
 *
 * payload (binary, big-endian, 34..65 bytes): nonce[16] | iat u64 | exp u64 | kidlen u8 |
 * kid[kidlen]; mac = HMAC-SHA256, under the key named by kid, of the ASCII bytes "v1." +
 * the payload's base64url (docs/keys.md). Verification is constant time in the MAC and
 * computes a MAC even for an unknown key id. Pure: no I/O.
 */
#ifndef SENTINEL_SEAL_SID_H
#define SENTINEL_SEAL_SID_H

#include <stddef.h>
#include <stdint.h>

#include "seal/key.h"

#define SEAL_SID_MAX 256                      /* longer is malformed */
#define SEAL_SID_BUF (SEAL_SID_MAX + 1)       /* room for any id and its NUL */
#define SEAL_SID_NONCE 16                     /* random bytes per id (128 bits) */
#define SEAL_SID_MAX_TTL (366ull * 24 * 3600) /* longest lifetime minted */
#define SEAL_CLOCK_SKEW_S 60                  /* tolerated clock difference, seconds */

struct seal_sid_info {
    unsigned char nonce[SEAL_SID_NONCE];
    uint64_t iat; /* issued at, Unix seconds */
    uint64_t exp; /* expires at (invalid from this second on) */
    char kid[SEAL_KID_MAX + 1];
};

/*
 * Mint a session id with HMAC key k (SEAL_KEY_HMAC), issued at `now`, valid for ttl_s
 * seconds (1 .. SEAL_SID_MAX_TTL). Writes the NUL-terminated id into out (cap >=
 * SEAL_SID_BUF always suffices). 0, -EINVAL (bad key, ttl) or -ENOBUFS.
 */
int seal_sid_mint(const struct seal_key *k, uint64_t now, uint64_t ttl_s, char *out, size_t cap);

/*
 * Verify sid[0..len) against the HMAC keys of kr at time `now`. 0 with info filled, or:
 * SEAL_EMALFORMED (syntax, base64url, lengths, > SEAL_SID_MAX bytes), SEAL_EVERSION,
 * SEAL_EUNKNOWNKID (no HMAC key of that id), SEAL_EBADSIG (MAC), SEAL_EEXPIRED (now >= exp),
 * SEAL_ENOTYET (issued more than SEAL_CLOCK_SKEW_S in the future). The MAC is checked
 * before the times, so only an authentic id learns that it expired. info may be NULL; it is
 * filled once the MAC verified (also when the id then proves expired). err may be NULL.
 */
int seal_sid_verify(const struct seal_keyring *kr, const char *sid, size_t len, uint64_t now,
                    struct seal_sid_info *info, char *err, size_t errlen);

/* RFC 3339 UTC ("2026-05-01T12:00:00Z") of Unix time t into out (cap >= 32). */
void seal_fmt_time(uint64_t t, char *out, size_t cap);

#endif
