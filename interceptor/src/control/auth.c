/*
 * auth.c - checking the session id a control request presents (control/auth.h).
 *
 * The MAC check is seal's (constant time, a MAC computed even for an unknown key id); this
 * file maps its verdicts to reply codes and adds the one check seal cannot make: that the
 * id is this run's. It must never accept an id on any path but the last `return 0`.
 */
#include "control/auth.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int ctl_auth_init(struct ctl_auth *a, const struct seal_keyring *keys, const char *own_sid,
                  uint64_t now, char *err, size_t errlen)
{
    memset(a, 0, sizeof(*a));
    if (keys == NULL || keys->n == 0 || own_sid == NULL) {
        snprintf(err, errlen, "no session key or session id");
        return -EINVAL;
    }
    struct seal_sid_info info;
    char why[160] = "";
    int rc = seal_sid_verify(keys, own_sid, strlen(own_sid), now, &info, why, sizeof(why));
    if (rc < 0) {
        snprintf(err, errlen, "this run's session id does not verify: %s", why);
        return rc;
    }
    a->keys = keys;
    memcpy(a->nonce, info.nonce, sizeof(a->nonce));
    return 0;
}

/* All 16 bytes compared, no early exit. */
static int nonce_differs(const unsigned char *x, const unsigned char *y)
{
    volatile unsigned char d = 0;
    for (size_t i = 0; i < SEAL_SID_NONCE; i++)
        d |= (unsigned char)(x[i] ^ y[i]);
    return d != 0;
}

int ctl_auth_check(const struct ctl_auth *a, const struct ctl_request *req, uint64_t now, char *msg,
                   size_t msglen)
{
    if (req->session_state == CTL_SID_ABSENT) {
        snprintf(msg, msglen,
                 "no session id: every request carries \"session\", this run's session id "
                 "(sentinel run -v logs it; it is in every audit record and in the socket's "
                 ".session file)");
        return CTL_E_SESSION_MISSING;
    }
    if (req->session_state != CTL_SID_PRESENT) {
        snprintf(msg, msglen, "malformed session id: \"session\" must be a string");
        return CTL_E_SESSION_MALFORMED;
    }
    struct seal_sid_info info;
    char why[160] = "";
    int rc = seal_sid_verify(a->keys, req->session, req->session_len, now, &info, why, sizeof(why));
    switch (rc) {
    case 0:
        break;
    case SEAL_EMALFORMED:
    case SEAL_EVERSION:
        snprintf(msg, msglen, "malformed session id: %s", why);
        return CTL_E_SESSION_MALFORMED;
    case SEAL_EBADSIG:
        snprintf(msg, msglen, "forged session id: %s", why);
        return CTL_E_SESSION_FORGED;
    case SEAL_EUNKNOWNKID:
        snprintf(msg, msglen, "unknown session key: %s (not one of this run's --session-key)", why);
        return CTL_E_SESSION_UNKNOWN_KEY;
    case SEAL_EEXPIRED:
        snprintf(msg, msglen, "expired session id: %s", why);
        return CTL_E_SESSION_EXPIRED;
    case SEAL_ENOTYET:
        snprintf(msg, msglen, "session id not yet valid: %s", why);
        return CTL_E_SESSION_NOT_YET;
    default:
        snprintf(msg, msglen, "session id not checked: %s", why[0] ? why : "internal error");
        return CTL_E_INTERNAL;
    }
    if (nonce_differs(info.nonce, a->nonce)) {
        snprintf(msg, msglen,
                 "foreign session id: authentic, but minted for another session, not this run");
        return CTL_E_SESSION_FOREIGN;
    }
    return 0;
}
