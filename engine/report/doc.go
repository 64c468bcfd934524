// Package report evaluates a training run — its held-out predictions, or
// its model on new labelled data — against the project card, and writes the
// evaluation as a Markdown report and one self-contained HTML file whose
// charts are inline SVG (no scripts, no external resources).
//
// Load gives an Evaluation: every metric of engine/metrics with percentile
// bootstrap intervals, the profit-maximising threshold under the card's
// business values, fairness across the card's sensitive columns
// (Fairlearn's definitions for binary tasks, one-vs-rest per class for
// multiclass, mean prediction and MAE per group for regression), the worst
// slices of the primary metric, and the card's checks (metric threshold,
// fairness limits) as pass or fail. FairnessAt and ChecksAt recompute the
// threshold-dependent parts for any threshold. Curves and RegressionCharts
// give the charts both the terminal and the HTML draw.
//
// A run's model sees its rows through the run's feature preparation: the
// raw encoding, or the fitted pipeline saved as runs/<id>/pipeline.json.
// One scorer applies it for new data (Options.Data) and for Explain, which
// adds permutation importance, partial dependence and robustness to noise,
// category swaps and missing values, all perturbing the raw columns so
// that every figure is per original column. LearningCurve refits the run's
// preparation and model on growing shares of the training rows of K folds
// (sklearn's learning_curve), and PairedComparison compares two runs
// validated on the same folds with the corrected resampled t-test.
//
// The chosen decision threshold of a run is kept in runs/<id>/threshold.json
// (ThresholdFile), written atomically, so run.json stays as training wrote it.
package report
