package tune

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/mlwb/mlwb/engine/stats"
)

// Pruner decides whether a running trial should stop after it reported an
// intermediate value. t is that trial (its last Intermediate entry is the
// new value) and trials every trial of the study, t among them, in every
// state. Prune is called with the study locked: it must be quick and must
// neither keep nor modify its arguments.
type Pruner interface {
	Prune(dir Direction, t *TrialResult, trials []TrialResult) bool
}

// Pruners lists the names NewPruner accepts.
func Pruners() []string { return []string{"none", "median", "asha"} }

// NewPruner returns the pruner called name (see Pruners) with its default
// options; "none" returns nil.
func NewPruner(name string) (Pruner, error) {
	switch strings.ToLower(name) {
	case "none", "":
		return nil, nil
	case "median":
		return NewMedian(MedianOptions{}), nil
	case "asha", "sha", "successive-halving":
		return NewASHA(ASHAOptions{}), nil
	}
	return nil, fmt.Errorf("tune: unknown pruner %q (want %s)", name, strings.Join(Pruners(), ", "))
}

// MedianOptions configure the median pruner; the zero value gives
// Optuna's defaults: 5 start-up trials, no warm-up steps.
type MedianOptions struct {
	// StartupTrials: no pruning until this many trials are complete (0: 5;
	// negative: none).
	StartupTrials int
	// WarmupSteps: no pruning at steps below this.
	WarmupSteps int
}

// Median is Optuna's MedianPruner (a PercentilePruner at 50, interval 1,
// n_min_trials 1): trial t is pruned at step s when its best intermediate
// value so far is worse than the median of the values the complete trials
// reported at step s (numpy's linear percentile), or when it is NaN. With
// fewer than StartupTrials complete trials, below WarmupSteps, or when no
// complete trial reported step s, it is not pruned.
type Median struct {
	opt MedianOptions
}

// NewMedian returns a median pruner.
func NewMedian(opt MedianOptions) *Median {
	if opt.StartupTrials == 0 {
		opt.StartupTrials = 5
	}
	return &Median{opt: opt}
}

// Prune implements Pruner.
func (m *Median) Prune(dir Direction, t *TrialResult, trials []TrialResult) bool {
	last, ok := t.Last()
	if !ok || last.Step < m.opt.WarmupSteps {
		return false
	}
	nComplete := 0
	var at []float64
	for i := range trials {
		if trials[i].State != Complete {
			continue
		}
		nComplete++
		if v, ok := trials[i].At(last.Step); ok && !math.IsNaN(v) {
			at = append(at, v)
		}
	}
	if nComplete == 0 || nComplete < m.opt.StartupTrials {
		return false
	}
	best := math.NaN()
	for _, s := range t.Intermediate {
		if !math.IsNaN(s.Value) && (math.IsNaN(best) || dir.better(s.Value, best)) {
			best = s.Value
		}
	}
	if math.IsNaN(best) {
		return true
	}
	if len(at) == 0 {
		return false
	}
	sort.Float64s(at)
	med := stats.Quantile(0.5, at)
	return dir.better(med, best)
}

// ASHAOptions configure asynchronous successive halving; the zero value
// gives Optuna's defaults: reduction factor 4, minimum resource "auto" and
// minimum early-stopping rate 0.
type ASHAOptions struct {
	// MinResource is the step of the first rung. 0 is Optuna's "auto":
	// nothing is pruned until a trial completes; then the minimum resource
	// is fixed at max(⌊L/100⌋, 1), L the largest last step of the complete
	// trials — with boosting iterations as steps, the first rung comes
	// after 1% of the trees rather than after the first one.
	MinResource int
	// ReductionFactor η: one trial in η is promoted at each rung (0: 4).
	ReductionFactor int
	// MinEarlyStoppingRate s shifts the rungs: rung k is at step
	// MinResource·η^(s+k).
	MinEarlyStoppingRate int
}

// ASHA is asynchronous successive halving (Li et al. 2020, "A System for
// Massively Parallel Hyperparameter Tuning", MLSys), as Optuna's
// SuccessiveHalvingPruner: rung k sits at step r·η^(s+k), r the minimum
// resource. When a trial
// first reports a step at or past a rung, its value there is compared with
// the values every other trial (in any state, running ones included)
// recorded at that rung; it goes on only if it is among the best
// ⌊m/η⌋ of those m values (the best one when m < η), and is pruned
// otherwise — without waiting for the rung to fill. A NaN value at a rung
// prunes.
//
// A trial's value at a rung is the one it reported at the first step at or
// past the rung, which is where Optuna records it, so it is derived from
// the intermediate values alone.
type ASHA struct {
	opt ASHAOptions

	mu  sync.Mutex
	min int // the minimum resource; 0 until known (auto)
}

// NewASHA returns an ASHA pruner.
func NewASHA(opt ASHAOptions) *ASHA {
	if opt.MinResource < 0 {
		opt.MinResource = 0
	}
	if opt.ReductionFactor < 2 {
		opt.ReductionFactor = 4
	}
	if opt.MinEarlyStoppingRate < 0 {
		opt.MinEarlyStoppingRate = 0
	}
	return &ASHA{opt: opt, min: opt.MinResource}
}

// minResource returns the minimum resource, estimated from the complete
// trials the first time one is there when it is "auto" (Optuna's
// _estimate_min_resource); 0 while unknown.
func (a *ASHA) minResource(trials []TrialResult) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.min > 0 {
		return a.min
	}
	last := -1
	for i := range trials {
		if trials[i].State != Complete {
			continue
		}
		if s, ok := trials[i].Last(); ok && s.Step > last {
			last = s.Step
		}
	}
	if last >= 0 {
		a.min = max(last/100, 1)
	}
	return a.min
}

// rungStep returns the step of rung k for minimum resource r, saturating
// instead of overflowing.
func rungStep(r, eta, rate, k int) int {
	s := r
	for range rate + k {
		if s > math.MaxInt32 {
			return math.MaxInt
		}
		s *= eta
	}
	return s
}

// Prune implements Pruner.
func (a *ASHA) Prune(dir Direction, t *TrialResult, trials []TrialResult) bool {
	last, ok := t.Last()
	if !ok {
		return false
	}
	r := a.minResource(trials)
	if r == 0 {
		return false
	}
	for k := 0; ; k++ {
		rs := rungStep(r, a.opt.ReductionFactor, a.opt.MinEarlyStoppingRate, k)
		if last.Step < rs {
			return false
		}
		first, _ := t.firstAtOrAfter(rs)
		if first.Step != last.Step {
			continue // this rung was passed at an earlier report
		}
		if math.IsNaN(last.Value) {
			return true
		}
		comp := []float64{last.Value}
		for i := range trials {
			o := &trials[i]
			if o.Number == t.Number {
				continue
			}
			if s, ok := o.firstAtOrAfter(rs); ok && !math.IsNaN(s.Value) {
				comp = append(comp, s.Value)
			}
		}
		if !promotable(dir, last.Value, comp, a.opt.ReductionFactor) {
			return true
		}
	}
}

// promotable is Optuna's _is_trial_promotable_to_next_rung.
func promotable(dir Direction, v float64, comp []float64, eta int) bool {
	idx := len(comp)/eta - 1
	if idx < 0 {
		idx = 0
	}
	sort.Float64s(comp)
	if dir == Maximize {
		return v >= comp[len(comp)-1-idx]
	}
	return v <= comp[idx]
}
