package ui_test

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/uitest"
)

// nine builds an app with the nine screens of the canonical tab order.
func nine(t *testing.T, title string, w int) *ui.App {
	t.Helper()
	var screens []ui.Screen
	for _, n := range []string{"Project", "Data", "Profile", "Clean", "Features", "Train", "Tune", "Evaluate", "Monitor"} {
		screens = append(screens, &stub{title: n})
	}
	a := ui.New(uitest.Common(t, themes.NameNoColor), ui.Options{Title: title}, screens...)
	a.Update(tea.WindowSizeMsg{Width: w, Height: 24})
	return a
}

// The header used to be cut at the window's edge: at 80 columns the last
// tabs were gone (Monitor showed as "6"), so on them the header did not say
// which screen was open. Inactive tabs now shrink to their numbers first.
func TestHeaderKeepsActiveTab(t *testing.T) {
	for _, w := range []int{40, 60, 80, 120} {
		for k := 1; k <= 9; k++ {
			a := nine(t, "Customer churn (demo)", w)
			press(a, string(rune('0'+k)))
			header := strings.SplitN(a.View(), "\n", 2)[0]
			if got := ansi.StringWidth(header); got != w {
				t.Errorf("%d cols, tab %d: header %d cells wide: %q", w, k, got, header)
			}
			title := []string{"Project", "Data", "Profile", "Clean", "Features", "Train", "Tune", "Evaluate", "Monitor"}[k-1]
			if !strings.Contains(header, string(rune('0'+k))+" "+title) {
				t.Errorf("%d cols, tab %d: header %q lacks the active tab %q", w, k, header, title)
			}
		}
	}
	// Wide enough: every label in full, as before.
	a := nine(t, "churn", 200)
	header := strings.SplitN(a.View(), "\n", 2)[0]
	if !strings.Contains(header, " churn  1 Project  2 Data  3 Profile  4 Clean  5 Features  6 Train  7 Tune  8 Evaluate  9 Monitor ") {
		t.Errorf("wide header %q", header)
	}
	// 80 columns: numbers for the others, the title kept.
	a = nine(t, "Customer churn (demo)", 80)
	press(a, "9")
	header = strings.SplitN(a.View(), "\n", 2)[0]
	if want := " mlwb  Customer churn (demo)  1  2  3  4  5  6  7  8  9 Monitor "; !strings.HasPrefix(header, want) {
		t.Errorf("80-column header %q, want prefix %q", header, want)
	}
}

// Clicks land on the tabs as drawn, compact or not.
func TestHeaderClicksCompact(t *testing.T) {
	a := nine(t, "Customer churn (demo)", 80)
	press(a, "9")
	header := strings.SplitN(a.View(), "\n", 2)[0]
	x := strings.Index(header, " 3 ") + 1
	a.Update(tea.MouseMsg{X: x, Y: 0, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if a.Active() != 2 {
		t.Errorf("click at column %d of %q: screen %d, want 2", x, header, a.Active())
	}
}
