import numpy as np, pandas as pd, scipy.stats as ss
A=[2.5,3.1,-1.2,7.7,0.0,3.1,12.9,-4.4,5.5,3.1,np.nan]
B=[1,2,2,3,5,8,13,21,34,55,89,144]
C=[1e9+1,1e9+2,1e9+3,1e9+4.5]
for name,x in [("A",A),("B",B),("C",C)]:
    s=pd.Series(x,dtype=float); v=s.dropna().sort_values().values
    print(name,"mean",repr(s.mean()),"var",repr(s.var()),"skew",repr(s.skew()),"kurt",repr(s.kurt()))
    print(name,"q",[repr(q) for q in s.quantile([0,0.01,0.05,0.25,0.5,0.75,0.95,0.99,1]).values])
    print(name,"median",repr(np.median(v)),"mad",repr(np.median(np.abs(v-np.median(v)))))
    c,e=np.histogram(v,bins="fd"); print(name,"fd",len(c),list(c),[repr(t) for t in e])
    print(name,"rank",list(ss.rankdata(v)))
x=pd.Series(A[:10]); y=pd.Series(B[:10],dtype=float)
print("pearson",repr(x.corr(y)),"spearman",repr(x.corr(y,method="spearman")),repr(ss.spearmanr(A[:10],B[:10])[0]))
y2=y.copy(); y2[3]=np.nan; x2=pd.Series(A)[:10]
print("pearson_nan",repr(x2.corr(y2)),"spearman_nan",repr(x2.corr(y2,method="spearman")))
print("rank_ties",list(pd.Series([3,1,4,1,5,9,2,6,5,3,5,np.nan]).rank()))
# histogram with iqr 0 -> sturges in our rule
z=np.array([0]*10+[1,2,3,50.0]); w=(z.max()-z.min())/(np.log2(z.size)+1); print("sturges",np.histogram(z,bins="sturges"))
print("entropy",repr(ss.entropy([10,20,30,40],base=2)))
t=np.array([[10,2,3],[4,15,6],[1,2,20]])
chi2=ss.chi2_contingency(t,correction=False)[0]; n=t.sum(); r,k=t.shape
phi2=chi2/n; print("chi2",repr(chi2),"V",repr(np.sqrt(phi2/min(r-1,k-1))))
phi2c=max(0,phi2-(k-1)*(r-1)/(n-1)); rc=r-(r-1)**2/(n-1); kc=k-(k-1)**2/(n-1); print("Vc",repr(np.sqrt(phi2c/min(kc-1,rc-1))))
from sklearn.metrics import mutual_info_score
z=np.array([0.0]*20+[1,2,3,50]); c,e=np.histogram(z,bins="auto"); print("auto_iqr0",list(c),[repr(t) for t in e])
print("chisq",[repr(v) for v in ss.chisquare([18,22,20,25,15])], [repr(v) for v in ss.chisquare([100,101,99,100])])
print("mi_bits",repr(mutual_info_score(None,None,contingency=t)/np.log(2)))
xs=np.array([1.0,2,3,4,5,6,7,8,9]); g=np.array([0,0,0,1,1,1,2,2,2])
mean=xs.mean(); ssb=sum(len(xs[g==k])*(xs[g==k].mean()-mean)**2 for k in range(3)); sst=((xs-mean)**2).sum(); print("eta",repr(np.sqrt(ssb/sst)))
print("three", repr(pd.Series([1.0,2,4]).skew()), repr(pd.Series([1.0,2,4]).var()))
print("capped", np.histogram(np.array(B,dtype=float), bins=2))
