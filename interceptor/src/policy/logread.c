/*
 * logread.c - one read of an audit log into the framer (see logread.h).
 */
#include "policy/logread.h"

#include <errno.h>
#include <unistd.h>

int logread_fill(struct framer *in, int fd, bool *eof, bool *torn)
{
    char *p;
    size_t n;
    int rc = framer_space(in, LOGREAD_WANT, &p, &n);
    if (rc < 0)
        return rc;
    ssize_t got;
    do
        got = read(fd, p, n);
    while (got < 0 && errno == EINTR);
    if (got < 0)
        return -errno;
    if (got > 0) {
        framer_commit(in, (size_t)got);
        return 0;
    }
    *eof = true;
    if (in->discarding || framer_pending(in) > 0) {
        /* the last line has no newline (a crash mid-write): end it so it is read */
        if ((rc = framer_space(in, 1, &p, &n)) < 0)
            return rc;
        p[0] = '\n';
        framer_commit(in, 1);
        *torn = true;
    }
    return 0;
}
