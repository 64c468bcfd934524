package project

import (
	"testing"

	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/uitest"

	tea "github.com/charmbracelet/bubbletea"
)

// The help says "tab/→ next pane", but the screen did not implement
// ui.Panes, so in the app tab went to the Data screen instead.
func TestTabMovesPanesInTheApp(t *testing.T) {
	ws := newWorkspace(t)
	c := uitest.Common(t, themes.NameDark)
	c.Workspace = ws
	m := NewWithOptions(c, Options{})
	other := New(uitest.Common(t, themes.NameDark)) // a second screen to switch to
	a := ui.New(c, ui.Options{}, m, other)
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if m.focus != paneCard {
		t.Fatalf("focus %v at start", m.focus)
	}
	a.Update(uitest.Key("tab"))
	if a.Active() != 0 || m.focus != paneDatasets {
		t.Errorf("tab: screen %d, focus %v; want screen 0, datasets", a.Active(), m.focus)
	}
	a.Update(uitest.Key("shift+tab"))
	if a.Active() != 0 || m.focus != paneCard {
		t.Errorf("shift+tab: screen %d, focus %v; want screen 0, card", a.Active(), m.focus)
	}
	// Number keys still switch screens.
	a.Update(uitest.Key("2"))
	if a.Active() != 1 {
		t.Errorf("2: screen %d", a.Active())
	}
	// Without a workspace there is one pane: tab is the next screen.
	n := New(uitest.Common(t, themes.NameDark))
	a = ui.New(uitest.Common(t, themes.NameDark), ui.Options{}, n, other)
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	a.Update(uitest.Key("tab"))
	if a.Active() != 1 {
		t.Errorf("tab without a workspace: screen %d, want 1", a.Active())
	}
}
