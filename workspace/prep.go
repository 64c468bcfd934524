package workspace

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mlwb/mlwb/engine/features"
	"github.com/mlwb/mlwb/engine/features/selection"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/train"
)

// NoSelection is the PrepRequest.Selection that uses every column even
// when a selection is saved (mlwb train --selection none).
const NoSelection = "none"

// PrepRequest asks ResolvePrep for the feature preparation of a training
// run. The zero Mode is train.PrepAuto.
type PrepRequest struct {
	// Mode is the preparation asked for.
	Mode train.PrepMode
	// Dataset is the workspace dataset trained on ("customers" or
	// "customers@2"); "" for a data file, which has no saved pipeline or
	// selection (auto is then the default pipeline).
	Dataset string
	// Frame is the training data, Target the column to predict.
	Frame  *frame.Frame
	Target string
	// Features are the columns the user named; nil means none were named:
	// the saved selection, or every column.
	Features []string
	// Selection names a saved selection (features/selections/NAME.json);
	// NoSelection uses every column; "" the newest saved selection for the
	// dataset and target, if any. Not with Features.
	Selection string
	// Exclude are columns never used as features (--exclude, the group
	// and time columns of the validation).
	Exclude []string
}

// Prep is a resolved feature preparation: which pipeline and which
// features a run uses, and why.
type Prep struct {
	// Mode is what was asked; Resolved what it came to: train.PrepSaved,
	// train.PrepDefault or train.PrepRaw.
	Mode, Resolved train.PrepMode
	// PipelineFile is the saved pipeline (relative to the workspace,
	// "features/pipelines/customers.json") when Resolved is PrepSaved, and
	// Steps the pipeline applied: the saved one without the steps and
	// columns of unused columns (train.RestrictPipeline).
	PipelineFile string
	Steps        *features.Pipeline
	// SelectionFile and Selection are the saved selection used, if any.
	SelectionFile string
	Selection     *selection.Selection
	// Features is train.Job.Features: the selected input columns, or nil
	// (every column but the target and the excluded ones).
	Features []string
	// Outputs are the selected constructed features (train.Pipeline.Outputs)
	// when the selection names columns the pipeline makes.
	Outputs []string
	// Notes say what was chosen and what was passed over, one line each
	// (mlwb train prints them on stderr).
	Notes []string
}

// ResolvePrep decides the feature preparation of a run on req.Frame, for
// mlwb train and the Train screen alike. w is the workspace (nil for a
// scratch run on a file).
//
// Pipeline: auto uses the pipeline saved for the dataset on the Features
// screen (features/pipelines/<dataset>.json) when there is one, else the
// default pipeline; saved requires it; default and raw ignore it.
//
// Features: the named ones; else the saved selection (Selection, or the
// newest one made on the dataset for this target — by "mlwb features
// --select" or the Features screen); else every column. A selection for
// another target is an error when named and passed over (with a note)
// otherwise. Every selected name must be a column of the data, or (not
// with raw) a column the pipeline makes — then the pipeline takes every
// column and the model keeps only the selected outputs. A saved pipeline
// is restricted to the features (train.RestrictPipeline).
func ResolvePrep(w *Workspace, req PrepRequest) (*Prep, error) {
	p := &Prep{Mode: req.Mode}
	name := selection.DatasetName(req.Dataset)
	if w == nil {
		name = ""
	}
	var dir string
	if name != "" {
		dir = w.FeaturesDir()
	}
	if req.Features != nil && req.Selection != "" {
		return nil, errors.New("train: give the features or a saved selection, not both")
	}
	if req.Selection != "" && req.Selection != NoSelection && name == "" {
		return nil, fmt.Errorf("train: selection %q: saved selections belong to workspace datasets; this is a file", req.Selection)
	}

	switch req.Mode {
	case train.PrepRaw, train.PrepDefault:
		p.Resolved = req.Mode
	case train.PrepAuto, train.PrepSaved:
		p.Resolved = train.PrepDefault
		if name == "" {
			if req.Mode == train.PrepSaved {
				return nil, errors.New("train: --pipeline saved: a file has no saved pipeline (pipelines are saved per workspace dataset); train a dataset with -w DIR, or use --pipeline default")
			}
			break
		}
		steps, path, err := selection.LoadPipeline(dir, name)
		if err != nil {
			return nil, fmt.Errorf("train: %w (fix it on the Features screen, or use the default pipeline)", err)
		}
		rel := w.rel(path)
		if steps == nil {
			if req.Mode == train.PrepSaved {
				return nil, fmt.Errorf("train: pipeline saved: no pipeline saved for %s: expected %s (save one on the Features screen with w)", name, rel)
			}
			break
		}
		p.Resolved, p.PipelineFile, p.Steps = train.PrepSaved, rel, steps
	default:
		return nil, fmt.Errorf("train: unknown pipeline mode %v", req.Mode)
	}

	sel, err := p.pickSelection(w, dir, name, req)
	if err != nil {
		return nil, err
	}
	excluded := map[string]bool{req.Target: true}
	for _, e := range req.Exclude {
		excluded[e] = true
	}
	feats := req.Features
	if sel != nil {
		p.Selection, p.SelectionFile = sel.Selection, w.rel(sel.Path)
		var missing []string
		for _, c := range sel.Features {
			if c == req.Target {
				return nil, fmt.Errorf("train: selection %s lists the target %q as a feature", p.SelectionFile, c)
			}
			if req.Frame.Index(c) < 0 {
				missing = append(missing, c)
			}
		}
		switch {
		case len(missing) > 0 && p.Resolved == train.PrepRaw:
			return nil, fmt.Errorf("train: selection %s names %s, which %s does not have (a stale selection? choose again on the Features screen, or name the features)", p.SelectionFile, quoteCols(missing), orData(req.Dataset))
		case len(missing) > 0:
			// Constructed features: the pipeline takes every column, the
			// model the selected outputs (checked when the run starts).
			p.Outputs = slices.Clone(sel.Features)
			p.Notes = append(p.Notes, fmt.Sprintf("selection %s names %s, which %s does not have: taken as made by the pipeline (checked before training)", p.SelectionFile, quoteCols(missing), orData(req.Dataset)))
		default:
			feats = slices.Clone(sel.Features)
		}
	}
	if feats != nil {
		for _, c := range feats {
			if req.Frame.Index(c) < 0 {
				return nil, fmt.Errorf("train: no feature column %q in %s", c, orData(req.Dataset))
			}
		}
		p.Features = feats
	}
	if p.Steps != nil {
		inUse := map[string]bool{}
		for _, c := range req.Frame.Names() {
			inUse[c] = !excluded[c] && (feats == nil || slices.Contains(feats, c))
		}
		var unused []string
		for _, c := range req.Frame.Names() {
			if !inUse[c] {
				unused = append(unused, c)
			}
		}
		r := train.RestrictPipeline(*p.Steps, unused)
		if d := len(p.Steps.Steps) - len(r.Steps); d > 0 {
			p.Notes = append(p.Notes, fmt.Sprintf("saved pipeline %s: %d of %d steps apply only to columns left out, skipped", p.PipelineFile, d, len(p.Steps.Steps)))
		}
		p.Steps = &r
	}
	switch p.Resolved {
	case train.PrepSaved:
		p.Notes = append([]string{fmt.Sprintf("using the saved pipeline %s (%s)", p.PipelineFile, stepNames(p.Steps))}, p.Notes...)
	case train.PrepDefault:
		if req.Mode == train.PrepAuto && name != "" {
			p.Notes = append([]string{"no saved pipeline for " + name + ": using the default pipeline"}, p.Notes...)
		}
	}
	return p, nil
}

// pickSelection finds the saved selection to use, or nil.
func (p *Prep) pickSelection(w *Workspace, dir, name string, req PrepRequest) (*selection.Saved, error) {
	if req.Features != nil || req.Selection == NoSelection || name == "" {
		return nil, nil
	}
	if req.Selection != "" {
		if err := ValidDatasetName(req.Selection); err != nil {
			return nil, fmt.Errorf("train: selection %q is not a selection name", req.Selection)
		}
		s, err := selection.LoadSelection(dir, req.Selection)
		if err != nil {
			return nil, fmt.Errorf("train: %w", err)
		}
		if s.Target != req.Target {
			return nil, fmt.Errorf("train: selection %s was made for target %q, not %q", w.rel(s.Path), s.Target, req.Target)
		}
		p.Notes = append(p.Notes, selectionNote(w, s))
		return s, nil
	}
	all, skipped, err := selection.SelectionsFor(dir, name)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	for _, s := range skipped {
		p.Notes = append(p.Notes, "saved selection skipped: "+s)
	}
	var other []string
	for i := range all {
		s := &all[i]
		if s.Target == req.Target {
			p.Notes = append(p.Notes, selectionNote(w, s))
			return s, nil
		}
		other = append(other, fmt.Sprintf("%s (target %s)", w.rel(s.Path), s.Target))
	}
	if len(other) > 0 {
		p.Notes = append(p.Notes, fmt.Sprintf("no saved selection for target %s (passed over %s): using every column", req.Target, strings.Join(other, ", ")))
	}
	return nil, nil
}

func selectionNote(w *Workspace, s *selection.Saved) string {
	how := s.Method
	if s.By != "" {
		how += " by " + s.By
	}
	return fmt.Sprintf("using the saved selection %s: %d features (%s) for target %s", w.rel(s.Path), len(s.Features), how, s.Target)
}

// SelectionLabel describes the selection for the run record:
// "features/selections/topk-8.json (topk, 8 features)"; "" without one.
func (p *Prep) SelectionLabel() string {
	if p.Selection == nil {
		return ""
	}
	return fmt.Sprintf("%s (%s, %d features)", p.SelectionFile, p.Selection.Method, len(p.Selection.Features))
}

// Preparer returns a new train.Preparer for the resolved preparation (one
// per job: it keeps state).
func (p *Prep) Preparer(seed uint64) train.Preparer {
	switch p.Resolved {
	case train.PrepRaw:
		return &train.Raw{}
	case train.PrepSaved:
		steps := *p.Steps
		return &train.Pipeline{Steps: &steps, Seed: seed, Label: "saved pipeline " + p.PipelineFile,
			Selection: p.SelectionLabel(), Outputs: slices.Clone(p.Outputs)}
	}
	return &train.Pipeline{Seed: seed, Selection: p.SelectionLabel(), Outputs: slices.Clone(p.Outputs)}
}

// Short describes the resolution in a few words for a form: "saved
// customers.json", "default", "raw".
func (p *Prep) Short() string {
	if p.Resolved == train.PrepSaved {
		return "saved " + filepath.Base(p.PipelineFile)
	}
	return p.Resolved.String()
}

// rel returns path relative to the workspace folder, with slashes.
func (w *Workspace) rel(path string) string {
	if r, err := filepath.Rel(w.Dir(), path); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return path
}

func stepNames(p *features.Pipeline) string {
	if p == nil || len(p.Steps) == 0 {
		return "no step"
	}
	names := make([]string, len(p.Steps))
	for i, s := range p.Steps {
		names[i] = s.Transform
	}
	return strings.Join(names, ", ")
}

func quoteCols(cols []string) string {
	q := make([]string, 0, min(len(cols), 5))
	for _, c := range cols[:min(len(cols), 5)] {
		q = append(q, fmt.Sprintf("%q", c))
	}
	s := strings.Join(q, ", ")
	if len(cols) > 5 {
		s += fmt.Sprintf(" and %d more", len(cols)-5)
	}
	if len(cols) == 1 {
		return "column " + s
	}
	return "columns " + s
}

func orData(ds string) string {
	if ds == "" {
		return "the data"
	}
	return ds
}
