/*
 * spotlight.h - spotlighting of untrusted tool output (Hines et al. 2024, "Defending Against
 * Indirect Prompt Injection Attacks With Spotlighting"): the text a tool or server returns is
 * marked so the model can tell it from instructions, in one of three modes.
 *
 *   delimit   «untrusted:ID»\n TEXT \n«/untrusted:ID»        ID = 16 hex digits (64 random bits)
 *   datamark  every run of whitespace becomes " ˆxxxx ", a run holding line breaks becomes
 *             " ˆxxxx" + the line breaks + "ˆxxxx ", and the text starts and ends with the
 *             marker: "ˆxxxx Hello ˆxxxx world ˆxxxx" (ˆ is U+02C6; xxxx = 4 characters of
 *             [a-km-np-z2-9], 20 random bits)
 *   encode    Base64 of untrusted tool output…: «untrusted:ID»BASE64«/untrusted:ID»
 *
 * Markers come from libsodium's CSPRNG and are new for every response (one ID / one datamark
 * shared by the blocks of that response). Before marking, anything in the text that looks like
 * a marker of any mode is neutralised, so tool output can never forge a boundary (see
 * spotlight_neutralise). Pure apart from the CSPRNG: no I/O, no libuv, thread-safe.
 */
#ifndef SENTINEL_MCP_SPOTLIGHT_H
#define SENTINEL_MCP_SPOTLIGHT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "mcp/json.h"

enum spotlight_mode {
    SPOTLIGHT_OFF,
    SPOTLIGHT_DELIMIT,
    SPOTLIGHT_DATAMARK,
    SPOTLIGHT_ENCODE,
};

/*
 * What may be done to the string at `json_pointer` (RFC 6901, relative to structuredContent:
 * "" is its root, "/items/0/summary" a nested one)? The caller answers from the tool's
 * outputSchema (mcp/outschema.h): SPOTLIGHT_SC_REWRITE only where no keyword looks at the
 * string's content, SPOTLIGHT_SC_NEUTRALISE where only its length in code points counts
 * (forged markers are neutralised, one code point for one, and nothing is added),
 * SPOTLIGHT_SC_KEEP elsewhere, SPOTLIGHT_SC_UNCHECKED when it kept the string because the
 * work bound for this response was spent (OUTSCHEMA_BUDGET). `json_pointer` is `len` bytes
 * (a member name may hold U+0000, so it is not NUL-terminated) and valid during the call
 * only. A kept string is still scanned: its forged markers are counted (not replaced).
 */
enum spotlight_sc {
    SPOTLIGHT_SC_KEEP = 0,
    SPOTLIGHT_SC_REWRITE = 1,
    SPOTLIGHT_SC_NEUTRALISE = 2,
    SPOTLIGHT_SC_UNCHECKED = 3,
};
typedef int (*spotlight_may_rewrite_cb)(void *ctx, const char *json_pointer, size_t len);

struct spotlight_opts {
    enum spotlight_mode mode;
    /* false (default): structuredContent is left untouched. true: its string values that
     * may_rewrite accepts are spotlighted too (nothing happens without a callback). */
    bool structured;
    spotlight_may_rewrite_cb may_rewrite;
    void *ctx;
    /* the line answers prompts/get: its description and messages' content are neutralised,
     * not fenced (a prompt is meant to instruct) */
    bool prompt;
    /* the line answers tasks/get (the 2026-07-28 tasks extension): the task's result
     * (result.result, a completed task) is rewritten as a tool result would be, the message of
     * its error (result.error, a failed task) as an error's, and its statusMessage is
     * neutralised; one level deeper, so the index depth is SPOTLIGHT_INDEX_DEPTH + 1 */
    bool task;
};

/* What one rewrite did (optional out-parameter). */
struct spotlight_stats {
    size_t blocks;      /* strings spotlighted */
    size_t forged;      /* marker look-alikes neutralised in them: a strong injection signal */
    size_t forged_kept; /* marker look-alikes in structuredContent strings kept as they came
                         * (the outputSchema forbids a rewrite): counted, not replaced */
    size_t unchecked;   /* structuredContent strings kept because the schema walk's work
                         * bound for this response was spent (SPOTLIGHT_SC_UNCHECKED) */
};

/* Index depth spotlight_rewrite parses with when structuredContent is not walked:
 * root 0, result 1, content 2, item 3, resource 4, text 5. */
#define SPOTLIGHT_INDEX_DEPTH 5

/*
 * Rewrite `line` (len bytes: one JSON-RPC response to tools/call, tasks/result or
 * resources/read, already validated) with every untrusted text spotlighted:
 *   result.content[i].text            (text blocks, isError results included)
 *   result.content[i].resource.text   (embedded text resources)
 *   result.contents[i].text           (resources/read)
 *   ...resource.blob, contents[i].blob  (base64 that decodes to UTF-8 text, mimeType not
 *                                      image/audio/video/font: the text spotlighted, then
 *                                      base64 again; other blobs are left alone)
 *   structuredContent strings         (only with o->structured, as may_rewrite says)
 *   error.message                     (an error response: the server's words too)
 * and neutralises marker look-alikes (no fence) in the strings a client may also show: a
 * resource_link's name, title and description, _meta of content items and resources, and
 * error.data; with o->prompt, a prompts/get result's description and messages' content.
 * Every other byte (ids, _meta, annotations, whitespace, a trailing newline) is copied as it
 * came; each rewritten value is re-escaped (control characters, quotes, backslashes and raw
 * U+2028/U+2029 as escapes), so the result parses with json_parse, with the same structure.
 * Empty strings stay empty.
 *
 * `doc` is the caller's reusable document: it is re-parsed here (SPOTLIGHT_INDEX_DEPTH, or
 * fully when structuredContent is walked) and its scratch buffers are used; it borrows `line`
 * afterwards. The new message is appended to `out` (bounded by out->limit).
 *
 * Returns 1 when something was rewritten, 0 when there was nothing to do (mode off, no
 * text; `out` untouched), or a negative code, after which `out` is as it was and
 * the caller must fail closed: a parse error, SE_ELIMIT (the index was truncated),
 * SE_ESHAPE (a text field that is not a string, content that is not an array), -ENOBUFS
 * (the result would pass out->limit), -ENOMEM, -EINVAL (bad mode), -EIO (no CSPRNG).
 * `st` may be NULL.
 */
int spotlight_rewrite(const struct spotlight_opts *o, struct json_doc *doc, const char *line,
                      size_t len, struct buf *out, struct spotlight_stats *st);

/*
 * The same on a document the caller has parsed already (doc->text is the line), with an
 * index depth of at least SPOTLIGHT_INDEX_DEPTH, or doc->max_depth when structuredContent is
 * walked: the data path validates every line once, and this saves the second parse. An index
 * too shallow (or truncated) to show every text is SE_ELIMIT, never a silent pass. `out` must
 * not be the buffer that holds doc->text.
 */
int spotlight_rewrite_doc(const struct spotlight_opts *o, struct json_doc *doc, struct buf *out,
                          struct spotlight_stats *st);

/*
 * Neutralise (never fence) every string of a message the caller has parsed in full (doc->text
 * is the line) except its top-level `jsonrpc`, `id` and `method`: the params of a server's
 * notification or request (a log line, a progress message, a sampling prompt) and the result
 * of a completion, whose meaning must not change, only their forged markers made harmless.
 * Returns 1 when a marker look-alike was replaced (the new message appended to `out`, `st`
 * counting them), 0 when none was (`out` untouched: the message may go as it came), or a
 * negative code after which `out` is as it was and the caller must fail closed: SE_ELIMIT (the
 * index is truncated or too shallow to see every string), -ENOBUFS, -ENOMEM. `st` may be NULL.
 */
int spotlight_neutralise_doc(struct json_doc *doc, struct buf *out, struct spotlight_stats *st);

/*
 * Neutralise marker look-alikes in the UTF-8 text s[0..n) (invalid bytes pass through),
 * appending the result to `out`; *forged (may be NULL) gets the number of code points
 * replaced. This is the step every mode runs before marking. Replaced by U+FFFD (�):
 *   - a bracket-like code point (« » ‹ › < ≪ 《 〈 ⟨ ⟪ ＜ ᐸ ... and confusables, not ASCII '>')
 *     followed, after any brackets, spaces, line breaks, slashes (/ \ ⁄ ∕ ／ ...) and invisible
 *     characters, by the word "untrusted" in any case, with confusable letters (Cyrillic,
 *     Greek, fullwidth, mathematical, accented...) and invisible characters (zero-width,
 *     format, combining marks, variation selectors, tags) between its letters;
 *   - every caret-like code point other than ASCII '^' (ˆ ＾ ˄ ꞈ ‸ ⁁ ⌃ ...): datamark
 *     look-alikes;
 *   - an ASCII '^' followed by exactly four letters or digits (invisible characters skipped;
 *     any non-ASCII code point that is no separator or slash counts as a letter).
 * Idempotent: its output contains nothing it would replace. 0 or -ENOBUFS/-ENOMEM.
 * When datamarking, zero-width spaces (U+200B, U+2060, U+FEFF...) are separators, like every
 * Unicode space: they become markers, so they split words instead of hiding inside them.
 */
int spotlight_neutralise(const char *s, size_t n, struct buf *out, size_t *forged);

/*
 * The text that tells the model what the markers of `mode` mean, for the initialize
 * result's `instructions` (appended by the interceptor) and for SDKs. Static storage;
 * NULL for SPOTLIGHT_OFF and unknown modes.
 */
const char *spotlight_instructions(enum spotlight_mode mode);

/* "off", "delimit", "datamark", "encode" <-> mode. Parse: 0 or -EINVAL. */
const char *spotlight_mode_name(enum spotlight_mode mode);
int spotlight_mode_parse(const char *s, size_t n, enum spotlight_mode *mode);

#endif
