package project

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/workspace"
)

// DataScreen is the index of the Data screen, which enter on a dataset
// switches to.
const DataScreen = 1

// defaultHistoryLimit is how many events the history pane reads.
const defaultHistoryLimit = 100

// LoadFunc reads the data file at path for an import, reporting progress in
// bytes (total -1 when unknown). It is called off the UI goroutine and must
// honour ctx.
type LoadFunc func(ctx context.Context, path string, progress func(done, total int64)) (*frame.Frame, error)

// Options configure the screen. The zero value means the defaults.
type Options struct {
	// Now is the clock ages are measured against; nil means time.Now.
	Now func() time.Time
	// Load reads files to import; nil means dataio.Load.
	Load LoadFunc
	// HistoryLimit is how many recent events are read; 0 means 100.
	HistoryLimit int
}

// pane is one of the three panes of the screen.
type pane int

const (
	paneCard pane = iota
	paneDatasets
	paneHistory
	numPanes
)

var paneNames = [...]string{"card", "datasets", "history"}

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
	modeBrowse  mode = iota // moving between panes
	modeForm                // editing the card
	modeImport              // the import prompt is open
	modeConfirm             // asking whether to delete a dataset
)

var modeNames = [...]string{"browse", "form", "import", "confirm"}

// String returns the mode's name.
func (m mode) String() string {
	if m >= 0 && int(m) < len(modeNames) {
		return modeNames[m]
	}
	return "mode(" + strconv.Itoa(int(m)) + ")"
}

// Model is the Project screen. Create it with New.
type Model struct {
	c    ui.Common
	st   *themes.Styles
	r    *lipgloss.Renderer
	keys KeyMap
	opt  Options

	width, height int
	focus         pane
	mode          mode

	// What the workspace held at the last refresh.
	card     workspace.Card
	datasets []workspace.Dataset // latest version of each, manifest order
	history  []workspace.Event   // newest first
	now      time.Time           // when the data was read: ages count from it
	loaded   bool                // a refresh has arrived
	seq      int                 // id of the latest refresh asked for
	applied  int                 // id of the latest refresh applied

	cursor  int    // dataset under the cursor
	histOff int    // first history event shown
	open    string // dataset open in the app
	selectA string // dataset to put the cursor on at the next refresh

	// The dataset (or file) the app loaded last.
	file     string
	rows     int
	colNames []string
	colTypes []string
	colNA    []int

	form      *cardForm
	imp       *importPrompt
	confirm   string // dataset asked about in modeConfirm
	importJob ui.Job
}

// New returns the Project screen over c.Workspace (which may be nil).
func New(c ui.Common) *Model { return NewWithOptions(c, Options{}) }

// NewWithOptions returns the Project screen with options.
func NewWithOptions(c ui.Common, opt Options) *Model {
	if c.Renderer == nil {
		c.Renderer = lipgloss.DefaultRenderer()
	}
	if c.Styles == nil {
		c.Styles = themes.New(c.Renderer, themes.NameDark)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Load == nil {
		opt.Load = func(ctx context.Context, path string, progress func(done, total int64)) (*frame.Frame, error) {
			return dataio.Load(ctx, path, dataio.Options{Progress: progress})
		}
	}
	if opt.HistoryLimit <= 0 {
		opt.HistoryLimit = defaultHistoryLimit
	}
	m := &Model{c: c, st: c.Styles, r: c.Renderer, keys: DefaultKeyMap(), opt: opt}
	if c.Workspace != nil {
		m.card = c.Workspace.Card()
		m.open = c.Workspace.State().Dataset
	}
	return m
}

// Title implements ui.Screen.
func (m *Model) Title() string { return "Project" }

// Capturing implements ui.Screen: true while the card form, the import
// prompt or the delete question is open.
func (m *Model) Capturing() bool { return m.mode != modeBrowse }

// HasPanes implements ui.Panes: with a workspace, tab and shift+tab move
// between the card, datasets and history panes as the help says (the root
// used to take them as next/previous screen).
func (m *Model) HasPanes() bool { return m.mode == modeBrowse && m.c.Workspace != nil }

// SetSize implements ui.Screen.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(0, w), max(0, h)
	if m.form != nil {
		m.form.scroll(m.st, m.width, m.height)
	}
	if m.imp != nil {
		m.imp.setWidth(m.width)
	}
}

// ageTickMsg renews the time ages are measured against.
type ageTickMsg struct{}

func ageTick() tea.Cmd {
	return tea.Tick(time.Minute, func(time.Time) tea.Msg { return ageTickMsg{} })
}

// Init reads the workspace and starts the clock of the ages.
func (m *Model) Init() tea.Cmd {
	if m.c.Workspace == nil {
		return nil
	}
	return tea.Batch(m.refresh(false), ageTick())
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m, m.onKey(msg)
	case tea.MouseMsg:
		return m, m.onMouse(msg)
	case refreshedMsg:
		return m, m.onRefreshed(msg)
	case ui.WorkspaceChangedMsg:
		return m, m.refresh(false)
	case ui.DatasetLoadedMsg:
		m.onDatasetLoaded(msg)
		return m, nil
	case cardSavedMsg:
		return m, m.onCardSaved(msg)
	case importDoneMsg:
		return m, m.onImported(msg)
	case deletedMsg:
		return m, m.onDeleted(msg)
	case dirListedMsg:
		if m.imp != nil {
			m.imp.onListed(msg)
		}
		return m, nil
	case ageTickMsg:
		m.now = m.opt.Now()
		return m, ageTick()
	}
	return m, m.updateInput(msg)
}

// updateInput hands other messages (cursor, paste) to the focused input.
func (m *Model) updateInput(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch {
	case m.mode == modeForm && m.form.fields[m.form.focus].kind != kindChoice:
		x := &m.form.fields[m.form.focus]
		x.input, cmd = x.input.Update(msg)
	case m.mode == modeImport:
		in := m.imp.focused()
		*in, cmd = in.Update(msg)
	}
	return cmd
}

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	switch m.mode {
	case modeForm:
		return m.onFormKey(msg)
	case modeImport:
		return m.onImportKey(msg)
	case modeConfirm:
		return m.onConfirmKey(msg)
	}
	k := m.keys
	ws := m.c.Workspace
	if ws == nil {
		switch {
		case key.Matches(msg, k.Open) && m.file != "":
			return switchTo(DataScreen)
		case key.Matches(msg, k.Edit, k.Import, k.Delete):
			return status("no workspace: nothing can be saved (run \"mlwb init\" in a folder to start a project)")
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.NextPane):
		m.focus = (m.focus + 1) % numPanes
	case key.Matches(msg, k.PrevPane):
		m.focus = (m.focus + numPanes - 1) % numPanes
	case key.Matches(msg, k.Edit):
		return m.openForm()
	case key.Matches(msg, k.Import):
		return m.openImport()
	case key.Matches(msg, k.Refresh):
		return m.refresh(true)
	case key.Matches(msg, k.Delete):
		return m.askDelete()
	case key.Matches(msg, k.Open):
		switch m.focus {
		case paneCard:
			return m.openForm()
		case paneDatasets:
			return m.openDataset()
		}
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.Top):
		m.move(-1 << 30)
	case key.Matches(msg, k.Bottom):
		m.move(1 << 30)
	}
	return nil
}

// move moves the dataset cursor or scrolls the history by d.
func (m *Model) move(d int) {
	switch m.focus {
	case paneCard: // the card does not scroll: go to the datasets
		m.focus = paneDatasets
	case paneDatasets:
		m.cursor = clamp(m.cursor+d, 0, len(m.datasets)-1)
	case paneHistory:
		visible := m.layout().history.h - 2
		m.histOff = clamp(m.histOff+d, 0, max(0, len(m.history)-visible))
	}
}

func clamp(x, lo, hi int) int { return max(lo, min(x, hi)) }

func status(text string) tea.Cmd {
	return func() tea.Msg { return ui.StatusMsg{Text: text} }
}

func switchTo(i int) tea.Cmd {
	return func() tea.Msg { return ui.SwitchScreenMsg{Index: i} }
}

func errorCmd(err error) tea.Cmd {
	return func() tea.Msg { return ui.ErrorMsg{Err: err} }
}

func workspaceChanged() tea.Msg { return ui.WorkspaceChangedMsg{} }

// openDataset asks the root to open the dataset under the cursor and to
// show the Data screen.
func (m *Model) openDataset() tea.Cmd {
	if len(m.datasets) == 0 {
		return nil
	}
	name := m.datasets[m.cursor].Name
	return tea.Batch(
		func() tea.Msg { return ui.DatasetSelectedMsg{Name: name} },
		switchTo(DataScreen),
	)
}

// refreshedMsg carries what the workspace holds.
type refreshedMsg struct {
	seq      int
	card     workspace.Card
	datasets []workspace.Dataset
	history  []workspace.Event // oldest first, as History returns them
	open     string            // dataset saved in the workspace state
	now      time.Time
	err      error
}

// refresh reads the card, datasets, history and state off the UI goroutine;
// with reload it first re-reads mlwb.toml from disk.
func (m *Model) refresh(reload bool) tea.Cmd {
	ws := m.c.Workspace
	if ws == nil {
		return nil
	}
	m.seq++
	seq, limit, now := m.seq, m.opt.HistoryLimit, m.opt.Now
	return func() tea.Msg {
		r := refreshedMsg{seq: seq}
		var errs []error
		if reload {
			errs = append(errs, ws.Reload())
		}
		r.card = ws.Card()
		var err error
		r.datasets, err = ws.Datasets()
		errs = append(errs, err)
		r.history, err = ws.History(limit)
		errs = append(errs, err)
		r.open = ws.State().Dataset
		r.now = now()
		r.err = errors.Join(errs...)
		return r
	}
}

func (m *Model) onRefreshed(r refreshedMsg) tea.Cmd {
	if r.seq < m.applied {
		return nil // an older refresh finished late
	}
	m.applied = r.seq
	first := !m.loaded
	m.loaded = true
	m.card = r.card
	m.now = r.now
	prev := ""
	if m.cursor < len(m.datasets) {
		prev = m.datasets[m.cursor].Name
	}
	m.datasets = r.datasets
	m.history = slices.Clone(r.history)
	slices.Reverse(m.history)
	m.histOff = clamp(m.histOff, 0, len(m.history)-1)
	if m.open == "" {
		m.open = r.open
	}
	want := prev
	switch {
	case m.selectA != "":
		want, m.selectA = m.selectA, ""
	case first:
		want = m.open
	}
	if i := m.datasetIndex(want); i >= 0 {
		m.cursor = i
	}
	m.cursor = clamp(m.cursor, 0, len(m.datasets)-1)
	if r.err != nil {
		return errorCmd(r.err)
	}
	return nil
}

func (m *Model) datasetIndex(name string) int {
	return slices.IndexFunc(m.datasets, func(d workspace.Dataset) bool { return d.Name == name })
}

func (m *Model) onDatasetLoaded(msg ui.DatasetLoadedMsg) {
	if msg.Err != nil || msg.Frame == nil {
		return
	}
	f := msg.Frame
	m.open, m.file, m.rows = msg.Name, msg.Name, f.NumRows()
	m.colNames = f.Names()
	m.colTypes = make([]string, f.NumCols())
	m.colNA = make([]int, f.NumCols())
	for i, c := range f.Columns() {
		m.colTypes[i] = c.Type().String()
		m.colNA[i] = c.NullCount()
	}
	if m.form != nil {
		m.form.setColumns(m.colNames)
	}
}

// openForm opens the card form on the card as last read.
func (m *Model) openForm() tea.Cmd {
	if m.c.Workspace == nil {
		return nil
	}
	m.form = newCardForm(m.st, m.card, m.colNames)
	m.mode = modeForm
	cmd := m.form.focusField(0)
	m.form.scroll(m.st, m.width, m.height)
	return cmd
}

func (m *Model) closeForm() {
	m.form = nil
	m.mode = modeBrowse
}

// cardSavedMsg reports the end of SaveCard.
type cardSavedMsg struct {
	card workspace.Card
	err  error
}

func (m *Model) onFormKey(msg tea.KeyMsg) tea.Cmd {
	f := m.form
	if f.saving {
		return nil // wait for SaveCard; keys would edit what is being saved
	}
	act, cmd := f.update(msg, m.keys)
	switch act {
	case formCancel:
		m.closeForm()
		return status("card not changed")
	case formSave:
		return m.saveForm()
	}
	f.scroll(m.st, m.width, m.height)
	return cmd
}

// saveForm validates the form and saves the card off the UI goroutine.
func (m *Model) saveForm() tea.Cmd {
	f := m.form
	c, cmd, ok := f.card()
	f.scroll(m.st, m.width, m.height)
	if !ok {
		return cmd
	}
	if reflect.DeepEqual(normalize(c), normalize(m.card)) {
		m.closeForm()
		return status("card unchanged")
	}
	f.saving = true
	ws := m.c.Workspace
	return func() tea.Msg { return cardSavedMsg{card: c, err: ws.SaveCard(c)} }
}

// normalize makes equal cards compare equal: empty lists become nil.
func normalize(c workspace.Card) workspace.Card {
	if len(c.Privacy.SensitiveAttributes) == 0 {
		c.Privacy.SensitiveAttributes = nil
	}
	if len(c.Privacy.PIIColumns) == 0 {
		c.Privacy.PIIColumns = nil
	}
	return c
}

func (m *Model) onCardSaved(msg cardSavedMsg) tea.Cmd {
	if m.form == nil {
		return nil
	}
	m.form.saving = false
	if msg.err != nil {
		var ce *workspace.CardError
		if errors.As(msg.err, &ce) && ce.Field != "" {
			cmd := m.form.showError(msg.err)
			m.form.scroll(m.st, m.width, m.height)
			return cmd
		}
		if errors.Is(msg.err, workspace.ErrCardChanged) {
			m.form.err = "mlwb.toml was edited outside mlwb: esc, r to reload it, then edit again"
			return nil
		}
		return errorCmd(fmt.Errorf("save card: %w", msg.err))
	}
	m.card = msg.card
	m.closeForm()
	return tea.Batch(workspaceChanged, status("card saved"))
}

// askDelete asks whether to delete the dataset under the cursor.
func (m *Model) askDelete() tea.Cmd {
	if len(m.datasets) == 0 {
		return status("no dataset to delete")
	}
	m.confirm = m.datasets[m.cursor].Name
	m.mode = modeConfirm
	m.focus = paneDatasets
	return nil
}

// deletedMsg reports the end of DeleteDataset.
type deletedMsg struct {
	name string
	err  error
}

func (m *Model) onConfirmKey(msg tea.KeyMsg) tea.Cmd {
	name := m.confirm
	m.mode, m.confirm = modeBrowse, ""
	if !key.Matches(msg, m.keys.Yes) {
		return status("kept " + name)
	}
	ws, ctx := m.c.Workspace, m.ctx()
	return func() tea.Msg { return deletedMsg{name: name, err: ws.DeleteDataset(ctx, name)} }
}

func (m *Model) onDeleted(msg deletedMsg) tea.Cmd {
	if msg.err != nil {
		return tea.Batch(errorCmd(fmt.Errorf("delete %s: %w", msg.name, msg.err)), m.refresh(false))
	}
	if m.open == msg.name {
		m.open = ""
	}
	return tea.Batch(workspaceChanged, status("deleted "+msg.name))
}

func (m *Model) ctx() context.Context {
	if m.c.Ctx != nil {
		return m.c.Ctx
	}
	return context.Background()
}

// ShortHelp implements help.KeyMap for the current mode and pane.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case modeForm:
		return []key.Binding{withHelp(k.NextField, "next"), withHelp(k.PrevField, "prev"), chooseHelp, k.Save, k.Cancel}
	case modeImport:
		return []key.Binding{k.Complete, nameFieldHelp, withHelp(k.Submit, "import"), k.Cancel}
	case modeConfirm:
		return []key.Binding{k.Yes, k.No}
	}
	if m.c.Workspace == nil {
		return []key.Binding{withHelp(k.Open, "view data")}
	}
	switch m.focus {
	case paneDatasets:
		return []key.Binding{k.NextPane, k.Up, k.Down, withHelp(k.Open, "open"), k.Import, k.Delete}
	case paneHistory:
		return []key.Binding{k.NextPane, k.Up, k.Down, k.Edit, k.Import}
	}
	return []key.Binding{k.NextPane, withHelp(k.Open, "edit card"), k.Import, k.Refresh}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	switch m.mode {
	case modeForm:
		return [][]key.Binding{
			{k.NextField, k.PrevField, k.Submit},
			{k.ChoicePrev, k.ChoiceNext, k.Complete, k.NextSuggestion},
			{k.Save, k.Cancel},
		}
	case modeImport:
		return [][]key.Binding{
			{k.Complete, k.NextSuggestion, k.PrevSuggestion},
			{k.NextField, k.PrevField, withHelp(k.Submit, "import"), k.Cancel},
		}
	case modeConfirm:
		return [][]key.Binding{{k.Yes, k.No}}
	}
	if m.c.Workspace == nil {
		return [][]key.Binding{{withHelp(k.Open, "view data")}}
	}
	return [][]key.Binding{
		{k.NextPane, k.PrevPane, k.Up, k.Down, k.Top, k.Bottom},
		{withHelp(k.Open, "edit card/open dataset"), k.Edit, k.Import, k.Delete, k.Refresh},
	}
}

// chooseHelp stands for ChoicePrev and ChoiceNext in the short help.
var chooseHelp = key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "choose"))

// nameFieldHelp stands for NextField in the import prompt's short help.
var nameFieldHelp = key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "name field"))

// withHelp returns b with another description.
func withHelp(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// onMouse focuses the pane clicked, puts the cursor on the dataset clicked,
// and scrolls lists with the wheel.
func (m *Model) onMouse(msg tea.MouseMsg) tea.Cmd {
	if m.mode != modeBrowse || m.c.Workspace == nil {
		return nil
	}
	l := m.layout()
	var p pane
	switch {
	case l.card.contains(msg.X, msg.Y):
		p = paneCard
	case l.datasets.contains(msg.X, msg.Y):
		p = paneDatasets
	case l.history.contains(msg.X, msg.Y):
		p = paneHistory
	default:
		return nil
	}
	switch {
	case msg.Button == tea.MouseButtonWheelUp:
		m.focus = p
		m.move(-1)
	case msg.Button == tea.MouseButtonWheelDown:
		m.focus = p
		m.move(1)
	case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft:
		m.focus = p
		if p == paneDatasets {
			first, visible := m.datasetWindow(l.datasets)
			if i := msg.Y - l.datasets.y - 2; i >= 0 && i < visible && first+i < len(m.datasets) {
				m.cursor = first + i
			}
		}
	}
	return nil
}
