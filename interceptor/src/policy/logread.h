/*
 * logread.h - the read step shared by the commands that stream an audit log line by line
 * (`sentinel replay`, `sentinel chain`): a blocking read into the line framer, and a torn
 * last line (a crash mid-write) ended so that it is read and reported, not lost.
 */
#ifndef SENTINEL_POLICY_LOGREAD_H
#define SENTINEL_POLICY_LOGREAD_H

#include <stdbool.h>

#include "mcp/frame.h"

#define LOGREAD_WANT (256 * 1024) /* bytes asked of each read */

/* Read once from fd into in. At end of file *eof is set, and a last line without its newline
 * is ended and *torn set. 0, or -errno. */
int logread_fill(struct framer *in, int fd, bool *eof, bool *torn);

#endif
