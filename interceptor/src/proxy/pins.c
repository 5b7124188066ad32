/*
 * pins.c - the pin store: approved and latest definition hashes per (server, kind, name),
 * listing checks (changes, removals, duplicates, look-alikes, shadowing), and the store
 * file with its locked, atomic, merging writes.
 *
 * Exists so that a server cannot change a tool after the user trusted it (a "rug pull")
 * without an operator seeing and approving the change. It must never silently reset a
 * store it cannot read, never lose another writer's approval, and never let a definition
 * it could not pin through unblocked.
 */
#include "proxy/pins.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/hash.h"
#include "scan/fold.h"

#define NONE UINT32_MAX
#define OTHER_FIELD "(other)"
#define STORE_VERSION 1
#define STORE_MAX_DEPTH 16
#define STORE_MAX_NODES (1u << 23)

struct pin_rec {
    uint8_t hash[32];
    int64_t at;               /* approved: when; latest: since when it is the latest */
    struct pin_field *fields; /* owned, sorted by name */
    uint16_t nfields;
    bool by_operator; /* approved only: by an operator rather than on first use */
};

struct pin_entry {
    char *name; /* owned, name_len bytes and a NUL */
    size_t name_len;
    uint32_t server;
    uint8_t kind;
    bool transient; /* created only to mark a refusal: not a pin, never written */
    bool refused;   /* the last definition seen under this name could not be pinned */
    bool has_seen;  /* this process saw the server present `seen` */
    uint8_t seen[32];
    uint32_t mark; /* listing generation of the server that last checked it */
    uint32_t born; /* listing generation in which it was first seen (this process) */
    int64_t first_seen;
    struct pin_rec approved, latest;
};

struct pin_server {
    char *id;
    uint64_t h;
    uint32_t count[PIN_KINDS]; /* entries, transient ones included */
    uint32_t gen[PIN_KINDS];   /* listing generation */
    bool overflow;             /* the last listing hit a limit: everything is blocked */
};

struct pin_store {
    char *path;
    int lock_fd;
    int64_t fixed_now;
    struct pin_server *servers;
    uint32_t nservers, servers_cap;
    struct pin_entry *entries;
    uint32_t n, cap;
    uint32_t *slots; /* open addressing: entry index + 1, 0 = empty */
    uint32_t nslots; /* a power of two, at least twice n */
    uint64_t gen, written_gen;
};

static const char *const kind_names[PIN_KINDS] = {"tool", "prompt", "template", "instructions"};

static void seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
    if (err == NULL || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static int64_t now_of(const struct pin_store *s)
{
    return s->fixed_now ? s->fixed_now : (int64_t)time(NULL);
}

void pins_set_time(struct pin_store *s, int64_t unix_seconds)
{
    s->fixed_now = unix_seconds;
}

static bool valid_kind(int k)
{
    return k >= 0 && k < PIN_KINDS;
}

/* ---- hex ------------------------------------------------------------------------- */

static void hex_encode(const uint8_t *p, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[p[i] >> 4];
        out[2 * i + 1] = hx[p[i] & 15];
    }
    out[2 * n] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* exactly 2n lowercase hex digits */
static int hex_decode(const char *s, size_t slen, uint8_t *out, size_t n)
{
    if (s == NULL || slen != 2 * n)
        return -EINVAL;
    for (size_t i = 0; i < n; i++) {
        int a = hexval(s[2 * i]), b = hexval(s[2 * i + 1]);
        if (a < 0 || b < 0)
            return -EINVAL;
        out[i] = (uint8_t)(a << 4 | b);
    }
    return 0;
}

/* ---- digests --------------------------------------------------------------------- */

static uint64_t h64_of(const char *p, size_t n)
{
    char hex[CANON_SHA256_HEX];
    uint8_t b[8];
    canon_sha256_hex(p ? p : "", n, hex);
    hex_decode(hex, 16, b, 8);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | b[i];
    return v;
}

static bool field_name_ok(const char *p, size_t n)
{
    if (n == 0 || n > PIN_FIELD_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr("_-$@.:/#", c) != NULL))
            return false;
    }
    return true;
}

struct member_digest {
    size_t koff, klen; /* unescaped name in a key buffer */
    uint64_t h;        /* of the canonical value */
    uint64_t hm;       /* of the canonical member ("name":value) */
};

static int md_cmp(const void *a, const void *b, void *arg)
{
    const struct member_digest *x = a, *y = b;
    const char *base = arg;
    size_t n = x->klen < y->klen ? x->klen : y->klen;
    int c = n ? memcmp(base + x->koff, base + y->koff, n) : 0;
    if (c != 0)
        return c;
    return x->klen < y->klen ? -1 : x->klen > y->klen;
}

static int field_cmp(const void *a, const void *b)
{
    return strcmp(((const struct pin_field *)a)->name, ((const struct pin_field *)b)->name);
}

int pins_digest(struct json_doc *doc, uint32_t def, struct pin_digest *out, struct diag *d)
{
    memset(out, 0, sizeof(*out));
    if (doc == NULL || def >= doc->count)
        return diag_set(d, -EINVAL, 0, 0, "no such node");
    const struct json_node *x = &doc->nodes[def];
    struct json_doc priv;
    struct buf canon, keys;
    struct member_digest *md = NULL;
    json_doc_init(&priv, CANON_MAX_DEPTH, JSON_DEFAULT_MAX_NODES);
    buf_init(&canon, PINS_MAX_DEF);
    buf_init(&keys, PINS_MAX_DEF);
    int rc = json_parse(&priv, doc->text + x->start, x->end - x->start, CANON_MAX_DEPTH, d);
    if (rc == 0 && (priv.truncated || priv.count == 0))
        rc = diag_set(d, SE_ELIMIT, 0, 0, "definition has too many values");
    if (rc == 0 && buf_reserve(&keys, 1) < 0) /* keys.data is never NULL below */
        rc = -ENOMEM;
    if (rc < 0)
        goto out;
    if ((rc = canon_node(&priv, 0, &canon, d)) < 0) {
        if (rc == -ENOBUFS)
            diag_set(d, rc, 0, 0, "definition larger than %u bytes", PINS_MAX_DEF);
        goto out;
    }
    canon_sha256_hex(canon.data, canon.len, out->hash);
    if (priv.nodes[0].type != JSON_OBJECT || priv.nodes[0].nchild == 0)
        goto out;

    uint32_t n = priv.nodes[0].nchild, cnt = 0;
    md = calloc(n, sizeof(*md));
    if (md == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    for (uint32_t ch = json_first(&priv, 0); ch != 0 && cnt < n; ch = priv.nodes[ch].next) {
        const struct json_node *m = &priv.nodes[ch];
        md[cnt].koff = keys.len;
        if (m->flags & JSON_F_KEY_ESCAPED)
            rc = json_unescape(priv.text + m->key_start, m->key_len, &keys);
        else
            rc = buf_append(&keys, priv.text + m->key_start, m->key_len);
        if (rc < 0)
            goto out;
        md[cnt].klen = keys.len - md[cnt].koff;
        buf_reset(&canon);
        if ((rc = canon_node(&priv, ch, &canon, d)) < 0)
            goto out;
        md[cnt].h = h64_of(canon.data, canon.len);
        /* the member as a whole, for the "(other)" bucket: name and value */
        uint64_t hk = h64_of(keys.data + md[cnt].koff, md[cnt].klen);
        md[cnt].hm = md[cnt].h ^ (hk * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL);
        cnt++;
    }
    /* named slots go to the first names in byte order, so member order cannot matter */
    qsort_r(md, cnt, sizeof(*md), md_cmp, keys.data);
    bool have_other = false;
    uint64_t other = 0;
    for (uint32_t i = 0; i < cnt; i++) {
        const char *kp = keys.data + md[i].koff;
        if (field_name_ok(kp, md[i].klen) && out->nfields < PIN_MAX_FIELDS - 1) {
            struct pin_field *f = &out->field[out->nfields++];
            memcpy(f->name, kp, md[i].klen);
            f->name[md[i].klen] = '\0';
            f->h = md[i].h;
        } else {
            other ^= md[i].hm; /* order-independent: member names are unique */
            have_other = true;
        }
    }
    if (have_other) {
        struct pin_field *f = &out->field[out->nfields++];
        memcpy(f->name, OTHER_FIELD, sizeof(OTHER_FIELD));
        f->h = other;
    }
    qsort(out->field, out->nfields, sizeof(out->field[0]), field_cmp);
out:
    if (rc < 0)
        memset(out, 0, sizeof(*out));
    free(md);
    buf_cleanup(&keys);
    buf_cleanup(&canon);
    json_doc_cleanup(&priv);
    return rc;
}

/* Comma-separated names of the fields that differ; "" when either side has none. */
static void diff_hint(const struct pin_field *a, unsigned na, const struct pin_field *b,
                      unsigned nb, char out[PIN_HINT_MAX])
{
    size_t len = 0;
    out[0] = '\0';
    if (na == 0 || nb == 0)
        return;
    unsigned i = 0, j = 0;
    while (i < na || j < nb) {
        const char *name = NULL;
        int c = i >= na ? 1 : j >= nb ? -1 : strcmp(a[i].name, b[j].name);
        if (c < 0) {
            name = a[i++].name;
        } else if (c > 0) {
            name = b[j++].name;
        } else {
            if (a[i].h != b[j].h)
                name = a[i].name;
            i++;
            j++;
        }
        if (name == NULL)
            continue;
        size_t nl = strlen(name);
        if (len + (len ? 1 : 0) + nl + 4 >= PIN_HINT_MAX) {
            memcpy(out + len, len ? ",..." : "...", len ? 5 : 4);
            return;
        }
        if (len)
            out[len++] = ',';
        memcpy(out + len, name, nl + 1);
        len += nl;
    }
}

/* ---- records --------------------------------------------------------------------- */

static void rec_cleanup(struct pin_rec *r)
{
    free(r->fields);
    r->fields = NULL;
    r->nfields = 0;
}

static int rec_set_fields(struct pin_rec *r, const struct pin_field *f, unsigned n)
{
    struct pin_field *nf = NULL;
    if (n > 0) {
        nf = malloc(n * sizeof(*nf));
        if (nf == NULL)
            return -ENOMEM;
        memcpy(nf, f, n * sizeof(*nf));
    }
    free(r->fields);
    r->fields = nf;
    r->nfields = (uint16_t)n;
    return 0;
}

/* Field digests a caller built by hand are used only when they would load back: valid,
 * NUL-terminated names in strictly increasing order. Otherwise there is no diff hint. */
static unsigned usable_fields(const struct pin_digest *dg)
{
    if (dg->nfields > PIN_MAX_FIELDS)
        return 0;
    for (unsigned i = 0; i < dg->nfields; i++) {
        const char *nm = dg->field[i].name;
        size_t nl = strnlen(nm, sizeof(dg->field[i].name));
        if (nl == sizeof(dg->field[i].name) ||
            !(field_name_ok(nm, nl) || strcmp(nm, OTHER_FIELD) == 0) ||
            (i > 0 && strcmp(dg->field[i - 1].name, nm) >= 0))
            return 0;
    }
    return dg->nfields;
}

static int rec_set(struct pin_rec *r, const uint8_t h[32], int64_t at, const struct pin_digest *dg)
{
    int rc = rec_set_fields(r, dg->field, usable_fields(dg));
    if (rc < 0)
        return rc;
    memcpy(r->hash, h, 32);
    r->at = at;
    return 0;
}

static int rec_copy(struct pin_rec *dst, const struct pin_rec *src)
{
    int rc = rec_set_fields(dst, src->fields, src->nfields);
    if (rc < 0)
        return rc;
    memcpy(dst->hash, src->hash, 32);
    dst->at = src->at;
    dst->by_operator = src->by_operator;
    return 0;
}

/* ---- servers and the entry table ------------------------------------------------- */

static uint32_t server_find(const struct pin_store *s, const char *id)
{
    uint64_t h = hash_fnv1a64(id, strlen(id));
    for (uint32_t i = 0; i < s->nservers; i++)
        if (s->servers[i].h == h && strcmp(s->servers[i].id, id) == 0)
            return i;
    return NONE;
}

static uint32_t server_get(struct pin_store *s, const char *id)
{
    uint32_t i = server_find(s, id);
    if (i != NONE)
        return i;
    size_t idlen = strlen(id);
    if (s->nservers >= PINS_MAX_SERVERS || idlen > PINS_MAX_ID)
        return NONE;
    if (s->nservers == s->servers_cap) {
        uint32_t ncap = s->servers_cap ? s->servers_cap * 2 : 8;
        struct pin_server *p = realloc(s->servers, ncap * sizeof(*p));
        if (p == NULL)
            return NONE;
        s->servers = p;
        s->servers_cap = ncap;
    }
    struct pin_server *sv = &s->servers[s->nservers];
    memset(sv, 0, sizeof(*sv));
    sv->id = strdup(id);
    if (sv->id == NULL)
        return NONE;
    sv->h = hash_fnv1a64(id, idlen);
    for (int k = 0; k < PIN_KINDS; k++)
        sv->gen[k] = 1;
    return s->nservers++;
}

static uint64_t entry_hash(uint32_t server, unsigned kind, const char *name, size_t len)
{
    uint64_t h = hash_fnv1a64(name, len);
    h ^= ((uint64_t)server << 2 | kind) * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 29;
    return h;
}

static uint32_t entry_find(const struct pin_store *s, uint32_t server, unsigned kind,
                           const char *name, size_t len)
{
    if (s->nslots == 0)
        return NONE;
    uint32_t mask = s->nslots - 1;
    for (uint32_t i = (uint32_t)entry_hash(server, kind, name, len) & mask;; i = (i + 1) & mask) {
        uint32_t v = s->slots[i];
        if (v == 0)
            return NONE;
        const struct pin_entry *e = &s->entries[v - 1];
        if (e->server == server && e->kind == kind && e->name_len == len &&
            (len == 0 || memcmp(e->name, name, len) == 0))
            return v - 1;
    }
}

static void slot_put(struct pin_store *s, uint32_t idx)
{
    const struct pin_entry *e = &s->entries[idx];
    uint32_t mask = s->nslots - 1;
    uint32_t i = (uint32_t)entry_hash(e->server, e->kind, e->name, e->name_len) & mask;
    while (s->slots[i] != 0)
        i = (i + 1) & mask;
    s->slots[i] = idx + 1;
}

static int table_rebuild(struct pin_store *s, uint32_t want)
{
    uint32_t ns = 16;
    while (ns < want * 2)
        ns *= 2;
    uint32_t *p = calloc(ns, sizeof(*p));
    if (p == NULL)
        return -ENOMEM;
    free(s->slots);
    s->slots = p;
    s->nslots = ns;
    for (uint32_t i = 0; i < s->n; i++)
        slot_put(s, i);
    return 0;
}

/* Append an empty (transient) entry; NONE on allocation failure. */
static uint32_t entry_add(struct pin_store *s, uint32_t server, unsigned kind, const char *name,
                          size_t len)
{
    if (s->n == s->cap) {
        uint32_t ncap = s->cap ? s->cap * 2 : 32;
        struct pin_entry *p = realloc(s->entries, ncap * sizeof(*p));
        if (p == NULL)
            return NONE;
        s->entries = p;
        s->cap = ncap;
    }
    if ((s->n + 1) * 2 > s->nslots && table_rebuild(s, s->n + 1) < 0)
        return NONE;
    char *nm = malloc(len + 1);
    if (nm == NULL)
        return NONE;
    if (len)
        memcpy(nm, name, len);
    nm[len] = '\0';
    struct pin_entry *e = &s->entries[s->n];
    memset(e, 0, sizeof(*e));
    e->name = nm;
    e->name_len = len;
    e->server = server;
    e->kind = (uint8_t)kind;
    e->transient = true;
    slot_put(s, s->n);
    s->servers[server].count[kind]++;
    return s->n++;
}

static void entry_cleanup(struct pin_entry *e)
{
    free(e->name);
    rec_cleanup(&e->approved);
    rec_cleanup(&e->latest);
}

/* ---- checking -------------------------------------------------------------------- */

enum pin_state pins_check(struct pin_store *s, const char *server, enum pin_kind k,
                          const char *name, size_t name_len, const struct pin_digest *dg)
{
    uint8_t h[32];
    if (s == NULL || server == NULL || dg == NULL || !valid_kind((int)k) ||
        (name == NULL && name_len > 0) || name_len > PINS_MAX_NAME ||
        strlen(server) > PINS_MAX_ID || hex_decode(dg->hash, strlen(dg->hash), h, 32) < 0)
        return PIN_REFUSED;
    uint32_t si = server_get(s, server);
    if (si == NONE)
        return PIN_REFUSED;
    int64_t now = now_of(s);
    uint32_t ei = entry_find(s, si, k, name, name_len);
    if (ei == NONE) {
        if (s->servers[si].count[k] >= PINS_MAX_LIST || s->n >= PINS_MAX_ENTRIES ||
            (ei = entry_add(s, si, k, name, name_len)) == NONE) {
            s->servers[si].overflow = true;
            return PIN_REFUSED;
        }
    }
    struct pin_entry *e = &s->entries[ei];
    if (e->transient) {
        if (rec_set(&e->approved, h, now, dg) < 0 || rec_set(&e->latest, h, now, dg) < 0) {
            e->refused = true;
            return PIN_REFUSED;
        }
        e->approved.by_operator = false;
        e->first_seen = now;
        e->transient = false;
        e->refused = false;
        e->has_seen = true;
        e->born = s->servers[si].gen[k];
        memcpy(e->seen, h, 32);
        s->gen++;
        return PIN_NEW;
    }
    if (memcmp(e->latest.hash, h, 32) != 0) {
        if (rec_set(&e->latest, h, now, dg) < 0) {
            e->refused = true;
            return PIN_REFUSED;
        }
        s->gen++;
    } else if (e->latest.nfields == 0 && usable_fields(dg) > 0) {
        if (rec_set_fields(&e->latest, dg->field, usable_fields(dg)) == 0)
            s->gen++;
    }
    e->refused = false;
    e->has_seen = true;
    memcpy(e->seen, h, 32);
    if (memcmp(e->approved.hash, h, 32) != 0)
        return PIN_CHANGED;
    if (e->approved.nfields == 0 && usable_fields(dg) > 0 &&
        rec_set_fields(&e->approved, dg->field, usable_fields(dg)) == 0)
        s->gen++;
    return PIN_SAME;
}

/* Trusted on first sight, but not to be: the entry keeps what it saw and has no approved
 * definition, so it stays blocked, in this run and the next ones, until an operator approves
 * it (a look-alike of a pinned name, one name with two definitions on first sight). */
static void unapprove(struct pin_store *s, uint32_t si, enum pin_kind k, const char *name,
                      size_t len)
{
    uint32_t ei = entry_find(s, si, k, name, len);
    if (ei == NONE || s->entries[ei].transient)
        return;
    struct pin_entry *e = &s->entries[ei];
    memset(e->approved.hash, 0, sizeof(e->approved.hash));
    e->approved.by_operator = false;
    s->gen++;
}

/* Remember that `name` was listed with a definition that cannot be pinned. */
static void mark_refused(struct pin_store *s, uint32_t si, enum pin_kind k, const char *name,
                         size_t len)
{
    uint32_t ei = entry_find(s, si, k, name, len);
    if (ei == NONE) {
        if (s->servers[si].count[k] >= PINS_MAX_LIST || s->n >= PINS_MAX_ENTRIES ||
            (ei = entry_add(s, si, k, name, len)) == NONE) {
            s->servers[si].overflow = true;
            return;
        }
    }
    s->entries[ei].refused = true;
    s->entries[ei].has_seen = false;
}

bool pins_blocked(const struct pin_store *s, const char *server, enum pin_kind k, const char *name,
                  size_t name_len)
{
    if (s == NULL || server == NULL || !valid_kind((int)k) || (name == NULL && name_len > 0) ||
        name_len > PINS_MAX_NAME || strlen(server) > PINS_MAX_ID)
        return true;
    uint32_t si = server_find(s, server);
    if (si == NONE)
        return false;
    if (s->servers[si].overflow)
        return true;
    uint32_t ei = entry_find(s, si, k, name, name_len);
    if (ei == NONE)
        return false;
    const struct pin_entry *e = &s->entries[ei];
    if (e->refused || e->transient)
        return true;
    if (e->has_seen)
        return memcmp(e->seen, e->approved.hash, 32) != 0;
    return memcmp(e->latest.hash, e->approved.hash, 32) != 0;
}

static uint32_t lookup(const struct pin_store *s, const char *server, int k, const char *name,
                       size_t len)
{
    if (s == NULL || server == NULL || !valid_kind(k) || (name == NULL && len > 0))
        return NONE;
    uint32_t si = server_find(s, server);
    if (si == NONE)
        return NONE;
    uint32_t ei = entry_find(s, si, (unsigned)k, name, len);
    if (ei == NONE || s->entries[ei].transient)
        return NONE;
    return ei;
}

int pins_approve(struct pin_store *s, const char *server, enum pin_kind k, const char *name,
                 size_t name_len, const char *hash)
{
    uint32_t ei = lookup(s, server, (int)k, name, name_len);
    if (ei == NONE)
        return SE_ENOTFOUND;
    struct pin_entry *e = &s->entries[ei];
    bool pending = memcmp(e->latest.hash, e->approved.hash, 32) != 0;
    uint8_t h[32];
    bool use_latest;
    /* an operator confirming a definition trusted on first use (one whose description looks
     * poisoned is blocked until then) */
    bool confirm = !pending && !e->approved.by_operator && !e->transient &&
                   memcmp(e->approved.hash, (uint8_t[32]){0}, 32) != 0;
    if (hash == NULL) {
        if (!pending && !confirm)
            return -EALREADY;
        use_latest = true;
    } else {
        char lower[65];
        size_t hl = strlen(hash);
        if (hl < 8 || hl > 64)
            return -EINVAL;
        for (size_t i = 0; i < hl; i++) {
            char c = hash[i];
            lower[i] = c >= 'A' && c <= 'F' ? (char)(c + 32) : c;
            if (hexval(lower[i]) < 0)
                return -EINVAL;
        }
        lower[hl] = '\0';
        char latest_hex[CANON_SHA256_HEX], approved_hex[CANON_SHA256_HEX];
        hex_encode(e->latest.hash, 32, latest_hex);
        hex_encode(e->approved.hash, 32, approved_hex);
        if (hl < 64) {
            if ((!pending && !confirm) || memcmp(lower, latest_hex, hl) != 0)
                return pending ? -ESTALE : -EALREADY;
            use_latest = true;
        } else {
            if (strcmp(lower, approved_hex) == 0 && !confirm)
                return -EALREADY;
            use_latest = strcmp(lower, latest_hex) == 0;
            if (hex_decode(lower, 64, h, 32) < 0)
                return -EINVAL;
        }
    }
    struct pin_rec r = {0};
    int rc = use_latest ? rec_copy(&r, &e->latest) : 0;
    if (rc < 0)
        return rc;
    if (!use_latest)
        memcpy(r.hash, h, 32);
    r.at = now_of(s);
    r.by_operator = true;
    rec_cleanup(&e->approved);
    e->approved = r;
    s->gen++;
    return 0;
}

int pins_forget(struct pin_store *s, const char *server, int k, const char *name, size_t name_len)
{
    if (s == NULL || server == NULL || (k >= 0 && !valid_kind(k)) || (name == NULL && name_len))
        return -EINVAL;
    uint32_t si = server_find(s, server);
    if (si == NONE)
        return 0;
    int removed = 0;
    for (int kk = 0; kk < PIN_KINDS; kk++) {
        if (k >= 0 && kk != k)
            continue;
        uint32_t ei = entry_find(s, si, (unsigned)kk, name, name_len);
        if (ei == NONE)
            continue;
        if (!s->entries[ei].transient)
            removed++;
        s->servers[si].count[kk]--;
        entry_cleanup(&s->entries[ei]);
        s->entries[ei] = s->entries[--s->n];
        int rc = table_rebuild(s, s->n);
        if (rc < 0)
            return rc;
    }
    if (removed)
        s->gen++;
    return removed;
}

static void fill_info(const struct pin_store *s, const struct pin_entry *e, struct pin_info *out)
{
    memset(out, 0, sizeof(*out));
    out->server = s->servers[e->server].id;
    out->name = e->name;
    out->name_len = e->name_len;
    out->kind = (enum pin_kind)e->kind;
    out->pending = memcmp(e->latest.hash, e->approved.hash, 32) != 0;
    out->by_operator = e->approved.by_operator;
    out->blocked = pins_blocked(s, out->server, out->kind, e->name, e->name_len);
    hex_encode(e->approved.hash, 32, out->approved);
    hex_encode(e->latest.hash, 32, out->latest);
    out->first_seen = e->first_seen;
    out->approved_at = e->approved.at;
    out->latest_since = e->latest.at;
    if (out->pending)
        diff_hint(e->approved.fields, e->approved.nfields, e->latest.fields, e->latest.nfields,
                  out->changed);
}

size_t pins_count(const struct pin_store *s)
{
    return s ? s->n : 0;
}

int pins_get(const struct pin_store *s, size_t i, struct pin_info *out)
{
    if (s == NULL || i >= s->n)
        return -ERANGE;
    if (s->entries[i].transient) {
        /* a refusal marker, not a pin: report it as such */
        memset(out, 0, sizeof(*out));
        out->server = s->servers[s->entries[i].server].id;
        out->name = s->entries[i].name;
        out->name_len = s->entries[i].name_len;
        out->kind = (enum pin_kind)s->entries[i].kind;
        out->blocked = true;
        return SE_ENOTFOUND;
    }
    fill_info(s, &s->entries[i], out);
    return 0;
}

int pins_info(const struct pin_store *s, const char *server, enum pin_kind k, const char *name,
              size_t name_len, struct pin_info *out)
{
    uint32_t ei = lookup(s, server, (int)k, name, name_len);
    if (ei == NONE)
        return SE_ENOTFOUND;
    fill_info(s, &s->entries[ei], out);
    return 0;
}

/* ---- skeletons and well-known names ---------------------------------------------- */

/* Tools of popular servers whose look-alikes are worth a report. */
static const char *const well_known[] = {
    "read_file",
    "write_file",
    "edit_file",
    "delete_file",
    "list_directory",
    "list_files",
    "move_file",
    "search_files",
    "read_multiple_files",
    "execute_command",
    "run_command",
    "run_shell_command",
    "shell",
    "bash",
    "exec",
    "run_code",
    "execute_sql",
    "query",
    "sql_query",
    "fetch",
    "http_request",
    "web_search",
    "search",
    "send_email",
    "send_message",
    "post_message",
    "create_issue",
    "git_commit",
    "git_push",
    "get_secret",
    "browser_navigate",
};
#define N_WELL_KNOWN (sizeof(well_known) / sizeof(well_known[0]))

/* Homoglyphs of ASCII letters (accented Latin, Greek, Cyrillic), by the letter they
 * imitate: each string is a letter followed by the characters that look like it. */
static const char *const homoglyphs[] = {
    "aÀÁÂÃÄÅàáâãäåΑαАа",
    "bΒВ",
    "cÇçСс",
    "dԁ",
    "eÈÉÊËèéêëΕЕе",
    "fſ",
    "hΗНһ",
    "jЈј",
    "kΚκК",
    "lÌÍÎÏìíîïıłΙιІі",
    "mΜМ",
    "nÑñΝ",
    "oÒÓÔÕÖØòóôõöøΟοОо",
    "pΡρРр",
    "qԛ",
    "sЅѕ",
    "tΤτТ",
    "uÙÚÛÜùúûüυ",
    "vν",
    "wԝ",
    "xΧχХх",
    "yÝýÿΥУу",
    "zΖ",
};

static bool dropped_cp(uint32_t cp)
{
    return cp == '-' || cp == '_' || cp == '.' || cp == ' ' || cp == 0x00A0 || cp == 0x00AD ||
           cp == 0x00B7 || cp == 0x034F || cp == 0x180E || (cp >= 0x0300 && cp <= 0x036F) ||
           (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2010 && cp <= 0x2015) ||
           (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0x2212 ||
           cp == 0x3000 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF || cp == 0xFF3F ||
           (cp >= 0xE0000 && cp <= 0xE007F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

static char fold_ascii(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        c += 32;
    switch (c) {
    case '0':
        return 'o';
    case '1':
    case 'i':
    case '|':
        return 'l';
    default:
        return (char)c;
    }
}

/* Decode one UTF-8 sequence (invalid bytes decode as themselves, flagged by *bad). */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *i, bool *bad)
{
    unsigned char c = s[*i];
    size_t k = c < 0x80             ? 1
               : (c & 0xE0) == 0xC0 ? 2
               : (c & 0xF0) == 0xE0 ? 3
               : (c & 0xF8) == 0xF0 ? 4
                                    : 0;
    *bad = false;
    if (k == 0 || k > n - *i) {
        (*i)++;
        *bad = true;
        return c;
    }
    uint32_t cp = k == 1 ? c : k == 2 ? c & 0x1Fu : k == 3 ? c & 0x0Fu : c & 0x07u;
    for (size_t j = 1; j < k; j++) {
        if ((s[*i + j] & 0xC0) != 0x80) {
            (*i)++;
            *bad = true;
            return c;
        }
        cp = cp << 6 | (s[*i + j] & 0x3Fu);
    }
    *i += k;
    return cp;
}

size_t pins_skeleton(const char *name, size_t len, char *out, size_t cap)
{
    const unsigned char *s = (const unsigned char *)name;
    size_t o = 0;
    if (cap == 0)
        return 0;
    for (size_t i = 0; i < len && o + 1 < cap;) {
        size_t at = i;
        bool bad;
        uint32_t cp = utf8_next(s, len, &i, &bad);
        if (bad) {
            out[o++] = '?';
            continue;
        }
        if (dropped_cp(cp))
            continue;
        if (cp >= 0xFF01 && cp <= 0xFF5E) /* fullwidth ASCII */
            cp -= 0xFEE0;
        if (cp < 0x80) {
            char c = fold_ascii(cp);
            /* rn -> m, vv -> w */
            if (o > 0 && ((c == 'n' && out[o - 1] == 'r') || (c == 'v' && out[o - 1] == 'v'))) {
                out[o - 1] = c == 'n' ? 'm' : 'w';
                continue;
            }
            out[o++] = c;
            continue;
        }
        char to = fold_confusable(cp);
        if (to)
            to = fold_ascii((uint32_t)(unsigned char)to); /* as the ASCII letter folds */
        for (size_t h = 0;
             cp >= 0xC0 && cp <= 0x51D && h < sizeof(homoglyphs) / sizeof(homoglyphs[0]) && !to;
             h++) {
            const unsigned char *g = (const unsigned char *)homoglyphs[h];
            size_t gl = strlen(homoglyphs[h]);
            for (size_t j = 1; j < gl;) {
                bool gbad;
                if (utf8_next(g, gl, &j, &gbad) == cp) {
                    to = homoglyphs[h][0];
                    break;
                }
            }
        }
        if (to) {
            if (o > 0 && ((to == 'n' && out[o - 1] == 'r') || (to == 'v' && out[o - 1] == 'v'))) {
                out[o - 1] = to == 'n' ? 'm' : 'w';
                continue;
            }
            out[o++] = to;
            continue;
        }
        size_t sl = i - at; /* keep other characters as they are */
        if (o + sl + 1 > cap)
            break;
        memcpy(out + o, name + at, sl);
        o += sl;
    }
    out[o] = '\0';
    return o;
}

/* Case folded, ASCII separators dropped, nothing else: "Read-File" -> "readfile". */
static size_t style_form(const char *name, size_t len, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < cap; i++) {
        char c = name[i];
        if (c == '-' || c == '_' || c == '.' || c == ' ')
            continue;
        out[o++] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
    out[o] = '\0';
    return o;
}

#define SKEL_MAX 256

/* Index of the well-known name whose skeleton is `skel`, or -1. */
static int well_known_of(const char *skel, char wk_skel[][SKEL_MAX])
{
    for (size_t w = 0; w < N_WELL_KNOWN; w++)
        if (strcmp(skel, wk_skel[w]) == 0)
            return (int)w;
    return -1;
}

/* ---- listings -------------------------------------------------------------------- */

void pins_report_init(struct pin_report *r)
{
    memset(r, 0, sizeof(*r));
}

void pins_report_cleanup(struct pin_report *r)
{
    for (size_t i = 0; i < r->count; i++) {
        free(r->items[i].name);
        free(r->items[i].other_server);
    }
    free(r->items);
    memset(r, 0, sizeof(*r));
}

static struct pin_item *report_add(struct pin_report *r)
{
    if (r->count == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 16;
        struct pin_item *p = realloc(r->items, ncap * sizeof(*p));
        if (p == NULL)
            return NULL;
        r->items = p;
        r->cap = ncap;
    }
    struct pin_item *it = &r->items[r->count++];
    memset(it, 0, sizeof(*it));
    it->index = UINT32_MAX;
    return it;
}

static void count_state(struct pin_report *r, enum pin_state st)
{
    switch (st) {
    case PIN_NEW:
        r->n_new++;
        break;
    case PIN_SAME:
        r->n_same++;
        break;
    case PIN_CHANGED:
        r->n_changed++;
        break;
    case PIN_REMOVED:
        r->n_removed++;
        break;
    case PIN_REFUSED:
        r->n_refused++;
        break;
    }
}

/* Per-page scratch: the skeleton of each item, for look-alike checks. */
struct skel_slot {
    uint64_t h;
    size_t item; /* index in the report + 1, 0 = empty */
};

int pins_scan_list(struct pin_store *s, const char *server, enum pin_kind k, struct json_doc *doc,
                   uint32_t result, unsigned page, struct pin_report *rep, struct diag *d)
{
    static const char *const arrays[PIN_LIST_KINDS] = {"tools", "prompts", "resourceTemplates"};
    if (s == NULL || server == NULL || (int)k < 0 || (int)k >= PIN_LIST_KINDS || doc == NULL ||
        rep == NULL ||
        result >= doc->count)
        return diag_set(d, -EINVAL, 0, 0, "invalid arguments");
    if (strlen(server) > PINS_MAX_ID)
        return diag_set(d, SE_ELIMIT, 0, 0, "server identity longer than %d bytes", PINS_MAX_ID);
    uint32_t si = server_get(s, server);
    if (si == NONE)
        return diag_set(d, SE_ELIMIT, 0, 0, "more than %d servers in the pin store",
                        PINS_MAX_SERVERS);
    struct json_doc priv;
    struct buf name;
    struct skel_slot *skels = NULL;
    char(*item_skel)[SKEL_MAX] = NULL;
    char(*wk_skel)[SKEL_MAX] = NULL;
    size_t first = rep->count;
    json_doc_init(&priv, CANON_MAX_DEPTH, JSON_DEFAULT_MAX_NODES);
    buf_init(&name, PINS_MAX_NAME);
    const struct json_node *rx = &doc->nodes[result];
    /* result (0), its array (1), the definitions (2) and their members (3) */
    int rc = json_parse(&priv, doc->text + rx->start, rx->end - rx->start, 3, d);
    if (rc < 0)
        goto out;
    uint32_t arr = json_get(&priv, 0, arrays[k], strlen(arrays[k]));
    if (arr == 0 || priv.nodes[arr].type != JSON_ARRAY) {
        rc = diag_set(d, SE_ESHAPE, 0, 0, "result has no \"%s\" array", arrays[k]);
        goto out;
    }
    uint32_t nel = priv.nodes[arr].nchild;
    if (nel > PINS_MAX_LIST || priv.truncated) {
        s->servers[si].overflow = true;
        rc = diag_set(d, SE_ELIMIT, 0, 0, "listing of %u %ss, more than %d", nel, kind_names[k],
                      PINS_MAX_LIST);
        goto out;
    }
    struct pin_server *sv = &s->servers[si];
    if (page & PINS_PAGE_FIRST)
        sv->gen[k]++;
    uint32_t gen = sv->gen[k];

    /* skeletons of the well-known names, and which other server has each */
    wk_skel = calloc(N_WELL_KNOWN, sizeof(*wk_skel));
    size_t nslots = 16;
    while (nslots < (size_t)nel * 2)
        nslots *= 2;
    skels = calloc(nslots, sizeof(*skels));
    item_skel = calloc(nel ? nel : 1, sizeof(*item_skel));
    if (wk_skel == NULL || skels == NULL || item_skel == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    for (size_t w = 0; w < N_WELL_KNOWN; w++)
        pins_skeleton(well_known[w], strlen(well_known[w]), wk_skel[w], SKEL_MAX);

    uint32_t idx = 0;
    for (uint32_t el = json_first(&priv, arr); el != 0; el = priv.nodes[el].next, idx++) {
        struct pin_item *it = report_add(rep);
        if (it == NULL) {
            rc = -ENOMEM;
            goto out;
        }
        it->index = idx;
        item_skel[idx][0] = '\0';
        uint32_t nn = priv.nodes[el].type == JSON_OBJECT ? json_getz(&priv, el, "name") : 0;
        const char *np = NULL;
        size_t nl = 0;
        if (nn == 0 || priv.nodes[nn].type != JSON_STRING ||
            json_str(&priv, nn, &name, &np, &nl) < 0 || nl > PINS_MAX_NAME) {
            it->flags |= PIN_ITEM_INVALID;
            it->state = PIN_REFUSED; /* a name too long is blocked by pins_blocked */
            continue;
        }
        it->name = malloc(nl + 1);
        if (it->name == NULL) {
            rc = -ENOMEM;
            goto out;
        }
        if (nl)
            memcpy(it->name, np, nl);
        it->name[nl] = '\0';
        it->name_len = nl;

        struct pin_digest dg;
        struct diag dd;
        uint32_t ei = entry_find(s, si, k, it->name, nl);
        bool dup = ei != NONE && s->entries[ei].mark == gen;
        /* what an earlier page of this listing showed under the name, if one did */
        uint8_t before[32];
        bool had = dup && s->entries[ei].has_seen;
        if (had)
            memcpy(before, s->entries[ei].seen, 32);
        if (pins_digest(&priv, el, &dg, &dd) < 0) {
            it->flags |= PIN_ITEM_INVALID;
            it->state = PIN_REFUSED;
            mark_refused(s, si, k, it->name, nl);
        } else {
            memcpy(it->hash, dg.hash, sizeof(it->hash));
            it->state = pins_check(s, server, k, it->name, nl, &dg);
            uint32_t e2 = entry_find(s, si, k, it->name, nl);
            if (it->state == PIN_CHANGED && e2 != NONE)
                diff_hint(s->entries[e2].approved.fields, s->entries[e2].approved.nfields, dg.field,
                          dg.nfields, it->changed);
        }
        sv = &s->servers[si]; /* pins_check may have grown the server table */
        if ((ei = entry_find(s, si, k, it->name, nl)) != NONE)
            s->entries[ei].mark = gen;
        if (dup) {
            /* one name, two definitions: which one a client keeps is its choice, so neither
             * may pass on the other's pin (the changed one first and the approved one after
             * would otherwise leave the name approved). Identical copies are only flagged. */
            bool differ = it->state == PIN_REFUSED, fresh = it->state == PIN_NEW;
            it->flags |= PIN_ITEM_DUPLICATE;
            for (size_t j = first; j + 1 < rep->count; j++)
                if (rep->items[j].name != NULL && rep->items[j].name_len == nl &&
                    memcmp(rep->items[j].name, it->name, nl) == 0) {
                    rep->items[j].flags |= PIN_ITEM_DUPLICATE;
                    differ = differ || rep->items[j].state == PIN_REFUSED ||
                             memcmp(rep->items[j].hash, it->hash, sizeof(it->hash)) != 0;
                    fresh = fresh || rep->items[j].state == PIN_NEW;
                }
            /* ... and on an earlier page: its definition and whether it was new there */
            uint32_t e3 = entry_find(s, si, k, it->name, nl);
            if (e3 != NONE) {
                differ = differ || (had && memcmp(before, s->entries[e3].seen, 32) != 0);
                fresh = fresh || s->entries[e3].born == gen;
            }
            if (differ) {
                /* on first sight neither is trusted: the first one was pinned as it came */
                if (fresh)
                    unapprove(s, si, k, it->name, nl);
                mark_refused(s, si, k, it->name, nl);
                for (size_t j = first; j < rep->count; j++)
                    if (rep->items[j].name != NULL && rep->items[j].name_len == nl &&
                        memcmp(rep->items[j].name, it->name, nl) == 0)
                        rep->items[j].state = PIN_REFUSED;
            }
        }

        /* look-alikes within the page */
        pins_skeleton(it->name, nl, item_skel[idx], SKEL_MAX);
        uint64_t sh = hash_fnv1a64(item_skel[idx], strlen(item_skel[idx]));
        size_t mask = nslots - 1;
        for (size_t sl = sh & mask;; sl = (sl + 1) & mask) {
            if (skels[sl].item == 0) {
                skels[sl].h = sh;
                skels[sl].item = rep->count; /* this item's index + 1 */
                break;
            }
            struct pin_item *o = &rep->items[skels[sl].item - 1];
            if (skels[sl].h == sh && strcmp(item_skel[o->index], item_skel[idx]) == 0 &&
                (o->name_len != nl || memcmp(o->name, it->name, nl) != 0)) {
                o->flags |= PIN_ITEM_LOOKALIKE;
                it->flags |= PIN_ITEM_LOOKALIKE;
                break;
            }
            if (skels[sl].h == sh && strcmp(item_skel[o->index], item_skel[idx]) == 0)
                break; /* the same name again: a duplicate, flagged above */
        }
    }

    /* well-known names: look-alike spellings, and shadowing of another server's tool */
    if (k == PIN_TOOL) {
        const char *other_of[N_WELL_KNOWN] = {0};
        bool need_other = false;
        for (size_t i = first; i < rep->count; i++) {
            struct pin_item *it = &rep->items[i];
            if (it->name == NULL || it->index == UINT32_MAX)
                continue;
            int w = well_known_of(item_skel[it->index], wk_skel);
            if (w < 0)
                continue;
            it->well_known = well_known[w];
            need_other = true;
            char a[SKEL_MAX], b[SKEL_MAX];
            style_form(it->name, it->name_len, a, sizeof(a));
            style_form(well_known[w], strlen(well_known[w]), b, sizeof(b));
            if (strcmp(a, b) != 0)
                it->flags |= PIN_ITEM_IMITATES;
        }
        if (need_other) {
            for (uint32_t e = 0; e < s->n; e++) {
                const struct pin_entry *pe = &s->entries[e];
                if (pe->kind != PIN_TOOL || pe->server == si || pe->transient)
                    continue;
                char sk[SKEL_MAX];
                pins_skeleton(pe->name, pe->name_len, sk, sizeof(sk));
                int w = well_known_of(sk, wk_skel);
                const char *id = s->servers[pe->server].id;
                if (w >= 0 && (other_of[w] == NULL || strcmp(id, other_of[w]) < 0))
                    other_of[w] = id;
            }
        }
        for (size_t i = first; i < rep->count; i++) {
            struct pin_item *it = &rep->items[i];
            if (it->well_known == NULL)
                continue;
            size_t w = 0;
            while (well_known[w] != it->well_known)
                w++;
            if (other_of[w] != NULL) {
                it->flags |= PIN_ITEM_SHADOWS;
                if ((it->other_server = strdup(other_of[w])) == NULL) {
                    rc = -ENOMEM;
                    goto out;
                }
            }
        }
    }

    if (page & PINS_PAGE_LAST) {
        for (uint32_t e = 0; e < s->n; e++) {
            struct pin_entry *pe = &s->entries[e];
            if (pe->server != si || pe->kind != k || pe->transient || pe->mark == gen)
                continue;
            pe->has_seen = false;
            pe->refused = false;
            struct pin_item *it = report_add(rep);
            if (it == NULL || (it->name = malloc(pe->name_len + 1)) == NULL) {
                rc = -ENOMEM;
                goto out;
            }
            memcpy(it->name, pe->name, pe->name_len + 1);
            it->name_len = pe->name_len;
            it->state = PIN_REMOVED;
            hex_encode(pe->approved.hash, 32, it->hash);
            /* a pinned name gone and a new one that reads the same ("get_weathеr" with a
             * Cyrillic е for "get_weather"): the definition was swapped under the model's
             * eyes, so the newcomer is blocked until approved, not trusted on first sight */
            char rs[SKEL_MAX];
            pins_skeleton(pe->name, pe->name_len, rs, sizeof(rs));
            for (size_t j = first; j + 1 < rep->count; j++) {
                struct pin_item *n = &rep->items[j];
                if (n->state != PIN_NEW || n->name == NULL || n->index == UINT32_MAX ||
                    strcmp(item_skel[n->index], rs) != 0)
                    continue;
                n->flags |= PIN_ITEM_LOOKALIKE;
                n->state = PIN_REFUSED;
                unapprove(s, si, k, n->name, n->name_len);
                mark_refused(s, si, k, n->name, n->name_len);
                rep->items[rep->count - 1].flags |= PIN_ITEM_LOOKALIKE;
            }
        }
        s->servers[si].overflow = false;
    }
    for (size_t i = first; i < rep->count; i++) {
        const struct pin_item *it = &rep->items[i];
        count_state(rep, it->state);
        rep->n_duplicate += (it->flags & PIN_ITEM_DUPLICATE) != 0;
        rep->n_lookalike += (it->flags & PIN_ITEM_LOOKALIKE) != 0;
        rep->n_shadows += (it->flags & PIN_ITEM_SHADOWS) != 0;
        rep->n_imitates += (it->flags & PIN_ITEM_IMITATES) != 0;
        rep->n_invalid += (it->flags & PIN_ITEM_INVALID) != 0;
    }
out:
    free(wk_skel);
    free(skels);
    free(item_skel);
    buf_cleanup(&name);
    json_doc_cleanup(&priv);
    return rc;
}

/* ---- serialisation --------------------------------------------------------------- */

uint64_t pins_generation(const struct pin_store *s)
{
    return s->gen;
}

bool pins_dirty(const struct pin_store *s)
{
    return s->gen != s->written_gen;
}

void pins_mark_written(struct pin_store *s, uint64_t gen)
{
    s->written_gen = gen;
}

static int order_cmp(const void *a, const void *b, void *arg)
{
    const struct pin_store *s = arg;
    const struct pin_entry *x = &s->entries[*(const uint32_t *)a];
    const struct pin_entry *y = &s->entries[*(const uint32_t *)b];
    int c = strcmp(s->servers[x->server].id, s->servers[y->server].id);
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

static int put_str(struct buf *b, const char *p, size_t n)
{
    int rc = buf_putc(b, '"');
    if (rc == 0)
        rc = buf_json_escape(b, p ? p : "", n);
    if (rc == 0)
        rc = buf_putc(b, '"');
    return rc;
}

static int put_fields(struct buf *b, const struct pin_rec *r)
{
    int rc = buf_append(b, ",\"fields\":{", 11);
    for (unsigned i = 0; rc == 0 && i < r->nfields; i++) {
        if (i > 0)
            rc = buf_putc(b, ',');
        if (rc == 0)
            rc = put_str(b, r->fields[i].name, strlen(r->fields[i].name));
        if (rc == 0)
            rc = buf_printf(b, ":\"%016" PRIx64 "\"", r->fields[i].h);
    }
    return rc ? rc : buf_putc(b, '}');
}

static int put_entry(struct buf *b, const struct pin_entry *e)
{
    char hex[CANON_SHA256_HEX];
    bool pending = memcmp(e->latest.hash, e->approved.hash, 32) != 0;
    int rc = buf_printf(b, "{\"first_seen\":%" PRId64 ",\"approved\":{\"hash\":", e->first_seen);
    hex_encode(e->approved.hash, 32, hex);
    if (rc == 0)
        rc = buf_printf(b, "\"%s\",\"at\":%" PRId64 ",\"by\":\"%s\"", hex, e->approved.at,
                        e->approved.by_operator ? "operator" : "first-use");
    if (rc == 0 && e->approved.nfields)
        rc = put_fields(b, &e->approved);
    if (rc == 0)
        rc = buf_append(b, "},\"latest\":{", 12);
    if (rc == 0 && pending) {
        hex_encode(e->latest.hash, 32, hex);
        rc = buf_printf(b, "\"hash\":\"%s\",", hex);
    }
    if (rc == 0)
        rc = buf_printf(b, "\"since\":%" PRId64, e->latest.at);
    if (rc == 0 && e->latest.nfields &&
        (pending || e->latest.nfields != e->approved.nfields ||
         memcmp(e->latest.fields, e->approved.fields,
                e->latest.nfields * sizeof(*e->latest.fields)) != 0))
        rc = put_fields(b, &e->latest);
    if (rc == 0)
        rc = buf_putc(b, '}');
    if (rc == 0 && pending) {
        char hint[PIN_HINT_MAX];
        diff_hint(e->approved.fields, e->approved.nfields, e->latest.fields, e->latest.nfields,
                  hint);
        rc = buf_append(b, ",\"changed\":[", 12);
        for (char *p = hint; rc == 0 && *p;) {
            char *comma = strchr(p, ',');
            size_t n = comma ? (size_t)(comma - p) : strlen(p);
            if (p != hint)
                rc = buf_putc(b, ',');
            if (rc == 0)
                rc = put_str(b, p, n);
            p += n + (comma ? 1 : 0);
        }
        if (rc == 0)
            rc = buf_putc(b, ']');
    }
    return rc ? rc : buf_putc(b, '}');
}

int pins_serialize(const struct pin_store *s, struct buf *out)
{
    uint32_t *order = malloc((s->n ? s->n : 1) * sizeof(*order));
    if (order == NULL)
        return -ENOMEM;
    uint32_t m = 0;
    for (uint32_t i = 0; i < s->n; i++)
        if (!s->entries[i].transient)
            order[m++] = i;
    qsort_r(order, m, sizeof(*order), order_cmp, (void *)s);
    int rc = buf_printf(out, "{\n  \"version\": %d,\n  \"servers\": {", STORE_VERSION);
    uint32_t prev_server = NONE;
    int prev_kind = -1;
    for (uint32_t i = 0; rc == 0 && i < m; i++) {
        const struct pin_entry *e = &s->entries[order[i]];
        if (e->server != prev_server) {
            if (prev_server != NONE)
                rc = buf_append(out, "\n      }\n    },", 15);
            if (rc == 0)
                rc = buf_append(out, "\n    ", 5);
            if (rc == 0)
                rc = put_str(out, s->servers[e->server].id, strlen(s->servers[e->server].id));
            if (rc == 0)
                rc = buf_append(out, ": {", 3);
            prev_server = e->server;
            prev_kind = -1;
        }
        if (rc == 0 && e->kind != prev_kind) {
            if (prev_kind >= 0)
                rc = buf_append(out, "\n      },", 9);
            if (rc == 0)
                rc = buf_printf(out, "\n      \"%s\": {", kind_names[e->kind]);
            prev_kind = e->kind;
        } else if (rc == 0) {
            rc = buf_putc(out, ',');
        }
        if (rc == 0)
            rc = buf_append(out, "\n        ", 9);
        if (rc == 0)
            rc = put_str(out, e->name, e->name_len);
        if (rc == 0)
            rc = buf_append(out, ": ", 2);
        if (rc == 0)
            rc = put_entry(out, e);
    }
    if (rc == 0 && prev_server != NONE)
        rc = buf_append(out, "\n      }\n    }", 14);
    if (rc == 0)
        rc = buf_append(out, "\n  }\n}\n", 7);
    free(order);
    return rc;
}

/* ---- loading and merging --------------------------------------------------------- */

static struct pin_store *store_new(void)
{
    struct pin_store *s = calloc(1, sizeof(*s));
    if (s != NULL)
        s->lock_fd = -1;
    return s;
}

void pins_free(struct pin_store *s)
{
    if (s == NULL)
        return;
    for (uint32_t i = 0; i < s->n; i++)
        entry_cleanup(&s->entries[i]);
    for (uint32_t i = 0; i < s->nservers; i++)
        free(s->servers[i].id);
    if (s->lock_fd >= 0)
        close(s->lock_fd); /* releases the flock */
    free(s->entries);
    free(s->servers);
    free(s->slots);
    free(s->path);
    free(s);
}

struct loader {
    struct json_doc doc;
    struct buf key, val;
    char *err;
    size_t errlen;
    char where[160];
};

/* A member's unescaped name into l->key (NUL-terminated). */
static int member_name(struct loader *l, uint32_t node, const char **p, size_t *n)
{
    const struct json_node *x = &l->doc.nodes[node];
    buf_reset(&l->key);
    int rc = (x->flags & JSON_F_KEY_ESCAPED)
                 ? json_unescape(l->doc.text + x->key_start, x->key_len, &l->key)
                 : buf_append(&l->key, l->doc.text + x->key_start, x->key_len);
    if (rc == 0)
        rc = buf_putc(&l->key, '\0');
    if (rc < 0)
        return rc;
    l->key.len--;
    *p = l->key.data;
    *n = l->key.len;
    return 0;
}

/* Printable rendition of hostile bytes for error messages. */
static void printable(const char *p, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (o + 8 >= cap) {
            memcpy(out + o, "...", 4);
            return;
        }
        if (c >= 0x20 && c < 0x7f)
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
    }
    out[o] = '\0';
}

static int bad(struct loader *l, const char *what)
{
    seterr(l->err, l->errlen, "corrupt pin store: %s%s", l->where, what);
    return SE_EPARSE;
}

static int get_time(struct loader *l, uint32_t obj, const char *key, bool required, int64_t *out)
{
    uint32_t n = json_get(&l->doc, obj, key, strlen(key));
    if (n == 0) {
        *out = 0;
        return required ? bad(l, "a time is missing") : 0;
    }
    if (l->doc.nodes[n].type != JSON_NUMBER || json_int(&l->doc, n, out) < 0 || *out < 0)
        return bad(l, "a time is not a non-negative integer");
    return 0;
}

static int get_hash(struct loader *l, uint32_t obj, bool required, uint8_t h[32], bool *found)
{
    uint32_t n = json_getz(&l->doc, obj, "hash");
    *found = n != 0;
    if (n == 0)
        return required ? bad(l, "\"hash\" is missing") : 0;
    const char *p;
    size_t len;
    if (l->doc.nodes[n].type != JSON_STRING || json_str(&l->doc, n, &l->val, &p, &len) < 0 ||
        hex_decode(p, len, h, 32) < 0)
        return bad(l, "\"hash\" is not 64 lowercase hex digits");
    return 0;
}

static int get_fields(struct loader *l, uint32_t obj, struct pin_rec *r)
{
    uint32_t f = json_getz(&l->doc, obj, "fields");
    if (f == 0)
        return 0;
    if (l->doc.nodes[f].type != JSON_OBJECT || l->doc.nodes[f].nchild > PIN_MAX_FIELDS)
        return bad(l, "\"fields\" is not an object of at most 32 members");
    struct pin_field tmp[PIN_MAX_FIELDS];
    unsigned n = 0;
    for (uint32_t c = json_first(&l->doc, f); c != 0; c = l->doc.nodes[c].next) {
        const char *kp, *vp;
        size_t kn, vn;
        uint8_t hb[8];
        int rc = member_name(l, c, &kp, &kn);
        if (rc < 0)
            return rc;
        if (!(field_name_ok(kp, kn) || strcmp(kp, OTHER_FIELD) == 0))
            return bad(l, "a field name is not valid");
        memcpy(tmp[n].name, kp, kn + 1);
        if (l->doc.nodes[c].type != JSON_STRING || json_str(&l->doc, c, &l->val, &vp, &vn) < 0 ||
            hex_decode(vp, vn, hb, 8) < 0)
            return bad(l, "a field digest is not 16 lowercase hex digits");
        tmp[n].h = 0;
        for (int i = 0; i < 8; i++)
            tmp[n].h = tmp[n].h << 8 | hb[i];
        n++;
    }
    qsort(tmp, n, sizeof(tmp[0]), field_cmp);
    return rec_set_fields(r, tmp, n);
}

static bool only_keys(struct loader *l, uint32_t obj, const char *const *allowed)
{
    for (uint32_t c = json_first(&l->doc, obj); c != 0; c = l->doc.nodes[c].next) {
        const char *kp;
        size_t kn;
        if (member_name(l, c, &kp, &kn) < 0)
            return false;
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strlen(*a) == kn && memcmp(*a, kp, kn) == 0;
        if (!ok)
            return false;
    }
    return true;
}

static int load_entry(struct loader *l, struct pin_store *t, uint32_t si, unsigned kind,
                      uint32_t node)
{
    static const char *const entry_keys[] = {"first_seen", "approved", "latest", "changed", NULL};
    static const char *const approved_keys[] = {"hash", "at", "by", "fields", NULL};
    static const char *const latest_keys[] = {"hash", "since", "fields", NULL};
    const char *np;
    size_t nl;
    int rc = member_name(l, node, &np, &nl);
    if (rc < 0)
        return rc;
    if (nl > PINS_MAX_NAME)
        return bad(l, "a name is too long");
    if (entry_find(t, si, kind, np, nl) != NONE)
        return bad(l, "a name occurs twice");
    if (t->n >= PINS_MAX_ENTRIES || t->servers[si].count[kind] >= PINS_MAX_LIST) {
        seterr(l->err, l->errlen, "pin store over its limits (%d pins, %d per server)",
               PINS_MAX_ENTRIES, PINS_MAX_LIST);
        return SE_ELIMIT;
    }
    char shown[64];
    printable(np, nl, shown, sizeof(shown));
    size_t wl = strlen(l->where);
    snprintf(l->where + wl, sizeof(l->where) - wl, "%s: ", shown);
    uint32_t ei = entry_add(t, si, kind, np, nl);
    if (ei == NONE)
        return -ENOMEM;
    struct pin_entry *e = &t->entries[ei];
    e->transient = false;
    struct json_doc *doc = &l->doc;
    uint32_t ap = json_getz(doc, node, "approved"), la = json_getz(doc, node, "latest");
    uint32_t ch = json_getz(doc, node, "changed");
    if (doc->nodes[node].type != JSON_OBJECT || !only_keys(l, node, entry_keys))
        return bad(l, "not an object of first_seen, approved, latest, changed");
    if (ap == 0 || doc->nodes[ap].type != JSON_OBJECT || !only_keys(l, ap, approved_keys))
        return bad(l, "\"approved\" is not an object of hash, at, by, fields");
    if (la == 0 || doc->nodes[la].type != JSON_OBJECT || !only_keys(l, la, latest_keys))
        return bad(l, "\"latest\" is not an object of hash, since, fields");
    if (ch != 0 && doc->nodes[ch].type != JSON_ARRAY)
        return bad(l, "\"changed\" is not an array");
    bool found;
    if ((rc = get_time(l, node, "first_seen", true, &e->first_seen)) < 0 ||
        (rc = get_hash(l, ap, true, e->approved.hash, &found)) < 0 ||
        (rc = get_time(l, ap, "at", true, &e->approved.at)) < 0 ||
        (rc = get_fields(l, ap, &e->approved)) < 0)
        return rc;
    uint32_t by = json_getz(doc, ap, "by");
    if (by != 0 && json_str_eqz(doc, by, "operator"))
        e->approved.by_operator = true;
    else if (by != 0 && !json_str_eqz(doc, by, "first-use"))
        return bad(l, "\"by\" is neither \"operator\" nor \"first-use\"");
    if ((rc = get_hash(l, la, false, e->latest.hash, &found)) < 0 ||
        (rc = get_time(l, la, "since", true, &e->latest.at)) < 0)
        return rc;
    if (!found)
        memcpy(e->latest.hash, e->approved.hash, 32);
    if (json_getz(doc, la, "fields") != 0)
        rc = get_fields(l, la, &e->latest);
    else if (memcmp(e->latest.hash, e->approved.hash, 32) == 0)
        rc = rec_set_fields(&e->latest, e->approved.fields, e->approved.nfields);
    if (rc < 0)
        return rc;
    l->where[wl] = '\0';
    return 0;
}

/* Parse and validate store text into the empty store t. */
static int load_text(struct pin_store *t, const char *text, size_t len, char *err, size_t errlen)
{
    static const char *const top_keys[] = {"version", "servers", NULL};
    struct loader l;
    struct diag d = {0};
    memset(&l, 0, sizeof(l));
    l.err = err;
    l.errlen = errlen;
    json_doc_init(&l.doc, STORE_MAX_DEPTH, STORE_MAX_NODES);
    buf_init(&l.key, PINS_MAX_NAME + PINS_MAX_ID + 16);
    buf_init(&l.val, 4096);
    int rc = json_parse(&l.doc, text, len, STORE_MAX_DEPTH, &d);
    if (rc < 0) {
        seterr(err, errlen, "corrupt pin store: byte %zu: %s", l.doc.err_off, d.msg);
        goto out;
    }
    if (l.doc.truncated) {
        seterr(err, errlen, "pin store too large");
        rc = SE_ELIMIT;
        goto out;
    }
    struct json_doc *doc = &l.doc;
    int64_t version;
    uint32_t v = json_getz(doc, 0, "version"), sv = json_getz(doc, 0, "servers");
    if (doc->nodes[0].type != JSON_OBJECT || !only_keys(&l, 0, top_keys)) {
        rc = bad(&l, "not an object of version and servers");
        goto out;
    }
    if (v == 0 || json_int(doc, v, &version) < 0 || version != STORE_VERSION) {
        seterr(err, errlen, "pin store: unsupported version (this sentinel reads version %d)",
               STORE_VERSION);
        rc = SE_EPARSE;
        goto out;
    }
    if (sv == 0 || doc->nodes[sv].type != JSON_OBJECT) {
        rc = bad(&l, "\"servers\" is not an object");
        goto out;
    }
    for (uint32_t srv = json_first(doc, sv); srv != 0; srv = doc->nodes[srv].next) {
        const char *id;
        size_t idl;
        if ((rc = member_name(&l, srv, &id, &idl)) < 0)
            goto out;
        char shown[64];
        printable(id, idl, shown, sizeof(shown));
        snprintf(l.where, sizeof(l.where), "%s: ", shown);
        if (idl > PINS_MAX_ID || memchr(id, '\0', idl) != NULL) {
            rc = bad(&l, "a server identity is too long or holds a NUL");
            goto out;
        }
        if (server_find(t, id) != NONE) {
            rc = bad(&l, "a server occurs twice");
            goto out;
        }
        uint32_t si = server_get(t, id);
        if (si == NONE) {
            seterr(err, errlen, "pin store has more than %d servers", PINS_MAX_SERVERS);
            rc = SE_ELIMIT;
            goto out;
        }
        if (doc->nodes[srv].type != JSON_OBJECT) {
            rc = bad(&l, "not an object");
            goto out;
        }
        for (uint32_t kn = json_first(doc, srv); kn != 0; kn = doc->nodes[kn].next) {
            const char *kp;
            size_t kl;
            if ((rc = member_name(&l, kn, &kp, &kl)) < 0)
                goto out;
            int kind = -1;
            for (int k = 0; k < PIN_KINDS; k++)
                if (strlen(kind_names[k]) == kl && memcmp(kind_names[k], kp, kl) == 0)
                    kind = k;
            if (kind < 0 || doc->nodes[kn].type != JSON_OBJECT) {
                rc = bad(&l, "expected \"tool\", \"prompt\" or \"template\" objects");
                goto out;
            }
            size_t wl = strlen(l.where);
            snprintf(l.where + wl, sizeof(l.where) - wl, "%s ", kind_names[kind]);
            for (uint32_t en = json_first(doc, kn); en != 0; en = doc->nodes[en].next)
                if ((rc = load_entry(&l, t, si, (unsigned)kind, en)) < 0)
                    goto out;
            l.where[wl] = '\0';
        }
    }
out:
    buf_cleanup(&l.key);
    buf_cleanup(&l.val);
    json_doc_cleanup(&l.doc);
    return rc;
}

/* >0 when approval a should replace b: operator beats first use, newest operator, oldest
 * first use, then the smaller hash, then the one with field digests. */
static int approved_better(const struct pin_rec *a, const struct pin_rec *b)
{
    if (a->by_operator != b->by_operator)
        return a->by_operator ? 1 : -1;
    if (a->at != b->at)
        return (a->at > b->at) == a->by_operator ? 1 : -1;
    int c = memcmp(a->hash, b->hash, 32);
    if (c != 0)
        return c < 0 ? 1 : -1;
    return a->nfields > b->nfields ? 1 : a->nfields < b->nfields ? -1 : 0;
}

/* >0 when latest definition a should replace b: the most recent change wins. Times are
 * seconds: two sessions may see different definitions in the same second, and then the one
 * that differs from the approved definition wins (a pending change is never lost to a
 * listing of the approved one; the operator decides). */
static int latest_better(const struct pin_rec *a, const struct pin_rec *b,
                         const struct pin_rec *approved)
{
    if (a->at != b->at)
        return a->at > b->at ? 1 : -1;
    bool ap = memcmp(a->hash, approved->hash, 32) != 0;
    bool bp = memcmp(b->hash, approved->hash, 32) != 0;
    if (ap != bp)
        return ap ? 1 : -1;
    int c = memcmp(a->hash, b->hash, 32);
    if (c != 0)
        return c < 0 ? 1 : -1;
    return a->nfields > b->nfields ? 1 : a->nfields < b->nfields ? -1 : 0;
}

/* Merge every pin of src into dst (a join: commutative, associative, idempotent). */
static int merge_store(struct pin_store *dst, const struct pin_store *src)
{
    for (uint32_t i = 0; i < src->n; i++) {
        const struct pin_entry *f = &src->entries[i];
        if (f->transient)
            continue;
        uint32_t si = server_get(dst, src->servers[f->server].id);
        if (si == NONE)
            return SE_ELIMIT;
        uint32_t ei = entry_find(dst, si, f->kind, f->name, f->name_len);
        if (ei == NONE) {
            if (dst->n >= PINS_MAX_ENTRIES || dst->servers[si].count[f->kind] >= PINS_MAX_LIST)
                return SE_ELIMIT;
            if ((ei = entry_add(dst, si, f->kind, f->name, f->name_len)) == NONE)
                return -ENOMEM;
        }
        struct pin_entry *e = &dst->entries[ei];
        int rc = 0;
        if (e->transient) {
            if ((rc = rec_copy(&e->approved, &f->approved)) < 0 ||
                (rc = rec_copy(&e->latest, &f->latest)) < 0)
                return rc;
            e->first_seen = f->first_seen;
            e->transient = false;
            continue;
        }
        if (approved_better(&f->approved, &e->approved) > 0 &&
            (rc = rec_copy(&e->approved, &f->approved)) < 0)
            return rc;
        if (latest_better(&f->latest, &e->latest, &e->approved) > 0 &&
            (rc = rec_copy(&e->latest, &f->latest)) < 0)
            return rc;
        if (f->first_seen < e->first_seen)
            e->first_seen = f->first_seen;
    }
    return 0;
}

int pins_absorb(struct pin_store *s, const char *text, size_t len, char *err, size_t errlen)
{
    struct pin_store *t = store_new();
    if (t == NULL)
        return -ENOMEM;
    int rc = load_text(t, text, len, err, errlen);
    if (rc == 0 && (rc = merge_store(s, t)) < 0)
        seterr(err, errlen, "merging the pin store: %s", err_str(rc));
    pins_free(t);
    return rc;
}

int pins_merge_text(const char *a, size_t alen, const char *b, size_t blen, struct buf *out,
                    char *err, size_t errlen)
{
    struct pin_store *ta = store_new(), *tb = store_new();
    int rc = ta && tb ? 0 : -ENOMEM;
    if (rc == 0)
        rc = load_text(ta, a, alen, err, errlen);
    if (rc == 0)
        rc = load_text(tb, b, blen, err, errlen);
    if (rc == 0 && (rc = merge_store(ta, tb)) < 0)
        seterr(err, errlen, "merging the pin store: %s", err_str(rc));
    if (rc == 0)
        rc = pins_serialize(ta, out);
    pins_free(ta);
    pins_free(tb);
    return rc;
}

/* ---- files ----------------------------------------------------------------------- */

/* Read the store file into out: 0, -ENOENT, or an error with a message. */
static int read_file(const char *path, struct buf *out, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK); /* a FIFO must not block */
    if (fd < 0) {
        int e = errno;
        if (e != ENOENT)
            seterr(err, errlen, "%s: %s", path, strerror(e));
        else
            seterr(err, errlen, "%s: no such pin store", path);
        return -e;
    }
    struct stat st;
    int rc = 0;
    if (fstat(fd, &st) < 0) {
        rc = -errno;
        seterr(err, errlen, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = -EINVAL;
        seterr(err, errlen, "%s: not a regular file", path);
        goto out;
    }
    if (st.st_mode & (S_IWGRP | S_IWOTH)) {
        rc = -EPERM;
        seterr(err, errlen, "%s: writable by group or others; refusing it (chmod 600)", path);
        goto out;
    }
    if ((uint64_t)st.st_size > PINS_MAX_FILE) {
        rc = SE_ETOOBIG;
        seterr(err, errlen, "%s: larger than %u bytes", path, PINS_MAX_FILE);
        goto out;
    }
    for (;;) {
        if ((rc = buf_reserve(out, 65536)) < 0) {
            if (rc == -ENOBUFS)
                rc = SE_ETOOBIG;
            seterr(err, errlen, "%s: too large", path);
            goto out;
        }
        ssize_t n = read(fd, out->data + out->len, 65536);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = -errno;
            seterr(err, errlen, "%s: %s", path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
        if (out->len > PINS_MAX_FILE) {
            rc = SE_ETOOBIG;
            seterr(err, errlen, "%s: larger than %u bytes", path, PINS_MAX_FILE);
            goto out;
        }
    }
out:
    close(fd);
    return rc;
}

/* Open and flock "<path>.lock"; the descriptor, or a negative errno. */
static int lock_store(const char *path, int op, char *err, size_t errlen)
{
    char lp[4096];
    if ((size_t)snprintf(lp, sizeof(lp), "%s.lock", path) >= sizeof(lp)) {
        seterr(err, errlen, "%s: path too long", path);
        return -ENAMETOOLONG;
    }
    int fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
    if (fd < 0) {
        int e = errno;
        seterr(err, errlen, "%s: %s", lp, strerror(e));
        return -e;
    }
    while (flock(fd, op) < 0) {
        if (errno == EINTR)
            continue;
        int e = errno;
        seterr(err, errlen, "%s: flock: %s", lp, strerror(e));
        close(fd);
        return -e;
    }
    return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -errno;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int pins_write_file(const char *path, const char *data, size_t len, char *err, size_t errlen)
{
    static unsigned counter;
    char tmp[4096], dir[4096];
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        memcpy(dir, ".", 2);
    } else if ((size_t)(slash - path) < sizeof(dir)) {
        size_t dl = slash == path ? 1 : (size_t)(slash - path);
        memcpy(dir, path, dl);
        dir[dl] = '\0';
    } else {
        seterr(err, errlen, "%s: path too long", path);
        return -ENAMETOOLONG;
    }
    unsigned c = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%ld.%u", path, (long)getpid(), c) >=
        sizeof(tmp)) {
        seterr(err, errlen, "%s: path too long", path);
        return -ENAMETOOLONG;
    }
    int rc = 0;
    const char *step = "create";
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
    if (fd < 0) {
        rc = -errno;
        seterr(err, errlen, "%s: %s", tmp, strerror(errno));
        return rc;
    }
    if (fchmod(fd, 0600) < 0) {
        step = "chmod";
        rc = -errno;
    } else if ((rc = write_all(fd, data, len)) < 0) {
        step = "write";
    } else if (fsync(fd) < 0) {
        step = "fsync";
        rc = -errno;
    }
    if (close(fd) < 0 && rc == 0) {
        step = "close";
        rc = -errno;
    }
    if (rc == 0 && rename(tmp, path) < 0) {
        step = "rename";
        rc = -errno;
    }
    if (rc < 0) {
        seterr(err, errlen, "%s: %s: %s", tmp, step, strerror(-rc));
        unlink(tmp);
        return rc;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || fsync(dfd) < 0) {
        rc = -errno;
        seterr(err, errlen, "%s: fsync of the directory: %s", dir, strerror(errno));
    }
    if (dfd >= 0)
        close(dfd);
    return rc;
}

int pins_sync_file(const char *path, const char *mine, size_t mine_len, struct buf *merged,
                   char *err, size_t errlen)
{
    struct buf disk;
    struct pin_store *d = NULL, *m = NULL;
    buf_init(&disk, PINS_MAX_FILE + 65536);
    int lfd = lock_store(path, LOCK_EX, err, errlen);
    if (lfd < 0)
        return lfd;
    int rc = read_file(path, &disk, err, errlen);
    bool absent = rc == -ENOENT;
    if (absent)
        rc = 0;
    if (rc < 0)
        goto out;
    d = store_new();
    m = store_new();
    if (d == NULL || m == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    if (!absent && (rc = load_text(d, disk.data ? disk.data : "", disk.len, err, errlen)) < 0)
        goto out;
    if (mine != NULL) {
        if ((rc = load_text(m, mine, mine_len, err, errlen)) < 0)
            goto out;
        if ((rc = merge_store(d, m)) < 0) {
            seterr(err, errlen, "merging the pin store: %s", err_str(rc));
            goto out;
        }
    }
    size_t start = merged->len;
    if ((rc = pins_serialize(d, merged)) < 0) {
        seterr(err, errlen, "serialising the pin store: %s", err_str(rc));
        goto out;
    }
    size_t n = merged->len - start;
    if (absent || n != disk.len || memcmp(merged->data + start, disk.data, n) != 0)
        rc = pins_write_file(path, merged->data + start, n, err, errlen);
out:
    pins_free(d);
    pins_free(m);
    buf_cleanup(&disk);
    close(lfd);
    return rc;
}

int pins_open(struct pin_store **out, const char *path, unsigned flags, char *err, size_t errlen)
{
    *out = NULL;
    struct pin_store *s = store_new();
    struct buf text;
    buf_init(&text, PINS_MAX_FILE + 65536);
    if (s == NULL)
        return -ENOMEM;
    int rc = 0;
    if (path == NULL)
        goto out;
    if ((s->path = strdup(path)) == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    bool excl = (flags & (PINS_O_LOCK | PINS_O_CREATE)) != 0;
    int lfd = lock_store(path, excl ? LOCK_EX : LOCK_SH, err, errlen);
    if (lfd < 0 && !excl && (lfd == -EACCES || lfd == -EROFS || lfd == -EPERM))
        lfd = -1; /* a read-only place: read without the lock */
    else if (lfd < 0) {
        rc = lfd;
        goto out;
    }
    s->lock_fd = lfd;
    rc = read_file(path, &text, err, errlen);
    if (rc == -ENOENT && (flags & PINS_O_CREATE)) {
        rc = pins_serialize(s, &text);
        if (rc == 0)
            rc = pins_write_file(path, text.data, text.len, err, errlen);
    } else if (rc == 0) {
        rc = load_text(s, text.data ? text.data : "", text.len, err, errlen);
    }
    if (!(flags & PINS_O_LOCK) && s->lock_fd >= 0) {
        close(s->lock_fd);
        s->lock_fd = -1;
    }
out:
    buf_cleanup(&text);
    if (rc < 0) {
        pins_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int pins_save(struct pin_store *s, char *err, size_t errlen)
{
    if (s->path == NULL) {
        seterr(err, errlen, "the pin store has no file");
        return -EINVAL;
    }
    uint64_t gen = s->gen;
    struct buf text, merged;
    buf_init(&text, PINS_MAX_FILE);
    buf_init(&merged, PINS_MAX_FILE);
    int rc = pins_serialize(s, &text);
    if (rc < 0) {
        seterr(err, errlen, "serialising the pin store: %s", err_str(rc));
        goto out;
    }
    if (s->lock_fd >= 0) {
        rc = pins_write_file(s->path, text.data, text.len, err, errlen);
    } else {
        rc = pins_sync_file(s->path, text.data, text.len, &merged, err, errlen);
        if (rc == 0)
            rc = pins_absorb(s, merged.data, merged.len, err, errlen);
    }
    if (rc == 0)
        pins_mark_written(s, gen);
out:
    buf_cleanup(&text);
    buf_cleanup(&merged);
    return rc;
}
