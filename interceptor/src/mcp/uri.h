/*
 * uri.h - a resource URI as the policy reads it: one spelling for the many a server reads
 * as the same resource.
 *
 * A rule on the resources under `file:///private/` must not be dodged by `FILE:///private/x`,
 * `file:///%70rivate/x`, `file:///public/../private/x` or `file:////private/x`: the
 * TypeScript SDK's `new URL()` and the servers built on it read all of them as
 * file:///private/x. uri_canon rewrites a URI the way such a reader does, in this order:
 *
 * - C0 controls and spaces at both ends are removed, and tabs and line breaks anywhere
 *   (WHATWG URL);
 * - the scheme is lowercased; for the special schemes (file, http, https, ws, wss, ftp) a
 *   backslash in the authority or path is a '/' (WHATWG URL);
 * - %XX escapes of printable ASCII (and the space) are decoded, except those of '/', '?',
 *   '#', '%' and '\', which would change the URI's structure; every escape left has upper-case
 *   hex digits;
 * - the host (after "//" and any userinfo@, up to a port) is lowercased;
 * - in a path that starts with '/', repeated slashes become one and "." and ".." segments
 *   are resolved (RFC 3986, 5.2.4); ".." never climbs above the root.
 *
 * The query and fragment are left as they are, but for the escapes. Pure, libc only.
 */
#ifndef SENTINEL_MCP_URI_H
#define SENTINEL_MCP_URI_H

#include <stddef.h>

#include "base/buf.h"

/* How much longer than its input the canonical form may be (file:p is file:///p, an IPv4
 * address written in full): out needs room for n + URI_CANON_SLACK bytes. */
#define URI_CANON_SLACK 32

/* The canonical form of in[0..n) into out (reset first, not NUL-terminated; at most
 * n + URI_CANON_SLACK bytes). 0, or -ENOBUFS/-ENOMEM, or -EILSEQ: a special URL (file, http,
 * ...) whose host is not ASCII, which the caller must refuse (new URL() maps such hosts by
 * IDNA, which this does not repeat: write them in punycode). */
int uri_canon(const char *in, size_t n, struct buf *out);

#endif
