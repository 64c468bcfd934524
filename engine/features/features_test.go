package features

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
)

var ctx = context.Background()

func nan() float64 { return math.NaN() }

func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b))
}

func fcol(name string, x ...float64) frame.Column { return frame.NewFloat64(name, x, frame.Mask{}) }

func ccol(name string, v ...string) frame.Column {
	miss := make([]bool, len(v))
	for i, s := range v {
		miss[i] = s == ""
	}
	return frame.CategoricalFromStrings(name, v, miss)
}

func fit(t *testing.T, f *frame.Frame, target string, steps ...Spec) (*Fitted, *frame.Frame) {
	t.Helper()
	fp, out, err := Pipeline{Steps: steps}.FitTransform(ctx, f, target, nil, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return fp, out
}

func col(t *testing.T, f *frame.Frame, name string) []float64 {
	t.Helper()
	c, err := f.Column(name)
	if err != nil {
		t.Fatal(err)
	}
	x, err := frame.Floats(c)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func wantCol(t *testing.T, f *frame.Frame, name string, want []float64, tol float64) {
	t.Helper()
	got := col(t, f, name)
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", name, len(got), len(want))
	}
	for i := range want {
		if !near(got[i], want[i], tol) {
			t.Errorf("%s[%d] = %v, want %v", name, i, got[i], want[i])
		}
	}
}

func TestScalers(t *testing.T) {
	f := frame.MustNew(fcol("x", 1, 2, 3, 4, nan()))
	// Hand values: mean 2.5, population std √1.25; min 1, max 4; median 2.5,
	// q25 1.75, q75 3.25 (linear interpolation); max|x| 4. NaN stays NaN.
	cases := []struct {
		tr   string
		want []float64
	}{
		{"standard_scale", []float64{-1.5 / math.Sqrt(1.25), -0.5 / math.Sqrt(1.25), 0.5 / math.Sqrt(1.25), 1.5 / math.Sqrt(1.25), nan()}},
		{"minmax_scale", []float64{0, 1.0 / 3, 2.0 / 3, 1, nan()}},
		{"robust_scale", []float64{-1, -1.0 / 3, 1.0 / 3, 1, nan()}},
		{"maxabs_scale", []float64{0.25, 0.5, 0.75, 1, nan()}},
	}
	for _, c := range cases {
		_, out := fit(t, f, "", Spec{Transform: c.tr})
		wantCol(t, out, "x", c.want, 1e-12)
	}
	// A constant column keeps scale 1 (scikit-learn): x − mean = 0.
	_, out := fit(t, frame.MustNew(fcol("x", 3, 3, 3)), "", Spec{Transform: "standard_scale"})
	wantCol(t, out, "x", []float64{0, 0, 0}, 0)
	_, out = fit(t, f, "", Spec{Transform: "minmax_scale", Params: map[string]any{"min": -1.0, "max": 1.0}})
	wantCol(t, out, "x", []float64{-1, -1.0 / 3, 1.0 / 3, 1, nan()}, 1e-12)
}

func TestImpute(t *testing.T) {
	f := frame.MustNew(
		fcol("a", 1, 2, nan(), 10, 2),
		fcol("b", 5, 6, 7, 8, 9),
		ccol("c", "x", "", "y", "y", "x"),
	)
	cases := []struct {
		strategy string
		a        float64
		c        string
	}{
		{"mean", 15.0 / 4, ""},
		{"median", 2, ""},
		{"most_frequent", 2, "x"}, // x and y tie at 2: the smaller
		{"constant", 0, "missing"},
	}
	for _, c := range cases {
		cols := []string{"a", "b"}
		if c.c != "" {
			cols = append(cols, "c")
		}
		fp, out := fit(t, f, "", Spec{Transform: "impute", Columns: cols, Params: map[string]any{"strategy": c.strategy, "indicator": true}})
		wantCol(t, out, "a", []float64{1, 2, c.a, 10, 2}, 1e-15)
		wantCol(t, out, "a_missing", []float64{0, 0, 1, 0, 0}, 0)
		if out.Index("b_missing") >= 0 {
			t.Errorf("%s: indicator for b, which had no missing values", c.strategy)
		}
		if c.c != "" {
			cc, _ := out.Column("c")
			if got := cc.Format(1); got != c.c {
				t.Errorf("%s: c[1] = %q, want %q", c.strategy, got, c.c)
			}
		}
		// Serving rows with a missing b (none in training) are imputed too,
		// and get no indicator column.
		g := frame.MustNew(fcol("a", nan()), fcol("b", nan()), ccol("c", "zzz"))
		s, err := fp.Transform(ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		wantB := map[string]float64{"mean": 7, "median": 7, "most_frequent": 5, "constant": 0}[c.strategy]
		wantCol(t, s, "b", []float64{wantB}, 1e-15)
		if s.Index("b_missing") >= 0 {
			t.Error("serving added an indicator column")
		}
	}
	if _, _, err := (Pipeline{Steps: []Spec{{Transform: "impute", Columns: []string{"c"}, Params: map[string]any{"strategy": "mean"}}}}).FitTransform(ctx, f, "", nil, Options{}); err == nil || !strings.Contains(err.Error(), `"c"`) {
		t.Errorf("mean of a categorical: err = %v", err)
	}
}

func TestKNNImpute(t *testing.T) {
	// Reference: sklearn.impute.KNNImputer(n_neighbors=2).fit_transform(K)
	// with K the matrix below (scikit-learn 1.2).
	f := frame.MustNew(
		fcol("a", 1, 3, nan(), 8, 2, 5, 7),
		fcol("b", 2, 4, 6, 8, nan(), 5.5, 1),
		fcol("c", nan(), 3, 5, 7, 4, nan(), 2),
	)
	_, out := fit(t, f, "", Spec{Transform: "knn_impute", Params: map[string]any{"n_neighbors": 2.0}})
	wantCol(t, out, "a", []float64{1, 3, 3.5, 8, 2, 5, 7}, 1e-15)
	wantCol(t, out, "b", []float64{2, 4, 6, 8, 3, 5.5, 1}, 1e-15)
	wantCol(t, out, "c", []float64{3.5, 3, 5, 7, 4, 4, 2}, 1e-15)
}

func TestOneHot(t *testing.T) {
	f := frame.MustNew(ccol("c", "a", "b", "a", "c", "a", "b", "d", "", "e"))
	// Counts a 3, b 2, c 1, d 1, e 1. max_levels 3: a, b and (rare).
	fp, out := fit(t, f, "", Spec{Transform: "onehot", Params: map[string]any{"max_levels": 3.0}})
	if got := strings.Join(fp.Output, ","); got != "c=a,c=b,c=(rare)" {
		t.Fatalf("output %s", got)
	}
	wantCol(t, out, "c=a", []float64{1, 0, 1, 0, 1, 0, 0, 0, 0}, 0)
	wantCol(t, out, "c=(rare)", []float64{0, 0, 0, 1, 0, 0, 1, 0, 1}, 0)
	// Unseen level goes to (rare); missing sets nothing.
	s, err := fp.Transform(ctx, frame.MustNew(ccol("c", "zzz", "", "b")))
	if err != nil {
		t.Fatal(err)
	}
	wantCol(t, s, "c=(rare)", []float64{1, 0, 0}, 0)
	wantCol(t, s, "c=b", []float64{0, 0, 1}, 0)
	// min_frequency 2: c, d, e rare; no cap hit. A string column works too.
	g := frame.MustNew(frame.NewString("s", []string{"a", "b", "a", "c", "a", "b"}, frame.Mask{}))
	fp, _ = fit(t, g, "", Spec{Transform: "onehot", Params: map[string]any{"min_frequency": 2.0}})
	if got := strings.Join(fp.Output, ","); got != "s=a,s=b,s=(rare)" {
		t.Fatalf("output %s", got)
	}
	// Without rare levels an unseen level sets no column.
	fp, _ = fit(t, g, "", Spec{Transform: "onehot"})
	s, _ = fp.Transform(ctx, frame.MustNew(frame.NewString("s", []string{"q"}, frame.Mask{})))
	for _, n := range fp.Output {
		wantCol(t, s, n, []float64{0}, 0)
	}
}

func TestOrdinalFrequency(t *testing.T) {
	f := frame.MustNew(ccol("c", "b", "a", "c", "a", "", "a"))
	fp, out := fit(t, f, "", Spec{Transform: "ordinal"})
	wantCol(t, out, "c", []float64{1, 0, 2, 0, nan(), 0}, 0)
	s, _ := fp.Transform(ctx, frame.MustNew(ccol("c", "zzz", "c")))
	wantCol(t, s, "c", []float64{-1, 2}, 0)
	_, out = fit(t, f, "", Spec{Transform: "ordinal", Params: map[string]any{"order": []any{"c", "b", "a"}}})
	wantCol(t, out, "c", []float64{1, 2, 0, 2, nan(), 2}, 0)

	fp, out = fit(t, f, "", Spec{Transform: "frequency"})
	wantCol(t, out, "c", []float64{1.0 / 6, 3.0 / 6, 1.0 / 6, 3.0 / 6, 1.0 / 6, 3.0 / 6}, 1e-15)
	s, _ = fp.Transform(ctx, frame.MustNew(ccol("c", "zzz", "")))
	wantCol(t, s, "c", []float64{0, 1.0 / 6}, 1e-15)
}

func TestTargetEncoding(t *testing.T) {
	// Regression target; m = 2. Full-data prior = mean(y) = 3.5.
	// a: y = 1, 3, 5 → (9 + 2·3.5)/(3 + 2) = 3.2; b: 2, 6 → (8 + 7)/4 = 3.75;
	// c: 4 → (4 + 7)/3 = 11/3.
	f := frame.MustNew(
		ccol("c", "a", "b", "a", "c", "a", "b"),
		fcol("y", 1, 2, 3, 4, 5, 6),
	)
	fp, train := fit(t, f, "y", Spec{Transform: "target", Params: map[string]any{"smoothing": 2.0, "folds": 3.0}})
	s, err := fp.Transform(ctx, frame.MustNew(ccol("c", "a", "b", "c", "zzz", "")))
	if err != nil {
		t.Fatal(err)
	}
	wantCol(t, s, "c_te", []float64{3.2, 3.75, 11.0 / 3, 3.5, 3.5}, 1e-15)
	// Training rows are encoded out of fold: no row's value may use its own
	// target. Recompute each from the rows of the other folds.
	st := fp.Steps[0].step.(*targetStep)
	got := col(t, train, "c_te")
	perm := []int{0, 1, 2, 3, 4, 5}
	newRand(1).Shuffle(6, func(a, b int) { perm[a], perm[b] = perm[b], perm[a] })
	fold := make([]int, 6)
	for r, i := range perm {
		fold[i] = r * st.Folds / 6
	}
	y := []float64{1, 2, 3, 4, 5, 6}
	lv := []string{"a", "b", "a", "c", "a", "b"}
	for i := range y {
		var sum, n, ps, pn float64
		for j := range y {
			if fold[j] == fold[i] {
				continue
			}
			ps += y[j]
			pn++
			if lv[j] == lv[i] {
				sum += y[j]
				n++
			}
		}
		prior := ps / pn
		want := prior
		if n > 0 {
			want = (sum + 2*prior) / (n + 2)
		}
		if !near(got[i], want, 1e-15) {
			t.Errorf("row %d: out-of-fold %v, want %v", i, got[i], want)
		}
	}
	// Multiclass: one column per class.
	g := frame.MustNew(ccol("c", "a", "b", "a", "b"), ccol("k", "x", "y", "z", "x"))
	fp, _ = fit(t, g, "k", Spec{Transform: "target"})
	if got := strings.Join(fp.Output, ","); got != "c_te=x,c_te=y,c_te=z" {
		t.Errorf("multiclass outputs %s", got)
	}
	if _, _, err := (Pipeline{Steps: []Spec{{Transform: "target"}}}).FitTransform(ctx, g, "", nil, Options{}); err == nil {
		t.Error("target encoding without a target did not fail")
	}
}

func TestPowerTransforms(t *testing.T) {
	// Reference (scikit-learn 1.2, scipy 1.10):
	//   PowerTransformer(method='box-cox').fit(x).lambdas_, .transform([[3.0]])
	//   PowerTransformer(method='yeo-johnson').fit(z).lambdas_, .transform([[-2.0]])
	x := []float64{0.5, 1.2, 2.3, 3.1, 4.8, 7.5, 9.9, 15.2, 22.0, 40.1}
	z := []float64{-3.2, -1.1, -0.4, 0.0, 0.3, 1.5, 2.2, 4.9, 8.8, 19.5}
	l, err := BoxCoxLambda(x)
	if err != nil || !near(l, 0.10014988402696216, 1e-6) {
		t.Errorf("Box-Cox λ = %v (%v), want 0.10014988402696216", l, err)
	}
	l, err = YeoJohnsonLambda(z)
	if err != nil || !near(l, 0.4798488718877026, 1e-6) {
		t.Errorf("Yeo-Johnson λ = %v (%v), want 0.4798488718877026", l, err)
	}
	fp, _ := fit(t, frame.MustNew(fcol("x", x...)), "", Spec{Transform: "boxcox"})
	s, _ := fp.Transform(ctx, frame.MustNew(fcol("x", 3.0, -1)))
	wantCol(t, s, "x", []float64{-0.5098689962138503, nan()}, 1e-6)
	fp, _ = fit(t, frame.MustNew(fcol("z", z...)), "", Spec{Transform: "yeojohnson"})
	s, _ = fp.Transform(ctx, frame.MustNew(fcol("z", -2.0)))
	wantCol(t, s, "z", []float64{-1.240843387771301}, 1e-6)
	if _, _, err := (Pipeline{Steps: []Spec{{Transform: "boxcox"}}}).FitTransform(ctx, frame.MustNew(fcol("z", z...)), "", nil, Options{}); err == nil || !strings.Contains(err.Error(), "positive") {
		t.Errorf("Box-Cox of negative values: %v", err)
	}
}

func TestPCA(t *testing.T) {
	// Reference: PCA(svd_solver='full').fit(StandardScaler().fit_transform(X))
	// (scikit-learn 1.2) for the 10×3 X below.
	X := [][]float64{{2.5, 2.4, 1.0}, {0.5, 0.7, 2.0}, {2.2, 2.9, 0.5}, {1.9, 2.2, 1.5}, {3.1, 3.0, 0.1}, {2.3, 2.7, 0.9}, {2.0, 1.6, 2.2}, {1.0, 1.1, 3.0}, {1.5, 1.6, 1.8}, {1.1, 0.9, 2.5}}
	cols := make([][]float64, 3)
	for _, r := range X {
		for j, v := range r {
			cols[j] = append(cols[j], v)
		}
	}
	f := frame.MustNew(fcol("a", cols[0]...), fcol("b", cols[1]...), fcol("c", cols[2]...))
	fp, out := fit(t, f, "", Spec{Transform: "pca", Params: map[string]any{"variance": 0.95}})
	tab, ok := fp.PCATable(0)
	if !ok {
		t.Fatal("no PCA table")
	}
	ratio := []float64{0.9249791909218166, 0.058135122744845, 0.01688568633333852}
	variance := []float64{3.083263969739386, 0.19378374248281652, 0.05628562111112837}
	comp := [][]float64{
		{0.5727361807251184, 0.5901731182645006, -0.568919113553377},
		{-0.6709370271897185, -0.06125317899650717, -0.7389800765979045},
	}
	for k := range ratio {
		if !near(tab.Ratio[k], ratio[k], 1e-9) || !near(tab.Variance[k], variance[k], 1e-9) {
			t.Errorf("component %d: ratio %v variance %v, want %v %v", k, tab.Ratio[k], tab.Variance[k], ratio[k], variance[k])
		}
	}
	// Cumulative ratio 0.925 ≤ 0.95 < 0.983: two components.
	if tab.K != 2 || strings.Join(fp.Output, ",") != "pc1,pc2" {
		t.Fatalf("kept %d components, output %v", tab.K, fp.Output)
	}
	for k := range comp {
		for j := range comp[k] {
			if !near(tab.Components[k][j], comp[k][j], 1e-9) {
				t.Errorf("component %d[%d] = %v, want %v", k, j, tab.Components[k][j], comp[k][j])
			}
		}
	}
	if got := col(t, out, "pc1")[0]; !near(got, 1.2489568735208025, 1e-9) {
		t.Errorf("pc1[0] = %v, want 1.2489568735208025", got)
	}
	if got := col(t, out, "pc2")[0]; !near(got, -0.19339688273185068, 1e-9) {
		t.Errorf("pc2[0] = %v", got)
	}
	// A missing input at serving gives missing components, not a failure.
	s, err := fp.Transform(ctx, frame.MustNew(fcol("a", nan()), fcol("b", 1), fcol("c", 1)))
	if err != nil || !math.IsNaN(col(t, s, "pc1")[0]) {
		t.Errorf("pca with NaN: %v", err)
	}
}

func TestBins(t *testing.T) {
	// Reference: KBinsDiscretizer(n_bins=4, encode='ordinal', strategy='quantile')
	// edges [1, 2.25, 5.5, 8.75, 20]; transform [0,2,3.5,8,9,100] → [0,0,1,2,3,3];
	// strategy='uniform', n_bins=3: edges [1, 7.333…, 13.666…, 20];
	// transform [0,7,7.4,13.66,100] → [0,0,1,1,2].
	q := []float64{1, 2, 2, 3, 4, 7, 8, 9, 12, 20}
	fp, _ := fit(t, frame.MustNew(fcol("q", q...)), "", Spec{Transform: "quantile_bin", Params: map[string]any{"n_bins": 4.0}})
	s, _ := fp.Transform(ctx, frame.MustNew(fcol("q", 0, 2, 3.5, 8, 9, 100, nan())))
	wantCol(t, s, "q", []float64{0, 0, 1, 2, 3, 3, nan()}, 0)
	fp, _ = fit(t, frame.MustNew(fcol("q", q...)), "", Spec{Transform: "uniform_bin", Params: map[string]any{"n_bins": 3.0, "keep": true}})
	s, _ = fp.Transform(ctx, frame.MustNew(fcol("q", 0, 7, 7.4, 13.66, 100)))
	wantCol(t, s, "bin(q)", []float64{0, 0, 1, 1, 2}, 0)
	wantCol(t, s, "q", []float64{0, 7, 7.4, 13.66, 100}, 0)
}

func TestConstruction(t *testing.T) {
	day := func(s string) int64 {
		tm, _ := time.Parse("2006-01-02 15:04", s)
		return tm.UnixNano()
	}
	f := frame.MustNew(
		fcol("a", 1, 2, 3),
		fcol("b", 2, 0, -4),
		frame.NewDatetime("d", []int64{day("2024-03-01 10:00"), day("2024-03-02 23:00"), day("2024-03-04 00:00")}, frame.Mask{}),
		frame.NewString("t", []string{"hello  world", "", "ünï"}, frame.Mask{}),
	)
	_, out := fit(t, f, "",
		Spec{Transform: "poly2", Columns: []string{"a", "b"}},
		Spec{Transform: "ratio", Columns: []string{"a", "b"}},
		Spec{Transform: "difference", Columns: []string{"a", "b"}, Params: map[string]any{"name": "gap"}},
		Spec{Transform: "formula", Params: map[string]any{"name": "f", "expr": "a * 10 + b"}},
		Spec{Transform: "date_parts", Params: map[string]any{"reference": "2024-03-01"}},
		Spec{Transform: "text_length"},
		Spec{Transform: "log1p", Columns: []string{"b"}, Params: map[string]any{"keep": true}},
		Spec{Transform: "sqrt", Columns: []string{"a"}},
	)
	wantCol(t, out, "a^2", []float64{1, 4, 9}, 0)
	wantCol(t, out, "a*b", []float64{2, 0, -12}, 0)
	wantCol(t, out, "b^2", []float64{4, 0, 16}, 0)
	wantCol(t, out, "a/b", []float64{0.5, nan(), -0.75}, 0)
	wantCol(t, out, "gap", []float64{-1, 2, 7}, 0)
	wantCol(t, out, "f", []float64{12, 20, 26}, 0)
	wantCol(t, out, "d_year", []float64{2024, 2024, 2024}, 0)
	wantCol(t, out, "d_month", []float64{3, 3, 3}, 0)
	wantCol(t, out, "d_day", []float64{1, 2, 4}, 0)
	wantCol(t, out, "d_dayofweek", []float64{4, 5, 0}, 0) // Fri, Sat, Mon (Monday 0)
	wantCol(t, out, "d_hour", []float64{10, 23, 0}, 0)
	wantCol(t, out, "d_weekend", []float64{0, 1, 0}, 0)
	wantCol(t, out, "d_days_since", []float64{10.0 / 24, 1 + 23.0/24, 3}, 1e-15)
	wantCol(t, out, "t_len", []float64{12, 0, 3}, 0)
	wantCol(t, out, "t_words", []float64{2, 0, 1}, 0)
	wantCol(t, out, "log1p(b)", []float64{math.Log(3), 0, nan()}, 1e-15)
	wantCol(t, out, "b", []float64{2, 0, -4}, 0)
	wantCol(t, out, "a", []float64{1, math.Sqrt(2), math.Sqrt(3)}, 1e-15)
	if out.Index("d") >= 0 || out.Index("t") >= 0 {
		t.Error("date_parts/text_length kept their inputs")
	}
	// interactions: products only.
	fp, _ := fit(t, f, "", Spec{Transform: "interactions", Columns: []string{"a", "b"}})
	if got := strings.Join(fp.Output, ","); !strings.HasSuffix(got, ",a*b") || strings.Contains(got, "^2") {
		t.Errorf("interactions output %s", got)
	}
}

// TestFittedOnTrainingRowsOnly proves that no statistic of any step depends
// on rows outside the training rows: fitting on rows A of a frame whose
// other rows B hold wild values gives the same fitted pipeline as fitting on
// the frame of rows A alone, and changing B changes nothing.
func TestFittedOnTrainingRowsOnly(t *testing.T) {
	mk := func(bVal float64, bLevel string) *frame.Frame {
		n := 40
		a, b, y := make([]float64, n), make([]float64, n), make([]float64, n)
		c := make([]string, n)
		for i := 0; i < n; i++ {
			a[i] = float64(i%7) + 0.5*float64(i%3) + 1
			b[i] = float64((i*13)%11) - 3
			y[i] = float64(i % 2)
			c[i] = []string{"p", "q", "r", "s"}[i%4]
			if i%5 == 0 {
				a[i] = nan()
			}
			if i >= 30 { // rows B
				a[i], b[i], c[i] = bVal*float64(i), -bVal, bLevel
				y[i] = 1
			}
		}
		yc := make([]string, n)
		for i, v := range y {
			yc[i] = []string{"no", "yes"}[int(v)]
		}
		return frame.MustNew(fcol("a", a...), fcol("b", b...), ccol("c", c...), ccol("y", yc...))
	}
	p := Pipeline{Steps: []Spec{
		{Transform: "knn_impute", Columns: []string{"a", "b"}, Params: map[string]any{"indicator": true}},
		{Transform: "impute", Params: map[string]any{"strategy": "mean"}},
		{Transform: "target", Columns: []string{"c"}},
		{Transform: "onehot", Columns: []string{"c"}},
		{Transform: "quantile_bin", Columns: []string{"b"}, Params: map[string]any{"keep": true}},
		{Transform: "yeojohnson", Columns: []string{"b"}},
		{Transform: "standard_scale"},
		{Transform: "pca", Columns: []string{"a", "b", "bin(b)"}, Params: map[string]any{"n_components": 2.0}},
	}}
	// target encoding consumes c; onehot of c would then fail — use c twice
	// by giving onehot a copy made by formula? Keep it simple: drop onehot.
	p.Steps = append(p.Steps[:3], p.Steps[4:]...)
	rowsA := make([]int, 30)
	for i := range rowsA {
		rowsA[i] = i
	}
	state := func(f *frame.Frame, rows []int) string {
		fp, _, err := p.FitTransform(ctx, f, "y", rows, Options{Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		fp.Created = time.Time{}
		var buf bytes.Buffer
		if err := fp.Save(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	onlyA := state(mk(1, "p").Take(rowsA), nil)
	for _, b := range []struct {
		v float64
		l string
	}{{1e6, "zzz"}, {-3, "q"}, {0, ""}} {
		if got := state(mk(b.v, b.l), rowsA); got != onlyA {
			t.Fatalf("rows B (%v, %q) changed the fitted pipeline:\n%s\nwant\n%s", b.v, b.l, got, onlyA)
		}
	}
	// And the statistics are those of A: the mean imputer's fill of
	// a_missing is the mean of A's indicator values, 6 missing of 30.
	if !strings.Contains(onlyA, `"a_missing": 0.2`) {
		t.Errorf("mean of A's indicator not found in the fitted state:\n%s", onlyA)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	f := frame.MustNew(
		fcol("a", 1, nan(), 3, 4, 5, 6),
		ccol("c", "x", "y", "x", "z", "", "x"),
		fcol("y", 1, 0, 1, 1, 0, 1),
	)
	fp, _ := fit(t, f, "y",
		Spec{Transform: "impute", Columns: []string{"a"}, Params: map[string]any{"indicator": true}},
		Spec{Transform: "onehot", Columns: []string{"c"}},
		Spec{Transform: "yeojohnson", Columns: []string{"a"}},
	)
	var buf bytes.Buffer
	if err := fp.Save(&buf); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, want := range []string{`"format": "mlwb-features"`, `"version": 1`, `"transform": "onehot"`, `"lambda"`} {
		if !strings.Contains(text, want) {
			t.Errorf("saved JSON lacks %s", want)
		}
	}
	back, err := Load(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	g := frame.MustNew(fcol("a", nan(), 2.5), ccol("c", "new", "y"))
	m1, n1, err := fp.Matrix(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	m2, n2, err := back.Matrix(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(n1, ",") != strings.Join(n2, ",") {
		t.Fatalf("names %v vs %v", n1, n2)
	}
	for i := range m1.Data {
		if m1.Data[i] != m2.Data[i] {
			t.Errorf("value %d: %v after load, %v before", i, m2.Data[i], m1.Data[i])
		}
	}
	if _, err := Load(strings.NewReader(strings.Replace(text, `"version": 1`, `"version": 99`, 1))); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("newer version: %v", err)
	}
	if _, err := Load(strings.NewReader(strings.Replace(text, `"lambda": [`, `"lambda": [1, `, 1))); err == nil || !strings.Contains(err.Error(), "step 3 (yeojohnson)") {
		t.Errorf("corrupt state: %v", err)
	}
}

func TestErrors(t *testing.T) {
	f := frame.MustNew(fcol("a", 1, 2, 3), ccol("c", "x", "y", "x"), fcol("y", 1, 2, 3))
	cases := []struct {
		steps []Spec
		want  string
	}{
		{[]Spec{{Transform: "standard_scal"}}, `step 1 (standard_scal): features: unknown transform "standard_scal"`},
		{[]Spec{{Transform: "standard_scale", Params: map[string]any{"with_meen": true}}}, "unknown param with_meen (known: with_mean, with_std)"},
		{[]Spec{{Transform: "standard_scale", Columns: []string{"c"}}}, `column "c" is categorical`},
		{[]Spec{{Transform: "standard_scale", Columns: []string{"y"}}}, `column "y" is the target`},
		{[]Spec{{Transform: "standard_scale", Columns: []string{"nope"}}}, `column "nope" not found`},
		{[]Spec{{Transform: "onehot", Params: map[string]any{"max_levels": "many"}}}, "param max_levels: want a number"},
		{[]Spec{{Transform: "ratio", Columns: []string{"a"}}}, "takes at least 2 columns"},
		{[]Spec{{Transform: "drop"}}, "name its columns"},
		{[]Spec{{Transform: "formula", Params: map[string]any{"name": "z", "expr": "a +"}}}, "step 1 (formula)"},
	}
	for _, c := range cases {
		_, _, err := Pipeline{Steps: c.steps}.FitTransform(ctx, f, "y", nil, Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want %q", c.steps, err, c.want)
		}
	}
	// Unencoded categorical in the design matrix: named.
	fp, _ := fit(t, f, "y", Spec{Transform: "standard_scale"})
	if _, _, err := fp.Matrix(ctx, f); err == nil || !strings.Contains(err.Error(), `"c" (categorical)`) {
		t.Errorf("matrix with categorical: %v", err)
	}
	// A missing input column at apply time names the step.
	if _, err := fp.Transform(ctx, frame.MustNew(ccol("c", "x"))); err == nil || !strings.Contains(err.Error(), `step 1 (standard_scale): input column "a" is missing`) {
		t.Errorf("missing column: %v", err)
	}
	// A serving column of the wrong type is an error, not a panic.
	if _, err := fp.Transform(ctx, frame.MustNew(ccol("a", "x"), ccol("c", "x"))); err == nil || !strings.Contains(err.Error(), `"a" is categorical`) {
		t.Errorf("wrong type: %v", err)
	}
}

func TestDefaultPipeline(t *testing.T) {
	n := 60
	id := make([]int64, n)
	num, miss := make([]float64, n), make([]float64, n)
	city, notes, many := make([]string, n), make([]string, n), make([]string, n)
	y := make([]string, n)
	for i := range id {
		id[i] = int64(1000 + i)
		num[i] = float64(i % 9)
		miss[i] = float64(i % 4)
		if i%6 == 0 {
			miss[i] = nan()
		}
		city[i] = []string{"oslo", "rome", "paris"}[i%3]
		notes[i] = "note number " + string(rune('a'+i%26)) + string(rune('a'+i/26))
		many[i] = "lvl" + string(rune('a'+i%25))
		y[i] = []string{"no", "yes"}[i%2]
	}
	f := frame.MustNew(
		frame.NewInt64("customer_id", id, frame.Mask{}),
		fcol("num", num...), fcol("miss", miss...),
		ccol("city", city...), frame.NewString("notes", notes, frame.Mask{}),
		ccol("many", many...), fcol("const", make([]float64, n)...),
		ccol("y", y...),
	)
	p, dec := DefaultPipeline(f, "y")
	got := map[string]string{}
	for _, d := range dec {
		got[d.Column] = d.Action
		if d.Reason == "" {
			t.Errorf("%s: no reason", d.Column)
		}
	}
	want := map[string]string{"customer_id": "drop", "num": "keep", "miss": "impute", "city": "onehot", "notes": "drop", "many": "frequency", "const": "drop"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s, want %s", k, got[k], v)
		}
	}
	if _, ok := got["y"]; ok {
		t.Error("the target got a decision")
	}
	fp, err := p.Fit(ctx, f, "y", nil)
	if err != nil {
		t.Fatal(err)
	}
	m, names, err := fp.Matrix(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if m.Cols != len(names) || m.Cols != 1+2+3+1 { // num, miss + miss_missing, city×3, many
		t.Errorf("design matrix has %d columns: %v", m.Cols, names)
	}
}
