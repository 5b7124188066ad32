/*
 * upstream.h - the upstream MCP server process: spawn, signal, reap.
 *
 * The child runs in its own process group with PR_SET_PDEATHSIG(SIGKILL) set before
 * exec (and the parent-died race checked), default signal dispositions and an empty
 * signal mask. The interceptor becomes a child subreaper, so orphaned grandchildren come
 * back to it and are reaped. A watchdog process kills the whole group if the
 * interceptor itself dies abruptly (SIGKILL), where PDEATHSIG alone would only reach the
 * direct child. No libuv here: the session wraps the descriptors.
 */
#ifndef SENTINEL_PROXY_UPSTREAM_H
#define SENTINEL_PROXY_UPSTREAM_H

#include <stdbool.h>
#include <sys/types.h>

struct upstream {
    pid_t pid;         /* direct child; also its process group id */
    pid_t watchdog;    /* 0 when none */
    int watchdog_fd;   /* write end; closing it releases the watchdog */
    int stdin_fd;      /* we write the server's input here */
    int stdout_fd;     /* we read the server's output here */
    bool exited;
    int status;        /* waitpid status once exited */
};

/*
 * Start argv[0] (searched in PATH) with the given argv. Returns 0, or a negative errno
 * with the reason in errbuf (e.g. exec failure is reported synchronously: ENOENT).
 * The server's stderr is our stderr.
 */
int upstream_spawn(struct upstream *u, char *const argv[], char *errbuf, size_t errlen);

/* Signal the whole process group (and, for SIGKILL, orphans reparented to us). */
void upstream_signal(struct upstream *u, int sig);

/*
 * Reap every exited child without blocking. Returns true when the direct child has
 * exited (u->exited, u->status set) during this or an earlier call.
 */
bool upstream_reap(struct upstream *u);

/* Kill whatever is left, release the watchdog, close descriptors still owned. */
void upstream_cleanup(struct upstream *u);

/* Send SIGKILL to every process whose parent is us (orphans reparented to a subreaper). */
void upstream_kill_orphans(pid_t self, pid_t except);

#endif
