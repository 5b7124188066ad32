/*
 * hash.h - FNV-1a, the one string hash of the project's tables (pending requests, rule ids,
 * budget and rate keys). Not for anything an attacker must not predict: every table that
 * uses it is bounded, so a collision flood costs time, never memory.
 */
#ifndef SENTINEL_BASE_HASH_H
#define SENTINEL_BASE_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t hash_fnv1a64(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

#endif
