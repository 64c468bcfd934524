package app_test

import (
	"context"
	"fmt"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui/app"
	"github.com/mlwb/mlwb/ui/uitest"
)

// BenchmarkAppScroll measures a keypress through the root model (routing,
// header, footer, help) plus the full redraw at 120×40 on the Data screen
// over 1,000,000 rows × 20 columns.
func BenchmarkAppScroll(b *testing.B) {
	const n = 1_000_000
	cols := make([]frame.Column, 20)
	for j := range cols {
		d := make([]float64, n)
		for i := range d {
			d[i] = float64((i*7919+j*104729)%1000003) / 7
		}
		cols[j] = frame.NewFloat64(fmt.Sprintf("x%02d", j), d, frame.Mask{})
	}
	f := frame.MustNew(cols...)
	loader := func(context.Context, string, func(int64, int64)) (*frame.Frame, error) { return f, nil }
	var m tea.Model = app.New(context.Background(), app.Config{
		Loader: loader, Dataset: "big", Renderer: uitest.Renderer(), Theme: themes.NameDark, Screen: "Data",
	})
	m = uitest.Send(b, m, tea.WindowSizeMsg{Width: 120, Height: 40})
	m = uitest.Settle(b, m, m.Init())
	for _, k := range []string{"down", "pgdown", "G"} {
		b.Run(k, func(b *testing.B) {
			msg := uitest.Key(k)
			b.ReportAllocs()
			for range b.N {
				m, _ = m.Update(msg)
				_ = m.View()
			}
		})
	}
}
