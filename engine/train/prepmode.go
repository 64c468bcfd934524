package train

import (
	"fmt"
	"slices"

	"github.com/mlwb/mlwb/engine/features"
)

// PrepMode is how a run's feature preparation is chosen (mlwb train
// --pipeline, the Train screen's pipeline field).
type PrepMode int

// The modes. The zero value is PrepAuto.
const (
	// PrepAuto is the pipeline saved for the dataset (Features screen or
	// mlwb features) when there is one, else the default pipeline.
	PrepAuto PrepMode = iota
	// PrepSaved is the saved pipeline; having none is an error.
	PrepSaved
	// PrepDefault is the default pipeline (features.DefaultPipeline).
	PrepDefault
	// PrepRaw is no pipeline: numbers and category codes as they are (Raw).
	PrepRaw
)

// PrepModes lists the modes in the order the Train screen cycles them.
var PrepModes = []PrepMode{PrepAuto, PrepSaved, PrepDefault, PrepRaw}

var prepModeNames = []string{"auto", "saved", "default", "raw"}

// String returns "auto", "saved", "default" or "raw".
func (m PrepMode) String() string {
	if m < 0 || int(m) >= len(prepModeNames) {
		return fmt.Sprintf("PrepMode(%d)", int(m))
	}
	return prepModeNames[m]
}

// ParsePrepMode parses a mode name; "" is PrepAuto.
func ParsePrepMode(s string) (PrepMode, error) {
	if s == "" {
		return PrepAuto, nil
	}
	if i := slices.Index(prepModeNames, s); i >= 0 {
		return PrepMode(i), nil
	}
	return PrepAuto, fmt.Errorf("%w: pipeline %q: want auto, saved, default or raw", ErrJob, s)
}

// RestrictPipeline returns p without the columns in unused (input columns
// left out of the job's features: not selected, excluded, the target):
// they are removed from every step's Columns, and a step that named
// columns and has none left, or too few for its transform (ratio of one
// column), is removed. Steps naming no column (every
// column of their type) stay, as do names an earlier step makes. This is
// how a pipeline saved for all columns applies to a selection of them.
func RestrictPipeline(p features.Pipeline, unused []string) features.Pipeline {
	drop := make(map[string]bool, len(unused))
	for _, c := range unused {
		drop[c] = true
	}
	out := features.Pipeline{Version: p.Version, Steps: make([]features.Spec, 0, len(p.Steps))}
	for _, s := range p.Steps {
		if len(s.Columns) == 0 {
			out.Steps = append(out.Steps, s)
			continue
		}
		cols := slices.DeleteFunc(slices.Clone(s.Columns), func(c string) bool { return drop[c] })
		if len(cols) == 0 {
			continue
		}
		if len(cols) < len(s.Columns) {
			s.Columns = cols
			if (features.Pipeline{Steps: []features.Spec{s}}).Validate() != nil {
				continue
			}
		}
		out.Steps = append(out.Steps, s)
	}
	return out
}
