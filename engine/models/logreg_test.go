package models

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

// logTargets returns the binary and three-class targets of the snippets:
//
//	yc = (y > np.median(y)).astype(int)
//	y3 = np.digitize(y, np.quantile(y, [1/3, 2/3]))
func logTargets(y []float64) (yc, y3 []float64) {
	s := append([]float64(nil), y...)
	sortFloats(s)
	n := len(s)
	med := (s[n/2-1] + s[n/2]) / 2
	q := func(p float64) float64 { // numpy linear quantile
		h := p * float64(n-1)
		lo := int(h)
		return s[lo] + (h-float64(lo))*(s[min(lo+1, n-1)]-s[lo])
	}
	q1, q2 := q(1.0/3), q(2.0/3)
	yc, y3 = make([]float64, n), make([]float64, n)
	for i, v := range y {
		if v > med {
			yc[i] = 1
		}
		switch {
		case v >= q2:
			y3[i] = 2
		case v >= q1:
			y3[i] = 1
		}
	}
	return yc, y3
}

func sortFloats(v []float64) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j] < v[j-1]; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}

// logregCase holds reference coefficients: rows of weights then intercept.
type logregCase struct {
	name   string
	params map[string]string
	three  bool
	theta  [][]float64
	tol    float64
}

// TestLogRegVsSklearn compares with the exact minimisers of scikit-learn's
// objectives on linTestData (/usr/bin/python3, scikit-learn 1.2):
//
//	from sklearn.linear_model._linear_loss import LinearModelLoss
//	from sklearn._loss.loss import HalfBinomialLoss, HalfMultinomialLoss
//	loss = LinearModelLoss(HalfBinomialLoss(), True)  # or HalfMultinomialLoss(n_classes=3)
//	minimize(loss.loss_gradient, w0, method="L-BFGS-B", jac=True,
//	         args=(X, t, np.ones(n), 1/0.8, 1), options={"gtol": 1e-14, "ftol": 0})
//
// LogisticRegression(C=0.8, tol=1e-10, max_iter=10000) itself stops on
// scipy's ftol and differs from these by up to 4e-6; we stop on the same
// ftol, so the tolerance for l2 is 2e-5. The l1 rows are
// LogisticRegression(penalty="l1", solver="saga", C=0.8, tol=1e-12,
// max_iter=100000), which converges to its objective's minimiser; proximal
// Newton with tol 1e-12 matches it to 1e-6.
func TestLogRegVsSklearn(t *testing.T) {
	X, y := linTestData()
	yc, y3 := logTargets(y)
	cases := []logregCase{
		{"l2 binary", map[string]string{"C": "0.8", "tol": "1e-10", "max_iter": "10000"}, false,
			[][]float64{{1.0225218034049117, -1.951994078004742, -0.7862554425819415, 0.2706049927967526, -0.05941603006326101}}, 2e-5},
		{"l2 multinomial", map[string]string{"C": "0.8", "tol": "1e-10", "max_iter": "10000"}, true,
			[][]float64{{-0.3480548884744933, 1.5102014759674314, 0.754307161475175, -0.5105827783984148, -0.15645850469034736},
				{-0.6033873418588477, -0.0008310519838555563, -0.5736792291254502, 0.38934918116320477, 0.20700632013994635},
				{0.9514422303333409, -1.5093704239835761, -0.18062793234972477, 0.12123359723520967, -0.0505478154496005}}, 2e-5},
		{"l1 binary", map[string]string{"penalty": "l1", "C": "0.8", "tol": "1e-12", "max_iter": "100000"}, false,
			[][]float64{{1.1033110664738441, -2.468890158670241, -0.8135641746632192, 0.010937481109795796, -0.011573086167408512}}, 1e-6},
		{"l1 multinomial", map[string]string{"penalty": "l1", "C": "0.8", "tol": "1e-12", "max_iter": "100000"}, true,
			[][]float64{{0.0, 2.212854357843873, 1.0346283042533984, -0.3613499713028161, -0.3231299849125049},
				{0.0, 0.0, 0.0, 0.0, 0.43184455939703076},
				{1.5462888736314973, -1.8643160689729934, 0.0, 0.0, -0.1087145744845232}}, 1e-6},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := New("logreg", c.params, 0)
			if err != nil {
				t.Fatal(err)
			}
			target, opt := yc, FitOptions{Task: Binary, Classes: []string{"0", "1"}}
			if c.three {
				target, opt = y3, FitOptions{Task: Multiclass, Classes: []string{"0", "1", "2"}}
			}
			var losses []float64
			opt.Recorder = RecorderFunc(func(i int, tr, va float64) { losses = append(losses, tr) })
			if err := m.Fit(context.Background(), X, target, nil, opt); err != nil {
				t.Fatal(err)
			}
			lr := m.(*LogReg)
			for k, row := range c.theta {
				closeTo(t, "coef", lr.Coef[k*4:(k+1)*4], row[:4], c.tol)
				closeTo(t, "intercept", lr.Intercept[k:k+1], row[4:], c.tol)
			}
			if len(losses) != lr.NIter || len(losses) == 0 {
				t.Errorf("%d recorder calls for %d iterations", len(losses), lr.NIter)
			}
			K := len(opt.Classes)
			pr := make([]float64, X.Rows*K)
			if err := m.PredictProba(X, pr); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < X.Rows; i++ {
				var s float64
				for k := 0; k < K; k++ {
					s += pr[i*K+k]
				}
				if math.Abs(s-1) > 1e-12 {
					t.Fatalf("row %d probabilities sum to %v", i, s)
				}
			}
		})
	}
}

func TestLogRegErrorsCancelRoundTrip(t *testing.T) {
	X, y := linTestData()
	yc, y3 := logTargets(y)
	m, _ := New("logreg", nil, 0)
	if err := m.Fit(context.Background(), X, yc, nil, FitOptions{Task: Regression}); err == nil {
		t.Error("logreg fitted a regression task")
	}
	ones := make([]float64, X.Rows)
	m, _ = New("logreg", nil, 0)
	if err := m.Fit(context.Background(), X, ones, nil, FitOptions{Task: Binary, Classes: []string{"a", "b"}}); err == nil || !strings.Contains(err.Error(), "one class") {
		t.Errorf("single class: %v", err)
	}
	Xn := NewMatrix(X.Rows, X.Cols)
	copy(Xn.Data, X.Data)
	Xn.Set(0, 1, math.Inf(1))
	m, _ = New("logreg", nil, 0)
	if err := m.Fit(context.Background(), Xn, yc, nil, FitOptions{Task: Binary, Classes: []string{"a", "b"}}); err == nil || !strings.Contains(err.Error(), `"x1" has 1 infinite`) {
		t.Errorf("Inf feature: %v", err)
	}
	if _, err := New("logreg", map[string]string{"penalty": "elasticnet"}, 0); err == nil {
		t.Error("accepted penalty elasticnet")
	}
	if _, err := New("logreg", map[string]string{"c": "1"}, 0); err == nil || !strings.Contains(err.Error(), `did you mean "C"`) {
		t.Errorf("param c: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, pen := range []string{"l2", "l1"} {
		m, _ = New("logreg", map[string]string{"penalty": pen}, 0)
		if err := m.Fit(ctx, X, y3, nil, FitOptions{Task: Multiclass, Classes: []string{"a", "b", "c"}}); !errors.Is(err, context.Canceled) {
			t.Errorf("%s cancelled: %v", pen, err)
		}
	}
	// Same inputs give the same bytes whatever n_jobs is; a reloaded model
	// predicts the same probabilities.
	var first []byte
	for _, jobs := range []string{"1", "2", "7"} {
		m, _ := New("logreg", map[string]string{"n_jobs": jobs}, 0)
		if err := m.Fit(context.Background(), X, y3, nil, FitOptions{Task: Multiclass, Classes: []string{"a", "b", "c"}}); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := Save(&buf, m); err != nil {
			t.Fatal(err)
		}
		b := bytes.ReplaceAll(buf.Bytes(), []byte(`"n_jobs":"`+jobs+`"`), []byte(`"n_jobs":"1"`))
		if first == nil {
			first = b
		} else if !bytes.Equal(first, b) {
			t.Errorf("n_jobs %s changed the model", jobs)
		}
		back, err := Load(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		p1, p2 := make([]float64, X.Rows*3), make([]float64, X.Rows*3)
		_ = m.PredictProba(X, p1)
		if err := back.PredictProba(X, p2); err != nil {
			t.Fatal(err)
		}
		closeTo(t, "reloaded proba", p2, p1, 0)
	}
}

// TestLogRegFISTA checks the solver penalty l1 uses above newtonMaxFeatures
// features against the same saga reference as TestLogRegVsSklearn (binary
// and multinomial, tolerance 1e-6).
func TestLogRegFISTA(t *testing.T) {
	X, y := linTestData()
	yc, y3 := logTargets(y)
	for _, c := range []struct {
		y     []float64
		nOut  int
		theta []float64
	}{
		{yc, 1, []float64{1.1033110664738441, -2.468890158670241, -0.8135641746632192, 0.010937481109795796, -0.011573086167408512}},
		{y3, 3, []float64{0.0, 2.212854357843873, 1.0346283042533984, -0.3613499713028161, -0.3231299849125049,
			0.0, 0.0, 0.0, 0.0, 0.43184455939703076,
			1.5462888736314973, -1.8643160689729934, 0.0, 0.0, -0.1087145744845232}},
	} {
		ll := newLogLoss(context.Background(), X, c.y, nil, c.nOut, 1, true)
		th, _, err := fista(context.Background(), ll, make([]float64, 5*c.nOut), 4, 1/0.8, 100000, 1e-12, nil)
		if err != nil {
			t.Fatal(err)
		}
		closeTo(t, "fista", th, c.theta, 1e-6)
	}
}

// TestLogRegWeights checks that integer sample weights equal repeated rows
// (both fits converged tightly; tolerance 1e-5 from the ftol stop).
func TestLogRegWeights(t *testing.T) {
	X, y := linTestData()
	_, y3 := logTargets(y)
	w := make([]float64, X.Rows)
	var idx []int
	for i := range w {
		w[i] = float64(1 + i%3)
		for k := 0; k <= i%3; k++ {
			idx = append(idx, i)
		}
	}
	yr := make([]float64, len(idx))
	for k, i := range idx {
		yr[k] = y3[i]
	}
	opt := FitOptions{Task: Multiclass, Classes: []string{"a", "b", "c"}}
	for _, pen := range []string{"l2", "l1"} {
		params := map[string]string{"penalty": pen, "tol": "1e-10", "max_iter": "10000"}
		a, _ := New("logreg", params, 0)
		b, _ := New("logreg", params, 0)
		if err := a.Fit(context.Background(), X, y3, w, opt); err != nil {
			t.Fatal(err)
		}
		if err := b.Fit(context.Background(), X.TakeRows(idx), yr, nil, opt); err != nil {
			t.Fatal(err)
		}
		closeTo(t, pen+" weighted coef", a.(*LogReg).Coef, b.(*LogReg).Coef, 1e-5)
		closeTo(t, pen+" weighted intercept", a.(*LogReg).Intercept, b.(*LogReg).Intercept, 1e-5)
	}
}
