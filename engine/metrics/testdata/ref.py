# Reference values for engine/metrics tests: /usr/bin/python3 testdata/ref.py (scikit-learn 1.2.1, scipy 1.10).
import numpy as np, warnings
from sklearn import metrics as M
from sklearn.calibration import calibration_curve
from scipy.stats import ks_2samp
warnings.simplefilter("ignore")
np.set_printoptions(precision=17)
def show(name, v): print(name, repr(v))
y = np.array([0,0,1,1,0,1,0,1,1,0,1,0])
s = np.array([0.1,0.4,0.35,0.8,0.4,0.4,0.05,0.9,0.65,0.7,0.2,0.5])
p = (s>=0.5).astype(int)
print("== binary ties")
for n,f in [("accuracy",M.accuracy_score),("balanced_accuracy",M.balanced_accuracy_score),("precision",M.precision_score),("recall",M.recall_score),("f1",M.f1_score),("mcc",M.matthews_corrcoef),("cohen_kappa",M.cohen_kappa_score)]:
    show(n, f(y,p))
for a in ["macro","micro","weighted"]:
    show("precision_"+a, M.precision_score(y,p,average=a)); show("recall_"+a, M.recall_score(y,p,average=a)); show("f1_"+a, M.f1_score(y,p,average=a))
show("roc_auc", M.roc_auc_score(y,s)); show("average_precision", M.average_precision_score(y,s))
show("log_loss", M.log_loss(y,s)); show("brier", M.brier_score_loss(y,s))
show("ks", ks_2samp(s[y==1], s[y==0]).statistic)
fpr,tpr,thr = M.roc_curve(y,s); show("roc_fpr",fpr); show("roc_tpr",tpr); show("roc_thr",thr)
fpr,tpr,thr = M.roc_curve(y,s,drop_intermediate=False); show("roc_full_fpr",fpr)
pr,rc,thr = M.precision_recall_curve(y,s); show("pr_p",pr); show("pr_r",rc); show("pr_t",thr)
show("cal_uniform5", calibration_curve(y,s,n_bins=5))
show("cal_quantile4", calibration_curve(y,s,n_bins=4,strategy="quantile"))
print("== clipping")
show("log_loss_clip", M.log_loss([1,0,1],[0.0,1.0,0.5]))
show("log_loss_1e15", M.log_loss([1,0,1],[0.0,1.0,0.5], eps=1e-15))
print("== one class")
y1=[1,1,1]; s1=[0.2,0.6,0.9]; p1=[0,1,1]
try: M.roc_auc_score(y1,s1)
except ValueError as e: print("roc_auc raises", e)
show("ap", M.average_precision_score(y1,s1))
show("acc", M.accuracy_score(y1,p1)); show("bal", M.balanced_accuracy_score(y1,p1)); show("prec",M.precision_score(y1,p1)); show("rec",M.recall_score(y1,p1)); show("f1",M.f1_score(y1,p1))
show("mcc", M.matthews_corrcoef(y1,p1)); show("kappa", M.cohen_kappa_score(y1,p1)); show("logloss", M.log_loss(y1,s1,labels=[0,1])); show("brier",M.brier_score_loss(y1,s1))
show("f1_macro", M.f1_score(y1,p1,average="macro"))
y0=[0,0,0]; 
show("ap_nopos", M.average_precision_score(y0,s1))
print("== none predicted")
y2=[0,1,0,1]; p2=[0,0,0,0]
show("prec", M.precision_score(y2,p2)); show("f1",M.f1_score(y2,p2)); show("mcc",M.matthews_corrcoef(y2,p2)); show("kappa",M.cohen_kappa_score(y2,p2))
show("kappa_all_same", M.cohen_kappa_score([0,0],[0,0]))
show("f1_macro", M.f1_score(y2,p2,average="macro")); show("prec_weighted", M.precision_score(y2,p2,average="weighted"))
print("== multiclass absent")
yt = np.array([0,1,0,1,1,0,1,0])   # class 2 absent
P = np.array([[.6,.3,.1],[.2,.5,.3],[.3,.3,.4],[.1,.8,.1],[.2,.2,.6],[.7,.2,.1],[.4,.45,.15],[.5,.5,0]])
yp = P.argmax(1); print("pred", yp)
for n,f in [("accuracy",M.accuracy_score),("balanced_accuracy",M.balanced_accuracy_score),("mcc",M.matthews_corrcoef),("cohen_kappa",M.cohen_kappa_score)]:
    show(n, f(yt,yp))
for a in ["macro","micro","weighted"]:
    show("precision_"+a, M.precision_score(yt,yp,average=a)); show("recall_"+a, M.recall_score(yt,yp,average=a)); show("f1_"+a, M.f1_score(yt,yp,average=a))
    show("f1_"+a+"_labels", M.f1_score(yt,yp,average=a,labels=[0,1,2]))
show("log_loss", M.log_loss(yt,P,labels=[0,1,2]))
try: M.roc_auc_score(yt,P,multi_class="ovr",labels=[0,1,2])
except ValueError as e: print("ovr raises", e)
print(M.classification_report(yt,yp,labels=[0,1,2],digits=6))
print("== multiclass full")
yt3 = np.array([0,1,2,1,1,0,2,0,2,1])
P3 = np.array([[.6,.3,.1],[.2,.5,.3],[.3,.3,.4],[.1,.8,.1],[.2,.2,.6],[.7,.2,.1],[.4,.45,.15],[.5,.25,.25],[.1,.1,.8],[.3,.3,.4]])
yp3 = P3.argmax(1); print("pred", yp3)
show("roc_auc_ovr", M.roc_auc_score(yt3,P3,multi_class="ovr")); show("roc_auc_ovr_weighted", M.roc_auc_score(yt3,P3,multi_class="ovr",average="weighted"))
show("log_loss", M.log_loss(yt3,P3)); show("f1_macro", M.f1_score(yt3,yp3,average="macro")); show("mcc", M.matthews_corrcoef(yt3,yp3)); show("kappa", M.cohen_kappa_score(yt3,yp3)); show("bal", M.balanced_accuracy_score(yt3,yp3))
print("== regression")
ry=np.array([3,-0.5,2,7,0,4.2]); rp=np.array([2.5,0,2,8,0.3,4.0])
for n,f in [("mae",M.mean_absolute_error),("mse",M.mean_squared_error),("r2",M.r2_score),("mape",M.mean_absolute_percentage_error),("median_ae",M.median_absolute_error),("explained_variance",M.explained_variance_score),("max_error",M.max_error)]:
    show(n,f(ry,rp))
show("rmse", M.mean_squared_error(ry,rp,squared=False))
show("r2_const", M.r2_score([2,2,2],[2,2,3])); show("ev_const", M.explained_variance_score([2,2,2],[2,2,3])); show("r2_perfect_const", M.r2_score([2,2,2],[2,2,2]))
show("r2_one", M.r2_score([2],[3]))
show("medae_odd", M.median_absolute_error([1,2,3,4,5],[1,2,3,4,9]))
print("== absent from both")
ya=[0,1,0,1]; pa=[0,0,0,1]
show("f1_macro_default", M.f1_score(ya,pa,average="macro")); show("f1_macro_labels", M.f1_score(ya,pa,average="macro",labels=[0,1,2]))
show("precision_macro_labels", M.precision_score(ya,pa,average="macro",labels=[0,1,2]))
print("ev_one", M.explained_variance_score([2],[3]))
