# Reference values for datasets_test.go (pandas 1.5.3). Run from engine/profile: python3 testdata/datasets_ref.py
import pandas as pd, numpy as np
for path in ["iris.csv", "california_housing.csv"]:
    df = pd.read_csv("../../../shared/data/" + path)
    num = df.select_dtypes("number")
    print(path)
    for c in num.columns[:3] if path.startswith("cal") else num.columns[:1]:
        x = num[c]
        print(c, x.count(), [repr(float(v)) for v in [x.mean(), x.std(), x.skew(), x.kurt(), x.quantile(.05), x.quantile(.25), x.median(), x.quantile(.75), x.quantile(.95)]])
    p = num.corr(); s = num.corr(method="spearman")
    cols = list(num.columns)
    print("pearson", cols[0], cols[1], repr(p.iloc[0, 1]), "spearman", repr(s.iloc[0, 1]))
    print("pearson", cols[-2], cols[-1], repr(p.iloc[-2, -1]), "spearman", repr(s.iloc[-2, -1]))
    if "total_bedrooms" in df:
        x = df["total_bedrooms"]; print("total_bedrooms", x.count(), repr(x.mean()), repr(x.std()), repr(x.skew()), repr(x.kurt()), repr(x.quantile(.99)))
        print("spearman bedrooms-rooms", repr(df["total_bedrooms"].corr(df["total_rooms"], method="spearman")), repr(df["total_bedrooms"].corr(df["total_rooms"])))
    print("dups", df.duplicated().sum())
