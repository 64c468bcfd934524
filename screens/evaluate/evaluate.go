// Package evaluate is the Evaluate screen: pick a training run and see its
// held-out metrics with bootstrap intervals, the ROC, precision–recall,
// calibration, gain and KS curves drawn to the pane, the decision threshold
// moved with ←/→ (confusion matrix, precision, recall and profit per 1,000
// predictions updating at once, the profit-maximising threshold marked),
// fairness across the card's sensitive columns, the worst slices and the
// card's checks; save the threshold with the run and export the report.
package evaluate

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/mlwb/mlwb/engine/metrics"
	"github.com/mlwb/mlwb/engine/report"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/workspace"
)

// Pane is one of the screen's right-hand panes.
type Pane int

// The panes, in tab order.
const (
	PaneMetrics Pane = iota
	PaneCurves
	PaneThreshold
	PaneFairness
	PaneSlices
	PaneExplain
	PaneChecks
	numPanes
)

var paneNames = [...]string{"Metrics", "Curves", "Threshold", "Fairness", "Slices", "Explain", "Checks"}

// String returns the pane's name.
func (p Pane) String() string { return paneNames[p] }

// Bootstrap is the number of replicates behind the screen's intervals.
const Bootstrap = 1000

// KeyMap holds the Evaluate screen's keys.
type KeyMap struct {
	Up, Down    key.Binding // move in the run list
	Eval        key.Binding // enter: evaluate the run under the cursor
	Pane        key.Binding // tab / shift+tab: next / previous pane
	Left, Right key.Binding // lower / raise the threshold; previous / next curve
	Fine        key.Binding // shift+←/→: move the threshold a tenth of a step
	Best        key.Binding // b: threshold to the profit-maximising one
	Save        key.Binding // s: save the threshold with the run
	Export      key.Binding // e: write the report into reports/
	Mark        key.Binding // m: mark the evaluated run to compare
	Explain     key.Binding // x: permutation importance and partial dependence
	Learning    key.Binding // L: learning curve (refits in the background)
	Refresh     key.Binding // r: reload the runs
}

// DefaultKeyMap returns the default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Eval:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "evaluate run")),
		Pane:     key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "next pane")),
		Left:     key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/→", "threshold / curve")),
		Right:    key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "raise threshold / next curve")),
		Fine:     key.NewBinding(key.WithKeys("shift+left", "shift+right"), key.WithHelp("shift+←/→", "fine threshold step")),
		Best:     key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "best threshold")),
		Save:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "save threshold")),
		Export:   key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export report")),
		Mark:     key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "mark to compare")),
		Explain:  key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "explain (importance, PDP)")),
		Learning: key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "learning curve (refits)")),
		Refresh:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload runs")),
	}
}

// evalDoneMsg carries an evaluation back from its job.
type evalDoneMsg struct {
	ID  int
	Ev  *report.Evaluation
	Err error
}

// savedMsg reports a saved threshold.
type savedMsg struct {
	Run string
	T   float64
	Err error
}

// explainDoneMsg carries explanations back from their job.
type explainDoneMsg struct {
	ID  int
	Run string
	Ex  *report.Explanation
	Err error
}

// learningDoneMsg carries a learning curve back from its job.
type learningDoneMsg struct {
	ID     int
	Run    string
	Metric string
	LC     *report.Learning
	Err    error
}

// exportedMsg reports the report files written.
type exportedMsg struct {
	MD, HTML string
	Err      error
}

// Model is the Evaluate screen.
type Model struct {
	c      ui.Common
	keys   KeyMap
	w, h   int
	runs   []workspace.Run
	cursor int
	warn   []string

	job     ui.Job
	loading string // id of the run being evaluated
	ev      *report.Evaluation
	pane    Pane
	curve   int
	charts  []report.Chart

	// Threshold state (binary with scores).
	t       float64
	point   metrics.ThresholdPoint
	fair    []*metrics.FairnessReport
	checks  []report.Check
	tStep   float64
	lo, hi  float64
	marked  *report.Evaluation
	status  string
	content string // cached right pane

	exJob   ui.Job
	lcJob   ui.Job
	feature int // partial dependence feature (index into the importances)
}

// New returns the screen.
func New(c ui.Common) *Model {
	m := &Model{c: c, keys: DefaultKeyMap()}
	m.loadRuns()
	return m
}

// Title implements ui.Screen.
func (m *Model) Title() string { return "Evaluate" }

// Capturing implements ui.Screen: the screen has no text input.
func (m *Model) Capturing() bool { return false }

// HasPanes implements ui.Panes: tab moves between panes once a run is
// evaluated.
func (m *Model) HasPanes() bool { return m.ev != nil }

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements ui.Screen.
func (m *Model) SetSize(w, h int) {
	m.w, m.h = w, h
	m.render()
}

// Threshold returns the current decision threshold.
func (m *Model) Threshold() float64 { return m.t }

// Point returns the classifier's state at the current threshold.
func (m *Model) Point() metrics.ThresholdPoint { return m.point }

// Evaluation returns the evaluation shown (nil before one).
func (m *Model) Evaluation() *report.Evaluation { return m.ev }

func (m *Model) loadRuns() {
	m.runs, m.warn = nil, nil
	ws := m.c.Workspace
	if ws == nil {
		return
	}
	runs, warn, err := ws.Runs()
	if err != nil {
		m.warn = []string{err.Error()}
		return
	}
	var keep []workspace.Run
	for _, r := range runs {
		if r.Task != "clustering" {
			keep = append(keep, r)
		}
	}
	m.runs, _ = workspace.Leaderboard(keep, ws.Card().Metric.Name)
	m.warn = warn
	m.cursor = min(m.cursor, max(len(m.runs)-1, 0))
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case ui.WorkspaceChangedMsg:
		m.loadRuns()
		m.render()
	case evalDoneMsg:
		return m, m.onEval(msg)
	case savedMsg:
		if msg.Err != nil {
			return m, errCmd(msg.Err)
		}
		m.status = fmt.Sprintf("threshold %s saved with run %s", report.Num(msg.T), msg.Run)
		m.ev.Saved = &report.Saved{Threshold: msg.T, Run: msg.Run}
		m.render()
	case explainDoneMsg:
		if msg.ID != m.exJob.ID {
			return m, nil
		}
		m.exJob = ui.Job{}
		if msg.Err != nil {
			m.render()
			return m, errCmd(msg.Err)
		}
		if m.ev != nil && m.ev.Run.ID == msg.Run {
			m.ev.Explain, m.feature = msg.Ex, 0
		}
		m.render()
	case learningDoneMsg:
		if msg.ID != m.lcJob.ID {
			return m, nil
		}
		m.lcJob, m.status = ui.Job{}, ""
		if msg.Err != nil {
			m.render()
			return m, errCmd(msg.Err)
		}
		if m.ev != nil && m.ev.Run.ID == msg.Run {
			m.ev.Learning = msg.LC
			m.charts = append(m.charts, report.LearningChart(msg.LC))
			m.pane, m.curve = PaneCurves, len(m.charts)-1
		}
		m.render()
	case exportedMsg:
		if msg.Err != nil {
			return m, errCmd(msg.Err)
		}
		m.status = "report written: " + msg.HTML
		m.render()
		return m, func() tea.Msg { return ui.StatusMsg{Text: "report written: " + msg.MD + " and " + msg.HTML} }
	case tea.KeyMsg:
		return m, m.onKey(msg)
	}
	return m, nil
}

func errCmd(err error) tea.Cmd { return func() tea.Msg { return ui.ErrorMsg{Err: err} } }

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		if m.cursor > 0 {
			m.cursor--
			m.render()
		}
	case key.Matches(msg, k.Down):
		if m.cursor < len(m.runs)-1 {
			m.cursor++
			m.render()
		}
	case key.Matches(msg, k.Eval):
		return m.evaluate()
	case key.Matches(msg, k.Refresh):
		m.loadRuns()
		m.render()
	case key.Matches(msg, k.Pane):
		if m.ev == nil {
			return nil
		}
		if msg.String() == "shift+tab" {
			m.pane = (m.pane + numPanes - 1) % numPanes
		} else {
			m.pane = (m.pane + 1) % numPanes
		}
		m.render()
	case key.Matches(msg, k.Fine):
		d := m.tStep / 10
		if msg.String() == "shift+left" {
			d = -d
		}
		m.moveThresholdBy(d, m.tStep/10)
	case key.Matches(msg, k.Left), key.Matches(msg, k.Right):
		d := 1
		if key.Matches(msg, k.Left) {
			d = -1
		}
		switch m.pane {
		case PaneCurves:
			if n := len(m.charts); n > 0 {
				m.curve = (m.curve + d + n) % n
				m.render()
			}
		case PaneExplain:
			if m.ev != nil && m.ev.Explain != nil {
				n := len(m.ev.Explain.Importance)
				m.feature = (m.feature + d + n) % n
				m.render()
			}
		default:
			m.moveThreshold(float64(d) * m.tStep)
		}
	case key.Matches(msg, k.Best):
		if m.ev != nil && m.ev.Best != nil {
			m.setThreshold(m.ev.Best.Threshold)
		}
	case key.Matches(msg, k.Explain):
		return m.explain()
	case key.Matches(msg, k.Learning):
		return m.learning()
	case key.Matches(msg, k.Save):
		return m.save()
	case key.Matches(msg, k.Export):
		return m.export()
	case key.Matches(msg, k.Mark):
		if m.ev != nil {
			m.marked = m.ev
			m.status = "run " + m.ev.Run.ID + " marked: evaluate another run to compare"
			m.render()
		}
	}
	return nil
}

func (m *Model) evaluate() tea.Cmd {
	ws := m.c.Workspace
	if ws == nil || len(m.runs) == 0 {
		return nil
	}
	id := m.runs[m.cursor].ID
	m.job.Cancel()
	job, cmd := m.c.StartJob("evaluate "+id, func(ctx context.Context, jid int, progress func(done, total int64)) tea.Msg {
		ev, err := report.Load(ctx, ws, id, report.Options{B: Bootstrap, Progress: progress})
		return evalDoneMsg{ID: jid, Ev: ev, Err: err}
	})
	m.job, m.loading = job, id
	m.render()
	return cmd
}

func (m *Model) onEval(msg evalDoneMsg) tea.Cmd {
	if msg.ID != m.job.ID {
		return nil
	}
	m.job, m.loading = ui.Job{}, ""
	if msg.Err != nil {
		m.render()
		return errCmd(msg.Err)
	}
	m.ev = msg.Ev
	m.curve = 0
	m.status = ""
	if m.marked != nil && m.marked.Run.ID == m.ev.Run.ID {
		m.marked = nil
	}
	m.prepareThreshold()
	m.render()
	return nil
}

// prepareThreshold sets the threshold range and step from the scores and
// puts the threshold at the evaluation's.
func (m *Model) prepareThreshold() {
	ev := m.ev
	r := ev.Report.Ranking
	m.charts = ev.Charts(400)
	if r == nil {
		m.checks = ev.Checks
		return
	}
	ts := r.Thresholds()
	m.lo, m.hi = ts[len(ts)-1], ts[0]
	if ev.Report.Probabilities {
		m.lo, m.hi, m.tStep = 0, 1, 0.01
	} else {
		m.tStep = (m.hi - m.lo) / 100
		if m.tStep == 0 {
			m.tStep = 1
		}
	}
	m.setThreshold(ev.Threshold())
}

func (m *Model) moveThreshold(d float64) { m.moveThresholdBy(d, m.tStep) }

// moveThresholdBy moves the threshold by d and rounds it to a multiple of
// grid, within the scores' range.
func (m *Model) moveThresholdBy(d, grid float64) {
	if m.ev == nil || m.ev.Report.Ranking == nil {
		return
	}
	t := math.Round((m.t+d)/grid) * grid
	m.setThreshold(math.Min(math.Max(t, m.lo), m.hi))
}

// setThreshold moves the threshold to t and recomputes what depends on it:
// the confusion matrix (Ranking.At, O(log n)), fairness and checks (O(n)).
func (m *Model) setThreshold(t float64) {
	ev := m.ev
	r := ev.Report.Ranking
	m.t = t
	m.point = r.ThresholdAt(t, ev.Payoff)
	m.fair = ev.FairnessAt(t)
	m.checks = ev.ChecksAt(t)
	m.render()
}

func (m *Model) explain() tea.Cmd {
	ws := m.c.Workspace
	if m.ev == nil || ws == nil || m.exJob.ID != 0 {
		return nil
	}
	ev, id := m.ev, m.ev.Run.ID
	job, cmd := m.c.StartJob("explain "+id, func(ctx context.Context, jid int, progress func(done, total int64)) tea.Msg {
		ex, err := report.Explain(ctx, ws, ev, report.ExplainOptions{Seed: ev.Run.Seed, Progress: progress})
		return explainDoneMsg{ID: jid, Run: id, Ex: ex, Err: err}
	})
	m.exJob, m.pane = job, PaneExplain
	m.render()
	return cmd
}

func (m *Model) learning() tea.Cmd {
	ws := m.c.Workspace
	if m.ev == nil || ws == nil || m.lcJob.ID != 0 || m.ev.Learning != nil {
		return nil
	}
	run, metric := m.ev.Run, m.ev.Metric
	if _, ok := run.Metric(metric); !ok && len(run.Metrics) > 0 {
		metric = run.Metrics[0].Name
	}
	job, cmd := m.c.StartJob("learning curve "+run.ID, func(ctx context.Context, jid int, progress func(done, total int64)) tea.Msg {
		lc, err := report.LearningCurve(ctx, ws, run, metric, report.LearningOptions{Progress: progress})
		return learningDoneMsg{ID: jid, Run: run.ID, Metric: metric, LC: lc, Err: err}
	})
	m.lcJob = job
	m.status = "learning curve: refitting on 10%..100% of each of 5 folds in the background"
	m.render()
	return cmd
}

func (m *Model) save() tea.Cmd {
	ws := m.c.Workspace
	if m.ev == nil || m.ev.Report.Ranking == nil || ws == nil {
		return nil
	}
	id, t, per := m.ev.Run.ID, m.t, math.NaN()
	if m.ev.HasPayoff {
		per = m.point.Per1000
	}
	return func() tea.Msg {
		return savedMsg{Run: id, T: t, Err: report.SaveThreshold(ws, id, t, per, time.Now())}
	}
}

func (m *Model) export() tea.Cmd {
	ws := m.c.Workspace
	if m.ev == nil || ws == nil {
		return nil
	}
	// The report shows the threshold on screen: a copy of the evaluation
	// with it as the used one.
	ev := *m.ev
	if ev.Report.Ranking != nil {
		ev.Saved = &report.Saved{Threshold: m.t, Run: ev.Run.ID}
		ev.Fairness, ev.Checks = m.fair, m.checks
	}
	_, cmd := m.c.StartJob("export report", func(ctx context.Context, _ int, _ func(done, total int64)) tea.Msg {
		md, html, err := report.Export(ws, &ev, time.Now())
		return exportedMsg{MD: md, HTML: html, Err: err}
	})
	return cmd
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	if m.ev == nil {
		return []key.Binding{k.Down, k.Eval, k.Refresh}
	}
	switch m.pane {
	case PaneThreshold, PaneFairness, PaneChecks:
		return []key.Binding{k.Left, k.Best, k.Save, k.Export, k.Pane}
	case PaneCurves:
		return []key.Binding{k.Left, k.Learning, k.Pane, k.Export}
	case PaneExplain:
		return []key.Binding{k.Explain, k.Left, k.Pane, k.Export}
	}
	return []key.Binding{k.Down, k.Eval, k.Mark, k.Pane, k.Export}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{{k.Up, k.Down, k.Eval, k.Refresh, k.Mark}, {k.Pane, k.Left, k.Right, k.Fine, k.Best, k.Save, k.Explain, k.Learning, k.Export}}
}
