/*
 * chain.h - the audit log's hash chain and checkpoint signatures.
 *
 * A record's hash is SHA-256 over the bytes of its line from the opening '{' up to (not
 * including) the `,"hash":"` that ends it; its "prev" is the hash of the record before.
 * A checkpoint signs the chain head — the sequence number and hash of the record it
 * follows — with the active key (HMAC-SHA256 or Ed25519), so that a deleted tail is
 * detectable against a signed head, not only an edit in the middle.
 */
#ifndef SENTINEL_SEAL_CHAIN_H
#define SENTINEL_SEAL_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct seal_key;

#define CHAIN_HEX 64         /* a hash in lower-case hex */
#define CHAIN_SIG_MAX 96     /* a signature in base64url (Ed25519: 86 characters) */
#define CHAIN_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* SHA-256 of data as lower-case hex (65 bytes with the NUL). */
void seal_chain_hash(const void *data, size_t len, char out[CHAIN_HEX + 1]);

/*
 * Many hashes of lines that all begin with the same bytes (the audit log's `{"session":"…",`):
 * the whole 64-byte blocks of that prefix are absorbed once, and each line's hash starts from
 * the saved state. The result equals seal_chain_hash of the full line.
 */
struct seal_chain_prefix {
    unsigned char state[256]; /* crypto_hash_sha256_state, opaque here */
    size_t absorbed;          /* bytes of the prefix the state holds (a multiple of 64) */
};
void seal_chain_prefix_init(struct seal_chain_prefix *cp, const void *prefix, size_t len);
/* SHA-256 of data (which must begin with the prefix given to init) as hex. */
void seal_chain_hash_prefixed(const struct seal_chain_prefix *cp, const void *data, size_t len,
                              char out[CHAIN_HEX + 1]);

/* "hmac-sha256" or "ed25519" for a key; NULL for a key that cannot sign or verify. */
const char *seal_chain_alg(const struct seal_key *k);

/*
 * The signed message: "sentinel-checkpoint v3 <alg> <kid> <head_seq> <head> <reason> <final>
 * <time>" (final: 1 or 0; time: the checkpoint record's own), so that a checkpoint in the
 * middle of a log cannot be made to look like the final one of a clean close, nor the last
 * record's time be moved. With time NULL the v2 form, which did not sign the time; with reason
 * NULL too the v1 form, which signed neither: "sentinel-checkpoint v1 <alg> <kid> <head_seq>
 * <head>" (logs written before; verify only).
 */
size_t seal_checkpoint_msg(char *out, size_t cap, const char *alg, const char *kid,
                           uint64_t head_seq, const char *head, const char *reason, bool final,
                           const char *time);

/* Sign msg with k (HMAC or Ed25519 secret) into base64url; 0 or -1. */
int seal_checkpoint_sign(const struct seal_key *k, const char *msg, size_t len,
                         char sig[CHAIN_SIG_MAX + 1]);

/* Verify a base64url signature with k (HMAC secret, Ed25519 secret or public); 0 when it
 * holds. The comparison is constant time. */
int seal_checkpoint_verify(const struct seal_key *k, const char *msg, size_t len, const char *sig,
                           size_t siglen);

#endif
