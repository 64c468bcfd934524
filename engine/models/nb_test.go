package models

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"
)

// nbCatData is the integer-coded data of the snippet
//
//	Xc = (i * (j + 2) + j) % (j + 3)    # 40 × 4, codes 0..j+2
func nbCatData() *Matrix {
	X := NewMatrix(40, 4)
	for i := 0; i < 40; i++ {
		for j := 0; j < 4; j++ {
			X.Set(i, j, float64((i*(j+2)+j)%(j+3)))
		}
	}
	return X
}

// TestNBVsSklearn compares predict_proba of the first rows with
// scikit-learn 1.2 (/usr/bin/python3; X, y3 as in linear_test.go and
// logreg_test.go):
//
//	GaussianNB().fit(X, y3).predict_proba(X[:5])
//	GaussianNB(priors=[0.2, 0.3, 0.5], var_smoothing=1e-3).fit(X, y3).predict_proba(X[:3])
//	CategoricalNB().fit(Xc, y3).predict_proba(Xc[:5])
//	CategoricalNB(alpha=0.5, fit_prior=False).fit(Xc, y3).predict_proba(Xc[:3])
//
// The same closed-form statistics and the same logsumexp give agreement to
// 1e-12 (the task asks 1e-9).
func TestNBVsSklearn(t *testing.T) {
	X, y := linTestData()
	_, y3 := logTargets(y)
	Xc := nbCatData()
	cases := []struct {
		name   string
		params map[string]string
		X      *Matrix
		want   []float64
	}{
		{"gaussian", nil, X, []float64{0.9673721951391164, 0.0322151542299438, 0.0004126506309398856, 0.6094995004841248, 0.3748758000740127, 0.015624699441862287, 1.264107226972739e-05, 0.10512154593169798, 0.8948658129960323, 2.6290236409814193e-06, 0.008345397785548733, 0.9916519731908101, 0.07070812269961467, 0.8702205329141196, 0.05907134438626543}},
		{"gaussian priors", map[string]string{"priors": "0.2,0.3,0.5", "var_smoothing": "1e-3"}, X, []float64{0.9512540441820007, 0.04778303537667439, 0.000962920441325051, 0.5042589785464662, 0.46534916869941734, 0.030391852754116936, 5.908049040617719e-06, 0.07076820959477101, 0.9292258823561882}},
		{"categorical", map[string]string{"distribution": "categorical"}, Xc, []float64{0.654314385479254, 0.09201296045802003, 0.253672654062726, 0.23751522533495747, 0.5066991473812426, 0.25578562728380005, 0.3037383177570093, 0.3037383177570093, 0.39252336448598096, 0.4599734630694383, 0.14374170720919943, 0.3962848297213618, 0.04024767801857587, 0.6707946336429307, 0.2889576883384931}},
		{"categorical alpha", map[string]string{"distribution": "categorical", "alpha": "0.5", "fit_prior": "false"}, Xc, []float64{0.7052459941676338, 0.071963876955881, 0.22279012887648555, 0.23093207880035282, 0.5388415172008232, 0.23022640399882388, 0.3107049608355093, 0.3107049608355093, 0.3785900783289818}},
	}
	opt := FitOptions{Task: Multiclass, Classes: []string{"0", "1", "2"}}
	for _, c := range cases {
		m, err := New("nb", c.params, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Fit(context.Background(), c.X, y3, nil, opt); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		rows := len(c.want) / 3
		idx := make([]int, rows)
		for i := range idx {
			idx[i] = i
		}
		got := make([]float64, rows*3)
		if err := m.PredictProba(c.X.TakeRows(idx), got); err != nil {
			t.Fatal(err)
		}
		closeTo(t, c.name, got, c.want, 1e-12)
		var buf bytes.Buffer
		if err := Save(&buf, m); err != nil {
			t.Fatal(err)
		}
		back, err := Load(&buf)
		if err != nil {
			t.Fatalf("%s: load: %v", c.name, err)
		}
		again := make([]float64, rows*3)
		if err := back.PredictProba(c.X.TakeRows(idx), again); err != nil {
			t.Fatal(err)
		}
		closeTo(t, c.name+" reloaded", again, got, 0)
	}
	// GaussianNB's epsilon_ and var_[0] for the default fit.
	m := newNB()
	if err := m.Fit(context.Background(), X, y3, nil, opt); err != nil {
		t.Fatal(err)
	}
	closeTo(t, "epsilon", []float64{m.Epsilon}, []float64{5.05922637974112e-10}, 1e-22)
	closeTo(t, "var class 0", m.Var[:4], []float64{0.21283822671938674, 0.11216643065873272, 0.40534103747057054, 0.3677005925410034}, 1e-14)
}

func TestNBErrors(t *testing.T) {
	X, y := linTestData()
	_, y3 := logTargets(y)
	opt := FitOptions{Task: Multiclass, Classes: []string{"0", "1", "2"}}
	if _, err := New("nb", map[string]string{"priors": "0.5,0.6"}, 0); err == nil || !strings.Contains(err.Error(), "sum to") {
		t.Errorf("priors summing to 1.1: %v", err)
	}
	m, _ := New("nb", map[string]string{"priors": "0.5,0.5"}, 0)
	if err := m.Fit(context.Background(), X, y3, nil, opt); err == nil || !strings.Contains(err.Error(), "2 priors for 3 classes") {
		t.Errorf("2 priors: %v", err)
	}
	// Real values are not category codes.
	m, _ = New("nb", map[string]string{"distribution": "categorical"}, 0)
	if err := m.Fit(context.Background(), X, y3, nil, opt); err == nil || !strings.Contains(err.Error(), "category codes") {
		t.Errorf("categorical on reals: %v", err)
	}
	// A code unseen in training is an error naming the column.
	Xc := nbCatData()
	m, _ = New("nb", map[string]string{"distribution": "categorical"}, 0)
	if err := m.Fit(context.Background(), Xc, y3, nil, opt); err != nil {
		t.Fatal(err)
	}
	q := NewMatrix(1, 4)
	q.Set(0, 3, 9)
	if err := m.PredictProba(q, make([]float64, 3)); err == nil || !strings.Contains(err.Error(), `column "x3" row 1 has category 9`) {
		t.Errorf("unseen code: %v", err)
	}
	// A class without rows gets probability 0 and the file stays finite.
	y4 := append([]float64(nil), y3...)
	m, _ = New("nb", nil, 0)
	if err := m.Fit(context.Background(), X, y4, nil, FitOptions{Task: Multiclass, Classes: []string{"0", "1", "2", "never"}}); err != nil {
		t.Fatal(err)
	}
	pr := make([]float64, X.Rows*4)
	if err := m.PredictProba(X, pr); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < X.Rows; i++ {
		if pr[i*4+3] != 0 || math.IsNaN(pr[i*4]) {
			t.Fatalf("row %d: %v", i, pr[i*4:i*4+4])
		}
	}
	var buf bytes.Buffer
	if err := Save(&buf, m); err != nil {
		t.Fatalf("save with an empty class: %v", err)
	}
	// Weights equal repetition.
	w := make([]float64, X.Rows)
	var idx []int
	for i := range w {
		w[i] = float64(1 + i%2)
		for k := 0; k <= i%2; k++ {
			idx = append(idx, i)
		}
	}
	yr := make([]float64, len(idx))
	for k, i := range idx {
		yr[k] = y3[i]
	}
	for _, dist := range []string{"gaussian", "categorical"} {
		Xa := X
		if dist == "categorical" {
			Xa = Xc
		}
		a, _ := New("nb", map[string]string{"distribution": dist, "var_smoothing": "0"}, 0)
		b, _ := New("nb", map[string]string{"distribution": dist, "var_smoothing": "0"}, 0)
		if err := a.Fit(context.Background(), Xa, y3, w, opt); err != nil {
			t.Fatal(err)
		}
		if err := b.Fit(context.Background(), Xa.TakeRows(idx), yr, nil, opt); err != nil {
			t.Fatal(err)
		}
		pa, pb := make([]float64, Xa.Rows*3), make([]float64, Xa.Rows*3)
		_ = a.PredictProba(Xa, pa)
		_ = b.PredictProba(Xa, pb)
		closeTo(t, dist+" weighted", pa, pb, 1e-12)
	}
}
