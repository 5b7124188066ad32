/*
 * spawn.h - start a command with its stdin and stdout on fresh pipes, for the benchmark tools.
 *
 * stderr is inherited so a failing server's complaints stay visible. The caller owns both
 * pipe ends and the child; spawn_wait reaps it. Never used by the interceptor.
 */
#ifndef SENTINEL_BENCH_SPAWN_H
#define SENTINEL_BENCH_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

struct child {
    pid_t pid;
    int to;   /* write end: the child's stdin */
    int from; /* read end: the child's stdout */
};

/*
 * Start argv[0] (looked up in PATH) with argv. With own_group the child leads a new process
 * group, so kill(-pid, sig) reaches what it starts. 0, or a negative errno (the exec failure
 * is reported here, not later). Both pipe ends are close-on-exec in the parent.
 */
int spawn_child(struct child *c, char *const argv[], bool own_group);
/*
 * Wait up to timeout_ms (negative: forever) for the child; on timeout send SIGKILL (to the group
 * when own_group) and reap it. *status gets the waitpid status. 0, -ETIMEDOUT when it had to be
 * killed, or a negative errno.
 */
int spawn_wait(struct child *c, int *status, int timeout_ms, bool own_group);

#endif
