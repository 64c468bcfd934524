// Package stats holds numerically careful descriptive statistics on
// []float64, written so that their results equal those of numpy, pandas and
// scipy on the same data (to a relative 1e-9 or better):
//
//   - moments: Mean, MeanVariance (two-pass, n−1), Skewness (pandas' adjusted
//     Fisher–Pearson G1) and Kurtosis (pandas' bias-corrected excess G2);
//   - order statistics on sorted data: Quantile with numpy's default linear
//     method, Quantiles, Median, IQR, MAD (median absolute deviation);
//   - Sort, Argsort and SortNonNaN (cache-conscious distribution sorts),
//     SortRanks (the profiler's one sort per column, which also ranks and
//     counts distinct values), Rank with average ties, Pearson and Spearman
//     correlation;
//   - Histogram with numpy's Freedman–Diaconis ("fd") bins, capped;
//   - information and association measures: Entropy (bits), MutualInfo,
//     CramersV, CorrelationRatio (η), ChiSquareUniform with its p-value,
//     and the robust (modified) z-score RobustZ.
//
// Conventions: functions that skip NaN say so; functions that take sorted
// data say so and do not check it. Degenerate inputs (too few values, zero
// variance) give NaN rather than panicking, unless documented otherwise;
// length mismatches between paired slices are programmer errors and panic
// with a "stats: " prefix, as in gonum.
package stats
