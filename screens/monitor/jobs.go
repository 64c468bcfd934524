package monitor

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/drift"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/metrics"
	"github.com/mlwb/mlwb/engine/models"
	"github.com/mlwb/mlwb/engine/train"
	"github.com/mlwb/mlwb/workspace"
)

// BatchDir is the folder watched for current data, relative to the
// workspace.
const BatchDir = "monitor/batches"

// AlertsFile is where alerts are appended, relative to the workspace.
const AlertsFile = "monitor/alerts.jsonl"

// histBins is the number of histogram bins shown.
const histBins = 8

// entry is one batch file and its comparison.
type entry struct {
	name        string
	size        int64
	mtime       time.Time
	rep         *drift.Report
	hists       map[string]drift.Hist
	err         error
	computedFor time.Time // mtime the result was computed for
	// met are the model's metrics on the batch (nil without a model or
	// without the target in the batch; metErr then says why).
	met    *drift.ModelMetrics
	metErr string
}

// modelInfo is the model whose predictions are monitored.
type modelInfo struct {
	run    workspace.Run
	scorer *drift.Scorer
	// metric is the metric followed per batch; threshold the card's
	// (NaN: none, no metric alerts); higher whether larger is better.
	metric    string
	threshold float64
	higher    bool
}

// eligibleRuns are the runs whose model the screen can score: a saved
// model of a supervised task with the raw preparation or a saved fitted
// pipeline, in leaderboard order for metric ("": the task's primary
// metric).
func eligibleRuns(runs []workspace.Run, metric string) []workspace.Run {
	raw := (&train.Raw{}).Name()
	var ok []workspace.Run
	for _, r := range runs {
		if r.HasModel && (r.Pipeline == raw || r.HasPipeline) && (r.Task == "binary" || r.Task == "multiclass" || r.Task == "regression") {
			ok = append(ok, r)
		}
	}
	out, _ := workspace.Leaderboard(ok, metric)
	return out
}

// defaultModel is the model monitored when the user picked none: the best
// eligible run on the leaderboard, or none ("").
func defaultModel(runs []workspace.Run) string {
	if len(runs) == 0 {
		return ""
	}
	return runs[0].ID
}

// nextModel is the model after cur in the picker's cycle: none, then the
// runs in leaderboard order, then none again.
func nextModel(runs []workspace.Run, cur string) string {
	if cur == "" {
		return defaultModel(runs)
	}
	for i, r := range runs {
		if r.ID == cur {
			if i+1 < len(runs) {
				return runs[i+1].ID
			}
			return ""
		}
	}
	return defaultModel(runs)
}

// pick says which model setup uses: auto (the default of the runs found)
// or the run id (none when "").
type pick struct {
	auto bool
	id   string
}

// loadModel reads run id's model and the data it was trained on (the new
// reference), and prepares the scorer.
func loadModel(ctx context.Context, ws *workspace.Workspace, id string) (*modelInfo, *frame.Frame, string, error) {
	run, err := ws.Run(id)
	if err != nil {
		return nil, nil, "", err
	}
	m, err := ws.LoadRunModel(run.ID)
	if err != nil {
		return nil, nil, "", err
	}
	var f *frame.Frame
	var name string
	if src := run.Dataset.Source; src != "" {
		if f, err = dataio.Load(ctx, src, dataio.Options{}); err != nil {
			return nil, nil, "", fmt.Errorf("run %s: its training file: %w", run.ID, err)
		}
		name = filepath.Base(src)
	} else {
		ref := run.Dataset.Name
		if run.Dataset.Version > 0 {
			ref += "@" + strconv.Itoa(run.Dataset.Version)
		}
		d, err := ws.DatasetRef(ref)
		if err != nil {
			return nil, nil, "", fmt.Errorf("run %s: its training data: %w", run.ID, err)
		}
		if f, err = ws.Load(ctx, d); err != nil {
			return nil, nil, "", err
		}
		name = d.Ref()
	}
	var sc *drift.Scorer
	if run.Pipeline == (&train.Raw{}).Name() {
		sc, err = drift.NewScorer(ctx, m, f, run.Target)
	} else {
		fp, ferr := ws.LoadRunPipeline(run.ID)
		if ferr != nil {
			return nil, nil, "", ferr
		}
		prep := train.PreparedPipeline(fp)
		sc, err = drift.NewScorerWith(m, f.Names(), run.Target, func(ctx context.Context, g *frame.Frame) (*models.Matrix, error) {
			return prep.Matrix(ctx, g, nil)
		})
	}
	if err != nil {
		return nil, nil, "", fmt.Errorf("run %s: %w", run.ID, err)
	}
	mi := &modelInfo{run: run, scorer: sc, threshold: math.NaN()}
	mi.metric = drift.PrimaryMetric(sc.Task())
	goal := ws.Card().Metric
	if slices.Contains(drift.MetricNames(sc.Task()), goal.Name) {
		mi.metric = goal.Name
		if goal.Threshold != nil {
			mi.threshold = *goal.Threshold
		}
	}
	mi.higher = metrics.HigherIsBetter(mi.metric)
	if f, _, err = sc.WithPrediction(ctx, f); err != nil {
		return nil, nil, "", fmt.Errorf("run %s: scoring its training data: %w", run.ID, err)
	}
	return mi, f, name, nil
}

// metricValue is the followed metric of e (NaN when not computed).
func (mi *modelInfo) metricValue(e entry) float64 {
	if mi == nil || e.met == nil {
		return math.NaN()
	}
	v, ok := e.met.Values[mi.metric]
	if !ok {
		return math.NaN()
	}
	return v
}

// alerts are the drift crossings of e after prev, and its metric crossing.
func (mi *modelInfo) alerts(prev *entry, e entry, now time.Time) []drift.Alert {
	var prevRep *drift.Report
	pv := math.NaN()
	if prev != nil {
		prevRep = prev.rep
		pv = mi.metricValue(*prev)
	}
	out := drift.Crossings(prevRep, e.rep, now)
	if mi != nil {
		out = append(out, drift.MetricCrossing(e.name, mi.run.ID, mi.metric, pv, mi.metricValue(e), mi.threshold, mi.higher, now)...)
	}
	return out
}

// setupDoneMsg carries the reference and every batch compared at start.
type setupDoneMsg struct {
	jobID   int
	runs    []workspace.Run // eligible runs, leaderboard order
	model   *modelInfo      // nil: no model
	refName string
	ref     *drift.Reference
	entries []entry
	alerts  []drift.Alert
	err     error
}

// batchDoneMsg carries newly arrived batches compared with the reference.
type batchDoneMsg struct {
	jobID   int
	entries []entry
	alerts  []drift.Alert
	err     error
}

// scanMsg is the result of one poll of the batch folder.
type scanMsg struct {
	files []drift.Batch
	err   error
}

// scanCmd lists the batch folder after d (off the UI goroutine).
func scanCmd(dir string, d time.Duration) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg {
		files, err := drift.ListBatches(dir)
		return scanMsg{files: files, err: err}
	})
}

// referenceName picks the reference dataset: the one open in the
// workspace, else "customers", else the first.
func referenceName(ws *workspace.Workspace) (string, error) {
	ds, err := ws.Datasets()
	if err != nil {
		return "", err
	}
	if len(ds) == 0 {
		return "", errors.New("no dataset in the workspace: import one to use as reference")
	}
	want := []string{ws.State().Dataset, "customers"}
	for _, w := range want {
		for _, d := range ds {
			if w != "" && d.Name == w {
				return d.Name, nil
			}
		}
	}
	return ds[0].Name, nil
}

// setupResult is what setup computes.
type setupResult struct {
	refName string
	ref     *drift.Reference
	runs    []workspace.Run
	model   *modelInfo
	entries []entry
	alerts  []drift.Alert
}

// setup lists the runs, loads the model picked (its training data is then
// the reference) or the reference dataset, builds the cached Reference and
// compares every batch present; it appends the alerts not yet in the
// alerts file.
func setup(ctx context.Context, ws *workspace.Workspace, dir string, p pick, now func() time.Time) (setupResult, error) {
	var res setupResult
	runs, _, err := ws.Runs()
	if err != nil {
		return res, err
	}
	res.runs = eligibleRuns(runs, ws.Card().Metric.Name)
	id := p.id
	if p.auto {
		id = defaultModel(res.runs)
	}
	var f *frame.Frame
	if id != "" {
		if res.model, f, res.refName, err = loadModel(ctx, ws, id); err != nil {
			return res, err
		}
	} else {
		name, err := referenceName(ws)
		if err != nil {
			return res, err
		}
		d, err := ws.Dataset(name)
		if err != nil {
			return res, err
		}
		if f, err = ws.Load(ctx, d); err != nil {
			return res, err
		}
		res.refName = d.Ref()
	}
	opt := drift.Options{}
	if t := ws.Card().Target; t != "" && f.Index(t) >= 0 {
		opt.Target = t
	}
	if res.model != nil {
		opt.Prediction = res.model.scorer.Column()
		if t := res.model.run.Target; f.Index(t) >= 0 {
			opt.Target = t
		}
	}
	if res.ref, err = drift.NewReference(ctx, f, opt); err != nil {
		return res, err
	}
	files, err := drift.ListBatches(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return res, err
	}
	res.entries = make([]entry, 0, len(files))
	var prev *entry
	var alerts []drift.Alert
	for _, b := range files {
		e := compareBatch(ctx, res.ref, res.model, b)
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		if e.rep != nil {
			alerts = append(alerts, res.model.alerts(prev, e, now())...)
			prev = &e
		}
		res.entries = append(res.entries, e)
	}
	res.alerts, err = saveNewAlerts(ws.Path(filepath.FromSlash(AlertsFile)), alerts)
	return res, err
}

// saveNewAlerts appends the alerts whose key is not in the file yet (the
// same dedup as "mlwb drift -w", which writes the same file) and returns
// every alert of the file.
func saveNewAlerts(path string, alerts []drift.Alert) ([]drift.Alert, error) {
	_, all, err := drift.SaveNewAlerts(path, alerts)
	return all, err
}

// compareBatch loads one batch (retrying a half-written file briefly),
// scores it with the model (when mi is not nil) and compares it; a failure
// is kept in the entry, never as a result.
func compareBatch(ctx context.Context, ref *drift.Reference, mi *modelInfo, b drift.Batch) entry {
	e := entry{name: b.Name, size: b.Size, mtime: b.ModTime, computedFor: b.ModTime}
	f, err := drift.LoadBatch(ctx, b.Path, drift.LoadOptions{Retries: 2, Delay: 200 * time.Millisecond})
	if err != nil {
		e.err = err
		return e
	}
	if mi != nil {
		g, sc, err := mi.scorer.WithPrediction(ctx, f)
		if err != nil {
			e.err = fmt.Errorf("%s: %w", b.Name, err)
			return e
		}
		if t := mi.scorer.Target(); f.Index(t) < 0 {
			e.metErr = fmt.Sprintf("no %s column", t)
		} else if met, err := mi.scorer.Metrics(ctx, f, sc); err != nil {
			e.metErr = err.Error()
		} else {
			e.met = &met
		}
		f = g
	}
	rep, err := ref.Compare(ctx, f)
	if err != nil {
		e.err = fmt.Errorf("%s: %w", b.Name, err)
		return e
	}
	rep.Label = b.Name
	e.rep = rep
	e.hists = histograms(ctx, ref, f)
	return e
}

func histograms(ctx context.Context, ref *drift.Reference, f *frame.Frame) map[string]drift.Hist {
	out := map[string]drift.Hist{}
	for _, c := range ref.Columns() {
		if ctx.Err() != nil {
			break
		}
		if h, err := ref.Histogram(c, f, histBins); err == nil {
			out[c] = h
		}
	}
	return out
}
