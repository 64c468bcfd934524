package clean

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
)

var ctx = context.Background()

func nan() float64 { return math.NaN() }

// testFrame is a small table with every kind of problem.
func testFrame() *frame.Frame {
	return frame.MustNew(
		frame.NewInt64("id", []int64{1, 2, 3, 4, 5, 6}, frame.Mask{}),
		frame.NewFloat64("age", []float64{22, nan(), 35, 58, nan(), 35}, frame.Mask{}),
		frame.CategoricalFromStrings("city", []string{"Paris", "paris ", "PARIS", "Oslo", "", "Paris"}, []bool{false, false, false, false, true, false}),
		frame.NewString("email", []string{"jane.doe@example.com", "bob@x.org", "", "al@y.net", "zed@q.io", "jane.doe@example.com"}, frame.MaskFromMissing([]bool{false, false, true, false, false, false})),
		frame.NewString("joined", []string{"2024-01-31", "2024-02-01", "bad", "2023-12-24", "", "2024-01-31"}, frame.MaskFromMissing([]bool{false, false, false, false, true, false})),
	)
}

func col(t *testing.T, f *frame.Frame, name string) []string {
	t.Helper()
	c, err := f.Column(name)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, c.Len())
	for i := range out {
		if c.IsNA(i) {
			out[i] = "NA"
		} else {
			out[i] = c.Format(i)
		}
	}
	return out
}

func TestOps(t *testing.T) {
	tests := []struct {
		name   string
		step   Step
		column string   // column to check ("" for none)
		want   []string // its values, NA for missing
		typ    string   // its type
		eff    Effect   // counts (Detail/Summary not compared)
		rows   int
	}{
		{"drop columns", Step{Op: "drop_columns", Columns: []string{"email", "joined"}}, "", nil, "", Effect{ColumnsDropped: 2}, 6},
		{"rename", Step{Op: "rename", Columns: []string{"age"}, Params: map[string]any{"to": []any{"age_years"}}},
			"age_years", []string{"22", "NA", "35", "58", "NA", "35"}, "float", Effect{}, 6},
		{"impute mean", Step{Op: "impute", Columns: []string{"age"}, Params: map[string]any{"method": "mean"}},
			"age", []string{"22", "37.5", "35", "58", "37.5", "35"}, "float", Effect{CellsChanged: 2}, 6},
		{"impute median", Step{Op: "impute", Columns: []string{"age"}, Params: map[string]any{"method": "median"}},
			"age", []string{"22", "35", "35", "58", "35", "35"}, "float", Effect{CellsChanged: 2}, 6},
		{"impute constant categorical", Step{Op: "impute", Columns: []string{"city"}, Params: map[string]any{"method": "constant", "value": "unknown"}},
			"city", []string{"Paris", "paris ", "PARIS", "Oslo", "unknown", "Paris"}, "categorical", Effect{CellsChanged: 1}, 6},
		{"impute mode categorical", Step{Op: "impute", Columns: []string{"city"}, Params: map[string]any{"method": "mode"}},
			"city", []string{"Paris", "paris ", "PARIS", "Oslo", "Paris", "Paris"}, "categorical", Effect{CellsChanged: 1}, 6},
		{"drop missing any", Step{Op: "drop_missing", Columns: []string{"age", "city"}}, "id", []string{"1", "3", "4", "6"}, "int", Effect{RowsDropped: 2}, 4},
		{"drop missing all cols", Step{Op: "drop_missing"}, "id", []string{"1", "4", "6"}, "int", Effect{RowsDropped: 3}, 3},
		{"drop missing how all", Step{Op: "drop_missing", Columns: []string{"age", "city"}, Params: map[string]any{"how": "all"}}, "id", []string{"1", "2", "3", "4", "6"}, "int", Effect{RowsDropped: 1}, 5},
		{"drop duplicates subset", Step{Op: "drop_duplicates", Columns: []string{"email", "joined"}}, "id", []string{"1", "2", "3", "4", "5"}, "int", Effect{RowsDropped: 1}, 5},
		{"drop duplicates keep last", Step{Op: "drop_duplicates", Columns: []string{"age"}, Params: map[string]any{"keep": "last"}}, "id", []string{"1", "4", "5", "6"}, "int", Effect{RowsDropped: 2}, 4},
		{"trim", Step{Op: "trim", Columns: []string{"city"}}, "city", []string{"Paris", "paris", "PARIS", "Oslo", "NA", "Paris"}, "categorical", Effect{CellsChanged: 1}, 6},
		{"case title all text", Step{Op: "case", Params: map[string]any{"to": "title"}}, "city", []string{"Paris", "Paris ", "Paris", "Oslo", "NA", "Paris"}, "categorical", Effect{CellsChanged: 2 + 5 + 1}, 6}, // city 2, email 5, "bad" → "Bad"
		{"merge categories", Step{Op: "merge_categories", Columns: []string{"city"}, Params: map[string]any{"groups": [][]string{{"Paris", "paris ", "PARIS", "París"}}}},
			"city", []string{"Paris", "Paris", "Paris", "Oslo", "NA", "Paris"}, "categorical", Effect{CellsChanged: 2}, 6},
		{"clip explicit keeps int", Step{Op: "clip", Columns: []string{"id"}, Params: map[string]any{"lower": 2, "upper": 5}}, "id", []string{"2", "2", "3", "4", "5", "5"}, "int", Effect{CellsChanged: 2}, 6},
		{"clip fractional makes float", Step{Op: "clip", Columns: []string{"id"}, Params: map[string]any{"upper": 4.5}}, "id", []string{"1", "2", "3", "4", "4.5", "4.5"}, "float", Effect{CellsChanged: 2}, 6},
		{"filter", Step{Op: "filter", Params: map[string]any{"expr": "age > 30"}}, "id", []string{"3", "4", "6"}, "int", Effect{RowsDropped: 3}, 3},
		{"cast float to int", Step{Op: "cast", Columns: []string{"age"}, Params: map[string]any{"to": "int"}}, "age", []string{"22", "NA", "35", "58", "NA", "35"}, "int", Effect{}, 6},
		{"cast to string", Step{Op: "cast", Columns: []string{"id"}, Params: map[string]any{"to": "string"}}, "id", []string{"1", "2", "3", "4", "5", "6"}, "string", Effect{}, 6},
		{"cast text to datetime fails one", Step{Op: "cast", Columns: []string{"joined"}, Params: map[string]any{"to": "datetime"}},
			"joined", []string{"2024-01-31", "2024-02-01", "NA", "2023-12-24", "NA", "2024-01-31"}, "datetime", Effect{CellsChanged: 1, Failed: 1}, 6},
		{"parse dates strftime", Step{Op: "parse_dates", Columns: []string{"joined"}, Params: map[string]any{"layout": "%Y-%m-%d"}},
			"joined", []string{"2024-01-31", "2024-02-01", "NA", "2023-12-24", "NA", "2024-01-31"}, "datetime", Effect{CellsChanged: 1, Failed: 1}, 6},
		{"mask", Step{Op: "mask", Columns: []string{"email"}}, "email", []string{"j***@example.com", "b***@x.org", "NA", "a***@y.net", "z***@q.io", "j***@example.com"}, "string", Effect{CellsChanged: 5}, 6},
		{"hash", Step{Op: "hash", Columns: []string{"city"}, Params: map[string]any{"salt": "s", "length": 8}}, "city",
			[]string{HashValue("s", "Paris", 8), HashValue("s", "paris ", 8), HashValue("s", "PARIS", 8), HashValue("s", "Oslo", 8), "NA", HashValue("s", "Paris", 8)}, "categorical", Effect{CellsChanged: 5}, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := testFrame()
			before := col(t, f, "age")
			g, eff, err := tc.step.Apply(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(col(t, f, "age"), before) {
				t.Fatal("the input frame was modified")
			}
			if g.NumRows() != tc.rows {
				t.Errorf("rows = %d, want %d", g.NumRows(), tc.rows)
			}
			if tc.column != "" {
				if got := col(t, g, tc.column); !slices.Equal(got, tc.want) {
					t.Errorf("%s = %q, want %q", tc.column, got, tc.want)
				}
				c, _ := g.Column(tc.column)
				if c.Type().String() != tc.typ {
					t.Errorf("type = %s, want %s", c.Type(), tc.typ)
				}
			}
			got := eff
			got.Detail, got.Summary = "", ""
			if got != tc.eff {
				t.Errorf("effect = %+v, want %+v", got, tc.eff)
			}
			if eff.Summary == "" {
				t.Error("empty summary")
			}
		})
	}
}

// TestImputeWinsorizePandas checks statistics against pandas 1.5:
//
//	s = pd.Series([22, nan, 35, 58, nan, 41, 19, 67, 35, 90.5])
//	s.mean() → 45.9375; s.median() → 38.0; s.mode()[0] → 35.0
//	x = pd.Series([3., -7, 12, 5, 1000, 8, 2, 6, -250, 9, 4, 11])
//	x.quantile(.1), x.quantile(.9) → -6.1, 11.9
//	x.clip(q1 - 1.5*iqr, q3 + 1.5*iqr) with q1, q3 = 2.75, 9.5 → bounds -7.375, 19.625
func TestImputeWinsorizePandas(t *testing.T) {
	s := frame.MustNew(frame.NewFloat64("s", []float64{22, nan(), 35, 58, nan(), 41, 19, 67, 35, 90.5}, frame.Mask{}))
	for _, tc := range []struct {
		method string
		want   float64
	}{{"mean", 45.9375}, {"median", 38}, {"mode", 35}} {
		g, _, err := Step{Op: "impute", Columns: []string{"s"}, Params: map[string]any{"method": tc.method}}.Apply(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		c := g.Col(0).(*frame.Float64Col)
		if c.Data[1] != tc.want || c.Data[4] != tc.want || c.NullCount() != 0 {
			t.Errorf("%s: filled %v, %v, want %v", tc.method, c.Data[1], c.Data[4], tc.want)
		}
	}
	x := frame.MustNew(frame.NewFloat64("x", []float64{3, -7, 12, 5, 1000, 8, 2, 6, -250, 9, 4, 11}, frame.Mask{}))
	const tol = 1e-12 // numpy's lerp and ours may differ in the last bit
	check := func(name string, step Step, want []float64, changed int) {
		t.Helper()
		g, eff, err := step.Apply(ctx, x)
		if err != nil {
			t.Fatal(err)
		}
		got := g.Col(0).(*frame.Float64Col).Data
		for i := range want {
			if math.Abs(got[i]-want[i]) > tol {
				t.Errorf("%s: row %d = %v, want %v", name, i, got[i], want[i])
			}
		}
		if eff.CellsChanged != changed {
			t.Errorf("%s: %d cells changed, want %d", name, eff.CellsChanged, changed)
		}
	}
	check("winsorize", Step{Op: "winsorize", Columns: []string{"x"}, Params: map[string]any{"lower": 0.1, "upper": 0.9}},
		[]float64{3, -6.1, 11.9, 5, 11.9, 8, 2, 6, -6.1, 9, 4, 11}, 4)
	check("clip iqr", Step{Op: "clip", Columns: []string{"x"}, Params: map[string]any{"method": "iqr"}},
		[]float64{3, -7, 12, 5, 19.625, 8, 2, 6, -7.375, 9, 4, 11}, 2)
}

func TestModeTiesSmallest(t *testing.T) {
	// pd.Series([3, 1, 2, 2, 3, None]).mode().tolist() → [2.0, 3.0]: the tie goes to 2.
	f := frame.MustNew(frame.NewInt64("i", []int64{3, 1, 2, 2, 3, 0}, frame.MaskFromMissing([]bool{false, false, false, false, false, true})))
	g, _, err := Step{Op: "impute", Columns: []string{"i"}, Params: map[string]any{"method": "mode"}}.Apply(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if got := col(t, g, "i"); got[5] != "2" || g.Col(0).Type() != frame.Int {
		t.Errorf("mode fill = %q (%s), want 2 (int)", got[5], g.Col(0).Type())
	}
}

func TestCastStrict(t *testing.T) {
	_, _, err := Step{Op: "cast", Columns: []string{"joined"}, Params: map[string]any{"to": "datetime", "strict": true}}.Apply(ctx, testFrame())
	want := `clean: cast "joined": 1 cell of "joined" cannot be read as datetime (e.g. "bad" in row 3)`
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
}

func TestParseDatesDetect(t *testing.T) {
	f := frame.MustNew(frame.NewString("d", []string{"31/01/2024", "01/02/2024", "15/03/2023"}, frame.Mask{}))
	g, _, err := Step{Op: "parse_dates", Columns: []string{"d"}}.Apply(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if got := col(t, g, "d"); !slices.Equal(got, []string{"2024-01-31", "2024-02-01", "2023-03-15"}) {
		t.Errorf("day-first dates = %q", got)
	}
	// All ambiguous: month first, as pandas.
	f = frame.MustNew(frame.NewString("d", []string{"01/02/2024", "03/04/2024"}, frame.Mask{}))
	g, _, err = Step{Op: "parse_dates", Columns: []string{"d"}}.Apply(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if got := col(t, g, "d"); !slices.Equal(got, []string{"2024-01-02", "2024-03-04"}) {
		t.Errorf("ambiguous dates = %q", got)
	}
	if d := g.Col(0).(*frame.DatetimeCol); d.Time(0) != time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC) {
		t.Errorf("time = %v", d.Time(0))
	}
}

func TestMaskValue(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"jane.doe@example.com", "j***@example.com"},
		{"+44 7700 900123", "+** **** ****23"},
		{"Jane Smith", "J***"},
		{"", ""},
		{"Émile", "É***"},
	} {
		if got := MaskValue(tc.in, 2); got != tc.want {
			t.Errorf("MaskValue(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// SHA-256("s\x00Paris") via: python3 -c 'import hashlib; print(hashlib.sha256(b"s\x00Paris").hexdigest()[:16])'
	if got := HashValue("s", "Paris", 16); got != "0a588470c179eee1" {
		t.Errorf("HashValue = %s", got)
	}
}

func TestStepErrors(t *testing.T) {
	f := testFrame()
	for _, tc := range []struct {
		step Step
		want string
	}{
		{Step{Op: "impute", Columns: []string{"agee"}, Params: map[string]any{"method": "median"}}, `clean: impute "agee": column "agee" not found`},
		{Step{Op: "impute", Columns: []string{"age"}, Params: map[string]any{"metod": "median"}}, `clean: impute "age": unknown param "metod" (params of impute: method, value)`},
		{Step{Op: "impute", Columns: []string{"age"}}, `clean: impute "age": param "method" is required (mean, median, mode or constant)`},
		{Step{Op: "impute", Columns: []string{"city"}, Params: map[string]any{"method": "mean"}}, `clean: impute "city": cannot impute the mean of categorical column "city"`},
		{Step{Op: "explode"}, `clean: explode: unknown op "explode"`},
		{Step{Op: "trim", Columns: []string{"age"}}, `clean: trim "age": column "age" is float, not text (categorical or string)`},
		{Step{Op: "merge_categories", Columns: []string{"city", "email"}}, `clean: merge_categories "city", "email": needs exactly one column, got 2`},
		{Step{Op: "filter", Params: map[string]any{"expr": "salary > 3"}}, `clean: filter: column "salary" not found`},
		{Step{Op: "hash", Columns: []string{"email"}}, `clean: hash "email": param "salt" is required`},
		{Step{Op: "winsorize", Columns: []string{"age"}, Params: map[string]any{"lower": 0.9, "upper": 0.1}}, `clean: winsorize "age": quantiles must satisfy`},
		{Step{Op: "cast", Columns: []string{"joined"}, Params: map[string]any{"to": "integer"}}, `clean: cast "joined": frame: unknown type "integer"`},
	} {
		_, _, err := tc.step.Apply(ctx, f)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want prefix %s", tc.step.Describe(), err, tc.want)
		}
		if err != nil && !errors.Is(err, ErrStep) {
			t.Errorf("%v does not match ErrStep", err)
		}
	}
}

func TestSuggestVariants(t *testing.T) {
	c := frame.CategoricalFromStrings("city", []string{"paris ", "Paris", "PARIS", "Paris", "São Paulo", "Sao Paulo", "Sao Paulo", "Oslo", "Paris"}, nil)
	got := SuggestVariants(c)
	want := [][]string{{"Paris", "paris ", "PARIS"}, {"Sao Paulo", "São Paulo"}}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("group %d = %q, want %q", i, got[i], want[i])
		}
	}
	if n := NormalizeCategory("  São   PAULO "); n != "sao paulo" {
		t.Errorf("NormalizeCategory = %q", n)
	}
}

func TestSuggest(t *testing.T) {
	f := frame.MustNew(
		frame.NewInt64("id", []int64{1, 2, 2}, frame.Mask{}),
		frame.NewString("day", []string{"2024-01-01", "2024-01-02", "2024-01-02"}, frame.Mask{}),
		frame.CategoricalFromStrings("c", []string{"a", "A", "A"}, nil),
	)
	got, err := Suggest(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, s := range got {
		ops = append(ops, s.Step.Describe())
	}
	want := []string{"drop_duplicates", `parse_dates "day"`, `merge_categories "c"`}
	if !slices.Equal(ops, want) {
		t.Fatalf("suggestions = %q, want %q", ops, want)
	}
	// Suggestions apply as they are.
	for _, s := range got {
		if _, _, err := s.Step.Apply(ctx, f); err != nil {
			t.Errorf("%s: %v", s.Step.Describe(), err)
		}
	}
	if got[2].Reason != `1 group of variant spellings in "c": "A"/"a"` {
		t.Errorf("reason = %q", got[2].Reason)
	}
}

func TestEffectSummary(t *testing.T) {
	e := Effect{CellsChanged: 312, RowsDropped: 12, Detail: "median 41"}
	e.summarize()
	if e.Summary != "312 cells change, 12 rows dropped (median 41)" {
		t.Errorf("summary = %q", e.Summary)
	}
	e = Effect{CellsChanged: 1234567}
	e.summarize()
	if e.Summary != "1,234,567 cells change" {
		t.Errorf("summary = %q", e.Summary)
	}
}
