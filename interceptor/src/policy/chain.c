/*
 * chain.c - the contamination chain of a source, followed through an audit log. It reads only
 * what `run` recorded (a decision's "provenance" and "influenced_by", whether it was
 * forwarded) and never guesses which call a value came from. The log is hostile input: it is
 * read a bounded line at a time with the framer and the strict JSON parser, as replay does,
 * every field is checked, and text from it is escaped before it reaches a terminal.
 * The reader never prints; chain_cli, at the end, is the command line around it.
 */
#include "policy/chain.h"
#include "policy/logread.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/verify.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/file.h"
#include "base/num.h"
#include "mcp/frame.h"
#include "mcp/json.h"
#include "policy/replay.h"

#define SUB_MAX_NODES 65536u       /* nodes of "provenance", "influenced_by", "labels" */
#define KEY_MAX (CHAIN_ID_MAX + 8) /* an id's identity: a tag byte and its text */
#define SET_MAX_BYTES ((size_t)256 << 20)
#define SET_MAX_SLOTS ((size_t)1 << 25) /* at most half full: 16M ids per session */

#define T(t) (1u << (t))

/* ---- the set of ids a session's contamination has reached ---------------------------- */

/* Keys live in an arena (a 4-byte length, then the bytes); slots hold offset + 1, 0 = empty. */
struct idset {
    struct buf keys;
    uint32_t *slot;
    size_t nslot, count;
    uint64_t seed; /* keyed so that a crafted log cannot aim collisions at the table */
};

static uint64_t key_hash(uint64_t seed, const char *k, size_t n)
{
    uint64_t h = 1469598103934665603ULL ^ seed;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)k[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

static void idset_init(struct idset *s)
{
    memset(s, 0, sizeof(*s));
    buf_init(&s->keys, SET_MAX_BYTES);
    if (getrandom(&s->seed, sizeof(s->seed), GRND_NONBLOCK) != (ssize_t)sizeof(s->seed))
        s->seed = (uint64_t)(uintptr_t)s ^ (uint64_t)getpid() << 32;
}

static void idset_cleanup(struct idset *s)
{
    buf_cleanup(&s->keys);
    free(s->slot);
}

static void idset_clear(struct idset *s)
{
    if (s->slot != NULL)
        memset(s->slot, 0, s->nslot * sizeof(*s->slot));
    s->count = 0;
    buf_reset(&s->keys);
}

static bool entry_is(const struct idset *s, uint32_t off, const char *k, size_t n)
{
    uint32_t len;
    memcpy(&len, s->keys.data + off, sizeof(len));
    return len == n && memcmp(s->keys.data + off + sizeof(len), k, n) == 0;
}

/* The entry's offset in the arena + 1, or 0 when the key is not in the set. */
static uint32_t idset_find(const struct idset *s, const char *k, size_t n)
{
    if (s->count == 0)
        return 0;
    size_t mask = s->nslot - 1;
    for (size_t i = key_hash(s->seed, k, n) & mask;; i = (i + 1) & mask) {
        uint32_t x = s->slot[i];
        if (x == 0)
            return 0;
        if (entry_is(s, x - 1, k, n))
            return x;
    }
}

static void place(uint32_t *slot, size_t nslot, uint64_t h, uint32_t x)
{
    size_t mask = nslot - 1;
    size_t i = h & mask;
    while (slot[i] != 0)
        i = (i + 1) & mask;
    slot[i] = x;
}

static int idset_grow(struct idset *s)
{
    size_t n = s->nslot ? s->nslot * 2 : 64;
    if (n > SET_MAX_SLOTS)
        return SE_ELIMIT;
    uint32_t *slot = calloc(n, sizeof(*slot));
    if (slot == NULL)
        return -ENOMEM;
    for (size_t i = 0; i < s->nslot; i++) {
        uint32_t x = s->slot[i];
        if (x == 0)
            continue;
        uint32_t len;
        memcpy(&len, s->keys.data + x - 1, sizeof(len));
        place(slot, n, key_hash(s->seed, s->keys.data + x - 1 + sizeof(len), len), x);
    }
    free(s->slot);
    s->slot = slot;
    s->nslot = n;
    return 0;
}

/* Add a key (no-op when present). 0, SE_ELIMIT past the set's bounds, -ENOMEM. */
static int idset_add(struct idset *s, const char *k, size_t n)
{
    if (idset_find(s, k, n) != 0)
        return 0;
    if ((s->count + 1) * 2 > s->nslot) {
        int rc = idset_grow(s);
        if (rc < 0)
            return rc;
    }
    size_t off = s->keys.len;
    uint32_t len = (uint32_t)n;
    int rc = buf_append(&s->keys, &len, sizeof(len));
    if (rc == 0)
        rc = buf_append(&s->keys, k, n);
    if (rc < 0) {
        s->keys.len = off;
        return rc == -ENOBUFS ? SE_ELIMIT : rc;
    }
    place(s->slot, s->nslot, key_hash(s->seed, k, n), (uint32_t)off + 1);
    s->count++;
    return 0;
}

/* ---- the reader ----------------------------------------------------------------------- */

/* The sources one decision depends on, of one kind (value or label). */
struct via {
    struct buf json;              /* their ids as JSON text, comma-separated */
    struct buf human;             /* the same, escaped for a terminal, ", "-separated */
    uint32_t seen[CHAIN_VIA_MAX]; /* set entries listed, to list each once */
    size_t n;
    uint64_t more; /* matches past CHAIN_VIA_MAX distinct ids */
};

struct chain {
    struct chain_opts o;
    struct chain_stats st;
    char want[KEY_MAX]; /* by request: the selected id's identity */
    size_t want_len;
    int fd;
    bool own_fd, eof, torn;
    uint64_t lineno, lines_framed;
    struct framer in;
    struct json_doc rec; /* the record: members indexed */
    struct json_doc sub; /* an array member of it, elements (and their members) indexed */
    struct idset set;
    struct idset held; /* dependents held for approval: they join the set once approved */
    struct buf tmp; /* unescaped strings */
    /* the session */
    bool started;      /* a "start" record was read */
    bool counted;      /* the session is counted in st.sessions */
    bool header_done;  /* human output: its heading is printed */
    bool header_now;   /* ... as part of the item being built */
    struct buf run_id; /* escaped JSON string body; run_known says whether there is one */
    bool run_known;
    uint64_t start_line;
    struct via val, lab;
    struct buf out; /* the item handed out */
};

/* The identity of a JSON-RPC id: 'n' and the integer, 's' and the string's bytes, 'r' and
 * the text of other numbers. Ids longer than run accepts have none: -1, as for other types. */
static int id_key(struct chain *c, struct json_doc *doc, uint32_t node, char *key, size_t *klen)
{
    const struct json_node *n = &doc->nodes[node];
    size_t raw = n->end - n->start;
    if (raw > CHAIN_ID_MAX + 2)
        return -1;
    if (n->type == JSON_NUMBER) {
        int64_t v;
        if (json_int(doc, node, &v) == 0) {
            *klen = (size_t)snprintf(key, KEY_MAX, "n%" PRId64, v);
        } else {
            key[0] = 'r';
            memcpy(key + 1, doc->text + n->start, raw);
            *klen = raw + 1;
        }
        return 0;
    }
    if (n->type != JSON_STRING)
        return -1;
    const char *s;
    size_t len;
    if (json_str(doc, node, &c->tmp, &s, &len) < 0 || len > CHAIN_ID_MAX)
        return -1;
    key[0] = 's';
    memcpy(key + 1, s, len);
    *klen = len + 1;
    return 0;
}

/* The selected id from the command line: JSON when it parses as a number or a string. */
static int want_key(struct chain *c, const char *what)
{
    size_t n = strlen(what);
    if (n == 0 || n > CHAIN_ID_MAX)
        return -EINVAL;
    struct json_doc d;
    struct diag dg = {0};
    json_doc_init(&d, 2, 4);
    int rc = json_parse(&d, what, n, 0, &dg);
    if (rc == 0 && (d.nodes[0].type == JSON_NUMBER || d.nodes[0].type == JSON_STRING))
        rc = id_key(c, &d, 0, c->want, &c->want_len);
    else
        rc = -1;
    json_doc_cleanup(&d);
    if (rc < 0) {
        c->want[0] = 's';
        memcpy(c->want + 1, what, n);
        c->want_len = n + 1;
    }
    return 0;
}

static void via_init(struct via *v, size_t lim)
{
    buf_init(&v->json, lim);
    buf_init(&v->human, 4 * lim + 64);
}

static void via_cleanup(struct via *v)
{
    buf_cleanup(&v->json);
    buf_cleanup(&v->human);
}

static void via_reset(struct via *v)
{
    buf_reset(&v->json);
    buf_reset(&v->human);
    v->n = 0;
    v->more = 0;
}

static int seed(struct chain *c)
{
    return c->o.by == CHAIN_BY_REQUEST ? idset_add(&c->set, c->want, c->want_len) : 0;
}

int chain_open(struct chain **out, const char *path, const struct chain_opts *o)
{
    *out = NULL;
    if (o->what == NULL || o->what[0] == '\0')
        return -EINVAL;
    struct chain *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return -ENOMEM;
    c->fd = -1;
    c->o = *o;
    if (c->o.max_line == 0)
        c->o.max_line = REPLAY_DEFAULT_MAX_LINE;
    size_t lim = c->o.max_line;
    framer_init(&c->in, lim);
    json_doc_init(&c->rec, REPLAY_MAX_DEPTH, 0);
    json_doc_init(&c->sub, 64, SUB_MAX_NODES);
    idset_init(&c->set);
    idset_init(&c->held);
    buf_init(&c->tmp, lim);
    buf_init(&c->run_id, lim);
    via_init(&c->val, lim);
    via_init(&c->lab, lim);
    /* copies and escapes of a line's fields: at most 4 bytes out per byte in */
    buf_init(&c->out, 4 * lim + 4096);
    int rc = 0;
    if (c->o.by == CHAIN_BY_REQUEST && (rc = want_key(c, o->what)) < 0)
        goto fail;
    if ((rc = seed(c)) < 0)
        goto fail;
    if ((rc = file_open_input(path, &c->fd, &c->own_fd)) < 0)
        goto fail;
    *out = c;
    return 0;
fail:
    chain_free(c);
    return rc;
}

void chain_free(struct chain *c)
{
    if (c == NULL)
        return;
    if (c->own_fd)
        close(c->fd);
    framer_cleanup(&c->in);
    json_doc_cleanup(&c->rec);
    json_doc_cleanup(&c->sub);
    idset_cleanup(&c->set);
    idset_cleanup(&c->held);
    buf_cleanup(&c->tmp);
    buf_cleanup(&c->run_id);
    via_cleanup(&c->val);
    via_cleanup(&c->lab);
    buf_cleanup(&c->out);
    free(c);
}

const struct chain_stats *chain_stats(const struct chain *c)
{
    return &c->st;
}

/* Count a skipped line and hand out why, with anything unprintable replaced by '?'. */
static int bad(struct chain *c, struct chain_item *it, const char *msg)
{
    c->st.bad++;
    buf_reset(&c->out);
    buf_append(&c->out, msg, strlen(msg));
    for (size_t i = 0; i < c->out.len; i++)
        if ((unsigned char)c->out.data[i] < 0x20 || (unsigned char)c->out.data[i] >= 0x7f)
            c->out.data[i] = '?';
    it->bad = true;
    it->line = c->lineno;
    it->text = c->out.data ? c->out.data : "";
    it->len = c->out.len;
    return 1;
}

/* Member `key` of the record: 1 present and of one of `types`, 0 absent, -1 another type. */
static int member(struct chain *c, const char *key, unsigned types, uint32_t *node)
{
    uint32_t x = json_get(&c->rec, 0, key, strlen(key));
    *node = x;
    if (x == 0)
        return 0;
    return (types & T(c->rec.nodes[x].type)) ? 1 : -1;
}

/* Parse array member x of the record into c->sub. NULL, or what is wrong with it. */
static const char *read_array(struct chain *c, uint32_t x, unsigned depth)
{
    const struct json_node *n = &c->rec.nodes[x];
    struct diag d = {0};
    if (json_parse(&c->sub, c->rec.text + n->start, n->end - n->start, depth, &d) < 0)
        return "cannot be read";
    if (c->sub.truncated)
        return "holds too many entries";
    return NULL;
}

/* Is member x (present or 0) an array of strings? */
static bool string_array(struct chain *c, uint32_t x)
{
    if (x == 0)
        return true;
    if (c->rec.nodes[x].type != JSON_ARRAY || read_array(c, x, 1) != NULL)
        return false;
    for (uint32_t e = json_first(&c->sub, 0); e != 0; e = c->sub.nodes[e].next)
        if (c->sub.nodes[e].type != JSON_STRING)
            return false;
    return true;
}

/*
 * Append s to b for a terminal: printable ASCII as is, any other byte as \xNN, and (in
 * unescaped text, where a backslash is its own) a backslash doubled so \xNN stays unambiguous.
 */
static int put_text(struct buf *b, const char *s, size_t n, bool unescaped)
{
    static const char hex[] = "0123456789abcdef";
    int rc = 0;
    size_t run = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x20 && ch < 0x7f && (ch != '\\' || !unescaped))
            continue;
        char esc[4] = {'\\', 'x', hex[ch >> 4], hex[ch & 15]};
        rc = buf_append(b, s + run, i - run);
        if (rc == 0)
            rc = ch == '\\' ? buf_append(b, "\\\\", 2) : buf_append(b, esc, 4);
        run = i + 1;
    }
    return rc < 0 ? rc : buf_append(b, s + run, n - run);
}

static int put_human(struct buf *b, const char *s, size_t n)
{
    return put_text(b, s, n, true);
}

/* A node's JSON text, verbatim (JSON) or escaped for a terminal (human). */
static int put_node(struct buf *b, struct json_doc *doc, uint32_t node, bool human)
{
    const struct json_node *n = &doc->nodes[node];
    return human ? put_text(b, doc->text + n->start, n->end - n->start, false)
                 : buf_append(b, doc->text + n->start, n->end - n->start);
}

/* A string node's bytes, unescaped, for a terminal. */
static int put_str_human(struct chain *c, struct buf *b, uint32_t node)
{
    const char *s;
    size_t n;
    int rc = json_str(&c->rec, node, &c->tmp, &s, &n);
    return rc < 0 ? rc : put_human(b, s, n);
}

/*
 * The ids of member x ("provenance": objects with "source"; "influenced_by": ids) that are
 * in the set, into v. NULL, or what is wrong with the member.
 */
static const char *collect(struct chain *c, uint32_t x, bool prov, struct via *v)
{
    via_reset(v);
    if (x == 0)
        return NULL;
    const char *why = read_array(c, x, prov ? 2 : 1);
    if (why != NULL)
        return why;
    for (uint32_t e = json_first(&c->sub, 0); e != 0; e = c->sub.nodes[e].next) {
        uint32_t id = e;
        if (prov) {
            if (c->sub.nodes[e].type != JSON_OBJECT)
                return "must be an array of objects";
            id = json_getz(&c->sub, e, "source");
            if (id == 0 || c->sub.nodes[id].type == JSON_NULL)
                continue; /* a value the operator marked, or one a server's notification
                           * carried: no call produced it */
        }
        if (!(T(c->sub.nodes[id].type) & (T(JSON_NUMBER) | T(JSON_STRING))))
            return prov ? "has a \"source\" that is neither a number nor a string"
                        : "must be an array of numbers and strings";
        char key[KEY_MAX];
        size_t klen;
        uint32_t at;
        if (id_key(c, &c->sub, id, key, &klen) < 0 || (at = idset_find(&c->set, key, klen)) == 0)
            continue;
        bool dup = false;
        for (size_t k = 0; k < v->n && !dup; k++)
            dup = v->seen[k] == at;
        if (dup)
            continue;
        if (v->n == CHAIN_VIA_MAX) {
            v->more++;
            continue;
        }
        int rc = 0;
        if (v->n > 0) {
            rc = buf_putc(&v->json, ',');
            if (rc == 0)
                rc = buf_append(&v->human, ", ", 2);
        }
        if (rc == 0)
            rc = put_node(&v->json, &c->sub, id, false);
        if (rc == 0)
            rc = put_node(&v->human, &c->sub, id, true);
        if (rc < 0)
            return "cannot be read (too large)";
        v->seen[v->n++] = at;
    }
    return NULL;
}

#define PUT(call)                                                                                  \
    do {                                                                                           \
        if (rc == 0)                                                                               \
            rc = (call);                                                                           \
    } while (0)

/* Start an item: the session's heading first when human output has not printed it. */
static int begin(struct chain *c, const char *kind)
{
    struct buf *b = &c->out;
    int rc = 0;
    buf_reset(b);
    c->header_now = false;
    if (c->o.json) {
        PUT(buf_printf(b, "{\"kind\":\"%s\",\"run_id\":", kind));
        if (c->run_known)
            PUT(buf_printf(b, "\"%.*s\"", (int)c->run_id.len, c->run_id.data));
        else
            PUT(buf_append(b, "null", 4));
        PUT(buf_printf(b, ",\"line\":%" PRIu64, c->lineno));
        return rc;
    }
    if (!c->header_done) {
        if (c->run_known) {
            PUT(buf_append(b, "run ", 4));
            PUT(put_text(b, c->run_id.data, c->run_id.len, false));
            PUT(buf_printf(b, " (line %" PRIu64 ")\n", c->start_line));
        } else if (c->started) {
            PUT(buf_printf(b, "run without an id (line %" PRIu64 ")\n", c->start_line));
        } else {
            PUT(buf_append(b, "before any start record\n", 24));
        }
        c->header_done = c->header_now = rc == 0;
    }
    PUT(buf_printf(b, "  line %-5" PRIu64 " %-9s  ", c->lineno, kind));
    return rc;
}

static int finish(struct chain *c, struct chain_item *it, int rc)
{
    if (rc == 0)
        rc = c->o.json ? buf_append(&c->out, "}\n", 2) : buf_putc(&c->out, '\n');
    if (rc < 0) {
        if (c->header_now)
            c->header_done = false; /* the heading went with the item */
        return bad(c, it, "the report of this record is too large to print");
    }
    it->bad = false;
    it->line = c->lineno;
    it->text = c->out.data;
    it->len = c->out.len;
    return 1;
}

/* <,"key":node's text> when the node is there. */
static int put_member(struct chain *c, const char *key, uint32_t node)
{
    if (node == 0)
        return 0;
    int rc = buf_printf(&c->out, ",\"%s\":", key);
    return rc < 0 ? rc : put_node(&c->out, &c->rec, node, false);
}

/* The fields a decision record is read for (0 = absent). */
struct drec {
    uint32_t seq, rid, method, tool, name, uri, server, dir, effect, labels, prov, infl;
    bool forwarded, held, s2c;
};

/* Human: "seq N  request ID  TARGET  EFFECT, forwarded". */
static int human_call(struct chain *c, const struct drec *d)
{
    struct buf *b = &c->out;
    int rc = 0;
    PUT(buf_append(b, "seq ", 4));
    PUT(d->seq ? put_node(b, &c->rec, d->seq, true) : buf_putc(b, '-'));
    if (d->rid != 0) {
        PUT(buf_append(b, "  request ", 10));
        PUT(put_node(b, &c->rec, d->rid, true));
    } else {
        PUT(buf_append(b, "  notification", 14));
    }
    PUT(buf_append(b, "  ", 2));
    uint32_t target = d->tool ? d->tool : d->name ? d->name : d->uri ? d->uri : d->method;
    PUT(target ? put_str_human(c, b, target) : buf_putc(b, '?'));
    if (d->server) {
        PUT(buf_append(b, " @", 2));
        PUT(put_str_human(c, b, d->server));
    }
    if (d->s2c)
        PUT(buf_append(b, " (server->client)", 17));
    PUT(buf_append(b, "  ", 2));
    PUT(d->effect ? put_str_human(c, b, d->effect) : buf_putc(b, '?'));
    if (d->held)
        PUT(buf_append(b, ", held for approval", 19));
    else
        PUT(buf_append(b, d->forwarded ? ", forwarded" : ", not forwarded",
                       d->forwarded ? 11 : 15));
    return rc;
}

/* JSON: the decision's own fields. */
static int json_call(struct chain *c, const struct drec *d)
{
    int rc = 0;
    PUT(put_member(c, "seq", d->seq));
    PUT(put_member(c, "request_id", d->rid));
    PUT(put_member(c, "method", d->method));
    PUT(put_member(c, "tool", d->tool));
    PUT(put_member(c, "name", d->name));
    PUT(put_member(c, "uri", d->uri));
    PUT(put_member(c, "server", d->server));
    PUT(put_member(c, "direction", d->dir));
    PUT(put_member(c, "effect", d->effect));
    PUT(buf_printf(&c->out, ",\"forwarded\":%s", d->forwarded ? "true" : "false"));
    if (d->held)
        PUT(buf_append(&c->out, ",\"held\":true", 12));
    return rc;
}

static int report_source(struct chain *c, struct chain_item *it, const struct drec *d)
{
    int rc = begin(c, "source");
    PUT(c->o.json ? json_call(c, d) : human_call(c, d));
    return finish(c, it, rc);
}

static int report_dependent(struct chain *c, struct chain_item *it, const struct drec *d,
                            bool joins)
{
    struct buf *b = &c->out;
    int rc = begin(c, "dependent");
    if (c->o.json) {
        PUT(json_call(c, d));
        PUT(buf_printf(b, ",\"joins\":%s,\"via\":{\"value\":[", joins ? "true" : "false"));
        PUT(buf_append(b, c->val.json.data, c->val.json.len));
        PUT(buf_append(b, "],\"label\":[", 11));
        PUT(buf_append(b, c->lab.json.data, c->lab.json.len));
        PUT(buf_append(b, "]", 1));
        if (c->val.more + c->lab.more > 0)
            PUT(buf_printf(b, ",\"more\":%" PRIu64, c->val.more + c->lab.more));
        PUT(buf_putc(b, '}'));
        PUT(put_member(c, "labels", d->labels));
        return finish(c, it, rc);
    }
    PUT(human_call(c, d));
    PUT(buf_append(b, "  via ", 6));
    if (c->val.n > 0) {
        PUT(buf_append(b, "value of ", 9));
        PUT(buf_append(b, c->val.human.data, c->val.human.len));
    }
    if (c->lab.n > 0) {
        PUT(buf_append(b, c->val.n ? "; label of " : "label of ", c->val.n ? 11 : 9));
        PUT(buf_append(b, c->lab.human.data, c->lab.human.len));
    }
    if (c->val.more + c->lab.more > 0)
        PUT(buf_printf(b, " (and %" PRIu64 " more)", c->val.more + c->lab.more));
    return finish(c, it, rc);
}

/* The decision's fields, type-checked. NULL, or what is wrong. */
static const char *read_decision(struct chain *c, struct drec *d)
{
    static const struct {
        const char *key;
        size_t off;
    } strs[] = {
        {"method", offsetof(struct drec, method)}, {"tool", offsetof(struct drec, tool)},
        {"name", offsetof(struct drec, name)},     {"uri", offsetof(struct drec, uri)},
        {"server", offsetof(struct drec, server)}, {"direction", offsetof(struct drec, dir)},
        {"effect", offsetof(struct drec, effect)},
    };
    static const char *const str_msgs[] = {
        "\"method\" must be a string", "\"tool\" must be a string",
        "\"name\" must be a string",   "\"uri\" must be a string",
        "\"server\" must be a string", "\"direction\" must be a string",
        "\"effect\" must be a string",
    };
    uint32_t fwd;
    int k;
    memset(d, 0, sizeof(*d));
    uint32_t note = 0;
    if ((k = member(c, "request_id", T(JSON_NUMBER) | T(JSON_STRING), &d->rid)) < 0)
        return "\"request_id\" must be a number or a string";
    if (k == 0 && (member(c, "notification", T(JSON_TRUE), &note) <= 0))
        return "decision record without \"request_id\""; /* a notification has none */
    if ((k = member(c, "forwarded", T(JSON_TRUE) | T(JSON_FALSE), &fwd)) <= 0)
        return k == 0 ? "decision record without \"forwarded\""
                      : "\"forwarded\" must be true or false";
    d->forwarded = c->rec.nodes[fwd].type == JSON_TRUE;
    uint32_t held;
    d->held = member(c, "held", T(JSON_TRUE), &held) > 0;
    if (member(c, "seq", T(JSON_NUMBER), &d->seq) < 0)
        return "\"seq\" must be a number";
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
        if (member(c, strs[i].key, T(JSON_STRING), (uint32_t *)((char *)d + strs[i].off)) < 0)
            return str_msgs[i];
    d->s2c = d->dir != 0 && json_str_eqz(&c->rec, d->dir, "server->client");
    if (member(c, "labels", T(JSON_ARRAY), &d->labels) < 0 || !string_array(c, d->labels))
        return "\"labels\" must be an array of strings";
    if (member(c, "provenance", T(JSON_ARRAY), &d->prov) < 0)
        return "\"provenance\" must be an array of objects";
    if (member(c, "influenced_by", T(JSON_ARRAY), &d->infl) < 0)
        return "\"influenced_by\" must be an array of numbers and strings";
    return NULL;
}

static bool selected(struct chain *c, const struct drec *d, const char *key, size_t klen,
                     bool has_key)
{
    if (d->s2c)
        return false; /* the server's request: its id is in the server's id space */
    const char *w = c->o.what;
    switch (c->o.by) {
    case CHAIN_BY_REQUEST:
        return has_key && klen == c->want_len && memcmp(key, c->want, klen) == 0;
    case CHAIN_BY_TOOL:
        return d->tool != 0 && json_str_eq(&c->rec, d->tool, w, strlen(w));
    case CHAIN_BY_SERVER:
        return d->server != 0 && json_str_eq(&c->rec, d->server, w, strlen(w));
    }
    return false;
}

/* A session's first record when no "start" came before: it is counted once. */
static void in_session(struct chain *c)
{
    if (!c->counted) {
        c->counted = true;
        c->st.sessions++;
    }
}

static int on_decision(struct chain *c, struct chain_item *it)
{
    struct drec d;
    const char *why = read_decision(c, &d);
    char msg[200];
    if (why != NULL)
        return bad(c, it, why);
    if ((why = collect(c, d.prov, true, &c->val)) != NULL) {
        snprintf(msg, sizeof(msg), "\"provenance\" %s", why);
        return bad(c, it, msg);
    }
    if ((why = collect(c, d.infl, false, &c->lab)) != NULL) {
        snprintf(msg, sizeof(msg), "\"influenced_by\" %s", why);
        return bad(c, it, msg);
    }
    in_session(c);
    char key[KEY_MAX];
    size_t klen = 0;
    bool has_key = d.rid != 0 && id_key(c, &c->rec, d.rid, key, &klen) == 0;
    int rc;
    if (selected(c, &d, key, klen, has_key)) {
        if (has_key && (rc = idset_add(&c->set, key, klen)) < 0)
            return rc;
        c->st.sources++;
        return report_source(c, it, &d);
    }
    if (c->val.n + c->lab.n == 0)
        return 0;
    /* it depends on the set; forwarded, its result came back and may carry it further
     * (held for approval: once its "approval" record says it went, on_approval) */
    bool joins = d.forwarded && !d.s2c && has_key;
    if (joins && (rc = idset_add(&c->set, key, klen)) < 0)
        return rc;
    if (d.held && !d.s2c && has_key && (rc = idset_add(&c->held, key, klen)) < 0)
        return rc;
    c->st.dependents++;
    if (d.forwarded)
        c->st.forwarded++;
    return report_dependent(c, it, &d, joins);
}

/*
 * An "approval" record of a dependent held for approval: what the human answered is reported
 * under it (the decision said "held for approval"), and one that went joins the set.
 */
static int on_approval(struct chain *c, struct chain_item *it)
{
    uint32_t rid, fwd, seq = 0, ans = 0;
    char key[KEY_MAX];
    size_t klen = 0;
    if (member(c, "forwarded", T(JSON_TRUE) | T(JSON_FALSE), &fwd) <= 0 ||
        member(c, "request_id", T(JSON_NUMBER) | T(JSON_STRING), &rid) <= 0 ||
        id_key(c, &c->rec, rid, key, &klen) < 0 || idset_find(&c->held, key, klen) == 0)
        return 0;
    bool went = c->rec.nodes[fwd].type == JSON_TRUE;
    int rc = 0;
    if (went) {
        c->st.forwarded++;
        if ((rc = idset_add(&c->set, key, klen)) < 0)
            return rc;
    }
    (void)member(c, "seq", T(JSON_NUMBER), &seq);
    (void)member(c, "answer", T(JSON_STRING), &ans);
    struct buf *b = &c->out;
    rc = begin(c, "approval");
    if (c->o.json) {
        PUT(put_member(c, "seq", seq));
        PUT(put_member(c, "request_id", rid));
        PUT(put_member(c, "answer", ans));
        PUT(buf_printf(b, ",\"forwarded\":%s,\"joins\":%s", went ? "true" : "false",
                       went ? "true" : "false"));
        return finish(c, it, rc);
    }
    PUT(buf_append(b, "seq ", 4));
    PUT(seq ? put_node(b, &c->rec, seq, true) : buf_putc(b, '-'));
    PUT(buf_append(b, "  request ", 10));
    PUT(put_node(b, &c->rec, rid, true));
    PUT(buf_append(b, "  answered ", 11));
    PUT(ans ? put_str_human(c, b, ans) : buf_putc(b, '?'));
    PUT(buf_append(b, went ? ", forwarded" : ", not forwarded", went ? 11 : 15));
    return finish(c, it, rc);
}

/* A "scan" or "taint" record (or a "spotlight" one whose forged marker added a label): the
 * result of a call in the set moved labels or values. ev: the record's event. */
static int on_result(struct chain *c, struct chain_item *it, const char *ev)
{
    bool scan = strcmp(ev, "taint") != 0;
    uint32_t rid, tool, uri, added, removed, tracked, dir;
    int k;
    /* a server's notification has no id: its scan depends on no call */
    if (scan && member(c, "request_id", ~0u, &rid) == 0 &&
        member(c, "direction", T(JSON_STRING), &dir) > 0 &&
        json_str_eqz(&c->rec, dir, "server->client"))
        return 0;
    if ((k = member(c, "request_id", T(JSON_NUMBER) | T(JSON_STRING), &rid)) <= 0)
        return bad(c, it,
                   k == 0 ? "result record without \"request_id\""
                          : "\"request_id\" must be a number or a string");
    in_session(c);
    char key[KEY_MAX];
    size_t klen;
    if (id_key(c, &c->rec, rid, key, &klen) < 0 || idset_find(&c->set, key, klen) == 0)
        return 0;
    if (member(c, "tool", T(JSON_STRING), &tool) < 0)
        return bad(c, it, "\"tool\" must be a string");
    if (member(c, "uri", T(JSON_STRING), &uri) < 0)
        return bad(c, it, "\"uri\" must be a string");
    if (member(c, "tracked", T(JSON_NUMBER), &tracked) < 0)
        return bad(c, it, "\"tracked\" must be a number");
    if (member(c, "added", T(JSON_ARRAY), &added) < 0 || !string_array(c, added))
        return bad(c, it, "\"added\" must be an array of strings");
    if (member(c, "removed", T(JSON_ARRAY), &removed) < 0 || !string_array(c, removed))
        return bad(c, it, "\"removed\" must be an array of strings");
    c->st.results++;
    struct buf *b = &c->out;
    int rc = begin(c, "result");
    if (c->o.json) {
        PUT(buf_printf(b, ",\"event\":\"%s\"", ev));
        PUT(put_member(c, "request_id", rid));
        PUT(put_member(c, "tool", tool));
        PUT(put_member(c, "uri", uri));
        PUT(put_member(c, "added", added));
        PUT(put_member(c, "removed", removed));
        PUT(put_member(c, "tracked", tracked));
        return finish(c, it, rc);
    }
    PUT(buf_append(b, "request ", 8));
    PUT(put_node(b, &c->rec, rid, true));
    if (tool || uri) {
        PUT(buf_append(b, "  ", 2));
        PUT(put_str_human(c, b, tool ? tool : uri));
    }
    PUT(buf_printf(b, "  %s:", ev));
    bool any = false;
    const uint32_t lists[] = {added, removed};
    for (int i = 0; i < 2; i++) {
        if (lists[i] == 0 || c->rec.nodes[lists[i]].nchild == 0)
            continue;
        if (read_array(c, lists[i], 1) != NULL) {
            rc = -EINVAL;
            break;
        }
        PUT(buf_append(b, any ? "; " : " ", any ? 2 : 1));
        PUT(buf_append(b, i == 0 ? "added " : "removed ", i == 0 ? 6 : 8));
        for (uint32_t e = json_first(&c->sub, 0); e != 0; e = c->sub.nodes[e].next) {
            const char *s;
            size_t n;
            PUT(json_str(&c->sub, e, &c->tmp, &s, &n));
            if (rc == 0 && e != json_first(&c->sub, 0))
                PUT(buf_append(b, ", ", 2));
            if (rc == 0)
                PUT(put_human(b, s, n));
        }
        any = true;
    }
    if (tracked) {
        PUT(buf_append(b, any ? "; " : " ", any ? 2 : 1));
        PUT(put_node(b, &c->rec, tracked, true));
        PUT(buf_append(b, " values tracked", 15));
        any = true;
    }
    if (!any)
        PUT(buf_append(b, " no change", 10));
    return finish(c, it, rc);
}

/* A "start" record: a new session, with its own ids. */
static int on_start(struct chain *c, struct chain_item *it)
{
    uint32_t run;
    int k = member(c, "run_id", T(JSON_STRING), &run);
    idset_clear(&c->set);
    idset_clear(&c->held);
    int rc = seed(c);
    if (rc < 0)
        return rc;
    c->started = true;
    c->counted = true;
    c->st.sessions++;
    c->header_done = false;
    c->start_line = c->lineno;
    c->run_known = false;
    buf_reset(&c->run_id);
    if (k == 1) {
        const struct json_node *n = &c->rec.nodes[run];
        /* the raw body is valid JSON string text: it prints as is in JSON output */
        if (buf_append(&c->run_id, c->rec.text + n->start + 1, n->end - n->start - 2) == 0)
            c->run_known = true;
    }
    if (k < 0)
        return bad(c, it, "\"run_id\" must be a string (the session starts without one)");
    return 0;
}

int chain_line(struct chain *c, uint64_t lineno, const char *line, size_t len, bool torn,
               struct chain_item *it)
{
    char msg[400];
    c->lineno = lineno;
    c->st.lines++;
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n'))
        i++;
    if (i == len)
        return 0; /* blank */
    struct diag d = {0};
    if (json_parse(&c->rec, line, len, 1, &d) < 0) {
        const char *end = torn ? " (the log ends mid-record)" : "";
        if (d.col > 0)
            snprintf(msg, sizeof(msg), "not valid JSON: %s at byte %u%s", d.msg, d.col, end);
        else
            snprintf(msg, sizeof(msg), "not valid JSON: %s%s", d.msg, end);
        return bad(c, it, msg);
    }
    if (c->rec.nodes[0].type != JSON_OBJECT)
        return bad(c, it, "not a JSON object");
    if (c->rec.truncated)
        return bad(c, it, "a record with too many members");
    c->st.records++;
    uint32_t ev;
    int k = member(c, "event", T(JSON_STRING), &ev);
    if (k <= 0)
        return bad(c, it, k == 0 ? "a record without \"event\"" : "\"event\" must be a string");
    if (json_str_eqz(&c->rec, ev, "decision"))
        return on_decision(c, it);
    if (json_str_eqz(&c->rec, ev, "scan"))
        return on_result(c, it, "scan");
    if (json_str_eqz(&c->rec, ev, "taint"))
        return on_result(c, it, "taint");
    uint32_t sa;
    if (json_str_eqz(&c->rec, ev, "spotlight") && member(c, "added", T(JSON_ARRAY), &sa) > 0)
        return on_result(c, it, "spotlight");
    if (json_str_eqz(&c->rec, ev, "start"))
        return on_start(c, it);
    if (json_str_eqz(&c->rec, ev, "approval"))
        return on_approval(c, it);
    return 0; /* invalidation, policy_load, stop, ...: nothing to follow */
}

int chain_next(struct chain *c, struct chain_item *it)
{
    memset(it, 0, sizeof(*it));
    for (;;) {
        const char *line;
        size_t len;
        enum frame_status s;
        while ((s = framer_next(&c->in, &line, &len)) != FRAME_NONE) {
            int k;
            uint64_t no = ++c->lines_framed;
            if (s == FRAME_TOOBIG) {
                char msg[160];
                c->lineno = no;
                c->st.lines++;
                snprintf(msg, sizeof(msg),
                         "a line of %zu bytes, longer than the limit (%zu); skipped",
                         framer_dropped_size(&c->in), c->o.max_line);
                k = bad(c, it, msg);
            } else {
                k = chain_line(c, no, line, len, c->torn, it);
            }
            if (k != 0)
                return k;
        }
        if (c->eof)
            return 0;
        int rc = logread_fill(&c->in, c->fd, &c->eof, &c->torn);
        if (rc < 0)
            return rc;
    }
}

int chain_summary(const struct chain *c, struct buf *out)
{
    const struct chain_stats *s = &c->st;
    if (c->o.json)
        return buf_printf(
            out,
            "{\"kind\":\"summary\",\"sessions\":%" PRIu64 ",\"sources\":%" PRIu64
            ",\"dependents\":%" PRIu64 ",\"forwarded\":%" PRIu64 ",\"results\":%" PRIu64
            ",\"lines\":%" PRIu64 ",\"bad_lines\":%" PRIu64 "}\n",
            s->sessions, s->sources, s->dependents, s->forwarded, s->results, s->lines, s->bad);
    return buf_printf(out,
                      "summary: sources %" PRIu64 ", dependents %" PRIu64 " (%" PRIu64
                      " forwarded), results %" PRIu64 ", sessions %" PRIu64 ", lines %" PRIu64
                      ", bad lines %" PRIu64 "\n",
                      s->sources, s->dependents, s->forwarded, s->results, s->sessions, s->lines,
                      s->bad);
}

/* ---- the command line ----------------------------------------------------------------- */

#define EX_USAGE 64
#define EX_NOINPUT 66
#define EX_SOFTWARE 70
#define EX_IOERR 74

static void usage(FILE *f)
{
    fputs("usage: sentinel chain AUDIT_LOG (--request ID | --tool NAME | --server ID)\n"
          "                      [--json] [--exit-code] [--max-line BYTES] [--key FILE]\n"
          "Print the calls that depended on a source, in log order, transitively through\n"
          "the forwarded ones. AUDIT_LOG may be - for standard input.\n"
          "  --request ID      the call with this JSON-RPC id (7, or '\"abc\"' or abc for a "
          "string)\n"
          "  --tool NAME       every call to this tool\n"
          "  --server ID       every call to this server identity\n"
          "  --json            one JSON object per line\n"
          "  --exit-code       exit 1 when some call depended on the source\n"
          "  --max-line BYTES  longest line read (default 65M; 64 .. 2G, K/M/G binary)\n"
          "  --key FILE        check the log's checkpoint signatures with this key too\n"
          "A log that does not verify (sentinel verify) is said so on stderr first.\n",
          f);
}

int chain_cli(int argc, char **argv)
{
    static const char *const by_opt[] = {NULL, "--request", "--tool", "--server"};
    struct chain_opts o = {0};
    const char *log_path = NULL, *key_path = NULL;
    bool exit_code = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        enum chain_by by = 0;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--json") == 0) {
            o.json = true;
        } else if (strcmp(a, "--exit-code") == 0) {
            exit_code = true;
        } else if (strcmp(a, "--key") == 0) {
            if (v == NULL || v[0] == '\0') {
                fprintf(stderr, "sentinel chain: --key needs a file\n");
                return EX_USAGE;
            }
            key_path = v;
            i++;
        } else if (strcmp(a, "--max-line") == 0) {
            if (v == NULL || num_parse_size(v, 64, (size_t)2 << 30, &o.max_line) < 0) {
                fprintf(stderr, "sentinel chain: --max-line must be 64 bytes .. 2G, got '%s'\n",
                        v ? v : "");
                return EX_USAGE;
            }
            i++;
        } else if ((by = strcmp(a, "--request") == 0  ? CHAIN_BY_REQUEST
                         : strcmp(a, "--tool") == 0   ? CHAIN_BY_TOOL
                         : strcmp(a, "--server") == 0 ? CHAIN_BY_SERVER
                                                      : 0) != 0) {
            if (v == NULL || v[0] == '\0') {
                fprintf(stderr, "sentinel chain: %s needs a value\n", a);
                return EX_USAGE;
            }
            if (o.by != 0) {
                fprintf(stderr, "sentinel chain: one source at a time (%s, %s)\n", by_opt[o.by], a);
                return EX_USAGE;
            }
            if (by == CHAIN_BY_REQUEST && strlen(v) > CHAIN_ID_MAX) {
                fprintf(stderr, "sentinel chain: --request: an id of at most %d bytes\n",
                        CHAIN_ID_MAX);
                return EX_USAGE;
            }
            o.by = by;
            o.what = v;
            i++;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "sentinel chain: unknown option '%s'\n", a);
            usage(stderr);
            return EX_USAGE;
        } else if (log_path == NULL) {
            log_path = a;
        } else {
            fprintf(stderr, "sentinel chain: one audit log at a time ('%s', '%s')\n", log_path, a);
            return EX_USAGE;
        }
    }
    if (log_path == NULL || o.by == 0) {
        fputs("sentinel chain: which log and which source? ", stderr);
        usage(stderr);
        return EX_USAGE;
    }
    /* the chain is evidence only as far as the log is: a damaged one is said so first */
    if (audit_verify_warn("chain", log_path, key_path) < 0)
        return EX_NOINPUT;
    struct chain *c = NULL;
    int rc = chain_open(&c, log_path, &o);
    if (rc < 0) {
        fprintf(stderr, "sentinel chain: cannot open audit log '%s': %s\n", log_path, err_str(rc));
        return rc == -ENOMEM ? EX_SOFTWARE : EX_NOINPUT;
    }
    int status = 0;
    struct chain_item it;
    while ((rc = chain_next(c, &it)) > 0) {
        if (it.bad)
            fprintf(stderr, "sentinel chain: %s:%" PRIu64 ": %.*s\n", log_path, it.line,
                    (int)it.len, it.text);
        else
            fwrite(it.text, 1, it.len, stdout);
    }
    if (rc == SE_ELIMIT) {
        fprintf(stderr,
                "sentinel chain: %s:%" PRIu64 ": a session with more ids than chain "
                "follows (16M); stopped\n",
                log_path, chain_stats(c)->lines);
        status = EX_SOFTWARE;
    } else if (rc == -ENOMEM) {
        fprintf(stderr, "sentinel chain: out of memory\n");
        status = EX_SOFTWARE;
    } else if (rc < 0) {
        fprintf(stderr, "sentinel chain: cannot read '%s': %s\n", log_path, err_str(rc));
        status = EX_IOERR;
    }
    const struct chain_stats *s = chain_stats(c);
    struct buf sum;
    buf_init(&sum, 1u << 12);
    if (status == 0 && chain_summary(c, &sum) == 0)
        fwrite(sum.data, 1, sum.len, stdout);
    buf_cleanup(&sum);
    if (status == 0 && s->sources == 0)
        fprintf(stderr, "sentinel chain: no decision in '%s' is selected by %s %s\n", log_path,
                by_opt[o.by], o.what);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "sentinel chain: cannot write the report: %s\n", strerror(errno));
        if (status == 0)
            status = EX_IOERR;
    }
    if (status == 0 && exit_code && s->dependents > 0)
        status = 1;
    chain_free(c);
    return status;
}
