// Package tune is the Tune screen: a study setup form (target from the card,
// model, sampler, pruner, trials, jobs, validation; the model's default
// search space, narrowed with n around the best trial), a study that runs in
// the background on engine/tune and streams every finished trial to the
// screen, and four panes: the trials table (number, parameters, value, state,
// duration), a best-so-far line graph with the intermediate values (running
// CV means) of recent trials, parameter importance (see Importance) and a
// slice view (value against one parameter, a character scatter).
//
// Keys while a study runs: p pauses (no new trial is handed out; running ones
// finish) and resumes, x stops (running trials are cancelled), + adds 10
// trials. P promotes the best trial to a run: it is refitted with the form's
// validation and saved with workspace.SaveRun. With a workspace the study
// lives in studies/<id>/ as `mlwb tune` keeps it (study.json, trials.jsonl),
// so `mlwb tune --resume ID` continues it; without one it is kept in memory.
package tune

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textarea"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
	etrain "github.com/mlwb/mlwb/engine/train"
	etune "github.com/mlwb/mlwb/engine/tune"
	"github.com/mlwb/mlwb/engine/validate"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/workspace"
)

// EmptyText is shown when no dataset is open.
const EmptyText = "No dataset selected — open one on the Project screen (1), or run `mlwb tune --data FILE`"

// pane is what has the keyboard.
type pane int

const (
	paneForm pane = iota
	paneTable
	paneGraph
	paneImportance
	paneSlice
	numPanes
)

var paneNames = [numPanes]string{"setup", "trials", "graph", "importance", "slice"}

func (p pane) String() string { return paneNames[p] }

// field is a row of the setup form.
type field int

const (
	fieldTarget field = iota
	fieldModel
	fieldSampler
	fieldPruner
	fieldTrials
	fieldJobs
	fieldValidation
	numFields
)

var fieldNames = [numFields]string{"target", "model", "sampler", "pruner", "trials", "jobs", "validation"}

func (f field) String() string { return fieldNames[f] }

var trialChoices = []int{10, 20, 30, 50, 100, 200}

type valOption struct {
	label string
	spec  validate.Spec
}

var valOptions = []valOption{
	{"3-fold", validate.Spec{Scheme: validate.StratifiedKFold, K: 3}},
	{"5-fold", validate.Spec{Scheme: validate.StratifiedKFold, K: 5}},
	{"holdout 20%", validate.Spec{Scheme: validate.Holdout, Fraction: 0.2, Stratify: true}},
}

// control is shared by the screen and the study's goroutine: pause, stop
// handing out trials, add trials. The goroutine only reads the model's
// copies, never the model.
type control struct {
	mu        sync.Mutex
	cond      *sync.Cond
	paused    bool
	remaining int
}

func newControl(n int) *control {
	c := &control{remaining: n}
	c.cond = sync.NewCond(&c.mu)
	return c
}

// take waits while paused and returns how many trials to hand out next
// (0: none left or ctx done).
func (c *control) take(ctx context.Context, batch int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.paused && ctx.Err() == nil {
		c.cond.Wait()
	}
	if ctx.Err() != nil {
		return 0
	}
	n := min(batch, c.remaining)
	c.remaining -= n
	return n
}

func (c *control) setPaused(p bool) {
	c.mu.Lock()
	c.paused = p
	c.mu.Unlock()
	c.cond.Broadcast()
}

func (c *control) add(n int) {
	c.mu.Lock()
	c.remaining += n
	c.mu.Unlock()
}

// drain hands out no more trials.
func (c *control) drain() {
	c.mu.Lock()
	c.remaining = 0
	c.mu.Unlock()
}

// wake releases a paused goroutine (after its ctx was cancelled).
func (c *control) wake() { c.cond.Broadcast() }

// Messages.
type (
	trialsMsg struct {
		jobID  int
		trials []etune.TrialResult
	}
	studyDoneMsg struct {
		jobID int
		err   error
	}
	promotedMsg struct {
		jobID int
		runID string
		value float64
		err   error
	}
)

// stream passes finished trials from the study's goroutine to the UI: push
// never blocks; wait blocks until something was pushed or the study ended.
type stream struct {
	mu      sync.Mutex
	pending []etune.TrialResult
	notify  chan struct{}
	done    chan struct{}
	jobID   int
}

func (s *stream) push(t etune.TrialResult) {
	s.mu.Lock()
	s.pending = append(s.pending, t)
	s.mu.Unlock()
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

func (s *stream) wait() tea.Msg {
	select {
	case <-s.notify:
	case <-s.done:
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	msg := trialsMsg{jobID: s.jobID, trials: s.pending}
	s.pending = nil
	if len(msg.trials) == 0 {
		return nil
	}
	return msg
}

// Model is the Tune screen.
type Model struct {
	c    ui.Common
	keys KeyMap

	width, height int
	version       string

	name string
	f    *frame.Frame
	cols []string

	target, model, sampler, pruner, trialsIdx, jobs, valIdx int
	field                                                   field
	pane                                                    pane
	space                                                   *etune.Space
	spaceModel                                              string
	formErr                                                 string
	note                                                    string

	// the study
	studyID    string
	dir        etune.Direction
	metric     string
	trials     []etune.TrialResult
	studySpace *etune.Space
	studyModel string
	// perIter: the study validates on a holdout, so iterative models report
	// a validation loss per iteration (etune.TrainObjective)
	perIter   bool
	running   bool
	paused    bool
	ctl       *control
	job       ui.Job
	stream    *stream
	promoting bool
	promoteID int
	cur, top  int
	sliceIdx  int
	started   time.Time

	editing bool // the space's text is being edited
	ta      textarea.Model

	rendered string
}

// New returns the Tune screen with no dataset.
func New(c ui.Common) *Model {
	m := &Model{c: c, keys: DefaultKeyMap(), trialsIdx: 1}
	m.model = max(0, slices.Index(etune.DefaultModels(), "gbdt"))
	m.sampler = max(0, slices.Index(etune.Samplers(), "tpe"))
	m.pruner = max(0, slices.Index(etune.Pruners(), "none"))
	m.jobs = max(1, runtime.NumCPU())
	m.resetSpace()
	m.ta = textarea.New()
	m.ta.ShowLineNumbers = true
	m.ta.Prompt = ""
	m.ta.CharLimit = 0
	m.ta.Cursor.SetMode(cursor.CursorStatic)
	for _, ts := range []*textarea.Style{&m.ta.FocusedStyle, &m.ta.BlurredStyle} {
		ts.Text, ts.CursorLine, ts.LineNumber = c.Styles.Input.Text, c.Styles.Input.Text, c.Styles.Muted
		ts.Placeholder, ts.CursorLineNumber = c.Styles.Input.Placeholder, c.Styles.Panel.Title
	}
	m.ta.Cursor.Style = c.Styles.Input.Text.Reverse(true)
	return m
}

// SetVersion sets the mlwb version recorded in promoted runs.
func (m *Model) SetVersion(v string) { m.version = v }

// Title implements ui.Screen.
func (m *Model) Title() string { return "Tune" }

// Capturing implements ui.Screen: true while the search space is edited.
func (m *Model) Capturing() bool { return m.editing }

// HasPanes implements ui.Panes: tab moves between the panes once a dataset
// is open.
func (m *Model) HasPanes() bool { return m.f != nil }

// Running reports whether a study is running.
func (m *Model) Running() bool { return m.running }

// Trials returns the trials of the current study.
func (m *Model) Trials() []etune.TrialResult { return m.trials }

// Space returns the search space the next study uses.
func (m *Model) Space() *etune.Space { return m.space }

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize implements ui.Screen.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(0, w), max(0, h)
	m.refresh()
}

// View implements tea.Model.
func (m *Model) View() string { return m.rendered }

func (m *Model) modelName() string { return etune.DefaultModels()[m.model] }

func (m *Model) resetSpace() {
	sp, err := etune.DefaultSpace(m.modelName())
	if err != nil {
		m.formErr = err.Error()
		return
	}
	m.space, m.spaceModel = sp, m.modelName()
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case ui.DatasetLoadedMsg:
		m.onLoaded(msg)
	case ui.WorkspaceChangedMsg:
		m.applyCard()
	case trialsMsg:
		cmd = m.onTrials(msg)
	case studyDoneMsg:
		m.onStudyDone(msg)
	case promotedMsg:
		cmd = m.onPromoted(msg)
	case tea.KeyMsg:
		cmd = m.onKey(msg)
	default:
		return m, nil
	}
	m.refresh()
	return m, cmd
}

func (m *Model) onLoaded(msg ui.DatasetLoadedMsg) {
	if msg.Err != nil || msg.Frame == nil {
		m.f, m.name, m.cols = nil, msg.Name, nil
		return
	}
	m.f, m.name = msg.Frame, msg.Name
	m.cols = m.cols[:0]
	for _, c := range m.f.Columns() {
		m.cols = append(m.cols, c.Name())
	}
	m.target = len(m.cols) - 1
	m.applyCard()
}

func (m *Model) applyCard() {
	if ws := m.c.Workspace; ws != nil {
		if i := slices.Index(m.cols, ws.Card().Target); i >= 0 {
			m.target = i
		}
	}
}

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	if m.f == nil {
		return nil
	}
	k := m.keys
	if m.editing {
		return m.onEditKey(msg)
	}
	switch {
	case msg.String() == "tab":
		m.pane = (m.pane + 1) % numPanes
		return nil
	case msg.String() == "shift+tab":
		m.pane = (m.pane + numPanes - 1) % numPanes
		return nil
	case keyMatches(msg, k.Pause):
		if m.running {
			m.paused = !m.paused
			m.ctl.setPaused(m.paused)
		}
		return nil
	case keyMatches(msg, k.Stop):
		if m.running {
			m.job.Cancel()
			m.ctl.wake()
			m.note = "stopping: running trials are cancelled"
		}
		return nil
	case keyMatches(msg, k.More):
		if m.running {
			m.ctl.add(10)
			m.note = "10 more trials"
		}
		return nil
	case keyMatches(msg, k.Narrow):
		m.narrow()
		return nil
	case keyMatches(msg, k.Promote):
		return m.promote()
	case keyMatches(msg, k.Edit) && m.pane == paneForm:
		m.editing = true
		m.ta.SetValue(m.space.String())
		m.ta.SetWidth(max(10, m.width-2))
		m.ta.SetHeight(max(3, m.height-int(numFields)-6))
		return m.ta.Focus()
	case keyMatches(msg, k.Start):
		if m.pane == paneForm || !m.running {
			return m.start()
		}
		return nil
	}
	switch m.pane {
	case paneForm:
		m.onFormKey(msg)
	case paneTable:
		switch {
		case keyMatches(msg, k.Up):
			m.cur = max(0, m.cur-1)
		case keyMatches(msg, k.Down):
			m.cur = min(max(0, len(m.trials)-1), m.cur+1)
		}
	case paneSlice:
		n := len(m.sliceSpace().Params)
		if n > 0 {
			switch {
			case keyMatches(msg, k.Left), keyMatches(msg, k.Up):
				m.sliceIdx = (m.sliceIdx + n - 1) % n
			case keyMatches(msg, k.Right), keyMatches(msg, k.Down):
				m.sliceIdx = (m.sliceIdx + 1) % n
			}
		}
	}
	return nil
}

// onEditKey handles keys while the space is edited: ctrl+s parses and
// applies it (errors name the line and stay in the editor), esc drops the
// edit.
func (m *Model) onEditKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case keyMatches(msg, m.keys.Apply):
		sp, err := etune.Parse("space", m.ta.Value())
		if err == nil {
			err = checkNames(m.modelName(), sp)
		}
		if err != nil {
			m.formErr = err.Error()
			return nil
		}
		m.space, m.spaceModel = sp, m.modelName()
		m.editing, m.formErr = false, ""
		m.ta.Blur()
		m.note = "search space changed: t starts a study on it"
		return nil
	case keyMatches(msg, m.keys.Cancel):
		m.editing, m.formErr = false, ""
		m.ta.Blur()
		return nil
	}
	var cmd tea.Cmd
	m.ta, cmd = m.ta.Update(msg)
	return cmd
}

// checkNames reports a parameter of sp that model does not have.
func checkNames(model string, sp *etune.Space) error {
	mod, err := models.New(model, nil, 0)
	if err != nil {
		return err
	}
	var known []string
	for _, p := range mod.Params() {
		known = append(known, p.Name)
	}
	return sp.CheckNames(model, known)
}

func (m *Model) onFormKey(msg tea.KeyMsg) {
	k := m.keys
	switch {
	case keyMatches(msg, k.Up):
		m.field = (m.field + numFields - 1) % numFields
	case keyMatches(msg, k.Down):
		m.field = (m.field + 1) % numFields
	case keyMatches(msg, k.Left):
		m.cycle(-1)
	case keyMatches(msg, k.Right):
		m.cycle(1)
	}
}

func wrap(i, d, n int) int { return ((i+d)%n + n) % n }

func (m *Model) cycle(d int) {
	switch m.field {
	case fieldTarget:
		m.target = wrap(m.target, d, len(m.cols))
	case fieldModel:
		m.model = wrap(m.model, d, len(etune.DefaultModels()))
		m.resetSpace()
	case fieldSampler:
		m.sampler = wrap(m.sampler, d, len(etune.Samplers()))
	case fieldPruner:
		m.pruner = wrap(m.pruner, d, len(etune.Pruners()))
	case fieldTrials:
		m.trialsIdx = wrap(m.trialsIdx, d, len(trialChoices))
	case fieldJobs:
		m.jobs = wrap(m.jobs-1, d, max(runtime.NumCPU(), 8)) + 1
	case fieldValidation:
		m.valIdx = wrap(m.valIdx, d, len(valOptions))
	}
	m.formErr = ""
}

// narrow replaces the space of the next study by the current one cut around
// the best trial.
func (m *Model) narrow() {
	best, ok := m.best()
	if !ok || m.studySpace == nil {
		m.note = "no complete trial to narrow around"
		return
	}
	m.space, m.spaceModel = Narrow(m.studySpace, best.Params), m.studyModel
	m.model = max(0, slices.Index(etune.DefaultModels(), m.studyModel))
	m.note = "space narrowed around trial " + strconv.Itoa(best.Number) + ": t starts a study on it"
	if m.running {
		m.note = "space narrowed around trial " + strconv.Itoa(best.Number) + ": used by the next study"
	}
}

func (m *Model) best() (etune.TrialResult, bool) {
	var best etune.TrialResult
	ok := false
	for _, t := range m.trials {
		if t.State != etune.Complete || math.IsNaN(t.Value) {
			continue
		}
		if !ok || (m.dir == etune.Maximize && t.Value > best.Value) || (m.dir == etune.Minimize && t.Value < best.Value) {
			best, ok = t, true
		}
	}
	return best, ok
}

// setup checks the form and returns what the objective needs.
func (m *Model) setup() (objSetup, error) {
	s := objSetup{f: m.f, target: m.cols[m.target], model: m.spaceModel, seed: 0}
	col, _ := m.f.Column(s.target)
	task, _, err := models.DetectTask(col)
	if err != nil {
		return s, fmt.Errorf("target %s: %w", s.target, err)
	}
	for _, c := range m.f.Columns() {
		if c.Type() == frame.String && c.Name() != s.target {
			s.exclude = append(s.exclude, c.Name())
		}
	}
	s.spec = valOptions[m.valIdx].spec
	if task == models.Regression && s.spec.Scheme == validate.StratifiedKFold {
		s.spec.Scheme = validate.KFold
	}
	names := etrain.MetricNames(task)
	s.metric = "accuracy"
	if task == models.Regression {
		s.metric = "rmse"
	}
	if ws := m.c.Workspace; ws != nil {
		if mc := ws.Card().Metric.Name; mc != "" && slices.Contains(names, mc) {
			s.metric = mc
		}
	}
	if err := checkNames(s.model, m.space); err != nil {
		return s, err
	}
	return s, nil
}

// objSetup is the data of a study's objective, copied out of the model.
type objSetup struct {
	f       *frame.Frame
	target  string
	model   string
	metric  string
	spec    validate.Spec
	seed    uint64
	exclude []string
}

// objective is `mlwb tune`'s (etune.TrainObjective): the metric's mean
// over the folds, with intermediate values per boosting iteration on a
// holdout and per fold otherwise, for the pruner.
func (s objSetup) objective() etune.Objective {
	return etune.TrainObjective{Metric: s.metric, Job: etrain.Job{Frame: s.f, Target: s.target, Model: s.model,
		Seed: s.seed, Validation: s.spec, Exclude: s.exclude}}.Objective()
}

func (m *Model) start() tea.Cmd {
	if m.running {
		m.note = "a study is running: x stops it"
		return nil
	}
	s, err := m.setup()
	if err != nil {
		m.formErr = err.Error()
		m.pane = paneForm
		return nil
	}
	dir := etune.Minimize
	if etrain.HigherIsBetter(s.metric) {
		dir = etune.Maximize
	}
	samplerName, prunerName := etune.Samplers()[m.sampler], etune.Pruners()[m.pruner]
	cfg := etune.Config{Direction: dir, Space: m.space, Sampler: samplerName, Pruner: prunerName, Seed: s.seed,
		Extra: map[string]string{"model": s.model, "data": m.name, "target": s.target, "metric": s.metric}}
	if len(s.exclude) > 0 {
		cfg.Extra["exclude"] = strings.Join(s.exclude, ",")
	}
	switch v := valOptions[m.valIdx].spec; v.Scheme {
	case validate.Holdout:
		cfg.Extra["holdout"] = strconv.FormatFloat(v.Fraction, 'g', -1, 64)
	default:
		cfg.Extra["cv"] = strconv.Itoa(v.K)
	}
	if ws := m.c.Workspace; ws != nil {
		if d, err := ws.DatasetRef(m.name); err == nil {
			cfg.Extra["data"] = fmt.Sprintf("%s@%d", d.Name, d.Version)
			cfg.Extra["data_hash"] = d.Hash
		}
	}
	opts, err := cfg.Options()
	if err != nil {
		m.formErr = err.Error()
		return nil
	}
	var study *etune.Study
	id := workspace.NewRunID(time.Now())
	if ws := m.c.Workspace; ws != nil {
		path := filepath.Join(ws.StudiesDir(), id)
		if err = os.MkdirAll(path, 0o755); err == nil {
			if err = etune.SaveConfig(path, cfg); err == nil {
				study, err = etune.Open(path, opts)
			}
		}
	} else {
		study, err = etune.New(opts)
	}
	if err != nil {
		m.formErr = err.Error()
		return nil
	}
	n, jobs := trialChoices[m.trialsIdx], m.jobs
	ctl := newControl(n)
	st := &stream{notify: make(chan struct{}, 1), done: make(chan struct{})}
	obj := s.objective()
	jb, cmd := m.c.StartJob(fmt.Sprintf("tuning %s (%d trials)", s.model, n), func(ctx context.Context, jid int, progress func(done, total int64)) tea.Msg {
		defer close(st.done)
		defer study.Close()
		stop := context.AfterFunc(ctx, ctl.wake)
		defer stop()
		// One worker per job, each asking for one trial at a time: pausing
		// stops handing out trials, + extends the loop, and the sampler sees
		// trials start one after another as Optimize's own workers do.
		var wg sync.WaitGroup
		var errMu sync.Mutex
		var err error
		for range jobs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctl.take(ctx, 1) > 0 {
					ran := false
					e := study.Optimize(ctx, obj, 1, 1, func(r etune.TrialResult) { ran = true; st.push(r) })
					if e != nil || !ran {
						// An error, or the grid has no point left.
						ctl.drain()
						if e != nil && ctx.Err() == nil {
							errMu.Lock()
							err = e
							errMu.Unlock()
						}
						return
					}
				}
			}()
		}
		wg.Wait()
		return studyDoneMsg{jobID: jid, err: err}
	})
	st.jobID = jb.ID
	m.job, m.stream, m.ctl = jb, st, ctl
	m.running, m.paused = true, false
	m.studyID, m.dir, m.metric, m.trials, m.studySpace, m.studyModel = id, dir, s.metric, nil, m.space, s.model
	m.perIter = s.spec.Scheme == validate.Holdout
	m.cur, m.top, m.sliceIdx, m.formErr, m.note = 0, 0, 0, "", ""
	m.started = time.Now()
	if m.c.Workspace == nil {
		m.note = "no workspace: the study is kept in memory"
	}
	m.pane = paneTable
	return tea.Batch(cmd, st.wait)
}

func (m *Model) onTrials(msg trialsMsg) tea.Cmd {
	if m.stream == nil || msg.jobID != m.stream.jobID {
		return nil
	}
	for _, t := range msg.trials {
		i, found := slices.BinarySearchFunc(m.trials, t.Number, func(a etune.TrialResult, n int) int { return a.Number - n })
		if found {
			m.trials[i] = t
		} else {
			m.trials = slices.Insert(m.trials, i, t)
		}
	}
	return m.stream.wait
}

func (m *Model) onStudyDone(msg studyDoneMsg) {
	if m.stream == nil || msg.jobID != m.stream.jobID {
		return
	}
	// Trials pushed after the last wait are still pending.
	if rest, ok := m.stream.wait().(trialsMsg); ok {
		m.onTrials(rest)
	}
	m.running, m.paused = false, false
	switch {
	case msg.err != nil:
		m.note = "study stopped: " + msg.err.Error()
	default:
		m.note = fmt.Sprintf("study %s finished: %d trials", m.studyID, len(m.trials))
	}
}

// promote refits the best trial with the form's validation and saves it as
// a run.
func (m *Model) promote() tea.Cmd {
	best, ok := m.best()
	if !ok {
		m.note = "no complete trial to promote"
		return nil
	}
	if m.promoting {
		m.note = "a promotion is running"
		return nil
	}
	s, err := m.setup()
	if err != nil {
		m.formErr = err.Error()
		return nil
	}
	params := m.studySpace.Text(best.Params)
	model, ws, name, version, metric, studyID := m.studyModel, m.c.Workspace, m.name, m.version, m.metric, m.studyID
	f := m.f
	jb, cmd := m.c.StartJob(fmt.Sprintf("promoting trial %d", best.Number), func(ctx context.Context, jid int, progress func(done, total int64)) tea.Msg {
		job := etrain.Job{Frame: f, Target: s.target, Model: model, Params: params, Seed: s.seed,
			Validation: s.spec, Exclude: s.exclude, Final: ws != nil}
		res, err := etrain.Run(ctx, job)
		if err != nil {
			return promotedMsg{jobID: jid, err: err}
		}
		v := math.NaN()
		for _, mt := range res.Metrics {
			if mt.Name == metric {
				v = mt.Mean
			}
		}
		if ws == nil {
			return promotedMsg{jobID: jid, value: v}
		}
		run := workspace.RunFromResult(res, time.Now())
		run.Seed, run.Version = s.seed, version
		run.Tags = []string{"tuned"}
		run.Note = "promoted from study " + studyID + " trial " + strconv.Itoa(best.Number)
		run.Dataset = workspace.RunDataset{Name: filepath.Base(name), Rows: f.NumRows()}
		if d, err := ws.DatasetRef(name); err == nil {
			run.Dataset = workspace.RunDataset{Name: d.Name, Version: d.Version, Hash: d.Hash, Rows: d.Rows}
		}
		preds, err := workspace.PredictionsFrame(res)
		if err == nil {
			err = ws.SaveRun(ctx, &run, res.Final, preds)
		}
		return promotedMsg{jobID: jid, runID: run.ID, value: v, err: err}
	})
	m.promoting, m.promoteID = true, jb.ID
	m.note = fmt.Sprintf("promoting trial %d…", best.Number)
	return cmd
}

func (m *Model) onPromoted(msg promotedMsg) tea.Cmd {
	if msg.jobID != m.promoteID {
		return nil
	}
	m.promoting = false
	switch {
	case msg.err != nil:
		m.note = ""
		return func() tea.Msg { return ui.ErrorMsg{Err: fmt.Errorf("promote: %w", msg.err)} }
	case msg.runID == "":
		m.note = fmt.Sprintf("refitted: %s %.4f (no workspace: not saved)", m.metric, msg.value)
	default:
		m.note = fmt.Sprintf("run %s saved: %s %.4f", msg.runID, m.metric, msg.value)
		return func() tea.Msg { return ui.WorkspaceChangedMsg{} }
	}
	return nil
}

// sliceSpace is the space whose parameters the slice view cycles through.
func (m *Model) sliceSpace() *etune.Space {
	if m.studySpace != nil {
		return m.studySpace
	}
	return m.space
}
