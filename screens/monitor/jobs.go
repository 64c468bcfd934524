package monitor

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/mlwb/mlwb/engine/drift"
	"github.com/mlwb/mlwb/engine/frame"
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
}

// setupDoneMsg carries the reference and every batch compared at start.
type setupDoneMsg struct {
	jobID   int
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

// setup loads the reference, builds the cached Reference and compares
// every batch present; it appends the alerts not yet in the alerts file.
func setup(ctx context.Context, ws *workspace.Workspace, dir string, now func() time.Time) (string, *drift.Reference, []entry, []drift.Alert, error) {
	name, err := referenceName(ws)
	if err != nil {
		return "", nil, nil, nil, err
	}
	d, err := ws.Dataset(name)
	if err != nil {
		return "", nil, nil, nil, err
	}
	f, err := ws.Load(ctx, d)
	if err != nil {
		return "", nil, nil, nil, err
	}
	opt := drift.Options{}
	if t := ws.Card().Target; t != "" && f.Index(t) >= 0 {
		opt.Target = t
	}
	ref, err := drift.NewReference(ctx, f, opt)
	if err != nil {
		return "", nil, nil, nil, err
	}
	files, err := drift.ListBatches(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", nil, nil, nil, err
	}
	entries := make([]entry, 0, len(files))
	var prev *drift.Report
	var alerts []drift.Alert
	for _, b := range files {
		e := compareBatch(ctx, ref, b)
		if ctx.Err() != nil {
			return "", nil, nil, nil, ctx.Err()
		}
		if e.rep != nil {
			alerts = append(alerts, drift.Crossings(prev, e.rep, now())...)
			prev = e.rep
		}
		entries = append(entries, e)
	}
	saved, err := saveNewAlerts(ws.Path(filepath.FromSlash(AlertsFile)), alerts)
	return d.Ref(), ref, entries, saved, err
}

// saveNewAlerts appends the alerts whose key is not in the file yet and
// returns every alert of the file.
func saveNewAlerts(path string, alerts []drift.Alert) ([]drift.Alert, error) {
	old, err := drift.ReadAlerts(path)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, a := range old {
		seen[a.Key()] = true
	}
	var fresh []drift.Alert
	for _, a := range alerts {
		if !seen[a.Key()] {
			seen[a.Key()] = true
			fresh = append(fresh, a)
		}
	}
	if err := drift.AppendAlerts(path, fresh); err != nil {
		return old, err
	}
	return append(old, fresh...), nil
}

// compareBatch loads one batch (retrying a half-written file briefly) and
// compares it; a failure is kept in the entry, never as a result.
func compareBatch(ctx context.Context, ref *drift.Reference, b drift.Batch) entry {
	e := entry{name: b.Name, size: b.Size, mtime: b.ModTime, computedFor: b.ModTime}
	f, err := drift.LoadBatch(ctx, b.Path, drift.LoadOptions{Retries: 2, Delay: 200 * time.Millisecond})
	if err != nil {
		e.err = err
		return e
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
