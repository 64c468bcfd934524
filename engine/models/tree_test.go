package models

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

// tenX is a 10-row, 2-feature example; tenY its classes, tenR a regression target.
var (
	tenX = [][]float64{{1, 7}, {2, 3}, {3, 8}, {4, 1}, {5, 6}, {6, 2}, {7, 9}, {8, 4}, {9, 5}, {10, 0}}
	tenY = []float64{0, 0, 0, 1, 0, 1, 1, 1, 1, 1}
	tenR = []float64{1.0, 1.5, 1.2, 3.0, 2.9, 3.3, 5.0, 5.5, 4.8, 5.1}
)

// rowsMatrix builds a Matrix from rows.
func rowsMatrix(rows [][]float64) *Matrix {
	m := NewMatrix(len(rows), len(rows[0]))
	for i, r := range rows {
		for j, v := range r {
			m.Set(i, j, v)
		}
	}
	return m
}

var binary = FitOptions{Task: Binary, Classes: []string{"no", "yes"}}

func fitNew(t *testing.T, kind string, params map[string]string, X *Matrix, y []float64, opt FitOptions) Model {
	t.Helper()
	m, err := New(kind, params, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Fit(context.Background(), X, y, nil, opt); err != nil {
		t.Fatal(err)
	}
	return m
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// Reference values from scikit-learn 1.2:
//
//	X = [[1,7],[2,3],[3,8],[4,1],[5,6],[6,2],[7,9],[8,4],[9,5],[10,0]]
//	y = [0,0,0,1,0,1,1,1,1,1]
//	t = DecisionTreeClassifier(max_depth=1).fit(X, y)
//	t.tree_.feature → [0 -2 -2]; threshold → [5.5 ...]; impurity → [0.48 0.32 0]
//	value (normalised) → [[0.4 0.6] [0.8 0.2] [0 1]]
//	criterion="entropy": threshold 5.5, impurity [0.97095059 0.72192809 0]
func TestTreeStumpMatchesSklearn(t *testing.T) {
	X := rowsMatrix(tenX)
	for _, tc := range []struct {
		crit string
		imp  []float64
	}{
		{"gini", []float64{0.48, 0.32, 0}},
		{"entropy", []float64{0.97095059, 0.72192809, 0}},
	} {
		m := fitNew(t, "tree", map[string]string{"max_depth": "1", "criterion": tc.crit}, X, tenY, binary).(*DecisionTree)
		tr := m.Tree
		if tr.Nodes() != 3 || tr.Feature[0] != 0 || tr.Threshold[0] != 5.5 {
			t.Fatalf("%s: tree %+v, want split on feature 0 at 5.5", tc.crit, tr)
		}
		want := []float64{0.4, 0.6, 0.8, 0.2, 0, 1}
		for i, v := range want {
			if !near(tr.Value[i], v, 1e-12) {
				t.Errorf("%s: value %v, want %v", tc.crit, tr.Value, want)
				break
			}
		}
		for i, v := range tc.imp {
			// sklearn prints 8 decimals.
			if !near(tr.Impurity[i], v, 1e-8) {
				t.Errorf("%s: impurity %v, want %v", tc.crit, tr.Impurity, tc.imp)
			}
		}
	}
}

// scikit-learn 1.2: DecisionTreeRegressor(max_depth=2).fit(X, yr) with
// yr = [1.0,1.5,1.2,3.0,2.9,3.3,5.0,5.5,4.8,5.1]:
// feature [0 0 -2 -2 1 -2 -2], threshold [6.5 3.5 . . 4.5 . .],
// value [3.33 2.15 1.2333333 3.0666667 5.1 5.3 4.9], children_left [1 2 -1 -1 5 -1 -1].
func TestTreeRegressionMatchesSklearn(t *testing.T) {
	m := fitNew(t, "tree", map[string]string{"max_depth": "2"}, rowsMatrix(tenX), tenR, FitOptions{}).(*DecisionTree)
	tr := m.Tree
	wantF := []int32{0, 0, -1, -1, 1, -1, -1}
	wantT := map[int]float64{0: 6.5, 1: 3.5, 4: 4.5}
	wantV := []float64{3.33, 2.15, 1.2333333333, 3.0666666667, 5.1, 5.3, 4.9}
	wantL := []int32{1, 2, -1, -1, 5, -1, -1}
	if tr.Nodes() != 7 {
		t.Fatalf("%d nodes, want 7", tr.Nodes())
	}
	for i := range wantF {
		if tr.Feature[i] != wantF[i] || tr.Left[i] != wantL[i] || !near(tr.Value[i], wantV[i], 1e-9) {
			t.Errorf("node %d: feature %d left %d value %v, want %d %d %v", i, tr.Feature[i], tr.Left[i], tr.Value[i], wantF[i], wantL[i], wantV[i])
		}
		if th, ok := wantT[i]; ok && tr.Threshold[i] != th {
			t.Errorf("node %d threshold %v, want %v", i, tr.Threshold[i], th)
		}
	}
	out := make([]float64, 10)
	if err := m.Predict(rowsMatrix(tenX), out); err != nil {
		t.Fatal(err)
	}
	if !near(out[0], 1.2333333333, 1e-9) || !near(out[9], 5.3, 1e-12) {
		t.Errorf("predictions %v", out)
	}
}

// ccpX, ccpY: 40 rows, from
//
//	rng = np.random.RandomState(0); X2 = np.round(rng.rand(40, 2) * 100)
//	y2 = ((X2[:,0] + X2[:,1] + rng.randn(40)*30) > 100).astype(int)
var (
	ccpX = [][]float64{{55, 72}, {60, 54}, {42, 65}, {44, 89}, {96, 38}, {79, 53}, {57, 93}, {7, 9}, {2, 83}, {78, 87}, {98, 80}, {46, 78}, {12, 64}, {14, 94}, {52, 41}, {26, 77}, {46, 57}, {2, 62}, {61, 62}, {94, 68}, {36, 44}, {70, 6}, {67, 67}, {21, 13}, {32, 36}, {57, 44}, {99, 10}, {21, 16}, {65, 25}, {47, 24}, {16, 11}, {66, 14}, {20, 37}, {82, 10}, {84, 10}, {98, 47}, {98, 60}, {74, 4}, {28, 12}, {30, 12}}
	ccpY = []float64{1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0}
)

// scikit-learn 1.2, DecisionTreeClassifier(random_state=0, ccp_alpha=a).fit(X2, y2):
// a=0 → 27 nodes; a=0.022 → 23 nodes, 12 leaves; a=0.03 → 9 nodes, 5 leaves;
// a=0.05 → 7 nodes, 4 leaves, feature [1 0 -2 1 -2 -2 -2], threshold [64.5 65.5 . 42.5],
// predict_proba[:,1] of the first 5 rows [0.75 0.111111 0.75 0.75 0.285714].
func TestTreeCCPMatchesSklearn(t *testing.T) {
	X := rowsMatrix(ccpX)
	for _, tc := range []struct {
		alpha          string
		nodes, leaves  int
		first5         []float64
		checkStructure bool
	}{
		{"0", 27, 14, []float64{1, 0, 1, 1, 0}, false},
		{"0.022", 23, 12, []float64{1, 0, 1, 1, 0.166667}, false},
		{"0.03", 9, 5, []float64{1, 0.111111, 0.5, 0.5, 0.285714}, false},
		{"0.05", 7, 4, []float64{0.75, 0.111111, 0.75, 0.75, 0.285714}, true},
	} {
		m := fitNew(t, "tree", map[string]string{"ccp_alpha": tc.alpha}, X, ccpY, binary).(*DecisionTree)
		if m.Tree.Nodes() != tc.nodes || m.Tree.Leaves() != tc.leaves {
			t.Errorf("ccp_alpha %s: %d nodes %d leaves, want %d %d", tc.alpha, m.Tree.Nodes(), m.Tree.Leaves(), tc.nodes, tc.leaves)
		}
		p := make([]float64, 2*X.Rows)
		if err := m.PredictProba(X, p); err != nil {
			t.Fatal(err)
		}
		for i, v := range tc.first5 {
			// sklearn values printed rounded to 6 decimals.
			if !near(p[2*i+1], v, 1e-6) {
				t.Errorf("ccp_alpha %s: row %d p=%v, want %v", tc.alpha, i, p[2*i+1], v)
			}
		}
		if tc.checkStructure {
			tr := m.Tree
			if tr.Feature[0] != 1 || tr.Threshold[0] != 64.5 || tr.Feature[1] != 0 || tr.Threshold[1] != 65.5 {
				t.Errorf("ccp_alpha %s: root splits %v %v", tc.alpha, tr.Feature, tr.Threshold)
			}
		}
	}
}

func TestTreeMissingValuesGoToBetterSide(t *testing.T) {
	// Feature 0 separates the classes; the rows missing it are all class 1,
	// so missing values must learn to go with the large values.
	nan := math.NaN()
	X := rowsMatrix([][]float64{{1}, {2}, {3}, {4}, {10}, {11}, {12}, {nan}, {nan}, {13}})
	y := []float64{0, 0, 0, 0, 1, 1, 1, 1, 1, 1}
	m := fitNew(t, "tree", map[string]string{"max_depth": "1"}, X, y, binary).(*DecisionTree)
	if m.Tree.Threshold[0] != 7 || m.Tree.MissingLeft[0] != 0 {
		t.Fatalf("split at %v missing-left %d, want 7 and 0", m.Tree.Threshold[0], m.Tree.MissingLeft[0])
	}
	out := make([]float64, 3)
	if err := m.Predict(rowsMatrix([][]float64{{nan}, {0}, {math.Inf(1)}}), out); err != nil {
		t.Fatal(err)
	}
	if out[0] != 1 || out[1] != 0 || out[2] != 1 {
		t.Errorf("predictions %v, want [1 0 1]", out)
	}
	// A node that saw no missing value sends them to the heavier child.
	X2 := rowsMatrix([][]float64{{1}, {2}, {3}, {10}, {11}, {12}, {13}})
	m2 := fitNew(t, "tree", map[string]string{"max_depth": "1"}, X2, []float64{0, 0, 0, 1, 1, 1, 1}, binary).(*DecisionTree)
	if m2.Tree.MissingLeft[0] != 0 {
		t.Errorf("missing-left %d, want 0 (right child is heavier)", m2.Tree.MissingLeft[0])
	}
}

func TestTreeDegenerateInputs(t *testing.T) {
	ctx := context.Background()
	// Constant features: the tree is a single leaf.
	X := rowsMatrix([][]float64{{1, 5}, {1, 5}, {1, 5}, {1, 5}})
	m := fitNew(t, "tree", nil, X, []float64{0, 1, 0, 1}, binary).(*DecisionTree)
	if m.Tree.Nodes() != 1 || m.Tree.Value[1] != 0.5 {
		t.Errorf("constant features: %d nodes, value %v", m.Tree.Nodes(), m.Tree.Value)
	}
	// More features than rows.
	wide := NewMatrix(3, 50)
	for j := 0; j < 50; j++ {
		for i := 0; i < 3; i++ {
			wide.Set(i, j, float64((i*7+j*3)%5))
		}
	}
	for _, kind := range []string{"tree", "rf", "gbdt"} {
		fitNew(t, kind, nil, wide, []float64{0, 1, 1}, binary)
	}
	// All missing.
	allNaN := rowsMatrix([][]float64{{math.NaN()}, {math.NaN()}, {math.NaN()}})
	for _, kind := range []string{"tree", "rf", "gbdt"} {
		m := fitNew(t, kind, nil, allNaN, []float64{0, 1, 1}, binary)
		p := make([]float64, 6)
		if err := m.PredictProba(allNaN, p); err != nil {
			t.Fatal(err)
		}
	}
	for _, kind := range []string{"tree", "rf", "gbdt"} {
		m, _ := New(kind, nil, 1)
		if err := m.Fit(ctx, NewMatrix(0, 2), nil, nil, binary); err == nil || !strings.Contains(err.Error(), "no rows") {
			t.Errorf("%s empty matrix: %v", kind, err)
		}
		m, _ = New(kind, nil, 1)
		if err := m.Fit(ctx, X, []float64{1, 1, 1, 1}, nil, binary); err == nil || !strings.Contains(err.Error(), "one class") {
			t.Errorf("%s one class: %v", kind, err)
		}
		m, _ = New(kind, nil, 1)
		if err := m.Fit(ctx, X, []float64{0, 1, 2, 1}, nil, binary); err == nil || !strings.Contains(err.Error(), "class index 0..1") {
			t.Errorf("%s bad class: %v", kind, err)
		}
		m, _ = New(kind, nil, 1)
		if err := m.Fit(ctx, X, []float64{0, math.NaN(), 2, 1}, nil, FitOptions{}); err == nil || !strings.Contains(err.Error(), "finite") {
			t.Errorf("%s NaN target: %v", kind, err)
		}
		m, _ = New(kind, nil, 1)
		if err := m.Predict(X, make([]float64, 4)); !errors.Is(err, ErrNotFitted) {
			t.Errorf("%s unfitted predict: %v", kind, err)
		}
		m = fitNew(t, kind, nil, rowsMatrix(tenX), tenR, FitOptions{})
		if err := m.PredictProba(rowsMatrix(tenX), make([]float64, 20)); !errors.Is(err, ErrNotClassifier) {
			t.Errorf("%s regression PredictProba: %v", kind, err)
		}
		if err := m.Predict(X.TakeRows([]int{0}), make([]float64, 1)); err != nil {
			t.Errorf("%s: %v", kind, err)
		}
		if err := m.Predict(rowsMatrix([][]float64{{1, 2, 3}}), make([]float64, 1)); err == nil || !strings.Contains(err.Error(), "3 columns") {
			t.Errorf("%s wrong columns: %v", kind, err)
		}
		if err := m.Fit(ctx, X, tenR[:4], nil, FitOptions{}); !errors.Is(err, ErrFitted) {
			t.Errorf("%s refit: %v", kind, err)
		}
	}
}

func TestCriterionMustFitTask(t *testing.T) {
	m, _ := New("tree", map[string]string{"criterion": "gini"}, 1)
	err := m.Fit(context.Background(), rowsMatrix(tenX), tenR, nil, FitOptions{})
	if err == nil || err.Error() != `models: tree: criterion "gini" does not fit a regression task` {
		t.Errorf("got %v", err)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	X := rowsMatrix(ccpX)
	Xt := rowsMatrix([][]float64{{50, 50}, {math.NaN(), 10}, {100, math.NaN()}, {-5, 1e9}})
	for _, kind := range []string{"tree", "rf", "gbdt"} {
		for _, opt := range []FitOptions{binary, {}} {
			y := ccpY
			if opt.Task == Regression {
				y = make([]float64, len(ccpY))
				for i := range y {
					y[i] = ccpX[i][0]*0.3 + ccpY[i]
				}
			}
			m := fitNew(t, kind, map[string]string{"random_state": "7"}, X, y, opt)
			var buf bytes.Buffer
			if err := Save(&buf, m); err != nil {
				t.Fatal(err)
			}
			first := buf.String()
			l, err := Load(strings.NewReader(first))
			if err != nil {
				t.Fatalf("%s: %v", kind, err)
			}
			var zbuf bytes.Buffer
			zw := gzip.NewWriter(&zbuf)
			if err := Save(zw, m); err != nil || zw.Close() != nil {
				t.Fatal(err)
			}
			if zl, err := Load(&zbuf); err != nil || zl.Kind() != kind {
				t.Fatalf("%s gzipped: %v", kind, err)
			}
			var buf2 bytes.Buffer
			if err := Save(&buf2, l); err != nil {
				t.Fatal(err)
			}
			if buf2.String() != first {
				t.Errorf("%s %s: saving the loaded model gives other bytes", kind, opt.Task)
			}
			a, b := make([]float64, Xt.Rows), make([]float64, Xt.Rows)
			if err := m.Predict(Xt, a); err != nil {
				t.Fatal(err)
			}
			if err := l.Predict(Xt, b); err != nil {
				t.Fatal(err)
			}
			for i := range a {
				if a[i] != b[i] {
					t.Errorf("%s %s: prediction %d %v after load, %v before", kind, opt.Task, i, b[i], a[i])
				}
			}
			if l.Task() != opt.Task || strings.Join(l.Features(), ",") != "x0,x1" {
				t.Errorf("%s: loaded task %s features %v", kind, l.Task(), l.Features())
			}
		}
	}
}

func TestLoadRejectsBadFiles(t *testing.T) {
	m := fitNew(t, "tree", map[string]string{"max_depth": "2"}, rowsMatrix(tenX), tenR, FitOptions{})
	var buf bytes.Buffer
	if err := Save(&buf, m); err != nil {
		t.Fatal(err)
	}
	good := buf.String()
	for _, tc := range []struct{ from, to, want string }{
		{`"format":"mlwb-model"`, `"format":"pickle"`, `format "pickle"`},
		{`"version":1`, `"version":9`, "version 9"},
		{`"kind":"tree"`, `"kind":"tre"`, `no model "tre" (did you mean "tree"?)`},
		{`"left":[1,2`, `"left":[0,2`, "child 0"},
		{`"feature":[0`, `"feature":[5`, "feature 5 of 2"},
		{`"max_depth":"2"`, `"max_depth":"x"`, `"x" is not an integer`},
	} {
		bad := strings.Replace(good, tc.from, tc.to, 1)
		if bad == good {
			t.Fatalf("%q not in %s", tc.from, good)
		}
		if _, err := Load(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.to, err, tc.want)
		}
	}
	if _, err := Load(strings.NewReader("not json")); err == nil || !strings.Contains(err.Error(), "not an mlwb model file") {
		t.Errorf("garbage: %v", err)
	}
}
