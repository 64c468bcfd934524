// Package drift compares a current sample of data with a reference sample,
// column by column, with the tests and defaults of Evidently 0.7, so that
// mlwb's verdicts mean what Evidently users expect.
//
// # Default test per column
//
// N is the number of reference values (missing and ±Inf dropped, as
// Evidently does); n_unique the distinct values over both samples.
//
//	column                              N ≤ 1000                    N > 1000
//	numeric, n_unique > 5               KS, drift if p ≤ 0.05       Wasserstein/std ≥ 0.1
//	numeric n_unique ≤ 5, categorical   chi² (Z if n_unique ≤ 2),   Jensen–Shannon ≥ 0.1
//	                                    drift if p < 0.05
//
// Int and float columns are numeric; bool and categorical columns
// categorical; string (free text) and datetime columns are skipped unless
// named in Options.Columns (Evidently tests text with a domain classifier).
// Any method can be forced for all columns (Options.Method) or per column
// (Options.ColumnMethods), and more computed beside the verdict
// (Options.Also).
//
// # Methods and formulas
//
//   - KS: D = sup|F_ref − F_cur|; p-value as scipy.stats.ks_2samp(method=
//     'auto'): exact for max(n, m) ≤ 10000, else kstwo.sf(D, round(nm/(n+m))).
//   - Wasserstein: W₁ = ∫|F_ref − F_cur| dx (scipy.stats.wasserstein_distance)
//     divided by the reference's population std floored at 0.001.
//   - Jensen–Shannon: scipy.spatial.distance.jensenshannon with its default
//     base, the natural logarithm (so the distance lies in [0, √ln2 ≈ 0.83]),
//     on binned shares (below).
//   - PSI: Σ (rᵢ − cᵢ) ln(rᵢ/cᵢ) on binned shares.
//   - chi-square: goodness of fit of the current counts against the
//     reference shares scaled to the current size, k − 1 degrees of freedom.
//   - Z-test: two-proportion z = (p₁ − p₂)/√(P(1−P)(1/n₁ + 1/n₂)), p = 2(1 − Φ(|z|)).
//
// Binning (Evidently's get_binned_data): categories, or distinct values of a
// numeric column with at most 20 distinct reference values; otherwise 30
// equal-width bins over the range of both samples together
// (numpy.histogram_bin_edges), or with Options.Binning = Quantile 30 bins
// at the reference's quantiles. Shares are counts over the sample size; an
// empty bin's share becomes min(non-zero share)/10⁶ when that minimum is at
// most 0.0001, else 0.0001, separately in each sample.
//
// Every verdict carries the method, statistic, p-value (NaN for the
// distances), score compared with the threshold, both sample sizes and an
// effect size independent of them: Wasserstein distance in reference
// standard deviations for numeric columns, Cramér's V of the sample ×
// category table for columns tested as categories.
//
// Dataset drift: the share of drifted columns among those compared is at
// least Options.DriftShare (0.5). Target and prediction columns count in
// the share, as in Evidently's DataDriftTable, and are tagged by Role.
//
// # Use
//
// NewReference sorts and counts the reference once; Reference.Compare then
// costs one sort of each current numeric column and O(n + m) merges, so
// windows and new batches are cheap. Windows splits a frame by a time column;
// ListBatches and LoadBatch read a folder of batch files, retrying files
// still being written, and OrderBy places a batch in time by the earliest
// value of a column. Crossings turns successive reports into alerts
// (SeriesAlerts along a whole series, with a model's MetricGoal);
// AppendAlerts saves them as JSON lines and SaveNewAlerts appends only
// those whose Key the file lacks, so re-running on the same batches adds
// nothing.
//
// # Models
//
// A Scorer scores the reference and each window with a trained model and
// adds the score as the prediction column (Options.Prediction): the
// positive-class probability (binary), the predicted value (regression) or
// the predicted class (multiclass), so prediction drift is tested like any
// column. Where a window has labels, Scorer.Metrics computes the model's
// metrics on its labelled rows with package metrics (MetricNames), and
// MetricCrossing turns a metric crossing its goal into an alert.
package drift
