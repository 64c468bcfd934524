// Package train is the Train screen: a form to choose the target, the
// model, its parameters, the validation and the seed (defaults from the
// project card); runs that start in the background and queue behind each
// other, with a progress bar per fold and the live learning curve (training
// and validation loss per boosting round or tree) of the fold being fitted;
// and a leaderboard of the workspace's runs sorted by the card's metric
// (mean ± std, duration, a sparkline of the fold scores), where two marked
// runs can be compared side by side.
//
// The pipeline field chooses the feature preparation as `mlwb train
// --pipeline` does (workspace.ResolvePrep): auto (the pipeline saved on the
// Features screen for the dataset, else the default pipeline), saved,
// default or raw; the features are the selection saved for the dataset and
// target, if any, else every column but the excluded ones. The line under
// the form says what that resolves to.
//
// Runs go through engine/train and are saved with workspace.SaveRun, exactly
// as `mlwb train` does. Without a workspace (a file opened by path) runs are
// kept in memory only. Progress reaches the screen through a channel drained
// by a re-issued wait command; esc (handled by the root) cancels the running
// job, and the queue is cleared with it.
package train

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
	etrain "github.com/mlwb/mlwb/engine/train"
	"github.com/mlwb/mlwb/engine/validate"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/workspace"
)

// EmptyText is shown when no dataset is open.
const EmptyText = "No dataset selected — open one on the Project screen (1), or run `mlwb train --data FILE`"

// pane is what has the keyboard.
type pane int

const (
	paneForm pane = iota
	paneBoard
)

func (p pane) String() string {
	if p == paneForm {
		return "form"
	}
	return "runs"
}

// field is a row of the form.
type field int

const (
	fieldTarget field = iota
	fieldModel
	fieldParams
	fieldValidation
	fieldPrep
	fieldSeed
	fieldExclude
	numFields
)

var fieldNames = [numFields]string{"target", "model", "params", "validation", "pipeline", "seed", "exclude"}

func (f field) String() string { return fieldNames[f] }

// text fields and their input index.
func (f field) input() int {
	switch f {
	case fieldParams:
		return 0
	case fieldSeed:
		return 1
	case fieldExclude:
		return 2
	}
	return -1
}

// valOption is one validation choice of the form.
type valOption struct {
	label string
	spec  validate.Spec // K-fold specs are stratified for classification
}

var valOptions = []valOption{
	{"5-fold (default)", validate.Spec{}},
	{"10-fold", validate.Spec{Scheme: validate.StratifiedKFold, K: 10}},
	{"3-fold", validate.Spec{Scheme: validate.StratifiedKFold, K: 3}},
	{"5-fold shuffled", validate.Spec{Scheme: validate.StratifiedKFold, K: 5, Shuffle: true}},
	{"3×5-fold repeated", validate.Spec{Scheme: validate.RepeatedStratifiedKFold, K: 5, Repeats: 3}},
	{"holdout 20%", validate.Spec{Scheme: validate.Holdout, Fraction: 0.2, Stratify: true}},
	{"holdout 33%", validate.Spec{Scheme: validate.Holdout, Fraction: 1.0 / 3, Stratify: true}},
	{"bootstrap ×30", validate.Spec{Scheme: validate.Bootstrap, B: 30}},
}

// request is one run asked for.
type request struct {
	seq      int
	target   string
	model    string
	params   map[string]string
	spec     validate.Spec
	seed     uint64
	exclude  []string
	prep     etrain.PrepMode
	expected int // iterations per fit (n_estimators), 0 when unknown
}

func (r request) label() string {
	return fmt.Sprintf("#%d %s → %s", r.seq, r.model, r.target)
}

// foldState is the progress of one fold.
type foldState struct {
	iters   int
	started bool
	done    bool
	score   float64
}

// live is the running run.
type live struct {
	req   request
	jobID int
	folds []foldState // grows as Event.Folds is learnt
	cur   int         // fold being fitted; -1: the final fit
	final bool        // the final fit has started
	curve []etrain.Point
	start time.Time
}

// Messages.
type (
	// eventsMsg carries progress events streamed by job jobID.
	eventsMsg struct {
		jobID  int
		events []etrain.Event
		closed bool
	}
	// doneMsg is the end of a run.
	doneMsg struct {
		jobID   int
		run     *workspace.Run
		err     error
		saveErr error
	}
	// prepMsg is the feature preparation the form resolves to (gen: the
	// form state it was asked for).
	prepMsg struct {
		gen  int
		prep *workspace.Prep
		err  error
	}
	// runsMsg carries the workspace's runs.
	runsMsg struct {
		runs []workspace.Run
		warn []string
		err  error
	}
)

// stream passes results from a job's goroutine to the UI (see ui.Stream),
// tagged with the job's id so that stale ones are dropped.
type stream struct {
	*ui.Stream[etrain.Event]
	jobID int
}

func newStream() *stream { return &stream{Stream: ui.NewStream[etrain.Event]()} }

// wait is the command that delivers the next batch; it is re-issued until
// the job closes the stream.
func (s *stream) wait() tea.Msg {
	items, closed := s.Next()
	return eventsMsg{jobID: s.jobID, events: items, closed: closed}
}

// Model is the Train screen.
type Model struct {
	c    ui.Common
	keys KeyMap

	width, height int
	version       string

	name string // dataset name or file path
	f    *frame.Frame
	cols []string
	seq  int // counts loads of runs, to drop stale answers

	target  int // index into cols
	model   int // index into models.Names()
	valIdx  int
	prepIdx int // index into etrain.PrepModes
	// prep is what the form's pipeline and features resolve to (nil while
	// unknown), prepErr why they do not; prepGen counts the requests.
	prep    *workspace.Prep
	prepErr error
	prepGen int
	inputs  [3]textinput.Model
	field   field
	editing bool
	focus   pane
	formErr string

	run     *live
	job     ui.Job
	stream  *stream
	queue   []request
	nextSeq int
	note    string

	runs    []workspace.Run // leaderboard order
	scratch []workspace.Run // runs without a workspace
	metric  string
	cur     int
	top     int
	marked  []string
	compare *workspace.Comparison

	rendered string
}

// New returns the Train screen with no dataset.
func New(c ui.Common) *Model {
	m := &Model{c: c, keys: DefaultKeyMap(), nextSeq: 1}
	ph := [3]string{"name=value …", "0", "columns to leave out"}
	val := [3]string{"", "0", ""}
	for i := range m.inputs {
		m.inputs[i] = newInput(c.Styles, val[i], ph[i])
	}
	m.model = slices.Index(models.Names(), "gbdt")
	if m.model < 0 {
		m.model = 0
	}
	return m
}

func newInput(st *themes.Styles, value, placeholder string) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.PromptStyle = st.Input.Prompt
	in.TextStyle = st.Input.Text
	in.PlaceholderStyle = st.Input.Placeholder
	in.Cursor.Style = st.Input.Text.Reverse(true)
	in.Cursor.TextStyle = st.Input.Text
	in.Cursor.SetMode(cursor.CursorStatic)
	in.Placeholder = placeholder
	in.SetValue(value)
	in.CursorEnd()
	return in
}

// SetVersion sets the mlwb version recorded in the runs this screen saves.
func (m *Model) SetVersion(v string) { m.version = v }

// Title implements ui.Screen.
func (m *Model) Title() string { return "Train" }

// Capturing implements ui.Screen: true while a text field is edited.
func (m *Model) Capturing() bool { return m.editing }

// HasPanes implements ui.Panes: tab moves between the form and the
// leaderboard once a dataset is open.
func (m *Model) HasPanes() bool { return m.f != nil }

// Running reports whether a run is in progress.
func (m *Model) Running() bool { return m.run != nil }

// Queued returns the number of runs waiting.
func (m *Model) Queued() int { return len(m.queue) }

// Runs returns the leaderboard, best first.
func (m *Model) Runs() []workspace.Run { return m.runs }

// Init implements tea.Model: it loads the workspace's runs.
func (m *Model) Init() tea.Cmd { return m.loadRuns() }

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
		m.applyCard()
		cmd = tea.Batch(m.loadRuns(), m.resolvePrep())
	case runsMsg:
		m.onRuns(msg)
	case prepMsg:
		if msg.gen == m.prepGen {
			m.prep, m.prepErr = msg.prep, msg.err
		}
	case eventsMsg:
		cmd = m.onEvents(msg)
	case doneMsg:
		cmd = m.onDone(msg)
	case tea.KeyMsg:
		cmd = m.onKey(msg)
	default:
		return m, nil
	}
	m.refresh()
	return m, cmd
}

func (m *Model) onLoaded(msg ui.DatasetLoadedMsg) tea.Cmd {
	if msg.Err != nil || msg.Frame == nil {
		m.f, m.name, m.cols = nil, msg.Name, nil
		return nil
	}
	m.f, m.name = msg.Frame, msg.Name
	m.cols = m.cols[:0]
	var text []string
	for _, c := range m.f.Columns() {
		m.cols = append(m.cols, c.Name())
		if c.Type() == frame.String {
			text = append(text, c.Name())
		}
	}
	m.target = len(m.cols) - 1
	m.applyCard()
	// Text columns have no encoder here: leave them out by default.
	m.inputs[2].SetValue(strings.Join(text, ","))
	m.inputs[2].CursorEnd()
	m.formErr = ""
	return tea.Batch(m.loadRuns(), m.resolvePrep())
}

// prepRequest is what the form asks of workspace.ResolvePrep, with the
// dataset name still to be looked up.
func (m *Model) prepRequest() workspace.PrepRequest {
	req := workspace.PrepRequest{Mode: etrain.PrepModes[m.prepIdx], Frame: m.f}
	if m.target >= 0 && m.target < len(m.cols) {
		req.Target = m.cols[m.target]
	}
	req.Exclude = m.excluded(req.Target)
	return req
}

// excluded returns the columns of the exclude field, but the target.
func (m *Model) excluded(target string) []string {
	var out []string
	for _, c := range strings.Split(m.inputs[2].Value(), ",") {
		if c = strings.TrimSpace(c); c != "" && c != target {
			out = append(out, c)
		}
	}
	return out
}

// resolvePrep resolves the form's preparation off the UI goroutine (it
// reads the saved pipeline and selections).
func (m *Model) resolvePrep() tea.Cmd {
	if m.f == nil {
		return nil
	}
	m.prepGen++
	gen, ws, name, req := m.prepGen, m.c.Workspace, m.name, m.prepRequest()
	return func() tea.Msg {
		p, err := resolvePrep(ws, name, req)
		return prepMsg{gen: gen, prep: p, err: err}
	}
}

// resolvePrep resolves req for the dataset or file name.
func resolvePrep(ws *workspace.Workspace, name string, req workspace.PrepRequest) (*workspace.Prep, error) {
	if ws != nil {
		if d, err := ws.DatasetRef(name); err == nil {
			req.Dataset = d.Ref()
		}
	}
	return workspace.ResolvePrep(ws, req)
}

// applyCard takes the target and metric from the project card.
func (m *Model) applyCard() {
	ws := m.c.Workspace
	if ws == nil {
		return
	}
	card := ws.Card()
	if i := slices.Index(m.cols, card.Target); i >= 0 && card.Target != "" {
		m.target = i
	}
	if card.Metric.Name != "" {
		m.metric = card.Metric.Name
	}
}

// loadRuns reads the workspace's runs off the UI goroutine.
func (m *Model) loadRuns() tea.Cmd {
	ws := m.c.Workspace
	if ws == nil {
		m.onRuns(runsMsg{runs: m.scratch})
		return nil
	}
	return func() tea.Msg {
		runs, warn, err := ws.Runs()
		return runsMsg{runs: runs, warn: warn, err: err}
	}
}

func (m *Model) onRuns(msg runsMsg) {
	if msg.err != nil {
		m.note = "runs: " + msg.err.Error()
		return
	}
	if len(msg.warn) > 0 {
		m.note = msg.warn[0]
	}
	var sel string
	if m.cur < len(m.runs) {
		sel = m.runs[m.cur].ID
	}
	want := "" // without a card metric: the newest run's task's primary metric
	if ws := m.c.Workspace; ws != nil {
		want = ws.Card().Metric.Name
	}
	m.runs, m.metric = workspace.Leaderboard(msg.runs, want)
	m.cur = 0
	for i, r := range m.runs {
		if r.ID == sel {
			m.cur = i
		}
	}
	m.marked = slices.DeleteFunc(m.marked, func(id string) bool {
		return !slices.ContainsFunc(m.runs, func(r workspace.Run) bool { return r.ID == id })
	})
	if m.compare != nil && len(m.marked) < 2 {
		m.compare = nil
	}
}

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if m.editing {
		if key.Matches(msg, k.StopEdit) || msg.Type == tea.KeyEnter {
			m.stopEdit()
			if m.field == fieldExclude {
				return m.resolvePrep()
			}
			return nil
		}
		var cmd tea.Cmd
		i := m.field.input()
		m.inputs[i], cmd = m.inputs[i].Update(msg)
		return cmd
	}
	if m.f == nil {
		return nil
	}
	switch {
	case key.Matches(msg, k.Pane):
		m.focus = 1 - m.focus
		return nil
	case key.Matches(msg, k.Train):
		return m.submit()
	}
	if m.focus == paneForm {
		return m.onFormKey(msg)
	}
	return m.onBoardKey(msg)
}

func (m *Model) onFormKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.field = (m.field + numFields - 1) % numFields
	case key.Matches(msg, k.Down):
		m.field = (m.field + 1) % numFields
	case key.Matches(msg, k.Left):
		return m.cycle(-1)
	case key.Matches(msg, k.Right):
		return m.cycle(1)
	case key.Matches(msg, k.Edit):
		if i := m.field.input(); i >= 0 {
			m.editing = true
			m.inputs[i].Focus()
			m.inputs[i].CursorEnd()
		} else {
			return m.cycle(1)
		}
	}
	return nil
}

// cycle moves a choice field by d; a new target or pipeline is resolved
// again.
func (m *Model) cycle(d int) tea.Cmd {
	m.formErr = ""
	switch m.field {
	case fieldTarget:
		if n := len(m.cols); n > 0 {
			m.target = (m.target + d + n) % n
		}
		return m.resolvePrep()
	case fieldModel:
		n := len(models.Names())
		m.model = (m.model + d + n) % n
	case fieldValidation:
		n := len(valOptions)
		m.valIdx = (m.valIdx + d + n) % n
	case fieldPrep:
		n := len(etrain.PrepModes)
		m.prepIdx = (m.prepIdx + d + n) % n
		return m.resolvePrep()
	}
	return nil
}

func (m *Model) stopEdit() {
	m.editing = false
	for i := range m.inputs {
		m.inputs[i].Blur()
	}
}

func (m *Model) onBoardKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	n := len(m.runs)
	switch {
	case key.Matches(msg, k.Up):
		m.cur = max(0, m.cur-1)
	case key.Matches(msg, k.Down):
		m.cur = max(0, min(n-1, m.cur+1))
	case key.Matches(msg, k.Top):
		m.cur = 0
	case key.Matches(msg, k.Bottom):
		m.cur = max(0, n-1)
	case key.Matches(msg, k.Mark):
		if m.cur < n {
			id := m.runs[m.cur].ID
			if i := slices.Index(m.marked, id); i >= 0 {
				m.marked = slices.Delete(m.marked, i, i+1)
			} else {
				m.marked = append(m.marked, id)
				if len(m.marked) > 2 {
					m.marked = m.marked[len(m.marked)-2:]
				}
			}
			m.compare = nil
		}
	case key.Matches(msg, k.Compare):
		if m.compare != nil {
			m.compare = nil
			return nil
		}
		if len(m.marked) != 2 {
			m.note = "mark two runs with space to compare them"
			return nil
		}
		var a, b workspace.Run
		for _, r := range m.runs {
			switch r.ID {
			case m.marked[0]:
				a = r
			case m.marked[1]:
				b = r
			}
		}
		c := workspace.CompareRuns(a, b)
		m.compare = &c
	case key.Matches(msg, k.Refresh):
		return m.loadRuns()
	}
	return nil
}

// request builds a run request from the form.
func (m *Model) request() (request, error) {
	var r request
	if m.target < 0 || m.target >= len(m.cols) {
		return r, fmt.Errorf("no target column")
	}
	r.target = m.cols[m.target]
	r.model = models.Names()[m.model]
	r.params = map[string]string{}
	for _, kv := range strings.Fields(m.inputs[0].Value()) {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			return r, fmt.Errorf("params: %q is not name=value", kv)
		}
		r.params[name] = value
	}
	probe, err := models.New(r.model, r.params, 0)
	if err != nil {
		return r, err
	}
	for _, p := range probe.Params() {
		if p.Name == "n_estimators" {
			r.expected, _ = strconv.Atoi(p.Value)
		}
	}
	seed := strings.TrimSpace(m.inputs[1].Value())
	if seed == "" {
		seed = "0"
	}
	if r.seed, err = strconv.ParseUint(seed, 10, 64); err != nil {
		return r, fmt.Errorf("seed %q is not a non-negative integer", seed)
	}
	r.exclude = m.excluded(r.target)
	r.prep = etrain.PrepModes[m.prepIdx]
	r.spec = valOptions[m.valIdx].spec
	r.spec.Seed = r.seed
	if r.spec.Scheme == validate.StratifiedKFold && r.spec.K > 0 {
		if col, _ := m.f.Column(r.target); col != nil {
			if task, _, err := models.DetectTask(col); err == nil && task == models.Regression {
				r.spec.Scheme = validate.KFold
			}
		}
	}
	return r, nil
}

// submit starts a run, or queues it behind the running one.
func (m *Model) submit() tea.Cmd {
	r, err := m.request()
	if err != nil {
		m.formErr = err.Error()
		return nil
	}
	if m.prepErr != nil {
		// The line under the form shows it cut; the error view in full.
		err := m.prepErr
		return func() tea.Msg { return ui.ErrorMsg{Err: err} }
	}
	m.formErr = ""
	r.seq = m.nextSeq
	m.nextSeq++
	if m.run != nil {
		m.queue = append(m.queue, r)
		m.note = fmt.Sprintf("queued %s (%d waiting)", r.label(), len(m.queue))
		return nil
	}
	return m.start(r)
}

// start runs r in the background.
func (m *Model) start(r request) tea.Cmd {
	f, ws, name, version := m.f, m.c.Workspace, m.name, m.version
	job := etrain.Job{Frame: f, Target: r.target, Model: r.model, Params: maps.Clone(r.params), Seed: r.seed,
		Exclude: slices.Clone(r.exclude), Validation: r.spec, Final: ws != nil}
	preq := workspace.PrepRequest{Mode: r.prep, Frame: f, Target: r.target, Exclude: slices.Clone(r.exclude)}
	if ws != nil {
		card := ws.Card()
		if card.Task == workspace.TaskRegression && card.Target == r.target {
			t := models.Regression
			job.Task = &t
		}
	}
	s := newStream()
	jb, cmd := m.c.StartJob("training "+r.label(), func(ctx context.Context, id int, progress func(done, total int64)) tea.Msg {
		defer s.Close()
		var done int64
		j := job
		// Resolved again now: the saved files may have changed since the
		// form showed them.
		prep, err := resolvePrep(ws, name, preq)
		if err != nil {
			return doneMsg{jobID: id, err: err}
		}
		j.Features, j.Prep = prep.Features, prep.Preparer(j.Seed)
		j.Progress = func(e etrain.Event) {
			s.Push(e)
			if e.Phase == etrain.FoldDone && e.Fold >= 0 {
				done++
				progress(done, int64(e.Folds))
			}
		}
		res, err := etrain.Run(ctx, j)
		if err != nil {
			return doneMsg{jobID: id, err: err}
		}
		run := workspace.RunFromResult(res, time.Now())
		run.Seed, run.Version = j.Seed, version
		run.Dataset = workspace.RunDataset{Name: filepath.Base(name), Rows: f.NumRows()}
		msg := doneMsg{jobID: id, run: &run}
		if ws != nil {
			if d, err := ws.DatasetRef(name); err == nil {
				run.Dataset = workspace.RunDataset{Name: d.Name, Version: d.Version, Hash: d.Hash, Rows: d.Rows}
			}
			art, err := workspace.ArtifactsOf(res)
			if err == nil {
				err = ws.SaveRunWith(ctx, &run, art)
			}
			msg.saveErr = err
		}
		return msg
	})
	s.jobID = jb.ID
	m.job, m.stream = jb, s
	m.run = &live{req: r, jobID: jb.ID, cur: 0, start: time.Now()}
	m.note = ""
	return tea.Batch(cmd, s.wait)
}

func (m *Model) onEvents(msg eventsMsg) tea.Cmd {
	if m.run == nil || msg.jobID != m.run.jobID {
		return nil
	}
	for _, e := range msg.events {
		m.apply(e)
	}
	if msg.closed {
		return nil
	}
	return m.stream.wait
}

// apply folds one progress event into the live state.
func (m *Model) apply(e etrain.Event) {
	r := m.run
	if e.Folds > len(r.folds) {
		r.folds = append(r.folds, make([]foldState, e.Folds-len(r.folds))...)
	}
	if e.Fold < 0 {
		if e.Phase == etrain.FoldStart {
			r.final, r.cur, r.curve = true, -1, nil
		}
		if e.Phase == etrain.Iteration {
			r.curve = append(r.curve, etrain.Point{Iter: e.Iter, Train: e.TrainLoss, Valid: e.ValidLoss})
		}
		return
	}
	if e.Fold >= len(r.folds) {
		return
	}
	fs := &r.folds[e.Fold]
	switch e.Phase {
	case etrain.FoldStart:
		fs.started = true
		r.cur, r.curve = e.Fold, nil
	case etrain.Iteration:
		fs.iters = e.Iter + 1
		r.curve = append(r.curve, etrain.Point{Iter: e.Iter, Train: e.TrainLoss, Valid: e.ValidLoss})
	case etrain.FoldDone:
		fs.done = true
		fs.score = e.Metrics[m.metricFor(e.Metrics)]
	}
}

// metricFor returns the leaderboard metric, or the first of a fold's.
func (m *Model) metricFor(ms map[string]float64) string {
	if _, ok := ms[m.metric]; ok && m.metric != "" {
		return m.metric
	}
	for _, name := range []string{"roc_auc", "accuracy", "rmse", "inertia"} {
		if _, ok := ms[name]; ok {
			return name
		}
	}
	return ""
}

func (m *Model) onDone(msg doneMsg) tea.Cmd {
	if m.run == nil || msg.jobID != m.run.jobID {
		return nil
	}
	label := m.run.req.label()
	m.run, m.stream = nil, nil
	if msg.err != nil {
		if ui.IsCanceled(msg.err) {
			m.note = fmt.Sprintf("cancelled %s", label)
			if len(m.queue) > 0 {
				m.note += fmt.Sprintf("; %d queued runs dropped", len(m.queue))
			}
			m.queue = nil
			return nil
		}
		m.note = fmt.Sprintf("%s failed", label)
		err := fmt.Errorf("train %s: %w", label, msg.err)
		return tea.Batch(func() tea.Msg { return ui.ErrorMsg{Err: err} }, m.next())
	}
	m.note = fmt.Sprintf("finished %s", label)
	if msg.saveErr != nil {
		m.note = "run not saved: " + msg.saveErr.Error()
	}
	if m.c.Workspace == nil && msg.run != nil {
		m.scratch = append(m.scratch, *msg.run)
	}
	return tea.Batch(m.loadRuns(), m.next())
}

// next starts the first queued run.
func (m *Model) next() tea.Cmd {
	if len(m.queue) == 0 || m.f == nil {
		return nil
	}
	r := m.queue[0]
	m.queue = m.queue[1:]
	return m.start(r)
}
