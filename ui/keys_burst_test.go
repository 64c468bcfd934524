package ui_test

import (
	"fmt"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
)

// runes is what bubbletea v1 sends for printable keys that arrive in one
// read: a single KeyMsg holding all of them.
func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// Keys pressed in quick succession (over SSH they share a packet) used to be
// one unmatched message and were lost: "2x" neither switched screens nor
// reached the Data screen.
func TestKeyBurstIsSplit(t *testing.T) {
	a, p, d := newApp(t, themes.NameDark, ui.Options{})
	a.Update(runes("2xjj"))
	if a.Active() != 1 {
		t.Fatalf("burst \"2xjj\": screen %d, want 1", a.Active())
	}
	if fmt.Sprint(d.keys) != "[x j j]" || len(p.keys) != 0 {
		t.Errorf("Data got %v, Project %v; want [x j j] and nothing", d.keys, p.keys)
	}
	_, cmd := a.Update(runes("jq"))
	if !isQuit(batchQuits(cmd)) {
		t.Error("burst \"jq\" did not quit")
	}
}

// Once the screen captures text, the rest of the burst is typed text, in one
// message; q and digits in it neither quit nor switch screens.
func TestKeyBurstToCapturingScreen(t *testing.T) {
	a, _, d := newApp(t, themes.NameDark, ui.Options{})
	press(a, "2")
	d.capturing = true
	a.Update(runes("q2ab"))
	if a.Active() != 1 || fmt.Sprint(d.keys) != "[q2ab]" {
		t.Errorf("screen %d, keys %v; want 1 and [q2ab]", a.Active(), d.keys)
	}
	// A bracketed paste stays whole even when nothing captures.
	d.capturing, d.keys = false, nil
	a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("1q"), Paste: true})
	if a.Active() != 1 || len(d.keys) != 1 {
		t.Errorf("paste: screen %d, keys %v", a.Active(), d.keys)
	}
}

// batchQuits runs cmd, expanding a tea.BatchMsg, and returns a command that
// yields tea.QuitMsg if any part quits.
func batchQuits(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		for _, c := range b {
			if q := batchQuits(c); q != nil {
				return q
			}
		}
		return nil
	}
	if _, ok := msg.(tea.QuitMsg); ok {
		return func() tea.Msg { return tea.QuitMsg{} }
	}
	return nil
}
