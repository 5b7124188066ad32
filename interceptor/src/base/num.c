/*
 * num.c - numbers from the command line.
 */
#include "base/num.h"

#include <errno.h>
#include <stdlib.h>

int num_parse_size(const char *s, size_t min, size_t max, size_t *out)
{
    if (s[0] < '0' || s[0] > '9')
        return -EINVAL;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0)
        return -ERANGE;
    unsigned long long mult = 1;
    if (*end == 'K' || *end == 'k')
        mult = 1ULL << 10;
    else if (*end == 'M' || *end == 'm')
        mult = 1ULL << 20;
    else if (*end == 'G' || *end == 'g')
        mult = 1ULL << 30;
    else if (*end != '\0')
        return -EINVAL;
    if (mult != 1 && end[1] != '\0')
        return -EINVAL;
    if (v > max / mult || v * mult < min)
        return -ERANGE;
    *out = (size_t)(v * mult);
    return 0;
}
