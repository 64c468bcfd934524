// Package profile computes an exploratory profile of a frame: per-column
// summaries (counts, moments, quantiles, histograms, top values, lengths,
// ranges), correlation matrices, associations with a target, duplicate rows
// and data-quality alerts, with the numbers and alert rules of pandas and
// ydata-profiling (see the Alert kinds for the exact rules and thresholds).
//
// Profile works column by column on a pool of GOMAXPROCS workers and reports
// each column through Options.Progress as it finishes, then computes the
// correlations (capped to the first Options.MaxCorrelationColumns numeric and
// categorical columns, so that a table of 10 000 columns stays tractable),
// the duplicate rows and the alerts. Report.MarshalJSON writes the stable
// JSON document of the command-line interface, with null for NaN and ±Inf.
package profile
