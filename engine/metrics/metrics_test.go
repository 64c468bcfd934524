package metrics

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
)

// The literal values below are scikit-learn 1.2.1's (and scipy 1.10's) on
// the same vectors; the script that prints them is testdata/ref.py
// (/usr/bin/python3 testdata/ref.py). Tolerances: 1e-12 absolute covers the
// different summation orders (values are O(1)); exact where the arithmetic
// is exact.

const tol = 1e-12

func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	if math.IsInf(b, 0) {
		return a == b
	}
	return math.Abs(a-b) <= tol*max(1, math.Abs(b))
}

func checkValues(t *testing.T, rep *Report, want map[string]float64) {
	t.Helper()
	for name, w := range want {
		got, ok := rep.Values[name]
		if !ok {
			t.Errorf("%s missing from the report", name)
			continue
		}
		if !near(got, w, tol) {
			t.Errorf("%s = %.17g, want %.17g", name, got, w)
		}
	}
}

func hasWarning(rep *Report, sub string) bool {
	for _, w := range rep.Warnings {
		if strings.Contains(w, sub) {
			return true
		}
	}
	return false
}

// tiesY and tiesS: ties at 0.4 with both classes, a score exactly at 0.5.
var (
	tiesY = []int32{0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0}
	tiesS = []float64{0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.05, 0.9, 0.65, 0.7, 0.2, 0.5}
)

func binaryInput(y []int32, s []float64) Input {
	return Input{Task: BinaryTask, Classes: []string{"0", "1"}, Pos: 1, True: y, Score: s}
}

func TestBinaryTies(t *testing.T) {
	rep, err := Evaluate(context.Background(), binaryInput(tiesY, tiesS), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkValues(t, rep, map[string]float64{
		"accuracy":           0.5833333333333334,
		"balanced_accuracy":  0.5833333333333333,
		"precision":          0.6,
		"recall":             0.5,
		"f1":                 0.5454545454545454,
		"mcc":                0.1690308509457033,
		"cohen_kappa":        0.16666666666666663,
		"precision_macro":    0.5857142857142856,
		"recall_macro":       0.5833333333333333,
		"f1_macro":           0.5804195804195804,
		"precision_micro":    0.5833333333333334,
		"recall_micro":       0.5833333333333334,
		"f1_micro":           0.5833333333333334,
		"precision_weighted": 0.5857142857142857,
		"recall_weighted":    0.5833333333333334,
		"f1_weighted":        0.5804195804195803,
		"roc_auc":            0.6666666666666667,
		"average_precision":  0.7342592592592592,
		"log_loss":           0.6175218995278886,
		"brier":              0.2222916666666667,
		"ks":                 0.3333333333333333, // scipy.stats.ks_2samp
		"specificity":        4.0 / 6,
	})
	if len(rep.Warnings) != 0 {
		t.Errorf("warnings %q, want none", rep.Warnings)
	}
	// confusion_matrix(y, s >= 0.5) = [[4 2] [3 3]]
	if want := []float64{4, 2, 3, 3}; !slices.Equal(rep.Confusion.M, want) {
		t.Errorf("confusion %v, want %v", rep.Confusion.M, want)
	}
}

func TestROCAndPRCurves(t *testing.T) {
	y := make([]bool, len(tiesY))
	for i, v := range tiesY {
		y[i] = v == 1
	}
	rk, err := NewRanking(context.Background(), y, tiesS)
	if err != nil {
		t.Fatal(err)
	}
	// roc_curve(y, s): drop_intermediate=True and False
	roc := rk.ROC(true)
	wantFPR := []float64{0, 0, 0, 1. / 6, 1. / 6, 2. / 6, 4. / 6, 4. / 6, 1}
	wantTPR := []float64{0, 1. / 6, 2. / 6, 2. / 6, 3. / 6, 3. / 6, 4. / 6, 1, 1}
	wantThr := []float64{1.9, 0.9, 0.8, 0.7, 0.65, 0.5, 0.4, 0.2, 0.05}
	if len(roc) != len(wantFPR) {
		t.Fatalf("roc has %d points, want %d: %v", len(roc), len(wantFPR), roc)
	}
	for i, p := range roc {
		if !near(p.FPR, wantFPR[i], tol) || !near(p.TPR, wantTPR[i], tol) || !near(p.Threshold, wantThr[i], tol) {
			t.Errorf("roc[%d] = %+v, want (%g, %g, %g)", i, p, wantThr[i], wantFPR[i], wantTPR[i])
		}
	}
	if n := len(rk.ROC(false)); n != 11 {
		t.Errorf("roc without dropping has %d points, want 11", n)
	}
	// precision_recall_curve(y, s)
	pr := rk.PR()
	wantP := []float64{0.5, 0.5454545454545454, 0.6, 0.5555555555555556, 0.5, 0.6, 0.75, 0.6666666666666666, 1, 1, 1}
	wantR := []float64{1, 1, 1, 0.8333333333333334, 0.6666666666666666, 0.5, 0.5, 0.3333333333333333, 0.3333333333333333, 0.16666666666666666, 0}
	wantT := []float64{0.05, 0.1, 0.2, 0.35, 0.4, 0.5, 0.65, 0.7, 0.8, 0.9}
	if len(pr) != len(wantP) {
		t.Fatalf("pr has %d points, want %d", len(pr), len(wantP))
	}
	for i, p := range pr {
		if !near(p.Precision, wantP[i], tol) || !near(p.Recall, wantR[i], tol) {
			t.Errorf("pr[%d] = %+v, want P %g R %g", i, p, wantP[i], wantR[i])
		}
		if i < len(wantT) && p.Threshold != wantT[i] {
			t.Errorf("pr[%d].Threshold = %g, want %g", i, p.Threshold, wantT[i])
		}
	}
	if last := pr[len(pr)-1].Threshold; !(last > 0.9) {
		t.Errorf("end point threshold %g, want above the highest score", last)
	}
}

func TestCalibration(t *testing.T) {
	y := make([]bool, len(tiesY))
	for i, v := range tiesY {
		y[i] = v == 1
	}
	rk, _ := NewRanking(context.Background(), y, tiesS)
	// calibration_curve(y, s, n_bins=5): prob_true, prob_pred of non-empty bins
	bins, err := rk.Calibration(5, Uniform)
	if err != nil {
		t.Fatal(err)
	}
	wantTrue := []float64{0.3333333333333333, 0.5, 0, 0.6666666666666666, 1}
	wantPred := []float64{0.11666666666666668, 0.38749999999999996, 0.5, 0.7166666666666668, 0.9}
	var gotTrue, gotPred, counts []float64
	for _, b := range bins {
		counts = append(counts, b.Count)
		if b.Count > 0 {
			gotTrue = append(gotTrue, b.FractionPositive)
			gotPred = append(gotPred, b.MeanPredicted)
		}
	}
	// 0.4 is an inner edge: searchsorted(side='left') puts it in (0.2, 0.4]
	if want := []float64{3, 4, 1, 3, 1}; !slices.Equal(counts, want) {
		t.Errorf("counts %v, want %v", counts, want)
	}
	for i := range wantTrue {
		if i >= len(gotTrue) || !near(gotTrue[i], wantTrue[i], tol) || !near(gotPred[i], wantPred[i], tol) {
			t.Fatalf("uniform bins: true %v pred %v, want %v %v", gotTrue, gotPred, wantTrue, wantPred)
		}
	}
	// strategy="quantile", n_bins=4
	bins, _ = rk.Calibration(4, QuantileBins)
	wantTrue = []float64{0.3333333333333333, 0.5, 0.5, 0.6666666666666666}
	wantPred = []float64{0.11666666666666668, 0.38749999999999996, 0.575, 0.8000000000000002}
	for i, b := range bins {
		if !near(b.FractionPositive, wantTrue[i], tol) || !near(b.MeanPredicted, wantPred[i], tol) {
			t.Errorf("quantile bin %d = %+v, want true %g pred %g", i, b, wantTrue[i], wantPred[i])
		}
	}
	if _, err := rk.Calibration(0, Uniform); err == nil {
		t.Error("0 bins accepted")
	}
}

func TestLogLossClipping(t *testing.T) {
	// log_loss([1,0,1], [0.0, 1.0, 0.5]) = 24.260151319598084 with 1.2's
	// eps="auto" (2⁻⁵²); eps=1e-15 would give 23.257166522603836.
	got := LogLoss([]bool{true, false, true}, []float64{0, 1, 0.5}, nil)
	if !near(got, 24.260151319598084, tol) {
		t.Errorf("log loss %.17g, want 24.260151319598084", got)
	}
}

func TestBinaryOneClass(t *testing.T) {
	// y = [1,1,1], s = [0.2,0.6,0.9]: roc_auc_score raises
	rep, err := Evaluate(context.Background(), binaryInput([]int32{1, 1, 1}, []float64{0.2, 0.6, 0.9}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkValues(t, rep, map[string]float64{
		"roc_auc":           math.NaN(),
		"average_precision": 1,
		"accuracy":          0.6666666666666666,
		"balanced_accuracy": 0.6666666666666666,
		"precision":         1,
		"recall":            0.6666666666666666,
		"f1":                0.8,
		"mcc":               0,
		"cohen_kappa":       0,
		"log_loss":          0.7418746839526391, // log_loss(y, s, labels=[0,1])
		"brier":             0.2700000000000001,
		"f1_macro":          0.4,
		"ks":                math.NaN(),
	})
	if !hasWarning(rep, "roc_auc is undefined") {
		t.Errorf("warnings %q lack the roc_auc one", rep.Warnings)
	}
	// no positives at all: average_precision_score gives 0 (and warns)
	rep, _ = Evaluate(context.Background(), binaryInput([]int32{0, 0, 0}, []float64{0.2, 0.6, 0.9}), Options{})
	checkValues(t, rep, map[string]float64{"average_precision": 0})
	if !hasWarning(rep, "no positive class") {
		t.Errorf("warnings %q lack the average_precision one", rep.Warnings)
	}
}

func TestNothingPredictedPositive(t *testing.T) {
	// y = [0,1,0,1], all scores below 0.5
	rep, _ := Evaluate(context.Background(), binaryInput([]int32{0, 1, 0, 1}, []float64{0.1, 0.2, 0.3, 0.4}), Options{})
	checkValues(t, rep, map[string]float64{
		"precision": 0, "f1": 0, "mcc": 0, "cohen_kappa": 0,
		"f1_macro": 0.3333333333333333, "precision_weighted": 0.25,
	})
	if !hasWarning(rep, "precision is ill-defined") {
		t.Errorf("warnings %q lack zero_division", rep.Warnings)
	}
	// cohen_kappa_score([0,0],[0,0]) is nan
	c := NewConfusion([]string{"0", "1"}, []int32{0, 0}, []int32{0, 0}, nil)
	if k := c.Kappa(); !math.IsNaN(k) {
		t.Errorf("kappa %g, want NaN", k)
	}
}

func TestMulticlassClassAbsent(t *testing.T) {
	// class "c" never occurs in y_true; argmax predicts it for two rows
	y := []int32{0, 1, 0, 1, 1, 0, 1, 0}
	p := Proba{K: 3, P: []float64{.6, .3, .1, .2, .5, .3, .3, .3, .4, .1, .8, .1, .2, .2, .6, .7, .2, .1, .4, .45, .15, .5, .5, 0}}
	in := Input{Task: MulticlassTask, Classes: []string{"a", "b", "c"}, True: y, Proba: p}
	rep, err := Evaluate(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkValues(t, rep, map[string]float64{
		"accuracy": 0.75, "balanced_accuracy": 0.75, "mcc": 0.6546536707079772, "cohen_kappa": 0.6,
		"precision_macro": 0.6666666666666666, "recall_macro": 0.5, "f1_macro": 0.5714285714285714,
		"precision_micro": 0.75, "recall_micro": 0.75, "f1_micro": 0.75,
		"precision_weighted": 1, "recall_weighted": 0.75, "f1_weighted": 0.8571428571428571,
		"log_loss":    0.7611071116395789, // log_loss(y, P, labels=[0,1,2])
		"roc_auc_ovr": math.NaN(),         // scikit-learn raises
	})
	if !hasWarning(rep, `class "c" does not occur`) || !hasWarning(rep, "y_pred contains class") {
		t.Errorf("warnings %q", rep.Warnings)
	}
	// classification_report(labels=[0,1,2])
	want := []ClassRow{{"a", 1, 0.75, 0.8571428571428571, 4, 3, 0}, {"b", 1, 0.75, 0.8571428571428571, 4, 3, 0}, {"c", 0, 0, 0, 0, 2, math.NaN()}}
	for i, w := range want {
		g := rep.PerClass[i]
		if g.Label != w.Label || !near(g.Precision, w.Precision, tol) || !near(g.Recall, w.Recall, tol) || !near(g.F1, w.F1, tol) || g.Support != w.Support || g.Predicted != w.Predicted {
			t.Errorf("class row %d = %+v, want %+v", i, g, w)
		}
	}
	if !math.IsNaN(rep.PerClass[2].ROCAUC) || math.IsNaN(rep.PerClass[0].ROCAUC) {
		t.Errorf("per-class AUC %v %v", rep.PerClass[0].ROCAUC, rep.PerClass[2].ROCAUC)
	}
}

func TestMacroOverPresentClasses(t *testing.T) {
	// class 2 is absent from y_true and y_pred: f1_score(average="macro")
	// averages over {0,1}; with labels=[0,1,2] over all three.
	in := Input{Task: MulticlassTask, Classes: []string{"0", "1", "2"}, True: []int32{0, 1, 0, 1}, Pred: []int32{0, 0, 0, 1}}
	rep, _ := Evaluate(context.Background(), in, Options{})
	checkValues(t, rep, map[string]float64{"f1_macro": 0.7333333333333334, "roc_auc_ovr": math.NaN()})
	in.AllClasses = true
	rep, _ = Evaluate(context.Background(), in, Options{})
	checkValues(t, rep, map[string]float64{"f1_macro": 0.48888888888888893, "precision_macro": 0.5555555555555555})
}

func TestMulticlassFull(t *testing.T) {
	y := []int32{0, 1, 2, 1, 1, 0, 2, 0, 2, 1}
	p := Proba{K: 3, P: []float64{.6, .3, .1, .2, .5, .3, .3, .3, .4, .1, .8, .1, .2, .2, .6, .7, .2, .1, .4, .45, .15, .5, .25, .25, .1, .1, .8, .3, .3, .4}}
	rep, err := Evaluate(context.Background(), Input{Task: MulticlassTask, Classes: []string{"x", "y", "z"}, True: y, Proba: p}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkValues(t, rep, map[string]float64{
		"roc_auc_ovr": 0.8224206349206349, "roc_auc_ovr_weighted": 0.813095238095238,
		"log_loss": 0.8326903464973107, "f1_macro": 0.7142857142857144, "mcc": 0.5606060606060606,
		"cohen_kappa": 0.5522388059701492, "balanced_accuracy": 0.7222222222222222,
	})
}

func TestRegression(t *testing.T) {
	in := Input{Task: RegressionTask, YTrue: []float64{3, -0.5, 2, 7, 0, 4.2}, YPred: []float64{2.5, 0, 2, 8, 0.3, 4.0}}
	rep, err := Evaluate(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkValues(t, rep, map[string]float64{
		"mae": 0.4166666666666667, "mse": 0.27166666666666667, "r2": 0.9579987116169207,
		"mape":      225179981368525.0, // y = 0 divided by machine epsilon
		"median_ae": 0.4, "explained_variance": 0.9631951900365042, "max_error": 1, "rmse": 0.5212165257037297,
	})
	cases := []struct {
		y, p   []float64
		r2, ev float64
	}{
		{[]float64{2, 2, 2}, []float64{2, 2, 3}, 0, 0}, // force_finite: constant y
		{[]float64{2, 2, 2}, []float64{2, 2, 2}, 1, 1},
		{[]float64{2}, []float64{3}, math.NaN(), 1}, // r2 warns and is nan for one sample; explained_variance_score([2],[3]) = 1.0
	}
	for _, c := range cases {
		g, _ := NewRegression(c.y, c.p)
		s, w := g.Eval(nil)
		if !near(s.R2, c.r2, tol) || !near(s.ExplainedVariance, c.ev, tol) {
			t.Errorf("%v vs %v: r2 %g ev %g, want %g %g", c.y, c.p, s.R2, s.ExplainedVariance, c.r2, c.ev)
		}
		if math.IsNaN(c.r2) != (len(w) > 0) {
			t.Errorf("%v: warnings %q", c.y, w)
		}
	}
	// median_absolute_error([1,2,3,4,5],[1,2,3,4,9]) = 0
	g, _ := NewRegression([]float64{1, 2, 3, 4, 5}, []float64{1, 2, 3, 4, 9})
	if s, _ := g.Eval(nil); s.MedAE != 0 || s.MaxError != 4 {
		t.Errorf("medae %g max %g", s.MedAE, s.MaxError)
	}
	if _, err := NewRegression([]float64{1, math.NaN()}, []float64{1, 2}); err == nil || !strings.Contains(err.Error(), "row 2") {
		t.Errorf("NaN accepted: %v", err)
	}
}

func TestLabelsOnly(t *testing.T) {
	in := Input{Task: BinaryTask, Classes: []string{"no", "yes"}, Pos: 1,
		True: []int32{0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0}, Pred: []int32{0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 1}}
	rep, err := Evaluate(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// the same predictions as tiesS >= 0.5
	checkValues(t, rep, map[string]float64{"accuracy": 0.5833333333333334, "f1": 0.5454545454545454, "roc_auc": math.NaN(), "log_loss": math.NaN()})
	if !hasWarning(rep, "need scores") {
		t.Errorf("warnings %q", rep.Warnings)
	}
}
