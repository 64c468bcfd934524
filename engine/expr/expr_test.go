package expr

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

func day(s string) int64 {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		t, err = time.Parse("2006-01-02", s)
		if err != nil {
			panic(err)
		}
	}
	return t.UnixNano()
}

// testFrame is six rows with a missing value in every column:
//
//	row name  age  monthly fee city      signup            active
//	0   Ann   25   10.5        Oslo      2023-05-01        true
//	1   bob   41   20          Paris     2024-01-01        false
//	2   Cleo  NA   30          oslo      2024-06-15        true
//	3   Dan   35   NA          NA        NA                NA
//	4   Eve   60   99.9        Paris     2022-12-31        false
//	5   NA    18   0           São Paulo 2024-01-01 12:00  true
func testFrame() *frame.Frame {
	na := func(rows ...int) frame.Mask {
		m := frame.NewMask(6)
		for _, r := range rows {
			m.SetNA(r)
		}
		return m
	}
	return frame.MustNew(
		frame.NewString("name", []string{"Ann", "bob", "Cleo", "Dan", "Eve", ""}, na(5)),
		frame.NewInt64("age", []int64{25, 41, 0, 35, 60, 18}, na(2)),
		frame.NewFloat64("monthly fee", []float64{10.5, 20, 30, math.NaN(), 99.9, 0}, frame.Mask{}),
		frame.NewCategorical("city", []int32{0, 1, 2, -1, 1, 3}, []string{"Oslo", "Paris", "oslo", "São Paulo"}),
		frame.NewDatetime("signup", []int64{day("2023-05-01"), day("2024-01-01"), day("2024-06-15"), 0, day("2022-12-31"), day("2024-01-01 12:00")}, na(3)),
		frame.NewBool("active", []bool{true, false, true, true, false, true}, na(3)),
	)
}

func filter(t *testing.T, f *frame.Frame, src string) ([]int, error) {
	t.Helper()
	e, err := Parse(src)
	if err != nil {
		return nil, err
	}
	p, err := e.Bind(f)
	if err != nil {
		return nil, err
	}
	return p.Filter(context.Background())
}

func TestFilter(t *testing.T) {
	f := testFrame()
	all := []int{0, 1, 2, 3, 4, 5}
	for _, tc := range []struct {
		src  string
		want []int
	}{
		{"age > 30", []int{1, 3, 4}},
		{"age >= 35 && age < 60", []int{1, 3}},
		{"age > 30 and city == \"Paris\"", []int{1, 4}},
		{"age > 30 OR isna(age)", []int{1, 2, 3, 4}},
		{"1 < age", []int{0, 1, 3, 4, 5}},
		{"20 > age", []int{5}},
		{"age = 25", []int{0}},
		{"age <> 25", []int{1, 3, 4, 5}},
		{"age in (18, 25)", []int{0, 5}},
		{"age not in (18, 25)", []int{1, 3, 4}},
		{"age % 2 == 1", []int{0, 1, 3}},
		{"-age < -40", []int{1, 4}},
		{"abs(age - 40) <= 5", []int{1, 3}},
		{"sqrt(age) == 5", []int{0}},
		{"age / 0 > 0 || age / 0 <= 0", []int{}},
		{"age - 5 * 2 == 15", []int{0}},
		{"(age - 5) * 2 == 40", []int{0}},
		{"`monthly fee` > 20", []int{2, 4}},
		{"[monthly fee] * 2 >= 60", []int{2, 4}},
		{"log([monthly fee]) > 4", []int{4}},
		{"round([monthly fee]) == 11", []int{0}},
		{"round([monthly fee] / 3, 1) == 3.5", []int{0}},
		{"[monthly fee] != 20", []int{0, 2, 4, 5}},
		{"city == \"Paris\"", []int{1, 4}},
		{"\"Paris\" == city", []int{1, 4}},
		{"city != 'Paris'", []int{0, 2, 5}},
		{"lower(city) == \"oslo\"", []int{0, 2}},
		{"upper(city) == \"SÃO PAULO\"", []int{5}},
		{"city in (\"Oslo\", \"São Paulo\")", []int{0, 5}},
		{"city not in (\"Oslo\")", []int{1, 2, 4, 5}},
		{"endswith(city, \"lo\")", []int{0, 2, 5}},
		{"len(city) == 9", []int{5}},
		{"city > \"P\"", []int{1, 2, 4, 5}},
		{"name == 'Ann'", []int{0}},
		{"name < \"C\"", []int{0}},
		{"contains(name, \"e\")", []int{2, 4}},
		{"startswith(lower(name), \"d\")", []int{3}},
		{"len(name) == 3", []int{0, 1, 3, 4}},
		{"name + \"!\" == \"bob!\"", []int{1}},
		{"contains(city, name)", []int{}},
		{"isna(name) || isna(city)", []int{3, 5}},
		{"notna(city)", []int{0, 1, 2, 4, 5}},
		{"signup >= \"2024-01-01\"", []int{1, 2, 5}},
		{"signup < \"2024-01-01\"", []int{0, 4}},
		{"signup == \"2024-01-01\"", []int{1}},
		{"\"2024-01-01\" < signup", []int{2, 5}},
		{"signup > \"2024-01-01T06:00:00Z\"", []int{2, 5}},
		{"signup in (\"2024-01-01\", \"2022-12-31\")", []int{1, 4}},
		{"signup >= signup", []int{0, 1, 2, 4, 5}},
		{"active", []int{0, 2, 5}},
		{"active == true", []int{0, 2, 5}},
		{"!active", []int{1, 4}},
		{"active in (false)", []int{1, 4}},
		{"active || age > 30", all},
		{"not active and age > 30", []int{1, 4}},
		{"active && null", []int{}},
		{"true", all},
		{"false", []int{}},
		{"null", []int{}},
		{"isna(null)", all},
		{"!(age > 30)", []int{0, 2, 5}},
	} {
		got, err := filter(t, f, tc.src)
		if err != nil {
			t.Errorf("%s: %v", tc.src, err)
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: got rows %v, want %v", tc.src, got, tc.want)
		}
	}
}

// TestMissingValues pins the missing-value rules stated in the package doc.
func TestMissingValues(t *testing.T) {
	f := testFrame()
	for _, tc := range []struct {
		src  string
		want []int
		why  string
	}{
		{"age != 99", []int{0, 1, 3, 4, 5}, "a comparison with a missing age (row 2) is false, even !="},
		{"!(age == 99)", []int{0, 1, 2, 3, 4, 5}, "the false comparison negates to true: two-valued, as pandas"},
		{"!active", []int{1, 4}, "a missing bool stays missing through ! (row 3)"},
		{"active || false", []int{0, 2, 5}, "NA || false is NA"},
		{"active || true", []int{0, 1, 2, 3, 4, 5}, "NA || true is true"},
		{"active && false", []int{}, "NA && false is false"},
		{"isna(active) && !(active && false)", []int{3}, "NA && false is false, so its negation is true"},
		{"[monthly fee] + age > 0", []int{0, 1, 4, 5}, "arithmetic propagates missing from either side"},
		{"city in (\"Oslo\", \"Paris\", \"oslo\", \"São Paulo\")", []int{0, 1, 2, 4, 5}, "missing is never in a list"},
		{"city not in (\"x\")", []int{0, 1, 2, 4, 5}, "nor outside one"},
		{"signup != \"1999-01-01\"", []int{0, 1, 2, 4, 5}, "missing datetimes compare false"},
		{"contains(name, \"\")", []int{0, 1, 2, 3, 4}, "contains on a missing string is false"},
		{"isna(sqrt(age - 30))", []int{0, 2, 5}, "sqrt of a negative is missing, like the missing age"},
		{"isna(log([monthly fee]))", []int{3, 5}, "log(0) is missing, not -inf"},
	} {
		got, err := filter(t, f, tc.src)
		if err != nil {
			t.Errorf("%s: %v", tc.src, err)
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: got rows %v, want %v (%s)", tc.src, got, tc.want, tc.why)
		}
	}
}

func TestEval(t *testing.T) {
	f := testFrame()
	eval := func(src string) frame.Column {
		t.Helper()
		e, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		p, err := e.Bind(f)
		if err != nil {
			t.Fatal(err)
		}
		c, err := p.Eval(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if c.Len() != 6 || c.Type() != p.Type() {
			t.Fatalf("%s: got %d rows of %s, want 6 of %s", src, c.Len(), c.Type(), p.Type())
		}
		return c
	}
	formatted := func(c frame.Column) string {
		s := make([]string, c.Len())
		for i := range s {
			s[i] = c.Format(i)
			if c.IsNA(i) {
				s[i] = "NA"
			}
		}
		return strings.Join(s, "|")
	}
	for _, tc := range []struct{ src, want string }{
		{"age * 2", "50|82|NA|70|120|36"},
		{"[monthly fee] / 2", "5.25|10|15|NA|49.95|0"},
		{"age > 30", "false|true|false|true|true|false"},
		{"!active", "false|true|false|NA|true|false"},
		{"upper(city)", "OSLO|PARIS|OSLO|NA|PARIS|SÃO PAULO"},
		{"lower(name) + \"@x\"", "ann@x|bob@x|cleo@x|dan@x|eve@x|NA"},
		{"len(name)", "3|3|4|3|3|NA"},
		{"signup", "2023-05-01|2024-01-01|2024-06-15|NA|2022-12-31|2024-01-01 12:00:00"},
		{"round(age / 7, 2)", "3.57|5.86|NA|5|8.57|2.57"},
		{"null", "NA|NA|NA|NA|NA|NA"},
	} {
		if got := formatted(eval(tc.src)); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.src, got, tc.want)
		}
	}
	// Eval must copy: a float column reference must not alias the frame's data.
	c := eval("[monthly fee]").(*frame.Float64Col)
	c.Data[0] = -1
	if v := f.Col(2).(*frame.Float64Col).Data[0]; v != 10.5 {
		t.Errorf("Eval aliased the source column: it now holds %v", v)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"", `expr: 1:1: empty expression`},
		{"   ", `expr: 1:4: empty expression`},
		{"age > 30)", `expr: 1:9: unexpected ")"`},
		{"age > )", `expr: 1:7: unexpected ")"`},
		{"age >", `expr: 1:6: unexpected end of expression`},
		{"(age > 3", `expr: 1:9: missing )`},
		{`name == "abc`, `expr: 1:9: unterminated string`},
		{"`monthly fee > 3", "expr: 1:1: unterminated column name (missing \"`\")"},
		{"[] > 3", `expr: 1:1: empty column name`},
		{"age # 3", `expr: 1:5: unexpected "#"`},
		{"3x > 1", `expr: 1:1: malformed number "3x"`},
		{`city in "x"`, `expr: 1:9: expected ( after in`},
		{`city in ()`, `expr: 1:10: unexpected ")"`},
		{`city in (name)`, `expr: 1:10: in list items must be literals`},
		{`city in ("a" "b")`, `expr: 1:14: unexpected string "b"`},
		{`city not ("a")`, `expr: 1:10: unexpected "("`},
		{`contains(name, "x"`, `expr: 1:19: missing ) after arguments of contains`},
		{`age and and 3`, `expr: 1:9: unexpected "and"`},
		{`"üü" == )`, `expr: 1:9: unexpected ")"`},
		{"age > 1 &&\n  )", `expr: 2:3: unexpected ")"`},
		{`name == "a\q"`, `expr: 1:11: invalid escape in string`},
		{strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300), `expr: 1:201: expression nested too deeply`},
	} {
		_, err := Parse(tc.src)
		if err == nil {
			t.Errorf("%q: parsed, want error %s", tc.src, tc.want)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("%q: got error %s, want %s", tc.src, err, tc.want)
		}
		if !errors.Is(err, ErrSyntax) {
			t.Errorf("%q: error does not wrap ErrSyntax", tc.src)
		}
	}
}

func TestBindErrors(t *testing.T) {
	f := testFrame()
	for _, tc := range []struct{ src, want string }{
		{"agee > 3", `expr: unknown column "agee" (did you mean "age"?)`},
		{"Age > 3", `expr: unknown column "Age" (did you mean "age"?)`},
		{"[monthly fees] > 3", `expr: unknown column "monthly fees" (did you mean "monthly fee"?)`},
		{"zzzz > 3", `expr: unknown column "zzzz"`},
		{`age == "x"`, `expr: 1:5: cannot compare column "age" (number) with "x" (string)`},
		{`city < 3`, `expr: 1:6: cannot compare column "city" (string) with 3 (number)`},
		{`signup > 3`, `expr: 1:8: cannot compare column "signup" (datetime) with 3 (number)`},
		{`signup > "yesterday"`, `expr: 1:10: cannot read "yesterday" as a date (want e.g. "2024-01-31" or "2024-01-31 12:00:00")`},
		{`signup > lower("x")`, `expr: 1:10: cannot compare column "signup" (datetime) with a computed string; write the date as a literal such as "2024-01-31"`},
		{`age == null`, `expr: 1:5: comparison with null is never true; use isna(age) to test for missing values`},
		{`null != [monthly fee]`, "expr: 1:6: comparison with null is never true; use notna(`monthly fee`) to test for missing values"},
		{`city in ("a", null)`, `expr: 1:15: null in an in list never matches; use isna() to test for missing values`},
		{`age in ("a")`, `expr: 1:9: in list mixes types: column "age" is number, list item is string`},
		{`city * 2`, `expr: 1:1: * needs a number, but column "city" is string`},
		{`age + "x"`, `expr: 1:1: + needs a string, but column "age" is number`},
		{`age && true`, `expr: 1:1: && needs a condition, but column "age" is number`},
		{`!name`, `expr: 1:2: ! needs a condition, but column "name" is string`},
		{`active < true`, `expr: 1:8: cannot order booleans with <`},
		{`contain(name, "x")`, `expr: 1:1: unknown function "contain" (did you mean "contains"?)`},
		{`frobnicate(age)`, `expr: 1:1: unknown function "frobnicate"`},
		{`len(age)`, `expr: 1:5: len needs a string, but column "age" is number`},
		{`round(age, 1, 2)`, `expr: 1:1: round takes 1 or 2 argument(s), got 3`},
		{`isna()`, `expr: 1:1: isna takes 1 argument(s), got 0`},
	} {
		_, err := filter(t, f, tc.src)
		if err == nil {
			t.Errorf("%q: bound, want error %s", tc.src, tc.want)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("%q: got error\n  %s\nwant\n  %s", tc.src, err, tc.want)
		}
	}
	_, err := filter(t, f, "agee > 3")
	if !errors.Is(err, frame.ErrColumnNotFound) {
		t.Errorf("unknown column error %v does not wrap frame.ErrColumnNotFound", err)
	}
	_, err = filter(t, f, "age + 1")
	if err == nil || err.Error() != `expr: "age + 1" is a number, not a condition (compare it, as in x > 0)` {
		t.Errorf("Filter of a number: got %v", err)
	}
}

func TestCancel(t *testing.T) {
	n := 3 * chunk
	data := make([]float64, n)
	f := frame.MustNew(frame.NewFloat64("x", data, frame.Mask{}))
	e, _ := Parse("x >= 0")
	p, err := e.Bind(f)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Filter(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Filter with a cancelled context: got %v, want context.Canceled", err)
	}
	if _, err := p.Eval(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Eval with a cancelled context: got %v, want context.Canceled", err)
	}
	// Several chunks, and a row count that is not a multiple of the chunk.
	f = frame.MustNew(frame.NewFloat64("x", make([]float64, n+7), frame.Mask{}))
	p, _ = e.Bind(f)
	rows, err := p.Filter(context.Background())
	if err != nil || len(rows) != n+7 || rows[n+6] != n+6 {
		t.Errorf("Filter over %d rows: got %d rows, err %v", n+7, len(rows), err)
	}
}

func TestColumns(t *testing.T) {
	e, err := Parse("age > 3 && contains(name, 'x') || [monthly fee] + age > 1")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := e.Columns(), []string{"age", "name", "monthly fee"}; !slices.Equal(got, want) {
		t.Errorf("Columns() = %v, want %v", got, want)
	}
}

func TestIsExpression(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"age > 3", true},
		{"age>=3", true},
		{"a=b", true},
		{"x && y", true},
		{"isna(age)", true},
		{"Contains(notes, 'x')", true},
		{`city in ("oslo")`, true},
		{`name == "unterminated`, true},
		{"paris", false},
		{"black and white", false},
		{"C000123", false},
		{"o'brien", false},
		{"wow!", false},
		{"sao-paulo", false},
		{"call me (maybe)", false},
		{"2024-01-01", false},
		{`"a > b"`, false},
		{"", false},
	} {
		if got := IsExpression(tc.s); got != tc.want {
			t.Errorf("IsExpression(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

func TestSubstringFilter(t *testing.T) {
	f := testFrame()
	for _, tc := range []struct {
		needle string
		want   []int
	}{
		{"par", []int{1, 4}},
		{"PAR", []int{1, 4}},
		{"são", []int{5}},
		{"SÃO", []int{5}},
		{"OSLO", []int{0, 2}},
		{"2024", []int{1, 2, 5}},
		{"12:00", []int{5}},
		{"99.9", []int{4}},
		{"true", []int{0, 2, 5}},
		// Cleo, Eve and the true/false of every row but 3 (missing bool, "Dan").
		{"e", []int{0, 1, 2, 4, 5}},
		{"zzz", []int{}},
		{"", []int{0, 1, 2, 3, 4, 5}},
	} {
		got, err := SubstringFilter(context.Background(), f, tc.needle)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("SubstringFilter(%q) = %v, want %v", tc.needle, got, tc.want)
		}
	}
}

func TestContainsFold(t *testing.T) {
	for _, tc := range []struct {
		s, needle string
		want      bool
	}{
		{"Hello World", "o w", true},
		{"HELLO", "hello", true},
		{"hel", "hello", false},
		{"aab", "ab", true},
		{"Ärger", "är", true},
		{"abc", "abd", false},
	} {
		if got := containsFold(tc.s, tc.needle); got != tc.want {
			t.Errorf("containsFold(%q, %q) = %v", tc.s, tc.needle, got)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"age > 30 && city == \"Paris\"", "`monthly fee` * 2", "[monthly fee] in (1, -2)",
		"not isna(age) or contains(lower(name), 'x')", "signup >= \"2024-01-01\"",
		"round(age / 3, 1)", "((((1))))", "\"\\u00e9\" + name", "age not in (1)", "-(-age)",
	} {
		f.Add(s)
	}
	fr := testFrame()
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "expr: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		p, err := e.Bind(fr)
		if err != nil {
			return
		}
		if p.IsCondition() {
			rows, err := p.Filter(context.Background())
			if err != nil || !slices.IsSorted(rows) {
				t.Fatalf("Filter(%q): %v, %v", src, rows, err)
			}
		}
		c, err := p.Eval(context.Background())
		if err != nil || c.Len() != fr.NumRows() {
			t.Fatalf("Eval(%q): %v", src, err)
		}
	})
}
