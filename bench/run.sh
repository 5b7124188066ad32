#!/usr/bin/env bash
# run.sh - the benchmark: the echo server reached directly, through a bare byte relay, and
# through sentinel, measured side by side in one run (targets interleaved, median of rounds),
# printed as a markdown table with the targets from docs/performance.md.
# It builds nothing and never hard-codes a figure: every number comes from loadgen in this run.
#
# usage: bench/run.sh [--smoke] [--long] [--require-sentinel] [--strict] [--splice]
#                     [--cpus LIST] [--wait-quiet S] [--rounds N] [--bin DIR] [--out FILE]
#                     [--only LIST] [--before DIR]
#   --smoke             tiny counts, correctness only (ctest); writes no file unless --out
#   --long              also 1M pipelined calls per target with RSS sampled every 100k
#   --require-sentinel  fail when sentinel is not built or cannot run
#   --strict            exit 1 when sentinel misses a target (default: report only)
#   --splice            add a column for the relay in splice(2) mode
#   --cpus LIST         run everything under `taskset -c LIST` (e.g. 0: one core for all)
#   --wait-quiet S      first wait up to S seconds for 3 quiet seconds (< 5% CPU busy)
#   --only LIST         run only these benches (comma-separated: latency, throughput, payload1,
#                       payload10, payload10p), e.g. --only payload10,payload10p for large results
#   --before DIR        add a column for DIR/sentinel (an older build) with the same arguments
# environment: BIN (default build/bin), POLICY (default policies/allow-all.yaml),
#   SENTINEL_ARGS (extra words after `sentinel run`), ROUNDS, LAT_CALLS, LAT_WARMUP, TP_CALLS,
#   TP_INFLIGHT, P1_REPS, P10_REPS, LONG_CALLS, RSS_TOLERANCE_KB, TIMEOUT (per loadgen, s),
#   RELAY_PIPE_SIZE (default 1048576, as sentinel sets on its pipes; 0 keeps the kernel's),
#   SENTINEL_FENCED (set: sentinel's results are spotlighted with delimit; loadgen checks the
#   text inside the fence, e.g. POLICY=bench/policies/guarded.yaml SENTINEL_FENCED=1)

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${BIN:-build/bin}
POLICY=${POLICY:-$ROOT/policies/allow-all.yaml}
SMOKE=0 LONG=0 REQUIRE_SENTINEL=0 STRICT=0 SPLICE=0 OUT="" CPUS="" WAIT_QUIET=0 ONLY="" BEFORE=""
ROUNDS_ARG=""

die() {
    echo "run.sh: $*" >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case "$1" in
    --smoke) SMOKE=1 ;;
    --long) LONG=1 ;;
    --require-sentinel) REQUIRE_SENTINEL=1 ;;
    --strict) STRICT=1 ;;
    --splice) SPLICE=1 ;;
    --cpus) CPUS=${2:?}; shift ;;
    --wait-quiet) WAIT_QUIET=${2:?}; shift ;;
    --rounds) ROUNDS_ARG=${2:?}; shift ;;
    --bin) BIN=${2:?}; shift ;;
    --out) OUT=${2:?}; shift ;;
    --only) ONLY=,${2:?},; shift ;;
    --before) BEFORE=${2:?}; shift ;;
    -h | --help) sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (try --help)" ;;
    esac
    shift
done

if [ "$SMOKE" = 1 ]; then
    : "${ROUNDS:=1}" "${LAT_CALLS:=300}" "${LAT_WARMUP:=50}" "${TP_CALLS:=3000}"
    : "${TP_INFLIGHT:=16}" "${P1_REPS:=3}" "${P10_REPS:=2}" "${LONG_CALLS:=5000}"
    : "${TIMEOUT:=60}"
    LONG=1 # exercises the RSS sampling path with a small count
else
    : "${ROUNDS:=5}" "${LAT_CALLS:=20000}" "${LAT_WARMUP:=2000}" "${TP_CALLS:=200000}"
    : "${TP_INFLIGHT:=64}" "${P1_REPS:=200}" "${P10_REPS:=30}" "${LONG_CALLS:=1000000}"
    : "${TIMEOUT:=600}"
    [ -z "$OUT" ] && OUT=$ROOT/bench/results/latest.md
fi
[ -n "$ROUNDS_ARG" ] && ROUNDS=$ROUNDS_ARG
: "${RSS_TOLERANCE_KB:=1024}" "${SENTINEL_ARGS:=}" "${RELAY_PIPE_SIZE:=1048576}"
RSS_EVERY=$((LONG_CALLS / 10))
PIN=""
if [ -n "$CPUS" ]; then
    command -v taskset >/dev/null || die "--cpus needs taskset (util-linux)"
    PIN="taskset -c $CPUS"
fi

BIN=$(cd "$BIN" 2>/dev/null && pwd) || die "no such bin dir (set BIN or --bin)"
for b in echo_server relay loadgen; do
    [ -x "$BIN/$b" ] || die "$BIN/$b is missing: build first (cmake --build build)"
done

# CPU time of the whole machine: "busy idle" in clock ticks
cpu_ticks() {
    awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6}' /proc/stat
}

POLICY=$(realpath -m "$POLICY")
[ -n "$OUT" ] && OUT=$(realpath -m "$OUT")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sentinel-bench.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$WORK"' EXIT
FAILED=0

# ---- targets ------------------------------------------------------------------------------

TARGETS=(direct relay)
SENTINEL_VERSION="" SENTINEL_BUILT=""
declare -A CMD STATUS
CMD[direct]="$BIN/echo_server"
RELAY="$BIN/relay --pipe-size $RELAY_PIPE_SIZE"
CMD[relay]="$RELAY -- $BIN/echo_server"
if [ "$SPLICE" = 1 ]; then
    TARGETS+=(splice)
    CMD[splice]="$RELAY --splice -- $BIN/echo_server"
fi
if [ ! -x "$BIN/sentinel" ]; then
    STATUS[sentinel]="not built"
elif [ ! -r "$POLICY" ]; then
    STATUS[sentinel]="policy $POLICY missing"
else
    CMD[sentinel]="$BIN/sentinel run $SENTINEL_ARGS --policy $POLICY -- $BIN/echo_server"
    SENTINEL_VERSION=$("$BIN/sentinel" version 2>/dev/null | head -n 1)
    SENTINEL_BUILT=$(date -u -r "$(realpath "$BIN/sentinel")" '+%Y-%m-%d %H:%M UTC')
    TARGETS+=(sentinel)
fi
if [ -n "${STATUS[sentinel]:-}" ]; then
    echo "sentinel: ${STATUS[sentinel]}" >&2
    [ "$REQUIRE_SENTINEL" = 1 ] && { echo "run.sh: FAIL: sentinel is required" >&2; exit 1; }
fi
ALL_COLS=(direct relay)
[ "$SPLICE" = 1 ] && ALL_COLS+=(splice)
if [ -n "$BEFORE" ]; then
    BEFORE=$(cd "$BEFORE" 2>/dev/null && pwd) || die "no such dir for --before"
    [ -x "$BEFORE/sentinel" ] || die "$BEFORE/sentinel is missing"
    CMD[before]="$BEFORE/sentinel run $SENTINEL_ARGS --policy $POLICY -- $BIN/echo_server"
    TARGETS+=(before)
    ALL_COLS+=(before)
fi
ALL_COLS+=(sentinel)

# ---- running loadgen ------------------------------------------------------------------------

declare -A VAL # VAL[bench.target.field] = "v1 v2 ..." (one per round)
RAW=$WORK/raw.jsonl
: >"$RAW"

# run_one BENCH TARGET LOADGEN-ARGS...: run, check, and record the JSON fields.
run_one() {
    local bench=$1 target=$2 out err json f v
    shift 2
    out=$WORK/$bench.$target.out
    err=$WORK/$bench.$target.err
    # shellcheck disable=SC2086 # CMD is a word list on purpose
    local fenced=""
    [ "$target" = sentinel ] || [ "$target" = before ] && [ -n "${SENTINEL_FENCED:-}" ] &&
        fenced=--fenced
    if ! $PIN "$BIN/loadgen" --json --timeout "$TIMEOUT" --label "$target" $fenced "$@" -- ${CMD[$target]} \
        >"$out" 2>"$err"; then
        echo "run.sh: FAIL: $bench on $target:" >&2
        sed 's/^/    /' "$err" "$out" >&2
        STATUS[$target]="failed ($bench)"
        FAILED=1
        return 1
    fi
    [ -s "$err" ] && sed "s/^/    [$target stderr] /" "$err" >&2
    if grep -qE 'runtime error:|AddressSanitizer|LeakSanitizer' "$err"; then
        echo "run.sh: FAIL: $bench on $target: sanitizer report (above)" >&2
        STATUS[$target]="failed ($bench)"
        FAILED=1
        return 1
    fi
    json=$(grep '^{' "$out" | tail -n 1)
    [ -n "$json" ] || { echo "run.sh: FAIL: no JSON from loadgen" >&2; FAILED=1; return 1; }
    printf '{"bench":"%s",%s\n' "$bench" "${json#\{}" >>"$RAW"
    for f in p50_us p99_us p999_us mean_us rps mb_s cpu_us_per_call rss_idle_kb rss_end_kb \
        rss_peak_kb; do
        v=$(sed -n "s/.*\"$f\":\([-0-9.]*\).*/\1/p" <<<"$json")
        [ -n "$v" ] && VAL[$bench.$target.$f]+="$v "
    done
    v=$(sed -n 's/.*"rss_samples_kb":\[\([-0-9,]*\)\].*/\1/p' <<<"$json")
    [ -n "$v" ] && VAL[$bench.$target.samples]=$v
    v=$(sed -n 's/.*"cpu_us_per_call":\([0-9.]*\).*/\1/p' <<<"$json")
    [ -n "$v" ] && VAL[$bench.$target.cpu_ms]+="$(awk -v v="$v" 'BEGIN {print v / 1000}') "
    printf '  %-9s %-9s %s\n' "$bench" "$target" "$(grep -v '^{' "$out" | grep -v '^rss calls' |
        head -n 1 | cut -d' ' -f2-)" >&2
    return 0
}

# run_bench BENCH LOADGEN-ARGS...: every live target, once per round, interleaved.
run_bench() {
    local bench=$1 r t
    shift
    [ -n "$ONLY" ] && [[ "$ONLY" != *",$bench,"* ]] && return 0
    for ((r = 1; r <= ROUNDS; r++)); do
        for t in "${TARGETS[@]}"; do
            [ -n "${STATUS[$t]:-}" ] && continue
            run_one "$bench" "$t" "$@"
        done
    done
}

cd "$WORK" || die "cannot enter $WORK" # whatever a target writes stays out of the tree
if [ "$WAIT_QUIET" -gt 0 ]; then
    waited=0 quiet=0
    while [ "$quiet" -lt 3 ] && [ "$waited" -lt "$WAIT_QUIET" ]; do
        t0=$(cpu_ticks)
        sleep 1
        t1=$(cpu_ticks)
        if awk -v a="$t0" -v b="$t1" 'BEGIN { split(a, x, " "); split(b, y, " ")
                busy = y[1] - x[1]; all = busy + y[2] - x[2]
                exit !(all > 0 && busy < 0.05 * all) }'; then
            quiet=$((quiet + 1))
        else
            quiet=0
        fi
        waited=$((waited + 1))
    done
    [ "$quiet" -ge 3 ] || echo "run.sh: the machine did not go quiet in ${WAIT_QUIET}s;" \
        "running anyway" >&2
fi
START=$(date +%s.%N)
TICKS0=$(cpu_ticks)
echo "bench: BIN=$BIN rounds=$ROUNDS targets: ${TARGETS[*]}" >&2
run_bench latency --mode latency --calls "$LAT_CALLS" --warmup "$LAT_WARMUP"
run_bench throughput --mode throughput --calls "$TP_CALLS" --inflight "$TP_INFLIGHT"
run_bench payload1 --mode payload --size 1048576 --calls "$P1_REPS"
run_bench payload10 --mode payload --size 10485760 --calls "$P10_REPS"
# the same with loadgen's own pipes at 1 MiB too: sentinel and the relay enlarge the pipes they
# share with the client, so this row compares all three with equal pipes
run_bench payload10p --mode payload --size 10485760 --calls "$P10_REPS" --pipe-size 1048576
if [ "$SMOKE" = 1 ]; then
    # correctness extras: string ids must come back as the same strings
    run_bench strids --mode latency --calls 100 --warmup 0 --string-ids
    run_bench strids_tp --mode throughput --calls 1000 --inflight 8 --string-ids
fi
if [ "$LONG" = 1 ]; then
    saved=$ROUNDS
    ROUNDS=1
    run_bench long --mode throughput --calls "$LONG_CALLS" --warmup 20000 --rss-every "$RSS_EVERY"
    ROUNDS=$saved
fi
# Other work on the machine skews every figure (2 cores: one busy core changes where the
# scheduler puts our processes). Busy time of the whole machine minus our children's CPU time.
END=$(date +%s.%N)
TICKS1=$(cpu_ticks)
times >"$WORK/times" # not in a pipeline: a subshell would report its own children
OURS=$(tail -n 1 "$WORK/times" | awk '{
    t = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); t += a[1] * 60 + a[2] } print t }')
read -r ELAPSED OTHER_PCT < <(awk -v s="$START" -v e="$END" -v t0="$TICKS0" -v t1="$TICKS1" \
    -v hz="$(getconf CLK_TCK)" -v ours="$OURS" -v ncpu="$(nproc)" 'BEGIN {
    split(t0, a, " "); split(t1, b, " "); el = e - s
    other = (b[1] - a[1]) / hz - ours; if (other < 0) other = 0
    printf "%.0f %.0f\n", el, 100 * other / (el * ncpu) }')

# ---- the table ----------------------------------------------------------------------------

# median of the recorded rounds, or empty
med() {
    local v=${VAL[$1]:-}
    [ -z "$v" ] && return
    tr ' ' '\n' <<<"$v" | grep -v '^$' | sort -g |
        awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}

# cell BENCH TARGET FIELD FORMAT [range]: the median, formatted, or why there is none
cell() {
    local m
    m=$(med "$1.$2.$3")
    if [ -z "$m" ]; then
        [ -n "${STATUS[$2]:-}" ] && echo "${STATUS[$2]}" || echo "-"
        return
    fi
    # with several rounds, show their range too: placement on 2 cores makes runs bimodal
    awk -v m="$m" -v f="$4" -v all="${VAL[$1.$2.$3]}" -v range="${5:-}" 'BEGIN {
        printf f, m
        n = split(all, v, " "); lo = hi = v[1]
        for (i = 2; i <= n; i++) { if (v[i] < lo) lo = v[i]; if (v[i] > hi) hi = v[i] }
        if (range && n > 1) printf " (" f "–" f ")", lo, hi }'
}

# vs BENCH TARGET FIELD delta|ratio|none: TARGET compared with direct
vs() {
    local a b
    if [ "$4" = none ]; then
        echo "-"
        return
    fi
    a=$(med "$1.$2.$3")
    b=$(med "$1.direct.$3")
    if [ -z "$a" ] || [ -z "$b" ]; then
        echo "-"
        return
    fi
    if [ "$4" = delta ]; then
        awk -v a="$a" -v b="$b" 'BEGIN {printf "%+.1f µs", a - b}'
    else
        awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f×", (b > 0 ? a / b : 0)}'
    fi
}

MISSED=0
# judge VAR EXPR-ON-a-AND-b BENCH FIELD: set VAR to PASS/FAIL for sentinel vs direct, "-" when
# unmeasured. Not run in a subshell, so that MISSED sticks.
judge() {
    local a b
    a=$(med "$3.sentinel.$4")
    b=$(med "$3.direct.$4")
    if [ "$SMOKE" = 1 ]; then
        printf -v "$1" '%s' "(smoke: not judged)"
    elif [ -z "$a" ] || [ -z "$b" ]; then
        printf -v "$1" '%s' "-"
    elif awk -v a="$a" -v b="$b" "BEGIN {exit !($2)}"; then
        printf -v "$1" '%s' "PASS"
    else
        printf -v "$1" '%s' "**FAIL**"
        MISSED=1
    fi
}

# rss_long TARGET: "idle → first sample → last sample"
rss_long() {
    local s=${VAL[long.$1.samples]:-}
    if [ -z "$s" ]; then
        [ -n "${STATUS[$1]:-}" ] && echo "${STATUS[$1]}" || echo "-"
        return
    fi
    awk -v idle="$(med "long.$1.rss_idle_kb")" -v s="$s" -v every="$RSS_EVERY" 'BEGIN {
        n = split(s, a, ",")
        printf "%s → %s (@%s) → %s (@%s)", idle, a[1], k(every), a[n], k(n * every) }
        function k(x) {
            return x >= 1e6 ? sprintf("%gM", x / 1e6) : x >= 1000 ? sprintf("%gk", x / 1000) : x }'
}

judge_rss() {
    local s=${VAL[long.sentinel.samples]:-}
    if [ -z "$s" ]; then
        V_RSS="-"
    elif [ "$SMOKE" = 1 ]; then
        V_RSS="(smoke: not judged)"
    elif awk -v s="$s" -v tol="$RSS_TOLERANCE_KB" 'BEGIN {
            n = split(s, a, ","); exit !(a[n] - a[1] <= tol) }'; then
        V_RSS="PASS"
    else
        V_RSS="**FAIL**"
        MISSED=1
    fi
}

judge V_P50 'a - b <= 15' latency p50_us
judge V_TP 'a >= 0.85 * b' throughput rps
judge V_P10 'a >= 0.75 * b' payload10 mb_s
judge_rss

row() { # row LABEL BENCH FIELD FORMAT DELTA-KIND TARGET-TEXT VERDICT [range]
    local line="| $1 " t
    for t in "${ALL_COLS[@]}"; do line+="| $(cell "$2" "$t" "$3" "$4" "${8:-}") "; done
    line+="| $(vs "$2" relay "$3" "$5") | $(vs "$2" sentinel "$3" "$5") | $6 | $7 |"
    echo "$line"
}

TABLE=$WORK/table.md
{
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
    rev=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo "no commit")
    echo "## sentinel benchmark ($([ "$SMOKE" = 1 ] && echo smoke || echo full) run)"
    echo
    echo "- when: $(date -u '+%Y-%m-%d %H:%M UTC'), took ${ELAPSED}s; source tree: $rev" \
        "(binaries may be older)"
    echo "- machine: $(nproc) cores, ${cpu:-unknown cpu}, Linux $(uname -r); CPU used by" \
        "other work during the run: ${OTHER_PCT}% of the machine"
    if [ "$OTHER_PCT" -gt 10 ]; then
        echo "- **warning: the machine was busy with other work; these figures are not comparable" \
            "with a quiet run (rerun when it is idle)**"
    fi
    splice_text=""
    [ "$SPLICE" = 1 ] && splice_text="; splice: \`relay --splice\` (same, with splice(2))"
    echo "- direct: \`echo_server\`; relay: \`relay -- echo_server\` (poll + read/write," \
        "256 KiB buffers, pipes set to $RELAY_PIPE_SIZE B like sentinel's)$splice_text;" \
        "sentinel: \`sentinel run ${SENTINEL_ARGS:+$SENTINEL_ARGS }--policy" \
        "${POLICY#"$ROOT"/} -- echo_server\`; binaries from $BIN${SENTINEL_VERSION:+ (sentinel:}" \
        "${SENTINEL_VERSION:+$SENTINEL_VERSION, built $SENTINEL_BUILT)}"
    echo "- each cell is the median of $ROUNDS round(s), (min–max) when there are several;" \
        "targets are interleaved within a round; ratios and verdicts use the medians." \
        "latency: $LAT_CALLS sequential echo calls (~100 B text) after $LAT_WARMUP warm-up;" \
        "throughput: $TP_CALLS calls with $TP_INFLIGHT in flight; payload: $P1_REPS × 1 MiB and" \
        "$P10_REPS × 10 MiB results, MB = 10^6 bytes of result text, timed from request to" \
        "full line. RSS is the spawned process's VmRSS (for sentinel: the interceptor itself)." \
        "${CPUS:+All processes pinned with taskset -c $CPUS.}"
    echo
    printf '| metric '
    for t in "${ALL_COLS[@]}"; do printf '| %s ' "$t"; done
    echo "| relay vs direct | sentinel vs direct | target | verdict |"
    printf '|---'
    for t in "${ALL_COLS[@]}"; do printf '|---:'; done
    echo "|---:|---:|---|---|"
    row "latency p50 (µs)" latency p50_us "%.1f" delta "≤ direct + 15 µs" \
        "$V_P50" range
    row "latency p99 (µs)" latency p99_us "%.1f" delta "" "" range
    row "latency p99.9 (µs)" latency p999_us "%.1f" delta "" "" range
    row "latency mean (µs)" latency mean_us "%.1f" delta "" "" range
    row "throughput (req/s, $TP_INFLIGHT in flight)" throughput rps "%.0f" ratio "≥ 0.85× direct" \
        "$V_TP" range
    row "1 MiB result (MB/s)" payload1 mb_s "%.0f" ratio "" "" range
    row "10 MiB result (MB/s)" payload10 mb_s "%.0f" ratio "≥ 0.75× direct" \
        "$V_P10" range
    row "10 MiB result, client pipes 1 MiB too (MB/s)" payload10p mb_s "%.0f" ratio \
        "(same pipes for all)" "" range
    row "CPU per call, $TP_INFLIGHT in flight (µs; the spawned process only)" throughput \
        cpu_us_per_call "%.2f" none "" "" range
    row "CPU per 10 MiB result, 1 MiB pipes (ms; spawned process only)" payload10p \
        cpu_ms "%.2f" none "" "" range
    row "RSS idle after init (kB)" latency rss_idle_kb "%.0f" ratio "" ""
    row "RSS after throughput run (kB)" throughput rss_end_kb "%.0f" ratio "" ""
    row "peak RSS, 10 MiB results (kB)" payload10 rss_peak_kb "%.0f" ratio "" ""
    if [ "$LONG" = 1 ]; then
        line="| RSS kB over $(awk -v x="$LONG_CALLS" 'BEGIN {
            if (x >= 1e6) print (x / 1e6) "M"; else if (x >= 1000) print (x / 1000) "k"
            else print x }') calls"
        line+=" (idle → first → last sample) "
        for t in "${ALL_COLS[@]}"; do line+="| $(rss_long "$t") "; done
        line+="| | | flat: last − first ≤ $RSS_TOLERANCE_KB kB | $V_RSS |"
        echo "$line"
    else
        line="| RSS over 1M calls "
        for t in "${ALL_COLS[@]}"; do line+="| run with \`--long\` "; done
        echo "$line| | | flat | - |"
    fi
    if [ "$FAILED" = 1 ]; then
        echo
        echo "**Some runs failed** (see stderr); their cells are empty or marked failed."
    fi
} >"$TABLE"

cat "$TABLE"
if [ -n "$OUT" ]; then
    mkdir -p "$(dirname "$OUT")"
    cp "$TABLE" "$OUT"
    cp "$RAW" "${OUT%.md}.jsonl"
    echo "wrote $OUT and ${OUT%.md}.jsonl" >&2
fi
[ "$FAILED" = 1 ] && exit 1
[ "$STRICT" = 1 ] && [ "$MISSED" = 1 ] && exit 1
exit 0
