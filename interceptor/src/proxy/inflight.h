/*
 * inflight.h - the table of requests sent in one direction and not yet answered.
 *
 * Keyed by the canonical id (rpc_id_key: "i42" or "s<bytes>"), so "1" and 1 are
 * different requests. Bounded: inflight_put refuses past `limit` entries. Entries are
 * owned by the table; inflight_take hands one to the caller, who frees it with
 * inflight_entry_free. Pure: no I/O.
 */
#ifndef SENTINEL_PROXY_INFLIGHT_H
#define SENTINEL_PROXY_INFLIGHT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/labels.h"

enum req_kind {
    REQ_OTHER = 0,
    REQ_INITIALIZE,
    REQ_TOOLS_LIST,
    REQ_TOOLS_CALL,
    REQ_COMPLETE,
    REQ_PROMPTS_LIST,
    REQ_RESOURCES_LIST,
    REQ_RESOURCES_READ,
    REQ_TEMPLATES_LIST,
    REQ_TASKS_RESULT,
    REQ_PROMPTS_GET,
    REQ_TASKS_OTHER, /* tasks/cancel, tasks/list, tasks/update: a task's bookkeeping */
    REQ_TASKS_GET,
};

struct batch;

struct inflight_entry {
    char *key; /* canonical id */
    size_t key_len;
    char *raw_id; /* the id's JSON text, echoed in replies we make */
    size_t raw_len;
    enum req_kind kind;
    unsigned pm;         /* a server request: its policy method (PM_SAMPLING ...), or 0 */
    bool task_result;    /* a server's tasks/result: the answer is a task's (sampling...) result */
    struct batch *batch; /* the client batch this request came in, or NULL */
    uint64_t seq;        /* insertion order, for answering in order on shutdown */
    /* taint: labels a successful result removes, then adds (computed when it was admitted) */
    bool flow;
    struct labelset taint_add, taint_del;
    /* approval: held (not yet sent upstream) until the approver answers `ticket` */
    bool held;
    uint64_t ticket;
    char *held_msg; /* the request as it will be forwarded */
    size_t held_len;
    char *what;          /* the approve rule's id (a call held for a re-list: its tool or prompt
                          * name, or resource URI); NULL unless held */
    bool relist_held;    /* held until sentinel's own re-list after list_changed is checked */
    uint8_t relist_kind; /* ... of tools (0), prompts (1) or resource templates (2) */
    uint64_t held_at_ms; /* ... since (uv_now) */
    char *target;   /* tool name or resource URI, kept when the result is scanned/spotlighted */
    size_t target_len;
    bool target_is_uri; /* the target is a URI (resources/read, a completion's ref.uri) */
    bool internal;  /* sentinel's own request (a re-list for pins): answered to nobody */
    bool cancelled; /* its sender cancelled it; kept for a late answer until the slot is needed */
    bool first_page; /* a list request without a cursor */
    bool withheld_id;     /* the id holds a tracked value: records show WITHHELD_JSON */
    bool withheld_target; /* so does the target */
    char *decision_id;
    /* tasks/get and tasks/result: the key of the task asked about (session.c's task table);
     * in that table, an entry is a task: its key, the creating call's id, tool and labels */
    char *task;
    size_t task_len;
    bool task_done;  /* a task whose final result was delivered: the first to be forgotten */
    uint64_t t0_ns;  /* admitted at (a data call with an audit log: its result is recorded) */
};

/* A deleted slot in inflight.slots (for callers that walk the table). */
#define INFLIGHT_TOMB ((struct inflight_entry *)1)

struct inflight {
    struct inflight_entry **slots;
    size_t cap; /* power of two */
    size_t count;
    size_t tombs;
    size_t limit;
    uint64_t next_seq;
};

int inflight_init(struct inflight *t, size_t limit);
void inflight_cleanup(struct inflight *t);

/* Takes ownership of e on success (0). -EEXIST when the key is in use, -ENOBUFS at the
 * limit, -ENOMEM. On failure e stays the caller's. */
int inflight_put(struct inflight *t, struct inflight_entry *e);
struct inflight_entry *inflight_find(struct inflight *t, const char *key, size_t len);
/* Remove and return the entry (caller frees), or NULL. */
struct inflight_entry *inflight_take(struct inflight *t, const char *key, size_t len);
/* Remove every entry and return them sorted by insertion order; *n set. Caller frees
 * each entry and the array. */
struct inflight_entry **inflight_drain(struct inflight *t, size_t *n);

struct inflight_entry *inflight_entry_new(const char *key, size_t key_len, const char *raw_id,
                                          size_t raw_len);
void inflight_entry_free(struct inflight_entry *e);

#endif
