package profile

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
)

// Reference values come from testdata/profile_ref.py (numpy 1.24.2, pandas
// 1.5.3, scipy 1.10.1, sklearn for mutual information), printed with repr.

// tol is the relative tolerance against pandas: same formulas, different
// summation order.
const tol = 1e-9

func near(got, want, rel float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	if got == want {
		return true
	}
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), 1e-300)
}

var nan = math.NaN()

func smallFrame() *frame.Frame {
	day := int64(24 * time.Hour)
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	dates := []int64{0, 1, 1, 3, 10, 4, 5, 6, 7, 8, 9, 2}
	for i := range dates {
		dates[i] = base + dates[i]*day
	}
	dmask := frame.MaskFromMissing([]bool{false, false, false, false, false, false, false, false, false, false, true, false})
	return frame.MustNew(
		frame.NewFloat64("f", []float64{1.5, 2.0, nan, 3.25, 10.0, -1.0, 0.0, 2.0, 7.5, 4.0, nan, 100.0}, frame.Mask{}),
		frame.NewInt64("g", []int64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8}, frame.Mask{}),
		frame.NewFloat64("h", []float64{0.1, 0.4, 0.35, 0.8, 0.9, 0.05, 0.2, 0.45, 0.7, 0.6, 0.3, 0.95}, frame.Mask{}),
		frame.CategoricalFromStrings("cat", []string{"a", "b", "a", "c", "b", "a", "a", "c", "b", "a", "", "c"},
			[]bool{false, false, false, false, false, false, false, false, false, false, true, false}),
		frame.NewString("s", []string{"x", "yy", "x", "zzz", "yy", "x", "x", "zzz", "yy", "x", "x", "w"}, frame.Mask{}),
		frame.NewBool("b", []bool{true, false, true, true, false, true, true, true, false, true, true, false}, frame.Mask{}),
		frame.NewDatetime("d", dates, dmask),
	)
}

func TestProfileNumericMatchesPandas(t *testing.T) {
	r, err := Profile(context.Background(), smallFrame(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		col                             string
		count, missing, distinct        int
		mean, std, skew, kurt, sum, mad float64
		q                               [9]float64 // min, 1, 5, 25, 50, 75, 95, 99 %, max
		edges                           []float64
		counts                          []int
		uniformP                        float64
		zeros, negatives                int
		mono                            Monotonicity
	}{
		{"f", 10, 2, 9, 12.925, 30.774279032984673, 3.094909927244554, 9.680569625179885, 129.25, 2.0,
			[9]float64{-1.0, -0.91, -0.55, 1.625, 2.625, 6.625, 59.4999999999999, 91.9, 100.0},
			// numpy "fd" asks for 22 bins; the profile caps at 50, so all 22 stay.
			[]float64{-1.0, 3.590909090909091, 8.181818181818182, 12.772727272727273, 17.363636363636363, 21.954545454545453, 26.545454545454547, 31.136363636363633, 35.72727272727273, 40.31818181818182, 44.90909090909091, 49.5, 54.09090909090909, 58.68181818181818, 63.272727272727266, 67.86363636363636, 72.45454545454545, 77.04545454545455, 81.63636363636364, 86.22727272727272, 90.81818181818181, 95.4090909090909, 100.0},
			[]int{6, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 3.193741397693843e-09, 1, 1, MonotonicNone},
		{"g", 12, 0, 8, 4.333333333333333, 2.534608929251695, 0.43473641228674553, -0.42057671769312854, 52, 1.5,
			[9]float64{1.0, 1.0, 1.0, 2.75, 4.5, 5.25, 8.45, 8.89, 9.0},
			[]float64{1.0, 3.0, 5.0, 7.0, 9.0}, []int{3, 3, 4, 2}, 0.8810148425137847, 0, 0, MonotonicNone},
		{"h", 12, 0, 12, 0.48333333333333334, 0.3055050463303894, 0.18321800784099868, -1.2330473098330246, 5.8, 0.24999999999999997,
			[9]float64{0.05, 0.0555, 0.07750000000000001, 0.275, 0.42500000000000004, 0.725, 0.9225, 0.9445, 0.95},
			[]float64{0.05, 0.35, 0.65, 0.95}, []int{4, 4, 4}, 1.0, 0, 0, MonotonicNone},
	} {
		c := column(t, r, test.col)
		s := c.Numeric
		if c.Count != test.count || c.Missing != test.missing || c.Distinct != test.distinct {
			t.Errorf("%s: count/missing/distinct %d/%d/%d, want %d/%d/%d", test.col, c.Count, c.Missing, c.Distinct, test.count, test.missing, test.distinct)
		}
		for _, v := range []struct {
			name      string
			got, want float64
		}{
			{"mean", s.Mean, test.mean}, {"std", s.Std, test.std}, {"variance", s.Variance, test.std * test.std},
			{"skewness", s.Skewness, test.skew}, {"kurtosis", s.Kurtosis, test.kurt}, {"sum", s.Sum, test.sum},
			{"mad", s.MAD, test.mad}, {"min", s.Min, test.q[0]}, {"p1", s.P1, test.q[1]}, {"p5", s.P5, test.q[2]},
			{"p25", s.P25, test.q[3]}, {"p50", s.P50, test.q[4]}, {"p75", s.P75, test.q[5]}, {"p95", s.P95, test.q[6]},
			{"p99", s.P99, test.q[7]}, {"max", s.Max, test.q[8]}, {"iqr", s.IQR, test.q[5] - test.q[3]},
			{"range", s.Range, test.q[8] - test.q[0]}, {"cv", s.CV, test.std / test.mean},
			{"uniformity_p", s.UniformityP, test.uniformP},
		} {
			if !near(v.got, v.want, tol) {
				t.Errorf("%s: %s = %v, want %v", test.col, v.name, v.got, v.want)
			}
		}
		if !slices.Equal(s.Histogram.Edges, test.edges) || !slices.Equal(s.Histogram.Counts, test.counts) {
			t.Errorf("%s: histogram %v %v, want %v %v", test.col, s.Histogram.Edges, s.Histogram.Counts, test.edges, test.counts)
		}
		if s.Zeros != test.zeros || s.Negatives != test.negatives || s.Monotonicity != test.mono {
			t.Errorf("%s: zeros %d negatives %d monotonicity %v", test.col, s.Zeros, s.Negatives, s.Monotonicity)
		}
	}
	// f: Tukey's fences [1.625 − 7.5, 6.625 + 7.5] leave out only 100; the
	// modified z-score 0.6745(x − 2.625)/2 exceeds 3.5 only for 100 (32.8;
	// 10 gives 2.49).
	if s := column(t, r, "f").Numeric; s.OutliersIQR != 1 || s.OutliersRobustZ != 1 {
		t.Errorf("f outliers: IQR %d, robust z %d; want 1, 1", s.OutliersIQR, s.OutliersRobustZ)
	}
}

func column(t *testing.T, r *Report, name string) ColumnReport {
	t.Helper()
	for _, c := range r.Columns {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no column %q", name)
	return ColumnReport{}
}

func TestProfileTextBoolDatetime(t *testing.T) {
	r, err := Profile(context.Background(), smallFrame(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	cat := column(t, r, "cat")
	if cat.Count != 11 || cat.Missing != 1 || cat.Distinct != 3 || !near(cat.MissingPct, 100.0/12, 1e-15) {
		t.Errorf("cat counts %+v", cat)
	}
	wantTop := []ValueCount{{"a", 5}, {"b", 3}, {"c", 3}}
	if !slices.Equal(cat.Text.Top, wantTop) {
		t.Errorf("cat top %v, want %v", cat.Text.Top, wantTop)
	}
	for _, v := range []struct {
		name      string
		got, want float64
	}{
		// scipy.stats.entropy(counts, base=2); 1 − entropy(counts, base=k); chisquare(counts)
		{"cat entropy", cat.Text.Entropy, 1.539484756931502},
		{"cat imbalance", cat.Text.Imbalance, 0.02869326168219255},
		{"cat uniformity", cat.Text.UniformityP, 0.6951439283988787},
		{"cat length mean", cat.Text.LengthMean, 1},
		{"s entropy", column(t, r, "s").Text.Entropy, 1.7295739585136227},
		{"s imbalance", column(t, r, "s").Text.Imbalance, 0.13521302074318864},
		{"s uniformity", column(t, r, "s").Text.UniformityP, 0.1978971262103671},
		{"s length mean", column(t, r, "s").Text.LengthMean, 1.5833333333333333},
	} {
		if !near(v.got, v.want, tol) {
			t.Errorf("%s = %v, want %v", v.name, v.got, v.want)
		}
	}
	if s := column(t, r, "s").Text; s.LengthMin != 1 || s.LengthMax != 3 {
		t.Errorf("s lengths %d..%d, want 1..3", s.LengthMin, s.LengthMax)
	}
	if b := column(t, r, "b").Bool; b.True != 8 || b.False != 4 {
		t.Errorf("bool counts %+v", b)
	}
	d := column(t, r, "d")
	if d.Distinct != 10 || d.Count != 11 {
		t.Errorf("datetime distinct %d count %d, want 10, 11", d.Distinct, d.Count)
	}
	// days {0,1,1,2,3,4,5,6,7,8,10}: range 10 days, largest gap 8 → 10.
	dt := d.Datetime
	if !dt.Min.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) || dt.Range != 10*24*time.Hour || dt.LargestGap != 2*24*time.Hour {
		t.Errorf("datetime %+v", dt)
	}
}

func TestCorrelationsMatchPandas(t *testing.T) {
	r, err := Profile(context.Background(), smallFrame(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := r.Correlations
	checkMatrix := func(name string, m Matrix, rows, cols []string, want [][]float64) {
		t.Helper()
		if !slices.Equal(m.Rows, rows) || !slices.Equal(m.Columns, cols) {
			t.Fatalf("%s: rows %v columns %v, want %v %v", name, m.Rows, m.Columns, rows, cols)
		}
		for i := range want {
			for j := range want[i] {
				if !near(m.Values[i][j], want[i][j], tol) {
					t.Errorf("%s[%s][%s] = %v, want %v", name, rows[i], cols[j], m.Values[i][j], want[i][j])
				}
			}
		}
	}
	num := []string{"f", "g", "h"}
	cats := []string{"cat", "s", "b"}
	// df[["f","g","h"]].corr()
	checkMatrix("pearson", c.Pearson, num, num, [][]float64{
		{1.0, 0.46116987139063675, 0.5455763019162665},
		{0.46116987139063675, 1.0, 0.025437244706921953},
		{0.5455763019162665, 0.025437244706921953, 1.0}})
	// df[["f","g","h"]].corr(method="spearman"): f has missing values, and
	// 12 rows × 2 pairs are well within the budget: re-ranked as pandas.
	checkMatrix("spearman", c.Spearman, num, num, [][]float64{
		{1.0, 0.13190432281162226, 0.9483326481409007},
		{0.13190432281162226, 1.0, 0.04947274449181537},
		{0.9483326481409007, 0.04947274449181537, 1.0}})
	// Bergsma-corrected Cramér's V as ydata-profiling (crosstab, no Yates)
	checkMatrix("cramers_v", c.CramersV, cats, cats, [][]float64{
		{0.9999999999999999, 0.9354143466934853, 0.7732293307186413},
		{0.9354143466934853, 1.0, 0.8944271909999159},
		{0.7732293307186413, 0.8944271909999159, 1.0}})
	checkMatrix("eta", c.Eta, num, cats, [][]float64{
		{0.5026795687867145, 0.9971527063315304, 0.4740399362428134},
		{0.19669110822624317, 0.47830281716257994, 0.12141073279465801},
		{0.7348927405188734, 0.7897990045147356, 0.6144400100693526}})
}

// TestSpearmanBudgetRule checks the documented approximation beyond the
// exact-Spearman budget: each column's own ranks, correlated over complete
// rows, i.e. df[["f","g","h"]].rank().corr(). The small frame is tiled 10
// times, which leaves both that value and pandas' unchanged (average ranks
// of a tiled column are an affine map of the original ones).
func TestSpearmanBudgetRule(t *testing.T) {
	small := smallFrame()
	reps := 10
	idx := make([]int, 0, reps*small.NumRows())
	for range reps {
		for i := range small.NumRows() {
			idx = append(idx, i)
		}
	}
	f, err := small.Select("f", "g", "h")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Profile(context.Background(), f.Take(idx), Options{ExactSpearmanBudget: -1})
	if err != nil {
		t.Fatal(err)
	}
	sp := r.Correlations.Spearman.Values
	for _, v := range []struct {
		name      string
		got, want float64
	}{
		{"f-g", sp[0][1], 0.16722379102996826},
		{"f-h", sp[0][2], 0.9483437316118309},
		{"g-h", sp[1][2], 0.049472744491815386},
	} {
		if !near(v.got, v.want, tol) {
			t.Errorf("spearman %s = %v, want %v", v.name, v.got, v.want)
		}
	}
	if r.Duplicates != r.Rows-12 {
		t.Errorf("duplicates %d, want %d", r.Duplicates, r.Rows-12)
	}
}

func TestTargetAssociations(t *testing.T) {
	r, err := Profile(context.Background(), smallFrame(), Options{Target: "cat"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Target == nil || r.Target.Name != "cat" || len(r.Target.Associations) != 6 {
		t.Fatalf("target report %+v", r.Target)
	}
	got := map[string]Association{}
	for _, a := range r.Target.Associations {
		got[a.Column] = a
	}
	for _, w := range []struct {
		col, method string
		value       float64
	}{
		{"f", "eta", 0.5026795687867145},
		{"s", "cramers_v", 0.9354143466934853},
		{"b", "cramers_v", 0.7732293307186413},
		{"d", "", nan},
	} {
		a := got[w.col]
		if a.Method != w.method || !near(a.Value, w.value, tol) {
			t.Errorf("%s: %s %v, want %s %v", w.col, a.Method, a.Value, w.method, w.value)
		}
	}
	// mutual_info_score(s, cat)/ln 2 equals H(cat): s determines cat.
	if a := got["s"]; !near(a.MutualInfo, 1.5394847569315022, tol) || !near(a.NormalizedMI, 1, tol) || a.Purity != 1 {
		t.Errorf("s: MI %v NMI %v purity %v", a.MutualInfo, a.NormalizedMI, a.Purity)
	}
	if !hasAlert(r, "s", Leakage) || hasAlert(r, "b", Leakage) {
		t.Errorf("LEAKAGE alerts: %v", r.Alerts)
	}
}

func hasAlert(r *Report, col string, k Kind) bool {
	for _, a := range r.Alerts {
		if a.Column == col && a.Kind == k {
			return true
		}
	}
	return false
}

func TestProgressAndCancel(t *testing.T) {
	var calls, inside atomic.Int32
	var mu sync.Mutex
	var seen []string
	_, err := Profile(context.Background(), smallFrame(), Options{Workers: 4, Progress: func(c ColumnReport) {
		if inside.Add(1) != 1 {
			t.Error("Progress called concurrently")
		}
		calls.Add(1)
		mu.Lock()
		seen = append(seen, c.Name)
		mu.Unlock()
		time.Sleep(time.Millisecond)
		inside.Add(-1)
	}})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(seen)
	if calls.Load() != 7 || !slices.Equal(seen, []string{"b", "cat", "d", "f", "g", "h", "s"}) {
		t.Errorf("progress calls %d for %v", calls.Load(), seen)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Profile(ctx, smallFrame(), Options{})
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrCanceled) {
		t.Errorf("canceled profile: err = %v", err)
	}
	if _, err := Profile(context.Background(), smallFrame(), Options{Target: "nope"}); !errors.Is(err, frame.ErrColumnNotFound) {
		t.Errorf("unknown target: err = %v", err)
	}
	if _, err := Profile(context.Background(), smallFrame(), Options{Columns: []string{"f", "zz"}}); !errors.Is(err, frame.ErrColumnNotFound) {
		t.Errorf("unknown column: err = %v", err)
	}
	r, err := Profile(context.Background(), smallFrame(), Options{Columns: []string{"h", "g"}, Target: "cat"})
	if err != nil || len(r.Columns) != 3 || r.Columns[0].Name != "h" || r.Columns[2].Name != "cat" {
		t.Errorf("Columns option: %v, %v", err, r)
	}
}

func TestJSONShape(t *testing.T) {
	r, err := Profile(context.Background(), smallFrame(), Options{Target: "cat"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "NaN") || strings.Contains(string(b), "Inf") {
		t.Fatalf("JSON holds NaN or Inf: %s", b)
	}
	var doc struct {
		Rows    int `json:"rows"`
		Columns []map[string]any
		Corr    map[string]struct {
			Rows    []string     `json:"rows"`
			Columns []string     `json:"columns"`
			Matrix  [][]*float64 `json:"matrix"`
		} `json:"correlations"`
		Target *struct {
			Name         string           `json:"name"`
			Associations []map[string]any `json:"associations"`
		} `json:"target"`
		Alerts     []map[string]any `json:"alerts"`
		Duplicates *int             `json:"duplicates"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Rows != 12 || len(doc.Columns) != 7 || doc.Duplicates == nil || doc.Target == nil || doc.Target.Name != "cat" {
		t.Fatalf("document %s", b)
	}
	wantKeys := map[string][]string{
		"f":   {"name", "type", "count", "missing", "missing_pct", "distinct", "mean", "std", "variance", "min", "p1", "p5", "p25", "p50", "p75", "p95", "p99", "max", "range", "iqr", "skewness", "kurtosis", "zeros", "negatives", "infinite", "cv", "mad", "sum", "monotonicity", "histogram", "outliers_iqr", "outliers_robust_z", "uniformity_p"},
		"cat": {"name", "type", "count", "missing", "missing_pct", "distinct", "top", "entropy", "imbalance", "length_min", "length_mean", "length_max", "uniformity_p"},
		"b":   {"name", "type", "count", "missing", "missing_pct", "distinct", "true", "false", "top", "entropy", "imbalance"},
		"d":   {"name", "type", "count", "missing", "missing_pct", "distinct", "min", "max", "range_seconds", "largest_gap_seconds"},
	}
	for _, c := range doc.Columns {
		keys, ok := wantKeys[c["name"].(string)]
		if !ok {
			continue
		}
		if len(c) != len(keys) {
			t.Errorf("column %v: %d keys, want %d", c["name"], len(c), len(keys))
		}
		for _, k := range keys {
			if _, ok := c[k]; !ok {
				t.Errorf("column %v lacks %q", c["name"], k)
			}
		}
	}
	if doc.Columns[0]["type"] != "float" || doc.Columns[6]["min"] != "2024-01-01T00:00:00Z" {
		t.Errorf("types/datetime: %v %v", doc.Columns[0]["type"], doc.Columns[6]["min"])
	}
	h := doc.Columns[0]["histogram"].(map[string]any)
	if len(h["edges"].([]any)) != 23 || len(h["counts"].([]any)) != 22 {
		t.Errorf("histogram %v", h)
	}
	for _, k := range []string{"pearson", "spearman", "cramers_v", "eta"} {
		m, ok := doc.Corr[k]
		if !ok || len(m.Matrix) != len(m.Columns) && k != "eta" {
			t.Errorf("correlations.%s = %+v", k, m)
		}
	}
	if !slices.Equal(doc.Corr["eta"].Rows, []string{"f", "g", "h"}) {
		t.Errorf("eta rows %v", doc.Corr["eta"].Rows)
	}
	for _, a := range doc.Alerts {
		for _, k := range []string{"column", "kind", "detail", "value"} {
			if _, ok := a[k]; !ok {
				t.Errorf("alert lacks %q: %v", k, a)
			}
		}
	}
	// Float marshals non-finite values as null.
	for _, v := range []struct {
		f    Float
		want string
	}{{Float(math.NaN()), "null"}, {Float(math.Inf(-1)), "null"}, {1.5, "1.5"}, {1e300, "1e+300"}} {
		if b, _ := json.Marshal(v.f); string(b) != v.want {
			t.Errorf("Float(%v) → %s, want %s", float64(v.f), b, v.want)
		}
	}
}
