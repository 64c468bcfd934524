package merge

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/engine/frame"
)

var ctx = context.Background()

func na(n int, rows ...int) frame.Mask {
	m := frame.NewMask(n)
	for _, r := range rows {
		m.SetNA(r)
	}
	return m
}

func sides() (*frame.Frame, *frame.Frame) {
	left := frame.MustNew(
		frame.NewInt64("id", []int64{1, 2, 2, 3, 0}, na(5, 4)),
		frame.NewString("x", []string{"a", "b", "c", "d", "e"}, frame.Mask{}),
		frame.NewInt64("v", []int64{10, 20, 30, 40, 50}, frame.Mask{}),
	)
	right := frame.MustNew(
		frame.NewFloat64("id", []float64{2, 3, 3, 4, math.NaN()}, frame.Mask{}),
		frame.CategoricalFromStrings("y", []string{"p", "q", "r", "s", "t"}, nil),
		frame.NewFloat64("v", []float64{0.5, 1.5, 2.5, 3.5, 4.5}, frame.Mask{}),
	)
	return left, right
}

// rows renders a frame as "a|b|c" lines, NA for missing.
func rows(f *frame.Frame) []string {
	out := make([]string, f.NumRows())
	for i := range out {
		var cells []string
		for _, c := range f.Columns() {
			if c.IsNA(i) {
				cells = append(cells, "NA")
			} else {
				cells = append(cells, c.Format(i))
			}
		}
		out[i] = strings.Join(cells, "|")
	}
	return out
}

// TestJoinKinds checks each kind of join with literal rows. pandas gives
// the same rows except that it pairs the NaN keys (rows e and t) with each
// other, and sorts the outer join by key.
func TestJoinKinds(t *testing.T) {
	left, right := sides()
	tests := []struct {
		how   How
		names string
		want  []string
	}{
		{Inner, "id x v_x y v_y", []string{"2|b|20|p|0.5", "2|c|30|p|0.5", "3|d|40|q|1.5", "3|d|40|r|2.5"}},
		{Left, "id x v_x y v_y", []string{"1|a|10|NA|NA", "2|b|20|p|0.5", "2|c|30|p|0.5", "3|d|40|q|1.5", "3|d|40|r|2.5", "NA|e|50|NA|NA"}},
		{Right, "id x v_x y v_y", []string{"2|b|20|p|0.5", "2|c|30|p|0.5", "3|d|40|q|1.5", "3|d|40|r|2.5", "4|NA|NA|s|3.5", "NA|NA|NA|t|4.5"}},
		{Outer, "id x v_x y v_y", []string{"1|a|10|NA|NA", "2|b|20|p|0.5", "2|c|30|p|0.5", "3|d|40|q|1.5", "3|d|40|r|2.5", "NA|e|50|NA|NA", "4|NA|NA|s|3.5", "NA|NA|NA|t|4.5"}},
	}
	for _, tc := range tests {
		t.Run(tc.how.String(), func(t *testing.T) {
			spec := Spec{On: []string{"id"}, How: tc.how}
			g, err := Join(ctx, left, right, spec)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(g.Names(), " "); got != tc.names {
				t.Errorf("columns = %s, want %s", got, tc.names)
			}
			if got := rows(g); !slices.Equal(got, tc.want) {
				t.Errorf("rows =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			st, err := Plan(ctx, left, right, spec)
			if err != nil {
				t.Fatal(err)
			}
			if st.ResultRows != len(tc.want) {
				t.Errorf("plan says %d rows, join made %d", st.ResultRows, len(tc.want))
			}
		})
	}
	// The key is int for inner and left joins (the left column), float
	// when right values fill it in.
	for how, typ := range map[How]frame.Type{Inner: frame.Int, Left: frame.Int, Right: frame.Float, Outer: frame.Float} {
		g, _ := Join(ctx, left, right, Spec{On: []string{"id"}, How: how})
		if g.Col(0).Type() != typ {
			t.Errorf("%s join key is %s, want %s", how, g.Col(0).Type(), typ)
		}
	}
}

func TestPlan(t *testing.T) {
	left, right := sides()
	st, err := Plan(ctx, left, right, Spec{On: []string{"id"}, How: Outer})
	if err != nil {
		t.Fatal(err)
	}
	want := Stats{LeftRows: 5, RightRows: 5, LeftMatched: 3, LeftUnmatched: 2, RightMatched: 3, RightUnmatched: 2,
		LeftNullKeys: 1, RightNullKeys: 1, Pairs: 4, ResultRows: 8}
	if fmt.Sprint(st) != fmt.Sprint(want) {
		t.Errorf("plan = %+v\nwant   %+v", st, want)
	}
}

func TestTypeMismatch(t *testing.T) {
	left, _ := sides()
	right := frame.MustNew(frame.NewString("id", []string{"1", "2"}, frame.Mask{}), frame.NewInt64("w", []int64{1, 2}, frame.Mask{}))
	st, err := Plan(ctx, left, right, Spec{On: []string{"id"}, How: Left})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(st.TypeMismatch, []string{`key "id": left int, right string`}) || st.LeftUnmatched != 5 || st.ResultRows != 5 {
		t.Errorf("plan = %+v", st)
	}
	_, err = Join(ctx, left, right, Spec{On: []string{"id"}})
	if !errors.Is(err, ErrTypeMismatch) || err.Error() != `merge: key types do not match: key "id": left int, right string (cast one side first)` {
		t.Errorf("err = %v", err)
	}
}

func TestJoinErrors(t *testing.T) {
	left, right := sides()
	for _, tc := range []struct {
		spec Spec
		want string
	}{
		{Spec{}, "merge: no key columns"},
		{Spec{On: []string{"idd"}}, `merge: left has no column "idd" (columns: id, x, v)`},
		{Spec{LeftOn: []string{"id"}, RightOn: []string{"y", "v"}}, "merge: 1 left keys but 2 right keys"},
		{Spec{LeftOn: []string{"x"}, RightOn: []string{"zz"}}, `merge: right has no column "zz"`},
		{Spec{On: []string{"id"}, Suffixes: [2]string{"", ""}}, ""},
		{Spec{On: []string{"id"}, Suffixes: [2]string{"_a", "_a"}}, `merge: the suffixes must differ`},
	} {
		_, err := Join(ctx, left, right, tc.spec)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%+v: %v", tc.spec, err)
			}
			continue
		}
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want %s", tc.spec, err, tc.want)
		}
	}
}

func TestMultiKeyTextAndLeftRightOn(t *testing.T) {
	left := frame.MustNew(
		frame.CategoricalFromStrings("city", []string{"Oslo", "Oslo", "Rome", "Rome"}, nil),
		frame.NewInt64("year", []int64{2023, 2024, 2023, 2024}, frame.Mask{}),
		frame.NewFloat64("sales", []float64{1, 2, 3, 4}, frame.Mask{}),
	)
	right := frame.MustNew(
		frame.NewString("town", []string{"Rome", "Oslo", "Paris"}, frame.Mask{}),
		frame.NewInt64("yr", []int64{2024, 2023, 2024}, frame.Mask{}),
		frame.NewFloat64("rain", []float64{10, 20, 30}, frame.Mask{}),
	)
	spec := Spec{LeftOn: []string{"city", "year"}, RightOn: []string{"town", "yr"}, How: Outer}
	g, err := Join(ctx, left, right, spec)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Oslo|2023|1|Oslo|2023|20", "Oslo|2024|2|NA|NA|NA", "Rome|2023|3|NA|NA|NA", "Rome|2024|4|Rome|2024|10",
		"NA|NA|NA|Paris|2024|30",
	}
	if got := strings.Join(g.Names(), " "); got != "city year sales town yr rain" {
		t.Errorf("columns = %s", got)
	}
	if got := rows(g); !slices.Equal(got, want) {
		t.Errorf("rows =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// naiveJoin is the nested-loop definition of a join, for comparison.
func naiveJoin(lk, rk [][]int64, lna, rna [][]bool, how How) (li, ri []int32) {
	match := func(i, j int) bool {
		for c := range lk {
			if lna[c][i] || rna[c][j] || lk[c][i] != rk[c][j] {
				return false
			}
		}
		return true
	}
	nl, nr := len(lk[0]), len(rk[0])
	if how == Right {
		for j := range nr {
			found := false
			for i := range nl {
				if match(i, j) {
					li, ri = append(li, int32(i)), append(ri, int32(j))
					found = true
				}
			}
			if !found {
				li, ri = append(li, -1), append(ri, int32(j))
			}
		}
		return li, ri
	}
	hit := make([]bool, nr)
	for i := range nl {
		found := false
		for j := range nr {
			if match(i, j) {
				li, ri = append(li, int32(i)), append(ri, int32(j))
				found, hit[j] = true, true
			}
		}
		if !found && how != Inner {
			li, ri = append(li, int32(i)), append(ri, -1)
		}
	}
	if how == Outer {
		for j, h := range hit {
			if !h {
				li, ri = append(li, -1), append(ri, int32(j))
			}
		}
	}
	return li, ri
}

func TestJoinMatchesNestedLoop(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		nl, nr, nk := 1+r.IntN(40), 1+r.IntN(40), 1+r.IntN(3)
		card := int64(1 + r.IntN(6))
		mk := func(n int) ([][]int64, [][]bool, []frame.Column) {
			var vals [][]int64
			var nas [][]bool
			var cols []frame.Column
			for c := range nk {
				v, m := make([]int64, n), make([]bool, n)
				for i := range v {
					v[i] = r.Int64N(card)
					if trial%2 == 1 {
						v[i] = (v[i] - card/2) << 40 // sparse keys: the hash table, not the dense array
					}
					m[i] = r.IntN(10) == 0
				}
				vals, nas = append(vals, v), append(nas, m)
				if c == 1 { // one text key
					s := make([]string, n)
					for i := range s {
						s[i] = fmt.Sprint(v[i])
					}
					cols = append(cols, frame.CategoricalFromStrings(fmt.Sprint("k", c), s, m))
				} else {
					cols = append(cols, frame.NewInt64(fmt.Sprint("k", c), v, frame.MaskFromMissing(m)))
				}
			}
			return vals, nas, cols
		}
		lv, ln, lc := mk(nl)
		rv, rn, rc := mk(nr)
		lc = append(lc, frame.NewInt64("row", seq(nl), frame.Mask{}))
		rc = append(rc, frame.NewInt64("row", seq(nr), frame.Mask{}))
		left, right := frame.MustNew(lc...), frame.MustNew(rc...)
		var on []string
		for c := range nk {
			on = append(on, fmt.Sprint("k", c))
		}
		for how := Inner; how <= Outer; how++ {
			g, err := Join(ctx, left, right, Spec{On: on, How: how})
			if err != nil {
				t.Fatal(err)
			}
			wl, wr := naiveJoin(lv, rv, ln, rn, how)
			gl, _ := g.Column("row_x")
			gr, _ := g.Column("row_y")
			if g.NumRows() != len(wl) {
				t.Fatalf("trial %d %s: %d rows, want %d", trial, how, g.NumRows(), len(wl))
			}
			for k := range wl {
				got := [2]int32{-1, -1}
				if !gl.IsNA(k) {
					got[0] = int32(gl.(*frame.Int64Col).Data[k])
				}
				if !gr.IsNA(k) {
					got[1] = int32(gr.(*frame.Int64Col).Data[k])
				}
				if got != [2]int32{wl[k], wr[k]} {
					t.Fatalf("trial %d %s row %d: pair %v, want %v", trial, how, k, got, [2]int32{wl[k], wr[k]})
				}
			}
			st, err := Plan(ctx, left, right, Spec{On: on, How: how})
			if err != nil || st.ResultRows != len(wl) {
				t.Fatalf("trial %d %s: plan %d rows, want %d (%v)", trial, how, st.ResultRows, len(wl), err)
			}
		}
	}
}

func seq(n int) []int64 {
	s := make([]int64, n)
	for i := range s {
		s[i] = int64(i)
	}
	return s
}

// tables1M returns two 1M-row tables sharing int keys in different orders.
func tables1M() (*frame.Frame, *frame.Frame) {
	const n = 1_000_000
	r := rand.New(rand.NewPCG(3, 4))
	lid, rid := seq(n), seq(n)
	r.Shuffle(n, func(i, j int) { lid[i], lid[j] = lid[j], lid[i] })
	r.Shuffle(n, func(i, j int) { rid[i], rid[j] = rid[j], rid[i] })
	a, b, c := make([]float64, n), make([]float64, n), make([]string, n)
	for i := range a {
		a[i], b[i], c[i] = r.Float64(), r.NormFloat64(), []string{"x", "y", "z"}[r.IntN(3)]
	}
	left := frame.MustNew(frame.NewInt64("id", lid, frame.Mask{}), frame.NewFloat64("a", a, frame.Mask{}), frame.CategoricalFromStrings("c", c, nil))
	right := frame.MustNew(frame.NewInt64("id", rid, frame.Mask{}), frame.NewFloat64("b", b, frame.Mask{}), frame.NewInt64("n", seq(n), frame.Mask{}))
	return left, right
}

// BenchmarkJoin1M joins two 1M-row tables (int key, two more columns each),
// inner and left, with dense ids (0..n−1, shuffled: the direct-index table)
// and sparse ones (ids × 2^40 + 12345: the hash table).
func BenchmarkJoin1M(b *testing.B) {
	left, right := tables1M()
	sparse := func(f *frame.Frame) *frame.Frame {
		id := f.Col(0).(*frame.Int64Col)
		d := make([]int64, len(id.Data))
		for i, v := range id.Data {
			d[i] = v<<40 + 12345
		}
		g, _ := f.With(frame.NewInt64("id", d, frame.Mask{}))
		return g
	}
	sl, sr := sparse(left), sparse(right)
	for _, how := range []How{Inner, Left} {
		b.Run(how.String(), func(b *testing.B) {
			for b.Loop() {
				g, err := Join(ctx, left, right, Spec{On: []string{"id"}, How: how})
				if err != nil || g.NumRows() != 1_000_000 {
					b.Fatal(err)
				}
			}
		})
		b.Run(how.String()+"_sparse", func(b *testing.B) {
			for b.Loop() {
				g, err := Join(ctx, sl, sr, Spec{On: []string{"id"}, How: how})
				if err != nil || g.NumRows() != 1_000_000 {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("plan", func(b *testing.B) {
		for b.Loop() {
			if _, err := Plan(ctx, left, right, Spec{On: []string{"id"}}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
