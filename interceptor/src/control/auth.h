/*
 * auth.h - who may use the control socket: the holder of this run's session id.
 *
 * Every control request carries a session id. It is accepted only when it verifies
 * (seal_sid_verify: MAC in constant time, key id, expiry) against the run's session keys
 * AND its nonce is the nonce of the run's own id: an authentic id minted for another run
 * with the same key file is "foreign". Each way of failing has its own reply code
 * (control/proto.h). Pure: no I/O.
 */
#ifndef SENTINEL_CONTROL_AUTH_H
#define SENTINEL_CONTROL_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "control/proto.h"
#include "seal/key.h"
#include "seal/sid.h"

struct ctl_auth {
    const struct seal_keyring *keys;     /* borrowed; must outlive the auth */
    unsigned char nonce[SEAL_SID_NONCE]; /* the nonce of this run's id */
};

/*
 * Remember which session is ours: own_sid must verify with keys at time `now`. 0, or a
 * negative code (-EINVAL, SEAL_E*) with the reason in err.
 */
int ctl_auth_init(struct ctl_auth *a, const struct seal_keyring *keys, const char *own_sid,
                  uint64_t now, char *err, size_t errlen);

/*
 * Check the session of a parsed request at time `now`: 0 when it is this run's own,
 * authentic, current id; otherwise CTL_E_SESSION_{MISSING, MALFORMED, FORGED, UNKNOWN_KEY,
 * EXPIRED, NOT_YET, FOREIGN} with a message for the reply in msg. The checks run in
 * seal_sid_verify's order (syntax, key, MAC, times), then the nonce comparison, which is
 * constant time too.
 */
int ctl_auth_check(const struct ctl_auth *a, const struct ctl_request *req, uint64_t now, char *msg,
                   size_t msglen);

#endif
