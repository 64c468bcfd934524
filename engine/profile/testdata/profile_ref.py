# Reference values for profile_test.go: numpy 1.24.2, pandas 1.5.3, scipy 1.10.1.
import numpy as np, pandas as pd, scipy.stats as ss
nan = np.nan
df = pd.DataFrame({
    "f": [1.5, 2.0, nan, 3.25, 10.0, -1.0, 0.0, 2.0, 7.5, 4.0, nan, 100.0],
    "g": [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8],
    "h": [0.1, 0.4, 0.35, 0.8, 0.9, 0.05, 0.2, 0.45, 0.7, 0.6, 0.3, 0.95],
    "cat": ["a", "b", "a", "c", "b", "a", "a", "c", "b", "a", None, "c"],
    "s": ["x", "yy", "x", "zzz", "yy", "x", "x", "zzz", "yy", "x", "x", "w"],
    "b": [True, False, True, True, False, True, True, True, False, True, True, False],
})
def r(v): return repr(float(v))
for c in ["f", "g", "h"]:
    x = df[c].astype(float); v = np.sort(x.dropna().values)
    q = x.quantile([0, .01, .05, .25, .5, .75, .95, .99, 1]).values
    c_, e = np.histogram(v, bins="fd")
    print(c, "mean", r(x.mean()), "std", r(x.std()), "skew", r(x.skew()), "kurt", r(x.kurt()), "sum", r(x.sum()),
          "mad", r(np.median(np.abs(v - np.median(v)))), "distinct", x.nunique())
    print(c, "q", [r(t) for t in q])
    print(c, "hist", list(c_), [r(t) for t in e], "chisq_p", r(ss.chisquare(c_)[1]))
num = df[["f", "g", "h"]].astype(float)
print("pearson", [[r(t) for t in row] for row in num.corr().values])
print("spearman(pandas)", [[r(t) for t in row] for row in num.corr(method="spearman").values])
# mlwb's documented Spearman: ranks over each column's own values, then pairwise Pearson
print("spearman(mlwb)", [[r(t) for t in row] for row in num.rank().corr().values])
def cramers(a, b):
    t = pd.crosstab(a, b).values
    chi2 = ss.chi2_contingency(t, correction=False)[0]; n = t.sum(); rr, k = t.shape
    phi2 = chi2 / n
    phi2c = max(0, phi2 - (k - 1) * (rr - 1) / (n - 1)); rc = rr - (rr - 1) ** 2 / (n - 1); kc = k - (k - 1) ** 2 / (n - 1)
    return np.sqrt(phi2c / min(kc - 1, rc - 1))
cats = ["cat", "s", "b"]
print("cramers", [[r(cramers(df[a], df[b])) for b in cats] for a in cats])
def eta(x, g):
    m = x.notna() & g.notna(); x = x[m].astype(float); g = g[m]
    mean = x.mean(); ssb = sum(len(x[g == k]) * (x[g == k].mean() - mean) ** 2 for k in g.unique())
    return np.sqrt(ssb / ((x - mean) ** 2).sum())
print("eta", [[r(eta(df[a], df[b])) for b in cats] for a in ["f", "g", "h"]])
for c in ["cat", "s"]:
    vc = df[c].value_counts(); p = vc / vc.sum()
    print(c, "entropy", r(ss.entropy(vc.values, base=2)), "imbalance", r(1 - ss.entropy(vc.values, base=len(vc))),
          "lenmean", r(df[c].dropna().str.len().mean()), "chisq_p", r(ss.chisquare(vc.values)[1]))
# target "cat": mutual information with s in bits
from sklearn.metrics import mutual_info_score
m = df["cat"].notna()
print("mi(s,cat)", r(mutual_info_score(df["s"][m], df["cat"][m]) / np.log(2)))
print("duplicated", df.duplicated().sum())
