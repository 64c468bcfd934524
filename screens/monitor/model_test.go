package monitor

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/mlwb/mlwb/engine/drift"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
	"github.com/mlwb/mlwb/engine/train"
	"github.com/mlwb/mlwb/ui/uitest"
	"github.com/mlwb/mlwb/workspace"
)

func run(id, task, model, pipeline string, auc float64, hasModel bool) workspace.Run {
	return workspace.Run{ID: id, Task: task, Model: model, Pipeline: pipeline, HasModel: hasModel,
		Time:    time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		Metrics: []workspace.RunMetric{{Name: "roc_auc", Mean: workspace.Num(auc), HigherIsBetter: true}}}
}

func withPipeline(r workspace.Run) workspace.Run {
	r.HasPipeline = true
	return r
}

func TestModelPicker(t *testing.T) {
	raw := (&train.Raw{}).Name()
	runs := []workspace.Run{
		run("a", "binary", "logreg", raw, 0.80, true),
		run("b", "binary", "gbdt", raw, 0.85, true),
		run("c", "binary", "rf", raw, 0.90, false),              // no saved model
		run("d", "clustering", "kmeans", raw, 0.99, true),       // nothing to monitor
		run("e", "binary", "gbdt", "some pipeline", 0.95, true), // pipeline not saved
		withPipeline(run("g", "binary", "gbdt", "default pipeline", 0.88, true)),
		run("f", "binary", "tree", raw, 0.70, true),
	}
	got := eligibleRuns(runs, "roc_auc")
	var ids []string
	for _, r := range got {
		ids = append(ids, r.ID)
	}
	if strings.Join(ids, ",") != "g,b,a,f" {
		t.Fatalf("eligible = %v, want g,b,a,f (leaderboard order)", ids)
	}
	if defaultModel(got) != "g" || defaultModel(nil) != "" {
		t.Errorf("default %q %q", defaultModel(got), defaultModel(nil))
	}
	// The cycle: none → b → a → f → none; an unknown current restarts at the best.
	cycle := []string{}
	cur := ""
	for range 6 {
		cur = nextModel(got, cur)
		cycle = append(cycle, cur)
	}
	if strings.Join(cycle, ",") != "g,b,a,f,,g" {
		t.Errorf("cycle = %q", cycle)
	}
	if nextModel(got, "gone") != "g" || nextModel(nil, "") != "" {
		t.Error("unknown current or no runs")
	}
}

// addRun fits a logistic regression of churn on the customers dataset's
// numeric and categorical columns and saves it as run id.
func addRun(t *testing.T, ws *workspace.Workspace, id string) {
	t.Helper()
	ctx := context.Background()
	d, err := ws.Dataset("customers")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ws.Load(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	var feats []string
	for _, c := range f.Columns() {
		if n := c.Name(); n != "churn" && c.Type() != frame.String && c.Type() != frame.Datetime {
			feats = append(feats, n)
		}
	}
	col, _ := f.Column("churn")
	task, classes, err := models.DetectTask(col)
	if err != nil {
		t.Fatal(err)
	}
	y, _ := models.EncodeTarget(col, task, classes)
	X, err := models.FromFrame(f, feats)
	if err != nil {
		t.Fatal(err)
	}
	m, err := models.New("tree", map[string]string{"max_depth": "4"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Fit(ctx, X, y, nil, models.FitOptions{Task: task, Classes: classes}); err != nil {
		t.Fatal(err)
	}
	r := workspace.Run{Format: 1, ID: id, Time: fixed, Dataset: workspace.RunDataset{Name: d.Name, Version: d.Version, Hash: d.Hash, Rows: d.Rows},
		Target: "churn", Task: task.String(), Classes: classes, Features: feats, Pipeline: (&train.Raw{}).Name(), Model: "tree",
		Metrics: []workspace.RunMetric{{Name: "roc_auc", Mean: 0.8, HigherIsBetter: true}}, HasModel: true}
	dir := ws.RunPath(id)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(r)
	if err := os.WriteFile(filepath.Join(dir, workspace.RunFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := models.Save(&buf, m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, workspace.RunModelFile), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// modelWorkspace is the demo workspace with a model run and a goal of
// roc_auc ≥ 0.99, which every batch misses.
func modelWorkspace(t *testing.T) *workspace.Workspace {
	ws := demoWorkspace(t, 12)
	addRun(t, ws, "20250301-093000-abcd")
	card := ws.Card()
	thr := 0.99
	card.Metric = workspace.MetricGoal{Name: "roc_auc", Threshold: &thr}
	if err := ws.SaveCard(card); err != nil {
		t.Fatal(err)
	}
	return ws
}

func TestMonitorWithModel(t *testing.T) {
	ws := modelWorkspace(t)
	m := newModel(t, ws, 120, 40)
	if m.err != nil || m.model == nil || m.model.run.ID != "20250301-093000-abcd" || len(m.runs) != 1 {
		t.Fatalf("err %v model %v runs %d", m.err, m.model, len(m.runs))
	}
	if m.model.metric != "roc_auc" || m.model.threshold != 0.99 || !m.model.higher {
		t.Fatalf("metric %+v", m.model)
	}
	names := m.columnNames()
	if names[len(names)-1] != drift.PredictionColumn {
		t.Fatalf("columns %v lack the prediction", names)
	}
	for _, e := range m.entries {
		c, ok := e.rep.Role("prediction")
		if e.met == nil || e.met.N != 400 || !ok || c.Error != "" {
			t.Fatalf("%s: metrics %+v prediction %+v", e.name, e.met, c)
		}
	}
	// Prediction drift rises with the demo's drift after week 6.
	first, _ := m.entries[0].rep.Role("prediction")
	last, _ := m.entries[11].rep.Role("prediction")
	if !(last.Score > 3*first.Score) || !last.Drift {
		t.Errorf("prediction drift week 1 %v, week 12 %v", first.Score, last.Score)
	}
	// The model's AUC falls with the demo's concept drift after week 6:
	// measured 0.754–0.843 in weeks 1–6, 0.668, 0.691, 0.617 in weeks 10–12
	// (a depth-4 tree, 400 rows a week).
	auc := func(from, to int) float64 {
		s := 0.0
		for _, e := range m.entries[from-1 : to] {
			s += e.met.Values["roc_auc"]
		}
		return s / float64(to-from+1)
	}
	if early, late := auc(1, 6), auc(10, 12); late > early-0.08 {
		t.Errorf("roc_auc weeks 1–6 %.3f, weeks 10–12 %.3f: want a fall of 0.08", early, late)
	}
	view := m.View()
	for _, want := range []string{"Model tree 20250301-093000-abcd", "roc_auc 0.617 BELOW 0.990", "prediction*"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	saved, err := drift.ReadAlerts(ws.Path(AlertsFile))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range saved {
		if a.Kind == drift.AlertMetric && a.Column == "model:roc_auc" && a.Window == "week_01.parquet" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d metric alerts for week 1 in the file: %+v", n, saved)
	}

	// m cycles to no model (prediction row gone), then back.
	m = uitest.Settle(t, m, m.onKey(uitest.Key("m"))).(*Model)
	if m.model != nil || strings.Contains(strings.Join(m.columnNames(), ","), drift.PredictionColumn) || !strings.Contains(m.View(), "No model monitored") {
		t.Fatalf("after m: model %v columns %v", m.model, m.columnNames())
	}
	m = uitest.Settle(t, m, m.onKey(uitest.Key("m"))).(*Model)
	if m.model == nil || m.model.run.ID != "20250301-093000-abcd" {
		t.Fatalf("after m m: model %v err %v", m.model, m.err)
	}
	// Recomputing keeps the picked model and adds no duplicate alerts.
	m = uitest.Send(t, m, uitest.Key("r")).(*Model)
	again, _ := drift.ReadAlerts(ws.Path(AlertsFile))
	if m.model == nil || len(again) != len(saved) {
		t.Fatalf("recompute: model %v, alerts %d then %d", m.model, len(saved), len(again))
	}
}

func TestGoldenModel(t *testing.T) {
	ws := modelWorkspace(t)
	for _, sz := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			m := newModel(t, ws, sz.w, sz.h)
			golden.RequireEqual(t, []byte(m.View()))
		})
	}
}

// TestBrokenModelCanBeSkipped: a run whose model file is gone is reported
// in place, and m steps over it to the next choice (none).
func TestBrokenModelCanBeSkipped(t *testing.T) {
	ws := modelWorkspace(t)
	if err := os.Remove(filepath.Join(ws.RunPath("20250301-093000-abcd"), workspace.RunModelFile)); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, ws, 80, 24)
	if m.ref != nil || m.err == nil || !strings.Contains(m.View(), "m to monitor another model") {
		t.Fatalf("err %v\n%s", m.err, m.View())
	}
	m = uitest.Settle(t, m, m.onKey(uitest.Key("m"))).(*Model)
	if m.err != nil || m.ref == nil || m.model != nil || len(m.entries) != 12 {
		t.Fatalf("after m: err %v model %v entries %d", m.err, m.model, len(m.entries))
	}
}
