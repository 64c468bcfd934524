package ui

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/workspace"
)

// Loader loads the named dataset for the root. progress may be called from
// any goroutine; it must honour ctx.
type Loader func(ctx context.Context, name string, progress func(done, total int64)) (*frame.Frame, error)

// Options configure an App. The zero value means: title from the workspace
// card, no loader (DatasetSelectedMsg then reports an error), screen and
// dataset restored from the workspace state.
type Options struct {
	// Title is shown in the header; "" means the workspace card's name.
	Title string
	// Loader opens datasets named by DatasetSelectedMsg.
	Loader Loader
	// Dataset, when not "", is opened at start instead of the saved one.
	Dataset string
	// Screen, when not "", is the title of the screen focused at start
	// instead of the saved one.
	Screen string
}

// progressWidth is the width of the job progress bar in the status line.
const progressWidth = 20

// App is the root model: header with tabs, the focused screen, and a footer
// with the status line and key help.
type App struct {
	c       Common
	opt     Options
	screens []Screen
	active  int

	width, height int
	ready         bool
	headerH       int
	footerH       int

	help     help.Model
	showHelp bool
	spinner  spinner.Model
	spinning bool
	bar      progress.Model

	jobs        []*runningJob // running jobs, oldest first
	interrupted bool          // ctrl+c pressed while jobs ran
	err         error         // shown until esc
	status      string

	loadJob int    // id of the latest dataset load
	dataset string // name of the dataset loaded last

	project string // project name from the workspace card

	state workspace.State // the UI state as last asked to be saved
	saver *stateWriter
}

// New returns the root model over screens (at least one). It restores the
// focused screen from the workspace state (no I/O: the state is in memory).
func New(c Common, opt Options, screens ...Screen) *App {
	if len(screens) == 0 {
		panic("ui: New needs at least one screen")
	}
	if c.Jobs == nil {
		c.Jobs = &JobIDs{}
	}
	st := c.Styles
	h := help.New()
	h.Styles = st.Help
	h.ShortSeparator, h.FullSeparator, h.Ellipsis = st.Glyphs.HelpSep, "  ", st.Glyphs.Ellipsis
	a := &App{
		c: c, opt: opt, screens: screens,
		help:    h,
		spinner: spinner.New(spinner.WithSpinner(st.Spinner), spinner.WithStyle(st.SpinnerStyle)),
		bar:     st.NewProgress(progressWidth),
		saver:   &stateWriter{},
	}
	if c.Workspace != nil {
		a.state = c.Workspace.State()
		a.project = c.Workspace.Card().Name
	}
	want := opt.Screen
	if want == "" {
		want = a.state.Screen
	}
	for i, s := range screens {
		if s.Title() == want {
			a.active = i
		}
	}
	return a
}

// Init starts every screen and opens the dataset given in Options or saved
// in the workspace state.
func (a *App) Init() tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(a.screens)+1)
	for _, s := range a.screens {
		cmds = append(cmds, s.Init())
	}
	name := a.opt.Dataset
	if name == "" {
		name = a.state.Dataset
	}
	if name != "" {
		cmds = append(cmds, func() tea.Msg { return DatasetSelectedMsg{Name: name} })
	}
	return tea.Batch(cmds...)
}

// Active returns the index of the focused screen.
func (a *App) Active() int { return a.active }

// Running returns the number of running jobs.
func (a *App) Running() int { return len(a.jobs) }

// Err returns the error shown in the error view, or nil.
func (a *App) Err() error { return a.err }

// Status returns the status line's text.
func (a *App) Status() string { return a.status }

// Update routes msg: a short switch over named handlers.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return a, a.onResize(msg)
	case tea.KeyMsg:
		return a, a.onKeys(msg)
	case tea.MouseMsg:
		return a, a.onMouse(msg)
	case JobStartedMsg:
		return a, a.onJobStarted(msg)
	case ProgressMsg:
		return a, a.onProgress(msg)
	case JobDoneMsg:
		return a, a.onJobDone(msg)
	case spinner.TickMsg:
		return a, a.onTick(msg)
	case ErrorMsg:
		a.setError(msg.Err)
		return a, nil
	case StatusMsg:
		a.status = msg.Text
		return a, nil
	case SwitchScreenMsg:
		return a, a.switchTo(msg.Index)
	case DatasetSelectedMsg:
		return a, a.onDatasetSelected(msg)
	case DatasetLoadedMsg:
		return a, a.onDatasetLoaded(msg)
	case SaveScreenStateMsg:
		return a, a.onSaveScreenState(msg)
	case WorkspaceChangedMsg:
		if a.c.Workspace != nil {
			a.project = a.c.Workspace.Card().Name
		}
		return a, a.broadcast(msg)
	}
	return a, a.broadcast(msg)
}

func (a *App) onResize(msg tea.WindowSizeMsg) tea.Cmd {
	a.width, a.height, a.ready = msg.Width, msg.Height, true
	a.c.Width, a.c.Height = msg.Width, msg.Height
	a.layout()
	return nil
}

// layout measures header and footer and gives every screen the rest.
func (a *App) layout() {
	if !a.ready {
		return
	}
	a.help.Width = a.width
	a.headerH = lipgloss.Height(a.headerView())
	a.footerH = lipgloss.Height(a.footerView())
	h := max(0, a.height-a.headerH-a.footerH)
	for _, s := range a.screens {
		s.SetSize(a.width, h)
	}
}

// onKeys splits a burst of typed characters into single key presses.
// bubbletea v1 reports printable runes that arrive in one read as one
// KeyMsg ("jjj", "2s"): over SSH, or with a fast key repeat, keys pressed in
// quick succession arrive together and matched no binding, so they were
// lost. Once a screen captures text (e.g. "/" opened a filter), the rest of
// the burst goes to it in one message, as typed text. Bracketed pastes are
// left whole.
func (a *App) onKeys(msg tea.KeyMsg) tea.Cmd {
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Paste {
		return a.onKey(msg)
	}
	var cmds []tea.Cmd
	for i, r := range msg.Runes {
		if a.screens[a.active].Capturing() {
			rest := msg
			rest.Runes = msg.Runes[i:]
			cmds = append(cmds, a.onKey(rest))
			break
		}
		one := msg
		one.Runes = []rune{r}
		cmds = append(cmds, a.onKey(one))
	}
	return tea.Batch(cmds...)
}

func (a *App) onKey(msg tea.KeyMsg) tea.Cmd {
	k := a.c.Keys
	if key.Matches(msg, k.Interrupt) {
		return a.onInterrupt()
	}
	a.interrupted = false
	if a.screens[a.active].Capturing() {
		return a.updateScreen(a.active, msg)
	}
	if p, ok := a.screens[a.active].(Panes); ok && p.HasPanes() &&
		(key.Matches(msg, k.NextScreen) || key.Matches(msg, k.PrevScreen)) {
		return a.updateScreen(a.active, msg)
	}
	switch {
	case key.Matches(msg, k.Back):
		switch {
		case a.err != nil:
			a.setError(nil)
			return nil
		case len(a.jobs) > 0:
			a.cancelJobs()
			a.status = "cancelled"
			return nil
		}
	case key.Matches(msg, k.Quit):
		return a.quit()
	case key.Matches(msg, k.Help):
		a.showHelp = !a.showHelp
		a.layout()
		return nil
	case key.Matches(msg, k.NextScreen):
		return a.switchTo((a.active + 1) % len(a.screens))
	case key.Matches(msg, k.PrevScreen):
		return a.switchTo((a.active + len(a.screens) - 1) % len(a.screens))
	case key.Matches(msg, k.Screen):
		if n := int(msg.String()[0] - '1'); n < len(a.screens) {
			return a.switchTo(n)
		}
		return nil
	}
	return a.updateScreen(a.active, msg)
}

// onInterrupt cancels running jobs, or quits when none run or when ctrl+c
// is pressed a second time.
func (a *App) onInterrupt() tea.Cmd {
	if len(a.jobs) == 0 || a.interrupted {
		return a.quit()
	}
	a.cancelJobs()
	a.interrupted = true
	a.status = "cancelled (ctrl+c again to quit)"
	return nil
}

func (a *App) quit() tea.Cmd {
	a.cancelJobs()
	return tea.Quit
}

func (a *App) cancelJobs() {
	for _, j := range a.jobs {
		j.cancel()
	}
}

func (a *App) onMouse(msg tea.MouseMsg) tea.Cmd {
	if msg.Y < a.headerH {
		if msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft {
			if i := a.tabAt(msg.X); i >= 0 {
				return a.switchTo(i)
			}
		}
		return nil
	}
	msg.Y -= a.headerH
	return a.updateScreen(a.active, msg)
}

func (a *App) switchTo(i int) tea.Cmd {
	if i < 0 || i >= len(a.screens) || i == a.active {
		return nil
	}
	a.active = i
	a.status = ""
	a.layout() // the help line belongs to the focused screen
	return a.saveState()
}

func (a *App) onJobStarted(msg JobStartedMsg) tea.Cmd {
	a.jobs = append(a.jobs, msg.job)
	cmds := []tea.Cmd{msg.job.wait}
	if !a.spinning {
		a.spinning = true
		cmds = append(cmds, a.spinner.Tick)
	}
	return tea.Batch(cmds...)
}

func (a *App) job(id int) *runningJob {
	for _, j := range a.jobs {
		if j.id == id {
			return j
		}
	}
	return nil
}

func (a *App) onProgress(msg ProgressMsg) tea.Cmd {
	j := a.job(msg.JobID)
	if j == nil {
		return nil
	}
	j.last = progressReport{msg.Done, msg.Total}
	return j.wait
}

func (a *App) onJobDone(msg JobDoneMsg) tea.Cmd {
	for i, j := range a.jobs {
		if j.id == msg.JobID {
			j.cancel() // release the context
			a.jobs = append(a.jobs[:i], a.jobs[i+1:]...)
			break
		}
	}
	if len(a.jobs) == 0 {
		a.interrupted = false
	}
	if msg.Result == nil {
		return nil
	}
	_, cmd := a.Update(msg.Result)
	return cmd
}

func (a *App) onTick(msg spinner.TickMsg) tea.Cmd {
	if msg.ID != a.spinner.ID() {
		return a.broadcast(msg)
	}
	if len(a.jobs) == 0 {
		a.spinning = false
		return nil
	}
	var cmd tea.Cmd
	a.spinner, cmd = a.spinner.Update(msg)
	return cmd
}

func (a *App) setError(err error) {
	if err != nil && IsCanceled(err) {
		a.status = "cancelled"
		return
	}
	a.err = err
	a.layout()
}

func (a *App) onDatasetSelected(msg DatasetSelectedMsg) tea.Cmd {
	if j := a.job(a.loadJob); j != nil {
		j.cancel()
	}
	load, name := a.opt.Loader, msg.Name
	job, cmd := a.c.StartJob("loading "+filepath.Base(name), func(ctx context.Context, id int, progress func(done, total int64)) tea.Msg {
		if load == nil {
			return DatasetLoadedMsg{JobID: id, Name: name, Err: errors.New("ui: no dataset loader configured")}
		}
		f, err := load(ctx, name, progress)
		return DatasetLoadedMsg{JobID: id, Name: name, Frame: f, Err: err}
	})
	a.loadJob = job.ID
	return cmd
}

func (a *App) onDatasetLoaded(msg DatasetLoadedMsg) tea.Cmd {
	if msg.JobID != 0 && msg.JobID != a.loadJob {
		return nil // stale: a newer load was asked for
	}
	if msg.Err != nil {
		if IsCanceled(msg.Err) {
			a.status = "loading cancelled"
			return nil
		}
		a.setError(fmt.Errorf("open %s: %w", msg.Name, msg.Err))
		return a.broadcast(msg)
	}
	a.dataset = msg.Name
	a.status = fmt.Sprintf("opened %s: %s rows, %d columns", msg.Name, Thousands(int64(msg.Frame.NumRows())), msg.Frame.NumCols())
	return tea.Batch(a.broadcast(msg), a.saveState())
}

// saveState writes the focused screen and the open dataset to the workspace
// state, off the UI goroutine.
func (a *App) saveState() tea.Cmd {
	if a.c.Workspace == nil {
		return nil
	}
	st := a.state
	st.Screen = a.screens[a.active].Title()
	if a.dataset != "" {
		st.Dataset = a.dataset
	}
	if st.Screen == a.state.Screen && st.Dataset == a.state.Dataset {
		return nil
	}
	a.state.Screen, a.state.Dataset = st.Screen, st.Dataset
	return a.writeState()
}

func (a *App) onSaveScreenState(msg SaveScreenStateMsg) tea.Cmd {
	if a.c.Workspace == nil {
		return nil
	}
	changed := false
	for k, v := range msg.Values {
		if a.state.Get(msg.Screen, k) != v {
			a.state.Set(msg.Screen, k, v)
			changed = true
		}
	}
	if !changed {
		return nil
	}
	return a.writeState()
}

// writeState saves a copy of a.state. Writes run off the UI goroutine, in
// order: an older copy never overwrites a newer one.
func (a *App) writeState() tea.Cmd {
	ws, w := a.c.Workspace, a.saver
	w.version++
	ver := w.version
	st := cloneState(a.state)
	return func() tea.Msg {
		w.mu.Lock()
		defer w.mu.Unlock()
		if ver <= w.written {
			return nil
		}
		w.written = ver
		if err := ws.SaveState(st); err != nil {
			return ErrorMsg{Err: err}
		}
		return nil
	}
}

// stateWriter orders state writes.
type stateWriter struct {
	version int        // last version handed to a write (UI goroutine only)
	mu      sync.Mutex // guards written
	written int
}

func cloneState(s workspace.State) workspace.State {
	if s.Screens != nil {
		m := make(map[string]map[string]string, len(s.Screens))
		for k, v := range s.Screens {
			m[k] = maps.Clone(v)
		}
		s.Screens = m
	}
	return s
}

func (a *App) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(a.screens))
	for i := range a.screens {
		cmds = append(cmds, a.updateScreen(i, msg))
	}
	return tea.Batch(cmds...)
}

func (a *App) updateScreen(i int, msg tea.Msg) tea.Cmd {
	m, cmd := a.screens[i].Update(msg)
	if s, ok := m.(Screen); ok {
		a.screens[i] = s
	}
	return cmd
}

// title is the project name shown in the header.
func (a *App) title() string {
	if a.opt.Title != "" {
		return a.opt.Title
	}
	return a.project
}

// Workspace returns the workspace handle, or nil.
func (a *App) Workspace() *workspace.Workspace { return a.c.Workspace }

// View renders header, the focused screen and the footer.
func (a *App) View() string {
	if !a.ready {
		return "starting…"
	}
	var b strings.Builder
	b.WriteString(a.headerView())
	b.WriteByte('\n')
	bodyH := max(0, a.height-a.headerH-a.footerH)
	b.WriteString(fitLines(a.screens[a.active].View(), a.width, bodyH))
	if bodyH > 0 {
		b.WriteByte('\n')
	}
	b.WriteString(a.footerView())
	return b.String()
}

func (a *App) tabLabels() []string {
	out := make([]string, len(a.screens))
	for i, s := range a.screens {
		out[i] = fmt.Sprintf("%d %s", i+1, s.Title())
	}
	return out
}

// headerLayout returns the project title and the tab labels as the header
// shows them at the current width. When the full labels do not fit, the
// inactive tabs shrink to their numbers, then the title is shortened, so the
// active tab stays readable at 60 columns with nine screens; headerView and
// tabAt share it so clicks land on what is drawn.
func (a *App) headerLayout() (string, []string) {
	st := a.c.Styles.Header
	labels := a.tabLabels()
	title := a.title()
	width := func(title string, labels []string) int {
		n := ansi.StringWidth(st.Brand.Render("mlwb"))
		if title != "" {
			n += ansi.StringWidth(st.Project.Render(title))
		}
		for i, l := range labels {
			if i == a.active {
				n += ansi.StringWidth(st.ActiveTab.Render(l))
			} else {
				n += ansi.StringWidth(st.Tab.Render(l))
			}
		}
		return n
	}
	if width(title, labels) <= a.width {
		return title, labels
	}
	for i := range labels {
		if i != a.active {
			labels[i] = strconv.Itoa(i + 1)
		}
	}
	over := width(title, labels) - a.width
	if over <= 0 || title == "" {
		return title, labels
	}
	// Shorten the title, or drop it when fewer than 4 cells would remain.
	keep := ansi.StringWidth(title) - over - 1 // 1 for the ellipsis
	if keep < 4 {
		return "", labels
	}
	return ansi.Truncate(title, keep+1, a.c.Styles.Glyphs.Ellipsis), labels
}

func (a *App) headerView() string {
	st := a.c.Styles.Header
	title, labels := a.headerLayout()
	var b strings.Builder
	b.WriteString(st.Brand.Render("mlwb"))
	if title != "" {
		b.WriteString(st.Project.Render(title))
	}
	for i, l := range labels {
		if i == a.active {
			b.WriteString(st.ActiveTab.Render(l))
		} else {
			b.WriteString(st.Tab.Render(l))
		}
	}
	line := ansi.Truncate(b.String(), a.width, "")
	if pad := a.width - ansi.StringWidth(line); pad > 0 {
		line += st.Bar.Render(strings.Repeat(" ", pad))
	}
	return line
}

// tabAt returns the index of the tab at column x of the header, or -1.
func (a *App) tabAt(x int) int {
	st := a.c.Styles.Header
	title, labels := a.headerLayout()
	pos := ansi.StringWidth(st.Brand.Render("mlwb"))
	if title != "" {
		pos += ansi.StringWidth(st.Project.Render(title))
	}
	for i, l := range labels {
		tab := st.Tab
		if i == a.active {
			tab = st.ActiveTab
		}
		w := ansi.StringWidth(tab.Render(l))
		if x >= pos && x < pos+w {
			return i
		}
		pos += w
	}
	return -1
}

func (a *App) footerView() string {
	return a.statusView() + "\n" + a.helpView()
}

func (a *App) statusView() string {
	st := a.c.Styles
	w := a.width
	switch {
	case a.err != nil:
		hint := st.Footer.Hint.Render("  esc dismiss")
		text := "error: " + a.err.Error()
		lines := strings.Split(ansi.Wrap(text, max(1, w-ansi.StringWidth(hint)), " "), "\n")
		if len(lines) > 3 {
			lines = lines[:3]
			lines[2] = ansi.Truncate(lines[2]+" "+st.Glyphs.Ellipsis, max(1, w-ansi.StringWidth(hint)), st.Glyphs.Ellipsis)
		}
		for i := range lines {
			lines[i] = st.Footer.Error.Render(lines[i])
		}
		lines[len(lines)-1] += hint
		return strings.Join(lines, "\n")
	case len(a.jobs) > 0:
		j := a.jobs[len(a.jobs)-1]
		s := a.spinner.View() + " " + st.Footer.Job.Render(j.label)
		if n := len(a.jobs); n > 1 {
			s += st.Footer.Status.Render(fmt.Sprintf(" (+%d)", n-1))
		}
		if j.last.total > 0 {
			pct := min(1, float64(j.last.done)/float64(j.last.total))
			s += " " + a.bar.ViewAs(pct) + st.Footer.Status.Render(fmt.Sprintf(" %3.0f%%", pct*100))
		}
		s += st.Footer.Hint.Render("  esc cancel")
		return ansi.Truncate(s, w, st.Glyphs.Ellipsis)
	}
	return ansi.Truncate(st.Footer.Status.Render(a.status), w, st.Glyphs.Ellipsis)
}

// helpKeys joins the focused screen's keys and the global keys.
type helpKeys struct {
	screen    help.KeyMap
	global    GlobalKeyMap
	capturing bool
}

func (h helpKeys) ShortHelp() []key.Binding {
	if h.capturing {
		return h.screen.ShortHelp()
	}
	return append(h.screen.ShortHelp(), h.global.ShortHelp()...)
}

func (h helpKeys) FullHelp() [][]key.Binding {
	if h.capturing {
		return h.screen.FullHelp()
	}
	return append(h.screen.FullHelp(), h.global.FullHelp()...)
}

func (a *App) helpView() string {
	s := a.screens[a.active]
	a.help.ShowAll = a.showHelp
	return a.help.View(helpKeys{screen: s, global: a.c.Keys, capturing: s.Capturing()})
}
