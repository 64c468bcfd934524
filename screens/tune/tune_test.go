package tune

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/mlwb/mlwb/engine/frame"
	etune "github.com/mlwb/mlwb/engine/tune"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/uitest"
	"github.com/mlwb/mlwb/workspace"
)

// churnFrame: n rows of tenure, spend, plan, an id text column and churn
// (mostly yes when tenure is short).
func churnFrame(t *testing.T, n int) *frame.Frame {
	t.Helper()
	tenure, spend := make([]float64, n), make([]float64, n)
	plan, churn := make([]int32, n), make([]int32, n)
	ids := make([]string, n)
	for i := range n {
		tenure[i] = float64((i * 17) % 60)
		spend[i] = float64((i*29)%100) / 3
		plan[i] = int32(i % 3)
		if tenure[i] < 20 && i%5 != 0 || i%11 == 0 {
			churn[i] = 1
		}
		ids[i] = fmt.Sprintf("C%05d", i)
	}
	f, err := frame.New(frame.NewString("customer_id", ids, frame.Mask{}), frame.NewFloat64("tenure", tenure, frame.Mask{}),
		frame.NewFloat64("spend", spend, frame.Mask{}), frame.NewCategorical("plan", plan, []string{"basic", "plus", "pro"}),
		frame.NewCategorical("churn", churn, []string{"no", "yes"}))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func newWorkspace(t *testing.T, f *frame.Frame) *workspace.Workspace {
	t.Helper()
	ws, err := workspace.Init(t.TempDir(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	card := ws.Card()
	card.Task, card.Target, card.Metric.Name = workspace.TaskBinary, "churn", "roc_auc"
	if err := ws.SaveCard(card); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.ImportFrame(context.Background(), "customers", "test", f); err != nil {
		t.Fatal(err)
	}
	return ws
}

func newScreen(t *testing.T, ws *workspace.Workspace, f *frame.Frame, w, h int) *Model {
	t.Helper()
	c := uitest.Common(t, themes.NameNoColor)
	c.Workspace = ws
	m := New(c)
	m.SetVersion("test")
	m.jobs = 1
	m.SetSize(w, h)
	uitest.Send(t, m, ui.DatasetLoadedMsg{Name: "customers", Frame: f})
	return m
}

func send(t *testing.T, m *Model, keys ...string) {
	t.Helper()
	for _, k := range keys {
		uitest.Send(t, m, uitest.Key(k))
	}
}

// setField moves the form cursor to f and cycles until the value is want.
func setField(t *testing.T, m *Model, f field, want string) {
	t.Helper()
	m.field = f
	for range 100 {
		if line := strings.Split(m.formView(40), "\n")[f]; strings.Contains(line, "‹ "+want+" ›") {
			return
		}
		send(t, m, "right")
	}
	t.Fatalf("field %s never shows %q", f, want)
}

func TestStudyRunsNarrowsAndPromotes(t *testing.T) {
	f := churnFrame(t, 240)
	ws := newWorkspace(t, f)
	m := newScreen(t, ws, f, 120, 37)
	if m.cols[m.target] != "churn" {
		t.Fatalf("target %q, want the card's churn", m.cols[m.target])
	}
	setField(t, m, fieldModel, "logreg")
	setField(t, m, fieldTrials, "10")
	send(t, m, "t")
	if m.Running() {
		t.Fatal("study still running after settling")
	}
	if len(m.Trials()) != 10 {
		t.Fatalf("%d trials, want 10", len(m.Trials()))
	}
	for i, tr := range m.Trials() {
		if tr.Number != i || tr.State != etune.Complete || len(tr.Intermediate) != 3 {
			t.Errorf("trial %d: %+v", i, tr)
		}
	}
	if m.metric != "roc_auc" || m.dir != etune.Maximize {
		t.Errorf("metric %s %s, want the card's roc_auc maximised", m.dir, m.metric)
	}
	// The study is on disk as mlwb tune keeps it.
	dir := filepath.Join(ws.StudiesDir(), m.studyID)
	cfg, err := etune.LoadConfig(dir)
	if err != nil || cfg.Extra["model"] != "logreg" || cfg.Extra["data"] != "customers@1" || cfg.Extra["cv"] != "3" {
		t.Fatalf("study.json: %+v %v", cfg, err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, etune.LogFile)); err != nil || strings.Count(string(b), `"ev":"end"`) != 10 {
		t.Errorf("trial log: %v\n%s", err, b)
	}
	view := m.View()
	if !strings.Contains(view, "finished") || !strings.Contains(view, "best roc_auc") {
		t.Errorf("view:\n%s", view)
	}
	for _, p := range []string{"graph", "importance", "slice"} {
		send(t, m, "tab")
		if m.pane.String() != p {
			t.Fatalf("tab: pane %s, want %s", m.pane, p)
		}
		if strings.Contains(m.View(), "needs at least") || strings.Contains(m.View(), "no complete trial") {
			t.Errorf("%s pane:\n%s", p, m.View())
		}
	}

	// n narrows C to ±25% of its log range around the best value.
	best, _ := m.best()
	send(t, m, "n")
	c := m.Space().Param("C")
	lo, hi := math.Max(1e-4, best.Params["C"].Num/100), math.Min(1e4, best.Params["C"].Num*100)
	if math.Abs(math.Log(c.Lo/lo)) > 1e-9 || math.Abs(math.Log(c.Hi/hi)) > 1e-9 {
		t.Errorf("narrowed C %g..%g, want %g..%g around %g", c.Lo, c.Hi, lo, hi, best.Params["C"].Num)
	}

	// P refits the best trial and saves it as a run.
	send(t, m, "P")
	runs, _, err := ws.Runs()
	if err != nil || len(runs) != 1 {
		t.Fatalf("%d runs (%v)", len(runs), err)
	}
	r := runs[0]
	if r.Model != "logreg" || r.Dataset.Name != "customers" || !slices.Contains(r.Tags, "tuned") || !strings.Contains(r.Note, m.studyID) {
		t.Errorf("run %+v", r)
	}
	want := m.studySpace.Text(best.Params)
	for k, v := range want {
		if r.Params[k] != v {
			t.Errorf("run param %s = %q, want %q", k, r.Params[k], v)
		}
	}
	if !strings.Contains(m.note, "run "+r.ID+" saved") {
		t.Errorf("note %q", m.note)
	}
}

func TestPauseAddStop(t *testing.T) {
	f := churnFrame(t, 120)
	m := newScreen(t, nil, f, 80, 24)
	setField(t, m, fieldModel, "logreg")
	_, cmd := m.Update(uitest.Key("t")) // started, not settled
	if !m.Running() || m.pane != paneTable {
		t.Fatalf("running %v pane %s", m.Running(), m.pane)
	}
	ctl := m.ctl
	send(t, m, "p")
	if !m.paused || !ctl.paused || !strings.Contains(m.View(), "paused") {
		t.Errorf("p: paused %v/%v\n%s", m.paused, ctl.paused, m.View())
	}
	send(t, m, "+")
	if ctl.remaining != 20+10 {
		t.Errorf("remaining %d, want 30", ctl.remaining)
	}
	send(t, m, "p")
	if m.paused || ctl.paused {
		t.Error("p does not resume")
	}
	send(t, m, "p", "x") // paused, then stopped: the goroutine must not hang
	uitest.Settle(t, m, cmd)
	if m.Running() {
		t.Fatal("still running after x")
	}
	if len(m.Trials()) != 0 {
		t.Errorf("%d trials ran though the study was paused before the first", len(m.Trials()))
	}
}

func TestFailingTrialsAreRecorded(t *testing.T) {
	f := churnFrame(t, 60)
	m := newScreen(t, nil, f, 80, 24)
	// Every customer_id is its own class: no fold can score it.
	setField(t, m, fieldTarget, "customer_id")
	setField(t, m, fieldModel, "logreg")
	setField(t, m, fieldTrials, "10")
	send(t, m, "t")
	if m.Running() || len(m.Trials()) != 10 {
		t.Fatalf("running %v, %d trials", m.Running(), len(m.Trials()))
	}
	for _, tr := range m.Trials() {
		if tr.State != etune.Failed || tr.Err == "" {
			t.Errorf("trial %d: %s %q", tr.Number, tr.State, tr.Err)
		}
	}
	send(t, m, "P")
	if !strings.Contains(m.note, "no complete trial") {
		t.Errorf("note %q", m.note)
	}
	send(t, m, "n")
	if !strings.Contains(m.note, "no complete trial") {
		t.Errorf("note %q", m.note)
	}
}

func TestImportance(t *testing.T) {
	// a drives the value (1..8), b alternates x|y. With 5 rank bins over 8
	// trials a's groups are {1,2} {3,4} {5} {6,7} {8}: between-group sum of
	// squares 40.5 of 42; b's groups {1,3,5,7} {2,4,6,8}: 2 of 42. Normalised
	// by 42.5/42 they are 40.5/42.5 and 2/42.5.
	sp, err := etune.Parse("t", "a: int 1..8\nb: cat x|y\n")
	if err != nil {
		t.Fatal(err)
	}
	var trials []etune.TrialResult
	for i := range 8 {
		b := "x"
		if i%2 == 1 {
			b = "y"
		}
		trials = append(trials, etune.TrialResult{Number: i, State: etune.Complete, Value: float64(i + 1),
			Params: etune.Params{"a": {Num: float64(i + 1)}, "b": {Str: b}}})
	}
	trials = append(trials, etune.TrialResult{Number: 8, State: etune.Failed, Value: math.NaN()})
	imp := Importance(sp, trials)
	const tol = 1e-12 // exact sums of small integers
	if math.Abs(imp["a"]-40.5/42.5) > tol || math.Abs(imp["b"]-2/42.5) > tol {
		t.Errorf("importance %v, want a %v b %v", imp, 40.5/42.5, 2/42.5)
	}
	if Importance(sp, trials[:3]) != nil {
		t.Error("importance from 3 trials")
	}
}

func TestNarrowAndBestSoFar(t *testing.T) {
	sp, err := etune.Parse("t", "C: float 1e-4..1e4 log\nd: int 2..10\ns: float 0..1 step 0.1\nk: cat a|b\n")
	if err != nil {
		t.Fatal(err)
	}
	n := Narrow(sp, etune.Params{"C": {Num: 1}, "d": {Num: 4}, "s": {Num: 0.95}, "k": {Str: "a"}})
	if err := n.Validate(); err != nil {
		t.Fatal(err)
	}
	// C: log range 8 decades, ±2 decades around 1; d: ±2 around 4; s: ±0.25
	// around 0.95 on the 0.1 grid, clipped at 1.
	want := map[string][2]float64{"C": {1e-2, 1e2}, "d": {2, 6}, "s": {0.7, 1}}
	for name, w := range want {
		p := n.Param(name)
		if math.Abs(p.Lo-w[0]) > 1e-9*w[1] || math.Abs(p.Hi-w[1]) > 1e-9*w[1] {
			t.Errorf("%s: %g..%g, want %g..%g", name, p.Lo, p.Hi, w[0], w[1])
		}
	}
	if sp.Param("C").Lo != 1e-4 || len(n.Param("k").Choices) != 2 {
		t.Error("Narrow changed its input or a categorical parameter")
	}
	trials := []etune.TrialResult{{State: etune.Complete, Value: 0.5}, {State: etune.Failed, Value: math.NaN()},
		{State: etune.Complete, Value: 0.4}, {State: etune.Complete, Value: 0.7}}
	if got := BestSoFar(etune.Maximize, trials); !slices.Equal(got, []float64{0.5, 0.5, 0.7}) {
		t.Errorf("best so far %v", got)
	}
	if got := BestSoFar(etune.Minimize, trials); !slices.Equal(got, []float64{0.5, 0.4, 0.4}) {
		t.Errorf("best so far (min) %v", got)
	}
}

// fixedStudy puts a finished study with fixed trials into m (for goldens).
func fixedStudy(t *testing.T, m *Model) {
	t.Helper()
	sp, err := etune.Parse("t", "C: float 1e-4..1e4 log\npenalty: cat l2|l1\n")
	if err != nil {
		t.Fatal(err)
	}
	m.studyID, m.studySpace, m.studyModel, m.metric, m.dir = "20261125-120000-abcd", sp, "logreg", "accuracy", etune.Maximize
	vals := []float64{0.71, 0.74, 0.69, 0.78, 0.77, 0.8, 0.62, 0.79}
	for i, v := range vals {
		pen := []string{"l2", "l1"}[i%2]
		tr := etune.TrialResult{Number: i, State: etune.Complete, Value: v, Duration: time.Duration(i+1) * 250 * time.Millisecond,
			Params:       etune.Params{"C": {Num: math.Pow(10, float64(i)-3)}, "penalty": {Str: pen}},
			Intermediate: []etune.Step{{Step: 0, Value: v - 0.02}, {Step: 1, Value: v + 0.01}, {Step: 2, Value: v}}}
		if i == 6 {
			tr.State, tr.Value, tr.Intermediate = etune.Pruned, 0.6, tr.Intermediate[:1]
		}
		m.trials = append(m.trials, tr)
	}
	m.trials = append(m.trials, etune.TrialResult{Number: 8, State: etune.Failed, Value: math.NaN(), Err: "logreg: bad C",
		Params: etune.Params{"C": {Num: 1}, "penalty": {Str: "l1"}}})
	m.refresh()
}

func TestGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		name := fmt.Sprintf("%dx%d", size[0], size[1])
		t.Run(name, func(t *testing.T) {
			f := churnFrame(t, 30)
			m := newScreen(t, nil, f, size[0], size[1])
			t.Run("form", func(t *testing.T) { golden.RequireEqual(t, []byte(m.View())) })
			fixedStudy(t, m)
			for p := paneTable; p < numPanes; p++ {
				m.pane = p
				m.refresh()
				t.Run(p.String(), func(t *testing.T) { golden.RequireEqual(t, []byte(m.View())) })
			}
		})
	}
}

func TestNoDataset(t *testing.T) {
	m := New(uitest.Common(t, themes.NameNoColor))
	m.SetSize(80, 24)
	send(t, m, "t", "tab", "P")
	if !strings.Contains(m.View(), "No dataset selected") || m.Running() {
		t.Errorf("view %q", m.View())
	}
}

func TestEditSpace(t *testing.T) {
	f := churnFrame(t, 60)
	m := newScreen(t, nil, f, 80, 24)
	setField(t, m, fieldModel, "tree")
	send(t, m, "e")
	if !m.Capturing() || !strings.Contains(m.View(), "ctrl+s apply") {
		t.Fatalf("e does not open the editor:\n%s", m.View())
	}
	cases := []struct{ text, err string }{
		{"max_depth: int 6..2\n", "space:1"},
		{"max_depth: int 1..6\nmax_dpth: int 1..3\n", `"max_depth"`},
		{"# nothing\n", "no parameters"},
	}
	for _, c := range cases {
		m.ta.SetValue(c.text)
		send(t, m, "ctrl+s")
		if !m.Capturing() || !strings.Contains(m.formErr, c.err) {
			t.Errorf("%q: editing %v, error %q, want %q", c.text, m.Capturing(), m.formErr, c.err)
		}
	}
	m.ta.SetValue("max_depth: int 1..")
	uitest.Type(t, m, "5\nq") // q is text here, not quit
	if got := m.ta.Value(); got != "max_depth: int 1..5\nq" {
		t.Fatalf("typed %q", got)
	}
	send(t, m, "backspace", "ctrl+s")
	if m.Capturing() || m.formErr != "" {
		t.Fatalf("still editing (%q)", m.formErr)
	}
	if p := m.Space().Param("max_depth"); p == nil || p.Hi != 5 || len(m.Space().Params) != 1 {
		t.Errorf("space %v", m.Space())
	}
	send(t, m, "e", "esc")
	if m.Capturing() || m.Space().Param("max_depth").Hi != 5 {
		t.Error("esc changed the space or kept editing")
	}
}

// TestIntermediateTitle: the graph pane names what the intermediate values
// are — running CV means, or on a holdout the validation loss per iteration
// (negated for a metric better higher) or the one holdout score.
func TestIntermediateTitle(t *testing.T) {
	m := newScreen(t, nil, churnFrame(t, 30), 120, 40)
	fixedStudy(t, m)
	m.pane = paneGraph
	for _, c := range []struct {
		perIter bool
		dir     etune.Direction
		steps   int
		want    string
	}{
		{false, etune.Maximize, 3, "running mean per CV fold, recent trials"},
		{true, etune.Maximize, 3, "−validation loss per iteration, recent trials"},
		{true, etune.Minimize, 3, "validation loss per iteration, recent trials"},
		{true, etune.Maximize, 1, "holdout accuracy, recent trials"},
	} {
		m.perIter, m.dir = c.perIter, c.dir
		for i := range m.trials {
			if len(m.trials[i].Intermediate) > c.steps {
				m.trials[i].Intermediate = m.trials[i].Intermediate[:c.steps]
			}
		}
		m.refresh()
		v := m.View()
		if !strings.Contains(v, c.want) || (c.dir == etune.Minimize && strings.Contains(v, "−validation")) {
			t.Errorf("perIter %v %v %d steps: no %q in\n%s", c.perIter, c.dir, c.steps, c.want, v)
		}
	}
}
