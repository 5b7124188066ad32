/*
 * keys_cli.h - the key, token and session-id commands (`sentinel keygen`, `sentinel token`,
 * `sentinel session mint|verify`) and the identity options of `sentinel run`.
 * Each command function returns the process exit status (docs/cli.md).
 */
#ifndef SENTINEL_KEYS_CLI_H
#define SENTINEL_KEYS_CLI_H

#include <stdbool.h>
#include <stddef.h>

struct run_config;

/* argv[0] is the first argument after the command name. */
int keys_cli_keygen(int argc, char **argv);
int keys_cli_token(int argc, char **argv);
int keys_cli_session(int argc, char **argv);

/*
 * Check the agent id, role, audience or server id s[0..n) that option `opt` of `sentinel cmd`
 * gave (seal_ident_problem); when it is not valid, say what is wrong on stderr (the value shown
 * with term_clean) and return false.
 */
bool keys_ident_arg(const char *cmd, const char *opt, const char *s, size_t n);

/* The identity options of `sentinel run`, as given (borrowed from argv). */
struct keys_run_opts {
    const char *agent_token; /* --agent-token; NULL: SENTINEL_AGENT_TOKEN, else none */
    const char *trust_key;   /* --trust-key FILE: pins the scheme by its key type */
    const char *audience;    /* --token-audience; NULL = "sentinel" */
    const char *session_key; /* --session-key FILE; NULL = a per-run key */
    const char *session_ttl; /* --session-ttl; NULL = RUN_SESSION_TTL (7 days) */
    bool require_token;      /* the policy says identity.require: token: no token, no run */
};

/*
 * Called once `run`'s options are parsed and cfg->agent/roles hold what --agent/--role
 * asserted. Verifies the agent token against the trust key (then cfg->agent, roles and
 * nroles come from its claims, cfg->token_exp from its exp), sets cfg->identity
 * ("token:<alg>:<kid>", "asserted" or NULL), refuses to go on without a token when
 * o->require_token, loads or generates the session key (cfg->session_keys) and mints
 * cfg->session_id (--session-ttl, 7 days by default). SENTINEL_AGENT_TOKEN is removed from
 * the environment, so the server never inherits it. Returns 0, or an exit status (64) after
 * printing the reason. What it sets stays valid until exit (freed by an atexit handler).
 */
int keys_cli_run_identity(const struct keys_run_opts *o, struct run_config *cfg);

/* After keys_cli_run_identity refused the identity (an agent token rejected, or none where
 * the policy requires one): why, for the audit log, and where the token came from
 * ("--agent-token", "SENTINEL_AGENT_TOKEN" or NULL). NULL when nothing was refused. */
const char *keys_cli_run_refused(const char **token_from);

#endif
