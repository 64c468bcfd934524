package dataio

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
)

func readJSONLString(src string) (*frame.Frame, error) {
	return ReadJSONL(context.Background(), strings.NewReader(src), "t.jsonl", Options{})
}

func TestReadJSONLTypes(t *testing.T) {
	src := `{"id": 1, "x": 1.5, "ok": true, "city": "Paris", "when": "2021-03-04", "note": "a", "tags": ["a", 1], "mix": 1}` + "\n" +
		"\n" +
		`{"id": 2, "x": 2, "ok": false, "city": "Lyon", "when": "2021-03-05T06:07:08Z", "note": "b", "tags": {"k": [null, true]}, "mix": "one"}` + "\r\n" +
		`   {"id": 3, "x": null, "city": "Paris", "when": null, "note": "c", "mix": true, "late": "x"}  ` + "\n" +
		`{"id": -4, "x": -1e2, "ok": null, "city": "Paris", "when": "2021-03-06 07:08:09.5", "note": "d", "mix": 1.50, "id": 40}`
	f, err := readJSONLString(src)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"id:int", "x:float", "ok:bool", "city:categorical", "when:datetime", "note:string", "tags:string", "mix:string", "late:string"}
	if got := colTypes(f); !slices.Equal(got, want) {
		t.Fatalf("types = %v\nwant  %v", got, want)
	}
	rows := []string{
		`1|1.5|true|Paris|2021-03-04|a|["a",1]|1|NA`,
		`2|2|false|Lyon|2021-03-05 06:07:08|b|{"k":[null,true]}|one|NA`,
		`3|NA|NA|Paris|NA|c|NA|true|x`,
		`40|-100|NA|Paris|2021-03-06 07:08:09.5|d|NA|1.50|NA`,
	}
	if got := formatRows(f); !slices.Equal(got, rows) {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(rows, "\n"))
	}
	city := f.Col(3).(*frame.CategoricalCol)
	if !slices.Equal(city.Levels, []string{"Paris", "Lyon"}) || !slices.Equal(city.Codes, []int32{0, 1, 0, 0}) {
		t.Errorf("city = %q %v", city.Levels, city.Codes)
	}
	when := f.Col(4).(*frame.DatetimeCol)
	if want := time.Date(2021, 3, 5, 6, 7, 8, 0, time.UTC).UnixNano(); when.Data[1] != want {
		t.Errorf("when[1] = %d, want %d", when.Data[1], want)
	}
}

func TestReadJSONLNumbers(t *testing.T) {
	src := `{"a": 9223372036854775807, "b": 9223372036854775808, "c": 0, "d": 1e400, "e": -0}` + "\n" +
		`{"a": -9223372036854775808, "b": 1, "c": 2.0, "d": 1, "e": 3}`
	f, err := readJSONLString(src)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a:int", "b:float", "c:float", "d:float", "e:int"}
	if got := colTypes(f); !slices.Equal(got, want) {
		t.Fatalf("types = %v, want %v", got, want)
	}
	if got := f.Col(0).(*frame.Int64Col).Data; !slices.Equal(got, []int64{math.MaxInt64, math.MinInt64}) {
		t.Errorf("a = %v", got)
	}
	if got := f.Col(1).(*frame.Float64Col).Data; !slices.Equal(got, []float64{9223372036854775808, 1}) {
		t.Errorf("b = %v", got)
	}
	if got := f.Col(3).(*frame.Float64Col).Data[0]; !math.IsInf(got, 1) {
		t.Errorf("d[0] = %v, want +Inf", got)
	}
}

func TestReadJSONLStrings(t *testing.T) {
	src := `{"s": "tab\there \"q\" \\ \/ \u00e9 \ud83d\ude00 \ud800 x", "k\u0041": "v"}` + "\n" +
		"{\"s\": \"caf\xc3\xa9 bad\xff\", \"kA\": \"v\"}\n"
	f, err := readJSONLString(src)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Names(); !slices.Equal(got, []string{"s", "kA"}) {
		t.Fatalf("names = %q", got)
	}
	s := f.Col(0).(*frame.StringCol)
	if want := "tab\there \"q\" \\ / é 😀 \uFFFD x"; s.Data[0] != want {
		t.Errorf("s[0] = %q, want %q", s.Data[0], want)
	}
	if want := "café bad\uFFFD"; s.Data[1] != want {
		t.Errorf("s[1] = %q, want %q", s.Data[1], want)
	}
	if f.Col(1).Type() != frame.Categorical {
		t.Errorf("kA is %s, want categorical (one value twice)", f.Col(1).Type())
	}
}

func TestReadJSONLCategoricalRule(t *testing.T) {
	// 4 non-missing values: 2 distinct is categorical, 3 distinct is string.
	f, err := readJSONLString(`{"a":"x","b":"x"}` + "\n" + `{"a":"y","b":"y"}` + "\n" + `{"a":"x","b":"z"}` + "\n" + `{"a":null}` + "\n" + `{"a":"y","b":"x"}`)
	if err != nil {
		t.Fatal(err)
	}
	if got := colTypes(f); !slices.Equal(got, []string{"a:categorical", "b:string"}) {
		t.Errorf("types = %v", got)
	}
	if got := f.Col(1).(*frame.StringCol).Data; !slices.Equal(got, []string{"x", "y", "z", "", "x"}) || !f.Col(1).IsNA(3) {
		t.Errorf("b = %q", got)
	}
}

func TestReadJSONLEmpty(t *testing.T) {
	for _, src := range []string{"", "\n\n  \n"} {
		f, err := readJSONLString(src)
		if err != nil || f.NumCols() != 0 || f.NumRows() != 0 {
			t.Errorf("%q: %v, %v", src, f, err)
		}
	}
	f, err := readJSONLString("{\"a\": null}\n{}\n")
	if err != nil || !slices.Equal(colTypes(f), []string{"a:float"}) || f.Col(0).NullCount() != 2 {
		t.Errorf("all-null column: %v, %v", f, err)
	}
}

func TestReadJSONLErrors(t *testing.T) {
	for _, tc := range []struct {
		src       string
		line, col int
		msg       string
	}{
		{`{"a": 1}` + "\n" + `[1, 2]`, 2, 1, "line is not a JSON object"},
		{`"just a string"`, 1, 1, "line is not a JSON object"},
		{`{"a": 1} {"b": 2}`, 1, 10, "unexpected data after the object (one object per line)"},
		{`{"a": 1,}`, 1, 9, "invalid JSON: unexpected '}', want a key string"},
		{`{"a" 1}`, 1, 6, "invalid JSON: unexpected '1', want ':'"},
		{`{"a": 01}`, 1, 8, "invalid JSON: unexpected '1', want ',' or '}'"},
		{`{"a": tru}`, 1, 7, "invalid JSON: bad literal, want true"},
		{`{"a": "x`, 1, 7, "invalid JSON: unterminated string"},
		{`{"a": 1`, 1, 8, "invalid JSON: unexpected end of line, want ',' or '}'"},
		{`{"a": [1, 2}`, 1, 12, "invalid JSON: unexpected '}', want ',' or ']'"},
		{`{"a": "\q"}`, 1, 8, `invalid JSON: bad escape \q`},
		{`{"a": "\u12"}`, 1, 8, `invalid JSON: bad escape \u12`[:len(`invalid JSON: bad `)] + `\u escape`},
		{"{\"a\": \"x\ty\"}", 1, 9, "invalid JSON: control character byte 0x09 in string"},
		{`{"a": -}`, 1, 8, "invalid JSON: unexpected '}', want a digit"},
		{`{"a": 1.e5}`, 1, 9, "invalid JSON: unexpected 'e', want a digit"},
		{"\xef\xbb\xbf{\"a\": ?}", 1, 10, "invalid JSON: unexpected '?', want a value"},
		{"\x00\x01\x02", 1, 1, "line is not a JSON object"},
		{`{"a": ` + strings.Repeat("[", 1001) + strings.Repeat("]", 1001) + "}", 1, 1007, "JSON nested deeper than 1000 levels"},
	} {
		f, err := readJSONLString(tc.src)
		if err == nil {
			t.Errorf("%q: no error, got %v", tc.src, f.Names())
			continue
		}
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: %T %v is not a *ParseError", tc.src, err, err)
			continue
		}
		if pe.File != "t.jsonl" || pe.Line != tc.line || pe.Column != tc.col || pe.Msg != tc.msg {
			t.Errorf("%q:\n got %s:%d:%d: %s\nwant t.jsonl:%d:%d: %s", clip(tc.src, 30), pe.File, pe.Line, pe.Column, pe.Msg, tc.line, tc.col, tc.msg)
		}
	}
}

func TestReadJSONLManyRows(t *testing.T) {
	// Enough rows to pass the periodic context and progress checks, with a
	// column that first appears late.
	var b strings.Builder
	n := 10000
	for i := 0; i < n; i++ {
		if i == n-1 {
			fmt.Fprintf(&b, "{\"i\": %d, \"late\": %d}\n", i, i)
		} else {
			fmt.Fprintf(&b, "{\"i\": %d, \"c\": \"k%d\"}\n", i, i%7)
		}
	}
	calls := 0
	f, err := ReadJSONL(context.Background(), strings.NewReader(b.String()), "t.jsonl", Options{Progress: func(done, total int64) { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	if got := colTypes(f); !slices.Equal(got, []string{"i:int", "c:categorical", "late:int"}) {
		t.Fatalf("types = %v", got)
	}
	late := f.Col(2)
	if late.NullCount() != n-1 || late.Format(n-1) != "9999" {
		t.Errorf("late: %d nulls, last %q", late.NullCount(), late.Format(n-1))
	}
	if c := f.Col(1).(*frame.CategoricalCol); len(c.Levels) != 7 || c.Str(n-2) != fmt.Sprintf("k%d", (n-2)%7) || !c.IsNA(n-1) {
		t.Errorf("c: %d levels, row %d %q", len(c.Levels), n-2, c.Str(n-2))
	}
	if calls < 2 {
		t.Errorf("progress called %d times, want at least 2", calls)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadJSONL(ctx, strings.NewReader(b.String()), "t.jsonl", Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled read: err = %v", err)
	}
}

func TestParseISOTime(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want time.Time
		ok   bool
	}{
		{"2020-02-29", time.Date(2020, 2, 29, 0, 0, 0, 0, time.UTC), true},
		{"2020-02-29T13:14:15", time.Date(2020, 2, 29, 13, 14, 15, 0, time.UTC), true},
		{"2020-02-29 13:14:15.25", time.Date(2020, 2, 29, 13, 14, 15, 250e6, time.UTC), true},
		{"2020-02-29T13:14:15+01:30", time.Date(2020, 2, 29, 11, 44, 15, 0, time.UTC), true},
		{"2020-02-29T13:14Z", time.Date(2020, 2, 29, 13, 14, 0, 0, time.UTC), true},
		{"2020-02-29T13:14:15.123456789Z", time.Date(2020, 2, 29, 13, 14, 15, 123456789, time.UTC), true},
		{"2019-02-29", time.Time{}, false},
		{"2020/02/29", time.Time{}, false},
		{"20200229", time.Time{}, false},
		{"1500-01-01", time.Time{}, false},
		{"2020-02-29x", time.Time{}, false},
		{"2020-02-29T25:00:00", time.Time{}, false},
	} {
		ns, ok := parseISOTime(tc.s)
		if ok != tc.ok || ok && ns != tc.want.UnixNano() {
			t.Errorf("%q = %v, %v; want %v, %v", tc.s, time.Unix(0, ns).UTC(), ok, tc.want, tc.ok)
		}
	}
}

func TestReadJSONArray(t *testing.T) {
	src := "\n[\n  {\"a\": 1, \"b\": \"x\"},\n  {\"a\": 2,\n   \"b\": \"x\", \"c\": true}\n]\n"
	f, err := readJSONLString(src)
	if err != nil {
		t.Fatal(err)
	}
	if got := colTypes(f); !slices.Equal(got, []string{"a:int", "b:categorical", "c:bool"}) {
		t.Fatalf("types = %v", got)
	}
	if got := formatRows(f); !slices.Equal(got, []string{"1|x|NA", "2|x|true"}) {
		t.Errorf("rows = %q", got)
	}
	if f, err := readJSONLString("[]"); err != nil || f.NumCols() != 0 {
		t.Errorf("[]: %v, %v", f, err)
	}
	for _, tc := range []struct {
		src       string
		line, col int
		msg       string
	}{
		{"[\n {\"a\": 1},\n {\"a\": }\n]", 3, 8, "invalid JSON: unexpected '}', want a value"},
		{"[{\"a\": 1}, 2]", 1, 12, "invalid JSON: unexpected '2', want an object"},
		{"[{\"a\": 1}\n{\"a\": 2}]", 2, 1, "invalid JSON: unexpected '{', want ',' or ']'"},
		{"[{\"a\": 1}] x", 1, 12, "unexpected data after the array"},
		{"[{\"a\": 1}", 1, 10, "invalid JSON: unexpected end of input, want ',' or ']'"},
		{"{\"a\": 1}\n[{\"a\": 2}]", 2, 1, "line is not a JSON object"},
	} {
		_, err := readJSONLString(tc.src)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != tc.line || pe.Column != tc.col || pe.Msg != tc.msg {
			t.Errorf("%q: got %v, want t.jsonl:%d:%d: %s", tc.src, err, tc.line, tc.col, tc.msg)
		}
	}
}
