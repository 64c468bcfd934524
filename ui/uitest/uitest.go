// Package uitest helps test screens without a running program: it executes
// the commands a model returns, waits for background jobs started with
// ui.Common.StartJob, and feeds their results back into the model.
package uitest

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/muesli/termenv"
)

// Common returns a ui.Common for tests: a renderer with the ASCII colour
// profile and a dark background (no terminal queries), the named theme, no
// workspace.
func Common(t testing.TB, theme string) ui.Common {
	t.Helper()
	r := Renderer()
	return ui.NewCommon(context.Background(), r, themes.New(r, theme), nil)
}

// Renderer returns a renderer writing nowhere with the ASCII profile.
func Renderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	r.SetHasDarkBackground(true)
	return r
}

// cmdTimeout bounds one command; commands that sleep longer (ticks) are
// dropped.
const cmdTimeout = 10 * time.Second

// Send calls m.Update(msg) and settles the returned command (see Settle).
func Send(t testing.TB, m tea.Model, msg tea.Msg) tea.Model {
	t.Helper()
	m, cmd := m.Update(msg)
	return Settle(t, m, cmd)
}

// Settle runs cmd and every command that follows from it, feeding each
// message to m.Update, until none is left. Jobs are waited for; their
// results (JobDoneMsg.Result) are fed to m. Spinner ticks are dropped.
func Settle(t testing.TB, m tea.Model, cmd tea.Cmd) tea.Model {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 10000 {
			t.Fatal("uitest: commands do not settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := run(t, c)
		switch msg := msg.(type) {
		case nil, spinner.TickMsg:
			continue
		case tea.BatchMsg:
			queue = append(queue, msg...)
			continue
		case ui.JobStartedMsg:
			for {
				r := msg.Wait()
				if d, ok := r.(ui.JobDoneMsg); ok {
					if d.Result != nil {
						var next tea.Cmd
						m, next = m.Update(d.Result)
						queue = append(queue, next)
					}
					break
				}
			}
			continue
		}
		var next tea.Cmd
		m, next = m.Update(msg)
		queue = append(queue, next)
	}
	return m
}

func run(t testing.TB, c tea.Cmd) tea.Msg {
	t.Helper()
	ch := make(chan tea.Msg, 1)
	go func() { ch <- c() }()
	select {
	case msg := <-ch:
		return msg
	case <-time.After(cmdTimeout):
		return nil
	}
}

// Key returns the key message for s: "enter", "esc", "up", "ctrl+d", or
// runes such as "G" or "/".
func Key(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "home":
		return tea.KeyMsg{Type: tea.KeyHome}
	case "end":
		return tea.KeyMsg{Type: tea.KeyEnd}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "ctrl+d":
		return tea.KeyMsg{Type: tea.KeyCtrlD}
	case "ctrl+u":
		return tea.KeyMsg{Type: tea.KeyCtrlU}
	case "ctrl+g":
		return tea.KeyMsg{Type: tea.KeyCtrlG}
	case " ":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// Type sends each rune of s as a key press, settling after each.
func Type(t testing.TB, m tea.Model, s string) tea.Model {
	t.Helper()
	for _, r := range s {
		m = Send(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return m
}
