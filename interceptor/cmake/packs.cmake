# packs.cmake - compile every policies/**/*.yaml into one C table, so `include:` finds the
# shipped packs by name wherever the binary runs.
# Usage: cmake -DDIR=policies -DOUT=packs.c -P packs.cmake
file(GLOB_RECURSE files RELATIVE "${DIR}" "${DIR}/*.yaml")
list(SORT files)
set(body "/* generated from ${DIR}; do not edit */\n#include \"policy/packs.h\"\n\n")
set(table "")
set(n 0)
foreach(f ${files})
    string(REGEX REPLACE "\\.yaml$" "" name "${f}")
    file(READ "${DIR}/${f}" hex HEX)
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
    string(APPEND body "static const char pack${n}[] = {${bytes}0x00};\n")
    string(APPEND table "    {\"${name}\", pack${n}, sizeof(pack${n}) - 1},\n")
    math(EXPR n "${n} + 1")
endforeach()
string(APPEND body "\nconst struct policy_pack sentinel_packs[] = {\n${table}    {0, 0, 0},\n};\n")
file(WRITE "${OUT}" "${body}")
