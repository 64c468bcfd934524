package stats

import (
	"math"
	"slices"
	"testing"
)

// Reference values were computed with numpy 1.24.2, pandas 1.5.3 and scipy
// 1.10.1 by testdata/stats_ref.py (run it with python3 to reproduce every
// literal below); they are printed with repr, i.e. to the last bit.

// tol is the relative tolerance against numpy/pandas/scipy: the algorithms
// are the same but summation orders differ (numpy sums pairwise), which
// leaves differences of a few ulps times log n.
const tol = 1e-12

func near(got, want, rel float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	if got == want {
		return true
	}
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), 1e-300)
}

var (
	sampleA = []float64{2.5, 3.1, -1.2, 7.7, 0.0, 3.1, 12.9, -4.4, 5.5, 3.1, math.NaN()}
	sampleB = []float64{1, 2, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144}
	// sampleC has a large mean and a small spread, to catch one-pass formulas.
	sampleC = []float64{1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4.5}
)

func sortedNonNaN(x []float64) []float64 {
	var s []float64
	for _, v := range x {
		if v == v {
			s = append(s, v)
		}
	}
	slices.Sort(s)
	return s
}

func TestMoments(t *testing.T) {
	for _, test := range []struct {
		name               string
		x                  []float64
		mean, variance     float64
		skewness, kurtosis float64
	}{
		// pd.Series(x).mean(), .var(), .skew(), .kurt()
		{"A", sampleA, 3.2299999999999995, 23.055666666666667, 0.5520381478401081, 1.0201988386794119},
		{"B", sampleB, 31.416666666666668, 1973.7196969696968, 1.85424750141413, 3.0810148455564796},
		{"C", sampleC, 1000000002.625, 2.2291666666666665, 0.42252141445852104, -0.41610621014935845},
		// Degenerate cases follow pandas: skew needs 3 values, kurt 4; a
		// constant sample has skew and kurt 0.
		{"one", []float64{5}, 5, math.NaN(), math.NaN(), math.NaN()},
		{"three", []float64{1, 2, 4}, 7.0 / 3, 7.0 / 3, 0.9352195295828237, math.NaN()},
		{"constant", []float64{2, 2, 2, 2, 2}, 2, 0, 0, 0},
		{"empty", nil, math.NaN(), math.NaN(), math.NaN(), math.NaN()},
		{"allNaN", []float64{math.NaN(), math.NaN()}, math.NaN(), math.NaN(), math.NaN(), math.NaN()},
		{"inf", []float64{1, math.Inf(1), 3, 4}, math.Inf(1), math.NaN(), math.NaN(), math.NaN()},
	} {
		m, v := MeanVariance(test.x)
		if !near(m, test.mean, tol) || !near(Mean(test.x), test.mean, tol) {
			t.Errorf("%s: mean %v, want %v", test.name, m, test.mean)
		}
		if !near(v, test.variance, tol) {
			t.Errorf("%s: variance %v, want %v", test.name, v, test.variance)
		}
		// Skewness and kurtosis divide by powers of M2, so allow 1e-10.
		if g := Skewness(test.x); !near(g, test.skewness, 1e-10) {
			t.Errorf("%s: skewness %v, want %v", test.name, g, test.skewness)
		}
		if g := Kurtosis(test.x); !near(g, test.kurtosis, 1e-10) {
			t.Errorf("%s: kurtosis %v, want %v", test.name, g, test.kurtosis)
		}
	}
}

func TestQuantilesMedianMAD(t *testing.T) {
	p := []float64{0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1}
	for _, test := range []struct {
		name        string
		x           []float64
		q           []float64 // pd.Series(x).quantile(p)
		median, mad float64   // np.median(v), np.median(np.abs(v - np.median(v)))
	}{
		{"A", sampleA, []float64{-4.4, -4.112, -2.96, 0.625, 3.1, 4.9, 10.559999999999995, 12.432, 12.9}, 3.1, 2.75},
		{"B", sampleB, []float64{1.0, 1.11, 1.55, 2.75, 10.5, 39.25, 113.74999999999996, 137.95000000000005, 144.0}, 10.5, 9.0},
		{"C", sampleC, []float64{1000000001.0, 1000000001.03, 1000000001.15, 1000000001.75, 1000000002.5, 1000000003.375, 1000000004.275, 1000000004.455, 1000000004.5}, 1000000002.5, 1.0},
		{"single", []float64{7}, []float64{7, 7, 7, 7, 7, 7, 7, 7, 7}, 7, 0},
	} {
		s := sortedNonNaN(test.x)
		q := Quantiles(nil, p, s)
		for k := range p {
			// Quantiles use the same lerp as numpy: equal to the last bit.
			if q[k] != test.q[k] {
				t.Errorf("%s: Quantile(%v) = %v, want %v", test.name, p[k], q[k], test.q[k])
			}
		}
		if m := Median(s); m != test.median {
			t.Errorf("%s: median %v, want %v", test.name, m, test.median)
		}
		if m := MAD(s); m != test.mad {
			t.Errorf("%s: MAD %v, want %v", test.name, m, test.mad)
		}
	}
	if !math.IsNaN(Quantile(0.5, nil)) || !math.IsNaN(MAD(nil)) || !math.IsNaN(Median(nil)) {
		t.Error("empty sample: want NaN")
	}
}

func TestHistogramFD(t *testing.T) {
	for _, test := range []struct {
		name   string
		x      []float64
		max    int
		edges  []float64 // np.histogram(v, bins="fd") (or "auto" when IQR = 0)
		counts []int
	}{
		{"A", sampleA, 50, []float64{-4.4, -0.9400000000000004, 2.5199999999999996, 5.979999999999999, 9.44, 12.9}, []int{2, 2, 4, 1, 1}},
		{"B", sampleB, 50, []float64{1.0, 29.6, 58.2, 86.80000000000001, 115.4, 144.0}, []int{8, 2, 0, 1, 1}},
		{"C", sampleC, 50, []float64{1000000001.0, 1000000002.75, 1000000004.5}, []int{2, 2}},
		// IQR 0: numpy "auto" falls back to Sturges, and so do we.
		{"iqr0", append(make([]float64, 20), 1, 2, 3, 50), 50,
			[]float64{0.0, 8.333333333333334, 16.666666666666668, 25.0, 33.333333333333336, 41.66666666666667, 50.0}, []int{23, 0, 0, 0, 0, 1}},
		// Capped at 2 bins: np.histogram(v, bins=2).
		{"capped", sampleB, 2, []float64{1, 72.5, 144}, []int{10, 2}},
		// Constant: numpy widens the range by ±0.5 and uses one bin.
		{"constant", []float64{3, 3, 3}, 50, []float64{2.5, 3.5}, []int{3}},
		{"empty", nil, 50, nil, nil},
	} {
		h := HistogramFD(sortedNonNaN(test.x), test.max)
		if !slices.Equal(h.Edges, test.edges) || !slices.Equal(h.Counts, test.counts) {
			t.Errorf("%s: got edges %v counts %v, want %v %v", test.name, h.Edges, h.Counts, test.edges, test.counts)
		}
	}
}

func TestRankCorrelation(t *testing.T) {
	// pd.Series([3,1,4,1,5,9,2,6,5,3,5,np.nan]).rank()
	r := Rank(nil, []float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, math.NaN()})
	want := []float64{4.5, 1.5, 6.0, 1.5, 8.0, 11.0, 3.0, 10.0, 8.0, 4.5, 8.0, math.NaN()}
	for i := range want {
		if !near(r[i], want[i], 0) {
			t.Fatalf("Rank = %v, want %v", r, want)
		}
	}
	x := sampleA[:10]
	y := sampleB[:10]
	y2 := slices.Clone(y)
	y2[3] = math.NaN()
	for _, test := range []struct {
		name      string
		x, y      []float64
		got, want float64
	}{
		// pd.Series(x).corr(pd.Series(y)) and method="spearman"
		{"pearson", x, y, Pearson(x, y), 0.028580782781051053},
		{"spearman", x, y, Spearman(x, y), 0.2277020088129481},
		// with y[3] = NaN: pairwise deletion, re-ranked
		{"pearsonNaN", x, y2, Pearson(x, y2), 0.11139470560455841},
		{"spearmanNaN", x, y2, Spearman(x, y2), 0.34045327482409776},
		{"constant", x, []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, Pearson(x, []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}), math.NaN()},
		{"short", []float64{1}, []float64{2}, Pearson([]float64{1}, []float64{2}), math.NaN()},
	} {
		if !near(test.got, test.want, tol) {
			t.Errorf("%s = %v, want %v", test.name, test.got, test.want)
		}
	}
}

func TestInformation(t *testing.T) {
	// scipy.stats.entropy([10,20,30,40], base=2)
	if h := Entropy([]float64{10, 20, 30, 40, 0}); !near(h, 1.8464393446710157, tol) {
		t.Errorf("Entropy = %v", h)
	}
	if h := Entropy(nil); h != 0 {
		t.Errorf("Entropy(nil) = %v, want 0", h)
	}
	// table [[10,2,3],[4,15,6],[1,2,20]] from codes
	var a, b []int32
	table := [3][3]int{{10, 2, 3}, {4, 15, 6}, {1, 2, 20}}
	for i := range table {
		for j, c := range table[i] {
			for range c {
				a = append(a, int32(i))
				b = append(b, int32(j))
			}
		}
	}
	a = append(a, -1) // a missing row is skipped
	b = append(b, 0)
	ct := NewContingency(a, b, 4, 3) // level 3 of a never occurs: ignored
	chi2, _, _ := ct.ChiSquare()
	for _, test := range []struct {
		name      string
		got, want float64
	}{
		// scipy.stats.chi2_contingency(t, correction=False)[0]
		{"chi2", chi2, 41.38641710723586},
		{"V", CramersV(ct, false), 0.5731174642559806},
		// Bergsma's bias correction as ydata-profiling writes it
		{"Vcorrected", CramersV(ct, true), 0.5532441433005674},
		// sklearn.metrics.mutual_info_score(None, None, contingency=t)/np.log(2)
		{"MI", MutualInfo(ct), 0.44694254367731906},
		// η from its definition in numpy (testdata/stats_ref.py)
		{"eta", CorrelationRatio([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, math.NaN()}, []int32{0, 0, 0, 1, 1, 1, 2, 2, 2, 1}, 3), 0.9486832980505138},
		{"etaConstant", CorrelationRatio([]float64{1, 1, 1}, []int32{0, 1, 0}, 2), math.NaN()},
		{"Vconstant", CramersV(NewContingency([]int32{0, 0, 0}, []int32{0, 1, 0}, 1, 2), true), math.NaN()},
	} {
		if !near(test.got, test.want, tol) {
			t.Errorf("%s = %v, want %v", test.name, test.got, test.want)
		}
	}
}

func TestChiSquareUniform(t *testing.T) {
	for _, test := range []struct {
		c       []float64
		chi2, p float64 // scipy.stats.chisquare(c)
	}{
		{[]float64{18, 22, 20, 25, 15}, 2.9, 0.5746972058298043},
		{[]float64{100, 101, 99, 100}, 0.02, 0.9992522446606088},
		{[]float64{5}, math.NaN(), math.NaN()},
	} {
		chi2, p := ChiSquareUniform(test.c)
		// gonum's regularized incomplete gamma agrees with scipy's to ~1e-14.
		if !near(chi2, test.chi2, tol) || !near(p, test.p, 1e-10) {
			t.Errorf("ChiSquareUniform(%v) = %v, %v; want %v, %v", test.c, chi2, p, test.chi2, test.p)
		}
	}
}

func TestRobustZ(t *testing.T) {
	// 0.6745·(10 − 3)/2 = 2.36075, by hand.
	if z := RobustZ(10, 3, 2); !near(z, 2.36075, 1e-15) {
		t.Errorf("RobustZ = %v", z)
	}
	if z := RobustZ(4, 3, 0); !math.IsInf(z, 1) {
		t.Errorf("RobustZ with MAD 0 = %v, want +Inf", z)
	}
}
