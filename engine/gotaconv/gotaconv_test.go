package gotaconv

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/mlwb/mlwb/engine/frame"
)

func sample() *frame.Frame {
	t1 := time.Date(2021, 3, 4, 5, 6, 7, 123456789, time.UTC).UnixNano()
	t2 := time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC).UnixNano()
	return frame.MustNew(
		frame.NewFloat64("x", []float64{1.5, math.NaN(), -2, math.Inf(1)}, frame.Mask{}),
		frame.NewInt64("n", []int64{7, 0, -3, 1 << 40}, frame.MaskFromMissing([]bool{false, true, false, false})),
		frame.NewBool("b", []bool{true, false, true, false}, frame.MaskFromMissing([]bool{false, false, true, false})),
		frame.NewDatetime("when", []int64{t1, 0, t2, t2}, frame.MaskFromMissing([]bool{false, true, false, false})),
		frame.NewCategorical("grade", []int32{1, 1, -1, 1}, []string{"low", "high"}),
		frame.NewString("note", []string{"a", "b", "", "d"}, frame.MaskFromMissing([]bool{false, false, true, false})),
	)
}

func TestToGota(t *testing.T) {
	df := ToGota(sample())
	if df.Err != nil {
		t.Fatal(df.Err)
	}
	if got := df.Names(); !slices.Equal(got, []string{"x", "n", "b", "when", "grade", "note"}) {
		t.Errorf("names = %q", got)
	}
	want := []series.Type{series.Float, series.Int, series.Bool, series.String, series.String, series.String}
	if got := df.Types(); !slices.Equal(got, want) {
		t.Errorf("types = %v, want %v", got, want)
	}
	// Records renders NA as "NaN"; the header row comes first.
	rec := df.Records()
	wantRec := [][]string{
		{"x", "n", "b", "when", "grade", "note"},
		{"1.500000", "7", "true", "2021-03-04T05:06:07.123456789Z", "high", "a"},
		{"NaN", "NaN", "false", "NaN", "high", "b"},
		{"-2.000000", "-3", "NaN", "1999-12-31T00:00:00Z", "NaN", "NaN"},
		{"+Inf", "1099511627776", "false", "1999-12-31T00:00:00Z", "high", "d"},
	}
	for i := range wantRec {
		if !slices.Equal(rec[i], wantRec[i]) {
			t.Errorf("record %d = %q, want %q", i, rec[i], wantRec[i])
		}
	}
	na := df.Col("n").IsNaN()
	if !slices.Equal(na, []bool{false, true, false, false}) {
		t.Errorf("n IsNaN = %v", na)
	}
	if ToGota(frame.MustNew()).Err == nil {
		t.Error("empty frame: want gota's empty DataFrame error")
	}
}

func TestFromGota(t *testing.T) {
	df := dataframe.New(
		series.New([]any{1.25, nil, math.NaN(), 4.0}, series.Float, "f"),
		series.New([]any{1, 2, nil, -4}, series.Int, "i"),
		series.New([]any{true, nil, false, true}, series.Bool, "b"),
		series.New([]any{"red", "red", nil, "red"}, series.String, "cat"),
		series.New([]any{"red", "blue", nil, "red"}, series.String, "few"),
		series.New([]string{"p", "q", "r", "s"}, series.String, "str"),
		series.New([]any{"2020-01-02", nil, "2020-01-03T04:05:06Z", "2020-01-04 07:08:09"}, series.String, "day"),
	)
	if df.Err != nil {
		t.Fatal(df.Err)
	}
	f, err := FromGota(df)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, c := range f.Columns() {
		types = append(types, c.Name()+":"+c.Type().String())
	}
	if want := []string{"f:float", "i:int", "b:bool", "cat:categorical", "few:string", "str:string", "day:datetime"}; !slices.Equal(types, want) {
		t.Fatalf("types = %v, want %v", types, want)
	}
	var rows []string
	for i := range f.NumRows() {
		cells := make([]string, f.NumCols())
		for j, c := range f.Columns() {
			cells[j] = c.Format(i)
			if c.IsNA(i) {
				cells[j] = "NA"
			}
		}
		rows = append(rows, strings.Join(cells, "|"))
	}
	want := []string{
		"1.25|1|true|red|red|p|2020-01-02",
		"NA|2|NA|red|blue|q|NA",
		"NA|NA|false|NA|NA|r|2020-01-03 04:05:06",
		"4|-4|true|red|red|s|2020-01-04 07:08:09",
	}
	if !slices.Equal(rows, want) {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if c := f.Col(3).(*frame.CategoricalCol); !slices.Equal(c.Levels, []string{"red"}) {
		t.Errorf("levels = %q", c.Levels)
	}
	if _, err := FromGota(dataframe.New()); err == nil {
		t.Error("FromGota of an erroneous DataFrame: no error")
	}
}

func TestRoundTrip(t *testing.T) {
	f := sample()
	g, err := FromGota(ToGota(f))
	if err != nil {
		t.Fatal(err)
	}
	for j, c := range f.Columns() {
		d := g.Col(j)
		if c.Name() != d.Name() {
			t.Fatalf("column %d named %q, want %q", j, d.Name(), c.Name())
		}
		// grade repeats one level (categorical); note has 3 distinct values
		// in 3 rows (string).
		if c.Type() != d.Type() {
			t.Errorf("column %q: type %s, want %s", c.Name(), d.Type(), c.Type())
		}
		for i := range f.NumRows() {
			if c.IsNA(i) != d.IsNA(i) || c.Format(i) != d.Format(i) {
				t.Errorf("column %q row %d: %q (NA %v), want %q (NA %v)", c.Name(), i, d.Format(i), d.IsNA(i), c.Format(i), c.IsNA(i))
			}
		}
	}
}
