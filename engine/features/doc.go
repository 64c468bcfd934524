// Package features builds design matrices from frames: a Pipeline is an
// ordered list of transforms (imputation, scaling, encoding, construction,
// extraction) that is fitted on the training rows only and then applied,
// identically and row by row, to validation, test and serving rows.
//
// # Fitting and applying
//
//	p := features.Pipeline{Version: 1, Steps: []features.Spec{
//		{Transform: "impute", Params: map[string]any{"strategy": "median", "indicator": true}},
//		{Transform: "onehot", Columns: []string{"city"}, Params: map[string]any{"max_levels": 10}},
//		{Transform: "standard_scale"},
//	}}
//	fitted, err := p.Fit(ctx, f, "churn", trainRows)
//	X, names, err := fitted.Matrix(ctx, f.Take(testRows))
//
// Each step learns its statistics (means, levels, λ, components…) from the
// output of the previous step over the training rows; the Fitted pipeline
// holds them all and is saved as versioned, indented JSON (see Fitted), so a
// serving process applies exactly what training learned. A step whose
// Columns is empty takes every column of the types it handles (numbers for
// scalers, categorical and string columns for encoders, …), resolved at fit
// time and recorded in the fitted step. The target column is never an input.
//
// # Unseen values
//
// Applying a fitted pipeline never fails on data: an unseen category is the
// "unknown" level of its encoder (no one-hot column set, or the rare column
// when one was learned; ordinal −1; frequency 0; target encoding the prior),
// a missing value where training had none is imputed by a fitted imputer or
// stays missing (NaN) and is passed on, and values outside a transform's
// domain (log1p of x ≤ −1, sqrt of x < 0, Box-Cox of x ≤ 0, a ratio over 0)
// become missing. A column that is absent or of an incompatible type is an
// error naming the step and the column.
//
// # Transforms
//
// Imputation: impute (strategy mean, median, most_frequent or constant,
// optional missing-indicator columns), knn_impute (scikit-learn's KNNImputer).
// Scaling: standard_scale, minmax_scale, robust_scale, maxabs_scale.
// Encoding: onehot (rare levels grouped, a cap on levels), ordinal,
// frequency, target (m-estimate smoothing, out-of-fold on the training rows).
// Construction: interactions, poly2, ratio, difference, log1p, sqrt, boxcox,
// yeojohnson, quantile_bin, uniform_bin, date_parts, text_length, formula,
// drop. Extraction: pca. Transforms() lists them with their parameters.
package features
