package stats_test

import (
	"fmt"

	"github.com/mlwb/mlwb/engine/stats"
)

func ExampleQuantile() {
	x := []float64{4, 1, 3, 2, 100}
	stats.Sort(x)
	fmt.Println(stats.Quantile(0.25, x), stats.Median(x), stats.IQR(x), stats.MAD(x))
	// Output: 2 3 2 1
}

func ExampleCramersV() {
	// Levels of a and b for eight rows: b follows a except in one row.
	// (scipy.stats.chi2_contingency(correction=False) on [[3,1],[0,4]] gives
	// the same V; sklearn mutual_info_score / ln 2 the same MI.)
	a := []int32{0, 0, 0, 0, 1, 1, 1, 1}
	b := []int32{0, 0, 0, 1, 1, 1, 1, 1}
	t := stats.NewContingency(a, b, 2, 2)
	fmt.Printf("V = %.4f, bias-corrected %.4f, MI = %.4f bits\n",
		stats.CramersV(t, false), stats.CramersV(t, true), stats.MutualInfo(t))
	// Output: V = 0.7746, bias-corrected 0.7303, MI = 0.5488 bits
}
