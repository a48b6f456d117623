#!/usr/bin/env bash
# End-to-end timing of `quotactl simulate` on a large CSV trace, as a user would run it.
#   tests/bench/simulate_e2e.sh [BUILD_DIR] [ROWS]
# Generates the trace once (cached under $TMPDIR), then runs simulate three times and prints
# wall time and peak memory of each run.
set -euo pipefail
build=${1:-build}
rows=${2:-10000000}
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
"$quotactl" policy show-default >"$policy"
for i in 1 2 3; do
    /usr/bin/time -f "run $i: %e s wall, %M KiB peak RSS" \
        "$quotactl" simulate --policy "$policy" --trace "$trace" --json /dev/null
done
rm -f "$policy"
