package data

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/uitest"
)

const (
	benchRows = 1_000_000
	benchCols = 20
)

var (
	bigOnce  sync.Once
	bigFrame *frame.Frame
)

// bigTestFrame builds a 1,000,000 × 20 frame of synthetic columns of every
// type (a linear congruential generator keeps it deterministic and fast).
func bigTestFrame() *frame.Frame {
	bigOnce.Do(func() {
		n := benchRows
		x := uint64(42)
		next := func() uint64 { x = x*6364136223846793005 + 1442695040888963407; return x >> 33 }
		words := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"}
		cols := make([]frame.Column, 0, benchCols)
		t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
		for j := range benchCols {
			name := fmt.Sprintf("col_%02d", j)
			switch j % 5 {
			case 0:
				d := make([]int64, n)
				for i := range d {
					d[i] = int64(next() % 100000)
				}
				cols = append(cols, frame.NewInt64(name, d, frame.Mask{}))
			case 1:
				d := make([]float64, n)
				for i := range d {
					d[i] = float64(next()%1000000) / 1000
				}
				cols = append(cols, frame.NewFloat64(name, d, frame.Mask{}))
			case 2:
				codes := make([]int32, n)
				for i := range codes {
					codes[i] = int32(next() % uint64(len(words)))
				}
				cols = append(cols, frame.NewCategorical(name, codes, words))
			case 3:
				d := make([]string, n)
				for i := range d {
					d[i] = words[next()%8] + "-" + fmt.Sprint(next()%1000)
				}
				cols = append(cols, frame.NewString(name, d, frame.Mask{}))
			case 4:
				d := make([]int64, n)
				for i := range d {
					d[i] = t0 + int64(next()%(86400*365*3))*1e9
				}
				cols = append(cols, frame.NewDatetime(name, d, frame.Mask{}))
			}
		}
		bigFrame = frame.MustNew(cols...)
	})
	return bigFrame
}

// openBig returns the screen at 120×40 (the content box of a 120×40 window
// is 120×37) with the 1M-row frame loaded; stats jobs are not run.
func openBig(b *testing.B) *Model {
	m := New(uitest.Common(b, themes.NameDark))
	m.SetSize(120, 37)
	m.Update(ui.DatasetLoadedMsg{Name: "big", Frame: bigTestFrame()})
	return m
}

// BenchmarkDataScreenScroll measures one keypress (Update) plus the redraw
// (View) on 1M rows × 20 columns at 120×40.
func BenchmarkDataScreenScroll(b *testing.B) {
	for _, keys := range [][]string{{"down"}, {"pgdown"}, {"G", "g"}, {"ctrl+d"}, {"l"}, {"$", "0"}} {
		b.Run(keys[0], func(b *testing.B) {
			m := openBig(b)
			msgs := make([]tea.KeyMsg, len(keys))
			for i, k := range keys {
				msgs[i] = uitest.Key(k)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				m.Update(msgs[i%len(msgs)])
				_ = m.View()
			}
		})
	}
}

// BenchmarkDataScreenSortedScroll is the scroll benchmark over a sorted and
// filtered view (an index slice).
func BenchmarkDataScreenSortedScroll(b *testing.B) {
	m := openBig(b)
	idx, err := bigTestFrame().SortIndex(context.Background(), frame.SortKey{Column: "col_01"})
	if err != nil {
		b.Fatal(err)
	}
	m.tbl.SetView(idx[:benchRows/2])
	down := uitest.Key("pgdown")
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		m.Update(down)
		_ = m.View()
	}
}

// BenchmarkDataScreenOpen measures the first frame after DatasetLoadedMsg
// (the screen lays out only the visible window).
func BenchmarkDataScreenOpen(b *testing.B) {
	f := bigTestFrame()
	c := uitest.Common(b, themes.NameDark)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		m := New(c)
		m.SetSize(120, 37)
		m.Update(ui.DatasetLoadedMsg{Name: "big", Frame: f})
		_ = m.View()
	}
}

// BenchmarkDataScreenSortResult measures applying a finished sort job's
// result (the sort itself runs in the background: see BenchmarkSortJob).
func BenchmarkDataScreenSortResult(b *testing.B) {
	m := openBig(b)
	idx, err := bigTestFrame().SortIndex(context.Background(), frame.SortKey{Column: "col_00"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		m.viewJob = ui.Job{ID: i + 1}
		m.shown = noView
		m.Update(viewDoneMsg{jobID: i + 1, spec: viewSpec{sortCol: 0}, sortIdx: idx, rows: idx})
		_ = m.View()
	}
}

// BenchmarkSortJob is the background sort of one 1M-row column (radix path).
func BenchmarkSortJob(b *testing.B) {
	f := bigTestFrame()
	for _, col := range []string{"col_00", "col_01", "col_02", "col_03"} {
		b.Run(col, func(b *testing.B) {
			for range b.N {
				if _, err := f.SortIndex(context.Background(), frame.SortKey{Column: col}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStatsJob is the background statistics of one 1M-row column.
func BenchmarkStatsJob(b *testing.B) {
	f := bigTestFrame()
	for _, j := range []int{0, 1, 2, 3, 4} {
		c := f.Col(j)
		b.Run(c.Name()+"_"+c.Type().String(), func(b *testing.B) {
			for range b.N {
				if _, err := computeStats(context.Background(), c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
