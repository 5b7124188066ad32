/*
 * tracked.h - tracked values: sensitive values seen in tool results (secrets and PII a scanner
 * found, values the operator marks) and looked for again in later outbound arguments, raw or
 * encoded, so that the call inherits the value's labels and provenance (which earlier results
 * produced it) and is marked `invalidated` when an operator has invalidated one of them.
 *
 * Matching is multi-pattern, by sampled hash indexes (one compiled in the background per tier),
 * in three tiers so that adding a value never builds anything on the caller's thread:
 *   main     one large index, rebuilt in the background (tracked_build_*);
 *   recent   a small index of the values added since main was built, also background;
 *   pending  values added since the last build began: keys added in O(len), no build.
 * Every form ("pattern") of a value is at least 8 characters long, so every occurrence holds
 * exactly one window at a text offset divisible by 4 among its first four: the scan hashes the
 * 8 characters (5 for patterns shorter than 11) at every fourth position of the text, a blocked
 * Bloom filter per index rules out nearly all of them in one memory access, and the few left are
 * looked up and verified byte for byte. Its cost is O(text) and nearly independent of the number
 * of values; a large index's filter (about 8 MiB at 100,000 values) is probed in prefetched
 * batches. (Vectorscan did this before: 0.3 GB/s on base64 with 100,000 values, 4 s and 380 MB
 * to compile them; see docs/performance.md.)
 * The session runs a build with uv_queue_work: tracked_build_begin on the loop, _run on the
 * worker, _finish in the after-work callback. Nothing here knows about libuv.
 *
 * Threads: every function except tracked_build_run is called on one thread (the loop).
 * tracked_build_run touches only its build object and immutable data the loop does not free
 * before tracked_build_finish. tracked_free must not be called between tracked_build_begin and
 * tracked_build_finish (wait for the after-work callback).
 *
 * Secrets: the bytes of values, the windows of their patterns in the indexes, and every
 * encoding made for a verification live in sodium_malloc memory (guard pages, mlock where
 * RLIMIT_MEMLOCK allows, excluded from core dumps) and are wiped before release. The filters and
 * the pending tier's key table (5 or 8 characters of a pattern per key, in ordinary memory, as
 * before) are the exception. Nothing this module returns contains a value: logs and audit
 * records name a value by its id and tracked_value_digest().
 *
 * Patterns: a value is looked for in the characters of the text, without decoding them, as
 *   raw          its bytes;
 *   json         its JSON string escaping (\" \\ \b \f \n \r \t, other controls as \u00xx),
 *                when that differs: the value inside unparsed JSON text;
 *   base64 / base64url  the characters it encodes to at each of the three byte alignments of
 *                a stream (any prefix, any suffix), with the bits it fixes in the characters on
 *                either side (tracked_enc.h); '-' and '_' compare as '+' and '/', so either
 *                alphabet and a mix match; base64url when the span has '-' or '_'; line-wrapped
 *                base64 (lines of one width, a multiple of 4, broken by LF, CRLF or their JSON
 *                escapes) is joined first and reported at the whole window, an approximation;
 *   hex          its hex digits, either case (hex runs are sampled with 8 case-folded
 *                characters every 8 against a separate index);
 *   url          runs of [A-Za-z0-9._~!*'()+%-] with a %XX or a '+' (RFC 3986,
 *                encodeURIComponent, form encoding), hex digits in either case: decoded (they
 *                are rare) and matched raw;
 *   url-form     the same when the span has a '+' (a space).
 * And, in a text's compact form only (tracked_scan_compact; indexed apart, so that the ordinary
 * scan does not pay for them), what an agent told to hide a value does without a tool:
 *   compact      its ASCII letters (in lower case) and digits and its bytes >= 0x80, when at
 *                least 8 long: "4111-1111-1111-1111" finds "4111 1111 1111 1111", "s k - P R O J"
 *                finds "sk-proj";
 *   reversed, rot13  that with its code points in reverse order, or its letters rotated by 13,
 *                when they differ;
 *   hex          (the ordinary hex index) its hex digits with separators between them.
 * Not found: a value split over two runs (two base64 strings), nested encodings (base64 of hex,
 * ...), JSON \uXXXX escapes of other bytes than controls (proxy/guard.c decodes those and
 * scans again), other alphabets.
 * All-NUL values are not indexed raw (a text of NULs would make every window a candidate): runs
 * of NULs are measured instead.
 * Work is linear: runs are found with 64-byte class masks (AVX2 where the CPU has it), url runs
 * are decoded in windows overlapping by the longest encoded value; the interior of a long hex run
 * is probed only against the hex index when no tracked pattern is made of hex digits and nothing
 * is pending. Known limit: a text window equal to the sampled window of many patterns (values
 * that share 8 characters at the sampled place, which the build avoids by choosing, per
 * pattern, the rarest of several places) costs one verification per such pattern.
 *
 * Limits: at max_values, max_bytes or the source table's size tracked_add refuses (SE_ELIMIT)
 * and counts the refusal; nothing is ever evicted. A tracker that silently forgot an old
 * secret would let it leave unnoticed; a refusal is visible to the caller, who should label
 * the session (say `untracked`) so that policy can fail closed, and to the audit (stats).
 */
#ifndef SENTINEL_SCAN_TRACKED_H
#define SENTINEL_SCAN_TRACKED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/labels.h"

/* The floor of min_len: shorter values would match noise (an 8-byte value is already a
 * plausible word), and the pending matcher needs every form of a value to be at least 8 bytes
 * long. 8 is the default; raise it to ignore short PII such as phone numbers. */
#define TRACKED_MIN_LEN 8
#define TRACKED_MAX_LEN_CAP 16384 /* the ceiling of max_len */
#define TRACKED_SOURCES_MAX 4     /* sources remembered per value (the first ones) */
#define TRACKED_TEXT_MAX 128      /* provenance strings are truncated to this many bytes */
#define TRACKED_KEY_BYTES 32      /* digest key */

enum tracked_variant {
    TRACKED_RAW,       /* the bytes themselves */
    TRACKED_JSON,      /* JSON string escaping (\" \\ \n \u001f ...), when it differs */
    TRACKED_BASE64,    /* standard alphabet, any of the three alignments */
    TRACKED_BASE64URL, /* URL-safe alphabet */
    TRACKED_HEX,       /* either case */
    TRACKED_URL,       /* percent-encoding (RFC 3986 or encodeURIComponent), either hex case */
    TRACKED_URL_FORM,  /* form encoding: RFC 3986 with '+' for space */
    TRACKED_REVERSED,  /* its code points in reverse order */
    TRACKED_ROT13,     /* its ASCII letters rotated by 13 */
    TRACKED_COMPACT,   /* without punctuation, spaces and case (tracked_compact) */
};

/* "raw", "json", "base64", "base64url", "hex", "url", "url-form", "reversed", "rot13",
 * "compact"; never NULL. */
const char *tracked_variant_name(enum tracked_variant v);

enum tracked_origin {
    TRACKED_FROM_RESULT,   /* found in a tool result or resource read */
    TRACKED_FROM_OPERATOR, /* marked by the operator */
};

/* Where a value came from. As an argument the strings are borrowed (need not be NUL-terminated,
 * NULL means empty) and truncated to TRACKED_TEXT_MAX bytes; as returned by the tracker they are
 * owned by it, NUL-terminated, and valid until tracked_free. */
struct tracked_prov {
    enum tracked_origin origin;
    const char *request_id; /* JSON-RPC id text of the call whose result carried the value */
    size_t request_id_len;
    const char *tool;
    size_t tool_len;
    const char *server; /* server identity */
    size_t server_len;
    uint64_t seq; /* the session's sequence number of that result */
};

/* One interned source. Sources are equal when every field of their provenance is. */
struct tracked_source {
    uint32_t index; /* 0, 1, ... in order of first appearance */
    struct tracked_prov prov;
    bool invalidated;
};

/* Which sources an operator invalidates: the fields given must all be equal (after the same
 * truncation); NULL strings and by_seq == false match anything. At least one must be given. */
struct tracked_selector {
    const char *request_id;
    size_t request_id_len;
    const char *tool;
    size_t tool_len;
    const char *server;
    size_t server_len;
    bool by_seq;
    uint64_t seq;
};

enum tracked_tier { TRACKED_PENDING, TRACKED_RECENT, TRACKED_MAIN };

/* A value as the caller may see it: never its bytes. Pointers are borrowed until tracked_free. */
struct tracked_value_info {
    uint32_t id;
    size_t len;
    struct labelset labels; /* union of the labels of every tracked_add of these bytes */
    uint64_t added_ns;      /* as given to the first tracked_add */
    bool invalidated;       /* one of its sources has been invalidated */
    enum tracked_tier tier;
    unsigned nsources;     /* sources recorded (TRACKED_SOURCES_MAX at most) */
    unsigned more_sources; /* tracked_add calls from sources beyond those recorded */
    const struct tracked_source *sources[TRACKED_SOURCES_MAX];
};

struct tracked_match {
    /* span in the scanned text: raw and json the value's; encoded ones the characters that
     * decode to it (base64: with those shared with its neighbours; line-wrapped base64: the
     * whole window of the run that held it, an approximation) */
    size_t off, len;
    enum tracked_variant variant;
    uint8_t align; /* base64: the value's byte offset mod 3 in the decoded stream */
    struct tracked_value_info value;
};

/* A scan's answer. The caller sets match/cap (match may be NULL with cap 0); the rest is out.
 * One match per value (the first found); values beyond cap are still counted and their labels
 * still joined. Matches are sorted by offset. */
struct tracked_hits {
    struct tracked_match *match;
    size_t cap;
    size_t n;               /* matches written */
    size_t nvalues;         /* distinct values found (n < nvalues when cap was reached) */
    struct labelset labels; /* union of the labels of every value found */
    bool invalidated;       /* a value found comes from an invalidated source */
};

struct tracked_config {
    size_t min_len;            /* shortest value tracked; default and floor TRACKED_MIN_LEN */
    size_t max_len;            /* longest; default 4096, at most TRACKED_MAX_LEN_CAP */
    size_t max_values;         /* default 100,000 (also the number of distinct sources); a
                                  value is 5 patterns and 3 transformed ones, about 36 sampled
                                  windows: building 100,000 takes about 0.6 s and 100 MB of
                                  indexes on the worker here, 10,000 40 ms
                                  (bench/tracked_bench.c) */
    size_t max_bytes;          /* sum of the lengths of all values; default 16 MiB */
    size_t pending_max;        /* values in one pending generation; default 16,384 */
    size_t recent_max;         /* a build merges everything into main once recent + pending
                                  values reach this; 0: max(4,096, main / 8), so that the total
                                  compile work stays proportional to the values added */
    size_t build_batch;        /* tracked_build_wanted: this many pending values; default 64 */
    uint64_t build_delay_ns;   /* ... or one waiting this long; default 100 ms */
    const uint8_t *digest_key; /* TRACKED_KEY_BYTES bytes, copied; NULL: random per tracker */
};

struct tracked_stats {
    size_t values, bytes, sources;
    size_t pending, recent, main; /* values per tier */
    size_t patterns_recent, patterns_main;
    size_t db_bytes;            /* indexes in use (filters and tables) */
    uint64_t added, duplicates; /* new values; tracked_add calls that merged into one */
    uint64_t refused_short, refused_long, refused_limit, refused_busy;
    uint64_t builds, build_failures;
    uint64_t last_build_ns; /* worker time of the last successful build */
    size_t last_build_patterns;
    uint64_t invalidated_sources;
    bool building;
};

struct tracked;
struct tracked_build;

void tracked_config_default(struct tracked_config *c);

/* A new, empty tracker. cfg NULL means defaults; a zero field means its default. 0, -EINVAL
 * (min_len < TRACKED_MIN_LEN, max_len < min_len or > TRACKED_MAX_LEN_CAP, ...) or -ENOMEM. */
int tracked_new(const struct tracked_config *cfg, struct tracked **out);
/* Wipes and frees everything; NULL is a no-op. Not while a build is outstanding (see above). */
void tracked_free(struct tracked *t);

/*
 * Track value[0..len) (copied into locked memory) with labels (NULL: none) and its source.
 * O(len) plus a constant; never compiles. Returns 0 (new value), 1 (these bytes were already
 * tracked: labels joined, source added to theirs), or -EINVAL (len < min_len or a NULL
 * argument; counted as refused_short), -EMSGSIZE (len > max_len; refused_long), SE_ELIMIT
 * (max_values, max_bytes or the source table is full; refused_limit), -EAGAIN (the pending
 * generation is full because builds are not keeping up; refused_busy), -ENOMEM. *id (may be
 * NULL) receives the value's id on 0 and 1.
 */
int tracked_add(struct tracked *t, const void *value, size_t len, const struct labelset *labels,
                const struct tracked_prov *prov, uint64_t now_ns, uint32_t *id);

/* Look for every tracked value in text[0..len) (any bytes), in every form; fills *h. Returns h->n,
 * or -E2BIG (len > UINT_MAX). Cost: O(len) and nearly independent of the number of values: one
 * sampled pass over the text against every index in use (and the pending keys), one over its
 * hex runs, and the url runs decoded; each match costs O(1) after its first (dedup). The decoded
 * and normalised scratch is wiped before returning. 1.1 to 2 GB/s on prose or base64 and 2.3 to
 * 3.6 GB/s on hex with 10 to 100,000 values: see bench/tracked_bench.c. */
int tracked_scan(struct tracked *t, const void *text, size_t len, struct tracked_hits *h);

/* The compact form of text[0..len) (ASCII letters in lower case, digits, bytes >= 0x80; the rest
 * dropped) written to out (len bytes at most); returns its length. */
size_t tracked_compact(const void *text, size_t len, void *out);

/* tracked_scan of a compact text (tracked_compact's output): the values' compact forms,
 * reversed or not, in ROT13 or not, and their hex digits (a hex dump "41 4b 49 41" joined) are
 * looked for; a compact form of digits only must have at least 9 of them (an SSN; the
 * compact form of "[555, 1234, 5678]" joins the numbers). Offsets are the compact text's.
 * Costs what tracked_scan costs on a text of that length. */
int tracked_scan_compact(struct tracked *t, const void *text, size_t len, struct tracked_hits *h);

/* Mark every source the selector matches as invalidated: later matches of their values report
 * invalidated. Retroactive only: sources first seen later are not affected (distrusting a tool
 * or server from now on is policy's job). Returns how many sources changed (0 or more) or
 * -EINVAL for an empty selector. O(sources). */
int tracked_invalidate_source(struct tracked *t, const struct tracked_selector *sel);

/* True while nothing is tracked (a scan then finds nothing). O(1). */
bool tracked_empty(const struct tracked *t);

/* 0 and *out filled, or SE_ENOTFOUND for an unknown id. */
int tracked_value_info(const struct tracked *t, uint32_t id, struct tracked_value_info *out);
/* Hex of BLAKE2b-256 (crypto_generichash) keyed with the tracker's digest key over the value's
 * bytes: stable for a tracker, different across trackers unless they share cfg.digest_key,
 * useless without the key. The only form of a value fit for logs. "" for an unknown id. */
void tracked_value_digest(const struct tracked *t, uint32_t id, char out[65]);
/* The source with that index, or NULL. */
const struct tracked_source *tracked_source_get(const struct tracked *t, uint32_t index);

void tracked_stats(const struct tracked *t, struct tracked_stats *s);

/*
 * The build protocol. tracked_build_wanted says when one is worth starting: no build running,
 * and values pending (build_batch of them, or one for build_delay_ns), or old indexes to
 * release. tracked_build_begin (loop) snapshots the work in O(1): NULL when there is nothing to
 * do, a build is running, or memory is short. tracked_build_run (worker) compiles into the
 * build object and releases indexes replaced by the previous build. tracked_build_finish
 * (loop) swaps the new index in, frees the build and returns 0, or a negative code when the
 * build failed or never ran (its values stay pending and are retried). Values added meanwhile
 * stay pending for the next build. Every begun build must be finished exactly once.
 */
bool tracked_build_wanted(const struct tracked *t, uint64_t now_ns);
struct tracked_build *tracked_build_begin(struct tracked *t);
void tracked_build_run(struct tracked_build *b);
int tracked_build_finish(struct tracked *t, struct tracked_build *b);

#endif
