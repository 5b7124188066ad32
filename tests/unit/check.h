/*
 * check.h - assertion macros for unit tests. They print both operands, keep going
 * after a failure (so one run shows every broken case) and ignore NDEBUG.
 * A test program ends with `return check_done();`.
 */
#ifndef SENTINEL_TESTS_CHECK_H
#define SENTINEL_TESTS_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond)                                                                        \
    do {                                                                                   \
        check_count++;                                                                     \
        if (!(cond)) {                                                                     \
            check_failures++;                                                              \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);       \
        }                                                                                  \
    } while (0)

#define CHECK_INT(a, b)                                                                    \
    do {                                                                                   \
        long long va_ = (long long)(a), vb_ = (long long)(b);                              \
        check_count++;                                                                     \
        if (va_ != vb_) {                                                                  \
            check_failures++;                                                              \
            fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__, __LINE__,  \
                    #a, #b, va_, vb_);                                                     \
        }                                                                                  \
    } while (0)

#define CHECK_MEM(p, n, s)                                                                 \
    do {                                                                                   \
        const char *vp_ = (const char *)(p);                                               \
        size_t vn_ = (size_t)(n);                                                          \
        const char *vs_ = (s);                                                             \
        check_count++;                                                                     \
        if (vn_ != strlen(vs_) || memcmp(vp_, vs_, vn_) != 0) {                            \
            check_failures++;                                                              \
            fprintf(stderr, "%s:%d: %s == \"%s\" failed: got \"%.*s\"\n", __FILE__,        \
                    __LINE__, #p, vs_, (int)vn_, vp_);                                     \
        }                                                                                  \
    } while (0)

#define CHECK_STR(a, b) CHECK_MEM((a), strlen(a), (b))

static inline int check_done(void)
{
    if (check_failures) {
        fprintf(stderr, "%d of %d checks failed\n", check_failures, check_count);
        return 1;
    }
    printf("%d checks passed\n", check_count);
    return 0;
}

#endif
