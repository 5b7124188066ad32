/*
 * keys_cli.c - `sentinel keygen`, `sentinel token`, `sentinel session mint|verify`, and the
 * identity options of `sentinel run` (agent token, trust key, session key).
 * The cryptography is seal/; this file turns arguments into calls and results into exit
 * statuses. It must never print a secret key, and never write one to a file that already
 * exists or that others can read.
 */
#include "keys_cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "base/log.h"
#include "base/term.h"
#include "proxy/session.h"
#include "seal/key.h"
#include "seal/sid.h"
#include "seal/token.h"

enum {
    EX_OK = 0,
    EX_INVALID = 1, /* session verify: the id is not valid */
    EX_USAGE = 64,
    EX_KEYFILE = 66, /* the key file cannot be used: missing, unreadable, invalid, too open */
    EX_SOFTWARE = 70,
    EX_CANTCREAT = 73, /* keygen: the output exists or cannot be created */
};

#define RUN_SESSION_TTL (7u * 24 * 3600)
#define CLI_SESSION_TTL (24u * 3600)
#define CLI_TOKEN_TTL 3600u
#define ERRLEN 512

bool keys_ident_arg(const char *cmd, const char *opt, const char *s, size_t n)
{
    char why[96], shown[80];
    const char *bad = seal_ident_problem(s, n, why, sizeof(why));
    if (bad == NULL)
        return true;
    fprintf(stderr, "sentinel %s: %s '%s' is not valid: it %s\n", cmd, opt,
            term_clean(s, n, shown, sizeof(shown)), bad);
    return false;
}

/* "90", "90s", "30m", "1h", "7d" -> seconds in 1..max. 0 or -1. */
static int parse_ttl(const char *s, uint64_t max, uint64_t *out)
{
    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    uint64_t v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    uint64_t mult = 1;
    if (*p == 's')
        mult = 1;
    else if (*p == 'm')
        mult = 60;
    else if (*p == 'h')
        mult = 3600;
    else if (*p == 'd')
        mult = 86400;
    else if (*p != '\0')
        return -1;
    if (*p != '\0' && p[1] != '\0')
        return -1;
    if (v == 0 || v > max / mult)
        return -1;
    *out = v * mult;
    return 0;
}

static int scheme_arg(const char *v)
{
    if (v == NULL)
        return 0;
    if (strcmp(v, "hmac") == 0 || strcmp(v, "hmac-sha256") == 0)
        return SEAL_SCHEME_HMAC;
    if (strcmp(v, "ed25519") == 0)
        return SEAL_SCHEME_ED25519;
    return -1;
}

/* Load a key file for `cmd`, printing the reason on failure. */
static int load_keys(const char *cmd, const char *opt, const char *path, struct seal_keyring *kr)
{
    char err[ERRLEN];
    if (seal_keyring_load(kr, path, err, sizeof(err)) < 0) {
        fprintf(stderr, "sentinel %s: %s: %s\n", cmd, opt, err);
        return -1;
    }
    return 0;
}

/* ---- keygen ------------------------------------------------------------------------- */

/* Create path exclusively with `mode` and write text[0..n) to it, durably. 0 or -errno. */
static int write_new(const char *path, mode_t mode, const char *text, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, mode);
    if (fd < 0)
        return -errno;
    int rc = 0;
    if (fchmod(fd, mode) != 0) /* exactly `mode`, whatever the umask */
        rc = -errno;
    size_t off = 0;
    while (rc == 0 && off < n) {
        ssize_t w = write(fd, text + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            rc = -errno;
        else
            off += (size_t)w;
    }
    if (rc == 0 && fsync(fd) != 0)
        rc = -errno;
    if (close(fd) != 0 && rc == 0)
        rc = -errno;
    if (rc < 0)
        unlink(path);
    return rc;
}

static void keygen_usage(FILE *f)
{
    fputs("usage: sentinel keygen --scheme ed25519|hmac [--kid ID] --out PATH\n"
          "  hmac: PATH holds the secret (0600); ed25519: PATH holds the secret key (0600)\n"
          "  and PATH.pub the public key. Existing files are never overwritten.\n"
          "  Prints the key id.\n",
          f);
}

int keys_cli_keygen(int argc, char **argv)
{
    const char *scheme_s = NULL, *kid = NULL, *out = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            keygen_usage(stdout);
            return EX_OK;
        }
        if (strcmp(a, "--scheme") == 0)
            slot = &scheme_s;
        else if (strcmp(a, "--kid") == 0)
            slot = &kid;
        else if (strcmp(a, "--out") == 0)
            slot = &out;
        if (slot == NULL || v == NULL) {
            fprintf(stderr,
                    slot ? "sentinel keygen: %s needs a value\n"
                         : "sentinel keygen: unknown argument '%s'\n",
                    a);
            keygen_usage(stderr);
            return EX_USAGE;
        }
        *slot = argv[++i]; /* v */
    }
    int scheme = scheme_arg(scheme_s);
    if (scheme <= 0 || out == NULL || out[0] == '\0') {
        fputs(scheme < 0 ? "sentinel keygen: --scheme takes ed25519 or hmac\n"
                         : "sentinel keygen: --scheme and --out are required\n",
              stderr);
        keygen_usage(stderr);
        return EX_USAGE;
    }
    if (kid != NULL && !seal_kid_valid(kid, strlen(kid))) {
        fprintf(stderr, "sentinel keygen: --kid takes 1..%d of A-Z a-z 0-9 . _ -\n", SEAL_KID_MAX);
        return EX_USAGE;
    }
    size_t outlen = strlen(out);
    char *pub = malloc(outlen + 5);
    if (pub == NULL)
        return EX_SOFTWARE;
    memcpy(pub, out, outlen);
    memcpy(pub + outlen, ".pub", 5);

    struct seal_keyring kr = {0};
    char err[ERRLEN];
    char *text = NULL;
    int status = EX_SOFTWARE;
    int type = scheme == SEAL_SCHEME_HMAC ? SEAL_KEY_HMAC : SEAL_KEY_ED25519_SECRET;
    if (seal_keyring_generate_kid(&kr, type, kid, err, sizeof(err)) < 0) {
        fprintf(stderr, "sentinel keygen: %s\n", err);
        goto out;
    }
    const struct seal_key *k = &kr.keys[0];
    enum { TEXT_CAP = 1024 };
    text = sodium_malloc(TEXT_CAP); /* will hold the secret in base64url */
    if (text == NULL)
        goto out;
    char when[40];
    seal_fmt_time((uint64_t)time(NULL), when, sizeof(when));
    int head = snprintf(text, TEXT_CAP, "# sentinel %s key '%s', created %s. Keep it secret%s\n",
                        seal_key_type_name(k->type), k->kid, when,
                        type == SEAL_KEY_HMAC ? ": whoever holds it can mint tokens and "
                                                "session ids"
                                              : "; the public key is in the .pub file");
    int line = head > 0 && head < TEXT_CAP
                   ? seal_key_format(k, 0, text + head, TEXT_CAP - (size_t)head)
                   : -ENOBUFS;
    if (line < 0)
        goto out;
    if (type == SEAL_KEY_ED25519_SECRET) {
        /* the public half first: if the secret cannot be written, nothing is left behind */
        char pubtext[256];
        int ph = snprintf(pubtext, sizeof(pubtext),
                          "# sentinel ed25519-public key '%s', "
                          "created %s: give this file to `sentinel run --trust-key`\n",
                          k->kid, when);
        int pl = ph > 0 && (size_t)ph < sizeof(pubtext)
                     ? seal_key_format(k, 1, pubtext + ph, sizeof(pubtext) - (size_t)ph)
                     : -ENOBUFS;
        if (pl < 0)
            goto out;
        int rc = write_new(pub, 0644, pubtext, (size_t)(ph + pl));
        if (rc < 0) {
            fprintf(stderr, "sentinel keygen: cannot create '%s': %s%s\n", pub, strerror(-rc),
                    rc == -EEXIST ? " (refusing to overwrite a key)" : "");
            status = EX_CANTCREAT;
            goto out;
        }
        rc = write_new(out, 0600, text, (size_t)(head + line));
        if (rc < 0) {
            unlink(pub);
            fprintf(stderr, "sentinel keygen: cannot create '%s': %s%s\n", out, strerror(-rc),
                    rc == -EEXIST ? " (refusing to overwrite a key)" : "");
            status = EX_CANTCREAT;
            goto out;
        }
        fprintf(stderr,
                "sentinel keygen: wrote the ed25519 secret key to %s (0600) and the "
                "public key to %s\n",
                out, pub);
    } else {
        int rc = write_new(out, 0600, text, (size_t)(head + line));
        if (rc < 0) {
            fprintf(stderr, "sentinel keygen: cannot create '%s': %s%s\n", out, strerror(-rc),
                    rc == -EEXIST ? " (refusing to overwrite a key)" : "");
            status = EX_CANTCREAT;
            goto out;
        }
        fprintf(stderr, "sentinel keygen: wrote the hmac-sha256 key to %s (0600)\n", out);
    }
    printf("%s\n", k->kid);
    status = fflush(stdout) == 0 ? EX_OK : EX_SOFTWARE;
out:
    if (text != NULL)
        sodium_free(text);
    seal_keyring_free(&kr);
    free(pub);
    return status;
}

/* ---- token -------------------------------------------------------------------------- */

static void token_usage(FILE *f)
{
    fputs("usage: sentinel token --scheme hmac|ed25519 --key FILE --agent ID [--role R]...\n"
          "                      [--audience A] [--ttl 1h|30m|3600s|7d]\n"
          "  Prints an agent token signed with FILE's first key (an hmac-sha256 key, or an\n"
          "  ed25519 secret key). Defaults: audience \"sentinel\", ttl 1h (at most 30d).\n",
          f);
}

int keys_cli_token(int argc, char **argv)
{
    const char *scheme_s = NULL, *key = NULL, *agent = NULL, *aud = NULL, *ttl_s = NULL;
    char roles_store[SEAL_ROLES_MAX][SEAL_IDENT_MAX + 1];
    const char *roles[SEAL_ROLES_MAX];
    size_t nroles = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            token_usage(stdout);
            return EX_OK;
        }
        if (strcmp(a, "--role") == 0 && v != NULL) {
            /* R or R1,R2: split on commas, each checked */
            const char *p = v;
            for (;;) {
                const char *c = strchr(p, ',');
                size_t n = c ? (size_t)(c - p) : strlen(p);
                if (nroles >= SEAL_ROLES_MAX) {
                    fprintf(stderr, "sentinel token: --role takes up to %d roles\n",
                            SEAL_ROLES_MAX);
                    return EX_USAGE;
                }
                if (!keys_ident_arg("token", "--role", p, n))
                    return EX_USAGE;
                memcpy(roles_store[nroles], p, n);
                roles_store[nroles][n] = '\0';
                roles[nroles] = roles_store[nroles];
                nroles++;
                if (c == NULL)
                    break;
                p = c + 1;
            }
            i++;
            continue;
        }
        if (strcmp(a, "--scheme") == 0)
            slot = &scheme_s;
        else if (strcmp(a, "--key") == 0)
            slot = &key;
        else if (strcmp(a, "--agent") == 0)
            slot = &agent;
        else if (strcmp(a, "--audience") == 0)
            slot = &aud;
        else if (strcmp(a, "--ttl") == 0)
            slot = &ttl_s;
        if (slot == NULL || v == NULL) {
            fprintf(stderr,
                    slot || strcmp(a, "--role") == 0 ? "sentinel token: %s needs a value\n"
                                                     : "sentinel token: unknown argument '%s'\n",
                    a);
            token_usage(stderr);
            return EX_USAGE;
        }
        *slot = argv[++i]; /* v */
    }
    int scheme = scheme_arg(scheme_s);
    if (scheme <= 0 || key == NULL || agent == NULL) {
        fputs(scheme < 0 ? "sentinel token: --scheme takes hmac or ed25519\n"
                         : "sentinel token: --scheme, --key and --agent are required\n",
              stderr);
        token_usage(stderr);
        return EX_USAGE;
    }
    if (!keys_ident_arg("token", "--agent", agent, strlen(agent)) ||
        (aud && !keys_ident_arg("token", "--audience", aud, strlen(aud))))
        return EX_USAGE;
    for (size_t i = 0; i < nroles; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(roles[i], roles[j]) == 0) {
                fprintf(stderr, "sentinel token: role '%s' given twice\n", roles[i]);
                return EX_USAGE;
            }
    uint64_t ttl = CLI_TOKEN_TTL;
    if (ttl_s != NULL && parse_ttl(ttl_s, SEAL_TOKEN_MAX_LIFETIME, &ttl) < 0) {
        fputs("sentinel token: --ttl takes N, Ns, Nm, Nh or Nd, from 1 s up to 30d\n", stderr);
        return EX_USAGE;
    }
    struct seal_keyring kr = {0};
    if (load_keys("token", "--key", key, &kr) < 0)
        return EX_KEYFILE;
    int status = EX_USAGE;
    const struct seal_key *k = &kr.keys[0];
    if (k->type == SEAL_KEY_ED25519_PUBLIC) {
        fprintf(stderr,
                "sentinel token: --key %s: its first key '%s' is an ed25519 public key; "
                "minting needs the secret key file\n",
                key, k->kid);
        goto out;
    }
    if (seal_key_scheme(k) != scheme) {
        fprintf(stderr, "sentinel token: --scheme %s, but the first key of %s ('%s') is %s\n",
                seal_scheme_name(scheme), key, k->kid, seal_key_type_name(k->type));
        goto out;
    }
    uint64_t now = (uint64_t)time(NULL);
    struct seal_token_claims c = {
        .sub = agent, .roles = roles, .nroles = nroles, .aud = aud, .iat = now, .exp = now + ttl};
    char tok[SEAL_TOKEN_BUF], err[ERRLEN];
    if (seal_token_mint(k, &c, tok, sizeof(tok), err, sizeof(err)) < 0) {
        fprintf(stderr, "sentinel token: %s\n", err);
        goto out;
    }
    printf("%s\n", tok);
    sodium_memzero(tok, sizeof(tok));
    status = fflush(stdout) == 0 ? EX_OK : EX_SOFTWARE;
out:
    seal_keyring_free(&kr);
    return status;
}

/* ---- session ------------------------------------------------------------------------ */

static void session_usage(FILE *f)
{
    fputs("usage: sentinel session mint --key FILE [--ttl 24h]\n"
          "       sentinel session verify --key FILE SESSION_ID\n"
          "  FILE holds hmac-sha256 keys: the first mints, any verifies (by key id).\n"
          "  verify exits 0 when the id is valid, 1 (with the reason) when it is not.\n",
          f);
}

int keys_cli_session(int argc, char **argv)
{
    if (argc < 1 || (strcmp(argv[0], "mint") != 0 && strcmp(argv[0], "verify") != 0)) {
        if (argc >= 1 && (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0)) {
            session_usage(stdout);
            return EX_OK;
        }
        session_usage(stderr);
        return EX_USAGE;
    }
    int mint = strcmp(argv[0], "mint") == 0;
    const char *key = NULL, *ttl_s = NULL, *id = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--key") == 0 || (mint && strcmp(a, "--ttl") == 0)) {
            if (v == NULL) {
                fprintf(stderr, "sentinel session: %s needs a value\n", a);
                return EX_USAGE;
            }
            *(a[2] == 'k' ? &key : &ttl_s) = v;
            i++;
        } else if (!mint && id == NULL && (a[0] != '-' || strcmp(a, "--") == 0)) {
            if (strcmp(a, "--") == 0) {
                if (i + 1 >= argc)
                    break;
                a = argv[++i];
            }
            id = a;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            session_usage(stdout);
            return EX_OK;
        } else {
            fprintf(stderr, "sentinel session: unexpected argument '%s'\n", a);
            session_usage(stderr);
            return EX_USAGE;
        }
    }
    if (key == NULL || (!mint && id == NULL)) {
        fputs(mint ? "sentinel session mint: --key FILE is required\n"
                   : "sentinel session verify: --key FILE and a session id are required\n",
              stderr);
        return EX_USAGE;
    }
    uint64_t ttl = CLI_SESSION_TTL;
    if (ttl_s != NULL && parse_ttl(ttl_s, SEAL_SID_MAX_TTL, &ttl) < 0) {
        fputs("sentinel session mint: --ttl takes N, Ns, Nm, Nh or Nd, from 1 s up to 366d\n",
              stderr);
        return EX_USAGE;
    }
    struct seal_keyring kr = {0};
    if (load_keys("session", "--key", key, &kr) < 0)
        return EX_KEYFILE;
    int status = EX_USAGE;
    uint64_t now = (uint64_t)time(NULL);
    if (mint) {
        const struct seal_key *k = &kr.keys[0];
        if (k->type != SEAL_KEY_HMAC) {
            fprintf(stderr,
                    "sentinel session mint: the first key of %s ('%s') is %s; session "
                    "ids need an hmac-sha256 key\n",
                    key, k->kid, seal_key_type_name(k->type));
            goto out;
        }
        char sid[SEAL_SID_BUF];
        if (seal_sid_mint(k, now, ttl, sid, sizeof(sid)) < 0) {
            fputs("sentinel session mint: cannot mint a session id\n", stderr);
            status = EX_SOFTWARE;
            goto out;
        }
        printf("%s\n", sid);
        status = fflush(stdout) == 0 ? EX_OK : EX_SOFTWARE;
    } else {
        struct seal_sid_info info;
        char err[ERRLEN];
        int rc = seal_sid_verify(&kr, id, strlen(id), now, &info, err, sizeof(err));
        if (rc < 0) {
            fprintf(stderr, "sentinel session verify: invalid: %s\n", err);
            status = EX_INVALID;
        } else {
            char iat[40], exp[40];
            seal_fmt_time(info.iat, iat, sizeof(iat));
            seal_fmt_time(info.exp, exp, sizeof(exp));
            printf("valid: key %s, issued %s, expires %s\n", info.kid, iat, exp);
            status = fflush(stdout) == 0 ? EX_OK : EX_SOFTWARE;
        }
    }
out:
    seal_keyring_free(&kr);
    return status;
}

/* ---- run ---------------------------------------------------------------------------- */

/* What `run` keeps for the life of the process: cfg points into it. */
static struct {
    struct seal_token_info token;
    struct seal_keyring session_keys;
    char session_id[SEAL_SID_BUF];
    char identity[64];
    char *env_token; /* a copy of SENTINEL_AGENT_TOKEN, wiped at exit */
    int registered;
    char refused[ERRLEN + 64]; /* why the identity was refused (keys_cli_run_refused) */
    const char *refused_from;  /* ... and where the token came from, or NULL */
} run_state;

static void run_identity_cleanup(void)
{
    seal_keyring_free(&run_state.session_keys);
    sodium_memzero(&run_state.token, sizeof(run_state.token));
    if (run_state.env_token != NULL) {
        sodium_memzero(run_state.env_token, strlen(run_state.env_token));
        free(run_state.env_token);
        run_state.env_token = NULL;
    }
}

/* Verify the token and take the identity from it. 0 or an exit status. */
static int run_token(const struct keys_run_opts *o, const char *tok, int from_env,
                     struct run_config *cfg)
{
    struct seal_keyring trust = {0};
    if (load_keys("run", "--trust-key", o->trust_key, &trust) < 0)
        return EX_KEYFILE;
    int status = EX_USAGE;
    int scheme = seal_keyring_scheme(&trust);
    if (scheme < 0) {
        fprintf(stderr,
                "sentinel run: --trust-key %s mixes hmac-sha256 and ed25519 keys: the "
                "scheme it pins would be ambiguous\n",
                o->trust_key);
        goto out;
    }
    if (scheme == SEAL_SCHEME_ED25519 && trust.keys[0].type == SEAL_KEY_ED25519_SECRET)
        log_warn("--trust-key %s holds an ed25519 secret key; the interceptor needs only the "
                 "public key (the .pub file)",
                 o->trust_key);
    char err[ERRLEN];
    int rc = seal_token_verify(&trust, scheme, o->audience, tok, strlen(tok), (uint64_t)time(NULL),
                               &run_state.token, err, sizeof(err));
    if (rc < 0) {
        fprintf(stderr, "sentinel run: agent token%s rejected: %s\n",
                from_env ? " (SENTINEL_AGENT_TOKEN)" : "", err);
        snprintf(run_state.refused, sizeof(run_state.refused), "agent token rejected: %s", err);
        run_state.refused_from = from_env ? "SENTINEL_AGENT_TOKEN" : "--agent-token";
        goto out;
    }
    cfg->agent = run_state.token.sub;
    cfg->roles = run_state.token.role_ptrs;
    cfg->nroles = run_state.token.nroles;
    snprintf(run_state.identity, sizeof(run_state.identity), "token:%s:%s",
             seal_scheme_name(scheme), run_state.token.kid);
    cfg->identity = run_state.identity;
    cfg->token_exp = run_state.token.exp;
    char shown[SEAL_IDENT_MAX + 1]; /* the claim as a terminal may show it */
    term_clean(run_state.token.sub, strlen(run_state.token.sub), shown, sizeof(shown));
    log_info("agent '%s' identified by token (%s, key %s, %zu role%s)", shown,
             seal_scheme_name(scheme), run_state.token.kid, run_state.token.nroles,
             run_state.token.nroles == 1 ? "" : "s");
    status = 0;
out:
    seal_keyring_free(&trust); /* the HMAC secret, if any, is not needed past this point */
    return status;
}

const char *keys_cli_run_refused(const char **token_from)
{
    *token_from = run_state.refused_from;
    return run_state.refused[0] != '\0' ? run_state.refused : NULL;
}

int keys_cli_run_identity(const struct keys_run_opts *o, struct run_config *cfg)
{
    if (!run_state.registered) {
        atexit(run_identity_cleanup);
        run_state.registered = 1;
    }
    if (seal_init() < 0) {
        fputs("sentinel run: libsodium does not initialise\n", stderr);
        return EX_SOFTWARE;
    }
    const char *tok = o->agent_token;
    int from_env = 0;
    char *env = getenv("SENTINEL_AGENT_TOKEN");
    if (tok == NULL && env != NULL && env[0] != '\0') {
        run_state.env_token = strdup(env);
        if (run_state.env_token == NULL)
            return EX_SOFTWARE;
        tok = run_state.env_token;
        from_env = 1;
    }
    if (env != NULL) {
        /* a bearer credential: the server (and anything it starts) must not inherit it */
        sodium_memzero(env, strlen(env));
        unsetenv("SENTINEL_AGENT_TOKEN");
    }
    int asserted = cfg->agent != NULL || cfg->nroles > 0;
    if (tok != NULL && o->trust_key == NULL) {
        fprintf(stderr,
                "sentinel run: an agent token (%s) needs --trust-key FILE to verify "
                "it\n",
                from_env ? "SENTINEL_AGENT_TOKEN" : "--agent-token");
        return EX_USAGE;
    }
    if (tok == NULL && o->trust_key != NULL) {
        fputs("sentinel run: --trust-key is set, so an agent token is required "
              "(--agent-token TOKEN or SENTINEL_AGENT_TOKEN)\n",
              stderr);
        return EX_USAGE;
    }
    if (tok == NULL && o->audience != NULL) {
        fputs("sentinel run: --token-audience applies to an agent token; there is none\n", stderr);
        return EX_USAGE;
    }
    if (tok != NULL && asserted) {
        fputs("sentinel run: --agent/--role cannot be combined with an agent token: a signed "
              "identity cannot be overridden\n",
              stderr);
        return EX_USAGE;
    }
    if (o->audience != NULL &&
        !keys_ident_arg("run", "--token-audience", o->audience, strlen(o->audience)))
        return EX_USAGE;
    if (tok == NULL && o->require_token) {
        snprintf(run_state.refused, sizeof(run_state.refused),
                 "the policy requires a verified agent identity (identity.require: token) and "
                 "no agent token was given%s",
                 asserted ? "; --agent and --role only assert one" : "");
        fprintf(stderr,
                "sentinel run: the policy requires a verified agent identity (identity.require: "
                "token): give --agent-token TOKEN (or SENTINEL_AGENT_TOKEN) and --trust-key "
                "FILE%s\n",
                asserted ? "; --agent and --role only assert one" : "");
        return EX_USAGE;
    }
    if (tok != NULL) {
        int rc = run_token(o, tok, from_env, cfg);
        if (rc != 0)
            return rc;
    } else {
        cfg->identity = asserted ? "asserted" : NULL;
    }

    char err[ERRLEN];
    seal_keyring_free(&run_state.session_keys);
    if (o->session_key != NULL) {
        if (load_keys("run", "--session-key", o->session_key, &run_state.session_keys) < 0)
            return EX_KEYFILE;
        const struct seal_key *k = &run_state.session_keys.keys[0];
        if (k->type != SEAL_KEY_HMAC) {
            fprintf(stderr,
                    "sentinel run: --session-key %s: its first key '%s' is %s; session "
                    "ids need an hmac-sha256 key\n",
                    o->session_key, k->kid, seal_key_type_name(k->type));
            return EX_USAGE;
        }
    } else if (seal_keyring_generate(&run_state.session_keys, SEAL_KEY_HMAC, err, sizeof(err)) <
               0) {
        fprintf(stderr, "sentinel run: cannot generate a session key: %s\n", err);
        return EX_SOFTWARE;
    }
    uint64_t sttl = RUN_SESSION_TTL;
    if (o->session_ttl != NULL && parse_ttl(o->session_ttl, SEAL_SID_MAX_TTL, &sttl) < 0) {
        fprintf(stderr, "sentinel run: --session-ttl takes 1s .. 366d (e.g. 30m, 12h, 7d), got '%s'\n",
                o->session_ttl);
        return EX_USAGE;
    }
    if (seal_sid_mint(&run_state.session_keys.keys[0], (uint64_t)time(NULL), sttl,
                      run_state.session_id, sizeof(run_state.session_id)) < 0) {
        fputs("sentinel run: cannot mint a session id\n", stderr);
        return EX_SOFTWARE;
    }
    cfg->session_id = run_state.session_id;
    cfg->session_keys = &run_state.session_keys;
    return 0;
}
