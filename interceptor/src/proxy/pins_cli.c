/*
 * pins_cli.c - `sentinel pins list|approve|forget`: the operator's side of tool pinning.
 *
 * Reads the pin store under its lock, changes it, and writes it back atomically, so an
 * approval never races a running session's write. Names and identities come from servers:
 * they are printed escaped, never raw, so a tool name cannot drive the operator's terminal.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proxy/pins.h"

enum { EX_OK = 0, EX_NOTHING = 1, EX_USAGE = 64, EX_CORRUPT = 65, EX_IO = 74 };

static const char *const kind_names[PIN_KINDS] = {"tool", "prompt", "template", "instructions"};

static void usage(FILE *f)
{
    fputs("usage: sentinel pins list --store FILE [--server ID] [--kind KIND] [--pending] "
          "[--json]\n"
          "       sentinel pins approve --store FILE --server ID [--kind KIND] "
          "(NAME [--hash HEX] | --all)\n"
          "       sentinel pins forget --store FILE --server ID [--kind KIND] NAME\n"
          "KIND is tool, prompt, template or instructions (default: every kind); the\n"
          "server's instructions are one pin, named instructions (NAME may be left out).\n"
          "exit status: 0 done, 1 nothing to approve or forget, 64 usage, 65 corrupt store,\n"
          "74 I/O error\n",
          f);
}

struct opts {
    const char *store, *server, *name, *hash;
    int kind; /* -1: all */
    bool all, json, pending, help;
};

static int parse_kind(const char *v)
{
    for (int k = 0; k < PIN_KINDS; k++)
        if (strcmp(v, kind_names[k]) == 0)
            return k;
    return -1;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof(*o));
    o->kind = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--json") == 0) {
            o->json = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            o->help = true;
            return 0;
        } else if (strcmp(a, "--all") == 0) {
            o->all = true;
        } else if (strcmp(a, "--pending") == 0) {
            o->pending = true;
        } else if (strcmp(a, "--store") == 0 || strcmp(a, "--server") == 0 ||
                   strcmp(a, "--kind") == 0 || strcmp(a, "--hash") == 0) {
            if (v == NULL) {
                fprintf(stderr, "sentinel pins: %s needs a value\n", a);
                return -1;
            }
            i++;
            if (strcmp(a, "--store") == 0) {
                o->store = v;
            } else if (strcmp(a, "--server") == 0) {
                o->server = v;
            } else if (strcmp(a, "--hash") == 0) {
                o->hash = v;
            } else if ((o->kind = parse_kind(v)) < 0) {
                fprintf(stderr, "sentinel pins: --kind is tool, prompt, template or instructions\n");
                return -1;
            }
        } else if (strcmp(a, "--") == 0) { /* a NAME that starts with '-' */
            if (v == NULL || o->name != NULL) {
                fprintf(stderr, "sentinel pins: '--' takes one NAME\n");
                return -1;
            }
            o->name = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "sentinel pins: unknown option '%s'\n", a);
            return -1;
        } else if (o->name == NULL) {
            o->name = a;
        } else {
            fprintf(stderr, "sentinel pins: one NAME at most\n");
            return -1;
        }
    }
    if (o->name == NULL && !o->all && o->kind == PIN_INSTRUCTIONS)
        o->name = PIN_INSTRUCTIONS_NAME; /* a server has one set of instructions */
    if (o->store == NULL) {
        fprintf(stderr, "sentinel pins: --store FILE is required\n");
        return -1;
    }
    if (o->server != NULL && strlen(o->server) > PINS_MAX_ID) {
        fprintf(stderr, "sentinel pins: --server is longer than %d bytes\n", PINS_MAX_ID);
        return -1;
    }
    return 0;
}

/* An SE_* code means the file's content is wrong; anything else is I/O. */
static int exit_of(int rc)
{
    return rc <= -4000 ? EX_CORRUPT : EX_IO;
}

/* Print hostile bytes safely: printable ASCII as is, the rest as \xNN. */
static void put_safe(FILE *f, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            fputc(c, f);
        else
            fprintf(f, "\\x%02x", c);
    }
}

static size_t safe_width(const char *p, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        w += c >= 0x20 && c < 0x7f && c != '\\' ? 1 : 4;
    }
    return w;
}

static void pad(FILE *f, size_t have, size_t want)
{
    for (; have < want; have++)
        fputc(' ', f);
}

static int info_cmp(const void *a, const void *b)
{
    const struct pin_info *x = a, *y = b;
    int c = strcmp(x->server, y->server);
    if (c != 0)
        return c;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
    c = n ? memcmp(x->name, y->name, n) : 0;
    if (c != 0)
        return c;
    return x->name_len < y->name_len ? -1 : x->name_len > y->name_len;
}

static void put_json_line(const struct pin_info *in)
{
    struct buf b;
    buf_init(&b, 4 * (PINS_MAX_ID + PINS_MAX_NAME) + 4096);
    int rc = buf_append(&b, "{\"server\":\"", 11);
    if (rc == 0)
        rc = buf_json_escape(&b, in->server, strlen(in->server));
    if (rc == 0)
        rc = buf_printf(&b, "\",\"kind\":\"%s\",\"name\":\"", kind_names[in->kind]);
    if (rc == 0)
        rc = buf_json_escape(&b, in->name, in->name_len);
    if (rc == 0)
        rc =
            buf_printf(&b,
                       "\",\"state\":\"%s\",\"hash\":\"%s\",\"approved_by\":\"%s\","
                       "\"approved_at\":%" PRId64 ",\"first_seen\":%" PRId64,
                       in->pending ? "pending" : "approved", in->approved,
                       in->by_operator ? "operator" : "first-use", in->approved_at, in->first_seen);
    if (rc == 0 && in->pending) {
        rc = buf_printf(&b, ",\"pending\":\"%s\",\"pending_since\":%" PRId64 ",\"changed\":[",
                        in->latest, in->latest_since);
        for (const char *p = in->changed; rc == 0 && *p;) {
            const char *comma = strchr(p, ',');
            size_t n = comma ? (size_t)(comma - p) : strlen(p);
            rc = buf_printf(&b, "%s\"%.*s\"", p == in->changed ? "" : ",", (int)n, p);
            p += n + (comma ? 1 : 0);
        }
        if (rc == 0)
            rc = buf_putc(&b, ']');
    }
    if (rc == 0)
        rc = buf_append(&b, "}\n", 2);
    if (rc == 0)
        fwrite(b.data, 1, b.len, stdout);
    buf_cleanup(&b);
}

static int cmd_list(const struct opts *o)
{
    char err[512] = "";
    struct pin_store *s;
    int rc = pins_open(&s, o->store, 0, err, sizeof(err));
    if (rc < 0) {
        fprintf(stderr, "sentinel pins: %s\n", err);
        return exit_of(rc);
    }
    size_t n = pins_count(s), m = 0;
    struct pin_info *v = calloc(n ? n : 1, sizeof(*v));
    if (v == NULL) {
        pins_free(s);
        fprintf(stderr, "sentinel pins: out of memory\n");
        return EX_IO;
    }
    for (size_t i = 0; i < n; i++) {
        if (pins_get(s, i, &v[m]) < 0)
            continue;
        if (o->server != NULL && strcmp(v[m].server, o->server) != 0)
            continue;
        if (o->kind >= 0 && (int)v[m].kind != o->kind)
            continue;
        if (o->name != NULL &&
            (v[m].name_len != strlen(o->name) || memcmp(v[m].name, o->name, v[m].name_len) != 0))
            continue;
        if (o->pending && !v[m].pending)
            continue;
        m++;
    }
    qsort(v, m, sizeof(*v), info_cmp);
    if (o->json) {
        for (size_t i = 0; i < m; i++)
            put_json_line(&v[i]);
    } else {
        size_t ws = 6, wn = 4;
        for (size_t i = 0; i < m; i++) {
            size_t a = safe_width(v[i].server, strlen(v[i].server));
            size_t b = safe_width(v[i].name, v[i].name_len);
            ws = a > ws ? a : ws;
            wn = b > wn ? b : wn;
        }
        ws = ws > 40 ? 40 : ws;
        wn = wn > 48 ? 48 : wn;
        printf("%-*s  %-8s  %-*s  %-8s  %-12s  %-12s  %s\n", (int)ws, "SERVER", "KIND", (int)wn,
               "NAME", "STATE", "HASH", "PENDING", "CHANGED");
        for (size_t i = 0; i < m; i++) {
            const struct pin_info *in = &v[i];
            put_safe(stdout, in->server, strlen(in->server));
            pad(stdout, safe_width(in->server, strlen(in->server)), ws);
            printf("  %-8s  ", kind_names[in->kind]);
            put_safe(stdout, in->name, in->name_len);
            pad(stdout, safe_width(in->name, in->name_len), wn);
            printf("  %-8s  %.12s  %-12.12s  %s\n", in->pending ? "pending" : "approved",
                   in->approved, in->pending ? in->latest : "-",
                   in->pending ? (in->changed[0] ? in->changed : "?") : "-");
        }
    }
    free(v);
    pins_free(s);
    return EX_OK;
}

static void say(const char *verb, const struct opts *o, int kind, const char *name,
                const char *hash)
{
    printf("%s ", verb);
    put_safe(stdout, o->server, strlen(o->server));
    printf(" %s ", kind_names[kind]);
    put_safe(stdout, name, strlen(name));
    if (hash != NULL)
        printf(" %.12s", hash);
    putchar('\n');
}

static int cmd_approve(const struct opts *o)
{
    if (o->server == NULL || (o->name == NULL) == !o->all || (o->all && o->hash != NULL)) {
        fprintf(stderr, "sentinel pins approve: needs --server ID and either NAME or --all\n");
        usage(stderr);
        return EX_USAGE;
    }
    char err[512] = "";
    struct pin_store *s;
    int rc = pins_open(&s, o->store, PINS_O_LOCK, err, sizeof(err));
    if (rc < 0) {
        fprintf(stderr, "sentinel pins: %s\n", err);
        return exit_of(rc);
    }
    size_t approved = 0;
    bool stale = false;
    if (o->all) {
        /* collect first: approving changes nothing about the order, but stay simple */
        size_t n = pins_count(s);
        for (size_t i = 0; i < n; i++) {
            struct pin_info in;
            if (pins_get(s, i, &in) < 0 || !in.pending || strcmp(in.server, o->server) != 0 ||
                (o->kind >= 0 && (int)in.kind != o->kind))
                continue;
            char name[PINS_MAX_NAME + 1], latest[CANON_SHA256_HEX];
            size_t nl = in.name_len;
            memcpy(name, in.name, nl);
            name[nl] = '\0';
            memcpy(latest, in.latest, sizeof(latest));
            int kind = (int)in.kind;
            if (pins_approve(s, o->server, in.kind, name, nl, NULL) == 0) {
                approved++;
                say("approved", o, kind, name, latest);
            }
        }
    } else {
        for (int k = 0; k < PIN_KINDS; k++) {
            if (o->kind >= 0 && k != o->kind)
                continue;
            struct pin_info in;
            size_t nl = strlen(o->name);
            if (pins_info(s, o->server, (enum pin_kind)k, o->name, nl, &in) < 0)
                continue;
            char latest[CANON_SHA256_HEX];
            memcpy(latest, in.latest, sizeof(latest));
            rc = pins_approve(s, o->server, (enum pin_kind)k, o->name, nl, o->hash);
            if (rc == 0) {
                approved++;
                say("approved", o, k, o->name,
                    o->hash != NULL && strlen(o->hash) == 64 ? o->hash : latest);
            } else if (rc == -ESTALE) {
                stale = true;
                fprintf(stderr, "sentinel pins: %s ", kind_names[k]);
                put_safe(stderr, o->name, nl);
                fprintf(stderr, ": the pending definition is %.12s, not %s\n", latest, o->hash);
            } else if (rc == -EINVAL) {
                pins_free(s);
                fprintf(stderr, "sentinel pins: --hash takes 8 to 64 hex digits\n");
                return EX_USAGE;
            }
        }
    }
    if (approved == 0) {
        pins_free(s);
        if (!stale)
            fprintf(stderr, "sentinel pins: nothing to approve\n");
        return EX_NOTHING;
    }
    rc = pins_save(s, err, sizeof(err));
    pins_free(s);
    if (rc < 0) {
        fprintf(stderr, "sentinel pins: %s\n", err);
        return exit_of(rc);
    }
    return EX_OK;
}

static int cmd_forget(const struct opts *o)
{
    if (o->server == NULL || o->name == NULL || o->all || o->hash != NULL) {
        fprintf(stderr, "sentinel pins forget: needs --server ID and NAME\n");
        usage(stderr);
        return EX_USAGE;
    }
    char err[512] = "";
    struct pin_store *s;
    int rc = pins_open(&s, o->store, PINS_O_LOCK, err, sizeof(err));
    if (rc < 0) {
        fprintf(stderr, "sentinel pins: %s\n", err);
        return exit_of(rc);
    }
    rc = pins_forget(s, o->server, o->kind, o->name, strlen(o->name));
    if (rc <= 0) {
        pins_free(s);
        fprintf(stderr, "sentinel pins: no such pin\n");
        return rc < 0 ? EX_USAGE : EX_NOTHING;
    }
    int forgotten = rc;
    rc = pins_save(s, err, sizeof(err));
    pins_free(s);
    if (rc < 0) {
        fprintf(stderr, "sentinel pins: %s\n", err);
        return exit_of(rc);
    }
    printf("forgot %d pin%s\n", forgotten, forgotten == 1 ? "" : "s");
    return EX_OK;
}

int pins_cli(int argc, char **argv)
{
    if (argc < 1) {
        usage(stderr);
        return EX_USAGE;
    }
    const char *action = argv[0];
    if (strcmp(action, "-h") == 0 || strcmp(action, "--help") == 0 || strcmp(action, "help") == 0) {
        usage(stdout);
        return EX_OK;
    }
    struct opts o;
    int prc = parse_opts(argc, argv, &o);
    if (o.help) {
        usage(stdout);
        return EX_OK;
    }
    if (prc < 0) {
        usage(stderr);
        return EX_USAGE;
    }
    if (strcmp(action, "list") == 0)
        return cmd_list(&o);
    if (strcmp(action, "approve") == 0)
        return cmd_approve(&o);
    if (strcmp(action, "forget") == 0)
        return cmd_forget(&o);
    fprintf(stderr, "sentinel pins: unknown action '%s'\n", action);
    usage(stderr);
    return EX_USAGE;
}
