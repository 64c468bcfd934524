package clean

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/mlwb/mlwb/engine/clean"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/workspace"
)

// DefaultDebounce is how long the screen waits after the last key of a form
// before it previews the step.
const DefaultDebounce = 250 * time.Millisecond

// Options configure the screen. The zero value means the defaults.
type Options struct {
	// Debounce is the pause after typing before a preview runs; 0 means
	// DefaultDebounce and a negative value previews on every key (tests).
	Debounce time.Duration
}

// pane is one of the two panes of the screen.
type pane int

const (
	paneColumns pane = iota
	paneRecipe
)

var paneNames = [...]string{"columns", "recipe"}

// String returns the pane's name.
func (p pane) String() string {
	if p >= 0 && int(p) < len(paneNames) {
		return paneNames[p]
	}
	return "pane(" + strconv.Itoa(int(p)) + ")"
}

// mode is what the screen is doing.
type mode int

const (
	modeBrowse  mode = iota // moving in the panes
	modeMenu                // the action menu of a column is open
	modeForm                // a step form is open
	modeSuggest             // the suggestions are listed
	modeMerge               // the merge form is open
	modeConfirm             // asking whether to delete a step
)

var modeNames = [...]string{"browse", "menu", "form", "suggest", "merge", "confirm"}

// String returns the mode's name.
func (m mode) String() string {
	if m >= 0 && int(m) < len(modeNames) {
		return modeNames[m]
	}
	return "mode(" + strconv.Itoa(int(m)) + ")"
}

// colInfo is one column of the current version.
type colInfo struct {
	name    string
	typ     frame.Type
	missing int
}

// menuItem is one action of the action menu.
type menuItem struct {
	label string
	step  clean.Step // the step the form starts from
}

// Model is the Clean screen. Create it with New.
type Model struct {
	c    ui.Common
	st   *themes.Styles
	r    *lipgloss.Renderer
	keys KeyMap
	opt  Options

	width, height int
	focus         pane
	mode          mode

	// The dataset the app loaded last (the latest version of name).
	name   string
	f      *frame.Frame
	cols   []colInfo
	colCur int
	colOff int

	// The session of name. sess is only used by the job in busy (Session
	// is not safe for concurrent use); recipe, latest and attached are
	// copies of its state returned by the last job.
	sess     *clean.Session
	sessName string
	recipe   *clean.Recipe
	latest   workspace.Dataset
	attached bool
	sessErr  error // why the recipe cannot be read
	stepCur  int
	stepOff  int
	failed   int // 1-based number of the step the last replay stopped at

	busy      ui.Job // the running session or workspace job
	busyLabel string

	menu     []menuItem
	menuCur  int
	form     *stepForm
	sugg     []clean.Suggestion
	suggCur  int
	suggJob  ui.Job
	suggErr  string
	merge    *mergeForm
	confirm  int // 0-based step asked about in modeConfirm
	variants ui.Job

	// The version the recipe starts from, for previews of edited steps.
	base     *frame.Frame
	baseHash string
}

// New returns the Clean screen over c.Workspace (which may be nil).
func New(c ui.Common) *Model { return NewWithOptions(c, Options{}) }

// NewWithOptions returns the Clean screen with options.
func NewWithOptions(c ui.Common, opt Options) *Model {
	if c.Renderer == nil {
		c.Renderer = lipgloss.DefaultRenderer()
	}
	if c.Styles == nil {
		c.Styles = themes.New(c.Renderer, themes.NameDark)
	}
	if opt.Debounce == 0 {
		opt.Debounce = DefaultDebounce
	}
	return &Model{c: c, st: c.Styles, r: c.Renderer, keys: DefaultKeyMap(), opt: opt}
}

// Title implements ui.Screen.
func (m *Model) Title() string { return "Clean" }

// Capturing implements ui.Screen: true while a menu, form or question is
// open, so that letters type and esc closes it.
func (m *Model) Capturing() bool { return m.mode != modeBrowse }

// HasPanes implements ui.Panes: tab moves between the recipe and the
// columns while browsing a dataset.
func (m *Model) HasPanes() bool {
	return m.mode == modeBrowse && m.c.Workspace != nil && m.f != nil
}

// SetSize implements ui.Screen.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(0, w), max(0, h)
	m.scroll()
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m, m.onKey(msg)
	case ui.DatasetLoadedMsg:
		return m, m.onDatasetLoaded(msg)
	case sessionMsg:
		return m, m.onSession(msg)
	case doneMsg:
		return m, m.onDone(msg)
	case previewTickMsg:
		return m, m.onPreviewTick(msg)
	case previewMsg:
		m.onPreview(msg)
		return m, nil
	case variantsMsg:
		return m, m.onVariants(msg)
	case suggestMsg:
		m.onSuggest(msg)
		return m, nil
	case mergeListMsg:
		return m, m.onMergeList(msg)
	case planMsg:
		m.onPlan(msg)
		return m, nil
	case mergedMsg:
		return m, m.onMerged(msg)
	}
	if m.mode == modeForm && m.form != nil { // cursor blinks, paste
		x := &m.form.fields[m.form.focus]
		if x.kind == kindText {
			var cmd tea.Cmd
			x.input, cmd = x.input.Update(msg)
			return m, cmd
		}
	}
	return m, nil
}

// ---- the dataset and its session ----

func (m *Model) onDatasetLoaded(msg ui.DatasetLoadedMsg) tea.Cmd {
	if msg.Err != nil || msg.Frame == nil {
		return nil
	}
	prevCol := ""
	if m.colCur < len(m.cols) {
		prevCol = m.cols[m.colCur].name
	}
	m.name, m.f = msg.Name, msg.Frame
	m.cols = make([]colInfo, msg.Frame.NumCols())
	for i, c := range msg.Frame.Columns() {
		m.cols[i] = colInfo{name: c.Name(), typ: c.Type(), missing: c.NullCount()}
	}
	m.colCur = 0
	if i := slices.IndexFunc(m.cols, func(c colInfo) bool { return c.name == prevCol }); i >= 0 {
		m.colCur = i
	}
	m.scroll()
	var cmds []tea.Cmd
	if m.mode == modeForm && m.form != nil && m.form.edit < 0 {
		cmds = append(cmds, m.startPreview())
	}
	if m.c.Workspace != nil && !m.busy.Running() {
		cmds = append(cmds, m.openSession())
	}
	return tea.Batch(cmds...)
}

// sessionMsg carries a session and its state, read off the UI goroutine.
type sessionMsg struct {
	jobID    int
	name     string
	sess     *clean.Session
	recipe   *clean.Recipe
	latest   workspace.Dataset
	attached bool
	err      error
}

// sessionState reads s's recipe and whether it is attached, in a job.
func sessionState(s *clean.Session) (*clean.Recipe, workspace.Dataset, bool, error) {
	ok, d, err := s.Attached()
	return s.Recipe(), d, ok, err
}

// openSession (re)opens the session of the loaded dataset, or re-reads the
// state of the current one, as a job.
func (m *Model) openSession() tea.Cmd {
	ws, name, sess := m.c.Workspace, m.name, m.sess
	if m.sessName != name {
		sess = nil
	}
	return m.startBusy("reading the recipe of "+name, func(ctx context.Context, id int) tea.Msg {
		r := sessionMsg{jobID: id, name: name, sess: sess}
		if r.sess == nil {
			r.sess, r.err = clean.OpenSession(ctx, ws, name)
			if r.err != nil {
				return r
			}
		}
		r.recipe, r.latest, r.attached, r.err = sessionState(r.sess)
		return r
	})
}

// startBusy starts fn as the screen's one session or workspace job.
func (m *Model) startBusy(label string, fn func(ctx context.Context, id int) tea.Msg) tea.Cmd {
	job, cmd := m.c.StartJob(label, func(ctx context.Context, id int, _ func(done, total int64)) tea.Msg {
		return fn(ctx, id)
	})
	m.busy, m.busyLabel = job, label
	return cmd
}

// endBusy clears the busy job when id is it, and reports whether it was.
func (m *Model) endBusy(id int) bool {
	if id != m.busy.ID {
		return false
	}
	m.busy, m.busyLabel = ui.Job{}, ""
	return true
}

// afterBusy reopens the session when the app loaded another dataset while
// a job ran.
func (m *Model) afterBusy() tea.Cmd {
	if m.f != nil && m.c.Workspace != nil && m.sessName != m.name {
		return m.openSession()
	}
	return nil
}

func (m *Model) onSession(msg sessionMsg) tea.Cmd {
	if !m.endBusy(msg.jobID) {
		return nil
	}
	if msg.name != m.name {
		return m.afterBusy()
	}
	m.sessName = msg.name
	if msg.err != nil && msg.recipe == nil {
		m.sess, m.recipe, m.sessErr = nil, nil, msg.err
		return nil
	}
	m.sess, m.sessErr = msg.sess, nil
	m.setState(msg.recipe, msg.latest, msg.attached)
	if msg.err != nil {
		return errorCmd(msg.err)
	}
	return nil
}

// setState takes a recipe and version state returned by a job.
func (m *Model) setState(r *clean.Recipe, latest workspace.Dataset, attached bool) {
	m.recipe, m.latest, m.attached = r, latest, attached
	if r != nil && r.Base != m.baseHash {
		m.base, m.baseHash = nil, ""
	}
	m.stepCur = clampInt(m.stepCur, 0, m.numSteps()-1)
	m.scroll()
}

// numSteps returns the number of steps of the recipe.
func (m *Model) numSteps() int {
	if m.recipe == nil {
		return 0
	}
	return len(m.recipe.Steps)
}

// doneMsg reports a job that changed the recipe or the data: apply, undo,
// redo, an edit of the list, rebase or reset.
type doneMsg struct {
	jobID    int
	name     string
	what     string // "applied impute \"age\"", "undid…"
	version  workspace.Dataset
	summary  string // effect text, when there is one
	newData  bool   // a version was made: the app must reload the dataset
	recipe   *clean.Recipe
	latest   workspace.Dataset
	attached bool
	err      error
	fromForm bool // the form asked: errors are shown in it
}

// mutate runs fn on the session as a job; fn returns what was done.
func (m *Model) mutate(label string, fromForm bool, fn func(ctx context.Context, s *clean.Session) (what string, d workspace.Dataset, summary string, newData bool, err error)) tea.Cmd {
	if m.busy.Running() {
		return status("busy: " + m.busyLabel)
	}
	if m.sess == nil {
		if m.sessErr != nil {
			return errorCmd(m.sessErr)
		}
		return status("no dataset open")
	}
	s, name := m.sess, m.name
	return m.startBusy(label, func(ctx context.Context, id int) tea.Msg {
		r := doneMsg{jobID: id, name: name, fromForm: fromForm}
		r.what, r.version, r.summary, r.newData, r.err = fn(ctx, s)
		var err error
		r.recipe, r.latest, r.attached, err = sessionState(s)
		if r.err == nil {
			r.err = err
		}
		return r
	})
}

func (m *Model) onDone(msg doneMsg) tea.Cmd {
	if !m.endBusy(msg.jobID) {
		return nil
	}
	if msg.recipe != nil && msg.name == m.sessName {
		m.setState(msg.recipe, msg.latest, msg.attached)
	}
	if msg.err != nil {
		var se *clean.StepError
		if errors.As(msg.err, &se) && se.Index > 0 {
			m.failed = se.Index
		}
		if msg.fromForm && m.form != nil {
			m.form.applying = false
			m.form.previewErr = msg.err.Error()
			return m.afterBusy()
		}
		return tea.Batch(errorCmd(msg.err), m.afterBusy())
	}
	m.failed = 0
	if msg.fromForm {
		m.closeForm()
	}
	text := msg.what
	if msg.summary != "" {
		text += ": " + msg.summary
	}
	if msg.newData {
		text += " → " + msg.version.Ref()
	}
	cmds := []tea.Cmd{status(text), workspaceChanged, m.afterBusy()}
	if msg.newData {
		name := msg.name
		cmds = append(cmds, func() tea.Msg { return ui.DatasetSelectedMsg{Name: name} })
	}
	return tea.Batch(cmds...)
}

// apply applies the form's step (or, for an edited step, replays the
// edited recipe) as a job.
func (m *Model) apply() tea.Cmd {
	f := m.form
	step, err := f.step()
	if err != nil {
		f.previewErr = err.Error()
		return nil
	}
	if m.busy.Running() {
		return status("busy: " + m.busyLabel)
	}
	if f.edit >= 0 {
		steps := m.activeSteps()
		if f.edit >= len(steps) {
			f.previewErr = "the step is no longer in effect"
			return nil
		}
		step.Note = steps[f.edit].Note
		steps[f.edit] = step
		f.applying = true
		n := f.edit + 1
		return m.mutate("replaying the recipe", true, func(ctx context.Context, s *clean.Session) (string, workspace.Dataset, string, bool, error) {
			d, effs, err := s.SetSteps(ctx, steps)
			if err != nil {
				return "", d, "", false, err
			}
			return fmt.Sprintf("edited step %d (%s)", n, step.Describe()), d, effs[n-1].Summary, true, nil
		})
	}
	f.applying = true
	return m.mutate("applying "+step.Op, true, func(ctx context.Context, s *clean.Session) (string, workspace.Dataset, string, bool, error) {
		d, eff, err := s.Apply(ctx, step)
		return "applied " + step.Describe(), d, eff.Summary, err == nil, err
	})
}

// activeSteps returns copies of the steps in effect.
func (m *Model) activeSteps() []clean.Step {
	if m.recipe == nil {
		return nil
	}
	return m.recipe.Clone().Active()
}

func (m *Model) undo() tea.Cmd {
	if m.recipe == nil || !m.recipe.CanUndo() {
		return status("nothing to undo")
	}
	st := m.recipe.Steps[m.recipe.Applied()-1]
	return m.mutate("undoing "+st.Op, false, func(ctx context.Context, s *clean.Session) (string, workspace.Dataset, string, bool, error) {
		d, err := s.Undo(ctx)
		return "undid " + st.Describe(), d, "", err == nil, err
	})
}

func (m *Model) redo() tea.Cmd {
	if m.recipe == nil || !m.recipe.CanRedo() {
		return status("nothing to redo")
	}
	st := m.recipe.Steps[m.recipe.Applied()]
	return m.mutate("redoing "+st.Op, false, func(ctx context.Context, s *clean.Session) (string, workspace.Dataset, string, bool, error) {
		d, err := s.Redo(ctx)
		return "redid " + st.Describe(), d, "", err == nil, err
	})
}

// setSteps replaces the steps in effect (the undone ones are dropped) and
// replays them.
func (m *Model) setSteps(what string, steps []clean.Step) tea.Cmd {
	return m.mutate("replaying the recipe", false, func(ctx context.Context, s *clean.Session) (string, workspace.Dataset, string, bool, error) {
		d, _, err := s.SetSteps(ctx, steps)
		return what, d, "", err == nil, err
	})
}

// editable reports whether step i (0-based) may be edited, moved or
// deleted; otherwise it returns the status to show.
func (m *Model) editable(i int) (bool, tea.Cmd) {
	switch {
	case m.recipe == nil || i < 0 || i >= len(m.recipe.Steps):
		return false, status("no step here")
	case i >= m.recipe.Applied():
		return false, status(fmt.Sprintf("step %d is undone: redo it (ctrl+r) to edit it; the next action drops it", i+1))
	}
	return true, nil
}

func (m *Model) moveStep(d int) tea.Cmd {
	i := m.stepCur
	if ok, cmd := m.editable(i); !ok {
		return cmd
	}
	j := i + d
	if j < 0 || j >= m.recipe.Applied() {
		return nil
	}
	steps := m.activeSteps()
	steps[i], steps[j] = steps[j], steps[i]
	m.stepCur = j
	return m.setSteps(fmt.Sprintf("moved step %d (%s) to %d", i+1, steps[j].Describe(), j+1), steps)
}

func (m *Model) askDelete() tea.Cmd {
	if ok, cmd := m.editable(m.stepCur); !ok {
		return cmd
	}
	m.confirm, m.mode = m.stepCur, modeConfirm
	return nil
}

func (m *Model) onConfirmKey(msg tea.KeyMsg) tea.Cmd {
	i := m.confirm
	m.mode = modeBrowse
	if !key.Matches(msg, m.keys.Yes) {
		return status(fmt.Sprintf("kept step %d", i+1))
	}
	steps := m.activeSteps()
	if i >= len(steps) {
		return nil
	}
	gone := steps[i]
	steps = slices.Delete(steps, i, i+1)
	return m.setSteps(fmt.Sprintf("deleted step %d (%s)", i+1, gone.Describe()), steps)
}

func (m *Model) rebase() tea.Cmd {
	return m.mutate("replaying the recipe on the latest version", false, func(ctx context.Context, s *clean.Session) (string, workspace.Dataset, string, bool, error) {
		d, effs, err := s.Rebase(ctx)
		return fmt.Sprintf("replayed %s on the latest version", plural(len(effs), "step", "steps")), d, "", err == nil, err
	})
}

func (m *Model) reset() tea.Cmd {
	ws := m.c.Workspace
	return m.mutate("starting a new recipe", false, func(ctx context.Context, s *clean.Session) (string, workspace.Dataset, string, bool, error) {
		err := s.Reset(ctx)
		return "started a new recipe (the old one is kept as " + filepath.Base(clean.RecipePath(ws, s.Dataset())) + ".bak)", workspace.Dataset{}, "", false, err
	})
}

// ---- keys ----

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	switch m.mode {
	case modeMenu:
		return m.onMenuKey(msg)
	case modeForm:
		return m.onFormKey(msg)
	case modeSuggest:
		return m.onSuggestKey(msg)
	case modeMerge:
		return m.onMergeKey(msg)
	case modeConfirm:
		return m.onConfirmKey(msg)
	}
	if m.c.Workspace == nil || m.f == nil {
		return nil
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.NextPane, k.PrevPane):
		m.focus = 1 - m.focus
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.Top):
		m.move(-1 << 30)
	case key.Matches(msg, k.Bottom):
		m.move(1 << 30)
	case key.Matches(msg, k.Undo):
		return m.undo()
	case key.Matches(msg, k.Redo):
		return m.redo()
	case key.Matches(msg, k.Suggest):
		return m.openSuggestions()
	case key.Matches(msg, k.Merge):
		return m.openMerge()
	case key.Matches(msg, k.Rebase) && m.detached():
		return m.rebase()
	case key.Matches(msg, k.Reset) && m.detached():
		return m.reset()
	case m.focus == paneColumns && (key.Matches(msg, k.Action) || msg.String() == "enter"):
		return m.openMenu()
	case m.focus == paneRecipe && (key.Matches(msg, k.Edit) || msg.String() == "enter"):
		return m.editStep()
	case m.focus == paneRecipe && key.Matches(msg, k.Delete):
		return m.askDelete()
	case m.focus == paneRecipe && key.Matches(msg, k.MoveUp):
		return m.moveStep(-1)
	case m.focus == paneRecipe && key.Matches(msg, k.MoveDn):
		return m.moveStep(1)
	}
	return nil
}

// detached reports whether the dataset changed outside its recipe.
func (m *Model) detached() bool { return m.recipe != nil && !m.attached && m.sessErr == nil }

// move moves the cursor of the focused pane by d.
func (m *Model) move(d int) {
	if m.focus == paneRecipe {
		m.stepCur = clampInt(m.stepCur+d, 0, m.numSteps()-1)
	} else {
		m.colCur = clampInt(m.colCur+d, 0, len(m.cols)-1)
	}
	m.scroll()
}

// openMenu lists the actions that fit the focused column.
func (m *Model) openMenu() tea.Cmd {
	if len(m.cols) == 0 {
		return nil
	}
	m.menu = menuFor(m.cols[m.colCur])
	m.menuCur, m.mode = 0, modeMenu
	return nil
}

// menuFor returns the actions applicable to column c, then the actions on
// whole rows.
func menuFor(c colInfo) []menuItem {
	one := []string{c.name}
	item := func(label, op string, params map[string]any) menuItem {
		return menuItem{label: label, step: clean.Step{Op: op, Columns: one, Params: params}}
	}
	text := c.typ == frame.Categorical || c.typ == frame.String
	numeric := c.typ == frame.Int || c.typ == frame.Float
	var out []menuItem
	if c.missing > 0 {
		out = append(out,
			item(fmt.Sprintf("impute its %s missing values", ui.Thousands(int64(c.missing))), "impute", nil),
			item(fmt.Sprintf("drop the %s rows missing it", ui.Thousands(int64(c.missing))), "drop_missing", nil))
	}
	if text {
		out = append(out,
			item("merge variant spellings", "merge_categories", nil),
			item("trim white space", "trim", nil),
			item("normalise case", "case", nil),
			item("parse dates", "parse_dates", nil))
	}
	if numeric {
		out = append(out,
			item("clip outliers (bounds or IQR fences)", "clip", map[string]any{"method": "iqr"}),
			item("winsorise (quantiles)", "winsorize", nil))
	}
	out = append(out,
		item("cast to another type", "cast", nil),
		item("rename", "rename", nil),
		item("drop the column", "drop_columns", nil),
		item("mask (PII)", "mask", nil),
		item("hash (PII)", "hash", nil),
		menuItem{label: "drop exact duplicate rows", step: clean.Step{Op: "drop_duplicates"}},
		menuItem{label: "filter rows by expression", step: clean.Step{Op: "filter"}})
	return out
}

func (m *Model) onMenuKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Cancel):
		m.mode = modeBrowse
	case key.Matches(msg, k.Up):
		m.menuCur = clampInt(m.menuCur-1, 0, len(m.menu)-1)
	case key.Matches(msg, k.Down):
		m.menuCur = clampInt(m.menuCur+1, 0, len(m.menu)-1)
	case key.Matches(msg, k.Top):
		m.menuCur = 0
	case key.Matches(msg, k.Bottom):
		m.menuCur = len(m.menu) - 1
	case key.Matches(msg, k.Submit):
		it := m.menu[m.menuCur]
		return m.openForm(it.step, -1, "")
	}
	return nil
}

// typeOf returns the type of the named column of the current version.
func (m *Model) typeOf(name string) frame.Type {
	for _, c := range m.cols {
		if c.name == name {
			return c.typ
		}
	}
	return frame.String
}

// openForm opens the form of step s: a new step when edit < 0, else the
// replacement of step edit (0-based).
func (m *Model) openForm(s clean.Step, edit int, reason string) tea.Cmd {
	t := frame.String
	if len(s.Columns) > 0 {
		t = m.typeOf(s.Columns[0])
	}
	m.form = newStepForm(m.st, s, t, edit)
	m.form.reason = reason
	m.mode = modeForm
	if s.Op == "merge_categories" && s.Params["groups"] == nil && len(s.Columns) == 1 {
		return m.findVariants(s.Columns[0])
	}
	if i := m.form.index("groups"); i >= 0 {
		m.form.focusField(i)
	}
	return m.startPreview()
}

// editStep opens the form of the step under the cursor.
func (m *Model) editStep() tea.Cmd {
	if ok, cmd := m.editable(m.stepCur); !ok {
		return cmd
	}
	s := m.recipe.Steps[m.stepCur]
	return m.openForm(s, m.stepCur, "")
}

func (m *Model) closeForm() {
	if m.form != nil {
		m.form.job.Cancel()
	}
	m.variants.Cancel()
	m.form, m.mode = nil, modeBrowse
}

func (m *Model) onFormKey(msg tea.KeyMsg) tea.Cmd {
	f := m.form
	k := m.keys
	switch {
	case key.Matches(msg, k.Cancel):
		if f.applying {
			return nil // the job runs on; esc at the root cancels it
		}
		m.closeForm()
		return status("nothing applied")
	case key.Matches(msg, k.Submit):
		if f.applying {
			return nil
		}
		return m.apply()
	}
	if f.applying {
		return nil
	}
	changed, cmd := f.update(msg, k)
	if !changed {
		return cmd
	}
	return tea.Batch(cmd, m.schedulePreview())
}

// ---- previews ----

// previewTickMsg fires when typing paused: the preview of seq may run.
type previewTickMsg struct{ seq int }

// previewMsg carries a preview's effect text or error.
type previewMsg struct {
	jobID    int
	seq      int
	text     string
	err      error
	base     *frame.Frame // the recipe's base version, when loaded
	baseHash string
}

// schedulePreview marks the form changed and previews it after the pause.
func (m *Model) schedulePreview() tea.Cmd {
	f := m.form
	f.seq++
	if m.opt.Debounce < 0 {
		return m.startPreview()
	}
	seq := f.seq
	return tea.Tick(m.opt.Debounce, func(time.Time) tea.Msg { return previewTickMsg{seq: seq} })
}

func (m *Model) onPreviewTick(msg previewTickMsg) tea.Cmd {
	switch {
	case m.mode == modeForm && m.form != nil && msg.seq == m.form.seq:
		return m.startPreview()
	case m.mode == modeMerge && m.merge != nil && msg.seq == m.merge.seq:
		return m.startPlan()
	}
	return nil
}

// startPreview computes the effect of the form's step on the current
// version in a job: Step.Apply, whose result is dropped. An edited step
// is previewed by replaying the recipe from its base version.
func (m *Model) startPreview() tea.Cmd {
	f := m.form
	if f == nil || m.f == nil {
		return nil
	}
	f.job.Cancel()
	seq := f.seq
	step, err := f.step()
	if err != nil {
		f.previewSeq, f.preview, f.previewErr = seq, "", err.Error()
		return nil
	}
	if f.edit >= 0 {
		return m.startEditPreview(step)
	}
	if m.recipe != nil && step.Op == "hash" && step.Params["salt"] == nil && m.recipe.Salt != "" {
		step.Params["salt"] = m.recipe.Salt
	}
	data := m.f
	f.job, err = ui.Job{}, nil
	job, cmd := m.c.StartJob("preview "+step.Op, func(ctx context.Context, id int, _ func(done, total int64)) tea.Msg {
		_, eff, err := step.Apply(ctx, data)
		return previewMsg{jobID: id, seq: seq, text: eff.Summary, err: err}
	})
	f.job = job
	return cmd
}

// startEditPreview replays the recipe with step in place of the edited one
// from the recipe's base version, and reports the edited step's effect and
// whether the later steps still apply.
func (m *Model) startEditPreview(step clean.Step) tea.Cmd {
	f := m.form
	if m.recipe == nil {
		return nil
	}
	r := m.recipe.Clone()
	i := f.edit
	if i >= r.Applied() {
		f.previewErr = "the step is no longer in effect"
		return nil
	}
	r.Steps = r.Steps[:r.Applied()]
	r.Undone = 0
	step.Note = r.Steps[i].Note
	r.Steps[i] = step
	ws, name, base, baseHash, seq := m.c.Workspace, m.name, m.base, m.baseHash, f.seq
	job, cmd := m.c.StartJob("preview "+step.Op, func(ctx context.Context, id int, _ func(done, total int64)) tea.Msg {
		out := previewMsg{jobID: id, seq: seq}
		if base == nil || baseHash != r.Base {
			d, err := findVersion(ws, name, r.Base)
			if err != nil {
				out.err = err
				return out
			}
			if base, err = ws.Load(ctx, d); err != nil {
				out.err = err
				return out
			}
			out.base, out.baseHash = base, r.Base
		}
		g, _, err := r.ApplyRange(ctx, base, 0, i)
		if err != nil {
			out.err = err
			return out
		}
		g, effs, err := r.ApplyRange(ctx, g, i, i+1)
		if err != nil {
			out.err = err
			return out
		}
		out.text = fmt.Sprintf("as step %d: %s", i+1, effs[0].Summary)
		if i+1 < len(r.Steps) {
			if _, _, err := r.ApplyRange(ctx, g, i+1, len(r.Steps)); err != nil {
				out.err = err
				return out
			}
			out.text += fmt.Sprintf("; %s after it still apply", plural(len(r.Steps)-i-1, "step", "steps"))
		}
		return out
	})
	f.job = job
	return cmd
}

// findVersion returns the version with the given hash: of the named
// dataset, else of any dataset (a recipe may start from another dataset's
// version, as "mlwb clean --name" makes).
func findVersion(ws *workspace.Workspace, name, hash string) (workspace.Dataset, error) {
	if vs, err := ws.Versions(name); err == nil {
		for i := len(vs) - 1; i >= 0; i-- {
			if vs[i].Hash == hash {
				return vs[i], nil
			}
		}
	}
	all, err := ws.Datasets()
	if err != nil {
		return workspace.Dataset{}, err
	}
	for _, d := range all {
		vs, err := ws.Versions(d.Name)
		if err != nil {
			continue
		}
		for _, v := range vs {
			if v.Hash == hash {
				return v, nil
			}
		}
	}
	return workspace.Dataset{}, fmt.Errorf("clean: the version the recipe of %q starts from (%.12s) is no longer in the workspace", name, hash)
}

func (m *Model) onPreview(msg previewMsg) {
	f := m.form
	if msg.base != nil && msg.baseHash != "" {
		m.base, m.baseHash = msg.base, msg.baseHash
	}
	if f == nil || msg.jobID != f.job.ID {
		return
	}
	f.job = ui.Job{}
	if msg.err != nil && ui.IsCanceled(msg.err) {
		return
	}
	f.previewSeq, f.preview, f.previewErr = msg.seq, msg.text, ""
	if msg.err != nil {
		f.preview, f.previewErr = "", msg.err.Error()
	}
}

// variantsMsg carries the variant groups suggested for a text column.
type variantsMsg struct {
	jobID  int
	column string
	groups [][]string
	err    error
}

// findVariants suggests the groups of a merge_categories form in a job:
// clean.Suggest on the column alone (what INCONSISTENT_CATEGORY reports).
func (m *Model) findVariants(col string) tea.Cmd {
	data := m.f
	job, cmd := m.c.StartJob("finding variants of "+col, func(ctx context.Context, id int, _ func(done, total int64)) tea.Msg {
		out := variantsMsg{jobID: id, column: col}
		g, err := data.Select(col)
		if err != nil {
			out.err = err
			return out
		}
		sug, err := clean.Suggest(ctx, g)
		if err != nil {
			out.err = err
			return out
		}
		for _, s := range sug {
			if s.Step.Op == "merge_categories" {
				out.groups = paramGroups(s.Step.Params["groups"])
			}
		}
		return out
	})
	m.variants = job
	return cmd
}

func (m *Model) onVariants(msg variantsMsg) tea.Cmd {
	if msg.jobID != m.variants.ID || m.form == nil || m.form.op != "merge_categories" {
		return nil
	}
	m.variants = ui.Job{}
	f := m.form
	if msg.err != nil {
		f.previewErr = msg.err.Error()
		return nil
	}
	i := f.index("groups")
	if i < 0 {
		return nil
	}
	f.fields[i].groups = nil
	for _, g := range msg.groups {
		f.fields[i].groups = append(f.fields[i].groups, variantGroup{values: g, on: true})
	}
	if len(msg.groups) == 0 {
		f.previewErr = fmt.Sprintf("no variant spellings in %q (values equal after trimming, case and accents)", msg.column)
		return nil
	}
	f.focusField(i)
	return m.startPreview()
}

// ---- suggestions ----

// suggestMsg carries clean.Suggest's answer.
type suggestMsg struct {
	jobID int
	sugg  []clean.Suggestion
	err   error
}

func (m *Model) openSuggestions() tea.Cmd {
	data := m.f
	m.mode, m.sugg, m.suggCur, m.suggErr = modeSuggest, nil, 0, ""
	job, cmd := m.c.StartJob("finding suggestions", func(ctx context.Context, id int, _ func(done, total int64)) tea.Msg {
		s, err := clean.Suggest(ctx, data)
		return suggestMsg{jobID: id, sugg: s, err: err}
	})
	m.suggJob = job
	return cmd
}

func (m *Model) onSuggest(msg suggestMsg) {
	if msg.jobID != m.suggJob.ID {
		return
	}
	m.suggJob = ui.Job{}
	if msg.err != nil {
		if !ui.IsCanceled(msg.err) {
			m.suggErr = msg.err.Error()
		}
		return
	}
	m.sugg = msg.sugg
}

func (m *Model) onSuggestKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Cancel):
		m.suggJob.Cancel()
		m.suggJob, m.mode = ui.Job{}, modeBrowse
	case key.Matches(msg, k.Up):
		m.suggCur = clampInt(m.suggCur-1, 0, len(m.sugg)-1)
	case key.Matches(msg, k.Down):
		m.suggCur = clampInt(m.suggCur+1, 0, len(m.sugg)-1)
	case key.Matches(msg, k.Top):
		m.suggCur = 0
	case key.Matches(msg, k.Bottom):
		m.suggCur = max(0, len(m.sugg)-1)
	case key.Matches(msg, k.Submit) && len(m.sugg) > 0:
		s := m.sugg[m.suggCur]
		return m.openForm(s.Step, -1, s.Reason)
	}
	return nil
}

// ---- helpers ----

// scroll keeps the cursors of both lists visible.
func (m *Model) scroll() {
	l := m.layout()
	rows := max(1, l.colRows)
	m.colCur = clampInt(m.colCur, 0, len(m.cols)-1)
	m.colOff = clampInt(m.colOff, m.colCur-rows+1, m.colCur)
	m.colOff = clampInt(m.colOff, 0, max(0, len(m.cols)-rows))
}

func clampInt(x, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return max(lo, min(x, hi))
}

func status(text string) tea.Cmd {
	return func() tea.Msg { return ui.StatusMsg{Text: text} }
}

func errorCmd(err error) tea.Cmd {
	return func() tea.Msg { return ui.ErrorMsg{Err: err} }
}

func workspaceChanged() tea.Msg { return ui.WorkspaceChangedMsg{} }

var (
	_ ui.Screen = (*Model)(nil)
	_ ui.Panes  = (*Model)(nil)
)
