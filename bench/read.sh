#!/usr/bin/env bash
# Side-by-side: `mlwb info` against pandas read_csv on the 1M-row `wide` table,
# alternating runs, wall time and peak RSS from /usr/bin/time. Needs Debian's
# python3-pandas (not needed in CI). Usage: bench/read.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
csv=${WIDE_CSV:-/tmp/wide.csv}
[ -f "$csv" ] || go run ../shared/bench/gencsv/main.go -kind wide -rows 1000000 > "$csv"
go build -o /tmp/mlwb-bench .
for i in $(seq "$runs"); do
  /usr/bin/time -f "mlwb info     %e s  %M KB" /tmp/mlwb-bench info "$csv" --json > /dev/null
  /usr/bin/time -f "pandas read_csv %e s  %M KB" /usr/bin/python3 -c \
    'import sys, pandas as pd; pd.read_csv(sys.argv[1])' "$csv"
done
