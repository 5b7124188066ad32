#!/usr/bin/env bash
# install-deps.sh - install what the build and the tests need, and nothing that is there.
# Debian packages with apt-get (the machines run as root), the pinned npm packages of the
# end-to-end tests with `npm ci` from tests/e2e/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(build-essential cmake pkg-config clang libclang-rt-dev libuv1-dev libyaml-dev libpcre2-dev libvectorscan-dev libsodium-dev python3 nodejs npm)

missing=()
for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs/npm may come from elsewhere than apt: accept working binaries
if command -v node >/dev/null 2>&1; then
    missing=("${missing[@]/nodejs/}")
fi
if command -v npm >/dev/null 2>&1; then
    missing=("${missing[@]/npm/}")
fi
if command -v python3 >/dev/null 2>&1; then
    missing=("${missing[@]/python3/}")
fi
want=()
for p in "${missing[@]}"; do [ -n "$p" ] && want+=("$p"); done
if [ ${#want[@]} -gt 0 ]; then
    echo "install-deps: installing ${want[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${want[@]}"
fi

# the official MCP client and servers, pinned by lockfiles
for dir in tests/e2e examples; do
    [ -f "$dir/package-lock.json" ] || continue
    stamp="$dir/node_modules/.sentinel-lock"
    if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
        echo "install-deps: npm ci in $dir"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
        cp "$dir/package-lock.json" "$stamp"
    fi
done
