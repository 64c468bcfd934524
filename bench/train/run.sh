#!/bin/sh
# Side-by-side benchmark of mlwb's gbdt and rf against xgboost 1.7 (hist) and
# scikit-learn 1.2 RandomForest on the same 80/20 split of the cls table,
# the two sides alternating ROUNDS times (the machine is shared: compare
# ranges, and CPU times). Run from the repository root:
#
#	sh bench/train/run.sh [ROUNDS] [gbdt|rf|gbdt,rf]
#
# The second argument limits the models (default both; gbdt runs against
# xgboost, rf against scikit-learn's RandomForest).
set -e
ROUNDS=${1:-3}
MODELS=${2:-gbdt,rf}
SIDE=$(echo "$MODELS" | sed 's/gbdt/xgb/')
[ -f /tmp/cls.csv ] || go run ../shared/bench/gencsv/main.go -kind cls -rows 200000 > /tmp/cls.csv
go build -o /tmp/mlwb-bench-train ./bench/train
i=1
while [ "$i" -le "$ROUNDS" ]; do
	echo "--- round $i ($(cut -d' ' -f1-3 /proc/loadavg))"
	/tmp/mlwb-bench-train -data /tmp/cls.csv -target label -train 160000 -models "$MODELS" | grep mlwb
	/usr/bin/python3 bench/train/side.py /tmp/cls.csv label 160000 "$SIDE" | grep -v '^data'
	i=$((i + 1))
done
uptime
