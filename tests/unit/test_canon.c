/*
 * test_canon.c - canonical JSON: member order by UTF-16 units, escapes, ECMAScript number
 * formatting (RFC 8785 appendix B and a table produced with node's String(x)), the RFC's
 * own examples, equal values giving equal bytes, changes giving different bytes, shallow
 * documents, limits and hostile input.
 */
#include <errno.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mcp/canon.h"

static char out_text[1 << 16];

static const char *name_of(int rc)
{
    return rc == -ERANGE ? "ERANGE" : err_name(rc);
}

/* Canonical form of a NUL-terminated JSON text, or "ERR:<name>". */
static const char *canon(const char *json)
{
    struct buf b;
    struct diag d = {0};
    buf_init(&b, sizeof(out_text) - 1);
    int rc = canon_text(json, strlen(json), &b, &d);
    if (rc < 0)
        snprintf(out_text, sizeof(out_text), "ERR:%s", name_of(rc));
    else
        snprintf(out_text, sizeof(out_text), "%.*s", (int)b.len, b.data ? b.data : "");
    buf_cleanup(&b);
    return out_text;
}

static const char *num(const char *lit)
{
    struct buf b;
    buf_init(&b, 64);
    int rc = canon_number(lit, strlen(lit), &b);
    if (rc < 0)
        snprintf(out_text, sizeof(out_text), "ERR:%s", name_of(rc));
    else
        snprintf(out_text, sizeof(out_text), "%.*s", (int)b.len, b.data);
    buf_cleanup(&b);
    return out_text;
}

static const char *num_bits(uint64_t bits)
{
    double v;
    char lit[64];
    memcpy(&v, &bits, sizeof(v));
    snprintf(lit, sizeof(lit), "%.17g", v);
    return num(lit);
}

static void same(const char *a, const char *b)
{
    char ca[4096];
    snprintf(ca, sizeof(ca), "%s", canon(a));
    const char *cb = canon(b);
    if (strcmp(ca, cb) != 0 || strncmp(ca, "ERR:", 4) == 0)
        fprintf(stderr, "expected equal: %s | %s -> %s | %s\n", a, b, ca, cb);
    CHECK(strcmp(ca, cb) == 0 && strncmp(ca, "ERR:", 4) != 0);
}

static void differ(const char *a, const char *b)
{
    char ca[4096];
    snprintf(ca, sizeof(ca), "%s", canon(a));
    const char *cb = canon(b);
    if (strcmp(ca, cb) == 0)
        fprintf(stderr, "expected different: %s | %s -> %s\n", a, b, ca);
    CHECK(strcmp(ca, cb) != 0 && strncmp(ca, "ERR:", 4) != 0 && strncmp(cb, "ERR:", 4) != 0);
}

static void test_structure(void)
{
    CHECK_STR(canon(" { \"b\" : 1 , \"a\" : [ 1 , 2 , { } , [ ] ] } "),
              "{\"a\":[1,2,{},[]],\"b\":1}");
    CHECK_STR(canon("[null,true,false]"), "[null,true,false]");
    CHECK_STR(canon("\"x\""), "\"x\"");
    CHECK_STR(canon("{\"b\":[{\"z\":1,\"y\":2}],\"a\":{\"d\":null,\"c\":true}}"),
              "{\"a\":{\"c\":true,\"d\":null},\"b\":[{\"y\":2,\"z\":1}]}");
    /* prefixes sort first; order is by code units, not by length */
    CHECK_STR(canon("{\"ab\":1,\"a\":2,\"b\":3,\"B\":4,\"\":5}"),
              "{\"\":5,\"B\":4,\"a\":2,\"ab\":1,\"b\":3}");
    /* escaped names sort by their unescaped value */
    CHECK_STR(canon("{\"\\u0062\":1,\"a\":2}"), "{\"a\":2,\"b\":1}");
}

static void test_strings(void)
{
    CHECK_STR(canon("\"\\u0041\\/\\\"\\\\\""), "\"A/\\\"\\\\\"");
    CHECK_STR(canon("\"\\b\\f\\n\\r\\t\""), "\"\\b\\f\\n\\r\\t\"");
    CHECK_STR(canon("\"\\u0000\\u001F\\u0001\""), "\"\\u0000\\u001f\\u0001\"");
    CHECK_STR(canon("\"\\u007f\\u00e9\\u2028\""), "\"\x7f\xc3\xa9\xe2\x80\xa8\"");
    CHECK_STR(canon("\"\\ud83d\\ude00\""), "\"\xf0\x9f\x98\x80\"");
    CHECK_STR(canon("\"\xc3\xa9\""), "\"\xc3\xa9\"");
    CHECK_STR(canon("{\"\\n\":\"\\u000A\"}"), "{\"\\n\":\"\\n\"}");
    /* invalid input is refused, never "repaired" */
    CHECK_STR(canon("\"\\ud800\""), "ERR:SE_EUTF8");
    CHECK_STR(canon("\"\xc0\xaf\""), "ERR:SE_EUTF8");
    CHECK_STR(canon("{\"a\":1,\"\\u0061\":2}"), "ERR:SE_EDUPKEY");
    CHECK_STR(canon("{\"a\":1,}"), "ERR:SE_EPARSE");
    CHECK_STR(canon(""), "ERR:SE_EPARSE");
}

static void test_numbers(void)
{
    CHECK_STR(num("1"), "1");
    CHECK_STR(num("1.0"), "1");
    CHECK_STR(num("1e0"), "1");
    CHECK_STR(num("1E+0"), "1");
    CHECK_STR(num("10e-1"), "1");
    CHECK_STR(num("0.1e1"), "1");
    CHECK_STR(num("-0"), "0");
    CHECK_STR(num("-0.0"), "0");
    CHECK_STR(num("-0e5"), "0");
    CHECK_STR(num("0"), "0");
    CHECK_STR(num("-1"), "-1");
    CHECK_STR(num("0.1"), "0.1");
    CHECK_STR(num("4.50"), "4.5");
    CHECK_STR(num("2e-3"), "0.002");
    CHECK_STR(num("1E30"), "1e+30");
    CHECK_STR(num("0.000001"), "0.000001");
    CHECK_STR(num("1e-7"), "1e-7");
    CHECK_STR(num("1e20"), "100000000000000000000");
    CHECK_STR(num("1e21"), "1e+21");
    CHECK_STR(num("123456789012345"), "123456789012345");
    CHECK_STR(num("1234567890123456"), "1234567890123456");
    CHECK_STR(num("123456789012345678"), "123456789012345680");
    /* big integers are doubles, as to every JavaScript peer */
    CHECK_STR(num("9007199254740993"), "9007199254740992");
    CHECK_STR(num("9007199254740992"), "9007199254740992");
    CHECK_STR(num("-9007199254740993"), "-9007199254740992");
    CHECK_STR(num("100000000000000000000000000000"), "1e+29");
    CHECK_STR(num("0.000000000000000000000000001"), "1e-27");
    CHECK_STR(num("333333333.33333329"), "333333333.3333333");
    /* beyond the double range: refused; underflow is 0, as in JavaScript */
    CHECK_STR(num("1e400"), "ERR:ERANGE");
    CHECK_STR(num("-1e400"), "ERR:ERANGE");
    CHECK_STR(num("1e-400"), "0");
    CHECK_STR(canon("[1e999]"), "ERR:ERANGE");
    /* a very long literal */
    char lit[5000];
    memcpy(lit, "0.", 2);
    memset(lit + 2, '0', 4000);
    memcpy(lit + 4002, "15", 3);
    CHECK_STR(num(lit), "0"); /* 1.5e-4001 underflows to 0, as in JavaScript */
    memset(lit, '9', 400);
    lit[400] = '\0';
    CHECK_STR(num(lit), "ERR:ERANGE"); /* 10^400 - 1 */
    memcpy(lit, "0.", 2);
    memset(lit + 2, '0', 300);
    memcpy(lit + 302, "5", 2);
    CHECK_STR(num(lit), "5e-301");
    /* not numbers */
    CHECK_STR(num(""), "ERR:EINVAL");
    CHECK_STR(num("x"), "ERR:EINVAL");
}

/* RFC 8785 appendix B */
static void test_rfc_numbers(void)
{
    static const struct {
        uint64_t bits;
        const char *text;
    } v[] = {
        {0x0000000000000000ULL, "0"},
        {0x8000000000000000ULL, "0"},
        {0x0000000000000001ULL, "5e-324"},
        {0x8000000000000001ULL, "-5e-324"},
        {0x7fefffffffffffffULL, "1.7976931348623157e+308"},
        {0xffefffffffffffffULL, "-1.7976931348623157e+308"},
        {0x4340000000000000ULL, "9007199254740992"},
        {0xc340000000000000ULL, "-9007199254740992"},
        {0x4430000000000000ULL, "295147905179352830000"},
        {0x44b52d02c7e14af5ULL, "9.999999999999997e+22"},
        {0x44b52d02c7e14af6ULL, "1e+23"},
        {0x44b52d02c7e14af7ULL, "1.0000000000000001e+23"},
        {0x444b1ae4d6e2ef4eULL, "999999999999999700000"},
        {0x444b1ae4d6e2ef4fULL, "999999999999999900000"},
        {0x444b1ae4d6e2ef50ULL, "1e+21"},
        {0x3eb0c6f7a0b5ed8cULL, "9.999999999999997e-7"},
        {0x3eb0c6f7a0b5ed8dULL, "0.000001"},
        {0x41b3de4355555553ULL, "333333333.3333332"},
        {0x41b3de4355555554ULL, "333333333.33333325"},
        {0x41b3de4355555555ULL, "333333333.3333333"},
        {0x41b3de4355555556ULL, "333333333.3333334"},
        {0x41b3de4355555557ULL, "333333333.33333343"},
        {0xbecbf647612f3696ULL, "-0.0000033333333333333333"},
        {0x43143ff3c1cb0959ULL, "1424953923781206.2"},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        const char *got = num_bits(v[i].bits);
        if (strcmp(got, v[i].text) != 0)
            fprintf(stderr, "bits %016llx: got %s want %s\n", (unsigned long long)v[i].bits, got,
                    v[i].text);
        CHECK_STR(got, v[i].text);
    }
}

/* String(x) of node 20 for random doubles, exponents across the range, powers of two
 * (lopsided rounding intervals) and their predecessors */
static void test_node_numbers(void)
{
    static const struct {
        uint64_t bits;
        const char *text;
    } v[] = {
        {0x1c0d57f10c894254ULL, "1.4830122828920016e-173"},
        {0x43f04a6ece53d613ULL, "18781959765316678000"},
        {0xe2b8410510668fa6ULL, "-3.575532127436644e+167"},
        {0xd5f2e30a9e501b7dULL, "-1.0829258728928171e+106"},
        {0x535c8ea8a4e05948ULL, "3.7230187291668613e+93"},
        {0x8f7b1bac9609eaf7ULL, "-4.262874002980358e-234"},
        {0xcb3af636587957baULL, "-2.5824242072052563e+54"},
        {0x6438f14dfe833301ULL, "6.169062368256605e+174"},
        {0xd0af9825c659f77cULL, "-4.682717518917287e+80"},
        {0x302bd02b522a861bULL, "1.2009957333271821e-76"},
        {0xfd70522e931f790eULL, "-1.6677967842578716e+296"},
        {0xfba9a1630e23bac5ULL, "-4.878446657335358e+287"},
        {0x29616ccb5e0010f0ULL, "2.318589285015657e-109"},
        {0xd37bf421a1818b7fULL, "-1.4577297053362402e+94"},
        {0x7a5b1baa844c07a2ULL, "2.4603368763737895e+281"},
        {0x552e421879d836c9ULL, "2.1178316544328792e+102"},
        {0xa92e8eaf3493d9a4ULL, "-2.5412503051231247e-110"},
        {0x5fe48bdeead11f23ULL, "8.60880578948587e+153"},
        {0x618d3e487ffb5776ULL, "8.222691106237041e+161"},
        {0x5cd158ba16a76b0dULL, "1.29107691235244e+139"},
        {0x07727df42b81c598ULL, "8.54570675525937e-273"},
        {0x16e635e91fb5a507ULL, "2.3213088696070116e-198"},
        {0x38c4ac26c846fc8aULL, "3.1104470921459883e-35"},
        {0x8ade8c37577c5b91ULL, "-2.5430944865444634e-256"},
        {0xa7e5b8ad611588ccULL, "-1.722738704669676e-116"},
        {0x83785723e5c9c12bULL, "-6.097780315332402e-292"},
        {0xdab33022a4b9cadeULL, "-8.312822724526027e+128"},
        {0x41b96ab112ea4c55ULL, "426422546.91522723"},
        {0x4b0e14fa2fee1740ULL, "3.601597095685222e+53"},
        {0x7402f3fb0a0a578fULL, "6.784931974924426e+250"},
        {0xf33082c146e3d672ULL, "-7.215120195549942e+246"},
        {0x087799f31d30c159ULL, "7.14794175889519e-268"},
        {0x0c996e223db1a4f4ULL, "5.6829459783155954e-248"},
        {0xe7860860627a8c33ULL, "-4.908348627938077e+190"},
        {0xc360b934d02e7346ULL, "-37657888876108340"},
        {0x48a12d9e7a7f7e9dULL, "7.482161107104073e+41"},
        {0x7c5b2a840d01a5e8ULL, "1.0589678202639377e+291"},
        {0x36aed0278207c317ULL, "2.698647105952319e-45"},
        {0x2f32df6d0cf0355aULL, "2.487004346447123e-81"},
        {0x11aadb8d2d7a8821ULL, "1.4511783911351778e-223"},
        {0xd75f5767c6aece1cULL, "-7.537323673202209e+112"},
        {0x4a8fc827e2ada03bULL, "1.4863756283822065e+51"},
        {0x2a0254f4b8c0f0aeULL, "2.497802242622384e-106"},
        {0x0e3ac880e5fe21e5ULL, "4.0166704951275935e-240"},
        {0xcc8f347b2e2d1190ULL, "-6.2680636295350096e+60"},
        {0x52db68d069da079fULL, "1.3958498820165765e+91"},
        {0xda3685c1600db942ULL, "-3.811487003186698e+126"},
        {0x02e560ba1422cfe9ULL, "1.0460153613400835e-294"},
        {0x849d7a22f547a444ULL, "-1.9358371998957856e-286"},
        {0xba2202bd6b111d43ULL, "-1.1366351447045025e-28"},
        {0xeb7d555532ece316ULL, "-6.027238632455651e+209"},
        {0xc22299e52381562dULL, "-39945671104.66831"},
        {0x37774f28e314fa38ULL, "1.6723543490008127e-41"},
        {0x8f5f6fac8cd14527ULL, "-1.2358728798842298e-234"},
        {0x597820df5d32022aULL, "9.968892688048793e+122"},
        {0x0342921fe2b6b8b1ULL, "5.815469976147267e-293"},
        {0x7b3c5add822ac76cULL, "4.21642788634725e+285"},
        {0x350acc1833b7234bULL, "3.4972035583573107e-53"},
        {0x532b85a8b7c1ea7eULL, "4.485081553067219e+92"},
        {0xce2f82f15b283b75ULL, "-4.2477411636603242e+68"},
        {0x28a233c74a11ffe0ULL, "5.913123370859785e-113"},
        {0x201f621657e19bafULL, "5.85165628779005e-154"},
        {0xe9b5194fe726b012ULL, "-1.615014514429681e+201"},
        {0xdbdab32a9d076279ULL, "-3.0322654230317206e+134"},
        {0x8b3557b077fad794ULL, "-1.137128930106147e-254"},
        {0xb29fb30ce895d253ULL, "-7.525098736431211e-65"},
        {0x828b4a613b63a6e6ULL, "-2.0864429132840474e-296"},
        {0x92fe80074395f1bdULL, "-3.456086128287877e-217"},
        {0x192113900ab0c288ULL, "1.2264488850957287e-187"},
        {0xb510e5a822232b37ULL, "-4.410348039710868e-53"},
        {0xf8b096f3e50962faULL, "-2.243641892571957e+273"},
        {0x1ffcc8c8b5a9ed41ULL, "1.3417700686150025e-154"},
        {0xdc622fa995ce74bcULL, "-1.0574736719306435e+137"},
        {0x49242e7d7a074a5bULL, "2.250323833115041e+44"},
        {0x66a5e5675389b84eULL, "2.9772428268251304e+186"},
        {0xb17b50af66719905ULL, "-2.4735747140749734e-70"},
        {0xe69fb192e031e230ULL, "-2.1547136336756245e+186"},
        {0xd1c55e28055213bfULL, "-8.302111359536645e+85"},
        {0x9dfade60d0cbbae2ULL, "-2.9161406126280175e-164"},
        {0x2d37dde19a777909ULL, "7.322748579844029e-91"},
        {0x464aa1d581b03ee4ULL, "4.2200348511762445e+30"},
        {0x174205b17d49ab63ULL, "1.205484407881185e-196"},
        {0x6c93d002adffbeb6ULL, "1.0671785741280018e+215"},
        {0x9ab990bf74e6514dULL, "-6.161061688309075e-180"},
        {0xaeed00ddf409fed8ULL, "-1.1943728281977692e-82"},
        {0x1bbe6c05464e7547ULL, "4.8047374242587294e-175"},
        {0x830f964395b357caULL, "-6.1821878301584555e-294"},
        {0xd632c298510d25d1ULL, "-1.7210538992596628e+107"},
        {0xfaae2e18cb1ed60cULL, "-8.765286751978548e+282"},
        {0xb07853391cff156bULL, "-3.3612092694095636e-75"},
        {0xf76acc8dd7255a1eULL, "-1.7282453501858931e+267"},
        {0xf6a68cedac233a95ULL, "-3.550442059653537e+263"},
        {0x3bd21fc20861b880ULL, "1.5351671260934577e-20"},
        {0xe9a9a4e94d9c6fcfULL, "-9.814677307716685e+200"},
        {0xd60bc6a3bed9d9b2ULL, "-3.1852035453680368e+106"},
        {0x06b44fac234c1399ULL, "2.2916062981826227e-276"},
        {0xb15f4941bd8cda34ULL, "-7.08293547144917e-71"},
        {0x2ad607fc99ada873ULL, "2.459119303854843e-102"},
        {0xc9b76b6f506e2a86ULL, "-1.3370266429795474e+47"},
        {0xc3854d4349db74ddULL, "-191869629062093730"},
        {0x0000000000000000ULL, "0"},
        {0x00000000000000faULL, "1.235e-321"},
        {0x0000003a2df7e0c6ULL, "1.234567890124e-312"},
        {0x010b178b6060cddbULL, "1.2345678901234567e-303"},
        {0x02e93b3aa6890ee7ULL, "1.2345678901234568e-294"},
        {0x04c77fa039983129ULL, "1.2345678901234567e-285"},
        {0x06a5e27cf9749950ULL, "1.2345678901234566e-276"},
        {0x088461b9458a313fULL, "1.2345678901234567e-267"},
        {0x0a62fb62465b7d69ULL, "1.2345678901234567e-258"},
        {0x0c41ada766c3d1d3ULL, "1.2345678901234567e-249"},
        {0x0e2076d7f9a428faULL, "1.2345678901234568e-240"},
        {0x0ffeaac211db696eULL, "1.2345678901234567e-231"},
        {0x11dc8f969665c583ULL, "1.2345678901234567e-222"},
        {0x13ba99727a3301aaULL, "1.2345678901234568e-213"},
        {0x1598c5cab86e61f5ULL, "1.2345678901234566e-204"},
        {0x1777124102196206ULL, "1.2345678901234567e-195"},
        {0x19557ca0abf9a212ULL, "1.2345678901234568e-186"},
        {0x1b3402dbd28310e2ULL, "1.2345678901234566e-177"},
        {0x1d12a308b0092f5fULL, "1.2345678901234567e-168"},
        {0x1ef15b5f21c37962ULL, "1.2345678901234566e-159"},
        {0x20d02a36586db4d4ULL, "1.2345678901234568e-150"},
        {0x22ae1c05630ae391ULL, "1.2345678901234567e-141"},
        {0x248c0aa76cb55c98ULL, "1.2345678901234567e-132"},
        {0x266a1da47cb534dfULL, "1.2345678901234567e-123"},
        {0x2848527d64524a61ULL, "1.2345678901234567e-114"},
        {0x2a26a6deda910738ULL, "1.2345678901234567e-105"},
        {0x2c05189e786b017bULL, "1.2345678901234567e-96"},
        {0x2de3a5b7ea0892eaULL, "1.2345678901234566e-87"},
        {0x2fc24c4a515786bdULL, "1.2345678901234568e-78"},
        {0x31a10a95d69afb8eULL, "1.2345678901234566e-69"},
        {0x337fbdf2c798645cULL, "1.2345678901234568e-60"},
        {0x355d8fe10fb7092fULL, "1.2345678901234567e-51"},
        {0x373b8822fe28e67fULL, "1.2345678901234567e-42"},
        {0x3919a416bc2fb919ULL, "1.2345678901234567e-33"},
        {0x3af7e148ba18936fULL, "1.2345678901234567e-24"},
        {0x3cd63d70819bfe6bULL, "1.2345678901234568e-15"},
        {0x3eb4b66dc01ec6fbULL, "0.0000012345678901234567"},
        {0x40934a4584fd0fdfULL, "1234.5678901234567"},
        {0x4271f71fb04cb74fULL, "1234567890123.4568"},
        {0x4450bb448ec2f608ULL, "1.2345678901234568e+21"},
        {0x462f2a353f47450dULL, "1.2345678901234567e+30"},
        {0x480d064903ae06dfULL, "1.2345678901234567e+39"},
        {0x49eb07fe0aebbcb3ULL, "1.2345678901234566e+48"},
        {0x4bc92cbebe956babULL, "1.2345678901234566e+57"},
        {0x4da77222f7e66055ULL, "1.2345678901234567e+66"},
        {0x4f85d5ece0eb4195ULL, "1.2345678901234567e+75"},
        {0x516456060c89bc72ULL, "1.2345678901234567e+84"},
        {0x5342f07cc1a03cb9ULL, "1.2345678901234567e+93"},
        {0x5521a38175bb64aeULL, "1.2345678901234566e+102"},
        {0x57006d64741ca753ULL, "1.2345678901234568e+111"},
        {0x58de99275c0dbb5aULL, "1.2345678901234567e+120"},
        {0x5abc7f3162f6644dULL, "1.2345678901234566e+129"},
        {0x5c9a8a2d878525b2ULL, "1.2345678901234566e+138"},
        {0x5e78b7923a9c8adfULL, "1.2345678901234566e+147"},
        {0x60570502894ae1b2ULL, "1.2345678901234567e+156"},
        {0x6235704b0c7b6594ULL, "1.2345678901234568e+165"},
        {0x6413f75f0e84a9f6ULL, "1.2345678901234567e+174"},
        {0x65f29855e2e141bbULL, "1.2345678901234568e+183"},
        {0x67d151686ca0aab5ULL, "1.2345678901234567e+192"},
        {0x69b020eed05b16d5ULL, "1.2345678901234567e+201"},
        {0x6b8e0abc9d562bb5ULL, "1.2345678901234567e+210"},
        {0x6d6bfa8e88c9583cULL, "1.2345678901234567e+219"},
        {0x6f4a0ea69be4a18fULL, "1.2345678901234566e+228"},
        {0x7128448716dbbf1fULL, "1.2345678901234568e+237"},
        {0x730699de066bf51aULL, "1.2345678901234568e+246"},
        {0x74e50c8241cfbdfeULL, "1.2345678901234567e+255"},
        {0x76c39a709d94febfULL, "1.2345678901234567e+264"},
        {0x78a241c94fb3fabbULL, "1.2345678901234566e+273"},
        {0x7a8100cd818517c8ULL, "1.2345678901234567e+282"},
        {0x7c5fabba18ddf5f4ULL, "1.2345678901234567e+291"},
        {0x7e3d7ee8bcbbd351ULL, "1.2345678901234567e+300"},
        {0x0000000000000001ULL, "5e-324"},
        {0x0000000020000000ULL, "2.65249474e-315"},
        {0x0070000000000000ULL, "1.424047269444609e-306"},
        {0x0240000000000000ULL, "7.645295562778369e-298"},
        {0x0410000000000000ULL, "4.1045368012983762e-289"},
        {0x05e0000000000000ULL, "2.203606415850622e-280"},
        {0x07b0000000000000ULL, "1.1830521861667747e-271"},
        {0x0980000000000000ULL, "6.351463061309501e-263"},
        {0x0b50000000000000ULL, "3.409915766259544e-254"},
        {0x0d20000000000000ULL, "1.8306845872749401e-245"},
        {0x0ef0000000000000ULL, "9.828413039546407e-237"},
        {0x10c0000000000000ULL, "5.276589072053972e-228"},
        {0x1290000000000000ULL, "2.8328471873628494e-219"},
        {0x1460000000000000ULL, "1.520873253036128e-210"},
        {0x1630000000000000ULL, "8.165126103939127e-202"},
        {0x1800000000000000ULL, "4.383618698016806e-193"},
        {0x19d0000000000000ULL, "2.3534373682645353e-184"},
        {0x1ba0000000000000ULL, "1.263492066235061e-175"},
        {0x1d70000000000000ULL, "6.783321379043816e-167"},
        {0x1f40000000000000ULL, "3.641767935156351e-158"},
        {0x2110000000000000ULL, "1.955159272639747e-149"},
        {0x22e0000000000000ULL, "1.0496681418073576e-140"},
        {0x24b0000000000000ULL, "5.635362925894614e-132"},
        {0x2680000000000000ULL, "3.02546243347603e-123"},
        {0x2850000000000000ULL, "1.6242827758820155e-114"},
        {0x2a20000000000000ULL, "8.720301752336693e-106"},
        {0x2bf0000000000000ULL, "4.6816763546921983e-97"},
        {0x2dc0000000000000ULL, "2.513455854232436e-88"},
        {0x2f90000000000000ULL, "1.349401336733507e-79"},
        {0x3160000000000000ULL, "7.24454326306137e-71"},
        {0x3330000000000000ULL, "3.8893845486632136e-62"},
        {0x3500000000000000ULL, "2.088097429759528e-53"},
        {0x36d0000000000000ULL, "1.1210387714598537e-44"},
        {0x38a0000000000000ULL, "6.018531076210112e-36"},
        {0x3a70000000000000ULL, "3.2311742677852644e-27"},
        {0x3c40000000000000ULL, "1.734723475976807e-18"},
        {0x3e10000000000000ULL, "9.313225746154785e-10"},
        {0x3fe0000000000000ULL, "0.5"},
        {0x41b0000000000000ULL, "268435456"},
        {0x4380000000000000ULL, "144115188075855870"},
        {0x4550000000000000ULL, "7.737125245533627e+25"},
        {0x4720000000000000ULL, "4.153837486827862e+34"},
        {0x48f0000000000000ULL, "2.2300745198530623e+43"},
        {0x4ac0000000000000ULL, "1.1972621413014757e+52"},
        {0x4c90000000000000ULL, "6.427752177035961e+60"},
        {0x4e60000000000000ULL, "3.450873173395282e+69"},
        {0x5030000000000000ULL, "1.8526734277970591e+78"},
        {0x5200000000000000ULL, "9.946464728195733e+86"},
        {0x53d0000000000000ULL, "5.339967589802275e+95"},
        {0x55a0000000000000ULL, "2.8668732699875894e+104"},
        {0x5770000000000000ULL, "1.5391408670466593e+113"},
        {0x5940000000000000ULL, "8.263199609878108e+121"},
        {0x5b10000000000000ULL, "4.436271510593304e+130"},
        {0x5ce0000000000000ULL, "2.3817051317718447e+139"},
        {0x5eb0000000000000ULL, "1.2786682062094304e+148"},
        {0x6080000000000000ULL, "6.86479766013061e+156"},
        {0x6250000000000000ULL, "3.6855101804897865e+165"},
        {0x6420000000000000ULL, "1.9786432117848363e+174"},
        {0x65f0000000000000ULL, "1.0622759856335342e+183"},
        {0x67c0000000000000ULL, "5.703050772027744e+191"},
        {0x6990000000000000ULL, "3.061802069160839e+200"},
        {0x6b60000000000000ULL, "1.6437924692338667e+209"},
        {0x6d30000000000000ULL, "8.82504362096318e+217"},
        {0x6f00000000000000ULL, "4.737909217226285e+226"},
        {0x70d0000000000000ULL, "2.5436456424254815e+235"},
        {0x72a0000000000000ULL, "1.3656093558537942e+244"},
        {0x7470000000000000ULL, "7.33155940312959e+252"},
        {0x7640000000000000ULL, "3.936100983140359e+261"},
        {0x7810000000000000ULL, "2.113178124542661e+270"},
        {0x79e0000000000000ULL, "1.134503866941668e+279"},
        {0x7bb0000000000000ULL, "6.090821257125e+287"},
        {0x7d80000000000000ULL, "3.269984763141685e+296"},
        {0x7f50000000000000ULL, "1.7555597020139804e+305"},
        {0x0010000000000000ULL, "2.2250738585072014e-308"},
        {0x061fffffffffffffULL, "3.525770265360995e-279"},
        {0x0c2fffffffffffffULL, "5.586805991439636e-250"},
        {0x123fffffffffffffULL, "8.852647460508904e-221"},
        {0x184fffffffffffffULL, "1.4027579833653778e-191"},
        {0x1e5fffffffffffffULL, "2.2227587494850772e-162"},
        {0x246fffffffffffffULL, "3.5221018286841334e-133"},
        {0x2a7fffffffffffffULL, "5.580993121495483e-104"},
        {0x308fffffffffffffULL, "8.84343660041671e-75"},
        {0x369fffffffffffffULL, "1.4012984643248169e-45"},
        {0x3cafffffffffffffULL, "2.2204460492503128e-16"},
        {0x42bfffffffffffffULL, "35184372088831.996"},
        {0x48cfffffffffffffULL, "5.575186299632655e+42"},
        {0x4edfffffffffffffULL, "8.834235323891921e+71"},
        {0x54efffffffffffffULL, "1.3998404638611275e+101"},
        {0x5affffffffffffffULL, "2.2181357552966516e+130"},
        {0x610fffffffffffffULL, "3.5147764019868718e+159"},
        {0x671fffffffffffffULL, "5.569385519558343e+188"},
        {0x6d2fffffffffffffULL, "8.825043620963179e+217"},
        {0x733fffffffffffffULL, "1.398383980394285e+247"},
        {0x794fffffffffffffULL, "2.215827865120445e+276"},
        {0x7f5fffffffffffffULL, "3.5111194040279604e+305"},
        {0x444b1ae4d6e2ef50ULL, "1e+21"},
        {0x3e7ad7f29abcaf48ULL, "1e-7"},
        {0x3c36b082c2148b8eULL, "1.23e-18"},
        {0x3fb999999999999aULL, "0.1"},
        {0x3fd3333333333334ULL, "0.30000000000000004"},
        {0x3fd5555555555555ULL, "0.3333333333333333"},
        {0x3fe5555555555555ULL, "0.6666666666666666"},
        {0x4059000000000000ULL, "100"},
        {0x7e6ddd4baa009303ULL, "1e+301"},
        {0x4011666666666666ULL, "4.35"},
        {0x3eb4b3fd5942cd96ULL, "0.000001234"},
        {0x3ea0c6f7a0b5ed8dULL, "5e-7"},
        {0x4023e66666666666ULL, "9.95"},
        {0x3ff0147ae147ae14ULL, "1.005"},
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        const char *got = num_bits(v[i].bits);
        if (strcmp(got, v[i].text) != 0 && bad++ < 10)
            fprintf(stderr, "bits %016llx: got %s want %s\n", (unsigned long long)v[i].bits, got,
                    v[i].text);
    }
    CHECK_INT(bad, 0);
}

/* Random doubles: the output reads back as the same double and is a fixed point. */
static void test_number_roundtrip(void)
{
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    int bad = 0;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double v;
        memcpy(&v, &x, sizeof(v));
        if (v != v || v - v != 0) /* NaN or infinite */
            continue;
        char first[64], lit[64];
        snprintf(lit, sizeof(lit), "%.17g", v);
        snprintf(first, sizeof(first), "%s", num(lit));
        double back = strtod(first, NULL);
        const char *again = num(first);
        if ((back != v || strcmp(again, first) != 0) && bad++ < 5)
            fprintf(stderr, "%s -> %s -> %s\n", lit, first, again);
    }
    CHECK_INT(bad, 0);
}

static void test_rfc_examples(void)
{
    /* RFC 8785 section 3.2.2 */
    CHECK_STR(canon("{\n  \"numbers\": [333333333.33333329, 1E30, 4.50,\n"
                    "              2e-3, 0.000000000000000000000000001],\n"
                    "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
                    "  \"literals\": [null, true, false]\n}"),
              "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,"
              "1e-27],\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    /* RFC 8785 section 3.2.3: sorting by UTF-16 code units */
    CHECK_STR(canon("{\n  \"\\u20ac\": \"Euro Sign\",\n  \"\\r\": \"Carriage Return\",\n"
                    "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n  \"1\": \"One\",\n"
                    "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
                    "  \"\\u0080\": \"Control\",\n"
                    "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n}"),
              "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
              "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\",\"\xe2\x82\xac\":\"Euro "
              "Sign\",\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\",\"\xef\xac\xb3\":\"Hebrew "
              "Letter Dalet With Dagesh\"}");
}

static void test_utf16_order(void)
{
    /* U+FB33 sorts after U+1F600 by UTF-16 units (0xFB33 > 0xD83D), before it by code point */
    CHECK(canon_utf16_cmp("\xef\xac\xb3", 3, "\xf0\x9f\x98\x80", 4) > 0);
    CHECK(canon_utf16_cmp("\xf0\x9f\x98\x80", 4, "\xef\xac\xb3", 3) < 0);
    CHECK(canon_utf16_cmp("\xee\x80\x80", 3, "\xf0\x90\x80\x80", 4) > 0); /* U+E000 > U+10000 */
    CHECK(canon_utf16_cmp("\xf0\x90\x80\x80", 4, "\xf0\x90\x80\x81", 4) < 0);
    CHECK(canon_utf16_cmp("a", 1, "ab", 2) < 0);
    CHECK(canon_utf16_cmp("ab", 2, "ab", 2) == 0);
    CHECK(canon_utf16_cmp("", 0, "", 0) == 0);
    CHECK(canon_utf16_cmp("\x7f", 1, "\xc2\x80", 2) < 0);
}

static void test_equal_and_changed(void)
{
    same("{\"a\":1,\"b\":[1.0,\"x\"]}", "{ \"b\" : [ 1e0 , \"\\u0078\" ] , \"a\" : 10E-1 }");
    same("{\"description\":\"Read a file\",\"inputSchema\":{\"type\":\"object\","
         "\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}}",
         "{\"inputSchema\":{\"required\":[\"path\"],\"properties\":{\"path\":{\"type\":"
         "\"string\"}},\"type\":\"object\"},\"description\":\"Read a \\u0066ile\"}");
    same("[-0, 0.0, 0e10]", "[0,0,0]");
    same("\"\\u00e9\"", "\"\xc3\xa9\"");
    differ("{\"a\":1}", "{\"a\":2}");
    differ("{\"a\":1}", "{\"a\":\"1\"}");
    differ("{\"a\":1}", "{\"A\":1}");
    differ("{\"a\":1}", "{\"a\":1,\"b\":null}");
    differ("[1,2]", "[2,1]");
    differ("{\"d\":\"Read a file\"}", "{\"d\":\"Read a file \"}");
    differ("{\"d\":\"x\"}", "{\"d\":\"x\\u0000\"}");
    differ("{\"d\":\"e\xcc\x81\"}", "{\"d\":\"\xc3\xa9\"}"); /* no Unicode normalisation */
    differ("[true]", "[1]");
    differ("[null]", "[false]");
    differ("[{}]", "[[]]");
    differ("[0.1]", "[0.10000000000000002]");
}

static void test_shallow_doc(void)
{
    const char *t = "{\"tools\":[{\"name\":\"x\",\"inputSchema\":{\"b\":{\"d\":1,\"c\":2},"
                    "\"a\":[3,{\"f\":1,\"e\":0}]}}]}";
    struct json_doc doc;
    struct diag d = {0};
    json_doc_init(&doc, 0, 0);
    CHECK_INT(json_parse(&doc, t, strlen(t), 2, &d), 0);
    uint32_t tools = json_getz(&doc, 0, "tools");
    uint32_t tool = json_first(&doc, tools);
    CHECK(tool != 0);
    struct buf b;
    buf_init(&b, 4096);
    CHECK_INT(canon_node(&doc, tool, &b, &d), 0);
    CHECK_MEM(b.data, b.len,
              "{\"inputSchema\":{\"a\":[3,{\"e\":0,\"f\":1}],\"b\":{\"c\":2,\"d\":1}},"
              "\"name\":\"x\"}");
    char h1[CANON_SHA256_HEX], h2[CANON_SHA256_HEX];
    CHECK_INT(canon_hash_node(&doc, tool, 4096, h1, &d), 0);
    canon_sha256_hex(b.data, b.len, h2);
    CHECK_STR(h1, h2);
    /* the whole document again, fully indexed: the same bytes for the same node */
    json_doc_cleanup(&doc);
    json_doc_init(&doc, 0, 0);
    CHECK_INT(json_parse(&doc, t, strlen(t), 100, &d), 0);
    tool = json_first(&doc, json_getz(&doc, 0, "tools"));
    char h3[CANON_SHA256_HEX];
    CHECK_INT(canon_hash_node(&doc, tool, 4096, h3, &d), 0);
    CHECK_STR(h1, h3);
    /* over the size limit */
    CHECK_INT(canon_hash_node(&doc, tool, 10, h3, &d), -ENOBUFS);
    CHECK_INT(canon_node(&doc, 9999, &b, &d), -EINVAL);
    buf_cleanup(&b);
    json_doc_cleanup(&doc);
}

static void test_sha256(void)
{
    char h[CANON_SHA256_HEX];
    canon_sha256_hex("abc", 3, h);
    CHECK_STR(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    canon_sha256_hex("", 0, h);
    CHECK_STR(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_limits(void)
{
    /* depth: 128 levels pass, 129 are refused */
    static char deep[400];
    memset(deep, '[', 128);
    memset(deep + 128, ']', 128);
    deep[256] = '\0';
    CHECK(strncmp(canon(deep), "[[[[", 4) == 0);
    memset(deep, '[', 129);
    memset(deep + 129, ']', 129);
    deep[258] = '\0';
    CHECK_STR(canon(deep), "ERR:SE_EDEPTH");
    /* output bound */
    struct buf b;
    struct diag d = {0};
    buf_init(&b, 8);
    CHECK_INT(canon_text("[1,2,3,4,5,6]", 13, &b, &d), -ENOBUFS);
    buf_cleanup(&b);
    /* a wide object: 5000 members in reverse order come out sorted */
    size_t cap = 5000 * 16 + 16, n = 0;
    char *t = malloc(cap);
    t[n++] = '{';
    for (int i = 4999; i >= 0; i--)
        n += (size_t)snprintf(t + n, cap - n, "%s\"k%05d\":%d", i == 4999 ? "" : ",", i, i);
    t[n++] = '}';
    buf_init(&b, 1 << 20);
    CHECK_INT(canon_text(t, n, &b, &d), 0);
    CHECK(b.len > 20 && memcmp(b.data, "{\"k00000\":0,\"k00001\":1,", 23) == 0);
    buf_cleanup(&b);
    free(t);
    /* garbage never crashes */
    const char *junk[] = {
        "{",  "[",  "\"", "{\"a\"}", "[1,]",      "nul",        "-",    "01",
        "1.", ".5", "1e", "\"\\x\"", "\"\\u12\"", "{\"a\":1}x", "\x80", "[\"\xed\xa0\x80\"]"};
    for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
        CHECK(strncmp(canon(junk[i]), "ERR:", 4) == 0);
}

static void test_locale(void)
{
    /* a locale with a decimal comma must not change numbers */
    const char *locs[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "C.UTF-8"};
    for (size_t i = 0; i < sizeof(locs) / sizeof(locs[0]); i++) {
        if (setlocale(LC_ALL, locs[i]) == NULL)
            continue;
        CHECK_STR(num("0.5"), "0.5");
        CHECK_STR(num("1.25e-9"), "1.25e-9");
        CHECK_STR(num("333333333.33333329"), "333333333.3333333");
        break;
    }
    setlocale(LC_ALL, "C");
}

int main(void)
{
    test_structure();
    test_strings();
    test_numbers();
    test_rfc_numbers();
    test_node_numbers();
    test_number_roundtrip();
    test_rfc_examples();
    test_utf16_order();
    test_equal_and_changed();
    test_shallow_doc();
    test_sha256();
    test_limits();
    test_locale();
    return check_done();
}
