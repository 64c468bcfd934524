package clean

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/mlwb/mlwb/engine/demo"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/uitest"
	"github.com/mlwb/mlwb/workspace"
)

// harness wraps the screen and plays the root's part: it records every
// message that reaches it and answers DatasetSelectedMsg by loading the
// dataset's latest version from the workspace, as the root does.
type harness struct {
	m    *Model
	ws   *workspace.Workspace
	msgs []tea.Msg
}

func (h *harness) Init() tea.Cmd { return h.m.Init() }
func (h *harness) View() string  { return h.m.View() }
func (h *harness) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	h.msgs = append(h.msgs, msg)
	switch msg := msg.(type) {
	case ui.DatasetSelectedMsg:
		ws, name := h.ws, msg.Name
		return h, func() tea.Msg {
			f, err := ws.LoadDataset(context.Background(), name)
			return ui.DatasetLoadedMsg{Name: name, Frame: f, Err: err}
		}
	case ui.StatusMsg, ui.ErrorMsg, ui.WorkspaceChangedMsg:
		return h, nil
	}
	_, cmd := h.m.Update(msg)
	return h, cmd
}

// send delivers one message and settles the commands that follow.
func (h *harness) send(t testing.TB, msg tea.Msg) {
	t.Helper()
	uitest.Send(t, h, msg)
}

// keys sends key presses, named as uitest.Key names them.
func (h *harness) keys(t testing.TB, names ...string) {
	t.Helper()
	for _, n := range names {
		h.send(t, keyMsg(n))
	}
}

func keyMsg(name string) tea.KeyMsg {
	if name == "ctrl+r" {
		return tea.KeyMsg{Type: tea.KeyCtrlR}
	}
	return uitest.Key(name)
}

// typeText types s one rune at a time.
func (h *harness) typeText(t testing.TB, s string) {
	t.Helper()
	uitest.Type(t, h, s)
}

// reset forgets the messages seen so far.
func (h *harness) reset() { h.msgs = nil }

// statuses returns the texts of the StatusMsgs seen.
func (h *harness) statuses() []string {
	var out []string
	for _, m := range h.msgs {
		if s, ok := m.(ui.StatusMsg); ok {
			out = append(out, s.Text)
		}
	}
	return out
}

// errs returns the errors of the ErrorMsgs seen.
func (h *harness) errs() []error {
	var out []error
	for _, m := range h.msgs {
		if e, ok := m.(ui.ErrorMsg); ok && e.Err != nil {
			out = append(out, e.Err)
		}
	}
	return out
}

// newWorkspace returns a workspace in a temporary folder holding the named
// frames as datasets, imported in order.
func newWorkspace(t testing.TB, frames ...any) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.Init(t.TempDir(), "churn")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(frames); i += 2 {
		if _, err := ws.ImportFrame(context.Background(), frames[i].(string), "test", frames[i+1].(*frame.Frame)); err != nil {
			t.Fatal(err)
		}
	}
	return ws
}

// customers is the demo data of the tests: 1,000 rows of which 2 are
// exact duplicates (demo.Customers adds n/500).
func customers() *frame.Frame { return demo.Customers(1, 1000) }

// open returns the screen over ws at w×h with the named dataset loaded and
// its session read, previews running on every key.
func open(t testing.TB, ws *workspace.Workspace, name string, w, h int, theme string) *harness {
	t.Helper()
	c := uitest.Common(t, theme)
	c.Workspace = ws
	m := NewWithOptions(c, Options{Debounce: -1})
	m.SetSize(w, h)
	hs := &harness{m: m, ws: ws}
	hs.send(t, ui.DatasetSelectedMsg{Name: name})
	if m.recipe == nil {
		t.Fatalf("the session of %s was not read (err %v)", name, m.sessErr)
	}
	hs.reset()
	return hs
}

// versions returns the number of versions of the named dataset.
func versions(t testing.TB, ws *workspace.Workspace, name string) int {
	t.Helper()
	vs, err := ws.Versions(name)
	if err != nil {
		t.Fatal(err)
	}
	return len(vs)
}

// focusColumn puts the column cursor on the named column.
func (h *harness) focusColumn(t testing.TB, name string) {
	t.Helper()
	for i, c := range h.m.cols {
		if c.name == name {
			h.m.colCur = i
			h.m.scroll()
			return
		}
	}
	t.Fatalf("no column %q", name)
}

// pick opens the action menu on the focused column and chooses the item
// whose label starts with label.
func (h *harness) pick(t testing.TB, label string) {
	t.Helper()
	h.keys(t, "a")
	if h.m.mode != modeMenu {
		t.Fatalf("mode %v after a, want menu", h.m.mode)
	}
	for i, it := range h.m.menu {
		if strings.HasPrefix(it.label, label) {
			for range i {
				h.keys(t, "down")
			}
			h.keys(t, "enter")
			if h.m.mode != modeForm {
				t.Fatalf("mode %v after choosing %q, want form", h.m.mode, label)
			}
			return
		}
	}
	t.Fatalf("no menu item %q", label)
}

// checkSize checks that view has exactly h lines of at most w cells.
func checkSize(t testing.TB, view string, w, h int) {
	t.Helper()
	ls := strings.Split(view, "\n")
	if len(ls) != h {
		t.Errorf("view has %d lines, want %d", len(ls), h)
	}
	for i, l := range ls {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line %d is %d cells wide, more than %d: %q", i+1, n, w, l)
		}
	}
}
