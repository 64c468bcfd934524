package tune

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Direction says whether the study minimises or maximises the objective.
type Direction int

const (
	// Minimize looks for the smallest objective value (the zero value).
	Minimize Direction = iota
	// Maximize looks for the largest.
	Maximize
)

// String returns "minimize" or "maximize".
func (d Direction) String() string {
	if d == Maximize {
		return "maximize"
	}
	return "minimize"
}

// ParseDirection reads "minimize"/"min" or "maximize"/"max".
func ParseDirection(s string) (Direction, error) {
	switch strings.ToLower(s) {
	case "minimize", "min", "":
		return Minimize, nil
	case "maximize", "max":
		return Maximize, nil
	}
	return Minimize, fmt.Errorf("tune: unknown direction %q (want minimize or maximize)", s)
}

// MarshalText writes the String form.
func (d Direction) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads what ParseDirection reads.
func (d *Direction) UnmarshalText(b []byte) error {
	v, err := ParseDirection(string(b))
	*d = v
	return err
}

// better reports whether a is strictly better than b (NaN is never better).
func (d Direction) better(a, b float64) bool {
	if d == Maximize {
		return a > b
	}
	return a < b
}

// sign is +1 for Minimize and −1 for Maximize, so that sign·value is a loss.
func (d Direction) sign() float64 {
	if d == Maximize {
		return -1
	}
	return 1
}

// State is where a trial is in its life.
type State int

const (
	// Running trials have started and not finished.
	Running State = iota
	// Complete trials returned a value.
	Complete
	// Pruned trials were stopped early by the pruner.
	Pruned
	// Failed trials returned an error, panicked, were cancelled or were
	// interrupted by the end of the process; Err says which.
	Failed
)

// String returns "running", "complete", "pruned" or "failed".
func (s State) String() string {
	switch s {
	case Running:
		return "running"
	case Complete:
		return "complete"
	case Pruned:
		return "pruned"
	case Failed:
		return "failed"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

func parseState(s string) (State, error) {
	for st := Running; st <= Failed; st++ {
		if st.String() == s {
			return st, nil
		}
	}
	return Failed, fmt.Errorf("unknown state %q", s)
}

// Step is an intermediate value reported at a step (a boosting iteration, a
// CV fold).
type Step struct {
	Step  int
	Value float64
}

// TrialResult is a trial as the study records it.
type TrialResult struct {
	Number int
	State  State
	Params Params
	// Value is the objective value of a Complete trial, the last
	// intermediate value of a Pruned one (NaN when it reported none) and NaN
	// otherwise.
	Value float64
	// Intermediate holds the reported values in increasing step order.
	Intermediate []Step
	// Err is the error of a Failed trial.
	Err      string
	Start    time.Time
	Duration time.Duration
	// Attrs is state a sampler kept with the trial (e.g. a CMA-ES generation).
	Attrs map[string]string
}

// Last returns the last reported intermediate value.
func (r *TrialResult) Last() (Step, bool) {
	if len(r.Intermediate) == 0 {
		return Step{}, false
	}
	return r.Intermediate[len(r.Intermediate)-1], true
}

// At returns the intermediate value reported at step.
func (r *TrialResult) At(step int) (float64, bool) {
	iv := r.Intermediate
	i := sort.Search(len(iv), func(i int) bool { return iv[i].Step >= step })
	if i < len(iv) && iv[i].Step == step {
		return iv[i].Value, true
	}
	return math.NaN(), false
}

// firstAtOrAfter returns the first intermediate value at a step ≥ step.
func (r *TrialResult) firstAtOrAfter(step int) (Step, bool) {
	iv := r.Intermediate
	i := sort.Search(len(iv), func(i int) bool { return iv[i].Step >= step })
	if i < len(iv) {
		return iv[i], true
	}
	return Step{}, false
}

// ErrPruned is returned by an objective that stopped because Report said
// so; the trial is then recorded as Pruned.
var ErrPruned = errors.New("tune: trial pruned")

// Trial is the handle an objective gets: the parameters to try and Report
// for intermediate values.
type Trial struct {
	// Number is the trial's number in the study, from 0, never reused.
	Number int
	// Params holds the values of the active parameters.
	Params Params
	space  *Space
	seed   uint64
	study  *Study
	pruned bool
}

// Has reports whether the parameter is active in this trial.
func (t *Trial) Has(name string) bool { _, ok := t.Params[name]; return ok }

// Float returns the value of a numeric parameter (0 when inactive).
func (t *Trial) Float(name string) float64 { return t.Params[name].Num }

// Int returns the value of an integer parameter (0 when inactive).
func (t *Trial) Int(name string) int { return int(t.Params[name].Num) }

// Cat returns the choice of a categorical parameter ("" when inactive).
func (t *Trial) Cat(name string) string { return t.Params[name].Str }

// Text returns the parameters formatted for models.New.
func (t *Trial) Text() map[string]string { return t.space.Text(t.Params) }

// Seed returns a seed for the objective's own randomness (a model's
// random_state), derived from the study seed and the trial number.
func (t *Trial) Seed() uint64 { return t.seed }

// Report records an intermediate value at step and returns true when the
// pruner says the trial should stop; the objective should then return
// ErrPruned (a trial told to stop is recorded as Pruned whatever it
// returns, unless it fails). Steps must increase: a step not above the last
// reported one is ignored, as is a call after the trial was told to stop.
func (t *Trial) Report(step int, value float64) (prune bool) {
	if t.study == nil {
		return false
	}
	return t.study.report(t, step, value)
}
