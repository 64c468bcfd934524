package profile

import (
	"context"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/mlwb/mlwb/engine/demo"
	"github.com/mlwb/mlwb/engine/frame"
	eprofile "github.com/mlwb/mlwb/engine/profile"
	"github.com/mlwb/mlwb/internal/profilecache"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/uitest"
	"github.com/mlwb/mlwb/workspace"
)

// customers is the deterministic frame of the goldens.
func customers() *frame.Frame { return demo.Customers(1, 300) }

func newScreen(t testing.TB, w, h int, theme string, f *frame.Frame) *Model {
	t.Helper()
	m := New(uitest.Common(t, theme))
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

// checkFits fails when the view is not exactly w×h cells.
func checkFits(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Fatalf("view has %d lines, want %d:\n%s", len(lines), h, v)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i+1, n, w, l)
		}
	}
}

func TestGolden(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		for _, tc := range []struct {
			name, theme string
			keys        []string
		}{
			{"detail", themes.NameNoColor, []string{"j", "j"}},
			{"histogram", themes.NameDark, []string{"G", "k", "k", "k", "k", "k", "k"}}, // data_usage_gb
			{"corr", themes.NameNoColor, []string{"c"}},
			{"corr_dark", themes.NameDark, []string{"c", "j"}},
			{"alerts", themes.NameNoColor, []string{"a", "j", "j"}},
			{"sorted", themes.NameNoColor, []string{"l", "l", "l", "S"}},
		} {
			t.Run(fmt.Sprintf("%dx%d_%s", size.w, size.h, tc.name), func(t *testing.T) {
				m := newScreen(t, size.w, size.h, tc.theme, customers())
				send(t, m, tc.keys...)
				checkFits(t, m.View(), size.w, size.h)
				golden.RequireEqual(t, []byte(m.View()))
			})
		}
	}
}

func TestDemoAlertsShown(t *testing.T) {
	m := newScreen(t, 120, 40, themes.NameNoColor, demo.Customers(1, 2000))
	if m.Report() == nil || m.Running() {
		t.Fatal("profile not complete")
	}
	v := m.View()
	for _, want := range []string{"INCON", "PII", "OUTL", "duplicates"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
}

func TestSortByHeader(t *testing.T) {
	m := newScreen(t, 80, 24, themes.NameNoColor, customers())
	names := func() []string {
		var out []string
		for _, i := range m.order {
			out = append(out, m.cols[i].Name)
		}
		return out
	}
	send(t, m, "l", "l", "l") // distinct
	if m.hdr != fDistinct {
		t.Fatalf("header %d, want distinct", m.hdr)
	}
	send(t, m, "s")
	got := names()
	for k := 1; k < len(m.order); k++ {
		if m.cols[m.order[k-1]].Distinct > m.cols[m.order[k]].Distinct {
			t.Fatalf("not ascending by distinct: %v", got)
		}
	}
	send(t, m, "S")
	if got := names(); got[0] != "customer_id" { // 300 distinct ids
		t.Fatalf("descending by distinct starts with %q: %v", got[0], got)
	}
	send(t, m, "S") // again: back to frame order
	if got := names(); got[0] != "customer_id" || got[1] != "signup_date" || m.sortBy != -1 {
		t.Fatalf("sort not cleared: %v", got)
	}
	// Numeric keys put text columns (NaN) last in both directions.
	send(t, m, "l", "l", "s") // mean
	if m.hdr != fMean {
		t.Fatalf("header %d, want mean", m.hdr)
	}
	last := m.cols[m.order[len(m.order)-1]]
	first := m.cols[m.order[0]]
	if first.Numeric == nil || last.Numeric != nil {
		t.Fatalf("mean sort: first %s, last %s", first.Name, last.Name)
	}
	send(t, m, "S")
	if m.cols[m.order[0]].Numeric == nil {
		t.Fatalf("descending mean sort starts with %s", m.cols[m.order[0]].Name)
	}
	// The cursor stays on its column while re-sorting.
	send(t, m, "g", "j")
	sel := m.cols[m.selCol].Name
	send(t, m, "s")
	if m.cols[m.order[m.cur]].Name != sel {
		t.Fatalf("cursor moved from %s to %s", sel, m.cols[m.order[m.cur]].Name)
	}
}

func TestAlertJump(t *testing.T) {
	m := newScreen(t, 80, 24, themes.NameNoColor, customers())
	send(t, m, "a")
	if m.focus != paneSide || m.view != viewAlerts {
		t.Fatalf("a: focus %v view %v", m.focus, m.view)
	}
	k := -1
	for i, a := range m.report.Alerts {
		if a.Column == "email" && a.Kind == eprofile.PII {
			k = i
		}
	}
	if k < 0 {
		t.Fatal("no PII alert on email")
	}
	for range k {
		send(t, m, "j")
	}
	send(t, m, "enter")
	if m.cols[m.selCol].Name != "email" || m.view != viewDetail || m.focus != paneTable {
		t.Fatalf("after enter: column %s, view %v, focus %v", m.cols[m.selCol].Name, m.view, m.focus)
	}
	if !strings.Contains(m.View(), "email · string") {
		t.Fatalf("detail of email not shown:\n%s", m.View())
	}
	// The strongest pair jumps to its first column.
	send(t, m, "c", "enter")
	if got, want := m.cols[m.selCol].Name, m.pairs[0].A; got != want {
		t.Fatalf("pair jump: %s, want %s", got, want)
	}
	// A table-wide alert (duplicates) stays put.
	send(t, m, "a", "g")
	if m.report.Alerts[0].Column == "" {
		before := m.selCol
		send(t, m, "enter")
		if m.selCol != before || m.view != viewAlerts {
			t.Fatal("a table-wide alert must not move the table")
		}
	}
}

func TestPanesAndKeys(t *testing.T) {
	m := New(uitest.Common(t, themes.NameNoColor))
	if m.HasPanes() || len(m.ShortHelp()) != 0 {
		t.Fatal("no panes or keys without a dataset")
	}
	m.SetSize(80, 24)
	if !strings.Contains(m.View(), "No dataset selected") {
		t.Fatalf("empty view: %q", m.View())
	}
	uitest.Send(t, m, ui.DatasetLoadedMsg{Name: "customers", Frame: customers()})
	if !m.HasPanes() {
		t.Fatal("HasPanes false with a profile")
	}
	send(t, m, "tab")
	if m.focus != paneSide {
		t.Fatal("tab must focus the side pane")
	}
	send(t, m, "shift+tab")
	if m.focus != paneTable {
		t.Fatal("shift+tab must focus the table")
	}
	send(t, m, "c", "esc")
	if m.focus != paneTable || m.view != viewCorr {
		t.Fatalf("esc: focus %v view %v", m.focus, m.view)
	}
	send(t, m, "m")
	if methods[m.method] != "spearman" || !strings.Contains(m.View(), "spearman") {
		t.Fatalf("m: method %s", methods[m.method])
	}
	send(t, m, "m", "m")
	if m.method != 0 {
		t.Fatal("m cycles")
	}
	var help []string
	for _, g := range m.FullHelp() {
		for _, b := range g {
			help = append(help, b.Help().Key)
		}
	}
	for _, want := range []string{"s/S", "d", "c", "a", "m", "enter", "tab", "r"} {
		if !strings.Contains(strings.Join(help, " "), want) {
			t.Errorf("help lacks %q: %v", want, help)
		}
	}
	if m.Capturing() || m.Title() != "Profile" {
		t.Fatal("Capturing/Title")
	}
}

func TestStreamingColumns(t *testing.T) {
	m := New(uitest.Common(t, themes.NameNoColor))
	m.SetSize(80, 24)
	f := customers()
	// Deliver the load without settling: the job starts but its messages
	// are fed by hand.
	_, _ = m.Update(ui.DatasetLoadedMsg{Name: "customers", Frame: f})
	if !m.Running() {
		t.Fatal("no job started without a workspace")
	}
	id := m.job.ID
	m.job.Cancel() // keep the real job from mattering
	r, err := eprofile.Profile(context.Background(), f, eprofile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(columnsMsg{jobID: id, cols: r.Columns[2:4]})
	if m.nHave != 2 || !strings.Contains(m.View(), "profiling 2/19") || !strings.Contains(m.View(), "age") {
		t.Fatalf("partial view:\n%s", m.View())
	}
	m.Update(columnsMsg{jobID: id + 100, cols: r.Columns}) // stale
	if m.nHave != 2 {
		t.Fatal("a stale job's columns were shown")
	}
	m.Update(doneMsg{jobID: id + 100, report: r})
	if m.Report() != nil {
		t.Fatal("a stale job's report was shown")
	}
	m.Update(doneMsg{jobID: id, report: r})
	if m.Report() != r || m.Running() || m.nHave != 19 {
		t.Fatalf("done: report %v running %v columns %d", m.Report() != nil, m.Running(), m.nHave)
	}
	m.Update(columnsMsg{jobID: id, cols: r.Columns[:1], closed: true}) // late
	if m.nHave != 19 {
		t.Fatal("late columns changed a complete report")
	}
}

func TestStreamOrder(t *testing.T) {
	s := newStream()
	s.jobID = 7
	s.Push(eprofile.ColumnReport{Name: "a"})
	s.Push(eprofile.ColumnReport{Name: "b"})
	msg := s.wait().(columnsMsg)
	if msg.jobID != 7 || len(msg.cols) != 2 || msg.closed {
		t.Fatalf("first wait: %+v", msg)
	}
	s.Push(eprofile.ColumnReport{Name: "c"})
	s.Close()
	msg = s.wait().(columnsMsg)
	if len(msg.cols) != 1 || !msg.closed {
		t.Fatalf("second wait: %+v", msg)
	}
	if msg := s.wait().(columnsMsg); !msg.closed || len(msg.cols) != 0 {
		t.Fatalf("a wait after close must return at once: %+v", msg)
	}
}

func TestCancel(t *testing.T) {
	c := uitest.Common(t, themes.NameNoColor)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c.Ctx = ctx
	m := New(c)
	m.SetSize(80, 24)
	uitest.Send(t, m, ui.DatasetLoadedMsg{Name: "customers", Frame: customers()})
	if m.Running() || m.Report() != nil || !strings.Contains(m.View(), "cancelled") {
		t.Fatalf("cancelled job: running %v\n%s", m.Running(), m.View())
	}
	m.c.Ctx = context.Background()
	send(t, m, "r")
	if m.Report() == nil {
		t.Fatal("r must restart the profile")
	}
}

func TestCachedProfileOnReopen(t *testing.T) {
	ws, err := workspace.Init(t.TempDir(), "t")
	if err != nil {
		t.Fatal(err)
	}
	card := ws.Card()
	card.Target = "churn"
	if err := ws.SaveCard(card); err != nil {
		t.Fatal(err)
	}
	f := customers()
	d, err := ws.ImportFrame(context.Background(), "customers", "demo", f)
	if err != nil {
		t.Fatal(err)
	}
	c := uitest.Common(t, themes.NameNoColor)
	c.Workspace = ws
	loaded := ui.DatasetLoadedMsg{Name: "customers", Frame: f}

	first := New(c)
	first.SetSize(80, 24)
	uitest.Send(t, first, loaded)
	if first.Report() == nil || first.Cached() || first.Report().Target == nil {
		t.Fatalf("first open must compute a profile with the card's target")
	}
	if _, err := os.Stat(profilecache.Path(ws, d.Hash, "churn")); err != nil {
		t.Fatalf("profile not cached: %v", err)
	}

	// Reopen: the lookup command answers from the cache and no job starts.
	second := New(c)
	second.SetSize(80, 24)
	_, cmd := second.Update(loaded)
	if second.Running() {
		t.Fatal("a job started before the cache lookup")
	}
	msg := cmd()
	if _, ok := msg.(ui.JobStartedMsg); ok {
		t.Fatal("the first command started a job")
	}
	_, next := second.Update(msg)
	if next != nil || second.Running() || !second.Cached() || second.Report() == nil {
		t.Fatalf("reopen: cmd %v running %v cached %v", next != nil, second.Running(), second.Cached())
	}
	if !strings.Contains(second.View(), "cached") || !strings.Contains(second.View(), "target churn") {
		t.Fatalf("view:\n%s", second.View())
	}

	// r recomputes (a job) even with a cache.
	_, cmd = second.Update(uitest.Key("r"))
	if !second.Running() || cmd == nil {
		t.Fatal("r must start a job")
	}
	uitest.Settle(t, second, cmd)
	if second.Cached() || second.Report() == nil {
		t.Fatal("recomputed profile")
	}

	// A card without the target looks up another cache entry.
	card.Target = ""
	if err := ws.SaveCard(card); err != nil {
		t.Fatal(err)
	}
	uitest.Send(t, second, ui.WorkspaceChangedMsg{})
	if second.Report() == nil || second.Report().Target != nil {
		t.Fatal("target change must re-profile without a target")
	}
}

func TestBadInput(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	frames := map[string]*frame.Frame{
		"no columns": frame.MustNew(),
		"no rows": frame.MustNew(frame.NewFloat64("x", nil, frame.Mask{}),
			frame.NewString("s", nil, frame.Mask{})),
		"one row": frame.MustNew(frame.NewFloat64("x", []float64{1}, frame.Mask{}),
			frame.NewBool("b", []bool{true}, frame.Mask{})),
		"inf nan and all missing": frame.MustNew(
			frame.NewFloat64("x", []float64{inf, nan, -inf, 1, 2}, frame.Mask{}),
			frame.NewFloat64("na", make([]float64, 5), frame.MaskFromMissing([]bool{true, true, true, true, true})),
			frame.NewString("s", make([]string, 5), frame.MaskFromMissing([]bool{true, true, true, true, true})),
			frame.NewDatetime("d", make([]int64, 5), frame.MaskFromMissing([]bool{true, true, true, true, true}))),
	}
	for name, f := range frames {
		t.Run(name, func(t *testing.T) {
			m := newScreen(t, 80, 24, themes.NameNoColor, f)
			if m.Report() == nil && f.NumCols() > 0 {
				t.Fatal("no report")
			}
			for _, k := range []string{"j", "G", "l", "l", "l", "l", "l", "l", "l", "l", "l", "l", "s", "S", "c", "j", "enter", "a", "j", "enter", "d", "m"} {
				send(t, m, k)
				checkFits(t, m.View(), 80, 24)
			}
			for _, sz := range [][2]int{{0, 0}, {10, 3}, {40, 8}, {200, 60}} {
				m.SetSize(sz[0], sz[1])
				if sz[0] > 0 {
					checkFits(t, m.View(), sz[0], sz[1])
				}
			}
		})
	}
	// A failed load empties the screen.
	m := newScreen(t, 80, 24, themes.NameNoColor, customers())
	uitest.Send(t, m, ui.DatasetLoadedMsg{Name: "gone.csv", Err: fmt.Errorf("boom")})
	if m.Report() != nil || !strings.Contains(m.View(), "Could not open gone.csv") {
		t.Fatalf("after a failed load:\n%s", m.View())
	}
}

func TestWideTable(t *testing.T) {
	const n = 10000
	cols := make([]frame.Column, n)
	for j := range cols {
		cols[j] = frame.NewFloat64(fmt.Sprintf("c%05d", j), []float64{float64(j % 3), 1, float64(j % 5)}, frame.Mask{})
	}
	m := newScreen(t, 120, 40, themes.NameNoColor, frame.MustNew(cols...))
	if m.nHave != n || m.Report() == nil {
		t.Fatalf("%d columns profiled", m.nHave)
	}
	send(t, m, "G")
	if !strings.Contains(m.View(), "c09999") {
		t.Fatal("last column not shown after G")
	}
	send(t, m, "c")
	checkFits(t, m.View(), 120, 40)
}

func TestInApp(t *testing.T) {
	c := uitest.Common(t, themes.NameNoColor)
	f := customers()
	a := ui.New(c, ui.Options{Loader: func(context.Context, string, func(int64, int64)) (*frame.Frame, error) { return f, nil }}, New(c))
	var tm tea.Model = a
	tm = uitest.Send(t, tm, tea.WindowSizeMsg{Width: 80, Height: 24})
	tm = uitest.Send(t, tm, ui.DatasetSelectedMsg{Name: "customers"})
	tm = uitest.Send(t, tm, uitest.Key("tab")) // the screen's panes take tab
	tm = uitest.Send(t, tm, uitest.Key("c"))
	v := tm.View()
	if !strings.Contains(v, "[c correlations]") || !strings.Contains(v, "strongest pairs") {
		t.Fatalf("app view:\n%s", v)
	}
	lines := strings.Split(v, "\n")
	if len(lines) != 24 {
		t.Fatalf("app view has %d lines", len(lines))
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > 80 {
			t.Fatalf("line wider than 80: %q", l)
		}
	}
}
