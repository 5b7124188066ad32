/*
 * compat.c - the seed Sentinel's policy keys, translated into native rules and taint flows.
 * (Being written: until then every Sentinel key is refused.)
 */
#include <string.h>

#include "policy/load_int.h"

static const char *const keys[] = {"staticRules", "static_rules", "taintRules", "taint_rules",
                                   "resourceRules", "resource_rules", "toolClasses",
                                   "tool_classes", "protect_lethal_trifecta", NULL};

bool compat_key(const char *key)
{
    return in_list(keys, key);
}

int compat_translate(struct loader *L, const struct ynode *root, struct policy *p,
                     const char *prefix, bool has_default)
{
    (void)p;
    (void)prefix;
    (void)has_default;
    for (size_t i = 0; i < root->n; i += 2)
        if (compat_key(root->items[i]->str))
            return perr(L, root->items[i]->line, root->items[i]->col,
                        "'%s' is not supported by this version of sentinel",
                        root->items[i]->str);
    return 0;
}
