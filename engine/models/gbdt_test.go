package models

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"testing"
)

// xgboost 1.7:
//
//	m = xgb.XGBClassifier(tree_method="exact", n_estimators=3, max_depth=2, learning_rate=0.3,
//	    reg_lambda=1.0, min_child_weight=0, base_score=float(y2.mean()), gamma=0).fit(X2, y2)
//	m.predict_proba(X2)[:, 1]
//
// on ccpX, ccpY (see tree_test.go); first tree: f1<64.5 → (f0<65.5 → −0.293233097 | 0.0882353038)
// | (f0<34 → −0.0348837189 | 0.41772154). xgboost computes in float32.
var xgbProba = []float64{0.6236211061477661, 0.32622209191322327, 0.6236211061477661, 0.6236211061477661, 0.49872592091560364, 0.49872592091560364, 0.6236211061477661, 0.22774815559387207, 0.4771401882171631, 0.6236211061477661, 0.6236211061477661, 0.6236211061477661, 0.22774815559387207, 0.30252760648727417, 0.32622209191322327, 0.3909294903278351, 0.32622209191322327, 0.2954277992248535, 0.32622209191322327, 0.6236211061477661, 0.32622209191322327, 0.3346596956253052, 0.6236211061477661, 0.22774815559387207, 0.32622209191322327, 0.32622209191322327, 0.41376397013664246, 0.22774815559387207, 0.32622209191322327, 0.32622209191322327, 0.22774815559387207, 0.4148736894130707, 0.22774815559387207, 0.41376397013664246, 0.41376397013664246, 0.49872592091560364, 0.49872592091560364, 0.3346596956253052, 0.22774815559387207, 0.22774815559387207}

func TestGBDTMatchesXGBoost(t *testing.T) {
	X := rowsMatrix(ccpX)
	m := fitNew(t, "gbdt", map[string]string{"n_estimators": "3", "max_depth": "2", "learning_rate": "0.3",
		"reg_lambda": "1", "min_child_weight": "0"}, X, ccpY, binary).(*GBDT)
	tr := m.Trees[0]
	wantLeaves := map[int]float64{}
	// Our node numbering: 0 root, 1/2 its children, 3..6 grandchildren.
	// xgboost writes "f0<34": it splits at x < 34 where we split at x <= 34;
	// no training value lies at 34, the midpoint of the node's values around it.
	if tr.Feature[0] != 1 || tr.Threshold[0] != 64.5 || tr.Feature[1] != 0 || tr.Threshold[1] != 65.5 || tr.Feature[2] != 0 || tr.Threshold[2] != 34 {
		t.Fatalf("first tree %v %v", tr.Feature, tr.Threshold)
	}
	wantLeaves[3], wantLeaves[4], wantLeaves[5], wantLeaves[6] = -0.293233097, 0.0882353038, -0.0348837189, 0.41772154
	for n, v := range wantLeaves {
		// float32 in xgboost: 1e-7 relative.
		if !near(tr.Value[n], v, 1e-7) {
			t.Errorf("leaf %d = %v, want %v", n, tr.Value[n], v)
		}
	}
	p := make([]float64, 2*X.Rows)
	if err := m.PredictProba(X, p); err != nil {
		t.Fatal(err)
	}
	for i, v := range xgbProba {
		if !near(p[2*i+1], v, 1e-6) {
			t.Errorf("row %d: p=%v, xgboost %v", i, p[2*i+1], v)
		}
	}
}

// One tree with learning rate 1, λ = 0 and no hessian limit is the CART
// regression tree: the squared-error gain ½(G_L²/H_L + G_R²/H_R − G²/H) with
// h = 1 is half the reduction in the sum of squares, and the leaf
// base − G/H is the mean.
func TestGBDTOneTreeIsRegressionTree(t *testing.T) {
	X := rowsMatrix(tenX)
	g := fitNew(t, "gbdt", map[string]string{"n_estimators": "1", "max_depth": "2", "learning_rate": "1",
		"reg_lambda": "0", "min_child_weight": "0"}, X, tenR, FitOptions{})
	c := fitNew(t, "tree", map[string]string{"max_depth": "2"}, X, tenR, FitOptions{})
	a, b := make([]float64, 10), make([]float64, 10)
	if err := g.Predict(X, a); err != nil {
		t.Fatal(err)
	}
	if err := c.Predict(X, b); err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if !near(a[i], b[i], 1e-12) {
			t.Errorf("row %d: gbdt %v, tree %v", i, a[i], b[i])
		}
	}
}

// A stump with log-loss on y = [0,0,0,1 | 1,1,1,1] split at x = 4.5,
// learning rate 1, λ = 0: base = logit(5/8) = ln(5/3); every row has
// p = 5/8, g = p − y, h = p(1−p) = 15/64. Left: G = 3·5/8 − 3/8 = 12/8,
// H = 4·15/64, leaf −G/H = −1.6. Right: G = 4·(5/8 − 1) = −12/8, leaf 1.6.
func TestGBDTLogLossStumpByHand(t *testing.T) {
	X := rowsMatrix([][]float64{{1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}})
	y := []float64{0, 0, 0, 1, 1, 1, 1, 1}
	m := fitNew(t, "gbdt", map[string]string{"n_estimators": "1", "max_depth": "1", "learning_rate": "1",
		"reg_lambda": "0", "min_child_weight": "0"}, X, y, binary).(*GBDT)
	if !near(m.Base[0], math.Log(5.0/3), 1e-15) {
		t.Errorf("base %v, want ln(5/3)", m.Base[0])
	}
	tr := m.Trees[0]
	if tr.Threshold[0] != 3.5 {
		// The best stump for log-loss: left {1,2,3} pure 0.
		t.Fatalf("threshold %v", tr.Threshold[0])
	}
	// Left {1,2,3}: G = 3·5/8 = 15/8, H = 3·15/64 = 45/64, leaf −(15/8)/(45/64) = −8/3.
	// Right: G = 5·(5/8) − 5 = −15/8, H = 5·15/64 = 75/64, leaf 1.6.
	if !near(tr.Value[1], -8.0/3, 1e-12) || !near(tr.Value[2], 1.6, 1e-12) {
		t.Errorf("leaves %v %v, want −8/3 and 1.6", tr.Value[1], tr.Value[2])
	}
	p := make([]float64, 16)
	if err := m.PredictProba(X, p); err != nil {
		t.Fatal(err)
	}
	if want := sigmoid(math.Log(5.0/3) - 8.0/3); !near(p[1], want, 1e-15) || !near(p[0]+p[1], 1, 1e-15) {
		t.Errorf("p(row 0) = %v, want %v", p[1], want)
	}
}

// Multiclass stumps by hand: 9 rows, x0 = 9..1, classes 2,2,2,1,1,1,0,0,0;
// learning rate 1, λ = 0. Every row starts at p_k = 1/3: g = 1/3 − [y=k],
// h = 2/9. Class 0 (x0 ≤ 3): split at 3.5, left G = −2, H = 2/3 → 3,
// right G = 2, H = 4/3 → −1.5 (gain 4.5). Class 2 (x0 ≥ 7): split at 6.5,
// left G = 2, H = 4/3 → −1.5, right G = −2, H = 2/3 → 3. Class 1 ties
// between 3.5 and 6.5 (gain 1.125 both) and takes the first: left
// G = 1 → −1.5, right G = −1, H = 4/3 → 0.75. Class 0's split reorders the
// rows, so classes 1 and 2 catch a tree grown on rows in the wrong order
// (as happened when every row trained: the root histogram paired row i's
// bin with another row's gradient).
func TestGBDTMulticlassStumpsByHand(t *testing.T) {
	X := rowsMatrix([][]float64{{9, 0}, {8, 0}, {7, 0}, {6, 0}, {5, 0}, {4, 0}, {3, 0}, {2, 0}, {1, 0}})
	y := []float64{2, 2, 2, 1, 1, 1, 0, 0, 0}
	m := fitNew(t, "gbdt", map[string]string{"n_estimators": "1", "max_depth": "1", "learning_rate": "1",
		"reg_lambda": "0", "min_child_weight": "0"}, X, y, FitOptions{Task: Multiclass, Classes: []string{"a", "b", "c"}}).(*GBDT)
	want := [3][3]float64{{3.5, 3, -1.5}, {3.5, -1.5, 0.75}, {6.5, -1.5, 3}}
	for k, w := range want {
		tr := m.Trees[k]
		if tr.Feature[0] != 0 || tr.Threshold[0] != w[0] || !near(tr.Value[1], w[1], 1e-12) || !near(tr.Value[2], w[2], 1e-12) {
			t.Errorf("class %d: split x%d <= %v, leaves %v %v; want x0 <= %v, %v %v", k, tr.Feature[0], tr.Threshold[0], tr.Value[1], tr.Value[2], w[0], w[1], w[2])
		}
	}
}

func TestGBDTMulticlassAndEarlyStopping(t *testing.T) {
	X, y := synthCls(3000, 6, 3)
	// Three classes from the binary problem and feature 3.
	for i := range y {
		if X.At(i, 3) > 0.8 {
			y[i] = 2
		}
	}
	opt := FitOptions{Task: Multiclass, Classes: []string{"a", "b", "c"}}
	var iters []float64
	opt.Recorder = RecorderFunc(func(i int, tr, va float64) { iters = append(iters, va) })
	m := fitNew(t, "gbdt", map[string]string{"n_estimators": "500", "early_stopping_rounds": "5", "learning_rate": "0.3"}, X, y, opt).(*GBDT)
	if m.BestIteration >= 500 || len(iters) >= 500 || len(m.Trees) != 3*m.BestIteration {
		t.Fatalf("early stopping: best %d, %d rounds run, %d trees", m.BestIteration, len(iters), len(m.Trees))
	}
	best := math.Inf(1)
	for _, v := range iters {
		best = math.Min(best, v)
	}
	if iters[m.BestIteration-1] != best || len(iters)-m.BestIteration != 5 {
		t.Errorf("kept %d rounds of %d; losses %v", m.BestIteration, len(iters), iters)
	}
	pred := make([]float64, X.Rows)
	if err := m.Predict(X, pred); err != nil {
		t.Fatal(err)
	}
	var ok float64
	for i := range pred {
		if pred[i] == y[i] {
			ok++
		}
	}
	// Training accuracy well above the 45 % majority class.
	if ok/float64(X.Rows) < 0.8 {
		t.Errorf("training accuracy %v", ok/float64(X.Rows))
	}
	p := make([]float64, 3*X.Rows)
	if err := m.PredictProba(X, p); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < X.Rows; i++ {
		if s := p[3*i] + p[3*i+1] + p[3*i+2]; !near(s, 1, 1e-12) {
			t.Fatalf("row %d probabilities sum to %v", i, s)
		}
	}
}

// The heap layout must give exactly the predictions of walking the trees,
// including rows at thresholds, ±Inf and NaN, and in lossguide trees.
func TestGBDTHeapPredictionEqualsTreeWalk(t *testing.T) {
	X, y := synthCls(2000, 5, 4)
	for i := 0; i < X.Rows; i += 7 {
		X.Set(i, i%5, math.NaN())
	}
	for _, params := range []map[string]string{
		{"n_estimators": "20"},
		{"n_estimators": "20", "grow_policy": "lossguide", "max_depth": "none", "max_leaves": "15"},
		{"n_estimators": "5", "max_depth": "9", "min_child_weight": "0"},
	} {
		m := fitNew(t, "gbdt", params, X, y, binary).(*GBDT)
		comp := m.compiledTrees()
		if m.heap == nil {
			t.Fatalf("%v: no heap layout", params)
		}
		// Test rows: training rows plus every threshold and its neighbours.
		T := X.TakeRows([]int{0, 1, 2, 3, 4, 5, 6, 7})
		var extra [][]float64
		for _, tr := range m.Trees {
			for n, f := range tr.Feature {
				if f >= 0 {
					th := tr.Threshold[n]
					for _, v := range []float64{th, math.Nextafter(th, math.Inf(1)), math.Nextafter(th, math.Inf(-1))} {
						row := []float64{0, 0, 0, 0, 0}
						row[f] = v
						extra = append(extra, row)
					}
				}
			}
		}
		extra = append(extra, []float64{math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, -math.MaxFloat64})
		T = rowsMatrix(append(extra, [][]float64{{1, 2, 3, 4, 5}}...))
		got := make([]float64, T.Rows)
		m.raw(T, got)
		for i := 0; i < T.Rows; i++ {
			want := m.Base[0]
			for c := range comp {
				want += comp[c].values[comp[c].leaf(T.Data, T.Rows, i)]
			}
			if got[i] != want {
				t.Fatalf("%v: row %d: heap %v, walk %v", params, i, got[i], want)
			}
		}
	}
}

func TestGBDTSubsampleColsampleAndWeights(t *testing.T) {
	X, y := synthCls(2000, 8, 5)
	w := make([]float64, X.Rows)
	for i := range w {
		w[i] = float64(1 + i%3)
	}
	m, _ := New("gbdt", map[string]string{"subsample": "0.5", "colsample_bytree": "0.5", "n_estimators": "30"}, 3)
	if err := m.Fit(context.Background(), X, y, w, binary); err != nil {
		t.Fatal(err)
	}
	p := make([]float64, 2*X.Rows)
	if err := m.PredictProba(X, p); err != nil {
		t.Fatal(err)
	}
	auc := testAUC(p, y)
	if auc < 0.9 {
		t.Errorf("training AUC %v", auc)
	}
}

// testAUC is the Mann–Whitney AUC of column 1 of p (ties count ½).
func testAUC(p []float64, y []float64) float64 {
	var pos, neg []float64
	for i, v := range y {
		if v == 1 {
			pos = append(pos, p[2*i+1])
		} else {
			neg = append(neg, p[2*i+1])
		}
	}
	var s float64
	for _, a := range pos {
		for _, b := range neg {
			switch {
			case a > b:
				s++
			case a == b:
				s += 0.5
			}
		}
	}
	return s / float64(len(pos)*len(neg))
}

func TestDeterminismAcrossJobs(t *testing.T) {
	X, y := synthCls(3000, 6, 6)
	for _, kind := range []string{"rf", "gbdt"} {
		var outs [][]byte
		for _, jobs := range []string{"1", "2", "2"} {
			params := map[string]string{"n_jobs": jobs, "n_estimators": "8"}
			if kind == "gbdt" {
				params["subsample"] = "0.7"
				params["colsample_bytree"] = "0.8"
			} else {
				params["oob_score"] = "true"
			}
			m := fitNew(t, kind, params, X, y, binary)
			// The fitted state (the file body; the envelope's params name n_jobs).
			body, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			outs = append(outs, body)
		}
		for i := 1; i < len(outs); i++ {
			if !bytes.Equal(outs[0], outs[i]) {
				t.Errorf("%s: file %d differs from the n_jobs=1 file", kind, i)
			}
		}
		if kind != "rf" {
			continue
		}
		other := fitNew(t, kind, map[string]string{"n_estimators": "8", "random_state": "99", "oob_score": "true"}, X, y, binary)
		body, _ := json.Marshal(other)
		if bytes.Equal(body, outs[0]) {
			t.Errorf("%s: another seed gives the same forest", kind)
		}
	}
}

// Rows enough for every step to be split into pieces run in parallel
// (partChunk, rowChunk, serialWork): the same file for any n_jobs, in
// every growth mode, with missing values, weights, row and column samples
// and a validation set.
func TestGBDTDeterminismParallelSizes(t *testing.T) {
	X, y := synthCls(3*partChunk+100, 5, 8)
	for i := 0; i < X.Rows; i += 9 {
		X.Set(i, i%5, math.NaN())
	}
	w := make([]float64, X.Rows)
	for i := range w {
		w[i] = float64(i % 3)
	}
	for _, params := range []map[string]string{
		{"n_estimators": "3"},
		{"n_estimators": "3", "grow_policy": "lossguide", "max_depth": "none", "max_leaves": "12"},
		{"n_estimators": "3", "subsample": "0.8", "colsample_bytree": "0.6", "early_stopping_rounds": "2"},
	} {
		var first []byte
		for _, jobs := range []string{"1", "2", "3", "2"} {
			p := map[string]string{"n_jobs": jobs}
			for k, v := range params {
				p[k] = v
			}
			m, _ := New("gbdt", p, 1)
			if err := m.Fit(context.Background(), X, y, w, binary); err != nil {
				t.Fatal(err)
			}
			body, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = body
			} else if !bytes.Equal(first, body) {
				t.Errorf("%v: n_jobs=%s file differs from the n_jobs=1 file", params, jobs)
			}
		}
	}
}

func TestCancellation(t *testing.T) {
	X, y := synthCls(5000, 6, 7)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, kind := range []string{"tree", "rf", "gbdt"} {
		m, _ := New(kind, nil, 1)
		if err := m.Fit(ctx, X, y, nil, binary); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: %v, want context.Canceled", kind, err)
		}
	}
	// Cancel from the recorder after the third round / tree.
	for _, kind := range []string{"rf", "gbdt"} {
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		opt := binary
		opt.Recorder = RecorderFunc(func(i int, _, _ float64) {
			n++
			if i == 2 {
				cancel()
			}
		})
		m, _ := New(kind, map[string]string{"n_estimators": "200"}, 1)
		if err := m.Fit(ctx, X, y, nil, opt); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: %v, want context.Canceled", kind, err)
		}
		if n > 3 {
			t.Errorf("%s: %d iterations reported after cancelling at the third", kind, n)
		}
		cancel()
	}
}

func TestBadValidationSet(t *testing.T) {
	X := rowsMatrix(tenX)
	for _, kind := range []string{"rf", "gbdt"} {
		for _, tc := range []struct {
			X    *Matrix
			y    []float64
			want string
		}{
			{rowsMatrix([][]float64{{1, 2}}), []float64{2}, "validation target of row 1 is 2; want a class index 0..1"},
			{rowsMatrix([][]float64{{1, 2, 3}}), []float64{1}, "validation matrix is 1×3; training has 2 columns"},
			{rowsMatrix([][]float64{{1, 2}}), []float64{0, 1}, "2 validation targets for 1 rows"},
		} {
			opt := binary
			opt.EvalX, opt.EvalY = tc.X, tc.y
			opt.Recorder = RecorderFunc(func(int, float64, float64) {})
			m, _ := New(kind, nil, 1)
			if err := m.Fit(context.Background(), X, tenY, nil, opt); err == nil || err.Error() != "models: "+kind+": "+tc.want {
				t.Errorf("%s: got %v, want %s", kind, err, tc.want)
			}
		}
	}
}

// gbExp against math.Exp: within 4 units in the last place on a grid over
// its table range, exact at 0, and math.Exp itself beyond ±700 and for
// NaN and ±Inf.
func TestGBExp(t *testing.T) {
	for x := -699.95; x < 700; x += 0.0173 {
		want := math.Exp(x)
		ulp := math.Nextafter(want, math.Inf(1)) - want
		if got := gbExp(x); math.Abs(got-want) > 4*ulp {
			t.Fatalf("gbExp(%v) = %v, math.Exp %v (%.1f ulp)", x, got, want, math.Abs(got-want)/ulp)
		}
	}
	for _, x := range []float64{0, 700, -700, 709.7, -745.2, 1000, -1000, math.Inf(1), math.Inf(-1), math.NaN()} {
		got, want := gbExp(x), math.Exp(x)
		if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("gbExp(%v) = %v, want %v", x, got, want)
		}
	}
}
