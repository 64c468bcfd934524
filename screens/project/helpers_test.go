package project

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/uitest"
	"github.com/mlwb/mlwb/workspace"
)

// fixedNow is the clock of every test: ages in views are measured from it.
var fixedNow = time.Date(2025, 3, 14, 15, 0, 0, 0, time.UTC)

// recorder wraps the screen so tests see every message that reaches it,
// including those meant for the root (StatusMsg, ErrorMsg, ...), which the
// screen ignores.
type recorder struct {
	m    *Model
	msgs []tea.Msg
}

func (r *recorder) Init() tea.Cmd { return r.m.Init() }
func (r *recorder) View() string  { return r.m.View() }
func (r *recorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	r.msgs = append(r.msgs, msg)
	_, cmd := r.m.Update(msg)
	return r, cmd
}

// send delivers one message and settles the commands that follow.
func (r *recorder) send(t testing.TB, msg tea.Msg) {
	t.Helper()
	uitest.Send(t, r, msg)
}

// keys sends key presses, named as uitest.Key names them.
func (r *recorder) keys(t testing.TB, names ...string) {
	t.Helper()
	for _, n := range names {
		r.send(t, keyMsg(n))
	}
}

// typeText types s one rune at a time.
func (r *recorder) typeText(t testing.TB, s string) {
	t.Helper()
	uitest.Type(t, r, s)
}

// keyMsg returns the key message called name; it knows ctrl+s, ctrl+n and
// ctrl+p besides uitest.Key's names.
func keyMsg(name string) tea.KeyMsg {
	switch name {
	case "ctrl+s":
		return tea.KeyMsg{Type: tea.KeyCtrlS}
	case "ctrl+n":
		return tea.KeyMsg{Type: tea.KeyCtrlN}
	case "ctrl+p":
		return tea.KeyMsg{Type: tea.KeyCtrlP}
	}
	return uitest.Key(name)
}

// reset forgets the messages seen so far.
func (r *recorder) reset() { r.msgs = nil }

// statuses returns the texts of the StatusMsgs seen.
func (r *recorder) statuses() []string {
	var out []string
	for _, m := range r.msgs {
		if s, ok := m.(ui.StatusMsg); ok {
			out = append(out, s.Text)
		}
	}
	return out
}

// errs returns the errors of the ErrorMsgs seen.
func (r *recorder) errs() []error {
	var out []error
	for _, m := range r.msgs {
		if e, ok := m.(ui.ErrorMsg); ok && e.Err != nil {
			out = append(out, e.Err)
		}
	}
	return out
}

// count returns how many messages of msg's type and value were seen.
func (r *recorder) count(msg tea.Msg) int {
	n := 0
	for _, m := range r.msgs {
		if m == msg {
			n++
		}
	}
	return n
}

// newWorkspace creates a workspace named "churn" in a temporary folder.
func newWorkspace(t testing.TB) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.Init(t.TempDir(), "churn")
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// newScreen returns the screen over ws (nil for none) at w×h, with the fixed
// clock, after its first refresh.
func newScreen(t testing.TB, ws *workspace.Workspace, w, h int, opt Options) *recorder {
	t.Helper()
	c := uitest.Common(t, themes.NameDark)
	c.Workspace = ws
	return newScreenWith(t, c, w, h, opt)
}

func newScreenWith(t testing.TB, c ui.Common, w, h int, opt Options) *recorder {
	t.Helper()
	if opt.Now == nil {
		opt.Now = func() time.Time { return fixedNow }
	}
	m := NewWithOptions(c, opt)
	m.SetSize(w, h)
	r := &recorder{m: m}
	uitest.Settle(t, r, m.refresh(false))
	r.reset()
	return r
}

// writeFile writes text to name in dir and returns its path.
func writeFile(t testing.TB, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// churnCSV is a small data file with a target column.
const churnCSV = `customer,age,age_group,plan,churned
c1,34,30-39,basic,no
c2,51,50-59,premium,yes
c3,27,20-29,basic,no
c4,45,40-49,pro,yes
c5,62,60-69,basic,no
`

// reopen opens ws's folder afresh, as another process would.
func reopen(t testing.TB, ws *workspace.Workspace) *workspace.Workspace {
	t.Helper()
	w2, err := workspace.Open(ws.Dir())
	if err != nil {
		t.Fatal(err)
	}
	return w2
}

// actions returns the actions of the workspace's history, oldest first.
func actions(t testing.TB, ws *workspace.Workspace) []string {
	t.Helper()
	ev, err := ws.History(0)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(ev))
	for i, e := range ev {
		out[i] = e.Action
	}
	return out
}

// fieldOf returns the form field with the dotted key.
func fieldOf(t testing.TB, m *Model, key string) *field {
	t.Helper()
	if m.form == nil {
		t.Fatal("the form is not open")
	}
	i := m.form.index(key)
	if i < 0 {
		t.Fatalf("no field %q", key)
	}
	return &m.form.fields[i]
}

// focusOn moves the form's focus to the field with key using ↓ presses, as a
// user would.
func (r *recorder) focusOn(t testing.TB, key string) {
	t.Helper()
	for range len(r.m.form.fields) {
		if r.m.form.fields[r.m.form.focus].key == key {
			return
		}
		r.keys(t, "down")
	}
	t.Fatalf("could not reach field %q", key)
}

// replace clears the focused text field and types s.
func (r *recorder) replace(t testing.TB, s string) {
	t.Helper()
	r.keys(t, "end", "ctrl+u")
	r.typeText(t, s)
}

// checkSize checks that view has exactly h lines of at most w cells and returns
// them.
func checkSize(t testing.TB, view string, w, h int) []string {
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
	return ls
}

// ctxWithCancel returns a context cancelled at the end of the test.
func ctxWithCancel(t testing.TB) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return ctx, cancel
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
