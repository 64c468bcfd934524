#!/usr/bin/env bash
# Side-by-side: `mlwb profile --json` (load included) against pandas
# read_csv + describe(include='all') + corr() on the 1M-row `wide` table,
# alternating runs, wall time and peak RSS from /usr/bin/time. The target is
# half of the pandas time. Needs /usr/bin/python3 with pandas (not in CI).
# Usage: bench/profile.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
csv=${WIDE_CSV:-/tmp/wide.csv}
[ -f "$csv" ] || go run ../shared/bench/gencsv/main.go -kind wide -rows 1000000 > "$csv"
go build -o /tmp/mlwb-bench .
for i in $(seq "$runs"); do
  /usr/bin/time -f "mlwb profile    %e s  (cpu %U+%S s)  %M KB" /tmp/mlwb-bench profile "$csv" --json > /dev/null
  /usr/bin/time -f "pandas profile  %e s  (cpu %U+%S s)  %M KB" /usr/bin/python3 -c '
import sys, pandas as pd
df = pd.read_csv(sys.argv[1])
df.describe(include="all")
df.corr(numeric_only=True)' "$csv"
done
