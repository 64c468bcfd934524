package ui

import (
	"context"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/workspace"
)

// Common is the shared context handed to every screen and widget. Copy it
// freely: its pointers are shared.
type Common struct {
	// Ctx is cancelled when the program ends; jobs derive from it.
	Ctx context.Context
	// Width and Height are the size of the whole window when Common was last
	// updated; screens get their own box through SetSize.
	Width, Height int
	// Styles is the theme, built with Renderer.
	Styles *themes.Styles
	// Keys are the global keys handled by the root.
	Keys GlobalKeyMap
	// Workspace is the open project folder, nil when a single file is opened
	// without a workspace (then nothing is written).
	Workspace *workspace.Workspace
	// Renderer renders every style (one per SSH session later).
	Renderer *lipgloss.Renderer
	// Jobs hands out job ids; NewCommon sets it.
	Jobs *JobIDs
}

// NewCommon returns a Common with the default global keys, a fresh job id
// source and the given theme. A nil styles means themes.New(r, "dark").
func NewCommon(ctx context.Context, r *lipgloss.Renderer, styles *themes.Styles, ws *workspace.Workspace) Common {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	if styles == nil {
		styles = themes.New(r, themes.NameDark)
	}
	return Common{
		Ctx:       ctx,
		Styles:    styles,
		Keys:      DefaultGlobalKeyMap(),
		Workspace: ws,
		Renderer:  r,
		Jobs:      &JobIDs{},
	}
}

// Screen is one page of the UI, such as Project or Data. Implementations are
// pointer types whose Update returns the same pointer.
type Screen interface {
	tea.Model
	help.KeyMap
	// SetSize gives the screen its content box.
	SetSize(width, height int)
	// Title is the screen's name in the tab bar ("Data").
	Title() string
	// Capturing reports whether a text input has focus: then the root sends
	// every key except ctrl+c to the screen, so typing "q" does not quit.
	Capturing() bool
}

// Panes is implemented by screens with several panes. While HasPanes
// reports true, tab and shift+tab go to the screen (to move between its
// panes) instead of switching screens; the number keys still switch.
type Panes interface {
	HasPanes() bool
}
