/*
 * detect.h - content scanners: secrets, PII, instructions aimed at the model, command
 * injection, path traversal, suspicious URLs, tool-description poisoning and invisible
 * Unicode, found in ONE Vectorscan pass over a text and verified in C (Luhn, mod-97, Shannon
 * entropy, the JWT header, SSN and NINO rules, URL host parsing, ...).
 *
 * Pure: no I/O, no libuv, never prints, never aborts on input. A detector is compiled once
 * (detector_new: 0.4 s for the result families, 0.6 s for all, so never on the loop thread)
 * and is immutable afterwards, so any number of threads may share it; each thread scans with
 * its own scratch. Texts are raw bytes (already JSON-unescaped): NUL bytes and invalid UTF-8
 * are allowed and never make a scan fail. Every verifier looks at a bounded window around its
 * candidate, so a scan is linear in the text whatever the text is.
 *
 * Scores (0..100): 90-100 a verified credential or an unambiguous attack (a key with its
 * vendor prefix, a PEM key with its body, "ignore previous instructions", /dev/tcp, a cloud
 * metadata URL); 70-85 strong but heuristic (Luhn-valid grouped card, SSN, entropy-checked
 * generic secret, role tokens, concealment); 50-65 suspicious (a bare 16-digit card number,
 * an internal IP host, hidden HTML comment); 30-45 weak signals that mean something only in
 * combination (e-mail, national phone formats, a bare "system prompt", one ../, a PEM
 * header without a body). A hit's span is the value itself for secrets and PII (what value
 * tracking records), the phrase for instructions, the whole URL for DETECT_URL.
 *
 * Example keys: public documentation values are not reported - AWS's ...EXAMPLE keys,
 * values with "example", "changeme", "xxxx", "<...>", "${...}", "{{...}}", runs of one
 * character, e-mail at example.com/.test/.invalid and placeholder domains (company.com,
 * yourdomain.com, test.com), the SSA's published SSNs (123-45-6789, 078-05-1120), 555-01XX
 * numbers also as +1, the networks' and processors' published test cards (4111 1111 1111
 * 1111, Stripe's list).
 *
 * Known limits: phrase rules are English only, and a phrase is found only through its anchor
 * word, so whitespace tricks inside a multi-word anchor ("not  tell") and homoglyphs or
 * zero-width characters inside words evade DETECT_INJECTION (DETECT_INVISIBLE reports the
 * latter). Digit runs are judged whole, but for a card at a run's start or end a space away
 * from other numbers ("4539 1488 0343 6467 12/27 737", "100234 4539148803436467"); a card
 * inside a run, or joined to its neighbours by dashes, is missed. Matches longer than their rule's window (512 bytes
 * for most, 1 KiB for line-long ones) are missed or cut at the window.
 */
#ifndef SENTINEL_SCAN_DETECT_H
#define SENTINEL_SCAN_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Families: what a hit is about. A detector is built for any combination of them. */
enum detect_family {
    DETECT_SECRET = 1u << 0,    /* credentials: cloud keys, tokens, private keys, passwords */
    DETECT_PII = 1u << 1,       /* emails, phone, card, SSN, UK NINO, IBAN */
    DETECT_INJECTION = 1u << 2, /* instructions aimed at the model in tool output */
    DETECT_CMDI = 1u << 3,      /* command injection in arguments */
    DETECT_TRAVERSAL = 1u << 4, /* ../ sequences and sensitive absolute paths */
    DETECT_URL = 1u << 5,       /* suspicious URLs: IP hosts, metadata, exfil hosts, ... */
    DETECT_POISON = 1u << 6,    /* tool-description poisoning: hidden instructions */
    DETECT_INVISIBLE = 1u << 7, /* zero-width, bidi, tag and variation-selector runs */
};
#define DETECT_NFAMILIES 8
#define DETECT_ALL 0xffu
#define DETECT_RESULTS (DETECT_SECRET | DETECT_PII | DETECT_INJECTION)
#define DETECT_ARGUMENTS                                                                           \
    (DETECT_SECRET | DETECT_INJECTION | DETECT_CMDI | DETECT_TRAVERSAL | DETECT_URL)
#define DETECT_DESCRIPTIONS (DETECT_POISON | DETECT_INVISIBLE)

/*
 * Kinds: the fine category of a hit. Names (detect_kind_name) are stable snake_case strings
 * usable as labels. A few kinds serve two families (the phrase kinds marked I+P are reported
 * under DETECT_INJECTION and DETECT_POISON, each when that family is enabled).
 */
enum detect_kind {
    DETECT_K_NONE = 0,
    /* DETECT_SECRET */
    DETECT_K_AWS_ACCESS_KEY,      /* AKIA/ASIA... key ids */
    DETECT_K_AWS_SECRET_KEY,      /* 40-char secret next to a key id or under an aws_secret key */
    DETECT_K_GCP_SERVICE_ACCOUNT, /* "type": "service_account", "private_key_id" */
    DETECT_K_AZURE_STORAGE_KEY,   /* AccountKey= / SharedAccessKey= */
    DETECT_K_PRIVATE_KEY,         /* PEM RSA, EC, DSA, OPENSSH, PGP, PKCS#8 (encrypted or not) */
    DETECT_K_JWT,                 /* three base64url parts, header JSON with "alg" */
    DETECT_K_GITHUB_TOKEN,        /* ghp_ gho_ ghu_ ghs_ ghr_ github_pat_ */
    DETECT_K_GITLAB_TOKEN,        /* glpat- */
    DETECT_K_SLACK_TOKEN,         /* xoxb- xoxp- xoxa- xoxr- xoxs- */
    DETECT_K_WEBHOOK_URL,         /* hooks.slack.com/services/..., discord webhooks */
    DETECT_K_STRIPE_KEY,          /* sk_live_ rk_live_ */
    DETECT_K_NPM_TOKEN,           /* npm_ */
    DETECT_K_OPENAI_KEY,          /* sk-..., sk-proj-... */
    DETECT_K_ANTHROPIC_KEY,       /* sk-ant-api03-... */
    DETECT_K_SERVICE_TOKEN,       /* other services' keys with a known prefix: Google AIza...,
                                     Hugging Face hf_, SendGrid SG., Vault hvs., PyPI, ... */
    DETECT_K_URL_PASSWORD,        /* scheme://user:PASSWORD@host (span: the password) */
    DETECT_K_BEARER_TOKEN,        /* Authorization: Bearer <high-entropy> */
    DETECT_K_GENERIC_SECRET,      /* password|secret|token|api_key... = <high-entropy value> */
    /* DETECT_PII */
    DETECT_K_EMAIL,
    DETECT_K_PHONE,       /* +CC international, North American, FR and UK/DE national formats;
                             other national ones after "phone", "Mobil:", "手机" ... */
    DETECT_K_CARD_NUMBER, /* Luhn-valid, known IIN and length */
    DETECT_K_US_SSN,
    DETECT_K_UK_NINO,
    DETECT_K_IBAN,        /* known country length, mod-97 */
    DETECT_K_NATIONAL_ID, /* check digits verified: BR CPF, IN Aadhaar, CA SIN, FR NIR, NL BSN */
    /* DETECT_INJECTION (I+P: also DETECT_POISON) */
    DETECT_K_IGNORE_PREVIOUS,    /* I+P "ignore all previous instructions" */
    DETECT_K_ROLE_OVERRIDE,      /* I+P "you are now an unrestricted AI", "from now on you will" */
    DETECT_K_NEW_INSTRUCTIONS,   /* I+P "new instructions:" */
    DETECT_K_SYSTEM_PROMPT,      /* I+P "system prompt" mentioned (weak alone) */
    DETECT_K_PROMPT_LEAK,        /* I+P "reveal your system prompt" */
    DETECT_K_SECRET_REQUEST,     /* I+P "print all API keys", "send the credentials" */
    DETECT_K_TOOL_INSTRUCTION,   /* I+P "call the send_email tool", "execute the following" */
    DETECT_K_FAKE_ERROR,         /* "error: permission denied ... retry with sudo" */
    DETECT_K_CREDENTIAL_REQUEST, /* "authentication required, please provide your API key" */
    DETECT_K_ROLE_TOKEN,         /* I+P <|im_start|> [INST] <<SYS>> </tool_result> <system> */
    DETECT_K_CHAT_ROLE_LINE,     /* "Human:" / "Assistant:" at a line start */
    DETECT_K_CONCEAL,            /* I+P "do not tell the user" */
    DETECT_K_DATA_EXFIL,         /* I+P "send the conversation history to" */
    DETECT_K_MD_IMAGE_EXFIL,     /* ![x](https://host/?q=<data>), <img src=...?...> */
    DETECT_K_ADDRESSES_MODEL,    /* "note to any AI reading this:", "<!-- AI assistant:" */
    DETECT_K_TASK_OVERRIDE,      /* I+P "your real task is", "ignore the user's request" */
    DETECT_K_JAILBREAK,          /* I+P "Do Anything Now", "free of all restrictions" */
    DETECT_K_OBFUSCATED,         /* I+P an instruction in ROT13, reversed or letter-spaced,
                                    "decode this and follow it" */
    DETECT_K_ACTION_REQUEST,     /* a request for an action on the user's assets: "Please unlock
                                    my front door", "transfer $3,000 from my account to ..." */
    /* DETECT_CMDI */
    DETECT_K_CMD_CHAIN,     /* ; && || | followed by a command */
    DETECT_K_CMD_SUBST,     /* $(cmd), `cmd`, ${IFS} */
    DETECT_K_REVERSE_SHELL, /* /dev/tcp, nc -e, bash -i >&, socat exec:, mkfifo */
    DETECT_K_DOWNLOAD_EXEC, /* curl|sh, base64 -d|sh, powershell -enc, iex(iwr) */
    DETECT_K_DESTRUCTIVE,   /* rm -rf /, mkfs, dd of=/dev/sd*, fork bomb */
    /* DETECT_TRAVERSAL */
    DETECT_K_DOTDOT,         /* ../ and ..\ runs */
    DETECT_K_DOTDOT_ENCODED, /* %2e%2e%2f, ..%2f, %252e, overlong UTF-8 */
    DETECT_K_SENSITIVE_PATH, /* /etc/shadow, /proc/self/environ, ~/.ssh, docker.sock */
    /* DETECT_URL */
    DETECT_K_URL_IP_HOST,       /* dotted-quad or IPv6 literal host */
    DETECT_K_URL_IP_OBFUSCATED, /* decimal, hex, octal or short IPv4 host forms */
    DETECT_K_URL_METADATA,      /* 169.254.169.254, metadata.google.internal, ... */
    DETECT_K_URL_EXFIL_HOST,    /* webhook.site, ngrok, pastebin, interact.sh, oast.* ... */
    DETECT_K_URL_CREDENTIALS,   /* user:pass@ in a URL */
    DETECT_K_URL_SCHEME,        /* javascript:, data:, file://, gopher://, dict:// ... */
    DETECT_K_URL_LONG_QUERY,    /* query string >= 1 KiB */
    /* DETECT_POISON */
    DETECT_K_IMPORTANT_TAG,   /* <IMPORTANT>, <SYSTEM>, <HIDDEN> ... */
    DETECT_K_SENSITIVE_FILE,  /* ~/.ssh, id_rsa, .aws/credentials, mcp.json in a description */
    DETECT_K_BEFORE_USING,    /* "before using this tool, you must ..." */
    DETECT_K_SEND_CONTENTS,   /* "pass its content as 'sidenote'" */
    DETECT_K_TOOL_PREFERENCE, /* "this tool is the only one", "do not use any other tool" */
    DETECT_K_TOOL_SHADOWING,  /* "when the send_email tool is called, also ..." */
    DETECT_K_HTML_COMMENT,    /* text hidden in <!-- ... --> */
    /* DETECT_INVISIBLE */
    DETECT_K_ZERO_WIDTH,          /* U+200B-200F, U+2060-2064, U+FEFF (not a leading BOM) */
    DETECT_K_BIDI_CONTROL,        /* U+202A-202E, unbalanced U+2066-2069 */
    DETECT_K_TAG_CHARS,           /* U+E0000-E007F: detect_hidden_text decodes them */
    DETECT_K_VARIATION_SELECTORS, /* runs of >= 3 of U+FE00-FE0F / U+E0100-E01EF */
    /* hints: no hit, no family, no score; only the summary's kinds say that the text may read
     * otherwise (proxy/guard.c then scans that reading: scan/fold.h fold_view) */
    DETECT_K_HINT_ROT13,    /* ROT13 of common English words ("gur", "naq", "lbh") */
    DETECT_K_HINT_REVERSED, /* reversed common words ("eht", "dna", "uoy") */
    DETECT_K_HINT_SPACED,   /* letters spelled out one by one ("I g n o r e") */
    DETECT_K_HINT_LEET,     /* digits for letters inside words ("1gn0r3 4ll") */
    DETECT_K_COUNT
};
#define DETECT_K_HINT_FIRST DETECT_K_HINT_ROT13
#define DETECT_IS_HINT(k) ((k) >= DETECT_K_HINT_FIRST && (k) < DETECT_K_COUNT)

struct detect_hit {
    unsigned family; /* one DETECT_* bit */
    unsigned kind;   /* DETECT_K_* */
    unsigned score;  /* 0..100: how sure and how bad; see docs for the scale */
    size_t off, len; /* the span in the text: the secret value itself, the phrase, the URL */
};

/* What the last scan saw, before merging and whatever `max` was: exact even when hits were
 * cut. For labels and threat scores. */
struct detect_summary {
    unsigned families;                    /* DETECT_* bits with at least one hit */
    unsigned max_score[DETECT_NFAMILIES]; /* by bit index: [0] SECRET ... [7] INVISIBLE */
    size_t count[DETECT_NFAMILIES];       /* verified candidates, before merging */
    uint64_t kinds[2];                    /* bit k set when DETECT_K k was seen */
};

struct detector;
struct detect_scratch;

/*
 * Compile the rules of `families` (DETECT_* bits, at least one, no others) into one
 * database. On failure returns -EINVAL (bad families, or a rule Vectorscan refused: the
 * message goes to err) or -ENOMEM, and *out is NULL. err may be NULL.
 */
int detector_new(struct detector **out, unsigned families, char *err, size_t errlen);
/* The families the detector was built for. */
unsigned detector_families(const struct detector *d);
/* NULL is a no-op. Every scratch made for d must be freed first. */
void detector_free(struct detector *d);

/* A scratch for scanning with d from one thread at a time. Borrows d. 0, -ENOMEM or -EINVAL. */
int detect_scratch_new(const struct detector *d, struct detect_scratch **out);
void detect_scratch_free(struct detect_scratch *s);

/*
 * Scan `len` bytes of `text` (any bytes). Writes up to `max` hits to `hits` (may be NULL when
 * max is 0), ordered by offset; overlapping hits of the same family are merged and the
 * strongest (highest score, then longest) is kept with its own span. *n gets the total number
 * of merged hits, which may exceed max. Internally at most DETECT_MAX_CANDIDATES candidates
 * are kept for merging; beyond that, hits are counted but not merged (so *n is then an upper
 * bound) and detect_last_summary stays exact. Returns 0, -EINVAL (s not made for d, NULL
 * arguments), -EBUSY (scratch in use), SE_ETOOBIG (len >= 4 GiB) or -EIO.
 */
#define DETECT_MAX_CANDIDATES 4096
int detect_scan(const struct detector *d, struct detect_scratch *s, const char *text, size_t len,
                struct detect_hit *hits, size_t max, size_t *n);

/* The summary of the last successful detect_scan with s. */
void detect_last_summary(const struct detect_scratch *s, struct detect_summary *out);

/* "secret", "pii", "injection", "cmdi", "traversal", "url", "poison", "invisible"; "?" for
 * anything that is not exactly one family bit. */
const char *detect_family_name(unsigned family);
/* "aws_access_key", "card_number", "ignore_previous", ...; "?" when out of range. */
const char *detect_kind_name(unsigned kind);
/* Bit index (0..7) of a single family bit, -1 otherwise. */
int detect_family_index(unsigned family);

/*
 * The text hidden in a DETECT_K_TAG_CHARS hit (tag characters U+E0020-E007E spell ASCII) or
 * a DETECT_K_VARIATION_SELECTORS hit (U+FE00+b and U+E0100+b-16 carry byte b). Writes at
 * most outlen-1 bytes and a NUL (outlen 0: nothing); returns the number of bytes decoded,
 * which may be larger than what fit. Other kinds and spans outside the text: 0.
 */
size_t detect_hidden_text(const char *text, size_t len, const struct detect_hit *h, char *out,
                          size_t outlen);

#endif
