/*
 * num.h - numbers from the command line.
 */
#ifndef SENTINEL_BASE_NUM_H
#define SENTINEL_BASE_NUM_H

#include <stddef.h>

/*
 * "4096", "64K", "65M", "1G" (binary suffixes, either case): a byte count or plain number in
 * [min, max]. Digits first (no sign, no blanks), at most one suffix letter, nothing after.
 * 0, -EINVAL (not such a number) or -ERANGE (outside [min, max]).
 */
int num_parse_size(const char *s, size_t min, size_t max, size_t *out);

#endif
