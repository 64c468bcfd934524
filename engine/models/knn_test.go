package models

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"
)

// knnQueries are the query rows of the snippet
//
//	Q = X[:6] + 0.1 * np.cos(i[:6] + j)
func knnQueries(X *Matrix) *Matrix {
	Q := NewMatrix(6, X.Cols)
	for i := 0; i < 6; i++ {
		for j := 0; j < X.Cols; j++ {
			Q.Set(i, j, X.At(i, j)+0.1*math.Cos(float64(i+j)))
		}
	}
	return Q
}

// TestKNNVsSklearn compares with scikit-learn 1.2 (/usr/bin/python3):
//
//	KNeighborsClassifier().fit(X, y3).predict_proba(Q)
//	KNeighborsClassifier(n_neighbors=4, weights="distance", metric="manhattan").fit(X, y3).predict_proba(Q)
//	KNeighborsRegressor(n_neighbors=3, weights="distance").fit(X, y).predict(Q)
//	KNeighborsRegressor(n_neighbors=3).fit(X, y).predict(Q)
//
// Distances are computed directly rather than by scikit-learn's
// ||x||² − 2xᵀy + ||y||², so the tolerance is 1e-12.
func TestKNNVsSklearn(t *testing.T) {
	X, y := linTestData()
	_, y3 := logTargets(y)
	Q := knnQueries(X)
	cls := FitOptions{Task: Multiclass, Classes: []string{"0", "1", "2"}}
	cases := []struct {
		name   string
		params map[string]string
		opt    FitOptions
		want   []float64
	}{
		{"uniform", nil, cls, []float64{1.0, 0.0, 0.0, 0.4, 0.6, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.2, 0.4, 0.4, 1.0, 0.0, 0.0}},
		{"distance manhattan", map[string]string{"n_neighbors": "4", "weights": "distance", "metric": "manhattan"}, cls,
			[]float64{1.0, 0.0, 0.0, 0.32882697776512637, 0.6711730222348736, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.5139477161093744, 0.48605228389062566, 1.0, 0.0, 0.0}},
		{"regression distance", map[string]string{"n_neighbors": "3", "weights": "distance"}, FitOptions{},
			[]float64{0.05082712130637234, 1.5640190439824098, 5.15365358073744, 4.16340944255428, 2.389527353664239, -1.0074963588106807}},
		{"regression uniform", map[string]string{"n_neighbors": "3"}, FitOptions{},
			[]float64{0.057847342071359664, 1.6124280728132716, 5.202271369979451, 4.166222243831528, 2.4020262197497795, -1.0155805230328843}},
	}
	for _, c := range cases {
		m, err := New("knn", c.params, 0)
		if err != nil {
			t.Fatal(err)
		}
		target := y3
		if !c.opt.Task.Classifier() {
			target = y
		}
		if err := m.Fit(context.Background(), X, target, nil, c.opt); err != nil {
			t.Fatal(err)
		}
		got := make([]float64, len(c.want))
		if c.opt.Task.Classifier() {
			err = m.PredictProba(Q, got)
		} else {
			err = m.Predict(Q, got)
		}
		if err != nil {
			t.Fatal(err)
		}
		closeTo(t, c.name, got, c.want, 1e-12)
		var buf bytes.Buffer
		if err := Save(&buf, m); err != nil {
			t.Fatal(err)
		}
		back, err := Load(&buf)
		if err != nil {
			t.Fatal(err)
		}
		again := make([]float64, len(c.want))
		if c.opt.Task.Classifier() {
			err = back.PredictProba(Q, again)
		} else {
			err = back.Predict(Q, again)
		}
		if err != nil {
			t.Fatal(err)
		}
		closeTo(t, c.name+" reloaded", again, got, 0)
	}
}

// TestKNNTies checks ties and zero distances against scikit-learn:
//
//	L = np.arange(6.0)[:, None]; yl = [0, 1, 0, 1, 0, 1]
//	KNeighborsClassifier(n_neighbors=3).fit(L, yl).kneighbors([[2.5]])  # [[3, 2, 1]]
//	  .predict_proba([[2.5]])                                           # [1/3, 2/3]
//	KNeighborsClassifier(n_neighbors=2, weights="distance").fit(L, yl)
//	  .predict_proba([[2.0], [2.25]])                                   # [1, 0], [0.75, 0.25]
func TestKNNTies(t *testing.T) {
	L := NewMatrix(6, 1)
	for i := 0; i < 6; i++ {
		L.Set(i, 0, float64(i))
	}
	yl := []float64{0, 1, 0, 1, 0, 1}
	opt := FitOptions{Task: Binary, Classes: []string{"a", "b"}}
	m := newKNN()
	m.p.nNeighbors = 3
	if err := m.Fit(context.Background(), L, yl, nil, opt); err != nil {
		t.Fatal(err)
	}
	q := &Matrix{Rows: 1, Cols: 1, Data: []float64{2.5}}
	var nb []int
	if err := m.neighbours(q, func(_ int, _ []float64, idx []int) { nb = append(nb, idx...) }); err != nil {
		t.Fatal(err)
	}
	// Rows 2 and 3 are both at 0.5 (scikit-learn lists 3 first; the set is
	// what matters), and row 1 wins the tie at 1.5 with row 4.
	if len(nb) != 3 || nb[2] != 1 || nb[0]+nb[1] != 5 {
		t.Errorf("neighbours of 2.5: %v, want {2, 3} then 1", nb)
	}
	pr := make([]float64, 2)
	_ = m.PredictProba(q, pr)
	closeTo(t, "tie proba", pr, []float64{1.0 / 3, 2.0 / 3}, 1e-15)
	m = newKNN()
	m.p.nNeighbors, m.p.weights = 2, "distance"
	if err := m.Fit(context.Background(), L, yl, nil, opt); err != nil {
		t.Fatal(err)
	}
	q = &Matrix{Rows: 2, Cols: 1, Data: []float64{2.0, 2.25}}
	pr = make([]float64, 4)
	_ = m.PredictProba(q, pr)
	closeTo(t, "zero distance", pr, []float64{1, 0, 0.75, 0.25}, 1e-15)
}

func TestKNNErrorsAndJobs(t *testing.T) {
	X, y := linTestData()
	m := newKNN()
	if err := m.Fit(context.Background(), X, y, make([]float64, X.Rows), FitOptions{}); err == nil {
		t.Error("knn took weights")
	}
	m = newKNN()
	m.p.nNeighbors = 41
	if err := m.Fit(context.Background(), X, y, nil, FitOptions{}); err == nil || !strings.Contains(err.Error(), "more than the 40 training rows") {
		t.Errorf("k > n: %v", err)
	}
	m = newKNN()
	if err := m.Fit(context.Background(), X, y, nil, FitOptions{}); err != nil {
		t.Fatal(err)
	}
	Q := knnQueries(X)
	Q.Names = []string{"a", "b", "c", "d"}
	Q.Set(2, 1, math.NaN())
	if err := m.Predict(Q, make([]float64, 6)); err == nil || !strings.Contains(err.Error(), `column "b" has 1 missing values; impute`) {
		t.Errorf("NaN query: %v", err)
	}
	if err := m.PredictProba(X, make([]float64, 80)); err != ErrNotClassifier {
		t.Errorf("regressor PredictProba: %v", err)
	}
	// Many query blocks on 1 or 3 goroutines give the same answers.
	big := make([]int, 500)
	for i := range big {
		big[i] = (i * 7) % X.Rows
	}
	Xb := X.TakeRows(big)
	var first []float64
	for _, jobs := range []int{1, 3} {
		m := newKNN()
		m.p.nJobs = jobs
		if err := m.Fit(context.Background(), X, y, nil, FitOptions{}); err != nil {
			t.Fatal(err)
		}
		out := make([]float64, Xb.Rows)
		if err := m.Predict(Xb, out); err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = out
		} else {
			closeTo(t, "n_jobs 3", out, first, 0)
		}
	}
}
