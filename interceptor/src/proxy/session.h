/*
 * session.h - one stdio interception session: client <-> sentinel <-> upstream server.
 *
 * session_run owns the loop for the whole life of the session: it spawns the upstream,
 * relays and polices messages in both directions, and shuts everything down (client
 * EOF, a termination signal, upstream exit). It returns the process exit status.
 */
#ifndef SENTINEL_PROXY_SESSION_H
#define SENTINEL_PROXY_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct policy;
struct diag;

/* Loads the policy at `path` (NULL: the built-in default). Pure; runs on a worker thread. */
typedef int (*policy_load_cb)(const char *path, struct policy **out, struct diag *d);

/* Exit statuses of `sentinel run` besides the upstream's own (see docs/cli.md). */
enum run_status {
    RUN_OK = 0,
    RUN_USAGE = 64,        /* EX_USAGE: bad command line */
    RUN_POLICY = 65,       /* EX_DATAERR: the policy does not load */
    RUN_NOINPUT = 66,      /* EX_NOINPUT: a key file or a taint.track source cannot be used */
    RUN_SPAWN = 69,        /* EX_UNAVAILABLE: the upstream could not be started */
    RUN_INTERNAL = 70,     /* EX_SOFTWARE: internal error */
    RUN_IO = 74,           /* EX_IOERR: the client's stdio or the audit log failed */
    RUN_UPSTREAM_EOF = 75, /* EX_TEMPFAIL: the upstream quit with status 0 mid-session */
};

struct seal_key;
struct seal_keyring;

struct run_config {
    char *const *argv;       /* upstream command, NULL-terminated */
    struct policy *policy;   /* the session takes ownership */
    const char *policy_path; /* reloaded on SIGHUP; NULL = the built-in default */
    policy_load_cb load_policy;
    const char *audit_path;  /* NULL = no audit log */
    bool audit_arguments;    /* decision records carry the request's arguments verbatim */
    int audit_fsync;         /* AUDIT_SYNC_* (audit/audit.h); the policy can only raise it */
    const struct seal_keyring *audit_keys; /* keys[0] signs checkpoints, all verify the log
                                            * being continued (seal/key.h); NULL = unsigned */
    uint64_t audit_rotate;   /* rotate the log at this many bytes; 0 = never */
    uint64_t audit_checkpoint; /* records between checkpoints (AUDIT_CHECKPOINT_EVERY) */
    bool audit_fail_open;    /* keep serving when the log cannot be written (default: deny) */
    bool audit_commit;       /* --audit-fsync commit: always, and a message reaches the server
                              * only once every record before it is synced */
    const char *agent;       /* the agent's id (a token's sub, or --agent), NULL = unidentified */
    const char *const *roles; /* its roles */
    size_t nroles;
    const char *server_id;   /* the server's identity; NULL = its self-reported serverInfo.name */
    const char *session_id;  /* the signed session id (seal/sid.h), in every audit record */
    const char *identity;    /* how the agent is known: "token:<alg>:<kid>", "asserted" or NULL */
    uint64_t token_exp;      /* the agent token's exp (Unix s); 0 = no token. From exp +
                              * SEAL_TOKEN_SKEW_S on, every decision denies (rule identity) */
    const struct seal_keyring *session_keys; /* verifies session ids presented to us */
    const char *approval;    /* "tty" (or "tty:DEVICE"): who answers approve rules; NULL = nobody */
    unsigned approval_ms;    /* how long a held call waits for an answer */
    const char *pins_path;   /* tool pin store; NULL = pins kept in memory (when the policy pins) */
    const char *invalidations; /* operator invalidations file, read at start and on SIGHUP */
    const char *control_path;  /* --control: the control socket (control/control.h); NULL = none */
    unsigned control_idle_ms;  /* --control-idle: idle connections close after this; 0 = 60 s */
    bool observe;            /* record would-be denials, forward everything */
    size_t max_message;      /* bytes per message, both directions */
    unsigned max_depth;      /* JSON nesting */
    size_t max_pending;      /* in-flight requests per direction */
    size_t queue_limit;      /* bytes queued toward a peer before its source pauses */
    unsigned grace_ms;       /* after client EOF, before SIGTERM to the upstream group */
    unsigned kill_ms;        /* after SIGTERM, before SIGKILL */
    unsigned pending_ms;     /* after upstream death, before pending requests are failed */
    int client_in_fd;        /* normally 0 */
    int client_out_fd;       /* normally 1 */
};

void run_config_defaults(struct run_config *c);
int session_run(const struct run_config *c);

#endif
