/*
 * file.h - opening an input file the way the log-reading commands (replay, chain) take one:
 * "-" is standard input, a directory is refused. libc only.
 */
#ifndef SENTINEL_BASE_FILE_H
#define SENTINEL_BASE_FILE_H

#include <stdbool.h>

/* 0 with *fd open for reading (*owned: the caller closes it; false for "-"), or -errno
 * (-EISDIR for a directory). */
int file_open_input(const char *path, int *fd, bool *owned);

#endif
