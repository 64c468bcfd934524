#!/bin/sh
# Side-by-side drift benchmark: mlwb (Go) then scipy, in the same run.
#   go run ../shared/bench/gencsv/main.go -kind wide -rows 1000000 > /tmp/wide.csv
#   go run ../shared/bench/gencsv/main.go -kind wide -rows 1000000 -seed 2 -shift 0.3 > /tmp/wide_cur.csv
#   sh bench/drift/run.sh
set -e
cd "$(dirname "$0")/../.."
REF=${MLWB_WIDE:-/tmp/wide.csv}
CUR=${MLWB_WIDE_CUR:-/tmp/wide_cur.csv}
MLWB_WIDE=$REF MLWB_WIDE_CUR=$CUR go test -run '^$' -bench 'WideFull|WideCompare|NewBatch' -benchtime 3x ./engine/drift
/usr/bin/python3 bench/drift/scipy_drift.py "$REF" "$CUR"
