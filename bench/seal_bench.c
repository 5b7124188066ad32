/*
 * seal_bench.c - what the evidence and identity primitives cost: the audit chain's SHA-256
 * per record, checkpoint signatures (HMAC, Ed25519), session-id and agent-token checks;
 * and whether a forged session id is rejected in the same time wherever its MAC differs
 * (first byte, last byte, every byte) as a valid one is accepted — the constant-time claim,
 * measured: median of interleaved batches, so drift hits every case alike.
 *
 * usage: seal_bench [--smoke]   (--smoke: tiny counts, checks results, times nothing)
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "seal/chain.h"
#include "seal/key.h"
#include "seal/sid.h"
#include "seal/token.h"

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

#define CASES 5
#define BATCH 200

/* Flip one character of the MAC part (a different base64url letter, still canonical). */
static void flip(char *sid, size_t at)
{
    sid[at] = sid[at] == 'A' ? 'B' : 'A';
}

int main(int argc, char **argv)
{
    bool smoke = argc > 1 && strcmp(argv[1], "--smoke") == 0;
    if (seal_init() < 0) {
        fputs("seal_bench: libsodium init failed\n", stderr);
        return 1;
    }
    char err[256];
    struct seal_keyring hk = {0}, ek = {0};
    if (seal_keyring_generate(&hk, SEAL_KEY_HMAC, err, sizeof(err)) < 0 ||
        seal_keyring_generate(&ek, SEAL_KEY_ED25519_SECRET, err, sizeof(err)) < 0) {
        fprintf(stderr, "seal_bench: %s\n", err);
        return 1;
    }
    int iters = smoke ? 100 : 200000;
    int fails = 0;

    /* the chain: SHA-256 of a typical 550-byte record */
    char rec[550], hex[CHAIN_HEX + 1];
    memset(rec, 'x', sizeof(rec));
    uint64_t t0 = now_ns();
    for (int i = 0; i < iters; i++) {
        rec[i % sizeof(rec)] = (char)i;
        seal_chain_hash(rec, sizeof(rec), hex);
    }
    double hash_ns = (double)(now_ns() - t0) / iters;

    /* checkpoints */
    char msg[256], sig[CHAIN_SIG_MAX + 1];
    size_t ml = seal_checkpoint_msg(msg, sizeof(msg), "hmac-sha256", hk.keys[0].kid, 12345, hex,
                                    "count", false, "2026-11-23T01:02:03.123456789Z");
    int sign_iters = smoke ? 10 : 20000;
    double sign_ns[2], verify_ns[2];
    const struct seal_key *keys[2] = {&hk.keys[0], &ek.keys[0]};
    for (int k = 0; k < 2; k++) {
        t0 = now_ns();
        for (int i = 0; i < sign_iters; i++)
            seal_checkpoint_sign(keys[k], msg, ml, sig);
        sign_ns[k] = (double)(now_ns() - t0) / sign_iters;
        t0 = now_ns();
        for (int i = 0; i < sign_iters; i++)
            if (seal_checkpoint_verify(keys[k], msg, ml, sig, strlen(sig)) != 0)
                fails++;
        verify_ns[k] = (double)(now_ns() - t0) / sign_iters;
    }

    /* session ids: valid, MAC wrong in its first / last character, every character, unknown kid */
    char sid[CASES][SEAL_SID_BUF];
    uint64_t now = (uint64_t)time(NULL);
    if (seal_sid_mint(&hk.keys[0], now, 3600, sid[0], sizeof(sid[0])) < 0) {
        fputs("seal_bench: mint failed\n", stderr);
        return 1;
    }
    size_t len = strlen(sid[0]);
    size_t mac_at = (size_t)(strrchr(sid[0], '.') - sid[0]) + 1;
    for (int c = 1; c < CASES; c++)
        memcpy(sid[c], sid[0], len + 1);
    flip(sid[1], mac_at);       /* first MAC character */
    flip(sid[2], len - 2);      /* last full-6-bit MAC character */
    for (size_t i = mac_at; i < len - 1; i++)
        flip(sid[3], i);        /* every MAC character */
    struct seal_keyring other = {0};
    if (seal_keyring_generate(&other, SEAL_KEY_HMAC, err, sizeof(err)) < 0 ||
        seal_sid_mint(&other.keys[0], now, 3600, sid[4], sizeof(sid[4])) < 0)
        return 1;
    static const char *const names[CASES] = {"valid", "MAC first char wrong", "MAC last char wrong",
                                             "MAC all wrong", "unknown key id"};
    int rounds = smoke ? 5 : 2000;
    uint64_t *samples[CASES];
    for (int c = 0; c < CASES; c++) {
        samples[c] = calloc((size_t)rounds, sizeof(uint64_t));
        if (samples[c] == NULL)
            return 1;
    }
    for (int r = 0; r < rounds; r++) {
        for (int c = 0; c < CASES; c++) {
            int want = c == 0 ? 0 : 1;
            t0 = now_ns();
            int bad = 0;
            for (int i = 0; i < BATCH; i++)
                bad += seal_sid_verify(&hk, sid[c], strlen(sid[c]), now, NULL, NULL, 0) != 0;
            samples[c][r] = now_ns() - t0;
            if ((want == 0 && bad != 0) || (want == 1 && bad != BATCH))
                fails++;
        }
    }

    /* agent tokens */
    struct seal_token_claims cl = {0};
    const char *roles[1] = {"support"};
    cl.sub = "agent-7";
    cl.aud = "sentinel";
    cl.roles = roles;
    cl.nroles = 1;
    cl.iat = now;
    cl.exp = now + 3600;
    double tok_ns[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        char tok[2048];
        struct seal_keyring *kr = k == 0 ? &hk : &ek;
        if (seal_token_mint(&kr->keys[0], &cl, tok, sizeof(tok), err, sizeof(err)) < 0) {
            fprintf(stderr, "seal_bench: token mint: %s\n", err);
            return 1;
        }
        struct seal_token_info info;
        int scheme = seal_key_scheme(&kr->keys[0]);
        t0 = now_ns();
        for (int i = 0; i < sign_iters; i++)
            if (seal_token_verify(kr, scheme, "sentinel", tok, strlen(tok), now, &info, err,
                                  sizeof(err)) != 0)
                fails++;
        tok_ns[k] = (double)(now_ns() - t0) / sign_iters;
    }

    if (fails > 0 || smoke) {
        for (int c = 0; c < CASES; c++)
            free(samples[c]);
        seal_keyring_free(&hk);
        seal_keyring_free(&ek);
        seal_keyring_free(&other);
        if (fails > 0) {
            fprintf(stderr, "seal_bench: FAIL: %d results were wrong\n", fails);
            return 1;
        }
        puts("seal_bench: smoke ok");
        return 0;
    }
    printf("| operation | cost |\n|---|---|\n");
    printf("| chain hash, 550-byte record (SHA-256) | %.0f ns (%.0f MB/s) |\n", hash_ns,
           550.0 / hash_ns * 1e3);
    printf("| checkpoint sign / verify, HMAC-SHA256 | %.2f / %.2f µs |\n", sign_ns[0] / 1e3,
           verify_ns[0] / 1e3);
    printf("| checkpoint sign / verify, Ed25519 | %.2f / %.2f µs |\n", sign_ns[1] / 1e3,
           verify_ns[1] / 1e3);
    printf("| agent token verify, hmac-sha256 / ed25519 | %.2f / %.2f µs |\n", tok_ns[0] / 1e3,
           tok_ns[1] / 1e3);
    printf("\nsession-id verification, median of %d interleaved batches of %d:\n\n", rounds, BATCH);
    printf("| session id | ns per check | vs valid |\n|---|---|---|\n");
    double base = 0;
    for (int c = 0; c < CASES; c++) {
        qsort(samples[c], (size_t)rounds, sizeof(uint64_t), cmp_u64);
        double med = (double)samples[c][rounds / 2] / BATCH;
        if (c == 0)
            base = med;
        printf("| %s | %.0f | %+.1f%% |\n", names[c], med, (med - base) / base * 100);
    }
    for (int c = 0; c < CASES; c++)
        free(samples[c]);
    seal_keyring_free(&hk);
    seal_keyring_free(&ek);
    seal_keyring_free(&other);
    return 0;
}
