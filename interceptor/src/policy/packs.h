/*
 * packs.h - the policy packs shipped in policies/, compiled into the binary (the table is
 * generated at build time by interceptor/cmake/packs.cmake), so `include: [crown-jewels]`
 * resolves the same way wherever sentinel runs.
 */
#ifndef SENTINEL_POLICY_PACKS_H
#define SENTINEL_POLICY_PACKS_H

#include <stddef.h>

struct policy_pack {
    const char *name; /* path below policies/ without .yaml: "crown-jewels", "archetypes/shell" */
    const char *text;
    size_t len;
};

/* Terminated by an entry whose name is NULL. */
extern const struct policy_pack sentinel_packs[];

const struct policy_pack *policy_pack_find(const char *name);

#endif
