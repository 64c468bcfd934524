package evaluate

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui/uitest"
	"github.com/mlwb/mlwb/workspace"
)

const runID = "20260101-120000-abcd"

// newWorkspace holds dataset "customers" (tenure, plan, churn; 200 rows)
// and one binary run whose held-out predictions are written by hand: the
// score rises with shorter tenure, so it ranks churners well but not
// perfectly. The card sets roc_auc ≥ 0.7, business values and plan as a
// sensitive column with the four-fifths limit.
func newWorkspace(t *testing.T) *workspace.Workspace {
	t.Helper()
	const n = 200
	tenure := make([]float64, n)
	plan, churn := make([]int32, n), make([]int32, n)
	rows, folds := make([]int64, n), make([]int64, n)
	pno, pyes := make([]float64, n), make([]float64, n)
	for i := range n {
		tenure[i] = float64((i * 17) % 60)
		plan[i] = int32(i % 3)
		if tenure[i] < 20 && i%5 != 0 || i%11 == 0 {
			churn[i] = 1
		}
		rows[i], folds[i] = int64(i), int64(i%5)
		pyes[i] = math.Round(100*(1-tenure[i]/60)*0.9+float64(i%7)) / 100
		pno[i] = 1 - pyes[i]
	}
	data := frame.MustNew(frame.NewFloat64("tenure", tenure, frame.Mask{}),
		frame.NewCategorical("plan", plan, []string{"basic", "plus", "pro"}),
		frame.NewCategorical("churn", churn, []string{"no", "yes"}))
	ws, err := workspace.Init(t.TempDir(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	card := ws.Card()
	lim, ratio := 0.7, 0.8
	card.Task, card.Target = workspace.TaskBinary, "churn"
	card.Metric = workspace.MetricGoal{Name: "roc_auc", Threshold: &lim}
	card.Business = workspace.Business{TruePositiveValue: 200, FalsePositiveCost: 20, FalseNegativeCost: 200}
	card.Privacy.SensitiveAttributes = []string{"plan"}
	card.Fairness.MinDisparateImpactRatio = &ratio
	if err := ws.SaveCard(card); err != nil {
		t.Fatal(err)
	}
	d, err := ws.ImportFrame(context.Background(), "customers", "test", data)
	if err != nil {
		t.Fatal(err)
	}
	preds := frame.MustNew(frame.NewInt64("row", rows, frame.Mask{}), frame.NewInt64("fold", folds, frame.Mask{}),
		frame.NewCategorical("y_true", churn, []string{"no", "yes"}), frame.NewCategorical("y_pred", churn, []string{"no", "yes"}),
		frame.NewFloat64("p_no", pno, frame.Mask{}), frame.NewFloat64("p_yes", pyes, frame.Mask{}))
	run := &workspace.Run{Format: 1, ID: runID, Time: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC),
		Dataset: workspace.RunDataset{Name: "customers", Version: d.Version, Hash: d.Hash, Rows: n}, Target: "churn", Task: "binary",
		Classes: []string{"no", "yes"}, Features: []string{"tenure", "plan"}, Pipeline: "raw", Model: "logreg",
		Validation: workspace.RunValidation{Scheme: "stratified_kfold", Description: "stratified 5-fold", Folds: 5, K: 5},
		Metrics:    []workspace.RunMetric{{Name: "roc_auc", Mean: 0.9, Std: 0.01, HigherIsBetter: true}}}
	if err := ws.SaveRun(context.Background(), run, nil, preds); err != nil {
		t.Fatal(err)
	}
	return ws
}

func newScreen(t *testing.T, ws *workspace.Workspace, w, h int) *Model {
	t.Helper()
	c := uitest.Common(t, themes.NameDark)
	c.Workspace = ws
	m := New(c)
	m.SetSize(w, h)
	return m
}

func send(t *testing.T, m *Model, keys ...string) {
	t.Helper()
	for _, k := range keys {
		uitest.Send(t, m, uitest.Key(k))
	}
}

func TestThresholdMovesUpdateConfusion(t *testing.T) {
	ws := newWorkspace(t)
	m := newScreen(t, ws, 120, 37)
	send(t, m, "enter")
	ev := m.Evaluation()
	if ev == nil {
		t.Fatal("no evaluation after enter")
	}
	if m.Threshold() != 0.5 {
		t.Fatalf("threshold %v, want the default 0.5", m.Threshold())
	}
	r := ev.Report.Ranking
	send(t, m, "tab", "tab") // Threshold pane
	if m.pane != PaneThreshold {
		t.Fatalf("pane %v", m.pane)
	}
	for _, tc := range []struct {
		key  string
		want float64
	}{{"right", 0.51}, {"right", 0.52}, {"left", 0.51}, {"left", 0.5}, {"left", 0.49}, {"shift+right", 0.491}, {"shift+left", 0.49}} {
		switch tc.key {
		case "shift+right":
			uitest.Send(t, m, tea.KeyMsg{Type: tea.KeyShiftRight})
		case "shift+left":
			uitest.Send(t, m, tea.KeyMsg{Type: tea.KeyShiftLeft})
		default:
			send(t, m, tc.key)
		}
		if math.Abs(m.Threshold()-tc.want) > 1e-12 {
			t.Fatalf("after %s threshold %v, want %v", tc.key, m.Threshold(), tc.want)
		}
		if got, want := m.Point().Counts, r.At(tc.want); got != want {
			t.Errorf("at %v confusion %+v, Ranking.At says %+v", tc.want, got, want)
		}
	}
	// b jumps to the profit-maximising threshold.
	send(t, m, "b")
	if m.Threshold() != ev.Best.Threshold || m.Point().Per1000 != ev.Best.Per1000 {
		t.Errorf("b: threshold %v profit %v, best %+v", m.Threshold(), m.Point().Per1000, ev.Best)
	}
	if !strings.Contains(m.View(), "best threshold") {
		t.Errorf("threshold pane:\n%s", m.View())
	}
	// s saves it with the run; a new evaluation reads it back.
	send(t, m, "s")
	b, err := os.ReadFile(filepath.Join(ws.RunPath(runID), "threshold.json"))
	if err != nil || !strings.Contains(string(b), fmt.Sprintf(`"threshold": %v`, ev.Best.Threshold)) {
		t.Fatalf("threshold.json: %s %v", b, err)
	}
	send(t, m, "enter")
	if m.Threshold() != ev.Best.Threshold {
		t.Errorf("re-evaluated threshold %v, saved %v", m.Threshold(), ev.Best.Threshold)
	}
	// e exports the report.
	send(t, m, "e")
	for _, ext := range []string{".md", ".html"} {
		if _, err := os.Stat(filepath.Join(ws.ReportsDir(), runID+"-eval"+ext)); err != nil {
			t.Error(err)
		}
	}
}

func TestChecksFollowThreshold(t *testing.T) {
	ws := newWorkspace(t)
	m := newScreen(t, ws, 120, 37)
	send(t, m, "enter")
	if len(m.checks) != 2 || m.checks[0].Name != "roc_auc" || !m.checks[0].Pass {
		t.Fatalf("checks %+v", m.checks)
	}
	// At a threshold of 1 nothing is predicted positive: every group's
	// selection rate is 0 and the ratio 0/0 is undefined, so the
	// four-fifths check cannot pass.
	m.setThreshold(1)
	if m.checks[1].Pass {
		t.Errorf("ratio check passed with nothing selected: %+v", m.checks[1])
	}
}

func TestNoWorkspaceAndNoRuns(t *testing.T) {
	c := uitest.Common(t, themes.NameDark)
	m := New(c)
	m.SetSize(80, 21)
	send(t, m, "enter", "tab", "right")
	if !strings.Contains(m.View(), "Open a workspace") {
		t.Errorf("view:\n%s", m.View())
	}
}

func TestGolden(t *testing.T) {
	ws := newWorkspace(t)
	for _, sz := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		// The shell takes 3 lines (header, status, help).
		m := newScreen(t, ws, sz.w, sz.h-3)
		t.Run(fmt.Sprintf("start_%dx%d", sz.w, sz.h), func(t *testing.T) {
			golden.RequireEqual(t, []byte(m.View()))
		})
		send(t, m, "enter")
		for p := range numPanes {
			t.Run(fmt.Sprintf("%s_%dx%d", strings.ToLower(p.String()), sz.w, sz.h), func(t *testing.T) {
				golden.RequireEqual(t, []byte(m.View()))
			})
			send(t, m, "tab")
		}
	}
}

func TestCurvesCycle(t *testing.T) {
	ws := newWorkspace(t)
	m := newScreen(t, ws, 120, 37)
	send(t, m, "enter", "tab")
	if m.pane != PaneCurves {
		t.Fatalf("pane %v", m.pane)
	}
	// ROC, PR, calibration, gain, lift, KS, profit: 7 charts for a binary
	// run with probabilities and business values.
	var titles []string
	for range len(m.charts) {
		titles = append(titles, m.charts[m.curve].Title)
		if !strings.Contains(m.View(), m.charts[m.curve].Title) {
			t.Errorf("view lacks %q", m.charts[m.curve].Title)
		}
		send(t, m, "right")
	}
	if len(titles) != 7 || m.curve != 0 || !strings.HasPrefix(titles[1], "Precision") || !strings.HasPrefix(titles[6], "Profit") {
		t.Errorf("charts %q, back at %d", titles, m.curve)
	}
	send(t, m, "left")
	if m.curve != 6 {
		t.Errorf("left from the first chart went to %d", m.curve)
	}
}

func TestExplainWithoutModelIsAnError(t *testing.T) {
	ws := newWorkspace(t)
	m := newScreen(t, ws, 120, 37)
	send(t, m, "enter")
	_, cmd := m.Update(uitest.Key("x"))
	if m.pane != PaneExplain || cmd == nil {
		t.Fatalf("x: pane %v, no job", m.pane)
	}
	uitest.Settle(t, m, cmd)
	if m.ev.Explain != nil || m.exJob.ID != 0 || !strings.Contains(m.View(), "Press x") {
		t.Errorf("explanation of a run without a model:\n%s", m.View())
	}
}

func TestLearningCurveJob(t *testing.T) {
	// The hand-made run records pipeline "raw" but keeps no model; the
	// refits need only its data and parameters, so the curve is computed
	// from logreg refits of the dataset.
	ws := newWorkspace(t)
	m := newScreen(t, ws, 120, 37)
	send(t, m, "enter", "L")
	lc := m.ev.Learning
	if lc == nil || len(lc.Points) != 10 || m.pane != PaneCurves || !strings.HasPrefix(m.charts[m.curve].Title, "Learning curve") {
		t.Fatalf("learning curve %+v, pane %v", lc, m.pane)
	}
	// 200 rows in 5 stratified folds: 160 training rows per fold, refits on
	// ⌊0.1·160⌋ = 16 … 160 of them, scored on each of the 5 folds.
	if got := lc.Points[9].TrainRows; got != 160 || lc.Points[0].TrainRows != 16 || len(lc.Points[9].Valid) != 5 || lc.K != 5 {
		t.Errorf("sizes %d..%d, %d folds, want 16..160 over 5", lc.Points[0].TrainRows, got, len(lc.Points[9].Valid))
	}
	if ch := m.charts[m.curve]; len(ch.Series) != 2 || len(ch.Series[0].Err) != 10 {
		t.Errorf("chart series %+v", ch.Series)
	}
}

func TestRegressionRunCurves(t *testing.T) {
	ws := newWorkspace(t)
	const n = 50
	y, p, rows := make([]float64, n), make([]float64, n), make([]int64, n)
	for i := range n {
		y[i] = float64(i)
		p[i] = float64(i) + float64(i%5) - 2 // residuals −2..2
		rows[i] = int64(i)
	}
	preds := frame.MustNew(frame.NewInt64("row", rows, frame.Mask{}), frame.NewFloat64("y_true", y, frame.Mask{}), frame.NewFloat64("y_pred", p, frame.Mask{}))
	run := &workspace.Run{Format: 1, ID: "20260101-130000-beef", Time: time.Date(2026, 1, 1, 13, 0, 0, 0, time.UTC),
		Dataset: workspace.RunDataset{Name: "customers", Version: 1}, Target: "tenure", Task: "regression",
		Features: []string{"plan"}, Pipeline: "raw", Model: "ridge",
		Validation: workspace.RunValidation{Scheme: "kfold", Description: "5-fold", Folds: 5, K: 5},
		Metrics:    []workspace.RunMetric{{Name: "rmse", Mean: 1.4}}}
	if err := ws.SaveRun(context.Background(), run, nil, preds); err != nil {
		t.Fatal(err)
	}
	m := newScreen(t, ws, 100, 30)
	for i, r := range m.runs {
		if r.ID == run.ID {
			m.cursor = i
		}
	}
	send(t, m, "enter", "tab")
	if m.ev == nil || m.ev.Run.ID != run.ID || len(m.charts) != 2 {
		t.Fatalf("evaluation %v, %d charts", m.ev != nil, len(m.charts))
	}
	// RMSE of residuals cycling −2, −1, 0, 1, 2: √2.
	if r := m.ev.Report.Values["rmse"]; math.Abs(r-math.Sqrt2) > 1e-12 {
		t.Errorf("rmse %v, want √2", r)
	}
	if v := m.View(); !strings.Contains(v, "Predicted against actual") {
		t.Errorf("curves pane:\n%s", v)
	}
	send(t, m, "right")
	if !strings.Contains(m.View(), "Residuals against predicted") {
		t.Errorf("second chart:\n%s", m.View())
	}
	// Fairness across plan (rows i = 0..49, plan i mod 3): per group the
	// mean prediction and MAE; numpy: mean prediction 23.941176, 25.058824,
	// 24.5 (difference 1.117647), MAE 1.235294, 1.235294, 1.125 (0.110294).
	m.pane = PaneFairness
	m.render()
	if v := m.View(); !strings.Contains(v, "difference between groups: mean prediction 1.1176, MAE 0.1103") ||
		!strings.Contains(v, "25.0588") {
		t.Errorf("fairness pane:\n%s", v)
	}
	m.pane = PaneCurves
	// No threshold for a regression: ←/→ and s do nothing.
	send(t, m, "tab", "left", "s")
	if _, err := os.Stat(filepath.Join(ws.RunPath(run.ID), "threshold.json")); err == nil {
		t.Error("a regression run got a threshold file")
	}
}

// addFoldRun saves a copy of the hand-made run as run id with the given
// model and roc_auc per fold (40 validation rows of 200 per fold).
func addFoldRun(t *testing.T, ws *workspace.Workspace, id, model string, auc []float64) {
	t.Helper()
	base, err := ws.Run(runID)
	if err != nil {
		t.Fatal(err)
	}
	preds, err := os.ReadFile(filepath.Join(ws.RunPath(runID), workspace.RunPredictions))
	if err != nil {
		t.Fatal(err)
	}
	r := base
	r.ID, r.Model, r.Folds = id, model, nil
	m := workspace.RunMetric{Name: "roc_auc", HigherIsBetter: true}
	var sum float64
	for j, v := range auc {
		m.Folds = append(m.Folds, workspace.Num(v))
		sum += v
		r.Folds = append(r.Folds, workspace.RunFold{Index: j, TrainRows: 160, TestRows: 40})
	}
	m.Mean = workspace.Num(sum / float64(len(auc)))
	r.Metrics = []workspace.RunMetric{m}
	if err := ws.SaveRun(context.Background(), &r, nil, nil); err != nil {
		t.Fatal(err)
	}
	// The copy keeps the held-out predictions of the original.
	if err := os.WriteFile(filepath.Join(ws.RunPath(id), workspace.RunPredictions), preds, 0o644); err != nil {
		t.Fatal(err)
	}
	r.HasPredictions = true
	b, _ := json.MarshalIndent(r, "", "  ")
	if err := os.WriteFile(filepath.Join(ws.RunPath(id), workspace.RunFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Marking run A and evaluating run B shows their paired comparison: both
// were validated on the same 5 stratified folds of the same data. With
// d = B − A = [0.02, 0.03, 0.01, 0.02, 0.02]: mean 0.02, sd 0.00707107,
// t = 0.02/√((1/5 + 40/160)·0.00005) = 4.216370213557848, p = 0.0135
// (scipy: 2*stats.t.sf(4.216370213557848, 4) = 0.013516881521817427; the
// view shows 4 decimals).
func TestComparePaired(t *testing.T) {
	ws := newWorkspace(t)
	a := []float64{0.80, 0.81, 0.79, 0.80, 0.82}
	b := []float64{0.82, 0.84, 0.80, 0.82, 0.84}
	addFoldRun(t, ws, "20260101-130000-aaaa", "logreg", a)
	addFoldRun(t, ws, "20260101-140000-bbbb", "gbdt", b)
	m := newScreen(t, ws, 120, 37)
	// Leaderboard by roc_auc: the hand-made run (0.9), B (0.824), A (0.804).
	send(t, m, "down", "down", "enter", "m", "up", "enter")
	if m.marked == nil || m.ev == nil || m.marked.Run.Model != "logreg" || m.ev.Run.Model != "gbdt" {
		t.Fatalf("marked %v evaluated %v", m.marked, m.ev)
	}
	v := m.View()
	if !strings.Contains(v, "vs A: B better · roc_auc Δ +0.0200 ± 0.0071, 5 paired folds, p 0.0135 (corrected t)") {
		t.Errorf("view:\n%s", v)
	}
	// The hand-made run keeps no folds: not paired, and why.
	send(t, m, "up", "enter")
	if v := m.View(); !strings.Contains(v, "vs A: not paired: 5 vs 0 folds") {
		t.Errorf("view:\n%s", v)
	}
}
