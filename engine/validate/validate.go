package validate

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
)

// Scheme is a validation scheme.
type Scheme int

// The schemes.
const (
	KFold Scheme = iota
	StratifiedKFold
	RepeatedStratifiedKFold
	GroupKFold
	TimeSeriesSplit
	Holdout
	Bootstrap
	TestSet
)

var schemeNames = [...]string{"kfold", "stratified_kfold", "repeated_stratified_kfold", "group_kfold",
	"time_series", "holdout", "bootstrap", "test_set"}

// String returns the scheme's stable name (kfold, stratified_kfold, ...), as
// written in run records and JSON.
func (s Scheme) String() string {
	if s >= 0 && int(s) < len(schemeNames) {
		return schemeNames[s]
	}
	return fmt.Sprintf("Scheme(%d)", int(s))
}

// ParseScheme returns the scheme named s (as String writes it).
func ParseScheme(s string) (Scheme, error) {
	for i, n := range schemeNames {
		if n == s {
			return Scheme(i), nil
		}
	}
	return 0, fmt.Errorf("validate: unknown scheme %q (want %s)", s, strings.Join(schemeNames[:], ", "))
}

// Fold is one training/test split: row indices into the data. Train may hold
// a row several times (bootstrap). Repeat numbers the repetition of a
// repeated scheme (0 otherwise).
type Fold struct {
	Train, Test []int
	Repeat      int
}

// ErrSplit is wrapped by every error about folds that cannot be made.
var ErrSplit = errors.New("validate: cannot split")

// PCG streams, one per scheme, so that two schemes with one seed do not
// draw the same permutation.
const (
	streamKFold     = 0x6b666f6c64 // "kfold"
	streamStrat     = 0x7374726174 // "strat"
	streamHoldout   = 0x686f6c64   // "hold"
	streamBootstrap = 0x626f6f74   // "boot"
)

func newRand(seed, stream uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, stream)) }

func checkK(n, k int) error {
	if k < 2 {
		return fmt.Errorf("%w: need at least 2 folds, got %d", ErrSplit, k)
	}
	if k > n {
		return fmt.Errorf("%w: %d folds for %d rows", ErrSplit, k, n)
	}
	return nil
}

// foldsFromLabels turns a test-fold label per row into folds.
func foldsFromLabels(label []int, k, repeat int) []Fold {
	test := make([][]int, k)
	for i, f := range label {
		test[f] = append(test[f], i)
	}
	out := make([]Fold, k)
	for f := range out {
		train := make([]int, 0, len(label)-len(test[f]))
		for i, g := range label {
			if g != f {
				train = append(train, i)
			}
		}
		out[f] = Fold{Train: train, Test: test[f], Repeat: repeat}
	}
	return out
}

// KFolds splits n rows into k folds of consecutive rows (scikit-learn's
// KFold(k)); with shuffle the rows are first permuted with the seeded PCG.
func KFolds(n, k int, shuffle bool, seed uint64) ([]Fold, error) {
	if err := checkK(n, k); err != nil {
		return nil, err
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	if shuffle {
		r := newRand(seed, streamKFold)
		r.Shuffle(n, func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
	}
	label := make([]int, n)
	start := 0
	for f := 0; f < k; f++ {
		size := n / k
		if f < n%k {
			size++
		}
		for _, i := range idx[start : start+size] {
			label[i] = f
		}
		start += size
	}
	return foldsFromLabels(label, k, 0), nil
}

// encodeFirstSeen renumbers class labels in order of first appearance, as
// scikit-learn's StratifiedKFold does, and returns the counts per class.
func encodeFirstSeen(y []int) ([]int, []int) {
	id := map[int]int{}
	enc := make([]int, len(y))
	var counts []int
	for i, v := range y {
		c, ok := id[v]
		if !ok {
			c = len(counts)
			id[v] = c
			counts = append(counts, 0)
		}
		enc[i] = c
		counts[c]++
	}
	return enc, counts
}

// stratLabels returns the test fold of every row for a stratified k-fold
// split of classes y; r, when not nil, shuffles each class's fold labels.
func stratLabels(y []int, k int, r *rand.Rand) ([]int, error) {
	n := len(y)
	if err := checkK(n, k); err != nil {
		return nil, err
	}
	enc, counts := encodeFirstSeen(y)
	if slices.Max(counts) < k {
		return nil, fmt.Errorf("%w: %d folds, but no class has %d rows (largest: %d)", ErrSplit, k, k, slices.Max(counts))
	}
	// y_order = sorted enc; allocation[f][c] = count of class c in y_order[f::k].
	order := make([]int, 0, n)
	for c, m := range counts {
		for range m {
			order = append(order, c)
		}
	}
	alloc := make([][]int, k)
	for f := range alloc {
		alloc[f] = make([]int, len(counts))
		for i := f; i < n; i += k {
			alloc[f][order[i]]++
		}
	}
	label := make([]int, n)
	pos := make([]int, len(counts)) // next row of class c
	rowsOf := make([][]int, len(counts))
	for i, c := range enc {
		rowsOf[c] = append(rowsOf[c], i)
	}
	for c := range counts {
		folds := make([]int, 0, counts[c])
		for f := 0; f < k; f++ {
			for range alloc[f][c] {
				folds = append(folds, f)
			}
		}
		if r != nil {
			r.Shuffle(len(folds), func(a, b int) { folds[a], folds[b] = folds[b], folds[a] })
		}
		for _, f := range folds {
			label[rowsOf[c][pos[c]]] = f
			pos[c]++
		}
	}
	return label, nil
}

// StratifiedKFolds splits rows with classes y (any integers) into k folds
// keeping the class proportions (scikit-learn's StratifiedKFold(k)). It
// fails when no class has k rows; classes with fewer than k rows leave
// some folds without them (MinClassWarning says so).
func StratifiedKFolds(y []int, k int, shuffle bool, seed uint64) ([]Fold, error) {
	var r *rand.Rand
	if shuffle {
		r = newRand(seed, streamStrat)
	}
	label, err := stratLabels(y, k, r)
	if err != nil {
		return nil, err
	}
	return foldsFromLabels(label, k, 0), nil
}

// RepeatedStratifiedKFolds is StratifiedKFolds repeated with shuffling,
// repeat r using PCG stream streamStrat+r+1: repeats·k folds.
func RepeatedStratifiedKFolds(y []int, k, repeats int, seed uint64) ([]Fold, error) {
	if repeats < 1 {
		return nil, fmt.Errorf("%w: need at least 1 repeat, got %d", ErrSplit, repeats)
	}
	var out []Fold
	for rep := 0; rep < repeats; rep++ {
		label, err := stratLabels(y, k, newRand(seed, streamStrat+uint64(rep)+1))
		if err != nil {
			return nil, err
		}
		out = append(out, foldsFromLabels(label, k, rep)...)
	}
	return out, nil
}

// MinClassWarning returns a warning when the smallest class of y has fewer
// than k rows (as scikit-learn warns), or "".
func MinClassWarning(y []int, k int) string {
	_, counts := encodeFirstSeen(y)
	if len(counts) > 0 && slices.Min(counts) < k {
		return fmt.Sprintf("the smallest class has only %d rows, fewer than the %d folds", slices.Min(counts), k)
	}
	return ""
}

// GroupKFolds splits rows into k folds so that no group (any integers) is in
// two folds, balancing fold sizes greedily (scikit-learn's GroupKFold(k);
// see the package doc for tie order).
func GroupKFolds(groups []int, k int) ([]Fold, error) {
	n := len(groups)
	if err := checkK(n, k); err != nil {
		return nil, err
	}
	uniq := slices.Clone(groups)
	slices.Sort(uniq)
	uniq = slices.Compact(uniq)
	if len(uniq) < k {
		return nil, fmt.Errorf("%w: %d folds but only %d groups", ErrSplit, k, len(uniq))
	}
	gi := make([]int, n)
	size := make([]int, len(uniq))
	for i, g := range groups {
		j, _ := slices.BinarySearch(uniq, g)
		gi[i] = j
		size[j]++
	}
	// argsort ascending (stable), then reversed.
	idx := make([]int, len(uniq))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return size[idx[a]] < size[idx[b]] })
	slices.Reverse(idx)
	perFold := make([]int, k)
	toFold := make([]int, len(uniq))
	for _, g := range idx {
		light := 0
		for f := 1; f < k; f++ {
			if perFold[f] < perFold[light] {
				light = f
			}
		}
		perFold[light] += size[g]
		toFold[g] = light
	}
	label := make([]int, n)
	for i := range label {
		label[i] = toFold[gi[i]]
	}
	return foldsFromLabels(label, k, 0), nil
}

// TimeSeriesFolds splits rows taken in the order given (row indices sorted
// by time, earliest first) into k expanding-window folds (scikit-learn's
// TimeSeriesSplit(k)): each tests the next block of n/(k+1) rows and trains
// on every row before it.
func TimeSeriesFolds(order []int, k int) ([]Fold, error) {
	n := len(order)
	if k < 2 {
		return nil, fmt.Errorf("%w: need at least 2 splits, got %d", ErrSplit, k)
	}
	if k+1 > n {
		return nil, fmt.Errorf("%w: %d time-series splits need at least %d rows, got %d", ErrSplit, k, k+1, n)
	}
	t := n / (k + 1)
	var out []Fold
	for start := n - k*t; start < n; start += t {
		out = append(out, Fold{Train: slices.Clone(order[:start]), Test: slices.Clone(order[start : start+t])})
	}
	return out, nil
}

// TimeOrder returns the row indices sorted by t (ascending, ties in row
// order); rows whose time is missing (NaN) are an error.
func TimeOrder(t []float64) ([]int, error) {
	idx := make([]int, len(t))
	for i, v := range t {
		if math.IsNaN(v) {
			return nil, fmt.Errorf("%w: the time of row %d is missing", ErrSplit, i+1)
		}
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return t[idx[a]] < t[idx[b]] })
	return idx, nil
}

// holdoutSize returns ceil(frac·n), as scikit-learn's train_test_split.
func holdoutSize(n int, frac float64) (int, error) {
	if !(frac > 0 && frac < 1) {
		return 0, fmt.Errorf("%w: holdout fraction %v is not in (0, 1)", ErrSplit, frac)
	}
	nt := int(math.Ceil(frac * float64(n)))
	if nt < 1 || n-nt < 1 {
		return 0, fmt.Errorf("%w: a holdout of %v of %d rows leaves an empty part", ErrSplit, frac, n)
	}
	return nt, nil
}

// HoldoutSplit tests ceil(frac·n) rows drawn at random (seeded PCG) and
// trains on the rest. Both parts are in row order.
func HoldoutSplit(n int, frac float64, seed uint64) (Fold, error) {
	nt, err := holdoutSize(n, frac)
	if err != nil {
		return Fold{}, err
	}
	perm := newRand(seed, streamHoldout).Perm(n)
	isTest := make([]bool, n)
	for _, i := range perm[:nt] {
		isTest[i] = true
	}
	return partFold(isTest), nil
}

// StratifiedHoldoutSplit is HoldoutSplit keeping the class proportions of y:
// class c gets its share frac·n_c of the ceil(frac·n) test rows, rounded by
// largest remainder (ties to the class seen first).
func StratifiedHoldoutSplit(y []int, frac float64, seed uint64) (Fold, error) {
	n := len(y)
	nt, err := holdoutSize(n, frac)
	if err != nil {
		return Fold{}, err
	}
	enc, counts := encodeFirstSeen(y)
	share := make([]int, len(counts))
	type rem struct {
		c int
		r float64
	}
	rems := make([]rem, len(counts))
	given := 0
	for c, m := range counts {
		exact := float64(nt) * float64(m) / float64(n)
		share[c] = int(exact)
		given += share[c]
		rems[c] = rem{c, exact - float64(share[c])}
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for i := 0; given < nt; i++ {
		c := rems[i%len(rems)].c
		if share[c] < counts[c] {
			share[c]++
			given++
		}
	}
	r := newRand(seed, streamHoldout)
	rowsOf := make([][]int, len(counts))
	for i, c := range enc {
		rowsOf[c] = append(rowsOf[c], i)
	}
	isTest := make([]bool, n)
	for c, rows := range rowsOf {
		r.Shuffle(len(rows), func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
		for _, i := range rows[:share[c]] {
			isTest[i] = true
		}
	}
	f := partFold(isTest)
	if len(f.Train) == 0 || len(f.Test) == 0 {
		return Fold{}, fmt.Errorf("%w: a holdout of %v of %d rows leaves an empty part", ErrSplit, frac, n)
	}
	return f, nil
}

func partFold(isTest []bool) Fold {
	var f Fold
	for i, t := range isTest {
		if t {
			f.Test = append(f.Test, i)
		} else {
			f.Train = append(f.Train, i)
		}
	}
	return f
}

// BootstrapResamples draws B resamples of n rows with replacement (seeded
// PCG): Train holds the n draws sorted by row, Test the out-of-bag rows. A
// resample with no out-of-bag row (possible only for tiny n) is drawn again.
func BootstrapResamples(n, B int, seed uint64) ([]Fold, error) {
	if B < 1 {
		return nil, fmt.Errorf("%w: need at least 1 bootstrap resample, got %d", ErrSplit, B)
	}
	if n < 2 {
		return nil, fmt.Errorf("%w: bootstrap needs at least 2 rows, got %d", ErrSplit, n)
	}
	r := newRand(seed, streamBootstrap)
	out := make([]Fold, 0, B)
	count := make([]int, n)
	for len(out) < B {
		clear(count)
		for range n {
			count[r.IntN(n)]++
		}
		var f Fold
		f.Train = make([]int, 0, n)
		for i, c := range count {
			for range c {
				f.Train = append(f.Train, i)
			}
			if c == 0 {
				f.Test = append(f.Test, i)
			}
		}
		if len(f.Test) > 0 {
			out = append(out, f)
		}
	}
	return out, nil
}
