// Package app wires the mlwb terminal UI: it builds the shared ui.Common, the
// screens and the root ui.App, and runs the bubbletea program. It is separate
// from package ui because it imports the screens, which import ui.
//
// main.go calls RunWorkspace or RunFile; tests and SSH sessions call New with
// their own renderer and theme.
package app

import (
	"context"
	"errors"
	"path/filepath"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/screens/clean"
	"github.com/mlwb/mlwb/screens/data"
	"github.com/mlwb/mlwb/screens/evaluate"
	"github.com/mlwb/mlwb/screens/features"
	"github.com/mlwb/mlwb/screens/match"
	"github.com/mlwb/mlwb/screens/monitor"
	"github.com/mlwb/mlwb/screens/profile"
	"github.com/mlwb/mlwb/screens/project"
	"github.com/mlwb/mlwb/screens/train"
	"github.com/mlwb/mlwb/screens/tune"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/workspace"
)

// Config says what the UI opens. The zero value opens nothing.
type Config struct {
	// Workspace is the project folder; nil when a single file is opened.
	// Open it with workspace.Open.
	Workspace *workspace.Workspace
	// File is a data file opened without a workspace (nothing is written).
	File string
	// Loader overrides how datasets are loaded (tests: an in-memory frame).
	Loader ui.Loader
	// Dataset is opened at start (default: File, or the workspace's saved
	// dataset).
	Dataset string
	// Renderer draws every style; nil means lipgloss.DefaultRenderer().
	Renderer *lipgloss.Renderer
	// Theme is "dark", "light" or "nocolor"; "" picks one with themes.FromEnv.
	Theme string
	// Title is shown in the header; "" means the workspace card's name or
	// the file's base name.
	Title string
	// Screen is the title of the screen focused at start ("" means the
	// saved one, or Data when a file is opened).
	Screen string
	// Version is mlwb's version, recorded in the runs the screens save
	// (screens with a SetVersion method: Train, Tune).
	Version string
}

// Screens returns the screens in tab order. Add new screens here. The
// number keys reach the first nine, so the lifecycle screens come first.
func Screens(c ui.Common) []ui.Screen {
	return []ui.Screen{
		project.New(c),
		data.New(c),
		profile.New(c),
		clean.New(c),
		features.New(c),
		train.New(c),
		tune.New(c),
		evaluate.New(c),
		monitor.New(c),
		// Tenth: reached with tab, shift+tab or a click (number keys stop at 9).
		match.New(c),
	}
}

// New builds the root model for cfg, its screens and their shared Common.
func New(ctx context.Context, cfg Config) *ui.App {
	r := cfg.Renderer
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	var st *themes.Styles
	if cfg.Theme == "" {
		st = themes.FromEnv(r)
	} else {
		st = themes.New(r, cfg.Theme)
	}
	c := ui.NewCommon(ctx, r, st, cfg.Workspace)
	opt := ui.Options{Title: cfg.Title, Loader: cfg.Loader, Dataset: cfg.Dataset, Screen: cfg.Screen}
	if opt.Loader == nil {
		opt.Loader = defaultLoader(cfg)
	}
	if ws := cfg.Workspace; ws != nil && opt.Dataset == "" && ws.State().Dataset == "" {
		opt.Dataset = latestDataset(ws)
	}
	if cfg.File != "" {
		if opt.Dataset == "" {
			opt.Dataset = cfg.File
		}
		if opt.Title == "" {
			opt.Title = filepath.Base(cfg.File)
		}
		if opt.Screen == "" {
			opt.Screen = "Data"
		}
	}
	screens := Screens(c)
	for _, s := range screens {
		if v, ok := s.(interface{ SetVersion(string) }); ok {
			v.SetVersion(cfg.Version)
		}
	}
	return ui.New(c, opt, screens...)
}

// latestDataset names the most recently imported dataset of ws, or "" when
// it has none: what a workspace with no saved selection opens.
func latestDataset(ws *workspace.Workspace) string {
	ds, err := ws.Datasets()
	if err != nil {
		return ""
	}
	name, at := "", time.Time{}
	for _, d := range ds {
		if name == "" || d.Imported.After(at) {
			name, at = d.Name, d.Imported
		}
	}
	return name
}

// defaultLoader loads workspace datasets by name, or files by path.
func defaultLoader(cfg Config) ui.Loader {
	if ws := cfg.Workspace; ws != nil {
		return func(ctx context.Context, name string, _ func(done, total int64)) (*frame.Frame, error) {
			return ws.LoadDataset(ctx, name)
		}
	}
	return loadFile
}

// Run runs the UI for cfg until the user quits or ctx is cancelled. Extra
// options are appended to the defaults (alt screen, ctx, mouse cell motion).
func Run(ctx context.Context, cfg Config, opts ...tea.ProgramOption) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	m := New(ctx, cfg)
	opts = append([]tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(ctx), tea.WithMouseCellMotion()}, opts...)
	_, err := tea.NewProgram(m, opts...).Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// RunWorkspace runs the UI over the workspace ws, restoring the screen and
// dataset saved in its state.
func RunWorkspace(ctx context.Context, ws *workspace.Workspace) error {
	return Run(ctx, Config{Workspace: ws})
}

// RunFile runs the UI over one data file (any format dataio reads) without
// a workspace; nothing is written.
func RunFile(ctx context.Context, path string) error {
	return Run(ctx, Config{File: path})
}
