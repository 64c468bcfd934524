package ui_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/uitest"
)

// stub is a minimal screen that records what it receives.
type stub struct {
	title     string
	w, h      int
	capturing bool
	keys      []string
	loaded    []string
}

func (s *stub) Init() tea.Cmd { return nil }
func (s *stub) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		s.keys = append(s.keys, msg.String())
	case ui.DatasetLoadedMsg:
		if msg.Err == nil {
			s.loaded = append(s.loaded, msg.Name)
		}
	}
	return s, nil
}
func (s *stub) View() string {
	return fmt.Sprintf("%s screen, %d×%d", s.title, s.w, s.h)
}
func (s *stub) SetSize(w, h int) { s.w, s.h = w, h }
func (s *stub) Title() string    { return s.title }
func (s *stub) Capturing() bool  { return s.capturing }
func (s *stub) ShortHelp() []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "do x"))}
}
func (s *stub) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }

func newApp(t *testing.T, theme string, opt ui.Options) (*ui.App, *stub, *stub) {
	t.Helper()
	p, d := &stub{title: "Project"}, &stub{title: "Data"}
	if opt.Title == "" {
		opt.Title = "churn"
	}
	a := ui.New(uitest.Common(t, theme), opt, p, d)
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	return a, p, d
}

func press(a *ui.App, k string) tea.Cmd {
	_, cmd := a.Update(uitest.Key(k))
	return cmd
}

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

func TestStartingView(t *testing.T) {
	a := ui.New(uitest.Common(t, themes.NameDark), ui.Options{}, &stub{title: "Data"})
	if v := a.View(); v != "starting…" {
		t.Errorf("view before the first size: %q", v)
	}
}

func TestSizesAndSwitching(t *testing.T) {
	a, p, d := newApp(t, themes.NameDark, ui.Options{})
	if p.w != 80 || p.h != 21 || d.h != 21 {
		t.Errorf("content box %d×%d, want 80×21", p.w, p.h)
	}
	press(a, "?")
	if d.h >= 21 {
		t.Errorf("full help did not shrink the content box: %d", d.h)
	}
	press(a, "?")
	steps := []struct {
		key  string
		want int
	}{{"2", 1}, {"1", 0}, {"9", 0}, {"tab", 1}, {"tab", 0}, {"shift+tab", 1}}
	for _, s := range steps {
		press(a, s.key)
		if a.Active() != s.want {
			t.Errorf("after %s: screen %d, want %d", s.key, a.Active(), s.want)
		}
	}
	press(a, "x")
	if len(d.keys) != 1 || d.keys[0] != "x" {
		t.Errorf("screen keys %v", d.keys)
	}
	a.Update(tea.WindowSizeMsg{Width: 30, Height: 2})
	if d.h != 0 {
		t.Errorf("tiny window: content height %d, want 0", d.h)
	}
}

func TestCapturingScreenGetsGlobalKeys(t *testing.T) {
	a, p, _ := newApp(t, themes.NameDark, ui.Options{})
	p.capturing = true
	for _, k := range []string{"q", "2", "?", "tab", "esc"} {
		if cmd := press(a, k); isQuit(cmd) {
			t.Fatalf("%s quit while typing", k)
		}
	}
	if a.Active() != 0 || len(p.keys) != 5 {
		t.Errorf("active %d, keys %v", a.Active(), p.keys)
	}
	if !isQuit(press(a, "ctrl+c")) {
		t.Error("ctrl+c did not quit")
	}
	p.capturing = false
	if !isQuit(press(a, "q")) {
		t.Error("q did not quit")
	}
}

// pump feeds msg to a and runs the commands that follow, except those that
// block (job waits are run; spinner ticks are dropped).
func pump(t *testing.T, a *ui.App, cmd tea.Cmd) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		ch := make(chan tea.Msg, 1)
		go func() { ch <- c() }()
		var msg tea.Msg
		select {
		case msg = <-ch:
		case <-time.After(5 * time.Second):
			t.Fatal("command blocked")
		}
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			if fmt.Sprintf("%T", msg) == "spinner.TickMsg" {
				continue
			}
			_, next := a.Update(msg)
			queue = append(queue, next)
		}
	}
}

func TestDatasetLoadingDropsStaleResults(t *testing.T) {
	release := map[string]chan struct{}{"old": make(chan struct{}), "new": make(chan struct{})}
	loader := func(ctx context.Context, name string, progress func(done, total int64)) (*frame.Frame, error) {
		progress(1, 2)
		<-release[name] // the old load ignores its cancellation, as a slow reader might
		return frame.MustNew(frame.NewInt64("x", []int64{1}, frame.Mask{})), nil
	}
	a, p, d := newApp(t, themes.NameDark, ui.Options{Loader: loader})
	_, oldCmd := a.Update(ui.DatasetSelectedMsg{Name: "old"})
	_, newCmd := a.Update(ui.DatasetSelectedMsg{Name: "new"})
	close(release["new"])
	pump(t, a, newCmd)
	close(release["old"])
	pump(t, a, oldCmd)
	if fmt.Sprint(d.loaded) != "[new]" || fmt.Sprint(p.loaded) != "[new]" {
		t.Errorf("screens saw %v / %v, want [new]", p.loaded, d.loaded)
	}
	if a.Running() != 0 {
		t.Errorf("%d jobs still running", a.Running())
	}
}

func TestCtrlCCancelsJobsThenQuits(t *testing.T) {
	started := make(chan struct{})
	loader := func(ctx context.Context, name string, _ func(done, total int64)) (*frame.Frame, error) {
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	}
	a, _, d := newApp(t, themes.NameDark, ui.Options{Loader: loader})
	_, cmd := a.Update(ui.DatasetSelectedMsg{Name: "slow"})
	start := cmd() // JobStartedMsg
	_, wait := a.Update(start)
	<-started
	if a.Running() != 1 {
		t.Fatalf("running = %d", a.Running())
	}
	if isQuit(press(a, "ctrl+c")) {
		t.Fatal("first ctrl+c quit with a job running")
	}
	pump(t, a, wait) // the job sees the cancellation and ends
	if a.Running() != 0 || a.Err() != nil || len(d.loaded) != 0 {
		t.Errorf("running %d, err %v, loaded %v", a.Running(), a.Err(), d.loaded)
	}
	if !isQuit(press(a, "ctrl+c")) {
		t.Error("ctrl+c with no job did not quit")
	}
}

func TestEscCancelsJobAndDismissesError(t *testing.T) {
	loader := func(ctx context.Context, name string, _ func(done, total int64)) (*frame.Frame, error) {
		if name == "bad" {
			return nil, errors.New("dataio: bad.csv:3:7: unterminated quote")
		}
		<-ctx.Done()
		return nil, ctx.Err()
	}
	a, _, _ := newApp(t, themes.NameDark, ui.Options{Loader: loader})
	_, cmd := a.Update(ui.DatasetSelectedMsg{Name: "slow"})
	_, wait := a.Update(cmd())
	press(a, "esc")
	pump(t, a, wait)
	if a.Running() != 0 || a.Status() != "loading cancelled" {
		t.Errorf("running %d, status %q", a.Running(), a.Status())
	}
	_, cmd = a.Update(ui.DatasetSelectedMsg{Name: "bad"})
	pump(t, a, cmd)
	if a.Err() == nil {
		t.Fatal("load error not shown")
	}
	press(a, "esc")
	if a.Err() != nil {
		t.Error("esc did not dismiss the error")
	}
}

func TestGolden(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		for _, theme := range []string{themes.NameDark, themes.NameNoColor} {
			t.Run(fmt.Sprintf("%dx%d_%s", sz.w, sz.h, theme), func(t *testing.T) {
				a, _, _ := newApp(t, theme, ui.Options{})
				a.Update(tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
				press(a, "2")
				golden.RequireEqual(t, []byte(a.View()))
			})
		}
	}
}

func TestGoldenErrorAndHelp(t *testing.T) {
	a, _, _ := newApp(t, themes.NameDark, ui.Options{})
	a.Update(ui.ErrorMsg{Err: errors.New(`open sales.csv: dataio: sales.csv:1041:17: unterminated quoted field; the file may use a different quote character or have an unbalanced quote earlier`)})
	press(a, "?")
	golden.RequireEqual(t, []byte(a.View()))
}

func TestMouse(t *testing.T) {
	a, p, d := newApp(t, themes.NameDark, ui.Options{})
	// " mlwb " + " churn " + " 1 Project " puts "2 Data" at column 24.
	a.Update(tea.MouseMsg{X: 26, Y: 0, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if a.Active() != 1 {
		t.Fatalf("click on the Data tab: screen %d", a.Active())
	}
	a.Update(tea.MouseMsg{X: 5, Y: 0, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if a.Active() != 1 {
		t.Errorf("click on the brand switched to screen %d", a.Active())
	}
	_ = p
	_ = d
}

// panes is a stub screen with panes.
type panes struct{ stub }

func (p *panes) HasPanes() bool { return true }

func (p *panes) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := p.stub.Update(msg)
	return p, cmd
}

func TestPanesScreenGetsTab(t *testing.T) {
	p := &panes{stub{title: "Project"}}
	a := ui.New(uitest.Common(t, themes.NameDark), ui.Options{}, p, &stub{title: "Data"})
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	press(a, "tab")
	press(a, "shift+tab")
	if a.Active() != 0 || fmt.Sprint(p.keys) != "[tab shift+tab]" {
		t.Errorf("active %d, keys %v", a.Active(), p.keys)
	}
	press(a, "2")
	if a.Active() != 1 {
		t.Error("number key did not switch screens")
	}
}

func TestProgressShown(t *testing.T) {
	release := make(chan struct{})
	loader := func(ctx context.Context, name string, progress func(done, total int64)) (*frame.Frame, error) {
		progress(50, 100)
		<-release
		return nil, ctx.Err()
	}
	a, _, _ := newApp(t, themes.NameNoColor, ui.Options{Loader: loader})
	_, cmd := a.Update(ui.DatasetSelectedMsg{Name: "data/big.csv"})
	start := cmd().(ui.JobStartedMsg)
	a.Update(start)
	a.Update(start.Wait()) // the progress report
	v := a.View()
	if !strings.Contains(v, "loading big.csv ##########..........  50%  esc cancel") {
		t.Errorf("status line:\n%s", v)
	}
	press(a, "esc")
	close(release)
	a.Update(start.Wait())
	if a.Running() != 0 {
		t.Errorf("running %d", a.Running())
	}
}
