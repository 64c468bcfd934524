package data

import (
	"errors"
	"strings"
	"testing"

	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/uitest"
)

// Below PanelMinWidth the panel cannot be drawn: "p" used to be listed in the
// full help at 80 columns and then do nothing at all. It is no longer
// listed there, and pressing it says why nothing opens.
func TestPanelKeyAtNarrowWidth(t *testing.T) {
	m, _ := newScreen(t, 80, 21, themes.NameDark)
	for _, col := range m.FullHelp() {
		for _, b := range col {
			if b.Help().Key == "p" {
				t.Error("the full help at 80 columns lists p (column panel)")
			}
		}
	}
	_, cmd := m.Update(uitest.Key("p"))
	var msg any
	if cmd != nil {
		msg = cmd()
	}
	st, ok := msg.(ui.StatusMsg)
	if !ok || !strings.Contains(st.Text, "100 columns") {
		t.Errorf("p at 80 columns gave %#v, want a StatusMsg naming the width needed", msg)
	}
	// Wide enough, p still toggles the panel and is listed.
	m, _ = newScreen(t, 120, 30, themes.NameDark)
	if !m.panelShown() {
		t.Fatal("panel not shown at 120 columns")
	}
	m.Update(uitest.Key("p"))
	if m.panelShown() {
		t.Error("p did not hide the panel at 120 columns")
	}
	listed := false
	for _, col := range m.FullHelp() {
		for _, b := range col {
			listed = listed || b.Help().Key == "p"
		}
	}
	if !listed {
		t.Error("p missing from the full help at 120 columns")
	}
}

// A file that fails to load left the screen saying "No dataset selected —
// import one", as if nothing had been asked for.
func TestFailedOpenNamesTheFile(t *testing.T) {
	m := New(uitest.Common(t, themes.NameDark))
	m.SetSize(80, 21)
	m.Update(ui.DatasetLoadedMsg{Name: "/tmp/sales.csv", Err: errors.New("sales.csv:2:3: unterminated quoted field")})
	if v := m.View(); !strings.Contains(v, "Could not open /tmp/sales.csv") {
		t.Errorf("view after a failed open: %q", v)
	}
	m.Update(ui.DatasetLoadedMsg{Name: "customers", Frame: smallFrame()})
	if v := m.View(); strings.Contains(v, "Could not open") {
		t.Errorf("view after a good open still says it failed: %q", v)
	}
}
