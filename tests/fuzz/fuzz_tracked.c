/*
 * fuzz_tracked.c - the tracked-value matcher on hostile text and hostile values.
 *
 * Input: byte 0 picks the form and the base64 alignment, byte 1 the value's length (8..71),
 * byte 2 where the rest splits; then the value, then the text before and after it. The value
 * (and a decoy: the input's first 8..40 bytes after the header, when they differ) is tracked
 * with the label `secret`; the text is prefix + ' ' + FORM(value) + ' ' + suffix.
 *
 * Invariants:
 *   - found: the value is reported, in every tier (pending keys, then after a build);
 *   - tiers agree: the set of values found in the text, and in the bare fuzz input, is the
 *     same before and after the build (a value the pending keys see and the index does not,
 *     or the reverse, is a miss in one of them);
 *   - sound: every match is real: raw and json spans hold the value's bytes (or its escaping),
 *     hex spans its hex digits, url spans decode to it (or to its JSON escaping), base64 spans hold the characters its
 *     bits fix at the reported alignment;
 *   - deterministic: scanning again gives the same answer;
 *   - unwrapped: a value in base32, or in base64 of its hex, is found in unwrap's output;
 *   - compact: the compact view (tracked_compact, checked against an independent one) of a
 *     value spelled with separators between its characters and the other case finds it when
 *     its compact form is long enough; every match there is the compact form of a value.
 */
#include <errno.h>
#include <sodium.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_util.h"
#include "policy/labels.h"
#include "scan/tracked.h"
#include "scan/unwrap.h"

#define VMAX 72
#define TEXT_MAX (1u << 16)
#define CAP 8

static int sec_label;

static const char HEXL[] = "0123456789abcdef", HEXU[] = "0123456789ABCDEF";
static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

enum form {
    F_RAW,
    F_JSON,
    F_B64,
    F_B64URL,
    F_HEXL,
    F_HEXU,
    F_URL,
    F_FORM,
    F_REV,    /* code points reversed: found in the compact view */
    F_ROT13,  /* letters rotated: found in the compact view */
    F_SPACED, /* the value's letters and digits, case flipped, with separators between them:
                 found in the compact view (tracked_scan_compact) */
    F_HEXSP,  /* hex bytes with a space or a colon between them: found in the compact view */
    F_B32,    /* base32: found once unwrapped (scan/unwrap.h) */
    F_B64HEX, /* base64 of its hex: found once unwrapped */
    F_NFORMS
};

/* Independent of tracked_enc.c and fold.c on purpose (fuzz_util.h's strict UTF-8 decoder). */
static size_t reversed(const uint8_t *v, size_t n, uint8_t *o)
{
    for (size_t i = 0; i < n;) {
        size_t l = fz_utf8_len(v + i, n - i);
        l = l ? l : 1;
        memcpy(o + n - i - l, v + i, l);
        i += l;
    }
    return n;
}

static size_t rot13(const uint8_t *v, size_t n, uint8_t *o)
{
    static const char up[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", lo[] = "abcdefghijklmnopqrstuvwxyz";
    for (size_t i = 0; i < n; i++) {
        const char *a = v[i] >= 'A' && v[i] <= 'Z' ? up : v[i] >= 'a' && v[i] <= 'z' ? lo : NULL;
        o[i] = a ? (uint8_t)a[(v[i] - a[0] + 13) % 26] : v[i];
    }
    return n;
}

static bool alnum(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static size_t compact(const uint8_t *v, size_t n, uint8_t *o)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (alnum(v[i]) || v[i] >= 0x80)
            o[k++] = v[i] >= 'A' && v[i] <= 'Z' ? (uint8_t)(v[i] + 32) : v[i];
    return k;
}

static size_t base32(const uint8_t *v, size_t n, uint8_t *o)
{
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    size_t k = 0;
    unsigned bits = 0;
    uint32_t acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc = acc << 8 | v[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            o[k++] = (uint8_t)A[(acc >> bits) & 31];
        }
    }
    if (bits)
        o[k++] = (uint8_t)A[(acc << (5 - bits)) & 31];
    return k;
}

/* Valid UTF-8 (strict): reversing and dropping ASCII separators then commute. */
static bool utf8_ok(const uint8_t *v, size_t n)
{
    for (size_t i = 0, k; i < n; i += k)
        if ((k = fz_utf8_len(v + i, n - i)) == 0)
            return false;
    return true;
}

static bool digits_only(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

static size_t json_esc(const uint8_t *v, size_t n, uint8_t *o)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = v[i], e = 0;
        switch (c) {
        case '"':
            e = '"';
            break;
        case '\\':
            e = '\\';
            break;
        case '\b':
            e = 'b';
            break;
        case '\f':
            e = 'f';
            break;
        case '\n':
            e = 'n';
            break;
        case '\r':
            e = 'r';
            break;
        case '\t':
            e = 't';
            break;
        default:
            break;
        }
        if (e) {
            o[k++] = '\\';
            o[k++] = e;
        } else if (c < 0x20) {
            memcpy(o + k, "\\u00", 4);
            k += 4;
            o[k++] = (uint8_t)HEXL[c >> 4];
            o[k++] = (uint8_t)HEXL[c & 15];
        } else {
            o[k++] = c;
        }
    }
    return k;
}

static bool unreserved(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

/* Percent-encode everything but the unreserved characters; form: ' ' as '+'. */
static size_t url_enc(const uint8_t *v, size_t n, bool form, bool lower, uint8_t *o)
{
    const char *d = lower ? HEXL : HEXU;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (unreserved(v[i])) {
            o[k++] = v[i];
        } else if (form && v[i] == ' ') {
            o[k++] = '+';
        } else {
            o[k++] = '%';
            o[k++] = (uint8_t)d[v[i] >> 4];
            o[k++] = (uint8_t)d[v[i] & 15];
        }
    }
    return k;
}

/* Base64 of `pad` bytes, v, then `tail` bytes (fill bytes from `fill`), with padding. */
static size_t b64_stream(const uint8_t *v, size_t n, size_t pad, size_t tail, const uint8_t *fill,
                         bool url, uint8_t *o, size_t cap)
{
    uint8_t s[VMAX + 8];
    size_t sl = 0;
    for (size_t i = 0; i < pad; i++)
        s[sl++] = fill[i];
    memcpy(s + sl, v, n);
    sl += n;
    for (size_t i = 0; i < tail; i++)
        s[sl++] = fill[3 + i];
    int var = url ? sodium_base64_VARIANT_URLSAFE : sodium_base64_VARIANT_ORIGINAL;
    sodium_bin2base64((char *)o, cap, s, sl, var);
    return strlen((char *)o);
}

static uint8_t norm(uint8_t c)
{
    return c == '-' ? '+' : c == '_' ? '/' : c;
}

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The span of a url match decodes (%XX; '+' as ' ' for url-form) to exactly v. */
static bool url_decodes_to(const uint8_t *p, size_t n, bool form, const uint8_t *v, size_t vl)
{
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        uint8_t c;
        if (p[i] == '%' && i + 2 < n && hexval(p[i + 1]) >= 0 && hexval(p[i + 2]) >= 0) {
            c = (uint8_t)(hexval(p[i + 1]) << 4 | hexval(p[i + 2]));
            i += 3;
        } else {
            c = form && p[i] == '+' ? ' ' : p[i];
            i++;
        }
        if (k >= vl || c != v[k])
            return false;
    }
    return k == vl;
}

/* The base64 characters the bits of v fix when v starts at byte `a` of a stream. */
static size_t b64_core(const uint8_t *v, size_t n, unsigned a, uint8_t *o)
{
    size_t first = (8 * a + 5) / 6, end = (8 * a + 8 * n) / 6, k = 0;
    for (size_t j = first; j < end; j++) {
        unsigned x = 0;
        for (unsigned b = 0; b < 6; b++) {
            size_t bit = 6 * j + b - 8 * a; /* bit index inside v */
            x = x << 1 | ((v[bit / 8] >> (7 - bit % 8)) & 1u);
        }
        o[k++] = (uint8_t)B64[x];
    }
    return k;
}

static void sound(const uint8_t *text, size_t tl, const struct tracked_match *m, const uint8_t *v,
                  size_t vl)
{
    static uint8_t e[6 * VMAX + 16]; /* JSON escaping: at most 6 bytes each */
    FUZZ_CHECK(m->off <= tl && m->len <= tl - m->off && m->len >= 1);
    const uint8_t *p = text + m->off;
    switch (m->variant) {
    case TRACKED_RAW:
        FUZZ_CHECK(m->len == vl && memcmp(p, v, vl) == 0);
        break;
    case TRACKED_JSON: {
        size_t el = json_esc(v, vl, e);
        FUZZ_CHECK(m->len == el && memcmp(p, e, el) == 0);
        break;
    }
    case TRACKED_HEX:
        FUZZ_CHECK(m->len == 2 * vl);
        for (size_t i = 0; i < vl; i++)
            FUZZ_CHECK(hexval(p[2 * i]) >= 0 && hexval(p[2 * i + 1]) >= 0 &&
                       (hexval(p[2 * i]) << 4 | hexval(p[2 * i + 1])) == v[i]);
        break;
    case TRACKED_URL:
    case TRACKED_URL_FORM:
        /* the value, or its JSON escaping inside url-encoded JSON text */
        FUZZ_CHECK(url_decodes_to(p, m->len, m->variant == TRACKED_URL_FORM, v, vl) ||
                   url_decodes_to(p, m->len, m->variant == TRACKED_URL_FORM, e,
                                  json_esc(v, vl, e)));
        break;
    case TRACKED_BASE64:
    case TRACKED_BASE64URL: {
        FUZZ_CHECK(m->align < 3);
        size_t cl = b64_core(v, vl, m->align, e);
        size_t lead = m->align != 0, trail = (8 * (m->align + vl)) % 6 != 0;
        if (m->len == lead + cl + trail) { /* exact: lead, the fixed characters, trail */
            for (size_t i = 0; i < cl; i++)
                FUZZ_CHECK(norm(p[lead + i]) == e[i]);
        } else {
            FUZZ_CHECK(m->len > lead + cl + trail); /* a line-wrapped window holds more */
        }
        break;
    }
    default: /* the transformed forms are looked for in a compact view only */
        FUZZ_CHECK(!"unknown variant");
    }
}

/* The compact view: only a value's compact form, reversed or in ROT13, may be reported; digits
 * only when at least 10. */
static unsigned scan_compact(struct tracked *t, const uint8_t *text, size_t tl, uint32_t id,
                             uint32_t did, const uint8_t *v, size_t vl, const uint8_t *dv,
                             size_t dl)
{
    static uint8_t view[TEXT_MAX], ref[TEXT_MAX], e[VMAX], f[VMAX];
    size_t n = tracked_compact(text, tl, view);
    FUZZ_CHECK(n <= tl && n == compact(text, tl, ref) && memcmp(view, ref, n) == 0);
    struct tracked_match m[CAP];
    struct tracked_hits h = {.match = m, .cap = CAP};
    int rc = tracked_scan_compact(t, view, n, &h);
    FUZZ_CHECK(rc >= 0 && h.n == h.nvalues && h.nvalues <= 2);
    unsigned set = 0;
    for (size_t i = 0; i < h.n; i++) {
        FUZZ_CHECK(m[i].value.id == id || m[i].value.id == did);
        const uint8_t *w = m[i].value.id == id ? v : dv;
        size_t wl = m[i].value.id == id ? vl : dl, cl = compact(w, wl, e);
        set |= m[i].value.id == id ? 1 : 2;
        if (m[i].variant == TRACKED_HEX) { /* its hex digits, either case */
            FUZZ_CHECK(m[i].off <= n && m[i].len == 2 * wl && 2 * wl <= n - m[i].off);
            for (size_t j = 0; j < wl; j++) {
                int hi = hexval(view[m[i].off + 2 * j]), lo = hexval(view[m[i].off + 2 * j + 1]);
                FUZZ_CHECK(hi >= 0 && lo >= 0 && (hi << 4 | lo) == w[j]);
            }
            continue;
        }
        if (m[i].variant == TRACKED_REVERSED)
            reversed(e, cl, f);
        else if (m[i].variant == TRACKED_ROT13)
            rot13(e, cl, f);
        else
            FUZZ_CHECK(m[i].variant == TRACKED_COMPACT && memcpy(f, e, cl) != NULL);
        FUZZ_CHECK(m[i].off <= n && m[i].len == cl && cl >= 8 && cl <= n - m[i].off &&
                   memcmp(view + m[i].off, f, cl) == 0);
        FUZZ_CHECK(cl >= 9 || !digits_only(e, cl)); /* ENC_COMPACT_DIGITS_MIN: an SSN */
    }
    return set;
}

/* Scan; return the found set as a bitmask of the two ids (bit 0 value, bit 1 decoy). */
static unsigned scan(struct tracked *t, const uint8_t *text, size_t tl, uint32_t id, uint32_t did,
                     bool have_decoy, const uint8_t *v, size_t vl, const uint8_t *dv, size_t dl)
{
    struct tracked_match m[CAP];
    struct tracked_hits h = {.match = m, .cap = CAP};
    int rc = tracked_scan(t, text, tl, &h);
    FUZZ_CHECK(rc >= 0 && (size_t)rc == h.n && h.n <= h.nvalues && h.nvalues <= 2);
    FUZZ_CHECK(h.n == h.nvalues); /* CAP is larger than the values tracked */
    unsigned set = 0;
    for (size_t i = 0; i < h.n; i++) {
        FUZZ_CHECK(i == 0 || m[i - 1].off <= m[i].off);
        if (m[i].value.id == id) {
            FUZZ_CHECK(!(set & 1));
            set |= 1;
            sound(text, tl, &m[i], v, vl);
        } else {
            FUZZ_CHECK(have_decoy && m[i].value.id == did && !(set & 2));
            set |= 2;
            sound(text, tl, &m[i], dv, dl);
        }
    }
    FUZZ_CHECK(labelset_has(&h.labels, sec_label) == (set != 0));
    return set;
}

static void build(struct tracked *t)
{
    struct tracked_build *b = tracked_build_begin(t);
    if (b == NULL)
        return;
    tracked_build_run(b);
    FUZZ_CHECK(tracked_build_finish(t, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    static uint8_t text[TEXT_MAX], enc[6 * VMAX + 64];
    if (!init) {
        FUZZ_CHECK(sodium_init() >= 0);
        init = true;
    }
    if (size < 3 + 8 || size > TEXT_MAX / 2)
        return 0;
    unsigned form = data[0] % F_NFORMS, pad = (data[0] / F_NFORMS) % 3,
             tail = (data[0] / (3 * F_NFORMS)) % 3;
    size_t vl = 8 + data[1] % (VMAX - 8);
    const uint8_t *rest = data + 3;
    size_t rl = size - 3;
    if (rl < vl)
        return 0;
    const uint8_t *v = rest;
    const uint8_t *after = rest + vl;
    size_t al = rl - vl, split = al ? data[2] % (al + 1) : 0;

    /* the encoded form */
    size_t el = 0;
    switch (form) {
    case F_RAW:
        memcpy(enc, v, vl);
        el = vl;
        break;
    case F_JSON:
        el = json_esc(v, vl, enc);
        break;
    case F_B64:
    case F_B64URL: {
        uint8_t fill[8] = {0x5a, 0xa5, 0x3c, 0xc3, 0x99, 0x66, 0x0f, 0xf0};
        el = b64_stream(v, vl, pad, tail, fill, form == F_B64URL, enc, sizeof(enc));
        break;
    }
    case F_HEXL:
    case F_HEXU:
        for (size_t i = 0; i < vl; i++) {
            const char *d = form == F_HEXU ? HEXU : HEXL;
            enc[2 * i] = (uint8_t)d[v[i] >> 4];
            enc[2 * i + 1] = (uint8_t)d[v[i] & 15];
        }
        el = 2 * vl;
        break;
    case F_URL:
    case F_FORM:
        el = url_enc(v, vl, form == F_FORM, pad == 1, enc);
        break;
    case F_REV:
        el = reversed(v, vl, enc);
        break;
    case F_ROT13:
        el = rot13(v, vl, enc);
        break;
    case F_HEXSP:
        for (size_t i = 0; i < vl; i++) {
            const char *d = tail & 1 ? HEXU : HEXL;
            enc[el++] = (uint8_t)d[v[i] >> 4];
            enc[el++] = (uint8_t)d[v[i] & 15];
            if (i + 1 < vl)
                enc[el++] = pad == 1 ? ':' : ' ';
        }
        break;
    case F_B32:
        el = base32(v, vl, enc);
        break;
    case F_B64HEX: {
        uint8_t hx[2 * VMAX];
        for (size_t i = 0; i < vl; i++) {
            hx[2 * i] = (uint8_t)HEXL[v[i] >> 4];
            hx[2 * i + 1] = (uint8_t)HEXL[v[i] & 15];
        }
        sodium_bin2base64((char *)enc, sizeof(enc), hx, 2 * vl, sodium_base64_VARIANT_ORIGINAL);
        el = strlen((char *)enc);
        break;
    }
    case F_SPACED: {
        static const char seps[] = " -._";
        for (size_t i = 0; i < vl; i++) {
            uint8_t c = v[i];
            if (!alnum(c) && c < 0x80)
                c = (uint8_t)seps[i & 3]; /* the value's own punctuation: a separator too */
            else if (alnum(c) && c >= 'A' && (tail & 1))
                c ^= 0x20; /* the other case */
            enc[el++] = c;
            if (i + 1 < vl)
                enc[el++] = (uint8_t)seps[(pad + i) & 3];
        }
        break;
    }
    }
    size_t tl = 0;
    memcpy(text, after, split);
    tl += split;
    text[tl++] = ' ';
    memcpy(text + tl, enc, el);
    tl += el;
    text[tl++] = ' ';
    memcpy(text + tl, after + split, al - split);
    tl += al - split;

    struct tracked *t;
    struct tracked_config cfg;
    tracked_config_default(&cfg);
    cfg.max_values = 16; /* small tables: a fast target */
    cfg.pending_max = 16;
    cfg.max_bytes = 4096;
    FUZZ_CHECK(tracked_new(&cfg, &t) == 0);
    struct labelset ls = {0};
    sec_label = label_intern("secret", 6);
    FUZZ_CHECK(sec_label >= 0);
    labelset_add(&ls, sec_label);
    struct tracked_prov p = {
        .origin = TRACKED_FROM_RESULT, .tool = "read", .tool_len = 4, .seq = 1};
    uint32_t id = 0, did = UINT32_MAX;
    FUZZ_CHECK(tracked_add(t, v, vl, &ls, &p, 1, &id) == 0);
    /* a decoy: the bytes after the value, when long enough and different */
    size_t dl = al < 8 ? 0 : 8 + (size_t)data[2] % 33;
    if (dl > al)
        dl = al;
    bool have_decoy = false;
    if (dl >= 8) {
        int rc = tracked_add(t, after, dl, &ls, &p, 2, &did);
        FUZZ_CHECK(rc == 0 || rc == 1);
        have_decoy = rc == 0 && did != id;
    }

    unsigned s1 = scan(t, text, tl, id, did, have_decoy, v, vl, after, dl);
    unsigned c1 = scan_compact(t, text, tl, id, did, v, vl, after, dl);
    if (form == F_SPACED || form == F_REV || form == F_ROT13 || form == F_HEXSP) {
        uint8_t cv[VMAX];
        size_t cl = compact(v, vl, cv);
        /* reversing and dropping separators commute on valid UTF-8 only (a dropped '-'
         * between two stray bytes may join them into one character) */
        bool expect = cl >= 8 && (cl >= 9 || !digits_only(cv, cl)) &&
                      (form != F_REV || utf8_ok(v, vl));
        if (form == F_HEXSP)
            expect = true; /* 16 hex digits at least */
        /* a value with a control byte is binary: it has no compact forms */
        for (size_t i = 0; i < vl && expect; i++)
            expect = v[i] >= 0x20 && v[i] != 0x7f;
        FUZZ_CHECK(!expect || (c1 & 1));
    } else if (form == F_B32 || form == F_B64HEX) {
        /* unwrapped, then scanned: found unless the encoding is all hex digits (then it is
         * decoded as hex) */
        bool hexlike = true;
        for (size_t i = 0; i < el && hexlike; i++)
            hexlike = hexval(enc[i]) >= 0;
        struct buf u;
        buf_init(&u, (size_t)1 << 20);
        int n = unwrap((const char *)text, tl, UNWRAP_ALL, &u);
        FUZZ_CHECK(n >= 0 && u.len <= tl * 5 / 2 + 2);
        struct tracked_match um[CAP];
        struct tracked_hits uh = {.match = um, .cap = CAP};
        FUZZ_CHECK(tracked_scan(t, u.data, u.len, &uh) >= 0);
        bool found = false;
        for (size_t i = 0; i < uh.n; i++)
            found = found || um[i].value.id == id;
        FUZZ_CHECK(hexlike || found);
        buf_cleanup(&u);
    } else {
        FUZZ_CHECK(s1 & 1);
    }
    FUZZ_CHECK(scan(t, text, tl, id, did, have_decoy, v, vl, after, dl) == s1);
    unsigned r1 = scan(t, data, size, id, did, have_decoy, v, vl, after, dl);
    build(t);
    FUZZ_CHECK(scan(t, text, tl, id, did, have_decoy, v, vl, after, dl) == s1);
    FUZZ_CHECK(scan(t, data, size, id, did, have_decoy, v, vl, after, dl) == r1);
    FUZZ_CHECK(scan_compact(t, text, tl, id, did, v, vl, after, dl) == c1);
    tracked_free(t);
    return 0;
}
