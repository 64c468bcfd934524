package project

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/uitest"
	"github.com/mlwb/mlwb/workspace"
)

var _ ui.Screen = (*Model)(nil)

// smallFrame is a two-column frame for snapshots.
func smallFrame() *frame.Frame {
	return frame.MustNew(
		frame.NewInt64("x", []int64{1, 2, 3}, frame.Mask{}),
		frame.NewString("y", []string{"a", "b", "c"}, frame.Mask{}),
	)
}

// withDatasets imports datasets named names (in order) into ws.
func withDatasets(t *testing.T, ws *workspace.Workspace, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := ws.ImportFrame(context.Background(), n, "memory", smallFrame()); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPaneFocusAndCursor(t *testing.T) {
	ws := newWorkspace(t)
	withDatasets(t, ws, "a", "b", "c")
	r := newScreen(t, ws, 120, 40, Options{})
	m := r.m
	var seen []pane
	for _, k := range []string{"tab", "tab", "tab", "shift+tab", "l", "h", "right", "left"} {
		r.keys(t, k)
		seen = append(seen, m.focus)
	}
	want := []pane{paneDatasets, paneHistory, paneCard, paneHistory, paneCard, paneHistory, paneCard, paneHistory}
	if !slices.Equal(seen, want) {
		t.Errorf("focus sequence = %v, want %v", seen, want)
	}

	r.keys(t, "tab") // → card; ↓ there goes to the datasets
	r.keys(t, "down")
	if m.focus != paneDatasets || m.cursor != 0 {
		t.Errorf("↓ on the card: focus %v cursor %d, want datasets, 0", m.focus, m.cursor)
	}
	r.keys(t, "j", "j", "j", "j")
	if m.cursor != 2 {
		t.Errorf("cursor past the end = %d, want 2", m.cursor)
	}
	r.keys(t, "g")
	if m.cursor != 0 {
		t.Errorf("g: cursor %d", m.cursor)
	}
	r.keys(t, "G", "k")
	if m.cursor != 1 {
		t.Errorf("G, k: cursor %d", m.cursor)
	}
	if m.Capturing() {
		t.Error("browsing captures keys")
	}
}

func TestDeleteAsksFirst(t *testing.T) {
	ws := newWorkspace(t)
	withDatasets(t, ws, "keep", "drop")
	r := newScreen(t, ws, 80, 24, Options{})
	m := r.m
	r.keys(t, "tab", "down") // datasets, on "drop"
	r.keys(t, "d")
	if !m.Capturing() || m.mode != modeConfirm {
		t.Fatalf("d: mode %v", m.mode)
	}
	if v := m.View(); !strings.Contains(v, `delete dataset "drop" and all its versions? y/n`) {
		t.Errorf("the question is not shown:\n%s", v)
	}
	r.keys(t, "n")
	if m.mode != modeBrowse || len(m.datasets) != 2 {
		t.Fatalf("n: mode %v, datasets %d", m.mode, len(m.datasets))
	}
	r.keys(t, "d", "q") // any other key keeps it too, and does not quit
	if len(m.datasets) != 2 {
		t.Fatal("a key other than y deleted the dataset")
	}
	r.reset()
	r.keys(t, "d", "y")
	if len(m.datasets) != 1 || m.datasets[0].Name != "keep" {
		t.Fatalf("after y: datasets %+v", m.datasets)
	}
	if m.cursor != 0 {
		t.Errorf("cursor %d after deleting the last row", m.cursor)
	}
	if r.count(ui.WorkspaceChangedMsg{}) != 1 {
		t.Errorf("messages %v lack WorkspaceChangedMsg", r.msgs)
	}
	if ds, err := reopen(t, ws).Datasets(); err != nil || len(ds) != 1 {
		t.Errorf("on disk: %v, %v", ds, err)
	}
	if a := actions(t, ws); a[len(a)-1] != "dataset.delete" {
		t.Errorf("history = %v", a)
	}
}

func TestDatasetLoadedMarksOpenDataset(t *testing.T) {
	ws := newWorkspace(t)
	withDatasets(t, ws, "a", "b")
	r := newScreen(t, ws, 80, 24, Options{})
	r.send(t, ui.DatasetLoadedMsg{Name: "b", Frame: smallFrame()})
	if r.m.open != "b" {
		t.Errorf("open = %q", r.m.open)
	}
	lines := strings.Split(r.m.View(), "\n")
	i := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, "● b ") })
	if i < 0 {
		t.Errorf("b is not marked open:\n%s", strings.Join(lines, "\n"))
	}
	// A failed load changes nothing.
	r.send(t, ui.DatasetLoadedMsg{Name: "a", Err: context.DeadlineExceeded})
	if r.m.open != "b" {
		t.Errorf("open = %q after a failed load", r.m.open)
	}
}

func TestStaleRefreshIsDropped(t *testing.T) {
	r := sampleScreen(t, 80, 24, themes.NameDark)
	m := r.m
	newer := sampleRefresh(m.seq + 2)
	older := sampleRefresh(m.seq + 1)
	older.datasets = nil
	r.send(t, newer)
	r.send(t, older)
	if len(m.datasets) != 3 {
		t.Errorf("an older refresh replaced a newer one: %d datasets", len(m.datasets))
	}
}

func TestRefreshErrorIsReported(t *testing.T) {
	r := sampleScreen(t, 80, 24, themes.NameDark)
	msg := sampleRefresh(r.m.seq + 1)
	msg.err = context.DeadlineExceeded
	r.send(t, msg)
	if errs := r.errs(); len(errs) != 1 {
		t.Errorf("errors = %v", errs)
	}
}

func TestNoWorkspace(t *testing.T) {
	r := newScreen(t, nil, 80, 24, Options{})
	m := r.m
	if cmd := m.Init(); cmd != nil {
		t.Error("Init without a workspace returns a command")
	}
	if !strings.Contains(m.View(), "No file loaded yet") {
		t.Errorf("view before a load:\n%s", m.View())
	}
	for _, k := range []string{"e", "i", "d"} {
		r.reset()
		r.keys(t, k)
		if m.Capturing() || m.mode != modeBrowse {
			t.Errorf("%s without a workspace opened mode %v", k, m.mode)
		}
		if s := r.statuses(); len(s) != 1 || !strings.Contains(s[0], "no workspace") {
			t.Errorf("%s: statuses %q", k, s)
		}
	}
	r.reset()
	r.keys(t, "enter") // nothing loaded: nothing to show
	if r.count(ui.SwitchScreenMsg{Index: DataScreen}) != 0 {
		t.Error("enter switched screens with no file")
	}
	r.send(t, ui.DatasetLoadedMsg{Name: "iris.csv", Frame: smallFrame()})
	r.keys(t, "enter")
	if r.count(ui.SwitchScreenMsg{Index: DataScreen}) != 1 {
		t.Errorf("enter with a file loaded sent %v", r.msgs)
	}
}

func TestMouse(t *testing.T) {
	ws := newWorkspace(t)
	withDatasets(t, ws, "a", "b", "c")
	r := newScreen(t, ws, 120, 40, Options{})
	m := r.m
	l := m.layout()
	// Click on the third dataset row: border, header, then rows.
	r.send(t, tea.MouseMsg{X: l.datasets.x + 5, Y: l.datasets.y + 4, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	if m.focus != paneDatasets || m.cursor != 2 {
		t.Errorf("click on row 3: focus %v cursor %d", m.focus, m.cursor)
	}
	r.send(t, tea.MouseMsg{X: l.datasets.x + 5, Y: l.datasets.y + 4, Action: tea.MouseActionPress, Button: tea.MouseButtonWheelUp})
	if m.cursor != 1 {
		t.Errorf("wheel up: cursor %d", m.cursor)
	}
	r.send(t, tea.MouseMsg{X: 2, Y: 2, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	if m.focus != paneCard {
		t.Errorf("click on the card: focus %v", m.focus)
	}
}

// TestInApp puts the screen in the real root at 80×24: it fits, and keys
// typed in the form are not taken by the root.
func TestInApp(t *testing.T) {
	ws := newWorkspace(t)
	withDatasets(t, ws, "a")
	c := uitest.Common(t, themes.NameDark)
	c.Workspace = ws
	m := NewWithOptions(c, Options{Now: func() time.Time { return fixedNow }})
	app := ui.New(c, ui.Options{}, m)
	uitest.Settle(t, app, m.refresh(false))
	uitest.Send(t, app, tea.WindowSizeMsg{Width: 80, Height: 24})
	v := app.View()
	ls := strings.Split(v, "\n")
	if len(ls) != 24 {
		t.Errorf("app view has %d lines", len(ls))
	}
	for i, l := range ls {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line %d is %d wide", i+1, w)
		}
	}
	for _, want := range []string{"Project card", "Datasets (1)", "History"} {
		if !strings.Contains(v, want) {
			t.Errorf("app view lacks %q:\n%s", want, v)
		}
	}
	uitest.Send(t, app, keyMsg("e"))
	if !m.Capturing() {
		t.Fatal("e through the root did not open the form")
	}
	uitest.Type(t, app, "q?1")
	if got := m.form.fields[0].input.Value(); got != "churnq?1" {
		t.Errorf("name typed through the root = %q; the root took keys", got)
	}
}

func TestHistoryScrolls(t *testing.T) {
	r := sampleScreen(t, 80, 16, themes.NameDark) // room for three events
	m := r.m
	r.keys(t, "shift+tab") // history
	top := func() string {
		for _, l := range strings.Split(m.View(), "\n") {
			if strings.Contains(l, " ago") || strings.Contains(l, "just now") || strings.Contains(l, "2025-") {
				if !strings.Contains(l, "subscribers_full") && !strings.Contains(l, ".parquet") && !strings.Contains(l, ".arff") {
					return l
				}
			}
		}
		return ""
	}
	if !strings.Contains(top(), "study.start") {
		t.Fatalf("newest event not first: %q", top())
	}
	r.keys(t, "j")
	if !strings.Contains(top(), "12m ago") {
		t.Errorf("after j the first event is %q, want the second newest", top())
	}
	r.keys(t, "G")
	if !strings.Contains(top(), "1d ago") { // the last three: 1d ago, and two dates
		t.Errorf("after G the first event is %q", top())
	}
	r.keys(t, "k")
	if !strings.Contains(top(), "5h ago") {
		t.Errorf("after G, k the first event is %q", top())
	}
	r.keys(t, "g")
	if !strings.Contains(top(), "study.start") {
		t.Errorf("after g: %q", top())
	}
}

func TestAgesFollowTheClock(t *testing.T) {
	now := fixedNow
	c := uitest.Common(t, themes.NameDark)
	c.Workspace = newWorkspace(t)
	r := newScreenWith(t, c, 120, 40, Options{Now: func() time.Time { return now }})
	r.send(t, sampleRefresh(r.m.seq))
	if !strings.Contains(r.m.View(), "3h ago") {
		t.Fatal("no 3h ago in the view")
	}
	now = fixedNow.Add(2 * time.Hour)
	_, cmd := r.m.Update(ageTickMsg{})
	if cmd == nil {
		t.Error("the tick does not renew itself")
	}
	if v := r.m.View(); !strings.Contains(v, "5h ago") || strings.Contains(v, "3h ago") {
		t.Errorf("ages after two hours:\n%s", v)
	}
}

func TestReloadReadsEditedCard(t *testing.T) {
	ws := newWorkspace(t)
	r := newScreen(t, ws, 80, 24, Options{})
	text := strings.Replace(string(workspace.Card{Name: "churn"}.Render()), `target = ""`, `target = "label"`, 1)
	writeFile(t, ws.Dir(), workspace.CardFile, text)
	r.keys(t, "r")
	if r.m.card.Target != "label" {
		t.Errorf("after r the card's target is %q", r.m.card.Target)
	}
	if errs := r.errs(); len(errs) > 0 {
		t.Error(errs)
	}
}
