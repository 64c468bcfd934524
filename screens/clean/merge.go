package clean

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/merge"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/workspace"
)

// Fields of the merge form, in order.
const (
	mergeRight = iota // the right dataset
	mergeKeys         // key columns
	mergeHow          // inner, left, right, outer
	mergeName         // the result's dataset name
	mergeFields
)

var hows = []merge.How{merge.Inner, merge.Left, merge.Right, merge.Outer}

// mergeForm joins the open dataset (left) with another workspace dataset.
type mergeForm struct {
	loading  bool                // the dataset list is being read
	datasets []workspace.Dataset // the other datasets (latest versions)
	all      []workspace.Dataset // every dataset, to tell whether the name exists
	right    int
	keys     textinput.Model
	how      int
	name     textinput.Model
	named    bool // the user typed a name: do not replace it
	focus    int

	seq      int // bumped on every change
	job      ui.Job
	planSeq  int // the seq the plan shown belongs to
	plan     *merge.Stats
	planErr  string
	running  bool
	rightF   *frame.Frame // the right dataset as last loaded
	rightFor string       // its hash
}

// spec returns the join the form describes.
func (f *mergeForm) spec() merge.Spec {
	return merge.Spec{On: splitList(f.keys.Value()), How: hows[f.how]}
}

// mergeListMsg carries the workspace's datasets.
type mergeListMsg struct {
	datasets []workspace.Dataset
	err      error
}

// openMerge opens the merge form and reads the dataset list.
func (m *Model) openMerge() tea.Cmd {
	ws := m.c.Workspace
	m.merge = &mergeForm{loading: true, keys: newInput(m.st, "", "key, key…"), name: newInput(m.st, "", "new dataset name")}
	m.mode = modeMerge
	return func() tea.Msg {
		ds, err := ws.Datasets()
		return mergeListMsg{datasets: ds, err: err}
	}
}

func (m *Model) onMergeList(msg mergeListMsg) tea.Cmd {
	f := m.merge
	if f == nil || !f.loading {
		return nil
	}
	f.loading = false
	if msg.err != nil {
		f.planErr = msg.err.Error()
		return nil
	}
	f.all = msg.datasets
	for _, d := range msg.datasets {
		if d.Name != m.name {
			f.datasets = append(f.datasets, d)
		}
	}
	if len(f.datasets) == 0 {
		f.planErr = "no other dataset in the workspace to merge with: import one first (Project screen, i)"
		return nil
	}
	f.focusField(mergeRight)
	return m.rightChanged()
}

// rightChanged sets the default keys (the column names both sides share)
// and name for the chosen right dataset, and plans the join.
func (m *Model) rightChanged() tea.Cmd {
	f := m.merge
	d := f.datasets[f.right]
	var common []string
	for _, c := range d.Columns {
		if slices.ContainsFunc(m.cols, func(l colInfo) bool { return l.name == c.Name }) {
			common = append(common, c.Name)
		}
	}
	f.keys.SetValue(strings.Join(common, ", "))
	f.keys.CursorEnd()
	if !f.named {
		f.name.SetValue(workspace.DatasetName(m.name + "_" + d.Name))
		f.name.CursorEnd()
	}
	f.seq++
	return m.startPlan()
}

// focusField moves the focus to field i.
func (f *mergeForm) focusField(i int) {
	f.keys.Blur()
	f.name.Blur()
	f.focus = (i + mergeFields) % mergeFields
	switch f.focus {
	case mergeKeys:
		f.keys.Focus()
	case mergeName:
		f.name.Focus()
	}
}

func (m *Model) onMergeKey(msg tea.KeyMsg) tea.Cmd {
	f := m.merge
	k := m.keys
	switch {
	case key.Matches(msg, k.Cancel):
		if f.running {
			return nil
		}
		f.job.Cancel()
		m.merge, m.mode = nil, modeBrowse
		return status("nothing merged")
	case f.loading || f.running || len(f.datasets) == 0:
		return nil
	case key.Matches(msg, k.Submit):
		return m.runMerge()
	case key.Matches(msg, k.NextField):
		f.focusField(f.focus + 1)
		return nil
	case key.Matches(msg, k.PrevField):
		f.focusField(f.focus - 1)
		return nil
	}
	switch f.focus {
	case mergeRight, mergeHow:
		d := 0
		switch {
		case key.Matches(msg, k.ChoiceNext, k.Toggle):
			d = 1
		case key.Matches(msg, k.ChoicePrev):
			d = -1
		default:
			return nil
		}
		if f.focus == mergeRight {
			f.right = (f.right + d + len(f.datasets)) % len(f.datasets)
			return m.rightChanged()
		}
		f.how = (f.how + d + len(hows)) % len(hows)
	case mergeKeys:
		old := f.keys.Value()
		var cmd tea.Cmd
		f.keys, cmd = f.keys.Update(msg)
		if f.keys.Value() == old {
			return cmd
		}
	case mergeName:
		old := f.name.Value()
		var cmd tea.Cmd
		f.name, cmd = f.name.Update(msg)
		if f.name.Value() != old {
			f.named = true
		}
		return cmd // the name does not change the plan
	}
	f.seq++
	if m.opt.Debounce < 0 {
		return m.startPlan()
	}
	seq := f.seq
	return tea.Tick(m.opt.Debounce, func(_ time.Time) tea.Msg { return previewTickMsg{seq: seq} })
}

// planMsg carries merge.Plan's answer.
type planMsg struct {
	jobID    int
	seq      int
	stats    merge.Stats
	err      error
	right    *frame.Frame
	rightFor string
}

// startPlan plans the join in a job, loading the right dataset unless it
// is the one loaded last.
func (m *Model) startPlan() tea.Cmd {
	f := m.merge
	if f == nil || len(f.datasets) == 0 || m.f == nil {
		return nil
	}
	f.job.Cancel()
	ws, left, d, spec, seq := m.c.Workspace, m.f, f.datasets[f.right], f.spec(), f.seq
	right := f.rightF
	if f.rightFor != d.Hash {
		right = nil
	}
	job, cmd := m.c.StartJob("planning the merge", func(ctx context.Context, id int, _ func(done, total int64)) tea.Msg {
		out := planMsg{jobID: id, seq: seq}
		if right == nil {
			var err error
			if right, err = ws.Load(ctx, d); err != nil {
				out.err = err
				return out
			}
			out.right, out.rightFor = right, d.Hash
		}
		out.stats, out.err = merge.Plan(ctx, left, right, spec)
		return out
	})
	f.job = job
	return cmd
}

func (m *Model) onPlan(msg planMsg) {
	f := m.merge
	if f == nil || msg.jobID != f.job.ID {
		return
	}
	f.job = ui.Job{}
	if msg.right != nil {
		f.rightF, f.rightFor = msg.right, msg.rightFor
	}
	if msg.err != nil && ui.IsCanceled(msg.err) {
		return
	}
	f.planSeq, f.plan, f.planErr = msg.seq, nil, ""
	if msg.err != nil {
		f.planErr = msg.err.Error()
		return
	}
	st := msg.stats
	f.plan = &st
}

// mergedMsg reports the end of a merge.
type mergedMsg struct {
	jobID   int
	dataset workspace.Dataset
	cols    int
	err     error
}

// runMerge joins the two datasets and stores the result as a new dataset,
// once the plan of the current form is known and shows no type mismatch.
func (m *Model) runMerge() tea.Cmd {
	f := m.merge
	switch {
	case f.plan == nil || f.planSeq != f.seq || f.rightF == nil:
		return status("wait for the plan")
	case len(f.plan.TypeMismatch) > 0:
		return status("the key types do not match: cast one side first")
	case f.plan.ResultRows > merge.DefaultMaxRows:
		return status(fmt.Sprintf("refused: the join would make %s rows (the keys repeat on both sides); check the keys, or use mlwb merge --max-rows",
			ui.Thousands(int64(f.plan.ResultRows))))
	case m.busy.Running():
		return status("busy: " + m.busyLabel)
	}
	name := strings.TrimSpace(f.name.Value())
	if err := workspace.ValidDatasetName(name); err != nil {
		f.planErr = err.Error()
		return nil
	}
	ws, left, right, spec := m.c.Workspace, m.f, f.rightF, f.spec()
	lref, rref, parent := m.latest.Ref(), f.datasets[f.right].Ref(), m.latest.Hash
	if m.latest.Name == "" {
		lref, parent = m.name, ""
	}
	f.running = true
	return m.startBusy("merging", func(ctx context.Context, id int) tea.Msg {
		out := mergedMsg{jobID: id}
		g, err := merge.Join(ctx, left, right, spec)
		if err != nil {
			out.err = err
			return out
		}
		src := fmt.Sprintf("merge(%s %s %s on %s)", lref, spec.How, rref, strings.Join(spec.On, ","))
		d, err := ws.ImportFrameWith(ctx, name, src, g, workspace.ImportOptions{Parent: parent, Format: "merge"})
		if err != nil {
			out.err = err
			return out
		}
		out.dataset, out.cols = d, g.NumCols()
		out.err = ws.Log("merge", map[string]any{"left": lref, "right": rref, "how": spec.How.String(), "on": spec.On,
			"dataset": d.Name, "version": d.Version, "hash": d.Hash, "rows": d.Rows})
		return out
	})
}

func (m *Model) onMerged(msg mergedMsg) tea.Cmd {
	if !m.endBusy(msg.jobID) {
		return nil
	}
	if f := m.merge; f != nil {
		f.running = false
		if msg.err != nil && msg.dataset.Name == "" {
			f.planErr = msg.err.Error()
			return m.afterBusy()
		}
	}
	m.merge, m.mode = nil, modeBrowse
	d := msg.dataset
	cmds := []tea.Cmd{
		status(fmt.Sprintf("stored %s: %s rows × %d columns", d.Ref(), ui.Thousands(int64(d.Rows)), msg.cols)),
		workspaceChanged,
		func() tea.Msg { return ui.DatasetSelectedMsg{Name: d.Name} },
	}
	if msg.err != nil {
		cmds = append(cmds, errorCmd(msg.err))
	}
	return tea.Batch(cmds...)
}
