package selection

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mlwb/mlwb/engine/features"
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

// Folders of a workspace's features folder (workspace.FeaturesDir) where
// the Features screen and "mlwb features --select" save their work.
const (
	// PipelinesDir holds features.Pipeline JSON, one per dataset:
	// pipelines/<dataset>.json.
	PipelinesDir = "pipelines"
	// SelectionsDir holds selections: selections/<name>.json, where the
	// Features screen names them after the dataset and mlwb features after
	// the method (topk-8) or --name.
	SelectionsDir = "selections"
)

// Saved is a selection read back from a file.
type Saved struct {
	*Selection
	// Path is the file read; Modified its modification time.
	Path     string
	Modified time.Time
}

// DatasetName returns the dataset name of a selection's Dataset field:
// "customers@2" → "customers".
func DatasetName(ref string) string {
	if i := strings.LastIndexByte(ref, '@'); i > 0 {
		if _, err := strconv.Atoi(ref[i+1:]); err == nil {
			return ref[:i]
		}
	}
	return ref
}

// LoadPipeline reads the pipeline saved for dataset in the features folder
// dir (dir/pipelines/<dataset>.json). It returns a nil pipeline and no
// error when there is none; an unreadable or invalid file is an error
// naming it.
func LoadPipeline(dir, dataset string) (*features.Pipeline, string, error) {
	path := filepath.Join(dir, PipelinesDir, dataset+".json")
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, path, nil
	}
	if err != nil {
		return nil, path, fmt.Errorf("selection: saved pipeline: %w", err)
	}
	p, err := features.ParsePipeline(b)
	if err != nil {
		return nil, path, fmt.Errorf("selection: saved pipeline %s: %w", path, err)
	}
	return &p, path, nil
}

// LoadSelection reads the selection saved as name in the features folder
// dir (dir/selections/<name>.json).
func LoadSelection(dir, name string) (*Saved, error) {
	path := filepath.Join(dir, SelectionsDir, name+".json")
	return readSaved(path)
}

func readSaved(path string) (*Saved, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("selection: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("selection: %w", err)
	}
	s, err := ReadSelection(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Saved{Selection: s, Path: path, Modified: fi.ModTime()}, nil
}

// SelectionsFor returns the selections saved in the features folder dir
// that were made on dataset (any version), newest first: by Created, or
// the file's modification time when Created is not set. Files that cannot
// be read are skipped and described in skipped (path: reason). A missing
// folder is no selection.
func SelectionsFor(dir, dataset string) (out []Saved, skipped []string, err error) {
	entries, err := os.ReadDir(filepath.Join(dir, SelectionsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("selection: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		s, err := readSaved(filepath.Join(dir, SelectionsDir, e.Name()))
		if err != nil {
			skipped = append(skipped, err.Error())
			continue
		}
		if DatasetName(s.Dataset) == dataset {
			out = append(out, *s)
		}
	}
	when := func(s Saved) time.Time {
		if s.Created.IsZero() {
			return s.Modified
		}
		return s.Created
	}
	sort.SliceStable(out, func(a, b int) bool {
		ta, tb := when(out[a]), when(out[b])
		if !ta.Equal(tb) {
			return ta.After(tb)
		}
		return out[a].Path < out[b].Path
	})
	return out, skipped, nil
}
