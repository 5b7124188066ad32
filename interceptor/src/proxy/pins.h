/*
 * pins.h - tool surface pinning: the rug-pull defence.
 *
 * Every tool, prompt and resource-template definition a server lists is canonicalised
 * (mcp/canon.h) and hashed. The first hash seen for (server identity, kind, name) is
 * recorded as approved (trust on first use); a later, different definition is recorded as
 * pending and calls to that name are refused until an operator approves it
 * (`sentinel pins approve`). A definition that disappears stays pinned, so removing a tool
 * and adding it back changed is still a change.
 *
 * What is hashed: the whole definition object as the server sent it - name, title,
 * description, inputSchema, outputSchema, annotations, execution, icons, arguments,
 * uriTemplate, mimeType and `_meta` too. Nothing is excluded: no member of Tool, Prompt or
 * ResourceTemplate is volatile by specification, and `_meta` carries data clients act on
 * (UI resource URIs, vendor hints). A server that puts changing data there shows up as
 * "changed: _meta" and can be approved. Hash what the server sent, before any rewriting.
 *
 * The store file is shared by every session and the CLI. Writes are read-merge-write under
 * an exclusive flock on "<path>.lock", atomic (temporary file, fsync, rename, directory
 * fsync), mode 0600. Merging is a join, so concurrent writers never lose each other's
 * facts: an operator's approval beats a first-use one, the newest operator approval wins,
 * the oldest first-use one wins, and the most recently changed "latest definition" wins.
 *
 * Threads: a struct pin_store belongs to one thread. pins_write_file, pins_sync_file and
 * pins_merge_text touch no store and may run on a worker thread.
 */
#ifndef SENTINEL_PROXY_PINS_H
#define SENTINEL_PROXY_PINS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "mcp/canon.h"
#include "mcp/json.h"

/*
 * PIN_INSTRUCTIONS: the `instructions` of the server's initialize answer (they go into the
 * client's system prompt), one pin per server named PIN_INSTRUCTIONS_NAME; no instructions
 * are pinned as the JSON `null`, so instructions that appear later are a change too.
 */
enum pin_kind { PIN_TOOL, PIN_PROMPT, PIN_TEMPLATE, PIN_INSTRUCTIONS };
#define PIN_KINDS 4
#define PIN_LIST_KINDS 3 /* the kinds a listing holds (tools, prompts, templates) */
#define PIN_INSTRUCTIONS_NAME "instructions"

enum pin_state {
    PIN_NEW,     /* first sight: recorded as approved (trust on first use) */
    PIN_SAME,    /* equals the approved definition */
    PIN_CHANGED, /* differs from the approved hash: blocked until approved */
    PIN_REMOVED, /* pinned, absent from a complete listing (list reports only) */
    PIN_REFUSED, /* could not be pinned (limit, malformed definition): blocked */
};

#define PINS_MAX_ID 1024           /* bytes of a server identity */
#define PINS_MAX_NAME 1024         /* bytes of a definition name */
#define PINS_MAX_LIST 10000        /* definitions of one kind per server */
#define PINS_MAX_ENTRIES 200000    /* pins in one store */
#define PINS_MAX_SERVERS 4096      /* server identities in one store */
#define PINS_MAX_DEF (4u << 20)    /* canonical bytes of one definition */
#define PINS_MAX_FILE (256u << 20) /* bytes of the store file */
#define PIN_MAX_FIELDS 32          /* top-level members told apart in diff hints */
#define PIN_FIELD_NAME_MAX 31      /* longer member names count as "(other)" */
#define PIN_HINT_MAX 192           /* "description,inputSchema" and a NUL */

/* Digest of one top-level member of a definition (for diff hints only: 64 bits). */
struct pin_field {
    char name[PIN_FIELD_NAME_MAX + 1]; /* printable ASCII; "(other)" for the rest */
    uint64_t h;
};

/* A definition's hash and the digests of its top-level members, sorted by name. */
struct pin_digest {
    char hash[CANON_SHA256_HEX]; /* SHA-256 hex of the canonical definition */
    unsigned nfields;            /* 0 when the definition is not an object */
    struct pin_field field[PIN_MAX_FIELDS];
};

/*
 * Digest of definition `def` (any node of `doc`; the doc may be indexed shallowly: the
 * node's span is parsed again in full). Errors as canon_node; -ENOBUFS past PINS_MAX_DEF.
 */
int pins_digest(struct json_doc *doc, uint32_t def, struct pin_digest *out, struct diag *d);

struct pin_store;

#define PINS_O_CREATE 0x1 /* create an empty store file (0600) when there is none */
#define PINS_O_LOCK 0x2   /* hold the exclusive lock until pins_free (read-modify-write) */

/*
 * Load the store at `path` (NULL: an empty store in memory only). A missing file is an
 * error (-ENOENT) unless PINS_O_CREATE. A file that does not parse or validate is refused
 * (an SE_* code, never reset); a file group- or world-writable is refused (-EPERM).
 * I/O errors are negative errno. The message goes to err.
 */
int pins_open(struct pin_store **out, const char *path, unsigned flags, char *err, size_t errlen);
void pins_free(struct pin_store *s); /* NULL is a no-op; releases the lock */

/* Fix the clock at `unix_seconds` (0: the real clock again). For tests and replays. */
void pins_set_time(struct pin_store *s, int64_t unix_seconds);

/*
 * Check one definition of `server` (a NUL-terminated identity chosen by the caller).
 * NEW ones are recorded approved, a CHANGED one is recorded as the pending definition.
 * Remembers, for this process, which definition the server presents (pins_blocked).
 * PIN_REFUSED when a limit is hit or the arguments are malformed (the name then counts as
 * blocked). `dg` from pins_digest; a digest with nfields = 0 gives no diff hint.
 */
enum pin_state pins_check(struct pin_store *s, const char *server, enum pin_kind k,
                          const char *name, size_t name_len, const struct pin_digest *dg);

/*
 * True when a call to `name` must be refused: the definition this process last saw from
 * the server is not the approved one (or, never seen here, the store holds a pending one),
 * it could not be pinned, or the server's listing overflowed the limits. A name the store
 * does not know is not blocked (whether unlisted tools may be called is policy's call).
 */
bool pins_blocked(const struct pin_store *s, const char *server, enum pin_kind k, const char *name,
                  size_t name_len);

/*
 * Approve the pending definition (hash NULL), or the definition whose hash is `hash`: 64
 * hex digits (any definition, e.g. one a session logged), or a prefix of at least 8 of the
 * pending one. With nothing pending, a definition trusted on first use is confirmed as the
 * operator's (what a poisoned-looking one needs). 0; SE_ENOTFOUND (no such pin); -EALREADY
 * (nothing pending and approved by an operator already / already the approved one);
 * -ESTALE (the prefix is not the pending definition's); -EINVAL.
 */
int pins_approve(struct pin_store *s, const char *server, enum pin_kind k, const char *name,
                 size_t name_len, const char *hash);

/* Forget a pin (k < 0: of every kind): its next sight is a first sight. Returns the count. */
int pins_forget(struct pin_store *s, const char *server, int k, const char *name, size_t name_len);

/* What the store holds for one pin. Pointers are borrowed until the store next changes. */
struct pin_info {
    const char *server;
    const char *name;
    size_t name_len;
    enum pin_kind kind;
    bool pending;     /* the latest definition seen is not the approved one */
    bool by_operator; /* approved by an operator (else on first use) */
    bool blocked;     /* pins_blocked() */
    char approved[CANON_SHA256_HEX];
    char latest[CANON_SHA256_HEX];
    int64_t first_seen, approved_at, latest_since; /* unix seconds */
    char changed[PIN_HINT_MAX]; /* top-level members that differ, comma-separated; "" */
};
size_t pins_count(const struct pin_store *s);
/* The i-th pin (0 .. pins_count-1, in no particular order). -ERANGE past the end. */
int pins_get(const struct pin_store *s, size_t i, struct pin_info *out);
int pins_info(const struct pin_store *s, const char *server, enum pin_kind k, const char *name,
              size_t name_len, struct pin_info *out); /* SE_ENOTFOUND */

/* ---- listings ---------------------------------------------------------------------- */

#define PIN_ITEM_DUPLICATE 0x01 /* the same name occurs more than once in the listing */
#define PIN_ITEM_LOOKALIKE 0x02 /* another name of this page has the same skeleton */
#define PIN_ITEM_SHADOWS 0x04   /* like a well-known tool that another known server has */
#define PIN_ITEM_IMITATES 0x08  /* a look-alike spelling of a well-known tool name */
#define PIN_ITEM_INVALID 0x10   /* not an object, no string name, or not canonicalisable */

struct pin_item {
    uint32_t index; /* position in the listing's array; UINT32_MAX for removed pins */
    char *name;     /* unescaped, owned by the report; NULL when there is none */
    size_t name_len;
    enum pin_state state;
    unsigned flags;
    char hash[CANON_SHA256_HEX]; /* "" when not hashed */
    char changed[PIN_HINT_MAX];  /* for PIN_CHANGED: members that differ */
    const char *well_known;      /* static: the well-known name imitated or shadowed */
    char *other_server;          /* owned: the other server that has it (SHADOWS) */
};

struct pin_report {
    struct pin_item *items;
    size_t count, cap;
    size_t n_new, n_same, n_changed, n_removed, n_refused;
    size_t n_duplicate, n_lookalike, n_shadows, n_imitates, n_invalid;
};
void pins_report_init(struct pin_report *r);
void pins_report_cleanup(struct pin_report *r);

#define PINS_PAGE_FIRST 0x1 /* first page of a listing: starts removal tracking */
#define PINS_PAGE_LAST 0x2  /* last page (no nextCursor): report pins not seen as removed */
#define PINS_PAGE_ALL (PINS_PAGE_FIRST | PINS_PAGE_LAST)

/*
 * Check every definition of a tools/list, prompts/list or resources/templates/list result
 * (`result`: the result object node of `doc`, which may be indexed shallowly) of `server`,
 * appending one item per element (in order), then, on the last page, one per removed pin.
 * Duplicates, look-alikes within the page, shadowing of well-known tool names known from
 * other servers of the store and look-alike spellings of them are flagged (reports only:
 * blocking follows the states). Returns 0; SE_ESHAPE (no array where the kind's belongs);
 * SE_ELIMIT (more than PINS_MAX_LIST elements, or store limits: the server's every name
 * then counts as blocked until a listing succeeds); parse errors; -ENOMEM.
 */
int pins_scan_list(struct pin_store *s, const char *server, enum pin_kind k, struct json_doc *doc,
                   uint32_t result, unsigned page, struct pin_report *rep, struct diag *d);

/*
 * The skeleton of a name used for look-alike checks: ASCII case folded, separators
 * ('-', '_', '.', spaces, dashes) and invisible characters dropped, fullwidth forms and a
 * table of Cyrillic, Greek and accented Latin homoglyphs mapped to ASCII, 0→o, 1/i/|→l,
 * rn→m, vv→w. Writes at most cap-1 bytes and a NUL; returns the length written.
 */
size_t pins_skeleton(const char *name, size_t len, char *out, size_t cap);

/* ---- persistence ------------------------------------------------------------------- */

/* Changes since creation; a change is anything pins_serialize would write differently. */
uint64_t pins_generation(const struct pin_store *s);
bool pins_dirty(const struct pin_store *s);
/* The text serialised at generation `gen` is on disk. */
void pins_mark_written(struct pin_store *s, uint64_t gen);

/* Append the store as its file format (JSON, one pin per line, sorted). */
int pins_serialize(const struct pin_store *s, struct buf *out);

/*
 * Merge store text into the store (what another writer recorded, e.g. an approval). The
 * text is validated first; on error the store is unchanged. Does not dirty the store.
 */
int pins_absorb(struct pin_store *s, const char *text, size_t len, char *err, size_t errlen);

/* Merge store text `b` into store text `a`, appending the result to `out`. Pure. */
int pins_merge_text(const char *a, size_t alen, const char *b, size_t blen, struct buf *out,
                    char *err, size_t errlen);

/*
 * Write data[0..len) to `path` atomically: a 0600 temporary file in the same directory,
 * fsync, rename over `path`, fsync of the directory. On failure `path` is untouched and
 * the temporary file removed. Takes no lock. 0 or negative errno, message in err.
 */
int pins_write_file(const char *path, const char *data, size_t len, char *err, size_t errlen);

/*
 * The worker thread's whole write: lock "<path>.lock" exclusively, read the file (absent:
 * empty), merge `mine` (pins_serialize output; NULL = nothing, just read) into it, write
 * it back if it changed, unlock, and return the merged text in `merged` (for pins_absorb
 * on the store's thread). A corrupt file is never overwritten (SE_* code).
 */
int pins_sync_file(const char *path, const char *mine, size_t mine_len, struct buf *merged,
                   char *err, size_t errlen);

/*
 * Persist the store synchronously: with PINS_O_LOCK, write it (the lock is held); else
 * pins_sync_file and pins_absorb. Marks the store written. Not for the loop thread.
 */
int pins_save(struct pin_store *s, char *err, size_t errlen);

/*
 * `sentinel pins ...`: argv[0] is the action (list, approve, forget), as main.c passes
 * argc - 2, argv + 2. Exit status: 0, 1 (nothing to approve or forget), 64 usage,
 * 65 corrupt store, 74 I/O.
 */
int pins_cli(int argc, char **argv);

#endif
