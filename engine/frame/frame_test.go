package frame

import (
	"cmp"
	"context"
	"errors"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func testFrame(t *testing.T) *Frame {
	t.Helper()
	age := NewInt64("age", []int64{30, 25, 41, 25, 0}, MaskFromMissing([]bool{false, false, false, false, true}))
	fee := NewFloat64("fee", []float64{9.5, math.NaN(), 3, math.Inf(1), -1}, Mask{})
	city := CategoricalFromStrings("city", []string{"oslo", "paris", "", "oslo", "berlin"}, []bool{false, false, true, false, false})
	ok := NewBool("ok", []bool{true, false, true, true, false}, Mask{})
	d0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	when := NewDatetime("when", []int64{d0, d0 + int64(time.Hour), d0, d0 - 86400e9, d0}, Mask{})
	note := NewString("note", []string{"a", "b", "c", "d", "e"}, Mask{})
	f, err := New(age, fee, city, ok, when, note)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestNewRejectsBadShapes(t *testing.T) {
	a := NewInt64("a", []int64{1, 2}, Mask{})
	b := NewInt64("b", []int64{1}, Mask{})
	if _, err := New(a, b); err == nil || err.Error() != `frame: column "b" has 1 rows, want 2` {
		t.Errorf("length mismatch: got %v", err)
	}
	if _, err := New(a, a); err == nil || err.Error() != `frame: duplicate column name "a"` {
		t.Errorf("duplicate: got %v", err)
	}
}

func TestMissingAndFormat(t *testing.T) {
	f := testFrame(t)
	want := map[string]int{"age": 1, "fee": 1, "city": 1, "ok": 0, "when": 0, "note": 0}
	for _, c := range f.Columns() {
		if got := c.NullCount(); got != want[c.Name()] {
			t.Errorf("%s NullCount = %d, want %d", c.Name(), got, want[c.Name()])
		}
	}
	cases := []struct {
		col  string
		row  int
		want string
	}{
		{"age", 0, "30"}, {"age", 4, ""}, {"fee", 1, ""}, {"fee", 3, "inf"}, {"fee", 0, "9.5"},
		{"city", 2, ""}, {"city", 4, "berlin"}, {"ok", 1, "false"},
		{"when", 0, "2024-03-01"}, {"when", 1, "2024-03-01 01:00:00"},
	}
	for _, tc := range cases {
		c, _ := f.Column(tc.col)
		if got := c.Format(tc.row); got != tc.want {
			t.Errorf("%s[%d] = %q, want %q", tc.col, tc.row, got, tc.want)
		}
	}
}

func TestColumnNotFound(t *testing.T) {
	f := testFrame(t)
	_, err := f.Select("age", "nope")
	if !errors.Is(err, ErrColumnNotFound) {
		t.Fatalf("Select unknown: %v", err)
	}
	var cnf *ColumnNotFoundError
	if !errors.As(err, &cnf) || cnf.Name != "nope" {
		t.Fatalf("want *ColumnNotFoundError for nope, got %v", err)
	}
}

func TestTakeSliceKeepMask(t *testing.T) {
	f := testFrame(t)
	g := f.Take([]int{4, 0, 2})
	age, _ := g.Column("age")
	if !age.IsNA(0) || age.IsNA(1) || age.Format(1) != "30" {
		t.Errorf("Take lost the mask: %q %q", age.Format(0), age.Format(1))
	}
	city, _ := g.Column("city")
	if !city.IsNA(2) || city.Format(0) != "berlin" {
		t.Errorf("Take categorical: %q", city.Format(0))
	}
	s := f.Slice(1, 10)
	if s.NumRows() != 4 {
		t.Fatalf("Slice(1,10) rows = %d, want 4", s.NumRows())
	}
	fee, _ := s.Column("fee")
	if !fee.IsNA(0) || fee.Format(2) != "inf" {
		t.Errorf("Slice mask wrong")
	}
}

func TestMaskSliceUnaligned(t *testing.T) {
	miss := make([]bool, 200)
	for i := range miss {
		miss[i] = i%7 == 0
	}
	m := MaskFromMissing(miss)
	for _, r := range [][2]int{{0, 200}, {64, 130}, {3, 199}, {70, 70}} {
		s := m.Slice(r[0], r[1])
		for i := r[0]; i < r[1]; i++ {
			if s.IsNA(i-r[0]) != miss[i] {
				t.Fatalf("slice %v row %d: got %v", r, i, s.IsNA(i-r[0]))
			}
		}
		want := 0
		for i := r[0]; i < r[1]; i++ {
			if miss[i] {
				want++
			}
		}
		if got := s.CountNA(r[1] - r[0]); got != want {
			t.Errorf("slice %v CountNA = %d, want %d", r, got, want)
		}
	}
}

func TestSortIndex(t *testing.T) {
	f := testFrame(t)
	ctx := context.Background()
	cases := []struct {
		keys []SortKey
		want []int
	}{
		// Missing last in both directions; stable among ties.
		{[]SortKey{{Column: "age"}}, []int{1, 3, 0, 2, 4}},
		{[]SortKey{{Column: "age", Descending: true}}, []int{2, 0, 1, 3, 4}},
		{[]SortKey{{Column: "fee"}}, []int{4, 2, 0, 3, 1}},
		{[]SortKey{{Column: "city"}}, []int{4, 0, 3, 1, 2}},
		{[]SortKey{{Column: "city"}, {Column: "when", Descending: true}}, []int{4, 0, 3, 1, 2}},
		{[]SortKey{{Column: "when"}, {Column: "note", Descending: true}}, []int{3, 4, 2, 0, 1}},
		{[]SortKey{{Column: "ok"}}, []int{1, 4, 0, 2, 3}},
	}
	for _, tc := range cases {
		got, err := f.SortIndex(ctx, tc.keys...)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("SortIndex(%v) = %v, want %v", tc.keys, got, tc.want)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := f.SortIndex(cctx, SortKey{Column: "age"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled sort: %v", err)
	}
}

func TestFloats(t *testing.T) {
	f := testFrame(t)
	age, _ := f.Column("age")
	v, err := Floats(age)
	if err != nil || v[0] != 30 || !math.IsNaN(v[4]) {
		t.Errorf("Floats(age) = %v, %v", v, err)
	}
	note, _ := f.Column("note")
	if _, err := Floats(note); err == nil {
		t.Error("Floats(string) should fail")
	}
}

func BenchmarkSortFloat1M(b *testing.B) {
	n := 1_000_000
	d := make([]float64, n)
	x := uint64(88172645463325252)
	for i := range d {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		d[i] = float64(x>>11) / (1 << 53)
	}
	f := MustNew(NewFloat64("x", d, Mask{}))
	b.ResetTimer()
	for range b.N {
		if _, err := f.SortIndex(context.Background(), SortKey{Column: "x"}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRadixMatchesComparator checks the single-key radix path against the
// general stable comparator sort on random data with ties and missing values.
func TestSortMatchesComparator(t *testing.T) {
	n := 5000
	x := uint64(1)
	next := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
	fl := make([]float64, n)
	in := make([]int64, n)
	bo := make([]bool, n)
	cat := make([]string, n)
	str := make([]string, n)
	miss := make([]bool, n)
	for i := range n {
		r := next()
		fl[i] = float64(int64(r%41)-20) / 4
		if r%97 == 0 {
			fl[i] = math.Inf(-1)
		}
		in[i] = int64(r%23) - 11
		if r%89 == 0 {
			in[i] = math.MaxInt64
		}
		bo[i] = r%3 == 0
		cat[i] = string(rune('a' + r%7))
		str[i] = strings.Repeat("é", int(r%3)) + string(rune('A'+r%29))
		miss[i] = r%11 == 0
	}
	f := MustNew(
		NewFloat64("f", fl, MaskFromMissing(miss)),
		NewInt64("i", in, MaskFromMissing(miss)),
		NewBool("b", bo, MaskFromMissing(miss)),
		NewDatetime("d", in, Mask{}),
		CategoricalFromStrings("c", cat, miss),
		NewString("s", str, MaskFromMissing(miss)),
	)
	ctx := context.Background()
	check := func(keys ...SortKey) {
		t.Helper()
		got, err := f.SortIndex(ctx, keys...)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]int, n)
		for i := range want {
			want[i] = i
		}
		cmps := make([]func(a, b int) int, len(keys))
		for k, key := range keys {
			c, _ := f.Column(key.Column)
			cmps[k] = comparator(c, key.Descending)
		}
		slices.SortStableFunc(want, func(a, b int) int {
			for _, c := range cmps {
				if r := c(a, b); r != 0 {
					return r
				}
			}
			return 0
		})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("SortIndex(%v): radix order differs from comparator order", keys)
		}
	}
	for _, name := range f.Names() {
		for _, desc := range []bool{false, true} {
			check(SortKey{Column: name, Descending: desc})
		}
	}
	check(SortKey{Column: "c"}, SortKey{Column: "f", Descending: true})
	check(SortKey{Column: "b", Descending: true}, SortKey{Column: "s"}, SortKey{Column: "i"})
}

// comparator is the textbook three-way comparison the radix sort must agree
// with: missing last in both directions, text byte-wise.
func comparator(c Column, desc bool) func(a, b int) int {
	sign := 1
	if desc {
		sign = -1
	}
	m := c.Mask()
	wrap := func(less func(a, b int) int) func(a, b int) int {
		if !m.HasNA() {
			return func(a, b int) int { return sign * less(a, b) }
		}
		return func(a, b int) int {
			na, nb := m.IsNA(a), m.IsNA(b)
			switch {
			case na && nb:
				return 0
			case na:
				return 1
			case nb:
				return -1
			}
			return sign * less(a, b)
		}
	}
	switch c := c.(type) {
	case *Float64Col:
		return wrap(func(a, b int) int { return cmp.Compare(c.Data[a], c.Data[b]) })
	case *Int64Col:
		return wrap(func(a, b int) int { return cmp.Compare(c.Data[a], c.Data[b]) })
	case *DatetimeCol:
		return wrap(func(a, b int) int { return cmp.Compare(c.Data[a], c.Data[b]) })
	case *BoolCol:
		return wrap(func(a, b int) int { return cmpBool(c.Data[a], c.Data[b]) })
	case *CategoricalCol:
		rank := LevelRanks(c.Levels)
		return wrap(func(a, b int) int { return cmp.Compare(rank[c.Codes[a]], rank[c.Codes[b]]) })
	case *StringCol:
		return wrap(func(a, b int) int { return strings.Compare(c.Data[a], c.Data[b]) })
	}
	return wrap(func(a, b int) int { return strings.Compare(c.Format(a), c.Format(b)) })
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

func BenchmarkSortString1M(b *testing.B) {
	n := 1_000_000
	d := make([]string, n)
	x := uint64(88172645463325252)
	for i := range d {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		d[i] = "C" + strconv.FormatUint(x%900000, 10)
	}
	f := MustNew(NewString("s", d, Mask{}))
	b.ResetTimer()
	for range b.N {
		if _, err := f.SortIndex(context.Background(), SortKey{Column: "s"}); err != nil {
			b.Fatal(err)
		}
	}
}
