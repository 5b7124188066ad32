#!/usr/bin/env bash
# audit.sh - what the audit log costs: the echo server reached directly, through the bare
# relay, and through sentinel without a log, with `--audit-fsync never` and `always`, with
# `always` plus Ed25519-signed checkpoints, and with `commit` (calls wait for their record);
# pipelined throughput and one-at-a-time latency, targets interleaved, median of rounds. Every log written is then checked with
# `sentinel verify` (a benchmark of a log that does not verify measures nothing).
#
# usage: bench/audit.sh [--smoke] [--rounds N] [--bin DIR] [--out FILE]
# environment: TP_CALLS (200000), TP_INFLIGHT (64), LAT_CALLS (20000), POLICY
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${BIN:-$ROOT/build/bin}
POLICY=${POLICY:-$ROOT/policies/allow-all.yaml}
ROUNDS=5 OUT="" SMOKE=0
while [ $# -gt 0 ]; do
    case "$1" in
    --smoke) SMOKE=1 ;;
    --rounds) ROUNDS=${2:?}; shift ;;
    --bin) BIN=${2:?}; shift ;;
    --out) OUT=${2:?}; shift ;;
    -h | --help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "audit.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
if [ "$SMOKE" = 1 ]; then
    ROUNDS=1
    : "${TP_CALLS:=3000}" "${TP_INFLIGHT:=16}" "${LAT_CALLS:=300}"
else
    : "${TP_CALLS:=200000}" "${TP_INFLIGHT:=64}" "${LAT_CALLS:=20000}"
fi
BIN=$(cd "$BIN" && pwd) || exit 2
for b in sentinel echo_server relay loadgen; do
    [ -x "$BIN/$b" ] || { echo "audit.sh: $BIN/$b is missing (build first)" >&2; exit 2; }
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sentinel-audit-bench.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
"$BIN/sentinel" keygen --scheme ed25519 --out "$WORK/audit.key" >/dev/null 2>&1 ||
    { echo "audit.sh: sentinel keygen failed" >&2; exit 1; }

TARGETS=(direct relay none never always signed commit)
declare -A CMD
CMD[direct]="$BIN/echo_server"
CMD[relay]="$BIN/relay --pipe-size 1048576 -- $BIN/echo_server"
S="$BIN/sentinel run --policy $POLICY"
CMD[none]="$S -- $BIN/echo_server"
CMD[never]="$S --audit $WORK/never.log --audit-fsync never -- $BIN/echo_server"
CMD[always]="$S --audit $WORK/always.log --audit-fsync always -- $BIN/echo_server"
CMD[signed]="$S --audit $WORK/signed.log --audit-fsync always --audit-key $WORK/audit.key -- $BIN/echo_server"
CMD[commit]="$S --audit $WORK/commit.log --audit-fsync commit -- $BIN/echo_server"

declare -A VAL
FAILED=0
run_one() { # MODE TARGET ARGS...
    local mode=$1 t=$2 json v f
    shift 2
    rm -f "$WORK/$t.log" "$WORK/$t.log".*
    # shellcheck disable=SC2086
    if ! json=$("$BIN/loadgen" --json --mode "$mode" "$@" --label "$t" -- ${CMD[$t]} 2>"$WORK/err" |
        grep '^{' | tail -n 1) || [ -z "$json" ]; then
        echo "audit.sh: FAIL: $mode on $t" >&2
        cat "$WORK/err" >&2
        FAILED=1
        return
    fi
    for f in rps p50_us p99_us cpu_us_per_call; do
        v=$(sed -n "s/.*\"$f\":\([-0-9.]*\).*/\1/p" <<<"$json")
        [ -n "$v" ] && VAL[$mode.$t.$f]+="$v "
    done
    if [ -f "$WORK/$t.log" ]; then
        local key=()
        [ "$t" = signed ] && key=(--key "$WORK/audit.key.pub")
        if ! "$BIN/sentinel" verify --strict "${key[@]}" "$WORK/$t.log" >"$WORK/verify" 2>&1; then
            echo "audit.sh: FAIL: the $t log does not verify:" >&2
            cat "$WORK/verify" >&2
            FAILED=1
        fi
        if [ "$mode" = throughput ]; then
            VAL[$mode.$t.records]+="$(wc -l <"$WORK/$t.log") "
            VAL[$mode.$t.bytes]+="$(stat -c %s "$WORK/$t.log") "
            v=$(grep '"event":"stop"' "$WORK/$t.log" | tail -n 1 |
                sed -n 's/.*"audit_syncs":\([0-9]*\).*/\1/p')
            [ -n "$v" ] && VAL[$mode.$t.syncs]+="$v "
        fi
    fi
    printf '  %-10s %-7s %s\n' "$mode" "$t" "$(sed -n 's/.*"rps":\([0-9.]*\).*/\1 req\/s/p' <<<"$json")$(sed -n 's/.*"p50_us":\([0-9.]*\).*"p99_us":\([0-9.]*\).*/p50 \1 us p99 \2 us/p' <<<"$json")" >&2
}

median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "-"}'; }

for ((r = 1; r <= ROUNDS; r++)); do
    for t in "${TARGETS[@]}"; do
        run_one throughput "$t" --calls "$TP_CALLS" --warmup $((TP_CALLS / 10)) --inflight "$TP_INFLIGHT"
        run_one latency "$t" --calls "$LAT_CALLS"
    done
done

{
    echo "| target | req/s (64 in flight) | vs no log | records/s | records/fsync | sentinel CPU µs/call | p50 µs | p99 µs |"
    echo "|---|---|---|---|---|---|---|---|"
    base=$(median "${VAL[throughput.none.rps]:-}")
    for t in "${TARGETS[@]}"; do
        rps=$(median "${VAL[throughput.$t.rps]:-}")
        ratio=$(awk -v a="$rps" -v b="$base" 'BEGIN { if (b > 0 && a != "-") printf "%.2f×", a / b; else print "-" }')
        recs=$(median "${VAL[throughput.$t.records]:-}")
        syncs=$(median "${VAL[throughput.$t.syncs]:-}")
        rs=$(awk -v r="$recs" -v c="$((TP_CALLS + TP_CALLS / 10))" -v q="$rps" 'BEGIN { if (r != "-" && c > 0) printf "%.0f", q * r / c; else print "-" }')
        per=$(awk -v r="$recs" -v s="$syncs" 'BEGIN { if (r != "-" && s != "-" && s > 0) printf "%.0f", r / s; else print "-" }')
        printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$t" "$rps" "$ratio" "$rs" "$per" \
            "$(median "${VAL[throughput.$t.cpu_us_per_call]:-}")" \
            "$(median "${VAL[latency.$t.p50_us]:-}")" "$(median "${VAL[latency.$t.p99_us]:-}")"
    done
    echo
    echo "Rounds: $ROUNDS; throughput: $TP_CALLS calls, $TP_INFLIGHT in flight; latency: $LAT_CALLS calls one at a time; policy $(basename "$POLICY"); $(nproc) CPUs; $(date -u '+%Y-%m-%d %H:%M UTC')."
} | tee "${OUT:-/dev/null}"
exit $FAILED
