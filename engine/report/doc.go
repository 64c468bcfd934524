// Package report evaluates a training run — its held-out predictions, or
// its model on new labelled data — against the project card, and writes the
// evaluation as a Markdown report and one self-contained HTML file whose
// charts are inline SVG (no scripts, no external resources).
//
// Load gives an Evaluation: every metric of engine/metrics with percentile
// bootstrap intervals, the profit-maximising threshold under the card's
// business values, fairness across the card's sensitive columns
// (Fairlearn's definitions), the worst slices of the primary metric, and
// the card's checks (metric threshold, fairness limits) as pass or fail.
// FairnessAt and ChecksAt recompute the threshold-dependent parts for any
// threshold. Curves and RegressionCharts give the charts both the terminal
// and the HTML draw. Explain adds permutation importance, partial
// dependence and robustness to noise and missing values; LearningCurve
// refits the run's model on growing shares of its data.
//
// The chosen decision threshold of a run is kept in runs/<id>/threshold.json
// (ThresholdFile), written atomically, so run.json stays as training wrote it.
package report
