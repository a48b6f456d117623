#!/usr/bin/env bash
# End-to-end timing of `quotactl simulate` on a large CSV trace, as a user would run it.
#   tests/bench/simulate_e2e.sh [BUILD_DIR] [ROWS] [BASELINE_QUOTACTL] [CANDIDATE_POLICY]
# Generates the trace once (cached under $TMPDIR), then runs simulate three times and prints
# wall time, CPU time and peak memory of each run. With BASELINE_QUOTACTL (another build, e.g.
# of an older commit) the two alternate run by run, so that both see the same machine load,
# and the medians are compared at the end. Without CANDIDATE_POLICY the default policy is
# simulated against itself (which one engine decides for both); with it, the default policy is
# the baseline and CANDIDATE_POLICY the candidate (two engines).
set -euo pipefail
build=${1:-build}
rows=${2:-10000000}
baseline=${3:-}
candidate=${4:-}
quotactl="$build/app/quotactl/quotactl"
tmp=${TMPDIR:-/tmp}
trace="$tmp/qc-bench-trace-$rows.csv"
# 10 M rows over 1 day ≈ 116 requests/s.
if [ ! -s "$trace" ]; then
    rate=$(( rows / 86400 + 1 ))
    echo "generating $rows rows → $trace"
    "$quotactl" trace generate --out "$trace" --seed 7 --start 2026-01-05T00:00:00Z --duration 1d \
        --rate "$rate" --users 200000 --ips 1000000 \
        --scenario normal --scenario bot_burst --scenario buggy_client --scenario cost_spike \
        --scenario plan_change
fi
echo "trace: $(wc -l <"$trace") lines, $(du -h "$trace" | cut -f1)"
policy=$(mktemp --suffix=.json)
times=$(mktemp)
trap 'rm -f "$policy" "$times"' EXIT
"$quotactl" policy show-default >"$policy"
policyArgs=(--policy "$policy")
[ -n "$candidate" ] && policyArgs=(--baseline "$policy" --policy "$candidate")
run() { # label binary
    /usr/bin/time -f "$1 %e %U %S %M" -a -o "$times" \
        "$2" simulate "${policyArgs[@]}" --trace "$trace" --json /dev/null
    tail -n 1 "$times" | awk '{ printf "%s: %.2f s wall, %.2f s CPU (%.2f user + %.2f sys), %.0f MiB peak RSS\n", $1, $2, $3 + $4, $3, $4, $5 / 1024 }'
}
for i in 1 2 3; do
    [ -n "$baseline" ] && run baseline "$baseline"
    run current "$quotactl"
done
if [ -n "$baseline" ]; then
    awk '
        function median(a, n,    i, j, t) { # insertion sort (POSIX awk has no asort)
            for (i = 2; i <= n; ++i)
                for (j = i; j > 1 && a[j - 1] > a[j]; --j) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
            return a[int((n + 1) / 2)]
        }
        $1 == "baseline" { bw[++nb] = $2; bc[nb] = $3 + $4; bm[nb] = $5 }
        $1 == "current" { cw[++nc] = $2; cc[nc] = $3 + $4; cm[nc] = $5 }
        END {
            printf "median wall %.2f s -> %.2f s (%.2fx), CPU %.2f s -> %.2f s (%.2fx), peak RSS %.0f -> %.0f MiB\n",
                median(bw, nb), median(cw, nc), median(bw, nb) / median(cw, nc),
                median(bc, nb), median(cc, nc), median(bc, nb) / median(cc, nc),
                median(bm, nb) / 1024, median(cm, nc) / 1024
        }' "$times"
fi
