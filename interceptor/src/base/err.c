/*
 * err.c - names and texts for error codes, and the diag setter.
 * Must never allocate: it is used on error paths, including out-of-memory ones.
 */
#include "base/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *err_name(int code)
{
    switch (code) {
    case 0:
        return "OK";
#define X(name, val, text)                                                                 \
    case val:                                                                              \
        return #name;
        SE_ERRNO_MAP(X)
#undef X
    case -ENOMEM:
        return "ENOMEM";
    case -EINVAL:
        return "EINVAL";
    case -ENOENT:
        return "ENOENT";
    case -EEXIST:
        return "EEXIST";
    case -EIO:
        return "EIO";
    case -EPIPE:
        return "EPIPE";
    case -EACCES:
        return "EACCES";
    case -ENOSPC:
        return "ENOSPC";
    default:
        return "E?";
    }
}

const char *err_str(int code)
{
    switch (code) {
    case 0:
        return "success";
#define X(name, val, text)                                                                 \
    case val:                                                                              \
        return text;
        SE_ERRNO_MAP(X)
#undef X
    default:
        if (code < 0 && code > -4000)
            return strerror(-code);
        return "unknown error";
    }
}

int err_set(char *err, size_t errlen, int code, const char *fmt, ...)
{
    if (err != NULL && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}

int diag_set(struct diag *d, int code, unsigned line, unsigned col, const char *fmt, ...)
{
    if (d == NULL)
        return code;
    d->line = line;
    d->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
    va_end(ap);
    return code;
}
