#!/usr/bin/env bash
# Side-by-side: `mlwb profile --json` (load included) against pandas
# read_csv + describe(include='all') + corr() on the 1M-row `wide` table,
# alternating runs, wall time, CPU time and peak RSS from /usr/bin/time, with
# the load average before each round (on a shared machine CPU seconds are
# steadier than wall time). The target is half of the pandas time. Needs
# /usr/bin/python3 with pandas (not in CI).
#
# Usage: bench/profile.sh [runs]
#   WIDE_CSV=path      the table (default /tmp/wide.csv, generated if absent)
#   BASELINE=binary    also time this mlwb binary (say a build of an older
#                      commit) in each round, for before/after figures
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
csv=${WIDE_CSV:-/tmp/wide.csv}
[ -f "$csv" ] || go run ../shared/bench/gencsv/main.go -kind wide -rows 1000000 > "$csv"
go build -o /tmp/mlwb-bench .
for i in $(seq "$runs"); do
  echo "round $i, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  if [ -n "${BASELINE:-}" ]; then
    /usr/bin/time -f "baseline        %e s  (cpu %U+%S s)  %M KB" "$BASELINE" profile "$csv" --json > /dev/null
  fi
  /usr/bin/time -f "mlwb profile    %e s  (cpu %U+%S s)  %M KB" /tmp/mlwb-bench profile "$csv" --json > /dev/null
  /usr/bin/time -f "mlwb info       %e s  (cpu %U+%S s)  %M KB" /tmp/mlwb-bench info "$csv" > /dev/null
  /usr/bin/time -f "pandas profile  %e s  (cpu %U+%S s)  %M KB" /usr/bin/python3 -c '
import sys, pandas as pd
df = pd.read_csv(sys.argv[1])
df.describe(include="all")
df.corr(numeric_only=True)' "$csv"
done
