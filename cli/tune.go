package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
	"github.com/mlwb/mlwb/engine/train"
	"github.com/mlwb/mlwb/engine/tune"
	"github.com/mlwb/mlwb/engine/validate"
	"github.com/mlwb/mlwb/workspace"
	"github.com/spf13/cobra"
)

// TuneJSON is the documented output of "mlwb tune --json".
type TuneJSON struct {
	StudyID   string          `json:"study_id"`
	Dir       string          `json:"dir"`
	Scratch   bool            `json:"scratch"`
	Model     string          `json:"model"`
	Target    string          `json:"target"`
	Metric    string          `json:"metric"`
	Direction string          `json:"direction"`
	Sampler   string          `json:"sampler"`
	Pruner    string          `json:"pruner"`
	Seed      uint64          `json:"seed"`
	Space     []string        `json:"space"`
	Best      *TuneBestJSON   `json:"best"`
	Trials    []TuneTrialJSON `json:"trials"`
	Counts    map[string]int  `json:"counts"`
	Stopped   string          `json:"stopped,omitempty"`
}

// TuneBestJSON is the best trial in TuneJSON.
type TuneBestJSON struct {
	Value  workspace.Num  `json:"value"`
	Params map[string]any `json:"params"`
	Trial  int            `json:"trial"`
}

// TuneTrialJSON is one trial in TuneJSON.
type TuneTrialJSON struct {
	Number       int             `json:"number"`
	Params       map[string]any  `json:"params"`
	Value        workspace.Num   `json:"value"`
	State        string          `json:"state"`
	Error        string          `json:"error,omitempty"`
	Seconds      float64         `json:"seconds"`
	Intermediate []workspace.Num `json:"intermediate"`
}

type tuneFlags struct {
	tf      trainFlags
	model   string
	trials  int
	sampler string
	pruner  string
	metric  string
	jobs    int
	space   string
	resume  string
}

func newTuneCmd(e *env) *cobra.Command {
	var fl tuneFlags
	cmd := &cobra.Command{
		Use:   "tune --data FILE|DATASET --target COL --model NAME --trials N",
		Short: "Search a model's hyperparameters; keep the study in the workspace",
		Long: `Search the hyperparameters of a model on FILE or a workspace DATASET.
Every trial builds the model with the sampled parameters, validates it
(default 3-fold cross-validation, stratified for classification; --cv K,
--holdout FRAC, --time-split COL as in "mlwb train") and scores the mean of
--metric over the folds. Intermediate values go to the pruner, so --pruner
median|asha stops poor trials early: with --holdout, gbdt reports its
validation loss (log loss, or squared error for regression) after every
boosting iteration, negated when the metric is better higher, and a pruned
trial stops fitting at once; otherwise the running mean of the metric after
each fold.

Search space: the model's default (models: ` + strings.Join(tune.DefaultModels(), ", ") + `),
or --space FILE, one parameter a line:
  n_estimators: int 50..500 log
  learning_rate: float 1e-3..0.3 log
  max_depth: int 2..12 step 2
  criterion: cat gini|entropy
  l1_ratio: float 0..1 if penalty=elasticnet
Samplers: ` + strings.Join(tune.Samplers(), ", ") + ` (default tpe; grid needs a
step or points for floats). Pruners: none, median, asha (default none);
both wait for complete trials to compare with (median 5, asha 1, whose
first rung is then at 1% of that trial's steps, as Optuna's defaults).

The metric defaults to the card's metric, else accuracy (classification) or
rmse (regression); its direction (maximise or minimise) follows the metric.

Studies: with a workspace (--data DATASET, or -w DIR) the study lives in
studies/<id>/: study.json (space, sampler, pruner, seed, data — editable) and
trials.jsonl, an append-only log written at every trial start and end.
Killing mlwb loses only the running trials; "mlwb tune --resume ID --trials N"
runs N more (the data, model and metric come from study.json). A second
process on the same study is refused. Without a workspace the study is a
scratch one in a temporary folder (its path is printed; --resume PATH works).

-j N runs N trials at a time (default: one per CPU). With -j 1 and --seed the
study is exactly reproducible. Trials that fail are recorded with their error
and the study goes on. ctrl+c stops: running trials are recorded as cancelled.

JSON output (--json), every trial of the study listed; undefined values null:
  {"study_id", "dir", "scratch", "model", "target", "metric", "direction",
   "sampler", "pruner", "seed", "space": ["<line>", ...],
   "best": {"value", "params": {...}, "trial": N} | null,
   "trials": [{"number", "params": {...}, "value" (null unless complete),
               "state" (complete|pruned|failed|running), "error", "seconds",
               "intermediate": [values reported to the pruner, by step]}],
   "counts": {"complete", "pruned", "failed"}, "stopped": "<reason>"}`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTune(cmd.Context(), e, fl)
		},
	}
	f := cmd.Flags()
	fl.tf.rf.add(cmd)
	f.StringVar(&fl.tf.data, "data", "", "training data: a file or a workspace dataset (name or name@N)")
	f.StringVar(&fl.tf.target, "target", "", "column to predict (default: the card's target)")
	f.StringVar(&fl.model, "model", "", "model: "+strings.Join(tune.DefaultModels(), ", "))
	f.IntVar(&fl.trials, "trials", 20, "number of trials to run (more trials with --resume)")
	f.StringVar(&fl.sampler, "sampler", "", "sampler: "+strings.Join(tune.Samplers(), ", ")+" (default tpe)")
	f.StringVar(&fl.pruner, "pruner", "", "pruner: "+strings.Join(tune.Pruners(), ", ")+" (default none)")
	f.StringVar(&fl.metric, "metric", "", "metric to optimise (default: the card's, else accuracy or rmse)")
	f.IntVarP(&fl.jobs, "jobs", "j", 0, "trials at a time (0: one per CPU)")
	f.StringVar(&fl.space, "space", "", "search-space file (default: the model's default space)")
	f.StringVar(&fl.resume, "resume", "", "continue the study with this id (or folder)")
	f.IntVar(&fl.tf.cv, "cv", 0, "k-fold cross-validation with K folds (default 3)")
	f.BoolVar(&fl.tf.shuffle, "shuffle", false, "shuffle rows before cutting k folds (seeded)")
	f.StringVar(&fl.tf.group, "group", "", "group k-fold over this column (with --cv)")
	f.Float64Var(&fl.tf.holdout, "holdout", 0, "hold out this fraction of rows, in (0, 1)")
	f.StringVar(&fl.tf.timeSplit, "time-split", "", "expanding-window time-series split over this column")
	f.IntVar(&fl.tf.splits, "splits", 0, "number of time-series splits (default 5)")
	f.StringSliceVar(&fl.tf.exclude, "exclude", nil, "columns not to use as features (comma-separated)")
	f.StringVar(&fl.tf.task, "task", "", "force the task: regression (for an integer target taken as classes)")
	f.Uint64Var(&fl.tf.seed, "seed", 0, "seed of the sampler, the folds and the models")
	f.StringVarP(&fl.tf.dir, "workspace", "w", "", "workspace folder to keep the study in")
	f.BoolVar(&fl.tf.asJSON, "json", false, "print JSON (stable, documented above)")
	return cmd
}

// Keys of tune.Config.Extra written by "mlwb tune" and read by --resume.
const (
	tuneExtraModel    = "model"
	tuneExtraData     = "data"
	tuneExtraTarget   = "target"
	tuneExtraMetric   = "metric"
	tuneExtraCV       = "cv"
	tuneExtraShuffle  = "shuffle"
	tuneExtraGroup    = "group"
	tuneExtraHoldout  = "holdout"
	tuneExtraTime     = "time_split"
	tuneExtraSplits   = "splits"
	tuneExtraExclude  = "exclude"
	tuneExtraTask     = "task"
	tuneExtraDataHash = "data_hash"
)

// tuneExtra records in the study file what rebuilds the objective.
func tuneExtra(fl tuneFlags, dataRef, hash string) map[string]string {
	x := map[string]string{tuneExtraModel: fl.model, tuneExtraData: dataRef, tuneExtraTarget: fl.tf.target,
		tuneExtraMetric: fl.metric, tuneExtraDataHash: hash}
	set := func(k, v string) {
		if v != "" {
			x[k] = v
		}
	}
	if fl.tf.cv != 0 {
		set(tuneExtraCV, strconv.Itoa(fl.tf.cv))
	}
	if fl.tf.shuffle {
		set(tuneExtraShuffle, "true")
	}
	set(tuneExtraGroup, fl.tf.group)
	if fl.tf.holdout != 0 {
		set(tuneExtraHoldout, strconv.FormatFloat(fl.tf.holdout, 'g', -1, 64))
	}
	set(tuneExtraTime, fl.tf.timeSplit)
	if fl.tf.splits != 0 {
		set(tuneExtraSplits, strconv.Itoa(fl.tf.splits))
	}
	set(tuneExtraExclude, strings.Join(fl.tf.exclude, ","))
	set(tuneExtraTask, fl.tf.task)
	return x
}

// applyTuneExtra fills the flags from a study file (for --resume).
func applyTuneExtra(fl *tuneFlags, x map[string]string, file string) error {
	num := func(k string, dst *int) error {
		if s := x[k]; s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				return fmt.Errorf("%s: extra.%s %q: not an integer", file, k, s)
			}
			*dst = n
		}
		return nil
	}
	fl.model, fl.tf.data, fl.tf.target, fl.metric = x[tuneExtraModel], x[tuneExtraData], x[tuneExtraTarget], x[tuneExtraMetric]
	if fl.model == "" || fl.tf.data == "" {
		return fmt.Errorf("%s: extra.model and extra.data are needed to resume", file)
	}
	if err := num(tuneExtraCV, &fl.tf.cv); err != nil {
		return err
	}
	if err := num(tuneExtraSplits, &fl.tf.splits); err != nil {
		return err
	}
	fl.tf.shuffle = x[tuneExtraShuffle] == "true"
	fl.tf.group, fl.tf.timeSplit, fl.tf.task = x[tuneExtraGroup], x[tuneExtraTime], x[tuneExtraTask]
	if s := x[tuneExtraHoldout]; s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("%s: extra.holdout %q: not a number", file, s)
		}
		fl.tf.holdout = v
	}
	fl.tf.exclude = nil
	if s := x[tuneExtraExclude]; s != "" {
		fl.tf.exclude = strings.Split(s, ",")
	}
	return nil
}

// modelParamNames lists the parameters model accepts.
func modelParamNames(model string) ([]string, error) {
	m, err := models.New(model, nil, 0)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range m.Params() {
		names = append(names, p.Name)
	}
	return names, nil
}

// resolveTuneTarget picks the target and task as "mlwb train" does, and the
// metric (checked against the task's metrics).
func resolveTuneTarget(src trainSource, fl tuneFlags) (target string, task *models.Task, metric string, err error) {
	var card workspace.Card
	if src.ws != nil {
		card = src.ws.Card()
	}
	target = fl.tf.target
	if target == "" {
		switch {
		case card.Target != "" && hasColumn(src.f, card.Target):
			target = card.Target
		case src.isARF && src.f.NumCols() > 0:
			target = src.f.Columns()[src.f.NumCols()-1].Name()
		default:
			return "", nil, "", errors.New("--target COL is required (no card target for this data)")
		}
	}
	col, err := src.f.Column(target)
	if err != nil {
		return "", nil, "", fmt.Errorf("--target: %s has no column %q", src.ds.Name, target)
	}
	detected, _, err := models.DetectTask(col)
	if err != nil {
		return "", nil, "", fmt.Errorf("--target %s: %w", target, err)
	}
	switch {
	case fl.tf.task == "regression" || (fl.tf.task == "" && card.Task == workspace.TaskRegression && target == card.Target):
		t := models.Regression
		task, detected = &t, t
	case fl.tf.task != "":
		return "", nil, "", fmt.Errorf("--task %q: only regression can be forced", fl.tf.task)
	}
	names := train.MetricNames(detected)
	metric = fl.metric
	if metric == "" {
		switch {
		case card.Metric.Name != "" && slices.Contains(names, card.Metric.Name):
			metric = card.Metric.Name
		case detected == models.Regression:
			metric = "rmse"
		default:
			metric = "accuracy"
		}
	}
	if !slices.Contains(names, metric) {
		return "", nil, "", fmt.Errorf("--metric %s: a %s task has metrics %s", metric, detected, strings.Join(names, ", "))
	}
	return target, task, metric, nil
}

// tuneSpace reads --space FILE or the model's default space, and checks its
// names against the model's parameters.
func tuneSpace(model, file string) (*tune.Space, error) {
	var sp *tune.Space
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("--space: %w", err)
		}
		if sp, err = tune.Parse(file, string(b)); err != nil {
			return nil, err
		}
	} else {
		var err error
		if sp, err = tune.DefaultSpace(model); err != nil {
			return nil, fmt.Errorf("%w; give one with --space FILE", err)
		}
	}
	known, err := modelParamNames(model)
	if err != nil {
		return nil, err
	}
	if err := sp.CheckNames(model, known); err != nil {
		return nil, err
	}
	return sp, nil
}

func runTune(ctx context.Context, e *env, fl tuneFlags) error {
	if fl.trials < 0 {
		return fmt.Errorf("--trials %d: want a number of trials ≥ 0", fl.trials)
	}
	if fl.jobs < 0 {
		return fmt.Errorf("-j %d: want a number of jobs ≥ 0", fl.jobs)
	}
	var (
		dir     string
		scratch bool
		cfg     tune.Config
		studyID string
	)
	if fl.resume != "" {
		if fl.tf.data != "" || fl.model != "" || fl.space != "" || fl.metric != "" || fl.tf.target != "" {
			return errors.New("--resume takes the data, model, space and metric from the study; leave --data, --model, --space, --metric and --target out")
		}
		dir = fl.resume
		if _, err := os.Stat(filepath.Join(dir, tune.ConfigFile)); err != nil {
			ws, werr := openWorkspaceFlag(fl.tf.dir)
			if werr != nil {
				return fmt.Errorf("--resume %s: not a study folder, and %w", fl.resume, werr)
			}
			dir = filepath.Join(ws.StudiesDir(), fl.resume)
			if _, err := os.Stat(filepath.Join(dir, tune.ConfigFile)); err != nil {
				return fmt.Errorf("--resume %s: no such study in %s (mlwb tune lists its id when it starts)", fl.resume, ws.StudiesDir())
			}
			if fl.tf.dir == "" {
				fl.tf.dir = ws.Dir()
			}
		}
		var err error
		if cfg, err = tune.LoadConfig(dir); err != nil {
			return err
		}
		file := filepath.Join(dir, tune.ConfigFile)
		if err := applyTuneExtra(&fl, cfg.Extra, file); err != nil {
			return err
		}
		fl.sampler, fl.pruner, fl.tf.seed = cfg.Sampler, cfg.Pruner, cfg.Seed
		studyID = filepath.Base(dir)
	} else {
		if fl.model == "" {
			return fmt.Errorf("--model is required (%s)", strings.Join(tune.DefaultModels(), ", "))
		}
		if fl.sampler == "" {
			fl.sampler = "tpe"
		}
		if fl.pruner == "" {
			fl.pruner = "none"
		}
	}
	if _, err := tune.NewSampler(fl.sampler); err != nil {
		return fmt.Errorf("--sampler: %w", err)
	}
	if _, err := tune.NewPruner(fl.pruner); err != nil {
		return fmt.Errorf("--pruner: %w", err)
	}
	var sp *tune.Space
	if fl.resume != "" {
		sp = cfg.Space
		known, err := modelParamNames(fl.model)
		if err != nil {
			return err
		}
		if err := sp.CheckNames(fl.model, known); err != nil {
			return fmt.Errorf("%s: %w", filepath.Join(dir, tune.ConfigFile), err)
		}
	} else {
		var err error
		if sp, err = tuneSpace(fl.model, fl.space); err != nil {
			return err
		}
	}
	if fl.tf.holdout == 0 && fl.tf.timeSplit == "" && fl.tf.cv == 0 {
		fl.tf.cv = 3
	}
	spec, err := trainSpec(fl.tf)
	if err != nil {
		return err
	}
	src, err := loadTrainSource(ctx, e, fl.tf)
	if err != nil {
		return err
	}
	if fl.resume != "" && cfg.Extra[tuneExtraDataHash] != "" && src.ds.Hash != cfg.Extra[tuneExtraDataHash] {
		e.warn(fmt.Sprintf("the data %s changed since the study started (its hash differs); trials before and after are not comparable", fl.tf.data))
	}
	target, task, metric, err := resolveTuneTarget(src, fl)
	if err != nil {
		return err
	}
	if spec.Scheme == validate.StratifiedKFold && (task != nil || detectedRegression(src.f, target)) {
		spec.Scheme = validate.KFold
	}
	fl.tf.target, fl.metric = target, metric
	if err := checkTextColumns(src.f, target, fl.tf); err != nil {
		return err
	}
	dir2 := train.HigherIsBetter(metric)
	direction := tune.Minimize
	if dir2 {
		direction = tune.Maximize
	}
	if fl.resume == "" {
		dataRef := fl.tf.data
		if src.ws != nil {
			studyID = workspace.NewRunID(time.Now())
			dir = filepath.Join(src.ws.StudiesDir(), studyID)
			if src.ds.Source == "" {
				dataRef = fmt.Sprintf("%s@%d", src.ds.Name, src.ds.Version)
			} else {
				dataRef = src.ds.Source
			}
		} else {
			if dir, err = os.MkdirTemp("", "mlwb-study-"); err != nil {
				return err
			}
			scratch = true
			studyID = filepath.Base(dir)
			if abs, err := filepath.Abs(fl.tf.data); err == nil {
				dataRef = abs
			}
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		cfg = tune.Config{Direction: direction, Space: sp, Sampler: fl.sampler, Pruner: fl.pruner, Seed: fl.tf.seed,
			Extra: tuneExtra(fl, dataRef, src.ds.Hash)}
		if err := tune.SaveConfig(dir, cfg); err != nil {
			return err
		}
	} else if cfg.Direction != direction {
		return fmt.Errorf("%s: direction %s does not match metric %s", filepath.Join(dir, tune.ConfigFile), cfg.Direction, metric)
	}
	opts, err := cfg.Options()
	if err != nil {
		return err
	}
	study, err := tune.Open(dir, opts)
	if err != nil {
		var iu *tune.InUseError
		if errors.As(err, &iu) {
			return fmt.Errorf("study %s is in use by another mlwb (pid %d, since %s); wait for it or stop it", studyID, iu.PID, iu.Since.Local().Format("15:04:05"))
		}
		return err
	}
	defer study.Close()
	if !fl.tf.asJSON {
		where := dir
		if scratch {
			where += " (scratch)"
		}
		fmt.Fprintf(e.stderr, "study %s in %s: %s on %s, %s %s, %s\n", studyID, where, fl.model, target, direction, metric, spec)
	}
	obj := tune.TrainObjective{Metric: metric, Job: train.Job{Frame: src.f, Target: target, Task: task,
		Model: fl.model, Seed: fl.tf.seed, Validation: spec, Exclude: fl.tf.exclude}}
	bar := newProgress(e.stderr, fmt.Sprintf("tuning %s", fl.model), fl.tf.asJSON)
	var mu sync.Mutex
	done := 0
	stopped := ""
	err = study.Optimize(ctx, obj.Objective(), fl.trials, fl.jobs, func(tune.TrialResult) {
		mu.Lock()
		done++
		label := fmt.Sprintf("trial %d/%d", done, fl.trials)
		if b, ok := study.Best(); ok {
			label += fmt.Sprintf(", best %s %s (#%d)", metric, fmtMetric(b.Value), b.Number)
		}
		mu.Unlock()
		bar.mu.Lock()
		bar.label = label
		bar.mu.Unlock()
		bar.Update(int64(done), int64(fl.trials))
	})
	bar.Done()
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			return err
		}
		stopped = "cancelled"
	}
	out := tuneJSON(study, studyID, dir, scratch, fl, cfg, metric)
	out.Stopped = stopped
	if fl.tf.asJSON {
		return writeJSON(e, out)
	}
	return writeTuneText(e.stdout, out)
}

// checkTextColumns refuses text features before any trial runs (every
// trial would fail on them).
func checkTextColumns(f *frame.Frame, target string, fl trainFlags) error {
	var text []string
	for _, c := range f.Columns() {
		n := c.Name()
		if c.Type() == frame.String && n != target && n != fl.group && n != fl.timeSplit && !slices.Contains(fl.exclude, n) {
			text = append(text, n)
		}
	}
	if len(text) > 0 {
		return fmt.Errorf("columns %s are text with no encoder: leave them out with --exclude %s", strings.Join(text, ", "), strings.Join(text, ","))
	}
	return nil
}

// detectedRegression reports whether the target's detected task is regression.
func detectedRegression(f *frame.Frame, target string) bool {
	col, err := f.Column(target)
	if err != nil {
		return false
	}
	t, _, err := models.DetectTask(col)
	return err == nil && t == models.Regression
}

// tuneParamsJSON turns trial values into JSON values: numbers and strings.
func tuneParamsJSON(p tune.Params) map[string]any {
	out := make(map[string]any, len(p))
	for k, v := range p {
		if v.Str != "" {
			out[k] = v.Str
		} else {
			out[k] = workspace.Num(v.Num)
		}
	}
	return out
}

func tuneJSON(study *tune.Study, id, dir string, scratch bool, fl tuneFlags, cfg tune.Config, metric string) TuneJSON {
	out := TuneJSON{StudyID: id, Dir: dir, Scratch: scratch, Model: fl.model, Target: fl.tf.target, Metric: metric,
		Direction: cfg.Direction.String(), Sampler: cfg.Sampler, Pruner: cfg.Pruner, Seed: cfg.Seed,
		Space: cfg.Space.Lines(), Trials: []TuneTrialJSON{}, Counts: map[string]int{"complete": 0, "pruned": 0, "failed": 0}}
	for _, t := range study.Trials() {
		v := t.Value
		if t.State != tune.Complete {
			// A pruned trial's value is its last intermediate one, which
			// may be a loss rather than the metric.
			v = math.NaN()
		}
		tj := TuneTrialJSON{Number: t.Number, Params: tuneParamsJSON(t.Params), Value: workspace.Num(v),
			State: t.State.String(), Error: t.Err, Seconds: math.Round(t.Duration.Seconds()*1000) / 1000,
			Intermediate: []workspace.Num{}}
		for _, s := range t.Intermediate {
			tj.Intermediate = append(tj.Intermediate, workspace.Num(s.Value))
		}
		out.Trials = append(out.Trials, tj)
		out.Counts[t.State.String()]++
	}
	if b, ok := study.Best(); ok {
		out.Best = &TuneBestJSON{Value: workspace.Num(b.Value), Params: tuneParamsJSON(b.Params), Trial: b.Number}
	}
	return out
}

func fmtTuneParams(p map[string]any) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		switch v := p[k].(type) {
		case workspace.Num:
			parts[i] = k + "=" + strconv.FormatFloat(float64(v), 'g', 4, 64)
		default:
			parts[i] = fmt.Sprintf("%s=%v", k, v)
		}
	}
	return strings.Join(parts, " ")
}

func writeTuneText(w io.Writer, out TuneJSON) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "#\tstate\t%s\tseconds\tparameters\n", out.Metric)
	for _, t := range out.Trials {
		val := fmtMetric(float64(t.Value))
		params := fmtTuneParams(t.Params)
		if t.Error != "" {
			params += "  (" + t.Error + ")"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.2f\t%s\n", t.Number, t.State, val, t.Seconds, params)
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%d complete, %d pruned, %d failed\n", out.Counts["complete"], out.Counts["pruned"], out.Counts["failed"])
	if out.Best != nil {
		fmt.Fprintf(w, "best: trial %d, %s %s  %s\n", out.Best.Trial, out.Metric, fmtMetric(float64(out.Best.Value)), fmtTuneParams(out.Best.Params))
	} else {
		fmt.Fprintln(w, "best: no trial completed")
	}
	if out.Stopped != "" {
		fmt.Fprintf(w, "stopped: %s\n", out.Stopped)
	}
	if out.Scratch {
		fmt.Fprintf(w, "scratch study in %s (mlwb tune --resume %s --trials N continues it)\n", out.Dir, out.Dir)
	} else {
		fmt.Fprintf(w, "study %s (mlwb tune --resume %s --trials N continues it)\n", out.StudyID, out.StudyID)
	}
	return nil
}
