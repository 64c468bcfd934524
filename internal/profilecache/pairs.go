package profilecache

import (
	"cmp"
	"math"
	"slices"

	"github.com/mlwb/mlwb/engine/profile"
)

// Pair is the association of two columns taken from one of a report's
// correlation matrices.
type Pair struct {
	A, B   string
	Method string // "pearson", "spearman", "cramers_v" or "eta"
	Value  float64
}

// StrongestPairs returns up to n column pairs (all when n ≤ 0) by
// decreasing |Value|, ties by names. Each pair appears once: for two numeric
// columns the larger in absolute value of Pearson's r and Spearman's ρ (r on
// a tie), for two categorical columns Cramér's V, and for a numeric and a
// categorical column η. Undefined (NaN) entries are skipped.
func StrongestPairs(r *profile.Report, n int) []Pair {
	var out []Pair
	c := r.Correlations
	sp := map[[2]string]float64{}
	for i, row := range c.Spearman.Values {
		for j := i + 1; j < len(row); j++ {
			sp[[2]string{c.Spearman.Rows[i], c.Spearman.Columns[j]}] = row[j]
		}
	}
	seen := map[[2]string]bool{}
	for i, row := range c.Pearson.Values {
		for j := i + 1; j < len(row); j++ {
			k := [2]string{c.Pearson.Rows[i], c.Pearson.Columns[j]}
			seen[k] = true
			p := Pair{A: k[0], B: k[1], Method: "pearson", Value: row[j]}
			if s, ok := sp[k]; ok && !math.IsNaN(s) && (math.IsNaN(p.Value) || math.Abs(s) > math.Abs(p.Value)) {
				p.Method, p.Value = "spearman", s
			}
			if !math.IsNaN(p.Value) {
				out = append(out, p)
			}
		}
	}
	for k, s := range sp { // pairs Pearson leaves out (none today, but cheap)
		if !seen[k] && !math.IsNaN(s) {
			out = append(out, Pair{A: k[0], B: k[1], Method: "spearman", Value: s})
		}
	}
	for i, row := range c.CramersV.Values {
		for j := i + 1; j < len(row); j++ {
			if v := row[j]; !math.IsNaN(v) {
				out = append(out, Pair{A: c.CramersV.Rows[i], B: c.CramersV.Columns[j], Method: "cramers_v", Value: v})
			}
		}
	}
	for i, row := range c.Eta.Values {
		for j, v := range row {
			if !math.IsNaN(v) && c.Eta.Rows[i] != c.Eta.Columns[j] {
				out = append(out, Pair{A: c.Eta.Rows[i], B: c.Eta.Columns[j], Method: "eta", Value: v})
			}
		}
	}
	slices.SortFunc(out, func(x, y Pair) int {
		if c := cmp.Compare(math.Abs(y.Value), math.Abs(x.Value)); c != 0 {
			return c
		}
		if c := cmp.Compare(x.A, y.A); c != 0 {
			return c
		}
		return cmp.Compare(x.B, y.B)
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}
