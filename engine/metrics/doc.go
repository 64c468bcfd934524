// Package metrics computes model-evaluation metrics, curves, threshold and
// business analyses, fairness and slice reports from predictions, with the
// definitions of scikit-learn 1.2 (and Fairlearn for fairness) so that mlwb's
// numbers equal the ones users already know.
//
// # Layers
//
//   - Counts: one binary confusion matrix and the rates derived from it.
//   - Ranking: binary labels with scores, sorted once (descending score,
//     ties grouped). It gives ROC AUC, average precision, the ROC,
//     precision–recall, gain/lift and KS curves, and the confusion matrix at
//     any threshold in O(log n) by binary search over the cumulative counts
//     at the distinct scores. Profit and Calibration build on it.
//   - Confusion: a k-class confusion matrix (from predicted labels) with
//     per-class precision, recall and F1, their binary/macro/micro/weighted
//     averages, accuracy, balanced accuracy, MCC and Cohen's kappa.
//   - LogLoss, Brier and OvRAUC for probabilities; Regression for numeric
//     targets.
//   - Evaluate runs all of it for one task and returns a Report (metric
//     values, warnings, confusion matrix, per-class report), optionally with
//     percentile bootstrap intervals (Bootstrap).
//   - Fairness compares groups of a sensitive column on binary predictions
//     (Fairlearn's selection rate, TPR, FPR and their gaps); ClassFairness
//     does it one-vs-rest per class of a multiclass task and reports the
//     worst class; RegressionFairness compares the groups' mean prediction
//     and MAE. Slices ranks the metric per category and quantile bin of
//     each feature, worst first.
//
// # Undefined values
//
// Where scikit-learn raises or returns NaN (ROC AUC with one class in
// y_true, R² with one sample, kappa when chance agreement is total...) the
// value here is NaN and a warning says why; the CLI prints NaN as null.
// Where scikit-learn substitutes a value and warns (precision with no
// predicted positives is 0 under zero_division="warn") the same value is
// returned and the same warning recorded.
//
// # Weights
//
// Internally every metric accepts integer-valued sample weights (nil means
// one per row). They are what Bootstrap uses: a bootstrap replicate is the
// vector of how often each row was drawn, so a replicate costs O(n) and
// never re-sorts. With weights the metrics equal scikit-learn's on the
// resampled data (median absolute error included: it is the median of the
// replicated sample, not scikit-learn's weighted percentile).
package metrics
