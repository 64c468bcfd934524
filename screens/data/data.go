// Package data is the Data screen: a virtual table over the selected
// dataset with sorting, filtering (substring or expression), row jumps and a
// side panel of column statistics. Sorting, filtering and statistics run as
// background jobs; the UI never scans a whole column on its own goroutine.
package data

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/mlwb/mlwb/engine/expr"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/table"
)

// Layout constants, in cells.
const (
	// PanelMinWidth is the screen width below which the panel is hidden.
	PanelMinWidth = 100
	panelWidth    = 32
)

// EmptyText is shown when no dataset is open.
const EmptyText = "No dataset selected — import one on the Project screen (1) or run `mlwb import FILE`"

// mode is what has the keyboard.
type mode int

const (
	modeBrowse mode = iota // the table
	modeFilter             // the filter input
	modeJump               // the go-to-row input
)

func (m mode) String() string {
	switch m {
	case modeBrowse:
		return "browse"
	case modeFilter:
		return "filter"
	case modeJump:
		return "jump"
	}
	return "mode(" + strconv.Itoa(int(m)) + ")"
}

// viewSpec is a row view: an optional sort and an optional filter.
type viewSpec struct {
	sortCol int // -1: no sort
	desc    bool
	filter  string // "": no filter
}

var noView = viewSpec{sortCol: -1}

// viewDoneMsg carries the result of a sort/filter job.
type viewDoneMsg struct {
	jobID     int
	spec      viewSpec
	sortIdx   []int // for spec's sort; nil when none
	filterIdx []int // for spec's filter; nil when none
	rows      []int // the composed view; nil means all rows
	err       error
}

// statsDoneMsg carries the statistics of one column.
type statsDoneMsg struct {
	jobID int
	col   int
	stats colStats
	err   error
}

// Model is the Data screen.
type Model struct {
	c    ui.Common
	keys KeyMap

	width, height int

	name string
	f    *frame.Frame
	tbl  table.Model

	mode     mode
	input    textinput.Model
	inputErr string // shown under the input
	errCol   int    // 1-based character column of inputErr in the input, 0 if none

	shown     viewSpec // what the table shows
	want      viewSpec // what was last asked for
	sortFor   viewSpec // the sort part sortIdx was computed for
	sortIdx   []int
	filterFor string // the filter filterIdx was computed for
	filterIdx []int
	viewJob   ui.Job
	busy      bool // viewJob is running

	panel     bool // the user wants the panel
	stats     map[int]colStats
	statsJob  ui.Job
	statsCol  int // column statsJob computes, -1 when none
	panelView string

	failed string // the dataset that could not be opened while none was shown
}

// New returns the Data screen with no dataset.
func New(c ui.Common) *Model {
	st := c.Styles
	in := textinput.New()
	in.PromptStyle = st.Input.Prompt
	in.TextStyle = st.Input.Text
	in.PlaceholderStyle = st.Input.Placeholder
	in.Cursor.Style = st.Input.Text.Reverse(true)
	in.Cursor.TextStyle = st.Input.Text
	in.Cursor.SetMode(cursor.CursorStatic)
	return &Model{
		c: c, keys: DefaultKeyMap(),
		tbl:   table.New(st),
		input: in,
		shown: noView, want: noView, sortFor: noView,
		panel: true, stats: map[int]colStats{}, statsCol: -1,
	}
}

// Title implements ui.Screen.
func (m *Model) Title() string { return "Data" }

// Capturing implements ui.Screen: true while the filter or jump input is open.
func (m *Model) Capturing() bool { return m.mode != modeBrowse }

// Frame returns the dataset shown, or nil.
func (m *Model) Frame() *frame.Frame { return m.f }

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements ui.Screen.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(0, w), max(0, h)
	m.layout()
}

// panelShown reports whether the side panel is drawn.
func (m *Model) panelShown() bool {
	return m.panel && m.f != nil && m.width >= PanelMinWidth
}

// bottomLines is the number of lines under the table.
func (m *Model) bottomLines() int {
	n := 1 // status
	if m.mode != modeBrowse {
		n++
	}
	if m.inputErr != "" {
		n++
	}
	return n
}

// layout sizes the table and the panel after any change of size or mode.
func (m *Model) layout() {
	w := m.width
	if m.panelShown() {
		w -= panelWidth + 1
	}
	m.tbl.SetSize(w, max(0, m.height-m.bottomLines()))
	m.input.Width = max(1, m.width-ansi.StringWidth(m.input.Prompt)-1)
	m.renderPanel()
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case ui.DatasetLoadedMsg:
		return m, m.onLoaded(msg)
	case viewDoneMsg:
		return m, m.onViewDone(msg)
	case statsDoneMsg:
		return m, m.onStatsDone(msg)
	case tea.KeyMsg:
		return m, m.onKey(msg)
	case tea.MouseMsg:
		return m, m.onMouse(msg)
	}
	if m.mode != modeBrowse {
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m *Model) onLoaded(msg ui.DatasetLoadedMsg) tea.Cmd {
	if msg.Err != nil || msg.Frame == nil {
		if m.f == nil {
			m.failed = msg.Name
		}
		return nil
	}
	m.failed = ""
	m.viewJob.Cancel()
	m.statsJob.Cancel()
	m.name, m.f = msg.Name, msg.Frame
	m.tbl.SetData(m.f.Columns())
	m.shown, m.want, m.sortFor = noView, noView, noView
	m.sortIdx, m.filterIdx, m.filterFor = nil, nil, ""
	m.busy = false
	m.stats = map[int]colStats{}
	m.statsCol = -1
	m.mode, m.inputErr = modeBrowse, ""
	m.input.Blur()
	m.layout()
	return tea.Batch(m.wantStats(), m.restoreView())
}

// State keys of the Data screen in the workspace UI state.
const (
	stateDataset = "dataset" // the dataset the sort and filter belong to
	stateSort    = "sort"    // column name, "-name" when descending
	stateFilter  = "filter"  // filter text
)

// restoreView re-applies the sort and filter saved for this dataset.
func (m *Model) restoreView() tea.Cmd {
	ws := m.c.Workspace
	if ws == nil {
		return nil
	}
	st := ws.State()
	if st.Get(m.Title(), stateDataset) != m.name {
		return nil
	}
	spec := noView
	if s := st.Get(m.Title(), stateSort); s != "" {
		name := strings.TrimPrefix(s, "-")
		if i := m.f.Index(name); i >= 0 {
			spec.sortCol, spec.desc = i, strings.HasPrefix(s, "-")
		}
	}
	var prog *expr.Program
	if src := st.Get(m.Title(), stateFilter); src != "" {
		spec.filter = src
		if expr.IsExpression(src) {
			e, err := expr.Parse(src)
			if err == nil {
				prog, err = e.Bind(m.f)
			}
			if err != nil {
				spec.filter = "" // the columns changed since: drop it
			}
		}
	}
	return m.startView(spec, prog)
}

// saveView asks the root to remember the shown sort and filter.
func (m *Model) saveView() tea.Cmd {
	if m.c.Workspace == nil {
		return nil
	}
	sort := ""
	if s := m.shown; s.sortCol >= 0 {
		sort = m.f.Col(s.sortCol).Name()
		if s.desc {
			sort = "-" + sort
		}
	}
	msg := ui.SaveScreenStateMsg{Screen: m.Title(), Values: map[string]string{
		stateDataset: m.name, stateSort: sort, stateFilter: m.shown.filter,
	}}
	return func() tea.Msg { return msg }
}

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	switch m.mode {
	case modeFilter, modeJump:
		return m.onInputKey(msg)
	}
	if m.f == nil {
		return nil
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.Sort) && m.f.NumCols() > 0:
		return m.toggleSort(false)
	case key.Matches(msg, k.SortDesc) && m.f.NumCols() > 0:
		return m.toggleSort(true)
	case key.Matches(msg, k.Filter):
		return m.openInput(modeFilter, "/ ", m.want.filter, "text, or an expression: age > 30 && city == \"oslo\"")
	case key.Matches(msg, k.Jump):
		return m.openInput(modeJump, ": ", "", "row number")
	case key.Matches(msg, k.Panel):
		if m.width < PanelMinWidth {
			return func() tea.Msg {
				return ui.StatusMsg{Text: fmt.Sprintf("the column panel needs a window at least %d columns wide", PanelMinWidth)}
			}
		}
		m.panel = !m.panel
		m.layout()
		return m.wantStats()
	case key.Matches(msg, k.Clear):
		if m.want.filter != "" {
			return m.applyFilter("", nil)
		}
		return nil
	}
	_, col := m.tbl.Cursor()
	m.tbl, _ = m.tbl.Update(msg)
	if _, c := m.tbl.Cursor(); c != col {
		m.renderPanel()
		return m.wantStats()
	}
	return nil
}

func (m *Model) onMouse(msg tea.MouseMsg) tea.Cmd {
	if m.f == nil || m.mode != modeBrowse {
		return nil
	}
	_, col := m.tbl.Cursor()
	m.tbl, _ = m.tbl.Update(msg)
	if _, c := m.tbl.Cursor(); c != col {
		m.renderPanel()
		return m.wantStats()
	}
	return nil
}

func (m *Model) openInput(md mode, prompt, value, placeholder string) tea.Cmd {
	m.mode = md
	m.input.Prompt = prompt
	m.input.Placeholder = placeholder
	m.input.SetValue(value)
	m.input.CursorEnd()
	m.inputErr, m.errCol = "", 0
	m.layout()
	return m.input.Focus()
}

func (m *Model) closeInput() {
	m.mode = modeBrowse
	m.inputErr, m.errCol = "", 0
	m.input.Blur()
	m.layout()
}

func (m *Model) onInputKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Apply):
		if m.mode == modeJump {
			return m.jump()
		}
		return m.submitFilter()
	case key.Matches(msg, m.keys.Cancel):
		wasFilter := m.mode == modeFilter
		m.closeInput()
		if wasFilter && m.want.filter != "" {
			return m.applyFilter("", nil)
		}
		return nil
	}
	before := m.input.Value()
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if m.input.Value() != before && m.inputErr != "" {
		m.inputErr, m.errCol = "", 0
		m.layout()
	}
	return cmd
}

// jump moves the cursor to the row number typed in the input (1-based).
func (m *Model) jump() tea.Cmd {
	s := strings.NewReplacer(",", "", "_", "", " ", "").Replace(m.input.Value())
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		m.setInputErr(fmt.Sprintf("not a row number: %q", m.input.Value()), 0)
		return nil
	}
	m.closeInput()
	_, col := m.tbl.Cursor()
	m.tbl.SetCursor(n-1, col)
	return nil
}

func (m *Model) setInputErr(text string, col int) {
	m.inputErr, m.errCol = text, col
	m.layout()
}

// submitFilter checks the typed filter and starts it. Expressions are parsed
// and bound here (cheap: no rows are read) so that errors show under the
// input with their position.
func (m *Model) submitFilter() tea.Cmd {
	src := strings.TrimSpace(m.input.Value())
	var prog *expr.Program
	if src != "" && expr.IsExpression(src) {
		e, err := expr.Parse(src)
		if err == nil {
			prog, err = e.Bind(m.f)
		}
		if err != nil {
			var pe *expr.Error
			col := 0
			msg := err.Error()
			if errors.As(err, &pe) {
				msg = pe.Msg
				if pe.Line <= 1 {
					col = pe.Col
				}
			}
			if col > 0 {
				msg = fmt.Sprintf("col %d: %s", col, msg)
			}
			m.setInputErr(msg, col)
			return nil
		}
	}
	m.closeInput()
	return m.applyFilter(src, prog)
}

// applyFilter asks for the current sort with filter src (prog is its bound
// program when src is an expression).
func (m *Model) applyFilter(src string, prog *expr.Program) tea.Cmd {
	spec := m.want
	spec.filter = src
	return m.startView(spec, prog)
}

// toggleSort sorts by the focused column, or clears the sort when it is
// already sorted that way.
func (m *Model) toggleSort(desc bool) tea.Cmd {
	_, col := m.tbl.Cursor()
	spec := m.want
	if spec.sortCol == col && spec.desc == desc {
		spec.sortCol, spec.desc = -1, false
	} else {
		spec.sortCol, spec.desc = col, desc
	}
	var prog *expr.Program
	if spec.filter != "" && spec.filter != m.filterFor && expr.IsExpression(spec.filter) {
		e, err := expr.Parse(spec.filter)
		if err == nil {
			prog, err = e.Bind(m.f)
		}
		if err != nil {
			return func() tea.Msg { return ui.ErrorMsg{Err: err} }
		}
	}
	return m.startView(spec, prog)
}

// startView starts the job that builds the row view for spec, reusing the
// cached sort and filter indexes when they still apply.
func (m *Model) startView(spec viewSpec, prog *expr.Program) tea.Cmd {
	m.viewJob.Cancel()
	m.want = spec
	if spec == m.shown {
		m.busy = false
		return nil
	}
	f := m.f
	sortIdx, sortFor := m.sortIdx, m.sortFor
	filterIdx, filterFor := m.filterIdx, m.filterFor
	var colName string
	if spec.sortCol >= 0 {
		colName = f.Col(spec.sortCol).Name()
	}
	label := viewLabel(spec, colName)
	job, cmd := m.c.StartJob(label, func(ctx context.Context, id int, _ func(done, total int64)) tea.Msg {
		out := viewDoneMsg{jobID: id, spec: spec}
		switch {
		case spec.sortCol < 0:
		case sortFor.sortCol == spec.sortCol && sortFor.desc == spec.desc && sortIdx != nil:
			out.sortIdx = sortIdx
		default:
			out.sortIdx, out.err = f.SortIndex(ctx, frame.SortKey{Column: colName, Descending: spec.desc})
		}
		if out.err == nil {
			switch {
			case spec.filter == "":
			case spec.filter == filterFor && filterIdx != nil:
				out.filterIdx = filterIdx
			case prog != nil:
				out.filterIdx, out.err = prog.Filter(ctx)
			default:
				out.filterIdx, out.err = expr.SubstringFilter(ctx, f, spec.filter)
			}
		}
		if out.err == nil {
			out.rows, out.err = compose(ctx, out.sortIdx, out.filterIdx, f.NumRows())
		}
		return out
	})
	m.viewJob, m.busy = job, true
	return cmd
}

// viewLabel describes a view job for the status line.
func viewLabel(spec viewSpec, col string) string {
	var parts []string
	if spec.sortCol >= 0 {
		parts = append(parts, "sorting by "+col)
	}
	if spec.filter != "" {
		parts = append(parts, "filtering")
	}
	if len(parts) == 0 {
		return "restoring row order"
	}
	return strings.Join(parts, ", ")
}

// compose returns the rows of sortIdx (all rows in order when nil) that are
// in filterIdx (all rows when nil). filterIdx is increasing.
func compose(ctx context.Context, sortIdx, filterIdx []int, n int) ([]int, error) {
	switch {
	case filterIdx == nil:
		return sortIdx, nil
	case sortIdx == nil:
		return filterIdx, nil
	}
	keep := make([]bool, n)
	for _, i := range filterIdx {
		keep[i] = true
	}
	out := make([]int, 0, len(filterIdx))
	for j, i := range sortIdx {
		if j%(1<<16) == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if keep[i] {
			out = append(out, i)
		}
	}
	return out, nil
}

func (m *Model) onViewDone(msg viewDoneMsg) tea.Cmd {
	if msg.jobID != m.viewJob.ID {
		return nil // stale: a newer view was asked for, or a new dataset opened
	}
	m.busy = false
	if msg.err != nil {
		m.want = m.shown
		if ui.IsCanceled(msg.err) {
			return nil
		}
		err := msg.err
		return func() tea.Msg { return ui.ErrorMsg{Err: err} }
	}
	m.shown = msg.spec
	if msg.spec.sortCol >= 0 {
		m.sortIdx, m.sortFor = msg.sortIdx, viewSpec{sortCol: msg.spec.sortCol, desc: msg.spec.desc}
	}
	if msg.spec.filter != "" {
		m.filterIdx, m.filterFor = msg.filterIdx, msg.spec.filter
	}
	_, col := m.tbl.Cursor()
	m.tbl.SetView(msg.rows)
	m.tbl.SetSort(msg.spec.sortCol, msg.spec.desc)
	m.tbl.SetCursor(0, col)
	return m.saveView()
}

// wantStats starts computing the focused column's statistics when the panel
// shows and they are not known yet.
func (m *Model) wantStats() tea.Cmd {
	if !m.panelShown() || m.f.NumCols() == 0 {
		return nil
	}
	_, col := m.tbl.Cursor()
	if _, ok := m.stats[col]; ok || m.statsCol == col {
		return nil
	}
	m.statsJob.Cancel()
	c := m.f.Col(col)
	job, cmd := m.c.StartJob("column stats: "+c.Name(), func(ctx context.Context, id int, _ func(done, total int64)) tea.Msg {
		s, err := computeStats(ctx, c)
		return statsDoneMsg{jobID: id, col: col, stats: s, err: err}
	})
	m.statsJob, m.statsCol = job, col
	return cmd
}

func (m *Model) onStatsDone(msg statsDoneMsg) tea.Cmd {
	if msg.jobID != m.statsJob.ID {
		return nil
	}
	m.statsCol = -1
	if msg.err == nil {
		m.stats[msg.col] = msg.stats
		m.renderPanel()
	}
	return m.wantStats()
}

// View implements tea.Model.
func (m *Model) View() string {
	st := m.c.Styles
	if m.f == nil {
		text := EmptyText
		if m.failed != "" {
			text = "Could not open " + m.failed + " (the error is shown below)"
		}
		return st.Empty.Width(max(1, m.width)).Render(text)
	}
	body := m.tbl.View()
	if m.panelShown() {
		body = lipgloss.JoinHorizontal(lipgloss.Top, padBlock(body, m.width-panelWidth-1, max(0, m.height-m.bottomLines())), " ", m.panelView)
	}
	var b strings.Builder
	b.WriteString(padLines(body, max(0, m.height-m.bottomLines())))
	if m.mode != modeBrowse {
		b.WriteString("\n")
		b.WriteString(m.input.View())
	}
	if m.inputErr != "" {
		b.WriteString("\n")
		pad := 0
		if m.errCol > 0 {
			pad = ansi.StringWidth(m.input.Prompt) + m.errCol - 1
		}
		line := st.Input.Error.Render(strings.Repeat(" ", pad) + "^ " + m.inputErr)
		if pad+2+len(m.inputErr) > m.width {
			line = st.Input.Error.Render("^ " + m.inputErr)
		}
		b.WriteString(ansi.Truncate(line, m.width, st.Glyphs.Ellipsis))
	}
	b.WriteString("\n")
	b.WriteString(ansi.Truncate(st.Status.Render(m.statusText()), m.width, st.Glyphs.Ellipsis))
	return b.String()
}

// statusText is "row 1,234 of 1,000,000 · col 3/20 age int" plus the sort and
// filter in force.
func (m *Model) statusText() string {
	sep := m.c.Styles.Glyphs.Sep
	pos, col := m.tbl.Cursor()
	n := m.tbl.Len()
	var b strings.Builder
	if n == 0 {
		b.WriteString("no rows")
	} else {
		fmt.Fprintf(&b, "row %s of %s", ui.Thousands(int64(pos+1)), ui.Thousands(int64(n)))
	}
	if m.shown.filter != "" {
		fmt.Fprintf(&b, " (filtered from %s)", ui.Thousands(int64(m.f.NumRows())))
	}
	if m.f.NumCols() == 0 {
		return b.String()
	}
	c := m.f.Col(col)
	fmt.Fprintf(&b, "%scol %d/%d %s %s", sep, col+1, m.f.NumCols(), c.Name(), table.TypeLabel(c.Type()))
	if s := m.shown; s.sortCol >= 0 {
		arrow := m.c.Styles.Glyphs.SortAsc
		if s.desc {
			arrow = m.c.Styles.Glyphs.SortDesc
		}
		fmt.Fprintf(&b, "%ssorted by %s %s", sep, m.f.Col(s.sortCol).Name(), arrow)
	}
	if m.shown.filter != "" {
		fmt.Fprintf(&b, "%sfilter: %s", sep, m.shown.filter)
	}
	return b.String()
}

// padLines pads s with empty lines to h lines.
func padLines(s string, h int) string {
	if n := strings.Count(s, "\n") + 1; n < h {
		s += strings.Repeat("\n", h-n)
	}
	return s
}

// padBlock pads every line of s to w cells and the block to h lines.
func padBlock(s string, w, h int) string {
	lines := strings.Split(padLines(s, h), "\n")
	for i, l := range lines {
		if d := w - ansi.StringWidth(l); d > 0 {
			lines[i] = l + strings.Repeat(" ", d)
		}
	}
	return strings.Join(lines, "\n")
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	if m.mode != modeBrowse {
		return []key.Binding{k.Apply, k.Cancel}
	}
	if m.f == nil {
		return nil
	}
	b := []key.Binding{k.Filter, k.Sort, k.Jump}
	if m.width >= PanelMinWidth {
		b = append(b, k.Panel)
	}
	if m.shown.filter != "" {
		b = append(b, k.Clear)
	}
	return b
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	if m.mode != modeBrowse {
		return [][]key.Binding{{k.Apply, k.Cancel}}
	}
	t := k.Table
	own := []key.Binding{k.Filter, k.Clear, k.Sort, k.SortDesc, k.Jump}
	if m.width >= PanelMinWidth {
		own = append(own, k.Panel)
	}
	return [][]key.Binding{
		{t.Up, t.Down, t.Left, t.Right, t.FirstCol, t.LastCol},
		{t.PageUp, t.PageDown, t.HalfUp, t.HalfDown, t.Top, t.Bottom},
		own,
	}
}
