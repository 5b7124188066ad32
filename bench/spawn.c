/*
 * spawn.c - posix_spawnp with two pipes, shared by relay and loadgen so that both start
 * their child exactly the same way. The parent's pipe ends are close-on-exec, so a child
 * never inherits the other direction's pipe; this file must never touch the child's stderr.
 */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int spawn_child(struct child *c, char *const argv[], bool own_group)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    int in[2] = {-1, -1}, out[2] = {-1, -1};
    int rc;

    c->pid = -1;
    c->to = c->from = -1;
    if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
        goto fail_errno;
    rc = posix_spawn_file_actions_init(&fa);
    if (rc)
        goto fail;
    posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
    posix_spawnattr_init(&attr);
    if (own_group) {
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attr, 0);
    }
    rc = posix_spawnp(&c->pid, argv[0], &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc)
        goto fail;
    close(in[0]);
    close(out[1]);
    c->to = in[1];
    c->from = out[0];
    return 0;

fail_errno:
    rc = errno;
fail:
    for (int i = 0; i < 2; i++) {
        if (in[i] >= 0)
            close(in[i]);
        if (out[i] >= 0)
            close(out[i]);
    }
    c->pid = -1;
    return -rc;
}

int spawn_wait(struct child *c, int *status, int timeout_ms, bool own_group)
{
    struct timespec nap = {.tv_sec = 0, .tv_nsec = 5 * 1000 * 1000};
    int waited = 0;
    pid_t r;

    for (;;) {
        r = waitpid(c->pid, status, timeout_ms < 0 ? 0 : WNOHANG);
        if (r == c->pid)
            return 0;
        if (r < 0 && errno != EINTR)
            return -errno;
        if (r == 0 && waited >= timeout_ms)
            break;
        if (r == 0) {
            nanosleep(&nap, NULL);
            waited += 5;
        }
    }
    kill(own_group ? -c->pid : c->pid, SIGKILL);
    while ((r = waitpid(c->pid, status, 0)) < 0 && errno == EINTR)
        ;
    return -ETIMEDOUT;
}
