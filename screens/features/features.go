// Package features is the Features screen: every candidate feature of the
// open dataset with its scores and ranks against the project's target
// (engine/features/selection), a selection toggled by hand or made by a
// method, a quick cross-validated score of a fast model that follows the
// selection, and the feature pipeline (engine/features) that training
// applies. w saves the pipeline to features/pipelines/<dataset>.json and
// the selection to features/selections/<dataset>.json.
//
// v opens the Label view: rows whose target is missing, labelled one key
// press at a time (1-9) or by rules (expression → class), saved as a new
// version of the dataset. While it is open the screen captures every key
// (the number keys assign classes instead of switching screens); esc leaves
// it.
package features

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/mlwb/mlwb/engine/features"
	"github.com/mlwb/mlwb/engine/features/selection"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/workspace"
)

// Debounce is how long the selection must stay unchanged before the quick
// score is recomputed.
const Debounce = 400 * time.Millisecond

// ModelRows bounds the rows of the model-based scores of the second pass.
const ModelRows = 5000

// Panes.
const (
	paneTable = iota
	panePipeline
)

// Forms.
const (
	formNone = iota
	formStep
	formRule
	formUncertain
)

// columns of the score table: score name, header, width.
var scoreCols = []struct{ name, head string }{
	{"mutual_info", "MI"},
	{"pearson", "pearson"},
	{"spearman", "spearman"},
	{"chi2", "chi2"},
	{"anova_f", "F"},
	{"tree_importance", "tree"},
	{"l1_coef", "L1"},
	{"permutation_importance", "perm"},
	{"variance", "variance"},
	{"missing_ratio", "missing"},
}

// Model is the Features screen.
type Model struct {
	c    ui.Common
	keys KeyMap

	width, height int

	name   string // the open dataset as the app names it
	frame  *frame.Frame
	target string
	note   string // why nothing is shown

	report   *selection.Report
	models   bool // report has the model-based scores
	scoreJob ui.Job
	scoreErr string

	rows     []int // indices into report.Features, sorted
	sortCol  int   // index into scoreCols, -1: rank
	selected map[string]bool
	cur, top int
	pane     int

	method, k int
	minScore  float64
	autoJob   ui.Job
	lastAuto  string // method of the last auto-selection ("manual" after a toggle)

	cvGen       int
	cvJob       ui.Job
	cv, prevCV  *cvResult
	cvErr       string
	cvSelection []string

	pipe      features.Pipeline
	decisions []features.Decision
	stepCur   int

	form    int
	input   textinput.Model
	formErr string

	lab   labeler
	saved string // what was saved or restored: "pipeline, selection"
	dirty bool   // the selection or pipeline changed since

	labeling bool

	view string
}

// New returns the Features screen.
func New(c ui.Common) *Model {
	in := textinput.New()
	in.Prompt = ""
	in.PromptStyle = c.Styles.Input.Prompt
	in.TextStyle = c.Styles.Input.Text
	in.PlaceholderStyle = c.Styles.Input.Placeholder
	in.Cursor.Style = c.Styles.Input.Text.Reverse(true)
	in.Cursor.TextStyle = c.Styles.Input.Text
	in.Cursor.SetMode(cursor.CursorStatic)
	return &Model{c: c, keys: DefaultKeyMap(), sortCol: -1, k: 10, minScore: 0.01, input: in, selected: map[string]bool{},
		note: "open a dataset (Data or Project screen)"}
}

// Title implements ui.Screen.
func (m *Model) Title() string { return "Features" }

// Capturing implements ui.Screen: true while a form is open or the Label
// view is shown (its number keys assign classes; esc leaves it).
func (m *Model) Capturing() bool { return m.form != formNone || m.labeling }

// HasPanes implements ui.Panes: tab moves between the table and the
// pipeline.
func (m *Model) HasPanes() bool { return m.report != nil && !m.labeling }

// SetSize implements ui.Screen.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(0, w), max(0, h)
	m.input.Width = max(1, m.width-4)
	m.move(0)
	m.render()
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

type scoresMsg struct {
	jobID  int
	models bool
	rep    *selection.Report
	err    error
	// saved is what w saved for this dataset before (first pass only).
	saved savedState
}

// savedState is a pipeline and a selection read back from the workspace.
type savedState struct {
	pipe    *features.Pipeline
	feats   []string
	method  string
	problem string // why a saved file was not used
}

// readSaved reads features/pipelines/<base>.json and
// features/selections/<base>.json when they exist.
func readSaved(ws *workspace.Workspace, base, target string) savedState {
	var out savedState
	if ws == nil {
		return out
	}
	if b, err := os.ReadFile(ws.Path(workspace.FeaturesDir, "pipelines", base+".json")); err == nil {
		p, err := features.ParsePipeline(b)
		if err != nil {
			out.problem = "saved pipeline not used: " + err.Error()
		} else {
			out.pipe = &p
		}
	}
	if fh, err := os.Open(ws.Path(workspace.FeaturesDir, "selections", base+".json")); err == nil {
		defer fh.Close()
		sel, err := selection.ReadSelection(fh)
		switch {
		case err != nil:
			out.problem = "saved selection not used: " + err.Error()
		case sel.Target == target:
			out.feats, out.method = sel.Features, sel.Method
		}
	}
	return out
}

type cvTickMsg struct{ gen int }

type cvDoneMsg struct {
	jobID int
	res   cvResult
	err   error
}

type autoMsg struct {
	jobID  int
	method string
	feats  []string
	err    error
}

type savedMsg struct {
	paths []string
	err   error
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case ui.DatasetLoadedMsg:
		cmd = m.onLoaded(msg)
	case ui.WorkspaceChangedMsg:
		if m.frame != nil && m.c.Workspace != nil && m.c.Workspace.Card().Target != m.target {
			cmd = m.onLoaded(ui.DatasetLoadedMsg{Name: m.name, Frame: m.frame})
		}
	case scoresMsg:
		cmd = m.onScores(msg)
	case cvTickMsg:
		if msg.gen == m.cvGen {
			cmd = m.startCV()
		}
	case cvDoneMsg:
		if msg.jobID != m.cvJob.ID {
			return m, nil // stale: the selection changed since
		}
		m.cvJob = ui.Job{}
		if msg.err != nil {
			if !ui.IsCanceled(msg.err) {
				m.cvErr = msg.err.Error()
			}
		} else {
			if m.cv != nil {
				m.prevCV = m.cv
			}
			r := msg.res
			m.cv, m.cvErr = &r, ""
		}
	case autoMsg:
		cmd = m.onAuto(msg)
	case savedMsg:
		cmd = m.onSaved(msg)
	case labelSavedMsg:
		cmd = m.onLabelSaved(msg)
	case tea.KeyMsg:
		cmd = m.onKey(msg)
	default:
		return m, nil
	}
	m.render()
	return m, cmd
}

func status(s string) tea.Cmd { return func() tea.Msg { return ui.StatusMsg{Text: s} } }

func errCmd(err error) tea.Cmd { return func() tea.Msg { return ui.ErrorMsg{Err: err} } }

func (m *Model) onLoaded(msg ui.DatasetLoadedMsg) tea.Cmd {
	if msg.Err != nil || msg.Frame == nil {
		return nil
	}
	m.scoreJob.Cancel()
	m.cvJob.Cancel()
	m.autoJob.Cancel()
	*m = Model{c: m.c, keys: m.keys, width: m.width, height: m.height, input: m.input, sortCol: -1, k: m.k, minScore: m.minScore,
		method: m.method, selected: map[string]bool{}, labeling: m.labeling}
	m.name, m.frame = msg.Name, msg.Frame
	if ws := m.c.Workspace; ws != nil {
		m.target = ws.Card().Target
	}
	if m.target == "" {
		m.note = "no target: set one on the project card (Project screen, e)"
		m.labeling = false
		return nil
	}
	if _, err := msg.Frame.Column(m.target); err != nil {
		m.note = fmt.Sprintf("%s has no column %q (the project card's target)", msg.Name, m.target)
		m.labeling = false
		return nil
	}
	m.pipe, m.decisions = features.DefaultPipeline(msg.Frame, m.target)
	m.lab = newLabeler(msg.Frame, m.target)
	m.note = ""
	return m.startScores(false)
}

// startScores scores every feature: first without the model-based scores
// (fast), then with them on a sample of ModelRows rows.
func (m *Model) startScores(withModels bool) tea.Cmd {
	f, target := m.frame, m.target
	ws, base := m.c.Workspace, baseName(m.name)
	label := "scoring features"
	if withModels {
		label = "model-based feature scores"
	}
	job, cmd := m.c.StartJob(label, func(ctx context.Context, id int, progress func(int64, int64)) tea.Msg {
		f := knownTarget(f, target)
		rep, err := selection.Score(ctx, f, target, selection.Options{NoModels: !withModels, ModelRows: ModelRows, Seed: 1,
			Progress: func(done, total int) { progress(int64(done), int64(total)) }})
		out := scoresMsg{jobID: id, models: withModels, rep: rep, err: err}
		if !withModels {
			out.saved = readSaved(ws, base, target)
		}
		return out
	})
	m.scoreJob = job
	return cmd
}

// knownTarget returns the rows of f whose target is not missing (f itself
// when none is): scores and models learn from labelled rows only.
func knownTarget(f *frame.Frame, target string) *frame.Frame {
	c, err := f.Column(target)
	if err != nil || c.NullCount() == 0 {
		return f
	}
	rows := make([]int, 0, c.Len()-c.NullCount())
	for i := 0; i < c.Len(); i++ {
		if !c.IsNA(i) {
			rows = append(rows, i)
		}
	}
	return f.Take(rows)
}

func (m *Model) onScores(msg scoresMsg) tea.Cmd {
	if msg.jobID != m.scoreJob.ID {
		return nil
	}
	m.scoreJob = ui.Job{}
	if msg.err != nil {
		if ui.IsCanceled(msg.err) {
			if m.report == nil {
				m.scoreErr = "scoring cancelled: r scores again"
			}
			return status("feature scoring cancelled (r scores again)")
		}
		m.scoreErr = msg.err.Error()
		return nil
	}
	first := m.report == nil
	m.report, m.models = msg.rep, msg.models
	keep := ""
	if len(m.rows) > 0 {
		keep = m.report.Features[m.rows[m.cur]].Name
	}
	m.resort(keep)
	var cmds []tea.Cmd
	if first {
		sv := msg.saved
		for _, f := range m.report.Features {
			m.selected[f.Name] = f.Dropped == "" && sv.feats == nil
		}
		m.lastAuto = "default"
		if sv.feats != nil {
			for _, n := range sv.feats {
				if _, ok := m.selected[n]; ok {
					m.selected[n] = true
				}
			}
			m.lastAuto, m.saved = sv.method, "selection"
		}
		if sv.pipe != nil {
			m.pipe = *sv.pipe
			m.saved = strings.TrimPrefix(m.saved+", pipeline", ", ")
		}
		if m.saved != "" {
			cmds = append(cmds, status("restored the saved "+m.saved+" of "+m.name))
		}
		if sv.problem != "" {
			cmds = append(cmds, status(sv.problem))
		}
		cmds = append(cmds, m.selectionChanged())
		m.dirty = false
	}
	if !msg.models {
		cmds = append(cmds, m.startScores(true))
	}
	return tea.Batch(cmds...)
}

// resort orders the rows by the sort column (|value| descending, NaN last)
// or by rank, keeping the cursor on feature keep.
func (m *Model) resort(keep string) {
	r := m.report
	m.rows = m.rows[:0]
	for i := range r.Features {
		m.rows = append(m.rows, i)
	}
	if m.sortCol < 0 {
		sort.SliceStable(m.rows, func(a, b int) bool { return r.Features[m.rows[a]].Rank < r.Features[m.rows[b]].Rank })
	} else {
		name := scoreCols[m.sortCol].name
		sort.SliceStable(m.rows, func(a, b int) bool {
			x, y := math.Abs(r.Features[m.rows[a]].Get(name)), math.Abs(r.Features[m.rows[b]].Get(name))
			if math.IsNaN(y) {
				return !math.IsNaN(x)
			}
			return x > y
		})
	}
	m.cur = 0
	for i, j := range m.rows {
		if r.Features[j].Name == keep {
			m.cur = i
		}
	}
	m.move(0)
}

// selected names the selected features in frame order.
func (m *Model) selectedNames() []string {
	var out []string
	if m.report == nil {
		return nil
	}
	for _, f := range m.report.Features {
		if m.selected[f.Name] {
			out = append(out, f.Name)
		}
	}
	return out
}

// selectionChanged schedules the quick score after Debounce; a newer
// change supersedes it, and a running score is cancelled.
func (m *Model) selectionChanged() tea.Cmd {
	m.dirty = true
	m.cvGen++
	m.cvJob.Cancel()
	m.cvJob = ui.Job{}
	gen := m.cvGen
	return tea.Tick(Debounce, func(time.Time) tea.Msg { return cvTickMsg{gen: gen} })
}

func (m *Model) startCV() tea.Cmd {
	sel := m.selectedNames()
	m.cvSelection = sel
	if len(sel) == 0 {
		m.cvErr = "no feature selected"
		return nil
	}
	f, target, pipe := m.frame, m.target, m.pipe
	job, cmd := m.c.StartJob("quick CV score", func(ctx context.Context, id int, _ func(int64, int64)) tea.Msg {
		res, err := quickCV(ctx, f, target, pipe, sel, 1)
		return cvDoneMsg{jobID: id, res: res, err: err}
	})
	m.cvJob = job
	return cmd
}

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if m.form != formNone {
		return m.onFormKey(msg)
	}
	if m.labeling {
		return m.onLabelKey(msg)
	}
	switch {
	case key.Matches(msg, k.Cancel):
		if m.scoreJob.Running() || m.cvJob.Running() || m.autoJob.Running() {
			m.scoreJob.Cancel()
			m.cvJob.Cancel()
			m.autoJob.Cancel()
			m.scoreJob, m.cvJob, m.autoJob = ui.Job{}, ui.Job{}, ui.Job{}
			return status("cancelled")
		}
		return nil
	case key.Matches(msg, k.LabelView):
		if m.frame == nil || m.target == "" || m.note != "" {
			return status("the label view needs a dataset and a target")
		}
		m.labeling = true
		return nil
	}
	if key.Matches(msg, k.Rescore) && m.frame != nil && !m.scoreJob.Running() {
		m.scoreErr = ""
		return m.startScores(m.report != nil)
	}
	if m.report == nil {
		return nil
	}
	switch {
	case key.Matches(msg, k.Pane):
		m.pane = 1 - m.pane
	case key.Matches(msg, k.Save):
		return m.save()
	case m.pane == panePipeline:
		return m.onPipelineKey(msg)
	case key.Matches(msg, k.Up):
		m.cur--
		m.move(0)
	case key.Matches(msg, k.Down):
		m.cur++
		m.move(0)
	case key.Matches(msg, k.PageUp):
		m.cur -= m.tableHeight()
		m.move(0)
	case key.Matches(msg, k.PageDown):
		m.cur += m.tableHeight()
		m.move(0)
	case key.Matches(msg, k.Top):
		m.cur = 0
		m.move(0)
	case key.Matches(msg, k.Bottom):
		m.cur = len(m.rows)
		m.move(0)
	case key.Matches(msg, k.SortNext), key.Matches(msg, k.SortPrev):
		d := 1
		if key.Matches(msg, k.SortPrev) {
			d = len(scoreCols)
		}
		m.sortCol = (m.sortCol+1+d)%(len(scoreCols)+1) - 1
		m.resort(m.report.Features[m.rows[m.cur]].Name)
	case key.Matches(msg, k.Toggle):
		if len(m.rows) == 0 {
			return nil
		}
		f := m.report.Features[m.rows[m.cur]]
		if f.Dropped != "" && !m.selected[f.Name] {
			return status(f.Name + " cannot be selected: " + f.Dropped)
		}
		m.selected[f.Name] = !m.selected[f.Name]
		m.lastAuto = "manual"
		return m.selectionChanged()
	case key.Matches(msg, k.Method):
		m.method = (m.method + 1) % len(selection.Methods)
	case key.Matches(msg, k.More), key.Matches(msg, k.Less):
		up := key.Matches(msg, k.More)
		if selection.Methods[m.method] == "threshold" {
			if up {
				m.minScore *= 2
			} else {
				m.minScore /= 2
			}
		} else if up {
			m.k = min(m.k+1, len(m.report.Features))
		} else {
			m.k = max(m.k-1, 1)
		}
	case key.Matches(msg, k.Auto):
		return m.auto()
	}
	return nil
}

// rankBy is the score the auto-selection ranks by: the sort column, or
// mutual information when sorted by rank.
func (m *Model) rankBy() string {
	if m.sortCol < 0 {
		return m.report.RankBy
	}
	return scoreCols[m.sortCol].name
}

// auto selects features by the current method: topk and threshold from
// the scores at once, rfe, sfs and sbs by refitting models in a job.
func (m *Model) auto() tea.Cmd {
	method, by, k, minScore := selection.Methods[m.method], m.rankBy(), m.k, m.minScore
	if by == "missing_ratio" || by == "variance" {
		by = m.report.RankBy
	}
	rep, f, target := m.report, m.frame, m.target
	m.autoJob.Cancel()
	job, cmd := m.c.StartJob("auto-select ("+method+")", func(ctx context.Context, id int, progress func(int64, int64)) tea.Msg {
		out := autoMsg{jobID: id, method: method}
		switch method {
		case "topk":
			out.feats, out.err = selection.TopK(rep, by, k)
		case "threshold":
			out.feats, out.err = selection.Threshold(rep, by, minScore)
		default:
			d, err := selection.NewDesign(ctx, f, target, nil)
			if err != nil {
				out.err = err
				return out
			}
			steps := int64(max(len(d.Names)-k, 1))
			if method == "sfs" {
				steps = int64(k)
			}
			mo := selection.MethodOptions{Seed: 1, Folds: CVFolds, Rows: CVRows,
				Progress: func(step int, _ string, _ float64) { progress(int64(step), steps) }}
			if method == "rfe" {
				out.feats, _, out.err = selection.RFE(ctx, d, k, mo)
			} else {
				out.feats, _, out.err = selection.Sequential(ctx, d, k, method == "sfs", mo)
			}
		}
		return out
	})
	m.autoJob = job
	return cmd
}

func (m *Model) onAuto(msg autoMsg) tea.Cmd {
	if msg.jobID != m.autoJob.ID {
		return nil
	}
	m.autoJob = ui.Job{}
	if msg.err != nil {
		if ui.IsCanceled(msg.err) {
			return status("auto-select cancelled")
		}
		return errCmd(msg.err)
	}
	if len(msg.feats) == 0 {
		return status(msg.method + " selected no feature; selection unchanged")
	}
	for n := range m.selected {
		m.selected[n] = false
	}
	for _, n := range msg.feats {
		m.selected[n] = true
	}
	m.lastAuto = msg.method
	return tea.Batch(m.selectionChanged(), status(fmt.Sprintf("%s selected %d features", msg.method, len(msg.feats))))
}

func (m *Model) onPipelineKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	n := len(m.pipe.Steps)
	switch {
	case key.Matches(msg, k.Up):
		m.stepCur = max(m.stepCur-1, 0)
	case key.Matches(msg, k.Down):
		m.stepCur = min(m.stepCur+1, max(n-1, 0))
	case key.Matches(msg, k.Add):
		m.openForm(formStep, "transform [col1,col2] [param=value …]")
		return nil
	case key.Matches(msg, k.Remove):
		if n == 0 {
			return nil
		}
		m.pipe.Steps = slices.Delete(slices.Clone(m.pipe.Steps), m.stepCur, m.stepCur+1)
		m.stepCur = min(m.stepCur, max(len(m.pipe.Steps)-1, 0))
		return m.selectionChanged()
	case key.Matches(msg, k.MoveUp), key.Matches(msg, k.MoveDown):
		j := m.stepCur - 1
		if key.Matches(msg, k.MoveDown) {
			j = m.stepCur + 1
		}
		if j < 0 || j >= n {
			return nil
		}
		s := slices.Clone(m.pipe.Steps)
		s[j], s[m.stepCur] = s[m.stepCur], s[j]
		m.pipe.Steps, m.stepCur = s, j
		return m.selectionChanged()
	}
	return nil
}

func (m *Model) openForm(kind int, placeholder string) {
	m.form, m.formErr = kind, ""
	m.input.SetValue("")
	m.input.Placeholder = placeholder
	m.input.Focus()
}

func (m *Model) closeForm() {
	m.form, m.formErr = formNone, ""
	m.input.Blur()
}

func (m *Model) onFormKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Close):
		m.closeForm()
		return nil
	case key.Matches(msg, m.keys.Submit):
		switch m.form {
		case formRule:
			return m.applyRule()
		case formUncertain:
			return m.applyUncertain()
		}
		s, err := parseStep(m.input.Value())
		if err == nil {
			p := m.pipe
			p.Steps = slices.Insert(slices.Clone(p.Steps), min(m.stepCur+1, len(p.Steps)), s)
			if err = p.Validate(); err == nil {
				m.pipe = p
				m.stepCur = min(m.stepCur+1, len(p.Steps)-1)
				m.closeForm()
				return m.selectionChanged()
			}
		}
		m.formErr = err.Error()
		return nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	m.formErr = ""
	switch m.form {
	case formRule:
		m.previewRule()
	case formUncertain:
		m.previewUncertain()
	}
	return cmd
}

// save writes the pipeline and the selection into the workspace.
func (m *Model) save() tea.Cmd {
	ws := m.c.Workspace
	if ws == nil {
		return errCmd(fmt.Errorf("saving needs a workspace; without one use: mlwb features FILE --target %s", m.target))
	}
	base := baseName(m.name)
	rep := m.report
	sel := &selection.Selection{Name: base, Dataset: m.name, Target: m.target, Task: rep.Task.String(), Method: m.lastAuto,
		Features: m.selectedNames(), Scores: rep.ScoreTable(), Created: time.Now().UTC()}
	if m.lastAuto == "topk" || m.lastAuto == "rfe" || m.lastAuto == "sfs" || m.lastAuto == "sbs" {
		sel.K = m.k
	}
	if len(sel.Features) == 0 {
		return errCmd(fmt.Errorf("features: no feature selected; nothing saved"))
	}
	pipe := m.pipe
	return func() tea.Msg {
		var buf bytes.Buffer
		if err := sel.Write(&buf); err != nil {
			return savedMsg{err: err}
		}
		pj, err := pipe.MarshalIndent()
		if err != nil {
			return savedMsg{err: err}
		}
		files := []struct {
			rel  string
			data []byte
		}{
			{filepath.Join(workspace.FeaturesDir, "pipelines", base+".json"), append(pj, '\n')},
			{filepath.Join(workspace.FeaturesDir, "selections", base+".json"), buf.Bytes()},
		}
		var paths []string
		for _, f := range files {
			p := ws.Path(f.rel)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return savedMsg{err: err}
			}
			if err := workspace.WriteFileAtomic(p, f.data, 0o644); err != nil {
				return savedMsg{err: err}
			}
			paths = append(paths, filepath.ToSlash(f.rel))
		}
		err = ws.Log("features.save", map[string]any{"dataset": sel.Dataset, "target": sel.Target, "method": sel.Method,
			"features": sel.Features, "steps": len(pipe.Steps), "pipeline": paths[0], "selection": paths[1]})
		return savedMsg{paths: paths, err: err}
	}
}

// baseName is the file name under features/ for dataset ref "name@N" or
// a file path.
func baseName(ref string) string {
	return workspace.DatasetName(strings.SplitN(ref, "@", 2)[0])
}

func (m *Model) onSaved(msg savedMsg) tea.Cmd {
	if msg.err != nil {
		return errCmd(fmt.Errorf("save features: %w", msg.err))
	}
	m.saved, m.dirty = "pipeline, selection", false
	return tea.Batch(func() tea.Msg { return ui.WorkspaceChangedMsg{} }, status("saved "+strings.Join(msg.paths, " and ")))
}

func (m *Model) tableHeight() int {
	return max(1, m.height-5-m.pipeHeight())
}

func (m *Model) pipeHeight() int {
	return max(3, m.height/3)
}

func (m *Model) move(int) {
	h := m.tableHeight()
	m.cur = min(max(m.cur, 0), max(len(m.rows)-1, 0))
	if m.cur < m.top {
		m.top = m.cur
	}
	if m.cur >= m.top+h {
		m.top = m.cur - h + 1
	}
	m.top = max(0, min(m.top, len(m.rows)-h))
}
