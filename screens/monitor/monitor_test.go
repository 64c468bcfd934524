package monitor

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/demo"
	"github.com/mlwb/mlwb/engine/drift"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/ui/uitest"
	"github.com/mlwb/mlwb/workspace"
)

var fixed = time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)

// demoWorkspace builds a small demo workspace: 4000 customers and weeks
// 1..weeks of 400 rows in monitor/batches.
func demoWorkspace(t *testing.T, weeks int) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.Init(t.TempDir(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	card := ws.Card()
	card.Target = "churn"
	if err := ws.SaveCard(card); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.ImportFrame(context.Background(), "customers", "demo", demo.Customers(1, 4000)); err != nil {
		t.Fatal(err)
	}
	dir := ws.Path(BatchDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, b := range demo.Batches(1, weeks, 400) {
		writeBatch(t, dir, b.Week, b)
	}
	return ws
}

func writeBatch(t *testing.T, dir string, week int, b demo.Batch) {
	t.Helper()
	path := filepath.Join(dir, fmt.Sprintf("week_%02d.parquet", week))
	if err := workspace.WriteAtomic(path, func(w io.Writer) error { return dataio.WriteParquet(w, b.Frame) }); err != nil {
		t.Fatal(err)
	}
}

// newModel returns a Monitor screen over ws with a fixed clock and no
// folder polling (tests deliver scanMsg themselves), set up.
func newModel(t *testing.T, ws *workspace.Workspace, w, h int) *Model {
	t.Helper()
	c := uitest.Common(t, "nocolor")
	c.Workspace = ws
	m := New(c)
	m.now = func() time.Time { return fixed }
	m.tick = func(string, time.Duration) tea.Cmd { return nil }
	m.SetSize(w, h)
	return uitest.Settle(t, m, m.Init()).(*Model)
}

func TestSetupComparesEveryBatchAndSavesAlerts(t *testing.T) {
	ws := demoWorkspace(t, 12)
	m := newModel(t, ws, 120, 40)
	if m.err != nil || len(m.entries) != 12 || m.refName != "customers@1" {
		t.Fatalf("err %v, %d entries, ref %q", m.err, len(m.entries), m.refName)
	}
	last := m.entries[11].rep
	if last == nil || last.Drifted == 0 {
		t.Fatalf("week 12 shows no drifted column: %+v", last)
	}
	if first := m.entries[0].rep; first == nil || first.DatasetDrift {
		t.Fatalf("week 1 = %+v", first)
	}
	saved, err := drift.ReadAlerts(ws.Path(AlertsFile))
	if err != nil || len(saved) == 0 || len(saved) != len(m.alerts) {
		t.Fatalf("alerts file: %d (%v), shown %d", len(saved), err, len(m.alerts))
	}
	// Recomputing does not append the same crossings again.
	m = uitest.Send(t, m, uitest.Key("r")).(*Model)
	again, _ := drift.ReadAlerts(ws.Path(AlertsFile))
	if len(again) != len(saved) {
		t.Fatalf("alerts duplicated on recompute: %d then %d", len(saved), len(again))
	}
}

func TestKeysMoveSelection(t *testing.T) {
	m := newModel(t, demoWorkspace(t, 3), 120, 40)
	m = uitest.Send(t, m, uitest.Key("j")).(*Model)
	m = uitest.Send(t, m, uitest.Key("j")).(*Model)
	if m.col != 2 {
		t.Fatalf("col = %d", m.col)
	}
	m = uitest.Send(t, m, uitest.Key("k")).(*Model)
	if m.col != 1 {
		t.Fatalf("col = %d", m.col)
	}
	if m.current() != 2 || m.sel != -1 {
		t.Fatalf("follows latest: current %d sel %d", m.current(), m.sel)
	}
	m = uitest.Send(t, m, uitest.Key("left")).(*Model)
	m = uitest.Send(t, m, uitest.Key("left")).(*Model)
	m = uitest.Send(t, m, uitest.Key("left")).(*Model)
	if m.current() != 0 || !strings.Contains(m.View(), "week_01.parquet:") {
		t.Fatalf("current %d after three lefts", m.current())
	}
	m = uitest.Send(t, m, uitest.Key("G")).(*Model)
	if m.current() != 2 || m.sel != -1 {
		t.Fatalf("G: current %d", m.current())
	}
	m = uitest.Send(t, m, uitest.Key("p")).(*Model)
	if !m.paused || !strings.Contains(m.View(), "paused") {
		t.Fatal("p does not pause")
	}
}

// TestLiveNewBatch: a new file is compared once it is seen unchanged over
// two polls; a half-written file is reported as not compared, never as a
// result, and compared once complete; a deleted file leaves the view.
func TestLiveNewBatch(t *testing.T) {
	ws := demoWorkspace(t, 6)
	m := newModel(t, ws, 80, 24)
	dir := ws.Path(BatchDir)
	scan := func() {
		files, err := drift.ListBatches(dir)
		if err != nil {
			t.Fatal(err)
		}
		m = uitest.Send(t, m, scanMsg{files: files}).(*Model)
	}
	b := demo.Batches(1, 12, 400)
	writeBatch(t, dir, 12, b[11])
	scan()
	if len(m.entries) != 6 {
		t.Fatalf("compared after one sighting: %d entries", len(m.entries))
	}
	scan()
	if len(m.entries) != 7 || m.entries[6].rep == nil || m.entries[6].rep.Drifted == 0 {
		t.Fatalf("week 12 not compared: %d entries", len(m.entries))
	}
	// Half-written Parquet file.
	full, _ := os.ReadFile(filepath.Join(dir, "week_12.parquet"))
	half := filepath.Join(dir, "week_13.parquet")
	os.WriteFile(half, full[:len(full)/2], 0o644)
	scan()
	scan()
	e := m.entries[len(m.entries)-1]
	if e.name != "week_13.parquet" || e.err == nil || e.rep != nil {
		t.Fatalf("half-written batch: %+v", e)
	}
	if !strings.Contains(m.View(), "not compared") {
		t.Fatalf("view does not say the batch is not compared:\n%s", m.View())
	}
	os.WriteFile(half, full, 0o644)
	future := time.Now().Add(time.Second)
	os.Chtimes(half, future, future)
	scan()
	scan()
	if e := m.entries[len(m.entries)-1]; e.rep == nil {
		t.Fatalf("completed batch not compared: %v", e.err)
	}
	os.Remove(half)
	scan()
	if len(m.entries) != 7 {
		t.Fatalf("deleted batch still shown: %d", len(m.entries))
	}
}

func TestNoWorkspaceAndNoBatches(t *testing.T) {
	m := New(uitest.Common(t, "nocolor"))
	m.SetSize(80, 24)
	if cmd := m.Init(); cmd != nil {
		t.Fatal("Init without workspace starts work")
	}
	if !strings.Contains(m.View(), "mlwb drift --reference") {
		t.Fatalf("no hint:\n%s", m.View())
	}
	ws, _ := workspace.Init(t.TempDir(), "empty")
	m2 := newModel(t, ws, 80, 24)
	if !strings.Contains(m2.View(), "no dataset in the workspace") {
		t.Fatalf("empty workspace:\n%s", m2.View())
	}
	ws2 := demoWorkspace(t, 0)
	os.RemoveAll(ws2.Path(BatchDir))
	m3 := newModel(t, ws2, 80, 24)
	if m3.err != nil || !strings.Contains(m3.View(), "No batch yet") {
		t.Fatalf("no batch folder: %v\n%s", m3.err, m3.View())
	}
}

func TestGolden(t *testing.T) {
	ws := demoWorkspace(t, 12)
	for _, sz := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			m := newModel(t, ws, sz.w, sz.h)
			golden.RequireEqual(t, []byte(m.View()))
		})
	}
}

// TestBadBatches: an empty batch is shown as not compared; a batch with a
// column missing and a column of another type is compared on the rest,
// the two columns reported in the table.
func TestBadBatches(t *testing.T) {
	ws := demoWorkspace(t, 2)
	dir := ws.Path(BatchDir)
	b := demo.Batches(1, 4, 400)
	empty := b[2]
	empty.Frame = b[2].Frame.Take(nil)
	writeBatch(t, dir, 3, empty)
	odd := b[3]
	tenure, _ := odd.Frame.Column("tenure_months")
	text := make([]string, tenure.Len())
	for i := range text {
		text[i] = tenure.Format(i) + " months"
	}
	f, err := odd.Frame.Select(slices.DeleteFunc(odd.Frame.Names(), func(n string) bool { return n == "age" || n == "tenure_months" })...)
	if err != nil {
		t.Fatal(err)
	}
	if odd.Frame, err = f.With(frame.CategoricalFromStrings("tenure_months", text, nil)); err != nil {
		t.Fatal(err)
	}
	writeBatch(t, dir, 4, odd)

	m := newModel(t, ws, 120, 40)
	if len(m.entries) != 4 {
		t.Fatalf("%d entries", len(m.entries))
	}
	if e := m.entries[2]; e.rep != nil || e.err == nil || !strings.Contains(e.err.Error(), "no rows") {
		t.Fatalf("empty batch: rep %v err %v", e.rep, e.err)
	}
	e := m.entries[3]
	if e.err != nil || e.rep == nil {
		t.Fatalf("batch with odd columns not compared: %v", e.err)
	}
	errs := map[string]string{}
	for _, c := range e.rep.Columns {
		errs[c.Name] = c.Error
	}
	if !strings.Contains(errs["age"], "not in the current") || !strings.Contains(errs["tenure_months"], "type changed") || errs["monthly_fee"] != "" || e.rep.Compared < 10 {
		t.Fatalf("column errors %v, %d compared", errs, e.rep.Compared)
	}
	view := m.View()
	for _, want := range []string{"not in the current", "type changed"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	// The empty batch, selected, says why it was not compared.
	m = uitest.Send(t, m, uitest.Key("h")).(*Model)
	if !strings.Contains(m.View(), "week_03.parquet: not compared") {
		t.Errorf("empty batch view:\n%s", m.View())
	}
}
