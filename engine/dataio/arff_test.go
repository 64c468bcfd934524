package dataio

import (
	"bufio"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
)

func readARFFString(t *testing.T, src string, opt Options) (*frame.Frame, ARFFMeta, error) {
	t.Helper()
	return ReadARFFMeta(context.Background(), strings.NewReader(src), "t.arff", opt)
}

func mustARFF(t *testing.T, src string) (*frame.Frame, ARFFMeta) {
	t.Helper()
	f, m, err := readARFFString(t, src, Options{})
	if err != nil {
		t.Fatalf("ReadARFFMeta: %v", err)
	}
	return f, m
}

// formatRows renders every cell with Format, "NA" for missing, one row a line.
func formatRows(f *frame.Frame) []string {
	var out []string
	for i := 0; i < f.NumRows(); i++ {
		cells := make([]string, f.NumCols())
		for j, c := range f.Columns() {
			if c.IsNA(i) {
				cells[j] = "NA"
			} else {
				cells[j] = c.Format(i)
			}
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return out
}

func colTypes(f *frame.Frame) []string {
	out := make([]string, f.NumCols())
	for i, c := range f.Columns() {
		out[i] = c.Name() + ":" + c.Type().String()
	}
	return out
}

func TestReadARFFWeatherNominal(t *testing.T) {
	fh, err := os.Open(filepath.Join("testdata", "arff", "weather.nominal.arff"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var calls int
	var last [2]int64
	f, meta, err := ReadARFFMeta(context.Background(), fh, "weather.nominal.arff", Options{Progress: func(d, n int64) { calls++; last = [2]int64{d, n} }})
	if err != nil {
		t.Fatal(err)
	}
	if meta.Relation != "weather.symbolic" || meta.Target != "play" {
		t.Errorf("meta = %+v, want relation weather.symbolic, target play", meta)
	}
	want := []string{"outlook:categorical", "temperature:categorical", "humidity:categorical", "windy:categorical", "play:categorical"}
	if got := colTypes(f); !slices.Equal(got, want) {
		t.Errorf("types = %v, want %v", got, want)
	}
	if f.NumRows() != 7 {
		t.Fatalf("rows = %d, want 7", f.NumRows())
	}
	outlook := f.Col(0).(*frame.CategoricalCol)
	if !slices.Equal(outlook.Levels, []string{"sunny", "overcast", "rainy"}) {
		t.Errorf("outlook levels = %q", outlook.Levels)
	}
	if !slices.Equal(outlook.Codes, []int32{0, 0, 1, 2, 2, 2, 1}) {
		t.Errorf("outlook codes = %v", outlook.Codes)
	}
	windy := f.Col(3).(*frame.CategoricalCol)
	if !slices.Equal(windy.Levels, []string{"TRUE", "FALSE"}) {
		t.Errorf("windy levels = %q", windy.Levels)
	}
	if got := formatRows(f)[5]; got != "rainy|cool|normal|TRUE|no" {
		t.Errorf("row 5 = %q", got)
	}
	st, _ := fh.Stat()
	if calls == 0 || last != [2]int64{st.Size(), st.Size()} {
		t.Errorf("progress: %d calls, last %v, want final (%d, %d)", calls, last, st.Size(), st.Size())
	}
}

func TestReadARFFIris(t *testing.T) {
	fh, err := os.Open(filepath.Join("testdata", "arff", "iris.arff"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, meta, err := ReadARFFMeta(context.Background(), fh, "iris.arff", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if meta.Relation != "iris" || meta.Target != "class" {
		t.Errorf("meta = %+v", meta)
	}
	want := []string{"sepallength:float", "sepalwidth:float", "petallength:float", "petalwidth:float", "class:categorical"}
	if got := colTypes(f); !slices.Equal(got, want) {
		t.Errorf("types = %v, want %v", got, want)
	}
	pw := f.Col(3).(*frame.Float64Col)
	if !slices.Equal(pw.Data, []float64{0.2, 0.2, 1.4, 1.5, 2.5, 1.9}) {
		t.Errorf("petalwidth = %v", pw.Data)
	}
	sw := f.Col(1).(*frame.Float64Col)
	if sw.Data[1] != 3.0 {
		t.Errorf("sepalwidth[1] = %v, want 3", sw.Data[1])
	}
	cls := f.Col(4).(*frame.CategoricalCol)
	if !slices.Equal(cls.Levels, []string{"Iris-setosa", "Iris-versicolor", "Iris-virginica"}) || !slices.Equal(cls.Codes, []int32{0, 0, 1, 1, 2, 2}) {
		t.Errorf("class = %q %v", cls.Levels, cls.Codes)
	}
}

func TestReadARFFTypes(t *testing.T) {
	src := "% leading comment\n" +
		"@Relation 'my data'   % trailing comment\n" +
		"\n" +
		"@ATTRIBUTE 'first name' STRING\n" +
		"@attribute age integer\n" +
		"@attribute score NUMERIC\n" +
		"@attribute weight real\n" +
		"@attribute \"col, x\" {'a b', \"c,d\" ,  e  , 'it\\'s'}\n" +
		"@attribute born date 'yyyy-MM-dd'\n" +
		"@attribute seen date \"yyyy-MM-dd HH:mm:ss\"\n" +
		"@attribute iso date\n" +
		"@attribute unused {x,y,z}\n" +
		"@data\n" +
		"'Ann Lee', 31, 1.5, 70, 'a b', 2001-02-03, '2001-02-03 04:05:06', 2001-02-03T04:05:06, x\n" +
		"% a comment between rows\n" +
		"  \"Bob \\\"B\\\" \\\\ % ok\" ,?,2,?,'c,d',?,?,?,? % trailing comment\n" +
		"'?',7, -3e2 ,8.25, e ,1999-12-31,'1999-12-31 23:59:59',1999-12-31T23:59:59,y\n" +
		"Cy,8,?,1,'it\\'s',2000-01-01,\"2000-01-01 00:00:00\",2000-01-01T00:00:00,z\n"
	f, meta := mustARFF(t, src)
	if meta.Relation != "my data" || meta.Target != "unused" {
		t.Errorf("meta = %+v", meta)
	}
	want := []string{"first name:string", "age:int", "score:float", "weight:float", "col, x:categorical",
		"born:datetime", "seen:datetime", "iso:datetime", "unused:categorical"}
	if got := colTypes(f); !slices.Equal(got, want) {
		t.Errorf("types = %v\nwant  %v", got, want)
	}
	rows := []string{
		"Ann Lee|31|1.5|70|a b|2001-02-03|2001-02-03 04:05:06|2001-02-03 04:05:06|x",
		`Bob "B" \ % ok|NA|2|NA|c,d|NA|NA|NA|NA`,
		"?|7|-300|8.25|e|1999-12-31|1999-12-31 23:59:59|1999-12-31 23:59:59|y",
		"Cy|8|NA|1|it's|2000-01-01|2000-01-01|2000-01-01|z",
	}
	if got := formatRows(f); !slices.Equal(got, rows) {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(rows, "\n"))
	}
	cx := f.Col(4).(*frame.CategoricalCol)
	if !slices.Equal(cx.Levels, []string{"a b", "c,d", "e", "it's"}) {
		t.Errorf("levels = %q", cx.Levels)
	}
	age := f.Col(1).(*frame.Int64Col)
	if age.NullCount() != 1 || age.Data[2] != 7 {
		t.Errorf("age = %v nulls %d", age.Data, age.NullCount())
	}
	born := f.Col(5).(*frame.DatetimeCol)
	if want := time.Date(2001, 2, 3, 0, 0, 0, 0, time.UTC).UnixNano(); born.Data[0] != want {
		t.Errorf("born[0] = %d, want %d", born.Data[0], want)
	}
}

func TestReadARFFNumericKinds(t *testing.T) {
	src := "@relation r\n@attribute a numeric\n@attribute b integer\n@attribute c numeric\n@attribute d real\n@data\n" +
		"1,2,3,4\n-5,+6,7.0,8\n9223372036854775807,0,1e3,-0\n"
	f, _ := mustARFF(t, src)
	want := []string{"a:int", "b:int", "c:float", "d:float"}
	if got := colTypes(f); !slices.Equal(got, want) {
		t.Errorf("types = %v, want %v", got, want)
	}
	if got := f.Col(0).(*frame.Int64Col).Data; !slices.Equal(got, []int64{1, -5, math.MaxInt64}) {
		t.Errorf("a = %v", got)
	}
	if got := f.Col(2).(*frame.Float64Col).Data; !slices.Equal(got, []float64{3, 7, 1000}) {
		t.Errorf("c = %v", got)
	}
}

func TestReadARFFNoRows(t *testing.T) {
	f, meta := mustARFF(t, "@relation empty\n@attribute a numeric\n@attribute b {p,q}\n@data\n")
	if f.NumRows() != 0 || f.NumCols() != 2 || meta.Target != "b" {
		t.Fatalf("got %d×%d, target %q", f.NumRows(), f.NumCols(), meta.Target)
	}
	if got := f.Col(1).(*frame.CategoricalCol).Levels; !slices.Equal(got, []string{"p", "q"}) {
		t.Errorf("levels = %q", got)
	}
}

func TestReadARFFLenient(t *testing.T) {
	src := "@relation r\n@attribute a numeric\n@attribute b string\n@attribute c {u,v}\n@data\n1,x\n2,y,u,extra,more\n3,z,v\n"
	f, _, err := readARFFString(t, src, Options{Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1|x|NA", "2|y|u", "3|z|v"}
	if got := formatRows(f); !slices.Equal(got, want) {
		t.Errorf("rows = %q, want %q", got, want)
	}
}

func TestReadARFFErrors(t *testing.T) {
	head := "@relation r\n@attribute a numeric\n@attribute b {x,y}\n@data\n"
	for _, tc := range []struct {
		name, src     string
		line, col     int
		msg           string
		wantErrEmpty  bool
		wantSubstring string
	}{
		{name: "empty", src: "", line: 1, msg: "empty file", wantErrEmpty: true},
		{name: "blank lines", src: "\n  \n", line: 2, msg: "empty file", wantErrEmpty: true},
		{name: "only comments", src: "% nothing\n", line: 1, msg: "no @relation"},
		{name: "no data", src: "@relation r\n@attribute a numeric\n", line: 2, msg: "no @data section"},
		{name: "no relation", src: "@attribute a numeric\n", line: 1, col: 1, msg: "@attribute before @relation"},
		{name: "not arff", src: "a,b,c\n1,2,3\n", line: 1, col: 1, wantSubstring: "expected @relation"},
		{name: "binary", src: "\x00\x01\xff\xfe@", line: 1, col: 1, wantSubstring: "expected @relation"},
		{name: "undeclared nominal", src: head + "1,x\n2,z\n", line: 6, col: 3, msg: `attribute "b": value "z" is not among the declared values`},
		{name: "quoted missing is a value", src: head + "1,'?'\n", line: 5, col: 3, msg: `attribute "b": value "?" is not among the declared values`},
		{name: "bad number", src: head + "1,x\n  abc , y\n", line: 6, col: 3, msg: `attribute "a": "abc" is not a number`},
		{name: "empty number", src: head + ",x\n", line: 5, col: 1, msg: `attribute "a": "" is not a number`},
		{name: "too few", src: head + "1\n", line: 5, col: 2, msg: "too few values: want 2, got 1"},
		{name: "too many", src: head + "1,x,y\n", line: 5, col: 5, msg: "too many values: want 2, got 3"},
		{name: "sparse", src: head + "{0 1, 1 y}\n", line: 5, col: 1, msg: "sparse ARFF is not supported"},
		{name: "weights", src: head + "1,x,{3}\n", line: 5, col: 5, wantSubstring: "instance weights"},
		{name: "relational", src: "@relation r\n@attribute bag relational\n@attribute x numeric\n@end bag\n@data\n", line: 2, col: 16, msg: `attribute "bag": relational attributes are not supported`},
		{name: "unknown type", src: "@relation r\n@attribute a blob\n@data\n", line: 2, col: 14, wantSubstring: `unknown type "blob"`},
		{name: "no type", src: "@relation r\n@attribute a\n@data\n", line: 2, col: 13, msg: `attribute "a" has no type`},
		{name: "duplicate attribute", src: "@relation r\n@attribute a numeric\n@attribute a real\n@data\n", line: 3, col: 12, msg: `duplicate attribute name "a"`},
		{name: "duplicate level", src: "@relation r\n@attribute a {p, q, p}\n@data\n", line: 2, col: 21, msg: `attribute "a": duplicate nominal value "p"`},
		{name: "unclosed nominal", src: "@relation r\n@attribute a {p, q\n@data\n", line: 2, col: 14, wantSubstring: "not closed"},
		{name: "unterminated quote", src: head + "1,'x\n", line: 5, col: 3, msg: "unterminated quoted value"},
		{name: "junk after quote", src: head + "1,'x'y\n", line: 5, col: 6, msg: "expected , after quoted value"},
		{name: "bad date", src: "@relation r\n@attribute d date yyyy-MM-dd\n@data\n2001-13-01\n", line: 4, col: 1, wantSubstring: "does not match the date format"},
		{name: "bad pattern", src: "@relation r\n@attribute d date 'yyyy-ww'\n@data\n", line: 2, col: 19, wantSubstring: "letter 'w' is not supported"},
		{name: "keyword after data", src: head + "1,x\n@attribute c numeric\n", line: 6, col: 1, wantSubstring: "unexpected"},
		{name: "unknown keyword", src: "@relation r\n@atribute a numeric\n", line: 2, col: 1, wantSubstring: `unknown keyword "@atribute"`},
		{name: "junk after type", src: "@relation r\n@attribute a numeric extra\n@data\n", line: 2, col: 22, msg: `unexpected "extra"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, _, err := readARFFString(t, tc.src, Options{})
			if err == nil {
				t.Fatalf("no error; got %d×%d frame", f.NumRows(), f.NumCols())
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T) is not a *ParseError", err, err)
			}
			if pe.File != "t.arff" || pe.Line != tc.line || pe.Column != tc.col {
				t.Errorf("position = %s:%d:%d, want t.arff:%d:%d (%v)", pe.File, pe.Line, pe.Column, tc.line, tc.col, err)
			}
			if tc.msg != "" && pe.Msg != tc.msg {
				t.Errorf("msg = %q, want %q", pe.Msg, tc.msg)
			}
			if tc.wantSubstring != "" && !strings.Contains(pe.Msg, tc.wantSubstring) {
				t.Errorf("msg = %q, want it to contain %q", pe.Msg, tc.wantSubstring)
			}
			if tc.wantErrEmpty != errors.Is(err, ErrEmpty) {
				t.Errorf("errors.Is(err, ErrEmpty) = %v", !tc.wantErrEmpty)
			}
		})
	}
}

func TestReadARFFCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ReadARFF(ctx, strings.NewReader("@relation r\n@attribute a numeric\n@data\n1\n"), "t.arff", Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestJavaDateLayout(t *testing.T) {
	for _, tc := range []struct {
		pattern, layout, input string
		want                   time.Time
	}{
		{"yyyy-MM-dd'T'HH:mm:ss", "2006-01-02T15:04:05", "2020-05-06T07:08:09", time.Date(2020, 5, 6, 7, 8, 9, 0, time.UTC)},
		{"yyyy-MM-dd", "2006-01-02", "2020-05-06", time.Date(2020, 5, 6, 0, 0, 0, 0, time.UTC)},
		{"yyyy-MM-dd HH:mm:ss", "2006-01-02 15:04:05", "2020-05-06 17:08:09", time.Date(2020, 5, 6, 17, 8, 9, 0, time.UTC)},
		{"dd/MM/yy", "02/01/06", "31/12/99", time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)},
		{"d MMM yyyy", "2 Jan 2006", "7 Mar 2021", time.Date(2021, 3, 7, 0, 0, 0, 0, time.UTC)},
		{"yyyy-MM-dd HH:mm:ss.SSS", "2006-01-02 15:04:05.000", "2020-05-06 07:08:09.250", time.Date(2020, 5, 6, 7, 8, 9, 250e6, time.UTC)},
		{"yyyy-MM-dd'T'HH:mm:ssXXX", "2006-01-02T15:04:05Z07:00", "2020-05-06T07:08:09+02:00", time.Date(2020, 5, 6, 5, 8, 9, 0, time.UTC)},
		{"yyyy-MM-dd'T'HH:mm:ss'Z'", "2006-01-02T15:04:05Z", "2020-05-06T07:08:09Z", time.Date(2020, 5, 6, 7, 8, 9, 0, time.UTC)},
		{"MM/dd/yyyy hh:mm a", "01/02/2006 03:04 PM", "05/06/2020 01:30 PM", time.Date(2020, 5, 6, 13, 30, 0, 0, time.UTC)},
		{"yyyy-MM-dd H:mm", "2006-01-02 15:04", "2020-05-06 7:08", time.Date(2020, 5, 6, 7, 8, 0, 0, time.UTC)},
	} {
		layout, err := javaDateLayout(tc.pattern)
		if err != nil {
			t.Errorf("%q: %v", tc.pattern, err)
			continue
		}
		if layout != tc.layout {
			t.Errorf("%q → %q, want %q", tc.pattern, layout, tc.layout)
		}
		got, err := time.Parse(layout, tc.input)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("%q: parse %q = %v, %v; want %v", tc.pattern, tc.input, got, err, tc.want)
		}
	}
	for _, bad := range []string{"yyyy-ww", "'unterminated", "yyyy'1'MM", "SSS", "yyyy-D"} {
		if l, err := javaDateLayout(bad); err == nil {
			t.Errorf("%q → %q, want an error", bad, l)
		}
	}
}

// TestReadARFFSharedIris converts ../shared/data/iris.csv to ARFF and checks
// that every cell reads back.
func TestReadARFFSharedIris(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "data", "iris.csv")
	fh, err := os.Open(path)
	if err != nil {
		t.Skipf("shared data absent: %v", err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Scan()
	header := strings.Split(sc.Text(), ",")
	var rows [][]string
	species := map[string]bool{}
	var levels []string
	for sc.Scan() {
		if sc.Text() == "" {
			continue
		}
		r := strings.Split(sc.Text(), ",")
		rows = append(rows, r)
		if !species[r[4]] {
			species[r[4]] = true
			levels = append(levels, r[4])
		}
	}
	var b strings.Builder
	b.WriteString("@relation iris\n")
	for _, h := range header[:4] {
		b.WriteString("@attribute " + h + " numeric\n")
	}
	b.WriteString("@attribute " + header[4] + " {" + strings.Join(levels, ",") + "}\n@data\n")
	for _, r := range rows {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	f, meta := mustARFF(t, b.String())
	if f.NumRows() != len(rows) || meta.Target != header[4] {
		t.Fatalf("rows = %d, want %d; target %q", f.NumRows(), len(rows), meta.Target)
	}
	for i, r := range rows {
		for j := 0; j < 4; j++ {
			want, _ := strconv.ParseFloat(r[j], 64)
			if got, _ := frame.FloatAt(f.Col(j), i); got != want {
				t.Fatalf("row %d col %d = %v, want %v", i, j, got, want)
			}
		}
		if got := f.Col(4).Format(i); got != r[4] {
			t.Fatalf("row %d species = %q, want %q", i, got, r[4])
		}
	}
}
