package validate

import (
	"errors"
	"reflect"
	"slices"
	"testing"
)

// testsOf returns the test rows of each fold.
func testsOf(folds []Fold) [][]int {
	out := make([][]int, len(folds))
	for i, f := range folds {
		out[i] = f.Test
	}
	return out
}

// checkPartition checks that every fold's train and test parts are disjoint
// and together cover 0..n-1.
func checkPartition(t *testing.T, folds []Fold, n int) {
	t.Helper()
	for fi, f := range folds {
		seen := make([]int, n)
		for _, i := range f.Train {
			seen[i]++
		}
		for _, i := range f.Test {
			seen[i] += 10
		}
		for i, s := range seen {
			if s != 1 && s != 10 {
				t.Fatalf("fold %d: row %d counted %d (want in exactly one part)", fi, i, s)
			}
		}
	}
}

// The literal folds below were printed by scikit-learn 1.2:
//
//	from sklearn.model_selection import KFold, StratifiedKFold, GroupKFold, TimeSeriesSplit
//	X = np.zeros((10, 1))
//	[list(t) for _, t in KFold(3).split(X)]
//	[list(t) for _, t in StratifiedKFold(3).split(X, [0,1,1,0,2,2,1,0,1,1])]
//	[list(t) for _, t in StratifiedKFold(4).split(np.zeros((12,1)), list("babbabbbabba"))]
//	[list(t) for _, t in GroupKFold(3).split(X, groups=[3,3,1,2,2,2,5,5,4,0])]
//	[(list(tr), list(t)) for tr, t in TimeSeriesSplit(3).split(X)]
//	[list(t) for _, t in TimeSeriesSplit(4).split(np.zeros((11,1)))]
func TestKFoldsMatchSklearn(t *testing.T) {
	folds, err := KFolds(10, 3, false, 0)
	if err != nil {
		t.Fatal(err)
	}
	checkPartition(t, folds, 10)
	want := [][]int{{0, 1, 2, 3}, {4, 5, 6}, {7, 8, 9}}
	if got := testsOf(folds); !reflect.DeepEqual(got, want) {
		t.Errorf("KFold(3) tests = %v, want %v", got, want)
	}
}

func TestStratifiedKFoldsMatchSklearn(t *testing.T) {
	cases := []struct {
		y    []int
		k    int
		want [][]int
	}{
		{[]int{0, 1, 1, 0, 2, 2, 1, 0, 1, 1}, 3, [][]int{{0, 1, 2, 4}, {3, 6, 8}, {5, 7, 9}}},
		// "b","a","b","b","a","b","b","b","a","b","b","a": b seen first.
		{[]int{1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0}, 4, [][]int{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9, 10, 11}}},
	}
	for _, c := range cases {
		folds, err := StratifiedKFolds(c.y, c.k, false, 0)
		if err != nil {
			t.Fatal(err)
		}
		checkPartition(t, folds, len(c.y))
		if got := testsOf(folds); !reflect.DeepEqual(got, c.want) {
			t.Errorf("StratifiedKFold(%d) of %v tests = %v, want %v", c.k, c.y, got, c.want)
		}
	}
}

func TestGroupKFoldsMatchSklearn(t *testing.T) {
	folds, err := GroupKFolds([]int{3, 3, 1, 2, 2, 2, 5, 5, 4, 0}, 3)
	if err != nil {
		t.Fatal(err)
	}
	checkPartition(t, folds, 10)
	want := [][]int{{3, 4, 5, 9}, {6, 7, 8}, {0, 1, 2}}
	if got := testsOf(folds); !reflect.DeepEqual(got, want) {
		t.Errorf("GroupKFold(3) tests = %v, want %v", got, want)
	}
	if _, err := GroupKFolds([]int{1, 1, 2, 2}, 3); !errors.Is(err, ErrSplit) {
		t.Errorf("3 folds of 2 groups: err = %v, want ErrSplit", err)
	}
}

func TestTimeSeriesFoldsMatchSklearn(t *testing.T) {
	order := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	folds, err := TimeSeriesFolds(order, 3)
	if err != nil {
		t.Fatal(err)
	}
	wantTest := [][]int{{4, 5}, {6, 7}, {8, 9}}
	wantTrain := [][]int{{0, 1, 2, 3}, {0, 1, 2, 3, 4, 5}, {0, 1, 2, 3, 4, 5, 6, 7}}
	for i, f := range folds {
		if !reflect.DeepEqual(f.Test, wantTest[i]) || !reflect.DeepEqual(f.Train, wantTrain[i]) {
			t.Errorf("fold %d = %v / %v, want %v / %v", i, f.Train, f.Test, wantTrain[i], wantTest[i])
		}
	}
	folds, _ = TimeSeriesFolds([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 4)
	if got, want := testsOf(folds), [][]int{{3, 4}, {5, 6}, {7, 8}, {9, 10}}; !reflect.DeepEqual(got, want) {
		t.Errorf("TimeSeriesSplit(4) of 11 = %v, want %v", got, want)
	}
	// A time column out of row order: folds follow time, not rows.
	ord, err := TimeOrder([]float64{5, 1, 4, 2, 3, 0})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{5, 1, 3, 4, 2, 0}; !reflect.DeepEqual(ord, want) {
		t.Errorf("TimeOrder = %v, want %v", ord, want)
	}
}

func TestShuffledFoldsAreSeeded(t *testing.T) {
	a, _ := KFolds(50, 5, true, 7)
	b, _ := KFolds(50, 5, true, 7)
	c, _ := KFolds(50, 5, true, 8)
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed gave different folds")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("seeds 7 and 8 gave the same folds")
	}
	checkPartition(t, a, 50)
	for _, f := range a {
		if len(f.Test) != 10 {
			t.Errorf("shuffled 5-fold of 50: test size %d, want 10", len(f.Test))
		}
	}
}

func TestStratifiedKeepsProportions(t *testing.T) {
	// 30 of class 0, 10 of class 1, shuffled 5-fold: 6 and 2 per fold.
	y := make([]int, 40)
	for i := 30; i < 40; i++ {
		y[i] = 1
	}
	for _, shuffle := range []bool{false, true} {
		folds, err := StratifiedKFolds(y, 5, shuffle, 3)
		if err != nil {
			t.Fatal(err)
		}
		checkPartition(t, folds, 40)
		for _, f := range folds {
			n1 := 0
			for _, i := range f.Test {
				n1 += y[i]
			}
			if len(f.Test) != 8 || n1 != 2 {
				t.Errorf("shuffle=%v: fold has %d rows, %d of class 1; want 8 and 2", shuffle, len(f.Test), n1)
			}
		}
	}
	rep, err := RepeatedStratifiedKFolds(y, 5, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep) != 15 || rep[14].Repeat != 2 {
		t.Fatalf("3×5 repeated: %d folds, last repeat %d", len(rep), rep[len(rep)-1].Repeat)
	}
	if reflect.DeepEqual(rep[0].Test, rep[5].Test) {
		t.Error("repeats 0 and 1 have the same first fold")
	}
}

func TestStratifiedErrors(t *testing.T) {
	if _, err := StratifiedKFolds([]int{0, 0, 1, 1, 2}, 3, false, 0); !errors.Is(err, ErrSplit) {
		t.Errorf("no class with 3 rows: err = %v", err)
	}
	if w := MinClassWarning([]int{0, 0, 0, 1}, 2); w == "" {
		t.Error("no warning for a class of 1 row with 2 folds")
	}
	if _, err := KFolds(3, 4, false, 0); !errors.Is(err, ErrSplit) {
		t.Errorf("4 folds of 3 rows: err = %v", err)
	}
	if _, err := KFolds(3, 1, false, 0); !errors.Is(err, ErrSplit) {
		t.Errorf("1 fold: err = %v", err)
	}
}

func TestHoldout(t *testing.T) {
	f, err := HoldoutSplit(10, 0.25, 1)
	if err != nil {
		t.Fatal(err)
	}
	// ceil(0.25·10) = 3 test rows, as train_test_split(test_size=0.25).
	if len(f.Test) != 3 || len(f.Train) != 7 {
		t.Errorf("holdout 25%% of 10: %d/%d, want 7/3", len(f.Train), len(f.Test))
	}
	checkPartition(t, []Fold{f}, 10)
	y := make([]int, 100)
	for i := 80; i < 100; i++ {
		y[i] = 1
	}
	s, err := StratifiedHoldoutSplit(y, 0.3, 1)
	if err != nil {
		t.Fatal(err)
	}
	n1 := 0
	for _, i := range s.Test {
		n1 += y[i]
	}
	if len(s.Test) != 30 || n1 != 6 {
		t.Errorf("stratified 30%% of 80/20: %d test rows, %d of class 1; want 30 and 6", len(s.Test), n1)
	}
	for _, frac := range []float64{0, 1, -0.1, 0.999} {
		if _, err := HoldoutSplit(10, frac, 1); !errors.Is(err, ErrSplit) {
			t.Errorf("fraction %v: err = %v", frac, err)
		}
	}
}

func TestBootstrap(t *testing.T) {
	folds, err := BootstrapResamples(1000, 20, 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range folds {
		if len(f.Train) != 1000 {
			t.Fatalf("resample of %d rows", len(f.Train))
		}
		for _, i := range f.Test {
			if _, ok := slices.BinarySearch(f.Train, i); ok {
				t.Fatalf("out-of-bag row %d was drawn", i)
			}
		}
		// E[OOB share] = (1-1/n)^n ≈ 0.368; sd ≈ sqrt(0.368·0.632/1000) ≈ 0.015,
		// so 0.3–0.44 is beyond 4 sd.
		if p := float64(len(f.Test)) / 1000; p < 0.3 || p > 0.44 {
			t.Errorf("out-of-bag share %v", p)
		}
	}
}

func TestSpec(t *testing.T) {
	s := Spec{Scheme: StratifiedKFold}
	if got := s.String(); got != "stratified 5-fold" {
		t.Errorf("String = %q", got)
	}
	if got := (Spec{Scheme: Holdout, Stratify: true}).String(); got != "stratified holdout 20%" {
		t.Errorf("String = %q", got)
	}
	folds, warn, err := s.Folds(10, Data{Classes: []int{0, 0, 0, 0, 0, 0, 1, 1, 1, 1}})
	if err != nil || len(folds) != 5 || len(warn) != 1 {
		t.Errorf("Folds: %d folds, warnings %v, err %v", len(folds), warn, err)
	}
	if _, _, err := s.Folds(10, Data{}); !errors.Is(err, ErrSplit) {
		t.Errorf("stratified without classes: err = %v", err)
	}
	for i := range len(schemeNames) {
		sc, err := ParseScheme(Scheme(i).String())
		if err != nil || sc != Scheme(i) {
			t.Errorf("ParseScheme(%q) = %v, %v", Scheme(i), sc, err)
		}
	}
}
