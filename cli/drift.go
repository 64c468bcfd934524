package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/drift"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/metrics"
	"github.com/mlwb/mlwb/engine/models"
	"github.com/mlwb/mlwb/engine/train"
	"github.com/mlwb/mlwb/screens/monitor"
	"github.com/mlwb/mlwb/workspace"
	"github.com/spf13/cobra"
)

// DriftExitCode is the exit status of "mlwb drift" when the data drifts.
const DriftExitCode = 3

// DriftJSON is the documented output of "mlwb drift --json": the verdict on
// the latest current data (the last batch or window) at the top level, and
// every batch or window in order under "windows".
type DriftJSON struct {
	Reference string `json:"reference"`
	Current   string `json:"current"`
	drift.ReportJSON
	Target     *drift.ColumnJSON `json:"target"`
	Prediction *drift.ColumnJSON `json:"prediction"`
	// Model is the run whose model scored the data (null without --model);
	// Metrics its metrics on the latest window (null without labels).
	Model   *DriftModelJSON          `json:"model"`
	Metrics map[string]workspace.Num `json:"metrics"`
	Windows []DriftWindowJSON        `json:"windows"`
	// Goal is the card's primary metric and threshold the model is held
	// to (null without a model, or without such a goal on the card).
	Goal *DriftGoalJSON `json:"goal"`
	// Alerts are the threshold crossings found along the windows; New
	// says the alert was not yet in AlertsFile (appended by this run).
	Alerts []DriftAlertJSON `json:"alerts"`
	// AlertsFile is where alerts were saved ("" without a workspace).
	AlertsFile string `json:"alerts_file,omitempty"`
}

// DriftGoalJSON is the model metric the card asks for, and its value on
// the latest window.
type DriftGoalJSON struct {
	Metric         string        `json:"metric"`
	Threshold      float64       `json:"threshold"`
	HigherIsBetter bool          `json:"higher_is_better"`
	Value          workspace.Num `json:"value"`
	// Missed is true when the latest window's value is worse than the
	// threshold (then the exit status is 3).
	Missed bool `json:"missed"`
}

// DriftAlertJSON is one alert of "mlwb drift --json".
type DriftAlertJSON struct {
	drift.Alert
	New bool `json:"new"`
}

// DriftModelJSON describes the model of --model RUN.
type DriftModelJSON struct {
	Run     string   `json:"run"`
	Model   string   `json:"model"`
	Task    string   `json:"task"`
	Target  string   `json:"target"`
	Classes []string `json:"classes,omitempty"`
	Dataset string   `json:"dataset"`
	// Score is the score column compared as the prediction.
	Score string `json:"score"`
}

// DriftWindowJSON is one batch or window; Error is set when it could not be
// compared (e.g. an empty batch).
type DriftWindowJSON struct {
	drift.ReportJSON
	// OrderKey is the window's earliest value of the --order-by column.
	OrderKey string `json:"order_key,omitempty"`
	// Metrics are the model's metrics on the window's labelled rows
	// (absent without --model or without the target in the window), over
	// MetricsN rows.
	Metrics      map[string]workspace.Num `json:"metrics,omitempty"`
	MetricsN     int                      `json:"metrics_n,omitempty"`
	MetricsError string                   `json:"metrics_error,omitempty"`
	Error        string                   `json:"error,omitempty"`
}

type driftFlags struct {
	rf         readFlags
	reference  string
	current    string
	window     string
	model      string
	prediction string
	target     string
	method     string
	colMethods []string
	also       []string
	thresholds []string
	columns    []string
	share      float64
	binning    string
	dir        string
	asJSON     bool
	noTarget   bool
	retries    int
	orderBy    string
}

func newDriftCmd(e *env) *cobra.Command {
	var f driftFlags
	cmd := &cobra.Command{
		Use:   "drift --reference FILE|DATASET --current FILE|DIR",
		Short: "Compare current data with a reference, column by column, and exit 3 when it drifts",
		Long: `Compare current data with reference data column by column with Evidently's
default tests and thresholds: for more than 1000 reference values, Wasserstein
distance / std (numeric) and Jensen-Shannon distance (categorical), drift at
0.1; otherwise Kolmogorov-Smirnov (numeric) or chi-square / Z-test
(categorical), drift when p < 0.05. Free-text and datetime columns are skipped.
The dataset drifts when the share of drifted columns is at least 0.5
(--drift-share). The card's target, when present in both, is reported
separately and counts in the share.

--reference is a data file or a workspace dataset (NAME or NAME@VERSION);
default: the workspace's open dataset. --current is a file, or a folder of
batch files compared one by one in name order (default: the workspace's
monitor/batches). --order-by COL orders the batch files by time instead:
each batch's position is the smallest (earliest) value of its column COL, a
datetime or a number (a week number, a Unix time), so a late straggler row
does not move it; ties keep name order. A batch without COL is an error
naming the file; a batch where COL holds no value (or that cannot be read)
is listed last with its error. --window COL:SPAN splits one file into
windows of the datetime column COL (SPAN: 24h, 7d, 1w, 1mo). Files still
being written are retried (--retries).

--prediction-column COL compares a model's score column present in both files
(prediction drift). --model RUN (a run id or unique prefix, see "mlwb runs")
scores the reference and every batch or window with the run's model and
compares the scores as the prediction column: the positive-class probability
(binary), the predicted value (regression) or the predicted class
(multiclass), with the run's own feature preparation (raw, or its saved
pipeline.json). The reference then defaults to the dataset version the model
was trained on. Where the current data holds the target, the model's metrics
are computed per batch or window (roc_auc and accuracy for classification,
rmse, mae and r2 for regression) on the rows with a known label.

Alerts: the threshold crossings along the batches or windows (in order,
each against the one before; the first against nothing, so what already
drifts alerts): a column that starts or stops drifting, the dataset drift
share crossing --drift-share, and with --model the card's primary metric
(e.g. roc_auc) getting worse than the card's threshold or back. With a
workspace (-w, or the one around the current folder) they are appended to
monitor/alerts.jsonl, the file the Monitor screen shows and writes, one JSON
record a line. An alert is appended once: its key is the batch or window
label, the column ("" for the dataset, "model:METRIC" for a metric), the
kind and, for a metric, the run; re-running on the same batches, or the
screen having seen them, adds nothing.

Exit status: 3 when the latest batch or window shows dataset drift, or when
(with --model and a card goal) the model's metric on it is worse than the
card's threshold; 0 otherwise; 1 on error — for cron and CI.

JSON output (--json) is stable (null for undefined numbers):
  {"reference": "...", "current": "...", "label": "week_12.parquet",
   "dataset_drift": true, "drift_share": 0.5, "drift_share_threshold": 0.5,
   "drifted_columns": 7, "compared_columns": 14, "reference_n": 20000, "current_n": 1500,
   "columns": [{"name", "type": "numeric|categorical", "data_type", "role": "feature|target|prediction",
                "method", "score", "statistic", "p_value", "threshold", "drift",
                "reference_n", "current_n", "effect_size", "effect", "error"}],
   "target": {...}|null, "prediction": {...}|null,
   "model": {"run", "model", "task", "target", "classes", "dataset", "score"}|null,
   "metrics": {"roc_auc": 0.81, "accuracy": 0.77}|null,
   "windows": [{"label", "start", "end", "order_key", "dataset_drift", "drift_share", ..., "columns": [...],
                "metrics": {...}, "metrics_n": 1500, "metrics_error", "error"}],
   "goal": {"metric": "roc_auc", "threshold": 0.8, "higher_is_better": true,
            "value": 0.66, "missed": true}|null,
   "alerts": [{"time", "window", "column", "kind": "drift|recovered|dataset_drift|
               dataset_recovered|metric|metric_recovered", "method", "score",
               "threshold", "previous", "model", "new": true}],
   "alerts_file": "/ws/monitor/alerts.jsonl"}`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDrift(cmd.Context(), e, &f)
		},
	}
	f.rf.add(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.reference, "reference", "", "reference data: a file or a workspace dataset NAME[@VERSION]")
	fl.StringVar(&f.current, "current", "", "current data: a file or a folder of batch files")
	fl.StringVar(&f.window, "window", "", "split the current file into windows: COL:SPAN (SPAN 24h, 7d, 1w, 1mo)")
	fl.StringVar(&f.model, "model", "", "score both samples with the model of run RUN and compare its predictions")
	fl.StringVar(&f.prediction, "prediction-column", "", "a model score column present in both samples (prediction drift)")
	fl.StringVar(&f.target, "target", "", "target column (default: the workspace card's target)")
	fl.BoolVar(&f.noTarget, "no-target", false, "do not treat the card's target specially")
	fl.StringVar(&f.method, "method", "", "use this method for every column: ks, wasserstein, jensenshannon, psi, chisquare, ztest")
	fl.StringSliceVar(&f.colMethods, "column-method", nil, "per-column method, COL=METHOD (repeatable)")
	fl.StringSliceVar(&f.also, "also", nil, "more methods to compute beside each verdict (e.g. psi,ks)")
	fl.StringSliceVar(&f.thresholds, "threshold", nil, "threshold per method, METHOD=VALUE (repeatable)")
	fl.StringSliceVar(&f.columns, "columns", nil, "columns to compare (default: all but text and datetime)")
	fl.Float64Var(&f.share, "drift-share", 0.5, "share of drifted columns at which the dataset drifts")
	fl.StringVar(&f.binning, "binning", "", `numeric bins for PSI and Jensen-Shannon: "" (equal width, Evidently) or quantile`)
	fl.IntVar(&f.retries, "retries", 3, "retries for a batch file that fails to parse (half-written)")
	fl.StringVar(&f.orderBy, "order-by", "", "order the batch files of --current by their earliest value of this datetime or numeric column (default: by name)")
	fl.StringVarP(&f.dir, "workspace", "w", "", "workspace folder (default: the one containing the current folder, if any)")
	fl.BoolVar(&f.asJSON, "json", false, "print JSON (stable, documented above)")
	return cmd
}

// driftOptions turns the flags into engine options.
func (f *driftFlags) options() (drift.Options, error) {
	opt := drift.Options{Columns: f.columns, DriftShare: f.share, Binning: drift.Binning(f.binning)}
	if f.share <= 0 || f.share > 1 {
		return opt, fmt.Errorf("--drift-share must be in (0, 1], got %g", f.share)
	}
	if f.binning != "" && f.binning != string(drift.Quantile) {
		return opt, fmt.Errorf("--binning must be empty or quantile, got %q", f.binning)
	}
	var err error
	if opt.Method, err = drift.ParseMethod(f.method); err != nil {
		return opt, err
	}
	for _, s := range f.also {
		m, err := drift.ParseMethod(s)
		if err != nil {
			return opt, err
		}
		opt.Also = append(opt.Also, m)
	}
	for _, s := range f.colMethods {
		col, name, ok := strings.Cut(s, "=")
		if !ok {
			return opt, fmt.Errorf("--column-method wants COL=METHOD, got %q", s)
		}
		m, err := drift.ParseMethod(name)
		if err != nil {
			return opt, err
		}
		if opt.ColumnMethods == nil {
			opt.ColumnMethods = map[string]drift.Method{}
		}
		opt.ColumnMethods[col] = m
	}
	for _, s := range f.thresholds {
		name, val, ok := strings.Cut(s, "=")
		v, perr := strconv.ParseFloat(val, 64)
		if !ok || perr != nil {
			return opt, fmt.Errorf("--threshold wants METHOD=VALUE, got %q", s)
		}
		m, err := drift.ParseMethod(name)
		if err != nil || m == drift.Auto {
			return opt, fmt.Errorf("--threshold: unknown method %q", name)
		}
		if opt.Thresholds == nil {
			opt.Thresholds = map[drift.Method]float64{}
		}
		opt.Thresholds[m] = v
	}
	opt.Prediction = f.prediction
	return opt, nil
}

// driftWorkspace opens the workspace of -w, or the one around the current
// folder; without -w, no workspace is fine.
func driftWorkspace(dir string) (*workspace.Workspace, error) {
	if dir != "" {
		return workspace.Open(dir)
	}
	found, err := workspace.Find(".")
	if err != nil {
		return nil, nil
	}
	return workspace.Open(found)
}

// loadReference reads a file, or a workspace dataset NAME[@VERSION].
func loadReference(ctx context.Context, e *env, f *driftFlags, ws *workspace.Workspace) (*frame.Frame, string, error) {
	ref := f.reference
	if ref == "" {
		if ws == nil {
			return nil, "", errors.New("--reference is required outside a workspace")
		}
		name, err := DefaultReference(ws)
		if err != nil {
			return nil, "", err
		}
		ref = name
	}
	if st, err := os.Stat(ref); err == nil && !st.IsDir() {
		opt, err := f.rf.options()
		if err != nil {
			return nil, "", err
		}
		bar := newProgress(e.stderr, "loading "+ref, f.asJSON)
		opt.Progress = bar.Update
		fr, err := drift.LoadBatch(ctx, ref, drift.LoadOptions{Read: opt, Retries: -1})
		bar.Done()
		return fr, ref, err
	}
	if ws == nil {
		return nil, "", fmt.Errorf("reference %s: no such file (and no workspace to find a dataset in)", ref)
	}
	d, err := ws.DatasetRef(ref)
	if err != nil {
		return nil, "", err
	}
	fr, err := ws.Load(ctx, d)
	return fr, d.Ref(), err
}

// DefaultReference is the dataset a drift comparison uses by default: the
// workspace's open dataset, else its first dataset.
func DefaultReference(ws *workspace.Workspace) (string, error) {
	if name := ws.State().Dataset; name != "" {
		if _, err := ws.Dataset(name); err == nil {
			return name, nil
		}
	}
	ds, err := ws.Datasets()
	if err != nil {
		return "", err
	}
	if len(ds) == 0 {
		return "", errors.New("the workspace has no dataset to use as reference: import one, or pass --reference FILE")
	}
	return ds[0].Name, nil
}

type driftWindow struct {
	label string
	rep   *drift.Report
	err   error
	// met are the model's metrics (nil without a model or labels); metErr
	// says why they are missing when a model is used.
	met    *drift.ModelMetrics
	metErr string
	// key is the batch's position by --order-by (nil without, or when the
	// batch has no value to order by).
	key *drift.OrderKey
}

// driftModel is the model of --model RUN, ready to score.
type driftModel struct {
	run    workspace.Run
	data   string // the training dataset, NAME@VERSION or the file
	scorer *drift.Scorer
	train  *frame.Frame
}

// loadDriftModel reads run id's model and the data it was trained on, and
// reproduces the run's feature preparation.
func loadDriftModel(ctx context.Context, e *env, f *driftFlags, ws *workspace.Workspace, id string) (*driftModel, error) {
	if ws == nil {
		return nil, fmt.Errorf("--model %s: runs live in a workspace; pass -w DIR", id)
	}
	run, err := ws.Run(id)
	if err != nil {
		return nil, fmt.Errorf("--model: %w", err)
	}
	if !run.HasModel {
		return nil, fmt.Errorf("--model %s: the run saved no model", run.ID)
	}
	raw := run.Pipeline == (&train.Raw{}).Name()
	if !raw && !run.HasPipeline {
		return nil, fmt.Errorf("--model %s: the run's feature preparation %q was not saved with it; train it again to monitor it", run.ID, run.Pipeline)
	}
	m, err := ws.LoadRunModel(run.ID)
	if err != nil {
		return nil, fmt.Errorf("--model: %w", err)
	}
	dm := &driftModel{run: run}
	if src := run.Dataset.Source; src != "" {
		h, err := fileHash(src)
		if err != nil {
			return nil, fmt.Errorf("--model %s: the training file: %w", run.ID, unwrapPathError(err))
		}
		if h != run.Dataset.Hash {
			return nil, fmt.Errorf("--model %s: the training file %s changed since the run (hash differs)", run.ID, src)
		}
		opt, err := f.rf.options()
		if err != nil {
			return nil, err
		}
		if dm.train, err = dataio.Load(ctx, src, opt); err != nil {
			return nil, err
		}
		dm.data = src
	} else {
		ref := run.Dataset.Name
		if run.Dataset.Version > 0 {
			ref += "@" + strconv.Itoa(run.Dataset.Version)
		}
		d, err := ws.DatasetRef(ref)
		if err != nil {
			return nil, fmt.Errorf("--model %s: its training data: %w", run.ID, err)
		}
		if run.Dataset.Hash != "" && d.Hash != run.Dataset.Hash {
			return nil, fmt.Errorf("--model %s: dataset %s changed since the run (hash differs)", run.ID, d.Ref())
		}
		bar := newProgress(e.stderr, "loading "+d.Ref(), f.asJSON)
		dm.train, err = ws.Load(ctx, d)
		bar.Done()
		if err != nil {
			return nil, err
		}
		dm.data = d.Ref()
	}
	if raw {
		dm.scorer, err = drift.NewScorer(ctx, m, dm.train, run.Target)
	} else {
		fp, ferr := ws.LoadRunPipeline(run.ID)
		if ferr != nil {
			return nil, fmt.Errorf("--model: %w", ferr)
		}
		prep := train.PreparedPipeline(fp)
		dm.scorer, err = drift.NewScorerWith(m, dm.train.Names(), run.Target, func(ctx context.Context, f *frame.Frame) (*models.Matrix, error) {
			return prep.Matrix(ctx, f, nil)
		})
	}
	if err != nil {
		return nil, fmt.Errorf("--model %s: %w", run.ID, err)
	}
	return dm, nil
}

// score adds the prediction column to a current frame and computes the
// model's metrics where the frame has the target.
func (dm *driftModel) score(ctx context.Context, fr *frame.Frame, w *driftWindow) (*frame.Frame, error) {
	g, sc, err := dm.scorer.WithPrediction(ctx, fr)
	if err != nil {
		return nil, err
	}
	if fr.Index(dm.run.Target) < 0 {
		w.metErr = fmt.Sprintf("no target column %q", dm.run.Target)
		return g, nil
	}
	met, err := dm.scorer.Metrics(ctx, fr, sc)
	if err != nil {
		w.metErr = err.Error()
		return g, nil
	}
	w.met = &met
	return g, nil
}

func runDrift(ctx context.Context, e *env, f *driftFlags) error {
	opt, err := f.options()
	if err != nil {
		return err
	}
	ws, err := driftWorkspace(f.dir)
	if err != nil {
		return err
	}
	var dm *driftModel
	if f.model != "" {
		if f.prediction != "" {
			return errors.New("--model and --prediction-column exclude each other: the model's scores are the prediction")
		}
		if dm, err = loadDriftModel(ctx, e, f, ws, f.model); err != nil {
			return err
		}
	}
	readOpt, err := f.rf.options()
	if err != nil {
		return err
	}
	current := f.current
	if current == "" {
		if ws == nil {
			return errors.New("--current is required outside a workspace")
		}
		current = ws.Path(filepath.FromSlash("monitor/batches"))
		if _, err := os.Stat(current); err != nil {
			return errors.New("--current is required (the workspace has no monitor/batches folder)")
		}
	}
	var refFrame *frame.Frame
	var refName string
	if dm != nil && f.reference == "" {
		refFrame, refName = dm.train, dm.data
	} else if refFrame, refName, err = loadReference(ctx, e, f, ws); err != nil {
		return err
	}
	if dm != nil {
		if refFrame, _, err = dm.scorer.WithPrediction(ctx, refFrame); err != nil {
			return fmt.Errorf("reference %s: %w", refName, err)
		}
		opt.Prediction = dm.scorer.Column()
	}
	if err := checkDriftColumns(f, refFrame, refName); err != nil {
		return err
	}
	if f.target != "" {
		opt.Target = f.target
	} else if dm != nil && !f.noTarget && refFrame.Index(dm.run.Target) >= 0 {
		opt.Target = dm.run.Target
	} else if ws != nil && !f.noTarget {
		if t := ws.Card().Target; t != "" && refFrame.Index(t) >= 0 {
			opt.Target = t
		}
	}
	if opt.Prediction != "" && refFrame.Index(opt.Prediction) < 0 {
		return fmt.Errorf("--prediction-column %q: not in the reference data", opt.Prediction)
	}
	ref, err := drift.NewReference(ctx, refFrame, opt)
	if err != nil {
		return err
	}
	wins, err := compareCurrent(ctx, e, f, ref, dm, current, readOpt)
	if err != nil {
		return err
	}
	var last *driftWindow
	for i := range wins {
		if wins[i].err == nil {
			last = &wins[i]
		}
	}
	if last == nil {
		return fmt.Errorf("%s: %w", current, wins[len(wins)-1].err)
	}
	// Nothing compared: "no drift" would be a lie that cron believes; the
	// report is still printed (its columns say why), without alerts.
	noneCompared := last.rep.Compared == 0
	goal := driftGoal(ws, dm)
	var al driftAlertSet
	if !noneCompared {
		if al, err = driftAlerts(ws, goal, wins, time.Now().UTC()); err != nil {
			return err
		}
	}
	if f.asJSON {
		out := driftJSON(refName, current, dm, last, wins)
		out.Goal = goalJSON(goal, last)
		out.Alerts, out.AlertsFile = al.json(), al.file
		err = writeJSON(e, out)
	} else {
		printDrift(e, refName, current, dm, last, wins)
		if !noneCompared {
			printAlerts(e, goal, last, al)
		}
	}
	if err != nil {
		return err
	}
	if noneCompared {
		return fmt.Errorf("%s: no column could be compared with the reference %s (no shared columns of the same kind)", last.label, refName)
	}
	var why []string
	if last.rep.DatasetDrift {
		why = append(why, fmt.Sprintf("dataset drift in %s: %d of %d columns drifted (share %.2f ≥ %.2f)",
			last.label, last.rep.Drifted, last.rep.Compared, last.rep.Share, last.rep.ShareThreshold))
	}
	if v, missed := goalValue(goal, last); missed {
		why = append(why, fmt.Sprintf("model %s: %s %s on %s, worse than the card's threshold %s", goal.Model, goal.Metric, fmtScore(v), last.label, fmtScore(goal.Threshold)))
	}
	if len(why) > 0 {
		return &ExitError{Code: DriftExitCode, Err: errors.New(strings.Join(why, "; "))}
	}
	return nil
}

// driftGoal is the card's primary metric and threshold for the model of
// --model (nil without a model, a workspace, or a goal the model's
// metrics include).
func driftGoal(ws *workspace.Workspace, dm *driftModel) *drift.MetricGoal {
	if ws == nil || dm == nil {
		return nil
	}
	g := ws.Card().Metric
	if g.Threshold == nil || !slices.Contains(drift.MetricNames(dm.scorer.Task()), g.Name) {
		return nil
	}
	return &drift.MetricGoal{Model: dm.run.ID, Metric: g.Name, Threshold: *g.Threshold, HigherIsBetter: metrics.HigherIsBetter(g.Name)}
}

// goalValue is the goal's metric on w (NaN when not computed) and whether
// it misses the goal.
func goalValue(g *drift.MetricGoal, w *driftWindow) (float64, bool) {
	if g == nil || w.met == nil {
		return math.NaN(), false
	}
	v, ok := w.met.Values[g.Metric]
	if !ok {
		return math.NaN(), false
	}
	return v, g.Missed(v)
}

func goalJSON(g *drift.MetricGoal, last *driftWindow) *DriftGoalJSON {
	if g == nil {
		return nil
	}
	v, missed := goalValue(g, last)
	return &DriftGoalJSON{Metric: g.Metric, Threshold: g.Threshold, HigherIsBetter: g.HigherIsBetter, Value: workspace.Num(v), Missed: missed}
}

// driftAlertSet is the alerts of one run of "mlwb drift".
type driftAlertSet struct {
	all   []drift.Alert
	fresh map[string]bool // keys of the alerts appended by this run
	file  string          // "" without a workspace
}

func (s driftAlertSet) json() []DriftAlertJSON {
	out := make([]DriftAlertJSON, len(s.all))
	for i, a := range s.all {
		out[i] = DriftAlertJSON{Alert: a, New: s.fresh[a.Key()]}
	}
	return out
}

// driftAlerts finds the crossings along the windows and, with a
// workspace, appends those not yet saved to its alerts file (the Monitor
// screen's).
func driftAlerts(ws *workspace.Workspace, goal *drift.MetricGoal, wins []driftWindow, now time.Time) (driftAlertSet, error) {
	reps := make([]*drift.Report, len(wins))
	vals := make([]float64, len(wins))
	for i := range wins {
		if wins[i].err == nil {
			reps[i] = wins[i].rep
		}
		vals[i], _ = goalValue(goal, &wins[i])
	}
	set := driftAlertSet{all: drift.SeriesAlerts(reps, vals, goal, now), fresh: map[string]bool{}}
	if ws == nil {
		return set, nil
	}
	set.file = ws.Path(filepath.FromSlash(monitor.AlertsFile))
	if err := os.MkdirAll(filepath.Dir(set.file), 0o755); err != nil {
		return set, fmt.Errorf("alerts: %w", unwrapPathError(err))
	}
	fresh, _, err := drift.SaveNewAlerts(set.file, set.all)
	if err != nil {
		return set, fmt.Errorf("saving alerts: %w", err)
	}
	for _, a := range fresh {
		set.fresh[a.Key()] = true
	}
	return set, nil
}

// printAlerts prints the goal's verdict and the alerts appended.
func printAlerts(e *env, goal *drift.MetricGoal, last *driftWindow, al driftAlertSet) {
	w := e.stdout
	if goal != nil {
		op, verdict := "≥", "met"
		if !goal.HigherIsBetter {
			op = "≤"
		}
		v, missed := goalValue(goal, last)
		if missed {
			verdict = "MISSED"
		} else if v != v {
			verdict = "unknown (no labels)"
		}
		fmt.Fprintf(w, "\ngoal (project card): %s %s %s; on %s: %s, %s\n", goal.Metric, op, fmtScore(goal.Threshold), last.label, fmtScore(v), verdict)
	}
	where := "not saved: no workspace"
	if al.file != "" {
		where = fmt.Sprintf("%d new, appended to %s", len(al.fresh), al.file)
	}
	fmt.Fprintf(w, "\nalerts: %d (%s)\n", len(al.all), where)
	const maxLines = 20
	n := 0
	for _, a := range al.all {
		if al.file != "" && !al.fresh[a.Key()] {
			continue
		}
		if n == maxLines {
			fmt.Fprintf(w, "  …\n")
			break
		}
		n++
		what := a.Column
		if what == "" {
			what = "dataset"
		}
		prev := ""
		if a.Previous != nil {
			prev = fmtScore(*a.Previous) + " → "
		}
		fmt.Fprintf(w, "  %-17s %-16s %-20s %s%s (threshold %s)\n", a.Kind, a.Window, what, prev, fmtScore(a.Score), fmtScore(a.Threshold))
	}
}

// checkDriftColumns fails on a column named by --target, --columns or
// --column-method that the reference lacks: a typo must not pass as "no
// drift" (the engine would only mark the column "not compared").
func checkDriftColumns(f *driftFlags, ref *frame.Frame, refName string) error {
	check := func(flag, col string) error {
		if ref.Index(col) >= 0 {
			return nil
		}
		return fmt.Errorf("%s: reference %s has no column %q (columns: %s)", flag, refName, col, strings.Join(ref.Names(), ", "))
	}
	if f.target != "" {
		if err := check("--target", f.target); err != nil {
			return err
		}
	}
	for _, c := range f.columns {
		if err := check("--columns", c); err != nil {
			return err
		}
	}
	for _, s := range f.colMethods {
		col, _, _ := strings.Cut(s, "=")
		if err := check("--column-method", col); err != nil {
			return err
		}
	}
	return nil
}

// compareCurrent compares a file, its windows, or every batch of a folder.
// With a model, each frame is scored first and the model's metrics kept.
func compareCurrent(ctx context.Context, e *env, f *driftFlags, ref *drift.Reference, dm *driftModel, current string, readOpt dataio.Options) ([]driftWindow, error) {
	st, err := os.Stat(current)
	if err != nil {
		return nil, fmt.Errorf("current data: %w", unwrapPathError(err))
	}
	compare := func(fr *frame.Frame, w *driftWindow) (*drift.Report, error) {
		if dm != nil {
			var err error
			if fr, err = dm.score(ctx, fr, w); err != nil {
				return nil, err
			}
		}
		return ref.Compare(ctx, fr)
	}
	load := func(path string) (*frame.Frame, error) {
		return drift.LoadBatch(ctx, path, drift.LoadOptions{Read: readOpt, Retries: retries(f.retries)})
	}
	if !st.IsDir() && f.orderBy != "" {
		return nil, fmt.Errorf("--order-by orders the batch files of a folder, and %s is a file (split it with --window COL:SPAN)", current)
	}
	if st.IsDir() {
		if f.window != "" {
			return nil, errors.New("--window splits one file; with a folder every batch file is a window")
		}
		batches, err := drift.ListBatches(current)
		if err != nil {
			return nil, err
		}
		if len(batches) == 0 {
			return nil, fmt.Errorf("%s holds no data files", current)
		}
		bar := newProgress(e.stderr, "comparing batches", f.asJSON)
		out := make([]driftWindow, 0, len(batches))
		for i, b := range batches {
			w := driftWindow{label: b.Name}
			fr, err := load(b.Path)
			if err == nil && f.orderBy != "" {
				var key drift.OrderKey
				key, err = drift.OrderBy(fr, f.orderBy)
				var oe *drift.OrderError
				switch {
				case errors.As(err, &oe) && !oe.NoValue:
					return nil, fmt.Errorf("%s: --order-by: %w", b.Path, err)
				case err == nil:
					w.key = &key
				}
			}
			if err == nil {
				w.rep, err = compare(fr, &w)
			}
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if err != nil {
				w.err = err
			} else {
				w.rep.Label = b.Name
			}
			out = append(out, w)
			bar.Update(int64(i+1), int64(len(batches)))
		}
		bar.Done()
		if f.orderBy != "" {
			if err := orderWindows(out, f.orderBy); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	fr, err := load(current)
	if err != nil {
		return nil, err
	}
	if f.window == "" {
		var w driftWindow
		rep, err := compare(fr, &w)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", current, err)
		}
		rep.Label = filepath.Base(current)
		w.label, w.rep = rep.Label, rep
		return []driftWindow{w}, nil
	}
	col, spanText, ok := strings.Cut(f.window, ":")
	if !ok {
		return nil, fmt.Errorf("--window wants COL:SPAN, got %q", f.window)
	}
	span, err := drift.ParseSpan(spanText)
	if err != nil {
		return nil, err
	}
	ws, err := drift.Windows(fr, col, span)
	if err != nil {
		return nil, err
	}
	out := make([]driftWindow, 0, len(ws))
	for _, w := range ws {
		dw := driftWindow{label: w.Label}
		rep, err := compare(w.Frame, &dw)
		dw.rep, dw.err = rep, err
		if err == nil {
			rep.Label, rep.Start, rep.End = w.Label, w.Start, w.End
		}
		out = append(out, dw)
	}
	return out, nil
}

// orderWindows sorts batches by their --order-by key (name order among
// equal keys); batches without a key go last, in name order. Keys of
// different kinds (a datetime in one batch, a number in another) are an
// error naming both files.
func orderWindows(ws []driftWindow, col string) error {
	var first *driftWindow
	for i := range ws {
		w := &ws[i]
		if w.key == nil {
			continue
		}
		if first == nil {
			first = w
		} else if w.key.Datetime != first.key.Datetime {
			kind := func(k *drift.OrderKey) string {
				if k.Datetime {
					return "datetime"
				}
				return "numeric"
			}
			return fmt.Errorf("--order-by %s: the column is %s in %s but %s in %s", col, kind(first.key), first.label, kind(w.key), w.label)
		}
	}
	slices.SortStableFunc(ws, func(a, b driftWindow) int {
		switch {
		case a.key == nil && b.key == nil:
			return 0
		case a.key == nil:
			return 1
		case b.key == nil:
			return -1
		}
		return a.key.Compare(*b.key)
	})
	return nil
}

// retries maps --retries (0: none) to drift.LoadOptions.Retries (0: default).
func retries(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}

// modelMetricsJSON maps metric values to JSON numbers (null when undefined).
func modelMetricsJSON(m *drift.ModelMetrics) map[string]workspace.Num {
	if m == nil {
		return nil
	}
	out := make(map[string]workspace.Num, len(m.Values))
	for k, v := range m.Values {
		out[k] = workspace.Num(v)
	}
	return out
}

func driftJSON(refName, current string, dm *driftModel, last *driftWindow, wins []driftWindow) DriftJSON {
	out := DriftJSON{Reference: refName, Current: current, ReportJSON: last.rep.JSON(), Windows: make([]DriftWindowJSON, len(wins))}
	if dm != nil {
		r := dm.run
		out.Model = &DriftModelJSON{Run: r.ID, Model: r.Model, Task: r.Task, Target: r.Target, Classes: r.Classes,
			Dataset: dm.data, Score: dm.scorer.Column()}
		out.Metrics = modelMetricsJSON(last.met)
	}
	for _, c := range out.Columns {
		switch c.Role {
		case "target":
			c := c
			out.Target = &c
		case "prediction":
			c := c
			out.Prediction = &c
		}
	}
	for i, w := range wins {
		if w.err != nil {
			out.Windows[i] = DriftWindowJSON{ReportJSON: drift.ReportJSON{Label: w.label, Columns: []drift.ColumnJSON{}}, Error: w.err.Error()}
			continue
		}
		out.Windows[i] = DriftWindowJSON{ReportJSON: w.rep.JSON(), Metrics: modelMetricsJSON(w.met), MetricsError: w.metErr}
		if w.key != nil {
			out.Windows[i].OrderKey = w.key.String()
		}
		if w.met != nil {
			out.Windows[i].MetricsN = w.met.N
		}
	}
	return out
}

func fmtScore(v float64) string {
	switch {
	case v != v:
		return "-"
	case v > 1e308:
		return "inf"
	case v != 0 && (v < 0.001 && v > -0.001):
		return strconv.FormatFloat(v, 'e', 2, 64)
	}
	return strconv.FormatFloat(v, 'f', 4, 64)
}

func printDrift(e *env, refName, current string, dm *driftModel, last *driftWindow, wins []driftWindow) {
	w := e.stdout
	var metNames []string
	if dm != nil {
		r := dm.run
		fmt.Fprintf(w, "model: run %s (%s, %s of %s, trained on %s); prediction column %q\n", r.ID, r.Model, r.Task, r.Target, dm.data, dm.scorer.Column())
		metNames = drift.MetricNames(dm.scorer.Task())
	}
	if len(wins) > 1 {
		fmt.Fprintf(w, "%s vs %s: %d batches/windows\n\n", current, refName, len(wins))
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		head := "window\trows\tdrifted\tshare\tdataset drift"
		if dm != nil {
			head += "\tprediction drift (score)"
			for _, n := range metNames {
				head += "\t" + n
			}
		}
		fmt.Fprintln(tw, head)
		for _, x := range wins {
			if x.err != nil {
				fmt.Fprintf(tw, "%s\t-\t-\t-\terror: %v\n", x.label, x.err)
				continue
			}
			fmt.Fprintf(tw, "%s\t%d\t%d/%d\t%.2f\t%s", x.label, x.rep.CurrentN, x.rep.Drifted, x.rep.Compared, x.rep.Share, yesNo(x.rep.DatasetDrift))
			if dm != nil {
				p, _ := x.rep.Role("prediction")
				fmt.Fprintf(tw, "\t%s (%s)", yesNo(p.Drift), fmtScore(p.Score))
				for _, n := range metNames {
					v := "-"
					if x.met != nil {
						v = fmtScore(x.met.Values[n])
					}
					fmt.Fprintf(tw, "\t%s", v)
				}
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
		fmt.Fprintln(w)
	}
	if dm != nil {
		if last.met != nil {
			parts := make([]string, len(metNames))
			for i, n := range metNames {
				parts[i] = n + " " + fmtScore(last.met.Values[n])
			}
			fmt.Fprintf(w, "model metrics on %s (%d labelled rows): %s\n", last.label, last.met.N, strings.Join(parts, ", "))
		} else {
			fmt.Fprintf(w, "model metrics on %s: none (%s)\n", last.label, last.metErr)
		}
	}
	r := last.rep
	fmt.Fprintf(w, "%s (%d rows) vs %s (%d rows): dataset drift %s, %d of %d columns drifted (share %.2f, threshold %.2f)\n\n",
		last.label, r.CurrentN, refName, r.ReferenceN, yesNo(r.DatasetDrift), r.Drifted, r.Compared, r.Share, r.ShareThreshold)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "column\trole\tmethod\tstatistic\tp-value\tscore\tthreshold\tdrift\tref n\tcur n\teffect")
	for _, c := range r.Columns {
		if c.Error != "" {
			fmt.Fprintf(tw, "%s\t%s\t-\t-\t-\t-\t-\t-\t%d\t%d\t%s\n", c.Name, c.Role, c.ReferenceN, c.CurrentN, "not compared: "+c.Error)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s %s\n", c.Name, c.Role, c.Method, fmtScore(c.Statistic), fmtScore(c.PValue),
			fmtScore(c.Score), fmtScore(c.Threshold), yesNo(c.Drift), c.ReferenceN, c.CurrentN, fmtScore(c.EffectSize), c.Effect)
	}
	tw.Flush()
}

func yesNo(b bool) string {
	if b {
		return "YES"
	}
	return "no"
}
