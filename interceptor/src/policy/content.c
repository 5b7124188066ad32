/*
 * content.c - the policy sections about content rather than calls: `spotlight:` (fencing
 * untrusted output), `schema:` (arguments against the tool's declared inputSchema) and
 * `pins:` (tool surface pinning). Included packs combine strictly: the strongest schema and
 * pin mode win, spotlighting stays on once a document turns it on (the including file's mode
 * decides which kind), tool lists join.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy/glob.h"
#include "policy/load_int.h"

static bool any_glob(const struct pattern *pats, size_t n, const char *s, size_t len)
{
    for (size_t k = 0; k < n; k++)
        if (glob_match(pats[k].text, pats[k].len, s, len))
            return true;
    return false;
}

int compile_spotlight(struct loader *L, const struct ynode *m, struct policy *p, bool top)
{
    static const char *const modes[] = {"", "off", "delimit", "datamark", "encode"};
    struct spotlight_policy *sp = &p->spotlight;
    const struct ynode *mode = m;
    int rc = 0;
    if (m->type == Y_MAP) {
        if ((rc = check_map(L, m, "spotlight")) < 0)
            return rc;
        mode = NULL;
        for (size_t i = 0; i < m->n; i += 2) {
            const struct ynode *k = m->items[i], *v = m->items[i + 1];
            if (strcmp(k->str, "mode") == 0)
                mode = v;
            else if (strcmp(k->str, "tools") == 0)
                rc = add_patterns(L, v, "tools", &sp->tools, &sp->ntools);
            else if (strcmp(k->str, "resources") == 0)
                rc = add_patterns(L, v, "resources", &sp->resources, &sp->nresources);
            else if (strcmp(k->str, "structured") == 0)
                return perr(L, k->line, k->col,
                            "'structured' is not a setting: structuredContent strings are always "
                            "fenced where the tool's outputSchema declares a plain string");
            else
                return perr(L, k->line, k->col,
                            "unknown key '%s' in spotlight (mode, tools, resources)",
                            k->str);
            if (rc < 0)
                return rc;
        }
        if (mode == NULL)
            return perr(L, m->line, m->col, "spotlight needs a 'mode' (delimit, datamark, encode, off)");
    }
    enum spot_mode got = SPOT_UNSET;
    for (int i = SPOT_OFF; i <= SPOT_ENCODE && mode->type == Y_SCALAR; i++)
        if (strcmp(mode->str, modes[i]) == 0)
            got = (enum spot_mode)i;
    if (got == SPOT_UNSET)
        return perr(L, mode->line, mode->col, "spotlight mode is delimit, datamark, encode or off");
    /* the including file chooses the kind; a pack can turn fencing on, never off */
    if (got == SPOT_OFF) {
        if (sp->mode == SPOT_UNSET)
            sp->mode = SPOT_OFF;
    } else if (top || sp->mode <= SPOT_OFF) {
        sp->mode = got;
    }
    return 0;
}

static int schema_mode_of(struct loader *L, const struct ynode *v, enum schema_mode *out)
{
    if (v->type == Y_SCALAR && strcmp(v->str, "enforce") == 0)
        *out = SCHEMA_ENFORCE;
    else if (v->type == Y_SCALAR && strcmp(v->str, "warn") == 0)
        *out = SCHEMA_WARN;
    else if (v->type == Y_SCALAR && strcmp(v->str, "off") == 0)
        *out = SCHEMA_OFF;
    else
        return perr(L, v->line, v->col, "schema mode is enforce, warn or off");
    return 0;
}

int compile_schema(struct loader *L, const struct ynode *m, struct policy *p)
{
    struct schema_policy *sc = &p->schema;
    enum schema_mode mode = SCHEMA_UNSET;
    int rc;
    if (m->type != Y_MAP) {
        if ((rc = schema_mode_of(L, m, &mode)) < 0)
            return rc;
    } else {
        if ((rc = check_map(L, m, "schema")) < 0)
            return rc;
        for (size_t i = 0; i < m->n; i += 2) {
            const struct ynode *k = m->items[i], *v = m->items[i + 1];
            if (strcmp(k->str, "mode") == 0)
                rc = schema_mode_of(L, v, &mode);
            else if (strcmp(k->str, "enforce") == 0)
                rc = add_patterns(L, v, "enforce", &sc->enforce, &sc->nenforce);
            else if (strcmp(k->str, "warn") == 0)
                rc = add_patterns(L, v, "warn", &sc->warn, &sc->nwarn);
            else if (strcmp(k->str, "off") == 0)
                rc = add_patterns(L, v, "off", &sc->off, &sc->noff);
            else
                return perr(L, k->line, k->col,
                            "unknown key '%s' in schema (mode, enforce, warn, off)", k->str);
            if (rc < 0)
                return rc;
        }
    }
    if (mode > sc->mode) /* strongest wins */
        sc->mode = mode;
    return 0;
}

int compile_pins(struct loader *L, const struct ynode *m, struct policy *p)
{
    enum pin_mode mode;
    const struct ynode *v = m;
    if (m->type == Y_MAP) {
        int rc = check_map(L, m, "pins");
        if (rc < 0)
            return rc;
        if (m->n != 2 || strcmp(m->items[0]->str, "mode") != 0)
            return perr(L, m->line, m->col, "pins is {mode: block|warn|off}");
        v = m->items[1];
    }
    if (v->type == Y_SCALAR && strcmp(v->str, "block") == 0)
        mode = PINS_BLOCK;
    else if (v->type == Y_SCALAR && strcmp(v->str, "warn") == 0)
        mode = PINS_WARN;
    else if (v->type == Y_SCALAR && strcmp(v->str, "off") == 0)
        mode = PINS_OFF;
    else
        return perr(L, v->line, v->col, "pins mode is block, warn or off");
    if (mode > p->pins)
        p->pins = mode;
    return 0;
}

enum schema_mode policy_schema_mode(const struct policy *p, const char *name, size_t len)
{
    const struct schema_policy *sc = &p->schema;
    if (any_glob(sc->enforce, sc->nenforce, name, len))
        return SCHEMA_ENFORCE;
    if (any_glob(sc->warn, sc->nwarn, name, len))
        return SCHEMA_WARN;
    if (any_glob(sc->off, sc->noff, name, len))
        return SCHEMA_OFF;
    return sc->mode == SCHEMA_UNSET ? SCHEMA_OFF : sc->mode;
}

bool policy_spotlights(const struct policy *p, unsigned method, const char *name, size_t len,
                       const char *uri, size_t uri_len)
{
    const struct spotlight_policy *sp = &p->spotlight;
    if (sp->mode <= SPOT_OFF)
        return false;
    if (method == PM_TOOLS_CALL)
        return sp->ntools == 0 || (name != NULL && any_glob(sp->tools, sp->ntools, name, len));
    if (method == PM_RESOURCES_READ)
        return sp->nresources == 0 ||
               (uri != NULL && any_glob(sp->resources, sp->nresources, uri, uri_len));
    return false;
}

static void free_pats(struct pattern *pats, size_t n)
{
    for (size_t k = 0; k < n; k++)
        free(pats[k].text);
    free(pats);
}

void content_cleanup(struct policy *p)
{
    free_pats(p->spotlight.tools, p->spotlight.ntools);
    free_pats(p->spotlight.resources, p->spotlight.nresources);
    free_pats(p->schema.enforce, p->schema.nenforce);
    free_pats(p->schema.warn, p->schema.nwarn);
    free_pats(p->schema.off, p->schema.noff);
}
