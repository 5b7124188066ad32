/*
 * audit_cli.h - the command line around the audit log: `sentinel verify`, and loading the
 * key that signs a run's checkpoints.
 */
#ifndef SENTINEL_AUDIT_CLI_H
#define SENTINEL_AUDIT_CLI_H

#include <stddef.h>

struct seal_key;
struct seal_keyring;

/* `sentinel verify [--key FILE] [--strict] [--json] LOG`: 0 intact, 1 damaged, 64 usage,
 * 66 unreadable. */
int audit_cli_verify(int argc, char **argv);

/* Load the checkpoint signing key for `sentinel run --audit-key FILE` into kr and point
 * *signer at its active key. 0, or an exit status after saying why on stderr. */
int audit_cli_signer(const char *path, struct seal_keyring *kr, const struct seal_key **signer);

/*
 * A run refused before it began (its agent identity refused): one "refused" record with
 * `fields` (a JSON object body) appended to the audit log at `path`, continued as a run
 * would continue it (signed checkpoints with keys[0], if any) and synced before this
 * returns. 0, or negative after saying why on stderr.
 */
int audit_cli_refusal(const char *path, const struct seal_keyring *keys, const char *fields,
                      size_t len);

#endif
