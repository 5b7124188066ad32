/*
 * sandbox.c - the `sandbox:` (egress and spawn of the server process), `audit:` and
 * `identity:` sections: what the run must provide besides the rules.
 *
 * Included packs add up with the strictest reading: egress `default: deny` wins over allow,
 * allow lists are joined, a denied spawn stays denied; audit `required` and the strongest
 * fsync win; for `arguments`, none (data minimisation) wins over full; identity `require:
 * token` wins over none.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy/glob.h"
#include "policy/load_int.h"

#define EGRESS_MAX 1024

static bool dns_name_ok(const char *h, size_t n)
{
    if (n >= 2 && h[0] == '*' && h[1] == '.') { /* one leading wildcard label */
        h += 2;
        n -= 2;
    }
    if (n == 0 || n > 253 || h[0] == '.' || h[n - 1] == '.' || h[0] == '-')
        return false;
    size_t label = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)h[i];
        if (c == '.') {
            if (label == 0 || h[i - 1] == '-')
                return false;
            label = 0;
            continue;
        }
        if (!(isalnum(c) || c == '-') || ++label > 63)
            return false;
    }
    return true;
}

static int parse_port(const char *s, uint16_t *lo, uint16_t *hi)
{
    if (strcmp(s, "*") == 0) {
        *lo = 1;
        *hi = 65535;
        return 0;
    }
    char *end;
    unsigned long a = strtoul(s, &end, 10), b;
    if (end == s || !isdigit((unsigned char)s[0]) || a < 1 || a > 65535)
        return -1;
    b = a;
    if (*end == '-') {
        const char *t = end + 1;
        b = strtoul(t, &end, 10);
        if (end == t || !isdigit((unsigned char)t[0]) || b < a || b > 65535)
            return -1;
    }
    if (*end != '\0')
        return -1;
    *lo = (uint16_t)a;
    *hi = (uint16_t)b;
    return 0;
}

/* "host:port", "1.2.3.0/24:443", "[::1]:80", "[fd00::/8]:*" */
static int parse_egress(const char *text, struct egress_rule *r)
{
    char host[300];
    const char *port;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (close == NULL || close[1] != ':' || (size_t)(close - text - 1) >= sizeof(host))
            return -1;
        memcpy(host, text + 1, (size_t)(close - text - 1));
        host[close - text - 1] = '\0';
        port = close + 2;
        r->kind = EGRESS_IPV6;
    } else {
        const char *colon = strrchr(text, ':');
        if (colon == NULL || (size_t)(colon - text) >= sizeof(host) || colon == text)
            return -1;
        memcpy(host, text, (size_t)(colon - text));
        host[colon - text] = '\0';
        port = colon + 1;
        r->kind = strspn(host, "0123456789./") == strlen(host) ? EGRESS_IPV4 : EGRESS_DNS;
    }
    if (parse_port(port, &r->port_lo, &r->port_hi) < 0)
        return -1;
    if (r->kind == EGRESS_DNS) {
        for (char *c = host; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        if (!dns_name_ok(host, strlen(host)))
            return -1;
    } else {
        char *slash = strchr(host, '/');
        unsigned max = r->kind == EGRESS_IPV4 ? 32 : 128;
        r->prefix = max;
        if (slash != NULL) {
            char *end;
            unsigned long pl = strtoul(slash + 1, &end, 10);
            if (end == slash + 1 || *end != '\0' || pl > max)
                return -1;
            r->prefix = (unsigned)pl;
            *slash = '\0';
        }
        if (inet_pton(r->kind == EGRESS_IPV4 ? AF_INET : AF_INET6, host, r->addr) != 1)
            return -1;
        /* host bits set below the prefix are almost always a typo for another network */
        for (unsigned bit = r->prefix; bit < max; bit++)
            if (r->addr[bit / 8] & (0x80 >> (bit % 8)))
                return -2;
        if (slash != NULL)
            *slash = '/';
    }
    r->host = strdup(host);
    return r->host ? 0 : -ENOMEM;
}

static int compile_egress(struct loader *L, const struct ynode *m, struct sandbox *sb)
{
    int rc = check_map(L, m, "sandbox.egress");
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < m->n; i += 2) {
        const struct ynode *k = m->items[i], *v = m->items[i + 1];
        if (strcmp(k->str, "default") == 0) {
            if (v->type != Y_SCALAR || (strcmp(v->str, "allow") != 0 && strcmp(v->str, "deny") != 0))
                return perr(L, v->line, v->col, "egress 'default' must be allow or deny");
            if (sb->egress_default != EFFECT_DENY)
                sb->egress_default = v->str[0] == 'a' ? EFFECT_ALLOW : EFFECT_DENY;
        } else if (strcmp(k->str, "allow") == 0) {
            if (v->type != Y_SEQ)
                return perr(L, v->line, v->col, "egress 'allow' must be a list of HOST:PORT");
            if (sb->negress + v->n > EGRESS_MAX)
                return perr(L, v->line, v->col, "more than %d egress entries", EGRESS_MAX);
            struct egress_rule *g = realloc(sb->egress, (sb->negress + v->n + 1) * sizeof(*g));
            if (g == NULL)
                return -ENOMEM;
            sb->egress = g;
            for (size_t j = 0; j < v->n; j++) {
                const struct ynode *e = v->items[j];
                struct egress_rule *r = &sb->egress[sb->negress];
                memset(r, 0, sizeof(*r));
                int prc = e->type == Y_SCALAR && strlen(e->str) == e->len ? parse_egress(e->str, r)
                                                                         : -1;
                if (prc == -ENOMEM)
                    return -ENOMEM;
                if (prc == -2)
                    return perr(L, e->line, e->col,
                                "egress '%s': address has bits set past its /%u prefix", e->str,
                                r->prefix);
                if (prc < 0)
                    return perr(L, e->line, e->col,
                                "egress entries are HOST:PORT (a DNS name, optionally *.name; "
                                "an IPv4 address or CIDR; [IPv6] or [IPv6/len]; PORT a number, "
                                "a range a-b, or *), got '%s'",
                                e->type == Y_SCALAR ? e->str : "?");
                sb->negress++;
            }
        } else {
            return perr(L, k->line, k->col, "unknown key '%s' in sandbox.egress (default, allow)",
                        k->str);
        }
    }
    return 0;
}

static int compile_spawn(struct loader *L, const struct ynode *m, struct sandbox *sb)
{
    int rc = check_map(L, m, "sandbox.spawn");
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < m->n; i += 2) {
        const struct ynode *k = m->items[i], *v = m->items[i + 1];
        bool on;
        if (strcmp(k->str, "allow") == 0) {
            if ((rc = want_bool(L, v, "allow", &on)) < 0)
                return rc;
            sb->spawn = sb->spawn == 0 ? 0 : on; /* once denied, denied */
        } else if (strcmp(k->str, "programs") == 0) {
            if (v->type != Y_SEQ || v->n == 0)
                return perr(L, v->line, v->col, "'programs' must be a list of absolute paths");
            char **g = realloc(sb->programs, (sb->nprograms + v->n) * sizeof(*g));
            if (g == NULL)
                return -ENOMEM;
            sb->programs = g;
            for (size_t j = 0; j < v->n; j++) {
                const struct ynode *e = v->items[j];
                if (e->type != Y_SCALAR || e->str[0] != '/' || strlen(e->str) != e->len ||
                    strstr(e->str, "/../") != NULL)
                    return perr(L, e->line, e->col, "each program must be an absolute path");
                if ((sb->programs[sb->nprograms] = strdup(e->str)) == NULL)
                    return -ENOMEM;
                sb->nprograms++;
            }
        } else {
            return perr(L, k->line, k->col, "unknown key '%s' in sandbox.spawn (allow, programs)",
                        k->str);
        }
    }
    return 0;
}

int compile_sandbox(struct loader *L, const struct ynode *m, struct policy *p)
{
    int rc = check_map(L, m, "sandbox");
    if (rc < 0)
        return rc;
    struct sandbox *sb = &p->sandbox;
    if (!sb->set) {
        sb->set = true;
        sb->spawn = -1;
    }
    for (size_t i = 0; i < m->n; i += 2) {
        const struct ynode *k = m->items[i], *v = m->items[i + 1];
        if (strcmp(k->str, "egress") == 0)
            rc = compile_egress(L, v, sb);
        else if (strcmp(k->str, "spawn") == 0)
            rc = v->type == Y_SCALAR ? perr(L, v->line, v->col,
                                            "'spawn' is a mapping: {allow: true|false, programs: "
                                            "[paths]}")
                                     : compile_spawn(L, v, sb);
        else
            return perr(L, k->line, k->col, "unknown key '%s' in sandbox (egress, spawn)", k->str);
        if (rc < 0)
            return rc;
    }
    if (sb->nprograms > 0 && sb->spawn == 0)
        return perr(L, m->line, m->col, "spawn 'programs' listed while spawn is denied");
    return 0;
}

int compile_audit(struct loader *L, const struct ynode *m, struct policy *p, bool top)
{
    (void)top;
    int rc = check_map(L, m, "audit");
    if (rc < 0)
        return rc;
    struct audit_policy *a = &p->audit;
    for (size_t i = 0; i < m->n; i += 2) {
        const struct ynode *k = m->items[i], *v = m->items[i + 1];
        bool on;
        if (strcmp(k->str, "required") == 0) {
            if ((rc = want_bool(L, v, "required", &on)) < 0)
                return rc;
            a->required = a->required || on;
        } else if (strcmp(k->str, "fsync") == 0) {
            enum audit_fsync f = AUDIT_FSYNC_UNSET;
            if (v->type == Y_SCALAR && strcmp(v->str, "commit") == 0)
                f = AUDIT_FSYNC_COMMIT;
            else if (v->type == Y_SCALAR && strcmp(v->str, "always") == 0)
                f = AUDIT_FSYNC_ALWAYS;
            else if (v->type == Y_SCALAR && strcmp(v->str, "interval") == 0)
                f = AUDIT_FSYNC_INTERVAL;
            else if (v->type == Y_SCALAR && strcmp(v->str, "never") == 0)
                f = AUDIT_FSYNC_NEVER;
            else
                return perr(L, v->line, v->col, "'fsync' must be commit, always, interval or never");
            if (f > a->fsync)
                a->fsync = f;
        } else if (strcmp(k->str, "arguments") == 0) {
            enum audit_args g;
            if (v->type == Y_SCALAR && strcmp(v->str, "none") == 0)
                g = AUDIT_ARGS_NONE;
            else if (v->type == Y_SCALAR && strcmp(v->str, "full") == 0)
                g = AUDIT_ARGS_FULL;
            else if (v->type == Y_SCALAR && strcmp(v->str, "digest") == 0)
                return perr(L, v->line, v->col,
                            "'arguments: digest' is not supported by this version of sentinel "
                            "(none or full)");
            else
                return perr(L, v->line, v->col, "'arguments' must be none or full");
            /* minimisation wins: once any document says none, arguments are not recorded */
            if (g == AUDIT_ARGS_NONE || a->arguments == AUDIT_ARGS_UNSET)
                a->arguments = g;
        } else {
            return perr(L, k->line, k->col,
                        "unknown key '%s' in audit (required, fsync, arguments)", k->str);
        }
    }
    return 0;
}

int compile_identity(struct loader *L, const struct ynode *m, struct policy *p)
{
    int rc = check_map(L, m, "identity");
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < m->n; i += 2) {
        const struct ynode *k = m->items[i], *v = m->items[i + 1];
        if (strcmp(k->str, "require") != 0)
            return perr(L, k->line, k->col, "unknown key '%s' in identity (require)", k->str);
        if (v->type == Y_SCALAR && strcmp(v->str, "token") == 0)
            p->identity.require_token = true;
        else if (!(v->type == Y_SCALAR && strcmp(v->str, "none") == 0))
            return perr(L, v->line, v->col,
                        "'require' must be token (the agent's identity comes from a verified "
                        "agent token) or none");
    }
    return 0;
}

void sandbox_cleanup(struct sandbox *sb)
{
    for (size_t i = 0; i < sb->negress; i++)
        free(sb->egress[i].host);
    free(sb->egress);
    for (size_t i = 0; i < sb->nprograms; i++)
        free(sb->programs[i]);
    free(sb->programs);
}
