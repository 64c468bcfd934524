# Fairlearn-definition reference for TestFairness (Fairlearn computes TPR/FPR with confusion_matrix(normalize="true")): /usr/bin/python3 testdata/fair.py
import numpy as np
from sklearn.metrics import confusion_matrix, precision_score, accuracy_score
y   = np.array([1,0,1,1,0,0,1,0,0,0,1,1,0,0])
p   = np.array([1,0,0,1,1,0,1,1,0,0,0,0,0,1])
g   = np.array(["a","a","a","a","a","b","b","b","b","c","c","c","c","c"])
# group "d": one row with no positives
y = np.r_[y,0]; p = np.r_[p,1]; g = np.append(g,"d")
rows=[]
for k in ["a","b","c","d"]:
    m = g==k
    tn,fp,fn,tp = confusion_matrix(y[m],p[m],labels=[0,1],normalize="true").ravel()   # Fairlearn's _get_rates
    print(k, m.sum(), p[m].mean(), tp, fp, precision_score(y[m],p[m],zero_division=0), accuracy_score(y[m],p[m]))
    rows.append((p[m].mean(), tp, fp))
sr=[r[0] for r in rows]; tpr=[r[1] for r in rows]; fpr=[r[2] for r in rows]
print("dpd", max(sr)-min(sr), "dpr", min(sr)/max(sr), "eod", max(max(tpr)-min(tpr), max(fpr)-min(fpr)), "eopp", max(tpr)-min(tpr))
