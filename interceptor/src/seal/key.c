/*
 * key.c - key files, generated keys and base64url: the only place secret key bytes enter.
 * Key material is decoded straight into sodium_malloc memory, made read-only, and wiped by
 * sodium_free; the text of a key file is read into locked memory too. Never prints, never
 * logs a key, never accepts a secret from a file others can read.
 */
#include "seal/key.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/err.h"

#define LINE_MAX_BYTES 1024
#define B64_VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING

const char *seal_err_str(int code)
{
    switch (code) {
    case SEAL_EMALFORMED:
        return "malformed";
    case SEAL_EVERSION:
        return "unknown format version";
    case SEAL_EDOWNGRADE:
        return "algorithm differs from the pinned scheme (downgrade)";
    case SEAL_EUNKNOWNKID:
        return "unknown key id";
    case SEAL_EBADSIG:
        return "bad signature";
    case SEAL_EEXPIRED:
        return "expired";
    case SEAL_ENOTYET:
        return "not yet valid";
    case SEAL_EAUDIENCE:
        return "wrong audience";
    case SEAL_ECLAIMS:
        return "invalid claims";
    case SEAL_ELIFETIME:
        return "lifetime too long";
    case SEAL_EKEY:
        return "unsuitable key";
    default:
        return err_str(code);
    }
}


int seal_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

/* ---- base64url ---------------------------------------------------------------------- */

size_t seal_b64url_encode(char *out, size_t outcap, const unsigned char *in, size_t len)
{
    /* sodium_bin2base64 aborts on a short buffer: check first */
    if (out == NULL || outcap == 0)
        return 0;
    if (len > (SIZE_MAX - 4) / 4 * 3 || outcap < SEAL_B64_LEN(len) + 1) {
        out[0] = '\0';
        return 0;
    }
    if (len == 0) {
        out[0] = '\0';
        return 0;
    }
    sodium_bin2base64(out, outcap, in, len, B64_VARIANT);
    return SEAL_B64_LEN(len);
}

/* True when every byte of in[0..n) is in the base64url alphabet. Branch-free per byte:
 * libsodium 1.0.18's decoder takes some bytes >= 0x80 for letters, so it is not the judge. */
static int b64_alphabet(const char *in, size_t n)
{
    unsigned bad = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)in[i];
        unsigned ok =
            ((c - 'A') < 26u) | ((c - 'a') < 26u) | ((c - '0') < 10u) | (c == '-') | (c == '_');
        bad |= ok ^ 1u;
    }
    return bad == 0;
}

/* Decoded length of a canonical unpadded base64 text of n characters, or -1. */
static long b64_decoded_len(size_t n)
{
    if (n % 4 == 1 || n > ((size_t)1 << 30))
        return -1;
    return (long)(n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0));
}

int seal_b64url_decode(unsigned char *out, size_t outcap, size_t *outlen, const char *in,
                       size_t len)
{
    *outlen = 0;
    long want = b64_decoded_len(len);
    if (want < 0 || (size_t)want > outcap || !b64_alphabet(in, len))
        return -1;
    if (len == 0)
        return 0;
    const char *end = NULL;
    size_t n = 0;
    /* without `ignore`, libsodium stops at the first byte outside the alphabet (padding,
     * whitespace) and reports where: anything short of the whole text is refused. It also
     * refuses non-zero trailing bits. */
    if (sodium_base642bin(out, outcap, in, len, NULL, &n, &end, B64_VARIANT) != 0 ||
        end != in + len || n != (size_t)want) {
        sodium_memzero(out, outcap);
        return -1;
    }
    *outlen = n;
    return 0;
}

/* ---- keys --------------------------------------------------------------------------- */

int seal_kid_valid(const char *s, size_t n)
{
    if (n == 0 || n > SEAL_KID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

const char *seal_key_type_name(int type)
{
    switch (type) {
    case SEAL_KEY_HMAC:
        return "hmac-sha256";
    case SEAL_KEY_ED25519_SECRET:
        return "ed25519-secret";
    case SEAL_KEY_ED25519_PUBLIC:
        return "ed25519-public";
    default:
        return "?";
    }
}

const char *seal_scheme_name(int scheme)
{
    return scheme == SEAL_SCHEME_HMAC      ? "hmac-sha256"
           : scheme == SEAL_SCHEME_ED25519 ? "ed25519"
                                           : "?";
}

int seal_key_scheme(const struct seal_key *k)
{
    if (k == NULL)
        return SEAL_EKEY;
    if (k->type == SEAL_KEY_HMAC)
        return SEAL_SCHEME_HMAC;
    if (k->type == SEAL_KEY_ED25519_SECRET || k->type == SEAL_KEY_ED25519_PUBLIC)
        return SEAL_SCHEME_ED25519;
    return SEAL_EKEY;
}

int seal_keyring_scheme(const struct seal_keyring *kr)
{
    if (kr == NULL || kr->n == 0)
        return SEAL_EKEY;
    int s = seal_key_scheme(&kr->keys[0]);
    for (size_t i = 1; i < kr->n; i++)
        if (seal_key_scheme(&kr->keys[i]) != s)
            return SEAL_EKEY;
    return s;
}

static void key_wipe(struct seal_key *k)
{
    if (k->secret != NULL)
        sodium_free(k->secret); /* makes it writable, zeroes, unmaps */
    sodium_memzero(k, sizeof(*k));
}

void seal_keyring_free(struct seal_keyring *kr)
{
    if (kr == NULL)
        return;
    for (size_t i = 0; i < kr->n; i++)
        key_wipe(&kr->keys[i]);
    free(kr->keys);
    kr->keys = NULL;
    kr->n = 0;
}

const struct seal_key *seal_keyring_find(const struct seal_keyring *kr, const char *kid,
                                         size_t kidlen)
{
    if (kr == NULL || kid == NULL)
        return NULL;
    for (size_t i = 0; i < kr->n; i++)
        if (strlen(kr->keys[i].kid) == kidlen && memcmp(kr->keys[i].kid, kid, kidlen) == 0)
            return &kr->keys[i];
    return NULL;
}

/* Append a zeroed key slot; NULL on ENOMEM or at the limit. */
static struct seal_key *ring_add(struct seal_keyring *kr)
{
    if (kr->n >= SEAL_KEYRING_MAX)
        return NULL;
    struct seal_key *k = realloc(kr->keys, (kr->n + 1) * sizeof(*k));
    if (k == NULL)
        return NULL;
    kr->keys = k;
    memset(&k[kr->n], 0, sizeof(*k));
    return &k[kr->n++];
}

/* Make a key's secret read-only once it is complete. */
static int seal_secret(struct seal_key *k)
{
    if (k->secret != NULL && sodium_mprotect_readonly(k->secret) != 0)
        return errno ? -errno : -EIO;
    return 0;
}

/* Fill k (type and kid set) from raw key bytes: the HMAC key, the Ed25519 seed or public
 * key. Allocates the secret. 0 or a negative code with a message (no position) in err. */
static int key_from_bytes(struct seal_key *k, const unsigned char *raw, size_t n, char *err,
                          size_t errlen)
{
    switch (k->type) {
    case SEAL_KEY_HMAC:
        k->secret = sodium_malloc(SEAL_HMAC_KEYBYTES);
        if (k->secret == NULL)
            return err_set(err, errlen, -ENOMEM, "out of secure memory");
        memcpy(k->secret, raw, n);
        k->secret_len = SEAL_HMAC_KEYBYTES;
        break;
    case SEAL_KEY_ED25519_SECRET:
        k->secret = sodium_malloc(crypto_sign_SECRETKEYBYTES);
        if (k->secret == NULL)
            return err_set(err, errlen, -ENOMEM, "out of secure memory");
        k->secret_len = crypto_sign_SECRETKEYBYTES;
        if (crypto_sign_seed_keypair(k->pk, k->secret, raw) != 0)
            return err_set(err, errlen, SEAL_EMALFORMED, "cannot derive the Ed25519 key pair");
        break;
    case SEAL_KEY_ED25519_PUBLIC: {
        /* refuse small-order, non-canonical and off-curve points now, not at first use */
        unsigned char x[crypto_scalarmult_curve25519_BYTES];
        if (crypto_sign_ed25519_pk_to_curve25519(x, raw) != 0)
            return err_set(err, errlen, SEAL_EMALFORMED, "not a valid Ed25519 public key");
        memcpy(k->pk, raw, SEAL_ED25519_PKBYTES);
        break;
    }
    default:
        return err_set(err, errlen, SEAL_EMALFORMED, "unknown key type");
    }
    int rc = seal_secret(k);
    if (rc < 0)
        return err_set(err, errlen, rc, "cannot protect the key memory: %s", strerror(-rc));
    return 0;
}

static int type_of(const char *s, size_t n)
{
    if (n == 11 && memcmp(s, "hmac-sha256", 11) == 0)
        return SEAL_KEY_HMAC;
    if (n == 14 && memcmp(s, "ed25519-secret", 14) == 0)
        return SEAL_KEY_ED25519_SECRET;
    if (n == 14 && memcmp(s, "ed25519-public", 14) == 0)
        return SEAL_KEY_ED25519_PUBLIC;
    return 0;
}

static size_t raw_len_of(int type)
{
    return type == SEAL_KEY_HMAC             ? SEAL_HMAC_KEYBYTES
           : type == SEAL_KEY_ED25519_SECRET ? SEAL_ED25519_SEEDBYTES
                                             : SEAL_ED25519_PKBYTES;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/*
 * Parse one key line (s[0..n), no newline) into a new key of kr. `secrets_ok` is false for a
 * file others may read: a secret line is then refused with `mode_note`. Returns 0, or a
 * negative code with "name:line: message" in err.
 */
static int parse_line(struct seal_keyring *kr, const char *s, size_t n, const char *name,
                      unsigned lineno, int secrets_ok, const char *mode_note, char *err,
                      size_t errlen)
{
    const char *f[6];
    size_t fl[6], nf = 0, i = 0;
    while (i < n) {
        while (i < n && is_blank(s[i]))
            i++;
        if (i >= n)
            break;
        if (nf == 6)
            break;
        f[nf] = s + i;
        while (i < n && !is_blank(s[i]))
            i++;
        fl[nf] = (size_t)(s + i - f[nf]);
        nf++;
    }
    if (nf == 0 || (fl[0] != 12 || memcmp(f[0], "sentinel-key", 12) != 0))
        return err_set(err, errlen, SEAL_EMALFORMED,
                    "%s:%u: not a key line (expected: sentinel-key v1 TYPE KID BASE64URL)", name,
                    lineno);
    if (nf < 2 || fl[1] != 2 || memcmp(f[1], "v1", 2) != 0)
        return err_set(err, errlen, SEAL_EVERSION,
                    "%s:%u: unknown key format version '%.*s' (this "
                    "build reads v1)",
                    name, lineno, nf < 2 ? 0 : (int)(fl[1] > 16 ? 16 : fl[1]), nf < 2 ? "" : f[1]);
    if (nf < 5)
        return err_set(err, errlen, SEAL_EMALFORMED,
                    "%s:%u: incomplete key line (expected: sentinel-key v1 TYPE KID BASE64URL)",
                    name, lineno);
    if (nf > 5)
        return err_set(err, errlen, SEAL_EMALFORMED, "%s:%u: trailing garbage after the key", name,
                    lineno);
    int type = type_of(f[2], fl[2]);
    if (type == 0)
        return err_set(err, errlen, SEAL_EMALFORMED,
                    "%s:%u: unknown key type '%.*s' (hmac-sha256, "
                    "ed25519-secret or ed25519-public)",
                    name, lineno, (int)(fl[2] > 32 ? 32 : fl[2]), f[2]);
    if (!seal_kid_valid(f[3], fl[3]))
        return err_set(err, errlen, SEAL_EMALFORMED,
                    "%s:%u: invalid key id (1..%d of A-Z a-z 0-9 . _ -)", name, lineno,
                    SEAL_KID_MAX);
    if (seal_keyring_find(kr, f[3], fl[3]) != NULL)
        return err_set(err, errlen, SEAL_EMALFORMED, "%s:%u: duplicate key id '%.*s'", name, lineno,
                    (int)fl[3], f[3]);
    if (type != SEAL_KEY_ED25519_PUBLIC && !secrets_ok)
        return err_set(err, errlen, -EPERM, "%s:%u: secret key '%.*s' (%s) in a file with %s", name,
                    lineno, (int)fl[3], f[3], seal_key_type_name(type), mode_note);
    size_t want = raw_len_of(type);
    long got = b64_decoded_len(fl[4]);
    if (got < 0 || !b64_alphabet(f[4], fl[4]))
        return err_set(err, errlen, SEAL_EMALFORMED, "%s:%u: the key is not base64url", name, lineno);
    if ((size_t)got != want)
        return err_set(err, errlen, SEAL_EMALFORMED,
                    "%s:%u: wrong key length: %ld bytes, %s needs "
                    "%zu",
                    name, lineno, got, seal_key_type_name(type), want);

    unsigned char *raw = sodium_malloc(want);
    if (raw == NULL)
        return err_set(err, errlen, -ENOMEM, "%s:%u: out of secure memory", name, lineno);
    size_t rawlen = 0;
    int rc;
    if (seal_b64url_decode(raw, want, &rawlen, f[4], fl[4]) != 0) {
        rc = err_set(err, errlen, SEAL_EMALFORMED,
                  "%s:%u: the key is not canonical base64url (no padding, no whitespace)", name,
                  lineno);
        goto out;
    }
    struct seal_key *k = ring_add(kr);
    if (k == NULL) {
        rc = kr->n >= SEAL_KEYRING_MAX
                 ? err_set(err, errlen, SEAL_EMALFORMED, "%s:%u: more than %d keys", name, lineno,
                        SEAL_KEYRING_MAX)
                 : err_set(err, errlen, -ENOMEM, "%s:%u: out of memory", name, lineno);
        goto out;
    }
    k->type = type;
    memcpy(k->kid, f[3], fl[3]);
    k->kid[fl[3]] = '\0';
    char why[128];
    rc = key_from_bytes(k, raw, rawlen, why, sizeof(why));
    if (rc < 0) {
        key_wipe(k);
        kr->n--;
        err_set(err, errlen, rc, "%s:%u: %s", name, lineno, why);
    }
out:
    sodium_free(raw);
    return rc;
}

static int parse_text(struct seal_keyring *kr, const char *text, size_t len, const char *name,
                      int secrets_ok, const char *mode_note, char *err, size_t errlen)
{
    kr->keys = NULL;
    kr->n = 0;
    if (memchr(text, '\0', len) != NULL)
        return err_set(err, errlen, SEAL_EMALFORMED, "%s: holds a NUL byte: not a key file", name);
    unsigned lineno = 0;
    size_t pos = 0;
    int rc = 0;
    while (pos < len) {
        lineno++;
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *s = text + pos;
        size_t n = end - pos;
        pos = end + 1;
        if (n > LINE_MAX_BYTES) {
            rc = err_set(err, errlen, SEAL_EMALFORMED, "%s:%u: line longer than %d bytes", name,
                      lineno, LINE_MAX_BYTES);
            break;
        }
        size_t i = 0;
        while (i < n && is_blank(s[i]))
            i++;
        if (i == n || s[i] == '#')
            continue;
        rc = parse_line(kr, s, n, name, lineno, secrets_ok, mode_note, err, errlen);
        if (rc < 0)
            break;
    }
    if (rc == 0 && kr->n == 0)
        rc = err_set(err, errlen, SEAL_EMALFORMED, "%s: holds no key", name);
    if (rc < 0)
        seal_keyring_free(kr);
    return rc;
}

int seal_keyring_parse(struct seal_keyring *kr, const char *text, size_t len, const char *name,
                       char *err, size_t errlen)
{
    kr->keys = NULL;
    kr->n = 0;
    if (seal_init() < 0)
        return err_set(err, errlen, -EIO, "%s: libsodium does not initialise", name);
    return parse_text(kr, text, len, name ? name : "<keys>", 1, "", err, errlen);
}

int seal_keyring_load(struct seal_keyring *kr, const char *path, char *err, size_t errlen)
{
    kr->keys = NULL;
    kr->n = 0;
    if (seal_init() < 0)
        return err_set(err, errlen, -EIO, "%s: libsodium does not initialise", path);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return err_set(err, errlen, -errno, "%s: %s", path, strerror(errno));
    char *text = NULL;
    int rc;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rc = err_set(err, errlen, -errno, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = err_set(err, errlen, -EINVAL, "%s: not a regular file", path);
        goto out;
    }
    if (st.st_size > (off_t)SEAL_KEYFILE_MAX) {
        rc = err_set(err, errlen, -EFBIG, "%s: larger than %u bytes: not a key file", path,
                  SEAL_KEYFILE_MAX);
        goto out;
    }
    /* a key file is a trust root even when it holds only public keys: whoever can write it
     * can put their own key in it (and mint any token, forge any checkpoint) */
    if ((st.st_mode & 022) != 0 || (st.st_uid != geteuid() && st.st_uid != 0)) {
        rc = err_set(err, errlen, -EPERM,
                     "%s: mode %04o owned by uid %u: a key file must be owned by uid %u%s "
                     "and not writable by group or others, or whoever can write it can "
                     "replace the keys (chmod go-w; chown)",
                     path, (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid, (unsigned)geteuid(),
                     geteuid() != 0 ? " or root" : "");
        goto out;
    }
    /* the text holds secrets: locked memory, wiped by sodium_free */
    text = sodium_malloc(SEAL_KEYFILE_MAX + 1);
    if (text == NULL) {
        rc = err_set(err, errlen, -ENOMEM, "%s: out of secure memory", path);
        goto out;
    }
    size_t len = 0;
    for (;;) {
        ssize_t r = read(fd, text + len, SEAL_KEYFILE_MAX + 1 - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = err_set(err, errlen, -errno, "%s: %s", path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        len += (size_t)r;
        if (len > SEAL_KEYFILE_MAX) {
            rc = err_set(err, errlen, -EFBIG, "%s: larger than %u bytes: not a key file", path,
                      SEAL_KEYFILE_MAX);
            goto out;
        }
    }
    unsigned mode = (unsigned)(st.st_mode & 07777);
    int secrets_ok = st.st_uid == geteuid() && (st.st_mode & 077) == 0;
    char note[160];
    snprintf(note, sizeof(note),
             "mode %04o owned by uid %u: secret key files must be 0600 or "
             "stricter and owned by uid %u (chmod 600)",
             mode, (unsigned)st.st_uid, (unsigned)geteuid());
    rc = parse_text(kr, text, len, path, secrets_ok, note, err, errlen);
out:
    if (text != NULL)
        sodium_free(text);
    close(fd);
    return rc;
}

static void random_kid(char *kid)
{
    unsigned char r[8];
    randombytes_buf(r, sizeof(r));
    sodium_bin2hex(kid, SEAL_KID_MAX + 1, r, sizeof(r));
}

int seal_keyring_generate_kid(struct seal_keyring *kr, int type, const char *kid, char *err,
                              size_t errlen)
{
    kr->keys = NULL;
    kr->n = 0;
    if (seal_init() < 0)
        return err_set(err, errlen, -EIO, "libsodium does not initialise");
    if (type != SEAL_KEY_HMAC && type != SEAL_KEY_ED25519_SECRET)
        return err_set(err, errlen, -EINVAL,
                    "only hmac-sha256 and ed25519-secret keys are "
                    "generated");
    if (kid != NULL && !seal_kid_valid(kid, strlen(kid)))
        return err_set(err, errlen, -EINVAL, "invalid key id (1..%d of A-Z a-z 0-9 . _ -)",
                    SEAL_KID_MAX);
    struct seal_key *k = ring_add(kr);
    if (k == NULL)
        return err_set(err, errlen, -ENOMEM, "out of memory");
    k->type = type;
    if (kid != NULL)
        memcpy(k->kid, kid, strlen(kid) + 1);
    else
        random_kid(k->kid);
    int rc;
    if (type == SEAL_KEY_HMAC) {
        k->secret = sodium_malloc(SEAL_HMAC_KEYBYTES);
        if (k->secret == NULL) {
            rc = err_set(err, errlen, -ENOMEM, "out of secure memory");
            goto out;
        }
        k->secret_len = SEAL_HMAC_KEYBYTES;
        crypto_auth_hmacsha256_keygen(k->secret);
    } else {
        k->secret = sodium_malloc(crypto_sign_SECRETKEYBYTES);
        if (k->secret == NULL) {
            rc = err_set(err, errlen, -ENOMEM, "out of secure memory");
            goto out;
        }
        k->secret_len = crypto_sign_SECRETKEYBYTES;
        if (crypto_sign_keypair(k->pk, k->secret) != 0) {
            rc = err_set(err, errlen, -EIO, "cannot generate an Ed25519 key pair");
            goto out;
        }
    }
    rc = seal_secret(k);
    if (rc < 0)
        err_set(err, errlen, rc, "cannot protect the key memory: %s", strerror(-rc));
out:
    if (rc < 0)
        seal_keyring_free(kr);
    return rc;
}

int seal_keyring_generate(struct seal_keyring *kr, int type, char *err, size_t errlen)
{
    return seal_keyring_generate_kid(kr, type, NULL, err, errlen);
}

int seal_key_format(const struct seal_key *k, int public, char *out, size_t cap)
{
    const unsigned char *raw;
    size_t n;
    int type = k->type;
    if (public) {
        if (k->type == SEAL_KEY_HMAC)
            return -EINVAL; /* an HMAC key has no public half */
        type = SEAL_KEY_ED25519_PUBLIC;
        raw = k->pk;
        n = SEAL_ED25519_PKBYTES;
    } else if (k->type == SEAL_KEY_HMAC) {
        raw = k->secret;
        n = SEAL_HMAC_KEYBYTES;
    } else if (k->type == SEAL_KEY_ED25519_SECRET) {
        raw = k->secret; /* libsodium's secret key is seed || pk: the file holds the seed */
        n = SEAL_ED25519_SEEDBYTES;
    } else {
        raw = k->pk;
        n = SEAL_ED25519_PKBYTES;
    }
    if (raw == NULL)
        return -EINVAL;
    int head = snprintf(out, cap, "sentinel-key v1 %s %s ", seal_key_type_name(type), k->kid);
    if (head < 0 || (size_t)head >= cap)
        return -ENOBUFS;
    size_t b = seal_b64url_encode(out + head, cap - (size_t)head, raw, n);
    if (b == 0 || (size_t)head + b + 2 > cap) {
        sodium_memzero(out, cap);
        return -ENOBUFS;
    }
    out[head + b] = '\n';
    out[head + b + 1] = '\0';
    return head + (int)b + 1;
}
