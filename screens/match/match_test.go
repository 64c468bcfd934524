package match

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	matcher "github.com/mlwb/mlwb/engine/match"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/uitest"
	"github.com/mlwb/mlwb/workspace"
)

func newScreen(t *testing.T, w, h int, theme string) *Model {
	t.Helper()
	m := New(uitest.Common(t, theme))
	m.SetSize(w, h)
	return m
}

func send(t *testing.T, m *Model, keys ...string) {
	t.Helper()
	for _, k := range keys {
		uitest.Send(t, m, uitest.Key(k))
	}
}

// setForm replaces the form's values by typing into each input.
func setForm(t *testing.T, m *Model, vals ...string) {
	t.Helper()
	m.setEditing(true)
	for i, v := range vals {
		m.setFocus(i)
		m.inputs[i].SetValue("")
		uitest.Type(t, m, v)
	}
	m.setFocus(0)
	m.render()
}

// linked runs crm × shop on name=company (token set) and city=town (JW) with
// threshold 0.98 and review band [0.8, 0.98).
func linked(t *testing.T, w, h int, theme string) *Model {
	t.Helper()
	m := newScreen(t, w, h, theme)
	setForm(t, m, "testdata/crm.csv", "testdata/shop.csv", "name=company:tokenset:2,city=town:jw", "0.98", "0.8,0.98")
	send(t, m, "enter")
	if m.res == nil {
		t.Fatalf("no result; form error %q", m.formErr)
	}
	return m
}

func TestRunAndReview(t *testing.T) {
	m := linked(t, 120, 37, themes.NameDark)
	if m.Capturing() {
		t.Error("the review view must not capture keys")
	}
	c := m.res.Counts()
	// Akzo, Philips (token subsets, same city) score 1; Unilever/Unilver
	// (14/15, 0.956 with the city), ASML Holding(s) (0.973) and
	// Heineken/Heinekin (0.917) fall in the band.
	if c[matcher.Auto] != 2 || c[matcher.Review] != 3 {
		t.Fatalf("counts %v, want 2 auto and 3 review; pairs %+v", c, m.res.Pairs)
	}
	if !m.reviewOnly || len(m.rows) != 3 {
		t.Fatalf("review filter %v with %d rows, want on with 3", m.reviewOnly, len(m.rows))
	}
	first := m.rows[0]
	send(t, m, "a") // accept the first, cursor moves to the next undecided
	if m.res.Pairs[first].Status != matcher.Accepted || m.cur != 1 {
		t.Errorf("after a: status %v, cursor %d", m.res.Pairs[first].Status, m.cur)
	}
	send(t, m, "r")
	if m.res.Pairs[m.rows[1]].Status != matcher.Rejected || m.cur != 2 {
		t.Errorf("after r: status %v, cursor %d", m.res.Pairs[m.rows[1]].Status, m.cur)
	}
	send(t, m, "k", "u")
	if m.res.Pairs[m.rows[1]].Status != matcher.Review {
		t.Errorf("after u: status %v, want review", m.res.Pairs[m.rows[1]].Status)
	}
	send(t, m, "g", "n")
	if m.cur != 1 {
		t.Errorf("n from the top should find row 1 (undecided), cursor %d", m.cur)
	}
	onPair := m.rows[m.cur]
	send(t, m, "f")
	if m.reviewOnly || len(m.rows) != len(m.res.Pairs) {
		t.Errorf("f: filter %v, %d rows of %d", m.reviewOnly, len(m.rows), len(m.res.Pairs))
	}
	if m.rows[m.cur] != onPair {
		t.Errorf("f moved the cursor from pair %d to %d", onPair, m.rows[m.cur])
	}
	send(t, m, "G")
	if m.cur != len(m.rows)-1 {
		t.Errorf("G: cursor %d", m.cur)
	}
	if v := m.View(); !strings.Contains(v, "1 accepted") || !strings.Contains(v, "crm.csv") || !strings.Contains(v, "all pairs") {
		t.Errorf("view lacks the summary:\n%s", v)
	}

	// Re-running keeps the decisions made on the same tables.
	send(t, m, "e")
	if !m.Capturing() {
		t.Fatal("e should focus the form")
	}
	send(t, m, "enter")
	if c := m.res.Counts(); c[matcher.Accepted] != 1 {
		t.Errorf("after re-run: counts %v, want the acceptance kept", c)
	}
}

func TestFormErrors(t *testing.T) {
	m := newScreen(t, 80, 21, themes.NameNoColor)
	if m.Capturing() {
		t.Fatal("the screen must not capture keys until e is pressed, or tab could not leave it")
	}
	send(t, m, "tab", "1") // global keys: not typed into the form
	if m.inputs[inLeft].Value() != "" {
		t.Fatalf("keys typed into an unfocused form: %q", m.inputs[inLeft].Value())
	}
	send(t, m, "e")
	if !m.Capturing() {
		t.Fatal("e should focus the form")
	}
	send(t, m, "enter")
	if !strings.Contains(m.formErr, "left dataset") || m.focus != inLeft {
		t.Errorf("empty left: %q, focus %d", m.formErr, m.focus)
	}
	cases := []struct {
		vals  []string
		field int
		want  string
	}{
		{[]string{"testdata/crm.csv", "", ""}, inFields, "no fields"},
		{[]string{"testdata/crm.csv", "", "name:soundex"}, inFields, "unknown similarity"},
		{[]string{"testdata/crm.csv", "", "name", "2"}, inThreshold, "threshold"},
		{[]string{"testdata/crm.csv", "", "name", "0.9", "0.9"}, inReview, "review band"},
		{[]string{"testdata/crm.csv", "", "nme", "0.9", ""}, inFields, `no column "nme" in left table (columns: id, name, city)`},
		{[]string{"testdata/nope.csv", "", "name", "0.9", ""}, inFields, "no such file"},
	}
	for _, c := range cases {
		setForm(t, m, c.vals...)
		send(t, m, "enter")
		if !strings.Contains(m.formErr, c.want) {
			t.Errorf("%v: error %q, want %q", c.vals, m.formErr, c.want)
		}
		if !m.Capturing() {
			t.Errorf("%v: the form should be focused after an error", c.vals)
		}
		if !strings.Contains(m.View(), strings.SplitN(c.want, " (", 2)[0]) {
			t.Errorf("%v: view lacks the error:\n%s", c.vals, m.View())
		}
	}
	// esc stops editing: global keys are free again.
	send(t, m, "esc")
	if m.Capturing() {
		t.Error("esc should leave the form")
	}
}

func TestDedupeAndDatasetLoaded(t *testing.T) {
	m := newScreen(t, 80, 21, themes.NameDark)
	f, err := load(t.Context(), nil, "testdata/shop.csv")
	if err != nil {
		t.Fatal(err)
	}
	uitest.Send(t, m, ui.DatasetLoadedMsg{Name: "testdata/shop.csv", Frame: f})
	if m.inputs[inLeft].Value() != "testdata/shop.csv" || !strings.Contains(m.View(), "columns of testdata/shop.csv: id, company, town") {
		t.Errorf("left not prefilled:\n%s", m.View())
	}
	send(t, m, "e")
	m.setFocus(inFields)
	uitest.Type(t, m, "town:exact")
	send(t, m, "enter")
	if m.res == nil || !m.res.Dedupe {
		t.Fatalf("no dedupe result: %q", m.formErr)
	}
	// No two shop rows share a town: nothing matches.
	if len(m.res.Pairs) != 0 || !strings.Contains(m.View(), "no pairs to show") {
		t.Errorf("pairs %+v\n%s", m.res.Pairs, m.View())
	}
	send(t, m, "a", "r", "u", "n", "j", "G") // no rows: nothing panics
	send(t, m, "s")                          // no workspace: an error message, no panic
}

func TestSaveToWorkspace(t *testing.T) {
	dir := t.TempDir()
	ws, err := workspace.Init(filepath.Join(dir, "ws"), "")
	if err != nil {
		t.Fatal(err)
	}
	c := uitest.Common(t, themes.NameDark)
	c.Workspace = ws
	m := New(c)
	m.SetSize(100, 30)
	setForm(t, m, "testdata/crm.csv", "testdata/shop.csv", "name=company", "0.95", "0.8,0.95")
	send(t, m, "enter", "a", "s")
	ds, err := ws.Datasets()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range ds {
		names = append(names, d.Name)
	}
	if strings.Join(names, ",") != "crm_shop_matches,crm_shop_merged" && strings.Join(names, ",") != "crm_shop_merged,crm_shop_matches" {
		t.Fatalf("datasets %v", names)
	}
	mt, err := ws.LoadDataset(t.Context(), "crm_shop_matches")
	if err != nil {
		t.Fatal(err)
	}
	st, _ := mt.Column("status")
	acc := 0
	for i := 0; i < mt.NumRows(); i++ {
		if st.Format(i) == "accepted" {
			acc++
		}
	}
	if acc != 1 {
		t.Errorf("saved match table has %d accepted pairs, want 1", acc)
	}
	if m.lastSavedMatches != "crm_shop_matches@1" {
		t.Errorf("last saved %q", m.lastSavedMatches)
	}
	ev, err := ws.History(5)
	if err != nil || len(ev) == 0 || ev[len(ev)-1].Action != "match" {
		t.Errorf("history %+v, %v", ev, err)
	}
}

func TestStaleResultDropped(t *testing.T) {
	m := linked(t, 80, 21, themes.NameDark)
	before := m.res
	m.Update(matchDoneMsg{jobID: 9999, res: &matcher.Result{}})
	if m.res != before {
		t.Error("a result from an older job replaced the current one")
	}
}

func TestGolden(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		for _, theme := range []string{themes.NameDark, themes.NameNoColor} {
			// The shell takes 3 lines (header, status, help).
			t.Run(fmt.Sprintf("form_%dx%d_%s", sz.w, sz.h, theme), func(t *testing.T) {
				m := newScreen(t, sz.w, sz.h-3, theme)
				setForm(t, m, "testdata/crm.csv", "testdata/shop.csv", "name=company:tokenset:2,city=town:jw", "0.98", "0.8,0.98")
				golden.RequireEqual(t, []byte(m.View()))
			})
			t.Run(fmt.Sprintf("review_%dx%d_%s", sz.w, sz.h, theme), func(t *testing.T) {
				m := linked(t, sz.w, sz.h-3, theme)
				send(t, m, "a", "f", "j")
				golden.RequireEqual(t, []byte(m.View()))
			})
		}
	}
}

var _ tea.Model = (*Model)(nil)
var _ ui.Screen = (*Model)(nil)

func TestMain(m *testing.M) {
	os.Exit(m.Run())
}
