/*
 * fuzz.h - shared by the libFuzzer targets and the replay driver: the entry point every
 * target defines, and an invariant check that aborts (so libFuzzer records a crash)
 * whatever NDEBUG says.
 */
#ifndef SENTINEL_TESTS_FUZZ_H
#define SENTINEL_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#endif
