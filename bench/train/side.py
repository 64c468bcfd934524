"""Side-by-side reference for bench/train: the same split and settings with
xgboost 1.7 and scikit-learn 1.2.

    /usr/bin/python3 bench/train/side.py /tmp/cls.csv label 160000 [xgb,rf,hgb]

Prints fit wall time, fit CPU time (process user+system during the fit),
test ROC AUC and xgboost's prediction throughput on 1M rows.
"""
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import roc_auc_score
import xgboost as xgb


def cpu():
    t = time.process_time()
    return t


def main():
    path, target, ntrain = sys.argv[1], sys.argv[2], int(sys.argv[3])
    which = sys.argv[4].split(",") if len(sys.argv) > 4 else ["xgb", "rf"]
    df = pd.read_csv(path)
    y = df.pop(target)
    classes = sorted(y.unique())
    y = (y == classes[-1]).astype(int).to_numpy()
    X = df.to_numpy(dtype=np.float64)
    Xtr, Xte, ytr, yte = X[:ntrain], X[ntrain:], y[:ntrain], y[ntrain:]
    print(f"data {path}: {len(ytr)} train, {len(yte)} test rows, {X.shape[1]} features")
    models = {
        "xgb": lambda: xgb.XGBClassifier(tree_method="hist", max_depth=6, n_estimators=100,
                                         learning_rate=0.1, n_jobs=2),
        "rf": lambda: RandomForestClassifier(n_estimators=100, n_jobs=2, random_state=1),
        "hgb": lambda: HistGradientBoostingClassifier(max_iter=100, early_stopping=False),
    }
    for name in which:
        m = models[name]()
        c0, t0 = cpu(), time.perf_counter()
        m.fit(Xtr, ytr)
        wall, c = time.perf_counter() - t0, cpu() - c0
        auc = roc_auc_score(yte, m.predict_proba(Xte)[:, 1])
        print(f"{name:5s} fit {wall:6.2f}s wall {c:6.2f}s cpu  AUC {auc:.4f}")
        if name == "xgb":
            big = np.tile(Xte, (25, 1))
            c0, t0 = cpu(), time.perf_counter()
            m.predict_proba(big)
            d, c = time.perf_counter() - t0, cpu() - c0
            print(f"xgb   predict {len(big)} rows {d:.3f}s wall {c:.3f}s cpu = {len(big) / d / 1e6:.2f}M rows/s")


if __name__ == "__main__":
    main()
