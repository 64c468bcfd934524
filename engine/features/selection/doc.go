// Package selection scores every feature of a frame against a target and
// selects a subset of them.
//
// Score computes, per feature and in parallel over features: variance,
// missing ratio, Pearson and Spearman correlation, mutual information (the
// k-NN estimators of Kraskov et al. and Ross for continuous features, exact
// from the contingency table for discrete ones, as scikit-learn's
// mutual_info_classif/mutual_info_regression with n_neighbors = 3), χ² and
// ANOVA F with p-values (scikit-learn's chi2, f_classif, f_regression),
// random-forest impurity importance, L1 (lasso or L1-logistic) coefficients
// and permutation importance; and the redundant pairs (|Pearson| above a
// threshold). Model-based scores are fitted on a seeded sample of rows
// (Options.ModelRows): a forest of Options.Trees CART trees of the tree
// model (bootstrap, min_samples_leaf 5, √p features per split for
// classification, splits over the tree model's at most 255 bins per
// feature) on four fifths of the sample; permutation importance on the
// other fifth; the L1 model on the whole sample.
//
// For speed, and with the same numbers: the per-feature scores and the
// model-based ones run side by side on Options.Workers goroutines; each
// numeric feature is sorted once (its ranks and the k-NN searches of its
// mutual information share the order); the forest bins the training rows
// once for all its trees (see forest); permutation importance re-routes a
// held-out row only through the trees whose path for it tests a shuffled
// column.
//
// Methods pick features from a Report (TopK, Threshold) or by refitting
// models: RFE (recursive feature elimination on forest importance), SFS and
// SBS (sequential forward and backward selection by cross-validated score).
package selection
