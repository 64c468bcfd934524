package profile

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/mlwb/mlwb/engine/internal/textnorm"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
)

// alertFrame builds 1000 rows in which each column is made to raise
// particular alerts (and, by construction, no others).
func alertFrame() *frame.Frame {
	const n = 1000
	rng := rand.New(rand.NewPCG(7, 11))
	cols := map[string][]float64{}
	for _, name := range []string{"const", "id", "miss", "zeros", "inf", "skew", "x1", "x2", "out", "plain"} {
		cols[name] = make([]float64, n)
	}
	var highcard, imb, code, when, mixed, city, email []string
	cities := []string{"Paris", "paris ", "PARIS", "São Paulo", "Sao Paulo", "Berlin", "Rome", "Oslo"}
	for i := range n {
		// Independent uniform draws with 2 decimals: ties (so not UNIQUE),
		// no outliers, no correlations.
		z := func() float64 { return math.Round(rng.Float64()*100) / 100 }
		cols["const"][i] = 7
		cols["id"][i] = float64(i)
		cols["miss"][i] = z()
		if i%20 == 0 {
			cols["miss"][i] = math.NaN() // 5 % missing
		}
		cols["zeros"][i] = z()
		if i%10 == 0 {
			cols["zeros"][i] = 0 // ≥ 10 % zeros
		}
		cols["inf"][i] = z()
		if i%40 == 0 {
			cols["inf"][i] = math.Inf(1) // 2.5 % infinite
		}
		cols["x1"][i] = z()
		cols["x2"][i] = 2*cols["x1"][i] + z()/10
		cols["out"][i] = z()
		if i%25 == 0 {
			cols["out"][i] = 50 + float64(i%7) // 4 % far out
		}
		cols["plain"][i] = z()
		highcard = append(highcard, fmt.Sprintf("v%03d", rng.IntN(200)))
		if i%100 == 0 {
			imb = append(imb, "b")
		} else {
			imb = append(imb, "a")
		}
		code = append(code, fmt.Sprintf("A%02d", i%7))
		when = append(when, time.Date(2024, 1, 1+rng.IntN(60), 0, 0, 0, 0, time.UTC).Format("2006-01-02"))
		if rng.IntN(5) == 0 {
			mixed = append(mixed, "unknown")
		} else {
			mixed = append(mixed, fmt.Sprint(rng.IntN(13)))
		}
		city = append(city, cities[rng.IntN(len(cities))])
		email = append(email, fmt.Sprintf("user%d@example.org", rng.IntN(30)))
	}
	cols["skew"][0] = 1e6
	for i := range n {
		if i != 0 {
			cols["skew"][i] = 1 + float64(i%3)/10
		}
	}
	var fc []frame.Column
	for _, name := range []string{"const", "id", "miss", "zeros", "inf", "skew", "x1", "x2", "out", "plain"} {
		fc = append(fc, frame.NewFloat64(name, cols[name], frame.Mask{}))
	}
	fc = append(fc,
		frame.NewString("highcard", highcard, frame.Mask{}),
		frame.CategoricalFromStrings("imb", imb, nil),
		frame.NewString("code", code, frame.Mask{}),
		frame.NewString("when", when, frame.Mask{}),
		frame.NewString("mixed", mixed, frame.Mask{}),
		frame.CategoricalFromStrings("city", city, nil),
		frame.NewString("email", email, frame.Mask{}),
	)
	return frame.MustNew(fc...)
}

func kindsByColumn(r *Report) map[string][]string {
	out := map[string][]string{}
	for _, a := range r.Alerts {
		out[a.Column] = append(out[a.Column], string(a.Kind))
	}
	for _, k := range out {
		slices.Sort(k)
	}
	return out
}

func TestAlertRules(t *testing.T) {
	r, err := Profile(context.Background(), alertFrame(), Options{CorrelationThreshold: 0.9})
	if err != nil {
		t.Fatal(err)
	}
	got := kindsByColumn(r)
	want := map[string][]string{
		"const": {"CONSTANT"},
		// 0..999: all distinct, and its histogram is flat (χ² p = 1).
		"id":    {"UNIFORM", "UNIQUE"},
		"miss":  {"MISSING"},
		"zeros": {"ZEROS"},
		// ±Inf count as INFINITE, not as outliers
		"inf": {"INFINITE"},
		// one value of 1e6 among 999 small ones: skewness ≈ √999 ≈ 31.6 (the
		// spike is 0.1 % of values, below both OUTLIERS shares).
		"skew":  {"SKEWED"},
		"x1":    {"HIGH_CORRELATION"},
		"x2":    {"HIGH_CORRELATION"},
		"out":   {"OUTLIERS"},
		"plain": nil,
		// up to 200 values drawn at random, all 4 characters long
		"highcard": {"CONSTANT_LENGTH", "HIGH_CARDINALITY"},
		// 990 "a" / 10 "b": 1 − H/log₂2 = 0.919; both one character long
		"imb": {"CONSTANT_LENGTH", "IMBALANCE"},
		// A00..A06 in turn (counts 143/143/…/142: χ² p ≈ 1), each 3 characters
		"code": {"CONSTANT_LENGTH", "UNIFORM"},
		"when": {"CONSTANT_LENGTH", "HIGH_CARDINALITY", "TYPE_DATE"},
		// 80 % numbers, 20 % "unknown"
		"mixed": {"UNSUPPORTED"},
		"city":  {"INCONSISTENT_CATEGORY"},
		"email": {"PII"},
	}
	for col, w := range want {
		if !slices.Equal(got[col], w) {
			t.Errorf("%s: alerts %v, want %v", col, got[col], w)
		}
	}
	for _, a := range r.Alerts {
		switch {
		case a.Column == "city" && a.Kind == InconsistentCategory:
			for _, v := range []string{`"Paris"`, `"paris "`, `"PARIS"`, `"São Paulo"`, `"Sao Paulo"`} {
				if !strings.Contains(a.Detail, v) {
					t.Errorf("INCONSISTENT_CATEGORY detail %q lacks %s", a.Detail, v)
				}
			}
			if a.Value != 2 {
				t.Errorf("INCONSISTENT_CATEGORY groups = %v, want 2", a.Value)
			}
		case a.Column == "email" && a.Kind == PII:
			if !strings.HasPrefix(a.Detail, "e-mail addresses in 100.0%") {
				t.Errorf("PII detail %q", a.Detail)
			}
		case a.Column == "miss" && a.Kind == Missing:
			if a.Value != 0.05 {
				t.Errorf("MISSING value %v, want 0.05", a.Value)
			}
		case a.Column == "out" && a.Kind == Outliers:
			if a.Value != 40 {
				t.Errorf("OUTLIERS value %v, want 40 (the 4 %% placed beyond the fences)", a.Value)
			}
		}
	}
	if len(got[""]) != 0 {
		t.Errorf("table alerts %v, want none", got[""])
	}
}

func TestTargetAlerts(t *testing.T) {
	const n = 2000
	rng := rand.New(rand.NewPCG(3, 5))
	y := make([]string, n)
	leak := make([]string, n)
	noise := make([]float64, n)
	score := make([]float64, n)
	for i := range n {
		y[i] = "no"
		if i%20 == 0 {
			y[i] = "yes" // 5 % minority
		}
		leak[i] = strings.ToUpper(y[i])
		noise[i] = rng.NormFloat64()
		score[i] = noise[i] + 0.1*rng.NormFloat64()
	}
	f := frame.MustNew(
		frame.CategoricalFromStrings("y", y, nil),
		frame.NewString("leak", leak, frame.Mask{}),
		frame.NewFloat64("noise", noise, frame.Mask{}),
		frame.NewFloat64("score", score, frame.Mask{}),
	)
	r, err := Profile(context.Background(), f, Options{Target: "y", CorrelationThreshold: 0.999})
	if err != nil {
		t.Fatal(err)
	}
	got := kindsByColumn(r)
	// y: 5 % minority (< 10 %), and 1 − H/log₂2 = 0.714 > 0.5; Cramér's V
	// with leak is 1.
	if !slices.Equal(got["y"], []string{"HIGH_CORRELATION", "IMBALANCE", "IMBALANCE"}) {
		t.Errorf("y alerts %v", got["y"])
	}
	if !slices.Contains(got["leak"], "LEAKAGE") || slices.Contains(got["noise"], "LEAKAGE") || slices.Contains(got["score"], "LEAKAGE") {
		t.Errorf("LEAKAGE on %v", got)
	}
	// A feature whose levels are pure only because the target is almost
	// constant does not leak: "rare" marks 5 of 2000 rows, of which the
	// target "z" has 1.
	z := make([]string, n)
	rare := make([]string, n)
	for i := range n {
		z[i], rare[i] = "z0", "r0"
		if i == 0 {
			z[i] = "z1"
		}
		if i%400 == 0 {
			rare[i] = "r1"
		}
	}
	zf := frame.MustNew(frame.CategoricalFromStrings("z", z, nil), frame.CategoricalFromStrings("rare", rare, nil))
	if r, err := Profile(context.Background(), zf, Options{Target: "z"}); err != nil || hasAlert(r, "rare", Leakage) {
		t.Errorf("near-constant target: err %v, alerts %v", err, r.Alerts)
	}
	// With a numeric target, a near copy leaks through |Pearson| ≥ 0.95.
	r, err = Profile(context.Background(), f, Options{Target: "score", CorrelationThreshold: 0.999})
	if err != nil {
		t.Fatal(err)
	}
	if got := kindsByColumn(r); !slices.Contains(got["noise"], "LEAKAGE") || slices.Contains(got["leak"], "LEAKAGE") {
		t.Errorf("numeric target: alerts %v", got)
	}
}

func TestDuplicateRows(t *testing.T) {
	// Rows 0/3 equal (missing equals missing), 1/4 equal (−0 equals +0),
	// row 5 equal to row 0 too; row 2 differs from row 0 only in the string.
	f := frame.MustNew(
		frame.NewFloat64("a", []float64{math.NaN(), 0, 1, math.NaN(), math.Copysign(0, -1), math.NaN()}, frame.Mask{}),
		frame.NewString("s", []string{"x", "y", "z", "x", "y", "x"}, frame.Mask{}),
		frame.CategoricalFromStrings("c", []string{"p", "q", "p", "p", "q", "p"}, nil),
	)
	r, err := Profile(context.Background(), f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// pd.DataFrame({...}).duplicated().sum() == 3
	if r.Duplicates != 3 || !hasAlert(r, "", Duplicates) {
		t.Errorf("duplicates %d, alerts %v", r.Duplicates, r.Alerts)
	}
}

func TestPIIDetectors(t *testing.T) {
	for _, test := range []struct {
		s, kind string
	}{
		{"jane.doe+news@mail.example.com", "e-mail addresses"},
		{"not an@email", ""},
		{"GB82 WEST 1234 5698 7654 32", "IBANs"}, // the ISO 13616 example
		{"GB82 WEST 1234 5698 7654 33", ""},      // check digits fail
		{"4111 1111 1111 1111", "card numbers"},  // Luhn-valid test Visa
		{"4111 1111 1111 1112", ""},
		{"192.168.0.1", "IP addresses"},
		{"2001:db8::8a2e:370:7334", "IP addresses"},
		{"1.5", ""},
		{"+33 1 23 45 67 89", "phone numbers"},
		{"(555) 123-4567", "phone numbers"},
		{"2024-01-05", ""}, // a date, not a phone
		{"1234567", ""},    // a bare number
		{"12.34567", ""},
		{"hello", ""},
	} {
		if got := piiKind(test.s); got != test.kind {
			t.Errorf("piiKind(%q) = %q, want %q", test.s, got, test.kind)
		}
	}
	for _, test := range []struct{ in, want string }{
		{"  São   Paulo ", "sao paulo"}, {"PARIS", "paris"}, {"Zürich", "zurich"}, {"Ærø", "ærø"},
	} {
		if got := textnorm.Fold(test.in); got != test.want {
			t.Errorf("normalizeCategory(%q) = %q, want %q", test.in, got, test.want)
		}
	}
}

// TestBadInput: degenerate frames give sensible reports and valid JSON,
// never a panic.
func TestBadInput(t *testing.T) {
	empty := frame.MustNew(
		frame.NewFloat64("x", []float64{}, frame.Mask{}),
		frame.NewString("s", []string{}, frame.Mask{}),
		frame.NewDatetime("d", []int64{}, frame.Mask{}),
		frame.NewBool("b", []bool{}, frame.Mask{}),
	)
	allNA := frame.MustNew(
		frame.NewFloat64("x", []float64{math.NaN(), math.NaN(), math.NaN()}, frame.Mask{}),
		frame.NewInt64("i", []int64{1, 2, 3}, frame.MaskFromMissing([]bool{true, true, true})),
		frame.CategoricalFromStrings("c", []string{"", "", ""}, []bool{true, true, true}),
		frame.NewDatetime("d", []int64{0, 0, 0}, frame.MaskFromMissing([]bool{true, true, true})),
		frame.NewFloat64("inf", []float64{math.Inf(1), math.Inf(-1), math.NaN()}, frame.Mask{}),
	)
	one := frame.MustNew(
		frame.NewFloat64("x", []float64{2.5}, frame.Mask{}),
		frame.NewString("s", []string{"a"}, frame.Mask{}),
		frame.NewBool("b", []bool{true}, frame.Mask{}),
	)
	for _, test := range []struct {
		name  string
		f     *frame.Frame
		check func(t *testing.T, r *Report)
	}{
		{"zero rows", empty, func(t *testing.T, r *Report) {
			if r.Rows != 0 || !hasAlert(r, "", Empty) || column(t, r, "x").Count != 0 {
				t.Errorf("report %+v", r)
			}
			if !math.IsNaN(column(t, r, "x").Numeric.Mean) {
				t.Error("mean of nothing should be NaN")
			}
		}},
		{"no columns", frame.MustNew(), func(t *testing.T, r *Report) {
			if len(r.Columns) != 0 || !hasAlert(r, "", Empty) {
				t.Errorf("report %+v", r)
			}
		}},
		{"all missing", allNA, func(t *testing.T, r *Report) {
			for _, c := range []string{"x", "i", "c", "d"} {
				if !hasAlert(r, c, Empty) || !hasAlert(r, c, Missing) || hasAlert(r, c, Constant) {
					t.Errorf("%s: alerts %v", c, r.Alerts)
				}
			}
			inf := column(t, r, "inf").Numeric
			if inf.Infinite != 2 || !math.IsNaN(inf.Mean) || len(inf.Histogram.Counts) != 0 {
				t.Errorf("inf column %+v", inf)
			}
			if !hasAlert(r, "inf", Infinite) {
				t.Errorf("alerts %v", r.Alerts)
			}
		}},
		{"one row", one, func(t *testing.T, r *Report) {
			x := column(t, r, "x")
			if x.Count != 1 || x.Numeric.Mean != 2.5 || x.Numeric.P99 != 2.5 || !math.IsNaN(x.Numeric.Std) || !hasAlert(r, "x", Constant) || hasAlert(r, "x", Unique) {
				t.Errorf("x %+v, alerts %v", x.Numeric, r.Alerts)
			}
		}},
	} {
		t.Run(test.name, func(t *testing.T) {
			r, err := Profile(context.Background(), test.f, Options{Target: ""})
			if err != nil {
				t.Fatal(err)
			}
			test.check(t, r)
			b, err := json.Marshal(r)
			if err != nil || !json.Valid(b) {
				t.Fatalf("JSON: %v %s", err, b)
			}
		})
	}
}

// TestWideTable: 10 000 columns profile without building 10⁸-entry
// correlation matrices: each matrix stops at DefaultMaxCorrelationColumns.
func TestWideTable(t *testing.T) {
	const cols, rows = 10000, 20
	rng := rand.New(rand.NewPCG(1, 1))
	fc := make([]frame.Column, cols)
	for j := range fc {
		if j%2 == 0 {
			x := make([]float64, rows)
			for i := range x {
				x[i] = rng.NormFloat64()
			}
			fc[j] = frame.NewFloat64(fmt.Sprintf("x%d", j), x, frame.Mask{})
		} else {
			s := make([]string, rows)
			for i := range s {
				s[i] = fmt.Sprint(rng.IntN(3))
			}
			fc[j] = frame.CategoricalFromStrings(fmt.Sprintf("c%d", j), s, nil)
		}
	}
	r, err := Profile(context.Background(), frame.MustNew(fc...), Options{Target: "x0"})
	if err != nil {
		t.Fatal(err)
	}
	c := r.Correlations
	if len(r.Columns) != cols || len(c.Pearson.Columns) != 200 || len(c.CramersV.Columns) != 200 || len(c.Eta.Rows) != 200 || len(c.Eta.Columns) != 200 {
		t.Errorf("matrix sizes: pearson %d cramer %d eta %d×%d", len(c.Pearson.Columns), len(c.CramersV.Columns), len(c.Eta.Rows), len(c.Eta.Columns))
	}
	if len(r.Target.Associations) != cols-1 {
		t.Errorf("%d associations", len(r.Target.Associations))
	}
}

func TestDuplicateRowsMaskedTypes(t *testing.T) {
	// Missing cells hold arbitrary data; rows 0 and 2 are equal (both
	// missing in every column), row 1 differs.
	miss := frame.MaskFromMissing([]bool{true, false, true})
	f := frame.MustNew(
		frame.NewInt64("i", []int64{5, 6, 7}, miss),
		frame.NewString("s", []string{"a", "b", "c"}, miss),
		frame.NewBool("b", []bool{true, false, false}, miss),
		frame.NewDatetime("d", []int64{1, 2, 3}, miss),
	)
	r, err := Profile(context.Background(), f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Duplicates != 1 {
		t.Errorf("duplicates %d, want 1", r.Duplicates)
	}
}

func TestUnusedCategoricalLevels(t *testing.T) {
	// A column sliced from a big dictionary: 2 of 1 000 000 levels in use.
	levels := make([]string, 1_000_000)
	for i := range levels {
		levels[i] = fmt.Sprint("L", i)
	}
	a := frame.NewCategorical("a", []int32{999_999, 5, 5, 999_999, -1}, levels)
	b := frame.CategoricalFromStrings("b", []string{"x", "y", "y", "x", "x"}, nil)
	r, err := Profile(context.Background(), frame.MustNew(a, b), Options{Target: "b"})
	if err != nil {
		t.Fatal(err)
	}
	if c := column(t, r, "a"); c.Distinct != 2 || c.Text.Top[0].Value != "L5" && c.Text.Top[0].Value != "L999999" {
		t.Errorf("column a: %+v", c)
	}
	// a determines b on the 4 rows where both are present.
	if v := r.Correlations.CramersV.Values[0][1]; !(v > 0.5) || r.Target.Associations[0].Purity != 1 {
		t.Errorf("Cramér's V %v, association %+v", v, r.Target.Associations[0])
	}
}
