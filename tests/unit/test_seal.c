/*
 * test_seal.c - keys, session ids and agent tokens: base64url strictness, every key file
 * error (with file:line) and the permission check, session ids (mint, verify, each byte of
 * MAC and payload altered, foreign keys, expiry, rotation), agent tokens (every rejection,
 * the HMAC-with-the-public-key downgrade and its mirror). Tokens with hand-made claims are
 * signed here with libsodium directly, an independent writer of the documented format.
 * No timing assertions: constant time is a property of the code, not of one run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "check.h"
#include "seal/key.h"
#include "seal/sid.h"
#include "seal/token.h"

#define NOW 1800000000ull

static char err[512];

/* ---- base64url ---------------------------------------------------------------------- */

static const char *enc(const char *s)
{
    static char out[128];
    seal_b64url_encode(out, sizeof(out), (const unsigned char *)s, strlen(s));
    return out;
}

static int dec(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    int rc = seal_b64url_decode((unsigned char *)out, cap, &n, s, strlen(s));
    if (rc == 0)
        out[n] = '\0';
    return rc;
}

static void test_b64(void)
{
    /* RFC 4648 section 10, without padding */
    CHECK_STR(enc(""), "");
    CHECK_STR(enc("f"), "Zg");
    CHECK_STR(enc("fo"), "Zm8");
    CHECK_STR(enc("foo"), "Zm9v");
    CHECK_STR(enc("foob"), "Zm9vYg");
    CHECK_STR(enc("fooba"), "Zm9vYmE");
    CHECK_STR(enc("foobar"), "Zm9vYmFy");
    CHECK_STR(enc("\xfb\xff\xbf"), "-_-_"); /* the URL alphabet, not + and / */
    CHECK_INT(SEAL_B64_LEN(32), 43);
    CHECK_INT(SEAL_B64_LEN(64), 86);
    char small[8];
    CHECK_INT(seal_b64url_encode(small, 4, (const unsigned char *)"foo", 3), 0);
    CHECK_STR(small, "");
    CHECK_INT(seal_b64url_encode(small, 5, (const unsigned char *)"foo", 3), 4);

    char out[64];
    const char *good[][2] = {
        {"", ""},           {"Zg", "f"},          {"Zm8", "fo"},         {"Zm9v", "foo"},
        {"Zm9vYg", "foob"}, {"Zm9vYmE", "fooba"}, {"Zm9vYmFy", "foobar"}};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        CHECK_INT(dec(good[i][0], out, sizeof(out)), 0);
        CHECK_STR(out, good[i][1]);
    }
    /* "Z\xc3\xa9v": libsodium 1.0.18 alone decodes it (to 67 ff ef) */
    const char *bad[] = {
        "Zg==",        "Zg=",    "Zm8=",  "Z",          "Zm9vY",   "Zh",
        "Zm9",         "Zm+v",   "Zm/v",  "Zm9v ",      " Zm9v",   "Zm9\nv",
        "Zm9v\n",      "Zm\t9v", "Zm9v.", "Z\xc3\xa9v", "Zm9\x80", "\xff\xff\xff\xff",
        "Zm9v\xc3\xa9"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = dec(bad[i], out, sizeof(out));
        if (rc == 0)
            fprintf(stderr, "accepted bad base64url '%s'\n", bad[i]);
        CHECK_INT(rc, -1);
    }
    size_t nn = 0;
    CHECK_INT(seal_b64url_decode((unsigned char *)out, sizeof(out), &nn, "Zm\0v", 4), -1);
    /* the output limit is exact */
    CHECK_INT(dec("Zm9vYmFy", out, 6), 0);
    CHECK_INT(dec("Zm9vYmFy", out, 5), -1);
    size_t n = 99;
    CHECK_INT(seal_b64url_decode((unsigned char *)out, 5, &n, "Zm9vYmFy", 8), -1);
    CHECK_INT(n, 0);
}

/* ---- key files ---------------------------------------------------------------------- */

/* 32 bytes of 0x01.. as base64url; and a 31- and 33-byte key. */
static const char *K32 = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA";
static const char *K31 = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHw";
static const char *K64 = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2"
                         "Nzg5Ojs8PT4_QA";

static int parse(struct seal_keyring *kr, const char *text)
{
    err[0] = '\0';
    return seal_keyring_parse(kr, text, strlen(text), "t.keys", err, sizeof(err));
}

/* The text must not load; the error names t.keys:LINE and contains `what`. */
static void parse_fails(const char *text, int code, const char *where, const char *what)
{
    struct seal_keyring kr = {(struct seal_key *)1, 7};
    int rc = parse(&kr, text);
    if (rc != code || strstr(err, where) == NULL || strstr(err, what) == NULL)
        fprintf(stderr, "key text:\n%s\n-> %d (%s), want %d with '%s' and '%s'\n", text, rc, err,
                code, where, what);
    CHECK_INT(rc, code);
    CHECK(strstr(err, where) != NULL);
    CHECK(strstr(err, what) != NULL);
    CHECK(kr.keys == NULL && kr.n == 0);
}

static void test_keyfile_parse(void)
{
    struct seal_keyring kr;
    char text[2048];
    /* an Ed25519 key pair from a known seed, to compare the derived public key */
    unsigned char seed[32], pk[32], sk[64];
    for (int i = 0; i < 32; i++)
        seed[i] = (unsigned char)(i + 1);
    crypto_sign_seed_keypair(pk, sk, seed);
    char pk64[64];
    seal_b64url_encode(pk64, sizeof(pk64), pk, 32);

    snprintf(text, sizeof(text),
             "# a keyring\n"
             "\n"
             "sentinel-key v1 hmac-sha256 new-2 %s\n"
             "   \t\n"
             "  sentinel-key\tv1  ed25519-secret ed.1 %s  \r\n"
             "    # indented comment\n"
             "sentinel-key v1 ed25519-public pub_3 %s",
             K32, K32, pk64);
    CHECK_INT(parse(&kr, text), 0);
    CHECK_INT(kr.n, 3);
    if (kr.n == 3) {
        CHECK_STR(kr.keys[0].kid, "new-2");
        CHECK_INT(kr.keys[0].type, SEAL_KEY_HMAC);
        CHECK_INT(kr.keys[0].secret_len, 32);
        CHECK(kr.keys[0].secret != NULL && memcmp(kr.keys[0].secret, seed, 32) == 0);
        CHECK_INT(kr.keys[1].type, SEAL_KEY_ED25519_SECRET);
        CHECK_INT(kr.keys[1].secret_len, crypto_sign_SECRETKEYBYTES);
        CHECK(memcmp(kr.keys[1].pk, pk, 32) == 0);
        CHECK(kr.keys[1].secret != NULL && memcmp(kr.keys[1].secret, sk, 64) == 0);
        CHECK_INT(kr.keys[2].type, SEAL_KEY_ED25519_PUBLIC);
        CHECK(kr.keys[2].secret == NULL);
        CHECK(memcmp(kr.keys[2].pk, pk, 32) == 0);
        CHECK(seal_keyring_find(&kr, "ed.1", 4) == &kr.keys[1]);
        CHECK(seal_keyring_find(&kr, "ed.", 3) == NULL);
        CHECK(seal_keyring_find(&kr, "ED.1", 4) == NULL);
        CHECK_INT(seal_keyring_scheme(&kr), SEAL_EKEY); /* mixed */
        CHECK_INT(seal_key_scheme(&kr.keys[2]), SEAL_SCHEME_ED25519);
        /* a public line written back parses to the same key */
        char line[256];
        CHECK(seal_key_format(&kr.keys[1], 1, line, sizeof(line)) > 0);
        snprintf(text, sizeof(text), "sentinel-key v1 ed25519-public ed.1 %s\n", pk64);
        CHECK_STR(line, text);
        CHECK(seal_key_format(&kr.keys[1], 0, line, sizeof(line)) > 0);
        snprintf(text, sizeof(text), "sentinel-key v1 ed25519-secret ed.1 %s\n", K32);
        CHECK_STR(line, text);
        CHECK_INT(seal_key_format(&kr.keys[0], 1, line, sizeof(line)), -EINVAL);
        CHECK_INT(seal_key_format(&kr.keys[0], 0, line, 40), -ENOBUFS);
    }
    seal_keyring_free(&kr);
    CHECK(kr.keys == NULL && kr.n == 0);
    seal_keyring_free(&kr); /* twice is harmless */
    seal_keyring_free(NULL);

    /* every error names the file and line */
    char l[512];
    parse_fails("", SEAL_EMALFORMED, "t.keys", "holds no key");
    parse_fails("# only a comment\n\n", SEAL_EMALFORMED, "t.keys", "holds no key");
    parse_fails("hello\n", SEAL_EMALFORMED, "t.keys:1:", "not a key line");
    parse_fails("\nsentinel-keys v1 hmac-sha256 a b\n", SEAL_EMALFORMED,
                "t.keys:2:", "not a key line");
    snprintf(l, sizeof(l), "sentinel-key v2 hmac-sha256 a %s\n", K32);
    parse_fails(l, SEAL_EVERSION, "t.keys:1:", "version 'v2'");
    parse_fails("sentinel-key\n", SEAL_EVERSION, "t.keys:1:", "version");
    parse_fails("sentinel-key v1 hmac-sha256 a\n", SEAL_EMALFORMED, "t.keys:1:", "incomplete");
    snprintf(l, sizeof(l), "sentinel-key v1 hmac-sha256 a %s extra\n", K32);
    parse_fails(l, SEAL_EMALFORMED, "t.keys:1:", "trailing garbage");
    snprintf(l, sizeof(l), "sentinel-key v1 hmac-sha256 a %s # comment\n", K32);
    parse_fails(l, SEAL_EMALFORMED, "t.keys:1:", "trailing garbage");
    snprintf(l, sizeof(l), "sentinel-key v1 hmac-sha512 a %s\n", K32);
    parse_fails(l, SEAL_EMALFORMED, "t.keys:1:", "unknown key type 'hmac-sha512'");
    snprintf(l, sizeof(l), "sentinel-key v1 ed25519 a %s\n", K32);
    parse_fails(l, SEAL_EMALFORMED, "t.keys:1:", "unknown key type");
    snprintf(l, sizeof(l), "sentinel-key v1 hmac-sha256 a/b %s\n", K32);
    parse_fails(l, SEAL_EMALFORMED, "t.keys:1:", "invalid key id");
    snprintf(l, sizeof(l), "sentinel-key v1 hmac-sha256 %s %s\n",
             "abcdefghijklmnopqrstuvwxyz0123456", K32); /* 33 characters */
    parse_fails(l, SEAL_EMALFORMED, "t.keys:1:", "invalid key id");
    snprintf(l, sizeof(l), "sentinel-key v1 hmac-sha256 %s %s\n",
             "abcdefghijklmnopqrstuvwxyz012345", K32); /* 32: fine */
    CHECK_INT(parse(&kr, l), 0);
    seal_keyring_free(&kr);
    snprintf(l, sizeof(l),
             "sentinel-key v1 hmac-sha256 a %s\n# x\nsentinel-key v1 hmac-sha256 a "
             "%s\n",
             K32, K32);
    parse_fails(l, SEAL_EMALFORMED, "t.keys:3:", "duplicate key id 'a'");
    snprintf(l, sizeof(l),
             "sentinel-key v1 hmac-sha256 a %s\nsentinel-key v1 ed25519-public a "
             "%s\n",
             K32, pk64);
    parse_fails(l, SEAL_EMALFORMED, "t.keys:2:", "duplicate key id");
    snprintf(l, sizeof(l), "sentinel-key v1 hmac-sha256 a %s\n", K31);
    parse_fails(l, SEAL_EMALFORMED, "t.keys:1:",
                "wrong key length: 31 bytes, hmac-sha256 "
                "needs 32");
    snprintf(l, sizeof(l), "sentinel-key v1 hmac-sha256 a %s\n", K64);
    parse_fails(l, SEAL_EMALFORMED, "t.keys:1:", "wrong key length: 64 bytes");
    snprintf(l, sizeof(l), "sentinel-key v1 ed25519-secret a %s\n", K64); /* seed, not 64 */
    parse_fails(l, SEAL_EMALFORMED, "t.keys:1:", "ed25519-secret needs 32");
    snprintf(l, sizeof(l), "sentinel-key v1 ed25519-public a %s\n", K31);
    parse_fails(l, SEAL_EMALFORMED, "t.keys:1:", "wrong key length");
    snprintf(l, sizeof(l), "sentinel-key v1 hmac-sha256 a %s=\n", K32);
    parse_fails(l, SEAL_EMALFORMED, "t.keys:1:", "base64url");
    snprintf(l, sizeof(l), "sentinel-key v1 hmac-sha256 a %.42sB\n", K32); /* trailing bits */
    parse_fails(l, SEAL_EMALFORMED, "t.keys:1:", "base64url");
    snprintf(l, sizeof(l), "sentinel-key v1 hmac-sha256 a %.20s+%s\n", K32, K32 + 21);
    parse_fails(l, SEAL_EMALFORMED, "t.keys:1:", "base64url");
    /* small-order and non-canonical public keys */
    parse_fails("sentinel-key v1 ed25519-public a AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
                SEAL_EMALFORMED, "t.keys:1:", "not a valid Ed25519 public key");
    parse_fails("sentinel-key v1 ed25519-public a AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
                SEAL_EMALFORMED, "t.keys:1:", "not a valid Ed25519 public key");
    /* y = p and y = p + 1: non-canonical encodings */
    parse_fails("sentinel-key v1 ed25519-public a 7f_______________________________________38\n",
                SEAL_EMALFORMED, "t.keys:1:", "not a valid Ed25519 public key");
    parse_fails("sentinel-key v1 ed25519-public a 7v_______________________________________38\n",
                SEAL_EMALFORMED, "t.keys:1:", "not a valid Ed25519 public key");
    char nul[64] = "sentinel-key v1 hmac-sha256 a x";
    struct seal_keyring kn = {0};
    CHECK_INT(seal_keyring_parse(&kn, nul, 40, "t.keys", err, sizeof(err)), SEAL_EMALFORMED);
    CHECK(strstr(err, "NUL") != NULL);
    /* a line over the limit */
    static char longl[2100];
    memset(longl, '#', 2099);
    longl[2099] = '\0';
    parse_fails(longl, SEAL_EMALFORMED, "t.keys:1:", "longer than");
    /* more keys than a keyring holds */
    enum { MANY_CAP = SEAL_KEYRING_MAX * 100 + 200 };
    static char many[MANY_CAP];
    size_t off = 0;
    for (int i = 0; i <= SEAL_KEYRING_MAX; i++)
        off += (size_t)snprintf(many + off, MANY_CAP - off, "sentinel-key v1 hmac-sha256 k%d %s\n",
                                i, K32);
    parse_fails(many, SEAL_EMALFORMED, "t.keys:65:", "more than 64 keys");
    /* the error on a later line frees the keys parsed before it */
    snprintf(many, MANY_CAP,
             "sentinel-key v1 hmac-sha256 k1 %s\nsentinel-key v1 ed25519-secret k2 %s\nbad\n", K32,
             K32);
    parse_fails(many, SEAL_EMALFORMED, "t.keys:3:", "not a key line");
}

static char tmpdir[64];

static char *tmp_path(const char *name)
{
    static char p[128];
    snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
    return p;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    CHECK_INT(write(fd, text, strlen(text)), (long long)strlen(text));
    close(fd);
    CHECK_INT(chmod(path, mode), 0);
}

static void test_keyfile_load(void)
{
    struct seal_keyring kr;
    char secret[256], pub[256];
    snprintf(secret, sizeof(secret), "sentinel-key v1 hmac-sha256 s1 %s\n", K32);
    unsigned char seed[32], pk[32], sk[64];
    memset(seed, 7, sizeof(seed));
    crypto_sign_seed_keypair(pk, sk, seed);
    char pk64[64];
    seal_b64url_encode(pk64, sizeof(pk64), pk, 32);
    snprintf(pub, sizeof(pub), "# public\nsentinel-key v1 ed25519-public p1 %s\n", pk64);
    const char *sp = tmp_path("secret.key");

    write_file(sp, secret, 0600);
    CHECK_INT(seal_keyring_load(&kr, sp, err, sizeof(err)), 0);
    CHECK_INT(kr.n, 1);
    seal_keyring_free(&kr);
    write_file(sp, secret, 0400);
    CHECK_INT(seal_keyring_load(&kr, sp, err, sizeof(err)), 0);
    seal_keyring_free(&kr);

    static const mode_t loose[] = {0644, 0640, 0604, 0660, 0601, 0610, 0666, 0700 | 01};
    for (size_t i = 0; i < sizeof(loose) / sizeof(loose[0]); i++) {
        write_file(sp, secret, loose[i]);
        err[0] = '\0';
        CHECK_INT(seal_keyring_load(&kr, sp, err, sizeof(err)), -EPERM);
        char mode[16];
        snprintf(mode, sizeof(mode), "mode %04o", (unsigned)loose[i]);
        if (strstr(err, mode) == NULL)
            fprintf(stderr, "error does not name %s: %s\n", mode, err);
        CHECK(strstr(err, mode) != NULL);
        /* a writable file is refused before its lines are read (no line number) */
        CHECK(strstr(err, (loose[i] & 022) ? "writable by group or others" : "secret.key:1:") !=
              NULL);
        CHECK(kr.n == 0 && kr.keys == NULL);
    }
    /* owned by someone else (only root can arrange that) */
    if (geteuid() == 0) {
        write_file(sp, secret, 0600);
        CHECK_INT(chown(sp, 65534, 65534), 0);
        CHECK_INT(seal_keyring_load(&kr, sp, err, sizeof(err)), -EPERM);
        CHECK(strstr(err, "owned by uid 65534") != NULL);
    }
    /* public keys may be world-readable; a secret in the same file may not */
    const char *pp = tmp_path("pub.key");
    write_file(pp, pub, 0644);
    CHECK_INT(seal_keyring_load(&kr, pp, err, sizeof(err)), 0);
    CHECK_INT(kr.n, 1);
    CHECK_INT(seal_keyring_scheme(&kr), SEAL_SCHEME_ED25519);
    seal_keyring_free(&kr);
    /* but a trust root nobody else may write: not group or world writable, ours or root's */
    static const mode_t writable[] = {0664, 0646, 0666, 0620, 0602};
    for (size_t i = 0; i < sizeof(writable) / sizeof(writable[0]); i++) {
        write_file(pp, pub, writable[i]);
        err[0] = '\0';
        CHECK_INT(seal_keyring_load(&kr, pp, err, sizeof(err)), -EPERM);
        CHECK(strstr(err, "not writable by group or others") != NULL);
        CHECK(kr.n == 0 && kr.keys == NULL);
    }
    if (geteuid() == 0) {
        write_file(pp, pub, 0644);
        CHECK_INT(chown(pp, 65534, 65534), 0);
        CHECK_INT(seal_keyring_load(&kr, pp, err, sizeof(err)), -EPERM);
        CHECK(strstr(err, "owned by uid 65534") != NULL);
        CHECK_INT(chown(pp, 0, 0), 0);
    }
    char both[512];
    snprintf(both, sizeof(both), "%s%s", pub, secret);
    write_file(pp, both, 0644);
    CHECK_INT(seal_keyring_load(&kr, pp, err, sizeof(err)), -EPERM);
    CHECK(strstr(err, "pub.key:3:") != NULL);
    write_file(pp, both, 0600); /* a secret file holding public keys is fine */
    CHECK_INT(seal_keyring_load(&kr, pp, err, sizeof(err)), 0);
    CHECK_INT(kr.n, 2);
    seal_keyring_free(&kr);

    CHECK_INT(seal_keyring_load(&kr, tmp_path("missing"), err, sizeof(err)), -ENOENT);
    CHECK(strstr(err, "missing") != NULL);
    CHECK_INT(seal_keyring_load(&kr, tmpdir, err, sizeof(err)), -EINVAL);
    CHECK(strstr(err, "not a regular file") != NULL);
    /* too big to be a key file */
    const char *bp = tmp_path("big.key");
    static char big[SEAL_KEYFILE_MAX + 2];
    memset(big, '#', SEAL_KEYFILE_MAX + 1);
    big[SEAL_KEYFILE_MAX + 1] = '\0';
    write_file(bp, big, 0600);
    CHECK_INT(seal_keyring_load(&kr, bp, err, sizeof(err)), -EFBIG);
    unlink(bp);
    unlink(sp);
    unlink(pp);
}

static void test_generate(void)
{
    struct seal_keyring a, b;
    CHECK_INT(seal_keyring_generate(&a, SEAL_KEY_HMAC, err, sizeof(err)), 0);
    CHECK_INT(seal_keyring_generate(&b, SEAL_KEY_ED25519_SECRET, err, sizeof(err)), 0);
    CHECK_INT(a.n, 1);
    CHECK_INT(b.n, 1);
    CHECK_INT(strlen(a.keys[0].kid), 16);
    CHECK(seal_kid_valid(a.keys[0].kid, strlen(a.keys[0].kid)));
    CHECK(strcmp(a.keys[0].kid, b.keys[0].kid) != 0);
    CHECK_INT(a.keys[0].secret_len, 32);
    CHECK_INT(b.keys[0].secret_len, 64);
    CHECK(memcmp(b.keys[0].secret + 32, b.keys[0].pk, 32) == 0);
    /* what keygen writes parses back to the same key */
    char line[256];
    struct seal_keyring c;
    CHECK(seal_key_format(&b.keys[0], 0, line, sizeof(line)) > 0);
    CHECK_INT(parse(&c, line), 0);
    CHECK(c.n == 1 && memcmp(c.keys[0].pk, b.keys[0].pk, 32) == 0 &&
          memcmp(c.keys[0].secret, b.keys[0].secret, 64) == 0);
    seal_keyring_free(&c);
    CHECK(seal_key_format(&a.keys[0], 0, line, sizeof(line)) > 0);
    CHECK_INT(parse(&c, line), 0);
    CHECK(c.n == 1 && memcmp(c.keys[0].secret, a.keys[0].secret, 32) == 0);
    seal_keyring_free(&c);
    seal_keyring_free(&a);
    seal_keyring_free(&b);

    CHECK_INT(seal_keyring_generate_kid(&a, SEAL_KEY_HMAC, "mine-1", err, sizeof(err)), 0);
    CHECK_STR(a.keys[0].kid, "mine-1");
    seal_keyring_free(&a);
    CHECK_INT(seal_keyring_generate_kid(&a, SEAL_KEY_HMAC, "no/slash", err, sizeof(err)), -EINVAL);
    CHECK_INT(seal_keyring_generate(&a, SEAL_KEY_ED25519_PUBLIC, err, sizeof(err)), -EINVAL);
    CHECK(a.keys == NULL && a.n == 0);
}

/* ---- session ids -------------------------------------------------------------------- */

static int sid_check(const struct seal_keyring *kr, const char *sid, uint64_t now)
{
    struct seal_sid_info info;
    return seal_sid_verify(kr, sid, strlen(sid), now, &info, err, sizeof(err));
}

/* Re-encode sid with its payload (or MAC) byte i xor `bit`. */
static void sid_alter(const char *sid, int part, size_t i, unsigned char bit, char *out, size_t cap)
{
    const char *dot = strchr(sid + 3, '.');
    unsigned char p[80], m[40];
    size_t pn, mn;
    seal_b64url_decode(p, sizeof(p), &pn, sid + 3, (size_t)(dot - sid - 3));
    seal_b64url_decode(m, sizeof(m), &mn, dot + 1, strlen(dot + 1));
    if (part == 0)
        p[i] ^= bit;
    else
        m[i] ^= bit;
    char pb[128], mb[64];
    seal_b64url_encode(pb, sizeof(pb), p, pn);
    seal_b64url_encode(mb, sizeof(mb), m, mn);
    snprintf(out, cap, "v1.%s.%s", pb, mb);
}

static void test_sid(void)
{
    struct seal_keyring kr, other, rot;
    char text[512];
    snprintf(text, sizeof(text), "sentinel-key v1 hmac-sha256 sess-1 %s\n", K32);
    CHECK_INT(parse(&kr, text), 0);
    CHECK_INT(seal_keyring_generate_kid(&other, SEAL_KEY_HMAC, "sess-1", err, sizeof(err)), 0);

    char sid[SEAL_SID_BUF], sid2[SEAL_SID_BUF];
    CHECK_INT(seal_sid_mint(&kr.keys[0], NOW, 3600, sid, sizeof(sid)), 0);
    CHECK_INT(seal_sid_mint(&kr.keys[0], NOW, 3600, sid2, sizeof(sid2)), 0);
    CHECK(strncmp(sid, "v1.", 3) == 0);
    CHECK(strcmp(sid, sid2) != 0); /* fresh nonce each time */
    CHECK(strlen(sid) <= SEAL_SID_MAX);
    /* 16 + 8 + 8 + 1 + 6 payload bytes -> 52 characters; MAC 43 */
    CHECK_INT(strlen(sid), 3 + 52 + 1 + 43);
    struct seal_sid_info info;
    CHECK_INT(seal_sid_verify(&kr, sid, strlen(sid), NOW, &info, err, sizeof(err)), 0);
    CHECK_INT(info.iat, NOW);
    CHECK_INT(info.exp, NOW + 3600);
    CHECK_STR(info.kid, "sess-1");
    CHECK_INT(seal_sid_verify(&kr, sid, strlen(sid), NOW, NULL, NULL, 0), 0);
    CHECK_INT(sid_check(&kr, sid, NOW + 3599), 0);
    CHECK_INT(sid_check(&kr, sid, NOW - 60), 0); /* a verifier's clock a minute behind */

    /* the clock */
    CHECK_INT(sid_check(&kr, sid, NOW + 3600), SEAL_EEXPIRED);
    CHECK(strstr(err, "expired at 2027-01-15T09:00:00Z") != NULL);
    CHECK_INT(sid_check(&kr, sid, NOW - 61), SEAL_ENOTYET);
    CHECK(strstr(err, "future") != NULL);

    /* foreign key: same kid, other secret; unknown kid */
    CHECK_INT(sid_check(&other, sid, NOW), SEAL_EBADSIG);
    struct seal_keyring empty = {0};
    CHECK_INT(sid_check(&empty, sid, NOW), SEAL_EUNKNOWNKID);
    CHECK(strstr(err, "sess-1") != NULL);
    char osid[SEAL_SID_BUF];
    struct seal_keyring o2;
    CHECK_INT(seal_keyring_generate_kid(&o2, SEAL_KEY_HMAC, "elsewhere", err, sizeof(err)), 0);
    CHECK_INT(seal_sid_mint(&o2.keys[0], NOW, 60, osid, sizeof(osid)), 0);
    CHECK_INT(sid_check(&kr, osid, NOW), SEAL_EUNKNOWNKID);
    seal_keyring_free(&o2);

    /* rotation: the new key mints, the old one still verifies what it minted */
    snprintf(text, sizeof(text),
             "sentinel-key v1 hmac-sha256 sess-2 %s\n"
             "sentinel-key v1 hmac-sha256 sess-1 %s\n",
             K32 + 0, K32);
    text[35] = text[35] == 'A' ? 'B' : 'A'; /* a different first key */
    CHECK_INT(parse(&rot, text), 0);
    CHECK_INT(sid_check(&rot, sid, NOW), 0);
    CHECK_INT(seal_sid_mint(&rot.keys[0], NOW, 60, osid, sizeof(osid)), 0);
    CHECK_INT(sid_check(&rot, osid, NOW), 0);
    CHECK_INT(sid_check(&kr, osid, NOW), SEAL_EUNKNOWNKID);
    seal_keyring_free(&rot);

    /* every bit of every MAC byte */
    char alt[SEAL_SID_BUF + 8];
    int all_bad = 1;
    for (size_t i = 0; i < 32; i++)
        for (int b = 0; b < 8; b++) {
            sid_alter(sid, 1, i, (unsigned char)(1u << b), alt, sizeof(alt));
            if (sid_check(&kr, alt, NOW) != SEAL_EBADSIG) {
                all_bad = 0;
                fprintf(stderr, "MAC byte %zu bit %d: %s\n", i, b, err);
            }
        }
    CHECK(all_bad);
    /* every byte of the payload: nonce and times -> bad MAC; kid length -> malformed;
     * kid characters -> another (unknown) kid or an invalid one */
    for (size_t i = 0; i < 39; i++) {
        sid_alter(sid, 0, i, 0x01, alt, sizeof(alt));
        int rc = sid_check(&kr, alt, NOW);
        char kc = (char)(i > 32 ? "sess-1"[i - 33] ^ 0x01 : 'x');
        int want = i < 32                   ? SEAL_EBADSIG
                   : i == 32                ? SEAL_EMALFORMED
                   : seal_kid_valid(&kc, 1) ? SEAL_EUNKNOWNKID
                                            : SEAL_EMALFORMED;
        if (rc != want)
            fprintf(stderr, "payload byte %zu: %d %s\n", i, rc, err);
        CHECK_INT(rc, want);
        sid_alter(sid, 0, i, 0x80, alt, sizeof(alt));
        rc = sid_check(&kr, alt, NOW);
        want = i < 32 ? SEAL_EBADSIG : SEAL_EMALFORMED; /* kid bytes >= 0x80 are invalid */
        CHECK_INT(rc, want);
    }
    /* each character of the text, replaced by another base64url character */
    size_t n = strlen(sid);
    for (size_t i = 0; i < n; i++) {
        if (sid[i] == '.')
            continue;
        memcpy(alt, sid, n + 1);
        alt[i] = sid[i] == 'Q' ? 'R' : 'Q';
        int rc = sid_check(&kr, alt, NOW);
        if (rc == 0)
            fprintf(stderr, "altered character %zu accepted: %s\n", i, alt);
        CHECK(rc < 0);
    }
    /* a kid that names an Ed25519 key is not an HMAC key */
    struct seal_keyring ed;
    snprintf(text, sizeof(text), "sentinel-key v1 ed25519-secret sess-1 %s\n", K32);
    CHECK_INT(parse(&ed, text), 0);
    CHECK_INT(sid_check(&ed, sid, NOW), SEAL_EUNKNOWNKID);
    CHECK_INT(seal_sid_mint(&ed.keys[0], NOW, 60, osid, sizeof(osid)), -EINVAL);
    seal_keyring_free(&ed);

    /* syntax */
    CHECK_INT(sid_check(&kr, "", NOW), SEAL_EMALFORMED);
    CHECK_INT(sid_check(&kr, "v1.", NOW), SEAL_EMALFORMED);
    CHECK_INT(sid_check(&kr, "v1.abc", NOW), SEAL_EMALFORMED);
    CHECK_INT(sid_check(&kr, "nonsense", NOW), SEAL_EMALFORMED);
    CHECK_INT(sid_check(&kr, "v2.abc.def", NOW), SEAL_EVERSION);
    CHECK_INT(sid_check(&kr, "v10.abc.def", NOW), SEAL_EVERSION);
    CHECK_INT(sid_check(&kr, "V1.abc.def", NOW), SEAL_EMALFORMED);
    snprintf(alt, sizeof(alt), "%s.", sid);
    CHECK_INT(sid_check(&kr, alt, NOW), SEAL_EMALFORMED);
    snprintf(alt, sizeof(alt), "%sA", sid);
    CHECK_INT(sid_check(&kr, alt, NOW), SEAL_EMALFORMED);
    snprintf(alt, sizeof(alt), " %s", sid);
    CHECK_INT(sid_check(&kr, alt, NOW), SEAL_EMALFORMED);
    memcpy(alt, sid, n + 1);
    alt[n - 1] = '\0'; /* a MAC one character short */
    CHECK_INT(sid_check(&kr, alt, NOW), SEAL_EMALFORMED);
    static char longsid[400];
    memset(longsid, 'A', 399);
    memcpy(longsid, "v1.", 3);
    longsid[200] = '.';
    longsid[257] = '\0';
    CHECK_INT(sid_check(&kr, longsid, NOW), SEAL_EMALFORMED);
    CHECK(strstr(err, "256") != NULL);
    CHECK_INT(seal_sid_verify(&kr, NULL, 0, NOW, NULL, NULL, 0), SEAL_EMALFORMED);
    /* the length counts, not the NUL */
    CHECK_INT(seal_sid_verify(&kr, sid, n - 1, NOW, NULL, NULL, 0), SEAL_EMALFORMED);

    /* mint limits */
    CHECK_INT(seal_sid_mint(&kr.keys[0], NOW, 0, osid, sizeof(osid)), -EINVAL);
    CHECK_INT(seal_sid_mint(&kr.keys[0], NOW, SEAL_SID_MAX_TTL + 1, osid, sizeof(osid)), -EINVAL);
    CHECK_INT(seal_sid_mint(&kr.keys[0], UINT64_MAX - 10, 60, osid, sizeof(osid)), -EINVAL);
    CHECK_INT(seal_sid_mint(&kr.keys[0], NOW, 60, osid, 50), -ENOBUFS);
    CHECK_INT(seal_sid_mint(NULL, NOW, 60, osid, sizeof(osid)), -EINVAL);
    seal_keyring_free(&kr);
    seal_keyring_free(&other);
}

/* ---- agent tokens ------------------------------------------------------------------- */

/* A token from raw header and claims JSON, signed with libsodium directly, into out (16384
 * bytes). */
static void make_token(char *out, const char *prefix, const char *header, const char *claims,
                       int scheme, const unsigned char *key)
{
    char h[512], c[8192];
    seal_b64url_encode(h, sizeof(h), (const unsigned char *)header, strlen(header));
    seal_b64url_encode(c, sizeof(c), (const unsigned char *)claims, strlen(claims));
    int n = snprintf(out, 16384 - 200, "%s.%s.%s", prefix, h, c);
    unsigned char sig[64];
    size_t slen;
    if (scheme == SEAL_SCHEME_HMAC) {
        crypto_auth_hmacsha256(sig, (const unsigned char *)out, (size_t)n, key);
        slen = 32;
    } else {
        crypto_sign_detached(sig, NULL, (const unsigned char *)out, (size_t)n, key);
        slen = 64;
    }
    out[n++] = '.';
    seal_b64url_encode(out + n, 200, sig, slen);
}

static char claims_buf[8192];

/* Claims with the usual values, and `extra` spliced in before the closing brace. */
static const char *claims(const char *sub, const char *roles, uint64_t iat, uint64_t exp,
                          const char *extra)
{
    snprintf(claims_buf, sizeof(claims_buf),
             "{\"sub\":%s,\"roles\":%s,\"aud\":\"sentinel\",\"iat\":%llu,\"exp\":%llu,"
             "\"jti\":\"abcdefghijklmnopqrstuv\"%s}",
             sub, roles, (unsigned long long)iat, (unsigned long long)exp, extra);
    return claims_buf;
}

static struct seal_keyring hk, ek, epub; /* hmac "h1"; ed25519 secret "e1"; its public key */
static struct seal_token_info tinfo;

static int tv(const struct seal_keyring *kr, int scheme, const char *tok)
{
    err[0] = '\0';
    return seal_token_verify(kr, scheme, NULL, tok, strlen(tok), NOW, &tinfo, err, sizeof(err));
}

/* A claims text signed with h1 must be refused with `code` and `what` in the message. */
static void claims_fail(const char *c, int code, const char *what)
{
    static char tok[16384];
    make_token(tok, "st1", "{\"alg\":\"hmac-sha256\",\"kid\":\"h1\"}", c, SEAL_SCHEME_HMAC,
               hk.keys[0].secret);
    int rc = tv(&hk, SEAL_SCHEME_HMAC, tok);
    if (rc != code || strstr(err, what) == NULL)
        fprintf(stderr, "claims %s -> %d (%s), want %d '%s'\n", c, rc, err, code, what);
    CHECK_INT(rc, code);
    CHECK(strstr(err, what) != NULL);
}

static void test_token_roundtrip(void)
{
    const char *roles[] = {"reader", "support agent", "ünïcode"};
    struct seal_token_claims c = {
        .sub = "agent-7", .roles = roles, .nroles = 3, .iat = NOW, .exp = NOW + 3600};
    char tok[SEAL_TOKEN_BUF];
    CHECK_INT(seal_token_mint(&hk.keys[0], &c, tok, sizeof(tok), err, sizeof(err)), 0);
    CHECK(strncmp(tok, "st1.eyJhbGciOiJobWFjLXNoYTI1NiIsImtpZCI6ImgxIn0.", 48) == 0);
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, tok), 0);
    CHECK_STR(tinfo.sub, "agent-7");
    CHECK_STR(tinfo.aud, "sentinel");
    CHECK_STR(tinfo.kid, "h1");
    CHECK_INT(tinfo.scheme, SEAL_SCHEME_HMAC);
    CHECK_INT(tinfo.nroles, 3);
    CHECK_STR(tinfo.role_ptrs[1], "support agent");
    CHECK_STR(tinfo.role_ptrs[2], "ünïcode");
    CHECK_INT(tinfo.iat, NOW);
    CHECK_INT(tinfo.exp, NOW + 3600);
    CHECK_INT(tinfo.nbf, 0);
    CHECK_INT(strlen(tinfo.jti), 22);
    /* the claims are exactly the documented JSON */
    const char *d1 = strchr(tok + 4, '.'), *d2 = strchr(d1 + 1, '.');
    char cj[2048];
    size_t cn;
    CHECK_INT(
        seal_b64url_decode((unsigned char *)cj, sizeof(cj) - 1, &cn, d1 + 1, (size_t)(d2 - d1 - 1)),
        0);
    cj[cn] = '\0';
    char want[512];
    snprintf(want, sizeof(want),
             "{\"sub\":\"agent-7\",\"roles\":[\"reader\",\"support agent\","
             "\"ünïcode\"],\"aud\":\"sentinel\",\"iat\":%llu,\"exp\":%llu,\"jti\":\"%s\"}",
             NOW, NOW + 3600, tinfo.jti);
    CHECK_STR(cj, want);
    CHECK_INT(strlen(d2 + 1), 43);

    /* Ed25519, with nbf and an audience; verified by the secret and by the public key */
    struct seal_token_claims e = {.sub = "bot",
                                  .roles = roles,
                                  .nroles = 0,
                                  .aud = "billing",
                                  .iat = NOW - 10,
                                  .nbf = NOW - 5,
                                  .exp = NOW + 60};
    CHECK_INT(seal_token_mint(&ek.keys[0], &e, tok, sizeof(tok), err, sizeof(err)), 0);
    CHECK_INT(strlen(strrchr(tok, '.') + 1), 86);
    CHECK_INT(seal_token_verify(&epub, SEAL_SCHEME_ED25519, "billing", tok, strlen(tok), NOW,
                                &tinfo, err, sizeof(err)),
              0);
    CHECK_INT(tinfo.nroles, 0);
    CHECK_INT(tinfo.nbf, NOW - 5);
    CHECK_INT(seal_token_verify(&ek, SEAL_SCHEME_ED25519, "billing", tok, strlen(tok), NOW, NULL,
                                NULL, 0),
              0);
    CHECK_INT(seal_token_verify(&epub, SEAL_SCHEME_ED25519, NULL, tok, strlen(tok), NOW, &tinfo,
                                err, sizeof(err)),
              SEAL_EAUDIENCE);
    CHECK(strstr(err, "'billing', not 'sentinel'") != NULL);
    CHECK_INT(tinfo.sub[0], 0); /* info only on success */

    /* two mints differ (jti) */
    char tok2[SEAL_TOKEN_BUF];
    CHECK_INT(seal_token_mint(&ek.keys[0], &e, tok2, sizeof(tok2), err, sizeof(err)), 0);
    CHECK(strcmp(tok, tok2) != 0);

    /* 16 roles of 128 bytes, each a quote (the longest claims): fits and verifies */
    static char big[SEAL_ROLES_MAX][SEAL_IDENT_MAX + 1];
    const char *bigp[SEAL_ROLES_MAX];
    for (int i = 0; i < SEAL_ROLES_MAX; i++) {
        memset(big[i], '"', SEAL_IDENT_MAX);
        big[i][SEAL_IDENT_MAX] = '\0';
        big[i][0] = (char)('a' + i);
        bigp[i] = big[i];
    }
    struct seal_token_claims b = {.sub = big[0],
                                  .roles = bigp,
                                  .nroles = SEAL_ROLES_MAX,
                                  .aud = big[1],
                                  .iat = NOW,
                                  .exp = NOW + 60};
    CHECK_INT(seal_token_mint(&ek.keys[0], &b, tok, sizeof(tok), err, sizeof(err)), 0);
    CHECK(strlen(tok) <= SEAL_TOKEN_MAX);
    CHECK_INT(seal_token_verify(&epub, SEAL_SCHEME_ED25519, big[1], tok, strlen(tok), NOW, &tinfo,
                                err, sizeof(err)),
              0);
    CHECK_INT(tinfo.nroles, SEAL_ROLES_MAX);
    CHECK_STR(tinfo.role_ptrs[15], big[15]);

    /* mint refusals */
    CHECK_INT(seal_token_mint(&epub.keys[0], &c, tok, sizeof(tok), err, sizeof(err)), SEAL_EKEY);
    CHECK(strstr(err, "public key") != NULL);
    struct seal_token_claims x = c;
    x.sub = "a,b";
    CHECK_INT(seal_token_mint(&hk.keys[0], &x, tok, sizeof(tok), err, sizeof(err)), SEAL_ECLAIMS);
    x = c;
    x.nroles = SEAL_ROLES_MAX + 1;
    CHECK_INT(seal_token_mint(&hk.keys[0], &x, tok, sizeof(tok), err, sizeof(err)), SEAL_ECLAIMS);
    x = c;
    x.exp = x.iat + SEAL_TOKEN_MAX_LIFETIME + 1;
    CHECK_INT(seal_token_mint(&hk.keys[0], &x, tok, sizeof(tok), err, sizeof(err)), SEAL_ELIFETIME);
    x = c;
    x.exp = x.iat;
    CHECK_INT(seal_token_mint(&hk.keys[0], &x, tok, sizeof(tok), err, sizeof(err)), SEAL_ECLAIMS);
    const char *dup[] = {"a", "a"};
    x = c;
    x.roles = dup;
    x.nroles = 2;
    CHECK_INT(seal_token_mint(&hk.keys[0], &x, tok, sizeof(tok), err, sizeof(err)), SEAL_ECLAIMS);
    x = c;
    x.sub = "\xff\xfe"; /* not UTF-8: JSON could not carry it */
    CHECK_INT(seal_token_mint(&hk.keys[0], &x, tok, sizeof(tok), err, sizeof(err)), SEAL_ECLAIMS);
    CHECK_INT(seal_token_mint(&hk.keys[0], &c, tok, 100, err, sizeof(err)), -ENOBUFS);
    CHECK_STR(tok, "");
}

static void test_token_rejections(void)
{
    const char *H = "{\"alg\":\"hmac-sha256\",\"kid\":\"h1\"}";
    const char *E = "{\"alg\":\"ed25519\",\"kid\":\"e1\"}";
    const char *C = claims("\"a\"", "[\"r\"]", NOW, NOW + 600, "");
    char good_c[8192];
    snprintf(good_c, sizeof(good_c), "%s", C);
    static char tok[16384], alt[16384 + 16];
    const unsigned char *hs = hk.keys[0].secret, *es = ek.keys[0].secret;

    make_token(tok, "st1", H, good_c, SEAL_SCHEME_HMAC, hs);
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, tok), 0);
    make_token(tok, "st1", E, good_c, SEAL_SCHEME_ED25519, es);
    CHECK_INT(tv(&epub, SEAL_SCHEME_ED25519, tok), 0);

    /* --- agent ids and roles are shown in logs: no controls, bidi or invisible characters */
    CHECK_INT(seal_ident_valid("agent-\xc3\xa9t\xc3\xa9", 11), 1);
    CHECK_INT(seal_ident_valid("a\xc2\x9b" "2J", 5), 0);         /* C1 CSI */
    CHECK_INT(seal_ident_valid("adm\xe2\x80\xaenim", 9), 0);     /* right-to-left override */
    CHECK_INT(seal_ident_valid("ad\xe2\x80\x8bmin", 8), 0);      /* zero width space */
    CHECK_INT(seal_ident_valid("ad\xffmin", 6), 0);               /* not UTF-8 */
    C = claims("\"a\"", "[\"r\\u202e\"]", NOW, NOW + 600, "");
    make_token(tok, "st1", H, C, SEAL_SCHEME_HMAC, hs);
    CHECK(tv(&hk, SEAL_SCHEME_HMAC, tok) < 0);

    /* --- the downgrade: HMAC keyed with the Ed25519 PUBLIC key, to an ed25519 verifier */
    make_token(tok, "st1", "{\"alg\":\"hmac-sha256\",\"kid\":\"e1\"}", good_c, SEAL_SCHEME_HMAC,
               epub.keys[0].pk);
    CHECK_INT(tv(&epub, SEAL_SCHEME_ED25519, tok), SEAL_EDOWNGRADE);
    CHECK(strstr(err, "downgrade") != NULL);
    CHECK_INT(tv(&ek, SEAL_SCHEME_ED25519, tok), SEAL_EDOWNGRADE);
    /* and were a verifier wrongly pinned to hmac with an Ed25519 key under that id, the
     * public key still never serves as an HMAC secret */
    CHECK_INT(tv(&epub, SEAL_SCHEME_HMAC, tok), SEAL_EUNKNOWNKID);
    CHECK(strstr(err, "(ed25519-public) cannot verify hmac-sha256") != NULL);
    /* the mirror: an Ed25519 token to an hmac-pinned verifier */
    make_token(tok, "st1", E, good_c, SEAL_SCHEME_ED25519, es);
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, tok), SEAL_EDOWNGRADE);
    /* algorithms that do not exist here */
    const char *algs[] = {"none", "HS256", "EdDSA", "Ed25519", "HMAC-SHA256", ""};
    for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
        char h[128];
        snprintf(h, sizeof(h), "{\"alg\":\"%s\",\"kid\":\"h1\"}", algs[i]);
        make_token(tok, "st1", h, good_c, SEAL_SCHEME_HMAC, hs);
        int rc = tv(&hk, SEAL_SCHEME_HMAC, tok);
        CHECK_INT(rc, algs[i][0] ? SEAL_EDOWNGRADE : SEAL_EMALFORMED);
    }
    /* no pinned scheme at all */
    make_token(tok, "st1", H, good_c, SEAL_SCHEME_HMAC, hs);
    CHECK_INT(tv(&hk, 0, tok), -EINVAL);

    /* --- version and syntax */
    make_token(tok, "st2", H, good_c, SEAL_SCHEME_HMAC, hs);
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, tok), SEAL_EVERSION);
    CHECK(strstr(err, "'st2'") != NULL);
    make_token(tok, "ST1", H, good_c, SEAL_SCHEME_HMAC, hs);
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, tok), SEAL_EMALFORMED);
    make_token(tok, "st1", H, good_c, SEAL_SCHEME_HMAC, hs);
    const char *bad[] = {"",
                         "st1",
                         "st1.",
                         "st1...",
                         "st1.a.b",
                         "st1.a.b.c.d",
                         "eyJ.eyJ.abc",
                         "st1..eyJ.abc",
                         "st1.eyJ..abc",
                         "st1.eyJ.eyJ."};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, bad[i]), SEAL_EMALFORMED);
    snprintf(alt, sizeof(alt), "%s.", tok);
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, alt), SEAL_EMALFORMED);
    snprintf(alt, sizeof(alt), "%s ", tok);
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, alt), SEAL_EMALFORMED);
    snprintf(alt, sizeof(alt), "%s=", tok);
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, alt), SEAL_EMALFORMED);
    memcpy(alt, tok, strlen(tok) - 1); /* signature one character short */
    alt[strlen(tok) - 1] = '\0';
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, alt), SEAL_EMALFORMED);
    /* an Ed25519-length signature on an hmac token */
    make_token(tok, "st1", H, good_c, SEAL_SCHEME_ED25519, es);
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, tok), SEAL_EMALFORMED);
    CHECK(strstr(err, "32 bytes") != NULL);
    /* too long */
    static char longtok[SEAL_TOKEN_MAX + 2];
    memset(longtok, 'A', SEAL_TOKEN_MAX + 1);
    memcpy(longtok, "st1.", 4);
    longtok[SEAL_TOKEN_MAX + 1] = '\0';
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, longtok), SEAL_EMALFORMED);
    CHECK(strstr(err, "8192") != NULL);
    /* headers */
    const char *hdrs[] = {"[]",
                          "{}",
                          "{\"alg\":\"hmac-sha256\"}",
                          "{\"kid\":\"h1\"}",
                          "{\"alg\":\"hmac-sha256\",\"kid\":\"h1\",\"typ\":\"JWT\"}",
                          "{\"alg\":\"hmac-sha256\",\"alg\":\"hmac-sha256\",\"kid\":\"h1\"}",
                          "{\"alg\":\"hmac-sha256\",\"kid\":1}",
                          "{\"alg\":1,\"kid\":\"h1\"}",
                          "{\"alg\":\"hmac-sha256\",\"kid\":\"h/1\"}",
                          "{\"alg\":\"hmac-sha256\",\"kid\":\"\"}",
                          "{\"alg\":\"hmac-sha256\",\"kid\":\"h1\"",
                          "not json",
                          "{\"alg\":\"hmac-sha256\\u0000\",\"kid\":\"h1\"}"};
    for (size_t i = 0; i < sizeof(hdrs) / sizeof(hdrs[0]); i++) {
        make_token(tok, "st1", hdrs[i], good_c, SEAL_SCHEME_HMAC, hs);
        int rc = tv(&hk, SEAL_SCHEME_HMAC, tok);
        if (rc != SEAL_EMALFORMED)
            fprintf(stderr, "header %s -> %d %s\n", hdrs[i], rc, err);
        CHECK_INT(rc, SEAL_EMALFORMED);
    }
    /* member order and escapes in the header are fine: it is JSON */
    make_token(tok, "st1", "{ \"kid\" : \"h1\", \"alg\":\"hmac-\\u0073ha256\" }", good_c,
               SEAL_SCHEME_HMAC, hs);
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, tok), 0);

    /* --- keys */
    make_token(tok, "st1", "{\"alg\":\"hmac-sha256\",\"kid\":\"h2\"}", good_c, SEAL_SCHEME_HMAC,
               hs);
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, tok), SEAL_EUNKNOWNKID);
    CHECK(strstr(err, "'h2'") != NULL);
    struct seal_keyring empty = {0};
    make_token(tok, "st1", H, good_c, SEAL_SCHEME_HMAC, hs);
    CHECK_INT(tv(&empty, SEAL_SCHEME_HMAC, tok), SEAL_EUNKNOWNKID);
    /* a foreign key of the same id */
    struct seal_keyring foreign;
    CHECK_INT(seal_keyring_generate_kid(&foreign, SEAL_KEY_HMAC, "h1", err, sizeof(err)), 0);
    CHECK_INT(tv(&foreign, SEAL_SCHEME_HMAC, tok), SEAL_EBADSIG);
    seal_keyring_free(&foreign);
    CHECK_INT(seal_keyring_generate_kid(&foreign, SEAL_KEY_ED25519_SECRET, "e1", err, sizeof(err)),
              0);
    make_token(tok, "st1", E, good_c, SEAL_SCHEME_ED25519, es);
    CHECK_INT(tv(&foreign, SEAL_SCHEME_ED25519, tok), SEAL_EBADSIG);
    seal_keyring_free(&foreign);

    /* --- signatures: every character of the token altered is refused */
    for (int scheme = SEAL_SCHEME_HMAC; scheme <= SEAL_SCHEME_ED25519; scheme++) {
        const struct seal_keyring *kr = scheme == SEAL_SCHEME_HMAC ? &hk : &epub;
        make_token(tok, "st1", scheme == SEAL_SCHEME_HMAC ? H : E, good_c, scheme,
                   scheme == SEAL_SCHEME_HMAC ? hs : es);
        size_t n = strlen(tok);
        int accepted = 0;
        for (size_t i = 0; i < n; i++) {
            if (tok[i] == '.')
                continue;
            memcpy(alt, tok, n + 1);
            alt[i] = tok[i] == 'Q' ? 'R' : 'Q';
            if (tv(kr, scheme, alt) == 0) {
                accepted++;
                fprintf(stderr, "altered character %zu accepted\n", i);
            }
        }
        CHECK_INT(accepted, 0);
        /* each signature byte */
        const char *s = strrchr(tok, '.') + 1;
        unsigned char sig[64];
        size_t sn;
        CHECK_INT(seal_b64url_decode(sig, sizeof(sig), &sn, s, strlen(s)), 0);
        int bad_ok = 1;
        for (size_t i = 0; i < sn; i++) {
            sig[i] ^= 0x01;
            memcpy(alt, tok, (size_t)(s - tok));
            seal_b64url_encode(alt + (s - tok), 200, sig, sn);
            if (tv(kr, scheme, alt) != SEAL_EBADSIG)
                bad_ok = 0;
            sig[i] ^= 0x01;
        }
        CHECK(bad_ok);
    }
    /* claims swapped under a valid header and signature */
    make_token(tok, "st1", H, good_c, SEAL_SCHEME_HMAC, hs);
    make_token(alt, "st1", H, claims("\"admin\"", "[\"root\"]", NOW, NOW + 600, ""),
               SEAL_SCHEME_HMAC, hs);
    {
        char spliced[4096];
        const char *sig1 = strrchr(tok, '.');
        size_t head = (size_t)(strrchr(alt, '.') - alt);
        memcpy(spliced, alt, head);
        snprintf(spliced + head, sizeof(spliced) - head, "%s", sig1);
        CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, spliced), SEAL_EBADSIG);
    }

    /* --- the clock */
    make_token(tok, "st1", H, claims("\"a\"", "[]", NOW - 700, NOW - 61, ""), SEAL_SCHEME_HMAC, hs);
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, tok), SEAL_EEXPIRED);
    CHECK(strstr(err, "expired at 2027-01-15T07:58:59Z") != NULL);
    make_token(tok, "st1", H, claims("\"a\"", "[]", NOW - 700, NOW - 59, ""), SEAL_SCHEME_HMAC, hs);
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, tok), 0); /* within the skew */
    make_token(tok, "st1", H, claims("\"a\"", "[]", NOW - 700, NOW - 60, ""), SEAL_SCHEME_HMAC, hs);
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, tok), SEAL_EEXPIRED);
    make_token(tok, "st1", H, claims("\"a\"", "[]", NOW + 61, NOW + 600, ""), SEAL_SCHEME_HMAC, hs);
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, tok), SEAL_ENOTYET);
    CHECK(strstr(err, "issued in the future") != NULL);
    make_token(tok, "st1", H, claims("\"a\"", "[]", NOW + 60, NOW + 600, ""), SEAL_SCHEME_HMAC, hs);
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, tok), 0);
    make_token(tok, "st1", H, claims("\"a\"", "[]", NOW, NOW + 600, ",\"nbf\":1800000300"),
               SEAL_SCHEME_HMAC, hs);
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, tok), SEAL_ENOTYET);
    CHECK(strstr(err, "not valid before") != NULL);

    /* --- audience */
    make_token(tok, "st1", H, good_c, SEAL_SCHEME_HMAC, hs);
    CHECK_INT(seal_token_verify(&hk, SEAL_SCHEME_HMAC, "other", tok, strlen(tok), NOW, &tinfo, err,
                                sizeof(err)),
              SEAL_EAUDIENCE);
    CHECK_INT(seal_token_verify(&hk, SEAL_SCHEME_HMAC, "Sentinel", tok, strlen(tok), NOW, &tinfo,
                                err, sizeof(err)),
              SEAL_EAUDIENCE);
    CHECK_INT(seal_token_verify(&hk, SEAL_SCHEME_HMAC, "sentinel", tok, strlen(tok), NOW, &tinfo,
                                err, sizeof(err)),
              0);

    /* --- lifetime */
    claims_fail(claims("\"a\"", "[]", NOW, NOW + SEAL_TOKEN_MAX_LIFETIME + 1, ""), SEAL_ELIFETIME,
                "exceeds the maximum");
    make_token(tok, "st1", H, claims("\"a\"", "[]", NOW, NOW + SEAL_TOKEN_MAX_LIFETIME, ""),
               SEAL_SCHEME_HMAC, hs);
    CHECK_INT(tv(&hk, SEAL_SCHEME_HMAC, tok), 0);

    /* --- claims */
    char s129[160], roles17[512];
    memset(s129, 'x', 130);
    s129[0] = '"';
    s129[130] = '"';
    s129[131] = '\0';
    size_t rl = (size_t)snprintf(roles17, sizeof(roles17), "[");
    for (int i = 0; i < 17; i++)
        rl += (size_t)snprintf(roles17 + rl, sizeof(roles17) - rl, "%s\"r%d\"", i ? "," : "", i);
    snprintf(roles17 + rl, sizeof(roles17) - rl, "]");
    claims_fail(claims("\"\"", "[]", NOW, NOW + 60, ""), SEAL_ECLAIMS, "\"sub\" is not valid");
    claims_fail(claims(s129, "[]", NOW, NOW + 60, ""), SEAL_ECLAIMS, "\"sub\" is not valid");
    claims_fail(claims("\"a,b\"", "[]", NOW, NOW + 60, ""), SEAL_ECLAIMS, "holds a comma");
    /* the reason names what is wrong, not a generic "not valid" */
    claims_fail(claims("\"adm\\u202enim\"", "[]", NOW, NOW + 60, ""), SEAL_ECLAIMS,
                "claim \"sub\" is not valid: it holds U+202E (byte 4), a control, bidi or "
                "invisible character");
    claims_fail(claims("\"a\"", "[\"r\\u200b\"]", NOW, NOW + 60, ""), SEAL_ECLAIMS,
                "role 1 is not valid: it holds U+200B (byte 2)");
    claims_fail(claims(s129, "[]", NOW, NOW + 60, ""), SEAL_ECLAIMS, "129 bytes long, over 128");
    claims_fail(claims("\"a\\u0001\"", "[]", NOW, NOW + 60, ""), SEAL_ECLAIMS, "\"sub\"");
    claims_fail(claims("\"a\\u0000\"", "[]", NOW, NOW + 60, ""), SEAL_ECLAIMS, "\"sub\"");
    claims_fail(claims("\"a\\n\"", "[]", NOW, NOW + 60, ""), SEAL_ECLAIMS, "\"sub\"");
    claims_fail(claims("\"a\x7f\"", "[]", NOW, NOW + 60, ""), SEAL_ECLAIMS, "\"sub\"");
    claims_fail(claims("7", "[]", NOW, NOW + 60, ""), SEAL_ECLAIMS, "\"sub\" must be a string");
    claims_fail(claims("null", "[]", NOW, NOW + 60, ""), SEAL_ECLAIMS, "must be a string");
    claims_fail(claims("\"a\"", "\"r\"", NOW, NOW + 60, ""), SEAL_ECLAIMS, "array of strings");
    claims_fail(claims("\"a\"", "[1]", NOW, NOW + 60, ""), SEAL_ECLAIMS, "array of strings");
    claims_fail(claims("\"a\"", "[[\"r\"]]", NOW, NOW + 60, ""), SEAL_ECLAIMS, "array");
    claims_fail(claims("\"a\"", "[\"\"]", NOW, NOW + 60, ""), SEAL_ECLAIMS, "role 1");
    claims_fail(claims("\"a\"", "[\"ok\",\"x,y\"]", NOW, NOW + 60, ""), SEAL_ECLAIMS, "role 2");
    claims_fail(claims("\"a\"", "[\"r\",\"r\"]", NOW, NOW + 60, ""), SEAL_ECLAIMS, "twice");
    claims_fail(claims("\"a\"", roles17, NOW, NOW + 60, ""), SEAL_ECLAIMS, "more than 16");
    claims_fail(claims("\"a\"", "[]", NOW, NOW, ""), SEAL_ECLAIMS, "\"exp\" is not after");
    claims_fail(claims("\"a\"", "[]", NOW, NOW - 1, ""), SEAL_ECLAIMS, "\"exp\" is not after");
    claims_fail(claims("\"a\"", "[]", NOW, NOW + 60, ",\"nbf\":1800000060"), SEAL_ECLAIMS,
                "\"nbf\" is not before");
    claims_fail(claims("\"a\"", "[]", NOW, NOW + 60, ",\"nbf\":-1"), SEAL_ECLAIMS, "\"nbf\"");
    claims_fail(claims("\"a\"", "[]", NOW, NOW + 60, ",\"nbf\":1.5"), SEAL_ECLAIMS, "\"nbf\"");
    claims_fail(claims("\"a\"", "[]", NOW, NOW + 60, ",\"nbf\":1e3"), SEAL_ECLAIMS, "\"nbf\"");
    claims_fail(claims("\"a\"", "[]", NOW, NOW + 60, ",\"nbf\":\"1\""), SEAL_ECLAIMS, "\"nbf\"");
    claims_fail(claims("\"a\"", "[]", NOW, NOW + 60, ",\"nbf\":9007199254740992"), SEAL_ECLAIMS,
                "2^53");
    claims_fail(claims("\"a\"", "[]", NOW, NOW + 60, ",\"nbf\":-0"), SEAL_ECLAIMS, "\"nbf\"");
    claims_fail(claims("\"a\"", "[]", NOW, NOW + 60, ",\"role\":[]"), SEAL_ECLAIMS,
                "unknown member");
    claims_fail(claims("\"a\"", "[]", NOW, NOW + 60, ",\"sub\":\"b\""), SEAL_ECLAIMS, "duplicate");
    claims_fail(claims("\"a\"", "[]", NOW, NOW + 60, ",\"s\\u0075b\":\"b\""), SEAL_ECLAIMS,
                "duplicate");
    claims_fail(claims("\"\xc3\x28\"", "[]", NOW, NOW + 60, ""), SEAL_ECLAIMS, "not valid JSON");
    claims_fail("[]", SEAL_ECLAIMS, "not a JSON object");
    claims_fail("{\"sub\":\"a\"", SEAL_ECLAIMS, "not valid JSON");
    {
        char c[512];
        /* each required claim missing */
        snprintf(c, sizeof(c),
                 "{\"roles\":[],\"aud\":\"sentinel\",\"iat\":%llu,\"exp\":%llu,"
                 "\"jti\":\"abcdefghijklmnopqrstuv\"}",
                 NOW, NOW + 60);
        claims_fail(c, SEAL_ECLAIMS, "\"sub\" is missing");
        snprintf(c, sizeof(c),
                 "{\"sub\":\"a\",\"aud\":\"sentinel\",\"iat\":%llu,\"exp\":%llu,"
                 "\"jti\":\"abcdefghijklmnopqrstuv\"}",
                 NOW, NOW + 60);
        claims_fail(c, SEAL_ECLAIMS, "\"roles\" is missing");
        snprintf(c, sizeof(c),
                 "{\"sub\":\"a\",\"roles\":[],\"iat\":%llu,\"exp\":%llu,"
                 "\"jti\":\"abcdefghijklmnopqrstuv\"}",
                 NOW, NOW + 60);
        claims_fail(c, SEAL_ECLAIMS, "\"aud\" is missing");
        snprintf(c, sizeof(c),
                 "{\"sub\":\"a\",\"roles\":[],\"aud\":\"sentinel\",\"exp\":%llu,"
                 "\"jti\":\"abcdefghijklmnopqrstuv\"}",
                 NOW + 60);
        claims_fail(c, SEAL_ECLAIMS, "\"iat\" is missing");
        snprintf(c, sizeof(c),
                 "{\"sub\":\"a\",\"roles\":[],\"aud\":\"sentinel\",\"iat\":%llu,"
                 "\"jti\":\"abcdefghijklmnopqrstuv\"}",
                 NOW);
        claims_fail(c, SEAL_ECLAIMS, "\"exp\" is missing");
        snprintf(c, sizeof(c),
                 "{\"sub\":\"a\",\"roles\":[],\"aud\":\"sentinel\",\"iat\":%llu,"
                 "\"exp\":%llu}",
                 NOW, NOW + 60);
        claims_fail(c, SEAL_ECLAIMS, "\"jti\" is missing");
        snprintf(c, sizeof(c),
                 "{\"sub\":\"a\",\"roles\":[],\"aud\":\"sentinel\",\"iat\":%llu,"
                 "\"exp\":%llu,\"jti\":\"short\"}",
                 NOW, NOW + 60);
        claims_fail(c, SEAL_ECLAIMS, "\"jti\" is not valid");
        snprintf(c, sizeof(c),
                 "{\"sub\":\"a\",\"roles\":[],\"aud\":\"\",\"iat\":%llu,"
                 "\"exp\":%llu,\"jti\":\"abcdefghijklmnopqrstuv\"}",
                 NOW, NOW + 60);
        claims_fail(c, SEAL_ECLAIMS, "\"aud\" is not valid");
    }
}

int main(void)
{
    CHECK_INT(seal_init(), 0);
    CHECK_INT(seal_init(), 0);
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_seal.XXXXXX");
    if (mkdtemp(tmpdir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    test_b64();
    test_keyfile_parse();
    test_keyfile_load();
    test_generate();
    test_sid();

    char text[512];
    snprintf(text, sizeof(text), "sentinel-key v1 hmac-sha256 h1 %s\n", K32);
    CHECK_INT(parse(&hk, text), 0);
    CHECK_INT(seal_keyring_generate_kid(&ek, SEAL_KEY_ED25519_SECRET, "e1", err, sizeof(err)), 0);
    char line[256];
    CHECK(seal_key_format(&ek.keys[0], 1, line, sizeof(line)) > 0);
    CHECK_INT(parse(&epub, line), 0);
    test_token_roundtrip();
    test_token_rejections();
    seal_keyring_free(&hk);
    seal_keyring_free(&ek);
    seal_keyring_free(&epub);
    rmdir(tmpdir);
    return check_done();
}
