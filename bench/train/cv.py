"""Cross-validation reference for bench/train -cv: scikit-learn 1.2 defaults
on the same folds (row i is in fold i % K, no shuffle) and the same columns.

    /usr/bin/python3 bench/train/cv.py FILE TARGET K [DROP,COLS]

Binary targets: RandomForestClassifier() and HistGradientBoostingClassifier()
scored by ROC AUC; numeric targets: the regressors scored by R². Text
columns become ordinal codes; "?", "NA" etc. are missing as in mlwb's
reader; RandomForest (no missing-value support in 1.2)
gets median / most-frequent imputation first, HistGradientBoosting takes NaN.
"""
import sys
import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.impute import SimpleImputer
from sklearn.metrics import r2_score, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder


def main():
    path, target, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
    drop = [c for c in (sys.argv[4].split(",") if len(sys.argv) > 4 else []) if c]
    # The missing markers of mlwb's reader (dataio.DefaultMissingMarkers).
    df = pd.read_csv(path, skipinitialspace=True, na_values=["", "NA", "N/A", "null", "NaN", "?"],
                     keep_default_na=False).drop(columns=drop)
    y = df.pop(target)
    cat = [c for c in df.columns if df[c].dtype == object]
    num = [c for c in df.columns if c not in cat]
    enc = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan)
    binary = y.dtype == object or y.nunique() == 2
    if binary:
        classes = sorted(y.unique())
        y = (y == classes[-1]).astype(int).to_numpy()
    else:
        y = y.to_numpy(dtype=float)
    models = {
        "rf": lambda: make_pipeline(ColumnTransformer([
            ("num", SimpleImputer(strategy="median"), num),
            ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"),
                                   OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)), cat)]),
            RandomForestClassifier(n_jobs=2, random_state=0) if binary else RandomForestRegressor(n_jobs=2, random_state=0)),
        "hgb": lambda: make_pipeline(ColumnTransformer([("num", "passthrough", num), ("cat", enc, cat)]),
                                     HistGradientBoostingClassifier(random_state=0) if binary
                                     else HistGradientBoostingRegressor(random_state=0)),
    }
    fold = np.arange(len(y)) % k
    for name, make in models.items():
        scores = []
        t0 = time.perf_counter()
        for f in range(k):
            tr, te = fold != f, fold == f
            m = make().fit(df[tr], y[tr])
            if binary:
                scores.append(roc_auc_score(y[te], m.predict_proba(df[te])[:, 1]))
            else:
                scores.append(r2_score(y[te], m.predict(df[te])))
        s = np.array(scores)
        metric = "AUC" if binary else "R2"
        print(f"sklearn {name:4s} {k}-fold {metric} {s.mean():.4f} ± {s.std(ddof=1):.4f} ({time.perf_counter() - t0:.1f}s)")


if __name__ == "__main__":
    main()
