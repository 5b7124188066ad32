/*
 * labels.c - the process-wide table of label names (labels.h).
 */
#include "policy/labels.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char names[LABELS_MAX][LABEL_NAME_MAX + 1];
/* published count: names[0..count-1] are immutable once counted */
static _Atomic int count;

static bool valid(const char *name, size_t len)
{
    if (len == 0 || len > LABEL_NAME_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.' || c == ':'))
            return false;
    }
    return true;
}

int label_find(const char *name, size_t len)
{
    int n = count;
    for (int i = 0; i < n; i++)
        if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
            return i;
    return -1;
}

int label_intern(const char *name, size_t len)
{
    if (!valid(name, len))
        return -ENAMETOOLONG;
    int id = label_find(name, len);
    if (id >= 0)
        return id;
    pthread_mutex_lock(&lock);
    id = label_find(name, len); /* another thread may have added it */
    if (id < 0) {
        if (count >= LABELS_MAX) {
            id = -ENOSPC;
        } else {
            memcpy(names[count], name, len);
            names[count][len] = '\0';
            id = count;
            count = id + 1;
        }
    }
    pthread_mutex_unlock(&lock);
    return id;
}

const char *label_name(int id)
{
    return id >= 0 && id < count ? names[id] : NULL;
}

int labelset_parse(const char *list, struct labelset *s, size_t *bad)
{
    memset(s, 0, sizeof(*s));
    const char *p = list;
    while (*p != '\0') {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        int id = label_intern(p, n);
        if (id < 0) {
            *bad = (size_t)(p - list);
            return id;
        }
        labelset_add(s, id);
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}
