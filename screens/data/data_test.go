package data

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/uitest"
)

// smallFrame is a deterministic 40-row frame with every column type and some
// missing values.
func smallFrame() *frame.Frame {
	const n = 40
	cities := []string{"oslo", "paris", "berlin", "rome", "lisbon"}
	id := make([]int64, n)
	age := make([]int64, n)
	ageNA := make([]bool, n)
	fee := make([]float64, n)
	city := make([]string, n)
	name := make([]string, n)
	ok := make([]bool, n)
	when := make([]int64, n)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		id[i] = int64(i + 1)
		age[i] = int64(18 + (i*7)%50)
		ageNA[i] = i%9 == 4
		fee[i] = float64((i*37)%1000) / 10
		city[i] = cities[(i*3)%len(cities)]
		name[i] = fmt.Sprintf("customer %02d", (i*13)%n)
		ok[i] = i%3 == 0
		when[i] = t0.AddDate(0, 0, i*5).UnixNano()
	}
	fee[7] = math.NaN()
	return frame.MustNew(
		frame.NewInt64("id", id, frame.Mask{}),
		frame.NewInt64("age", age, frame.MaskFromMissing(ageNA)),
		frame.NewFloat64("monthly_fee", fee, frame.Mask{}),
		frame.CategoricalFromStrings("city", city, nil),
		frame.NewString("name", name, frame.Mask{}),
		frame.NewBool("active", ok, frame.Mask{}),
		frame.NewDatetime("signup", when, frame.Mask{}),
	)
}

func newScreen(t testing.TB, w, h int, theme string) (*Model, tea.Model) {
	t.Helper()
	m := New(uitest.Common(t, theme))
	m.SetSize(w, h)
	return m, uitest.Send(t, m, ui.DatasetLoadedMsg{Name: "customers", Frame: smallFrame()})
}

func send(t *testing.T, m tea.Model, keys ...string) tea.Model {
	t.Helper()
	for _, k := range keys {
		m = uitest.Send(t, m, uitest.Key(k))
	}
	return m
}

func cursorOf(m *Model) (int, int) { return m.tbl.Cursor() }

func TestCursorMovesAndClamps(t *testing.T) {
	m, tm := newScreen(t, 80, 21, themes.NameDark)
	cases := []struct {
		keys     []string
		pos, col int
	}{
		{[]string{"up", "left"}, 0, 0},
		{[]string{"j", "j", "l"}, 2, 1},
		{[]string{"k", "h", "h"}, 1, 0},
		{[]string{"G"}, 39, 0},
		{[]string{"down"}, 39, 0},
		{[]string{"g"}, 0, 0},
		{[]string{"pgdown"}, 18, 0}, // 21 lines - status - 2 header lines = 18 rows
		{[]string{"pgup"}, 0, 0},
		{[]string{"ctrl+d"}, 9, 0},
		{[]string{"ctrl+u"}, 0, 0},
		{[]string{"$"}, 0, 6},
		{[]string{"right"}, 0, 6},
		{[]string{"0"}, 0, 0},
		{[]string{":", "2", "5", "enter"}, 24, 0},
		{[]string{"ctrl+g", "9", "9", "9", "enter"}, 39, 0},
	}
	for _, tc := range cases {
		tm = send(t, tm, tc.keys...)
		if p, c := cursorOf(m); p != tc.pos || c != tc.col {
			t.Errorf("after %v: cursor (%d, %d), want (%d, %d)", tc.keys, p, c, tc.pos, tc.col)
		}
	}
}

func TestJumpRejectsText(t *testing.T) {
	m, tm := newScreen(t, 80, 21, themes.NameDark)
	tm = send(t, tm, ":", "x", "enter")
	if !m.Capturing() || !strings.Contains(m.inputErr, "not a row number") {
		t.Fatalf("capturing=%v inputErr=%q", m.Capturing(), m.inputErr)
	}
	send(t, tm, "esc")
	if m.Capturing() {
		t.Fatal("esc did not close the input")
	}
}

// rowIDs returns the row ids (the id column) in view order.
func rowIDs(m *Model) []int64 {
	ids := m.f.Col(0).(*frame.Int64Col).Data
	out := make([]int64, m.tbl.Len())
	for p := range out {
		out[p] = ids[m.tbl.RowID(p)]
	}
	return out
}

func TestSortToggles(t *testing.T) {
	m, tm := newScreen(t, 80, 21, themes.NameDark)
	tm = send(t, tm, "l", "s") // age ascending; missing last
	ages := m.f.Col(1).(*frame.Int64Col)
	prev := int64(math.MinInt64)
	for p := range m.tbl.Len() {
		i := m.tbl.RowID(p)
		if ages.IsNA(i) {
			continue
		}
		if ages.Data[i] < prev {
			t.Fatalf("row %d: age %d after %d", p, ages.Data[i], prev)
		}
		prev = ages.Data[i]
	}
	if !ages.IsNA(m.tbl.RowID(39)) {
		t.Error("missing ages are not last")
	}
	tm = send(t, tm, "S")
	if m.shown.sortCol != 1 || !m.shown.desc {
		t.Fatalf("after S: %+v", m.shown)
	}
	send(t, tm, "S") // again: clear
	if m.shown.sortCol != -1 || rowIDs(m)[0] != 1 {
		t.Fatalf("after S S: %+v, first id %d", m.shown, rowIDs(m)[0])
	}
}

func TestFilterComposesWithSort(t *testing.T) {
	m, tm := newScreen(t, 80, 21, themes.NameDark)
	tm = send(t, tm, "$", "h", "h", "h", "h", "S") // monthly_fee descending
	tm = send(t, tm, "/")
	if !m.Capturing() {
		t.Fatal("/ did not open the filter")
	}
	tm = uitest.Type(t, tm, `city == "oslo"`)
	tm = send(t, tm, "enter")
	if m.Capturing() {
		t.Fatalf("enter left the input open: %q", m.inputErr)
	}
	if got := m.tbl.Len(); got != 8 {
		t.Fatalf("filtered rows = %d, want 8", got)
	}
	fees := m.f.Col(2).(*frame.Float64Col)
	cities := m.f.Col(3).(*frame.CategoricalCol)
	for p := 1; p < m.tbl.Len(); p++ {
		a, b := m.tbl.RowID(p-1), m.tbl.RowID(p)
		if cities.Str(b) != "oslo" || fees.Data[a] < fees.Data[b] {
			t.Fatalf("rows %d,%d: %s %v %v", a, b, cities.Str(b), fees.Data[a], fees.Data[b])
		}
	}
	if s := m.statusText(); !strings.Contains(s, "row 1 of 8 (filtered from 40)") {
		t.Errorf("status %q", s)
	}
	// Clearing the sort keeps the filter.
	tm = send(t, tm, "S")
	if got := rowIDs(m); !slices.IsSorted(got) || len(got) != 8 {
		t.Errorf("after clearing the sort: %v", got)
	}
	// esc clears the filter.
	send(t, tm, "esc")
	if m.tbl.Len() != 40 || m.shown.filter != "" {
		t.Errorf("after esc: %d rows, filter %q", m.tbl.Len(), m.shown.filter)
	}
}

func TestSubstringFilter(t *testing.T) {
	m, tm := newScreen(t, 80, 21, themes.NameDark)
	tm = send(t, tm, "/")
	tm = uitest.Type(t, tm, "BERLIN")
	send(t, tm, "enter")
	if got := m.tbl.Len(); got != 8 {
		t.Fatalf("rows = %d, want 8", got)
	}
}

func TestFilterErrorShownInline(t *testing.T) {
	m, tm := newScreen(t, 80, 21, themes.NameDark)
	tm = send(t, tm, "/")
	tm = uitest.Type(t, tm, "agee > 3")
	tm = send(t, tm, "enter")
	if !m.Capturing() || !strings.Contains(m.inputErr, `did you mean "age"`) {
		t.Fatalf("capturing=%v err=%q", m.Capturing(), m.inputErr)
	}
	tm = send(t, tm, "ctrl+u") // textinput: delete to the start
	tm = uitest.Type(t, tm, "age >> 3")
	tm = send(t, tm, "enter")
	if m.errCol == 0 {
		t.Fatalf("syntax error without a position: %q", m.inputErr)
	}
	if v := m.View(); !strings.Contains(v, fmt.Sprintf("^ col %d:", m.errCol)) {
		t.Errorf("view lacks the error caret:\n%s", v)
	}
	// Typing clears the error; esc closes the input and keeps all rows.
	tm = send(t, tm, "backspace")
	if m.inputErr != "" {
		t.Error("typing did not clear the error")
	}
	send(t, tm, "esc")
	if m.Capturing() || m.tbl.Len() != 40 {
		t.Error("esc did not close the input")
	}
}

func TestStaleViewResultDropped(t *testing.T) {
	m, tm := newScreen(t, 80, 21, themes.NameDark)
	// Ask for a sort but do not run it; then ask for another and run that.
	_, first := tm.Update(uitest.Key("s"))
	firstID := m.viewJob.ID
	tm = uitest.Settle(t, tm, func() tea.Msg { return nil })
	tm = send(t, tm, "l", "S")
	want := m.shown
	// Now the first job finishes late.
	tm = uitest.Settle(t, tm, first)
	if m.shown != want || m.viewJob.ID == firstID {
		t.Errorf("stale result applied: shown %+v, want %+v", m.shown, want)
	}
	_ = tm
}

func TestCancelledViewKeepsRows(t *testing.T) {
	m, tm := newScreen(t, 80, 21, themes.NameDark)
	_, cmd := tm.Update(uitest.Key("s"))
	m.viewJob.Cancel() // as the root does on esc
	uitest.Settle(t, tm, cmd)
	// The job may finish before it sees the cancellation; either way the
	// screen is consistent and no longer busy.
	if m.busy || m.want != m.shown {
		t.Errorf("busy=%v want=%+v shown=%+v", m.busy, m.want, m.shown)
	}
}

func TestNewDatasetDropsOldJobs(t *testing.T) {
	m, tm := newScreen(t, 80, 21, themes.NameDark)
	_, cmd := tm.Update(uitest.Key("s"))
	tm = uitest.Send(t, tm, ui.DatasetLoadedMsg{Name: "other", Frame: smallFrame().Head(5)})
	uitest.Settle(t, tm, cmd)
	if m.tbl.Len() != 5 || m.shown.sortCol != -1 {
		t.Errorf("old sort leaked into the new dataset: %d rows, %+v", m.tbl.Len(), m.shown)
	}
}

func TestStatsPanel(t *testing.T) {
	m, _ := newScreen(t, 120, 37, themes.NameDark)
	s, ok := m.stats[0]
	if !ok {
		t.Fatal("stats of the first column not computed")
	}
	if s.Rows != 40 || s.Distinct != 40 || s.Min != "1" || s.Max != "40" {
		t.Errorf("id stats: %+v", s)
	}
	tm := send(t, m, "l")
	s = m.stats[1]
	if s.Missing != 4 { // rows 4, 13, 22, 31
		t.Errorf("age missing = %d, want 4", s.Missing)
	}
	send(t, tm, "l", "l")
	s = m.stats[3]
	if s.Distinct != 5 || len(s.Top) != 5 || s.Top[0].Count != 8 {
		t.Errorf("city stats: %+v", s)
	}
}

func TestMouse(t *testing.T) {
	m, tm := newScreen(t, 80, 21, themes.NameDark)
	tm = uitest.Send(t, tm, tea.MouseMsg{X: 30, Y: 5, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	p, c := cursorOf(m)
	if p != 3 || c == 0 {
		t.Errorf("click: cursor (%d, %d)", p, c)
	}
	uitest.Send(t, tm, tea.MouseMsg{Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if p2, _ := cursorOf(m); p2 != p+3 {
		t.Errorf("wheel: row %d, want %d", p2, p+3)
	}
}

func TestEmptyState(t *testing.T) {
	m := New(uitest.Common(t, themes.NameDark))
	m.SetSize(80, 21)
	if v := m.View(); !strings.Contains(v, "No dataset selected") {
		t.Errorf("empty view: %q", v)
	}
	uitest.Send(t, m, uitest.Key("j")) // no panic without data
}

func TestGolden(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		for _, theme := range []string{themes.NameDark, themes.NameNoColor} {
			t.Run(fmt.Sprintf("%dx%d_%s", sz.w, sz.h, theme), func(t *testing.T) {
				// The shell takes 3 lines (header, status, help).
				m, tm := newScreen(t, sz.w, sz.h-3, theme)
				tm = send(t, tm, "j", "j", "l", "s")
				golden.RequireEqual(t, []byte(m.View()))
				_ = tm
			})
		}
	}
}

func TestGoldenFilterError(t *testing.T) {
	m, tm := newScreen(t, 80, 21, themes.NameNoColor)
	tm = send(t, tm, "/")
	tm = uitest.Type(t, tm, `city == "oslo" && age >> 3`)
	send(t, tm, "enter")
	golden.RequireEqual(t, []byte(m.View()))
}

func TestEmptyResultsAndFrames(t *testing.T) {
	m, tm := newScreen(t, 120, 21, themes.NameDark)
	tm = send(t, tm, "/")
	tm = uitest.Type(t, tm, "no such text")
	tm = send(t, tm, "enter", "j", "G", "s", "l")
	if m.tbl.Len() != 0 || !strings.Contains(m.View(), "no rows") {
		t.Errorf("empty filter result: %d rows\n%s", m.tbl.Len(), m.View())
	}
	empty, err := frame.New()
	if err != nil {
		t.Fatal(err)
	}
	tm = uitest.Send(t, tm, ui.DatasetLoadedMsg{Name: "empty", Frame: empty})
	send(t, tm, "j", "l", "s", "p", "p", "G")
	_ = m.View()
}
