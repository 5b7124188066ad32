/*
 * ctl_cli.h - `sentinel ctl`: a client of a running interceptor's control socket.
 *
 *   sentinel ctl --socket PATH [--session ID] [--json] [--timeout S]
 *                ping | status | invalidate (--request ID | --tool NAME | --server ID)
 *
 * Exit status: 0 a result, 1 an error reply, 64 usage, 69 cannot connect (or the connection
 * closed or timed out before the reply), 70 a reply that is not valid protocol.
 */
#ifndef SENTINEL_CONTROL_CTL_CLI_H
#define SENTINEL_CONTROL_CTL_CLI_H

/* argv[0] is the first argument after "ctl". Returns the exit status. */
int ctl_cli(int argc, char **argv);

#endif
