// Package report evaluates a training run — its held-out predictions, or
// its model on new labelled data — against the project card (metrics with
// bootstrap intervals, the profit-maximising threshold, fairness across the
// sensitive columns, slices, pass/fail checks), and writes the evaluation
// as a Markdown report and one self-contained HTML file whose charts are
// inline SVG.
//
// The chosen decision threshold of a run is kept in runs/<id>/threshold.json
// (ThresholdFile), written atomically, so run.json stays as training wrote it.
package report
