// Package tune searches hyperparameters: a search space, samplers that
// propose trials (grid, random, TPE, CMA-ES), pruners that stop poor trials
// early on their intermediate values (median, asynchronous successive
// halving), and studies that run trials on a worker pool and keep them in
// an append-only log.
//
// A Space is an ordered list of parameters — Int, Float (either on a log
// scale or a step) and Categorical — each optionally conditional on an
// earlier categorical one. Its text form, one parameter a line, is what
// users edit (see Parse):
//
//	n_estimators: int 50..500 log
//	learning_rate: float 1e-3..0.3 log
//	max_depth: int 2..12
//	penalty: cat l2|l1|elasticnet
//	l1_ratio: float 0..1 if penalty=elasticnet
//
// An Objective gets a *Trial (its Params, Report for intermediate values)
// and returns the value; a Study runs it with Optimize(ctx, obj, nTrials,
// jobs, onTrial). Trials end Complete, Pruned or Failed (with the error
// text); a failing trial never stops the study. TrainObjective is the
// objective of tuning a model of engine/train (mlwb tune and the Tune
// screen): it reports gbdt's validation loss per boosting iteration on a
// holdout, the running mean of the metric per fold otherwise.
//
// A study opened with Open lives in a folder: the trial log trials.jsonl
// (one JSON object per line and event — start with params, step with an
// intermediate value, end with state, value, duration and error — fsync'd
// at each start and end) and a lock file. Killing the process loses only
// the trials that were running: on the next Open they are recorded as
// failed ("interrupted"), a torn last line is cut, and numbering goes on.
// A second Open of the same folder, in any process, fails with an
// *InUseError naming the holder's pid and start time. The package does not
// depend on the workspace: callers pass the folder (studies/<id>/ in a
// workspace).
//
// Reproducibility: every trial draws from its own PCG generator seeded by
// (study seed, trial number); with one job and a seed a study is the same
// bit for bit.
package tune
