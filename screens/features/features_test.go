package features

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/mlwb/mlwb/engine/demo"
	"github.com/mlwb/mlwb/engine/features"
	"github.com/mlwb/mlwb/engine/features/selection"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/uitest"
	"github.com/mlwb/mlwb/workspace"
)

// newWorkspace returns a workspace whose card targets churn, holding f as
// dataset "customers".
func newWorkspace(t *testing.T, f *frame.Frame) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.Init(t.TempDir(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	card := ws.Card()
	card.Task, card.Target = workspace.TaskBinary, "churn"
	if err := ws.SaveCard(card); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.ImportFrame(context.Background(), "customers", "test", f); err != nil {
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

// loaded returns the screen after the dataset was loaded and every job
// (fast scores, model scores, the debounced quick CV) settled.
func loaded(t *testing.T, f *frame.Frame, w, h int) (*Model, *workspace.Workspace) {
	t.Helper()
	ws := newWorkspace(t, f)
	m := newScreen(t, ws, w, h)
	uitest.Send(t, m, ui.DatasetLoadedMsg{Name: "customers", Frame: f})
	if m.report == nil {
		t.Fatalf("no report; note %q, error %q", m.note, m.scoreErr)
	}
	return m, ws
}

func TestScoresTableAndQuickCV(t *testing.T) {
	f := demo.Customers(1, 500)
	m, _ := loaded(t, f, 120, 40)
	if !m.models {
		t.Error("the model-based pass did not replace the fast scores")
	}
	if len(m.rows) != f.NumCols()-1 {
		t.Fatalf("%d rows in the table, want every column but the target (%d)", len(m.rows), f.NumCols()-1)
	}
	// Default selection: every feature DefaultPipeline does not drop.
	for _, ft := range m.report.Features {
		if m.selected[ft.Name] != (ft.Dropped == "") {
			t.Errorf("%s selected %v with Dropped %q", ft.Name, m.selected[ft.Name], ft.Dropped)
		}
	}
	if m.cv == nil {
		t.Fatalf("no quick CV score; error %q", m.cvErr)
	}
	if m.cv.Metric != "roc_auc" || !(m.cv.Mean > 0.5 && m.cv.Mean <= 1) || m.cv.Features != len(m.selectedNames()) {
		t.Errorf("quick CV %+v with %d selected: want roc_auc in (0.5, 1]", *m.cv, len(m.selectedNames()))
	}
	// Rank order: rank 1 first.
	if r := m.report.Features[m.rows[0]].Rank; r != 1 {
		t.Errorf("first row has rank %d", r)
	}
	// s sorts by MI (|value| descending).
	send(t, m, "s")
	if m.sortCol != 0 {
		t.Fatalf("sortCol %d after s", m.sortCol)
	}
	for i := 1; i < len(m.rows); i++ {
		a, b := m.report.Features[m.rows[i-1]].MutualInfo, m.report.Features[m.rows[i]].MutualInfo
		if a < b {
			t.Fatalf("rows %d, %d out of MI order: %g < %g", i-1, i, a, b)
		}
	}
	send(t, m, "S")
	if m.sortCol != -1 {
		t.Errorf("S did not go back to rank order: %d", m.sortCol)
	}
}

func TestToggleRestartsCVAndDropsStale(t *testing.T) {
	f := demo.Customers(1, 500)
	m, _ := loaded(t, f, 120, 40)
	before := *m.cv
	gen := m.cvGen
	// Toggle without settling: the debounce tick is returned, no job yet.
	name := m.report.Features[m.rows[0]].Name
	_, cmd := m.Update(uitest.Key(" "))
	if m.selected[name] {
		t.Fatalf("space did not take %s out", name)
	}
	if m.cvGen != gen+1 || cmd == nil {
		t.Fatalf("no debounced CV after a toggle (gen %d → %d)", gen, m.cvGen)
	}
	// A result of an older job is dropped.
	m.Update(cvDoneMsg{jobID: m.cvJob.ID + 1000, res: cvResult{Metric: "roc_auc", Mean: 0.1, Features: 1}})
	if m.cv.Mean != before.Mean {
		t.Fatal("a stale quick score replaced the current one")
	}
	// A tick of an older generation starts nothing.
	m.Update(cvTickMsg{gen: gen})
	if m.cvJob.Running() {
		t.Fatal("a stale debounce tick started a job")
	}
	uitest.Settle(t, m, cmd)
	if m.cv.Features != before.Features-1 || m.prevCV == nil || m.prevCV.Features != before.Features {
		t.Errorf("after the toggle: cv %+v, previous %+v; want %d then %d features", *m.cv, m.prevCV, before.Features-1, before.Features)
	}
	if !strings.Contains(m.View(), "Δ ") {
		t.Error("the view shows no delta against the previous selection")
	}
}

func TestAutoSelectAndSave(t *testing.T) {
	f := demo.Customers(1, 500)
	m, ws := loaded(t, f, 120, 40)
	send(t, m, "-", "-", "-", "-", "-", "-", "-") // k 10 → 3
	send(t, m, "A")
	want, err := selection.TopK(m.report, "mutual_info", 3)
	if err != nil {
		t.Fatal(err)
	}
	got := m.selectedNames()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) || m.lastAuto != "topk" {
		t.Fatalf("topk 3 selected %v (%s), want %v", got, m.lastAuto, want)
	}
	if m.cv == nil || m.cv.Features != 3 {
		t.Errorf("quick score not recomputed for 3 features: %+v", m.cv)
	}
	// Pipeline pane: remove the first step, then save.
	n := len(m.pipe.Steps)
	send(t, m, "tab", "x")
	if len(m.pipe.Steps) != n-1 {
		t.Fatalf("x left %d steps, want %d", len(m.pipe.Steps), n-1)
	}
	send(t, m, "a")
	if !m.Capturing() {
		t.Fatal("the add form does not capture keys")
	}
	uitest.Type(t, m, "log1p tenure")
	send(t, m, "enter")
	if m.form != formNone || m.pipe.Steps[m.stepCur].Transform != "log1p" {
		t.Fatalf("step not added: form %d, error %q", m.form, m.formErr)
	}
	send(t, m, "a")
	uitest.Type(t, m, "nosuch x")
	send(t, m, "enter")
	if m.formErr == "" || !strings.Contains(m.formErr, "nosuch") {
		t.Errorf("unknown transform error %q", m.formErr)
	}
	if !m.dirty || !strings.Contains(m.View(), "changed (w saves)") {
		t.Error("the view does not say the pipeline changed")
	}
	send(t, m, "esc", "w")
	if m.saved == "" || m.dirty {
		t.Fatalf("saved %q, dirty %v", m.saved, m.dirty)
	}
	b, err := os.ReadFile(ws.Path("features", "pipelines", "customers.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := features.ParsePipeline(b)
	if err != nil || len(p.Steps) != n {
		t.Fatalf("saved pipeline: %d steps, err %v; want %d", len(p.Steps), err, n)
	}
	sf, err := os.Open(ws.Path("features", "selections", "customers.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Close()
	sel, err := selection.ReadSelection(sf)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(sel.Features)
	if !slices.Equal(sel.Features, want) || sel.Target != "churn" || sel.Method != "topk" {
		t.Errorf("saved selection %+v", sel)
	}
	h, err := ws.History(0)
	if err != nil || len(h) == 0 || h[len(h)-1].Action != "features.save" {
		t.Errorf("history %+v, %v", h, err)
	}
	// Reopening the dataset restores the saved selection and pipeline.
	m2 := newScreen(t, ws, 120, 40)
	uitest.Send(t, m2, ui.DatasetLoadedMsg{Name: "customers", Frame: f})
	got2 := m2.selectedNames()
	slices.Sort(got2)
	if !slices.Equal(got2, want) || len(m2.pipe.Steps) != n || m2.lastAuto != "topk" || m2.dirty {
		t.Errorf("reopened: selection %v (%s), %d steps; want %v, %d steps", got2, m2.lastAuto, len(m2.pipe.Steps), want, n)
	}
}

// withMissingChurn returns demo customers whose churn is missing in rows
// 0, 10, 20, … (every tenth).
func withMissingChurn(t *testing.T, n int) *frame.Frame {
	t.Helper()
	f := demo.Customers(1, n)
	c, err := f.Column("churn")
	if err != nil {
		t.Fatal(err)
	}
	cc, ok := c.(*frame.CategoricalCol)
	if !ok {
		t.Fatalf("churn is a %T", c)
	}
	codes := slices.Clone(cc.Codes)
	for i := 0; i < n; i += 10 {
		codes[i] = -1
	}
	g, err := f.With(frame.NewCategorical("churn", codes, cc.Levels))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestLabelAssignUndoRuleSave(t *testing.T) {
	f := withMissingChurn(t, 500)
	ws := newWorkspace(t, f)
	m := newScreen(t, ws, 120, 40)
	uitest.Send(t, m, ui.DatasetLoadedMsg{Name: "customers", Frame: f})
	if m.report == nil || m.report.Rows != 450 || m.cv == nil {
		t.Fatalf("scores and quick CV on the 450 labelled rows: report %v, cv %v, error %q %q", m.report != nil, m.cv, m.scoreErr, m.cvErr)
	}
	send(t, m, "v")
	if !m.labeling || !m.Capturing() {
		t.Fatal("v did not open the label view, or it does not capture keys")
	}
	l := &m.lab
	if len(l.rows) != 50 {
		t.Fatalf("%d rows to label, want 50", len(l.rows))
	}
	cls := l.classes
	if len(cls) < 2 {
		t.Fatalf("classes %v", cls)
	}
	send(t, m, "1", "22") // "22": a burst read at once, two presses
	if l.labels[0] != cls[0] || l.labels[10] != cls[1] || l.labels[20] != cls[1] || l.cur != 3 {
		t.Fatalf("labels %v, cursor %d", l.labels, l.cur)
	}
	send(t, m, "u")
	if _, ok := l.labels[20]; ok || l.cur != 2 || len(l.labels) != 2 {
		t.Fatalf("undo: labels %v, cursor %d", l.labels, l.cur)
	}
	// Rule: every unlabelled row with tenure below the median of the
	// missing rows. Count what it should label by hand.
	tc, _ := f.Column("tenure_months")
	wantRule := 0
	for _, r := range l.rows[2:] {
		if v, ok := frame.FloatAt(tc, r); ok && v < 12 {
			wantRule++
		}
	}
	send(t, m, "r")
	uitest.Type(t, m, "tenure_months < 12 => "+cls[1])
	if l.preview != wantRule {
		t.Fatalf("rule preview %d, want %d (error %q)", l.preview, wantRule, l.previewErr)
	}
	send(t, m, "enter")
	if len(l.labels) != 2+wantRule {
		t.Fatalf("%d labels after the rule, want %d", len(l.labels), 2+wantRule)
	}
	send(t, m, "u") // undoes the whole rule
	if len(l.labels) != 2 {
		t.Fatalf("%d labels after undoing the rule, want 2", len(l.labels))
	}
	send(t, m, "r")
	uitest.Type(t, m, "tenure_months < 12 => nosuchclass")
	if l.preview != -1 || !strings.Contains(l.previewErr, "nosuchclass") {
		t.Errorf("bad class: preview %d, error %q", l.preview, l.previewErr)
	}
	send(t, m, "esc", "w")
	if m.labeling {
		t.Error("the label view is still open after saving")
	}
	vs, err := ws.Versions("customers")
	if err != nil || len(vs) != 2 {
		t.Fatalf("versions %v, %v; want 2", vs, err)
	}
	if vs[1].Parent != vs[0].Hash {
		t.Errorf("parent %q, want %q", vs[1].Parent, vs[0].Hash)
	}
	g, err := ws.Load(context.Background(), vs[1])
	if err != nil {
		t.Fatal(err)
	}
	gc, _ := g.Column("churn")
	if gc.Format(0) != cls[0] || gc.Format(10) != cls[1] || !gc.IsNA(20) || gc.NullCount() != 48 {
		t.Errorf("saved churn: row 0 %q, row 10 %q, row 20 NA %v, %d missing", gc.Format(0), gc.Format(10), gc.IsNA(20), gc.NullCount())
	}
	h, _ := ws.History(0)
	if len(h) == 0 || h[len(h)-1].Action != "label" {
		t.Errorf("history does not end with label: %+v", h)
	}
}

func TestNoTarget(t *testing.T) {
	f := demo.Customers(1, 50)
	m := newScreen(t, nil, 80, 24)
	uitest.Send(t, m, ui.DatasetLoadedMsg{Name: "x.csv", Frame: f})
	if m.report != nil || !strings.Contains(m.View(), "no target") {
		t.Errorf("without a target: %q", m.View())
	}
}

func TestParseStep(t *testing.T) {
	s, err := parseStep("onehot city,plan max_levels=5 drop_first=true parts=a,b")
	if err != nil {
		t.Fatal(err)
	}
	if s.Transform != "onehot" || !slices.Equal(s.Columns, []string{"city", "plan"}) || s.Params["max_levels"] != 5.0 || s.Params["drop_first"] != true {
		t.Errorf("parsed %+v", s)
	}
	if _, err := parseStep("x a b"); err == nil {
		t.Error("two column groups accepted")
	}
	if _, err := parseStep(""); err == nil {
		t.Error("empty step accepted")
	}
}

func TestGolden(t *testing.T) {
	f := demo.Customers(1, 500)
	for _, sz := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		m, _ := loaded(t, f, sz.w, sz.h)
		t.Run(sizeName(sz.w, sz.h), func(t *testing.T) {
			golden.RequireEqual(t, []byte(m.View()))
		})
		g := withMissingChurn(t, 500)
		m2 := newScreen(t, newWorkspace(t, g), sz.w, sz.h)
		uitest.Send(t, m2, ui.DatasetLoadedMsg{Name: "customers", Frame: g})
		send(t, m2, "v", "1")
		t.Run("label_"+sizeName(sz.w, sz.h), func(t *testing.T) {
			golden.RequireEqual(t, []byte(m2.View()))
		})
	}
}

func sizeName(w, h int) string { return fmt.Sprintf("%dx%d", w, h) }

func TestEscCancelsScoring(t *testing.T) {
	f := demo.Customers(1, 500)
	m := newScreen(t, newWorkspace(t, f), 80, 24)
	_, cmd := m.Update(ui.DatasetLoadedMsg{Name: "customers", Frame: f})
	id := m.scoreJob.ID
	if cmd == nil || id == 0 {
		t.Fatal("no scoring job started on load")
	}
	send(t, m, "esc")
	if m.scoreJob.Running() {
		t.Fatal("esc left the scoring job running")
	}
	m.Update(scoresMsg{jobID: id, rep: &selection.Report{}})
	if m.report != nil {
		t.Error("the result of a cancelled job was shown")
	}
	// The root's esc cancels the job's context instead: the job reports
	// the cancellation, and r scores again.
	_, cmd = m.Update(ui.DatasetLoadedMsg{Name: "customers", Frame: f})
	m.Update(scoresMsg{jobID: m.scoreJob.ID, err: context.Canceled})
	if m.report != nil || !strings.Contains(m.View(), "r scores again") {
		t.Fatalf("after a cancelled scoring: %q", m.View())
	}
	send(t, m, "r")
	if m.report == nil {
		t.Errorf("r did not score again: %q", m.scoreErr)
	}
}

func TestAutoSelectRFE(t *testing.T) {
	f := demo.Customers(1, 500)
	m, _ := loaded(t, f, 80, 24)
	send(t, m, "m", "m") // topk → threshold → rfe
	if m.methodName() != "rfe" {
		t.Fatalf("method %s, want rfe", m.methodName())
	}
	for m.k > 4 {
		send(t, m, "-")
	}
	send(t, m, "A")
	got := m.selectedNames()
	if len(got) != 4 || m.lastAuto != "rfe" || m.cv == nil || m.cv.Features != 4 {
		t.Fatalf("rfe k=4 selected %v (%s), cv %+v", got, m.lastAuto, m.cv)
	}
	for _, n := range got {
		for _, ft := range m.report.Features {
			if ft.Name == n && ft.Dropped != "" {
				t.Errorf("rfe selected %s, which is %s", n, ft.Dropped)
			}
		}
	}
}

func TestLabelUncertainRows(t *testing.T) {
	f := withMissingChurn(t, 500)
	ws := newWorkspace(t, f)
	m := newScreen(t, ws, 80, 24)
	uitest.Send(t, m, ui.DatasetLoadedMsg{Name: "customers", Frame: f})
	send(t, m, "v", "f")
	uitest.Type(t, m, "satisfaction < 1.5")
	sc, _ := f.Column("satisfaction")
	cc, _ := f.Column("churn")
	want, first := 0, -1
	for i := 0; i < f.NumRows(); i++ {
		if v, ok := frame.FloatAt(sc, i); ok && v < 1.5 && !cc.IsNA(i) {
			want++
			if first < 0 {
				first = i
			}
		}
	}
	if want == 0 {
		t.Fatal("test data: no row with satisfaction < 1.5 and a churn value")
	}
	if m.lab.preview != want {
		t.Fatalf("preview %d, want %d (error %q)", m.lab.preview, want, m.lab.previewErr)
	}
	send(t, m, "enter")
	if len(m.lab.rows) != 50+want {
		t.Fatalf("%d rows queued, want %d", len(m.lab.rows), 50+want)
	}
	// Relabel the first flagged row with the other class.
	m.lab.cur, _ = slices.BinarySearch(m.lab.rows, first)
	other := 1
	if cc.Format(first) == m.lab.classes[1] {
		other = 0
	}
	send(t, m, fmt.Sprint(other+1), "w")
	vs, _ := ws.Versions("customers")
	g, err := ws.Load(context.Background(), vs[len(vs)-1])
	if err != nil || len(vs) != 2 {
		t.Fatalf("versions %d, %v", len(vs), err)
	}
	gc, _ := g.Column("churn")
	if gc.Format(first) != m.lab.classes[other] || gc.NullCount() != 50 {
		t.Errorf("row %d is %q, want %q; %d missing, want 50", first, gc.Format(first), m.lab.classes[other], gc.NullCount())
	}
}
