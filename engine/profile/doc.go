// Package profile computes an exploratory profile of a frame: per-column
// summaries (counts, moments, quantiles, histograms, top values, lengths,
// ranges), correlation matrices, associations with a target, duplicate rows
// and data-quality alerts, with the numbers of pandas/numpy/scipy and the
// alert defaults of ydata-profiling 4.x.
//
// # Work plan
//
// Profile runs one task per column (plus one for duplicate rows) on a pool
// of Options.Workers goroutines (GOMAXPROCS by default) and hands each
// column's report to Options.Progress as it finishes. Each numeric column is
// read twice in row order (counts, sums, monotonicity and missing rows; the
// central moments) and sorted once by stats.SortRanks, which also yields the
// distinct count and the ranks used by Spearman's ρ (twice the average rank,
// as uint32: 4 bytes a row); quantiles, the MAD, the histogram counts and
// the outlier counts are then binary searches on the sorted values. The sort
// scratch (12 bytes a row) is one set per worker, handed from column to
// column, so the memory beyond the frame is about workers × 12 bytes + 4
// bytes per numeric column and row. The correlation matrices are then
// computed with blocked, branch-free dot products over pairwise-complete
// rows, each block of each column centred into a per-worker buffer (no
// centred copies), capped to the first Options.MaxCorrelationColumns (200)
// numeric and categorical columns, so a table of 10 000 columns profiles
// without building 10⁸-entry matrices.
// Categorical columns with more than MaxCategoricalLevels (100) distinct
// values stay out of Cramér's V, η and the target associations.
//
// # Alerts
//
// Shares are of all rows unless said otherwise; "text" means categorical and
// string columns.
//
//	EMPTY                 the frame has no rows (column ""), or a column has no values
//	DUPLICATES            at least one row equals an earlier one (column ""; value = count)
//	MISSING               missing share > 1 %
//	CONSTANT              exactly one distinct value
//	UNIQUE                all values distinct, more than one value
//	ZEROS                 numeric, zero share > 1 %
//	INFINITE              numeric, ±Inf share > 1 %
//	SKEWED                numeric, |skewness| > 20
//	UNIFORM               χ² goodness of fit to uniform p > 0.999: histogram counts
//	                      (numeric) or value counts (text)
//	OUTLIERS              numeric, > 1 % of values outside Tukey's fences
//	                      [Q1 − 1.5·IQR, Q3 + 1.5·IQR] (when IQR > 0), or > 0.5 % with
//	                      modified z |0.6745(x − median)/MAD| > 3.5 (when MAD > 0);
//	                      finite values only; value = fence count
//	HIGH_CARDINALITY      text, > 50 distinct values
//	IMBALANCE             text or bool, 1 − entropy/log₂k > 0.5; and on a
//	                      categorical, bool or ≤ 100-valued int target whose rarest
//	                      class is < 10 % of its values
//	CONSTANT_LENGTH       text with > 1 distinct value, all of one length (runes)
//	HIGH_CORRELATION      |Pearson| or |Spearman|, Cramér's V or η ≥ the threshold
//	                      (Options.CorrelationThreshold, default 0.5) with another
//	                      column; one alert per column listing up to 10 partners
//	TYPE_DATE             text whose examined distinct values all parse as dates
//	UNSUPPORTED           text mixing numbers (≥ 10 % of values) with text
//	INCONSISTENT_CATEGORY text values equal after trimming, folding white space and
//	                      case and removing accents (NFD, drop Mn); value = groups
//	PII                   ≥ 50 % of a text column's values are one kind of e-mail
//	                      address, phone number, IPv4/IPv6 address, Luhn-valid card
//	                      number or mod-97-valid IBAN
//	LEAKAGE               with a target: |Pearson|, η or Cramér's V ≥ 0.95; or mutual
//	                      information ≥ 0.95 of the target's entropy (numeric
//	                      features binned by their histogram, text features with
//	                      ≤ 50 non-unique values); or a ≤ 50-level categorical
//	                      feature whose levels are ≥ 99 % pure in a categorical target
//
// The text checks (TYPE_DATE, UNSUPPORTED, INCONSISTENT_CATEGORY, PII) look
// at the first 10 000 distinct values, weighted by their counts.
//
// # JSON
//
// Report.MarshalJSON writes the stable document of the command-line
// interface, described on that method, with null for NaN and ±Inf.
package profile
