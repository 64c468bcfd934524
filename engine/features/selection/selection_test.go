package selection

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/stats"
)

var ctx = context.Background()

func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b))
}

// refData is the fixed data of the scikit-learn reference values:
//
//	n=60; i=np.arange(n)
//	x1=np.sin(0.7*i)*2+0.01*i; x2=(i*37%101)/10.0; cat=i%3
//	ycls=((x1+0.8*np.cos(1.3*i))>0).astype(int)
//	y3=(np.floor((x2+(i%7))/4)%3).astype(int)
//	yreg=x1*2+np.cos(i)
func refData() (x1, x2 []float64, cat []int32, ycls, y3 []int32, yreg []float64) {
	for i := 0; i < 60; i++ {
		fi := float64(i)
		a := math.Sin(0.7*fi)*2 + 0.01*fi
		b := float64(i*37%101) / 10
		x1 = append(x1, a)
		x2 = append(x2, b)
		cat = append(cat, int32(i%3))
		c := int32(0)
		if a+0.8*math.Cos(1.3*fi) > 0 {
			c = 1
		}
		ycls = append(ycls, c)
		y3 = append(y3, int32(math.Mod(math.Floor((b+float64(i%7))/4), 3)))
		yreg = append(yreg, a*2+math.Cos(fi))
	}
	return
}

// TestAgainstScikitLearn checks MI, χ² and F against scikit-learn 1.2:
//
//	mutual_info_classif(X, ycls, discrete_features=[False, False, True],
//	    n_neighbors=3, random_state=0)   → [0.4512784303003574, 0, 0.01400395046789107]
//	(random_state=1 gives the same: on tie-free data the 1e-10 noise never
//	changes a neighbour, so we match without reproducing numpy's stream)
//	mutual_info_classif(X, y3, …)      → [0, 0.1955882730195031, 0.00587149553544267]
//	mutual_info_regression(X, yreg, …) → [1.2050554131367377, 0, 0.16080902198632185]
//	chi2(x2[:, None], ycls)            → 0.328531358689557, p 0.5665251596363197
//	chi2(one_hot(cat), ycls).sum()     → 1.6666666666666665 (= the contingency χ²,
//	    p 0.4345982085070783 by scipy.stats.chi2_contingency(correction=False))
//	f_classif(X[:, :2], ycls)  → F [118.47253171123809, 0.18567487360520002],
//	                             p [1.2223140010232885e-15, 0.6681382495980881]
//	f_classif(X[:, :2], y3)    → F [1.0189716075735589, 7.6819300456917015],
//	                             p [0.3674461031399674, 0.00111189612279404]
//	f_regression(X[:, :2], yreg) → F [898.9145347056456, 0.6984249927986234],
//	                             p [5.315647515513997e-37, 0.40674309954836463]
//
// Tolerances: 1e-9 relative for MI (digamma sums over 60 points; numpy and
// Go sin may differ in the last bit), 1e-10 for the closed forms, 1e-6
// relative for p-values (different incomplete-beta implementations).
func TestAgainstScikitLearn(t *testing.T) {
	x1, x2, cat, ycls, y3, yreg := refData()
	r := newRand(0, 1)
	x1n, x2n := noise(x1, r), noise(x2, r)
	check := func(name string, got, want, tol float64) {
		t.Helper()
		if !near(got, want, tol) {
			t.Errorf("%s = %.17g, want %.17g", name, got, want)
		}
	}
	// p-values: relative tolerance, however small they are.
	checkP := func(name string, got, want, tol float64) {
		t.Helper()
		if !(math.Abs(got-want) <= tol*want) {
			t.Errorf("%s = %.17g, want %.17g (relative %g)", name, got, want, tol)
		}
	}
	check("MI(x1; ycls)", MutualInfoCD(x1n, ycls, 3), 0.4512784303003574, 1e-9)
	check("MI(x2; ycls)", MutualInfoCD(x2n, ycls, 3), 0, 1e-9)
	check("MI(cat; ycls)", MutualInfoDD(stats.NewContingency(cat, ycls, 3, 2)), 0.01400395046789107, 1e-12)
	check("MI(x1; y3)", MutualInfoCD(x1n, y3, 3), 0, 1e-9)
	check("MI(x2; y3)", MutualInfoCD(x2n, y3, 3), 0.1955882730195031, 1e-9)
	check("MI(cat; y3)", MutualInfoDD(stats.NewContingency(cat, y3, 3, 3)), 0.00587149553544267, 1e-12)
	yn := noise(yreg, r)
	check("MI(x1; yreg)", MutualInfoCC(x1n, yn, 3), 1.2050554131367377, 1e-9)
	check("MI(x2; yreg)", MutualInfoCC(x2n, yn, 3), 0, 1e-9)
	check("MI(cat; yreg)", MutualInfoCD(yn, cat, 3), 0.16080902198632185, 1e-9)
	c, p := chi2Counts(x2, ycls, 2)
	check("chi2(x2)", c, 0.328531358689557, 1e-10)
	checkP("chi2 p(x2)", p, 0.5665251596363197, 1e-6)
	F, p := anova(x1, ycls)
	check("f_classif(x1)", F, 118.47253171123809, 1e-10)
	checkP("f_classif p(x1)", p, 1.2223140010232885e-15, 1e-6)
	F, p = anova(x2, ycls)
	check("f_classif(x2)", F, 0.18567487360520002, 1e-10)
	checkP("f_classif p(x2)", p, 0.6681382495980881, 1e-6)
	F, p = anova(x2, y3)
	check("f_classif(x2, y3)", F, 7.6819300456917015, 1e-10)
	checkP("f_classif p(x2, y3)", p, 0.00111189612279404, 1e-6)
	F, p = fRegression(x1, yreg)
	check("f_regression(x1)", F, 898.9145347056456, 1e-10)
	checkP("f_regression p(x1)", p, 5.315647515513997e-37, 1e-6)
	F, p = fRegression(x2, yreg)
	checkP("f_regression p(x2)", p, 0.40674309954836463, 1e-6)
	check("f_regression(x2)", F, 0.6984249927986234, 1e-10)

	// The same through Score on a frame, categorical feature included.
	lv := []string{"a", "b", "c"}
	cs := make([]string, 60)
	ys := make([]string, 60)
	for i := range cs {
		cs[i] = lv[cat[i]]
		ys[i] = []string{"no", "yes"}[ycls[i]]
	}
	f := frame.MustNew(
		frame.NewFloat64("x1", x1, frame.Mask{}), frame.NewFloat64("x2", x2, frame.Mask{}),
		frame.CategoricalFromStrings("cat", cs, nil), frame.CategoricalFromStrings("y", ys, nil),
	)
	rep, err := Score(ctx, f, "y", Options{NoModels: true})
	if err != nil {
		t.Fatal(err)
	}
	check("Score MI x1", rep.Features[0].MutualInfo, 0.4512784303003574, 1e-9)
	check("Score chi2 cat", rep.Features[2].Chi2, 1.6666666666666665, 1e-12)
	checkP("Score chi2 p cat", rep.Features[2].Chi2P, 0.4345982085070783, 1e-6)
	check("Score chi2 x1 (negative values)", rep.Features[0].Chi2, math.NaN(), 0)
	if rep.Features[0].Rank != 1 || rep.Features[2].Rank != 2 || rep.Features[1].Rank != 3 {
		t.Errorf("ranks by MI: %d %d %d", rep.Features[0].Rank, rep.Features[1].Rank, rep.Features[2].Rank)
	}
}

func TestKNNMatchesBruteForce(t *testing.T) {
	// The 2-d tree and the 1-d searches against an O(n²) scan, on data
	// with many ties in x (a few distinct values plus noise).
	r := rand.New(rand.NewPCG(3, 4))
	n := 400
	x, y := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = float64(r.IntN(4)) + 1e-9*r.NormFloat64()
		y[i] = x[i]*0.5 + r.NormFloat64()
	}
	tree := newKDTree(x, y)
	best := make([]float64, 3)
	for i := range x {
		var d []float64
		for j := range x {
			if j != i {
				d = append(d, math.Max(math.Abs(x[i]-x[j]), math.Abs(y[i]-y[j])))
			}
		}
		slices.Sort(d)
		if got := tree.kth(x[i], y[i], i, best); got != d[2] {
			t.Fatalf("point %d: 3rd neighbour at %v, brute force %v", i, got, d[2])
		}
	}
	sorted := append([]float64(nil), y...)
	slices.Sort(sorted)
	for p := range sorted {
		var d []float64
		for q := range sorted {
			if q != p {
				d = append(d, math.Abs(sorted[q]-sorted[p]))
			}
		}
		slices.Sort(d)
		if got := kthGap(sorted, p, 3); got != d[2] {
			t.Fatalf("1-d point %d: %v, want %v", p, got, d[2])
		}
	}
}

// informative returns n rows where y depends on a and b only; c, d, e are
// noise, and a2 is a near copy of a (a redundant pair).
func informative(n int) *frame.Frame {
	r := rand.New(rand.NewPCG(11, 12))
	cols := map[string][]float64{}
	names := []string{"a", "b", "c", "d", "e", "a2"}
	for _, nm := range names {
		cols[nm] = make([]float64, n)
	}
	y := make([]string, n)
	for i := 0; i < n; i++ {
		a, b := r.NormFloat64(), r.NormFloat64()
		cols["a"][i], cols["b"][i] = a, b
		cols["c"][i], cols["d"][i], cols["e"][i] = r.NormFloat64(), r.NormFloat64(), r.NormFloat64()
		cols["a2"][i] = a + 0.05*r.NormFloat64()
		if 2*a-1.5*b+0.3*r.NormFloat64() > 0 {
			y[i] = "yes"
		} else {
			y[i] = "no"
		}
	}
	var fc []frame.Column
	for _, nm := range names {
		fc = append(fc, frame.NewFloat64(nm, cols[nm], frame.Mask{}))
	}
	fc = append(fc, frame.CategoricalFromStrings("y", y, nil))
	return frame.MustNew(fc...)
}

func TestScoreAndMethods(t *testing.T) {
	f := informative(800)
	rep, err := Score(ctx, f, "y", Options{Seed: 1, Trees: 30})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Redundant) != 1 || rep.Redundant[0].A != "a" || rep.Redundant[0].B != "a2" {
		t.Errorf("redundant pairs %+v", rep.Redundant)
	}
	byName := map[string]Feature{}
	for _, ft := range rep.Features {
		byName[ft.Name] = ft
	}
	for _, noiseName := range []string{"c", "d", "e"} {
		for _, sc := range []string{"mutual_info", "tree_importance", "permutation_importance", "l1_coef", "anova_f"} {
			if math.Abs(byName[noiseName].Get(sc)) >= math.Abs(byName["b"].Get(sc)) {
				t.Errorf("%s: noise %s (%v) scores at least b (%v)", sc, noiseName, byName[noiseName].Get(sc), byName["b"].Get(sc))
			}
		}
	}
	if s := byName["a"].Tree + byName["b"].Tree + byName["c"].Tree + byName["d"].Tree + byName["e"].Tree + byName["a2"].Tree; !near(s, 1, 1e-9) {
		t.Errorf("tree importances sum to %v", s)
	}
	top, err := TopK(rep, "anova_f", 3)
	if err != nil || strings.Join(top, ",") != "a,a2,b" && strings.Join(top, ",") != "a2,a,b" {
		t.Errorf("top 3 by F: %v %v", top, err)
	}
	thr, _ := Threshold(rep, "mutual_info", byName["b"].MutualInfo)
	if len(thr) < 2 || !slices.Contains(thr, "b") {
		t.Errorf("threshold: %v", thr)
	}
	d, err := NewDesign(ctx, f, "y", nil)
	if err != nil {
		t.Fatal(err)
	}
	wantAB := func(method string, got []string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		slices.Sort(got)
		if j := strings.Join(got, ","); j != "a,b" && j != "a2,b" {
			t.Errorf("%s selected %v, want a (or its copy a2) and b", method, got)
		}
	}
	got, _, err := RFE(ctx, d, 2, MethodOptions{Seed: 1, Trees: 20})
	wantAB("rfe", got, err)
	got, steps, err := Sequential(ctx, d, 2, true, MethodOptions{Seed: 1})
	wantAB("sfs", got, err)
	if len(steps) != 2 || !(steps[1].Score > steps[0].Score) {
		t.Errorf("sfs steps %+v", steps)
	}
	got, _, err = Sequential(ctx, d, 2, false, MethodOptions{Seed: 1, Folds: 3})
	wantAB("sbs", got, err)
	if _, _, err := RFE(ctx, d, 9, MethodOptions{}); err == nil || !strings.Contains(err.Error(), "k = 9") {
		t.Errorf("k too large: %v", err)
	}
	if _, err := TopK(rep, "nope", 2); err == nil {
		t.Error("unknown score accepted")
	}
}

func TestRegressionAndMixedTypes(t *testing.T) {
	n := 300
	r := rand.New(rand.NewPCG(5, 6))
	x, y := make([]float64, n), make([]float64, n)
	b := make([]bool, n)
	lv := make([]string, n)
	id := make([]string, n)
	miss := frame.NewMask(n)
	for i := range x {
		x[i] = r.NormFloat64()
		b[i] = r.IntN(2) == 1
		lv[i] = []string{"p", "q", "r"}[i%3]
		id[i] = "id-" + string(rune('A'+i%26)) + string(rune('A'+i/26))
		y[i] = 3*x[i] + float64(i%3) + 0.1*r.NormFloat64()
		if b[i] {
			y[i] += 0.5
		}
		if i%10 == 0 {
			miss.SetNA(i)
		}
	}
	f := frame.MustNew(
		frame.NewFloat64("x", x, miss), frame.NewBool("b", b, frame.Mask{}),
		frame.CategoricalFromStrings("lv", lv, nil), frame.NewString("id", id, frame.Mask{}),
		frame.NewFloat64("y", y, frame.Mask{}),
	)
	rep, err := Score(ctx, f, "y", Options{Seed: 2, Trees: 20})
	if err != nil {
		t.Fatal(err)
	}
	ft := map[string]Feature{}
	for _, v := range rep.Features {
		ft[v.Name] = v
	}
	if !near(ft["x"].MissingRatio, 0.1, 1e-12) || !(ft["x"].Pearson > 0.9) || !math.IsNaN(ft["x"].Chi2) {
		t.Errorf("x: %+v", ft["x"])
	}
	if !(ft["lv"].AnovaF > 1) || !math.IsNaN(ft["lv"].Pearson) {
		t.Errorf("lv: %+v", ft["lv"])
	}
	if ft["id"].Dropped == "" || !math.IsNaN(ft["id"].Tree) {
		t.Errorf("id not dropped from model scores: %+v", ft["id"])
	}
	if ft["x"].Rank != 1 {
		t.Errorf("x rank %d", ft["x"].Rank)
	}
}

// BenchmarkScoreCls200k scores the 20 features of the benchmark "cls"
// table (go run ../shared/bench/gencsv/main.go -kind cls -rows 200000 >
// /tmp/cls.csv), mutual information included: "stats" without the
// model-based scores, "all" with them (the default of mlwb features and the
// Features screen). Besides ns/op it reports cpu-s/op, the process's user +
// system CPU time per Score, which a busy shared machine disturbs less than
// wall time.
func BenchmarkScoreCls200k(b *testing.B) {
	if _, err := os.Stat("/tmp/cls.csv"); err != nil {
		b.Skip("no /tmp/cls.csv; see the doc comment")
	}
	f, err := dataio.Load(ctx, "/tmp/cls.csv", dataio.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, noModels := range []bool{true, false} {
		name := "all"
		if noModels {
			name = "stats"
		}
		b.Run(name, func(b *testing.B) {
			cpu := processCPU()
			for i := 0; i < b.N; i++ {
				if _, err := Score(ctx, f, "label", Options{NoModels: noModels}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((processCPU()-cpu).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// BenchmarkScoreReg200k scores the 10 features of the benchmark "reg" table
// (go run ../shared/bench/gencsv/main.go -kind reg -rows 200000 >
// /tmp/reg.csv; Friedman #1) with every score, the KSG mutual information
// of two continuous variables included.
func BenchmarkScoreReg200k(b *testing.B) {
	if _, err := os.Stat("/tmp/reg.csv"); err != nil {
		b.Skip("no /tmp/reg.csv; see the doc comment")
	}
	f, err := dataio.Load(ctx, "/tmp/reg.csv", dataio.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		if _, err := Score(ctx, f, "y", Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((processCPU()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}
