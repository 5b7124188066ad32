/*
 * fuzz_verify.c - `sentinel verify` on hostile audit files. The input is split at the first
 * "\n--head--\n" into LOG and LOG.head (no marker: no head file). Invariants: audit_verify
 * returns a status it documents; a damaged log names a kind and says why; an intact log's
 * records all re-parse as chained lines; and it never reads past what it was given or leaks.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "audit/verify.h"
#include "fuzz.h"

static char dir[64];

static void cleanup(void)
{
    char p[128];
    snprintf(p, sizeof(p), "%s/a.log", dir);
    unlink(p);
    snprintf(p, sizeof(p), "%s/a.log.head", dir);
    unlink(p);
    rmdir(dir);
}

static void put(const char *name, const uint8_t *p, size_t n)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL);
    if (n > 0)
        FUZZ_CHECK(fwrite(p, 1, n, f) == n);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (dir[0] == '\0') {
        snprintf(dir, sizeof(dir), "/tmp/fuzz-verify.XXXXXX");
        FUZZ_CHECK(mkdtemp(dir) != NULL);
        atexit(cleanup);
    }
    static const char mark[] = "\n--head--\n";
    const uint8_t *head = NULL;
    size_t logn = size, headn = 0;
    const uint8_t *m = size >= sizeof(mark) - 1 ? memmem(data, size, mark, sizeof(mark) - 1) : NULL;
    if (m != NULL) {
        logn = (size_t)(m - data);
        head = m + sizeof(mark) - 1;
        headn = size - logn - (sizeof(mark) - 1);
    }
    char path[128], hp[128];
    snprintf(path, sizeof(path), "%s/a.log", dir);
    snprintf(hp, sizeof(hp), "%s/a.log.head", dir);
    put("a.log", data, logn);
    unlink(hp);
    if (head != NULL)
        put("a.log.head", head, headn);

    static struct verify_result r;
    int st = audit_verify(path, NULL, &r);
    FUZZ_CHECK(st == VERIFY_INTACT || st == VERIFY_DAMAGED || st == VERIFY_UNREADABLE);
    FUZZ_CHECK(st == r.status);
    if (st == VERIFY_DAMAGED) {
        FUZZ_CHECK(r.damage != NULL);
        FUZZ_CHECK(r.message[0] != '\0');
    } else if (st == VERIFY_INTACT) {
        FUZZ_CHECK(r.damage == NULL);
        FUZZ_CHECK(r.records == 0 || r.last_seq >= r.first_seq);
        /* every complete line of an intact log is a chained record (or a declared torn one) */
        const char *p = (const char *)data, *end = p + logn;
        uint64_t lines = 0;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            if (nl == NULL)
                break;
            lines++;
            p = nl + 1;
        }
        FUZZ_CHECK(r.records <= lines);
    }
    return 0;
}
