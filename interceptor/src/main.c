/*
 * main.c - the sentinel command line: arguments, the chosen subcommand, exit status.
 * Nothing else lives here: `run` is proxy/session.c, `check` is policy/load.c.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/num.h"
#include "audit/audit.h"
#include "audit/report.h"
#include "audit_cli.h"
#include "control/ctl_cli.h"
#include "keys_cli.h"
#include "seal/key.h"
#include "base/log.h"
#include "mcp/canon.h"
#include "mcp/json.h"
#include "mcp/uri.h"
#include "policy/explain.h"
#include "policy/lint.h"
#include "policy/packs.h"
#include "policy/policy.h"
#include "policy/replay.h"
#include "policy/chain.h"
#include "proxy/guard.h"
#include "audit/verify.h"
#include "proxy/pins.h"
#include "proxy/scan_cmd.h"
#include "proxy/session.h"

extern const char sentinel_default_policy[];
extern const size_t sentinel_default_policy_len;

#define SENTINEL_VERSION "0.1.0"

static void usage(FILE *f)
{
    fputs("usage: sentinel run [options] -- COMMAND [ARGS...]\n"
          "       sentinel check [--strict] FILE...\n"
          "       sentinel explain --policy FILE --tool NAME [--args JSON] [--taint L1,L2]\n"
          "                        [--agent ID] [--role R] [--server ID] [--why]\n"
          "       sentinel explain --policy FILE --method M [--name N | --uri U] ...\n"
          "       sentinel replay --policy FILE [--all] [--exit-code] [--max-line BYTES]\n"
          "                       [--key FILE] AUDIT_LOG\n"
          "       sentinel chain AUDIT_LOG (--request ID | --tool NAME | --server ID) [--json]\n"
          "                      [--exit-code] [--max-line BYTES] [--key FILE]\n"
          "       sentinel verify [--key FILE] [--strict] [--json] AUDIT_LOG\n"
          "       sentinel report AUDIT_LOG [--format md|html] [--key FILE] [--strict]\n"
          "                       [--out FILE] [--since T] [--until T] [--max-line BYTES]\n"
          "       sentinel scan [--json] [--min-score N] [--timeout S] [--pins FILE [--record]]\n"
          "                     [--server-id ID] [--max-message BYTES] [-q] -- COMMAND [ARGS...]\n"
          "       sentinel pins list|approve|forget --store FILE ...\n"
          "       sentinel keygen --scheme ed25519|hmac [--kid ID] --out PATH\n"
          "       sentinel token --scheme hmac|ed25519 --key FILE --agent ID [--role R]...\n"
          "                      [--audience A] [--ttl 1h|30m|3600s|7d]\n"
          "       sentinel session mint --key FILE [--ttl 24h]\n"
          "       sentinel session verify --key FILE SESSION_ID\n"
          "       sentinel ctl --socket PATH [--session ID] [--json] [--timeout S]\n"
          "                    ping | status | track [--label L]... < VALUE\n"
          "                    | invalidate (--request ID | --tool NAME | --server ID)\n"
          "       sentinel packs | sentinel presets\n"
          "       sentinel version\n"
          "       sentinel COMMAND --help      (or -h) that command's usage and options\n"
          "\n"
          "run: start COMMAND as an MCP server over stdio and police every message\n"
          "  --policy FILE        policy to enforce (default: the built-in default pack)\n"
          "  --audit FILE         append one JSON line per decision to FILE\n"
          "  --observe            forward everything; record what would have been denied\n"
          "  --audit-arguments    decision records carry the call's arguments (for replay)\n"
          "  --audit-fsync MODE   always (group commit), interval (1 s) or never (default;\n"
          "                       a policy's audit.fsync can only make it stronger); commit:\n"
          "                       always, and a call reaches the server only once its\n"
          "                       decision record is synced\n"
          "  --audit-key FILE     sign the log's checkpoints with this HMAC or Ed25519 secret\n"
          "                       key (sentinel keygen); verify with --key\n"
          "  --audit-rotate SIZE  start a new file at SIZE bytes (LOG.1, LOG.2, ... oldest\n"
          "                       first); the chain runs across them\n"
          "  --audit-checkpoint N sign the chain head every N records (default 1000; also\n"
          "                       1 s after the first unsigned record, on rotation and at exit)\n"
          "  --audit-failure M    closed (default): deny every call once the log cannot be\n"
          "                       written; open: serve on without it (said once on stderr)\n"
          "  --agent ID           the agent's identity, for rules with agents:\n"
          "  --role R             one of its roles (repeat, or R1,R2), for rules with roles:\n"
          "  --agent-token TOKEN  a signed agent token (sentinel token; default: the env\n"
          "                       SENTINEL_AGENT_TOKEN): agent id and roles come from it\n"
          "  --trust-key FILE     verifies the token: an ed25519 public key or an HMAC key\n"
          "                       (its type pins the scheme); a token is then required\n"
          "  --token-audience A   the audience the token must name (default sentinel)\n"
          "  --session-key FILE   HMAC key signing the session id (default: one per run)\n"
          "  --session-ttl T      how long the run's session id is valid (default 7d; 30m, 12h,\n"
          "                       up to 366d): the control socket refuses it afterwards\n"
          "  --server-id ID       the server's identity for rules with servers: (default: the\n"
          "                       name the server reports in initialize)\n"
          "  --pins FILE          tool pin store: definitions hashed on first sight, a changed\n"
          "                       one blocked until `sentinel pins approve`\n"
          "  --invalidations FILE sources the operator distrusts (lines: request ID, tool NAME,\n"
          "                       server ID), read at start and on SIGHUP\n"
          "  --control PATH       a control socket for `sentinel ctl` (0600; the session id\n"
          "                       is written to PATH.session)\n"
          "  --control-idle S     close control connections idle for S seconds (default 60)\n"
          "  --approval tty       who answers approve rules: a prompt on /dev/tty\n"
          "                       (tty:DEVICE for another terminal; without it they deny)\n"
          "  --approval-timeout S seconds a held call waits for an answer (default 60)\n"
          "  --max-message BYTES  largest message accepted, either way (default 64M;\n"
          "                       suffixes K, M, G are binary)\n"
          "  --max-depth N        deepest JSON nesting accepted (default 128)\n"
          "  --max-pending N      requests in flight per direction (default 4096)\n"
          "  --grace MS           after client EOF, wait MS before SIGTERM (default 1000)\n"
          "  --kill-after MS      after SIGTERM, wait MS before SIGKILL (default 1000)\n"
          "  -v, --verbose        more diagnostics on stderr (repeat for debug)\n"
          "  -q, --quiet          errors only\n"
          "\n"
          "Every command, its options and exit statuses: docs/cli.md.\n",
          f);
}

/* -h or --help: the command's own usage on stdout, exit 0 */
static bool is_help(const char *a)
{
    return strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0;
}

static void check_usage(FILE *f)
{
    fputs("usage: sentinel check [--strict] FILE...\n"
          "Load each policy file as `sentinel run` would and print FILE: ok (N rules, default\n"
          "...), or each error as file:line:col: message; warnings for rules that can never\n"
          "match, and a note for a sandbox this build does not enforce.\n"
          "  --strict  warnings fail too\n"
          "exit status: 0 every file loads (--strict: without warnings), 1 otherwise, 64 usage\n",
          f);
}

static void explain_usage(FILE *f)
{
    fputs("usage: sentinel explain --policy FILE --tool NAME [--args JSON] [--taint L1,L2]\n"
          "                        [--agent ID] [--role R] [--server ID] [--why]\n"
          "       sentinel explain --policy FILE --method M [--name N | --uri U] ...\n"
          "Print the decision for one request as one JSON line {\"effect\",\"rule\",\"reason\",\n"
          "\"line\"}, from the evaluator `sentinel run` uses.\n"
          "  --tool NAME      a tools/call of NAME (--name: the same, for --method prompts/get)\n"
          "  --method M       the request's method (default tools/call)\n"
          "  --uri U          the resource of a resources/read\n"
          "  --args JSON      its arguments, a JSON object (scored when the policy reads\n"
          "                   threat_score)\n"
          "  --taint L1,L2    the session's labels\n"
          "  --agent ID, --role R, --server ID   the identity, as `sentinel run` takes it\n"
          "  --why            why each earlier rule did not match\n"
          "exit status: 0, 64 usage, 65 the policy does not load, 70 the scanner cannot be made\n",
          f);
}

static void replay_usage(FILE *f)
{
    fputs("usage: sentinel replay --policy FILE [--all] [--exit-code] [--max-line BYTES]\n"
          "                       [--key FILE] AUDIT_LOG\n"
          "Decide the requests recorded in an audit log again with policy FILE and print one\n"
          "JSON line per decision that would change; a summary on stderr. AUDIT_LOG may be -\n"
          "for standard input.\n"
          "  --all             every decision, unchanged ones too\n"
          "  --exit-code       exit 1 when a decision changed or a line could not be read\n"
          "  --max-line BYTES  longest line read (default 65M; 64 .. 2G, K/M/G binary)\n"
          "  --key FILE        check the log's checkpoint signatures with this key too\n"
          "exit status: 0 replayed, 1 (--exit-code) changes, 64 usage, 65 the policy does not\n"
          "load, 66 the log or key cannot be used, 70 internal error, 74 I/O error\n",
          f);
}

static void packs_usage(FILE *f)
{
    fputs("usage: sentinel packs\n"
          "       sentinel presets\n"
          "packs: the policy packs compiled in (include: [NAME]); presets: the compliance\n"
          "overlays among them (include: [presets/NAME]); one per line with its description\n",
          f);
}

static int print_diag(const struct diag *d)
{
    if (d->line > 0)
        fprintf(stderr, "%s:%u:%u: %s\n", d->file ? d->file : "<policy>", d->line, d->col,
                d->msg);
    else
        fprintf(stderr, "%s: %s\n", d->file ? d->file : "<policy>", d->msg);
    return 0;
}

/* Load a policy file, or the built-in default when path is NULL. Pure: reloads run it on
 * a worker thread. */
static int load_policy_quiet(const char *path, struct policy **out, struct diag *d)
{
    return path ? policy_load_file(path, out, d)
                : policy_load_text(sentinel_default_policy, sentinel_default_policy_len,
                                   "<builtin:default>", out, d);
}

static int load_policy(const char *path, struct policy **out)
{
    struct diag d = {0};
    int rc = load_policy_quiet(path, out, &d);
    if (rc < 0)
        print_diag(&d);
    return rc;
}

static void print_warning(void *ctx, unsigned line, unsigned col, const char *msg)
{
    fprintf(stderr, "%s:%u:%u: warning: %s\n", (const char *)ctx, line, col, msg);
}

static int cmd_check(int argc, char **argv)
{
    bool strict = false;
    for (; argc > 0 && argv[0][0] == '-' && argv[0][1] != '\0'; argc--, argv++) {
        if (strcmp(argv[0], "--") == 0) {
            argc--;
            argv++;
            break;
        }
        if (is_help(argv[0])) {
            check_usage(stdout);
            return 0;
        }
        if (strcmp(argv[0], "--strict") != 0) {
            fprintf(stderr, "sentinel check: unknown option '%s' (a file named so: ./%s)\n",
                    argv[0], argv[0]);
            return RUN_USAGE;
        }
        strict = true;
    }
    if (argc < 1) {
        fputs("sentinel check: which policy files? (sentinel check [--strict] FILE...)\n", stderr);
        return RUN_USAGE;
    }
    int bad = 0;
    for (int i = 0; i < argc; i++) {
        struct policy *p = NULL;
        if (load_policy(argv[i], &p) < 0) {
            bad++;
            continue;
        }
        size_t warnings = policy_lint(p, print_warning, argv[i]);
        if (strict && warnings)
            printf("%s: fails under --strict: %zu warning%s (%zu rule%s, default %s)\n", argv[i],
                   warnings, warnings == 1 ? "" : "s", p->nrules, p->nrules == 1 ? "" : "s",
                   effect_name(p->default_effect));
        else
            printf("%s: ok (%zu rule%s, default %s%s)\n", argv[i], p->nrules,
                   p->nrules == 1 ? "" : "s", effect_name(p->default_effect),
                   warnings ? ", with warnings" : "");
        if (p->sandbox.set)
            printf("%s: note: sandbox (egress %s, %zu allowed; spawn %s) is not enforced by this "
                   "build: it needs the kernel monitor\n",
                   argv[i], p->sandbox.egress_default == EFFECT_DENY ? "default deny" :
                   p->sandbox.egress_default == EFFECT_ALLOW ? "default allow" : "unsaid",
                   p->sandbox.negress,
                   p->sandbox.spawn == 0 ? "denied" : p->sandbox.spawn == 1 ? "allowed" : "unsaid");
        if (strict && warnings)
            bad++;
        policy_free(p);
    }
    return bad ? 1 : 0;
}

#define ROLES_MAX 32

/* Add the comma-separated roles of `list` (duplicated, so splitting does not touch argv). */
static int add_roles(const char *cmd, const char *list, const char **roles, size_t *n)
{
    char *copy = strdup(list), *save = NULL;
    if (copy == NULL)
        return RUN_INTERNAL;
    for (char *r = strtok_r(copy, ",", &save); r; r = strtok_r(NULL, ",", &save)) {
        if (*n >= ROLES_MAX || !keys_ident_arg(cmd, "--role", r, strlen(r))) {
            if (*n >= ROLES_MAX)
                fprintf(stderr, "sentinel %s: --role takes up to %d roles\n", cmd, ROLES_MAX);
            free(copy);
            return RUN_USAGE;
        }
        roles[(*n)++] = r; /* points into copy, kept for the life of the process */
    }
    if (*n == 0) {
        free(copy);
        fprintf(stderr, "sentinel %s: --role needs a role\n", cmd);
        return RUN_USAGE;
    }
    return 0; /* copy intentionally kept: roles point into it until exit */
}

/*
 * The scanner `run` computes threat scores with, for explain and replay: *out stays NULL when
 * p reads none. 0, or negative after saying why on stderr.
 */
static int facts_scanner(const char *cmd, const struct policy *p, struct guard **out)
{
    *out = NULL;
    if (!p->needs_facts)
        return 0;
    char err[256] = "";
    struct guard_opts go = {0};
    int rc = guard_new(out, &go, err, sizeof(err));
    if (rc == 0 && (rc = guard_prepare_facts(*out, p, err, sizeof(err))) < 0) {
        guard_free(*out);
        *out = NULL;
    }
    if (rc < 0)
        fprintf(stderr, "sentinel %s: cannot make the threat-score scanner: %s\n", cmd,
                err[0] ? err : err_str(rc));
    return rc;
}

/* replay_facts_cb: the threat scores of arguments, as run's guard_facts computes them. */
static int scan_facts(void *ctx, struct json_doc *args, struct cond_facts *out)
{
    struct guard_call c;
    guard_call_init(&c);
    int rc = guard_facts(ctx, args, 0, &c);
    *out = c.facts;
    guard_call_cleanup(&c);
    return rc;
}

static int cmd_explain(int argc, char **argv)
{
    const char *policy_path = NULL, *method = NULL, *name = NULL, *uri = NULL, *args = NULL;
    const char *taint = NULL, *agent = NULL, *server = NULL;
    const char *roles[ROLES_MAX];
    size_t nroles = 0;
    bool why = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = NULL;
        if (is_help(a)) {
            explain_usage(stdout);
            return 0;
        }
        if (strcmp(a, "--why") == 0) {
            why = true;
            continue;
        }
        if (strcmp(a, "--policy") == 0)
            slot = &policy_path;
        else if (strcmp(a, "--tool") == 0)
            slot = &name;
        else if (strcmp(a, "--name") == 0)
            slot = &name;
        else if (strcmp(a, "--method") == 0)
            slot = &method;
        else if (strcmp(a, "--uri") == 0)
            slot = &uri;
        else if (strcmp(a, "--args") == 0)
            slot = &args;
        else if (strcmp(a, "--taint") == 0)
            slot = &taint;
        else if (strcmp(a, "--agent") == 0)
            slot = &agent;
        else if (strcmp(a, "--server") == 0)
            slot = &server;
        else if (strcmp(a, "--role") == 0 && v != NULL) {
            int rc = add_roles("explain", v, roles, &nroles);
            if (rc != 0)
                return rc;
            i++;
            continue;
        } else {
            fprintf(stderr, "sentinel explain: unknown option '%s'\n", a);
            return RUN_USAGE;
        }
        if (v == NULL) {
            fprintf(stderr, "sentinel explain: %s needs a value\n", a);
            return RUN_USAGE;
        }
        *slot = v;
        i++;
    }
    if (policy_path == NULL) {
        fputs("sentinel explain: --policy FILE is required\n", stderr);
        return RUN_USAGE;
    }
    if ((agent && !keys_ident_arg("explain", "--agent", agent, strlen(agent))) ||
        (server && !keys_ident_arg("explain", "--server", server, strlen(server))))
        return RUN_USAGE;
    unsigned pm = pmethod_of(method ? method : "tools/call", strlen(method ? method : "tools/call"));
    if (pm == 0) {
        fprintf(stderr, "sentinel explain: the policy does not decide method '%s'\n", method);
        return RUN_USAGE;
    }
    if ((pm & (PM_TOOLS_CALL | PM_PROMPTS_GET)) && name == NULL) {
        fprintf(stderr, "sentinel explain: %s needs --tool/--name\n", pmethod_name(pm));
        return RUN_USAGE;
    }
    if (pm == PM_RESOURCES_READ && uri == NULL) {
        fputs("sentinel explain: resources/read needs --uri\n", stderr);
        return RUN_USAGE;
    }
    struct policy *p = NULL;
    if (load_policy(policy_path, &p) < 0)
        return RUN_POLICY;
    struct json_doc doc;
    json_doc_init(&doc, JSON_DEFAULT_MAX_DEPTH, 0);
    struct buf uri_args; /* the params of a resources/read, built from --uri */
    buf_init(&uri_args, 64 + 6 * strlen(uri ? uri : ""));
    struct buf uri_seen; /* the URI as run's rules read it (mcp/uri.h) */
    buf_init(&uri_seen, strlen(uri ? uri : "") + URI_CANON_SLACK);
    struct policy_request req = {.method = pm, .roles = roles, .nroles = nroles};
    struct labelset labels = {0};
    struct guard *scanner = NULL;
    int status = 0;
    if (taint != NULL && taint[0] != '\0') {
        size_t bad = 0;
        if (labelset_parse(taint, &labels, &bad) < 0) {
            fprintf(stderr, "sentinel explain: --taint: bad label at '%s' (comma-separated names "
                            "of A-Z a-z 0-9 _ . : -)\n", taint + bad);
            status = RUN_USAGE;
            goto out;
        }
    }
    req.labels = &labels;
    if (agent) {
        req.agent = agent;
        req.agent_len = strlen(agent);
    }
    if (server) {
        req.server = server;
        req.server_len = strlen(server);
    }
    if (name) {
        req.name = name;
        req.name_len = strlen(name);
    }
    if (uri) {
        int urc = uri_canon(uri, strlen(uri), &uri_seen);
        if (urc == -EILSEQ) {
            fputs("sentinel explain: --uri has a host that is not ASCII: run refuses such a "
                  "request (-32602); write the host in punycode (xn--)\n", stderr);
            status = RUN_USAGE;
            goto out;
        }
        if (urc < 0) {
            status = RUN_INTERNAL;
            goto out;
        }
        req.uri = uri_seen.data ? uri_seen.data : "";
        req.uri_len = uri_seen.len;
    }
    /* run reads a resources/read's conditions in its params: {"uri": ...} unless --args says */
    if (args == NULL && pm == PM_RESOURCES_READ) {
        if (buf_append(&uri_args, "{\"uri\":\"", 8) < 0 ||
            buf_json_escape(&uri_args, uri, strlen(uri)) < 0 ||
            buf_append(&uri_args, "\"}", 3) < 0) { /* with the NUL */
            status = RUN_INTERNAL;
            goto out;
        }
        args = uri_args.data;
    }
    if (args != NULL) {
        struct diag d = {0};
        if (json_parse(&doc, args, strlen(args), JSON_DEFAULT_MAX_DEPTH, &d) < 0 ||
            doc.nodes[0].type != JSON_OBJECT) {
            fprintf(stderr, "sentinel explain: --args must be a JSON object%s%s\n",
                    d.msg[0] ? ": " : "", d.msg);
            status = RUN_USAGE;
            goto out;
        }
        req.args = &doc;
    }
    /* threat scores, as run computes them before deciding */
    struct cond_facts facts;
    bool unscanned = false;
    if (facts_scanner("explain", p, &scanner) < 0) {
        status = RUN_INTERNAL;
        goto out;
    }
    if (scanner != NULL) {
        unscanned = scan_facts(scanner, req.args, &facts) < 0;
        req.facts = &facts;
    }
    struct buf out;
    buf_init(&out, 1u << 24);
    if (unscanned) /* run denies it before any rule (proxy/session.c) */
        buf_printf(&out, "{\"effect\":\"deny\",\"rule\":\"guard\",\"reason\":\"%s\"}",
                   COND_FACTS_UNSCANNED);
    else
        policy_explain(p, &req, why, &out);
    buf_putc(&out, '\n');
    fwrite(out.data, 1, out.len, stdout);
    buf_cleanup(&out);
out:
    guard_free(scanner);
    json_doc_cleanup(&doc);
    buf_cleanup(&uri_args);
    buf_cleanup(&uri_seen);
    policy_free(p);
    return status;
}

/* `sentinel packs` (every shipped pack) and `sentinel presets` (the compliance overlays):
 * name and one-line description, read from the compiled-in pack itself. */
static int cmd_packs(const char *prefix, int argc, char **argv)
{
    if (argc > 0 && is_help(argv[0])) {
        packs_usage(stdout);
        return 0;
    }
    if (argc > 0) {
        fprintf(stderr, "sentinel %s: takes no arguments\n", prefix ? "presets" : "packs");
        return RUN_USAGE;
    }
    int bad = 0;
    for (const struct policy_pack *k = sentinel_packs; k->name != NULL; k++) {
        if (prefix != NULL && strncmp(k->name, prefix, strlen(prefix)) != 0)
            continue;
        struct policy *p = NULL;
        struct diag d = {0};
        char file[160];
        snprintf(file, sizeof(file), "pack:%s", k->name);
        if (policy_load_text(k->text, k->len, file, &p, &d) < 0) {
            print_diag(&d);
            bad++;
            continue;
        }
        const char *name = prefix ? k->name + strlen(prefix) : k->name;
        printf("%-26s %s\n", name, p->description ? p->description : "");
        policy_free(p);
    }
    return bad ? RUN_INTERNAL : 0;
}

/* An identity refused at start is evidence too: a "refused" record in the run's log (no
 * session: none was minted), with the policy in force and where the token came from. */
static void record_refusal(const struct run_config *cfg, const struct policy *p,
                           const char *why, const char *from, const char *upstream)
{
    struct buf f;
    buf_init(&f, 1u << 20);
    char hex[CANON_SHA256_HEX];
    canon_sha256_hex(p->text ? p->text : "", p->text ? p->text_len : 0, hex);
    buf_append(&f, "\"stage\":\"identity\",\"reason\":\"", 29);
    buf_json_escape(&f, why, strlen(why));
    buf_append(&f, "\",\"policy\":\"", 12);
    buf_json_escape(&f, p->source, strlen(p->source));
    buf_printf(&f, "\",\"policy_hash\":\"sha256:%s\",\"upstream\":\"", hex);
    buf_json_escape(&f, upstream, strlen(upstream));
    buf_putc(&f, '"');
    if (from != NULL)
        buf_printf(&f, ",\"token_source\":\"%s\"", from);
    buf_printf(&f, ",\"pid\":%d", (int)getpid());
    if (f.data != NULL && audit_cli_refusal(cfg->audit_path, cfg->audit_keys, f.data, f.len) == 0)
        log_info("the refusal is recorded in %s", cfg->audit_path);
    buf_cleanup(&f);
}

static int cmd_run(int argc, char **argv)
{
    struct run_config cfg;
    const char *policy_path = NULL, *audit_key_path = NULL;
    const char *audit_opt = NULL; /* an option about the audit log, which needs --audit */
    static const char *run_roles[ROLES_MAX];
    struct keys_run_opts ident = {0};
    size_t nroles = 0;
    int verbosity = 0;
    bool quiet = false;
    run_config_defaults(&cfg);
    int i = 0;
    for (; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        size_t n;
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
#define NEED_VALUE                                                                         \
    do {                                                                                   \
        if (v == NULL) {                                                                   \
            fprintf(stderr, "sentinel run: %s needs a value\n", a);                       \
            return RUN_USAGE;                                                              \
        }                                                                                  \
        i++;                                                                               \
    } while (0)
        if (strncmp(a, "--audit-", 8) == 0)
            audit_opt = a;
        if (strcmp(a, "--policy") == 0) {
            NEED_VALUE;
            policy_path = v;
        } else if (strcmp(a, "--audit") == 0) {
            NEED_VALUE;
            cfg.audit_path = v;
        } else if (strcmp(a, "--observe") == 0) {
            cfg.observe = true;
        } else if (strcmp(a, "--pins") == 0) {
            NEED_VALUE;
            cfg.pins_path = v;
        } else if (strcmp(a, "--invalidations") == 0) {
            NEED_VALUE;
            cfg.invalidations = v;
        } else if (strcmp(a, "--control") == 0) {
            NEED_VALUE;
            if (v[0] == '\0') {
                fputs("sentinel run: --control needs a socket path\n", stderr);
                return RUN_USAGE;
            }
            cfg.control_path = v;
        } else if (strcmp(a, "--control-idle") == 0) {
            NEED_VALUE;
            if (num_parse_size(v, 1, 86400, &n) < 0) {
                fprintf(stderr, "sentinel run: --control-idle must be 1 .. 86400 seconds\n");
                return RUN_USAGE;
            }
            cfg.control_idle_ms = (unsigned)n * 1000;
        } else if (strcmp(a, "--audit-arguments") == 0) {
            cfg.audit_arguments = true;
        } else if (strcmp(a, "--audit-fsync") == 0) {
            NEED_VALUE;
            cfg.audit_commit = strcmp(v, "commit") == 0;
            if (strcmp(v, "always") == 0 || cfg.audit_commit)
                cfg.audit_fsync = AUDIT_SYNC_ALWAYS;
            else if (strcmp(v, "interval") == 0)
                cfg.audit_fsync = AUDIT_SYNC_INTERVAL;
            else if (strcmp(v, "never") == 0)
                cfg.audit_fsync = AUDIT_SYNC_NEVER;
            else {
                fprintf(stderr,
                        "sentinel run: --audit-fsync takes commit, always, interval or never\n");
                return RUN_USAGE;
            }
        } else if (strcmp(a, "--audit-key") == 0) {
            NEED_VALUE;
            audit_key_path = v;
        } else if (strcmp(a, "--audit-rotate") == 0) {
            NEED_VALUE;
            if (num_parse_size(v, 4096, (size_t)1 << 40, &n) < 0) {
                fprintf(stderr, "sentinel run: --audit-rotate must be 4K .. 1024G, got '%s'\n", v);
                return RUN_USAGE;
            }
            cfg.audit_rotate = n;
        } else if (strcmp(a, "--audit-checkpoint") == 0) {
            NEED_VALUE;
            if (num_parse_size(v, 1, 1000000, &n) < 0) {
                fprintf(stderr, "sentinel run: --audit-checkpoint must be 1 .. 1000000 records\n");
                return RUN_USAGE;
            }
            cfg.audit_checkpoint = n;
        } else if (strcmp(a, "--audit-failure") == 0) {
            NEED_VALUE;
            if (strcmp(v, "closed") != 0 && strcmp(v, "open") != 0) {
                fprintf(stderr, "sentinel run: --audit-failure takes closed or open\n");
                return RUN_USAGE;
            }
            cfg.audit_fail_open = v[0] == 'o';
        } else if (strcmp(a, "--agent-token") == 0) {
            NEED_VALUE;
            ident.agent_token = v;
        } else if (strcmp(a, "--trust-key") == 0) {
            NEED_VALUE;
            ident.trust_key = v;
        } else if (strcmp(a, "--token-audience") == 0) {
            NEED_VALUE;
            ident.audience = v;
        } else if (strcmp(a, "--session-ttl") == 0) {
            NEED_VALUE;
            ident.session_ttl = v;
        } else if (strcmp(a, "--session-key") == 0) {
            NEED_VALUE;
            ident.session_key = v;
        } else if (strcmp(a, "--agent") == 0 || strcmp(a, "--server-id") == 0) {
            NEED_VALUE;
            if (!keys_ident_arg("run", a, v, strlen(v)))
                return RUN_USAGE;
            if (a[2] == 'a')
                cfg.agent = v;
            else
                cfg.server_id = v;
        } else if (strcmp(a, "--role") == 0) {
            NEED_VALUE;
            int rc = add_roles("run", v, run_roles, &nroles);
            if (rc != 0)
                return rc;
        } else if (strcmp(a, "--approval") == 0) {
            NEED_VALUE;
            if (strcmp(v, "tty") != 0 && (strncmp(v, "tty:", 4) != 0 || v[4] != '/')) {
                fprintf(stderr, "sentinel run: --approval takes tty or tty:/path/to/terminal\n");
                return RUN_USAGE;
            }
            cfg.approval = v;
        } else if (strcmp(a, "--approval-timeout") == 0) {
            NEED_VALUE;
            if (num_parse_size(v, 1, 86400, &n) < 0) {
                fprintf(stderr, "sentinel run: --approval-timeout must be 1 .. 86400 seconds\n");
                return RUN_USAGE;
            }
            cfg.approval_ms = (unsigned)n * 1000;
        } else if (strcmp(a, "--max-message") == 0) {
            NEED_VALUE;
            if (num_parse_size(v, 64, (size_t)1 << 30, &cfg.max_message) < 0) {
                fprintf(stderr, "sentinel run: --max-message must be 64 bytes .. 1G, got '%s'\n",
                        v);
                return RUN_USAGE;
            }
        } else if (strcmp(a, "--max-depth") == 0) {
            NEED_VALUE;
            if (num_parse_size(v, 2, 10000, &n) < 0) {
                fprintf(stderr, "sentinel run: --max-depth must be 2 .. 10000\n");
                return RUN_USAGE;
            }
            cfg.max_depth = (unsigned)n;
        } else if (strcmp(a, "--max-pending") == 0) {
            NEED_VALUE;
            if (num_parse_size(v, 1, 1 << 20, &cfg.max_pending) < 0) {
                fprintf(stderr, "sentinel run: --max-pending must be 1 .. 1048576\n");
                return RUN_USAGE;
            }
        } else if (strcmp(a, "--grace") == 0 || strcmp(a, "--kill-after") == 0) {
            NEED_VALUE;
            if (num_parse_size(v, 0, 600000, &n) < 0) {
                fprintf(stderr, "sentinel run: %s must be 0 .. 600000 ms\n", a);
                return RUN_USAGE;
            }
            if (a[2] == 'g')
                cfg.grace_ms = (unsigned)n;
            else
                cfg.kill_ms = (unsigned)n;
        } else if (strcmp(a, "--verbose") == 0) {
            verbosity++;
        } else if (a[0] == '-' && a[1] == 'v' && strspn(a + 1, "v") == strlen(a + 1)) {
            verbosity += (int)strlen(a + 1); /* -v, -vv */
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "sentinel run: unknown option '%s' (the server command goes after --)\n",
                    a);
            return RUN_USAGE;
        }
#undef NEED_VALUE
    }
    if (i >= argc) {
        fputs("sentinel run: no server command (sentinel run [options] -- COMMAND ...)\n", stderr);
        return RUN_USAGE;
    }
    log_set_level(quiet ? LOG_ERROR : verbosity >= 2 ? LOG_DEBUG : verbosity ? LOG_INFO : LOG_WARN);

    if (cfg.control_idle_ms != 0 && cfg.control_path == NULL) {
        fputs("sentinel run: --control-idle applies to the control socket: it needs --control "
              "PATH\n", stderr);
        return RUN_USAGE;
    }
    if (audit_opt != NULL && cfg.audit_path == NULL) {
        /* never ignore an audit option: whoever gave it expects a log */
        fprintf(stderr, "sentinel run: %s applies to the audit log: it needs --audit FILE\n",
                audit_opt);
        return RUN_USAGE;
    }
    struct seal_keyring audit_keys = {0};
    if (audit_key_path != NULL) {
        const struct seal_key *signer;
        int krc = audit_cli_signer(audit_key_path, &audit_keys, &signer);
        if (krc != 0)
            return krc;
        cfg.audit_keys = &audit_keys;
    }
    struct policy *p = NULL;
    if (load_policy(policy_path, &p) < 0) {
        seal_keyring_free(&audit_keys);
        return RUN_POLICY;
    }
    cfg.roles = run_roles;
    cfg.nroles = nroles;
    ident.require_token = p->identity.require_token;
    int idrc = keys_cli_run_identity(&ident, &cfg); /* agent token, session key and id */
    if (idrc != 0) {
        const char *from = NULL, *why = keys_cli_run_refused(&from);
        if (why != NULL && cfg.audit_path != NULL)
            record_refusal(&cfg, p, why, from, argv[i]);
        policy_free(p);
        seal_keyring_free(&audit_keys);
        return idrc;
    }
    cfg.policy = p; /* the session owns it from here */
    cfg.policy_path = policy_path;
    cfg.load_policy = load_policy_quiet;
    cfg.argv = argv + i;
    int status = session_run(&cfg);
    seal_keyring_free(&audit_keys);
    return status;
}

static int cmd_replay(int argc, char **argv)
{
    const char *policy_path = NULL, *log_path = NULL, *key_path = NULL;
    bool all = false, exit_code = false;
    size_t max_line = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (is_help(a)) {
            replay_usage(stdout);
            return 0;
        } else if (strcmp(a, "--all") == 0) {
            all = true;
        } else if (strcmp(a, "--exit-code") == 0) {
            exit_code = true;
        } else if (strcmp(a, "--policy") == 0 || strcmp(a, "--max-line") == 0 ||
                   strcmp(a, "--key") == 0) {
            if (v == NULL) {
                fprintf(stderr, "sentinel replay: %s needs a value\n", a);
                return RUN_USAGE;
            }
            i++;
            if (a[2] == 'k') {
                key_path = v;
            } else if (a[2] == 'p') {
                policy_path = v;
            } else if (num_parse_size(v, 64, (size_t)2 << 30, &max_line) < 0) {
                fprintf(stderr, "sentinel replay: --max-line must be 64 bytes .. 2G, got '%s'\n",
                        v);
                return RUN_USAGE;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "sentinel replay: unknown option '%s'\n", a);
            return RUN_USAGE;
        } else if (log_path == NULL) {
            log_path = a;
        } else {
            fprintf(stderr, "sentinel replay: one audit log at a time ('%s', '%s')\n", log_path, a);
            return RUN_USAGE;
        }
    }
    if (policy_path == NULL || log_path == NULL) {
        fputs("sentinel replay: which policy and log? (sentinel replay --policy FILE [--all] "
              "[--exit-code] [--key FILE] AUDIT_LOG)\n",
              stderr);
        return RUN_USAGE;
    }
    /* what the log says is replayed as written: a log that does not verify is said so */
    if (audit_verify_warn("replay", log_path, key_path) < 0)
        return 66; /* EX_NOINPUT: the key cannot be used */
    struct policy *p = NULL;
    if (load_policy(policy_path, &p) < 0)
        return RUN_POLICY;
    struct guard *scanner = NULL; /* the candidate's threat scores, as run computes them */
    if (facts_scanner("replay", p, &scanner) < 0) {
        policy_free(p);
        return RUN_INTERNAL;
    }
    struct replay *r = NULL;
    struct replay_opts o = {.all = all, .max_line = max_line, .facts = scan_facts,
                            .facts_ctx = scanner};
    int rc = replay_open(&r, p, log_path, &o);
    if (rc < 0) {
        fprintf(stderr, "sentinel replay: cannot open audit log '%s': %s\n", log_path, err_str(rc));
        guard_free(scanner);
        policy_free(p);
        return rc == -ENOMEM ? RUN_INTERNAL : 66; /* EX_NOINPUT */
    }
    int status = 0;
    struct replay_item it;
    while ((rc = replay_next(r, &it)) > 0) {
        if (it.bad)
            fprintf(stderr, "sentinel replay: %s:%llu: %.*s\n", log_path,
                    (unsigned long long)it.line, (int)it.len, it.text);
        else
            fwrite(it.text, 1, it.len, stdout);
    }
    if (rc < 0) {
        fprintf(stderr, "sentinel replay: cannot read '%s': %s\n", log_path, err_str(rc));
        status = RUN_IO;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "sentinel replay: cannot write the report: %s\n", strerror(errno));
        status = RUN_IO;
    }
    struct buf sum;
    buf_init(&sum, 1u << 16);
    if (replay_summary(r, &sum) == 0)
        fprintf(stderr, "sentinel replay: %.*s", (int)sum.len, sum.data);
    buf_cleanup(&sum);
    if (status == 0 && exit_code && (replay_changes(r) > 0 || replay_stats(r)->bad > 0))
        status = 1;
    replay_free(r);
    guard_free(scanner);
    policy_free(p);
    return status;
}

/* `sentinel report`: compliance evidence from an audit log (audit/report.c). */
static int cmd_report(int argc, char **argv)
{
    return report_cli(argc, argv);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return RUN_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 2, argv + 2);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 2, argv + 2);
    if (strcmp(cmd, "explain") == 0)
        return cmd_explain(argc - 2, argv + 2);
    if (strcmp(cmd, "pins") == 0)
        return pins_cli(argc - 2, argv + 2);
    if (strcmp(cmd, "scan") == 0)
        return scan_cli(argc - 2, argv + 2);
    if (strcmp(cmd, "chain") == 0)
        return chain_cli(argc - 2, argv + 2);
    if (strcmp(cmd, "packs") == 0)
        return cmd_packs(NULL, argc - 2, argv + 2);
    if (strcmp(cmd, "presets") == 0)
        return cmd_packs("presets/", argc - 2, argv + 2);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc - 2, argv + 2);
    if (strcmp(cmd, "verify") == 0)
        return audit_cli_verify(argc - 2, argv + 2);
    if (strcmp(cmd, "keygen") == 0)
        return keys_cli_keygen(argc - 2, argv + 2);
    if (strcmp(cmd, "token") == 0)
        return keys_cli_token(argc - 2, argv + 2);
    if (strcmp(cmd, "session") == 0)
        return keys_cli_session(argc - 2, argv + 2);
    if (strcmp(cmd, "replay") == 0)
        return cmd_replay(argc - 2, argv + 2);
    if (strcmp(cmd, "ctl") == 0)
        return ctl_cli(argc - 2, argv + 2);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("sentinel %s\n", SENTINEL_VERSION);
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "sentinel: unknown command '%s' (see sentinel --help)\n", cmd);
    return RUN_USAGE;
}
