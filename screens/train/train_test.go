package train

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/mlwb/mlwb/engine/frame"
	etrain "github.com/mlwb/mlwb/engine/train"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/uitest"
	"github.com/mlwb/mlwb/workspace"
)

// churnFrame: n rows of tenure, spend, plan, an id text column and churn
// (mostly yes when tenure is short).
func churnFrame(t *testing.T, n int) *frame.Frame {
	t.Helper()
	tenure, spend := make([]float64, n), make([]float64, n)
	plan, churn := make([]int32, n), make([]int32, n)
	ids := make([]string, n)
	for i := range n {
		tenure[i] = float64((i * 17) % 60)
		spend[i] = float64((i*29)%100) / 3
		plan[i] = int32(i % 3)
		if tenure[i] < 20 && i%5 != 0 || i%11 == 0 {
			churn[i] = 1
		}
		ids[i] = fmt.Sprintf("C%05d", i)
	}
	f, err := frame.New(frame.NewString("customer_id", ids, frame.Mask{}), frame.NewFloat64("tenure", tenure, frame.Mask{}),
		frame.NewFloat64("spend", spend, frame.Mask{}), frame.NewCategorical("plan", plan, []string{"basic", "plus", "pro"}),
		frame.NewCategorical("churn", churn, []string{"no", "yes"}))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// newWorkspace returns a workspace whose card targets churn with roc_auc,
// holding the frame as dataset "customers".
func newWorkspace(t *testing.T, f *frame.Frame) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.Init(t.TempDir(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	card := ws.Card()
	card.Task, card.Target, card.Metric.Name = workspace.TaskBinary, "churn", "roc_auc"
	if err := ws.SaveCard(card); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.ImportFrame(context.Background(), "customers", "test", f); err != nil {
		t.Fatal(err)
	}
	return ws
}

func newScreen(t *testing.T, ws *workspace.Workspace, w, h int, theme string) *Model {
	t.Helper()
	c := uitest.Common(t, theme)
	c.Workspace = ws
	m := New(c)
	m.SetVersion("test")
	m.SetSize(w, h)
	return m
}

func send(t *testing.T, m *Model, keys ...string) {
	t.Helper()
	for _, k := range keys {
		uitest.Send(t, m, uitest.Key(k))
	}
}

func TestTrainRunSavedAndListed(t *testing.T) {
	f := churnFrame(t, 200)
	ws := newWorkspace(t, f)
	m := newScreen(t, ws, 120, 37, themes.NameDark)
	uitest.Send(t, m, ui.DatasetLoadedMsg{Name: "customers", Frame: f})
	if got := m.cols[m.target]; got != "churn" {
		t.Fatalf("target %q, want the card's churn", got)
	}
	if got := m.inputs[2].Value(); got != "customer_id" {
		t.Errorf("exclude %q, want the text column customer_id", got)
	}
	// Smaller model for speed: edit params.
	m.field = fieldParams
	send(t, m, "enter")
	if !m.Capturing() {
		t.Fatal("enter on params does not edit")
	}
	uitest.Type(t, m, "n_estimators=10")
	send(t, m, "enter", "t")
	if m.Running() {
		t.Fatal("run still running after settling")
	}
	runs, _, err := ws.Runs()
	if err != nil || len(runs) != 1 {
		t.Fatalf("%d runs saved (%v)", len(runs), err)
	}
	r := runs[0]
	if r.Model != "gbdt" || r.Params["n_estimators"] != "10" || r.Dataset.Name != "customers" || r.Dataset.Hash == "" || r.Version != "test" {
		t.Errorf("run %+v", r)
	}
	if _, err := os.Stat(filepath.Join(ws.RunPath(r.ID), workspace.RunModelFile)); err != nil {
		t.Error(err)
	}
	if len(m.Runs()) != 1 || m.metric != "roc_auc" {
		t.Errorf("leaderboard %d runs by %q", len(m.Runs()), m.metric)
	}
	if !strings.Contains(m.View(), "gbdt") || !strings.Contains(m.View(), "finished #1") {
		t.Errorf("view:\n%s", m.View())
	}
}

func TestFormErrorsAndQueue(t *testing.T) {
	f := churnFrame(t, 120)
	ws := newWorkspace(t, f)
	m := newScreen(t, ws, 80, 21, themes.NameDark)
	uitest.Send(t, m, ui.DatasetLoadedMsg{Name: "customers", Frame: f})
	m.field = fieldParams
	send(t, m, "enter")
	uitest.Type(t, m, "max_dpth=3")
	send(t, m, "esc", "t")
	if !strings.Contains(m.formErr, `did you mean "max_depth"`) || m.Running() {
		t.Fatalf("form error %q, running %v", m.formErr, m.Running())
	}
	m.inputs[0].SetValue("n_estimators=5")
	// Start a run without settling, then ask for two more: they queue.
	_, cmd1 := m.Update(uitest.Key("t"))
	if !m.Running() {
		t.Fatal("not running")
	}
	m.Update(uitest.Key("t"))
	m.inputs[1].SetValue("7")
	m.Update(uitest.Key("t"))
	if m.Queued() != 2 {
		t.Fatalf("%d queued, want 2", m.Queued())
	}
	uitest.Settle(t, m, cmd1)
	if m.Running() || m.Queued() != 0 {
		t.Fatalf("running %v, %d queued after settling", m.Running(), m.Queued())
	}
	runs, _, _ := ws.Runs()
	if len(runs) != 3 {
		t.Fatalf("%d runs, want 3", len(runs))
	}
}

func TestCancelDropsQueue(t *testing.T) {
	f := churnFrame(t, 120)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := uitest.Common(t, themes.NameDark)
	c.Ctx = ctx
	m := New(c)
	m.SetSize(80, 21)
	uitest.Send(t, m, ui.DatasetLoadedMsg{Name: "file.csv", Frame: f})
	m.inputs[0].SetValue("n_estimators=5")
	_, cmd := m.Update(uitest.Key("t"))
	m.Update(uitest.Key("t"))
	uitest.Settle(t, m, cmd)
	if m.Running() || m.Queued() != 0 || !strings.Contains(m.note, "cancelled #1") || !strings.Contains(m.note, "1 queued runs dropped") {
		t.Errorf("after cancel: running %v queued %d note %q", m.Running(), m.Queued(), m.note)
	}
}

func TestScratchCompareAndNaN(t *testing.T) {
	f := churnFrame(t, 120)
	m := newScreen(t, nil, 120, 37, themes.NameDark)
	uitest.Send(t, m, ui.DatasetLoadedMsg{Name: "file.csv", Frame: f})
	m.inputs[0].SetValue("n_estimators=5")
	send(t, m, "t")
	m.model = 0 // tree
	m.inputs[0].SetValue("max_depth=2")
	m.field = fieldPrep
	// auto on a file is the default pipeline; left of auto is raw.
	send(t, m, "left", "t")
	if len(m.Runs()) != 2 {
		t.Fatalf("%d scratch runs", len(m.Runs()))
	}
	got := []string{m.Runs()[0].Pipeline, m.Runs()[1].Pipeline}
	if !slices.ContainsFunc(got, func(p string) bool { return strings.HasPrefix(p, "default pipeline (") }) || !slices.Contains(got, (&etrain.Raw{}).Name()) {
		t.Errorf("pipelines %q, want a default and a raw one", got)
	}
	send(t, m, "tab", " ", "down", " ", "c")
	if m.compare == nil {
		t.Fatal("no comparison")
	}
	v := m.View()
	if !strings.Contains(v, "Compare") || !strings.Contains(v, "model: ") {
		t.Errorf("compare view:\n%s", v)
	}
	send(t, m, "c")
	if m.compare != nil {
		t.Error("c does not close the comparison")
	}
	// An undefined metric is shown as —, never NaN.
	m.onRuns(runsMsg{runs: []workspace.Run{{ID: "20260101-000000-0000", Model: "knn", Task: "binary",
		Metrics: []workspace.RunMetric{{Name: "roc_auc", Mean: workspace.Num(math.NaN()), Std: workspace.Num(math.NaN()), HigherIsBetter: true}}}}})
	m.refresh()
	if v := m.View(); strings.Contains(v, "NaN") || !strings.Contains(v, "—") {
		t.Errorf("NaN metric view:\n%s", v)
	}
}

func TestStaleMessagesDropped(t *testing.T) {
	m := newScreen(t, nil, 80, 21, themes.NameDark)
	uitest.Send(t, m, ui.DatasetLoadedMsg{Name: "file.csv", Frame: churnFrame(t, 50)})
	m.Update(doneMsg{jobID: 42, err: fmt.Errorf("boom")})
	m.Update(eventsMsg{jobID: 42, events: []etrain.Event{{Phase: etrain.FoldStart, Folds: 5}}})
	if m.note != "" || m.run != nil {
		t.Errorf("stale messages changed the screen: note %q", m.note)
	}
}

// goldenScreen is a deterministic screen: fixed runs, and a run in progress
// fed with events by hand (fold 3 of 5 at iteration 30 of 50).
func goldenScreen(t *testing.T, w, h int, theme string) *Model {
	m := newScreen(t, nil, w, h, theme)
	uitest.Send(t, m, ui.DatasetLoadedMsg{Name: "customers", Frame: churnFrame(t, 200)})
	at := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	mk := func(i int, model string, mean, std float64, folds []float64, secs float64) workspace.Run {
		fs := make([]workspace.Num, len(folds))
		for j, v := range folds {
			fs[j] = workspace.Num(v)
		}
		return workspace.Run{ID: fmt.Sprintf("20261125-10000%d-00a%d", i, i), Time: at.Add(time.Duration(i) * time.Second), Model: model, Task: "binary",
			Params:     map[string]string{"n_estimators": fmt.Sprint(50 * i)},
			Validation: workspace.RunValidation{Description: "stratified 5-fold"}, Timings: workspace.RunTimings{Total: secs},
			Metrics: []workspace.RunMetric{{Name: "roc_auc", Mean: workspace.Num(mean), Std: workspace.Num(std), Folds: fs, HigherIsBetter: true},
				{Name: "accuracy", Mean: workspace.Num(mean - 0.1), Std: workspace.Num(std), Folds: fs, HigherIsBetter: true}}}
	}
	m.scratch = []workspace.Run{
		mk(1, "logreg", 0.8123, 0.0123, []float64{0.80, 0.81, 0.83, 0.79, 0.82}, 1.2),
		mk(2, "gbdt", 0.8712, 0.0081, []float64{0.87, 0.86, 0.88, 0.87, 0.875}, 12.5),
		mk(3, "rf", 0.8650, 0.0100, []float64{0.85, 0.87, 0.86, 0.88, 0.865}, 75),
	}
	m.onRuns(runsMsg{runs: m.scratch})
	m.run = &live{req: request{seq: 4, model: "gbdt", target: "churn", expected: 50}, jobID: 99}
	ev := []etrain.Event{}
	for fold := 0; fold < 3; fold++ {
		ev = append(ev, etrain.Event{Phase: etrain.FoldStart, Fold: fold, Folds: 5})
		n := 50
		if fold == 2 {
			n = 30
		}
		for it := 0; it < n; it++ {
			tl := 0.69 * math.Exp(-float64(it)/15)
			ev = append(ev, etrain.Event{Phase: etrain.Iteration, Fold: fold, Folds: 5, Iter: it, TrainLoss: tl, ValidLoss: tl + 0.05 + 0.001*float64(it)})
		}
		if fold < 2 {
			ev = append(ev, etrain.Event{Phase: etrain.FoldDone, Fold: fold, Folds: 5, Metrics: map[string]float64{"roc_auc": 0.86 + 0.01*float64(fold)}})
		}
	}
	m.metric = "roc_auc"
	m.Update(eventsMsg{jobID: 99, events: ev, closed: true})
	return m
}

func TestGolden(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		for _, theme := range []string{themes.NameDark, themes.NameNoColor} {
			// The shell takes 3 lines (header, status, help).
			t.Run(fmt.Sprintf("running_%dx%d_%s", sz.w, sz.h, theme), func(t *testing.T) {
				m := goldenScreen(t, sz.w, sz.h-3, theme)
				golden.RequireEqual(t, []byte(m.View()))
			})
			t.Run(fmt.Sprintf("compare_%dx%d_%s", sz.w, sz.h, theme), func(t *testing.T) {
				m := goldenScreen(t, sz.w, sz.h-3, theme)
				m.run = nil
				send(t, m, "tab", " ", "down", " ", "c")
				golden.RequireEqual(t, []byte(m.View()))
			})
		}
	}
	t.Run("empty_80x24", func(t *testing.T) {
		m := newScreen(t, nil, 80, 21, themes.NameDark)
		golden.RequireEqual(t, []byte(m.View()))
	})
}

var _ tea.Model = (*Model)(nil)
var _ ui.Screen = (*Model)(nil)

// TestSavedPipelineAndSelection: with a pipeline and a selection saved for
// the dataset (as the Features screen saves them), auto resolves to both,
// the form says so, and the run records them; a stale selection is an
// error naming the missing column before any run starts.
func TestSavedPipelineAndSelection(t *testing.T) {
	f := churnFrame(t, 150)
	ws := newWorkspace(t, f)
	dir := ws.FeaturesDir()
	for _, d := range []string{"pipelines", "selections"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	pipe := `{"version": 1, "steps": [{"transform": "drop", "columns": ["customer_id"]}, {"transform": "onehot", "columns": ["plan"]}, {"transform": "standard_scale"}]}`
	if err := os.WriteFile(filepath.Join(dir, "pipelines", "customers.json"), []byte(pipe), 0o644); err != nil {
		t.Fatal(err)
	}
	writeSel := func(feats string) {
		t.Helper()
		sel := `{"format": "mlwb-selection", "version": 1, "name": "customers", "dataset": "customers", "target": "churn", "method": "manual", "features": [` + feats + `]}`
		if err := os.WriteFile(filepath.Join(dir, "selections", "customers.json"), []byte(sel), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeSel(`"tenure", "plan"`)
	m := newScreen(t, ws, 120, 37, themes.NameDark)
	uitest.Send(t, m, ui.DatasetLoadedMsg{Name: "customers", Frame: f})
	if m.prepErr != nil || m.prepLabel() != "auto: saved" {
		t.Fatalf("pipeline field %q (%v)", m.prepLabel(), m.prepErr)
	}
	if v := m.View(); !strings.Contains(v, "pipeline   ‹ auto: saved ›") || !strings.Contains(v, "↳ customers.json · customers (2 cols)") {
		t.Errorf("view:\n%s", v)
	}
	m.inputs[0].SetValue("n_estimators=5")
	send(t, m, "t")
	runs, _, err := ws.Runs()
	if err != nil || len(runs) != 1 {
		t.Fatalf("%d runs (%v); note %q", len(runs), err, m.note)
	}
	r := runs[0]
	want := "saved pipeline features/pipelines/customers.json (onehot, standard_scale); selection features/selections/customers.json (manual, 2 features)"
	if r.Pipeline != want || !slices.Equal(r.Features, []string{"tenure", "plan"}) || !r.HasPipeline || r.Version != "test" {
		t.Errorf("run: pipeline %q features %v has_pipeline %v version %q", r.Pipeline, r.Features, r.HasPipeline, r.Version)
	}

	// raw keeps the selection; a stale one is refused before running.
	m.field = fieldPrep
	send(t, m, "left")
	if m.prepLabel() != "raw" || !strings.Contains(m.View(), "↳ no pipeline · customers (2 cols)") {
		t.Errorf("raw:\n%s", m.View())
	}
	writeSel(`"tenure", "loyalty"`)
	uitest.Send(t, m, ui.WorkspaceChangedMsg{})
	if m.prepErr == nil || !strings.Contains(m.prepErr.Error(), `names column "loyalty", which customers@1 does not have`) {
		t.Fatalf("stale selection: %v", m.prepErr)
	}
	_, cmd := m.Update(uitest.Key("t"))
	if m.Running() || cmd == nil {
		t.Fatal("a run started with a stale selection")
	}
	if msg, ok := cmd().(ui.ErrorMsg); !ok || !strings.Contains(msg.Err.Error(), "loyalty") {
		t.Errorf("error message %v", msg)
	}
	if !strings.Contains(m.View(), `↳ selection features/selections/customers`) {
		t.Errorf("view:\n%s", m.View())
	}
}
