#!/usr/bin/env python3
"""The scipy side of mlwb's drift benchmark (REFERENCE.md: "per-column drift,
wide vs wide -seed 2 -shift 0.3 (1M vs 1M), scipy KS + Wasserstein + PSI + chi²,
as Evidently does it").

Per numeric column: scipy.stats.ks_2samp (method='auto'), scipy.stats.
wasserstein_distance / np.std(ref), and PSI on Evidently's binning (30
equal-width bins over both samples, empty shares floored); per categorical
column: Evidently's chi-square (scipy.stats.chisquare against the reference
shares) and PSI. Loading with pandas is timed separately.

    /usr/bin/python3 bench/drift/scipy_drift.py /tmp/wide.csv /tmp/wide_cur.csv
"""
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats


def shares(r, c, numeric, n=30):
    if numeric and r.nunique() > 20:
        bins = np.histogram_bin_edges(pd.concat([r, c], axis=0).values, bins=n)
        rp = np.histogram(r, bins)[0] / len(r)
        cp = np.histogram(c, bins)[0] / len(c)
    else:
        keys = list((set(r.unique()) | set(c.unique())) - {np.nan})
        rd = {**dict.fromkeys(keys, 0), **dict(r.value_counts())}
        cd = {**dict.fromkeys(keys, 0), **dict(c.value_counts())}
        rp = np.array([rd[k] for k in keys]) / len(r)
        cp = np.array([cd[k] for k in keys]) / len(c)
    for p in (rp, cp):
        m = min(p[p != 0])
        np.place(p, p == 0, m / 10**6 if m <= 0.0001 else 0.0001)
    return rp, cp


def psi(r, c, numeric):
    rp, cp = shares(r, c, numeric)
    return float(np.sum((rp - cp) * np.log(rp / cp)))


def chi2(r, c):
    keys = list((set(r.unique()) | set(c.unique())) - {np.nan})
    rd = {**dict.fromkeys(keys, 0), **dict(r.value_counts())}
    cd = {**dict.fromkeys(keys, 0), **dict(c.value_counts())}
    k = len(c) / len(r)
    return stats.chisquare([cd[x] for x in keys], [rd[x] * k for x in keys])[1]


def main(ref_path, cur_path):
    t0 = time.perf_counter()
    ref = pd.read_csv(ref_path)
    cur = pd.read_csv(cur_path)
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    drifted = 0
    cols = [c for c in ref.columns if c != "date"]
    for col in cols:
        r = ref[col].replace([np.inf, -np.inf], np.nan).dropna()
        c = cur[col].replace([np.inf, -np.inf], np.nan).dropna()
        if pd.api.types.is_numeric_dtype(r) and r.nunique() > 5:
            p = stats.ks_2samp(r, c).pvalue
            w = stats.wasserstein_distance(r, c) / max(np.std(r), 0.001)
            ps = psi(r, c, True)
            drifted += w >= 0.1
        else:
            p = chi2(r, c)
            ps = psi(r, c, False)
            drifted += ps >= 0.1
    t_cmp = time.perf_counter() - t0
    print(f"scipy: load {t_load:.2f} s (pandas), drift {t_cmp:.2f} s, {drifted} of {len(cols)} columns drifted")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
