// Package monitor is the Monitor screen: drift of the workspace's batch
// folder (monitor/batches) against a reference dataset, per column and over
// time, with alerts. It watches the folder while shown and compares each
// new batch in a background job against the cached reference; the UI never
// reads a file or computes a statistic on its own goroutine.
package monitor

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/guptarohit/asciigraph"
	"github.com/mlwb/mlwb/engine/drift"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/workspace"
)

// NoWorkspaceText is shown when no workspace is open.
const NoWorkspaceText = "Monitoring needs a workspace (its monitor/batches folder is watched).\n" +
	"Without one, compare files with:\n\n" +
	"  mlwb drift --reference REF.csv --current CUR.csv [--window COL:7d] [--json]\n\n" +
	"It exits with status 3 when the data drifts, for cron and CI."

// PollInterval is how often the batch folder is listed. A file is compared
// once it is unchanged over one interval, so a new batch is shown within
// about two intervals plus the comparison.
const PollInterval = 500 * time.Millisecond

// wideMin is the width from which the graph pane sits beside the table.
const wideMin = 100

// Model is the Monitor screen.
type Model struct {
	c    ui.Common
	keys KeyMap

	width, height int
	dir           string // batch folder, "" without workspace
	poll          time.Duration
	now           func() time.Time
	// tick schedules the next folder listing (tests replace it).
	tick func(dir string, d time.Duration) tea.Cmd

	refName string
	ref     *drift.Reference
	// runs are the runs whose model can be monitored (leaderboard order),
	// model the one monitored (nil: none) and pick what the next setup
	// uses (auto: the best run, until the user picks with m).
	runs    []workspace.Run
	model   *modelInfo
	pick    pick
	entries []entry
	alerts  []drift.Alert
	err     error

	// pending holds files seen changed once, by name: compared when seen
	// unchanged at the next poll.
	pending   map[string]drift.Batch
	setupJob  ui.Job
	batchJob  ui.Job
	computing map[string]bool
	polling   bool
	paused    bool

	col       int  // selected column
	sel       int  // selected batch; -1 follows the latest
	bigAlerts bool // alerts list enlarged

	view string // rendered body, cached
}

// New returns the Monitor screen.
func New(c ui.Common) *Model {
	m := &Model{c: c, keys: DefaultKeyMap(), poll: PollInterval, now: time.Now, tick: scanCmd, sel: -1, pick: pick{auto: true},
		pending: map[string]drift.Batch{}, computing: map[string]bool{}}
	if c.Workspace != nil {
		m.dir = c.Workspace.Path(filepath.FromSlash(BatchDir))
	}
	return m
}

// Title implements ui.Screen.
func (m *Model) Title() string { return "Monitor" }

// Capturing implements ui.Screen: the screen has no text input.
func (m *Model) Capturing() bool { return false }

// SetSize implements ui.Screen.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(0, w), max(0, h)
	m.render()
}

// Init starts the first comparison and the folder watch.
func (m *Model) Init() tea.Cmd {
	if m.c.Workspace == nil {
		return nil
	}
	return m.startSetup()
}

func (m *Model) startSetup() tea.Cmd {
	m.setupJob.Cancel()
	ws, dir, now, p := m.c.Workspace, m.dir, m.now, m.pick
	job, cmd := m.c.StartJob("comparing batches", func(ctx context.Context, id int, _ func(int64, int64)) tea.Msg {
		r, err := setup(ctx, ws, dir, p, now)
		return setupDoneMsg{jobID: id, refName: r.refName, ref: r.ref, runs: r.runs, model: r.model, entries: r.entries, alerts: r.alerts, err: err}
	})
	m.setupJob = job
	return cmd
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case setupDoneMsg:
		return m, m.onSetup(msg)
	case batchDoneMsg:
		return m, m.onBatches(msg)
	case scanMsg:
		return m, m.onScan(msg)
	case tea.KeyMsg:
		return m, m.onKey(msg)
	}
	return m, nil
}

func (m *Model) onSetup(msg setupDoneMsg) tea.Cmd {
	if msg.jobID != m.setupJob.ID {
		return nil
	}
	m.setupJob = ui.Job{}
	if msg.runs != nil {
		m.runs = msg.runs
	}
	if msg.err != nil && msg.ref == nil {
		m.ref, m.model, m.entries = nil, nil, nil
		// Shown in place: the screen starts with the app, and a workspace
		// without data is not an error worth interrupting the user for.
		if !ui.IsCanceled(msg.err) {
			m.err = msg.err
		}
		m.render()
		return nil
	}
	m.err = msg.err // an alerts file error, shown in place
	m.refName, m.ref, m.entries, m.alerts, m.model = msg.refName, msg.ref, msg.entries, msg.alerts, msg.model
	if m.pick.auto && msg.model != nil {
		m.pick = pick{id: msg.model.run.ID}
	}
	m.pending = map[string]drift.Batch{}
	m.computing = map[string]bool{}
	m.col = min(m.col, max(0, len(m.columnNames())-1))
	m.render()
	if m.polling || m.paused {
		return nil
	}
	m.polling = true
	return m.tick(m.dir, m.poll)
}

// onScan compares the listing with the known batches and starts a job for
// files that appeared or changed and then stayed unchanged for a poll.
func (m *Model) onScan(msg scanMsg) tea.Cmd {
	if m.paused || m.ref == nil {
		m.polling = false
		return nil
	}
	next := m.tick(m.dir, m.poll)
	if msg.err != nil {
		return next
	}
	known := map[string]entry{}
	for _, e := range m.entries {
		known[e.name] = e
	}
	var ready []drift.Batch
	seen := map[string]bool{}
	for _, b := range msg.files {
		seen[b.Name] = true
		if e, ok := known[b.Name]; ok && e.size == b.Size && e.mtime.Equal(b.ModTime) {
			delete(m.pending, b.Name)
			continue
		}
		if m.computing[b.Name] {
			continue
		}
		if p, ok := m.pending[b.Name]; ok && p.Size == b.Size && p.ModTime.Equal(b.ModTime) {
			ready = append(ready, b)
			delete(m.pending, b.Name)
			continue
		}
		m.pending[b.Name] = b
	}
	for name := range m.pending {
		if !seen[name] {
			delete(m.pending, name)
		}
	}
	// Batches deleted from the folder leave the view.
	kept := m.entries[:0]
	for _, e := range m.entries {
		if seen[e.name] || m.computing[e.name] {
			kept = append(kept, e)
		}
	}
	if len(kept) != len(m.entries) {
		m.entries = kept
		m.render()
	}
	if len(ready) == 0 || m.batchJob.Running() {
		if len(ready) > 0 { // busy: look again next poll
			for _, b := range ready {
				m.pending[b.Name] = b
			}
		}
		return next
	}
	return tea.Batch(next, m.startBatches(ready))
}

// startBatches compares new batches against the cached reference.
func (m *Model) startBatches(files []drift.Batch) tea.Cmd {
	ref, mi, now := m.ref, m.model, m.now
	path := m.c.Workspace.Path(filepath.FromSlash(AlertsFile))
	// The entry just before each new batch, by name, for alerts.
	prevOf := map[string]*entry{}
	for _, b := range files {
		m.computing[b.Name] = true
		var prev *entry
		for i := range m.entries {
			if e := m.entries[i]; e.name < b.Name && e.rep != nil {
				prev = &e
			}
		}
		prevOf[b.Name] = prev
	}
	job, cmd := m.c.StartJob("comparing new batch", func(ctx context.Context, id int, _ func(int64, int64)) tea.Msg {
		var out []entry
		var alerts []drift.Alert
		var last *entry
		for _, b := range files {
			e := compareBatch(ctx, ref, mi, b)
			if ctx.Err() != nil {
				return batchDoneMsg{jobID: id, err: ctx.Err()}
			}
			if e.rep != nil {
				prev := prevOf[b.Name]
				if last != nil && last.name < b.Name {
					prev = last
				}
				alerts = append(alerts, mi.alerts(prev, e, now())...)
				last = &e
			}
			out = append(out, e)
		}
		saved, err := saveNewAlerts(path, alerts)
		return batchDoneMsg{jobID: id, entries: out, alerts: saved, err: err}
	})
	m.batchJob = job
	return cmd
}

func (m *Model) onBatches(msg batchDoneMsg) tea.Cmd {
	if msg.jobID != m.batchJob.ID {
		return nil
	}
	m.batchJob = ui.Job{}
	for _, e := range msg.entries {
		delete(m.computing, e.name)
		replaced := false
		for i := range m.entries {
			if m.entries[i].name == e.name {
				m.entries[i], replaced = e, true
			}
		}
		if !replaced {
			m.entries = append(m.entries, e)
		}
	}
	m.computing = map[string]bool{}
	sortEntries(m.entries)
	if msg.alerts != nil {
		m.alerts = msg.alerts
	}
	m.err = msg.err
	m.render()
	if msg.err != nil && !ui.IsCanceled(msg.err) {
		return func() tea.Msg { return ui.ErrorMsg{Err: fmt.Errorf("monitor: %w", msg.err)} }
	}
	return nil
}

func sortEntries(es []entry) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && es[j].name < es[j-1].name; j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	n := len(m.columnNames())
	switch {
	case key.Matches(msg, k.Up):
		m.col = max(0, m.col-1)
	case key.Matches(msg, k.Down):
		m.col = min(max(0, n-1), m.col+1)
	case key.Matches(msg, k.Prev):
		cur := m.current()
		if cur > 0 {
			m.sel = cur - 1
		}
	case key.Matches(msg, k.Next):
		if cur := m.current(); cur >= 0 && cur < len(m.entries)-1 {
			m.sel = cur + 1
			if m.sel == len(m.entries)-1 {
				m.sel = -1
			}
		}
	case key.Matches(msg, k.Latest):
		m.sel = -1
	case key.Matches(msg, k.ToggleAlerts):
		m.bigAlerts = !m.bigAlerts
	case key.Matches(msg, k.Pause):
		if m.c.Workspace == nil {
			return nil
		}
		m.paused = !m.paused
		m.render()
		if !m.paused && !m.polling && m.ref != nil {
			m.polling = true
			return m.tick(m.dir, m.poll)
		}
		return nil
	case key.Matches(msg, k.Model):
		if m.c.Workspace == nil || len(m.runs) == 0 {
			return nil
		}
		// From the model picked, even when it failed to load, so a broken
		// run can be stepped over.
		cur := m.pick.id
		if m.pick.auto {
			cur = defaultModel(m.runs)
		}
		m.pick = pick{id: nextModel(m.runs, cur)}
		m.batchJob.Cancel()
		m.batchJob = ui.Job{}
		m.ref, m.model, m.entries, m.err = nil, nil, nil, nil
		m.render()
		return m.startSetup()
	case key.Matches(msg, k.Reload):
		if m.c.Workspace == nil {
			return nil
		}
		m.batchJob.Cancel()
		m.batchJob = ui.Job{}
		return m.startSetup()
	default:
		return nil
	}
	m.render()
	return nil
}

// current returns the index of the batch shown, or -1 with none.
func (m *Model) current() int {
	if len(m.entries) == 0 {
		return -1
	}
	if m.sel < 0 || m.sel >= len(m.entries) {
		return len(m.entries) - 1
	}
	return m.sel
}

// columnNames are the compared columns, in reference order.
func (m *Model) columnNames() []string {
	if m.ref == nil {
		return nil
	}
	return m.ref.Columns()
}

// View implements tea.Model.
func (m *Model) View() string { return m.view }

// render rebuilds the cached view; called whenever data, selection or size
// change.
func (m *Model) render() {
	if m.width == 0 || m.height == 0 {
		m.view = ""
		return
	}
	st := m.c.Styles
	box := func(s string) string {
		return lipgloss.NewStyle().Width(m.width).Height(m.height).MaxHeight(m.height).MaxWidth(m.width).Render(s)
	}
	switch {
	case m.c.Workspace == nil:
		m.view = box(st.Empty.Render(NoWorkspaceText))
		return
	case m.ref == nil && m.err != nil:
		again := "Press r to try again."
		if len(m.runs) > 0 {
			again = "Press r to try again, or m to monitor another model (or none)."
		}
		m.view = box(st.Empty.Render("Monitor: " + m.err.Error() + "\n\n" + again))
		return
	case m.ref == nil:
		m.view = box(st.Empty.Render("Comparing the batches in " + BatchDir + " with the reference…"))
		return
	case len(m.entries) == 0:
		m.view = box(st.Empty.Render(fmt.Sprintf("Reference %s. No batch yet in %s: drop data files there (one per period);\nthey are compared as they arrive.", m.refName, BatchDir)))
		return
	}
	header := m.headerView()
	alertsH := 4
	if m.bigAlerts {
		alertsH = max(4, m.height/2)
	}
	bodyH := max(3, m.height-lipgloss.Height(header)-alertsH)
	var body string
	if m.width >= wideMin {
		leftW := min(64, m.width/2)
		rightW := m.width - leftW - 1
		left := m.tableView(leftW, bodyH)
		graphH := max(4, bodyH/2)
		right := lipgloss.JoinVertical(lipgloss.Left, m.graphView(rightW, graphH), m.histView(rightW, bodyH-graphH))
		body = lipgloss.JoinHorizontal(lipgloss.Top, fit(left, leftW, bodyH), " ", fit(right, rightW, bodyH))
	} else {
		tableH := bodyH
		graph := ""
		if bodyH >= 14 {
			tableH = bodyH - 7
			graph = m.graphView(m.width, 7)
		}
		body = lipgloss.JoinVertical(lipgloss.Left, fit(m.tableView(m.width, tableH), m.width, tableH), graph)
	}
	m.view = box(lipgloss.JoinVertical(lipgloss.Left, header, fit(body, m.width, bodyH), m.alertsView(m.width, alertsH)))
}

// fit pads or cuts s to exactly w×h cells.
func fit(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i, l := range lines {
		l = ansi.Truncate(l, w, "")
		if pad := w - ansi.StringWidth(l); pad > 0 {
			l += strings.Repeat(" ", pad)
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}

func (m *Model) headerView() string {
	st := m.c.Styles
	cur := m.current()
	e := m.entries[cur]
	live := "live"
	switch {
	case m.paused:
		live = "paused (p)"
	case m.batchJob.Running():
		live = "live, comparing…"
	}
	line1 := st.Muted.Render(fmt.Sprintf("Reference %s (%s rows)%sCurrent %s: %d batches%s%s",
		m.refName, ui.Thousands(int64(m.ref.Rows())), st.Glyphs.Sep, BatchDir, len(m.entries), st.Glyphs.Sep, live))
	var verdict string
	if e.err != nil {
		verdict = st.Warn.Render(fmt.Sprintf("%s: not compared: %v", e.name, e.err))
	} else {
		r := e.rep
		tag := st.Good.Render("no dataset drift")
		if r.DatasetDrift {
			tag = st.Bad.Bold(true).Render("DATASET DRIFT")
		}
		follow := ""
		if m.sel < 0 {
			follow = " (latest)"
		}
		verdict = fmt.Sprintf("%s%s: %s %s", st.Title.Render(e.name), follow, tag,
			st.Muted.Render(fmt.Sprintf("%d of %d columns drifted (%.0f%%, threshold %.0f%%), %s rows", r.Drifted, r.Compared, 100*r.Share, 100*r.ShareThreshold, ui.Thousands(int64(r.CurrentN)))))
	}
	lines := []string{ansi.Truncate(line1, m.width, ""), ansi.Truncate(verdict, m.width, "")}
	if ml := m.modelLine(e); ml != "" {
		lines = append(lines, ansi.Truncate(ml, m.width, ""))
	}
	if m.err != nil {
		lines = append(lines, ansi.Truncate(st.Warn.Render("alerts: "+m.err.Error()), m.width, ""))
	}
	return strings.Join(lines, "\n")
}

// modelLine describes the monitored model and its metric by batch, up to
// the batch shown: "" when the workspace has no run to monitor.
func (m *Model) modelLine(e entry) string {
	st := m.c.Styles
	if m.model == nil {
		if len(m.runs) == 0 {
			return ""
		}
		return st.Muted.Render(fmt.Sprintf("No model monitored: m picks one of %d runs (prediction drift and its metric per batch).", len(m.runs)))
	}
	mi := m.model
	r := mi.run
	head := st.Title.Render("Model") + " " + fmt.Sprintf("%s %s", r.Model, r.ID) + st.Muted.Render(" (m)")
	vals := make([]float64, len(m.entries))
	for i, x := range m.entries {
		vals[i] = mi.metricValue(x)
	}
	var met string
	hasGoal := mi.threshold == mi.threshold
	switch {
	case e.met != nil:
		v := mi.metricValue(e)
		text := fmt.Sprintf("%s %s", mi.metric, fmtNum(v))
		bad := hasGoal && v == v && ((mi.higher && v < mi.threshold) || (!mi.higher && v > mi.threshold))
		switch {
		case bad && mi.higher:
			met = st.Bad.Bold(true).Render(text + " BELOW " + fmtNum(mi.threshold))
		case bad:
			met = st.Bad.Bold(true).Render(text + " ABOVE " + fmtNum(mi.threshold))
		case hasGoal:
			met = st.Good.Render(text) + st.Muted.Render(" (goal "+fmtNum(mi.threshold)+")")
		default:
			met = text
		}
	case e.metErr != "":
		met = st.Muted.Render(mi.metric + ": " + e.metErr)
	default:
		met = st.Muted.Render(mi.metric + ": -")
	}
	return head + st.Glyphs.Sep + met + " " + st.Panel.Bar.Render(m.sparkline(vals, min(len(vals), 24)))
}

// scores returns the named column's score in every batch (NaN where not
// compared).
func (m *Model) scores(name string) []float64 {
	out := make([]float64, len(m.entries))
	for i, e := range m.entries {
		out[i] = nan
		if e.rep == nil {
			continue
		}
		if c, ok := e.rep.Column(name); ok && c.Error == "" {
			out[i] = c.Score
		}
	}
	return out
}

var nan = func() float64 { var z float64; return z / z }()

var sparkRunes = []rune("▁▂▃▄▅▆▇█")

func (m *Model) sparkline(x []float64, width int) string {
	if len(x) > width {
		x = x[len(x)-width:]
	}
	lo, hi := 0.0, 0.0
	first := true
	for _, v := range x {
		if v != v || v > 1e308 {
			continue
		}
		if first || v < lo {
			lo = v
		}
		if first || v > hi {
			hi = v
		}
		first = false
	}
	runes := sparkRunes
	if m.c.Styles.Name == "nocolor" {
		runes = []rune("_.-=^")
	}
	var b strings.Builder
	for _, v := range x {
		switch {
		case v != v || v > 1e308:
			b.WriteRune(' ')
		case hi == lo:
			b.WriteRune(runes[0])
		default:
			b.WriteRune(runes[int((v-lo)/(hi-lo)*float64(len(runes)-1)+0.5)])
		}
	}
	return b.String()
}

func fmtNum(v float64) string {
	switch {
	case v != v:
		return "-"
	case v > 1e308:
		return "inf"
	case v != 0 && v < 0.001 && v > -0.001:
		return fmt.Sprintf("%.1e", v)
	}
	return fmt.Sprintf("%.3f", v)
}

func shortMethod(m drift.Method) string {
	switch m {
	case drift.JS:
		return "jensen-sh"
	case drift.Wasserstein:
		return "wasserst"
	case drift.ChiSquare:
		return "chi2"
	}
	return string(m)
}

func (m *Model) tableView(w, h int) string {
	st := m.c.Styles
	e := m.entries[m.current()]
	names := m.columnNames()
	nameW := 16
	sparkW := max(4, w-nameW-32)
	head := fmt.Sprintf("%-*s %-9s %6s %6s %-5s %s", nameW, "column", "method", "score", "thresh", "state", "trend")
	lines := []string{st.Table.Header.Render(ansi.Truncate(head, w, ""))}
	rows := h - 1
	top := 0
	if m.col >= rows {
		top = m.col - rows + 1
	}
	for i := top; i < len(names) && i < top+rows; i++ {
		name := names[i]
		var c drift.Column
		ok := false
		if e.rep != nil {
			c, ok = e.rep.Column(name)
		}
		label := ui.Printable(name)
		if ok && c.Role != "" && c.Role != "feature" {
			label = name + "*"
		}
		label = ansi.Truncate(label, nameW, st.Glyphs.Ellipsis)
		state := st.Good.Render(fmt.Sprintf("%-5s", "ok"))
		var line string
		switch {
		case !ok:
			line = fmt.Sprintf("%-*s %s", nameW, label, st.Muted.Render("not compared"))
		case c.Error != "":
			line = fmt.Sprintf("%-*s %s", nameW, label, st.Warn.Render(ansi.Truncate(c.Error, w-nameW-1, st.Glyphs.Ellipsis)))
		default:
			if c.Drift {
				state = st.Bad.Bold(true).Render(fmt.Sprintf("%-5s", "DRIFT"))
			}
			line = fmt.Sprintf("%-*s %-9s %6s %6s %s %s", nameW, label, shortMethod(c.Method), fmtNum(c.Score), fmtNum(c.Threshold), state,
				st.Panel.Bar.Render(m.sparkline(m.scores(name), sparkW)))
		}
		if i == m.col {
			line = st.Table.CursorCell.Render(ansi.Truncate(ansi.Strip(line), w, ""))
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func (m *Model) graphView(w, h int) string {
	st := m.c.Styles
	names := m.columnNames()
	if len(names) == 0 || h < 3 || w < 20 {
		return ""
	}
	name := names[min(m.col, len(names)-1)]
	x := m.scores(name)
	var c drift.Column
	for _, e := range m.entries {
		if e.rep != nil {
			if cc, ok := e.rep.Column(name); ok && cc.Error == "" {
				c = cc
			}
		}
	}
	title := st.Title.Render(ui.Printable(name)) + st.Muted.Render(fmt.Sprintf(" %s score by batch, threshold %s", c.Method, fmtNum(c.Threshold)))
	metricMode := false
	if mi := m.model; mi != nil && name == mi.scorer.Column() {
		metricMode = true
		// On the prediction row: the model's metric by batch, with the
		// card's goal as the flat line.
		for i, e := range m.entries {
			x[i] = mi.metricValue(e)
		}
		c.Threshold = mi.threshold
		title = st.Title.Render(mi.metric) + st.Muted.Render(fmt.Sprintf(" of model %s by batch, goal %s", mi.run.ID, fmtNum(mi.threshold)))
	}
	clean := make([]float64, 0, len(x))
	for _, v := range x {
		if v == v && v < 1e308 {
			clean = append(clean, v)
		}
	}
	if len(clean) == 0 {
		return ansi.Truncate(title, w, "") + "\n" + st.Muted.Render("no score yet")
	}
	thr := c.Threshold
	if thr != thr {
		thr = 0
	}
	th := make([]float64, len(clean))
	for i := range th {
		th[i] = thr
	}
	plotW := max(4, w-12)
	if len(clean) > plotW {
		plotW = len(clean)
	}
	series, opts, foot := [][]float64{clean, th}, []asciigraph.Option{asciigraph.LowerBound(0)}, "; flat line: threshold"
	if metricMode {
		// The metric on its own range (with the goal line if any).
		opts, foot = nil, "; flat line: goal"
		if c.Threshold != c.Threshold {
			series, foot = [][]float64{clean}, ""
		}
	}
	opts = append(opts, asciigraph.Height(max(2, h-2)), asciigraph.Width(plotW), asciigraph.Precision(2))
	g := asciigraph.PlotMany(series, opts...)
	return ansi.Truncate(title, w, "") + "\n" + st.Panel.Bar.Render(g) + "\n" + st.Muted.Render(ansi.Truncate(fmt.Sprintf("batches 1–%d%s", len(clean), foot), w, ""))
}

func (m *Model) histView(w, h int) string {
	st := m.c.Styles
	names := m.columnNames()
	e := m.entries[m.current()]
	if len(names) == 0 || h < 3 || e.hists == nil {
		return ""
	}
	name := names[min(m.col, len(names)-1)]
	hg, ok := e.hists[name]
	if !ok {
		return st.Muted.Render("no histogram for " + name)
	}
	labelW := 10
	barW := max(3, (w-labelW-4)/2-6)
	lines := []string{st.Muted.Render(fmt.Sprintf("%-*s %-*s %-*s", labelW, ui.Printable(name), barW+6, "reference", barW+6, ui.Printable(e.name)))}
	bar := st.Glyphs.Bar
	for i := 0; i < len(hg.Labels) && len(lines) < h; i++ {
		r := strings.Repeat(bar, int(hg.Ref[i]*float64(barW)+0.5))
		c := strings.Repeat(bar, int(hg.Cur[i]*float64(barW)+0.5))
		lines = append(lines, fmt.Sprintf("%-*s %s %s %s %s", labelW, ansi.Truncate(ui.Printable(hg.Labels[i]), labelW, st.Glyphs.Ellipsis),
			st.Muted.Render(fmt.Sprintf("%4.0f%%", 100*hg.Ref[i])), st.Panel.Label.Render(fmt.Sprintf("%-*s", barW, r)),
			st.Muted.Render(fmt.Sprintf("%4.0f%%", 100*hg.Cur[i])), st.Panel.Bar.Render(c)))
	}
	return strings.Join(lines, "\n")
}

func (m *Model) alertsView(w, h int) string {
	st := m.c.Styles
	lines := []string{st.Title.Render("Alerts") + st.Muted.Render(fmt.Sprintf(" (%d, saved in %s)", len(m.alerts), AlertsFile))}
	for i := len(m.alerts) - 1; i >= 0 && len(lines) < h; i-- {
		a := m.alerts[i]
		what := ui.Printable(a.Column)
		if what == "" {
			what = "dataset"
		}
		prev := ""
		if a.Previous != nil {
			prev = fmtNum(*a.Previous) + " → "
		}
		how := string(a.Method)
		if a.Model != "" {
			how = "run " + a.Model
		}
		text := fmt.Sprintf("%s  %-16s %-17s %s%s (threshold %s) %s", a.Time.Format("2006-01-02 15:04"), ui.Printable(a.Window), what, prev, fmtNum(a.Score), fmtNum(a.Threshold), how)
		s := st.Warn
		if a.Kind == drift.AlertRecovered || a.Kind == drift.AlertDatasetRecovered {
			s = st.Good
		}
		lines = append(lines, s.Render(ansi.Truncate(fmt.Sprintf("%-9s %s", kindText(a.Kind), text), w, st.Glyphs.Ellipsis)))
	}
	return fit(strings.Join(lines, "\n"), w, h)
}

func kindText(k string) string {
	switch k {
	case drift.AlertDrift:
		return "drift"
	case drift.AlertRecovered:
		return "recovered"
	case drift.AlertDatasetDrift:
		return "DATASET"
	case drift.AlertDatasetRecovered:
		return "dataset ok"
	case drift.AlertMetric:
		return "METRIC"
	case drift.AlertMetricRecovered:
		return "metric ok"
	}
	return k
}
