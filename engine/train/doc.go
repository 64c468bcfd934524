// Package train runs a training job: it splits the rows with a validation
// scheme (package validate), and for every fold fits the feature preparation
// on the fold's training rows only, fits the model (reporting its learning
// curve through models.Recorder), predicts the held-out rows and scores them
// with package metrics; then it aggregates every metric as mean ± std over
// the folds, keeps the out-of-fold predictions, and fits the final model on
// all rows.
//
//	res, err := train.Run(ctx, train.Job{Frame: f, Target: "churn", Model: "gbdt",
//		Validation: validate.Spec{Scheme: validate.StratifiedKFold, K: 5}, Seed: 1, Final: true})
//	res.Metrics[0].Mean, res.Metrics[0].Std
//
// # Defaults
//
// The zero Validation is resolved by DefaultSpec: 5-fold stratified k-fold
// for classification, 5-fold (unshuffled) k-fold for regression and
// clustering — scikit-learn's cross_val_score default (cv=5). The seed of
// every fold's model and of the final model is Job.Seed (a random_state in
// Params wins), so the same inputs and seed give identical metrics and an
// identical model file.
//
// # Metrics
//
// Classification: accuracy, balanced_accuracy, f1, roc_auc, log_loss,
// precision, recall, pr_auc (average precision), mcc, brier for a binary
// target (f1, precision and recall of the positive class, the second of the
// sorted labels, as scikit-learn's pos_label=1 for 0/1 labels; roc_auc from
// its probability); for a multiclass target f1 is the macro F1 over the
// classes present and roc_auc the macro one-vs-rest AUC, plus f1_weighted and
// mcc. Regression: rmse, mae, r2, mape. Clustering (kmeans): inertia, the
// mean squared distance of held-out rows to their nearest centre. Every
// definition is scikit-learn's (package metrics). A metric undefined on a
// fold (roc_auc on a fold with one class) is NaN there; Mean and Std are
// over the folds where it is defined (NaN when it is defined on none), and a
// warning says so. Std is the population standard deviation over folds
// (ddof = 0, numpy's default, as users print scores.std() after
// cross_val_score).
//
// # Bootstrap
//
// With the bootstrap scheme the folds are resamples scored out-of-bag; the
// Mean of a metric is the average out-of-bag value (Efron's Err(1), per
// resample rather than per row), and Estimates add, per metric, the apparent
// value (final model on all rows), the .632 estimate and the .632+ estimate
// (Efron & Tibshirani 1997). On the loss scale ℓ (1 − m for a metric whose
// best value is 1, m itself for a loss):
//
//	ℓ.632  = 0.368·ℓ_app + 0.632·ℓ_oob
//	γ      = the no-information loss (predictions independent of the labels)
//	ℓ'     = min(ℓ_oob, γ)
//	R      = (ℓ' − ℓ_app)/(γ − ℓ_app) when ℓ' > ℓ_app and γ > ℓ_app, else 0
//	w      = 0.632/(1 − 0.368·R)
//	ℓ.632+ = (1 − w)·ℓ_app + w·ℓ'
//
// γ has a closed form per metric: accuracy Σ p_k q_k (p: label shares, q:
// predicted shares), balanced accuracy 1/K, binary F1 2pq/(p+q) (macro F1
// averages it over classes), roc_auc 0.5, pr_auc and precision p, recall
// q, mcc 0, Brier p − 2p·s̄ + mean(s²), log loss −Σ_k p_k·mean_j log P_jk,
// MSE mean(y²) − 2ȳ·ŷ̄ + mean(ŷ²) (rmse its root, r2 1 − MSE_γ/var y), MAE
// and MAPE as exact means over all n² pairs (O(n log n) with sorted
// predictions and prefix sums).
//
// # Out-of-fold predictions
//
// Every held-out row's prediction is kept with its fold: once per row for
// k-fold schemes, once per row and repeat for repeated k-fold, the test
// rows only for holdout and time series, the supplied test set's rows for a
// test set, and for the bootstrap each row's average out-of-bag prediction
// (mean probability or value over the resamples that left it out; fold −1;
// rows never left out are absent).
//
// # Features
//
// Job.Prep turns frame rows into a model matrix and is fitted on the
// training rows of each fold. The default, Raw, takes numeric, bool,
// datetime and categorical columns as models.FromFrame does (categorical
// levels matched by name in a supplied test set, unseen levels missing) and
// refuses string columns naming them. Pipeline runs a feature pipeline
// (package features; by default features.DefaultPipeline: drop constant,
// identifier-like and free-text columns, impute, one-hot or frequency
// encode, date parts), fitted anew on each fold's training rows; the final
// fitted pipeline is Result.FinalPrep, which a run saves as pipeline.json
// and PreparedPipeline restores. Pipeline.Outputs keeps only selected
// outputs of the pipeline (constructed features), and RestrictPipeline fits
// a pipeline saved for every column to a selection of them. mlwb train and
// the Train screen choose the preparation by a PrepMode (auto, saved,
// default, raw) through workspace.ResolvePrep, which reads the pipeline and
// selection saved on the Features screen. With the gbdt early_stopping_rounds
// parameter set, the held-out fold is not given to the model as its
// validation set (it would choose the number of rounds on the rows it is
// scored on); the model then holds out its own validation_fraction.
package train
