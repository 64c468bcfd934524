package workspace

// Training runs: one folder per run under runs/.
//
//	runs/<id>/run.json            the Run record (written last)
//	runs/<id>/model.mlwb          the model fitted on all training rows (models.Save)
//	runs/<id>/predictions.parquet held-out predictions: row, fold, y_true,
//	                              y_pred, p_<class> per class
//	runs/<id>/pipeline.json       the feature pipeline fitted on all training
//	                              rows (features.Fitted), when there is one
//
// A run folder is assembled under runs/.tmp-<id>/ and renamed into place, so
// a run is either complete or absent; List ignores folders starting with a
// dot. Tag and Annotate rewrite run.json atomically under the write lock.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mlwb/mlwb/engine/features"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
	"github.com/mlwb/mlwb/engine/train"
)

// File names inside a run folder.
const (
	RunFile         = "run.json"
	RunModelFile    = "model.mlwb"
	RunPredictions  = "predictions.parquet"
	RunPipelineFile = "pipeline.json"
	runFormat       = 1
	runTempPrefix   = ".tmp-"
	runDeletePrefix = ".rm-"
)

// ErrRunNotFound is returned when no run has the id asked for.
var ErrRunNotFound = errors.New("workspace: run not found")

// Num is a float64 written to JSON as a number, or null when NaN or ±Inf
// (read back as NaN).
type Num float64

// MarshalJSON implements json.Marshaler.
func (n Num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (n *Num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Num(math.NaN())
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("workspace: number %s: %w", b, err)
	}
	*n = Num(f)
	return nil
}

func nums(v []float64) []Num {
	out := make([]Num, len(v))
	for i, x := range v {
		out[i] = Num(x)
	}
	return out
}

// RunDataset identifies the training data of a run.
type RunDataset struct {
	// Name and Version of a workspace dataset (Version 0 for a file).
	Name    string `json:"name"`
	Version int    `json:"version,omitempty"`
	// Hash is the dataset version's content hash (SHA-256 of its snapshot),
	// or of the file's bytes for a file.
	Hash string `json:"hash"`
	// Source is the file path for a run on a file.
	Source string `json:"source,omitempty"`
	Rows   int    `json:"rows"`
}

// RunValidation is the validation scheme of a run.
type RunValidation struct {
	Scheme      string  `json:"scheme"`
	Description string  `json:"description"`
	Folds       int     `json:"folds"`
	K           int     `json:"k,omitempty"`
	Repeats     int     `json:"repeats,omitempty"`
	Fraction    float64 `json:"fraction,omitempty"`
	Stratify    bool    `json:"stratify,omitempty"`
	Shuffle     bool    `json:"shuffle,omitempty"`
	B           int     `json:"b,omitempty"`
	Group       string  `json:"group,omitempty"`
	Time        string  `json:"time,omitempty"`
	Test        string  `json:"test,omitempty"`
}

// RunMetric is one metric over the folds.
type RunMetric struct {
	Name           string `json:"name"`
	Mean           Num    `json:"mean"`
	Std            Num    `json:"std"`
	Folds          []Num  `json:"folds"`
	HigherIsBetter bool   `json:"higher_is_better"`
}

// RunEstimate is a bootstrap estimate of one metric.
type RunEstimate struct {
	Name     string `json:"name"`
	Apparent Num    `json:"apparent"`
	OOB      Num    `json:"oob"`
	E632     Num    `json:"e632"`
	E632Plus Num    `json:"e632_plus"`
	NoInfo   Num    `json:"no_information"`
}

// RunFold is one fold of a run.
type RunFold struct {
	Index          int            `json:"index"`
	Repeat         int            `json:"repeat,omitempty"`
	TrainRows      int            `json:"train_rows"`
	TestRows       int            `json:"test_rows"`
	Metrics        map[string]Num `json:"metrics"`
	FitSeconds     float64        `json:"fit_seconds"`
	PredictSeconds float64        `json:"predict_seconds"`
}

// RunCurve is the learning curve of one fold's model (Fold −1: the final
// model): training and validation loss per iteration (null where not
// computed).
type RunCurve struct {
	Fold  int   `json:"fold"`
	Iter  []int `json:"iter"`
	Train []Num `json:"train"`
	Valid []Num `json:"valid"`
}

// RunTimings are the seconds spent.
type RunTimings struct {
	Fit      float64 `json:"fit_seconds"`
	FinalFit float64 `json:"final_fit_seconds"`
	Total    float64 `json:"total_seconds"`
}

// Run is the record of one training run (run.json).
type Run struct {
	Format     int               `json:"format"`
	ID         string            `json:"id"`
	Time       time.Time         `json:"time"`
	Version    string            `json:"mlwb_version"`
	Dataset    RunDataset        `json:"dataset"`
	Target     string            `json:"target"`
	Task       string            `json:"task"`
	Classes    []string          `json:"classes,omitempty"`
	Features   []string          `json:"features"`
	Pipeline   string            `json:"pipeline"`
	Model      string            `json:"model"`
	Params     map[string]string `json:"params"`
	Seed       uint64            `json:"seed"`
	Validation RunValidation     `json:"validation"`
	Metrics    []RunMetric       `json:"metrics"`
	Estimates  []RunEstimate     `json:"estimates,omitempty"`
	Folds      []RunFold         `json:"folds"`
	Curves     []RunCurve        `json:"curves,omitempty"`
	Timings    RunTimings        `json:"timings"`
	Warnings   []string          `json:"warnings,omitempty"`
	Tags       []string          `json:"tags,omitempty"`
	Note       string            `json:"note,omitempty"`
	// HasModel, HasPredictions and HasPipeline say which files the run folder holds.
	HasModel       bool `json:"has_model"`
	HasPredictions bool `json:"has_predictions"`
	HasPipeline    bool `json:"has_pipeline"`
}

// Metric returns the run's metric called name.
func (r Run) Metric(name string) (RunMetric, bool) {
	for _, m := range r.Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return RunMetric{}, false
}

// NewRunID returns a new run id: the UTC time and 4 random hex digits,
// "20261125-193012-a3f0", so ids sort by time.
func NewRunID(t time.Time) string {
	var b [2]byte
	_, _ = rand.Read(b[:])
	return t.UTC().Format("20060102-150405") + "-" + hex.EncodeToString(b[:])
}

// RunFromResult builds the record of a training result. The caller sets
// Dataset, Seed and Version; ID and Time are set here.
func RunFromResult(res *train.Result, now time.Time) Run {
	sp := res.Spec
	r := Run{Format: runFormat, ID: NewRunID(now), Time: now.UTC(), Target: res.Target, Task: res.Task.String(),
		Classes: res.Classes, Features: res.Features, Pipeline: res.Pipeline, Model: res.Model, Params: res.Params,
		Validation: RunValidation{Scheme: sp.Scheme.String(), Description: sp.String(), Folds: len(res.Folds),
			K: sp.K, Repeats: sp.Repeats, Fraction: sp.Fraction, Stratify: sp.Stratify, Shuffle: sp.Shuffle,
			B: sp.B, Group: sp.Group, Time: sp.Time, Test: sp.Test},
		Timings:  RunTimings{Fit: res.FitSeconds, FinalFit: res.FinalFitSeconds, Total: res.TotalSeconds},
		Warnings: res.Warnings, HasModel: res.Final != nil, HasPredictions: len(res.OOF.Row) > 0}
	for _, m := range res.Metrics {
		r.Metrics = append(r.Metrics, RunMetric{Name: m.Name, Mean: Num(m.Mean), Std: Num(m.Std), Folds: nums(m.Folds), HigherIsBetter: m.HigherIsBetter})
	}
	for _, e := range res.Estimates {
		r.Estimates = append(r.Estimates, RunEstimate{Name: e.Name, Apparent: Num(e.Apparent), OOB: Num(e.OOB),
			E632: Num(e.E632), E632Plus: Num(e.E632Plus), NoInfo: Num(e.NoInfo)})
	}
	for _, f := range res.Folds {
		rf := RunFold{Index: f.Index, Repeat: f.Repeat, TrainRows: f.TrainRows, TestRows: f.TestRows,
			Metrics: map[string]Num{}, FitSeconds: f.FitSeconds, PredictSeconds: f.PredictSeconds}
		for k, v := range f.Metrics {
			rf.Metrics[k] = Num(v)
		}
		r.Folds = append(r.Folds, rf)
		if len(f.Curve) > 0 {
			r.Curves = append(r.Curves, curveOf(f.Index, f.Curve))
		}
	}
	if len(res.FinalCurve) > 0 && res.Spec.Scheme.String() != "test_set" {
		r.Curves = append(r.Curves, curveOf(-1, res.FinalCurve))
	}
	return r
}

func curveOf(fold int, pts []train.Point) RunCurve {
	c := RunCurve{Fold: fold}
	for _, p := range pts {
		c.Iter = append(c.Iter, p.Iter)
		c.Train = append(c.Train, Num(p.Train))
		c.Valid = append(c.Valid, Num(p.Valid))
	}
	return c
}

// PredictionsFrame returns the held-out predictions of res as a frame:
// row (0-based row of the training data, or of the test set), fold, y_true
// and y_pred (class labels for classification, numbers for regression,
// cluster indices for clustering) and p_<class> per class.
func PredictionsFrame(res *train.Result) (*frame.Frame, error) {
	o := res.OOF
	n := len(o.Row)
	rows, folds := make([]int64, n), make([]int64, n)
	for i := range n {
		rows[i], folds[i] = int64(o.Row[i]), int64(o.Fold[i])
	}
	cols := []frame.Column{frame.NewInt64("row", rows, frame.Mask{}), frame.NewInt64("fold", folds, frame.Mask{})}
	switch {
	case res.Task.Classifier():
		yt, yp := make([]int32, n), make([]int32, n)
		for i := range n {
			yt[i], yp[i] = int32(o.YTrue[i]), int32(o.YPred[i])
		}
		cols = append(cols, frame.NewCategorical("y_true", yt, res.Classes), frame.NewCategorical("y_pred", yp, res.Classes))
		K := len(res.Classes)
		for k, c := range res.Classes {
			p := make([]float64, n)
			for i := range n {
				p[i] = o.Proba[i*K+k]
			}
			cols = append(cols, frame.NewFloat64("p_"+c, p, frame.Mask{}))
		}
	case res.Task == models.Clustering:
		yp := make([]int64, n)
		for i := range n {
			yp[i] = int64(o.YPred[i])
		}
		cols = append(cols, frame.NewInt64("y_pred", yp, frame.Mask{}))
	default:
		cols = append(cols, frame.NewFloat64("y_true", slices.Clone(o.YTrue), frame.Mask{}), frame.NewFloat64("y_pred", slices.Clone(o.YPred), frame.Mask{}))
	}
	f, err := frame.New(cols...)
	if err != nil {
		return nil, fmt.Errorf("workspace: predictions: %w", err)
	}
	return f, nil
}

// ArtifactsOf returns the artifacts of a training result: its final model,
// held-out predictions and fitted pipeline (when it can be saved).
func ArtifactsOf(res *train.Result) (RunArtifacts, error) {
	a := RunArtifacts{Model: res.Final}
	if len(res.OOF.Row) > 0 {
		f, err := PredictionsFrame(res)
		if err != nil {
			return a, err
		}
		a.Predictions = f
	}
	if s, ok := res.FinalPrep.(interface{ Save(io.Writer) error }); ok && res.Final != nil {
		a.Pipeline = s.Save
	}
	return a, nil
}

// RunPath returns the folder of run id.
func (w *Workspace) RunPath(id string) string { return w.Path(RunsDir, id) }

// RunArtifacts are the files of a run besides its record; nil fields are
// not written.
type RunArtifacts struct {
	Model       models.Model
	Predictions *frame.Frame
	// Pipeline writes the fitted feature pipeline.
	Pipeline func(io.Writer) error
}

// SaveRun writes run r with its model (nil for none) and predictions (nil
// for none) into runs/<r.ID>/ (SaveRunWith with those artifacts).
func (w *Workspace) SaveRun(ctx context.Context, r *Run, m models.Model, preds *frame.Frame) error {
	return w.SaveRunWith(ctx, r, RunArtifacts{Model: m, Predictions: preds})
}

// SaveRunWith writes run r with its artifacts into runs/<r.ID>/. The folder
// appears complete or not at all.
func (w *Workspace) SaveRunWith(ctx context.Context, r *Run, a RunArtifacts) error {
	m, preds := a.Model, a.Predictions
	if err := validRunID(r.ID); err != nil {
		return err
	}
	dir := w.RunPath(r.ID)
	if _, err := os.Stat(dir); err == nil {
		return fmt.Errorf("workspace: run %s already exists", r.ID)
	}
	tmp := w.Path(RunsDir, runTempPrefix+r.ID)
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return fmt.Errorf("workspace: save run: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	r.HasModel, r.HasPredictions, r.HasPipeline = m != nil, preds != nil, a.Pipeline != nil
	if a.Pipeline != nil {
		if err := WriteAtomic(filepath.Join(tmp, RunPipelineFile), a.Pipeline); err != nil {
			return fmt.Errorf("workspace: save run pipeline: %w", err)
		}
	}
	if m != nil {
		var buf bytes.Buffer
		if err := models.Save(&buf, m); err != nil {
			return err
		}
		if err := WriteFileAtomic(filepath.Join(tmp, RunModelFile), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if preds != nil {
		write := w.opt.Codec.Write
		if err := WriteAtomic(filepath.Join(tmp, RunPredictions), func(out io.Writer) error { return write(out, preds) }); err != nil {
			return fmt.Errorf("workspace: save run predictions: %w", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := writeRunFile(filepath.Join(tmp, RunFile), r); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("workspace: save run: %w", err)
	}
	ok = true
	if err := syncDir(w.RunsDir()); err != nil {
		return err
	}
	return w.Log("train", map[string]any{"run": r.ID, "model": r.Model, "dataset": r.Dataset.Name, "hash": r.Dataset.Hash})
}

func writeRunFile(path string, r *Run) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("workspace: run %s: %w", r.ID, err)
	}
	return WriteFileAtomic(path, append(b, '\n'), 0o644)
}

func validRunID(id string) error {
	if id == "" || strings.ContainsAny(id, `/\`) || strings.HasPrefix(id, ".") {
		return fmt.Errorf("workspace: bad run id %q", id)
	}
	return nil
}

func readRun(path string) (Run, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Run{}, err
	}
	var r Run
	if err := json.Unmarshal(b, &r); err != nil {
		return Run{}, fmt.Errorf("workspace: %s: %w", path, err)
	}
	return r, nil
}

// Runs returns every run, oldest first, and the problems met reading
// broken run folders (one message each; those runs are skipped).
func (w *Workspace) Runs() ([]Run, []string, error) {
	ents, err := os.ReadDir(w.RunsDir())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("workspace: runs: %w", err)
	}
	var out []Run
	var warn []string
	for _, e := range ents {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		r, err := readRun(filepath.Join(w.RunsDir(), e.Name(), RunFile))
		if err != nil {
			warn = append(warn, fmt.Sprintf("run %s: %v", e.Name(), err))
			continue
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(a, b int) bool {
		if !out[a].Time.Equal(out[b].Time) {
			return out[a].Time.Before(out[b].Time)
		}
		return out[a].ID < out[b].ID
	})
	return out, warn, nil
}

// Run returns the run whose id is id or starts with id (when only one
// does).
func (w *Workspace) Run(id string) (Run, error) {
	full, err := w.resolveRun(id)
	if err != nil {
		return Run{}, err
	}
	return readRun(filepath.Join(w.RunPath(full), RunFile))
}

func (w *Workspace) resolveRun(id string) (string, error) {
	if err := validRunID(id); err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(w.RunPath(id), RunFile)); err == nil {
		return id, nil
	}
	ents, err := os.ReadDir(w.RunsDir())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("workspace: runs: %w", err)
	}
	var match []string
	for _, e := range ents {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") && strings.HasPrefix(e.Name(), id) {
			match = append(match, e.Name())
		}
	}
	switch len(match) {
	case 0:
		return "", fmt.Errorf("%w: no run %q (mlwb runs lists them)", ErrRunNotFound, id)
	case 1:
		return match[0], nil
	}
	return "", fmt.Errorf("workspace: run id %q is ambiguous: %s", id, strings.Join(match, ", "))
}

// updateRun applies fn to run id's record under the write lock.
func (w *Workspace) updateRun(id string, fn func(r *Run)) (Run, error) {
	full, err := w.resolveRun(id)
	if err != nil {
		return Run{}, err
	}
	var out Run
	err = w.withWriteLock(context.Background(), func() error {
		path := filepath.Join(w.RunPath(full), RunFile)
		r, err := readRun(path)
		if err != nil {
			return err
		}
		fn(&r)
		out = r
		return writeRunFile(path, &r)
	})
	return out, err
}

// TagRun adds tag to run id (a tag already there is kept once). A tag
// starting with "-" removes that tag instead.
func (w *Workspace) TagRun(id, tag string) (Run, error) {
	tag = strings.TrimSpace(tag)
	if tag == "" || tag == "-" {
		return Run{}, errors.New("workspace: empty tag")
	}
	return w.updateRun(id, func(r *Run) {
		if t, ok := strings.CutPrefix(tag, "-"); ok {
			r.Tags = slices.DeleteFunc(r.Tags, func(s string) bool { return s == t })
			return
		}
		if !slices.Contains(r.Tags, tag) {
			r.Tags = append(r.Tags, tag)
		}
	})
}

// AnnotateRun sets run id's note ("" clears it).
func (w *Workspace) AnnotateRun(id, note string) (Run, error) {
	return w.updateRun(id, func(r *Run) { r.Note = note })
}

// DeleteRun removes run id's folder (renamed aside first, so a crash
// leaves no half-deleted run listed).
func (w *Workspace) DeleteRun(id string) error {
	full, err := w.resolveRun(id)
	if err != nil {
		return err
	}
	aside := w.Path(RunsDir, runDeletePrefix+full)
	if err := os.Rename(w.RunPath(full), aside); err != nil {
		return fmt.Errorf("workspace: delete run %s: %w", full, err)
	}
	if err := os.RemoveAll(aside); err != nil {
		return fmt.Errorf("workspace: delete run %s: %w", full, err)
	}
	return w.Log("delete_run", map[string]any{"run": full})
}

// LoadRunModel reads the model of run id.
func (w *Workspace) LoadRunModel(id string) (models.Model, error) {
	full, err := w.resolveRun(id)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(w.RunPath(full), RunModelFile))
	if err != nil {
		return nil, fmt.Errorf("workspace: run %s has no model: %w", full, err)
	}
	defer f.Close()
	return models.Load(f)
}

// PrimaryMetric is the metric runs of task are ranked by when the card
// names none: roc_auc (binary), accuracy (multiclass), rmse (regression),
// inertia (clustering).
func PrimaryMetric(task string) string {
	switch task {
	case "binary":
		return "roc_auc"
	case "multiclass":
		return "accuracy"
	case "clustering":
		return "inertia"
	}
	return "rmse"
}

// Leaderboard sorts runs by metric (best first; runs without the metric or
// with it undefined last, then newest first) and returns the metric used:
// metric, or the card's, or the primary metric of the newest run's task.
func Leaderboard(runs []Run, metric string) ([]Run, string) {
	if metric == "" && len(runs) > 0 {
		metric = PrimaryMetric(runs[len(runs)-1].Task)
	}
	out := append([]Run(nil), runs...)
	val := func(r Run) (float64, bool, bool) {
		m, ok := r.Metric(metric)
		v := float64(m.Mean)
		return v, ok && !math.IsNaN(v), m.HigherIsBetter
	}
	sort.SliceStable(out, func(a, b int) bool {
		va, oka, hib := val(out[a])
		vb, okb, _ := val(out[b])
		if oka != okb {
			return oka
		}
		if oka && va != vb {
			if hib {
				return va > vb
			}
			return va < vb
		}
		return out[a].Time.After(out[b].Time)
	})
	return out, metric
}

// LoadRunPipeline reads the fitted feature pipeline of run id
// (train.PreparedPipeline turns it into the matrix builder).
func (w *Workspace) LoadRunPipeline(id string) (*features.Fitted, error) {
	full, err := w.resolveRun(id)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(w.RunPath(full), RunPipelineFile))
	if err != nil {
		return nil, fmt.Errorf("workspace: run %s has no pipeline: %w", full, err)
	}
	defer f.Close()
	return features.Load(f)
}

// MetricDiff compares one metric of two runs.
type MetricDiff struct {
	Name           string `json:"name"`
	A              Num    `json:"a"`
	B              Num    `json:"b"`
	StdA           Num    `json:"std_a"`
	StdB           Num    `json:"std_b"`
	Diff           Num    `json:"diff"` // B − A
	HigherIsBetter bool   `json:"higher_is_better"`
	// Better is "a", "b" or "" (equal or undefined).
	Better string `json:"better"`
}

// ParamDiff is a parameter whose value differs between two runs ("" when a
// run's model has no such parameter).
type ParamDiff struct {
	Name string `json:"name"`
	A    string `json:"a"`
	B    string `json:"b"`
}

// Comparison sets two runs side by side.
type Comparison struct {
	A, B    Run `json:"-"`
	Metrics []MetricDiff
	Params  []ParamDiff
	// SameData reports whether both runs trained on the same data (hash).
	SameData bool
	// Differences lists other settings that differ (model, validation,
	// target, seed, pipeline).
	Differences []string
}

// CompareRuns compares runs a and b: every metric both have, in a's order,
// and the parameters and settings that differ.
func CompareRuns(a, b Run) Comparison {
	c := Comparison{A: a, B: b, SameData: a.Dataset.Hash != "" && a.Dataset.Hash == b.Dataset.Hash}
	for _, ma := range a.Metrics {
		mb, ok := b.Metric(ma.Name)
		if !ok {
			continue
		}
		d := MetricDiff{Name: ma.Name, A: ma.Mean, B: mb.Mean, StdA: ma.Std, StdB: mb.Std,
			Diff: mb.Mean - ma.Mean, HigherIsBetter: ma.HigherIsBetter}
		if x, y := float64(ma.Mean), float64(mb.Mean); !math.IsNaN(x) && !math.IsNaN(y) && x != y {
			if (y > x) == ma.HigherIsBetter {
				d.Better = "b"
			} else {
				d.Better = "a"
			}
		}
		c.Metrics = append(c.Metrics, d)
	}
	names := map[string]bool{}
	for k := range a.Params {
		names[k] = true
	}
	for k := range b.Params {
		names[k] = true
	}
	keys := make([]string, 0, len(names))
	for k := range names {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if a.Params[k] != b.Params[k] {
			c.Params = append(c.Params, ParamDiff{Name: k, A: a.Params[k], B: b.Params[k]})
		}
	}
	diff := func(what, x, y string) {
		if x != y {
			c.Differences = append(c.Differences, fmt.Sprintf("%s: %s vs %s", what, x, y))
		}
	}
	diff("model", a.Model, b.Model)
	diff("target", a.Target, b.Target)
	diff("validation", a.Validation.Description, b.Validation.Description)
	diff("seed", strconv.FormatUint(a.Seed, 10), strconv.FormatUint(b.Seed, 10))
	diff("pipeline", a.Pipeline, b.Pipeline)
	diff("dataset", datasetLabel(a.Dataset), datasetLabel(b.Dataset))
	return c
}

func datasetLabel(d RunDataset) string {
	if d.Version > 0 {
		return fmt.Sprintf("%s@%d", d.Name, d.Version)
	}
	return d.Name
}
