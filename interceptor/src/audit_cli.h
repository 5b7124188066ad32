/*
 * audit_cli.h - the command line around the audit log: `sentinel verify`, and loading the
 * key that signs a run's checkpoints.
 */
#ifndef SENTINEL_AUDIT_CLI_H
#define SENTINEL_AUDIT_CLI_H

struct seal_key;
struct seal_keyring;

/* `sentinel verify [--key FILE] [--strict] [--json] LOG`: 0 intact, 1 damaged, 64 usage,
 * 66 unreadable. */
int audit_cli_verify(int argc, char **argv);

/* Load the checkpoint signing key for `sentinel run --audit-key FILE` into kr and point
 * *signer at its active key. 0, or an exit status after saying why on stderr. */
int audit_cli_signer(const char *path, struct seal_keyring *kr, const struct seal_key **signer);

#endif
