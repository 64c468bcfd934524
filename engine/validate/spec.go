package validate

import (
	"fmt"
	"strconv"
)

// Defaults used where a Spec field is zero.
const (
	DefaultK        = 5   // folds
	DefaultRepeats  = 3   // repeats of RepeatedStratifiedKFold
	DefaultFraction = 0.2 // holdout test fraction
	DefaultB        = 100 // bootstrap resamples
)

// Spec is a validation scheme with its settings. Zero fields mean the
// defaults above; the zero Spec is unshuffled 5-fold.
type Spec struct {
	Scheme Scheme `json:"scheme"`
	// K is the number of folds (k-fold schemes) or splits (time series).
	K int `json:"k,omitempty"`
	// Repeats is the number of repeats of RepeatedStratifiedKFold.
	Repeats int `json:"repeats,omitempty"`
	// Fraction is the holdout's test fraction, in (0, 1).
	Fraction float64 `json:"fraction,omitempty"`
	// Stratify keeps class proportions in a holdout.
	Stratify bool `json:"stratify,omitempty"`
	// Shuffle permutes rows before cutting k folds.
	Shuffle bool `json:"shuffle,omitempty"`
	// B is the number of bootstrap resamples.
	B int `json:"b,omitempty"`
	// Seed seeds every random choice.
	Seed uint64 `json:"seed"`
	// Group and Time name the group column (GroupKFold) and the time column
	// (TimeSeriesSplit), for the record; the values come in Data.
	Group string `json:"group,omitempty"`
	Time  string `json:"time,omitempty"`
	// Test names the supplied test set (TestSet), for the record.
	Test string `json:"test,omitempty"`
}

// Data is what a scheme may need besides the number of rows.
type Data struct {
	// Classes is the class of each row (stratified schemes).
	Classes []int
	// Groups is the group of each row (GroupKFold).
	Groups []int
	// Time is the time of each row (TimeSeriesSplit).
	Time []float64
}

// Normalized returns s with defaults filled in.
func (s Spec) Normalized() Spec {
	if s.K == 0 {
		s.K = DefaultK
	}
	if s.Scheme == RepeatedStratifiedKFold && s.Repeats == 0 {
		s.Repeats = DefaultRepeats
	}
	if s.Scheme == Holdout && s.Fraction == 0 {
		s.Fraction = DefaultFraction
	}
	if s.Scheme == Bootstrap && s.B == 0 {
		s.B = DefaultB
	}
	switch s.Scheme {
	case Holdout, Bootstrap, TestSet:
		s.K = 0
	}
	return s
}

// String describes the scheme for people: "stratified 5-fold",
// "holdout 20%", "bootstrap ×100 (out-of-bag)", ...
func (s Spec) String() string {
	s = s.Normalized()
	shuf := ""
	if s.Shuffle {
		shuf = ", shuffled"
	}
	switch s.Scheme {
	case KFold:
		return fmt.Sprintf("%d-fold%s", s.K, shuf)
	case StratifiedKFold:
		return fmt.Sprintf("stratified %d-fold%s", s.K, shuf)
	case RepeatedStratifiedKFold:
		return fmt.Sprintf("%d× stratified %d-fold", s.Repeats, s.K)
	case GroupKFold:
		return fmt.Sprintf("group %d-fold by %s", s.K, s.Group)
	case TimeSeriesSplit:
		return fmt.Sprintf("time-series %d splits by %s", s.K, s.Time)
	case Holdout:
		st := ""
		if s.Stratify {
			st = "stratified "
		}
		return st + "holdout " + strconv.FormatFloat(s.Fraction*100, 'g', 4, 64) + "%"
	case Bootstrap:
		return fmt.Sprintf("bootstrap ×%d (out-of-bag)", s.B)
	case TestSet:
		if s.Test != "" {
			return "test set " + s.Test
		}
		return "test set"
	}
	return s.Scheme.String()
}

// Folds makes the folds of n rows. For TestSet it returns one fold that
// trains on every row and tests none: the caller supplies the test rows.
// Warnings explain legal but doubtful splits (a class smaller than k).
func (s Spec) Folds(n int, d Data) ([]Fold, []string, error) {
	s = s.Normalized()
	var warn []string
	needClasses := func() error {
		if len(d.Classes) != n {
			return fmt.Errorf("%w: %s needs a class per row (a classification target)", ErrSplit, s.Scheme)
		}
		if w := MinClassWarning(d.Classes, s.K); w != "" {
			warn = append(warn, w)
		}
		return nil
	}
	var folds []Fold
	var err error
	switch s.Scheme {
	case KFold:
		folds, err = KFolds(n, s.K, s.Shuffle, s.Seed)
	case StratifiedKFold:
		if err = needClasses(); err == nil {
			folds, err = StratifiedKFolds(d.Classes, s.K, s.Shuffle, s.Seed)
		}
	case RepeatedStratifiedKFold:
		if err = needClasses(); err == nil {
			folds, err = RepeatedStratifiedKFolds(d.Classes, s.K, s.Repeats, s.Seed)
		}
	case GroupKFold:
		if len(d.Groups) != n {
			return nil, nil, fmt.Errorf("%w: group k-fold needs a group per row", ErrSplit)
		}
		folds, err = GroupKFolds(d.Groups, s.K)
	case TimeSeriesSplit:
		if len(d.Time) != n {
			return nil, nil, fmt.Errorf("%w: a time-series split needs a time per row", ErrSplit)
		}
		var order []int
		if order, err = TimeOrder(d.Time); err == nil {
			folds, err = TimeSeriesFolds(order, s.K)
		}
	case Holdout:
		var f Fold
		if s.Stratify && d.Classes != nil {
			f, err = StratifiedHoldoutSplit(d.Classes, s.Fraction, s.Seed)
		} else {
			f, err = HoldoutSplit(n, s.Fraction, s.Seed)
		}
		folds = []Fold{f}
	case Bootstrap:
		folds, err = BootstrapResamples(n, s.B, s.Seed)
	case TestSet:
		all := make([]int, n)
		for i := range all {
			all[i] = i
		}
		folds = []Fold{{Train: all}}
	default:
		err = fmt.Errorf("%w: unknown scheme %d", ErrSplit, int(s.Scheme))
	}
	if err != nil {
		return nil, nil, err
	}
	return folds, warn, nil
}
