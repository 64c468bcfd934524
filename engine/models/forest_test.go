package models

import (
	"context"
	"math"
	"testing"
)

func TestForestAccuracyAndOOB(t *testing.T) {
	X, y := synthCls(4000, 8, 8)
	Xt, yt := synthCls(2000, 8, 9)
	var losses []float64
	opt := binary
	opt.EvalX, opt.EvalY = Xt, yt
	opt.Recorder = RecorderFunc(func(i int, _, v float64) { losses = append(losses, v) })
	m := fitNew(t, "rf", map[string]string{"n_estimators": "40", "oob_score": "true"}, X, y, opt).(*RandomForest)
	if len(losses) != 40 || !(losses[39] < losses[0]) {
		t.Errorf("validation losses %v", losses)
	}
	p := make([]float64, 2*Xt.Rows)
	if err := m.PredictProba(Xt, p); err != nil {
		t.Fatal(err)
	}
	pred := make([]float64, Xt.Rows)
	m.Predict(Xt, pred)
	var acc float64
	for i := range pred {
		if pred[i] == yt[i] {
			acc++
		}
	}
	acc /= float64(Xt.Rows)
	// The OOB accuracy estimates test accuracy: within 3 points here.
	if m.OOB == nil || math.Abs(*m.OOB-acc) > 0.03 {
		t.Errorf("oob %v, test accuracy %v", m.OOB, acc)
	}
	if auc := testAUC(p, yt); auc < 0.9 {
		t.Errorf("test AUC %v", auc)
	}
}

func TestForestRegressionOOB(t *testing.T) {
	X, _ := synthCls(3000, 4, 10)
	y := make([]float64, X.Rows)
	for i := range y {
		y[i] = 2*X.At(i, 0) + X.At(i, 1)*X.At(i, 1)
	}
	m := fitNew(t, "rf", map[string]string{"n_estimators": "30", "oob_score": "true"}, X, y, FitOptions{}).(*RandomForest)
	// R² of a forest on a smooth noiseless function.
	if m.OOB == nil || *m.OOB < 0.9 {
		t.Errorf("oob R² %v", m.OOB)
	}
	if m.p.maxFeatures != "auto" {
		t.Errorf("max_features %q", m.p.maxFeatures)
	}
}

func TestForestNeedsBootstrapForOOB(t *testing.T) {
	m, _ := New("rf", map[string]string{"bootstrap": "false", "oob_score": "true"}, 1)
	err := m.Fit(context.Background(), rowsMatrix(tenX), tenY, nil, binary)
	if err == nil || err.Error() != "models: rf: oob_score needs bootstrap" {
		t.Errorf("got %v", err)
	}
}
