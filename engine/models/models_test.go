package models

import (
	"math"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/frame"
)

func TestParamsErrors(t *testing.T) {
	for _, tc := range []struct {
		kind   string
		params map[string]string
		want   string
	}{
		{"gbdt", map[string]string{"max_dpth": "3"}, `models: gbdt has no parameter "max_dpth" (did you mean "max_depth"?)`},
		{"rf", map[string]string{"n_estimator": "3"}, `models: rf has no parameter "n_estimator" (did you mean "n_estimators"?)`},
		{"tree", map[string]string{"zzzzzzzzzz": "3"}, `models: tree has no parameter "zzzzzzzzzz" (it has ccp_alpha, criterion, max_bins, max_depth, max_features, min_impurity_decrease, min_samples_leaf, min_samples_split, random_state)`},
		{"gbdt", map[string]string{"learning_rate": "0"}, `models: gbdt parameter "learning_rate": 0 is out of range (0, 10]`},
		{"gbdt", map[string]string{"max_depth": "deep"}, `models: gbdt parameter "max_depth": "deep" is not an integer or "none"`},
		{"gbdt", map[string]string{"grow_policy": "wide"}, `models: gbdt parameter "grow_policy": "wide" is not one of depthwise, lossguide`},
		{"rf", map[string]string{"max_features": "1.5"}, `models: rf parameter "max_features": "1.5" is not sqrt, log2, auto, a fraction in (0, 1] or a count ≥ 1`},
		{"rf", map[string]string{"bootstrap": "maybe"}, `models: rf parameter "bootstrap": "maybe" is not true or false`},
		{"gbm", nil, `models: no model "gbm" (did you mean "gbdt"?)`},
	} {
		_, err := New(tc.kind, tc.params, 1)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s %v:\n got %v\nwant %s", tc.kind, tc.params, err, tc.want)
		}
	}
	m, err := New("gbdt", map[string]string{"max_depth": "none", "grow_policy": "lossguide", "random_state": "5"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Param{}
	for _, p := range m.Params() {
		got[p.Name] = p
	}
	if got["max_depth"].Value != "none" || got["max_depth"].Default != "6" || got["random_state"].Value != "5" || got["learning_rate"].Value != "0.1" {
		t.Errorf("params %+v", got)
	}
}

func TestMaxFeatures(t *testing.T) {
	for _, tc := range []struct {
		s    string
		p    int
		cls  bool
		want int
	}{
		{"sqrt", 20, false, 4}, {"log2", 20, false, 4}, {"auto", 20, true, 4}, {"auto", 20, false, 20},
		{"0.5", 20, false, 10}, {"1.0", 20, false, 20}, {"3", 20, false, 3}, {"30", 20, false, 20}, {"sqrt", 1, true, 1},
	} {
		if got, err := resolveMaxFeatures(tc.s, tc.p, tc.cls); err != nil || got != tc.want {
			t.Errorf("%s of %d: %d %v, want %d", tc.s, tc.p, got, err, tc.want)
		}
	}
}

func TestDetectTask(t *testing.T) {
	mask := frame.NewMask(3)
	mask.SetNA(1)
	for _, tc := range []struct {
		col     frame.Column
		task    Task
		classes string
		err     string
	}{
		{frame.NewFloat64("y", []float64{1.5, 2, 3}, frame.Mask{}), Regression, "", ""},
		{frame.NewInt64("y", []int64{3, 1, 3, 2}, frame.Mask{}), Multiclass, "1,2,3", ""},
		{frame.NewInt64("y", []int64{10, 0, 10}, frame.Mask{}), Binary, "0,10", ""},
		{frame.NewBool("y", []bool{true, false}, frame.Mask{}), Binary, "false,true", ""},
		{frame.CategoricalFromStrings("label", []string{"yes", "no", "yes"}, nil), Binary, "no,yes", ""},
		{frame.NewString("s", []string{"b", "a", "c"}, frame.Mask{}), Multiclass, "a,b,c", ""},
		{frame.CategoricalFromStrings("x", []string{"yes", "yes"}, nil), 0, "", `models: target "x" has one class ("yes"); nothing to learn`},
		{frame.NewFloat64("y", []float64{1, 2, 3}, mask), 0, "", `models: target "y" has 1 missing values; drop those rows first`},
		{frame.NewFloat64("y", []float64{1, math.Inf(1)}, frame.Mask{}), 0, "", `models: target "y" has non-finite values (+Inf)`},
		{frame.NewDatetime("d", []int64{1, 2}, frame.Mask{}), 0, "", `models: target "d" is datetime; want a number, bool, categorical or string column`},
	} {
		task, classes, err := DetectTask(tc.col)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%s: got %v, want %s", tc.col.Name(), err, tc.err)
			}
			continue
		}
		if err != nil || task != tc.task || strings.Join(classes, ",") != tc.classes {
			t.Errorf("%s: %s %v %v, want %s %s", tc.col.Name(), task, classes, err, tc.task, tc.classes)
		}
		y, err := EncodeTarget(tc.col, task, classes)
		if err != nil || len(y) != tc.col.Len() {
			t.Errorf("encode %s: %v %v", tc.col.Name(), y, err)
		}
	}
	ints := make([]int64, 100)
	for i := range ints {
		ints[i] = int64(i % 21)
	}
	if task, _, _ := DetectTask(frame.NewInt64("y", ints, frame.Mask{})); task != Regression {
		t.Errorf("21 distinct ints: %s, want regression", task)
	}
	y, _ := EncodeTarget(frame.CategoricalFromStrings("label", []string{"yes", "no", "yes"}, nil), Binary, []string{"no", "yes"})
	if y[0] != 1 || y[1] != 0 {
		t.Errorf("encoded %v", y)
	}
}

func TestFromFrame(t *testing.T) {
	f := frame.MustNew(
		frame.NewFloat64("a", []float64{1, 2}, frame.Mask{}),
		frame.NewBool("b", []bool{true, false}, frame.Mask{}),
		frame.CategoricalFromStrings("c", []string{"x", ""}, []bool{false, true}),
		frame.NewString("notes", []string{"p", "q"}, frame.Mask{}),
		frame.NewString("more", []string{"p", "q"}, frame.Mask{}),
	)
	m, err := FromFrame(f, []string{"a", "b", "c"})
	if err != nil {
		t.Fatal(err)
	}
	if m.At(1, 0) != 2 || m.At(0, 1) != 1 || m.At(0, 2) != 0 || !math.IsNaN(m.At(1, 2)) || m.Names[2] != "c" {
		t.Errorf("matrix %+v", m)
	}
	if _, err := FromFrame(f, []string{"a", "notes"}); err == nil || err.Error() != `models: column "notes" is string; encode it first` {
		t.Errorf("got %v", err)
	}
	if _, err := FromFrame(f, []string{"notes", "more"}); err == nil || err.Error() != `models: columns "notes", "more" are string; encode them first` {
		t.Errorf("got %v", err)
	}
	if _, err := FromFrame(f, []string{"nope"}); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("got %v", err)
	}
	sub := m.TakeRows([]int{1, 1, 0})
	if sub.Rows != 3 || sub.At(0, 0) != 2 || sub.At(2, 0) != 1 {
		t.Errorf("take %+v", sub)
	}
}

func TestBinEdges(t *testing.T) {
	// Few distinct values: midpoints (scikit-learn's exact thresholds).
	e := binEdges([]float64{3, 1, 2, 2, math.Inf(1), math.Inf(-1)}, 255)
	want := []float64{-math.MaxFloat64, 1.5, 2.5, 3}
	if len(e) != len(want) {
		t.Fatalf("edges %v, want %v", e, want)
	}
	for i := range want {
		if e[i] != want[i] {
			t.Fatalf("edges %v, want %v", e, want)
		}
	}
	// Many values: at most maxBins−1 increasing edges, bins roughly equal.
	vals := make([]float64, 10000)
	for i := range vals {
		vals[i] = float64((i * 7919) % 10000)
	}
	e = binEdges(append([]float64(nil), vals...), 10)
	if len(e) != 9 {
		t.Fatalf("%d edges", len(e))
	}
	counts := make([]int, 10)
	for _, v := range vals {
		counts[binIndex(e, v)]++
	}
	for _, c := range counts {
		if c != 1000 {
			t.Errorf("bin counts %v, want 1000 each", counts)
			break
		}
	}
	if binIndex(e, math.NaN()) != missingBin {
		t.Error("NaN not in the missing bin")
	}
}
