// Package profile is the Profile screen: a sortable table of every column's
// key statistics with alert badges, and a side pane that shows the cursor
// column's detail (histogram or top values, quantiles), a correlation
// heatmap with the strongest pairs, or the alert list.
//
// Profiles come from the workspace cache (internal/profilecache, shared with
// `mlwb profile`) when the dataset version was profiled before; otherwise a
// background job computes one, streaming each column's report to the screen
// as it finishes (a channel drained by a re-issued wait command), and saves
// it to the cache. esc cancels the job (the root cancels running jobs).
package profile

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/profile"
	"github.com/mlwb/mlwb/internal/profilecache"
	"github.com/mlwb/mlwb/ui"
)

// EmptyText is shown when no dataset is open.
const EmptyText = "No dataset selected — open one on the Project screen (1), or run `mlwb profile FILE`"

// pane is what has the keyboard.
type pane int

const (
	paneTable pane = iota
	paneSide
)

func (p pane) String() string {
	if p == paneTable {
		return "table"
	}
	return "side"
}

// sideView is what the side pane shows.
type sideView int

const (
	viewDetail sideView = iota
	viewCorr
	viewAlerts
)

func (v sideView) String() string {
	switch v {
	case viewDetail:
		return "detail"
	case viewCorr:
		return "correlations"
	case viewAlerts:
		return "alerts"
	}
	return fmt.Sprintf("view(%d)", int(v))
}

// Messages.
type (
	// cacheMsg is the result of looking a profile up in the cache.
	cacheMsg struct {
		seq    int
		hash   string // the dataset version's hash, "" when unknown
		report *profile.Report
		err    error // other than a miss
	}
	// columnsMsg carries column reports streamed by job jobID.
	columnsMsg struct {
		jobID  int
		cols   []profile.ColumnReport
		closed bool // the job ended: wait no more
	}
	// doneMsg is the result of a profile job.
	doneMsg struct {
		jobID   int
		report  *profile.Report
		err     error
		saveErr error
	}
)

// stream passes results from a job's goroutine to the UI (see ui.Stream),
// tagged with the job's id so that stale ones are dropped.
type stream struct {
	*ui.Stream[profile.ColumnReport]
	jobID int
}

func newStream() *stream { return &stream{Stream: ui.NewStream[profile.ColumnReport]()} }

// wait is the command that delivers the next batch; it is re-issued until
// the job closes the stream.
func (s *stream) wait() tea.Msg {
	items, closed := s.Next()
	return columnsMsg{jobID: s.jobID, cols: items, closed: closed}
}

// Model is the Profile screen.
type Model struct {
	c    ui.Common
	keys KeyMap

	width, height int

	name   string       // dataset name or file path
	f      *frame.Frame // the dataset, kept to (re)start a job
	target string       // "" for none
	hash   string       // dataset version hash, "" without a workspace
	seq    int          // counts datasets loaded, to drop stale cache answers

	job     ui.Job
	stream  *stream // the running job's column stream
	running bool
	cached  bool
	note    string // status: cancelled, cache errors
	err     error

	cols   []profile.ColumnReport // by frame column index
	have   []bool
	nHave  int
	report *profile.Report // nil until complete
	alerts map[string][]profile.Alert
	index  map[string]int // column name → frame index

	order   []int // frame indices in table order
	cur     int   // cursor position in order
	top     int
	selCol  int  // frame index under the cursor (survives re-sorting)
	hdr     int  // focused header (field index)
	sortBy  int  // field index, -1 for frame order
	desc    bool // sort descending
	hLeft   int  // first scrollable header shown
	focus   pane
	view    sideView
	method  int // correlation matrix: index into methods
	alCur   int // alert cursor
	alTop   int
	pairCur int
	pairTop int
	pairs   []profilecache.Pair

	rendered string
}

// New returns the Profile screen with no dataset.
func New(c ui.Common) *Model {
	return &Model{c: c, keys: DefaultKeyMap(), sortBy: -1}
}

// Title implements ui.Screen.
func (m *Model) Title() string { return "Profile" }

// Capturing implements ui.Screen: the screen has no text input.
func (m *Model) Capturing() bool { return false }

// HasPanes implements ui.Panes: tab moves between the table and the side
// pane once there is something to show.
func (m *Model) HasPanes() bool { return m.nHave > 0 }

// Report returns the complete profile shown, or nil.
func (m *Model) Report() *profile.Report { return m.report }

// Running reports whether a profile job is running.
func (m *Model) Running() bool { return m.running }

// Cached reports whether the profile shown came from the cache.
func (m *Model) Cached() bool { return m.cached }

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements ui.Screen.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(0, w), max(0, h)
	m.refresh()
}

// View implements tea.Model: the string rendered by the last change.
func (m *Model) View() string { return m.rendered }

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case ui.DatasetLoadedMsg:
		cmd = m.onLoaded(msg)
	case ui.WorkspaceChangedMsg:
		cmd = m.onWorkspaceChanged()
	case cacheMsg:
		cmd = m.onCache(msg)
	case columnsMsg:
		cmd = m.onColumns(msg)
	case doneMsg:
		cmd = m.onDone(msg)
	case tea.KeyMsg:
		cmd = m.onKey(msg)
	case tea.MouseMsg:
		cmd = m.onMouse(msg)
	default:
		return m, nil
	}
	m.refresh()
	return m, cmd
}

// targetFor returns the card's target when the frame has that column.
func (m *Model) targetFor(f *frame.Frame) string {
	if m.c.Workspace == nil || f == nil {
		return ""
	}
	t := m.c.Workspace.Card().Target
	if _, err := f.Column(t); t == "" || err != nil {
		return ""
	}
	return t
}

func (m *Model) reset() {
	m.job.Cancel()
	m.running, m.cached, m.note, m.err = false, false, "", nil
	m.cols, m.have, m.nHave, m.report, m.alerts = nil, nil, 0, nil, nil
	m.order, m.cur, m.top, m.selCol = nil, 0, 0, 0
	m.alCur, m.alTop, m.pairCur, m.pairTop, m.pairs = 0, 0, 0, 0, nil
	m.index = map[string]int{}
	if m.f != nil {
		n := m.f.NumCols()
		m.cols, m.have = make([]profile.ColumnReport, n), make([]bool, n)
		for i, c := range m.f.Columns() {
			m.index[c.Name()] = i
		}
	}
}

func (m *Model) onLoaded(msg ui.DatasetLoadedMsg) tea.Cmd {
	m.seq++
	if msg.Err != nil {
		m.f, m.name = nil, msg.Name
		m.reset()
		return nil
	}
	m.f, m.name = msg.Frame, msg.Name
	m.target = m.targetFor(m.f)
	m.reset()
	return m.lookup()
}

func (m *Model) onWorkspaceChanged() tea.Cmd {
	if m.f == nil || m.targetFor(m.f) == m.target {
		return nil
	}
	m.target = m.targetFor(m.f)
	m.seq++
	m.reset()
	return m.lookup()
}

// lookup returns the command that finds the dataset's hash and its cached
// profile; without a workspace it starts the job at once.
func (m *Model) lookup() tea.Cmd {
	ws := m.c.Workspace
	if ws == nil {
		return m.start()
	}
	seq, name, target := m.seq, m.name, m.target
	return func() tea.Msg {
		d, err := ws.DatasetRef(name)
		if err != nil {
			// Not a workspace dataset (a file opened by path): no cache.
			return cacheMsg{seq: seq}
		}
		r, err := profilecache.Load(ws, d.Hash, target)
		switch {
		case err == nil:
			return cacheMsg{seq: seq, hash: d.Hash, report: r}
		case errors.Is(err, fs.ErrNotExist), errors.Is(err, profilecache.ErrCorrupt):
			return cacheMsg{seq: seq, hash: d.Hash}
		}
		return cacheMsg{seq: seq, hash: d.Hash, err: err}
	}
}

func (m *Model) onCache(msg cacheMsg) tea.Cmd {
	if msg.seq != m.seq || m.f == nil {
		return nil
	}
	m.hash = msg.hash
	if msg.err != nil {
		m.note = "cache: " + msg.err.Error()
	}
	if r := msg.report; r != nil && len(r.Columns) == m.f.NumCols() {
		m.cached = true
		m.complete(r)
		return nil
	}
	return m.start()
}

// start begins a profile job over m.f.
func (m *Model) start() tea.Cmd {
	if m.f == nil {
		return nil
	}
	m.job.Cancel()
	f, target, ws, hash := m.f, m.target, m.c.Workspace, m.hash
	if ws == nil {
		hash = ""
	}
	s := newStream()
	label := "profiling " + filepath.Base(m.name)
	job, cmd := m.c.StartJob(label, func(ctx context.Context, id int, progress func(done, total int64)) tea.Msg {
		defer s.Close()
		total := int64(f.NumCols())
		var done int64
		r, err := profile.Profile(ctx, f, profile.Options{Target: target, Progress: func(c profile.ColumnReport) {
			done++
			s.Push(c)
			progress(done, total)
		}})
		msg := doneMsg{jobID: id, report: r, err: err}
		if err == nil && hash != "" {
			msg.saveErr = profilecache.Save(ws, hash, target, r)
		}
		return msg
	})
	s.jobID = job.ID
	m.job, m.stream, m.running, m.cached = job, s, true, false
	return tea.Batch(cmd, s.wait)
}

func (m *Model) onColumns(msg columnsMsg) tea.Cmd {
	if msg.jobID != m.job.ID || m.report != nil || m.stream == nil {
		return nil
	}
	for _, c := range msg.cols {
		m.addColumn(c)
	}
	m.resort()
	if msg.closed || !m.running {
		return nil
	}
	return m.stream.wait // re-issued until the job closes the stream
}

func (m *Model) addColumn(c profile.ColumnReport) {
	i, ok := m.index[c.Name]
	if !ok {
		return
	}
	if !m.have[i] {
		m.have[i] = true
		m.nHave++
	}
	m.cols[i] = c
}

func (m *Model) onDone(msg doneMsg) tea.Cmd {
	if msg.jobID != m.job.ID {
		return nil
	}
	m.running = false
	if msg.err != nil {
		if ui.IsCanceled(msg.err) {
			m.note = fmt.Sprintf("cancelled at %d/%d columns (r restarts)", m.nHave, len(m.cols))
			return nil
		}
		m.err = msg.err
		return func() tea.Msg { return ui.ErrorMsg{Err: fmt.Errorf("profile %s: %w", m.name, msg.err)} }
	}
	if msg.saveErr != nil {
		m.note = "not cached: " + msg.saveErr.Error()
	}
	m.complete(msg.report)
	return nil
}

// complete shows the full report r.
func (m *Model) complete(r *profile.Report) {
	m.report = r
	m.nHave = 0
	for i := range m.have {
		m.have[i] = false
	}
	for _, c := range r.Columns {
		m.addColumn(c)
	}
	m.alerts = map[string][]profile.Alert{}
	for _, a := range r.Alerts {
		m.alerts[a.Column] = append(m.alerts[a.Column], a)
	}
	m.pairs = profilecache.StrongestPairs(r, 0)
	m.resort()
}

// resort rebuilds the table order, keeping the cursor on its column.
func (m *Model) resort() {
	m.order = m.order[:0]
	for i, ok := range m.have {
		if ok {
			m.order = append(m.order, i)
		}
	}
	if m.sortBy >= 0 {
		f := fields[m.sortBy]
		slices.SortStableFunc(m.order, func(a, b int) int {
			c := f.cmp(m, a, b)
			if m.desc {
				c = -c
			}
			if f.key != nil { // NaN last either way
				ka, kb := f.key(m, a), f.key(m, b)
				if na, nb := math.IsNaN(ka), math.IsNaN(kb); na != nb {
					if na {
						return 1
					}
					return -1
				}
			}
			return c
		})
	}
	m.cur = 0
	for p, i := range m.order {
		if i == m.selCol {
			m.cur = p
		}
	}
	if len(m.order) > 0 {
		m.selCol = m.order[m.cur]
	}
}

// field is one column of the statistics table.
type field struct {
	title string
	width int
	right bool
	// key is the numeric sort key (NaN sorts last); nil for text fields,
	// which use cmp.
	key  func(m *Model, i int) float64
	text func(m *Model, i int) string
	cmp  func(m *Model, a, b int) int
}

func numField(title string, width int, key func(c *profile.ColumnReport) float64, text func(m *Model, c *profile.ColumnReport) string) field {
	f := field{title: title, width: width, right: true}
	f.key = func(m *Model, i int) float64 { return key(&m.cols[i]) }
	f.cmp = func(m *Model, a, b int) int {
		ka, kb := key(&m.cols[a]), key(&m.cols[b])
		if math.IsNaN(ka) || math.IsNaN(kb) {
			return 0
		}
		return cmp.Compare(ka, kb)
	}
	f.text = func(m *Model, i int) string { return text(m, &m.cols[i]) }
	return f
}

func numeric(get func(s *profile.NumericSummary) float64) func(c *profile.ColumnReport) float64 {
	return func(c *profile.ColumnReport) float64 {
		if c.Numeric == nil || c.Count == 0 {
			return math.NaN()
		}
		return get(c.Numeric)
	}
}

func numText(get func(s *profile.NumericSummary) float64) func(m *Model, c *profile.ColumnReport) string {
	return func(m *Model, c *profile.ColumnReport) string {
		if c.Numeric == nil || c.Count == 0 {
			return ""
		}
		return fmtNum(get(c.Numeric))
	}
}

// dateText shows a datetime column's min or max as a date.
func dateOr(get func(s *profile.NumericSummary) float64, max bool) func(m *Model, c *profile.ColumnReport) string {
	return func(m *Model, c *profile.ColumnReport) string {
		if d := c.Datetime; d != nil && c.Count > 0 {
			if max {
				return d.Max.Format("2006-01-02")
			}
			return d.Min.Format("2006-01-02")
		}
		return numText(get)(m, c)
	}
}

// Field indices.
const (
	fName = iota
	fType
	fMissing
	fDistinct
	fAlerts
	fMean
	fStd
	fMin
	fMax
	fSkew
)

var fields = []field{
	fName: {title: "column", width: 0,
		text: func(m *Model, i int) string { return m.cols[i].Name },
		cmp:  func(m *Model, a, b int) int { return cmp.Compare(m.cols[a].Name, m.cols[b].Name) }},
	fType: {title: "type", width: 5,
		text: func(m *Model, i int) string { return typeLabel(m.cols[i].Type) },
		cmp:  func(m *Model, a, b int) int { return cmp.Compare(m.cols[a].Type, m.cols[b].Type) }},
	fMissing: numField("miss%", 6, func(c *profile.ColumnReport) float64 { return c.MissingPct },
		func(_ *Model, c *profile.ColumnReport) string {
			if c.Missing == 0 {
				return "0"
			}
			return fmtPct(c.MissingPct)
		}),
	fDistinct: numField("distinct", 9, func(c *profile.ColumnReport) float64 { return float64(c.Distinct) },
		func(_ *Model, c *profile.ColumnReport) string { return fmt.Sprint(c.Distinct) }),
	fAlerts: {title: "alerts", width: 16,
		key:  func(m *Model, i int) float64 { return float64(len(m.alerts[m.cols[i].Name])) },
		text: func(m *Model, i int) string { return "" }, // drawn by the view with badge styles
		cmp: func(m *Model, a, b int) int {
			return cmp.Compare(len(m.alerts[m.cols[a].Name]), len(m.alerts[m.cols[b].Name]))
		}},
	fMean: numField("mean", 9, numeric(func(s *profile.NumericSummary) float64 { return s.Mean }),
		numText(func(s *profile.NumericSummary) float64 { return s.Mean })),
	fStd: numField("std", 9, numeric(func(s *profile.NumericSummary) float64 { return s.Std }),
		numText(func(s *profile.NumericSummary) float64 { return s.Std })),
	fMin: numField("min", 10, numeric(func(s *profile.NumericSummary) float64 { return s.Min }),
		dateOr(func(s *profile.NumericSummary) float64 { return s.Min }, false)),
	fMax: numField("max", 10, numeric(func(s *profile.NumericSummary) float64 { return s.Max }),
		dateOr(func(s *profile.NumericSummary) float64 { return s.Max }, true)),
	fSkew: numField("skew", 7, numeric(func(s *profile.NumericSummary) float64 { return s.Skewness }),
		numText(func(s *profile.NumericSummary) float64 { return s.Skewness })),
}

func typeLabel(t frame.Type) string {
	switch t {
	case frame.Datetime:
		return "date"
	case frame.Categorical:
		return "cat"
	case frame.String:
		return "str"
	}
	return t.String()
}

// fmtNum formats a statistic in at most 9 cells.
func fmtNum(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v):
		return "-"
	case math.IsInf(v, 0):
		if v > 0 {
			return "inf"
		}
		return "-inf"
	case v == math.Trunc(v) && a < 1e7:
		return fmt.Sprintf("%.0f", v)
	case a >= 1e5 || a < 1e-3:
		return fmt.Sprintf("%.2e", v)
	}
	return fmt.Sprintf("%.4g", v)
}

func fmtPct(p float64) string {
	if p > 0 && p < 0.1 {
		return "<0.1%"
	}
	return fmt.Sprintf("%.1f%%", p)
}

// ---- keys ----

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Refresh):
		if m.f != nil {
			m.seq++
			m.reset()
			return m.start()
		}
		return nil
	case key.Matches(msg, k.Detail):
		m.view, m.focus = viewDetail, paneTable
		return nil
	case key.Matches(msg, k.Correlations):
		m.view, m.focus = viewCorr, paneSide
		return nil
	case key.Matches(msg, k.Alerts):
		m.view, m.focus = viewAlerts, paneSide
		return nil
	case key.Matches(msg, k.Method):
		m.method = (m.method + 1) % len(methods)
		return nil
	case key.Matches(msg, k.NextPane), key.Matches(msg, k.PrevPane):
		if m.focus == paneTable {
			m.focus = paneSide
		} else {
			m.focus = paneTable
		}
		return nil
	case key.Matches(msg, k.Back):
		m.focus = paneTable
		return nil
	}
	if m.focus == paneSide && m.view != viewDetail {
		return m.onListKey(msg)
	}
	return m.onTableKey(msg)
}

func (m *Model) onTableKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	page := max(1, m.tableRows()-1)
	switch {
	case key.Matches(msg, k.Up):
		m.moveTo(m.cur - 1)
	case key.Matches(msg, k.Down):
		m.moveTo(m.cur + 1)
	case key.Matches(msg, k.PageUp):
		m.moveTo(m.cur - page)
	case key.Matches(msg, k.PageDown):
		m.moveTo(m.cur + page)
	case key.Matches(msg, k.Top):
		m.moveTo(0)
	case key.Matches(msg, k.Bottom):
		m.moveTo(len(m.order) - 1)
	case key.Matches(msg, k.Left):
		m.hdr = max(0, m.hdr-1)
	case key.Matches(msg, k.Right):
		m.hdr = min(len(fields)-1, m.hdr+1)
	case key.Matches(msg, k.Sort), key.Matches(msg, k.SortDesc):
		desc := key.Matches(msg, k.SortDesc)
		if m.sortBy == m.hdr && m.desc == desc {
			m.sortBy = -1
		} else {
			m.sortBy, m.desc = m.hdr, desc
		}
		m.resort()
	}
	return nil
}

func (m *Model) moveTo(p int) {
	if len(m.order) == 0 {
		return
	}
	m.cur = min(max(p, 0), len(m.order)-1)
	m.selCol = m.order[m.cur]
}

// listLen returns the length of the side list shown.
func (m *Model) listLen() int {
	switch m.view {
	case viewAlerts:
		if m.report != nil {
			return len(m.report.Alerts)
		}
	case viewCorr:
		return len(m.pairs)
	}
	return 0
}

func (m *Model) onListKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	cur := &m.alCur
	if m.view == viewCorr {
		cur = &m.pairCur
	}
	n := m.listLen()
	move := func(p int) { *cur = min(max(p, 0), max(0, n-1)) }
	switch {
	case key.Matches(msg, k.Up):
		move(*cur - 1)
	case key.Matches(msg, k.Down):
		move(*cur + 1)
	case key.Matches(msg, k.PageUp):
		move(*cur - 5)
	case key.Matches(msg, k.PageDown):
		move(*cur + 5)
	case key.Matches(msg, k.Top):
		move(0)
	case key.Matches(msg, k.Bottom):
		move(n - 1)
	case key.Matches(msg, k.Jump):
		if n == 0 {
			return nil
		}
		col := ""
		if m.view == viewAlerts {
			col = m.report.Alerts[*cur].Column
		} else {
			col = m.pairs[*cur].A
		}
		if col == "" { // a table-wide alert (duplicates, empty)
			return nil
		}
		m.jumpTo(col)
	}
	return nil
}

// jumpTo puts the table cursor on the named column and shows its detail.
func (m *Model) jumpTo(name string) {
	i, ok := m.index[name]
	if !ok {
		return
	}
	for p, j := range m.order {
		if j == i {
			m.moveTo(p)
			m.view, m.focus = viewDetail, paneTable
			return
		}
	}
}

func (m *Model) onMouse(msg tea.MouseMsg) tea.Cmd {
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		m.moveTo(m.cur - 3)
	case tea.MouseButtonWheelDown:
		m.moveTo(m.cur + 3)
	}
	return nil
}

// ---- help ----

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	if m.f == nil {
		return nil
	}
	if m.focus == paneSide && m.view != viewDetail {
		b := []key.Binding{k.Up, k.Down, k.Jump}
		if m.view == viewCorr {
			b = append(b, k.Method)
		}
		return append(b, k.Detail, k.Correlations, k.Alerts, k.NextPane)
	}
	return []key.Binding{k.Up, k.Right, k.Sort, k.Detail, k.Correlations, k.Alerts, k.NextPane}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Left, k.Right, k.Sort, k.SortDesc},
		{k.Detail, k.Correlations, k.Alerts, k.Method, k.Jump},
		{k.NextPane, k.Back, k.Refresh},
	}
}
