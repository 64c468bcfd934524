package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
	"github.com/mlwb/mlwb/engine/train"
	"github.com/mlwb/mlwb/engine/validate"
	"github.com/mlwb/mlwb/workspace"
	"github.com/spf13/cobra"
)

// TrainJSON is the documented output of "mlwb train --json".
type TrainJSON struct {
	RunID           *string                      `json:"run_id"`
	Dataset         workspace.RunDataset         `json:"dataset"`
	Target          string                       `json:"target"`
	Task            string                       `json:"task"`
	Classes         []string                     `json:"classes,omitempty"`
	Model           string                       `json:"model"`
	Params          map[string]string            `json:"params"`
	Seed            uint64                       `json:"seed"`
	Features        int                          `json:"features"`
	Pipeline        string                       `json:"pipeline"`
	Selection       *string                      `json:"selection"`
	Validation      TrainValidationJSON          `json:"validation"`
	Metrics         map[string]TrainMetricJSON   `json:"metrics"`
	Estimates       map[string]TrainEstimateJSON `json:"estimates,omitempty"`
	FitSeconds      float64                      `json:"fit_seconds"`
	FinalFitSeconds float64                      `json:"final_fit_seconds"`
	TotalSeconds    float64                      `json:"total_seconds"`
	Warnings        []string                     `json:"warnings"`
}

// TrainValidationJSON describes the validation in TrainJSON.
type TrainValidationJSON struct {
	Scheme      string `json:"scheme"`
	Description string `json:"description"`
	Folds       int    `json:"folds"`
}

// TrainMetricJSON is one metric in TrainJSON (null where undefined).
type TrainMetricJSON struct {
	Mean  workspace.Num   `json:"mean"`
	Std   workspace.Num   `json:"std"`
	Folds []workspace.Num `json:"folds"`
}

// TrainEstimateJSON holds the bootstrap estimates of one metric.
type TrainEstimateJSON struct {
	Apparent workspace.Num `json:"apparent"`
	OOB      workspace.Num `json:"oob"`
	E632     workspace.Num `json:"e632"`
	E632Plus workspace.Num `json:"e632_plus"`
}

type trainFlags struct {
	rf        readFlags
	data      string
	target    string
	model     string
	cv        int
	repeats   int
	shuffle   bool
	holdout   float64
	bootstrap int
	timeSplit string
	splits    int
	group     string
	test      string
	params    []string
	exclude   []string
	features  []string
	selection string
	task      string
	pipeline  string
	seed      uint64
	dir       string
	note      string
	tags      []string
	asJSON    bool
}

func newTrainCmd(e *env) *cobra.Command {
	var fl trainFlags
	cmd := &cobra.Command{
		Use:   "train --data FILE|DATASET --target COL --model NAME",
		Short: "Train and validate a model; record the run",
		Long: `Train a model on FILE (any format "mlwb info" reads) or a workspace DATASET
("name" or "name@2"), validate it, and print its metrics as mean ± std over
the folds.

Models: ` + strings.Join(models.Names(), ", ") + ` (parameters with
scikit-learn's names: --param max_depth=4 --param n_estimators=200).

Validation (one of; default: stratified 5-fold for classification, 5-fold
for regression, as scikit-learn's cross_val_score):
  --cv K              k-fold (stratified for classification); with --repeats R,
                      R× repeated stratified k-fold; --group COL: group k-fold;
                      --shuffle permutes rows first (seeded)
  --holdout FRAC      hold out FRAC of the rows (stratified for classification)
  --bootstrap B       B bootstrap resamples scored out-of-bag, with the .632 and
                      .632+ estimates
  --time-split COL    expanding-window time-series split over COL (--splits N, 5)
  --test FILE         fit on all rows, score on FILE
Folds without shuffling equal scikit-learn's KFold, StratifiedKFold,
GroupKFold and TimeSeriesSplit; shuffled ones come from Go's PCG seeded with
--seed.

The target defaults to the project card's target, or to an ARFF file's last
attribute (Weka's class).

Features: --features COLS, else the selection saved for the dataset and its
target (the newest of features/selections/*.json made on the dataset by the
Features screen or "mlwb features --select"; --selection NAME picks
features/selections/NAME.json, --selection none uses every column), else
every column; never the target, --exclude ones or the group/time column. A
selection naming a column the data lacks is an error, unless the pipeline
makes it (a constructed feature: the pipeline then takes every column and
the model keeps the selected outputs).

Feature preparation (--pipeline), fitted anew on the training rows of every
fold so that no statistic is learnt from the rows it is scored on:
  auto     (default) the pipeline saved for the dataset on the Features
           screen (features/pipelines/<dataset>.json) if there is one, else
           default; a file without a workspace dataset uses default
  saved    the saved pipeline; an error when there is none
  default  the default feature pipeline: constant, identifier-like and
           free-text columns dropped, missing numbers get the median and an
           indicator, dates become date parts, categories with up to 20
           levels one-hot encoded and others frequency encoded
  raw      no pipeline: numbers and categories as integer codes; text
           columns are refused (leave them out with --exclude), linear
           models refuse missing values, trees take them
A saved pipeline applies to the features used: steps naming only columns
left out are skipped. What was chosen is said on stderr (not with --json).
run.json records the pipeline and the selection ("pipeline"), and
runs/<id>/pipeline.json holds the pipeline fitted on all rows.

Run records: with a workspace (--data DATASET, or -w DIR) the run is saved
in runs/<id>/ (run.json, model.mlwb fitted on all rows, predictions.parquet
with the held-out predictions) and listed by "mlwb runs". On a file without
-w it is a scratch run: nothing is written. The same data, parameters and
--seed give identical metrics and identical model.mlwb bytes.

JSON output (--json) is stable; undefined values are null:
  {"run_id": "20261125-193012-a3f0" | null, "dataset": {"name", "version",
   "hash", "source", "rows"}, "target", "task", "classes", "model", "params",
   "seed", "features": N, "pipeline", "selection" (file or null),
   "validation": {"scheme", "description", "folds"},
   "metrics": {"<name>": {"mean", "std", "folds": [...]}},
   "estimates": {"<name>": {"apparent", "oob", "e632", "e632_plus"}} (bootstrap),
   "fit_seconds", "final_fit_seconds", "total_seconds", "warnings": [...]}
Metrics: accuracy, balanced_accuracy, f1, roc_auc, log_loss, precision,
recall, pr_auc, mcc, brier (binary; the positive class is the second label in
sorted order); accuracy, balanced_accuracy, f1 (macro), roc_auc (one-vs-rest
macro), log_loss, f1_weighted, mcc (multiclass); rmse, mae, r2, mape
(regression); inertia (kmeans). std is over folds with ddof=0.
fit_seconds is the time spent fitting the validation models (for a holdout,
the one fit on the training part); final_fit_seconds the refit on all rows.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTrain(cmd.Context(), e, fl)
		},
	}
	f := cmd.Flags()
	fl.rf.add(cmd)
	f.StringVar(&fl.data, "data", "", "training data: a file or a workspace dataset (name or name@N)")
	f.StringVar(&fl.target, "target", "", "column to predict (default: the card's target, or an ARFF file's last attribute)")
	f.StringVar(&fl.model, "model", "", "model: "+strings.Join(models.Names(), ", "))
	f.IntVar(&fl.cv, "cv", 0, "k-fold cross-validation with K folds")
	f.IntVar(&fl.repeats, "repeats", 0, "repeat stratified k-fold R times (with --cv)")
	f.BoolVar(&fl.shuffle, "shuffle", false, "shuffle rows before cutting k folds (seeded)")
	f.StringVar(&fl.group, "group", "", "group k-fold over this column (with --cv)")
	f.Float64Var(&fl.holdout, "holdout", 0, "hold out this fraction of rows, in (0, 1)")
	f.IntVar(&fl.bootstrap, "bootstrap", 0, "B bootstrap resamples, scored out-of-bag")
	f.StringVar(&fl.timeSplit, "time-split", "", "expanding-window time-series split over this column")
	f.IntVar(&fl.splits, "splits", 0, "number of time-series splits (default 5)")
	f.StringVar(&fl.test, "test", "", "score on this test file after fitting on all rows")
	f.StringArrayVar(&fl.params, "param", nil, "model parameter NAME=VALUE (repeatable)")
	f.StringSliceVar(&fl.exclude, "exclude", nil, "columns not to use as features (comma-separated)")
	f.StringSliceVar(&fl.features, "features", nil, "feature columns (comma-separated; default: the saved selection, else every column)")
	f.StringVar(&fl.selection, "selection", "", "saved selection NAME (features/selections/NAME.json), or none for every column")
	f.StringVar(&fl.pipeline, "pipeline", "auto", "feature preparation: auto (the saved pipeline, else default), saved, default or raw; refitted per fold")
	f.StringVar(&fl.task, "task", "", "force the task: regression (for an integer target taken as classes)")
	f.Uint64Var(&fl.seed, "seed", 0, "seed of the folds and the model")
	f.StringVarP(&fl.dir, "workspace", "w", "", "workspace folder to record the run in")
	f.StringVar(&fl.note, "note", "", "note to record with the run")
	f.StringSliceVar(&fl.tags, "tag", nil, "tags to record with the run")
	f.BoolVar(&fl.asJSON, "json", false, "print JSON (stable, documented above)")
	return cmd
}

// trainSource is the data a run trains on.
type trainSource struct {
	f     *frame.Frame
	ws    *workspace.Workspace // where the run is recorded; nil for a scratch run
	ds    workspace.RunDataset
	isARF bool
	// dataset is the workspace dataset trained on ("" for a file).
	dataset string
}

func loadTrainSource(ctx context.Context, e *env, fl trainFlags) (trainSource, error) {
	var src trainSource
	if fl.data == "" {
		return src, errors.New("--data FILE|DATASET is required")
	}
	opt, err := fl.rf.options()
	if err != nil {
		return src, err
	}
	if fi, err := os.Stat(fl.data); err == nil {
		if fi.IsDir() {
			return src, fmt.Errorf("--data %s is a folder, not a data file or dataset", fl.data)
		}
		bar := newProgress(e.stderr, "loading "+filepath.Base(fl.data), fl.asJSON)
		opt.Progress = bar.Update
		src.f, err = dataio.Load(ctx, fl.data, opt)
		bar.Done()
		if err != nil {
			return src, err
		}
		h, err := fileHash(fl.data)
		if err != nil {
			return src, err
		}
		abs, _ := filepath.Abs(fl.data)
		src.ds = workspace.RunDataset{Name: filepath.Base(fl.data), Hash: h, Source: abs, Rows: src.f.NumRows()}
		lower := strings.ToLower(fl.data)
		src.isARF = fl.rf.format == "arff" || strings.HasSuffix(lower, ".arff") || strings.HasSuffix(lower, ".arff.gz")
		if fl.dir != "" {
			if src.ws, err = workspace.Open(fl.dir); err != nil {
				return src, err
			}
		}
		return src, nil
	}
	ws, err := openWorkspaceFlag(fl.dir)
	if errors.Is(err, workspace.ErrNotWorkspace) {
		return src, fmt.Errorf("--data %s: no such file, and no workspace to look up a dataset of that name (use -w DIR)", fl.data)
	}
	if err != nil {
		return src, err
	}
	d, err := ws.DatasetRef(fl.data)
	if errors.Is(err, workspace.ErrDatasetNotFound) {
		return src, fmt.Errorf("--data: no file %s, and %w", fl.data, err)
	}
	if err != nil {
		return src, err
	}
	if src.f, err = ws.Load(ctx, d); err != nil {
		return src, err
	}
	src.ws, src.dataset = ws, d.Ref()
	src.ds = workspace.RunDataset{Name: d.Name, Version: d.Version, Hash: d.Hash, Rows: d.Rows}
	return src, nil
}

func fileHash(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// parseParams turns NAME=VALUE pairs into a map.
func parseParams(kv []string) (map[string]string, error) {
	out := map[string]string{}
	for _, p := range kv {
		name, value, ok := strings.Cut(p, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, fmt.Errorf("--param %q: want NAME=VALUE", p)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("--param %s given twice", name)
		}
		out[name] = value
	}
	return out, nil
}

// trainSpec resolves the validation flags.
func trainSpec(fl trainFlags) (validate.Spec, error) {
	var chosen []string
	if fl.cv != 0 {
		chosen = append(chosen, "--cv")
	}
	if fl.holdout != 0 {
		chosen = append(chosen, "--holdout")
	}
	if fl.bootstrap != 0 {
		chosen = append(chosen, "--bootstrap")
	}
	if fl.timeSplit != "" {
		chosen = append(chosen, "--time-split")
	}
	if fl.test != "" {
		chosen = append(chosen, "--test")
	}
	if len(chosen) > 1 {
		return validate.Spec{}, fmt.Errorf("%s: choose one validation", strings.Join(chosen, " and "))
	}
	if (fl.repeats != 0 || fl.group != "" || fl.shuffle) && fl.cv == 0 {
		return validate.Spec{}, errors.New("--repeats, --group and --shuffle go with --cv K")
	}
	if fl.splits != 0 && fl.timeSplit == "" {
		return validate.Spec{}, errors.New("--splits goes with --time-split COL")
	}
	s := validate.Spec{Seed: fl.seed}
	switch {
	case fl.cv != 0:
		if fl.cv < 2 {
			return s, fmt.Errorf("--cv %d: need at least 2 folds", fl.cv)
		}
		s.K, s.Shuffle = fl.cv, fl.shuffle
		switch {
		case fl.group != "":
			s.Scheme, s.Group = validate.GroupKFold, fl.group
		case fl.repeats > 0:
			s.Scheme, s.Repeats = validate.RepeatedStratifiedKFold, fl.repeats
		default:
			s.Scheme = validate.StratifiedKFold // KFold for regression: see below
		}
	case fl.holdout != 0:
		if !(fl.holdout > 0 && fl.holdout < 1) {
			return s, fmt.Errorf("--holdout %v: want a fraction in (0, 1)", fl.holdout)
		}
		s.Scheme, s.Fraction, s.Stratify = validate.Holdout, fl.holdout, true
	case fl.bootstrap != 0:
		if fl.bootstrap < 1 {
			return s, fmt.Errorf("--bootstrap %d: want at least 1 resample", fl.bootstrap)
		}
		s.Scheme, s.B = validate.Bootstrap, fl.bootstrap
	case fl.timeSplit != "":
		s.Scheme, s.Time, s.K = validate.TimeSeriesSplit, fl.timeSplit, fl.splits
	case fl.test != "":
		s.Scheme, s.Test = validate.TestSet, filepath.Base(fl.test)
	default:
		return validate.Spec{}, nil // train.DefaultSpec
	}
	return s, nil
}

func runTrain(ctx context.Context, e *env, fl trainFlags) error {
	if fl.model == "" {
		return fmt.Errorf("--model is required (%s)", strings.Join(models.Names(), ", "))
	}
	params, err := parseParams(fl.params)
	if err != nil {
		return err
	}
	if _, err := models.New(fl.model, params, fl.seed); err != nil {
		return err
	}
	spec, err := trainSpec(fl)
	if err != nil {
		return err
	}
	src, err := loadTrainSource(ctx, e, fl)
	if err != nil {
		return err
	}
	mode, err := train.ParsePrepMode(fl.pipeline)
	if err != nil {
		return fmt.Errorf("--pipeline %q: want auto, saved, default or raw", fl.pipeline)
	}
	if fl.features != nil && fl.selection != "" {
		return errors.New("--features and --selection: give one")
	}
	job := train.Job{Frame: src.f, Target: fl.target, Model: fl.model, Params: params, Seed: fl.seed,
		Exclude: fl.exclude, Final: src.ws != nil}
	var card workspace.Card
	if src.ws != nil {
		card = src.ws.Card()
	}
	if job.Target == "" && fl.model != "kmeans" {
		switch {
		case card.Target != "" && hasColumn(src.f, card.Target):
			job.Target = card.Target
		case src.isARF && src.f.NumCols() > 0:
			job.Target = src.f.Columns()[src.f.NumCols()-1].Name()
		default:
			return errors.New("--target COL is required (no card target for this data)")
		}
	}
	if job.Target != "" && !hasColumn(src.f, job.Target) {
		return fmt.Errorf("--target: %s has no column %q", src.ds.Name, job.Target)
	}
	switch {
	case fl.task == "regression" || (fl.task == "" && card.Task == workspace.TaskRegression && job.Target == card.Target):
		t := models.Regression
		job.Task = &t
	case fl.task != "":
		return fmt.Errorf("--task %q: only regression can be forced", fl.task)
	}
	if spec.Scheme == validate.StratifiedKFold && spec.K != 0 && job.Target != "" {
		// --cv K on a regression target is plain k-fold.
		if col, _ := src.f.Column(job.Target); col != nil {
			if task, _, err := models.DetectTask(col); err == nil && (task == models.Regression || job.Task != nil) {
				spec.Scheme = validate.KFold
			}
		}
	}
	prep, err := workspace.ResolvePrep(src.ws, workspace.PrepRequest{Mode: mode, Dataset: src.dataset, Frame: src.f,
		Target: job.Target, Features: fl.features, Selection: fl.selection,
		Exclude: append(slices.Clone(fl.exclude), spec.Group, spec.Time)})
	if err != nil {
		return err
	}
	if !fl.asJSON {
		for _, n := range prep.Notes {
			fmt.Fprintf(e.stderr, "mlwb: %s\n", n)
		}
	}
	job.Features, job.Prep = prep.Features, prep.Preparer(fl.seed)
	if fl.test != "" {
		opt, _ := fl.rf.options()
		bar := newProgress(e.stderr, "loading "+filepath.Base(fl.test), fl.asJSON)
		opt.Progress = bar.Update
		job.Test, err = dataio.Load(ctx, fl.test, opt)
		bar.Done()
		if err != nil {
			return err
		}
	}
	job.Validation = spec
	bar := newProgress(e.stderr, "training "+fl.model, fl.asJSON)
	job.Progress = func(ev train.Event) {
		if ev.Phase == train.FoldDone && ev.Fold >= 0 {
			bar.Update(int64(ev.Fold+1), int64(ev.Folds))
		}
	}
	res, err := train.Run(ctx, job)
	bar.Done()
	if err != nil {
		return err
	}
	var runID *string
	if src.ws != nil {
		r := workspace.RunFromResult(res, time.Now())
		r.Dataset, r.Seed, r.Version, r.Note, r.Tags = src.ds, fl.seed, Version, fl.note, fl.tags
		art, err := workspace.ArtifactsOf(res)
		if err != nil {
			return err
		}
		if err := src.ws.SaveRunWith(ctx, &r, art); err != nil {
			return err
		}
		runID = &r.ID
	}
	out := trainJSON(res, src.ds, fl.seed, runID)
	if prep.Selection != nil {
		out.Selection = &prep.SelectionFile
	}
	if fl.asJSON {
		return writeJSON(e, out)
	}
	return writeTrainText(e.stdout, res, out)
}

func hasColumn(f *frame.Frame, name string) bool {
	_, err := f.Column(name)
	return err == nil
}

func trainJSON(res *train.Result, ds workspace.RunDataset, seed uint64, id *string) TrainJSON {
	out := TrainJSON{RunID: id, Dataset: ds, Target: res.Target, Task: res.Task.String(), Classes: res.Classes,
		Model: res.Model, Params: res.Params, Seed: seed, Features: len(res.Features), Pipeline: res.Pipeline,
		Validation: TrainValidationJSON{Scheme: res.Spec.Scheme.String(), Description: res.Spec.String(), Folds: len(res.Folds)},
		Metrics:    map[string]TrainMetricJSON{}, FitSeconds: res.FitSeconds, FinalFitSeconds: res.FinalFitSeconds,
		TotalSeconds: res.TotalSeconds, Warnings: res.Warnings}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	for _, m := range res.Metrics {
		folds := make([]workspace.Num, len(m.Folds))
		for i, v := range m.Folds {
			folds[i] = workspace.Num(v)
		}
		out.Metrics[m.Name] = TrainMetricJSON{Mean: workspace.Num(m.Mean), Std: workspace.Num(m.Std), Folds: folds}
	}
	if len(res.Estimates) > 0 {
		out.Estimates = map[string]TrainEstimateJSON{}
		for _, e := range res.Estimates {
			out.Estimates[e.Name] = TrainEstimateJSON{Apparent: workspace.Num(e.Apparent), OOB: workspace.Num(e.OOB),
				E632: workspace.Num(e.E632), E632Plus: workspace.Num(e.E632Plus)}
		}
	}
	return out
}

// fmtMetric formats a metric value with 4 decimals, "—" when undefined.
func fmtMetric(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	return fmt.Sprintf("%.4f", v)
}

func writeTrainText(w io.Writer, res *train.Result, out TrainJSON) error {
	label := out.Dataset.Name
	if out.Dataset.Version > 0 {
		label = fmt.Sprintf("%s@%d", out.Dataset.Name, out.Dataset.Version)
	}
	fmt.Fprintf(w, "%s on %s (%d rows, %d features), target %s (%s)\n", res.Model, label, out.Dataset.Rows, len(res.Features), res.Target, res.Task)
	fmt.Fprintf(w, "pipeline: %s\n", res.Pipeline)
	fmt.Fprintf(w, "validation: %s\n\n", res.Spec)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "metric\tmean\t± std\tfolds")
	for _, m := range res.Metrics {
		folds := make([]string, len(m.Folds))
		for i, v := range m.Folds {
			folds[i] = fmtMetric(v)
		}
		if len(folds) > 10 {
			folds = append(folds[:10], "…")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.Name, fmtMetric(m.Mean), fmtMetric(m.Std), strings.Join(folds, " "))
	}
	tw.Flush()
	if len(res.Estimates) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "metric\tapparent\tout-of-bag\t.632\t.632+")
		for _, e := range res.Estimates {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.Name, fmtMetric(e.Apparent), fmtMetric(e.OOB), fmtMetric(e.E632), fmtMetric(e.E632Plus))
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\nfit %.2fs", res.FitSeconds)
	if res.FinalFitSeconds > 0 {
		fmt.Fprintf(w, ", final fit %.2fs", res.FinalFitSeconds)
	}
	fmt.Fprintf(w, ", total %.2fs\n", res.TotalSeconds)
	for _, warn := range res.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	if out.RunID != nil {
		fmt.Fprintf(w, "run %s saved (mlwb runs show %s)\n", *out.RunID, *out.RunID)
	} else {
		fmt.Fprintln(w, "scratch run: nothing saved (use -w DIR to record it)")
	}
	return nil
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
