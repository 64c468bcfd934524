package demo

import (
	"math"
	"slices"
)

// ksStat is the two-sample Kolmogorov–Smirnov statistic
// D = sup_x |F_a(x) - F_b(x)| over the non-missing values of a and b.
func ksStat(a, b []float64) float64 {
	clean := func(x []float64) []float64 {
		out := make([]float64, 0, len(x))
		for _, v := range x {
			if !math.IsNaN(v) {
				out = append(out, v)
			}
		}
		slices.Sort(out)
		return out
	}
	a, b = clean(a), clean(b)
	var i, j int
	d := 0.0
	for i < len(a) && j < len(b) {
		v := min(a[i], b[j])
		for i < len(a) && a[i] == v {
			i++
		}
		for j < len(b) && b[j] == v {
			j++
		}
		d = max(d, math.Abs(float64(i)/float64(len(a))-float64(j)/float64(len(b))))
	}
	return d
}
