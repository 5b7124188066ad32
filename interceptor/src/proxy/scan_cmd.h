/*
 * scan_cmd.h - `sentinel scan -- COMMAND`: list what an MCP server offers (tools, prompts,
 * resource templates) and report what looks hostile, without calling anything.
 */
#ifndef SENTINEL_PROXY_SCAN_CMD_H
#define SENTINEL_PROXY_SCAN_CMD_H

/*
 * argv[0..argc) are the arguments after "scan" (main.c passes argc - 2, argv + 2). Prints
 * the report on stdout and diagnostics on stderr. Returns the exit status: 0 nothing at or
 * above --min-score, 1 findings, 64 usage, 65 corrupt pin store, 69 the server could not
 * be started, 70 internal error, 74 I/O error, 75 the server misbehaved.
 */
int scan_cli(int argc, char **argv);

#endif
