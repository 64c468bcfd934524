package app_test

import (
	"context"
	"fmt"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/mlwb/mlwb/engine/demo"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui/app"
	"github.com/mlwb/mlwb/ui/uitest"
)

// TestGoldenDataScreen renders the whole app on the Data screen over 200
// demo customers (seed 1), after moving the cursor and sorting by age.
func TestGoldenDataScreen(t *testing.T) {
	f := demo.Customers(1, 200)
	loader := func(context.Context, string, func(int64, int64)) (*frame.Frame, error) { return f, nil }
	for _, sz := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			m := app.New(context.Background(), app.Config{
				Loader: loader, Dataset: "customers", Title: "churn",
				Renderer: uitest.Renderer(), Theme: themes.NameNoColor, Screen: "Data",
			})
			var tm tea.Model = m
			tm = uitest.Send(t, tm, tea.WindowSizeMsg{Width: sz.w, Height: sz.h})
			tm = uitest.Settle(t, tm, tm.Init())
			for _, k := range []string{"j", "j", "l", "l", "S"} {
				tm = uitest.Send(t, tm, uitest.Key(k))
			}
			golden.RequireEqual(t, []byte(tm.View()))
		})
	}
}
