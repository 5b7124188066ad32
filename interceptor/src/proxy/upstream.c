/*
 * upstream.c - process binding for the upstream server. fork/exec rather than uv_spawn
 * because the child must set PR_SET_PDEATHSIG and its process group before exec, which
 * uv_spawn has no hook for. Exec failures come back over a CLOEXEC pipe so the caller
 * gets ENOENT/EACCES synchronously. This file must never leave a child unreaped.
 */
#include "proxy/upstream.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef F_SETPIPE_SZ
#define F_SETPIPE_SZ 1031
#endif

#define PIPE_SIZE (1 << 20) /* fewer wakeups for large results; best effort */

static void child_reset_signals(void)
{
    sigset_t all;
    sigemptyset(&all);
    for (int s = 1; s < NSIG; s++)
        if (s != SIGKILL && s != SIGSTOP)
            signal(s, SIG_DFL);
    sigprocmask(SIG_SETMASK, &all, NULL);
}

static void write_errno(int fd, int err)
{
    ssize_t w = write(fd, &err, sizeof(err));
    (void)w;
}

/* The watchdog: waits for EOF on `fd` (the interceptor died or released it), then
 * SIGKILLs the group. It ignores termination signals so that a kill of the
 * interceptor's group does not take it down before it has done its job. */
static void watchdog_main(int fd, pid_t pgid)
{
    char c;
    prctl(PR_SET_NAME, "sentinel-wd", 0, 0, 0);
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        close(null);
    }
    signal(SIGTERM, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    for (;;) {
        ssize_t r = read(fd, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        break;
    }
    kill(-pgid, SIGKILL);
    _exit(0);
}

int upstream_spawn(struct upstream *u, char *const argv[], char *errbuf, size_t errlen)
{
    int in[2] = {-1, -1}, out[2] = {-1, -1}, err_pipe[2] = {-1, -1}, wd[2] = {-1, -1};
    int rc = 0;
    memset(u, 0, sizeof(*u));
    u->stdin_fd = u->stdout_fd = u->watchdog_fd = -1;

    if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 ||
        pipe2(err_pipe, O_CLOEXEC) < 0 || pipe2(wd, O_CLOEXEC) < 0) {
        rc = -errno;
        snprintf(errbuf, errlen, "pipe: %s", strerror(errno));
        goto fail;
    }
    fcntl(in[1], F_SETPIPE_SZ, PIPE_SIZE);
    fcntl(out[0], F_SETPIPE_SZ, PIPE_SIZE);

    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
        rc = -errno;
        snprintf(errbuf, errlen, "PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
        goto fail;
    }

    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        rc = -errno;
        snprintf(errbuf, errlen, "fork: %s", strerror(errno));
        goto fail;
    }
    if (pid == 0) {
        /* a session of its own (and so a group of its own): no controlling terminal, so
         * the server cannot type into the approval terminal (TIOCSTI) or read it */
        if (setsid() < 0) {
            write_errno(err_pipe[1], errno);
            _exit(127);
        }
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
            write_errno(err_pipe[1], errno);
            _exit(127);
        }
        if (getppid() != parent) /* the parent died before PDEATHSIG was armed */
            _exit(127);
        child_reset_signals();
        if (dup2(in[0], STDIN_FILENO) < 0 || dup2(out[1], STDOUT_FILENO) < 0) {
            write_errno(err_pipe[1], errno);
            _exit(127);
        }
        execvp(argv[0], argv);
        write_errno(err_pipe[1], errno);
        _exit(127);
    }
    /* the child's setsid has run once its exec (or failure) closes err_pipe, read below:
     * from then on kill(-pid) reaches the whole group */
    u->pid = pid;
    close(in[0]);
    in[0] = -1;
    close(out[1]);
    out[1] = -1;
    close(err_pipe[1]);
    err_pipe[1] = -1;

    int child_err = 0;
    ssize_t r;
    do {
        r = read(err_pipe[0], &child_err, sizeof(child_err));
    } while (r < 0 && errno == EINTR);
    if (r == (ssize_t)sizeof(child_err)) {
        snprintf(errbuf, errlen, "cannot execute '%s': %s", argv[0], strerror(child_err));
        rc = -child_err;
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
        u->pid = 0;
        goto fail;
    }

    pid_t w = fork();
    if (w == 0) {
        close(wd[1]);
        close(in[1]);
        close(out[0]);
        watchdog_main(wd[0], pid);
    }
    if (w > 0) {
        u->watchdog = w;
        u->watchdog_fd = wd[1];
        wd[1] = -1;
    } /* without a watchdog PDEATHSIG still covers the direct child */

    u->stdin_fd = in[1];
    u->stdout_fd = out[0];
    in[1] = out[0] = -1;
fail: {
    int *fds[] = {&in[0], &in[1], &out[0], &out[1], &err_pipe[0], &err_pipe[1], &wd[0], &wd[1]};
    for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
        if (*fds[i] >= 0)
            close(*fds[i]);
    return rc;
}
}

void upstream_signal(struct upstream *u, int sig)
{
    if (u->pid > 0)
        kill(-u->pid, sig);
    if (sig == SIGKILL)
        upstream_kill_orphans(getpid(), u->watchdog);
}

bool upstream_reap(struct upstream *u)
{
    for (;;) {
        int st;
        pid_t p = waitpid(-1, &st, WNOHANG);
        if (p <= 0)
            break;
        if (p == u->pid && !u->exited) {
            u->exited = true;
            u->status = st;
        } else if (p == u->watchdog) {
            u->watchdog = 0;
        }
    }
    return u->exited;
}

void upstream_kill_orphans(pid_t self, pid_t except)
{
    DIR *d = opendir("/proc");
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end != '\0' || pid <= 1 || pid == self || pid == except)
            continue;
        char path[64], buf[512];
        snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n <= 0)
            continue;
        buf[n] = '\0';
        /* pid (comm) state ppid ...: comm may hold spaces and parens, so go from the last ')' */
        char *rp = strrchr(buf, ')');
        char state;
        long ppid;
        if (rp == NULL || sscanf(rp + 1, " %c %ld", &state, &ppid) != 2)
            continue;
        if (ppid == self && state != 'Z')
            kill((pid_t)pid, SIGKILL);
    }
    closedir(d);
}

void upstream_cleanup(struct upstream *u)
{
    if (u->pid > 0)
        kill(-u->pid, SIGKILL); /* the leader and whatever stayed in its group */
    if (u->watchdog_fd >= 0) {
        close(u->watchdog_fd); /* the watchdog kills the group once more and exits */
        u->watchdog_fd = -1;
    }
    /*
     * Descendants that left the group (setsid) come back to us as the group dies, level
     * by level: kill every child we have until none is left. Bounded at 2 s so a process
     * stuck in the kernel cannot keep the interceptor alive.
     */
    for (int round = 0; round < 200; round++) {
        upstream_kill_orphans(getpid(), 0);
        int st;
        pid_t p;
        while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
            if (p == u->pid && !u->exited) {
                u->exited = true;
                u->status = st;
            } else if (p == u->watchdog) {
                u->watchdog = 0;
            }
        }
        if (p < 0 && errno == ECHILD)
            break;
        usleep(10000);
    }
    if (u->stdin_fd >= 0)
        close(u->stdin_fd);
    if (u->stdout_fd >= 0)
        close(u->stdout_fd);
    u->stdin_fd = u->stdout_fd = -1;
}
