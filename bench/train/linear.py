"""scikit-learn side of bench/train/linear (see its doc comment):

    /usr/bin/python3 bench/train/linear.py /tmp/cls.csv label 160000 [models]

Same split, same standardisation (StandardScaler fitted on the training
rows), best fit time of 3, test ROC AUC; knn on the first 20000 training and
2000 test rows (prediction time); kmeans with 8 clusters (n_init=10). The saga l1 fit
(logreg_l1) takes about a minute here, so it runs only when named. A float
target runs linear, ridge, lasso (alpha 0.01) and enet (alpha 0.01,
l1_ratio 0.5) and prints the test R².
"""
import sys, time
import numpy as np, pandas as pd
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression, LinearRegression, Ridge, Lasso, ElasticNet
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.cluster import KMeans
from sklearn.metrics import roc_auc_score, r2_score

path, target, ntrain = sys.argv[1], sys.argv[2], int(sys.argv[3])
df = pd.read_csv(path)
regression = df[target].dtype.kind == "f"
default = "linear,ridge,lasso,enet" if regression else "logreg,nb,knn,kmeans"
which = (sys.argv[4] if len(sys.argv) > 4 else default).split(",")
if regression:
    y = df[target].to_numpy(float)
else:
    classes = sorted(df[target].astype(str).unique())
    y = (df[target].astype(str) == classes[1]).astype(int).to_numpy()
X = df.drop(columns=[target]).select_dtypes("number").to_numpy(dtype=float)
sc = StandardScaler().fit(X[:ntrain])
Xtr, Xte = sc.transform(X[:ntrain]), sc.transform(X[ntrain:])
ytr, yte = y[:ntrain], y[ntrain:]
print(f"data {path}: {len(ytr)} train, {len(yte)} test rows, {X.shape[1]} features (standardised)")

def best_fit(make, *args):
    best, m = float("inf"), None
    for _ in range(3):
        m = make()
        t0 = time.perf_counter()
        m.fit(*args)
        best = min(best, time.perf_counter() - t0)
    return m, best

for name in which:
    if name in ("logreg", "logreg_l1", "nb"):
        make = {"logreg": lambda: LogisticRegression(),
                "logreg_l1": lambda: LogisticRegression(penalty="l1", solver="saga"),
                "nb": lambda: GaussianNB()}[name]
        m, t = best_fit(make, Xtr, ytr)
        auc = roc_auc_score(yte, m.predict_proba(Xte)[:, 1])
        it = f"  n_iter {m.n_iter_[0]}" if hasattr(m, "n_iter_") else ""
        print(f"sklearn {name:10s} fit {t:7.3f}s  AUC {auc:.4f}{it}")
    elif name in ("linear", "ridge", "lasso", "enet"):
        make = {"linear": lambda: LinearRegression(), "ridge": lambda: Ridge(),
                "lasso": lambda: Lasso(alpha=0.01), "enet": lambda: ElasticNet(alpha=0.01, l1_ratio=0.5)}[name]
        m, t = best_fit(make, Xtr, ytr)
        it = f"  n_iter {m.n_iter_}" if hasattr(m, "n_iter_") and m.n_iter_ is not None else ""
        print(f"sklearn {name:10s} fit {t:7.3f}s  R2 {r2_score(yte, m.predict(Xte)):.6f}{it}")
    elif name == "knn":
        ktr, kte = Xtr[:20000], Xte[:2000]
        m = KNeighborsClassifier().fit(ktr, ytr[:20000])
        t0 = time.perf_counter()
        p = m.predict_proba(kte)[:, 1]
        t = time.perf_counter() - t0
        print(f"sklearn {name:10s} predict {len(kte)}×{len(ktr)} {t:7.3f}s  AUC {roc_auc_score(yte[:2000], p):.4f}")
    elif name == "kmeans":
        m, t = best_fit(lambda: KMeans(n_clusters=8, n_init=10, random_state=1), Xtr)
        print(f"sklearn {name:10s} fit {t:7.3f}s  inertia {m.inertia_:.6g}  n_iter {m.n_iter_}")
