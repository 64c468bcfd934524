package selection

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/mlwb/mlwb/engine/features"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
	"github.com/mlwb/mlwb/engine/stats"
)

// TestDropReasonsAsDefaultPipeline checks that the fast path of dropReasons
// gives DefaultPipeline's drop decisions, reasons included, on columns of
// every type: constant, all missing, ±0 (different bits, different text),
// a single non-missing value, identifiers and free text.
func TestDropReasonsAsDefaultPipeline(t *testing.T) {
	const n = 50
	missing := frame.NewMask(n)
	oneValid := frame.NewMask(n)
	for i := 0; i < n; i++ {
		missing.SetNA(i)
		oneValid.SetNA(i)
	}
	oneValid.SetValid(7)
	f64 := func(name string, fn func(i int) float64, m frame.Mask) frame.Column {
		x := make([]float64, n)
		for i := range x {
			x[i] = fn(i)
		}
		return frame.NewFloat64(name, x, m)
	}
	ints := make([]int64, n)
	bools := make([]bool, n)
	times := make([]int64, n)
	texts := make([]string, n)
	for i := range ints {
		ints[i] = int64(1000 + i)
		bools[i] = true
		times[i] = int64(i%2) * 86400e9
		texts[i] = string(rune('a' + i%26))
	}
	textsMissing := make([]bool, n)
	f, err := frame.New(
		f64("const", func(int) float64 { return 2.5 }, frame.Mask{}),
		f64("zeros", func(i int) float64 { return math.Copysign(0, float64(i%2)-0.5) }, frame.Mask{}),
		f64("allna", func(int) float64 { return 1 }, missing),
		f64("one", func(i int) float64 { return float64(i) }, oneValid),
		f64("x", func(i int) float64 { return float64(i % 3) }, frame.Mask{}),
		frame.NewInt64("customer_id", ints, frame.Mask{}),
		frame.NewBool("flag", bools, frame.Mask{}),
		frame.NewDatetime("day", times, frame.Mask{}),
		frame.CategoricalFromStrings("letter", texts, textsMissing),
		f64("y", func(i int) float64 { return float64(i % 2) }, frame.Mask{}),
	)
	if err != nil {
		t.Fatal(err)
	}
	_, decisions := features.DefaultPipeline(f, "y")
	want := map[string]string{}
	for _, d := range decisions {
		if d.Action == "drop" {
			want[d.Column] = d.Reason
		}
	}
	if len(want) < 5 {
		t.Fatalf("DefaultPipeline dropped only %v: the test no longer covers the fast path", want)
	}
	got, err := dropReasons(ctx, f, "y", 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range f.Names() {
		if got[c] != want[c] {
			t.Errorf("%s: dropReasons %q, DefaultPipeline %q", c, got[c], want[c])
		}
	}
}

// TestResortAsArgsort checks resort against stats.Argsort of the noisy
// values: on data with ties (the noise reorders each run of equal values),
// and with an outlier that makes the noise exceed the gaps between the
// other values (the insertion sort runs out of budget).
func TestResortAsArgsort(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const n = 5000
	ties := make([]float64, n)
	outlier := make([]float64, n)
	for i := range ties {
		ties[i] = float64(r.IntN(40))
		outlier[i] = float64(r.IntN(1000)) * 1e-3
	}
	outlier[17] = 1e12
	for name, x := range map[string][]float64{"ties": ties, "outlier": outlier} {
		ord := make([]int32, n)
		stats.Argsort(x, ord)
		xn := noise(x, newRand(1, 2))
		wantOrd := make([]int32, n)
		want := stats.Argsort(xn, wantOrd)
		got, gotOrd := resort(xn, slices.Clone(ord), make([]float64, n))
		if !slices.Equal(got, want) || !slices.Equal(gotOrd, wantOrd) {
			t.Errorf("%s: resort differs from Argsort", name)
		}
		if slices.Equal(ord, wantOrd) {
			t.Errorf("%s: the noise did not reorder the values; the test checks nothing", name)
		}
	}
}

// BenchmarkMutualInfoCD200k times Ross's estimator on 200,000 points of two
// overlapping Gaussian classes (the sort included).
func BenchmarkMutualInfoCD200k(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	const n = 200000
	x, d := make([]float64, n), make([]int32, n)
	for i := range x {
		d[i] = int32(r.IntN(2))
		x[i] = r.NormFloat64() + float64(d[i])
	}
	xn := noise(x, r)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		MutualInfoCD(xn, d, 3)
	}
}

// TestForestPathsPredictAsForest checks that the forest with cached paths
// predicts, for every feature group shuffled, exactly what the forest
// predicts from scratch: for three classes and for regression, on 70
// columns (columns from 63 on share a mask bit), with missing values and
// groups of two columns.
func TestForestPathsPredictAsForest(t *testing.T) {
	const n, p = 600, 70
	r := rand.New(rand.NewPCG(9, 10))
	X := models.NewMatrix(n, p)
	X.Names = make([]string, p)
	for j := range p {
		X.Names[j] = fmt.Sprint("x", j)
		for i, col := 0, X.Col(j); i < n; i++ {
			col[i] = r.NormFloat64()
			if r.IntN(20) == 0 {
				col[i] = math.NaN()
			}
		}
	}
	ycls, yreg := make([]float64, n), make([]float64, n)
	for i := range n {
		s := X.At(i, 0) + X.At(i, 64) - X.At(i, 5)
		if s != s {
			s = 0
		}
		ycls[i] = float64(min(2, max(0, int(s+1.5))))
		yreg[i] = s + 0.1*r.NormFloat64()
	}
	var groups [][]int
	for j := 0; j < p; {
		w := 1 + j%2
		if j+w > p {
			w = 1
		}
		groups = append(groups, []int{j, j + w - 1}[:w])
		j += w
	}
	names := make([]string, len(groups))
	all := make([]int, len(groups))
	for g := range groups {
		names[g], all[g] = string(rune('A'+g%26))+string(rune('a'+g/26)), g
	}
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	for _, tc := range []struct {
		task    models.Task
		y       []float64
		classes []string
	}{{models.Multiclass, ycls, []string{"0", "1", "2"}}, {models.Regression, yreg, nil}} {
		d := &Design{X: X, Groups: groups, Names: names, Y: tc.y, Task: tc.task, Classes: tc.classes}
		fr, err := fitForest(ctx, d, all, rows[:400], Options{Trees: 5, Seed: 3, Workers: 2}, nil)
		if err != nil {
			t.Fatal(err)
		}
		X0, _ := d.Sub(all, rows[400:])
		fp := newForestPaths(fr, X0)
		want, got := make([]float64, X0.Rows), make([]float64, X0.Rows)
		rerouted := 0
		for g, grp := range groups {
			Xp := models.NewMatrix(X0.Rows, X0.Cols)
			copy(Xp.Data, X0.Data)
			var mask uint64
			perm := r.Perm(X0.Rows)
			for _, c := range grp {
				mask |= colBit(c)
				for i, q := range perm {
					Xp.Col(c)[i] = X0.Col(c)[q]
				}
			}
			if err := fr.Predict(Xp, want); err != nil {
				t.Fatal(err)
			}
			if err := fp.masked(mask).Predict(Xp, got); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%v, group %d: cached paths predict differently", tc.task, g)
			}
			if err := fr.Predict(X0, want); err != nil {
				t.Fatal(err)
			}
			for i := range got {
				if got[i] != want[i] {
					rerouted++
				}
			}
		}
		if rerouted == 0 {
			t.Errorf("%v: no prediction changed under shuffling; the test checks nothing", tc.task)
		}
	}
}

// TestBinEdges checks the forest's bins: one per distinct value when there
// are few (midpoints between neighbours), otherwise at most maxBins bins of
// nearly equal counts with ties kept together.
func TestBinEdges(t *testing.T) {
	got, vals := binEdges([]float64{3, 1, math.NaN(), 2, 1, 3}, 4)
	if want := []float64{1.5, 2.5}; !slices.Equal(got, want) || !slices.Equal(vals, []float64{1, 2, 3}) {
		t.Errorf("few values: edges %v values %v, want %v and 1, 2, 3", got, vals, want)
	}
	if got, _ := binEdges([]float64{math.Inf(-1), 0, math.Inf(1)}, 4); !slices.Equal(got, []float64{-math.MaxFloat64, 0}) {
		t.Errorf("infinite values: edges %v, want [-MaxFloat64 0]", got)
	}
	// 1000 values: 0..899 once each and 100 copies of 450.5; 10 bins.
	x := make([]float64, 0, 1000)
	for i := range 900 {
		x = append(x, float64(i))
	}
	for range 100 {
		x = append(x, 450.5)
	}
	e, vals := binEdges(x, 10)
	if len(e) != 9 || vals != nil {
		t.Fatalf("%d edges, want 9: %v", len(e), e)
	}
	counts := make([]int, len(e)+1)
	for _, v := range x {
		k, _ := slices.BinarySearch(e, v)
		counts[k]++
	}
	for k, c := range counts {
		// Bins of 100 values, but the one holding the copies of 450.5 (ties
		// stay together: 151) and the one after it, shortened by as much
		// (49).
		if c < 40 || c > 200 {
			t.Errorf("bin %d holds %d values (counts %v)", k, c, counts)
		}
	}
}

// TestRedundancyAsPearson checks that the redundant pairs carry exactly
// stats.Pearson's values, for columns with and without missing values.
func TestRedundancyAsPearson(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	const n = 1000
	xs := make([][]float64, 4)
	var cols []frame.Column
	for j := range xs {
		xs[j] = make([]float64, n)
		for i := range n {
			xs[j][i] = r.NormFloat64()
			if j > 0 {
				xs[j][i] = xs[0][i] + 0.1*float64(j)*r.NormFloat64()
			}
		}
		cols = append(cols, frame.NewFloat64(fmt.Sprint("x", j), xs[j], frame.Mask{}))
	}
	xs[3][5] = math.NaN()
	pairs, err := redundancy(ctx, cols, xs, Options{Redundancy: 0.5, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 6 {
		t.Fatalf("%d pairs, want 6: %v", len(pairs), pairs)
	}
	for _, p := range pairs {
		a, b := int(p.A[1]-'0'), int(p.B[1]-'0')
		if want := stats.Pearson(xs[a], xs[b]); p.Pearson != want {
			t.Errorf("%s–%s: %.17g, stats.Pearson %.17g", p.A, p.B, p.Pearson, want)
		}
	}
}

// BenchmarkMutualInfoCC200k times the KSG estimator on 200,000 points of a
// noisy nonlinear relation (the sorts and the 2-d tree included).
func BenchmarkMutualInfoCC200k(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 9))
	const n = 200000
	x, y := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = r.Float64()
		y[i] = math.Sin(3*x[i]) + 0.5*r.NormFloat64()
	}
	xn, yn := noise(x, r), noise(y, r)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		MutualInfoCC(xn, yn, 3)
	}
}

// TestCountAroundBruteForce checks the galloping count against a scan, for
// radii holding from none to all of the values, on data with ties.
func TestCountAroundBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	x := make([]float64, 3000)
	for i := range x {
		x[i] = math.Round(r.NormFloat64()*100) / 10
	}
	slices.Sort(x)
	for _, rad := range []float64{0, 0.05, 0.1, 1, 3, 100} {
		for p := 0; p < len(x); p += 7 {
			want := 0
			for _, v := range x {
				if math.Abs(v-x[p]) <= rad {
					want++
				}
			}
			if got := countAround(x, p, rad); got != want {
				t.Fatalf("radius %v around x[%d] = %v: %d, want %d", rad, p, x[p], got, want)
			}
		}
	}
}

// TestSidonCodes checks that the bin codes increase and that every sum of
// two codes of different bins is different (sidonPairs lost none).
func TestSidonCodes(t *testing.T) {
	for k := 1; k < forestBins; k++ {
		if sidon(k) <= sidon(k-1) {
			t.Fatalf("code of bin %d ≤ code of bin %d", k, k-1)
		}
	}
	if want := forestBins * (forestBins - 1) / 2; len(sidonPairs) != want {
		t.Fatalf("%d distinct sums of two codes, want %d", len(sidonPairs), want)
	}
}

// TestForestAsTreeModelOnRawRows checks that the forest's trees are the
// tree model's fitted on each bootstrap sample of the raw rows (draw
// counts as weights): same structure, thresholds and values, for columns
// with few values (exact bins), many values (quantile bins), ties and
// missing values, in classification and regression.
func TestForestAsTreeModelOnRawRows(t *testing.T) {
	const n, p = 900, 6
	r := rand.New(rand.NewPCG(21, 22))
	X := models.NewMatrix(n, p)
	X.Names = []string{"cont", "ints", "ties", "miss", "bin", "heavy"}
	for i := range n {
		X.Data[0*n+i] = r.NormFloat64()
		X.Data[1*n+i] = float64(r.IntN(30))
		X.Data[2*n+i] = math.Round(r.NormFloat64()*40) / 10
		X.Data[3*n+i] = r.NormFloat64()
		if r.IntN(8) == 0 {
			X.Data[3*n+i] = math.NaN()
		}
		X.Data[4*n+i] = float64(r.IntN(2))
		X.Data[5*n+i] = math.Exp(3 * r.NormFloat64())
	}
	ycls, yreg := make([]float64, n), make([]float64, n)
	for i := range n {
		s := X.Data[i] + 0.1*X.Data[n+i] - X.Data[2*n+i] + X.Data[4*n+i] + 0.3*r.NormFloat64()
		if v := X.Data[3*n+i]; v == v {
			s += v
		}
		if s > 0.5 {
			ycls[i] = 1
		}
		yreg[i] = s
	}
	groups := make([][]int, p)
	all := make([]int, p)
	for j := range p {
		groups[j], all[j] = []int{j}, j
	}
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	for _, tc := range []struct {
		task    models.Task
		y       []float64
		classes []string
	}{{models.Binary, ycls, []string{"0", "1"}}, {models.Regression, yreg, nil}} {
		d := &Design{X: X, Groups: groups, Names: X.Names, Y: tc.y, Task: tc.task, Classes: tc.classes}
		opt := Options{Trees: 6, Seed: 5, Workers: 2}
		fr, err := fitForest(ctx, d, all, rows, opt, nil)
		if err != nil {
			t.Fatal(err)
		}
		maxFeat := "none"
		if tc.task.Classifier() {
			maxFeat = "sqrt"
		}
		for ti, got := range fr.trees {
			// The tree model on all raw rows, out-of-bag rows weighted 0.
			m, err := models.New("tree", map[string]string{"max_features": maxFeat, "min_samples_leaf": "5"}, opt.Seed*1000+uint64(ti))
			if err != nil {
				t.Fatal(err)
			}
			w := make([]float64, n)
			rr := newRand(opt.Seed, uint64(5000+ti))
			for range n {
				w[rr.IntN(n)]++
			}
			if err := m.Fit(ctx, X, tc.y, w, d.fitOptions()); err != nil {
				t.Fatal(err)
			}
			want := m.(*models.DecisionTree).Tree
			g := got.Tree
			if !slices.Equal(g.Feature, want.Feature) || !slices.Equal(g.Left, want.Left) || !slices.Equal(g.Right, want.Right) ||
				!slices.Equal(g.MissingLeft, want.MissingLeft) || !slices.Equal(g.Value, want.Value) || !slices.Equal(g.Weight, want.Weight) {
				t.Fatalf("%v tree %d: structure differs from the tree model's on raw rows", tc.task, ti)
			}
			if !slices.Equal(g.Threshold, want.Threshold) {
				for k := range g.Threshold {
					if g.Threshold[k] != want.Threshold[k] {
						t.Errorf("%v tree %d node %d (feature %s): threshold %v, tree model %v", tc.task, ti, k, X.Names[g.Feature[k]], g.Threshold[k], want.Threshold[k])
					}
				}
				t.FailNow()
			}
		}
	}
}
