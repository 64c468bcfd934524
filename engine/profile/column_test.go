package profile

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
)

// TestDatetimeSetMatchesSort checks that the hash-set path of the datetime
// summary gives what sorting every value gives (min, max, range, distinct
// count, largest gap), for few and for more than maxDatetimeSet distinct
// values, with missing rows.
func TestDatetimeSetMatchesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, distinct := range []int{1, 3, 1000, 5000, maxDatetimeSet + 10} {
		n := 3 * distinct
		data := make([]int64, n)
		missing := make([]bool, n)
		base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
		for i := range data {
			data[i] = base + int64(rng.IntN(distinct))*int64(time.Hour) - int64(rng.IntN(2))*int64(time.Second)
			missing[i] = rng.IntN(10) == 0
		}
		c := frame.NewDatetime("d", data, frame.MaskFromMissing(missing))
		w := profileColumn(c, n, false, false, nil)
		var v []int64
		for i, t := range data {
			if !missing[i] {
				v = append(v, t)
			}
		}
		slices.Sort(v)
		u := slices.Compact(slices.Clone(v))
		var gap int64
		for k := 1; k < len(u); k++ {
			gap = max(gap, u[k]-u[k-1])
		}
		d := w.report.Datetime
		if w.report.Distinct != len(u) || d.Min.UnixNano() != u[0] || d.Max.UnixNano() != u[len(u)-1] ||
			d.Range != time.Duration(u[len(u)-1]-u[0]) || d.LargestGap != time.Duration(gap) {
			t.Fatalf("distinct=%d: got %d %+v, want %d distinct, %d..%d, gap %d", distinct, w.report.Distinct, d, len(u), u[0], u[len(u)-1], gap)
		}
		set, ok := distinctInt64(data, frame.MaskFromMissing(missing), maxDatetimeSet)
		if ok != (len(u) <= maxDatetimeSet) {
			t.Fatalf("distinct=%d: ok = %v with %d distinct values", distinct, ok, len(u))
		}
		if ok {
			slices.Sort(set)
			if !slices.Equal(set, u) {
				t.Fatalf("distinct=%d: set differs", distinct)
			}
		}
	}
}

// TestDuplicateRowsBruteForce compares duplicateRows with a map of the rows'
// printed values on frames with few distinct rows (large buckets), missing
// values and −0.
func TestDuplicateRowsBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{2, 100, 5000, 70000} {
		for _, levels := range []int{2, 30, 1000} {
			x := make([]float64, n)
			k := make([]int64, n)
			miss := make([]bool, n)
			for i := range x {
				x[i] = []float64{0, math.Copysign(0, -1), 1.5, math.NaN(), 2}[rng.IntN(5)]
				k[i] = int64(rng.IntN(levels))
				miss[i] = rng.IntN(7) == 0
			}
			f := frame.MustNew(frame.NewFloat64("x", x, frame.Mask{}), frame.NewInt64("k", k, frame.MaskFromMissing(miss)))
			seen := map[string]bool{}
			want := 0
			for i := range n {
				xs, ks := fmt.Sprint(x[i]), fmt.Sprint(k[i]) // NaN prints alike
				if x[i] == 0 {
					xs = "0" // −0 equals +0
				}
				if miss[i] {
					ks = "NA"
				}
				key := xs + "|" + ks
				if seen[key] {
					want++
				}
				seen[key] = true
			}
			if got := duplicateRows(f); got != want {
				t.Fatalf("n=%d levels=%d: %d duplicates, want %d", n, levels, got, want)
			}
		}
	}
}

// TestExtremeNumericColumns profiles columns numpy cannot bin (a constant
// beyond 2⁵³, a range that overflows), which used to panic in the histogram.
func TestExtremeNumericColumns(t *testing.T) {
	f := frame.MustNew(
		frame.NewFloat64("huge_constant", []float64{1e16, 1e16, 1e16}, frame.Mask{}),
		frame.NewFloat64("overflow", []float64{-1e308, 1e308, 0}, frame.Mask{}),
	)
	r, err := Profile(t.Context(), f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Columns {
		h := c.Numeric.Histogram
		total := 0
		for _, n := range h.Counts {
			total += n
		}
		if total != 3 {
			t.Errorf("%s: histogram %+v holds %d values, want 3", c.Name, h, total)
		}
	}
}
