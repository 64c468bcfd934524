package selection

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"time"
)

// SelectionFormat is the "format" field of a saved selection.
const SelectionFormat = "mlwb-selection"

// Selection is a saved choice of features, as written to
// features/selections/<name>.json in a workspace:
//
//	{"format": "mlwb-selection", "version": 1, "name": "top10",
//	 "dataset": "customers@2", "target": "churn", "task": "binary",
//	 "method": "topk", "by": "mutual_info", "k": 10,
//	 "features": ["tenure", ...],
//	 "scores": {"tenure": {"mutual_info": 0.21, ...}, ...},
//	 "steps": [{"feature": "age", "score": 0.81}], "created": "..."}
//
// Scores holds every feature's scores (NaN left out); Steps the
// elimination or search path of rfe, sfs and sbs.
type Selection struct {
	Format   string                        `json:"format"`
	Version  int                           `json:"version"`
	Name     string                        `json:"name"`
	Dataset  string                        `json:"dataset"`
	Target   string                        `json:"target"`
	Task     string                        `json:"task"`
	Method   string                        `json:"method"`
	By       string                        `json:"by,omitempty"`
	K        int                           `json:"k,omitempty"`
	Min      *float64                      `json:"min,omitempty"`
	Features []string                      `json:"features"`
	Scores   map[string]map[string]float64 `json:"scores"`
	Steps    []StepResult                  `json:"steps,omitempty"`
	Created  time.Time                     `json:"created"`
}

// ScoreTable returns every feature's finite scores by name, for a Selection.
func (r *Report) ScoreTable() map[string]map[string]float64 {
	out := map[string]map[string]float64{}
	for _, f := range r.Features {
		m := map[string]float64{}
		for _, n := range append(ScoreNames, "chi2_p", "anova_p") {
			if v := f.Get(n); !math.IsNaN(v) && !math.IsInf(v, 0) {
				m[n] = v
			}
		}
		out[f.Name] = m
	}
	return out
}

// Write writes the selection as indented JSON.
func (s *Selection) Write(w io.Writer) error {
	s.Format, s.Version = SelectionFormat, 1
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("selection: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// ReadSelection reads a selection written by Write.
func ReadSelection(r io.Reader) (*Selection, error) {
	var s Selection
	if err := json.NewDecoder(r).Decode(&s); err != nil {
		return nil, fmt.Errorf("selection: %w", err)
	}
	if s.Format != SelectionFormat {
		return nil, fmt.Errorf("selection: not a saved selection (format %q)", s.Format)
	}
	if s.Version > 1 {
		return nil, fmt.Errorf("selection: version %d is newer than this mlwb reads (1): upgrade mlwb", s.Version)
	}
	return &s, nil
}
