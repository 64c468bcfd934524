package profile

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
)

// wideFrame builds a frame shaped like bench/gencsv's "wide" table: 16 float
// columns x0..x15 (x_j ~ N(0, (j+1)²) rounded to 5 decimals, every fourth
// one exp-transformed, about 1 % missing), categorical city (7 levels) and
// segment (50 levels), a date column and a 0/1 int label.
func wideFrame(n int) *frame.Frame {
	rng := rand.New(rand.NewPCG(1, 2))
	var cols []frame.Column
	score := make([]float64, n)
	for j := range 16 {
		x := make([]float64, n)
		sd := float64(j + 1)
		for i := range x {
			v := rng.NormFloat64() * sd
			if j%4 == 3 {
				v = math.Exp(v / sd)
			}
			if j < 4 {
				score[i] += v / sd
			}
			x[i] = math.Round(v*1e5) / 1e5
			if rng.Float64() < 0.01 {
				x[i] = math.NaN()
			}
		}
		cols = append(cols, frame.NewFloat64(fmt.Sprintf("x%d", j), x, frame.Mask{}))
	}
	city := make([]int32, n)
	seg := make([]int32, n)
	date := make([]int64, n)
	label := make([]int64, n)
	segLevels := make([]string, 50)
	for k := range segLevels {
		segLevels[k] = fmt.Sprintf("s%02d", k)
	}
	for i := range n {
		city[i] = int32(rng.IntN(7))
		seg[i] = int32(rng.IntN(50))
		date[i] = time.Date(2024, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC).UnixNano()
		if score[i]+rng.NormFloat64() > 0.5 {
			label[i] = 1
		}
	}
	cols = append(cols,
		frame.NewCategorical("city", city, []string{"paris", "berlin", "rome", "madrid", "oslo", "lisbon", "vienna"}),
		frame.NewCategorical("segment", seg, segLevels),
		frame.NewDatetime("date", date, frame.Mask{}),
		frame.NewInt64("label", label, frame.Mask{}),
	)
	return frame.MustNew(cols...)
}

// BenchmarkProfileWide profiles a synthetic 1M × 20 "wide" frame (see
// wideFrame), without and with a target.
func BenchmarkProfileWide(b *testing.B) {
	f := wideFrame(1_000_000)
	for _, target := range []string{"", "label"} {
		b.Run("target="+target, func(b *testing.B) {
			c0 := cpuTime()
			for b.Loop() {
				if _, err := Profile(context.Background(), f, Options{Target: target}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((cpuTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// cpuTime is the process's user + system CPU time: on a shared machine it is
// steadier than wall time, and cpu-s/op ÷ cores bounds the wall time on an
// idle one.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkLoadProfileWideCSV loads and profiles the CSV named by
// $MLWB_WIDE_CSV (go run ../shared/bench/gencsv/main.go -kind wide -rows
// 1000000 > /tmp/wide.csv), the figure compared with pandas' read_csv +
// describe + corr.
func BenchmarkLoadProfileWideCSV(b *testing.B) {
	path := os.Getenv("MLWB_WIDE_CSV")
	if path == "" {
		b.Skip("MLWB_WIDE_CSV not set")
	}
	c0 := cpuTime()
	for b.Loop() {
		f, err := dataio.Load(context.Background(), path, dataio.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Profile(context.Background(), f, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-c0).Seconds()/float64(b.N), "cpu-s/op")
}
