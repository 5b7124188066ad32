#!/usr/bin/env bash
# demo.sh - `make demo`: the scripted agent session of agent.mjs through sentinel.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec node "$here/agent.mjs" "$(realpath "${1:-$here/../build/bin/sentinel}")"
