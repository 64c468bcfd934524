package tune

import (
	"context"
	"fmt"
	"math"

	"github.com/mlwb/mlwb/engine/train"
)

// TrainObjective is the objective of tuning a model of engine/train: a trial
// fits Job's model with the trial's parameters (train.Run) and its value is
// the mean of Metric over the validation folds.
//
// Intermediate values go to Trial.Report so that a pruner can stop a trial
// early:
//
//   - with one validation fold (a holdout or a supplied test set) and a
//     model that reports a validation loss per iteration (gbdt: log loss for
//     classifiers, squared error for regression), the loss after boosting
//     iteration i at step i, negated when Metric is better higher — so that
//     intermediate values always improve in the study's direction;
//   - otherwise, after fold k, the running mean of Metric over folds 0..k at
//     step k.
//
// A pruned trial's training is cancelled at once (train.Run stops at the
// next boosting iteration or fold) and the objective returns ErrPruned.
type TrainObjective struct {
	// Job is every trial's training job but for Params and Progress, which
	// are set per trial: the data, target, task, model, seed, validation and
	// feature preparation. Prep, when set, is shared by concurrent trials.
	Job train.Job
	// Metric is the metric to optimise, one of train.MetricNames of the
	// task.
	Metric string
	// Progress, when not nil, is told of every event of every trial's run
	// (from the trial's goroutine).
	Progress func(t *Trial, ev train.Event)
}

// Direction returns the direction of o.Metric.
func (o TrainObjective) Direction() Direction {
	if train.HigherIsBetter(o.Metric) {
		return Maximize
	}
	return Minimize
}

// Objective returns o as an Objective.
func (o TrainObjective) Objective() Objective {
	sign := o.Direction().sign()
	return func(ctx context.Context, t *Trial) (float64, error) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		var (
			sum     float64
			n       int
			perIter bool // intermediate values are iterations, not folds
			pruned  bool
		)
		report := func(step int, v float64) {
			if t.Report(step, v) {
				pruned = true
				cancel()
			}
		}
		job := o.Job
		job.Params = t.Text()
		job.Progress = func(ev train.Event) {
			if o.Progress != nil {
				o.Progress(t, ev)
			}
			if pruned || ev.Fold < 0 {
				return
			}
			switch ev.Phase {
			case train.Iteration:
				if ev.Folds == 1 && !math.IsNaN(ev.ValidLoss) && !math.IsInf(ev.ValidLoss, 0) {
					perIter = true
					report(ev.Iter, sign*ev.ValidLoss)
				}
			case train.FoldDone:
				v, ok := ev.Metrics[o.Metric]
				if perIter || !ok || math.IsNaN(v) {
					return
				}
				sum += v
				n++
				report(ev.Fold, sum/float64(n))
			}
		}
		res, err := train.Run(ctx, job)
		if pruned {
			return 0, ErrPruned
		}
		if err != nil {
			return 0, err
		}
		m, ok := res.Metric(o.Metric)
		if !ok {
			return 0, fmt.Errorf("the run has no metric %s", o.Metric)
		}
		if math.IsNaN(m.Mean) {
			return 0, fmt.Errorf("%s is undefined on every fold", o.Metric)
		}
		return m.Mean, nil
	}
}
